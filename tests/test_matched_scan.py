"""A run compares the folder's scan with the one the store's manifest last matched (matched_scan.py)."""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import Archive, SearchRequest
from index.indexing import tasks
from index.models import SkippedFile
from index.reading import files
from index.storage import matched_scan
from index.storage import store as store_module
from index.storage.layout import MATCHED_SCAN_FILE


def article(number: int, text: str = "Report from Hanoi.") -> str:
    return f"Date: 2024-03-0{number % 9 + 1}\nSource: VNA\nTitle: Report {number}\n\n{text}\n"


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(6):
        (root / f"{number}.txt").write_text(article(number))
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    return archive


@pytest.fixture
def manifest_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    original = store_module.ArticleStore.manifest

    def counted(store: store_module.ArticleStore) -> dict[str, tuple[int, int]]:
        reads.append(1)
        return original(store)

    monkeypatch.setattr(store_module.ArticleStore, "manifest", counted)
    return reads


def test_a_run_with_nothing_to_do_after_a_build_reads_no_manifest(archive: Archive, manifest_reads: list[int]) -> None:
    assert (archive.index_dir / MATCHED_SCAN_FILE).exists()  # kept by the build, which stored every file
    assert archive.update().unchanged == 6
    assert archive.update().unchanged == 6
    assert manifest_reads == []
    archive.close()


def test_edits_are_found_from_the_kept_scan_without_the_manifest(archive: Archive, manifest_reads: list[int]) -> None:
    (archive.root / "2.txt").write_text(article(2, "Report from Baku."))
    (archive.root / "3.txt").unlink()
    (archive.root / "9.txt").write_text(article(9, "Report from Minsk."))
    (archive.root / "00.txt").write_text(article(10, "Report from Riga."))  # sorted before every other
    summary = archive.update()
    assert (summary.added, summary.updated, summary.deleted, summary.unchanged) == (2, 1, 1, 4)
    assert archive.update().unchanged == 7
    assert manifest_reads == []
    assert archive.search(SearchRequest("Baku OR Minsk OR Riga")).total == 3
    assert archive.search(SearchRequest("title:(Report 3)")).total == 0
    archive.close()


def test_a_file_edited_twice_is_replaced_each_time_not_added_again(archive: Archive) -> None:
    """An updated file found from the kept scan is one the index had: replaced, not added twice."""
    (archive.root / "4.txt").write_text(article(4, "Report from Oslo."))
    assert archive.update().updated == 1
    (archive.root / "4.txt").write_text(article(4, "Report from Kyiv."))
    summary = archive.update()
    assert (summary.added, summary.updated) == (0, 1)
    assert archive.search(SearchRequest("Oslo")).total == 0
    assert archive.search(SearchRequest("Kyiv")).total == 1
    assert archive.search(SearchRequest("*")).total == 6
    archive.close()


def unreadable(monkeypatch: pytest.MonkeyPatch, busy: str) -> None:
    """Have the file ``busy`` of the archive fail to be read, as a file another program holds."""

    def read_bytes(root: Path, relpath: str, fs_relpath: str | None = None) -> bytes | SkippedFile:
        if relpath == busy:
            return SkippedFile(relpath, "cannot be read: busy")
        return files.read_bytes(root, relpath, fs_relpath)

    monkeypatch.setattr(tasks, "read_bytes", read_bytes)


