/* run.c — a run checks one package: it collects the inputs, assigns each to a
 * group (file-name glob, then --group, then the only group, then the header),
 * reads referenced groups first so foreign keys are checked record by record,
 * hashes every input while it streams it, and ends with package-level rules.
 * A .zip input is a package of its own: its entries are inputs named
 * "<zip>!/<entry>", streamed out of the archive through zipread.h. */
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "csv.h"
#include "hasher.h"
#include "input.h"
#include "util.h"
#include "zipread.h"

/* 64 KiB: a chunk stays in L2 cache between read() and the parser. */
#define READ_CHUNK (64 * 1024)
#define HEADER_PEEK_LIMIT (1 << 20)

struct tkg_run {
    const tkg_profile *profile;
    tkg_options opts;
    char *group_opt, *as_of;
    tkg_report *report;
    tkg_engine *engine;
    bool finished;
    /* The input being fed (execute or the feed API). */
    tkg_file_ctx fc;
    const tkg_input_vtable *reader;
    void *reader_state;
    EVP_MD_CTX *md;
    bool feeding;
    bool hashed_elsewhere; /* the input being read is hashed by a hasher thread */
    /* The zip package whose entries are being read (opened once, kept while used). */
    tkg_zip *zip;
    uint32_t zip_input;
};

tkg_run *tkg_run_new(const tkg_profile *p, const tkg_options *opts) {
    tkg_run *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->profile = p;
    if (opts) r->opts = *opts;
    r->group_opt = opts && opts->group ? tkg_strdup(opts->group) : NULL;
    r->as_of = opts && opts->as_of ? tkg_strdup(opts->as_of) : NULL;
    bool en = opts && opts->lang && !strcmp(opts->lang, "en");
    r->report = tkg_report_new(p, en, opts && opts->show_values, opts ? opts->max_examples : 0);
    if (r->report) r->report->timestamp = opts && opts->timestamp;
    r->engine = r->report ? tkg_engine_new(p, r->report, r->as_of) : NULL;
    r->md = EVP_MD_CTX_new();
    if (!r->report || !r->engine || !r->md) {
        tkg_run_free(r);
        return NULL;
    }
    return r;
}

