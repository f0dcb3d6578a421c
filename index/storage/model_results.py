"""What the entity models found, per article: kept beside the index and across its rebuilds.

A model reads an article once; indexing merges what it found whenever it (re-)indexes the article,
as long as the body is the one the model read and the model is the one installed. The file is not
a part of the index proper (``INDEX_PARTS``), so a rebuild after an upgrade does not cost the pass again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from index.analysis.entities import Mention
from index.analysis.entities.models import model_for
from index.models import Article

MODEL_RESULTS_FILE = "entity-models.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY, model TEXT NOT NULL, body TEXT NOT NULL, mentions TEXT NOT NULL
);
"""


def body_digest(body: str) -> str:
    """What identifies the text a model read."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ModelResults:
    """The results file of one index (``index_dir / MODEL_RESULTS_FILE``).

    Args:
        index_dir: the archive's index folder.
        writable: create the file if missing and allow ``put``; else a missing file reads as empty.
    """

    def __init__(self, index_dir: Path, writable: bool = False) -> None:
        self.path = index_dir / MODEL_RESULTS_FILE
        self.connection: sqlite3.Connection | None = None
        if writable or self.path.exists():
            self.connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=60)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the file."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def __call__(self, article: Article) -> tuple[str, list[Mention]] | None:
        """What the installed model of the article's language found in this very body, with the
        model's name; None when it has not read it (or read another version of it)."""
        model = model_for(article.language)
        if self.connection is None or model is None:
            return None
        query = "SELECT model, body, mentions FROM results WHERE id = ?"
        row = self.connection.execute(query, (article.id,)).fetchone()
        if row is None or row[0] != model.name or row[1] != body_digest(article.body):
            return None
        return row[0], [Mention(*m) for m in json.loads(row[2])]

    def put(self, found: Iterable[tuple[Article, str, list[Mention]]]) -> None:
        """Keep what a model found in articles: (article, model name, mentions) each, in one transaction."""
        if self.connection is None:
            raise ValueError("the model results were opened read-only")
        rows = [
            (article.id, model, body_digest(article.body),
             json.dumps([[m.start, m.end, m.type, m.canonical] for m in mentions], ensure_ascii=False))
            for article, model, mentions in found
        ]
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", rows)
