"""Archivist's engine: read news archives, infer metadata, index and search them. No Qt here.

The data types, errors and paths load with the package; the rest (the archive, its indexing and
searching, excerpts and their exports: Whoosh, NumPy, the text libraries) loads the first time one
of its names is used, so that a program showing a window or answering ``--version`` does not wait
for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.errors import (
    ArchiveNotFoundError,
    ArchivistError,
    ArticleNotFoundError,
    IndexDamagedError,
    IndexLockedError,
    IndexNotBuiltError,
    IndexWriteError,
    InvalidRequestError,
    NoArchiveError,
    QuerySyntaxError,
    UnreadableFileError,
)
from index.lazy import loaded_when_used
from index.logs import log_path, start_logging
from index.models import (
    DEFAULT_COPY_THRESHOLD,
    ENTITY_FACETS,
    MIN_COPY_THRESHOLD,
    AnalysisProblem,
    Article,
    Comparison,
    CopyCluster,
    EntityInfo,
    EntityMention,
    EntityModelStatus,
    EntityModelSummary,
    EntityRef,
    Facet,
    FacetValue,
    Filters,
    Hit,
    IndexSummary,
    LinkedPassage,
    ModelProgress,
    PassageKind,
    Provenance,
    SearchRequest,
    SearchResult,
    SkippedFile,
    Snippet,
    SortOrder,
    Span,
    Timeline,
    TimelineBucket,
    check_copy_threshold,
)
from index.paths import bundled_seeds, data_dir, last_archive, remember_archive, resource_path

_LOADED_WHEN_USED = {
    "index.analysis.entities": ("EntityCorrections",),
    "index.archive": ("Archive", "article_lookup"),
    "index.userdata.citations": (
        "FORMATS",
        "ExportError",
        "citation",
        "read_json_export",
        "render",
        "to_markdown",
        "to_text",
        "write_export",
    ),
    "index.userdata.corrections": ("CORRECTABLE", "CorrectionChanges"),
    "index.userdata.excerpts": (
        "DEFAULT_BASKET",
        "Basket",
        "Baskets",
        "CheckedExcerpt",
        "Excerpt",
        "ExcerptError",
        "check",
    ),
}
if TYPE_CHECKING:
    from index.analysis.entities import EntityCorrections
    from index.archive import Archive, article_lookup
    from index.userdata.citations import (
        FORMATS,
        ExportError,
        citation,
        read_json_export,
        render,
        to_markdown,
        to_text,
        write_export,
    )
    from index.userdata.corrections import CORRECTABLE, CorrectionChanges
    from index.userdata.excerpts import DEFAULT_BASKET, Basket, Baskets, CheckedExcerpt, Excerpt, ExcerptError, check


if not TYPE_CHECKING:  # for mypy the names above are imported; a misspelt one stays an error
    __getattr__, __dir__ = loaded_when_used("index", globals(), _LOADED_WHEN_USED)


__all__ = [
    "CORRECTABLE",
    "CorrectionChanges",
    "DEFAULT_BASKET",
    "FORMATS",
    "Basket",
    "Baskets",
    "CheckedExcerpt",
    "Excerpt",
    "ExcerptError",
    "ExportError",
    "article_lookup",
    "check",
    "citation",
    "read_json_export",
    "render",
    "to_markdown",
    "to_text",
    "write_export",
    "DEFAULT_COPY_THRESHOLD",
    "ENTITY_FACETS",
    "MIN_COPY_THRESHOLD",
    "check_copy_threshold",
    "AnalysisProblem",
    "IndexDamagedError",
    "IndexWriteError",
    "InvalidRequestError",
    "log_path",
    "start_logging",
    "EntityCorrections",
    "EntityInfo",
    "EntityMention",
    "EntityModelStatus",
    "EntityModelSummary",
    "ModelProgress",
    "Archive",
    "ArchiveNotFoundError",
    "ArchivistError",
    "Article",
    "ArticleNotFoundError",
    "Comparison",
    "CopyCluster",
    "EntityRef",
    "LinkedPassage",
    "PassageKind",
    "Facet",
    "FacetValue",
    "Filters",
    "Hit",
    "IndexLockedError",
    "IndexNotBuiltError",
    "IndexSummary",
    "NoArchiveError",
    "Provenance",
    "QuerySyntaxError",
    "SearchRequest",
    "SearchResult",
    "SkippedFile",
    "Snippet",
    "SortOrder",
    "Span",
    "Timeline",
    "TimelineBucket",
    "UnreadableFileError",
    "bundled_seeds",
    "data_dir",
    "last_archive",
    "remember_archive",
    "resource_path",
]
