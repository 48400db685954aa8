#!/usr/bin/env python3
"""Transcribes the function requirements of 住民記録システム標準仕様書 第1.0版 (総務省, 2020-09),
chapter 3, from its public text transcription (one jNNN.txt per section, index.md the table of
contents) into specs/001-jumin-kihon-daicho/functions-1.0.json (docs/spec-format.md).

    python3 tools/transcribe_jumin_kiroku_functions.py [SOURCE_DIR] [OUTPUT]

SOURCE_DIR defaults to /work/shared/reference/jumin-kiroku-spec-v1.0; OUTPUT to the file above.
Standard library only; the output is byte-for-byte reproducible from the same sources.

The rules (also in specs/001-jumin-kihon-daicho/SOURCE.md):

Sections. Every jNNN.txt linked from index.md, in the order of index.md. Its first line is
"<section>. <title>". Its text falls under three headings: 【実装すべき機能】 → required,
【実装してもしなくても良い機能】 → optional, 【実装しない機能】 → forbidden (a heading is recognised
by its start, so the misspelt 【実装してもしなくても良い能能】 of j370 counts). Lines that are only a
page number of the PDF the text was taken from ("95 / 493") are dropped.

Paragraphs. The text has one paragraph per line; blank lines carry no meaning. Every line is
one of:
  - a list line: it starts with ・ ※ ①…⑳ 例 [ or a numbered marker like １－１：, or it is
    wholly in parentheses, e.g. （記載例）, （留意点）;
  - a list heading: wholly in 【】 or ＜＞, or starting with ○;
  - a text line: anything else. A text line is a sentence when it ends with 。 (closing
    brackets may follow), with こと (two requirements lack the full stop), or with a
    parenthetical after a sentence (…こと。（1.1.14参照）).
A requirement starts at a text line that is a sentence, or at the first line of a heading.
Everything else stays with the requirement before it: list lines, list headings followed by
list lines, text lines that are not sentences (the bare items of j20/j60, examples, lines the
PDF wrapped), and
  - a sentence that continues a line left open: a line ending with 、 or a requirement's first
    line that is not a sentence, and the lines that continue it until a sentence ends;
  - a sentence standing between two ・ items of one list (a note on the item above, as in
    j200 and j960), unless it introduces a list of its own (it contains 以下).
An example that begins after a blank line (a line starting with 例) runs to the next blank line
(j200). A list heading directly followed by a sentence opens that sentence's requirement
(【データソース】 of j1360, ○ 第１順位 of j1010, ＜ログの取得＞ of j1370).

IDs. The 1.0 edition has no 7-digit 機能ID. tekigo derives them: 001 (the business code) + a
4-digit serial over all requirements in document order: sections in the order of index.md,
in each section required → optional → forbidden, then paragraph order. Forms (帳票ID, a
separate serial) are the named forms of FORMS below, in order of their first mention in the
same document order; the 1.0 text has no 帳票要件 chapter in the material, so they are derived
from mentions in the function text. A form's category is the strongest heading it is named
under: required if any 【実装すべき機能】 names it, else optional, else forbidden.
"""
import hashlib, json, os, re, sys

SOURCE_DEFAULT = "/work/shared/reference/jumin-kiroku-spec-v1.0"
OUTPUT_DEFAULT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "specs", "001-jumin-kihon-daicho", "functions-1.0.json")
CATEGORIES = (("【実装すべき", "required"), ("【実装してもしなくても", "optional"),
              ("【実装しない", "forbidden"))
ORDER = {"required": 0, "optional": 1, "forbidden": 2}

