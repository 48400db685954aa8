/* csv_input.c — binds CSV files to the engine: reads the header (Japanese or
 * romaji item names, detected, or none), checks it against the group's items,
 * maps columns to items, turns reader issues into findings, and hands every
 * data record to the engine as item-indexed values. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "input.h"
#include "util.h"

typedef struct {
    tkg_file_ctx *fc;
    tkg_csv_reader *csv;
    bool header_done;
    bool unassignable;
    int *col_item; /* header column → item index, -1 unknown/duplicate */
    size_t ncols;
    int *item_col; /* item → column, -1 missing */
    tkg_value *values;
    size_t nitems;
} csv_input;

static void fmt_u64(char *b, size_t n, uint64_t v) {
    snprintf(b, n, "%llu", (unsigned long long)v);
}

static bool has_header(const csv_input *ci) {
    return ci->fc->profile->dialect.header != TKG_HDR_NONE;
}

static int64_t data_record(const csv_input *ci, uint64_t physical) {
    return has_header(ci) ? (int64_t)physical - 1 : (int64_t)physical;
}

static const tkg_item *item_at_column(const csv_input *ci, uint64_t field) {
    if (!ci->header_done || ci->unassignable || field == 0 || field > ci->ncols) return NULL;
    int it = ci->col_item[field - 1];
    return it >= 0 ? &ci->fc->profile->groups[ci->fc->group].items[it] : NULL;
}

static void emit(csv_input *ci, tkg_rule_id r, uint64_t line, int64_t record, uint32_t column,
                 const tkg_item *it, const char *a1, const char *a2, const char *a3) {
    tkg_loc loc = {ci->fc->input, line, record, column, it};
    tkg_report_emit(ci->fc->report, r, &loc, NULL, 0, a1, a2, a3);
}

int tkg_identify_group(const tkg_profile *p, const char *const *names, size_t n) {
    int best = -1;
    size_t best_hits = 0;
    for (size_t g = 0; g < p->ngroups; g++) {
        size_t hits = 0;
        for (size_t i = 0; i < n; i++)
            if (tkg_group_item_by_name(&p->groups[g], names[i]) >= 0 ||
                tkg_group_item_by_romaji(&p->groups[g], names[i]) >= 0)
                hits++;
        if (hits > best_hits) {
            best = (int)g;
            best_hits = hits;
        }
    }
    /* At least half of the columns must be items of the group to trust the guess. */
    return best_hits * 2 >= n && best_hits > 0 ? best : -1;
}

static bool alloc_maps(csv_input *ci, size_t ncols) {
    const tkg_group *g = &ci->fc->profile->groups[ci->fc->group];
    ci->nitems = g->nitems;
    ci->ncols = ncols;
    ci->col_item = malloc((ncols + 1) * sizeof *ci->col_item);
    ci->item_col = malloc(g->nitems * sizeof *ci->item_col);
    ci->values = calloc(g->nitems, sizeof *ci->values);
    if (!ci->col_item || !ci->item_col || !ci->values) return false;
    for (size_t i = 0; i < ncols; i++)
        ci->col_item[i] = -1;
    for (size_t i = 0; i < g->nitems; i++)
        ci->item_col[i] = -1;
    return true;
}

