"""The article store: every article's full record and the manifest of indexed files, in SQLite."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, cast

import numpy as np

from index.analysis.duplicates import (
    BOILERPLATE_SAMPLE,
    SIGNATURE_BYTES,
    band_keys,
    boilerplate,
    likeness,
    likeness_beyond_boilerplate,
    units,
)
from index.analysis.entities import EntityCorrections
from index.errors import IndexDamagedError
from index.models import (
    ENTITY_FACETS,
    MIN_COPY_THRESHOLD,
    AnalysisProblem,
    Article,
    EntityMention,
    Provenance,
    SkippedFile,
)
from index.storage.compression import DICTIONARY_BYTES, SAMPLES, TRAIN_FROM, Packer, train
from index.userdata.corrections import apply_corrections

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha1 TEXT NOT NULL,
    problems TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, file TEXT NOT NULL, date TEXT, source TEXT, language TEXT NOT NULL,
    title_terms INTEGER NOT NULL, body_terms INTEGER NOT NULL, entities TEXT NOT NULL, mentions BLOB NOT NULL,
    record BLOB NOT NULL, corrections TEXT, entity_model TEXT, copies BLOB
);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
-- Near copies (index/analysis/duplicates.py): each signed article's band keys, the articles not yet
-- compared with the others, and the pairs found alike by their signatures (``a < b``, ``signed``),
-- with how alike they are without boilerplate (``likeness``), judged when the smaller of their
-- sources had ``judged_among`` articles. A band row's id is the article id's 8 bytes, not its 16
-- hex digits (with 4-byte keys, the table is 40 % smaller).
CREATE TABLE IF NOT EXISTS copy_bands (band INTEGER NOT NULL, id BLOB NOT NULL, PRIMARY KEY (band, id))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS copies_pending (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS near_copies (
    a TEXT NOT NULL, b TEXT NOT NULL, likeness REAL NOT NULL, signed REAL NOT NULL, judged_among INTEGER NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS near_copies_b ON near_copies(b);
CREATE INDEX IF NOT EXISTS articles_corrected ON articles(id) WHERE corrections IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_model ON articles(language, entity_model);
-- The zstd dictionaries of the blobs of each kind ('record', 'mentions'): see compression.py.
CREATE TABLE IF NOT EXISTS dictionaries (kind TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
PAGE_SIZE = 8_192
WAL_SIZE_LIMIT = 4 * 2**20
# SQLite's primary result codes that mean the file is not a sound database.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


ArticleRow = tuple[object, ...]
FacetRow = tuple[str, str | None, str | None, str, int, int, str]


@dataclass(frozen=True)
class StoredArticle:
    """An article with what indexing learnt of it: field lengths (for scoring) and entity mentions.

    ``article`` is the article as shown, the user's ``corrections`` applied to ``inferred``, the
    article as read; both are kept, so a correction can be withdrawn without reading the file.
    """

    article: Article
    inferred: Article
    corrections: dict[str, str]
    title_terms: int
    body_terms: int
    mentions: tuple[EntityMention, ...]
    entity_model: str | None = None  # the model whose mentions were merged with the rules', if any
    copies: bytes | None = None  # the body's near-copy signature (index/analysis/duplicates.py)

    def entity_names(self) -> dict[str, list[str]]:
        """The distinct canonical entities by facet name (``person``, ``org``, ``place``)."""
        return {
            facet: sorted({m.canonical for m in self.mentions if m.type == type_})
            for facet, type_ in ENTITY_FACETS.items()
        }

    def row(self, file: str) -> ArticleRow:
        """The article's row in the store, as ``file`` holds it, its record and mentions not yet
        compressed (the store does that, with its dictionaries)."""
        a = self.article
        return (
            a.id,
            file,
            a.date.isoformat() if a.date else None,
            a.source,
            a.language,
            self.title_terms,
            self.body_terms,
            json.dumps(self.entity_names(), ensure_ascii=False),
            json.dumps([[m.start, m.end, m.type, m.canonical] for m in self.mentions]).encode(),
            encode_article(self.inferred),
            json.dumps(self.corrections, ensure_ascii=False, sort_keys=True) if self.corrections else None,
            self.entity_model,
            self.copies,
        )


def encode_article(article: Article) -> bytes:
    """An article as JSON."""
    record = {name: getattr(article, name) for name in _ARTICLE_FIELDS}  # asdict() deep-copies: 4x slower
    record["date"] = article.date.isoformat() if article.date else None
    for key, value in record.items():
        if isinstance(value, Provenance):
            record[key] = value.value
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


_IDS_PER_QUERY = 500  # SQLite limits the parameters of one statement
_BANDED_AT_ONCE = 20_000  # articles whose band rows are sorted and added together (16 rows each)
MENTIONS_COLUMN = 8  # a row's entity mentions (StoredArticle.row)
RECORD_COLUMN = 9  # a row's encoded article as read
_COPIES_COLUMN = 12
_INSERT_ROW = "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _fields(applied: str | None) -> dict[str, str]:
    return dict(json.loads(applied)) if applied else {}


def decode_article(blob: bytes) -> Article:
    """The article that :func:`encode_article` encoded."""
    record = json.loads(blob)
    record["date"] = dt.date.fromisoformat(record["date"]) if record["date"] else None
    for key in ("title_provenance", "date_provenance", "source_provenance", "language_provenance"):
        record[key] = Provenance(record[key])
    return Article(**record)


def is_damage(error: sqlite3.Error) -> bool:
    """Whether an SQLite error says the database file is damaged (not locked, not full)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return type(error) is sqlite3.DatabaseError


