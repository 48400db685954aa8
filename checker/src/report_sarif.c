/* report_sarif.c — the SARIF 2.1.0 report (`--format sarif`) for code-scanning
 * tools, built with jansson in a fixed key order (byte-identical for the same run).
 *
 * Mapping (docs/report-format.md, "SARIF"): every rule of the table is a
 * reportingDescriptor; every kept finding a result. A finding's column is a
 * field index, not a character column, so it goes into the result's property
 * bag as "field" and the region has only startLine. Inputs are artifacts with
 * their SHA-256; an input that could not be read makes the invocation
 * unsuccessful and adds a tool execution notification. */
#include <stdlib.h>
#include <string.h>

#include "report_common.h"
#include "util.h"

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static json_t *str_or_null(const char *s) {
    return s ? json_string(s) : json_null();
}

static const char *level_of(tkg_severity s) {
    return s == TKG_SEV_ERROR ? "error" : s == TKG_SEV_WARNING ? "warning" : "note";
}

/* "required value missing" → "RequiredValueMissing": SARIF's rule name is an
 * identifier; ASCII letters and digits of the English title, words capitalised. */
static char *rule_name(const char *title) {
    tkg_buf b = {0};
    bool up = true;
    for (const char *s = title; *s; s++) {
        char c = *s;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            up = true;
            continue;
        }
        if (up && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        up = false;
        tkg_buf_append(&b, &c, 1);
    }
    return b.data ? b.data : tkg_strdup("Rule");
}

static json_t *message(const char *text) {
    json_t *m = json_object();
    json_object_set_new(m, "text", json_string(text));
    return m;
}

/* A URI reference for a path as given: unreserved characters and "/" are kept,
 * everything else (spaces, non-ASCII bytes of Japanese names, …) is
 * percent-encoded; an absolute path becomes a file: URI. */
static char *path_uri(const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    tkg_buf b = {0};
    if (path[0] == '/') tkg_buf_append(&b, "file://", 7);
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        unsigned char c = *s;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            tkg_buf_append(&b, s, 1);
        } else {
            char pct[3] = {'%', hex[c >> 4], hex[c & 15]};
            tkg_buf_append(&b, pct, 3);
        }
    }
    return b.data ? b.data : tkg_strdup("");
}

static json_t *safe_string(const char *s) {
    /* jansson wants UTF-8; values and messages are, paths may not be. */
    char *safe = tkg_rep_xml_safe(s);
    json_t *j = json_string(safe ? safe : "");
    free(safe);
    return j;
}

static json_t *rule_descriptor(int i, const tkg_severity *severity) {
    const tkg_rule_def *def = tkg_rule((tkg_rule_id)i);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(def->id));
    char *name = rule_name(def->title_en);
    json_object_set_new(o, "name", json_string(name));
    free(name);
    json_object_set_new(o, "shortDescription", message(def->title_en));
    tkg_buf full = {0}, text = {0}, md = {0};
    tkg_buf_printf(&full, "%s (%s). Default severity: %s.", def->title_en, def->title_ja,
                   tkg_severity_name(def->severity));
    tkg_buf_printf(&text, "%s — %s / %s\nja: %s\nen: %s", def->id, def->title_ja, def->title_en,
                   def->msg_ja, def->msg_en);
    tkg_buf_printf(&md, "**%s** %s — %s\n\n- ja: %s\n- en: %s\n\nSee docs/rules.md of tekigo.",
                   def->id, def->title_ja, def->title_en, def->msg_ja, def->msg_en);
    json_t *fd = json_object();
    json_object_set_new(fd, "text", json_string(full.data ? full.data : ""));
    json_object_set_new(o, "fullDescription", fd);
    json_t *help = json_object();
    json_object_set_new(help, "text", json_string(text.data ? text.data : ""));
    json_object_set_new(help, "markdown", json_string(md.data ? md.data : ""));
    json_object_set_new(o, "help", help);
    tkg_buf_free(&full);
    tkg_buf_free(&text);
    tkg_buf_free(&md);
    json_t *conf = json_object();
    json_object_set_new(conf, "level", json_string(level_of(severity[i])));
    json_object_set_new(o, "defaultConfiguration", conf);
    json_t *props = json_object();
    json_object_set_new(props, "title_ja", json_string(def->title_ja));
    json_object_set_new(props, "title_en", json_string(def->title_en));
    json_object_set_new(o, "properties", props);
    return o;
}

