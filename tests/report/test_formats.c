/* test_formats.c — every report format from the same run of the same model.
 *
 *   test_formats SOURCE_DIR OUT_DIR
 *
 * Runs the library on the samples (and on variants: English, --max-examples 1
 * with a coverage matrix, an unreadable input, the conforming sample), writes
 * every format of each run into OUT_DIR, and checks:
 *   - byte identity: the same model written twice, and a second run of the
 *     same inputs, give the same bytes in every format (no timestamps);
 *   - xml:   validates against docs/report.xsd (libxml2 xmlSchemaValidate) and
 *            holds every finding and count of the model;
 *   - junit: the JUnit structure (testsuites/testsuite/testcase with at most
 *            one failure/error/skipped) and consistent tests/failures/errors/
 *            skipped counts at every level; failures name file:line:column;
 *   - sarif: the properties SARIF 2.1.0 requires (version, runs, tool.driver
 *            with a name, rules, results with message and valid levels,
 *            ruleIndex consistent, artifacts with sha-256 of the inputs);
 *   - csv:   read back with tekigo's own CSV reader: BOM, header, one row per
 *            finding with the model's values;
 *   - html:  one self-contained page: the verdict in words, inline SVG charts,
 *            no script, no external reference;
 *   - xlsx:  a zip (the python test reads the cells).
 * The HTML and xlsx files are left in OUT_DIR for the render test and people. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "csv.h"
#include "report.h"
#include "tekigo/tekigo.h"
#include "util.h"

static int failures;
static const char *src_dir, *out_dir;

static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

#define CHECK(cond, ...) \
    do {                 \
        if (!(cond)) fail(__VA_ARGS__); \
    } while (0)

static const char *FORMATS[] = {"text", "json", "xml", "html", "junit", "sarif", "csv", "xlsx"};
#define NFORMATS (sizeof FORMATS / sizeof FORMATS[0])

typedef struct {
    char *data;
    size_t len;
} bytes;

static bytes render(const tkg_report *rep, const char *format) {
    bytes b = {0};
    FILE *f = open_memstream(&b.data, &b.len);
    if (!f) abort();
    tkg_status st = tkg_report_write(rep, format, f);
    fclose(f);
    CHECK(st == TKG_OK, "%s: writer status %d", format, (int)st);
    return b;
}

static void save(const char *name, const char *format, const bytes *b) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", out_dir, name, format);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len) fail("cannot write %s", path);
    if (f) fclose(f);
}

typedef struct {
    const char *name;
    const char *lang;
    size_t max_examples;
    const char *inputs[4];
    bool coverage;
    const char *verdict;
} scenario;

static tkg_run *run_scenario(const tkg_profile *p, const scenario *s) {
    tkg_options o = {.lang = s->lang, .max_examples = s->max_examples, .as_of = "2026-01-01"};
    tkg_run *run = tkg_run_new(p, &o);
    if (!run) abort();
    for (int i = 0; i < 4 && s->inputs[i]; i++) {
        char *path = strcmp(s->inputs[i], "/nonexistent/missing.csv") ? tkg_path_join(src_dir, s->inputs[i])
                                                                       : tkg_strdup(s->inputs[i]);
        tkg_run_add_input(run, path);
        free(path);
    }
    CHECK(tkg_run_execute(run) == TKG_OK, "%s: run failed", s->name);
    if (s->coverage) { /* a coverage matrix as `tekigo coverage` would attach it */
        tkg_report *rep = (tkg_report *)tkg_run_report(run);
        static const struct { const char *id, *name, *kind, *cat, *verdict; int declared; } rows[] = {
            {"0010001", "住民記録の作成", "function", "required", "ok", 1},
            {"0010002", "異動届の受付", "function", "required", "missing", 0},
            {"0010003", "住民票の写しの交付", "form", "optional", "ok", -1},
            {"0019999", "独自機能 <&>", "function", "unknown", "unknown", 1},
            {"0010004", "実装不可の機能", "function", "forbidden", "forbidden", 1},
        };
        size_t n = sizeof rows / sizeof rows[0];
        rep->coverage = calloc(n, sizeof *rep->coverage);
        if (!rep->coverage) abort();
        for (size_t i = 0; i < n; i++) {
            rep->coverage[i].id = tkg_strdup(rows[i].id);
            rep->coverage[i].name = tkg_strdup(rows[i].name);
            rep->coverage[i].kind = rows[i].kind;
            rep->coverage[i].category = rows[i].cat;
            rep->coverage[i].verdict = rows[i].verdict;
            rep->coverage[i].declared = rows[i].declared;
        }
        rep->ncoverage = n;
    }
    return run;
}

