/* json_check.c — one payload against one API structure (json_check.h). A
 * stack of frames mirrors the open JSON containers; a frame knows the member
 * whose members (or elements) apply and which members were seen, and keeps
 * the values of its scalar members. When the object closes, they go to
 * tkg_engine_record as one record: value checks, required, conditional and
 * correlation rules, exactly once. A value too long to be valid for its item
 * (more than 8 bytes per character of 桁数) is checked at once instead and
 * only a short copy is kept, so memory stays bounded by the profile. */
#include "json_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moji.h"
#include "util.h"

#define SLOT_CAP 1100 /* copy kept of a value checked at once: enough for masking */

enum { J_OBJECT, J_ARRAY, J_STRING, J_NUMBER, J_BOOLEAN, J_NULL, J_SKIPPED };

typedef struct {
    const tkg_api_member *owner; /* member whose members / elements apply; NULL: not checked */
    bool is_array;
    const tkg_api_member *pending; /* object: member of the last key; NULL: unknown */
    uint64_t count;                /* array: elements */
    uint64_t line;
    uint32_t column;
    unsigned char *seen; /* per member of owner */
    size_t seen_cap;
    tkg_value *vals; /* per item of the group (objects with an owner) */
    size_t *data_off, *ptr_off;
    bool vals_ready;
    tkg_buf store; /* copies of values and pointers */
} vframe;

struct tkg_json_check {
    const tkg_profile *p;
    const tkg_api_structure *s;
    const tkg_group *g;
    tkg_engine *e;
    tkg_report *rep;
    uint32_t input;
    vframe *frames;
    size_t nframes, cap;
    int64_t record;
    uint64_t structural, known_top;
    tkg_buf scratch;
};

tkg_json_check *tkg_json_check_new(const tkg_profile *p, int structure, tkg_engine *e,
                                   tkg_report *rep, uint32_t input) {
    const tkg_api *api = tkg_api_of(p);
    if (!api || structure < 0 || (size_t)structure >= api->nstructures) return NULL;
    tkg_json_check *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->p = p;
    c->s = &api->structures[structure];
    c->g = &p->groups[c->s->group];
    c->e = e;
    c->rep = rep;
    c->input = input;
    return c;
}

void tkg_json_check_free(tkg_json_check *c) {
    if (!c) return;
    for (size_t i = 0; i < c->cap; i++) {
        vframe *f = &c->frames[i];
        free(f->seen);
        free(f->vals);
        free(f->data_off);
        free(f->ptr_off);
        tkg_buf_free(&f->store);
    }
    free(c->frames);
    tkg_buf_free(&c->scratch);
    free(c);
}

uint64_t tkg_json_check_structural(const tkg_json_check *c) {
    return c->structural;
}

uint64_t tkg_json_check_known_top(const tkg_json_check *c) {
    return c->known_top;
}

void tkg_json_check_begin(tkg_json_check *c) {
    c->nframes = 0;
    c->structural = c->known_top = 0;
    c->record = 0;
}

void tkg_json_check_end(tkg_json_check *c, bool aborted) {
    (void)aborted; /* objects left open by a syntax error are not judged */
    c->nframes = 0;
}

/* ---- helpers ---------------------------------------------------------------- */

static int kind_of(const tkg_json_event *ev) {
    switch (ev->kind) {
    case TKG_JSON_OBJECT_START:
        return J_OBJECT;
    case TKG_JSON_ARRAY_START:
        return J_ARRAY;
    case TKG_JSON_STRING:
        return J_STRING;
    case TKG_JSON_NUMBER:
        return J_NUMBER;
    case TKG_JSON_TRUE:
    case TKG_JSON_FALSE:
        return J_BOOLEAN;
    case TKG_JSON_NULL:
        return J_NULL;
    default:
        return J_SKIPPED;
    }
}

static int from_json(tkg_api_json j) {
    switch (j) {
    case TKG_JV_STRING:
        return J_STRING;
    case TKG_JV_NUMBER:
        return J_NUMBER;
    case TKG_JV_BOOLEAN:
        return J_BOOLEAN;
    default:
        return -1;
    }
}

/* The JSON type a value must have, or -1 for any. */
static int expected_of(const tkg_api_member *m, bool element) {
    if (element) return m->nkids ? J_OBJECT : from_json(m->json);
    if (m->kind == TKG_API_OBJECT) return J_OBJECT;
    if (m->kind == TKG_API_ARRAY) return J_ARRAY;
    return from_json(m->json);
}