# Named forms (帳票) the text mentions, in no particular order (the output orders them by
# first mention). Each: name, regular expression matching a mention, the form section of the
# standard's chapter 20 when the text cites it (else None).
FORMS = [
    ("住民票の写し", r"住民票の写し(?!（世帯連記式）)", "20.1.1"),
    ("住民票の写し（世帯連記式）", r"世帯連記式", "20.1.2"),
    ("住民票の除票の写し", r"住民票の除票の写し|除票の写し", "20.1.3"),
    ("住民票記載事項証明書", r"(?<!除票)住民票記載事項証明書", "20.1.4"),
    ("住民票除票記載事項証明書", r"住民票除票記載事項証明書|(?<!住民票)除票記載事項証明書", "20.1.4"),
    ("転出証明書", r"転出証明書(?!に準ずる|情報|へのQR|に記載のデータ)", "20.2.1"),
    ("転出証明書に準ずる証明書", r"転出証明書に準ずる証明書", "20.2.2"),
    ("住民基本台帳の一部の写し（閲覧用）", r"住民基本台帳の一部の写し|住民基本台帳の写し（閲覧用）", "20.3.1"),
    ("住民票コード通知票", r"住民票コード通知票", "20.4.1"),
    ("住民票コード変更通知票", r"住民票コード変更通知票", "20.4.2"),
    ("住民票コード修正通知票", r"住民票コード修正通知票", "20.4.3"),
    ("支援措置期間終了通知", r"支援措置期間終了通知", "20.5.1"),
    ("確認用帳票", r"確認用帳票", "20.0.1"),
    ("世帯主変更通知書", r"世帯主変更通知書", None),
    ("世帯主変更依頼通知書", r"世帯主変更依頼通知書", None),
    ("住民異動届受理通知", r"住民異動届受理通知", None),
    ("転入通知未着照会書", r"転入通知未着照会書", None),
    ("転入通知未着者一覧", r"転入通知未着者一覧", None),
    ("転入通知情報取込エラー一覧表", r"転入通知情報取込エラー一覧表", None),
    ("職権記載等通知書", r"職権記載等通知書", None),
    ("処理結果確認票", r"処理結果確認票", None),
    ("個人番号カード交付申請書", r"個人番号カード交付申請書", None),
    ("個人番号カード再交付申請書", r"個人番号カード再交付申請書", None),
    ("文字超過リスト", r"文字超過リスト", None),
    ("抑止対象者一覧", r"抑止対象者一覧", None),
    ("宛名シール", r"宛名シール", None),
    ("支援措置を開始する旨の通知", r"支援措置を開始する旨の通知", None),
    ("本人通知期間満了のお知らせ", r"本人通知期間満了のお知らせ", None),
    ("住民票の写し等交付通知書", r"住民票の写し等交付通知書", None),
    ("切替異動者リスト", r"切替異動者リスト", None),
    ("切替案内", r"切替案内|と案内を作成", None),
    ("特別永住者証明書交付予定通知書", r"特別永住者証明書交付予定通知書", None),
    ("受領書", r"受領書", None),
    ("住民票コード確認票", r"住民票コード確認票", None),
    ("返納案内", r"返納案内", None),
    ("記載事項変更案内", r"記載事項変更案内", None),
]

LIST_START = re.compile(r"^(・|※|[①-⑳]|例|\[|[0-9０-９]+[－-][0-9０-９]+：)")
PAGE_NUMBER = re.compile(r"^\d+ / \d+$")


def category_of(line):
    for prefix, cat in CATEGORIES:
        if line.startswith(prefix) and line.endswith("】"):
            return cat
    return None


def kind_of(line):
    if re.fullmatch(r"【[^【】]*】|＜[^＜＞]*＞", line) or line.startswith("○"):
        return "heading"
    if LIST_START.match(line) or re.fullmatch(r"（.*）", line):
        return "list"
    return "text"


def strip_parenthetical(line):
    """Removes balanced （…） groups at the end of a line: "…こと。（1.1.14参照）" → "…こと。"."""
    while line.endswith("）"):
        depth = 0
        for i in range(len(line) - 1, -1, -1):
            depth += {"）": 1, "（": -1}.get(line[i], 0)
            if depth == 0:
                break
        if depth != 0 or i == 0:
            return line
        line = line[:i]
    return line


def is_sentence(line):
    if re.search(r"。[」』]*$", line):
        return True
    core = strip_parenthetical(line)
    return bool(re.search(r"(。[」』]*|こと)$", core))


def paragraphs(lines):
    """Splits the lines (number, text, after a blank line) of one heading into requirements:
    lists of (number, text)."""
    out = []
    open_sentence = False   # the last line left a sentence unfinished
    forward = False         # a list heading is waiting for its sentence
    example = False         # inside an example block that began after a blank line
    prev_kind = None        # kind of the previous line within a list ("item" after ・ lines)
    for k, (no, text, after_blank) in enumerate(lines):
        kind = kind_of(text)
        nxt = lines[k + 1][1] if k + 1 < len(lines) else None
        if example and not after_blank and out:
            out[-1].append((no, text))
            continue
        example = after_blank and text.startswith("例") and bool(out)
        if open_sentence:
            out[-1].append((no, text))
            open_sentence = not is_sentence(text) or text.endswith("、")
            prev_kind = "text"
            continue
        if kind == "heading":
            if nxt is not None and kind_of(nxt) == "text" and is_sentence(nxt):
                out.append([(no, text)])
                forward = True
            elif out:
                out[-1].append((no, text))
            else:
                out.append([(no, text)])
            prev_kind = "heading"
            continue
        if kind == "list":
            if out and not forward:
                out[-1].append((no, text))
            elif forward:
                out[-1].append((no, text))
                forward = False
            else:
                out.append([(no, text)])
            open_sentence = text.endswith("、")
            prev_kind = "item" if text.startswith("・") else "list"
            continue
        # A text line.
        in_list = (prev_kind == "item" and nxt is not None and nxt.startswith("・")
                   and "以下" not in text)
        if forward:
            out[-1].append((no, text))
            forward = False
            starts = True
        elif not out or (is_sentence(text) and not in_list):
            out.append([(no, text)])
            starts = True
        else:
            out[-1].append((no, text))
            starts = False
        open_sentence = text.endswith("、") or (starts and not is_sentence(text))
        prev_kind = "item" if in_list else "text"
    return out