void tkg_run_free(tkg_run *r) {
    if (!r) return;
    if (r->reader && r->reader_state) r->reader->close(r->reader_state);
    tkg_zip_close(r->zip);
    tkg_engine_free(r->engine);
    tkg_report_free(r->report);
    EVP_MD_CTX_free(r->md);
    free(r->group_opt);
    free(r->as_of);
    free(r);
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- zip packages: listing ---------------------------------------------------- */

static const tkg_zip_limits PKG_LIMITS = {TKG_ZIP_PKG_MAX_ENTRIES, TKG_ZIP_PKG_MAX_ENTRY_BYTES,
                                          TKG_ZIP_PKG_RATIO_FROM, TKG_ZIP_PKG_MAX_RATIO};

static bool is_zip_path(const char *path) {
    size_t n = strlen(path);
    return n > 4 && path[n - 4] == '.' && (path[n - 3] | 0x20) == 'z' &&
           (path[n - 2] | 0x20) == 'i' && (path[n - 1] | 0x20) == 'p';
}

/* An entry is an input when it is a file with a safe name, not hidden (no
 * component starting with "."), not macOS metadata and not the manifest. */
static bool entry_is_input(const tkg_zip *z, size_t i) {
    if (!tkg_zip_safe(z, i) || tkg_zip_is_dir(z, i)) return false;
    const char *name = tkg_zip_name(z, i);
    if (!strncmp(name, "__MACOSX/", 9) || !strcmp(tkg_basename(name), TKG_MANIFEST_NAME))
        return false;
    for (const char *p = name; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
        if (*p == '.') return false;
    return true;
}

typedef struct {
    const char *name;
    size_t index;
} zip_name;

static int cmp_zip_names(const void *a, const void *b) {
    return strcmp(((const zip_name *)a)->name, ((const zip_name *)b)->name);
}

/* Adds a .zip package: the archive itself (hashed, not parsed), then its entries
 * sorted by name. An archive that cannot be listed stays one input; its problem is
 * reported when the run reads it (read_package). */
static tkg_status add_zip(tkg_report *rep, const char *path) {
    int zi = tkg_report_add_input(rep, path);
    if (zi < 0) return TKG_E_NOMEM;
    rep->inputs[zi].container = true;
    tkg_zip_error code;
    char err[256];
    tkg_zip *z = tkg_zip_open(path, &PKG_LIMITS, false, &code, NULL, err, sizeof err);
    if (!z) return code == TKG_ZIP_E_NOMEM ? TKG_E_NOMEM : TKG_OK;
    size_t n = tkg_zip_count(z), k = 0;
    zip_name *names = calloc(n + 1, sizeof *names);
    tkg_status st = names ? TKG_OK : TKG_E_NOMEM;
    for (size_t i = 0; names && i < n; i++)
        if (entry_is_input(z, i)) names[k++] = (zip_name){tkg_zip_name(z, i), i};
    if (names) qsort(names, k, sizeof *names, cmp_zip_names);
    for (size_t i = 0; st == TKG_OK && i < k; i++) {
        size_t len = strlen(path) + 2 + strlen(names[i].name) + 1;
        char *member = malloc(len);
        int mi = member ? (snprintf(member, len, "%s!/%s", path, names[i].name),
                           tkg_report_add_input(rep, member))
                        : -1;
        free(member);
        if (mi < 0) {
            st = TKG_E_NOMEM;
            break;
        }
        rep->inputs[mi].zip_of = (uint32_t)zi + 1;
        rep->inputs[mi].zip_index = names[i].index;
    }
    free(names);
    tkg_zip_close(z);
    return st;
}

/* One file given or found in a directory: a .zip package expands. */
static tkg_status add_file(tkg_report *rep, const char *path) {
    struct stat st;
    if (is_zip_path(path) && stat(path, &st) == 0 && S_ISREG(st.st_mode)) return add_zip(rep, path);
    return tkg_report_add_input(rep, path) < 0 ? TKG_E_NOMEM : TKG_OK;
}

tkg_status tkg_report_add_path(tkg_report *rep, const char *path) {
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) return tkg_report_add_input(rep, path) < 0 ? TKG_E_NOMEM : TKG_OK;
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.' || !strcmp(e->d_name, TKG_MANIFEST_NAME)) continue;
            char *full = tkg_path_join(path, e->d_name);
            struct stat fst;
            if (!full || stat(full, &fst) != 0 || !S_ISREG(fst.st_mode)) {
                free(full);
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                char **nn = realloc(names, cap * sizeof *nn);
                if (!nn) {
                    free(full);
                    break;
                }
                names = nn;
            }
            names[n++] = full;
        }
        closedir(d);
        if (n) qsort(names, n, sizeof *names, cmp_names);
        for (size_t i = 0; i < n; i++) {
            add_file(rep, names[i]);
            free(names[i]);
        }
        free(names);
        return TKG_OK;
    }
    /* The package's version declaration is not data. */
    if (!strcmp(tkg_basename(path), TKG_MANIFEST_NAME)) return TKG_OK;
    return strcmp(path, "-")                     ? add_file(rep, path)
           : tkg_report_add_input(rep, path) < 0 ? TKG_E_NOMEM
                                                 : TKG_OK;
}

tkg_status tkg_run_add_input(tkg_run *r, const char *path) {
    return tkg_report_add_path(r->report, path);
}

/* Group from the name alone: glob, then --group, then the profile's only group. */
static int group_by_name(const tkg_run *r, const char *path) {
    int g = tkg_profile_group_for_name(r->profile, tkg_basename(path));
    if (g >= 0) return g;
    if (r->group_opt) return tkg_profile_group_by_name(r->profile, r->group_opt);
    if (r->profile->ngroups == 1) return 0;
    return -1;
}

/* ---- header peeking, for files assigned by their header ------------------ */

typedef struct {
    const tkg_profile *p;
    int group;
    bool done;
} peek_ctx;

static void peek_record(void *ctx, const tkg_csv_record *rec) {
    peek_ctx *pc = ctx;
    if (pc->done) return;
    pc->done = true;
    const char **names = malloc((rec->nfields + 1) * sizeof *names);
    if (!names) return;
    for (size_t i = 0; i < rec->nfields; i++)
        names[i] = rec->fields[i].data;
    pc->group = tkg_identify_group(pc->p, names, rec->nfields);
    free(names);
}

/* ---- zip packages: reading ------------------------------------------------------ */

