/* import_items.c — `tekigo import` of the 基本データリスト / 項目定義書 layout
 * (docs/import.md): header rows found by their text (a two-row header whose
 * blank top cells continue the group to their left), columns looked up by
 * header text, one item per row, several groups per sheet, foreign-key
 * references and 不詳表記 companions inferred by name, code lists from the
 * コード一覧 sheets; then the data-export profile. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "util.h"

/* ---- the 基本データリスト: columns by header text --------------------------------------- */

typedef enum {
    C_ID,
    C_ID_BUS,
    C_ID_ITEM,
    C_NAME,
    C_ROMAJI,
    C_GROUP,
    C_PK,
    C_FK,
    C_LV1,
    C_LV2,
    C_LV3,
    C_TYPE,
    C_LENGTH,
    C_CODE,
    C_REPEAT,
    C_OUTPUT,
    C_DEF,
    C_DESC,
    C_SPEC,
    C_IMPL,
    C_SAMPLE,
    C_NOTE,
    C__COUNT
} col_role;

static const char *const ROLE_NAMES[C__COUNT] = {"データ項目ID",
                                                 "データ項目ID（業務）",
                                                 "データ項目ID（項目）",
                                                 "データ項目",
                                                 "データ項目（ローマ字）",
                                                 "グループ 名称",
                                                 "グループ 主キー",
                                                 "グループ 外部キー",
                                                 "クラス分類 LV1",
                                                 "クラス分類 LV2",
                                                 "クラス分類 LV3",
                                                 "データ型",
                                                 "桁数",
                                                 "コード",
                                                 "繰り返し",
                                                 "データ出力条件",
                                                 "項目定義",
                                                 "項目説明",
                                                 "標準仕様書関連箇所",
                                                 "実装類型",
                                                 "サンプル値",
                                                 "備考"};

/* Normalised header texts (imp_norm) and their roles; "top" + "sub" of a two-row header,
 * or one cell alone. */
static const struct {
    const char *text;
    col_role role;
} HEADERS[] = {{"データ項目ID業務", C_ID_BUS},
               {"データ項目ID業務コード", C_ID_BUS},
               {"データ項目ID項目", C_ID_ITEM},
               {"データ項目ID項目番号", C_ID_ITEM},
               {"データ項目ID", C_ID},
               {"データ項目", C_NAME},
               {"データ項目名", C_NAME},
               {"データ項目(ローマ字)", C_ROMAJI},
               {"データ項目名(ローマ字)", C_ROMAJI},
               {"ローマ字", C_ROMAJI},
               {"グループ名称", C_GROUP},
               {"グループ名", C_GROUP},
               {"名称", C_GROUP},
               {"グループ主キー", C_PK},
               {"主キー", C_PK},
               {"グループ外部キー", C_FK},
               {"外部キー", C_FK},
               {"クラス分類LV1", C_LV1},
               {"LV1", C_LV1},
               {"クラス分類LV2", C_LV2},
               {"LV2", C_LV2},
               {"クラス分類LV3", C_LV3},
               {"LV3", C_LV3},
               {"データ型", C_TYPE},
               {"桁数", C_LENGTH},
               {"コード", C_CODE},
               {"繰り返し", C_REPEAT},
               {"繰返し", C_REPEAT},
               {"データ出力条件", C_OUTPUT},
               {"出力条件", C_OUTPUT},
               {"項目定義", C_DEF},
               {"項目説明", C_DESC},
               {"標準仕様書関連箇所", C_SPEC},
               {"実装類型", C_IMPL},
               {"サンプル値", C_SAMPLE},
               {"サンプル", C_SAMPLE},
               {"備考", C_NOTE}};

/* Texts of a sub-header row, and the tops that span several columns. */
static const char *const SUBLABELS[] = {"名称", "主キー", "外部キー", "LV1",        "LV2",
                                        "LV3",  "業務",   "項目",     "業務コード", "項目番号"};
static const char *const GROUP_TOPS[] = {"グループ", "クラス分類", "データ項目ID"};

static int header_role(const char *norm) {
    for (size_t i = 0; i < sizeof HEADERS / sizeof HEADERS[0]; i++)
        if (!strcmp(norm, HEADERS[i].text)) return (int)HEADERS[i].role;
    return -1;
}

static bool in_list(const char *norm, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(norm, list[i])) return true;
    return false;
}

typedef struct {
    uint32_t col[C__COUNT]; /* 0 = absent */
    uint32_t header_row, first_data;
} layout;

