"""Match sets as NumPy masks over document numbers, read a posting block at a time.

Whoosh yields matching documents one Python call per posting, which costs about a second per
query at 100k articles when facets need the whole match set. Here each term's postings are read
block by block and delta-decoded with NumPy, or sliced from the segment's frequent-terms file
(frequent.py), and the boolean query tree is evaluated with mask operations. Exact phrases are
matched from positions with array operations too; the queries this module does not know
(phrases with slop) fall back to Whoosh.

Prefixes, wildcards, fuzzy words and term ranges stand for the index terms they match, found in
each field's list of terms (a Lexicon, read once per generation of the index); one of them may
stand for at most MAX_EXPANSION terms, and a whole query for at most MAX_QUERY_TERMS.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from pickle import load as loads_from
from pickle import loads
from typing import TypeVar

import numpy as np
from whoosh import query as wq
from whoosh.automata.fsa import ANY, EPSILON, NFA, find_all_matches
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo, W3TermsReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.system import pack_ushort

from index.errors import QuerySyntaxError
from index.storage.columns import NO_DATE, date_to_day
from index.storage.frequent import FrequentTable, FrequentTerms, TermPostings, distinct_terms, open_frequent_terms
from index.storage.positions import decode_positions
from index.storage.query import COMPLETIONS, Completion
from index.storage.schema import TEXT_FIELDS
from index.storage.term_filter import TermFilters, TermKey

# The terms one pattern may stand for: Lucene's default maximum clause count. Each costs a read of
# its postings (about 0.2 ms a segment) and a place in the scoring.
MAX_EXPANSION = 1_024
# The terms a whole query may stand for, its words' stems and its patterns' expansions together.
MAX_QUERY_TERMS = 4_096
# Term postings kept between queries: typing and facet clicks ask for the same terms again and
# again, and scoring reads a query's terms again after its match set did. As many terms as one
# query may have, and postings up to about 120 MB (a word in most of 100k articles takes 1.2 MB),
# and a third more once a search has scored them (Postings.scores).
CACHED_TERMS = MAX_QUERY_TERMS
CACHED_POSTINGS = 10_000_000
CACHED_PHRASES = 32
# A pattern starting with this many letters or more is expanded from the terms starting with them,
# read in each segment, until the field's whole lexicon is read for some shorter one.
LEXICON_PREFIX_FROM = 2
# The words a Completion chooses among, alphabetically from the typed letters ("th" alone begins
# thousands): all are looked up at once in each segment's frequent terms (a bisection of its table).
COMPLETION_CANDIDATES = 5_000
# Up to this many documents a Completion chooses among all the index's words; beyond, until a
# pattern has made the evaluator read the field's whole word list (1.7 s at 100k), among the words
# frequent in a segment: a keystroke never waits for that list.
ALL_WORDS_COMPLETED_UP_TO = 20_000
_ENTRY = struct.Struct("!ii")  # key length, value length: how Whoosh's terms file starts an entry
_TERM_INFO_SIZE = W3TermInfo._struct.size  # noqa: SLF001 - the statistics, then the postings or their extent
_EXTENT = struct.Struct("!qi")  # where a term's blocks start in the postings file, and their length
_BLOCK_SIZE = struct.Struct("!i")  # a block's length; negative for the last
_PREFIX_READ = 4096  # bytes of the terms file read at first for the terms with a prefix
ScoredTerm = tuple[str, bytes, float]  # field, term, boost
K = TypeVar("K")
V = TypeVar("V")


class MaskEvaluator:
    """Evaluates Whoosh queries into boolean masks over the searcher's document numbers.

    Args:
        searcher: an open Whoosh searcher; a new evaluator is needed when it is refreshed.
        alive: True for document numbers that are not deleted; also fixes the mask size.
        day: each document's date as days since 1970-01-01, NO_DATE when unknown.
        folder: the Whoosh index folder, where the segments' frequent-terms files are.
        previous: the evaluator of an earlier generation, whose segments' frequent terms and
            term filters are kept for the segments both generations have.
    """

    def __init__(
        self,
        searcher: Searcher,
        alive: np.ndarray,
        day: np.ndarray,
        folder: Path,
        previous: MaskEvaluator | None = None,
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.alive = alive
        self.day = day
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        segments = [reader.segment() for reader, _ in self.leaves]  # None for an empty index's reader
        known = previous.frequent_by_segment if previous is not None else {}
        self.frequent_by_segment: dict[str, FrequentTerms | None] = {
            segment.segment_id(): known[segment.segment_id()]
            if segment.segment_id() in known
            else open_frequent_terms(folder, segment.segment_id())
            for segment in segments
            if segment is not None
        }
        self.frequent: list[FrequentTerms | None] = [
            self.frequent_by_segment[segment.segment_id()] if segment is not None else None for segment in segments
        ]
        # Made at the first lookup, or by prepare_completions; the earlier generation's when the
        # segments are the same (80 ms at a million articles).
        self._frequent_table: FrequentTable | None = (
            previous._frequent_table if previous is not None and previous.frequent == self.frequent else None
        )
        self.term_filters: TermFilters = TermFilters(
            folder,
            [segment.segment_id() if segment is not None else None for segment in segments],
            previous.term_filters if previous is not None else None,
        )
        self._cache: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        self._cached_postings = 0
        self._phrases: OrderedDict[tuple[str, tuple[str, ...], int], np.ndarray] = OrderedDict()
        self._expansions: dict[wq.MultiTerm, tuple[bytes, ...]] = {}
        self._lexicons: dict[str, Lexicon] = {}
        self._prefixed: dict[tuple[str, str], Lexicon] = {}  # the terms starting with a prefix
        self._with_field: dict[str, np.ndarray] = {}

    def mask(self, q: wq.Query) -> np.ndarray:
        """The documents matching ``q``, deleted ones excluded.

        Raises:
            QuerySyntaxError: a pattern of the query stands for too many terms, or all of it does.
        """
        self._check_size(q)
        return self._eval(q) & self.alive

    def lexicon(self, fieldname: str) -> Lexicon:
        """The field's terms in every segment (read once for this generation of the index)."""
        found = self._lexicons.get(fieldname)
        if found is None:
            terms: set[bytes] = set()
            for reader, _ in self.leaves:
                terms.update(_field_terms(reader, fieldname))
            # Terms of text fields are UTF-8; surrogateescape keeps any other bytes, and gives them back.
            found = self._lexicons[fieldname] = Lexicon(sorted(t.decode("utf-8", "surrogateescape") for t in terms))
        return found

    def postings(self, fieldname: str, btext: bytes) -> Postings:
        """Document numbers holding one term, with the term's weight (frequency) in each."""
        key = (fieldname, btext)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        # Each segment's numbers and weights as read, in whatever type; joined and cast at once.
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        offsets: list[int] = []
        term = TermKey.of(fieldname, btext)
        frequent_rows = self.frequent_table().rows(term)
        for leaf in self.term_filters.segments_holding(term).tolist():
            reader, offset = self.leaves[leaf]
            entry = frequent_rows.get(leaf)
            if entry is not None:
                stored_ids, stored_weights = self.frequent[leaf].postings_at(entry)  # type: ignore[union-attr]
                ids.append(stored_ids)
                weights.append(stored_weights)
                offsets.append(offset)
                continue
            for block_ids, block_weights in _segment_postings(reader, fieldname, btext):
                ids.append(block_ids)
                weights.append(block_weights)
                offsets.append(offset)
        found = Postings(_joined(ids, offsets), _weights(weights))
        self._cache[key] = found
        self._cached_postings += found.ids.size
        while len(self._cache) > CACHED_TERMS or self._cached_postings > CACHED_POSTINGS and len(self._cache) > 1:
            _, oldest = self._cache.popitem(last=False)
            self._cached_postings -= oldest.ids.size
        return found

    def frequent_table(self) -> FrequentTable:
        """Every segment's frequent terms, looked up at once."""
        if self._frequent_table is None:
            self._frequent_table = FrequentTable(self.frequent)
        return self._frequent_table

    def term_mask(self, fieldname: str, btext: bytes) -> np.ndarray:
        """The documents containing one term (deleted ones may be included)."""
        mask = np.zeros(len(self.alive), dtype=bool)
        mask[self.postings(fieldname, btext).ids] = True
        return mask

    def clear_cache(self) -> None:
        """Forget cached postings and phrase matches (for measuring cold queries)."""
        self._cache.clear()
        self._cached_postings = 0
        self._phrases.clear()
        self._expansions.clear()
        self._with_field.clear()
        self._prefixed.clear()

    def _date_mask(self, q: wq.DateRange) -> np.ndarray:
        dated = self.day != NO_DATE
        if q.startdate is not None:
            dated &= self.day >= date_to_day(q.startdate.date())
        if q.enddate is not None:
            dated &= self.day <= date_to_day(q.enddate.date())
        return dated

    def _eval(self, q: wq.Query) -> np.ndarray:
        if isinstance(q, wq.Term):
            return self.term_mask(q.fieldname, _as_bytes(self.reader, q.fieldname, q.text))
        if isinstance(q, wq.DateRange) and q.fieldname == "date":
            return self._date_mask(q)
        if isinstance(q, wq.Every):
            return self.alive.copy() if q.fieldname is None else self._field_mask(q.fieldname)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return np.zeros(len(self.alive), dtype=bool)
        if isinstance(q, wq.Or | wq.DisjunctionMax):
            return _combine(np.logical_or, (self._eval(c) for c in q.children()), len(self.alive), False)
        if isinstance(q, wq.And | wq.Require):
            return _combine(np.logical_and, (self._eval(c) for c in q.children()), len(self.alive), True)
        if isinstance(q, wq.Not):
            return ~self._eval(q.query)
        if isinstance(q, wq.AndNot):
            return self._eval(q.a) & ~self._eval(q.b)
        if isinstance(q, wq.AndMaybe):
            return self._eval(q.a)
        if isinstance(q, wq.NumericRange):
            return self._eval(q._compile_query(self.reader))  # noqa: SLF001 - the range's own term expansion
        if isinstance(q, wq.MultiTerm):
            masks = (self.term_mask(q.field(), btext) for btext in self._expanded(q))
            return _combine(np.logical_or, masks, len(self.alive), False)
        return self._whoosh_mask(q)

    def _whoosh_mask(self, q: wq.Query) -> np.ndarray:
        if not isinstance(q, wq.Phrase):
            return self._docs_mask(q)
        # Whoosh checks positions document by document (about a second for a phrase in half of
        # 100k articles); keep the answer, as typing after a phrase asks for it again and again.
        key = (q.fieldname, tuple(q.words), q.slop)
        cached = self._phrases.get(key)
        if cached is None:
            if q.slop == 1:
                cached = self._exact_phrase_mask(q.fieldname, [_as_bytes(self.reader, q.fieldname, w) for w in q.words])
            # Only documents holding every word can hold the phrase: skip the rest cheaply.
            elif _combine(
                np.logical_and, (self._eval(wq.Term(q.fieldname, w)) for w in q.words), len(self.alive), True
            ).any():
                cached = self._docs_mask(q)
            else:
                cached = np.zeros(len(self.alive), dtype=bool)
            self._phrases[key] = cached
            if len(self._phrases) > CACHED_PHRASES:
                self._phrases.popitem(last=False)
        self._phrases.move_to_end(key)
        return cached.copy()

    def _exact_phrase_mask(self, fieldname: str, words: list[bytes]) -> np.ndarray:
        """Documents where the words stand one after the other, found from their positions.

        Each occurrence is a key ``document << 32 | position`` (the searcher's document numbers),
        ascending as postings are, segment after segment; the phrase starts at the first word's
        keys ``k`` for which ``k + i`` is a key of word ``i``, for every ``i``: a few array
        operations a word for the whole archive, not for each of its segments.
        """
        # Positions are read only in segments holding documents with every word (a title phrase
        # has few): which documents those are comes from the words' postings, read and cached anyway.
        candidates = _combine(np.logical_and, (self.term_mask(fieldname, w) for w in words), len(self.alive), True)
        leaves = [
            leaf
            for leaf, (reader, offset) in enumerate(self.leaves)
            if candidates[offset : offset + reader.doc_count_all()].any()
        ]
        mask = np.zeros(len(self.alive), dtype=bool)
        starts: np.ndarray | None = None
        for i, word in enumerate(words):
            keys = self._occurrences(leaves, TermKey.of(fieldname, word))
            starts = keys if starts is None else starts[_in_sorted(starts + i, keys)]
            if not len(starts):
                break
        if starts is not None:
            mask[starts >> 32] = True
        return mask

    def _occurrences(self, leaves: list[int], term: TermKey) -> np.ndarray:
        """Every occurrence of a term in these segments, as keys ``document << 32 | position``."""
        ids, counts, positions, offsets = [], [], [], []
        frequent_rows = self.frequent_table().rows(term)
        for leaf in leaves:
            postings = self._positions(leaf, term, frequent_rows.get(leaf))
            if postings is not None and postings.counts is not None and postings.positions is not None:
                ids.append(postings.ids)
                counts.append(postings.counts)
                positions.append(postings.positions)
                offsets.append(self.leaves[leaf][1])
        if not ids:
            return np.zeros(0, dtype=np.int64)
        documents = np.repeat(_joined(ids, offsets), np.concatenate(counts, dtype=np.int64))
        return (documents << 32) | np.concatenate(positions, dtype=np.int64)

    def _positions(self, leaf: int, term: TermKey, frequent_entry: int | None) -> TermPostings | None:
        """A term's postings with positions in one segment (its row among the segment's frequent
        terms, if it is one), or None when the segment lacks it."""
        if frequent_entry is not None:
            stored = self.frequent[leaf].positions_at(frequent_entry, term.fieldname)  # type: ignore[union-attr]
            if stored is not None:
                return stored
        reader = self.leaves[leaf][0]
        if (term.fieldname, term.btext) not in reader:
            return None
        matcher = reader.postings(term.fieldname, term.btext)
        ids, positions = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            positions.append(decode_positions(matcher.value()))
            matcher.next()
        return TermPostings(
            np.array(ids, dtype=np.int64),
            np.ones(len(ids), dtype=np.float32),
            np.array([len(p) for p in positions], dtype=np.int64),
            np.array([p for posting in positions for p in posting], dtype=np.int64),
        )

    def _docs_mask(self, q: wq.Query) -> np.ndarray:
        mask = np.zeros(len(self.alive), dtype=bool)
        mask[np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)] = True
        return mask

    def _field_mask(self, fieldname: str) -> np.ndarray:
        """The documents with any term in the field (parse_query keeps this to keyword fields, whose
        terms are their few distinct values)."""
        found = self._with_field.get(fieldname)
        if found is None:
            masks = (self.term_mask(fieldname, _utf8(term)) for term in self.lexicon(fieldname))
            found = self._with_field[fieldname] = _combine(np.logical_or, masks, len(self.alive), False)
        return found.copy()

    def _expanded(self, q: wq.MultiTerm) -> tuple[bytes, ...]:
        """The index terms a prefix, wildcard, fuzzy word or term range stands for.

        Kept for this generation of the index: the match set and the scoring both need it.

        Raises:
            QuerySyntaxError: more than MAX_EXPANSION terms match.
        """
        expanded = self._expansions.get(q)
        if expanded is None:
            if isinstance(q, Completion):
                candidates = _expand(q, self._completion_words(q.field()), COMPLETION_CANDIDATES)
                terms = self._most_frequent(q.field(), candidates, COMPLETIONS)
            else:
                terms = _expand(q, self._lexicon_for(q), MAX_EXPANSION + 1)
            if len(terms) > MAX_EXPANSION:
                raise QuerySyntaxError(
                    f"{_shown(q)} matches more than {MAX_EXPANSION:,} words; {_narrowing(q)}", q.startchar or 0
                )
            expanded = kept(self._expansions, q, tuple(map(_utf8, terms)), CACHED_PHRASES)
        return expanded

    def _lexicon_for(self, q: wq.MultiTerm) -> Lexicon:
        """The field's terms that ``q`` may stand for: when it starts with a few letters and the
        field's whole lexicon is not read yet, the terms starting with them, read in each segment
        from where they begin (2 s for the whole lexicon of a million articles, ~10 ms for this)."""
        fieldname, prefix = q.field(), _literal_prefix(q)
        if fieldname in self._lexicons or len(prefix) < LEXICON_PREFIX_FROM:
            return self.lexicon(fieldname)
        key = (fieldname, prefix)
        found = self._prefixed.get(key)
        if found is None:
            terms: set[bytes] = set()
            for reader, _ in self.leaves:
                terms.update(_field_terms(reader, fieldname, _utf8(prefix)))
            lexicon = Lexicon(sorted(t.decode("utf-8", "surrogateescape") for t in terms))
            found = kept(self._prefixed, key, lexicon, CACHED_PHRASES)
        return found

    def prepare_completions(self) -> None:
        """Make the words a typed word of the title or body may be completed to, and the table of
        frequent terms that ranks them, which the first keystroke would otherwise make (50 and 80
        ms at a million articles)."""
        for fieldname in TEXT_FIELDS:
            self._completion_words(fieldname)
        self.frequent_table()

    def _completion_words(self, fieldname: str) -> Lexicon:
        """The words a Completion may become (see ALL_WORDS_COMPLETED_UP_TO)."""
        if fieldname in self._lexicons or len(self.alive) <= ALL_WORDS_COMPLETED_UP_TO:
            return self.lexicon(fieldname)
        key = f"{fieldname}\nfrequent"  # no field name holds a newline
        found = self._lexicons.get(key)
        if found is None:
            terms = distinct_terms(self.frequent, fieldname)
            found = self._lexicons[key] = Lexicon(sorted({t.decode("utf-8", "surrogateescape") for t in terms}))
        return found

    def _most_frequent(self, fieldname: str, terms: list[str], count: int) -> list[str]:
        """The ``count`` terms found in most documents (counted where they are frequent terms, all
        of them bisecting the table of frequent terms at once, where Whoosh's doc_frequency reads every
        segment: 2 s for 2,000 terms at 100k), then the shortest (in a large archive, frequent terms
        only); in alphabetical order."""
        hashes = np.array([TermKey.of(fieldname, _utf8(term)).first for term in terms], dtype=np.uint64)
        documents = self.frequent_table().document_counts(hashes)
        counted = list(zip(documents.tolist(), terms, strict=True))
        if len(self.alive) > ALL_WORDS_COMPLETED_UP_TO:  # rare words cost a read in every segment
            counted = [(found, term) for found, term in counted if found]
        ranked = sorted(counted, key=lambda pair: (-pair[0], len(pair[1]), pair[1]))
        return sorted(term for _, term in ranked[:count])

    def _check_size(self, q: wq.Query) -> None:
        """Refuse a query standing for more than MAX_QUERY_TERMS index terms (each is read and scored)."""
        count = 0
        for leaf in [q] if q.is_leaf() else q.leaves():
            if isinstance(leaf, wq.Term):
                count += 1
            elif isinstance(leaf, wq.Phrase):
                count += len(leaf.words)
            elif isinstance(leaf, wq.MultiTerm) and not isinstance(leaf, wq.NumericRange):
                count += len(self._expanded(leaf))
            if count > MAX_QUERY_TERMS:
                raise QuerySyntaxError(
                    f"the query stands for more than {MAX_QUERY_TERMS:,} words of the index; "
                    "use fewer words, or add letters to its patterns",
                    leaf.startchar or 0,
                )

    def positive_terms(self, q: wq.Query) -> list[ScoredTerm]:
        """The (field, term, boost) a matching document is scored on: all but negated ones."""
        found: list[ScoredTerm] = []

        def walk(node: wq.Query, boost: float) -> None:
            boost *= node.boost
            if isinstance(node, wq.Not):
                return
            if isinstance(node, wq.AndNot | wq.AndMaybe):
                walk(node.a, boost)
            elif isinstance(node, wq.Term):
                found.append((node.fieldname, _as_bytes(self.reader, node.fieldname, node.text), boost))
            elif isinstance(node, wq.Phrase):
                for word in node.words:
                    walk(wq.Term(node.fieldname, word), boost)
            elif isinstance(node, wq.NumericRange):
                return
            elif isinstance(node, wq.MultiTerm):
                found.extend((node.field(), btext, boost) for btext in self._expanded(node))
            elif not node.is_leaf():
                for child in node.children():
                    walk(child, boost)

        walk(q, 1.0)
        return found


