/* gen_repertoire.c — build-time generator of the character repertoire tables.
 *
 *   gen_repertoire <jisx0213-2004-8bit-std.txt> <mj-characters.csv> <mj-ivs.csv> <out.c>
 *
 * Reads the JIS X 0213:2004 mapping table (Project X0213) and the two MJ
 * tables (derived from the MJ文字情報一覧表, IPA / 文字情報技術促進協議会,
 * CC BY-SA 2.1 JP) and writes C source holding, for the jisx0213 and mj
 * repertoires, a BMP bitmap, a sorted list of supplementary code points and a
 * sorted list of two-code-point sequences (layout: checker/src/repertoire_tables.h).
 *
 * Rules (decided by the project, see moji.c):
 *  - JIS: every row with a Unicode mapping. Half-width code points (ASCII
 *    0x20–0x7E, U+FF61–FF9F) and controls never enter: a row mapped to ASCII
 *    contributes its `Fullwidth: U+FFxx` form instead. The `Windows: U+xxxx`
 *    alternate of a mapped row is added (CP932 decoders produce it); that of a
 *    <reserved> row is not. Rows `U+xxxx+yyyy` are two-code-point characters.
 *  - MJ: the JIS set, plus the first code point of every `kanji` cell of
 *    mj-characters.csv, plus (base, selector) when that cell carries an IVS,
 *    plus every `ucs` sequence of mj-ivs.csv (`3404_E0101`, several joined by ';').
 *
 * Plain C11 with no dependencies: it runs before the library exists. Any line
 * it cannot understand stops the build rather than silently shrinking a
 * repertoire. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BMP_WORDS 1024
#define MAX_CP 0x10FFFFu

typedef struct {
    uint64_t bmp[BMP_WORDS];
    uint32_t *supp;
    size_t supp_count, supp_cap;
    uint64_t *seqs;
    size_t seq_count, seq_cap;
} repertoire;

static const char *current_file;
static size_t current_line;

static _Noreturn void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_repertoire: ");
    if (current_file) fprintf(stderr, "%s:%zu: ", current_file, current_line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *grow(void *p, size_t *cap, size_t elem) {
    size_t next = *cap ? *cap * 2 : 1024;
    void *q = realloc(p, next * elem);
    if (!q) die("out of memory");
    *cap = next;
    return q;
}

static uint64_t seq_key(uint32_t first, uint32_t second) {
    return ((uint64_t)first << 21) | (uint64_t)second;
}

static bool is_halfwidth(uint32_t cp) {
    return (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xFF61 && cp <= 0xFF9F);
}

static bool is_control(uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

static bool is_surrogate(uint32_t cp) {
    return cp >= 0xD800 && cp <= 0xDFFF;
}

static bool is_variation_selector(uint32_t cp) {
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Half-width code points and controls are excluded by rule, wherever they come
 * from; anything else out of range means the input is not what we think. */
static void add_single(repertoire *r, uint32_t cp) {
    if (cp > MAX_CP || is_surrogate(cp))
        die("code point U+%04X is not a Unicode scalar value", (unsigned)cp);
    if (is_halfwidth(cp) || is_control(cp)) return;
    if (cp <= 0xFFFF) {
        r->bmp[cp >> 6] |= (uint64_t)1 << (cp & 63);
        return;
    }
    if (r->supp_count == r->supp_cap) r->supp = grow(r->supp, &r->supp_cap, sizeof *r->supp);
    r->supp[r->supp_count++] = cp;
}

