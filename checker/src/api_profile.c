/* api_profile.c — parses and compiles the `api` part of an api-payload profile
 * (docs/api-profile-format.md): structures bound to groups, the flat member
 * rows of the workbook turned into a tree by their levels, item references
 * resolved and checked, and the error-code table. Every error names the JSON
 * path in the profile, like profile.c does. */
#include "api_profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
    tkg_profile *p;
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

static char *dup_str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? tkg_strdup(json_string_value(v)) : NULL;
}

static void member_free(tkg_api_member *m) {
    if (!m) return;
    for (size_t i = 0; i < m->nkids; i++)
        member_free(m->kids[i]);
    free(m->kids);
    free(m->name);
    free(m->label);
    free(m->type_text);
    free(m);
}

void tkg_api_free(tkg_profile *p) {
    tkg_api *a = p->api;
    if (!a) return;
    for (size_t i = 0; i < a->nstructures; i++) {
        tkg_api_structure *s = &a->structures[i];
        free(s->id);
        free(s->name);
        free(s->source_id);
        free(s->content_type);
        member_free(s->root);
    }
    free(a->structures);
    for (size_t i = 0; i < a->nerror_codes; i++) {
        free(a->error_codes[i].code);
        free(a->error_codes[i].name);
        free(a->error_codes[i].message);
        free(a->error_codes[i].note);
    }
    free(a->error_codes);
    free(a->structure_of_group);
    free(a->call);
    free(a->operation);
    free(a->method);
    free(a);
    p->api = NULL;
}

const tkg_api_member *tkg_api_kid(const tkg_api_member *m, const char *name, size_t len) {
    for (size_t i = 0; i < m->nkids; i++) {
        const char *k = m->kids[i]->name;
        if (k && strlen(k) == len && memcmp(k, name, len) == 0) return m->kids[i];
    }
    return NULL;
}

const char *tkg_api_json_name(tkg_api_json j) {
    switch (j) {
    case TKG_JV_STRING:
        return "string";
    case TKG_JV_NUMBER:
        return "number";
    case TKG_JV_BOOLEAN:
        return "boolean";
    default:
        return "any";
    }
}

/* ---- one member row ---------------------------------------------------------- */

static bool parse_kind(const char *s, tkg_api_kind *k) {
    if (!s || !strcmp(s, "scalar"))
        *k = TKG_API_SCALAR;
    else if (!strcmp(s, "object"))
        *k = TKG_API_OBJECT;
    else if (!strcmp(s, "array"))
        *k = TKG_API_ARRAY;
    else
        return false;
    return true;
}

static bool parse_json_type(const char *s, tkg_api_json *j) {
    if (!strcmp(s, "string"))
        *j = TKG_JV_STRING;
    else if (!strcmp(s, "number"))
        *j = TKG_JV_NUMBER;
    else if (!strcmp(s, "boolean"))
        *j = TKG_JV_BOOLEAN;
    else if (!strcmp(s, "any"))
        *j = TKG_JV_ANY;
    else
        return false;
    return true;
}

static long bound_of(json_t *v) {
    return json_is_integer(v) && json_integer_value(v) >= 0 ? (long)json_integer_value(v) : -1;
}

