/* profile_ext.c — one place where the profile loader hands the parts of a
 * profile that belong to later readers (XML mapping, JSON API structure) to
 * their own modules, so profile.c stays about the 基本データリスト model. */
#include "profile.h"

#include "api_profile.h"
#include "xml_profile.h"

bool tkg_profile_ext_parse(tkg_profile *p, json_t *root, char *err, size_t errlen) {
    (void)p;
    (void)root;
    (void)err;
    (void)errlen;
    /* -- later modules: call their parse functions here -- */
    if (!tkg_xml_parse(p, root, err, errlen)) return false;
    if (!tkg_api_parse(p, root, err, errlen)) return false;
    return true;
}

void tkg_profile_ext_free(tkg_profile *p) {
    (void)p;
    /* -- later modules: call their free functions here -- */
    tkg_xml_free(p);
    tkg_api_free(p);
}
