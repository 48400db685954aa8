/* engine.h — the rule engine. It checks records of a format-neutral model (an
 * item-indexed array of values with their locations) against a group of the
 * profile: required, conditional, type, length, characters, codes, check
 * digits, masters, correlation rules, keys and aggregates. Readers (CSV now;
 * XML and JSON later) bind their input to this model and call it per record.
 *
 * Ownership: tkg_engine_new returns an engine the run frees with
 * tkg_engine_free; it borrows the profile and the report. */
#ifndef TKG_ENGINE_H
#define TKG_ENGINE_H

#include "report.h"

/* One item's value in the current record. */
typedef struct {
    const char *data;
    size_t len;
    uint64_t line;
    uint32_t column;     /* 1-based field index; 0 when not from a column */
    bool present;        /* the field exists in the record */
    bool skip;           /* already reported (encoding, size): no value checks */
    const char *pointer; /* JSON Pointer of the value in a payload (json_input.c), or NULL;
                            JSON values put the character column in column */
} tkg_value;

typedef struct tkg_engine tkg_engine;

tkg_engine *tkg_engine_new(const tkg_profile *p, tkg_report *rep, const char *as_of);
void tkg_engine_free(tkg_engine *e);

/* Marks the start and end of the files of a group (for foreign keys: a group
 * is complete once all its files have been read). */
/* nfiles: files known to be of the group; unknown: files whose group is known
 * only once read (they may add to any group, so its keys are complete only at the end). */
void tkg_engine_group_expected(tkg_engine *e, int group, size_t nfiles, size_t unknown);
void tkg_engine_file_done(tkg_engine *e, int group);

/* Checks one record of a group. loc carries input, line and record number;
 * values has one entry per item of the group. */
void tkg_engine_record(tkg_engine *e, int group, const tkg_loc *loc, const tkg_value *values);

/* Checks one non-empty value of an item on its own: characters, type, length,
 * code, check digit, pattern, master (the value checks of tkg_engine_record,
 * without repeat splitting: it is one value). For readers whose values do not
 * come as whole records (JSON members, array elements). */
void tkg_engine_check_value(tkg_engine *e, const tkg_item *it, const tkg_loc *loc,
                            const tkg_value *v);

/* Package-level checks after all inputs: aggregates and required groups. */
void tkg_engine_finish(tkg_engine *e, const bool *group_has_file);

#endif
