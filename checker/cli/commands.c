/* commands.c — the tekigo commands (check, profiles, rules) as thin users of
 * the libtekigo public API, and the entry point that dispatches to them. */
#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "tekigo/tekigo.h"

int tkg_cli_write_report(const tkg_cli *cli, const tkg_report *rep) {
    FILE *out = stdout;
    if (cli->output && !(out = fopen(cli->output, "w"))) {
        fprintf(stderr, "tekigo: cannot write %s: %s\n", cli->output, strerror(errno));
        return TKG_EXIT_USAGE;
    }
    char err[1024] = "";
    int rc = tkg_report_exit_code(rep);
    tkg_status ws = cli->key ? tkg_report_write_signed(rep, out, cli->key, err, sizeof err)
                             : tkg_report_write(rep, cli->format, out);
    if (ws == TKG_E_USAGE) {
        fprintf(stderr, "tekigo: %s\n", err);
        rc = TKG_EXIT_USAGE;
    } else if (ws != TKG_OK) {
        fprintf(stderr, "tekigo: cannot write the report\n");
        rc = TKG_EXIT_INPUT;
    }
    if (out != stdout && fclose(out) != 0) rc = TKG_EXIT_INPUT;
    return rc;
}

int tkg_cli_check(tkg_cli *cli) {
    if (!cli->profile) {
        fprintf(stderr, "tekigo: check needs --profile (see tekigo profiles)\n");
        return TKG_EXIT_USAGE;
    }
    if (cli->ninputs == 0) {
        fprintf(stderr, "tekigo: check needs at least one file, directory or - (standard input)\n");
        return TKG_EXIT_USAGE;
    }
    bool known_format = false;
    for (const char *const *f = tkg_report_formats(); *f; f++)
        known_format |= !strcmp(*f, cli->format);
    if (!known_format) {
        fprintf(stderr, "tekigo: unknown --format %s (see tekigo --help)\n", cli->format);
        return TKG_EXIT_USAGE;
    }
    char err[1024];
    /* A package that declares its version (tekigo-manifest.json) is checked against that
     * version when --profile names an id without @version. */
    char *m_profile = NULL, *m_version = NULL, spec[512];
    if (tkg_manifest_find(cli->inputs, cli->ninputs, &m_profile, &m_version, err, sizeof err) !=
        TKG_OK) {
        fprintf(stderr, "tekigo: %s\n", err);
        return TKG_EXIT_USAGE;
    }
    snprintf(spec, sizeof spec, "%s", cli->profile);
    /* Only an id without a version follows the manifest; a path is a path. */
    size_t plen = strlen(cli->profile);
    struct stat pst;
    bool is_path = strchr(cli->profile, '/') ||
                   (plen > 5 && !strcmp(cli->profile + plen - 5, ".json")) ||
                   (stat(cli->profile, &pst) == 0 && S_ISREG(pst.st_mode));
    if (m_version && !strchr(cli->profile, '@') && !is_path) {
        if (strcmp(m_profile, cli->profile) != 0) {
            fprintf(stderr, "tekigo: the package declares profile %s, not %s\n", m_profile,
                    cli->profile);
            free(m_profile);
            free(m_version);
            return TKG_EXIT_USAGE;
        }
        snprintf(spec, sizeof spec, "%s@%s", cli->profile, m_version);
    }
    free(m_profile);
    free(m_version);
    tkg_profile *p = NULL;
    if (tkg_profile_resolve_spec(spec, cli->as_of, &p, err, sizeof err) != TKG_OK) {
        fprintf(stderr, "tekigo: %s\n", err);
        return TKG_EXIT_USAGE;
    }
    if (cli->key && strcmp(cli->format, "json")) {
        fprintf(stderr, "tekigo: --key signs JSON reports: use --format json\n");
        tkg_profile_free(p);
        return TKG_EXIT_USAGE;
    }
    tkg_options opts = {cli->lang,  cli->max_examples, cli->show_values,
                        cli->group, cli->as_of,        cli->timestamp};
    tkg_run *run = tkg_run_new(p, &opts);
    if (!run) {
        fprintf(stderr, "tekigo: out of memory\n");
        tkg_profile_free(p);
        return TKG_EXIT_USAGE;
    }
    int rc = TKG_EXIT_USAGE;
    for (size_t i = 0; i < cli->ninputs; i++)
        tkg_run_add_input(run, cli->inputs[i]);
    tkg_status st = tkg_run_execute(run);
    if (st == TKG_E_USAGE) {
        fprintf(stderr, "tekigo: --group %s is not a group of profile %s\n",
                cli->group ? cli->group : "", tkg_profile_id(p));
    } else if (st != TKG_OK) {
        fprintf(stderr, "tekigo: the check failed (status %d)\n", (int)st);
    } else {
        rc = tkg_cli_write_report(cli, tkg_run_report(run));
    }
    tkg_run_free(run);
    tkg_profile_free(p);
    return rc;
}

