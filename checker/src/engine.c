/* engine.c — the rule engine over the format-neutral record model (engine.h).
 * Each value gets at most one value finding (the first rule it breaks, in the
 * order: characters, type, length, code, check digit, pattern, master), so one
 * defect reads as one finding; record-level rules (required, correlation,
 * keys, aggregates) come on top. Key memory grows with distinct keys only. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moji.h"
#include "pattern.h"
#include "util.h"
#include "values.h"

typedef struct {
    tkg_keyset *pk;       /* primary keys of the group */
    tkg_keyset **refs;    /* per item: values of referenced items (NULL otherwise) */
    tkg_keyset **pending; /* per FK item: values whose target was not complete yet */
    size_t files_expected, files_done;
    size_t files_unknown; /* inputs of not-yet-known group that may turn out to be this one */
    bool fk_missing_reported;
} group_state;

struct tkg_engine {
    const tkg_profile *p;
    tkg_report *rep;
    char as_of[11];
    group_state *groups;
    tkg_keyset **aggs;
    tkg_buf key; /* scratch for composite keys */
    bool *bad;   /* per item of the current record: its value got a finding */
    uint64_t *hash; /* per key item of the current record: its value's key-set hash */
};

tkg_engine *tkg_engine_new(const tkg_profile *p, tkg_report *rep, const char *as_of) {
    tkg_engine *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->p = p;
    e->rep = rep;
    if (as_of && strlen(as_of) == 10) {
        memcpy(e->as_of, as_of, 10);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(e->as_of, sizeof e->as_of, "%Y-%m-%d", &tm);
    }
    memcpy(rep->as_of, e->as_of, sizeof rep->as_of);
    size_t most = 1;
    for (size_t g = 0; g < p->ngroups; g++)
        if (p->groups[g].nitems > most) most = p->groups[g].nitems;
    e->bad = calloc(most, sizeof *e->bad);
    e->hash = calloc(most, sizeof *e->hash);
    e->groups = calloc(p->ngroups, sizeof *e->groups);
    e->aggs = calloc(p->naggregates + 1, sizeof *e->aggs);
    if (!e->groups || !e->aggs || !e->bad || !e->hash) {
        tkg_engine_free(e);
        return NULL;
    }
    for (size_t g = 0; g < p->ngroups; g++) {
        group_state *gs = &e->groups[g];
        gs->pk = tkg_keyset_new();
        gs->refs = calloc(p->groups[g].nitems, sizeof *gs->refs);
        gs->pending = calloc(p->groups[g].nitems, sizeof *gs->pending);
        if (!gs->pk || !gs->refs || !gs->pending) {
            tkg_engine_free(e);
            return NULL;
        }
        const tkg_group *grp = &p->groups[g];
        for (size_t i = 0; i < grp->nitems; i++)
            if (grp->items[i].is_referenced && !(grp->npk == 1 && grp->pk[0] == (int)i))
                gs->refs[i] = tkg_keyset_new();
    }
    for (size_t a = 0; a < p->naggregates; a++)
        e->aggs[a] = tkg_keyset_new();
    return e;
}

void tkg_engine_free(tkg_engine *e) {
    if (!e) return;
    for (size_t g = 0; e->groups && g < e->p->ngroups; g++) {
        tkg_keyset_free(e->groups[g].pk);
        for (size_t i = 0; e->groups[g].refs && i < e->p->groups[g].nitems; i++)
            tkg_keyset_free(e->groups[g].refs[i]);
        for (size_t i = 0; e->groups[g].pending && i < e->p->groups[g].nitems; i++)
            tkg_keyset_free(e->groups[g].pending[i]);
        free(e->groups[g].refs);
        free(e->groups[g].pending);
    }
    free(e->groups);
    for (size_t a = 0; e->aggs && a < e->p->naggregates; a++)
        tkg_keyset_free(e->aggs[a]);
    free(e->aggs);
    tkg_buf_free(&e->key);
    free(e->bad);
    free(e->hash);
    free(e);
}

void tkg_engine_group_expected(tkg_engine *e, int group, size_t nfiles, size_t unknown) {
    e->groups[group].files_expected = nfiles;
    e->groups[group].files_unknown = unknown;
}

