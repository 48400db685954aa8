#!/usr/bin/env python3
"""Transcribes a Digital Agency API specification workbook (API仕様書, e.g. 住登外者宛名番号付番API
第2.0版) into a tekigo api-payload profile (docs/api-profile-format.md) and its code-list file.

    /usr/bin/python3 tools/transcribe_api_workbook.py \
        specs/031-jutogai-atenabango-fuban-api/api-spec-2.0.xlsx \
        profiles/jutogai-atenabango-fuban-api/2.0.json \
        specs/031-jutogai-atenabango-fuban-api/codes.json

Reproducible: the same workbook gives byte-identical files. Needs openpyxl.

What is read (the workbook's own layout):
  - API概要: the API call name (C10), its operation (V10) and summary (AB10).
  - リクエスト_API仕様: リクエストID (P18), Content-Type (P19), one parameter per row from row 23:
    項番 A, パラメータ名 E, 項目名 AK, 項目説明 BA, 記述例 BR, 必須 CV, データ型 CY, 桁数 DC,
    検索方法 DG, 備考 DK. The sheet has no level column (all parameters are members of the
    top-level object) and no null column.
  - レスポンス_API仕様: レスポンスID (P5), Content-Type (P6), one block per HTTP status, each
    starting with a "■…HTTPステータスコード：NNN…" row; per row 項番 A, レベル E, the member name
    in the column of its level (I = 1, J = 2, K = 3, L = 4), 項目名 AF, 項目説明 AV, 記述例 BM,
    必須 CQ, null設定有無 CT, データ型 CX, 桁数 DB, 備考 DF. Then the エラーコード一覧 (E, I, AF, CQ).
Only cell text is used (shared strings without their phonetic runs; formulas by their cached
value). Rows that only close the example JSON (no level, no name) are not members.

Everything tekigo adds beyond the workbook is in ADDED below and is listed in the profile's
source.note, so a reader can tell transcription from addition."""
import json, re, sys

import openpyxl

TYPES = {"X": "X", "Ｎ": "N", "N": "N", "9": "9", "9V": "9V", "S9": "S9", "BLOB": "BLOB",
         "YEAR": "YEAR", "DATE": "DATE", "TIME": "TIME"}

# ---- additions by tekigo (not in the workbook), keyed by item id -------------------------
PERSONAL = ["shimei", "uji_nihonjin", "na_nihonjin", "shimei_gaikokujinromaji",
            "shimei_gaikokujinkanji", "shimei_furigana", "uji_nihonjin_furigana",
            "na_nihonjin_furigana", "tsusho", "tsusho_furigana", "seinengappi",
            "seinengappi_fushohyoki", "jusho_banchigohyoki", "jusho_katagaki",
            "jusho_katagaki_furigana", "jusho_kokugaijusho"]
MUNICIPALITY = {"fixed_length": True, "checks": ["municipality_code"], "master": "municipality"}
ADDED = {
    "request:shikuchosonkodo": MUNICIPALITY,
    "request:jusho_shikuchosonkodo": MUNICIPALITY,
    "request:kojinbango": {"fixed_length": True, "checks": ["my_number"]},
    "request:jusho_choazakodo": {"fixed_length": True, "checks": ["choaza_id"]},
    "request:jusho_yubinbango": {"fixed_length": True, "checks": ["postal_code"]},
    "request:seibetsu": {"code": 1},
    "request:atenabango": {"required_when": {"item": "処理区分", "in": ["1", "2"]}},
    "request:nayosesakiatenabango": {"required_when": {"item": "名寄せ元フラグ", "equals": "1"}},
    "request:seinengappi": {"unknown_date": {"allowed": True, "text_item": "生年月日_不詳表記"}},
    "200:result.shikuchosonkodo": MUNICIPALITY,
    "400:errors.code": {"code": 106},
}
for name in PERSONAL:
    ADDED.setdefault("request:" + name, {})["personal"] = True
# Code lists built from the texts of 項目説明 / 備考 (value: text of the workbook).
TEXT_CODES = {"request:shorikubun": (101, "処理区分"),
              "request:tsusho_furiganakakuninjokyo": (102, "通称_フリガナ確認状況"),
              "request:seinengappi_fushofuragu": (103, "生年月日_不詳フラグ"),
              "request:nayosemotofuragu": (104, "名寄せ元フラグ")}
