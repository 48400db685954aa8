/* json_tok.c — the streaming JSON tokenizer (json_tok.h): one byte at a time
 * through a state machine whose whole state lives in the struct, so any chunk
 * split gives the same events. Lexemes (strings, bare words, skipped deep
 * values) are one state each; the grammar is a mode (what may come next) plus
 * the stack of open containers. */
#include "json_tok.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_DEPTH 64
#define DEFAULT_MAX_TOKEN (1u << 20)
#define DEFAULT_MAX_KEYS 1024

typedef struct {
    uint64_t h1, h2, len;
} key_hash;

typedef struct {
    bool is_object;
    key_hash *keys;
    size_t nkeys, cap;
    bool keys_overflow;
} frame;

typedef enum {
    M_VALUE,              /* a value (top level, or after ':') */
    M_ARRAY_FIRST,        /* a value or ] */
    M_ARRAY_AFTER_COMMA,  /* a value (] is a trailing comma) */
    M_ARRAY_NEXT,         /* , or ] */
    M_OBJECT_FIRST,       /* a key or } */
    M_OBJECT_AFTER_COMMA, /* a key (} is a trailing comma) */
    M_COLON,              /* : */
    M_OBJECT_NEXT,        /* , or } */
    M_DONE,               /* after the top-level value: whitespace only */
    M_SKIP_LINE,          /* JSON Lines after an error: up to the next newline */
    M_DEAD                /* JSON after an error or trailing content: ignore the rest */
} mode;

typedef enum { L_NONE, L_STRING, L_ESCAPE, L_UHEX, L_WORD, L_DEEP } lexeme;

typedef struct {
    char *data;
    size_t len, cap;
} tbuf;

struct tkg_json_tok {
    tkg_json_options o;
    tkg_json_callbacks cb;
    /* position of the next byte, and of the byte being dispatched */
    uint64_t off, next_line, next_col;
    uint64_t cur_off, cur_line, cur_col;
    unsigned pos_need; /* continuation bytes of the current character (for columns) */
    /* grammar */
    mode mode;
    frame *stack;
    size_t depth;
    bool doc_open;
    uint64_t record;
    uint64_t comma_off, comma_line, comma_col;
    unsigned bom_state; /* 1, 2: EF, EF BB seen at the start */
    /* the current lexeme */
    lexeme lex;
    bool is_key;
    tbuf text, raw;
    bool truncated, bad, too_long_reported;
    unsigned tok_issued; /* string problems already reported for this token (one per kind) */
    uint64_t tok_off, tok_line, tok_col;
    uint64_t kh1, kh2, klen; /* key hashes over the whole decoded key */
    /* UTF-8 inside strings */
    unsigned u_need;
    unsigned char u_lo, u_hi;
    unsigned char u_seq[4];
    unsigned u_have;
    uint64_t u_off, u_line, u_col;
    /* escapes */
    unsigned hex_count;
    uint32_t hex_acc;
    uint32_t pending_high; /* a high surrogate waiting for its low half */
    uint64_t esc_off, esc_line, esc_col, high_off, high_line, high_col;
    /* skipping a too-deep value */
    uint64_t deep_count;
    bool deep_in_string, deep_escape;
    bool oom;
};

/* ---- small helpers --------------------------------------------------------- */

