/* options.c — the option and command tables, and everything derived from them:
 * argument parsing, --help (Japanese or English) and the roff man page. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tekigo/tekigo.h"

const cli_option TKG_CLI_OPTIONS[OPT__COUNT] = {
    {OPT_PROFILE, "profile", 'p', "ID|PATH", "check coverage",
     "profile to check against: an id (e.g. jumin-kihon-daicho, or id@version) or a .json path",
     "検査に使うプロファイル: ID（例 jumin-kihon-daicho、id@版）または .json のパス"},
    {OPT_GROUP, "group", 'g', "NAME", "check",
     "group for files whose name matches no group's file-name pattern",
     "ファイル名がどのグループのパターンにも一致しないファイルのグループ"},
    {OPT_FORMAT, "format", 'f', "FORMAT", "check coverage profiles diff",
     "report format: text (default), json, xml, html (one self-contained page), junit, sarif, csv "
     "or xlsx; profiles and diff: text or json",
     "レポート形式: "
     "text（既定）、json、xml、html（単独で開ける1ファイル）、junit、sarif、csv、xlsx。"
     "profiles と diff は text または json"},
    {OPT_OUTPUT, "output", 'o', "FILE", "check coverage import",
     "write the report (import: the profile) to FILE instead of standard output",
     "レポート（import ではプロファイル）を標準出力ではなく FILE に書く"},
    {OPT_LANG, "lang", 'l', "ja|en", "*", "language of messages (default ja)",
     "メッセージの言語（既定 ja）"},
    {OPT_MAX_EXAMPLES, "max-examples", 'n', "N", "check coverage",
     "examples kept per rule over the whole run (default 100); every finding is still counted",
     "規則ごとに保持する例の数（既定 100）。件数はすべて数えます"},
    {OPT_SHOW_VALUES, "show-values", 0, NULL, "check",
     "show personal values unmasked (masked by default)",
     "個人情報の値を伏せずに表示する（既定は伏せ字）"},
    {OPT_AS_OF, "as-of", 0, "YYYY-MM-DD", "check coverage",
     "reference date: picks the profile version in force (for an id without @version) and "
     "judges abolished master codes; default today",
     "基準日: 版を指定しない ID "
     "ではこの日に施行中の版を選び、マスターの廃止日を判定する（既定は今日）"},
    {OPT_HELP, "help", 'h', NULL, "*", "show this help", "このヘルプを表示する"},
    {OPT_VERSION, "version", 'V', NULL, "*", "show the version", "版を表示する"},
    {OPT_KEY, "key", 'k', "PEM", "check coverage verify",
     "check: sign the JSON report with this Ed25519 private key; verify: check the signature "
     "with this public (or private) key",
     "check: JSON レポートにこの Ed25519 秘密鍵で署名する。verify: "
     "この公開鍵（または秘密鍵）で署名を検証する"},
    {OPT_TIMESTAMP, "timestamp", 0, NULL, "check coverage",
     "record the time of the run in the report (reports are otherwise byte-identical)",
     "レポートに実行時刻を記録する（既定ではレポートは同じ入力に対してバイト単位で同一）"},
    /* -- options of later commands: add rows here (and a case in apply) -- */
};

const cli_command TKG_CLI_COMMANDS[] = {
    {"check", "tekigo check --profile ID [options] FILE|DIR|ZIP|-...",
     "check a data-export package (all inputs form one package; a .zip is read as delivered, "
     "its entries being the files) against a profile",
     "データ出力パッケージ（全入力で1パッケージ。.zip "
     "はそのまま読み、中のエントリをファイルとする）を"
     "プロファイルに照らして検査する",
     tkg_cli_check},
    {"profiles", "tekigo profiles [--format text|json]",
     "list the bundled profiles: id, version, business, fidelity, effective dates, title",
     "同梱プロファイルの一覧: ID、版、業務コード、忠実度、施行期間、名称", tkg_cli_profiles},
    {"rules", "tekigo rules", "list every rule with its ID, default severity and title",
     "全規則の ID、既定の重大度、名称の一覧", tkg_cli_rules},
    {"diff", "tekigo diff [--format text|json] PROFILE_A PROFILE_B",
     "list what changed between two profiles (versions): items added, removed, retyped, "
     "lengthened, requirements and codes; exit 1 when they differ",
     "2つのプロファイル（版）の差分: "
     "項目の追加・削除・型・桁数・出力条件・コードの変更。差分があれば終了コード 1",
     tkg_cli_diff},
    {"verify", "tekigo verify [--key PEM] [--format text|json] REPORT.json FILE|DIR...",
     "confirm or refute that a JSON report belongs to these inputs (SHA-256), and with --key "
     "that its signed verdict and findings were not edited",
     "JSON レポートがこれらの入力のものか（SHA-256）を確かめ、--key "
     "があれば署名で判定と所見の改ざんがないことを確かめる",
     tkg_cli_verify},
    {"coverage", "tekigo coverage --profile CODE|ID|PATH [options] DECLARATION",
     "check a vendor's declaration of implemented functions and forms (.csv, .json or .xlsx) "
     "against the function list of the business: every 実装必須 one implemented, no 実装不可 one",
     "ベンダーの実装機能・帳票の申告（.csv・.json・."
     "xlsx）を業務の機能要件・帳票要件に照らして確認する: "
     "実装必須はすべて実装、実装不可は実装なし",
     tkg_cli_coverage},
    {"import", "tekigo import WORKBOOK.xlsx [-o PROFILE.json]",
     "transcribe an official Excel specification into a profile: a 基本データリスト / 項目定義書 "
     "(with its コード一覧 sheets, written next to the profile as PROFILE.codes.json) or an API "
     "specification; what cannot be understood goes to standard error (errors: nothing written, "
     "exit 2)",
     "公式の Excel 仕様書をプロファイルに転記する: 基本データリスト・項目定義書（コード一覧は "
     "PROFILE.codes.json としてプロファイルの隣に書き出す）または API 仕様書。読み取れない箇所は"
     "標準エラーに出す（エラーがあれば何も書き出さず終了コード 2）",
     tkg_cli_import},
    /* -- later commands: add rows here -- */
};
const size_t TKG_CLI_NCOMMANDS = sizeof TKG_CLI_COMMANDS / sizeof TKG_CLI_COMMANDS[0];