class Lexicon:
    """A field's distinct terms, sorted, and kept as one string to scan with regular expressions.

    Each term is preceded by a newline, and the last one followed by one: no term of a text field
    holds a newline (keyword terms that do are left out, and so cannot match a pattern).

    Args:
        terms: the terms, sorted.
    """

    def __init__(self, terms: list[str]) -> None:
        terms = [term for term in terms if "\n" not in term]
        self.text = "".join(f"\n{term}" for term in terms) + "\n"
        lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
        # starts[i]: where term i begins in text; starts[len] is one past the final newline.
        self.starts = np.concatenate(([1], 1 + np.cumsum(lengths + 1)))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, index: int) -> str:
        return self.text[int(self.starts[index]) : int(self.starts[index + 1]) - 1]

    def __iter__(self) -> Iterator[str]:
        return iter(self.between(0, len(self)))

    def between(self, low: int, high: int) -> list[str]:
        """Terms ``low`` to ``high - 1``."""
        if high <= low:
            return []
        return self.text[int(self.starts[low]) : int(self.starts[high]) - 1].split("\n")

    def prefixed(self, prefix: str) -> tuple[int, int]:
        """The positions ``low``, ``high`` of the first term with ``prefix`` and one past the last."""
        low = bisect_left(self, prefix)
        return low, bisect_right(self, prefix, lo=low, key=lambda term: term[: len(prefix)])

    def in_range(self, start: str | None, end: str | None, startexcl: bool, endexcl: bool) -> tuple[int, int]:
        """The positions of the first term in a range and one past the last (None: no bound)."""
        low = 0 if start is None else (bisect_right if startexcl else bisect_left)(self, start)
        high = len(self) if end is None else (bisect_left if endexcl else bisect_right)(self, end)
        return low, max(low, high)

    def matching(self, pattern: str, limit: int) -> list[str]:
        """Up to ``limit`` terms matching a pattern of ``*`` (any characters) and ``?`` (one)."""
        head = pattern.split("*")[0].split("?")[0]
        low, high = self.prefixed(head)
        found = _glob(pattern).finditer(self.text, int(self.starts[low]) - 1, int(self.starts[high]))
        return [match.group(1) for match in islice(found, limit)]

    def near(self, word: str, edits: int, prefix: int, limit: int) -> list[str]:
        """Up to ``limit`` terms at most ``edits`` insertions, deletions, substitutions or swaps of
        two neighbours from ``word``, and starting with its first ``prefix`` characters.

        An automaton walks the sorted terms, jumping from one possible match to the next (as
        Lucene does): far fewer steps than the terms it passes over.
        """
        automaton = _edits_automaton(word, edits, min(prefix, len(word))).to_dfa()

        def first_from(key: str) -> str | None:
            position = bisect_left(self, key)
            return self[position] if position < len(self) else None

        return list(islice(find_all_matches(automaton, first_from), limit))