static bool tb_reserve(tkg_json_tok *t, tbuf *b, size_t need) {
    if (need <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (cap > t->o.max_token_bytes + 8) cap = t->o.max_token_bytes + 8;
    char *d = realloc(b->data, cap);
    if (!d) {
        t->oom = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

static void emit_issue_at(tkg_json_tok *t, tkg_json_issue_kind k, uint64_t off, uint64_t line,
                          uint64_t col, const char *detail, bool fatal) {
    if (!t->cb.on_issue) return;
    tkg_json_issue is = {k, off, line, col, t->record, t->depth, detail, fatal};
    t->cb.on_issue(t->cb.ctx, &is);
}

static void emit_issue(tkg_json_tok *t, tkg_json_issue_kind k, const char *detail, bool fatal) {
    emit_issue_at(t, k, t->cur_off, t->cur_line, t->cur_col, detail, fatal);
}

/* String problems are reported once per kind per token: the value is bad anyway. */
static bool first_of_kind(tkg_json_tok *t, tkg_json_issue_kind k) {
    unsigned bit = 1u << k;
    if (t->tok_issued & bit) return false;
    t->tok_issued |= bit;
    return true;
}

static void tok_issue(tkg_json_tok *t, tkg_json_issue_kind k, const char *detail) {
    emit_issue_at(t, k, t->tok_off, t->tok_line, t->tok_col, detail, false);
}

/* Appends to a token buffer, truncating (and reporting once) at the limit. */
static void tb_append(tkg_json_tok *t, tbuf *b, const void *p, size_t n) {
    size_t room = t->o.max_token_bytes > b->len ? t->o.max_token_bytes - b->len : 0;
    if (n > room) {
        if (!t->too_long_reported) {
            t->too_long_reported = true;
            tok_issue(t, TKG_JSON_I_TOO_LONG, NULL);
        }
        t->truncated = true;
        n = room;
    }
    if (n && tb_reserve(t, b, b->len + n + 1)) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    }
}

static void text_byte(tkg_json_tok *t, unsigned char c) {
    tb_append(t, &t->text, &c, 1);
    if (t->is_key) {
        t->kh1 = (t->kh1 ^ c) * UINT64_C(0x100000001b3);
        t->kh2 = (t->kh2 + c + 1) * UINT64_C(0x9E3779B97F4A7C15);
        t->kh2 ^= t->kh2 >> 29;
        t->klen++;
    }
}

static void text_cp(tkg_json_tok *t, uint32_t c) {
    if (c < 0x80) {
        text_byte(t, (unsigned char)c);
    } else if (c < 0x800) {
        text_byte(t, (unsigned char)(0xC0 | c >> 6));
        text_byte(t, (unsigned char)(0x80 | (c & 63)));
    } else if (c < 0x10000) {
        text_byte(t, (unsigned char)(0xE0 | c >> 12));
        text_byte(t, (unsigned char)(0x80 | ((c >> 6) & 63)));
        text_byte(t, (unsigned char)(0x80 | (c & 63)));
    } else {
        text_byte(t, (unsigned char)(0xF0 | c >> 18));
        text_byte(t, (unsigned char)(0x80 | ((c >> 12) & 63)));
        text_byte(t, (unsigned char)(0x80 | ((c >> 6) & 63)));
        text_byte(t, (unsigned char)(0x80 | (c & 63)));
    }
}

static void raw_byte(tkg_json_tok *t, unsigned char c) {
    tb_append(t, &t->raw, &c, 1);
}

static void byte_detail(char *buf, size_t n, unsigned char b) {
    if (b >= 0x21 && b < 0x7F)
        snprintf(buf, n, "'%c'", b);
    else
        snprintf(buf, n, "0x%02X", b);
}

static void begin_token(tkg_json_tok *t, lexeme l, bool is_key) {
    t->lex = l;
    t->is_key = is_key;
    t->text.len = t->raw.len = 0;
    t->truncated = t->bad = t->too_long_reported = false;
    t->tok_issued = 0;
    t->tok_off = t->cur_off;
    t->tok_line = t->cur_line;
    t->tok_col = t->cur_col;
    t->kh1 = UINT64_C(0xcbf29ce484222325);
    t->kh2 = UINT64_C(0x84222325cbf29ce4);
    t->klen = 0;
    t->u_need = 0;
    t->pending_high = 0;
}

static void emit_event(tkg_json_tok *t, tkg_json_kind k, bool token) {
    if (!t->cb.on_event) return;
    tkg_json_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = k;
    ev.record = t->record;
    ev.depth = t->depth;
    if (token) {
        if (tb_reserve(t, &t->text, t->text.len + 1)) t->text.data[t->text.len] = '\0';
        if (tb_reserve(t, &t->raw, t->raw.len + 1)) t->raw.data[t->raw.len] = '\0';
        ev.text = t->text.data ? t->text.data : "";
        ev.len = t->text.data ? t->text.len : 0;
        ev.raw = t->raw.data && (k == TKG_JSON_KEY || k == TKG_JSON_STRING) ? t->raw.data : ev.text;
        ev.raw_len = ev.raw == ev.text ? ev.len : t->raw.len;
        ev.offset = t->tok_off;
        ev.line = t->tok_line;
        ev.column = t->tok_col;
        ev.truncated = t->truncated;
        ev.bad = t->bad || t->truncated;
    } else {
        ev.text = ev.raw = "";
        ev.offset = t->cur_off;
        ev.line = t->cur_line;
        ev.column = t->cur_col;
    }
    t->cb.on_event(t->cb.ctx, &ev);
}

static void emit_doc_end(tkg_json_tok *t, bool aborted) {
    if (!t->doc_open) return;
    t->doc_open = false;
    if (!t->cb.on_event) return;
    tkg_json_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = TKG_JSON_DOC_END;
    ev.text = ev.raw = "";
    ev.record = t->record;
    ev.offset = t->cur_off;
    ev.line = t->cur_line;
    ev.column = t->cur_col;
    ev.aborted = aborted;
    t->cb.on_event(t->cb.ctx, &ev);
}

static void begin_doc(tkg_json_tok *t) {
    if (t->doc_open || t->depth) return;
    t->doc_open = true;
    t->record++;
    emit_event(t, TKG_JSON_DOC_START, false);
}

static void pop_all(tkg_json_tok *t) {
    while (t->depth) {
        frame *f = &t->stack[--t->depth];
        f->nkeys = 0;
        f->keys_overflow = false;
    }
}

/* A syntax error: the current value (JSON Lines: line) is abandoned. */
static void fatal(tkg_json_tok *t, tkg_json_issue_kind k, const char *detail) {
    begin_doc(t);
    emit_issue(t, k, detail, true);
    t->lex = L_NONE;
    pop_all(t);
    emit_doc_end(t, true);
    t->mode = t->o.lines ? M_SKIP_LINE : M_DEAD;
}

static void fatal_byte(tkg_json_tok *t, unsigned char b) {
    char d[16];
    byte_detail(d, sizeof d, b);
    bool invalid_lead = b >= 0x80 && (b < 0xC2 || b > 0xF4);
    fatal(t, invalid_lead ? TKG_JSON_I_UTF8 : TKG_JSON_I_SYNTAX, d);
}

/* A value is complete: back to its container, or the top-level value is done. */
static void value_done(tkg_json_tok *t) {
    t->lex = L_NONE;
    if (t->depth == 0) {
        emit_doc_end(t, false);
        t->mode = M_DONE;
    } else {
        t->mode = t->stack[t->depth - 1].is_object ? M_OBJECT_NEXT : M_ARRAY_NEXT;
    }
}

/* ---- containers ------------------------------------------------------------ */

static void open_container(tkg_json_tok *t, bool is_object) {
    if (t->depth >= t->o.max_depth) {
        char d[32];
        snprintf(d, sizeof d, "%zu", t->o.max_depth);
        emit_issue(t, TKG_JSON_I_DEPTH, d, false);
        begin_token(t, L_DEEP, false);
        t->deep_count = 1;
        t->deep_in_string = t->deep_escape = false;
        return;
    }
    emit_event(t, is_object ? TKG_JSON_OBJECT_START : TKG_JSON_ARRAY_START, false);
    frame *f = &t->stack[t->depth++];
    f->is_object = is_object;
    f->nkeys = 0;
    f->keys_overflow = false;
    t->mode = is_object ? M_OBJECT_FIRST : M_ARRAY_FIRST;
}

static void close_container(tkg_json_tok *t, bool is_object) {
    t->depth--;
    emit_event(t, is_object ? TKG_JSON_OBJECT_END : TKG_JSON_ARRAY_END, false);
    value_done(t);
}

/* Records a key in the open object; true when it was seen before. */
static bool key_seen(tkg_json_tok *t) {
    frame *f = &t->stack[t->depth - 1];
    for (size_t i = 0; i < f->nkeys; i++)
        if (f->keys[i].h1 == t->kh1 && f->keys[i].h2 == t->kh2 && f->keys[i].len == t->klen)
            return true;
    if (f->keys_overflow) return false;
    if (f->nkeys == t->o.max_keys) {
        f->keys_overflow = true;
        char d[32];
        snprintf(d, sizeof d, "%zu", t->o.max_keys);
        tok_issue(t, TKG_JSON_I_KEYS_LIMIT, d);
        return false;
    }
    if (f->nkeys == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        if (cap > t->o.max_keys) cap = t->o.max_keys;
        key_hash *k = realloc(f->keys, cap * sizeof *k);
        if (!k) {
            t->oom = true;
            return false;
        }
        f->keys = k;
        f->cap = cap;
    }
    f->keys[f->nkeys++] = (key_hash){t->kh1, t->kh2, t->klen};
    return false;
}

/* ---- strings --------------------------------------------------------------- */

static void lone_surrogate(tkg_json_tok *t) {
    char d[16];
    snprintf(d, sizeof d, "\\u%04X", (unsigned)t->pending_high);
    if (first_of_kind(t, TKG_JSON_I_SURROGATE))
        emit_issue_at(t, TKG_JSON_I_SURROGATE, t->high_off, t->high_line, t->high_col, d, false);
    t->bad = true;
    t->pending_high = 0;
    text_cp(t, 0xFFFD);
}

static void utf8_error(tkg_json_tok *t) {
    char d[24] = "";
    size_t n = 0;
    for (unsigned i = 0; i < t->u_have && n + 6 < sizeof d; i++)
        n += (size_t)snprintf(d + n, sizeof d - n, "%s0x%02X", i ? " " : "", t->u_seq[i]);
    if (first_of_kind(t, TKG_JSON_I_UTF8))
        emit_issue_at(t, TKG_JSON_I_UTF8, t->u_off, t->u_line, t->u_col, d, false);
    t->bad = true;
    t->u_need = 0;
}

static void end_string(tkg_json_tok *t) {
    if (t->pending_high) lone_surrogate(t);
    if (t->u_need) utf8_error(t);
    t->lex = L_NONE;
    if (t->is_key) {
        bool dup = key_seen(t);
        if (dup) {
            if (tb_reserve(t, &t->text, t->text.len + 1)) t->text.data[t->text.len] = '\0';
            tok_issue(t, TKG_JSON_I_DUPLICATE_KEY, t->text.data ? t->text.data : "");
        }
        if (t->cb.on_event) {
            /* emit_event with the duplicate flag */
            tkg_json_event ev;
            memset(&ev, 0, sizeof ev);
            if (tb_reserve(t, &t->raw, t->raw.len + 1)) t->raw.data[t->raw.len] = '\0';
            if (tb_reserve(t, &t->text, t->text.len + 1)) t->text.data[t->text.len] = '\0';
            ev.kind = TKG_JSON_KEY;
            ev.text = t->text.data ? t->text.data : "";
            ev.len = t->text.data ? t->text.len : 0;
            ev.raw = t->raw.data ? t->raw.data : "";
            ev.raw_len = t->raw.data ? t->raw.len : 0;
            ev.offset = t->tok_off;
            ev.line = t->tok_line;
            ev.column = t->tok_col;
            ev.record = t->record;
            ev.depth = t->depth;
            ev.truncated = t->truncated;
            ev.bad = t->bad || t->truncated;
            ev.duplicate = dup;
            t->cb.on_event(t->cb.ctx, &ev);
        }
        t->mode = M_COLON;
    } else {
        emit_event(t, TKG_JSON_STRING, true);
        value_done(t);
    }
}

/* One byte of string content (not a quote or backslash), UTF-8 checked. */
static void string_content(tkg_json_tok *t, unsigned char b) {
    if (t->u_need) {
        bool ok = (b & 0xC0) == 0x80 && (t->u_have > 1 || (b >= t->u_lo && b <= t->u_hi));
        if (ok) {
            t->u_seq[t->u_have++] = b;
            text_byte(t, b);
            raw_byte(t, b);
            t->u_need--;
            return;
        }
        utf8_error(t); /* the byte is then read on its own */
    }
    if (b < 0x80) {
        if (b < 0x20) {
            char d[16];
            snprintf(d, sizeof d, "U+%04X", b);
            if (first_of_kind(t, TKG_JSON_I_CONTROL)) emit_issue(t, TKG_JSON_I_CONTROL, d, false);
            t->bad = true;
        }
        text_byte(t, b);
        raw_byte(t, b);
        return;
    }
    unsigned need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        need = 1;
    else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        if (b == 0xE0) lo = 0xA0;
        if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        if (b == 0xF0) lo = 0x90;
        if (b == 0xF4) hi = 0x8F;
    }
    t->u_seq[0] = b;
    t->u_have = 1;
    t->u_off = t->cur_off;
    t->u_line = t->cur_line;
    t->u_col = t->cur_col;
    text_byte(t, b);
    raw_byte(t, b);
    if (!need) {
        utf8_error(t);
        return;
    }
    t->u_need = need;
    t->u_lo = lo;
    t->u_hi = hi;
}

static void in_string(tkg_json_tok *t, unsigned char b) {
    if (t->pending_high && b != '\\') lone_surrogate(t);
    if (t->u_need && (b == '"' || b == '\\')) utf8_error(t);
    if (b == '"') {
        end_string(t);
    } else if (b == '\\') {
        raw_byte(t, b);
        t->esc_off = t->cur_off;
        t->esc_line = t->cur_line;
        t->esc_col = t->cur_col;
        t->lex = L_ESCAPE;
    } else {
        string_content(t, b);
    }
}

static void in_escape(tkg_json_tok *t, unsigned char b) {
    if (t->pending_high && b != 'u') lone_surrogate(t);
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *p = b ? strchr(from, b) : NULL;
    if (p) {
        raw_byte(t, b);
        text_byte(t, (unsigned char)to[p - from]);
        t->lex = L_STRING;
    } else if (b == 'u') {
        raw_byte(t, b);
        t->hex_count = 0;
        t->hex_acc = 0;
        t->lex = L_UHEX;
    } else {
        char d[16];
        if (b >= 0x21 && b < 0x7F)
            snprintf(d, sizeof d, "\\%c", b);
        else
            snprintf(d, sizeof d, "\\ 0x%02X", b);
        if (first_of_kind(t, TKG_JSON_I_ESCAPE))
            emit_issue_at(t, TKG_JSON_I_ESCAPE, t->esc_off, t->esc_line, t->esc_col, d, false);
        t->bad = true;
        text_byte(t, '\\');
        t->lex = L_STRING;
        in_string(t, b); /* the character after the backslash is read as content */
    }
}

static int hex_value(unsigned char b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    return -1;
}

static void in_uhex(tkg_json_tok *t, unsigned char b) {
    int h = hex_value(b);
    if (h < 0) {
        char d[16];
        const char *digits = t->raw.data && t->raw.len >= t->hex_count
                                 ? t->raw.data + t->raw.len - t->hex_count
                                 : "";
        snprintf(d, sizeof d, "\\u%.*s", (int)t->hex_count, digits);
        if (first_of_kind(t, TKG_JSON_I_ESCAPE))
            emit_issue_at(t, TKG_JSON_I_ESCAPE, t->esc_off, t->esc_line, t->esc_col, d, false);
        t->bad = true;
        if (t->pending_high) lone_surrogate(t);
        t->lex = L_STRING;
        in_string(t, b);
        return;
    }
    raw_byte(t, b);
    t->hex_acc = t->hex_acc << 4 | (uint32_t)h;
    if (++t->hex_count < 4) return;
    uint32_t cp = t->hex_acc;
    t->lex = L_STRING;
    if (t->pending_high) {
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            text_cp(t, 0x10000 + ((t->pending_high - 0xD800) << 10) + (cp - 0xDC00));
            t->pending_high = 0;
            return;
        }
        lone_surrogate(t);
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        t->pending_high = cp;
        t->high_off = t->esc_off;
        t->high_line = t->esc_line;
        t->high_col = t->esc_col;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        t->pending_high = cp; /* reported as lone at once */
        t->high_off = t->esc_off;
        t->high_line = t->esc_line;
        t->high_col = t->esc_col;
        lone_surrogate(t);
    } else {
        text_cp(t, cp);
    }
}

