"""Incremental, parallel indexing of an archive folder into its Whoosh index and article store.

Worker processes each read, analyse and write a whole Whoosh segment for a share of the files;
the main process only applies deletions, adds finished segments to the index and stores the
articles (commits.py). Nothing per token or per posting crosses a process boundary, and the single
Whoosh writer, whose per-posting Python work otherwise caps indexing at about 110 articles/s
here, is no longer the bottleneck.

A run is safe to kill at any moment: what it committed stays, the rest is found changed again by
the next run, and files it left half written are deleted then (see commits.py).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import queue
import shutil
import signal
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from index.errors import ArchiveNotFoundError, IndexDamagedError, IndexWriteError
from index.indexing.pipeline import UserCorrections, log_tracebacks
from index.indexing.tasks import (
    CancelCheck,
    Job,
    TaskResult,
    cycle_collection_paused,
    start_worker,
    worker_task,
    write_task,
)
from index.models import AnalysisProblem, IndexSummary, SkippedFile
from index.paths import absolute
from index.reading.files import displayable, scan
from index.storage.columns import Columns, columns_generation
from index.storage.commits import (
    COMMIT_WAIT_SECONDS,
    clean_up,
    committed_files,
    committed_generation,
    committing,
    remove_unused_files,
    write_columns,
)
from index.storage.generations import flush_generation, missing_or_changed, read_toc
from index.storage.layout import COLUMNS_FILE, DAMAGE_FILE, INDEX_PARTS, STORE_FILE, WHOOSH_DIR, commit_lock
from index.storage.matched_scan import changes_since_kept_scan, keep_scan
from index.storage.preload import announce
from index.storage.schema import index_version
from index.storage.store import ENTITY_CORRECTIONS_APPLIED, INDEX_ID, ArticleStore, entity_corrections_json, is_damage
from index.storage.writing import create_index
from index.userdata.files import describe_os_error

log = logging.getLogger(__name__)
ProgressCallback = Callable[[int, int, str], None]
INLINE_LIMIT = 64  # Below this many files, starting worker processes costs more than it saves.
# Files per worker task, hence per segment: bounds a worker's memory (its postings stay in memory
# until the segment is written) and what a cancel discards, and keeps segments few.
FILES_PER_TASK = 2000
# A run touching fewer files than this merges the index's tiny segments into its new one; bigger
# runs add their segments as they are, since a merge rewrites postings one at a time in Python.
MERGE_BELOW_FILES = 1000
# A larger store (a million articles: 3 GB) is not read ahead: reading it would cost more than the
# pages an update waits for.
STORE_READ_AHEAD_AT_MOST = 1 << 30
# Errors writing the index that the user can do something about.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EIO}
_SQLITE_WRITE_CODES = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "the index folder is read-only",
    sqlite3.SQLITE_IOERR: "a disk input/output error",
}


@dataclass(frozen=True)
class _FailedTask:
    """A task that raised instead of returning (a bug, or memory ran out): its files are reported
    and left out of the manifest, so the next run tries them again."""

    jobs: list[Job]
    error: BaseException

    @property
    def reason(self) -> str:
        if isinstance(self.error, WorkerDiedError):
            return f"could not be indexed: {self.error}"
        return f"could not be indexed: {type(self.error).__name__}: {self.error}"


class WorkerDiedError(Exception):
    """The worker process analysing a file died."""


class Indexer:
    """Keeps one archive's index in step with its folder.

    The caller holds the archive's indexing lock (layout.py) for as long as it uses the indexer.

    Args:
        root: the archive folder.
        index_dir: where its index lives (created when missing).
        corrections: the user's corrections, applied to every article indexed.
    """

    def __init__(self, root: Path, index_dir: Path, corrections: UserCorrections | None = None) -> None:
        if not root.is_dir():
            raise ArchiveNotFoundError(f"{root} is not a folder")
        self.root = absolute(root)
        self.index_dir = index_dir
        self.corrections = corrections or UserCorrections()
        self.rebuilt: str | None = None  # set by prepare()
        self.committed = False  # whether the run committed anything the facet columns must show
        # The facet columns as written before the run, once its first commit has read them to find
        # the document numbers of the articles it replaces: the run's end extends them. (Not kept
        # from prepare(), which reads them too: a run with nothing to do would hold them for nothing.)
        self.columns: Columns | None = None
        # Ids an earlier version gave articles the user corrected -> their ids now (ReadFile.renamed).
        self.renamed: dict[str, str] = {}

    def run(
        self,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        workers: int | None = None,
    ) -> IndexSummary:
        """Bring the index up to date with the folder (after :meth:`prepare`, before :meth:`finish`).

        Args:
            progress: called as ``progress(done, total, path)`` after each file read.
            should_cancel: polled while files are read; when it returns True the run stops,
                keeping what finished tasks committed, so the index stays consistent and usable.
            workers: processes reading and indexing files (default: one per core).

        Returns:
            What was added, updated, deleted, left unchanged and skipped.
        """
        return self._run(progress, should_cancel or (lambda: False), workers)

    def _run(self, progress: ProgressCallback | None, should_cancel: CancelCheck, workers: int | None) -> IndexSummary:
        started = time.perf_counter()
        rebuilt = self.rebuilt if self.rebuilt is not None else self.prepare()
        store = ArticleStore(self.index_dir / STORE_FILE)
        try:
            with cycle_collection_paused():
                found, skipped = scan(self.root)
                kept = changes_since_kept_scan(self.index_dir, store, found)
                # ``manifest`` holds at least the entries of the files to read and those gone.
                if kept is not None:
                    manifest, deleted, candidates = kept.before, kept.deleted, kept.candidates
                else:
                    manifest = store.manifest()
                    present = {f.relpath for f in found}
                    deleted = [path for path in manifest if path not in present]
                    candidates = [f for f in found if manifest.get(f.relpath) != (f.size, f.mtime_ns)]
                    if not deleted and not candidates:
                        keep_scan(self.index_dir, store, found)
            to_read = {f.relpath for f in candidates}
            problems: list[AnalysisProblem] = []
            for path, (known_skips, known_problems) in store.file_problems().items():
                if path not in to_read:
                    skipped += known_skips
                    problems += known_problems
            if not deleted and not candidates:
                return IndexSummary(
                    unchanged=len(found),
                    skipped=tuple(skipped),
                    rebuilt=rebuilt,
                    seconds=time.perf_counter() - started,
                    problems=tuple(problems),
                )
            # Storing even a few files changes pages all over the store (near-copy bands, indexes):
            # waited for one by one once the system dropped them, they took 0.5 s of 10 files' run.
            announce(self.index_dir / STORE_FILE, STORE_READ_AHEAD_AT_MOST)
            merge = len(candidates) + len(deleted) < MERGE_BELOW_FILES
            counts = {"added": 0, "updated": 0, "deleted": 0}
            if deleted:
                with committing(self.index_dir, store, merge, columns=False, read=self.columns) as commit:
                    for path in deleted:
                        counts["deleted"] += commit.delete_file(path)
                self.columns = commit.columns
                self.committed = True
            cancelled = False
            files_read = 0
            files_recorded = 0

            def on_file(path: str) -> None:
                nonlocal files_read
                files_read += 1
                if progress:
                    progress(files_read, len(candidates), path)

            known = store.content_hashes([f.relpath for f in candidates if f.relpath in manifest])
            jobs = [(f, known.get(f.relpath)) for f in candidates]
            applied = entity_corrections_json(self.corrections.entities)
            for result in self._tasks(jobs, workers, on_file, should_cancel):
                if isinstance(result, _FailedTask):
                    log.error("a task of %d files failed", len(result.jobs), exc_info=result.error)
                    skipped += [SkippedFile(job[0].relpath, result.reason) for job in result.jobs]
                    continue
                if result.cancelled:
                    cancelled = True
                    continue
                with committing(self.index_dir, store, merge, columns=False, read=self.columns) as commit:
                    for read in result.files:
                        changes = commit.record(read, read.found.relpath in manifest)
                        self.renamed.update(read.renamed)
                        log_tracebacks(read)
                        skipped += read.skipped
                        problems += read.problems
                        counts["added"] += changes.added
                        counts["updated"] += changes.updated
                        counts["deleted"] += changes.deleted
                        files_recorded += changes.recorded
                    if result.segment is not None:
                        commit.add_segment(result.segment)
                    store.set_meta(ENTITY_CORRECTIONS_APPLIED, applied)
                self.columns = commit.columns
                self.committed = True
            if files_recorded == len(candidates):  # none failed, none cancelled: the manifest is the scan
                with cycle_collection_paused():  # the collector's passes over the scan took 0.1 s
                    keep_scan(self.index_dir, store, found)
            return IndexSummary(
                added=counts["added"],
                updated=counts["updated"],
                deleted=counts["deleted"],
                unchanged=len(found) - len(candidates),
                skipped=tuple(skipped),
                cancelled=cancelled,
                rebuilt=rebuilt,
                seconds=time.perf_counter() - started,
                problems=tuple(problems),
            )
        finally:
            store.close()

    def finish(self) -> None:
        """After the run: let searches see what it committed, and delete the files no longer needed."""
        if self.committed:
            store = ArticleStore(self.index_dir / STORE_FILE)
            try:
                with commit_lock(self.index_dir).held(timeout=COMMIT_WAIT_SECONDS):
                    write_columns(self.index_dir, store, self.columns)
            finally:
                store.close()
        clean_up(self.index_dir)

    def prepare(self) -> str:
        """Make the index ready for a run: create it, put it right after a crash, or rebuild it.

        Returns:
            Why the index was rebuilt from scratch ("" when it was not).
        """
        self.rebuilt = self._prepare()
        return self.rebuilt

    def _prepare(self) -> str:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with commit_lock(self.index_dir).held(timeout=COMMIT_WAIT_SECONDS):
            store_path = self.index_dir / STORE_FILE
            if not store_path.exists() and not (self.index_dir / WHOOSH_DIR).exists():
                self._create()
                return ""
            reason = self._damage() if store_path.exists() else "the article store was missing"
            if reason:
                log.warning("rebuilding the index of %s: %s", self.root, reason)
                self._create()
                return reason
            store = ArticleStore(store_path)
            try:
                # Segments of a run that was killed, a TOC never committed: gone before this run starts.
                remove_unused_files(self.index_dir, store)
                if columns_generation(self.index_dir / COLUMNS_FILE) != committed_generation(store):
                    write_columns(self.index_dir, store)
            finally:
                store.close()
            return ""

    def _damage(self) -> str:
        """What makes the index unusable ("" when it is sound): checked at every run's start."""
        with suppress(OSError):
            return f"it was found damaged: {(self.index_dir / DAMAGE_FILE).read_text('utf-8').strip()}"
        try:
            store = ArticleStore(self.index_dir / STORE_FILE)
        except IndexDamagedError as error:
            return str(error)
        try:
            version = store.get_meta("index_version")
            if version != index_version():
                return "the index format changed"
            generation = committed_generation(store)
            if generation is None:
                return "the first indexing run never finished its first commit"
            folder = self.index_dir / WHOOSH_DIR
            wrong = missing_or_changed(folder, committed_files(store))
            if wrong:
                return f"index file {wrong}"
            # Not opened: opening its fifty segments read 0.3 s of their pages once the system had
            # dropped them. Their sizes are checked above; a search finds any other damage, which
            # it leaves for the next run to see (DAMAGE_FILE).
            toc = read_toc(folder, generation)
            indexed, stored = sum(segment.doc_count() for segment in toc.segments), store.count()
            if indexed != stored:
                return f"the index holds {indexed} articles and the article store {stored}"
        except IndexDamagedError as error:
            return str(error)
        except sqlite3.DatabaseError as error:
            if is_damage(error):
                return f"the article store is damaged ({error})"
            raise
        finally:
            store.close()
        return ""

    def _create(self) -> None:
        """An empty index, committed as generation 0 (whatever was there before is removed)."""
        for name in INDEX_PARTS:
            target = self.index_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        folder = self.index_dir / WHOOSH_DIR
        folder.mkdir(parents=True)
        generation = create_index(folder)
        files = flush_generation(folder, read_toc(folder, generation))
        store = ArticleStore(self.index_dir / STORE_FILE)
        try:
            with store.transaction():
                store.set_meta("index_version", index_version())
                store.set_meta("archive", displayable(str(self.root)))
                store.set_meta(ENTITY_CORRECTIONS_APPLIED, entity_corrections_json(self.corrections.entities))
                store.set_meta(INDEX_ID, uuid.uuid4().hex)
                store.set_meta("files", json.dumps(files))
                store.set_meta("generation", str(generation))
            write_columns(self.index_dir, store)
        finally:
            store.close()

    def _tasks(
        self, jobs: list[Job], workers: int | None, on_file: Callable[[str], None], should_cancel: CancelCheck
    ) -> Iterator[TaskResult | _FailedTask]:
        """Run the jobs as tasks, in worker processes unless there are few, yielding each result."""
        whoosh_dir = str(self.index_dir / WHOOSH_DIR)
        workers = workers or os.cpu_count() or 1
        if len(jobs) < INLINE_LIMIT or workers == 1:
            # Tasks split for workers would each be one commit here, run one after the other.
            for task in split_into_tasks(jobs, 1):
                yield self._inline_task(whoosh_dir, task, on_file, should_cancel)
            return
        tasks = split_into_tasks(jobs, workers)
        finished: set[int] = set()
        try:
            yield from self._tasks_in_processes(whoosh_dir, tasks, workers, on_file, should_cancel, finished)
        except BrokenProcessPool:
            unfinished = [task for number, task in enumerate(tasks) if number not in finished]
            if not finished and not _workers_can_start():
                # No worker delivered, and none can start here (a frozen app without freeze_support,
                # no /dev/shm). Do the work in this process rather than fail the run.
                log.warning("worker processes failed to start; indexing in this process", exc_info=True)
                for task in unfinished:
                    yield self._inline_task(whoosh_dir, task, on_file, should_cancel)
                return
            # A worker died mid-run (killed, out of memory, a crash in native code on some file).
            log.warning("a worker process died; its files are indexed again in fresh ones", exc_info=True)
            for task in unfinished:
                yield from self._in_fresh_worker(whoosh_dir, task, on_file, should_cancel)

    def _in_fresh_worker(
        self, whoosh_dir: str, task: list[Job], on_file: Callable[[str], None], should_cancel: CancelCheck
    ) -> Iterator[TaskResult | _FailedTask]:
        """Run a task in a worker of its own; if that dies too, halve it until the file that kills
        its worker is found, which is reported and never analysed in this process (it could kill it)."""
        try:
            yield from self._tasks_in_processes(whoosh_dir, [task], 1, on_file, should_cancel, set())
        except BrokenProcessPool:
            if len(task) == 1:
                yield _FailedTask(task, WorkerDiedError("the process analysing it died (a crash, or out of memory)"))
                return
            middle = len(task) // 2
            yield from self._in_fresh_worker(whoosh_dir, task[:middle], on_file, should_cancel)
            yield from self._in_fresh_worker(whoosh_dir, task[middle:], on_file, should_cancel)

    def _inline_task(
        self, whoosh_dir: str, task: list[Job], on_file: Callable[[str], None], should_cancel: CancelCheck
    ) -> TaskResult | _FailedTask:
        try:
            return write_task(whoosh_dir, self.root, task, self.corrections, on_file, should_cancel)
        except (OSError, sqlite3.Error):
            raise
        except Exception as error:  # noqa: BLE001 - reported as its files' failure; the run goes on
            return _FailedTask(task, error)

    def _tasks_in_processes(
        self,
        whoosh_dir: str,
        tasks: list[list[Job]],
        workers: int,
        on_file: Callable[[str], None],
        should_cancel: CancelCheck,
        finished: set[int],
    ) -> Iterator[TaskResult | _FailedTask]:
        # "spawn": forking a process that runs Qt threads is unsafe.
        context = get_context("spawn")
        reports = context.Queue()
        stop = context.Event()

        def drain() -> None:
            while True:
                try:
                    for path in reports.get_nowait():
                        on_file(path)
                except queue.Empty:
                    return

        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=start_worker, initargs=(reports, stop, os.getpid())
        )
        try:
            with _stop_signals_ignored():  # Workers start here, and inherit that.
                pending: dict[Future[TaskResult], int] = {
                    pool.submit(worker_task, whoosh_dir, self.root, task, self.corrections): number
                    for number, task in enumerate(tasks)
                }
            while pending:
                done, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                drain()
                if should_cancel():
                    stop.set()
                for future in done:
                    number = pending.pop(future)
                    try:
                        result: TaskResult | _FailedTask = future.result()
                    except (BrokenProcessPool, OSError, sqlite3.Error):
                        raise
                    except Exception as error:  # noqa: BLE001 - reported as its files' failure
                        result = _FailedTask(tasks[number], error)
                    finished.add(number)
                    yield result
        except BaseException:
            # Failing, or interrupted: workers stop at their next file instead of finishing their task.
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        drain()  # The workers have exited, so their last reports have all arrived.


