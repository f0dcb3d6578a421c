"""Which segments may hold a term: a Bloom filter of each segment's terms, beside the segment.

A term's postings are looked up in every segment, and each Whoosh lookup costs 30–60 µs of
Python whether the term is there or not. A million articles make 500 segments, and most terms a
query stands for (a rare word, an entity's other spellings, a stem in another language) are in
few of them: looking one up cost 15–30 ms, mostly finding nothing. Each segment's terms are
written, hashed, into ``<segment>.tfl``; the searcher asks all segments' filters at once, with
array operations (tens of µs), and looks the term up only where it may be.

A filter never forgets a term it was given, and one wrongly saying a term is present only costs
the lookup it would have cost anyway. What must never happen is a filter missing a term of its
segment: it is only written when every term of the segment went through it, and one that cannot
be read whole and unchanged (its checksum) counts as absent: every term may be in that segment.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

EXTENSION = ".tfl"
_MAGIC = b"ARCHTFL1"  # the hashing below is part of the format: change both together
_HEADER = struct.Struct("<IQ")  # checksum of the bits, their number of bytes
BITS_PER_TERM = 10
HASHES = 7  # the number of probes that wrongs fewest absent terms at 10 bits a term: about 1 %
_WORD = (1 << 64) - 1
# A segment without a filter: every probe finds its one byte's bits set.
EVERY_TERM = np.full(1, 0xFF, dtype=np.uint8)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TermKey:
    """A field's term and its 128-bit hash, as two 64-bit halves: the filters probe with both
    (double hashing), the segments' frequent-terms tables are sorted by the first."""

    fieldname: str
    btext: bytes
    first: int
    step: int

    @classmethod
    def of(cls, fieldname: str, btext: bytes) -> TermKey:
        digest = _digest(fieldname, btext)
        return cls(fieldname, btext, int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little"))

    def probes(self) -> np.ndarray:
        """The HASHES hash values ``first + i * step`` (modulo 2**64), as unsigned 64-bit
        integers; taken modulo a filter's number of bits, the bits it sets or looks at."""
        return np.array([(self.first + i * self.step) & _WORD for i in range(HASHES)], dtype=np.uint64)


def _digest(fieldname: str, btext: bytes) -> bytes:
    # 0xFF is no byte of UTF-8: the field's name ends where it stands.
    return hashlib.blake2b(fieldname.encode("utf-8", "surrogatepass") + b"\xff" + btext, digest_size=16).digest()


class TermFilterWriter:
    """Collects a segment's terms as the field writer writes them, and saves their filter."""

    def __init__(self) -> None:
        self._digests = bytearray()
        self.complete = True  # False once a term was written without passing through add()

    def add(self, fieldname: str, btext: bytes) -> None:
        self._digests += _digest(fieldname, btext)

    def bits(self) -> np.ndarray:
        """The filter: BITS_PER_TERM bits a term, at least a byte, packed little-endian."""
        pairs = np.frombuffer(bytes(self._digests), dtype="<u8").reshape(-1, 2)
        size = max(1, -(-len(pairs) * BITS_PER_TERM // 8)) * 8
        steps = np.arange(HASHES, dtype=np.uint64)
        # uint64 arithmetic wraps as TermKey.probes() masks: the same positions either way.
        positions = (pairs[:, :1] + steps * pairs[:, 1:]) % np.uint64(size)
        marked = np.zeros(size, dtype=bool)
        marked[positions.ravel()] = True
        return np.packbits(marked, bitorder="little")

    def save(self, folder: Path, segment_id: str) -> None:
        """Write ``<segment_id>.tfl`` into the index folder; nothing when some term was missed."""
        if not self.complete:
            return
        bits = self.bits().tobytes()
        with open(folder / f"{segment_id}{EXTENSION}", "wb") as file:
            file.write(_MAGIC + _HEADER.pack(zlib.crc32(bits), len(bits)) + bits)


def read_term_filter(folder: Path, segment_id: str) -> np.ndarray:
    """A segment's filter bits; EVERY_TERM when it has none, or one that is damaged (logged)."""
    path = folder / f"{segment_id}{EXTENSION}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return EVERY_TERM
    except OSError as error:
        log.warning("term filter %s cannot be read (%s): every term is looked up in its segment", path, error)
        return EVERY_TERM
    start = len(_MAGIC) + _HEADER.size
    if len(data) >= start and data.startswith(_MAGIC):
        checksum, length = _HEADER.unpack_from(data, len(_MAGIC))
        bits = data[start:]
        if length and len(bits) == length and zlib.crc32(bits) == checksum:
            return np.frombuffer(bits, dtype=np.uint8)
    log.warning("term filter %s is damaged: every term is looked up in its segment", path)
    return EVERY_TERM


class TermFilters:
    """The filters of a searcher's segments, in its order, asked all at once.

    Args:
        folder: the Whoosh index folder.
        segment_ids: the segments in the searcher's order; None for an empty index's reader.
        previous: the filters of an earlier generation; those of shared segments are not read again.
    """

    def __init__(self, folder: Path, segment_ids: list[str | None], previous: TermFilters | None = None) -> None:
        known = previous.by_segment if previous is not None else {}
        parts = [
            EVERY_TERM
            if segment_id is None
            else known[segment_id]
            if segment_id in known
            else read_term_filter(folder, segment_id)
            for segment_id in segment_ids
        ]
        sizes = np.array([len(part) for part in parts], dtype=np.uint64)
        starts = np.cumsum(sizes) - sizes
        self._bits = np.concatenate(parts) if parts else EVERY_TERM.copy()
        self._sizes = sizes * np.uint64(8)
        self._starts = starts * np.uint64(8)
        # Kept as views of the one array: the next generation copies them from here.
        self.by_segment: dict[str, np.ndarray] = {
            segment_id: self._bits[start : start + len(part)]
            for segment_id, start, part in zip(segment_ids, starts.tolist(), parts, strict=True)
            if segment_id is not None
        }

    def segments_holding(self, key: TermKey) -> np.ndarray:
        """The positions of the segments that may hold the term, ascending."""
        positions = key.probes()[:, None] % self._sizes + self._starts
        found = self._bits[positions >> np.uint64(3)] >> (positions & np.uint64(7)).astype(np.uint8)
        return np.flatnonzero(np.bitwise_and.reduce(found, axis=0) & 1)
