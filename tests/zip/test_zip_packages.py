#!/usr/bin/env python3
"""Zip packages in `tekigo check` (run.c, zipread.c): zips made here with python's zipfile
from the 001 samples, checked as delivered.

  test_zip_packages.py TEKIGO PROJECT_ROOT OUT_DIR

- the conforming sample zipped: exit 0, no findings; the zip's own input carries the zip's
  SHA-256 and every entry "pkg.zip!/<entry>" the SHA-256 of its uncompressed bytes;
- the nonconforming sample zipped: exit 1 and exactly the findings of the directory, with
  "!/" names; `tekigo verify` confirms the report against the zip;
- entry names in CP932 without the UTF-8 flag (one with a 0x5C trail byte, which is no
  backslash) are decoded and assigned to their groups by name;
- hostile zips: a deflate bomb (ZIP003), traversal and absolute names (ZIP002), more
  entries than the limit (ZIP005), an encrypted entry (ZIP004), a file that is no zip
  (ZIP001, exit 3), each fast and within bounded memory.
"""
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile

TEKIGO, ROOT, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLES = os.path.join(ROOT, "samples", "jumin-kihon-daicho")
PROFILE = "jumin-kihon-daicho"
failures = 0
checks = 0


def check(cond, msg):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", msg, file=sys.stderr)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def run(*args, cwd=OUT):
    t0 = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.run([TEKIGO, *args], cwd=cwd, capture_output=True)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return p, time.time() - t0, max(rss, before)


def check_json(target, *extra):
    p, secs, rss = run("check", "--profile", PROFILE, "--as-of", "2026-01-01", "--format", "json",
                       "--max-examples", "1000", *extra, target)
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        rep = None
    check(rep is not None, f"{target}: no JSON report (exit {p.returncode}): {p.stderr!r}")
    return p.returncode, rep or {}, secs, rss