static json_t *result_json(const tkg_report *r, const tkg_example *e) {
    const tkg_diag *d = &e->d;
    int rule = tkg_rep_rule_index(d->rule);
    json_t *o = json_object();
    json_object_set_new(o, "ruleId", json_string(d->rule));
    if (rule >= 0) json_object_set_new(o, "ruleIndex", json_integer(rule));
    json_object_set_new(o, "level", json_string(level_of(d->severity)));
    char *msg = tkg_rep_xml_safe(d->message ? d->message : "");
    json_object_set_new(o, "message", message(msg ? msg : ""));
    free(msg);
    if (d->file) {
        json_t *al = json_object();
        char *uri = path_uri(d->file);
        json_object_set_new(al, "uri", json_string(uri));
        free(uri);
        if (e->input < r->ninputs) json_object_set_new(al, "index", json_integer(e->input));
        json_t *pl = json_object();
        json_object_set_new(pl, "artifactLocation", al);
        if (d->line) {
            json_t *region = json_object();
            json_object_set_new(region, "startLine", json_integer((json_int_t)d->line));
            json_object_set_new(pl, "region", region);
        }
        json_t *loc = json_object();
        json_object_set_new(loc, "physicalLocation", pl);
        json_t *locs = json_array();
        json_array_append_new(locs, loc);
        json_object_set_new(o, "locations", locs);
    }
    json_t *props = json_object();
    json_object_set_new(props, "record",
                        d->record == TKG_NO_RECORD ? json_null() : json_integer(d->record));
    json_object_set_new(props, "field", d->column ? json_integer(d->column) : json_null());
    json_object_set_new(props, "item_id", str_or_null(d->item_id));
    json_object_set_new(props, "item", str_or_null(d->item));
    json_object_set_new(props, "value", d->value ? safe_string(d->value) : json_null());
    if (d->pointer) json_object_set_new(props, "pointer", safe_string(d->pointer)); /* JSON payloads */
    json_object_set_new(o, "properties", props);
    return o;
}

static json_t *artifacts_json(const tkg_report *r) {
    const tkg_profile *p = r->profile;
    json_t *arts = json_array();
    for (size_t i = 0; i < r->ninputs; i++) {
        const tkg_input *in = &r->inputs[i];
        json_t *a = json_object();
        json_t *loc = json_object();
        char *uri = path_uri(in->path);
        json_object_set_new(loc, "uri", json_string(uri));
        free(uri);
        json_object_set_new(a, "location", loc);
        json_t *roles = json_array();
        json_array_append_new(roles, json_string("analysisTarget"));
        json_object_set_new(a, "roles", roles);
        if (in->read) {
            json_object_set_new(a, "length", json_integer((json_int_t)in->bytes));
            json_t *hashes = json_object();
            json_object_set_new(hashes, "sha-256", json_string(in->sha256));
            json_object_set_new(a, "hashes", hashes);
        }
        json_t *props = json_object();
        json_object_set_new(props, "path", safe_string(in->path));
        json_object_set_new(props, "group",
                            in->group >= 0 ? json_string(p->groups[in->group].name) : json_null());
        json_object_set_new(props, "records",
                            in->read ? json_integer((json_int_t)in->records) : json_null());
        json_object_set_new(a, "properties", props);
        json_array_append_new(arts, a);
    }
    return arts;
}