/* ---- xml ---------------------------------------------------------------- */

static xmlDocPtr parse_xml(const bytes *b, const char *what) {
    xmlDocPtr doc = xmlReadMemory(b->data, (int)b->len, what, "UTF-8", XML_PARSE_NONET);
    CHECK(doc != NULL, "%s: not well-formed XML", what);
    return doc;
}

static long xpath_count(xmlDocPtr doc, const char *expr) {
    xmlXPathContextPtr c = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    long n = -1;
    if (o && o->type == XPATH_NUMBER) n = (long)o->floatval;
    else if (o && o->type == XPATH_NODESET) n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(c);
    return n;
}

static char *xpath_string(xmlDocPtr doc, const char *expr) {
    xmlXPathContextPtr c = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    char *s = NULL;
    if (o) {
        xmlChar *v = xmlXPathCastToString(o);
        s = tkg_strdup((const char *)v);
        xmlFree(v);
    }
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(c);
    return s;
}

static void check_xml(const scenario *s, const tkg_report *rep, const bytes *b) {
    xmlDocPtr doc = parse_xml(b, "xml");
    if (!doc) return;
    char xsd[4096];
    snprintf(xsd, sizeof xsd, "%s/docs/report.xsd", src_dir);
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
    xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
    CHECK(schema != NULL, "docs/report.xsd does not compile");
    if (schema) {
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        int rc = xmlSchemaValidateDoc(vc, doc);
        CHECK(rc == 0, "%s: the XML report does not validate against docs/report.xsd (%d)", s->name, rc);
        xmlSchemaFreeValidCtxt(vc);
        xmlSchemaFree(schema);
    }
    xmlSchemaFreeParserCtxt(pc);
    CHECK(xpath_count(doc, "count(/tekigo-report/findings/finding)") == (long)tkg_report_count(rep),
          "%s: xml findings != model", s->name);
    CHECK(xpath_count(doc, "count(/tekigo-report/inputs/input)") == (long)rep->ninputs,
          "%s: xml inputs != model", s->name);
    char *v = xpath_string(doc, "string(/tekigo-report/verdict)");
    CHECK(v && !strcmp(v, s->verdict), "%s: xml verdict %s", s->name, v ? v : "(none)");
    free(v);
    v = xpath_string(doc, "string(/tekigo-report/summary/@errors)");
    char want[32];
    snprintf(want, sizeof want, "%" PRIu64, tkg_report_total(rep, TKG_SEV_ERROR));
    CHECK(v && !strcmp(v, want), "%s: xml errors %s, model %s", s->name, v ? v : "", want);
    free(v);
    uint64_t listed = 0, by_rule = 0;
    for (int i = 0; i < R__COUNT; i++) by_rule += rep->counts[i];
    listed = (uint64_t)xpath_count(doc, "sum(/tekigo-report/summary/rule/@count)");
    CHECK(listed == by_rule, "%s: xml by-rule counts do not add up", s->name);
    CHECK(xpath_count(doc, "count(/tekigo-report/summary/rule[count(title) = 2])") ==
              xpath_count(doc, "count(/tekigo-report/summary/rule)"),
          "%s: a rule without both titles", s->name);
    CHECK(xpath_count(doc, "count(/tekigo-report/coverage/requirement)") == (long)rep->ncoverage,
          "%s: xml coverage rows", s->name);
    /* Counts per input add up to the model's per-input counts (every finding, kept or not). */
    uint64_t per_input = 0;
    for (size_t i = 0; i < rep->ninputs; i++)
        for (int k = 0; k < R__COUNT; k++) per_input += rep->inputs[i].counts[k];
    CHECK(xpath_count(doc, "sum(/tekigo-report/inputs/*/@listed)") == (long)per_input,
          "%s: listed per input do not add up", s->name);
    xmlFreeDoc(doc);
}

