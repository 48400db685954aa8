/* utf8.c — strict UTF-8 decoding and validation (RFC 3629 / Unicode table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF).
 *
 * tkg_utf8_validate runs over every byte of every input file, so ASCII runs are
 * skipped a 64-bit word at a time and multi-byte runs (Japanese text is mostly
 * 3-byte sequences) stay in a tight loop without re-entering the word scan. */
#include "moji.h"

#include <string.h>

#define HIGH_BITS UINT64_C(0x8080808080808080)

static int is_continuation(unsigned char b) {
    return (b & 0xC0) == 0x80;
}

/* Length of the well-formed sequence at s, or 0. The second byte's range
 * depends on the lead: that is where overlongs (E0, F0), surrogates (ED) and
 * code points above U+10FFFF (F4) are excluded. */
static size_t sequence_length(const unsigned char *s, size_t n) {
    unsigned char lead = s[0];
    if (lead < 0x80) return 1;
    if (lead < 0xC2) /* a continuation byte, or C0/C1 which only make overlongs */
        return 0;
    if (lead < 0xE0) return n >= 2 && is_continuation(s[1]) ? 2 : 0;
    if (lead < 0xF0) {
        if (n < 3) return 0;
        unsigned char lo = lead == 0xE0 ? 0xA0 : 0x80;
        unsigned char hi = lead == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi && is_continuation(s[2]) ? 3 : 0;
    }
    if (lead < 0xF5) {
        if (n < 4) return 0;
        unsigned char lo = lead == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = lead == 0xF4 ? 0x8F : 0xBF;
        return s[1] >= lo && s[1] <= hi && is_continuation(s[2]) && is_continuation(s[3]) ? 4 : 0;
    }
    return 0;
}

size_t tkg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    if (n == 0) return 0;
    size_t len = sequence_length(s, n);
    switch (len) {
    case 1:
        *cp = s[0];
        break;
    case 2:
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (uint32_t)(s[1] & 0x3F);
        break;
    case 3:
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
              (uint32_t)(s[2] & 0x3F);
        break;
    case 4:
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (uint32_t)(s[3] & 0x3F);
        break;
    default:
        break;
    }
    return len;
}

size_t tkg_utf8_validate(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            /* memcpy keeps the word loads legal at any alignment; compilers
             * turn it into a single unaligned load. */
            while (n - i >= 16) {
                uint64_t a, b;
                memcpy(&a, s + i, 8);
                memcpy(&b, s + i + 8, 8);
                if ((a | b) & HIGH_BITS) break;
                i += 16;
            }
            while (n - i >= 8) {
                uint64_t a;
                memcpy(&a, s + i, 8);
                if (a & HIGH_BITS) break;
                i += 8;
            }
            while (i < n && s[i] < 0x80)
                i++;
            continue;
        }
        do {
            /* Inline fast path for the 3-byte sequences of kana and kanji (lead
             * E1–EC, EE, EF need no second-byte range check); the rest, including
             * E0 (overlongs) and ED (surrogates), goes through sequence_length. */
            unsigned char lead = s[i];
            if ((lead & 0xF0) == 0xE0 && lead != 0xE0 && lead != 0xED && n - i >= 3 &&
                (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
                i += 3;
                continue;
            }
            size_t len = sequence_length(s + i, n - i);
            if (len == 0) return i;
            i += len;
        } while (i < n && s[i] >= 0x80);
    }
    return n;
}
