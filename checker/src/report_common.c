/* report_common.c — helpers shared by the xml, html, junit, sarif, csv and xlsx
 * report writers: verdict and severity words, XML-safe text, and the tally of
 * listed findings per input and rule (see report_common.h for why). */
#include "report_common.h"

#include <stdlib.h>
#include <string.h>

#include "moji.h"
#include "util.h"

const char *tkg_rep_verdict_words(bool en, const char *verdict) {
    if (!strcmp(verdict, "conformant")) return en ? "Conformant" : "適合";
    if (!strcmp(verdict, "nonconformant")) return en ? "Not conformant" : "不適合";
    return en ? "Incomplete" : "判定不能";
}

const char *tkg_rep_severity_words(bool en, tkg_severity s) {
    if (en) return tkg_severity_name(s);
    return s == TKG_SEV_ERROR ? "エラー" : s == TKG_SEV_WARNING ? "警告" : "情報";
}

int tkg_rep_rule_index(const char *id) {
    if (!id) return -1;
    for (int i = 0; i < R__COUNT; i++)
        if (tkg_rule((tkg_rule_id)i)->id == id) return i; /* the usual case: the table's pointer */
    for (int i = 0; i < R__COUNT; i++)
        if (!strcmp(tkg_rule((tkg_rule_id)i)->id, id)) return i;
    return -1;
}

uint64_t tkg_rep_total(const tkg_report *r) {
    uint64_t n = 0;
    for (int i = 0; i < R__COUNT; i++)
        n += r->counts[i];
    return n;
}

char *tkg_rep_xml_safe(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s), i = 0;
    tkg_buf b = {0};
    while (i < n) {
        uint32_t cp;
        size_t k = tkg_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0) {
            tkg_buf_printf(&b, "\\x%02X", (unsigned char)s[i]);
            i++;
            continue;
        }
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
            tkg_buf_printf(&b, "\\x%02X", (unsigned)cp);
        else if (cp == 0xFFFE || cp == 0xFFFF)
            tkg_buf_printf(&b, "\\u{%04X}", (unsigned)cp);
        else
            tkg_buf_append(&b, s + i, k);
        i += k;
    }
    return b.data ? b.data : tkg_strdup("");
}

size_t tkg_rep_row(const tkg_report *r, const tkg_example *e) {
    return e->input < r->ninputs ? e->input : r->ninputs;
}

bool tkg_rep_tally_build(const tkg_report *r, tkg_rep_tally *t) {
    t->nrows = r->ninputs + 1;
    t->listed = calloc(t->nrows * R__COUNT, sizeof *t->listed);
    t->exact_below = calloc(R__COUNT, sizeof *t->exact_below);
    if (!t->listed || !t->exact_below) {
        tkg_rep_tally_free(t);
        return false;
    }
    /* The model counts every finding per input and rule, so the tally is exact. */
    for (size_t row = 0; row < t->nrows; row++) {
        const uint64_t *counts = row < r->ninputs ? r->inputs[row].counts : r->package_counts;
        for (int rule = 0; rule < R__COUNT; rule++)
            t->listed[row * R__COUNT + (size_t)rule] = counts[rule];
    }
    for (int rule = 0; rule < R__COUNT; rule++)
        t->exact_below[rule] = t->nrows;
    return true;
}

void tkg_rep_tally_free(tkg_rep_tally *t) {
    free(t->listed);
    free(t->exact_below);
    t->listed = NULL;
    t->exact_below = NULL;
    t->nrows = 0;
}

uint64_t tkg_rep_listed(const tkg_rep_tally *t, size_t row, int rule) {
    return row < t->nrows && rule >= 0 ? t->listed[row * R__COUNT + (size_t)rule] : 0;
}

bool tkg_rep_exact(const tkg_rep_tally *t, size_t row, int rule) {
    return rule >= 0 && row < t->exact_below[rule];
}

uint64_t tkg_rep_row_listed(const tkg_report *r, const tkg_rep_tally *t, size_t row, int sev) {
    uint64_t n = 0;
    for (int rule = 0; rule < R__COUNT; rule++)
        if (sev < 0 || (int)r->severity[rule] == sev) n += tkg_rep_listed(t, row, rule);
    return n;
}

bool tkg_rep_row_exact(const tkg_report *r, const tkg_rep_tally *t, size_t row) {
    for (int rule = 0; rule < R__COUNT; rule++)
        if (r->counts[rule] && !tkg_rep_exact(t, row, rule)) return false;
    return true;
}