static tkg_api_member *parse_member(ctx *c, const tkg_group *g, json_t *j, const char *where) {
    if (!json_is_object(j)) {
        fail(c, "%s: expected an object", where);
        return NULL;
    }
    tkg_api_member *m = calloc(1, sizeof *m);
    if (!m) {
        fail(c, "out of memory");
        return NULL;
    }
    m->item = -1;
    m->no = -1;
    m->min_items = m->max_items = -1;
    m->name = dup_str(j, "name");
    m->label = dup_str(j, "label");
    m->type_text = dup_str(j, "type_text");
    json_t *v = json_object_get(j, "no");
    if (json_is_integer(v)) m->no = (int)json_integer_value(v);
    v = json_object_get(j, "level");
    if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 64)) {
        fail(c, "%s.level: expected an integer from 1 to 64", where);
        goto bad;
    }
    m->level = v ? (unsigned)json_integer_value(v) : 0;
    json_t *kind = json_object_get(j, "kind");
    if (!parse_kind(json_is_string(kind) ? json_string_value(kind) : NULL, &m->kind) ||
        (kind && !json_is_string(kind))) {
        fail(c, "%s.kind: expected object, array or scalar", where);
        goto bad;
    }
    m->required = json_is_true(json_object_get(j, "required"));
    v = json_object_get(j, "nullable");
    m->nullable = json_is_true(v) ? 1 : json_is_false(v) ? 0 : -1;
    const char *item = json_string_value(json_object_get(j, "item"));
    if (item) {
        for (size_t i = 0; i < g->nitems; i++)
            if (!strcmp(g->items[i].id, item)) m->item = (int)i;
        if (m->item < 0) {
            fail(c, "%s.item: group \"%s\" has no item with id \"%s\"", where, g->name, item);
            goto bad;
        }
        if (m->kind == TKG_API_OBJECT) {
            fail(c, "%s.item: an object member has no item (its members have)", where);
            goto bad;
        }
        const tkg_item *it = &g->items[m->item];
        if (m->name && it->romaji && strcmp(m->name, it->romaji) != 0 && m->kind != TKG_API_ARRAY) {
            fail(c, "%s: member \"%s\" refers to item \"%s\" whose romaji is \"%s\"", where,
                 m->name, item, it->romaji);
            goto bad;
        }
        if (m->label && strcmp(m->label, it->name) != 0 && m->kind != TKG_API_ARRAY) {
            fail(c, "%s: label \"%s\" differs from the name \"%s\" of item \"%s\"", where, m->label,
                 it->name, item);
            goto bad;
        }
    }
    /* The JSON type of a scalar: stated, or from the item type (numbers for 9, 9V, S9). */
    m->json = TKG_JV_STRING;
    if (m->item >= 0) {
        tkg_type t = g->items[m->item].type;
        if (t == TKG_T_9 || t == TKG_T_9V || t == TKG_T_S9) m->json = TKG_JV_NUMBER;
    }
    const char *js = json_string_value(json_object_get(j, "json"));
    if (js && !parse_json_type(js, &m->json)) {
        fail(c, "%s.json: expected string, number, boolean or any", where);
        goto bad;
    }
    if (m->kind == TKG_API_ARRAY) {
        m->min_items = bound_of(json_object_get(j, "min_items"));
        m->max_items = bound_of(json_object_get(j, "max_items"));
        if (!js && m->item < 0) m->json = TKG_JV_ANY;
    } else if (json_object_get(j, "min_items") || json_object_get(j, "max_items")) {
        fail(c, "%s: min_items and max_items apply to arrays only", where);
        goto bad;
    }
    return m;
bad:
    member_free(m);
    return NULL;
}

static bool add_kid(ctx *c, tkg_api_member *parent, tkg_api_member *kid, const char *where) {
    if (!kid->name)
        return fail(c, "%s.name: only the first row (the top-level value) has no name", where);
    if (tkg_api_kid(parent, kid->name, strlen(kid->name)))
        return fail(c, "%s.name: \"%s\" appears twice in the same object", where, kid->name);
    tkg_api_member **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (!k) return fail(c, "out of memory");
    parent->kids = k;
    k[parent->nkids++] = kid;
    return true;
}

/* ---- conditions stay within one object ----------------------------------------- */

typedef struct {
    const tkg_api_member **owner; /* per item of the group: the container whose member it is */
    int *uses;                    /* per item: how many members refer to it */
} item_map;

static void map_items(const tkg_api_member *container, const tkg_api_member *m, item_map *im) {
    if (m->item >= 0) {
        im->owner[m->item] = container;
        im->uses[m->item]++;
    }
    for (size_t i = 0; i < m->nkids; i++)
        map_items(m, m->kids[i], im);
}

static int cond_outside(const tkg_cond *cd, const item_map *im, const tkg_api_member *owner) {
    if (!cd) return -1;
    if (cd->item >= 0 && im->owner[cd->item] != owner) return cd->item;
    for (size_t i = 0; i < cd->nkids; i++) {
        int k = cond_outside(cd->kids[i], im, owner);
        if (k >= 0) return k;
    }
    return -1;
}

