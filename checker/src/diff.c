/* diff.c — what changed between two profiles (two versions of a standard, or a
 * profile and its overlay), rule by rule: groups and items added or removed,
 * items renamed, retyped, lengthened or shortened, requirement (出力条件) and
 * 実装類型 changes, code lists and their values, keys, checks, dialect. This is
 * what a vendor reads when a new version is published. Items are matched by
 * their データ項目ID within a group of the same name, then by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "util.h"

typedef struct {
    json_t *changes;
} differ;

static const char *TYPE_NAMES[] = {"X", "N", "9", "9V", "S9", "BLOB", "YEAR", "DATE", "TIME"};
static const char *OUTPUT_NAMES[] = {"required", "conditional", "optional"};

static void add(differ *d, const char *change, const char *group, const tkg_item *it,
                const char *from, const char *to) {
    json_t *o = json_object();
    json_object_set_new(o, "change", json_string(change));
    json_object_set_new(o, "group", group ? json_string(group) : json_null());
    json_object_set_new(o, "item", it ? json_string(it->name) : json_null());
    json_object_set_new(o, "item_id", it ? json_string(it->id) : json_null());
    json_object_set_new(o, "from", from ? json_string(from) : json_null());
    json_object_set_new(o, "to", to ? json_string(to) : json_null());
    json_array_append_new(d->changes, o);
}

static void length_text(const tkg_item *it, char *buf, size_t n) {
    if (it->type == TKG_T_9V)
        snprintf(buf, n, "%u,%u", it->length, it->scale);
    else
        snprintf(buf, n, "%u", it->length);
}

static void describe(const tkg_item *it, char *buf, size_t n) {
    char len[32];
    length_text(it, len, sizeof len);
    snprintf(buf, n, "%s %s %s", TYPE_NAMES[it->type], len, OUTPUT_NAMES[it->output]);
}

static bool str_differs(const char *a, const char *b) {
    if (!a || !b) return a != b;
    return strcmp(a, b) != 0;
}

static int find_item(const tkg_group *g, const tkg_item *want) {
    for (size_t i = 0; i < g->nitems; i++)
        if (!strcmp(g->items[i].id, want->id)) return (int)i;
    return tkg_group_item_by_name(g, want->name);
}

static void compare_items(differ *d, const char *group, const tkg_item *a, const tkg_item *b) {
    char x[64], y[64];
    if (strcmp(a->name, b->name)) add(d, "item-renamed", group, b, a->name, b->name);
    if (str_differs(a->romaji, b->romaji)) add(d, "romaji-changed", group, b, a->romaji, b->romaji);
    if (a->type != b->type)
        add(d, "item-retyped", group, b, TYPE_NAMES[a->type], TYPE_NAMES[b->type]);
    if (a->length != b->length || a->scale != b->scale) {
        length_text(a, x, sizeof x);
        length_text(b, y, sizeof y);
        bool longer = b->length > a->length || (b->length == a->length && b->scale > a->scale);
        add(d, longer ? "item-lengthened" : "item-shortened", group, b, x, y);
    }
    if (a->fixed_length != b->fixed_length)
        add(d, "fixed-length-changed", group, b, a->fixed_length ? "fixed" : "max",
            b->fixed_length ? "fixed" : "max");
    if (a->output != b->output)
        add(d, "requirement-changed", group, b, OUTPUT_NAMES[a->output], OUTPUT_NAMES[b->output]);
    if (str_differs(a->condition_text, b->condition_text))
        add(d, "condition-changed", group, b, a->condition_text, b->condition_text);
    if (a->implementation != b->implementation)
        add(d, "implementation-changed", group, b, a->implementation ? "○" : "",
            b->implementation ? "○" : "");
    if (a->code_id != b->code_id) {
        snprintf(x, sizeof x, "%ld", a->code_id);
        snprintf(y, sizeof y, "%ld", b->code_id);
        add(d, "code-list-changed", group, b, a->code_id < 0 ? NULL : x, b->code_id < 0 ? NULL : y);
    }
    if (a->repeat != b->repeat) {
        snprintf(x, sizeof x, "%u", a->repeat);
        snprintf(y, sizeof y, "%u", b->repeat);
        add(d, "repeat-changed", group, b, x, y);
    }
    if (a->primary_key != b->primary_key || a->foreign_key != b->foreign_key) {
        snprintf(x, sizeof x, "%s%s", a->primary_key ? "PK" : "", a->foreign_key ? "FK" : "");
        snprintf(y, sizeof y, "%s%s", b->primary_key ? "PK" : "", b->foreign_key ? "FK" : "");
        add(d, "key-changed", group, b, x, y);
    }
    if (a->checks != b->checks) {
        snprintf(x, sizeof x, "0x%x", a->checks);
        snprintf(y, sizeof y, "0x%x", b->checks);
        add(d, "checks-changed", group, b, x, y);
    }
    if (str_differs(a->pattern_text, b->pattern_text))
        add(d, "pattern-changed", group, b, a->pattern_text, b->pattern_text);
    if (a->noncalendar != b->noncalendar || a->unknown_date != b->unknown_date) {
        snprintf(x, sizeof x, "noncalendar=%d unknown=%d", a->noncalendar, a->unknown_date);
        snprintf(y, sizeof y, "noncalendar=%d unknown=%d", b->noncalendar, b->unknown_date);
        add(d, "date-rules-changed", group, b, x, y);
    }
}

static void compare_groups(differ *d, const tkg_profile *a, const tkg_profile *b) {
    char desc[128];
    for (size_t gi = 0; gi < a->ngroups; gi++) {
        const tkg_group *ga = &a->groups[gi];
        int gbi = tkg_profile_group_by_name(b, ga->name);
        if (gbi < 0) {
            add(d, "group-removed", ga->name, NULL, ga->name, NULL);
            continue;
        }
        const tkg_group *gb = &b->groups[gbi];
        for (size_t i = 0; i < ga->nitems; i++) {
            int k = find_item(gb, &ga->items[i]);
            if (k < 0) {
                describe(&ga->items[i], desc, sizeof desc);
                add(d, "item-removed", ga->name, &ga->items[i], desc, NULL);
            } else {
                compare_items(d, ga->name, &ga->items[i], &gb->items[k]);
            }
        }
        for (size_t i = 0; i < gb->nitems; i++) {
            if (find_item(ga, &gb->items[i]) >= 0) continue;
            describe(&gb->items[i], desc, sizeof desc);
            add(d, "item-added", gb->name, &gb->items[i], NULL, desc);
        }
        if (ga->required != gb->required)
            add(d, "group-required-changed", ga->name, NULL, ga->required ? "required" : "optional",
                gb->required ? "required" : "optional");
    }
    for (size_t gi = 0; gi < b->ngroups; gi++)
        if (tkg_profile_group_by_name(a, b->groups[gi].name) < 0)
            add(d, "group-added", b->groups[gi].name, NULL, NULL, b->groups[gi].name);
}

/* The list an item with this ID uses: the last one loaded (an overlay's replaces the base's). */
static const tkg_codelist *list_by_id(const tkg_profile *p, long id) {
    for (size_t i = p->ncodelists; i-- > 0;)
        if (p->codelists[i].id == id) return &p->codelists[i];
    return NULL;
}