void tkg_engine_file_done(tkg_engine *e, int group) {
    e->groups[group].files_done++;
}

/* ---- helpers ------------------------------------------------------------- */

static void fmt_u64(char *buf, size_t n, uint64_t v) {
    snprintf(buf, n, "%llu", (unsigned long long)v);
}

static const char *codepoint_text(char *buf, size_t n, const tkg_char_issue *ci) {
    char ch[8] = "";
    /* Show the character itself unless it is invisible or breaks a line. */
    if (ci->cls != TKG_CH_CONTROL && ci->cp >= 0x20 && !(ci->cp >= 0x7F && ci->cp < 0xA0)) {
        unsigned char *o = (unsigned char *)ch;
        uint32_t c = ci->cp;
        if (c < 0x80)
            o[0] = (unsigned char)c, o[1] = 0;
        else if (c < 0x800)
            o[0] = (unsigned char)(0xC0 | c >> 6), o[1] = (unsigned char)(0x80 | (c & 63)),
            o[2] = 0;
        else if (c < 0x10000)
            o[0] = (unsigned char)(0xE0 | c >> 12), o[1] = (unsigned char)(0x80 | ((c >> 6) & 63)),
            o[2] = (unsigned char)(0x80 | (c & 63)), o[3] = 0;
        else
            o[0] = (unsigned char)(0xF0 | c >> 18), o[1] = (unsigned char)(0x80 | ((c >> 12) & 63)),
            o[2] = (unsigned char)(0x80 | ((c >> 6) & 63)), o[3] = (unsigned char)(0x80 | (c & 63)),
            o[4] = 0;
    }
    if (ci->cp2)
        snprintf(buf, n, "U+%04X U+%04X", (unsigned)ci->cp, (unsigned)ci->cp2);
    else if (ch[0])
        snprintf(buf, n, "U+%04X「%s」", (unsigned)ci->cp, ch);
    else
        snprintf(buf, n, "U+%04X", (unsigned)ci->cp);
    return buf;
}

static const char *char_class_text(bool en, tkg_char_class c) {
    switch (c) {
    case TKG_CH_HALFWIDTH:
        return en ? "half-width character in a full-width item" : "全角項目に半角文字";
    case TKG_CH_FULLWIDTH:
        return en ? "non-ASCII character in a half-width item" : "半角項目に全角文字";
    case TKG_CH_NOT_IN_REPERTOIRE:
        return en ? "not in the character repertoire" : "文字集合外の文字";
    case TKG_CH_STRAY_MODIFIER:
        return en ? "variation selector or combining mark without a base"
                  : "基底文字のない異体字セレクタ・結合文字";
    default:
        return "";
    }
}

static bool cond_eval(const tkg_cond *c, const tkg_value *v) {
    switch (c->kind) {
    case C_EQUALS:
    case C_IN:
        if (!v[c->item].present) return false;
        for (size_t i = 0; i < c->nvalues; i++)
            if (c->lens[i] == v[c->item].len &&
                (c->lens[i] == 0 || c->values[i][0] == v[c->item].data[0]) &&
                memcmp(c->values[i], v[c->item].data, v[c->item].len) == 0)
                return true;
        return false;
    case C_PRESENT:
        return v[c->item].present && v[c->item].len > 0;
    case C_ABSENT:
        return !v[c->item].present || v[c->item].len == 0;
    case C_ALL:
        for (size_t i = 0; i < c->nkids; i++)
            if (!cond_eval(c->kids[i], v)) return false;
        return true;
    case C_ANY:
        for (size_t i = 0; i < c->nkids; i++)
            if (cond_eval(c->kids[i], v)) return true;
        return false;
    case C_NOT:
        return !cond_eval(c->kids[0], v);
    }
    return false;
}

/* The first item a condition talks about: where a correlation finding points. */
static int cond_first_item(const tkg_cond *c) {
    if (c->item >= 0) return c->item;
    for (size_t i = 0; i < c->nkids; i++) {
        int k = cond_first_item(c->kids[i]);
        if (k >= 0) return k;
    }
    return -1;
}

