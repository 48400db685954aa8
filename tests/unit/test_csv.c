/* test_csv.c — the streaming CSV reader (csv.c, decode.c): each case's input
 * is read whole, one byte at a time, split at every point into two, and in
 * random chunk sizes, and every reading must give the same callback trace,
 * which must equal the case's expected trace. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csv_scan.h"
#include "moji.h"
#include "unit.h"

/* ---- the trace: every callback as one line of text ---- */

typedef struct {
    char *s;
    size_t len, cap;
    int bad_terminator; /* a field whose data[len] was not NUL */
} trace;

static void put(trace *t, const char *fmt, ...) {
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

static const char *kind_name(tkg_csv_issue_kind k) {
    static const char *names[] = {"?",
                                  "BAD_ENCODING",
                                  "NUL_BYTE",
                                  "UNTERMINATED_QUOTE",
                                  "STRAY_QUOTE",
                                  "TEXT_AFTER_QUOTE",
                                  "FIELD_TOO_LONG",
                                  "TOO_MANY_FIELDS",
                                  "BOM_UNEXPECTED",
                                  "BOM_MISSING",
                                  "NEWLINE",
                                  "NO_FINAL_NEWLINE"};
    return k >= 1 && k <= TKG_CSV_NO_FINAL_NEWLINE ? names[k] : "?";
}

static void put_data(trace *t, const char *d, size_t n, bool bad) {
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)d[k];
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && bad)) {
            put(t, "\\x%02X", c);
        } else if (t->len + 2 > t->cap) {
            put(t, "%c", c);
        } else { /* the same without the cost of formatting */
            t->s[t->len++] = (char)c;
            t->s[t->len] = '\0';
        }
    }
}

/* Record: "R<index>@<line>" then per field " <line>:<offset><flags>'<data>'",
 * flags q(uoted) t(runcated) b(ad encoding). Control bytes, and every byte
 * >= 0x80 of a bad field, are written \xHH. */
static void on_record(void *ctx, const tkg_csv_record *rec) {
    trace *t = ctx;
    put(t, "R%llu@%llu", (unsigned long long)rec->index, (unsigned long long)rec->line);
    for (size_t i = 0; i < rec->nfields; i++) {
        const tkg_csv_field *f = &rec->fields[i];
        put(t, " %llu:%llu%s%s%s'", (unsigned long long)f->line, (unsigned long long)f->offset,
            f->quoted ? "q" : "", f->truncated ? "t" : "", f->bad_encoding ? "b" : "");
        put_data(t, f->data, f->len, f->bad_encoding);
        put(t, "'");
        if (f->data[f->len] != '\0') t->bad_terminator++;
    }
    put(t, "\n");
}

static void on_issue(void *ctx, const tkg_csv_issue *is) {
    trace *t = ctx;
    put(t, "!%s L%llu R%llu F%llu O%llu%s%s\n", kind_name(is->kind), (unsigned long long)is->line,
        (unsigned long long)is->record, (unsigned long long)is->field,
        (unsigned long long)is->offset, is->detail ? " " : "", is->detail ? is->detail : "");
}

/* ---- running a case ---- */

typedef struct {
    const char *name;
    tkg_encoding enc;
    tkg_bom_policy bom;
    char delim, quote;
    tkg_newline nl;
    size_t max_field_bytes, max_fields;
    const char *input; /* for UTF-16 cases: UTF-8 text converted by the test */
    size_t len;        /* 0: strlen(input) */
    const char *expect;
} csv_case;

#define IN(s) s, sizeof(s) - 1 /* inputs with NUL bytes */

static unsigned long long rng_state = 88172645463325252ULL;
static size_t rnd(size_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (size_t)(rng_state % n);
}

/* chunk(i) gives the size of the next chunk; 0 means "the rest". */
typedef enum { WHOLE, BYTES, SPLIT, RANDOM } chunking;

static char *run(const csv_case *c, const unsigned char *in, size_t n, chunking how, size_t split,
                 int *bad_term) {
    tkg_dialect d = {c->enc, c->bom, c->delim ? c->delim : ',', c->quote, c->nl, TKG_HDR_EITHER, 0};
    tkg_csv_limits lim = {c->max_field_bytes, c->max_fields, 0};
    trace t = {0};
    tkg_csv_callbacks cb = {on_record, on_issue, &t};
    tkg_csv_reader *r = tkg_csv_new(&d, &lim, &cb);
    if (!r) return NULL;
    put(&t, "%s", "");
    size_t pos = 0;
    while (pos < n) {
        size_t k = n - pos;
        if (how == BYTES)
            k = 1;
        else if (how == SPLIT && pos == 0)
            k = split;
        else if (how == RANDOM)
            k = 1 + rnd(k < 17 ? k : 17);
        if (k > n - pos) k = n - pos;
        if (tkg_csv_feed(r, in + pos, k) != 0) break;
        pos += k;
    }
    tkg_csv_finish(r);
    tkg_csv_free(r);
    *bad_term += t.bad_terminator;
    return t.s;
}