static void add_seq(repertoire *r, uint32_t first, uint32_t second) {
    if (first > MAX_CP || second > MAX_CP || is_surrogate(first) || is_surrogate(second))
        die("sequence U+%04X U+%04X is not made of Unicode scalar values", (unsigned)first,
            (unsigned)second);
    if (r->seq_count == r->seq_cap) r->seqs = grow(r->seqs, &r->seq_cap, sizeof *r->seqs);
    r->seqs[r->seq_count++] = seq_key(first, second);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts and removes duplicates: both tables list many characters twice (MJ
 * kanji that are also JIS, IVS sequences present in both CSVs). */
static void finish(repertoire *r) {
    size_t out = 0;
    qsort(r->supp, r->supp_count, sizeof *r->supp, cmp_u32);
    for (size_t i = 0; i < r->supp_count; i++)
        if (out == 0 || r->supp[out - 1] != r->supp[i]) r->supp[out++] = r->supp[i];
    r->supp_count = out;
    out = 0;
    qsort(r->seqs, r->seq_count, sizeof *r->seqs, cmp_u64);
    for (size_t i = 0; i < r->seq_count; i++)
        if (out == 0 || r->seqs[out - 1] != r->seqs[i]) r->seqs[out++] = r->seqs[i];
    r->seq_count = out;
}

static void copy_repertoire(repertoire *dst, const repertoire *src) {
    memcpy(dst->bmp, src->bmp, sizeof dst->bmp);
    for (size_t i = 0; i < src->supp_count; i++)
        add_single(dst, src->supp[i]);
    for (size_t i = 0; i < src->seq_count; i++)
        add_seq(dst, (uint32_t)(src->seqs[i] >> 21), (uint32_t)(src->seqs[i] & 0x1FFFFF));
}

static size_t bmp_population(const repertoire *r) {
    size_t n = 0;
    for (size_t w = 0; w < BMP_WORDS; w++)
        for (uint64_t bits = r->bmp[w]; bits; bits &= bits - 1)
            n++;
    return n;
}

/* Whole file as a NUL-terminated string; the tables are a few MB at most. */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    if (!buf) die("out of memory");
    for (;;) {
        if (cap - len < 2) {
            buf = grow(buf, &cap, 1);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) die("cannot read %s", path);
    fclose(f);
    buf[len] = '\0';
    if (strlen(buf) != len) die("%s contains a NUL byte", path);
    return buf;
}

/* Splits the next line off *cursor in place (dropping a CR before the LF);
 * returns NULL at the end of the text. */
static char *next_line(char **cursor) {
    char *line = *cursor;
    if (*line == '\0') return NULL;
    char *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *cursor = nl + 1;
    } else {
        *cursor = line + strlen(line);
    }
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r') line[len - 1] = '\0';
    current_line++;
    return line;
}

/* Parses hex digits at *p (at least one, at most 6) and advances *p. */
static uint32_t parse_hex(const char **p) {
    uint32_t v = 0;
    int digits = 0;
    for (;; digits++) {
        char c = **p;
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            break;
        if (digits == 6) die("hexadecimal number too long");
        v = v * 16 + (uint32_t)d;
        (*p)++;
    }
    if (digits == 0) die("hexadecimal number expected at \"%.20s\"", *p);
    return v;
}

/* The code point after a note such as "Fullwidth: U+", or 0 when the line has
 * no such note. */
static uint32_t note_cp(const char *line, const char *note) {
    const char *at = strstr(line, note);
    if (!at) return 0;
    at += strlen(note);
    return parse_hex(&at);
}

static void read_jis(const char *path, repertoire *jis) {
    char *text = read_file(path), *cursor = text, *line;
    size_t mapped = 0;
    current_file = path;
    current_line = 0;
    while ((line = next_line(&cursor)) != NULL) {
        if (line[0] == '\0' || (line[0] == '#' && line[1] == '#')) continue;
        if (strncmp(line, "0x", 2) != 0) die("row must start with a JIS code \"0x....\"");
        const char *field = strchr(line, '\t');
        if (!field) die("row has no Unicode column");
        field++;
        if (*field == '\t' || *field == '#')
            continue; /* <reserved>: nothing, not even its Windows alternate */
        if (strncmp(field, "U+", 2) != 0) die("Unicode column must be empty or start with U+");
        field += 2;
        uint32_t first = parse_hex(&field);
        bool pair = *field == '+';
        mapped++;
        if (pair) {
            field++;
            uint32_t second = parse_hex(&field);
            add_seq(jis, first, second);
        } else {
            add_single(jis, first); /* dropped when half-width: the note below wins */
        }
        if (*field != '\t' && *field != '\0') die("unexpected text after the Unicode column");
        uint32_t fullwidth = note_cp(field, "Fullwidth: U+");
        if (fullwidth)
            add_single(jis, fullwidth);
        else if (!pair && is_halfwidth(first))
            die("half-width mapping U+%04X without a Fullwidth note", (unsigned)first);
        uint32_t windows = note_cp(field, "Windows: U+");
        if (windows) add_single(jis, windows);
    }
    if (mapped == 0) die("no mapped rows: is this the JIS X 0213 table?");
    free(text);
    current_file = NULL;
}

/* Copies field `index` of a CSV line into buf (quotes honoured though the MJ
 * tables use none). Returns false when the line has fewer fields. */
