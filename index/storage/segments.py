"""Writing Whoosh segments fast: postings grouped by term in memory and written a block at a time.

Whoosh's writer spends most of its time on per-posting Python: its pool does size bookkeeping
for every posting and sorts all of them, and its field writer passes each posting through four
method calls and a handful of type checks. Here the pool keeps each term's postings together as
they arrive, and the field writer writes each term's blocks in one go. The files written are
Whoosh's own format, read by Whoosh's own readers.
"""

from __future__ import annotations

import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Iterator
from itertools import repeat
from operator import itemgetter, mul, sub
from pathlib import Path
from pickle import dumps
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3PerDocWriter, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import length_to_byte

from index.storage.frequent import FrequentTermsWriter, min_documents, min_positioned
from index.storage.term_filter import TermFilterWriter

if TYPE_CHECKING:
    from index.storage.schema import PreAnalyzed

TEMP_SUFFIX = ".tmp"  # Whoosh's writers' temporary folders inside the index folder.
# A posting as Whoosh's writer produces it: (field name, term bytes, document number, weight, value).
PoolItem = tuple[str, bytes, int, float, bytes]
# Document number, weight, encoded positions, and the positions when known.
TermPosting = tuple[int, float, bytes, list[int] | None]
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
        # zlib level 1 rather than Whoosh's 3: posting blocks 6 % bigger, written 18 % faster.
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


