"""The Whoosh schema, and the field type that accepts postings analysed in worker processes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from whoosh import analysis, fields, formats

from .analysis import fold, terms

SCHEMA_VERSION = 5
TEXT_FIELDS = ("title", "body")
Posting = tuple[bytes, int, float, bytes]
_POSITIONS = formats.Positions()


class PreAnalyzed(list):  # type: ignore[type-arg]
    """Postings ``(term bytes, frequency, weight, encoded positions)`` computed ahead of time."""


class PreAnalyzedText(fields.TEXT):  # type: ignore[misc]
    """A TEXT field that indexes PreAnalyzed postings as they are; other values as TEXT does."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:
        if isinstance(value, PreAnalyzed):
            return iter(value)
        return super().index(value, **kwargs)  # type: ignore[no-any-return]


def postings(text: str, language: str) -> PreAnalyzed:
    """The postings of ``text`` for a positional text field.

    Args:
        text: the field's text.
        language: the article's language, which chooses the stemmer.

    Returns:
        One posting per distinct term, with its positions encoded as Whoosh stores them.
    """
    positions: defaultdict[str, list[int]] = defaultdict(list)
    for position, term in enumerate(terms(text, language)):
        positions[term].append(position)
    return PreAnalyzed(
        (term.encode("utf-8"), len(poslist), float(len(poslist)), _POSITIONS.encode(poslist))
        for term, poslist in positions.items()
    )


def term_count(analysed: PreAnalyzed) -> int:
    """How many terms (tokens) the analysed text has: the field length relevance scoring uses."""
    return sum(frequency for _, frequency, _, _ in analysed)


class _FoldFilter(analysis.Filter):  # type: ignore[misc]
    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def build_schema() -> fields.Schema:
    """The schema of every archive index.

    Text fields are analysed outside Whoosh (see :func:`postings`); their analyzer only folds,
    for the query parser. Everything shown to users lives in the article store, so Whoosh stores
    just the id.
    """
    folding = analysis.RegexTokenizer(r"\w+") | _FoldFilter()
    keyword = analysis.IDTokenizer() | _FoldFilter()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        file=fields.ID(),
        title=PreAnalyzedText(analyzer=folding, field_boost=2.0),
        body=PreAnalyzedText(analyzer=folding),
        source=fields.ID(analyzer=keyword),
        language=fields.ID(analyzer=keyword),
        date=fields.DATETIME(),
        # Entities: folded canonical names, one term each; queries go through entities.canonical_name.
        person=fields.ID(analyzer=keyword),
        org=fields.ID(analyzer=keyword),
        place=fields.ID(analyzer=keyword),
    )
