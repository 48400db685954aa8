/* xml_input.c — binds XML files to the engine (docs/xml-profile-format.md).
 *
 * Streaming design. The run feeds a file in chunks (feed/finish), so the
 * reader must be pushed, not pull its input: a pull reader (xmlTextReader over
 * xmlReaderForIO) would need the next bytes before they exist, which only a
 * second thread or unbounded look-ahead could give. We therefore use
 * libxml2's push parser (xmlCreatePushParserCtxt + xmlParseChunk) with SAX2
 * callbacks, and build a tree for ONE record element at a time:
 *
 *   - our SAX handlers wrap libxml2's tree builders (xmlSAX2StartElementNs …)
 *     and call them only for the record element and its descendants, and for
 *     the ancestors on the record path (so an XPath may read their attributes);
 *     everything else (text between records, comments, PIs, other elements)
 *     is never built;
 *   - when a record element ends, its item values are taken from the subtree
 *     (child elements by name, or compiled XPath 1.0 expressions), handed to
 *     the engine as item-indexed tkg_values, the assertions are evaluated on
 *     it, and the subtree is unlinked and freed; never a DOM of the file;
 *   - XSD validation runs in the same pass: xmlSchemaSAXPlug splits the SAX
 *     stream between our handlers and libxml2's streaming validator (the
 *     schema compiled once per profile), which gets every event right after
 *     us and keeps only its element stack.
 *
 * Memory is bounded by libxml2's own limits (we never set XML_PARSE_HUGE:
 * 10 MB look-ahead, 10 MB names dictionary), by the depth limit of 256 (which
 * we enforce: libxml2 counts only the nodes it builds), by RECORD_LIMIT for the
 * record being built (XML006), and by TEXT_LIMIT for the text of one element,
 * which the XSD validator would otherwise buffer whole (XML007).
 *
 * Safe parsing: options XML_PARSE_NONET only (never NOENT, DTDLOAD, DTDATTR,
 * DTDVALID, XINCLUDE, HUGE); a DOCTYPE is finding XML004 and its declarations
 * are dropped (no entity is ever declared, so none is ever expanded and a
 * reference is the well-formedness error "Entity 'x' not defined"); and around
 * every call into the parser an external entity loader that refuses
 * everything is installed, so nothing is fetched from a file or the network.
 *
 * Locations: a value's line is the line of the element that holds it (the
 * line where its start tag ends; an attribute's is its element's); its column
 * is 0. XML001 and XSD001 carry libxml2's line and character column. The
 * record number is the 1-based index of the record element in the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>

#include "input.h"
#include "util.h"
#include "xml_profile.h"

#define RECORD_LIMIT (8u << 20) /* bytes of text, attributes and nodes kept for one record */
#define TEXT_LIMIT 10000000u    /* libxml2's XML_MAX_TEXT_LENGTH, for the text of any element */
#define NODE_COST 96u           /* what one element node costs, roughly */
#define PUSH_SLICE (256u << 10) /* the most handed to xmlParseChunk at once */
#define PARSE_OPTIONS XML_PARSE_NONET

typedef struct {
    char *local, *uri; /* copies, for the open elements above any record */
} path_entry;

typedef struct {
    tkg_file_ctx *fc;
    const tkg_xml_profile *x;
    const tkg_xml_group *xg; /* the file's group (by name, or its first record), once known */
    const tkg_xml_group *rg; /* the group of the record being built (or just ended) */
    uint64_t xg_records;     /* records of the file's group */
    xmlParserCtxtPtr ctxt;
    xmlSchemaValidCtxtPtr vctxt;
    xmlSchemaSAXPlugPtr plug;
    xmlXPathContextPtr xp;
    unsigned char head[4]; /* the first bytes, before the parser exists */
    size_t nhead;
    bool stopped; /* fatal error or limit: the rest is not parsed */
    bool failed;  /* out of memory */
    /* open elements */
    size_t depth;
    unsigned char *built; /* per depth: a node was built */
    size_t cap;
    path_entry *path; /* [x->max_steps] */
    bool root_wrong, root_children, dtd_reported, text_reported;
    uint64_t text_run; /* bytes of text in the current element */
    /* the record being built */
    size_t rec_level; /* depth of the record element + 1; 0 outside records */
    xmlNodePtr rec;
    uint64_t rec_line;
    size_t rec_bytes;
    bool rec_over;
    int64_t err_record; /* record for findings raised now; kept after a record ends until
                           the next event outside records, because the validator reports
                           on the record's end tag after our handler has finished it */
    int err_item;       /* item of the element whose event is being handled, or -1 */
    /* values of the current record */
    tkg_value *values;
    xmlChar **owned;
    unsigned *count;
    size_t nitems;
    char xpath_msg[512];
} xml_input;

