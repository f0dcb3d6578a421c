"""Writing Whoosh segments fast: postings grouped by term in memory and written a block at a time.

Whoosh's writer spends most of its time on per-posting Python: its pool does size bookkeeping
for every posting and sorts all of them, and its field writer passes each posting through four
method calls and a handful of type checks. Here the pool makes a whole segment's postings of
pre-analysed text at once, from each document's terms, and keeps other postings grouped by term as
they arrive; the field writer writes each term's blocks in one go. The files written are
Whoosh's own format, read by Whoosh's own readers.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import chain, count
from operator import itemgetter, sub
from pathlib import Path
from pickle import dumps
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from deflate import zlib_compress
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3PerDocWriter, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import length_to_byte

from index.storage.frequent import FrequentTermsWriter, min_documents, min_positioned
from index.storage.positions import encode_positions
from index.storage.term_filter import TermFilterWriter

if TYPE_CHECKING:
    from index.storage.schema import PreAnalyzed

TEMP_SUFFIX = ".tmp"  # Whoosh's writers' temporary folders inside the index folder.
# A posting as Whoosh's writer produces it: (field name, term bytes, document number, weight, value).
PoolItem = tuple[str, bytes, int, float, bytes]
# Document number, weight, and value (encoded positions).
TermPosting = tuple[int, float, bytes]
# Blocks of fewer postings are stored uncompressed (each block records its own level): most terms
# are rare, and compressing a few dozen bytes costs more time than it saves space.
COMPRESSED_FROM = 8
# Whoosh pickles a block's postings with protocol 2, where each posting's bytes become a call of
# codecs.encode on a latin-1 string, about 13 bytes apiece; protocol 4 and later write them as
# bytes with a one-byte length and memoize in one byte. Postings files are 43 % smaller, read by
# Whoosh's own reader (which unpickles whatever protocol) and faster to unpickle. Block headers
# stay at 2: they hold no bytes, and protocol 4's frame would add 9 bytes to each.
BLOCK_PROTOCOL = 5
_HEADER_PROTOCOL = 2
# Terms in this few documents of a segment keep their postings in their term info, as Whoosh's
# format allows: a posting list of its own costs about 60 bytes more (a header, a block header and
# a pickle), and most terms of a segment are in one or two documents.
INLINED_UP_TO = 3
_INLINED_FLAG = b"\x01"  # the first byte of W3TermInfo's statistics: postings inlined
# Protocol 3 writes bytes as protocol 5 does, without the 9-byte frame: a third of a lone posting.
_INLINED_PROTOCOL = 3
# Blocks' field-length bounds, not kept (see SegmentCodec.length_stats): encoded as Whoosh does.
_NO_LENGTH = length_to_byte(None)


class SegmentCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's codec, fit for several writers at once, writing a term's postings at once.

    Whoosh puts every writer's temporary column files in one folder, which the first writer to
    finish deletes; here each writer gets its own.

    Writing length bounds looks up every posting's document length in a column, a fifth of
    commit time. Only Whoosh's block-quality skipping reads them, and a bound of 0 makes it
    conservative, never wrong; relevance here is scored from the length columns (search.py).

    Segments record their codec; this one is recorded as Whoosh's own, which reads the same
    files, so an index never depends on this module's names.
    """

    length_stats = False

    def __init__(self, blocklimit: int = 128, compression: int = 1, inlinelimit: int = 1) -> None:
        # zlib level 1 rather than Whoosh's 3: posting blocks 6 % bigger, written 18 % faster. They
        # are compressed by libdeflate, into the zlib format Whoosh reads: a block is a few hundred
        # bytes, and zlib cleared and freed 256 KB of tables for each (30 % slower, 0.4 % bigger).
        super().__init__(blocklimit, compression, inlinelimit)

    def __reduce__(self) -> tuple[type, tuple[int, int, int]]:
        return W3Codec, (self._blocklimit, self._compression, self._inlinelimit)

    def per_document_writer(self, storage: Any, segment: Any) -> W3PerDocWriter:
        return W3PerDocWriter(self, _PrivateTempStorage(storage), segment)

    def field_writer(self, storage: Any, segment: Any) -> W3FieldWriter:
        return _GroupedFieldWriter(self, storage, segment)


