/* profile.c — loads a profile JSON (docs/profile-format.md) with jansson and
 * compiles it: item names to indices, conditions to trees, code lists to sorted
 * arrays, masters to key sets. Every error names the file and the JSON path (or
 * line and column for syntax errors), so a profile author can fix it at once. */
#include "profile.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "pattern.h"
#include "util.h"

typedef struct {
    tkg_profile *p;
    char *err;
    size_t errlen;
} loader;

bool tkg_profile_vfail(const tkg_profile *p, char *err, size_t errlen, const char *fmt,
                       va_list ap) {
    if (err && errlen) {
        int n = snprintf(err, errlen, "%s: ", p && p->path ? p->path : "profile");
        if (n < 0) n = 0;
        if ((size_t)n < errlen) vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    }
    return false;
}

static bool fail(loader *L, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    tkg_profile_vfail(L->p, L->err, L->errlen, fmt, ap);
    va_end(ap);
    return false;
}

static const char *jstr(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool jbool(json_t *o, const char *key) {
    return json_is_true(json_object_get(o, key));
}

static bool need_str(loader *L, json_t *o, const char *key, const char *where, char **out) {
    const char *s = jstr(o, key);
    if (!s) return fail(L, "%s.%s: expected a string", where, key);
    *out = tkg_strdup(s);
    return *out != NULL || fail(L, "out of memory");
}

static char *opt_dup(json_t *o, const char *key) {
    const char *s = jstr(o, key);
    return s ? tkg_strdup(s) : NULL;
}

/* ---- conditions ---------------------------------------------------------- */

static void cond_free(tkg_cond *c) {
    if (!c) return;
    for (size_t i = 0; i < c->nvalues; i++)
        free(c->values[i]);
    free(c->values);
    free(c->lens);
    for (size_t i = 0; i < c->nkids; i++)
        cond_free(c->kids[i]);
    free(c->kids);
    free(c);
}

static tkg_cond *cond_compile(loader *L, const tkg_group *g, json_t *j, const char *where,
                              int depth) {
    if (depth > 32) {
        fail(L, "%s: condition nested too deeply", where);
        return NULL;
    }
    if (!json_is_object(j)) {
        fail(L, "%s: expected a condition object", where);
        return NULL;
    }
    tkg_cond *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->item = -1;
    json_t *kids = NULL;
    if ((kids = json_object_get(j, "all")) || (kids = json_object_get(j, "any"))) {
        c->kind = json_object_get(j, "all") ? C_ALL : C_ANY;
        if (!json_is_array(kids) || json_array_size(kids) == 0) {
            fail(L, "%s: all/any needs a non-empty array", where);
            goto bad;
        }
    } else if ((kids = json_object_get(j, "not"))) {
        c->kind = C_NOT;
        if (!json_is_object(kids)) {
            fail(L, "%s: \"not\" takes one condition object", where);
            goto bad;
        }
    }
    if (kids) {
        size_t n = json_is_array(kids) ? json_array_size(kids) : 1;
        c->kids = calloc(n, sizeof *c->kids);
        if (!c->kids) goto bad;
        for (size_t i = 0; i < n; i++) {
            json_t *k = json_is_array(kids) ? json_array_get(kids, i) : kids;
            c->kids[i] = cond_compile(L, g, k, where, depth + 1);
            if (!c->kids[i]) goto bad;
            c->nkids++;
        }
        return c;
    }
    const char *item = jstr(j, "item");
    if (!item) {
        fail(L, "%s: a condition needs \"item\" (or all/any/not)", where);
        goto bad;
    }
    c->item = tkg_group_item_by_name(g, item);
    if (c->item < 0) {
        fail(L, "%s: condition names item \"%s\", which group \"%s\" does not have", where, item,
             g->name);
        goto bad;
    }
    json_t *v;
    if ((v = json_object_get(j, "equals"))) {
        if (!json_is_string(v)) {
            fail(L, "%s: \"equals\" takes a string", where);
            goto bad;
        }
        c->kind = C_EQUALS;
        c->values = calloc(1, sizeof *c->values);
        if (!c->values || !(c->values[0] = tkg_strdup(json_string_value(v)))) goto bad;
        c->nvalues = 1;
    } else if ((v = json_object_get(j, "in"))) {
        if (!json_is_array(v)) {
            fail(L, "%s: \"in\" takes an array of strings", where);
            goto bad;
        }
        c->kind = C_IN;
        c->values = calloc(json_array_size(v) + 1, sizeof *c->values);
        if (!c->values) goto bad;
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *s = json_array_get(v, i);
            if (!json_is_string(s)) {
                fail(L, "%s: \"in\" takes an array of strings", where);
                goto bad;
            }
            c->values[c->nvalues++] = tkg_strdup(json_string_value(s));
        }
    } else if ((v = json_object_get(j, "present"))) {
        c->kind = json_is_false(v) ? C_ABSENT : C_PRESENT;
    } else {
        fail(L, "%s: condition on \"%s\" needs equals, in or present", where, item);
        goto bad;
    }
    c->lens = calloc(c->nvalues + 1, sizeof *c->lens);
    if (!c->lens) goto bad;
    for (size_t i = 0; i < c->nvalues; i++)
        c->lens[i] = c->values[i] ? strlen(c->values[i]) : 0;
    return c;
bad:
    cond_free(c);
    return NULL;
}

