/* dialect.h — how a data file is written: encoding, BOM, delimiter, quoting,
 * newline, header mode. Shared by the profile loader and the CSV reader.
 *
 * Ownership: a plain value type; no pointers to free. */
#ifndef TKG_DIALECT_H
#define TKG_DIALECT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    TKG_ENC_UTF8 = 0,
    TKG_ENC_UTF16LE,
    TKG_ENC_UTF16BE,
    TKG_ENC_CP932 /* "Shift_JIS" in profiles means CP932: 0x5C is '\', 0x7E is '~' */
} tkg_encoding;

typedef enum {
    TKG_BOM_FORBIDDEN = 0, /* a BOM is a finding (it is still skipped) */
    TKG_BOM_REQUIRED,      /* a missing BOM is a finding */
    TKG_BOM_OPTIONAL
} tkg_bom_policy;

typedef enum {
    TKG_NL_ANY = 0, /* CRLF or LF, mixed allowed */
    TKG_NL_CRLF,    /* a record ended by a bare LF is a finding */
    TKG_NL_LF       /* a record ended by CRLF is a finding */
} tkg_newline;

typedef enum {
    TKG_HDR_EITHER = 0, /* Japanese or romaji item names, detected from the first record */
    TKG_HDR_JAPANESE,
    TKG_HDR_ROMAJI,
    TKG_HDR_NONE /* no header: columns are the group's items in profile order */
} tkg_header_mode;

typedef struct {
    tkg_encoding encoding;
    tkg_bom_policy bom;
    char delimiter; /* ',' by default; '\t' for TSV */
    char quote;     /* '"' by default; 0 = quoting not used (a quote is data) */
    tkg_newline newline;
    tkg_header_mode header;
    char repeat_separator; /* separates the values of a repeated item in one field */
} tkg_dialect;

/* Reads a profile's "dialect" object (NULL: the defaults). False with msg
 * naming the key when a value is wrong (dialect.c). */
bool tkg_dialect_parse(json_t *j, tkg_dialect *d, char *msg, size_t msglen);

#endif
