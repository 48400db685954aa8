/* test_xlsx_sheet.c — unit tests of xlsx_sheet.c: workbooks are written here
 * with libzip (well-formed ones and hostile ones: path traversal and absolute
 * entry names, a zip bomb by ratio, an entry over 64 MiB, malformed XML, a
 * shared-string index out of range, DTDs with entities, bad cell references,
 * a file that is no zip), then read back. */
#include "xlsx_sheet.h"
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

typedef struct {
    const char *name;
    const char *data; /* NUL-terminated unless len is given */
    size_t len;
} entry;

static char tmpdir[] = "/tmp/tkg-xlsx-XXXXXX";

static const char *CONTENT_TYPES =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char *ROOT_RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char *WORKBOOK =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"申告\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
static const char *WORKBOOK_RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId9\" Type=\"http://example/hyperlink\" Target=\"http://example/\" "
    "TargetMode=\"External\"/></Relationships>";
/* 0 機能ID, 1 実装有無 (with a phonetic run), 2 rich text "AB", 3 "a\rb" via _x000D_, 4 empty */
static const char *SHARED =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"5\" "
    "uniqueCount=\"5\"><si><t>機能ID</t></si>"
    "<si><t>実装有無</t><rPh sb=\"0\" eb=\"2\"><t>ジッソウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
    "<si><r><t>A</t></r><r><rPr><b/></rPr><t>B</t></r></si>"
    "<si><t>a_x000D_b</t></si><si/></sst>";
static const char *SHEET1 =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>0010001</t><rPh><t>ヨミ</t></rPh></is></c>"
    "<c r=\"B2\"><v>1</v></c><c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"e\"><v>#N/A</v></c>"
    "<c r=\"E2\"/><c r=\"F2\" t=\"str\"><f>A2&amp;\"x\"</f><v>0010001x</v></c>"
    "<c r=\"G2\" t=\"s\"><v>4</v></c></row>"
    "<row r=\"3\"/>"
    "<row r=\"5\"><c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c><c r=\"AA5\"><v>10001</v></c></row>"
    "</sheetData></worksheet>";
static const char *SHEET2 =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row><c><v>1</v></c></row><row><c><v>2</v></c></row><row><c><v>3</v></c></row>"
    "</sheetData></worksheet>";

static char *path_of(const char *name) {
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

/* Writes a workbook of the standard parts, with `over` replacing or adding entries. */
static const char *write_book(const char *file, const entry *over, size_t nover) {
    entry base[] = {
        {"[Content_Types].xml", CONTENT_TYPES, 0}, {"_rels/.rels", ROOT_RELS, 0},
        {"xl/workbook.xml", WORKBOOK, 0},          {"xl/_rels/workbook.xml.rels", WORKBOOK_RELS, 0},
        {"xl/sharedStrings.xml", SHARED, 0},       {"xl/worksheets/sheet1.xml", SHEET1, 0},
        {"xl/worksheets/sheet2.xml", SHEET2, 0}};
    const char *path = path_of(file);
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) {
        fprintf(stderr, "cannot create %s\n", path);
        exit(2);
    }
    size_t nbase = sizeof base / sizeof base[0];
    for (size_t i = 0; i < nbase + nover; i++) {
        const entry *e = i < nbase ? &base[i] : &over[i - nbase];
        bool replaced = false;
        for (size_t k = 0; i < nbase && k < nover; k++)
            replaced |= !strcmp(over[k].name, e->name);
        if (replaced || !e->data) continue;
        size_t len = e->len ? e->len : strlen(e->data);
        zip_source_t *src = zip_source_buffer(z, e->data, len, 0);
        if (!src || zip_file_add(z, e->name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            fprintf(stderr, "cannot add %s: %s\n", e->name, zip_strerror(z));
            exit(2);
        }
    }
    if (zip_close(z) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, zip_strerror(z));
        exit(2);
    }
    return path;
}

