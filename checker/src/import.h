/* import.h — the parts of `tekigo import` shared by its files: import.c (the
 * public tkg_import_* API and reading the workbook), import_items.c (the
 * 基本データリスト / 項目定義書 layout and the コード一覧 sheets) and
 * import_api.c (the API specification layout). The workbook's sheets are read
 * once through xlsx_sheet.h and held in memory as cells (bounded:
 * IMP_MAX_CELLS cells, IMP_MAX_TEXT bytes), so header rows can be found by
 * their text and columns looked up freely.
 *
 * Ownership: a tkg_import owns its sheets, its problem texts and its JSON
 * trees; tkg_import_free releases everything. Cell texts belong to their sheet. */
#ifndef TKG_IMPORT_H
#define TKG_IMPORT_H

#include <jansson.h>

#include "tekigo/tekigo.h"

#define IMP_MAX_CELLS 2000000u
#define IMP_MAX_TEXT ((size_t)128 << 20)
#define IMP_MAX_PROBLEMS 500

typedef struct {
    uint32_t row, col;
    char *text; /* UTF-8, never empty */
} imp_cell;

typedef struct {
    uint32_t row;
    size_t first, n; /* cells[first .. first+n), in column order */
} imp_row;

typedef struct {
    char *name;
    imp_cell *cells;
    size_t ncells, cap;
    imp_row *rows;
    size_t nrows, rcap;
} imp_sheet;

struct tkg_import {
    char *path, *base; /* as given; its basename */
    char sha256[65];   /* of the workbook file */
    imp_sheet *sheets;
    size_t nsheets;
    size_t text_bytes, ncells;
    char **problems;
    bool *is_error;
    size_t nproblems, nerrors, nwarnings;
    const char *purpose; /* "data-export" or "api-payload" */
    json_t *profile;     /* the profile without code_lists */
    json_t *codes;       /* {"code_lists": […]}, or NULL when the workbook has none */
};

/* Records a problem ("<sheet>!<cell>: …"); errors mean the profile would be wrong. */
void imp_problem(tkg_import *im, bool error, const char *fmt, ...);

/* The text of a cell, or NULL when it is empty. */
const char *imp_text(const imp_sheet *s, uint32_t row, uint32_t col);
/* The row with this number, or NULL. */
const imp_row *imp_row_of(const imp_sheet *s, uint32_t row);
/* "K12". */
void imp_ref(uint32_t col, uint32_t row, char out[16]);

/* Header text normalised for comparison: white space, "_" and "・" removed,
 * full-width ASCII made half-width, ASCII letters upper-cased. */
void imp_norm(const char *in, char *out, size_t outlen);
/* The text without leading and trailing white space (as Python's str.strip),
 * malloc'd; NULL when out of memory. */
char *imp_strip(const char *s);
/* A JSON string of the stripped text, or NULL when it is empty. */
json_t *imp_json_text(const char *s);
/* データ型 as written → the profile's type ("X", "N", "9", …), or NULL. */
const char *imp_type(const char *text);
/* True for a ○ mark (○ 〇 ◯); *unknown set when the cell holds other text. */
bool imp_mark(const char *text, bool *unknown);
/* Parses a non-negative integer written with ASCII or full-width digits (and
 * an integral ".0" from a number cell); false otherwise. */
bool imp_uint(const char *text, unsigned long *out);
/* The text after the first ※※, stripped (malloc'd), or NULL. */
char *imp_condition(const char *text);

/* The version in "第2.0版" within text, copied to out; false when none. */
bool imp_version_in(const char *text, char *out, size_t outlen);
/* The id of the bundled profile of this business and purpose, or NULL (malloc'd). */
char *imp_bundled_id(const char *business, const char *purpose);

/* import_items.c: transcribes the 基本データリスト and コード一覧 sheets into im->profile
 * and im->codes. */
bool imp_import_items(tkg_import *im);
/* import_api.c: true when the workbook has the sheets of an API specification. */
bool imp_is_api(const tkg_import *im);
/* import_api.c: transcribes the API specification into im->profile. */
bool imp_import_api(tkg_import *im);

#endif
