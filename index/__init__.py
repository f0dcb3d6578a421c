"""Archivist's engine: read news archives, infer metadata, index and search them. No Qt here."""

from .archive import Archive, last_archive, remember_archive
from .errors import (
    ArchiveNotFoundError, ArchivistError, ArticleNotFoundError, IndexLockedError, IndexNotBuiltError,
    NoArchiveError, QuerySyntaxError, UnreadableFileError,
)
from .models import (
    Article, Facet, FacetValue, Filters, Hit, IndexSummary, Provenance, SearchRequest, SearchResult,
    SkippedFile, Snippet, SortOrder, Span, Timeline, TimelineBucket,
)
from .paths import bundled_seeds, data_dir

__all__ = [
    "Archive", "ArchiveNotFoundError", "ArchivistError", "Article", "ArticleNotFoundError", "Facet",
    "FacetValue", "Filters", "Hit", "IndexLockedError", "IndexNotBuiltError", "IndexSummary",
    "NoArchiveError", "Provenance", "QuerySyntaxError", "SearchRequest", "SearchResult", "SkippedFile",
    "Snippet", "SortOrder", "Span", "Timeline", "TimelineBucket", "UnreadableFileError", "bundled_seeds",
    "data_dir", "last_archive", "remember_archive",
]
