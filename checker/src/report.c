/* report.c — the report model: counting, masking, bounded example keeping,
 * verdict and ordering. Writers live in report_text.c and report_json.c. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

#define DEFAULT_MAX_EXAMPLES 100
#define MAX_VALUE_BYTES 256 /* longer values are cut (with "…") in findings */
#define MAX_ARG_BYTES 4096  /* message arguments (header names, condition texts) likewise */

tkg_report *tkg_report_new(const tkg_profile *p, bool en, bool show_values, size_t max_examples) {
    tkg_report *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->profile = p;
    r->en = en;
    r->show_values = show_values;
    r->max_examples = max_examples ? max_examples : DEFAULT_MAX_EXAMPLES;
    for (int i = 0; i < R__COUNT; i++) {
        r->severity[i] = tkg_rule((tkg_rule_id)i)->severity;
        /* A profile (an overlay) may change a severity or switch a rule off. */
        if (p->severity[i] == TKG_SEV_OFF)
            r->off[i] = true;
        else if (p->severity[i] != TKG_SEV_DEFAULT)
            r->severity[i] = (tkg_severity)p->severity[i];
    }
    return r;
}

static void example_free(tkg_example *e) {
    if (!e) return;
    free((char *)e->d.value);
    free((char *)e->d.message);
    free((char *)e->d.pointer);
    free(e);
}

void tkg_report_free(tkg_report *r) {
    if (!r) return;
    for (int i = 0; i < R__COUNT; i++) {
        for (size_t k = 0; k < r->heap_len[i]; k++)
            example_free(r->heaps[i][k]);
        free(r->heaps[i]);
    }
    for (size_t g = 0; r->item_counts && g < r->profile->ngroups; g++) free(r->item_counts[g]);
    free(r->item_counts);
    for (size_t i = 0; i < r->ncoverage; i++) {
        free(r->coverage[i].id);
        free(r->coverage[i].name);
    }
    free(r->coverage);
    free(r->coverage_version);
    for (size_t i = 0; i < r->ninputs; i++)
        free(r->inputs[i].path);
    free(r->inputs);
    free(r->sorted);
    free(r);
}

int tkg_report_add_input(tkg_report *r, const char *path) {
    tkg_input *in = realloc(r->inputs, (r->ninputs + 1) * sizeof *in);
    if (!in) return -1;
    r->inputs = in;
    memset(&in[r->ninputs], 0, sizeof *in);
    in[r->ninputs].path = tkg_strdup(path);
    in[r->ninputs].group = -1;
    in[r->ninputs].readable = true;
    return (int)r->ninputs++;
}

