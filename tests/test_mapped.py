"""Index files read through a mapping read as Whoosh's own mapped files do, and copy nothing."""

from __future__ import annotations

import errno
import mmap
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.structfile import BufferFile, StructFile

from index import Archive, SearchRequest
from index.storage.generations import open_reader
from index.storage.layout import WHOOSH_DIR
from index.storage.mapped import MappedFile, open_mapped
from index.storage.searcher import ArchiveSearcher

_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("seek"), st.integers(0, 300)),
        st.tuples(st.just("read"), st.integers(-1, 300)),
        st.tuples(st.just("readline"), st.integers(-1, 300)),
        st.tuples(st.just("get"), st.integers(0, 300), st.integers(0, 300)),
        st.tuples(st.just("get_int"), st.integers(0, 300)),
        st.tuples(st.just("read_varint")),
        st.tuples(st.just("tell")),
    ),
    max_size=30,
)


def _apply(file: StructFile, operation: tuple[object, ...]) -> object:
    name, *arguments = operation
    try:
        return getattr(file, str(name))(*arguments)
    except (struct.error, IndexError, ValueError, TypeError) as error:  # read past the end: the same error
        return type(error)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(min_size=1, max_size=400),  # an empty file is not mapped (below)
        operations=_OPERATIONS, part=st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_a_mapped_file_and_its_parts_read_as_a_file_does(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, operations: list[tuple[object, ...]], part: tuple[int, int]
) -> None:
    path = tmp_path_factory.mktemp("mapped") / "file.seg"
    path.write_bytes(data)
    mapped = open_mapped(str(path), "file.seg")
    # Whoosh's own mapped file, which copies what it maps, is the reference: like it, ``get``
    # reads without moving the position.
    copied = BufferFile(memoryview(data), name="file.seg")
    offset, length = part
    pairs = [(mapped, copied), (mapped.subset(offset, length), copied.subset(offset, length))]
    for mine, theirs in pairs:
        for operation in operations:
            assert _apply(mine, operation) == _apply(theirs, operation), operation
    for mine, _ in reversed(pairs):
        mine.close()


def test_an_empty_file_is_read_as_a_file(tmp_path: Path) -> None:
    (tmp_path / "empty.seg").write_bytes(b"")
    opened = open_mapped(str(tmp_path / "empty.seg"), "empty.seg")
    assert not isinstance(opened, MappedFile) and opened.read() == b""
    opened.close()


@pytest.mark.parametrize("whole_first", [True, False])
def test_the_mapping_goes_when_the_file_and_its_parts_are_closed(tmp_path: Path, whole_first: bool) -> None:
    (tmp_path / "file.seg").write_bytes(bytes(range(256)) * 64)
    whole = open_mapped(str(tmp_path / "file.seg"), "file.seg")
    assert isinstance(whole, MappedFile)
    middle = whole.subset(0, 100)
    parts = [whole.subset(1000, 10), middle.subset(5, 5), middle]
    mapping = whole._mapping.mapping  # noqa: SLF001
    assert parts[0].get(0, 3) == bytes([232, 233, 234]) and parts[1].read() == bytes(range(5, 10))
    files = [whole, *parts] if whole_first else [*parts, whole]
    for file in files[:-1]:
        file.close()
        assert not mapping.closed  # the others still read
    assert files[-1].get(0, 1) in (b"\x00", b"\xe8", b"\x05")
    files[-1].close()
    assert mapping.closed


def test_a_file_that_cannot_be_mapped_is_read_as_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No address space left (a 32-bit process, a limit): read, not taken for a damaged index."""
    (tmp_path / "file.seg").write_bytes(b"segment bytes")

    def no_memory(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOMEM, "Cannot allocate memory")

    monkeypatch.setattr(mmap, "mmap", no_memory)
    opened = open_mapped(str(tmp_path / "file.seg"), "file.seg")
    assert not isinstance(opened, MappedFile) and opened.get(8, 5) == b"bytes"
    opened.close()


def test_a_searchers_segments_are_read_mapped_without_copies(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(30):
        text = f"title: Report {number}\n\nHanoi trade talks, round {number}.\n"
        (root / f"{number:02d}.txt").write_text(text, "utf-8")
    archive = Archive(root)
    archive.update(workers=1)
    generation = ArchiveSearcher(archive.index_dir).columns.generation
    _, reader = open_reader(archive.index_dir / WHOOSH_DIR, generation)
    try:
        segment_file = reader._storage.a._file  # noqa: SLF001 - the compound file holding the segment's parts
        assert isinstance(segment_file, MappedFile)
        for part in (reader._terms._tindex.dbfile, reader._terms._postfile):  # noqa: SLF001
            # A view of the segment file's one mapping, not a copy of its bytes.
            assert isinstance(part, MappedFile) and part._view.obj is segment_file._mapping.mapping  # noqa: SLF001
    finally:
        reader.close()
    assert archive.search(SearchRequest("Hanoi")).total == 30
    assert archive.search(SearchRequest('"trade talks"')).total == 30
    archive.close()