static void fmt_u64(char *b, size_t n, uint64_t v) {
    snprintf(b, n, "%llu", (unsigned long long)v);
}

static const tkg_item *item_ptr(const xml_input *xi, int item) {
    if (item < 0 || !xi->rg) return NULL;
    return &xi->fc->profile->groups[xi->rg->group].items[item];
}

static void emit(xml_input *xi, tkg_rule_id r, uint64_t line, int64_t record, uint32_t column,
                 int item, const char *value, const char *a1, const char *a2, const char *a3) {
    tkg_loc loc = {xi->fc->input, line, record, column, item_ptr(xi, item)};
    tkg_report_emit(xi->fc->report, r, &loc, value, value ? strlen(value) : 0, a1, a2, a3);
}

static uint64_t cur_line(const xml_input *xi) {
    return xi->ctxt && xi->ctxt->input && xi->ctxt->input->line > 0
               ? (uint64_t)xi->ctxt->input->line
               : 0;
}

static uint32_t cur_col(const xml_input *xi) {
    return xi->ctxt && xi->ctxt->input && xi->ctxt->input->col > 0 ? (uint32_t)xi->ctxt->input->col
                                                                   : 0;
}

/* Never xmlStopParser inside a callback: it frees the input the validator's
 * handler is about to read. Our handlers ignore everything from now on, and
 * push() halts the parser once xmlParseChunk has returned. */
static void stop(xml_input *xi) {
    xi->stopped = true;
}

/* libxml2's message on one line, without its trailing newline; cut (at a
 * character boundary) when longer than the buffer. */
static void one_line(char *dst, size_t n, const char *msg) {
    size_t k = 0;
    const char *s = msg ? msg : "error";
    for (; *s && k + 1 < n; s++) {
        char ch = *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s;
        if (ch == ' ' && (k == 0 || dst[k - 1] == ' ')) continue;
        dst[k++] = ch;
    }
    if (*s && k + 1 >= n) {
        while (k && ((unsigned char)dst[k - 1] & 0xC0) == 0x80)
            k--;                                         /* continuation bytes */
        if (k && (unsigned char)dst[k - 1] >= 0xC0) k--; /* the lead byte */
    }
    while (k && dst[k - 1] == ' ')
        k--;
    dst[k] = '\0';
}

/* Every libxml2 error while this file is parsed comes here: parser errors
 * through the structured handler installed around the parser calls, schema
 * errors through the validation context. */
static void on_error(void *data, xmlErrorPtr e) {
    xml_input *xi = data;
    if (!xi || !e || e->level == XML_ERR_WARNING || e->level == XML_ERR_NONE) return;
    if (e->domain == XML_FROM_XPATH) {
        one_line(xi->xpath_msg, sizeof xi->xpath_msg, e->message);
        return;
    }
    char msg[1024];
    one_line(msg, sizeof msg, e->message);
    if (e->domain == XML_FROM_SCHEMASV) {
        uint64_t line = cur_line(xi);
        emit(xi, R_XSD001, line ? line : (uint64_t)(e->line > 0 ? e->line : 0), xi->err_record,
             cur_col(xi), xi->err_item, NULL, msg, NULL, NULL);
        return;
    }
    if (e->code == XML_ERR_USER_STOP) return;
    uint64_t line = e->line > 0 ? (uint64_t)e->line : cur_line(xi);
    uint32_t col = e->int2 > 0 ? (uint32_t)e->int2 : 0;
    bool fatal = e->level == XML_ERR_FATAL;
    const char *rest = !fatal               ? ""
                       : xi->fc->report->en ? " (the rest is not checked)"
                                            : "（以降は検査しません）";
    emit(xi, R_XML001, line, xi->err_record, col, -1, NULL, msg, rest, NULL);
    if (fatal) xi->stopped = true;
}

