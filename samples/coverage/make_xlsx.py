#!/usr/bin/env python3
"""Writes samples/coverage/kokumin-kenko-hoken.xlsx, a vendor's declaration for 024 国民健康保険 as
a municipality would receive it (docs/coverage.md): /usr/bin/python3 samples/coverage/make_xlsx.py
(needs python3-openpyxl).

Sheet 1 「機能・帳票一覧」: a title and the vendor in rows 1–2, the header in row 4
(区分 / ID / 名称 / 実装有無 / 備考), one row per requirement of specs/024-kokumin-kenko-hoken/
functions-0.1-modelled.json. Most IDs are text cells; function 0240003 is a number cell shown
with the format 0000000 (Excel keeps 240003), which the checker reads as 0240003. 実装有無 is ○ or
×, optional 0240016 is TRUE (a boolean cell). Defects: required function 0240014 is ×, forbidden
form 0240009 国民健康保険被保険者証 is ○ → `tekigo coverage --profile 024` exits 1 with COV001 and
COV002. Sheet 2 「記入例」 is not read (only the first sheet is). The vendor is made up; the
workbook's document properties and zip entry times are fixed so the file is the same on every run."""
import datetime, json, os, zipfile

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = os.path.join(HERE, "..", "..", "specs", "024-kokumin-kenko-hoken", "functions-0.1-modelled.json")
FIXED = datetime.datetime(2025, 4, 1, 9, 0, 0)


def main():
    with open(SPEC, encoding="utf-8") as f:
        spec = json.load(f)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "機能・帳票一覧"
    ws["A1"] = "国民健康保険システム 機能・帳票 実装状況申告書"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "ベンダー: サンプル国保システム株式会社（架空）　製品: 架空国保 5.0"
    ws.append([])
    ws.append(["区分", "ID", "名称", "実装有無", "備考"])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for kind, key in (("機能", "functions"), ("帳票", "forms")):
        for item in spec[key]:
            mark = "○" if item["category"] == "required" else "×"
            note = ""
            if item["category"] == "optional" and item["id"] in ("0240015", "0240007"):
                mark = "○"
            if (kind, item["id"]) == ("機能", "0240014"):
                mark, note = "×", "次期バージョンで対応予定"
            if (kind, item["id"]) == ("帳票", "0240009"):
                mark, note = "○", "従来様式を継続"
            ident = item["id"]
            value = True if (kind, ident) == ("機能", "0240016") else mark
            ws.append([kind, int(ident) if (kind, ident) == ("機能", "0240003") else ident,
                       item["name"], value, note])
            if (kind, ident) == ("機能", "0240003"):
                ws.cell(row=ws.max_row, column=2).number_format = "0000000"
    ws.column_dimensions["C"].width = 48
    ex = wb.create_sheet("記入例")
    ex.append(["区分", "ID", "名称", "実装有無"])
    ex.append(["機能", "0249999", "（記入例）", "○"])
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "tekigo samples"
    out = os.path.join(HERE, "kokumin-kenko-hoken.xlsx")
    wb.save(out)
    fix_zip_times(out)


def fix_zip_times(path):
    """openpyxl stamps zip entries with the current time: rewrite them with FIXED so the
    file is the same on every run."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            z.writestr(fixed, data)


if __name__ == "__main__":
    main()