/* ---- junit -------------------------------------------------------------- */

static long attr_long(xmlNodePtr n, const char *name) {
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    long x = v ? strtol((const char *)v, NULL, 10) : -1;
    xmlFree(v);
    return x;
}

static void check_junit(const scenario *s, const tkg_report *rep, const bytes *b) {
    xmlDocPtr doc = parse_xml(b, "junit");
    if (!doc) return;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    CHECK(root && !xmlStrcmp(root->name, BAD_CAST "testsuites"), "%s: junit root is not testsuites", s->name);
    long t[4] = {0}, suites = 0;
    static const char *const KINDS[4] = {"tests", "failures", "errors", "skipped"};
    for (xmlNodePtr su = root ? root->children : NULL; su; su = su->next) {
        if (su->type != XML_ELEMENT_NODE) continue;
        CHECK(!xmlStrcmp(su->name, BAD_CAST "testsuite"), "%s: junit child %s", s->name, su->name);
        suites++;
        long c[4] = {0};
        xmlChar *sname = xmlGetProp(su, BAD_CAST "name");
        CHECK(sname && *sname, "%s: testsuite without a name", s->name);
        for (xmlNodePtr tc = su->children; tc; tc = tc->next) {
            if (tc->type != XML_ELEMENT_NODE || !xmlStrcmp(tc->name, BAD_CAST "properties")) continue;
            CHECK(!xmlStrcmp(tc->name, BAD_CAST "testcase"), "%s: testsuite child %s", s->name, tc->name);
            xmlChar *cn = xmlGetProp(tc, BAD_CAST "classname"), *nm = xmlGetProp(tc, BAD_CAST "name");
            CHECK(cn && nm && *nm, "%s: testcase without classname or name", s->name);
            xmlFree(cn);
            xmlFree(nm);
            c[0]++;
            int outcomes = 0;
            for (xmlNodePtr o = tc->children; o; o = o->next) {
                if (o->type != XML_ELEMENT_NODE) continue;
                int k = !xmlStrcmp(o->name, BAD_CAST "failure") ? 1
                        : !xmlStrcmp(o->name, BAD_CAST "error") ? 2
                        : !xmlStrcmp(o->name, BAD_CAST "skipped") ? 3 : 0;
                if (!k) {
                    CHECK(!xmlStrcmp(o->name, BAD_CAST "system-out"), "%s: testcase child %s", s->name, o->name);
                    continue;
                }
                outcomes++;
                c[k]++;
                xmlChar *msg = xmlGetProp(o, BAD_CAST "message");
                CHECK(msg && *msg, "%s: %s without a message", s->name, o->name);
                xmlFree(msg);
                if (k == 1) { /* a failure lists its findings as file:line:column */
                    xmlChar *body = xmlNodeGetContent(o);
                    CHECK(body && strstr((const char *)body, (const char *)sname) &&
                              strstr((const char *)body, ": "),
                          "%s: failure body without locations", s->name);
                    xmlFree(body);
                }
            }
            CHECK(outcomes <= 1, "%s: a testcase with %d outcomes", s->name, outcomes);
        }
        for (int k = 0; k < 4; k++) {
            CHECK(attr_long(su, KINDS[k]) == c[k], "%s: testsuite %s: %s=%ld, counted %ld", s->name,
                  sname, KINDS[k], attr_long(su, KINDS[k]), c[k]);
            t[k] += c[k];
        }
        xmlFree(sname);
    }
    for (int k = 0; k < 4; k++)
        CHECK(root && attr_long(root, KINDS[k]) == t[k], "%s: testsuites %s=%ld, counted %ld", s->name,
              KINDS[k], root ? attr_long(root, KINDS[k]) : -1, t[k]);
    CHECK(suites >= (long)rep->ninputs, "%s: %ld testsuites for %zu inputs", s->name, suites, rep->ninputs);
    bool errors_expected = !strcmp(s->verdict, "nonconformant") || !strcmp(s->verdict, "incomplete");
    CHECK(errors_expected == (t[1] + t[2] > 0), "%s: junit failures/errors do not match the verdict", s->name);
    CHECK(!strcmp(s->verdict, "incomplete") == (t[2] > 0), "%s: junit <error> only for IO001", s->name);
    xmlFreeDoc(doc);
}

