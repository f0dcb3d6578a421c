"""Facet counting by bitmaps of frequent values, by pairs and by slices: always the same counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import Archive, Filters, SearchRequest, SortOrder
from index.models import ENTITY_FACETS
from index.storage import facet_counts
from index.storage import searcher as searcher_module
from index.storage.columns import NO_DATE, Columns
from index.storage.facet_counts import FacetCounter


@st.composite
def pairs_and_mask(draw: st.DrawFn, min_docs: int = 0) -> tuple[np.ndarray, np.ndarray, int, int, np.ndarray]:
    """Pairs sorted by document (some documents without any, some values frequent), and a mask."""
    doc_count = draw(st.integers(min_docs, 300))
    values = draw(st.integers(1, 40))
    per_doc = draw(st.lists(st.lists(st.integers(0, values - 1), max_size=5, unique=True),
                            min_size=doc_count, max_size=doc_count))
    docs = np.array([d for d, held in enumerate(per_doc) for _ in held], dtype=np.int32)
    codes = np.array([code for held in per_doc for code in held], dtype=np.int32)
    mask = np.array(draw(st.lists(st.booleans(), min_size=doc_count, max_size=doc_count)), dtype=bool)
    return docs, codes, values, doc_count, mask


def expected(docs: np.ndarray, codes: np.ndarray, values: int, mask: np.ndarray) -> np.ndarray:
    return np.bincount(codes[mask[docs]], minlength=values) if docs.size else np.zeros(values, dtype=np.int64)


def counts_every_way(counter: FacetCounter, mask: np.ndarray) -> list[np.ndarray]:
    found = []
    for sparse in (10**9, 0):  # over every pair and bitmap; by each document's slice
        with mock.patch.object(facet_counts, "SLICED_PAIR_COST", sparse):
            found.append(counter.count(mask, int(mask.sum())))
    return found


@settings(max_examples=150, deadline=None)
@given(pairs_and_mask(), st.sampled_from([0.0, 0.02, 2.0]), st.integers(1, 40))
def test_counts_are_the_same_by_bitmaps_pairs_and_slices(case, share: float, bitmaps: int) -> None:
    docs, codes, values, doc_count, mask = case
    with mock.patch.object(facet_counts, "BITMAP_SHARE", share), mock.patch.object(
        facet_counts, "BITMAPS_PER_FACET", bitmaps
    ), mock.patch.object(facet_counts, "_ROWS_AT_ONCE", 3):  # bitmaps made a few rows at a time
        counter = FacetCounter(docs, codes, values, doc_count)
    for counts in counts_every_way(counter, mask):
        assert counts.tolist() == expected(docs, codes, values, mask).tolist()


def later_generation(data: st.DataObject, docs: np.ndarray, codes: np.ndarray, values: int, doc_count: int):
    """Pairs that keep a generation's first documents (one pair of them recoded, maybe), drop the
    rest and add others; with maybe fewer or more values."""
    kept = data.draw(st.integers(0, doc_count))
    tail_docs, tail_codes, tail_values, tail_count, _ = data.draw(pairs_and_mask())
    new_docs = np.concatenate([docs[docs < kept], tail_docs + kept]).astype(np.int32)
    new_codes = np.concatenate([codes[docs < kept], tail_codes]).astype(np.int32)
    new_values = max(values, tail_values) + data.draw(st.integers(-2, 2))
    new_values = max(new_values, 1)
    new_codes %= new_values  # fewer values: pairs of one document may now repeat a value...
    unique = np.unique(np.stack([new_docs, new_codes]), axis=1)  # ...which no generation holds
    new_docs, new_codes = unique[0].astype(np.int32), unique[1].astype(np.int32)
    if new_codes.size and data.draw(st.booleans()):
        new_codes[data.draw(st.integers(0, new_codes.size - 1))] = new_values  # a pair now names a new value
        new_values += 1
    return new_docs, new_codes, new_values, kept + tail_count


@settings(max_examples=150, deadline=None)
@given(pairs_and_mask(min_docs=1), st.data())
def test_following_generations_count_as_ones_counted_afresh(old, data) -> None:
    """A counter that follows three later generations, each from the one before."""
    docs, codes, values, doc_count, _ = old
    with mock.patch.object(facet_counts, "BITMAP_SHARE", 0.0), mock.patch.object(facet_counts, "_ROWS_AT_ONCE", 3):
        counter = FacetCounter(docs, codes, values, doc_count)
        counter.count(np.ones(doc_count, dtype=bool), doc_count)  # its bitmaps made, to be followed
        for _ in range(3):
            docs, codes, values, doc_count = later_generation(data, docs, codes, values, doc_count)
            counter = counter.following(FacetCounter(docs, codes, values, doc_count))
            mask = np.array(data.draw(st.lists(st.booleans(), min_size=doc_count, max_size=doc_count)), dtype=bool)
            for counts in counts_every_way(counter, mask):
                assert counts.tolist() == expected(docs, codes, values, mask).tolist()


def test_a_following_counter_keeps_the_shared_documents_bitmaps_until_the_archive_doubles() -> None:
    docs = np.repeat(np.arange(1000, dtype=np.int32), 2)
    codes = np.tile(np.array([0, 1], dtype=np.int32), 1000)
    previous = FacetCounter(docs, codes, 2, 1000)
    assert previous.count(np.zeros(1000, dtype=bool), 0).tolist() == [0, 0]  # few: no bitmaps made
    assert previous._dense is None  # noqa: SLF001
    assert previous.count(np.ones(1000, dtype=bool), 1000).tolist() == [1000, 1000]
    grown = FacetCounter(np.append(docs, [1000, 1000]), np.append(codes, [1, 2]), 3, 1001)
    grown = previous.following(grown)
    assert grown._dense is not None and grown._dense.bitmaps is not previous._dense.bitmaps  # noqa: SLF001
    assert grown.count(np.ones(1001, dtype=bool), 1001).tolist() == [1000, 1001, 1]
    doubled = FacetCounter(np.arange(2001, dtype=np.int32), np.full(2001, 2, dtype=np.int32), 3, 2001)
    assert grown.following(doubled)._dense is None  # chosen again, at its first count over many  # noqa: SLF001


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-1, 5), max_size=200), st.lists(st.integers(-1, 5), max_size=200), st.data())
def test_a_column_counts_its_values_and_follows_a_changed_column(column, changed, data) -> None:
    old = np.array(column, dtype=np.int64)
    new = np.array(changed, dtype=np.int64)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=new.size, max_size=new.size)), dtype=bool)
    with mock.patch.object(facet_counts, "BITMAP_SHARE", 0.0):
        previous = FacetCounter.of_column(old, 6)
        previous.count(np.ones(old.size, dtype=bool), old.size)
        following = previous.following(FacetCounter.of_column(new, 6))
    for counts in counts_every_way(following, mask):
        assert counts.tolist() == np.bincount(new[mask & (new >= 0)], minlength=6).tolist()


@pytest.fixture()
def generated(tmp_path: Path) -> Archive:
    from bench.generate import generate

    generate(tmp_path / "news", 120, seed=5)
    archive = Archive(tmp_path / "news", data=tmp_path / "data")
    archive.update(workers=1)
    yield archive
    archive.close()


def requests(archive: Archive) -> list[SearchRequest]:
    everything = archive.search(SearchRequest("*"))
    facets, newest = everything.facets, everything.hits[0].date
    source, person = facets["source"].values[0].value, facets["person"].values[0].value
    return [
        SearchRequest("*"),
        SearchRequest("*", sort=SortOrder.OLDEST),
        SearchRequest("the OR de", sort=SortOrder.NEWEST, page=2, page_size=7),
        SearchRequest("Baku"),
        SearchRequest("*", filters=Filters(sources=(source,)), sort=SortOrder.NEWEST),
        SearchRequest("*", filters=Filters(entities=(("person", person),))),
        SearchRequest(f"date:{newest:%Y-%m}"),  # a timeline by day
        SearchRequest("date:[2001 TO 2004]"),  # by month
        SearchRequest("*", filters=Filters(date_from=dt.date(2001, 1, 1), date_to=dt.date(2004, 12, 31))),
        SearchRequest("*", filters=Filters(undated=True)),
    ]


def test_searches_answer_the_same_whichever_way_they_count_and_order(
    generated: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bitmaps or pairs, the archive's date order or a sort of the hits, a timeline from the month
    counts or from the days: one answer."""
    by_slices = {"BITMAP_SHARE": 2.0, "SLICED_PAIR_COST": 10**9, "SORTED_ALONE_BELOW": 10**9}
    by_pairs = {"BITMAP_SHARE": 2.0, "SLICED_PAIR_COST": 0, "SORTED_ALONE_BELOW": 0}
    by_bitmaps = {"BITMAP_SHARE": 0.0, "SLICED_PAIR_COST": 0, "SORTED_ALONE_BELOW": 0}
    answers = []
    for settings_ in (by_slices, by_pairs, by_bitmaps):
        for name, value in settings_.items():
            module = searcher_module if name == "SORTED_ALONE_BELOW" else facet_counts
            monkeypatch.setattr(module, name, value)
        generated.close()  # counters are made afresh under the new settings
        answers.append([generated.search(request) for request in requests(generated)])
    for by_slice, *others in zip(*answers, strict=True):
        for other in others:
            assert other.facets == by_slice.facets
            assert other.timeline == by_slice.timeline
            assert [hit.id for hit in other.hits] == [hit.id for hit in by_slice.hits]
    assert {answer.timeline.unit for answer in answers[0]} == {"day", "month", "year"}


