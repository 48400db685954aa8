/* json_tok.h — a streaming JSON tokenizer (RFC 8259) for checking payloads,
 * fed in chunks of any size (1 byte included), like the CSV reader (csv.h).
 *
 * It reports every token as an event with its exact source text and place:
 * numbers stay text (never converted to double, so 1e999999 or 30 digits are
 * reported as written), strings come decoded (escapes resolved) and raw, and
 * every event carries the byte offset, the 1-based line and the 1-based
 * character column of its first character (characters are counted by their
 * UTF-8 lead bytes, so a byte that cannot start a character counts one). Problems are issues, not
 * failures: invalid UTF-8 (with offset), invalid escapes, lone surrogates, raw control characters,
 * trailing commas, leading zeros, NaN/Infinity, malformed numbers, duplicate keys, too deep
 * nesting, over-long tokens, trailing content, a BOM. Where the text can still
 * be read unambiguously the tokenizer reports and goes on; a real syntax error
 * abandons the current top-level value (JSON Lines: the current line).
 *
 * Problems inside one string are reported once per kind (the value is bad anyway).
 *
 * Memory is bounded by the limits, never by the input: one token buffer (at
 * most max_token_bytes, longer tokens are truncated and reported), the stack
 * of open containers (at most max_depth; deeper values are skipped as one
 * value and reported), and per open object the hashes of at most max_keys
 * keys for duplicate detection (keys compare by length and two independent
 * 64-bit hashes).
 *
 * Why not jansson (used for profiles): it gives positions only for syntax
 * errors, converts numbers to double or json_int_t, and either rejects or
 * silently merges duplicate keys; a checker needs all three.
 *
 * Ownership: tkg_json_new returns a tokenizer the caller frees with
 * tkg_json_free. Event and issue pointers (text, raw, detail) are valid only
 * during the callback. The callbacks' ctx is borrowed. */
#ifndef TKG_JSON_TOK_H
#define TKG_JSON_TOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    TKG_JSON_DOC_START = 1, /* a top-level value begins (JSON Lines: one per line) */
    TKG_JSON_DOC_END,       /* it ended; aborted = cut short by a syntax error */
    TKG_JSON_OBJECT_START,
    TKG_JSON_OBJECT_END,
    TKG_JSON_ARRAY_START,
    TKG_JSON_ARRAY_END,
    TKG_JSON_KEY,
    TKG_JSON_STRING,
    TKG_JSON_NUMBER,
    TKG_JSON_TRUE,
    TKG_JSON_FALSE,
    TKG_JSON_NULL,
    TKG_JSON_SKIPPED /* a container deeper than max_depth, skipped as one value */
} tkg_json_kind;

typedef struct {
    tkg_json_kind kind;
    /* KEY, STRING: decoded UTF-8, NUL-terminated (raw bytes kept where the
     * source is invalid UTF-8); NUMBER, TRUE, FALSE, NULL: the exact source
     * text; otherwise "". */
    const char *text;
    size_t len;
    /* KEY, STRING: the exact source between the quotes; otherwise = text. */
    const char *raw;
    size_t raw_len;
    uint64_t offset; /* byte offset of the token's first byte in the input */
    uint64_t line;   /* 1-based line of that byte */
    uint64_t column; /* 1-based character column of that byte */
    uint64_t record; /* 1-based index of the top-level value */
    size_t depth;    /* containers open around the token (0 = top level) */
    bool truncated;  /* longer than max_token_bytes: only the first bytes are kept */
    bool bad;        /* malformed (an issue was reported): do not check its value */
    bool duplicate;  /* KEY: the same key appeared before in this object */
    bool aborted;    /* DOC_END: the value was abandoned after a syntax error */
} tkg_json_event;

typedef enum {
    TKG_JSON_I_SYNTAX = 1,     /* unexpected character or end; fatal */
    TKG_JSON_I_UTF8,           /* invalid UTF-8 byte sequence (fatal outside strings) */
    TKG_JSON_I_ESCAPE,         /* invalid escape sequence in a string */
    TKG_JSON_I_SURROGATE,      /* \u escape of a lone surrogate (replaced by U+FFFD) */
    TKG_JSON_I_CONTROL,        /* unescaped control character (U+0000–U+001F) in a string */
    TKG_JSON_I_TRAILING_COMMA, /* a comma before ] or } */
    TKG_JSON_I_LEADING_ZERO,   /* a number with a leading zero, e.g. 01 */
    TKG_JSON_I_NAN_INF,        /* NaN, Infinity, -Infinity */
    TKG_JSON_I_NUMBER,         /* another malformed number, e.g. 1., .5 is syntax, 1e */
    TKG_JSON_I_DUPLICATE_KEY,  /* detail: the key */
    TKG_JSON_I_DEPTH,          /* nesting deeper than max_depth: the value is skipped */
    TKG_JSON_I_TOO_LONG,       /* string or number longer than max_token_bytes */
    TKG_JSON_I_TRAILING,       /* content after the top-level value (JSON Lines: on its line) */
    TKG_JSON_I_EMPTY,          /* no value at all */
    TKG_JSON_I_BOM,            /* a byte order mark at the start (skipped) */
    TKG_JSON_I_KEYS_LIMIT /* more than max_keys keys in one object: duplicates no longer tracked */
} tkg_json_issue_kind;

typedef struct {
    tkg_json_issue_kind kind;
    uint64_t offset, line, column, record;
    size_t depth;       /* containers open at the place of the issue */
    const char *detail; /* e.g. "0xFF", "'x'", "\\q", the key; or NULL */
    bool fatal;         /* the current top-level value (or line) was abandoned */
} tkg_json_issue;

typedef struct {
    void (*on_event)(void *ctx, const tkg_json_event *ev);
    void (*on_issue)(void *ctx, const tkg_json_issue *is);
    void *ctx;
} tkg_json_callbacks;

typedef struct {
    size_t max_depth;       /* default 64 */
    size_t max_token_bytes; /* default 1 MiB */
    size_t max_keys;        /* default 1024 keys per object tracked for duplicates */
    bool lines;             /* JSON Lines: one value per line, blank lines ignored */
} tkg_json_options;

typedef struct tkg_json_tok tkg_json_tok;

/* opts may be NULL (defaults); zero fields take their defaults. NULL when out of memory. */
tkg_json_tok *tkg_json_new(const tkg_json_options *opts, const tkg_json_callbacks *cb);
/* Feeds the next bytes. Returns 0, or -1 when out of memory. */
int tkg_json_feed(tkg_json_tok *t, const void *buf, size_t len);
/* Ends the input: reports an unfinished value or an empty input. */
int tkg_json_finish(tkg_json_tok *t);
void tkg_json_free(tkg_json_tok *t);

#endif
