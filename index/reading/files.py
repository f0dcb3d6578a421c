"""Find the files of an archive and read their bytes, or say why not: every oddity a folder can hold
(links, loops, pipes, devices, unreadable entries, names that are not UTF-8, huge files) is a skip
with a reason, never an exception."""

from __future__ import annotations

import errno
import os
import re
import stat
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from index.models import SkippedFile

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl", ".csv", ".sgm", ".sgml"}  # SGML: Reuters-21578, TREC
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES

# Surrogates cannot be encoded: SQLite, hashing and the index fail on them. Decoded bytes never hold
# any; JSON escapes ("\ud800") and file names that are not valid UTF-8 (os.fsdecode) do.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What os.fsdecode turns each undecodable byte 0x80-0xff of a file name into.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_SHOWN_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")
_NOT_REGULAR_KINDS = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "device file"),
    (stat.S_ISBLK, "device file"),
)
# Never wait on a named pipe with no writer; never make a terminal our controlling one; no newline
# translation on Windows.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class FoundFile(NamedTuple):
    """A candidate file: its path relative to the archive, and what decides if it changed.

    ``relpath`` names the file everywhere (store, ids, reports, the UI) and is always valid
    Unicode. ``fs_relpath`` is the name to open it by. They differ only for a name that is not
    valid UTF-8, which the system hands over with its bad bytes as surrogate escapes
    (``os.fsdecode``) and ``relpath`` shows as ``\\xNN`` (see ``displayable``).
    """

    relpath: str
    size: int
    mtime_ns: int
    fs_relpath: str


def displayable(name: str) -> str:
    """``name`` as valid Unicode: each undecodable byte shown as ``\\xNN``, any other surrogate as ``\\uNNNN``.

    Distinct names stay distinct (barring a name that spells such an escape out literally, which
    ``scan`` reports), and the same name always gives the same result, hence the same article ids.
    """
    if name.isascii():  # most names: no surrogate to look for (a re-index scans them all)
        return name
    return _SURROGATE.sub(_shown_surrogate, name)


def _shown_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if _ESCAPED_BYTE.match(match.group()) else f"\\u{code:04x}"


def path_in_archive(root: Path, relpath: str) -> Path:
    """The file a ``FoundFile.relpath`` (or an article's path) names under ``root``.

    Args:
        root: the archive folder.
        relpath: the displayable path, as ``scan`` gave it.

    Returns:
        The path to open: ``root / relpath`` unless ``relpath`` shows bytes of a name that
        is not valid UTF-8, which are put back.
    """
    plain = root / relpath
    if os.path.lexists(plain) or not _SHOWN_BYTE.search(relpath):
        return plain
    return root / _SHOWN_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), relpath)


def scan(root: Path) -> tuple[list[FoundFile], list[SkippedFile]]:
    """List the article files under ``root``, recursively.

    Hidden files and folders are ignored. Symbolic links to files are followed when they stay
    inside ``root``; links to folders are not (their files are found where they are). Folders
    that cannot be listed, files of other types, anything but regular files (named pipes,
    sockets, devices), broken links, link loops and oversized files are reported as skipped.

    Args:
        root: the archive folder.

    Returns:
        The files to read (sorted by path) and the files skipped (sorted by path), with reasons.
    """
    top = os.path.realpath(root)
    found: list[FoundFile] = []
    skipped: list[SkippedFile] = []
    shown_escapes: set[str] = set()  # names of files to read that hold a backslash
    folders = [""]  # relative to top, with "/" separators; "" is top itself
    # A plain file costs one system call (its stat) and no more Python than needed: an unchanged
    # re-index of 100k files is mostly this loop.
    while folders:
        folder = folders.pop()
        prefix = f"{folder}/" if folder else ""
        folder_path = os.path.join(top, folder)
        try:
            descriptor, entries = _listed(folder_path)
        except OSError as error:
            skipped.append(SkippedFile(displayable(folder) or ".", f"folder cannot be read: {_reason(error)}"))
            continue
        try:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                fs_relpath = prefix + name
                relpath = displayable(fs_relpath)
                try:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(fs_relpath)  # Popped in name order: entries are in reverse.
                        continue
                    problem = _not_a_file_to_read(entry, folder_path, top)
                    # Two names can only read alike when they show an escape (see displayable).
                    if problem is None and "\\" in relpath and relpath in shown_escapes:
                        problem = "its name reads as another file's once bytes that are not UTF-8 show as \\xNN"
                    if problem is None:
                        status = entry.stat()
                        if status.st_size > MAX_FILE_BYTES:
                            problem = f"larger than {MAX_FILE_BYTES // 2**20} MB"
                except OSError as error:
                    problem = f"cannot be read: {_reason(error)}"
                if problem is not None:
                    skipped.append(SkippedFile(relpath, problem))
                    continue
                if "\\" in relpath:
                    shown_escapes.add(relpath)
                found.append(_found_file(FoundFile, (relpath, status.st_size, status.st_mtime_ns, fs_relpath)))
        finally:
            os.close(descriptor)
    found.sort(key=itemgetter(0))  # by relpath
    skipped.sort(key=lambda s: s.path)
    return found, skipped


