/* test_json_payloads.c — JSON API payloads through the whole library (profile
 * jutogai-atenabango-fuban-api, json_input.c, json_check.c, the engine and the
 * report): hostile inputs generated in chunks (100 000 levels of nesting, a
 * 100 MB string, 10 MB of digits after 1e999999, many duplicate keys, invalid
 * UTF-8, lone surrogates) must give clear findings, no crash and bounded
 * memory; positions are character columns; and feeding a payload one byte at
 * a time gives the same report as feeding it whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tekigo/tekigo.h"
#include "unit.h"

static tkg_profile *profile;

typedef struct {
    const char *head, *tail; /* written before and after the generated middle */
    char fill;               /* the middle: fill repeated */
    size_t middle;           /* bytes of the middle */
    const char *closer;      /* for nesting: what closes one level; middle counts levels */
} gen;

/* Runs one input named name (its name declares the structure) through a run. */
static tkg_run *run_gen(const char *name, const gen *g, size_t chunk) {
    tkg_options o = {0};
    o.lang = "en";
    o.as_of = "2026-01-01";
    o.max_examples = 1000;
    tkg_run *r = tkg_run_new(profile, &o);
    if (!r || tkg_run_feed_begin(r, name, NULL) != TKG_OK) abort();
    static char block[1 << 16];
    const char *parts[2] = {g->head, NULL};
    for (size_t i = 0; parts[i]; i++) {
        const char *s = parts[i];
        for (size_t n = strlen(s), at = 0; at < n; at += chunk)
            tkg_run_feed(r, s + at, n - at < chunk ? n - at : chunk);
    }
    if (g->middle) {
        memset(block, g->fill, sizeof block);
        size_t step = chunk < sizeof block ? chunk : sizeof block;
        for (size_t done = 0; done < g->middle; done += step)
            tkg_run_feed(r, block, g->middle - done < step ? g->middle - done : step);
        if (g->closer) {
            memset(block, g->closer[0], sizeof block);
            for (size_t done = 0; done < g->middle; done += step)
                tkg_run_feed(r, block, g->middle - done < step ? g->middle - done : step);
        }
    }
    if (g->tail)
        for (size_t n = strlen(g->tail), at = 0; at < n; at += chunk)
            tkg_run_feed(r, g->tail + at, n - at < chunk ? n - at : chunk);
    tkg_run_feed_end(r);
    tkg_run_finish(r);
    return r;
}

static size_t count_rule(const tkg_report *rep, const char *rule) {
    size_t n = 0;
    for (size_t i = 0; i < tkg_report_count(rep); i++)
        if (!strcmp(tkg_report_diag(rep, i)->rule, rule)) n++;
    return n;
}

static const tkg_diag *find_rule(const tkg_report *rep, const char *rule) {
    for (size_t i = 0; i < tkg_report_count(rep); i++)
        if (!strcmp(tkg_report_diag(rep, i)->rule, rule)) return tkg_report_diag(rep, i);
    return NULL;
}

static char *rules_of(const tkg_report *rep) {
    static char buf[4096];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < tkg_report_count(rep) && n + 80 < sizeof buf; i++) {
        const tkg_diag *d = tkg_report_diag(rep, i);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s@%llu:%u%s ", d->rule,
                              (unsigned long long)d->line, d->column, d->pointer ? d->pointer : "");
    }
    return buf;
}

static const char *REQUEST_REST =
    "\"shorikubun\":\"0\",\"shikuchosonkodo\":\"131016\",\"nayosemotofuragu\":\"0\","
    "\"tagyomusanshofukafuragu\":\"0\",\"sosashaid\":\"1\",\"sosanengappi\":\"2021-11-01\","
    "\"sosajikoku\":\"09:00:00\"}";

