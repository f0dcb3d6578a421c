"""Files the user made (corrections; later excerpts): read fresh, changed under a lock, written atomically.

Several Archivists may have the same archive open (the app and the CLI, two windows): each change
re-reads the file under a lock, applies itself to what it finds, and replaces the file atomically,
keeping the previous version beside it. No change is ever made from a copy held in memory, so no
writer undoes another's work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.atomic import BACKUP_SUFFIX, write_atomically
from index.errors import ArchivistError
from index.locks import ExclusiveLock

log = logging.getLogger(__name__)
READABLE_JSON_LIMIT = 64 * 1024  # characters under which a user file is written indented
LOCK_TIMEOUT_SECONDS = 30.0  # a change holds the lock for milliseconds; waiting longer means something is stuck


class UserFileError(ArchivistError):
    """A user file could not be read or saved; the message says which and why."""


def describe_os_error(error: OSError) -> str:
    """An OSError as a person reads it: "no space left on device", "read-only file system"."""
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    return (error.strerror or str(error)).lower()


class UserFile:
    """One JSON file of the user's, shared by every Archivist that opens the archive.

    Args:
        path: the file.
        what: what it holds, for messages ("corrections").
        valid: whether a parsed value has the expected shape; one that has not is unreadable.
    """

    def __init__(self, path: Path, what: str, valid: Callable[[Any], bool] = lambda _value: True) -> None:
        self.path = path
        self.what = what
        self._valid = valid
        self._backup = path.with_name(path.name + BACKUP_SUFFIX)
        self._lock = ExclusiveLock(path.with_name(path.name + ".lock"), f"saving {what}")

    def read(self) -> Any:
        """The file's content, or None when there is none yet.

        When the file cannot be parsed (cut short by a crash of an older version, edited by hand),
        the previous version kept beside it is read instead.

        Raises:
            UserFileError: neither the file nor its previous version can be read.
        """
        try:
            return self._load(self.path)
        except (OSError, ValueError, RecursionError) as error:
            value = self._load_backup()
            if value is None:
                raise UserFileError(f"your {self.what} in {self.path} cannot be read ({error})") from error
            log.warning("%s cannot be read (%s); using its previous version %s", self.path, error, self._backup)
            return value

    def update(self, change: Callable[[Any], Any]) -> Any:
        """Apply ``change`` to the file's current content and save the result.

        A file that cannot be parsed is first renamed aside (never deleted) and the change applies to
        its previous version, or to nothing; one that cannot be read at all is left alone.

        Args:
            change: given the content (None when there is none), returns the new content. It may
                raise to abandon the update; the file is then untouched.

        Returns:
            The new content.

        Raises:
            UserFileError: the file could not be saved (the message says why); it is unchanged.
            IndexLockedError: another writer held it for too long.
        """
        with self._lock.held(timeout=LOCK_TIMEOUT_SECONDS):
            try:
                current = self._load(self.path)
            except OSError as error:  # Unreadable now (busy disk, network share), not damaged.
                raise UserFileError(
                    f"your {self.what} in {self.path} cannot be read: {describe_os_error(error)}"
                ) from error
            except (ValueError, RecursionError) as error:
                kept = self._keep_aside()
                log.warning("%s could not be read (%s) and was kept as %s", self.path, error, kept)
                current = self._load_backup()
            new = change(current)
            self._remove_leftovers()
            data = _json_bytes(new)
            try:
                write_atomically(self.path, data, keep_previous=True)
            except OSError as error:
                log.exception("could not save %s", self.path)
                raise UserFileError(
                    f"could not save your {self.what} to {self.path}: {describe_os_error(error)}"
                ) from error
            return new

    def _remove_leftovers(self) -> None:
        """Delete temporary files a writer killed mid-save left; under the lock, no live writer owns one."""
        for name in (self.path.name, self._backup.name):
            for leftover in self.path.parent.glob(f".{glob.escape(name)}.*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def _load(self, path: Path) -> Any:
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            return None
        value = json.loads(text)
        if not self._valid(value):
            raise ValueError(f"not a file of {self.what}")
        return value

    def _load_backup(self) -> Any:
        try:
            return self._load(self._backup)
        except (OSError, ValueError, RecursionError):
            return None

    def _keep_aside(self) -> Path:
        """Rename the unreadable file to a name of its own, never overwriting an earlier one."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        for number in range(1000):
            suffix = f".unreadable-{stamp}" + (f"-{number}" if number else "") + ".json"
            kept = self.path.with_name(self.path.stem + suffix)
            if not kept.exists():
                try:
                    self.path.replace(kept)
                except OSError as error:
                    raise UserFileError(
                        f"your {self.what} in {self.path} cannot be read, nor moved aside: {describe_os_error(error)}"
                    ) from error
                return kept
        raise UserFileError(f"your {self.what} in {self.path} cannot be read, nor moved aside")


def _json_bytes(value: Any) -> bytes:
    """``value`` as UTF-8 JSON, indented for reading when small; text holding a lone surrogate (quoted
    from a broken file) cannot be UTF-8, and is then written with ``\\u`` escapes, which read back the same.

    Large files are written on one line: only then does json use its C encoder (10x faster), and a
    basket of thousands of excerpts is rewritten on every change.
    """

    def dumps(ascii_only: bool) -> str:
        text = json.dumps(value, ensure_ascii=ascii_only, sort_keys=True)
        if len(text) < READABLE_JSON_LIMIT:
            text = json.dumps(value, ensure_ascii=ascii_only, indent=1, sort_keys=True)
        return text

    try:
        return dumps(ascii_only=False).encode("utf-8")
    except UnicodeEncodeError:
        return dumps(ascii_only=True).encode("ascii")