static const char *EXIT_CODES_EN[] = {
    "0  conformant: no errors (warnings and infos allowed)",
    "1  not conformant: at least one error finding",
    "2  usage or profile error: nothing was checked",
    "3  an input could not be opened or read at all (wins over 1)",
};
static const char *EXIT_CODES_JA[] = {
    "0  適合: エラーなし（警告・情報は可）",
    "1  不適合: エラーが1件以上",
    "2  使い方またはプロファイルの誤り: 何も検査していません",
    "3  開けない・読めない入力がある（1 より優先）",
};

static const cli_option *find_long(const char *name, size_t len) {
    for (int i = 0; i < OPT__COUNT; i++)
        if (strlen(TKG_CLI_OPTIONS[i].long_name) == len &&
            !strncmp(TKG_CLI_OPTIONS[i].long_name, name, len))
            return &TKG_CLI_OPTIONS[i];
    return NULL;
}

static const cli_option *find_short(char c) {
    for (int i = 0; i < OPT__COUNT; i++)
        if (TKG_CLI_OPTIONS[i].short_name == c) return &TKG_CLI_OPTIONS[i];
    return NULL;
}

static bool apply(tkg_cli *cli, const cli_option *o, const char *arg, FILE *err) {
    switch (o->id) {
    case OPT_PROFILE:
        cli->profile = arg;
        break;
    case OPT_GROUP:
        cli->group = arg;
        break;
    case OPT_FORMAT:
        cli->format = arg;
        break;
    case OPT_OUTPUT:
        cli->output = arg;
        break;
    case OPT_LANG:
        if (strcmp(arg, "ja") && strcmp(arg, "en")) {
            fprintf(err, "tekigo: --lang takes ja or en, not \"%s\"\n", arg);
            return false;
        }
        cli->lang = arg;
        break;
    case OPT_MAX_EXAMPLES: {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > 1000000) {
            fprintf(err, "tekigo: --max-examples takes a number from 1 to 1000000, not \"%s\"\n",
                    arg);
            return false;
        }
        cli->max_examples = (size_t)n;
        break;
    }
    case OPT_SHOW_VALUES:
        cli->show_values = true;
        break;
    case OPT_AS_OF: {
        int y, m, d;
        char tail;
        if (strlen(arg) != 10 || sscanf(arg, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
            m > 12 || d < 1 || d > 31) {
            fprintf(err, "tekigo: --as-of takes a date YYYY-MM-DD, not \"%s\"\n", arg);
            return false;
        }
        cli->as_of = arg;
        break;
    }
    case OPT_HELP:
        cli->help = true;
        break;
    case OPT_VERSION:
        cli->version = true;
        break;
    case OPT_KEY:
        cli->key = arg;
        break;
    case OPT_TIMESTAMP:
        cli->timestamp = true;
        break;
    case OPT__COUNT:
        break;
    }
    return true;
}

