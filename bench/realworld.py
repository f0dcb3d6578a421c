"""Generate a hostile but plausible news archive and, with --index, index it end to end.

    python bench/realworld.py --out DIR --files N --seed S [--index] [--data DIR]

Every supported format (text with several header styles, Markdown with front matter, HTML full of
junk, JSON, JSON Lines and CSV with good, bad and wrong-typed records) in the encodings archives
really use (UTF-8 with and without signature, UTF-16 with and without byte-order mark, cp1252,
cp1251, KOI8-R, GB18030, Shift JIS, cp1258, ISO 8859-2, cp1256), in ten languages, with a share
of broken files and the folder oddities real archives have: a named pipe, symbolic link loops, a
folder that cannot be read, names that are not UTF-8. The paragraphs are templates written for
this benchmark, filled at random: no copied news.

It then checks that each plain text file reads back as written, times ``scan``, and with
``--index`` indexes the folder with the real engine and prints what was indexed, what was skipped
and why (grouped by reason), the time taken and the peak memory.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import io
import json
import os
import random
import re
import resource
import shutil
import socket
import sys
import tempfile
import time
import traceback
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.reading.files import scan
from index.reading.readers import read_file

MANIFEST = ".realworld.json"  # hidden: scan ignores it
FIRST_DAY, LAST_DAY = dt.date(1987, 1, 1), dt.date(2025, 12, 31)
HUGE_LINE_BYTES = 15 * 2**20
JUNK_PAGE_BYTES = 10 * 2**20


@dataclass(frozen=True)
class Language:
    """What it takes to write plausible short news in one language."""

    code: str
    places: tuple[str, ...]
    people: tuple[str, ...]
    bodies: tuple[str, ...]  # organisations
    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    encodings: tuple[str, ...]  # legacy and Unicode encodings this language is found in


LANGUAGES = (
    Language(
        "en",
        ("Baku", "Hanoi", "Lyon", "Valencia", "Kazan", "Ganja", "Da Nang", "Porto"),
        ("Mayor Elena Petrova", "Minister Tran Van Long", "Director Samir Aliyev", "Councillor Maria Lopez"),
        ("Harbour Authority", "Ministry of Transport", "City Council", "Chamber of Commerce"),
        ("{place} council approves harbour budget", "Ferry service to the islands resumes", "New market hall opens"),
        (
            "Officials in {place} said on Tuesday that repairs to the main bridge would take at least {n} weeks.",
            "{person}, who heads the {org}, told reporters that the budget had been approved without changes.",
            "Local traders welcomed the decision, although several said prices had already risen by {n} percent.",
            "The regional council will meet again next month to review the plan for the harbour.",
            "According to the {org}, more than {n} families have registered for the new housing scheme.",
            "Heavy rain delayed the opening of the market in {place}, where stalls were moved indoors.",
            "{person} said the agreement would help farmers sell their produce across the border.",
            "Schools in {place} will reopen on Monday after a week of repairs to their heating.",
            "The ferry service between {place} and the islands resumed after {n} days of storms.",
            "Residents asked the {org} to publish the full report before the vote.",
        ),
        ("utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "iso-8859-2"),
    ),
    Language(
        "fr",
        ("Hanoï", "Bakou", "Lyon", "Marseille", "Gandja", "Nîmes"),
        ("la maire Hélène Marchand", "le ministre François Lefèvre", "la directrice Chloé Bérard"),
        ("l'Autorité portuaire", "le ministère des Transports", "la chambre de commerce"),
        ("Le conseil de {place} adopte le budget du port", "Reprise du service de ferry vers les îles"),
        (
            "Les autorités de {place} ont annoncé mardi que les travaux du pont principal dureraient au moins {n} "
            "semaines.",
            "Selon {person}, le budget présenté par {org} a été adopté sans modification.",
            "Les commerçants ont salué la décision, même si certains disent que les prix ont déjà augmenté de {n} %.",
            "Le conseil régional se réunira le mois prochain pour examiner le projet d'aménagement du port.",
            "D'après {org}, plus de {n} familles se sont inscrites au nouveau programme de logement.",
            "De fortes pluies ont retardé l'ouverture du marché de {place}, où les étals ont été déplacés à "
            "l'intérieur.",
            "Les écoles de {place} rouvriront lundi après une semaine de travaux sur le chauffage.",
        ),
        ("utf-8", "cp1252", "utf-8-sig", "utf-16", "utf-16-le"),
    ),
    Language(
        "de",
        ("München", "Köln", "Görlitz", "Düsseldorf", "Baku", "Lübeck"),
        ("Bürgermeisterin Jana Müller", "Minister Jürgen Weiß", "Direktor Samir Aliyev"),
        ("Hafenbehörde", "Handelskammer", "Stadtverwaltung"),
        ("Stadtrat von {place} beschließt Hafenhaushalt", "Fähre zu den Inseln fährt wieder"),
        (
            "Die Behörden in {place} teilten am Dienstag mit, dass die Reparatur der Hauptbrücke mindestens {n} "
            "Wochen dauern wird.",
            "{person} von der {org} sagte, der Haushalt sei ohne Änderungen beschlossen worden.",
            "Die Händler begrüßten die Entscheidung, obwohl einige sagten, die Preise seien um {n} Prozent gestiegen.",
            "Der Stadtrat wird im nächsten Monat erneut über den Plan für den Hafen beraten.",
            "Nach Angaben der {org} haben sich mehr als {n} Familien für das neue Wohnungsprogramm angemeldet.",
            "Die Schulen in {place} öffnen am Montag wieder, nachdem die Heizungen repariert wurden.",
        ),
        ("utf-8", "cp1252", "iso-8859-2", "utf-16-be"),
    ),
    Language(
        "es",
        ("Valencia", "Málaga", "Bakú", "Hanói", "Cádiz", "A Coruña"),
        ("la alcaldesa Lucía Fernández", "el ministro José Núñez", "el director Samir Aliyev"),
        ("la Autoridad Portuaria", "la Cámara de Comercio", "el Ayuntamiento"),
        ("El ayuntamiento de {place} aprueba el presupuesto del puerto", "Se reanuda el ferri a las islas"),
        (
            "Las autoridades de {place} informaron el martes de que las obras del puente durarán al menos {n} semanas.",
            "Según {person}, el presupuesto de {org} se aprobó sin cambios.",
            "Los comerciantes celebraron la decisión, aunque varios señalaron que los precios ya subieron un {n} %.",
            "El consejo regional volverá a reunirse el próximo mes para revisar el plan del puerto.",
            "Según {org}, más de {n} familias se han inscrito en el nuevo programa de vivienda.",
            "Las escuelas de {place} reabrirán el lunes tras una semana de reparaciones en la calefacción.",
        ),
        ("utf-8", "cp1252", "utf-16"),
    ),
    Language(
        "ru",
        ("Казань", "Баку", "Ханой", "Самара", "Гянджа", "Тверь"),
        ("Елена Петрова", "Андрей Соколов", "Самир Алиев"),
        ("Торговой палаты", "Портового управления", "городской администрации"),
        ("Совет утвердил бюджет порта", "Паромное сообщение с островами возобновлено"),
        (
            "В городе {place} во вторник сообщили, что ремонт главного моста продлится не менее {n} недель.",
            "{person}, представитель {org}, заявил журналистам, что бюджет утверждён без изменений.",
            "Местные торговцы поддержали решение, хотя некоторые отметили, что цены уже выросли на {n} процентов.",
            "Городской совет вновь соберётся в следующем месяце, чтобы обсудить план реконструкции порта.",
            "По данным {org}, на участие в новой жилищной программе записались более {n} семей.",
            "Школы в городе {place} откроются в понедельник после недели ремонта отопления.",
            "Паромное сообщение с островами возобновилось после {n} дней штормов.",
        ),
        ("utf-8", "cp1251", "koi8-r", "utf-16", "utf-16-le"),
    ),
    Language(
        "vi",
        ("Hà Nội", "Đà Nẵng", "Huế", "Hải Phòng", "Cần Thơ"),
        ("ông Nguyễn Văn Hùng", "bà Trần Thị Mai", "ông Lê Quang Minh"),
        ("Sở Giao thông Vận tải", "Ủy ban Nhân dân thành phố", "Phòng Thương mại"),
        ("{place} thông qua ngân sách cải tạo cảng", "Tuyến phà ra đảo hoạt động trở lại"),
        (
            "Chính quyền {place} cho biết hôm thứ Ba rằng việc sửa chữa cây cầu chính sẽ kéo dài ít nhất {n} tuần.",
            "Theo {person}, ngân sách do {org} trình đã được thông qua mà không có thay đổi.",
            "Các tiểu thương hoan nghênh quyết định này, dù một số người cho biết giá đã tăng {n} phần trăm.",
            "Hội đồng nhân dân sẽ họp lại vào tháng tới để xem xét kế hoạch cải tạo cảng.",
            "Theo {org}, hơn {n} gia đình đã đăng ký tham gia chương trình nhà ở mới.",
            "Các trường học ở {place} sẽ mở cửa trở lại vào thứ Hai sau một tuần sửa chữa hệ thống sưởi.",
            "Tuyến phà nối {place} với các đảo đã hoạt động trở lại sau {n} ngày mưa bão.",
        ),
        ("utf-8", "cp1258", "utf-16"),
    ),
    Language(
        "az",
        ("Bakı", "Gəncə", "Sumqayıt", "Şəki", "Lənkəran"),
        ("Samir Əliyev", "Leyla Məmmədova", "Rauf Hüseynov"),
        ("Nəqliyyat Nazirliyi", "Ticarət Palatası", "Liman İdarəsi"),
        ("{place} şurası liman büdcəsini təsdiqləyib", "Adalara bərə xidməti bərpa olunub"),
        (
            "{place} şəhər icra hakimiyyəti çərşənbə axşamı bildirib ki, körpünün təmiri ən azı {n} həftə çəkəcək.",
            "{org} rəhbəri {person} jurnalistlərə deyib ki, büdcə dəyişiklik edilmədən təsdiqlənib.",
            "Yerli tacirlər qərarı alqışlayıb, lakin bəziləri qiymətlərin artıq {n} faiz artdığını qeyd edib.",
            "Şəhər şurası gələn ay limanın yenidənqurma planını müzakirə etmək üçün yenidən toplanacaq.",
            "{org} məlumatına görə, yeni mənzil proqramına {n} ailədən çox qeydiyyatdan keçib.",
            "{place} şəhərindəki məktəblər istilik sisteminin təmirindən sonra bazar ertəsi açılacaq.",
        ),
        ("utf-8", "utf-16", "utf-8-sig"),
    ),
    Language(
        "zh",
        ("北京", "上海", "杭州", "河内", "巴库", "广州"),
        ("王明", "李华", "陈静"),
        ("交通运输局", "商会", "市政府"),
        ("{place}批准港口预算", "通往海岛的轮渡恢复运营"),
        (
            "{place}有关部门周二表示，主桥维修工程至少需要{n}周。",
            "{org}负责人{person}对记者说，预算已获通过，没有任何修改。",
            "当地商户对这一决定表示欢迎，但一些人说物价已经上涨了百分之{n}。",
            "市议会将于下月再次开会，审议港口改造计划。",
            "据{org}介绍，已有{n}多户家庭报名参加新的住房项目。",
            "{place}的学校在供暖系统维修一周后，将于周一重新开学。",
            "连续{n}天的风暴过后，通往各岛屿的轮渡服务已经恢复。",
        ),
        ("utf-8", "gb18030", "utf-16"),
    ),
    Language(
        "ja",
        ("横浜", "神戸", "札幌", "福岡"),
        ("山田太郎", "佐藤花子", "鈴木一郎"),
        ("港湾局", "商工会議所", "市役所"),
        ("{place}市議会、港湾予算を承認", "島への定期船が運航再開"),
        (
            "{place}市は火曜日、主要な橋の修理に少なくとも{n}週間かかると発表した。",
            "{org}の{person}氏は記者団に対し、予算は修正なしで承認されたと述べた。",
            "地元の商店主はこの決定を歓迎したが、物価はすでに{n}パーセント上昇したとの声もある。",
            "市議会は来月、港の改修計画を審議するため再び会合を開く。",
            "{place}の学校は、暖房設備の修理を終え、月曜日に授業を再開する。",
        ),
        ("utf-8", "shift_jis"),
    ),
    Language(
        "ar",
        ("الإسكندرية", "عمّان", "باكو", "تونس", "بيروت"),
        ("سمير علييف", "ليلى حسن", "أحمد منصور"),
        ("هيئة الميناء", "غرفة التجارة", "وزارة النقل"),
        ("مجلس {place} يقر ميزانية الميناء", "استئناف خدمة العبّارات إلى الجزر"),
        (
            "أعلنت السلطات في {place} يوم الثلاثاء أن إصلاح الجسر الرئيسي سيستغرق {n} أسابيع على الأقل.",
            "وقال {person}، رئيس {org}، للصحفيين إن الميزانية أُقرت دون أي تعديل.",
            "ورحب التجار المحليون بالقرار، رغم أن بعضهم قال إن الأسعار ارتفعت بنسبة {n} في المئة.",
            "وسيجتمع المجلس البلدي مجددًا الشهر المقبل لمراجعة خطة تطوير الميناء.",
            "وبحسب {org}، سجلت أكثر من {n} عائلة في برنامج الإسكان الجديد.",
            "وستعيد المدارس في {place} فتح أبوابها يوم الاثنين بعد أسبوع من إصلاح أنظمة التدفئة.",
        ),
        ("utf-8", "cp1256", "utf-16", "utf-16-le"),
    ),
)
SOURCES = ("Harbour Gazette", "Caspian Daily", "Le Courrier", "Nord Kurier", "Tin Tức Cảng", "Xəbər Bülleteni")
# Dates as metadata holds them: good, relative (must not become dates), invalid, and odd but absolute.
DATE_VALUES: tuple[Callable[[dt.date], object], ...] = (
    lambda d: d.isoformat(),
    lambda d: d.strftime("%d %B %Y"),
    lambda d: d.strftime("%a, %d %b %Y 10:00:00 GMT"),
    lambda d: d.strftime("%d-%b-%Y").upper() + " 605:12:19.12",  # Reuters-21578's own format
    lambda d: int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC).timestamp()),
    lambda d: "yesterday",
    lambda d: "2 hours ago",
    lambda d: "2025-02-30",
    lambda d: "0000-00-00",
    lambda d: {"$date": d.isoformat()},
)


@dataclass
class Archive:
    """What was generated: files, special entries and the texts plain files should read back as."""

    root: Path
    rng: random.Random
    files: int = 0
    special: list[str] = field(default_factory=list)
    expected: dict[str, tuple[str, str]] = field(default_factory=dict)  # relpath -> (encoding, a sentence)

    def write(self, relpath: str | bytes, data: bytes) -> None:
        path = os.path.join(os.fsencode(self.root), relpath if isinstance(relpath, bytes) else relpath.encode())
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        self.files += 1


def paragraph(language: Language, rng: random.Random, sentences: int) -> str:
    filled = []
    for template in rng.sample(language.sentences, min(sentences, len(language.sentences))):
        filled.append(
            template.format(
                place=rng.choice(language.places),
                person=rng.choice(language.people),
                org=rng.choice(language.bodies),
                n=rng.randint(2, 90),
            )
        )
    return " ".join(filled)


def article(language: Language, rng: random.Random) -> tuple[str, str]:
    """A title and a body of two to five paragraphs."""
    title = rng.choice(language.titles).format(place=rng.choice(language.places))
    body = "\n\n".join(paragraph(language, rng, rng.randint(2, 4)) for _ in range(rng.randint(2, 5)))
    return title, body


def encode(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``; cp1258 writes Vietnamese tone marks as combining characters, as it must."""
    if encoding != "cp1258":
        return text.encode(encoding)
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def pick_encoding(language: Language, text: str, rng: random.Random) -> str:
    usable = []
    for encoding in language.encodings:
        try:
            encode(text, encoding)
        except UnicodeEncodeError:
            continue
        usable.append(encoding)
    return rng.choice(usable)