static bool check_items(ctx *c, tkg_api_structure *s, const char *where) {
    const tkg_group *g = &c->p->groups[s->group];
    item_map im = {calloc(g->nitems + 1, sizeof *im.owner), calloc(g->nitems + 1, sizeof *im.uses)};
    bool ok = im.owner && im.uses;
    if (!ok) fail(c, "out of memory");
    if (ok) map_items(NULL, s->root, &im);
    for (size_t i = 0; ok && i < g->nitems; i++) {
        const tkg_item *it = &g->items[i];
        if (im.uses[i] != 1) {
            ok = fail(c, "%s: item \"%s\" of group \"%s\" is used by %d members (expected 1)",
                      where, it->id, g->name, im.uses[i]);
            break;
        }
        int k = cond_outside(it->required_when, &im, im.owner[i]);
        if (k >= 0)
            ok = fail(c,
                      "%s: the condition of item \"%s\" names \"%s\", which is not a member of "
                      "the same object",
                      where, it->name, g->items[k].name);
    }
    for (size_t r = 0; ok && r < g->nrules; r++) {
        const tkg_corr_rule *cr = &g->rules[r];
        int a = cond_outside(cr->when, &im, NULL), b = cond_outside(cr->then, &im, NULL);
        int first = a >= 0 ? a : b;
        if (first < 0) continue;
        const tkg_api_member *owner = im.owner[first];
        if (cond_outside(cr->when, &im, owner) >= 0 || cond_outside(cr->then, &im, owner) >= 0)
            ok = fail(c, "%s: rule \"%s\" names items of different objects", where,
                      cr->id ? cr->id : "");
    }
    free(im.owner);
    free(im.uses);
    return ok;
}

/* ---- structures ------------------------------------------------------------------ */

static bool parse_structure(ctx *c, json_t *j, tkg_api_structure *s, size_t si) {
    char where[64];
    snprintf(where, sizeof where, "api.structures[%zu]", si);
    if (!json_is_object(j)) return fail(c, "%s: expected an object", where);
    s->id = dup_str(j, "id");
    s->group = -1;
    if (!s->id) return fail(c, "%s.id: expected a string", where);
    s->group = tkg_profile_group_by_name(c->p, s->id);
    if (s->group < 0)
        return fail(c, "%s.id: no group named \"%s\" (each structure has the group of its id)",
                    where, s->id);
    s->name = dup_str(j, "name");
    s->source_id = dup_str(j, "source_id");
    s->content_type = dup_str(j, "content_type");
    const char *kind = json_string_value(json_object_get(j, "kind"));
    if (!kind || (strcmp(kind, "request") && strcmp(kind, "response")))
        return fail(c, "%s.kind: expected request or response", where);
    s->request = !strcmp(kind, "request");
    json_t *st = json_object_get(j, "status");
    if (!s->request) {
        if (!json_is_integer(st) || json_integer_value(st) < 100 || json_integer_value(st) > 599)
            return fail(c, "%s.status: a response needs its HTTP status (100–599)", where);
        s->status = (int)json_integer_value(st);
    } else if (st) {
        return fail(c, "%s.status: a request has no HTTP status", where);
    }
    json_t *rows = json_object_get(j, "members");
    if (!json_is_array(rows)) return fail(c, "%s.members: expected an array of rows", where);
    const tkg_group *g = &c->p->groups[s->group];
    size_t n = json_array_size(rows), start = 0;
    unsigned base;
    /* The first row without a name is the top-level value; otherwise it is an object. */
    json_t *first = json_array_get(rows, 0);
    if (first && !json_object_get(first, "name")) {
        char rw[96];
        snprintf(rw, sizeof rw, "%s.members[0]", where);
        if (!(s->root = parse_member(c, g, first, rw))) return false;
        if (!s->root->level) s->root->level = 1;
        start = 1;
    } else {
        s->root = calloc(1, sizeof *s->root);
        if (!s->root) return fail(c, "out of memory");
        s->root->kind = TKG_API_OBJECT;
        s->root->item = s->root->no = -1;
        s->root->min_items = s->root->max_items = -1;
        s->root->required = true;
        s->root->nullable = 0;
        s->root->level = 1;
    }
    base = s->root->level;
    /* Open containers by level: stack[k] is the container at level base + k. */
    tkg_api_member *stack[65] = {s->root};
    size_t top = 0;
    for (size_t i = start; i < n; i++) {
        char rw[96];
        snprintf(rw, sizeof rw, "%s.members[%zu]", where, i);
        tkg_api_member *m = parse_member(c, g, json_array_get(rows, i), rw);
        if (!m) return false;
        if (!m->level) m->level = base + 1;
        if (m->level <= base || m->level > base + top + 1) {
            unsigned lv = m->level;
            member_free(m);
            return fail(c, "%s.level: %u does not follow the rows before it (expected %u to %u)",
                        rw, lv, base + 1, base + (unsigned)top + 1);
        }
        top = m->level - base - 1;
        tkg_api_member *parent = stack[top];
        if (parent->kind == TKG_API_SCALAR ||
            (parent->kind == TKG_API_ARRAY && parent->item >= 0)) {
            member_free(m);
            return fail(c, "%s.level: the row above at level %u holds no members", rw,
                        parent->level);
        }
        if (!add_kid(c, parent, m, rw)) {
            member_free(m);
            return false;
        }
        if (m->kind != TKG_API_SCALAR && top + 1 < 64)
            stack[++top] = m;
        else if (m->kind != TKG_API_SCALAR)
            return fail(c, "%s.level: nested too deeply", rw);
    }
    return check_items(c, s, where);
}

