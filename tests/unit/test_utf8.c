/* test_utf8.c — strict UTF-8 decoding and validation: a table of well-formed
 * and ill-formed sequences, the word-at-a-time fast path at every alignment,
 * and exhaustive counts that pin the accepted set to exactly the scalar values. */
#include "moji.h"
#include "unit.h"

#include <string.h>

typedef struct {
    const char *name;
    const char *bytes;
    size_t len;
    size_t decoded_len; /* 0: tkg_utf8_decode must reject the first sequence */
    uint32_t cp;
    size_t valid_prefix; /* expected tkg_utf8_validate result */
} decode_case;

#define B(lit) lit, sizeof(lit) - 1

static const decode_case decode_cases[] = {
    {"ASCII", B("A"), 1, 0x41, 1},
    {"NUL is well-formed", "\0", 1, 1, 0x00, 1},
    {"DEL", B("\x7F"), 1, 0x7F, 1},
    {"2-byte minimum", B("\xC2\x80"), 2, 0x80, 2},
    {"2-byte maximum", B("\xDF\xBF"), 2, 0x7FF, 2},
    {"3-byte minimum", B("\xE0\xA0\x80"), 3, 0x800, 3},
    {"hiragana a", B("\xE3\x81\x82"), 3, 0x3042, 3},
    {"last before surrogates", B("\xED\x9F\xBF"), 3, 0xD7FF, 3},
    {"first after surrogates", B("\xEE\x80\x80"), 3, 0xE000, 3},
    {"U+FFFF", B("\xEF\xBF\xBF"), 3, 0xFFFF, 3},
    {"4-byte minimum", B("\xF0\x90\x80\x80"), 4, 0x10000, 4},
    {"tsuchi-yoshi U+20BB7", B("\xF0\xA0\xAE\xB7"), 4, 0x20BB7, 4},
    {"emoji U+1F600", B("\xF0\x9F\x98\x80"), 4, 0x1F600, 4},
    {"U+10FFFF", B("\xF4\x8F\xBF\xBF"), 4, 0x10FFFF, 4},
    {"IVS selector U+E0100", B("\xF3\xA0\x84\x80"), 4, 0xE0100, 4},
    {"overlong 2-byte NUL", B("\xC0\x80"), 0, 0, 0},
    {"overlong 2-byte C1", B("\xC1\xBF"), 0, 0, 0},
    {"overlong 3-byte NUL", B("\xE0\x80\x80"), 0, 0, 0},
    {"overlong 3-byte U+07FF", B("\xE0\x9F\xBF"), 0, 0, 0},
    {"overlong 4-byte NUL", B("\xF0\x80\x80\x80"), 0, 0, 0},
    {"overlong 4-byte U+FFFF", B("\xF0\x8F\xBF\xBF"), 0, 0, 0},
    {"high surrogate U+D800", B("\xED\xA0\x80"), 0, 0, 0},
    {"low surrogate U+DFFF", B("\xED\xBF\xBF"), 0, 0, 0},
    {"above U+10FFFF", B("\xF4\x90\x80\x80"), 0, 0, 0},
    {"lead F5", B("\xF5\x80\x80\x80"), 0, 0, 0},
    {"lead FE", B("\xFE"), 0, 0, 0},
    {"lead FF", B("\xFF"), 0, 0, 0},
    {"lone continuation", B("\x80"), 0, 0, 0},
    {"lone continuation BF", B("\xBF"), 0, 0, 0},
    {"truncated 2-byte", B("\xC3"), 0, 0, 0},
    {"truncated 3-byte (1 of 3)", B("\xE3"), 0, 0, 0},
    {"truncated 3-byte (2 of 3)", B("\xE3\x81"), 0, 0, 0},
    {"truncated 4-byte (3 of 4)", B("\xF0\x9F\x98"), 0, 0, 0},
    {"3-byte interrupted by ASCII", B("\xE3\x41\x82"), 0, 0, 0},
    {"3-byte with bad third byte", B("\xE3\x81\x41"), 0, 0, 0},
    {"4-byte with bad fourth byte", B("\xF0\x9F\x98\xC0"), 0, 0, 0},
    {"2-byte then stray continuation", B("\xC3\xA9\x80"), 2, 0xE9, 2},
    {"valid then truncated", B("abc\xE3\x81"), 1, 0x61, 3},
    {"kana then overlong", B("\xE3\x81\x82\xE3\x81\x84\xC0\x80"), 3, 0x3042, 6},
    {"kana then surrogate", B("\xE4\xBD\x90\xED\xA0\x80"), 3, 0x4F50, 3},
};

