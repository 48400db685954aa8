/* profile.h — the loaded, compiled form of a profile (docs/profile-format.md):
 * groups, items with every 基本データリスト column, code lists, masters,
 * conditions compiled to item indices, and aggregate rules.
 *
 * Ownership: everything hangs off struct tkg_profile and is freed by
 * tkg_profile_free; the engine only reads it. */
#ifndef TKG_PROFILE_H
#define TKG_PROFILE_H

#include <regex.h>
#include <stdarg.h>
#include <jansson.h>

#include "tekigo/tekigo.h"
#include "dialect.h"
#include "keys.h"
#include "moji.h"
#include "rules.h"

/* Per-rule severity set by a profile (an overlay): the rule's default, or off. */
enum { TKG_SEV_DEFAULT = -1, TKG_SEV_OFF = -2 };

typedef enum {
    TKG_T_X,
    TKG_T_N,
    TKG_T_9,
    TKG_T_9V,
    TKG_T_S9,
    TKG_T_BLOB,
    TKG_T_YEAR,
    TKG_T_DATE,
    TKG_T_TIME
} tkg_type;

typedef enum { TKG_OUT_REQUIRED, TKG_OUT_CONDITIONAL, TKG_OUT_OPTIONAL } tkg_output;

enum {
    TKG_CHECK_MUNICIPALITY = 1 << 0,
    TKG_CHECK_MY_NUMBER = 1 << 1,
    TKG_CHECK_CORPORATE = 1 << 2,
    TKG_CHECK_CHOAZA = 1 << 3,
    TKG_CHECK_POSTAL = 1 << 4
};

typedef enum { C_EQUALS, C_IN, C_PRESENT, C_ABSENT, C_ALL, C_ANY, C_NOT } tkg_cond_kind;

typedef struct tkg_cond {
    tkg_cond_kind kind;
    int item;      /* index in the group for leaf conditions */
    char **values; /* C_EQUALS (one), C_IN */
    size_t *lens;  /* their lengths */
    size_t nvalues;
    struct tkg_cond **kids; /* C_ALL, C_ANY, C_NOT (one) */
    size_t nkids;
} tkg_cond;

typedef struct {
    long id;
    char *name;
    bool municipality_defined; /* 999: not checked against a list */
    char **codes;              /* sorted for bsearch */
    size_t *lens;              /* their lengths */
    size_t ncodes;
} tkg_codelist;

typedef struct {
    char *name;
    char *source;
    tkg_keyset *keys; /* payload.extra: index+1 into abolished dates, 0 = in force */
    char **abolished;
    size_t nabolished;
} tkg_master;

typedef struct {
    char *id, *name, *romaji;
    bool primary_key, foreign_key;
    int ref_group, ref_item; /* -1 when none */
    tkg_type type;
    unsigned length, scale; /* scale: fraction digits of 9V */
    bool fixed_length;
    long code_id; /* -1 when none */
    const tkg_codelist *codes;
    unsigned repeat; /* 0/1 = single value */
    tkg_output output;
    char *condition_text;
    tkg_cond *required_when;
    bool implementation;
    bool unknown_date;
    int unknown_text_item; /* -1 when none */
    bool noncalendar;
    bool personal;
    unsigned checks;
    char *pattern_text;
    regex_t *pattern;
    struct tkg_pattern *fast_pattern; /* the same pattern when it is simple (pattern.h) */
    const tkg_master *master;
    char **allowed_values;
    size_t nallowed;
    bool is_referenced; /* some foreign key points at this item */
} tkg_item;

typedef struct {
    char *id;
    tkg_cond *when, *then;
    char *msg_ja, *msg_en;
} tkg_corr_rule;

typedef struct {
    char *name, *romaji;
    char **globs;
    size_t nglobs;
    bool required;
    tkg_item *items;
    size_t nitems;
    int *pk; /* indices of primary-key items */
    size_t npk;
    tkg_corr_rule *rules;
    size_t nrules;
    int rank; /* processing order: referenced groups first */
} tkg_group;

typedef struct {
    char *id;
    int group;
    int *key;
    size_t nkey;
    tkg_cond *filter, *where;
    long min, max;
    char *msg_ja, *msg_en;
} tkg_aggregate;

struct tkg_profile {
    char *path, *dir;
    char *id, *version, *business, *purpose, *fidelity, *title_ja, *title_en;
    char *effective_from, *effective_to;
    char *spec;              /* the business folder in specs/ (path as resolved), or NULL */
    char *extends;           /* "id@version" of the base profile of an overlay, or NULL */
    int severity[R__COUNT];  /* TKG_SEV_DEFAULT, TKG_SEV_OFF or a tkg_severity */
    char *reasons[R__COUNT]; /* why a rule's severity was changed (required for off) */
    char sha256[65];
    tkg_repertoire repertoire;
    uint32_t *gaiji;
    tkg_cpset gaiji_set;
    tkg_dialect dialect;
    tkg_group *groups;
    size_t ngroups;
    tkg_codelist *codelists;
    size_t ncodelists;
    tkg_master *masters;
    size_t nmasters;
    tkg_aggregate *aggregates;
    size_t naggregates;
    /* Extensions parsed by their own modules (profile_ext.c dispatches): */
    void *xml; /* XML mapping, XSD and assertions (xml_profile.c) */
    void *api; /* JSON API payload structure (api_profile.c) */
};

/* Loads and compiles one profile file (tkg_profile_load also resolves ids). */
tkg_status tkg_profile_load_file(const char *path, tkg_profile **out, char *err, size_t errlen);

/* Resolves a profile file into one JSON tree (include inlined, paths joined,
 * extends applied) and its canonical SHA-256; NULL with err filled on error.
 * Returns a new reference (profile_resolve.c). */
json_t *tkg_profile_resolve(const char *path, char *err, size_t errlen, char sha256[65]);
/* Path of the bundled or $TEKIGO_PROFILE_PATH profile "id" or "id@version"
 * (malloc'd), or NULL (registry.c). */
char *tkg_profile_find(const char *spec);

/* Writes "<profile path>: <message>" into err (every profile module reports this way). */
bool tkg_profile_vfail(const tkg_profile *p, char *err, size_t errlen, const char *fmt, va_list ap);

/* Extension hooks (profile_ext.c): parse the parts of a profile that belong to
 * later readers, and free them. Return false with err filled on a bad profile. */
bool tkg_profile_ext_parse(tkg_profile *p, json_t *root, char *err, size_t errlen);
void tkg_profile_ext_free(tkg_profile *p);

/* Index of the group whose globs match basename, or -1. */
int tkg_profile_group_for_name(const tkg_profile *p, const char *basename);
int tkg_profile_group_by_name(const tkg_profile *p, const char *name);
int tkg_group_item_by_name(const tkg_group *g, const char *name);
int tkg_group_item_by_romaji(const tkg_group *g, const char *romaji);

#endif