/* The package of input ci, opened once and kept while its entries are read. */
static tkg_zip *package_of(tkg_run *r, uint32_t ci, tkg_zip_error *code, uint64_t *count, char *err,
                           size_t errlen) {
    *code = TKG_ZIP_OK;
    if (r->zip && r->zip_input == ci) return r->zip;
    tkg_zip_close(r->zip);
    r->zip = tkg_zip_open(r->report->inputs[ci].path, &PKG_LIMITS, false, code, count, err, errlen);
    r->zip_input = ci;
    return r->zip;
}

/* Reports why a package or one of its entries is not (fully) checked. */
static void zip_problem(tkg_run *r, uint32_t idx, tkg_zip_error code, const char *detail,
                        uint64_t count) {
    tkg_loc loc = {idx, 0, TKG_NO_RECORD, 0, NULL};
    tkg_input *in = &r->report->inputs[idx];
    bool en = r->report->en;
    char a[64], b[64];
    switch (code) {
    case TKG_ZIP_E_SIZE:
        snprintf(a, sizeof a, "%llu MiB", (unsigned long long)(PKG_LIMITS.max_entry_bytes >> 20));
        tkg_report_emit(r->report, R_ZIP003, &loc, NULL, 0, a, NULL, NULL);
        break;
    case TKG_ZIP_E_RATIO:
        snprintf(a, sizeof a, en ? "compression ratio %u" : "圧縮率 %u 倍", PKG_LIMITS.max_ratio);
        tkg_report_emit(r->report, R_ZIP003, &loc, NULL, 0, a, NULL, NULL);
        break;
    case TKG_ZIP_E_ENCRYPTED:
        tkg_report_emit(r->report, R_ZIP004, &loc, NULL, 0, NULL, NULL, NULL);
        break;
    case TKG_ZIP_E_COUNT:
        snprintf(a, sizeof a, "%llu", (unsigned long long)count);
        snprintf(b, sizeof b, "%llu", (unsigned long long)PKG_LIMITS.max_entries);
        tkg_report_emit(r->report, R_ZIP005, &loc, NULL, 0, a, b, NULL);
        break;
    default:
        in->readable = false;
        tkg_report_emit(r->report, R_ZIP001, &loc, NULL, 0, detail, NULL, NULL);
        break;
    }
}

/* The bytes of an input: a file, or an entry of a zip package. */
typedef struct {
    int fd;
    tkg_zip_entry *ze;
} source;

static bool source_open(tkg_run *r, uint32_t idx, source *s) {
    const tkg_input *in = &r->report->inputs[idx];
    s->fd = -1;
    s->ze = NULL;
    if (!in->zip_of) return (s->fd = open(in->path, O_RDONLY)) >= 0;
    tkg_zip_error code;
    char err[256];
    tkg_zip *z = package_of(r, in->zip_of - 1, &code, NULL, err, sizeof err);
    s->ze = z ? tkg_zip_entry_open(z, in->zip_index, &code, err, sizeof err) : NULL;
    return s->ze != NULL;
}

static long long source_read(source *s, void *buf, size_t n) {
    if (s->ze) {
        tkg_zip_error code;
        char err[256];
        return tkg_zip_entry_read(s->ze, buf, n, &code, err, sizeof err);
    }
    ssize_t k;
    do
        k = read(s->fd, buf, n);
    while (k < 0 && errno == EINTR);
    return k;
}

static void source_close(source *s) {
    tkg_zip_entry_close(s->ze);
    if (s->fd >= 0) close(s->fd);
}

/* Hashes a package's archive and reports what its listing refuses: an archive that
 * is no readable zip (ZIP001), too many entries (ZIP005), unsafe names (ZIP002). */
