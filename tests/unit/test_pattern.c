/* test_pattern.c — the simple-pattern matcher agrees with POSIX regex on a
 * table of patterns and values, and refuses what it does not support. */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "pattern.h"
#include "unit.h"

static const char *const PATTERNS[] = {
    "[0-9]{11}", "^[0-9]{11}$", "[A-Z]{2}[0-9]{8}[A-Z]{2}", "[A-Z]{2}-[0-9]{3}",
    "ab?c",      "a*b+",        "[0-9]{1,3}\\.[0-9]{2}",    "x{0,}y",
    "[a-c-]{3}", "U[0-9]{6}",
};
static const char *const VALUES[] = {
    "",       "12345678901", "1234567890", "123456789012", "AB12345678CD", "ab12345678cd",
    "AB-123", "AB-1234",     "abc",        "ac",           "abbc",         "aabbb",
    "b",      "xyz",         "abcd",       "12.34",        "1234.56",      "y",
    "xxxy",   "a-c",         "U000102",    "U00010",       "1234567890a",
};

int main(void) {
    for (size_t i = 0; i < sizeof PATTERNS / sizeof PATTERNS[0]; i++) {
        tkg_pattern *p = tkg_pattern_compile(PATTERNS[i]);
        CHECK(p != NULL, "pattern %s should be in the simple subset", PATTERNS[i]);
        if (!p) continue;
        char anchored[256];
        snprintf(anchored, sizeof anchored, "^(%s)$", PATTERNS[i]);
        regex_t re;
        regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
        for (size_t k = 0; k < sizeof VALUES / sizeof VALUES[0]; k++) {
            bool want = regexec(&re, VALUES[k], 0, NULL, 0) == 0;
            bool got = tkg_pattern_match(p, VALUES[k], strlen(VALUES[k]));
            CHECK(want == got, "%s on \"%s\": regex %d, simple %d", PATTERNS[i], VALUES[k], want,
                  got);
        }
        regfree(&re);
        tkg_pattern_free(p);
    }
    static const char *const UNSUPPORTED[] = {"(ab)+", "a|b",  "[[:digit:]]", "漢字",
                                              "a{2",   "[abc", ".+",          "a.c",
                                              "[^;]+", "\\w+", "\\d{3}",      "a*b*c*d*"};
    for (size_t i = 0; i < sizeof UNSUPPORTED / sizeof UNSUPPORTED[0]; i++)
        CHECK(tkg_pattern_compile(UNSUPPORTED[i]) == NULL, "%s must go to POSIX regex",
              UNSUPPORTED[i]);
    return unit_finish();
}
