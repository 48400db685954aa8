/* cmd_diff.c — `tekigo diff A B`: what changed between two profiles. */
#include <string.h>

#include "cli.h"
#include "tekigo/tekigo.h"

int tkg_cli_diff(tkg_cli *cli) {
    if (cli->ninputs != 2) {
        fprintf(stderr, "tekigo: diff takes two profiles (ids, id@version or paths)\n");
        return TKG_EXIT_USAGE;
    }
    tkg_profile *a = NULL, *b = NULL;
    char err[1024];
    int rc = TKG_EXIT_USAGE;
    if (tkg_profile_resolve_spec(cli->inputs[0], cli->as_of, &a, err, sizeof err) != TKG_OK ||
        tkg_profile_resolve_spec(cli->inputs[1], cli->as_of, &b, err, sizeof err) != TKG_OK) {
        fprintf(stderr, "tekigo: %s\n", err);
    } else {
        size_t n = 0;
        tkg_status st = tkg_profile_diff(a, b, cli->format, !strcmp(cli->lang, "en"), stdout, &n);
        if (st == TKG_E_USAGE)
            fprintf(stderr, "tekigo: diff --format takes text or json\n");
        else if (st == TKG_OK)
            rc = n ? 1 : 0;
    }
    tkg_profile_free(a);
    tkg_profile_free(b);
    return rc;
}