static json_t *invocation_json(const tkg_report *r) {
    json_t *inv = json_object();
    bool complete = !tkg_report_incomplete(r);
    json_object_set_new(inv, "executionSuccessful", json_boolean(complete));
    json_object_set_new(inv, "exitCode", json_integer(tkg_report_exit_code(r)));
    if (!complete) {
        json_t *notes = json_array();
        for (size_t i = 0; i < r->ninputs; i++) {
            if (r->inputs[i].readable) continue;
            json_t *n = json_object();
            json_object_set_new(n, "level", json_string("error"));
            tkg_buf b = {0};
            char *path = tkg_rep_xml_safe(r->inputs[i].path);
            tkg_buf_printf(&b, r->en ? "input not readable: %s" : "読み込めない入力: %s",
                           path ? path : "");
            free(path);
            json_object_set_new(n, "message", message(b.data ? b.data : ""));
            tkg_buf_free(&b);
            json_t *desc = json_object();
            json_object_set_new(desc, "id", json_string("IO001"));
            json_object_set_new(n, "descriptor", desc);
            json_array_append_new(notes, n);
        }
        json_object_set_new(inv, "toolExecutionNotifications", notes);
    }
    return inv;
}

static json_t *run_properties(const tkg_report *r) {
    const tkg_profile *p = r->profile;
    json_t *props = json_object();
    json_object_set_new(props, "verdict", json_string(tkg_report_verdict(r)));
    json_t *prof = json_object();
    json_object_set_new(prof, "id", json_string(p->id));
    json_object_set_new(prof, "version", json_string(p->version));
    json_object_set_new(prof, "business", json_string(p->business));
    json_object_set_new(prof, "fidelity", json_string(p->fidelity));
    json_object_set_new(prof, "sha256", json_string(p->sha256));
    json_object_set_new(props, "profile", prof);
    json_object_set_new(props, "as_of", json_string(r->as_of));
    json_object_set_new(props, "errors", json_integer((json_int_t)r->totals[TKG_SEV_ERROR]));
    json_object_set_new(props, "warnings", json_integer((json_int_t)r->totals[TKG_SEV_WARNING]));
    json_object_set_new(props, "infos", json_integer((json_int_t)r->totals[TKG_SEV_INFO]));
    json_t *by_rule = json_object();
    for (int i = 0; i < R__COUNT; i++)
        if (r->counts[i])
            json_object_set_new(by_rule, tkg_rule((tkg_rule_id)i)->id,
                                json_integer((json_int_t)r->counts[i]));
    json_object_set_new(props, "by_rule", by_rule);
    json_object_set_new(props, "examples_left_out",
                        json_integer((json_int_t)(tkg_rep_total(r) - r->nsorted)));
    return props;
}

tkg_status tkg_write_sarif(const tkg_report *r, FILE *out) {
    json_t *root = json_object();
    json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
    json_object_set_new(root, "version", json_string("2.1.0"));
    json_t *driver = json_object();
    json_object_set_new(driver, "name", json_string("tekigo"));
    json_object_set_new(driver, "version", json_string(tkg_version()));
    json_object_set_new(driver, "semanticVersion", json_string(tkg_version()));
    json_t *rules = json_array();
    for (int i = 0; i < R__COUNT; i++)
        json_array_append_new(rules, rule_descriptor(i, r->severity));
    json_object_set_new(driver, "rules", rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);
    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    json_t *invs = json_array();
    json_array_append_new(invs, invocation_json(r));
    json_object_set_new(run, "invocations", invs);
    json_object_set_new(run, "language", json_string(r->en ? "en" : "ja"));
    json_object_set_new(run, "artifacts", artifacts_json(r));
    json_t *results = json_array();
    for (size_t i = 0; i < r->nsorted; i++)
        json_array_append_new(results, result_json(r, r->sorted[i]));
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "properties", run_properties(r));
    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_object_set_new(root, "runs", runs);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF) return TKG_E_IO;
    return ferror(out) ? TKG_E_IO : TKG_OK;
}
