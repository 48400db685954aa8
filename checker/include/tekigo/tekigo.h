/* tekigo.h — the public API of libtekigo, the conformance checker for the
 * standards of Japanese municipal core systems (地方公共団体情報システムの標準化).
 *
 * Ownership, once for the whole API:
 *   - Every object returned by a tkg_*_load or tkg_*_new function belongs to the
 *     caller, who releases it with the matching tkg_*_free (NULL is accepted).
 *   - Strings and option structs passed in are copied; the caller keeps its own.
 *   - Pointers handed out by accessors (tkg_diag fields, names, the report) are
 *     owned by the object they came from and stay valid until that object is freed.
 *   - A tkg_run borrows its tkg_profile: free the run before the profile.
 *
 * Usage, the whole flow:
 *   tkg_profile *p; tkg_profile_load("jumin-kihon-daicho", &p, err, sizeof err);
 *   tkg_run *r = tkg_run_new(p, &opts);
 *   tkg_run_add_input(r, "export/"); tkg_run_execute(r);
 *   tkg_report_write(tkg_run_report(r), "json", stdout);
 *   tkg_run_free(r); tkg_profile_free(p);
 */
#ifndef TEKIGO_H
#define TEKIGO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One status enum for every call. */
typedef enum {
    TKG_OK = 0,
    TKG_E_USAGE,   /* an argument or option is wrong */
    TKG_E_PROFILE, /* the profile cannot be found or is invalid */
    TKG_E_IO,      /* an input or output could not be opened, read or written */
    TKG_E_NOMEM,   /* out of memory */
    TKG_E_INTERNAL /* a bug: please report it */
} tkg_status;

typedef enum { TKG_SEV_INFO = 0, TKG_SEV_WARNING = 1, TKG_SEV_ERROR = 2 } tkg_severity;

/* Exit codes of the CLI, derived from a report (documented in --help and the README). */
enum {
    TKG_EXIT_CONFORMANT = 0,    /* no errors (warnings and infos allowed) */
    TKG_EXIT_NONCONFORMANT = 1, /* at least one error finding */
    TKG_EXIT_USAGE = 2,         /* usage or profile error: nothing was checked */
    TKG_EXIT_INPUT = 3          /* an input could not be opened or read at all (wins over 1) */
};

#define TKG_NO_RECORD (-1) /* tkg_diag.record of a file- or package-level finding */

/* One finding: where, what, and why. */
typedef struct tkg_diag {
    const char *rule; /* stable rule ID, e.g. "E0001", "HDR001" (docs/rules.md) */
    tkg_severity severity;
    const char *file;    /* input path as given; NULL for package-level findings */
    uint64_t line;       /* physical line where the offending field starts; 0 = none */
    int64_t record;      /* 1-based data record; 0 = header; TKG_NO_RECORD = file-level */
    uint32_t column;     /* 1-based field index; 0 = not applicable */
    const char *item_id; /* 8-digit データ項目ID, or NULL */
    const char *item;    /* item name (Japanese), or NULL */
    const char *value;   /* offending value, masked unless show_values; or NULL */
    const char *message; /* in the run's language */
    const char *pointer; /* JSON payloads: JSON Pointer (RFC 6901) of the offending value, and
                            column is its character column; NULL for other inputs */
} tkg_diag;

/* ---- Profiles ------------------------------------------------------------ */

typedef struct tkg_profile tkg_profile;

/* Loads a profile by path (a .json file) or by id, optionally "id@version".
 * Ids are looked up in $TEKIGO_PROFILE_PATH (colon-separated), then in the
 * bundled profiles. On failure *out is NULL and err holds a message naming the
 * file, and the line and column where the JSON is wrong. */
tkg_status tkg_profile_load(const char *id_or_path, tkg_profile **out, char *err, size_t errlen);
/* Like tkg_profile_load, choosing among the versions of an id (or business
 * code) the one in force on as_of (YYYY-MM-DD; NULL = today) by the profiles'
 * effective dates, else the latest version. A fixed "id@version" or a path
 * ignores as_of. */
tkg_status tkg_profile_resolve_spec(const char *id_or_path, const char *as_of, tkg_profile **out,
                                    char *err, size_t errlen);
void tkg_profile_free(tkg_profile *p);