static void emit_at(tkg_engine *e, tkg_rule_id r, const tkg_loc *rec, const tkg_item *it,
                    const tkg_value *v, const char *val, size_t vlen, const char *a1,
                    const char *a2, const char *a3) {
    tkg_loc loc = *rec;
    loc.item = it;
    if (v) {
        loc.line = v->line ? v->line : rec->line;
        loc.column = v->column;
    }
    tkg_report_emit_ptr(e->rep, r, &loc, v ? v->pointer : NULL, val, vlen, a1, a2, a3);
}

/* ---- value checks -------------------------------------------------------- */

static bool is_allowed_literal(const tkg_item *it, const char *s, size_t n) {
    for (size_t i = 0; i < it->nallowed; i++)
        if (strlen(it->allowed_values[i]) == n && memcmp(it->allowed_values[i], s, n) == 0)
            return true;
    return false;
}

static int cmp_code(const void *key, const void *elem) {
    return strcmp((const char *)key, *(char *const *)elem);
}

/* Code lists are mostly short: compare lengths first, then bytes; long lists
 * are searched by bisection. */
static bool code_listed(const tkg_codelist *c, const char *s, size_t n) {
    if (c->ncodes <= 32) {
        for (size_t i = 0; i < c->ncodes; i++)
            if (c->lens[i] == n && (n == 0 || c->codes[i][0] == s[0]) &&
                memcmp(c->codes[i], s, n) == 0)
                return true;
        return false;
    }
    char key[256];
    if (n >= sizeof key) return false;
    memcpy(key, s, n);
    key[n] = '\0';
    return bsearch(key, c->codes, c->ncodes, sizeof(char *), cmp_code) != NULL;
}

/* Length rule shared by all types: E0003 for fixed-length items, LEN001 otherwise. */
static bool check_length(tkg_engine *e, const tkg_loc *rec, const tkg_item *it, const tkg_value *v,
                         const char *s, size_t n, size_t count) {
    char a[24], b[24];
    if (it->fixed_length && count != it->length) {
        fmt_u64(a, sizeof a, it->length);
        fmt_u64(b, sizeof b, count);
        emit_at(e, R_E0003, rec, it, v, s, n, a, b, NULL);
        return false;
    }
    if (it->length && count > it->length) {
        fmt_u64(a, sizeof a, it->length);
        fmt_u64(b, sizeof b, count);
        emit_at(e, R_LEN001, rec, it, v, s, n, a, b, NULL);
        return false;
    }
    return true;
}

/* Characters of an X or Ｎ value; *count gets the 桁数 count when they are allowed
 * (for Ｎ, counted in the same pass; X is ASCII, one byte per character). */
static bool check_chars(tkg_engine *e, const tkg_loc *rec, const tkg_item *it, const tkg_value *v,
                        const char *s, size_t n, size_t *count) {
    tkg_char_issue ci;
    *count = n;
    bool ok = it->type == TKG_T_N ? tkg_scan_fullwidth(e->p->repertoire, &e->p->gaiji_set,
                                                       (const unsigned char *)s, n, &ci, count)
                                  : tkg_check_halfwidth((const unsigned char *)s, n, &ci);
    if (ok) return true;
    char cp[64], what[160];
    if (!e->rep->show_values && (it->personal || (it->checks & TKG_CHECK_MY_NUMBER))) {
        /* A masked value must not leak through the message: say where, not what. */
        size_t at = tkg_char_count((const unsigned char *)s, ci.offset) + 1;
        snprintf(cp, sizeof cp, e->rep->en ? "(character %zu)" : "（%zu 文字目）", at);
    } else {
        codepoint_text(cp, sizeof cp, &ci);
    }
    if (ci.cls == TKG_CH_PUA) {
        emit_at(e, R_CHR001, rec, it, v, s, n, cp, NULL, NULL);
    } else if (ci.cls == TKG_CH_CONTROL) {
        emit_at(e, R_CHR002, rec, it, v, s, n, cp, NULL, NULL);
    } else {
        snprintf(what, sizeof what, "%s %s", char_class_text(e->rep->en, ci.cls), cp);
        emit_at(e, R_E0002, rec, it, v, s, n, what, NULL, NULL);
    }
    return false;
}

