/* coverage_decl.c — reads a vendor's declaration of implemented functions and
 * forms (docs/coverage.md) into entries: CSV (UTF-8, UTF-16 with BOM or CP932;
 * comma or tab), JSON (object or array form) and .xlsx (first sheet, through
 * xlsx_sheet.c). CSV and sheets share one table reader: the header row is the
 * first of the first 50 rows that names an ID column (機能ID, 帳票ID, or ID
 * with 区分) and a 実装有無 column; each later row gives one entry per filled
 * ID column. The format is told by the content, not by the file name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coverage.h"
#include "csv.h"
#include "moji.h"
#include "util.h"
#include "xlsx_sheet.h"

#define HEADER_SEARCH_ROWS 50
#define MAX_ID_COLUMNS 16

/* ---- text helpers --------------------------------------------------------- */

/* Copy of s without surrounding ASCII whitespace and U+3000. */
static char *trim_dup(const char *s) {
    size_t n = strlen(s), a = 0;
    for (;;) {
        if (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n'))
            a++;
        else if (a + 3 <= n && !memcmp(s + a, "\xE3\x80\x80", 3))
            a += 3;
        else
            break;
    }
    for (;;) {
        char c = n > a ? s[n - 1] : 'x';
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            n--;
        else if (n >= a + 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3))
            n -= 3;
        else
            break;
    }
    return tkg_strndup(s + a, n - a);
}

/* Header text made comparable: no whitespace at all, full-width ASCII made
 * ASCII, ASCII lower case ("機能ＩＤ" and "機能 ID" → "機能id"). */
static char *header_key(const char *s) {
    tkg_buf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = tkg_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000) {
            i += k;
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
        if (cp >= 'A' && cp <= 'Z') cp += 32;
        if (cp < 0x80) {
            char c = (char)cp;
            tkg_buf_append(&b, &c, 1);
        } else {
            tkg_buf_append(&b, p + i, k);
        }
        i += k;
    }
    return b.data ? b.data : tkg_strdup("");
}

static bool key_in(const char *key, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(key, *list)) return true;
    return false;
}

static const char *const FUNCTION_ID_KEYS[] = {"機能id", "function_id", "functionid", NULL};
static const char *const FORM_ID_KEYS[] = {"帳票id", "form_id", "formid", NULL};
static const char *const ID_KEYS[] = {"id", NULL};
static const char *const KIND_KEYS[] = {"区分", "kind", NULL};
static const char *const VALUE_KEYS[] = {"実装有無", "実装の有無", "implemented", NULL};
/* 実装有無 and the like, also with a note after it ("実装有無（○/×）"). */
static bool value_key(const char *key) {
    for (const char *const *v = VALUE_KEYS; *v; v++)
        if (!strncmp(key, *v, strlen(*v))) return true;
    return false;
}

static const char *const KIND_FUNCTION[] = {"機能", "機能要件", "function", NULL};
static const char *const KIND_FORM[] = {"帳票", "帳票要件", "form", NULL};

