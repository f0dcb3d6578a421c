"""Generations of the Whoosh index: the files each one needs, checking them, and flushing them to disk.

An archive's index is a Whoosh folder, the article store (SQLite) and the facet columns. Whoosh
describes each generation of its folder in a TOC file that names the generation's segments. The
commit protocol (commits.py) makes the store's commit the point where a generation becomes
real: segments and TOC are written and flushed first, then the store commits, recording the
generation and the size of each of its files. A crash before the store's commit leaves a TOC no
store names, which the next writer deletes; a crash after it leaves a complete generation.
"""

from __future__ import annotations

import contextlib
import os
import re
import weakref
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader
from whoosh.util import random_name

from index.atomic import fsync_files
from index.errors import IndexDamagedError
from index.storage.mapped import open_mapped

INDEX_NAME = "MAIN"
_TOC_FILE = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
_TOC_TEMPORARY = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\.")  # TOC.write's file before its rename
FileSizes = dict[str, int]


def toc_name(generation: int) -> str:
    """The TOC file of a generation."""
    return f"_{INDEX_NAME}_{generation}.toc"


class IndexStorage(FileStorage):  # type: ignore[misc]
    """Whoosh's file storage, remembering the files it opened, which a reader's storage maps.

    Whoosh's own mapping copies every part of a segment it opens (1.1 GB at 100k articles): it is
    never used. A reader's storage (``mapped``) maps the files it opens without copying (see
    mapped.py); a writer's reads them as files. A writer that fails (a full disk) leaves files
    open (segment parts being copied into a compound file, for example) that its clean-up then
    deletes, and a deleted file keeps its space for as long as it is open: :meth:`close_all`
    closes them.
    """

    def __init__(self, folder: str, mapped: bool = False) -> None:
        super().__init__(folder, supports_mmap=False)
        self.mapped = mapped
        self._opened: weakref.WeakSet[Any] = weakref.WeakSet()
        self._temporary: list[IndexStorage] = []

    def create_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        created = super().create_file(name, *args, **kwargs)
        self._opened.add(created)
        return created

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        opened = open_mapped(self._fpath(name), name) if self.mapped else super().open_file(name, *args, **kwargs)
        self._opened.add(opened)
        return opened

    def temp_storage(self, name: str | None = None) -> IndexStorage:
        # Always a name of its own: Whoosh gives every writer "MAIN.tmp", which the first to finish
        # deletes while others still use it.
        temporary = IndexStorage(os.path.join(self.folder, f"{random_name()}.tmp"))
        temporary.create()
        self._temporary.append(temporary)
        return temporary

    def close_all(self) -> None:
        """Close every file still open that was opened through this storage and its temporary ones."""
        for opened in list(self._opened):
            with contextlib.suppress(Exception):
                opened.close()
            # A StructFile whose close hook failed (it writes a trailer) never closes its file.
            with contextlib.suppress(Exception):
                opened.file.close()
        for temporary in self._temporary:
            temporary.close_all()


def storage(folder: Path, mapped: bool = False) -> IndexStorage:
    """The Whoosh folder as a storage (see IndexStorage); ``mapped`` for reading only."""
    return IndexStorage(str(folder), mapped)


def read_toc(folder: Path, generation: int) -> Any:
    """A generation's TOC: its schema and segments.

    Raises:
        IndexDamagedError: the TOC is missing or cannot be read.
    """
    try:
        return TOC.read(storage(folder), INDEX_NAME, generation)
    except Exception as error:  # noqa: BLE001 - a TOC is a pickle: anything can come out of a damaged one
        raise IndexDamagedError(f"generation {generation} of the index cannot be read ({error!r})") from error


def open_reader(folder: Path, generation: int, reuse: IndexReader | None = None) -> tuple[Any, IndexReader]:
    """A Whoosh reader of one generation (not necessarily the latest), with its TOC.

    Args:
        folder: the Whoosh folder.
        generation: the generation to read.
        reuse: a reader of an earlier generation, whose segment readers serve the segments both
            generations have (with the new generation's deletions) instead of being opened again:
            a correction then opens one small segment, not the archive's fifty. The caller closes
            the earlier reader's other segment readers (see ``unused_readers``), not the earlier reader.

    Raises:
        IndexDamagedError: the generation's files cannot be opened.
        FileNotFoundError: one of its files was deleted meanwhile (a writer moved on); try again.
    """
    toc = read_toc(folder, generation)
    # An empty generation's reader has no segment: nothing of it to reuse.
    leaves = [leaf for leaf, _ in reuse.leaf_readers() if leaf.segment() is not None] if reuse is not None else []
    opened = {leaf.segment().segment_id(): leaf for leaf in leaves}
    fresh: list[IndexReader] = []
    try:
        readers = []
        for segment in toc.segments:
            reader = opened.get(segment.segment_id())
            if reader is None:
                reader = SegmentReader(storage(folder, mapped=True), toc.schema, segment, generation=generation)
                fresh.append(reader)
            else:
                # Its deletions are the segment's, and the TOC of each generation has its own; the
                # set of them the reader cached (Whoosh filters postings through it) goes with them.
                reader._segment = reader._perdoc._segment = segment  # noqa: SLF001
                reader.__dict__.pop("deleted_docs_set", None)
            readers.append(reader)
    except BaseException as error:
        for reader in fresh:
            reader.close()
        if isinstance(error, FileNotFoundError | KeyboardInterrupt | SystemExit):
            raise
        raise IndexDamagedError(f"generation {generation} of the index cannot be opened ({error!r})") from error
    if not readers:
        return toc, EmptyReader(toc.schema)
    return toc, readers[0] if len(readers) == 1 else MultiReader(readers, generation=generation)


def segment_layout(segments: list[Any]) -> tuple[tuple[str, int], ...]:
    """Each segment's id and number of document numbers, in order: what fixes the numbers."""
    return tuple((segment.segment_id(), segment.doc_count_all()) for segment in segments)


def unused_readers(before: IndexReader, after: IndexReader) -> list[IndexReader]:
    """The segment readers of ``before`` that ``after`` (opened reusing it) does not use."""
    kept = {id(leaf) for leaf, _ in after.leaf_readers()}
    return [leaf for leaf, _ in before.leaf_readers() if id(leaf) not in kept]


def generation_files(folder: Path, toc: Any) -> FileSizes:
    """The files a generation needs (its TOC, and every file of its segments), with their sizes."""
    prefixes = tuple(f"{segment.segment_id()}." for segment in toc.segments)
    names = [toc_name(toc.generation)] + [name for name in os.listdir(folder) if name.startswith(prefixes)]
    return {name: (folder / name).stat().st_size for name in names}


def missing_or_changed(folder: Path, expected: FileSizes) -> str | None:
    """What is wrong with a generation's files, compared with the sizes recorded at its commit, or None."""
    for name, size in sorted(expected.items()):
        try:
            actual = (folder / name).stat().st_size
        except FileNotFoundError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} is {actual} bytes, not {size}"
    return None


def flush_generation(folder: Path, toc: Any) -> FileSizes:
    """Flush a newly written generation's files to the disk; return their sizes, to record."""
    files = generation_files(folder, toc)
    fsync_files(folder, files)
    return files


def remove_uncommitted(folder: Path, committed: int) -> None:
    """Delete TOC files of generations the store never committed (a crash came between), and TOCs
    half written. The segments they named are deleted with the other unused files."""
    for name in os.listdir(folder):
        match = _TOC_FILE.match(name)
        if (match and int(match.group(1)) > committed) or _TOC_TEMPORARY.match(name):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