def _edits_automaton(word: str, edits: int, prefix: int) -> NFA:
    """The strings at most ``edits`` edits from ``word`` (Damerau-Levenshtein, as Whoosh measures a
    fuzzy term's distance: a swap of two neighbours is one edit), keeping its first ``prefix`` characters.

    State ``(i, e)``: the first ``i`` characters of ``word`` matched with ``e`` edits;
    ``(i, e, "swap")``: ``word[i + 1]`` read where ``word[i]`` was due, which must come next.
    """
    automaton = NFA((0, 0))
    for i in range(prefix):
        automaton.add_transition((i, 0), word[i], (i + 1, 0))
    for i in range(prefix, len(word) + 1):
        for e in range(edits + 1):
            if i < len(word):
                automaton.add_transition((i, e), word[i], (i + 1, e))
            if e == edits:
                continue
            automaton.add_transition((i, e), ANY, (i, e + 1))  # A character more.
            if i < len(word):
                automaton.add_transition((i, e), EPSILON, (i + 1, e + 1))  # A character less.
                automaton.add_transition((i, e), ANY, (i + 1, e + 1))  # Another character.
            if i + 1 < len(word) and word[i] != word[i + 1]:
                automaton.add_transition((i, e), word[i + 1], (i, e, "swap"))
                automaton.add_transition((i, e, "swap"), word[i], (i + 2, e + 1))
    for e in range(edits + 1):
        automaton.add_final_state((len(word), e))
    return automaton


