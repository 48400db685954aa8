/* xlsx_sheet.c — reads the cells of .xlsx workbooks with libxml2's streaming
 * reader over zip entries read through zipread.c, within the limits of
 * xlsx_sheet.h: package relationships → workbook → sheet list and shared
 * strings; then one worksheet's rows. */
#include "xlsx_sheet.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "zipread.h"

#define MAX_ENTRIES 100000
#define MAX_CELL_BYTES (1u << 20)
#define MAX_ROW_CELLS 16384
#define MAX_COL 16384u
#define MAX_ROW 1048576u
#define MAX_SHARED_STRINGS (4u << 20)
#define MAX_SHEETS 4096

typedef struct {
    char *data;
    size_t len, cap;
} sbuf;

static bool sbuf_add(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return false;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static char *dup_str(const char *s) {
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

static const tkg_zip_limits WORKBOOK_LIMITS = {MAX_ENTRIES, TKG_XLSX_MAX_ENTRY_BYTES,
                                               TKG_XLSX_RATIO_FROM, TKG_XLSX_MAX_RATIO};

struct tkg_workbook {
    tkg_zip *zip;
    char *path;
    char **names, **parts; /* sheet names and their worksheet part names */
    size_t nsheets;
    sbuf sst; /* shared strings, NUL-separated */
    size_t *sst_off;
    size_t nsst, sst_cap;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen || err[0]) return; /* keep the first message */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- zip entries, read through limits ------------------------------------- */

typedef struct {
    tkg_zip_entry *ze;
    const char *name;
    char tail[16];
    size_t ntail;
    char *err;
    size_t errlen;
} entry_in;

static bool find_bytes(const char *hay, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0) return true;
    return false;
}

/* True when the stream declares a DTD or entities (checked across chunk edges). */
static bool declares_dtd(entry_in *e, const char *buf, size_t n) {
    char joined[16 + 64];
    size_t head = n < 64 ? n : 64;
    memcpy(joined, e->tail, e->ntail);
    memcpy(joined + e->ntail, buf, head);
    bool bad = find_bytes(joined, e->ntail + head, "<!DOCTYPE") ||
               find_bytes(joined, e->ntail + head, "<!ENTITY") || find_bytes(buf, n, "<!DOCTYPE") ||
               find_bytes(buf, n, "<!ENTITY");
    size_t keep = n < 15 ? n : 15;
    if (n < 15) {
        size_t old = e->ntail + n > 15 ? e->ntail + n - 15 : 0;
        memmove(e->tail, e->tail + old, e->ntail - old);
        e->ntail -= old;
        memcpy(e->tail + e->ntail, buf, n);
        e->ntail += n;
    } else {
        memcpy(e->tail, buf + n - keep, keep);
        e->ntail = keep;
    }
    return bad;
}

static int entry_read(void *ctx, char *buf, int len) {
    entry_in *e = ctx;
    if (!e->ze || len < 0) return -1;
    tkg_zip_error code;
    char msg[512];
    long long n = tkg_zip_entry_read(e->ze, buf, (size_t)len, &code, msg, sizeof msg);
    if (n < 0) {
        set_err(e->err, e->errlen, "%s", msg);
        return -1;
    }
    if (declares_dtd(e, buf, (size_t)n)) {
        set_err(e->err, e->errlen, "%s: a DTD or entity declaration is not allowed", e->name);
        return -1;
    }
    return (int)n;
}

static int entry_close(void *ctx) {
    entry_in *e = ctx;
    tkg_zip_entry_close(e->ze);
    e->ze = NULL;
    return 0;
}

typedef struct {
    char *err;
    size_t errlen;
    const char *name;
} xml_err_ctx;

static void xml_error(void *arg, xmlErrorPtr error) {
    xml_err_ctx *c = arg;
    if (!error || error->level < XML_ERR_ERROR) return;
    char msg[256];
    snprintf(msg, sizeof msg, "%s", error->message ? error->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    set_err(c->err, c->errlen, "%s: line %d: %s", c->name, error->line, msg);
}

typedef struct {
    entry_in in;
    xml_err_ctx ec;
    xmlTextReaderPtr r;
} xml_stream;

/* Opens entry `name` as a streaming XML reader. False with err filled. */
static bool stream_open(tkg_workbook *wb, const char *name, xml_stream *s, char *err,
                        size_t errlen) {
    memset(s, 0, sizeof *s);
    long idx = tkg_zip_find(wb->zip, name);
    if (idx < 0) {
        set_err(err, errlen, "%s: missing from the workbook", name);
        return false;
    }
    tkg_zip_error code;
    char msg[512];
    s->in.ze = tkg_zip_entry_open(wb->zip, (size_t)idx, &code, msg, sizeof msg);
    if (!s->in.ze) {
        set_err(err, errlen, "%s", msg);
        return false;
    }
    s->in.name = name;
    s->in.err = err;
    s->in.errlen = errlen;
    s->ec = (xml_err_ctx){err, errlen, name};
    s->r = xmlReaderForIO(entry_read, entry_close, &s->in, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!s->r) {
        entry_close(&s->in);
        set_err(err, errlen, "%s: cannot be parsed", name);
        return false;
    }
    xmlTextReaderSetStructuredErrorHandler(s->r, xml_error, &s->ec);
    return true;
}

static void stream_close(xml_stream *s) {
    if (s->r) xmlFreeTextReader(s->r);
    s->r = NULL;
    entry_close(&s->in);
}

/* Reads the next node; 1 = a node, 0 = end, -1 = error (err filled). */
static int stream_next(xml_stream *s) {
    int rc = xmlTextReaderRead(s->r);
    if (rc < 0) set_err(s->ec.err, s->ec.errlen, "%s: malformed XML", s->in.name);
    return rc;
}

static bool is_element(xmlTextReaderPtr r, const char *local) {
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && strcmp((const char *)n, local) == 0;
}

/* Attribute by local name, in any namespace (malloc'd) or NULL. */
static char *attr_any(xmlTextReaderPtr r, const char *local, bool want_ns) {
    char *val = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) != 1) return NULL;
    do {
        const xmlChar *ln = xmlTextReaderConstLocalName(r);
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);
        if (ln && !strcmp((const char *)ln, local) && (want_ns ? ns != NULL : ns == NULL)) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            val = dup_str(v ? (const char *)v : "");
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return val;
}

