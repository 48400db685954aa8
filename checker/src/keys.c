/* keys.c — open-addressing hash set of byte strings with insertion-ordered
 * entries. Entries are kept in one growing array (so iteration follows input
 * order and reports are deterministic); key bytes in a chunked arena. */
#include "keys.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash;
    const char *key;
    size_t len;
    tkg_key_payload payload;
} entry;

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    char data[];
} arena_chunk;

/* A slot holds the entry index + 1 in its low 32 bits (0 = empty) and the high
 * 32 bits of the key's hash above it, so that a probe touches an entry (a cache
 * miss on large sets) only when the fingerprints agree. */
struct tkg_keyset {
    uint64_t *slots;
    size_t nslots; /* power of two */
    entry *entries;
    size_t count, cap;
    arena_chunk *arena;
};

/* A 64-bit multiply–xorshift hash over 8-byte words: fast on short ASCII keys. */
static uint64_t hash_bytes(const char *p, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xFF51AFD7ED558CCDull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xC2B2AE3D27D4EB4Full;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 32;
    h *= 0x165667B19E3779F9ull;
    h ^= h >> 29;
    return h;
}

tkg_keyset *tkg_keyset_new(void) {
    tkg_keyset *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->nslots = 64;
    s->slots = calloc(s->nslots, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    return s;
}

void tkg_keyset_free(tkg_keyset *s) {
    if (!s) return;
    arena_chunk *c = s->arena;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(s->slots);
    free(s->entries);
    free(s);
}

static const char *arena_copy(tkg_keyset *s, const char *key, size_t len) {
    arena_chunk *c = s->arena;
    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > 65536 ? len + 1 : 65536;
        c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->next = s->arena;
        c->used = 0;
        c->cap = cap;
        s->arena = c;
    }
    char *dst = c->data + c->used;
    memcpy(dst, key, len);
    dst[len] = '\0';
    c->used += len + 1;
    return dst;
}

static uint64_t slot_of(uint64_t hash, size_t index) {
    return (hash & UINT64_C(0xFFFFFFFF00000000)) | (uint64_t)(index + 1);
}

static bool grow_slots(tkg_keyset *s) {
    size_t n = s->nslots * 2;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < s->count; i++) {
        size_t j = s->entries[i].hash & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = slot_of(s->entries[i].hash, i);
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = n;
    return true;
}

uint64_t tkg_keyset_hash(const char *key, size_t len) {
    return hash_bytes(key, len);
}

tkg_key_payload *tkg_keyset_find(tkg_keyset *s, const char *key, size_t len, bool insert,
                                 bool *inserted) {
    return tkg_keyset_find_hashed(s, key, len, hash_bytes(key, len), insert, inserted);
}

tkg_key_payload *tkg_keyset_find_hashed(tkg_keyset *s, const char *key, size_t len, uint64_t h,
                                        bool insert, bool *inserted) {
    if (inserted) *inserted = false;
    size_t mask = s->nslots - 1;
    size_t j = h & mask;
    uint64_t fingerprint = h & UINT64_C(0xFFFFFFFF00000000);
    while (s->slots[j]) {
        if ((s->slots[j] & UINT64_C(0xFFFFFFFF00000000)) == fingerprint) {
            entry *e = &s->entries[(s->slots[j] & 0xFFFFFFFFu) - 1];
            if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0) return &e->payload;
        }
        j = (j + 1) & mask;
    }
    if (!insert) return NULL;
    if (s->count >= UINT32_MAX - 1) return NULL;
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        entry *e = realloc(s->entries, cap * sizeof *e);
        if (!e) return NULL;
        s->entries = e;
        s->cap = cap;
    }
    const char *copy = arena_copy(s, key, len);
    if (!copy) return NULL;
    entry *e = &s->entries[s->count];
    e->hash = h;
    e->key = copy;
    e->len = len;
    memset(&e->payload, 0, sizeof e->payload);
    s->slots[j] = slot_of(h, s->count);
    s->count++;
    if (inserted) *inserted = true;
    /* Keep the load factor under 1/2 so probes stay short. */
    if (s->count * 2 > s->nslots && !grow_slots(s)) return NULL;
    return &e->payload;
}

void tkg_keyset_prefetch(const tkg_keyset *s, uint64_t hash) {
#if defined(__GNUC__)
    /* The slot array of a large set does not fit in cache: ask for the line
     * now, while the caller does other work, and find it there later. */
    __builtin_prefetch(&s->slots[hash & (s->nslots - 1)]);
#else
    (void)s;
    (void)hash;
#endif
}

size_t tkg_keyset_size(const tkg_keyset *s) {
    return s->count;
}

void tkg_keyset_each(tkg_keyset *s, tkg_keyset_visit_fn fn, void *ctx) {
    for (size_t i = 0; i < s->count; i++)
        fn(ctx, s->entries[i].key, s->entries[i].len, &s->entries[i].payload);
}
