/* coverage.c — `tekigo coverage`, the procurement check: a vendor's
 * declaration of implemented functions and forms (coverage_decl.c) against
 * the function list of a business (specs/<code>-<romaji>/business.json →
 * functions-<version>.json, docs/spec-format.md). Builds the 適合確認 matrix
 * in the report (requirements in spec order, functions then forms, then the
 * declared IDs the spec does not know) and the findings COV001–COV006. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "coverage.h"
#include "report.h"
#include "util.h"

struct tkg_coverage {
    tkg_report *rep;
};

typedef struct {
    char *id, *name;
    tkg_decl_kind kind;
    const char *category; /* "required", "optional", "forbidden" */
    int decl;             /* index of its declaration entry, or -1 */
} requirement;

typedef struct {
    char *id, *name, *version;
    tkg_decl_kind kind;
} other_id;

typedef struct {
    char *version;
    bool fallback;
    requirement *reqs;
    size_t nreqs;
    other_id *others;
    size_t nothers;
} spec_list;

static void spec_free(spec_list *s) {
    for (size_t i = 0; i < s->nreqs; i++) {
        free(s->reqs[i].id);
        free(s->reqs[i].name);
    }
    free(s->reqs);
    for (size_t i = 0; i < s->nothers; i++) {
        free(s->others[i].id);
        free(s->others[i].name);
        free(s->others[i].version);
    }
    free(s->others);
    free(s->version);
    memset(s, 0, sizeof *s);
}

static bool valid_id(const char *id, const char *business) {
    return strlen(id) == 7 && strspn(id, "0123456789") == 7 && !strncmp(id, business, 3);
}

static const char *category_of(const char *c) {
    if (!c) return NULL;
    if (!strcmp(c, "required")) return "required";
    if (!strcmp(c, "optional")) return "optional";
    if (!strcmp(c, "forbidden")) return "forbidden";
    return NULL;
}

/* Loads the functions and forms of one function-list file. strict: every entry
 * must be valid (the version in use); otherwise bad entries are skipped. */
static bool load_list(const char *path, const char *business, bool strict, requirement **out,
                      size_t *n, char *err, size_t errlen) {
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    *out = NULL;
    *n = 0;
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        return false;
    }
    const char *b = json_string_value(json_object_get(root, "business"));
    if (strict && (!b || strcmp(b, business) != 0)) {
        snprintf(err, errlen, "%s: \"business\" is not %s", path, business);
        json_decref(root);
        return false;
    }
    static const char *const KEYS[] = {"functions", "forms"};
    size_t total = json_array_size(json_object_get(root, "functions")) +
                   json_array_size(json_object_get(root, "forms"));
    requirement *reqs = calloc(total + 1, sizeof *reqs);
    bool ok = reqs != NULL;
    for (int k = 0; ok && k < 2; k++) {
        json_t *arr = json_object_get(root, KEYS[k]), *e;
        size_t i;
        if (arr && !json_is_array(arr) && strict) {
            snprintf(err, errlen, "%s: \"%s\" is not an array", path, KEYS[k]);
            ok = false;
        }
        json_array_foreach(arr, i, e) {
            const char *id = json_string_value(json_object_get(e, "id"));
            const char *cat = category_of(json_string_value(json_object_get(e, "category")));
            const char *name = json_string_value(json_object_get(e, "name"));
            bool dup = false;
            for (size_t d = 0; id && d < *n; d++)
                dup |= reqs[d].kind == (tkg_decl_kind)k && !strcmp(reqs[d].id, id);
            if (!id || !valid_id(id, business) || !cat || dup) {
                if (!strict) continue;
                snprintf(err, errlen, "%s: %s[%zu]: %s", path, KEYS[k], i,
                         !id || !valid_id(id, business)
                             ? "\"id\" is not a 7-digit ID of this business"
                         : !cat ? "\"category\" is not required, optional or forbidden"
                                : "duplicate \"id\"");
                ok = false;
                break;
            }
            requirement *r = &reqs[(*n)++];
            r->id = tkg_strdup(id);
            r->name = name ? tkg_strdup(name) : NULL;
            r->kind = (tkg_decl_kind)k;
            r->category = cat;
            r->decl = -1;
            if (!r->id) ok = false;
        }
    }
    json_decref(root);
    if (!ok) {
        for (size_t i = 0; i < *n; i++) {
            free(reqs[i].id);
            free(reqs[i].name);
        }
        free(reqs);
        *n = 0;
        if (!err[0]) snprintf(err, errlen, "out of memory");
        return false;
    }
    *out = reqs;
    return true;
}

