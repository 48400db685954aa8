/* util.c — string, path, hashing and file-reading helpers (see util.h). */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

char *tkg_strdup(const char *s) {
    return s ? tkg_strndup(s, strlen(s)) : NULL;
}

char *tkg_strndup(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *tkg_path_join(const char *dir, const char *rel) {
    if (rel[0] == '/' || !dir || !*dir) return tkg_strdup(rel);
    size_t a = strlen(dir), b = strlen(rel);
    char *p = malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, rel, b + 1);
    return p;
}

char *tkg_dirname(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return tkg_strdup(".");
    if (slash == path) return tkg_strdup("/");
    return tkg_strndup(path, (size_t)(slash - path));
}

const char *tkg_basename(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

bool tkg_strcaseeq(const char *a, const char *b) {
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return false;
        if (!x) return true;
    }
}

int tkg_cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int tkg_version_cmp(const char *a, const char *b) {
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            char *ea, *eb;
            unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
            if (x != y) return x < y ? -1 : 1;
            a = ea;
            b = eb;
        } else {
            if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return (*a != 0) - (*b != 0);
}

static void hex_digest(const unsigned char *md, unsigned n, char *out) {
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

void tkg_sha256_hex(const void *data, size_t len, char out[65]) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    hex_digest(md, n, out);
}

bool tkg_file_sha256(const char *path, char hex[65]) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return false;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    char buf[65536];
    ssize_t n = 0;
    while (ok) {
        n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        EVP_DigestUpdate(md, buf, (size_t)n);
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    ok = ok && n == 0 && EVP_DigestFinal_ex(md, d, &dl) && dl == 32;
    if (ok) hex_digest(d, dl, hex);
    EVP_MD_CTX_free(md);
    close(fd);
    return ok;
}

bool tkg_read_file_csv(const char *path, const tkg_dialect *d, const tkg_csv_callbacks *cb,
                       char digest_hex[65]) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return false;
    tkg_csv_reader *r = tkg_csv_new(d, NULL, cb);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    static const size_t CHUNK = 1 << 16;
    char *buf = malloc(CHUNK);
    bool ok = r && md && buf && EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    while (ok) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) ok = false;
        if (n <= 0) break;
        EVP_DigestUpdate(md, buf, (size_t)n);
        if (tkg_csv_feed(r, buf, (size_t)n) != 0) ok = false;
    }
    int saved = errno;
    if (ok && tkg_csv_finish(r) != 0) ok = false;
    if (ok) {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned n = 0;
        EVP_DigestFinal_ex(md, out, &n);
        hex_digest(out, n, digest_hex);
    }
    free(buf);
    EVP_MD_CTX_free(md);
    tkg_csv_free(r);
    close(fd);
    errno = saved;
    return ok;
}

bool tkg_buf_append(tkg_buf *b, const void *p, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return false;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool tkg_buf_printf(tkg_buf *b, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return false;
    if ((size_t)n < sizeof small) return tkg_buf_append(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) return false;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bool ok = tkg_buf_append(b, big, (size_t)n);
    free(big);
    return ok;
}

void tkg_buf_free(tkg_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
