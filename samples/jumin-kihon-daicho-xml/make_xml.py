#!/usr/bin/env python3
"""Makes the XML sample package of 001 from the CSV one (samples/jumin-kihon-daicho/conforming):
conforming/ holds the same data in the modelled XML layout of
profiles/jumin-kihon-daicho-xml/0.1-modelled.json (one file per group), nonconforming/ the same
with the defects listed in nonconforming.defects.json. Run from anywhere: python3 make_xml.py"""
import csv, json, sys, os
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
spec = json.load(open(f'{ROOT}/specs/001-jumin-kihon-daicho/data-0.1-modelled.json'))
items = {g['name']: g['items'] for g in spec['groups']}
RENAME = {'国籍・地域': '国籍地域'}
CREATED = '2024-03-31'
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'

def rows(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return list(csv.DictReader(f))

def el(name, value, indent='    '):
    if value == '':
        return f'{indent}<{name}/>\n'
    return f'{indent}<{name}>{escape(value)}</{name}>\n'

def flat(group, row, skip=()):
    out = ''
    for it in items[group]:
        n = it['name']
        if n in skip:
            continue
        v = row.get(n, '')
        if v == '' and it['output'] != 'required':
            continue
        out += el(RENAME.get(n, n), v)
    return out

def setai(row, extra=''):
    out = '  <世帯>\n'
    for n in ['世帯番号', '世帯主氏名', '世帯主となった年月日', '世帯員数']:
        it = next(i for i in items['世帯'] if i['name'] == n)
        if row[n] != '' or it['output'] == 'required':
            out += el(n, row[n])
    attrs = ''.join(f' {k}={quoteattr(row["住所_" + k])}' for k in ['市区町村コード', '町字コード', '郵便番号'])
    out += f'    <住所{attrs}>\n'
    for n in ['都道府県', '市区郡町村名', '町字', '番地号表記']:
        if row['住所_' + n] != '' or n == '都道府県' or n == '市区郡町村名':
            out += el(n, row['住所_' + n], '      ')
    if row['住所_方書'] or row['住所_方書_フリガナ']:
        fa = f' フリガナ={quoteattr(row["住所_方書_フリガナ"])}' if row['住所_方書_フリガナ'] else ''
        out += f'      <方書{fa}>{escape(row["住所_方書"])}</方書>\n'
    out += '    </住所>\n'
    for n in ['操作者ID', '操作年月日', '操作時刻']:
        out += el(n, row[n])
    return out + extra + '  </世帯>\n'

def jumin(row, extra=''):
    return '  <住民>\n' + flat('住民', row) + extra + '  </住民>\n'

def ido(row, extra=''):
    out = '  <異動履歴>\n'
    for it in items['異動履歴']:
        n = it['name']
        v = row.get(n, '')
        if n == '異動日_不詳表記':
            continue
        if n == '異動日':
            u = row.get('異動日_不詳表記', '')
            a = f' 不詳表記={quoteattr(u)}' if u else ''
            out += f'    <異動日{a}>{escape(v)}</異動日>\n' if v else f'    <異動日{a}/>\n'
            continue
        if v == '' and it['output'] != 'required':
            continue
        out += el(n, v)
    return out + extra + '  </異動履歴>\n'

FILES = {'setai': ('世帯記録', setai), 'jumin': ('住民記録', jumin), 'ido-rireki': ('異動履歴記録', ido)}

def write(src, dst, tweaks=None):
    os.makedirs(dst, exist_ok=True)
    for base, (root, fn) in FILES.items():
        rs = rows(f'{src}/{base}.csv')
        t = (tweaks or {}).get(base, {})
        created = t.get('作成日', CREATED)
        body = ''
        for i, r in enumerate(rs, 1):
            body += fn(r, t.get(i, ''))
        with open(f'{dst}/{base}.xml', 'w', encoding='utf-8') as f:
            f.write(HEAD + f'<{root} 版="0.1-modelled" 作成日="{created}" 団体コード="131016">\n' + body + f'</{root}>\n')

def nonconforming(src, dst):
    """The conforming data with one defect per record listed in nonconforming.defects.json."""
    os.makedirs(dst, exist_ok=True)
    data = {b: rows(f'{src}/{b}.csv') for b in FILES}
    s, j, d = data['setai'], data['jumin'], data['ido-rireki']
    # 世帯
    s[1]['住所_市区町村コード'] = '131017'          # rec 2: CHK001 (an attribute item)
    s[3]['操作者ID'] = ''                            # rec 4: E0001
    # 住民
    j[1]['氏名_フリガナ'] = 'ｻﾄｳ　ﾊﾅｺ'                 # rec 2: E0002
    j[2]['世帯番号'] = '000000000599999'             # rec 3: KEY002 (住民状態 2: not in A001)
    j[3]['性別'] = '9'                               # rec 4: COD001
    j[4]['個人番号'] = '850865681229'                # rec 5: CHK002
    j[5]['生年月日'] = '1953-13-15'                  # rec 6: TYP001
    j[6]['住民となった年月日'] = '1980-01-01'         # rec 7: SCH001 SA001 (before 1982-11-03)
    j[9]['消除日'] = '2024-01-01'                    # rec 10: SCH002 SR001 (住民状態 1)
    # 異動履歴
    d[1]['届出日'] = '2005-04-09'                    # rec 2: SCH001 SA003 (処理日 2005-04-01)
    d[2]['宛名番号'] = '000000000199999'             # rec 3: KEY002
    tweaks = {
        'setai': {'作成日': '2024-02-30',            # XSD001 at the root (not an xs:date)
                  3: '    <メモ>手入力</メモ>\n'},     # rec 3: XSD001 (element not in the schema)
    }
    for base, (root, fn) in FILES.items():
        t = tweaks.get(base, {})
        body = ''
        for i, r in enumerate(data[base], 1):
            x = fn(r, t.get(i) or '')
            if base == 'jumin' and i == 8:           # rec 8: 氏名 twice: XML005 and XSD001
                x = x.replace('    <氏名>髙橋　さくら</氏名>\n', '    <氏名>髙橋　さくら</氏名>\n    <氏名>高橋　さくら</氏名>\n')
            body += x
        created = t.get('作成日', CREATED)
        with open(f'{dst}/{base}.xml', 'w', encoding='utf-8') as f:
            f.write(HEAD + f'<{root} 版="0.1-modelled" 作成日="{created}" 団体コード="131016">\n' + body + f'</{root}>\n')

if __name__ == '__main__':
    csv_dir = os.path.join(ROOT, 'samples/jumin-kihon-daicho/conforming')
    write(csv_dir, os.path.join(HERE, 'conforming'))
    nonconforming(csv_dir, os.path.join(HERE, 'nonconforming'))