static bool csv_field(const char *line, size_t index, char *buf, size_t size) {
    const char *p = line;
    for (size_t i = 0;; i++) {
        size_t len = 0;
        bool quoted = *p == '"';
        if (quoted) p++;
        while (*p) {
            if (quoted && *p == '"') {
                if (p[1] == '"') {
                    p++;
                } else {
                    p++;
                    quoted = false;
                    continue;
                }
            } else if (!quoted && *p == ',') {
                break;
            }
            if (i == index) {
                if (len + 1 >= size) die("field %zu too long", index);
                buf[len++] = *p;
            }
            p++;
        }
        if (quoted) die("unterminated quoted field");
        if (i == index) {
            buf[len] = '\0';
            return true;
        }
        if (*p != ',') return false;
        p++;
    }
}

/* Index of the header column called `name`; dies when it is absent. */
static size_t csv_column(const char *header, const char *name) {
    char buf[256];
    for (size_t i = 0; csv_field(header, i, buf, sizeof buf); i++)
        if (strcmp(buf, name) == 0) return i;
    die("no column \"%s\" in the header", name);
}

/* Decodes UTF-8 well enough for trusted tables; returns bytes used, 0 when bad. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp) {
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || s[0] > 0xF4) return 0;
    uint32_t v = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_for_len[len] || v > MAX_CP || is_surrogate(v)) return 0;
    *cp = v;
    return len;
}

static char *skip_bom(char *text) {
    return strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
}

static void read_mj_characters(const char *path, repertoire *mj) {
    char *text = read_file(path), *cursor = text, *line;
    char cell[64];
    size_t rows = 0;
    current_file = path;
    current_line = 0;
    cursor = skip_bom(cursor);
    line = next_line(&cursor);
    if (!line) die("empty file");
    size_t col = csv_column(line, "kanji");
    while ((line = next_line(&cursor)) != NULL) {
        if (line[0] == '\0') continue;
        if (!csv_field(line, col, cell, sizeof cell)) die("row has no kanji column");
        rows++;
        if (cell[0] == '\0') continue;
        const unsigned char *p = (const unsigned char *)cell;
        uint32_t base, selector;
        size_t used = utf8_next(p, &base);
        if (!used) die("kanji cell is not UTF-8");
        add_single(mj, base);
        p += used;
        if (*p == '\0') continue;
        used = utf8_next(p, &selector);
        if (!used || !is_variation_selector(selector) || p[used] != '\0')
            die("kanji cell must be one character, optionally with a variation selector");
        add_seq(mj, base, selector);
    }
    if (rows == 0) die("no rows");
    free(text);
    current_file = NULL;
}

static void read_mj_ivs(const char *path, repertoire *mj) {
    char *text = read_file(path), *cursor = text, *line;
    char cell[256];
    size_t rows = 0;
    current_file = path;
    current_line = 0;
    cursor = skip_bom(cursor);
    line = next_line(&cursor);
    if (!line) die("empty file");
    size_t col = csv_column(line, "ucs");
    while ((line = next_line(&cursor)) != NULL) {
        if (line[0] == '\0') continue;
        if (!csv_field(line, col, cell, sizeof cell)) die("row has no ucs column");
        rows++;
        const char *p = cell;
        while (*p) {
            uint32_t base = parse_hex(&p);
            if (*p == '_') {
                p++;
                uint32_t selector = parse_hex(&p);
                if (!is_variation_selector(selector))
                    die("U+%04X is not a variation selector", (unsigned)selector);
                add_seq(mj, base, selector);
            } else {
                add_single(mj, base);
            }
            if (*p == ';')
                p++;
            else if (*p != '\0')
                die("ucs cell must look like 3404_E0101 (several joined by ';')");
        }
    }
    if (rows == 0) die("no rows");
    free(text);
    current_file = NULL;
}

static void write_repertoire(FILE *out, const char *name, const repertoire *r) {
    fprintf(out, "\n/* %s: %zu BMP code points, %zu supplementary, %zu sequences. */\n", name,
            bmp_population(r), r->supp_count, r->seq_count);
    fprintf(out, "static const uint64_t %s_bmp[TKG_REP_BMP_WORDS] = {\n", name);
    for (size_t w = 0; w < BMP_WORDS; w++)
        fprintf(out, "%s0x%016llXu,%s", w % 4 ? " " : "    ", (unsigned long long)r->bmp[w],
                w % 4 == 3 ? "\n" : "");
    fprintf(out, "};\n");
    /* A zero-length array is not C; a placeholder keeps the count honest. */
    fprintf(out, "static const uint32_t %s_supp[] = {\n", name);
    for (size_t i = 0; i < r->supp_count; i++)
        fprintf(out, "%s0x%05Xu,%s", i % 8 ? " " : "    ", (unsigned)r->supp[i],
                i % 8 == 7 ? "\n" : "");
    fprintf(out, "%s};\n", r->supp_count == 0 ? "    0u\n" : r->supp_count % 8 ? "\n" : "");
    fprintf(out, "static const uint64_t %s_seqs[] = {\n", name);
    for (size_t i = 0; i < r->seq_count; i++)
        fprintf(out, "%s0x%011llXu,%s", i % 4 ? " " : "    ", (unsigned long long)r->seqs[i],
                i % 4 == 3 ? "\n" : "");
    fprintf(out, "%s};\n", r->seq_count == 0 ? "    0u\n" : r->seq_count % 4 ? "\n" : "");
    fprintf(out, "const tkg_rep_tables tkg_rep_%s = {%s_bmp, %s_supp, %zuu, %s_seqs, %zuu};\n",
            name, name, name, r->supp_count, name, r->seq_count);
}

