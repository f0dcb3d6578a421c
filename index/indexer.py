"""Incremental, parallel indexing of an archive folder into its Whoosh index and article store.

Worker processes each read, analyse and write a whole Whoosh segment for a share of the files;
the main process only applies deletions, adds finished segments to the index and stores the
articles. Nothing per token or per posting crosses a process boundary, and the single Whoosh
writer, whose per-posting Python work otherwise caps indexing at about 110 articles/s here, is
no longer the bottleneck.
"""

from __future__ import annotations

import gc
import hashlib
import os
import queue
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.reading import SegmentReader
from whoosh.writing import LockError, SegmentWriter

from . import entities
from .analysis import fold
from .columns import build_columns, save_columns
from .corrections import apply_corrections
from .entities import EntityCorrections
from .errors import ArchiveNotFoundError, IndexLockedError
from .metadata import infer
from .models import Article, EntityMention, IndexSummary, SkippedFile
from .readers import FoundFile, read_file, scan
from .schema import SCHEMA_VERSION, PreAnalyzed, build_schema, postings
from .segments import TEMP_SUFFIX, SegmentCodec, TermGroupedPool, finish_segment
from .store import ArticleRow, ArticleStore, StoredArticle

ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]
Job = tuple[FoundFile, str | None]  # a file to read, with its content hash when last indexed
COLUMNS_FILE = "columns.npz"
STORE_FILE = "articles.sqlite"
WHOOSH_DIR = "whoosh"
READ_AHEAD_FILES = 16  # per worker: enough to hide the disk, few enough to bound the memory
INLINE_LIMIT = 64  # Below this many files, starting worker processes costs more than it saves.
# Files per worker task, hence per segment: bounds a worker's memory (its postings stay in memory
# until the segment is written) and what a cancel discards, and keeps segments few.
FILES_PER_TASK = 2000
# A run touching fewer files than this merges the index's tiny segments into its new one; bigger
# runs add their segments as they are, since a merge rewrites postings one at a time in Python.
MERGE_BELOW_FILES = 1000
TINY_SEGMENT_DOCS = 200  # segments merged by small runs and corrections, so they do not pile up


@dataclass(frozen=True)
class ReadFile:
    """A file as a worker read it.

    ``rows`` are its articles as the article store keeps them, encoded by the worker; None when
    the content is unchanged since it was indexed (only its size and time changed).
    """

    found: FoundFile
    sha1: str
    rows: list[ArticleRow] | None
    skipped: list[SkippedFile]


@dataclass(frozen=True)
class TaskResult:
    """A worker task's files, and the not yet committed segment holding their articles."""

    files: list[ReadFile]
    segment: Any | None
    cancelled: bool


@dataclass(frozen=True)
class UserCorrections:
    """What the user corrected: article metadata by article id, and entities archive-wide."""

    articles: dict[str, dict[str, str]] = field(default_factory=dict)
    entities: EntityCorrections = field(default_factory=EntityCorrections)


def index_version() -> str:
    """What an index depends on: the schema and the entity extractor's rules and data."""
    return f"{SCHEMA_VERSION}/{entities.version()}"


def analyse_article(article: Article, corrections: EntityCorrections) -> tuple[StoredArticle, dict[str, Any]]:
    """An article's entities and postings: what is stored of it, and its Whoosh fields."""
    mentions = tuple(
        EntityMention(m.start, m.end, m.type, m.canonical)
        for m in corrections.apply(article.body, entities.extract(article.body, article.language))
    )
    title, body = postings(article.title, article.language), postings(article.body, article.language)
    stored = StoredArticle(article, title.length, body.length, mentions)
    return stored, document_fields(stored, title, body)


