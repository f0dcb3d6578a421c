"""The Whoosh schema, and the field type that accepts postings analysed in worker processes."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, chain
from operator import sub
from typing import Any

from whoosh import analysis, fields, formats

from index.analysis.entities import gazetteer
from index.analysis.folding import fold
from index.analysis.terms import TOKEN, terms
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
_WIDE = b"W"  # one byte before 32-bit gaps: their length, 1 + 4n, is odd; 16-bit gaps' is even
_BIG_ENDIAN = sys.byteorder == "big"


def index_version() -> str:
    """What an index depends on: the schema and the entity extractor's rules and data."""
    return f"{SCHEMA_VERSION}/{gazetteer.version()}"


Posting = tuple[bytes, int, float, bytes]


class PreAnalyzed(list):  # type: ignore[type-arg]
    """Postings ``(term bytes, positions encoded as Whoosh stores them, positions)`` computed ahead of time.

    A term's frequency, and its weight, is its number of positions. ``length`` is the number of
    terms (tokens) of the text: the field length relevance scoring uses.
    """

    def __init__(self, postings: Iterable[tuple[bytes, bytes, list[int]]], length: int) -> None:
        super().__init__(postings)
        self.length = length


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
            return iter((bulk_item(value, value.length, self.format.field_boost),))
        return super().index(value, **kwargs)  # type: ignore[no-any-return]


def postings(text: str, language: str) -> PreAnalyzed:
    """The postings of ``text`` for a positional text field.

    Args:
        text: the field's text.
        language: the article's language, which chooses the stemmer.

    Returns:
        One posting per distinct term, with its positions both encoded as Whoosh stores them
        and as a list (for the segment's frequent-terms file, see frequent.py).
    """
    return postings_of(terms(text, language))


def postings_of(tokens: list[str]) -> PreAnalyzed:
    """The postings of a text's terms (see ``postings``)."""
    positions: dict[str, list[int]] = {}
    for position, term in enumerate(tokens):
        found = positions.get(term)
        if found is None:
            positions[term] = [position]
        else:
            found.append(position)
    return PreAnalyzed(
        (
            (
                term.encode("utf-8"),
                _single_position(poslist[0]) if len(poslist) == 1 else encode_positions(poslist),
                poslist,
            )
            for term, poslist in positions.items()
        ),
        len(tokens),
    )


def encode_positions(positions: list[int]) -> bytes:
    """Positions as :class:`CompactPositions` stores them: gaps, 16-bit unless one is wider."""
    try:  # straight into 16 bits: most gaps fit, and a 32-bit array first cost a third more
        return _little_endian(array("H", _gaps(positions))).tobytes()
    except OverflowError:  # a gap wider than 16 bits
        return _WIDE + _little_endian(array("I", _gaps(positions))).tobytes()


def _gaps(positions: list[int]) -> Iterator[int]:
    return map(sub, positions, chain((0,), positions))


def decode_positions(value: bytes) -> list[int]:
    """The positions :func:`encode_positions` encoded."""
    gaps = array("H") if len(value) % 2 == 0 else array("I")
    gaps.frombytes(value if gaps.typecode == "H" else value[len(_WIDE) :])
    return list(accumulate(_little_endian(gaps)))


def _little_endian(values: array) -> array:  # type: ignore[type-arg]
    """The array in little-endian byte order (the file's), from or to this machine's."""
    if _BIG_ENDIAN:
        values.byteswap()
    return values


@lru_cache(maxsize=8192)
def _single_position(position: int) -> bytes:
    # Most terms occur once in an article: their encoding is the same for every article.
    return encode_positions([position])


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
