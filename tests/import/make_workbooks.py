#!/usr/bin/python3
"""Builds the workbooks the `tekigo import` tests read (into OUT_DIR; nothing here is committed
as .xlsx). Needs openpyxl (python3-openpyxl; setup.sh installs it).

    make_workbooks.py ITEMS.csv CODES.csv OUT_DIR

From the data of the real 031 項目定義書 (specs/031-jutogai-atenabango-kanri/item-definition.csv
and code-list.csv) it writes the official 基本データリスト layout:

  twin.xlsx       title in row 1, legend in row 3, the two-row merged header in rows 5–6
                  (データ項目ID over two cells, グループ over 名称/主キー/外部キー, クラス分類 over
                  LV1–LV3, the single columns merged over both rows), data from row 7 with the
                  item number as a number cell and full-width データ型 (Ｎ); the code lists on
                  コード一覧（個別） (1, 2, with コードID and コード名 merged over their rows) and
                  コード一覧（連携） (999). Every shared string gets a phonetic run (<rPh>, furigana)
                  and some a rich-text split, added to sharedStrings.xml after openpyxl wrote it.
  odd.xlsx        the same items with the columns in another order, an extra column no
                  基本データリスト has (自治体メモ), the header further down (rows 8–9) and the
                  グループ 名称 merged down its rows (blank below the first).
  multi.xlsx      two groups in one sheet, the second with a foreign key to the first's primary
                  key (references inferred), and a note row without an ID.
  errors.xlsx     what import must refuse: an unknown データ型 (Ｚ), an unparsable 桁数, a row
                  without an ID, an unknown データ出力条件.
  nocolumn.xlsx   a header without the データ型 column.
  hostile-*.xlsx  a deflate bomb sheet, a path-traversal entry, an enormous shared-string table
                  (stored, over the count limit), a malformed sheet, a sheet whose part is missing.
"""
import csv
import os
import re
import sys
import zipfile

import openpyxl
from openpyxl.styles import Alignment

LEGEND = ("凡例）データ型 X：半角文字列 Ｎ：全角文字列 9：整数 9V：小数点付き実数 S9：符号付き整数 "
          "BLOB：画像 YEAR：YYYY DATE：YYYY-MM-DD TIME：HH:MM:SS／○：該当")

# (header top, header sub or None, CSV column or a callable of the row)
COLUMNS = [
    ("データ項目ID", None, "データ項目ID_業務"),
    ("", None, "データ項目ID_項目"),
    ("データ項目", None, "データ項目"),
    ("データ項目（ローマ字）", None, "データ項目（ローマ字）"),
    ("グループ", "名称", "グループ_名称"),
    ("", "主キー", "グループ_主キー"),
    ("", "外部キー", "グループ_外部キー"),
    ("クラス分類", "LV1", "クラス分類_LV1"),
    ("", "LV2", "クラス分類_LV2"),
    ("", "LV3", "クラス分類_LV3"),
    ("データ型", None, "データ型"),
    ("桁数", None, "桁数"),
    ("コード", None, "コード"),
    ("繰り返し", None, "繰り返し"),
    ("データ出力条件", None, "データ出力条件"),
    ("項目定義", None, "項目定義"),
    ("項目説明", None, "項目説明"),
    ("標準仕様書関連箇所", None, "標準仕様書関連箇所"),
    ("実装類型", None, "実装類型"),
    ("サンプル値", None, "サンプル値"),
    ("備考", None, "備考"),
]


def cell_value(col, value):
    """Numbers where Excel would hold numbers: the item number, plain lengths and repeats."""
    if col in ("データ項目ID_項目", "桁数", "繰り返し") and re.fullmatch(r"\d+", value):
        return int(value)
    return value if value != "" else None


def write_header(ws, top_row, columns):
    """Two header rows: a top with a sub-label spans its columns, others are merged down."""
    c = 1
    while c <= len(columns):
        top, sub, _ = columns[c - 1]
        if top == "":
            c += 1
            continue
        span = 1
        while c + span <= len(columns) and columns[c + span - 1][0] == "":
            span += 1
        ws.cell(top_row, c, top)
        if sub is None and span == 1:
            ws.merge_cells(start_row=top_row, start_column=c, end_row=top_row + 1, end_column=c)
        elif sub is None:  # データ項目ID: over two columns and both rows
            ws.merge_cells(start_row=top_row, start_column=c, end_row=top_row + 1,
                           end_column=c + span - 1)
        else:
            ws.merge_cells(start_row=top_row, start_column=c, end_row=top_row,
                           end_column=c + span - 1)
            for k in range(span):
                ws.cell(top_row + 1, c + k, columns[c + k - 1][1])
        c += span
    for col in range(1, len(columns) + 1):
        ws.cell(top_row, col).alignment = Alignment(wrap_text=True)