/* ---- code lists and masters ---------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static long code_id_of(json_t *v) {
    if (json_is_integer(v)) return (long)json_integer_value(v);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        errno = 0;
        long n = strtol(s, &end, 10);
        if (*s && !*end && !errno && n >= 0) return n;
    }
    return -1;
}

static bool load_code_list_file(loader *L, const char *rel) {
    char *path = tkg_path_join(L->p->dir, rel);
    if (!path) return fail(L, "out of memory");
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        fail(L, "code list %s:%d:%d: %s", path, je.line, je.column, je.text);
        free(path);
        return false;
    }
    json_t *lists = json_object_get(root, "code_lists");
    if (!json_is_array(lists)) {
        fail(L, "code list %s: expected {\"code_lists\": [...]}", path);
        goto bad;
    }
    size_t n = json_array_size(lists);
    tkg_codelist *grown = realloc(L->p->codelists, (L->p->ncodelists + n) * sizeof *grown);
    if (!grown) goto bad;
    L->p->codelists = grown;
    for (size_t i = 0; i < n; i++) {
        json_t *cl = json_array_get(lists, i);
        tkg_codelist *c = &L->p->codelists[L->p->ncodelists];
        memset(c, 0, sizeof *c);
        c->id = code_id_of(json_object_get(cl, "id"));
        if (c->id < 0) {
            fail(L, "code list %s: code_lists[%zu].id must be a number", path, i);
            goto bad;
        }
        c->name = opt_dup(cl, "name");
        L->p->ncodelists++;
        c->municipality_defined = jbool(cl, "municipality_defined") || c->id == 999;
        json_t *vals = json_object_get(cl, "values");
        size_t nv = json_is_array(vals) ? json_array_size(vals) : 0;
        c->codes = calloc(nv + 1, sizeof *c->codes);
        if (!c->codes) goto bad;
        for (size_t k = 0; k < nv; k++) {
            const char *code = jstr(json_array_get(vals, k), "code");
            if (!code) {
                fail(L, "code list %s: code_lists[%zu].values[%zu].code must be a string", path, i,
                     k);
                goto bad;
            }
            c->codes[c->ncodes++] = tkg_strdup(code);
        }
        if (c->ncodes) qsort(c->codes, c->ncodes, sizeof *c->codes, cmp_str);
        /* 999 means "the municipality defines the codes": checked only once a
         * list (an overlay's) actually supplies them. */
        if (c->ncodes) c->municipality_defined = false;
        c->lens = calloc(c->ncodes + 1, sizeof *c->lens);
        if (!c->lens) goto bad;
        for (size_t k = 0; k < c->ncodes; k++)
            c->lens[k] = c->codes[k] ? strlen(c->codes[k]) : 0;
    }
    json_decref(root);
    free(path);
    return true;
bad:
    json_decref(root);
    free(path);
    return false;
}

/* Master CSV: read with the project's own CSV reader (UTF-8, header row). */
typedef struct {
    loader *L;
    tkg_master *m;
    const char *key_col, *abolished_col;
    long key_idx, abolished_idx;
    bool failed;
} master_ctx;

static void master_record(void *vctx, const tkg_csv_record *rec) {
    master_ctx *mc = vctx;
    if (mc->failed) return;
    if (rec->index == 1) {
        for (size_t i = 0; i < rec->nfields; i++) {
            if (strcmp(rec->fields[i].data, mc->key_col) == 0) mc->key_idx = (long)i;
            if (mc->abolished_col && strcmp(rec->fields[i].data, mc->abolished_col) == 0)
                mc->abolished_idx = (long)i;
        }
        if (mc->key_idx < 0) {
            mc->failed = true;
            fail(mc->L, "master %s: no column \"%s\" in its header", mc->m->name, mc->key_col);
        }
        return;
    }
    if ((size_t)mc->key_idx >= rec->nfields) return;
    const tkg_csv_field *k = &rec->fields[mc->key_idx];
    tkg_key_payload *pl = tkg_keyset_find(mc->m->keys, k->data, k->len, true, NULL);
    if (!pl) {
        mc->failed = true;
        fail(mc->L, "out of memory");
        return;
    }
    if (mc->abolished_idx >= 0 && (size_t)mc->abolished_idx < rec->nfields &&
        rec->fields[mc->abolished_idx].len > 0) {
        char **a = realloc(mc->m->abolished, (mc->m->nabolished + 1) * sizeof *a);
        if (!a) return;
        mc->m->abolished = a;
        a[mc->m->nabolished++] = tkg_strdup(rec->fields[mc->abolished_idx].data);
        pl->extra = mc->m->nabolished;
    }
}

