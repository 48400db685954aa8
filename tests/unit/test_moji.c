/* test_moji.c — character counting for 桁数 and the full-width / half-width
 * checks against the generated JIS X 0213 and MJ repertoires. */
#include "moji.h"
#include "unit.h"

#include <string.h>

#define B(lit) lit, sizeof(lit) - 1

typedef struct {
    const char *name;
    const char *bytes;
    size_t len;
    size_t chars;
} count_case;

static const count_case count_cases[] = {
    {"empty", B(""), 0},
    {"ASCII", B("abc 123"), 7},
    {"sato", B("佐藤"), 2},
    {"ka + semi-voiced mark (JIS pair)", B("\xE3\x81\x8B\xE3\x82\x9A"), 1},
    {"two JIS pairs", B("\xE3\x81\x8B\xE3\x82\x9A\xE3\x82\xAB\xE3\x82\x9A"), 2},
    {"a + U+309A is not a JIS pair", B("\xE3\x81\x82\xE3\x82\x9A"), 2},
    {"lone U+309A", B("\xE3\x82\x9A"), 1},
    {"U+309A after ASCII", B("a\xE3\x82\x9A"), 2},
    {"katsura U+845B + IVS E0100", B("\xE8\x91\x9B\xF3\xA0\x84\x80"), 1},
    {"IVS then another selector", B("\xE8\x91\x9B\xF3\xA0\x84\x80\xF3\xA0\x84\x81"), 2},
    {"SVS U+FE00 after a base", B("\xE8\x91\x9B\xEF\xB8\x80"), 1},
    {"lone selector", B("\xF3\xA0\x84\x80"), 1},
    {"selector after ASCII", B("1\xEF\xB8\x8F"), 1},
    {"selector after a JIS pair counts", B("\xE3\x81\x8B\xE3\x82\x9A\xF3\xA0\x84\x80"), 2},
    {"tone bars U+02E9 U+02E5 (pair)", B("\xCB\xA9\xCB\xA5"), 1},
    {"tone bars U+02E5 U+02E9 (pair)", B("\xCB\xA5\xCB\xA9"), 1},
    {"tone bars 02E9 02E5 02E9: pair then one", B("\xCB\xA9\xCB\xA5\xCB\xA9"), 2},
    {"tone bars 02E9 02E9: no pair", B("\xCB\xA9\xCB\xA9"), 2},
    {"U+02CB modifier grave alone", B("\xCB\x8B"), 1},
    {"U+02CB then U+02E5: no pair", B("\xCB\x8B\xCB\xA5"), 2},
    {"ae + combining grave (pair)", B("\xC3\xA6\xCC\x80"), 1},
    {"e + combining grave: not JIS", B("e\xCC\x80"), 2},
    {"tsuchi-yoshi U+20BB7", B("\xF0\xA0\xAE\xB7"), 1},
    {"mixed ASCII over a word",
     B("0123456789\xE4\xBD\x90"
       "abcdefghij"),
     21},
};

static void test_count(void) {
    for (size_t i = 0; i < sizeof count_cases / sizeof count_cases[0]; i++) {
        const count_case *c = &count_cases[i];
        size_t got = tkg_char_count((const unsigned char *)c->bytes, c->len);
        CHECK(got == c->chars, "%s: %zu characters, want %zu", c->name, got, c->chars);
    }
}

typedef struct {
    const char *name;
    tkg_repertoire rep;
    const char *bytes;
    size_t len;
    tkg_char_class cls; /* TKG_CH_OK: the value passes */
    size_t offset;
    uint32_t cp, cp2;
} fullwidth_case;

#define JIS TKG_REP_JISX0213
#define MJ TKG_REP_MJ

