/* csv.c — the streaming CSV reader declared in csv.h: RFC 4180 plus a dialect,
 * fed in chunks of any size, with the same callbacks whatever the chunking.
 *
 * Rules where RFC 4180 leaves room (all chosen to keep records and line
 * numbers stable on damaged files):
 * - Records end with LF or CRLF. A CR not followed by LF is data, inside or
 *   outside quotes: lines are counted by LF only, and a stray CR ending a record
 *   would split it and shift every later record; as data it stays in its field,
 *   where the value checks flag it as a control character.
 * - An empty line in the middle of a file is a record with one empty field;
 *   empty lines at the end of the file are skipped. They are held back (as run
 *   lengths of LF and CRLF lines, so memory stays bounded) until a non-empty
 *   record shows they were not at the end; in the freak case of more than
 *   BLANK_RUNS alternations between LF and CRLF the oldest are delivered early.
 * - UTF-16 and CP932 are decoded by decode.c; an undecodable sequence arrives as
 *   the sentinel byte 0xFF (never valid UTF-8) with its source offset and bytes.
 *   UTF-8 input is validated on the raw stream, so a sequence broken by a quote
 *   or a delimiter is caught; the bytes reported are the ill-formed sequence's
 *   maximal part (lead plus the continuation bytes that fit it). Bad bytes stay
 *   in the field's data (raw for UTF-8, one 0xFF per sequence otherwise), so
 *   consumers must skip fields with bad_encoding set.
 * - A BOM exists only for UTF-8 and UTF-16 (in the dialect's byte order); CP932
 *   has none, so a required BOM is always missing there. An empty input has no
 *   findings at all.
 * - End of input inside quotes reports TKG_CSV_UNTERMINATED_QUOTE only, not also
 *   TKG_CSV_NO_FINAL_NEWLINE: the quote swallowed whatever newline there was.
 * - TKG_CSV_FIELD_TOO_LONG gives the line and offset where the field starts; a
 *   truncated field is cut back to a whole UTF-8 character.
 * - Issues of a record are reported before its on_record call.
 *
 * Speed (per field as much as per byte: fields are short, 6 bytes on average):
 * - UTF-8 is validated a slice (64 KiB) ahead of the scanner: csv_scan.h passes
 *   common text 64 bytes at a time, tkg_utf8_validate goes on where it stops.
 * - The scanner goes from one candidate byte (delimiter, quote, byte <= 0x0D)
 *   to the next with bit masks of 64-byte blocks (csv_scan.h).
 * - fast_path takes the fields that can have no findings (unquoted, or quoted
 *   with nothing to undo, ended by a delimiter, LF or CRLF) with whole blocks
 *   copied to the record buffer; the rest goes through the states of scan.
 * - The record buffer and field array are reused across records; the buffer
 *   grows by copying, so the ended fields' data pointers move with it. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "csv_scan.h"
#include "decode.h"
#include "moji.h"

#define DEFAULT_MAX_FIELD_BYTES ((size_t)1 << 20)
#define DEFAULT_MAX_FIELDS 10000
#define DEFAULT_MAX_RECORD_BYTES ((size_t)16 << 20)
#define SLICE 65536 /* UTF-8 input is validated and scanned in slices this long */
#define BLANK_RUNS 32

enum { S_START, S_UNQ, S_Q, S_QQ, S_AFTER, S_CR };
enum { C_DATA = 0, C_DELIM, C_QUOTE, C_CR, C_LF, C_NUL };
enum { T_LF, T_CRLF, T_EOF };

typedef struct {
    size_t pos;      /* index in the slice */
    uint64_t offset; /* source offset */
    const unsigned char *bytes;
    size_t nbytes;
    bool tail; /* not bad yet: a UTF-8 sequence cut by the end of the slice */
} bad_seq;

struct tkg_csv_reader {
    tkg_dialect dialect;
    tkg_csv_callbacks cb;
    size_t max_field_bytes, max_fields, max_record_bytes;
    unsigned char delim, quote;
    unsigned unit; /* source bytes per code unit: a LF is 1 or 2 bytes */
    unsigned char cls_unq[256], cls_q[256];

    /* BOM detection holds the first bytes back */
    bool head_done, finished, oom;
    unsigned char head[3];
    size_t nhead;
    uint64_t total; /* source bytes fed */

    tkg_decoder *dec; /* NULL for UTF-8 */
    tkg_decoded dres;
    size_t derr;   /* next error of dres to reach */
    uint64_t base; /* UTF-8: source offset of the slice; decoded: BOM length */

    /* the end of a UTF-8 slice that may be the start of a sequence: held back
     * unscanned, so the scanner sees it only once it is known to be good or
     * bad, and the findings come in the same order whatever the chunking */
    unsigned char vcarry[8];
    size_t nvcarry;
    uint64_t vcarry_off;