/* ---- sarif -------------------------------------------------------------- */

static bool is_level(const char *l) {
    return l && (!strcmp(l, "error") || !strcmp(l, "warning") || !strcmp(l, "note") || !strcmp(l, "none"));
}

static const char *jstr(json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key));
}

static void check_sarif(const scenario *s, const tkg_report *rep, const bytes *b) {
    json_error_t err;
    json_t *root = json_loadb(b->data, b->len, 0, &err);
    CHECK(root != NULL, "%s: sarif is not JSON: %s", s->name, err.text);
    if (!root) return;
    CHECK(jstr(root, "version") && !strcmp(jstr(root, "version"), "2.1.0"), "%s: sarif version", s->name);
    json_t *runs = json_object_get(root, "runs");
    CHECK(json_is_array(runs) && json_array_size(runs) == 1, "%s: sarif runs", s->name);
    json_t *run = json_array_get(runs, 0);
    json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
    CHECK(jstr(driver, "name") && !strcmp(jstr(driver, "name"), "tekigo"), "%s: tool.driver.name", s->name);
    CHECK(!json_object_get(driver, "informationUri"), "%s: informationUri must be omitted", s->name);
    json_t *rules = json_object_get(driver, "rules");
    size_t nrules;
    const tkg_rule_info *infos = tkg_rules(&nrules);
    CHECK(json_array_size(rules) == nrules, "%s: sarif has %zu rules, the table %zu", s->name,
          json_array_size(rules), nrules);
    for (size_t i = 0; i < json_array_size(rules); i++) {
        json_t *r = json_array_get(rules, i);
        CHECK(jstr(r, "id") && i < nrules && !strcmp(jstr(r, "id"), infos[i].id), "%s: rule %zu id", s->name, i);
        CHECK(jstr(r, "name") && *jstr(r, "name"), "%s: rule %zu name", s->name, i);
        CHECK(jstr(json_object_get(r, "shortDescription"), "text"), "%s: rule %zu shortDescription", s->name, i);
        CHECK(jstr(json_object_get(r, "fullDescription"), "text"), "%s: rule %zu fullDescription", s->name, i);
        json_t *help = json_object_get(r, "help");
        CHECK(jstr(help, "text") && jstr(help, "markdown") && i < nrules &&
                  strstr(jstr(help, "text"), infos[i].title_ja) && strstr(jstr(help, "text"), infos[i].title_en),
              "%s: rule %zu help (ja+en)", s->name, i);
        CHECK(is_level(jstr(json_object_get(r, "defaultConfiguration"), "level")), "%s: rule %zu level", s->name, i);
    }
    json_t *results = json_object_get(run, "results");
    CHECK(json_array_size(results) == tkg_report_count(rep), "%s: sarif results != model", s->name);
    for (size_t i = 0; i < json_array_size(results); i++) {
        json_t *r = json_array_get(results, i);
        const tkg_diag *d = tkg_report_diag(rep, i);
        const char *id = jstr(r, "ruleId");
        CHECK(id && d && !strcmp(id, d->rule), "%s: result %zu ruleId", s->name, i);
        json_int_t idx = json_integer_value(json_object_get(r, "ruleIndex"));
        CHECK(id && idx >= 0 && (size_t)idx < nrules && !strcmp(infos[idx].id, id), "%s: result %zu ruleIndex", s->name, i);
        CHECK(is_level(jstr(r, "level")), "%s: result %zu level", s->name, i);
        CHECK(jstr(json_object_get(r, "message"), "text") && *jstr(json_object_get(r, "message"), "text"),
              "%s: result %zu message.text", s->name, i);
        json_t *locs = json_object_get(r, "locations");
        if (d && d->file) {
            json_t *pl = json_object_get(json_array_get(locs, 0), "physicalLocation");
            const char *uri = jstr(json_object_get(pl, "artifactLocation"), "uri");
            CHECK(uri && *uri && !strchr(uri, ' '), "%s: result %zu uri", s->name, i);
            json_t *region = json_object_get(pl, "region");
            if (d->line) {
                CHECK(json_integer_value(json_object_get(region, "startLine")) == (json_int_t)d->line,
                      "%s: result %zu startLine", s->name, i);
                CHECK(!json_object_get(region, "startColumn"), "%s: result %zu has a startColumn", s->name, i);
            }
        }
        json_t *props = json_object_get(r, "properties");
        json_t *field = json_object_get(props, "field");
        CHECK(d && (d->column ? json_integer_value(field) == d->column : json_is_null(field)),
              "%s: result %zu properties.field", s->name, i);
        CHECK(json_object_get(props, "record") && json_object_get(props, "item_id") &&
                  json_object_get(props, "item") && json_object_get(props, "value"),
              "%s: result %zu properties", s->name, i);
    }
    json_t *arts = json_object_get(run, "artifacts");
    CHECK(json_array_size(arts) == rep->ninputs, "%s: sarif artifacts", s->name);
    for (size_t i = 0; i < json_array_size(arts) && i < rep->ninputs; i++) {
        json_t *a = json_array_get(arts, i);
        CHECK(jstr(json_object_get(a, "location"), "uri"), "%s: artifact %zu uri", s->name, i);
        if (rep->inputs[i].read) {
            const char *h = jstr(json_object_get(a, "hashes"), "sha-256");
            CHECK(h && !strcmp(h, rep->inputs[i].sha256), "%s: artifact %zu sha-256", s->name, i);
        }
    }
    json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
    json_t *ok = json_object_get(inv, "executionSuccessful");
    CHECK(json_is_boolean(ok) && json_is_true(ok) == !tkg_report_incomplete(rep),
          "%s: invocations[0].executionSuccessful", s->name);
    json_decref(root);
}

