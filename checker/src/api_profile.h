/* api_profile.h — the compiled `api` part of a profile with purpose
 * "api-payload" (docs/api-profile-format.md): the API call, its structures
 * (the request and one response per HTTP status), each a tree of members
 * built from the workbook's flat rows and levels, and the error-code table.
 *
 * A structure is bound to the profile group of the same name; the group's
 * items hold the value rules (type, length, code, pattern, checks, …) of the
 * structure's scalar members, so the engine checks them exactly as it checks
 * the columns of a data file.
 *
 * Ownership: everything hangs off struct tkg_profile (p->api) and is freed by
 * tkg_api_free, called from tkg_profile_ext_free; readers only read it. */
#ifndef TKG_API_PROFILE_H
#define TKG_API_PROFILE_H

#include "profile.h"

typedef enum { TKG_API_OBJECT, TKG_API_ARRAY, TKG_API_SCALAR } tkg_api_kind;

/* The JSON type a scalar must have. */
typedef enum { TKG_JV_ANY, TKG_JV_STRING, TKG_JV_NUMBER, TKG_JV_BOOLEAN } tkg_api_json;

typedef struct tkg_api_member {
    char *name;      /* the member name (romaji); NULL for the top-level value */
    char *label;     /* 項目名 */
    char *type_text; /* the workbook's データ型 when no item type expresses it, or NULL */
    int no;          /* 項番, or -1 */
    unsigned level;  /* レベル (1 = the top-level value) */
    tkg_api_kind kind;
    tkg_api_json json;            /* scalars, and the elements of scalar arrays */
    bool required;                /* ◎: the member must appear */
    int nullable;                 /* 1: 〇 may be null; 0: - never null; -1: not stated */
    int item;                     /* index of its item in the structure's group, or -1 */
    long min_items, max_items;    /* arrays; -1 = no bound */
    struct tkg_api_member **kids; /* objects: members; arrays: members of each element object */
    size_t nkids;
} tkg_api_member;

typedef struct {
    char *id;        /* "request", "200", …; also the name of its group */
    char *name;      /* display name, e.g. "リクエスト", "レスポンス（400）" */
    bool request;    /* the request; otherwise a response */
    int status;      /* HTTP status of a response; 0 for the request */
    char *source_id; /* リクエストID / レスポンスID */
    char *content_type;
    int group;            /* index of the profile group */
    tkg_api_member *root; /* the top-level value */
} tkg_api_structure;

typedef struct {
    char *code, *name, *message, *note;
} tkg_api_error_code;

typedef struct {
    char *call, *operation, *method;
    tkg_api_structure *structures;
    size_t nstructures;
    tkg_api_error_code *error_codes;
    size_t nerror_codes;
    int *structure_of_group; /* per profile group: its structure, or -1 */
} tkg_api;

/* Parses root["api"] into p->api. A profile with purpose "api-payload" must
 * have it; others must not. False with err filled on a bad profile. */
bool tkg_api_parse(tkg_profile *p, json_t *root, char *err, size_t errlen);
void tkg_api_free(tkg_profile *p);

static inline const tkg_api *tkg_api_of(const tkg_profile *p) {
    return (const tkg_api *)p->api;
}

/* The member of an object (or of an array's element objects) by name, or NULL. */
const tkg_api_member *tkg_api_kid(const tkg_api_member *m, const char *name, size_t len);

/* Text for a member kind or JSON type, in English (for messages). */
const char *tkg_api_json_name(tkg_api_json j);

#endif
