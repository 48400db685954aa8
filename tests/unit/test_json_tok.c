/* test_json_tok.c — the streaming JSON tokenizer (json_tok.c). Cases follow the
 * categories of the public JSONTestSuite (y_ must be accepted without any
 * issue, n_ must be rejected with a named issue, i_ implementation-defined:
 * our documented behaviour), written anew for tekigo: structures, numbers,
 * strings, escapes, UTF-8, BOM, depth, JSON Lines, limits. Each case is fed
 * whole, one byte at a time, split at every point into two, and in random
 * chunks: every feeding must give the same trace. Hostile inputs (100 000
 * levels, a 100 MB string, 10 MB of digits) are generated in chunks and must
 * keep memory bounded. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "json_tok.h"
#include "unit.h"

/* ---- the trace: every event and issue as one line of text ---- */

typedef struct {
    char *s;
    size_t len, cap;
    unsigned issues; /* bit per issue kind seen */
    unsigned fatal;  /* fatal issues */
    uint64_t events;
    size_t max_len; /* longest token text seen */
    bool quiet;     /* hostile runs: count only */
} trace;

static void put(trace *t, const char *fmt, ...) {
    if (t->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s) abort();
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static void put_text(trace *t, const char *s, size_t n) {
    for (size_t i = 0; i < n && i < 40; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7F)
            put(t, "\\x%02X", c);
        else
            put(t, "%c", c);
    }
    if (n > 40) put(t, "…");
}

static const char *KIND[] = {"?", "DS", "DE", "{", "}", "[", "]",
                             "K", "S",  "N",  "T", "F", "Z", "X"};
static const char *ISSUE[] = {"?",     "SYNTAX", "UTF8",   "ESCAPE", "SURROGATE", "CONTROL",
                              "COMMA", "ZERO",   "NANINF", "NUMBER", "DUP",       "DEPTH",
                              "LONG",  "TRAIL",  "EMPTY",  "BOM",    "KEYS"};

/* Event: kind, then for tokens '<text>' (and =<raw> when it differs), flags
 * t(runcated) b(ad) d(uplicate) a(borted), @line:col, #record. */
static void on_event(void *ctx, const tkg_json_event *ev) {
    trace *t = ctx;
    t->events++;
    if (ev->len > t->max_len) t->max_len = ev->len;
    if (t->quiet) return;
    put(t, "%s", KIND[ev->kind]);
    if (ev->kind >= TKG_JSON_KEY && ev->kind <= TKG_JSON_NULL) {
        put(t, "'");
        put_text(t, ev->text, ev->len);
        put(t, "'");
        if (ev->raw_len != ev->len || memcmp(ev->raw, ev->text, ev->len) != 0) {
            put(t, "=");
            put_text(t, ev->raw, ev->raw_len);
        }
        if (ev->text[ev->len] != '\0') put(t, "<no NUL>");
    }
    if (ev->truncated) put(t, "t");
    if (ev->bad) put(t, "b");
    if (ev->duplicate) put(t, "d");
    if (ev->aborted) put(t, "a");
    put(t, "@%llu:%llu", (unsigned long long)ev->line, (unsigned long long)ev->column);
    if (ev->kind == TKG_JSON_DOC_START) put(t, "#%llu", (unsigned long long)ev->record);
    put(t, " ");
}

static void on_issue(void *ctx, const tkg_json_issue *is) {
    trace *t = ctx;
    t->issues |= 1u << is->kind;
    if (is->fatal) t->fatal |= 1u << is->kind;
    if (t->quiet) return;
    put(t, "!%s@%llu:%llu", ISSUE[is->kind], (unsigned long long)is->line,
        (unsigned long long)is->column);
    if (is->detail) {
        put(t, "[");
        put_text(t, is->detail, strlen(is->detail));
        put(t, "]");
    }
    if (is->fatal) put(t, "F");
    put(t, " ");
}

