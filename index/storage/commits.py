"""Committing changes to an archive's index: Whoosh segments, the article store and facet columns together.

Under the commit lock (layout.py), a commit writes its segments and the next TOC, flushes them to
the disk, then commits the store, recording the new generation and its files' sizes: the store's
commit is the moment the change exists (generations.py). The facet columns, which searches open
first, are written for the committed generation afterwards, so a search always sees a complete
generation, the previous one or the new one.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
from whoosh import query as wq
from whoosh.index import TOC, FileIndex, clean_files
from whoosh.reading import SegmentReader
from whoosh.writing import LockError, SegmentWriter

from index.analysis.entities import EntityCorrections
from index.errors import IndexChangedError, IndexDamagedError, IndexLockedError
from index.models import AnalysisProblem, SkippedFile
from index.reading.files import FoundFile
from index.storage.columns import Columns, build_columns, extended_columns, load_columns, save_columns
from index.storage.generations import (
    INDEX_NAME,
    FileSizes,
    flush_generation,
    read_toc,
    remove_uncommitted,
    segment_layout,
    storage,
    toc_name,
)
from index.storage.layout import COLUMNS_FILE, STORE_FILE, WHOOSH_DIR, commit_lock, indexing_lock
from index.storage.segments import TEMP_SUFFIX, SegmentCodec, TermGroupedPool, finish_segment
from index.storage.store import (
    ENTITY_CORRECTIONS_APPLIED,
    RECORD_COLUMN,
    ArticleRow,
    ArticleStore,
    StoredArticle,
)
from index.userdata.corrections import entity_corrections_from

log = logging.getLogger(__name__)
# A commit waits this long for another one to finish (a batch of 2,000 files commits in seconds).
COMMIT_WAIT_SECONDS = 600.0
TINY_SEGMENT_DOCS = 200  # segments merged by small runs and corrections, so they do not pile up
# ... once there are this many: a small update then rewrites nothing nine times in ten, and its facet
# columns extend those before it (columns_for) instead of being built again.
TINY_SEGMENTS_MERGED_AT = 10


@dataclass(frozen=True)
class ReadFile:
    """A file as a worker read it.

    ``rows`` are its articles as the article store keeps them, encoded by the worker; None when
    the content is unchanged since it was indexed (only its size and time changed). ``tracebacks``
    are the details of ``problems`` and of skips caused by errors, for the log. ``renamed`` maps
    the ids an earlier version gave its articles to their ids now, for those the user corrected.
    """

    found: FoundFile
    sha1: str
    rows: list[ArticleRow] | None
    skipped: list[SkippedFile]
    problems: list[AnalysisProblem] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleChanges:
    """How many articles a file's new reading added, changed and removed, and whether the store's
    manifest now holds the file as it was read (not when it could not be read this time)."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    recorded: bool = True


def committed_generation(store: ArticleStore) -> int | None:
    """The index generation the store last committed, or None for an index never committed."""
    value = store.get_meta("generation")
    return int(value) if value is not None else None


def committed_files(store: ArticleStore) -> FileSizes:
    """The files of the committed generation, with their sizes when it was committed."""
    return {str(name): int(size) for name, size in json.loads(store.get_meta("files") or "{}").items()}