static void read_header(csv_input *ci, const tkg_csv_record *rec) {
    tkg_file_ctx *fc = ci->fc;
    const tkg_profile *p = fc->profile;
    const char **names = malloc((rec->nfields + 1) * sizeof *names);
    if (!names) return;
    for (size_t i = 0; i < rec->nfields; i++)
        names[i] = rec->fields[i].data;
    if (fc->group < 0) fc->group = tkg_identify_group(p, names, rec->nfields);
    if (fc->group < 0) {
        ci->unassignable = true;
        emit(ci, R_PKG001, 0, TKG_NO_RECORD, 0, NULL, NULL, NULL, NULL);
        free(names);
        return;
    }
    fc->report->inputs[fc->input].group = fc->group;
    const tkg_group *g = &p->groups[fc->group];
    if (!alloc_maps(ci, rec->nfields)) {
        free(names);
        return;
    }
    /* Japanese or romaji names: in "either" mode, whichever names more columns. */
    size_t ja = 0, ro = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        ja += tkg_group_item_by_name(g, names[i]) >= 0;
        ro += tkg_group_item_by_romaji(g, names[i]) >= 0;
    }
    tkg_header_mode mode = p->dialect.header;
    if (mode == TKG_HDR_EITHER) mode = ro > ja ? TKG_HDR_ROMAJI : TKG_HDR_JAPANESE;
    size_t recognised = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        const tkg_csv_field *f = &rec->fields[i];
        int it = mode == TKG_HDR_ROMAJI ? tkg_group_item_by_romaji(g, names[i])
                                        : tkg_group_item_by_name(g, names[i]);
        char col[24];
        if (it < 0) {
            emit(ci, R_HDR003, f->line, 0, (uint32_t)(i + 1), NULL,
                 f->bad_encoding ? "?" : names[i], NULL, NULL);
        } else if (ci->item_col[it] >= 0) {
            fmt_u64(col, sizeof col, (uint64_t)ci->item_col[it] + 1);
            emit(ci, R_HDR004, f->line, 0, (uint32_t)(i + 1), &g->items[it], names[i], col, NULL);
        } else {
            ci->item_col[it] = (int)i;
            ci->col_item[i] = it;
            recognised++;
        }
    }
    free(names);
    if (recognised == 0) {
        emit(ci, R_HDR006, rec->line, 0, 0, NULL, g->name, NULL, NULL);
        ci->unassignable = true; /* without a header nothing can be attributed */
        return;
    }
    int last = -1;
    bool order_reported = false;
    for (size_t i = 0; i < rec->nfields && !order_reported; i++) {
        int it = ci->col_item[i];
        if (it < 0) continue;
        if (it < last) {
            char col[24];
            fmt_u64(col, sizeof col, i + 1);
            emit(ci, R_HDR005, rec->line, 0, (uint32_t)(i + 1), &g->items[it], g->items[it].name,
                 col, NULL);
            order_reported = true;
        }
        last = it;
    }
    for (size_t k = 0; k < g->nitems; k++) {
        if (ci->item_col[k] >= 0) continue;
        emit(ci, g->items[k].implementation ? R_HDR001 : R_HDR002, rec->line, 0, 0, &g->items[k],
             NULL, NULL, NULL);
    }
}

static void positional_header(csv_input *ci) {
    const tkg_group *g = &ci->fc->profile->groups[ci->fc->group];
    if (!alloc_maps(ci, g->nitems)) return;
    for (size_t i = 0; i < g->nitems; i++)
        ci->col_item[i] = ci->item_col[i] = (int)i;
}

static void on_record(void *ctx, const tkg_csv_record *rec) {
    csv_input *ci = ctx;
    tkg_file_ctx *fc = ci->fc;
    if (!ci->header_done) {
        ci->header_done = true;
        if (has_header(ci)) {
            read_header(ci, rec);
            return;
        }
        if (fc->group < 0) {
            ci->unassignable = true;
            emit(ci, R_PKG001, 0, TKG_NO_RECORD, 0, NULL, NULL, NULL, NULL);
        } else {
            positional_header(ci);
        }
    }
    fc->records++;
    if (ci->unassignable || !ci->values) return;
    int64_t record = data_record(ci, rec->index);
    if (rec->nfields != ci->ncols) {
        char a[24], b[24];
        fmt_u64(a, sizeof a, rec->nfields);
        fmt_u64(b, sizeof b, ci->ncols);
        emit(ci, R_CSV008, rec->line, record, 0, NULL, a, b, NULL);
    }
    for (size_t i = 0; i < ci->nitems; i++) {
        int col = ci->item_col[i];
        tkg_value *v = &ci->values[i];
        if (col < 0 || (size_t)col >= rec->nfields) {
            v->present = false;
            v->data = "";
            v->len = 0;
            continue;
        }
        const tkg_csv_field *f = &rec->fields[col];
        v->data = f->data;
        v->len = f->len;
        v->line = f->line;
        v->column = (uint32_t)col + 1;
        v->present = true;
        v->skip = f->bad_encoding || f->truncated;
    }
    tkg_loc loc = {fc->input, rec->line, record, 0, NULL};
    tkg_engine_record(fc->engine, fc->group, &loc, ci->values);
}

static const char *encoding_name(tkg_encoding e) {
    switch (e) {
    case TKG_ENC_UTF16LE:
        return "UTF-16LE";
    case TKG_ENC_UTF16BE:
        return "UTF-16BE";
    case TKG_ENC_CP932:
        return "CP932";
    default:
        return "UTF-8";
    }
}