def random_date(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))


# --- the supported formats ----------------------------------------------------------------------


def text_file(archive: Archive, folder: str, number: int) -> None:
    rng = archive.rng
    language = rng.choice(LANGUAGES)
    title, body = article(language, rng)
    date = random_date(rng)
    style = rng.choice(("seed", "keyvalue", "hash", "none", "dateline"))
    if style == "seed":
        text = f"date {date.isoformat()} {body}"
    elif style == "keyvalue":
        text = (
            f"Title: {title}\nDate: {date.isoformat()}\nSource: {rng.choice(SOURCES)}\nLang: {language.code}\n\n{body}"
        )
    elif style == "hash":
        text = f"# date = {date.isoformat()}\n# title = {title}\n\n{body}"
    elif style == "dateline":
        text = f"{rng.choice(language.places).upper()}, {date.strftime('%B')} {date.day} - {body}"
    else:
        text = f"{title}\n\n{body}"
    newline = rng.choice(("\n", "\n", "\r\n", "\r", "mixed"))
    if newline == "mixed":
        text = "".join(line + rng.choice(("\n", "\r\n", "\r")) for line in text.split("\n"))
    else:
        text = text.replace("\n", newline)
    encoding = pick_encoding(language, text, rng)
    relpath = f"{folder}/{language.code}-{number:05d}.txt"
    archive.write(relpath, encode(text, encoding))
    archive.expected[relpath] = (encoding, body.split("\n")[0][:80])


