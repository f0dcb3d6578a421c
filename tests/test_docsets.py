"""Match sets and ranking computed from posting blocks agree with Whoosh's own answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import scoring
from whoosh.searching import Searcher

from index import Archive, SearchRequest

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


def test_cached_phrase_answers_follow_index_changes(seeds_archive: Archive, seeds_copy: Path) -> None:
    phrase = SearchRequest('"Ho Chi Minh"')
    assert seeds_archive.search(phrase).total == seeds_archive.search(phrase).total == 5
    (seeds_copy / "extra.txt").write_text("A bust of Ho Chi Minh was unveiled in Baku today.")
    seeds_archive.update()
    assert seeds_archive.search(phrase).total == 6