/* Finds the function list for p: business.json in the spec folder, the version
 * of the profile or else the latest with a "functions" file; and the IDs of the
 * other versions' lists (for COV004). */
static tkg_status load_spec(const tkg_profile *p, spec_list *s, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    if (!p->spec) {
        snprintf(err, errlen, "profile %s@%s names no spec folder (\"spec\"): no function list",
                 p->id, p->version);
        return TKG_E_PROFILE;
    }
    char *bpath = tkg_path_join(p->spec, "business.json");
    json_error_t je;
    json_t *biz = bpath ? json_load_file(bpath, 0, &je) : NULL;
    if (!biz) {
        snprintf(err, errlen, "%s: %s", bpath ? bpath : p->spec, bpath ? je.text : "out of memory");
        free(bpath);
        return TKG_E_PROFILE;
    }
    json_t *versions = json_object_get(biz, "versions"), *v, *use = NULL;
    size_t i;
    json_array_foreach(versions, i, v) {
        const char *label = json_string_value(json_object_get(v, "version"));
        if (!label || !json_string_value(json_object_get(v, "functions"))) continue;
        if (!strcmp(label, p->version)) {
            use = v;
            break;
        }
        if (!use || tkg_version_cmp(label, json_string_value(json_object_get(use, "version"))) > 0)
            use = v;
    }
    tkg_status st = TKG_OK;
    if (!use) {
        snprintf(err, errlen, "%s: business %s has no version with a function list (\"functions\")",
                 bpath, p->business);
        st = TKG_E_PROFILE;
    } else {
        s->version = tkg_strdup(json_string_value(json_object_get(use, "version")));
        s->fallback = strcmp(s->version, p->version) != 0;
        char *fpath = tkg_path_join(p->spec, json_string_value(json_object_get(use, "functions")));
        if (!fpath || !load_list(fpath, p->business, true, &s->reqs, &s->nreqs, err, errlen))
            st = TKG_E_PROFILE;
        free(fpath);
    }
    /* IDs of the other versions, each with the latest version that has it. */
    json_array_foreach(versions, i, v) {
        if (st != TKG_OK) break;
        const char *label = json_string_value(json_object_get(v, "version"));
        const char *file = json_string_value(json_object_get(v, "functions"));
        if (!label || !file || v == use) continue;
        char *fpath = tkg_path_join(p->spec, file), oerr[256] = "";
        requirement *list = NULL;
        size_t n = 0;
        if (fpath && load_list(fpath, p->business, false, &list, &n, oerr, sizeof oerr)) {
            for (size_t k = 0; k < n; k++) {
                bool in_use = false;
                for (size_t r = 0; r < s->nreqs && !in_use; r++)
                    in_use = s->reqs[r].kind == list[k].kind && !strcmp(s->reqs[r].id, list[k].id);
                other_id *o = NULL;
                for (size_t r = 0; r < s->nothers && !o; r++)
                    if (s->others[r].kind == list[k].kind && !strcmp(s->others[r].id, list[k].id))
                        o = &s->others[r];
                if (in_use || (o && tkg_version_cmp(o->version, label) >= 0)) continue;
                if (!o) {
                    other_id *no = realloc(s->others, (s->nothers + 1) * sizeof *no);
                    if (!no) continue;
                    s->others = no;
                    o = &s->others[s->nothers++];
                    memset(o, 0, sizeof *o);
                    o->id = tkg_strdup(list[k].id);
                    o->kind = list[k].kind;
                }
                free(o->name);
                free(o->version);
                o->name = tkg_strdup(list[k].name ? list[k].name : "");
                o->version = tkg_strdup(label);
            }
        }
        for (size_t k = 0; k < n; k++) {
            free(list[k].id);
            free(list[k].name);
        }
        free(list);
        free(fpath);
    }
    json_decref(biz);
    free(bpath);
    if (st != TKG_OK) spec_free(s);
    return st;
}

