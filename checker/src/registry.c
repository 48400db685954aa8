/* registry.c — finds profiles by id (or id@version) in the profile search path:
 * $TEKIGO_PROFILE_PATH (colon-separated), the installed data directory, then the
 * source tree's profiles/ (so a build runs without installing). Layout inside a
 * directory: <id>/<version>.json, or any *.json directly in it. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "profile.h"
#include "util.h"

typedef struct {
    char **paths;
    size_t n, cap;
} path_list;

static void add_path(path_list *l, char *p) {
    if (!p) return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **np = realloc(l->paths, cap * sizeof *np);
        if (!np) {
            free(p);
            return;
        }
        l->paths = np;
        l->cap = cap;
    }
    l->paths[l->n++] = p;
}

static bool has_json_suffix(const char *name) {
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0 && strstr(name, ".schema.") == NULL &&
           name[0] != '.';
}

static int cmp_cstr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects candidate profile files of one directory, two levels deep, sorted. */
static void scan_dir(path_list *out, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    path_list local = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *p = tkg_path_join(dir, e->d_name);
        struct stat st;
        if (!p || stat(p, &st) != 0) {
            free(p);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            DIR *sub = opendir(p);
            struct dirent *f;
            while (sub && (f = readdir(sub)))
                if (has_json_suffix(f->d_name)) add_path(&local, tkg_path_join(p, f->d_name));
            if (sub) closedir(sub);
            free(p);
        } else if (S_ISREG(st.st_mode) && has_json_suffix(e->d_name)) {
            add_path(&local, p);
        } else {
            free(p);
        }
    }
    closedir(d);
    if (local.n) qsort(local.paths, local.n, sizeof *local.paths, cmp_cstr);
    for (size_t i = 0; i < local.n; i++)
        add_path(out, local.paths[i]);
    free(local.paths);
}

static path_list candidates(void) {
    path_list l = {0};
    const char *env = getenv("TEKIGO_PROFILE_PATH");
    if (env && *env) {
        char *copy = tkg_strdup(env);
        for (char *tok = copy ? strtok(copy, ":") : NULL; tok; tok = strtok(NULL, ":"))
            scan_dir(&l, tok);
        free(copy);
    }
    scan_dir(&l, TKG_INSTALL_DATADIR "/profiles");
    scan_dir(&l, TKG_SOURCE_DIR "/profiles");
    return l;
}

static bool looks_like_path(const char *s) {
    struct stat st;
    return strchr(s, '/') || (strlen(s) > 5 && !strcmp(s + strlen(s) - 5, ".json")) ||
           (stat(s, &st) == 0 && S_ISREG(st.st_mode));
}

/* What finding a profile needs, read from its own file without resolving it:
 * resolving an overlay looks its base up here, so a full load would recurse. */
typedef struct {
    char *id, *version, *business, *purpose, *from, *to;
    bool valid;
} profile_head;

static char *head_str(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? tkg_strdup(s) : NULL;
}

static profile_head read_head(const char *path) {
    profile_head h = {0};
    json_t *root = json_load_file(path, 0, NULL);
    if (json_is_object(root) && json_object_get(root, "tekigo_profile")) {
        h.id = head_str(root, "id");
        h.version = head_str(root, "version");
        h.business = head_str(root, "business");
        h.purpose = head_str(root, "purpose");
        json_t *eff = json_object_get(root, "effective");
        h.from = head_str(eff, "from");
        h.to = head_str(eff, "to");
        h.valid = h.id && h.version;
    }
    json_decref(root);
    return h;
}

static void head_free(profile_head *h) {
    free(h->id);
    free(h->version);
    free(h->business);
    free(h->purpose);
    free(h->from);
    free(h->to);
}

/* Whether a version is in force on a date (YYYY-MM-DD); it needs dates to be. */
static bool in_force(const profile_head *h, const char *date) {
    if (!h->from && !h->to) return false;
    if (h->from && strcmp(h->from, date) > 0) return false;
    if (h->to && strcmp(h->to, date) < 0) return false;
    return true;
}

