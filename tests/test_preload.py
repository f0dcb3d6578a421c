"""Preloading an index's search files into the page cache (index/storage/preload.py)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import pytest

from index import Archive, SearchRequest
from index.storage import docsets, preload
from index.storage.preload import Preloader, available_memory, search_files
from index.storage.searcher import ArchiveSearcher


def _files(folder: Path, sizes: dict[str, int]) -> list[Path]:
    paths = []
    for name, size in sizes.items():
        path = folder / name
        path.write_bytes(os.urandom(size))
        paths.append(path)
    return paths


class _RunAtOnce:
    """A thread that runs its target when started, before start returns."""

    def __init__(self, target: Callable[..., object], args: tuple[object, ...] = (), **_: object) -> None:
        self._target, self._args = target, args

    def start(self) -> None:
        self._target(*self._args)


def _finished(preloader: Preloader) -> Preloader:
    assert preloader.join(timeout=60)
    return preloader


def _skip_unless_the_cache_can_be_told(path: Path) -> None:
    """Skip where a read cannot be asked not to wait (tmpfs, not Linux): a file is then always read."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.preadv(descriptor, [bytearray(1)], 0, os.RWF_NOWAIT)
    except (AttributeError, OSError) as error:
        pytest.skip(f"this system cannot tell a file in the page cache ({error})")
    finally:
        os.close(descriptor)


def test_search_files_come_filters_first_then_frequent_terms_then_segments(tmp_path: Path) -> None:
    names = ["MAIN_b.seg", "_MAIN_3.toc", "MAIN_a.frq", "MAIN_b.tfl", "MAIN_a.seg", "MAIN_a.tfl", "MAIN_WRITELOCK"]
    assert [path.name for path in search_files(tmp_path, names)] == [
        "MAIN_a.tfl", "MAIN_b.tfl", "MAIN_a.frq", "MAIN_a.seg", "MAIN_b.seg"]
    assert all(path.parent == tmp_path for path in search_files(tmp_path, names))


