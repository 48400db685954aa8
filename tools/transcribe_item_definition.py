#!/usr/bin/env python3
"""Transcribes a Digital Agency 項目定義書 / 基本データリスト exported as CSV (one row per
item, the workbook's columns) into a tekigo profile's groups and a code-list file.

Used once to make profiles/jutogai-atenabango-kanri/2.0.json from
specs/031-jutogai-atenabango-kanri/item-definition.csv; `tekigo import` will do the same from
the .xlsx itself. Only what the file says is transcribed; the few machine conditions and
checks we add are passed in as `extras` and listed in the profile's source note."""
import csv, json, re, sys

TYPES = {"Ｎ": "N", "N": "N", "X": "X", "9": "9", "9V": "9V", "S9": "S9", "BLOB": "BLOB",
         "YEAR": "YEAR", "DATE": "DATE", "TIME": "TIME"}
OUTPUT = {"必須": "required", "条件付き必須": "conditional", "任意": "optional"}


def item_from_row(row):
    item = {
        "id": row["データ項目ID_業務"].zfill(3) + row["データ項目ID_項目"].zfill(5),
        "name": row["データ項目"],
        "romaji": row["データ項目（ローマ字）"],
    }
    if row["グループ_主キー"] == "○":
        item["primary_key"] = True
    if row["グループ_外部キー"] == "○":
        item["foreign_key"] = True
    cls = [row[k] for k in ("クラス分類_LV1", "クラス分類_LV2", "クラス分類_LV3") if row[k]]
    if cls:
        item["class"] = cls
    item["type"] = TYPES[row["データ型"].strip()]
    length = row["桁数"].strip()
    item["length"] = int(length) if re.fullmatch(r"\d+", length) else length
    if row["コード"].strip():
        item["code"] = row["コード"].strip()
    if row["繰り返し"].strip():
        item["repeat"] = int(row["繰り返し"])
    item["output"] = OUTPUT[row["データ出力条件"].strip()]
    desc = row["項目説明"]
    if "※※" in desc:
        item["condition_text"] = desc.split("※※", 1)[1].strip()
    item["implementation"] = row["実装類型"] == "○"
    if "不詳日を許容する" in desc:
        item["unknown_date"] = {"allowed": True}
    for src, dst in (("項目定義", "definition"), ("項目説明", "description"),
                     ("標準仕様書関連箇所", "spec_ref"), ("サンプル値", "sample"), ("備考", "note")):
        if row[src].strip():
            item[dst] = row[src].strip()
    return item


def main(items_csv, codes_csv, extras_json, out_items, out_codes):
    with open(items_csv, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    extras = json.load(open(extras_json, encoding="utf-8"))
    groups = {}
    for row in rows:
        g = groups.setdefault(row["グループ_名称"], [])
        it = item_from_row(row)
        it.update(extras.get(it["name"], {}))
        g.append(it)
    json.dump([{"name": k, "items": v} for k, v in groups.items()],
              open(out_items, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    lists = {}
    with open(codes_csv, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            cl = lists.setdefault(r["コードID"], {"id": int(r["コードID"]), "name": r["コード名"],
                                               "values": []})
            if r["コードID"] != "999":
                cl["values"].append({"code": r["コード値"], "label": r["コード値の内容"]})
            else:
                cl["municipality_defined"] = True
    json.dump({"code_lists": list(lists.values())}, open(out_codes, "w", encoding="utf-8"),
              ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:6])
