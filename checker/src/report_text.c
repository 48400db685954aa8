/* report_text.c — the human-readable text report, in Japanese or English:
 * verdict first, then inputs, then findings as file:line:column lines (the
 * shape editors and grep understand), then counts per rule. */
#include <string.h>

#include "report.h"

static const char *sev_label(bool en, tkg_severity s) {
    if (en) return tkg_severity_name(s);
    return s == TKG_SEV_ERROR ? "エラー" : s == TKG_SEV_WARNING ? "警告" : "情報";
}

static const char *verdict_label(bool en, const char *v) {
    if (!strcmp(v, "conformant")) return en ? "CONFORMANT" : "適合";
    if (!strcmp(v, "nonconformant")) return en ? "NOT CONFORMANT" : "不適合";
    return en ? "INCOMPLETE (an input could not be read)"
              : "判定不能（読み込めない入力があります）";
}

/* Text from the input may hold line breaks or terminal escapes: show controls as \xHH. */
static void put_safe(FILE *out, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\x%02X", c);
        else
            fputc(c, out);
    }
}

tkg_status tkg_write_text(const tkg_report *r, FILE *out) {
    bool en = r->en;
    const tkg_profile *p = r->profile;
    fprintf(out, "tekigo %s — %s %s@%s (%s)\n", tkg_version(), en ? "profile" : "プロファイル",
            p->id, p->version, p->fidelity);
    fprintf(out, "%s: %s — %s %llu, %s %llu, %s %llu\n", en ? "Verdict" : "判定",
            verdict_label(en, tkg_report_verdict(r)), en ? "errors" : "エラー",
            (unsigned long long)r->totals[TKG_SEV_ERROR], en ? "warnings" : "警告",
            (unsigned long long)r->totals[TKG_SEV_WARNING], en ? "infos" : "情報",
            (unsigned long long)r->totals[TKG_SEV_INFO]);
    fprintf(out, "\n%s:\n", en ? "Inputs" : "入力");
    for (size_t i = 0; i < r->ninputs; i++) {
        const tkg_input *in = &r->inputs[i];
        const char *group = in->group >= 0 ? p->groups[in->group].name : "-";
        if (in->read)
            fprintf(out, "  %s  [%s]  %llu %s, %llu bytes, sha256 %s\n", in->path, group,
                    (unsigned long long)in->records, en ? "records" : "件",
                    (unsigned long long)in->bytes, in->sha256);
        else
            fprintf(out, "  %s  [%s]  %s\n", in->path, group, en ? "not read" : "未読");
    }
    if (r->coverage_version) {
        fprintf(out,
                en ? "\nFunction list: business %s, version %s" : "\n機能要件: 業務 %s の版 %s",
                p->business, r->coverage_version);
        if (r->coverage_fallback)
            fprintf(out,
                    en ? " (the profile's version %s has none: the latest version that has one)\n"
                       : "（プロファイルの版 %s には機能要件がないため、機能要件のある最新の版）\n",
                    p->version);
        else
            fputc('\n', out);
    }
    if (r->ncoverage) {
        fprintf(out, "\n%s:\n",
                en ? "Coverage (requirement, category, declared, verdict)"
                   : "適合確認（要件・区分・申告・判定）");
        for (size_t i = 0; i < r->ncoverage; i++) {
            const tkg_coverage_row *c = &r->coverage[i];
            fprintf(out, "  %s  %-9s  %-8s  %-3s  %-13s  %s\n", c->id, c->kind, c->category,
                    c->declared < 0 ? "-"
                    : c->declared   ? (en ? "yes" : "有")
                                    : (en ? "no" : "無"),
                    c->verdict, c->name ? c->name : "");
        }
    }
    if (r->nsorted) fprintf(out, "\n%s:\n", en ? "Findings" : "所見");
    for (size_t i = 0; i < r->nsorted; i++) {
        const tkg_diag *d = &r->sorted[i]->d;
        fprintf(out, "%s", d->file ? d->file : (en ? "(package)" : "（パッケージ）"));
        if (d->line) fprintf(out, ":%llu", (unsigned long long)d->line);
        if (d->line && d->column) fprintf(out, ":%u", d->column);
        fprintf(out, ": %s %s", sev_label(en, d->severity), d->rule);
        if (d->record > 0)
            fprintf(out, en ? " record %lld" : " レコード%lld", (long long)d->record);
        else if (d->record == 0)
            fprintf(out, en ? " header" : " 見出し行");
        if (d->pointer) fprintf(out, " %s", d->pointer[0] ? d->pointer : "\"\"");
        if (d->item) fprintf(out, " %s(%s)", d->item, d->item_id);
        fputs(": ", out);
        put_safe(out, d->message);
        if (d->value) {
            fputs(en ? " — value \"" : "　値「", out);
            put_safe(out, d->value);
            fputs(en ? "\"" : "」", out);
        }
        fputc('\n', out);
    }
    uint64_t total = 0;
    bool any = false;
    for (int i = 0; i < R__COUNT; i++) {
        if (!r->counts[i]) continue;
        if (!any) fprintf(out, "\n%s:\n", en ? "Findings by rule" : "規則別の件数");
        any = true;
        const tkg_rule_def *def = tkg_rule((tkg_rule_id)i);
        fprintf(out, "  %-7s %-6s %10llu  %s\n", def->id, sev_label(en, r->severity[i]),
                (unsigned long long)r->counts[i], en ? def->title_en : def->title_ja);
        total += r->counts[i];
    }
    if (total > r->nsorted)
        fprintf(out,
                en ? "\n%llu further findings are counted above but not listed (--max-examples %zu "
                     "per rule).\n"
                   : "\n上の件数のうち %llu 件は例として表示していません（規則ごとに "
                     "--max-examples %zu 件まで）。\n",
                (unsigned long long)(total - r->nsorted), r->max_examples);
    return ferror(out) ? TKG_E_IO : TKG_OK;
}
