/* report_json.c — the JSON report (docs/report-format.md). Built with jansson
 * in a fixed key order so that the same run gives byte-identical output. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

static json_t *str_or_null(const char *s) {
    return s ? json_string(s) : json_null();
}

/* Paths and names come from the file system: not always UTF-8 (CP932 zip names). */
static json_t *clean_or_null(const char *s) {
    if (!s) return json_null();
    char *c = tkg_report_clean(s);
    json_t *j = json_string(c ? c : "");
    free(c);
    return j;
}

static json_t *finding_json(const tkg_diag *d) {
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(d->rule));
    json_object_set_new(o, "severity", json_string(tkg_severity_name(d->severity)));
    json_object_set_new(o, "file", clean_or_null(d->file));
    json_object_set_new(o, "line", d->line ? json_integer((json_int_t)d->line) : json_null());
    json_object_set_new(o, "record",
                        d->record == TKG_NO_RECORD ? json_null() : json_integer(d->record));
    json_object_set_new(o, "column", d->column ? json_integer(d->column) : json_null());
    if (d->pointer) json_object_set_new(o, "pointer", json_string(d->pointer));
    json_object_set_new(o, "item_id", str_or_null(d->item_id));
    json_object_set_new(o, "item", str_or_null(d->item));
    json_object_set_new(o, "value", str_or_null(d->value));
    json_object_set_new(o, "message", json_string(d->message));
    return o;
}

json_t *tkg_report_to_json(const tkg_report *r) {
    const tkg_profile *p = r->profile;
    json_t *root = json_object();
    json_t *tool = json_object();
    json_object_set_new(tool, "name", json_string("tekigo"));
    json_object_set_new(tool, "version", json_string(tkg_version()));
    const char *build = tkg_tool_sha256();
    if (build) json_object_set_new(tool, "sha256", json_string(build));
    json_object_set_new(root, "tool", tool);
    json_t *prof = json_object();
    json_object_set_new(prof, "id", json_string(p->id));
    json_object_set_new(prof, "version", json_string(p->version));
    json_object_set_new(prof, "business", json_string(p->business));
    json_object_set_new(prof, "fidelity", json_string(p->fidelity));
    json_object_set_new(prof, "sha256", json_string(p->sha256));
    if (p->extends) json_object_set_new(prof, "extends", json_string(p->extends));
    json_t *overrides = json_array();
    for (int i = 0; i < R__COUNT; i++) {
        if (p->severity[i] == TKG_SEV_DEFAULT) continue;
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(tkg_rule((tkg_rule_id)i)->id));
        json_object_set_new(o, "severity",
                            json_string(p->severity[i] == TKG_SEV_OFF
                                            ? "off"
                                            : tkg_severity_name((tkg_severity)p->severity[i])));
        json_object_set_new(o, "reason", str_or_null(p->reasons[i]));
        json_array_append_new(overrides, o);
    }
    if (json_array_size(overrides))
        json_object_set_new(prof, "overrides", overrides);
    else
        json_decref(overrides);
    json_object_set_new(root, "profile", prof);
    json_object_set_new(root, "as_of", json_string(r->as_of));
    if (r->timestamp) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_object_set_new(root, "created", json_string(when));
    }
    json_t *inputs = json_array();
    for (size_t i = 0; i < r->ninputs; i++) {
        const tkg_input *in = &r->inputs[i];
        json_t *o = json_object();
        json_object_set_new(o, "path", clean_or_null(in->path));
        json_object_set_new(o, "group",
                            in->group >= 0 ? json_string(p->groups[in->group].name) : json_null());
        json_object_set_new(o, "sha256", in->read ? json_string(in->sha256) : json_null());
        json_object_set_new(o, "bytes",
                            in->read ? json_integer((json_int_t)in->bytes) : json_null());
        json_object_set_new(o, "records",
                            in->read ? json_integer((json_int_t)in->records) : json_null());
        json_array_append_new(inputs, o);
    }
    json_object_set_new(root, "inputs", inputs);
    json_object_set_new(root, "verdict", json_string(tkg_report_verdict(r)));
    json_t *sum = json_object();
    json_object_set_new(sum, "errors", json_integer((json_int_t)r->totals[TKG_SEV_ERROR]));
    json_object_set_new(sum, "warnings", json_integer((json_int_t)r->totals[TKG_SEV_WARNING]));
    json_object_set_new(sum, "infos", json_integer((json_int_t)r->totals[TKG_SEV_INFO]));
    json_t *by_rule = json_object();
    uint64_t total = 0;
    for (int i = 0; i < R__COUNT; i++) {
        total += r->counts[i];
        if (r->counts[i])
            json_object_set_new(by_rule, tkg_rule((tkg_rule_id)i)->id,
                                json_integer((json_int_t)r->counts[i]));
    }
    json_object_set_new(sum, "by_rule", by_rule);
    json_object_set_new(sum, "examples_left_out", json_integer((json_int_t)(total - r->nsorted)));
    json_object_set_new(root, "summary", sum);
    if (r->coverage_version) {
        json_t *cs = json_object();
        json_object_set_new(cs, "business", json_string(r->profile->business));
        json_object_set_new(cs, "version", json_string(r->coverage_version));
        json_object_set_new(cs, "profile_version", json_string(r->profile->version));
        json_object_set_new(cs, "fallback", json_boolean(r->coverage_fallback));
        json_object_set_new(root, "coverage_spec", cs);
    }
    if (r->ncoverage) {
        json_t *cov = json_array();
        for (size_t i = 0; i < r->ncoverage; i++) {
            const tkg_coverage_row *c = &r->coverage[i];
            json_t *o = json_object();
            json_object_set_new(o, "id", json_string(c->id));
            json_object_set_new(o, "kind", json_string(c->kind));
            json_object_set_new(o, "name", str_or_null(c->name));
            json_object_set_new(o, "category", json_string(c->category));
            json_object_set_new(o, "declared",
                                c->declared < 0 ? json_null() : json_boolean(c->declared));
            json_object_set_new(o, "verdict", json_string(c->verdict));
            json_array_append_new(cov, o);
        }
        json_object_set_new(root, "coverage", cov);
    }
    json_t *findings = json_array();
    for (size_t i = 0; i < r->nsorted; i++)
        json_array_append_new(findings, finding_json(&r->sorted[i]->d));
    json_object_set_new(root, "findings", findings);
    return root;
}

tkg_status tkg_write_json(const tkg_report *r, FILE *out) {
    json_t *root = tkg_report_to_json(r);
    if (!root) return TKG_E_NOMEM;
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF) return TKG_E_IO;
    return TKG_OK;
}