def markdown_file(archive: Archive, folder: str, number: int) -> None:
    rng = archive.rng
    language = rng.choice(LANGUAGES)
    title, body = article(language, rng)
    front = f'---\ntitle: "{title}"\ndate: {random_date(rng).isoformat()}\nlang: {language.code}\n---\n\n'
    text = rng.choice((front + body, f"# {title}\n\n{body}", front + f"# {title}\n\n{body}"))
    relpath = f"{folder}/{language.code}-{number:05d}.md"
    archive.write(relpath, text.encode())
    archive.expected[relpath] = ("utf-8", body.split("\n")[0][:80])


def html_file(archive: Archive, folder: str, number: int, junk_bytes: int = 0) -> None:
    rng = archive.rng
    language = rng.choice(LANGUAGES)
    title, body = article(language, rng)
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    pixel = base64.b64encode(rng.randbytes(rng.choice((60, 3000, 40_000)))).decode()
    filler = ""
    if junk_bytes:
        filler = f'<img src="data:image/jpeg;base64,{base64.b64encode(rng.randbytes(junk_bytes // 2)).decode()}">'
        filler += f"<script>{'window.__STATE__.push({});' * (junk_bytes // 50)}</script>"
    date = random_date(rng)
    page = f"""<!DOCTYPE html>
<html lang="{language.code}"><head><meta charset="utf-8"><title>{title} | {rng.choice(SOURCES)}</title>
<meta property="article:published_time" content="{date.isoformat()}T08:00:00Z">
<link rel="stylesheet" href="https://cdn.example.com/s.css"><script src="https://ads.example.com/a.js"></script>
<script>document.cookie = "seen=1"; fetch("https://tracker.example.com/b");</script>
<style>.ad {{ background: url("https://cdn.example.com/bg.png") }}</style></head>
<body><nav><a href="/">Home</a> <a href="javascript:openMenu()">Menu</a></nav>
<iframe src="https://ads.example.com/frame"></iframe>
<article><h1>{title}</h1>{paragraphs}
<img src="data:image/png;base64,{pixel}"><img src="https://img.example.com/{number}.jpg">{filler}</article>
<footer>© {rng.choice(SOURCES)} · <a href="javascript:void(0)">Privacy</a></footer></body></html>"""
    encoding = "utf-8" if rng.random() < 0.8 else pick_encoding(language, page, rng)
    if encoding.startswith("utf-16"):
        encoding = "utf-8"  # a page in UTF-16 declares charset=utf-8 wrongly; keep the test about junk
    archive.write(f"{folder}/{language.code}-{number:05d}.html", encode(page, encoding))