/* Numeric types: syntax finding, or the shared length rule when only too long. */
static bool check_number(tkg_engine *e, const tkg_loc *rec, const tkg_item *it, const tkg_value *v,
                         const char *s, size_t n) {
    char a[24] = "", b[24] = "";
    tkg_num_result r;
    tkg_rule_id rule;
    if (it->type == TKG_T_9) {
        r = tkg_check_unsigned(s, n, it->length);
        rule = R_TYP005;
    } else if (it->type == TKG_T_S9) {
        r = tkg_check_signed(s, n, it->length);
        rule = R_TYP007;
    } else {
        r = tkg_check_decimal(s, n, it->length, it->scale);
        rule = R_TYP006;
    }
    if (r != TKG_NUM_OK) { /* only formatted when there is something to report */
        fmt_u64(a, sizeof a, it->length);
        fmt_u64(b, sizeof b, it->scale);
    }
    if (r == TKG_NUM_SYNTAX) {
        emit_at(e, rule, rec, it, v, s, n, a, b, NULL);
        return false;
    }
    size_t digits = n - (n && s[0] == '-');
    if (it->type == TKG_T_9V || r == TKG_NUM_TOO_LONG) {
        if (r == TKG_NUM_TOO_LONG) {
            if (it->type == TKG_T_9V) {
                emit_at(e, rule, rec, it, v, s, n, a, b, NULL);
                return false;
            }
            return check_length(e, rec, it, v, s, n, digits);
        }
        return true;
    }
    return check_length(e, rec, it, v, s, n, digits);
}

static bool check_type(tkg_engine *e, const tkg_loc *rec, const tkg_item *it, const tkg_value *v,
                       const char *s, size_t n) {
    switch (it->type) {
    case TKG_T_X:
    case TKG_T_N: {
        size_t count;
        if (!check_chars(e, rec, it, v, s, n, &count)) return false;
        return check_length(e, rec, it, v, s, n, count);
    }
    case TKG_T_9:
    case TKG_T_9V:
    case TKG_T_S9:
        return check_number(e, rec, it, v, s, n);
    case TKG_T_BLOB:
        if (tkg_check_base64(s, n)) return true;
        emit_at(e, R_TYP008, rec, it, v, s, n, NULL, NULL, NULL);
        return false;
    case TKG_T_YEAR:
        if (tkg_check_year(s, n)) return true;
        emit_at(e, R_TYP004, rec, it, v, s, n, NULL, NULL, NULL);
        return false;
    case TKG_T_TIME:
        if (tkg_check_time(s, n)) return true;
        emit_at(e, R_TYP003, rec, it, v, s, n, NULL, NULL, NULL);
        return false;
    case TKG_T_DATE: {
        tkg_date_result d = tkg_check_date(s, n);
        if (d == TKG_DATE_OK || (d == TKG_DATE_NONCALENDAR && it->noncalendar)) return true;
        if (d == TKG_DATE_NONCALENDAR) {
            emit_at(e, R_TYP002, rec, it, v, s, n, NULL, NULL, NULL);
            return false;
        }
        char hint[200] = "";
        if (it->unknown_date)
            snprintf(hint, sizeof hint, "%s",
                     e->rep->en
                         ? " (an unknown date leaves this empty and goes in its 不詳表記 item)"
                         : "（不詳日はこの項目を空にし、不詳表記の項目に記載します）");
        emit_at(e, R_TYP001, rec, it, v, s, n, hint, NULL, NULL);
        return false;
    }
    }
    return true;
}