/* UTF-8 text to UTF-16 with an optional BOM (for building the UTF-16 inputs). */
static size_t to_utf16(const char *s, size_t n, bool be, bool bom, unsigned char *out) {
    size_t o = 0;
    uint32_t units[3];
    if (bom) {
        out[o++] = be ? 0xFE : 0xFF;
        out[o++] = be ? 0xFF : 0xFE;
    }
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = tkg_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        size_t nu = 0;
        if (k == 0) /* the tests' texts are valid UTF-8 */
            abort();
        if (cp >= 0x10000) {
            units[nu++] = 0xD800 + ((cp - 0x10000) >> 10);
            units[nu++] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
        } else {
            units[nu++] = cp;
        }
        for (size_t u = 0; u < nu; u++) {
            out[o++] = (unsigned char)(be ? units[u] >> 8 : units[u] & 0xFF);
            out[o++] = (unsigned char)(be ? units[u] & 0xFF : units[u] >> 8);
        }
        i += k;
    }
    return o;
}

static void run_case(const csv_case *c, const unsigned char *in, size_t n) {
    int bad_term = 0;
    char *whole = run(c, in, n, WHOLE, 0, &bad_term);
    CHECK(whole != NULL, "%s: reader not created", c->name);
    if (!whole) return;
    CHECK(strcmp(whole, c->expect) == 0, "%s:\n--- got\n%s--- expected\n%s", c->name, whole,
          c->expect);
    char *bytes = run(c, in, n, BYTES, 0, &bad_term);
    CHECK(strcmp(whole, bytes) == 0, "%s: 1-byte chunks differ:\n%s", c->name, bytes);
    free(bytes);
    int split_diffs = 0;
    /* every split point of a short input; about 300 of a long one */
    size_t stride = n > 300 ? n / 300 : 1;
    for (size_t s = 1; s < n; s += stride) {
        char *sp = run(c, in, n, SPLIT, s, &bad_term);
        if (strcmp(whole, sp) != 0 && split_diffs++ == 0)
            CHECK(0, "%s: split at %zu differs:\n%s", c->name, s, sp);
        free(sp);
    }
    CHECK(split_diffs == 0, "%s: %d split points differ", c->name, split_diffs);
    for (int k = 0; k < 20; k++) {
        char *rd = run(c, in, n, RANDOM, 0, &bad_term);
        CHECK(strcmp(whole, rd) == 0, "%s: random chunks differ:\n%s", c->name, rd);
        free(rd);
    }
    CHECK(bad_term == 0, "%s: %d fields not NUL-terminated", c->name, bad_term);
    free(whole);
}

/* ---- the cases ---- */

#define U8 TKG_ENC_UTF8
#define OPT TKG_BOM_OPTIONAL
#define DQ '"'

