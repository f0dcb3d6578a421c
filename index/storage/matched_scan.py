"""The folder's scan that the article store's manifest matches, kept for the next indexing run.

A run finds what changed by comparing every file's size and modification time with the manifest
the store recorded: reading that manifest and comparing took 0.15 s at 100k files, a third of a run
with nothing to do besides the scan itself. When the store has committed nothing since a run left
the manifest matching its scan, that scan stands in for the manifest: a new scan equal to it, file
for file, means nothing changed. At 100k files, keeping a scan costs the run that keeps it 55-70 ms;
reading it back and comparing takes 58-72 ms, against 123-199 ms for the manifest.

A scan is kept only when the manifest matches it exactly: by a run that found nothing to do, or one
that stored every file it read (so never after a cancelled run, or one with a file it could not
read, whose manifest entry stays as it was). It names the store's generation and index id: any
commit since (another run's, a correction's) or a rebuild makes it stale. It is a cache: when it is
missing, stale or unreadable, the manifest is read.
"""

from __future__ import annotations

import logging
import marshal
from contextlib import suppress
from pathlib import Path

from index.atomic import write_atomically
from index.reading.files import FoundFile
from index.storage.layout import MATCHED_SCAN_FILE
from index.storage.store import INDEX_ID, ArticleStore

log = logging.getLogger(__name__)

_LAYOUT = 1  # of the file's content: another one is ignored
# Without references between objects: written in a third of the time, read back as fast.
_MARSHAL_VERSION = 2


def matches_kept_scan(index_dir: Path, store: ArticleStore, found: list[FoundFile]) -> bool:
    """Whether ``found``, a scan of the archive, is the scan kept for the store as it is now."""
    with suppress(OSError, ValueError, EOFError, TypeError, IndexError, KeyError):
        kept = marshal.loads((index_dir / MATCHED_SCAN_FILE).read_bytes())
        return bool(kept[:3] == _stamp(store) and kept[3] == _kept_form(found))
    return False


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


def _kept_form(found: list[FoundFile]) -> list[tuple[str | int, ...]]:
    """The scan as marshal writes it: plain tuples, without the name to open a file by when it is
    the name shown (nearly always; 4.6 MB at 100k files rather than 6.7)."""
    return [file[:3] if file.fs_relpath is file.relpath else tuple(file) for file in found]


def _stamp(store: ArticleStore) -> tuple[int, str | None, str | None]:
    return (_LAYOUT, store.get_meta(INDEX_ID), store.get_meta("generation"))
