"""The query language: parse a user's query into a Whoosh query, or say precisely what is wrong.

Words are ANDed by default. Each word of a text field is expanded to every form it may have been
indexed as (its stem in each language of the index), so one query finds English and French
articles alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.util.times import adatetime

from .analysis import fold, term_variants
from .entities import canonical_name
from .errors import QuerySyntaxError
from .models import ENTITY_FACETS
from .schema import TEXT_FIELDS

FIELD_ALIASES = {
    "lang": "language",
    "outlet": "source",
    "text": "body",
    "content": "body",
    "people": "person",
    "organisation": "org",
    "organization": "org",
    "location": "place",
}
MATCH_ALL = ("", "*")
_FIELD_PREFIX = re.compile(r"(?<![\w\"'])([A-Za-z_]+):(?=\S)")
_EXCLUDED = re.compile(r"(^|[\s(])-(?=[\w\"(*])")
_REQUIRED = re.compile(r"(^|[\s(])\+(?=[\w\"(*])")
_DANGLING_OPERATOR = re.compile(r"(?:^|\s)(AND|OR|NOT)\s*$|^\s*(AND|OR)\b")


def parse_query(text: str, schema: Schema, languages: Iterable[str]) -> query.Query:
    """Parse ``text`` into a Whoosh query.

    Args:
        text: the user's query; empty or ``*`` matches every article.
        schema: the index schema.
        languages: languages present in the index, whose stems the query words expand to.

    Returns:
        The query.

    Raises:
        QuerySyntaxError: the query is malformed; the error says where.
    """
    if text.strip() in MATCH_ALL:
        return query.Every()
    text = _outside_phrases(_minus_as_not, _canonical_fields(text, schema))
    _check_balanced(text)
    dangling = _DANGLING_OPERATOR.search(text)
    if dangling:
        operator = dangling.group(1) or dangling.group(2)
        raise QuerySyntaxError(
            f"'{operator}' needs a term on both sides",
            text.rfind(operator) if dangling.group(1) else text.find(operator),
        )
    date_errors: list[str] = []
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(DateParserPlugin(dateparser=_IsoDates(), callback=date_errors.append))
    parsed = parser.parse(text)
    if date_errors:
        where = text.find("date:")
        raise QuerySyntaxError(
            f"not a date or date range: {date_errors[0]!r}; try date:2025-05 or date:[2019 to 2022]", max(where, 0)
        )
    if parsed is query.NullQuery:
        raise QuerySyntaxError("the query has no words to search for", 0)
    return _expand(parsed, tuple(languages))


class _IsoDates:
    """Reads ``2025``, ``2025-05`` and ``2025-05-07`` as the year, month or day they name.

    Whoosh asks the plugin's parser for a span, and ``get_parser()``'s for range ends.
    """

    _FORM = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")

    def get_parser(self) -> _IsoDateEnds:
        return _IsoDateEnds()

    def date_from(self, text: str, basedate: object = None) -> object:
        end = _IsoDateEnds().date_from(text)
        return end.disambiguated(dt.datetime.now()) if end else None


class _IsoDateEnds(_IsoDates):
    def date_from(self, text: str, basedate: object = None) -> adatetime | None:
        match = self._FORM.fullmatch(text.strip())
        if not match:
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError:
            return None
        return adatetime(year=year, month=month, day=day)


def _canonical_fields(text: str, schema: Schema) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        name = FIELD_ALIASES.get(name, name)
        if name not in schema.names() or name == "id":
            known = ", ".join(sorted(set(schema.names()) - {"id"}))
            raise QuerySyntaxError(f"unknown field '{match.group(1)}'; fields are {known}", match.start())
        return f"{name}:"

    return _outside_phrases(lambda part: _FIELD_PREFIX.sub(replace, part), text)


def _minus_as_not(part: str) -> str:
    # "-word" excludes and "+word" requires; only at a word's start, so "2025-05" stays a date.
    return _REQUIRED.sub(r"\1", _EXCLUDED.sub(r"\1NOT ", part))


def _outside_phrases(rewrite: Callable[[str], str], text: str) -> str:
    parts = re.split(r'("[^"]*")', text)
    return "".join(part if part.startswith('"') else rewrite(part) for part in parts)


def _check_balanced(text: str) -> None:
    if text.count('"') % 2:
        raise QuerySyntaxError("a quotation mark is not closed", text.rfind('"'))
    stack: list[tuple[str, int]] = []
    in_phrase = False
    pairs = {")": "(", "]": "[", "}": "{"}
    for position, char in enumerate(text):
        if char == '"':
            in_phrase = not in_phrase
        elif in_phrase:
            continue
        elif char in "([{":
            stack.append((char, position))
        elif char in pairs:
            if not stack or stack[-1][0] != pairs[char] and not (char == "}" and stack[-1][0] == "["):
                raise QuerySyntaxError(f"'{char}' has no opening bracket", position)
            stack.pop()
    if stack:
        char, position = stack[-1]
        raise QuerySyntaxError(f"'{char}' is not closed", position)


def _expand(q: query.Query, languages: tuple[str, ...]) -> query.Query:
    if isinstance(q, query.Term) and q.fieldname in ENTITY_FACETS:
        # Any alias names the entity: place:Hanoï and org:CPCV find what is indexed as Hanoi and
        # Communist Party of Vietnam.
        canonical = canonical_name(str(q.text), ENTITY_FACETS[q.fieldname])
        return query.Term(q.fieldname, fold(canonical) if canonical else str(q.text), boost=q.boost)
    if isinstance(q, query.Term) and q.fieldname in TEXT_FIELDS:
        variants = term_variants(str(q.text), languages)
        if len(variants) == 1:
            return query.Term(q.fieldname, variants[0], boost=q.boost)
        return query.Or([query.Term(q.fieldname, v) for v in variants], boost=q.boost)
    if isinstance(q, query.Phrase) and q.fieldname in TEXT_FIELDS:
        forms = {tuple(term_variants(str(w), (language,))[-1] for w in q.words) for language in languages}
        forms.add(tuple(fold(str(w)) for w in q.words))
        phrases = [query.Phrase(q.fieldname, list(words), slop=q.slop, boost=q.boost) for words in sorted(forms)]
        return phrases[0] if len(phrases) == 1 else query.Or(phrases)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _expand(child, languages))
