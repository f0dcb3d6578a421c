"""Comparing two articles: shared passages, the same fact in other words, what only one has."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from index import Archive, EntityMention, EntityRef, PassageKind, SearchRequest
from index.analysis.compare import compare_texts, sentences
from tests.conftest import ARCHIVIST

REPORT = (
    "The central bank raised its main interest rate to 4.5 percent on Tuesday, the third rise this year. "
    "Governor Elena Marchetti said inflation, at 6.1 percent in March, was still far above the target. "
    "Markets had expected the move, and the currency barely changed after the announcement. "
    "Economists at Banca Civica warned that mortgage holders would feel the increase within months. "
    "The bank's board will meet again on June 18 to review the decision."
)


def _texts(passages: list, a: str, b: str, kind: PassageKind) -> list[tuple[str, str]]:
    return [(a[p.a[0] : p.a[1]] if p.a else "", b[p.b[0] : p.b[1]] if p.b else "") for p in passages if p.kind == kind]


def test_the_seeds_reports_of_one_visit_share_the_1959_and_1983_visits_in_other_words(seeds_archive: Archive) -> None:
    by_file = {seeds_archive.article(i).path[:3]: i for i in _all_ids(seeds_archive)}
    comparison = seeds_archive.compare(by_file["001"], by_file["002"])
    a, b = seeds_archive.article(by_file["001"]).body, seeds_archive.article(by_file["002"]).body

    similar = _texts(list(comparison.passages), a, b, PassageKind.SIMILAR)
    assert any("President Ho Chi Minh" in in_a and "Heydar Aliyev to Vietnam in 1983" in in_b for in_a, in_b in similar)
    assert any("invitation" in in_a and "invitation" in in_b for in_a, in_b in similar)
    assert comparison.share_a == comparison.share_b == 0  # no sentence is the same: two outlets wrote them
    shared = set(comparison.shared_entities)
    assert {
        EntityRef("PERSON", "Ho Chi Minh"),
        EntityRef("PERSON", "Heydar Aliyev"),
        EntityRef("PERSON", "To Lam"),
        EntityRef("PERSON", "Ilham Aliyev"),
        EntityRef("PLACE", "Azerbaijan"),
    } <= shared
    assert EntityRef("PERSON", "Ali Asadov") in comparison.only_b_entities
    assert not shared & set(comparison.only_a_entities) and not shared & set(comparison.only_b_entities)
    for body, side in ((a, "a"), (b, "b")):  # every sentence of each article is in a passage
        for start, end in sentences(body):
            assert any((span := getattr(p, side)) and span[0] <= start and end <= span[1] for p in comparison.passages)


def _all_ids(archive: Archive) -> list[str]:
    return [hit.id for hit in archive.search(SearchRequest("*", page_size=50)).hits]


def test_a_lightly_edited_copy_is_the_same_text() -> None:
    edited = (
        "The bank's board will meet again on 18 June to review the decision. "  # moved first, date rewritten
        "The central bank raised its main interest rate to 4.5 per cent on Tuesday, the third rise this year! "
        "Governor Elena Marchetti said inflation - at 6.1 percent in March - was still far above the target. "
        "Markets had expected the move and the currency barely changed after the announcement. "
        "Economists at Banca Cívica warned that mortgage holders would feel the increase within months."
    )
    passages, share_a, share_b = compare_texts(REPORT, edited)
    # Four sentences in the same order make one passage; the one moved to the top makes another.
    assert [(p.kind, REPORT[p.a[0] : p.a[1]][:20]) for p in passages if p.a] == [
        (PassageKind.SAME, "The central bank rai"),
        (PassageKind.SAME, "The bank's board wil"),
    ]
    assert len(passages) == 2
    assert share_a > 0.9 and share_b > 0.9


def test_a_syndicated_copy_with_its_own_headline_and_footer() -> None:
    copy = (
        "Rates up again as inflation bites\n\n"
        + REPORT
        + "\n\nCopyright 2025 Northern Ledger. All rights reserved. Sign up for our morning newsletter."
    )
    passages, share_a, share_b = compare_texts(REPORT, copy)
    same = [p for p in passages if p.kind == PassageKind.SAME]
    assert len(same) == 1 and same[0].a == (0, len(REPORT))  # one run: the whole report, in order
    assert share_a == 1.0 and 0.6 < share_b < 1.0
    only_b = _texts(passages, REPORT, copy, PassageKind.ONLY_B)
    assert [text for _, text in only_b][0] == "Rates up again as inflation bites"
    assert any("All rights reserved" in text for _, text in only_b)


def test_articles_sharing_only_a_footer_share_little() -> None:
    footer = "\n\nCopyright 2025 Northern Ledger. All rights reserved. Sign up for our morning newsletter."
    other = (
        "Flooding closed the coastal road near Porto Vecchio for a second day. Crews cleared mud from the "
        "tunnel while residents were told to boil their water. The regional council promised an inquiry."
    )
    passages, share_a, share_b = compare_texts(REPORT + footer, other + footer)
    assert share_a < 0.35 and share_b < 0.4
    assert not _texts(passages, REPORT + footer, other + footer, PassageKind.SIMILAR)


def test_an_english_and_a_french_report_meet_on_their_entities_and_numbers() -> None:
    english = (
        "Emmanuel Macron arrived in Hanoi on Monday. He signed 14 agreements with Vietnam worth 10 billion euros. "
        "The visit ends on May 28 with a dinner."
    )
    french = (
        "Emmanuel Macron est arrivé lundi à Hanoï. Il a signé avec le Vietnam 14 accords d'une valeur de 10 milliards. "
        "La visite s'achève le 28 mai par un dîner."
    )
    mentions_en = [
        EntityMention(0, 15, "PERSON", "Emmanuel Macron"),
        EntityMention(27, 32, "PLACE", "Hanoi"),
        EntityMention(73, 80, "PLACE", "Vietnam"),
    ]
    mentions_fr = [
        EntityMention(0, 15, "PERSON", "Emmanuel Macron"),
        EntityMention(35, 40, "PLACE", "Hanoi"),
        EntityMention(61, 68, "PLACE", "Vietnam"),
    ]
    assert [english[m.start : m.end] for m in mentions_en] == ["Emmanuel Macron", "Hanoi", "Vietnam"]
    assert [french[m.start : m.end] for m in mentions_fr] == ["Emmanuel Macron", "Hanoï", "Vietnam"]
    passages, share_a, _ = compare_texts(english, french, mentions_en, mentions_fr, "en", "fr")
    assert share_a == 0
    assert _texts(passages, english, french, PassageKind.SIMILAR) == [
        ("Emmanuel Macron arrived in Hanoi on Monday.", "Emmanuel Macron est arrivé lundi à Hanoï."),
        (
            "He signed 14 agreements with Vietnam worth 10 billion euros.",
            "Il a signé avec le Vietnam 14 accords d'une valeur de 10 milliards.",
        ),
        ("The visit ends on May 28 with a dinner.", "La visite s'achève le 28 mai par un dîner."),  # the date, "28"
    ]


def test_sentences_end_at_stops_but_not_after_initials_or_titles() -> None:
    text = "Mr. J. Smith met Dr. Brown at 10.30 in St. Louis. They talked.\nA new line\n\n  \nEnd"
    assert [text[s:e] for s, e in sentences(text)] == [
        "Mr. J. Smith met Dr. Brown at 10.30 in St. Louis.",
        "They talked.",
        "A new line",
        "End",
    ]


PIECES = st.sampled_from(["\x00", "\ud800", "\u0301", ". ", "\n", "Ho Chi Minh", "Хо Ши Мин", "Hà Nội"])
TEXT = st.lists(st.text(max_size=30) | PIECES, max_size=12).map("".join)


@given(TEXT, TEXT, st.data())
def test_any_two_texts_compare_into_sound_passages(a: str, b: str, data: st.DataObject) -> None:
    def mentions(text: str) -> list[EntityMention]:
        spans = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=4))
        return [EntityMention(min(s), max(s), "PLACE", text[min(s) : max(s)] or "x") for s in spans]

    passages, share_a, share_b = compare_texts(a, b, mentions(a), mentions(b), "en", "fr")
    assert 0 <= share_a <= 1 and 0 <= share_b <= 1
    for passage in passages:
        for span, text in ((passage.a, a), (passage.b, b)):
            assert span is None or 0 <= span[0] < span[1] <= len(text)
    assert sum(1 for p in passages if p.a) >= (1 if sentences(a) else 0)


def test_a_long_line_and_a_name_at_the_very_end() -> None:
    long_line = "word " * 40_000 + "Ho Chi Minh"
    name = EntityMention(len(long_line) - 11, len(long_line), "PERSON", "Ho Chi Minh")
    passages, share_a, _ = compare_texts(long_line, long_line, [name], [name])
    assert share_a == 1.0 and passages[0].kind == PassageKind.SAME


def test_the_command_line_prints_the_comparison(seeds_archive: Archive, tmp_path: Path) -> None:
    ids = {seeds_archive.article(i).path[:3]: i for i in _all_ids(seeds_archive)}
    where = ["--data-dir", str(seeds_archive.data), "compare", "--archive", str(seeds_archive.root)]
    run = subprocess.run([*ARCHIVIST, *where, ids["001"], ids["002"], "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    assert set(printed) == {"a", "b", "share_a", "share_b", "passages", "entities"}
    assert (printed["a"], printed["b"]) == (ids["001"], ids["002"])
    assert {p["kind"] for p in printed["passages"]} <= {"same", "similar", "only_a", "only_b"}
    assert {"type": "PERSON", "name": "Ho Chi Minh"} in printed["entities"]["shared"]
    text = subprocess.run([*ARCHIVIST, *where, ids["001"], ids["002"]], capture_output=True, text=True)
    assert text.returncode == 0 and "both name: " in text.stdout and "Ho Chi Minh" in text.stdout
    missing = subprocess.run([*ARCHIVIST, *where, ids["001"], "nosuchid"], capture_output=True, text=True)
    assert missing.returncode == 1 and missing.stderr.startswith("archivist: ") and "Traceback" not in missing.stderr