typedef struct {
    char text[64][64];
    char ref[64][16];
    tkg_cell_type type[64];
    uint32_t row[64];
    size_t n, rows, stop_after;
} collected;

static int collect(void *ctx, uint32_t row, const tkg_cell *cells, size_t ncells) {
    collected *c = ctx;
    c->rows++;
    for (size_t i = 0; i < ncells && c->n < 64; i++) {
        snprintf(c->text[c->n], sizeof c->text[0], "%s", cells[i].text);
        snprintf(c->ref[c->n], sizeof c->ref[0], "%s", cells[i].ref);
        c->type[c->n] = cells[i].type;
        c->row[c->n] = row;
        if (strlen(cells[i].text) != cells[i].len) c->type[c->n] = (tkg_cell_type)99;
        c->n++;
    }
    return c->stop_after && c->rows >= c->stop_after;
}

static const char *find(const collected *c, const char *ref) {
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->ref[i], ref)) return c->text[i];
    return NULL;
}

static void test_good(void) {
    const char *path = write_book("good.xlsx", NULL, 0);
    char err[512];
    tkg_workbook *wb = tkg_workbook_open(path, err, sizeof err);
    CHECK(wb != NULL, "open: %s", err);
    if (!wb) return;
    CHECK(tkg_workbook_nsheets(wb) == 2, "two sheets, got %zu", tkg_workbook_nsheets(wb));
    CHECK(!strcmp(tkg_workbook_sheet_name(wb, 0), "申告"), "first sheet name");
    CHECK(!strcmp(tkg_workbook_sheet_name(wb, 1), "Other"), "second sheet name");
    CHECK(tkg_workbook_sheet_name(wb, 2) == NULL, "no third sheet");

    collected c = {0};
    int rc = tkg_workbook_rows(wb, NULL, collect, &c, err, sizeof err);
    CHECK(rc == 0, "first sheet read: %d %s", rc, err);
    CHECK(c.rows == 3, "rows with cells: 1, 2, 5 (got %zu)", c.rows);
    const char *v;
    CHECK((v = find(&c, "A1")) && !strcmp(v, "機能ID"), "A1 shared string: %s", v ? v : "-");
    CHECK((v = find(&c, "B1")) && !strcmp(v, "実装有無"), "B1 without furigana: %s", v ? v : "-");
    CHECK((v = find(&c, "A2")) && !strcmp(v, "0010001"), "A2 inline string: %s", v ? v : "-");
    CHECK((v = find(&c, "B2")) && !strcmp(v, "1"), "B2 number: %s", v ? v : "-");
    CHECK((v = find(&c, "C2")) && !strcmp(v, "TRUE"), "C2 boolean: %s", v ? v : "-");
    CHECK((v = find(&c, "D2")) && !strcmp(v, "#N/A"), "D2 error: %s", v ? v : "-");
    CHECK(find(&c, "E2") == NULL, "E2 empty cell skipped");
    CHECK((v = find(&c, "F2")) && !strcmp(v, "0010001x"), "F2 formula result: %s", v ? v : "-");
    CHECK(find(&c, "G2") == NULL, "G2 empty shared string skipped");
    CHECK((v = find(&c, "A5")) && !strcmp(v, "AB"), "A5 rich text, no r: %s", v ? v : "-");
    CHECK((v = find(&c, "B5")) && !strcmp(v, "a\rb"), "B5 _x000D_ decoded");
    CHECK((v = find(&c, "AA5")) && !strcmp(v, "10001"), "AA5 number: %s", v ? v : "-");
    for (size_t i = 0; i < c.n; i++) {
        CHECK(c.type[i] != (tkg_cell_type)99, "len of %s", c.ref[i]);
        if (!strcmp(c.ref[i], "A2")) CHECK(c.type[i] == TKG_CELL_STRING, "A2 string");
        if (!strcmp(c.ref[i], "B2")) CHECK(c.type[i] == TKG_CELL_NUMBER, "B2 number");
        if (!strcmp(c.ref[i], "C2")) CHECK(c.type[i] == TKG_CELL_BOOL, "C2 bool");
        if (!strcmp(c.ref[i], "D2")) CHECK(c.type[i] == TKG_CELL_ERROR, "D2 error");
        if (!strcmp(c.ref[i], "AA5")) CHECK(c.row[i] == 5, "AA5 in row 5");
    }

    collected c2 = {0};
    rc = tkg_workbook_rows(wb, "Other", collect, &c2, err, sizeof err);
    CHECK(rc == 0 && c2.rows == 3, "second sheet by name: %d rows %zu", rc, c2.rows);
    CHECK((v = find(&c2, "A3")) && !strcmp(v, "3"), "rows and cells without r numbered");

    collected c3 = {0};
    c3.stop_after = 2;
    rc = tkg_workbook_rows(wb, "Other", collect, &c3, err, sizeof err);
    CHECK(rc == 1 && c3.rows == 2, "callback stops the sheet: %d, %zu rows", rc, c3.rows);

    rc = tkg_workbook_rows(wb, "nope", collect, &c3, err, sizeof err);
    CHECK(rc == -1 && strstr(err, "no sheet"), "unknown sheet: %s", err);
    tkg_workbook_free(wb);
}

