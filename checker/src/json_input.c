/* json_input.c — the reader for JSON API payloads (docs/api-profile-format.md):
 * a .json file is one payload, a .jsonl (.ndjson) file one payload per line.
 * It tokenizes the input in chunks (json_tok.c), turns tokenizer issues into
 * findings, keeps the JSON Pointer of the current value, and hands every
 * event to a checker of the payload's structure (json_check.c).
 *
 * Which structure: the one of the file's group (its `files` globs, e.g.
 * *.400.json, or --group 400), else detected per payload. Detection runs one
 * checker per structure whose top-level type fits, holding their findings
 * back through a report sink, and at the end of the payload keeps the one
 * with the fewest structural findings (then fewest findings, then profile
 * order); a payload whose object matches no top-level member of any
 * structure is JSN023. Held findings are bounded (CAPTURE_LIMIT bytes per
 * structure): past it, the best so far is chosen and checking goes on live. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "json_check.h"
#include "json_tok.h"
#include "moji.h"
#include "util.h"

#define MAX_DEPTH 64             /* nesting the tokenizer follows (JSN008 beyond) */
#define MAX_POINTER 4096         /* longer JSON Pointers end in "/…" */
#define CAPTURE_LIMIT (1u << 20) /* bytes of held-back findings per candidate */
#define HELD_VALUE_MAX 1100      /* enough for the report's masking and cutting */

typedef struct {
    tkg_rule_id rule;
    tkg_loc loc;
    char *pointer, *value, *a1, *a2, *a3;
    size_t vlen;
} held;

typedef struct {
    tkg_json_check *chk;
    bool alive;
    held *h;
    size_t nh, caph, bytes;
} cand;

typedef struct {
    tkg_file_ctx *fc;
    const tkg_api *api;
    tkg_json_tok *tok;
    bool lines;
    int declared; /* structure of the file's group, or -1: detect per payload */
    int detected; /* -2 no payload yet, -1 payloads differ, else their structure */
    cand *cands;
    size_t ncands, nalive;
    bool live; /* findings go straight to the report */
    bool root_seen, root_object, unmatched;
    uint64_t root_line, root_col;
    tkg_report_sink sink;
    cand *capturing;
    /* JSON Pointer of the current value: ptr_len[d] is the length of the
     * pointer of the container open at depth d (0: the top-level value). */
    tkg_buf ptr;
    size_t ptr_len[MAX_DEPTH + 2];
    uint64_t index[MAX_DEPTH + 2];
    bool is_obj[MAX_DEPTH + 2];
    size_t depth;
    tkg_buf key;
    bool key_pending; /* a key was read and its value has not begun */
} json_input;

/* ---- held findings ---------------------------------------------------------- */

static char *dup_or_null(const char *s) {
    return s ? tkg_strdup(s) : NULL;
}

static void hold(void *ctx, tkg_rule_id rule, const tkg_loc *loc, const char *pointer,
                 const char *value, size_t vlen, const char *a1, const char *a2, const char *a3) {
    json_input *ji = ctx;
    cand *c = ji->capturing;
    if (c->nh == c->caph) {
        size_t cap = c->caph ? c->caph * 2 : 16;
        held *h = realloc(c->h, cap * sizeof *h);
        if (!h) return;
        c->h = h;
        c->caph = cap;
    }
    held *h = &c->h[c->nh++];
    h->rule = rule;
    h->loc = *loc;
    h->pointer = dup_or_null(pointer);
    h->vlen = vlen > HELD_VALUE_MAX ? HELD_VALUE_MAX : vlen;
    h->value = value ? tkg_strndup(value, h->vlen) : NULL;
    h->a1 = dup_or_null(a1);
    h->a2 = dup_or_null(a2);
    h->a3 = dup_or_null(a3);
    c->bytes += sizeof *h + h->vlen + (pointer ? strlen(pointer) : 0) + (a1 ? strlen(a1) : 0) +
                (a2 ? strlen(a2) : 0) + (a3 ? strlen(a3) : 0);
}

static void drop_held(cand *c, tkg_report *rep) {
    for (size_t i = 0; i < c->nh; i++) {
        held *h = &c->h[i];
        if (rep)
            tkg_report_emit_ptr(rep, h->rule, &h->loc, h->pointer, h->value, h->vlen, h->a1, h->a2,
                                h->a3);
        free(h->pointer);
        free(h->value);
        free(h->a1);
        free(h->a2);
        free(h->a3);
    }
    c->nh = 0;
    c->bytes = 0;
}