/* The second code points of the JIS pairs, sorted and distinct. */
static void write_pair_seconds(FILE *out, const repertoire *jis) {
    uint32_t seconds[64];
    size_t count = 0;
    for (size_t i = 0; i < jis->seq_count; i++) {
        uint32_t second = (uint32_t)(jis->seqs[i] & 0x1FFFFF);
        bool seen = false;
        for (size_t j = 0; j < count; j++)
            seen = seen || seconds[j] == second;
        if (seen) continue;
        if (count == sizeof seconds / sizeof seconds[0])
            die("too many distinct second code points in the JIS pairs");
        seconds[count++] = second;
    }
    qsort(seconds, count, sizeof seconds[0], cmp_u32);
    fprintf(out, "\nconst uint32_t tkg_rep_pair_seconds[] = {");
    for (size_t i = 0; i < count; i++)
        fprintf(out, "%s0x%04Xu", i ? ", " : "", (unsigned)seconds[i]);
    fprintf(out, "%s};\nconst size_t tkg_rep_pair_second_count = %zuu;\n", count ? "" : "0u",
            count);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: gen_repertoire <jisx0213-2004-8bit-std.txt> "
                        "<mj-characters.csv> <mj-ivs.csv> <out.c>\n");
        return 2;
    }
    static repertoire jis, mj;
    read_jis(argv[1], &jis);
    finish(&jis);
    copy_repertoire(&mj, &jis);
    read_mj_characters(argv[2], &mj);
    read_mj_ivs(argv[3], &mj);
    finish(&mj);

    /* Written beside the target and renamed, so an interrupted build never
     * leaves a truncated table that compiles. */
    size_t path_len = strlen(argv[4]);
    char *tmp = malloc(path_len + 5);
    if (!tmp) die("out of memory");
    memcpy(tmp, argv[4], path_len);
    memcpy(tmp + path_len, ".tmp", 5);
    FILE *out = fopen(tmp, "w");
    if (!out) die("cannot create %s: %s", tmp, strerror(errno));
    fprintf(out,
            "/* repertoire_tables.c — GENERATED by checker/tools/gen_repertoire.c; do not edit.\n"
            " *\n"
            " * Derived from specs/common/moji/jisx0213-2004-8bit-std.txt (Project X0213:\n"
            " * \"You can use, modify, distribute this table freely\") and from\n"
            " * mj-characters.csv / mj-ivs.csv, derived from the MJ文字情報一覧表\n"
            " * (IPA / 文字情報技術促進協議会), CC BY-SA 2.1 JP. */\n"
            "#include \"repertoire_tables.h\"\n");
    write_repertoire(out, "jisx0213", &jis);
    write_repertoire(out, "mj", &mj);
    write_pair_seconds(out, &jis);
    if (fclose(out) != 0) die("cannot write %s", tmp);
    if (rename(tmp, argv[4]) != 0) {
        remove(tmp);
        die("cannot rename %s to %s: %s", tmp, argv[4], strerror(errno));
    }
    free(tmp);
    return 0;
}