static bool load_master(loader *L, const char *name, json_t *j) {
    tkg_master *m = &L->p->masters[L->p->nmasters];
    memset(m, 0, sizeof *m);
    m->name = tkg_strdup(name);
    m->source = opt_dup(j, "source");
    m->keys = tkg_keyset_new();
    L->p->nmasters++;
    const char *file = jstr(j, "file"), *key = jstr(j, "key");
    if (!file || !key) return fail(L, "masters.%s: needs \"file\" and \"key\"", name);
    char *path = tkg_path_join(L->p->dir, file);
    if (!path || !m->keys) return fail(L, "out of memory");
    master_ctx mc = {L, m, key, jstr(j, "abolished"), -1, -1, false};
    tkg_dialect d = {.encoding = TKG_ENC_UTF8,
                     .bom = TKG_BOM_OPTIONAL,
                     .delimiter = ',',
                     .quote = '"',
                     .newline = TKG_NL_ANY,
                     .header = TKG_HDR_JAPANESE};
    tkg_csv_callbacks cb = {master_record, NULL, &mc};
    char digest[65];
    bool ok = tkg_read_file_csv(path, &d, &cb, digest);
    if (!ok) {
        fail(L, "masters.%s: cannot read %s: %s", name, path, strerror(errno));
        free(path);
        return false;
    }
    free(path);
    if (mc.failed) return false;
    return true;
}

/* ---- items and groups ---------------------------------------------------- */

static bool parse_type(const char *s, tkg_type *t) {
    static const struct {
        const char *name;
        tkg_type t;
    } types[] = {{"X", TKG_T_X},       {"N", TKG_T_N},       {"Ｎ", TKG_T_N},
                 {"9", TKG_T_9},       {"9V", TKG_T_9V},     {"S9", TKG_T_S9},
                 {"BLOB", TKG_T_BLOB}, {"YEAR", TKG_T_YEAR}, {"DATE", TKG_T_DATE},
                 {"TIME", TKG_T_TIME}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(s, types[i].name) == 0) {
            *t = types[i].t;
            return true;
        }
    return false;
}

static bool parse_length(loader *L, tkg_item *it, json_t *v, const char *where) {
    /* BLOB lengths (bytes of an image) can be large; they are recorded, not checked. */
    json_int_t limit = it->type == TKG_T_BLOB ? INT32_MAX : 1000000;
    if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) < limit) {
        it->length = (unsigned)json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        unsigned a, b;
        char tail;
        if (sscanf(json_string_value(v), "%u,%u%c", &a, &b, &tail) == 2 && a < 100 && b < 100) {
            it->length = a;
            it->scale = b;
            return true;
        }
        if (sscanf(json_string_value(v), "%u%c", &a, &tail) == 1 && a > 0 && a < 1000000) {
            it->length = a;
            return true;
        }
    }
    return fail(L, "%s.length: expected a positive integer or \"n,m\"", where);
}

