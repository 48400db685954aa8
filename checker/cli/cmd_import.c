/* cmd_import.c — `tekigo import WORKBOOK.xlsx [-o PROFILE.json]`: transcribes an
 * official Excel specification into a profile (docs/import.md). The problems the
 * import finds go to standard error, one per line; errors mean nothing is written.
 *
 * Exit status: 0 written (warnings allowed), 2 usage error or errors in the
 * workbook (nothing written), 3 the workbook cannot be read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tekigo/tekigo.h"

/* "out/profile.json" → "out/profile.codes.json" (malloc'd). */
static char *codes_path(const char *output) {
    size_t n = strlen(output);
    if (n > 5 && !strcmp(output + n - 5, ".json")) n -= 5;
    char *p = malloc(n + sizeof ".codes.json");
    if (p) {
        memcpy(p, output, n);
        strcpy(p + n, ".codes.json");
    }
    return p;
}

static const char *base_of(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int tkg_cli_import(tkg_cli *cli) {
    bool en = !strcmp(cli->lang, "en");
    if (cli->ninputs != 1) {
        fprintf(stderr, "tekigo: import takes one workbook (.xlsx)\n");
        return TKG_EXIT_USAGE;
    }
    tkg_import *im = NULL;
    char err[1024];
    tkg_status st = tkg_import_workbook(cli->inputs[0], &im, err, sizeof err);
    if (st == TKG_E_IO) {
        fprintf(stderr, "tekigo: %s\n", err);
        return TKG_EXIT_INPUT;
    }
    if (st != TKG_OK) {
        fprintf(stderr, "tekigo: the import failed (status %d)\n", (int)st);
        return TKG_EXIT_USAGE;
    }
    size_t n = tkg_import_nproblems(im), nerr = tkg_import_nerrors(im), shown_err = 0;
    for (size_t i = 0; i < n; i++) {
        bool is_error;
        const char *p = tkg_import_problem(im, i, &is_error);
        shown_err += is_error;
        fprintf(stderr, "tekigo: %s: %s\n",
                is_error ? (en ? "error" : "エラー") : (en ? "warning" : "警告"), p);
    }
    if (nerr > shown_err)
        fprintf(stderr, en ? "tekigo: … and %zu more errors\n" : "tekigo: … ほか %zu 件のエラー\n",
                nerr - shown_err);
    if (nerr) {
        if (en)
            fprintf(stderr, "tekigo: %zu errors in %s: no profile written\n", nerr, cli->inputs[0]);
        else
            fprintf(stderr, "tekigo: %s に %zu 件のエラー: プロファイルは書き出していません\n",
                    cli->inputs[0], nerr);
        tkg_import_free(im);
        return TKG_EXIT_USAGE;
    }
    int rc = 0;
    char *codes = NULL;
    if (cli->output && tkg_import_has_codes(im)) {
        codes = codes_path(cli->output);
        FILE *f = codes ? fopen(codes, "w") : NULL;
        if (!f || tkg_import_write_codes(im, f) != TKG_OK || fclose(f) != 0) {
            fprintf(stderr, "tekigo: cannot write %s: %s\n", codes ? codes : "", strerror(errno));
            free(codes);
            tkg_import_free(im);
            return TKG_EXIT_INPUT;
        }
    } else if (tkg_import_has_codes(im)) {
        fprintf(stderr,
                en ? "tekigo: warning: the code lists are not written to standard output: use "
                     "-o PROFILE.json to write them next to the profile\n"
                   : "tekigo: 警告: コード一覧は標準出力に書き出しません。-o PROFILE.json "
                     "でプロファイル"
                     "の隣に書き出します\n");
    }
    FILE *out = cli->output ? fopen(cli->output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "tekigo: cannot write %s: %s\n", cli->output, strerror(errno));
        rc = TKG_EXIT_INPUT;
    } else {
        if (tkg_import_write_profile(im, codes ? base_of(codes) : NULL, out) != TKG_OK)
            rc = TKG_EXIT_INPUT;
        if (out != stdout && fclose(out) != 0) rc = TKG_EXIT_INPUT;
        if (rc) fprintf(stderr, "tekigo: cannot write the profile\n");
    }
    free(codes);
    tkg_import_free(im);
    return rc;
}
