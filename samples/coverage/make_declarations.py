#!/usr/bin/env python3
"""Writes the text declarations of samples/coverage/ (docs/coverage.md) from the function lists
in specs/, so that they follow the lists: python3 samples/coverage/make_declarations.py

  jumin-kihon-daicho-conforming.csv     001, layout 区分/ID/名称/実装有無: every required function
                                        and form ○, the first half of the optional ones ○, every
                                        forbidden one ×. `tekigo coverage --profile 001` → exit 0.
  jumin-kihon-daicho-nonconforming.csv  the same with defects: two required ones × (function
                                        0010004, form 0010009), one required row left out
                                        (function 0010100), a forbidden one ○ (0010031 みなし生年月日),
                                        an ID the version does not know (0019001). → exit 1.
  kaigo-hoken.json                      023, JSON object form: every required ○, optional
                                        0230018 ○ and 0230020 ×, forbidden ones ×. → exit 0.
The .xlsx sample is written by make_xlsx.py. Vendor names are made up."""
import csv, io, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
SPECS = os.path.join(HERE, "..", "..", "specs")


def load(folder, version):
    with open(os.path.join(SPECS, folder, f"functions-{version}.json"), encoding="utf-8") as f:
        return json.load(f)


def mark(category, index_in_category, count_in_category):
    if category == "required":
        return "○"
    if category == "optional":
        return "○" if index_in_category < (count_in_category + 1) // 2 else "×"
    return "×"


def rows_of(spec):
    rows = []
    for kind, key in (("機能", "functions"), ("帳票", "forms")):
        items = spec[key]
        seen = {}
        counts = {c: sum(1 for i in items if i["category"] == c) for c in ("required", "optional", "forbidden")}
        for item in items:
            k = seen.get(item["category"], 0)
            seen[item["category"]] = k + 1
            rows.append([kind, item["id"], item["name"], mark(item["category"], k, counts[item["category"]])])
    return rows


def write_csv(name, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["区分", "ID", "名称", "実装有無"])
    w.writerows(rows)
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def main():
    jumin = load("001-jumin-kihon-daicho", "1.0")
    rows = rows_of(jumin)
    write_csv("jumin-kihon-daicho-conforming.csv", rows)
    bad = []
    for r in rows:
        if r[0] == "機能" and r[1] == "0010100":
            continue                      # a required function left out
        if (r[0], r[1]) in (("機能", "0010004"), ("帳票", "0010009")):
            r = r[:3] + ["×"]             # required, declared not implemented
        if (r[0], r[1]) == ("機能", "0010031"):
            r = r[:3] + ["○"]             # forbidden, declared implemented
        bad.append(r)
    bad.append(["機能", "0019001", "独自の住民異動予測機能", "○"])  # unknown to version 1.0
    write_csv("jumin-kihon-daicho-nonconforming.csv", bad)

    kaigo = load("023-kaigo-hoken", "0.1-modelled")
    doc = {"vendor": "サンプル介護システム株式会社（架空）", "product": "介護保険システム 架空版 3.2",
           "business": "023", "functions": {}, "forms": {}}
    for key in ("functions", "forms"):
        for item in kaigo[key]:
            doc[key][item["id"]] = item["category"] == "required"
    doc["functions"]["0230018"] = True
    with open(os.path.join(HERE, "kaigo-hoken.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
