"""Plain immutable values that cross from the engine to its callers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from index.errors import InvalidRequestError


class Provenance(StrEnum):
    """Where an inferred value came from."""

    HEADER = "header"
    STRUCTURED = "structured"
    TEXT = "text"
    USER = "user"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RawDocument:
    """One article as read from disk, before any inference.

    ``key`` is the stable part of the id: the path inside the archive, plus, for files that hold
    many articles, the record's id, address, or title and date (a record's number only when it has
    none of them: records come and go in re-exported feeds, and the user's corrections must follow
    their article). ``former_key`` is the key earlier versions gave it (its number), whose
    corrections it takes over.
    """

    key: str
    path: str
    text: str
    metadata: dict[str, str]
    metadata_kind: Provenance
    encoding: str
    former_key: str | None = None


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` into some text."""

    start: int
    end: int
    kind: str = "hit"


@dataclass(frozen=True)
class Article:
    """An article with everything the engine worked out about it.

    ``body`` is the cleaned text; ``boilerplate`` holds spans of ``text`` (the full
    text as read) that are page debris, so a viewer can show them dimmed.
    """

    id: str
    path: str
    title: str
    title_provenance: Provenance
    body: str
    date: dt.date | None
    date_provenance: Provenance
    source: str | None
    source_provenance: Provenance
    language: str
    language_provenance: Provenance
    url: str | None = None
    author: str | None = None
    relayed_source: str | None = None
    encoding: str = "utf-8"


ENTITY_FACETS = {"person": "PERSON", "org": "ORG", "place": "PLACE"}
ENTITY_FACET_OF_TYPE = {type_: facet for facet, type_ in ENTITY_FACETS.items()}


@dataclass(frozen=True)
class EntityMention:
    """A name in an article's body: ``[start, end)``, its type and the entity it refers to."""

    start: int
    end: int
    type: str  # PERSON, ORG or PLACE
    canonical: str


@dataclass(frozen=True)
class EntityInfo:
    """What the archive knows about one entity."""

    name: str
    type: str
    aliases: tuple[str, ...]
    articles: int
    first_date: dt.date | None
    last_date: dt.date | None


@dataclass(frozen=True)
class Filters:
    """Narrowing applied on top of a query. Empty tuples mean "no constraint".

    ``entities`` and ``exclude_entities`` hold ``(facet, name)`` pairs, the facet being
    ``person``, ``org`` or ``place`` and the name canonical.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: tuple[str, ...] = ()
    exclude_sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    exclude_languages: tuple[str, ...] = ()
    undated: bool | None = None
    entities: tuple[tuple[str, str], ...] = ()
    exclude_entities: tuple[tuple[str, str], ...] = ()


class SortOrder(StrEnum):
    """How hits are ordered."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


# Near copies (index/analysis/duplicates.py): the least likeness kept, and the one clusters are formed at
# unless the user chooses another.
MIN_COPY_THRESHOLD = 0.6  # below it the banding (duplicates.py) would miss too many pairs
DEFAULT_COPY_THRESHOLD = 0.7


def check_copy_threshold(threshold: float) -> None:
    """Refuse a near-copy threshold out of range.

    Raises:
        InvalidRequestError: it is below MIN_COPY_THRESHOLD or above 1.
    """
    if not MIN_COPY_THRESHOLD <= threshold <= 1:
        raise InvalidRequestError(f"the threshold must be from {MIN_COPY_THRESHOLD} to 1, not {threshold}")


@dataclass(frozen=True)
class SearchRequest:
    """What the user asked for: a query string, filters, an order and a page.

    ``page`` counts from 1; a page past the last hit is empty. ``page_size`` 0 asks only for the
    total, the facets and the timeline.

    Raises:
        InvalidRequestError: ``page`` is below 1, or ``page_size`` or ``facet_limit`` below 0.
    """

    query: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = 1
    page_size: int = 20
    facet_limit: int = 50
    spellings: bool = True  # a word naming a known entity also matches its other spellings
    complete_last_word: bool = False  # being typed: the last word also matches words it begins
    # One hit per group of near copies (the earliest matching member), the others named in its
    # ``copies``; the total counts groups. Facets and the timeline count every copy either way.
    fold_copies: bool = False
    copy_threshold: float = DEFAULT_COPY_THRESHOLD

    def __post_init__(self) -> None:
        # Refused where the request is made (a CLI option, a GUI page change), not deep in a search.
        if self.page < 1:
            raise InvalidRequestError(f"the page must be 1 or more, not {self.page}")
        if self.page_size < 0:
            raise InvalidRequestError(f"the page size must be 0 or more, not {self.page_size}")
        if self.facet_limit < 0:
            raise InvalidRequestError(f"the number of facet values must be 0 or more, not {self.facet_limit}")
        check_copy_threshold(self.copy_threshold)


