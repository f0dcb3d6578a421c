"""What a worker process does with a task: read its files a few ahead, analyse them, write one
segment, and report the files as they are read; and how a worker follows its parent."""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.indexing.pipeline import UserCorrections, analyse_files
from index.models import SkippedFile
from index.reading.files import FoundFile, read_bytes
from index.storage.commits import (
    ReadFile,
)
from index.storage.model_results import ModelResults
from index.storage.writing import SegmentBuilder

log = logging.getLogger(__name__)
CancelCheck = Callable[[], bool]
Job = tuple[FoundFile, str | None]  # a file to read, with its content hash when last indexed
READ_AHEAD_FILES = 16  # per worker: enough to hide the disk, few enough to bound the memory
# Files analysed together, a phase at a time (see analyse_files).
BATCH_FILES = 64
BATCH_BYTES = 2**20  # about a second and a half of work: how long a batch under way holds up a cancel
PARENT_CHECK_SECONDS = 1.0  # how soon a worker notices its parent died


@dataclass(frozen=True)
class TaskResult:
    """A worker task's files, and the not yet committed segment holding their articles."""

    files: list[ReadFile]
    segment: Any | None
    cancelled: bool


def write_task(
    whoosh_dir: str,
    root: Path,
    jobs: list[Job],
    corrections: UserCorrections,
    report: Callable[[str], None],
    cancelled: CancelCheck,
) -> TaskResult:
    """Read and analyse files and write their articles into a new segment (in a worker process).

    The segment is finished but not added to the index: the main process does that, together
    with storing the articles, so the index and the store change together.

    Args:
        whoosh_dir: the Whoosh index folder.
        root: the archive folder.
        jobs: the files to read, with their last content hashes.
        corrections: the user's corrections by article id.
        report: called with each file's path once it is read.
        cancelled: polled before each file is taken and before the segment is finished; True abandons the task.

    Returns:
        The files read and the segment, or a cancelled result without a segment.
    """
    builder = SegmentBuilder(Path(whoosh_dir))
    model_results = ModelResults(Path(whoosh_dir).parent)
    files: list[ReadFile] = []
    try:
        with cycle_collection_paused(), _read_ahead(root, jobs) as contents:
            for batch in _batches(contents, cancelled):
                contents_read = [(found, data, sha1) for (found, sha1), data in batch]
                for read, documents in analyse_files(contents_read, corrections, model_results):
                    for fields in documents:
                        builder.add(fields)
                    files.append(read)
                    report(read.found.relpath)
            if cancelled():  # also during the last batch: a task's files are committed whole or not at all
                builder.cancel()
                return TaskResult(files, None, True)
            segment = builder.finish()
    except BaseException:
        builder.cancel()
        raise
    finally:
        model_results.close()
    return TaskResult(files, segment, False)


def _batches(
    contents: Iterator[tuple[Job, bytes | SkippedFile]], cancelled: CancelCheck
) -> Iterator[list[tuple[Job, bytes | SkippedFile]]]:
    """The files read, a batch at a time (see analyse_files): at most BATCH_FILES files, and no more
    than BATCH_BYTES of them unless one file alone is larger; none once ``cancelled()``, which is
    asked before each file is taken (a cancelled task reads no more than its read-ahead)."""
    batch: list[tuple[Job, bytes | SkippedFile]] = []
    size = 0
    for item in contents:
        if cancelled():
            return
        length = len(item[1]) if isinstance(item[1], bytes) else 0
        if batch and (len(batch) >= BATCH_FILES or size + length > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += length
    if batch:
        yield batch


@contextmanager
def _read_ahead(root: Path, jobs: list[Job]) -> Iterator[Iterator[tuple[Job, bytes | SkippedFile]]]:
    """The jobs with their files' contents, read by a thread at most READ_AHEAD_FILES files ahead,
    half of them at a time.

    File reads release the GIL: waiting for the disk (most of an archive is not in the OS cache)
    overlaps with analysing the files already read. Handed to the thread a file at a time, the
    reads cost a worker 5 % more processor time than reading in its own thread (each hand-over
    wakes the thread and passes the GIL back and forth); a few files at a time, nothing measurable.
    """
    chunk_files = READ_AHEAD_FILES // 2

    def read(chunk: list[Job]) -> list[bytes | SkippedFile]:
        return [read_bytes(root, found.relpath, found.fs_relpath) for found, _ in chunk]

    with ThreadPoolExecutor(1) as reader:

        def contents() -> Iterator[tuple[Job, bytes | SkippedFile]]:
            pending: deque[tuple[list[Job], Future[list[bytes | SkippedFile]]]] = deque()
            for start in range(0, len(jobs), chunk_files):
                chunk = jobs[start : start + chunk_files]
                pending.append((chunk, reader.submit(read, chunk)))
                if len(pending) > 1:
                    done, future = pending.popleft()
                    yield from zip(done, future.result(), strict=True)
            while pending:
                done, future = pending.popleft()
                yield from zip(done, future.result(), strict=True)

        yield contents()


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector, for work that makes many objects and no reference cycles.

    The collector runs every few hundred allocations, and now and then traverses every object
    alive: again and again the terms of a task's segment, all in memory until it is written, and
    the articles analysed (a fifth of a task's time once); the listing and the manifest of an
    unchanged re-index (0.1 s of its 0.7 at 100k files). Analysis and scanning make no reference
    cycles (measured: nothing left to collect after a task), so nothing is lost by collecting
    when the work ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Set in each worker process by start_worker: where to report files read, and the stop flag.
_worker_reports: Any = None
_worker_stop: Any = None


def start_worker(reports: Any, stop: Any, parent: int) -> None:
    global _worker_reports, _worker_stop
    _worker_reports, _worker_stop = reports, stop
    # Ctrl-C reaches the whole process group: the parent decides what it means (cancel the run).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    """End this worker when the process that started it dies (even by SIGKILL, even before this
    worker got this far), rather than linger, holding hundreds of MB, waiting for tasks that will
    never come. An orphan is adopted by another process, so its parent's pid changes."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_task(whoosh_dir: str, root: Path, jobs: list[Job], corrections: UserCorrections) -> TaskResult:
    reports = TimedBatches(_worker_reports.put, REPORT_SECONDS)
    try:
        return write_task(whoosh_dir, root, jobs, corrections, reports.add, _worker_stop.is_set)
    finally:
        reports.flush()


# A worker reports the files it read in batches, a few per second: a message per file costs it a
# pickle, a lock and a pipe write, and its queue thread competes for the GIL.
REPORT_SECONDS = 0.1


class TimedBatches:
    """Collects items and sends them together, at most once per ``interval`` seconds (and at ``flush``)."""

    def __init__(self, send: Callable[[list[str]], None], interval: float) -> None:
        self._send = send
        self.interval = interval
        self._paths: list[str] = []
        self._sent = time.monotonic()

    def add(self, *items: str) -> None:
        """Add items; send what was collected if the interval has passed."""
        self._paths.extend(items)
        if time.monotonic() - self._sent >= self.interval:
            self.flush()

    def __len__(self) -> int:
        return len(self._paths)

    def flush(self) -> None:
        """Send what was collected now."""
        if self._paths:
            self._send(self._paths)
            self._paths = []
        self._sent = time.monotonic()