def test_files_not_cached_are_read_whole_in_order_within_the_budget(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.tfl": 3000, "b.frq": 2_500_000, "c.seg": 5000, "d.seg": 10})
    with mock.patch.object(preload, "_looks_cached", return_value=False):
        preloader = _finished(Preloader(paths, budget=2_508_000).start())
    assert preloader.cached == paths[:3]  # the fourth would pass the budget
    assert preloader.bytes_read == 2_508_000


def test_files_already_cached_are_not_read_again(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.frq": 300_000, "b.seg": 70_000})  # just written: in the page cache
    _skip_unless_the_cache_can_be_told(paths[0])
    preloader = _finished(Preloader(paths, budget=10**9).start())
    assert preloader.cached == paths
    assert preloader.bytes_read == 0


def test_a_file_evicted_from_the_page_cache_is_told_apart_from_a_cached_one(tmp_path: Path) -> None:
    (path,) = _files(tmp_path, {"a.seg": 1_000_000})
    _skip_unless_the_cache_can_be_told(path)
    descriptor = os.open(path, os.O_RDONLY)
    try:
        assert preload._looks_cached(descriptor)  # noqa: SLF001
        os.fsync(descriptor)
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        if preload._looks_cached(descriptor):  # noqa: SLF001
            pytest.skip("this file system keeps files in memory (tmpfs): nothing is ever evicted")
        os.read(descriptor, 1_000_000)
        assert preload._looks_cached(descriptor)  # noqa: SLF001
    finally:
        os.close(descriptor)


def test_nothing_is_read_with_no_budget_and_a_missing_file_is_passed_over(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.tfl": 100, "c.seg": 100})
    assert _finished(Preloader(paths, budget=0).start()).cached == []
    with mock.patch.object(preload, "_looks_cached", return_value=False):
        preloader = _finished(Preloader([paths[0], tmp_path / "gone.frq", paths[1]], budget=10**6).start())
    assert preloader.cached == paths


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="this system cannot be asked to read ahead")
def test_a_file_is_announced_for_reading_only_within_both_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (path,) = _files(tmp_path, {"articles.sqlite": 200_000})
    asked: list[int] = []
    monkeypatch.setattr(os, "posix_fadvise", lambda descriptor, offset, length, advice: asked.append(advice))
    monkeypatch.setattr(preload.threading, "Thread", _RunAtOnce)
    monkeypatch.setattr(preload, "available_memory", lambda: 10**9)
    assert preload.announce(path, at_most=10**6)  # in the page cache (just written): the system skips it
    assert not preload.announce(path, at_most=100_000)  # larger than the writer's limit
    assert not preload.announce(tmp_path / "gone.sqlite", at_most=10**6)
    monkeypatch.setattr(preload, "available_memory", lambda: 300_000)  # half of it is not enough
    assert not preload.announce(path, at_most=10**6)
    assert asked == [os.POSIX_FADV_WILLNEED]


def test_an_update_with_changes_announces_the_store_and_one_without_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.indexing import indexer

    root = tmp_path / "archive"
    root.mkdir()
    (root / "a.txt").write_text("Date: 2024-03-05\nSource: VNA\n\nReport from Hanoi.\n")
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    announced: list[Path] = []
    monkeypatch.setattr(indexer, "announce", lambda path, at_most: announced.append(path) or True)
    archive.update(workers=1)
    assert announced == []
    (root / "b.txt").write_text("Date: 2024-03-06\nSource: VNA\n\nReport from Baku.\n")
    archive.update(workers=1)
    assert announced == [archive.index_dir / "articles.sqlite"]
    archive.close()


def test_a_stopped_preloader_reads_no_further_file(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.tfl": 100, "b.frq": 100, "c.seg": 100})
    read_through = Preloader._read_through  # noqa: SLF001

    def first_then_stop(self: Preloader, descriptor: int) -> bool:
        done = read_through(self, descriptor)
        self.stop()  # from the preloader's own thread
        return done

    with mock.patch.object(preload, "_looks_cached", return_value=False), \
            mock.patch.object(Preloader, "_read_through", first_then_stop):
        preloader = _finished(Preloader(paths, budget=10**6).start())
    assert preloader.cached == paths[:1]
    assert preloader.bytes_read == 100


@pytest.mark.skipif(sys.platform != "linux", reason="the available memory is read from Linux's /proc")
def test_the_budget_is_what_the_system_can_give() -> None:
    assert available_memory() > 0


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Archive]:
    from bench.generate import generate

    generate(tmp_path / "news", 60, seed=3)
    archive = Archive(tmp_path / "news", data=tmp_path / "data")
    archive.update(workers=1)
    yield archive
    archive.close()


def test_prepared_searches_preload_the_index_and_complete_words_without_reading_terms(generated: Archive) -> None:
    with mock.patch.object(docsets, "_field_terms", wraps=docsets._field_terms) as reading:  # noqa: SLF001
        generated.search(SearchRequest("Az", complete_last_word=True))
    assert reading.call_count > 0  # a typed word's completions do read the terms

    prepared = Archive(generated.root, data=generated.data)
    try:
        prepared.prepare_searches()
        files = prepared._searcher.search_files()  # type: ignore[union-attr]  # noqa: SLF001
        preloader = _finished(prepared._preloader)  # type: ignore[arg-type]  # noqa: SLF001
        assert {".tfl", ".seg"} <= {path.suffix for path in files}
        assert preloader.cached == files
        with mock.patch.object(docsets, "_field_terms", wraps=docsets._field_terms) as reading:  # noqa: SLF001
            prepared.search(SearchRequest("Az", complete_last_word=True))
        assert reading.call_count == 0
    finally:
        prepared.close()
    assert prepared._preloader is None  # noqa: SLF001


def test_closing_the_archive_stops_a_preload_under_way(generated: Archive) -> None:
    reading = threading.Event()

    def endless(self: Preloader, descriptor: int) -> bool:
        reading.set()
        while not self._stop.wait(0.01):  # noqa: SLF001 - a disk slower than anything real
            pass
        return False

    with mock.patch.object(preload, "_looks_cached", return_value=False), \
            mock.patch.object(Preloader, "_read_through", endless):
        generated.prepare_searches()
        preloader = generated._preloader  # noqa: SLF001
        assert preloader is not None and reading.wait(timeout=60)
        generated.close()
    assert preloader.join(timeout=0) and preloader.cached == []
    assert generated._preloader is None  # noqa: SLF001


def test_the_preload_starts_before_the_searches_are_prepared(generated: Archive) -> None:
    """The preload reads the disk while the preparation works the processor."""
    started_before: list[bool] = []
    real_prepare = ArchiveSearcher.prepare

    def prepare(self: ArchiveSearcher) -> None:
        started_before.append(generated._preloader is not None)  # noqa: SLF001
        real_prepare(self)

    with mock.patch.object(ArchiveSearcher, "prepare", prepare):
        generated.prepare_searches()
    assert started_before == [True]


def test_a_preparation_that_fails_stops_the_preload_it_started(generated: Archive) -> None:
    def failing(self: ArchiveSearcher) -> None:
        raise OSError("the disk went away")

    with mock.patch.object(ArchiveSearcher, "prepare", failing), pytest.raises(OSError, match="went away"):
        generated.prepare_searches()
    assert generated._preloader is None  # noqa: SLF001
