/* report_common.h — helpers shared by the report writers beyond text and json
 * (xml, html, junit, sarif, csv, xlsx): labels in both languages, text made safe
 * for XML, and the tally of listed findings per input and rule.
 *
 * Why a tally: the model counts every finding per rule, but keeps only the first
 * --max-examples findings per rule (in report order). Counts per input are
 * therefore known exactly only where no finding of that rule was left out, i.e.
 * for the inputs before the one holding the last kept example of that rule.
 * The tally says, per input and rule, how many findings are listed and whether
 * that number is the real one ("exact") or a lower bound.
 *
 * Ownership: strings returned by tkg_rep_* functions that allocate are malloc'd
 * and freed by the caller; label strings are static. */
#ifndef TKG_REPORT_COMMON_H
#define TKG_REPORT_COMMON_H

#include <libxml/tree.h>

#include "report.h"

/* Words for a verdict ("conformant", …): 適合 / 不適合 / 判定不能, or English. */
const char *tkg_rep_verdict_words(bool en, const char *verdict);
/* エラー / 警告 / 情報, or error / warning / info. */
const char *tkg_rep_severity_words(bool en, tkg_severity s);
/* Index of a rule ID in the rule table, or -1. */
int tkg_rep_rule_index(const char *id);
/* Every finding counted, kept or not. */
uint64_t tkg_rep_total(const tkg_report *r);

/* A copy of s that XML 1.0 accepts: bytes that are not UTF-8 and the control
 * characters XML forbids (all of C0 but tab, LF and CR) become "\xHH"; U+FFFE
 * and U+FFFF become "\u{FFFE}" / "\u{FFFF}". NULL gives NULL. */
char *tkg_rep_xml_safe(const char *s);

/* Listed findings per row (input index; row ninputs = package-level) and rule. */
typedef struct {
    size_t nrows;        /* ninputs + 1 */
    uint64_t *listed;    /* listed[row * R__COUNT + rule] */
    size_t *exact_below; /* per rule: rows < exact_below[rule] have exact counts */
} tkg_rep_tally;

bool tkg_rep_tally_build(const tkg_report *r, tkg_rep_tally *t);
void tkg_rep_tally_free(tkg_rep_tally *t);
/* Row of a kept example (its input, or the package row). */
size_t tkg_rep_row(const tkg_report *r, const tkg_example *e);
uint64_t tkg_rep_listed(const tkg_rep_tally *t, size_t row, int rule);
bool tkg_rep_exact(const tkg_rep_tally *t, size_t row, int rule);
/* Sum over the rules of a row, for one severity or for all (sev < 0). */
uint64_t tkg_rep_row_listed(const tkg_report *r, const tkg_rep_tally *t, size_t row, int sev);
/* True when every rule's count for the row is exact. */
bool tkg_rep_row_exact(const tkg_report *r, const tkg_rep_tally *t, size_t row);

/* The XML report (docs/report.xsd), serialized in UTF-8 into a new libxml2
 * buffer (free with xmlBufferFree); NULL on failure. Written by the XML writer,
 * and parsed again by the HTML writer as the stylesheet's input. */
xmlBufferPtr tkg_report_to_xml(const tkg_report *r);

#endif
