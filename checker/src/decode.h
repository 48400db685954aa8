/* decode.h — chunked conversion of UTF-16LE, UTF-16BE and CP932 to UTF-8
 * (glibc iconv) for the CSV reader, keeping exact source byte offsets.
 *
 * Input arrives in chunks of any size; a character split across chunks is held
 * back until its remaining bytes arrive. An undecodable sequence becomes the
 * byte TKG_DECODE_SENTINEL in the output (0xFF never occurs in UTF-8) and an
 * entry in the error list with its source offset and bytes. UTF-8 input needs
 * no decoder: the CSV reader validates it in place.
 *
 * Ownership: tkg_decoder_new returns a decoder the caller frees with
 * tkg_decoder_free. Output and errors handed back by a call stay valid until
 * the next call on the same decoder. */
#ifndef TKG_DECODE_H
#define TKG_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "dialect.h"

#define TKG_DECODE_SENTINEL 0xFF

typedef struct {
    size_t pos;             /* index of the sentinel in this call's output */
    uint64_t offset;        /* source byte offset of the undecodable sequence */
    unsigned char bytes[4]; /* the sequence as it is in the source */
    unsigned char nbytes;   /* 1..2 bytes, replaced by one sentinel */
} tkg_decode_error;

typedef struct {
    const unsigned char *out; /* UTF-8, possibly with sentinels */
    size_t len;
    const tkg_decode_error *errors; /* in output order */
    size_t nerrors;
} tkg_decoded;

typedef struct tkg_decoder tkg_decoder;

/* Offsets count from the first byte fed (the caller adds the length of a BOM).
 * Returns NULL for TKG_ENC_UTF8, when iconv lacks the encoding, or when out of memory. */
tkg_decoder *tkg_decoder_new(tkg_encoding enc);
void tkg_decoder_free(tkg_decoder *d);

/* Converts a bounded prefix of in[0..n) and returns how many bytes of in it
 * consumed (at least one when n > 0; bytes held back for the next call count as
 * consumed). Fills *res with the output of this call. */
size_t tkg_decoder_feed(tkg_decoder *d, const unsigned char *in, size_t n, tkg_decoded *res);

/* Ends the input: a held-back incomplete sequence is undecodable. */
void tkg_decoder_finish(tkg_decoder *d, tkg_decoded *res);

/* Source byte offset of the character starting at res->out[pos] of the last
 * call (pos == res->len gives the offset just after it). Calls between two
 * feeds must ask for non-decreasing positions: the decoder walks forward. */
uint64_t tkg_decoder_offset(tkg_decoder *d, size_t pos);

#endif