static const fullwidth_case fullwidth_cases[] = {
    {"empty", JIS, B(""), TKG_CH_OK, 0, 0, 0},
    {"sato", JIS, B("佐藤"), TKG_CH_OK, 0, 0, 0},
    {"saki U+FA11 in JIS", JIS, B("\xEF\xA8\x91"), TKG_CH_OK, 0, 0, 0},
    {"taka U+9AD9 not in JIS", JIS, B("\xE9\xAB\x99"), TKG_CH_NOT_IN_REPERTOIRE, 0, 0x9AD9, 0},
    {"taka U+9AD9 in MJ", MJ, B("\xE9\xAB\x99"), TKG_CH_OK, 0, 0, 0},
    {"U+20BB7 not in JIS", JIS, B("\xF0\xA0\xAE\xB7"), TKG_CH_NOT_IN_REPERTOIRE, 0, 0x20BB7, 0},
    {"U+20BB7 in MJ", MJ, B("\xF0\xA0\xAE\xB7"), TKG_CH_OK, 0, 0, 0},
    {"full-width A", JIS, B("\xEF\xBC\xA1"), TKG_CH_OK, 0, 0, 0},
    {"half-width A", JIS, B("A"), TKG_CH_HALFWIDTH, 0, 'A', 0},
    {"half-width A in MJ", MJ, B("A"), TKG_CH_HALFWIDTH, 0, 'A', 0},
    {"ASCII space", JIS, B("\xE4\xBD\x90 "), TKG_CH_HALFWIDTH, 3, ' ', 0},
    {"half-width katakana a", JIS, B("\xEF\xBD\xB1"), TKG_CH_HALFWIDTH, 0, 0xFF71, 0},
    {"half-width katakana a in MJ", MJ, B("\xEF\xBD\xB1"), TKG_CH_HALFWIDTH, 0, 0xFF71, 0},
    {"PUA U+E000", JIS, B("\xEE\x80\x80"), TKG_CH_PUA, 0, 0xE000, 0},
    {"PUA U+10DE92 (MJ+)", MJ, B("\xF4\x8D\xBA\x92"), TKG_CH_PUA, 0, 0x10DE92, 0},
    {"PUA plane 15", MJ, B("\xF3\xB0\x80\x80"), TKG_CH_PUA, 0, 0xF0000, 0},
    {"BEL", JIS, B("\xE4\xBD\x90\x07"), TKG_CH_CONTROL, 3, 0x07, 0},
    {"DEL", JIS, B("\x7F"), TKG_CH_CONTROL, 0, 0x7F, 0},
    {"C1 NEL", JIS, B("\xC2\x85"), TKG_CH_CONTROL, 0, 0x85, 0},
    {"ideographic space", JIS, B("\xE4\xBD\x90\xE3\x80\x80\xE8\x97\xA4"), TKG_CH_OK, 0, 0, 0},
    {"U+FF5E (Windows alternate of WAVE DASH)", JIS, B("\xEF\xBD\x9E"), TKG_CH_OK, 0, 0, 0},
    {"U+FF0D (Windows alternate of MINUS)", JIS, B("\xEF\xBC\x8D"), TKG_CH_OK, 0, 0, 0},
    {"U+2015 (Windows alternate of EM DASH)", JIS, B("\xE2\x80\x95"), TKG_CH_OK, 0, 0, 0},
    {"U+301C WAVE DASH", JIS, B("\xE3\x80\x9C"), TKG_CH_OK, 0, 0, 0},
    {"U+2252 (Windows alternate of a reserved row) is in JIS anyway", JIS, B("\xE2\x89\x92"),
     TKG_CH_OK, 0, 0, 0},
    {"YEN SIGN U+00A5", JIS, B("\xC2\xA5"), TKG_CH_OK, 0, 0, 0},
    {"lone U+309A", JIS, B("\xE3\x82\x9A"), TKG_CH_STRAY_MODIFIER, 0, 0x309A, 0},
    {"U+309A after a non-pair base", JIS, B("\xE3\x81\x82\xE3\x82\x9A"), TKG_CH_STRAY_MODIFIER, 3,
     0x309A, 0},
    {"lone U+3099", MJ, B("\xE3\x82\x99"), TKG_CH_STRAY_MODIFIER, 0, 0x3099, 0},
    {"ka + U+309A (JIS pair)", JIS, B("\xE3\x81\x8B\xE3\x82\x9A"), TKG_CH_OK, 0, 0, 0},
    {"ka + U+309A in MJ", MJ, B("\xE3\x81\x8B\xE3\x82\x9A"), TKG_CH_OK, 0, 0, 0},
    {"tone bar pair then single", JIS, B("\xCB\xA9\xCB\xA5\xCB\xA9"), TKG_CH_OK, 0, 0, 0},
    {"lone combining grave is JIS 1-11-60", JIS, B("\xCC\x80"), TKG_CH_OK, 0, 0, 0},
    {"combining tilde U+0303 is JIS 1-11-93", JIS, B("\xEF\xBC\xA1\xCC\x83"), TKG_CH_OK, 0, 0, 0},
    {"combining dot above U+0307 is stray", JIS, B("\xEF\xBC\xA1\xCC\x87"), TKG_CH_STRAY_MODIFIER,
     3, 0x0307, 0},
    {"enclosing circle U+20DD is stray", MJ, B("\xE2\x83\x9D"), TKG_CH_STRAY_MODIFIER, 0, 0x20DD,
     0},
    {"lone selector", MJ, B("\xF3\xA0\x84\x81"), TKG_CH_STRAY_MODIFIER, 0, 0xE0101, 0},
    {"selector after a JIS pair", MJ, B("\xE3\x81\x8B\xE3\x82\x9A\xF3\xA0\x84\x80"),
     TKG_CH_STRAY_MODIFIER, 6, 0xE0100, 0},
    {"3404+E0101 listed in MJ", MJ, B("\xE3\x90\x84\xF3\xA0\x84\x81"), TKG_CH_OK, 0, 0, 0},
    {"3404+E01EF not listed", MJ, B("\xE3\x90\x84\xF3\xA0\x87\xAF"), TKG_CH_NOT_IN_REPERTOIRE, 0,
     0x3404, 0xE01EF},
    {"845B+E0102 (MJ collection) in MJ", MJ, B("\xE8\x91\x9B\xF3\xA0\x84\x82"), TKG_CH_OK, 0, 0, 0},
    {"845B+E0100 (Adobe-Japan1 only) not in MJ", MJ, B("\xE8\x91\x9B\xF3\xA0\x84\x80"),
     TKG_CH_NOT_IN_REPERTOIRE, 0, 0x845B, 0xE0100},
    {"845B+E0100 not in JIS", JIS, B("\xE8\x91\x9B\xF3\xA0\x84\x80"), TKG_CH_NOT_IN_REPERTOIRE, 0,
     0x845B, 0xE0100},
    {"IVS after a later character", JIS, B("\xE4\xBD\x90\xE8\x91\x9B\xF3\xA0\x84\x80"),
     TKG_CH_NOT_IN_REPERTOIRE, 3, 0x845B, 0xE0100},
    {"two selectors: the second is stray", MJ, B("\xE8\x91\x9B\xF3\xA0\x84\x82\xF3\xA0\x84\x82"),
     TKG_CH_STRAY_MODIFIER, 7, 0xE0102, 0},
    {"535A+E010A (one of two sequences in a cell)", MJ, B("\xE5\x8D\x9A\xF3\xA0\x84\x8A"),
     TKG_CH_OK, 0, 0, 0},
    {"2B9E4+E0100 (second sequence in that cell)", MJ, B("\xF0\xAB\xA7\xA4\xF3\xA0\x84\x80"),
     TKG_CH_OK, 0, 0, 0},
    {"control before a selector is a control", MJ, B("\x07\xF3\xA0\x84\x80"), TKG_CH_CONTROL, 0,
     0x07, 0},
    {"half-width before a selector", MJ, B("A\xEF\xB8\x80"), TKG_CH_HALFWIDTH, 0, 'A', 0},
    {"emoji after kanji", MJ, B("\xE4\xBD\x90\xE8\x97\xA4\xF0\x9F\x98\x80"),
     TKG_CH_NOT_IN_REPERTOIRE, 6, 0x1F600, 0},
    {"emoji in JIS", JIS, B("\xE3\x81\x82\xF0\x9F\x98\x80\xE3\x81\x84"), TKG_CH_NOT_IN_REPERTOIRE,
     3, 0x1F600, 0},
    {"first offence wins", JIS, B("\xE4\xBD\x90\xEE\x80\x80\x07"), TKG_CH_PUA, 3, 0xE000, 0},
    {"malformed byte reported as U+FFFD", JIS, B("\xE4\xBD\x90\xFF"), TKG_CH_NOT_IN_REPERTOIRE, 3,
     0xFFFD, 0},
    {"truncated last character", JIS, B("\xE4\xBD\x90\xE8\x97"), TKG_CH_NOT_IN_REPERTOIRE, 3,
     0xFFFD, 0},
};

