/* hasher.h — the SHA-256 of an input computed on a second thread while the
 * first one parses it, so that hashing every input (for verifiable reports)
 * costs no time on a machine with two cores. The reader fills ring slots;
 * the hasher thread digests them in order.
 *
 * Ownership: tkg_hasher_start returns a hasher owned by the caller, which
 * must end it with tkg_hasher_finish (that also frees it). Slots belong to
 * the hasher. */
#ifndef TKG_HASHER_H
#define TKG_HASHER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tkg_hasher tkg_hasher;

/* Starts a hashing thread; NULL when threads are not available (hash inline then). */
tkg_hasher *tkg_hasher_start(size_t slot_bytes);
/* A slot of slot_bytes to read into; waits until the hasher is done with it. */
char *tkg_hasher_slot(tkg_hasher *h);
/* Hands the slot just filled (n bytes) to the hasher. The caller may keep reading
 * it (e.g. parse it) until it asks for the slot after next round of the ring. */
void tkg_hasher_submit(tkg_hasher *h, size_t n);
/* Waits for the digest, writes it in hex, stops the thread and frees the hasher. */
bool tkg_hasher_finish(tkg_hasher *h, char hex[65]);

#endif