int tkg_decl_value(const char *s) {
    static const char *const YES[] = {"○", "〇", "◯",   "有", "あり", "有り",
                                      "1", "１", "yes", "y",  "true", NULL};
    static const char *const NO[] = {"",   "×",  "✕", "無",    "なし", "無し", "0",
                                     "０", "no", "n", "false", "-",    "－",   NULL};
    char *t = trim_dup(s);
    if (!t) return -1;
    for (char *c = t; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
    int v = key_in(t, YES) ? 1 : key_in(t, NO) ? 0 : -1;
    free(t);
    return v;
}

/* The ID as compared: trimmed, full-width digits made ASCII; a number from a
 * spreadsheet cell (Excel drops leading zeros) padded to 7 digits. */
static char *normalize_id(const char *s, bool numeric) {
    char *t = trim_dup(s);
    if (!t) return NULL;
    tkg_buf b = {0};
    for (size_t i = 0; t[i];) {
        if (!memcmp(t + i, "\xEF\xBC", 2) && (unsigned char)t[i + 2] >= 0x90 &&
            (unsigned char)t[i + 2] <= 0x99) { /* U+FF10–FF19 */
            char c = (char)('0' + (unsigned char)t[i + 2] - 0x90);
            tkg_buf_append(&b, &c, 1);
            i += 3;
        } else {
            tkg_buf_append(&b, t + i, 1);
            i++;
        }
    }
    free(t);
    char *id = b.data ? b.data : tkg_strdup("");
    if (numeric && id && *id && strlen(id) < 7 && strspn(id, "0123456789") == strlen(id)) {
        char padded[8];
        snprintf(padded, sizeof padded, "%07lu", strtoul(id, NULL, 10));
        free(id);
        id = tkg_strdup(padded);
    }
    return id;
}

static void set_unreadable(tkg_declaration *d, const char *msg) {
    if (!d->unreadable) d->unreadable = tkg_strdup(msg);
}

static bool add_entry(tkg_declaration *d, const tkg_decl_entry *e) {
    if (d->n == TKG_DECL_MAX_ENTRIES) {
        set_unreadable(d, d->en ? "more than 200000 entries" : "申告が 200000 件を超えています");
        return false;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        tkg_decl_entry *ne = realloc(d->entries, cap * sizeof *ne);
        if (!ne) return false;
        d->entries = ne;
        d->cap = cap;
    }
    d->entries[d->n++] = *e;
    return true;
}

void tkg_decl_free(tkg_declaration *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->entries[i].kind_text);
        free(d->entries[i].id);
        free(d->entries[i].value_text);
    }
    free(d->entries);
    free(d->unreadable);
    bool en = d->en;
    memset(d, 0, sizeof *d);
    d->en = en;
}

/* ---- the table reader (CSV and sheets) ------------------------------------ */

typedef struct {
    uint32_t col;
    const char *text;
    bool numeric;
} tcell;

typedef struct {
    tkg_declaration *d;
    bool en;
    bool have_header, failed;
    uint64_t rows_seen;
    uint32_t kind_col;
    struct {
        uint32_t col, value_col;
        int kind; /* 0 機能ID, 1 帳票ID, 2 ID (kind from 区分) */
    } ids[MAX_ID_COLUMNS];
    size_t nids;
} table;

static const tcell *cell_at(const tcell *cells, size_t n, uint32_t col) {
    for (size_t i = 0; i < n; i++)
        if (cells[i].col == col) return &cells[i];
    return NULL;
}

/* Tries the row as the header. 1 = it is; 0 = not a header; -1 = a header with a problem. */
static int try_header(table *t, const tcell *cells, size_t n) {
    uint32_t values[MAX_ID_COLUMNS];
    size_t nvalues = 0;
    t->nids = 0;
    t->kind_col = 0;
    bool generic = false;
    for (size_t i = 0; i < n; i++) {
        char *key = header_key(cells[i].text);
        if (!key) return -1;
        int kind = key_in(key, FUNCTION_ID_KEYS) ? 0
                   : key_in(key, FORM_ID_KEYS)   ? 1
                   : key_in(key, ID_KEYS)        ? 2
                                                 : -1;
        if (kind >= 0 && t->nids < MAX_ID_COLUMNS) {
            t->ids[t->nids].col = cells[i].col;
            t->ids[t->nids++].kind = kind;
            generic |= kind == 2;
        } else if (value_key(key) && nvalues < MAX_ID_COLUMNS) {
            values[nvalues++] = cells[i].col;
        } else if (key_in(key, KIND_KEYS) && !t->kind_col) {
            t->kind_col = cells[i].col;
        }
        free(key);
    }
    if (!t->nids || !nvalues) return 0;
    if (generic && !t->kind_col) {
        set_unreadable(t->d,
                       t->en ? "the header has an ID column but no 区分 column (機能 or 帳票)"
                             : "見出しに ID 列がありますが、区分（機能・帳票）の列がありません");
        return -1;
    }
    /* Pair each ID column with its 実装有無 column: the only one; else the first to
     * its right before the next ID column; else the last to its left after the previous. */
    for (size_t i = 0; i < t->nids; i++) {
        uint32_t c = t->ids[i].col, lo = 0, hi = UINT32_MAX, best = 0;
        for (size_t k = 0; k < t->nids; k++) {
            if (t->ids[k].col < c && t->ids[k].col > lo) lo = t->ids[k].col;
            if (t->ids[k].col > c && t->ids[k].col < hi) hi = t->ids[k].col;
        }
        if (nvalues == 1) best = values[0];
        for (size_t k = 0; !best && k < nvalues; k++)
            if (values[k] > c && values[k] < hi && (!best || values[k] < best)) best = values[k];
        for (size_t k = 0; !best && k < nvalues; k++)
            if (values[k] < c && values[k] > lo && values[k] > best) best = values[k];
        if (!best) {
            set_unreadable(
                t->d,
                t->en
                    ? "the header has several 実装有無 columns and one ID "
                      "column has none beside it"
                    : "見出しに 実装有無 列が複数あり、対応する 実装有無 列のない ID 列があります");
            return -1;
        }
        t->ids[i].value_col = best;
    }
    return 1;
}

