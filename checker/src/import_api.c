/* import_api.c — `tekigo import` of a Digital Agency API specification
 * workbook (API仕様書) into an api-payload profile (docs/api-profile-format.md):
 * the request sheet (header row with パラメータ名), the response sheet (header
 * row with レスポンスオブジェクト名; one block per "■…HTTPステータスコード：NNN"
 * row; the エラーコード一覧 after them), the API概要 table (APIコール名, 操作種類,
 * 概要) and the cover (仕様名, 第N版, date). Every column is found by its header
 * text, labelled cells (リクエストID, Content-Type, 仕様名) by their label. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_profile.h"
#include "import.h"
#include "util.h"

/* ---- cells by text ----------------------------------------------------------------- */

/* The first cell of the sheet whose normalised text is norm; false when none. */
static bool find_cell(const imp_sheet *s, const char *norm, uint32_t *row, uint32_t *col) {
    for (size_t i = 0; i < s->ncells; i++) {
        char n[128];
        imp_norm(s->cells[i].text, n, sizeof n);
        if (!strcmp(n, norm)) {
            *row = s->cells[i].row;
            *col = s->cells[i].col;
            return true;
        }
    }
    return false;
}

/* The text right of a label cell (リクエストID → its value), stripped, or NULL (malloc'd). */
static char *labelled(const imp_sheet *s, const char *norm) {
    uint32_t row, col;
    if (!find_cell(s, norm, &row, &col)) return NULL;
    const imp_row *r = imp_row_of(s, row);
    for (size_t i = 0; r && i < r->n; i++)
        if (s->cells[r->first + i].col > col) return imp_strip(s->cells[r->first + i].text);
    return NULL;
}

/* The column of each header text (normalised) in row; 0 when absent. */
static void header_cols(const imp_sheet *s, uint32_t row, const char *const *names, size_t n,
                        uint32_t *cols) {
    const imp_row *r = imp_row_of(s, row);
    for (size_t k = 0; k < n; k++) {
        cols[k] = 0;
        for (size_t i = 0; r && i < r->n && !cols[k]; i++) {
            char t[128];
            imp_norm(s->cells[r->first + i].text, t, sizeof t);
            if (!strcmp(t, names[k])) cols[k] = s->cells[r->first + i].col;
        }
    }
}

static const imp_sheet *sheet_with(const tkg_import *im, const char *norm, uint32_t *row) {
    for (size_t i = 0; i < im->nsheets; i++) {
        uint32_t col;
        if (find_cell(&im->sheets[i], norm, row, &col)) return &im->sheets[i];
    }
    return NULL;
}

bool imp_is_api(const tkg_import *im) {
    uint32_t row;
    return sheet_with(im, "パラメータ名", &row) || sheet_with(im, "レスポンスオブジェクト名", &row);
}

/* Stripped text (malloc'd, "" when empty). */
static char *cell_text(const imp_sheet *s, uint32_t row, uint32_t col) {
    char *t = imp_strip(col ? imp_text(s, row, col) : NULL);
    return t ? t : tkg_strdup("");
}

