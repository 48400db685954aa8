/* report_html.c — the HTML report (`--format html`): the XML report transformed
 * by the bundled XSLT 1.0 stylesheet checker/xslt/report-html.xsl (embedded in
 * the library at build time, see checker/xslt/embed.cmake) through libxslt.
 * The result is one self-contained HTML file: inline CSS and inline SVG charts,
 * no script, no external asset; it works offline.
 *
 * The language goes to the stylesheet as the parameter `lang` ('ja' or 'en').
 * The transformation runs with security preferences that forbid reading and
 * writing files, creating directories and any network access, and both the
 * stylesheet and the report are parsed without network access. */
#include <string.h>

#include <libexslt/exslt.h>
#include <libxml/parser.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "report_common.h"

extern const unsigned char tkg_report_html_xsl[];
extern const size_t tkg_report_html_xsl_len;

/* libxslt and libxml2 print errors to stderr by default; the writer reports
 * failure through its status instead. */
static void quiet(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

static xsltSecurityPrefsPtr locked_down(void) {
    xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
    if (!sec) return NULL;
    const xsltSecurityOption opts[] = {XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE,
                                       XSLT_SECPREF_CREATE_DIRECTORY, XSLT_SECPREF_READ_NETWORK,
                                       XSLT_SECPREF_WRITE_NETWORK};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        if (xsltSetSecurityPrefs(sec, opts[i], xsltSecurityForbid) != 0) {
            xsltFreeSecurityPrefs(sec);
            return NULL;
        }
    }
    return sec;
}

tkg_status tkg_write_html(const tkg_report *r, FILE *out) {
    static bool registered;
    if (!registered) {
        exsltCommonRegister(); /* exsl:node-set, for the stylesheet's label table */
        registered = true;
    }
    xmlGenericErrorFunc xml_err = xmlGenericError, xslt_err = xsltGenericError;
    void *xml_ctx = xmlGenericErrorContext, *xslt_ctx = xsltGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    xsltSetGenericErrorFunc(NULL, quiet);

    tkg_status st = TKG_E_INTERNAL;
    xmlBufferPtr xml = tkg_report_to_xml(r);
    if (!xml) {
        xmlSetGenericErrorFunc(xml_ctx, xml_err);
        xsltSetGenericErrorFunc(xslt_ctx, xslt_err);
        return TKG_E_NOMEM;
    }
    const int popts = XML_PARSE_NONET | XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlReadMemory((const char *)xmlBufferContent(xml), xmlBufferLength(xml),
                                  "tekigo-report.xml", "UTF-8", popts);
    xmlBufferFree(xml);
    xmlDocPtr style_doc =
        xmlReadMemory((const char *)tkg_report_html_xsl, (int)tkg_report_html_xsl_len,
                      "report-html.xsl", "UTF-8", popts);
    xsltStylesheetPtr style = style_doc ? xsltParseStylesheetDoc(style_doc) : NULL;
    if (!style && style_doc) xmlFreeDoc(style_doc); /* owned by style once parsed */
    xsltSecurityPrefsPtr sec = locked_down();
    xsltTransformContextPtr ctxt = doc && style ? xsltNewTransformContext(style, doc) : NULL;
    xmlDocPtr res = NULL;
    if (ctxt && sec && xsltSetCtxtSecurityPrefs(sec, ctxt) == 0) {
        const char *params[] = {"lang", r->en ? "'en'" : "'ja'", NULL};
        res = xsltApplyStylesheetUser(style, doc, params, NULL, NULL, ctxt);
        if (ctxt->state != XSLT_STATE_OK && res) {
            xmlFreeDoc(res);
            res = NULL;
        }
    }
    if (res) {
        /* The stylesheet outputs method="html" without a doctype: write the HTML5 one. */
        fputs("<!DOCTYPE html>\n", out);
        st = xsltSaveResultToFile(out, res, style) >= 0 && !ferror(out) ? TKG_OK : TKG_E_IO;
    }
    if (res) xmlFreeDoc(res);
    if (ctxt) xsltFreeTransformContext(ctxt);
    if (sec) xsltFreeSecurityPrefs(sec);
    if (style) xsltFreeStylesheet(style);
    if (doc) xmlFreeDoc(doc);
    xmlSetGenericErrorFunc(xml_ctx, xml_err); /* give back whatever handlers were set */
    xsltSetGenericErrorFunc(xslt_ctx, xslt_err);
    return st;
}
