"""Each segment's frequent terms, also kept as flat NumPy arrays in a file beside the segment.

Reading a common term from Whoosh unpickles every posting block, positions included: about
150 ms the first time a word found in most of 100k articles is asked for. Whoosh also checks a
phrase document by document: two seconds for a phrase in half of them. The terms found in at
least ``min_documents(field)`` documents of a segment are written a second time, into ``<segment>.frq``:
their document numbers and weights and, for positional fields, from ``min_positioned(field)``
documents on, each posting's positions. A term mask, its scores and a phrase over such terms
are then a few array slices, with no Python per posting; rarer terms, and the positions of the
less frequent ones, are still read from Whoosh.

Terms between the two thresholds (a word in 3-13 % of a segment's articles) are what a keystroke
reads most: in every one of a million articles' 500 segments, each a Whoosh read (60-130 ms a
word). Their positions would double what they add to the file; a phrase reads them from Whoosh.

The terms' table is arrays too, sorted by the terms' hash (TermKey.first) and searched by
bisection: a file opens in tens of microseconds, with no Python object per term (a dictionary of
them took 0.36 s and 90 MB for a million articles' 500 segments, before the terms between the
two thresholds quadrupled them).

The file is written after Whoosh assembles the segment (so it is not packed into the compound
file) and carries the segment's name, so Whoosh deletes it together with the segment.
"""

from __future__ import annotations

import json
import mmap
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexDamagedError
from index.storage.term_filter import TermKey

FREQUENT_MIN_DF = 64  # half a posting block
POSITIONED_MIN_DF = 256  # two posting blocks
# Titles are short, so their words are rarer; but a phrase is looked for in titles as well as
# bodies, and reading a word's positions from Whoosh in every segment costs more than keeping it.
FREQUENT_MIN_DF_BY_FIELD = {"title": 8}
POSITIONED_MIN_DF_BY_FIELD = {"title": 32}
_POSITIONS_LEFT_OUT = -2  # a term's position start when its field has positions but they are not kept
EXTENSION = ".frq"
_MAGIC = b"ARCHFRQ2"
_HEADER_LENGTH = struct.Struct("<Q")
_ALIGN = 8


@dataclass(frozen=True)
class TermPostings:
    """One term's postings in one segment: segment document numbers, weights, and positions.

    ``counts[i]`` positions of posting ``i`` follow those of posting ``i - 1`` in ``positions``;
    both are None for fields that keep no positions.
    """

    ids: np.ndarray
    weights: np.ndarray
    counts: np.ndarray | None
    positions: np.ndarray | None