/* ---- csv ---------------------------------------------------------------- */

typedef struct {
    const tkg_report *rep;
    const scenario *s;
    uint64_t records;
    int issues;
} csv_ctx;

static bool same_field(const char *csv, const char *model) {
    if (!model) return *csv == '\0';
    if (!strcmp(csv, model)) return true;
    return csv[0] == '\'' && !strcmp(csv + 1, model); /* formula guard */
}

static void on_record(void *ctx, const tkg_csv_record *rec) {
    csv_ctx *c = ctx;
    const scenario *s = c->s;
    CHECK(rec->nfields == 10, "%s: csv record %" PRIu64 " has %zu fields", s->name, rec->index, rec->nfields);
    if (rec->nfields != 10) return;
    if (c->records++ == 0) {
        static const char *const H[] = {"rule", "severity", "file", "line", "record", "column",
                                        "item_id", "item", "value", "message"};
        for (int i = 0; i < 10; i++) CHECK(!strcmp(rec->fields[i].data, H[i]), "%s: csv header %d", s->name, i);
        return;
    }
    const tkg_diag *d = tkg_report_diag(c->rep, c->records - 2);
    if (!d) {
        fail("%s: csv has more rows than findings", s->name);
        return;
    }
    char num[32];
    CHECK(!strcmp(rec->fields[0].data, d->rule), "%s: csv rule", s->name);
    CHECK(!strcmp(rec->fields[1].data, tkg_severity_name(d->severity)), "%s: csv severity", s->name);
    CHECK(same_field(rec->fields[2].data, d->file), "%s: csv file", s->name);
    snprintf(num, sizeof num, "%" PRIu64, d->line);
    CHECK(!strcmp(rec->fields[3].data, d->line ? num : ""), "%s: csv line", s->name);
    snprintf(num, sizeof num, "%" PRId64, d->record);
    CHECK(!strcmp(rec->fields[4].data, d->record != TKG_NO_RECORD ? num : ""), "%s: csv record", s->name);
    snprintf(num, sizeof num, "%u", d->column);
    CHECK(!strcmp(rec->fields[5].data, d->column ? num : ""), "%s: csv column", s->name);
    CHECK(same_field(rec->fields[6].data, d->item_id), "%s: csv item_id", s->name);
    CHECK(same_field(rec->fields[7].data, d->item), "%s: csv item", s->name);
    CHECK(same_field(rec->fields[8].data, d->value), "%s: csv value \"%s\"", s->name, rec->fields[8].data);
    CHECK(same_field(rec->fields[9].data, d->message), "%s: csv message", s->name);
}