static void silent(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* The global state libxml2 consults while parsing, set for this file only. */
typedef struct {
    xmlStructuredErrorFunc sfn;
    void *sctx;
    xmlGenericErrorFunc gfn;
    void *gctx;
    xmlExternalEntityLoader loader;
} guard;

static void guard_on(xml_input *xi, guard *g) {
    g->sfn = xmlStructuredError;
    g->sctx = xmlStructuredErrorContext;
    g->gfn = xmlGenericError;
    g->gctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(xi, on_error);
    xmlSetGenericErrorFunc(NULL, silent);
    g->loader = tkg_xml_refuse_entities();
}

static void guard_off(const guard *g) {
    xmlSetExternalEntityLoader(g->loader);
    xmlSetGenericErrorFunc(g->gctx, g->gfn);
    xmlSetStructuredErrorFunc(g->sctx, g->sfn);
}

/* ---- groups and paths ------------------------------------------------------ */

static bool same_uri(const char *a, const xmlChar *b) {
    if (!a || !b || !*b) return !a && (!b || !*b);
    return !strcmp(a, (const char *)b);
}

static bool step_is(const tkg_xml_step *s, const char *local, const char *uri) {
    return !strcmp(s->local, local) &&
           ((!s->uri && !uri) || (s->uri && uri && !strcmp(s->uri, uri)));
}

/* Does the chain of open elements 0..d match the first d+1 steps of g? */
static bool chain_matches(const xml_input *xi, const tkg_xml_group *g, size_t d) {
    if (g->nsteps <= d) return false;
    for (size_t k = 0; k <= d; k++)
        if (!xi->path[k].local || !step_is(&g->steps[k], xi->path[k].local, xi->path[k].uri))
            return false;
    return true;
}

static void set_group(xml_input *xi, const tkg_xml_group *g) {
    tkg_file_ctx *fc = xi->fc;
    xi->xg = g;
    fc->group = g->group;
    fc->report->inputs[fc->input].group = g->group;
}

/* ---- values ------------------------------------------------------------------ */

static uint64_t node_line(const xml_input *xi, xmlNodePtr n) {
    if (n && n->type == XML_NAMESPACE_DECL) return xi->rec_line;
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->parent;
    if (n && n->_private) return (uint64_t)(uintptr_t)n->_private;
    return xi->rec_line;
}

static int find_child(const tkg_xml_group *g, const char *name) {
    size_t lo = 0, hi = g->nchild;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, g->children[mid].name);
        if (c == 0) return g->children[mid].item;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* Adds one value for an item: the first, or another repetition. */
static void add_value(xml_input *xi, int it, xmlChar *s, uint64_t line) {
    const tkg_item *item = item_ptr(xi, it);
    xi->count[it]++;
    if (xi->count[it] == 1) {
        xi->owned[it] = s;
        xi->values[it].line = line;
        return;
    }
    if (item->repeat > 1 && s) {
        char sep[2] = {xi->fc->profile->dialect.repeat_separator, '\0'};
        xmlChar *joined = xmlStrcat(xmlStrcat(xi->owned[it], (const xmlChar *)sep), s);
        if (joined)
            xi->owned[it] = joined;
        else
            xi->failed = true;
    }
    xmlFree(s);
}

static void eval_xpath_item(xml_input *xi, const tkg_xml_item *m) {
    xi->xp->node = xi->rec;
    xi->xp->contextSize = 1;
    xi->xp->proximityPosition = 1;
    xi->xpath_msg[0] = '\0';
    xmlXPathObjectPtr r = xmlXPathCompiledEval(m->expr, xi->xp);
    if (!r) {
        emit(xi, R_XML008, xi->rec_line, xi->err_record, 0, m->item, NULL, m->xpath,
             xi->xpath_msg[0] ? xi->xpath_msg : "error", NULL);
        xi->values[m->item].skip = true;
        return;
    }
    if (r->type == XPATH_NODESET) {
        for (int k = 0; r->nodesetval && k < r->nodesetval->nodeNr; k++) {
            xmlNodePtr n = r->nodesetval->nodeTab[k];
            add_value(xi, m->item, xmlXPathCastNodeToString(n), node_line(xi, n));
        }
    } else {
        add_value(xi, m->item, xmlXPathCastToString(r), xi->rec_line);
    }
    xmlXPathFreeObject(r);
}

static void eval_assertions(xml_input *xi) {
    const tkg_xml_profile *x = xi->x;
    bool en = xi->fc->report->en;
    for (size_t i = 0; i < x->nassertions; i++) {
        const tkg_xml_assertion *a = &x->assertions[i];
        if (a->group != xi->rg->group) continue;
        xi->xp->node = xi->rec;
        xi->xp->contextSize = 1;
        xi->xp->proximityPosition = 1;
        xi->xpath_msg[0] = '\0';
        xmlXPathObjectPtr ctx = xmlXPathCompiledEval(a->context, xi->xp);
        if (!ctx || ctx->type != XPATH_NODESET) {
            emit(xi, R_XML008, xi->rec_line, xi->err_record, 0, a->item, NULL, a->context_text,
                 xi->xpath_msg[0] ? xi->xpath_msg : "not a node-set", NULL);
            xmlXPathFreeObject(ctx);
            continue;
        }
        int n = ctx->nodesetval ? ctx->nodesetval->nodeNr : 0;
        for (int k = 0; k < n; k++) {
            xmlNodePtr node = ctx->nodesetval->nodeTab[k];
            if (node->type == XML_NAMESPACE_DECL) continue;
            xi->xp->node = node;
            xi->xp->contextSize = n;
            xi->xp->proximityPosition = k + 1;
            xi->xpath_msg[0] = '\0';
            xmlXPathObjectPtr t = xmlXPathCompiledEval(a->test, xi->xp);
            if (!t) {
                emit(xi, R_XML008, node_line(xi, node), xi->err_record, 0, a->item, NULL,
                     a->test_text, xi->xpath_msg[0] ? xi->xpath_msg : "error", NULL);
                continue;
            }
            bool b = xmlXPathCastToBoolean(t) != 0;
            xmlXPathFreeObject(t);
            if (b != a->report) continue;
            emit(xi, a->report ? R_SCH002 : R_SCH001, node_line(xi, node), xi->err_record, 0,
                 a->item, NULL, en ? a->msg_en : a->msg_ja, a->id, NULL);
        }
        xmlXPathFreeObject(ctx);
    }
}

/* The record element is complete: values to the engine, assertions, free. */
static void finish_record(xml_input *xi) {
    xmlNodePtr rec = xi->rec;
    if (!rec) return;
    const tkg_xml_group *g = xi->rg;
    if (g && !xi->rec_over && !xi->failed) {
        if (!xi->xp) {
            xi->xp = xmlXPathNewContext(rec->doc);
            if (!xi->xp) {
                xi->failed = true;
                stop(xi);
            }
            for (size_t i = 0; xi->xp && i < xi->x->nns; i++)
                xmlXPathRegisterNs(xi->xp, (const xmlChar *)xi->x->prefixes[i],
                                   (const xmlChar *)xi->x->uris[i]);
        }
        if (xi->xp) {
            for (size_t i = 0; i < g->nitems; i++) {
                xi->values[i] =
                    (tkg_value){.data = "", .line = xi->rec_line, .present = !g->items[i].excluded};
                xi->owned[i] = NULL;
                xi->count[i] = 0;
            }
            for (xmlNodePtr c = rec->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE ||
                    !same_uri(g->child_uri, c->ns ? c->ns->href : NULL))
                    continue;
                int it = find_child(g, (const char *)c->name);
                if (it >= 0) add_value(xi, it, xmlNodeGetContent(c), node_line(xi, c));
            }
            for (size_t i = 0; i < g->nitems; i++)
                if (g->items[i].expr) eval_xpath_item(xi, &g->items[i]);
            for (size_t i = 0; i < g->nitems; i++) {
                tkg_value *v = &xi->values[i];
                if (xi->owned[i]) {
                    v->data = (const char *)xi->owned[i];
                    v->len = strlen(v->data);
                }
                if (xi->count[i] > 1 && item_ptr(xi, (int)i)->repeat <= 1) {
                    char n[24];
                    fmt_u64(n, sizeof n, xi->count[i]);
                    emit(xi, R_XML005, v->line, xi->err_record, 0, (int)i, v->data, n, NULL, NULL);
                }
            }
            tkg_loc loc = {xi->fc->input, xi->rec_line, xi->err_record, 0, NULL};
            tkg_engine_record(xi->fc->engine, g->group, &loc, xi->values);
            for (size_t i = 0; i < g->nitems; i++) {
                xmlFree(xi->owned[i]);
                xi->owned[i] = NULL;
            }
            eval_assertions(xi);
        }
    }
    xi->rec = NULL;
    xmlUnlinkNode(rec);
    xmlFreeNode(rec);
}

