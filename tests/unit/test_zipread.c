/* test_zipread.c — unit tests of zipread.c: entry-name judgement (traversal,
 * absolute, backslash, drive letters, control characters), names in CP932
 * without the UTF-8 flag (a 0x5C trail byte is no backslash), the entry-count
 * limit, the size and ratio limits on declared sizes, chunked reads
 * that return every byte, and "pkg.zip!/entry" member paths. Archives are
 * written here with libzip. */
#include "zipread.h"
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

static char tmpdir[] = "/tmp/tkg-zipread-XXXXXX";
static char path_buf[4][512];

typedef struct {
    const char *name;
    const char *data;
    size_t len;
    zip_flags_t name_flags; /* ZIP_FL_ENC_CP437: raw bytes, no UTF-8 flag */
    bool store;
} entry;

static const char *write_zip(const char *file, const entry *es, size_t n) {
    static int slot;
    char *path = path_buf[slot++ % 4];
    snprintf(path, sizeof path_buf[0], "%s/%s", tmpdir, file);
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    for (size_t i = 0; z && i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, es[i].data, es[i].len, 0);
        zip_int64_t idx = zip_file_add(z, es[i].name, src, es[i].name_flags);
        if (idx < 0) {
            zip_source_free(src);
            fprintf(stderr, "cannot add %s: %s\n", es[i].name, zip_strerror(z));
        } else if (es[i].store) {
            zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
    }
    if (!z || zip_close(z) != 0) fprintf(stderr, "cannot write %s\n", path);
    return path;
}

static const tkg_zip_limits LIM = {4, 2u << 20, 1u << 20, 200};

