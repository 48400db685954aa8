/* run.c — a run checks one package: it collects the inputs, assigns each to a
 * group (file-name glob, then --group, then the only group, then the header),
 * reads referenced groups first so foreign keys are checked record by record,
 * hashes every input while it streams it, and ends with package-level rules. */
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
#include "input.h"
#include "util.h"

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
        qsort(names, n, sizeof *names, cmp_names);
        for (size_t i = 0; i < n; i++) {
            tkg_report_add_input(rep, names[i]);
            free(names[i]);
        }
        free(names);
        return TKG_OK;
    }
    /* The package's version declaration is not data. */
    if (!strcmp(tkg_basename(path), TKG_MANIFEST_NAME)) return TKG_OK;
    return tkg_report_add_input(rep, path) < 0 ? TKG_E_NOMEM : TKG_OK;
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
    for (size_t i = 0; i < rec->nfields; i++) names[i] = rec->fields[i].data;
    pc->group = tkg_identify_group(pc->p, names, rec->nfields);
    free(names);
}

static int group_by_header(const tkg_run *r, const char *path) {
    if (r->profile->dialect.header == TKG_HDR_NONE) return -1;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    peek_ctx pc = {r->profile, -1, false};
    tkg_csv_callbacks cb = {peek_record, NULL, &pc};
    tkg_csv_reader *csv = tkg_csv_new(&r->profile->dialect, NULL, &cb);
    char *buf = malloc(READ_CHUNK);
    size_t total = 0;
    while (csv && buf && !pc.done && total < HEADER_PEEK_LIMIT) {
        ssize_t n = read(fd, buf, READ_CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        total += (size_t)n;
        tkg_csv_feed(csv, buf, (size_t)n);
    }
    if (csv && !pc.done) tkg_csv_finish(csv);
    tkg_csv_free(csv);
    free(buf);
    close(fd);
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
    EVP_DigestUpdate(r->md, buf, len);
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
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        in->sha256[2 * i] = hex[md[i] >> 4];
        in->sha256[2 * i + 1] = hex[md[i] & 15];
    }
    in->sha256[64] = '\0';
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
    int idx = tkg_report_add_input(r->report, name);
    if (idx < 0) return TKG_E_NOMEM;
    int g = group ? tkg_profile_group_by_name(r->profile, group) : group_by_name(r, name);
    if (group && g < 0) return TKG_E_USAGE;
    r->report->inputs[idx].group = g;
    if (g >= 0) tkg_engine_group_expected(r->engine, g, 1);
    return begin_input(r, (uint32_t)idx, g);
}

tkg_status tkg_run_feed(tkg_run *r, const void *buf, size_t len) {
    return feed_input(r, buf, len);
}

tkg_status tkg_run_feed_end(tkg_run *r) {
    return end_input(r);
}

/* Reads one input from its file (or standard input) through the reader. */
static tkg_status read_input(tkg_run *r, uint32_t idx) {
    tkg_input *in = &r->report->inputs[idx];
    bool is_stdin = strcmp(in->path, "-") == 0;
    int fd = is_stdin ? 0 : open(in->path, O_RDONLY);
    if (fd < 0) {
        in->readable = false;
        tkg_loc loc = {idx, 0, TKG_NO_RECORD, 0, NULL};
        tkg_report_emit(r->report, R_IO001, &loc, NULL, 0, strerror(errno), NULL, NULL);
        return TKG_OK;
    }
    tkg_status st = begin_input(r, idx, in->group);
    char *buf = malloc(READ_CHUNK);
    if (!buf) st = TKG_E_NOMEM;
    while (st == TKG_OK) {
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
        st = feed_input(r, buf, (size_t)n);
    }
    free(buf);
    if (!is_stdin) close(fd);
    if (r->feeding) {
        tkg_status est = end_input(r);
        if (st == TKG_OK) st = est;
    }
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
    if (r->group_opt && tkg_profile_group_by_name(r->profile, r->group_opt) < 0)
        return TKG_E_USAGE;
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
        in->group = group_by_name(r, in->path);
        if (in->group < 0 && strcmp(in->path, "-") != 0) in->group = group_by_header(r, in->path);
        if (in->group >= 0) per_group[in->group]++;
        order[i].idx = (uint32_t)i;
        /* Unassigned inputs (standard input included) go last. */
        order[i].rank = in->group >= 0 ? r->profile->groups[in->group].rank : 1 << 20;
    }
    for (size_t g = 0; g < r->profile->ngroups; g++)
        tkg_engine_group_expected(r->engine, (int)g, per_group[g]);
    free(per_group);
    qsort(order, n, sizeof *order, cmp_order);
    tkg_status st = TKG_OK;
    for (size_t i = 0; i < n && st == TKG_OK; i++) st = read_input(r, order[i].idx);
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
        if (!strcmp(tkg_basename(inputs[i]), TKG_MANIFEST_NAME)) path = tkg_strdup(inputs[i]);
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