def zip_dir(name, src, prefix=""):
    path = os.path.join(OUT, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(os.listdir(src)):
            z.write(os.path.join(src, f), prefix + f)
    return path


def finding_key(f):
    return (f["rule"], f["file"].rsplit("/", 1)[-1], f["line"], f["record"], f["column"],
            f["item"], f["value"], f["message"])


def raw_name_zip(path, entries):
    """Writes a zip whose entry names are the given raw bytes, without the UTF-8 flag:
    python's zipfile would flag non-ASCII names as UTF-8, so each entry is written under an
    ASCII placeholder of the same length and the placeholder bytes are replaced after."""
    data_by_placeholder = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (raw, data) in enumerate(entries):
            ph = (b"P%03d" % i).ljust(len(raw), b"_")
            assert len(ph) == len(raw)
            z.writestr(ph.decode("ascii"), data)
            data_by_placeholder.append((ph, raw))
    blob = open(path, "rb").read()
    for ph, raw in data_by_placeholder:
        check(blob.count(ph) == 2, "placeholder appears in the local and central headers")
        blob = blob.replace(ph, raw)
    open(path, "wb").write(blob)


def set_encrypted(path):
    """Sets bit 0 (encrypted) of the general purpose flags in every local and central header."""
    blob = bytearray(open(path, "rb").read())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = blob.find(sig)
        while i >= 0:
            blob[i + off] |= 1
            i = blob.find(sig, i + 4)
    open(path, "wb").write(bytes(blob))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)

    # -- the conforming sample --------------------------------------------------------
    conf_dir = os.path.join(SAMPLES, "conforming")
    conf = zip_dir("conforming.zip", conf_dir, "export/")
    rc, rep, _, _ = check_json("conforming.zip")
    check(rc == 0, f"conforming.zip: exit {rc}, expected 0")
    check(rep.get("findings") == [], f"conforming.zip: findings {rep.get('findings')}")
    check(rep.get("verdict") == "conformant", f"conforming.zip: verdict {rep.get('verdict')}")
    inputs = rep.get("inputs", [])
    check(inputs and inputs[0]["path"] == "conforming.zip" and
          inputs[0]["sha256"] == sha256(open(conf, "rb").read()),
          f"the zip's own input carries its SHA-256: {inputs[:1]}")
    for f in sorted(os.listdir(conf_dir)):
        entry = [i for i in inputs if i["path"] == "conforming.zip!/export/" + f]
        want = sha256(open(os.path.join(conf_dir, f), "rb").read())
        check(len(entry) == 1 and entry[0]["sha256"] == want and entry[0]["group"],
              f"entry {f}: own SHA-256 and a group: {entry}")

    # -- the nonconforming sample: the same findings as the directory ------------------
    zip_dir("nonconforming.zip", os.path.join(SAMPLES, "nonconforming"))
    rc, rep, _, _ = check_json("nonconforming.zip")
    rc_dir, rep_dir, _, _ = check_json(os.path.join(SAMPLES, "nonconforming"))
    check(rc == 1 and rc_dir == 1, f"nonconforming: exit {rc} (zip) and {rc_dir} (directory)")
    fz, fd = rep.get("findings", []), rep_dir.get("findings", [])
    check(sorted(map(finding_key, fz)) == sorted(map(finding_key, fd)),
          f"nonconforming: zip findings differ from the directory's ({len(fz)} vs {len(fd)})")
    check(all(f["file"] is None or f["file"].startswith("nonconforming.zip!/") for f in fz),
          "nonconforming: findings name the entries as nonconforming.zip!/<entry>")
    check(rep.get("summary") == rep_dir.get("summary"), "nonconforming: the same summary")
    with open(os.path.join(OUT, "nonconforming.report.json"), "wb") as f:
        f.write(json.dumps(rep, ensure_ascii=False).encode("utf-8"))
    p, _, _ = run("verify", "--format", "json", "nonconforming.report.json", "nonconforming.zip")
    check(p.returncode == 0, f"verify over the zip: exit {p.returncode}: {p.stdout!r}")

    # -- CP932 entry names without the UTF-8 flag -------------------------------------
    setai = open(os.path.join(conf_dir, "setai.csv"), "rb").read()
    jumin = open(os.path.join(conf_dir, "jumin.csv"), "rb").read()
    ido = open(os.path.join(conf_dir, "ido-rireki.csv"), "rb").read()
    raw_name_zip(os.path.join(OUT, "cp932.zip"), [
        ("世帯一覧.csv".encode("cp932"), setai),
        # ソ is 0x83 0x5C in CP932: the 0x5C trail byte is no backslash.
        ("住民ソート済.csv".encode("cp932"), jumin),
        ("異動履歴.csv".encode("cp932"), ido),
    ])
    rc, rep, _, _ = check_json("cp932.zip")
    paths = [i["path"] for i in rep.get("inputs", [])]
    groups = {i["path"]: i["group"] for i in rep.get("inputs", [])}
    check(rc == 0 and rep.get("findings") == [], f"cp932.zip: exit {rc}, {rep.get('findings')}")
    check(groups.get("cp932.zip!/世帯一覧.csv") == "世帯" and
          groups.get("cp932.zip!/住民ソート済.csv") == "住民" and
          groups.get("cp932.zip!/異動履歴.csv") == "異動履歴",
          f"cp932.zip: names decoded and assigned by name: {paths}")

    # -- hostile zips -------------------------------------------------------------------
    with zipfile.ZipFile(os.path.join(OUT, "bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("setai.csv", "w") as w:  # 512 MiB of newlines: ratio ~1000
            block = b"\n" * (1 << 20)
            for _ in range(512):
                w.write(block)
        z.writestr("jumin.csv", jumin)
    rc, rep, secs, rss = check_json("bomb.zip")
    by_rule = rep.get("summary", {}).get("by_rule", {})
    check(rc == 1 and by_rule.get("ZIP003") == 1, f"bomb.zip: exit {rc}, {by_rule}")
    bomb = [f for f in rep.get("findings", []) if f["rule"] == "ZIP003"]
    check(bomb and bomb[0]["file"] == "bomb.zip!/setai.csv", f"bomb.zip: ZIP003 names the entry: {bomb}")
    check(secs < 20 and rss < 256 * 1024, f"bomb.zip: {secs:.1f} s, {rss} KiB")

    # A bomb whose headers lie about its size: the limit holds on the bytes really inflated.
    liar = os.path.join(OUT, "liar.zip")
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("setai.csv", "w") as w:
            block = b"\n" * (1 << 20)
            for _ in range(64):
                w.write(block)
    blob = bytearray(open(liar, "rb").read())
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = blob.find(sig)
        blob[i + off:i + off + 4] = (1000).to_bytes(4, "little")
    open(liar, "wb").write(bytes(blob))
    rc, rep, secs, rss = check_json("liar.zip")
    by_rule = rep.get("summary", {}).get("by_rule", {})
    check(rc in (1, 3) and (by_rule.get("ZIP003") == 1 or by_rule.get("ZIP001") == 1),
          f"liar.zip: exit {rc}, {by_rule}")
    check(secs < 20 and rss < 256 * 1024, f"liar.zip: {secs:.1f} s, {rss} KiB")

    with zipfile.ZipFile(os.path.join(OUT, "traversal.zip"), "w") as z:
        for n in ("../../evil_setai.csv", "/abs_setai.csv", "dir\\bs_setai.csv",
                  "ok/../../jumin.csv", "C:drive_setai.csv"):
            z.writestr(n, setai)
        z.writestr("setai.csv", setai)
    rc, rep, _, _ = check_json("traversal.zip")
    refused = [f for f in rep.get("findings", []) if f["rule"] == "ZIP002"]
    paths = [i["path"] for i in rep.get("inputs", [])]
    check(len(refused) == 5 and all(f["file"] == "traversal.zip" for f in refused),
          f"traversal.zip: five ZIP002 on the zip: {refused}")
    check(paths == ["traversal.zip", "traversal.zip!/setai.csv"],
          f"traversal.zip: only the safe entry is an input: {paths}")

    with zipfile.ZipFile(os.path.join(OUT, "many.zip"), "w") as z:
        for i in range(10001):
            z.writestr("f%05d_setai.csv" % i, "")
    rc, rep, secs, _ = check_json("many.zip")
    by_rule = rep.get("summary", {}).get("by_rule", {})
    check(rc == 1 and by_rule.get("ZIP005") == 1 and len(rep.get("inputs", [])) == 1,
          f"many.zip: exit {rc}, {by_rule}, {len(rep.get('inputs', []))} inputs")

    enc = os.path.join(OUT, "encrypted.zip")
    with zipfile.ZipFile(enc, "w") as z:
        z.writestr("setai.csv", setai)
    set_encrypted(enc)
    rc, rep, _, _ = check_json("encrypted.zip")
    by_rule = rep.get("summary", {}).get("by_rule", {})
    check(rc == 1 and by_rule.get("ZIP004") == 1, f"encrypted.zip: exit {rc}, {by_rule}")

    with open(os.path.join(OUT, "notazip.zip"), "wb") as f:
        f.write(b"setai,not a zip\n")
    rc, rep, _, _ = check_json("notazip.zip")
    by_rule = rep.get("summary", {}).get("by_rule", {})
    check(rc == 3 and by_rule.get("ZIP001") == 1 and rep.get("verdict") == "incomplete",
          f"notazip.zip: exit {rc}, {by_rule}, {rep.get('verdict')}")

    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
