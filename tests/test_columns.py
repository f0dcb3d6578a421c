"""Facet columns extended in place after an update or a correction agree with columns built afresh."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.writing import SegmentWriter

from index import Archive, Filters, SearchRequest
from index.storage import commits, facet_counts
from index.storage import searcher as searcher_module
from index.storage.columns import (
    Columns,
    build_columns,
    columns_generation,
    extended_columns,
    load_columns,
    save_columns,
)
from index.storage.commits import columns_for, committed_files, committed_generation
from index.storage.layout import COLUMNS_FILE, STORE_FILE
from index.storage.store import ArticleStore


def article(date: str, source: str, text: str) -> str:
    return f"Date: {date}\nSource: {source}\nTitle: {text.split('.')[0]}\n\n{text}\n"


def by_article(columns: Columns) -> dict[str, tuple[object, ...]]:
    """What the columns say of each live article, by id, whatever its document number."""
    described = {}
    for docnum in map(int, columns.alive.nonzero()[0]):
        source, language = int(columns.source[docnum]), int(columns.language[docnum])
        entities = {
            facet: sorted(
                columns.entity_names[facet][code]
                for code in columns.entity_codes[facet][columns.entity_docs[facet] == docnum]
            )
            for facet in columns.entity_names
        }
        described[columns.ids[docnum]] = (
            columns.date_of(docnum),
            columns.sources[source] if source >= 0 else None,
            columns.languages[language],
            int(columns.title_terms[docnum]),
            int(columns.body_terms[docnum]),
            entities,
        )
    return described


def test_columns_extended_after_each_change_match_columns_built_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commits, "TINY_SEGMENT_DOCS", 0)  # no merges: every commit keeps the segments before it
    root = tmp_path / "news"
    root.mkdir()
    for number in range(6):
        (root / f"{number}.txt").write_text(
            article(f"2024-0{number + 1}-02", "Azertac", f"Report {number} from Baku. Ilham Aliyev met To Lam.")
        )
    archive = Archive(root)
    archive.update()
    extended: list[int] = []

    def extending(kept: Columns, kept_docs: int, dead: object, added: Columns) -> Columns:
        extended.append(kept_docs)
        return extended_columns(kept, kept_docs, dead, added)  # type: ignore[arg-type]

    monkeypatch.setattr(commits, "extended_columns", extending)
    by_query: list[str] = []
    original_delete, original_update = SegmentWriter.delete_by_query, SegmentWriter.update_document
    monkeypatch.setattr(
        SegmentWriter, "delete_by_query", lambda w, q, *a: by_query.append("delete") or original_delete(w, q, *a)
    )
    monkeypatch.setattr(
        SegmentWriter, "update_document", lambda w, **f: by_query.append("update") or original_update(w, **f)
    )

    def check() -> None:
        store = ArticleStore(archive.index_dir / STORE_FILE)
        try:
            generation = committed_generation(store)
            assert generation is not None
            afresh = columns_for(archive.index_dir, store, generation, committed_files(store))
            stored = store.ids()
        finally:
            store.close()
        written = load_columns(archive.index_dir / COLUMNS_FILE)
        assert written is not None and written.generation == afresh.generation
        assert by_article(written) == by_article(afresh)
        # Each stored article once in the index, its old version gone: deleted by the right number.
        assert sorted(by_article(written)) == sorted(stored)

    edited = article("2024-03-05", "VNA", "Report two, corrected, from Hanoi. Pham Minh Chinh spoke.")
    (root / "2.txt").write_text(edited)
    archive.update()
    check()
    hit = archive.search(SearchRequest("Report 4")).hits[0]
    archive.correct(hit.id, "date", "1999-12-31")
    archive.correct(hit.id, "source", "Trend")
    check()
    (root / "5.txt").unlink()
    (root / "new.txt").write_text(article("2025-01-01", "Le Monde", "Un reportage de Paris. Emmanuel Macron a parlé."))
    archive.update()
    check()
    assert archive.search(SearchRequest("*")).facets["source"].values
    assert len(extended) >= 4 and all(kept_docs >= 6 for kept_docs in extended)  # read only what changed
    assert by_query == []  # every replaced article deleted by its number, none searched for by its id


@given(
    st.lists(
        st.tuples(st.booleans(), st.text(), st.text(), st.lists(st.text(), max_size=3)),
        max_size=12,
    )
)
def test_columns_survive_their_file_whatever_the_names(articles: list[tuple[bool, str, str, list[str]]]) -> None:
    rows = [
        (f"{number:016x}", "2024-02-29" if dated else None, source, "en", 1, number, json.dumps({"person": people}))
        for number, (dated, source, _, people) in enumerate(articles)
    ]
    docnums = {row[0]: number * 2 for number, row in enumerate(rows)}  # every other number deleted
    columns = build_columns(7, {"a.seg": 10}, docnums, 2 * len(rows), rows, (("a", 2 * len(rows)),))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / COLUMNS_FILE
        save_columns(columns, path)
        loaded = load_columns(path)
        assert loaded is not None and by_article(loaded) == by_article(columns)
        assert (loaded.ids, loaded.segments, loaded.files) == (columns.ids, columns.segments, columns.files)
        assert columns_generation(path) == 7
        path.write_bytes(path.read_bytes()[:-1])
        assert load_columns(path) is None  # cut short: built again, never read wrong
        assert columns_generation(path) is None


def test_entity_facets_of_few_matches_count_as_over_every_pair(seeds_archive: Archive, monkeypatch) -> None:
    for query in ("Baku", "Aliyev OR Hanoi", "*"):
        monkeypatch.setattr(facet_counts, "SLICED_PAIR_COST", 0)  # always by each match's slice
        sparse = seeds_archive.search(SearchRequest(query)).facets
        monkeypatch.setattr(facet_counts, "SLICED_PAIR_COST", 10**9)  # always over every pair
        dense = seeds_archive.search(SearchRequest(query)).facets
        assert sparse == dense and sparse["person"].values, query


def test_a_searcher_follows_an_archive_from_empty_to_edited_and_finds_like_articles_once(tmp_path: Path) -> None:
    """Refreshing reused the readers of the segments it had: an empty index has none (it crashed),
    and a reused reader kept its old deletions (a replaced article came back in "more like")."""
    root = tmp_path / "news"
    root.mkdir()
    archive = Archive(root)
    archive.update()
    assert archive.search(SearchRequest("*")).total == 0
    for number in range(4):
        (root / f"{number}.txt").write_text(
            article("2024-01-02", "Azertac", f"Ferry report {number}. The Baku ferry to Turkmenbashi sailed late.")
        )
    archive.update()
    assert archive.search(SearchRequest("ferry")).total == 4
    first = archive.search(SearchRequest("ferry")).hits[0].id
    archive.more_like(first)
    (root / "3.txt").write_text(article("2024-01-03", "Azertac", "Ferry report three, redone. The Baku ferry sailed."))
    archive.update()
    like = [hit.id for hit in archive.more_like(first)]
    assert len(like) == len(set(like)) == 3
    assert archive.search(SearchRequest("ferry")).total == 4


def test_a_small_update_is_one_commit(tmp_path: Path) -> None:
    """Files few enough to be read in this process make one commit, not one per worker there
    would have been (each commit writes a segment, the columns and a generation)."""
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(12):
        (root / f"{number}.txt").write_text(article("2024-03-05", "VNA", f"Report {number} from Hanoi."))
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=2)
    store = ArticleStore(archive.index_dir / STORE_FILE)
    before = committed_generation(store)
    for number in range(6):
        (root / f"{number}.txt").write_text(article("2024-03-06", "VNA", f"Report {number}, corrected."))
    archive.update(workers=2)
    after = committed_generation(store)
    store.close()
    archive.close()
    assert before is not None and after == before + 1


def test_an_update_reads_the_facet_columns_once_at_most(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """17 MB at 100k articles: the run's start checks their generation only; its commits and its end
    share one reading."""
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(8):
        (root / f"{number}.txt").write_text(article("2024-03-05", "VNA", f"Report {number} from Hanoi."))
    archive = Archive(root, data=tmp_path / "data")
    archive.update()
    reads: list[Path] = []
    monkeypatch.setattr(commits, "load_columns", lambda path: reads.append(path) or load_columns(path))
    (root / "2.txt").write_text(article("2024-03-06", "VNA", "Report two, corrected."))
    archive.update()
    assert archive.search(SearchRequest("corrected")).total == 1
    archive.close()
    assert len(reads) == 1


def test_facets_of_most_documents_counted_over_the_others_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.generate import generate

    root = tmp_path / "news"
    generate(root, 80, seed=11)
    archive = Archive(root)
    archive.update(workers=1)
    files = sorted(root.rglob("*.txt"))
    files[0].unlink()  # deleted documents are among "the others"
    files[1].write_text(files[1].read_text("utf-8") + "\nAn added line about Baku.\n", "utf-8")
    archive.update(workers=1)
    source = archive.search(SearchRequest("*")).facets["source"].values[0].value
    requests = [SearchRequest("*"), SearchRequest("the OR de OR la"), SearchRequest("Baku"),
                SearchRequest("*", filters=Filters(sources=(source,))),
                SearchRequest("*", filters=Filters(date_from=dt.date(2000, 1, 1)))]
    for request in requests:
        monkeypatch.setattr(searcher_module, "COUNTED_BY_THE_OTHERS_ABOVE", 2.0)  # never
        direct = archive.search(request)
        monkeypatch.setattr(searcher_module, "COUNTED_BY_THE_OTHERS_ABOVE", -1.0)  # always
        by_the_others = archive.search(request)
        assert by_the_others.facets == direct.facets and direct.facets["year"].values, request
        assert by_the_others.timeline == direct.timeline
    archive.close()