def item_sheet(wb, name, rows, columns, top_row=5, merge_groups=False, title_row=1):
    ws = wb.create_sheet(name)
    ws.cell(title_row, 1, "住登外者宛名番号管理機能 項目定義書（住登外者宛名基本情報）")
    ws.cell(title_row + 2, 1, LEGEND)
    write_header(ws, top_row, columns)
    r = top_row + 2
    group_start = None
    for i, row in enumerate(rows):
        for c, (_, _, src) in enumerate(columns, start=1):
            v = src(row) if callable(src) else cell_value(src, row[src])
            if v is not None:
                ws.cell(r, c, v)
        if merge_groups:
            gcol = [k for k, col in enumerate(columns, 1) if col[2] == "グループ_名称"][0]
            last = i + 1 == len(rows) or rows[i + 1]["グループ_名称"] != row["グループ_名称"]
            if group_start is None:
                group_start = r
            if last:
                if r > group_start:
                    ws.merge_cells(start_row=group_start, start_column=gcol, end_row=r,
                                   end_column=gcol)
                group_start = None
        r += 1
    return ws


def code_sheets(wb, codes):
    for name, wanted in (("コード一覧（個別）", lambda i: i != "999"),
                         ("コード一覧（連携）", lambda i: i == "999")):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, name)
        for c, h in enumerate(["コードID", "コード名", "コード値", "コード値の内容", "備考"], 1):
            ws.cell(3, c, h)
        r = 4
        rows = [c for c in codes if wanted(c["コードID"])]
        i = 0
        while i < len(rows):
            j = i
            while j < len(rows) and rows[j]["コードID"] == rows[i]["コードID"]:
                j += 1
            ws.cell(r, 1, int(rows[i]["コードID"]))
            ws.cell(r, 2, rows[i]["コード名"])
            if j - i > 1:  # コードID and コード名 merged over the rows of one list
                ws.merge_cells(start_row=r, start_column=1, end_row=r + j - i - 1, end_column=1)
                ws.merge_cells(start_row=r, start_column=2, end_row=r + j - i - 1, end_column=2)
            for k in range(i, j):
                ws.cell(r + k - i, 3, rows[k]["コード値"])
                ws.cell(r + k - i, 4, rows[k]["コード値の内容"])
                if rows[k]["備考"]:
                    ws.cell(r + k - i, 5, rows[k]["備考"])
            r += j - i
            i = j