/* Opening must fail with a message containing `want`. */
static void expect_open_fails(const char *what, const char *path, const char *want) {
    char err[512];
    tkg_workbook *wb = tkg_workbook_open(path, err, sizeof err);
    CHECK(wb == NULL, "%s: opened", what);
    CHECK(wb != NULL || strstr(err, want), "%s: message \"%s\" lacks \"%s\"", what, err, want);
    tkg_workbook_free(wb);
}

/* Opening succeeds; reading the first sheet fails with a message containing `want`. */
static void expect_rows_fail(const char *what, const char *path, const char *want) {
    char err[512];
    tkg_workbook *wb = tkg_workbook_open(path, err, sizeof err);
    CHECK(wb != NULL, "%s: open: %s", what, err);
    if (!wb) return;
    collected c = {0};
    int rc = tkg_workbook_rows(wb, NULL, collect, &c, err, sizeof err);
    CHECK(rc == -1, "%s: rows returned %d", what, rc);
    CHECK(rc != -1 || strstr(err, want), "%s: message \"%s\" lacks \"%s\"", what, err, want);
    tkg_workbook_free(wb);
}

static void test_hostile(void) {
    entry trav[] = {{"../evil.xml", "<x/>", 0}};
    expect_open_fails("path traversal", write_book("trav.xlsx", trav, 1), "unsafe zip entry name");
    entry trav2[] = {{"xl/../../evil.xml", "<x/>", 0}};
    expect_open_fails("inner traversal", write_book("trav2.xlsx", trav2, 1), "unsafe");
    entry abs[] = {{"/etc/evil.xml", "<x/>", 0}};
    expect_open_fails("absolute name", write_book("abs.xlsx", abs, 1), "unsafe");
    entry bs[] = {{"xl\\..\\evil.xml", "<x/>", 0}};
    expect_open_fails("backslash name", write_book("bs.xlsx", bs, 1), "unsafe");

    /* 20 MiB of one byte deflates to a few KiB: far beyond ratio 200. */
    size_t bomb_len = (size_t)20 << 20;
    char *bomb = malloc(bomb_len);
    if (!bomb) exit(2);
    memset(bomb, ' ', bomb_len);
    memcpy(bomb, "<worksheet>", 11);
    entry ratio[] = {{"xl/worksheets/sheet1.xml", bomb, bomb_len}};
    expect_rows_fail("zip bomb", write_book("bomb.xlsx", ratio, 1), "compression ratio");
    /* A shared-strings bomb fails the open. */
    entry sbomb[] = {{"xl/sharedStrings.xml", bomb, bomb_len}};
    expect_open_fails("shared strings bomb", write_book("sbomb.xlsx", sbomb, 1), "ratio");
    free(bomb);

    /* Over 64 MiB uncompressed (stored, so no ratio involved). */
    size_t big_len = ((size_t)64 << 20) + 1;
    char *big = malloc(big_len);
    if (!big) exit(2);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)('a' + (i * 7919u) % 26);
    entry huge[] = {{"xl/worksheets/sheet1.xml", big, big_len}};
    expect_rows_fail("entry over 64 MiB", write_book("huge.xlsx", huge, 1), "larger than 64 MiB");
    free(big);

    entry trunc[] = {
        {"xl/worksheets/sheet1.xml",
         "<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v>"
         "</c></row><row r=\"2\"><c r=\"A2\"><v>2</v></row></sheetData></worksheet>",
         0}};
    expect_rows_fail("malformed XML", write_book("trunc.xlsx", trunc, 1), "sheet1.xml");

    entry range[] = {{"xl/worksheets/sheet1.xml",
                      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row>"
                      "</sheetData></worksheet>",
                      0}};
    expect_rows_fail("shared string out of range", write_book("range.xlsx", range, 1),
                     "out of range");
    entry neg[] = {{"xl/worksheets/sheet1.xml",
                    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>"
                    "</sheetData></worksheet>",
                    0}};
    expect_rows_fail("negative shared string index", write_book("neg.xlsx", neg, 1),
                     "out of range");

    entry laughs[] = {
        {"xl/worksheets/sheet1.xml",
         "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
         "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
         "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
         "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&c;</t>"
         "</is></c></row></sheetData></worksheet>",
         0}};
    expect_rows_fail("entity expansion", write_book("laughs.xlsx", laughs, 1), "DTD");
    entry ext[] = {{"xl/workbook.xml",
                    "<?xml version=\"1.0\"?><!DOCTYPE workbook SYSTEM \"http://example/evil.dtd\">"
                    "<workbook/>",
                    0}};
    expect_open_fails("external DTD in the workbook", write_book("ext.xlsx", ext, 1), "DTD");

    entry badref[] = {{"xl/worksheets/sheet1.xml",
                       "<worksheet><sheetData><row r=\"1\"><c r=\"A0\"><v>1</v></c></row>"
                       "</sheetData></worksheet>",
                       0}};
    expect_rows_fail("bad cell reference", write_book("badref.xlsx", badref, 1), "reference");

    entry nowb[] = {{"xl/workbook.xml", NULL, 0}};
    expect_open_fails("no workbook part", write_book("nowb.xlsx", nowb, 1), "missing");

    entry badsst[] = {{"xl/sharedStrings.xml", "<sst><si><t>unclosed</sst>", 0}};
    expect_open_fails("malformed shared strings", write_book("badsst.xlsx", badsst, 1),
                      "sharedStrings.xml");

    const char *notzip = path_of("notzip.xlsx");
    FILE *f = fopen(notzip, "w");
    if (f) {
        fputs("機能ID,実装有無\n0010001,○\n", f);
        fclose(f);
    }
    expect_open_fails("not a zip", notzip, "not a readable .xlsx");
    expect_open_fails("missing file", path_of("absent.xlsx"), "not a readable .xlsx");
}

int main(void) {
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_good();
    test_hostile();
    const char *names[] = {"good.xlsx",   "trav.xlsx",   "trav2.xlsx", "abs.xlsx",    "bs.xlsx",
                           "bomb.xlsx",   "sbomb.xlsx",  "huge.xlsx",  "trunc.xlsx",  "range.xlsx",
                           "neg.xlsx",    "laughs.xlsx", "ext.xlsx",   "badref.xlsx", "nowb.xlsx",
                           "badsst.xlsx", "notzip.xlsx"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(path_of(names[i]));
    rmdir(tmpdir);
    return unit_finish();
}
