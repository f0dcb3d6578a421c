"""Index files read through a memory mapping, for searches.

A search at a million articles looks terms up in hundreds of segments: each lookup is a dozen
small reads of a segment's term table and postings. Read through a file object, each is a
``seek`` and a ``read`` system call (about 5 µs); from a mapping, a slice. Expanding ``minist*``
there took 81 ms through files and 20 ms mapped. Mapped, a search's first read of a cold page also
reads the pages around it (the kernel's read-ahead), so typing right after the app opens reads the
index in large strides rather than a page at a time.

Whoosh maps files itself, but then copies every part of a segment it opens into memory (its
``BufferFile`` wraps each part in a ``BytesIO``: 1.1 GB at 100k articles), so the storage it is
given never maps (generations.IndexStorage); this module's files do, without copying. A mapped
page of the index counts in the process's resident memory once a search has read it, as a cached
page of the file it is: the system takes it back when it needs the memory.

A mapped file cut short while mapped, or a disk failing under it, stops the process (SIGBUS)
where a read would have raised an error. The engine never rewrites an index file: segments are
written once under new names and only ever deleted, which a mapping survives. The frequent terms'
files (frequent.py) were mapped before these.
"""

from __future__ import annotations

import contextlib
import mmap
from typing import Any

from whoosh.filedb.structfile import StructFile


class _ViewReader:
    """A read-only file object over a memoryview: what StructFile's reading methods call."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._position = 0

    def read(self, length: int | None = -1) -> bytes:
        start = self._position
        # A slice past the end is cut short, as a read at the end of a file is.
        data = self._view[start:] if length is None or length < 0 else self._view[start : start + length]
        self._position = start + len(data)
        return data.tobytes()

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, limit: int | None = -1) -> bytes:
        view, start = self._view, self._position
        end = len(view) if limit is None or limit < 0 else min(start + limit, len(view))
        newline = view[start:end].tobytes().find(b"\n")
        return self.read(end - start if newline < 0 else newline + 1)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._position, len(self._view))[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position


class _Mapping:
    """A file's mapping and how many of the MappedFiles viewing it are open: the last to close
    unmaps it (a mapped file cannot be deleted on Windows, and holds address space)."""

    def __init__(self, mapping: mmap.mmap) -> None:
        self.mapping = mapping
        self.open_files = 0

    def closed_one(self) -> None:
        self.open_files -= 1
        if not self.open_files:
            with contextlib.suppress(BufferError):  # a view still used elsewhere: unmapped when freed
                self.mapping.close()


class MappedFile(StructFile):  # type: ignore[misc]
    """A Whoosh StructFile reading a memoryview of a mapped file, its parts (``subset``) views too."""

    def __init__(self, view: memoryview, mapping: _Mapping, name: str | None = None) -> None:
        super().__init__(_ViewReader(view), name=name)
        self.is_closed: bool = False
        self._view = view
        self._mapping = mapping
        mapping.open_files += 1
        # Whoosh reads a term table's directory 256 small reads at a time: one call each, not two.
        self.read = self.file.read

    def get(self, position: int, length: int) -> bytes:
        return self._view[position : position + length].tobytes()

    def subset(self, offset: int, length: int, name: str | None = None) -> MappedFile:
        return MappedFile(self._view[offset : offset + length], self._mapping, name or self._name)

    def close(self) -> None:
        if self.is_closed:
            return
        self.is_closed = True
        self._view.release()
        self._mapping.closed_one()


def open_mapped(path: str, name: str) -> StructFile:
    """The file at ``path`` as a StructFile read through a mapping; read as a file when it cannot
    be mapped (an empty file, or no address space left, as for a 32-bit process)."""
    with open(path, "rb") as file:
        try:
            mapping = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):
            return StructFile(open(path, "rb"), name=name)  # noqa: SIM115 - the StructFile closes it
    return MappedFile(memoryview(mapping), _Mapping(mapping), name)
