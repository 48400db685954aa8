/* input.h — input readers behind one small vtable, so that the run feeds any
 * format (CSV now; XML and JSON payloads later) in chunks the same way, and
 * every reader binds its records to the engine's item-indexed model.
 *
 * Ownership: open() returns reader state freed by close(); the file context is
 * owned by the run and outlives the reader. */
#ifndef TKG_INPUT_H
#define TKG_INPUT_H

#include "engine.h"

typedef struct {
    const tkg_profile *profile;
    tkg_report *report;
    tkg_engine *engine;
    uint32_t input;   /* index in the report's inputs */
    int group;        /* assigned group, or -1 to identify it from the header */
    uint64_t records; /* data records seen (header not counted) */
} tkg_file_ctx;

typedef struct {
    const char *name;
    void *(*open)(tkg_file_ctx *fc);
    int (*feed)(void *self, const void *buf, size_t len); /* 0 ok, -1 out of memory */
    int (*finish)(void *self);
    void (*close)(void *self);
} tkg_input_vtable;

extern const tkg_input_vtable tkg_csv_input;
/* -- later readers (XML, JSON payloads): declare their vtables here -- */
/* XML files (xml_input.c), for a profile with an xml part. */
extern const tkg_input_vtable tkg_xml_input;
/* The XML reader when p has an xml part and path ends in .xml (or is "-"), or NULL. */
const tkg_input_vtable *tkg_xml_input_for(const tkg_profile *p, const char *path);
/* JSON API payloads (json_input.c): a .json file is one payload, .jsonl/.ndjson one per line. */
extern const tkg_input_vtable tkg_json_input, tkg_jsonl_input;
/* The JSON reader for a profile with purpose api-payload (every input), or NULL. */
const tkg_input_vtable *tkg_json_input_for(const tkg_profile *p, const char *path);

/* The reader for an input: chosen by the profile's purpose and the file name. */
const tkg_input_vtable *tkg_input_for(const tkg_profile *p, const char *path);

/* Which group a header row names best (most fields matching item names), or -1.
 * Used to assign files whose names match no glob. */
int tkg_identify_group(const tkg_profile *p, const char *const *names, size_t n);

#endif
