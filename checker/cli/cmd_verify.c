/* cmd_verify.c — `tekigo verify REPORT INPUTS...`: does a report belong to these inputs? */
#include <string.h>

#include "cli.h"
#include "tekigo/tekigo.h"

int tkg_cli_verify(tkg_cli *cli) {
    if (cli->ninputs < 2) {
        fprintf(stderr, "tekigo: verify takes a JSON report and the inputs it was made from\n");
        return TKG_EXIT_USAGE;
    }
    if (strcmp(cli->format, "text") && strcmp(cli->format, "json")) {
        fprintf(stderr, "tekigo: verify --format takes text or json\n");
        return TKG_EXIT_USAGE;
    }
    int rc = TKG_EXIT_USAGE;
    tkg_verify(cli->inputs[0], cli->inputs + 1, cli->ninputs - 1, cli->key, cli->format,
               !strcmp(cli->lang, "en"), stdout, &rc);
    return rc;
}
