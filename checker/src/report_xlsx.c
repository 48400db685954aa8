/* report_xlsx.c — the Excel workbook report (`--format xlsx`), with libxlsxwriter:
 * a summary sheet (verdict, profile, inputs with their hashes, counts per rule
 * with titles), a findings sheet (one row per kept finding, header row with an
 * autofilter, frozen), and a coverage sheet when the run has a coverage matrix.
 * Japanese labels by default, English with --lang en.
 *
 * Reproducible: the workbook's creation date is fixed (2000-01-01T00:00:00Z) and
 * libxlsxwriter stamps its zip entries with a fixed date, so the same run gives
 * a byte-identical file. libxlsxwriter writes to a file name: the workbook is
 * written to a temporary file, then streamed into `out`, and the file removed. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "report_common.h"
#include "util.h"

#define FIXED_CREATED ((time_t)946684800) /* 2000-01-01T00:00:00Z */

typedef struct {
    lxw_workbook *wb;
    lxw_format *title, *head, *label, *cell, *wrap, *num, *mono, *ok, *bad, *unknown;
    bool en;
} book;

/* Text cells go through tkg_rep_xml_safe: the sheet XML must not hold C0 controls. */
static void put(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f) {
    if (!s) return;
    char *safe = tkg_rep_xml_safe(s);
    if (!safe) return;
    if (strlen(safe) > 32000) safe[32000] = '\0'; /* Excel's cell limit is 32767 characters */
    worksheet_write_string(ws, row, col, safe, f);
    free(safe);
}

static void put_num(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v, lxw_format *f) {
    worksheet_write_number(ws, row, col, v, f);
}

static const char *L(const book *b, const char *ja, const char *en) {
    return b->en ? en : ja;
}

static lxw_format *fmt(lxw_workbook *wb, bool bold, uint32_t bg, uint32_t fg, double size,
                       bool border, bool wrap) {
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, "Meiryo UI");
    if (size > 0) format_set_font_size(f, size);
    if (bold) format_set_bold(f);
    if (bg) format_set_bg_color(f, bg);
    if (fg) format_set_font_color(f, fg);
    if (border) format_set_border(f, LXW_BORDER_THIN);
    if (wrap) format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static void formats(book *b) {
    lxw_workbook *wb = b->wb;
    b->title = fmt(wb, true, 0, 0x1F2937, 16, false, false);
    b->head = fmt(wb, true, 0x1F3A5F, 0xFFFFFF, 0, true, true);
    b->label = fmt(wb, true, 0xEEF2F7, 0, 0, true, false);
    b->cell = fmt(wb, false, 0, 0, 0, true, false);
    b->wrap = fmt(wb, false, 0, 0, 0, true, true);
    b->num = fmt(wb, false, 0, 0, 0, true, false);
    format_set_num_format(b->num, "#,##0");
    b->mono = fmt(wb, false, 0, 0x4B5563, 9, true, false);
    b->ok = fmt(wb, true, 0x2E7D32, 0xFFFFFF, 14, true, false);
    b->bad = fmt(wb, true, 0xC62828, 0xFFFFFF, 14, true, false);
    b->unknown = fmt(wb, true, 0xB26A00, 0xFFFFFF, 14, true, false);
}

static void pair(book *b, lxw_worksheet *ws, lxw_row_t *row, const char *label, const char *value,
                 lxw_format *f) {
    put(ws, *row, 0, label, b->label);
    put(ws, *row, 1, value ? value : "", f ? f : b->cell);
    (*row)++;
}

static void pair_num(book *b, lxw_worksheet *ws, lxw_row_t *row, const char *label, uint64_t v) {
    put(ws, *row, 0, label, b->label);
    put_num(ws, *row, 1, (double)v, b->num);
    (*row)++;
}