/* True when row r holds the header of a 基本データリスト: データ項目ID and at least three
 * other column names (データ項目, データ型, 桁数, …). */
static bool is_item_header(const imp_sheet *s, const imp_row *r) {
    bool id = false;
    int known = 0;
    for (size_t i = 0; i < r->n; i++) {
        char n[128];
        imp_norm(s->cells[r->first + i].text, n, sizeof n);
        if (!strncmp(n, "データ項目ID", strlen("データ項目ID")))
            id = true;
        else if (header_role(n) >= 0)
            known++;
    }
    return id && known >= 3;
}

/* Row top+1 is a second header row when it holds a sub-label under a blank or spanning top. */
static bool is_sub_row(const imp_sheet *s, uint32_t top) {
    const imp_row *r = imp_row_of(s, top + 1);
    for (size_t i = 0; r && i < r->n; i++) {
        const imp_cell *c = &s->cells[r->first + i];
        char n[64], t[64];
        imp_norm(c->text, n, sizeof n);
        if (!in_list(n, SUBLABELS, sizeof SUBLABELS / sizeof SUBLABELS[0])) continue;
        const char *above = imp_text(s, top, c->col);
        imp_norm(above, t, sizeof t);
        if (!above || in_list(t, GROUP_TOPS, sizeof GROUP_TOPS / sizeof GROUP_TOPS[0])) return true;
    }
    return false;
}

/* Maps the header's columns to roles. False (errors recorded) when a column is doubled
 * or a required one is missing. */
static bool map_columns(tkg_import *im, const imp_sheet *s, uint32_t top, layout *L) {
    memset(L, 0, sizeof *L);
    L->header_row = top;
    bool two = is_sub_row(s, top);
    L->first_data = top + (two ? 2 : 1);
    const imp_row *rt = imp_row_of(s, top), *rs = two ? imp_row_of(s, top + 1) : NULL;
    uint32_t last = 0;
    if (rt && rt->n) last = s->cells[rt->first + rt->n - 1].col;
    if (rs && rs->n && s->cells[rs->first + rs->n - 1].col > last)
        last = s->cells[rs->first + rs->n - 1].col;
    const char *cur = NULL; /* the top text that spans to the right */
    int id_cols = 0;
    bool ok = true;
    for (uint32_t c = 1; c <= last; c++) {
        const char *t = imp_text(s, top, c), *sub = two ? imp_text(s, top + 1, c) : NULL;
        char nt[160], ns[64], both[224];
        if (t) {
            cur = t;
        } else {
            imp_norm(cur, nt, sizeof nt);
            /* A blank top cell continues the group to its left: under a sub-label, or as the
             * second cell of the two-cell データ項目ID. */
            if (cur && (sub || (!strcmp(nt, "データ項目ID") && id_cols == 1)))
                t = cur;
            else
                cur = NULL;
        }
        if (!t && !sub) continue;
        imp_norm(t, nt, sizeof nt);
        imp_norm(sub, ns, sizeof ns);
        snprintf(both, sizeof both, "%s%s", nt, ns);
        /* Top and sub together ("グループ" + "名称"), else the sub alone, else the top alone
         * (a one-row header, or a top merged over both rows). */
        bool spanning = in_list(nt, GROUP_TOPS, sizeof GROUP_TOPS / sizeof GROUP_TOPS[0]);
        int role = header_role(both);
        if (role < 0 && *ns) role = header_role(ns);
        if (role < 0 && *nt && !spanning) role = header_role(nt);
        char ref[16];
        imp_ref(c, top, ref);
        if (role == C_ID) role = id_cols == 0 ? C_ID_BUS : C_ID_ITEM;
        if (role == C_ID_BUS || role == C_ID_ITEM) id_cols++;
        if (role < 0) {
            if (spanning && !*ns) continue; /* "グループ" over one row: a label, not a column */
            imp_problem(im, false,
                        "%s!%s: column \"%s%s%s\" is not a column of the 基本データリスト: ignored",
                        s->name, ref, t ? t : "", t && sub ? " " : "", sub ? sub : "");
            continue;
        }
        if (L->col[role]) {
            char first[16];
            imp_ref(L->col[role], top, first);
            imp_problem(im, true, "%s!%s: a second %s column (the first is at %s)", s->name, ref,
                        ROLE_NAMES[role], first);
            ok = false;
            continue;
        }
        L->col[role] = c;
    }
    /* One ID column alone holds the 8-digit ID. */
    if (L->col[C_ID_BUS] && !L->col[C_ID_ITEM]) {
        L->col[C_ID] = L->col[C_ID_BUS];
        L->col[C_ID_BUS] = 0;
    }
    static const col_role REQUIRED[] = {C_NAME,   C_ROMAJI, C_GROUP, C_TYPE,
                                        C_LENGTH, C_OUTPUT, C_IMPL};
    char ref[16];
    imp_ref(1, top, ref);
    if (!L->col[C_ID] && !L->col[C_ID_ITEM]) {
        imp_problem(im, true, "%s!%s: the header has no データ項目ID column", s->name, ref);
        ok = false;
    }
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++) {
        if (L->col[REQUIRED[i]]) continue;
        imp_problem(im, true, "%s!%s: the header has no %s column", s->name, ref,
                    ROLE_NAMES[REQUIRED[i]]);
        ok = false;
    }
    static const col_role OPTIONAL[] = {C_PK, C_FK, C_CODE, C_REPEAT, C_DESC};
    for (size_t i = 0; ok && i < sizeof OPTIONAL / sizeof OPTIONAL[0]; i++)
        if (!L->col[OPTIONAL[i]])
            imp_problem(im, false,
                        "%s!%s: the header has no %s column: every item is read without it",
                        s->name, ref, ROLE_NAMES[OPTIONAL[i]]);
    return ok;
}

