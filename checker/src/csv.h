/* csv.h — streaming CSV reader: RFC 4180 plus a dialect (encoding, BOM,
 * delimiter, quote, newline), fed in chunks of any size (1 byte included).
 *
 * Input in any dialect encoding is converted to UTF-8 (iconv for UTF-16 and
 * CP932; UTF-8 is validated in place). Records are delivered through a
 * callback; field pointers are valid only during that callback.
 * Memory is bounded by the limits below, never by the input: a field longer
 * than max_field_bytes is truncated (and reported), a record with more than
 * max_fields fields has the excess dropped (and reported), and once a record
 * holds max_record_bytes its further fields are truncated (and reported).
 *
 * Ownership: tkg_csv_new returns a reader the caller frees with tkg_csv_free.
 * The reader copies the dialect; callbacks' ctx is borrowed. */
#ifndef TKG_CSV_H
#define TKG_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "dialect.h"

typedef struct {
    const char *data; /* UTF-8 (after decoding), NUL-terminated, doubled quotes undone */
    size_t len;
    uint64_t line;   /* 1-based physical line where the field starts */
    uint64_t offset; /* byte offset in the source file where the field starts */
    bool quoted;
    bool truncated;    /* longer than max_field_bytes: data holds only the first bytes */
    bool bad_encoding; /* holds an invalid/undecodable sequence (already reported) */
} tkg_csv_field;

typedef struct {
    const tkg_csv_field *fields;
    size_t nfields;
    uint64_t index; /* 1-based physical record number (a header is record 1) */
    uint64_t line;  /* line where the record starts */
} tkg_csv_record;

typedef enum {
    TKG_CSV_BAD_ENCODING = 1,   /* invalid UTF-8 or undecodable byte sequence */
    TKG_CSV_NUL_BYTE,           /* a NUL character in the data */
    TKG_CSV_UNTERMINATED_QUOTE, /* end of input inside a quoted field */
    TKG_CSV_STRAY_QUOTE,        /* a quote inside an unquoted field */
    TKG_CSV_TEXT_AFTER_QUOTE,   /* characters between a closing quote and the delimiter */
    TKG_CSV_FIELD_TOO_LONG,     /* field truncated to max_field_bytes */
    TKG_CSV_TOO_MANY_FIELDS,    /* fields beyond max_fields dropped */
    TKG_CSV_BOM_UNEXPECTED,     /* a BOM where the dialect forbids one (it is skipped) */
    TKG_CSV_BOM_MISSING,        /* no BOM where the dialect requires one */
    TKG_CSV_NEWLINE,            /* record terminator not the dialect's (reported once per file) */
    TKG_CSV_NO_FINAL_NEWLINE    /* last record not terminated (informational) */
} tkg_csv_issue_kind;

typedef struct {
    tkg_csv_issue_kind kind;
    uint64_t line;      /* physical line of the problem */
    uint64_t record;    /* physical record index (1-based) */
    uint64_t field;     /* 1-based field index, 0 when not within a field */
    uint64_t offset;    /* byte offset in the source file */
    const char *detail; /* e.g. the offending bytes in hex: "0xFF", or NULL */
} tkg_csv_issue;

typedef struct {
    void (*on_record)(void *ctx, const tkg_csv_record *rec);
    void (*on_issue)(void *ctx, const tkg_csv_issue *issue);
    void *ctx;
} tkg_csv_callbacks;

typedef struct {
    size_t max_field_bytes;  /* default 1 MiB */
    size_t max_fields;       /* default 10000 */
    size_t max_record_bytes; /* default 16 MiB: fields are cut once a record holds this much */
} tkg_csv_limits;

typedef struct tkg_csv_reader tkg_csv_reader;

/* Returns NULL when out of memory or when the encoding cannot be opened. */
tkg_csv_reader *tkg_csv_new(const tkg_dialect *dialect, const tkg_csv_limits *limits,
                            const tkg_csv_callbacks *cb);
/* Feeds the next bytes of the source. Returns 0, or -1 when out of memory. */
int tkg_csv_feed(tkg_csv_reader *r, const void *buf, size_t len);
/* Ends the input: flushes the last record, reports an unterminated quote. */
int tkg_csv_finish(tkg_csv_reader *r);
void tkg_csv_free(tkg_csv_reader *r);

#endif