static bool check_semantics(tkg_engine *e, const tkg_loc *rec, const tkg_item *it,
                            const tkg_value *v, const char *s, size_t n) {
    if (it->nallowed && is_allowed_literal(it, s, n)) return true;
    if (it->codes && !it->codes->municipality_defined && !code_listed(it->codes, s, n)) {
        {
            char id[24];
            fmt_u64(id, sizeof id, (uint64_t)it->codes->id);
            emit_at(e, R_COD001, rec, it, v, s, n, id, it->codes->name ? it->codes->name : "",
                    NULL);
            return false;
        }
    }
    static const struct {
        unsigned flag;
        bool (*fn)(const char *, size_t);
        tkg_rule_id rule;
    } CHECKS[] = {{TKG_CHECK_MUNICIPALITY, tkg_check_municipality_code, R_CHK001},
                  {TKG_CHECK_MY_NUMBER, tkg_check_my_number, R_CHK002},
                  {TKG_CHECK_CORPORATE, tkg_check_corporate_number, R_CHK003},
                  {TKG_CHECK_CHOAZA, tkg_check_choaza_id, R_CHK004},
                  {TKG_CHECK_POSTAL, tkg_check_postal_code, R_CHK005}};
    for (size_t i = 0; i < sizeof CHECKS / sizeof CHECKS[0]; i++) {
        if ((it->checks & CHECKS[i].flag) && !CHECKS[i].fn(s, n)) {
            emit_at(e, CHECKS[i].rule, rec, it, v, s, n, NULL, NULL, NULL);
            return false;
        }
    }
    if (it->fast_pattern) {
        if (!tkg_pattern_match(it->fast_pattern, s, n)) {
            emit_at(e, R_CHK006, rec, it, v, s, n, it->pattern_text, NULL, NULL);
            return false;
        }
    } else if (it->pattern) {
        char small[1024];
        char *z = n < sizeof small ? small : malloc(n + 1);
        if (z) {
            memcpy(z, s, n);
            z[n] = '\0';
            bool match = regexec(it->pattern, z, 0, NULL, 0) == 0;
            if (z != small) free(z);
            if (!match) {
                emit_at(e, R_CHK006, rec, it, v, s, n, it->pattern_text, NULL, NULL);
                return false;
            }
        }
    }
    if (it->master) {
        tkg_key_payload *pl = tkg_keyset_find(it->master->keys, s, n, false, NULL);
        if (!pl) {
            emit_at(e, R_MST001, rec, it, v, s, n, it->master->name, NULL, NULL);
            return false;
        }
        if (pl->extra) {
            const char *abolished = it->master->abolished[pl->extra - 1];
            if (strcmp(abolished, e->as_of) <= 0) {
                emit_at(e, R_MST002, rec, it, v, s, n, it->master->name, abolished, NULL);
                return false;
            }
        }
    }
    return true;
}

/* Checks one (possibly repeated) value of an item. */
/* Checks one (possibly repeated) value of an item; false when it got a finding. */
static bool check_value(tkg_engine *e, const tkg_loc *rec, const tkg_item *it, const tkg_value *v) {
    const char *s = v->data;
    size_t n = v->len;
    if (it->repeat > 1) {
        char sep = e->p->dialect.repeat_separator;
        size_t parts = 1;
        for (size_t i = 0; i < n; i++)
            parts += s[i] == sep;
        if (parts > it->repeat) {
            char a[24], b[24];
            fmt_u64(a, sizeof a, it->repeat);
            fmt_u64(b, sizeof b, parts);
            emit_at(e, R_REP001, rec, it, v, s, n, a, b, NULL);
            return false;
        }
        size_t start = 0;
        bool ok = true;
        for (size_t i = 0; i <= n; i++) {
            if (i == n || s[i] == sep) {
                if (i > start)
                    ok &= check_type(e, rec, it, v, s + start, i - start) &&
                          check_semantics(e, rec, it, v, s + start, i - start);
                start = i + 1;
            }
        }
        return ok;
    }
    return check_type(e, rec, it, v, s, n) && check_semantics(e, rec, it, v, s, n);
}

/* Whether a condition reads an item whose value already got a finding: such a
 * condition is not evaluated, so that one bad value does not also produce a
 * correlation finding built on it. */
static bool cond_reads_bad(const tkg_cond *c, const bool *bad) {
    if (c->item >= 0 && bad[c->item]) return true;
    for (size_t i = 0; i < c->nkids; i++)
        if (cond_reads_bad(c->kids[i], bad)) return true;
    return false;
}

void tkg_engine_check_value(tkg_engine *e, const tkg_item *it, const tkg_loc *loc,
                            const tkg_value *v) {
    if (check_type(e, loc, it, v, v->data, v->len)) check_semantics(e, loc, it, v, v->data, v->len);
}

/* ---- record-level checks ------------------------------------------------- */

static const char *join_key(tkg_engine *e, const int *items, size_t n, const tkg_value *v,
                            size_t *len) {
    e->key.len = 0;
    for (size_t k = 0; k < n; k++) {
        const tkg_value *x = &v[items[k]];
        if (!x->present || x->len == 0) return NULL;
        if (k) tkg_buf_append(&e->key, "\x1F", 1);
        tkg_buf_append(&e->key, x->data, x->len);
    }
    *len = e->key.len;
    return e->key.data ? e->key.data : "";
}