/* One row of the table. False stops the reading (out of memory or unreadable). */
static bool table_row(table *t, uint64_t line, const tcell *cells, size_t n) {
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= cells[i].text[0] != '\0';
    if (!any) return true;
    if (!t->have_header) {
        int h = try_header(t, cells, n);
        if (h < 0) return false;
        if (h > 0) {
            t->have_header = true;
            return true;
        }
        if (++t->rows_seen >= HEADER_SEARCH_ROWS) {
            set_unreadable(t->d, t->en
                                     ? "no header row naming 機能ID, 帳票ID or ID (with 区分) and "
                                       "実装有無 in the first 50 rows"
                                     : "最初の50行に、機能ID・帳票ID・ID（区分付き）と 実装有無 "
                                       "を含む見出し行がありません");
            return false;
        }
        return true;
    }
    t->d->records++;
    for (size_t k = 0; k < t->nids; k++) {
        const tcell *idc = cell_at(cells, n, t->ids[k].col);
        if (!idc || !idc->text[0]) continue;
        const tcell *vc = cell_at(cells, n, t->ids[k].value_col);
        tkg_decl_entry e = {0};
        e.id = normalize_id(idc->text, idc->numeric);
        if (!e.id) return false;
        if (!e.id[0]) {
            free(e.id);
            continue;
        }
        e.kind = t->ids[k].kind == 1 ? TKG_DK_FORM : TKG_DK_FUNCTION;
        if (t->ids[k].kind == 2) {
            const tcell *kc = cell_at(cells, n, t->kind_col);
            char *key = header_key(kc ? kc->text : "");
            if (!key) {
                free(e.id);
                return false;
            }
            if (key_in(key, KIND_FUNCTION)) {
                e.kind = TKG_DK_FUNCTION;
            } else if (key_in(key, KIND_FORM)) {
                e.kind = TKG_DK_FORM;
            } else {
                e.kind = TKG_DK_BAD;
                e.kind_text = tkg_strdup(kc ? kc->text : "");
            }
            free(key);
        }
        e.value_text = tkg_strdup(vc ? vc->text : "");
        e.value = tkg_decl_value(vc ? vc->text : "");
        e.line = line;
        e.record = (int64_t)t->d->records;
        e.id_col = t->ids[k].col;
        e.value_col = t->ids[k].value_col;
        if (!e.value_text || !add_entry(t->d, &e)) {
            free(e.id);
            free(e.kind_text);
            free(e.value_text);
            return false;
        }
    }
    return true;
}

static void table_end(table *t) {
    if (!t->have_header && !t->failed)
        set_unreadable(
            t->d, t->en ? "no header row naming 機能ID, 帳票ID or ID (with 区分) and 実装有無"
                        : "機能ID・帳票ID・ID（区分付き）と 実装有無 を含む見出し行がありません");
}

/* ---- CSV ------------------------------------------------------------------ */

typedef struct {
    table t;
    tcell *cells;
    size_t cap;
} csv_ctx;