def analyse_file(
    found: FoundFile, data: bytes | OSError, known_sha1: str | None, corrections: UserCorrections
) -> tuple[ReadFile, list[dict[str, Any]]]:
    """Turn one file's content into indexable articles.

    Args:
        found: the file.
        data: its content, or the error reading it.
        known_sha1: the content hash it had when last indexed, if it was.
        corrections: the user's corrections.

    Returns:
        The file as read, and each article's Whoosh fields.
    """
    if isinstance(data, OSError):
        return ReadFile(found, "", [], [SkippedFile(found.relpath, f"cannot be read: {data.strerror}")]), []
    sha1 = hashlib.sha1(data).hexdigest()
    if sha1 == known_sha1:
        return ReadFile(found, sha1, None, []), []
    documents, skipped = read_file(found.relpath, data)
    articles = [apply_corrections(a, corrections.articles.get(a.id, {})) for a in map(infer, documents)]
    analysed = [analyse_article(article, corrections.entities) for article in articles]
    rows = [stored.row(found.relpath) for stored, _ in analysed]
    return ReadFile(found, sha1, rows, skipped), [fields for _, fields in analysed]


def document_fields(stored: StoredArticle, title: PreAnalyzed, body: PreAnalyzed) -> dict[str, Any]:
    """The Whoosh fields of one article."""
    article = stored.article
    named = {facet: [fold(name) for name in names] for facet, names in stored.entity_names().items()}
    return {
        "id": article.id,
        "title": title,
        "body": body,
        "source": article.source or None,
        "language": article.language,
        **{facet: names for facet, names in named.items() if names},
    }


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
        cancelled: polled between files; True abandons the task.

    Returns:
        The files read and the segment, or a cancelled result without a segment.
    """
    ix = whoosh_index.open_dir(whoosh_dir)
    # The index lock belongs to the main process, which commits this segment.
    writer = SegmentWriter(ix, _lk=False, codec=SegmentCodec())
    writer.pool = TermGroupedPool()
    files: list[ReadFile] = []
    with _cycle_collection_paused(), _read_ahead(root, jobs) as contents:
        for (found, known_sha1), data in contents:
            if cancelled():
                writer.cancel()
                return TaskResult(files, None, True)
            read, documents = analyse_file(found, data, known_sha1, corrections)
            for fields in documents:
                writer.add_document(**fields)
            files.append(read)
            report(found.relpath)
        segment = finish_segment(writer) if writer._added else None  # noqa: SLF001
        if segment is None:
            writer._close_segment()  # noqa: SLF001
        writer._finish()  # noqa: SLF001
    return TaskResult(files, segment, False)


@contextmanager
def _read_ahead(root: Path, jobs: list[Job]) -> Iterator[Iterator[tuple[Job, bytes | OSError]]]:
    """The jobs with their files' contents, read by a thread a few files ahead.

    File reads release the GIL: waiting for the disk (most of an archive is not in the OS cache)
    overlaps with analysing the files already read.
    """
    with ThreadPoolExecutor(1) as reader:

        def contents() -> Iterator[tuple[Job, bytes | OSError]]:
            pending: deque[tuple[Job, Future[bytes | OSError]]] = deque()
            for job in jobs:
                pending.append((job, reader.submit(_read_bytes, root / job[0].relpath)))
                if len(pending) > READ_AHEAD_FILES:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()

        yield contents()


def _read_bytes(path: Path) -> bytes | OSError:
    try:
        return path.read_bytes()
    except OSError as error:
        return error


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a task runs.

    A task keeps every posting of its segment in memory until the end, and the collector
    traverses all of them again and again as tokens and postings are allocated: a fifth of a
    task's time. Analysis makes no reference cycles (measured: nothing left to collect after a
    task), so nothing is lost by collecting once when the task ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Set in each worker process by _start_worker: where to report files read, and the stop flag.
_worker_reports: Any = None
_worker_stop: Any = None


def _start_worker(reports: Any, stop: Any) -> None:
    global _worker_reports, _worker_stop
    _worker_reports, _worker_stop = reports, stop


def _worker_task(whoosh_dir: str, root: Path, jobs: list[Job], corrections: UserCorrections) -> TaskResult:
    reports = _ReportBatches(_worker_reports.put)
    try:
        return write_task(whoosh_dir, root, jobs, corrections, reports.add, _worker_stop.is_set)
    finally:
        reports.flush()


class _ReportBatches:
    """Sends the paths of files read in batches, a few per second: a message per file costs the
    worker a pickle, a lock and a pipe write, and its queue thread competes for the GIL."""

    def __init__(self, send: Callable[[list[str]], None], interval: float = 0.1) -> None:
        self._send = send
        self._interval = interval
        self._paths: list[str] = []
        self._sent = time.monotonic()

    def add(self, path: str) -> None:
        self._paths.append(path)
        if time.monotonic() - self._sent >= self._interval:
            self.flush()

    def flush(self) -> None:
        if self._paths:
            self._send(self._paths)
            self._paths = []
        self._sent = time.monotonic()


class Indexer:
    """Keeps one archive's index in step with its folder.

    Args:
        root: the archive folder.
        index_dir: where its index lives (created when missing).
        corrections: the user's corrections by article id, applied to every article indexed.
    """

    def __init__(self, root: Path, index_dir: Path, corrections: UserCorrections | None = None) -> None:
        if not root.is_dir():
            raise ArchiveNotFoundError(f"{root} is not a folder")
        self.root = root.resolve()
        self.index_dir = index_dir
        self.corrections = corrections or UserCorrections()

    def run(
        self,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        workers: int | None = None,
    ) -> IndexSummary:
        """Bring the index up to date with the folder.

        Args:
            progress: called as ``progress(done, total, path)`` after each file read.
            should_cancel: polled while files are read; when it returns True the run stops,
                keeping what finished tasks committed, so the index stays consistent and usable.
            workers: processes reading and indexing files (default: one per core).

        Returns:
            What was added, updated, deleted, left unchanged and skipped.
        """
        started = time.perf_counter()
        rebuilt = self._prepare()
        ix = whoosh_index.open_dir(str(self.index_dir / WHOOSH_DIR))
        store = ArticleStore(self.index_dir / STORE_FILE)
        try:
            found, skipped = scan(self.root)
            manifest = store.manifest()
            present = {f.relpath for f in found}
            deleted = [path for path in manifest if path not in present]
            candidates = [f for f in found if manifest.get(f.relpath, (None, None))[:2] != (f.size, f.mtime_ns)]
            to_read = {f.relpath for f in candidates}
            known_problems = store.file_problems()
            skipped += [p for path, problems in known_problems.items() if path not in to_read for p in problems]
            if not deleted and not candidates:
                return IndexSummary(unchanged=len(found), skipped=tuple(skipped), seconds=time.perf_counter() - started)
            merge = len(candidates) + len(deleted) < MERGE_BELOW_FILES
            if deleted:
                commit = _Commit(ix, store)
                for path in deleted:
                    commit.delete_file(path)
                commit.finish([], merge)
            counts = {"added": 0, "updated": 0}
            cancelled = False
            files_read = 0

            def on_file(path: str) -> None:
                nonlocal files_read
                files_read += 1
                if progress:
                    progress(files_read, len(candidates), path)

            jobs = [(f, manifest[f.relpath][2] if f.relpath in manifest else None) for f in candidates]
            for result in self._tasks(jobs, workers, on_file, should_cancel or (lambda: False)):
                if result.cancelled:
                    cancelled = True
                    continue
                commit = _Commit(ix, store)
                for read in result.files:
                    existed = read.found.relpath in manifest
                    commit.record(read, existed)
                    skipped += read.skipped
                    if read.rows:
                        counts["updated" if existed else "added"] += len(read.rows)
                commit.finish([result.segment] if result.segment is not None else [], merge, clean=False)
            _clean_unused_files(ix)
            write_columns(ix, store, self.index_dir)
            return IndexSummary(
                added=counts["added"],
                updated=counts["updated"],
                deleted=len(deleted),
                unchanged=len(found) - len(candidates),
                skipped=tuple(skipped),
                cancelled=cancelled,
                rebuilt=rebuilt,
                seconds=time.perf_counter() - started,
            )
        finally:
            store.close()
            ix.close()

    def _prepare(self) -> bool:
        """Create the index when missing; rebuild it when its schema version changed.

        Also rebuilds when the index and the store disagree on the number of articles, which
        only a crash between their commits can cause.
        """
        store_path = self.index_dir / STORE_FILE
        whoosh_dir = self.index_dir / WHOOSH_DIR
        if store_path.exists():
            store = ArticleStore(store_path)
            version, stored = store.get_meta("index_version"), store.count()
            store.close()
            if version == index_version() and whoosh_index.exists_in(str(whoosh_dir)):
                ix = whoosh_index.open_dir(str(whoosh_dir))
                indexed = ix.doc_count()
                ix.close()
                if indexed == stored:
                    return False
            for name in (WHOOSH_DIR, STORE_FILE, STORE_FILE + "-wal", STORE_FILE + "-shm", COLUMNS_FILE):
                target = self.index_dir / name
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
            rebuilt = True
        else:
            rebuilt = False
        whoosh_dir.mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(whoosh_dir), build_schema())
        store = ArticleStore(store_path)
        store.set_meta("index_version", index_version())
        store.set_meta("archive", str(self.root))
        store.close()
        return rebuilt

    def _tasks(
        self, jobs: list[Job], workers: int | None, on_file: Callable[[str], None], should_cancel: CancelCheck
    ) -> Iterator[TaskResult]:
        """Run the jobs as tasks, in worker processes unless there are few, yielding each result."""
        whoosh_dir = str(self.index_dir / WHOOSH_DIR)
        workers = workers or os.cpu_count() or 1
        tasks = split_into_tasks(jobs, workers)
        if len(jobs) < INLINE_LIMIT or workers == 1:
            for task in tasks:
                yield write_task(whoosh_dir, self.root, task, self.corrections, on_file, should_cancel)
            return
        finished: set[int] = set()
        try:
            yield from self._tasks_in_processes(whoosh_dir, tasks, workers, on_file, should_cancel, finished)
        except BrokenProcessPool:
            # Workers could not start or died (a frozen app without freeze_support, no /dev/shm...):
            # do the rest in this process rather than fail the run.
            for number, task in enumerate(tasks):
                if number not in finished:
                    yield write_task(whoosh_dir, self.root, task, self.corrections, on_file, should_cancel)

    def _tasks_in_processes(
        self,
        whoosh_dir: str,
        tasks: list[list[Job]],
        workers: int,
        on_file: Callable[[str], None],
        should_cancel: CancelCheck,
        finished: set[int],
    ) -> Iterator[TaskResult]:
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

        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(reports, stop)
        ) as pool:
            pending: dict[Future[TaskResult], int] = {
                pool.submit(_worker_task, whoosh_dir, self.root, task, self.corrections): number
                for number, task in enumerate(tasks)
            }
            while pending:
                done, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                drain()
                if should_cancel():
                    stop.set()
                for future in done:
                    finished.add(pending.pop(future))
                    yield future.result()
        drain()  # The workers have exited, so their last reports have all arrived.


def split_into_tasks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Whole rounds of tasks of nearly equal size, at most FILES_PER_TASK files each.

    Equal rounds keep every worker busy to the end, rather than one finishing a last task alone.
    """
    rounds = max(1, -(-len(jobs) // (FILES_PER_TASK * workers)))
    count = min(len(jobs), rounds * workers)
    return [jobs[i * len(jobs) // count : (i + 1) * len(jobs) // count] for i in range(count)]


def _clean_unused_files(ix: whoosh_index.Index) -> None:
    """Delete segment files of cancelled tasks and of older generations, once no worker writes."""
    ix = ix.refresh()
    clean_files(ix.storage, ix.indexname, ix.latest_generation(), ix._segments())  # noqa: SLF001
    for leftover in Path(ix.storage.folder).glob(f"*{TEMP_SUFFIX}"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_columns(ix: whoosh_index.Index, store: ArticleStore, index_dir: Path) -> None:
    """Rebuild the facet columns for the index's current generation.

    The index is read without memory-mapping: mapped, every page of stored fields read here stays
    in the process's resident memory (1.4 GB at 100k articles).
    """
    unmapped = FileStorage(ix.storage.folder, supports_mmap=False).open_index(ix.indexname)
    with unmapped.reader() as reader:
        docnums = {stored["id"]: docnum for docnum, stored in reader.iter_docs()}
        columns = build_columns(unmapped.latest_generation(), docnums, reader.doc_count_all(), store.facet_rows())
    save_columns(columns, index_dir / COLUMNS_FILE)


class _Commit:
    """Deletions, stored articles and new segments, committed to the index and the store together."""

    def __init__(self, ix: whoosh_index.Index, store: ArticleStore) -> None:
        try:
            self.writer = ix.writer(codec=SegmentCodec())
        except LockError as error:
            raise IndexLockedError(
                "the index is being updated by another Archivist; try again when it finishes"
            ) from error
        self.writer.pool = TermGroupedPool()
        self.store = store
        store.connection.execute("BEGIN")

    def delete_file(self, path: str) -> None:
        self._delete_from_index(path)
        self.store.forget_file(path)

    def record(self, read: ReadFile, indexed_before: bool) -> None:
        """Store a file's articles; their index entries are in the segment committed with them."""
        found = read.found
        if read.rows is not None:
            if indexed_before:
                self._delete_from_index(found.relpath)
            self.store.put_rows(found.relpath, read.rows)
        if read.sha1:
            self.store.record_file(found.relpath, found.size, found.mtime_ns, read.sha1, read.skipped)

    def _delete_from_index(self, path: str) -> None:
        """Delete a file's articles from the index, by their ids, in one query (Whoosh opens a
        searcher for every delete)."""
        ids = self.store.article_ids(path)
        if ids:
            self.writer.delete_by_query(wq.Or([wq.Term("id", article_id) for article_id in ids]))

    def finish(self, segments: list[Any], merge: bool, clean: bool = True) -> None:
        """Commit: the index first, then the store (a crash between is caught by Indexer._prepare).

        Args:
            segments: finished segments written by workers, to add to the index.
            merge: merge the index's tiny segments into the new one (see merge_tiny_segments).
            clean: delete index files no longer used; never while workers are writing segments,
                whose files are not listed yet.
        """
        writer = self.writer
        try:
            final = writer._merge_segments(merge_tiny_segments if merge else None, False, merge)  # noqa: SLF001
            final += segments
            if writer._added:  # noqa: SLF001 - merged small segments, or update_article's document
                final.append(finish_segment(writer))
            else:
                writer._close_segment()  # noqa: SLF001
            TOC(writer.schema, final, writer.generation).write(writer.storage, writer.indexname)
            if clean:
                clean_files(writer.storage, writer.indexname, writer.generation, final)
        except BaseException:
            writer.cancel()  # Also releases the lock.
            self.store.connection.execute("ROLLBACK")
            raise
        writer._finish()  # noqa: SLF001 - releases the lock
        self.store.connection.execute("COMMIT")


def merge_tiny_segments(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Merge policy: rewrite segments of fewer than TINY_SEGMENT_DOCS documents into the new one.

    Whoosh's MERGE_SMALL picks by a Fibonacci rule that, at 100k articles in 2,000-article
    segments, merged 19 of them (38,000 articles rewritten posting by posting, 2.5 minutes) to
    save one corrected date.

    Returns:
        The segments kept as they are.
    """
    kept = []
    for segment in segments:
        if segment.doc_count_all() < TINY_SEGMENT_DOCS:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            kept.append(segment)
    return kept


def update_articles(index_dir: Path, articles: list[Article], corrections: EntityCorrections) -> None:
    """Re-index some articles in place (after user corrections) and refresh the facet columns.

    Args:
        index_dir: the archive's index folder.
        articles: the articles as they should now be indexed.
        corrections: the user's entity corrections, applied to their entities.
    """
    ix = whoosh_index.open_dir(str(index_dir / WHOOSH_DIR))
    store = ArticleStore(index_dir / STORE_FILE)
    try:
        commit = _Commit(ix, store)
        for article in articles:
            stored, fields = analyse_article(article, corrections)
            commit.writer.update_document(**fields)
            store.replace_article(stored)
        commit.finish([], merge=True)
        write_columns(ix, store, index_dir)
    finally:
        store.close()
        ix.close()