/* ---- bare words: numbers and literals --------------------------------------- */

static bool is_word_byte(unsigned char b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '-' ||
           b == '+' || b == '.';
}

/* Checks the RFC 8259 number grammar; *leading_zero when 0 is followed by digits. */
static bool number_ok(const char *s, size_t n, bool *leading_zero) {
    size_t i = 0;
    *leading_zero = false;
    if (i < n && s[i] == '-') i++;
    if (i >= n || s[i] < '0' || s[i] > '9') return false;
    if (s[i] == '0') {
        i++;
        if (i < n && s[i] >= '0' && s[i] <= '9') {
            *leading_zero = true;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    } else {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && s[i] == '.') {
        i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d) return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d) return false;
    }
    return i == n;
}

static void end_word(tkg_json_tok *t) {
    const char *w = t->text.data ? t->text.data : "";
    size_t n = t->text.len;
    t->lex = L_NONE;
    if (!t->truncated) {
        static const struct {
            const char *s;
            tkg_json_kind k;
        } LIT[] = {{"true", TKG_JSON_TRUE}, {"false", TKG_JSON_FALSE}, {"null", TKG_JSON_NULL}};
        for (size_t i = 0; i < 3; i++)
            if (n == strlen(LIT[i].s) && memcmp(w, LIT[i].s, n) == 0) {
                emit_event(t, LIT[i].k, true);
                value_done(t);
                return;
            }
    }
    char d[48];
    snprintf(d, sizeof d, "%.*s%s", (int)(n > 32 ? 32 : n), w, n > 32 ? "…" : "");
    bool numeric = n && (w[0] == '-' || (w[0] >= '0' && w[0] <= '9'));
    bool nan_inf = (n == 3 && !memcmp(w, "NaN", 3)) || (n == 8 && !memcmp(w, "Infinity", 8)) ||
                   (n == 9 && !memcmp(w, "-Infinity", 9));
    if (!numeric && !nan_inf) {
        /* A word that is neither a literal nor a number: a syntax error at its start. */
        uint64_t off = t->cur_off, line = t->cur_line, col = t->cur_col;
        t->cur_off = t->tok_off;
        t->cur_line = t->tok_line;
        t->cur_col = t->tok_col;
        fatal(t, TKG_JSON_I_SYNTAX, d);
        t->cur_off = off, t->cur_line = line, t->cur_col = col;
        return;
    }
    bool lz = false;
    if (nan_inf) {
        tok_issue(t, TKG_JSON_I_NAN_INF, d);
        t->bad = true;
    } else if (!t->truncated && !number_ok(w, n, &lz)) {
        tok_issue(t, TKG_JSON_I_NUMBER, d);
        t->bad = true;
    } else if (lz) {
        tok_issue(t, TKG_JSON_I_LEADING_ZERO, d);
        t->bad = true;
    }
    emit_event(t, TKG_JSON_NUMBER, true);
    value_done(t);
}

