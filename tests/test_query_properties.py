"""Whatever a user types, a search answers or raises QuerySyntaxError placed inside the query.

Random and adversarial strings go to parse_query with the real schema and to Archive.search on a
small real index. That pathological patterns finish in bounded time is measured by a benchmark,
not asserted here; these tests check what bounds it: how many words a pattern may expand to.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from whoosh import query as wq

from index import Archive, ArchivistError, QuerySyntaxError, SearchRequest, SortOrder
from index.storage import docsets as docsets_module
from index.storage.docsets import Lexicon
from index.storage.query import FIELD_ALIASES, MAX_QUERY_LENGTH, parse_query
from index.storage.schema import build_schema

SCHEMA = build_schema()
FIELD_NAMES = sorted({*SCHEMA.names(), *FIELD_ALIASES, "colour", "Title", "LANG"})
# Pieces of the query language and of text that has broken parsers: operators, brackets, ranges,
# fuzziness and boosts, dates good and bad, regular expression syntax, NUL, a lone surrogate,
# emoji, right-to-left scripts, combining marks.
PIECES = [
    *(f"{name}:" for name in FIELD_NAMES),
    *("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "-", "+", "(", ")", "[", "]", "{", "}", '"', "'"),
    *("to", "TO", ">", "<", ">=", "<=", "=>", "=<", "~", "~1", "~2", "~9", "/2", "^", "^2", ":", "*", "?", "\\"),
    *("2025", "2025-05", "2025-05-07", "2025-13-40", "0000", "9999", "10000", "2025-02-30", "[2019 to 2022]"),
    *("vietnam", "hanoi", "Hà Nội", "Việt", "relations", "relat", "diplomatique", "baku", "e", "a", "zz"),
    *(".*", "$", "^$", "(?=", "[a-z]", "a{1,99}", "|", "\x00", "\ud800", "\udfff", "😀", "עברית", "العربية"),
    *("\u0301", "\u200f", "ß", "İ", "*a*b*c*", "?*?*?*", "**", "*e*"),
]
SEPARATORS = ["", "", " ", "  ", "\t", "\n"]
pieces = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=12).map(
    lambda items: "".join(piece + separator for piece, separator in items)
)
any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # Surrogates included.
# Near the length limit and far beyond it (100 kB), repeating one piece or a random run of them.
long_text = st.tuples(st.one_of(st.sampled_from(PIECES), pieces), st.sampled_from([MAX_QUERY_LENGTH, 100_000])).map(
    lambda repeated: ((repeated[0] or "x") + " ") * (repeated[1] // (len(repeated[0]) + 1))
)
queries = st.one_of(pieces, any_text, long_text)
PATHOLOGICAL = ["*a*b*c*d*", "*e*", "?*?*?*", "*", "body:*", "???", "a*", "a~2", "body:>a", "title:[a to z]"]
# The inputs an outside probe found crashing or stalling, before these tests.
PROBE_FINDINGS = ["<A", "> ", "date:>tion", "date:[xto]", "date:0000", "date:[to 2025-13-40]", "\ud800*", "**"]

ARTICLES = {
    "en": [
        "Vietnam and Azerbaijan discussed trade relations in Hanoi.",
        "The ferry across the Caspian sails from Baku twice a week.",
        "Ilham Aliyev met the Vietnamese ambassador to discuss energy.",
        "Diplomatic relations between the two countries are thirty years old.",
        "Exporters expect rice shipments to grow next year.",
        "A new railway line will link the port with the capital.",
        "Students from Hanoi study engineering in Baku.",
        "The ministry announced a visa agreement on Monday.",
        "Oil prices fell as the conference opened in Ho Chi Minh City.",
        "A delegation toured the industrial park near the harbour.",
        "The festival drew visitors from many provinces.",
        "Parliament approved the budget after a long debate.",
    ],
    "fr": [
        "Le Vietnam et l'Azerbaïdjan renforcent leurs relations diplomatiques.",
        "Une délégation vietnamienne est arrivée à Bakou pour des entretiens.",
        "Le ministre a souligné l'importance de la coopération économique.",
        "Les exportations de riz ont augmenté cette année à Hanoï.",
        "Le président Ilham Aliyev a reçu l'ambassadeur du Vietnam.",
        "La conférence sur l'énergie s'est tenue à Hô Chi Minh-Ville.",
        "Les étudiants étrangers sont nombreux dans la capitale.",
        "Un accord culturel a été signé entre les deux pays.",
        "Le port de Haiphong accueille de plus en plus de navires.",
        "La saison des pluies a retardé les travaux de la route.",
        "Le festival a attiré des visiteurs de toutes les provinces.",
        "Le parlement a adopté le budget après un long débat.",
    ],
    "vi": [
        "Việt Nam và Azerbaijan thúc đẩy quan hệ hợp tác kinh tế.",
        "Đoàn đại biểu Việt Nam đã đến Baku để hội đàm.",
        "Bộ trưởng nhấn mạnh tầm quan trọng của hợp tác năng lượng.",
        "Xuất khẩu gạo của Việt Nam tăng mạnh trong năm nay.",
        "Tổng thống Ilham Aliyev tiếp Đại sứ Việt Nam tại Baku.",
        "Hội nghị về năng lượng được tổ chức tại Thành phố Hồ Chí Minh.",
        "Sinh viên Hà Nội học kỹ thuật tại Baku.",
        "Hai nước ký kết thỏa thuận hợp tác văn hóa.",
        "Cảng Hải Phòng đón ngày càng nhiều tàu biển.",
        "Mùa mưa làm chậm tiến độ xây dựng đường bộ.",
        "Lễ hội thu hút du khách từ nhiều tỉnh thành.",
        "Quốc hội thông qua ngân sách sau cuộc tranh luận dài.",
    ],
}
UNDATED = 3  # articles without a date line


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """A small archive in three languages, indexed once for the module (data dir passed explicitly,
    as the autouse private_dirs fixture is per test)."""
    root = tmp_path_factory.mktemp("archive")
    number = 0
    for language, texts in ARTICLES.items():
        for i, text in enumerate(texts):
            dated = "" if number < UNDATED else f"date 20{15 + i % 10:02d}-{i % 12 + 1:02d}-{i + 1:02d}\n\n"
            (root / f"{language}_{i:02d}.txt").write_text(f"{dated}{text} {text}", "utf-8")
            number += 1
    opened = Archive(root, tmp_path_factory.mktemp("data"))
    opened.update(workers=1)
    yield opened
    opened.close()


def search_outcome(archive: Archive, text: str) -> None:
    """Search: an answer, or a QuerySyntaxError placed in the query; any other exception fails the test."""
    try:
        archive.search(SearchRequest(text))
    except QuerySyntaxError as error:
        assert_placed(error, text)


def assert_placed(error: QuerySyntaxError, text: str) -> None:
    assert error.message
    assert 0 <= error.position < len(text), (error.position, len(text))


@given(queries)
@example("date:[x to")
@example("date:>")
@example("NOT NOT a")
@example("a NOT AND b")
@example("-NOT a")
@example("(" * 40 + "a" + ")" * 40)
@example("a^2 OR b")
@example("'a b' OR \"c\"")
@example("title:[ to ]")
@example("date:[ to ]")
@example("date:(2019 OR x)")
@example("ab~1/5")
@example("x" * 150 + "~")
def test_parse_query_returns_a_query_or_a_placed_error(text: str) -> None:
    try:
        q = parse_query(text, SCHEMA, ["en", "fr"])
    except QuerySyntaxError as error:
        assert_placed(error, text)
        return
    assert isinstance(q, wq.Query)
    for leaf in [q] if q.is_leaf() else q.leaves():
        if isinstance(leaf, wq.MultiTerm) and not isinstance(leaf, wq.NumericRange):
            assert 0 <= leaf.startchar < len(text)  # Where an expansion error would point.


@given(queries)
@example("REQUIRE vietnam   " * 110)  # Whoosh built each operand of a chain of REQUIRE twice: 2^110 steps.
@example("a ANDNOT " * 222 + "b")
@example("(" * 32 + "a ANDMAYBE " * 100 + "b" + ")" * 32)
def test_search_answers_or_raises_a_placed_syntax_error(archive: Archive, text: str) -> None:
    search_outcome(archive, text)


@pytest.mark.parametrize("text", PROBE_FINDINGS + PATHOLOGICAL)
def test_inputs_that_crashed_or_stalled_search(archive: Archive, text: str) -> None:
    search_outcome(archive, text)


def test_the_probes_findings_are_syntax_errors_pointing_at_the_problem(archive: Archive) -> None:
    for text, position in [("<A", 0), ("> ", 0), ("date:>tion", 6), ("date:[xto]", 6), ("date:0000", 5)]:
        with pytest.raises(QuerySyntaxError) as caught:
            archive.search(SearchRequest(text))
        assert caught.value.position == position, text
    with pytest.raises(QuerySyntaxError, match="not a date: '2025-13-40'") as caught:
        archive.search(SearchRequest("date:[to 2025-13-40]"))
    assert caught.value.position == 9
    with pytest.raises(QuerySyntaxError, match="lone surrogate") as caught:
        archive.search(SearchRequest("Hanoi \ud800*"))
    assert caught.value.position == 6


def test_only_stars_match_every_article_or_every_article_with_the_field(archive: Archive) -> None:
    everything = sum(map(len, ARTICLES.values()))
    for text in ["*", "**", "***", "body:*", "title:**", "*:*"]:
        assert archive.search(SearchRequest(text)).total == everything, text
    assert archive.search(SearchRequest("date:*")).total == everything - UNDATED
    people = archive.search(SearchRequest("person:*")).total
    assert 0 < people == archive.search(SearchRequest('person:"Ilham Aliyev"')).total < everything


def test_question_marks_stand_for_one_character_each(archive: Archive) -> None:
    # "?" patterns expand as any other: "?" to every word of one character.
    found = archive.search(SearchRequest("?")).total
    masks = archive._searcher.masks  # type: ignore[union-attr]  # noqa: SLF001
    expected = np.zeros(len(masks.alive), dtype=bool)
    for field in ("title", "body"):
        for term in masks.lexicon(field):
            if len(term) == 1:
                expected |= masks.term_mask(field, term.encode())
    assert 0 < found == int((expected & masks.alive).sum()) < sum(map(len, ARTICLES.values()))


def test_a_pattern_matching_too_many_words_is_refused_with_a_hint(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docsets_module, "MAX_EXPANSION", 3)
    archive.search(SearchRequest("*"))
    archive._searcher.masks.clear_cache()  # type: ignore[union-attr]  # noqa: SLF001 - expansions are cached
    with pytest.raises(QuerySyntaxError, match=r"'a\*' matches more than 3 words; add letters before the \*") as a:
        archive.search(SearchRequest("Baku a*"))
    assert a.value.position == 5
    for text, hint in [("*e*", "before the first"), ("title:>b", "narrow the range"), ("ba~2", "fewer changes")]:
        with pytest.raises(QuerySyntaxError, match=hint):
            archive.search(SearchRequest(text))
    assert archive.search(SearchRequest("bak*")).total > 0  # Within the limit.


def test_exclusive_date_ranges_and_comparisons(archive: Archive) -> None:
    def total(text: str) -> int:
        return archive.search(SearchRequest(text)).total

    assert total("date:>2020") == total("date:>=2021") == total("date:[2021 to]")
    assert total("date:<2020") == total("date:<=2019") == total("date:[to 2019]")
    assert total("date:{2019 to 2022}") == total("date:[2020 to 2021]")
    assert total("date:>2020") + total("date:<=2020") == total("date:*")


@pytest.mark.parametrize(("page", "page_size", "facet_limit"), [(0, 20, 50), (-1, 20, 50), (1, -5000, 50), (1, 20, -1)])
def test_requests_with_impossible_pages_are_refused(page: int, page_size: int, facet_limit: int) -> None:
    with pytest.raises(ArchivistError, match="must be"):
        SearchRequest("Hanoi", page=page, page_size=page_size, facet_limit=facet_limit)


def test_a_page_past_the_end_is_empty_and_size_zero_counts(archive: Archive) -> None:
    for sort in SortOrder:
        beyond = archive.search(SearchRequest("Baku", sort=sort, page=1_000_000))
        assert beyond.total > 0 and beyond.hits == ()
    counted = archive.search(SearchRequest("Baku", page_size=0))
    assert counted.total > 0 and counted.hits == ()


# The Lexicon's ways of finding terms agree with plain scans of the terms.
words = st.text("abc", max_size=5)
lexicons = st.lists(st.text("abc", min_size=1, max_size=5), max_size=40).map(lambda terms: sorted(set(terms)))


@given(lexicons, st.text("abc*?", max_size=6))
@example(["ab", "abab", "abb"], "*ab*b")
@example(["aaaa", "abcd"], "*a*b*c*d*")
def test_wildcards_match_as_fnmatch_does(terms: list[str], pattern: str) -> None:
    expected = [term for term in terms if fnmatch.fnmatchcase(term, pattern)]
    assert Lexicon(terms).matching(pattern, len(terms) + 1) == expected


@given(lexicons, words, st.integers(0, 2), st.integers(0, 3))
@example(["ab", "abc", "ba", "bca"], "abc", 1, 0)  # A swap of neighbours is one edit, as Whoosh counted.
def test_fuzzy_words_match_terms_within_their_edit_distance(
    terms: list[str], word: str, edits: int, prefix: int
) -> None:
    expected = [t for t in terms if t.startswith(word[:prefix]) and edit_distance(t, word) <= edits]
    assert Lexicon(terms).near(word, edits, prefix, len(terms) + 1) == expected


@given(lexicons, words, st.one_of(st.none(), words), st.one_of(st.none(), words), st.booleans(), st.booleans())
def test_prefixes_and_ranges_match_plain_scans(
    terms: list[str], prefix: str, start: str | None, end: str | None, startexcl: bool, endexcl: bool
) -> None:
    lexicon = Lexicon(terms)
    assert lexicon.between(*lexicon.prefixed(prefix)) == [t for t in terms if t.startswith(prefix)]
    expected = [
        t
        for t in terms
        if (start is None or (t > start if startexcl else t >= start))
        and (end is None or (t < end if endexcl else t <= end))
    ]
    assert lexicon.between(*lexicon.in_range(start, end, startexcl, endexcl)) == expected


def test_the_lexicon_read_from_the_terms_file_is_whooshs(archive: Archive) -> None:
    archive.search(SearchRequest("*"))
    searcher = archive._searcher  # noqa: SLF001 - comparing the engine's fast read with Whoosh's own
    assert searcher is not None
    for field in ["title", "body", "source", "person", "date"]:
        expected = sorted({t.decode() for r, _ in searcher.masks.leaves for t in r.lexicon(field)})
        assert list(searcher.masks.lexicon(field)) == expected, field


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def test_dates_before_year_one_or_after_9999_are_errors() -> None:
    for text in ["date:0000", "date:<0001", "date:>9999", "date:10000"]:
        with pytest.raises(QuerySyntaxError):
            parse_query(text, SCHEMA, ["en"])
    assert parse_query("date:9999-12", SCHEMA, ["en"]).enddate.date() == dt.date(9999, 12, 31)
