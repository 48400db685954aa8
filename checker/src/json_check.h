/* json_check.h — checks the events of one JSON payload against one structure
 * of an API profile (api_profile.h): members and their nesting, ◎ required
 * members (E0001), null where not allowed, unknown members, the JSON type of
 * each value, array sizes, and each scalar value through the engine's value
 * checks (tkg_engine_check_value) and, per object, its required, conditional
 * and correlation rules (tkg_engine_record), so a JSON value is checked by
 * exactly the rules that check a CSV field.
 *
 * json_input.c drives it: it tokenizes, keeps the JSON Pointer of the current
 * value, and may run one checker per candidate structure while it decides
 * which one a payload is.
 *
 * Ownership: tkg_json_check_new returns a checker freed with
 * tkg_json_check_free; it borrows the profile, engine and report. */
#ifndef TKG_JSON_CHECK_H
#define TKG_JSON_CHECK_H

#include "api_profile.h"
#include "engine.h"
#include "json_tok.h"

typedef struct tkg_json_check tkg_json_check;

tkg_json_check *tkg_json_check_new(const tkg_profile *p, int structure, tkg_engine *e,
                                   tkg_report *rep, uint32_t input);
void tkg_json_check_free(tkg_json_check *c);

/* Starts a payload (a file, or a line of JSON Lines). */
void tkg_json_check_begin(tkg_json_check *c);
/* One event of the payload (not DOC_START/DOC_END). pointer is the JSON
 * Pointer of the value the event is or begins (KEY: of the member's value;
 * OBJECT_END/ARRAY_END: of the container). */
void tkg_json_check_event(tkg_json_check *c, const tkg_json_event *ev, const char *pointer);
/* Ends the payload; aborted: cut short by a syntax error (no missing-member
 * findings for the objects left open). */
void tkg_json_check_end(tkg_json_check *c, bool aborted);

/* For choosing among structures: structural findings of the current payload
 * (unknown members, missing ◎ members, null, wrong JSON type, array size) and
 * how many members of the top-level object the structure knows. */
uint64_t tkg_json_check_structural(const tkg_json_check *c);
uint64_t tkg_json_check_known_top(const tkg_json_check *c);
/* A name from the payload for a message: valid UTF-8 only (other bytes as
 * \xHH), cut after about max bytes with "…"; out gets at most size bytes. */
void tkg_json_cut_text(char *out, size_t size, const char *s, size_t n, size_t max);

/* Whether the structure's top-level value has the JSON type of ev. */
bool tkg_json_check_root_accepts(const tkg_json_check *c, const tkg_json_event *ev);

#endif