/* ---- the dispatcher ---------------------------------------------------------- */

static void structural(tkg_json_tok *t, unsigned char b);

static void line_end_in_value(tkg_json_tok *t) {
    fatal(t, TKG_JSON_I_SYNTAX, "end of line");
    t->mode = M_VALUE; /* the newline ends the line: the next value may follow */
}

static void in_deep(tkg_json_tok *t, unsigned char b) {
    if (t->deep_in_string) {
        if (t->deep_escape)
            t->deep_escape = false;
        else if (b == '\\')
            t->deep_escape = true;
        else if (b == '"')
            t->deep_in_string = false;
        return;
    }
    if (b == '"') {
        t->deep_in_string = true;
    } else if (b == '{' || b == '[') {
        t->deep_count++;
    } else if ((b == '}' || b == ']') && --t->deep_count == 0) {
        emit_event(t, TKG_JSON_SKIPPED, true);
        value_done(t);
    }
}

static void start_value(tkg_json_tok *t, unsigned char b) {
    begin_doc(t);
    if (b == '{' || b == '[') {
        open_container(t, b == '{');
    } else if (b == '"') {
        begin_token(t, L_STRING, false);
    } else if (is_word_byte(b) && b != '+' && b != '.') {
        begin_token(t, L_WORD, false);
        tb_append(t, &t->text, &b, 1);
    } else {
        fatal_byte(t, b);
    }
}

