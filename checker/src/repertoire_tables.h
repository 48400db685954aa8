/* repertoire_tables.h — private layout of the character repertoire tables that
 * checker/tools/gen_repertoire.c writes into ${build}/gen/repertoire_tables.c
 * and moji.c reads. Not part of the public interface.
 *
 * Each repertoire is self-contained (the MJ tables already hold the JIS X 0213
 * set), so a lookup touches exactly one repertoire.
 *
 * Ownership: constant data linked into the program; nothing to allocate or free. */
#ifndef TKG_REPERTOIRE_TABLES_H
#define TKG_REPERTOIRE_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* One bit per BMP code point: 65536 bits in 64-bit words (8 KiB). */
#define TKG_REP_BMP_WORDS 1024

/* A two-code-point character packed so that sorting the keys sorts by
 * (first, second); code points fit in 21 bits. */
#define TKG_REP_SEQ_KEY(first, second) (((uint64_t)(first) << 21) | (uint64_t)(second))

typedef struct {
    const uint64_t *bmp;  /* TKG_REP_BMP_WORDS words; bit (cp & 63) of word cp >> 6 */
    const uint32_t *supp; /* sorted code points above U+FFFF */
    size_t supp_count;
    const uint64_t *seqs; /* sorted TKG_REP_SEQ_KEY values: JIS pairs and IVS sequences */
    size_t seq_count;
} tkg_rep_tables;

extern const tkg_rep_tables tkg_rep_jisx0213;
extern const tkg_rep_tables tkg_rep_mj;

/* The distinct second code points of the JIS X 0213 two-code-point characters
 * (U+309A, U+0300, ...), sorted: lets tkg_char_count and the checks skip the
 * sequence search for almost every code point. */
extern const uint32_t tkg_rep_pair_seconds[];
extern const size_t tkg_rep_pair_second_count;

#endif
