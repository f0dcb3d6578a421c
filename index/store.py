"""The article store: every article's full record and the manifest of indexed files, in SQLite."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from .models import ENTITY_FACETS, Article, EntityMention, Provenance, SkippedFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha1 TEXT NOT NULL,
    problems TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, file TEXT NOT NULL, date TEXT, source TEXT, language TEXT NOT NULL,
    title_terms INTEGER NOT NULL, body_terms INTEGER NOT NULL, entities TEXT NOT NULL, mentions BLOB NOT NULL,
    record BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file);
"""


ArticleRow = tuple[object, ...]


@dataclass(frozen=True)
class StoredArticle:
    """An article with what indexing learnt of it: field lengths (for scoring) and entity mentions."""

    article: Article
    title_terms: int
    body_terms: int
    mentions: tuple[EntityMention, ...]

    def entity_names(self) -> dict[str, list[str]]:
        """The distinct canonical entities by facet name (``person``, ``org``, ``place``)."""
        return {
            facet: sorted({m.canonical for m in self.mentions if m.type == type_})
            for facet, type_ in ENTITY_FACETS.items()
        }

    def row(self, file: str) -> ArticleRow:
        """The article's row in the store, as ``file`` holds it."""
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
            zlib.compress(json.dumps([[m.start, m.end, m.type, m.canonical] for m in self.mentions]).encode(), 1),
            encode_article(a),
        )


def encode_article(article: Article) -> bytes:
    """An article as compressed JSON."""
    record = {name: getattr(article, name) for name in _ARTICLE_FIELDS}  # asdict() deep-copies: 4x slower
    record["date"] = article.date.isoformat() if article.date else None
    for key, value in record.items():
        if isinstance(value, Provenance):
            record[key] = value.value
    return zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"), 1)


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


def decode_article(blob: bytes) -> Article:
    """The article that :func:`encode_article` encoded."""
    record = json.loads(zlib.decompress(blob))
    record["date"] = dt.date.fromisoformat(record["date"]) if record["date"] else None
    for key in ("title_provenance", "date_provenance", "source_provenance", "language_provenance"):
        record[key] = Provenance(record[key])
    return Article(**record)


class ArticleStore:
    """SQLite file beside the Whoosh index. Writes happen in the caller's transactions."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self.connection.close()

    def get_meta(self, key: str) -> str | None:
        """A value stored under ``key`` in the meta table."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def manifest(self) -> dict[str, tuple[int, int, str]]:
        """Indexed files: path -> (size, mtime_ns, sha1)."""
        rows = self.connection.execute("SELECT path, size, mtime_ns, sha1 FROM files")
        return {path: (size, mtime, sha1) for path, size, mtime, sha1 in rows}

    def record_file(self, path: str, size: int, mtime_ns: int, sha1: str, problems: list[SkippedFile]) -> None:
        """Remember that ``path`` was read at this size, time and content, and what was wrong in it."""
        self.connection.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            (path, size, mtime_ns, sha1, json.dumps([[s.path, s.reason] for s in problems]) if problems else None),
        )

    def file_problems(self) -> dict[str, list[SkippedFile]]:
        """What was skipped in each file when it was last read."""
        rows = self.connection.execute("SELECT path, problems FROM files WHERE problems IS NOT NULL")
        return {path: [SkippedFile(where, reason) for where, reason in json.loads(problems)] for path, problems in rows}

    def forget_file(self, path: str) -> None:
        """Drop a file and its articles."""
        self.connection.execute("DELETE FROM files WHERE path = ?", (path,))
        self.connection.execute("DELETE FROM articles WHERE file = ?", (path,))

    def article_ids(self, file: str) -> list[str]:
        """The ids of the articles read from ``file``."""
        return [row[0] for row in self.connection.execute("SELECT id FROM articles WHERE file = ?", (file,))]

    def put_rows(self, file: str, rows: Iterable[ArticleRow]) -> None:
        """Replace the articles of ``file`` with these rows (see :meth:`StoredArticle.row`)."""
        self.connection.execute("DELETE FROM articles WHERE file = ?", (file,))
        self.connection.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def replace_article(self, stored: StoredArticle) -> None:
        """Store a new version of one article, keeping its file."""
        file = self.connection.execute("SELECT file FROM articles WHERE id = ?", (stored.article.id,)).fetchone()
        if file is not None:
            self.connection.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", stored.row(file[0])
            )

    def mentions(self, article_id: str) -> tuple[EntityMention, ...]:
        """The entity mentions of an article, in order."""
        row = self.connection.execute("SELECT mentions FROM articles WHERE id = ?", (article_id,)).fetchone()
        return tuple(EntityMention(*m) for m in json.loads(zlib.decompress(row[0]))) if row else ()

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        row = self.connection.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return decode_article(row[0]) if row else None

    def get_many(self, ids: list[str]) -> dict[str, Article]:
        """Articles by id; missing ids are left out."""
        marks = ",".join("?" * len(ids))
        rows = self.connection.execute(f"SELECT id, record FROM articles WHERE id IN ({marks})", ids)
        return {article_id: decode_article(blob) for article_id, blob in rows}

    def facet_rows(self) -> Iterator[tuple[str, str | None, str | None, str, int, int, str]]:
        """(id, ISO date, source, language, title terms, body terms, entities JSON) of every article."""
        return iter(
            self.connection.execute(
                "SELECT id, date, source, language, title_terms, body_terms, entities FROM articles"
            )
        )

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
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")