static void hostile(void) {
    char head[1024];
    {
        /* 100 000 levels in a member: JSN008 once, JSN022 (an array where a string goes). */
        snprintf(head, sizeof head, "{\"shimei\":");
        char tail[1024];
        snprintf(tail, sizeof tail, ",%s", REQUEST_REST);
        gen g = {head, tail, '[', 100000, "]"};
        tkg_run *r = run_gen("deep.request.json", &g, 1 << 16);
        const tkg_report *rep = tkg_run_report(r);
        CHECK(count_rule(rep, "JSN008") == 1 && count_rule(rep, "JSN022") == 1 &&
                  tkg_report_total(rep, TKG_SEV_ERROR) == 2,
              "deep nesting: %s", rules_of(rep));
        const tkg_diag *d = find_rule(rep, "JSN008");
        CHECK(d && d->pointer && !strncmp(d->pointer, "/shimei/0/0/0", 13),
              "deep nesting pointer %s", d && d->pointer ? d->pointer : "(none)");
        tkg_run_free(r);
    }
    {
        /* A 100 MB string: JSN009 once, not checked further, memory bounded. */
        gen g = {"{\"shimei\":\"", NULL, 'a', (size_t)100 << 20, NULL};
        char tail[1024];
        snprintf(tail, sizeof tail, "\",%s", REQUEST_REST);
        g.tail = tail;
        tkg_run *r = run_gen("long.request.json", &g, 1 << 16);
        const tkg_report *rep = tkg_run_report(r);
        CHECK(count_rule(rep, "JSN009") == 1 && tkg_report_total(rep, TKG_SEV_ERROR) == 1,
              "100 MB string: %s", rules_of(rep));
        tkg_run_free(r);
    }
    {
        /* 1e999999 then 10 MB of digits in a 9 item: JSN009, no crash, no conversion. */
        gen g = {
            "{\"metadata\":{\"title\":\"住登外者宛名番号付番\",\"detail\":\"登録が完了しました。\"}"
            ","
            "\"_links\":{\"self\":{\"href\":\"/x\"}},\"result\":[{\"shikuchosonkodo\":\"131016\","
            "\"atenabango\":\"1\",\"sosashaid\":\"1\",\"sosanengappi\":\"2021-11-01\","
            "\"sosajikoku\":\"09:00:00\",\"rirekibango\":1e999999",
            "}]}", '7', (size_t)10 << 20, NULL};
        tkg_run *r = run_gen("huge.200.json", &g, 1 << 16);
        const tkg_report *rep = tkg_run_report(r);
        CHECK(count_rule(rep, "JSN009") == 1 && tkg_report_total(rep, TKG_SEV_ERROR) == 1,
              "10 MB number: %s", rules_of(rep));
        tkg_run_free(r);
    }
    {
        /* 1e999999 itself is a valid JSON number, kept as text: a 9 item rejects it (TYP005). */
        gen g = {
            "{\"metadata\":{\"title\":\"住登外者宛名番号付番\",\"detail\":\"登録が完了しました。\"}"
            ","
            "\"_links\":{\"self\":{\"href\":\"/x\"}},\"result\":[{\"shikuchosonkodo\":\"131016\","
            "\"atenabango\":\"1\",\"sosashaid\":\"1\",\"sosanengappi\":\"2021-11-01\","
            "\"sosajikoku\":\"09:00:00\",\"rirekibango\":1e999999}]}",
            NULL, 0, 0, NULL};
        tkg_run *r = run_gen("exp.200.json", &g, 1 << 16);
        const tkg_report *rep = tkg_run_report(r);
        const tkg_diag *d = find_rule(rep, "TYP005");
        CHECK(d && d->value && !strcmp(d->value, "1e999999") && d->pointer &&
                  !strcmp(d->pointer, "/result/0/rirekibango"),
              "1e999999: %s", rules_of(rep));
        tkg_run_free(r);
    }
    {
        /* 200 000 repetitions of one key: each repetition is JSN007; bounded memory. */
        gen g = {"{", NULL, 0, 0, NULL};
        size_t n = 200000, len = n * strlen(",\"sosashaid\":\"1\"") + 1024;
        char *s = malloc(len);
        size_t at = (size_t)snprintf(s, len, "{\"sosashaid\":\"1\"");
        for (size_t i = 1; i < n; i++)
            at += (size_t)snprintf(s + at, len - at, ",\"sosashaid\":\"1\"");
        snprintf(s + at, len - at, ",%s", REQUEST_REST);
        g.head = s;
        tkg_run *r = run_gen("dups.request.json", &g, 1 << 16);
        const tkg_report *rep = tkg_run_report(r);
        CHECK(count_rule(rep, "JSN007") == 1000, "duplicate keys: kept examples (%zu)",
              count_rule(rep, "JSN007"));
        tkg_run_free(r);
        free(s);
    }
    {
        /* Invalid UTF-8 (ENC001 with its byte offset) and a lone surrogate (JSN003). */
        snprintf(head, sizeof head, "{\"shimei\":\"佐\xFF藤\",\"tsusho\":\"\\udc00\",%s",
                 REQUEST_REST);
        gen g = {head, NULL, 0, 0, NULL};
        tkg_run *r = run_gen("bytes.request.json", &g, 1);
        const tkg_report *rep = tkg_run_report(r);
        const tkg_diag *u = find_rule(rep, "ENC001"), *s = find_rule(rep, "JSN003");
        CHECK(u && u->column == 13 && u->pointer && !strcmp(u->pointer, "/shimei") &&
                  strstr(u->message, "byte offset 14"),
              "invalid UTF-8: %s %s", rules_of(rep), u ? u->message : "");
        CHECK(s && s->pointer && !strcmp(s->pointer, "/tsusho"), "lone surrogate: %s",
              rules_of(rep));
        CHECK(tkg_report_total(rep, TKG_SEV_ERROR) == 2, "bad strings are not checked further: %s",
              rules_of(rep));
        tkg_run_free(r);
    }
}

