/* hasher.c — SHA-256 on a second thread (see hasher.h). A ring of slots with a
 * head (filled by the reader) and a tail (digested by the hasher); the reader
 * reuses a slot only after the hasher has passed it. */
#include "hasher.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#define SLOTS 8

struct tkg_hasher {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    char *slot[SLOTS];
    size_t len[SLOTS];
    size_t slot_bytes;
    uint64_t head, tail; /* slots submitted, slots digested */
    bool closing, ok;
    bool hasher_asleep, reader_asleep; /* wake only who sleeps: fewer system calls */
    EVP_MD_CTX *md;
};

static void *digest_loop(void *arg) {
    tkg_hasher *h = arg;
    pthread_mutex_lock(&h->lock);
    for (;;) {
        while (h->tail == h->head && !h->closing) {
            h->hasher_asleep = true;
            pthread_cond_wait(&h->changed, &h->lock);
            h->hasher_asleep = false;
        }
        if (h->tail == h->head) break; /* closing and nothing left */
        size_t k = h->tail % SLOTS;
        pthread_mutex_unlock(&h->lock);
        if (!EVP_DigestUpdate(h->md, h->slot[k], h->len[k])) h->ok = false;
        pthread_mutex_lock(&h->lock);
        h->tail++;
        if (h->reader_asleep) pthread_cond_broadcast(&h->changed);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

tkg_hasher *tkg_hasher_start(size_t slot_bytes) {
    tkg_hasher *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->slot_bytes = slot_bytes;
    h->ok = true;
    h->md = EVP_MD_CTX_new();
    bool ok = h->md && EVP_DigestInit_ex(h->md, EVP_sha256(), NULL);
    for (int i = 0; ok && i < SLOTS; i++)
        ok = (h->slot[i] = malloc(slot_bytes)) != NULL;
    if (ok && pthread_mutex_init(&h->lock, NULL) == 0) {
        if (pthread_cond_init(&h->changed, NULL) == 0) {
            if (pthread_create(&h->thread, NULL, digest_loop, h) == 0) return h;
            pthread_cond_destroy(&h->changed);
        }
        pthread_mutex_destroy(&h->lock);
    }
    for (int i = 0; i < SLOTS; i++)
        free(h->slot[i]);
    EVP_MD_CTX_free(h->md);
    free(h);
    return NULL;
}

char *tkg_hasher_slot(tkg_hasher *h) {
    pthread_mutex_lock(&h->lock);
    while (h->head - h->tail >= SLOTS) {
        h->reader_asleep = true;
        pthread_cond_wait(&h->changed, &h->lock);
        h->reader_asleep = false;
    }
    char *s = h->slot[h->head % SLOTS];
    pthread_mutex_unlock(&h->lock);
    return s;
}

void tkg_hasher_submit(tkg_hasher *h, size_t n) {
    pthread_mutex_lock(&h->lock);
    h->len[h->head % SLOTS] = n;
    h->head++;
    /* The hasher is woken once half the ring is waiting, not for every slot. */
    if (h->hasher_asleep && h->head - h->tail >= SLOTS / 2) pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}

bool tkg_hasher_finish(tkg_hasher *h, char hex[65]) {
    pthread_mutex_lock(&h->lock);
    h->closing = true;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
    pthread_join(h->thread, NULL);
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    bool ok = h->ok && EVP_DigestFinal_ex(h->md, d, &dl) && dl == 32;
    for (unsigned i = 0; ok && i < dl; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    pthread_cond_destroy(&h->changed);
    pthread_mutex_destroy(&h->lock);
    for (int i = 0; i < SLOTS; i++)
        free(h->slot[i]);
    EVP_MD_CTX_free(h->md);
    free(h);
    return ok;
}
