"""The article store: every article's full record and the manifest of indexed files, in SQLite."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from .models import Article, Provenance, SkippedFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha1 TEXT NOT NULL,
    problems TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, file TEXT NOT NULL, date TEXT, source TEXT, language TEXT NOT NULL,
    title_terms INTEGER NOT NULL, body_terms INTEGER NOT NULL, record BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file);
"""


def encode_article(article: Article) -> bytes:
    """An article as compressed JSON."""
    record = asdict(article)
    record["date"] = article.date.isoformat() if article.date else None
    for key, value in record.items():
        if isinstance(value, Provenance):
            record[key] = value.value
    return zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"), 1)


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

    def put_articles(self, file: str, articles: Iterable[tuple[Article, int, int]]) -> None:
        """Replace the articles of ``file``; each comes with its title's and body's term counts."""
        self.connection.execute("DELETE FROM articles WHERE file = ?", (file,))
        self.connection.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    a.id,
                    file,
                    a.date.isoformat() if a.date else None,
                    a.source,
                    a.language,
                    title,
                    body,
                    encode_article(a),
                )
                for a, title, body in articles
            ),
        )

    def replace_article(self, article: Article, title_terms: int, body_terms: int) -> None:
        """Store a new version of one article, keeping its file."""
        self.connection.execute(
            "UPDATE articles SET date = ?, source = ?, language = ?, title_terms = ?, body_terms = ?, record = ?"
            " WHERE id = ?",
            (
                article.date.isoformat() if article.date else None,
                article.source,
                article.language,
                title_terms,
                body_terms,
                encode_article(article),
                article.id,
            ),
        )

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        row = self.connection.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return decode_article(row[0]) if row else None

    def get_many(self, ids: list[str]) -> dict[str, Article]:
        """Articles by id; missing ids are left out."""
        marks = ",".join("?" * len(ids))
        rows = self.connection.execute(f"SELECT id, record FROM articles WHERE id IN ({marks})", ids)
        return {article_id: decode_article(blob) for article_id, blob in rows}

    def facet_rows(self) -> Iterator[tuple[str, str | None, str | None, str, int, int]]:
        """(id, ISO date, source, language, title term count, body term count) of every article."""
        return iter(self.connection.execute("SELECT id, date, source, language, title_terms, body_terms FROM articles"))

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