/* ---- part names ----------------------------------------------------------- */

/* Resolves a relationship target against the directory of the source part
 * ("xl/workbook.xml" + "worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml").
 * NULL when it leaves the package. */
static char *resolve_target(const char *source_part, const char *target) {
    sbuf out = {0};
    char *work;
    if (target[0] == '/') {
        work = dup_str(target + 1);
    } else {
        const char *slash = strrchr(source_part, '/');
        size_t dlen = slash ? (size_t)(slash - source_part + 1) : 0;
        work = malloc(dlen + strlen(target) + 1);
        if (work) {
            memcpy(work, source_part, dlen);
            strcpy(work + dlen, target);
        }
    }
    if (!work) return NULL;
    char *parts[256];
    size_t np = 0;
    bool ok = true;
    for (char *tok = strtok(work, "/"); tok && ok; tok = strtok(NULL, "/")) {
        if (!strcmp(tok, ".")) continue;
        if (!strcmp(tok, "..")) {
            if (np == 0)
                ok = false;
            else
                np--;
            continue;
        }
        if (np == 256)
            ok = false;
        else
            parts[np++] = tok;
    }
    for (size_t i = 0; ok && i < np; i++)
        ok = sbuf_add(&out, "/", i ? 1 : 0) && sbuf_add(&out, parts[i], strlen(parts[i]));
    free(work);
    if (!ok || np == 0) {
        free(out.data);
        return NULL;
    }
    return out.data;
}