/* ---- SAX handlers -------------------------------------------------------------- */

static bool ensure_depth(xml_input *xi, size_t n) {
    if (n <= xi->cap) return true;
    size_t cap = xi->cap ? xi->cap * 2 : 64;
    while (cap < n)
        cap *= 2;
    unsigned char *b = realloc(xi->built, cap);
    if (!b) return false;
    xi->built = b;
    xi->cap = cap;
    return true;
}

/* Counts bytes against the record limit; false (and XML006 once) when over. */
static bool record_budget(xml_input *xi, size_t bytes) {
    if (xi->rec_over) return false;
    xi->rec_bytes += bytes;
    if (xi->rec_bytes <= RECORD_LIMIT) return true;
    xi->rec_over = true;
    char lim[24];
    fmt_u64(lim, sizeof lim, RECORD_LIMIT);
    emit(xi, R_XML006, xi->rec_line, xi->err_record, 0, -1, NULL, lim, NULL, NULL);
    return false;
}

static int child_item(const xml_input *xi, const xmlChar *local, const xmlChar *uri) {
    if (!xi->rg || !same_uri(xi->rg->child_uri, uri)) return -1;
    return find_child(xi->rg, (const char *)local);
}

static void root_start(xml_input *xi, const char *local, const char *uri) {
    bool any = false;
    const tkg_xml_group *g = xi->xg;
    if (g) {
        any = step_is(&g->steps[0], local, uri);
    } else {
        for (size_t i = 0; i < xi->x->ngroups && !any; i++)
            any = step_is(&xi->x->groups[i].steps[0], local, uri);
    }
    if (any) return;
    xi->root_wrong = true;
    if (!g) return; /* unassignable: PKG001 at the end */
    char want[256], got[256];
    snprintf(want, sizeof want, "%s%s%s%s", g->steps[0].uri ? "{" : "",
             g->steps[0].uri ? g->steps[0].uri : "", g->steps[0].uri ? "}" : "", g->steps[0].local);
    snprintf(got, sizeof got, "%s%s%s%s", uri ? "{" : "", uri ? uri : "", uri ? "}" : "", local);
    emit(xi, R_XML002, cur_line(xi), TKG_NO_RECORD, 0, -1, NULL, want, got, NULL);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes) {
    xmlParserCtxtPtr ctxt = ctx;
    xml_input *xi = ctxt->_private;
    size_t d = xi->depth;
    if (xi->stopped) return;
    if (d >= xmlParserMaxDepth) {
        /* libxml2 checks its depth limit only on the nodes it builds; we build few. */
        char msg[96];
        snprintf(msg, sizeof msg, "elements nested deeper than %u levels", xmlParserMaxDepth);
        emit(xi, R_XML001, cur_line(xi), xi->rec_level ? xi->err_record : TKG_NO_RECORD,
             cur_col(xi), -1, NULL, msg,
             xi->fc->report->en ? " (the rest is not checked)" : "（以降は検査しません）", NULL);
        stop(xi);
        return;
    }
    if (!ensure_depth(xi, d + 1)) {
        xi->failed = true;
        stop(xi);
        return;
    }
    xi->text_run = 0;
    bool build = false, is_record = false;
    if (xi->rec_level) {
        xi->err_item = d == xi->rec_level ? child_item(xi, localname, URI) : -1;
        size_t cost = NODE_COST;
        for (int i = 0; i < nb_attributes; i++)
            cost += (size_t)(attributes[5 * i + 4] - attributes[5 * i + 3]) + NODE_COST;
        build = record_budget(xi, cost);
    } else {
        const char *uri = URI && *URI ? (const char *)URI : NULL;
        xi->err_record = TKG_NO_RECORD;
        xi->err_item = -1;
        if (d == 0) root_start(xi, (const char *)localname, uri);
        if (d == 1) xi->root_children = true;
        if (d < xi->x->max_steps && !xi->root_wrong) {
            xi->path[d].local = tkg_strdup((const char *)localname);
            xi->path[d].uri = uri ? tkg_strdup(uri) : NULL;
            if (!xi->path[d].local || (uri && !xi->path[d].uri)) xi->failed = true;
            /* Records of any group whose path shares the root may be in one file. */
            for (size_t i = 0; i < xi->x->ngroups && !is_record; i++) {
                const tkg_xml_group *g = &xi->x->groups[i];
                if (!chain_matches(xi, g, d)) continue;
                if (g->nsteps == d + 1) {
                    if (!xi->xg) set_group(xi, g);
                    if (g == xi->xg) xi->xg_records++;
                    xi->rg = g;
                    is_record = true;
                }
                build = true; /* an ancestor on the record path, or the record */
            }
        }
    }
    if (is_record) {
        xi->fc->records++;
        xi->err_record = (int64_t)xi->fc->records;
        xi->rec_line = cur_line(xi);
        xi->rec_bytes = 0;
        xi->rec_over = false;
        xi->rec_level = d + 1;
        build = record_budget(xi, NODE_COST);
    }
    xi->built[d] = 0;
    if (build) {
        xmlNodePtr before = ctxt->node;
        xmlSAX2StartElementNs(ctx, localname, prefix, URI, nb_namespaces, namespaces, nb_attributes,
                              nb_defaulted, attributes);
        if (ctxt->node && ctxt->node != before) {
            ctxt->node->_private = (void *)(uintptr_t)cur_line(xi);
            xi->built[d] = 1;
            if (is_record) xi->rec = ctxt->node;
        }
    }
    xi->depth = d + 1;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
    xmlParserCtxtPtr ctxt = ctx;
    xml_input *xi = ctxt->_private;
    if (xi->stopped || xi->depth == 0) return;
    size_t d = --xi->depth;
    xi->text_run = 0;
    bool built = xi->built[d];
    if (xi->rec_level && d == xi->rec_level - 1) {
        if (built) xmlSAX2EndElementNs(ctx, localname, prefix, URI);
        xi->rec_level = 0;
        xi->err_item = -1;
        if (!xi->stopped) finish_record(xi);
    } else {
        if (xi->rec_level) {
            xi->err_item = d == xi->rec_level ? child_item(xi, localname, URI) : -1;
        } else {
            xi->err_record = TKG_NO_RECORD;
            xi->err_item = -1;
        }
        if (built) xmlSAX2EndElementNs(ctx, localname, prefix, URI);
    }
    if (d < xi->x->max_steps && !xi->rec_level) {
        free(xi->path[d].local);
        free(xi->path[d].uri);
        xi->path[d].local = xi->path[d].uri = NULL;
    }
}