static const char *type_name(bool en, int j) {
    static const char *const JA[] = {"オブジェクト", "配列", "文字列", "数値", "真偽値", "null"};
    static const char *const EN[] = {"an object", "an array",  "a string",
                                     "a number",  "a boolean", "null"};
    return j >= 0 && j <= J_NULL ? (en ? EN[j] : JA[j]) : "?";
}

static uint32_t col32(uint64_t c) {
    return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

static const tkg_item *item_of(const tkg_json_check *c, const tkg_api_member *m) {
    return m && m->item >= 0 ? &c->g->items[m->item] : NULL;
}

static void emit(tkg_json_check *c, tkg_rule_id rule, uint64_t line, uint64_t column,
                 const tkg_item *it, const char *pointer, const char *a1, const char *a2) {
    tkg_loc loc = {c->input, line, c->record, col32(column), it};
    tkg_report_emit_ptr(c->rep, rule, &loc, pointer, NULL, 0, a1, a2, NULL);
    c->structural++; /* every finding of this file is about the structure */
}

/* Appends "/" + the escaped member name (RFC 6901: ~ → ~0, / → ~1). */
static void pointer_append(tkg_buf *b, const char *name, size_t n) {
    tkg_buf_append(b, "/", 1);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (name[i] != '~' && name[i] != '/') continue;
        tkg_buf_append(b, name + start, i - start);
        tkg_buf_append(b, name[i] == '~' ? "~0" : "~1", 2);
        start = i + 1;
    }
    tkg_buf_append(b, name + start, n - start);
}

static vframe *push(tkg_json_check *c, const tkg_api_member *owner, bool is_array,
                    const tkg_json_event *ev) {
    if (c->nframes == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        vframe *f = realloc(c->frames, cap * sizeof *f);
        if (!f) return NULL;
        memset(f + c->cap, 0, (cap - c->cap) * sizeof *f);
        c->frames = f;
        c->cap = cap;
    }
    vframe *f = &c->frames[c->nframes++];
    f->owner = owner;
    f->is_array = is_array;
    f->pending = NULL;
    f->count = 0;
    f->line = ev->line;
    f->column = col32(ev->column);
    f->vals_ready = false;
    if (!owner || is_array) return f;
    if (f->seen_cap < owner->nkids) {
        unsigned char *s = realloc(f->seen, owner->nkids);
        if (!s) {
            f->owner = NULL;
            return f;
        }
        f->seen = s;
        f->seen_cap = owner->nkids;
    }
    memset(f->seen, 0, owner->nkids);
    size_t n = c->g->nitems;
    if (!f->vals) {
        f->vals = calloc(n, sizeof *f->vals);
        f->data_off = calloc(n, sizeof *f->data_off);
        f->ptr_off = calloc(n, sizeof *f->ptr_off);
        if (!f->vals || !f->data_off || !f->ptr_off) {
            f->owner = NULL;
            return f;
        }
    }
    for (size_t i = 0; i < n; i++)
        f->vals[i] = (tkg_value){.data = "", .present = false};
    f->store.len = 0;
    f->vals_ready = true;
    return f;
}

/* Bytes a valid value of the item can have at most (an IVS sequence is 8 bytes
 * for one character); 0 when values are checked at once (BLOB, repeats). */
static size_t full_cap(const tkg_item *it) {
    if (it->type == TKG_T_BLOB || it->repeat > 1) return 0;
    return (size_t)it->length * 8 + 16;
}

/* Keeps a member's value (at most keep bytes) for the object's record. skip:
 * already checked and reported, so the record leaves it alone. */
static void keep_value(vframe *f, int item, const char *data, size_t len, size_t keep,
                       uint64_t line, uint64_t column, bool skip, const char *pointer) {
    if (!f->vals_ready || item < 0) return;
    tkg_value *v = &f->vals[item];
    if (keep > len) keep = len;
    f->data_off[item] = f->store.len;
    tkg_buf_append(&f->store, data, keep);
    if (len > keep) tkg_buf_append(&f->store, "\xFF", 1); /* longer than any code: never equal */
    tkg_buf_append(&f->store, "", 1);
    f->ptr_off[item] = f->store.len;
    tkg_buf_append(&f->store, pointer, strlen(pointer) + 1);
    v->len = len > keep ? keep + 1 : len;
    v->line = line;
    v->column = col32(column);
    v->present = true;
    v->skip = skip;
}

static void mark_seen(vframe *f, const tkg_api_member *m) {
    if (!f->owner || f->is_array || !f->seen) return;
    for (size_t i = 0; i < f->owner->nkids; i++)
        if (f->owner->kids[i] == m) f->seen[i] = 1;
}