static void test_fullwidth(void) {
    for (size_t i = 0; i < sizeof fullwidth_cases / sizeof fullwidth_cases[0]; i++) {
        const fullwidth_case *c = &fullwidth_cases[i];
        tkg_char_issue issue = {TKG_CH_OK, 999, 0xDEAD, 0xBEEF};
        bool ok =
            tkg_check_fullwidth(c->rep, NULL, (const unsigned char *)c->bytes, c->len, &issue);
        if (c->cls == TKG_CH_OK) {
            CHECK(ok, "%s: rejected (class %d at %zu, U+%04X U+%04X)", c->name, (int)issue.cls,
                  issue.offset, (unsigned)issue.cp, (unsigned)issue.cp2);
            continue;
        }
        CHECK(!ok, "%s: accepted", c->name);
        CHECK(issue.cls == c->cls, "%s: class %d, want %d", c->name, (int)issue.cls, (int)c->cls);
        CHECK(issue.offset == c->offset, "%s: offset %zu, want %zu", c->name, issue.offset,
              c->offset);
        CHECK(issue.cp == c->cp && issue.cp2 == c->cp2, "%s: U+%04X U+%04X, want U+%04X U+%04X",
              c->name, (unsigned)issue.cp, (unsigned)issue.cp2, (unsigned)c->cp, (unsigned)c->cp2);
    }
    CHECK(!tkg_check_fullwidth(JIS, NULL, (const unsigned char *)"A", 1, NULL),
          "a NULL issue pointer is allowed");
}