static void on_issue(void *ctx, const tkg_csv_issue *is) {
    csv_input *ci = ctx;
    const tkg_profile *p = ci->fc->profile;
    int64_t record = is->record ? data_record(ci, is->record) : TKG_NO_RECORD;
    uint32_t col = (uint32_t)is->field;
    const tkg_item *it = item_at_column(ci, is->field);
    char a[24];
    switch (is->kind) {
    case TKG_CSV_BAD_ENCODING:
        fmt_u64(a, sizeof a, is->offset);
        emit(ci, R_ENC001, is->line, record, col, it, encoding_name(p->dialect.encoding),
             is->detail ? is->detail : "", a);
        break;
    case TKG_CSV_NUL_BYTE:
        emit(ci, R_ENC004, is->line, record, col, it, NULL, NULL, NULL);
        break;
    case TKG_CSV_UNTERMINATED_QUOTE:
        emit(ci, R_CSV001, is->line, record, col, it, NULL, NULL, NULL);
        break;
    case TKG_CSV_STRAY_QUOTE:
        emit(ci, R_CSV002, is->line, record, col, it, NULL, NULL, NULL);
        break;
    case TKG_CSV_TEXT_AFTER_QUOTE:
        emit(ci, R_CSV003, is->line, record, col, it, NULL, NULL, NULL);
        break;
    case TKG_CSV_FIELD_TOO_LONG:
        fmt_u64(a, sizeof a, 1u << 20);
        emit(ci, R_CSV004, is->line, record, col, it, a, NULL, NULL);
        break;
    case TKG_CSV_TOO_MANY_FIELDS:
        fmt_u64(a, sizeof a, 10000);
        emit(ci, R_CSV005, is->line, record, col, NULL, a, NULL, NULL);
        break;
    case TKG_CSV_BOM_UNEXPECTED:
        emit(ci, R_ENC002, 1, TKG_NO_RECORD, 0, NULL, NULL, NULL, NULL);
        break;
    case TKG_CSV_BOM_MISSING:
        emit(ci, R_ENC003, 1, TKG_NO_RECORD, 0, NULL, NULL, NULL, NULL);
        break;
    case TKG_CSV_NEWLINE:
        emit(ci, R_CSV006, is->line, record, 0, NULL,
             p->dialect.newline == TKG_NL_CRLF ? "CRLF" : "LF", NULL, NULL);
        break;
    case TKG_CSV_NO_FINAL_NEWLINE:
        emit(ci, R_CSV007, is->line, record, 0, NULL, NULL, NULL, NULL);
        break;
    }
}

static void *csv_open(tkg_file_ctx *fc) {
    csv_input *ci = calloc(1, sizeof *ci);
    if (!ci) return NULL;
    ci->fc = fc;
    tkg_csv_callbacks cb = {on_record, on_issue, ci};
    ci->csv = tkg_csv_new(&fc->profile->dialect, NULL, &cb);
    if (!ci->csv) {
        free(ci);
        return NULL;
    }
    /* Without a header the columns are known before the first record, so that the
     * reader's findings in it (encoding, quotes) already name their item. */
    if (!has_header(ci) && fc->group >= 0) {
        positional_header(ci);
        ci->header_done = true;
    }
    return ci;
}

static int csv_feed(void *self, const void *buf, size_t len) {
    return tkg_csv_feed(((csv_input *)self)->csv, buf, len);
}

static int csv_finish(void *self) {
    csv_input *ci = self;
    int rc = tkg_csv_finish(ci->csv);
    if (!ci->header_done && ci->fc->group >= 0 && has_header(ci))
        emit(ci, R_HDR006, 0, TKG_NO_RECORD, 0, NULL, ci->fc->profile->groups[ci->fc->group].name,
             NULL, NULL);
    else if (!ci->header_done && ci->fc->group < 0)
        emit(ci, R_PKG001, 0, TKG_NO_RECORD, 0, NULL, NULL, NULL, NULL);
    else if (ci->fc->records == 0 && !ci->unassignable)
        emit(ci, R_PKG004, 0, TKG_NO_RECORD, 0, NULL, NULL, NULL, NULL);
    return rc;
}

static void csv_close(void *self) {
    csv_input *ci = self;
    if (!ci) return;
    tkg_csv_free(ci->csv);
    free(ci->col_item);
    free(ci->item_col);
    free(ci->values);
    free(ci);
}

const tkg_input_vtable tkg_csv_input = {"csv", csv_open, csv_feed, csv_finish, csv_close};

const tkg_input_vtable *tkg_input_for(const tkg_profile *p, const char *path) {
    (void)p;
    (void)path;
    /* -- later readers: choose them here (by purpose or extension) before the CSV default -- */
    const tkg_input_vtable *xml = tkg_xml_input_for(p, path);
    if (xml) return xml;
    const tkg_input_vtable *json = tkg_json_input_for(p, path);
    if (json) return json;
    return &tkg_csv_input;
}