static bool parse_item(loader *L, tkg_group *g, json_t *j, tkg_item *it, const char *where) {
    it->ref_group = it->ref_item = -1;
    it->code_id = -1;
    it->unknown_text_item = -1;
    if (!json_is_object(j)) return fail(L, "%s: expected an object", where);
    if (!need_str(L, j, "id", where, &it->id) || !need_str(L, j, "name", where, &it->name))
        return false;
    it->romaji = opt_dup(j, "romaji");
    it->primary_key = jbool(j, "primary_key");
    it->foreign_key = jbool(j, "foreign_key");
    const char *type = jstr(j, "type");
    if (!type || !parse_type(type, &it->type))
        return fail(L, "%s.type: expected X, N, 9, 9V, S9, BLOB, YEAR, DATE or TIME", where);
    json_t *len = json_object_get(j, "length");
    if (len && !parse_length(L, it, len, where)) return false;
    if (!len && it->type != TKG_T_BLOB) return fail(L, "%s.length: missing", where);
    if (it->type == TKG_T_9V && !it->scale && json_is_integer(len)) it->scale = 0;
    it->fixed_length = jbool(j, "fixed_length");
    json_t *code = json_object_get(j, "code");
    if (code && !json_is_null(code)) {
        it->code_id = code_id_of(code);
        if (it->code_id < 0) return fail(L, "%s.code: expected a code-list ID", where);
    }
    json_t *rep = json_object_get(j, "repeat");
    if (json_is_integer(rep)) it->repeat = (unsigned)json_integer_value(rep);
    const char *out = jstr(j, "output");
    if (!out) return fail(L, "%s.output: expected required, conditional or optional", where);
    if (!strcmp(out, "required"))
        it->output = TKG_OUT_REQUIRED;
    else if (!strcmp(out, "conditional"))
        it->output = TKG_OUT_CONDITIONAL;
    else if (!strcmp(out, "optional"))
        it->output = TKG_OUT_OPTIONAL;
    else
        return fail(L, "%s.output: expected required, conditional or optional", where);
    it->condition_text = opt_dup(j, "condition_text");
    it->implementation = jbool(j, "implementation");
    json_t *ud = json_object_get(j, "unknown_date");
    it->unknown_date = json_is_object(ud) && jbool(ud, "allowed");
    it->noncalendar = jbool(j, "noncalendar_dates");
    it->personal = jbool(j, "personal");
    json_t *checks = json_object_get(j, "checks");
    for (size_t i = 0; json_is_array(checks) && i < json_array_size(checks); i++) {
        const char *c = json_string_value(json_array_get(checks, i));
        if (!c) c = "";
        if (!strcmp(c, "municipality_code"))
            it->checks |= TKG_CHECK_MUNICIPALITY;
        else if (!strcmp(c, "my_number"))
            it->checks |= TKG_CHECK_MY_NUMBER;
        else if (!strcmp(c, "corporate_number"))
            it->checks |= TKG_CHECK_CORPORATE;
        else if (!strcmp(c, "choaza_id"))
            it->checks |= TKG_CHECK_CHOAZA;
        else if (!strcmp(c, "postal_code"))
            it->checks |= TKG_CHECK_POSTAL;
        else
            return fail(L,
                        "%s.checks[%zu]: unknown check \"%s\" (municipality_code, my_number, "
                        "corporate_number, choaza_id, postal_code)",
                        where, i, c);
    }
    const char *pat = jstr(j, "pattern");
    if (pat) {
        it->pattern_text = tkg_strdup(pat);
        it->pattern = malloc(sizeof *it->pattern);
        tkg_buf anchored = {0};
        tkg_buf_printf(&anchored, "^(%s)$", pat);
        int rc = it->pattern && anchored.data
                     ? regcomp(it->pattern, anchored.data, REG_EXTENDED | REG_NOSUB)
                     : -1;
        tkg_buf_free(&anchored);
        if (rc != 0) {
            free(it->pattern);
            it->pattern = NULL;
            return fail(L, "%s.pattern: not a valid POSIX extended regular expression", where);
        }
        it->fast_pattern = tkg_pattern_compile(pat);
    }
    const char *master = jstr(j, "master");
    if (master) {
        for (size_t i = 0; i < L->p->nmasters; i++)
            if (!strcmp(L->p->masters[i].name, master)) it->master = &L->p->masters[i];
        if (!it->master) return fail(L, "%s.master: no master named \"%s\"", where, master);
    }
    json_t *allowed = json_object_get(j, "allowed_values");
    if (json_is_array(allowed)) {
        it->allowed_values = calloc(json_array_size(allowed) + 1, sizeof(char *));
        for (size_t i = 0; it->allowed_values && i < json_array_size(allowed); i++) {
            const char *s = json_string_value(json_array_get(allowed, i));
            if (s) it->allowed_values[it->nallowed++] = tkg_strdup(s);
        }
    }
    (void)g;
    return true;
}

/* Second pass over an item, once all items and groups are known: names → indices. */
static bool link_item(loader *L, tkg_group *g, json_t *j, tkg_item *it, const char *where) {
    if (it->code_id >= 0) {
        for (size_t i = 0; i < L->p->ncodelists; i++)
            if (L->p->codelists[i].id == it->code_id) it->codes = &L->p->codelists[i];
        if (!it->codes && it->code_id != 999)
            return fail(L, "%s.code: code list %ld is not in any code_lists file", where,
                        it->code_id);
    }
    json_t *ud = json_object_get(j, "unknown_date");
    const char *text_item = json_is_object(ud) ? jstr(ud, "text_item") : NULL;
    if (text_item) {
        it->unknown_text_item = tkg_group_item_by_name(g, text_item);
        if (it->unknown_text_item < 0)
            return fail(L, "%s.unknown_date.text_item: no item \"%s\" in the group", where,
                        text_item);
    }
    json_t *rw = json_object_get(j, "required_when");
    if (rw && !(it->required_when = cond_compile(L, g, rw, where, 0))) return false;
    json_t *ref = json_object_get(j, "references");
    if (ref) {
        const char *rg = jstr(ref, "group"), *ri = jstr(ref, "item");
        it->ref_group = rg ? tkg_profile_group_by_name(L->p, rg) : -1;
        if (it->ref_group < 0)
            return fail(L, "%s.references.group: no group \"%s\"", where, rg ? rg : "");
        tkg_group *target = &L->p->groups[it->ref_group];
        it->ref_item = ri ? tkg_group_item_by_name(target, ri) : -1;
        if (it->ref_item < 0)
            return fail(L, "%s.references.item: group \"%s\" has no item \"%s\"", where,
                        target->name, ri ? ri : "");
        target->items[it->ref_item].is_referenced = true;
    }
    return true;
}

