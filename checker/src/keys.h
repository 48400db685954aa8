/* keys.h — a set of byte-string keys with a small payload per key, for primary
 * keys, foreign-key targets, aggregates and master lists. Memory grows with
 * the number of distinct keys only (keys live in one arena).
 *
 * Ownership: tkg_keyset_new returns a set freed with tkg_keyset_free; key
 * bytes are copied in; entry pointers are valid until the next insert. */
#ifndef TKG_KEYS_H
#define TKG_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct {
    uint64_t line; /* where the key was first seen */
    int64_t record;
    uint64_t count; /* free for the user: occurrences, matches, … */
    uint64_t extra; /* free for the user */
} tkg_key_payload;

typedef struct tkg_keyset tkg_keyset;

tkg_keyset *tkg_keyset_new(void);
void tkg_keyset_free(tkg_keyset *s);
/* Finds key; when absent and insert is true, adds it with a zeroed payload and
 * sets *inserted. Returns NULL when absent (and not inserted) or out of memory. */
tkg_key_payload *tkg_keyset_find(tkg_keyset *s, const char *key, size_t len, bool insert,
                                 bool *inserted);
/* The hash tkg_keyset_find uses, for callers that look a key up more than once
 * (prefetch, then find) and want to hash it once. */
uint64_t tkg_keyset_hash(const char *key, size_t len);
tkg_key_payload *tkg_keyset_find_hashed(tkg_keyset *s, const char *key, size_t len, uint64_t hash,
                                        bool insert, bool *inserted);
/* A hint that a key of this hash will be looked up soon (a cache prefetch of its slot). */
void tkg_keyset_prefetch(const tkg_keyset *s, uint64_t hash);
size_t tkg_keyset_size(const tkg_keyset *s);
/* Visits every key in insertion order. */
typedef void (*tkg_keyset_visit_fn)(void *ctx, const char *key, size_t len, tkg_key_payload *p);
void tkg_keyset_each(tkg_keyset *s, tkg_keyset_visit_fn fn, void *ctx);

#endif
