"""Incremental, parallel indexing of an archive folder into its Whoosh index and article store."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import LockError

from .columns import build_columns, save_columns
from .corrections import apply_corrections
from .errors import ArchiveNotFoundError, IndexLockedError
from .metadata import infer
from .models import Article, IndexSummary, SkippedFile
from .readers import FoundFile, read_file, scan
from .schema import SCHEMA_VERSION, PreAnalyzed, build_schema, postings
from .store import ArticleStore

ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]
COLUMNS_FILE = "columns.npz"
STORE_FILE = "articles.sqlite"
WHOOSH_DIR = "whoosh"
INLINE_LIMIT = 64  # Below this many files, starting worker processes costs more than it saves.
FILES_PER_TASK = 32


@dataclass(frozen=True)
class AnalysedFile:
    """A file read, inferred and analysed by a worker; ``articles`` None means content unchanged."""

    found: FoundFile
    sha1: str
    articles: list[Article] | None
    postings: list[tuple[PreAnalyzed, PreAnalyzed]] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)


def analyse_file(
    root: Path, found: FoundFile, known_sha1: str | None, corrections: dict[str, dict[str, str]]
) -> AnalysedFile:
    """Read one file and turn it into indexable articles (runs in worker processes).

    Args:
        root: the archive folder.
        found: the file to read.
        known_sha1: the content hash it had when last indexed, if it was.
        corrections: the user's corrections by article id.

    Returns:
        The analysed file; when its content hash equals ``known_sha1``, without articles.
    """
    try:
        data = (root / found.relpath).read_bytes()
    except OSError as error:
        return AnalysedFile(found, "", [], skipped=[SkippedFile(found.relpath, f"cannot be read: {error.strerror}")])
    sha1 = hashlib.sha1(data).hexdigest()
    if sha1 == known_sha1:
        return AnalysedFile(found, sha1, None)
    documents, skipped = read_file(found.relpath, data)
    articles = [apply_corrections(article, corrections.get(article.id, {})) for article in map(infer, documents)]
    analysed = [(postings(a.title, a.language), postings(a.body, a.language)) for a in articles]
    return AnalysedFile(found, sha1, articles, analysed, skipped)


def _analyse_batch(
    root: Path, batch: list[tuple[FoundFile, str | None]], corrections: dict[str, dict[str, str]]
) -> list[AnalysedFile]:
    return [analyse_file(root, found, known, corrections) for found, known in batch]


class Indexer:
    """Keeps one archive's index in step with its folder.

    Args:
        root: the archive folder.
        index_dir: where its index lives (created when missing).
        corrections: the user's corrections by article id, applied to every article indexed.
    """

    def __init__(self, root: Path, index_dir: Path, corrections: dict[str, dict[str, str]] | None = None) -> None:
        if not root.is_dir():
            raise ArchiveNotFoundError(f"{root} is not a folder")
        self.root = root.resolve()
        self.index_dir = index_dir
        self.corrections = corrections or {}

    def run(
        self,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        workers: int | None = None,
        batch_articles: int = 20_000,
    ) -> IndexSummary:
        """Bring the index up to date with the folder.

        Args:
            progress: called as ``progress(done, total, path)`` after each file read.
            should_cancel: polled between files; when it returns True the run stops, keeping
                what earlier batches committed, so the index stays consistent and usable.
            workers: processes analysing files (default: one per core).
            batch_articles: articles per commit; bounds memory and what a cancel discards.

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
            known_problems = store.file_problems()
            skipped += [p for f in found if f not in candidates for p in known_problems.get(f.relpath, [])]
            if not deleted and not candidates:
                return IndexSummary(unchanged=len(found), skipped=tuple(skipped), seconds=time.perf_counter() - started)
            counts = {"added": 0, "updated": 0}
            cancelled = False
            batch = _Batch(ix, store)
            for path in deleted:
                batch.delete_file(path)
            analysed_files = self._analysed(candidates, manifest, workers, should_cancel)
            for done, analysed in enumerate(analysed_files, 1):
                if progress:
                    progress(done, len(candidates), analysed.found.relpath)
                skipped += analysed.skipped
                existed = analysed.found.relpath in manifest
                batch.put_file(analysed)
                if analysed.articles:
                    counts["updated" if existed else "added"] += len(analysed.articles)
                if batch.articles >= batch_articles:
                    batch.commit()
                    batch = _Batch(ix, store)
                if should_cancel and should_cancel():
                    cancelled = True
                    break
            if cancelled:
                batch.cancel()
            else:
                batch.commit()
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
        """Create the index when missing; rebuild it when its schema version changed."""
        store_path = self.index_dir / STORE_FILE
        rebuilt = False
        if store_path.exists():
            store = ArticleStore(store_path)
            version = store.get_meta("schema_version")
            store.close()
            if version == str(SCHEMA_VERSION) and whoosh_index.exists_in(str(self.index_dir / WHOOSH_DIR)):
                return False
            rebuilt = True
            for name in (WHOOSH_DIR, STORE_FILE, STORE_FILE + "-wal", STORE_FILE + "-shm", COLUMNS_FILE):
                target = self.index_dir / name
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
        (self.index_dir / WHOOSH_DIR).mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(self.index_dir / WHOOSH_DIR), build_schema())
        store = ArticleStore(store_path)
        store.set_meta("schema_version", str(SCHEMA_VERSION))
        store.set_meta("archive", str(self.root))
        store.close()
        return rebuilt

    def _analysed(
        self,
        candidates: list[FoundFile],
        manifest: dict[str, tuple[int, int, str]],
        workers: int | None,
        should_cancel: CancelCheck | None,
    ) -> Iterator[AnalysedFile]:
        jobs = [(f, manifest[f.relpath][2] if f.relpath in manifest else None) for f in candidates]
        workers = workers or os.cpu_count() or 1
        if len(jobs) < INLINE_LIMIT or workers == 1:
            for found, known in jobs:
                yield analyse_file(self.root, found, known, self.corrections)
            return
        tasks = [jobs[i : i + FILES_PER_TASK] for i in range(0, len(jobs), FILES_PER_TASK)]
        # "spawn": forking a process that runs Qt threads is unsafe.
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            pending: list[Future[list[AnalysedFile]]] = []
            next_task = 0
            try:
                while next_task < len(tasks) or pending:
                    # Keep few tasks in flight, so results cannot pile up faster than they are written.
                    while next_task < len(tasks) and len(pending) < 2 * workers:
                        pending.append(pool.submit(_analyse_batch, self.root, tasks[next_task], self.corrections))
                        next_task += 1
                    wait([pending[0]], return_when=FIRST_COMPLETED)
                    yield from pending.pop(0).result()
            finally:
                for future in pending:
                    future.cancel()


