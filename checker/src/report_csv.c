/* report_csv.c — the CSV report (`--format csv`): one table, one row per kept
 * finding, for spreadsheets and scripts (docs/report-format.md, "CSV").
 *
 * UTF-8 with a BOM (so that Excel reads Japanese correctly), CRLF line ends,
 * RFC 4180 quoting (a field is quoted when it holds a comma, a quote, CR or
 * LF; quotes are doubled). A header row with fixed English column names, then
 * the findings in report order, and nothing else. A text field that a
 * spreadsheet would run as a formula (it starts with = + - @ tab or CR and is
 * not a plain number) gets a leading apostrophe. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_common.h"

static const char *const COLUMNS[] = {"rule",   "severity", "file", "line",  "record",
                                      "column", "item_id",  "item", "value", "message"};

static bool plain_number(const char *s) {
    if (*s == '+' || *s == '-') s++;
    if (!(*s >= '0' && *s <= '9')) return false;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9')) return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

static bool formula_like(const char *s) {
    return s[0] && strchr("=+-@\t\r", s[0]) && !plain_number(s);
}

/* Writes one field (NULL: empty), its separator before it unless first. */
static void field(FILE *out, const char *s, bool first, bool guard) {
    if (!first) fputc(',', out);
    if (!s) return;
    char *safe = tkg_rep_xml_safe(s); /* valid UTF-8, no C0 controls but tab, CR, LF */
    const char *v = safe ? safe : "";
    bool quote = strpbrk(v, ",\"\r\n") != NULL;
    bool apostrophe = guard && formula_like(v);
    if (quote) fputc('"', out);
    if (apostrophe) fputc('\'', out);
    for (const char *c = v; *c; c++) {
        if (*c == '"') fputc('"', out);
        fputc(*c, out);
    }
    if (quote) fputc('"', out);
    free(safe);
}

static void number(FILE *out, uint64_t v, bool present) {
    fputc(',', out);
    if (present) fprintf(out, "%" PRIu64, v);
}

tkg_status tkg_write_csv(const tkg_report *r, FILE *out) {
    fputs("\xEF\xBB\xBF", out);
    for (size_t i = 0; i < sizeof COLUMNS / sizeof COLUMNS[0]; i++)
        field(out, COLUMNS[i], i == 0, false);
    fputs("\r\n", out);
    for (size_t i = 0; i < r->nsorted; i++) {
        const tkg_diag *d = &r->sorted[i]->d;
        field(out, d->rule, true, false);
        field(out, tkg_severity_name(d->severity), false, false);
        field(out, d->file, false, true);
        number(out, d->line, d->line != 0);
        fputc(',', out);
        if (d->record != TKG_NO_RECORD) fprintf(out, "%" PRId64, d->record);
        number(out, d->column, d->column != 0);
        field(out, d->item_id, false, true);
        field(out, d->item, false, true);
        field(out, d->value, false, true);
        field(out, d->message ? d->message : "", false, true);
        fputs("\r\n", out);
    }
    return ferror(out) ? TKG_E_IO : TKG_OK;
}
