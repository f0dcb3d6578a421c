"""The parts of an archive's index inside its folder, and the locks that keep their writers apart.

Two locks, always taken in this order when both are needed:
- the indexing lock, held for a whole indexing run and for archive-wide entity corrections: a
  second run waits for the first. A run takes the commit lock before it starts any worker, so a
  writer holding the commit lock that sees the indexing lock free knows no segment is being written
  and may delete the files no generation needs (see commits.remove_unused_files);
- the commit lock, held while a change is committed (a run's batch of files, a correction):
  a correction waits for the commit in progress, never for a whole run.
Searches never wait for either (they may look whether one is held): they read the last generation
committed.
"""

from __future__ import annotations

from pathlib import Path

from index.locks import ExclusiveLock

WHOOSH_DIR = "whoosh"
STORE_FILE = "articles.sqlite"
COLUMNS_FILE = "columns.bin"
DAMAGE_FILE = "damaged.txt"  # left by a reader that found the index damaged: the next run rebuilds it
MATCHED_SCAN_FILE = "matched-scan.marshal"  # see matched_scan.py
# Files of the index proper: removed when it is rebuilt (the lock files stay, others may wait on them);
# columns.npz is what schema 15 and before called the columns file.
INDEX_PARTS = (
    WHOOSH_DIR,
    STORE_FILE,
    STORE_FILE + "-wal",
    STORE_FILE + "-shm",
    COLUMNS_FILE,
    DAMAGE_FILE,
    MATCHED_SCAN_FILE,
    "columns.npz",
)


def indexing_lock(index_dir: Path) -> ExclusiveLock:
    """Held by the indexing run of the archive whose index is in ``index_dir``."""
    return ExclusiveLock(index_dir / "indexing.lock", "indexing this archive")


def model_pass_lock(index_dir: Path) -> ExclusiveLock:
    """Held by the entity model pass of the archive whose index is in ``index_dir``."""
    return ExclusiveLock(index_dir / "entity-models.lock", "reading its entities with the language models")


def commit_lock(index_dir: Path) -> ExclusiveLock:
    """Held while a change to the index in ``index_dir`` is committed."""
    return ExclusiveLock(index_dir / "commit.lock", "saving changes to this archive's index")