    /* scanner */
    int state, cr_from;
    uint64_t line, recno, rec_line;
    uint64_t cr_off;
    uint64_t cur_line, cur_off; /* where the current field starts, even a dropped one */

    /* the record being built */
    tkg_csv_field *fields;
    size_t fstart; /* start of the current field's data in buf */
    size_t nf, fcap;
    unsigned char *buf;
    size_t blen, bcap;
    uint64_t fidx; /* 1-based index of the current field, 0 before the first */
    bool sink;     /* data of the current field is discarded (dropped or truncated) */
    bool drop, cur_bad, cur_nul, cur_stray, rec_too_many, newline_reported;

    /* empty lines not yet known to be followed by a record */
    struct {
        uint64_t line, recno, offset;
        size_t nruns;
        struct {
            bool crlf;
            uint64_t count;
        } runs[BLANK_RUNS];
    } blank;

    char detail[40];
};

static void issue(tkg_csv_reader *r, tkg_csv_issue_kind kind, uint64_t line, uint64_t record,
                  uint64_t field, uint64_t offset, const char *detail) {
    if (!r->cb.on_issue) return;
    tkg_csv_issue is = {kind, line, record, field, offset, detail};
    r->cb.on_issue(r->cb.ctx, &is);
}

static const char *hex_detail(tkg_csv_reader *r, const unsigned char *b, size_t n) {
    static const char digits[] = "0123456789ABCDEF";
    char *o = r->detail;
    for (size_t i = 0; i < n && i < 4; i++) {
        if (i) *o++ = ' ';
        *o++ = '0';
        *o++ = 'x';
        *o++ = digits[b[i] >> 4];
        *o++ = digits[b[i] & 15];
    }
    *o = '\0';
    return r->detail;
}

static inline uint64_t srcoff(tkg_csv_reader *r, size_t i) {
    if (!r->dec) return r->base + i;
    return r->base + tkg_decoder_offset(r->dec, i);
}

/* ---- record buffer ---- */

static bool reserve(tkg_csv_reader *r, size_t n) {
    if (r->blen + n <= r->bcap) return true;
    size_t cap = r->bcap ? r->bcap : 4096;
    while (cap < r->blen + n)
        cap *= 2;
    /* not realloc: the ended fields' data pointers move with the bytes */
    unsigned char *nb = malloc(cap);
    if (!nb) {
        r->oom = true;
        return false;
    }
    if (r->blen) memcpy(nb, r->buf, r->blen);
    for (size_t k = 0; k < r->nf; k++)
        r->fields[k].data = (const char *)nb + (r->fields[k].data - (const char *)r->buf);
    free(r->buf);
    r->buf = nb;
    r->bcap = cap;
    return true;
}

/* Cuts a truncated field back to a whole UTF-8 character. */
static void trim_partial(tkg_csv_reader *r) {
    size_t start = r->fstart;
    for (size_t back = 1; back <= 3 && r->blen >= start + back; back++) {
        unsigned char b = r->buf[r->blen - back];
        if ((b & 0xC0) == 0x80) continue;
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (need > back && b < 0xF8) r->blen -= back;
        return;
    }
}

static void append_slow(tkg_csv_reader *r, const unsigned char *s, size_t n) {
    size_t have = r->blen - r->fstart;
    /* The field's own limit, or less when the record as a whole is at its budget. */
    size_t room = r->blen < r->max_record_bytes ? r->max_record_bytes - r->blen : 0;
    size_t limit = r->max_field_bytes - have < room ? r->max_field_bytes : have + room;
    if (have + n > limit) {
        size_t keep = limit - have;
        if (!reserve(r, keep + 1)) {
            r->sink = true;
            return;
        }
        memcpy(r->buf + r->blen, s, keep);
        r->blen += keep;
        trim_partial(r);
        r->fields[r->nf].truncated = true;
        r->sink = true;
        issue(r, TKG_CSV_FIELD_TOO_LONG, r->cur_line, r->recno, r->fidx, r->cur_off, NULL);
        return;
    }
    if (!reserve(r, n + 1)) {
        r->sink = true;
        return;
    }
    memcpy(r->buf + r->blen, s, n);
    r->blen += n;
}

static inline void append(tkg_csv_reader *r, const unsigned char *s, size_t n) {
    if (r->sink || n == 0) return;
    if (r->blen + n < r->bcap && r->blen + n - r->fstart <= r->max_field_bytes) {
        memcpy(r->buf + r->blen, s, n);
        r->blen += n;
        return;
    }
    append_slow(r, s, n);
}

static void append1(tkg_csv_reader *r, unsigned char c) {
    append(r, &c, 1);
}

/* ---- fields and records ---- */