/* ---- the 基本データリスト: one item per row ------------------------------------------- */

typedef struct {
    tkg_import *im;
    json_t *groups; /* array of {name, files, items} */
    char business[4];
    char *inferred; /* what the note must say was inferred (malloc'd text) */
} items_ctx;

static const char *cell_of(const imp_sheet *s, const layout *L, uint32_t row, col_role r) {
    return L->col[r] ? imp_text(s, row, L->col[r]) : NULL;
}

static void cell_ref(const layout *L, col_role r, uint32_t row, char out[16]) {
    imp_ref(L->col[r] ? L->col[r] : 1, row, out);
}

static json_t *group_named(items_ctx *ic, const char *name) {
    size_t i;
    json_t *g;
    json_array_foreach(ic->groups, i, g) {
        if (!strcmp(json_string_value(json_object_get(g, "name")), name)) return g;
    }
    g = json_object();
    json_object_set_new(g, "name", json_string(name));
    char glob[512];
    snprintf(glob, sizeof glob, "*%s*.csv", name);
    json_object_set_new(g, "files", json_pack("[s]", glob));
    json_object_set_new(g, "items", json_array());
    json_array_append_new(ic->groups, g);
    return g;
}

static bool item_id(items_ctx *ic, const imp_sheet *s, const layout *L, uint32_t row, char id[9]) {
    char ref[16];
    if (L->col[C_ID]) {
        const char *t = cell_of(s, L, row, C_ID);
        cell_ref(L, C_ID, row, ref);
        char n[32];
        imp_norm(t, n, sizeof n);
        bool ok = strlen(n) == 8;
        for (size_t i = 0; ok && i < 8; i++)
            ok = isdigit((unsigned char)n[i]);
        if (!ok) {
            imp_problem(ic->im, true,
                        t ? "%s!%s: データ項目ID \"%s\" is not 8 digits"
                          : "%s!%s: the row has no データ項目ID",
                        s->name, ref, t ? t : "");
            return false;
        }
        memcpy(id, n, 9);
        return true;
    }
    const char *b = cell_of(s, L, row, C_ID_BUS), *it = cell_of(s, L, row, C_ID_ITEM);
    unsigned long bv, iv;
    cell_ref(L, b ? C_ID_ITEM : C_ID_BUS, row, ref);
    if (!b && !it) {
        cell_ref(L, C_ID_BUS, row, ref);
        imp_problem(ic->im, true, "%s!%s: the row has no データ項目ID", s->name, ref);
        return false;
    }
    if (!b || !imp_uint(b, &bv) || bv > 999) {
        cell_ref(L, C_ID_BUS, row, ref);
        imp_problem(ic->im, true,
                    "%s!%s: データ項目ID (業務) \"%s\" is not a 3-digit business code", s->name,
                    ref, b ? b : "");
        return false;
    }
    if (!it || !imp_uint(it, &iv) || iv > 99999) {
        cell_ref(L, C_ID_ITEM, row, ref);
        imp_problem(ic->im, true,
                    "%s!%s: データ項目ID (項目) \"%s\" is not an item number of at most 5 digits",
                    s->name, ref, it ? it : "");
        return false;
    }
    snprintf(id, 9, "%03lu%05lu", bv, iv);
    return true;
}

