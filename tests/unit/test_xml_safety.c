/* test_xml_safety.c — verifies the libxml2 protections the XML reader relies on
 * as a second line of defence (docs/xml-profile-format.md, "Safe parsing"):
 * the reader never declares an entity, but should one ever be expanded,
 * libxml2 (2.9.14 and later) stops billion laughs and quadratic blowup by its
 * own amplification checks, even with entity substitution switched on, and
 * memory stays small. (A single huge text node is NOT always refused by
 * libxml2 itself, which is why the reader enforces its own limit, XML007.) */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "unit.h"

static void quiet(void *ctx, xmlErrorPtr e) {
    (void)ctx;
    (void)e;
}

static long peak_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static char *billion_laughs(void) {
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n,
                          "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
        n += (size_t)snprintf(s + n, cap - n, "<!ENTITY l%d \"", i);
        for (int k = 0; k < 10; k++)
            n += (size_t)snprintf(s + n, cap - n, "&l%d;", i - 1);
        n += (size_t)snprintf(s + n, cap - n, "\">\n");
    }
    snprintf(s + n, cap - n, "]>\n<r>&l9;</r>\n");
    return s;
}

/* One 10 kB entity referenced 10,000 times: 100 MB if expanded. */
static char *quadratic(void) {
    size_t cap = 200000;
    char *s = malloc(cap), *p = s;
    p += sprintf(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"");
    memset(p, 'a', 10000);
    p += 10000;
    p += sprintf(p, "\">]>\n<r>");
    for (int i = 0; i < 10000; i++)
        p += sprintf(p, "&a;");
    sprintf(p, "</r>\n");
    return s;
}

static void expect_rejected(const char *what, const char *doc, int options) {
    long before = peak_kib();
    xmlDocPtr d = xmlReadMemory(doc, (int)strlen(doc), "test.xml", NULL, options);
    const xmlError *e = xmlGetLastError();
    CHECK(d == NULL || (e && e->code != XML_ERR_OK), "%s: parsed without an error", what);
    if (e) printf("%s: %s", what, e->message ? e->message : "(error)\n");
    xmlFreeDoc(d);
    xmlResetLastError();
    long grown = peak_kib() - before;
    CHECK(grown < 64 * 1024, "%s: peak memory grew by %ld KiB", what, grown);
}

int main(void) {
    xmlInitParser();
    xmlSetStructuredErrorFunc(NULL, quiet);
    CHECK(LIBXML_VERSION >= 20914, "libxml2 %d is older than 2.9.14", LIBXML_VERSION);
    char *bl = billion_laughs(), *qb = quadratic();
    /* The reader's options, and the dangerous ones on top: still rejected. */
    expect_rejected("billion laughs", bl, XML_PARSE_NONET);
    expect_rejected("billion laughs, NOENT", bl, XML_PARSE_NONET | XML_PARSE_NOENT);
    expect_rejected("quadratic blowup, NOENT", qb, XML_PARSE_NONET | XML_PARSE_NOENT);
    free(bl);
    free(qb);
    xmlCleanupParser();
    return unit_finish();
}