static void on_issue(void *ctx, const tkg_csv_issue *issue) {
    csv_ctx *c = ctx;
    c->issues++;
    fail("%s: csv reader issue %d on line %" PRIu64, c->s->name, (int)issue->kind, issue->line);
}

static void check_csv(const scenario *s, const tkg_report *rep, const bytes *b) {
    CHECK(b->len >= 3 && !memcmp(b->data, "\xEF\xBB\xBF", 3), "%s: csv without a UTF-8 BOM", s->name);
    CHECK(b->len >= 2 && !memcmp(b->data + b->len - 2, "\r\n", 2), "%s: csv does not end in CRLF", s->name);
    tkg_dialect dialect = {TKG_ENC_UTF8, TKG_BOM_REQUIRED, ',', '"', TKG_NL_CRLF, TKG_HDR_NONE, 0};
    csv_ctx c = {rep, s, 0, 0};
    tkg_csv_callbacks cb = {on_record, on_issue, &c};
    tkg_csv_reader *rd = tkg_csv_new(&dialect, NULL, &cb);
    if (!rd) abort();
    tkg_csv_feed(rd, b->data, b->len);
    tkg_csv_finish(rd);
    tkg_csv_free(rd);
    CHECK(c.records == tkg_report_count(rep) + 1, "%s: csv has %" PRIu64 " records for %zu findings",
          s->name, c.records, tkg_report_count(rep));
}

/* ---- html --------------------------------------------------------------- */

static void walk_html(xmlNodePtr n, const scenario *s, int *svgs) {
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)n->name;
        if (!strcmp(name, "svg")) (*svgs)++;
        CHECK(strcmp(name, "script") && strcmp(name, "link") && strcmp(name, "img") &&
                  strcmp(name, "iframe") && strcmp(name, "object"),
              "%s: html has a <%s>", s->name, name);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            const char *an = (const char *)a->name;
            if (!strcmp(an, "src") || !strcmp(an, "href"))
                CHECK(v && v[0] == '#', "%s: html refers outside the page: %s=\"%s\"", s->name, an, v);
            CHECK(strncmp(an, "on", 2), "%s: html has an event handler %s", s->name, an);
            xmlFree(v);
        }
        walk_html(n->children, s, svgs);
    }
}

