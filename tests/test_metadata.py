"""Title, date, source and language of articles, each with its provenance."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.analysis import outlets
from index.analysis.metadata import infer
from index.analysis.outlets import (
    SIGNATURE_END_CHARS,
    default_outlets,
    outlet_from_text,
    relayed_source,
    required_text,
)
from index.models import Article, Provenance, RawDocument
from index.reading.readers import read_file

from .conftest import SEEDS


def seed(prefix: str) -> Article:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    docs, _ = read_file(path.name, path.read_bytes())
    return infer(docs[0])


def text_doc(text: str, metadata: dict[str, str] | None = None) -> Article:
    return infer(RawDocument("x.txt", "x.txt", text, metadata or {}, Provenance.HEADER, "utf-8"))


# The metadata the issue requires for the five seeds.
@pytest.mark.parametrize(
    ("prefix", "date", "date_from", "source", "source_from", "language", "relayed"),
    [
        ("000", "2022-07-20", "header", "Azernews", "text", "en", None),
        ("001", "2025-05-07", "header", None, "unknown", "en", None),
        ("002", "2025-05-08", "header", "Trend", "text", "en", "Cabinet of Ministers"),
        ("003", "2019-03-12", "text", "VNA/CVN", "text", "fr", None),
        ("004", "2025-03-24", "header", "News.Az", "text", "en", "Azertac"),
    ],
)
def test_seed_metadata(
    prefix: str, date: str, date_from: str, source: str | None, source_from: str, language: str, relayed: str | None
) -> None:
    article = seed(prefix)
    assert article.date == dt.date.fromisoformat(date)
    assert article.date_provenance.value == date_from
    assert article.source == source
    assert article.source_provenance.value == source_from
    assert article.language == language
    assert article.relayed_source == relayed


def test_debris_is_removed_and_never_becomes_metadata() -> None:
    article = seed("004")
    assert "16 px" not in article.body and "↺" not in article.body
    assert article.title.startswith("The Azerbaijani delegation, led by Prosecutor General Kamran Aliyev")
    french = seed("003")
    for debris in (">>", "Tél :", "E-mail", "Adresse :", "Permis de publication", "Rédactrice en chef", "back to top"):
        assert debris not in french.body
    assert french.body.rstrip().endswith("VNA/CVN")


def test_titles() -> None:
    assert seed("003").title == "Le Vietnam et l'Azerbaïdjan cherchent à renforcer la coordination dans la diplomatie"
    # A byline is not a headline; the first sentence, whole, is the title.
    assert seed("000").title.startswith("Azerbaijan’s Deputy Foreign Minister Elnur Mammadov")
    assert seed("000").title.endswith("Azernews reports, citing the ministry")
    # The dateline is not part of the title.
    assert seed("001").title.startswith("On May 7, Ilham Aliyev, President of the Republic of Azerbaijan")
    assert text_doc("Body.", {"title": "Stated title"}).title_provenance is Provenance.HEADER


def test_date_without_year_evidence_is_unknown_not_guessed() -> None:
    article = text_doc("La réunion s'est tenue le 12 mars à Hanoï entre les deux délégations.")
    assert article.date is None
    assert article.date_provenance is Provenance.UNKNOWN


def test_dateline_with_its_year_is_read_from_text() -> None:
    article = text_doc("BAKU, March 24, 2023 - The ministers met in the capital to discuss trade.")
    assert article.date == dt.date(2023, 3, 24)
    assert article.date_provenance is Provenance.TEXT


def test_metadata_values_win_over_text() -> None:
    article = text_doc(
        "Trend reports that ministers met.", {"source": "APA", "date": "2020-02-03", "language": "French"}
    )
    assert (article.source, article.source_provenance) == ("APA", Provenance.HEADER)
    assert article.date == dt.date(2020, 2, 3)
    assert article.language == "fr"


def test_user_outlet_signatures_extend_the_bundled_ones(private_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Path(str(private_dirs).replace("userdata", "userconfig"))
    config.mkdir(parents=True)
    (config / "outlets.json").write_text(
        json.dumps({"outlets": [{"name": "Caspian Post", "patterns": [r"\bCaspian Post reports\b"]}]})
    )
    default_outlets.cache_clear()
    try:
        article = text_doc("The minister spoke on Monday, Caspian Post reports.")
        assert article.source == "Caspian Post"
        assert seed("002").source == "Trend"
    finally:
        default_outlets.cache_clear()


FILLER_LINE = "The two countries discussed trade, energy and education at length during the talks.\n"


def test_outlets_are_read_from_the_lead_and_the_last_lines_only() -> None:
    quoted_midway = FILLER_LINE * 15 + "Prices rose, (Reuters) - the agency said.\n" + FILLER_LINE * 15
    assert outlet_from_text(quoted_midway) is None
    assert outlet_from_text("(Reuters) - Ministers met.\n" + quoted_midway) == "Reuters"
    assert outlet_from_text(quoted_midway + "Xinhua\n") == "Xinhua"


def test_the_last_lines_are_whole_lines() -> None:
    # The end window starts inside the line "... quoted by AFP": cut there, "AFP" would stand alone.
    ending = "AFP\n" + "x" * (SIGNATURE_END_CHARS - 4)
    text = FILLER_LINE * 15 + "Officials spoke to the press, quoted by " + ending
    assert text[-SIGNATURE_END_CHARS:].startswith("AFP\n")
    assert outlet_from_text(text) is None


# Shapes met in public news corpora that no one here wrote (see docs/RELIABILITY.md); texts are ours.


def test_comment_headers_with_keys_of_their_own_are_headers() -> None:
    """The shape of a public Vietnamese news corpus: `# doc_id = `, `# url = `, `# date = YYYYMMDD`."""
    text = (
        "# doc_id = news_world_015\n# url = https://dantri.com.vn/the-gioi/bai-viet.htm\n# date = 20201101\n"
        "Phà mới nối Hải Phòng với Cát Bà\nChuyến phà đầu tiên rời bến sáng nay với hàng trăm hành khách."
    )
    article = infer(read_file("news_world_015.txt", text.encode())[0][0])
    assert (article.date, article.date_provenance) == (dt.date(2020, 11, 1), Provenance.HEADER)
    assert article.title == "Phà mới nối Hải Phòng với Cát Bà"
    assert (article.source, article.source_provenance) == ("dantri.com.vn", Provenance.HEADER)
    assert "doc_id" not in article.body


def test_newsapi_records_keep_their_date_source_and_summary() -> None:
    records = [
        {
            "source": {"id": None, "name": "El País"},
            "title": "Un ferry une Bakú",
            "publishedAt": "2021-03-30T08:00:00Z",
            "description": "El primer ferry salió esta mañana del puerto.",
            "content": None,
            "language": "es",
        },
        {
            "source-name": "Le Monde",
            "title": "Un ferry relie Bakou",
            "publishedAt": "2021-03-31T09:00:00Z",
            "description": "Le premier ferry est parti ce matin du port.",
            "language": "fr",
        },
    ]
    data = "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()
    documents, skipped = read_file("briefings.jsonl", data)
    articles = [infer(document) for document in documents]
    assert not skipped
    assert [(a.source, a.date) for a in articles] == [
        ("El País", dt.date(2021, 3, 30)),
        ("Le Monde", dt.date(2021, 3, 31)),
    ]
    assert articles[0].body == "El primer ferry salió esta mañana del puerto."


def test_a_wire_story_signed_reuter_on_its_last_line() -> None:
    story = "NEW YORK, Feb 26 - The company said its first quarter profit rose sharply.\n\n Reuter\n"
    assert outlet_from_text(story) == "Reuters"
    assert outlet_from_text("Reuters said the bank would grow.\nThe Reuter poll closed.") is None


def test_a_stated_title_is_kept_whole_and_only_a_paragraph_long_first_sentence_is_cut() -> None:
    headline = " ".join(["Long headline about the ferry between Baku and Hanoi"] * 4)  # 211 characters
    assert text_doc("Body.", {"title": headline}).title == headline
    endless = " ".join(["word"] * 200)  # a first "sentence" of 1,000 characters, no punctuation
    title = text_doc(endless).title
    assert title.endswith("…") and len(title) <= 300


@pytest.mark.parametrize(
    ("text", "outlet"),
    [  # the shape of the AG News corpus: the wire's name, a dash, the story (texts are ours)
        ("AP - A company in Louisville won a grant to study peptides.", "Associated Press"),
        ("Reuters - Retailers hope their autumn fashions will sell.", "Reuters"),
        ("AFP - The ferry resumed service after the storm.", "AFP"),
        ("Canadian Press - TORONTO (CP) - The council met on Monday.", "Canadian Press"),
        ("APPLE - the fruit, not the firm, was the talk of the fair.", None),
        ("The ferry sailed.\nAP - style guides were discussed.", None),  # a line further down is text
    ],
)
def test_wire_names_opening_a_story(text: str, outlet: str | None) -> None:
    assert outlet_from_text(text) == outlet


def test_a_chinese_or_japanese_title_is_the_first_sentence() -> None:
    # A CJK full stop ends a sentence with no space after it: the whole paragraph was the title.
    text = "新的地铁线路今天开通。市民纷纷前来乘坐，车站里人山人海。"
    assert text_doc(text, {}).title == "新的地铁线路今天开通"
    japanese = "大阪府の新しい橋が開通した\n大阪府は今日、開通式を行った。"
    assert text_doc(japanese, {}).title == "大阪府の新しい橋が開通した"


def test_a_stated_title_helps_tell_the_language_of_a_short_text() -> None:
    # NewsAPI content stripped to punctuation under a clear Russian headline
    headline = {"title": "Президент России Владимир Путин назначил нового посла"}
    doc = RawDocument("n.json#1", "n.json", "() . - . ,", headline, Provenance.STRUCTURED, "utf-8")
    assert infer(doc).language == "ru"


# Signatures as users may write them: groups, alternatives, classes, repeats, escapes, inline flags.
TRICKY_SIGNATURES = [
    r"\bCaspian Post reports\b",
    r"^\s*(?:By )?Baku Daily\s*$",
    r"(Interfax|TASS) reports",
    r"ab(?i:C)de",
    r"(?i)caspian",
    r"Tr[ea]nd\.az",
    r"x{2,3}yz",
    r"\(AP\)\s*[-–—]",
    r"(?<=\n)Sputnik\b",
    r"Le Monde(?= rapporte)",
    r"Ph[ạa]m Daily",
]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_every_match_of_a_signature_holds_its_required_text(data: st.DataObject) -> None:
    signatures = [pattern for outlet in default_outlets() for pattern in outlet.patterns]
    pattern = data.draw(st.sampled_from(signatures + [re.compile(p, re.MULTILINE) for p in TRICKY_SIGNATURES]))
    match = pattern.search(data.draw(st.from_regex(pattern)))
    assert match is not None
    assert required_text(pattern) in match.group()


def test_required_text_is_the_longest_literal_run_and_nothing_when_case_is_ignored() -> None:
    def required(pattern: str) -> str:
        return required_text(re.compile(pattern, re.MULTILINE))

    assert required(r"\bAzernews reports\b") == "Azernews reports"
    assert required(r"^\s*[A-Z][A-Za-z ]+\s*\(VNA\)\s*[-–—]") == "(VNA)"
    assert required(r"^\s*Reuters?\s*\Z") == "Reuter"
    assert required(r"ab(?i:C)de") == "ab"
    assert required(r"(?i)caspian") == required(r"(Interfax|TASS)") == ""
    assert all(all(outlet.required) for outlet in default_outlets())  # every bundled signature is screened


RELAYING_TEXT = st.lists(
    st.tuples(
        st.sampled_from(["", "x", "The", ". ", "\n", "é"]),
        st.sampled_from(["citing", "via", "quoting", "according to", "Citing", "vía"]),
        st.sampled_from([" ", "\t", "  ", ""]),
        st.sampled_from(["", "the "]),
        st.sampled_from(["Azertac", "Cabinet of Ministers", "sources", "AZERTAC."]),
    ).map("".join),
    max_size=4,
).map(" ".join)


@pytest.mark.parametrize("word", ["citing", "via", "quoting", "according to"])
def test_each_relaying_word_names_a_relayed_source(word: str) -> None:
    assert relayed_source(f"Baku, 3 March. The ministry met, {word} the Azertac agency.") == "Azertac"


@given(RELAYING_TEXT | st.text())
def test_a_relayed_source_is_found_wherever_the_pattern_alone_finds_one(text: str) -> None:
    match = outlets._RELAYED.search(text[:1500])
    alone = outlets._TRAILING_JOINERS.sub("", match.group(1)).rstrip(".,") if match else None
    assert relayed_source(text) == (alone or None)
