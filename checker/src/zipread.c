/* zipread.c — zip archives through libzip within the limits of zipread.h:
 * entry names decoded (UTF-8, else CP932 through iconv) and judged, entries
 * read in caller-sized chunks with size and ratio limits on the real bytes. */
#include "zipread.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zip.h>

typedef struct {
    char *name;         /* decoded UTF-8, or NULL */
    char *display;      /* for messages */
    const char *unsafe; /* why the name is refused, or NULL */
} zentry;

struct tkg_zip {
    zip_t *zip;
    tkg_zip_limits lim;
    zentry *entries;
    size_t n;
};

struct tkg_zip_entry {
    zip_file_t *zf;
    const char *name;
    uint64_t got, comp;
    tkg_zip_limits lim;
};

static void put(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static char *dup_n(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* ---- names ------------------------------------------------------------------ */

static bool valid_utf8(const unsigned char *s) {
    while (*s) {
        unsigned c = *s;
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            s++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (size_t i = 1; i <= k; i++) {
            if ((s[i] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (s[i] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += k + 1;
    }
    return true;
}

static bool is_ascii(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return false;
    return true;
}

/* CP932 → UTF-8 (malloc'd), or NULL when the bytes are not CP932. */
static char *from_cp932(const char *raw) {
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1) return NULL;
    size_t inleft = strlen(raw), cap = inleft * 3 + 1, outleft = cap - 1;
    char *out = malloc(cap), *in = (char *)raw, *o = out;
    bool ok = out != NULL;
    if (ok && iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) ok = false;
    iconv_close(cd);
    if (!ok) {
        free(out);
        return NULL;
    }
    *o = '\0';
    return out;
}

/* A name for messages: control bytes (and, for undecodable raw bytes, every
 * non-ASCII byte) as \xHH. */
static char *escaped(const char *s, bool keep_utf8) {
    size_t n = strlen(s);
    char *d = malloc(n * 4 + 1), *w = d;
    if (!d) return NULL;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 0x20 && *c < 0x7F) || (keep_utf8 && *c >= 0x80))
            *w++ = (char)*c;
        else
            w += sprintf(w, "\\x%02X", *c);
    }
    *w = '\0';
    return d;
}

bool tkg_zip_name_safe(const char *name, const char **reason) {
    const char *why = NULL;
    if (!name || !*name)
        why = "empty name";
    else if (name[0] == '/')
        why = "absolute path";
    else if (strchr(name, '\\'))
        why = "backslash in the name";
    else if (((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) &&
             name[1] == ':')
        why = "drive letter";
    for (const unsigned char *c = (const unsigned char *)name; !why && *c; c++)
        if (*c < 0x20 || *c == 0x7F) why = "control character in the name";
    for (const char *p = name; !why && p && *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') why = "\"..\" component";
        p = slash ? slash + 1 : NULL;
    }
    if (reason) *reason = why;
    return why == NULL;
}

/* Decodes entry i's name into e. False when out of memory. */
static bool decode_name(zip_t *z, zip_uint64_t i, zentry *e) {
    const char *raw = zip_get_name(z, i, ZIP_FL_ENC_RAW);
    if (!raw) raw = "";
    if (is_ascii(raw)) {
        e->name = dup_n(raw, strlen(raw));
        if (!e->name) return false;
    } else {
        /* libzip returns the raw bytes under ENC_STRICT only when the UTF-8 flag is set. */
        const char *strict = zip_get_name(z, i, ZIP_FL_ENC_STRICT);
        bool flagged = strict && !strcmp(strict, raw);
        if (valid_utf8((const unsigned char *)raw)) {
            e->name = dup_n(raw, strlen(raw));
            if (!e->name) return false;
        } else if (!flagged) {
            e->name = from_cp932(raw);
            if (e->name && !valid_utf8((const unsigned char *)e->name)) {
                free(e->name);
                e->name = NULL;
            }
        }
    }
    if (!e->name)
        e->unsafe = "name neither UTF-8 nor CP932";
    else
        tkg_zip_name_safe(e->name, &e->unsafe);
    e->display =
        e->name && !e->unsafe ? e->name : escaped(e->name ? e->name : raw, e->name != NULL);
    return e->display != NULL;
}

tkg_zip *tkg_zip_open(const char *path, const tkg_zip_limits *lim, bool refuse_unsafe,
                      tkg_zip_error *code, uint64_t *nentries, char *err, size_t errlen) {
    *code = TKG_ZIP_OK;
    if (nentries) *nentries = 0;
    int zerr = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        put(err, errlen, "%s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        *code = TKG_ZIP_E_OPEN;
        return NULL;
    }
    zip_int64_t n = zip_get_num_entries(zip, 0);
    if (n >= 0 && nentries) *nentries = (uint64_t)n;
    if (n < 0 || (uint64_t)n > lim->max_entries) {
        put(err, errlen, "too many zip entries (%lld, at most %llu)", (long long)n,
            (unsigned long long)lim->max_entries);
        *code = TKG_ZIP_E_COUNT;
        zip_discard(zip);
        return NULL;
    }
    tkg_zip *z = calloc(1, sizeof *z);
    zentry *es = calloc((size_t)n + 1, sizeof *es);
    if (!z || !es) {
        free(z);
        free(es);
        zip_discard(zip);
        *code = TKG_ZIP_E_NOMEM;
        put(err, errlen, "out of memory");
        return NULL;
    }
    z->zip = zip;
    z->lim = *lim;
    z->entries = es;
    for (zip_int64_t i = 0; i < n; i++) {
        z->n = (size_t)i + 1;
        if (!decode_name(zip, (zip_uint64_t)i, &es[i])) {
            *code = TKG_ZIP_E_NOMEM;
            put(err, errlen, "out of memory");
            tkg_zip_close(z);
            return NULL;
        }
        if (refuse_unsafe && es[i].unsafe) {
            *code = TKG_ZIP_E_NAME;
            put(err, errlen, "unsafe zip entry name \"%s\" (%s)", es[i].display, es[i].unsafe);
            tkg_zip_close(z);
            return NULL;
        }
    }
    return z;
}

void tkg_zip_close(tkg_zip *z) {
    if (!z) return;
    for (size_t i = 0; i < z->n; i++) {
        if (z->entries[i].display != z->entries[i].name) free(z->entries[i].display);
        free(z->entries[i].name);
    }
    free(z->entries);
    if (z->zip) zip_discard(z->zip);
    free(z);
}

size_t tkg_zip_count(const tkg_zip *z) {
    return z ? z->n : 0;
}

const char *tkg_zip_name(const tkg_zip *z, size_t i) {
    return z && i < z->n ? z->entries[i].name : NULL;
}

const char *tkg_zip_display_name(const tkg_zip *z, size_t i) {
    return z && i < z->n ? z->entries[i].display : NULL;
}

bool tkg_zip_safe(const tkg_zip *z, size_t i) {
    return z && i < z->n && !z->entries[i].unsafe;
}

const char *tkg_zip_unsafe_reason(const tkg_zip *z, size_t i) {
    return z && i < z->n ? z->entries[i].unsafe : NULL;
}

bool tkg_zip_is_dir(const tkg_zip *z, size_t i) {
    const char *n = tkg_zip_name(z, i);
    size_t len = n ? strlen(n) : 0;
    return len && n[len - 1] == '/';
}

long tkg_zip_find(const tkg_zip *z, const char *name) {
    for (size_t i = 0; z && i < z->n; i++)
        if (z->entries[i].name && !strcmp(z->entries[i].name, name)) return (long)i;
    return -1;
}

/* ---- entries ------------------------------------------------------------------ */

static bool over_ratio(const tkg_zip_limits *lim, uint64_t size, uint64_t comp) {
    return size > lim->ratio_from && size / lim->max_ratio > comp;
}

static void limit_message(char *err, size_t errlen, const char *name, tkg_zip_error code,
                          const tkg_zip_limits *lim) {
    if (code == TKG_ZIP_E_SIZE)
        put(err, errlen, "%s: larger than %llu MiB uncompressed", name,
            (unsigned long long)(lim->max_entry_bytes >> 20));
    else
        put(err, errlen, "%s: compression ratio above %u (a zip bomb?)", name, lim->max_ratio);
}

tkg_zip_entry *tkg_zip_entry_open(tkg_zip *z, size_t i, tkg_zip_error *code, char *err,
                                  size_t errlen) {
    *code = TKG_ZIP_OK;
    if (!z || i >= z->n) {
        *code = TKG_ZIP_E_MISSING;
        put(err, errlen, "no such entry");
        return NULL;
    }
    const char *name = z->entries[i].display;
    if (z->entries[i].unsafe) {
        *code = TKG_ZIP_E_NAME;
        put(err, errlen, "unsafe zip entry name \"%s\" (%s)", name, z->entries[i].unsafe);
        return NULL;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->zip, (zip_uint64_t)i, 0, &st) != 0) {
        *code = TKG_ZIP_E_OPEN;
        put(err, errlen, "%s: cannot be read: %s", name, zip_strerror(z->zip));
        return NULL;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        *code = TKG_ZIP_E_ENCRYPTED;
        put(err, errlen, "%s: encrypted", name);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > z->lim.max_entry_bytes) {
        *code = TKG_ZIP_E_SIZE;
        limit_message(err, errlen, name, *code, &z->lim);
        return NULL;
    }
    uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if ((st.valid & ZIP_STAT_SIZE) && over_ratio(&z->lim, st.size, comp)) {
        *code = TKG_ZIP_E_RATIO;
        limit_message(err, errlen, name, *code, &z->lim);
        return NULL;
    }
    tkg_zip_entry *e = calloc(1, sizeof *e);
    if (!e) {
        *code = TKG_ZIP_E_NOMEM;
        put(err, errlen, "out of memory");
        return NULL;
    }
    e->zf = zip_fopen_index(z->zip, (zip_uint64_t)i, 0);
    if (!e->zf) {
        *code = TKG_ZIP_E_OPEN;
        put(err, errlen, "%s: cannot be opened: %s", name, zip_strerror(z->zip));
        free(e);
        return NULL;
    }
    e->name = name;
    e->comp = comp;
    e->lim = z->lim;
    return e;
}

long long tkg_zip_entry_read(tkg_zip_entry *e, void *buf, size_t len, tkg_zip_error *code,
                             char *err, size_t errlen) {
    *code = TKG_ZIP_OK;
    if (!e || !e->zf) {
        *code = TKG_ZIP_E_OPEN;
        put(err, errlen, "entry not open");
        return -1;
    }
    zip_int64_t n = zip_fread(e->zf, buf, (zip_uint64_t)len);
    if (n < 0) {
        *code = TKG_ZIP_E_OPEN;
        put(err, errlen, "%s: cannot be read: %s", e->name, zip_file_strerror(e->zf));
        return -1;
    }
    e->got += (uint64_t)n;
    if (e->got > e->lim.max_entry_bytes)
        *code = TKG_ZIP_E_SIZE;
    else if (over_ratio(&e->lim, e->got, e->comp))
        *code = TKG_ZIP_E_RATIO;
    if (*code != TKG_ZIP_OK) {
        limit_message(err, errlen, e->name, *code, &e->lim);
        return -1;
    }
    return (long long)n;
}

void tkg_zip_entry_close(tkg_zip_entry *e) {
    if (!e) return;
    if (e->zf) zip_fclose(e->zf);
    free(e);
}

/* ---- member paths ------------------------------------------------------------- */

const char *tkg_zip_member_sep(const char *path) {
    for (const char *p = strstr(path, "!/"); p; p = strstr(p + 1, "!/")) {
        size_t k = (size_t)(p - path);
        if (k >= 4 && path[k - 4] == '.' && (path[k - 3] | 0x20) == 'z' &&
            (path[k - 2] | 0x20) == 'i' && (path[k - 1] | 0x20) == 'p')
            return p;
    }
    return NULL;
}

bool tkg_zip_member_sha256(const char *member_path, char hex[65]) {
    const char *sep = tkg_zip_member_sep(member_path);
    if (!sep) return false;
    char *zpath = dup_n(member_path, (size_t)(sep - member_path));
    if (!zpath) return false;
    static const tkg_zip_limits lim = {TKG_ZIP_PKG_MAX_ENTRIES, TKG_ZIP_PKG_MAX_ENTRY_BYTES,
                                       TKG_ZIP_PKG_RATIO_FROM, TKG_ZIP_PKG_MAX_RATIO};
    tkg_zip_error code;
    char err[256];
    tkg_zip *z = tkg_zip_open(zpath, &lim, false, &code, NULL, err, sizeof err);
    free(zpath);
    long idx = z ? tkg_zip_find(z, sep + 2) : -1;
    tkg_zip_entry *e = idx >= 0 ? tkg_zip_entry_open(z, (size_t)idx, &code, err, sizeof err) : NULL;
    EVP_MD_CTX *md = e ? EVP_MD_CTX_new() : NULL;
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    char *buf = ok ? malloc(1 << 16) : NULL;
    long long n = 0;
    while (buf && (n = tkg_zip_entry_read(e, buf, 1 << 16, &code, err, sizeof err)) > 0)
        EVP_DigestUpdate(md, buf, (size_t)n);
    ok = buf && n == 0;
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    if (ok) ok = EVP_DigestFinal_ex(md, d, &dl) && dl == 32;
    for (unsigned i = 0; ok && i < dl; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    free(buf);
    EVP_MD_CTX_free(md);
    tkg_zip_entry_close(e);
    tkg_zip_close(z);
    return ok;
}