ENTITY_CORRECTIONS_APPLIED = "entity_corrections"  # meta: the entity corrections the index reflects
INDEX_ID = "index_id"  # meta: made anew each time the index is created, to tell a rebuilt index apart


def entity_corrections_json(corrections: EntityCorrections) -> str:
    """Entity corrections as the canonical JSON recorded in the store."""
    return json.dumps(corrections.to_dict(), ensure_ascii=False, sort_keys=True)


class ArticleStore:
    """SQLite file beside the Whoosh index. Writes happen in the caller's transactions.

    Raises:
        IndexDamagedError: the file is not a sound SQLite database.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # A writer in another process holds the database for a commit at most; wait rather than fail.
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=60)
        self._packers: dict[str, Packer] = {}  # by kind of blob, each with its dictionary if there is one
        self._untrainable: set[str] = set()  # kinds whose dictionary zstd could not train, this session
        self._band_filter_of: _BandFilter | None = None  # see _band_filter
        self._band_filter_checked_at: int | None = None  # the data version it was last checked at
        try:
            # Only a new file takes it. An article's row is about 2.4 KB: a 4 KB page holds one and
            # leaves 40 % of itself empty. 8 KB pages hold three; 16 KB pages waste a little less,
            # but quadruple the log a small commit writes, and a small archive's file.
            self.connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
            self.connection.execute("PRAGMA journal_mode=WAL")
            # Once checkpointed, the log is cut back to this rather than left at its largest.
            self.connection.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
            # FULL: a commit is on the disk when it returns, so the index generation the store names
            # after a power cut is one whose files were flushed before it (see generations.py).
            self.connection.execute("PRAGMA synchronous=FULL")
            self.connection.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            self.connection.close()
            if is_damage(error):
                raise IndexDamagedError(f"the article store {path.name} is damaged ({error})") from error
            raise

    def close(self) -> None:
        """Close the database."""
        self.connection.close()

    def _packer(self, kind: str) -> Packer:
        packer = self._packers.get(kind)
        if packer is None:
            row = self.connection.execute("SELECT data FROM dictionaries WHERE kind = ?", (kind,)).fetchone()
            packer = self._packers[kind] = Packer(row[0] if row else None)
        return packer

    def _unpack(self, kind: str, blob: bytes) -> bytes:
        packer = self._packer(kind)
        if packer.needs_dictionary(blob):  # trained by a writer after this connection read the table
            self._packers.pop(kind, None)
            packer = self._packer(kind)
        return packer.unpack(blob)

    def _article(self, blob: bytes) -> Article:
        return decode_article(self._unpack("record", blob))

    def _packed(self, row: ArticleRow) -> ArticleRow:
        packed = list(row)
        packed[MENTIONS_COLUMN] = self._packer("mentions").pack(cast(bytes, row[MENTIONS_COLUMN]))
        packed[RECORD_COLUMN] = self._packer("record").pack(cast(bytes, row[RECORD_COLUMN]))
        return tuple(packed)

    def train_dictionaries(self) -> None:
        """Train the dictionaries records and mentions are compressed with from now on, once the
        archive holds enough articles and has none (outside a transaction: each is saved before
        any row uses it)."""
        self._packers = {kind: packer for kind, packer in self._packers.items() if packer.dictionary}  # re-read
        missing = [kind for kind in DICTIONARY_BYTES if self._packer(kind).dictionary is None]
        missing = [kind for kind in missing if kind not in self._untrainable]
        if not missing or self.count() < TRAIN_FROM:
            return
        rows = self.connection.execute("SELECT record, mentions FROM articles LIMIT ?", (SAMPLES,)).fetchall()
        for kind in missing:
            column = 0 if kind == "record" else 1
            trained = train(kind, [self._unpack(kind, row[column]) for row in rows])
            if trained is None:
                self._untrainable.add(kind)
                continue
            self.connection.execute("INSERT OR IGNORE INTO dictionaries VALUES (?, ?)", (kind, trained))
            self._packers.pop(kind, None)

    def is_current(self) -> bool:
        """Whether this connection still reads the index's store: a rebuild replaces the file, and
        a connection opened before keeps reading (and could write) the one deleted."""
        try:
            fresh = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
        except sqlite3.Error:
            return False
        try:
            row = fresh.execute("SELECT value FROM meta WHERE key = ?", (INDEX_ID,)).fetchone()
        except sqlite3.Error:
            return False
        finally:
            fresh.close()
        return row is not None and row[0] == self.get_meta(INDEX_ID)

    def get_meta(self, key: str) -> str | None:
        """A value stored under ``key`` in the meta table."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def manifest(self) -> dict[str, tuple[int, int]]:
        """Indexed files: path -> (size, mtime_ns), as they were when read."""
        rows = self.connection.execute("SELECT path, size, mtime_ns FROM files").fetchall()
        return dict(zip([row[0] for row in rows], [row[1:] for row in rows], strict=True))

    def content_hashes(self, paths: list[str]) -> dict[str, str]:
        """The SHA-1 each of these indexed files had when read."""
        return dict(self._rows_in("SELECT path, sha1 FROM files WHERE path IN ({})", paths))

    def record_file(
        self,
        path: str,
        size: int,
        mtime_ns: int,
        sha1: str,
        skipped: list[SkippedFile],
        problems: list[AnalysisProblem],
    ) -> None:
        """Remember that ``path`` was read at this size, time and content, and what was wrong in it."""
        report = None
        if skipped or problems:
            report = json.dumps(
                {
                    "skipped": [[s.path, s.reason] for s in skipped],
                    "problems": [[p.path, p.step, p.error] for p in problems],
                }
            )
        self.connection.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", (path, size, mtime_ns, sha1, report)
        )

    def file_problems(self) -> dict[str, tuple[list[SkippedFile], list[AnalysisProblem]]]:
        """What was skipped in each file, and what failed in analysing its articles, when it was last read."""
        rows = self.connection.execute("SELECT path, problems FROM files WHERE problems IS NOT NULL")
        report: dict[str, tuple[list[SkippedFile], list[AnalysisProblem]]] = {}
        for path, problems in rows:
            found = json.loads(problems)
            report[path] = (
                [SkippedFile(where, reason) for where, reason in found["skipped"]],
                [AnalysisProblem(where, step, error) for where, step, error in found["problems"]],
            )
        return report

    def forget_file(self, path: str) -> None:
        """Drop a file and its articles."""
        self._forget_copies(path)
        self.connection.execute("DELETE FROM files WHERE path = ?", (path,))
        self.connection.execute("DELETE FROM articles WHERE file = ?", (path,))

    def _forget_copies(self, path: str) -> None:
        """Drop what near-copy finding knows of a file's articles."""
        self._forget_copies_of(self.article_ids(path))

    def _forget_copies_of(self, article_ids: list[str]) -> None:
        # An article's bands are found from its signature, through the band index: an index by id
        # as well would cost a tenth of the store (46 MB at 100k).
        bands, _ = _band_rows(self._signatures(article_ids))
        self.connection.executemany("DELETE FROM copy_bands WHERE band = ? AND id = ?", bands)
        ids = [(article_id,) for article_id in article_ids]
        for statement in (
            "DELETE FROM copies_pending WHERE id = ?",
            "DELETE FROM near_copies WHERE a = ?",
            "DELETE FROM near_copies WHERE b = ?",
        ):
            self.connection.executemany(statement, ids)

    def records_of(self, file: str) -> dict[str, bytes]:
        """The encoded articles (as read, see :meth:`StoredArticle.row`) of ``file``, by id."""
        rows = self.connection.execute("SELECT id, record FROM articles WHERE file = ?", (file,))
        return {article_id: self._unpack("record", blob) for article_id, blob in rows}

    def article_ids(self, file: str) -> list[str]:
        """The ids of the articles read from ``file``."""
        return [row[0] for row in self.connection.execute("SELECT id FROM articles WHERE file = ?", (file,))]

    def put_rows(self, file: str, rows: Iterable[ArticleRow], replacing: bool = True) -> None:
        """Replace the articles of ``file`` with these rows (see :meth:`StoredArticle.row`);
        ``replacing`` False says the store holds none of it (a new file: nothing to delete)."""
        if replacing:
            self._forget_copies(file)
            self.connection.execute("DELETE FROM articles WHERE file = ?", (file,))
        rows = list(rows)
        self.connection.executemany(_INSERT_ROW, [self._packed(row) for row in rows])
        self._sign([cast(str, row[0]) for row in rows if row[_COPIES_COLUMN] is not None])

    def _sign(self, article_ids: list[str]) -> None:
        """Have these articles' signatures banded and compared with the others at the commit."""
        self.connection.executemany("INSERT OR IGNORE INTO copies_pending VALUES (?)", [(i,) for i in article_ids])

    def find_near_copies(self) -> None:
        """Compare the articles stored since the last call with every other sharing a band of their
        signature, and keep the pairs at least MIN_COPY_THRESHOLD alike; judge again, without
        boilerplate, the pairs judged when their sources were half as large (the first commits of
        a build see a few of a source's articles: too few to tell its boilerplate)."""
        pending = [row[0] for row in self.connection.execute("SELECT id FROM copies_pending")]
        band_filter = self._band_filter()
        shared: set[int] = set()  # with a band filter, the bands worth looking up
        # All at once, in key order: one at a time, each would change a page of the band table
        # anywhere in it, and a large archive's table would no longer fit SQLite's page cache.
        for start in range(0, len(pending), _BANDED_AT_ONCE):
            bands, keys = _band_rows(self._signatures(pending[start : start + _BANDED_AT_ONCE]))
            if band_filter is not None:
                also_pending = np.zeros(len(keys), dtype=bool)
                also_pending[1:] = keys[1:] == keys[:-1]  # sorted: held by two articles of this chunk
                shared.update(keys[band_filter.held(keys) | also_pending].tolist())
                band_filter.add(keys)
            self.connection.executemany("INSERT OR IGNORE INTO copy_bands VALUES (?, ?)", bands)
        judging = _BoilerplateJudge(self)
        worth_looking_up = None if band_filter is None else shared
        for start in range(0, len(pending), _IDS_PER_QUERY):
            judging.judge(self._alike(pending[start : start + _IDS_PER_QUERY], worth_looking_up))
        self.connection.execute("DELETE FROM copies_pending")
        unsettled = self.connection.execute(
            "SELECT n.a, n.b, n.signed, n.judged_among, x.source, y.source FROM near_copies n "
            "JOIN articles x ON x.id = n.a JOIN articles y ON y.id = n.b WHERE n.judged_among < ?",
            (_SETTLED_SOURCE,),
        ).fetchall()
        judging.judge([(a, b, signed) for a, b, signed, among, x, y in unsettled if judging.among(x, y) >= 2 * among])

    def _band_filter(self) -> _BandFilter | None:
        """The band keys this store added, when it added every row of the band table (it was empty
        at the store's first search for near copies, and since then no other connection committed
        and no transaction of this one was rolled back); None when other rows may be there."""
        version = self.connection.execute("PRAGMA data_version").fetchone()[0]
        if self._band_filter_checked_at is None:
            if self.connection.execute("SELECT 1 FROM copy_bands LIMIT 1").fetchone() is None:
                self._band_filter_of = _BandFilter()
        elif version != self._band_filter_checked_at:
            self._band_filter_of = None  # another writer's rows are not among the keys added here
        self._band_filter_checked_at = version
        return self._band_filter_of

    def _alike(self, ids: list[str], shared: set[int] | None = None) -> list[tuple[str, str, float]]:
        """The pairs of ``ids`` and other articles at least MIN_COPY_THRESHOLD alike by their
        signatures; only bands in ``shared`` are looked up, when it is given (see _BandFilter)."""
        signatures = _sound(self._signatures(ids))
        holders: dict[int, list[str]] = {}
        for article_id, keys in zip(signatures, band_keys(list(signatures.values())).tolist(), strict=True):
            for band in keys:
                holders.setdefault(band, []).append(article_id)
        # Looked up by band (the band index), never by id: a scan of the band table per commit would
        # make a build cost the square of the archive's size. A band only its own article holds
        # (nearly all of them) is left out by SQLite rather than returned to be skipped here.
        candidates: dict[str, set[str]] = {}
        query = (
            "SELECT band, group_concat(lower(hex(id))) FROM copy_bands WHERE band IN ({}) "
            "GROUP BY band HAVING count(*) > 1"
        )
        looked_up = list(holders) if shared is None else [band for band in holders if band in shared]
        for band, holding in self._rows_in(query, looked_up):
            others = holding.split(",")
            for article_id in holders[band]:
                candidates.setdefault(article_id, set()).update(o for o in others if o != article_id)
        others = sorted({o for found in candidates.values() for o in found} - signatures.keys())
        signatures.update(_sound(self._signatures(others)))
        pairs = set()
        for article_id, found in candidates.items():
            for other in found:
                if other in signatures:
                    alike = likeness(signatures[article_id], signatures[other])
                    if alike >= MIN_COPY_THRESHOLD:
                        pairs.add((min(article_id, other), max(article_id, other), alike))
        return sorted(pairs)

    def _units_of(self, ids: list[str]) -> dict[str, tuple[str | None, dict[str, int]]]:
        """Each article's source and the units of its body (see duplicates.units)."""
        rows = self._rows_in("SELECT id, source, record FROM articles WHERE id IN ({})", ids)
        return {article_id: (source, units(self._article(blob).body)) for article_id, source, blob in rows}

    def _source_sample(self, source: str | None) -> list[dict[str, int]]:
        """The units of articles of a source, spread over it."""
        query = "SELECT id FROM articles WHERE source IS ? ORDER BY id"
        ids = [row[0] for row in self.connection.execute(query, (source,))]
        wanted = BOILERPLATE_SAMPLE
        if len(ids) > wanted:
            ids = [ids[k * len(ids) // wanted] for k in range(wanted)]
        return [found for _, found in self._units_of(ids).values()]

    def _signatures(self, ids: list[str]) -> dict[str, bytes | None]:
        return dict(self._rows_in("SELECT id, copies FROM articles WHERE id IN ({})", ids))

    def _rows_in(self, query: str, values: Sequence[object]) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query``, whose ``IN ({})`` is filled with ``values``, a batch at a time
        (SQLite limits the parameters of one statement)."""
        for start in range(0, len(values), _IDS_PER_QUERY):
            batch = values[start : start + _IDS_PER_QUERY]
            yield from self.connection.execute(query.format(",".join("?" * len(batch))), batch)

    def near_copies(self, threshold: float) -> list[tuple[str, str, float]]:
        """The pairs of articles at least ``threshold`` alike (``threshold`` ≥ MIN_COPY_THRESHOLD)."""
        return list(self.connection.execute("SELECT a, b, likeness FROM near_copies WHERE likeness >= ?", (threshold,)))

    def replace_article(self, stored: StoredArticle) -> None:
        """Store a new version of one article, keeping its file (and its near copies, unless its
        signature changed: a corrected language stems its words otherwise)."""
        article_id = stored.article.id
        row = self.connection.execute("SELECT file, copies FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        signed_again = row[1] != stored.copies
        if signed_again:
            self._forget_copies_of([article_id])  # by its old signature's bands: before the row is replaced
        self.connection.execute(_INSERT_ROW, self._packed(stored.row(row[0])))
        if signed_again and stored.copies is not None:
            self._sign([article_id])

    def originals(self, ids: list[str]) -> dict[str, tuple[Article, dict[str, str]]]:
        """Articles as read, before the user's corrections, with the corrections applied to them."""
        rows = self._rows_in("SELECT id, record, corrections FROM articles WHERE id IN ({})", ids)
        return {article_id: (self._article(blob), _fields(applied)) for article_id, blob, applied in rows}

    def applied_corrections(self) -> dict[str, dict[str, str]]:
        """The user's corrections each article was last indexed with, by article id."""
        rows = self.connection.execute("SELECT id, corrections FROM articles WHERE corrections IS NOT NULL")
        return {article_id: _fields(applied) for article_id, applied in rows}

    def ids(self) -> set[str]:
        """The ids of every stored article."""
        return {row[0] for row in self.connection.execute("SELECT id FROM articles")}

    def mentions(self, article_id: str) -> tuple[EntityMention, ...]:
        """The entity mentions of an article, in order."""
        row = self.connection.execute("SELECT mentions FROM articles WHERE id = ?", (article_id,)).fetchone()
        return tuple(EntityMention(*m) for m in json.loads(self._unpack("mentions", row[0]))) if row else ()

    def get(self, article_id: str) -> Article | None:
        """The article with this id, as shown (the user's corrections applied), or None."""
        return self.get_many([article_id]).get(article_id)

    def get_many(self, ids: list[str]) -> dict[str, Article]:
        """Articles by id, as shown; missing ids are left out."""
        return {article_id: apply_corrections(*original) for article_id, original in self.originals(ids).items()}

    def facet_rows(self, ids: list[str] | None = None) -> Iterator[FacetRow]:
        """(id, ISO date, source, language, title terms, body terms, entities JSON) of these articles
        (None: of every article)."""
        query = "SELECT id, date, source, language, title_terms, body_terms, entities FROM articles"
        if ids is None:
            return iter(self.connection.execute(query))
        return self._rows_in(f"{query} WHERE id IN ({{}})", ids)

    def model_progress(self, models: dict[str, str]) -> dict[str, tuple[int, int]]:
        """How far the entity models have read, by language.

        Args:
            models: language → the name of the model installed for it.

        Returns:
            language → (articles whose entities include that model's, articles in the language),
            for the languages of ``models`` the archive holds.
        """
        progress: dict[str, tuple[int, int]] = {}
        for language, model in models.items():
            done, total = self.connection.execute(
                "SELECT COUNT(*) FILTER (WHERE entity_model = ?), COUNT(*) FROM articles WHERE language = ?",
                (model, language),
            ).fetchone()
            if total:
                progress[language] = (int(done), int(total))
        return progress

    def awaiting_model(self, language: str, model: str, limit: int, passed: set[str]) -> list[str]:
        """Ids of articles in ``language`` whose entities do not include ``model``'s yet.

        Args:
            language: the language.
            model: the model's name.
            limit: at most this many.
            passed: ids to leave out (those tried already).
        """
        rows = self.connection.execute(
            "SELECT id FROM articles WHERE language = ? AND entity_model IS NOT ? ORDER BY rowid",
            (language, model),
        )
        found: list[str] = []
        for (article_id,) in rows:
            if article_id not in passed:
                found.append(article_id)
                if len(found) == limit:
                    break
        return found

    def count(self) -> int:
        """How many articles are stored."""
        return int(self.connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one transaction: all of it is written, or none."""
        self.connection.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        """Undo the open transaction. What the store knew of the band table is forgotten first (the
        transaction may have emptied it, and rows not in _BandFilter would come back)."""
        self._band_filter_of = None
        self._band_filter_checked_at = None
        self.connection.execute("ROLLBACK")


# A source this large has a sample of its boilerplate as good as it gets: its pairs are not judged again.
_SETTLED_SOURCE = 4 * BOILERPLATE_SAMPLE


class _BoilerplateJudge:
    """Judges pairs alike by their signatures again without their sources' boilerplate, and stores
    them; samples each source once."""

    def __init__(self, store: ArticleStore) -> None:
        self.store = store
        self.sizes: dict[str | None, int] = {}
        self.samples: dict[str | None, frozenset[str]] = {}

    def boilerplate(self, source: str | None) -> frozenset[str]:
        """A source's boilerplate, from a sample of its articles (taken once per judge). Articles
        of no known outlet are no outlet: what recurs among them is a story, not a template."""
        if source is None:
            return frozenset()
        if source not in self.samples:
            self.samples[source] = boilerplate(self.store._source_sample(source))  # noqa: SLF001
        return self.samples[source]

    def among(self, source: str | None, other: str | None) -> int:
        """The number of articles of the smaller of two sources."""
        for name in (source, other):
            if name not in self.sizes:
                query = "SELECT count(*) FROM articles WHERE source IS ?"
                self.sizes[name] = self.store.connection.execute(query, (name,)).fetchone()[0]
        return min(self.sizes[source], self.sizes[other])

    def judge(self, pairs: list[tuple[str, str, float]]) -> None:
        if not pairs:
            return
        texts = self.store._units_of(sorted({i for a, b, _ in pairs for i in (a, b)}))  # noqa: SLF001
        judged = []
        for a, b, signed in pairs:
            source_a, source_b = texts[a][0], texts[b][0]
            boiler = self.boilerplate(source_a)
            if source_b != source_a:
                boiler = boiler | self.boilerplate(source_b)
            alike = likeness_beyond_boilerplate(texts[a][1], texts[b][1], boiler, signed)
            among = self.among(source_a, source_b)
            judged.append((a, b, alike, signed, among))
        self.store.connection.executemany("INSERT OR REPLACE INTO near_copies VALUES (?, ?, ?, ?, ?)", judged)


class _BandFilter:
    """The band keys a store added to the band table, a bit per key (its low 27 bits: 16 MB), for
    a store that added every row of it (a build): a band whose bit is clear is held by no other
    article, and is not looked up. In a build that is nearly every band; the lookups were a third
    of the near-copy work, and the work grew with the table. A bit another key set costs a lookup
    for nothing (at a million articles, one band in nine), never a pair missed."""

    _KEY_BITS = 27

    def __init__(self) -> None:
        self._bits = np.zeros(1 << (self._KEY_BITS - 3), dtype=np.uint8)

    def held(self, keys: np.ndarray) -> np.ndarray:
        """Whether each key may be in the table."""
        byte, bit = self._places(keys)
        return (self._bits[byte] & bit) != 0

    def add(self, keys: np.ndarray) -> None:
        byte, bit = self._places(keys)
        np.bitwise_or.at(self._bits, byte, bit)

    def _places(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        slots = keys & ((1 << self._KEY_BITS) - 1)
        return slots >> 3, np.left_shift(1, slots & 7).astype(np.uint8)


def _sound(signatures: Mapping[str, bytes | None]) -> dict[str, bytes]:
    """The signatures that can be compared: an article too short has none, a damaged one is ignored."""
    return {i: copies for i, copies in signatures.items() if copies and len(copies) == SIGNATURE_BYTES}


def _band_rows(signatures: Mapping[str, bytes | None]) -> tuple[list[tuple[int, bytes]], np.ndarray]:
    """The band table's rows of articles with these signatures, in the table's order (band, then
    id), and their bands as an array."""
    sound = _sound(signatures)
    ids = [bytes.fromhex(i) for i in sound]
    keys = band_keys(list(sound.values()))
    bands = keys.ravel().astype(np.int64)
    owners = np.repeat(np.arange(len(ids)), keys.shape[1])
    order = np.lexsort((np.array(ids, dtype=bytes)[owners], bands))
    bands = bands[order]
    return list(zip(bands.tolist(), [ids[owner] for owner in owners[order].tolist()], strict=True)), bands
