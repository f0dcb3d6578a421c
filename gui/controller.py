"""The one object that calls the engine, always on worker threads, reporting through signals."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from index import (
    ArchivistError,
    Article,
    Basket,
    Baskets,
    CheckedExcerpt,
    CorrectionChanges,
    EntityCorrections,
    Excerpt,
    Hit,
    IndexDamagedError,
    IndexSummary,
    QuerySyntaxError,
    SearchRequest,
    Snippet,
    check,
    log_path,
    render,
    write_export,
)

if TYPE_CHECKING:
    from index.archive import Archive

log = logging.getLogger(__name__)
RELATED_COPIES = 50  # near copies listed in a reading pane at most
SIMILAR_LISTED = 5  # articles most like one listed in its reading pane
SNIPPET_OPENING = 200  # characters of a near copy's body shown in the results


class JobSignals(QObject):
    """Carries a job's outcome from its worker thread back to the GUI thread."""

    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """Runs one engine call on a pool thread."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.work = work
        self.signals = JobSignals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none is lost in a thread
            if not isinstance(error, ArchivistError):
                log.exception("a background task failed")
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


class Controller(QObject):
    """Owns the open :class:`Archive`; searching, reading, correcting and indexing happen off the GUI thread.

    Three queues: reads (searches, articles) on two threads; indexing runs and archive-wide entity
    corrections, one at a time; corrections of one article, one at a time, so a correction never
    waits for a whole indexing run (the engine makes it wait only for the commit in progress).
    Every search and article request returns an id; replies to superseded searches are dropped.
    A damaged index found while reading is rebuilt from the archive at once.
    """

    archive_opened = Signal(object)  # Path
    results_ready = Signal(int, object)  # request id, SearchResult
    page_ready = Signal(int, object)  # request id, SearchResult: a further page of the latest search
    search_failed = Signal(int, str, int)  # request id, message, position (-1: not a syntax error)
    # request id, Article, {"title": hit spans, "body": hit spans, "entities": EntityMentions in the body}
    article_ready = Signal(int, object, object)
    article_failed = Signal(int, str)
    article_corrected = Signal(object)  # Article
    # the changes applied and what the fields were before (CorrectionChanges each: the second given
    # back, with the first as expected, undoes them), what changed, whether it may be undone
    articles_corrected = Signal(object, object, str, bool)
    correction_failed = Signal(str)
    entities_corrected = Signal(int, str)  # articles re-indexed, what changed
    indexing_started = Signal()
    progress_changed = Signal(int, int, str)  # done, total, path
    indexing_finished = Signal(object)  # IndexSummary
    indexing_failed = Signal(str)
    indexing_waiting = Signal(str)  # who holds the archive: another run must finish first
    correction_waiting = Signal(str)  # the same, for an entity correction
    # basket name, every excerpt in order as CheckedExcerpts, what changed (for the status bar; "" when loaded)
    basket_changed = Signal(str, object, str)
    basket_failed = Signal(str)
    basket_names = Signal(object)  # every basket's name, default first: after a basket is loaded
    export_finished = Signal(str)  # what was written
    entity_model_status = Signal(object, object)  # Archive, EntityModelStatus: how far the language models read
    comparison_ready = Signal(int, object)  # request id, Comparison
    comparison_failed = Signal(int, str)
    copies_of_ready = Signal(str, object)  # article id, its near copies (Articles)
    similar_ready = Signal(str, object)  # article id, the articles most like it (Hits)
    copies_ready = Signal(str, object)  # a result's id, its near copies as Hits to list under it

    def __init__(self, data: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.archive: Archive | None = None
        self._ids = itertools.count(1)
        self._latest_search = 0
        self._jobs: set[JobSignals] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._index_pool = QThreadPool(self)
        self._index_pool.setMaxThreadCount(1)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._basket_pool = QThreadPool(self)  # one at a time, so the user's changes apply in their order
        self._basket_pool.setMaxThreadCount(1)
        self.baskets = Baskets(data)
        self._flags: dict[str, CheckedExcerpt] = {}  # the last check of each excerpt, by id
        self._cancel = threading.Event()
        self._stopping = threading.Event()  # set when the app quits: waiting writers give up
        self._damage_rebuilt = False  # a rebuild for damage was started since the last good search
        self._indexing = False
        self._generation = 0
        self._prepared: Archive | None = None  # prepared since it was opened or last indexed

    @property
    def is_indexing(self) -> bool:
        """Whether an indexing run is under way."""
        return self._indexing

    def open_archive(self, root: Path, reindex: bool = True) -> None:
        """Make ``root`` the open archive and bring its index up to date in the background."""
        self.cancel_indexing()
        if self.archive is not None:
            old = self.archive
            self._submit(self._pool, old.close, lambda _: None, lambda _: None)
        from index.archive import Archive  # Whoosh, NumPy, the indexer: loaded once the window shows

        self.archive = Archive(Path(root), data=self.data)
        self._damage_rebuilt = False
        self._generation += 1
        self._latest_search = next(self._ids)  # replies about the previous archive are stale now
        self.archive_opened.emit(self.archive.root)
        if reindex or not self.archive.is_indexed:
            self.reindex()

    def reindex(self) -> None:
        """Index what changed in the open archive (everything, the first time)."""
        archive = self.archive
        if archive is None:
            return
        self._cancel = cancel = threading.Event()
        generation = self._generation
        self._indexing = True
        self.indexing_started.emit()
        relay = JobSignals()
        relay.done.connect(self._relay_progress)

        def progress(done: int, total: int, path: str) -> None:
            relay.done.emit((generation, done, total, path))

        def waiting(holder: str) -> None:
            relay.done.emit((generation, -1, -1, holder))

        def work() -> IndexSummary:
            return archive.update(progress=progress, should_cancel=cancel.is_set, on_wait=waiting)

        def finished(summary: object) -> None:
            self._jobs.discard(relay)
            if generation == self._generation:
                self._indexing = False
                self._prepared = None  # prepared again with the next results (prepare_searches)
                self.indexing_finished.emit(summary)

        def failed(error: object) -> None:
            self._jobs.discard(relay)
            if generation == self._generation:
                self._indexing = False
                self.indexing_failed.emit(str(error))

        self._jobs.add(relay)
        self._submit(self._index_pool, work, finished, failed)

    @Slot(object)
    def _relay_progress(self, payload: tuple[int, int, int, str]) -> None:
        generation, done, total, path = payload
        if generation != self._generation:
            return
        if done < 0:
            self.indexing_waiting.emit(path)
        else:
            self.progress_changed.emit(done, total, path)

    def cancel_indexing(self) -> None:
        """Ask the running indexing to stop; the index stays usable."""
        self._cancel.set()

    def search(self, request: SearchRequest) -> int:
        """Start a search; its reply comes as ``results_ready`` or ``search_failed`` with the returned id."""
        request_id = next(self._ids)
        self._latest_search = request_id
        archive = self.archive
        if archive is None:
            return request_id

        def work() -> object:
            if not archive.is_indexed:
                return None
            return archive.search(request)

        def done(result: object) -> None:
            if result is not None:
                self._damage_rebuilt = False
            if request_id == self._latest_search and result is not None:
                self.results_ready.emit(request_id, result)
                self._prepare_searches(archive)

        def failed(error: object) -> None:
            self._rebuild_if_damaged(error)
            if request_id != self._latest_search:
                return
            if isinstance(error, QuerySyntaxError):
                self.search_failed.emit(request_id, error.message, int(error.position))
            else:
                self.search_failed.emit(request_id, _message(error), -1)

        self._submit(self._pool, work, done, failed)
        return request_id

    def _prepare_searches(self, archive: Archive) -> None:
        """Once an archive shows its first results (and again after each indexing run), make what
        its next searches would otherwise make on the way (0.6 s at a million articles)."""
        if self._prepared is archive or archive is not self.archive:
            return
        self._prepared = archive
        self._submit(self._pool, archive.prepare_searches, lambda _: None, lambda error: log.info("prepare: %s", error))

    def fetch_page(self, request: SearchRequest) -> int:
        """Fetch a further page of the latest search; ``page_ready`` follows unless a new search started."""
        request_id = next(self._ids)
        latest, archive = self._latest_search, self.archive
        if archive is None:
            return request_id

        def done(result: object) -> None:
            if latest == self._latest_search:
                self.page_ready.emit(request_id, result)

        self._submit(self._pool, lambda: archive.search(request), done, lambda error: log.info("page: %s", error))
        return request_id

    def open_article(self, article_id: str, query: str, typing: bool = False) -> int:
        """Load an article and where ``query`` hits it (with its last word's completions while it is
        ``typing``); the reply is ``article_ready`` with the returned id."""
        request_id = next(self._ids)
        archive = self.archive
        if archive is None:
            return request_id

        def work() -> object:
            article = archive.article(article_id)
            try:
                spans = archive.hit_spans(article_id, query, typing) if query.strip() else {"title": (), "body": ()}
            except QuerySyntaxError:
                spans = {"title": (), "body": ()}
            return article, {**spans, "entities": archive.entities(article_id)}

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            self.article_ready.emit(request_id, result[0], result[1])

        def failed(error: object) -> None:
            self._rebuild_if_damaged(error)
            self.article_failed.emit(request_id, _message(error))

        self._submit(self._pool, work, done, failed)
        return request_id

    def _rebuild_if_damaged(self, error: object) -> None:
        """A damaged index is rebuilt from the archive (an indexing run does it) rather than left failing;
        once, until a search succeeds again, so damage a rebuild does not cure is shown, not looped on."""
        if isinstance(error, IndexDamagedError) and not self._indexing and not self._damage_rebuilt:
            self._damage_rebuilt = True
            self.reindex()

    def correct(self, article_id: str, field: str, value: str | None) -> None:
        """Correct one field of an article; ``article_corrected`` follows."""
        archive = self.archive
        if archive is None:
            return
        self._submit(
            self._write_pool, lambda: archive.correct(article_id, field, value), self.article_corrected.emit,
            lambda error: self.correction_failed.emit(_message(error)),
        )

    def correct_many(
        self, changes: CorrectionChanges, description: str, undoable: bool = True,
        expected: CorrectionChanges | None = None,
    ) -> None:
        """Correct fields of many articles at once (see Archive.correct_many); ``articles_corrected``
        follows with what undoes it."""
        archive = self.archive
        if archive is None:
            return
        self._submit(
            self._write_pool, lambda: archive.correct_many(changes, expected),
            lambda previous: self.articles_corrected.emit(changes, previous, description, undoable),
            lambda error: self.correction_failed.emit(_message(error)),
        )

    def correct_entities(
        self, change: Callable[[EntityCorrections], EntityCorrections], description: str = "",
    ) -> None:
        """Apply ``change`` to the archive's entity corrections and re-index what it touches, off the GUI thread.

        Runs on the indexing queue, as the engine makes it wait for any indexing run of the archive
        anyway; ``entities_corrected`` or ``correction_failed`` follows.
        """
        archive = self.archive
        if archive is None:
            return

        stopping = self._stopping
        relay = JobSignals()  # carries "waiting for another run" from the worker thread
        relay.done.connect(self.correction_waiting.emit)
        self._jobs.add(relay)

        def work() -> int:
            return archive.change_entity_corrections(change, should_cancel=stopping.is_set, on_wait=relay.done.emit)

        def done(count: object) -> None:
            self._jobs.discard(relay)
            self.entities_corrected.emit(int(count), description)  # type: ignore[call-overload]

        def failed(error: object) -> None:
            self._jobs.discard(relay)
            self.correction_failed.emit(_message(error))

        self._submit(self._index_pool, work, done, failed)

    def load_basket(self, name: str) -> None:
        """Read a basket and check its excerpts against their articles; ``basket_changed`` follows."""
        self._run_on_basket(name, lambda basket: None, "", check_all=True)

    def change_basket(self, name: str, change: Callable[[Basket], object], description: str) -> None:
        """Apply ``change`` to the basket (add, edit, move, remove...) off the GUI thread, in order.

        Excerpts keep the flags of their last check; ``basket_changed`` follows, or ``basket_failed``.
        """
        self._run_on_basket(name, change, description, check_all=False)

    def _run_on_basket(self, name: str, change: Callable[[Basket], object], description: str,
                       check_all: bool) -> None:
        archive, flags = self.archive, self._flags

        def work() -> tuple[str, list[CheckedExcerpt], list[str] | None]:
            basket = self.baskets.basket(name)
            change(basket)
            excerpts = basket.excerpts()
            if check_all:
                from index.archive import article_lookup

                with article_lookup(self.data, [archive] if archive else []) as lookup:
                    checked = check(excerpts, lookup)
                flags.update((item.excerpt.id, item) for item in checked)
                return basket.name, checked, self.baskets.names()
            return basket.name, [_kept_flag(excerpt, flags) for excerpt in excerpts], None

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            name, checked, names = result
            if names is not None:
                self.basket_names.emit(names)
            self.basket_changed.emit(name, checked, description)

        self._submit(self._basket_pool, work, done, lambda error: self.basket_failed.emit(_message(error)))

    def export_excerpts(
        self, checked: list[CheckedExcerpt], format_name: str, title: str, path: Path, by_article: bool
    ) -> None:
        """Write excerpts to ``path`` in a format of ``index.FORMATS``; ``export_finished`` or ``basket_failed``."""

        def work() -> str:
            write_export(path, render(checked, format_name, title, by_article))
            return f"{len(checked)} excerpt{'s' if len(checked) != 1 else ''} written to {path}"

        self._submit(self._basket_pool, work, self.export_finished.emit,
                     lambda error: self.basket_failed.emit(_message(error)))

    def compare(self, a: str, b: str) -> int:
        """Compare two articles; the reply is ``comparison_ready`` (or ``comparison_failed``) with the returned id."""
        request_id = next(self._ids)
        archive = self.archive
        if archive is None:
            return request_id
        self._submit(self._pool, lambda: archive.compare(a, b),
                     lambda comparison: self.comparison_ready.emit(request_id, comparison),
                     lambda error: self.comparison_failed.emit(request_id, _message(error)))
        return request_id

    def ask_copies_of(self, article_id: str, threshold: float) -> None:
        """Load an article's near copies at ``threshold``; the reply is ``copies_of_ready`` (nothing
        comes if it fails: the pane just names none)."""
        archive = self.archive
        if archive is None:
            return

        def work() -> list[Article]:
            return [archive.article(i) for i in archive.copies_of(article_id, threshold)[:RELATED_COPIES]]

        self._submit(self._pool, work, self._for(archive, lambda copies: self.copies_of_ready.emit(article_id, copies)),
                     lambda error: log.info("near copies of %s: %s", article_id, error))

    def ask_similar(self, article_id: str, threshold: float, count: int = SIMILAR_LISTED) -> None:
        """Find the articles most like one, not its near copies at ``threshold`` (the pane names
        those already); the reply is ``similar_ready``."""
        archive = self.archive
        if archive is None:
            return

        def work() -> tuple[Hit, ...]:
            left_out = {article_id, *archive.copies_of(article_id, threshold)}
            hits = archive.more_like(article_id, count + len(left_out))
            return tuple(hit for hit in hits if hit.id not in left_out)[:count]

        self._submit(self._pool, work, self._for(archive, lambda hits: self.similar_ready.emit(article_id, hits)),
                     lambda error: log.info("articles like %s: %s", article_id, error))

    def ask_copies(self, article_id: str, copies: tuple[str, ...]) -> None:
        """Load a result's near copies to list under it; the reply is ``copies_ready``."""
        archive = self.archive
        if archive is None:
            return

        def work() -> tuple[Hit, ...]:
            return tuple(_listed(archive.article(i)) for i in copies)

        self._submit(self._pool, work, self._for(archive, lambda hits: self.copies_ready.emit(article_id, hits)),
                     lambda error: log.info("near copies of %s: %s", article_id, error))

    def ask_entity_model_status(self) -> None:
        """Read how far the entity model pass has read the open archive; the reply comes as
        ``entity_model_status`` (nothing comes when the archive has no current index)."""
        archive = self.archive
        if archive is None:
            return
        self._submit(self._pool, archive.entity_model_status,
                     lambda status: self.entity_model_status.emit(archive, status),
                     lambda error: log.info("could not read the entity model pass's progress: %s", error))

    def shutdown(self, timeout_ms: int = 10000) -> None:
        """Cancel indexing and wait for the workers, so nothing outlives the app."""
        self._stopping.set()
        self.cancel_indexing()
        self._pool.waitForDone(timeout_ms)
        self._index_pool.waitForDone(timeout_ms)
        self._write_pool.waitForDone(timeout_ms)
        self._basket_pool.waitForDone(timeout_ms)
        if self.archive is not None:
            self.archive.close()

    def _for(self, archive: Archive, reply: Callable[[Any], None]) -> Callable[[Any], None]:
        """``reply``, given only while ``archive`` is still the one open: an article id names an
        article of the archive it came from, and another archive may hold one of the same name."""

        def given(result: object) -> None:
            if self.archive is archive:
                reply(result)

        return given

    def _submit(
        self, pool: QThreadPool, work: Callable[[], Any], done: Callable[[Any], None],
        failed: Callable[[Any], None],
    ) -> None:
        job = Job(work)
        signals = job.signals
        self._jobs.add(signals)

        # A job finishing after the app began to quit reports to nobody: the window (and this
        # controller's Qt side) may be gone.
        def on_done(result: object) -> None:
            self._jobs.discard(signals)
            if not self._stopping.is_set():
                done(result)

        def on_failed(error: object) -> None:
            self._jobs.discard(signals)
            if not self._stopping.is_set():
                failed(error)

        signals.done.connect(on_done)
        signals.failed.connect(on_failed)
        pool.start(job)


def _kept_flag(excerpt: Excerpt, flags: dict[str, CheckedExcerpt]) -> CheckedExcerpt:
    """The excerpt with the flag of its last check (and the id its article was found under then); one
    never checked was just taken, from where it says."""
    known = flags.get(excerpt.id)
    if known is None:
        return CheckedExcerpt(excerpt, None, (excerpt.start, excerpt.end))
    return CheckedExcerpt(replace(excerpt, article_id=known.excerpt.article_id), known.flag, known.found_at)


def _message(error: object) -> str:
    """One line for the user; the traceback of anything unforeseen is in the log."""
    if isinstance(error, ArchivistError):
        return str(error)
    if isinstance(error, OSError):
        return f"{error.strerror or error}" + (f": {error.filename}" if error.filename else "")
    return f"Unexpected error ({type(error).__name__}); details are in {log_path()}"


def _listed(article: Article) -> Hit:
    """An article as a result row with its opening as the snippet (a near copy listed under its result)."""
    opening = " ".join(article.body[:SNIPPET_OPENING].split())
    return Hit(article.id, article.path, article.title, article.date, article.date_provenance, article.source,
               article.source_provenance, article.language, 0.0, Snippet(opening, ()))