def _glob(pattern: str) -> re.Pattern[str]:
    """A regular expression finding the terms that match ``pattern`` in a Lexicon's text, as group 1.

    Each stretch of the pattern between two ``*`` is matched where it first occurs, in an atomic
    group: a later place leaves less room for the rest, so trying it cannot help, and never trying
    it keeps patterns such as ``*a*b*c*d*`` linear in the terms' length.
    """

    def literal(part: str) -> str:
        return "".join("[^\n]" if char == "?" else re.escape(char) for char in part)

    head, *rest = pattern.split("*")
    if not rest:
        return re.compile(f"\n({literal(head)})(?=\n)")
    *middle, tail = rest
    stretches = "".join(f"(?>[^\n]*?{literal(part)})" for part in middle if part)
    return re.compile(f"\n({literal(head)}{stretches}[^\n]*{literal(tail)})(?=\n)")


def _expand(q: wq.MultiTerm, lexicon: Lexicon, limit: int) -> list[str]:
    """Up to ``limit`` of the terms ``q`` stands for."""
    if isinstance(q, wq.Prefix):
        low, high = lexicon.prefixed(q.text)
        return lexicon.between(low, min(high, low + limit))
    if isinstance(q, wq.Wildcard):
        return lexicon.matching(q.text, limit)
    if isinstance(q, wq.FuzzyTerm):
        return lexicon.near(q.text, q.maxdist, q.prefixlength, limit)
    if isinstance(q, wq.TermRange):
        low, high = lexicon.in_range(q.start, q.end, q.startexcl, q.endexcl)
        return lexicon.between(low, min(high, low + limit))
    raise TypeError(f"parse_query makes no {type(q).__name__} queries")


