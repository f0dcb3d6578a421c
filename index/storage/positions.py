"""How a posting's positions are stored: little-endian 16-bit gaps, or 32-bit ones after a marker
when a gap is wider (see schema.CompactPositions)."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from itertools import accumulate, chain
from operator import sub

WIDE = b"W"  # one byte before 32-bit gaps: their length, 1 + 4n, is odd; 16-bit gaps' is even
_BIG_ENDIAN = sys.byteorder == "big"


def encode_positions(positions: list[int]) -> bytes:
    """Positions as gaps, 16-bit unless one is wider."""
    try:  # straight into 16 bits: most gaps fit, and a 32-bit array first cost a third more
        return _little_endian(array("H", _gaps(positions))).tobytes()
    except OverflowError:  # a gap wider than 16 bits
        return WIDE + _little_endian(array("I", _gaps(positions))).tobytes()


def _gaps(positions: list[int]) -> Iterator[int]:
    return map(sub, positions, chain((0,), positions))


def decode_positions(value: bytes) -> list[int]:
    """The positions :func:`encode_positions` encoded."""
    gaps = array("H") if len(value) % 2 == 0 else array("I")
    gaps.frombytes(value if gaps.typecode == "H" else value[len(WIDE) :])
    return list(accumulate(_little_endian(gaps)))


def _little_endian(values: array) -> array:  # type: ignore[type-arg]
    """The array in little-endian byte order (the file's), from or to this machine's."""
    if _BIG_ENDIAN:
        values.byteswap()
    return values
