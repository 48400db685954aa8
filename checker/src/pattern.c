/* pattern.c — the simple-pattern matcher of pattern.h. An atom is a literal
 * ASCII character (backslash escapes one), '.', or a bracket class of ASCII
 * characters and ranges (optionally negated with ^), followed by an optional
 * quantifier {n}, {n,}, {n,m}, ?, * or +, with at most two variable-length
 * atoms. '.', negated classes and \w-style escapes go to POSIX regex, which
 * sees multi-byte characters whole. Matching is a backtracking walk over at
 * most 64 atoms; the whole value must match. */
#include "pattern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATOMS 64
#define UNBOUNDED ((unsigned)-1)

typedef struct {
    uint8_t set[16]; /* bit per ASCII byte */
    unsigned min, max;
} atom;

struct tkg_pattern {
    atom atoms[MAX_ATOMS];
    size_t n;
};

static void set_bit(atom *a, unsigned c) {
    a->set[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static bool has_bit(const atom *a, unsigned char c) {
    return c < 128 && (a->set[c >> 3] >> (c & 7)) & 1;
}

static const char *parse_class(atom *a, const char *p) {
    /* A negated class would match bytes of multi-byte characters one by one,
     * where POSIX regex sees whole characters: leave it to regex. */
    if (*p == '^') return NULL;
    bool negate = false;
    bool first = true;
    while (*p && (*p != ']' || first)) {
        unsigned char lo = (unsigned char)*p;
        if (lo >= 128) return NULL;
        if (lo == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) return NULL;
        unsigned char hi = lo;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            hi = (unsigned char)p[2];
            if (hi >= 128 || hi < lo) return NULL;
            p += 2;
        }
        for (unsigned c = lo; c <= hi; c++)
            set_bit(a, c);
        p++;
        first = false;
    }
    if (*p != ']') return NULL;
    if (negate)
        for (unsigned i = 0; i < 16; i++)
            a->set[i] = (uint8_t)~a->set[i];
    return p + 1;
}

static const char *parse_quantifier(atom *a, const char *p) {
    a->min = a->max = 1;
    if (*p == '?')
        a->min = 0;
    else if (*p == '*')
        a->min = 0, a->max = UNBOUNDED;
    else if (*p == '+')
        a->max = UNBOUNDED;
    else if (*p == '{') {
        char *end;
        unsigned long lo = strtoul(p + 1, &end, 10);
        if (end == p + 1 || lo > 10000) return NULL;
        unsigned long hi = lo;
        if (*end == ',') {
            if (end[1] == '}')
                hi = UNBOUNDED, end++;
            else {
                char *e2;
                hi = strtoul(end + 1, &e2, 10);
                if (e2 == end + 1 || hi < lo || hi > 10000) return NULL;
                end = e2;
            }
        }
        if (*end != '}') return NULL;
        a->min = (unsigned)lo;
        a->max = (unsigned)hi;
        return end + 1;
    } else {
        return p;
    }
    return p + 1;
}

tkg_pattern *tkg_pattern_compile(const char *ere) {
    tkg_pattern *pat = calloc(1, sizeof *pat);
    if (!pat) return NULL;
    const char *p = ere;
    unsigned variable = 0;
    if (*p == '^') p++;
    size_t len = strlen(p);
    bool dollar = len && p[len - 1] == '$' && (len < 2 || p[len - 2] != '\\');
    const char *end = p + len - (dollar ? 1 : 0);
    while (p < end) {
        if (pat->n == MAX_ATOMS) goto unsupported;
        atom *a = &pat->atoms[pat->n++];
        unsigned char c = (unsigned char)*p;
        if (c == '[') {
            p = parse_class(a, p + 1);
        } else if (c == '\\' && p[1] && (unsigned char)p[1] < 128 &&
                   !((p[1] >= '0' && p[1] <= '9') || (p[1] >= 'A' && p[1] <= 'Z') ||
                     (p[1] >= 'a' && p[1] <= 'z'))) { /* \w, \d … are regex classes */
            set_bit(a, (unsigned char)p[1]);
            p += 2;
        } else if (c < 128 && !strchr(".()|^$?*+{}\\]", c)) {
            set_bit(a, c);
            p++;
        } else {
            goto unsupported;
        }
        if (!p || p > end) goto unsupported;
        p = parse_quantifier(a, p);
        if (!p || p > end) goto unsupported;
        /* Backtracking over several variable-length atoms can blow up: regex then. */
        if (a->min != a->max && ++variable > 2) goto unsupported;
    }
    return pat;
unsupported:
    free(pat);
    return NULL;
}

static bool match_from(const tkg_pattern *p, size_t k, const unsigned char *s, size_t n) {
    if (k == p->n) return n == 0;
    const atom *a = &p->atoms[k];
    size_t run = 0;
    while (run < n && run < a->max && has_bit(a, s[run]))
        run++;
    if (run < a->min) return false;
    if (k + 1 == p->n) return run == n; /* the last atom must end the value */
    for (size_t take = run + 1; take-- > a->min;)
        if (match_from(p, k + 1, s + take, n - take)) return true;
    return false;
}

bool tkg_pattern_match(const tkg_pattern *p, const char *s, size_t n) {
    return match_from(p, 0, (const unsigned char *)s, n);
}

void tkg_pattern_free(tkg_pattern *p) {
    free(p);
}
