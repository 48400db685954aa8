/* xml_profile.h — the compiled `xml` part of a profile (docs/xml-profile-format.md):
 * namespace prefixes, for each group the path of its record elements and the
 * XPath (or plain child name) of each item, the assertions (a Schematron
 * subset), and the XML Schema, compiled once per profile and shared by every
 * file checked with it.
 *
 * The item rules stay in the profile's groups: the same 基本データリスト
 * items check CSV and XML exports. The xml part only says where each item's
 * value is in a record element.
 *
 * Ownership: everything hangs off struct tkg_profile (p->xml, a tkg_xml_profile)
 * and is freed by tkg_xml_free, called from tkg_profile_ext_free. Readers only
 * read it (the compiled XSD and XPath expressions are used read-only). Globs
 * from xml.groups.*.files are appended to the groups' own globs (freed with
 * the group by profile.c). */
#ifndef TKG_XML_PROFILE_H
#define TKG_XML_PROFILE_H

#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "profile.h"

/* One step of a record path: a local name and its namespace (NULL = none). */
typedef struct {
    char *local;
    char *uri;
} tkg_xml_step;

/* Where one item's value is. expr NULL = the child element named `child`. */
typedef struct {
    int item;                 /* index in the group's items */
    char *xpath;              /* as written, or NULL for a child-name item */
    xmlXPathCompExprPtr expr; /* compiled once */
    char *child;              /* local name of the child element (expr == NULL) */
    bool excluded;            /* mapped to null: the item is not in the XML layout */
} tkg_xml_item;

/* A child-name item in the lookup table (sorted by name). */
typedef struct {
    const char *name; /* points into the item's child */
    int item;
} tkg_xml_child;

typedef struct {
    int group;    /* index in p->groups */
    char *record; /* the record path as written */
    tkg_xml_step *steps;
    size_t nsteps;
    char *child_uri;     /* namespace of child-name items (from "prefix"), or NULL */
    tkg_xml_item *items; /* one per item of the group, in item order */
    size_t nitems;
    tkg_xml_child *children; /* child-name items sorted by name, for bsearch */
    size_t nchild;
} tkg_xml_group;

typedef struct {
    char *id;
    int group;   /* index in p->groups */
    int item;    /* item the finding is attached to, or -1 */
    bool report; /* Schematron report (fires when true) instead of assert */
    char *context_text, *test_text;
    xmlXPathCompExprPtr context, test;
    char *msg_ja, *msg_en;
} tkg_xml_assertion;

typedef struct {
    char *schema_path;       /* resolved path of the XSD, or NULL */
    xmlSchemaPtr schema;     /* compiled once; NULL when there is no schema */
    char **prefixes, **uris; /* namespace bindings for XPath and record paths */
    size_t nns;
    tkg_xml_group *groups;
    size_t ngroups;
    int *of_group;    /* p->groups index → index in groups, or -1 */
    size_t max_steps; /* longest record path */
    tkg_xml_assertion *assertions;
    size_t nassertions;
} tkg_xml_profile;

/* Parses root["xml"] into p->xml (left NULL when absent). False with err filled
 * ("<profile>: xml.…: what is wrong") on a bad xml part or an XSD that does
 * not compile. */
bool tkg_xml_parse(tkg_profile *p, json_t *root, char *err, size_t errlen);
void tkg_xml_free(tkg_profile *p);

/* The xml part of a profile, or NULL. */
static inline const tkg_xml_profile *tkg_xml_of(const tkg_profile *p) {
    return (const tkg_xml_profile *)p->xml;
}

/* Installs an external entity loader that refuses everything (no file, no
 * network) and returns the previous one, to be restored by the caller. Used
 * around every call into the parser for an input file. */
xmlExternalEntityLoader tkg_xml_refuse_entities(void);

#endif
