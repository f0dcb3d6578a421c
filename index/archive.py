"""The engine's facade: one archive folder, its index, its searches and its corrections.

How the facade keeps readers and writers apart, inside a process and between processes (an app
and a command line on the same archive):
- reads (search, article, entities...) share one searcher, one thread at a time; they never wait
  for a writer, and see the last generation committed, moving on when a newer one is;
- an indexing run holds the archive's indexing lock: a second run waits for it, then indexes
  what is still changed; archive-wide entity corrections take the same lock;
- a correction of one article saves the user's file (re-read under its own lock) and commits under
  the commit lock, which an indexing run holds only while it commits a batch: the correction
  waits seconds, never for the whole run.
The user's correction files are the truth: each run puts right any article the index shows
otherwise (after a crash between saving a correction and indexing it, for example).
"""

from __future__ import annotations

import errno
import logging
import pickle
import sqlite3
import struct
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import zstandard

from index.analysis.entities import TYPES, EntityCorrections, canonical_name
from index.atomic import write_atomically
from index.errors import (
    ArchiveNotFoundError,
    ArchivistError,
    ArticleNotFoundError,
    IndexChangedError,
    IndexDamagedError,
    IndexLockedError,
    IndexNotBuiltError,
)
from index.models import (
    DEFAULT_COPY_THRESHOLD,
    AnalysisProblem,
    Article,
    Comparison,
    CopyCluster,
    EntityInfo,
    EntityMention,
    EntityModelStatus,
    EntityModelSummary,
    Hit,
    IndexSummary,
    SearchRequest,
    SearchResult,
    Span,
    check_copy_threshold,
)
from index.paths import absolute, data_dir, index_dir_for, remember_archive
from index.storage.commits import applied_entity_corrections, clean_up
from index.storage.layout import DAMAGE_FILE, STORE_FILE, indexing_lock
from index.storage.preload import SHARE_OF_AVAILABLE_MEMORY, Preloader, available_memory
from index.storage.schema import index_version
from index.storage.searcher import ArchiveSearcher
from index.storage.store import ENTITY_CORRECTIONS_APPLIED, ArticleStore, entity_corrections_json, is_damage
from index.userdata.corrections import (
    CorrectionChanges,
    Corrections,
    load_entity_corrections,
    update_entity_corrections,
)
from index.userdata.excerpts import ArticleLookup, Excerpt, take_excerpt

# The indexing side (indexer, pipeline, updates, model pass) is imported by the methods that write:
# a search, in the app or from the command line, never loads it.
if TYPE_CHECKING:
    from index.indexing.indexer import CancelCheck, ProgressCallback
    from index.indexing.model_pass import ModelPassProgress

log = logging.getLogger(__name__)
WaitCallback = Callable[[str], None]
# What reading damaged index files raises, besides what the opening checks catch.
_DAMAGE = (zlib.error, zstandard.ZstdError, struct.error, EOFError, pickle.UnpicklingError)