OTHER_CODES = [
    {"id": 1, "name": "性別",
     "source": "not in the API workbook (性別を示すコード); the code list 1 of the 031 item "
               "definition (specs/031-jutogai-atenabango-kanri/code-list.csv)",
     "values": [{"code": "0", "label": "不明（未記入）"}, {"code": "1", "label": "男"},
                {"code": "2", "label": "女"}]},
    {"id": 105, "name": "他業務参照不可フラグ",
     "source": "備考 of tagyomusanshofukafuragu: デフォルトは「0」, 参照を制御する必要がある場合「1」",
     "values": [{"code": "0", "label": "デフォルト（他業務から参照可）"},
                {"code": "1", "label": "他業務からの参照を制御する"}]},
]
ADDED["request:tagyomusanshofukafuragu"] = {"code": 105}
FILES = {"request": "request", 200: "200", 400: "400", 401: "401", 503: "503"}


def text(v):
    """Cell text: strings as they are (trailing blanks cut), numbers as written, None as ''."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def flat(s):
    return re.sub(r"\s+", "", s)


def codes_from(description):
    """'（0：付番依頼、1：既存…、2：…）' → [{code, label}]."""
    inner = description[description.find("（") + 1:]
    out = []
    for code, label in re.findall(r"(\d)：([^、）]+)", inner):
        out.append({"code": code, "label": label.strip()})
    return out


def condition_of(note):
    return note.split("※※", 1)[1].strip() if "※※" in note else None


def make_item(sid, path, row, required, codes):
    """The value rules of a scalar member: the workbook's type, length and texts."""
    iid = f"{sid}:{path}"
    item = {"id": iid, "name": row["label"], "romaji": row["name"], "type": TYPES[row["type"]]}
    if row["length"] not in ("", "-"):
        item["length"] = int(row["length"])
    cond = condition_of(row["note"])
    item["output"] = "required" if required else "conditional" if cond else "optional"
    if cond:
        item["condition_text"] = cond
    item["implementation"] = required
    if "不詳日を許容する" in row["note"] and item["type"] == "DATE":
        item["unknown_date"] = {"allowed": True}
    if "固定値" in row["note"]:
        fixed = re.match(r"^\"(.*)\"固定値", row["note"])
        if fixed:
            item["pattern"] = fixed.group(1)
    if iid in TEXT_CODES:
        cid, cname = TEXT_CODES[iid]
        item["code"] = cid
        codes.append({"id": cid, "name": cname,
                      "source": f"項目説明 of {row['name']}: {row['description']}",
                      "values": codes_from(row["description"])})
    item.update(json.loads(json.dumps(ADDED.get(iid, {}))))
    for key, src in (("description", "description"), ("note", "note")):
        if row[src]:
            item[key] = row[src]
    return item


def member_of(row, sid, path, items, codes, nullable_column):
    m = {}
    if row["no"] != "":
        m["no"] = int(row["no"])
    if row.get("level"):
        m["level"] = int(row["level"])
    if row["name"]:
        m["name"] = row["name"]
    m["label"] = row["label"]
    t = flat(row["type"])
    required = row["required"] == "◎"
    if t == "構造化":
        m["kind"] = "object"
    elif t == "配列構造化":
        m["kind"] = "array"
    elif t in TYPES:
        m["kind"] = "scalar"
        item = make_item(sid, path, row, required, codes)
        items.append(item)
        m["item"] = item["id"]
    else:
        m["kind"] = "scalar"
        m["json"] = "string"
        m["type_text"] = t
    m["required"] = required
    if nullable_column:
        m["nullable"] = {"〇": True, "○": True, "-": False}[row["nullable"]]
    for key in ("description", "example", "note"):
        if row[key] and not (m.get("item") and key in ("description", "note")):
            m[key] = row[key]
    return m


