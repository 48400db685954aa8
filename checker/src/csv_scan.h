/* csv_scan.h — the CSV reader's byte kernels (private to csv.c, header-only so
 * the build lists need no new file): SSE2 where the compiler offers it (always
 * on x86-64), portable C otherwise; define TKG_CSV_PORTABLE to force the
 * portable path. Ownership: pure functions over the caller's buffers; nothing
 * is allocated.
 *
 * Candidates: the bytes that may be special to the reader, as a bit mask per
 * 64-byte block (bit k for byte k). They are the delimiter, the quote, and
 * every byte <= 0x0D (NUL, CR and LF among them, with one unsigned compare);
 * the few control bytes that are not special are false positives, which the
 * caller looks at and passes. Past the end of the input the mask is all ones,
 * so a search always stops at n at the latest, with no bounds check of its own.
 *
 * UTF-8: tkg_csv_utf8_valid finds a prefix that is valid UTF-8 and ends at a
 * sequence boundary, 64 bytes at a time, for the commonest text (ASCII, 2-byte
 * sequences, 3-byte ones with leads E1-EC, EE, EF); at anything else (E0, ED,
 * 4-byte sequences, errors) it stops, and tkg_utf8_validate (utf8.c) goes on
 * from there, so the verdict and the position of a bad sequence are utf8.c's. */
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
#ifdef TKG_CSV_SSE2
    __m128i vd, vq;
#endif
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

/* Candidates among the 64 bytes at s, in portable C: eight bytes per word,
 * each test setting the high bit of the bytes it holds for. */
static inline uint64_t tkg_csv_mask64_swar(const unsigned char *s, unsigned char delim,
                                           unsigned char quote) {
    const uint64_t ones = UINT64_C(0x0101010101010101), low7 = ones * 0x7F, high = ones * 0x80;
    const uint64_t d = ones * delim, q = ones * quote, below = ones * (0x80 - 0x0E);
    uint64_t m = 0;
    for (int k = 0; k < 8; k++) {
        const unsigned char *b = s + 8 * k;
        uint64_t x = 0;
        for (int i = 7; i >= 0; i--) /* little-endian whatever the machine */
            x = x << 8 | b[i];
        uint64_t xd = x ^ d, xq = x ^ q;
        /* zero bytes of xd and xq, bytes of x below 0x0E: exact, as the
         * additions stay within their byte */
        uint64_t t = ~(((xd & low7) + low7) | xd) | ~(((xq & low7) + low7) | xq) |
                     ~(((x & low7) + below) | x);
        t = (t & high) >> 7;
        m |= ((t * UINT64_C(0x0102040810204080)) >> 56) << (8 * k); /* gather the bits */
    }
    return m;
}

#ifdef TKG_CSV_SSE2
static inline __m128i tkg_csv_load16(const unsigned char *s) {
    return _mm_loadu_si128((const __m128i *)(const void *)s);
}

static inline uint64_t tkg_csv_bits64(__m128i a, __m128i b, __m128i c, __m128i d) {
    return (uint64_t)(unsigned)_mm_movemask_epi8(a) |
           (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16 |
           (uint64_t)(unsigned)_mm_movemask_epi8(c) << 32 |
           (uint64_t)(unsigned)_mm_movemask_epi8(d) << 48;
}

static inline __m128i tkg_csv_cand16(const unsigned char *s, __m128i vd, __m128i vq) {
    __m128i v = tkg_csv_load16(s);
    __m128i x = _mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vq));
    return _mm_or_si128(x, _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x0D)), v));
}
#endif

/* Candidates among the 64 bytes at s. */
static inline uint64_t tkg_csv_mask64(const tkg_csv_scanner *sc, const unsigned char *s) {
#ifdef TKG_CSV_SSE2
    return tkg_csv_bits64(tkg_csv_cand16(s, sc->vd, sc->vq), tkg_csv_cand16(s + 16, sc->vd, sc->vq),
                          tkg_csv_cand16(s + 32, sc->vd, sc->vq),
                          tkg_csv_cand16(s + 48, sc->vd, sc->vq));
#else
    return tkg_csv_mask64_swar(s, sc->delim, sc->quote);
#endif
}

