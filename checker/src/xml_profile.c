/* xml_profile.c — parses and compiles the `xml` part of a profile
 * (docs/xml-profile-format.md): namespace bindings, per group the record path
 * (a simple absolute path of element names, matched while streaming) and where
 * each item's value is (a child element name, or an XPath 1.0 expression
 * compiled once), the assertions (assert/report with XPath 1.0 tests), and the
 * XML Schema, compiled once here and shared by every file checked with the
 * profile. Every error names the JSON path in the profile, like profile.c. */
#include "xml_profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/xpathInternals.h>

#include "util.h"

typedef struct {
    tkg_profile *p;
    tkg_xml_profile *x;
    char *err;
    size_t errlen;
} ctx;

static bool fail(ctx *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    tkg_profile_vfail(c->p, c->err, c->errlen, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- external entities ---------------------------------------------------- */

static xmlParserInputPtr refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL; /* nothing is ever fetched: no file, no network */
}

xmlExternalEntityLoader tkg_xml_refuse_entities(void) {
    xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(refuse_loader);
    return old;
}

/* While an XSD compiles, its xs:include and xs:import may load local files
 * (the profile is trusted configuration), never anything over the network. */
static xmlParserInputPtr local_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    if (!url) return NULL;
    const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
    bool has_scheme = colon && (!slash || colon < slash);
    if (has_scheme && strncmp(url, "file:", 5) != 0) return NULL;
    return xmlNoNetExternalEntityLoader(url, id, ctxt);
}

/* ---- errors of libxml2 while compiling ------------------------------------ */

typedef struct {
    char msg[512];
    bool have;
} first_error;

static void keep_first(void *data, xmlErrorPtr e) {
    first_error *fe = data;
    if (fe->have || !e || e->level == XML_ERR_WARNING) return;
    fe->have = true;
    const char *m = e->message ? e->message : "error";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    if (e->line > 0 && e->file)
        snprintf(fe->msg, sizeof fe->msg, "%s:%d: %.*s", e->file, e->line, (int)n, m);
    else
        snprintf(fe->msg, sizeof fe->msg, "%.*s", (int)n, m);
}

/* ---- names ------------------------------------------------------------------ */

/* A plain element name, "local" or "prefix:local" (no XPath syntax). The check
 * is deliberately permissive about which characters a name may use. */
static bool simple_qname(const char *s) {
    if (!s || !*s || *s == '-' || *s == '.' || (*s >= '0' && *s <= '9')) return false;
    int colons = 0;
    for (const char *q = s; *q; q++) {
        unsigned char ch = (unsigned char)*q;
        if (ch == ':') {
            colons++;
            if (q == s || !q[1] || q[1] == '-' || q[1] == '.' || (q[1] >= '0' && q[1] <= '9'))
                return false;
        } else if (ch <= ' ' || strchr("/[]@*()=!<>|'\"$,+{}", ch)) {
            return false;
        }
    }
    return colons <= 1;
}

static const char *ns_uri(const tkg_xml_profile *x, const char *prefix, size_t plen) {
    for (size_t i = 0; i < x->nns; i++)
        if (strlen(x->prefixes[i]) == plen && !memcmp(x->prefixes[i], prefix, plen))
            return x->uris[i];
    return NULL;
}

/* Splits "p:local" into the local name and the namespace bound to p. */
static bool split_qname(ctx *c, const char *q, const char *where, char **local, char **uri) {
    const char *colon = strchr(q, ':');
    *uri = NULL;
    if (colon) {
        const char *u = ns_uri(c->x, q, (size_t)(colon - q));
        if (!u)
            return fail(c, "%s: prefix \"%.*s\" is not declared in xml.namespaces", where,
                        (int)(colon - q), q);
        *uri = tkg_strdup(u);
        *local = tkg_strdup(colon + 1);
    } else {
        *local = tkg_strdup(q);
    }
    return *local != NULL || fail(c, "out of memory");
}

/* ---- XPath ------------------------------------------------------------------ */

/* Compiles an XPath expression and evaluates it once on a probe document, so
 * that syntax errors, undeclared prefixes and unknown functions are profile
 * errors rather than findings in every record. */