static const csv_case cases[] = {
    {"quoted comma", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "a,\"b,c\",d\n", 0,
     "R1@1 1:0'a' 1:2q'b,c' 1:8'd'\n"},
    {"doubled quotes", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "\"say \"\"hi\"\"\",x\n", 0,
     "R1@1 1:0q'say \"hi\"' 1:13'x'\n"},
    {"CR, LF, CRLF inside quotes", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "\"a\rb\",\"c\nd\",\"e\r\nf\"\nz\n", 0,
     "R1@1 1:0q'a\\x0Db' 1:6q'c\\x0Ad' 2:12q'e\\x0D\\x0Af'\nR2@4 4:19'z'\n"},
    {"CRLF and LF records", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "a\r\nb\nc\r\n", 0,
     "R1@1 1:0'a'\nR2@2 2:3'b'\nR3@3 3:5'c'\n"},
    {"LF under CRLF policy, reported once", U8, OPT, 0, DQ, TKG_NL_CRLF, 0, 0, "a\r\nb\nc\nd\r\n",
     0, "R1@1 1:0'a'\n!NEWLINE L2 R2 F0 O4 LF\nR2@2 2:3'b'\nR3@3 3:5'c'\nR4@4 4:7'd'\n"},
    {"CRLF under LF policy", U8, OPT, 0, DQ, TKG_NL_LF, 0, 0, "a\nb\r\n", 0,
     "R1@1 1:0'a'\n!NEWLINE L2 R2 F0 O3 CRLF\nR2@2 2:2'b'\n"},
    {"empty fields", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, ",,\na,,b\n", 0,
     "R1@1 1:0'' 1:1'' 1:2''\nR2@2 2:3'a' 2:5'' 2:6'b'\n"},
    {"trailing delimiter", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "a,b,\r\n", 0,
     "R1@1 1:0'a' 1:2'b' 1:4''\n"},
    {"no final newline", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "a,b", 0,
     "!NO_FINAL_NEWLINE L1 R1 F0 O3\nR1@1 1:0'a' 1:2'b'\n"},
    {"no final newline after a delimiter", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "x\na,", 0,
     "R1@1 1:0'x'\n!NO_FINAL_NEWLINE L2 R2 F0 O4\nR2@2 2:2'a' 2:4''\n"},
    {"no final newline after a closing quote", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "\"a\"", 0,
     "!NO_FINAL_NEWLINE L1 R1 F0 O3\nR1@1 1:0q'a'\n"},
    {"empty input", U8, TKG_BOM_REQUIRED, 0, DQ, TKG_NL_ANY, 0, 0, "", 0, ""},
    {"only empty lines", U8, OPT, 0, DQ, TKG_NL_CRLF, 0, 0, "\n\r\n\n", 0, ""},
    {"empty lines inside kept, at the end skipped", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "a\n\nb\n\n\r\n", 0, "R1@1 1:0'a'\nR2@2 2:2''\nR3@3 3:3'b'\n"},
    {"leading empty lines, mixed newlines", U8, OPT, 0, DQ, TKG_NL_CRLF, 0, 0, "\r\n\n\r\nx\r\n", 0,
     "R1@1 1:0''\n!NEWLINE L2 R2 F0 O2 LF\nR2@2 2:2''\nR3@3 3:3''\nR4@4 4:5'x'\n"},
    {"quoted empty line is a record", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "a\n\"\"\n", 0,
     "R1@1 1:0'a'\nR2@2 2:2q''\n"},
    {"UTF-8 BOM forbidden", U8, TKG_BOM_FORBIDDEN, 0, DQ, TKG_NL_ANY, 0, 0,
     "\xEF\xBB\xBF"
     "a\n",
     0, "!BOM_UNEXPECTED L1 R0 F0 O0 0xEF 0xBB 0xBF\nR1@1 1:3'a'\n"},
    {"UTF-8 BOM required, missing", U8, TKG_BOM_REQUIRED, 0, DQ, TKG_NL_ANY, 0, 0, "a\n", 0,
     "!BOM_MISSING L1 R0 F0 O0\nR1@1 1:0'a'\n"},
    {"UTF-8 BOM required, present", U8, TKG_BOM_REQUIRED, 0, DQ, TKG_NL_ANY, 0, 0,
     "\xEF\xBB\xBF"
     "a,b\n",
     0, "R1@1 1:3'a' 1:5'b'\n"},
    {"UTF-8 BOM optional", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "\xEF\xBB\xBF"
     "a\n",
     0, "R1@1 1:3'a'\n"},
    {"UTF-8 BOM optional, absent", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "\xEF\xBB"
     "a\n",
     0, "!BAD_ENCODING L1 R1 F1 O0 0xEF 0xBB\nR1@1 1:0b'\\xEF\\xBBa'\n"},
    {"short input, BOM required", U8, TKG_BOM_REQUIRED, 0, DQ, TKG_NL_ANY, 0, 0, "a", 0,
     "!BOM_MISSING L1 R0 F0 O0\n!NO_FINAL_NEWLINE L1 R1 F0 O1\nR1@1 1:0'a'\n"},
    {"BOM only", U8, TKG_BOM_FORBIDDEN, 0, DQ, TKG_NL_ANY, 0, 0, "\xEF\xBB\xBF", 0,
     "!BOM_UNEXPECTED L1 R0 F0 O0 0xEF 0xBB 0xBF\n"},
    {"Japanese UTF-8", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "佐藤,\"髙橋\",x\n", 0,
     "R1@1 1:0'佐藤' 1:7q'髙橋' 1:16'x'\n"},
    {"invalid UTF-8 at known offsets", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "ab,c\xFF\xFE"
     "d,\xE3\x81,e\n",
     0,
     "!BAD_ENCODING L1 R1 F2 O4 0xFF\n!BAD_ENCODING L1 R1 F3 O8 0xE3 0x81\n"
     "R1@1 1:0'ab' 1:3b'c\\xFF\\xFEd' 1:8b'\\xE3\\x81' 1:11'e'\n"},
    {"UTF-8 sequence broken by a quote", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "x\n\"\xE3\x81\"\"\x82\"\n", 0,
     "R1@1 1:0'x'\n!BAD_ENCODING L2 R2 F1 O3 0xE3 0x81\nR2@2 2:2qb'\\xE3\\x81\"\\x82'\n"},
    {"overlong and surrogate UTF-8", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "\xC0\xAF,\xED\xA0\x80,\xF4\x90\x80\x80\n", 0,
     "!BAD_ENCODING L1 R1 F1 O0 0xC0\n!BAD_ENCODING L1 R1 F2 O3 0xED\n"
     "!BAD_ENCODING L1 R1 F3 O7 0xF4\n"
     "R1@1 1:0b'\\xC0\\xAF' 1:3b'\\xED\\xA0\\x80' 1:7b'\\xF4\\x90\\x80\\x80'\n"},
    {"UTF-8 cut short by the end", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "a,\xE3\x81", 0,
     "!BAD_ENCODING L1 R1 F2 O2 0xE3 0x81\n!NO_FINAL_NEWLINE L1 R1 F0 O4\n"
     "R1@1 1:0'a' 1:2b'\\xE3\\x81'\n"},
    {"4-byte UTF-8", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "\xF0\xA0\xAE\xB7,x\n", 0,
     "R1@1 1:0'𠮷' 1:5'x'\n"},
    {"NUL bytes", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, IN("a\0b\0,\"\0\"\n"),
     "!NUL_BYTE L1 R1 F1 O1\n!NUL_BYTE L1 R1 F2 O6\nR1@1 1:0'a\\x00b\\x00' 1:5q'\\x00'\n"},
    {"unterminated quote", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "h\na,\"bc\nd", 0,
     "R1@1 1:0'h'\n!UNTERMINATED_QUOTE L2 R2 F2 O4\nR2@2 2:2'a' 2:4q'bc\\x0Ad'\n"},
    {"stray quote", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "ab\"c\"d,e\n", 0,
     "!STRAY_QUOTE L1 R1 F1 O2\nR1@1 1:0'ab\"c\"d' 1:7'e'\n"},
    {"text after quote", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "\"ab\"c\"d,e\n", 0,
     "!TEXT_AFTER_QUOTE L1 R1 F1 O4\nR1@1 1:0q'abc\"d' 1:8'e'\n"},
    {"CR after a closing quote", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "\"a\"\rb\r\n", 0,
     "!TEXT_AFTER_QUOTE L1 R1 F1 O3\nR1@1 1:0q'a\\x0Db'\n"},
    {"bare CR is data", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "a\rb,c\r\n\rx\n,\r", 0,
     "R1@1 1:0'a\\x0Db' 1:4'c'\nR2@2 2:7'\\x0Dx'\n!NO_FINAL_NEWLINE L3 R3 F0 O12\n"
     "R3@3 3:10'' 3:11'\\x0D'\n"},
    {"field over the limit", U8, OPT, 0, DQ, TKG_NL_ANY, 4, 0, "abcdef,gh\n\"a\"\"bcd\"\"e\"\n", 0,
     "!FIELD_TOO_LONG L1 R1 F1 O0\nR1@1 1:0t'abcd' 1:7'gh'\n"
     "!FIELD_TOO_LONG L2 R2 F1 O10\nR2@2 2:10qt'a\"bc'\n"},
    {"field over the limit cut at a character", U8, OPT, 0, DQ, TKG_NL_ANY, 4, 0, "あい,x\n", 0,
     "!FIELD_TOO_LONG L1 R1 F1 O0\nR1@1 1:0t'あ' 1:7'x'\n"},
    {"too many fields", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 2, "a,b,c,\"d\ne\"\nf\n", 0,
     "!TOO_MANY_FIELDS L1 R1 F3 O4\nR1@1 1:0'a' 1:2'b'\nR2@3 3:12'f'\n"},
    {"unterminated quote in a dropped field", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 1, "a,\"b", 0,
     "!TOO_MANY_FIELDS L1 R1 F2 O2\n!UNTERMINATED_QUOTE L1 R1 F2 O2\nR1@1 1:0'a'\n"},
    {"field over the limit past a 64-byte block", U8, OPT, 0, DQ, TKG_NL_ANY, 8, 0,
     "aaaaaaa,bbbbbbb,ccccccc,ddddddd,eeeeeee,fffffff,ggggggg,hhhhhhh,iiiiiiiiiiii,jjj\n", 0,
     "!FIELD_TOO_LONG L1 R1 F9 O64\nR1@1 1:0'aaaaaaa' 1:8'bbbbbbb' 1:16'ccccccc' 1:24'ddddddd' "
     "1:32'eeeeeee' 1:40'fffffff' 1:48'ggggggg' 1:56'hhhhhhh' 1:64t'iiiiiiii' 1:77'jjj'\n"},
    {"short records under a small field limit", U8, OPT, 0, DQ, TKG_NL_ANY, 2, 0,
     "a,b\r\nc\r\nd,e\r\nf,\"g\"\r\nh\r\n,i\r\nj,k\r\n", 0,
     "R1@1 1:0'a' 1:2'b'\nR2@2 2:5'c'\nR3@3 3:8'd' 3:10'e'\nR4@4 4:13'f' 4:15q'g'\nR5@5 5:20'h'\n"
     "R6@6 6:23'' 6:24'i'\nR7@7 7:27'j' 7:29'k'\n"},
    {"too many fields in a long record", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 3,
     "aaaaaaaaaa,bbbbbbbbbb,cccccccccc,dddddddddd,eeeeeeeeee,ffffffffff,gggggggggg\nxy,z\n", 0,
     "!TOO_MANY_FIELDS L1 R1 F4 O33\nR1@1 1:0'aaaaaaaaaa' 1:11'bbbbbbbbbb' 1:22'cccccccccc'\n"
     "R2@2 2:77'xy' 2:80'z'\n"},
    {"quoted fields across a 64-byte block, empty lines", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "\"0123456789012345678901234567890123456789012345678901234567\",\"ab\",\"c\"\"d\","
     "\"e\r\nf\"\r\n"
     "\r\n\"\",\"\"\n\n",
     0,
     "R1@1 1:0q'0123456789012345678901234567890123456789012345678901234567' 1:61q'ab' "
     "1:66q'c\"d' 1:73q'e\\x0D\\x0Af'\nR2@3 3:81''\nR3@4 4:83q'' 4:86q''\n"},
    {"tab delimiter", U8, OPT, '\t', DQ, TKG_NL_ANY, 0, 0, "a,b\t\"c\td\"\t\n", 0,
     "R1@1 1:0'a,b' 1:4q'c\\x09d' 1:10''\n"},
    {"no quoting", U8, OPT, 0, 0, TKG_NL_ANY, 0, 0, "\"a\",\"b\nc\"\"\n", 0,
     "R1@1 1:0'\"a\"' 1:4'\"b'\nR2@2 2:7'c\"\"'\n"},
    {"CP932 backslash, tilde and kanji", TKG_ENC_CP932, OPT, 0, DQ, TKG_NL_CRLF, 0, 0,
     "\x5C,\x7E,\x8D\xB2\x93\xA1,\"\x95\x5C\"\r\n", 0, "R1@1 1:0'\\' 1:2'~' 1:4'佐藤' 1:9q'表'\n"},
    {"CP932 half-width katakana offsets", TKG_ENC_CP932, OPT, 0, DQ, TKG_NL_ANY, 0, 0,
     "\xB1\xB2,\x8D\xB2,\xB3\n", 0, "R1@1 1:0'ｱｲ' 1:3'佐' 1:6'ｳ'\n"},
    {"CP932 undecodable bytes", TKG_ENC_CP932, OPT, 0, DQ, TKG_NL_ANY, 0, 0, "ab,\x85\x40x,\x81,\n",
     0,
     "!BAD_ENCODING L1 R1 F2 O3 0x85 0x40\n!BAD_ENCODING L1 R1 F3 O7 0x81\n"
     "R1@1 1:0'ab' 1:3b'\\xFFx' 1:7b'\\xFF' 1:9''\n"},
    {"CP932 lead byte cut by the end", TKG_ENC_CP932, TKG_BOM_REQUIRED, 0, DQ, TKG_NL_ANY, 0, 0,
     "a\n\x8D", 0,
     "!BOM_MISSING L1 R0 F0 O0\nR1@1 1:0'a'\n!BAD_ENCODING L2 R2 F1 O2 0x8D\n"
     "!NO_FINAL_NEWLINE L2 R2 F0 O3\nR2@2 2:2b'\\xFF'\n"},
};