void tkg_json_cut_text(char *out, size_t size, const char *s, size_t n, size_t max) {
    size_t o = 0, i = 0;
    if (!size) return;
    if (max + 8 > size) max = size > 8 ? size - 8 : 0;
    while (i < n && o < max) {
        uint32_t cp;
        size_t k = tkg_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0) {
            o += (size_t)snprintf(out + o, size - o, "\\x%02X", (unsigned char)s[i]);
            i++;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    if (i < n && o + 4 <= size) memcpy(out + o, "…", 3), o += 3;
    out[o < size ? o : size - 1] = '\0';
}

/* ---- events ------------------------------------------------------------------ */

static void on_key(tkg_json_check *c, const tkg_json_event *ev, const char *pointer) {
    if (!c->nframes) return;
    vframe *f = &c->frames[c->nframes - 1];
    f->pending = NULL;
    if (!f->owner || f->is_array) return;
    const tkg_api_member *m = tkg_api_kid(f->owner, ev->text, ev->len);
    f->pending = m;
    if (m) {
        if (c->nframes == 1) c->known_top++;
        return;
    }
    char name[240];
    tkg_json_cut_text(name, sizeof name, ev->text, ev->len, 200);
    char where[160];
    if (c->rep->en)
        snprintf(where, sizeof where, c->s->request ? "the request" : "the %d response",
                 c->s->status);
    else
        snprintf(where, sizeof where, "%s", c->s->name ? c->s->name : c->s->id);
    emit(c, R_JSN020, ev->line, ev->column, NULL, pointer, name, where);
}

static void on_null(tkg_json_check *c, const tkg_api_member *m, bool element,
                    const tkg_json_event *ev, const char *pointer) {
    bool en = c->rep->en;
    if (element) {
        emit(c, R_JSN022, ev->line, ev->column, item_of(c, m), pointer,
             type_name(en, expected_of(m, true)), type_name(en, J_NULL));
        return;
    }
    if (m->nullable == 0) {
        emit(c, R_JSN021, ev->line, ev->column, item_of(c, m), pointer, NULL, NULL);
        return;
    }
    if (m->nullable == 1) return; /* 〇: may be null; the member is then not set */
    /* Not stated (the request sheet has no null column): null means "not set". */
    if (m->kind == TKG_API_SCALAR && m->item >= 0 && c->nframes)
        keep_value(&c->frames[c->nframes - 1], m->item, "", 0, 0, ev->line, ev->column, false,
                   pointer);
    else if (m->required)
        emit(c, R_E0001, ev->line, ev->column, item_of(c, m), pointer, NULL, NULL);
}

static void on_value(tkg_json_check *c, const tkg_json_event *ev, const char *pointer) {
    const tkg_api_member *m = NULL;
    bool element = false, checked = true;
    vframe *parent = c->nframes ? &c->frames[c->nframes - 1] : NULL;
    if (!parent) {
        m = c->s->root;
    } else if (!parent->owner) {
        checked = false;
    } else if (parent->is_array) {
        m = parent->owner;
        element = true;
        parent->count++;
    } else {
        m = parent->pending;
        parent->pending = NULL;
        checked = m != NULL;
    }
    int actual = kind_of(ev);
    if (!checked) {
        if (actual == J_OBJECT || actual == J_ARRAY) push(c, NULL, actual == J_ARRAY, ev);
        return;
    }
    if (parent && !element) mark_seen(parent, m);
    if (actual == J_NULL) {
        on_null(c, m, element, ev, pointer);
        return;
    }
    if (actual == J_SKIPPED) return; /* too deep: reported by the tokenizer */
    int want = expected_of(m, element);
    if (want >= 0 && want != actual) {
        bool en = c->rep->en;
        emit(c, R_JSN022, ev->line, ev->column, item_of(c, m), pointer, type_name(en, want),
             type_name(en, actual));
        if (actual == J_OBJECT || actual == J_ARRAY) push(c, NULL, actual == J_ARRAY, ev);
        return;
    }
    if (actual == J_OBJECT) {
        /* A member object, or an element object of an array: m's members apply. */
        push(c, m->nkids || m->kind == TKG_API_OBJECT ? m : NULL, false, ev);
        return;
    }
    if (actual == J_ARRAY) {
        push(c, m, true, ev);
        return;
    }
    const tkg_item *it = item_of(c, m);
    if (!it) return;
    bool member = parent && !element;
    if (member && parent->vals_ready && parent->vals[m->item].present) {
        /* A duplicate key: the earlier value is checked now, the last one with its object. */
        tkg_value old = parent->vals[m->item];
        old.data = parent->store.data + parent->data_off[m->item];
        old.pointer = parent->store.data + parent->ptr_off[m->item];
        tkg_loc loc = {c->input, old.line, c->record, old.column, NULL};
        if (!old.skip && old.len > 0) tkg_engine_check_value(c->e, it, &loc, &old);
    }
    /* A member's value is checked with its object (tkg_engine_record); elements,
     * a top-level scalar and values too long to be valid are checked now. */
    if (member && (ev->bad || ev->len <= full_cap(it))) {
        keep_value(parent, m->item, ev->text, ev->len, ev->len, ev->line, ev->column, ev->bad,
                   pointer);
        return;
    }
    if (ev->bad || ev->len == 0) return;
    tkg_value v = {.data = ev->text,
                   .len = ev->len,
                   .line = ev->line,
                   .column = col32(ev->column),
                   .present = true,
                   .pointer = pointer};
    tkg_loc loc = {c->input, ev->line, c->record, col32(ev->column), NULL};
    tkg_engine_check_value(c->e, it, &loc, &v);
    if (member)
        keep_value(parent, m->item, ev->text, ev->len, SLOT_CAP, ev->line, ev->column, true,
                   pointer);
}

static void on_close(tkg_json_check *c, const char *pointer) {
    if (!c->nframes) return;
    vframe *f = &c->frames[c->nframes - 1];
    const tkg_api_member *o = f->owner;
    if (o && f->is_array) {
        bool low = o->min_items >= 0 && f->count < (uint64_t)o->min_items;
        bool high = o->max_items >= 0 && f->count > (uint64_t)o->max_items;
        if (low || high) {
            char n[24], range[56];
            snprintf(n, sizeof n, "%llu", (unsigned long long)f->count);
            snprintf(range, sizeof range, "%ld..%ld", o->min_items < 0 ? 0 : o->min_items,
                     o->max_items);
            if (o->max_items < 0) snprintf(range, sizeof range, "%ld..", o->min_items);
            emit(c, R_JSN024, f->line, f->column, item_of(c, o), pointer, n, range);
        }
    } else if (o && f->vals_ready) {
        bool any_item = false;
        for (size_t i = 0; i < o->nkids; i++) {
            const tkg_api_member *k = o->kids[i];
            any_item |= k->item >= 0 && k->kind == TKG_API_SCALAR;
            if (f->seen[i]) continue;
            c->scratch.len = 0;
            tkg_buf_append(&c->scratch, pointer, strlen(pointer));
            pointer_append(&c->scratch, k->name, strlen(k->name));
            tkg_buf_append(&c->scratch, "", 1);
            if (k->required)
                emit(c, R_E0001, f->line, f->column, item_of(c, k), c->scratch.data, NULL, NULL);
            else if (k->kind == TKG_API_SCALAR && k->item >= 0)
                /* absent: not set, so a condition may still require it (E0004) */
                keep_value(f, k->item, "", 0, 0, f->line, f->column, false, c->scratch.data);
        }
        if (any_item) {
            for (size_t i = 0; i < c->g->nitems; i++) {
                if (!f->vals[i].present) continue;
                f->vals[i].data = f->store.data + f->data_off[i];
                f->vals[i].pointer = f->store.data + f->ptr_off[i];
            }
            tkg_loc loc = {c->input, f->line, c->record, f->column, NULL};
            tkg_engine_record(c->e, c->s->group, &loc, f->vals);
        }
    }
    c->nframes--;
}

void tkg_json_check_event(tkg_json_check *c, const tkg_json_event *ev, const char *pointer) {
    c->record = (int64_t)ev->record;
    switch (ev->kind) {
    case TKG_JSON_DOC_START:
    case TKG_JSON_DOC_END:
        return;
    case TKG_JSON_KEY:
        on_key(c, ev, pointer);
        return;
    case TKG_JSON_OBJECT_END:
    case TKG_JSON_ARRAY_END:
        on_close(c, pointer);
        return;
    default:
        on_value(c, ev, pointer);
        return;
    }
}

bool tkg_json_check_root_accepts(const tkg_json_check *c, const tkg_json_event *ev) {
    int actual = kind_of(ev);
    if (actual == J_SKIPPED) return true;
    if (actual == J_NULL) return c->s->root->nullable == 1;
    int want = expected_of(c->s->root, false);
    return want < 0 || want == actual;
}
