"""Indexing an archive and searching it, as a user of the engine sees it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from whoosh import index as whoosh_index

from index import Archive, Filters, Provenance, QuerySyntaxError, SearchRequest, Snippet, SortOrder
from index.analysis import terms as terms_module
from index.analysis.terms import term_spans
from index.indexing import indexer as indexer_module
from index.storage import commits as commits_module
from index.storage import frequent as frequent_module
from index.storage import schema as schema_module
from index.storage import searcher as searcher_module
from index.storage.layout import COLUMNS_FILE, WHOOSH_DIR
from index.storage.searcher import make_snippet

from .conftest import DATA


def numbered_articles(tmp_path: Path, count: int, text: Callable[[int], str]) -> Path:
    """A folder of ``count`` one-article files, ``000.txt`` onwards, file ``i`` holding ``text(i)``."""
    root = tmp_path / "many"
    root.mkdir()
    for i in range(count):
        (root / f"{i:03d}.txt").write_text(text(i))
    return root


def dated_ferry_report(i: int) -> str:
    return f"date 2020-02-{i % 28 + 1:02d}\n\nReport {i} on the Caspian ferry."


def titles(archive: Archive, query: str, **kwargs: object) -> list[str]:
    return [h.path[:3] for h in archive.search(SearchRequest(query, **kwargs)).hits]  # type: ignore[arg-type]


def test_accent_folding_and_stemming_across_languages(seeds_archive: Archive) -> None:
    assert "003" in titles(seeds_archive, "Hanoi")
    assert titles(seeds_archive, "Azerbaidjan", spellings=False) == ["003"]  # as typed: the accent folded
    assert len(titles(seeds_archive, "Azerbaidjan")) == 5  # and as the name of Azerbaijan, in every spelling
    # The French stem finds "diplomatie"; the English one finds "diplomatic" too, ranked below.
    assert titles(seeds_archive, "diplomatique")[0] == "003"
    assert sorted(titles(seeds_archive, "Nguyen")) == ["004"]  # The French footer's "Nguyễn" is debris, not text.


def test_query_operators(seeds_archive: Archive) -> None:
    assert sorted(titles(seeds_archive, '"Ilham Aliyev"')) == ["001", "002", "004"]
    assert "001" in titles(seeds_archive, '"President Aliyev"~2')
    assert "001" not in titles(seeds_archive, '"President Aliyev"')
    assert sorted(titles(seeds_archive, "Hanoi -Trend")) == ["003", "004"]
    assert sorted(titles(seeds_archive, "Asadov OR Mammadov")) == ["000", "002"]
    assert sorted(titles(seeds_archive, "Procura*")) == ["004"]
    assert sorted(titles(seeds_archive, "Asadof~")) == ["002"]
    assert sorted(titles(seeds_archive, "source:Trend OR source:News.Az")) == ["002", "004"]
    assert sorted(titles(seeds_archive, "language:fr")) == ["003"]
    assert sorted(titles(seeds_archive, "date:[2019 to 2022]")) == ["000", "003"]
    assert sorted(titles(seeds_archive, "date:2025-05")) == ["001", "002"]
    assert seeds_archive.search(SearchRequest("*")).total == 5
    assert seeds_archive.search(SearchRequest("")).total == 5
    with pytest.raises(QuerySyntaxError):
        seeds_archive.search(SearchRequest("(Hanoi"))


def test_facet_counts_follow_the_query_and_filters(seeds_archive: Archive) -> None:
    result = seeds_archive.search(SearchRequest("Vietnam"))
    values = {name: {v.value: v.count for v in facet.values} for name, facet in result.facets.items()}
    assert values["language"] == {"en": 4, "fr": 1}
    assert values["source"] == {"Azernews": 1, "Trend": 1, "VNA/CVN": 1, "News.Az": 1}
    assert values["year"] == {"2019": 1, "2022": 1, "2025": 3}
    filtered = seeds_archive.search(SearchRequest("Vietnam", Filters(languages=("en",))))
    assert filtered.total == 4
    # A facet is counted without its own filter, so the other languages stay choosable...
    assert {v.value: v.count for v in filtered.facets["language"].values} == {"en": 4, "fr": 1}
    # ...while the other facets follow it.
    assert {v.value: v.count for v in filtered.facets["year"].values} == {"2022": 1, "2025": 3}


def test_filters_include_exclude_and_dates(seeds_archive: Archive) -> None:
    def total(filters: Filters) -> int:
        return seeds_archive.search(SearchRequest("*", filters)).total

    assert total(Filters(sources=("Trend", "News.Az"))) == 2
    assert total(Filters(exclude_sources=("Trend",))) == 4
    assert total(Filters(exclude_languages=("en",))) == 1
    assert total(Filters(date_from=dt.date(2025, 1, 1))) == 3
    assert total(Filters(date_from=dt.date(2019, 1, 1), date_to=dt.date(2022, 12, 31))) == 2


def test_sort_by_date(seeds_archive: Archive) -> None:
    newest = seeds_archive.search(SearchRequest("Vietnam", sort=SortOrder.NEWEST)).hits
    assert [h.date for h in newest] == sorted((h.date for h in newest), reverse=True)
    oldest = seeds_archive.search(SearchRequest("Vietnam", sort=SortOrder.OLDEST)).hits
    assert oldest[0].date == dt.date(2019, 3, 12)


def test_hits_carry_metadata_and_snippet_spans(seeds_archive: Archive) -> None:
    hit = seeds_archive.search(SearchRequest("Hanoi language:fr")).hits[0]
    assert (hit.date, hit.date_provenance, hit.source, hit.language) == (
        dt.date(2019, 3, 12),
        Provenance.TEXT,
        "VNA/CVN",
        "fr",
    )
    assert hit.snippet.spans
    assert all(hit.snippet.text[s.start : s.end] == "Hanoï" for s in hit.snippet.spans)


def test_timeline_buckets_and_undated_count(seeds_archive: Archive, seeds_copy: Path) -> None:
    timeline = seeds_archive.search(SearchRequest("*")).timeline
    assert timeline.unit == "month"
    assert sum(b.count for b in timeline.buckets) == 5 and timeline.undated == 0
    assert timeline.buckets[0].label == "2019-03" and timeline.buckets[-1].label == "2025-05"
    days = seeds_archive.search(SearchRequest("date:2025-05")).timeline
    assert days.unit == "day" and [b.label for b in days.buckets if b.count] == ["2025-05-07", "2025-05-08"]
    (seeds_copy / "undated.txt").write_text("Ministers met in Baku to discuss the ferry line across the Caspian.")
    seeds_archive.update()
    assert seeds_archive.search(SearchRequest("*")).timeline.undated == 1


def test_the_timeline_counts_under_every_filter_but_the_date_one(seeds_archive: Archive) -> None:
    import datetime as dt

    from index import Filters

    everything = seeds_archive.search(SearchRequest("*")).timeline
    nothing = Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 1, 31))
    narrowed = seeds_archive.search(SearchRequest("*", filters=nothing))
    assert narrowed.total == 0 and narrowed.timeline == everything  # the period can still be moved
    french = seeds_archive.search(SearchRequest("*", filters=Filters(languages=("fr",), date_from=dt.date(2025, 1, 1))))
    assert sum(b.count for b in french.timeline.buckets) == 1  # the other filters still count


def test_incremental_update(seeds_archive: Archive, seeds_copy: Path) -> None:
    unchanged = seeds_archive.update()
    assert (unchanged.added, unchanged.updated, unchanged.deleted, unchanged.unchanged) == (0, 0, 0, 5)
    edited = next(seeds_copy.glob("002_*.txt"))
    edited.write_text(edited.read_text("utf-8").replace("Asadov", "Zeynalov"), "utf-8")
    (next(seeds_copy.glob("000_*.txt"))).unlink()
    summary = seeds_archive.update()
    assert (summary.added, summary.updated, summary.deleted, summary.unchanged) == (0, 1, 1, 3)
    assert titles(seeds_archive, "Zeynalov") == ["002"]
    assert titles(seeds_archive, "Asadov") == []
    assert titles(seeds_archive, "Mammadov") == []
    assert seeds_archive.search(SearchRequest("*")).total == 4


def test_touched_but_unchanged_file_is_not_reindexed(seeds_archive: Archive, seeds_copy: Path) -> None:
    path = next(seeds_copy.glob("001_*.txt"))
    os.utime(path, (1, 1))
    summary = seeds_archive.update()
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 4)


def test_bad_files_are_reported_while_the_rest_is_indexed(seeds_copy: Path) -> None:
    for name in ("records.jsonl", "records.csv", "records.json"):
        shutil.copy(DATA / name, seeds_copy / name)
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "binary.txt").write_bytes(bytes(range(256)) * 4)
    archive = Archive(seeds_copy)
    summary = archive.update()
    reasons = {s.path: s.reason for s in summary.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "malformed JSON" in reasons["records.jsonl (record 2)"]
    assert summary.added == 5 + 2 + 2 + 3
    assert archive.search(SearchRequest("Turkmenbashi")).total == 1
    # The problems are still reported on a run that reads nothing again.
    again = archive.update()
    assert again.added == 0 and {s.path for s in again.skipped} == set(reasons)


def test_stable_ids_survive_moving_the_archive(seeds_archive: Archive, seeds_copy: Path, tmp_path: Path) -> None:
    before = {h.path: h.id for h in seeds_archive.search(SearchRequest("*")).hits}
    moved = tmp_path / "elsewhere" / "seeds"
    shutil.copytree(seeds_copy, moved)
    archive = Archive(moved)
    archive.update()
    assert {h.path: h.id for h in archive.search(SearchRequest("*")).hits} == before


def test_corrections_survive_reindexing(seeds_archive: Archive, seeds_copy: Path) -> None:
    hit = seeds_archive.search(SearchRequest("Ilham Aliyev To Lam expanded")).hits[0]
    corrected = seeds_archive.correct(hit.id, "source", "Azertac")
    assert (corrected.source, corrected.source_provenance) == ("Azertac", Provenance.USER)
    assert {v.value for v in seeds_archive.search(SearchRequest("*")).facets["source"].values} >= {"Azertac"}
    path = seeds_copy / hit.path
    path.write_text(path.read_text("utf-8") + "\nMore text.", "utf-8")
    seeds_archive.update()
    assert seeds_archive.article(hit.id).source == "Azertac"
    undone = seeds_archive.correct(hit.id, "source", None)
    assert undone.source is None and undone.source_provenance is Provenance.UNKNOWN


def test_schema_version_change_rebuilds(seeds_archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds_archive.close()
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", schema_module.SCHEMA_VERSION + 1)
    summary = seeds_archive.update()
    assert summary.rebuilt and summary.added == 5


def test_cancel_leaves_the_previous_index_usable(seeds_archive: Archive, seeds_copy: Path) -> None:
    for i in range(5):
        (seeds_copy / f"new{i}.txt").write_text(f"Extra article number {i} about the Caspian ferry line.")
    seen: list[str] = []
    summary = seeds_archive.update(
        progress=lambda done, total, path: seen.append(path), should_cancel=lambda: bool(seen)
    )
    assert summary.cancelled
    assert seeds_archive.search(SearchRequest("*")).total == 5
    assert seeds_archive.search(SearchRequest("Caspian")).total == 0
    finished = seeds_archive.update()
    assert finished.added == 5 and seeds_archive.search(SearchRequest("Caspian")).total == 5


def test_parallel_indexing_matches_inline(tmp_path: Path) -> None:
    root = numbered_articles(
        tmp_path,
        indexer_module.INLINE_LIMIT + 6,
        lambda i: f"date 2020-01-{i % 28 + 1:02d}\n\nArticle {i} on trade between Baku and Hanoi.",
    )
    progress: list[int] = []
    archive = Archive(root)
    summary = archive.update(progress=lambda done, total, path: progress.append(done), workers=2)
    assert summary.added == indexer_module.INLINE_LIMIT + 6
    assert progress[-1] == summary.added
    assert archive.search(SearchRequest("Hanoi")).total == summary.added


def test_more_like(seeds_archive: Archive) -> None:
    source = seeds_archive.search(SearchRequest("To Lam Asadov")).hits[0]
    similar = seeds_archive.more_like(source.id, limit=3)
    assert source.id not in {h.id for h in similar}
    assert similar[0].path.startswith("001")  # The other report of To Lam's visit.


def test_hit_spans_for_the_reader(seeds_archive: Archive) -> None:
    hit = seeds_archive.search(SearchRequest("Hanoi")).hits[0]
    article = seeds_archive.article(hit.id)
    spans = seeds_archive.hit_spans(hit.id, "Hanoi")
    assert spans["body"] and all(article.body[s.start : s.end] in ("Hanoi", "Hanoï") for s in spans["body"])


def test_indexing_finishes_when_worker_processes_cannot_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = numbered_articles(
        tmp_path, indexer_module.INLINE_LIMIT + 3, lambda i: f"Article {i} on the ferry between Baku and Turkmenbashi."
    )

    class BrokenPool:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise indexer_module.BrokenProcessPool("no worker could start")

    monkeypatch.setattr(indexer_module, "ProcessPoolExecutor", BrokenPool)
    archive = Archive(root)
    assert archive.update(workers=2).added == indexer_module.INLINE_LIMIT + 3
    assert archive.search(SearchRequest("Turkmenbashi")).total == indexer_module.INLINE_LIMIT + 3


def facet_values(archive: Archive, query: str, facet: str, filters: Filters | None = None) -> dict[str, int]:
    result = archive.search(SearchRequest(query, filters or Filters()))
    return {v.value: v.count for v in result.facets[facet].values}


def test_entity_facets_and_queries_match_any_alias(seeds_archive: Archive) -> None:
    people = facet_values(seeds_archive, "*", "person")
    assert people["To Lam"] == 2 and people["Ho Chi Minh"] == 5 and "Lam" not in people
    assert facet_values(seeds_archive, "*", "place")["Hanoi"] == 3
    assert facet_values(seeds_archive, "*", "org")["Communist Party of Vietnam"] == 3
    assert seeds_archive.search(SearchRequest('person:"To Lam"')).total == 2
    assert seeds_archive.search(SearchRequest("place:Hanoï")).total == 3
    assert seeds_archive.search(SearchRequest("org:CPCV")).total == 3
    assert seeds_archive.search(SearchRequest('org:"Non-Aligned Movement"')).total == 2
    assert seeds_archive.search(SearchRequest("place:Azerbaïdjan language:fr")).total == 1


def test_entity_filters(seeds_archive: Archive) -> None:
    def total(filters: Filters) -> int:
        return seeds_archive.search(SearchRequest("*", filters)).total

    assert total(Filters(entities=(("person", "To Lam"),))) == 2
    assert total(Filters(entities=(("person", "To Lam"), ("person", "Ali Asadov")))) == 1
    assert total(Filters(exclude_entities=(("person", "To Lam"),))) == 3
    # Counted without its own filter, the facet still offers the other people.
    chosen = facet_values(seeds_archive, "*", "person", Filters(entities=(("person", "To Lam"),)))
    assert chosen["Ho Chi Minh"] == 5


def test_entity_mentions_carry_offsets_and_skip_debris(seeds_archive: Archive) -> None:
    hit = seeds_archive.search(SearchRequest("Azerbaidjan")).hits[0]
    body = seeds_archive.article(hit.id).body
    mentions = seeds_archive.entities(hit.id)
    assert ("PLACE", "Azerbaijan", "Azerbaïdjan") in {(m.type, m.canonical, body[m.start : m.end]) for m in mentions}
    assert "Nguyễn Hồng Nga" not in {m.canonical for m in mentions}  # The editor in the contact footer.
    info = seeds_archive.entity("Hanoï")
    assert (info.name, info.type, info.articles) == ("Hanoi", "PLACE", 3)
    assert (info.first_date, info.last_date) == (dt.date(2019, 3, 12), dt.date(2025, 5, 8))
    assert "Hà Nội" in info.aliases


def test_entity_corrections_apply_at_once_and_survive_reindexing(seeds_archive: Archive, seeds_copy: Path) -> None:
    corrections = seeds_archive.entity_corrections
    touched = seeds_archive.set_entity_corrections(
        corrections.merge("PERSON", "Ilham Aliyev", "Heydar Aliyev").delete("ORG", "Central Committee")
    )
    assert touched == 4
    people = facet_values(seeds_archive, "*", "person")
    assert "Ilham Aliyev" not in people and people["Heydar Aliyev"] == 4
    assert "Central Committee" not in facet_values(seeds_archive, "*", "org")
    edited = next(seeds_copy.glob("001_*.txt"))
    edited.write_text(edited.read_text("utf-8") + "\nIlham Aliyev thanked the guests.", "utf-8")
    seeds_archive.update()
    assert "Ilham Aliyev" not in facet_values(seeds_archive, "*", "person")
    reopened = Archive(seeds_copy)
    assert reopened.entity_corrections == seeds_archive.entity_corrections
    added = reopened.set_entity_corrections(
        reopened.entity_corrections.add("Supreme People’s Procuracy", "ORG", "Supreme People's Procuracy")
    )
    assert added == 1
    assert reopened.search(SearchRequest('org:"Supreme People\'s Procuracy"')).total == 1


def test_an_archive_without_readable_articles_searches_empty(tmp_path: Path) -> None:
    root = tmp_path / "broken"
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    archive = Archive(root)
    assert [s.reason for s in archive.update().skipped] == ["empty file"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = archive.search(SearchRequest("Hanoi"))
        everything = archive.search(SearchRequest("*"))
    assert (result.total, everything.total, everything.timeline.buckets) == (0, 0, ())


def test_lost_facet_columns_are_rebuilt(seeds_archive: Archive) -> None:
    seeds_archive.close()
    (seeds_archive.index_dir / COLUMNS_FILE).unlink()
    assert facet_values(seeds_archive, "*", "language") == {"en": 4, "fr": 1}


def test_updates_and_deletions_across_worker_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer_module, "FILES_PER_TASK", 20)  # Several segments from few files.
    count = indexer_module.INLINE_LIMIT + 16
    root = numbered_articles(tmp_path, count, dated_ferry_report)
    archive = Archive(root)
    assert archive.update(workers=2).added == count
    for i in (3, 41, 77):
        (root / f"{i:03d}.txt").write_text(f"date 2021-03-0{i % 9 + 1}\n\nReport {i} on a pipeline to Georgia.")
    for i in (10, 55):
        (root / f"{i:03d}.txt").unlink()
    (root / "new.txt").write_text("A new report on the Caspian ferry.")
    summary = archive.update(workers=2)
    assert (summary.added, summary.updated, summary.deleted) == (1, 3, 2)
    assert archive.search(SearchRequest("Caspian")).total == count - 5 + 1
    assert archive.search(SearchRequest("Georgia")).total == 3
    assert archive.search(SearchRequest("*")).total == count - 2 + 1
    assert {v.value: v.count for v in archive.search(SearchRequest("*")).facets["year"].values} == {
        "2020": count - 5,
        "2021": 3,
    }


def test_a_correction_that_merges_segments_keeps_every_article_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer_module, "FILES_PER_TASK", 20)  # Several small segments, written inline.
    monkeypatch.setattr(frequent_module, "FREQUENT_MIN_DF", 4)  # With frequent-term files, as big segments have.
    root = numbered_articles(tmp_path, 120, dated_ferry_report)
    archive = Archive(root)
    archive.update(workers=1)
    hit = archive.search(SearchRequest("Caspian")).hits[0]
    archive.correct(hit.id, "date", "2001-02-03")
    assert archive.search(SearchRequest("Caspian")).total == 120
    assert archive.search(SearchRequest('"Caspian ferry"')).total == 120
    assert [h.id for h in archive.search(SearchRequest("date:2001")).hits] == [hit.id]
    years = {v.value: v.count for v in archive.search(SearchRequest("*")).facets["year"].values}
    assert years == {"2001": 1, "2020": 119}


def test_small_updates_merge_only_tiny_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer_module, "FILES_PER_TASK", 225)
    root = numbered_articles(tmp_path, 450, lambda i: f"Report {i} on the Caspian ferry.")
    archive = Archive(root)
    archive.update(workers=1)

    def segment_sizes() -> list[int]:
        ix = whoosh_index.open_dir(str(archive.index_dir / WHOOSH_DIR))
        try:
            return sorted(segment.doc_count_all() for segment in ix._segments())  # noqa: SLF001
        finally:
            ix.close()

    assert segment_sizes() == [225, 225]
    monkeypatch.setattr(commits_module, "TINY_SEGMENTS_MERGED_AT", 3)
    (root / "new.txt").write_text("A new report on the Caspian ferry.")
    archive.update(workers=1)
    hits = archive.search(SearchRequest("Caspian")).hits
    archive.correct(hits[0].id, "title", "Corrected")
    # Each small change is a segment of its own: nothing rewritten, the big segments kept (one
    # may carry a deletion).
    assert segment_sizes() == [1, 1, 225, 225]
    archive.correct(hits[1].id, "title", "Corrected too")
    assert segment_sizes() == [1, 1, 1, 225, 225]
    archive.correct(hits[2].id, "title", "Corrected as well")
    # Three tiny segments were there: the commit merged them into its own.
    sizes = segment_sizes()
    assert len(sizes) == 3 and sizes[1:] == [225, 225] and sizes[0] <= 4
    assert archive.search(SearchRequest("Caspian")).total == 451


def test_prefixes_and_fuzzy_words_find_words_indexed_as_shorter_stems(tmp_path: Path) -> None:
    """Met on the BBC and Reuters corpora: 'Olympic*' found none of 20 articles on the Olympics."""
    texts = [
        "The Olympics opened in Athens with a record crowd of athletes.",
        "The European Commission fined the bank for its earnings report.",
        "Olympia is a town in Greece, far from any stadium.",
    ]
    root = numbered_articles(tmp_path, len(texts), lambda i: texts[i])
    archive = Archive(root)
    archive.update()
    assert titles(archive, "Olympic*") == ["000"]  # "Olympics" is indexed as "olymp"; "Olympia" is not
    assert titles(archive, "Commissio*") == ["001"]  # "Commission" is indexed as "commiss"
    assert titles(archive, "earnings~") == ["001"]


def test_a_snippet_of_a_word_repeated_sixty_thousand_times_is_the_first_window() -> None:
    """The densest window was counted hit by hit from each hit: this article took minutes."""
    body = "Vietnam and Azerbaijan talk. " * 60_000
    snippet = make_snippet(body, term_spans(body, "en", {"vietnam"}))
    assert snippet.text.startswith("Vietnam and Azerbaijan talk.") and snippet.text.endswith("…")
    assert [(span.start, span.end) for span in snippet.spans[:2]] == [(0, 7), (29, 36)]


def test_snippets_found_from_the_counts_of_the_postings_are_those_found_word_by_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's snippets trust the words its earlier articles showed when they find as many tokens
    as the postings count; each snippet is the one its article's every word would have given."""
    bodies = [
        "Hanoi hosted the talks.",
        "Hanoi, HANOI and hanoi: three spellings of the capital, Hà Nội, Ha Noi.",
        "Ministers met in Hanoi. The ministry said hanoi's streets were calm; the minister left.",
        "Nothing here but the title.",
        "Les ministres sont à Hanoï.",
    ]
    root = tmp_path / "page"
    root.mkdir()
    for i, body in enumerate(bodies):
        (root / f"{i}.txt").write_text(f"Title: Hanoi report {i}\nDate: 2024-03-0{i + 1}\n\n{body}\n")
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    full_method = []
    monkeypatch.setattr(terms_module, "_wanted_words", counted(terms_module._wanted_words, full_method))
    queries = ("Hanoi", "hanoi minist*", '"Hà Nội"', "title:Hanoi", "Hanoi OR ministers", "ministre", "*")

    def snippets() -> list[tuple[str, Snippet]]:
        return [
            (hit.id, hit.snippet)
            for query in queries
            for sort in SortOrder
            for hit in archive.search(SearchRequest(query, sort=sort)).hits
        ]

    trusted = snippets()
    assert 0 < len(full_method) < len(trusted)  # some articles trusted the words found before
    monkeypatch.setattr(searcher_module, "COUNTED_TERMS_AT_MOST", -1)  # every article word by word
    assert snippets() == trusted
    assert len(full_method) > len(trusted)
    archive.close()