def _shown(q: wq.MultiTerm) -> str:
    """``q`` as the user may have typed it."""
    if isinstance(q, wq.Prefix):
        return f"'{q.text}*'"
    if isinstance(q, wq.FuzzyTerm):
        return f"'{q.text}~{q.maxdist}'"
    if isinstance(q, wq.TermRange):
        opening, closing = "{" if q.startexcl else "[", "}" if q.endexcl else "]"
        return f"'{q.fieldname}:{opening}{q.start or ''} to {q.end or ''}{closing}'"
    return f"'{q.text}'"


def _narrowing(q: wq.MultiTerm) -> str:
    """How to make ``q`` match fewer terms."""
    if isinstance(q, wq.Prefix):
        return "add letters before the *"
    if isinstance(q, wq.FuzzyTerm):
        return "add letters, or allow fewer changes"
    if isinstance(q, wq.TermRange):
        return "narrow the range"
    return "add letters, best before the first * or ?"


def _field_terms(reader: object, fieldname: str, prefix: bytes = b"") -> Iterable[bytes]:
    """One segment's terms of a field (those starting with ``prefix``), in order.

    Whoosh reads its terms file with two seeks and reads a term (about 6 µs a term); a field's
    terms lie one after the other in it, so they are read here at once and split (about 1 µs).
    Where they start is a binary search of the file (about 0.2 ms); with a prefix, where they end
    is where a term lacks it, read on from the start (a prefix's terms are few).
    """
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        found = reader.lexicon(fieldname)  # type: ignore[attr-defined]  # An empty index's reader.
        return [term for term in found if term.startswith(prefix)]
    number = terms._fieldmap.get(fieldname)  # noqa: SLF001
    table = terms._tindex  # noqa: SLF001
    start = table.closest_key_pos(pack_ushort(number) + prefix) if number is not None else None
    if start is None:
        return ()
    if not prefix:
        end = table.closest_key_pos(pack_ushort(number + 1))
        return _keys(table.dbfile.get(start, (table.endofdata if end is None else end) - start), b"")[0]
    wanted = pack_ushort(number) + prefix
    length = _PREFIX_READ
    while True:
        data = table.dbfile.get(start, min(length, table.endofdata - start))
        found, ended = _keys(data, wanted)
        if ended or start + len(data) >= table.endofdata:
            return found
        length *= 4