/* The best candidate for "id" or "id@version" (id may be the 3-digit business
 * code, which names the business's data-export profiles): a fixed version when
 * given; otherwise the version in force on as_of (today when NULL) by the
 * effective dates, else the latest version. Only the files' heads are read. */
static char *find_best(const char *spec, const char *as_of) {
    char *id = tkg_strdup(spec);
    if (!id) return NULL;
    char *at = strchr(id, '@');
    const char *want_version = NULL;
    if (at) {
        *at = '\0';
        want_version = at + 1;
    }
    char today[11];
    if (!as_of) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        as_of = today;
    }
    path_list l = candidates();
    profile_head best = {0};
    char *best_path = NULL;
    for (size_t i = 0; i < l.n; i++) {
        profile_head h = read_head(l.paths[i]);
        bool match = h.valid && (strcmp(h.id, id) == 0 ||
                                 (h.business && strcmp(h.business, id) == 0 && h.purpose &&
                                  strcmp(h.purpose, "data-export") == 0));
        if (match && want_version) match = strcmp(h.version, want_version) == 0;
        bool better = false;
        if (match && !best_path) {
            better = true;
        } else if (match) {
            /* Prefer a version in force on the date; among equals, the later version. */
            bool hf = in_force(&h, as_of), bf = in_force(&best, as_of);
            better = hf != bf ? hf : tkg_version_cmp(h.version, best.version) > 0;
        }
        if (better) {
            head_free(&best);
            free(best_path);
            best = h;
            best_path = tkg_strdup(l.paths[i]);
        } else {
            head_free(&h);
        }
    }
    head_free(&best);
    for (size_t i = 0; i < l.n; i++)
        free(l.paths[i]);
    free(l.paths);
    free(id);
    return best_path;
}

char *tkg_profile_find(const char *spec) {
    return find_best(spec, NULL);
}

tkg_status tkg_profile_resolve_spec(const char *spec, const char *as_of, tkg_profile **out,
                                    char *err, size_t errlen) {
    *out = NULL;
    if (!spec || !*spec) {
        snprintf(err, errlen, "no profile given");
        return TKG_E_USAGE;
    }
    if (looks_like_path(spec)) return tkg_profile_load_file(spec, out, err, errlen);
    char *path = find_best(spec, as_of);
    if (!path) {
        snprintf(err, errlen, "no profile \"%s\" found (see `tekigo profiles`)", spec);
        return TKG_E_PROFILE;
    }
    tkg_status st = tkg_profile_load_file(path, out, err, errlen);
    free(path);
    return st;
}

tkg_status tkg_profile_load(const char *spec, tkg_profile **out, char *err, size_t errlen) {
    return tkg_profile_resolve_spec(spec, NULL, out, err, errlen);
}

static int cmp_profile(const void *a, const void *b) {
    const tkg_profile *x = *(tkg_profile *const *)a, *y = *(tkg_profile *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : tkg_version_cmp(x->version, y->version);
}

tkg_status tkg_profiles_list(tkg_profile_list_fn fn, void *ctx) {
    path_list l = candidates();
    tkg_profile **ps = calloc(l.n + 1, sizeof *ps);
    size_t n = 0;
    for (size_t i = 0; ps && i < l.n; i++) {
        tkg_profile *p = NULL;
        char perr[512];
        if (tkg_profile_load_file(l.paths[i], &p, perr, sizeof perr) != TKG_OK) continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(ps[k]->id, p->id) && !strcmp(ps[k]->version, p->version)) dup = true;
        if (dup)
            tkg_profile_free(p);
        else
            ps[n++] = p;
    }
    if (ps && n) qsort(ps, n, sizeof *ps, cmp_profile);
    for (size_t i = 0; i < n; i++) {
        fn(ctx, ps[i]);
        tkg_profile_free(ps[i]);
    }
    free(ps);
    for (size_t i = 0; i < l.n; i++)
        free(l.paths[i]);
    free(l.paths);
    return ps ? TKG_OK : TKG_E_NOMEM;
}
