"""Each segment's frequent terms, also kept as flat NumPy arrays in a file beside the segment.

Reading a common term from Whoosh unpickles every posting block, positions included: about
150 ms the first time a word found in most of 100k articles is asked for. Whoosh also checks a
phrase document by document: two seconds for a phrase in half of them. The terms found in at
least ``min_documents(field)`` documents of a segment are written a second time, into ``<segment>.frq``:
their document numbers, weights and, for positional fields, each posting's positions. A term
mask, its scores and a phrase over such terms are then a few array slices, with no Python per
posting; rarer terms, a few blocks each, are still read from Whoosh.

The file is written after Whoosh assembles the segment (so it is not packed into the compound
file) and carries the segment's name, so Whoosh deletes it together with the segment.
"""

from __future__ import annotations

import json
import mmap
import struct
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np

from index.errors import IndexDamagedError

FREQUENT_MIN_DF = 256  # two posting blocks
# Titles are short, so their words are rarer; but a phrase is looked for in titles as well as
# bodies, and reading a word's positions from Whoosh in every segment costs more than keeping it.
FREQUENT_MIN_DF_BY_FIELD = {"title": 32}
EXTENSION = ".frq"
_MAGIC = b"ARCHFRQ1"
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
        self._terms: list[tuple[str, str, int, int, int]] = []  # field, term hex, start, count, position start
        self._ids: list[tuple[int, ...]] = []
        self._weights: list[list[float]] = []
        self._counts: list[list[int]] = []
        self._positions: list[list[int]] = []
        self._postings = 0
        self._positioned = 0

    def add(
        self,
        fieldname: str,
        btext: bytes,
        ids: tuple[int, ...],
        weights: list[float],
        positions: list[list[int]] | None,
    ) -> None:
        """Keep a term's postings, if it is frequent enough to be worth it.

        Args:
            fieldname: the field.
            btext: the term.
            ids: segment document numbers, ascending.
            weights: the term's weight in each document.
            positions: for positional fields, each document's positions of the term.
        """
        if len(ids) < min_documents(fieldname):
            return
        position_start = -1
        if positions is not None:
            position_start = self._positioned
            counts = list(map(len, positions))
            self._counts.append(counts)
            self._positions.append(list(chain.from_iterable(positions)))
            self._positioned += sum(counts)
        else:
            self._counts.append([0] * len(ids))
        self._terms.append((fieldname, btext.hex(), self._postings, len(ids), position_start))
        self._ids.append(ids)
        self._weights.append(weights)
        self._postings += len(ids)

    def save(self, folder: Path, segment_id: str) -> None:
        """Write the file of segment ``segment_id`` into the index folder (nothing if no term qualified)."""
        if not self._terms:
            return
        weights = np.fromiter(chain.from_iterable(self._weights), np.float32, self._postings)
        counts = np.fromiter(chain.from_iterable(self._counts), np.int64, self._postings)
        per_position = self._weight_per_position(weights, counts)
        arrays = {
            "ids": _smallest(np.fromiter(chain.from_iterable(self._ids), np.int64, self._postings)),
            "weights": _whole_if_exact(weights),
            "positions": _smallest(np.fromiter(chain.from_iterable(self._positions), np.int64, self._positioned)),
        }
        if per_position is None:
            arrays["counts"] = _smallest(counts)
        layout, offset = {}, 0
        for name, array in arrays.items():
            layout[name] = [array.dtype.str, offset, len(array)]
            offset += _padded(array.nbytes)
        header = {"terms": self._terms, "arrays": layout, "weight_per_position": per_position or {}}
        encoded = json.dumps(header).encode("utf-8")
        path = folder / f"{segment_id}{EXTENSION}"
        with open(path, "wb") as file:
            file.write(_MAGIC + _HEADER_LENGTH.pack(len(encoded)) + encoded)
            file.write(b"\0" * (_padded(file.tell()) - file.tell()))
            for array in arrays.values():
                file.write(array.tobytes())
                file.write(b"\0" * (_padded(array.nbytes) - array.nbytes))

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
            self._arrays, self._terms, self._weight_per_position = _read(path)
        except (struct.error, ValueError, KeyError, TypeError) as error:  # cut short or garbled
            raise IndexDamagedError(f"{path.name} cannot be read ({error})") from error

    def __contains__(self, key: tuple[str, bytes]) -> bool:
        return key in self._terms

    def terms(self, fieldname: str) -> list[bytes]:
        """The segment's frequent terms of one field."""
        return [btext for field, btext in self._terms if field == fieldname]

    def document_count(self, fieldname: str, btext: bytes) -> int:
        """In how many of the segment's documents a frequent term is; 0 for any other term."""
        found = self._terms.get((fieldname, btext))
        return found[1] if found is not None else 0

    def get(self, fieldname: str, btext: bytes) -> TermPostings | None:
        """The term's documents and weights in this segment (no positions), or None when it is
        not one of the segment's frequent terms."""
        found = self._terms.get((fieldname, btext))
        return None if found is None else TermPostings(*self._ids_and_weights(found[0], found[1]), None, None)

    def with_positions(self, fieldname: str, btext: bytes) -> TermPostings | None:
        """The term's postings with their positions, or None as for :meth:`get`; the positions
        are None too for fields that keep none."""
        found = self._terms.get((fieldname, btext))
        if found is None:
            return None
        start, count, position_start = found
        ids, weights = self._ids_and_weights(start, count)
        if position_start < 0:
            return TermPostings(ids, weights, None, None)
        counts = self._counts(fieldname, start, count, weights)
        positions = self._arrays["positions"][position_start : position_start + int(counts.sum())]
        return TermPostings(ids, weights, counts, positions)

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


def _read(
    path: Path,
) -> tuple[dict[str, np.ndarray], dict[tuple[str, bytes], tuple[int, int, int]], dict[str, float]]:
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
    terms = {
        (fieldname, bytes.fromhex(term)): (start, count, position_start)
        for fieldname, term, start, count, position_start in header["terms"]
    }
    # Files written before the counts could be left out hold them, and no weight per position.
    return arrays, terms, header.get("weight_per_position", {})


def min_documents(fieldname: str) -> int:
    """In how many of a segment's documents a term of this field must be to be kept here."""
    return FREQUENT_MIN_DF_BY_FIELD.get(fieldname, FREQUENT_MIN_DF)


def open_frequent_terms(folder: Path, segment_id: str) -> FrequentTerms | None:
    """The frequent terms of a segment, or None when it has none (or was written without them)."""
    path = folder / f"{segment_id}{EXTENSION}"
    return FrequentTerms(path) if path.exists() else None


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