/* UTF-16 cases: the input is UTF-8 text converted by to_utf16 (BOM added when
 * the name says so). */
typedef struct {
    const char *name;
    bool be, bom;
    tkg_bom_policy policy;
    const char *text;
    const char *expect;
} utf16_case;

static const utf16_case cases16[] = {
    {"UTF-16LE with BOM", false, true, OPT, "ID,氏名\r\n1,\"佐藤\"\r\n𠮷,x\n",
     "R1@1 1:2'ID' 1:8'氏名'\nR2@2 2:16'1' 2:20q'佐藤'\nR3@3 3:32'𠮷' 3:38'x'\n"},
    {"UTF-16BE with BOM", true, true, OPT, "ID,氏名\r\n1,\"佐藤\"\r\n𠮷,x\n",
     "R1@1 1:2'ID' 1:8'氏名'\nR2@2 2:16'1' 2:20q'佐藤'\nR3@3 3:32'𠮷' 3:38'x'\n"},
    {"UTF-16LE BOM forbidden", false, true, TKG_BOM_FORBIDDEN, "a\n",
     "!BOM_UNEXPECTED L1 R0 F0 O0 0xFF 0xFE\nR1@1 1:2'a'\n"},
    {"UTF-16BE BOM required, missing", true, false, TKG_BOM_REQUIRED, "a,\"b\"\"\"\n",
     "!BOM_MISSING L1 R0 F0 O0\nR1@1 1:0'a' 1:4q'b\"'\n"},
    {"UTF-16LE without BOM, control character", false, false, OPT, "\xE3\x81\x82,b\x01",
     "!NO_FINAL_NEWLINE L1 R1 F0 O8\nR1@1 1:0'あ' 1:4'b\\x01'\n"},
};

