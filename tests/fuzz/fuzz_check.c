/* fuzz_check.c — libFuzzer target for a whole check: the input is fed as one
 * CSV file through the public feed API against the test profile of data types
 * (every value rule, keys, masking, the JSON report), in two chunks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tekigo/tekigo.h"

static tkg_profile *profile;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!profile) {
        char err[512];
        if (tkg_profile_load(TKG_FUZZ_PROFILE, &profile, err, sizeof err) != TKG_OK) {
            fprintf(stderr, "fuzz_check: %s\n", err);
            abort();
        }
    }
    tkg_options opts = {"en", 5, false, NULL, "2026-01-01", false};
    tkg_run *run = tkg_run_new(profile, &opts);
    if (!run) return 0;
    tkg_run_feed_begin(run, "types.csv", NULL);
    tkg_run_feed(run, data, size / 2);
    tkg_run_feed(run, data + size / 2, size - size / 2);
    tkg_run_feed_end(run);
    tkg_run_finish(run);
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        tkg_report_write(tkg_run_report(run), "json", sink);
        tkg_report_write(tkg_run_report(run), "text", sink);
        fclose(sink);
    }
    tkg_run_free(run);
    return 0;
}