def to_shared_strings(path):
    """openpyxl writes inline strings; Excel writes a shared-string table. This moves every
    inline string of the sheets into xl/sharedStrings.xml (registered in [Content_Types].xml
    and the workbook relationships) and gives each string a furigana run (<rPh>) and
    <phoneticPr>; every third string is split into two rich-text runs. None of the added
    markup is cell text."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    strings = []

    def inline(m):
        strings.append((m.group(3), m.group(4)))
        return f'<c {m.group(1)}t="s"{m.group(2)}><v>{len(strings) - 1}</v></c>'

    cell = re.compile(r'<c ([^>]*)t="inlineStr"([^>]*)><is><t([^>]*)>(.*?)</t></is></c>', re.S)
    out = []
    for name, data in entries:
        if name.startswith("xl/worksheets/sheet"):
            data = cell.sub(inline, data.decode("utf-8")).encode("utf-8")
        elif name == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                b'sharedStrings+xml"/></Types>')
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.openxml'
                                b'formats.org/officeDocument/2006/relationships/sharedStrings" '
                                b'Target="sharedStrings.xml" Id="rIdSST"/></Relationships>')
        out.append((name, data))
    assert strings, "no inline strings found"
    si = []
    for n, (attrs, inner) in enumerate(strings, 1):
        chars = re.findall(r"&#\d+;|&[a-z]+;|.", inner, re.S)
        if n % 3 == 0 and len(chars) > 2:
            half = len(chars) // 2
            body = (f'<r><t{attrs}>{"".join(chars[:half])}</t></r>'
                    f'<r><rPr><b/></rPr><t{attrs}>{"".join(chars[half:])}</t></r>')
        else:
            body = f"<t{attrs}>{inner}</t>"
        si.append(f'<si>{body}<rPh sb="0" eb="1"><t>フリガナ</t></rPh>'
                  f'<phoneticPr fontId="1" type="noConversion"/></si>')
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
           f'openxmlformats.org/spreadsheetml/2006/main" count="{len(si)}" uniqueCount="{len(si)}">'
           + "".join(si) + "</sst>")
    out.append(("xl/sharedStrings.xml", sst.encode("utf-8")))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in out:
            z.writestr(name, data)


def save(wb, path):
    del wb[wb.sheetnames[0]]  # the default empty sheet
    wb.save(path)
    to_shared_strings(path)


def twin(rows, codes, out):
    wb = openpyxl.Workbook()
    item_sheet(wb, "住登外者宛名基本情報", rows, COLUMNS)
    code_sheets(wb, codes)
    save(wb, os.path.join(out, "twin.xlsx"))


def odd(rows, codes, out):
    by_src = {c[2]: c for c in COLUMNS}
    cols = [by_src[k] for k in ("備考", "実装類型", "項目説明")]
    cols.append(("自治体メモ", None, lambda row: "メモ：" + row["データ項目"]))
    cols += [by_src[k] for k in ("データ出力条件", "繰り返し", "コード", "桁数", "データ型",
                                 "クラス分類_LV1", "クラス分類_LV2", "クラス分類_LV3",
                                 "データ項目ID_業務", "データ項目ID_項目", "グループ_名称",
                                 "グループ_主キー", "グループ_外部キー", "データ項目（ローマ字）",
                                 "データ項目", "項目定義", "標準仕様書関連箇所", "サンプル値")]
    wb = openpyxl.Workbook()
    ws = item_sheet(wb, "項目定義", rows, cols, top_row=8, merge_groups=True)
    ws.cell(5, 1, "※本シートは試験用に列の順序を入れ替えたもの")
    code_sheets(wb, codes)
    save(wb, os.path.join(out, "odd.xlsx"))


def multi(rows, out):
    second = []
    for row in rows[:4]:
        r = dict(row)
        r["グループ_名称"] = "住登外者宛名履歴"
        r["データ項目ID_項目"] = str(100 + int(row["データ項目ID_項目"]))
        if row["データ項目"] == "宛名番号":
            r["グループ_主キー"], r["グループ_外部キー"] = "", "○"
        second.append(r)
    wb = openpyxl.Workbook()
    ws = item_sheet(wb, "基本データリスト", rows + second, COLUMNS)
    ws.cell(7 + len(rows) + len(second), 17, "※ 以上")  # a note row in the 項目説明 column
    save(wb, os.path.join(out, "multi.xlsx"))


def errors(rows, out):
    bad = [dict(r) for r in rows[:6]]
    bad[1]["データ型"] = "Ｚ"
    bad[2]["桁数"] = "十五"
    bad[3]["データ項目ID_業務"] = bad[3]["データ項目ID_項目"] = ""
    bad[4]["データ出力条件"] = "必要"
    wb = openpyxl.Workbook()
    item_sheet(wb, "項目定義", bad, COLUMNS)
    save(wb, os.path.join(out, "errors.xlsx"))
    wb = openpyxl.Workbook()
    item_sheet(wb, "項目定義", rows[:3], [c for c in COLUMNS if c[2] != "データ型"])
    save(wb, os.path.join(out, "nocolumn.xlsx"))


def rewrite(src, dst, change, compression=zipfile.ZIP_DEFLATED):
    """Copies a workbook, letting change(name, data) return new (name, data) pairs."""
    with zipfile.ZipFile(src) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", compression) as z:
        for name, data in entries:
            for n, d in change(name, data):
                z.writestr(n, d)


def hostile(out):
    src = os.path.join(out, "twin.xlsx")
    sheet = "xl/worksheets/sheet1.xml"

    def bomb(name, data):
        if name == sheet:  # 40 MiB of blank space inside the sheet: ratio far above 200
            data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (40 << 20), 1)
        return [(name, data)]

    def huge(name, data):
        if name == sheet:  # 80 MiB: over the 64 MiB a part may have
            data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (80 << 20), 1)
        return [(name, data)]

    def traversal(name, data):
        return [(name, data)] + ([("../../evil.xml", b"<x/>")] if name == sheet else [])

    def huge_strings(name, data):
        if name == "xl/sharedStrings.xml":
            n = 4_300_000  # more than the 4,194,304 shared strings allowed, stored: no ratio
            data = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxml'
                    b'formats.org/spreadsheetml/2006/main">' + b"<si/>" * n + b"</sst>")
        return [(name, data)]

    def malformed(name, data):
        if name == sheet:
            data = data[: len(data) // 2]
        return [(name, data)]

    def missing(name, data):
        return [] if name == sheet else [(name, data)]

    rewrite(src, os.path.join(out, "hostile-bomb.xlsx"), bomb)
    rewrite(src, os.path.join(out, "hostile-huge.xlsx"), huge)
    rewrite(src, os.path.join(out, "hostile-traversal.xlsx"), traversal)
    rewrite(src, os.path.join(out, "hostile-strings.xlsx"), huge_strings, zipfile.ZIP_STORED)
    rewrite(src, os.path.join(out, "hostile-malformed.xlsx"), malformed)
    rewrite(src, os.path.join(out, "hostile-missing.xlsx"), missing)
    with open(os.path.join(out, "hostile-notzip.xlsx"), "wb") as f:
        f.write(b"PK\x03\x04 this is no workbook")


def main(items_csv, codes_csv, out):
    os.makedirs(out, exist_ok=True)
    with open(items_csv, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(codes_csv, encoding="utf-8-sig", newline="") as f:
        codes = list(csv.DictReader(f))
    twin(rows, codes, out)
    odd(rows, codes, out)
    multi(rows, out)
    errors(rows, out)
    hostile(out)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