/* The length: an integer, or "n,m"; empty only for BLOB. */
static bool item_length(items_ctx *ic, const imp_sheet *s, const layout *L, uint32_t row,
                        const char *type, json_t *item) {
    const char *t = cell_of(s, L, row, C_LENGTH);
    char n[64], ref[16];
    imp_norm(t, n, sizeof n);
    cell_ref(L, C_LENGTH, row, ref);
    unsigned long v, a, b;
    if (!*n || !strcmp(n, "-")) {
        if (!strcmp(type, "BLOB")) return true;
        imp_problem(ic->im, true, "%s!%s: 桁数 is empty", s->name, ref);
        return false;
    }
    if (imp_uint(n, &v) && v > 0) {
        json_object_set_new(item, "length", json_integer((json_int_t)v));
        return true;
    }
    char *comma = strchr(n, ',');
    if (comma) {
        *comma = '\0';
        if (imp_uint(n, &a) && imp_uint(comma + 1, &b) && a > 0) {
            char len[48];
            snprintf(len, sizeof len, "%lu,%lu", a, b);
            json_object_set_new(item, "length", json_string(len));
            if (strcmp(type, "9V"))
                imp_problem(
                    ic->im, false,
                    "%s!%s: 桁数 \"%s\" (n,m) on a データ型 %s item, not 9V: kept as written",
                    s->name, ref, t, type);
            return true;
        }
    }
    imp_problem(ic->im, true, "%s!%s: 桁数 \"%s\" is neither a positive number nor n,m", s->name,
                ref, t ? t : "");
    return false;
}

static void set_text(json_t *o, const char *key, const char *text) {
    json_t *j = imp_json_text(text);
    if (j) json_object_set_new(o, key, j);
}

static bool set_mark(items_ctx *ic, const imp_sheet *s, const layout *L, uint32_t row, col_role r,
                     json_t *item, const char *key, bool always) {
    bool unknown, yes = imp_mark(cell_of(s, L, row, r), &unknown);
    if (unknown) {
        char ref[16];
        cell_ref(L, r, row, ref);
        imp_problem(ic->im, false, "%s!%s: %s \"%s\" is not ○: read as blank", s->name, ref,
                    ROLE_NAMES[r], cell_of(s, L, row, r));
    }
    if (yes || always) json_object_set_new(item, key, json_boolean(yes));
    return yes;
}