/* Feeds the input in the chunks given by cut points (sorted, within len). */
static trace run_cuts(const char *in, size_t len, const tkg_json_options *o, const size_t *cuts,
                      size_t ncuts) {
    trace t = {0};
    tkg_json_callbacks cb = {on_event, on_issue, &t};
    tkg_json_tok *j = tkg_json_new(o, &cb);
    size_t at = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        if (tkg_json_feed(j, in + at, end - at) != 0) abort();
        at = end;
    }
    tkg_json_finish(j);
    tkg_json_free(j);
    if (!t.s) put(&t, "%s", "");
    if (t.len && t.s[t.len - 1] == ' ') t.s[--t.len] = '\0';
    return t;
}

static trace run_whole(const char *in, size_t len, const tkg_json_options *o) {
    return run_cuts(in, len, o, NULL, 0);
}

/* Every feeding gives the same trace as the whole input. */
static void check_chunking(const char *name, const char *in, size_t len, const tkg_json_options *o,
                           const trace *whole) {
    size_t *cuts = malloc((len + 1) * sizeof *cuts);
    for (size_t i = 0; i < len; i++)
        cuts[i] = i + 1;
    trace one = run_cuts(in, len, o, cuts, len ? len - 1 : 0);
    CHECK(strcmp(one.s, whole->s) == 0, "%s: 1-byte chunks\n  got  %s\n  want %s", name, one.s,
          whole->s);
    free(one.s);
    for (size_t k = 1; k < len && len < 400; k++) {
        trace two = run_cuts(in, len, o, &k, 1);
        if (strcmp(two.s, whole->s) != 0) {
            CHECK(0, "%s: split at %zu\n  got  %s\n  want %s", name, k, two.s, whole->s);
            free(two.s);
            break;
        }
        free(two.s);
    }
    unsigned seed = 12345;
    for (int rep = 0; rep < 5; rep++) {
        size_t n = 0;
        for (size_t at = 0; at < len;) {
            seed = seed * 1103515245u + 12345u;
            at += 1 + (seed >> 16) % 7;
            if (at < len) cuts[n++] = at;
        }
        trace r = run_cuts(in, len, o, cuts, n);
        CHECK(strcmp(r.s, whole->s) == 0, "%s: random chunks", name);
        free(r.s);
    }
    free(cuts);
}

/* ---- exact traces ---- */

typedef struct {
    const char *name;
    const char *in;
    size_t len; /* 0: strlen */
    bool lines;
    size_t max_depth, max_token, max_keys;
    const char *want;
} exact_case;