static void csv_record(void *ctx, const tkg_csv_record *rec) {
    csv_ctx *c = ctx;
    if (c->t.failed || c->t.d->unreadable) return;
    if (rec->nfields > c->cap) {
        tcell *nc = realloc(c->cells, rec->nfields * sizeof *nc);
        if (!nc) {
            c->t.failed = true;
            return;
        }
        c->cells = nc;
        c->cap = rec->nfields;
    }
    for (size_t i = 0; i < rec->nfields; i++)
        c->cells[i] = (tcell){(uint32_t)(i + 1), rec->fields[i].data, false};
    if (!table_row(&c->t, rec->line, c->cells, rec->nfields)) c->t.failed = true;
}

static void csv_issue(void *ctx, const tkg_csv_issue *is) {
    csv_ctx *c = ctx;
    const char *what = NULL;
    switch (is->kind) {
    case TKG_CSV_BAD_ENCODING:
        what = c->t.en ? "invalid byte sequence" : "不正なバイト列";
        break;
    case TKG_CSV_NUL_BYTE:
        what = c->t.en ? "NUL character" : "NUL文字";
        break;
    case TKG_CSV_UNTERMINATED_QUOTE:
        what = c->t.en ? "unterminated quoted field" : "引用符が閉じていません";
        break;
    case TKG_CSV_STRAY_QUOTE:
        what = c->t.en ? "quote inside an unquoted field" : "引用符の誤り";
        break;
    case TKG_CSV_TEXT_AFTER_QUOTE:
        what = c->t.en ? "text after a closing quote" : "閉じ引用符の後に文字があります";
        break;
    case TKG_CSV_FIELD_TOO_LONG:
        what = c->t.en ? "field too long" : "フィールドが長すぎます";
        break;
    case TKG_CSV_TOO_MANY_FIELDS:
        what = c->t.en ? "too many fields" : "フィールドが多すぎます";
        break;
    default:
        return; /* BOM, newline style and a missing final newline do not matter here */
    }
    char msg[160];
    snprintf(msg, sizeof msg, c->t.en ? "CSV line %llu: %s" : "CSV %llu 行目: %s",
             (unsigned long long)is->line, what);
    set_unreadable(c->t.d, msg);
}

static void read_csv(const unsigned char *buf, size_t n, bool en, tkg_declaration *d, bool *oom) {
    tkg_dialect dl = {0};
    dl.bom = TKG_BOM_OPTIONAL;
    dl.quote = '"';
    dl.newline = TKG_NL_ANY;
    dl.header = TKG_HDR_NONE;
    if (n >= 2 && buf[0] == 0xFF && buf[1] == 0xFE)
        dl.encoding = TKG_ENC_UTF16LE;
    else if (n >= 2 && buf[0] == 0xFE && buf[1] == 0xFF)
        dl.encoding = TKG_ENC_UTF16BE;
    else if (tkg_utf8_validate(buf, n) == n)
        dl.encoding = TKG_ENC_UTF8;
    else
        dl.encoding = TKG_ENC_CP932;
    /* Tab-separated when the first line has tabs and no comma. */
    size_t nl = 0;
    bool tab = false, comma = false;
    while (nl < n && buf[nl] != '\n') {
        tab |= buf[nl] == '\t';
        comma |= buf[nl] == ',';
        nl++;
    }
    dl.delimiter = tab && !comma ? '\t' : ',';
    csv_ctx c = {0};
    c.t.d = d;
    c.t.en = en;
    tkg_csv_callbacks cb = {csv_record, csv_issue, &c};
    tkg_csv_reader *r = tkg_csv_new(&dl, NULL, &cb);
    if (!r || tkg_csv_feed(r, buf, n) != 0 || tkg_csv_finish(r) != 0) *oom = true;
    tkg_csv_free(r);
    free(c.cells);
    if (c.t.failed && !d->unreadable) *oom = true;
    if (!*oom) table_end(&c.t);
}

/* ---- .xlsx ---------------------------------------------------------------- */

typedef struct {
    table t;
    tcell *cells;
    size_t cap;
} sheet_ctx;

