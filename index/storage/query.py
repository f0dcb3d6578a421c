"""The query language: parse a user's query into a Whoosh query, or say precisely what is wrong.

Words are ANDed by default. Each word of a text field is expanded to every form it may have been
indexed as (its stem in each language of the index), so one query finds English and French
articles alike. Each leaf of a parsed query carries ``startchar`` and ``endchar``, where the user
typed it, so that an error found when it is expanded against the index can say where.

Every query is answered in bounded time: the limits below bound what the parser and the evaluator
(docsets.py, which also bounds what one pattern may expand to) have to do.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import syntax
from whoosh.qparser.common import attach

from index.analysis.entities import EntityCorrections, aliases, canonical_name, one_word_entity
from index.analysis.folding import fold
from index.analysis.terms import TOKEN, is_unspaced, term_variants
from index.errors import QuerySyntaxError
from index.models import ENTITY_FACET_OF_TYPE, ENTITY_FACETS
from index.storage.schema import TEXT_FIELDS

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
# Whoosh's parser, pure Python, takes about 0.1 s for 2,000 characters; long enough for any list of names.
MAX_QUERY_LENGTH = 2_000
# Brackets within brackets: the parser and the evaluator recurse once or more per level.
MAX_NESTING = 32
# A typed prefix may run this many letters past the stem of the word it begins ("commissio" and
# "commiss"); stems shorter than MIN_STEM_LETTERS are not matched that way (too many words share them).
STEM_OVERRUN = 3
MIN_STEM_LETTERS = 4
# Wildcard, fuzzy and range terms: a pattern with a leading wildcard reads a field's whole word list.
MAX_PATTERNS = 16
# Lucene's limit too: two edits already match most words of four letters or fewer.
MAX_EDITS = 2
# A fuzzy word's automaton grows with its length; no real word is this long.
MAX_FUZZY_LENGTH = 100
# As you type, the word being typed stands also for the index words it begins, only the COMPLETIONS
# most frequent ones ("vietnam azer" finds Azerbaijan): each keystroke then costs a few words' reads,
# where a whole prefix may stand for a thousand. One letter is too little to guess from.
COMPLETIONS = 4
MIN_COMPLETED_LETTERS = 2
_PHRASE = r'"[^"]*"'
_FIELD_PREFIX = re.compile(rf"(?P<phrase>{_PHRASE})|(?<![\w\"'])(?P<field>[A-Za-z_]+):(?=\S)")
# "-word" excludes and "+word" requires; only at a word's start, so "2025-05" stays a date.
_SIGN = re.compile(rf"(?P<phrase>{_PHRASE})|(?:^|(?<=[\s(]))(?P<sign>[-+])(?=[\w\"(*])")
_DANGLING_OPERATOR = re.compile(r"(?:^|\s)(AND|OR|NOT)\s*$|^\s*(AND|OR)\b")
_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_DATE_HINT = "try date:2025-05, date:>2025 or date:[2019 to 2022]"


EntityTerms = Mapping[tuple[str, str], tuple[str, str]]  # (facet, folded name) -> where the index has it now


def parse_query(
    text: str,
    schema: Schema,
    languages: Iterable[str],
    entity_terms: EntityTerms | None = None,
    spellings: bool = True,
    complete_last_word: bool = False,
) -> wq.Query:
    """Parse ``text`` into a Whoosh query.

    Args:
        text: the user's query; empty or ``*`` matches every article.
        schema: the index schema.
        languages: languages present in the index, whose stems the query words expand to.
        entity_terms: the archive's entity corrections, so that a renamed, merged or retyped entity is
            found by its old name too (``person:"A"`` after A was merged into B finds B's articles).
        spellings: a plain word that names a known entity also matches the entity's other one-word
            names (``Azerbaijan`` finds ``Azerbaïdjan`` and ``Azərbaycan``); False matches it as typed.
        complete_last_word: the query is being typed: a plain word that ends it also matches the
            most frequent index words it begins (a Completion).

    Returns:
        The query, each leaf's ``startchar`` and ``endchar`` placing it in ``text``.

    Raises:
        QuerySyntaxError: the query is malformed or beyond the limits above; the error says where.
    """
    _check_text(text)
    if text.strip() in MATCH_ALL:
        return wq.Every()
    _check_brackets(text)
    typed = _Typed.of(text)
    # Fields first, while the text is as typed: an unknown field's error is placed by its match.
    typed = typed.rewritten(_FIELD_PREFIX, lambda match: _canonical_field(match, schema))
    typed = typed.rewritten(_SIGN, lambda match: "NOT " if match.group("sign") == "-" else "")
    dangling = _DANGLING_OPERATOR.search(typed.text)
    if dangling:
        operator = dangling.group(1) or dangling.group(2)
        where = typed.text.rfind(operator) if dangling.group(1) else typed.text.find(operator)
        raise QuerySyntaxError(f"'{operator}' needs a term on both sides", typed.position(where))
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(_WildcardPlugin())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(_GtLtPlugin(typed))
    parser.add_plugin(_DatePlugin(typed))
    parser.add_plugin(_OperatorsPlugin(typed))
    # Not normalized by Whoosh: its normalize() rebuilds ranges without their place in the query,
    # and takes quadratic time over many words (its hash of Or([title:w, body:w]) is the same for
    # every w). _finish() does what is needed of it.
    completing = typed.length if complete_last_word else None
    parsed = _finish(parser.parse(typed.text, normalize=False), tuple(languages), typed, spellings, completing)
    if entity_terms:
        parsed = parsed.accept(lambda node: _corrected_entity(node, entity_terms))
    if parsed is wq.NullQuery:
        raise QuerySyntaxError("the query has no words to search for", 0)
    _check_patterns(parsed)
    return parsed


@dataclass(frozen=True)
class _Typed:
    """The query as rewritten for Whoosh's parser, and where the user typed each of its characters.

    ``origin[i]`` is the position in the typed query of character ``i`` of ``text``; one more entry
    stands for the end.
    """

    text: str
    origin: tuple[int, ...]
    length: int  # of the typed query

    @classmethod
    def of(cls, text: str) -> _Typed:
        return cls(text, tuple(range(len(text) + 1)), len(text))

    def position(self, index: int | None) -> int:
        """Where the character at ``index`` of ``text`` was typed: always a position inside the query."""
        typed = self.origin[min(max(index or 0, 0), len(self.text))]
        return min(typed, max(self.length - 1, 0))

    def rewritten(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> _Typed:
        """``text`` with the matches of ``pattern`` replaced, phrases (its ``phrase`` group) left alone."""
        parts: list[str] = []
        origin: list[int] = []
        done = 0
        for match in pattern.finditer(self.text):
            if match.group("phrase"):
                continue
            start, end = match.span()
            new = replace(match)
            parts.append(self.text[done:start])
            origin.extend(self.origin[done:start])
            parts.append(new)
            # A longer replacement's extra characters stand where the replaced text ends.
            origin.extend(self.origin[min(start + i, end - 1)] for i in range(len(new)))
            done = end
        parts.append(self.text[done:])
        origin.extend(self.origin[done:])
        return _Typed("".join(parts), tuple(origin), self.length)


def _check_text(text: str) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"the query is longer than {MAX_QUERY_LENGTH:,} characters", MAX_QUERY_LENGTH)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        # Only half of a UTF-16 surrogate pair fails (broken text pasted from elsewhere): no word of
        # the index can hold it.
        raise QuerySyntaxError(
            f"half a character (U+{ord(text[error.start]):04X}, a lone surrogate); type it again", error.start
        ) from None


def _canonical_field(match: re.Match[str], schema: Schema) -> str:
    typed = match.group("field")
    name = FIELD_ALIASES.get(typed.lower(), typed.lower())
    if name not in schema.names() or name == "id":
        known = ", ".join(sorted(set(schema.names()) - {"id"}))
        raise QuerySyntaxError(f"unknown field '{typed}'; fields are {known}", match.start())
    return f"{name}:"


def _check_brackets(text: str) -> None:
    """Quotes and brackets are balanced and brackets nest at most MAX_NESTING deep."""
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
            if len(stack) > MAX_NESTING:
                raise QuerySyntaxError(f"brackets nest more than {MAX_NESTING} deep", position)
        elif char in pairs:
            if not stack or stack[-1][0] != pairs[char] and not (char == "}" and stack[-1][0] == "["):
                raise QuerySyntaxError(f"'{char}' has no opening bracket", position)
            stack.pop()
    if stack:
        char, position = stack[-1]
        raise QuerySyntaxError(f"'{char}' is not closed", position)


class _WildcardPlugin(qparser.WildcardPlugin):  # type: ignore[misc]
    """Whoosh's, but a pattern's node spans all of its text (Whoosh's keeps the place of its first
    wildcard) and stays a wildcard node (Wildcard.normalize() turns ``word*`` into a prefix later)."""

    def do_wildcards(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        i = 0
        while i < len(group):
            node = group[i]
            if isinstance(node, self.WildcardNode):
                if i < len(group) - 1 and group[i + 1].is_text():
                    following = group.pop(i + 1)
                    node.text += following.text
                    node.endchar = following.endchar
                if i > 0 and group[i - 1].is_text():
                    preceding = group.pop(i - 1)
                    node.text = preceding.text + node.text
                    node.startchar = preceding.startchar
                else:
                    i += 1
            else:
                if isinstance(node, syntax.GroupNode):
                    self.do_wildcards(parser, node)
                i += 1
        return group


class _GtLtPlugin(qparser.GtLtPlugin):  # type: ignore[misc]
    """``field:>value`` and its kin; a comparison anywhere else is an error (Whoosh dropped it, or
    failed on one that starts the query)."""

    def __init__(self, typed: _Typed) -> None:
        super().__init__()
        self.typed = typed

    def do_gtlt(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        rewritten = group.empty_copy()
        i = 0
        while i < len(group):
            node = group[i]
            if isinstance(node, self.GtLtNode):
                where = self.typed.position(node.startchar)
                if not rewritten or not isinstance(rewritten[-1], syntax.FieldnameNode):
                    raise QuerySyntaxError(f"'{node.rel}' goes right after a field name, as in date:>2025", where)
                if i + 1 == len(group) or not group[i + 1].has_text:
                    raise QuerySyntaxError(f"'{node.rel}' needs a value right after it, as in date:>2025", where)
                rewritten.append(self.make_range(group[i + 1], node.rel))
                i += 2
                continue
            rewritten.append(self.do_gtlt(parser, node) if isinstance(node, syntax.GroupNode) else node)
            i += 1
        return rewritten


class _OperatorsPlugin(qparser.Plugin):  # type: ignore[misc]
    """Mends two failures of Whoosh's operators.

    An operator right after another (but ``AND NOT``) is refused: Whoosh drops one of the two
    silently, or fails on ``NOT`` followed by another. And ANDNOT, ANDMAYBE and REQUIRE build each
    operand's query once: Whoosh builds each twice, so a chain of n of them took 2^n steps.
    """

    def __init__(self, typed: _Typed) -> None:
        self.typed = typed

    def filters(self, parser: qparser.QueryParser) -> list[tuple[Callable[..., Any], int]]:
        # Just before and just after the operators plugin (600) groups operators with their operands.
        return [(self._check_pairs, 599), (self._build_once, 601)]

    def _check_pairs(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        previous = None
        for node in group:
            if isinstance(node, syntax.GroupNode):
                self._check_pairs(parser, node)
            elif (
                isinstance(previous, syntax.Operator)
                and isinstance(node, syntax.Operator)
                and (node.text != "NOT" or previous.text == "NOT")
            ):
                raise QuerySyntaxError(
                    f"'{node.text}' cannot follow '{previous.text}'", self.typed.position(node.startchar)
                )
            previous = node
        return group

    def _build_once(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                self._build_once(parser, node)
            if isinstance(node, syntax.BinaryGroup):
                group[i] = _BinaryNode(node)
        return group


class _BinaryNode(syntax.GroupNode):  # type: ignore[misc]
    """A binary operator and its two operands, each operand's query built once."""

    merging = False
    has_boost = False

    def __init__(self, group: syntax.BinaryGroup) -> None:
        super().__init__(group.nodes)
        self.qclass = group.qclass

    def query(self, parser: qparser.QueryParser) -> wq.Query:
        first, second = (node.query(parser) for node in self.nodes)
        if first is None or second is None:  # As Whoosh's: a missing side leaves the other.
            found = wq.NullQuery if first is None and second is None else first or second
        else:
            found = self.qclass(first, second)
        return attach(found, self)


class _DatePlugin(qparser.Plugin):  # type: ignore[misc]
    """Reads the values of ``date:`` as the year, month or day they name, and ranges of them.

    Whoosh's own date parsing fails with exceptions of its own on malformed dates, after its error
    callback; here every value of the field becomes a day range or a QuerySyntaxError.
    """

    def __init__(self, typed: _Typed) -> None:
        self.typed = typed

    def filters(self, parser: qparser.QueryParser) -> list[tuple[Callable[..., Any], int]]:
        return [(self._dates, 110)]  # After the fields plugin (100) gives nodes their field.

    def _dates(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self._dates(parser, node)
            elif node.has_fieldname and node.fieldname == "date":
                group[i] = self._date_node(node)
        return group

    def _date_node(self, node: syntax.SyntaxNode) -> _DateNode:
        if isinstance(node, syntax.RangeNode):
            first, last = self._range(node)
        elif node.has_text and not node.text.strip("*"):
            first = last = None  # date:* is every dated article.
        elif node.has_text:
            first, last = self._days(node.text, node)
        else:
            raise QuerySyntaxError(f"date: needs a date; {_DATE_HINT}", self.typed.position(node.startchar))
        found = _DateNode(first, last)
        found.startchar, found.endchar = node.startchar, node.endchar
        return found

    def _range(self, node: syntax.RangeNode) -> tuple[dt.date | None, dt.date | None]:
        if not node.start and not node.end:
            raise QuerySyntaxError(f"a date range needs a start or an end; {_DATE_HINT}", self._where(node, ""))
        start = self._days(node.start, node) if node.start else None
        end = self._days(node.end, node) if node.end else None
        if start and end and start[0] > end[1] and not (node.startexcl or node.endexcl):
            start, end = end, start  # [2022 to 2019] is the range the user means.
        try:
            first = None if start is None else start[1] + dt.timedelta(days=1) if node.startexcl else start[0]
            last = None if end is None else end[0] - dt.timedelta(days=1) if node.endexcl else end[1]
        except OverflowError:
            raise QuerySyntaxError("dates run from year 1 to 9999", self._where(node, "")) from None
        return first, last

    def _days(self, text: str, node: syntax.SyntaxNode) -> tuple[dt.date, dt.date]:
        """The first and last day of the year, month or day ``text`` names (``2025``, ``2025-05``, ``2025-05-07``)."""
        match = _DATE.fullmatch(text.strip())
        try:
            if match is None:
                raise ValueError(text)
            year, month, day = (int(g) if g else 0 for g in match.groups())
            first = dt.date(year, month or 1, day or 1)
            if day:
                return first, first
            if month:
                return first, first.replace(day=calendar.monthrange(year, month)[1])
            return first, dt.date(year, 12, 31)
        except ValueError:
            raise QuerySyntaxError(f"not a date: {text!r}; {_DATE_HINT}", self._where(node, text)) from None

    def _where(self, node: syntax.SyntaxNode, value: str) -> int:
        """Where ``value`` of ``node`` was typed (the node's start when it is not found)."""
        found = self.typed.text.find(value, node.startchar or 0, node.endchar) if value else -1
        return self.typed.position(found if found >= 0 else node.startchar)


class _DateNode(syntax.SyntaxNode):  # type: ignore[misc]
    """Articles dated from ``first`` to ``last`` (inclusive days; None: no bound)."""

    has_fieldname = True
    has_boost = True

    def __init__(self, first: dt.date | None, last: dt.date | None) -> None:
        self.fieldname = "date"
        self.boost = 1.0
        self.first = first
        self.last = last

    def r(self) -> str:
        return f"date {self.first} to {self.last}"

    def query(self, parser: qparser.QueryParser) -> wq.DateRange:
        start = dt.datetime.combine(self.first, dt.time.min) if self.first else None
        end = dt.datetime.combine(self.last, dt.time.max) if self.last else None
        found = wq.DateRange("date", start, end, boost=self.boost)
        found.startchar, found.endchar = self.startchar, self.endchar
        return found


MAX_SPELLINGS = 16  # other names one word may bring in: a few languages' spellings, never a list


def other_spellings(word: str) -> tuple[str, ...]:
    """The other one-word names of the entity ``word`` names, if it names one: ``Azerbaijan`` ->
    ``Azerbaïdjan``, ``Aserbaidschan``, ``Azərbaycan``...; names that fold alike are left out."""
    entity = one_word_entity(word)
    if entity is None:
        return ()
    type_, canonical = entity
    typed = fold(word)
    found: dict[str, str] = {}
    for name in (canonical, *aliases(canonical, type_)):
        if " " not in name.strip() and fold(name) != typed:
            found.setdefault(fold(name), name)
    return tuple(found.values())[:MAX_SPELLINGS]


def also_matched(text: str) -> tuple[str, ...]:
    """The other spellings the plain words of ``text`` bring in (words in quotes, after a field name
    or with wildcards are matched as typed)."""
    plain = _QUOTED.sub(" ", text)
    found: dict[str, None] = {}
    for match in _PLAIN_WORD.finditer(plain):
        for name in other_spellings(match.group()):
            found.setdefault(name, None)
    return tuple(found)


_QUOTED = re.compile(r'"[^"]*"?')
_PLAIN_WORD = re.compile(r"(?<![\w:*?~])\w+(?![\w:*?~])")


def _corrected_entity(node: wq.Query, entity_terms: EntityTerms) -> wq.Query:
    if not isinstance(node, wq.Term) or (node.fieldname, node.text) not in entity_terms:
        return node
    facet, name = entity_terms[node.fieldname, node.text]
    corrected = wq.Term(facet, name, boost=node.boost)
    corrected.startchar, corrected.endchar = node.startchar, node.endchar
    return corrected


def entity_terms_of(corrections: EntityCorrections) -> dict[tuple[str, str], tuple[str, str]]:
    """Where each entity the corrections rename, merge or retype is indexed now, as query terms."""
    terms = {}
    for type_, canonical in {*corrections.renamed, *corrections.retyped}:
        now = corrections.corrected(type_, canonical)
        if now is not None and type_ in ENTITY_FACET_OF_TYPE and now[0] in ENTITY_FACET_OF_TYPE:
            terms[ENTITY_FACET_OF_TYPE[type_], fold(canonical)] = (ENTITY_FACET_OF_TYPE[now[0]], fold(now[1]))
    return terms


class Completion(wq.Prefix):  # type: ignore[misc]
    """The words of the index that a word being typed may become: its COMPLETIONS most frequent
    (the evaluator picks them; a plain Prefix stands for all of them)."""


def _finish(
    q: wq.Query, languages: tuple[str, ...], typed: _Typed, spellings: bool, completing: int | None
) -> wq.Query:
    """The parsed query normalized, words expanded to their index forms, leaves placed in the typed
    query; a plain word ending where ``completing`` says also stands for its completions."""
    if q.is_leaf():
        return _leaf(q, languages, typed, spellings, completing)
    if isinstance(q, wq.Not):  # an excluded word is not completed: that would exclude far more
        completing = None
    if isinstance(q, wq.AndNot):
        boost = q.boost
        q = wq.AndNot(
            _finish(q.a, languages, typed, spellings, completing), _finish(q.b, languages, typed, spellings, None)
        )
        q.boost = boost
    else:
        q = q.apply(lambda child: _finish(child, languages, typed, spellings, completing))
    if isinstance(q, wq.Not):
        return wq.NullQuery if q.query is wq.NullQuery else q
    if isinstance(q, wq.BinaryQuery):  # As Whoosh normalizes them: an empty side is left out.
        return q.b if q.a is wq.NullQuery else q.a if q.b is wq.NullQuery else q
    children = [child for child in q.children() if child is not wq.NullQuery]
    if isinstance(q, wq.Or) and any(isinstance(c, wq.Every) and c.fieldname is None for c in children):
        return wq.Every()
    if not children:
        return wq.NullQuery
    if len(children) == 1:
        return children[0] if q.boost == 1 else children[0].with_boost(children[0].boost * q.boost)
    return q.__class__(children, boost=q.boost)


def _leaf(q: wq.Query, languages: tuple[str, ...], typed: _Typed, spellings: bool, completing: int | None) -> wq.Query:
    start = typed.position(q.startchar)
    end = typed.position((q.endchar or 1) - 1) + 1
    # Only a plain word (not a phrase, pattern or fuzzy word) that the query ends with is being typed.
    being_typed = type(q) is wq.Term and q.fieldname in TEXT_FIELDS and end == completing
    q = q.normalize()  # Single-word phrases become terms; wildcards without a wildcard, terms or prefixes.
    if isinstance(q, wq.Wildcard | wq.Prefix) and not q.text.strip("*"):
        q = wq.Every(q.fieldname)  # Only stars: everything the field holds.
    if isinstance(q, wq.Every) and q.fieldname in TEXT_FIELDS:
        # Every article has a title and a body: the whole archive, without reading the field's terms.
        q = wq.Every()
    if isinstance(q, wq.FuzzyTerm):
        if q.maxdist > MAX_EDITS:
            raise QuerySyntaxError(f"'~{q.maxdist}' allows too many changes; at most ~{MAX_EDITS}", start)
        if len(q.text) > MAX_FUZZY_LENGTH:
            raise QuerySyntaxError(f"a word with ~ may have at most {MAX_FUZZY_LENGTH} letters", start)
    expanded = _expand(q, languages, spellings)
    word = fold(str(q.text)) if being_typed else ""
    if len(word) >= MIN_COMPLETED_LETTERS and expanded is not wq.NullQuery:
        # As a prefix is: "cooperati" must complete to what the index holds, the stem "cooper".
        completions = _stemmed_prefix(Completion(q.fieldname, word, boost=q.boost), languages)
        expanded = wq.Or([expanded, completions])
    if expanded is not wq.NullQuery:  # Whoosh's one NullQuery is shared: it has no place.
        for leaf in [expanded] if expanded.is_leaf() else expanded.leaves():
            leaf.startchar, leaf.endchar = start, end
    return expanded


def _expand(q: wq.Query, languages: tuple[str, ...], spellings: bool) -> wq.Query:
    if isinstance(q, wq.Term) and q.fieldname in ENTITY_FACETS:
        # Any alias names the entity: place:Hanoï and org:CPCV find what is indexed as Hanoi and
        # Communist Party of Vietnam.
        canonical = canonical_name(str(q.text), ENTITY_FACETS[q.fieldname])
        return wq.Term(q.fieldname, fold(canonical) if canonical else str(q.text), boost=q.boost)
    if isinstance(q, wq.Term) and q.fieldname in TEXT_FIELDS:
        words = [str(q.text), *(other_spellings(str(q.text)) if spellings else ())]
        spaced = [word for word in words if not is_unspaced(word)]
        variants = list(dict.fromkeys(v for word in spaced for v in term_variants(word, languages)))
        # A name in Chinese or Japanese (普京 for Putin) is a phrase of its characters, as typed ones are.
        unspaced = [
            _expand(wq.Phrase(q.fieldname, TOKEN.findall(word)), languages, False)
            for word in words
            if is_unspaced(word)
        ]
        if len(variants) == 1 and not unspaced:
            return wq.Term(q.fieldname, variants[0], boost=q.boost)
        return wq.Or([*(wq.Term(q.fieldname, v) for v in variants), *unspaced], boost=q.boost)
    if isinstance(q, wq.Prefix) and q.fieldname in TEXT_FIELDS:
        if is_unspaced(str(q.text)):  # each character is a word: what begins with them holds them
            return _expand(wq.Phrase(q.fieldname, TOKEN.findall(str(q.text)), boost=q.boost), languages, spellings)
        return _stemmed_prefix(q, languages)
    if isinstance(q, wq.Wildcard) and q.fieldname in TEXT_FIELDS:
        # Words are indexed as stems: "r?vers" must match "rover". The pattern is stemmed as a word
        # (a stemmer takes its wildcards for letters), as well as folded, as the words were.
        variants = term_variants(str(q.text), languages)
        patterns = [wq.Wildcard(q.fieldname, v, boost=q.boost) for v in [*variants, *_stem_lengths(variants[0])]]
        return patterns[0] if len(patterns) == 1 else wq.Or(patterns)
    if isinstance(q, wq.TermRange) and q.fieldname in TEXT_FIELDS:
        start, end = (None if v is None else fold(str(v)) for v in (q.start, q.end))
        return wq.TermRange(q.fieldname, start, end, q.startexcl, q.endexcl, boost=q.boost)
    if isinstance(q, wq.FuzzyTerm) and q.fieldname in TEXT_FIELDS:
        # Words are indexed as stems: "earnings~" must be near "earn", not only near "earnings".
        fuzzy = [
            wq.FuzzyTerm(q.fieldname, v, boost=q.boost, maxdist=q.maxdist, prefixlength=q.prefixlength)
            for v in term_variants(str(q.text), languages)
        ]
        return fuzzy[0] if len(fuzzy) == 1 else wq.Or(fuzzy)
    if isinstance(q, wq.Phrase) and q.fieldname in TEXT_FIELDS:
        forms = {tuple(term_variants(str(w), (language,))[-1] for w in q.words) for language in languages}
        forms.add(tuple(fold(str(w)) for w in q.words))
        phrases = [wq.Phrase(q.fieldname, list(words), slop=q.slop, boost=q.boost) for words in sorted(forms)]
        return phrases[0] if len(phrases) == 1 else wq.Or(phrases)
    return q


def _stem_lengths(pattern: str) -> list[str]:
    """``pattern`` without its last ``?`` and what follows, when that ``?`` stands in a word's ending:
    a stemmer cannot take off an ending it cannot read, so ``rover?`` must find "rovers", indexed as
    ``rover``. Only that cut: shorter ones (``rove``) would find other words ("roving")."""
    cut = pattern.rfind("?")
    if "*" in pattern or cut < max(MIN_STEM_LETTERS, len(pattern) - STEM_OVERRUN):
        return []
    return [pattern[:cut]]


def _stemmed_prefix(q: wq.Prefix, languages: tuple[str, ...]) -> wq.Query:  # also for a Completion
    """A prefix as the index holds words: stems, often shorter than what the user typed.

    ``Olympic*`` must find "Olympics", indexed as ``olymp``, the typed prefix's own stem; and
    ``Commissio*`` must find "Commission", indexed as ``commiss``, which the typed prefix runs at
    most STEM_OVERRUN letters past. Those index words are matched whole, not as prefixes: ``olymp*``
    would also find "Olympia".
    """
    typed, *stems = term_variants(str(q.text), languages)
    words = dict.fromkeys(
        [*stems, *(typed[:length] for length in range(max(MIN_STEM_LETTERS, len(typed) - STEM_OVERRUN), len(typed)))]
    )
    parts: list[wq.Query] = [type(q)(q.fieldname, typed, boost=q.boost)]  # a Prefix, or a Completion
    parts += [wq.Term(q.fieldname, word, boost=q.boost) for word in words if not word.startswith(typed)]
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _check_patterns(q: wq.Query) -> None:
    """At most MAX_PATTERNS wildcard, fuzzy and range terms (one typed pattern searched in the title
    and the body counts once)."""
    places: set[int] = set()
    for leaf in [q] if q.is_leaf() else q.leaves():
        if isinstance(leaf, wq.MultiTerm) and not isinstance(leaf, wq.NumericRange):
            places.add(leaf.startchar)
            if len(places) > MAX_PATTERNS:
                raise QuerySyntaxError(
                    f"the query has more than {MAX_PATTERNS} wildcard, fuzzy and range terms", leaf.startchar
                )