def test_a_snippet_shows_every_hit_of_an_article_a_run_not_yet_finished_stored_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until a run finishes, searches keep the generation before it, whose postings count the hits
    of the bodies before it, while the store shows the new ones: those are highlighted word by word."""
    root = tmp_path / "archive"
    root.mkdir()
    (root / "0.txt").write_text("Title: Talks\nDate: 2024-03-01\n\nHanoi hosted the talks.\n")
    (root / "1.txt").write_text("Title: Meeting\nDate: 2024-03-02\n\nHanoi and Hanoi met.\n")
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    reader = Archive(root, data=tmp_path / "data")  # as the app searching while the command line indexes
    assert reader.search(SearchRequest("hanoi")).total == 2
    (root / "1.txt").write_text("Title: Meeting\nDate: 2024-03-02\n\nHanoi and Hanoi met HANOI.\n")
    seen: list[Snippet] = []
    finish = indexer_module.Indexer.finish

    def searched_then_finished(indexer: indexer_module.Indexer) -> None:
        seen.extend(hit.snippet for hit in reader.search(SearchRequest("hanoi", sort=SortOrder.OLDEST)).hits)
        finish(indexer)

    monkeypatch.setattr(indexer_module.Indexer, "finish", searched_then_finished)
    assert archive.update(workers=1).updated == 1
    assert [snippet.text for snippet in seen] == ["Hanoi hosted the talks.", "Hanoi and Hanoi met HANOI."]
    assert [(span.start, span.end) for span in seen[1].spans] == [(0, 5), (10, 15), (20, 25)]
    reader.close()
    archive.close()


def test_a_search_of_titles_reads_no_body_postings_for_its_snippets(tmp_path: Path) -> None:
    root = numbered_articles(tmp_path, 3, lambda i: f"Title: Hanoi {i}\n\nThe talks in Hanoi went on.\n")
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    searcher = archive.search(SearchRequest("*")) and archive._searcher  # noqa: SLF001
    assert searcher is not None
    read: list[tuple[str, bytes]] = []
    postings = searcher.masks.postings
    searcher.masks.postings = lambda field, btext: read.append((field, btext)) or postings(field, btext)  # type: ignore[method-assign]
    hits = archive.search(SearchRequest("title:Hanoi")).hits
    assert len(hits) == 3 and all(len(hit.snippet.spans) == 1 for hit in hits)
    assert read and all(field == "title" for field, _ in read)
    archive.close()


T = TypeVar("T")


def counted(function: Callable[..., T], calls: list[int]) -> Callable[..., T]:
    def counting(*args: object) -> T:
        calls.append(1)
        return function(*args)

    return counting


def test_chinese_and_japanese_words_are_found_inside_unspaced_text(tmp_path: Path) -> None:
    root = tmp_path / "cjk"
    root.mkdir()
    articles = {
        "station.txt": "中国空间站天和核心舱今天完成了第三次出舱任务。国家主席习近平发来贺电。",
        "weather.txt": "北京今天天气晴朗，空气质量良好，市民纷纷外出。",
        "osaka.txt": "大阪府のコロナ死者が増えた。山田花子さんが記者会見で発表した。",
    }
    for name, text in articles.items():
        (root / name).write_text(text, encoding="utf-8")
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)

    def found(query: str) -> list[str]:
        return sorted(hit.path for hit in archive.search(SearchRequest(query)).hits)

    assert found("空间站") == found("习近平") == found("天和核心舱") == ["station.txt"]
    assert found("大阪") == found("山田花子") == found("title:大阪府") == ["osaka.txt"]
    assert found("空*") == found("空") == ["station.txt", "weather.txt"]  # a character is a word
    assert found("间空") == found("大阪 AND 空间站") == []  # its characters, but not in that order
    assert found("空间站 OR 大阪") == ["osaka.txt", "station.txt"]
    hit = archive.search(SearchRequest("习近平")).hits[0]
    assert [hit.snippet.text[span.start : span.end] for span in hit.snippet.spans] == ["习近平"]  # one hit, not three
    archive.close()


def test_a_pattern_with_letters_after_its_wildcard_finds_inflected_words(tmp_path: Path) -> None:
    root = numbered_articles(
        tmp_path, 2, lambda i: ("The two rovers and their detectors landed safely on Monday morning." if i == 0
                                else "A quiet day in the harbour, with ferries sailing on time and a roving patrol.")
    )
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    for query in ("R?vers", "detect?rs", "Rov*rs", "ferr?es", "rovers", "rover?", "detector?", "harbo?r"):
        assert len(archive.search(SearchRequest(query)).hits) == 1, query
    for query in ("detect?", "harb?"):  # the pattern's length counts
        assert archive.search(SearchRequest(query)).hits == (), query
    assert archive.search(SearchRequest("r?vers")).hits[0].path == "000.txt"
    archive.close()


def test_the_summary_counts_the_articles_a_file_of_records_changed(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    root.mkdir()
    records = [{"id": f"r{i}", "title": f"Ferry report {i}", "body": f"The ferry sailed {i} times this week."}
               for i in range(5)]
    (root / "feed.json").write_text(json.dumps(records))
    (root / "pair.json").write_text(json.dumps(records[:2]))
    archive = Archive(root, data=tmp_path / "data")
    assert archive.update(workers=1).added == 7
    records[1]["body"] = "The ferry did not sail this week: a storm closed the port."
    del records[3]
    records.append({"id": "r9", "title": "New route", "body": "A new ferry route opens to the islands."})
    (root / "feed.json").write_text(json.dumps(records))
    (root / "pair.json").unlink()
    summary = archive.update(workers=1)
    assert (summary.added, summary.updated, summary.deleted) == (1, 1, 1 + 2)
    archive.close()


def test_a_correction_stays_with_its_record_when_records_before_it_go(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    root.mkdir()
    records = [{"title": f"Report {i}", "date": f"2024-05-0{i}", "body": f"The ferry sailed {i} times."}
               for i in range(1, 5)]
    (root / "feed.json").write_text(json.dumps(records))
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    third = next(h.id for h in archive.search(SearchRequest("*")).hits if h.title == "Report 3")
    archive.correct(third, "source", "Caspian Wire")
    (root / "feed.json").write_text(json.dumps(records[1:]))  # the first record dropped
    archive.update(workers=1)
    sources = {h.title: h.source for h in archive.search(SearchRequest("*")).hits}
    assert sources == {"Report 2": None, "Report 3": "Caspian Wire", "Report 4": None}
    archive.close()


def test_corrections_made_under_a_records_number_move_to_its_new_id(tmp_path: Path) -> None:
    from index.analysis.metadata import article_id

    root = tmp_path / "feeds"
    root.mkdir()
    records = [{"title": f"Report {i}", "body": f"The ferry sailed {i} times."} for i in range(1, 4)]
    (root / "feed.json").write_text(json.dumps(records))
    archive = Archive(root, data=tmp_path / "data")
    former = article_id("feed.json#2")  # the id earlier versions gave the second record
    archive.corrections.change({former: {"source": "Caspian Wire"}})
    archive.update(workers=1)
    hits = {h.title: h for h in archive.search(SearchRequest("*")).hits}
    assert hits["Report 2"].source == "Caspian Wire" and hits["Report 1"].source is None
    assert archive.corrections.by_article() == {hits["Report 2"].id: {"source": "Caspian Wire"}}
    archive.close()


def test_an_archive_named_by_relative_paths_keeps_them_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A resident server keeps archives open from one command's folder to the next one's.
    monkeypatch.chdir(tmp_path)
    archive = Archive(Path("news"), Path("data"))
    assert archive.root == tmp_path / "news" and archive.data == tmp_path / "data"
    assert archive.index_dir.is_absolute()
    archive.close()


def test_a_leaders_name_finds_it_in_other_alphabets(tmp_path: Path) -> None:
    texts = [
        "Президент России Владимир Путин провёл переговоры в Кремле. Визит Путина продлится два дня.",
        "Le président Vladimir Poutine a reçu son homologue au Kremlin pour des entretiens.",
        "President Putin met his counterpart in the Kremlin for talks on trade.",
        "普京在克里姆林宫会见了来访的领导人，双方讨论了贸易问题。",
        "The ferry to Turkmenbashi sailed late on Monday because of the wind.",
    ]
    root = numbered_articles(tmp_path, len(texts), lambda i: texts[i])
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    assert sorted(titles(archive, "Putin")) == ["000", "001", "002", "003"]
    assert sorted(titles(archive, "Путин")) == ["000", "001", "002", "003"]
    assert titles(archive, "Putin", spellings=False) == ["002"]
    archive.close()


def test_a_headline_too_short_to_tell_its_language_takes_its_feeds(tmp_path: Path) -> None:
    body = ("El gobierno anunció hoy nuevas medidas para la economía del país, que según los expertos "
            "podrían mejorar la situación de las familias durante los próximos meses.")
    spanish = [{"title": f"Noticia {i}", "url": f"https://example.es/{i}", "body": body} for i in range(4)]
    headlines = [{"title": "Gol de Messi", "url": "https://example.es/gol"}, {"title": "OK", "url": "https://e.es/ok"}]
    mixed = [{"title": "Report", "url": "https://example.org/1", "body": "The minister met the delegation "
              "in Baku on Monday to discuss trade, energy and transport links between the two countries."},
             {"title": "Nouvelles", "url": "https://example.fr/1", "body": "Le ministre a rencontré la "
              "délégation à Bakou lundi pour discuter du commerce et de l'énergie entre les deux pays."},
             *headlines]
    root = tmp_path / "feeds"
    root.mkdir()
    (root / "es.json").write_text(json.dumps(spanish + headlines))
    (root / "mixed.json").write_text(json.dumps(mixed))
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    languages = {(h.path, h.title): h.language for h in archive.search(SearchRequest("*", page_size=50)).hits}
    assert languages[("es.json", "Gol de Messi")] == languages[("es.json", "OK")] == "es"
    assert languages[("mixed.json", "Gol de Messi")] == languages[("mixed.json", "OK")] == "und"
    archive.close()