/* The best live candidate: fewest structural findings, then fewest findings, then order. */
static size_t best_candidate(const json_input *ji) {
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < ji->ncands; i++) {
        const cand *c = &ji->cands[i];
        if (!c->alive) continue;
        if (best == SIZE_MAX) {
            best = i;
            continue;
        }
        const cand *b = &ji->cands[best];
        uint64_t cs = tkg_json_check_structural(c->chk), bs = tkg_json_check_structural(b->chk);
        if (cs < bs || (cs == bs && c->nh < b->nh)) best = i;
    }
    return best;
}

/* Keeps one candidate: its held findings go to the report, the others' are dropped. */
static size_t decide(json_input *ji) {
    size_t best = best_candidate(ji);
    for (size_t i = 0; i < ji->ncands; i++) {
        cand *c = &ji->cands[i];
        if (!c->alive) continue;
        if (i == best) {
            drop_held(c, ji->fc->report);
        } else {
            drop_held(c, NULL);
            c->alive = false;
        }
    }
    ji->nalive = best == SIZE_MAX ? 0 : 1;
    ji->live = true;
    return best;
}

/* ---- JSON Pointer ------------------------------------------------------------ */

/* Appends "/" + the escaped name (RFC 6901: ~ → ~0, / → ~1; a byte that is
 * not UTF-8 → U+FFFD, so the pointer stays a valid string). */
static void ptr_segment(json_input *ji, const char *name, size_t n) {
    tkg_buf *b = &ji->ptr;
    if (b->len + n + 1 > MAX_POINTER) {
        if (b->len + 4 <= MAX_POINTER + 8) tkg_buf_append(b, "/…", strlen("/…"));
        return;
    }
    tkg_buf_append(b, "/", 1);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = tkg_utf8_decode((const unsigned char *)name + i, n - i, &cp);
        if (k == 0)
            tkg_buf_append(b, "\xEF\xBF\xBD", 3), k = 1;
        else if (name[i] == '~')
            tkg_buf_append(b, "~0", 2);
        else if (name[i] == '/')
            tkg_buf_append(b, "~1", 2);
        else
            tkg_buf_append(b, name + i, k);
        i += k;
    }
}

static const char *ptr_done(json_input *ji) {
    tkg_buf_append(&ji->ptr, "", 1);
    ji->ptr.len--;
    return ji->ptr.data ? ji->ptr.data : "";
}

/* The pointer of the value that starts now at the current depth; advance: an
 * array element really starts (the next one gets the next index). */
static const char *value_pointer(json_input *ji, bool advance) {
    size_t d = ji->depth;
    ji->ptr.len = ji->ptr_len[d];
    if (d > 0) {
        if (ji->is_obj[d]) {
            ptr_segment(ji, ji->key.data ? ji->key.data : "", ji->key.len);
        } else {
            char n[24];
            snprintf(n, sizeof n, "%llu", (unsigned long long)ji->index[d]);
            ptr_segment(ji, n, strlen(n));
            if (advance) ji->index[d]++;
        }
    }
    return ptr_done(ji);
}

static const char *container_pointer(json_input *ji) {
    ji->ptr.len = ji->ptr_len[ji->depth];
    return ptr_done(ji);
}

/* ---- payloads ------------------------------------------------------------------ */

static void begin_payload(json_input *ji) {
    ji->fc->records++;
    ji->depth = 0;
    ji->ptr_len[0] = 0;
    ji->key.len = 0;
    ji->key_pending = false;
    ji->root_seen = ji->root_object = ji->unmatched = false;
    ji->nalive = 0;
    ji->live = ji->declared >= 0;
    for (size_t i = 0; i < ji->ncands; i++) {
        cand *c = &ji->cands[i];
        c->alive = ji->declared < 0 || ji->declared == (int)i;
        if (!c->alive) continue;
        tkg_json_check_begin(c->chk);
        ji->nalive++;
    }
}

static void unmatched(json_input *ji) {
    bool en = ji->fc->report->en;
    tkg_loc loc = {ji->fc->input, ji->root_line, (int64_t)ji->fc->records,
                   (uint32_t)(ji->root_col > UINT32_MAX ? UINT32_MAX : ji->root_col), NULL};
    tkg_report_emit_ptr(
        ji->fc->report, R_JSN023, &loc, "", NULL, 0,
        ji->api->call ? ji->api->call : ji->fc->profile->id,
        en ? " (name the file *.request.json, *.400.json, … or use --group)"
           : "（ファイル名 *.request.json・*.400.json など、または --group で構造を指定できます）",
        NULL);
    ji->unmatched = true;
}