static void deliver(tkg_csv_reader *r, const tkg_csv_field *fields, size_t nf, uint64_t recno,
                    uint64_t line) {
    if (!r->cb.on_record) return;
    tkg_csv_record rec = {fields, nf, recno, line};
    r->cb.on_record(r->cb.ctx, &rec);
}

static void check_newline(tkg_csv_reader *r, int term, uint64_t line, uint64_t recno,
                          uint64_t offset) {
    if (r->newline_reported || term == T_EOF) return;
    if ((term == T_LF && r->dialect.newline == TKG_NL_CRLF) ||
        (term == T_CRLF && r->dialect.newline == TKG_NL_LF)) {
        r->newline_reported = true;
        issue(r, TKG_CSV_NEWLINE, line, recno, 0, offset, term == T_LF ? "LF" : "CRLF");
    }
}

/* Delivers the held empty lines: a record followed them. */
static void flush_blanks(tkg_csv_reader *r) {
    uint64_t line = r->blank.line, recno = r->blank.recno, off = r->blank.offset;
    tkg_csv_field f = {"", 0, 0, 0, false, false, false};
    for (size_t k = 0; k < r->blank.nruns; k++) {
        bool crlf = r->blank.runs[k].crlf;
        for (uint64_t c = r->blank.runs[k].count; c > 0; c--) {
            f.line = line;
            f.offset = off;
            check_newline(r, crlf ? T_CRLF : T_LF, line, recno, off);
            deliver(r, &f, 1, recno, line);
            line++;
            recno++;
            off += (crlf ? 2u : 1u) * r->unit;
        }
    }
    r->blank.nruns = 0;
}

static void add_blank(tkg_csv_reader *r, bool crlf, uint64_t off) {
    size_t n = r->blank.nruns;
    if (n > 0 && r->blank.runs[n - 1].crlf == crlf) {
        r->blank.runs[n - 1].count++;
    } else {
        if (n == BLANK_RUNS) {
            flush_blanks(r);
            n = 0;
        }
        if (n == 0) {
            r->blank.line = r->line;
            r->blank.recno = r->recno;
            r->blank.offset = off;
        }
        r->blank.runs[n].crlf = crlf;
        r->blank.runs[n].count = 1;
        r->blank.nruns = n + 1;
    }
    r->recno++;
}

/* Fills the field entry once memory for it is there. */
static inline void init_field(tkg_csv_reader *r, uint64_t off, bool quoted) {
    tkg_csv_field *f = &r->fields[r->nf];
    f->data = NULL;
    f->len = 0;
    f->line = r->line;
    f->offset = off;
    f->quoted = quoted;
    f->truncated = false;
    f->bad_encoding = false;
    r->fstart = r->blen;
}

static void begin_field_slow(tkg_csv_reader *r, uint64_t off, bool quoted) {
    if (r->fidx == 0) {
        if (r->blank.nruns) flush_blanks(r);
        r->rec_line = r->line;
    }
    r->fidx++;
    r->cur_line = r->line;
    r->cur_off = off;
    r->cur_bad = r->cur_nul = r->cur_stray = false;
    r->drop = r->sink = r->fidx > r->max_fields;
    if (r->drop) {
        if (!r->rec_too_many) {
            r->rec_too_many = true;
            issue(r, TKG_CSV_TOO_MANY_FIELDS, r->line, r->recno, r->fidx, off, NULL);
        }
        return;
    }
    if (r->nf == r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 64;
        tkg_csv_field *nfl = realloc(r->fields, cap * sizeof *nfl);
        if (!nfl) {
            r->oom = true;
            r->drop = r->sink = true;
            return;
        }
        r->fields = nfl;
        r->fcap = cap;
    }
    if (!reserve(r, 1)) {
        r->drop = r->sink = true;
        return;
    }
    init_field(r, off, quoted);
}

/* Most fields are neither first in their record nor need memory. */
static inline void begin_field(tkg_csv_reader *r, uint64_t off, bool quoted) {
    if (r->fidx == 0 || r->fidx >= r->max_fields || r->nf == r->fcap || r->blen >= r->bcap) {
        begin_field_slow(r, off, quoted);
        return;
    }
    r->fidx++;
    r->cur_line = r->line;
    r->cur_off = off;
    r->cur_bad = r->cur_nul = r->cur_stray = false;
    r->drop = r->sink = false;
    init_field(r, off, quoted);
}

static void end_field(tkg_csv_reader *r) {
    if (r->drop) return;
    r->fields[r->nf].data = (const char *)r->buf + r->fstart;
    r->fields[r->nf].len = r->blen - r->fstart;
    r->buf[r->blen++] = '\0'; /* reserved by begin_field and append */
    r->nf++;
}

static void end_record(tkg_csv_reader *r, int term, uint64_t term_off) {
    check_newline(r, term, r->line, r->recno, term_off);
    deliver(r, r->fields, r->nf, r->recno, r->rec_line);
    r->recno++;
    r->nf = 0;
    r->blen = 0;
    r->fidx = 0;
    r->rec_too_many = false;
    r->drop = r->sink = false;
}