def reference_timeline(days: np.ndarray) -> tuple[str, list[tuple[str, int]]]:
    """The timeline of these days, counted as plainly as can be: by day within 92 days, by month
    within eight years, else by year, from the first to the last."""
    dates = sorted(dt.date(1970, 1, 1) + dt.timedelta(days=int(day)) for day in days)
    span = (dates[-1] - dates[0]).days
    if span <= 92:
        unit, label = "day", dt.date.isoformat
    elif span <= 366 * 8:
        unit, label = "month", lambda date: f"{date:%Y-%m}"
    else:
        unit, label = "year", lambda date: f"{date:%Y}"
    counted: dict[str, int] = {}
    date = dates[0]
    while date <= dates[-1]:
        counted.setdefault(label(date), 0)
        date += dt.timedelta(days=1)
    for date in dates:
        counted[label(date)] += 1
    return unit, list(counted.items())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40 * 366), min_size=1, max_size=40), st.integers(0, 3), st.data())
def test_the_timeline_from_month_counts_is_the_plain_one(spread: list[int], undated: int, data) -> None:
    """Dates around the units' limits (92 days, eight years) and far apart, some undated."""
    start = data.draw(st.integers(9000, 20000))
    scale = data.draw(st.sampled_from([1, 30, 200]))
    days = np.array([start + value // scale for value in spread] + [NO_DATE] * undated, dtype=np.int32)
    columns = Columns(
        1, [f"{n:x}" for n in range(days.size)], np.ones(days.size, dtype=bool), days,
        np.full(days.size, -1, dtype=np.int32), np.zeros(days.size, dtype=np.int32), [], ["en"],
        np.ones(days.size, dtype=np.int32), np.ones(days.size, dtype=np.int32),
        {facet: [] for facet in ENTITY_FACETS}, {facet: np.zeros(0, dtype=np.int32) for facet in ENTITY_FACETS},
        {facet: np.zeros(0, dtype=np.int32) for facet in ENTITY_FACETS}, {},
    )
    searcher = searcher_module.ArchiveSearcher.__new__(searcher_module.ArchiveSearcher)
    searcher.columns, searcher.derived = columns, searcher_module._DerivedColumns(columns)  # noqa: SLF001
    everything = np.ones(days.size, dtype=bool)
    counts = {name: searcher._counts(name, everything) for name in ("year", "month")}  # noqa: SLF001
    timeline = searcher._timeline(everything, counts)  # noqa: SLF001
    assert (timeline.unit, [(b.label, b.count) for b in timeline.buckets]) == reference_timeline(days[days != NO_DATE])
    assert timeline.undated == undated


def test_a_searcher_following_an_update_counts_as_one_opened_afresh(generated: Archive) -> None:
    for request in requests(generated):
        generated.search(request)  # every counter and date order made for this generation
    files = sorted(generated.root.rglob("*.txt"))
    files[3].unlink()
    files[50].write_text(files[50].read_text("utf-8") + "\nAliyev met Putin in Baku.\n", "utf-8")
    (generated.root / "added.txt").write_text("date 1994-05-06\nAzernews\n\nPutin and Aliyev met in Baku.\n")
    generated.update(workers=1)
    followed = [generated.search(request) for request in requests(generated)]
    fresh = Archive(generated.root, data=generated.data)
    try:
        for request, following in zip(requests(fresh), followed, strict=True):
            afresh = fresh.search(request)
            assert (following.total, following.facets, following.timeline) == (
                afresh.total, afresh.facets, afresh.timeline), request
    finally:
        fresh.close()


def test_searches_prepared_ahead_make_no_bitmaps_and_count_the_same(generated: Archive) -> None:
    """What the app asks for once it shows first results: the first search over many documents
    then makes nothing, and counts as one that made its bitmaps itself."""
    request = SearchRequest("Baku OR the")
    made = mock.patch.object(facet_counts._DenseCounts, "of", wraps=facet_counts._DenseCounts.of)  # noqa: SLF001
    with made as making:
        unprepared = generated.search(request)
    assert making.call_count > 0  # the request does count by bitmaps
    prepared = Archive(generated.root, data=generated.data)
    try:
        prepared.prepare_searches()
        with made as making:
            result = prepared.search(request)
        assert making.call_count == 0
        assert (result.total, result.facets, result.timeline) == (
            unprepared.total, unprepared.facets, unprepared.timeline)
    finally:
        prepared.close()


@given(st.lists(st.integers(0, 6), max_size=80), st.integers(0, 90))
def test_the_most_counted_values_are_a_stable_sorts_first_ones(counts: list[int], limit: int) -> None:
    """Many equal counts, as facets have: the values shown are the ones a stable sort puts first."""
    array = np.array(counts, dtype=np.int64)
    expected = [i for i in np.argsort(-array, kind="stable")[:limit] if array[i]]
    assert searcher_module._most_counted(array, limit).tolist() == expected  # noqa: SLF001


def test_each_count_takes_the_way_that_costs_less() -> None:
    """An entity facet of six pairs a document, each of its twenty values in many documents
    (bitmaps for all): thirty matches are counted by their slices, 5 % of the documents by the
    bitmaps (gathering 30,000 pairs costs more); a rare word's count makes no totals."""
    doc_count = 100_000
    docs = np.repeat(np.arange(doc_count, dtype=np.int32), 6)
    codes = ((docs.astype(np.int64) * 7 + np.tile(np.arange(6), doc_count)) % 20).astype(np.int32)
    counter = FacetCounter(docs, codes, 20, doc_count)
    few, many = np.zeros(doc_count, dtype=bool), np.zeros(doc_count, dtype=bool)
    few[:30] = True
    many[::20] = True
    with mock.patch.object(FacetCounter, "_codes_of", wraps=counter._codes_of) as by_slices:  # noqa: SLF001
        assert counter.count(few, 30).tolist() == expected(docs, codes, 20, few).tolist()
        assert by_slices.call_count == 1 and counter._totals is None  # noqa: SLF001
        assert counter.count(many, int(many.sum())).tolist() == expected(docs, codes, 20, many).tolist()
        assert by_slices.call_count == 1 and counter._dense is not None  # noqa: SLF001