static void test_names(void) {
    const char *why;
    static const char *const bad[] = {
        "../x.csv", "a/../../x.csv", "/etc/passwd", "a\\b.csv", "C:x.csv", "a\tb.csv", "", ".."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!tkg_zip_name_safe(bad[i], &why) && why, "unsafe \"%s\" accepted", bad[i]);
    static const char *const good[] = {"a.csv",    "dir/a.csv", "世帯.csv",
                                       "a..b.csv", "./a.csv",   "dir/"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(tkg_zip_name_safe(good[i], &why) && !why, "safe \"%s\" refused: %s", good[i], why);
    const char *p = "out/pkg.ZIP!/dir/a.csv";
    CHECK(tkg_zip_member_sep(p) == p + 11, "member separator");
    CHECK(!tkg_zip_member_sep("a.csv!/b") && !tkg_zip_member_sep("pkg.zip"), "no member path");
}

static void test_listing(void) {
    /* ソ表.csv in CP932: 83 5C 95 5C — two 0x5C trail bytes. */
    static const char cp932[] = "\x83\x5C\x95\x5C.csv";
    entry es[] = {{cp932, "a,b\n", 4, ZIP_FL_ENC_CP437, false},
                  {"dir/世帯.csv", "x\n", 2, ZIP_FL_ENC_UTF_8, false},
                  {"../evil.csv", "x\n", 2, 0, false},
                  {"dir/", "", 0, 0, false}};
    const char *path = write_zip("names.zip", es, 4);
    tkg_zip_error code;
    uint64_t n = 0;
    char err[256] = "";
    tkg_zip *z = tkg_zip_open(path, &LIM, false, &code, &n, err, sizeof err);
    CHECK(z && n == 4 && tkg_zip_count(z) == 4, "open: %s", err);
    if (z) {
        CHECK(!strcmp(tkg_zip_name(z, 0), "ソ表.csv") && tkg_zip_safe(z, 0), "CP932 name: %s",
              tkg_zip_display_name(z, 0));
        CHECK(!strcmp(tkg_zip_name(z, 1), "dir/世帯.csv") && tkg_zip_safe(z, 1), "UTF-8 name");
        CHECK(!tkg_zip_safe(z, 2) && strstr(tkg_zip_unsafe_reason(z, 2), ".."), "traversal marked");
        CHECK(tkg_zip_is_dir(z, 3) && !tkg_zip_is_dir(z, 0), "directory entry");
        CHECK(tkg_zip_find(z, "ソ表.csv") == 0 && tkg_zip_find(z, "nope") == -1, "find");
        tkg_zip_entry *e = tkg_zip_entry_open(z, 2, &code, err, sizeof err);
        CHECK(!e && code == TKG_ZIP_E_NAME, "an unsafe entry is not opened");
        tkg_zip_close(z);
    }
    /* Workbook mode: an unsafe name fails the open. */
    z = tkg_zip_open(path, &LIM, true, &code, NULL, err, sizeof err);
    CHECK(!z && code == TKG_ZIP_E_NAME && strstr(err, "unsafe zip entry name \"../evil.csv\""),
          "refuse_unsafe: %s", err);
    tkg_zip_close(z);
    entry many[5] = {{"1", "", 0, 0, false},
                     {"2", "", 0, 0, false},
                     {"3", "", 0, 0, false},
                     {"4", "", 0, 0, false},
                     {"5", "", 0, 0, false}};
    path = write_zip("many.zip", many, 5);
    z = tkg_zip_open(path, &LIM, false, &code, &n, err, sizeof err);
    CHECK(!z && code == TKG_ZIP_E_COUNT && n == 5, "count limit: %d %s", (int)code, err);
    tkg_zip_close(z);
    z = tkg_zip_open("/nonexistent/x.zip", &LIM, false, &code, NULL, err, sizeof err);
    CHECK(!z && code == TKG_ZIP_E_OPEN, "missing file");
}

static void test_limits(void) {
    size_t big = 3u << 20;
    char *zeros = calloc(1, big), *text = malloc(big);
    for (size_t i = 0; text && i < big; i++)
        text[i] = (char)('A' + (i * 7919 % 26));
    entry es[] = {{"bomb.csv", zeros, big - (1u << 20), 0, false}, /* 2 MiB of zeros: ratio ~1000 */
                  {"big.csv", text, big, 0, true},                 /* 3 MiB stored: over 2 MiB */
                  {"ok.csv", text, 1500000, 0, true}};             /* 1.5 MiB stored: fine */
    const char *path = write_zip("limits.zip", es, 3);
    tkg_zip_error code;
    char err[256] = "";
    tkg_zip *z = tkg_zip_open(path, &LIM, false, &code, NULL, err, sizeof err);
    CHECK(z != NULL, "open: %s", err);
    tkg_zip_entry *e = z ? tkg_zip_entry_open(z, 0, &code, err, sizeof err) : NULL;
    CHECK(!e && code == TKG_ZIP_E_RATIO && strstr(err, "bomb.csv: compression ratio above 200"),
          "ratio refused before reading: %s", err);
    e = z ? tkg_zip_entry_open(z, 1, &code, err, sizeof err) : NULL;
    CHECK(!e && code == TKG_ZIP_E_SIZE && strstr(err, "larger than 2 MiB"), "size: %s", err);
    e = z ? tkg_zip_entry_open(z, 2, &code, err, sizeof err) : NULL;
    CHECK(e != NULL, "ok.csv opens: %s", err);
    size_t total = 0;
    bool same = true;
    char buf[7000];
    long long n;
    while (e && (n = tkg_zip_entry_read(e, buf, sizeof buf, &code, err, sizeof err)) > 0) {
        same &= memcmp(buf, text + total, (size_t)n) == 0;
        total += (size_t)n;
    }
    CHECK(total == 1500000 && same, "chunked read gives every byte (%zu)", total);
    tkg_zip_entry_close(e);
    tkg_zip_close(z);
    /* The limits are the caller's: under a tighter size limit ok.csv is refused too (a lying
     * declared size is stopped while reading: tests/zip, liar.zip). */
    tkg_zip_limits tight = {4, 1u << 20, 1u << 20, 200};
    z = tkg_zip_open(path, &tight, false, &code, NULL, err, sizeof err);
    e = z ? tkg_zip_entry_open(z, 2, &code, err, sizeof err) : NULL;
    CHECK(!e && code == TKG_ZIP_E_SIZE, "declared size over the limit: %s", err);
    tkg_zip_close(z);
    free(zeros);
    free(text);
}

int main(void) {
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_names();
    test_listing();
    test_limits();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", tmpdir);
    return unit_finish();
}
