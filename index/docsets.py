"""Match sets as NumPy masks over document numbers, read a posting block at a time.

Whoosh yields matching documents one Python call per posting, which costs about a second per
query at 100k articles when facets need the whole match set. Here each term's postings are read
block by block and delta-decoded with NumPy, or sliced from the segment's frequent-terms file
(frequent.py), and the boolean query tree is evaluated with mask operations. Exact phrases are
matched from positions with array operations too; the queries this module does not know
(phrases with slop) fall back to Whoosh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

from .columns import NO_DATE, date_to_day
from .frequent import FrequentTerms, TermPostings, open_frequent_terms
from .schema import decode_positions

# Term masks kept between queries: typing and facet clicks ask for the same terms again and again.
CACHED_TERMS = 512
CACHED_PHRASES = 32
ScoredTerm = tuple[str, bytes, float]  # field, term, boost


class MaskEvaluator:
    """Evaluates Whoosh queries into boolean masks over the searcher's document numbers.

    Args:
        searcher: an open Whoosh searcher; a new evaluator is needed when it is refreshed.
        alive: True for document numbers that are not deleted; also fixes the mask size.
        day: each document's date as days since 1970-01-01, NO_DATE when unknown.
        folder: the Whoosh index folder, where the segments' frequent-terms files are.
    """

    def __init__(self, searcher: Searcher, alive: np.ndarray, day: np.ndarray, folder: Path) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.alive = alive
        self.day = day
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        segments = [reader.segment() for reader, _ in self.leaves]  # None for an empty index's reader
        self.frequent: list[FrequentTerms | None] = [
            open_frequent_terms(folder, segment.segment_id()) if segment is not None else None for segment in segments
        ]
        self._cache: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        self._phrases: OrderedDict[tuple[str, tuple[str, ...], int], np.ndarray] = OrderedDict()
        self._expansions: dict[wq.MultiTerm, tuple[bytes, ...]] = {}

    def mask(self, q: wq.Query) -> np.ndarray:
        """The documents matching ``q``, deleted ones excluded."""
        return self._eval(q) & self.alive

    def postings(self, fieldname: str, btext: bytes) -> Postings:
        """Document numbers holding one term, with the term's weight (frequency) in each."""
        key = (fieldname, btext)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for (reader, offset), frequent in zip(self.leaves, self.frequent, strict=True):
            stored = frequent.get(fieldname, btext) if frequent is not None else None
            if stored is not None:
                ids.append(stored.ids.astype(np.int64) + offset)
                weights.append(stored.weights)
                continue
            if (fieldname, btext) not in reader:
                continue
            for block_ids, block_weights in _blocks(reader.postings(fieldname, btext)):
                ids.append(block_ids + offset)
                weights.append(block_weights)
        found = Postings(
            np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64),
            np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32),
        )
        self._cache[key] = found
        if len(self._cache) > CACHED_TERMS:
            self._cache.popitem(last=False)
        return found

    def term_mask(self, fieldname: str, btext: bytes) -> np.ndarray:
        """The documents containing one term (deleted ones may be included)."""
        mask = np.zeros(len(self.alive), dtype=bool)
        mask[self.postings(fieldname, btext).ids] = True
        return mask

    def clear_cache(self) -> None:
        """Forget cached postings and phrase matches (for measuring cold queries)."""
        self._cache.clear()
        self._phrases.clear()
        self._expansions.clear()

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
            return self.alive.copy()
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

        Each occurrence is a key ``document << 32 | position``, ascending as postings are; the
        phrase starts at the first word's keys ``k`` for which ``k + i`` is a key of word ``i``,
        for every ``i``.
        """
        # Positions are read only in segments holding documents with every word (a title phrase
        # has few): which documents those are comes from the words' postings, read and cached anyway.
        candidates = _combine(np.logical_and, (self.term_mask(fieldname, w) for w in words), len(self.alive), True)
        mask = np.zeros(len(self.alive), dtype=bool)
        for leaf, (reader, offset) in enumerate(self.leaves):
            if not candidates[offset : offset + reader.doc_count_all()].any():
                continue
            starts: np.ndarray | None = None
            for i, word in enumerate(words):
                postings = self._positions(leaf, fieldname, word)
                if postings is None or postings.counts is None or postings.positions is None:
                    starts = None
                    break
                keys = (np.repeat(postings.ids.astype(np.int64), postings.counts) << 32) | postings.positions
                starts = keys if starts is None else starts[_in_sorted(starts + i, keys)]
                if not len(starts):
                    break
            if starts is not None and len(starts):
                mask[(starts >> 32) + offset] = True
        return mask

    def _positions(self, leaf: int, fieldname: str, btext: bytes) -> TermPostings | None:
        """A term's postings with positions in one segment, or None when the segment lacks it."""
        frequent = self.frequent[leaf]
        stored = frequent.with_positions(fieldname, btext) if frequent is not None else None
        if stored is not None:
            return stored
        reader = self.leaves[leaf][0]
        if (fieldname, btext) not in reader:
            return None
        matcher = reader.postings(fieldname, btext)
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

    def _expanded(self, q: wq.MultiTerm) -> tuple[bytes, ...]:
        """The index terms a prefix, wildcard, fuzzy or range query stands for.

        Expanding scans the term list of every segment; the match set and the scoring both need
        the expansion, so it is kept for this generation of the index.
        """
        expanded = self._expansions.get(q)
        if expanded is None:
            field = q.field()
            btexts = q._btexts(self.reader)  # noqa: SLF001
            if len(self._expansions) >= CACHED_PHRASES:
                del self._expansions[next(iter(self._expansions))]  # The oldest.
            expanded = self._expansions[q] = tuple(_as_bytes(self.reader, field, b) for b in btexts)
        return expanded

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


@dataclass(frozen=True)
class Postings:
    """A term's postings: document numbers in order, and the term's weight in each."""

    ids: np.ndarray
    weights: np.ndarray


def _blocks(matcher: object) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """A posting list's document numbers and weights, one pair of arrays per block."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        pairs = [(m_id, m_weight) for m_id, m_weight in matcher.items_as("weight")]  # type: ignore[attr-defined]
        yield np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs], dtype=np.float32)
        return
    # The matcher's own _read_ids() delta-decodes in a Python loop; cumsum does it in C.
    while not matcher._atend:  # noqa: SLF001
        if matcher._data is None:  # noqa: SLF001
            matcher._read_data()  # noqa: SLF001
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]  # noqa: SLF001
        deltas = np.asarray(raw_ids, dtype=np.int64)
        ids = deltas if matcher._byteids else np.cumsum(deltas)  # noqa: SLF001
        if raw_weights is None or isinstance(raw_weights, float):
            weights = np.full(len(ids), 1.0 if raw_weights is None else raw_weights, dtype=np.float32)
        else:
            weights = np.asarray(raw_weights, dtype=np.float32)
        yield ids, weights
        matcher._next_block()  # noqa: SLF001


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