static void test_extra(void) {
    static const uint32_t gaiji[] = {0x9AD9, 0xE000, 0xE001, 0x10DE92};
    const tkg_cpset extra = {gaiji, sizeof gaiji / sizeof gaiji[0]};
    const tkg_cpset empty = {NULL, 0};
    tkg_char_issue issue;
    const unsigned char pua[] = "\xE4\xBD\x90\xEE\x80\x80\xEE\x80\x81";
    CHECK(tkg_check_fullwidth(JIS, &extra, pua, sizeof pua - 1, &issue),
          "PUA listed in extra is allowed");
    CHECK(!tkg_check_fullwidth(JIS, &empty, pua, sizeof pua - 1, &issue) &&
              issue.cls == TKG_CH_PUA && issue.offset == 3,
          "an empty extra set allows nothing");
    const unsigned char unlisted[] = "\xEE\x80\x82";
    CHECK(!tkg_check_fullwidth(MJ, &extra, unlisted, sizeof unlisted - 1, &issue) &&
              issue.cls == TKG_CH_PUA && issue.cp == 0xE002,
          "PUA not listed in extra stays PUA");
    const unsigned char mj_plus[] = "\xF4\x8D\xBA\x92";
    CHECK(tkg_check_fullwidth(MJ, &extra, mj_plus, sizeof mj_plus - 1, &issue),
          "supplementary PUA listed in extra is allowed");
    const unsigned char taka[] = "\xE9\xAB\x99";
    CHECK(tkg_check_fullwidth(JIS, &extra, taka, sizeof taka - 1, &issue),
          "a non-PUA code point listed in extra is allowed");
    const unsigned char with_selector[] = "\xEE\x80\x80\xF3\xA0\x84\x80";
    CHECK(!tkg_check_fullwidth(JIS, &extra, with_selector, sizeof with_selector - 1, &issue) &&
              issue.cls == TKG_CH_NOT_IN_REPERTOIRE && issue.cp == 0xE000 && issue.cp2 == 0xE0100,
          "an extra code point with a selector is not allowed");
    static const uint32_t ascii[] = {'A'};
    const tkg_cpset ascii_extra = {ascii, 1};
    CHECK(!tkg_check_fullwidth(JIS, &ascii_extra, (const unsigned char *)"A", 1, &issue) &&
              issue.cls == TKG_CH_HALFWIDTH,
          "extra cannot make a half-width character full-width");
}

