#!/usr/bin/env python3
"""check_tables.py — the CSV and xlsx reports, read back as a person's tools would.

    check_tables.py TEKIGO SOURCE_DIR OUT_DIR

Runs `tekigo check` on the non-conforming 住民基本台帳 sample in json, csv and
xlsx (Japanese and English), then:
  - csv:  Python's csv module (utf-8-sig) reads it back: BOM, header, one row
          per JSON finding with the same values, CRLF line ends, nothing else;
  - xlsx: `unzip -l` lists the parts; openpyxl reads the cells back: sheet
          names, verdict, inputs with hashes, counts per rule, the findings
          sheet (header, autofilter, frozen header, one row per finding);
          the fixed creation date; byte-identical across runs, and the same
          bytes through --output and through standard output.
Exit 77 (skipped, with a message) when openpyxl is not installed.
"""
import csv
import io
import json
import os
import subprocess
import sys
import zipfile

AS_OF = "2026-01-01"
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg, file=sys.stderr)


def tekigo(exe, src, fmt, lang="ja", output=None):
    args = [exe, "check", "--profile", "jumin-kihon-daicho", "--as-of", AS_OF, "--format", fmt,
            "--lang", lang]
    if output:
        args += ["--output", output]
    args.append(os.path.join("samples", "jumin-kihon-daicho", "nonconforming"))
    p = subprocess.run(args, cwd=src, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(p.returncode == 1, f"{fmt}: exit status {p.returncode}, stderr {p.stderr!r}")
    return p.stdout


def guarded(cell, value):
    """The CSV writer prefixes formula-like text with an apostrophe."""
    if value is None:
        return cell == ""
    return cell == str(value) or cell == "'" + str(value)


def check_csv(raw, report):
    check(raw.startswith(b"\xef\xbb\xbf"), "csv: no UTF-8 BOM")
    check(raw.endswith(b"\r\n"), "csv: does not end in CRLF")
    text = raw.decode("utf-8-sig")
    check("\n" not in text.replace("\r\n", ""), "csv: a line end that is not CRLF outside quotes")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = ["rule", "severity", "file", "line", "record", "column", "item_id", "item", "value",
              "message"]
    check(rows and rows[0] == header, f"csv: header {rows[:1]}")
    findings = report["findings"]
    check(len(rows) == len(findings) + 1, f"csv: {len(rows) - 1} rows for {len(findings)} findings")
    for row, f in zip(rows[1:], findings):
        check(len(row) == 10, f"csv: row of {len(row)} fields")
        for key, cell in zip(header, row):
            check(guarded(cell, f[key]), f"csv: {key} {cell!r} != {f[key]!r}")


def check_xlsx(raw, report, lang, path):
    check(raw[:4] == b"PK\x03\x04", "xlsx: not a zip")
    listing = subprocess.run(["unzip", "-l", path], stdout=subprocess.PIPE, text=True)
    check(listing.returncode == 0, "xlsx: unzip -l failed")
    for part in ("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                 "xl/worksheets/sheet2.xml", "docProps/core.xml", "xl/sharedStrings.xml"):
        check(part in listing.stdout, f"xlsx: no part {part}")
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        core = z.read("docProps/core.xml").decode()
        check("2000-01-01T00:00:00Z" in core, "xlsx: creation date is not the fixed 2000-01-01")
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    en = lang == "en"
    names = ["Summary", "Findings"] if en else ["概要", "所見"]
    check(wb.sheetnames == names, f"xlsx: sheets {wb.sheetnames}")
    summary, findings = wb[names[0]], wb[names[1]]
    cells = {}
    for row in summary.iter_rows(values_only=True):
        if row[0] is not None and row[1] is not None:
            cells.setdefault(row[0], row[1])
    check(cells.get("Verdict" if en else "判定") == ("Not conformant" if en else "不適合"),
          f"xlsx: verdict {cells.get('判定')!r}")
    check(cells.get("Errors" if en else "エラー") == report["summary"]["errors"], "xlsx: error count")
    flat = [c for row in summary.iter_rows(values_only=True) for c in row if c is not None]
    for inp in report["inputs"]:
        check(inp["path"] in flat and inp["sha256"] in flat, f"xlsx: input {inp['path']} or its hash missing")
    for rule, n in report["summary"]["by_rule"].items():
        rows = [r for r in summary.iter_rows(values_only=True) if r[0] == rule]
        check(rows and rows[0][3] == n, f"xlsx: count of {rule}")
    head = [c.value for c in findings[1]]
    want = (["Rule", "Severity", "File", "Line", "Record", "Field", "Item ID", "Item", "Value", "Message"]
            if en else ["規則", "重大度", "ファイル", "行", "レコード", "列", "項目ID", "項目", "値", "内容"])
    check(head == want, f"xlsx: findings header {head}")
    check(findings.freeze_panes == "A2", f"xlsx: freeze panes {findings.freeze_panes}")
    check(findings.auto_filter.ref is not None and findings.auto_filter.ref.startswith("A1:J"),
          f"xlsx: autofilter {findings.auto_filter.ref}")
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    check(len(rows) == len(report["findings"]), f"xlsx: {len(rows)} finding rows")
    for row, f in zip(rows, report["findings"]):
        check(row[0] == f["rule"] and row[2] == f["file"] and row[3] == f["line"] and
              row[4] == f["record"] and row[5] == f["column"] and (row[8] or "") == (f["value"] or "")
              and row[9] == f["message"], f"xlsx: finding row {row} != {f}")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    exe, src, out = sys.argv[1:]
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        print("SKIPPED: python3-openpyxl is not installed (setup.sh installs it)")
        return 77
    os.makedirs(out, exist_ok=True)
    for lang in ("ja", "en"):
        report = json.loads(tekigo(exe, src, "json", lang))
        check_csv(tekigo(exe, src, "csv", lang), report)
        a = tekigo(exe, src, "xlsx", lang)  # through standard output
        path = os.path.join(out, f"report-{lang}.xlsx")
        tekigo(exe, src, "xlsx", lang, output=path)
        with open(path, "rb") as fh:
            b = fh.read()
        check(a == b, f"xlsx ({lang}): standard output and --output differ")
        c = tekigo(exe, src, "xlsx", lang)
        check(a == c, f"xlsx ({lang}): two runs are not byte-identical")
        check_xlsx(b, report, lang, path)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("report tables: csv and xlsx read back; xlsx byte-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