static void on_chars(void *ctx, const xmlChar *ch, int len) {
    xmlParserCtxtPtr ctxt = ctx;
    xml_input *xi = ctxt->_private;
    if (xi->stopped || len <= 0) return;
    xi->text_run += (uint64_t)len;
    if (xi->text_run > TEXT_LIMIT) {
        if (!xi->text_reported) {
            char lim[24];
            fmt_u64(lim, sizeof lim, TEXT_LIMIT);
            emit(xi, R_XML007, cur_line(xi), xi->rec_level ? xi->err_record : TKG_NO_RECORD, 0,
                 xi->err_item, NULL, lim, NULL, NULL);
            xi->text_reported = true;
        }
        stop(xi);
        return;
    }
    if (!xi->rec_level || xi->depth == 0 || !xi->built[xi->depth - 1]) return;
    if (!record_budget(xi, (size_t)len)) return;
    xmlSAX2Characters(ctx, ch, len);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                       const xmlChar *sys_id) {
    xmlParserCtxtPtr ctxt = ctx;
    xml_input *xi = ctxt->_private;
    (void)name;
    (void)ext_id;
    (void)sys_id;
    if (xi->dtd_reported) return;
    xi->dtd_reported = true;
    emit(xi, R_XML004, cur_line(xi), TKG_NO_RECORD, 0, -1, NULL, NULL, NULL, NULL);
}

