/* csv_scan.h — the CSV reader's byte search (private to csv.c): finds the next
 * byte that may be special to the reader 64 bytes at a time, as a bit mask per
 * block of input, with SSE2 where the compiler offers it and SWAR on uint64_t
 * otherwise (define TKG_CSV_PORTABLE to force the portable path).
 *
 * Candidates are the delimiter, the quote, and every byte <= 0x0D (NUL, CR and
 * LF among them, found with one unsigned compare). The few control bytes that
 * are not special are false positives: the caller looks at the byte itself and
 * goes on. Past the end of the input the mask is all ones, so a search always
 * stops at or before n without a separate bounds check. */
#ifndef TKG_CSV_SCAN_H
#define TKG_CSV_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(TKG_CSV_PORTABLE)
#include <emmintrin.h>
#define TKG_CSV_SSE2 1
#endif

typedef struct {
    const unsigned char *p;
    size_t n;
    size_t bp;  /* start of the block m describes */
    uint64_t m; /* bit k: p[bp + k] is a candidate not yet passed */
    unsigned char delim, quote;
} tkg_csv_scanner;

typedef struct {
    size_t bp;
    uint64_t m;
} tkg_csv_cursor;

static inline unsigned tkg_ctz64(uint64_t m) { /* m != 0 */
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(m);
#else
    static const unsigned char debruijn[64] = {
        0,  1,  2,  53, 3,  7,  54, 27, 4,  38, 41, 8,  34, 55, 48, 28, 62, 5,  39, 46, 44, 42,
        22, 9,  24, 35, 59, 56, 49, 18, 29, 11, 63, 52, 6,  26, 37, 40, 33, 47, 61, 45, 43, 21,
        23, 58, 17, 10, 51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12};
    return debruijn[((m & (~m + 1)) * UINT64_C(0x022FDD63CC95386D)) >> 58];
#endif
}

/* Candidates among the 64 bytes at s. */
static inline uint64_t tkg_csv_mask64(const unsigned char *s, unsigned char delim,
                                      unsigned char quote) {
#ifdef TKG_CSV_SSE2
    const __m128i vd = _mm_set1_epi8((char)delim), vq = _mm_set1_epi8((char)quote),
                  vc = _mm_set1_epi8(0x0D);
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        __m128i x = _mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vq));
        x = _mm_or_si128(x, _mm_cmpeq_epi8(_mm_min_epu8(v, vc), v));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << (16 * k);
    }
    return m;
#else
    const uint64_t ones = UINT64_C(0x0101010101010101), low7 = ones * 0x7F, high = ones * 0x80;
    const uint64_t d = ones * delim, q = ones * quote, below = ones * (0x80 - 0x0E);
    uint64_t m = 0;
    for (int k = 0; k < 8; k++) {
        const unsigned char *b = s + 8 * k;
        uint64_t x = 0;
        for (int i = 7; i >= 0; i--) /* little-endian whatever the machine */
            x = x << 8 | b[i];
        uint64_t xd = x ^ d, xq = x ^ q;
        /* 0x80 in each byte that is zero (xd, xq) or below 0x0E (x), exactly:
         * the additions stay within their byte */
        uint64_t t = ~(((xd & low7) + low7) | xd) | ~(((xq & low7) + low7) | xq) |
                     ~(((x & low7) + below) | x);
        t = (t & high) >> 7;
        m |= ((t * UINT64_C(0x0102040810204080)) >> 56) << (8 * k);
    }
    return m;
#endif
}

/* The block at bp; past the end it reads as NUL bytes, which are candidates. */
static inline uint64_t tkg_csv_block(const tkg_csv_scanner *s, size_t bp) {
    if (bp < s->n && s->n - bp >= 64) return tkg_csv_mask64(s->p + bp, s->delim, s->quote);
    unsigned char tail[64] = {0};
    if (s->n > bp) memcpy(tail, s->p + bp, s->n - bp);
    return tkg_csv_mask64(tail, s->delim, s->quote);
}

static inline void tkg_csv_scanner_init(tkg_csv_scanner *s, const unsigned char *p, size_t n,
                                        unsigned char delim, unsigned char quote) {
    s->p = p;
    s->n = n;
    s->bp = (size_t)0 - 64; /* no block yet */
    s->m = 0;
    s->delim = delim;
    s->quote = quote ? quote : delim;
}

/* The first block at or after bp with a candidate (one exists at n). */
static tkg_csv_cursor tkg_csv_advance(const tkg_csv_scanner *s, size_t bp) {
    tkg_csv_cursor c = {bp, 0};
    while ((c.m = tkg_csv_block(s, c.bp)) == 0)
        c.bp += 64;
    return c;
}

/* The first candidate at or after i (i <= n): an index < n, or n. Candidates
 * before i are passed for good: the caller moves forward only. */
static inline size_t tkg_csv_next(tkg_csv_scanner *s, size_t i) {
    size_t off = i - s->bp;
    if (off < 64) {
        s->m &= ~(uint64_t)0 << off;
        if (s->m) return s->bp + tkg_ctz64(s->m);
    }
    /* the rest of a block without candidates ends before n */
    tkg_csv_cursor c = tkg_csv_advance(s, off < 64 ? s->bp + 64 : i);
    s->bp = c.bp;
    s->m = c.m;
    return c.bp + tkg_ctz64(c.m);
}

#endif
