"""Builds bench/pii_devset/devset.jsonl, the labelled development set of the personal-data guard.

Every text is written as staff write case notes — a municipal officer's formal report (である調),
an NPO worker's notes (です・ます), a coordinator's summary, a terse memo, a family member's words
in quotes — with the personal data marked inline as ``[[kind:text]]``. The builder removes the
marks and keeps character spans, so the labels cannot drift from the text. Clean narratives are
full of numbers that are not personal data: ages, durations, amounts, times, meeting dates, case
references, the Support Net's free dial, kana place names.

    python bench/pii_devset/build.py      # rewrites devset.jsonl (deterministic, seeded)
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[\[(?P<kind>[a-z_]+):(?P<text>[^\]]+)\]\]")


def my_number(first11: str) -> str:
    body = [int(c) for c in first11][::-1]
    total = sum(p * (n + 2 if n <= 5 else n - 4) for n, p in enumerate(body, start=1))
    remainder = total % 11
    return first11 + str(0 if remainder <= 1 else 11 - remainder)


def unmark(marked: str) -> tuple[str, list[dict]]:
    out, spans, pos = [], [], 0
    length = 0
    for m in MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        spans.append({"start": length, "end": length + len(m["text"]), "kind": m["kind"]})
        out.append(m["text"])
        length += len(m["text"])
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


rng = random.Random(20261130)
pick = rng.choice

SURNAMES = [
    "田中",
    "佐藤",
    "鈴木",
    "高橋",
    "渡辺",
    "伊藤",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山口",
    "松本",
    "井上",
    "木村",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "石川",
    "前田",
    "藤田",
    "岡田",
    "長谷川",
    "村上",
    "近藤",
    "坂本",
    "遠藤",
    "青木",
]
GIVEN = [
    "太郎",
    "健太",
    "翔太",
    "大輔",
    "拓也",
    "直樹",
    "美咲",
    "陽子",
    "恵子",
    "由美",
    "真一",
    "誠",
    "優子",
    "裕子",
    "和也",
    "浩二",
    "さくら",
    "亮",
    "智子",
    "春香",
]
KANA_NAMES = [
    "ヤマダ タロウ",
    "サトウ・ハナコ",
    "スズキ ケンタ",
    "タカハシ・ミサキ",
    "やまもと だいすけ",
    "なかむら ゆうこ",
    "コバヤシ シンイチ",
    "いのうえ まこと",
]
KANA_GIVEN = ["ゆうと", "はると", "そうた", "ひなた", "ゆいな", "けんじ", "まさき", "りょうた"]
KATA_GIVEN = ["ユウキ", "ハルカ", "ケンジ", "リョウ", "ミユ", "ダイチ"]
LATIN = ["Taro Yamada", "YAMADA Taro", "Kenta Suzuki", "SATO Hanako", "Misaki Takahashi", "Daisuke Mori"]
NICKS = ["まーくん", "けんちゃん", "ゆっきー", "たっくん", "ぴょん", "ハル"]
KIN = ["母", "父", "兄", "姉", "弟", "妹", "祖母", "叔父"]
WARDS = [
    "八王子市",
    "町田市",
    "世田谷区",
    "練馬区",
    "足立区",
    "府中市",
    "調布市",
    "江戸川区",
    "杉並区",
    "立川市",
]
TOWNS = ["元本郷町", "旭町", "三軒茶屋", "光が丘", "竹の塚", "若松町", "国領町", "西葛西", "阿佐谷南", "曙町"]
BUILDINGS = [
    "グリーンハイツ",
    "コーポ青葉",
    "メゾン・ド・ソレイユ",
    "サンライズマンション",
    "都営桜ヶ丘アパート",
    "ハイム若葉",
    "パレス中央",
    "さくら荘",
]
SCHOOLS = [
    "都立青山高校",
    "八王子第三中学校",
    "桜ヶ丘小学校",
    "明星大学",
    "私立和光高校",
    "町田工業高校",
    "東京福祉専門学校",
    "練馬東中学校",
]
COMPANIES = [
    ("株式会社ミドリ食品", "営業部"),
    ("東和運輸", "配送センター"),
    ("山田工業", "製造二課"),
    ("株式会社サンライズ", "経理課"),
    ("大東建設", "総務部"),
    ("みなと銀行", "新宿支店"),
]
VOICES = ["municipal", "npo", "coordinator", "memo", "family"]


def name_full():
    return f"[[name:{pick(SURNAMES)}{pick(GIVEN)}]]"


def mobile(style=None):
    a, b, c = pick(["090", "080", "070"]), rng.randint(1000, 9999), rng.randint(1000, 9999)
    style = style or pick(["-", "", ".", "ー", "fw", " "])
    if style == "fw":
        s = f"{a}－{b}－{c}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    else:
        s = f"{a}{style}{b}{style}{c}"
    return f"[[phone:{s}]]"


def landline():
    return pick(
        [
            f"[[phone:03-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}]]",
            f"[[phone:042-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}]]",
            f"[[phone:0426-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}]]",
            f"[[phone:0428({rng.randint(10, 99)}){rng.randint(1000, 9999)}]]",
            f"[[phone:03{rng.randint(10000000, 99999999)}]]",
        ]
    )


def kanji_num(n: int) -> str:
    d = "〇一二三四五六七八九"
    if n < 10:
        return d[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else d[tens]) + "十" + ("" if ones == 0 else d[ones])


def birth():
    y, m, d = rng.randint(1970, 2008), rng.randint(1, 12), rng.randint(1, 28)
    h = y - 1988 if y >= 1989 else None
    s = y - 1925
    forms = [
        f"{y}年{m}月{d}日",
        f"{y}/{m}/{d}",
        f"S{s}.{m}.{d}" if y < 1989 else f"H{h}.{m}.{d}",
        f"昭和{kanji_num(s)}年{kanji_num(m)}月{kanji_num(d)}日"
        if y < 1989
        else f"平成{kanji_num(h)}年{kanji_num(m)}月{kanji_num(d)}日",
        f"H.{h}.{m}.{d}" if h else f"S.{s}.{m}.{d}",
    ]
    return f"[[birthdate:{pick(forms)}]]"


def address_street():
    c = rng.randint(1, 9)
    forms = [
        f"{c}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
        f"{c}-{rng.randint(1, 30)}-{rng.randint(1, 20)}",
        f"{kanji_num(c)}丁目{kanji_num(rng.randint(1, 30))}番地{kanji_num(rng.randint(1, 9))}号",
        f"{c}丁目{rng.randint(1, 30)}－{rng.randint(1, 20)}".translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        ),
        f"{rng.randint(100, 999)}番地",
    ]
    return pick(forms)


def sentence(kind: str, voice: str) -> str:
    n = name_full()
    if kind == "name":
        return pick(
            [
                f"{n}さん（{rng.randint(18, 55)}歳）について相談を受けた。",
                f"本人の{pick(KIN)}である{n}から電話があった。",
                f"[[name:{pick(SURNAMES)}]]さんは週に一度、居場所に来ています。",
                f"[[name:{pick(SURNAMES)}]]は訪問に応じなかった。",
                f"{pick(KIN)}の[[name:{pick(KANA_NAMES)}]]さんが同席しました。",
                f"氏名：[[name:{pick(KANA_NAMES)}]]",
                f"本人（[[name:{pick(LATIN)}]]）は英語表記の書類を持参。",
                f"弟の[[name:{pick(GIVEN)}]]くんが玄関まで出てきた。",
                f"妹の[[name:{pick(KANA_GIVEN)}]]ちゃんは小学生です。",
                f"[[name:{pick(KATA_GIVEN)}]]さんとはゲームの話で打ち解けた。",
                f"家では「[[name:{pick(NICKS)}]]」と呼ばれているそうです。",
                f"母の話では「[[name:{pick(GIVEN)}]]はもう何年も部屋から出てこない」とのこと。",
                f"担当の[[name:{pick(SURNAMES)}]]が次回も訪問する予定。",
                f"{n}様より申込書の提出あり。",
            ]
        )
    if kind == "phone":
        return pick(
            [
                f"連絡先は{mobile()}です。",
                f"母の携帯 {mobile()}、自宅 {landline()}。",
                f"自宅の電話は{landline()}とのこと。",
                f"折り返しは{mobile()}か{mobile()}へお願いしたい、と言われた。",
                f"電話番号：{mobile()}（本人）",
                f"緊急時は父の職場 {landline()} に連絡することになっている。",
            ]
        )
    if kind == "email":
        user = pick(["taro.yamada", "hanako-1970", "k.suzuki+soudan", "mama_sato", "kenta0715"])
        host = pick(["example.jp", "example.ne.jp", "mail.example.org", "example.com"])
        return pick(
            [
                f"本人のメールは [[email:{user}@{host}]] です。",
                f"返信先：[[email:{user}@{host}]]",
                f"母親から[[email:{user}@{host}]]宛てに返事がほしいとのこと。",
            ]
        )
    if kind == "postal_code":
        pc = f"{rng.randint(100, 208)}-{rng.randint(1, 9999):04d}"
        return pick(
            [
                f"住所は[[postal_code:〒{pc}]]の辺り。",
                f"郵便番号 [[postal_code:{pc}]] に書類を送付した。",
                f"送付先：[[postal_code:〒{pc.replace('-', '')}]]",
            ]
        )
    if kind == "address":
        w, t = pick(WARDS), pick(TOWNS)
        return pick(
            [
                f"自宅は[[address:{w}{t}{address_street()}]]にある。",
                f"本人は[[address:{w}{t}]]在住。",
                f"[[address:{w}{t}]]に住んでいます。",
                f"転居先は[[address:{pick(BUILDINGS)}{rng.randint(1, 5)}0{rng.randint(1, 9)}号室]]。",
                f"祖母宅：[[address:{t}{address_street()}]]",
                f"現住所は[[address:{w}{t}]]のアパートです。",
            ]
        )
    if kind == "birthdate":
        return pick(
            [
                f"生年月日：{birth()}",
                f"本人は{birth()}生まれ。",
                f"{pick(KIN)}は{birth()}生。",
                f"誕生日は{birth()}とのこと。",
                f"{birth()}（{rng.randint(18, 50)}歳）男性。",
            ]
        )
    if kind == "individual_number":
        mn = my_number(str(rng.randint(10**10, 10**11 - 1)))
        return pick(
            [
                f"マイナンバー：[[individual_number:{mn}]]",
                f"書類に[[individual_number:{mn}]]の記載があった。",
                f"個人番号 [[individual_number:{mn[:4]} {mn[4:8]} {mn[8:]}]] を控えた。",
            ]
        )
    if kind == "id_number":
        letters = "".join(rng.choice("ABCDEFGHJKMNPRTZ") for _ in range(2))
        return pick(
            [
                f"旅券番号は[[id_number:{letters}{rng.randint(10**6, 10**7 - 1)}]]。",
                f"運転免許証の番号 [[id_number:{rng.randint(10**11, 10**12 - 1)}]] を確認した。",
                f"基礎年金番号：[[id_number:{rng.randint(1000, 9999)}-{rng.randint(100000, 999999)}]]",
                f"保険証の記号[[id_number:{rng.randint(100, 9999)} 番号 {rng.randint(1, 999)}]]を控えた。",
                f"在留カード番号 [[id_number:{letters}{rng.randint(10**7, 10**8 - 1)}{letters[::-1]}]]",
            ]
        )
    if kind == "account":
        handle = pick(["taro_0715", "hiki_mori22", "ken.t", "sakura_sky", "yamada1998"])
        return pick(
            [
                f"LINE IDは[[account:{handle}]]です。",
                f"本人のX（旧Twitter）は[[account:@{handle}]]。",
                f"母がブログ [[account:https://ameblo.jp/{handle}]] に経過を書いている。",
                f"インスタの[[account:@{handle}]]で連絡が来た。",
                f"プロフィール：[[account:note.com/{handle}]]",
            ]
        )
    if kind == "quasi_identifier":
        school = pick(SCHOOLS)
        company, dept = pick(COMPANIES)
        return pick(
            [
                f"[[quasi_identifier:{school}{rng.randint(1, 3)}年]]の時から不登校。",
                f"[[quasi_identifier:{school}を{rng.randint(2005, 2020)}年に中退]]した。",
                f"父は[[quasi_identifier:{company}の{dept}]]に勤めている。",
                f"以前は[[quasi_identifier:{company} {dept}]]で働いていました。",
            ]
        )
    raise ValueError(kind)


OPENERS = {
    "municipal": ["令和8年4月、家族から来所相談があった。", "区の窓口に母親から電話相談があった。"],
    "npo": ["今日は2回目の訪問でした。", "居場所のスタッフからの報告です。"],
    "coordinator": ["【概要】", "ケース検討会議（第3回）向けの要約。"],
    "memo": ["・初回面談", "メモ："],
    "family": ["母親の話：", "父より聞き取り。"],
}
CLOSERS = ["今後も継続して関わる。", "次回は2週間後に訪問予定。", "", "家族会への参加を勧めた。"]

KINDS = [
    "name",
    "phone",
    "email",
    "postal_code",
    "address",
    "birthdate",
    "individual_number",
    "id_number",
    "account",
    "quasi_identifier",
]
PER_KIND = {
    "name": 40,
    "phone": 26,
    "email": 12,
    "postal_code": 12,
    "address": 30,
    "birthdate": 24,
    "individual_number": 12,
    "id_number": 20,
    "account": 16,
    "quasi_identifier": 20,
}

CLEAN = [
    "本人は{age}歳、ひきこもり歴は{years}年。{kin}と二人暮らし。",
    "令和{r}年{m}月{d}日（{w}）{hh}:{mm}からケース検討会議で検討した。",
    "ケース{ref}について、{m}月{d}日に追加情報の依頼があった。",
    "東京都ひきこもりサポートネット（0120-529-528）を家族に案内した。",
    "相談は今回で{n}回目。前回から{weeks}週間が経過している。",
    "月{yen}万円の仕送りで生活している。貯金は{big}万円ほど。",
    "面談は{hh}時から{hh2}時まで、{mins}分ほど話した。",
    "はちおうじの駅前にある居場所に、月{n}回通っている。",
    "{y}年{m}月から家にいる状態が続き、{years}年{months}か月になる。",
    "中学{g}年から不登校となり、高校は通信制に進んだ。",
    "{kin}（{age2}歳）は持病があり、週{n}回通院している。",
    "区の福祉課、保健所、地域包括支援センターの{n}機関で情報共有した。",
    "家族会には{n}家族、{people}名が参加した。",
    "ケースワーカーさんと保健師さんが同行訪問した。",
    "Aさん（{age}歳）は昼夜逆転しているが、夕方には起きている。",
    "年金は月{yen}万円、家賃は{rent},000円。",
    "{y}年度の相談件数は{big}件で、前年度より{n}件増えた。",
    "訪問は{m}/{d}（{w}）{hh}:00〜{hh2}:00の予定。",
    "たまち、みなみおおさわ周辺の居場所を紹介した。",
    "本人は{age}歳のときに大学を中退し、以後{years}年間在宅。",
    "2026-{m:02d}-{d:02d}に次回会議を予定している。",
    "B氏は民生委員さんの紹介で窓口につながった。",
    "睡眠は{hh}時間程度。体重は{kg}kgで、{months}か月で{n}kg減った。",
    "第{n}回支援者交流会（参加者{people}名）で事例を共有した。",
    "就労支援は週{n}日、1日{hh}時間から始める。",
    "ヘルパーさんの訪問は火・木の{hh}:30から。",
    "高校{g}年の{m}月から登校しなくなった。",
    "令和{r}年度の補助金は{big}千円で交付決定された。",
    "Zoomで{mins}分、本人と画面越しに話すことができた。",
    "サポートネットの電話相談（0120-529-528、平日10時〜17時）を紹介。",
]
WEEKDAYS = "月火水木金土日"


def clean_text(tpl: str) -> str:
    values = dict(
        age=rng.randint(16, 60),
        years=rng.randint(1, 25),
        kin=pick(KIN),
        r=rng.randint(5, 9),
        m=rng.randint(1, 12),
        d=rng.randint(1, 28),
        w=pick(WEEKDAYS),
        hh=rng.randint(9, 15),
        hh2=rng.randint(16, 19),
        mm=pick(["00", "15", "30", "45"]),
        ref=f"C2026-{rng.randint(1, 300):04d}",
        n=rng.randint(2, 9),
        weeks=rng.randint(1, 8),
        yen=rng.randint(3, 15),
        big=rng.randint(100, 999),
        mins=rng.randint(20, 90),
        y=rng.randint(2010, 2026),
        months=rng.randint(1, 11),
        g=rng.randint(1, 3),
        age2=rng.randint(60, 85),
        people=rng.randint(10, 60),
        rent=rng.randint(40, 90),
        kg=rng.randint(45, 90),
    )
    return tpl.format(**values)


# Written one by one, in the words staff use, not from the frames above.
HANDWRITTEN = [
    (
        "municipal",
        "相談者は本人の母（[[name:岡本 純子]]、70代）。本人とは10年以上まともに話していないという。",
    ),
    (
        "municipal",
        "令和7年12月、[[address:調布市国領町]]の自宅を保健師と訪問。本人は2階の自室から出てこなかった。",
    ),
    ("npo", "[[name:リョウ]]くん、今日は居場所でカードゲームを2時間。帰りに「また来る」と言ってくれました！"),
    ("npo", "お母さん（[[phone:090 8765 4321]]）から夜間に着信3件。翌朝折り返し済み。"),
    ("coordinator", "【家族構成】父（[[birthdate:昭和二十八年五月三日]]生）、母、本人、妹（別居）。"),
    ("memo", "・本人：[[name:Kenji WATANABE]]（外国籍の父の姓は使っていない）\n・在留カードなし"),
    ("family", "父の話では「[[name:大輔]]は高校を出てから一度も働いていない」とのこと。"),
    ("municipal", "転居先：[[address:府中市若松町二丁目十五番地三]] [[address:コーポ若松102号室]]。"),
    ("npo", "本人のインスタ（[[account:@hikiko_daily]]）に最近の様子が載っているとお姉さんから聞きました。"),
    ("coordinator", "本人は[[quasi_identifier:都立武蔵野北高校2年]]の秋から登校していない。"),
    ("memo", "緊急連絡先：叔父 [[phone:0422-11-2233]]／叔母 [[phone:080-2222-3333]]"),
    ("family", "母「[[name:はるき]]は小さいころから「[[name:はーくん]]」って呼ばれてて…」"),
    ("municipal", "保険証（記号[[id_number:5678 番号 12]]）の写しが提出された。"),
    ("npo", "ブログ [[account:https://note.com/yuki_hikikomori]] を本人が書いていると判明。"),
    ("coordinator", "父は[[quasi_identifier:東和運輸の配送センター]]に勤務、夜勤が多い。"),
    ("memo", "DOB [[birthdate:1995/04/02]]\n相談歴：2回（令和6年・令和7年）"),
    ("municipal", "本人の姉[[name:中島 さやか]]さんがキーパーソンとなっている。"),
    ("npo", "LINE（ID：[[account:kazu_1988]]）でのやりとりなら応じるとのこと。"),
    ("family", "母親の話：「[[name:翔]]はね、中学のときに部活でいじめられてから…」"),
    ("coordinator", "本人：[[name:タナカ・ユウト]]（通称名）、28歳、無職。"),
    ("municipal", "旅券（[[id_number:TR8765432]]）は失効している。"),
    ("memo", "自宅 [[phone:0312345678]]（固定、母が出る）"),
    ("npo", "元同級生の[[name:森田]]さんが心配して連絡をくれたのがきっかけでした。"),
    ("family", "父：「[[name:拓也]]が生まれたのは[[birthdate:平成8年3月21日]]で、早産だった」"),
    ("coordinator", "[[quasi_identifier:明星大学を2019年に中退]]後、コンビニで短期就労歴あり。"),
    # written after the rules, as a blind check (recall 0.92, precision 0.92 before the fixes)
    ("municipal", "本人（[[name:小野寺 蓮]]、32）は、[[address:江東区豊洲]]のマンションで母と暮らす。"),
    ("npo", "[[name:アキラ]]は昼過ぎに起きる、と母。"),
    ("coordinator", "携帯：[[phone:090（1234）5678]]"),
    ("memo", "父・[[name:高木]]氏は区議会議員の経験がある。"),
    ("family", "本人の誕生日は[[birthdate:7月15日]]。"),
    ("municipal", "TEL [[phone:042-555-0123]]（夜間のみ）"),
    ("npo", "[[name:Sato Kenji]]さんからメールで問い合わせ。"),
    ("coordinator", "[[address:杉並区高円寺北3-21-7]] [[address:ハイツ高円寺205]]"),
    ("memo", "生年月日：[[birthdate:1990年1月1日]]／性別：男"),
    ("family", "母の実家は[[address:青梅市新町]]。"),
    ("municipal", "妹の[[name:美月]]が時々食事を運ぶ。"),
    ("npo", "Instagram: [[account:@mizuki.home]]"),
    ("coordinator", "[[quasi_identifier:早稲田大学の3年]]で休学した。"),
    ("memo", "父は[[quasi_identifier:(株)東京ガスの営業課]]で課長職。"),
    ("family", "[[name:鈴木一郎]]、[[name:鈴木花子]]夫妻が来所。"),
    ("municipal", "マイナンバーカードの番号 [[individual_number:1234-5678-9012]]"),
    ("npo", "保険証 記号[[id_number:12 番号34567]]"),
    ("coordinator", "本人は[[name:ケン]]と名乗った。"),
    ("memo", "連絡はLINE（[[account:@taro88]]）で。"),
    ("family", "緊急連絡先は叔母の[[name:林 美代子]]さん（[[phone:0426-22-1111]]）。"),
]
HANDWRITTEN_CLEAN = [
    ("municipal", "令和8年5月12日（火）14時から、区役所3階の会議室で関係機関会議を開催（出席8名）。"),
    ("npo", "居場所の利用は月4回、1回あたり2〜3時間。交通費は往復820円。"),
    ("coordinator", "ケースC2026-0042とC2026-0043は同じ世帯のため、同じ会議で扱う。"),
    ("memo", "・ひきこもり歴：約15年\n・年齢：47歳\n・同居：母（76歳）"),
    ("family", "母「この子が30になったころから、もう10年近くこんな感じで…」"),
    ("municipal", "サポートネット（0120-529-528）と区の窓口の両方を家族に案内済み。"),
    ("npo", "たちかわ、ひのの2会場で家族向け学習会（各回定員20名、参加費無料）を行った。"),
    ("coordinator", "第2回検討会議は令和8年7月9日（木）10:00〜12:00、オンライン併用。"),
    ("memo", "通院：月1回（精神科）\n服薬：朝夕2回\n体重：3か月で4kg増"),
    ("family", "父「年金が月14万円ほどで、家のローンはあと5年残っている」"),
    ("municipal", "平成30年度から令和6年度までに計7回、窓口で相談を受けている。"),
    ("npo", "訪問は2人体制で、1回45分を目安に、3週間に1回のペースとする。"),
    ("coordinator", "高校1年の2学期から不登校、通信制高校を21歳で卒業。"),
    ("memo", "次回：6/18（木）15:30〜 母のみ来所予定"),
    ("family", "母「中学の担任の先生が何度も家に来てくれたけど、会えなかった」"),
    ("municipal", "面談日：令和8年6月3日（水）、所要60分、同席者2名。"),
    ("npo", "本人は32歳、ひきこもり歴7年、母（64）と同居。"),
    ("coordinator", "市の担当窓口へ引き継いだ（ケースC2026-0119）。"),
    ("memo", "来月15日の家族会に参加予定。"),
    ("family", "たまセンター駅から徒歩10分の居場所を紹介。"),
    ("municipal", "月3回のデイケア、費用は1回500円。"),
    ("npo", "1日3食、夜は2時ごろに寝る。"),
    ("coordinator", "本人が好きなゲームはマインクラフトとのこと。"),
    ("memo", "2025年の秋から外出が増えた。"),
]


def build() -> list[dict]:
    rows = []
    for i, (voice, marked) in enumerate(HANDWRITTEN):
        text, spans = unmark(marked)
        rows.append({"id": f"hand-{i:03d}", "voice": voice, "text": text, "spans": spans})
    for i, (voice, text) in enumerate(HANDWRITTEN_CLEAN):
        rows.append({"id": f"hand-clean-{i:03d}", "voice": voice, "text": text, "spans": []})
    for kind in KINDS:
        for i in range(PER_KIND[kind]):
            voice = VOICES[i % len(VOICES)]
            parts = [pick(OPENERS[voice]), sentence(kind, voice)]
            if i % 3 == 0:  # some texts carry a second kind, as real notes do
                parts.append(sentence(pick(KINDS), voice))
            parts.append(clean_text(pick(CLEAN)) if i % 2 else pick(CLOSERS))
            sep = "\n" if voice == "memo" else ""
            text, spans = unmark(sep.join(p for p in parts if p))
            rows.append({"id": f"{kind}-{i:03d}", "voice": voice, "text": text, "spans": spans})
    for i in range(120):
        voice = VOICES[i % len(VOICES)]
        parts = [pick(OPENERS[voice]), clean_text(CLEAN[i % len(CLEAN)]), clean_text(pick(CLEAN))]
        sep = "\n" if voice == "memo" else ""
        rows.append({"id": f"clean-{i:03d}", "voice": voice, "text": sep.join(parts), "spans": []})
    return rows


if __name__ == "__main__":
    rows = build()
    with (HERE / "devset.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} texts, {sum(1 for r in rows if r['spans'])} with personal data")