static int sheet_row(void *ctx, uint32_t row, const tkg_cell *cells, size_t ncells) {
    sheet_ctx *c = ctx;
    if (ncells > c->cap) {
        tcell *nc = realloc(c->cells, ncells * sizeof *nc);
        if (!nc) {
            c->t.failed = true;
            return 1;
        }
        c->cells = nc;
        c->cap = ncells;
    }
    for (size_t i = 0; i < ncells; i++)
        c->cells[i] = (tcell){cells[i].col, cells[i].text, cells[i].type == TKG_CELL_NUMBER};
    if (!table_row(&c->t, row, c->cells, ncells)) {
        c->t.failed = true;
        return 1;
    }
    return 0;
}

static void read_xlsx(const char *path, bool en, tkg_declaration *d, bool *oom) {
    char err[512];
    tkg_workbook *wb = tkg_workbook_open(path, err, sizeof err);
    if (!wb) {
        set_unreadable(d, err);
        return;
    }
    sheet_ctx c = {0};
    c.t.d = d;
    c.t.en = en;
    int rc = tkg_workbook_rows(wb, NULL, sheet_row, &c, err, sizeof err);
    if (rc < 0)
        set_unreadable(d, err);
    else if (c.t.failed && !d->unreadable)
        *oom = true;
    else
        table_end(&c.t);
    free(c.cells);
    tkg_workbook_free(wb);
}

/* ---- JSON ----------------------------------------------------------------- */

static char *json_text(json_t *v) {
    if (json_is_string(v)) return tkg_strdup(json_string_value(v));
    if (!v || json_is_null(v)) return tkg_strdup("");
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    char *d = tkg_strdup(s ? s : "");
    free(s);
    return d;
}

static int json_value(json_t *v) {
    if (!v || json_is_null(v)) return 0;
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        return i == 1 ? 1 : i == 0 ? 0 : -1;
    }
    if (json_is_string(v)) return tkg_decl_value(json_string_value(v));
    return -1;
}

static json_t *get_any(json_t *o, const char *const *keys) {
    for (; *keys; keys++) {
        json_t *v = json_object_get(o, *keys);
        if (v) return v;
    }
    return NULL;
}

static const char *const J_ID[] = {"id", "ID", "機能ID", "帳票ID", NULL};
static const char *const J_KIND[] = {"kind", "区分", NULL};
static const char *const J_VALUE[] = {"implemented", "実装有無", NULL};

static bool json_entry(tkg_declaration *d, tkg_decl_kind kind, const char *kind_text, json_t *id,
                       json_t *value) {
    tkg_decl_entry e = {0};
    char *raw = json_text(id);
    e.id = raw ? normalize_id(raw, false) : NULL;
    free(raw);
    e.kind = kind;
    e.kind_text = kind_text ? tkg_strdup(kind_text) : NULL;
    e.value_text = json_text(value);
    e.value = json_value(value);
    e.record = -1;
    d->records++;
    if (!e.id || !e.value_text || (kind_text && !e.kind_text) || !add_entry(d, &e)) {
        free(e.id);
        free(e.kind_text);
        free(e.value_text);
        return false;
    }
    return true;
}

/* "functions" / "forms": {id: value}, [id, …] (listed = implemented) or [{id, implemented}, …]. */
static bool json_list(tkg_declaration *d, tkg_decl_kind kind, json_t *list, bool en) {
    const char *key;
    json_t *v;
    size_t i;
    json_t *yes = json_true();
    bool ok = true;
    if (json_is_object(list)) {
        json_object_foreach(list, key, v) {
            json_t *k = json_string(key);
            ok = k && json_entry(d, kind, NULL, k, v);
            json_decref(k);
            if (!ok) break;
        }
    } else if (json_is_array(list)) {
        json_array_foreach(list, i, v) {
            if (json_is_object(v))
                ok = json_entry(d, kind, NULL, get_any(v, J_ID), get_any(v, J_VALUE));
            else
                ok = json_entry(d, kind, NULL, v, yes);
            if (!ok) break;
        }
    } else {
        set_unreadable(d, en ? "\"functions\" and \"forms\" must be objects or arrays"
                             : "\"functions\" と \"forms\" はオブジェクトか配列です");
    }
    json_decref(yes);
    return ok;
}