static void text_after_quote(tkg_csv_reader *r, uint64_t off) {
    if (!r->drop) issue(r, TKG_CSV_TEXT_AFTER_QUOTE, r->line, r->recno, r->fidx, off, NULL);
}

/* The CR seen outside quotes was not followed by LF: it is data. */
static void cr_as_data(tkg_csv_reader *r) {
    switch (r->cr_from) {
    case S_START:
        begin_field(r, r->cr_off, false);
        r->state = S_UNQ;
        break;
    case S_QQ:
        text_after_quote(r, r->cr_off);
        r->state = S_AFTER;
        break;
    default:
        r->state = r->cr_from;
        break;
    }
    append1(r, '\r');
}

/* A bad sequence starts at slice index i: it is data of the field there. */
static void on_bad(tkg_csv_reader *r, size_t i, const bad_seq *b) {
    switch (r->state) {
    case S_START:
        begin_field(r, srcoff(r, i), false);
        r->state = S_UNQ;
        break;
    case S_CR:
        cr_as_data(r);
        break;
    case S_QQ:
        text_after_quote(r, srcoff(r, i));
        r->state = S_AFTER;
        break;
    default:
        break;
    }
    if (r->drop || r->cur_bad) return;
    r->cur_bad = true;
    r->fields[r->nf].bad_encoding = true;
    issue(r, TKG_CSV_BAD_ENCODING, r->line, r->recno, r->fidx, b->offset,
          hex_detail(r, b->bytes, b->nbytes));
}

/* A NUL is data; it is reported once per field. */
static void nul_byte(tkg_csv_reader *r, size_t i) {
    if (!r->cur_nul && !r->drop) {
        r->cur_nul = true;
        issue(r, TKG_CSV_NUL_BYTE, r->line, r->recno, r->fidx, srcoff(r, i), NULL);
    }
    append1(r, 0);
}

/* ---- finding bad sequences ---- */

enum { SUB_VALID, SUB_BAD, SUB_INCOMPLETE };

/* Classifies the sequence at s: valid, ill-formed (*len = its maximal part:
 * the lead and the continuation bytes that fit it), or cut short by the end. */
static int utf8_subpart(const unsigned char *s, size_t n, size_t *len) {
    unsigned char b = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (b < 0x80) {
        *len = 1;
        return SUB_VALID;
    } else if (b >= 0xC2 && b <= 0xDF) {
        need = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
        *len = 1;
        return SUB_BAD;
    }
    size_t k = 1;
    while (k < need && k < n && s[k] >= lo && s[k] <= hi) {
        lo = 0x80;
        hi = 0xBF;
        k++;
    }
    *len = k;
    return k == need ? SUB_VALID : k == n ? SUB_INCOMPLETE : SUB_BAD;
}

/* Next bad sequence at or after slice index from; returns its index or n. */
static size_t next_bad(tkg_csv_reader *r, const unsigned char *p, size_t n, size_t from,
                       bad_seq *b) {
    b->tail = false;
    if (r->dec) {
        if (r->derr == r->dres.nerrors) return n;
        const tkg_decode_error *e = &r->dres.errors[r->derr++];
        b->offset = r->base + e->offset;
        b->bytes = e->bytes;
        b->nbytes = e->nbytes;
        b->pos = e->pos;
        return e->pos;
    }
    size_t k = from, len;
    int st;
    for (;;) { /* the SIMD prefix, then utf8.c over a window (all the rest without SIMD) */
        if (k >= n) return n;
        k += tkg_csv_utf8_valid(p + k, n - k);
        size_t w = n - k < TKG_CSV_UTF8_WINDOW ? n - k : TKG_CSV_UTF8_WINDOW;
        size_t v = tkg_utf8_validate(p + k, w);
        k += v;
        if (v == w) continue;
        st = utf8_subpart(p + k, n - k, &len);
        if (st != SUB_VALID) break;
        k += len; /* a sequence cut by the window only */
    }
    if (st == SUB_INCOMPLETE) {
        /* may complete in the next slice (at most 3 bytes): held back */
        memcpy(r->vcarry, p + k, n - k);
        r->nvcarry = n - k;
        r->vcarry_off = r->base + k;
        b->tail = true;
        return k;
    }
    b->pos = k;
    b->offset = r->base + k;
    b->bytes = p + k;
    b->nbytes = len;
    return k;
}

/* ---- the scanner ---- */

/* Appends the run of ordinary bytes (class 0 in tbl) from p[i] to the field and
 * returns where it ends: at lim or at a special byte. */