/* Only the five predefined entities exist: declarations are never recorded. */
static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name) {
    (void)ctx;
    return xmlGetPredefinedEntity(name);
}

static xmlEntityPtr on_get_pe(void *ctx, const xmlChar *name) {
    (void)ctx;
    (void)name;
    return NULL;
}

static xmlParserInputPtr on_resolve(void *ctx, const xmlChar *public_id, const xmlChar *system_id) {
    (void)ctx;
    (void)public_id;
    (void)system_id;
    return NULL;
}

/* ---- the reader ---------------------------------------------------------------- */

static bool create_parser(xml_input *xi) {
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    xmlSAXVersion(&sax, 2); /* libxml2's SAX2 tree builders, then ours on top */
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_chars;
    sax.ignorableWhitespace = on_chars;
    sax.cdataBlock = on_chars; /* CDATA is text */
    sax.comment = NULL;
    sax.processingInstruction = NULL;
    sax.internalSubset = on_doctype;
    sax.externalSubset = NULL;
    sax.entityDecl = NULL;
    sax.attributeDecl = NULL;
    sax.elementDecl = NULL;
    sax.notationDecl = NULL;
    sax.unparsedEntityDecl = NULL;
    sax.getEntity = on_get_entity;
    sax.getParameterEntity = on_get_pe;
    sax.resolveEntity = on_resolve;
    sax.reference = NULL;
    sax.warning = NULL;
    sax.error = NULL;
    sax.fatalError = NULL;
    sax.serror = NULL;
    const char *name = xi->fc->report->inputs[xi->fc->input].path;
    guard g;
    guard_on(xi, &g);
    xi->ctxt = xmlCreatePushParserCtxt(&sax, NULL, (const char *)xi->head, (int)xi->nhead, name);
    if (xi->ctxt) {
        xmlCtxtUseOptions(xi->ctxt, PARSE_OPTIONS);
        xi->ctxt->_private = xi;
        xi->ctxt->replaceEntities = 0;
        xi->ctxt->loadsubset = 0;
        xi->ctxt->validate = 0;
        xi->ctxt->linenumbers = 1;
        if (xi->x->schema) {
            xi->vctxt = xmlSchemaNewValidCtxt(xi->x->schema);
            if (xi->vctxt) {
                xmlSchemaSetValidStructuredErrors(xi->vctxt, on_error, xi);
                xi->plug = xmlSchemaSAXPlug(xi->vctxt, &xi->ctxt->sax, &xi->ctxt->userData);
            }
            if (!xi->plug) xi->failed = true;
        }
        /* The validator's splitter would pass undeclared-entity references on. */
        xi->ctxt->sax->reference = NULL;
    }
    guard_off(&g);
    return xi->ctxt && !xi->failed;
}