static void trailing_comma(tkg_json_tok *t) {
    emit_issue_at(t, TKG_JSON_I_TRAILING_COMMA, t->comma_off, t->comma_line, t->comma_col, NULL,
                  false);
}

static void structural(tkg_json_tok *t, unsigned char b) {
    if (b == ' ' || b == '\t' || b == '\r') return;
    if (b == '\n') {
        if (!t->o.lines) return;
        if (t->doc_open)
            line_end_in_value(t);
        else
            t->mode = M_VALUE;
        return;
    }
    switch (t->mode) {
    case M_VALUE:
        start_value(t, b);
        return;
    case M_ARRAY_FIRST:
    case M_ARRAY_AFTER_COMMA:
        if (b == ']') {
            if (t->mode == M_ARRAY_AFTER_COMMA) trailing_comma(t);
            close_container(t, false);
        } else {
            start_value(t, b);
        }
        return;
    case M_ARRAY_NEXT:
        if (b == ',') {
            t->comma_off = t->cur_off, t->comma_line = t->cur_line, t->comma_col = t->cur_col;
            t->mode = M_ARRAY_AFTER_COMMA;
        } else if (b == ']') {
            close_container(t, false);
        } else {
            fatal_byte(t, b);
        }
        return;
    case M_OBJECT_FIRST:
    case M_OBJECT_AFTER_COMMA:
        if (b == '"') {
            begin_token(t, L_STRING, true);
        } else if (b == '}') {
            if (t->mode == M_OBJECT_AFTER_COMMA) trailing_comma(t);
            close_container(t, true);
        } else {
            fatal_byte(t, b);
        }
        return;
    case M_COLON:
        if (b == ':')
            t->mode = M_VALUE;
        else
            fatal_byte(t, b);
        return;
    case M_OBJECT_NEXT:
        if (b == ',') {
            t->comma_off = t->cur_off, t->comma_line = t->cur_line, t->comma_col = t->cur_col;
            t->mode = M_OBJECT_AFTER_COMMA;
        } else if (b == '}') {
            close_container(t, true);
        } else {
            fatal_byte(t, b);
        }
        return;
    case M_DONE: {
        char d[16];
        byte_detail(d, sizeof d, b);
        emit_issue(t, TKG_JSON_I_TRAILING, d, false);
        t->mode = t->o.lines ? M_SKIP_LINE : M_DEAD;
        return;
    }
    case M_SKIP_LINE:
    case M_DEAD:
        return;
    }
}