class TermGroupedPool:
    """Stands in for Whoosh's PostingPool: groups postings by field and term as they arrive.

    A segment's postings fit in memory (the indexer bounds the files per segment), so only the
    terms need sorting. Pre-analysed text reaches the pool as one item per field and document
    (see :class:`BulkPostings`), not one per posting.
    """

    def __init__(self) -> None:
        # By field, then term: a tuple key would be built and hashed again for every posting.
        self.fields: defaultdict[str, defaultdict[bytes, list[TermPosting]]] = defaultdict(lambda: defaultdict(list))
        # Documents arrive in number order, so each term's postings do, except when segments are
        # merged: only then are they sorted (a key per posting, 1 % of a worker's time).
        self._last_docnum = -1
        self._in_order = True

    def add(self, item: PoolItem) -> None:
        fieldname, btext, docnum, weight, value = item
        if docnum < self._last_docnum:
            self._in_order = False
        self._last_docnum = docnum
        terms = self.fields[fieldname]
        if isinstance(value, BulkPostings) and value.postings:
            # In C from end to end (a Python loop here was a tenth of writing a segment): each
            # posting's tuple made by zip, appended to its term's list by map.
            term_texts, encoded, positions = zip(*value.postings, strict=True)
            # Whole weights (nearly all: counts times a field's boost) stay ints, small ones shared
            # by every posting, where floats were an object each to make and free; the writer
            # stores them as floats (see _write_term_postings).
            factor = int(weight) if float(weight).is_integer() else weight
            weights = map(mul, map(len, positions), repeat(factor))
            items = zip(repeat(docnum), weights, encoded, positions)
            deque(map(list.append, map(terms.__getitem__, term_texts), items), maxlen=0)
        elif not isinstance(value, BulkPostings):
            terms[btext].append((docnum, weight, value, None))

    def iter_postings(self) -> TermGroupedPool:
        """What Whoosh's segment writer hands its field writer: the pool itself, which
        SegmentCodec's field writer reads term by term."""
        return self

    def sorted_terms(self) -> Iterator[tuple[tuple[str, bytes], list[TermPosting]]]:
        """Each (field name, term) in order, with its postings in document order."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for term in sorted(terms):
                postings = terms[term]
                if not self._in_order:
                    postings.sort(key=itemgetter(0))
                yield (fieldname, term), postings

    def cleanup(self) -> None:
        self.fields.clear()
        self._last_docnum = -1
        self._in_order = True


class BulkPostings(bytes):
    """A field's whole pre-analysed postings for one document, passed to the pool as one item.

    Whoosh's writer adds a field's postings to its pool one call each; a field yielding a
    single BulkPostings (see :func:`bulk_item`) gets them there in one. It is bytes only to
    pass Whoosh's type checks on the way.
    """

    postings: PreAnalyzed


def bulk_item(postings: PreAnalyzed, length: int, field_boost: float) -> tuple[bytes, int, float, BulkPostings]:
    """The single item a field's ``index()`` yields for a document's pre-analysed postings.

    Whoosh adds up the second element as the field's length and multiplies the third by the
    document's boost for the field before passing the item on to the pool, which weighs each
    posting by its count times that. The field's own boost is the field's to apply, as Whoosh's
    formats do (a title term weighs twice its count).
    """
    bulk = BulkPostings()
    bulk.postings = postings
    return b"", length, field_boost, bulk


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
        for (fieldname, btext), postings in items.sorted_terms():
            if fieldname != current_field:
                if current_field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                current_field = fieldname
                field_id = pack_ushort(self._fieldid)
                fixed_size = self._format.fixed_value_size()
                positional = self._format.supports("positions")
            docnums, weights, terminfo, written = self._write_term_postings(postings, fixed_size, offset)
            offset += written
            add_term(field_id + btext, terminfo)
            filter_term(fieldname, btext)
            if len(docnums) >= min_documents(fieldname):
                kept = positional and len(docnums) >= min_positioned(fieldname)
                positions = [self._positions(posting) for posting in postings] if kept else None
                self.frequent.add(fieldname, btext, docnums, weights, positions, positional)
        if current_field is not None:
            self.finish_field()

    def _positions(self, posting: TermPosting) -> list[int]:
        # Postings copied from another segment (a merge) carry their positions encoded only.
        positions = posting[3]
        return positions if positions is not None else list(self._format.decode_positions(posting[2]))

    def _write_term_postings(
        self, postings: list[TermPosting], fixed_size: int | None, offset: int
    ) -> tuple[tuple[int, ...], list[float], bytes, int]:
        """Write one term's postings (in document order) as blocks, at ``offset`` in the postings file,
        or inline them in its term info when they are few.

        Returns:
            The document numbers, the weights as stored, the term info's bytes, and the number of
            bytes written to the postings file.
        """
        docnums, raw_weights, values, _ = zip(*postings, strict=True)
        weights: list[float] = array("f", raw_weights).tolist()  # The precision Whoosh stores weights in.
        terminfo = W3TermInfo(
            weight=sum(weights), df=len(docnums), maxweight=max(weights), minid=docnums[0], maxid=docnums[-1]
        )
        if len(docnums) <= INLINED_UP_TO:
            inlined_values = None if fixed_size == 0 else values
            return docnums, weights, _inlined_terminfo(terminfo, docnums, weights, inlined_values), 0
        limit, level = self._codec._blocklimit, self._codec._compression  # noqa: SLF001
        chunks = [WHOOSH3_HEADER_MAGIC]
        for start in range(0, len(docnums), limit):
            end = start + limit
            ids, block_weights = docnums[start:end], weights[start:end]
            data = dumps(
                (_deltas(ids), _mini_weights(block_weights), _mini_values(values[start:end], fixed_size)),
                BLOCK_PROTOCOL,
            )
            compression = level if len(ids) >= COMPRESSED_FROM else 0
            if compression:
                data = zlib.compress(data, compression)
            info = dumps((len(ids), ids[-1], max(block_weights), compression, _NO_LENGTH, _NO_LENGTH), _HEADER_PROTOCOL)
            size = len(info) + len(data)
            chunks += (pack_int(-size if end >= len(docnums) else size), info, data)
        payload = b"".join(chunks)
        terminfo.set_extent(offset, len(payload))
        self._postfile.write(payload)
        return docnums, weights, terminfo.to_bytes(), len(payload)


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
