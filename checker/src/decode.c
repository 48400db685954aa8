/* decode.c — UTF-16LE/BE and CP932 to UTF-8 for the CSV reader, in bounded
 * slices, with exact source offsets for the CSV layer's findings.
 *
 * Each call copies at most STAGE source bytes behind the held-back tail of
 * the previous call into a staging buffer and runs iconv over it, so output,
 * error list and memory stay bounded whatever the caller feeds at once.
 *
 * Offsets are not stored per output byte: the source length of each decoded
 * character follows from the character itself (UTF-16: 4 bytes for a code point
 * above U+FFFF, else 2; CP932: 1 byte for ASCII and half-width katakana
 * U+FF61–FF9F, else 2 — checked against every glibc CP932 pair), and a sentinel
 * stands for the bytes its error entry records. tkg_decoder_offset walks the
 * output forward from the start of the call to answer. */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define STAGE 16384
#define CARRY_MAX 8
#define MAX_ERRORS 256

struct tkg_decoder {
    iconv_t cd;
    tkg_encoding enc;
    unsigned char stage[CARRY_MAX + STAGE];
    size_t carry; /* held-back incomplete sequence at stage[0..carry) */
    uint64_t src; /* source offset of stage[0] */
    unsigned char *out;
    size_t outcap;
    tkg_decode_error errors[MAX_ERRORS];
    /* tkg_decoder_offset's cursor over the last call's output */
    size_t out_len, nerrors;
    size_t wpos, werr;
    uint64_t wsrc;
};

static const char *iconv_name(tkg_encoding enc) {
    switch (enc) {
    case TKG_ENC_UTF16LE:
        return "UTF-16LE";
    case TKG_ENC_UTF16BE:
        return "UTF-16BE";
    case TKG_ENC_CP932:
        return "CP932";
    default:
        return NULL;
    }
}

tkg_decoder *tkg_decoder_new(tkg_encoding enc) {
    const char *name = iconv_name(enc);
    if (!name) return NULL;
    tkg_decoder *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    /* Worst expansion: one CP932 byte (half-width katakana) becomes 3 bytes. */
    d->outcap = 3 * (CARRY_MAX + STAGE);
    d->out = malloc(d->outcap);
    d->cd = iconv_open("UTF-8", name);
    if (!d->out || d->cd == (iconv_t)-1) {
        if (d->cd != (iconv_t)-1 && d->out == NULL) iconv_close(d->cd);
        free(d->out);
        free(d);
        return NULL;
    }
    d->enc = enc;
    return d;
}

void tkg_decoder_free(tkg_decoder *d) {
    if (!d) return;
    iconv_close(d->cd);
    free(d->out);
    free(d);
}

static bool cp932_lead(unsigned char b) {
    return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
}

static bool cp932_trail(unsigned char b) {
    return (b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFC);
}

/* Bytes one undecodable sequence spans. UTF-16 skips one code unit. CP932
 * skips a lead byte together with a byte from the trail range: the pair is one
 * (unassigned or 外字) character, and reporting both bytes names it; any other
 * byte is skipped alone, so an ASCII delimiter after a broken lead survives. */
static size_t bad_length(const tkg_decoder *d, const unsigned char *s, size_t n) {
    if (d->enc == TKG_ENC_CP932) return n >= 2 && cp932_lead(s[0]) && cp932_trail(s[1]) ? 2 : 1;
    return n >= 2 ? 2 : 1;
}

/* Converts stage[0..len); returns how many stage bytes were dealt with (the
 * rest is an incomplete tail, or did not fit this call's output or error list).
 * At the end of input an incomplete tail is undecodable like any other. */
static size_t convert(tkg_decoder *d, size_t len, bool final, size_t *incomplete) {
    char *ip = (char *)d->stage;
    size_t il = len;
    char *op = (char *)d->out;
    size_t ol = d->outcap;
    *incomplete = 0;
    d->nerrors = 0;
    while (il > 0) {
        if (iconv(d->cd, &ip, &il, &op, &ol) != (size_t)-1) break;
        int err = errno;
        if (err == EINVAL && !final) {
            *incomplete = il;
            break;
        }
        if ((err != EILSEQ && err != EINVAL) || ol == 0 || d->nerrors == MAX_ERRORS)
            break; /* E2BIG or a full error list: the caller gets the rest back */
        const unsigned char *s = (const unsigned char *)ip;
        size_t skip = bad_length(d, s, il);
        tkg_decode_error *e = &d->errors[d->nerrors++];
        e->pos = (size_t)(op - (char *)d->out);
        e->offset = d->src + (uint64_t)(s - d->stage);
        memcpy(e->bytes, s, skip);
        e->nbytes = (unsigned char)skip;
        *op++ = (char)TKG_DECODE_SENTINEL;
        ol--;
        ip += skip;
        il -= skip;
    }
    d->out_len = (size_t)(op - (char *)d->out);
    return len - il;
}

static void start_walk(tkg_decoder *d, tkg_decoded *res) {
    d->wpos = 0;
    d->werr = 0;
    d->wsrc = d->src;
    res->out = d->out;
    res->len = d->out_len;
    res->errors = d->errors;
    res->nerrors = d->nerrors;
}

size_t tkg_decoder_feed(tkg_decoder *d, const unsigned char *in, size_t n, tkg_decoded *res) {
    size_t take = n < STAGE ? n : STAGE;
    memcpy(d->stage + d->carry, in, take);
    size_t len = d->carry + take, incomplete;
    size_t done = convert(d, len, false, &incomplete);
    start_walk(d, res);
    size_t rest = len - done;
    if (rest > incomplete) {
        /* Stopped early: hand the unconverted new bytes back to the caller. The
         * carry itself always converts first, so only new bytes are returned. */
        take -= rest;
        rest = 0;
    }
    memmove(d->stage, d->stage + done, rest);
    d->carry = rest;
    d->src += done;
    return take;
}

void tkg_decoder_finish(tkg_decoder *d, tkg_decoded *res) {
    size_t incomplete;
    size_t done = convert(d, d->carry, true, &incomplete);
    start_walk(d, res);
    d->src += done;
    d->carry = 0;
}

/* Source bytes of the decoded character at s (s[0] is not a sentinel). */
static unsigned source_length(const tkg_decoder *d, const unsigned char *s, unsigned *clen) {
    unsigned char b = s[0];
    *clen = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (d->enc != TKG_ENC_CP932) return *clen == 4 ? 4 : 2;
    if (*clen == 1) return 1;
    if (b == 0xEF && ((s[1] == 0xBD && s[2] >= 0xA1) || (s[1] == 0xBE && s[2] <= 0x9F)))
        return 1; /* half-width katakana U+FF61–FF9F, single bytes 0xA1–0xDF */
    return 2;
}

uint64_t tkg_decoder_offset(tkg_decoder *d, size_t pos) {
    while (d->wpos < pos && d->wpos < d->out_len) {
        if (d->werr < d->nerrors && d->errors[d->werr].pos == d->wpos) {
            d->wsrc += d->errors[d->werr].nbytes;
            d->werr++;
            d->wpos++;
            continue;
        }
        unsigned clen;
        d->wsrc += source_length(d, d->out + d->wpos, &clen);
        d->wpos += clen;
    }
    return d->wsrc;
}
