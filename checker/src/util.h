/* util.h — small helpers shared by the library: strings, paths, hashing, and
 * reading a whole file through the CSV reader in chunks.
 *
 * Ownership: functions returning char * return malloc'd strings the caller frees. */
#ifndef TKG_UTIL_H
#define TKG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

char *tkg_strdup(const char *s);
char *tkg_strndup(const char *s, size_t n);
char *tkg_path_join(const char *dir, const char *rel); /* rel absolute → rel */
char *tkg_dirname(const char *path);
const char *tkg_basename(const char *path);       /* points into path */
bool tkg_strcaseeq(const char *a, const char *b); /* ASCII case-insensitive */
int tkg_cmp_u32(const void *a, const void *b);
/* Orders version labels by their numeric parts ("0.1-modelled" < "2.0" < "2.1" < "10.0"). */
int tkg_version_cmp(const char *a, const char *b);
/* Lowercase hex SHA-256 of a buffer into out[65]. */
void tkg_sha256_hex(const void *data, size_t len, char out[65]);
/* Streams a file through SHA-256 into hex[65]; false when it cannot be read. */
bool tkg_file_sha256(const char *path, char hex[65]);
/* Reads path through a CSV reader with the dialect; digest_hex[65] gets the
 * file's SHA-256. False (errno set) when the file cannot be opened or read. */
bool tkg_read_file_csv(const char *path, const tkg_dialect *d, const tkg_csv_callbacks *cb,
                       char digest_hex[65]);

/* A growable byte buffer. */
typedef struct {
    char *data;
    size_t len, cap;
} tkg_buf;
bool tkg_buf_append(tkg_buf *b, const void *p, size_t n);
bool tkg_buf_printf(tkg_buf *b, const char *fmt, ...);
void tkg_buf_free(tkg_buf *b);

#endif