static void print_profile(void *ctx, const tkg_profile *p) {
    json_t *list = ctx;
    const char *from = tkg_profile_effective_from(p), *to = tkg_profile_effective_to(p);
    if (list) {
        json_t *o = json_pack(
            "{s:s,s:s,s:s,s:s,s:{s:s?,s:s?},s:{s:s,s:s},s:s?,s:s,s:s}", "id", tkg_profile_id(p),
            "version", tkg_profile_version(p), "business", tkg_profile_business(p), "fidelity",
            tkg_profile_fidelity(p), "effective", "from", from, "to", to, "title", "ja",
            tkg_profile_title(p, "ja"), "en", tkg_profile_title(p, "en"), "extends",
            tkg_profile_extends(p), "sha256", tkg_profile_sha256(p), "path", tkg_profile_path(p));
        json_array_append_new(list, o);
        return;
    }
    printf("%s\t%s\t%s\t%s\t%s..%s\t%s\n", tkg_profile_id(p), tkg_profile_version(p),
           tkg_profile_business(p), tkg_profile_fidelity(p), from ? from : "", to ? to : "",
           tkg_profile_title(p, "ja"));
}

int tkg_cli_profiles(tkg_cli *cli) {
    bool as_json = !strcmp(cli->format, "json");
    if (!as_json && strcmp(cli->format, "text")) {
        fprintf(stderr, "tekigo: profiles --format takes text or json\n");
        return TKG_EXIT_USAGE;
    }
    json_t *list = as_json ? json_array() : NULL;
    tkg_status st = tkg_profiles_list(print_profile, list);
    if (list) {
        json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(list);
    }
    return st == TKG_OK ? 0 : TKG_EXIT_USAGE;
}

int tkg_cli_rules(tkg_cli *cli) {
    size_t n;
    const tkg_rule_info *rules = tkg_rules(&n);
    bool en = !strcmp(cli->lang, "en");
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\t%s\n", rules[i].id, tkg_severity_name(rules[i].severity),
               en ? rules[i].title_en : rules[i].title_ja);
    return 0;
}

int tkg_cli_main(int argc, char **argv) {
    tkg_cli cli;
    if (!tkg_cli_parse(&cli, argc, argv, stderr)) {
        free(cli.inputs);
        return TKG_EXIT_USAGE;
    }
    int rc;
    if (cli.man) {
        tkg_cli_man(stdout);
        rc = 0;
    } else if (cli.version) {
        printf("tekigo %s\n", tkg_version());
        rc = 0;
    } else if (cli.help || !cli.command || !strcmp(cli.command, "help")) {
        tkg_cli_help(&cli, stdout);
        rc = cli.command || cli.help ? 0 : TKG_EXIT_USAGE;
    } else {
        const cli_command *cmd = NULL;
        for (size_t i = 0; i < TKG_CLI_NCOMMANDS; i++)
            if (!strcmp(TKG_CLI_COMMANDS[i].name, cli.command)) cmd = &TKG_CLI_COMMANDS[i];
        if (cmd) {
            rc = cmd->run(&cli);
        } else {
            fprintf(stderr, "tekigo: unknown command \"%s\" (see tekigo --help)\n", cli.command);
            rc = TKG_EXIT_USAGE;
        }
    }
    free(cli.inputs);
    return rc;
}