static inline size_t copy_run(tkg_csv_reader *r, tkg_csv_scanner *s, const unsigned char *tbl,
                              size_t i, size_t lim) {
    size_t j = tkg_csv_next(s, i);
    while (j < lim && !tbl[s->p[j]])
        j = tkg_csv_next(s, j + 1);
    if (j > lim) j = lim;
    append(r, s->p + i, j - i);
    return j;
}

/* ---- the fast path ---- */

/* Copies p[from, to) to the record buffer at from + delta when it fits, and
 * when no field from i ending before to can be over the length limit. */
static inline bool fast_copy(tkg_csv_reader *r, const unsigned char *p, size_t from, size_t to,
                             size_t delta, size_t i) {
    if (to + delta >= r->bcap || to - i > r->max_field_bytes) return false;
    if (to - from == 64)
        memcpy(r->buf + (from + delta), p + from, 64);
    else
        memcpy(r->buf + (from + delta), p + from, to - from);
    return true;
}

/* Passes the candidate at *j and finds the next one, copying each new block to
 * the buffer; false when one cannot be. */
static inline bool fast_pop(tkg_csv_reader *r, tkg_csv_scanner *s, size_t delta, size_t i,
                            size_t *bp, uint64_t *m, size_t *j) {
    bool ok = true;
    if (!(*m &= *m - 1)) {
        size_t from = *bp + 64;
        tkg_csv_cursor c = tkg_csv_advance(s, from);
        *bp = c.bp;
        *m = c.m;
        ok = fast_copy(r, s->p, from, c.bp + 64 < s->n ? c.bp + 64 : s->n, delta, i);
    }
    *j = *bp + tkg_ctz64(*m);
    return ok;
}

/* Completes the fields [f, end) of the fast path, which hold the indexes of
 * their start (of the quote when quoted) in offset and of their end in len. */
static inline void fast_fix(tkg_csv_reader *r, tkg_csv_field *f, const tkg_csv_field *end,
                            size_t delta, uint64_t line) {
    unsigned char *const buf = r->buf;
    for (; f < end; f++) {
        size_t i = (size_t)f->offset, a = i + f->quoted, b = f->len;
        f->data = (const char *)buf + (a + delta);
        f->len = b - a;
        f->line = line;
        f->offset = srcoff(r, i);
        f->truncated = f->bad_encoding = false;
        buf[b + delta] = '\0';
    }
}

/* The fast path of S_START: whole fields ended by a delimiter or a newline.
 * The input is copied to the record buffer a block at a time as the
 * candidates of s are reached, so a field's bytes are in place already and its
 * terminator (or closing quote) becomes its NUL; the loop keeps only indexes,
 * fast_fix does the rest. At anything else (an issue, a lone CR, an empty line,
 * lim, memory, the limits) the states of scan take over from the returned
 * index, in S_START. */
static size_t fast_path(tkg_csv_reader *r, tkg_csv_scanner *s, size_t i, size_t lim) {
    if (!r->buf || !r->fields || r->fidx >= r->max_fields || r->fidx != r->nf ||
        (r->fidx == 0 && r->blank.nruns))
        return i; /* (fidx != nf: fields were dropped for want of memory) */
    const unsigned char *const p = s->p, *const cls = r->cls_unq, *const clq = r->cls_q;
    const unsigned char delim = r->delim, quote = r->quote;
    tkg_csv_field *const fields = r->fields, *f = fields + r->nf, *fx = f;
    tkg_csv_field *fend = fields + (r->fcap < r->max_fields ? r->fcap : r->max_fields);
    size_t delta = r->blen - i; /* input index + delta = buffer index (modulo SIZE_MAX + 1) */
    size_t j = tkg_csv_next(s, i), bp = s->bp;
    uint64_t m = s->m, line = r->line;
    if (r->fidx == 0) r->rec_line = line;
    for (bool go = fast_copy(r, p, i, bp + 64 < s->n ? bp + 64 : s->n, delta, i); go;) {
        size_t t = 0;     /* where the newline ending the record starts */
        int term = T_EOF; /* none: the fast path stops */
        while (j < lim) {
            unsigned char c = p[j];
            if (c == delim) { /* the common case, kept short */
                if (f == fend) break;
                f->offset = i;
                f->len = j;
                f->quoted = false;
                f++;
                i = j + 1;
                if (!fast_pop(r, s, delta, i, &bp, &m, &j)) lim = 0;
                continue;
            }
            if (c == quote && quote && j == i && f != fend && (m & (m - 1))) {
                /* a quoted field and its delimiter, all in this block */
                uint64_t m2 = m & (m - 1);
                size_t k = bp + tkg_ctz64(m2); /* the closing quote? */
                if (k + 1 < lim && k - bp < 63 && p[k] == quote && p[k + 1] == delim) {
                    f->offset = i;
                    f->len = k;
                    f->quoted = true;
                    f++;
                    i = k + 2;
                    m = m2 & (m2 - 1); /* at the delimiter */
                    if (!fast_pop(r, s, delta, i, &bp, &m, &j)) lim = 0;
                    continue;
                }
            }
            unsigned char cl = cls[c];
            size_t b = j;
            bool quoted = false;
            if (cl == C_DATA) { /* a control byte: data */
                if (!fast_pop(r, s, delta, i, &bp, &m, &j)) lim = 0;
                continue;
            }
            if (cl == C_QUOTE && j == i) { /* quoted: find the closing quote */
                do
                    if (!fast_pop(r, s, delta, i, &bp, &m, &j)) lim = 0;
                while (j < lim && !clq[p[j]]);
                if (j + 1 >= lim || p[j] != quote) break;
                b = j;
                c = p[j + 1];
                quoted = true;
            }
            t = b + quoted; /* the terminator */
            if (c == '\r' ? t + 1 >= lim || p[t + 1] != '\n' : c != '\n' && c != delim) break;
            if (f == fend || (b == i && c != delim && f == fields))
                break; /* memory, or an empty line */
            f->offset = i;
            f->len = b;
            f->quoted = quoted;
            f++;
            i = t + 1 + (c == '\r');
            while (j < i) /* the closing quote, the terminator */
                if (!fast_pop(r, s, delta, i, &bp, &m, &j)) lim = 0;
            if (c != delim) {
                term = c == '\r' ? T_CRLF : T_LF;
                break;
            }
        }
        fast_fix(r, fx, f, delta, line);
        r->fidx = r->nf = (size_t)(f - fields);
        r->blen = i + delta;
        r->line = line;
        if (term == T_EOF) break;
        end_record(r, term, srcoff(r, t));
        r->rec_line = r->line = ++line;
        f = fx = fields;
        delta = 0 - i;
        go = fast_copy(r, p, i, bp + 64 < s->n ? bp + 64 : s->n, delta, i);
    }
    s->bp = bp;
    s->m = m;
    return i;
}