typedef struct {
    const char *name;
    const char *bytes;
    size_t len;
    tkg_char_class cls;
    size_t offset;
    uint32_t cp;
} halfwidth_case;

static const halfwidth_case halfwidth_cases[] = {
    {"empty", B(""), TKG_CH_OK, 0, 0},
    {"printable ASCII", B(" !09AZaz~"), TKG_CH_OK, 0, 0},
    {"TAB", B("ab\t"), TKG_CH_CONTROL, 2, '\t'},
    {"DEL", B("\x7F"), TKG_CH_CONTROL, 0, 0x7F},
    {"C1 control", B("x\xC2\x9F"), TKG_CH_CONTROL, 1, 0x9F},
    {"half-width katakana", B("ab\xEF\xBD\xB1"), TKG_CH_FULLWIDTH, 2, 0xFF71},
    {"full-width A", B("\xEF\xBC\xA1"), TKG_CH_FULLWIDTH, 0, 0xFF21},
    {"kanji", B("12\xE4\xBD\x90"), TKG_CH_FULLWIDTH, 2, 0x4F50},
    {"NBSP", B("\xC2\xA0"), TKG_CH_FULLWIDTH, 0, 0xA0},
    {"malformed", B("ab\xC0\x80"), TKG_CH_FULLWIDTH, 2, 0xFFFD},
};

static void test_halfwidth(void) {
    for (size_t i = 0; i < sizeof halfwidth_cases / sizeof halfwidth_cases[0]; i++) {
        const halfwidth_case *c = &halfwidth_cases[i];
        tkg_char_issue issue = {TKG_CH_OK, 999, 0xDEAD, 0xBEEF};
        bool ok = tkg_check_halfwidth((const unsigned char *)c->bytes, c->len, &issue);
        if (c->cls == TKG_CH_OK) {
            CHECK(ok, "%s: rejected (class %d at %zu)", c->name, (int)issue.cls, issue.offset);
            continue;
        }
        CHECK(!ok && issue.cls == c->cls && issue.offset == c->offset && issue.cp == c->cp &&
                  issue.cp2 == 0,
              "%s: ok=%d class %d at %zu U+%04X, want class %d at %zu U+%04X", c->name, ok,
              (int)issue.cls, issue.offset, (unsigned)issue.cp, (int)c->cls, c->offset,
              (unsigned)c->cp);
    }
}

typedef struct {
    uint32_t cp;
    bool in_jis, in_mj;
} membership_case;

static const membership_case membership_cases[] = {
    {0x3000, true, true},   /* ideographic space */
    {0xFA11, true, true},   /* 﨑 */
    {0x9AD9, false, true},  /* 髙 */
    {0x20BB7, false, true}, /* 𠮷 */
    {0x20089, true, true},  /* JIS plane 2, supplementary */
    {0x9AD8, true, true},   /* 高 */
    {0x5409, true, true},   /* 吉 */
    {0x3005, true, true},   /* 々 */
    {0xFF21, true, true},   /* Ａ */
    {0xFF5E, true, true},   /* Windows alternate of 〜, and full-width tilde */
    {0xFFE3, true, true},   /* Windows alternate of OVERLINE */
    {0x203E, true, true},   /* OVERLINE itself */
    {0x41, false, false},   /* A */
    {0x20, false, false},   /* space */
    {0x5C, false, false},   /* backslash: only U+FF3C is full-width */
    {0xFF3C, true, true},       {0xFF71, false, false}, /* ｱ */
    {0x309A, false, false},                             /* only in pairs */
    {0x2211, false, false},  /* ∑: only the Windows alternate of a <reserved> row */
    {0x2015, true, true},    /* Windows alternate of EM DASH */
    {0x1F600, false, false}, /* emoji */
    {0xE000, false, false},  /* PUA */
    {0x10DE92, false, false},   {0x110000, false, false}, /* not a code point */
    {0xFFFFFFFF, false, false},
};