static void where_text(const tkg_report *rep, const tkg_key_payload *first, uint32_t input_now,
                       char *buf, size_t n) {
    if (first->extra != input_now && first->extra < rep->ninputs)
        snprintf(buf, n, "%s:%llu", tkg_basename(rep->inputs[first->extra].path),
                 (unsigned long long)first->line);
    else
        snprintf(buf, n, "%llu", (unsigned long long)first->line);
}

static void check_keys(tkg_engine *e, int gi, const tkg_loc *rec, const tkg_value *v) {
    const tkg_group *g = &e->p->groups[gi];
    group_state *gs = &e->groups[gi];
    size_t len;
    if (g->npk) {
        const char *key = join_key(e, g->pk, g->npk, v, &len);
        bool inserted;
        /* A single-item key is the value itself, hashed already by prefetch_keys. */
        uint64_t h = g->npk == 1 ? e->hash[g->pk[0]] : key ? tkg_keyset_hash(key, len) : 0;
        tkg_key_payload *pl = key ? tkg_keyset_find_hashed(gs->pk, key, len, h, true, &inserted) : NULL;
        if (pl && inserted) {
            pl->line = rec->line;
            pl->record = rec->record;
            pl->extra = rec->input;
        } else if (pl) {
            char where[256];
            where_text(e->rep, pl, rec->input, where, sizeof where);
            const tkg_value *kv = &v[g->pk[0]];
            emit_at(e, R_KEY001, rec, &g->items[g->pk[0]], kv, kv->data, kv->len, where, NULL,
                    NULL);
        }
    }
    for (size_t i = 0; i < g->nitems; i++) {
        const tkg_item *it = &g->items[i];
        const tkg_value *x = &v[i];
        if (!x->present || x->len == 0 || x->skip) continue;
        if (gs->refs[i]) tkg_keyset_find(gs->refs[i], x->data, x->len, true, NULL);
        if (it->ref_group < 0) continue;
        group_state *target = &e->groups[it->ref_group];
        if (target->files_expected == 0 && target->files_unknown == 0) {
            if (!gs->fk_missing_reported) {
                gs->fk_missing_reported = true;
                emit_at(e, R_PKG003, rec, it, x, NULL, 0, e->p->groups[it->ref_group].name, NULL,
                        NULL);
            }
            continue;
        }
        tkg_keyset *targets = target->refs[it->ref_item] ? target->refs[it->ref_item] : target->pk;
        /* A reference into the same group, or a cycle between groups: the target is not
         * complete yet, so values not found now are checked again at the end. */
        bool deferred = target->files_done < target->files_expected || target->files_unknown > 0;
        /* A repeated item refers with each of its values (one finding per missing value). */
        char sep = it->repeat > 1 ? e->p->dialect.repeat_separator : '\0';
        size_t start = 0;
        for (size_t k = 0; k <= x->len; k++) {
            if (k < x->len && (!sep || x->data[k] != sep)) continue;
            const char *part = x->data + start;
            size_t plen = k - start;
            start = k + 1;
            /* The whole field is one value unless the item repeats: hashed already. */
            uint64_t h = plen == x->len ? e->hash[i] : tkg_keyset_hash(part, plen);
            if (plen == 0 || tkg_keyset_find_hashed(targets, part, plen, h, false, NULL)) continue;
            if (deferred) {
                if (!gs->pending[i]) gs->pending[i] = tkg_keyset_new();
                bool inserted;
                tkg_key_payload *pl =
                    gs->pending[i] ? tkg_keyset_find(gs->pending[i], part, plen, true, &inserted)
                                   : NULL;
                if (pl && inserted) {
                    pl->line = x->line ? x->line : rec->line;
                    pl->record = rec->record;
                    pl->extra = (uint64_t)rec->input << 32 | x->column;
                }
                if (pl) pl->count++;
                continue;
            }
            char what[256];
            snprintf(what, sizeof what, "%s.%s", e->p->groups[it->ref_group].name,
                     e->p->groups[it->ref_group].items[it->ref_item].name);
            emit_at(e, R_KEY002, rec, it, x, part, plen, what, NULL, NULL);
        }
    }
    for (size_t a = 0; a < e->p->naggregates; a++) {
        const tkg_aggregate *ag = &e->p->aggregates[a];
        if (ag->group != gi || (ag->filter && !cond_eval(ag->filter, v))) continue;
        const char *key = join_key(e, ag->key, ag->nkey, v, &len);
        bool inserted;
        tkg_key_payload *pl = key ? tkg_keyset_find(e->aggs[a], key, len, true, &inserted) : NULL;
        if (!pl) continue;
        if (inserted) {
            pl->line = rec->line;
            pl->record = rec->record;
            pl->extra = rec->input;
        }
        if (!ag->where || cond_eval(ag->where, v)) pl->count++;
    }
}