def read_request(ws):
    rows = []
    for r in range(23, ws.max_row + 1):
        name = text(ws[f"E{r}"].value)
        if not name:
            continue
        rows.append({"no": text(ws[f"A{r}"].value), "name": name, "label": text(ws[f"AK{r}"].value),
                     "description": text(ws[f"BA{r}"].value), "example": text(ws[f"BR{r}"].value),
                     "required": text(ws[f"CV{r}"].value), "type": text(ws[f"CY{r}"].value),
                     "length": text(ws[f"DC{r}"].value), "search": text(ws[f"DG{r}"].value),
                     "note": text(ws[f"DK{r}"].value), "nullable": ""})
    return rows


def read_responses(ws):
    blocks, errors, cur = [], [], None
    in_errors = False
    for r in range(8, ws.max_row + 1):
        a = text(ws[f"A{r}"].value)
        if a.startswith("■"):
            status = int(re.search(r"HTTPステータスコード：(\d+)", a).group(1))
            cur = {"status": status, "title": a, "rows": []}
            blocks.append(cur)
            continue
        if a == "エラーコード一覧":
            in_errors = True
            continue
        if in_errors:
            code = text(ws[f"E{r}"].value)
            if re.fullmatch(r"E\d{4}", code):
                errors.append({"no": int(a), "code": code, "name": text(ws[f"I{r}"].value),
                               "message": text(ws[f"AF{r}"].value),
                               "note": text(ws[f"CQ{r}"].value)})
            continue
        level = text(ws[f"E{r}"].value)
        if cur is None or not level:
            continue  # the rows that close the example JSON: no level, no member
        lv = int(level)
        name = text(ws.cell(r, 9 + lv - 1).value)  # I, J, K, L by level
        cur["rows"].append({
            "no": a, "level": lv, "name": name, "label": text(ws[f"AF{r}"].value),
            "description": text(ws[f"AV{r}"].value), "example": text(ws[f"BM{r}"].value),
            "required": text(ws[f"CQ{r}"].value), "nullable": text(ws[f"CT{r}"].value),
            "type": text(ws[f"CX{r}"].value), "length": text(ws[f"DB{r}"].value),
            "note": text(ws[f"DF{r}"].value)})
    return blocks, errors


def structure(sid, name, title, kind, status, source_id, content_type, rows, codes,
              nullable_column):
    items, members, path = [], [], []
    for row in rows:
        lv = row.get("level")
        if lv == 1:  # the top-level value row: its name cell holds the label
            row = dict(row, label=row["name"], name="")
            members.append(member_of(row, sid, "", items, codes, nullable_column))
            continue
        depth = (lv - 2) if lv else 0
        path = path[:depth] + [row["name"]]
        members.append(member_of(row, sid, ".".join(path), items, codes, nullable_column))
    s = {"id": sid, "name": name, "title": title, "kind": kind}
    if status:
        s["status"] = status
    s.update({"source_id": source_id, "content_type": content_type, "members": members})
    base = FILES[sid if sid == "request" else status]
    group = {"name": sid, "files": [f"{base}.json", f"*.{base}.json", f"{base}.jsonl",
                                    f"*.{base}.jsonl"], "items": items}
    return s, group


NAMES = {200: "レスポンス（200 正常系）", 400: "レスポンス（400 正常系エラー）",
         401: "レスポンス（401 正常系エラー）", 503: "レスポンス（503 異常系）"}