static const exact_case EXACT[] = {
    {"y_object_simple", "{\"a\":1}", 0, false, 0, 0, 0,
     "DS@1:1#1 {@1:1 K'a'@1:2 N'1'@1:6 }@1:7 DE@1:7"},
    {"y_structure_whitespace", " [\n\t1 ,\r\n true,false , null ]\n", 0, false, 0, 0, 0,
     "DS@1:2#1 [@1:2 N'1'@2:2 T'true'@3:2 F'false'@3:7 Z'null'@3:15 ]@3:20 DE@3:20"},
    {"y_columns_count_characters", "{\"氏名\":\"佐藤\",\"x\":1}", 0, false, 0, 0, 0,
     "DS@1:1#1 {@1:1 K'\\xE6\\xB0\\x8F\\xE5\\x90\\x8D'@1:2 S'\\xE4\\xBD\\x90\\xE8\\x97\\xA4'@1:7 "
     "K'x'@1:12 N'1'@1:16 }@1:17 DE@1:17"},
    {"y_number_text_kept", "[1e999999,-0.0E+10,12345678901234567890123]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1e999999'@1:2 N'-0.0E+10'@1:11 N'12345678901234567890123'@1:20 ]@1:43 "
     "DE@1:43"},
    {"y_string_escapes", "\"a\\n\\u00e9\\/\\\\\"", 0, false, 0, 0, 0,
     "DS@1:1#1 S'a\\x0A\\xC3\\xA9/\\'=a\\n\\u00e9\\/\\\\@1:1 DE@1:15"},
    {"y_string_surrogate_pair", "\"\\uD83D\\uDE00\"", 0, false, 0, 0, 0,
     "DS@1:1#1 S'\\xF0\\x9F\\x98\\x80'=\\uD83D\\uDE00@1:1 DE@1:14"},
    {"y_scalar_top_level", "  \"x\" ", 0, false, 0, 0, 0, "DS@1:3#1 S'x'@1:3 DE@1:5"},
    {"y_u0000_escape", "\"a\\u0000b\"", 0, false, 0, 0, 0,
     "DS@1:1#1 S'a\\x00b'=a\\u0000b@1:1 DE@1:10"},
    {"n_trailing_comma_array", "[1,]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1'@1:2 !COMMA@1:3 ]@1:4 DE@1:4"},
    {"n_trailing_comma_object", "{\"a\":1,}", 0, false, 0, 0, 0,
     "DS@1:1#1 {@1:1 K'a'@1:2 N'1'@1:6 !COMMA@1:7 }@1:8 DE@1:8"},
    {"n_leading_zero", "[01,-012]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 !ZERO@1:2[01] N'01'b@1:2 !ZERO@1:5[-012] N'-012'b@1:5 ]@1:9 DE@1:9"},
    {"n_nan_infinity", "[NaN,-Infinity,Infinity]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 !NANINF@1:2[NaN] N'NaN'b@1:2 !NANINF@1:6[-Infinity] N'-Infinity'b@1:6 "
     "!NANINF@1:16[Infinity] N'Infinity'b@1:16 ]@1:24 DE@1:24"},
    {"n_number_malformed", "[1.,1e,-,0x1F]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 !NUMBER@1:2[1.] N'1.'b@1:2 !NUMBER@1:5[1e] N'1e'b@1:5 !NUMBER@1:8[-] "
     "N'-'b@1:8 !NUMBER@1:10[0x1F] N'0x1F'b@1:10 ]@1:14 DE@1:14"},
    {"n_number_plus", "[+1]", 0, false, 0, 0, 0, "DS@1:1#1 [@1:1 !SYNTAX@1:2['+']F DEa@1:2"},
    {"n_number_dot_first", "[.5]", 0, false, 0, 0, 0, "DS@1:1#1 [@1:1 !SYNTAX@1:2['.']F DEa@1:2"},
    {"n_literal_capital", "[True]", 0, false, 0, 0, 0, "DS@1:1#1 [@1:1 !SYNTAX@1:2[True]F DEa@1:2"},
    {"n_duplicate_key", "{\"a\":1,\"b\":2,\"a\":3}", 0, false, 0, 0, 0,
     "DS@1:1#1 {@1:1 K'a'@1:2 N'1'@1:6 K'b'@1:8 N'2'@1:12 !DUP@1:14[a] K'a'd@1:14 N'3'@1:18 "
     "}@1:19 DE@1:19"},
    {"y_same_key_other_object", "[{\"a\":1},{\"a\":2}]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 {@1:2 K'a'@1:3 N'1'@1:7 }@1:8 {@1:10 K'a'@1:11 N'2'@1:15 }@1:16 ]@1:17 "
     "DE@1:17"},
    {"n_invalid_escape", "\"a\\qb\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !ESCAPE@1:3[\\q] S'a\\qb'b@1:1 DE@1:6"},
    {"n_short_u_escape", "\"\\u12\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !ESCAPE@1:2[\\u12] S''=\\u12b@1:1 DE@1:6"},
    {"n_lone_high_surrogate", "\"\\uD800x\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !SURROGATE@1:2[\\uD800] S'\\xEF\\xBF\\xBDx'=\\uD800xb@1:1 DE@1:9"},
    {"n_lone_low_surrogate", "\"\\uDC00\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !SURROGATE@1:2[\\uDC00] S'\\xEF\\xBF\\xBD'=\\uDC00b@1:1 DE@1:8"},
    {"n_high_then_high", "\"\\uD800\\uD800\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !SURROGATE@1:2[\\uD800] S'\\xEF\\xBF\\xBD\\xEF\\xBF\\xBD'=\\uD800\\uD800b@1:1 "
     "DE@1:14"},
    {"n_control_in_string", "[\"a\tb\"]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 !CONTROL@1:4[U+0009] S'a\\x09b'b@1:2 ]@1:7 DE@1:7"},
    {"n_invalid_utf8_in_string", "[\"a\xFF\"]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 !UTF8@1:4[0xFF] S'a\\xFF'b@1:2 ]@1:6 DE@1:6"},
    {"n_truncated_utf8_in_string", "\"\xE4\xBD\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !UTF8@1:2[0xE4 0xBD] S'\\xE4\\xBD'b@1:1 DE@1:3"},
    {"n_utf8_surrogate_encoded", "\"\xED\xA0\x80\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !UTF8@1:2[0xED] S'\\xED\\xA0\\x80'b@1:1 DE@1:3"},
    {"n_overlong_utf8", "\"\xC0\xAF\"", 0, false, 0, 0, 0,
     "DS@1:1#1 !UTF8@1:2[0xC0] S'\\xC0\\xAF'b@1:1 DE@1:4"},
    {"n_invalid_utf8_outside", "[\xFF]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 !UTF8@1:2[0xFF]F DEa@1:2"},
    {"n_fullwidth_space_outside", "[\xE3\x80\x80 1]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 !SYNTAX@1:2[0xE3]F DEa@1:2"},
    {"n_single_quotes", "{'a':1}", 0, false, 0, 0, 0, "DS@1:1#1 {@1:1 !SYNTAX@1:2[''']F DEa@1:2"},
    {"n_unquoted_key", "{a:1}", 0, false, 0, 0, 0, "DS@1:1#1 {@1:1 !SYNTAX@1:2['a']F DEa@1:2"},
    {"n_missing_colon", "{\"a\" 1}", 0, false, 0, 0, 0,
     "DS@1:1#1 {@1:1 K'a'@1:2 !SYNTAX@1:6['1']F DEa@1:6"},
    {"n_missing_comma", "[1 2]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1'@1:2 !SYNTAX@1:4['2']F DEa@1:4"},
    {"n_double_comma", "[1,,2]", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1'@1:2 !SYNTAX@1:4[',']F DEa@1:4"},
    {"n_mismatched_brackets", "[1}", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1'@1:2 !SYNTAX@1:3['}']F DEa@1:3"},
    {"n_comment", "[1]//x", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1'@1:2 ]@1:3 DE@1:3 !TRAIL@1:4['/']"},
    {"n_trailing_garbage", "{} x {}", 0, false, 0, 0, 0,
     "DS@1:1#1 {@1:1 }@1:2 DE@1:2 !TRAIL@1:4['x']"},
    {"n_unclosed_array", "[1,\n2", 0, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1'@1:2 N'2'@2:1 !SYNTAX@2:2[end of input]F DEa@2:2"},
    {"n_unclosed_string", "\"abc", 0, false, 0, 0, 0,
     "DS@1:1#1 !SYNTAX@1:5[end of input]F DEa@1:5"},
    {"n_empty", "", 0, false, 0, 0, 0, "!EMPTY@1:1F"},
    {"n_whitespace_only", " \n ", 0, false, 0, 0, 0, "!EMPTY@2:2F"},
    {"n_nul_outside", "[1]\0", 4, false, 0, 0, 0,
     "DS@1:1#1 [@1:1 N'1'@1:2 ]@1:3 DE@1:3 !TRAIL@1:4[0x00]"},
    {"i_bom_skipped", "\xEF\xBB\xBF{}", 0, false, 0, 0, 0, "!BOM@1:1 DS@1:1#1 {@1:1 }@1:2 DE@1:2"},
    {"n_bom_broken", "\xEF\xBB{}", 0, false, 0, 0, 0, "DS@1:2#1 !SYNTAX@1:2[0xEF]F DEa@1:2"},
    {"i_depth_limit", "[[[[1]]],2]", 0, false, 3, 0, 0,
     "DS@1:1#1 [@1:1 [@1:2 [@1:3 !DEPTH@1:4[3] X@1:4 ]@1:7 ]@1:8 N'2'@1:10 ]@1:11 DE@1:11"},
    {"i_depth_skip_sees_strings", "[[\"]\",{\"a\":\"[\"}],1]", 0, false, 1, 0, 0,
     "DS@1:1#1 [@1:1 !DEPTH@1:2[1] X@1:2 N'1'@1:18 ]@1:19 DE@1:19"},
    {"i_token_limit", "[\"abcdefgh\",123456789]", 0, false, 0, 4, 0,
     "DS@1:1#1 [@1:1 !LONG@1:2 S'abcd'tb@1:2 !LONG@1:13 N'1234'tb@1:13 ]@1:22 DE@1:22"},
    {"i_keys_limit", "{\"a\":1,\"b\":2,\"c\":3,\"a\":4}", 0, false, 0, 0, 2,
     "DS@1:1#1 {@1:1 K'a'@1:2 N'1'@1:6 K'b'@1:8 N'2'@1:12 !KEYS@1:14[2] K'c'@1:14 N'3'@1:18 "
     "!DUP@1:20[a] K'a'd@1:20 N'4'@1:24 }@1:25 DE@1:25"},
    {"y_lines", "{\"a\":1}\n\n[2]\r\n\"x\"\n", 0, true, 0, 0, 0,
     "DS@1:1#1 {@1:1 K'a'@1:2 N'1'@1:6 }@1:7 DE@1:7 DS@3:1#2 [@3:1 N'2'@3:2 ]@3:3 DE@3:3 "
     "DS@4:1#3 S'x'@4:1 DE@4:3"},
    {"n_lines_value_split", "{\"a\":\n1}\n[3]", 0, true, 0, 0, 0,
     "DS@1:1#1 {@1:1 K'a'@1:2 !SYNTAX@1:6[end of line]F DEa@1:6 DS@2:1#2 N'1'@2:1 DE@2:2 "
     "!TRAIL@2:2['}'] DS@3:1#3 [@3:1 N'3'@3:2 ]@3:3 DE@3:3"},
    {"n_lines_trailing", "1 2\n3", 0, true, 0, 0, 0,
     "DS@1:1#1 N'1'@1:1 DE@1:2 !TRAIL@1:3['2'] DS@2:1#2 N'3'@2:1 DE@2:2"},
    {"n_lines_string_broken", "\"ab\ncd\"\n4", 0, true, 0, 0, 0,
     "DS@1:1#1 !SYNTAX@1:4[end of line]F DEa@1:4 DS@2:1#2 !SYNTAX@2:1[cd]F DEa@2:1 DS@3:1#3 "
     "N'4'@3:1 DE@3:2"},
};

/* ---- accept / reject tables (JSONTestSuite-style categories) ---- */

typedef struct {
    const char *name, *in;
} plain_case;

static const plain_case ACCEPT[] = {
    {"y_array_empty", "[]"},
    {"y_array_nested_empty", "[[],[[]],{}]"},
    {"y_object_empty", "{}"},
    {"y_object_empty_key", "{\"\":0}"},
    {"y_object_nested", "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}}}"},
    {"y_number_zero", "0"},
    {"y_number_negative_zero", "-0"},
    {"y_number_fraction", "[0.5,-1.25,10.0]"},
    {"y_number_exponents", "[1E2,1e+2,1e-2,0e0,-1.5E-300]"},
    {"y_number_huge_exponent", "1e999999999999"},
    {"y_number_many_digits", "123456789012345678901234567890123456789012345678901234567890"},
    {"y_string_empty", "\"\""},
    {"y_string_all_escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\""},
    {"y_string_japanese", "\"住登外者　宛名番号\""},
    {"y_string_4byte_utf8", "\"\xF0\xA0\xAE\xB7\""},
    {"y_string_ivs", "\"\xE8\x91\x9B\xF3\xA0\x84\x80\""},
    {"y_string_del_allowed", "\"\x7F\""},
    {"y_string_escaped_control", "\"\\u001F\""},
    {"y_string_noncharacter", "\"\xEF\xBF\xBF\""},
    {"y_string_u2028", "\"\xE2\x80\xA8\""},
    {"y_literals", "[true,false,null]"},
    {"y_whitespace_all", " \t\r\n[ \t\r\n1 \t\r\n] \t\r\n"},
    {"y_duplicate_in_sibling_objects", "{\"a\":{\"x\":1},\"b\":{\"x\":1}}"},
    {"y_keys_case_sensitive", "{\"a\":1,\"A\":2}"},
    {"y_keys_differ_by_escape_form", "{\"\\u0061b\":1,\"ac\":2}"},
};

typedef struct {
    const char *name, *in;
    tkg_json_issue_kind want;
} reject_case;

static const reject_case REJECT[] = {
    {"n_array_unclosed", "[", TKG_JSON_I_SYNTAX},
    {"n_array_extra_close", "[]]", TKG_JSON_I_TRAILING},
    {"n_array_colon", "[\"a\":1]", TKG_JSON_I_SYNTAX},
    {"n_object_missing_value", "{\"a\":}", TKG_JSON_I_SYNTAX},
    {"n_object_number_key", "{1:1}", TKG_JSON_I_SYNTAX},
    {"n_object_unclosed", "{\"a\":1", TKG_JSON_I_SYNTAX},
    {"n_object_trailing_comma_nested", "{\"a\":[1,],}", TKG_JSON_I_TRAILING_COMMA},
    {"n_number_hex", "0x10", TKG_JSON_I_NUMBER},
    {"n_number_leading_zero_exp", "00e1", TKG_JSON_I_LEADING_ZERO},
    {"n_number_minus_space", "- 1", TKG_JSON_I_NUMBER},
    {"n_number_double_dot", "1..2", TKG_JSON_I_NUMBER},
    {"n_number_exp_no_digits", "1e+", TKG_JSON_I_NUMBER},
    {"n_number_infinity_word", "inf", TKG_JSON_I_SYNTAX},
    {"n_number_fullwidth_digit", "\xEF\xBC\x91", TKG_JSON_I_SYNTAX},
    {"n_string_single_quote", "'a'", TKG_JSON_I_SYNTAX},
    {"n_string_unescaped_newline", "\"a\nb\"", TKG_JSON_I_CONTROL},
    {"n_string_unescaped_nul", "\"a\0b\"", TKG_JSON_I_CONTROL},
    {"n_string_escape_x", "\"\\x41\"", TKG_JSON_I_ESCAPE},
    {"n_string_escape_capital_u", "\"\\U0041\"", TKG_JSON_I_ESCAPE},
    {"n_string_escape_nonhex", "\"\\u00G1\"", TKG_JSON_I_ESCAPE},
    {"n_string_lone_low_after_text", "\"a\\uDFFF\"", TKG_JSON_I_SURROGATE},
    {"n_string_high_then_escape", "\"\\uD800\\n\"", TKG_JSON_I_SURROGATE},
    {"n_string_high_at_end", "\"\\uDBFF\"", TKG_JSON_I_SURROGATE},
    {"n_utf8_continuation_only", "\"\x80\"", TKG_JSON_I_UTF8},
    {"n_utf8_f5", "\"\xF5\x80\x80\x80\"", TKG_JSON_I_UTF8},
    {"n_utf8_above_10ffff", "\"\xF4\x90\x80\x80\"", TKG_JSON_I_UTF8},
    {"n_utf8_overlong_3", "\"\xE0\x80\xAF\"", TKG_JSON_I_UTF8},
    {"n_utf16_bom", "\xFF\xFE[]", TKG_JSON_I_UTF8},
    {"n_literal_truncated", "tru", TKG_JSON_I_SYNTAX},
    {"n_literal_extended", "nulll", TKG_JSON_I_SYNTAX},
    {"n_structure_two_values", "1 2", TKG_JSON_I_TRAILING},
    {"n_structure_lone_close", "}", TKG_JSON_I_SYNTAX},
    {"n_structure_form_feed_ws", "[\f1]", TKG_JSON_I_SYNTAX},
    {"n_structure_nbsp_ws",
     "[\xC2\xA0"
     "1]",
     TKG_JSON_I_SYNTAX},
    {"n_structure_comment_block", "/* c */ 1", TKG_JSON_I_SYNTAX},
    {"n_structure_open_deep", "[[[[[[[[[[[[[[[[[[[[", TKG_JSON_I_SYNTAX},
};

static bool is_nul_case(const char *name) {
    return strcmp(name, "n_string_unescaped_nul") == 0;
}

int main(void) {
    for (size_t i = 0; i < sizeof EXACT / sizeof EXACT[0]; i++) {
        const exact_case *c = &EXACT[i];
        size_t len = c->len ? c->len : strlen(c->in);
        tkg_json_options o = {c->max_depth, c->max_token, c->max_keys, c->lines};
        trace t = run_whole(c->in, len, &o);
        CHECK(strcmp(t.s, c->want) == 0, "%s\n  got  %s\n  want %s", c->name, t.s, c->want);
        check_chunking(c->name, c->in, len, &o, &t);
        free(t.s);
    }
    for (size_t i = 0; i < sizeof ACCEPT / sizeof ACCEPT[0]; i++) {
        const plain_case *c = &ACCEPT[i];
        trace t = run_whole(c->in, strlen(c->in), NULL);
        CHECK(t.issues == 0, "%s must be accepted without issues: %s", c->name, t.s);
        check_chunking(c->name, c->in, strlen(c->in), NULL, &t);
        free(t.s);
    }
    for (size_t i = 0; i < sizeof REJECT / sizeof REJECT[0]; i++) {
        const reject_case *c = &REJECT[i];
        size_t len = is_nul_case(c->name) ? 5 : strlen(c->in);
        trace t = run_whole(c->in, len, NULL);
        CHECK(t.issues & (1u << c->want), "%s must report %s: %s", c->name, ISSUE[c->want], t.s);
        check_chunking(c->name, c->in, len, NULL, &t);
        free(t.s);
    }

    /* ---- hostile inputs, generated in chunks: no crash, bounded memory ---- */
    static char block[1 << 16];
    struct rusage ru;
    {
        /* 100 000 levels of nesting: one DEPTH issue, the value is skipped. */
        trace t = {0};
        t.quiet = true;
        tkg_json_callbacks cb = {on_event, on_issue, &t};
        tkg_json_tok *j = tkg_json_new(NULL, &cb);
        memset(block, '[', sizeof block);
        size_t levels = 100000;
        for (size_t done = 0; done < levels; done += sizeof block)
            tkg_json_feed(j, block, levels - done < sizeof block ? levels - done : sizeof block);
        memset(block, ']', sizeof block);
        for (size_t done = 0; done < levels; done += sizeof block)
            tkg_json_feed(j, block, levels - done < sizeof block ? levels - done : sizeof block);
        tkg_json_finish(j);
        tkg_json_free(j);
        CHECK(t.issues == 1u << TKG_JSON_I_DEPTH, "deep nesting: only the depth issue (0x%x)",
              t.issues);
        CHECK(t.events == 64 * 2 + 3, "deep nesting: 64 levels of events, one skipped value (%llu)",
              (unsigned long long)t.events);
    }
    {
        /* 100 000 levels never closed: the end of input is a syntax error. */
        trace t = {0};
        t.quiet = true;
        tkg_json_callbacks cb = {on_event, on_issue, &t};
        tkg_json_tok *j = tkg_json_new(NULL, &cb);
        memset(block, '{', sizeof block);
        tkg_json_feed(j, "{\"a\":", 5);
        for (int k = 0; k < 2; k++)
            tkg_json_feed(j, block, sizeof block);
        tkg_json_finish(j);
        tkg_json_free(j);
        CHECK(t.fatal & (1u << TKG_JSON_I_SYNTAX), "unclosed deep nesting is a syntax error");
    }
    {
        /* A 100 MB string: truncated at 1 MiB, reported once, memory bounded. */
        trace t = {0};
        t.quiet = true;
        tkg_json_callbacks cb = {on_event, on_issue, &t};
        tkg_json_tok *j = tkg_json_new(NULL, &cb);
        tkg_json_feed(j, "{\"shimei\":\"", 11);
        memset(block, 'a', sizeof block);
        for (size_t done = 0; done < (size_t)100 << 20; done += sizeof block)
            tkg_json_feed(j, block, sizeof block);
        tkg_json_feed(j, "\"}", 2);
        tkg_json_finish(j);
        tkg_json_free(j);
        CHECK(t.issues == 1u << TKG_JSON_I_TOO_LONG, "100 MB string: one TOO_LONG (0x%x)",
              t.issues);
        CHECK(t.max_len == 1u << 20, "100 MB string kept to 1 MiB (%zu)", t.max_len);
    }
    {
        /* 1e999999 followed by 10 MB of digits: kept as text, truncated, no crash. */
        trace t = {0};
        t.quiet = true;
        tkg_json_callbacks cb = {on_event, on_issue, &t};
        tkg_json_tok *j = tkg_json_new(NULL, &cb);
        tkg_json_feed(j, "[1e999999,1", 11);
        memset(block, '7', sizeof block);
        for (size_t done = 0; done < (size_t)10 << 20; done += sizeof block)
            tkg_json_feed(j, block, sizeof block);
        tkg_json_feed(j, "]", 1);
        tkg_json_finish(j);
        tkg_json_free(j);
        CHECK(t.issues == 1u << TKG_JSON_I_TOO_LONG, "10 MB number: one TOO_LONG (0x%x)", t.issues);
    }
    {
        /* 200 000 distinct keys in one object: tracking stops at the limit, once reported. */
        trace t = {0};
        t.quiet = true;
        tkg_json_callbacks cb = {on_event, on_issue, &t};
        tkg_json_tok *j = tkg_json_new(NULL, &cb);
        tkg_json_feed(j, "{", 1);
        char key[48];
        for (int k = 0; k < 200000; k++) {
            int n = snprintf(key, sizeof key, "%s\"k%d\":%d", k ? "," : "", k, k);
            tkg_json_feed(j, key, (size_t)n);
        }
        tkg_json_feed(j, ",\"k5\":0}", 8);
        tkg_json_finish(j);
        tkg_json_free(j);
        CHECK(t.issues == ((1u << TKG_JSON_I_KEYS_LIMIT) | (1u << TKG_JSON_I_DUPLICATE_KEY)),
              "many keys: KEYS limit, and k5 (tracked) still found duplicate (0x%x)", t.issues);
    }
    getrusage(RUSAGE_SELF, &ru);
    CHECK(ru.ru_maxrss < 48 * 1024, "peak memory %ld KiB after hostile inputs", ru.ru_maxrss);
    return unit_finish();
}
