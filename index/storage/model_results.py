"""What the entity models found, per article: kept beside the index and across its rebuilds.

A model reads an article once; indexing merges what it found whenever it (re-)indexes the article,
as long as the body is the one the model read and the model is the one installed. The file is not
a part of the index proper (``INDEX_PARTS``), so a rebuild after an upgrade does not cost the pass again.
What is kept is the model's own spans: the mentions are made from them at indexing, so a change of
the shipped names reaches articles read before.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from index.analysis.entities import Mention
from index.analysis.entities.models import RawSpans, mentions_from, model_for
from index.models import Article

MODEL_RESULTS_FILE = "entity-models.sqlite"
# Bumped when what a row holds changes: older rows are dropped (the pass reads the articles again).
RESULTS_VERSION = "2"
# ``spans`` is the model's JSON, or ``FAILED`` when the model could not read the article (it keeps
# the rules' entities), or NULL while the model reads it: a row left so is an article whose reading
# killed the process (a crash in the model's native code, memory running out), ``tries`` times.
FAILED = "failed"
_RESULTS_TABLE = """
CREATE TABLE results (
    id TEXT PRIMARY KEY, model TEXT NOT NULL, body TEXT NOT NULL, spans TEXT, tries INTEGER NOT NULL DEFAULT 0
)
"""


def body_digest(body: str) -> str:
    """What identifies the text a model read."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ModelResults:
    """The results file of one index (``index_dir / MODEL_RESULTS_FILE``).

    Args:
        index_dir: the archive's index folder.
        writable: create the file if missing and allow writing; else a missing file reads as empty.
    """

    def __init__(self, index_dir: Path, writable: bool = False) -> None:
        self.path = index_dir / MODEL_RESULTS_FILE
        self.connection: sqlite3.Connection | None = None
        if writable or self.path.exists():
            self.connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=60)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            version = self.connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if version is not None and version[0] == RESULTS_VERSION:
                return
            if not writable:  # another version's rows: as if the model had read nothing yet
                self.close()
                return
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.execute("DROP TABLE IF EXISTS results")
                self.connection.execute(_RESULTS_TABLE)
                self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (RESULTS_VERSION,))

    def close(self) -> None:
        """Close the file."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def __call__(self, article: Article) -> tuple[str, list[Mention] | None] | None:
        """What the installed model of the article's language found in this very body, with the
        model's name (the mentions are None when the model could not read it); None when it has
        not read it (or read another version of it)."""
        found = self._read_by_model(article)
        if found is None:
            return None
        model, spans = found
        if spans == FAILED:
            return model, None
        return model, mentions_from(article.body, [tuple(span) for span in json.loads(spans)])

    def holds(self, article: Article) -> bool:
        """Whether the installed model has read this very body (see ``__call__``)."""
        return self._read_by_model(article) is not None

    def _read_by_model(self, article: Article) -> tuple[str, str] | None:
        """The installed model's name and what it kept of this very body, if it has read it."""
        model = model_for(article.language)
        if self.connection is None or model is None:
            return None
        query = "SELECT model, body, spans FROM results WHERE id = ?"
        row = self.connection.execute(query, (article.id,)).fetchone()
        if row is None or row[0] != model.name or row[1] != body_digest(article.body) or row[2] is None:
            return None
        return row[0], row[2]

    def reading(self, articles: Iterable[Article], model: str) -> None:
        """Note that the model is about to read these articles (see ``interrupted``)."""
        rows = [(article.id, model, body_digest(article.body)) for article in articles]
        self._write(
            "INSERT INTO results (id, model, body, spans, tries) VALUES (?, ?, ?, NULL, 1) ON CONFLICT(id) DO "
            "UPDATE SET tries = CASE WHEN spans IS NULL AND model = excluded.model AND body = excluded.body "
            "THEN tries + 1 ELSE 1 END, model = excluded.model, body = excluded.body, spans = NULL",
            rows,
        )

    def interrupted(self, articles: Iterable[Article], model: str) -> dict[str, int]:
        """The articles whose reading by ``model`` was interrupted (the process died), with how many times."""
        if self.connection is None:
            return {}
        found = {}
        for article in articles:
            row = self.connection.execute(
                "SELECT tries FROM results WHERE id = ? AND model = ? AND body = ? AND spans IS NULL",
                (article.id, model, body_digest(article.body)),
            ).fetchone()
            if row is not None:
                found[article.id] = int(row[0])
        return found

    def put(self, found: Iterable[tuple[Article, str, RawSpans | None]]) -> None:
        """Keep what a model found in articles: (article, model name, its spans, or None when it
        could not read the article), in one transaction."""
        rows = [
            (article.id, model, body_digest(article.body), FAILED if spans is None else json.dumps(spans))
            for article, model, spans in found
        ]
        self._write("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, 0)", rows)

    def _write(self, statement: str, rows: Sequence[tuple[str, ...]]) -> None:
        if self.connection is None:
            raise ValueError("the model results were opened read-only")
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany(statement, rows)