/* White space removed ("配列\n構\n造化" → "配列構造化"), malloc'd. */
static char *flat(const char *s) {
    char *d = malloc(strlen(s) + 1), *w = d;
    if (!d) return NULL;
    for (const char *p = s; *p;) {
        if (isspace((unsigned char)*p)) {
            p++;
        } else if (!strncmp(p, "\u3000", 3)) {
            p += 3;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return d;
}

/* ---- rows of the two sheets ---------------------------------------------------------- */

enum {
    F_NO,
    F_LEVEL,
    F_NAME,
    F_LABEL,
    F_DESC,
    F_EXAMPLE,
    F_REQUIRED,
    F_NULL,
    F_TYPE,
    F_LENGTH,
    F_NOTE,
    F__N
};

typedef struct {
    char *f[F__N]; /* stripped texts ("" when empty) */
    uint32_t row;
} api_row;

static void row_free(api_row *r) {
    for (int i = 0; i < F__N; i++)
        free(r->f[i]);
}

typedef struct {
    tkg_import *im;
    const imp_sheet *s;
    json_t *items;   /* the structure's group items */
    const char *sid; /* structure id */
    bool nullable_column;
} build;

/* "^\"(.*)\"固定値" on the first line of a note → the fixed text (malloc'd), or NULL. */
static char *fixed_text(const char *note) {
    if (note[0] != '"') return NULL;
    const char *eol = strchr(note, '\n'), *end = eol ? eol : note + strlen(note), *hit = NULL;
    const char *mark = "\"固定値";
    for (const char *p = strstr(note + 1, mark); p && p < end; p = strstr(p + 1, mark))
        if (p + strlen(mark) <= end) hit = p;
    if (!hit) return NULL;
    char *d = malloc((size_t)(hit - note));
    if (!d) return NULL;
    memcpy(d, note + 1, (size_t)(hit - note - 1));
    d[hit - note - 1] = '\0';
    return d;
}

/* The value rules of a scalar member: an item of the structure's group. */
static json_t *make_item(build *b, const api_row *r, const char *path, const char *type,
                         bool required) {
    char id[1024];
    snprintf(id, sizeof id, "%s:%s", b->sid, path);
    json_t *it = json_pack("{s:s,s:s,s:s,s:s}", "id", id, "name", r->f[F_LABEL], "romaji",
                           r->f[F_NAME], "type", type);
    const char *len = r->f[F_LENGTH];
    unsigned long v;
    char ref[16];
    if (*len && strcmp(len, "-")) {
        if (imp_uint(len, &v) && v > 0) {
            json_object_set_new(it, "length", json_integer((json_int_t)v));
        } else {
            imp_ref(1, r->row, ref);
            imp_problem(b->im, true, "%s!%s: データ長 \"%s\" is not a positive number", b->s->name,
                        ref, len);
        }
    }
    char *cond = imp_condition(r->f[F_NOTE]);
    json_object_set_new(it, "output",
                        json_string(required ? "required"
                                    : cond   ? "conditional"
                                             : "optional"));
    if (cond) json_object_set_new(it, "condition_text", json_string(cond));
    free(cond);
    json_object_set_new(it, "implementation", json_boolean(required));
    if (strstr(r->f[F_NOTE], "不詳日を許容する") && !strcmp(type, "DATE"))
        json_object_set_new(it, "unknown_date", json_pack("{s:b}", "allowed", 1));
    char *fixed = strstr(r->f[F_NOTE], "固定値") ? fixed_text(r->f[F_NOTE]) : NULL;
    if (fixed) json_object_set_new(it, "pattern", json_string(fixed));
    free(fixed);
    if (*r->f[F_DESC]) json_object_set_new(it, "description", json_string(r->f[F_DESC]));
    if (*r->f[F_NOTE]) json_object_set_new(it, "note", json_string(r->f[F_NOTE]));
    json_array_append_new(b->items, it);
    return it;
}

static json_t *member_of(build *b, const api_row *r, const char *path) {
    json_t *m = json_object();
    char ref[16];
    unsigned long v;
    if (*r->f[F_NO]) {
        if (imp_uint(r->f[F_NO], &v)) {
            json_object_set_new(m, "no", json_integer((json_int_t)v));
        } else {
            imp_ref(1, r->row, ref);
            imp_problem(b->im, false, "%s!%s: 項番 \"%s\" is not a number: left out", b->s->name,
                        ref, r->f[F_NO]);
        }
    }
    if (*r->f[F_LEVEL] && imp_uint(r->f[F_LEVEL], &v))
        json_object_set_new(m, "level", json_integer((json_int_t)v));
    if (*r->f[F_NAME]) json_object_set_new(m, "name", json_string(r->f[F_NAME]));
    json_object_set_new(m, "label", json_string(r->f[F_LABEL]));
    char *t = flat(r->f[F_TYPE]);
    const char *type = t ? imp_type(t) : NULL;
    bool required = !strcmp(r->f[F_REQUIRED], "◎"), has_item = false;
    if (t && !strcmp(t, "構造化")) {
        json_object_set_new(m, "kind", json_string("object"));
    } else if (t && !strcmp(t, "配列構造化")) {
        json_object_set_new(m, "kind", json_string("array"));
    } else if (type) {
        json_object_set_new(m, "kind", json_string("scalar"));
        json_t *it = make_item(b, r, path, type, required);
        json_object_set(m, "item", json_object_get(it, "id"));
        has_item = true;
    } else {
        json_object_set_new(m, "kind", json_string("scalar"));
        json_object_set_new(m, "json", json_string("string"));
        json_object_set_new(m, "type_text", json_string(t ? t : ""));
        imp_ref(1, r->row, ref);
        imp_problem(b->im, false,
                    "%s!%s: データ型 \"%s\" is no item type: only the JSON type (string) "
                    "of %s is checked",
                    b->s->name, ref, t ? t : "", r->f[F_NAME]);
    }
    free(t);
    json_object_set_new(m, "required", json_boolean(required));
    if (b->nullable_column) {
        const char *n = r->f[F_NULL];
        if (!strcmp(n, "〇") || !strcmp(n, "○"))
            json_object_set_new(m, "nullable", json_true());
        else if (!strcmp(n, "-") || !strcmp(n, "－"))
            json_object_set_new(m, "nullable", json_false());
        else {
            imp_ref(1, r->row, ref);
            imp_problem(b->im, false,
                        "%s!%s: null設定有無 \"%s\" is neither 〇 nor -: left unstated", b->s->name,
                        ref, n);
        }
    }
    if (*r->f[F_DESC] && !has_item)
        json_object_set_new(m, "description", json_string(r->f[F_DESC]));
    if (*r->f[F_EXAMPLE]) json_object_set_new(m, "example", json_string(r->f[F_EXAMPLE]));
    if (*r->f[F_NOTE] && !has_item) json_object_set_new(m, "note", json_string(r->f[F_NOTE]));
    return m;
}

/* The 不詳表記 companion of a DATE that allows 不詳日: the item "<name>_不詳表記". */
static void infer_text_items(json_t *items, char *note, size_t cap, size_t *w) {
    size_t i, k;
    json_t *it, *o;
    json_array_foreach(items, i, it) {
        json_t *ud = json_object_get(it, "unknown_date");
        if (!ud) continue;
        char want[600];
        snprintf(want, sizeof want, "%s_不詳表記", json_string_value(json_object_get(it, "name")));
        json_array_foreach(items, k, o) {
            if (strcmp(json_string_value(json_object_get(o, "name")), want)) continue;
            json_object_set_new(ud, "text_item", json_string(want));
            *w += (size_t)snprintf(note + *w, *w < cap ? cap - *w : 0,
                                   "%s%s.unknown_date.text_item = %s", *w ? "; " : "",
                                   json_string_value(json_object_get(it, "id")), want);
            break;
        }
    }
}

/* Builds one structure and its group from rows (the top-level row first when levelled). */
static void add_structure(tkg_import *im, const imp_sheet *s, json_t *structures, json_t *groups,
                          const char *sid, const char *name, const char *title, int status,
                          const char *source_id, const char *content_type, api_row *rows, size_t n,
                          bool nullable_column, char *note, size_t cap, size_t *w) {
    build b = {im, s, json_array(), sid, nullable_column};
    json_t *members = json_array();
    char *path[64] = {0};
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        api_row *r = &rows[i];
        unsigned long lv = 0;
        if (*r->f[F_LEVEL]) imp_uint(r->f[F_LEVEL], &lv);
        if (lv == 1) { /* the top-level value: its name cell holds the label */
            free(r->f[F_LABEL]);
            r->f[F_LABEL] = r->f[F_NAME];
            r->f[F_NAME] = tkg_strdup("");
            json_array_append_new(members, member_of(&b, r, ""));
            continue;
        }
        size_t d = lv ? (size_t)(lv - 2) : 0;
        if (d > 62) d = 62;
        if (d > depth) d = depth; /* a level that skips one: joined to the deepest open path */
        for (size_t k = d; k < depth; k++) {
            free(path[k]);
            path[k] = NULL;
        }
        path[d] = tkg_strdup(r->f[F_NAME]);
        depth = d + 1;
        char joined[1024] = "";
        size_t jw = 0;
        for (size_t k = 0; k < depth; k++)
            jw += (size_t)snprintf(joined + jw, jw < sizeof joined ? sizeof joined - jw : 0, "%s%s",
                                   k ? "." : "", path[k] ? path[k] : "");
        json_array_append_new(members, member_of(&b, r, joined));
    }
    for (size_t k = 0; k < depth; k++)
        free(path[k]);
    infer_text_items(b.items, note, cap, w);
    json_t *st = json_pack("{s:s,s:s,s:s,s:s}", "id", sid, "name", name, "title", title, "kind",
                           status ? "response" : "request");
    if (status) json_object_set_new(st, "status", json_integer(status));
    json_object_set_new(st, "source_id", json_string(source_id ? source_id : ""));
    json_object_set_new(st, "content_type", json_string(content_type ? content_type : ""));
    json_object_set_new(st, "members", members);
    json_array_append_new(structures, st);
    char f[4][64];
    snprintf(f[0], sizeof f[0], "%s.json", sid);
    snprintf(f[1], sizeof f[1], "*.%s.json", sid);
    snprintf(f[2], sizeof f[2], "%s.jsonl", sid);
    snprintf(f[3], sizeof f[3], "*.%s.jsonl", sid);
    json_array_append_new(groups, json_pack("{s:s,s:[s,s,s,s],s:o}", "name", sid, "files", f[0],
                                            f[1], f[2], f[3], "items", b.items));
}

/* Reads the data rows below a header row: cols per F_ field (0 = absent). */
static api_row read_row(const imp_sheet *s, uint32_t row, const uint32_t *cols) {
    api_row r = {{0}, row};
    for (int k = 0; k < F__N; k++)
        r.f[k] = cell_text(s, row, cols[k]);
    return r;
}

static const char *const REQ_HEADERS[F__N] = {"項番",     "",         "パラメータ名", "項目名",
                                              "項目説明", "記述例",   "必須",         "",
                                              "データ型", "データ長", "備考"};
static const char *const RES_HEADERS[F__N] = {
    "項番",     "レベル",       "レスポンスオブジェクト名",
    "項目名",   "項目説明",     "記述例",
    "必須",     "NULL設定有無", "データ型",
    "データ長", "備考"};

static bool missing_columns(tkg_import *im, const imp_sheet *s, uint32_t hrow, const uint32_t *cols,
                            const char *const *names) {
    bool missing = false;
    for (int k = 0; k < F__N; k++) {
        if (!*names[k] || cols[k] || k == F_EXAMPLE || k == F_DESC || k == F_NOTE) continue;
        char ref[16];
        imp_ref(1, hrow, ref);
        imp_problem(im, true, "%s!%s: the header has no %s column", s->name, ref, names[k]);
        missing = true;
    }
    return missing;
}

static void read_request(tkg_import *im, const imp_sheet *s, uint32_t hrow, json_t *structures,
                         json_t *groups, char *note, size_t cap, size_t *w) {
    uint32_t cols[F__N];
    header_cols(s, hrow, REQ_HEADERS, F__N, cols);
    cols[F_LEVEL] = cols[F_NULL] = 0;
    if (missing_columns(im, s, hrow, cols, REQ_HEADERS)) return;
    api_row *rows = calloc(s->nrows + 1, sizeof *rows);
    size_t n = 0;
    for (size_t i = 0; rows && i < s->nrows; i++) {
        if (s->rows[i].row <= hrow || !imp_text(s, s->rows[i].row, cols[F_NAME])) continue;
        rows[n++] = read_row(s, s->rows[i].row, cols);
    }
    char *id = labelled(s, "リクエストID"), *ct = labelled(s, "CONTENT-TYPE");
    add_structure(im, s, structures, groups, "request", "リクエスト", s->name, 0, id, ct, rows, n,
                  false, note, cap, w);
    free(id);
    free(ct);
    for (size_t i = 0; i < n; i++)
        row_free(&rows[i]);
    free(rows);
}

/* The HTTP status in "■正常系エラー（HTTPステータスコード：400、…" and the kind before "（". */
static int block_status(const char *heading, char *kind, size_t kcap) {
    const char *p = strstr(heading, "HTTPステータスコード");
    if (!p) return 0;
    p += strlen("HTTPステータスコード");
    if (!strncmp(p, "：", 3))
        p += 3;
    else if (*p == ':')
        p++;
    int st = 0;
    while (isdigit((unsigned char)*p) && st < 1000)
        st = st * 10 + (*p++ - '0');
    const char *b = heading + (strncmp(heading, "■", 3) ? 0 : 3), *e = strstr(b, "（");
    snprintf(kind, kcap, "%.*s", (int)(e ? (size_t)(e - b) : strlen(b)), b);
    return st >= 100 && st <= 599 ? st : 0;
}

static void read_responses(tkg_import *im, const imp_sheet *s, uint32_t hrow, json_t *structures,
                           json_t *groups, json_t *errors, char *note, size_t cap, size_t *w) {
    uint32_t cols[F__N];
    header_cols(s, hrow, RES_HEADERS, F__N, cols);
    if (missing_columns(im, s, hrow, cols, RES_HEADERS)) return;
    uint32_t name_col = cols[F_NAME];
    char *id = labelled(s, "レスポンスID"), *ct = labelled(s, "CONTENT-TYPE");
    api_row *rows = calloc(s->nrows + 1, sizeof *rows);
    size_t n = 0;
    char heading[1024] = "", kind[256] = "";
    int status = 0;
    uint32_t err_header = 0, ecols[5] = {0};
    static const char *const EH[5] = {"項番", "エラーコード", "エラー名", "エラー内容", "備考"};
    for (size_t i = 0; rows && i <= s->nrows; i++) {
        const imp_row *ir = i < s->nrows ? &s->rows[i] : NULL;
        const char *first = ir ? s->cells[ir->first].text : NULL;
        char fn[64];
        imp_norm(first, fn, sizeof fn);
        bool block = first && !strncmp(first, "■", 3);
        bool end = !ir || block || !strcmp(fn, "エラーコード一覧");
        if (ir && ir->row <= hrow) continue;
        if (end && status) { /* the block above is complete */
            char sid[16], name[512];
            snprintf(sid, sizeof sid, "%d", status);
            snprintf(name, sizeof name, "レスポンス（%d %s）", status, kind);
            add_structure(im, s, structures, groups, sid, name, heading, status, id, ct, rows, n,
                          true, note, cap, w);
            for (size_t k = 0; k < n; k++)
                row_free(&rows[k]);
            n = 0;
            status = 0;
        }
        if (!ir) break;
        if (block) {
            char *h = imp_strip(first);
            snprintf(heading, sizeof heading, "%s", h ? h : "");
            free(h);
            status = block_status(heading, kind, sizeof kind);
            if (!status) {
                char ref[16];
                imp_ref(s->cells[ir->first].col, ir->row, ref);
                imp_problem(im, false, "%s!%s: \"%s\" names no HTTP status: its rows are left out",
                            s->name, ref, heading);
            }
            continue;
        }
        if (!strcmp(fn, "エラーコード一覧")) {
            err_header = UINT32_MAX;
            continue;
        }
        if (err_header == UINT32_MAX) { /* the header of the error-code table */
            header_cols(s, ir->row, EH, 5, ecols);
            if (ecols[1]) err_header = ir->row;
            continue;
        }
        if (err_header) {
            char *code = cell_text(s, ir->row, ecols[1]);
            if (*code) {
                char *no = cell_text(s, ir->row, ecols[0]);
                unsigned long v;
                json_t *e = json_object();
                if (imp_uint(no, &v)) json_object_set_new(e, "no", json_integer((json_int_t)v));
                json_object_set_new(e, "code", json_string(code));
                for (int k = 2; k < 5; k++) {
                    static const char *const KEYS[5] = {"", "", "name", "message", "note"};
                    char *t = cell_text(s, ir->row, ecols[k]);
                    json_object_set_new(e, KEYS[k], json_string(t));
                    free(t);
                }
                json_array_append_new(errors, e);
                free(no);
            }
            free(code);
            continue;
        }
        if (!status || !imp_text(s, ir->row, cols[F_LEVEL]))
            continue; /* closing rows of the example */
        api_row r = read_row(s, ir->row, cols);
        unsigned long lv = 0;
        if (!imp_uint(r.f[F_LEVEL], &lv) || lv < 1 || lv > 60) {
            char ref[16];
            imp_ref(cols[F_LEVEL], ir->row, ref);
            imp_problem(im, true, "%s!%s: レベル \"%s\" is not a level from 1", s->name, ref,
                        r.f[F_LEVEL]);
            row_free(&r);
            continue;
        }
        /* The member name sits in the column of its level (I = 1, J = 2, …). */
        free(r.f[F_NAME]);
        r.f[F_NAME] = cell_text(s, ir->row, name_col + (uint32_t)lv - 1);
        rows[n++] = r;
    }
    free(id);
    free(ct);
    free(rows);
}

/* ---- the profile ---------------------------------------------------------------------- */

typedef struct {
    const char *call;
    char *id, *business;
} bundled_api;

static void bundled_one(void *ctx, const tkg_profile *p) {
    bundled_api *b = ctx;
    const tkg_api *a = p->purpose && !strcmp(p->purpose, "api-payload") ? tkg_api_of(p) : NULL;
    if (b->id || !a || !a->call || strcmp(a->call, b->call)) return;
    b->id = tkg_strdup(p->id);
    b->business = p->business ? tkg_strdup(p->business) : NULL;
}

/* "HTTPメソッド：POST" or "HTTPメソッドはPOST" anywhere in the workbook. */
static void find_method(const tkg_import *im, char *out, size_t cap) {
    for (size_t i = 0; i < im->nsheets; i++)
        for (size_t k = 0; k < im->sheets[i].ncells; k++) {
            const char *p = strstr(im->sheets[i].cells[k].text, "HTTPメソッド");
            if (!p) continue;
            p += strlen("HTTPメソッド");
            if (!strncmp(p, "：", 3) || !strncmp(p, "は", 3))
                p += 3;
            else if (*p == ':')
                p++;
            size_t n = 0;
            while (isupper((unsigned char)p[n]) && n + 1 < cap)
                n++;
            if (n) {
                snprintf(out, cap, "%.*s", (int)n, p);
                return;
            }
        }
}

bool imp_import_api(tkg_import *im) {
    json_t *structures = json_array(), *groups = json_array(), *errors = json_array();
    char note[4096] = "";
    size_t w = 0;
    uint32_t hrow;
    const imp_sheet *rq = sheet_with(im, "パラメータ名", &hrow);
    if (rq) read_request(im, rq, hrow, structures, groups, note, sizeof note, &w);
    const imp_sheet *rs = sheet_with(im, "レスポンスオブジェクト名", &hrow);
    if (rs) read_responses(im, rs, hrow, structures, groups, errors, note, sizeof note, &w);
    if (!json_array_size(structures))
        imp_problem(im, true, "%s: the API specification has no request or response structure",
                    im->base);
    /* API概要: the call, its operation and summary, in the row below the header. */
    char *call = NULL, *op = NULL, *summary = NULL;
    const imp_sheet *ov = sheet_with(im, "APIコール名", &hrow);
    if (ov) {
        static const char *const OH[3] = {"APIコール名", "操作種類", "概要"};
        uint32_t oc[3];
        header_cols(ov, hrow, OH, 3, oc);
        for (size_t i = 0; i < ov->nrows && !call; i++) {
            uint32_t r = ov->rows[i].row;
            if (r <= hrow || !imp_text(ov, r, oc[0])) continue;
            call = cell_text(ov, r, oc[0]);
            op = cell_text(ov, r, oc[1]);
            summary = cell_text(ov, r, oc[2]);
        }
    }
    if (!call)
        imp_problem(im, false, "%s: no API概要 table with APIコール名: call left empty", im->base);
    /* 仕様名 (the cell below its label), and the cover's version and date. */
    char *title = NULL, version[32] = "imported", vtext[128] = "", date[128] = "",
         heading[512] = "";
    uint32_t r, c;
    for (size_t i = 0; i < im->nsheets && !title; i++)
        if (find_cell(&im->sheets[i], "仕様名", &r, &c) && imp_text(&im->sheets[i], r + 1, c))
            title = imp_strip(imp_text(&im->sheets[i], r + 1, c));
    const imp_sheet *cover = im->nsheets ? &im->sheets[0] : NULL;
    for (size_t k = 0; cover && k < cover->ncells; k++) {
        const char *t = cover->cells[k].text;
        char v[32];
        if (imp_version_in(t, v, sizeof v)) {
            snprintf(version, sizeof version, "%s", v);
            snprintf(vtext, sizeof vtext, "%s", t);
        } else if (strstr(t, "年") && strstr(t, "月") && strlen(t) < 40)
            snprintf(date, sizeof date, "%s", t);
        else if (!heading[0] && (!title || strcmp(t, title))) {
            char *f = flat(t);
            snprintf(heading, sizeof heading, "%s", f ? f : "");
            free(f);
        }
    }
    char method[16] = "";
    find_method(im, method, sizeof method);
    bundled_api b = {call ? call : "", NULL, NULL};
    if (call) tkg_profiles_list(bundled_one, &b);
    char src_title[2048], en[600], ja[512], full_note[8192];
    snprintf(src_title, sizeof src_title, "%s%s%s %s%s%s%s", heading, *heading ? " " : "",
             title ? title : im->base, *vtext ? vtext : version, *date ? "（" : "", date,
             *date ? "）" : "");
    snprintf(en, sizeof en, "Imported from %s", im->base);
    size_t tl = title ? strlen(title) : 0;
    snprintf(ja, sizeof ja, "%.*s", (int)(tl > 6 && !strcmp(title + tl - 6, "仕様") ? tl - 6 : tl),
             title ? title : im->base);
    snprintf(
        full_note, sizeof full_note,
        "Imported by tekigo import from %s (SHA-256 %s): the request and the response structures "
        "with every row's 項番, レベル, name, 項目名, 項目説明, 記述例, 必須 (◎), null設定有無 "
        "(〇/-), "
        "データ型, 桁数 and 備考, and the エラーコード一覧. Each structure's group holds the value "
        "rules "
        "of its scalar members (item ids <structure>:<path>); implementation mirrors ◎; the "
        "file-name "
        "globs follow the convention of docs/api-profile-format.md. Not in the workbook, so not in "
        "this profile: code lists, fixed lengths, check digits, masters, machine conditions, "
        "personal-data flags.%s%s",
        im->base, im->sha256, w ? " Inferred by tekigo import, not read: " : "", w ? note : "");
    json_t *p = json_object();
    json_object_set_new(p, "tekigo_profile", json_integer(1));
    json_object_set_new(p, "id", json_string(b.id ? b.id : "imported-api"));
    json_object_set_new(p, "version", json_string(version));
    json_object_set_new(p, "title", json_pack("{s:s,s:s}", "ja", ja, "en", en));
    if (b.business) json_object_set_new(p, "business", json_string(b.business));
    json_object_set_new(p, "purpose", json_string("api-payload"));
    json_object_set_new(p, "effective", json_pack("{s:n,s:n}", "from", "to"));
    json_object_set_new(p, "source",
                        json_pack("{s:s,s:s,s:[s],s:s}", "fidelity", "official-transcription",
                                  "title", src_title, "files", im->base, "note", full_note));
    json_object_set_new(p, "groups", groups);
    json_t *api = json_object();
    json_object_set_new(api, "title", json_string(title ? title : ""));
    json_object_set_new(api, "call", json_string(call ? call : ""));
    json_object_set_new(api, "operation", json_string(op ? op : ""));
    json_object_set_new(api, "method", json_string(method));
    json_object_set_new(api, "summary", json_string(summary ? summary : ""));
    json_object_set_new(api, "structures", structures);
    json_object_set_new(api, "error_codes", errors);
    json_object_set_new(p, "api", api);
    free(b.id);
    free(b.business);
    free(call);
    free(op);
    free(summary);
    free(title);
    im->profile = p;
    im->purpose = "api-payload";
    return true;
}
