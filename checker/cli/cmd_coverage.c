/* cmd_coverage.c — `tekigo coverage --profile P DECLARATION`: the procurement
 * check of a vendor's declared functions and forms against the function list
 * of the profile's business (libtekigo's tkg_coverage_check). */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "tekigo/tekigo.h"

int tkg_cli_coverage(tkg_cli *cli) {
    if (!cli->profile) {
        fprintf(stderr, "tekigo: coverage needs --profile (a business code such as 001, a profile "
                        "id[@version] or a path)\n");
        return TKG_EXIT_USAGE;
    }
    if (cli->ninputs != 1) {
        fprintf(stderr, "tekigo: coverage takes one declaration (.csv, .json or .xlsx; see "
                        "docs/coverage.md)\n");
        return TKG_EXIT_USAGE;
    }
    bool known_format = false;
    for (const char *const *f = tkg_report_formats(); *f; f++)
        known_format |= !strcmp(*f, cli->format);
    if (!known_format) {
        fprintf(stderr, "tekigo: unknown --format %s\n", cli->format);
        return TKG_EXIT_USAGE;
    }
    char err[1024];
    tkg_profile *p = NULL;
    if (tkg_profile_resolve_spec(cli->profile, cli->as_of, &p, err, sizeof err) != TKG_OK) {
        fprintf(stderr, "tekigo: %s\n", err);
        return TKG_EXIT_USAGE;
    }
    tkg_options opts = {cli->lang, cli->max_examples, cli->show_values,
                        NULL,      cli->as_of,        cli->timestamp};
    tkg_coverage *cov = NULL;
    int rc = TKG_EXIT_USAGE;
    if (tkg_coverage_check(p, cli->inputs[0], &opts, &cov, err, sizeof err) != TKG_OK) {
        fprintf(stderr, "tekigo: %s\n", err);
    } else {
        rc = tkg_cli_write_report(cli, tkg_coverage_report(cov));
    }
    tkg_coverage_free(cov);
    tkg_profile_free(p);
    return rc;
}