static void *xml_open(tkg_file_ctx *fc) {
    xml_input *xi = calloc(1, sizeof *xi);
    if (!xi) return NULL;
    xi->fc = fc;
    xi->x = tkg_xml_of(fc->profile);
    xi->err_record = TKG_NO_RECORD;
    xi->err_item = -1;
    for (size_t i = 0; i < xi->x->ngroups; i++)
        if (xi->x->groups[i].nitems > xi->nitems) xi->nitems = xi->x->groups[i].nitems;
    xi->path = calloc(xi->x->max_steps + 1, sizeof *xi->path);
    xi->values = calloc(xi->nitems + 1, sizeof *xi->values);
    xi->owned = calloc(xi->nitems + 1, sizeof *xi->owned);
    xi->count = calloc(xi->nitems + 1, sizeof *xi->count);
    if (!xi->path || !xi->values || !xi->owned || !xi->count) {
        free(xi->path);
        free(xi->values);
        free(xi->owned);
        free(xi->count);
        free(xi);
        return NULL;
    }
    if (fc->group >= 0) {
        int k = xi->x->of_group[fc->group];
        if (k >= 0) set_group(xi, &xi->x->groups[k]);
        if (k < 0) { /* no XML layout for that group: find one by the record path */
            fc->group = -1;
            fc->report->inputs[fc->input].group = -1;
        }
    }
    return xi;
}