static tkg_status read_package(tkg_run *r, uint32_t idx) {
    tkg_input *in = &r->report->inputs[idx];
    tkg_loc loc = {idx, 0, TKG_NO_RECORD, 0, NULL};
    source s = {open(in->path, O_RDONLY), NULL};
    if (s.fd < 0) {
        in->readable = false;
        tkg_report_emit(r->report, R_IO001, &loc, NULL, 0, strerror(errno), NULL, NULL);
        return TKG_OK;
    }
    char *buf = malloc(READ_CHUNK);
    if (!buf) {
        close(s.fd);
        return TKG_E_NOMEM;
    }
    EVP_DigestInit_ex(r->md, EVP_sha256(), NULL);
    long long n;
    in->bytes = 0;
    while ((n = source_read(&s, buf, READ_CHUNK)) > 0) {
        EVP_DigestUpdate(r->md, buf, (size_t)n);
        in->bytes += (uint64_t)n;
    }
    free(buf);
    source_close(&s);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    EVP_DigestFinal_ex(r->md, md, &dl);
    for (unsigned i = 0; i < dl && i < 32; i++)
        snprintf(in->sha256 + 2 * i, 3, "%02x", md[i]);
    in->read = n == 0;
    if (n < 0) {
        in->readable = false;
        tkg_report_emit(r->report, R_IO001, &loc, NULL, 0, strerror(errno), NULL, NULL);
        return TKG_OK;
    }
    tkg_zip_error code;
    uint64_t count = 0;
    char err[256];
    tkg_zip *z = package_of(r, idx, &code, &count, err, sizeof err);
    if (!z) {
        if (code == TKG_ZIP_E_NOMEM) return TKG_E_NOMEM;
        zip_problem(r, idx, code, err, count);
        return TKG_OK;
    }
    for (size_t i = 0; i < tkg_zip_count(z); i++)
        if (!tkg_zip_safe(z, i))
            tkg_report_emit(r->report, R_ZIP002, &loc, NULL, 0, tkg_zip_display_name(z, i),
                            tkg_zip_unsafe_reason(z, i), NULL);
    return TKG_OK;
}

static int group_by_header(tkg_run *r, uint32_t idx) {
    if (r->profile->dialect.header == TKG_HDR_NONE) return -1;
    /* Only a regular file (or a zip entry) can be read twice: a FIFO or /dev/stdin
     * would be emptied by the peek. Those are identified while they are read. */
    struct stat st;
    const tkg_input *in = &r->report->inputs[idx];
    if (!in->zip_of && (stat(in->path, &st) != 0 || !S_ISREG(st.st_mode))) return -1;
    source s;
    if (!source_open(r, idx, &s)) return -1;
    peek_ctx pc = {r->profile, -1, false};
    tkg_csv_callbacks cb = {peek_record, NULL, &pc};
    tkg_csv_reader *csv = tkg_csv_new(&r->profile->dialect, NULL, &cb);
    char *buf = malloc(READ_CHUNK);
    size_t total = 0;
    while (csv && buf && !pc.done && total < HEADER_PEEK_LIMIT) {
        long long n = source_read(&s, buf, READ_CHUNK);
        if (n <= 0) break;
        total += (size_t)n;
        tkg_csv_feed(csv, buf, (size_t)n);
    }
    if (csv && !pc.done) tkg_csv_finish(csv);
    tkg_csv_free(csv);
    free(buf);
    source_close(&s);
    return pc.group;
}

/* ---- feeding one input ----------------------------------------------------- */

static tkg_status begin_input(tkg_run *r, uint32_t input, int group) {
    r->fc = (tkg_file_ctx){r->profile, r->report, r->engine, input, group, 0};
    r->reader = tkg_input_for(r->profile, r->report->inputs[input].path);
    r->reader_state = r->reader->open(&r->fc);
    if (!r->reader_state) return TKG_E_NOMEM;
    EVP_DigestInit_ex(r->md, EVP_sha256(), NULL);
    r->feeding = true;
    return TKG_OK;
}

static tkg_status feed_input(tkg_run *r, const void *buf, size_t len) {
    if (!r->feeding) return TKG_E_USAGE;
    if (!r->hashed_elsewhere) EVP_DigestUpdate(r->md, buf, len);
    r->report->inputs[r->fc.input].bytes += len;
    return r->reader->feed(r->reader_state, buf, len) == 0 ? TKG_OK : TKG_E_NOMEM;
}

static tkg_status end_input(tkg_run *r) {
    if (!r->feeding) return TKG_E_USAGE;
    int rc = r->reader->finish(r->reader_state);
    r->reader->close(r->reader_state);
    r->reader_state = NULL;
    r->feeding = false;
    tkg_input *in = &r->report->inputs[r->fc.input];
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(r->md, md, &n);
    if (!r->hashed_elsewhere) { /* else read_input fills in the hasher thread's digest */
        static const char hex[] = "0123456789abcdef";
        for (unsigned i = 0; i < n && i < 32; i++) {
            in->sha256[2 * i] = hex[md[i] >> 4];
            in->sha256[2 * i + 1] = hex[md[i] & 15];
        }
        in->sha256[64] = '\0';
    }
    in->records = r->fc.records;
    in->read = true;
    if (r->fc.group >= 0) {
        in->group = r->fc.group;
        tkg_engine_file_done(r->engine, r->fc.group);
    }
    return rc == 0 ? TKG_OK : TKG_E_NOMEM;
}

