/* report_xml.c — the XML report (`--format xml`): the whole report model written
 * with libxml2's xmlTextWriter, in the structure of docs/report.xsd and
 * docs/report-format.md. It is also the input of the HTML report's stylesheet.
 * Fixed order and no timestamp: the same run gives byte-identical output. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "report_common.h"

/* Every libxml2 call returns < 0 on failure; one flag collects them. */
typedef struct {
    xmlTextWriterPtr w;
    bool failed;
} xw;

static void chk(xw *x, int rc) {
    if (rc < 0) x->failed = true;
}

static void start(xw *x, const char *name) {
    chk(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void end(xw *x) {
    chk(x, xmlTextWriterEndElement(x->w));
}

static void attr(xw *x, const char *name, const char *value) {
    if (!value) return;
    char *safe = tkg_rep_xml_safe(value);
    if (!safe) {
        x->failed = true;
        return;
    }
    chk(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST safe));
    free(safe);
}

static void attr_u64(xw *x, const char *name, uint64_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    attr(x, name, buf);
}

static void attr_i64(xw *x, const char *name, int64_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    attr(x, name, buf);
}

/* <name>text</name>, or nothing when text is NULL. */
static void text_element(xw *x, const char *name, const char *text) {
    if (!text) return;
    char *safe = tkg_rep_xml_safe(text);
    if (!safe) {
        x->failed = true;
        return;
    }
    chk(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST safe));
    free(safe);
}

/* <name lang="…">text</name>, skipped when text is NULL. */
static void in_lang(xw *x, const char *name, const char *lang, const char *text) {
    if (!text) return;
    start(x, name);
    attr(x, "lang", lang);
    char *safe = tkg_rep_xml_safe(text);
    if (safe)
        chk(x, xmlTextWriterWriteString(x->w, BAD_CAST safe));
    else
        x->failed = true;
    free(safe);
    end(x);
}

static void titled(xw *x, const char *name, const char *ja, const char *en) {
    in_lang(x, name, "ja", ja);
    in_lang(x, name, "en", en);
}

/* <rule-count rule=… listed=… [exact="false"]/> for every rule with a listed
 * finding in the row, or with findings of which this row's may be left out. */
static void rule_counts(xw *x, const tkg_report *r, const tkg_rep_tally *t, size_t row) {
    for (int rule = 0; rule < R__COUNT; rule++) {
        uint64_t n = tkg_rep_listed(t, row, rule);
        bool exact = tkg_rep_exact(t, row, rule);
        if (!n && (exact || !r->counts[rule])) continue;
        start(x, "rule-count");
        attr(x, "rule", tkg_rule((tkg_rule_id)rule)->id);
        attr_u64(x, "listed", n);
        if (!exact) attr(x, "exact", "false");
        end(x);
    }
}

static void row_totals(xw *x, const tkg_report *r, const tkg_rep_tally *t, size_t row) {
    attr_u64(x, "listed", tkg_rep_row_listed(r, t, row, -1));
    attr_u64(x, "listed-errors", tkg_rep_row_listed(r, t, row, TKG_SEV_ERROR));
    attr_u64(x, "listed-warnings", tkg_rep_row_listed(r, t, row, TKG_SEV_WARNING));
    attr_u64(x, "listed-infos", tkg_rep_row_listed(r, t, row, TKG_SEV_INFO));
    if (!tkg_rep_row_exact(r, t, row)) attr(x, "exact", "false");
}

static void write_inputs(xw *x, const tkg_report *r, const tkg_rep_tally *t) {
    const tkg_profile *p = r->profile;
    start(x, "inputs");
    for (size_t i = 0; i < r->ninputs; i++) {
        const tkg_input *in = &r->inputs[i];
        start(x, "input");
        attr_u64(x, "n", i + 1);
        attr(x, "path", in->path);
        if (in->group >= 0) attr(x, "group", p->groups[in->group].name);
        attr(x, "readable", in->readable ? "true" : "false");
        attr(x, "read", in->read ? "true" : "false");
        if (in->read) {
            attr(x, "sha256", in->sha256);
            attr_u64(x, "bytes", in->bytes);
            attr_u64(x, "records", in->records);
        }
        row_totals(x, r, t, i);
        rule_counts(x, r, t, i);
        end(x);
    }
    size_t pkg = r->ninputs;
    if (tkg_rep_row_listed(r, t, pkg, -1)) { /* only when it has listed findings */
        start(x, "package");
        row_totals(x, r, t, pkg);
        rule_counts(x, r, t, pkg);
        end(x);
    }
    end(x);
}