def _workers_can_start() -> bool:
    """Whether a worker process can start here and answer, doing nothing else."""
    try:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as probe:
            return probe.submit(os.getpid).result(timeout=120) > 0
    except Exception:  # noqa: BLE001 - whatever stops it, workers are not to be had
        return False


@contextmanager
def _stop_signals_ignored() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM while workers start, so that they ignore them too, even while they
    are still starting up: a terminal sends Ctrl-C to the whole process group, and a service
    manager may send SIGTERM to all, but the run is this process's to stop (workers stop at their
    next file when it asks, and end by themselves if it dies)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # Only the main thread may touch signals; there, the app is not in a terminal's group.
        return
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def split_into_tasks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Whole rounds of tasks of nearly equal size, at most FILES_PER_TASK files each.

    Equal rounds keep every worker busy to the end, rather than one finishing a last task alone.
    """
    rounds = max(1, -(-len(jobs) // (FILES_PER_TASK * workers)))
    count = min(len(jobs), rounds * workers)
    return [jobs[i * len(jobs) // count : (i + 1) * len(jobs) // count] for i in range(count)]


@contextmanager
def writing_index(root: Path, index_dir: Path, holds_indexing_lock: bool) -> Iterator[None]:
    """Turn a failure to write the index (disk full, read-only) into an IndexWriteError, after
    deleting what the failed writer left half written (when it may: see remove_unused_files).

    Raises:
        IndexWriteError: for such a failure; what was committed before stays.
    """
    try:
        yield
    except (OSError, sqlite3.OperationalError) as error:
        message = _write_problem(error)
        if message is None:
            raise
        log.exception("writing the index of %s failed", root)
        if holds_indexing_lock:
            _clean_after_failure(index_dir)
        raise IndexWriteError(
            f"could not write the index of {root} in {index_dir}: {message}. What was indexed before is "
            "intact; make room and try again"
        ) from error


def _clean_after_failure(index_dir: Path) -> None:
    """Delete what a failed writer left half written, if the index folder can still be written."""
    try:
        clean_up(index_dir)
    except Exception:  # noqa: BLE001 - best effort: the next run cleans too
        log.exception("could not clean up after the failed write")


def _write_problem(error: BaseException) -> str | None:
    """What a person should read for an error writing the index, or None if it is not one."""
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        return _SQLITE_WRITE_CODES.get(code)
    if isinstance(error, OSError) and error.errno in _WRITE_ERRNOS:
        return describe_os_error(error)
    return None
