"""Durable writes: a file is replaced whole or not at all, and what is written survives a power cut."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

BACKUP_SUFFIX = ".bak"


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's) content and metadata to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_files(folder: Path, names: Iterable[str]) -> None:
    """Flush several files of ``folder``, then the folder itself (so their names are durable too)."""
    for name in names:
        fsync_path(folder / name)
    fsync_path(folder)


def write_atomically(path: Path, data: bytes, keep_previous: bool = False, durable: bool = True) -> None:
    """Replace ``path`` with ``data``: a reader sees the old content or the new, never a mix.

    The data goes to a temporary file of its own in the same folder (so two writers never share
    one), is flushed to the disk, and is renamed over ``path``; the folder is flushed last.

    Args:
        path: the file to replace.
        data: its new content.
        keep_previous: keep the content being replaced as ``<path>.bak`` (user data: a bad
            edit can still be undone by hand).
        durable: flush to the disk; False for a cache that tells a file a power cut left empty
            or cut short from a good one.

    Raises:
        OSError: the file could not be written (disk full, read-only folder); ``path`` is as it was
            and no temporary file is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), _mode_for(path))
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if keep_previous:
            _keep_copy(path)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        fsync_path(path.parent)


def _mode_for(path: Path) -> int:
    """The permissions ``path`` has, or those a new file gets under the umask (a temporary file is
    made private, which the file it becomes must not be)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` can only be read by setting it,
    which would race with threads creating files)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _keep_copy(path: Path) -> None:
    """Copy ``path`` to ``<path>.bak`` (atomically too); ``path`` itself stays until it is replaced,
    so a reader never finds it missing."""
    try:
        previous = path.read_bytes()
    except FileNotFoundError:
        return
    write_atomically(path.with_name(path.name + BACKUP_SUFFIX), previous)