class Archive:
    """An archive folder and its index; safe to share between threads, and to open in several processes.

    Args:
        root: the archive folder.
        data: the user data dir holding indexes and corrections (default: platformdirs').
    """

    def __init__(self, root: Path, data: Path | None = None) -> None:
        self.root = absolute(root)
        self.data = absolute(data or data_dir())  # a kept archive outlives the folder it was named from
        self.index_dir = index_dir_for(self.root, self.data)
        corrections_dir = self.data / "corrections"
        self.corrections = Corrections(corrections_dir / f"{self.index_dir.name}.json")
        self.entity_corrections_path = corrections_dir / f"{self.index_dir.name}.entities.json"
        self._searcher: ArchiveSearcher | None = None
        self._read_lock = threading.Lock()
        self._preloader: Preloader | None = None
        self._preload_lock = threading.Lock()

    @property
    def entity_corrections(self) -> EntityCorrections:
        """The archive's entity corrections, as saved now.

        Raises:
            ArchivistError: the saved file is not an entity corrections file.
        """
        return load_entity_corrections(self.entity_corrections_path)

    @property
    def is_indexed(self) -> bool:
        """Whether an index has been built for this archive (maybe by an older version)."""
        return (self.index_dir / STORE_FILE).exists()

    @property
    def is_current(self) -> bool:
        """Whether the index exists and was built with this version's schema."""
        if not self.is_indexed:
            return False
        try:
            store = ArticleStore(self.index_dir / STORE_FILE)
        except IndexDamagedError:
            return False
        try:
            return store.get_meta("index_version") == index_version()
        finally:
            store.close()

    def update(
        self,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        workers: int | None = None,
        on_wait: WaitCallback | None = None,
    ) -> IndexSummary:
        """Index what changed in the folder since the last run (everything the first time, and again
        when the index is damaged or its format changed).

        Args:
            progress: called as ``progress(done, total, path)``.
            should_cancel: polled between files, and while waiting for another run; True stops
                the run, keeping the index usable.
            workers: processes analysing files (default: one per core).
            on_wait: called once with a message if another run of this archive must finish first.

        Returns:
            What was done.

        Raises:
            ArchiveNotFoundError: the folder is missing (removed or renamed).
            IndexWriteError: the index could not be written (disk full, read-only).
            IndexDamagedError: the run met damage in the index; the next run rebuilds it.
        """
        if self.root.exists() and not self.root.is_dir():
            raise ArchiveNotFoundError(f"{self.root} is a file; an archive is a folder of articles")
        if not self.root.is_dir():
            raise ArchiveNotFoundError(f"the archive folder {self.root} does not exist (was it moved or renamed?)")
        try:
            with indexing_lock(self.index_dir).held(should_cancel=should_cancel, on_wait=on_wait):
                summary = self._update_holding_lock(progress, should_cancel, workers)
        except IndexLockedError:
            if should_cancel is not None and should_cancel():
                return IndexSummary(cancelled=True)
            raise
        except _DAMAGE as error:
            # Met in a file the run's checks do not open (a segment garbled at its own size, read
            # by a merge): recorded, as a search records it, so that the next run rebuilds.
            raise self._damaged(error, type(error).__name__) from error
        if summary.rebuilt:
            self.close()  # Its searcher holds files of the index that is gone.
        remember_archive(self.root, self.data)
        return summary

    def _update_holding_lock(
        self, progress: ProgressCallback | None, should_cancel: CancelCheck | None, workers: int | None
    ) -> IndexSummary:
        from index.indexing.indexer import Indexer, writing_index
        from index.indexing.pipeline import UserCorrections

        notes: list[str] = []
        try:
            articles = self.corrections.by_article()
        except ArchivistError as error:
            articles = {}
            notes.append(f"{error}; they were not applied")
        try:
            entity_corrections = self.entity_corrections
        except ArchivistError as error:
            entity_corrections = None
            notes.append(f"{error}; they were not applied")
        with writing_index(self.root, self.index_dir, holds_indexing_lock=True):
            indexer = Indexer(
                self.root, self.index_dir, UserCorrections(articles, entity_corrections or EntityCorrections())
            )
            indexer.prepare()
            if entity_corrections is not None:
                self._apply_entity_corrections(entity_corrections)
            summary = indexer.run(progress, should_cancel, workers)
            if indexer.renamed:  # before the corrections are compared with what the index shows
                notes += self._rename_corrections(indexer.renamed)
            problems = list(summary.problems) + self._apply_article_corrections(entity_corrections)
            indexer.finish()
        return IndexSummary(
            added=summary.added,
            updated=summary.updated,
            deleted=summary.deleted,
            unchanged=summary.unchanged,
            skipped=summary.skipped,
            cancelled=summary.cancelled,
            rebuilt=summary.rebuilt,
            seconds=summary.seconds,
            problems=tuple(problems),
            notes=tuple(notes),
        )

    def _rename_corrections(self, renamed: dict[str, str]) -> list[str]:
        """Move the corrections of articles whose ids changed to their new ids; say so if it failed
        (they stay under the old ones, and the next update tries again)."""
        try:
            self.corrections.rename(renamed)
        except ArchivistError as error:
            log.warning("corrections not moved to their articles' new ids", exc_info=True)
            return [f"corrections of {len(renamed)} articles whose ids changed could not be moved: {error}"]
        return []

    def _apply_article_corrections(self, entity_corrections: EntityCorrections | None) -> list[AnalysisProblem]:
        """Re-index the articles whose metadata corrections differ from what the index shows."""
        from index.indexing.updates import update_articles

        try:
            current = self.corrections.by_article()
        except ArchivistError:
            return []  # Already reported by the run.
        store = ArticleStore(self.index_dir / STORE_FILE)
        try:
            applied = store.applied_corrections()
            stale = sorted(i for i in current.keys() | applied.keys() if current.get(i, {}) != applied.get(i, {}))
            stale = [i for i in stale if i in applied or store.originals([i])]
            if not stale:
                return []
            return update_articles(self.index_dir, store, stale, self.corrections, entity_corrections)
        finally:
            store.close()

    def _apply_entity_corrections(self, wanted: EntityCorrections) -> int:
        """Re-index the articles a change of entity corrections touches (the indexing lock is held).

        Returns:
            How many articles were re-indexed.
        """
        from index.indexing.updates import update_articles

        store = ArticleStore(self.index_dir / STORE_FILE)
        try:
            applied = applied_entity_corrections(store)
            if applied == wanted:
                return 0
            with self._reading() as searcher:
                touched = sorted(searcher.articles_touched(applied, wanted))
            meta = {ENTITY_CORRECTIONS_APPLIED: entity_corrections_json(wanted)}
            _log_problems(update_articles(self.index_dir, store, touched, self.corrections, wanted, meta))
        finally:
            store.close()
        clean_up(self.index_dir)
        return len(touched)

    @contextmanager
    def _reading(self) -> Iterator[ArchiveSearcher]:
        """The searcher, for one thread at a time; damage found while opening or reading closes it,
        is recorded for the next indexing run, and is said in one line."""
        with self._read_lock:
            try:
                yield self._open_searcher()
            except IndexDamagedError as error:
                raise self._damaged(error, str(error)) from error
            except (OSError, sqlite3.DatabaseError, *_DAMAGE) as error:
                if not _is_damage(error):
                    raise
                raise self._damaged(error, type(error).__name__) from error

    def _damaged(self, error: BaseException, what: str) -> ArchivistError:
        """Close the searcher, record the damage, and say so (or that a rebuild is under way)."""
        log.warning("reading the index of %s failed", self.root, exc_info=error)
        self._close_searcher()
        if indexing_lock(self.index_dir).busy():
            # An indexing run (maybe a rebuild) is replacing files: what is missing now will be back.
            return IndexChangedError(f"the index of {self.root} is being rewritten; try again when indexing ends")
        self._mark_damaged(what)
        return IndexDamagedError(f"the index of {self.root} is damaged ({what}); index the archive again to rebuild it")

    def _open_searcher(self) -> ArchiveSearcher:
        if not self.is_indexed:
            raise IndexNotBuiltError(f"{self.root} has not been indexed yet; run: archivist index {self.root}")
        if self._searcher is None:
            if not self.is_current:
                raise IndexNotBuiltError(f"the index of {self.root} was built by another version; index it again")
            self._searcher = ArchiveSearcher(self.index_dir)
        else:
            self._searcher.refresh()
        return self._searcher

    def _mark_damaged(self, reason: str) -> None:
        """Tell the next indexing run to rebuild: the damage may be where its checks do not look."""
        try:
            write_atomically(self.index_dir / DAMAGE_FILE, reason.encode("utf-8", "replace"))
        except OSError:
            log.exception("could not record that the index of %s is damaged", self.root)

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            searcher, self._searcher = self._searcher, None
            try:
                searcher.close()
            except Exception:  # noqa: BLE001 - closing a damaged index may fail too; it is dropped anyway
                log.exception("closing the searcher failed")

    def search(self, request: SearchRequest) -> SearchResult:
        """Search the archive. See :class:`SearchRequest` and :class:`SearchResult`."""
        with self._reading() as searcher:
            return searcher.search(request)

    def prepare_searches(self) -> None:
        """Make ahead what the first searches would otherwise make as they go (see
        ArchiveSearcher.prepare), and start reading the index's search files into the page
        cache in the background (see storage.preload): for an application to call once it shows
        first results, and again after indexing (a searcher following a large update may have to
        make them again; files still cached are not read again)."""
        with self._reading() as searcher:
            # Started while the searcher is held: a close() waiting for it then stops the preload.
            # Started first: the preparation is work for the processor, the preload for the disk.
            budget = int(available_memory() * SHARE_OF_AVAILABLE_MEMORY)
            with self._preload_lock:
                self._stop_preloading()
                self._preloader = Preloader(searcher.search_files(), budget).start()
            try:
                searcher.prepare()
            except BaseException:
                with self._preload_lock:
                    self._stop_preloading()
                raise

    def _stop_preloading(self) -> None:
        if self._preloader is not None:
            self._preloader.stop()
            self._preloader = None

    def article(self, article_id: str) -> Article:
        """The article with this id.

        Raises:
            ArticleNotFoundError: no article has this id.
        """
        with self._reading() as searcher:
            article = searcher.article(article_id)
        if article is None:
            raise ArticleNotFoundError(f"no article with id {article_id}")
        return article

    def article_of(self, excerpt: Excerpt) -> Article:
        """The article an excerpt was taken from: the one with its id, else, for an excerpt taken when
        the records of a feed were known by their number (they are now by their address, else their
        title and date), the record with its address, else its title, that holds its passage.

        Raises:
            ArticleNotFoundError: the archive holds neither.
        """
        with self._reading() as searcher:
            article = searcher.article(excerpt.article_id) or _holding_passage(searcher.store, excerpt)
        if article is None:
            raise ArticleNotFoundError(f"no article with id {excerpt.article_id}")
        return article

    def excerpt(
        self, article_id: str, start: int, end: int, query: str = "", note: str = "", tags: Iterable[str] = ()
    ) -> Excerpt:
        """An excerpt of characters ``[start, end)`` of the article's body, citing the article as it is now.

        Raises:
            ArticleNotFoundError: no article has this id.
            ExcerptError: the offsets are not a passage of the body.
        """
        return take_excerpt(self.article(article_id), start, end, self.root, query, note, tags)

    def hit_spans(self, article_id: str, query: str, complete_last_word: bool = False) -> dict[str, tuple[Span, ...]]:
        """Where ``query``'s words occur in the article's title and body (with the completions of
        its last word when it is being typed, as SearchRequest.complete_last_word)."""
        article = self.article(article_id)
        with self._reading() as searcher:
            return searcher.hit_spans(article, query, complete_last_word)

    def more_like(self, article_id: str, limit: int = 10) -> tuple[Hit, ...]:
        """Articles most similar to the given one."""
        article = self.article(article_id)
        with self._reading() as searcher:
            return searcher.more_like(article, limit)

    def compare(self, a: str, b: str) -> Comparison:
        """What two articles share and where they differ (see index.analysis.compare).

        Raises:
            ArticleNotFoundError: no article has one of the ids.
        """
        from index.analysis.compare import compare  # noqa: PLC0415 - RapidFuzz only for the commands that compare

        first, second = self.article(a), self.article(b)
        return compare(first, second, self.entities(a), self.entities(b))

    def near_copies(self, threshold: float = DEFAULT_COPY_THRESHOLD) -> tuple[CopyCluster, ...]:
        """The clusters of articles that are near copies of each other at ``threshold`` (the
        estimated share of their four-word shingles they have in common, from MIN_COPY_THRESHOLD to 1).

        Raises:
            InvalidRequestError: the threshold is out of that range.
        """
        check_copy_threshold(threshold)
        with self._reading() as searcher:
            return searcher.copy_clusters(threshold)

    def copies_of(self, article_id: str, threshold: float = DEFAULT_COPY_THRESHOLD) -> tuple[str, ...]:
        """The ids of an article's near copies at ``threshold``, earliest first (see near_copies)."""
        check_copy_threshold(threshold)
        self.article(article_id)
        with self._reading() as searcher:
            return searcher.copies_of(article_id, threshold)

    def correct(self, article_id: str, field: str, value: str | None) -> Article:
        """Correct an article's title, date, source or language (None withdraws the correction).

        The correction is saved in the user data dir at once (and survives re-indexing), then shows
        in searches and facets; it waits for a commit in progress, never for a whole indexing run.

        Returns:
            The article as it now reads.

        Raises:
            ArticleNotFoundError: no article has this id.
            ArchivistError: the field or value is not valid, or the correction could not be saved.
        """
        self.article(article_id)
        self.corrections.set(article_id, field, value)
        self._reindex([article_id])
        return self.article(article_id)

    def correct_many(self, changes: CorrectionChanges, expected: CorrectionChanges | None = None) -> CorrectionChanges:
        """Correct (or, with a value None, withdraw the corrections of) fields of many articles at
        once: one save, one re-index of those articles.

        Args:
            changes: article id -> {field: value}, e.g. the same date for every selected result.
            expected: to undo an earlier change, that change: a field is put back only where it
                still holds what that change set, and articles gone since are passed over.

        Returns:
            What each changed field was corrected to before (None: not corrected); passed back to
            ``correct_many`` with ``changes`` as ``expected``, it undoes the change.

        Raises:
            ArticleNotFoundError: without ``expected``, an article is not in the archive (nothing
                is changed).
            ArchivistError: a field or value is not valid, or the corrections could not be saved.
        """
        if expected is None:
            for article_id in changes:
                self.article(article_id)
        else:
            changes = {article_id: fields for article_id, fields in changes.items() if self._has(article_id)}
        previous = self.corrections.change(changes, expected)
        if previous:
            self._reindex(list(previous))
        return previous

    def _has(self, article_id: str) -> bool:
        try:
            self.article(article_id)
        except ArticleNotFoundError:
            return False
        return True

    def _reindex(self, ids: list[str]) -> None:
        from index.indexing.indexer import writing_index
        from index.indexing.updates import update_articles

        with writing_index(self.root, self.index_dir, holds_indexing_lock=False):
            # No store of ours: a rebuild may replace it while this waits for the commit lock.
            _log_problems(update_articles(self.index_dir, None, ids, self.corrections, None))

    def entity_model_status(self) -> EntityModelStatus:
        """How far the language models have read the archive's articles (see run_entity_models)."""
        from index.indexing.model_pass import model_status

        self._check_current()
        return model_status(self.index_dir)

    def run_entity_models(
        self, progress: ModelPassProgress | None = None, should_cancel: CancelCheck | None = None
    ) -> EntityModelSummary:
        """Read the articles the installed entity models have not read yet, and re-index them with
        the names they found; searches see each batch as it is saved. Resumes where a stopped pass was.

        Args:
            progress: called as ``progress(done, total, language)`` after each batch.
            should_cancel: polled between batches; True stops the pass, keeping what was read.

        Raises:
            IndexLockedError: a pass of this archive is running already.
            IndexNotBuiltError: the archive has no current index.
        """
        from index.indexing.model_pass import run_model_pass

        self._check_current()
        summary = run_model_pass(self.index_dir, self._reindex, progress, should_cancel)
        _log_problems(list(summary.problems))
        return summary

    def _check_current(self) -> None:
        if not self.is_current:
            raise IndexNotBuiltError(f"{self.root} has no current index; run: archivist index {self.root}")

    def entities(self, article_id: str) -> tuple[EntityMention, ...]:
        """The people, organisations and places an article's body names, with their offsets."""
        self.article(article_id)
        with self._reading() as searcher:
            return searcher.store.mentions(article_id)

    def entity(self, name: str, type_: str | None = None) -> EntityInfo:
        """An entity by any of its names: its canonical name, type, aliases, article count and dates.

        Args:
            name: a canonical name or an alias (``Hanoï``, ``CPCV``).
            type_: PERSON, ORG or PLACE, or None to look in all three.

        Raises:
            ArchivistError: no article names such an entity.
        """
        types = (type_,) if type_ else TYPES
        corrections = self.entity_corrections
        with self._reading() as searcher:
            for kind in types:
                # A name renamed or merged away finds the entity it became, which lists it as an alias.
                now = corrections.corrected(kind, canonical_name(name, kind) or name)
                if now is None:
                    continue
                info = searcher.entity_info(now[1], now[0])
                if info is not None:
                    merged = [
                        old
                        for (old_type, old), new in corrections.renamed.items()
                        if corrections.corrected(old_type, old) == now and old not in info.aliases
                    ]
                    return replace(info, aliases=(*info.aliases, *sorted(merged)))
        raise ArchivistError(f"no article names an entity called '{name}'")

    def change_entity_corrections(
        self,
        change: Callable[[EntityCorrections], EntityCorrections],
        should_cancel: CancelCheck | None = None,
        on_wait: WaitCallback | None = None,
    ) -> int:
        """Apply ``change`` to the entity corrections as saved now, save them, and re-index the
        articles they touch. Waits for an indexing run of the archive to finish first.

        Returns:
            How many articles were re-indexed.

        Raises:
            ArchivistError: the corrections could not be saved, or waiting was cancelled.
        """
        from index.indexing.indexer import writing_index

        with indexing_lock(self.index_dir).held(should_cancel=should_cancel, on_wait=on_wait):
            _before, after = update_entity_corrections(self.entity_corrections_path, change)
            with writing_index(self.root, self.index_dir, holds_indexing_lock=True):
                return self._apply_entity_corrections(after)

    def set_entity_corrections(self, corrections: EntityCorrections) -> int:
        """Replace the archive's entity corrections (an import), save them, and re-index what they touch.

        Returns:
            How many articles were re-indexed.
        """
        return self.change_entity_corrections(lambda _current: corrections)

    def close(self) -> None:
        """Release open index files and stop preloading them."""
        with self._read_lock:
            self._close_searcher()
        with self._preload_lock:
            self._stop_preloading()