static void dispatch(tkg_json_tok *t, unsigned char b) {
    if (t->o.lines && b == '\n' && t->lex != L_NONE && t->lex != L_WORD) {
        line_end_in_value(t);
        return;
    }
    switch (t->lex) {
    case L_STRING:
        in_string(t, b);
        return;
    case L_ESCAPE:
        in_escape(t, b);
        return;
    case L_UHEX:
        in_uhex(t, b);
        return;
    case L_DEEP:
        in_deep(t, b);
        return;
    case L_WORD:
        if (is_word_byte(b)) {
            tb_append(t, &t->text, &b, 1);
            return;
        }
        end_word(t);
        structural(t, b);
        return;
    case L_NONE:
        if (t->mode == M_SKIP_LINE) {
            if (b == '\n') t->mode = M_VALUE;
            return;
        }
        if (t->mode == M_DEAD) return;
        structural(t, b);
        return;
    }
}

/* ---- public API ---------------------------------------------------------------- */

tkg_json_tok *tkg_json_new(const tkg_json_options *opts, const tkg_json_callbacks *cb) {
    tkg_json_tok *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    if (opts) t->o = *opts;
    if (!t->o.max_depth) t->o.max_depth = DEFAULT_MAX_DEPTH;
    if (!t->o.max_token_bytes) t->o.max_token_bytes = DEFAULT_MAX_TOKEN;
    if (!t->o.max_keys) t->o.max_keys = DEFAULT_MAX_KEYS;
    if (cb) t->cb = *cb;
    t->stack = calloc(t->o.max_depth, sizeof *t->stack);
    if (!t->stack) {
        free(t);
        return NULL;
    }
    t->next_line = t->next_col = 1;
    t->mode = M_VALUE;
    return t;
}