class Commit:
    """Deletions, stored articles and new segments, committed to the index and the store together.

    Made by :func:`committing`, which holds the commit lock.
    """

    def __init__(
        self, index_dir: Path, store: ArticleStore, generation: int, merge: bool, columns: Columns | None = None
    ) -> None:
        self.folder = index_dir / WHOOSH_DIR
        self.store = store
        self.merge = merge
        self.segments: list[Any] = []
        self.base_generation = generation
        self.columns = columns  # the facet columns as last written, once read (given, or read by _docnum)
        self._columns_path = index_dir / COLUMNS_FILE
        self._docnums: dict[str, int] | None = None
        self._updated: set[str] = set()
        # Read through read_toc first: a damaged TOC is then reported as damage, not raised by
        # Whoosh's writer after it took its lock (which it would never release).
        read_toc(self.folder, generation)
        ix = FileIndex(storage(self.folder), indexname=INDEX_NAME)
        try:
            self.writer = ix.writer(codec=SegmentCodec())
        except LockError as error:  # An Archivist older than the commit lock is writing.
            raise IndexLockedError("another Archivist is writing this archive's index") from error
        self.writer.pool = TermGroupedPool()
        self._written_toc = False
        try:
            store.train_dictionaries()
            store.connection.execute("BEGIN")
        except BaseException:
            self.writer.cancel()
            raise

    def delete_file(self, path: str) -> int:
        """Delete a file's articles; return how many there were."""
        deleted = self._delete_from_index(path)
        self.store.forget_file(path)
        return deleted

    def record(self, read: ReadFile, indexed_before: bool) -> ArticleChanges:
        """Store a file's articles; their index entries are in a segment added with :meth:`add_segment`.

        A file that could not be read this time (busy, briefly unreadable) keeps what was indexed of
        it, and its manifest entry, so the next run reads it again.

        Returns:
            How many of the file's articles are new, changed and gone: a file of records where one
            was edited has one article updated, not all of them.
        """
        found = read.found
        if not read.sha1:
            return ArticleChanges(recorded=False)
        changes = ArticleChanges()
        if read.rows is not None:
            before = self.store.records_of(found.relpath) if indexed_before else {}
            if indexed_before:
                self._delete_from_index(found.relpath)
            self.store.put_rows(found.relpath, read.rows, replacing=indexed_before)
            after = {cast(str, row[0]): cast(bytes, row[RECORD_COLUMN]) for row in read.rows}
            changes = ArticleChanges(
                added=len(after.keys() - before.keys()),
                updated=sum(before.get(article_id, record) != record for article_id, record in after.items()),
                deleted=len(before.keys() - after.keys()),
            )
        self.store.record_file(found.relpath, found.size, found.mtime_ns, read.sha1, read.skipped, read.problems)
        return changes

    def add_segment(self, segment: Any) -> None:
        """Add a finished segment written by a worker."""
        self.segments.append(segment)

    def update_article(self, stored: StoredArticle, fields: dict[str, Any]) -> None:
        """Replace one article in the index and the store."""
        docnum = self._docnum(stored.article.id)
        if docnum is None:
            self.writer.update_document(**fields)  # finds it by its id: opens every segment's terms
        else:
            self.writer.delete_document(docnum)
            self.writer.add_document(**fields)
        self._updated.add(stored.article.id)
        self.store.replace_article(stored)

    def _docnum(self, article_id: str) -> int | None:
        """The article's document number in the base generation, by its facet columns, when they
        describe that generation (an indexing run writes them only at its end) and this commit has
        not replaced the article already."""
        if self._docnums is None:
            if self.columns is None:
                self.columns = load_columns(self._columns_path)
            columns = self.columns
            self._docnums = {}
            if (
                columns is not None
                and columns.generation == self.base_generation
                and columns.segments == segment_layout(self.writer.segments)
            ):
                ids = columns.ids
                self._docnums = {ids[d]: d for d in np.flatnonzero(columns.alive).tolist()}
        return None if article_id in self._updated else self._docnums.get(article_id)

    def _delete_from_index(self, path: str) -> int:
        """Delete a file's articles from the index, and return how many there were: by their document
        numbers when the facet columns know them, else by their ids, in one query (Whoosh opens a
        searcher over every segment for every query)."""
        ids = self.store.article_ids(path)
        docnums = [self._docnum(article_id) for article_id in ids]
        if all(docnum is not None for docnum in docnums):
            for docnum in docnums:
                self.writer.delete_document(docnum)
        elif ids:
            self.writer.delete_by_query(wq.Or([wq.Term("id", article_id) for article_id in ids]))
        return len(ids)

    def finish(self) -> int:
        """Write the new generation, flush it, commit the store; return the generation."""
        writer = self.writer
        self.store.find_near_copies()
        final = writer._merge_segments(merge_tiny_segments if self.merge else None, False, self.merge)  # noqa: SLF001
        final += self.segments
        if writer._added:  # noqa: SLF001 - merged small segments, or update_article's documents
            final.append(finish_segment(writer))
        else:
            writer._close_segment()  # noqa: SLF001
        toc = TOC(writer.schema, final, writer.generation)
        self._written_toc = True
        toc.write(writer.storage, writer.indexname)
        files = flush_generation(self.folder, toc)
        self.store.set_meta("generation", str(writer.generation))
        self.store.set_meta("files", json.dumps(files))
        self.store.connection.execute("COMMIT")
        writer._finish()  # noqa: SLF001 - releases Whoosh's own lock
        return int(writer.generation)

    def abandon(self) -> None:
        """Undo everything: the store rolls back; the TOC and the segment this commit wrote go (a
        failed commit on a full disk must not keep the space). Workers' segments are the run's to delete.

        With no transaction open any more, the store did commit (or SQLite rolled it back itself):
        the TOC then stays, for a TOC the store does not name is removed by the next writer anyway.
        """
        uncommitted = self.store.connection.in_transaction
        with suppress(Exception):
            self.store.rollback()
        if not self.writer.is_closed:
            with suppress(Exception):
                self.writer.cancel()  # Also releases Whoosh's lock.
        self.writer.storage.close_all()
        if not uncommitted:
            return
        if self._written_toc:
            with suppress(FileNotFoundError):
                (self.folder / toc_name(self.writer.generation)).unlink()
        prefix = f"{self.writer.newsegment.segment_id()}."
        for leftover in self.folder.glob(f"{prefix}*"):
            with suppress(OSError):
                leftover.unlink()