/* Columns count characters, not bytes; the pointer names the member. */
static void positions(void) {
    char head[1024];
    snprintf(head, sizeof head, "{\"uji_nihonjin\":\"佐藤\",\"shimei\":\"ｻ\",\n  \"tsusho\": 5,%s",
             REQUEST_REST);
    gen g = {head, NULL, 0, 0, NULL};
    tkg_run *r = run_gen("pos.request.json", &g, 7);
    const tkg_report *rep = tkg_run_report(r);
    const tkg_diag *d = find_rule(rep, "E0002");
    CHECK(d && d->line == 1 && d->column == 31 && d->pointer && !strcmp(d->pointer, "/shimei"),
          "character column of shimei: %s", rules_of(rep));
    d = find_rule(rep, "JSN022");
    CHECK(d && d->line == 2 && d->column == 13, "line 2 column 13: %s", rules_of(rep));
    tkg_run_free(r);
}

/* One byte at a time gives the same report as the whole input. */
static void chunking(const char *dir) {
    static const char *FILES[] = {
        "batch.request.jsonl", "null-atenabango.200.json", "errors-without-code.400.json",
        "duplicate-key.json",  "broken.401.json",          "unknown-shape.json"};
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        FILE *f = fopen(path, "rb");
        CHECK(f != NULL, "cannot open %s", path);
        if (!f) continue;
        static char data[1 << 16];
        size_t n = fread(data, 1, sizeof data - 1, f);
        fclose(f);
        data[n] = '\0';
        gen g = {data, NULL, 0, 0, NULL};
        char *texts[2];
        size_t chunks[2] = {1 << 16, 1};
        for (int k = 0; k < 2; k++) {
            tkg_run *r = run_gen(FILES[i], &g, chunks[k]);
            char *buf = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&buf, &len);
            tkg_report_write(tkg_run_report(r), "text", m);
            fclose(m);
            texts[k] = buf;
            tkg_run_free(r);
        }
        CHECK(!strcmp(texts[0], texts[1]), "%s: 1-byte chunks differ:\n%s\n---\n%s", FILES[i],
              texts[0], texts[1]);
        CHECK(strstr(texts[0], "JSN") || strstr(texts[0], "E000") || strstr(texts[0], "CHK"),
              "%s has findings", FILES[i]);
        free(texts[0]);
        free(texts[1]);
    }
}

int main(void) {
    char err[1024];
    if (tkg_profile_load("jutogai-atenabango-fuban-api", &profile, err, sizeof err) != TKG_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    hostile();
    positions();
#ifdef TKG_JSON_SAMPLES
    chunking(TKG_JSON_SAMPLES);
#endif
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    CHECK(ru.ru_maxrss < 64 * 1024, "peak memory %ld KiB", ru.ru_maxrss);
    tkg_profile_free(profile);
    return unit_finish();
}
