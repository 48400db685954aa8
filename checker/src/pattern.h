/* pattern.h — a fast matcher for the simple patterns profiles mostly use
 * (sequences of literal ASCII characters and bracket classes with fixed or
 * bounded repeats, like [0-9]{11} or [A-Z]{2}[0-9]{8}[A-Z]{2}), so that the
 * per-value cost stays far below regexec. Patterns outside this subset are
 * left to POSIX regex by the caller.
 *
 * Ownership: tkg_pattern_compile returns a pattern freed with tkg_pattern_free. */
#ifndef TKG_PATTERN_H
#define TKG_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tkg_pattern tkg_pattern;

/* NULL when the pattern is not in the simple subset (or out of memory). A
 * leading ^ and a trailing $ are accepted; the whole value must match. */
tkg_pattern *tkg_pattern_compile(const char *ere);
bool tkg_pattern_match(const tkg_pattern *p, const char *s, size_t n);
void tkg_pattern_free(tkg_pattern *p);

#endif