@contextmanager
def committing(
    index_dir: Path, store: ArticleStore | None, merge: bool, columns: bool = True, read: Columns | None = None
) -> Iterator[Commit]:
    """A commit of what the block adds, under the commit lock; abandoned if the block raises.

    Args:
        index_dir: the archive's index folder.
        store: its article store, opened by a caller that holds the indexing lock (so no rebuild
            can replace it); None opens it here, once the lock is held.
        merge: merge the index's tiny segments into the new one (see merge_tiny_segments).
        columns: write the facet columns of the new generation, so searches see it at once
            (indexing runs do it once at their end instead).
        read: the facet columns as the caller read them, which the commit need not read again
            (17 MB at 100k articles).

    Raises:
        IndexChangedError: the index was rebuilt since ``store`` was opened.
    """
    with commit_lock(index_dir).held(timeout=COMMIT_WAIT_SECONDS), _store_for_commit(index_dir, store) as current:
        generation = committed_generation(current)
        if generation is None:
            raise IndexDamagedError("the index was never completed")
        remove_uncommitted(index_dir / WHOOSH_DIR, generation)
        commit = Commit(index_dir, current, generation, merge, read)
        try:
            yield commit
            commit.finish()
        except BaseException:
            commit.abandon()
            raise
        if columns:
            write_columns(index_dir, current, commit.columns)
        if not indexing_lock(index_dir).busy():
            # No indexing run can be writing segments not yet committed: it would hold the lock (and
            # a run about to start waits for the commit lock held here before writing any).
            remove_unused_files(index_dir, current)


@contextmanager
def _store_for_commit(index_dir: Path, store: ArticleStore | None) -> Iterator[ArticleStore]:
    if store is None:
        opened = ArticleStore(index_dir / STORE_FILE)
        try:
            yield opened
        finally:
            opened.close()
        return
    if not store.is_current():
        raise IndexChangedError("the index was rebuilt meanwhile; try again")
    yield store


def clean_up(index_dir: Path) -> None:
    """Delete what the committed generation does not need (see remove_unused_files); the caller
    holds the indexing lock."""
    store = ArticleStore(index_dir / STORE_FILE)
    try:
        with commit_lock(index_dir).held(timeout=COMMIT_WAIT_SECONDS):
            remove_unused_files(index_dir, store)
    finally:
        store.close()


def columns_for(
    index_dir: Path, store: ArticleStore, generation: int, files: FileSizes, previous: Columns | None = None
) -> Columns:
    """The facet columns of a generation, built from the store: only for the segments that follow
    those it shares with ``previous`` (the columns of an earlier generation), if any, so that a
    correction or a small update reads what it changed, not the whole archive.

    The index is read without memory-mapping: mapped, every page of stored fields read here stays
    in the process's resident memory (1.4 GB at 100k articles).
    """
    folder = index_dir / WHOOSH_DIR
    toc = read_toc(folder, generation)
    segments = segment_layout(toc.segments)
    kept = _shared_segments(previous.segments, segments) if previous is not None else 0
    kept_docs = sum(count for _, count in segments[:kept])
    docnums: dict[str, int] = {}
    offset = 0
    for segment in toc.segments[kept:]:
        with SegmentReader(storage(folder), toc.schema, segment) as reader:
            docnums.update((stored["id"], offset + docnum) for docnum, stored in reader.iter_docs())
        offset += segment.doc_count_all()
    rows = store.facet_rows(list(docnums) if kept else None)
    added = build_columns(generation, files, docnums, offset, rows, segments)
    if previous is None or not kept:
        return added
    dead = [start + docnum for start, segment in _starts(toc.segments[:kept]) for docnum in segment.deleted_docs()]
    return extended_columns(previous, kept_docs, dead, added)