/* The states jump to each other directly while input lasts (i < lim); going
 * back through the dispatch switch for every field costs a mispredicted
 * indirect jump each time. The loop top handles a bad sequence at lim. */
static void scan(tkg_csv_reader *r, const unsigned char *p, size_t n, const bad_seq *first) {
    bad_seq bad;
    size_t i = 0;
    size_t lim = first ? (bad = *first).pos : next_bad(r, p, n, 0, &bad);
    const unsigned char delim = r->delim, quote = r->quote;
    const unsigned char *cls_unq = r->cls_unq, *cls_q = r->cls_q;
    tkg_csv_scanner s;
    tkg_csv_scanner_init(&s, p, n, delim, quote);
    unsigned char c;
    while (i < n) {
        if (i == lim) {
            if (bad.tail) return; /* held in vcarry */
            on_bad(r, i, &bad);
            lim = next_bad(r, p, n, i + bad.nbytes, &bad);
            /* the bad bytes are ordinary data for the states below */
            if (lim == i) lim = n; /* cannot happen; keeps the loop finite */
        }
        switch (r->state) {
        case S_START:
            goto st_start;
        case S_UNQ:
        case S_AFTER:
            goto st_unq;
        case S_Q:
            goto st_q;
        case S_QQ:
            goto st_qq;
        default:
            goto st_cr;
        }

    st_start:
        i = fast_path(r, &s, i, lim);
        if (i == lim) continue;
        c = p[i];
        if (c == quote && quote) {
            begin_field(r, srcoff(r, i), true);
            r->state = S_Q;
            if (++i < lim) goto st_q;
            continue;
        }
        if (c == delim) {
            begin_field(r, srcoff(r, i), false);
            end_field(r);
            if (++i < lim) goto st_start;
            continue;
        }
        if (c == '\n') {
            uint64_t off = srcoff(r, i);
            if (r->fidx == 0) {
                add_blank(r, false, off);
            } else {
                begin_field(r, off, false);
                end_field(r);
                end_record(r, T_LF, off);
            }
            r->line++;
            if (++i < lim) goto st_start;
            continue;
        }
        if (c == '\r') {
            r->cr_off = srcoff(r, i);
            r->cr_from = S_START;
            r->state = S_CR;
            if (++i < lim) goto st_cr;
            continue;
        }
        begin_field(r, srcoff(r, i), false);
        r->state = S_UNQ;
        /* fall through: i < lim */

    st_unq:
        i = copy_run(r, &s, cls_unq, i, lim);
        if (i == lim) continue;
        switch (cls_unq[p[i]]) {
        case C_DELIM:
            end_field(r);
            r->state = S_START;
            if (++i < lim) goto st_start;
            continue;
        case C_LF:
            end_field(r);
            end_record(r, T_LF, srcoff(r, i));
            r->line++;
            r->state = S_START;
            if (++i < lim) goto st_start;
            continue;
        case C_CR:
            r->cr_off = srcoff(r, i);
            r->cr_from = r->state;
            r->state = S_CR;
            if (++i < lim) goto st_cr;
            continue;
        case C_QUOTE:
            if (r->state == S_UNQ && !r->cur_stray && !r->drop) {
                r->cur_stray = true;
                issue(r, TKG_CSV_STRAY_QUOTE, r->line, r->recno, r->fidx, srcoff(r, i), NULL);
            }
            append1(r, quote);
            if (++i < lim) goto st_unq;
            continue;
        default: /* C_NUL */
            nul_byte(r, i);
            if (++i < lim) goto st_unq;
            continue;
        }

    st_q:
        i = copy_run(r, &s, cls_q, i, lim);
        if (i == lim) continue;
        switch (cls_q[p[i]]) {
        case C_QUOTE:
            r->state = S_QQ;
            if (++i < lim) goto st_qq;
            continue;
        case C_LF:
            append1(r, '\n');
            r->line++;
            if (++i < lim) goto st_q;
            continue;
        default: /* C_NUL */
            nul_byte(r, i);
            if (++i < lim) goto st_q;
            continue;
        }

    st_qq:
        c = p[i];
        if (c == quote) { /* a doubled quote */
            append1(r, quote);
            r->state = S_Q;
            if (++i < lim) goto st_q;
            continue;
        }
        if (c == delim) {
            end_field(r);
            r->state = S_START;
            if (++i < lim) goto st_start;
            continue;
        }
        if (c == '\n') {
            end_field(r);
            end_record(r, T_LF, srcoff(r, i));
            r->line++;
            r->state = S_START;
            if (++i < lim) goto st_start;
            continue;
        }
        if (c == '\r') {
            r->cr_off = srcoff(r, i);
            r->cr_from = S_QQ;
            r->state = S_CR;
            if (++i < lim) goto st_cr;
            continue;
        }
        text_after_quote(r, srcoff(r, i));
        r->state = S_AFTER;
        goto st_unq;

    st_cr:
        if (p[i] == '\n') {
            if (r->cr_from == S_START && r->fidx == 0) {
                add_blank(r, true, r->cr_off);
            } else {
                if (r->cr_from == S_START) begin_field(r, r->cr_off, false);
                end_field(r);
                end_record(r, T_CRLF, r->cr_off);
            }
            r->line++;
            r->state = S_START;
            if (++i < lim) goto st_start;
            continue;
        }
        cr_as_data(r);
        goto st_unq;
    }
}

