/* runner.c — the one driver of the data-driven tests (registered with ctest):
 *
 *   runner case    TEKIGO CASE_DIR [--update]
 *       tests/cases/<name>/: cmd (one argument per line, run in the case
 *       directory), expected.json (the report; verdict, summary and findings
 *       are compared) and exit (the expected exit status).
 *   runner samples TEKIGO SAMPLE_DIR
 *       samples/<profile>/: conforming/ must give no finding at all and exit 0;
 *       nonconforming/ must give exactly the defects listed in
 *       nonconforming.defects.json (rule, file, record, item, and pointer
 *       where a defect lists one), and exit 1.
 *   runner stream  TEKIGO PROFILE KIND MEGABYTES
 *       pipes a generated hostile input of that size into `tekigo check -`
 *       and checks the verdict, the expected rule, and the peak memory.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define AS_OF "2026-01-01"

static int failures;

static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

typedef struct {
    char *out; /* standard output of the child */
    size_t len;
    int status; /* exit status, or 128+signal */
    long maxrss_kb;
} run_result;

/* Runs argv in dir; feeds `feed` (if any) to its standard input. */
static run_result run(char *const argv[], const char *dir, void (*feed)(int fd, void *ctx),
                      void *ctx) {
    run_result r = {0};
    int out[2], in[2];
    if (pipe(out) != 0 || pipe(in) != 0) {
        perror("pipe");
        exit(2);
    }
    pid_t pid = fork();
    if (pid == 0) {
        if (dir && chdir(dir) != 0) _exit(127);
        dup2(out[1], 1);
        dup2(in[0], 0);
        close(out[0]);
        close(out[1]);
        close(in[0]);
        close(in[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(out[1]);
    close(in[0]);
    signal(SIGPIPE, SIG_IGN);
    /* The report is small; read it after feeding (the child writes it at the end). */
    if (feed) {
        pid_t writer = fork();
        if (writer == 0) {
            close(out[0]);
            feed(in[1], ctx);
            close(in[1]);
            _exit(0);
        }
        close(in[1]);
        size_t cap = 1 << 16;
        r.out = malloc(cap);
        ssize_t n;
        while ((n = read(out[0], r.out + r.len, cap - r.len)) > 0) {
            r.len += (size_t)n;
            if (r.len == cap) r.out = realloc(r.out, cap *= 2);
        }
        waitpid(writer, NULL, 0);
    } else {
        close(in[1]);
        size_t cap = 1 << 16;
        r.out = malloc(cap);
        ssize_t n;
        while ((n = read(out[0], r.out + r.len, cap - r.len)) > 0) {
            r.len += (size_t)n;
            if (r.len == cap) r.out = realloc(r.out, cap *= 2);
        }
    }
    close(out[0]);
    r.out = realloc(r.out, r.len + 1);
    r.out[r.len] = '\0';
    int status;
    struct rusage ru;
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        exit(2);
    }
    /* Children are run one at a time, so the largest waited-for child is tekigo. */
    getrusage(RUSAGE_CHILDREN, &ru);
    r.maxrss_kb = ru.ru_maxrss;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

/* ---- case ---------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len;
} stdin_data;

static void write_all(int fd, const char *p, size_t n);

static void feed_bytes(int fd, void *ctx) {
    const stdin_data *in = ctx;
    write_all(fd, in->data, in->len);
}

static int run_case(const char *tekigo, const char *dir, bool update) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cmd", dir);
    char *cmd = read_text(path);
    if (!cmd) {
        fail("%s: no cmd file", dir);
        return 1;
    }
    char *argv[256];
    int argc = 0;
    argv[argc++] = (char *)tekigo;
    for (char *line = strtok(cmd, "\n"); line && argc < 250; line = strtok(NULL, "\n"))
        if (*line && *line != '#') argv[argc++] = line;
    bool has_as_of = false;
    for (int i = 1; i < argc; i++)
        has_as_of |= !strcmp(argv[i], "--as-of");
    argv[argc++] = "--format";
    argv[argc++] = "json";
    if (!has_as_of) {
        argv[argc++] = "--as-of";
        argv[argc++] = AS_OF;
    }
    argv[argc] = NULL;
    /* env: KEY=VALUE lines for the child; $CASE stands for the case directory. */
    snprintf(path, sizeof path, "%s/env", dir);
    char *env = read_text(path);
    for (char *line = env ? strtok(env, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        char *eq = strchr(line, '=');
        if (!eq) continue;
        *eq = '\0';
        char value[4096];
        const char *v = eq + 1, *mark = strstr(v, "$CASE");
        if (mark)
            snprintf(value, sizeof value, "%.*s%s%s", (int)(mark - v), v, dir, mark + 5);
        else
            snprintf(value, sizeof value, "%s", v);
        setenv(line, value, 1);
    }
    free(env);
    snprintf(path, sizeof path, "%s/stdin", dir);
    struct stat st;
    stdin_data in = {NULL, 0};
    if (stat(path, &st) == 0) {
        in.data = read_text(path);
        in.len = (size_t)st.st_size;
    }
    run_result r = run(argv, dir, in.data ? feed_bytes : NULL, &in);
    char exit_path[4096];
    snprintf(exit_path, sizeof exit_path, "%s/exit", dir);
    if (r.status == 2) { /* usage or profile error: no report, only the status counts */
        if (update) {
            FILE *f = fopen(exit_path, "w");
            fprintf(f, "%d\n", r.status);
            fclose(f);
            return 0;
        }
        char *want_exit = read_text(exit_path);
        bool ok = want_exit && atoi(want_exit) == 2;
        free(want_exit);
        free(r.out);
        free(cmd);
        free(in.data);
        if (!ok) fail("%s: exit status 2 (usage or profile error)", dir);
        printf("%d passed, %d failed\n", ok, !ok);
        return ok ? 0 : 1;
    }
    json_error_t je;
    json_t *got = json_loads(r.out, 0, &je);
    if (!got) {
        fail("%s: tekigo printed no JSON report (exit %d): %s", dir, r.status, je.text);
        free(r.out);
        free(cmd);
        free(in.data);
        return 1;
    }
    snprintf(path, sizeof path, "%s/expected.json", dir);
    if (update) {
        json_dump_file(got, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        FILE *f = fopen(exit_path, "w");
        fprintf(f, "%d\n", r.status);
        fclose(f);
        printf("updated %s\n", dir);
        json_decref(got);
        free(r.out);
        free(cmd);
        free(in.data);
        return 0;
    }
    json_t *want = json_load_file(path, 0, &je);
    if (!want) {
        fail("%s: cannot read expected.json: %s", dir, je.text);
        json_decref(got);
        free(r.out);
        free(cmd);
        free(in.data);
        return 1;
    }
    char *want_exit = read_text(exit_path);
    int expected_status = want_exit ? atoi(want_exit) : -1;
    if (r.status != expected_status)
        fail("%s: exit status %d, expected %d", dir, r.status, expected_status);
    /* The parts of a report (or of a diff) that must not change; a key absent
     * from both is fine. */
    static const char *KEYS[] = {"verdict",       "summary", "findings", "coverage",
                                 "coverage_spec", "changes", "checks",   "signature_status"};
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
        json_t *a = json_object_get(got, KEYS[i]), *b = json_object_get(want, KEYS[i]);
        if (!a && !b) continue;
        if (!a || !b || !json_equal(a, b)) {
            char *sa = json_dumps(a, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
            char *sb = json_dumps(b, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
            fail("%s: \"%s\" differs\n--- expected\n%s\n--- got\n%s", dir, KEYS[i],
                 sb ? sb : "null", sa ? sa : "null");
            free(sa);
            free(sb);
        }
    }
    json_decref(got);
    json_decref(want);
    free(want_exit);
    free(r.out);
    free(cmd);
    free(in.data);
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
    return failures ? 1 : 0;
}

/* ---- samples ------------------------------------------------------------- */

static const char *basename_of(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static bool str_field_eq(json_t *a, json_t *b) {
    if (json_is_null(a) || !a) return json_is_null(b) || !b;
    return json_equal(a, b);
}

static bool matches(json_t *defect, json_t *finding) {
    const char *file = json_string_value(json_object_get(finding, "file"));
    const char *dfile = json_string_value(json_object_get(defect, "file"));
    if ((file == NULL) != (dfile == NULL)) return false;
    if (file && strcmp(basename_of(file), dfile) != 0) return false;
    return json_equal(json_object_get(defect, "rule"), json_object_get(finding, "rule")) &&
           str_field_eq(json_object_get(defect, "record"), json_object_get(finding, "record")) &&
           str_field_eq(json_object_get(defect, "item"), json_object_get(finding, "item")) &&
           /* JSON payloads: a listed "pointer" must be the finding's JSON Pointer */
           (!json_object_get(defect, "pointer") ||
            json_equal(json_object_get(defect, "pointer"), json_object_get(finding, "pointer")));
}

static json_t *check_dir(const char *tekigo, const char *profile, const char *dir, int *status) {
    char *argv[] = {(char *)tekigo, "check", "--profile",      (char *)profile, "--format",  "json",
                    "--as-of",      AS_OF,   "--max-examples", "1000",          (char *)dir, NULL};
    run_result r = run(argv, NULL, NULL, NULL);
    *status = r.status;
    json_error_t je;
    json_t *rep = json_loads(r.out, 0, &je);
    if (!rep) fail("%s: no JSON report (exit %d)", dir, r.status);
    free(r.out);
    return rep;
}

static int run_samples(const char *tekigo, const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/nonconforming.defects.json", dir);
    json_error_t je;
    json_t *defects = json_load_file(path, 0, &je);
    if (!defects) {
        fail("%s: %s", path, je.text);
        return 1;
    }
    const char *profile = json_string_value(json_object_get(defects, "profile"));
    int status;
    snprintf(path, sizeof path, "%s/conforming", dir);
    json_t *rep = check_dir(tekigo, profile, path, &status);
    int checks = 0;
    if (rep) {
        json_t *f = json_object_get(rep, "findings");
        checks++;
        if (json_array_size(f) != 0 || status != 0) {
            char *s = json_dumps(f, JSON_INDENT(1));
            fail("%s: conforming sample gave %zu findings (exit %d):\n%s", path, json_array_size(f),
                 status, s);
            free(s);
        }
        json_decref(rep);
    }
    snprintf(path, sizeof path, "%s/nonconforming", dir);
    rep = check_dir(tekigo, profile, path, &status);
    if (rep) {
        checks++;
        if (status != 1) fail("%s: exit %d, expected 1", path, status);
        json_t *findings = json_object_get(rep, "findings");
        json_t *list = json_object_get(defects, "defects");
        size_t i;
        json_t *d, *f;
        json_array_foreach(list, i, d) {
            checks++;
            bool found = false;
            size_t k;
            json_array_foreach(findings, k, f) found |= matches(d, f);
            if (!found) {
                char *s = json_dumps(d, JSON_COMPACT);
                fail("%s: listed defect not found: %s", path, s);
                free(s);
            }
        }
        json_array_foreach(findings, i, f) {
            checks++;
            bool listed = false;
            size_t k;
            json_array_foreach(list, k, d) listed |= matches(d, f);
            if (!listed) {
                char *s = json_dumps(f, JSON_COMPACT);
                fail("%s: finding not in the defect list: %s", path, s);
                free(s);
            }
        }
        json_decref(rep);
    }
    json_decref(defects);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}

/* ---- hostile streams ----------------------------------------------------- */

typedef struct {
    const char *kind;
    size_t bytes;
} stream_spec;

static void write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

/* XML streams (profile tests/hostile/xml-profile.json, records /試験/レコード):
 *   xml-records  millions of small records, each with a half-width name (E0002)
 *   xml-text     one element whose text never ends (XML007 at 10 MB)
 *   xml-deep     elements nested without end (XML001 past 256 levels)
 *   xml-record   one record element with endless children (XML006 at 8 MiB) */
static void feed_xml_stream(int fd, const stream_spec *s) {
    static char block[1 << 16];
    const char *head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<試験>\n";
    write_all(fd, head, strlen(head));
    const char *unit = "A";
    if (!strcmp(s->kind, "xml-records"))
        unit = "<レコード><宛名番号>1</宛名番号><氏名>\xEF\xBD\xB1</氏名></レコード>\n"; /* ｱ */
    else if (!strcmp(s->kind, "xml-deep"))
        unit = "<a>";
    else if (!strcmp(s->kind, "xml-record"))
        unit = "<氏名>"
               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA<"
               "/氏名>\n";
    if (!strcmp(s->kind, "xml-text"))
        write_all(fd, "<レコード><宛名番号>1</宛名番号><氏名>",
                  strlen("<レコード><宛名番号>1</宛名番号><氏名>"));
    if (!strcmp(s->kind, "xml-record")) write_all(fd, "<レコード>\n", strlen("<レコード>\n"));
    size_t n = strlen(unit), whole = sizeof block - sizeof block % n;
    for (size_t i = 0; i < whole; i += n)
        memcpy(block + i, unit, n);
    for (size_t done = 0; done + whole <= s->bytes; done += whole)
        write_all(fd, block, whole);
    if (!strcmp(s->kind, "xml-records")) write_all(fd, "</試験>\n", strlen("</試験>\n"));
}

/* Writes a header line, then the hostile body of spec->bytes. */
static void feed_stream(int fd, void *ctx) {
    const stream_spec *s = ctx;
    if (!strncmp(s->kind, "xml-", 4)) {
        feed_xml_stream(fd, s);
        return;
    }
    static char block[1 << 16];
    char fill = 'A';
    const char *head = "宛名番号,氏名\n";
    if (!strcmp(s->kind, "long-line")) {
        write_all(fd, head, strlen(head));
    } else if (!strcmp(s->kind, "open-quote")) {
        write_all(fd, head, strlen(head));
        write_all(fd, "1,\"", 3);
    } else if (!strcmp(s->kind, "many-fields")) {
        write_all(fd, head, strlen(head));
        fill = ',';
    } else if (!strcmp(s->kind, "wide-record")) {
        /* One record of many 1 MiB fields: the record budget, not the input, bounds memory. */
        write_all(fd, head, strlen(head));
        memset(block, 'A', sizeof block);
        for (size_t done = 0; done < s->bytes;) {
            for (size_t k = 0; k < ((size_t)1 << 20) / sizeof block; k++)
                write_all(fd, block, sizeof block);
            write_all(fd, ",", 1);
            done += ((size_t)1 << 20) + 1;
        }
        write_all(fd, "\n", 1);
        return;
    } else if (!strcmp(s->kind, "many-records")) {
        /* Millions of records, each with a half-width katakana name (E0002) and the
         * same key (KEY001): findings are counted, examples stay bounded. */
        write_all(fd, head, strlen(head));
        static const char rec[] = "1,\xEF\xBD\xB1\n"; /* 1,ｱ */
        for (size_t i = 0; i + sizeof rec - 1 <= sizeof block; i += sizeof rec - 1)
            memcpy(block + i, rec, sizeof rec - 1);
        size_t whole = sizeof block - sizeof block % (sizeof rec - 1);
        for (size_t done = 0; done + whole <= s->bytes; done += whole)
            write_all(fd, block, whole);
        return;
    }
    memset(block, fill, sizeof block);
    for (size_t done = 0; done < s->bytes; done += sizeof block)
        write_all(fd, block, s->bytes - done < sizeof block ? s->bytes - done : sizeof block);
}

static int run_stream(const char *tekigo, const char *profile, const char *kind, long mb) {
    stream_spec s = {kind, (size_t)mb << 20};
    char *argv[] = {
        (char *)tekigo, "check", "--profile", (char *)profile, "--format", "json", "--as-of",
        AS_OF,          "-",     NULL};
    run_result r = run(argv, NULL, feed_stream, &s);
    json_error_t je;
    json_t *rep = json_loads(r.out, 0, &je);
    int checks = 0;
    checks++;
    if (!rep) {
        fail("%s: no JSON report (exit %d)", kind, r.status);
    } else {
        checks++;
        if (r.status != 1) fail("%s: exit %d, expected 1", kind, r.status);
        json_t *by_rule = json_object_get(json_object_get(rep, "summary"), "by_rule");
        const char *want = !strcmp(kind, "long-line")     ? "CSV004"
                           : !strcmp(kind, "open-quote")  ? "CSV001"
                           : !strcmp(kind, "many-fields") ? "CSV005"
                           : !strcmp(kind, "wide-record") ? "CSV004"
                           : !strcmp(kind, "xml-text")    ? "XML007"
                           : !strcmp(kind, "xml-deep")    ? "XML001"
                           : !strcmp(kind, "xml-record")  ? "XML006"
                                                          : "E0002";
        checks++;
        if (!json_object_get(by_rule, want)) {
            char *sum = json_dumps(by_rule, JSON_COMPACT);
            fail("%s: expected rule %s in %s", kind, want, sum);
            free(sum);
        }
    }
    /* Memory must be bounded by the profile, not the input: allow 64 MiB. */
    checks++;
    if (r.maxrss_kb > 64 * 1024)
        fail("%s: peak memory %ld KiB for a %ld MiB input", kind, r.maxrss_kb, mb);
    fprintf(stderr, "%s: %ld MiB input, peak RSS %ld KiB\n", kind, mb, r.maxrss_kb);
    json_decref(rep);
    free(r.out);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}

/* ---- docs ---------------------------------------------------------------- */

/* Every rule `tekigo rules` prints is documented, and the man page is the one
 * the option table generates (regenerate: tekigo --man > docs/tekigo.1). */
static int run_docs(const char *tekigo, const char *root) {
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/rules.md", root);
    char *doc = read_text(path);
    char *argv_rules[] = {(char *)tekigo, "rules", NULL};
    run_result r = run(argv_rules, NULL, NULL, NULL);
    int checks = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        if (tab) *tab = '\0';
        char cell[64];
        snprintf(cell, sizeof cell, "| %s |", line);
        checks++;
        if (!doc || !strstr(doc, cell)) fail("rule %s is not documented in docs/rules.md", line);
    }
    snprintf(path, sizeof path, "%s/docs/tekigo.1", root);
    char *man = read_text(path);
    char *argv_man[] = {(char *)tekigo, "--man", NULL};
    run_result m = run(argv_man, NULL, NULL, NULL);
    checks++;
    if (!man || strcmp(man, m.out) != 0)
        fail("docs/tekigo.1 is not what `tekigo --man` prints: regenerate it");
    free(doc);
    free(man);
    free(r.out);
    free(m.out);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}

/* ---- reproducibility ----------------------------------------------------- */

/* The same inputs and profile give byte-identical reports, run after run. */
static int run_repro(int argc, char **argv) {
    char *args[64];
    int n = 0;
    args[n++] = argv[2];
    for (int i = 3; i < argc && n < 60; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    run_result a = run(args, NULL, NULL, NULL), b = run(args, NULL, NULL, NULL);
    int checks = 1;
    if (a.len == 0 || a.len != b.len || memcmp(a.out, b.out, a.len) != 0)
        fail("two runs of the same check gave different reports (%zu and %zu bytes)", a.len, b.len);
    free(a.out);
    free(b.out);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc >= 4 && !strcmp(argv[1], "repro")) return run_repro(argc, argv);
    if (argc == 4 && !strcmp(argv[1], "docs")) return run_docs(argv[2], argv[3]);
    if (argc >= 4 && !strcmp(argv[1], "case"))
        return run_case(argv[2], argv[3], argc > 4 && !strcmp(argv[4], "--update"));
    if (argc == 4 && !strcmp(argv[1], "samples")) return run_samples(argv[2], argv[3]);
    if (argc == 6 && !strcmp(argv[1], "stream"))
        return run_stream(argv[2], argv[3], argv[4], atol(argv[5]));
    fprintf(stderr, "usage: runner case TEKIGO DIR [--update] | samples TEKIGO DIR | "
                    "stream TEKIGO PROFILE KIND MB | docs TEKIGO ROOT\n");
    return 2;
}