/* One data row → one item in its group; false (error recorded) when it cannot be read. */
static bool read_item(items_ctx *ic, const imp_sheet *s, const layout *L, uint32_t row,
                      char *cur_group, size_t cur_len) {
    char ref[16], id[9];
    if (!item_id(ic, s, L, row, id)) return false;
    json_t *item = json_object();
    json_object_set_new(item, "id", json_string(id));
    bool ok = true;
    static const col_role NEEDED[] = {C_NAME, C_ROMAJI};
    for (size_t i = 0; i < 2; i++) {
        json_t *t = imp_json_text(cell_of(s, L, row, NEEDED[i]));
        if (!t) {
            cell_ref(L, NEEDED[i], row, ref);
            imp_problem(ic->im, true, "%s!%s: %s is empty", s->name, ref, ROLE_NAMES[NEEDED[i]]);
            ok = false;
        }
        json_object_set_new(item, i ? "romaji" : "name", t ? t : json_string(""));
    }
    char *g = imp_strip(cell_of(s, L, row, C_GROUP));
    if (g && *g) snprintf(cur_group, cur_len, "%s", g);
    free(g);
    if (!*cur_group) {
        cell_ref(L, C_GROUP, row, ref);
        imp_problem(ic->im, true, "%s!%s: グループ 名称 is empty and no group is above", s->name,
                    ref);
        ok = false;
    }
    set_mark(ic, s, L, row, C_PK, item, "primary_key", false);
    set_mark(ic, s, L, row, C_FK, item, "foreign_key", false);
    json_t *cls = json_array();
    for (col_role r = C_LV1; r <= C_LV3; r++) {
        const char *t = cell_of(s, L, row, r);
        json_t *j = imp_json_text(t);
        if (j) json_array_append_new(cls, j);
    }
    if (json_array_size(cls))
        json_object_set_new(item, "class", cls);
    else
        json_decref(cls);
    const char *tt = cell_of(s, L, row, C_TYPE), *type = imp_type(tt);
    if (!type) {
        cell_ref(L, C_TYPE, row, ref);
        imp_problem(ic->im, true,
                    "%s!%s: データ型 \"%s\" is not one of X, Ｎ, 9, 9V, S9, BLOB, YEAR, DATE, TIME",
                    s->name, ref, tt ? tt : "");
        ok = false;
    } else {
        json_object_set_new(item, "type", json_string(type));
        ok &= item_length(ic, s, L, row, type, item);
    }
    const char *code = cell_of(s, L, row, C_CODE);
    char *cs = imp_strip(code);
    if (cs && *cs && strcmp(cs, "-") && strcmp(cs, "－")) {
        json_object_set_new(item, "code", json_string(cs));
        unsigned long v;
        if (!imp_uint(cs, &v)) {
            cell_ref(L, C_CODE, row, ref);
            imp_problem(ic->im, false,
                        "%s!%s: コード \"%s\" is not a numeric code-list ID: kept as written "
                        "(tekigo needs the number of the list, e.g. in an overlay)",
                        s->name, ref, cs);
        }
    }
    free(cs);
    const char *rep = cell_of(s, L, row, C_REPEAT);
    char rn[32];
    imp_norm(rep, rn, sizeof rn);
    unsigned long rv;
    if (*rn && strcmp(rn, "-")) {
        if (imp_uint(rn, &rv) && rv > 0) {
            json_object_set_new(item, "repeat", json_integer((json_int_t)rv));
        } else {
            cell_ref(L, C_REPEAT, row, ref);
            imp_problem(ic->im, true, "%s!%s: 繰り返し \"%s\" is not a positive number", s->name,
                        ref, rep);
            ok = false;
        }
    }
    const char *out = cell_of(s, L, row, C_OUTPUT);
    char on[64];
    imp_norm(out, on, sizeof on);
    const char *output = !strcmp(on, "必須")           ? "required"
                         : !strcmp(on, "条件付き必須") ? "conditional"
                         : !strcmp(on, "任意")         ? "optional"
                                                       : NULL;
    if (!output) {
        cell_ref(L, C_OUTPUT, row, ref);
        imp_problem(ic->im, true, "%s!%s: データ出力条件 \"%s\" is not 必須, 条件付き必須 or 任意",
                    s->name, ref, out ? out : "");
        ok = false;
    } else {
        json_object_set_new(item, "output", json_string(output));
    }
    const char *desc = cell_of(s, L, row, C_DESC);
    char *cond = imp_condition(desc);
    if (cond) json_object_set_new(item, "condition_text", json_string(cond));
    free(cond);
    set_mark(ic, s, L, row, C_IMPL, item, "implementation", true);
    if (desc && strstr(desc, "不詳日を許容する")) {
        json_object_set_new(item, "unknown_date", json_pack("{s:b}", "allowed", 1));
        if (type && strcmp(type, "DATE")) {
            cell_ref(L, C_DESC, row, ref);
            imp_problem(ic->im, false, "%s!%s: 不詳日を許容する on a データ型 %s item (not DATE)",
                        s->name, ref, type);
        }
    }
    set_text(item, "definition", cell_of(s, L, row, C_DEF));
    set_text(item, "description", desc);
    set_text(item, "spec_ref", cell_of(s, L, row, C_SPEC));
    set_text(item, "sample", cell_of(s, L, row, C_SAMPLE));
    set_text(item, "note", cell_of(s, L, row, C_NOTE));
    if (!ok) {
        json_decref(item);
        return false;
    }
    /* The same データ項目ID twice is an error; the business of every item should agree. */
    size_t gi;
    json_t *grp;
    json_array_foreach(ic->groups, gi, grp) {
        size_t k;
        json_t *other;
        json_array_foreach(json_object_get(grp, "items"), k, other) {
            if (strcmp(json_string_value(json_object_get(other, "id")), id)) continue;
            cell_ref(L, L->col[C_ID] ? C_ID : C_ID_ITEM, row, ref);
            imp_problem(ic->im, true, "%s!%s: データ項目ID %s appears twice", s->name, ref, id);
            json_decref(item);
            return false;
        }
    }
    if (!ic->business[0]) {
        memcpy(ic->business, id, 3);
        ic->business[3] = '\0';
    } else if (strncmp(ic->business, id, 3)) {
        cell_ref(L, L->col[C_ID] ? C_ID : C_ID_BUS, row, ref);
        imp_problem(ic->im, false, "%s!%s: business %.3s differs from %s of the items above",
                    s->name, ref, id, ic->business);
    }
    json_array_append_new(json_object_get(group_named(ic, cur_group), "items"), item);
    return true;
}