def read_section(path):
    with open(path, encoding="utf-8-sig") as f:
        raw = f.read().split("\n")
    title = raw[0].strip()
    m = re.match(r"^([0-9.]+?)\.?\s+(.*)$", title)
    if not m:
        raise SystemExit(f"{path}: first line is not '<section>. <title>': {title!r}")
    section, name = m.group(1), m.group(2).strip()
    blocks = {"required": [], "optional": [], "forbidden": []}
    cur = None
    blank = False
    for no, line in enumerate(raw[1:], 2):
        text = line.rstrip()
        if not text.strip():
            blank = True
            continue
        if PAGE_NUMBER.match(text.strip()):
            continue
        cat = category_of(text.strip())
        if cat:
            cur = cat
            blank = False
            continue
        if cur is None:
            raise SystemExit(f"{path}:{no}: text before the first category heading")
        blocks[cur].append((no, text, blank))
        blank = False
    return section, name, blocks


def section_files(source):
    with open(os.path.join(source, "index.md"), encoding="utf-8-sig") as f:
        index = f.read()
    return re.findall(r"\((?:[^()]*/)?(j\d+\.txt)\)", index)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE_DEFAULT
    output = sys.argv[2] if len(sys.argv) > 2 else OUTPUT_DEFAULT
    files = section_files(source)
    digest = hashlib.sha256()
    functions = []
    for fname in files:
        path = os.path.join(source, fname)
        with open(path, "rb") as f:
            digest.update(fname.encode() + b"\0" + f.read() + b"\0")
        section, name, blocks = read_section(path)
        reqs = []
        for cat in ("required", "optional", "forbidden"):
            for para in paragraphs(blocks[cat]):
                reqs.append((cat, para))
        for k, (cat, para) in enumerate(reqs, 1):
            functions.append({
                "id": "001%04d" % (len(functions) + 1),
                "name": name if len(reqs) == 1 else f"{name}（{k}）",
                "category": cat,
                "section": section,
                "source_file": fname,
                "lines": [para[0][0], para[-1][0]],
                "text": "\n".join(t for _, t in para),
            })
    forms = []
    for name, pattern, form_section in FORMS:
        rx = re.compile(pattern)
        hits = [f for f in functions if rx.search(f["text"])]
        if not hits:
            raise SystemExit(f"form {name}: not mentioned in the text")
        cat = min((f["category"] for f in hits), key=ORDER.get)
        first = hits[0]
        form = {"name": name, "category": cat, "section": first["section"],
                "source_file": first["source_file"]}
        if form_section:
            form["form_section"] = form_section
        form["mentioned_in"] = [f["id"] for f in hits]
        forms.append((int(first["id"]), FORMS.index((name, pattern, form_section)), form))
    forms.sort(key=lambda t: (t[0], t[1]))
    form_list = []
    for i, (_, _, form) in enumerate(forms, 1):
        form_list.append({"id": "001%04d" % i, **form})
    doc = {
        "tekigo_functions": 1,
        "business": "001",
        "version": "1.0",
        "source": {
            "title": "住民記録システム標準仕様書 第1.0版 第3章 機能要件",
            "publisher": "総務省",
            "date": "2020-09",
            "transcription": "public text transcription, one file per section "
                             "(github.com/AkihiraYOSHIMOTO/jyuki-stnd, doc/jNNN.txt)",
            "files_sha256": digest.hexdigest(),
            "tool": "tools/transcribe_jumin_kiroku_functions.py",
        },
        "note": "The 1.0 edition predates 7-digit 機能ID: each id is 001 + a 4-digit serial derived "
                "by tekigo over the requirements in document order (sections in the order of the "
                "table of contents, in each section 実装すべき機能 → 実装してもしなくても良い機能 → "
                "実装しない機能, then paragraph order). One requirement per paragraph (a line of the "
                "text); lists, notes, examples and wrapped lines stay with the paragraph before "
                "them (rules in SOURCE.md). `section` and `source_file` give the place in the "
                "standard, `lines` the line range in the source file. These ids are not official "
                "and do not match the 機能ID of later editions. Forms: the material has no 帳票要件 "
                "chapter; the forms are derived from the names the function text mentions "
                "(帳票ID = 001 + a serial in order of first mention; category = the strongest "
                "heading that names the form; `mentioned_in` lists the requirements).",
        "functions": functions,
        "forms": form_list,
    }
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    counts = {c: sum(1 for f in functions if f["category"] == c) for c in ORDER}
    fcounts = {c: sum(1 for f in form_list if f["category"] == c) for c in ORDER}
    print(f"{output}: {len(files)} sections, {len(functions)} functions {counts}, "
          f"{len(form_list)} forms {fcounts}")


if __name__ == "__main__":
    main()
