/* report_junit.c — the JUnit XML report (`--format junit`) for CI servers
 * (Jenkins, GitLab, …), written with libxml2's xmlTextWriter.
 *
 * One <testsuite> per input file (plus one for package-level findings when
 * there are any). In each: a "conformance" testcase (fails when the file has an
 * error finding), then one testcase per rule that has a finding anywhere in the
 * run, failing with the locations of its findings in that file. Warnings and
 * infos do not fail a testcase: they are listed in its <system-out>. An input
 * that could not be read gives <error> (IO001); its other testcases are
 * <skipped>. When findings of a rule were left out (--max-examples) and none
 * is listed for the file, whether the file has any is unknown: <skipped> too.
 * No timestamps, no times: byte-identical for the same run. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "report_common.h"
#include "util.h"

typedef struct {
    xmlTextWriterPtr w;
    bool failed;
} jw;

/* A writer without w only counts (the first pass: counts go on start tags). */
static void chk(jw *x, int rc) {
    if (rc < 0) x->failed = true;
}

static void start(jw *x, const char *name) {
    if (x->w) chk(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void end(jw *x) {
    if (x->w) chk(x, xmlTextWriterEndElement(x->w));
}

static void attr(jw *x, const char *name, const char *value) {
    if (!x->w) return;
    char *safe = tkg_rep_xml_safe(value ? value : "");
    if (!safe) {
        x->failed = true;
        return;
    }
    chk(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST safe));
    free(safe);
}

static void attr_u64(jw *x, const char *name, uint64_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    attr(x, name, buf);
}

static void text(jw *x, const char *s) {
    if (!x->w) return;
    char *safe = tkg_rep_xml_safe(s ? s : "");
    if (!safe) {
        x->failed = true;
        return;
    }
    chk(x, xmlTextWriterWriteString(x->w, BAD_CAST safe));
    free(safe);
}

/* What one testcase ends as. */
typedef enum { TC_PASS, TC_FAIL, TC_ERROR, TC_SKIP } tc_state;

typedef struct {
    uint64_t tests, failures, errors, skipped;
} counts;

/* One finding as a line: "file:line:column: RULE record N item(ID): message — value". */
static void finding_line(tkg_buf *b, const tkg_report *r, const tkg_diag *d) {
    bool en = r->en;
    tkg_buf_printf(b, "%s", d->file ? d->file : (en ? "(package)" : "（パッケージ）"));
    if (d->line) tkg_buf_printf(b, ":%" PRIu64, d->line);
    if (d->line && d->column) tkg_buf_printf(b, ":%u", d->column);
    tkg_buf_printf(b, ": %s %s", tkg_rep_severity_words(en, d->severity), d->rule);
    if (d->record > 0)
        tkg_buf_printf(b, en ? " record %" PRId64 : " レコード%" PRId64, d->record);
    else if (d->record == 0)
        tkg_buf_printf(b, en ? " header" : " 見出し行");
    if (d->column) tkg_buf_printf(b, en ? " field %u" : " %u列目", d->column);
    if (d->item) tkg_buf_printf(b, " %s(%s)", d->item, d->item_id ? d->item_id : "");
    if (d->pointer) tkg_buf_printf(b, " %s", d->pointer);
    tkg_buf_printf(b, ": %s", d->message ? d->message : "");
    if (d->value) tkg_buf_printf(b, en ? " — value \"%s\"" : "　値「%s」", d->value);
    tkg_buf_append(b, "\n", 1);
}

/* Findings of a row (and of one rule, or of all when rule < 0; of one severity,
 * or of all when sev < 0), one per line. */
static char *findings_text(const tkg_report *r, size_t row, int rule, int sev) {
    tkg_buf b = {0};
    uint64_t shown = 0;
    for (size_t i = 0; i < r->nsorted; i++) {
        const tkg_example *e = r->sorted[i];
        if (tkg_rep_row(r, e) != row) continue;
        if (rule >= 0 && tkg_rep_rule_index(e->d.rule) != rule) continue;
        if (sev >= 0 && (int)e->d.severity != sev) continue;
        finding_line(&b, r, &e->d);
        shown++;
    }
    /* Counted but not kept as examples (--max-examples): say so, with the file. */
    const uint64_t *counts = row < r->ninputs ? r->inputs[row].counts : r->package_counts;
    uint64_t total = 0;
    for (int k = 0; k < R__COUNT; k++)
        if ((rule < 0 || k == rule) && (sev < 0 || (int)r->severity[k] == sev)) total += counts[k];
    if (total > shown) {
        const char *where = row < r->ninputs ? r->inputs[row].path : "(package)";
        tkg_buf_printf(&b,
                       r->en ? "%s: %llu more not listed (--max-examples %zu per rule)\n"
                             : "%s: ほか %llu 件は例として表示していません（規則ごとに "
                               "--max-examples %zu 件まで）\n",
                       where, (unsigned long long)(total - shown), r->max_examples);
    }
    return b.data ? b.data : tkg_strdup("");
}

static void testcase(jw *x, counts *c, const char *classname, const char *name, tc_state st,
                     const char *type, const char *msg, const char *body, const char *out) {
    start(x, "testcase");
    attr(x, "classname", classname);
    attr(x, "name", name);
    c->tests++;
    if (st != TC_PASS) {
        const char *el = st == TC_FAIL ? "failure" : st == TC_ERROR ? "error" : "skipped";
        start(x, el);
        attr(x, "message", msg);
        if (st != TC_SKIP) attr(x, "type", type);
        if (body && *body) text(x, body);
        end(x);
        if (st == TC_FAIL)
            c->failures++;
        else if (st == TC_ERROR)
            c->errors++;
        else
            c->skipped++;
    }
    if (out && *out) {
        start(x, "system-out");
        text(x, out);
        end(x);
    }
    end(x);
}

static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) return tkg_strdup("");
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* The testcases of one row (only counted into c when x has no writer). */
static void suite_cases(jw *x, counts *c, const tkg_report *r, const tkg_rep_tally *t, size_t row,
                        const char *classname) {
    bool en = r->en;
    bool unreadable = row < r->ninputs && !r->inputs[row].readable;
    uint64_t errors = tkg_rep_row_listed(r, t, row, TKG_SEV_ERROR);
    bool errors_unknown = false;
    for (int rule = 0; rule < R__COUNT; rule++)
        if (r->counts[rule] && r->severity[rule] == TKG_SEV_ERROR && !tkg_rep_exact(t, row, rule))
            errors_unknown = true;

    /* conformance */
    char *body = findings_text(r, row, -1, TKG_SEV_ERROR);
    char *msg = NULL;
    tc_state st = TC_PASS;
    if (unreadable) {
        st = TC_ERROR;
        msg = fmt(en ? "the input could not be read" : "入力を読み込めません");
    } else if (errors) {
        st = TC_FAIL;
        msg = fmt(en ? "not conformant: %s%" PRIu64 " error findings"
                     : "不適合: エラー %s%" PRIu64 " 件",
                  errors_unknown ? (en ? "at least " : "少なくとも ") : "", errors);
    } else if (errors_unknown) {
        st = TC_SKIP;
        msg = fmt(en ? "not determined: findings were left out (--max-examples %zu)"
                     : "判定できません: 例の数の上限（--max-examples %zu）を超えた所見があります",
                  r->max_examples);
    }
    testcase(x, c, classname, "conformance", st, unreadable ? "IO001" : "nonconformant", msg, body,
             NULL);
    free(body);
    free(msg);

    for (int rule = 0; rule < R__COUNT; rule++) {
        if (!r->counts[rule]) continue;
        const tkg_rule_def *def = tkg_rule((tkg_rule_id)rule);
        char *name = fmt("%s %s", def->id, en ? def->title_en : def->title_ja);
        uint64_t n = tkg_rep_listed(t, row, rule);
        bool exact = tkg_rep_exact(t, row, rule);
        char *list = findings_text(r, row, rule, -1);
        const char *at_least = exact ? "" : (en ? "at least " : "少なくとも ");
        const char *title = en ? def->title_en : def->title_ja;
        st = TC_PASS;
        msg = NULL;
        const char *out = NULL;
        if (rule == R_IO001 && n) {
            st = TC_ERROR;
            msg = fmt("%s", title);
        } else if (unreadable) {
            st = TC_SKIP;
            msg = fmt(en ? "not checked: the input could not be read"
                         : "検査していません: 入力を読み込めません");
        } else if (n && r->severity[rule] == TKG_SEV_ERROR) {
            st = TC_FAIL;
            msg =
                fmt(en ? "%s%" PRIu64 " findings: %s" : "%s%" PRIu64 " 件: %s", at_least, n, title);
        } else if (n) {
            out = list; /* warnings and infos: listed, not failing */
        } else if (!exact) {
            st = TC_SKIP;
            msg =
                fmt(en ? "not determined: findings of this rule were left out (--max-examples %zu)"
                       : "判定できません: この規則の所見は例の数の上限（--max-examples "
                         "%zu）を超えています",
                    r->max_examples);
        }
        testcase(x, c, classname, name, st, def->id, msg, st == TC_PASS ? NULL : list, out);
        free(name);
        free(list);
        free(msg);
    }
}