static void end_payload(json_input *ji, bool aborted) {
    for (size_t i = 0; i < ji->ncands; i++)
        if (ji->cands[i].alive) tkg_json_check_end(ji->cands[i].chk, aborted);
    if (ji->unmatched || ji->ncands == 0) return;
    int chosen = ji->declared;
    if (chosen < 0) {
        size_t best = best_candidate(ji);
        if (best == SIZE_MAX) return;
        /* An object that names no top-level member of any structure is not any of them. */
        if (!aborted && ji->root_object && !ji->live &&
            tkg_json_check_known_top(ji->cands[best].chk) == 0) {
            for (size_t i = 0; i < ji->ncands; i++)
                drop_held(&ji->cands[i], NULL);
            unmatched(ji);
            return;
        }
        chosen = (int)decide(ji);
    }
    if (ji->detected == -2)
        ji->detected = chosen;
    else if (ji->detected != chosen)
        ji->detected = -1;
}

static void dispatch(json_input *ji, const tkg_json_event *ev, const char *pointer) {
    bool over = false;
    for (size_t i = 0; i < ji->ncands; i++) {
        cand *c = &ji->cands[i];
        if (!c->alive) continue;
        if (ji->live) {
            tkg_json_check_event(c->chk, ev, pointer);
            continue;
        }
        ji->capturing = c;
        tkg_report_set_sink(ji->fc->report, &ji->sink);
        tkg_json_check_event(c->chk, ev, pointer);
        tkg_report_set_sink(ji->fc->report, NULL);
        over |= c->bytes > CAPTURE_LIMIT;
    }
    if (over) decide(ji);
}

/* The top-level value decides which structures can be meant. */
static void root_value(json_input *ji, const tkg_json_event *ev) {
    ji->root_seen = true;
    ji->root_line = ev->line;
    ji->root_col = ev->column;
    ji->root_object = ev->kind == TKG_JSON_OBJECT_START;
    if (ji->declared >= 0 || ji->ncands == 0) return;
    for (size_t i = 0; i < ji->ncands; i++) {
        cand *c = &ji->cands[i];
        if (c->alive && !tkg_json_check_root_accepts(c->chk, ev)) {
            c->alive = false;
            ji->nalive--;
        }
    }
    if (ji->nalive == 0) unmatched(ji);
}

static void on_event(void *ctx, const tkg_json_event *ev) {
    json_input *ji = ctx;
    switch (ev->kind) {
    case TKG_JSON_DOC_START:
        begin_payload(ji);
        return;
    case TKG_JSON_DOC_END:
        end_payload(ji, ev->aborted);
        return;
    case TKG_JSON_KEY:
        ji->key.len = 0;
        tkg_buf_append(&ji->key, ev->text, ev->len);
        ji->key_pending = true;
        dispatch(ji, ev, value_pointer(ji, false));
        return;
    case TKG_JSON_OBJECT_END:
    case TKG_JSON_ARRAY_END:
        dispatch(ji, ev, container_pointer(ji));
        if (ji->depth) ji->depth--;
        return;
    default:
        break;
    }
    if (!ji->root_seen && ji->depth == 0) root_value(ji, ev);
    const char *p = value_pointer(ji, true);
    ji->key_pending = false;
    dispatch(ji, ev, p);
    if (ev->kind == TKG_JSON_OBJECT_START || ev->kind == TKG_JSON_ARRAY_START) {
        if (ji->depth + 1 >= sizeof ji->ptr_len / sizeof ji->ptr_len[0]) return;
        ji->depth++;
        ji->ptr_len[ji->depth] = ji->ptr.len;
        ji->index[ji->depth] = 0;
        ji->is_obj[ji->depth] = ev->kind == TKG_JSON_OBJECT_START;
    }
}

/* ---- tokenizer issues ----------------------------------------------------------- */

