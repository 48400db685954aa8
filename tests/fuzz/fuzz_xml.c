/* fuzz_xml.c — libFuzzer target for the XML reader: the input is fed as one XML
 * file ("types.xml") through the public feed API against the XML test profile
 * (tests/cases/_profiles/xml-types.json: a namespace, attribute and XPath items,
 * a repeated item, assertions and a streaming XSD), in three chunks so that
 * token boundaries fall anywhere, and the reports are written. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tekigo/tekigo.h"

static tkg_profile *profile;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!profile) {
        char err[512];
        if (tkg_profile_load(TKG_FUZZ_XML_PROFILE, &profile, err, sizeof err) != TKG_OK) {
            fprintf(stderr, "fuzz_xml: %s\n", err);
            abort();
        }
    }
    tkg_options opts = {0};
    opts.lang = "en";
    opts.max_examples = 5;
    opts.as_of = "2026-01-01";
    tkg_run *run = tkg_run_new(profile, &opts);
    if (!run) return 0;
    size_t a = size / 3, b = size - size / 3;
    tkg_run_feed_begin(run, "types.xml", NULL);
    tkg_run_feed(run, data, a);
    tkg_run_feed(run, data + a, b - a);
    tkg_run_feed(run, data + b, size - b);
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