static bool parse_messages(json_t *m, char **ja, char **en) {
    *ja = opt_dup(m, "ja");
    *en = opt_dup(m, "en");
    if (!*ja) *ja = tkg_strdup(*en ? *en : "");
    if (!*en) *en = tkg_strdup(*ja);
    return *ja && *en;
}

static bool parse_group_pass1(loader *L, json_t *j, tkg_group *g, size_t gi) {
    char where[64];
    snprintf(where, sizeof where, "groups[%zu]", gi);
    if (!json_is_object(j)) return fail(L, "%s: expected an object", where);
    if (!need_str(L, j, "name", where, &g->name)) return false;
    g->romaji = opt_dup(j, "romaji");
    g->required = jbool(j, "required");
    json_t *files = json_object_get(j, "files");
    size_t nf = json_is_array(files) ? json_array_size(files) : 0;
    g->globs = calloc(nf + 1, sizeof *g->globs);
    if (!g->globs) return fail(L, "out of memory");
    for (size_t i = 0; i < nf; i++) {
        const char *s = json_string_value(json_array_get(files, i));
        if (s) g->globs[g->nglobs++] = tkg_strdup(s);
    }
    json_t *items = json_object_get(j, "items");
    if (!json_is_array(items) || json_array_size(items) == 0)
        return fail(L, "%s.items: expected a non-empty array", where);
    g->nitems = json_array_size(items);
    g->items = calloc(g->nitems, sizeof *g->items);
    g->pk = calloc(g->nitems, sizeof *g->pk);
    if (!g->items || !g->pk) return fail(L, "out of memory");
    for (size_t i = 0; i < g->nitems; i++) {
        char iw[96];
        snprintf(iw, sizeof iw, "%s.items[%zu]", where, i);
        if (!parse_item(L, g, json_array_get(items, i), &g->items[i], iw)) return false;
        if (tkg_group_item_by_name(g, g->items[i].name) != (int)i)
            return fail(L, "%s.name: item \"%s\" appears twice in the group", iw, g->items[i].name);
        if (g->items[i].primary_key) g->pk[g->npk++] = (int)i;
    }
    return true;
}

static bool parse_group_pass2(loader *L, json_t *j, tkg_group *g, size_t gi) {
    json_t *items = json_object_get(j, "items");
    for (size_t i = 0; i < g->nitems; i++) {
        char iw[96];
        snprintf(iw, sizeof iw, "groups[%zu].items[%zu]", gi, i);
        if (!link_item(L, g, json_array_get(items, i), &g->items[i], iw)) return false;
    }
    json_t *rules = json_object_get(j, "rules");
    size_t nr = json_is_array(rules) ? json_array_size(rules) : 0;
    g->rules = calloc(nr + 1, sizeof *g->rules);
    if (!g->rules) return fail(L, "out of memory");
    for (size_t i = 0; i < nr; i++) {
        json_t *r = json_array_get(rules, i);
        char rw[96];
        snprintf(rw, sizeof rw, "groups[%zu].rules[%zu]", gi, i);
        tkg_corr_rule *cr = &g->rules[g->nrules++];
        cr->id = opt_dup(r, "id");
        if (!(cr->when = cond_compile(L, g, json_object_get(r, "when"), rw, 0))) return false;
        if (!(cr->then = cond_compile(L, g, json_object_get(r, "then"), rw, 0))) return false;
        if (!parse_messages(json_object_get(r, "message"), &cr->msg_ja, &cr->msg_en))
            return fail(L, "out of memory");
    }
    return true;
}

static bool parse_aggregates(loader *L, json_t *arr) {
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    L->p->aggregates = calloc(n + 1, sizeof *L->p->aggregates);
    if (!L->p->aggregates) return fail(L, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(arr, i);
        char w[64];
        snprintf(w, sizeof w, "aggregates[%zu]", i);
        tkg_aggregate *ag = &L->p->aggregates[L->p->naggregates++];
        ag->id = opt_dup(a, "id");
        const char *gname = jstr(a, "group");
        ag->group = gname ? tkg_profile_group_by_name(L->p, gname) : -1;
        if (ag->group < 0) return fail(L, "%s.group: no group \"%s\"", w, gname ? gname : "");
        tkg_group *g = &L->p->groups[ag->group];
        json_t *key = json_object_get(a, "key");
        if (!json_is_array(key) || json_array_size(key) == 0)
            return fail(L, "%s.key: expected a non-empty array of item names", w);
        ag->key = calloc(json_array_size(key), sizeof *ag->key);
        if (!ag->key) return fail(L, "out of memory");
        for (size_t k = 0; k < json_array_size(key); k++) {
            const char *name = json_string_value(json_array_get(key, k));
            int idx = name ? tkg_group_item_by_name(g, name) : -1;
            if (idx < 0) return fail(L, "%s.key[%zu]: no item \"%s\"", w, k, name ? name : "");
            ag->key[ag->nkey++] = idx;
        }
        json_t *f = json_object_get(a, "filter");
        if (f && !(ag->filter = cond_compile(L, g, f, w, 0))) return false;
        json_t *wh = json_object_get(a, "where");
        if (wh && !(ag->where = cond_compile(L, g, wh, w, 0))) return false; /* absent: count all */
        json_t *mn = json_object_get(a, "min"), *mx = json_object_get(a, "max");
        ag->min = json_is_integer(mn) ? (long)json_integer_value(mn) : 0;
        ag->max = json_is_integer(mx) ? (long)json_integer_value(mx) : -1;
        if (!parse_messages(json_object_get(a, "message"), &ag->msg_ja, &ag->msg_en))
            return fail(L, "out of memory");
    }
    return true;
}

