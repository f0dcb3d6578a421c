"""The Whoosh schema, and the field type that accepts postings analysed in worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import analysis, fields, formats

from index.analysis.entities import gazetteer
from index.analysis.folding import fold
from index.analysis.terms import TOKEN, terms
from index.storage.positions import decode_positions, encode_positions
from index.storage.segments import bulk_item

# 9: one folding for all (Azerbaijani ə folds to e); 10: title postings boosted; 11: titles kept whole;
# 12: words stemmed before they are folded; 13: the entity model an article's mentions include;
# 14: near-copy signatures; 15: their hash functions drawn without numpy.random; 16: near copies judged
# without their sources' boilerplate; 17: positions as 16-bit gaps (CompactPositions), each Chinese or
# Japanese character a token; 18: records and mentions compressed by zstd with dictionaries; 19: term
# filters, and frequent-terms files with terms in 64+ documents and their table as sorted arrays; 20: near-copy
# band keys mixed by array operations (blake2b per band before)
SCHEMA_VERSION = 20
TEXT_FIELDS = ("title", "body")


def index_version() -> str:
    """What an index depends on: the schema and the entity extractor's rules and data."""
    return f"{SCHEMA_VERSION}/{gazetteer.version()}"


Posting = tuple[bytes, int, float, bytes]


class PreAnalyzed(list):  # type: ignore[type-arg]
    """A text's index terms in order, analysed ahead of time: term ``i`` is at position ``i``.

    The segment writer makes the postings of a whole segment's texts at once (see
    segments.TermGroupedPool). Their number is the field length relevance scoring uses.
    """

    @property
    def length(self) -> int:
        return len(self)


class CompactPositions(formats.Positions):  # type: ignore[misc]
    """Whoosh's Positions format with each posting's positions written as little-endian 16-bit gaps.

    Whoosh writes a 4-byte count and a pickled list of gaps: 13 bytes for a word found once in an
    article, as most are. These postings are 19 % smaller and term infos 7 % (the postings of rare
    terms are inlined there), and they decode in C. A gap wider than 16 bits makes the whole posting
    32-bit, marked by an odd length. Whoosh's readers decode through the format the index's schema
    records, so they read these postings as they read their own.
    """

    def encode(self, poslist: list[int]) -> bytes:
        return encode_positions(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 2 if len(valuestring) % 2 == 0 else len(valuestring) // 4


class PreAnalyzedText(fields.TEXT):  # type: ignore[misc]
    """A TEXT field that indexes PreAnalyzed postings as they are; other values as TEXT does."""

    def __init__(self, field_boost: float = 1.0, **kwargs: Any) -> None:
        super().__init__(field_boost=field_boost, **kwargs)
        self.format = CompactPositions(field_boost=field_boost)

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:
        if isinstance(value, PreAnalyzed):
            return iter((bulk_item(value, self.format.field_boost),))
        return super().index(value, **kwargs)  # type: ignore[no-any-return]


def pre_analysed(text: str, language: str) -> PreAnalyzed:
    """The terms of ``text`` for a positional text field (see :class:`PreAnalyzed`).

    Args:
        text: the field's text.
        language: the article's language, which chooses the stemmer.
    """
    return PreAnalyzed(terms(text, language))


class _FoldFilter(analysis.Filter):  # type: ignore[misc]
    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def build_schema() -> fields.Schema:
    """The schema of every archive index.

    Text fields are analysed outside Whoosh (see :func:`postings`); their analyzer, for the query
    parser only, just lowers the case: query words reach the query module as typed, to be stemmed
    before they are folded as the articles' words are. Everything shown to users lives in the article
    store, so Whoosh stores just the id.
    """
    lowering = analysis.RegexTokenizer(TOKEN) | analysis.LowercaseFilter()
    keyword = analysis.IDTokenizer() | _FoldFilter()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        # A query word the tokenizer splits (Chinese, Japanese) is a phrase of its parts.
        title=PreAnalyzedText(analyzer=lowering, field_boost=2.0, multitoken_query="phrase"),
        body=PreAnalyzedText(analyzer=lowering, multitoken_query="phrase"),
        source=fields.ID(analyzer=keyword),
        language=fields.ID(analyzer=keyword),
        # For the query parser only: articles do not index it, as date queries are answered
        # from the day column (docsets.py), and its eight numeric terms per article cost time.
        date=fields.DATETIME(),
        # Entities: folded canonical names, one term each; queries go through entities.canonical_name.
        person=fields.ID(analyzer=keyword),
        org=fields.ID(analyzer=keyword),
        place=fields.ID(analyzer=keyword),
    )