static bool compile_xpath(ctx *c, const char *text, const char *where, xmlXPathCompExprPtr *out,
                          xmlXPathContextPtr probe) {
    first_error fe = {{0}, false};
    xmlStructuredErrorFunc old_fn = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&fe, keep_first);
    *out = xmlXPathCompile((const xmlChar *)text);
    xmlXPathObjectPtr r = *out ? xmlXPathCompiledEval(*out, probe) : NULL;
    xmlSetStructuredErrorFunc(old_ctx, old_fn);
    if (r) {
        xmlXPathFreeObject(r);
        return true;
    }
    return fail(c, "%s: XPath \"%s\" is not valid: %s", where, text, fe.have ? fe.msg : "error");
}

/* ---- parsing --------------------------------------------------------------- */

static bool parse_namespaces(ctx *c, json_t *ns) {
    if (!ns) return true;
    if (!json_is_object(ns)) return fail(c, "xml.namespaces: expected an object prefix → URI");
    size_t n = json_object_size(ns);
    tkg_xml_profile *x = c->x;
    x->prefixes = calloc(n + 1, sizeof *x->prefixes);
    x->uris = calloc(n + 1, sizeof *x->uris);
    if (!x->prefixes || !x->uris) return fail(c, "out of memory");
    const char *k;
    json_t *v;
    json_object_foreach(ns, k, v) {
        if (!json_is_string(v) || !json_string_length(v))
            return fail(c, "xml.namespaces.%s: expected a namespace URI", k);
        if (!*k || strchr(k, ':') || !simple_qname(k))
            return fail(c, "xml.namespaces: \"%s\" is not a valid prefix", k);
        x->prefixes[x->nns] = tkg_strdup(k);
        x->uris[x->nns++] = tkg_strdup(json_string_value(v));
    }
    return true;
}

static bool parse_record_path(ctx *c, tkg_xml_group *g, const char *where) {
    const char *r = g->record;
    if (r[0] != '/' || r[1] == '/' || r[1] == '\0')
        return fail(c, "%s.record: expected an absolute path of element names, e.g. /住民記録/住民",
                    where);
    size_t n = 0;
    for (const char *q = r; *q; q++)
        n += *q == '/';
    g->steps = calloc(n, sizeof *g->steps);
    if (!g->steps) return fail(c, "out of memory");
    const char *q = r + 1;
    while (*q) {
        const char *end = strchr(q, '/');
        size_t len = end ? (size_t)(end - q) : strlen(q);
        char *name = tkg_strndup(q, len);
        if (!name) return fail(c, "out of memory");
        bool ok = simple_qname(name);
        if (ok) {
            char w[300];
            snprintf(w, sizeof w, "%s.record", where);
            ok = split_qname(c, name, w, &g->steps[g->nsteps].local, &g->steps[g->nsteps].uri);
            if (ok) g->nsteps++;
            free(name);
            if (!ok) return false;
        } else {
            free(name);
            return fail(c,
                        "%s.record: \"%.*s\" is not an element name (the record path has no "
                        "predicates, wildcards or //)",
                        where, (int)len, q);
        }
        q += len;
        if (*q == '/') {
            q++;
            if (!*q) return fail(c, "%s.record: ends with /", where);
        }
    }
    return true;
}

static int cmp_child(const void *a, const void *b) {
    return strcmp(((const tkg_xml_child *)a)->name, ((const tkg_xml_child *)b)->name);
}