static bool has_code(const tkg_codelist *c, const char *code) {
    for (size_t i = 0; i < c->ncodes; i++)
        if (!strcmp(c->codes[i], code)) return true;
    return false;
}

static void compare_code_lists(differ *d, const tkg_profile *a, const tkg_profile *b) {
    char what[256];
    for (size_t i = 0; i < a->ncodelists; i++) {
        if (list_by_id(a, a->codelists[i].id) != &a->codelists[i]) continue; /* shadowed */
        const tkg_codelist *ca = &a->codelists[i], *cb = list_by_id(b, ca->id);
        snprintf(what, sizeof what, "%ld %s", ca->id, ca->name ? ca->name : "");
        if (!cb) {
            add(d, "code-list-removed", NULL, NULL, what, NULL);
            continue;
        }
        for (size_t k = 0; k < ca->ncodes; k++)
            if (!has_code(cb, ca->codes[k])) {
                char v[300];
                snprintf(v, sizeof v, "%s: %s", what, ca->codes[k]);
                add(d, "code-removed", NULL, NULL, v, NULL);
            }
        for (size_t k = 0; k < cb->ncodes; k++)
            if (!has_code(ca, cb->codes[k])) {
                char v[300];
                snprintf(v, sizeof v, "%s: %s", what, cb->codes[k]);
                add(d, "code-added", NULL, NULL, NULL, v);
            }
    }
    for (size_t i = 0; i < b->ncodelists; i++)
        if (!list_by_id(a, b->codelists[i].id)) {
            snprintf(what, sizeof what, "%ld %s", b->codelists[i].id,
                     b->codelists[i].name ? b->codelists[i].name : "");
            add(d, "code-list-added", NULL, NULL, NULL, what);
        }
}