def _keys(data: bytes, wanted: bytes) -> tuple[list[bytes], bool]:
    """The terms of the whole entries of a stretch of Whoosh's terms file, after their field's
    number, up to the first whose key does not start with ``wanted`` (field number and prefix);
    and whether one does not (else the stretch ended first)."""
    found: list[bytes] = []
    position = 0
    while position + _ENTRY.size <= len(data):
        key_length, value_length = _ENTRY.unpack_from(data, position)
        key = position + _ENTRY.size
        if key + key_length + value_length > len(data):
            break
        if not data.startswith(wanted, key):
            return found, True
        found.append(data[key + 2 : key + key_length])  # After the field's number.
        position = key + key_length + value_length
    return found, False


def _literal_prefix(q: wq.MultiTerm) -> str:
    """What every term ``q`` stands for starts with."""
    if isinstance(q, wq.Prefix):
        return q.text
    if isinstance(q, wq.Wildcard):
        return q.text.split("*")[0].split("?")[0]
    if isinstance(q, wq.FuzzyTerm):
        return q.text[: q.prefixlength]
    return ""


def kept(cache: dict[K, V], key: K, value: V, size: int) -> V:
    """``value``, kept in ``cache`` under ``key``; the oldest entry goes when ``size`` are kept."""
    if len(cache) >= size:
        del cache[next(iter(cache))]
    cache[key] = value
    return value


