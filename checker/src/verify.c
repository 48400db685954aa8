/* verify.c — verifiable verdicts. A JSON report records the SHA-256 of every
 * input, of the canonical profile and of the tool build; `tekigo verify`
 * re-hashes the inputs and confirms or refutes that a report belongs to them.
 * With a key, reports are signed with Ed25519 (libcrypto) over their canonical
 * form (the report without "signature", keys sorted, compact, ASCII-escaped),
 * so that verify also proves the verdict and findings were not edited. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "report.h"
#include "util.h"
#include "zipread.h"

static char *canonical_text(json_t *report) {
    json_t *copy = json_deep_copy(report);
    if (!copy) return NULL;
    json_object_del(copy, "signature");
    char *text = json_dumps(copy, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(copy);
    return text;
}

/* A key from a PEM file: a private key, or (for verifying) a public key. */
static EVP_PKEY *read_key(const char *path, bool want_private, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the key file", path);
        return NULL;
    }
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    if (!k && !want_private) {
        rewind(f);
        k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
    }
    fclose(f);
    if (!k || EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
        snprintf(err, errlen, "%s: not an Ed25519 %s key in PEM form", path,
                 want_private ? "private" : "public or private");
        EVP_PKEY_free(k);
        return NULL;
    }
    return k;
}

static char *base64(const unsigned char *p, size_t n) {
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (out) EVP_EncodeBlock((unsigned char *)out, p, (int)n);
    return out;
}

/* Decodes base64 into out (at most cap bytes); returns the length or -1. */
static int unbase64(const char *s, unsigned char *out, size_t cap) {
    size_t n = strlen(s);
    if (n % 4 || n / 4 * 3 > cap) return -1;
    int len = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
    if (len < 0) return -1;
    while (n && s[n - 1] == '=') { /* EVP_DecodeBlock counts padding as bytes */
        len--;
        n--;
    }
    return len;
}

tkg_status tkg_json_sign(json_t *report, const char *key_path, char *err, size_t errlen) {
    EVP_PKEY *key = read_key(key_path, true, err, errlen);
    if (!key) return TKG_E_USAGE;
    char *msg = canonical_text(report);
    unsigned char sig[64], pub[32];
    size_t siglen = sizeof sig, publen = sizeof pub;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = msg && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
              EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)msg, strlen(msg)) == 1 &&
              EVP_PKEY_get_raw_public_key(key, pub, &publen) == 1;
    if (ok) {
        char *s64 = base64(sig, siglen), *p64 = base64(pub, publen);
        json_object_set_new(report, "signature",
                            json_pack("{s:s,s:s,s:s,s:s}", "algorithm", "Ed25519", "signed",
                                      "canonical JSON of the report without \"signature\" "
                                      "(keys sorted, compact, ASCII-escaped)",
                                      "public_key", p64 ? p64 : "", "value", s64 ? s64 : ""));
        free(s64);
        free(p64);
    } else {
        snprintf(err, errlen, "signing failed");
    }
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    free(msg);
    return ok ? TKG_OK : TKG_E_INTERNAL;
}

/* 1 valid, 0 invalid or absent, -1 error (err filled). With key_path NULL the
 * embedded public key is used: that proves integrity, not who signed. */
static int check_signature(json_t *report, const char *key_path, char *err, size_t errlen) {
    json_t *sig = json_object_get(report, "signature");
    if (!sig) return 0;
    const char *value = json_string_value(json_object_get(sig, "value"));
    const char *pub64 = json_string_value(json_object_get(sig, "public_key"));
    unsigned char raw_sig[96], raw_pub[48];
    int siglen = value ? unbase64(value, raw_sig, sizeof raw_sig) : -1;
    if (siglen != 64) return 0;
    EVP_PKEY *key = NULL;
    if (key_path) {
        key = read_key(key_path, false, err, errlen);
        if (!key) return -1;
    } else {
        int publen = pub64 ? unbase64(pub64, raw_pub, sizeof raw_pub) : -1;
        if (publen != 32) return 0;
        key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw_pub, 32);
    }
    char *msg = canonical_text(report);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = key && msg && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
             EVP_DigestVerify(ctx, raw_sig, 64, (const unsigned char *)msg, strlen(msg)) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    free(msg);
    return ok ? 1 : 0;
}