/* The .rels part of a part: "xl/workbook.xml" → "xl/_rels/workbook.xml.rels". */
static char *rels_of(const char *part) {
    const char *slash = strrchr(part, '/');
    size_t dlen = slash ? (size_t)(slash - part + 1) : 0;
    const char *base = part + dlen;
    char *r = malloc(dlen + strlen("_rels/") + strlen(base) + strlen(".rels") + 1);
    if (!r) return NULL;
    memcpy(r, part, dlen);
    sprintf(r + dlen, "_rels/%s.rels", base);
    return r;
}

typedef struct {
    char *id, *type, *target;
} rel;

static void rels_free(rel *rs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(rs[i].id);
        free(rs[i].type);
        free(rs[i].target);
    }
    free(rs);
}

/* Reads a .rels part. A missing part is no error (*n = 0). */
static bool read_rels(tkg_workbook *wb, const char *part, rel **out, size_t *n, char *err,
                      size_t errlen) {
    *out = NULL;
    *n = 0;
    if (tkg_zip_find(wb->zip, part) < 0) return true;
    xml_stream s;
    if (!stream_open(wb, part, &s, err, errlen)) return false;
    size_t cap = 0;
    int rc;
    bool ok = true;
    while (ok && (rc = stream_next(&s)) == 1) {
        if (xmlTextReaderNodeType(s.r) != XML_READER_TYPE_ELEMENT ||
            !is_element(s.r, "Relationship"))
            continue;
        char *mode = attr_any(s.r, "TargetMode", false);
        bool external = mode && !strcmp(mode, "External");
        free(mode);
        if (external) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            rel *nr = cap > 100000 ? NULL : realloc(*out, cap * sizeof *nr);
            if (!nr) {
                set_err(err, errlen, "%s: too many relationships", part);
                ok = false;
                break;
            }
            *out = nr;
        }
        rel *x = &(*out)[(*n)++];
        x->id = attr_any(s.r, "Id", false);
        x->type = attr_any(s.r, "Type", false);
        x->target = attr_any(s.r, "Target", false);
        if (!x->id || !x->type || !x->target) {
            set_err(err, errlen, "%s: a relationship lacks Id, Type or Target", part);
            ok = false;
        }
    }
    if (ok && rc < 0) ok = false;
    stream_close(&s);
    if (!ok) {
        rels_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return ok;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* ---- _xHHHH_ escapes ------------------------------------------------------ */

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes Excel's _xHHHH_ escapes in place (text[start..len)); returns the new length. */
static size_t decode_escapes(char *text, size_t start, size_t len) {
    size_t w = start;
    for (size_t i = start; i < len;) {
        if (i + 7 <= len && text[i] == '_' && text[i + 1] == 'x' && text[i + 6] == '_') {
            int h[4] = {hexval(text[i + 2]), hexval(text[i + 3]), hexval(text[i + 4]),
                        hexval(text[i + 5])};
            if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0) {
                unsigned cp = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
                if (cp && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    if (cp < 0x80) {
                        text[w++] = (char)cp;
                    } else if (cp < 0x800) {
                        text[w++] = (char)(0xC0 | cp >> 6);
                        text[w++] = (char)(0x80 | (cp & 0x3F));
                    } else {
                        text[w++] = (char)(0xE0 | cp >> 12);
                        text[w++] = (char)(0x80 | (cp >> 6 & 0x3F));
                        text[w++] = (char)(0x80 | (cp & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        text[w++] = text[i++];
    }
    text[w] = '\0';
    return w;
}

/* ---- shared strings ------------------------------------------------------- */

static bool add_text(xml_stream *s, sbuf *b, size_t start, const char *what) {
    const xmlChar *v = xmlTextReaderConstValue(s->r);
    if (!v) return true;
    size_t n = strlen((const char *)v);
    if (b->len - start + n > MAX_CELL_BYTES) {
        set_err(s->ec.err, s->ec.errlen, "%s: %s longer than %u bytes", s->in.name, what,
                MAX_CELL_BYTES);
        return false;
    }
    return sbuf_add(b, (const char *)v, n);
}

static bool read_shared_strings(tkg_workbook *wb, const char *part, char *err, size_t errlen) {
    xml_stream s;
    if (!stream_open(wb, part, &s, err, errlen)) return false;
    int rc, rph = 0;
    bool in_si = false, in_t = false, ok = true;
    size_t start = 0;
    while (ok && (rc = stream_next(&s)) == 1) {
        int type = xmlTextReaderNodeType(s.r);
        bool empty = xmlTextReaderIsEmptyElement(s.r) == 1;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (is_element(s.r, "si")) {
                if (wb->nsst == wb->sst_cap) {
                    size_t cap = wb->sst_cap ? wb->sst_cap * 2 : 256;
                    size_t *no =
                        cap > MAX_SHARED_STRINGS ? NULL : realloc(wb->sst_off, cap * sizeof *no);
                    if (!no) {
                        set_err(err, errlen, "%s: more than %u shared strings", part,
                                MAX_SHARED_STRINGS);
                        ok = false;
                        break;
                    }
                    wb->sst_off = no;
                    wb->sst_cap = cap;
                }
                start = wb->sst.len;
                wb->sst_off[wb->nsst++] = start;
                in_si = !empty;
                ok = sbuf_add(&wb->sst, "", 0); /* data is never NULL below */
                if (ok && empty) ok = sbuf_add(&wb->sst, "\0", 1);
            } else if (is_element(s.r, "rPh") && !empty) {
                rph++;
            } else if (is_element(s.r, "t") && in_si && !rph && !empty) {
                in_t = true;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (is_element(s.r, "t")) {
                in_t = false;
            } else if (is_element(s.r, "rPh")) {
                if (rph) rph--;
            } else if (is_element(s.r, "si") && in_si) {
                in_si = false;
                wb->sst.len = decode_escapes(wb->sst.data, start, wb->sst.len);
                ok = sbuf_add(&wb->sst, "\0", 1);
            }
        } else if ((type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    type == XML_READER_TYPE_CDATA) &&
                   in_t) {
            ok = add_text(&s, &wb->sst, start, "a shared string");
        }
    }
    if (ok && rc < 0) ok = false;
    if (ok && in_si) {
        set_err(err, errlen, "%s: unterminated shared string", part);
        ok = false;
    }
    stream_close(&s);
    return ok;
}

/* ---- opening -------------------------------------------------------------- */

static bool read_sheet_list(tkg_workbook *wb, const char *wb_part, char *err, size_t errlen) {
    char *rels_part = rels_of(wb_part);
    rel *rels = NULL;
    size_t nrels = 0;
    bool ok = rels_part && read_rels(wb, rels_part, &rels, &nrels, err, errlen);
    free(rels_part);
    if (!ok) return false;
    xml_stream s;
    if (!stream_open(wb, wb_part, &s, err, errlen)) {
        rels_free(rels, nrels);
        return false;
    }
    int rc;
    size_t cap = 0;
    while (ok && (rc = stream_next(&s)) == 1) {
        if (xmlTextReaderNodeType(s.r) != XML_READER_TYPE_ELEMENT || !is_element(s.r, "sheet"))
            continue;
        char *name = attr_any(s.r, "name", false), *rid = attr_any(s.r, "id", true);
        const rel *target = NULL;
        for (size_t i = 0; rid && i < nrels; i++)
            if (!strcmp(rels[i].id, rid)) target = &rels[i];
        char *part = target ? resolve_target(wb_part, target->target) : NULL;
        if (!name || !part) {
            set_err(err, errlen, "%s: sheet \"%s\" has no worksheet part", wb_part,
                    name ? name : "?");
            ok = false;
        } else if (wb->nsheets == MAX_SHEETS) {
            set_err(err, errlen, "%s: more than %d sheets", wb_part, MAX_SHEETS);
            ok = false;
        } else {
            if (wb->nsheets == cap) {
                cap = cap ? cap * 2 : 8;
                char **nn = realloc(wb->names, cap * sizeof *nn);
                char **np = nn ? realloc(wb->parts, cap * sizeof *np) : NULL;
                if (nn) wb->names = nn;
                if (np) wb->parts = np;
                ok = nn && np;
            }
            if (ok) {
                wb->names[wb->nsheets] = name;
                wb->parts[wb->nsheets++] = part;
                name = part = NULL;
            }
        }
        free(name);
        free(part);
        free(rid);
    }
    if (ok && rc < 0) ok = false;
    stream_close(&s);
    for (size_t i = 0; ok && i < nrels; i++) {
        if (!ends_with(rels[i].type, "/sharedStrings")) continue;
        char *part = resolve_target(wb_part, rels[i].target);
        if (!part) {
            set_err(err, errlen, "%s: bad shared strings target", wb_part);
            ok = false;
        } else {
            ok = read_shared_strings(wb, part, err, errlen);
        }
        free(part);
        break;
    }
    rels_free(rels, nrels);
    return ok;
}

tkg_workbook *tkg_workbook_open(const char *path, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    xmlInitParser();
    tkg_workbook *wb = calloc(1, sizeof *wb);
    if (!wb) return NULL;
    tkg_zip_error code;
    char msg[512];
    /* Entry count and every entry name are checked here (zipread.c). */
    wb->zip = tkg_zip_open(path, &WORKBOOK_LIMITS, true, &code, NULL, msg, sizeof msg);
    if (!wb->zip) {
        if (code == TKG_ZIP_E_OPEN)
            set_err(err, errlen, "%s: not a readable .xlsx (zip): %s", path, msg);
        else
            set_err(err, errlen, "%s: %s", path, msg);
        free(wb);
        return NULL;
    }
    wb->path = dup_str(path);
    bool ok = wb->path != NULL;
    /* The main document: from the package relationships, else the usual place. */
    rel *rels = NULL;
    size_t nrels = 0;
    char *wb_part = NULL;
    if (ok) ok = read_rels(wb, "_rels/.rels", &rels, &nrels, err, errlen);
    for (size_t i = 0; ok && i < nrels && !wb_part; i++)
        if (ends_with(rels[i].type, "/officeDocument"))
            wb_part = resolve_target("", rels[i].target);
    rels_free(rels, nrels);
    if (ok && !wb_part) wb_part = dup_str("xl/workbook.xml");
    if (ok) ok = wb_part && read_sheet_list(wb, wb_part, err, errlen);
    free(wb_part);
    if (!ok) {
        set_err(err, errlen, "%s: not a readable .xlsx", path);
        tkg_workbook_free(wb);
        return NULL;
    }
    return wb;
}

void tkg_workbook_free(tkg_workbook *wb) {
    if (!wb) return;
    for (size_t i = 0; i < wb->nsheets; i++) {
        free(wb->names[i]);
        free(wb->parts[i]);
    }
    free(wb->names);
    free(wb->parts);
    free(wb->sst.data);
    free(wb->sst_off);
    tkg_zip_close(wb->zip);
    free(wb->path);
    free(wb);
}

size_t tkg_workbook_nsheets(const tkg_workbook *wb) {
    return wb ? wb->nsheets : 0;
}

const char *tkg_workbook_sheet_name(const tkg_workbook *wb, size_t i) {
    return wb && i < wb->nsheets ? wb->names[i] : NULL;
}

/* ---- rows ----------------------------------------------------------------- */

/* "AB12" → col 28, row 12. False when malformed or out of Excel's range. */
static bool parse_ref(const char *ref, uint32_t *col, uint32_t *row) {
    uint32_t c = 0, r = 0;
    size_t i = 0;
    while (ref[i] >= 'A' && ref[i] <= 'Z' && i < 3)
        c = c * 26 + (uint32_t)(ref[i++] - 'A' + 1);
    if (i == 0 || !(ref[i] >= '1' && ref[i] <= '9')) return false;
    size_t digits = 0;
    while (ref[i] >= '0' && ref[i] <= '9' && digits < 8) {
        r = r * 10 + (uint32_t)(ref[i++] - '0');
        digits++;
    }
    if (ref[i] || c > MAX_COL || r > MAX_ROW || r == 0) return false;
    *col = c;
    *row = r;
    return true;
}

static void make_ref(uint32_t col, uint32_t row, char out[16]) {
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

typedef struct {
    tkg_workbook *wb;
    xml_stream *s;
    char *err;
    size_t errlen;
    uint32_t row, next_col;
    /* the cell being read */
    uint32_t col, crow;
    char ctype[16];
    bool has_value;
    /* the row being built: texts in one buffer, cells by offset */
    sbuf text;
    tkg_cell *cells;
    size_t *offs;
    size_t ncells, cap;
} row_state;

static bool finish_cell(row_state *st, size_t start) {
    if (!st->has_value) {
        st->text.len = start;
        return true;
    }
    tkg_cell c = {0};
    c.col = st->col;
    c.row = st->crow;
    make_ref(c.col, c.row, c.ref);
    c.type = TKG_CELL_NUMBER;
    const char *t = st->ctype;
    char *val = st->text.data + start;
    if (!strcmp(t, "s")) {
        char *end;
        unsigned long idx = strtoul(val, &end, 10);
        if (end == val || *end || val[0] == '-' || idx >= st->wb->nsst) {
            set_err(st->err, st->errlen, "%s: cell %s: shared string index \"%s\" out of range",
                    st->s->in.name, c.ref, val);
            return false;
        }
        const char *ss = st->wb->sst.data + st->wb->sst_off[idx];
        st->text.len = start;
        if (!sbuf_add(&st->text, ss, strlen(ss))) return false;
        c.type = TKG_CELL_STRING;
    } else if (!strcmp(t, "inlineStr") || !strcmp(t, "str")) {
        st->text.len = decode_escapes(st->text.data, start, st->text.len);
        c.type = TKG_CELL_STRING;
    } else if (!strcmp(t, "b")) {
        bool truth = !strcmp(val, "1");
        st->text.len = start;
        if (!sbuf_add(&st->text, truth ? "TRUE" : "FALSE", truth ? 4 : 5)) return false;
        c.type = TKG_CELL_BOOL;
    } else if (!strcmp(t, "e")) {
        c.type = TKG_CELL_ERROR;
    }
    if (st->text.len == start) return true; /* an empty string is an empty cell */
    c.len = st->text.len - start;
    if (!sbuf_add(&st->text, "\0", 1)) return false;
    if (st->ncells == MAX_ROW_CELLS) {
        set_err(st->err, st->errlen, "%s: row %u has more than %d cells", st->s->in.name,
                (unsigned)st->row, MAX_ROW_CELLS);
        return false;
    }
    if (st->ncells == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 32;
        tkg_cell *nc = realloc(st->cells, cap * sizeof *nc);
        size_t *no = nc ? realloc(st->offs, cap * sizeof *no) : NULL;
        if (nc) st->cells = nc;
        if (!no) return false;
        st->offs = no;
        st->cap = cap;
    }
    st->offs[st->ncells] = start;
    st->cells[st->ncells++] = c;
    return true;
}

/* Hands the row to the callback; 0 go on, 1 stopped. */
static int deliver_row(row_state *st, tkg_workbook_row_fn fn, void *ctx) {
    if (!st->ncells) return 0;
    for (size_t i = 0; i < st->ncells; i++)
        st->cells[i].text = st->text.data + st->offs[i];
    int rc = fn(ctx, st->row, st->cells, st->ncells);
    st->ncells = 0;
    st->text.len = 0;
    return rc ? 1 : 0;
}

int tkg_workbook_rows(tkg_workbook *wb, const char *name, tkg_workbook_row_fn fn, void *ctx,
                      char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    size_t idx = 0;
    if (name) {
        for (idx = 0; idx < wb->nsheets; idx++)
            if (!strcmp(wb->names[idx], name)) break;
    }
    if (idx >= wb->nsheets) {
        set_err(err, errlen, "%s: no sheet \"%s\"", wb->path, name ? name : "(first)");
        return -1;
    }
    xml_stream s;
    if (!stream_open(wb, wb->parts[idx], &s, err, errlen)) return -1;
    row_state st = {0};
    st.wb = wb;
    st.s = &s;
    st.err = err;
    st.errlen = errlen;
    int rc, result = 0, rph = 0;
    bool in_c = false, in_v = false, in_t = false, in_is = false, in_data = false, ok = true;
    size_t start = 0;
    while (ok && result == 0 && (rc = stream_next(&s)) == 1) {
        int type = xmlTextReaderNodeType(s.r);
        bool empty = xmlTextReaderIsEmptyElement(s.r) == 1;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (is_element(s.r, "sheetData")) {
                in_data = !empty;
            } else if (!in_data) {
                continue;
            } else if (is_element(s.r, "row")) {
                result = deliver_row(&st, fn, ctx);
                char *r = attr_any(s.r, "r", false);
                char *end = NULL;
                unsigned long n = r ? strtoul(r, &end, 10) : 0;
                if (r && (end == r || *end || n == 0 || n > MAX_ROW)) {
                    set_err(err, errlen, "%s: bad row number \"%s\"", s.in.name, r);
                    ok = false;
                }
                st.row = r ? (uint32_t)n : st.row + 1;
                st.next_col = 1;
                free(r);
            } else if (is_element(s.r, "c")) {
                char *ref = attr_any(s.r, "r", false), *t = attr_any(s.r, "t", false);
                if (ref) {
                    if (!parse_ref(ref, &st.col, &st.crow)) {
                        set_err(err, errlen, "%s: bad cell reference \"%s\"", s.in.name, ref);
                        ok = false;
                    }
                } else {
                    st.col = st.next_col;
                    st.crow = st.row ? st.row : 1;
                    if (st.col > MAX_COL) {
                        set_err(err, errlen, "%s: row %u has too many columns", s.in.name,
                                (unsigned)st.crow);
                        ok = false;
                    }
                }
                st.next_col = st.col + 1;
                snprintf(st.ctype, sizeof st.ctype, "%s", t ? t : "n");
                free(ref);
                free(t);
                st.has_value = false;
                start = st.text.len;
                in_c = !empty;
                if (ok) ok = sbuf_add(&st.text, "", 0); /* data is never NULL below */
            } else if (in_c && is_element(s.r, "v")) {
                st.has_value = true;
                in_v = !empty;
            } else if (in_c && is_element(s.r, "is")) {
                st.has_value = true;
                in_is = !empty;
            } else if (in_c && is_element(s.r, "rPh") && !empty) {
                rph++;
            } else if (in_is && !rph && is_element(s.r, "t") && !empty) {
                in_t = true;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (is_element(s.r, "sheetData")) {
                in_data = false;
            } else if (!in_data) {
                continue;
            } else if (is_element(s.r, "v")) {
                in_v = false;
            } else if (is_element(s.r, "t")) {
                in_t = false;
            } else if (is_element(s.r, "rPh")) {
                if (rph) rph--;
            } else if (is_element(s.r, "is")) {
                in_is = false;
            } else if (is_element(s.r, "c") && in_c) {
                in_c = false;
                ok = finish_cell(&st, start);
            } else if (is_element(s.r, "row")) {
                result = deliver_row(&st, fn, ctx);
            }
        } else if ((type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    type == XML_READER_TYPE_CDATA) &&
                   (in_v || in_t)) {
            ok = add_text(&s, &st.text, start, "a cell");
        }
    }
    if (ok && result == 0 && rc < 0) ok = false;
    if (ok && result == 0) result = deliver_row(&st, fn, ctx);
    stream_close(&s);
    free(st.text.data);
    free(st.cells);
    free(st.offs);
    if (!ok) {
        set_err(err, errlen, "%s: cannot read sheet \"%s\"", wb->path, wb->names[idx]);
        return -1;
    }
    return result;
}