class FrequentTermsWriter:
    """Collects a segment's frequent terms as the field writer writes them."""

    def __init__(self) -> None:
        self._terms: list[tuple[str, bytes, int, int, int]] = []  # field, term, start, count, position start
        self._ids: list[Sequence[int]] = []
        self._weights: list[Sequence[float]] = []
        self._counts: list[np.ndarray] = []
        self._positions: list[np.ndarray] = []
        self._postings = 0
        self._positioned = 0

    def add(
        self,
        fieldname: str,
        btext: bytes,
        ids: Sequence[int],
        weights: Sequence[float],
        counts: np.ndarray | None,
        positions: np.ndarray | None,
        positional: bool,
    ) -> None:
        """Keep a term's postings, if it is frequent enough to be worth it.

        Args:
            fieldname: the field.
            btext: the term.
            ids: segment document numbers, ascending.
            weights: the term's weight in each document.
            counts: each document's number of positions of the term, when they are kept (min_positioned).
            positions: the positions of the term in each document, one document after another, when kept.
            positional: whether the field has positions.
        """
        if len(ids) < min_documents(fieldname):
            return
        position_start = _POSITIONS_LEFT_OUT if positional else -1
        if counts is not None and positions is not None:
            position_start = self._positioned
            self._counts.append(counts)
            self._positions.append(positions)
            self._positioned += len(positions)
        else:
            self._counts.append(np.zeros(len(ids), np.int64))
        self._terms.append((fieldname, btext, self._postings, len(ids), position_start))
        self._ids.append(ids)
        self._weights.append(weights)
        self._postings += len(ids)

    def save(self, folder: Path, segment_id: str) -> None:
        """Write the file of segment ``segment_id`` into the index folder (nothing if no term qualified)."""
        if not self._terms:
            return
        weights = np.fromiter(chain.from_iterable(self._weights), np.float32, self._postings)
        counts = _joined(self._counts, np.int64)
        per_position = self._weight_per_position(weights, counts)
        arrays = {
            "ids": _smallest(np.fromiter(chain.from_iterable(self._ids), np.int64, self._postings)),
            "weights": _whole_if_exact(weights),
            "positions": _smallest(_joined(self._positions, np.int64)),
        }
        if per_position is None:
            arrays["counts"] = _smallest(counts)
        fields = sorted({fieldname for fieldname, *_ in self._terms})
        arrays.update(self._table(fields))
        layout, offset = {}, 0
        for name, array in arrays.items():
            layout[name] = [array.dtype.str, offset, len(array)]
            offset += _padded(array.nbytes)
        header = {"arrays": layout, "weight_per_position": per_position or {}, "fields": fields}
        encoded = json.dumps(header).encode("utf-8")
        path = folder / f"{segment_id}{EXTENSION}"
        with open(path, "wb") as file:
            file.write(_MAGIC + _HEADER_LENGTH.pack(len(encoded)) + encoded)
            file.write(b"\0" * (_padded(file.tell()) - file.tell()))
            for array in arrays.values():
                file.write(array.tobytes())
                file.write(b"\0" * (_padded(array.nbytes) - array.nbytes))

    def _table(self, fields: list[str]) -> dict[str, np.ndarray]:
        """The terms' table, sorted by hash: field code, text (``texts`` up to ``text_ends``),
        and where the term's postings and positions start, and how many postings it has."""
        code = {fieldname: number for number, fieldname in enumerate(fields)}
        keys = np.array([TermKey.of(fieldname, btext).first for fieldname, btext, *_ in self._terms], dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        terms = [self._terms[i] for i in order.tolist()]
        return {
            "term_hashes": keys[order],
            "term_fields": np.array([code[term[0]] for term in terms], dtype=np.uint8),
            "term_text_ends": _smallest(np.cumsum([len(term[1]) for term in terms], dtype=np.int64)),
            "term_texts": np.frombuffer(b"".join(term[1] for term in terms), dtype=np.uint8),
            "term_starts": _smallest(np.array([term[2] for term in terms], dtype=np.int64)),
            "term_counts": _smallest(np.array([term[3] for term in terms], dtype=np.int64)),
            "term_position_starts": np.array([term[4] for term in terms], dtype=np.int64),
        }

    def _weight_per_position(self, weights: np.ndarray, counts: np.ndarray) -> dict[str, float] | None:
        """Each positional field's weight of one position, when every posting's weight is its number
        of positions times it (Whoosh weighs a posting so, by its field's boost): the counts are then
        not written, a fifth of the file. None when some weight is not."""
        per_field: dict[str, float] = {}
        for fieldname, _, start, _, position_start in self._terms:
            if position_start >= 0 and fieldname not in per_field:
                per_field[fieldname] = float(weights[start]) / max(int(counts[start]), 1)
        positional = [position_start >= 0 for _, _, _, _, position_start in self._terms]
        sizes = [count for _, _, _, count, _ in self._terms]
        factor = np.repeat([per_field.get(term[0], 0.0) for term in self._terms], sizes)
        checked = np.repeat(positional, sizes)
        exact = np.array_equal(counts[checked] * factor[checked], weights[checked]) and all(per_field.values())
        return per_field if exact else None


class FrequentTerms:
    """A segment's frequent terms, read from its file (memory-mapped, so only what is used is read).

    Args:
        path: the ``.frq`` file.
    """

    def __init__(self, path: Path) -> None:
        try:
            self._arrays, header = _read(path)
            self._weight_per_position: dict[str, float] = header["weight_per_position"]
            self._codes: dict[str, int] = {fieldname: code for code, fieldname in enumerate(header["fields"])}
            self._hashes = self._arrays["term_hashes"]
        except (struct.error, ValueError, KeyError, TypeError) as error:  # cut short or garbled
            raise IndexDamagedError(f"{path.name} cannot be read ({error})") from error

    def hashes(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """The segment's frequent terms of one field: their hashes (TermKey.first) and rows."""
        code = self._codes.get(fieldname)
        rows = np.flatnonzero(self._arrays["term_fields"] == code) if code is not None else np.zeros(0, np.int64)
        return self._hashes[rows], rows

    def get(self, key: TermKey) -> TermPostings | None:
        """The term's documents and weights in this segment (no positions), as stored (the
        narrowest types that hold them: cast once, after joining segments), or None when it is
        not one of the segment's frequent terms."""
        entry = self._entry(key)
        if entry is None:
            return None
        ids, weights = self.postings_at(entry)
        return TermPostings(ids, weights, None, None)

    def with_positions(self, key: TermKey) -> TermPostings | None:
        """The term's postings with their positions, or None as for :meth:`get` and when its
        positions are not kept here; the positions are None for fields that keep none."""
        entry = self._entry(key)
        return None if entry is None else self.positions_at(entry, key.fieldname)

    def postings_at(self, entry: int) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers and weights, as stored, of the term in row ``entry`` of the table
        (see :meth:`get` and FrequentTable)."""
        start = int(self._arrays["term_starts"][entry])
        end = start + int(self._arrays["term_counts"][entry])
        return self._arrays["ids"][start:end], self._arrays["weights"][start:end]

    def positions_at(self, entry: int, fieldname: str) -> TermPostings | None:
        """The postings with positions of the term of ``fieldname`` in row ``entry`` (see
        :meth:`with_positions`)."""
        position_start = int(self._arrays["term_position_starts"][entry])
        if position_start == _POSITIONS_LEFT_OUT:
            return None
        start, count = int(self._arrays["term_starts"][entry]), int(self._arrays["term_counts"][entry])
        ids, weights = self._ids_and_weights(start, count)
        if position_start < 0:
            return TermPostings(ids, weights, None, None)
        counts = self._counts(fieldname, start, count, weights)
        positions = self._arrays["positions"][position_start : position_start + int(counts.sum())]
        return TermPostings(ids, weights, counts, positions)

    def _entry(self, key: TermKey) -> int | None:
        """The term's row of the table, or None."""
        code = self._codes.get(key.fieldname)
        if code is None:
            return None
        hashes = self._hashes
        entry = int(hashes.searchsorted(np.uint64(key.first)))
        while entry < len(hashes) and int(hashes[entry]) == key.first:
            if self.holds(entry, key):
                return entry
            entry += 1
        return None

    def holds(self, entry: int, key: TermKey) -> bool:
        """Whether row ``entry`` of the table is the term's, not another's with its hash."""
        code = self._codes.get(key.fieldname)
        return code is not None and self._arrays["term_fields"][entry] == code and self._text(entry) == key.btext

    def _text(self, entry: int) -> bytes:
        ends = self._arrays["term_text_ends"]
        return self._arrays["term_texts"][int(ends[entry - 1]) if entry else 0 : int(ends[entry])].tobytes()

    def _counts(self, fieldname: str, start: int, count: int, weights: np.ndarray) -> np.ndarray:
        """A positional term's number of positions in each of its documents."""
        counts = self._arrays.get("counts")
        if counts is not None:
            return counts[start : start + count]
        return np.rint(weights / self._weight_per_position[fieldname]).astype(np.int64)

    def _ids_and_weights(self, start: int, count: int) -> tuple[np.ndarray, np.ndarray]:
        """A term's document numbers and weights; whole weights are stored as integers, read as floats."""
        weights = self._arrays["weights"][start : start + count]
        if weights.dtype != np.float32:
            weights = weights.astype(np.float32)
        return self._arrays["ids"][start : start + count], weights


def _read(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    with open(path, "rb") as file:
        start = file.read(len(_MAGIC) + _HEADER_LENGTH.size)
        if start[: len(_MAGIC)] != _MAGIC:
            raise ValueError("not a frequent-terms file")
        (length,) = _HEADER_LENGTH.unpack(start[len(_MAGIC) :])
        header = json.loads(file.read(length))
        # One mapping for the file, its arrays views of it; NumPy's memmap costs ~0.25 ms per array.
        whole = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    base = _padded(len(start) + length)
    arrays = {
        name: np.frombuffer(whole, dtype=np.dtype(dtype), count=size, offset=base + offset)
        if size
        else np.zeros(0, dtype=np.dtype(dtype))
        for name, (dtype, offset, size) in header["arrays"].items()
    }
    return arrays, header


class FrequentTable:
    """The frequent terms of every segment of a generation in one table, sorted by hash.

    A million articles' 500 segments each keep most of the same few thousand frequent terms.
    Looked up segment by segment, a term cost a bisection and a check of its text in each, 7 µs a
    segment and 2 ms a term; here one bisection finds its row in each segment that keeps it.

    Rows are found by hash (TermKey.first: 64 bits of a BLAKE2 digest of the field and the term),
    and the first row's text is checked: a term looked up shares its hash with one of the few
    thousand frequent terms about once in 4 * 10**15 lookups, and is then told apart from it
    row by row. Counting a completion's documents (document_counts, which only ranks
    completions) trusts the hash.

    It holds 24 bytes for each row of every segment (26 MB at a million articles) and is made
    again when the generation's segments change (80 ms there).

    Args:
        segments: each leaf's frequent terms (None: it keeps none), by leaf number.
    """

    def __init__(self, segments: list[FrequentTerms | None]) -> None:
        self._segments = segments
        kept = [(leaf, segment) for leaf, segment in enumerate(segments) if segment is not None]
        tables = [segment._arrays for _, segment in kept]  # noqa: SLF001
        hashes = _joined([table["term_hashes"] for table in tables], np.uint64)
        order = np.argsort(hashes, kind="stable")  # stable: a term's rows stay in leaf order
        self._hashes = hashes[order]
        sizes = [len(table["term_hashes"]) for table in tables]
        self._leaves = np.repeat(np.array([leaf for leaf, _ in kept], dtype=np.int32), sizes)[order]
        self._entries = _joined([np.arange(size, dtype=np.int32) for size in sizes], np.int32)[order]
        documents = _joined([table["term_counts"] for table in tables], np.int64)[order]
        self._documents_before = np.concatenate(([0], np.cumsum(documents)))

    def rows(self, key: TermKey) -> dict[int, int]:
        """The term's row (entry) in each leaf that keeps it, by leaf."""
        first = np.uint64(key.first)
        low, high = self._hashes.searchsorted(first, "left"), self._hashes.searchsorted(first, "right")
        rows = zip(self._leaves[low:high].tolist(), self._entries[low:high].tolist(), strict=True)
        if low == high or self._holds(int(self._leaves[low]), int(self._entries[low]), key):
            return dict(rows)
        return {leaf: entry for leaf, entry in rows if self._holds(leaf, entry, key)}

    def _holds(self, leaf: int, entry: int, key: TermKey) -> bool:
        return self._segments[leaf].holds(entry, key)  # type: ignore[union-attr]  # a leaf with rows has its table

    def document_counts(self, hashes: np.ndarray) -> np.ndarray:
        """In how many documents each term (by TermKey.first) is, counted in the segments that keep
        it as a frequent term."""
        low = self._hashes.searchsorted(hashes, "left")
        high = self._hashes.searchsorted(hashes, "right")
        return self._documents_before[high] - self._documents_before[low]


def distinct_terms(segments: list[FrequentTerms | None], fieldname: str) -> list[bytes]:
    """The frequent terms of a field in any of these segments, each once: told apart by hash
    first, so only distinct terms are read as text (a million articles' 500 segments hold a
    million frequent terms, mostly the same few thousand)."""
    hashes, owners, rows = [], [], []
    for number, segment in enumerate(segments):
        if segment is not None:
            segment_hashes, segment_rows = segment.hashes(fieldname)
            hashes.append(segment_hashes)
            rows.append(segment_rows)
            owners.append(np.full(len(segment_rows), number))
    if not hashes:
        return []
    _, first = np.unique(np.concatenate(hashes), return_index=True)
    found_in, found_at = np.concatenate(owners)[first].tolist(), np.concatenate(rows)[first].tolist()
    return [segments[owner]._text(row) for owner, row in zip(found_in, found_at, strict=True)]  # type: ignore[union-attr]  # noqa: SLF001


def min_documents(fieldname: str) -> int:
    """In how many of a segment's documents a term of this field must be to be kept here."""
    return FREQUENT_MIN_DF_BY_FIELD.get(fieldname, FREQUENT_MIN_DF)


def min_positioned(fieldname: str) -> int:
    """In how many of a segment's documents a term of a positional field must be for its
    positions to be kept here too."""
    return POSITIONED_MIN_DF_BY_FIELD.get(fieldname, POSITIONED_MIN_DF)


def open_frequent_terms(folder: Path, segment_id: str) -> FrequentTerms | None:
    """The frequent terms of a segment, or None when it has none (or was written without them)."""
    path = folder / f"{segment_id}{EXTENSION}"
    return FrequentTerms(path) if path.exists() else None


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts, dtype=dtype) if parts else np.zeros(0, dtype=dtype)


def _whole_if_exact(weights: np.ndarray) -> np.ndarray:
    """The weights as the narrowest unsigned type when they are all whole numbers, as a term's
    count times its field's boost is; as they are otherwise."""
    whole = _smallest(weights.astype(np.int64)) if len(weights) and weights.min() >= 0 else None
    return whole if whole is not None and np.array_equal(whole, weights) else weights


def _smallest(values: np.ndarray) -> np.ndarray:
    """The values as the narrowest unsigned type that holds them."""
    top = int(values.max()) if len(values) else 0
    for dtype in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(dtype).max:
            return values.astype(dtype)
    return values.astype(np.uint64)


def _padded(size: int) -> int:
    return -(-size // _ALIGN) * _ALIGN