@contextmanager
def article_lookup(data: Path | None = None, open_archives: Iterable[Archive] = ()) -> Iterator[ArticleLookup]:
    """Articles by archive folder and id, as ``excerpts.check`` asks for them.

    Archives in ``open_archives`` are used as they are; any other is opened once, on first use, and
    closed when the block ends.
    """
    archives = {str(archive.root): archive for archive in open_archives}
    opened: list[Archive] = []

    def lookup(excerpt: Excerpt) -> Article:
        root = excerpt.archive
        archive = archives.get(root)
        if archive is None:
            archive = archives[root] = Archive(Path(root), data)
            opened.append(archive)
        if not archive.is_indexed:
            raise IndexNotBuiltError(f"{root} is not indexed")
        return archive.article_of(excerpt)

    try:
        yield lookup
    finally:
        for archive in opened:
            archive.close()


def _holding_passage(store: ArticleStore, excerpt: Excerpt, batch: int = 500) -> Article | None:
    """The record of the excerpt's file it was taken from when records were known by their number:
    the one with its address (else its title) that holds its passage; None when the excerpt's id is
    no record number of that file, or no record is told apart (another article that merely shares
    the passage is not its article)."""
    from index.analysis.metadata import article_id

    ids = store.article_ids(excerpt.path)
    # The file may have held more records then: a thousand more than twice those it holds is plenty.
    numbers = range(2 * len(ids) + 1000)
    if not excerpt.text or not any(article_id(f"{excerpt.path}#{n}") == excerpt.article_id for n in numbers):
        return None
    titled = []
    for start in range(0, len(ids), batch):
        for article in store.get_many(ids[start : start + batch]).values():
            if excerpt.text not in article.body:
                continue
            if excerpt.url and article.url == excerpt.url:
                return article
            if not excerpt.url and article.title == excerpt.title:
                titled.append(article)
    return titled[0] if len(titled) == 1 else None


def _log_problems(problems: list[AnalysisProblem]) -> None:
    for problem in problems:
        log.warning("%s: %s failed: %s", problem.path, problem.step, problem.error)


def _is_damage(error: BaseException) -> bool:
    if isinstance(error, sqlite3.DatabaseError):
        return is_damage(error)
    if isinstance(error, OSError):
        return error.errno == errno.EIO
    return True