def record(archive: Archive, index: int) -> dict[str, object]:
    """One JSON or CSV record: mostly good, some wrong-typed, some empty."""
    rng = archive.rng
    language = rng.choice(LANGUAGES)
    title, body = article(language, rng)
    date = rng.choice(DATE_VALUES)(random_date(rng))
    kind = rng.random()
    fields: dict[str, object] = {"id": f"r{index}", "title": title, "body": body, "date": date}
    if kind < 0.06:
        fields["body"] = rng.choice((12345, None, "", {"text": body}, True))
    elif kind < 0.12:
        fields["title"] = rng.choice(([title, "update"], None, 7, {"main": title}))
    elif kind < 0.16:
        fields["title"] = title[:3] + "\ud800" + title[3:]  # a lone surrogate, as a JSON escape
    elif kind < 0.2:
        fields = {"headline": title, "content": body.split("\n\n"), "published": date, "lang": language.code}
    fields["source"] = rng.choice((*SOURCES, None))
    return fields


def dump(value: object, rng: random.Random) -> bytes:
    """JSON as exporters write it, escaped to ASCII or not; a lone surrogate is always an escape."""
    return json.dumps(value, ensure_ascii=rng.random() < 0.5).encode("utf-8", errors="backslashreplace")


def json_file(archive: Archive, folder: str, number: int) -> None:
    rng = archive.rng
    records = [record(archive, number * 100 + i) for i in range(rng.randint(1, 12))]
    shape = rng.random()
    value: object = records
    if shape < 0.2:
        value = {"articles": records, "exported": random_date(rng).isoformat()}
    elif shape < 0.3:
        value = records[0]
    elif shape < 0.35:
        value = [*records, "stray string", 42, None]
    archive.write(f"{folder}/batch-{number:05d}.json", dump(value, rng))