const char *tkg_profile_id(const tkg_profile *p);
const char *tkg_profile_version(const tkg_profile *p);
const char *tkg_profile_business(const tkg_profile *p);
const char *tkg_profile_fidelity(const tkg_profile *p);
const char *tkg_profile_title(const tkg_profile *p, const char *lang);
const char *tkg_profile_path(const tkg_profile *p);
/* Hex SHA-256 of the canonical (resolved, key-sorted, compact) profile JSON. */
const char *tkg_profile_sha256(const tkg_profile *p);
/* "from" and "to" of the period the version is in force, or NULL when open/unknown. */
const char *tkg_profile_effective_from(const tkg_profile *p);
const char *tkg_profile_effective_to(const tkg_profile *p);
/* "id@version" of the base profile when this profile is an overlay, else NULL. */
const char *tkg_profile_extends(const tkg_profile *p);

/* Writes what changed from profile a to profile b ("text" or "json"), e.g. two
 * versions of a standard: groups, items, types, lengths, requirements, codes.
 * *nchanges gets the number of changes. */
tkg_status tkg_profile_diff(const tkg_profile *a, const tkg_profile *b, const char *format, bool en,
                            FILE *out, size_t *nchanges);

/* Calls fn for every bundled or $TEKIGO_PROFILE_PATH profile (sorted by id, version). */
typedef void (*tkg_profile_list_fn)(void *ctx, const tkg_profile *p);
tkg_status tkg_profiles_list(tkg_profile_list_fn fn, void *ctx);

/* ---- Runs ---------------------------------------------------------------- */

typedef struct {
    const char *lang;    /* "ja" (default) or "en" */
    size_t max_examples; /* examples kept per rule over the whole run; 0 = default 100 */
    bool show_values;    /* false: personal values are masked in findings */
    const char *group;   /* group for files whose name matches no glob, or NULL */
    const char *as_of;   /* YYYY-MM-DD for master-list validity; NULL = today */
    bool timestamp;      /* record the time of the run (reports are otherwise byte-identical) */
} tkg_options;

typedef struct tkg_run tkg_run;
typedef struct tkg_report tkg_report;

tkg_run *tkg_run_new(const tkg_profile *p, const tkg_options *opts);
void tkg_run_free(tkg_run *r);

/* A package may declare the standard version it was exported for in a file of
 * this name (in its directory, or given as an input):
 *   {"profile": "jumin-kihon-daicho", "version": "0.1-modelled"}
 * The manifest is not checked as data. */
#define TKG_MANIFEST_NAME "tekigo-manifest.json"

/* Reads the manifest among the inputs (a directory holding one, or the file
 * itself). Returns TKG_OK with *profile and *version malloc'd (or NULL when
 * there is none); TKG_E_USAGE with err filled when it is unreadable. */
tkg_status tkg_manifest_find(const char *const *inputs, size_t n, char **profile, char **version,
                             char *err, size_t errlen);

/* Adds a file, a directory (its regular, non-hidden files, sorted by name) or
 * "-" (standard input) to the package. Nothing is read yet. */
tkg_status tkg_run_add_input(tkg_run *r, const char *path);

/* Reads and checks every input (referenced groups first, so that foreign keys
 * are checked record by record), then package-level rules. An unreadable input
 * is a finding and makes the verdict "incomplete"; the status is still TKG_OK. */
tkg_status tkg_run_execute(tkg_run *r);

/* Chunked entry, for tests and fuzzers: check one input fed in pieces.
 * name is used for group assignment and in findings; group may be NULL. */
tkg_status tkg_run_feed_begin(tkg_run *r, const char *name, const char *group);
tkg_status tkg_run_feed(tkg_run *r, const void *buf, size_t len);
tkg_status tkg_run_feed_end(tkg_run *r);
/* Ends the package (required groups, aggregate rules). Called by execute. */
tkg_status tkg_run_finish(tkg_run *r);

/* ---- Reports ------------------------------------------------------------- */

const tkg_report *tkg_run_report(const tkg_run *r);

/* "conformant", "nonconformant" or "incomplete". */
const char *tkg_report_verdict(const tkg_report *rep);
int tkg_report_exit_code(const tkg_report *rep);
/* The kept examples, in report order (input, line, column, rule). */
size_t tkg_report_count(const tkg_report *rep);
const tkg_diag *tkg_report_diag(const tkg_report *rep, size_t i);
/* Totals over all findings, kept or not. */
uint64_t tkg_report_total(const tkg_report *rep, tkg_severity sev);

/* Writes the report in a format: "text" or "json". TKG_E_USAGE for an unknown one. */
tkg_status tkg_report_write(const tkg_report *rep, const char *format, FILE *out);
/* Writes the JSON report signed with the Ed25519 private key in PEM file key_path
 * (a "signature" member over the canonical form of the rest). */
