/* main.c — the tekigo executable: one call into the CLI, as xmllint and cmark do. */
#include "cli.h"

int main(int argc, char **argv) {
    return tkg_cli_main(argc, argv);
}
