/* rules.h — the table of rules: stable IDs, default severities, titles and
 * message templates in Japanese and English. IDs are never reused (docs/rules.md).
 *
 * Ownership: static constant data. */
#ifndef TKG_RULES_H
#define TKG_RULES_H

#include "tekigo/tekigo.h"

/* Internal index of a rule; the order is not part of the contract, the ID string is. */
typedef enum {
    R_E0001,
    R_E0002,
    R_E0003,
    R_E0004,
    R_LEN001,
    R_REP001,
    R_TYP001,
    R_TYP002,
    R_TYP003,
    R_TYP004,
    R_TYP005,
    R_TYP006,
    R_TYP007,
    R_TYP008,
    R_CHR001,
    R_CHR002,
    R_COD001,
    R_CHK001,
    R_CHK002,
    R_CHK003,
    R_CHK004,
    R_CHK005,
    R_CHK006,
    R_MST001,
    R_MST002,
    R_KEY001,
    R_KEY002,
    R_KEY003,
    R_HDR001,
    R_HDR002,
    R_HDR003,
    R_HDR004,
    R_HDR005,
    R_HDR006,
    R_CSV001,
    R_CSV002,
    R_CSV003,
    R_CSV004,
    R_CSV005,
    R_CSV006,
    R_CSV007,
    R_CSV008,
    R_ENC001,
    R_ENC002,
    R_ENC003,
    R_ENC004,
    R_PKG001,
    R_PKG002,
    R_PKG003,
    R_PKG004,
    R_IO001,
    /* -- JSON payloads (json_input.c): JSN… -- */
    R_JSN001,
    R_JSN002,
    R_JSN003,
    R_JSN004,
    R_JSN005,
    R_JSN006,
    R_JSN007,
    R_JSN008,
    R_JSN009,
    R_JSN010,
    R_JSN011,
    R_JSN012,
    R_JSN020,
    R_JSN021,
    R_JSN022,
    R_JSN023,
    R_JSN024,
    /* -- XML files (xml_input.c): XML…, XSD…, SCH… -- */
    R_XML001,
    R_XML002,
    R_XML003,
    R_XML004,
    R_XML005,
    R_XML006,
    R_XML007,
    R_XML008,
    R_XSD001,
    R_SCH001,
    R_SCH002,
    /* -- function and form coverage (coverage.c): COV… -- */
    R_COV001,
    R_COV002,
    R_COV003,
    R_COV004,
    R_COV005,
    R_COV006,
    /* -- workbooks and zip packages (xlsx.c, zipread.c): ZIP… -- */
    R_ZIP001,
    R_ZIP002,
    R_ZIP003,
    R_ZIP004,
    R_ZIP005,
    R__COUNT
} tkg_rule_id;

typedef struct {
    const char *id;
    tkg_severity severity;
    const char *title_ja, *title_en;
    /* Message templates: up to three "%s" arguments, the same order in both languages. */
    const char *msg_ja, *msg_en;
} tkg_rule_def;

const tkg_rule_def *tkg_rule(tkg_rule_id r);

#endif
