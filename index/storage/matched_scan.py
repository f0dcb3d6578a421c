"""The folder's scan that the article store's manifest matches, kept for the next indexing run.

A run finds what changed by comparing every file's size and modification time with the manifest
the store recorded: reading that manifest and comparing took 0.15 s at 100k files, a third of a run
with nothing to do besides the scan itself. When the store has committed nothing since a run left
the manifest matching its scan, that scan stands in for the manifest: a new scan equal to it, file
for file, means nothing changed, and where they differ are the files to read and those gone. At
100k files, keeping a scan costs the run that keeps it 55-70 ms; reading it back and comparing
takes 58-72 ms, against 0.15-0.25 s for the manifest.

A scan is kept only when the manifest matches it exactly: by a run that found nothing to do, or one
that stored every file it read (so never after a cancelled run, or one with a file it could not
read, whose manifest entry stays as it was). It names the store's generation and index id: any
commit since (another run's, a correction's) or a rebuild makes it stale. It is a cache: when it is
missing, stale or unreadable, the manifest is read.
"""

from __future__ import annotations

import logging
import marshal
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.atomic import write_atomically
from index.reading.files import FoundFile
from index.storage.layout import MATCHED_SCAN_FILE
from index.storage.store import INDEX_ID, ArticleStore

log = logging.getLogger(__name__)

_LAYOUT = 1  # of the file's content: another one is ignored
# Without references between objects: written in a third of the time, read back as fast.
_MARSHAL_VERSION = 2
_BLOCK = 256  # entries compared at once while two scans are alike
_Entry = tuple[Any, ...]  # a found file as kept: path, size, mtime_ns (and the name to open it by)


@dataclass(frozen=True)
class ScanChanges:
    """How a scan of the archive differs from the manifest, found from the scan kept for it."""

    candidates: list[FoundFile]  # new or changed since the manifest, in the scan's order
    deleted: list[str]  # in the manifest, no longer in the folder
    # The manifest's entries of the files changed or gone (path -> size, mtime_ns): the rest of
    # the manifest is the scan itself.
    before: dict[str, tuple[int, int]]


def changes_since_kept_scan(index_dir: Path, store: ArticleStore, found: list[FoundFile]) -> ScanChanges | None:
    """What changed in ``found``, a scan of the archive, since the manifest, told by the scan kept
    for the store as it is now; None when there is none (the manifest is then to be read)."""
    with suppress(OSError, ValueError, EOFError, TypeError, IndexError, KeyError):
        kept = marshal.loads((index_dir / MATCHED_SCAN_FILE).read_bytes())
        if kept[:3] != _stamp(store):
            return None
        changed, gone = _differences(_kept_form(found), kept[3])
        changed_paths = {found[position].relpath for position in changed}
        return ScanChanges(
            candidates=[found[position] for position in changed],
            deleted=[entry[0] for entry in gone if entry[0] not in changed_paths],
            before={entry[0]: (entry[1], entry[2]) for entry in gone},
        )
    return None


def _differences(now: Sequence[_Entry], kept: Sequence[_Entry]) -> tuple[list[int], list[_Entry]]:
    """The positions in ``now`` of its entries that ``kept`` lacks, and the entries of ``kept`` that
    ``now`` lacks. Both are sorted by their first item, the path, each path at most once.

    A run of entries alike is passed over a block at a time, compared in C: 100k entries with ten
    changed cost 10-20 ms, where sets of the entries cost 80-180 ms (each tuple hashed anew).
    """
    changed: list[int] = []
    gone: list[_Entry] = []
    i = j = 0
    while i < len(now) and j < len(kept):
        if now[i : i + _BLOCK] == kept[j : j + _BLOCK]:
            i += _BLOCK
            j += _BLOCK
            continue
        for _ in range(_BLOCK):  # entry by entry through the block that differs
            if i == len(now) or j == len(kept):
                break
            entry, was = now[i], kept[j]
            if entry == was:
                i += 1
                j += 1
            elif entry[0] == was[0]:  # the same file, changed
                changed.append(i)
                gone.append(was)
                i += 1
                j += 1
            elif entry[0] < was[0]:  # a file new since
                changed.append(i)
                i += 1
            else:  # a file gone since
                gone.append(was)
                j += 1
    changed.extend(range(i, len(now)))
    gone.extend(kept[j:])
    return changed, gone


def keep_scan(index_dir: Path, store: ArticleStore, found: list[FoundFile]) -> None:
    """Keep ``found`` for the next run: a scan the store's committed manifest matches exactly."""
    content = marshal.dumps((*_stamp(store), _kept_form(found)), _MARSHAL_VERSION)
    try:
        # What a run killed while keeping its scan left (only a run, under the indexing lock, writes one).
        for leftover in index_dir.glob(f".{MATCHED_SCAN_FILE}.*.tmp"):
            leftover.unlink(missing_ok=True)
        # Not flushed to the disk: a power cut leaves the file as it was, cut short or empty, all of
        # which the next run tells from a scan it may use.
        write_atomically(index_dir / MATCHED_SCAN_FILE, content, durable=False)
    except OSError as error:  # the next run reads the manifest: slower, as right
        log.info("could not keep the folder's scan: %s", error)


def _kept_form(found: list[FoundFile]) -> list[_Entry]:
    """The scan as marshal writes it: plain tuples, without the name to open a file by when it is
    the name shown (nearly always; 4.6 MB at 100k files rather than 6.7)."""
    return [file[:3] if file.fs_relpath is file.relpath else tuple(file) for file in found]


def _stamp(store: ArticleStore) -> tuple[int, str | None, str | None]:
    return (_LAYOUT, store.get_meta(INDEX_ID), store.get_meta("generation"))