@dataclass(frozen=True)
class Snippet:
    """Best passages of an article, with the query hits as spans into ``text``."""

    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Hit:
    """One matching article as shown in a result list."""

    id: str
    path: str
    title: str
    date: dt.date | None
    date_provenance: Provenance
    source: str | None
    source_provenance: Provenance
    language: str
    score: float
    snippet: Snippet
    copies: tuple[str, ...] = ()  # with SearchRequest.fold_copies: its near copies that match too, by id


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with the number of matching articles that have it."""

    value: str
    count: int


@dataclass(frozen=True)
class Facet:
    """Top values of one facet; ``distinct`` counts all values with a non-zero count."""

    name: str
    values: tuple[FacetValue, ...]
    distinct: int


@dataclass(frozen=True)
class TimelineBucket:
    """Articles in ``[start, end]`` (inclusive days); ``label`` reads as the bucket."""

    start: dt.date
    end: dt.date
    label: str
    count: int


@dataclass(frozen=True)
class Timeline:
    """A histogram of the matching articles over time, counted (like the year and month facets)
    under every filter but the date one, so that the period chosen can be moved or widened."""

    unit: str  # "day", "month" or "year"
    buckets: tuple[TimelineBucket, ...]
    undated: int


@dataclass(frozen=True)
class SearchResult:
    """The answer to a SearchRequest."""

    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, Facet]
    timeline: Timeline
    query: str = ""
    also_matched: tuple[str, ...] = ()  # other spellings the query's words brought in
    copies_folded: int = 0  # matching articles shown only as copies of another (SearchRequest.fold_copies)


@dataclass(frozen=True)
class SkippedFile:
    """A file, or one record of a file, that could not be read, with why."""

    path: str
    reason: str


@dataclass(frozen=True)
class AnalysisProblem:
    """One step of analysing an article failed; the article was indexed without that step's result."""

    path: str  # the file, and the record in it for JSON, JSONL and CSV
    step: str  # "cleaning", "title", "date", "source", "language", "entities", ...
    error: str  # the exception, in one line; its traceback is in the log file


@dataclass(frozen=True)
class IndexSummary:
    """What one indexing run did.

    ``rebuilt`` says why the whole index was rebuilt ("" when it was not); ``problems`` lists the
    articles indexed without some part of their analysis, and ``notes`` anything else the user
    should know about the run (a corrections file that could not be read, for example).
    """

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: tuple[SkippedFile, ...] = ()
    cancelled: bool = False
    rebuilt: str = ""
    seconds: float = 0.0
    problems: tuple[AnalysisProblem, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelProgress:
    """How far a language's entity model has read the archive's articles in that language."""

    language: str
    model: str  # the package and its version
    done: int
    total: int


@dataclass(frozen=True)
class EntityModelStatus:
    """The entity model pass of an archive: per language, and whether a pass runs now.

    ``missing`` names the languages of the archive that have a model which is not installed here.
    """

    languages: tuple[ModelProgress, ...] = ()
    running: str = ""  # who runs the pass now ("" when none does)
    missing: tuple[str, ...] = ()

    @property
    def done(self) -> int:
        """Articles read by their language's model."""
        return sum(p.done for p in self.languages)

    @property
    def total(self) -> int:
        """Articles in a language that has a model installed."""
        return sum(p.total for p in self.languages)


@dataclass(frozen=True)
class EntityModelSummary:
    """What one run of the entity model pass did."""

    read: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    problems: tuple[AnalysisProblem, ...] = ()
    stopped: str = ""  # why the pass stopped before the end, other than being cancelled


class PassageKind(StrEnum):
    """How a passage of one article relates to the other in a comparison."""

    SAME = "same"  # the same words, give or take small edits, punctuation, accents and word order
    SIMILAR = "similar"  # the same fact in other words: the same people, places, numbers
    ONLY_A = "only_a"
    ONLY_B = "only_b"


@dataclass(frozen=True)
class LinkedPassage:
    """A passage of a comparison: ``[start, end)`` offsets into each article's ``body``, None for the
    article it is not in."""

    kind: PassageKind
    a: tuple[int, int] | None
    b: tuple[int, int] | None


@dataclass(frozen=True)
class EntityRef:
    """An entity as the index names it."""

    type: str  # PERSON, ORG or PLACE
    name: str


@dataclass(frozen=True)
class Comparison:
    """What two articles share and where they differ.

    ``share_a`` is the part of A's text (its sentences' characters) that B holds in the same words,
    ``share_b`` likewise; passages are in A's order, then B's passages of its own.
    """

    a: str
    b: str
    share_a: float
    share_b: float
    passages: tuple[LinkedPassage, ...]
    shared_entities: tuple[EntityRef, ...]
    only_a_entities: tuple[EntityRef, ...]
    only_b_entities: tuple[EntityRef, ...]

    def to_dict(self) -> dict[str, object]:
        """The comparison as ``archivist compare --json`` prints it."""
        return {
            "a": self.a,
            "b": self.b,
            "share_a": round(self.share_a, 4),
            "share_b": round(self.share_b, 4),
            "passages": [
                {"kind": str(p.kind), "a": list(p.a) if p.a else None, "b": list(p.b) if p.b else None}
                for p in self.passages
            ],
            "entities": {
                key: [{"type": e.type, "name": e.name} for e in entities]
                for key, entities in (
                    ("shared", self.shared_entities),
                    ("only_a", self.only_a_entities),
                    ("only_b", self.only_b_entities),
                )
            },
        }


@dataclass(frozen=True)
class CopyCluster:
    """Articles that are near copies of each other; the representative (the earliest) first."""

    ids: tuple[str, ...]

    @property
    def representative(self) -> str:
        """The article shown for the cluster: the earliest dated, then the first by id."""
        return self.ids[0]