static void on_issue(void *ctx, const tkg_json_issue *is) {
    json_input *ji = ctx;
    tkg_file_ctx *fc = ji->fc;
    bool en = fc->report->en;
    int64_t record = is->record ? (int64_t)is->record : TKG_NO_RECORD;
    tkg_loc loc = {fc->input, is->line, record,
                   (uint32_t)(is->column > UINT32_MAX ? UINT32_MAX : is->column), NULL};
    /* The pointer of the value the issue is in (a duplicate key: of its member). */
    const char *pointer = NULL;
    bool in_payload = is->kind != TKG_JSON_I_TRAILING && is->kind != TKG_JSON_I_BOM &&
                      is->kind != TKG_JSON_I_EMPTY;
    if (in_payload && is->kind == TKG_JSON_I_DUPLICATE_KEY) {
        ji->ptr.len = ji->ptr_len[ji->depth];
        ptr_segment(ji, is->detail, strlen(is->detail));
        pointer = ptr_done(ji);
    } else if (is->kind == TKG_JSON_I_TRAILING_COMMA || is->kind == TKG_JSON_I_KEYS_LIMIT ||
               (ji->depth && ji->is_obj[ji->depth] && !ji->key_pending)) {
        /* about the object or array itself, or between the members of an object */
        pointer = container_pointer(ji);
    } else if (in_payload) {
        pointer = value_pointer(ji, false);
    }
    const char *d = is->detail ? is->detail : "";
    char a[48], cut[240];
    tkg_report *rep = fc->report;
    switch (is->kind) {
    case TKG_JSON_I_SYNTAX:
        snprintf(cut, sizeof cut, en ? "unexpected %s" : "%s が予期されない位置にあります", d);
        if (!strcmp(d, "end of input"))
            snprintf(cut, sizeof cut, "%s",
                     en ? "unexpected end of input" : "途中で入力が終わっています");
        else if (!strcmp(d, "end of line"))
            snprintf(cut, sizeof cut, "%s",
                     en ? "the value does not end on its line (JSON Lines)"
                        : "値が行の中で終わっていません（JSON Lines）");
        tkg_report_emit_ptr(rep, R_JSN001, &loc, pointer, NULL, 0, cut, NULL, NULL);
        break;
    case TKG_JSON_I_UTF8:
        snprintf(a, sizeof a, "%llu", (unsigned long long)is->offset);
        tkg_report_emit_ptr(rep, R_ENC001, &loc, pointer, NULL, 0, "UTF-8", d, a);
        break;
    case TKG_JSON_I_ESCAPE:
        tkg_report_emit_ptr(rep, R_JSN002, &loc, pointer, NULL, 0, d, NULL, NULL);
        break;
    case TKG_JSON_I_SURROGATE:
        tkg_report_emit_ptr(rep, R_JSN003, &loc, pointer, NULL, 0, d, NULL, NULL);
        break;
    case TKG_JSON_I_CONTROL:
        tkg_report_emit_ptr(rep, R_JSN004, &loc, pointer, NULL, 0, d, NULL, NULL);
        break;
    case TKG_JSON_I_TRAILING_COMMA:
        tkg_report_emit_ptr(rep, R_JSN005, &loc, pointer, NULL, 0, NULL, NULL, NULL);
        break;
    case TKG_JSON_I_LEADING_ZERO:
    case TKG_JSON_I_NAN_INF:
    case TKG_JSON_I_NUMBER: {
        const char *why = is->kind == TKG_JSON_I_LEADING_ZERO ? (en ? "leading zero" : "先頭のゼロ")
                          : is->kind == TKG_JSON_I_NAN_INF ? (en ? "NaN and Infinity are not JSON"
                                                                 : "NaN・Infinity は使えません")
                                                           : (en ? "malformed" : "形式の誤り");
        tkg_report_emit_ptr(rep, R_JSN006, &loc, pointer, NULL, 0, why, d, NULL);
        break;
    }
    case TKG_JSON_I_DUPLICATE_KEY:
        tkg_json_cut_text(cut, sizeof cut, d, strlen(d), 200);
        tkg_report_emit_ptr(rep, R_JSN007, &loc, pointer, NULL, 0, cut, NULL, NULL);
        break;
    case TKG_JSON_I_DEPTH:
        tkg_report_emit_ptr(rep, R_JSN008, &loc, pointer, NULL, 0, d, NULL, NULL);
        break;
    case TKG_JSON_I_TOO_LONG:
        snprintf(a, sizeof a, "%u", 1u << 20);
        tkg_report_emit_ptr(rep, R_JSN009, &loc, pointer, NULL, 0, a, NULL, NULL);
        break;
    case TKG_JSON_I_TRAILING:
        tkg_report_emit_ptr(rep, R_JSN010, &loc, NULL, NULL, 0, d, NULL, NULL);
        break;
    case TKG_JSON_I_BOM:
        tkg_report_emit_ptr(rep, R_JSN011, &loc, NULL, NULL, 0, NULL, NULL, NULL);
        break;
    case TKG_JSON_I_KEYS_LIMIT:
        tkg_report_emit_ptr(rep, R_JSN012, &loc, pointer, NULL, 0, d, NULL, NULL);
        break;
    case TKG_JSON_I_EMPTY:
        loc.line = 0;
        if (ji->lines)
            tkg_report_emit_ptr(rep, R_PKG004, &loc, NULL, NULL, 0, NULL, NULL, NULL);
        else
            tkg_report_emit_ptr(rep, R_JSN001, &loc, NULL, NULL, 0,
                                en ? "the input holds no JSON value" : "JSON の値がありません",
                                NULL, NULL);
        break;
    }
}