tkg_status tkg_report_write_signed(const tkg_report *rep, FILE *out, const char *key_path,
                                   char *err, size_t errlen);

/* Re-hashes inputs (files or directories, expanded as check does) and says
 * whether report_path (a JSON report) belongs to them; with key_path (an Ed25519
 * public or private key, PEM) also whether its signature is valid. Writes the
 * result as "text" or "json"; *exit_code: 0 verified, 1 refuted, 2 usage error
 * or bad key, 3 an input could not be read. */
tkg_status tkg_verify(const char *report_path, const char *const *inputs, size_t ninputs,
                      const char *key_path, const char *format, bool en, FILE *out, int *exit_code);

/* NULL-terminated list of the format names tkg_report_write accepts. */
const char *const *tkg_report_formats(void);

/* ---- Function and form coverage (tekigo coverage) ------------------------- */

typedef struct tkg_coverage tkg_coverage;

/* Checks a vendor's declaration of the functions and forms it implements (a
 * CSV, JSON or .xlsx file; docs/coverage.md) against the 機能要件 and 帳票要件
 * of p's business: the function list of p's version in the business folder
 * the profile names ("spec"), or, when that version has none, of the latest
 * version that has one (the report says which). On TKG_OK *out holds the
 * finished check; its report has the 適合確認 matrix (every requirement, then
 * IDs the spec does not know) and the findings COV001–COV006. A declaration
 * that cannot be read is a finding (IO001: verdict "incomplete", exit code 3),
 * not a failure. TKG_E_PROFILE with err filled when the profile names no spec
 * folder or the business has no valid function list. opts may be NULL
 * (group is not used). The check borrows p: free the check first. */
tkg_status tkg_coverage_check(const tkg_profile *p, const char *declaration,
                              const tkg_options *opts, tkg_coverage **out, char *err,
                              size_t errlen);
/* The report, owned by the check; write it with tkg_report_write. */
const tkg_report *tkg_coverage_report(const tkg_coverage *c);
void tkg_coverage_free(tkg_coverage *c);

/* ---- Importing official workbooks (tekigo import) ------------------------ */

typedef struct tkg_import tkg_import;

/* Reads an official Excel specification (.xlsx) and transcribes it into a
 * profile (docs/import.md): a 基本データリスト / 項目定義書 (sheets whose header
 * row names データ項目ID … データ型, and コード一覧 sheets) into a "data-export"
 * profile and its code lists; an API specification (リクエスト / レスポンス
 * sheets) into an "api-payload" profile (docs/api-profile-format.md). Header
 * rows and columns are found by their text. On TKG_OK *out holds the result
 * with the problems found, even when some of them are errors; TKG_E_IO with
 * err filled when the workbook cannot be read at all (not a workbook, unsafe
 * or oversized zip entries, malformed XML, a sheet part missing). *out belongs
 * to the caller (tkg_import_free); the problem texts belong to it. */
tkg_status tkg_import_workbook(const char *path, tkg_import **out, char *err, size_t errlen);
void tkg_import_free(tkg_import *im);

/* What could not be understood, in workbook order: "シート!K12: …". An error
 * means the profile would be wrong (write nothing); a warning that something
 * was left out or kept as written. */
size_t tkg_import_nproblems(const tkg_import *im);
const char *tkg_import_problem(const tkg_import *im, size_t i, bool *is_error);
size_t tkg_import_nerrors(const tkg_import *im);
/* "data-export" or "api-payload". */
const char *tkg_import_purpose(const tkg_import *im);

/* Whether the workbook has code lists (a code-list file to write). */
bool tkg_import_has_codes(const tkg_import *im);
/* Writes the profile as JSON. codes_ref is the path its code_lists names (the
 * code-list file, relative to the profile), or NULL for none. */
tkg_status tkg_import_write_profile(const tkg_import *im, const char *codes_ref, FILE *out);
/* Writes the code-list file ({"code_lists": […]}). */
tkg_status tkg_import_write_codes(const tkg_import *im, FILE *out);

/* ---- Rules --------------------------------------------------------------- */

typedef struct {
    const char *id;
    tkg_severity severity;
    const char *title_ja, *title_en;
} tkg_rule_info;

/* The rule table, for `tekigo rules` and the docs; count in *n. */
const tkg_rule_info *tkg_rules(size_t *n);

const char *tkg_version(void);
const char *tkg_severity_name(tkg_severity s);

#ifdef __cplusplus
}
#endif
#endif