tkg_status tkg_run_feed_begin(tkg_run *r, const char *name, const char *group) {
    if (r->feeding || r->finished) return TKG_E_USAGE;
    int g = group ? tkg_profile_group_by_name(r->profile, group) : group_by_name(r, name);
    if (group && g < 0) return TKG_E_USAGE;
    int idx = tkg_report_add_input(r->report, name);
    if (idx < 0) return TKG_E_NOMEM;
    r->report->inputs[idx].group = g;
    /* Fed inputs come one by one: any group may still get files, so foreign keys
     * are decided when the run finishes. */
    for (size_t k = 0; k < r->profile->ngroups; k++)
        tkg_engine_group_expected(r->engine, (int)k, 0, 1);
    return begin_input(r, (uint32_t)idx, g);
}

tkg_status tkg_run_feed(tkg_run *r, const void *buf, size_t len) {
    return feed_input(r, buf, len);
}

tkg_status tkg_run_feed_end(tkg_run *r) {
    return end_input(r);
}

/* Streams an entry of a zip package through the reader in chunks; an entry the
 * limits refuse, or whose data is corrupt, is reported (ZIP001, ZIP003, ZIP004)
 * and gets no hash. */
static tkg_status read_member(tkg_run *r, uint32_t idx) {
    tkg_input *in = &r->report->inputs[idx];
    tkg_zip_error code;
    char err[512];
    tkg_zip *z = package_of(r, in->zip_of - 1, &code, NULL, err, sizeof err);
    tkg_zip_entry *e = z ? tkg_zip_entry_open(z, in->zip_index, &code, err, sizeof err) : NULL;
    if (!e) {
        if (code == TKG_ZIP_E_NOMEM) return TKG_E_NOMEM;
        zip_problem(r, idx, code, err, 0);
        return TKG_OK;
    }
    tkg_status st = begin_input(r, idx, in->group);
    char *buf = malloc(READ_CHUNK);
    if (!buf) st = TKG_E_NOMEM;
    bool problem = false;
    while (st == TKG_OK) {
        long long n = tkg_zip_entry_read(e, buf, READ_CHUNK, &code, err, sizeof err);
        if (n < 0) {
            problem = true;
            break;
        }
        if (n == 0) break;
        st = feed_input(r, buf, (size_t)n);
    }
    free(buf);
    tkg_zip_entry_close(e);
    if (r->feeding) {
        tkg_status est = end_input(r);
        if (st == TKG_OK) st = est;
    }
    in = &r->report->inputs[idx];
    if (problem) {
        /* Checked only up to the problem: no hash of a part. */
        zip_problem(r, idx, code, err, 0);
        in->read = false;
    }
    return st;
}

/* Reads one input from its file (or standard input) through the reader. */
static tkg_status read_input(tkg_run *r, uint32_t idx) {
    tkg_input *in = &r->report->inputs[idx];
    if (in->container) return read_package(r, idx);
    if (in->zip_of) return read_member(r, idx);
    bool is_stdin = strcmp(in->path, "-") == 0;
    int fd = is_stdin ? 0 : open(in->path, O_RDONLY);
    if (fd < 0) {
        in->readable = false;
        tkg_loc loc = {idx, 0, TKG_NO_RECORD, 0, NULL};
        tkg_report_emit(r->report, R_IO001, &loc, NULL, 0, strerror(errno), NULL, NULL);
        return TKG_OK;
    }
    tkg_status st = begin_input(r, idx, in->group);
    /* The SHA-256 is computed on the second core while this one parses. */
    tkg_hasher *hasher = tkg_hasher_start(READ_CHUNK);
    r->hashed_elsewhere = hasher != NULL;
    char *own = hasher ? NULL : malloc(READ_CHUNK);
    if (!hasher && !own) st = TKG_E_NOMEM;
    while (st == TKG_OK) {
        char *buf = hasher ? tkg_hasher_slot(hasher) : own;
        ssize_t n = read(fd, buf, READ_CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            /* A directory, a device error: the input could not be read at all. */
            in->readable = false;
            tkg_loc loc = {idx, 0, TKG_NO_RECORD, 0, NULL};
            tkg_report_emit(r->report, R_IO001, &loc, NULL, 0, strerror(errno), NULL, NULL);
            break;
        }
        if (n == 0) break;
        if (hasher) tkg_hasher_submit(hasher, (size_t)n);
        st = feed_input(r, buf, (size_t)n);
    }
    free(own);
    if (!is_stdin) close(fd);
    if (r->feeding) {
        tkg_status est = end_input(r);
        if (st == TKG_OK) st = est;
    }
    if (hasher && !tkg_hasher_finish(hasher, in->sha256) && st == TKG_OK) st = TKG_E_INTERNAL;
    r->hashed_elsewhere = false;
    return st;
}

