#!/usr/bin/python3
"""Tests of `tekigo import` (checker/src/import.c, import_api.c; docs/import.md).

    test_import.py workbooks TEKIGO PROJECT_ROOT OUT_DIR
    test_import.py hostile   TEKIGO PROJECT_ROOT OUT_DIR
    test_import.py api       TEKIGO PROJECT_ROOT OUT_DIR

workbooks: tests/import/make_workbooks.py builds, from the data of the real 031 項目定義書
  (specs/031-jutogai-atenabango-kanri/item-definition.csv, code-list.csv), the official
  基本データリスト layout (title, legend, two-row merged header, full-width Ｎ, phonetic runs in
  the shared strings) and variants; importing the twin must reproduce the items of the
  shipped profile profiles/jutogai-atenabango-kanri/2.0.json exactly, field by field, except
  the fields tekigo added to it (its source note lists them: checks, fixed_length, master,
  personal, required_when, unknown_date.text_item), which no workbook says. The odd column
  order with an unknown column, several groups in one sheet, and workbooks with errors
  (exit 2, naming sheet and cell) are checked too.
hostile: hostile workbooks give a clear message and exit 3, fast and in bounded memory.
api: the real API workbook (specs/031-jutogai-atenabango-fuban-api/api-spec-2.0.xlsx) gives
  the content of profiles/jutogai-atenabango-fuban-api/2.0.json (made by
  tools/transcribe_api_workbook.py) except documented metadata (title.en, source, repertoire,
  masters, code_lists) and the item fields that transcription adds.
Exit 77 (skipped) when openpyxl is missing for the workbook modes.
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import time

MODE, TEKIGO, ROOT, OUT = sys.argv[1:5]
SPEC031 = os.path.join(ROOT, "specs", "031-jutogai-atenabango-kanri")
failures = 0
checks = 0

# Item fields tekigo added to the shipped profiles: not in any workbook (their source notes
# list them; the API workbook has no コード column, so its code lists are added too).
ADDED_DATA = {"checks", "fixed_length", "master", "personal", "required_when", "allowed_values"}
ADDED_API = ADDED_DATA | {"code"}


def check(cond, msg):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", msg, file=sys.stderr)


def tekigo(*args):
    t0 = time.time()
    p = subprocess.run([TEKIGO, "--lang", "en", *args], cwd=OUT, capture_output=True)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), \
        time.time() - t0, rss


def make_workbooks():
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        print("openpyxl not installed: skipped")
        sys.exit(77)
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "import", "make_workbooks.py"),
                    os.path.join(SPEC031, "item-definition.csv"),
                    os.path.join(SPEC031, "code-list.csv"), OUT], check=True)


def resolved_groups(profile_path):
    p = json.load(open(profile_path, encoding="utf-8"))
    if "groups" in p:
        return p["groups"]
    inc = os.path.join(os.path.dirname(profile_path), p["include"])
    return json.load(open(inc, encoding="utf-8"))["groups"]


def transcribed(item, added=ADDED_DATA):
    """The fields a workbook says: everything but what tekigo added."""
    out = {k: v for k, v in item.items() if k not in added}
    if "unknown_date" in out:
        out["unknown_date"] = {k: v for k, v in out["unknown_date"].items() if k != "text_item"}
    return out


def compare_items(name, got_groups, want_groups):
    check([g["name"] for g in got_groups] == [g["name"] for g in want_groups],
          f"{name}: groups {[g['name'] for g in got_groups]}")
    for g, w in zip(got_groups, want_groups):
        got, want = g["items"], w["items"]
        check(len(got) == len(want), f"{name}: {len(got)} items in {g['name']}, expected {len(want)}")
        for a, b in zip(got, want):
            ta, tb = transcribed(a), transcribed(b)
            for key in sorted(set(ta) | set(tb)):
                check(ta.get(key) == tb.get(key),
                      f"{name}: item {b['id']} {b['name']}: {key} is {ta.get(key)!r}, "
                      f"expected {tb.get(key)!r}")
            check(list(ta) == list(tb), f"{name}: item {b['id']}: key order {list(ta)}")
            # The companion 不詳表記 item is inferred by its name: it agrees with the shipped one.
            if "unknown_date" in b:
                check(a.get("unknown_date") == b["unknown_date"],
                      f"{name}: item {b['id']}: unknown_date {a.get('unknown_date')}")


def run_workbooks():
    make_workbooks()
    shipped = os.path.join(ROOT, "profiles", "jutogai-atenabango-kanri", "2.0.json")
    want = resolved_groups(shipped)
    want_codes = json.load(open(os.path.join(SPEC031, "codes.json"), encoding="utf-8"))

    for name, warnings in (("twin", []), ("odd", ['項目定義!D8: column "自治体メモ" is not a column'])):
        rc, out, err, _, _ = tekigo("import", name + ".xlsx", "-o", name + ".json")
        check(rc == 0, f"{name}: exit {rc}: {err}")
        lines = [l for l in err.splitlines() if l]
        check(len(lines) == len(warnings) and all(w in e for w, e in zip(warnings, lines)),
              f"{name}: problems {lines}, expected {warnings}")
        if rc != 0:
            continue
        prof = json.load(open(os.path.join(OUT, name + ".json"), encoding="utf-8"))
        compare_items(name, prof["groups"], want)
        check(prof["code_lists"] == [name + ".codes.json"], f"{name}: code_lists {prof.get('code_lists')}")
        check(prof["source"]["fidelity"] == "official-transcription" and
              name + ".xlsx" in prof["source"]["note"] and "SHA-256" in prof["source"]["note"],
              f"{name}: source {prof['source']}")
        codes = json.load(open(os.path.join(OUT, name + ".codes.json"), encoding="utf-8"))
        strip = lambda cl: [{k: v for k, v in c.items() if k != "source"} for c in cl["code_lists"]]
        check(strip(codes) == strip(want_codes), f"{name}: code lists {codes}")
        # tekigo loads it: diff against the shipped profile shows only tekigo's additions.
        rc, out, err, _, _ = tekigo("diff", "--format", "json", name + ".json", shipped)
        check(rc == 1, f"{name}: diff exit {rc}: {err}")
        kinds = sorted({c["change"] for c in json.loads(out).get("changes", [])}) if rc == 1 else []
        check(set(kinds) <= {"fixed-length-changed", "checks-changed", "dialect-bom-changed",
                             "group-required-changed"}, f"{name}: diff kinds {kinds}")
        rc, out, err, _, _ = tekigo("check", "--profile", name + ".json", "--as-of", "2026-01-01",
                                    os.path.join(ROOT, "samples", "jutogai-atenabango-kanri",
                                                 "conforming"))
        check(rc == 0, f"{name}: the conforming 031 sample under the imported profile: exit {rc}")

    # To standard output: the profile without code_lists, and a warning that the codes are not written.
    rc, out, err, _, _ = tekigo("import", "twin.xlsx")
    check(rc == 0 and "code lists are not written" in err and "code_lists" not in json.loads(out),
          f"twin to stdout: exit {rc}: {err}")

    # Several groups in one sheet; a foreign key's reference inferred; a note row skipped.
    rc, out, err, _, _ = tekigo("import", "multi.xlsx")
    check(rc == 0, f"multi: exit {rc}: {err}")
    if rc == 0:
        prof = json.loads(out)
        groups = [(g["name"], len(g["items"])) for g in prof["groups"]]
        check(groups == [("住登外者宛名基本情報", 29), ("住登外者宛名履歴", 4)], f"multi: {groups}")
        fk = prof["groups"][1]["items"][0]
        check(fk.get("foreign_key") is True and
              fk.get("references") == {"group": "住登外者宛名基本情報", "item": "宛名番号"},
              f"multi: foreign key {fk}")
        check("基本データリスト!Q40: row 40 has no データ項目ID" in err, f"multi: note row: {err}")
        check("code lists are not written" not in err, "multi has no code lists")

    # What import cannot understand: exit 2, nothing written, every problem at its cell.
    if os.path.exists(os.path.join(OUT, "errors.json")):
        os.remove(os.path.join(OUT, "errors.json"))
    rc, out, err, _, _ = tekigo("import", "errors.xlsx", "-o", "errors.json")
    check(rc == 2 and not os.path.exists(os.path.join(OUT, "errors.json")),
          f"errors: exit {rc}, file written: {os.path.exists(os.path.join(OUT, 'errors.json'))}")
    for want_msg in ('項目定義!K8: データ型 "Ｚ" is not one of X, Ｎ, 9, 9V, S9, BLOB, YEAR, DATE, TIME',
                     '項目定義!L9: 桁数 "十五" is neither a positive number nor n,m',
                     "項目定義!A10: the row has no データ項目ID",
                     '項目定義!O11: データ出力条件 "必要" is not 必須, 条件付き必須 or 任意',
                     "4 errors in errors.xlsx: no profile written"):
        check(want_msg in err, f"errors: missing message {want_msg!r} in:\n{err}")
    rc, out, err, _, _ = tekigo("import", "nocolumn.xlsx")
    check(rc == 2 and out == "" and "項目定義!A5: the header has no データ型 column" in err,
          f"nocolumn: exit {rc}: {err}")
    rc, out, err, _, _ = tekigo("import")
    check(rc == 2, f"no workbook: exit {rc}")


def run_hostile():
    make_workbooks()
    cases = [("hostile-bomb.xlsx", "compression ratio above 200"),
             ("hostile-huge.xlsx", "larger than 64 MiB"),
             ("hostile-traversal.xlsx", 'unsafe zip entry name "../../evil.xml"'),
             ("hostile-strings.xlsx", "more than 4194304 shared strings"),
             ("hostile-malformed.xlsx", 'sheet "住登外者宛名基本情報": xl/worksheets/sheet1.xml: line'),
             ("hostile-missing.xlsx", "xl/worksheets/sheet1.xml: missing from the workbook"),
             ("hostile-notzip.xlsx", "not a readable .xlsx"),
             ("absent.xlsx", "absent.xlsx")]
    for name, want in cases:
        rc, out, err, secs, rss = tekigo("import", name, "-o", "h.json")
        check(rc == 3 and want in err and err.startswith("tekigo: ") and name in err,
              f"{name}: exit {rc}, message {err!r} lacks {want!r}")
        check(out == "" and not os.path.exists(os.path.join(OUT, "h.json")), f"{name}: output written")
        check(secs < 30 and rss < 512 * 1024, f"{name}: {secs:.1f} s, peak {rss} KiB")


def run_api():
    book = os.path.join(ROOT, "specs", "031-jutogai-atenabango-fuban-api", "api-spec-2.0.xlsx")
    shipped_path = os.path.join(ROOT, "profiles", "jutogai-atenabango-fuban-api", "2.0.json")
    rc, out, err, _, _ = tekigo("import", book, "-o", "api.json")
    check(rc == 0, f"api: exit {rc}: {err}")
    # The one member whose データ型 is no item type is reported, as the transcription treats it.
    check(err.strip().endswith('データ型 "X,Ｎ混在" is no item type: only the JSON type (string) of message '
                               "is checked") and err.count("\n") == 1, f"api: problems {err!r}")
    got = json.load(open(os.path.join(OUT, "api.json"), encoding="utf-8"))
    want = json.load(open(shipped_path, encoding="utf-8"))
    metadata = {"title", "source", "repertoire", "masters", "code_lists", "groups", "api"}
    for key in sorted((set(got) | set(want)) - metadata):
        check(got.get(key) == want.get(key), f"api: {key} is {got.get(key)!r}, expected {want.get(key)!r}")
    check(got["title"]["ja"] == want["title"]["ja"], f"api: title {got['title']}")
    check(got["source"]["title"] == want["source"]["title"], f"api: source title {got['source']['title']}")
    check(got["api"] == want["api"], "api: the api part (call, structures, members, error codes) differs")
    for sa, sb in zip(got["api"]["structures"], want["api"]["structures"]):
        for ma, mb in zip(sa["members"], sb["members"]):
            check(ma == mb, f"api: {sa['id']} member {mb.get('name')}: {ma} != {mb}")
    check(len(got["groups"]) == len(want["groups"]), "api: number of groups")
    for ga, gb in zip(got["groups"], want["groups"]):
        check(ga["name"] == gb["name"] and ga["files"] == gb["files"], f"api: group {ga['name']}")
        check(len(ga["items"]) == len(gb["items"]), f"api: items of {ga['name']}")
        for ia, ib in zip(ga["items"], gb["items"]):
            check(transcribed(ia, ADDED_API) == transcribed(ib, ADDED_API),
                  f"api: item {ib['id']}: {ia} != {transcribed(ib, ADDED_API)}")
            if "unknown_date" in ib:
                check(ia.get("unknown_date") == ib["unknown_date"], f"api: {ib['id']} unknown_date")
    rc, out, err, _, _ = tekigo("diff", "--format", "json", "api.json", shipped_path)
    check(rc == 1, f"api: diff exit {rc} (the imported profile must load): {err}")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    {"workbooks": run_workbooks, "hostile": run_hostile, "api": run_api}[MODE]()
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
