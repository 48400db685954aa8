/* fuzz_csv.c — libFuzzer target for the CSV reader: the first byte picks the
 * dialect (encoding, BOM policy, quote, newline), the rest is fed in chunks
 * whose sizes come from the data too, so chunk boundaries get fuzzed as well. */
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

static void on_record(void *ctx, const tkg_csv_record *rec) {
    size_t *n = ctx;
    for (size_t i = 0; i < rec->nfields; i++)
        *n += rec->fields[i].len;
}

static void on_issue(void *ctx, const tkg_csv_issue *issue) {
    (void)ctx;
    (void)issue;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint8_t mode = data[0], chunk = (uint8_t)(data[1] | 1);
    data += 2;
    size -= 2;
    tkg_dialect d = {.encoding = (tkg_encoding)(mode & 3),
                     .bom = (tkg_bom_policy)((mode >> 2) % 3),
                     .delimiter = (mode & 16) ? '\t' : ',',
                     .quote = (mode & 32) ? 0 : '"',
                     .newline = (tkg_newline)((mode >> 6) % 3),
                     .header = TKG_HDR_EITHER,
                     .repeat_separator = ';'};
    size_t total = 0;
    tkg_csv_callbacks cb = {on_record, on_issue, &total};
    tkg_csv_limits limits = {4096, 64, 65536}; /* small limits reach the truncation paths */
    tkg_csv_reader *r = tkg_csv_new(&d, &limits, &cb);
    if (!r) return 0;
    for (size_t off = 0; off < size; off += chunk)
        tkg_csv_feed(r, data + off, size - off < chunk ? size - off : chunk);
    tkg_csv_finish(r);
    tkg_csv_free(r);
    return 0;
}