/* Referenced groups get a lower rank, so they are read before the files that refer to them. */
static void rank_groups(tkg_profile *p) {
    for (size_t i = 0; i < p->ngroups; i++)
        p->groups[i].rank = 0;
    for (size_t pass = 0; pass < p->ngroups; pass++) {
        bool changed = false;
        for (size_t gi = 0; gi < p->ngroups; gi++) {
            tkg_group *g = &p->groups[gi];
            for (size_t i = 0; i < g->nitems; i++) {
                int rg = g->items[i].ref_group;
                if (rg >= 0 && rg != (int)gi && g->rank <= p->groups[rg].rank) {
                    g->rank = p->groups[rg].rank + 1;
                    changed = true;
                }
            }
        }
        if (!changed) break; /* a cycle stops at ngroups passes: order is then best effort */
    }
}

/* ---- dialect ------------------------------------------------------------- */

static bool parse_dialect(loader *L, json_t *j, tkg_dialect *d) {
    char msg[256];
    return tkg_dialect_parse(j, d, msg, sizeof msg) || fail(L, "%s", msg);
}

/* ---- overlays: severities, rules switched off, the chain ------------------ */

static bool parse_overrides(loader *L, json_t *root) {
    tkg_profile *p = L->p;
    for (int i = 0; i < R__COUNT; i++)
        p->severity[i] = TKG_SEV_DEFAULT;
    json_t *ext = json_object_get(root, "extends");
    if (json_is_object(ext)) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s@%s", jstr(ext, "id") ? jstr(ext, "id") : "?",
                 jstr(ext, "version") ? jstr(ext, "version") : "?");
        p->extends = tkg_strdup(buf);
    }
    json_t *sev = json_object_get(root, "severity"), *reasons = json_object_get(root, "reasons");
    const char *rule;
    json_t *v;
    json_object_foreach(sev, rule, v) {
        int r = -1;
        for (int i = 0; i < R__COUNT; i++)
            if (!strcmp(tkg_rule((tkg_rule_id)i)->id, rule)) r = i;
        if (r < 0) return fail(L, "severity.%s: no such rule (see `tekigo rules`)", rule);
        const char *s = json_string_value(v);
        if (!s) return fail(L, "severity.%s: expected error, warning, info or off", rule);
        if (!strcmp(s, "error"))
            p->severity[r] = TKG_SEV_ERROR;
        else if (!strcmp(s, "warning"))
            p->severity[r] = TKG_SEV_WARNING;
        else if (!strcmp(s, "info"))
            p->severity[r] = TKG_SEV_INFO;
        else if (!strcmp(s, "off"))
            p->severity[r] = TKG_SEV_OFF;
        else
            return fail(L, "severity.%s: expected error, warning, info or off", rule);
        const char *why = jstr(reasons, rule);
        if (p->severity[r] == TKG_SEV_OFF && (!why || !*why))
            return fail(L, "severity.%s: a rule switched off needs its reason in reasons.%s", rule,
                        rule);
        p->reasons[r] = why ? tkg_strdup(why) : NULL;
    }
    return true;
}

/* ---- the profile --------------------------------------------------------- */