def jsonl_file(archive: Archive, folder: str, number: int) -> None:
    rng = archive.rng
    lines = [dump(record(archive, number * 100 + i), rng).decode() for i in range(rng.randint(1, 15))]
    for _ in range(rng.randint(0, 2)):
        broken = rng.choice(("", "   ", '{"id": "cut", "body": "The line ends', "[1, 2, 3]", "null", "{" * 5000))
        lines.insert(rng.randrange(len(lines) + 1), broken)
    archive.write(f"{folder}/feed-{number:05d}.jsonl", ("\n".join(lines) + "\n").encode())


def csv_file(archive: Archive, folder: str, number: int) -> None:
    rng = archive.rng
    rows = []
    for i in range(rng.randint(1, 20)):
        fields = record(archive, number * 100 + i)
        body = fields.get("body") if isinstance(fields.get("body"), str) else "x"
        title = fields.get("title") if isinstance(fields.get("title"), str) else ""
        rows.append([f"c{i}", str(title).replace("\ud800", "?"), str(body), str(fields.get("date") or "")])
    out = io.StringIO()
    delimiter = ";" if rng.random() < 0.05 else ","  # a European spreadsheet export: no body column found
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["id", "title", "body", "date"])
    writer.writerows(rows)
    text = out.getvalue()
    lines = text.split("\r\n")
    for _ in range(rng.randint(0, 2)):
        damage = rng.choice(('c99,"stray quote,no end', "c98,too,many,fields,here", "c97,nul\0title,body,2020-01-01"))
        lines.insert(rng.randrange(1, len(lines) + 1), damage)
    text = "\r\n".join(lines)
    encoding = rng.choice(("utf-8", "utf-8", "utf-8-sig", "cp1252"))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # cp1252 holds Western European text only
        data = text.encode()
    archive.write(f"{folder}/table-{number:05d}.csv", data)


