"""Preloading an index's search files into the page cache (index/storage/preload.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from index import Archive, SearchRequest
from index.storage import docsets, preload
from index.storage.preload import Preloader, available_memory, search_files


def _files(folder: Path, sizes: dict[str, int]) -> list[Path]:
    paths = []
    for name, size in sizes.items():
        path = folder / name
        path.write_bytes(os.urandom(size))
        paths.append(path)
    return paths


def _finished(preloader: Preloader) -> Preloader:
    assert preloader.join(timeout=60)
    return preloader


def test_search_files_come_filters_first_then_frequent_terms_then_segments(tmp_path: Path) -> None:
    names = ["MAIN_b.seg", "_MAIN_3.toc", "MAIN_a.frq", "MAIN_b.tfl", "MAIN_a.seg", "MAIN_a.tfl", "MAIN_WRITELOCK"]
    assert [path.name for path in search_files(tmp_path, names)] == [
        "MAIN_a.tfl", "MAIN_b.tfl", "MAIN_a.frq", "MAIN_a.seg", "MAIN_b.seg"]
    assert all(path.parent == tmp_path for path in search_files(tmp_path, names))


def test_files_not_cached_are_read_whole_in_order_within_the_budget(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.tfl": 3000, "b.frq": 2_500_000, "c.seg": 5000, "d.seg": 10})
    read: list[Path] = []
    with mock.patch.object(preload, "_looks_cached", return_value=False):
        preloader = _finished(Preloader(paths, budget=2_508_000, on_read=read.append).start())
    assert read == paths[:3]  # the fourth would pass the budget
    assert preloader.bytes_read == 2_508_000


def test_files_already_cached_are_not_read_again(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.frq": 300_000, "b.seg": 70_000})  # just written: in the page cache
    read: list[Path] = []
    preloader = _finished(Preloader(paths, budget=10**9, on_read=read.append).start())
    assert read == paths
    assert preloader.bytes_read == 0


def test_a_file_evicted_from_the_page_cache_is_told_apart_from_a_cached_one(tmp_path: Path) -> None:
    (path,) = _files(tmp_path, {"a.seg": 1_000_000})
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
    read: list[Path] = []
    _finished(Preloader(paths, budget=0, on_read=read.append).start())
    assert read == []
    with mock.patch.object(preload, "_looks_cached", return_value=False):
        _finished(Preloader([paths[0], tmp_path / "gone.frq", paths[1]], budget=10**6, on_read=read.append).start())
    assert read == paths


def test_a_stopped_preloader_reads_no_further_file(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.tfl": 100, "b.frq": 100, "c.seg": 100})
    read: list[Path] = []

    def first_then_stop(path: Path) -> None:
        read.append(path)
        preloader.stop()  # from the preloader's own thread, as a late callback would

    with mock.patch.object(preload, "_looks_cached", return_value=False):
        preloader = Preloader(paths, budget=10**6, on_read=first_then_stop)
        _finished(preloader.start())
    assert read == paths[:1]
    assert preloader.bytes_read == 100


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


def test_prepared_searches_preload_the_index_once_and_complete_words_without_reading_terms(generated: Archive) -> None:
    with mock.patch.object(docsets, "_field_terms", wraps=docsets._field_terms) as reading:  # noqa: SLF001
        generated.search(SearchRequest("Az", complete_last_word=True))
    assert reading.call_count > 0  # a typed word's completions do read the terms

    prepared = Archive(generated.root, data=generated.data)
    try:
        prepared.prepare_searches()
        files = prepared._searcher.search_files()  # type: ignore[union-attr]  # noqa: SLF001
        assert _finished(prepared._preloader)  # type: ignore[arg-type]  # noqa: SLF001
        assert {".tfl", ".seg"} <= {path.suffix for path in files}
        assert prepared._preloaded == set(files)  # noqa: SLF001
        with mock.patch.object(docsets, "_field_terms", wraps=docsets._field_terms) as reading:  # noqa: SLF001
            prepared.search(SearchRequest("Az", complete_last_word=True))
        assert reading.call_count == 0

        with mock.patch("index.archive.Preloader", wraps=Preloader) as preloading:
            prepared.prepare_searches()
        assert preloading.call_args.args[0] == []  # every file was read by the first preload
    finally:
        prepared.close()
    assert prepared._preloader is None  # noqa: SLF001
