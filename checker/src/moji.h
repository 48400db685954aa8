/* moji.h — UTF-8 decoding, character counting for 桁数, and the character
 * repertoires (JIS X 0213:2004, MJ) used by the Ｎ and X data types.
 *
 * Ownership: nothing here allocates; all functions work on caller buffers.
 * The repertoire tables are generated at build time (checker/tools/gen_repertoire.c)
 * from the tables under specs/common/moji/ and linked in as constant data. */
#ifndef TKG_MOJI_H
#define TKG_MOJI_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef enum {
    TKG_REP_JISX0213 = 0, /* JIS X 0213:2004 plane 1+2, full-width forms */
    TKG_REP_MJ = 1        /* JIS X 0213 plus MJ characters with their IVS variants */
} tkg_repertoire;

/* Decodes one code point of strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
 * Returns the bytes consumed (1..4), or 0 when s does not start with a valid sequence.
 * n must be > 0. */
size_t tkg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Returns the offset of the first byte that does not belong to a valid UTF-8
 * sequence, or n when the whole buffer is valid. Fast path for ASCII. */
size_t tkg_utf8_validate(const unsigned char *s, size_t n);

/* Number of characters for 桁数 in valid UTF-8: code points, except that a
 * variation selector (U+FE00–FE0F, U+E0100–E01EF) following a base character
 * counts 0, and the second code point of a JIS X 0213 character written as two
 * code points (e.g. か + U+309A) counts 0. */
size_t tkg_char_count(const unsigned char *s, size_t n);

typedef enum {
    TKG_CH_OK = 0,
    TKG_CH_HALFWIDTH,         /* ASCII or half-width katakana in a full-width item */
    TKG_CH_FULLWIDTH,         /* a non-ASCII character in a half-width (X) item */
    TKG_CH_NOT_IN_REPERTOIRE, /* a character (or IVS sequence) outside the repertoire */
    TKG_CH_PUA,               /* Private Use Area code point: 外字 */
    TKG_CH_CONTROL,           /* C0/C1 control or DEL */
    TKG_CH_STRAY_MODIFIER     /* a variation selector or combining mark with no valid base */
} tkg_char_class;

typedef struct {
    tkg_char_class cls;
    size_t offset; /* byte offset of the offending character in the buffer */
    uint32_t cp;   /* its (first) code point */
    uint32_t cp2;  /* second code point of an IVS / combining sequence, or 0 */
} tkg_char_issue;

/* A sorted array of extra code points the user allows (a 外字 table). May be NULL/0. */
typedef struct {
    const uint32_t *cps;
    size_t count;
} tkg_cpset;

/* Checks a full-width (Ｎ) value: every character must be in the repertoire
 * (U+3000 included; ASCII 0x20–0x7E and U+FF61–FF9F never are).
 * Returns true when all characters are allowed; otherwise fills *issue for the
 * first offending character. Input must be valid UTF-8. */
bool tkg_check_fullwidth(tkg_repertoire rep, const tkg_cpset *extra, const unsigned char *s,
                         size_t n, tkg_char_issue *issue);

/* tkg_check_fullwidth that also counts the characters for 桁数 in the same pass
 * (*count is set only when the value is allowed; it equals tkg_char_count). */
bool tkg_scan_fullwidth(tkg_repertoire rep, const tkg_cpset *extra, const unsigned char *s,
                        size_t n, tkg_char_issue *issue, size_t *count);

/* Checks a half-width (X) value: ASCII 0x20–0x7E only. */
bool tkg_check_halfwidth(const unsigned char *s, size_t n, tkg_char_issue *issue);

/* True when cp (a single code point) is in the repertoire. */
bool tkg_repertoire_has(tkg_repertoire rep, uint32_t cp);

#endif
