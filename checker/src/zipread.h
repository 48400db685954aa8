/* zipread.h — hostile-safe reading of zip archives, shared by the workbook
 * reader (xlsx_sheet.c) and zip packages in `tekigo check` (run.c): open an
 * archive within an entry-count limit, list its entries with their names
 * decoded to UTF-8 and judged safe or not, and read one entry in bounded
 * chunks (never extracted to disk), stopping at a size and a compression-ratio
 * limit.
 *
 * Entry names: a name whose zip "UTF-8" flag (general purpose bit 11) is set,
 * or whose raw bytes are valid UTF-8, is UTF-8; any other name is decoded from
 * CP932 (what Japanese Windows writes) with iconv. A name that is neither is
 * undecodable. Names are judged on the decoded text (a CP932 trail byte 0x5C
 * is no backslash): a safe name is not empty, not absolute ("/x", "C:x"), has
 * no "\" and no ".." component and no control character.
 *
 * Limits (tkg_zip_limits): entries at most max_entries; an entry is refused
 * before reading when its declared size is above max_entry_bytes or, past
 * ratio_from bytes, above max_ratio times its compressed size; the same limits
 * are enforced on the bytes actually decompressed (declared sizes may lie).
 * Encrypted entries are refused.
 *
 * Ownership: tkg_zip_open returns an archive freed by tkg_zip_close; entry
 * names belong to it. tkg_zip_entry_open returns an entry reader freed by
 * tkg_zip_entry_close, which must be called before the archive is closed.
 * Error texts written to err are the caller's buffer. */
#ifndef TKG_ZIPREAD_H
#define TKG_ZIPREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t max_entries;
    uint64_t max_entry_bytes; /* uncompressed, per entry */
    uint64_t ratio_from;      /* the ratio is judged past this many uncompressed bytes */
    unsigned max_ratio;       /* uncompressed / compressed */
} tkg_zip_limits;

/* The limits of zip packages given to `tekigo check` (docs/rules.md, ZIP…). */
#define TKG_ZIP_PKG_MAX_ENTRIES 10000
#define TKG_ZIP_PKG_MAX_ENTRY_BYTES ((uint64_t)4 << 30)
#define TKG_ZIP_PKG_RATIO_FROM ((uint64_t)1 << 20)
#define TKG_ZIP_PKG_MAX_RATIO 200

typedef enum {
    TKG_ZIP_OK = 0,
    TKG_ZIP_E_OPEN,      /* not a readable zip, or an entry's data is corrupt */
    TKG_ZIP_E_NAME,      /* an unsafe or undecodable entry name */
    TKG_ZIP_E_SIZE,      /* an entry larger than max_entry_bytes */
    TKG_ZIP_E_RATIO,     /* an entry compressed more than max_ratio */
    TKG_ZIP_E_ENCRYPTED, /* an encrypted entry */
    TKG_ZIP_E_COUNT,     /* more than max_entries entries */
    TKG_ZIP_E_MISSING,   /* no entry of that name */
    TKG_ZIP_E_NOMEM
} tkg_zip_error;

typedef struct tkg_zip tkg_zip;
typedef struct tkg_zip_entry tkg_zip_entry;

/* Opens the archive at path. With refuse_unsafe, an unsafe or undecodable
 * entry name fails the open (TKG_ZIP_E_NAME; workbooks); without, such
 * entries are only marked (tkg_zip_safe is false; packages). NULL with *code
 * and err filled (err: the problem without the path, e.g. "Not a zip archive"
 * or "unsafe zip entry name \"../x\""). *nentries (may be NULL) gets the
 * number of entries whenever the archive could be opened at all. */
tkg_zip *tkg_zip_open(const char *path, const tkg_zip_limits *lim, bool refuse_unsafe,
                      tkg_zip_error *code, uint64_t *nentries, char *err, size_t errlen);
void tkg_zip_close(tkg_zip *z);

size_t tkg_zip_count(const tkg_zip *z);
/* Entry i's name in UTF-8, or NULL when it is undecodable. */
const char *tkg_zip_name(const tkg_zip *z, size_t i);
/* Entry i's name for messages: the decoded name, or the raw bytes with
 * non-ASCII bytes as \xHH when undecodable. */
const char *tkg_zip_display_name(const tkg_zip *z, size_t i);
/* Whether entry i's name is decodable and safe; why not, in English, or NULL. */
bool tkg_zip_safe(const tkg_zip *z, size_t i);
const char *tkg_zip_unsafe_reason(const tkg_zip *z, size_t i);
/* A directory entry (its name ends in "/"). */
bool tkg_zip_is_dir(const tkg_zip *z, size_t i);
/* Index of the entry with this decoded name, or -1. */
long tkg_zip_find(const tkg_zip *z, const char *name);

/* Opens entry i for reading within the limits. NULL with *code and err filled
 * ("<name>: larger than 64 MiB uncompressed", "<name>: compression ratio above
 * 200 (a zip bomb?)", "<name>: encrypted", …). */
tkg_zip_entry *tkg_zip_entry_open(tkg_zip *z, size_t i, tkg_zip_error *code, char *err,
                                  size_t errlen);
/* Reads up to len bytes: the number read (0 at the end), or -1 with *code and
 * err filled when the data is corrupt or crosses a limit. */
long long tkg_zip_entry_read(tkg_zip_entry *e, void *buf, size_t len, tkg_zip_error *code,
                             char *err, size_t errlen);
void tkg_zip_entry_close(tkg_zip_entry *e);

/* A name is safe (see above); reason (may be NULL) gets why not. */
bool tkg_zip_name_safe(const char *name, const char **reason);

/* Member paths name an entry of a zip package as "package.zip!/dir/a.csv".
 * Returns the position of "!/" when path has the form "<…>.zip!/<entry>",
 * else NULL. */
const char *tkg_zip_member_sep(const char *path);
/* Hex SHA-256 of the uncompressed bytes of a member path's entry, within the
 * package limits (tekigo verify). False when it cannot be read. */
bool tkg_zip_member_sha256(const char *member_path, char hex[65]);

#endif
