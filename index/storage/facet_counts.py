"""How many of a set of documents have each value of a facet, counted the way that costs least.

A facet is a list of (document, value) pairs, sorted by document: one pair a document for its
source, language or year; 15 million pairs for an entity facet at a million articles. Gathering a
query's mask over every pair cost 17–28 ms an entity facet there, 5 ms a column. Frequent values,
the few that most pairs hold, are counted instead as the popcount of their documents' bitmap ANDed
with the query's: a bit per document, whatever their number of pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.storage.columns import entity_starts

# What a count costs, in the time a bitmap word takes to AND and count (measured at a million
# articles): gathering a matching document's pair by its slice, 20; gathering a pair of a value
# without a bitmap among all of them, 2; packing the query's mask into bits, an eighth a document.
# Facets are counted over the matching documents' own pairs when that costs less than over the
# bitmaps and the other pairs: below 0.5 % of a million articles for an entity facet (six pairs a
# document, 0.5 ms by bitmaps), below 12 % for the month (no bitmap, a pair a document).
SLICED_PAIR_COST = 20
OTHER_PAIR_COST = 2
MASK_PACKING_COST = 1 / 8
# A value held by more than this share of documents is counted from a bitmap of them: past it, its
# pairs cost more to gather than the bitmap's words to AND and count.
BITMAP_SHARE = 1 / 256
# Bitmaps kept for each facet, the most frequent values first: 16 MB at a million documents.
BITMAPS_PER_FACET = 128
_WORD_BITS = 64
_ROWS_AT_ONCE = 32  # bitmaps made as boolean masks this many at a time: 32 MB at a million documents


class FacetCounter:
    """Counts one facet's values under document masks.

    Args:
        docs: each pair's document number, sorted (None for a column: its documents with a value).
        codes: each pair's value code, below ``values`` (None for a column: their values).
        values: the number of value codes.
        doc_count: the number of document numbers (masks are this long).
        column: each document's one value code (-1: none), when the facet is a column.
    """

    def __init__(
        self,
        docs: np.ndarray | None,
        codes: np.ndarray | None,
        values: int,
        doc_count: int,
        column: np.ndarray | None = None,
    ) -> None:
        self.values, self.doc_count, self._column = values, doc_count, column
        self._docs, self._codes = docs, codes
        self._starts: np.ndarray | None = None
        self._totals: np.ndarray | None = None
        self._dense_estimate: float | None = None
        # Made at the first count over many documents: a rare word's counts need none of it.
        self._dense: _DenseCounts | None = None

    @classmethod
    def of_column(cls, column: np.ndarray, values: int) -> FacetCounter:
        """The counter of a facet of one value a document (``column``, -1: none)."""
        return cls(None, None, values, column.size, column)

    def following(self, later: FacetCounter) -> FacetCounter:
        """``later``, the counter of a later generation, given what this one counted of the first
        documents both share: a commit costs what it added, not the whole archive."""
        if self._dense is not None and later.values >= self.values:
            docs, codes = self._pairs()
            later_docs, later_codes = later._pairs()
            kept = _kept_documents(docs, codes, self.doc_count, later_docs, later_codes, later.doc_count)
            if kept and later.doc_count <= 2 * self._dense.chosen_among:
                later._dense = self._dense.following(kept, later_docs, later_codes, later.values, later.doc_count)
        return later

    def count(self, under: np.ndarray, chosen: int) -> np.ndarray:
        """How many of the documents ``under`` holds (``chosen`` of them) have each value, by code."""
        sliced = chosen * len(self._pairs()[0]) * SLICED_PAIR_COST
        # Below what packing the mask alone costs, no estimate is needed: a rare word's first
        # count makes no totals.
        packing = MASK_PACKING_COST * self.doc_count
        if sliced < packing * self.doc_count or sliced < self._dense_cost() * self.doc_count:
            if self._column is None:
                return np.bincount(self._codes_of(np.flatnonzero(under)), minlength=self.values)
            codes = self._column[under]
            return np.bincount(codes[codes >= 0], minlength=self.values)
        return self.prepared().count(under, self.values)

    def _dense_cost(self) -> float:
        """What a count over the bitmaps and the other values' pairs costs (see SLICED_PAIR_COST),
        told from the values' totals, whether or not the bitmaps are made yet."""
        if self._dense_estimate is None:
            totals = self.totals()
            frequent = _frequent_values(totals, self.doc_count)
            other_pairs = int(totals.sum()) - int(totals[frequent].sum())
            bitmap_words = frequent.size * _words(self.doc_count)
            self._dense_estimate = bitmap_words + OTHER_PAIR_COST * other_pairs + MASK_PACKING_COST * self.doc_count
        return self._dense_estimate

    def prepared(self) -> _DenseCounts:
        """The bitmaps and pairs a count over many documents reads, made at the first such count,
        or ahead of it (ArchiveSearcher.prepare)."""
        if self._dense is None:
            self._dense = _DenseCounts.of(*self._pairs(), self.totals(), self.doc_count)
        return self._dense

    def totals(self) -> np.ndarray:
        """How many documents, deleted ones included, have each value: kept, as a query matching
        most documents is counted by its complement, and made without bitmaps (``*`` needs none)."""
        if self._totals is None:
            self._totals = np.bincount(self._pairs()[1], minlength=self.values)
        return self._totals

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        if self._docs is None or self._codes is None:
            assert self._column is not None
            self._docs = np.flatnonzero(self._column >= 0)
            self._codes = self._column[self._docs]
        return self._docs, self._codes

    def _codes_of(self, docs: np.ndarray) -> np.ndarray:
        """The value codes of these documents (with repeats), found by slicing, not by a pass over
        every pair: what a rare word's entity facets cost."""
        pairs_docs, codes = self._pairs()
        if self._starts is None:
            self._starts = entity_starts(pairs_docs, self.doc_count)
        first, end = self._starts[docs], self._starts[docs + 1]
        lengths = end - first
        ends = np.cumsum(lengths)
        positions = np.arange(int(ends[-1]) if ends.size else 0) - np.repeat(ends - lengths - first, lengths)
        return codes[positions]