static void summary_sheet(book *b, const tkg_report *r) {
    const tkg_profile *p = r->profile;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, L(b, "概要", "Summary"));
    worksheet_set_column(ws, 0, 0, 26, NULL);
    worksheet_set_column(ws, 1, 1, 48, NULL);
    worksheet_set_column(ws, 2, 3, 12, NULL);
    worksheet_set_column(ws, 4, 4, 70, NULL);
    worksheet_set_column(ws, 5, 5, 14, NULL);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    lxw_row_t row = 0;
    put(ws, row, 0, L(b, "tekigo 適合性検査レポート", "tekigo conformance report"), b->title);
    row += 2;
    const char *verdict = tkg_report_verdict(r);
    lxw_format *vf = !strcmp(verdict, "conformant")      ? b->ok
                     : !strcmp(verdict, "nonconformant") ? b->bad
                                                         : b->unknown;
    worksheet_set_row(ws, row, 24, NULL);
    pair(b, ws, &row, L(b, "判定", "Verdict"), tkg_rep_verdict_words(b->en, verdict), vf);
    tkg_buf prof = {0};
    tkg_buf_printf(&prof, "%s@%s (%s)", p->id, p->version, p->fidelity);
    pair(b, ws, &row, L(b, "プロファイル", "Profile"), prof.data, NULL);
    tkg_buf_free(&prof);
    const char *title = b->en && p->title_en ? p->title_en : p->title_ja;
    if (title) pair(b, ws, &row, L(b, "プロファイル名", "Profile title"), title, NULL);
    pair(b, ws, &row, L(b, "業務コード", "Business code"), p->business, NULL);
    pair(b, ws, &row, L(b, "プロファイルの SHA-256", "Profile SHA-256"), p->sha256, b->mono);
    pair(b, ws, &row, L(b, "基準日", "As of"), r->as_of, NULL);
    pair(b, ws, &row, "tekigo", tkg_version(), NULL);
    pair_num(b, ws, &row, L(b, "エラー", "Errors"), r->totals[TKG_SEV_ERROR]);
    pair_num(b, ws, &row, L(b, "警告", "Warnings"), r->totals[TKG_SEV_WARNING]);
    pair_num(b, ws, &row, L(b, "情報", "Infos"), r->totals[TKG_SEV_INFO]);
    uint64_t total = tkg_rep_total(r);
    pair_num(b, ws, &row, L(b, "所見の合計", "Findings in all"), total);
    pair_num(b, ws, &row,
             L(b, "「所見」シートに載せた所見", "Findings listed on the Findings sheet"),
             r->nsorted);
    if (total > r->nsorted) {
        tkg_buf note = {0};
        tkg_buf_printf(
            &note,
            b->en ? "%" PRIu64 " findings are counted but not listed (at most %zu per rule)"
                  : "%" PRIu64 " 件は数えましたが一覧にはありません（規則ごとに %zu 件まで）",
            total - r->nsorted, r->max_examples);
        pair(b, ws, &row, L(b, "注記", "Note"), note.data, b->wrap);
        tkg_buf_free(&note);
    }

    row++;
    put(ws, row++, 0, L(b, "入力ファイル", "Inputs"), b->title);
    const char *in_head[] = {L(b, "パス", "Path"),
                             L(b, "グループ", "Group"),
                             L(b, "レコード数", "Records"),
                             L(b, "バイト数", "Bytes"),
                             "SHA-256",
                             L(b, "状態", "State")};
    for (lxw_col_t c = 0; c < 6; c++)
        put(ws, row, c, in_head[c], b->head);
    row++;
    for (size_t i = 0; i < r->ninputs; i++, row++) {
        const tkg_input *in = &r->inputs[i];
        put(ws, row, 0, in->path, b->wrap);
        put(ws, row, 1, in->group >= 0 ? p->groups[in->group].name : "-", b->cell);
        if (in->read) {
            put_num(ws, row, 2, (double)in->records, b->num);
            put_num(ws, row, 3, (double)in->bytes, b->num);
            put(ws, row, 4, in->sha256, b->mono);
        } else {
            for (lxw_col_t c = 2; c < 5; c++)
                put(ws, row, c, "", b->cell);
        }
        put(ws, row, 5,
            in->read       ? L(b, "検査済み", "checked")
            : in->readable ? L(b, "未読", "not read")
                           : L(b, "読み込めません", "not readable"),
            b->cell);
    }

    row++;
    put(ws, row++, 0, L(b, "規則別の件数", "Findings by rule"), b->title);
    const char *rule_head[] = {L(b, "規則", "Rule"), L(b, "名称", "Title"),
                               L(b, "重大度", "Severity"), L(b, "件数", "Count"),
                               L(b, "名称（英語）", "Title (Japanese)")};
    for (lxw_col_t c = 0; c < 5; c++)
        put(ws, row, c, rule_head[c], b->head);
    row++;
    bool any = false;
    for (int i = 0; i < R__COUNT; i++) {
        if (!r->counts[i]) continue;
        any = true;
        const tkg_rule_def *def = tkg_rule((tkg_rule_id)i);
        put(ws, row, 0, def->id, b->cell);
        put(ws, row, 1, b->en ? def->title_en : def->title_ja, b->cell);
        put(ws, row, 2, tkg_rep_severity_words(b->en, r->severity[i]), b->cell);
        put_num(ws, row, 3, (double)r->counts[i], b->num);
        put(ws, row, 4, b->en ? def->title_ja : def->title_en, b->cell);
        row++;
    }
    if (!any) put(ws, row, 0, L(b, "所見はありません", "No findings"), b->cell);
}

