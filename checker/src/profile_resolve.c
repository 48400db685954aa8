/* profile_resolve.c — turns a profile file into one self-contained JSON tree
 * before it is compiled: the spec data file named by "include" is inlined,
 * every relative path is resolved against the file that wrote it, and an
 * overlay ("extends") is applied onto its base (code lists added, severities
 * changed or rules switched off with a reason, items patched), so that users
 * never edit bundled files. It also builds the canonical form that the
 * profile's SHA-256 covers: referenced files appear by the hash of their
 * content, not by their path, so the same profile hashes the same anywhere. */
#include "profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_EXTENDS_DEPTH 8

typedef struct {
    char *err;
    size_t errlen;
} rctx;

static bool rfail(rctx *c, const char *fmt, ...) {
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static json_t *load_json(rctx *c, const char *path) {
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        if (je.line < 0)
            rfail(c, "%s: cannot read: %s", path, je.text);
        else
            rfail(c, "%s: line %d, column %d: %s", path, je.line, je.column, je.text);
    }
    return j;
}

/* Replaces the string at o[key] by dir/string. */
static bool join_in_place(json_t *o, const char *key, const char *dir) {
    const char *s = json_string_value(json_object_get(o, key));
    if (!s) return true;
    char *joined = tkg_path_join(dir, s);
    if (!joined) return false;
    json_object_set_new(o, key, json_string(joined));
    free(joined);
    return true;
}

/* Resolves the paths written in one file against that file's directory, and
 * inlines its include. */
static bool localise(rctx *c, json_t *root, const char *path, const char *dir) {
    json_t *cls = json_object_get(root, "code_lists");
    for (size_t i = 0; json_is_array(cls) && i < json_array_size(cls); i++) {
        const char *s = json_string_value(json_array_get(cls, i));
        if (!s) return rfail(c, "%s: code_lists[%zu]: expected a path", path, i);
        char *joined = tkg_path_join(dir, s);
        json_array_set_new(cls, i, json_string(joined ? joined : s));
        free(joined);
    }
    const char *name;
    json_t *m;
    json_object_foreach(json_object_get(root, "masters"), name, m) {
        if (json_is_object(m)) join_in_place(m, "file", dir);
    }
    join_in_place(root, "spec", dir);
    json_t *xml = json_object_get(root, "xml");
    if (json_is_object(xml)) join_in_place(xml, "schema", dir);
    const char *inc = json_string_value(json_object_get(root, "include"));
    if (inc) {
        char *ipath = tkg_path_join(dir, inc);
        json_t *data = ipath ? load_json(c, ipath) : NULL;
        free(ipath);
        if (!data) return false;
        /* The spec supplies groups and aggregates the profile does not define itself. */
        if (!json_object_get(root, "groups"))
            json_object_set(root, "groups", json_object_get(data, "groups"));
        if (!json_object_get(root, "aggregates") && json_object_get(data, "aggregates"))
            json_object_set(root, "aggregates", json_object_get(data, "aggregates"));
        json_decref(data);
        json_object_del(root, "include");
    }
    return true;
}

/* Finds the file of a base profile named by "extends": a path (relative to
 * the overlay) or an id@version from the profile search path. */
static char *base_path(rctx *c, const char *ext, const char *dir) {
    if (strchr(ext, '/') || (strlen(ext) > 5 && !strcmp(ext + strlen(ext) - 5, ".json")))
        return tkg_path_join(dir, ext);
    char *found = tkg_profile_find(ext);
    if (!found) rfail(c, "extends: no profile \"%s\" found (see `tekigo profiles`)", ext);
    return found;
}

static json_t *find_item(json_t *groups, const char *group, const char *item) {
    size_t gi, ii;
    json_t *g, *it;
    json_array_foreach(groups, gi, g) {
        const char *gname = json_string_value(json_object_get(g, "name"));
        if (group && (!gname || strcmp(gname, group))) continue;
        json_array_foreach(json_object_get(g, "items"), ii, it) {
            const char *name = json_string_value(json_object_get(it, "name"));
            const char *id = json_string_value(json_object_get(it, "id"));
            if ((name && !strcmp(name, item)) || (id && !strcmp(id, item))) return it;
        }
    }
    return NULL;
}

