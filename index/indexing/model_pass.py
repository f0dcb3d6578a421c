"""The entity model pass: after indexing, the articles of each language that has an installed model
are read by it, batch by batch, and re-indexed with what it found.

Indexing itself stays fast (the rules run there); the pass runs afterwards, in the background, one
per archive. What the model finds is kept (``ModelResults``) before the articles are re-indexed, so
a pass that is stopped (cancelled, killed, the laptop's battery) resumes where it was: an article
whose stored entities include the installed model's is done. Searches see each batch as it commits.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from index.analysis.entities.models import RawSpans, load_model, model_languages, model_spans, uninstalled_languages
from index.errors import ArchivistError
from index.indexing.tasks import TimedBatches
from index.models import AnalysisProblem, Article, EntityModelStatus, EntityModelSummary, ModelProgress
from index.storage.layout import STORE_FILE, model_pass_lock
from index.storage.model_results import ModelResults
from index.storage.store import ArticleStore

log = logging.getLogger(__name__)

# Read by the model at once (spaCy batches them): 1 to 4 s of French or Russian, the time a pass asked
# to stop may still need (the app waits that long before it kills it).
BATCH_ARTICLES = 16
# Re-index what the model read at most this often, and at most a tenth of the time: every commit
# rewrites the facet columns and merges segments, which costs seconds at 100k articles (measured:
# with a commit every 5 s, half the pass went to commits). But at least every minute, so that
# searches see the names found: a commit's cost grows with the articles it re-indexes.
COMMIT_SECONDS = 5.0
COMMIT_SHARE = 0.1
COMMIT_MAX_SECONDS = 60.0
ModelPassProgress = Callable[[int, int, str], None]  # done, total, language
# An article whose reading killed the process this many times (once in its batch, once alone) is
# given up: it keeps the rules' entities.
KILLING_TRIES = 2


def model_status(index_dir: Path) -> EntityModelStatus:
    """How far the entity models have read the archive (an index must exist)."""
    installed = {language: model.name for language, model in model_languages().items()}
    store = ArticleStore(index_dir / STORE_FILE)
    try:
        progress = store.model_progress(installed)
        held = store.model_progress({language: "" for language in uninstalled_languages()})
    finally:
        store.close()
    lock = model_pass_lock(index_dir)
    return EntityModelStatus(
        languages=tuple(ModelProgress(lang, installed[lang], done, total) for lang, (done, total) in progress.items()),
        running=lock.holder() if lock.busy() else "",
        missing=tuple(sorted(held)),
    )


def run_model_pass(
    index_dir: Path,
    reindex: Callable[[list[str]], None],
    progress: ModelPassProgress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> EntityModelSummary:
    """Read the articles the installed models have not read yet, and re-index them with what they found.

    Args:
        index_dir: the archive's index folder.
        reindex: re-indexes articles by id (with the archive's corrections).
        progress: called after each batch with the articles done and to do in all, and the language.
        should_cancel: polled between batches; True stops the pass (what was read is kept).

    Returns:
        What was done; problems name the articles the model could not read (they keep the rules'
        entities and are not tried again until the model or the article changes).

    Raises:
        IndexLockedError: a pass of this archive is running already.
    """
    started = time.perf_counter()
    cancelled = should_cancel or (lambda: False)
    installed = model_languages()
    if not installed:
        return EntityModelSummary()
    with model_pass_lock(index_dir).held(timeout=0), closing(ModelResults(index_dir, writable=True)) as results:
        pass_ = _Pass(index_dir, results, reindex, progress)
        for language, model in installed.items():
            if pass_.waiting(language, model.name):
                _load(language, model.name)
            more = True
            while more and not cancelled():
                more = pass_.read_batch(language, model.name)
        if not cancelled():  # a stopped pass leaves the rest to the next one, which re-indexes what it read
            pass_.reindexing.flush()
        return EntityModelSummary(pass_.read, cancelled(), time.perf_counter() - started, tuple(pass_.problems))


def _load(language: str, model: str) -> None:
    """Load a language's model, or stop the pass: a model that cannot load is no article's fault,
    and its articles must not be marked as read by it (they keep the rules' entities meanwhile)."""
    try:
        load_model(language)
    except Exception as error:  # noqa: BLE001 - a broken or incomplete package: one line, details logged
        log.exception("the entity model %s could not be loaded", model)
        raise ArchivistError(
            f"the {language} entity model ({model}) could not be loaded ({type(error).__name__}: {error}); "
            "its articles keep the names the rules found"
        ) from error


class _Pass:
    def __init__(
        self,
        index_dir: Path,
        results: ModelResults,
        reindex: Callable[[list[str]], None],
        progress: ModelPassProgress | None,
    ) -> None:
        self.index_dir = index_dir
        self.results = results
        self.progress = progress
        self.passed: set[str] = set()  # tried in this run: an article edited meanwhile is not retried
        self.reindex = reindex
        self.reindexing = TimedBatches(self._reindex, COMMIT_SECONDS)  # read, then re-indexed every few seconds
        self.read = 0
        self.problems: list[AnalysisProblem] = []

    def waiting(self, language: str, model: str) -> bool:
        """Whether articles of ``language`` wait for ``model``."""
        store = ArticleStore(self.index_dir / STORE_FILE)
        try:
            return bool(store.awaiting_model(language, model, 1, self.passed))
        finally:
            store.close()

    def read_batch(self, language: str, model: str) -> bool:
        """Read the next batch of a language's articles; False when none is left."""
        store = ArticleStore(self.index_dir / STORE_FILE)  # opened per batch: a rebuild may replace it
        try:
            ids = store.awaiting_model(language, model, BATCH_ARTICLES, self.passed)
            articles = [a for a in store.get_many(ids).values() if a.language == language]
            done, total = store.model_progress({language: model}).get(language, (0, 0))
        finally:
            store.close()
        if not ids:
            return False
        self.passed.update(ids)
        unread = [article for article in articles if not self.results.holds(article)]  # a stopped pass read some
        self._read(unread, language, model)
        self.reindexing.add(*(article.id for article in articles))
        self.read += len(unread)
        if self.progress is not None:
            self.progress(min(total, done + len(self.reindexing)), total, language)
        return True

    def _read(self, articles: list[Article], language: str, model: str) -> None:
        """Keep what the model finds in each article (the articles it has not read yet). A batch is
        read at once; when it fails, or when reading it killed the process before (the model's native
        code crashing, memory running out), its articles are read and kept one by one, and one that
        fails, or kills the process again, is reported and keeps the rules' entities."""
        if not articles:
            return
        interrupted = self.results.interrupted(articles, model)
        if not interrupted:
            self.results.reading(articles, model)
            try:
                found = model_spans([a.body for a in articles], language)
            except Exception:  # noqa: BLE001 - find the article that fails, and read the others
                log.info("the %s model failed on a batch; reading its articles one by one", language, exc_info=True)
            else:
                self.results.put((article, model, spans) for article, spans in zip(articles, found, strict=True))
                return
        for article in articles:
            spans: RawSpans | None = None  # None: the model could not read it, it keeps the rules' entities
            if interrupted.get(article.id, 0) >= KILLING_TRIES:
                self._failed(article, "reading it stopped the process (a crash, or memory ran out)")
            else:
                self.results.reading([article], model)
                try:
                    spans = model_spans([article.body], language)[0]
                except Exception as error:  # noqa: BLE001 - one article's failure must not stop the pass
                    log.warning("%s: entity model failed\n%s", article.path, traceback.format_exc())
                    self._failed(article, f"{type(error).__name__}: {error}")
            self.results.put([(article, model, spans)])

    def _reindex(self, ids: list[str]) -> None:
        began = time.monotonic()
        self.reindex(ids)
        spent = time.monotonic() - began
        self.reindexing.interval = min(COMMIT_MAX_SECONDS, max(COMMIT_SECONDS, spent / COMMIT_SHARE))

    def _failed(self, article: Article, why: str) -> None:
        self.problems.append(AnalysisProblem(article.path, "entity model", why))
