/* import.c — `tekigo import`: reads an official Excel specification through
 * xlsx_sheet.h into memory and transcribes it into a profile (docs/import.md).
 * This file holds the public tkg_import_* API, reading the workbook, and the
 * shared helpers of import.h; the layouts are import_items.c (基本データリスト /
 * 項目定義書 and コード一覧) and import_api.c (API specification). */
#include "import.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "profile.h"
#include "util.h"
#include "xlsx_sheet.h"

/* ---- problems and cells ---------------------------------------------------------- */

void imp_problem(tkg_import *im, bool error, const char *fmt, ...) {
    if (error)
        im->nerrors++;
    else
        im->nwarnings++;
    if (im->nproblems >= IMP_MAX_PROBLEMS) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **p = realloc(im->problems, (im->nproblems + 1) * sizeof *p);
    if (!p) return;
    im->problems = p;
    bool *e = realloc(im->is_error, (im->nproblems + 1) * sizeof *e);
    if (!e) return;
    im->is_error = e;
    if (!(p[im->nproblems] = tkg_strdup(buf))) return;
    e[im->nproblems++] = error;
}

const imp_row *imp_row_of(const imp_sheet *s, uint32_t row) {
    size_t lo = 0, hi = s->nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->rows[mid].row == row) return &s->rows[mid];
        if (s->rows[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *imp_text(const imp_sheet *s, uint32_t row, uint32_t col) {
    const imp_row *r = imp_row_of(s, row);
    for (size_t i = 0; r && i < r->n; i++)
        if (s->cells[r->first + i].col == col) return s->cells[r->first + i].text;
    return NULL;
}

void imp_ref(uint32_t col, uint32_t row, char out[16]) {
    char letters[4];
    int n = 0;
    while (col && n < 3) {
        letters[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    int k = 0;
    while (n)
        out[k++] = letters[--n];
    snprintf(out + k, (size_t)(16 - k), "%u", (unsigned)row);
}

/* ---- text helpers ------------------------------------------------------------------ */

/* Decodes one UTF-8 sequence at s (valid UTF-8 from xlsx_sheet); *len gets its size. */
static unsigned cp_at(const unsigned char *s, size_t *len) {
    if (s[0] < 0x80) return *len = 1, s[0];
    if ((s[0] & 0xE0) == 0xC0 && s[1])
        return *len = 2, (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2])
        return *len = 3,
               (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3])
        return *len = 4, (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
                             (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    return *len = 1, 0xFFFD;
}

/* White space as Python's str.isspace() sees it. */
static bool is_space_cp(unsigned c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

void imp_norm(const char *in, char *out, size_t outlen) {
    size_t w = 0;
    for (const unsigned char *s = (const unsigned char *)(in ? in : ""); *s;) {
        size_t len;
        unsigned c = cp_at(s, &len);
        if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0; /* full-width ASCII */
        if (is_space_cp(c) || c == '_' || c == 0x30FB /* ・ */) {
            s += len;
            continue;
        }
        if (c < 0x80) {
            if (w + 1 < outlen) out[w++] = (char)toupper((int)c);
        } else if (w + len < outlen) {
            memcpy(out + w, s, len);
            w += len;
        }
        s += len;
    }
    if (outlen) out[w < outlen ? w : outlen - 1] = '\0';
}

char *imp_strip(const char *s) {
    const unsigned char *b = (const unsigned char *)(s ? s : ""), *e = b + strlen((const char *)b);
    size_t len;
    while (*b && is_space_cp(cp_at(b, &len)))
        b += len;
    /* Trailing: step back over whole sequences. */
    while (e > b) {
        const unsigned char *p = e - 1;
        while (p > b && (*p & 0xC0) == 0x80)
            p--;
        if (!is_space_cp(cp_at(p, &len))) break;
        e = p;
    }
    char *d = malloc((size_t)(e - b) + 1);
    if (!d) return NULL;
    memcpy(d, b, (size_t)(e - b));
    d[e - b] = '\0';
    return d;
}

json_t *imp_json_text(const char *s) {
    if (!s) return NULL;
    char *t = imp_strip(s);
    json_t *j = t && *t ? json_string(t) : NULL;
    free(t);
    return j;
}

const char *imp_type(const char *text) {
    static const char *const TYPES[] = {"X", "N", "9", "9V", "S9", "BLOB", "YEAR", "DATE", "TIME"};
    char n[32];
    imp_norm(text, n, sizeof n);
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (!strcmp(n, TYPES[i])) return TYPES[i];
    return NULL;
}

bool imp_mark(const char *text, bool *unknown) {
    *unknown = false;
    char *t = imp_strip(text);
    bool yes = false;
    if (t && *t) {
        if (!strcmp(t, "○") || !strcmp(t, "〇") || !strcmp(t, "◯"))
            yes = true;
        else if (strcmp(t, "-") && strcmp(t, "－") && strcmp(t, "×") && strcmp(t, "‐"))
            *unknown = true;
    }
    free(t);
    return yes;
}

bool imp_uint(const char *text, unsigned long *out) {
    char n[64];
    imp_norm(text, n, sizeof n);
    size_t len = strlen(n);
    if (len > 2 && !strcmp(n + len - 2, ".0")) n[len -= 2] = '\0';
    if (!len || len > 9) return false;
    unsigned long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)n[i])) return false;
        v = v * 10 + (unsigned long)(n[i] - '0');
    }
    *out = v;
    return true;
}

char *imp_condition(const char *text) {
    const char *m = text ? strstr(text, "※※") : NULL;
    return m ? imp_strip(m + strlen("※※")) : NULL;
}

bool imp_version_in(const char *text, char *out, size_t outlen) {
    const char *p = text ? strstr(text, "第") : NULL;
    for (; p; p = strstr(p + 1, "第")) {
        char buf[32];
        size_t w = 0;
        const unsigned char *s = (const unsigned char *)p + strlen("第");
        for (;;) {
            size_t len;
            unsigned c = cp_at(s, &len);
            if (c >= 0xFF10 && c <= 0xFF19) c -= 0xFEE0;
            if (c == 0xFF0E) c = '.';
            if (!((c >= '0' && c <= '9') || c == '.') || w + 1 >= sizeof buf) break;
            buf[w++] = (char)c;
            s += len;
        }
        buf[w] = '\0';
        if (w && isdigit((unsigned char)buf[0]) && !strncmp((const char *)s, "版", strlen("版"))) {
            snprintf(out, outlen, "%s", buf);
            return true;
        }
    }
    return false;
}

typedef struct {
    const char *business, *purpose;
    char *id;
} bundled_ctx;

static void bundled_one(void *ctx, const tkg_profile *p) {
    bundled_ctx *b = ctx;
    if (b->id || !p->business || strcmp(p->business, b->business)) return;
    if (strcmp(p->purpose ? p->purpose : "data-export", b->purpose)) return;
    b->id = tkg_strdup(p->id);
}

char *imp_bundled_id(const char *business, const char *purpose) {
    bundled_ctx b = {business, purpose, NULL};
    tkg_profiles_list(bundled_one, &b);
    return b.id;
}

/* ---- reading the workbook --------------------------------------------------------- */

typedef struct {
    tkg_import *im;
    imp_sheet *s;
    bool too_big;
} load_ctx;

static int load_row(void *ctx, uint32_t row, const tkg_cell *cells, size_t n) {
    load_ctx *lc = ctx;
    imp_sheet *s = lc->s;
    tkg_import *im = lc->im;
    if (im->ncells + n > IMP_MAX_CELLS) {
        lc->too_big = true;
        return 1;
    }
    if (s->nrows == s->rcap) {
        size_t cap = s->rcap ? s->rcap * 2 : 64;
        imp_row *r = realloc(s->rows, cap * sizeof *r);
        if (!r) return lc->too_big = true, 1;
        s->rows = r;
        s->rcap = cap;
    }
    if (s->ncells + n > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->ncells + n)
            cap *= 2;
        imp_cell *c = realloc(s->cells, cap * sizeof *c);
        if (!c) return lc->too_big = true, 1;
        s->cells = c;
        s->cap = cap;
    }
    /* Rows come in sheet order; a repeated row number would break the lookup. */
    if (s->nrows && s->rows[s->nrows - 1].row >= row) return 0;
    imp_row *r = &s->rows[s->nrows++];
    r->row = row;
    r->first = s->ncells;
    r->n = 0;
    for (size_t i = 0; i < n; i++) {
        im->text_bytes += cells[i].len + 1;
        if (im->text_bytes > IMP_MAX_TEXT) return lc->too_big = true, 1;
        char *t = malloc(cells[i].len + 1);
        if (!t) return lc->too_big = true, 1;
        memcpy(t, cells[i].text, cells[i].len + 1);
        s->cells[s->ncells++] = (imp_cell){cells[i].row, cells[i].col, t};
        r->n++;
        im->ncells++;
    }
    return 0;
}