/* ---- the check ------------------------------------------------------------ */

static const char *kind_word(bool en, tkg_decl_kind k) {
    return k == TKG_DK_FORM ? (en ? "form" : "帳票") : (en ? "function" : "機能");
}

static void emit(tkg_report *rep, tkg_rule_id rule, const tkg_decl_entry *e, uint32_t column,
                 const char *value, const char *a1, const char *a2, const char *a3) {
    tkg_loc loc = {0, 0, TKG_NO_RECORD, 0, NULL};
    if (e) {
        loc.line = e->line;
        loc.record = e->record >= 0 ? e->record : TKG_NO_RECORD;
        loc.column = column;
    }
    tkg_report_emit(rep, rule, &loc, value, value ? strlen(value) : 0, a1, a2, a3);
}

/* COV006 with a message made here, in the report's language. */
static void malformed(tkg_report *rep, const tkg_decl_entry *e, uint32_t column, const char *ja,
                      const char *en, const char *arg) {
    char msg[512];
    snprintf(msg, sizeof msg, rep->en ? en : ja, arg ? arg : "");
    emit(rep, R_COV006, e, column, e->id, msg, NULL, NULL);
}

static bool add_row(tkg_report *rep, size_t *cap, const char *id, const char *name,
                    tkg_decl_kind kind, const char *category, int declared, const char *verdict) {
    if (rep->ncoverage == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        tkg_coverage_row *rows = realloc(rep->coverage, nc * sizeof *rows);
        if (!rows) return false;
        rep->coverage = rows;
        *cap = nc;
    }
    tkg_coverage_row *r = &rep->coverage[rep->ncoverage];
    r->id = tkg_strdup(id);
    r->name = name ? tkg_strdup(name) : NULL;
    r->kind = kind == TKG_DK_FORM ? "form" : "function";
    r->category = category;
    r->declared = declared;
    r->verdict = verdict;
    if (!r->id || (name && !r->name)) {
        free(r->id);
        free(r->name);
        return false;
    }
    rep->ncoverage++;
    return true;
}

/* Declaration entries sorted by (kind, ID, position) to find duplicates and matches. */
typedef struct {
    tkg_decl_kind kind;
    const char *id;
    size_t index;
} entry_key;

static int cmp_key(tkg_decl_kind ka, const char *ia, tkg_decl_kind kb, const char *ib) {
    if (ka != kb) return ka < kb ? -1 : 1;
    return strcmp(ia, ib);
}