static bool apply_overlay(rctx *c, json_t *base, json_t *overlay, const char *path) {
    const char *key;
    json_t *v;
    json_object_foreach(overlay, key, v) {
        if (!strcmp(key, "extends")) continue;
        if (!strcmp(key, "code_lists")) {
            json_t *mine = json_object_get(base, "code_lists");
            if (!json_is_array(mine)) json_object_set_new(base, "code_lists", mine = json_array());
            json_array_extend(mine, v);
        } else if (!strcmp(key, "masters") || !strcmp(key, "dialect") || !strcmp(key, "severity") ||
                   !strcmp(key, "reasons")) {
            json_t *mine = json_object_get(base, key);
            if (!json_is_object(mine)) json_object_set_new(base, key, mine = json_object());
            if (!json_is_object(v)) return rfail(c, "%s: %s: expected an object", path, key);
            json_object_update(mine, v);
        } else if (!strcmp(key, "items")) {
            size_t i;
            json_t *patch;
            json_array_foreach(v, i, patch) {
                const char *group = json_string_value(json_object_get(patch, "group"));
                const char *item = json_string_value(json_object_get(patch, "item"));
                json_t *set = json_object_get(patch, "set");
                if (!item || !json_is_object(set))
                    return rfail(c, "%s: items[%zu]: needs \"item\" and an object \"set\"", path,
                                 i);
                json_t *target = find_item(json_object_get(base, "groups"), group, item);
                if (!target)
                    return rfail(c, "%s: items[%zu]: the base profile has no item \"%s\"%s%s", path,
                                 i, item, group ? " in group " : "", group ? group : "");
                json_object_update(target, set);
            }
            json_t *log = json_object_get(base, "overrides");
            if (!json_is_array(log)) json_object_set_new(base, "overrides", log = json_array());
            json_array_extend(log, v);
        } else {
            json_object_set(base, key, v);
        }
    }
    return true;
}

static json_t *resolve(rctx *c, const char *path, int depth) {
    if (depth > MAX_EXTENDS_DEPTH) {
        rfail(c, "%s: extends nests more than %d profiles deep (a cycle?)", path,
              MAX_EXTENDS_DEPTH);
        return NULL;
    }
    json_t *root = load_json(c, path);
    if (!root) return NULL;
    if (!json_is_object(root)) {
        rfail(c, "%s: expected a JSON object", path);
        json_decref(root);
        return NULL;
    }
    char *dir = tkg_dirname(path);
    bool ok = dir && localise(c, root, path, dir);
    const char *ext = json_string_value(json_object_get(root, "extends"));
    if (ok && ext) {
        char *bpath = base_path(c, ext, dir);
        json_t *base = bpath ? resolve(c, bpath, depth + 1) : NULL;
        free(bpath);
        /* The base's own id and version, before the overlay's replace them. */
        json_t *named = base ? json_pack("{s:O?,s:O?}", "id", json_object_get(base, "id"),
                                         "version", json_object_get(base, "version"))
                             : NULL;
        if (base && apply_overlay(c, base, root, path)) {
            /* Keep the chain readable in reports: "overlay-id@v extends base-id@v". */
            json_object_set_new(base, "extends", named);
            named = NULL;
            json_object_set(base, "id", json_object_get(root, "id"));
            json_object_set(base, "version", json_object_get(root, "version"));
            json_decref(root);
            root = base;
        } else {
            json_decref(base);
            ok = false;
        }
        json_decref(named);
    }
    free(dir);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static json_t *digest_of(const char *path) {
    char hex[65];
    if (!tkg_file_sha256(path, hex)) return json_string("unreadable");
    char out[80];
    snprintf(out, sizeof out, "sha256:%s", hex);
    return json_string(out);
}

json_t *tkg_profile_resolve(const char *path, char *err, size_t errlen, char sha256[65]) {
    rctx c = {err, errlen};
    json_t *root = resolve(&c, path, 0);
    if (!root) return NULL;
    /* Canonical form: referenced files by content hash, keys sorted, compact. */
    json_t *canon = json_deep_copy(root);
    json_t *cls = json_object_get(canon, "code_lists");
    for (size_t i = 0; json_is_array(cls) && i < json_array_size(cls); i++) {
        const char *s = json_string_value(json_array_get(cls, i));
        if (s) json_array_set_new(cls, i, digest_of(s));
    }
    const char *name;
    json_t *m;
    json_object_foreach(json_object_get(canon, "masters"), name, m) {
        const char *f = json_string_value(json_object_get(m, "file"));
        if (f) json_object_set_new(m, "file", digest_of(f));
    }
    json_t *xml = json_object_get(canon, "xml");
    const char *xsd = json_string_value(json_object_get(xml, "schema"));
    if (xsd) json_object_set_new(xml, "schema", digest_of(xsd)); /* its includes are not hashed */
    const char *spec = json_string_value(json_object_get(canon, "spec"));
    if (spec) json_object_set_new(canon, "spec", json_string(tkg_basename(spec)));
    char *text = json_dumps(canon, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(canon);
    if (!text) {
        json_decref(root);
        rfail(&c, "%s: out of memory", path);
        return NULL;
    }
    tkg_sha256_hex(text, strlen(text), sha256);
    free(text);
    return root;
}