def _utf8(term: str) -> bytes:
    return term.encode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class Postings:
    """A term's postings: document numbers in order, and the term's weight in each; ``scores``
    keeps its relevance in each document once computed, for as long as the postings are cached."""

    ids: np.ndarray
    weights: np.ndarray
    scores: list[np.ndarray] = field(default_factory=list, compare=False, repr=False)


def _segment_postings(reader: object, fieldname: str, btext: bytes) -> list[tuple[np.ndarray, np.ndarray]]:
    """A term's document numbers and weights in one segment, a pair of arrays per block (none
    when the segment lacks it), deleted documents included.

    Read as Whoosh 3 writes them (and segments.py does): the term info, inlined postings or where
    the blocks lie; each block a length, its pickled statistics and its pickled (maybe compressed)
    deltas and weights. Whoosh's matcher gets there with a dozen small reads and objects a block
    (~100 µs a segment); here the blocks are one read. Other readers go through Whoosh.
    """
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        return _whoosh_postings(reader, fieldname, btext)
    try:
        info = terms._tindex[terms._keycoder(fieldname, btext)]  # noqa: SLF001
    except KeyError:
        return []
    if info[0]:  # inlined: (ids, weights or None for all 1, values)
        inlined_ids, inlined_weights, _ = loads(info[_TERM_INFO_SIZE:])
        return [(np.array(inlined_ids, dtype=np.int64), _block_weights(inlined_weights, len(inlined_ids)))]
    offset, length = _EXTENT.unpack_from(info, _TERM_INFO_SIZE)
    payload = terms._postfile.get(offset, length)  # noqa: SLF001
    found = []
    position = len(WHOOSH3_HEADER_MAGIC)
    while position < len(payload):
        (size,) = _BLOCK_SIZE.unpack_from(payload, position)
        block = io.BytesIO(payload[position + _BLOCK_SIZE.size : position + _BLOCK_SIZE.size + abs(size)])
        compression = loads_from(block)[3]
        data = block.read()
        deltas, weights, _ = loads(zlib.decompress(data) if compression else data)
        found.append((np.cumsum(np.asarray(deltas, dtype=np.int64)), _block_weights(weights, len(deltas))))
        position += _BLOCK_SIZE.size + abs(size)
    return found