/* ---- input ---- */

/* Scans the held UTF-8 tail together with the first bytes of p once they
 * decide it; returns how many bytes of p that took. */
static size_t settle_carry(tkg_csv_reader *r, const unsigned char *p, size_t n, bool final) {
    size_t m = r->nvcarry, add = n < 4 ? n : 4, len;
    if (add) memcpy(r->vcarry + m, p, add);
    int st = utf8_subpart(r->vcarry, m + add, &len);
    if (st == SUB_INCOMPLETE && !final) {
        r->nvcarry = m + add; /* add == n here, and m + n < 4 */
        r->base += n;
        return n;
    }
    r->nvcarry = 0;
    uint64_t base = r->base;
    r->base = r->vcarry_off;
    bad_seq b = {0, r->vcarry_off, r->vcarry, len, false};
    scan(r, r->vcarry, len, st == SUB_VALID ? NULL : &b);
    r->base = base + (len - m);
    return len - m;
}

static void process(tkg_csv_reader *r, const unsigned char *p, size_t n) {
    if (r->dec) {
        while (n > 0) {
            size_t used = tkg_decoder_feed(r->dec, p, n, &r->dres);
            r->derr = 0;
            scan(r, r->dres.out, r->dres.len, NULL);
            p += used;
            n -= used;
        }
        return;
    }
    while (n > 0) {
        size_t k = r->nvcarry ? settle_carry(r, p, n, false) : 0;
        if (k == 0) {
            k = n < SLICE ? n : SLICE;
            scan(r, p, k, NULL);
            r->base += k;
        }
        p += k;
        n -= k;
    }
}