static void utf16_bad_cases(void) {
    /* a lone high surrogate inside a field, then a lone low one */
    const unsigned char le[] = {'a', 0, ',', 0, 0x00, 0xD8, 'b', 0, 0x00, 0xDC, '\n', 0};
    csv_case c = {"UTF-16LE unpaired surrogates",
                  TKG_ENC_UTF16LE,
                  OPT,
                  0,
                  DQ,
                  TKG_NL_ANY,
                  0,
                  0,
                  NULL,
                  0,
                  "!BAD_ENCODING L1 R1 F2 O4 0x00 0xD8\nR1@1 1:0'a' 1:4b'\\xFFb\\xFF'\n"};
    run_case(&c, le, sizeof le);
    /* an odd trailing byte, and a NUL character (two zero bytes) */
    const unsigned char be[] = {0, 'a', 0, 0, 0, '\n', 'A'};
    csv_case d = {"UTF-16BE odd byte at the end",
                  TKG_ENC_UTF16BE,
                  OPT,
                  0,
                  DQ,
                  TKG_NL_ANY,
                  0,
                  0,
                  NULL,
                  0,
                  "!NUL_BYTE L1 R1 F1 O2\nR1@1 1:0'a\\x00'\n!BAD_ENCODING L2 R2 F1 O6 0x41\n"
                  "!NO_FINAL_NEWLINE L2 R2 F0 O7\nR2@2 2:6b'\\xFF'\n"};
    run_case(&d, be, sizeof be);
    /* a high surrogate cut by the end of input: one code unit, then one byte */
    const unsigned char cut[] = {'x', 0, ',', 0, 0x3D, 0xD8, 0x00};
    csv_case e = {"UTF-16LE surrogate cut by the end",
                  TKG_ENC_UTF16LE,
                  OPT,
                  0,
                  DQ,
                  TKG_NL_ANY,
                  0,
                  0,
                  NULL,
                  0,
                  "!BAD_ENCODING L1 R1 F2 O4 0x3D 0xD8\n!NO_FINAL_NEWLINE L1 R1 F0 O7\n"
                  "R1@1 1:0'x' 1:4b'\\xFF\\xFF'\n"};
    run_case(&e, cut, sizeof cut);
}