static int cmp_entries(const void *a, const void *b) {
    const entry_key *x = a, *y = b;
    int c = cmp_key(x->kind, x->id, y->kind, y->id);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int cmp_ids(const void *a, const void *b) {
    const entry_key *x = a, *y = b;
    return cmp_key(x->kind, x->id, y->kind, y->id);
}

static int cmp_others(const void *a, const void *b) {
    const other_id *x = a, *y = b;
    return cmp_key(x->kind, x->id, y->kind, y->id);
}

/* COV006 for an entry that cannot be used; false when it can. */
static bool reject(tkg_report *rep, const tkg_profile *p, const tkg_decl_entry *e) {
    if (e->kind == TKG_DK_BAD) {
        malformed(rep, e, 0, "区分「%s」を解釈できません（機能 または 帳票）",
                  "cannot read the kind \"%s\" (機能/function or 帳票/form)", e->kind_text);
        return true;
    }
    if (strlen(e->id) != 7 || strspn(e->id, "0123456789") != 7) {
        bool lost_zeros = strspn(e->id, "0123456789") == strlen(e->id) && strlen(e->id) < 7;
        malformed(rep, e, e->id_col,
                  lost_zeros ? "IDが7桁の数字ではありません（先頭の0が失われていませんか）%s"
                             : "IDが7桁の数字ではありません%s",
                  lost_zeros ? "the ID is not 7 digits (were leading zeros lost?)%s"
                             : "the ID is not 7 digits%s",
                  "");
        return true;
    }
    if (strncmp(e->id, p->business, 3) != 0) {
        char code[4] = {e->id[0], e->id[1], e->id[2], '\0'};
        malformed(rep, e, e->id_col, "別の業務（%s）のIDです", "an ID of another business (%s)",
                  code);
        return true;
    }
    if (e->value < 0) {
        malformed(rep, e, e->value_col, "実装有無の値「%s」を解釈できません",
                  "cannot read the 実装有無 value \"%s\"", e->value_text);
        return true;
    }
    return false;
}

/* Validates the entries (COV006), matches them to the requirements, and fills
 * the matrix and the findings. */
static bool check(tkg_report *rep, const tkg_profile *p, spec_list *s, tkg_declaration *d) {
    bool en = rep->en;
    entry_key *keys = calloc(d->n + 1, sizeof *keys), *firsts = calloc(d->n + 1, sizeof *firsts);
    unsigned char *state = calloc(d->n + 1, 1); /* 1 first declaration, 2 matched to the spec */
    if (!keys || !firsts || !state) {
        free(keys);
        free(firsts);
        free(state);
        return false;
    }
    size_t nvalid = 0, nfirst = 0;
    for (size_t i = 0; i < d->n; i++)
        if (!reject(rep, p, &d->entries[i]))
            keys[nvalid++] = (entry_key){d->entries[i].kind, d->entries[i].id, i};
    qsort(keys, nvalid, sizeof *keys, cmp_entries);
    /* The first declaration of an ID counts; a later one with another value is COV006. */
    for (size_t k = 0; k < nvalid; k++) {
        const tkg_decl_entry *e = &d->entries[keys[k].index];
        if (!nfirst || cmp_ids(&firsts[nfirst - 1], &keys[k]) != 0) {
            firsts[nfirst++] = keys[k];
            state[keys[k].index] = 1;
            continue;
        }
        const tkg_decl_entry *first = &d->entries[firsts[nfirst - 1].index];
        if (first->value == e->value) continue;
        char where[32];
        snprintf(where, sizeof where, "%llu", (unsigned long long)first->line);
        malformed(rep, e, e->value_col,
                  first->line ? "同じIDが異なる実装有無で再び申告されています（最初: %s 行目）"
                              : "同じIDが異なる実装有無で再び申告されています%s",
                  first->line ? "declared again with another 実装有無 (first on line %s)"
                              : "declared again with another 実装有無%s",
                  first->line ? where : "");
    }
    size_t cap = 0;
    bool ok = true;
    for (size_t r = 0; ok && r < s->nreqs; r++) {
        const requirement *q = &s->reqs[r];
        entry_key want = {q->kind, q->id, 0};
        const entry_key *f = nfirst ? bsearch(&want, firsts, nfirst, sizeof want, cmp_ids) : NULL;
        const tkg_decl_entry *e = f ? &d->entries[f->index] : NULL;
        if (f) state[f->index] = 2;
        int declared = e ? e->value : -1;
        const char *verdict = "ok", *name = q->name ? q->name : "";
        if (!strcmp(q->category, "required") && declared != 1) {
            verdict = "missing";
            emit(rep, R_COV001, e, e ? e->id_col : 0, q->id, kind_word(en, q->kind), q->id, name);
        } else if (!strcmp(q->category, "forbidden") && declared == 1) {
            verdict = "forbidden";
            emit(rep, R_COV002, e, e->id_col, q->id, kind_word(en, q->kind), q->id, name);
        } else if (!strcmp(q->category, "optional") && declared == 1) {
            emit(rep, R_COV005, e, e->id_col, q->id, kind_word(en, q->kind), q->id, name);
        }
        ok = add_row(rep, &cap, q->id, q->name, q->kind, q->category, declared, verdict);
    }
    /* IDs the version does not know, in declaration order. */
    if (s->nothers) qsort(s->others, s->nothers, sizeof *s->others, cmp_others);
    for (size_t i = 0; ok && i < d->n; i++) {
        if (state[i] != 1) continue;
        const tkg_decl_entry *e = &d->entries[i];
        other_id key = {e->id, NULL, NULL, e->kind};
        const other_id *o =
            s->nothers ? bsearch(&key, s->others, s->nothers, sizeof key, cmp_others) : NULL;
        if (o) {
            emit(rep, R_COV004, e, e->id_col, e->id, kind_word(en, e->kind), e->id, o->version);
            ok = add_row(rep, &cap, e->id, o->name, e->kind, "unknown", e->value, "other-version");
        } else {
            emit(rep, R_COV003, e, e->id_col, e->id, kind_word(en, e->kind), e->id,
                 rep->coverage_version);
            ok = add_row(rep, &cap, e->id, NULL, e->kind, "unknown", e->value, "unknown");
        }
    }
    free(keys);
    free(firsts);
    free(state);
    return ok;
}

tkg_status tkg_coverage_check(const tkg_profile *p, const char *declaration,
                              const tkg_options *opts, tkg_coverage **out, char *err,
                              size_t errlen) {
    *out = NULL;
    if (err && errlen) err[0] = '\0';
    if (!p || !declaration) {
        snprintf(err, errlen, "no profile or no declaration");
        return TKG_E_USAGE;
    }
    spec_list s;
    tkg_status st = load_spec(p, &s, err, errlen);
    if (st != TKG_OK) return st;
    bool en = opts && opts->lang && !strcmp(opts->lang, "en");
    tkg_coverage *c = calloc(1, sizeof *c);
    tkg_report *rep =
        c ? tkg_report_new(p, en, opts && opts->show_values, opts ? opts->max_examples : 0) : NULL;
    if (!rep) {
        free(c);
        spec_free(&s);
        snprintf(err, errlen, "out of memory");
        return TKG_E_NOMEM;
    }
    c->rep = rep;
    rep->timestamp = opts && opts->timestamp;
    if (opts && opts->as_of && strlen(opts->as_of) == 10) {
        memcpy(rep->as_of, opts->as_of, 10);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(rep->as_of, sizeof rep->as_of, "%Y-%m-%d", &tm);
    }
    rep->coverage_version = s.version;
    rep->coverage_fallback = s.fallback;
    s.version = NULL;
    tkg_declaration d;
    memset(&d, 0, sizeof d);
    bool ok = tkg_report_add_input(rep, declaration) == 0 && tkg_decl_read(declaration, en, &d);
    if (!ok) tkg_decl_free(&d);
    if (ok) {
        tkg_input *in = &rep->inputs[0];
        if (d.unreadable) {
            in->readable = false;
            tkg_loc loc = {0, 0, TKG_NO_RECORD, 0, NULL};
            tkg_report_emit(rep, R_IO001, &loc, NULL, 0, d.unreadable, NULL, NULL);
        } else {
            in->read = true;
            in->bytes = d.bytes;
            in->records = d.records;
            memcpy(in->sha256, d.sha256, sizeof in->sha256);
            ok = check(rep, p, &s, &d);
        }
        tkg_decl_free(&d);
    }
    spec_free(&s);
    if (!ok) {
        tkg_coverage_free(c);
        snprintf(err, errlen, "out of memory");
        return TKG_E_NOMEM;
    }
    tkg_report_seal(rep);
    *out = c;
    return TKG_OK;
}

const tkg_report *tkg_coverage_report(const tkg_coverage *c) {
    return c ? c->rep : NULL;
}

void tkg_coverage_free(tkg_coverage *c) {
    if (!c) return;
    tkg_report_free(c->rep);
    free(c);
}
