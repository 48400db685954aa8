/* cli.h — the tekigo command line: its whole state in one struct, and the
 * option table that drives parsing, --help and the man page.
 *
 * Ownership: the struct borrows argv strings; inputs is malloc'd and freed by
 * tkg_cli_main. */
#ifndef TKG_CLI_H
#define TKG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tekigo/tekigo.h"

typedef enum {
    OPT_PROFILE,
    OPT_GROUP,
    OPT_FORMAT,
    OPT_OUTPUT,
    OPT_LANG,
    OPT_MAX_EXAMPLES,
    OPT_SHOW_VALUES,
    OPT_AS_OF,
    OPT_HELP,
    OPT_VERSION,
    OPT_KEY,
    OPT_TIMESTAMP,
    /* -- options of later commands: add ids here -- */
    OPT__COUNT
} cli_option_id;

typedef struct {
    cli_option_id id;
    const char *long_name;
    char short_name;      /* 0 when none */
    const char *arg;      /* argument name, NULL for a flag */
    const char *commands; /* commands it applies to, e.g. "check" or "*" */
    const char *help_en, *help_ja;
} cli_option;

typedef struct tkg_cli tkg_cli;

typedef struct {
    const char *name;
    const char *synopsis;
    const char *help_en, *help_ja;
    int (*run)(tkg_cli *cli);
} cli_command;

extern const cli_option TKG_CLI_OPTIONS[OPT__COUNT];
extern const cli_command TKG_CLI_COMMANDS[];
extern const size_t TKG_CLI_NCOMMANDS;

struct tkg_cli {
    const char *command;
    const char *profile, *group, *format, *output, *lang, *as_of;
    size_t max_examples;
    bool show_values, help, version, man;
    const char **inputs;
    size_t ninputs;
    const char *key; /* --key: Ed25519 key (PEM) to sign (check) or verify with */
    bool timestamp;
    /* -- options of later commands: add fields here -- */
};

/* Parses argv into cli; on a usage error prints a message to err and returns false. */
bool tkg_cli_parse(tkg_cli *cli, int argc, char **argv, FILE *err);
void tkg_cli_help(const tkg_cli *cli, FILE *out);
void tkg_cli_man(FILE *out);

/* Writes a report as --format / --output / --key say; returns the exit status. */
int tkg_cli_write_report(const tkg_cli *cli, const tkg_report *rep);
int tkg_cli_check(tkg_cli *cli);
int tkg_cli_profiles(tkg_cli *cli);
int tkg_cli_rules(tkg_cli *cli);
/* -- later commands, one file each (checker/cli/cmd_<name>.c): declare them here -- */
int tkg_cli_coverage(tkg_cli *cli);
int tkg_cli_diff(tkg_cli *cli);
int tkg_cli_verify(tkg_cli *cli);
int tkg_cli_import(tkg_cli *cli);
int tkg_cli_main(int argc, char **argv);

#endif