static void check_html(const scenario *s, const tkg_report *rep, const bytes *b) {
    CHECK(b->len > 15 && !memcmp(b->data, "<!DOCTYPE html>", 15), "%s: html doctype", s->name);
    htmlDocPtr doc = htmlReadMemory(b->data, (int)b->len, NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    CHECK(doc != NULL, "%s: html does not parse", s->name);
    if (!doc) return;
    int svgs = 0;
    walk_html(xmlDocGetRootElement(doc), s, &svgs);
    bool en = !strcmp(s->lang, "en");
    const char *word = !strcmp(s->verdict, "conformant")      ? (en ? "Conformant" : "適合")
                       : !strcmp(s->verdict, "nonconformant") ? (en ? "Not conformant" : "不適合")
                                                              : (en ? "Incomplete" : "判定不能");
    char expr[256];
    snprintf(expr, sizeof expr, "string(//div[@class='verdict-word'])");
    char *got = xpath_string(doc, expr);
    CHECK(got && !strcmp(got, word), "%s: html verdict \"%s\", want \"%s\"", s->name, got ? got : "", word);
    free(got);
    bool any = tkg_report_count(rep) > 0;
    CHECK(svgs >= (any ? 4 : 1), "%s: html has %d inline SVGs", s->name, svgs); /* icon + 3 charts */
    long rows = xpath_count(doc, "count(//table[contains(@class,'findings')]/tbody/tr)");
    CHECK(rows == (long)tkg_report_count(rep), "%s: html lists %ld findings, model %zu", s->name, rows,
          tkg_report_count(rep));
    CHECK((xpath_count(doc, "count(//section[@id='coverage'])") == 1) == (rep->ncoverage > 0),
          "%s: html coverage section", s->name);
    CHECK(!strstr(b->data, "http://") && !strstr(b->data, "https://"), "%s: html mentions a URL", s->name);
    xmlFreeDoc(doc);
}

/* ---- driver ------------------------------------------------------------- */

static void check_scenario(const tkg_profile *p, const scenario *s) {
    tkg_run *a = run_scenario(p, s), *b = run_scenario(p, s);
    const tkg_report *ra = tkg_run_report(a), *rb = tkg_run_report(b);
    CHECK(!strcmp(tkg_report_verdict(ra), s->verdict), "%s: verdict %s, want %s", s->name,
          tkg_report_verdict(ra), s->verdict);
    for (size_t f = 0; f < NFORMATS; f++) {
        bytes x = render(ra, FORMATS[f]), again = render(ra, FORMATS[f]), y = render(rb, FORMATS[f]);
        CHECK(x.len > 0, "%s: %s is empty", s->name, FORMATS[f]);
        CHECK(x.len == again.len && !memcmp(x.data, again.data, x.len),
              "%s: %s differs when the same model is written twice", s->name, FORMATS[f]);
        CHECK(x.len == y.len && !memcmp(x.data, y.data, x.len), "%s: %s differs between two runs",
              s->name, FORMATS[f]);
        save(s->name, FORMATS[f], &x);
        const char *fm = FORMATS[f];
        if (!strcmp(fm, "xml")) check_xml(s, ra, &x);
        else if (!strcmp(fm, "junit")) check_junit(s, ra, &x);
        else if (!strcmp(fm, "sarif")) check_sarif(s, ra, &x);
        else if (!strcmp(fm, "csv")) check_csv(s, ra, &x);
        else if (!strcmp(fm, "html")) check_html(s, ra, &x);
        else if (!strcmp(fm, "xlsx")) CHECK(x.len > 4 && !memcmp(x.data, "PK\3\4", 4), "%s: xlsx is not a zip", s->name);
        free(x.data);
        free(again.data);
        free(y.data);
    }
    tkg_run_free(a);
    tkg_run_free(b);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_formats SOURCE_DIR OUT_DIR\n");
        return 2;
    }
    src_dir = argv[1];
    out_dir = argv[2];
    char err[1024];
    tkg_profile *p = NULL;
    if (tkg_profile_load("jumin-kihon-daicho", &p, err, sizeof err) != TKG_OK) {
        fprintf(stderr, "cannot load the profile: %s\n", err);
        return 1;
    }
    const char *NC = "samples/jumin-kihon-daicho/nonconforming";
    const char *OK = "samples/jumin-kihon-daicho/conforming";
    const scenario scenarios[] = {
        {"nonconforming-ja", "ja", 0, {NC}, false, "nonconformant"},
        {"nonconforming-en", "en", 0, {NC}, false, "nonconformant"},
        {"left-out-coverage", "ja", 1, {NC}, true, "nonconformant"},
        {"unreadable", "en", 0, {NC, "/nonexistent/missing.csv"}, false, "incomplete"},
        {"conforming", "ja", 0, {OK}, false, "conformant"},
    };
    const char *const *names = tkg_report_formats();
    for (size_t f = 0; f < NFORMATS; f++) {
        bool found = false;
        for (const char *const *n = names; *n; n++) found |= !strcmp(*n, FORMATS[f]);
        CHECK(found, "format %s is not in tkg_report_formats()", FORMATS[f]);
    }
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) check_scenario(p, &scenarios[i]);
    tkg_profile_free(p);
    xmlCleanupParser();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("report formats: all checks passed (%zu scenarios x %zu formats)\n",
           sizeof scenarios / sizeof scenarios[0], NFORMATS);
    return 0;
}
