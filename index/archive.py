"""The engine's facade: one archive folder, its index, its searches and its corrections."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from .corrections import Corrections, load_entity_corrections, save_entity_corrections
from .entities import TYPES, EntityCorrections, canonical_name
from .errors import ArchivistError, ArticleNotFoundError, IndexNotBuiltError, NoArchiveError
from .indexer import (
    STORE_FILE,
    CancelCheck,
    Indexer,
    ProgressCallback,
    UserCorrections,
    index_version,
    update_articles,
)
from .models import Article, EntityInfo, EntityMention, Hit, IndexSummary, SearchRequest, SearchResult, Span
from .paths import data_dir, index_dir_for
from .search import ArchiveSearcher
from .store import ArticleStore

_LAST_ARCHIVE_FILE = "last_archive.json"


class Archive:
    """An archive folder and its index. Safe to share between threads: calls are serialised.

    Args:
        root: the archive folder.
        data: the user data dir holding indexes and corrections (default: platformdirs').
    """

    def __init__(self, root: Path, data: Path | None = None) -> None:
        self.root = root.resolve()
        self.data = data or data_dir()
        self.index_dir = index_dir_for(self.root, self.data)
        corrections_dir = self.data / "corrections"
        self.corrections = Corrections(corrections_dir / f"{self.index_dir.name}.json")
        self.entity_corrections_path = corrections_dir / f"{self.index_dir.name}.entities.json"
        self.entity_corrections = load_entity_corrections(self.entity_corrections_path)
        self._searcher: ArchiveSearcher | None = None
        self._lock = threading.RLock()

    @property
    def is_indexed(self) -> bool:
        """Whether an index has been built for this archive (maybe by an older version)."""
        return (self.index_dir / STORE_FILE).exists()

    @property
    def is_current(self) -> bool:
        """Whether the index exists and was built with this version's schema."""
        if not self.is_indexed:
            return False
        store = ArticleStore(self.index_dir / STORE_FILE)
        try:
            return store.get_meta("index_version") == index_version()
        finally:
            store.close()

    def update(
        self,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        workers: int | None = None,
    ) -> IndexSummary:
        """Index what changed in the folder since the last run (everything, the first time).

        Args:
            progress: called as ``progress(done, total, path)``.
            should_cancel: polled between files; True stops the run, keeping the index usable.
            workers: processes analysing files (default: one per core).

        Returns:
            What was done.
        """
        corrections = UserCorrections(self.corrections.by_article, self.entity_corrections)
        indexer = Indexer(self.root, self.index_dir, corrections)
        summary = indexer.run(progress, should_cancel, workers)
        remember_archive(self.root, self.data)
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
        return summary

    def _open_searcher(self) -> ArchiveSearcher:
        if not self.is_indexed:
            raise IndexNotBuiltError(f"{self.root} has not been indexed yet; run: archivist index {self.root}")
        if self._searcher is None:
            if not self.is_current:
                raise IndexNotBuiltError(f"the index of {self.root} was built by an older version; index it again")
            self._searcher = ArchiveSearcher(self.index_dir)
        else:
            self._searcher.refresh()
        return self._searcher

    def search(self, request: SearchRequest) -> SearchResult:
        """Search the archive. See :class:`SearchRequest` and :class:`SearchResult`."""
        with self._lock:
            return self._open_searcher().search(request)

    def article(self, article_id: str) -> Article:
        """The article with this id.

        Raises:
            ArticleNotFoundError: no article has this id.
        """
        with self._lock:
            article = self._open_searcher().article(article_id)
        if article is None:
            raise ArticleNotFoundError(f"no article with id {article_id}")
        return article

    def hit_spans(self, article_id: str, query: str) -> dict[str, tuple[Span, ...]]:
        """Where ``query``'s words occur in the article's title and body."""
        article = self.article(article_id)
        with self._lock:
            return self._open_searcher().hit_spans(article, query)

    def more_like(self, article_id: str, limit: int = 10) -> tuple[Hit, ...]:
        """Articles most similar to the given one."""
        article = self.article(article_id)
        with self._lock:
            return self._open_searcher().more_like(article, limit)

    def correct(self, article_id: str, field: str, value: str | None) -> Article:
        """Correct an article's title, date, source or language (None withdraws the correction).

        The correction is stored in the user data dir, survives re-indexing, and shows at once
        in searches and facets.

        Returns:
            The article as it now reads.
        """
        article = self.article(article_id)
        self.corrections.set(article_id, field, value)
        if value is None:
            from .metadata import infer
            from .readers import read_file

            documents, _ = read_file(article.path, (self.root / article.path).read_bytes())
            article = next((a for a in map(infer, documents) if a.id == article_id), article)
        corrected = self.corrections.apply(article)
        self._reindex([corrected])
        return corrected

    def _reindex(self, articles: list[Article]) -> None:
        with self._lock:
            update_articles(self.index_dir, articles, self.entity_corrections)
            if self._searcher is not None:
                self._searcher.refresh()

    def entities(self, article_id: str) -> tuple[EntityMention, ...]:
        """The people, organisations and places an article's body names, with their offsets."""
        self.article(article_id)
        with self._lock:
            return self._open_searcher().store.mentions(article_id)

    def entity(self, name: str, type_: str | None = None) -> EntityInfo:
        """An entity by any of its names: its canonical name, type, aliases, article count and dates.

        Args:
            name: a canonical name or an alias (``Hanoï``, ``CPCV``).
            type_: PERSON, ORG or PLACE, or None to look in all three.

        Raises:
            ArchivistError: no article names such an entity.
        """
        types = (type_,) if type_ else TYPES
        with self._lock:
            searcher = self._open_searcher()
            for kind in types:
                info = searcher.entity_info(canonical_name(name, kind) or name, kind)
                if info is not None:
                    return info
        raise ArchivistError(f"no article names an entity called '{name}'")

    def set_entity_corrections(self, corrections: EntityCorrections) -> int:
        """Replace the archive's entity corrections, save them, and re-index the articles they touch.

        Returns:
            How many articles were re-indexed.
        """
        previous, self.entity_corrections = self.entity_corrections, corrections
        save_entity_corrections(self.entity_corrections_path, corrections)
        with self._lock:
            searcher = self._open_searcher()
            # Stored articles already carry the user's metadata corrections.
            articles = list(searcher.store.get_many(sorted(searcher.articles_touched(previous, corrections))).values())
        if articles:
            self._reindex(articles)
        return len(articles)

    def close(self) -> None:
        """Release open index files."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None


def remember_archive(root: Path, data: Path | None = None) -> None:
    """Record ``root`` as the archive used last."""
    target = (data or data_dir()) / _LAST_ARCHIVE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"archive": str(root.resolve())}), "utf-8")


def last_archive(data: Path | None = None) -> Path:
    """The archive indexed or opened last.

    Raises:
        NoArchiveError: none was.
    """
    try:
        return Path(json.loads(((data or data_dir()) / _LAST_ARCHIVE_FILE).read_text("utf-8"))["archive"])
    except (OSError, ValueError, KeyError) as error:
        raise NoArchiveError("no archive given and none used before; pass --archive PATH") from error
