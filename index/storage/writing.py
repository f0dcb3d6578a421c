"""Writing new segments and new indexes: the only place Whoosh's writers are driven."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from index.storage.generations import INDEX_NAME, storage
from index.storage.schema import build_schema
from index.storage.segments import SegmentCodec, TermGroupedPool, finish_segment


class SegmentBuilder:
    """Articles written into one new segment of an index, which the process holding the index's
    commit lock then adds to a generation (a worker process builds one per task).

    Args:
        whoosh_dir: the index's Whoosh folder.
    """

    def __init__(self, whoosh_dir: Path) -> None:
        self._index = FileIndex(storage(whoosh_dir), indexname=INDEX_NAME)
        # The index lock belongs to the process that commits this segment.
        self._writer = SegmentWriter(self._index, _lk=False, codec=SegmentCodec())
        self._writer.pool = TermGroupedPool()

    def add(self, fields: dict[str, Any]) -> None:
        """Add one article's fields."""
        self._writer.add_document(**fields)

    def finish(self) -> Any:
        """Write the segment's files; returns the segment, or None when no article was added."""
        writer = self._writer
        segment = finish_segment(writer) if writer._added else None  # noqa: SLF001
        if segment is None:
            writer._close_segment()  # noqa: SLF001
        writer._finish()  # noqa: SLF001
        return segment

    def cancel(self) -> None:
        """Abandon the segment and close its files (on a full disk, deleted files still open keep their space)."""
        if not self._writer.is_closed:
            with suppress(Exception):
                self._writer.cancel()
        self._index.storage.close_all()


def create_index(folder: Path) -> int:
    """Create an empty index in ``folder``; returns its first generation."""
    return int(whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME).latest_generation())