# --- broken files -------------------------------------------------------------------------------


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    pixels = zlib.compress(random.Random(0).randbytes(4096))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes(13)) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def zipped(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", text)
    return buffer.getvalue()


def pdf(text: str) -> bytes:
    stream = zlib.compress(f"BT ({text}) Tj ET".encode())
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream\n%%EOF"
    )


def broken_file(archive: Archive, folder: str, number: int) -> None:
    rng = archive.rng
    language = rng.choice(LANGUAGES)
    _, body = article(language, rng)
    utf8 = body.encode()
    choices: dict[str, Callable[[], bytes]] = {
        "png.txt": png,
        "zip.txt": lambda: zipped(body),
        "pdf.md": lambda: pdf(body),
        "empty.txt": lambda: b"",
        "blank.txt": lambda: b" \n\t\r\n  ",
        "bom-only.txt": lambda: b"\xef\xbb\xbf",
        "cut.txt": lambda: utf8[: len(utf8) // 2 + 1],  # may end inside a character
        "cut.json": lambda: json.dumps([record(archive, number)]).encode()[:-7],
        "noise.txt": lambda: bytes(b | 0x80 for b in rng.randbytes(rng.randint(100, 50_000))),
        "deep.json": lambda: b"[" * 100_000 + b"]" * 100_000,
        "bigint.json": lambda: b'[{"id": ' + b"7" * 5000 + b', "body": ' + json.dumps(body).encode() + b"}]",
        "header-only.csv": lambda: b"id,title,body\n",
        "no-header.csv": lambda: b"c1,Some title,Some body\n",
        "binary.html": lambda: rng.randbytes(2000),
        "scalar.json": lambda: b'"just a string"',
        "other.docx": lambda: zipped(body),
    }
    name = rng.choice(sorted(choices))
    archive.write(f"{folder}/broken-{number:05d}-{name}", choices[name]())


def special_entries(archive: Archive) -> None:
    """The folder oddities, once each: they break scans, not parsers."""
    root = archive.root
    rng = archive.rng
    language = LANGUAGES[0]
    text = paragraph(language, rng, 3).encode()
    odd = root / "odd names"
    odd.mkdir()
    for name in ("two  spaces.txt", "line\nbreak.txt", "Новости дня.txt", "新闻.txt", "خبر.txt", "-leading-dash.txt"):
        archive.write(f"odd names/{name}", text)
    archive.write("odd names/" + "long" * 60 + ".txt", text)
    archive.write("odd names/" + unicodedata.normalize("NFD", "Hà Nội décomposé.txt"), text)
    archive.write(b"odd names/caf\xe9 latin-1 name.txt", text)
    archive.write(b"odd names/\xff\xfe not utf-8 at all.txt", text)
    archive.write("odd names/.hidden.txt", text)
    links = root / "links"
    links.mkdir()
    os.symlink("b.txt", links / "a.txt")
    os.symlink("a.txt", links / "b.txt")
    os.symlink("self.txt", links / "self.txt")
    os.symlink("missing.txt", links / "dangling.txt")
    os.symlink(root.parent, links / "outside")
    os.symlink("../odd names", links / "folder")
    os.symlink("../odd names/two  spaces.txt", links / "inside.txt")
    archive.special += ["links/a.txt", "links/b.txt", "links/self.txt", "links/dangling.txt", "links/outside"]
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        archive.special.append("pipe.txt")
    if hasattr(socket, "AF_UNIX"):
        server = socket.socket(socket.AF_UNIX)
        cwd = os.getcwd()
        try:
            os.chdir(root)  # A socket's path is limited to about 100 bytes.
            server.bind("socket.txt")
            archive.special.append("socket.txt")
        finally:
            os.chdir(cwd)
            server.close()
    locked = root / "locked"
    locked.mkdir()
    archive.write("locked/secret.txt", text)
    locked.chmod(0)
    archive.special.append("locked/")
    with (root / "oversized.txt").open("wb") as handle:
        handle.truncate(50 * 2**20)  # sparse: skipped at scan, never read
    archive.special.append("oversized.txt")
    archive.write("huge-line.txt", ("harbour budget " * (HUGE_LINE_BYTES // 15)).encode())
    html_file(archive, "web", 99_999, junk_bytes=JUNK_PAGE_BYTES)


# --- generation, checks, indexing ---------------------------------------------------------------

KINDS: tuple[tuple[Callable[[Archive, str, int], None], float], ...] = (
    (text_file, 0.30),
    (markdown_file, 0.08),
    (html_file, 0.14),
    (json_file, 0.10),
    (jsonl_file, 0.10),
    (csv_file, 0.10),
    (broken_file, 0.18),
)


def generate(root: Path, files: int, seed: int) -> Archive:
    """Write the archive under ``root`` (emptied first when a previous run made it)."""
    if root.exists():
        if not (root / MANIFEST).exists() and any(root.iterdir()):
            sys.exit(f"{root} is not empty and was not made by this script; choose another --out")
        for folder, folders, _ in os.walk(root):  # Top down: each folder is opened before it is listed.
            for name in folders:
                os.chmod(os.path.join(folder, name), 0o755)
        shutil.rmtree(root)
    root.mkdir(parents=True)
    archive = Archive(root, random.Random(seed))
    kinds, weights = zip(*KINDS, strict=True)
    for number in range(files):
        folder = (
            f"{archive.rng.choice(('1987', '1999', '2011', '2024'))}/{archive.rng.choice(('wire', 'local', 'web'))}"
        )
        archive.rng.choices(kinds, weights)[0](archive, folder, number)
    special_entries(archive)
    (root / MANIFEST).write_text(json.dumps({"seed": seed, "files": files}))
    return archive


def check_decoding(archive: Archive) -> tuple[int, Counter[str], Counter[str]]:
    """How many plain files read back as written; per encoding, how many did and did not."""
    good, bad = Counter[str](), Counter[str]()
    for relpath, (encoding, sentence) in archive.expected.items():
        documents, _ = read_file(relpath, (archive.root / relpath).read_bytes())
        wanted = " ".join(sentence.split()[:6])
        if documents and wanted in " ".join(documents[0].text.split()):
            good[encoding] += 1
        else:
            bad[encoding] += 1
    return sum(good.values()), good, bad


def grouped(reason: str) -> str:
    return re.sub(r"\d+", "N", reason)


def megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def index_archive(root: Path, data: Path) -> int:
    from index import Archive as IndexedArchive  # The engine loads Whoosh; only --index needs it.

    started = time.perf_counter()
    indexed = IndexedArchive(root, data)
    try:
        summary = indexed.update()
    except Exception:  # The report is the point: show what broke and where.
        print("indexing FAILED after", f"{time.perf_counter() - started:.1f} s")
        traceback.print_exc()
        return 1
    finally:
        indexed.close()
    elapsed = time.perf_counter() - started
    print(f"indexed {summary.added + summary.updated} articles in {elapsed:.1f} s")
    skipped = Counter(grouped(s.reason) for s in summary.skipped)
    print(f"skipped {len(summary.skipped)} files and records, by reason:")
    for reason, count in skipped.most_common():
        print(f"  {count:6d}  {reason}")
    problems = getattr(summary, "problems", ())
    if problems:
        print(f"{len(problems)} articles indexed without some step of their analysis:")
        for (step, error), count in Counter((p.step, grouped(p.error)[:100]) for p in problems).most_common():
            print(f"  {count:6d}  {step}: {error}")
    for note in getattr(summary, "notes", ()):
        print("note:", note)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Generate a hostile but plausible news archive; optionally index it.")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the archive into")
    parser.add_argument("--files", type=int, default=1000, help="number of ordinary files (the oddities come on top)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--index", action="store_true", help="then index it with the real engine")
    parser.add_argument("--data", type=Path, help="where the index goes (default: a temporary folder)")
    args = parser.parse_args()

    started = time.perf_counter()
    archive = generate(args.out, args.files, args.seed)
    size = sum(
        entry.stat(follow_symlinks=False).st_blocks * 512
        for folder, _, names in os.walk(args.out)
        for entry in os.scandir(folder)
        if entry.is_file(follow_symlinks=False)
    )
    print(
        f"generated {archive.files} files and {len(archive.special)} oddities in {args.out} "
        f"({size / 2**20:.0f} MB on disk) in {time.perf_counter() - started:.1f} s"
    )
    read_back, good, bad = check_decoding(archive)
    print(f"plain text read back as written: {read_back} of {len(archive.expected)}")
    for encoding in sorted(good.keys() | bad.keys()):
        print(f"  {encoding:11s} {good[encoding]:5d} read back, {bad[encoding]:3d} not")
    started = time.perf_counter()
    found, skipped = scan(args.out)
    print(f"scan: {len(found)} files to read, {len(skipped)} skipped, in {time.perf_counter() - started:.2f} s")
    status = 0
    if args.index:
        with tempfile.TemporaryDirectory(prefix="realworld-") as scratch:
            status = index_archive(args.out, args.data or Path(scratch))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak RSS: {megabytes(own)} (this process), {megabytes(workers)} (largest worker process)")
    return status


if __name__ == "__main__":
    sys.exit(main())