static void read_json(const char *buf, size_t n, bool en, tkg_declaration *d, bool *oom) {
    json_error_t je;
    json_t *root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        char msg[400];
        snprintf(msg, sizeof msg, en ? "JSON line %d column %d: %s" : "JSON %d 行 %d 列: %s",
                 je.line, je.column, je.text);
        set_unreadable(d, msg);
        return;
    }
    bool ok = true;
    if (json_is_object(root)) {
        json_t *f = json_object_get(root, "functions"), *m = json_object_get(root, "forms");
        if (!f && !m)
            set_unreadable(d, en ? "the JSON object has neither \"functions\" nor \"forms\""
                                 : "JSON に \"functions\" も \"forms\" もありません");
        if (f) ok = json_list(d, TKG_DK_FUNCTION, f, en);
        if (ok && m && !d->unreadable) ok = json_list(d, TKG_DK_FORM, m, en);
    } else if (json_is_array(root)) {
        size_t i;
        json_t *v;
        json_array_foreach(root, i, v) {
            if (!json_is_object(v)) {
                set_unreadable(d, en ? "each element of the JSON array must be an object"
                                     : "JSON 配列の要素はオブジェクトです");
                break;
            }
            json_t *k = get_any(v, J_KIND);
            char *kt = json_text(k);
            char *key = kt ? header_key(kt) : NULL;
            if (!key) {
                free(kt);
                ok = false;
                break;
            }
            tkg_decl_kind kind = key_in(key, KIND_FUNCTION) ? TKG_DK_FUNCTION
                                 : key_in(key, KIND_FORM)   ? TKG_DK_FORM
                                                            : TKG_DK_BAD;
            ok = json_entry(d, kind, kind == TKG_DK_BAD ? kt : NULL, get_any(v, J_ID),
                            get_any(v, J_VALUE));
            free(key);
            free(kt);
            if (!ok) break;
        }
    } else {
        set_unreadable(d, en ? "a JSON declaration is an object or an array"
                             : "JSON の申告はオブジェクトか配列です");
    }
    json_decref(root);
    if (!ok && !d->unreadable) *oom = true;
}

/* ---- the file ------------------------------------------------------------- */

bool tkg_decl_read(const char *path, bool en, tkg_declaration *d) {
    memset(d, 0, sizeof *d);
    d->format = "csv";
    d->en = en;
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_unreadable(d, strerror(errno));
        return true;
    }
    tkg_buf b = {0};
    char chunk[65536];
    size_t n;
    bool oom = false;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > TKG_DECL_MAX_BYTES) {
            set_unreadable(d, en ? "larger than 64 MiB" : "64 MiB を超えています");
            break;
        }
        if (!tkg_buf_append(&b, chunk, n)) {
            oom = true;
            break;
        }
    }
    if (ferror(f) && !d->unreadable) set_unreadable(d, strerror(errno ? errno : EIO));
    fclose(f);
    if (oom || d->unreadable) {
        tkg_buf_free(&b);
        return !oom;
    }
    const unsigned char *buf = (const unsigned char *)(b.data ? b.data : "");
    d->bytes = b.len;
    tkg_sha256_hex(buf, b.len, d->sha256);
    size_t skip = b.len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (skip < b.len &&
           (buf[skip] == ' ' || buf[skip] == '\t' || buf[skip] == '\r' || buf[skip] == '\n'))
        skip++;
    if (b.len >= 4 && !memcmp(buf, "PK\x03\x04", 4)) {
        d->format = "xlsx";
        read_xlsx(path, en, d, &oom);
    } else if (skip < b.len && (buf[skip] == '{' || buf[skip] == '[')) {
        d->format = "json";
        read_json((const char *)buf, b.len, en, d, &oom);
    } else {
        read_csv(buf, b.len, en, d, &oom);
    }
    tkg_buf_free(&b);
    if (d->unreadable) {
        for (size_t i = 0; i < d->n; i++) {
            free(d->entries[i].kind_text);
            free(d->entries[i].id);
            free(d->entries[i].value_text);
        }
        d->n = 0;
    }
    return !oom;
}