static bool parse_profile(loader *L, json_t *root) {
    tkg_profile *p = L->p;
    if (!json_is_object(root)) return fail(L, "expected a JSON object");
    json_t *fmt = json_object_get(root, "tekigo_profile");
    if (!json_is_integer(fmt) || json_integer_value(fmt) != 1)
        return fail(L, "tekigo_profile: expected 1 (the format version this tekigo reads)");
    if (!need_str(L, root, "id", "profile", &p->id) ||
        !need_str(L, root, "version", "profile", &p->version) ||
        !need_str(L, root, "business", "profile", &p->business))
        return false;
    p->purpose = opt_dup(root, "purpose");
    json_t *title = json_object_get(root, "title");
    p->title_ja = opt_dup(title, "ja");
    p->title_en = opt_dup(title, "en");
    json_t *eff = json_object_get(root, "effective");
    p->effective_from = opt_dup(eff, "from");
    p->effective_to = opt_dup(eff, "to");
    json_t *src = json_object_get(root, "source");
    const char *fid = jstr(src, "fidelity");
    if (!fid || (strcmp(fid, "official-transcription") && strcmp(fid, "modelled") &&
                 strcmp(fid, "illustrative")))
        return fail(L, "source.fidelity: expected official-transcription, modelled or "
                       "illustrative");
    p->fidelity = tkg_strdup(fid);
    const char *rep = jstr(root, "repertoire");
    if (!rep || !strcmp(rep, "mj"))
        p->repertoire = TKG_REP_MJ;
    else if (!strcmp(rep, "jisx0213"))
        p->repertoire = TKG_REP_JISX0213;
    else
        return fail(L, "repertoire: expected jisx0213 or mj");
    json_t *gaiji = json_object_get(root, "allowed_gaiji");
    size_t ng = json_is_array(gaiji) ? json_array_size(gaiji) : 0;
    p->gaiji = calloc(ng + 1, sizeof *p->gaiji);
    if (!p->gaiji) return fail(L, "out of memory");
    for (size_t i = 0; i < ng; i++) {
        const char *s = json_string_value(json_array_get(gaiji, i));
        unsigned cp;
        if (!s || sscanf(s, "U+%X", &cp) != 1 || cp > 0x10FFFF)
            return fail(L, "allowed_gaiji[%zu]: expected \"U+XXXX\"", i);
        p->gaiji[i] = cp;
    }
    qsort(p->gaiji, ng, sizeof *p->gaiji, tkg_cmp_u32);
    p->gaiji_set.cps = p->gaiji;
    p->gaiji_set.count = ng;
    if (!parse_dialect(L, json_object_get(root, "dialect"), &p->dialect)) return false;

    json_t *cls = json_object_get(root, "code_lists");
    for (size_t i = 0; json_is_array(cls) && i < json_array_size(cls); i++) {
        const char *rel = json_string_value(json_array_get(cls, i));
        if (!rel) return fail(L, "code_lists[%zu]: expected a path", i);
        if (!load_code_list_file(L, rel)) return false;
    }
    json_t *masters = json_object_get(root, "masters");
    size_t nm = json_is_object(masters) ? json_object_size(masters) : 0;
    p->masters = calloc(nm + 1, sizeof *p->masters);
    if (!p->masters) return fail(L, "out of memory");
    const char *mname;
    json_t *mval;
    json_object_foreach(masters, mname, mval) {
        if (!load_master(L, mname, mval)) return false;
    }

    if (!parse_overrides(L, root)) return false;
    json_t *groups = json_object_get(root, "groups");
    json_t *aggregates = json_object_get(root, "aggregates");
    p->spec = opt_dup(root, "spec");
    if (!json_is_array(groups) || json_array_size(groups) == 0)
        return fail(L, "groups: expected a non-empty array");
    p->groups = calloc(json_array_size(groups), sizeof *p->groups);
    if (!p->groups) return fail(L, "out of memory");
    for (size_t i = 0; i < json_array_size(groups); i++) {
        if (!parse_group_pass1(L, json_array_get(groups, i), &p->groups[i], i)) {
            p->ngroups = i + 1;
            return false;
        }
        p->ngroups = i + 1;
        if (tkg_profile_group_by_name(p, p->groups[i].name) != (int)i)
            return fail(L, "groups[%zu].name: group \"%s\" appears twice", i, p->groups[i].name);
    }
    for (size_t i = 0; i < p->ngroups; i++)
        if (!parse_group_pass2(L, json_array_get(groups, i), &p->groups[i], i)) return false;
    if (!parse_aggregates(L, aggregates)) return false;
    rank_groups(p);
    if (!tkg_profile_ext_parse(p, root, L->err, L->errlen)) return false;
    return true;
}

static void group_free(tkg_group *g) {
    for (size_t i = 0; i < g->nitems; i++) {
        tkg_item *it = &g->items[i];
        free(it->id);
        free(it->name);
        free(it->romaji);
        free(it->condition_text);
        cond_free(it->required_when);
        free(it->pattern_text);
        if (it->pattern) regfree(it->pattern);
        free(it->pattern);
        tkg_pattern_free(it->fast_pattern);
        for (size_t k = 0; k < it->nallowed; k++)
            free(it->allowed_values[k]);
        free(it->allowed_values);
    }
    free(g->items);
    for (size_t i = 0; i < g->nglobs; i++)
        free(g->globs[i]);
    free(g->globs);
    free(g->pk);
    for (size_t i = 0; i < g->nrules; i++) {
        free(g->rules[i].id);
        cond_free(g->rules[i].when);
        cond_free(g->rules[i].then);
        free(g->rules[i].msg_ja);
        free(g->rules[i].msg_en);
    }
    free(g->rules);
    free(g->name);
    free(g->romaji);
}