static void property(jw *x, const char *name, const char *value) {
    if (!value) return;
    start(x, "property");
    attr(x, "name", name);
    attr(x, "value", value);
    end(x);
}

static const char *suite_name(const tkg_report *r, size_t row) {
    return row < r->ninputs ? r->inputs[row].path : (r->en ? "(package)" : "（パッケージ）");
}

/* The rows that get a testsuite: every input, and the package when it has
 * listed findings (a rule with package-level findings lists them). */
static size_t suite_rows(const tkg_report *r, const tkg_rep_tally *t) {
    size_t pkg = r->ninputs;
    return tkg_rep_row_listed(r, t, pkg, -1) ? pkg + 1 : pkg;
}

static void write_suite(jw *x, counts *total, const tkg_report *r, const tkg_rep_tally *t,
                        size_t row) {
    const tkg_profile *p = r->profile;
    const char *name = suite_name(r, row);
    counts c = {0};
    jw dry = {NULL, false};
    suite_cases(&dry, &c, r, t, row, name);
    start(x, "testsuite");
    attr(x, "name", name);
    attr_u64(x, "tests", c.tests);
    attr_u64(x, "failures", c.failures);
    attr_u64(x, "errors", c.errors);
    attr_u64(x, "skipped", c.skipped);
    start(x, "properties");
    char *prof = fmt("%s@%s", p->id, p->version);
    property(x, "profile", prof);
    free(prof);
    if (row < r->ninputs) {
        const tkg_input *in = &r->inputs[row];
        if (in->group >= 0) property(x, "group", p->groups[in->group].name);
        if (in->read) {
            property(x, "sha256", in->sha256);
            char *n = fmt("%" PRIu64, in->records);
            property(x, "records", n);
            free(n);
        }
    }
    end(x);
    counts again = {0};
    suite_cases(x, &again, r, t, row, name);
    end(x);
    total->tests += c.tests;
    total->failures += c.failures;
    total->errors += c.errors;
    total->skipped += c.skipped;
}