/* Starts the cache misses of the key-set lookups this record will make, so that
 * they overlap with the value checks instead of stalling check_keys. */
static void prefetch_keys(tkg_engine *e, int gi, const tkg_value *v) {
    const tkg_group *g = &e->p->groups[gi];
    if (g->npk == 1 && v[g->pk[0]].present) {
        e->hash[g->pk[0]] = tkg_keyset_hash(v[g->pk[0]].data, v[g->pk[0]].len);
        tkg_keyset_prefetch(e->groups[gi].pk, e->hash[g->pk[0]]);
    }
    for (size_t i = 0; i < g->nitems; i++) {
        const tkg_item *it = &g->items[i];
        if (it->ref_group < 0 || !v[i].present) continue;
        const group_state *target = &e->groups[it->ref_group];
        const tkg_keyset *set =
            target->refs[it->ref_item] ? target->refs[it->ref_item] : target->pk;
        e->hash[i] = tkg_keyset_hash(v[i].data, v[i].len);
        tkg_keyset_prefetch(set, e->hash[i]);
    }
}

void tkg_engine_record(tkg_engine *e, int gi, const tkg_loc *rec, const tkg_value *v) {
    const tkg_group *g = &e->p->groups[gi];
    bool en = e->rep->en;
    prefetch_keys(e, gi, v);
    /* First every value and every required item, marking those that got a finding;
     * then the conditions, which skip what is already reported. */
    bool *bad = e->bad, any_bad = false;
    for (size_t i = 0; i < g->nitems; i++) {
        const tkg_item *it = &g->items[i];
        const tkg_value *x = &v[i];
        bad[i] = x->skip;
        any_bad |= x->skip;
        if (!x->present || x->skip) continue; /* missing column or short record: reported already */
        if (x->len > 0) {
            bad[i] = !check_value(e, rec, it, x);
            any_bad |= bad[i];
            continue;
        }
        bool has_unknown_text = it->unknown_date && it->unknown_text_item >= 0 &&
                                v[it->unknown_text_item].present &&
                                v[it->unknown_text_item].len > 0;
        if (it->output == TKG_OUT_REQUIRED && !has_unknown_text) {
            emit_at(e, R_E0001, rec, it, x, NULL, 0, NULL, NULL, NULL);
            bad[i] = any_bad = true;
        }
    }
    for (size_t i = 0; i < g->nitems; i++) {
        const tkg_item *it = &g->items[i];
        const tkg_value *x = &v[i];
        if (!x->present || x->skip || x->len > 0) continue;
        bool has_unknown_text = it->unknown_date && it->unknown_text_item >= 0 &&
                                v[it->unknown_text_item].present &&
                                v[it->unknown_text_item].len > 0;
        if (has_unknown_text) continue; /* 不詳日: the companion item carries the date */
        if (it->output == TKG_OUT_CONDITIONAL && it->required_when &&
            !(any_bad && cond_reads_bad(it->required_when, bad)) &&
            cond_eval(it->required_when, v)) {
            tkg_buf msg = {0};
            tkg_buf_printf(&msg, en ? "required here: %s" : "条件付き必須項目です: %s",
                           it->condition_text ? it->condition_text : "");
            emit_at(e, R_E0004, rec, it, x, NULL, 0, msg.data ? msg.data : "", NULL, NULL);
            tkg_buf_free(&msg);
        }
    }
    for (size_t r = 0; r < g->nrules; r++) {
        const tkg_corr_rule *cr = &g->rules[r];
        if (any_bad && (cond_reads_bad(cr->when, bad) || cond_reads_bad(cr->then, bad))) continue;
        if (cond_eval(cr->when, v) && !cond_eval(cr->then, v)) {
            int at = cond_first_item(cr->then);
            const tkg_item *it = at >= 0 ? &g->items[at] : NULL;
            const tkg_value *x = at >= 0 && v[at].present ? &v[at] : NULL;
            emit_at(e, R_E0004, rec, it, x, x && x->len ? x->data : NULL, x ? x->len : 0,
                    en ? cr->msg_en : cr->msg_ja, NULL, NULL);
        }
    }
    check_keys(e, gi, rec, v);
}