static bool load_sheets(tkg_import *im, tkg_workbook *wb, char *err, size_t errlen) {
    size_t n = tkg_workbook_nsheets(wb);
    im->sheets = calloc(n + 1, sizeof *im->sheets);
    if (!im->sheets) return snprintf(err, errlen, "out of memory"), false;
    for (size_t i = 0; i < n; i++) {
        imp_sheet *s = &im->sheets[im->nsheets++];
        s->name = tkg_strdup(tkg_workbook_sheet_name(wb, i));
        load_ctx lc = {im, s, false};
        char why[768];
        int rc = tkg_workbook_rows(wb, s->name, load_row, &lc, why, sizeof why);
        if (lc.too_big) {
            snprintf(err, errlen,
                     "%s: sheet \"%s\": more than %u cells or %zu MiB of text to import", im->path,
                     s->name, IMP_MAX_CELLS, IMP_MAX_TEXT >> 20);
            return false;
        }
        if (rc < 0) {
            snprintf(err, errlen, "%s: sheet \"%s\": %s", im->path, s->name, why);
            return false;
        }
    }
    return true;
}

/* ---- the public API ------------------------------------------------------------------ */

tkg_status tkg_import_workbook(const char *path, tkg_import **out, char *err, size_t errlen) {
    *out = NULL;
    if (err && errlen) err[0] = '\0';
    tkg_import *im = calloc(1, sizeof *im);
    if (!im) return TKG_E_NOMEM;
    im->path = tkg_strdup(path);
    im->base = tkg_strdup(tkg_basename(path));
    char why[768];
    tkg_workbook *wb = tkg_workbook_open(path, why, sizeof why);
    if (!wb || !im->path || !im->base) {
        /* Every message names the workbook. */
        if (!wb && err && errlen)
            snprintf(err, errlen, "%s%s%s", strncmp(why, path, strlen(path)) ? path : "",
                     strncmp(why, path, strlen(path)) ? ": " : "", why);
        tkg_workbook_free(wb);
        tkg_import_free(im);
        return wb ? TKG_E_NOMEM : TKG_E_IO;
    }
    bool ok = tkg_file_sha256(path, im->sha256) && load_sheets(im, wb, err, errlen);
    tkg_workbook_free(wb);
    if (!ok) {
        if (err && errlen && !err[0]) snprintf(err, errlen, "%s: cannot be read", path);
        tkg_import_free(im);
        return TKG_E_IO;
    }
    ok = imp_is_api(im) ? imp_import_api(im) : imp_import_items(im);
    if (!ok || !im->profile) {
        tkg_import_free(im);
        return TKG_E_NOMEM;
    }
    *out = im;
    return TKG_OK;
}