/* The block at bp; past the end it reads as NUL bytes, which are candidates. */
static inline uint64_t tkg_csv_block(const tkg_csv_scanner *s, size_t bp) {
    if (bp < s->n && s->n - bp >= 64) return tkg_csv_mask64(s, s->p + bp);
    unsigned char tail[64] = {0};
    if (s->n > bp) memcpy(tail, s->p + bp, s->n - bp);
    return tkg_csv_mask64(s, tail);
}

static inline void tkg_csv_scanner_init(tkg_csv_scanner *s, const unsigned char *p, size_t n,
                                        unsigned char delim, unsigned char quote) {
    s->p = p;
    s->n = n;
    s->bp = (size_t)0 - 64; /* no block yet */
    s->m = 0;
    s->delim = delim;
    s->quote = quote ? quote : delim;
#ifdef TKG_CSV_SSE2
    s->vd = _mm_set1_epi8((char)s->delim);
    s->vq = _mm_set1_epi8((char)s->quote);
#endif
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

#ifdef TKG_CSV_SSE2
#define TKG_CSV_UTF8_WINDOW 64 /* bytes for tkg_utf8_validate where this stops */

static inline __m128i tkg_csv_ge(__m128i v, int c) { /* unsigned v >= c, per byte */
    return _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)c)), v);
}

/* Bytes of s outside the commonest text: C0, C1, E0, ED, F0-FF. */
static inline __m128i tkg_csv_rare16(__m128i v) {
    __m128i x =
        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)), _mm_set1_epi8((char)0xC0));
    x = _mm_or_si128(x, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)));
    x = _mm_or_si128(x, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)));
    return _mm_or_si128(x, tkg_csv_ge(v, 0xF0));
}

/* The length of a prefix of s that is valid UTF-8 and ends at a sequence
 * boundary (0 is always a correct answer). Bit masks per block: every byte
 * after a lead >= C0 and the second after a lead >= E0 must be continuation
 * bytes (80-BF), and no other byte may be; a lead that needs bytes of the next
 * block carries its requirement over. */
static size_t tkg_csv_utf8_valid(const unsigned char *s, size_t n) {
    size_t k = 0, good = 0;
    uint64_t c2 = 0, c3 = 0; /* leads >= C0 at 63, leads >= E0 at 62 and 63 */
    for (; n - k >= 64; k += 64) {
        __m128i a = tkg_csv_load16(s + k), b = tkg_csv_load16(s + k + 16),
                c = tkg_csv_load16(s + k + 32), d = tkg_csv_load16(s + k + 48);
        uint64_t hi = tkg_csv_bits64(a, b, c, d);
        if (!(hi | c2 | c3)) {
            good = k + 64;
            continue;
        }
        __m128i rare = _mm_or_si128(_mm_or_si128(tkg_csv_rare16(a), tkg_csv_rare16(b)),
                                    _mm_or_si128(tkg_csv_rare16(c), tkg_csv_rare16(d)));
        if (_mm_movemask_epi8(rare)) break;
        const __m128i c0 = _mm_set1_epi8((char)0xC0);
        uint64_t cont = tkg_csv_bits64(_mm_cmplt_epi8(a, c0), _mm_cmplt_epi8(b, c0),
                                       _mm_cmplt_epi8(c, c0), _mm_cmplt_epi8(d, c0));
        uint64_t l3 = tkg_csv_bits64(tkg_csv_ge(a, 0xE0), tkg_csv_ge(b, 0xE0), tkg_csv_ge(c, 0xE0),
                                     tkg_csv_ge(d, 0xE0));
        uint64_t l2 = hi & ~cont;
        if (((l2 << 1 | c2) | (l3 << 2 | c3)) != cont) break;
        c2 = l2 >> 63;
        c3 = l3 >> 62;
        good = k + 64 - (c3 & 1 ? 2 : c2 ? 1 : 0); /* before an unfinished sequence */
    }
    return good;
}
#else
#define TKG_CSV_UTF8_WINDOW SIZE_MAX

static inline size_t tkg_csv_utf8_valid(const unsigned char *s, size_t n) {
    (void)s;
    (void)n;
    return 0;
}
#endif

#endif
