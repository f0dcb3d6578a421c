"""Match sets and ranking computed from posting blocks agree with Whoosh's own answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import scoring
from whoosh.searching import Searcher

from index import Archive, SearchRequest
from index.storage import docsets

QUERIES = [
    "Vietnam",
    "Vietnam Azerbaijan",
    "Vietnam OR Baku",
    "Vietnam -Trend",
    '"Ho Chi Minh"',
    "Azerb*",
    "Aliev~",
    "source:Trend OR language:fr",
    "(Hanoi OR Baku) -Asadov",
    "title:Vietnam",
    "nothingmatches",
]


@pytest.mark.parametrize("query", QUERIES)
def test_masks_match_whoosh(seeds_archive: Archive, query: str) -> None:
    seeds_archive.search(SearchRequest("*"))
    searcher = seeds_archive._searcher  # noqa: SLF001 - comparing the engine's internals with Whoosh's
    assert searcher is not None
    from index.storage.query import parse_query

    q = parse_query(query, searcher.schema, searcher.languages())
    expected = np.zeros(len(searcher.columns.alive), dtype=bool)
    expected[list(searcher.searcher.docs_for_query(q))] = True
    assert np.array_equal(searcher.masks.mask(q), expected & searcher.columns.alive)


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [("date:[2019 to 2022]", "2019-01-01", "2022-12-31"), ("date:2025-05", "2025-05-01", "2025-05-31")],
)
def test_date_queries_match_the_articles_dates(seeds_archive: Archive, query: str, first: str, last: str) -> None:
    # Whoosh does not index dates (they are answered from the day column), so compare with the articles.
    seeds_archive.search(SearchRequest("*"))
    searcher = seeds_archive._searcher  # noqa: SLF001
    assert searcher is not None
    from index.storage.query import parse_query

    mask = searcher.masks.mask(parse_query(query, searcher.schema, searcher.languages()))
    dates = [seeds_archive.article(article_id).date for article_id in searcher.columns.ids]
    expected = [d is not None and first <= d.isoformat() <= last for d in dates]
    assert mask.tolist() == expected and any(expected)


@pytest.mark.parametrize("query", ["Vietnam", "Hanoi", "Asadov Lam", "relations", "cooperation"])
def test_ranking_matches_whoosh_bm25(seeds_archive: Archive, query: str) -> None:
    ours = [h.id for h in seeds_archive.search(SearchRequest(query)).hits]
    searcher = seeds_archive._searcher  # noqa: SLF001
    assert searcher is not None
    from index.storage.query import parse_query

    q = parse_query(query, searcher.schema, searcher.languages())
    with Searcher(searcher.searcher.reader(), weighting=scoring.BM25F(), closereader=False) as whoosh_searcher:
        theirs = [searcher.columns.ids[hit.docnum] for hit in whoosh_searcher.search(q, limit=None)]
    assert ours[0] == theirs[0]
    assert set(ours) == set(theirs)


@pytest.mark.parametrize("word", ["vietnam", "hanoi", "cooper"])
def test_a_terms_scores_are_bm25_of_its_postings(seeds_archive: Archive, word: str) -> None:
    """Scores made from each document's length term (kept per field) are BM25's, from the lengths."""
    seeds_archive.search(SearchRequest("*"))
    searcher = seeds_archive._searcher  # noqa: SLF001
    assert searcher is not None
    checked = 0
    for fieldname in ("title", "body"):
        postings = searcher.masks.postings(fieldname, word.encode())
        if not postings.ids.size:
            continue
        checked += postings.ids.size
        lengths = searcher.derived.lengths[fieldname][postings.ids].astype(np.float64)
        average = searcher.derived.average_length[fieldname]
        idf = np.log(searcher.derived.live_count / (postings.ids.size + 1)) + 1
        tf = postings.weights.astype(np.float64)
        expected = idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * lengths / average))
        found = searcher._term_scores(fieldname, postings)  # noqa: SLF001
        assert found.dtype == np.float32
        np.testing.assert_allclose(found, expected, rtol=1e-5)
    assert checked > 1


def test_cached_phrase_answers_follow_index_changes(seeds_archive: Archive, seeds_copy: Path) -> None:
    phrase = SearchRequest('"Ho Chi Minh"')
    assert seeds_archive.search(phrase).total == seeds_archive.search(phrase).total == 5
    (seeds_copy / "extra.txt").write_text("A bust of Ho Chi Minh was unveiled in Baku today.")
    seeds_archive.update()
    assert seeds_archive.search(phrase).total == 6


@pytest.mark.parametrize("first_read", [9, 4096])  # 9 bytes: read again and again, ending mid-entry
def test_patterns_expand_from_the_segments_terms_as_from_the_whole_lexicon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_read: int
) -> None:
    """A pattern starting with letters reads only the terms starting with them in each segment
    (segments added by three runs); it matches what Whoosh and the whole lexicon make of it."""
    monkeypatch.setattr(docsets, "_PREFIX_READ", first_read)
    root = tmp_path / "news"
    root.mkdir()
    archive = Archive(root, data=tmp_path / "data")
    words = ["Hanoi", "Hà Nội", "Ministry", "ministers", "Вьетнам", "Baku", "bakers", "hàng"]
    for run in range(3):
        for number, word in enumerate(words):
            (root / f"{run}-{number}.txt").write_text(f"date 2024-0{run + 1}-05\n\n{word} report {run}.\n")
        archive.update(workers=1)
    archive.search(SearchRequest("*"))
    searcher = archive._searcher  # noqa: SLF001
    assert searcher is not None and len(searcher.masks.leaves) == 3
    from index.storage.query import parse_query

    def whoosh_mask(q: object) -> np.ndarray:
        expected = np.zeros(len(searcher.columns.alive), dtype=bool)
        expected[list(searcher.searcher.docs_for_query(q))] = True
        return expected & searcher.columns.alive

    by_prefix = ["minist*", "hà*", "ha*", "bak?r*", "вьет*", "zz*"]
    whole = ["h*", "b?ker*", "Baku~", "bakr~"]  # one letter before the pattern: the whole lexicon is read
    found = {}
    for pattern in by_prefix + whole:
        q = parse_query(pattern, searcher.schema, searcher.languages())
        found[pattern] = searcher.masks.mask(q)
        assert ("body" in searcher.masks._lexicons) == (pattern in whole), pattern  # noqa: SLF001
        assert np.array_equal(found[pattern], whoosh_mask(q)), pattern
    assert found["minist*"].sum() == 6 and found["hà*"].sum() >= 6 and not found["zz*"].any()
    archive.close()