void tkg_profile_free(tkg_profile *p) {
    if (!p) return;
    tkg_profile_ext_free(p);
    for (size_t i = 0; i < p->ngroups; i++)
        group_free(&p->groups[i]);
    free(p->groups);
    for (size_t i = 0; i < p->ncodelists; i++) {
        for (size_t k = 0; k < p->codelists[i].ncodes; k++)
            free(p->codelists[i].codes[k]);
        free(p->codelists[i].codes);
        free(p->codelists[i].lens);
        free(p->codelists[i].name);
    }
    free(p->codelists);
    for (size_t i = 0; i < p->nmasters; i++) {
        tkg_master *m = &p->masters[i];
        free(m->name);
        free(m->source);
        tkg_keyset_free(m->keys);
        for (size_t k = 0; k < m->nabolished; k++)
            free(m->abolished[k]);
        free(m->abolished);
    }
    free(p->masters);
    for (size_t i = 0; i < p->naggregates; i++) {
        tkg_aggregate *a = &p->aggregates[i];
        free(a->id);
        free(a->key);
        cond_free(a->filter);
        cond_free(a->where);
        free(a->msg_ja);
        free(a->msg_en);
    }
    free(p->aggregates);
    free(p->gaiji);
    free(p->path);
    free(p->dir);
    free(p->id);
    free(p->version);
    free(p->business);
    free(p->purpose);
    free(p->fidelity);
    free(p->title_ja);
    free(p->title_en);
    free(p->effective_from);
    free(p->effective_to);
    free(p->spec);
    free(p->extends);
    for (int i = 0; i < R__COUNT; i++)
        free(p->reasons[i]);
    free(p);
}

tkg_status tkg_profile_load_file(const char *path, tkg_profile **out, char *err, size_t errlen) {
    *out = NULL;
    tkg_profile *p = calloc(1, sizeof *p);
    if (!p) return TKG_E_NOMEM;
    p->path = tkg_strdup(path);
    /* Paths inside the resolved tree are already joined with their file's directory. */
    p->dir = tkg_strdup("");
    loader L = {p, err, errlen};
    json_t *root = tkg_profile_resolve(path, err, errlen, p->sha256);
    bool ok = root && parse_profile(&L, root);
    json_decref(root);
    if (!ok) {
        tkg_profile_free(p);
        return TKG_E_PROFILE;
    }
    *out = p;
    return TKG_OK;
}

/* How specific a glob is: its literal characters (wildcards and brackets not counted). */
static size_t glob_literals(const char *glob) {
    size_t n = 0;
    for (const char *c = glob; *c; c++)
        n += !strchr("*?[]", *c);
    return n;
}

int tkg_profile_group_for_name(const tkg_profile *p, const char *basename) {
    /* The most specific matching glob wins (在外選挙人*.csv over *選挙人*.csv);
     * between equally specific ones, the group that comes first. */
    int best = -1;
    size_t best_literals = 0;
    for (size_t g = 0; g < p->ngroups; g++)
        for (size_t i = 0; i < p->groups[g].nglobs; i++) {
            if (fnmatch(p->groups[g].globs[i], basename, 0) != 0) continue;
            size_t lit = glob_literals(p->groups[g].globs[i]);
            if (best < 0 || lit > best_literals) {
                best = (int)g;
                best_literals = lit;
            }
        }
    return best;
}

int tkg_profile_group_by_name(const tkg_profile *p, const char *name) {
    for (size_t g = 0; g < p->ngroups; g++)
        if (p->groups[g].name && strcmp(p->groups[g].name, name) == 0) return (int)g;
    return -1;
}

int tkg_group_item_by_name(const tkg_group *g, const char *name) {
    for (size_t i = 0; i < g->nitems; i++)
        if (g->items[i].name && strcmp(g->items[i].name, name) == 0) return (int)i;
    return -1;
}

int tkg_group_item_by_romaji(const tkg_group *g, const char *romaji) {
    for (size_t i = 0; i < g->nitems; i++)
        if (g->items[i].romaji && strcmp(g->items[i].romaji, romaji) == 0) return (int)i;
    return -1;
}

const char *tkg_profile_id(const tkg_profile *p) {
    return p->id;
}
const char *tkg_profile_version(const tkg_profile *p) {
    return p->version;
}
const char *tkg_profile_business(const tkg_profile *p) {
    return p->business;
}
const char *tkg_profile_fidelity(const tkg_profile *p) {
    return p->fidelity;
}
const char *tkg_profile_path(const tkg_profile *p) {
    return p->path;
}
const char *tkg_profile_sha256(const tkg_profile *p) {
    return p->sha256;
}
const char *tkg_profile_effective_from(const tkg_profile *p) {
    return p->effective_from;
}
const char *tkg_profile_effective_to(const tkg_profile *p) {
    return p->effective_to;
}
const char *tkg_profile_extends(const tkg_profile *p) {
    return p->extends;
}
const char *tkg_profile_title(const tkg_profile *p, const char *lang) {
    const char *t = (lang && !strcmp(lang, "en")) ? p->title_en : p->title_ja;
    return t ? t : p->id;
}