static void write_summary(xw *x, const tkg_report *r) {
    uint64_t total = tkg_rep_total(r);
    start(x, "summary");
    attr_u64(x, "errors", r->totals[TKG_SEV_ERROR]);
    attr_u64(x, "warnings", r->totals[TKG_SEV_WARNING]);
    attr_u64(x, "infos", r->totals[TKG_SEV_INFO]);
    attr_u64(x, "findings", total);
    attr_u64(x, "listed", r->nsorted);
    attr_u64(x, "examples-left-out", total - r->nsorted);
    attr_u64(x, "max-examples", r->max_examples);
    for (int i = 0; i < R__COUNT; i++) {
        if (!r->counts[i]) continue;
        const tkg_rule_def *def = tkg_rule((tkg_rule_id)i);
        start(x, "rule");
        attr(x, "id", def->id);
        attr(x, "severity", tkg_severity_name(r->severity[i]));
        attr_u64(x, "count", r->counts[i]);
        attr_u64(x, "listed", r->heap_len[i]);
        titled(x, "title", def->title_ja, def->title_en);
        end(x);
    }
    /* Every finding per item (exact, unlike counting the listed examples). */
    const tkg_profile *p = r->profile;
    for (size_t g = 0; r->item_counts && g < p->ngroups; g++) {
        const uint64_t *c = r->item_counts[g];
        for (size_t i = 0; c && i < p->groups[g].nitems; i++) {
            if (!c[i * 3] && !c[i * 3 + 1] && !c[i * 3 + 2]) continue;
            start(x, "item-count");
            attr(x, "group", p->groups[g].name);
            attr(x, "id", p->groups[g].items[i].id);
            attr(x, "name", p->groups[g].items[i].name);
            attr_u64(x, "errors", c[i * 3 + TKG_SEV_ERROR]);
            attr_u64(x, "warnings", c[i * 3 + TKG_SEV_WARNING]);
            attr_u64(x, "infos", c[i * 3 + TKG_SEV_INFO]);
            end(x);
        }
    }
    end(x);
}

static void write_coverage(xw *x, const tkg_report *r) {
    if (!r->ncoverage) return;
    start(x, "coverage");
    for (size_t i = 0; i < r->ncoverage; i++) {
        const tkg_coverage_row *c = &r->coverage[i];
        start(x, "requirement");
        attr(x, "id", c->id);
        attr(x, "kind", c->kind);
        attr(x, "category", c->category);
        if (c->declared >= 0) attr(x, "declared", c->declared ? "true" : "false");
        attr(x, "verdict", c->verdict);
        if (c->name) {
            char *safe = tkg_rep_xml_safe(c->name);
            if (safe) chk(x, xmlTextWriterWriteString(x->w, BAD_CAST safe));
            free(safe);
        }
        end(x);
    }
    end(x);
}

static void write_findings(xw *x, const tkg_report *r) {
    start(x, "findings");
    for (size_t i = 0; i < r->nsorted; i++) {
        const tkg_example *e = r->sorted[i];
        const tkg_diag *d = &e->d;
        start(x, "finding");
        attr(x, "rule", d->rule);
        attr(x, "severity", tkg_severity_name(d->severity));
        if (e->input < r->ninputs) attr_u64(x, "input", (uint64_t)e->input + 1);
        attr(x, "file", d->file);
        if (d->line) attr_u64(x, "line", d->line);
        if (d->record != TKG_NO_RECORD) attr_i64(x, "record", d->record);
        if (d->column) attr_u64(x, "column", d->column);
        attr(x, "item-id", d->item_id);
        attr(x, "pointer", d->pointer); /* JSON Pointer of a finding in a JSON payload */
        text_element(x, "item", d->item);
        text_element(x, "value", d->value);
        text_element(x, "message", d->message ? d->message : "");
        end(x);
    }
    end(x);
}

xmlBufferPtr tkg_report_to_xml(const tkg_report *r) {
    tkg_rep_tally t;
    if (!tkg_rep_tally_build(r, &t)) return NULL;
    xmlBufferPtr buf = xmlBufferCreate();
    xw x = {buf ? xmlNewTextWriterMemory(buf, 0) : NULL, false};
    if (!x.w) {
        if (buf) xmlBufferFree(buf);
        tkg_rep_tally_free(&t);
        return NULL;
    }
    const tkg_profile *p = r->profile;
    chk(&x, xmlTextWriterSetIndent(x.w, 1));
    chk(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
    chk(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
    start(&x, "tekigo-report");
    attr(&x, "format-version", "1");
    attr(&x, "lang", r->en ? "en" : "ja");
    start(&x, "tool");
    attr(&x, "name", "tekigo");
    attr(&x, "version", tkg_version());
    attr(&x, "sha256", tkg_tool_sha256()); /* the exact build, as in the JSON report */
    end(&x);
    if (r->timestamp) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        start(&x, "created");
        xmlTextWriterWriteString(x.w, BAD_CAST when);
        end(&x);
    }
    start(&x, "profile");
    attr(&x, "id", p->id);
    attr(&x, "version", p->version);
    attr(&x, "business", p->business);
    attr(&x, "fidelity", p->fidelity);
    attr(&x, "sha256", p->sha256);
    titled(&x, "title", p->title_ja, p->title_en);
    end(&x);
    text_element(&x, "as-of", r->as_of);
    text_element(&x, "verdict", tkg_report_verdict(r));
    write_inputs(&x, r, &t);
    write_summary(&x, r);
    write_coverage(&x, r);
    write_findings(&x, r);
    end(&x);
    chk(&x, xmlTextWriterEndDocument(x.w));
    xmlFreeTextWriter(x.w); /* flushes into buf */
    tkg_rep_tally_free(&t);
    if (x.failed) {
        xmlBufferFree(buf);
        return NULL;
    }
    return buf;
}

tkg_status tkg_write_xml(const tkg_report *r, FILE *out) {
    xmlBufferPtr buf = tkg_report_to_xml(r);
    if (!buf) return TKG_E_NOMEM;
    size_t n = (size_t)xmlBufferLength(buf);
    bool ok = fwrite(xmlBufferContent(buf), 1, n, out) == n;
    xmlBufferFree(buf);
    return ok && !ferror(out) ? TKG_OK : TKG_E_IO;
}