void tkg_import_free(tkg_import *im) {
    if (!im) return;
    for (size_t i = 0; i < im->nsheets; i++) {
        for (size_t k = 0; k < im->sheets[i].ncells; k++)
            free(im->sheets[i].cells[k].text);
        free(im->sheets[i].cells);
        free(im->sheets[i].rows);
        free(im->sheets[i].name);
    }
    free(im->sheets);
    for (size_t i = 0; i < im->nproblems; i++)
        free(im->problems[i]);
    free(im->problems);
    free(im->is_error);
    json_decref(im->profile);
    json_decref(im->codes);
    free(im->path);
    free(im->base);
    free(im);
}

size_t tkg_import_nproblems(const tkg_import *im) {
    return im ? im->nproblems : 0;
}

const char *tkg_import_problem(const tkg_import *im, size_t i, bool *is_error) {
    if (!im || i >= im->nproblems) return NULL;
    if (is_error) *is_error = im->is_error[i];
    return im->problems[i];
}

size_t tkg_import_nerrors(const tkg_import *im) {
    return im ? im->nerrors : 0;
}

const char *tkg_import_purpose(const tkg_import *im) {
    return im ? im->purpose : NULL;
}

bool tkg_import_has_codes(const tkg_import *im) {
    return im && im->codes;
}

static tkg_status dump(json_t *j, FILE *out) {
    if (json_dumpf(j, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', out) == EOF)
        return TKG_E_IO;
    return TKG_OK;
}

tkg_status tkg_import_write_profile(const tkg_import *im, const char *codes_ref, FILE *out) {
    if (!im || !im->profile) return TKG_E_USAGE;
    /* code_lists goes right after the source (and repertoire), as in the bundled profiles. */
    json_t *p = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(im->profile, key, v) {
        if (!strcmp(key, "groups") && codes_ref)
            json_object_set_new(p, "code_lists", json_pack("[s]", codes_ref));
        json_object_set(p, key, v);
    }
    tkg_status st = dump(p, out);
    json_decref(p);
    return st;
}

tkg_status tkg_import_write_codes(const tkg_import *im, FILE *out) {
    if (!im || !im->codes) return TKG_E_USAGE;
    return dump(im->codes, out);
}