static void push(xml_input *xi, const char *buf, size_t len, bool terminate) {
    guard g;
    guard_on(xi, &g);
    do {
        size_t n = len < PUSH_SLICE ? len : PUSH_SLICE;
        int rc = xmlParseChunk(xi->ctxt, buf, (int)n, terminate && n == len);
        if (n) buf += n;
        len -= n;
        if (rc != XML_ERR_OK && (xi->ctxt->disableSAX || xi->ctxt->instate == XML_PARSER_EOF))
            xi->stopped = true;
        if (xi->ctxt->instate == XML_PARSER_EOF && !terminate) xi->stopped = true;
    } while (len && !xi->stopped);
    if (xi->stopped && xi->ctxt->instate != XML_PARSER_EOF) xmlStopParser(xi->ctxt);
    guard_off(&g);
}

static int xml_feed(void *self, const void *buf, size_t len) {
    xml_input *xi = self;
    const char *p = buf;
    if (xi->stopped || xi->failed) return xi->failed ? -1 : 0;
    if (!xi->ctxt) {
        while (xi->nhead < sizeof xi->head && len) {
            xi->head[xi->nhead++] = (unsigned char)*p++;
            len--;
        }
        if (xi->nhead < sizeof xi->head) return 0;
        if (!create_parser(xi)) return -1;
    }
    if (len) push(xi, p, len, false);
    return xi->failed ? -1 : 0;
}

static int xml_finish(void *self) {
    xml_input *xi = self;
    if (!xi->ctxt && xi->nhead == 0 && !xi->failed) {
        /* Not a byte: libxml2 would call it "extra content"; say what it is. */
        emit(xi, R_XML001, 1, TKG_NO_RECORD, 0, -1, NULL, "Document is empty", "", NULL);
        xi->stopped = true;
    }
    if (!xi->ctxt && !xi->failed && !xi->stopped && !create_parser(xi)) return -1;
    if (!xi->stopped) push(xi, NULL, 0, true);
    if (xi->plug) {
        guard g;
        guard_on(xi, &g);
        xmlSchemaSAXUnplug(xi->plug);
        guard_off(&g);
        xi->plug = NULL;
    }
    bool complete = xi->ctxt && xi->ctxt->wellFormed && !xi->stopped;
    tkg_file_ctx *fc = xi->fc;
    if (!xi->xg) {
        emit(xi, R_PKG001, 0, TKG_NO_RECORD, 0, -1, NULL, NULL, NULL, NULL);
    } else if (complete && !xi->root_wrong && xi->xg_records == 0) {
        if (xi->root_children || fc->records)
            emit(xi, R_XML003, 0, TKG_NO_RECORD, 0, -1, NULL, xi->xg->record, NULL, NULL);
        else
            emit(xi, R_PKG004, 0, TKG_NO_RECORD, 0, -1, NULL, NULL, NULL, NULL);
    }
    return xi->failed ? -1 : 0;
}

static void xml_close(void *self) {
    xml_input *xi = self;
    if (!xi) return;
    guard g;
    guard_on(xi, &g);
    if (xi->plug) xmlSchemaSAXUnplug(xi->plug);
    xmlSchemaFreeValidCtxt(xi->vctxt);
    xmlXPathFreeContext(xi->xp);
    if (xi->ctxt) {
        if (xi->ctxt->myDoc) xmlFreeDoc(xi->ctxt->myDoc);
        xi->ctxt->myDoc = NULL;
        xmlFreeParserCtxt(xi->ctxt);
    }
    guard_off(&g);
    for (size_t i = 0; i < xi->x->max_steps; i++) {
        free(xi->path[i].local);
        free(xi->path[i].uri);
    }
    free(xi->path);
    free(xi->built);
    for (size_t i = 0; xi->owned && i < xi->nitems; i++)
        xmlFree(xi->owned[i]);
    free(xi->owned);
    free(xi->values);
    free(xi->count);
    free(xi);
}

const tkg_input_vtable tkg_xml_input = {"xml", xml_open, xml_feed, xml_finish, xml_close};

const tkg_input_vtable *tkg_xml_input_for(const tkg_profile *p, const char *path) {
    if (!p || !p->xml || !path) return NULL;
    size_t n = strlen(path);
    if (!strcmp(path, "-") || (n > 4 && tkg_strcaseeq(path + n - 4, ".xml"))) return &tkg_xml_input;
    return NULL;
}