/* A row is an item when it has an ID, a データ項目 or a データ型; other rows with text in
 * the table's columns (notes, section titles) are skipped with a warning. */
static void read_items(items_ctx *ic, const imp_sheet *s, const layout *L) {
    char group[512] = "";
    for (size_t ri = 0; ri < s->nrows; ri++) {
        uint32_t row = s->rows[ri].row;
        if (row < L->first_data) continue;
        bool any = false;
        for (int r = 0; r < C__COUNT; r++)
            any |= cell_of(s, L, row, (col_role)r) != NULL;
        if (!any) continue;
        bool item = cell_of(s, L, row, C_ID) || cell_of(s, L, row, C_ID_BUS) ||
                    cell_of(s, L, row, C_ID_ITEM) || cell_of(s, L, row, C_NAME) ||
                    cell_of(s, L, row, C_TYPE);
        if (!item) {
            char ref[16];
            imp_ref(s->cells[s->rows[ri].first].col, row, ref);
            imp_problem(ic->im, false,
                        "%s!%s: row %u has no データ項目ID, データ項目 or データ型: skipped",
                        s->name, ref, (unsigned)row);
            continue;
        }
        read_item(ic, s, L, row, group, sizeof group);
    }
}

/* Foreign keys refer to the primary key of the same name in another group; a DATE that
 * allows 不詳日 has its 不詳表記 in the item "<name>_不詳表記". Both are inferred, not
 * read: the note lists them. */
static void infer_links(items_ctx *ic) {
    size_t gi, k;
    json_t *g, *it;
    char note[4096] = "";
    size_t w = 0;
    json_array_foreach(ic->groups, gi, g) {
        json_array_foreach(json_object_get(g, "items"), k, it) {
            const char *name = json_string_value(json_object_get(it, "name"));
            json_t *ud = json_object_get(it, "unknown_date");
            if (ud) {
                char want[600];
                snprintf(want, sizeof want, "%s_不詳表記", name);
                size_t j;
                json_t *o;
                json_array_foreach(json_object_get(g, "items"), j, o) {
                    if (strcmp(json_string_value(json_object_get(o, "name")), want)) continue;
                    json_object_set_new(ud, "text_item", json_string(want));
                    w += (size_t)snprintf(note + w, w < sizeof note ? sizeof note - w : 0,
                                          "%s%s.unknown_date.text_item = %s", w ? "; " : "", name,
                                          want);
                    break;
                }
            }
            if (!json_is_true(json_object_get(it, "foreign_key"))) continue;
            const char *target = NULL;
            size_t gj, j;
            json_t *h, *o;
            json_array_foreach(ic->groups, gj, h) {
                if (gj == gi || target) continue;
                json_array_foreach(json_object_get(h, "items"), j, o) {
                    if (json_is_true(json_object_get(o, "primary_key")) &&
                        !strcmp(json_string_value(json_object_get(o, "name")), name)) {
                        target = json_string_value(json_object_get(h, "name"));
                        break;
                    }
                }
            }
            if (!target) {
                imp_problem(ic->im, false,
                            "group %s: 外部キー %s: no other group has a primary key of that "
                            "name: its references are left out",
                            json_string_value(json_object_get(g, "name")), name);
                continue;
            }
            /* Keys in the transcription's order: references right after foreign_key. */
            json_t *copy = json_object();
            const char *key;
            json_t *v;
            json_object_foreach(it, key, v) {
                json_object_set(copy, key, v);
                if (!strcmp(key, "foreign_key"))
                    json_object_set_new(copy, "references",
                                        json_pack("{s:s,s:s}", "group", target, "item", name));
            }
            json_object_clear(it);
            json_object_update(it, copy);
            json_decref(copy);
            w += (size_t)snprintf(note + w, w < sizeof note ? sizeof note - w : 0,
                                  "%s%s.references = %s/%s", w ? "; " : "", name, target, name);
        }
    }
    free(ic->inferred);
    ic->inferred = w ? tkg_strdup(note) : NULL;
}

/* ---- コード一覧 sheets ----------------------------------------------------------------- */

typedef enum { K_ID, K_NAME, K_VALUE, K_LABEL, K_NOTE, K__COUNT } code_role;

