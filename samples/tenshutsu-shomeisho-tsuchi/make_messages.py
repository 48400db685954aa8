#!/usr/bin/env python3
"""Writes the sample messages of profiles/tenshutsu-shomeisho-tsuchi/0.1-modelled.json:
conforming/ (two messages) and nonconforming/ (the defects of nonconforming.defects.json).
Run from anywhere: python3 make_messages.py"""
import os
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 'urn:tekigo:modelled:tenshutsu-shomeisho-tsuchi:0.1'
ORDER = ['住民票コード', '氏名', '氏名_フリガナ', '生年月日', '性別', '続柄', '世帯主氏名',
         '転出前住所', '転出先住所', '転出予定日', '個人番号']
OLD = '東京都千代田区飯田橋三丁目５番１号　飯田橋ハイツ３０２号'
NEW = '大阪府大阪市北区梅田一丁目１番３号'


def person(**kw):
    p = {'世帯主氏名': '佐藤　一郎', '転出前住所': OLD, '転出先住所': NEW, '転出予定日': '2024-04-20'}
    p.update(kw)
    return p


KENTA = person(住民票コード='93272548880', 氏名='佐藤　健太', 氏名_フリガナ='サトウ　ケンタ',
               生年月日='2003-06-01', 性別='1', 続柄='06', 個人番号='395684814456')
MISAKI = person(住民票コード='27376717251', 氏名='佐藤　美咲', 氏名_フリガナ='サトウ　ミサキ',
                生年月日='2010-12-24', 性別='2', 続柄='06', 個人番号='866600627527')
NAOKI = person(住民票コード='79338113210', 氏名='髙橋　直樹', 氏名_フリガナ='タカハシ　ナオキ',
               生年月日='1982-11-03', 性別='1', 続柄='01', 世帯主氏名='髙橋　直樹',
               転出前住所='東京都千代田区三番町２６番地　三番町マンション５０１号',
               転出先住所='東京都千代田区三番町２６番地　三番町マンション５０１号', 転出予定日='2024-04-15')
KAZUKO = person(住民票コード='21145151622', 氏名='山﨑　和子', 氏名_フリガナ='ヤマザキ　カズコ',
                生年月日='1953-08-15', 性別='2', 続柄='03', 世帯主氏名='山﨑　誠',
                転出前住所='東京都千代田区麹町四丁目２番地７', 転出先住所='神奈川県横浜市鶴見区鶴見中央三丁目２０番１号',
                転出予定日='2024-05-01')


def message(number, sender, receiver, date, time, people, extra_header='', ns=NS, count=None):
    head = [('通知番号', number), ('送信元団体コード', sender), ('送信先団体コード', receiver),
            ('送信日', date), ('送信時刻', time), ('転出者数', str(len(people) if count is None else count))]
    x = '<?xml version="1.0" encoding="UTF-8"?>\n'
    x += '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">\n  <env:Body>\n'
    x += f'    <m:転出証明書情報通知 xmlns:m="{ns}" 版="0.1-modelled">\n      <m:ヘッダ>\n'
    for k, v in head:
        x += f'        <m:{k}>{escape(v)}</m:{k}>\n'
    x += extra_header + '      </m:ヘッダ>\n'
    for p in people:
        x += '      <m:転出者>\n'
        for k in ORDER:
            if k in p:
                x += f'        <m:{k}>{escape(p[k])}</m:{k}>\n'
        x += '      </m:転出者>\n'
    x += '    </m:転出証明書情報通知>\n  </env:Body>\n</env:Envelope>\n'
    return x


def write(d, name, text):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
        f.write(text)


conf = os.path.join(HERE, 'conforming')
write(conf, 'tsuchi-20240401-0001.xml',
      message('131016-20240401-0001', '131016', '271276', '2024-04-01', '10:15:00', [KENTA, MISAKI]))
write(conf, 'tsuchi-20240402-0002.xml',
      message('131016-20240402-0002', '131016', '141011', '2024-04-02', '09:30:00', [KAZUKO]))

nc = os.path.join(HERE, 'nonconforming')
# 0001: the receiver is the sender (MA001); 続柄 99 (COD001); a move-out before birth (MA002);
#       the new address is the old one (MA003, a report).
write(nc, 'tsuchi-20240401-0001.xml',
      message('131016-20240401-0001', '131016', '131016', '2024-04-01', '10:15:00',
              [dict(KENTA, 続柄='99'), dict(MISAKI, 転出予定日='2009-03-31'), NAOKI]))
# 0002: the same 通知番号 as 0001 (KEY001); 転出予定日 missing (XSD001 and E0001);
#       a half-width 氏名_フリガナ (E0002); 送信日 not a date (XSD001 and TYP001).
k = dict(KAZUKO, 氏名_フリガナ='ﾔﾏｻﾞｷ ｶｽﾞｺ')
del k['転出予定日']
write(nc, 'tsuchi-20240402-0002.xml',
      message('131016-20240401-0001', '131016', '141011', '2024-04-31', '09:30:00', [k]))
# 0003: the payload is in another namespace (an older version): no record where the profile
#       says (XML003); the envelope's lax Body does not validate a payload it has no schema for.
write(nc, 'tsuchi-20240403-0003.xml',
      message('131016-20240403-0003', '131016', '141011', '2024-04-03', '09:00:00', [KENTA],
              ns='urn:tekigo:modelled:tenshutsu-shomeisho-tsuchi:0.0'))