static void findings_sheet(book *b, const tkg_report *r) {
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, L(b, "所見", "Findings"));
    const char *head[] = {L(b, "規則", "Rule"),       L(b, "重大度", "Severity"),
                          L(b, "ファイル", "File"),   L(b, "行", "Line"),
                          L(b, "レコード", "Record"), L(b, "列", "Field"),
                          L(b, "項目ID", "Item ID"),  L(b, "項目", "Item"),
                          L(b, "値", "Value"),        L(b, "内容", "Message")};
    const double widths[] = {9, 8, 36, 7, 9, 6, 11, 24, 22, 70};
    for (lxw_col_t c = 0; c < 10; c++) {
        worksheet_set_column(ws, c, c, widths[c], NULL);
        put(ws, 0, c, head[c], b->head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
    lxw_row_t row = 1;
    for (size_t i = 0; i < r->nsorted; i++, row++) {
        const tkg_diag *d = &r->sorted[i]->d;
        put(ws, row, 0, d->rule, b->cell);
        put(ws, row, 1, tkg_rep_severity_words(b->en, d->severity), b->cell);
        put(ws, row, 2, d->file ? d->file : L(b, "（パッケージ）", "(package)"), b->cell);
        if (d->line)
            put_num(ws, row, 3, (double)d->line, b->num);
        else
            put(ws, row, 3, "", b->cell);
        if (d->record != TKG_NO_RECORD)
            put_num(ws, row, 4, (double)d->record, b->num);
        else
            put(ws, row, 4, "", b->cell);
        if (d->column)
            put_num(ws, row, 5, (double)d->column, b->num);
        else
            put(ws, row, 5, "", b->cell);
        put(ws, row, 6, d->item_id ? d->item_id : "", b->cell);
        put(ws, row, 7, d->item ? d->item : "", b->cell);
        put(ws, row, 8, d->value ? d->value : "", b->cell);
        put(ws, row, 9, d->message ? d->message : "", b->wrap);
    }
    worksheet_autofilter(ws, 0, 0, r->nsorted ? (lxw_row_t)r->nsorted : 1, 9);
}

static void coverage_sheet(book *b, const tkg_report *r) {
    if (!r->ncoverage) return;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, L(b, "適合確認", "Coverage"));
    const char *head[] = {"ID",
                          L(b, "種別", "Kind"),
                          L(b, "名称", "Name"),
                          L(b, "区分", "Category"),
                          L(b, "実装の申告", "Declared"),
                          L(b, "判定", "Verdict")};
    const double widths[] = {11, 10, 50, 12, 12, 14};
    for (lxw_col_t c = 0; c < 6; c++) {
        worksheet_set_column(ws, c, c, widths[c], NULL);
        put(ws, 0, c, head[c], b->head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t i = 0; i < r->ncoverage; i++) {
        const tkg_coverage_row *cv = &r->coverage[i];
        lxw_row_t row = (lxw_row_t)i + 1;
        put(ws, row, 0, cv->id, b->cell);
        put(ws, row, 1, cv->kind, b->cell);
        put(ws, row, 2, cv->name ? cv->name : "", b->wrap);
        put(ws, row, 3, cv->category, b->cell);
        put(ws, row, 4,
            cv->declared < 0 ? "-"
            : cv->declared   ? L(b, "実装", "yes")
                             : L(b, "未実装", "no"),
            b->cell);
        put(ws, row, 5, cv->verdict, b->cell);
    }
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->ncoverage, 5);
}

static bool copy_file(const char *path, FILE *out) {
    FILE *in = fopen(path, "rb");
    if (!in) return false;
    char buf[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            ok = false;
            break;
        }
    if (ferror(in)) ok = false;
    fclose(in);
    return ok && !ferror(out);
}

tkg_status tkg_write_xlsx(const tkg_report *r, FILE *out) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char *path = tkg_path_join(dir, "tekigo-report-XXXXXX");
    if (!path) return TKG_E_NOMEM;
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return TKG_E_IO;
    }
    close(fd);
    book b = {0};
    b.en = r->en;
    lxw_workbook_options opt = {LXW_FALSE, NULL, LXW_FALSE};
    b.wb = workbook_new_opt(path, &opt);
    if (!b.wb) {
        unlink(path);
        free(path);
        return TKG_E_IO;
    }
    lxw_doc_properties props = {0};
    props.title = (char *)(b.en ? "tekigo conformance report" : "tekigo 適合性検査レポート");
    props.subject = r->profile->id;
    props.author = "tekigo";
    props.comments = (char *)tkg_report_verdict(r);
    props.created = FIXED_CREATED;
    workbook_set_properties(b.wb, &props);
    formats(&b);
    summary_sheet(&b, r);
    findings_sheet(&b, r);
    coverage_sheet(&b, r);
    lxw_error err = workbook_close(b.wb);
    tkg_status st = TKG_E_IO;
    if (err == LXW_NO_ERROR && copy_file(path, out)) st = TKG_OK;
    unlink(path);
    free(path);
    return st;
}