static void read_code_sheet(tkg_import *im, const imp_sheet *s, const imp_row *hr, json_t *lists) {
    uint32_t col[K__COUNT] = {0};
    static const char *const NAMES[K__COUNT] = {"コードID", "コード名", "コード値",
                                                "コード値の内容", "備考"};
    for (size_t i = 0; i < hr->n; i++) {
        char n[64];
        imp_norm(s->cells[hr->first + i].text, n, sizeof n);
        for (int k = 0; k < K__COUNT; k++)
            if (!strcmp(n, NAMES[k]) && !col[k]) col[k] = s->cells[hr->first + i].col;
    }
    char cur_id[64] = "", cur_name[512] = "";
    for (size_t ri = 0; ri < s->nrows; ri++) {
        uint32_t row = s->rows[ri].row;
        if (row <= hr->row) continue;
        const char *t[K__COUNT];
        bool any = false;
        for (int k = 0; k < K__COUNT; k++)
            any |= (t[k] = col[k] ? imp_text(s, row, col[k]) : NULL) != NULL;
        if (!any) continue;
        char ref[16];
        char *id = imp_strip(t[K_ID]), *name = imp_strip(t[K_NAME]);
        /* A blank コードID (a merged cell) continues the list above. */
        if (id && *id) {
            if (strcmp(id, cur_id)) cur_name[0] = '\0';
            snprintf(cur_id, sizeof cur_id, "%s", id);
        }
        if (name && *name) snprintf(cur_name, sizeof cur_name, "%s", name);
        free(id);
        free(name);
        unsigned long idv;
        imp_ref(col[K_ID], row, ref);
        if (!*cur_id) {
            imp_problem(im, false, "%s!%s: a code without コードID: left out", s->name, ref);
            continue;
        }
        if (!imp_uint(cur_id, &idv)) {
            imp_problem(im, false, "%s!%s: コードID \"%s\" is not a number: left out", s->name, ref,
                        cur_id);
            continue;
        }
        json_t *list = NULL, *l;
        size_t i;
        json_array_foreach(lists, i, l) {
            if (json_integer_value(json_object_get(l, "id")) == (json_int_t)idv) list = l;
        }
        if (!list) {
            char src[600];
            snprintf(src, sizeof src, "%s: %s", im->base, s->name);
            list = json_pack("{s:I,s:s,s:s,s:[]}", "id", (json_int_t)idv, "name", cur_name,
                             "source", src, "values");
            if (idv == 999) json_object_set_new(list, "municipality_defined", json_true());
            json_array_append_new(lists, list);
        } else if (*cur_name &&
                   strcmp(json_string_value(json_object_get(list, "name")), cur_name)) {
            imp_problem(
                im, false, "%s!%s: コードID %lu is named both \"%s\" and \"%s\": the first is kept",
                s->name, ref, idv, json_string_value(json_object_get(list, "name")), cur_name);
        }
        if (!*json_string_value(json_object_get(list, "name")) && *cur_name)
            json_object_set_new(list, "name", json_string(cur_name));
        if (idv == 999) continue; /* 自治体固有コード: values are the municipality's */
        char *value = imp_strip(t[K_VALUE]), *label = imp_strip(t[K_LABEL]);
        if (!value || !*value || !label || !*label) {
            imp_ref(col[value && *value ? K_LABEL : K_VALUE], row, ref);
            imp_problem(im, false, "%s!%s: code list %lu: a row without %s: left out", s->name, ref,
                        idv, value && *value ? "コード値の内容" : "コード値");
        } else {
            json_array_append_new(json_object_get(list, "values"),
                                  json_pack("{s:s,s:s}", "code", value, "label", label));
        }
        free(value);
        free(label);
    }
}

static const imp_row *code_header(const imp_sheet *s) {
    for (size_t ri = 0; ri < s->nrows; ri++) {
        const imp_row *r = &s->rows[ri];
        bool id = false, value = false;
        for (size_t i = 0; i < r->n; i++) {
            char n[64];
            imp_norm(s->cells[r->first + i].text, n, sizeof n);
            id |= !strcmp(n, "コードID");
            value |= !strcmp(n, "コード値");
        }
        if (id && value) return r;
    }
    return NULL;
}

/* ---- the data-export profile ------------------------------------------------------ */

static void check_code_refs(tkg_import *im, json_t *groups, json_t *lists) {
    size_t gi, k, i;
    json_t *g, *it, *l;
    json_array_foreach(groups, gi, g) {
        json_array_foreach(json_object_get(g, "items"), k, it) {
            unsigned long v;
            const char *code = json_string_value(json_object_get(it, "code"));
            if (!code || !imp_uint(code, &v) || v == 999) continue;
            bool found = false;
            json_array_foreach(lists, i, l) found |=
                json_integer_value(json_object_get(l, "id")) == (json_int_t)v;
            if (!found)
                imp_problem(im, false,
                            "item %s %s: code list %s is in no コード一覧 sheet of the workbook "
                            "(the profile needs a code_lists file with it)",
                            json_string_value(json_object_get(it, "id")),
                            json_string_value(json_object_get(it, "name")), code);
        }
    }
}

