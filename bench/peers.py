"""The engines Archivist is measured beside, each doing what an Archivist search does: count the
matches, count them by source, language and month, and show the first 20 with a snippet.

- SQLite FTS5, tuned: one MATCH into a temporary table of rowids, then the GROUP BYs over it; the
  connection memory-maps the database and keeps a large page cache.
- Tantivy (the ``tantivy`` package, a bench extra): English stemming on the text, source and
  language as fast raw-text fields, the month as a fast integer; facets by its aggregations.
- Recoll (the Debian package, installed with apt when missing): indexes the generated folder as
  files, as a user would run it; searched with ``recollq`` as a whole process.

FTS5 and Tantivy index the text and metadata Archivist's store holds (its cleaning and inference
are not theirs to repeat): their build time is indexing alone. Recoll reads the files itself.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from memory import TreeMemorySampler

from index.storage.store import ArticleStore

PAGE_SIZE = 20
Row = tuple[str, str, str | None, str | None, str]  # title, body, date, source, language


def store_rows(data: Path) -> list[Row]:
    """(title, body, ISO date, source, language) of every article the engine indexed, from its store."""
    (path,) = data.rglob("articles.sqlite")
    store = ArticleStore(path)
    rows = []
    for article, _ in store.originals(sorted(store.ids())).values():
        date = article.date.isoformat() if article.date else None
        rows.append((article.title, article.body, date, article.source, article.language))
    store.close()
    return rows


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


class Fts5:
    name = "FTS5"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection: sqlite3.Connection | None = None

    def build(self, rows: list[Row]) -> dict[str, float]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        connection = sqlite3.connect(self.path, isolation_level=None)
        started = time.perf_counter()
        connection.executescript(
            """
            CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2');
            CREATE TABLE meta (id INTEGER PRIMARY KEY, date TEXT, month TEXT, source TEXT, language TEXT);
            BEGIN;
            """
        )
        for rowid, (title, body, date, source, language) in enumerate(rows, 1):
            connection.execute("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)", (rowid, title, body))
            connection.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?)", (rowid, date, date[:7] if date else None, source, language)
            )
        connection.execute("COMMIT")
        connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        seconds = time.perf_counter() - started
        connection.close()
        return {"seconds": seconds, "articles_per_s": len(rows) / seconds, "index_mb": self.path.stat().st_size / 2**20}

    def open(self) -> None:
        self.connection = sqlite3.connect(self.path, isolation_level=None)
        self.connection.execute("PRAGMA mmap_size = 4294967296")
        self.connection.execute("PRAGMA cache_size = -262144")  # 256 MB
        self.connection.execute("PRAGMA temp_store = MEMORY")

    def search(self, query: str) -> int:
        """One full search; returns the number of matches."""
        connection = self.connection
        assert connection is not None
        connection.execute("DROP TABLE IF EXISTS temp.hits")
        connection.execute("CREATE TEMP TABLE hits AS SELECT rowid AS id FROM fts WHERE fts MATCH ?", (query,))
        total = connection.execute("SELECT count(*) FROM hits").fetchone()[0]
        for column in ("source", "language", "month"):
            connection.execute(
                f"SELECT m.{column}, count(*) FROM hits JOIN meta m USING (id) GROUP BY m.{column}"
            ).fetchall()
        connection.execute(
            "SELECT rowid, snippet(fts, 1, '[', ']', '…', 30) FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?",
            (query, PAGE_SIZE),
        ).fetchall()
        return int(total)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


class Tantivy:
    name = "Tantivy"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index = None
        self.searcher = None

    def _schema(self):  # type: ignore[no-untyped-def]
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("source", fast=True, tokenizer_name="raw")
        builder.add_text_field("language", fast=True, tokenizer_name="raw")
        builder.add_integer_field("month", fast=True)
        return builder.build()

    def build(self, rows: list[Row], threads: int) -> dict[str, float]:
        import tantivy

        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        started = time.perf_counter()
        index = tantivy.Index(self._schema(), path=str(self.folder))
        writer = index.writer(heap_size=128_000_000 * threads, num_threads=threads)
        for title, body, date, source, language in rows:
            fields = {"title": title, "body": body, "source": source or "", "language": language}
            if date:
                fields["month"] = int(date[:4]) * 100 + int(date[5:7])
            writer.add_document(tantivy.Document(**fields))
        writer.commit()
        writer.wait_merging_threads()
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "articles_per_s": len(rows) / seconds, "index_mb": folder_mb(self.folder)}

    def open(self) -> None:
        import tantivy

        self.index = tantivy.Index.open(str(self.folder))
        self.searcher = self.index.searcher()
        self._snippets = tantivy.SnippetGenerator

    def search(self, query: str) -> int:
        index, searcher = self.index, self.searcher
        assert index is not None and searcher is not None
        parsed = index.parse_query(query, ["title", "body"])
        found = searcher.search(parsed, PAGE_SIZE, count=True)
        searcher.aggregate(
            parsed,
            {
                "source": {"terms": {"field": "source", "size": 50}},
                "language": {"terms": {"field": "language", "size": 50}},
                "month": {"terms": {"field": "month", "size": 2000}},
            },
        )
        snippets = self._snippets.create(searcher, parsed, index.schema, "body")
        for _score, address in found.hits:
            snippets.snippet_from_doc(searcher.doc(address)).fragment()
        return int(found.count)

    def close(self) -> None:
        self.searcher = self.index = None


class Recoll:
    """Recoll as its Debian package ships it (``recollindex``, ``recollq``), with its own configuration
    folder: it indexes the corpus folder itself."""

    name = "Recoll"

    def __init__(self, config: Path, corpus: Path) -> None:
        self.config = config
        self.corpus = corpus

    @staticmethod
    def ensure_installed() -> bool:
        """Install the Debian package when missing (root, or sudo without a password); whether it is there."""
        if shutil.which("recollindex") and shutil.which("recollq"):
            return True
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "recollcmd"]
        for command in (["apt-get", "update", "-qq"], install):
            if subprocess.run([*sudo, *command], capture_output=True, env=environment).returncode != 0:
                return False
        return bool(shutil.which("recollindex"))

    def reset(self) -> None:
        shutil.rmtree(self.config, ignore_errors=True)
        self.config.mkdir(parents=True)
        (self.config / "recoll.conf").write_text(f"topdirs = {self.corpus.resolve()}\nloglevel = 1\n")

    def index_command(self) -> list[str]:
        return ["recollindex", "-c", str(self.config)]

    def search_command(self, query: str) -> list[str]:
        return ["recollq", "-c", str(self.config), "-n", f"0-{PAGE_SIZE}", "-A", query]

    def index_mb(self) -> float:
        return folder_mb(self.config / "xapiandb")

    @staticmethod
    def total(output: str) -> int:
        found = re.search(r"^(\d+) results", output, re.MULTILINE)
        return int(found.group(1)) if found else 0


def compile_project() -> None:
    """Byte-compile the project once, as an installed package is: where PYTHONDONTWRITEBYTECODE is
    set (this machine sets it), every command would otherwise compile the engine (~150 ms) anew."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    compileall.compile_dir(root / "index", quiet=1)
    compileall.compile_file(root / "archivist_launcher.py", quiet=1)


# Reading /proc every 20 ms costs a quarter of a core (measured beside a 600 MB process): fine for a
# command of a second or less, whose peak a slower sampler would miss, but it would slow a build
# down on a two-core machine. Builds are sampled as the engine's own is (memory.py's default).
SHORT_COMMAND_SAMPLING = 0.02


def timed_process(
    command: list[str], environment: dict[str, str] | None = None, sampling: float = SHORT_COMMAND_SAMPLING
) -> tuple[float, str, float]:
    """Seconds a command takes as a whole process, what it printed, and the peak RSS (MB) of it and
    its children (not of the benchmark), read every ``sampling`` seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace", env=environment
    )
    with TreeMemorySampler(interval=sampling, root=process.pid) as memory:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {stderr[-500:]}")
    return seconds, stdout, memory.peak_rss / 2**20
