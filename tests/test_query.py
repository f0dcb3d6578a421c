"""The query language: what parses, and errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from index import Archive, SearchRequest
from index.errors import QuerySyntaxError
from index.storage.query import parse_query
from index.storage.schema import build_schema

SCHEMA = build_schema()


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("Hanoi AND (Baku", "'(' is not closed", 10),
        ("Hanoi)", "')' has no opening bracket", 5),
        ('"Ilham Aliyev', "quotation mark is not closed", 0),
        ("Hanoi OR", "'OR' needs a term on both sides", 6),
        ("colour:red", "unknown field 'colour'", 0),
        ("date:2019-13", "not a date", 5),
        # Positions are in the text as typed, whatever the parser was given (lang: became language:).
        ("lang:fr (foo", "'(' is not closed", 8),
        ("-x AND", "'AND' needs a term on both sides", 3),
        ("date:[2019 to 2025-13]", "not a date: '2025-13'", 14),
        ("date:[ to ]", "needs a start or an end", 5),
        ("date:>9999", "dates run from year 1 to 9999", 6),
        ("date:>", "'>' needs a value right after it", 5),
        ("> 2025", "'>' goes right after a field name", 0),
        ("NOT NOT Baku", "'NOT' cannot follow 'NOT'", 4),
        ("Baku ANDNOT OR Hanoi", "'OR' cannot follow 'ANDNOT'", 12),
        ("Hanoi~3", "allows too many changes", 0),
        ("x" * 2_001, "longer than 2,000 characters", 2_000),
        ("(" * 33 + "Hanoi" + ")" * 33, "brackets nest more than 32 deep", 32),
        (" ".join(f"w{i}*" for i in range(17)), "more than 16 wildcard, fuzzy and range terms", 70),
    ],
)
def test_errors_have_a_message_and_a_position(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query, SCHEMA, ["en"])
    assert message in caught.value.message
    assert caught.value.position == position


def test_words_expand_to_their_stems_in_every_language_of_the_index() -> None:
    terms = {t for _, t in parse_query("relations", SCHEMA, ["en", "fr"]).iter_all_terms()}
    assert terms == {"relations", "relat"}


def test_minus_excludes_but_a_date_with_a_dash_stays_a_date() -> None:
    assert "NOT" in str(parse_query("Hanoi -Baku", SCHEMA, ["en"]))
    month = parse_query("date:2025-05", SCHEMA, ["en"])
    assert (month.startdate.isoformat()[:10], month.enddate.isoformat()[:10]) == ("2025-05-01", "2025-05-31")


def test_field_aliases() -> None:
    assert str(parse_query("lang:fr", SCHEMA, [])) == "language:fr"
    assert str(parse_query("outlet:Trend", SCHEMA, [])) == "source:trend"


def test_patterns_of_stars_alone_match_everything_the_field_holds() -> None:
    for text in ["**", "*:*", "title:*", "body:***", "Hanoi OR *"]:
        assert parse_query(text, SCHEMA, ["en"]) == wq.Every(), text
    assert parse_query("person:*", SCHEMA, ["en"]) == wq.Every("person")
    dated = parse_query("date:*", SCHEMA, ["en"])
    assert (dated.startdate, dated.enddate) == (None, None)
    # A question mark is one character: "?" stands for the words of one letter, not for everything.
    assert {type(leaf) for leaf in parse_query("?", SCHEMA, ["en"]).leaves()} == {wq.Wildcard}


def test_leaves_carry_their_place_in_the_typed_query() -> None:
    q = parse_query("lang:fr  Baku pro* a?c body:[a to c] Hanoi~", SCHEMA, ["en"])
    places = {(type(leaf).__name__, leaf.startchar) for leaf in q.leaves() if isinstance(leaf, wq.MultiTerm)}
    assert places == {("Prefix", 14), ("Wildcard", 19), ("TermRange", 28), ("FuzzyTerm", 37)}


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ("date:>2025", "2026-01-01", None),
        ("date:>=2025-05", "2025-05-01", None),
        ("date:<2025-05", None, "2025-04-30"),
        ("date:<=2024-02", None, "2024-02-29"),
        ("date:{2019 to 2022}", "2020-01-01", "2021-12-31"),
        ("date:[2022 to 2019]", "2019-01-01", "2022-12-31"),
        ("date:2025-05-07", "2025-05-07", "2025-05-07"),
    ],
)
def test_date_comparisons_and_ranges(query: str, first: str | None, last: str | None) -> None:
    q = parse_query(query, SCHEMA, ["en"])
    assert (q.startdate and q.startdate.date().isoformat(), q.enddate and q.enddate.date().isoformat()) == (first, last)


def test_a_word_naming_an_entity_finds_its_other_spellings_unless_asked_as_typed(seeds_archive: Archive) -> None:
    from index.storage.query import other_spellings

    assert "Azerbaïdjan" not in other_spellings("Azerbaijan")  # it folds like Azerbaidjan: one of them is enough
    assert {"Azərbaycan", "Aserbaidschan", "Azerbaidjan"} <= set(other_spellings("Azerbaijan"))
    assert other_spellings("ferry") == ()
    assert "Ханой" in other_spellings("Hanoi") and "Hanoï" not in other_spellings("Hanoi")  # across scripts only
    spelled = seeds_archive.search(SearchRequest("Azerbaijan"))
    typed = seeds_archive.search(SearchRequest("Azerbaijan", spellings=False))
    assert (spelled.total, typed.total) == (5, 4)  # the French report writes Azerbaïdjan
    assert "Azerbaidjan" in spelled.also_matched and typed.also_matched == ()
    assert seeds_archive.search(SearchRequest('"Azerbaijan"')).also_matched == ()  # a quoted word is as typed
    spans = seeds_archive.hit_spans("594033a850014bf7", "Azerbaijan")["body"]
    assert spans  # the other spelling is highlighted in the French report


def test_the_word_being_typed_also_finds_the_words_it_begins(seeds_archive: Archive) -> None:
    typing = SearchRequest("vietnam azer", complete_last_word=True)
    assert seeds_archive.search(typing).total == 5
    assert seeds_archive.search(SearchRequest("vietnam azer")).total == 0  # Enter: as typed
    assert seeds_archive.search(SearchRequest("vietnam azer ", complete_last_word=True)).total == 0  # a space ends it
    assert seeds_archive.search(SearchRequest("azer vietnam", complete_last_word=True)).total == 0  # only the last
    assert seeds_archive.search(SearchRequest("title:azer", complete_last_word=True)).total > 0


def test_only_a_plain_word_at_the_very_end_is_completed() -> None:
    from index.storage.query import COMPLETIONS, Completion

    assert COMPLETIONS <= 16  # a keystroke costs a few words' reads, never a whole prefix's

    def completions(text: str) -> list[str]:
        q = parse_query(text, build_schema(), ["en"], complete_last_word=True)
        return [leaf.text for leaf in q.leaves() if isinstance(leaf, Completion)]

    assert set(completions("vietnam azer")) == {"azer"}
    assert completions("vietnam a") == []  # one letter is too little to guess from
    for finished in ('"vietnam azer"', "azer*", "azer~", "azer ", "person:azer", "(azer)"):
        assert completions(finished) == [], finished


def test_a_completion_stands_for_the_most_frequent_words_it_begins(
    seeds_archive: Archive, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from index.storage.frequent import FrequentTerms, FrequentTermsWriter, open_frequent_terms
    from index.storage.query import COMPLETIONS, Completion

    seeds_archive.search(SearchRequest("*"))
    searcher = seeds_archive._searcher  # noqa: SLF001 - which words the evaluator chose
    assert searcher is not None
    masks = searcher.masks
    low, high = masks.lexicon("body").prefixed("co")
    words = masks.lexicon("body").between(low, high)
    assert len(words) > COMPLETIONS  # the seeds hold more words beginning "co" than are taken

    def segment(name: str, counts: dict[str, int]) -> FrequentTerms | None:
        writer = FrequentTermsWriter()
        for word, count in counts.items():
            writer.add("body", word.encode(), tuple(range(count)), [1.0] * count, None, None, True)
        writer.save(tmp_path, name)
        return open_frequent_terms(tmp_path, name)

    # Two segments' frequent terms: "countri" in 300 + 70 documents, "cooper" in 100.
    frequent = [segment("a", {"countri": 300, "cooper": 100}), None, segment("b", {"countri": 70})]
    monkeypatch.setattr(masks, "frequent", frequent)
    chosen = [term.decode() for term in masks._expanded(Completion("body", "co"))]  # noqa: SLF001
    assert len(chosen) == COMPLETIONS and {"countri", "cooper"} <= set(chosen)
    rest = sorted((w for w in words if w not in ("countri", "cooper")), key=lambda w: (len(w), w))
    assert set(chosen) == {"countri", "cooper", *rest[: COMPLETIONS - 2]}  # then the shortest

    from index.storage import docsets

    monkeypatch.setattr(docsets, "ALL_WORDS_COMPLETED_UP_TO", 0)  # a big archive: frequent words only
    masks._lexicons.clear()  # noqa: SLF001
    masks._expansions.clear()  # noqa: SLF001
    chosen = [term.decode() for term in masks._expanded(Completion("body", "co"))]  # noqa: SLF001
    assert chosen == ["cooper", "countri"] and "body" not in masks._lexicons  # noqa: SLF001


def test_an_excluded_word_being_typed_is_not_completed_and_a_long_one_completes_to_its_stem(
    seeds_archive: Archive,
) -> None:
    def total(query: str) -> int:
        return seeds_archive.search(SearchRequest(query, complete_last_word=True)).total

    as_typed = seeds_archive.search(SearchRequest("vietnam -az")).total
    assert total("vietnam -az") == as_typed >= 4  # excluding every word "az" begins would empty the list
    assert total("vietnam NOT az") == as_typed
    assert total("vietnam cooperati") == seeds_archive.search(SearchRequest("vietnam cooperation")).total > 0
    assert total("vietnam commissio") > 0  # indexed as the stem "commiss"
    spans = seeds_archive.hit_spans("594033a850014bf7", "vietnam azer", complete_last_word=True)["body"]
    assert len(spans) > len(seeds_archive.hit_spans("594033a850014bf7", "vietnam azer")["body"])


def test_words_are_stemmed_as_written_then_folded(tmp_path: Path) -> None:
    from index.analysis.terms import terms

    assert terms("Навальный Навального", "ru") == ["навальн", "навальн"]  # й is a letter of the ending
    folder = tmp_path / "ru"
    folder.mkdir()
    (folder / "a.txt").write_text("Суд над Навальным\n\nАдвокаты Навального подали жалобу в суд.", "utf-8")
    archive = Archive(folder, tmp_path / "data")
    archive.update()
    assert archive.search(SearchRequest("Навальный")).total == 1
    archive.close()