tkg_status tkg_write_junit(const tkg_report *r, FILE *out) {
    tkg_rep_tally t;
    if (!tkg_rep_tally_build(r, &t)) return TKG_E_NOMEM;
    size_t rows = suite_rows(r, &t);
    counts total = {0};
    jw dry = {NULL, false};
    for (size_t row = 0; row < rows; row++)
        write_suite(&dry, &total, r, &t, row);

    xmlBufferPtr buf = xmlBufferCreate();
    jw x = {buf ? xmlNewTextWriterMemory(buf, 0) : NULL, false};
    if (!x.w) {
        if (buf) xmlBufferFree(buf);
        tkg_rep_tally_free(&t);
        return TKG_E_NOMEM;
    }
    const tkg_profile *p = r->profile;
    chk(&x, xmlTextWriterSetIndent(x.w, 1));
    chk(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
    chk(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
    start(&x, "testsuites");
    char *name = fmt("tekigo %s@%s", p->id, p->version);
    attr(&x, "name", name);
    free(name);
    attr_u64(&x, "tests", total.tests);
    attr_u64(&x, "failures", total.failures);
    attr_u64(&x, "errors", total.errors);
    attr_u64(&x, "skipped", total.skipped);
    counts again = {0};
    for (size_t row = 0; row < rows; row++)
        write_suite(&x, &again, r, &t, row);
    end(&x);
    chk(&x, xmlTextWriterEndDocument(x.w));
    xmlFreeTextWriter(x.w);
    tkg_rep_tally_free(&t);
    tkg_status st = TKG_E_NOMEM;
    if (!x.failed) {
        size_t n = (size_t)xmlBufferLength(buf);
        st = fwrite(xmlBufferContent(buf), 1, n, out) == n && !ferror(out) ? TKG_OK : TKG_E_IO;
    }
    xmlBufferFree(buf);
    return st;
}
