"""One Archive hammered from several threads: searches, reads, corrections and indexing runs at once."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from index import Archive, ArchivistError, Filters, SearchRequest
from index.indexing import indexer as indexer_module
from index.storage import commits as commits_module

from .test_archive import numbered_articles


def report(i: int, version: int = 0) -> str:
    return f"date 2020-03-{i % 28 + 1:02d}\n\nReport {i} version {version} on the ferry from Baku, by Ilham Aliyev."


def test_searches_corrections_and_runs_from_many_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer_module, "FILES_PER_TASK", 15)  # Many commits per run.
    count = 90
    root = numbered_articles(tmp_path, count, report)
    archive = Archive(root)
    archive.update(workers=1)
    ids = [hit.id for hit in archive.search(SearchRequest("*", page_size=count)).hits]
    column_writers: set[str] = set()
    real_save = commits_module.save_columns

    def save_columns(*args: object) -> None:
        column_writers.add(threading.current_thread().name)
        real_save(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(commits_module, "save_columns", save_columns)
    errors: list[BaseException] = []
    stop = threading.Event()
    corrected: dict[str, str] = {}

    def forever(name: str, work: Callable[[random.Random], None]) -> threading.Thread:
        def loop() -> None:
            rng = random.Random(name)
            try:
                while not stop.is_set():
                    work(rng)
            except BaseException as error:  # noqa: BLE001 - collected and asserted on below
                errors.append(error)

        return threading.Thread(target=loop, name=name)

    def search(rng: random.Random) -> None:
        query = rng.choice(["ferry", "Baku", '"ilham aliyev"', "report -version", "*", "date:2020-03"])
        filters = Filters(date_from=dt.date(2020, 3, rng.randint(1, 20))) if rng.random() < 0.5 else Filters()
        result = archive.search(SearchRequest(query, filters, page_size=10))
        assert result.total >= len(result.hits)

    def read(rng: random.Random) -> None:
        article_id = rng.choice(ids)
        archive.article(article_id)
        archive.hit_spans(article_id, "ferry Baku")
        archive.entities(article_id)

    def correct(rng: random.Random) -> None:
        article_id = rng.choice(ids)
        title = f"Corrected {rng.randint(0, 10**6)}"
        archive.correct(article_id, "title", title)
        corrected[article_id] = title

    def reindex(rng: random.Random) -> None:
        for i in rng.sample(range(count), 10):
            (root / f"{i:03d}.txt").write_text(report(i, rng.randint(1, 99)))
        summary = archive.update(workers=1)
        assert not summary.skipped and not summary.problems

    threads = [
        forever("searcher-1", search),
        forever("searcher-2", search),
        forever("reader", read),
        forever("corrector", correct),
        forever("indexer", reindex),
    ]
    for thread in threads:
        thread.start()
    threading.Timer(12, stop.set).start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert corrected
    assert column_writers <= {"corrector", "indexer"}  # Searches and reads never write.
    archive.update(workers=1)
    result = archive.search(SearchRequest("*", page_size=count))
    assert result.total == count and len({hit.id for hit in result.hits}) == count
    for article_id, title in corrected.items():
        assert archive.article(article_id).title == title
    assert archive.search(SearchRequest("title:Corrected")).total == len(corrected)


def test_two_threads_correcting_at_once_keep_both(seeds_archive: Archive) -> None:
    ids = [hit.id for hit in seeds_archive.search(SearchRequest("*")).hits]
    failures: list[BaseException] = []

    def correct(article_id: str, field: str, value: str) -> None:
        try:
            seeds_archive.correct(article_id, field, value)
        except ArchivistError as error:
            failures.append(error)

    threads = [
        threading.Thread(target=correct, args=(ids[0], "source", "Azertac")),
        threading.Thread(target=correct, args=(ids[1], "date", "2011-11-11")),
        threading.Thread(target=correct, args=(ids[0], "title", "Both kept")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures
    first = seeds_archive.article(ids[0])
    assert (first.source, first.title) == ("Azertac", "Both kept")
    assert seeds_archive.article(ids[1]).date == dt.date(2011, 11, 11)