static bool parse_group(ctx *c, const char *gname, json_t *gj, tkg_xml_group *g,
                        xmlXPathContextPtr probe) {
    char where[256];
    snprintf(where, sizeof where, "xml.groups.%s", gname);
    g->group = tkg_profile_group_by_name(c->p, gname);
    if (g->group < 0) return fail(c, "%s: the profile has no group \"%s\"", where, gname);
    if (!json_is_object(gj)) return fail(c, "%s: expected an object", where);
    const char *rec = json_string_value(json_object_get(gj, "record"));
    if (!rec) return fail(c, "%s.record: expected a string", where);
    g->record = tkg_strdup(rec);
    if (!g->record || !parse_record_path(c, g, where))
        return g->record ? false : fail(c, "out of memory");
    json_t *prefix = json_object_get(gj, "prefix");
    if (prefix) {
        const char *u = json_is_string(prefix)
                            ? ns_uri(c->x, json_string_value(prefix), json_string_length(prefix))
                            : NULL;
        if (!u) return fail(c, "%s.prefix: expected a prefix declared in xml.namespaces", where);
        g->child_uri = tkg_strdup(u);
    }
    const tkg_group *pg = &c->p->groups[g->group];
    json_t *items = json_object_get(gj, "items");
    if (items && !json_is_object(items)) return fail(c, "%s.items: expected an object", where);
    const char *iname;
    json_t *iv;
    json_object_foreach(items, iname, iv) {
        if (tkg_group_item_by_name(pg, iname) < 0)
            return fail(c, "%s.items: the group has no item \"%s\"", where, iname);
        if (!json_is_string(iv) && !json_is_null(iv))
            return fail(c, "%s.items.%s: expected an XPath string or null", where, iname);
    }
    g->items = calloc(pg->nitems + 1, sizeof *g->items);
    g->children = calloc(pg->nitems + 1, sizeof *g->children);
    if (!g->items || !g->children) return fail(c, "out of memory");
    g->nitems = pg->nitems;
    for (size_t i = 0; i < pg->nitems; i++) {
        tkg_xml_item *xi = &g->items[i];
        xi->item = (int)i;
        json_t *m = json_object_get(items, pg->items[i].name);
        if (json_is_null(m)) {
            xi->excluded = true;
            continue;
        }
        const char *text = m ? json_string_value(m) : pg->items[i].name;
        char w[400];
        snprintf(w, sizeof w, "%s.items.%s", where, pg->items[i].name);
        if (simple_qname(text)) {
            /* A plain name is the child element of that name: no XPath needed. */
            char *uri = NULL;
            if (!split_qname(c, text, w, &xi->child, &uri)) return false;
            if (!strchr(text, ':') && g->child_uri) uri = tkg_strdup(g->child_uri);
            if ((uri == NULL) != (g->child_uri == NULL) || (uri && strcmp(uri, g->child_uri))) {
                free(uri);
                return fail(c, "%s: a child element must be in the group's namespace (prefix)", w);
            }
            free(uri);
            g->children[g->nchild++] = (tkg_xml_child){xi->child, (int)i};
            continue;
        }
        xi->xpath = tkg_strdup(text);
        if (!xi->xpath) return fail(c, "out of memory");
        if (!compile_xpath(c, text, w, &xi->expr, probe)) return false;
    }
    qsort(g->children, g->nchild, sizeof *g->children, cmp_child);
    for (size_t k = 1; k < g->nchild; k++)
        if (!strcmp(g->children[k].name, g->children[k - 1].name))
            return fail(c, "%s.items: two items are mapped to the child element \"%s\"", where,
                        g->children[k].name);
    if (g->nsteps > c->x->max_steps) c->x->max_steps = g->nsteps;
    /* XML files of the group are found by name like its CSV files. */
    json_t *files = json_object_get(gj, "files");
    tkg_group *wg = &c->p->groups[g->group];
    size_t add = files ? json_array_size(files) : wg->nglobs;
    if (files && (!json_is_array(files) || add == 0))
        return fail(c, "%s.files: expected a non-empty array of globs", where);
    char **globs = realloc(wg->globs, (wg->nglobs + add + 1) * sizeof *globs);
    if (!globs) return fail(c, "out of memory");
    wg->globs = globs;
    for (size_t k = 0; k < add; k++) {
        char *glob = NULL;
        if (files) {
            const char *s = json_string_value(json_array_get(files, k));
            if (!s) return fail(c, "%s.files[%zu]: expected a glob", where, k);
            glob = tkg_strdup(s);
        } else {
            /* Derived from a CSV glob: "*jumin*.csv" → "*jumin*.xml". */
            const char *s = globs[k];
            size_t n = strlen(s);
            if (n < 4 || !tkg_strcaseeq(s + n - 4, ".csv")) continue;
            glob = malloc(n + 1);
            if (glob) {
                memcpy(glob, s, n - 4);
                memcpy(glob + n - 4, ".xml", 5);
            }
        }
        if (!glob) return fail(c, "out of memory");
        wg->globs[wg->nglobs++] = glob;
    }
    wg->globs[wg->nglobs] = NULL;
    return true;
}