typedef struct {
    uint32_t idx;
    int rank;
} order_entry;

static int cmp_order(const void *a, const void *b) {
    const order_entry *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

tkg_status tkg_run_execute(tkg_run *r) {
    if (r->finished || r->feeding) return TKG_E_USAGE;
    if (r->group_opt && tkg_profile_group_by_name(r->profile, r->group_opt) < 0) return TKG_E_USAGE;
    size_t n = r->report->ninputs;
    size_t *per_group = calloc(r->profile->ngroups + 1, sizeof *per_group);
    order_entry *order = calloc(n + 1, sizeof *order);
    if (!per_group || !order) {
        free(per_group);
        free(order);
        return TKG_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        tkg_input *in = &r->report->inputs[i];
        in->group = in->container ? -1 : group_by_name(r, in->path);
        if (in->group < 0 && !in->container && strcmp(in->path, "-") != 0)
            in->group = group_by_header(r, (uint32_t)i);
        if (in->group >= 0) per_group[in->group]++;
        order[i].idx = (uint32_t)i;
        /* Unassigned inputs (standard input included) go last. */
        order[i].rank = in->group >= 0 ? r->profile->groups[in->group].rank : 1 << 20;
    }
    /* An input whose group is known only once it is read (standard input, a FIFO)
     * may belong to any group: no group is complete before the end, so foreign keys
     * into any group are decided at the end (the engine defers them). */
    size_t unknown = 0;
    for (size_t i = 0; i < n; i++)
        unknown += r->report->inputs[i].group < 0 && !r->report->inputs[i].container;
    for (size_t g = 0; g < r->profile->ngroups; g++)
        tkg_engine_group_expected(r->engine, (int)g, per_group[g], unknown);
    free(per_group);
    qsort(order, n, sizeof *order, cmp_order);
    tkg_status st = TKG_OK;
    for (size_t i = 0; i < n && st == TKG_OK; i++)
        st = read_input(r, order[i].idx);
    free(order);
    if (st == TKG_OK) st = tkg_run_finish(r);
    return st;
}

tkg_status tkg_run_finish(tkg_run *r) {
    if (r->finished) return TKG_OK;
    if (r->feeding) end_input(r);
    r->finished = true;
    bool *has = calloc(r->profile->ngroups + 1, sizeof *has);
    if (!has) return TKG_E_NOMEM;
    for (size_t i = 0; i < r->report->ninputs; i++)
        if (r->report->inputs[i].group >= 0) has[r->report->inputs[i].group] = true;
    tkg_engine_finish(r->engine, has);
    free(has);
    tkg_report_seal(r->report);
    return TKG_OK;
}

const tkg_report *tkg_run_report(const tkg_run *r) {
    return r->report;
}

tkg_status tkg_manifest_find(const char *const *inputs, size_t n, char **profile, char **version,
                             char *err, size_t errlen) {
    *profile = *version = NULL;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        char *path = NULL;
        if (!strcmp(tkg_basename(inputs[i]), TKG_MANIFEST_NAME))
            path = tkg_strdup(inputs[i]);
        else if (stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode))
            path = tkg_path_join(inputs[i], TKG_MANIFEST_NAME);
        if (!path || stat(path, &st) != 0) {
            free(path);
            continue;
        }
        json_error_t je;
        json_t *m = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
        const char *p = json_string_value(json_object_get(m, "profile"));
        const char *v = json_string_value(json_object_get(m, "version"));
        if (!m || !p || !v) {
            snprintf(err, errlen, "%s: expected {\"profile\": ID, \"version\": VERSION}%s%s", path,
                     m ? "" : ": ", m ? "" : je.text);
            json_decref(m);
            free(path);
            return TKG_E_USAGE;
        }
        *profile = tkg_strdup(p);
        *version = tkg_strdup(v);
        json_decref(m);
        free(path);
        return TKG_OK;
    }
    return TKG_OK;
}