/* Inputs past the decoder's internal slice (16 KiB) and error list (256). */
static void decoder_slice_checks(void) {
    static unsigned char in[40000];
    /* 600 undecodable CP932 bytes: one finding for the field, offsets still exact */
    memset(in, 0x80, 600);
    memcpy(in + 600, ",x\n", 3);
    csv_case c = {"CP932 many undecodable bytes",
                  TKG_ENC_CP932,
                  OPT,
                  0,
                  DQ,
                  TKG_NL_ANY,
                  0,
                  0,
                  NULL,
                  0,
                  "!BAD_ENCODING L1 R1 F1 O0 0x80\nR1@1 1:0b'"};
    /* expected: the field holds 600 sentinels */
    static char expect[8192];
    size_t e = (size_t)snprintf(expect, sizeof expect, "%s", c.expect);
    for (int k = 0; k < 600; k++)
        e += (size_t)snprintf(expect + e, sizeof expect - e, "\\xFF");
    snprintf(expect + e, sizeof expect - e, "' 1:601'x'\n");
    c.expect = expect;
    run_case(&c, in, 603);

    /* UTF-16LE: 6000 surrogate pairs (24000 bytes) then a field, so pairs
     * straddle the decoder's slices */
    size_t n = 0;
    for (int k = 0; k < 6000; k++) {
        const unsigned char pair[] = {0x42, 0xD8, 0xB7, 0xDF}; /* U+20BB7 */
        memcpy(in + n, pair, 4);
        n += 4;
    }
    const unsigned char tail[] = {',', 0, 'y', 0, '\n', 0};
    memcpy(in + n, tail, sizeof tail);
    n += sizeof tail;
    csv_case u = {"UTF-16LE across decoder slices",
                  TKG_ENC_UTF16LE,
                  OPT,
                  0,
                  DQ,
                  TKG_NL_ANY,
                  0,
                  0,
                  NULL,
                  0,
                  NULL};
    static char expect16[30000];
    e = (size_t)snprintf(expect16, sizeof expect16, "R1@1 1:0'");
    for (int k = 0; k < 6000; k++)
        e += (size_t)snprintf(expect16 + e, sizeof expect16 - e, "\xF0\xA0\xAE\xB7");
    snprintf(expect16 + e, sizeof expect16 - e, "' 1:24002'y'\n");
    u.expect = expect16;
    run_case(&u, in, n);
}

/* A field longer than the record buffer right after a record the fast path
 * ended (its LF the last candidate of a 64-byte block; the first 3 bytes are
 * read apart, as a possible BOM). */
static void long_after_short_check(void) {
    static char in[5100], expect[5200];
    size_t n = (size_t)sprintf(in, "h\r\na,b\n");
    memset(in + n, 'x', 5000);
    n += 5000;
    n += (size_t)sprintf(in + n, ",y\r\nz\n");
    size_t e = (size_t)sprintf(expect, "R1@1 1:0'h'\nR2@2 2:3'a' 2:5'b'\nR3@3 3:7'");
    memset(expect + e, 'x', 5000);
    sprintf(expect + e + 5000, "' 3:5008'y'\nR4@4 4:5011'z'\n");
    csv_case c = {
        "long field after a short record", U8, OPT, 0, DQ, TKG_NL_ANY, 0, 0, NULL, 0, expect};
    run_case(&c, (const unsigned char *)in, n);
}

/* ---- generated inputs against a reference reader ---- */

/* The trace of a well-formed input (valid UTF-8, no NUL, quotes only around
 * whole fields, a newline at the end), read the plain way: the reader's fast
 * paths must give the same. */
static char *reference(const char *in, size_t n, char delim, char quote) {
    trace t = {0}, data = {0};
    size_t i = 0, line = 1, recno = 1, nblank = 0;
    size_t blank[64][2]; /* held empty lines: line, offset */
    put(&t, "%s", "");
    while (i < n) {
        if (in[i] == '\n' || (in[i] == '\r' && in[i + 1] == '\n')) {
            if (nblank == 64) abort(); /* the generator makes fewer */
            blank[nblank][0] = line++;
            blank[nblank++][1] = i;
            i += in[i] == '\r' ? 2 : 1;
            continue;
        }
        for (size_t k = 0; k < nblank; k++)
            put(&t, "R%zu@%zu %zu:%zu''\n", recno++, blank[k][0], blank[k][0], blank[k][1]);
        nblank = 0;
        put(&t, "R%zu@%zu", recno++, line);
        for (;;) {
            size_t fline = line, off = i;
            bool q = quote && in[i] == quote;
            data.len = 0;
            put(&data, "%s", "");
            if (q) {
                for (i++;; i++) {
                    if (in[i] == quote && in[i + 1] != quote) break;
                    if (in[i] == quote) i++;
                    line += in[i] == '\n';
                    put(&data, "%c", in[i]);
                }
                i++;
            } else {
                for (; in[i] != delim && in[i] != '\n' && !(in[i] == '\r' && in[i + 1] == '\n');
                     i++)
                    put(&data, "%c", in[i]);
            }
            put(&t, " %zu:%zu%s'", fline, off, q ? "q" : "");
            put_data(&t, data.s, data.len, false);
            put(&t, "'");
            if (in[i] == delim) {
                i++;
                continue;
            }
            i += in[i] == '\r' ? 2 : 1;
            line++;
            break;
        }
        put(&t, "\n");
    }
    free(data.s);
    return t.s;
}