void tkg_json_free(tkg_json_tok *t) {
    if (!t) return;
    for (size_t i = 0; i < t->o.max_depth; i++)
        free(t->stack[i].keys);
    free(t->stack);
    free(t->text.data);
    free(t->raw.data);
    free(t);
}

/* Fast path: a run of plain ASCII inside a string value goes in at once. */
static size_t ascii_run(tkg_json_tok *t, const unsigned char *p, size_t len) {
    if (t->lex != L_STRING || t->is_key || t->pending_high || t->u_need || t->pos_need) return 0;
    size_t n = 0;
    while (n < len && p[n] >= 0x20 && p[n] < 0x80 && p[n] != '"' && p[n] != '\\')
        n++;
    if (!n) return 0;
    tb_append(t, &t->text, p, n);
    tb_append(t, &t->raw, p, n);
    t->off += n;
    t->next_col += n;
    return n;
}

int tkg_json_feed(tkg_json_tok *t, const void *buf, size_t len) {
    const unsigned char *p = buf;
    for (size_t i = 0; i < len; i++) {
        i += ascii_run(t, p + i, len - i);
        if (i == len) break;
        unsigned char b = p[i];
        /* Where this byte is: a continuation byte stays in its character's column. */
        if (t->pos_need && (b & 0xC0) == 0x80) {
            t->pos_need--;
        } else {
            t->cur_col = t->next_col++;
            t->pos_need = b >= 0xC2 && b <= 0xDF   ? 1
                          : b >= 0xE0 && b <= 0xEF ? 2
                          : b >= 0xF0 && b <= 0xF4 ? 3
                                                   : 0;
        }
        t->cur_line = t->next_line;
        t->cur_off = t->off;
        if (t->off < 3 && t->lex == L_NONE && t->mode == M_VALUE && !t->doc_open &&
            b == (unsigned char)"\xEF\xBB\xBF"[t->off] && t->bom_state == t->off) {
            if (++t->bom_state == 3) {
                t->cur_off = 0, t->cur_line = 1, t->cur_col = 1;
                emit_issue(t, TKG_JSON_I_BOM, NULL, false);
                t->next_col = 1; /* the BOM takes no column */
            }
        } else {
            if (t->bom_state && t->bom_state < 3) {
                t->bom_state = 3;
                fatal_byte(t, 0xEF);
            }
            dispatch(t, b);
        }
        t->off++;
        if (b == '\n') {
            t->next_line++;
            t->next_col = 1;
            t->pos_need = 0;
        }
        if (t->oom) return -1;
    }
    return 0;
}

int tkg_json_finish(tkg_json_tok *t) {
    t->cur_off = t->off;
    t->cur_line = t->next_line;
    t->cur_col = t->next_col;
    if (t->bom_state && t->bom_state < 3) fatal_byte(t, 0xEF);
    switch (t->lex) {
    case L_WORD:
        end_word(t);
        break;
    case L_STRING:
    case L_ESCAPE:
    case L_UHEX:
    case L_DEEP:
        fatal(t, TKG_JSON_I_SYNTAX, "end of input");
        break;
    case L_NONE:
        break;
    }
    if (t->doc_open) fatal(t, TKG_JSON_I_SYNTAX, "end of input");
    if (t->record == 0) {
        emit_issue(t, TKG_JSON_I_EMPTY, NULL, true);
    }
    return t->oom ? -1 : 0;
}
