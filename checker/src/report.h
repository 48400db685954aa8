/* report.h — the report model: inputs with their hashes, per-rule counts,
 * and a bounded set of example findings (the first N per rule in report order,
 * kept in a max-heap per rule so memory never grows with the number of findings).
 * Report writers (text, json, …) read this model through a small vtable.
 *
 * Ownership: the report belongs to its run; strings in kept findings belong to
 * the report; item and rule names point into the profile and the rule table. */
#ifndef TKG_REPORT_H
#define TKG_REPORT_H

#include "profile.h"
#include "rules.h"

typedef struct {
    char *path;      /* as given */
    char sha256[65]; /* empty until read */
    uint64_t bytes;
    uint64_t records;          /* data records (header not counted) */
    int group;                 /* assigned group, -1 if none */
    uint64_t counts[R__COUNT]; /* findings of this input per rule, kept or not */
    bool readable;
    bool read; /* fully read */
    /* zip packages (run.c, zipread.h): the archive itself is an input that is hashed, not
     * parsed; each of its entries is an input "<zip>!/<entry>" that follows it. */
    bool container;     /* this input is a .zip package */
    uint32_t zip_of;    /* an entry: 1 + the index of its package's input; 0 otherwise */
    uint64_t zip_index; /* an entry: its index in the archive */
} tkg_input;

typedef struct {
    tkg_diag d;
    uint32_t input; /* ordering: input index; UINT32_MAX for package-level */
    uint64_t seq;   /* ordering tie-break: emission order */
} tkg_example;

/* One row of the 適合確認 matrix of `tekigo coverage` (function and form coverage). */
typedef struct {
    char *id; /* 7-digit 機能ID / 帳票ID */
    char *name;
    const char *kind;     /* "function" or "form" */
    const char *category; /* "required", "optional", "forbidden", or "unknown" (not in the spec) */
    int declared;         /* 1 implemented, 0 not implemented, -1 not declared */
    const char *verdict;  /* "ok", "missing", "forbidden", "unknown", "other-version" */
} tkg_coverage_row;

typedef struct {
    uint32_t input;
    uint64_t line;
    int64_t record;
    uint32_t column;
    const tkg_item *item;
} tkg_loc;

struct tkg_report {
    const tkg_profile *profile;
    bool en;
    bool show_values;
    bool timestamp; /* --timestamp: record when the report was made */
    size_t max_examples;
    char as_of[11];
    tkg_input *inputs;
    size_t ninputs;
    uint64_t counts[R__COUNT];
    tkg_severity severity[R__COUNT];
    bool off[R__COUNT];                /* switched off by the profile: not counted */
    uint64_t package_counts[R__COUNT]; /* package-level findings per rule */
    uint64_t **item_counts;        /* [group][item * 3 + severity]: every finding per item */
    uint64_t totals[3];
    tkg_example **heaps[R__COUNT]; /* max-heap of kept examples per rule */
    size_t heap_len[R__COUNT];
    uint64_t seq;
    tkg_example **sorted; /* built by tkg_report_seal */
    size_t nsorted;
    tkg_coverage_row *coverage; /* the coverage matrix, when the run was `tekigo coverage` */
    size_t ncoverage;
    char *coverage_version;         /* coverage: the spec version whose function list was used */
    bool coverage_fallback;         /* coverage: the profile's own version has no function list */
    struct tkg_report_sink_s *sink; /* while set, findings go to the sink (tkg_report_set_sink) */
};

tkg_report *tkg_report_new(const tkg_profile *p, bool en, bool show_values, size_t max_examples);
void tkg_report_free(tkg_report *r);
/* Adds an input; returns its index or -1. */
int tkg_report_add_input(tkg_report *r, const char *path);
/* Adds a file, each regular non-hidden file of a directory (sorted; the
 * manifest skipped), or "-" (run.c). */
tkg_status tkg_report_add_path(tkg_report *r, const char *path);
/* Signs a JSON report tree in place (adds "signature"), verify.c. */
tkg_status tkg_json_sign(json_t *report, const char *key_path, char *err, size_t errlen);
/* Hex SHA-256 of the running tekigo executable, or NULL where unknown. */
const char *tkg_tool_sha256(void);

/* Records a finding. value may be NULL; it is masked per the item unless
 * show_values. args fill the rule's message template ("%s" × up to 3). */
void tkg_report_emit(tkg_report *r, tkg_rule_id rule, const tkg_loc *loc, const char *value,
                     size_t vlen, const char *a1, const char *a2, const char *a3);
/* tkg_report_emit for a finding inside a JSON payload: pointer is the JSON
 * Pointer of the offending value (copied), or NULL. */
void tkg_report_emit_ptr(tkg_report *r, tkg_rule_id rule, const tkg_loc *loc, const char *pointer,
                         const char *value, size_t vlen, const char *a1, const char *a2,
                         const char *a3);
/* A reader that must hold findings back (json_input.c, while it decides which
 * response structure a payload is) installs a sink: while one is set, every
 * emitted finding (engine findings included) goes to fn instead of being
 * counted; the reader later re-emits the findings it keeps. NULL removes it.
 * The sink is borrowed. */
typedef struct tkg_report_sink_s {
    void (*fn)(void *ctx, tkg_rule_id rule, const tkg_loc *loc, const char *pointer,
               const char *value, size_t vlen, const char *a1, const char *a2, const char *a3);
    void *ctx;
} tkg_report_sink;
void tkg_report_set_sink(tkg_report *r, tkg_report_sink *sink);
/* Counts n more findings of a rule at loc without keeping examples of them
 * (e.g. further uses of one dangling reference, shown once). */
void tkg_report_count_only(tkg_report *r, tkg_rule_id rule, const tkg_loc *loc, uint64_t n);
/* True when a finding of this rule at loc would be kept (cheap pre-check that
 * lets callers skip formatting); the count is still taken by emit. */
bool tkg_report_wants(const tkg_report *r, tkg_rule_id rule, const tkg_loc *loc);
/* A copy of s as valid UTF-8, bytes that are not shown as "\xHH" (for paths
 * and names from the outside world in reports); malloc'd, NULL for NULL. */
char *tkg_report_clean(const char *s);
/* Sorts the kept examples into report order; call once after the run. */
void tkg_report_seal(tkg_report *r);
bool tkg_report_incomplete(const tkg_report *r);

/* Report writers. */
typedef struct {
    const char *name;
    tkg_status (*write)(const tkg_report *r, FILE *out);
} tkg_report_writer;

tkg_status tkg_write_text(const tkg_report *r, FILE *out);
tkg_status tkg_write_json(const tkg_report *r, FILE *out);
/* The JSON report as a jansson tree (new reference). */
json_t *tkg_report_to_json(const tkg_report *r);
tkg_status tkg_write_xml(const tkg_report *r, FILE *out);   /* report_xml.c */
tkg_status tkg_write_html(const tkg_report *r, FILE *out);  /* report_html.c */
tkg_status tkg_write_junit(const tkg_report *r, FILE *out); /* report_junit.c */
tkg_status tkg_write_sarif(const tkg_report *r, FILE *out); /* report_sarif.c */
tkg_status tkg_write_csv(const tkg_report *r, FILE *out);   /* report_csv.c */
tkg_status tkg_write_xlsx(const tkg_report *r, FILE *out);  /* report_xlsx.c */
/* -- later writers: declare them here -- */

#endif