def _block_weights(weights: object, count: int) -> np.ndarray:
    """Weights as Whoosh stores them: None when all 1, one number when all equal, else each."""
    if weights is None or isinstance(weights, int | float):
        return np.full(count, 1.0 if weights is None else weights, dtype=np.float32)
    return np.asarray(weights, dtype=np.float32)


def _whoosh_postings(reader: object, fieldname: str, btext: bytes) -> list[tuple[np.ndarray, np.ndarray]]:
    """_segment_postings through Whoosh's matcher, for readers that are not of Whoosh 3 segments
    (an empty index's): deleted documents included as there (unwrapped from the filter)."""
    try:
        matcher = reader.postings(fieldname, btext)  # type: ignore[attr-defined]
    except TermNotFound:
        return []
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    pairs = list(matcher.items_as("weight"))
    return [(np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs], dtype=np.float32))]


def _joined(ids: list[np.ndarray], offsets: list[int]) -> np.ndarray:
    """Segments' document numbers as the searcher's: each part moved by its segment's offset."""
    if not ids:
        return np.zeros(0, dtype=np.int64)
    joined = np.concatenate(ids, dtype=np.int64)
    joined += np.repeat(np.array(offsets, dtype=np.int64), [len(part) for part in ids])
    return joined


def _weights(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts, dtype=np.float32) if parts else np.zeros(0, dtype=np.float32)


def _in_sorted(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which ``values`` are in ``keys``, an ascending array (binary search, no sorting)."""
    if not len(keys):
        return np.zeros(len(values), dtype=bool)
    found = np.searchsorted(keys, values).clip(max=len(keys) - 1)
    return keys[found] == values


def _combine(operation: np.ufunc, masks: Iterator[np.ndarray], size: int, start: bool) -> np.ndarray:
    result = np.full(size, start, dtype=bool)
    for mask in masks:
        operation(result, mask, out=result)
    return result


def _as_bytes(reader: object, fieldname: str, text: object) -> bytes:
    if isinstance(text, bytes):
        return text
    return reader.schema[fieldname].to_bytes(text)  # type: ignore[attr-defined, no-any-return]