/* Records of fields of every length around the 64-byte blocks and 16- and
 * 32-byte copies, quoted or not, in Japanese too, with control bytes, empty
 * lines (trailing ones as well) and both newlines. */
static size_t generate(char *o, size_t cap, char delim, char quote) {
    static const char *const words[] = {"", "x", "ab", "佐藤", "𠮷", "0123456789abcde", "\t", " "};
    size_t n = 0;
    while (n + 600 < cap) {
        size_t nf = 1 + rnd(rnd(4) ? 12 : 80);
        if (rnd(10) == 0) { /* an empty line */
            n += (size_t)sprintf(o + n, rnd(2) ? "\r\n" : "\n");
            continue;
        }
        for (size_t f = 0; f < nf && n + 400 < cap; f++) {
            bool q = quote && rnd(3) == 0;
            if (f) o[n++] = delim;
            if (q) o[n++] = quote;
            for (size_t k = rnd(4) ? rnd(4) : rnd(40); k > 0; k--) {
                const char *w = words[rnd(sizeof words / sizeof *words)];
                if (q && rnd(12) == 0) {
                    static const char special[] = {',', '\t', '\r', '\n'};
                    o[n++] = rnd(3) ? quote : special[rnd(4)];
                    if (o[n - 1] == quote) o[n++] = quote;
                } else {
                    n += (size_t)sprintf(o + n, "%s", w);
                }
            }
            if (q) o[n++] = quote;
        }
        n += (size_t)sprintf(o + n, rnd(3) ? "\r\n" : "\n");
    }
    return n;
}

static void generated_checks(void) {
    static char in[80000];
    static const struct { char delim, quote; } dialects[] = {{',', '"'}, {'\t', '"'}, {',', 0}};
    for (int k = 0; k < 16; k++) { /* the first one is over a 64 KiB slice */
        char delim = dialects[k % 3].delim, quote = dialects[k % 3].quote;
        size_t n = generate(in, k == 0 ? sizeof in : 700 + rnd(4000), delim, quote);
        char *expect = reference(in, n, delim, quote);
        char name[64];
        snprintf(name, sizeof name, "generated input %d (%zu bytes)", k, n);
        csv_case c = {name, U8, OPT, delim, quote, TKG_NL_ANY, 0, 0, NULL, 0, expect};
        run_case(&c, (const unsigned char *)in, n);
        free(expect);
    }
}

/* ---- the byte kernels of csv_scan.h ---- */

static uint64_t reference_mask(const unsigned char *s, unsigned char delim, unsigned char quote) {
    uint64_t m = 0;
    for (int k = 0; k < 64; k++)
        if (s[k] == delim || s[k] == quote || s[k] <= 0x0D) m |= (uint64_t)1 << k;
    return m;
}

static void kernel_checks(void) {
    static const unsigned char pool[] = {0,   1,    9,    10,   13,   14,   ',',  '"',  '\t',
                                         'a', 0x7F, 0x80, 0x8D, 0xAC, 0xBF, 0xC0, 0xE3, 0xFF};
    unsigned char b[200];
    int mask_diffs = 0, next_diffs = 0;
    for (int it = 0; it < 4000; it++) {
        for (size_t k = 0; k < sizeof b; k++)
            b[k] = rnd(4) ? pool[rnd(sizeof pool)] : (unsigned char)rnd(256);
        unsigned char delim = rnd(2) ? ',' : '\t', quote = rnd(3) ? '"' : 0;
        tkg_csv_scanner s;
        size_t n = rnd(sizeof b + 1);
        tkg_csv_scanner_init(&s, b, n, delim, quote);
        uint64_t want = reference_mask(b, delim, quote ? quote : delim);
        if (tkg_csv_mask64(&s, b) != want ||
            tkg_csv_mask64_swar(b, delim, quote ? quote : delim) != want)
            mask_diffs++;
        /* every candidate in order, from points that skip some */
        for (size_t i = 0, j; i <= n; i = j + 1 + rnd(3)) {
            size_t ref = i;
            while (ref < n && b[ref] != delim && b[ref] != (quote ? quote : delim) && b[ref] > 0x0D)
                ref++;
            j = tkg_csv_next(&s, i);
            if (j != ref) {
                next_diffs++;
                break;
            }
        }
    }
    CHECK(mask_diffs == 0, "%d candidate masks differ from the byte-by-byte ones", mask_diffs);
    CHECK(next_diffs == 0, "%d searches differ from the byte-by-byte ones", next_diffs);

    /* tkg_csv_utf8_valid: a valid prefix ending at a sequence boundary, on text
     * mixing every kind of sequence, edge leads and damage */
    static const char *const seqs[] = {"a",
                                       "\xC2\x80",
                                       "\xDF\xBF",
                                       "\xE3\x81\x82",
                                       "\xE9\xAB\x99",
                                       "\xEF\xBD\xA1",
                                       "\xE0\xA0\x80",
                                       "\xED\x9F\xBF",
                                       "\xF0\x90\x80\x80",
                                       "\xF4\x8F\xBF\xBF",
                                       "\xE0\x9F\xBF",
                                       "\xED\xA0\x80",
                                       "\xF4\x90\x80\x80",
                                       "\xC0\xAF",
                                       "\xC1\xBF",
                                       "\xF5\x80\x80\x80",
                                       "\x80",
                                       "\xE3\x81",
                                       "\xFF"};
    unsigned char u[600];
    int unsound = 0, short_prefix = 0;
    for (int it = 0; it < 3000; it++) {
        size_t n = 0;
        int kinds = rnd(4) ? 6 : (int)(sizeof seqs / sizeof *seqs); /* mostly clean */
        while (n < sizeof u - 4) {
            const char *q = seqs[rnd((unsigned)kinds)];
            memcpy(u + n, q, strlen(q));
            n += strlen(q);
        }
        if (rnd(3) == 0) u[rnd(n)] = (unsigned char)rnd(256);
        size_t from = rnd(8), len = n - from - rnd(8);
        size_t v = tkg_csv_utf8_valid(u + from, len);
        if (v > len || tkg_utf8_validate(u + from, v) != v) unsound++;
        if (kinds == 6 && tkg_utf8_validate(u + from, len) == len && from == 0 && v + 64 + 3 < len)
            short_prefix += TKG_CSV_UTF8_WINDOW == 64;
    }
    CHECK(unsound == 0, "%d UTF-8 prefixes not valid or not ending at a boundary", unsound);
    CHECK(short_prefix == 0, "%d clean texts stopped early", short_prefix);
}