bool tkg_api_parse(tkg_profile *p, json_t *root, char *err, size_t errlen) {
    ctx c = {p, err, errlen};
    json_t *j = json_object_get(root, "api");
    bool api_purpose = p->purpose && !strcmp(p->purpose, "api-payload");
    if (!j)
        return api_purpose ? fail(&c, "api: a profile with purpose api-payload needs \"api\"")
                           : true;
    if (!api_purpose) return fail(&c, "api: only a profile with purpose api-payload has \"api\"");
    if (!json_is_object(j)) return fail(&c, "api: expected an object");
    tkg_api *a = calloc(1, sizeof *a);
    if (!a) return fail(&c, "out of memory");
    p->api = a;
    a->call = dup_str(j, "call");
    a->operation = dup_str(j, "operation");
    a->method = dup_str(j, "method");
    a->structure_of_group = malloc((p->ngroups + 1) * sizeof *a->structure_of_group);
    if (!a->structure_of_group) return fail(&c, "out of memory");
    for (size_t g = 0; g < p->ngroups; g++)
        a->structure_of_group[g] = -1;
    json_t *sts = json_object_get(j, "structures");
    if (!json_is_array(sts) || json_array_size(sts) == 0)
        return fail(&c, "api.structures: expected a non-empty array");
    a->structures = calloc(json_array_size(sts), sizeof *a->structures);
    if (!a->structures) return fail(&c, "out of memory");
    for (size_t i = 0; i < json_array_size(sts); i++) {
        tkg_api_structure *s = &a->structures[i];
        a->nstructures = i + 1;
        if (!parse_structure(&c, json_array_get(sts, i), s, i)) return false;
        if (a->structure_of_group[s->group] >= 0)
            return fail(&c, "api.structures[%zu].id: \"%s\" appears twice", i, s->id);
        a->structure_of_group[s->group] = (int)i;
        for (size_t k = 0; k < i; k++)
            if (!s->request && !a->structures[k].request && a->structures[k].status == s->status)
                return fail(&c, "api.structures[%zu].status: %d appears twice", i, s->status);
    }
    for (size_t g = 0; g < p->ngroups; g++)
        if (a->structure_of_group[g] < 0)
            return fail(&c, "groups[%zu]: group \"%s\" is no structure of api.structures", g,
                        p->groups[g].name);
    json_t *ecs = json_object_get(j, "error_codes");
    size_t ne = json_is_array(ecs) ? json_array_size(ecs) : 0;
    a->error_codes = calloc(ne + 1, sizeof *a->error_codes);
    if (!a->error_codes) return fail(&c, "out of memory");
    for (size_t i = 0; i < ne; i++) {
        json_t *e = json_array_get(ecs, i);
        tkg_api_error_code *ec = &a->error_codes[a->nerror_codes++];
        ec->code = dup_str(e, "code");
        ec->name = dup_str(e, "name");
        ec->message = dup_str(e, "message");
        ec->note = dup_str(e, "note");
        if (!ec->code) return fail(&c, "api.error_codes[%zu].code: expected a string", i);
    }
    return true;
}