@dataclass(frozen=True)
class _DenseCounts:
    """A facet's frequent values as bitmaps of their documents (row ``rows[code]`` of ``bitmaps``,
    -1: none), chosen among ``chosen_among`` documents, and the pairs of the other values."""

    frequent: np.ndarray
    rows: np.ndarray
    bitmaps: np.ndarray
    other_docs: np.ndarray
    other_codes: np.ndarray
    chosen_among: int

    @classmethod
    def of(cls, docs: np.ndarray, codes: np.ndarray, totals: np.ndarray, doc_count: int) -> _DenseCounts:
        """The counts of these pairs, whose values have ``totals`` pairs each."""
        return cls._made(_frequent_values(totals, doc_count), totals.size, doc_count, docs, codes, None, doc_count)

    @classmethod
    def _made(
        cls,
        frequent: np.ndarray,
        values: int,
        doc_count: int,
        docs: np.ndarray,
        codes: np.ndarray,
        kept: tuple[_DenseCounts, int] | None,
        chosen_among: int,
    ) -> _DenseCounts:
        """The counts of the pairs ``docs``/``codes``, after the first documents of ``kept`` (an
        earlier generation's counts, and how many of its first documents are kept), if any."""
        rows = np.full(values, -1, dtype=np.int32)
        rows[frequent] = np.arange(frequent.size, dtype=np.int32)
        pair_rows = rows[codes]
        in_bitmap = pair_rows >= 0
        bitmaps = np.zeros((frequent.size, _words(doc_count)), dtype="<u8")
        other_docs, other_codes = docs[~in_bitmap], codes[~in_bitmap]
        if kept is not None:
            earlier, documents = kept
            whole_words = documents // _WORD_BITS
            bitmaps[:, :whole_words] = earlier.bitmaps[:, :whole_words]
            if documents % _WORD_BITS:
                low_bits = np.uint64((1 << (documents % _WORD_BITS)) - 1)
                bitmaps[:, whole_words] = earlier.bitmaps[:, whole_words] & low_bits
            end = int(np.searchsorted(earlier.other_docs, documents))
            other_docs = np.concatenate([earlier.other_docs[:end], other_docs])
            other_codes = np.concatenate([earlier.other_codes[:end], other_codes])
        _set_bits(bitmaps, docs[in_bitmap], pair_rows[in_bitmap])
        return cls(frequent, rows, bitmaps, other_docs, other_codes, chosen_among)

    def following(
        self, kept: int, docs: np.ndarray, codes: np.ndarray, values: int, doc_count: int
    ) -> _DenseCounts:
        """The counts of a later generation whose first ``kept`` documents have these ones' pairs;
        its frequent values stay these (any set of them counts the same) until the archive has
        doubled since they were chosen (FacetCounter.following): a first commit's are no guide."""
        first_added = int(np.searchsorted(docs, kept))
        return _DenseCounts._made(
            self.frequent, values, doc_count, docs[first_added:], codes[first_added:], (self, kept), self.chosen_among
        )

    def count(self, under: np.ndarray, values: int) -> np.ndarray:
        counts = np.bincount(self.other_codes[under[self.other_docs]], minlength=values)
        if self.frequent.size:
            matches = np.bitwise_count(self.bitmaps & _packed(under))
            counts[self.frequent] += matches.sum(axis=1, dtype=np.int64)
        return counts