bool imp_import_items(tkg_import *im) {
    items_ctx ic = {im, json_array(), "", NULL};
    json_t *lists = json_array();
    char title[1024] = "";
    bool any_header = false;
    for (size_t si = 0; si < im->nsheets; si++) {
        const imp_sheet *s = &im->sheets[si];
        const imp_row *hr = NULL;
        for (size_t ri = 0; ri < s->nrows && !hr; ri++)
            if (is_item_header(s, &s->rows[ri])) hr = &s->rows[ri];
        if (hr) {
            any_header = true;
            /* The title: the first text above the header (row 1 in the official files). */
            if (!title[0] && s->nrows && s->rows[0].row < hr->row)
                snprintf(title, sizeof title, "%s", s->cells[s->rows[0].first].text);
            layout L;
            if (map_columns(im, s, hr->row, &L)) read_items(&ic, s, &L);
            continue;
        }
        const imp_row *ch = code_header(s);
        if (ch) read_code_sheet(im, s, ch, lists);
    }
    if (!any_header) {
        imp_problem(im, true,
                    "%s: no sheet has the header of a 基本データリスト (データ項目ID … データ型) "
                    "or of an API specification (パラメータ名, レスポンスオブジェクト名)",
                    im->base);
    } else if (!json_array_size(ic.groups) && !im->nerrors) {
        imp_problem(im, true, "%s: the 基本データリスト has no items", im->base);
    }
    infer_links(&ic);
    check_code_refs(im, ic.groups, lists);
    char version[32] = "imported";
    if (!imp_version_in(title, version, sizeof version))
        imp_version_in(im->base, version, sizeof version);
    char *t = imp_strip(title);
    char *bundled = ic.business[0] ? imp_bundled_id(ic.business, "data-export") : NULL;
    char id[64];
    snprintf(id, sizeof id, "%s%s", bundled ? "" : "imported-",
             bundled          ? bundled
             : ic.business[0] ? ic.business
                              : "workbook");
    free(bundled);
    char en[600];
    snprintf(en, sizeof en, "Imported from %s", im->base);
    char note[8192];
    snprintf(
        note, sizeof note,
        "Imported by tekigo import from %s (SHA-256 %s): every item of the 基本データリスト with "
        "the columns the workbook has (データ項目ID, データ項目, ローマ字, グループ, 主キー, "
        "外部キー, "
        "クラス分類, データ型, 桁数, コード, 繰り返し, データ出力条件 with the ※※ text of "
        "項目説明, 項目定義, "
        "項目説明 (不詳日を許容する), 標準仕様書関連箇所, 実装類型, サンプル値, 備考)%s. Not in "
        "the workbook, "
        "so not in this profile: machine conditions (required_when), check digits, fixed lengths, "
        "masters, patterns, personal-data flags; the file dialect is tekigo's default and each "
        "group's file-name glob is made from its name.%s%s",
        im->base, im->sha256,
        json_array_size(lists) ? " and the code lists of the コード一覧 sheets" : "",
        ic.inferred ? " Inferred by tekigo import, not read: " : "",
        ic.inferred ? ic.inferred : "");
    free(ic.inferred);
    json_t *p = json_object();
    json_object_set_new(p, "tekigo_profile", json_integer(1));
    json_object_set_new(p, "id", json_string(id));
    json_object_set_new(p, "version", json_string(version));
    json_object_set_new(p, "title", json_pack("{s:s,s:s}", "ja", t && *t ? t : im->base, "en", en));
    free(t);
    if (ic.business[0]) json_object_set_new(p, "business", json_string(ic.business));
    json_object_set_new(p, "purpose", json_string("data-export"));
    json_object_set_new(p, "effective", json_pack("{s:n,s:n}", "from", "to"));
    json_object_set_new(p, "source",
                        json_pack("{s:s,s:s,s:[s],s:s}", "fidelity", "official-transcription",
                                  "title", title[0] ? title : im->base, "files", im->base, "note",
                                  note));
    json_object_set_new(p, "groups", ic.groups);
    im->profile = p;
    im->purpose = "data-export";
    if (json_array_size(lists))
        im->codes = json_pack("{s:o}", "code_lists", lists);
    else
        json_decref(lists);
    return true;
}
