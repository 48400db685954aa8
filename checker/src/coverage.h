/* coverage.h — internal to `tekigo coverage`: a vendor's declaration of the
 * functions and forms it implements, read from CSV, JSON or .xlsx
 * (coverage_decl.c; the formats are in docs/coverage.md) and checked against a
 * business's function list by coverage.c.
 *
 * Ownership: a tkg_declaration owns its entries and their strings; release
 * them with tkg_decl_free (the struct itself belongs to the caller). */
#ifndef TKG_COVERAGE_H
#define TKG_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { TKG_DK_BAD = -1, TKG_DK_FUNCTION = 0, TKG_DK_FORM = 1 } tkg_decl_kind;

typedef struct {
    tkg_decl_kind kind;         /* TKG_DK_BAD: the 区分 could not be read (kind_text) */
    char *kind_text;            /* 区分 as written, or NULL */
    char *id;                   /* the ID trimmed, full-width digits made ASCII */
    char *value_text;           /* 実装有無 as written ("" when blank) */
    int value;                  /* 1 implemented, 0 not implemented, -1 unreadable */
    uint64_t line;              /* CSV line or sheet row; 0 for JSON */
    int64_t record;             /* data row (1-based, header not counted); -1 for JSON */
    uint32_t id_col, value_col; /* 1-based columns; 0 for JSON */
} tkg_decl_entry;

typedef struct {
    tkg_decl_entry *entries;
    size_t n, cap;
    const char *format; /* "csv", "json" or "xlsx" */
    char *unreadable;   /* why the declaration cannot be read at all, or NULL */
    uint64_t bytes;
    char sha256[65];  /* "" when the file could not be read */
    uint64_t records; /* data rows / entries read */
    bool en;          /* language of the messages in unreadable */
} tkg_declaration;

#define TKG_DECL_MAX_BYTES ((size_t)64 << 20)
#define TKG_DECL_MAX_ENTRIES 200000

/* Reads the declaration at path into *d (zeroed by the call). Returns false
 * only when out of memory; a declaration that cannot be read at all gets
 * d->unreadable (in English or Japanese per en) and no entries. */
bool tkg_decl_read(const char *path, bool en, tkg_declaration *d);
void tkg_decl_free(tkg_declaration *d);

/* 実装有無: 1 for ○ 〇 ◯ 有 あり 有り 1 １ yes y true, 0 for blank × ✕ 無 なし 無し 0 ０
 * no n false - －, -1 otherwise (surrounding spaces ignored, ASCII case-insensitive). */
int tkg_decl_value(const char *s);

#endif