def test_a_file_put_back_as_it_was_when_the_scan_was_kept_is_read_again(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build kept its scan. A run then stores an edit but keeps no scan (another file could not
    be read); with the edit undone, size and time included, the folder looks as the build's scan:
    yet the store committed since, so the manifest is read, and the file indexed as it is again."""
    edited, busy = archive.root / "2.txt", archive.root / "4.txt"
    content, status = edited.read_bytes(), edited.stat()
    busy_content, busy_status = busy.read_bytes(), busy.stat()
    edited.write_text(article(2, "Report from Baku."))
    busy.write_text(article(4, "Report from Minsk."))
    with monkeypatch.context() as patch:
        unreadable(patch, "4.txt")
        assert archive.update(workers=1).updated == 1
    assert archive.search(SearchRequest("Baku")).total == 1
    for path, was, times in ((edited, content, status), (busy, busy_content, busy_status)):
        path.write_bytes(was)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert archive.update(workers=1).updated == 1
    assert archive.search(SearchRequest("Baku")).total == 0
    archive.close()


def test_a_file_that_could_not_be_read_is_read_again_by_the_next_run(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its manifest entry stays as it was: no scan is kept that would say it is indexed as it is."""
    (archive.root / "2.txt").write_text(article(2, "Report from Baku."))
    with monkeypatch.context() as patch:
        unreadable(patch, "2.txt")
        assert archive.update(workers=1).updated == 0
    assert archive.update(workers=1).updated == 1
    assert archive.search(SearchRequest("Baku")).total == 1
    archive.close()


def test_a_commit_of_a_correction_makes_the_kept_scan_stale(archive: Archive, manifest_reads: list[int]) -> None:
    hit = archive.search(SearchRequest("Hanoi")).hits[0]
    archive.correct(hit.id, "title", "Corrected")
    assert archive.update().unchanged == 6
    assert len(manifest_reads) == 1
    assert archive.update().unchanged == 6  # the scan the manifest matched was kept again
    assert len(manifest_reads) == 1
    archive.close()


@pytest.mark.parametrize("content", [b"", b"not marshal data", b"\0" * 100, marshal.dumps((1,)), marshal.dumps(5)])
def test_an_unreadable_kept_scan_means_the_manifest_is_read(
    archive: Archive, manifest_reads: list[int], content: bytes
) -> None:
    (archive.index_dir / MATCHED_SCAN_FILE).write_bytes(content)
    assert archive.update().unchanged == 6
    assert len(manifest_reads) == 1
    assert archive.update().unchanged == 6
    assert len(manifest_reads) == 1
    archive.close()


def test_a_scan_that_cannot_be_kept_only_means_the_next_run_reads_the_manifest(
    archive: Archive, manifest_reads: list[int]
) -> None:
    (archive.index_dir / MATCHED_SCAN_FILE).unlink()
    (archive.index_dir / MATCHED_SCAN_FILE).mkdir()  # a folder where the file would be written
    assert archive.update().unchanged == 6
    assert archive.update().unchanged == 6
    assert len(manifest_reads) == 2
    archive.close()


def test_a_kept_scan_left_half_written_by_a_killed_run_is_removed(archive: Archive) -> None:
    leftover = archive.index_dir / f".{MATCHED_SCAN_FILE}.x1y2z3.tmp"
    leftover.write_bytes(b"half a scan")
    (archive.root / "1.txt").write_text(article(1, "Report from Baku."))
    assert archive.update().updated == 1
    assert not leftover.exists()
    archive.close()


@pytest.mark.skipif(sys.platform != "linux", reason="names that are not UTF-8 need a file system of bytes")
def test_a_file_whose_name_is_not_utf8_is_compared_by_both_its_names(
    archive: Archive, manifest_reads: list[int]
) -> None:
    path = os.fsencode(archive.root) + b"/caf\xe9.txt"  # shown as caf\xe9.txt, opened by its bytes
    with open(path, "wb") as handle:
        handle.write(article(7, "Report from Minsk.").encode())
    assert archive.update().added == 1
    assert archive.update().unchanged == 7
    with open(path, "ab") as handle:
        handle.write(b"Report from Baku.\n")
    assert archive.update().updated == 1
    assert archive.update().unchanged == 7
    assert manifest_reads == []
    assert archive.search(SearchRequest("Baku")).total == 1
    archive.close()


scan_entries = st.dictionaries(
    st.text(max_size=4), st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=40
)


@settings(max_examples=300)
@given(scan_entries, scan_entries, st.integers(1, 5))
def test_two_scans_differ_where_their_entries_do(
    before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]], block: int
) -> None:
    kept = sorted((path, *entry) for path, entry in before.items())
    scanned = sorted((path, *entry) for path, entry in now.items())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matched_scan, "_BLOCK", block)
        changed, gone = matched_scan._differences(scanned, kept)
    assert [scanned[position] for position in changed] == [entry for entry in scanned if entry not in kept]
    assert gone == [entry for entry in kept if entry not in scanned]