static void test_decode_table(void) {
    for (size_t i = 0; i < sizeof decode_cases / sizeof decode_cases[0]; i++) {
        const decode_case *c = &decode_cases[i];
        const unsigned char *s = (const unsigned char *)c->bytes;
        uint32_t cp = 0xDEADBEEF;
        size_t got = tkg_utf8_decode(s, c->len, &cp);
        CHECK(got == c->decoded_len, "%s: decode length %zu, want %zu", c->name, got,
              c->decoded_len);
        if (c->decoded_len)
            CHECK(cp == c->cp, "%s: U+%04X, want U+%04X", c->name, (unsigned)cp, (unsigned)c->cp);
        size_t prefix = tkg_utf8_validate(s, c->len);
        CHECK(prefix == c->valid_prefix, "%s: valid prefix %zu, want %zu", c->name, prefix,
              c->valid_prefix);
    }
    uint32_t cp = 0;
    CHECK(tkg_utf8_decode((const unsigned char *)"", 0, &cp) == 0, "empty input decodes nothing");
    CHECK(tkg_utf8_validate((const unsigned char *)"", 0) == 0, "empty input is valid");
}

/* The fast path reads whole words: a bad byte must be found at every position,
 * after both ASCII runs and multi-byte runs of every length. */
static void test_fast_path_positions(void) {
    static const char *const fillers[] = {"a", "\xC3\xA9", "\xE3\x81\x82", "\xF0\xA0\xAE\xB7"};
    unsigned char buf[256];
    for (size_t f = 0; f < sizeof fillers / sizeof fillers[0]; f++) {
        size_t unit_len = strlen(fillers[f]);
        for (size_t units = 0; units <= 40; units++) {
            size_t len = 0;
            for (size_t u = 0; u < units; u++) {
                memcpy(buf + len, fillers[f], unit_len);
                len += unit_len;
            }
            CHECK(tkg_utf8_validate(buf, len) == len, "filler %zu x %zu: all valid", f, units);
            static const unsigned char bad[] = {0xFF, 0x80, 0xC0, 0xED};
            for (size_t b = 0; b < sizeof bad; b++) {
                buf[len] = bad[b];
                memcpy(buf + len + 1, "xyzxyzxyzxyz", 12);
                size_t got = tkg_utf8_validate(buf, len + 13);
                CHECK(got == len, "filler %zu x %zu, bad %02X: offset %zu, want %zu", f, units,
                      bad[b], got, len);
            }
            /* ASCII after the run, long enough to take the word loop. */
            memcpy(buf + len, "0123456789abcdefghij", 20);
            buf[len + 17] = 0x80;
            size_t got = tkg_utf8_validate(buf, len + 20);
            CHECK(got == len + 17, "filler %zu x %zu, then ASCII: offset %zu, want %zu", f, units,
                  got, len + 17);
        }
    }
}

static size_t encode(uint32_t cp, unsigned char *out) {
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Every scalar value round-trips, and the number of accepted byte strings of
 * each length equals the number of scalar values of that length: together
 * that means exactly the shortest forms of scalar values are accepted. */
static void test_exhaustive(void) {
    size_t round_trip_failures = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        unsigned char buf[4];
        uint32_t got = 0;
        size_t len = encode(cp, buf);
        if (tkg_utf8_decode(buf, len, &got) != len || got != cp ||
            tkg_utf8_validate(buf, len) != len)
            round_trip_failures++;
    }
    CHECK(round_trip_failures == 0, "%zu scalar values do not round-trip", round_trip_failures);

    size_t accepted1 = 0, accepted2 = 0, accepted3 = 0, accepted4 = 0;
    unsigned char buf[4];
    uint32_t cp;
    for (unsigned b0 = 0; b0 < 256; b0++) {
        buf[0] = (unsigned char)b0;
        accepted1 += tkg_utf8_decode(buf, 1, &cp) == 1;
        for (unsigned b1 = 0; b1 < 256; b1++) {
            buf[1] = (unsigned char)b1;
            accepted2 += tkg_utf8_decode(buf, 2, &cp) == 2;
            /* With valid tails the 4-byte count is set by the first two bytes. */
            buf[2] = buf[3] = 0x80;
            accepted4 += tkg_utf8_decode(buf, 4, &cp) == 4;
            if (b0 < 0xE0 || b0 > 0xEF) continue;
            for (unsigned b2 = 0; b2 < 256; b2++) {
                buf[2] = (unsigned char)b2;
                accepted3 += tkg_utf8_decode(buf, 3, &cp) == 3;
            }
        }
    }
    CHECK(accepted1 == 0x80, "%zu 1-byte sequences accepted, want 128", accepted1);
    CHECK(accepted2 == 0x800 - 0x80, "%zu 2-byte sequences accepted, want 1920", accepted2);
    CHECK(accepted3 == 0x10000 - 0x800 - 0x800, "%zu 3-byte sequences accepted, want 61440",
          accepted3);
    /* F0: 90–BF (48), F1–F3: 80–BF (3 x 64), F4: 80–8F (16). */
    CHECK(accepted4 == 256, "%zu 4-byte lead pairs accepted, want 256", accepted4);
}

int main(void) {
    test_decode_table();
    test_fast_path_positions();
    test_exhaustive();
    return unit_finish();
}