/* ---- the reader ------------------------------------------------------------------ */

static void json_close(void *self) {
    json_input *ji = self;
    if (!ji) return;
    tkg_report_set_sink(ji->fc->report, NULL);
    for (size_t i = 0; i < ji->ncands; i++) {
        drop_held(&ji->cands[i], NULL);
        free(ji->cands[i].h);
        tkg_json_check_free(ji->cands[i].chk);
    }
    free(ji->cands);
    tkg_json_free(ji->tok);
    tkg_buf_free(&ji->ptr);
    tkg_buf_free(&ji->key);
    free(ji);
}

static void *open_reader(tkg_file_ctx *fc, bool lines) {
    json_input *ji = calloc(1, sizeof *ji);
    if (!ji) return NULL;
    ji->fc = fc;
    ji->lines = lines;
    ji->api = tkg_api_of(fc->profile);
    ji->declared = -1;
    ji->detected = -2;
    ji->sink = (tkg_report_sink){hold, ji};
    if (ji->api) {
        if (fc->group >= 0) ji->declared = ji->api->structure_of_group[fc->group];
        ji->ncands = ji->api->nstructures;
        ji->cands = calloc(ji->ncands, sizeof *ji->cands);
        if (!ji->cands) {
            json_close(ji);
            return NULL;
        }
        for (size_t i = 0; i < ji->ncands; i++) {
            ji->cands[i].chk =
                tkg_json_check_new(fc->profile, (int)i, fc->engine, fc->report, fc->input);
            if (!ji->cands[i].chk) {
                json_close(ji);
                return NULL;
            }
        }
    }
    tkg_json_options o = {MAX_DEPTH, 0, 0, lines};
    tkg_json_callbacks cb = {on_event, on_issue, ji};
    ji->tok = tkg_json_new(&o, &cb);
    if (!ji->tok) {
        json_close(ji);
        return NULL;
    }
    return ji;
}

static void *json_open(tkg_file_ctx *fc) {
    return open_reader(fc, false);
}

static void *jsonl_open(tkg_file_ctx *fc) {
    return open_reader(fc, true);
}

static int json_feed(void *self, const void *buf, size_t len) {
    return tkg_json_feed(((json_input *)self)->tok, buf, len);
}

static int json_finish(void *self) {
    json_input *ji = self;
    int rc = tkg_json_finish(ji->tok);
    if (ji->declared < 0 && ji->api) {
        int s = ji->detected;
        ji->fc->group = s >= 0 ? ji->api->structures[s].group : -1;
        if (ji->fc->group >= 0) ji->fc->report->inputs[ji->fc->input].group = ji->fc->group;
    }
    return rc;
}

const tkg_input_vtable tkg_json_input = {"json", json_open, json_feed, json_finish, json_close};
const tkg_input_vtable tkg_jsonl_input = {"jsonl", jsonl_open, json_feed, json_finish, json_close};

const tkg_input_vtable *tkg_json_input_for(const tkg_profile *p, const char *path) {
    if (!p->purpose || strcmp(p->purpose, "api-payload") != 0) return NULL;
    size_t n = path ? strlen(path) : 0;
    if ((n >= 6 && !strcmp(path + n - 6, ".jsonl")) || (n >= 7 && !strcmp(path + n - 7, ".ndjson")))
        return &tkg_jsonl_input;
    return &tkg_json_input;
}