def write_columns(ix: whoosh_index.Index, store: ArticleStore, index_dir: Path) -> None:
    """Rebuild the facet columns for the index's current generation."""
    facet_rows = {article_id: (date, source, language) for article_id, date, source, language in store.facet_rows()}
    with ix.reader() as reader:
        pairs = [(docnum, stored["id"]) for docnum, stored in reader.iter_docs()]
        columns = build_columns(ix.latest_generation(), pairs, reader.doc_count_all(), facet_rows)
    save_columns(columns, index_dir / COLUMNS_FILE)


class _Batch:
    """One Whoosh writer and one store transaction, committed or cancelled together."""

    def __init__(self, ix: whoosh_index.Index, store: ArticleStore) -> None:
        try:
            self.writer = ix.writer(limitmb=256)
        except LockError as error:
            raise IndexLockedError(
                "the index is being updated by another Archivist; try again when it finishes"
            ) from error
        self.store = store
        self.articles = 0
        store.connection.execute("BEGIN")

    def delete_file(self, path: str) -> None:
        self.writer.delete_by_term("file", path)
        self.store.forget_file(path)

    def put_file(self, analysed: AnalysedFile) -> None:
        found = analysed.found
        if analysed.articles is not None:
            self.writer.delete_by_term("file", found.relpath)
            self.store.put_articles(found.relpath, analysed.articles)
            for article, (title_postings, body_postings) in zip(analysed.articles, analysed.postings, strict=True):
                self.writer.add_document(
                    id=article.id,
                    file=found.relpath,
                    title=title_postings,
                    body=body_postings,
                    source=article.source or None,
                    language=article.language,
                    date=_as_datetime(article),
                )
            self.articles += len(analysed.articles)
        if analysed.sha1:
            self.store.record_file(found.relpath, found.size, found.mtime_ns, analysed.sha1, analysed.skipped)

    def commit(self) -> None:
        self.writer.commit()
        self.store.connection.execute("COMMIT")

    def cancel(self) -> None:
        self.writer.cancel()
        self.store.connection.execute("ROLLBACK")


def _as_datetime(article: Article) -> dt.datetime | None:
    return dt.datetime.combine(article.date, dt.time()) if article.date else None


def update_article(index_dir: Path, article: Article) -> None:
    """Re-index one article in place (after a user correction) and refresh the facet columns.

    Args:
        index_dir: the archive's index folder.
        article: the article as it should now be indexed.
    """
    ix = whoosh_index.open_dir(str(index_dir / WHOOSH_DIR))
    store = ArticleStore(index_dir / STORE_FILE)
    try:
        batch = _Batch(ix, store)
        batch.writer.update_document(
            id=article.id,
            file=article.path,
            title=postings(article.title, article.language),
            body=postings(article.body, article.language),
            source=article.source or None,
            language=article.language,
            date=_as_datetime(article),
        )
        store.replace_article(article)
        batch.commit()
        write_columns(ix, store, index_dir)
    finally:
        store.close()
        ix.close()