def _frequent_values(totals: np.ndarray, doc_count: int) -> np.ndarray:
    """The values counted by bitmaps, most frequent first: those held by more than BITMAP_SHARE of
    the documents, at most BITMAPS_PER_FACET."""
    frequent = np.flatnonzero(totals > max(doc_count * BITMAP_SHARE, 1))
    return frequent[np.argsort(-totals[frequent], kind="stable")][:BITMAPS_PER_FACET]


def _kept_documents(
    old_docs: np.ndarray, old_codes: np.ndarray, old_count: int, docs: np.ndarray, codes: np.ndarray, count: int
) -> int:
    """How many first documents have the same pairs in both generations."""
    shared = min(old_docs.size, docs.size)
    differ = np.flatnonzero((old_docs[:shared] != docs[:shared]) | (old_codes[:shared] != codes[:shared]))
    kept = min(old_count, count)
    if differ.size:
        first = int(differ[0])
        return min(kept, int(old_docs[first]), int(docs[first]))
    for longer in (old_docs, docs):
        if longer.size > shared:
            kept = min(kept, int(longer[shared]))
    return kept


def _words(doc_count: int) -> int:
    return -(-doc_count // _WORD_BITS)


def _set_bits(bitmaps: np.ndarray, docs: np.ndarray, rows: np.ndarray) -> None:
    """Set the bit of document ``docs[k]`` in bitmap ``rows[k]``: made as boolean masks, a few rows
    at a time, then packed (4× faster than setting bits one by one)."""
    count, width = bitmaps.shape[0], bitmaps.shape[1] * _WORD_BITS
    for first in range(0, count, _ROWS_AT_ONCE):
        height = min(_ROWS_AT_ONCE, count - first)
        inside = (rows >= first) & (rows < first + height) if count > _ROWS_AT_ONCE else slice(None)
        positions = rows[inside].astype(np.int64)  # where each bit goes in the masks, made in place
        positions -= first
        positions *= width
        positions += docs[inside]
        masks = np.zeros(height * width, dtype=bool)
        masks[positions] = True
        packed = np.packbits(masks.reshape(height, width), axis=1, bitorder="little")
        bitmaps[first : first + height] |= packed.view("<u8")


def _packed(mask: np.ndarray) -> np.ndarray:
    """A document mask as bitmap words: bit ``d % 64`` of word ``d // 64`` is document ``d``."""
    packed = np.zeros(_words(len(mask)) * (_WORD_BITS // 8), dtype=np.uint8)
    bits = np.packbits(mask, bitorder="little")
    packed[: bits.size] = bits
    return packed.view("<u8")