static void dialect_checks(void) {
    tkg_csv_callbacks cb = {0};
    tkg_dialect same = {TKG_ENC_UTF8, OPT, '"', '"', TKG_NL_ANY, TKG_HDR_EITHER, 0};
    CHECK(tkg_csv_new(&same, NULL, &cb) == NULL, "delimiter equal to quote accepted");
    tkg_dialect lf = {TKG_ENC_UTF8, OPT, '\n', '"', TKG_NL_ANY, TKG_HDR_EITHER, 0};
    CHECK(tkg_csv_new(&lf, NULL, &cb) == NULL, "LF delimiter accepted");
    tkg_dialect ok = {TKG_ENC_CP932, OPT, ',', '"', TKG_NL_ANY, TKG_HDR_EITHER, 0};
    tkg_csv_reader *r = tkg_csv_new(&ok, NULL, NULL);
    CHECK(r != NULL, "CP932 reader not created");
    if (r) {
        CHECK(tkg_csv_feed(r, "a,b\n", 4) == 0, "feed without callbacks failed");
        CHECK(tkg_csv_finish(r) == 0, "finish without callbacks failed");
        tkg_csv_free(r);
    }
}

/* A long field and a long unterminated quote keep only max_field_bytes. */
static void long_field_check(void) {
    size_t n = 3u << 20;
    unsigned char *in = malloc(n);
    if (!in) return;
    memset(in, 'x', n);
    in[0] = '"';
    tkg_dialect d = {TKG_ENC_UTF8, OPT, ',', '"', TKG_NL_ANY, TKG_HDR_EITHER, 0};
    trace t = {0};
    tkg_csv_callbacks cb = {on_record, on_issue, &t};
    tkg_csv_reader *r = tkg_csv_new(&d, NULL, &cb);
    for (size_t pos = 0; pos < n; pos += 4093)
        tkg_csv_feed(r, in + pos, n - pos < 4093 ? n - pos : 4093);
    tkg_csv_finish(r);
    tkg_csv_free(r);
    CHECK(t.s && strncmp(t.s, "!FIELD_TOO_LONG L1 R1 F1 O0\n!UNTERMINATED_QUOTE L1 R1 F1 O0\n",
                         60) == 0,
          "long quote: %.80s", t.s ? t.s : "(none)");
    /* "R1@1 1:0qt'" + 1 MiB of x + "'\n" */
    CHECK(t.s && strlen(t.s) == 60 + 11 + ((size_t)1 << 20) + 2, "long quote trace length %zu",
          t.s ? strlen(t.s) : 0);
    free(t.s);
    free(in);
}

int main(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const csv_case *c = &cases[i];
        size_t n = c->len ? c->len : strlen(c->input);
        run_case(c, (const unsigned char *)c->input, n);
    }
    for (size_t i = 0; i < sizeof cases16 / sizeof cases16[0]; i++) {
        const utf16_case *u = &cases16[i];
        unsigned char buf[512];
        size_t n = to_utf16(u->text, strlen(u->text), u->be, u->bom, buf);
        csv_case c = {u->name,   u->be ? TKG_ENC_UTF16BE : TKG_ENC_UTF16LE,
                      u->policy, 0,
                      DQ,        TKG_NL_ANY,
                      0,         0,
                      NULL,      0,
                      u->expect};
        run_case(&c, buf, n);
    }
    utf16_bad_cases();
    decoder_slice_checks();
    dialect_checks();
    long_field_check();
    long_after_short_check();
    generated_checks();
    kernel_checks();
    return unit_finish();
}