static void decide_bom(tkg_csv_reader *r) {
    static const unsigned char utf8[] = {0xEF, 0xBB, 0xBF}, le[] = {0xFF, 0xFE},
                               be[] = {0xFE, 0xFF};
    const unsigned char *bom = NULL;
    size_t blen = 0;
    switch (r->dialect.encoding) {
    case TKG_ENC_UTF8:
        bom = utf8, blen = 3;
        break;
    case TKG_ENC_UTF16LE:
        bom = le, blen = 2;
        break;
    case TKG_ENC_UTF16BE:
        bom = be, blen = 2;
        break;
    default:
        break;
    }
    bool has = bom && r->nhead >= blen && memcmp(r->head, bom, blen) == 0;
    r->head_done = true;
    if (r->total == 0) return;
    if (has && r->dialect.bom == TKG_BOM_FORBIDDEN)
        issue(r, TKG_CSV_BOM_UNEXPECTED, 1, 0, 0, 0, hex_detail(r, bom, blen));
    if (!has && r->dialect.bom == TKG_BOM_REQUIRED) issue(r, TKG_CSV_BOM_MISSING, 1, 0, 0, 0, NULL);
    size_t skip = has ? blen : 0;
    r->base = skip;
    process(r, r->head + skip, r->nhead - skip);
}

int tkg_csv_feed(tkg_csv_reader *r, const void *buf, size_t len) {
    const unsigned char *p = buf;
    if (r->finished) return -1;
    if (len == 0) return r->oom ? -1 : 0;
    r->total += len;
    if (!r->head_done) {
        size_t want = r->dialect.encoding == TKG_ENC_UTF8    ? 3
                      : r->dialect.encoding == TKG_ENC_CP932 ? 0
                                                             : 2;
        while (r->nhead < want && len > 0) {
            r->head[r->nhead++] = *p++;
            len--;
        }
        if (r->nhead < want) return r->oom ? -1 : 0;
        decide_bom(r);
    }
    process(r, p, len);
    return r->oom ? -1 : 0;
}

int tkg_csv_finish(tkg_csv_reader *r) {
    if (r->finished) return -1;
    if (!r->head_done) decide_bom(r);
    r->finished = true;
    if (r->dec) {
        tkg_decoder_finish(r->dec, &r->dres);
        r->derr = 0;
        scan(r, r->dres.out, r->dres.len, NULL);
    } else if (r->nvcarry) {
        settle_carry(r, NULL, 0, true); /* a sequence cut short by the end of input */
    }
    int st = r->state;
    if (st == S_START && r->fidx == 0)
        return r->oom ? -1 : 0; /* nothing pending; held empty lines were trailing */
    if (st == S_CR) {
        cr_as_data(r);
        st = r->state;
    }
    if (st == S_START) begin_field(r, r->total, false); /* after a trailing delimiter */
    if (st == S_Q) {
        issue(r, TKG_CSV_UNTERMINATED_QUOTE, r->cur_line, r->recno, r->fidx, r->cur_off, NULL);
    } else {
        issue(r, TKG_CSV_NO_FINAL_NEWLINE, r->line, r->recno, 0, r->total, NULL);
    }
    end_field(r);
    end_record(r, T_EOF, r->total);
    r->state = S_START;
    return r->oom ? -1 : 0;
}

tkg_csv_reader *tkg_csv_new(const tkg_dialect *dialect, const tkg_csv_limits *limits,
                            const tkg_csv_callbacks *cb) {
    unsigned char delim = (unsigned char)dialect->delimiter, quote = (unsigned char)dialect->quote;
    /* a delimiter or quote that collides with the structure cannot be read */
    if (delim == 0 || delim >= 0x80 || delim == '\r' || delim == '\n' || delim == quote ||
        quote >= 0x80 || quote == '\r' || quote == '\n')
        return NULL;
    tkg_csv_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->dialect = *dialect;
    if (cb) r->cb = *cb;
    r->max_field_bytes =
        limits && limits->max_field_bytes ? limits->max_field_bytes : DEFAULT_MAX_FIELD_BYTES;
    r->max_fields = limits && limits->max_fields ? limits->max_fields : DEFAULT_MAX_FIELDS;
    r->max_record_bytes =
        limits && limits->max_record_bytes ? limits->max_record_bytes : DEFAULT_MAX_RECORD_BYTES;
    r->delim = delim;
    r->quote = quote;
    r->unit = dialect->encoding == TKG_ENC_UTF16LE || dialect->encoding == TKG_ENC_UTF16BE ? 2 : 1;
    r->cls_unq[delim] = C_DELIM;
    r->cls_unq['\r'] = C_CR;
    r->cls_unq['\n'] = C_LF;
    r->cls_unq[0] = C_NUL;
    r->cls_q['\n'] = C_LF;
    r->cls_q[0] = C_NUL;
    if (quote) {
        r->cls_unq[quote] = C_QUOTE;
        r->cls_q[quote] = C_QUOTE;
    }
    r->line = 1;
    r->recno = 1;
    r->state = S_START;
    if (dialect->encoding != TKG_ENC_UTF8) {
        r->dec = tkg_decoder_new(dialect->encoding);
        if (!r->dec) {
            free(r);
            return NULL;
        }
    }
    return r;
}

void tkg_csv_free(tkg_csv_reader *r) {
    if (!r) return;
    tkg_decoder_free(r->dec);
    free(r->fields);
    free(r->buf);
    free(r);
}
