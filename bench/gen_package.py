#!/usr/bin/env python3
"""Generates a large, conforming 001 住民基本台帳 export package for the benchmark:
jumin.csv with N resident records (default 1,000,000) and setai.csv with their households,
by replicating the households of samples/jumin-kihon-daicho/conforming with fresh keys
(宛名番号, 世帯番号, 個人番号 with valid check digits). Deterministic: same N, same bytes."""
import csv, io, os, sys

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.join(here, "..", "samples", "jumin-kihon-daicho", "conforming")
out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "out")
n_records = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000


def my_number(base11):
    digits = [int(c) for c in base11]
    s = sum(d * (n + 1 if n <= 6 else n - 5) for n, d in zip(range(1, 12), reversed(digits)))
    r = s % 11
    return base11 + str(0 if r <= 1 else 11 - r)


def read(name):
    with open(os.path.join(src, name), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


s_head, s_rows = read("setai.csv")
i_head, i_rows = read("ido-rireki.csv")
j_head, j_rows = read("jumin.csv")
sid, jid, jhh, jmn = s_head.index("世帯番号"), j_head.index("宛名番号"), j_head.index("世帯番号"), j_head.index("個人番号")
households = [(s, [j for j in j_rows if j[jhh] == s[sid]]) for s in s_rows]
households = [(s, js) for s, js in households if js]
os.makedirs(out_dir, exist_ok=True)
first_copy = {}  # template 宛名番号 → its first generated 宛名番号
with open(os.path.join(out_dir, "jumin.csv"), "w", encoding="utf-8", newline="") as jf, \
     open(os.path.join(out_dir, "setai.csv"), "w", encoding="utf-8", newline="") as sf:
    jw, sw = csv.writer(jf, lineterminator="\r\n"), csv.writer(sf, lineterminator="\r\n")
    jw.writerow(j_head)
    sw.writerow(s_head)
    written, h = 0, 0
    while written < n_records:
        s, members = households[h % len(households)]
        h += 1
        s = list(s)
        s[sid] = "%015d" % (5_000_000 + h)
        sw.writerow(s)
        for m in members:
            if written == n_records:
                break
            m = list(m)
            written += 1
            first_copy.setdefault(m[jid], "%015d" % (100_000_000 + written))
            m[jid] = "%015d" % (100_000_000 + written)
            m[jhh] = s[sid]
            m[jmn] = my_number("%011d" % (10_000_000_000 + written * 7))
            jw.writerow(m)
# A small 異動履歴 file (the sample's rows, pointing at the first copies of the
# sample residents) keeps the package complete; the benchmark is about the large files.
iid = i_head.index("宛名番号")
with open(os.path.join(out_dir, "ido-rireki.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(i_head)
    for r in i_rows:
        if r[iid] in first_copy:
            r = list(r)
            r[iid] = first_copy[r[iid]]
            w.writerow(r)
print(f"{written} residents in {h} households in {out_dir}")