class _PrivateTempStorage:
    """A storage whose temporary storages have names of their own (see SegmentCodec)."""

    def __init__(self, storage: Any) -> None:
        self._storage = storage

    def temp_storage(self, name: str | None = None) -> Any:
        return self._storage.temp_storage(f"{random_name()}{TEMP_SUFFIX}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._storage, name)


class PooledTerm(NamedTuple):
    """One term's postings in a segment, in document order, as the field writer writes them."""

    docnums: tuple[int, ...]
    weights: list[float]  # with the precision Whoosh stores them in (32 bits)
    values: tuple[bytes, ...]  # each posting's value: its positions as the field's format encodes them
    # Each posting's number of positions and all the positions, posting after posting; None when
    # only the values hold them (the writer decodes them when it needs them).
    positions: Callable[[], tuple[np.ndarray, np.ndarray]] | None


class TermGroupedPool:
    """Stands in for Whoosh's PostingPool: collects a segment's postings, to be written term by term.

    A segment's postings fit in memory (the indexer bounds the files per segment), so nothing is
    spilled to disk. Pre-analysed text reaches the pool as one item per field and document (see
    :class:`BulkPostings`), its terms appended to the field's :class:`_TermStream`, which makes
    the postings of the whole segment at once; other postings (keyword fields, and every posting
    of a segment being merged) are grouped by field and term as they arrive.
    """

    def __init__(self) -> None:
        self._streams: dict[str, _TermStream] = {}
        # By field, then term: a tuple key would be built and hashed again for every posting.
        self.fields: defaultdict[str, defaultdict[bytes, list[TermPosting]]] = defaultdict(lambda: defaultdict(list))
        # Documents arrive in number order, so each term's postings do, except when segments are
        # merged: only then are they sorted.
        self._last_docnum = -1
        self._in_order = True

    def add(self, item: PoolItem) -> None:
        fieldname, btext, docnum, weight, value = item
        if docnum < self._last_docnum:
            self._in_order = False
        self._last_docnum = docnum
        if not isinstance(value, BulkPostings):
            self.fields[fieldname][btext].append((docnum, weight, value))
        elif value.terms:
            stream = self._streams.get(fieldname)
            if stream is None:
                stream = self._streams[fieldname] = _TermStream()
            stream.add(docnum, weight, value.terms)

    def iter_postings(self) -> TermGroupedPool:
        """What Whoosh's segment writer hands its field writer: the pool itself, which
        SegmentCodec's field writer reads term by term."""
        return self

    def sorted_terms(self) -> Iterator[tuple[tuple[str, bytes], PooledTerm]]:
        """Each (field name, term) in order, with its postings in document order."""
        for fieldname in sorted(self.fields.keys() | self._streams.keys()):
            stream = self._streams.pop(fieldname, None)
            if stream is not None and fieldname not in self.fields:
                for btext, term in stream.sorted_terms():
                    yield (fieldname, btext), term
                continue
            terms = self.fields[fieldname]
            if stream is not None:  # a merge adds new articles to postings copied from other segments
                for btext, term in stream.sorted_terms():
                    terms[btext].extend(zip(term.docnums, term.weights, term.values, strict=True))
                self._in_order = False
            for btext in sorted(terms):
                postings = terms[btext]
                if not self._in_order:
                    postings.sort(key=itemgetter(0))
                docnums, weights, values = zip(*postings, strict=True)
                yield (fieldname, btext), PooledTerm(docnums, array("f", weights).tolist(), values, None)

    def cleanup(self) -> None:
        self._streams.clear()
        self.fields.clear()
        self._last_docnum = -1
        self._in_order = True


class _TermStream:
    """A pre-analysed field's terms in a segment: each document's in order, one document after
    another, each distinct term as a number.

    Making each document's postings as it arrives (a position list, an encoded value and a tuple
    per posting, kept until the segment is written, then freed) was a fifth of a worker's time.
    Here a document costs one dictionary lookup per term, in C; the segment's postings are made
    together, by sorting the whole stream by term (positions stay in order within a document).
    """

    def __init__(self) -> None:
        self._numbers: defaultdict[str, int] = defaultdict(count().__next__)  # in order of first use
        # A list: extending it by a map costs a third of extending an array (which converts each
        # number as it comes); the segment's numbers are converted together at the end.
        self._terms: list[int] = []
        self._docnums: list[int] = []
        self._lengths: list[int] = []
        self._weights: list[float] = []  # per document: the weight of one occurrence (the field's boost)

    def add(self, docnum: int, weight: float, terms: Sequence[str]) -> None:
        self._terms.extend(map(self._numbers.__getitem__, terms))
        self._docnums.append(docnum)
        self._lengths.append(len(terms))
        self._weights.append(weight)

    def sorted_terms(self) -> Iterator[tuple[bytes, PooledTerm]]:
        """Each term in byte order, with its postings in document order."""
        numbers = np.array(self._terms, dtype=np.int32)
        lengths = np.array(self._lengths, dtype=np.int64)
        docnums = np.repeat(np.array(self._docnums, dtype=np.int64), lengths)
        positions = np.arange(len(numbers), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        # Documents come in number order (Whoosh numbers them as they are added), so a stable sort
        # keeps each term's positions in document and text order.
        order = _stable_order(numbers, len(self._numbers))
        numbers, docnums, positions = numbers[order], docnums[order], positions[order]
        occurrence_weights = np.repeat(np.array(self._weights, dtype=np.float64), lengths)[order]
        tokens = len(numbers)
        # Postings: runs of one term in one document.
        starts = np.flatnonzero(np.diff(numbers, prepend=-1) | np.diff(docnums, prepend=-1))
        bounds = np.append(starts, tokens)
        counts = np.diff(bounds)
        gaps = np.diff(positions, prepend=0)
        gaps[starts] = positions[starts]
        values = _encoded_values(gaps, positions, bounds)
        weights = (counts * occurrence_weights[starts]).astype(np.float32).tolist()
        posting_docnums = tuple(docnums[starts].tolist())
        # Terms: runs of postings of one term.
        term_starts = np.flatnonzero(np.diff(numbers[starts], prepend=-1))
        texts = list(self._numbers)
        btexts = [texts[number].encode("utf-8") for number in numbers[starts[term_starts]].tolist()]
        term_bounds = np.append(term_starts, len(starts)).tolist()
        for term in sorted(range(len(btexts)), key=btexts.__getitem__):
            first, end = term_bounds[term], term_bounds[term + 1]
            yield btexts[term], PooledTerm(
                posting_docnums[first:end],
                weights[first:end],
                values[first:end],
                partial(_positions_of, counts, positions, bounds, first, end),
            )


def _stable_order(numbers: np.ndarray, distinct: int) -> np.ndarray:
    """The order that sorts ``numbers`` (below 2**31; ``distinct`` values from 0 on), equal ones
    kept in their order.

    NumPy sorts 16-bit keys by radix, in linear time, and wider ones by merging: a segment's million
    terms took 73 ms, and take 5-20 ms sorted by their low 16 bits, then by their high ones.
    """
    if distinct <= 1 << 16:
        return np.argsort(numbers.astype(np.uint16), kind="stable")
    low = np.argsort((numbers & 0xFFFF).astype(np.uint16), kind="stable")
    return low[np.argsort((numbers[low] >> 16).astype(np.uint16), kind="stable")]


def _encoded_values(gaps: np.ndarray, positions: np.ndarray, bounds: np.ndarray) -> tuple[bytes, ...]:
    """Each posting's positions as CompactPositions encodes them, from the stream's gaps: two bytes
    each, sliced from one buffer; a posting with a gap wider than 16 bits is encoded on its own."""
    buffer = gaps.astype("<u2").tobytes()
    offsets = (2 * bounds).tolist()
    values = list(map(buffer.__getitem__, map(slice, offsets[:-1], offsets[1:])))
    for wide in np.flatnonzero(np.maximum.reduceat(gaps, bounds[:-1]) > 0xFFFF).tolist():
        values[wide] = encode_positions(positions[bounds[wide] : bounds[wide + 1]].tolist())
    return tuple(values)


def _positions_of(
    counts: np.ndarray, positions: np.ndarray, bounds: np.ndarray, first: int, end: int
) -> tuple[np.ndarray, np.ndarray]:
    """Postings ``first`` to ``end``'s numbers of positions, and their positions one after another."""
    return counts[first:end], positions[bounds[first] : bounds[end]]


class BulkPostings(bytes):
    """A field's whole pre-analysed text of one document, passed to the pool as one item.

    Whoosh's writer adds a field's postings to its pool one call each; a field yielding a
    single BulkPostings (see :func:`bulk_item`) gets its terms there in one. It is bytes only to
    pass Whoosh's type checks on the way.
    """

    terms: PreAnalyzed


def bulk_item(terms: PreAnalyzed, field_boost: float) -> tuple[bytes, int, float, BulkPostings]:
    """The single item a field's ``index()`` yields for a document's pre-analysed text.

    Whoosh adds up the second element, the number of terms, as the field's length and multiplies
    the third by the document's boost for the field before passing the item on to the pool, which
    weighs each posting by its count times that. The field's own boost is the field's to apply,
    as Whoosh's formats do (a title term weighs twice its count).
    """
    bulk = BulkPostings()
    bulk.terms = terms
    return b"", len(terms), field_boost, bulk


class _GroupedFieldWriter(W3FieldWriter):  # type: ignore[misc]
    """Writes a TermGroupedPool's postings term by term, each term's blocks in one write.

    Whoosh's own path costs about 65 µs of Python per term (five method calls, a term-info
    object fed block by block, a file position asked twice), and most terms of a segment are
    rare: that was a fifth of indexing time. The bytes written are Whoosh 3's postings format,
    as :class:`whoosh.codec.whoosh3.W3PostingsWriter` writes it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frequent = FrequentTermsWriter()
        self.term_filter = TermFilterWriter()
        terms_file = self._tindex.dbfile
        terms_file.file = _CountedPosition(terms_file.file)

    def start_term(self, text: bytes) -> None:
        # Whoosh's own path writes a term: the filter would not know it, so none is saved.
        self.term_filter.complete = False
        super().start_term(text)

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        if not isinstance(items, TermGroupedPool):
            super().add_postings(schema, lengths, items)
            return
        current_field = None
        add_term = self._tindex.add
        filter_term = self.term_filter.add
        # Only this loop writes to the postings file: keep its position rather than ask the file.
        offset = self._postfile.tell()
        for (fieldname, btext), term in items.sorted_terms():
            if fieldname != current_field:
                if current_field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                current_field = fieldname
                field_id = pack_ushort(self._fieldid)
                fixed_size = self._format.fixed_value_size()
                positional = self._format.supports("positions")
            terminfo, written = self._write_term_postings(term, fixed_size, offset)
            offset += written
            add_term(field_id + btext, terminfo)
            filter_term(fieldname, btext)
            if len(term.docnums) >= min_documents(fieldname):
                kept = positional and len(term.docnums) >= min_positioned(fieldname)
                counts, positions = self._positions(term) if kept else (None, None)
                self.frequent.add(fieldname, btext, term.docnums, term.weights, counts, positions, positional)
        if current_field is not None:
            self.finish_field()

    def _positions(self, term: PooledTerm) -> tuple[np.ndarray, np.ndarray]:
        """Each posting's number of positions, and the positions one posting after another."""
        if term.positions is not None:
            return term.positions()
        # Postings copied from another segment (a merge) carry their positions encoded only.
        decoded = [self._format.decode_positions(value) for value in term.values]
        counts = np.fromiter(map(len, decoded), np.int64, len(decoded))
        return counts, np.fromiter(chain.from_iterable(decoded), np.int64, int(counts.sum()))

    def _write_term_postings(self, term: PooledTerm, fixed_size: int | None, offset: int) -> tuple[bytes, int]:
        """Write one term's postings as blocks, at ``offset`` in the postings file, or inline them
        in its term info when they are few.

        Returns:
            The term info's bytes, and the number of bytes written to the postings file.
        """
        docnums, weights, values, _ = term
        terminfo = W3TermInfo(
            weight=sum(weights), df=len(docnums), maxweight=max(weights), minid=docnums[0], maxid=docnums[-1]
        )
        if len(docnums) <= INLINED_UP_TO:
            inlined_values = None if fixed_size == 0 else values
            return _inlined_terminfo(terminfo, docnums, weights, inlined_values), 0
        limit, level = self._codec._blocklimit, self._codec._compression  # noqa: SLF001
        chunks: list[bytes | bytearray] = [WHOOSH3_HEADER_MAGIC]
        for start in range(0, len(docnums), limit):
            end = start + limit
            ids, block_weights = docnums[start:end], weights[start:end]
            data: bytes | bytearray = dumps(
                (_deltas(ids), _mini_weights(block_weights), _mini_values(values[start:end], fixed_size)),
                BLOCK_PROTOCOL,
            )
            compression = level if len(ids) >= COMPRESSED_FROM else 0
            if compression:
                data = zlib_compress(data, compression)
            info = dumps((len(ids), ids[-1], max(block_weights), compression, _NO_LENGTH, _NO_LENGTH), _HEADER_PROTOCOL)
            size = len(info) + len(data)
            chunks += (pack_int(-size if end >= len(docnums) else size), info, data)
        payload = b"".join(chunks)
        terminfo.set_extent(offset, len(payload))
        self._postfile.write(payload)
        return terminfo.to_bytes(), len(payload)


class _CountedPosition:
    """A file written front to back, its position counted rather than asked of the system.

    A buffered file's ``tell()`` after a write is a system call (``lseek``), and Whoosh's term
    index asks for it before each term it adds: 1.4 % of a worker's time in a build.
    """

    def __init__(self, file: Any) -> None:
        self._file = file
        self._position: int = file.tell()

    def write(self, data: bytes) -> int:
        written: int = self._file.write(data)
        self._position += written
        return written

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        self._position = self._file.seek(offset, whence)
        return self._position

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def _inlined_terminfo(
    terminfo: W3TermInfo, docnums: tuple[int, ...], weights: list[float], values: tuple[bytes, ...] | None
) -> bytes:
    """A term info's bytes with the postings inside, as Whoosh's reader reads them.

    Whoosh writes its statistics, then the postings pickled with protocol 2; its own writer
    never gets there (it calls a method W3TermInfo lacks), so the postings are pickled here, with
    the blocks' protocol, after the statistics Whoosh packs.
    """
    terminfo.set_extent(0, 0)
    statistics = terminfo.to_bytes()[: W3TermInfo._struct.size]  # noqa: SLF001
    # No weights reads as all 1.0; whole weights (title terms weigh twice their count) pickle as
    # ints, in two bytes rather than a float's nine.
    stored_weights = None if all(w == 1.0 for w in weights) else tuple(int(w) if w.is_integer() else w for w in weights)
    return _INLINED_FLAG + statistics[1:] + dumps((docnums, stored_weights, values), _INLINED_PROTOCOL)


def _deltas(ids: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(map(sub, ids, (0, *ids[:-1])))


def _mini_weights(weights: list[float]) -> float | tuple[float, ...] | None:
    """A block's weights as Whoosh stores them: None when all 1, one number when all equal."""
    first = weights[0]
    if all(weight == first for weight in weights):
        return None if first == 1.0 else first
    return tuple(weights)


def _mini_values(values: tuple[bytes, ...], fixed_size: int | None) -> tuple[bytes, ...] | bytes | None:
    if fixed_size is None or fixed_size < 0:
        return values
    return None if fixed_size == 0 else b"".join(values)


def finish_segment(writer: Any) -> Any:
    """Finish a segment writer's new segment, with its frequent-terms and term-filter files;
    return the segment.

    The files are written once Whoosh has assembled the segment's own files into one, which would
    otherwise take them in (see frequent.py).
    """
    segment = writer._finalize_segment()  # noqa: SLF001
    fieldwriter = writer.fieldwriter
    if isinstance(fieldwriter, _GroupedFieldWriter):
        folder = Path(writer.storage.folder)
        fieldwriter.frequent.save(folder, segment.segment_id())
        fieldwriter.term_filter.save(folder, segment.segment_id())
    return segment