bool tkg_cli_parse(tkg_cli *cli, int argc, char **argv, FILE *err) {
    memset(cli, 0, sizeof *cli);
    cli->format = "text";
    cli->lang = "ja";
    cli->inputs = calloc((size_t)argc + 1, sizeof *cli->inputs);
    if (!cli->inputs) return false;
    bool only_inputs = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_inputs || a[0] != '-' || !strcmp(a, "-")) {
            if (!cli->command)
                cli->command = a;
            else
                cli->inputs[cli->ninputs++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_inputs = true;
            continue;
        }
        if (!strcmp(a, "--man")) { /* for the build: regenerates docs/tekigo.1 */
            cli->man = true;
            continue;
        }
        const cli_option *o;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(a + 2, len);
            if (eq) val = eq + 1;
        } else {
            o = a[2] == '\0' ? find_short(a[1]) : NULL;
        }
        if (!o) {
            fprintf(err, "tekigo: unknown option %s (see tekigo --help)\n", a);
            return false;
        }
        if (o->arg && !val) {
            if (i + 1 >= argc) {
                fprintf(err, "tekigo: option --%s needs an argument %s\n", o->long_name, o->arg);
                return false;
            }
            val = argv[++i];
        } else if (!o->arg && val) {
            fprintf(err, "tekigo: option --%s takes no argument\n", o->long_name);
            return false;
        }
        if (!apply(cli, o, val, err)) return false;
    }
    return true;
}

void tkg_cli_help(const tkg_cli *cli, FILE *out) {
    bool en = cli->lang && !strcmp(cli->lang, "en");
    fprintf(out,
            en ? "tekigo %s — conformance checker for Japanese municipal standard systems\n\n"
               : "tekigo %s — 地方公共団体情報システム標準化基準の適合性検査ツール\n\n",
            tkg_version());
    fprintf(out, en ? "Commands:\n" : "コマンド:\n");
    for (size_t i = 0; i < TKG_CLI_NCOMMANDS; i++)
        fprintf(out, "  %s\n      %s\n", TKG_CLI_COMMANDS[i].synopsis,
                en ? TKG_CLI_COMMANDS[i].help_en : TKG_CLI_COMMANDS[i].help_ja);
    fprintf(out, en ? "\nOptions:\n" : "\nオプション:\n");
    for (int i = 0; i < OPT__COUNT; i++) {
        const cli_option *o = &TKG_CLI_OPTIONS[i];
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-28s %s\n", left, en ? o->help_en : o->help_ja);
    }
    fprintf(out, en ? "\nExit status:\n" : "\n終了コード:\n");
    for (size_t i = 0; i < 4; i++)
        fprintf(out, "  %s\n", en ? EXIT_CODES_EN[i] : EXIT_CODES_JA[i]);
}

static void roff_escape(FILE *out, const char *s) {
    for (; *s; s++) {
        if (*s == '-')
            fputs("\\-", out);
        else if (*s == '\\')
            fputs("\\e", out);
        else
            fputc(*s, out);
    }
}

void tkg_cli_man(FILE *out) {
    fprintf(out,
            ".\\\" Generated by `tekigo --man` from the option table in checker/cli/options.c.\n");
    fprintf(out, ".TH TEKIGO 1 \"\" \"tekigo %s\" \"User Commands\"\n", tkg_version());
    fprintf(out,
            ".SH NAME\ntekigo \\- conformance checker for Japanese municipal standard systems\n");
    fprintf(out, ".SH SYNOPSIS\n");
    for (size_t i = 0; i < TKG_CLI_NCOMMANDS; i++) {
        fputs(".B ", out);
        roff_escape(out, TKG_CLI_COMMANDS[i].synopsis);
        fputs("\n.br\n", out);
    }
    fprintf(out, ".SH COMMANDS\n");
    for (size_t i = 0; i < TKG_CLI_NCOMMANDS; i++) {
        fprintf(out, ".TP\n.B %s\n", TKG_CLI_COMMANDS[i].name);
        roff_escape(out, TKG_CLI_COMMANDS[i].help_en);
        fputs(".\n", out);
    }
    fprintf(out, ".SH OPTIONS\n");
    for (int i = 0; i < OPT__COUNT; i++) {
        const cli_option *o = &TKG_CLI_OPTIONS[i];
        fputs(".TP\n.B ", out);
        if (o->short_name) fprintf(out, "\\-%c, ", o->short_name);
        fprintf(out, "\\-\\-");
        roff_escape(out, o->long_name);
        if (o->arg) {
            fputs(" ", out);
            roff_escape(out, o->arg);
        }
        fputs("\n", out);
        roff_escape(out, o->help_en);
        fputs("\n", out);
    }
    fprintf(out, ".SH EXIT STATUS\n");
    for (size_t i = 0; i < 4; i++) {
        fputs(".TP\n.B ", out);
        fprintf(out, "%c\n", EXIT_CODES_EN[i][0]);
        roff_escape(out, EXIT_CODES_EN[i] + 3);
        fputs("\n", out);
    }
    fprintf(
        out,
        ".SH SEE ALSO\nREADME.md, docs/rules.md, docs/profile-format.md, docs/report-format.md\n");
}
