/* xlsx_sheet.h — a small, hostile-safe reader of the cells of .xlsx workbooks
 * (Office Open XML spreadsheets): open a workbook, list its sheets by name, and
 * stream the rows of one sheet as cells with their reference and string value.
 *
 * What it reads: the package relationships, the workbook's sheet list, the
 * shared strings (rich-text runs joined; <rPh> phonetic runs — furigana — left
 * out; _xHHHH_ escapes decoded), and the <sheetData> of a worksheet: shared
 * strings, inline strings, formula string results (t="str"), numbers as stored
 * (no number format is applied: dates stay serial numbers), booleans as
 * "TRUE"/"FALSE", error values as their text ("#N/A"). Formulas themselves,
 * styles, merged cells and hidden state are not read. Empty cells are skipped.
 *
 * Safety (zip reading shared with packages, zipread.h): every zip entry name
 * is checked when the workbook is opened (no absolute path, no backslash, no
 * ".." component); an entry is read in chunks and given up when it grows
 * beyond 64 MiB uncompressed, or, past 1 MiB, beyond 200 times its compressed
 * size; XML is parsed by libxml2's
 * streaming reader with XML_PARSE_NONET and no DTD loading, and a document with
 * a DOCTYPE or ENTITY declaration is refused before the parser sees it. A
 * shared-string index out of range, a malformed cell reference, more than
 * 16384 cells in a row or more than 1 MiB of text in a cell is an error.
 *
 * Ownership: tkg_workbook_open returns a workbook the caller frees with
 * tkg_workbook_free. Sheet names belong to the workbook. The cells handed to a
 * row callback, and their text, are valid only during that call. */
#ifndef TKG_XLSX_SHEET_H
#define TKG_XLSX_SHEET_H

#include <stddef.h>
#include <stdint.h>

#define TKG_XLSX_MAX_ENTRY_BYTES ((uint64_t)64 << 20) /* uncompressed, per entry read */
#define TKG_XLSX_MAX_RATIO 200                        /* uncompressed / compressed */
#define TKG_XLSX_RATIO_FROM ((uint64_t)1 << 20)       /* ratio checked past this size */

typedef struct tkg_workbook tkg_workbook;

typedef enum {
    TKG_CELL_STRING, /* shared, inline or formula string */
    TKG_CELL_NUMBER, /* the number as stored, e.g. "10001" or "0.5" */
    TKG_CELL_BOOL,   /* "TRUE" or "FALSE" */
    TKG_CELL_ERROR   /* an error value such as "#N/A" */
} tkg_cell_type;

typedef struct {
    uint32_t row, col; /* 1-based; col 1 = A */
    char ref[16];      /* "B3" */
    tkg_cell_type type;
    const char *text; /* UTF-8, NUL-terminated */
    size_t len;
} tkg_cell;

/* Called once per row that has at least one non-empty cell, in sheet order,
 * with its cells in column order. Return 0 to go on, anything else to stop. */
typedef int (*tkg_workbook_row_fn)(void *ctx, uint32_t row, const tkg_cell *cells, size_t ncells);

/* Opens the workbook at path and reads its sheet list and shared strings.
 * NULL with err filled (the problem, naming the entry) when the file is not a
 * readable, safe .xlsx. */
tkg_workbook *tkg_workbook_open(const char *path, char *err, size_t errlen);
void tkg_workbook_free(tkg_workbook *wb);

size_t tkg_workbook_nsheets(const tkg_workbook *wb);
/* Name of sheet i (0-based, workbook order), or NULL when out of range. */
const char *tkg_workbook_sheet_name(const tkg_workbook *wb, size_t i);

/* Streams the rows of the sheet called name (NULL = the first sheet) to fn.
 * Returns 0 when the sheet was read to its end, 1 when fn stopped it, -1 on an
 * error (err filled; rows before it were delivered). */
int tkg_workbook_rows(tkg_workbook *wb, const char *name, tkg_workbook_row_fn fn, void *ctx,
                      char *err, size_t errlen);

#endif