typedef struct {
    tkg_engine *e;
    const tkg_aggregate *ag;
} agg_visit;

static void visit_aggregate(void *ctx, const char *key, size_t len, tkg_key_payload *pl) {
    agg_visit *av = ctx;
    (void)key;
    (void)len;
    long c = (long)pl->count;
    if (c >= av->ag->min && (av->ag->max < 0 || c <= av->ag->max)) return;
    tkg_loc loc = {(uint32_t)pl->extra, pl->line, pl->record, 0, NULL};
    char count[24];
    fmt_u64(count, sizeof count, pl->count);
    tkg_report_emit(av->e->rep, R_KEY003, &loc, NULL, 0,
                    av->e->rep->en ? av->ag->msg_en : av->ag->msg_ja, count, NULL);
}

typedef struct {
    tkg_engine *e;
    const tkg_item *it;
    tkg_keyset *targets;
} pending_visit;

/* A deferred reference still not found once every file is read: KEY002 at its first use. */
static void visit_pending(void *ctx, const char *key, size_t len, tkg_key_payload *pl) {
    pending_visit *pv = ctx;
    if (tkg_keyset_find(pv->targets, key, len, false, NULL)) return;
    const tkg_profile *p = pv->e->p;
    char what[256];
    snprintf(what, sizeof what, "%s.%s", p->groups[pv->it->ref_group].name,
             p->groups[pv->it->ref_group].items[pv->it->ref_item].name);
    tkg_loc loc = {(uint32_t)(pl->extra >> 32), pl->line, pl->record, (uint32_t)pl->extra, pv->it};
    /* Shown once, at its first use; every use is counted. */
    tkg_report_emit(pv->e->rep, R_KEY002, &loc, key, len, what, NULL, NULL);
    if (pl->count > 1) tkg_report_count_only(pv->e->rep, R_KEY002, &loc, pl->count - 1);
}

void tkg_engine_finish(tkg_engine *e, const bool *group_has_file) {
    for (size_t g = 0; g < e->p->ngroups; g++) {
        const tkg_group *grp = &e->p->groups[g];
        for (size_t i = 0; i < grp->nitems; i++) {
            if (!e->groups[g].pending[i]) continue;
            const tkg_item *it = &grp->items[i];
            group_state *target = &e->groups[it->ref_group];
            if (target->files_done == 0) { /* the package turned out to have no such file */
                tkg_loc loc = {UINT32_MAX, 0, TKG_NO_RECORD, 0, it};
                tkg_report_emit(e->rep, R_PKG003, &loc, NULL, 0, e->p->groups[it->ref_group].name,
                                NULL, NULL);
                continue;
            }
            pending_visit pv = {
                e, it, target->refs[it->ref_item] ? target->refs[it->ref_item] : target->pk};
            tkg_keyset_each(e->groups[g].pending[i], visit_pending, &pv);
        }
    }
    for (size_t a = 0; a < e->p->naggregates; a++) {
        agg_visit av = {e, &e->p->aggregates[a]};
        tkg_keyset_each(e->aggs[a], visit_aggregate, &av);
    }
    for (size_t g = 0; g < e->p->ngroups; g++) {
        if (!e->p->groups[g].required || group_has_file[g]) continue;
        tkg_loc loc = {UINT32_MAX, 0, TKG_NO_RECORD, 0, NULL};
        tkg_report_emit(e->rep, R_PKG002, &loc, NULL, 0, e->p->groups[g].name, NULL, NULL);
    }
}