static void test_membership(void) {
    for (size_t i = 0; i < sizeof membership_cases / sizeof membership_cases[0]; i++) {
        const membership_case *c = &membership_cases[i];
        CHECK(tkg_repertoire_has(JIS, c->cp) == c->in_jis, "U+%04X in jisx0213: want %d",
              (unsigned)c->cp, c->in_jis);
        CHECK(tkg_repertoire_has(MJ, c->cp) == c->in_mj, "U+%04X in mj: want %d", (unsigned)c->cp,
              c->in_mj);
    }
}

/* Whole-table properties: the sizes are pinned so that a change in the source
 * tables or in the generator's rules shows up here, and JIS must be inside MJ. */
static void test_repertoire_sizes(void) {
    size_t jis = 0, mj = 0, jis_not_mj = 0, halfwidth = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        bool in_jis = tkg_repertoire_has(JIS, cp), in_mj = tkg_repertoire_has(MJ, cp);
        jis += in_jis;
        mj += in_mj;
        jis_not_mj += in_jis && !in_mj;
        if ((cp >= 0x20 && cp <= 0x7E) || (cp >= 0xFF61 && cp <= 0xFF9F) || cp < 0x20 ||
            (cp >= 0x7F && cp <= 0x9F))
            halfwidth += in_jis || in_mj;
    }
    CHECK(jis == 11214, "jisx0213 has %zu single code points, want 11214", jis);
    CHECK(mj == 53753, "mj has %zu single code points, want 53753", mj);
    CHECK(jis_not_mj == 0, "%zu JIS code points are missing from MJ", jis_not_mj);
    CHECK(halfwidth == 0, "%zu half-width or control code points in a repertoire", halfwidth);
}

/* The single-pass scan (check + count) agrees with the separate functions,
 * on the fast path (plain kana/kanji) and around attachable code points. */
static void test_scan_count(void) {
    static const char *const valid[] = {
        "佐藤　一郎",
        "か\xE3\x82\x9Aき\xE3\x82\x9A",
        "\xE3\x90\x84\xF3\xA0\x84\x81㐄",
        "ＡＢＣ１２３",
        "﨑",
        "髙橋",
        "𠮷野",
        "",
        "〜～－",
        "ト\xE3\x82\x9Aセ\xE3\x82\x9A",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        const unsigned char *s = (const unsigned char *)valid[i];
        size_t n = strlen(valid[i]), count = 999;
        tkg_char_issue issue;
        bool ok = tkg_scan_fullwidth(TKG_REP_MJ, NULL, s, n, &issue, &count);
        CHECK(ok, "scan rejects valid case %zu", i);
        CHECK(ok == tkg_check_fullwidth(TKG_REP_MJ, NULL, s, n, &issue), "scan/check differ %zu",
              i);
        CHECK(!ok || count == tkg_char_count(s, n), "case %zu: scan counts %zu, char_count %zu", i,
              count, tkg_char_count(s, n));
    }
    static const char *const invalid[] = {"佐藤ｱ", "佐藤A", "葛\xF3\xA0\x87\xAF", "\xEE\x80\x80"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        const unsigned char *s = (const unsigned char *)invalid[i];
        tkg_char_issue a, b;
        bool ok1 = tkg_scan_fullwidth(TKG_REP_MJ, NULL, s, strlen(invalid[i]), &a, NULL);
        bool ok2 = tkg_check_fullwidth(TKG_REP_MJ, NULL, s, strlen(invalid[i]), &b);
        CHECK(!ok1 && !ok2 && a.offset == b.offset && a.cp == b.cp && a.cls == b.cls,
              "invalid case %zu differs", i);
    }
}

int main(void) {
    test_scan_count();
    test_count();
    test_fullwidth();
    test_extra();
    test_halfwidth();
    test_membership();
    test_repertoire_sizes();
    return unit_finish();
}