# A FoundFile made in C: its class's __new__ is a Python function, a tenth of scanning a folder.
_found_file = tuple.__new__


def _listed(folder: str) -> tuple[int, list[os.DirEntry[str]]]:
    """An open descriptor of ``folder``, and its entries in reverse name order.

    Its files are looked at through the descriptor: a stat by name in the folder, rather than by
    a path walked from the root, costs a sixth less.
    """
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with os.scandir(descriptor) as listing:
            return descriptor, sorted(listing, key=_name, reverse=True)
    except BaseException:  # an interrupt too: the caller gets no descriptor to close
        os.close(descriptor)
        raise


def _not_a_file_to_read(entry: os.DirEntry[str], folder: str, top: str) -> str | None:
    """Why ``entry`` of ``folder`` (not a folder itself) is not read, or None when it is a supported
    regular file.

    Costs no system call for a plain file (the listing gives its type), a few for a link.
    """
    if entry.is_symlink():
        try:
            target = os.path.realpath(os.path.join(folder, entry.name), strict=True)
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "symbolic link loop"
            return f"broken symbolic link ({_reason(error)})"
        if not Path(target).is_relative_to(top):
            return "symbolic link leading outside the archive"
        if os.path.isdir(target):
            return "symbolic link to a folder (not followed: its files are read where they are)"
    if not entry.is_file():
        return f"not a regular file ({_kind(entry.stat().st_mode)})"
    dot = entry.name.rfind(".")
    suffix = entry.name[dot:].lower() if dot > 0 else ""  # as os.path.splitext: ".profile" has none
    if suffix not in SUPPORTED_SUFFIXES:
        return f"unsupported file type ({displayable(suffix) or 'no extension'})"
    return None


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _kind(mode: int) -> str:
    return next((kind for test, kind in _NOT_REGULAR_KINDS if test(mode)), "special file")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def read_bytes(root: Path, relpath: str, fs_relpath: str | None = None) -> bytes | SkippedFile:
    """A file's content, or why it cannot be read.

    The folder may have changed since ``scan``: the file is opened without blocking (a named pipe
    put in its place would otherwise wait for a writer forever, past any cancel) and read only
    if it is still a regular file, and never beyond MAX_FILE_BYTES.

    Args:
        root: the archive folder.
        relpath: the file's path as ``scan`` gave it (``FoundFile.relpath``, an article's path).
        fs_relpath: its name on disk (``FoundFile.fs_relpath``); worked out from ``relpath``
            when not given.

    Returns:
        The bytes, or the file skipped with the reason.
    """
    path = root / fs_relpath if fs_relpath is not None else path_in_archive(root, relpath)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        return SkippedFile(relpath, f"cannot be read: {_reason(error)}")
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return SkippedFile(relpath, f"not a regular file ({_kind(status.st_mode)})")
        with open(descriptor, "rb", closefd=False) as handle:
            # One byte more than its size shows whether it grew since; only then read on.
            data = handle.read(min(status.st_size, MAX_FILE_BYTES) + 1)
            if len(data) > status.st_size:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        return SkippedFile(relpath, f"cannot be read: {_reason(error)}")
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        return SkippedFile(relpath, f"larger than {MAX_FILE_BYTES // 2**20} MB")
    return data