def _shared_segments(before: tuple[tuple[str, int], ...], after: tuple[tuple[str, int], ...]) -> int:
    """How many segments, from the first, two generations share (same segment, same size)."""
    shared = 0
    for old, new in zip(before, after, strict=False):
        if old != new:
            break
        shared += 1
    return shared


def _starts(segments: list[Any]) -> Iterator[tuple[int, Any]]:
    start = 0
    for segment in segments:
        yield start, segment
        start += segment.doc_count_all()


def write_columns(index_dir: Path, store: ArticleStore, written: Columns | None = None) -> None:
    """Write the facet columns of the store's committed generation (the caller holds the commit
    lock), extending those written before (``written``, when the caller read them already) when
    the generation keeps their segments."""
    generation = committed_generation(store)
    if generation is not None:
        path = index_dir / COLUMNS_FILE
        previous = written if written is not None else load_columns(path)
        save_columns(columns_for(index_dir, store, generation, committed_files(store), previous), path)


def remove_unused_files(index_dir: Path, store: ArticleStore) -> None:
    """Delete what the committed generation does not need: older generations, segments of
    abandoned or killed runs, temporary folders.

    Safe only when no writer has files not yet committed: the caller holds the commit lock (so no
    commit is being written), and no indexing run has worker segments in progress (the caller holds
    the indexing lock, or saw it free while holding the commit lock, which a run takes before it
    starts any worker).
    """
    folder = index_dir / WHOOSH_DIR
    generation = committed_generation(store)
    if generation is None:
        return
    remove_uncommitted(folder, generation)
    clean_files(storage(folder), INDEX_NAME, generation, read_toc(folder, generation).segments)
    for leftover in folder.glob(f"*{TEMP_SUFFIX}"):
        shutil.rmtree(leftover, ignore_errors=True)


def merge_tiny_segments(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Merge policy: once TINY_SEGMENTS_MERGED_AT segments have fewer than TINY_SEGMENT_DOCS
    documents, rewrite them into the new one.

    Whoosh's MERGE_SMALL picks by a Fibonacci rule that, at 100k articles in 2,000-article
    segments, merged 19 of them (38,000 articles rewritten posting by posting, 2.5 minutes) to
    save one corrected date.

    Returns:
        The segments kept as they are.
    """
    tiny = [segment for segment in segments if segment.doc_count_all() < TINY_SEGMENT_DOCS]
    if len(tiny) < TINY_SEGMENTS_MERGED_AT:
        return segments
    kept = []
    # Read as slices, not system calls; a disk failing under the mapping stops the process, as it
    # would a search's (mapped.py), and the run's commit, not yet made, is simply not there.
    mapped = storage(Path(writer.storage.folder), mapped=True)
    for segment in segments:
        if segment in tiny:
            reader = SegmentReader(mapped, writer.schema, segment)
            try:
                _add_reader(writer, reader)
            finally:
                reader.close()
        else:
            kept.append(segment)
    return kept


def _add_reader(writer: SegmentWriter, reader: SegmentReader) -> None:
    """What ``writer.add_reader(reader)`` does, reading each term's postings where the terms file
    lists it. Whoosh's looks every term up again in that file's hash table, through a file read per
    lookup step: merging three tiny segments took 0.19 s, and takes 0.06 s this way."""
    schema = writer.schema
    start = writer.docnum
    indexed = {name for name in reader.indexed_field_names() if name in schema}
    docmap = writer.write_per_doc(set(schema.names()) | indexed, reader)
    deleted = reader.deleted_docs_set
    terms = reader._terms  # noqa: SLF001
    add = writer.pool.add
    for (fieldname, text), terminfo in reader:  # the schema's fields only, as add_reader
        postings = terms._codec.postings_reader(terms._postfile, terminfo, schema[fieldname].format)  # noqa: SLF001
        while postings.is_active():
            docnum = postings.id()
            if docnum not in deleted:
                new = start + docnum if docmap is None else docmap[docnum]
                add((fieldname, text, new, postings.weight(), postings.value()))
            postings.next()
    writer._added = True  # noqa: SLF001


def applied_entity_corrections(store: ArticleStore) -> EntityCorrections:
    """The entity corrections the index reflects."""
    recorded = store.get_meta(ENTITY_CORRECTIONS_APPLIED)
    return entity_corrections_from(json.loads(recorded) if recorded else None, store.path)