def main(workbook, out_profile, out_codes):
    wb = openpyxl.load_workbook(workbook, data_only=True)
    ov, rq, rs = wb["API概要"], wb["リクエスト_API仕様"], wb["レスポンス_API仕様"]
    codes = []
    structures, groups = [], []
    s, g = structure("request", "リクエスト", "リクエスト_API仕様", "request", None,
                     text(rq["P18"].value), text(rq["P19"].value), read_request(rq), codes, False)
    structures.append(s)
    groups.append(g)
    blocks, errors = read_responses(rs)
    for b in blocks:
        s, g = structure(str(b["status"]), NAMES.get(b["status"], f"レスポンス（{b['status']}）"),
                         b["title"], "response", b["status"], text(rs["P5"].value),
                         text(rs["P6"].value), b["rows"], codes, True)
        structures.append(s)
        groups.append(g)
    codes.append({"id": 106, "name": "エラーコード",
                  "source": "エラーコード一覧 of レスポンス_API仕様",
                  "values": [{"code": e["code"], "label": e["name"]} for e in errors]})
    codes = sorted(codes + OTHER_CODES, key=lambda c: c["id"])
    title = text(wb["表紙"]["G13"].value)
    version = text(wb["表紙"]["V27"].value)
    date = text(wb["表紙"]["V32"].value)
    profile = {
        "tekigo_profile": 1,
        "id": "jutogai-atenabango-fuban-api",
        "version": re.sub(r"[^0-9.]", "", version),
        "title": {"ja": "住登外者宛名番号付番API", "en": "Non-resident addressee numbering API"},
        "business": "031",
        "purpose": "api-payload",
        "effective": {"from": None, "to": None},
        "source": {
            "fidelity": "official-transcription",
            "publisher": "デジタル庁 (Digital Agency)",
            "title": f"地方公共団体情報システム共通機能標準仕様書 {title} {version}（{date}）",
            "files": ["specs/031-jutogai-atenabango-fuban-api/api-spec-2.0.xlsx"],
            "note": NOTE,
        },
        "repertoire": "mj",
        "code_lists": ["../../specs/031-jutogai-atenabango-fuban-api/codes.json"],
        "masters": {"municipality": {
            "file": "../../specs/common/masters/city.csv", "key": "全国地方公共団体コード",
            "abolished": "廃止日",
            "source": "全国地方公共団体コード master from the Digital Agency address base "
                      "registry (ABR), snapshot 2022-04-26 (specs/common/masters/SOURCE.md)"}},
        "groups": groups,
        "api": {"title": title, "call": text(ov["C10"].value), "operation": text(ov["V10"].value),
                "method": "POST", "summary": text(ov["AB10"].value), "structures": structures,
                "error_codes": errors},
    }
    for path, doc in ((out_profile, profile), (out_codes, {"code_lists": codes})):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")


NOTE = ("Transcribed from the Digital Agency workbook 住登外者宛名番号付番API仕様 第2.0版 (令和5年3月) by "
        "tools/transcribe_api_workbook.py: the request (40 parameters; 処理区分 and 宛名番号 have no 項番) and the response "
        "structures for HTTP 200, 400, 401 and 503 with every row's 項番, レベル, name, 項目名, "
        "項目説明, 記述例, 必須 (◎), null設定有無 (〇/-), データ型, 桁数 and 備考, and the エラーコード一覧 "
        "(E0001–E0004). The romaji names are the API's own (shimei_furigana, "
        "shimei_gaikokujinromaji, nayosesakiatenabango), not the item definition's; the request "
        "sheet's legend writes nayosesakijutogaishaatenabango in its null example, the parameter row "
        "says nayosesakiatenabango, which is used. The request sheet has no level column (its "
        "parameters are the members of the top-level object) and no null column (nullable is left "
        "unstated: null counts as not set). The closing rows of the example JSON (no level, no "
        "name) are not members; the 検索方法 column is empty and not transcribed. Each structure's "
        "group holds the value rules of its scalar members (item ids <structure>:<path>); "
        "implementation mirrors ◎. Added by tekigo, not in the workbook: the file-name globs of "
        "each structure (request.json, *.400.json, …); code lists for 処理区分, "
        "通称_フリガナ確認状況, 生年月日_不詳フラグ and 名寄せ元フラグ built from their 項目説明 texts, "
        "for 他業務参照不可フラグ from its 備考 (0 default, 1 restrict), for 性別 from the 031 item "
        "definition's code list, and for errors[].code from the エラーコード一覧; fixed lengths, "
        "check digits and the municipality master for 市区町村コード and 住所_市区町村コード (6, "
        "全国地方公共団体コード), 個人番号 (12, check digit), 住所_町字コード (7) and 住所_郵便番号 (7); "
        "the machine conditions of 宛名番号 (処理区分 1 or 2, as its ※※ text says) and "
        "名寄せ先宛名番号 (名寄せ元フラグ = 1); the companion 不詳表記 item of 生年月日 (不詳日を許容する); "
        "the fixed texts of detail as patterns (備考 \"…\"固定値); personal-data flags for masking. "
        "Other ※※ conditions need facts outside the payload (氏名未定, 日本人/外国人, existence of "
        "町字, 番地号, 方書) and are kept as text only. Effective dates are not stated (null).")

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