static void compare_dialect(differ *d, const tkg_profile *a, const tkg_profile *b) {
    const tkg_dialect *x = &a->dialect, *y = &b->dialect;
    char f[32], t[32];
#define DIALECT_FIELD(field, name)                                                                 \
    if (x->field != y->field) {                                                                    \
        snprintf(f, sizeof f, "%d", (int)x->field);                                                \
        snprintf(t, sizeof t, "%d", (int)y->field);                                                \
        add(d, "dialect-" name "-changed", NULL, NULL, f, t);                                      \
    }
    DIALECT_FIELD(encoding, "encoding")
    DIALECT_FIELD(bom, "bom")
    DIALECT_FIELD(delimiter, "delimiter")
    DIALECT_FIELD(quote, "quote")
    DIALECT_FIELD(newline, "newline")
    DIALECT_FIELD(header, "header")
    DIALECT_FIELD(repeat_separator, "repeat-separator")
#undef DIALECT_FIELD
    if (a->repertoire != b->repertoire)
        add(d, "repertoire-changed", NULL, NULL, a->repertoire == TKG_REP_MJ ? "mj" : "jisx0213",
            b->repertoire == TKG_REP_MJ ? "mj" : "jisx0213");
}

static json_t *side(const tkg_profile *p) {
    return json_pack("{s:s,s:s,s:s,s:s}", "id", p->id, "version", p->version, "fidelity",
                     p->fidelity, "sha256", p->sha256);
}

tkg_status tkg_profile_diff(const tkg_profile *a, const tkg_profile *b, const char *format, bool en,
                            FILE *out, size_t *nchanges) {
    differ d = {json_array()};
    compare_dialect(&d, a, b);
    compare_groups(&d, a, b);
    compare_code_lists(&d, a, b);
    *nchanges = json_array_size(d.changes);
    int rc = 0;
    if (!strcmp(format, "json")) {
        json_t *root =
            json_pack("{s:o,s:o,s:O}", "from", side(a), "to", side(b), "changes", d.changes);
        rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', out);
        json_decref(root);
    } else if (!strcmp(format, "text")) {
        fprintf(out, "%s %s@%s → %s@%s: %zu %s\n", en ? "diff" : "差分", a->id, a->version, b->id,
                b->version, *nchanges, en ? "changes" : "件の変更");
        size_t i;
        json_t *c;
        json_array_foreach(d.changes, i, c) {
            const char *group = json_string_value(json_object_get(c, "group"));
            const char *item = json_string_value(json_object_get(c, "item"));
            const char *id = json_string_value(json_object_get(c, "item_id"));
            const char *from = json_string_value(json_object_get(c, "from"));
            const char *to = json_string_value(json_object_get(c, "to"));
            fprintf(out, "  %-24s", json_string_value(json_object_get(c, "change")));
            if (group) fprintf(out, " %s", group);
            if (item) fprintf(out, " %s(%s)", item, id);
            fprintf(out, "%s %s → %s\n", group || item ? ":" : "", from ? from : "-",
                    to ? to : "-");
        }
    } else {
        json_decref(d.changes);
        return TKG_E_USAGE;
    }
    json_decref(d.changes);
    return rc == 0 && !ferror(out) ? TKG_OK : TKG_E_IO;
}