tkg_status tkg_verify(const char *report_path, const char *const *inputs, size_t ninputs,
                      const char *key_path, const char *format, bool en, FILE *out,
                      int *exit_code) {
    *exit_code = TKG_EXIT_USAGE;
    json_error_t je;
    json_t *report = json_load_file(report_path, JSON_REJECT_DUPLICATES, &je);
    if (!report) {
        fprintf(stderr, "tekigo: %s:%d:%d: %s\n", report_path, je.line, je.column, je.text);
        return TKG_E_USAGE;
    }
    /* The given inputs, expanded the way `check` expands them. */
    tkg_profile dummy;
    memset(&dummy, 0, sizeof dummy);
    for (int i = 0; i < R__COUNT; i++)
        dummy.severity[i] = TKG_SEV_DEFAULT;
    tkg_report *given = tkg_report_new(&dummy, en, false, 1);
    for (size_t i = 0; given && i < ninputs; i++)
        tkg_report_add_path(given, inputs[i]);
    json_t *result = json_array();
    bool all_ok = true, unreadable = false;
    json_t *recorded = json_object_get(report, "inputs");
    size_t i;
    json_t *in;
    bool *used = calloc(given ? given->ninputs + 1 : 1, sizeof *used);
    /* Paths as the report writes them (bytes that are not UTF-8 as \xHH). */
    char **shown = calloc(given ? given->ninputs + 1 : 1, sizeof *shown);
    for (size_t k = 0; given && shown && k < given->ninputs; k++)
        shown[k] = tkg_report_clean(given->inputs[k].path);
    json_array_foreach(recorded, i, in) {
        const char *path = json_string_value(json_object_get(in, "path"));
        const char *sha = json_string_value(json_object_get(in, "sha256"));
        const char *status = "missing";
        /* The same path first; else the same basename (a report checked elsewhere). */
        size_t found = SIZE_MAX;
        for (size_t k = 0; given && path && k < given->ninputs && found == SIZE_MAX; k++)
            if (!used[k] && !strcmp(shown[k], path)) found = k;
        for (size_t k = 0; given && path && k < given->ninputs && found == SIZE_MAX; k++)
            if (!used[k] && !strcmp(tkg_basename(shown[k]), tkg_basename(path))) found = k;
        for (size_t k = found; k != SIZE_MAX; k = SIZE_MAX) {
            used[k] = true;
            char hex[65];
            /* An entry of a zip package ("pkg.zip!/a.csv") is hashed from its uncompressed bytes.
             */
            const char *gp = given->inputs[k].path;
            if (!(tkg_zip_member_sep(gp) ? tkg_zip_member_sha256(gp, hex)
                                         : tkg_file_sha256(gp, hex))) {
                status = "unreadable";
                unreadable = true;
            } else {
                status = sha && !strcmp(hex, sha) ? "match" : "changed";
            }
            break;
        }
        if (strcmp(status, "match")) all_ok = false;
        json_array_append_new(result, json_pack("{s:s?,s:s}", "path", path, "status", status));
    }
    for (size_t k = 0; given && k < given->ninputs; k++) {
        if (used[k]) continue;
        all_ok = false;
        json_array_append_new(
            result, json_pack("{s:s,s:s}", "path", given->inputs[k].path, "status", "extra"));
    }
    free(used);
    for (size_t k = 0; given && shown && k < given->ninputs; k++)
        free(shown[k]);
    free(shown);
    char err[512] = "";
    int sig = check_signature(report, key_path, err, sizeof err);
    const char *sig_status = sig < 0                                 ? "error"
                             : !json_object_get(report, "signature") ? "absent"
                             : sig ? (key_path ? "valid" : "valid-embedded-key")
                                   : "invalid";
    if (sig < 0) fprintf(stderr, "tekigo: %s\n", err);
    bool sig_ok = key_path ? sig == 1 : (sig == 1 || !json_object_get(report, "signature"));
    const char *verdict = all_ok && sig_ok ? "verified" : "refuted";
    if (!strcmp(format, "json")) {
        json_t *o = json_pack("{s:s,s:s,s:o,s:s}", "verdict", verdict, "report", report_path,
                              "checks", result, "signature_status", sig_status);
        json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', out);
        json_decref(o);
    } else {
        fprintf(out, "%s: %s\n", en ? "verify" : "検証",
                !strcmp(verdict, "verified") ? (en ? "VERIFIED: the report belongs to these inputs"
                                                   : "一致: レポートはこれらの入力のものです")
                                             : (en ? "REFUTED" : "不一致"));
        json_array_foreach(result, i, in) {
            const char *path = json_string_value(json_object_get(in, "path"));
            fprintf(out, "  %-10s %s\n", json_string_value(json_object_get(in, "status")),
                    path ? path : "?");
        }
        fprintf(out, "  %s: %s\n", en ? "signature" : "署名", sig_status);
        json_decref(result);
    }
    tkg_report_free(given);
    json_decref(report);
    *exit_code = unreadable ? TKG_EXIT_INPUT : !strcmp(verdict, "verified") ? 0 : 1;
    if (sig < 0) *exit_code = TKG_EXIT_USAGE;
    return TKG_OK;
}

tkg_status tkg_report_write_signed(const tkg_report *rep, FILE *out, const char *key_path,
                                   char *err, size_t errlen) {
    json_t *root = tkg_report_to_json(rep);
    if (!root) return TKG_E_NOMEM;
    tkg_status st = tkg_json_sign(root, key_path, err, errlen);
    if (st == TKG_OK && (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
                         fputc('\n', out) == EOF))
        st = TKG_E_IO;
    json_decref(root);
    return st;
}

const char *tkg_tool_sha256(void) {
    /* The running executable, hashed once: reports name the exact tool build. */
    static char hex[65];
    static bool done;
    if (!done) {
        done = true;
        if (!tkg_file_sha256("/proc/self/exe", hex)) hex[0] = '\0';
    }
    return hex[0] ? hex : NULL;
}