static bool parse_assertion(ctx *c, json_t *aj, size_t i, tkg_xml_assertion *a,
                            xmlXPathContextPtr probe) {
    char where[64];
    snprintf(where, sizeof where, "xml.assertions[%zu]", i);
    if (!json_is_object(aj)) return fail(c, "%s: expected an object", where);
    const char *id = json_string_value(json_object_get(aj, "id"));
    const char *group = json_string_value(json_object_get(aj, "group"));
    const char *as = json_string_value(json_object_get(aj, "assert"));
    const char *rp = json_string_value(json_object_get(aj, "report"));
    json_t *msg = json_object_get(aj, "message");
    const char *ja = json_string_value(json_object_get(msg, "ja"));
    const char *en = json_string_value(json_object_get(msg, "en"));
    if (!id || !group) return fail(c, "%s: needs \"id\" and \"group\"", where);
    if ((as == NULL) == (rp == NULL))
        return fail(c, "%s: needs exactly one of \"assert\" and \"report\"", where);
    if (!ja || !en) return fail(c, "%s.message: expected {\"ja\", \"en\"}", where);
    a->group = tkg_profile_group_by_name(c->p, group);
    if (a->group < 0 || c->x->of_group[a->group] < 0)
        return fail(c, "%s.group: \"%s\" is not a group with an XML mapping", where, group);
    a->item = -1;
    const char *item = json_string_value(json_object_get(aj, "item"));
    if (item && (a->item = tkg_group_item_by_name(&c->p->groups[a->group], item)) < 0)
        return fail(c, "%s.item: the group has no item \"%s\"", where, item);
    const char *context = json_string_value(json_object_get(aj, "context"));
    a->id = tkg_strdup(id);
    a->report = rp != NULL;
    a->context_text = tkg_strdup(context ? context : ".");
    a->test_text = tkg_strdup(as ? as : rp);
    a->msg_ja = tkg_strdup(ja);
    a->msg_en = tkg_strdup(en);
    if (!a->id || !a->context_text || !a->test_text || !a->msg_ja || !a->msg_en)
        return fail(c, "out of memory");
    char w[96];
    snprintf(w, sizeof w, "%s.context", where);
    if (!compile_xpath(c, a->context_text, w, &a->context, probe)) return false;
    snprintf(w, sizeof w, "%s.%s", where, as ? "assert" : "report");
    return compile_xpath(c, a->test_text, w, &a->test, probe);
}