/* Report order: input, line, column, rule, then emission order. */
static int order(const tkg_example *a, const tkg_example *b) {
    if (a->input != b->input) return a->input < b->input ? -1 : 1;
    if (a->d.line != b->d.line) return a->d.line < b->d.line ? -1 : 1;
    if (a->d.column != b->d.column) return a->d.column < b->d.column ? -1 : 1;
    int c = strcmp(a->d.rule, b->d.rule);
    if (c) return c;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int order_key(uint32_t input, uint64_t line, uint32_t column, const tkg_example *b) {
    if (input != b->input) return input < b->input ? -1 : 1;
    if (line != b->d.line) return line < b->d.line ? -1 : 1;
    if (column != b->d.column) return column < b->d.column ? -1 : 1;
    return 1; /* same place, same rule: the later one sorts after */
}

bool tkg_report_wants(const tkg_report *r, tkg_rule_id rule, const tkg_loc *loc) {
    if (r->off[rule]) return false;
    if (r->heap_len[rule] < r->max_examples) return true;
    return order_key(loc->input, loc->line, loc->column, r->heaps[rule][0]) < 0;
}

static void sift_down(tkg_example **h, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, rr = l + 1, m = i;
        if (l < n && order(h[l], h[m]) > 0) m = l;
        if (rr < n && order(h[rr], h[m]) > 0) m = rr;
        if (m == i) return;
        tkg_example *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void sift_up(tkg_example **h, size_t i) {
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (order(h[i], h[parent]) <= 0) return;
        tkg_example *t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

/* Copies text as valid UTF-8 ("\xHH" for bytes that are not), cut at cap bytes. */
static char *clean_text(const char *v, size_t n, size_t cap) {
    tkg_buf b = {0};
    size_t i = 0;
    while (i < n && b.len < cap) {
        uint32_t cp;
        size_t k = tkg_utf8_decode((const unsigned char *)v + i, n - i, &cp);
        if (k == 0) {
            tkg_buf_printf(&b, "\\x%02X", (unsigned char)v[i]);
            i++;
        } else {
            tkg_buf_append(&b, v + i, k);
            i += k;
        }
    }
    if (i < n) tkg_buf_append(&b, "…", strlen("…"));
    if (!b.data) return tkg_strdup("");
    return b.data;
}

static char *clean_value(const char *v, size_t n) {
    return clean_text(v, n, MAX_VALUE_BYTES);
}

char *tkg_report_clean(const char *s) {
    return s ? clean_text(s, strlen(s), (size_t)-1) : NULL;
}

/* 個人番号: asterisks of the same length. Personal items: the first character, then asterisks. */
static char *mask_value(const tkg_item *it, const char *v, size_t n) {
    size_t chars = 0, first_len = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = tkg_utf8_decode((const unsigned char *)v + i, n - i, &cp);
        if (k == 0) k = 1;
        if (chars == 0) first_len = k;
        chars++;
        i += k;
    }
    bool keep_first = !(it->checks & TKG_CHECK_MY_NUMBER) && chars > 0;
    tkg_buf b = {0};
    if (keep_first) tkg_buf_append(&b, v, first_len);
    for (size_t c = keep_first ? 1 : 0; c < chars && c < MAX_VALUE_BYTES; c++)
        tkg_buf_append(&b, "*", 1);
    if (!b.data) return tkg_strdup("");
    char *cleaned = clean_value(b.data, b.len);
    tkg_buf_free(&b);
    return cleaned;
}

void tkg_report_set_sink(tkg_report *r, tkg_report_sink *sink) {
    r->sink = sink;
}

/* Counts n findings of a rule against the item they are about (exact per-item
 * counts for the reports, whatever examples are kept). */
static void count_item(tkg_report *r, tkg_rule_id rule, const tkg_loc *loc, uint64_t n) {
    const tkg_profile *p = r->profile;
    if (!loc->item || !p || !p->ngroups) return;
    for (size_t g = 0; g < p->ngroups; g++) {
        const tkg_group *grp = &p->groups[g];
        if (loc->item < grp->items || loc->item >= grp->items + grp->nitems) continue;
        if (!r->item_counts && !(r->item_counts = calloc(p->ngroups, sizeof *r->item_counts)))
            return;
        if (!r->item_counts[g] && !(r->item_counts[g] = calloc(grp->nitems * 3, sizeof(uint64_t))))
            return;
        r->item_counts[g][(size_t)(loc->item - grp->items) * 3 + r->severity[rule]] += n;
        return;
    }
}

void tkg_report_count_only(tkg_report *r, tkg_rule_id rule, const tkg_loc *loc, uint64_t n) {
    if (r->off[rule] || r->sink) return;
    r->counts[rule] += n;
    r->totals[r->severity[rule]] += n;
    if (loc->input < r->ninputs)
        r->inputs[loc->input].counts[rule] += n;
    else
        r->package_counts[rule] += n;
    count_item(r, rule, loc, n);
}

void tkg_report_emit(tkg_report *r, tkg_rule_id rule, const tkg_loc *loc, const char *value,
                     size_t vlen, const char *a1, const char *a2, const char *a3) {
    tkg_report_emit_ptr(r, rule, loc, NULL, value, vlen, a1, a2, a3);
}

void tkg_report_emit_ptr(tkg_report *r, tkg_rule_id rule, const tkg_loc *loc, const char *pointer,
                         const char *value, size_t vlen, const char *a1, const char *a2,
                         const char *a3) {
    if (r->off[rule]) return;
    if (r->sink) {
        r->sink->fn(r->sink->ctx, rule, loc, pointer, value, vlen, a1, a2, a3);
        return;
    }
    r->counts[rule]++;
    r->totals[r->severity[rule]]++;
    if (loc->input < r->ninputs)
        r->inputs[loc->input].counts[rule]++;
    else
        r->package_counts[rule]++;
    count_item(r, rule, loc, 1);
    if (!tkg_report_wants(r, rule, loc)) return;
    tkg_example *e = calloc(1, sizeof *e);
    if (!e) return;
    const tkg_rule_def *def = tkg_rule(rule);
    e->input = loc->input;
    e->seq = r->seq++;
    e->d.rule = def->id;
    e->d.severity = r->severity[rule];
    e->d.file = loc->input < r->ninputs ? r->inputs[loc->input].path : NULL;
    e->d.line = loc->line;
    e->d.record = loc->record;
    e->d.column = loc->column;
    e->d.pointer = pointer ? tkg_strdup(pointer) : NULL;
    if (loc->item) {
        e->d.item_id = loc->item->id;
        e->d.item = loc->item->name;
    }
    if (value) {
        bool mask = !r->show_values && loc->item &&
                    (loc->item->personal || (loc->item->checks & TKG_CHECK_MY_NUMBER));
        e->d.value = mask ? mask_value(loc->item, value, vlen) : clean_value(value, vlen);
    }
    /* Arguments can come from the input (a header name can be 1 MiB): cut them too. */
    char *c1 = a1 ? clean_text(a1, strlen(a1), MAX_ARG_BYTES) : NULL;
    char *c2 = a2 ? clean_text(a2, strlen(a2), MAX_ARG_BYTES) : NULL;
    char *c3 = a3 ? clean_text(a3, strlen(a3), MAX_ARG_BYTES) : NULL;
    tkg_buf msg = {0};
    tkg_buf_printf(&msg, r->en ? def->msg_en : def->msg_ja, c1 ? c1 : "", c2 ? c2 : "",
                   c3 ? c3 : "");
    free(c1);
    free(c2);
    free(c3);
    e->d.message = msg.data ? msg.data : tkg_strdup("");

    tkg_example **h = r->heaps[rule];
    if (!h) {
        h = r->heaps[rule] = calloc(r->max_examples, sizeof *h);
        if (!h) {
            example_free(e);
            return;
        }
    }
    if (r->heap_len[rule] < r->max_examples) {
        h[r->heap_len[rule]] = e;
        sift_up(h, r->heap_len[rule]++);
    } else {
        example_free(h[0]);
        h[0] = e;
        sift_down(h, r->heap_len[rule], 0);
    }
}

static int cmp_examples(const void *a, const void *b) {
    return order(*(tkg_example *const *)a, *(tkg_example *const *)b);
}

void tkg_report_seal(tkg_report *r) {
    size_t n = 0;
    for (int i = 0; i < R__COUNT; i++)
        n += r->heap_len[i];
    free(r->sorted);
    r->sorted = calloc(n + 1, sizeof *r->sorted);
    r->nsorted = 0;
    if (!r->sorted) return;
    for (int i = 0; i < R__COUNT; i++)
        for (size_t k = 0; k < r->heap_len[i]; k++)
            r->sorted[r->nsorted++] = r->heaps[i][k];
    qsort(r->sorted, r->nsorted, sizeof *r->sorted, cmp_examples);
}

bool tkg_report_incomplete(const tkg_report *r) {
    for (size_t i = 0; i < r->ninputs; i++)
        if (!r->inputs[i].readable) return true;
    return false;
}

const char *tkg_report_verdict(const tkg_report *r) {
    if (tkg_report_incomplete(r)) return "incomplete";
    return r->totals[TKG_SEV_ERROR] ? "nonconformant" : "conformant";
}

int tkg_report_exit_code(const tkg_report *r) {
    if (tkg_report_incomplete(r)) return TKG_EXIT_INPUT;
    return r->totals[TKG_SEV_ERROR] ? TKG_EXIT_NONCONFORMANT : TKG_EXIT_CONFORMANT;
}

size_t tkg_report_count(const tkg_report *r) {
    return r->nsorted;
}

const tkg_diag *tkg_report_diag(const tkg_report *r, size_t i) {
    return i < r->nsorted ? &r->sorted[i]->d : NULL;
}

uint64_t tkg_report_total(const tkg_report *r, tkg_severity s) {
    return r->totals[s];
}

static const tkg_report_writer WRITERS[] = {
    {"text", tkg_write_text}, {"json", tkg_write_json},   {"xml", tkg_write_xml},
    {"html", tkg_write_html}, {"junit", tkg_write_junit}, {"sarif", tkg_write_sarif},
    {"csv", tkg_write_csv},   {"xlsx", tkg_write_xlsx},
    /* -- later writers: add rows here (declared in report.h) -- */
};

const char *const *tkg_report_formats(void) {
    static const char *names[sizeof WRITERS / sizeof WRITERS[0] + 1];
    for (size_t i = 0; i < sizeof WRITERS / sizeof WRITERS[0]; i++)
        names[i] = WRITERS[i].name;
    return names;
}

tkg_status tkg_report_write(const tkg_report *r, const char *format, FILE *out) {
    for (size_t i = 0; i < sizeof WRITERS / sizeof WRITERS[0]; i++)
        if (!strcmp(WRITERS[i].name, format)) return WRITERS[i].write(r, out);
    return TKG_E_USAGE;
}

const char *tkg_severity_name(tkg_severity s) {
    return s == TKG_SEV_ERROR ? "error" : s == TKG_SEV_WARNING ? "warning" : "info";
}

const char *tkg_version(void) {
    return TKG_VERSION;
}