static bool compile_schema(ctx *c, const char *rel) {
    tkg_xml_profile *x = c->x;
    /* profile_resolve.c has already joined it with the directory of the file that wrote it. */
    x->schema_path = tkg_strdup(rel);
    if (!x->schema_path) return fail(c, "out of memory");
    first_error fe = {{0}, false};
    xmlExternalEntityLoader old_loader = xmlGetExternalEntityLoader();
    xmlStructuredErrorFunc old_fn = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    xmlSetExternalEntityLoader(local_loader);
    xmlSetStructuredErrorFunc(&fe, keep_first);
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(x->schema_path);
    if (pc) {
        xmlSchemaSetParserStructuredErrors(pc, keep_first, &fe);
        x->schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
    xmlSetStructuredErrorFunc(old_ctx, old_fn);
    xmlSetExternalEntityLoader(old_loader);
    if (!x->schema)
        return fail(c, "xml.schema: %s does not compile: %s", x->schema_path,
                    fe.have ? fe.msg : "cannot read it");
    return true;
}

bool tkg_xml_parse(tkg_profile *p, json_t *root, char *err, size_t errlen) {
    json_t *xj = json_object_get(root, "xml");
    if (!xj) return true;
    ctx c = {p, NULL, err, errlen};
    if (!json_is_object(xj)) return fail(&c, "xml: expected an object");
    static const char *const KEYS[] = {"schema", "namespaces", "groups", "assertions"};
    const char *k;
    json_t *v;
    json_object_foreach(xj, k, v) {
        bool known = false;
        for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++)
            known |= !strcmp(k, KEYS[i]);
        if (!known) return fail(&c, "xml: unknown key \"%s\"", k);
    }
    tkg_xml_profile *x = calloc(1, sizeof *x);
    if (!x) return fail(&c, "out of memory");
    p->xml = x;
    c.x = x;
    x->of_group = malloc((p->ngroups + 1) * sizeof *x->of_group);
    if (!x->of_group) return fail(&c, "out of memory");
    for (size_t g = 0; g < p->ngroups; g++)
        x->of_group[g] = -1;
    if (!parse_namespaces(&c, json_object_get(xj, "namespaces"))) return false;
    json_t *groups = json_object_get(xj, "groups");
    if (!json_is_object(groups) || json_object_size(groups) == 0)
        return fail(&c, "xml.groups: expected an object group name → mapping");
    /* A probe document to evaluate every expression once at load time. */
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr probe_root =
        doc ? xmlNewDocNode(doc, NULL, (const xmlChar *)"tekigo-probe", NULL) : NULL;
    xmlXPathContextPtr probe = probe_root ? xmlXPathNewContext(doc) : NULL;
    if (!probe) {
        xmlFreeDoc(doc);
        return fail(&c, "out of memory");
    }
    xmlDocSetRootElement(doc, probe_root);
    probe->node = probe_root;
    for (size_t i = 0; i < x->nns; i++)
        xmlXPathRegisterNs(probe, (const xmlChar *)x->prefixes[i], (const xmlChar *)x->uris[i]);
    bool ok = true;
    x->groups = calloc(json_object_size(groups), sizeof *x->groups);
    if (!x->groups) ok = fail(&c, "out of memory");
    const char *gname;
    json_t *gj;
    json_object_foreach(groups, gname, gj) {
        if (!ok) break;
        tkg_xml_group *g = &x->groups[x->ngroups];
        ok = parse_group(&c, gname, gj, g, probe);
        x->ngroups++;
        if (ok) x->of_group[g->group] = (int)(x->ngroups - 1);
    }
    json_t *as = json_object_get(xj, "assertions");
    if (ok && as && !json_is_array(as)) ok = fail(&c, "xml.assertions: expected an array");
    if (ok && as) {
        x->assertions = calloc(json_array_size(as) + 1, sizeof *x->assertions);
        if (!x->assertions) ok = fail(&c, "out of memory");
        for (size_t i = 0; ok && i < json_array_size(as); i++) {
            ok = parse_assertion(&c, json_array_get(as, i), i, &x->assertions[i], probe);
            x->nassertions = i + 1;
        }
    }
    xmlXPathFreeContext(probe);
    xmlFreeDoc(doc);
    if (!ok) return false;
    json_t *schema = json_object_get(xj, "schema");
    if (schema && !json_is_string(schema)) return fail(&c, "xml.schema: expected a path");
    if (schema && !compile_schema(&c, json_string_value(schema))) return false;
    return true;
}

void tkg_xml_free(tkg_profile *p) {
    tkg_xml_profile *x = p->xml;
    if (!x) return;
    for (size_t i = 0; i < x->ngroups; i++) {
        tkg_xml_group *g = &x->groups[i];
        free(g->record);
        for (size_t s = 0; s < g->nsteps; s++) {
            free(g->steps[s].local);
            free(g->steps[s].uri);
        }
        free(g->steps);
        free(g->child_uri);
        for (size_t k = 0; k < g->nitems; k++) {
            free(g->items[k].xpath);
            free(g->items[k].child);
            if (g->items[k].expr) xmlXPathFreeCompExpr(g->items[k].expr);
        }
        free(g->items);
        free(g->children);
    }
    free(x->groups);
    for (size_t i = 0; i < x->nassertions; i++) {
        tkg_xml_assertion *a = &x->assertions[i];
        free(a->id);
        free(a->context_text);
        free(a->test_text);
        free(a->msg_ja);
        free(a->msg_en);
        if (a->context) xmlXPathFreeCompExpr(a->context);
        if (a->test) xmlXPathFreeCompExpr(a->test);
    }
    free(x->assertions);
    for (size_t i = 0; i < x->nns; i++) {
        free(x->prefixes[i]);
        free(x->uris[i]);
    }
    free(x->prefixes);
    free(x->uris);
    free(x->of_group);
    free(x->schema_path);
    if (x->schema) xmlSchemaFree(x->schema);
    free(x);
    p->xml = NULL;
}
