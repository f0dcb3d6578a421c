"""Benchmark index build and search of the engine on synthetic corpora, against SQLite FTS5."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generate import generate

from index import Archive, Filters, SearchRequest, SortOrder
from index.storage.store import decode_article

BENCH = Path(__file__).resolve().parent
CORPUS = BENCH / "corpus"
OUT = BENCH / "out"
PAGE_SIZE = 20
# Words the generator uses often: a country in most articles, a person in a good share, a phrase.
QUERIES = {"common term": "Vietnam", "two-term AND": "Vietnam Aliyev", "phrase": '"Ho Chi Minh"'}
FTS_QUERIES = {"common term": "vietnam", "two-term AND": "vietnam aliyev", "phrase": '"ho chi minh"'}
FILTER_SOURCE = "Azernews"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def corpus(size: int, seed: int) -> Path:
    """The cached corpus of ``size`` articles, generated first if missing."""
    folder = CORPUS / str(size)
    done = CORPUS / f"{size}.done"
    if done.exists() and done.read_text() == str(seed):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    generate(folder, size, seed)
    done.write_text(str(seed))
    print(f"generated {size} articles in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


class TreeMemorySampler:
    """Samples the summed RSS and PSS of this process and all its descendants from /proc."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _descendants(os.getpid())
            rss = pss = 0
            for pid in pids:
                rss += _read_rss(pid)
                pss += _read_pss(pid)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self._stop.wait(self.interval)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _read_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def _read_pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder``."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_whoosh(folder: Path, data: Path, workers: int | None) -> dict[str, float]:
    """Build the engine's index from scratch, measuring time, memory and size."""
    shutil.rmtree(data, ignore_errors=True)
    archive = Archive(folder, data=data)

    started = time.perf_counter()

    def progress(done: int, total: int, _path: str) -> None:
        if done % 10_000 == 0:
            print(f"  indexed {done}/{total} files in {time.perf_counter() - started:.0f} s", flush=True)

    with TreeMemorySampler() as memory:
        started = time.perf_counter()
        summary = archive.update(progress=progress, workers=workers)
        seconds = time.perf_counter() - started
    archive.close()
    articles = summary.added + summary.updated
    return {
        "articles": articles,
        "skipped": len(summary.skipped),
        "seconds": seconds,
        "articles_per_s": articles / seconds,
        "peak_tree_rss_mb": memory.peak_rss / 2**20,
        "peak_tree_pss_mb": memory.peak_pss / 2**20,
        "peak_processes": memory.peak_processes,
        "main_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "largest_child_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "index_mb": folder_bytes(data) / 2**20,
    }


def timed(operation: Callable[[], object], runs: int, warmup: int) -> dict[str, float]:
    """Median and p95 wall time of ``operation`` in ms, after ``warmup`` untimed runs."""
    for _ in range(warmup):
        operation()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return {"median_ms": statistics.median(samples), "p95_ms": p95}


def whoosh_cases() -> dict[str, SearchRequest]:
    """The search requests measured, by name."""
    by_source = Filters(sources=(FILTER_SOURCE,))
    cases = {}
    for name, text in QUERIES.items():
        cases[name] = SearchRequest(query=text, page_size=PAGE_SIZE)
        cases[f"{name} + source filter"] = SearchRequest(query=text, filters=by_source, page_size=PAGE_SIZE)
        cases[f"{name}, newest first"] = SearchRequest(query=text, sort=SortOrder.NEWEST, page_size=PAGE_SIZE)
    cases["all (*)"] = SearchRequest(query="*", page_size=PAGE_SIZE)
    return cases


def bench_whoosh(folder: Path, data: Path, runs: int, warmup: int) -> dict[str, dict[str, float]]:
    """Time every search case on one Archive opened once and reused."""
    started = time.perf_counter()
    archive = Archive(folder, data=data)
    first = archive.search(SearchRequest(query="*"))
    open_ms = (time.perf_counter() - started) * 1000
    results: dict[str, dict[str, float]] = {"open + first search": {"median_ms": open_ms, "p95_ms": open_ms,
                                                                     "total": first.total}}
    for name, request in whoosh_cases().items():
        # Cold: the engine's term and phrase caches emptied, as for words typed for the first time.
        archive._searcher.masks.clear_cache()  # type: ignore[union-attr]  # noqa: SLF001
        started = time.perf_counter()
        archive.search(request)
        cold_ms = (time.perf_counter() - started) * 1000
        figures = {**timed(lambda request=request: archive.search(request), runs, warmup), "cold_ms": cold_ms}
        answer = archive.search(request)
        assert len(answer.hits) == min(PAGE_SIZE, answer.total)
        results[name] = {**figures, "total": answer.total}
    results["searcher rss_mb"] = {"median_ms": 0.0, "p95_ms": 0.0, "total": _read_rss(os.getpid()) / 2**20}
    archive.close()
    return results


def _store_rows(data: Path) -> list[tuple[str, str | None, str | None, str]]:
    """(body, date, source, language) of every article the engine indexed, from its article store."""
    stores = list(data.rglob("articles.sqlite"))
    connection = sqlite3.connect(stores[0])
    rows = []
    for (blob,) in connection.execute("SELECT record FROM articles"):
        article = decode_article(blob)
        rows.append((article.title + "\n" + article.body, article.date.isoformat() if article.date else None,
                     article.source, article.language))
    connection.close()
    return rows


def build_fts5(data: Path, path: Path) -> tuple[sqlite3.Connection, dict[str, float]]:
    """Build an FTS5 table plus a metadata table over the same cleaned text and inferred metadata.

    Reading the rows from the engine's store is not timed: the build time is FTS5 insertion and
    commit only, with no reading, cleaning or language detection.
    """
    rows = _store_rows(data)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    started = time.perf_counter()
    connection.executescript(
        """
        CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='porter unicode61 remove_diacritics 2');
        CREATE TABLE meta (id INTEGER PRIMARY KEY, date TEXT, year INTEGER, month TEXT, source TEXT,
                           language TEXT);
        CREATE INDEX meta_date ON meta(date);
        BEGIN;
        """
    )
    for rowid, (text, date, source, language) in enumerate(rows, 1):
        connection.execute("INSERT INTO fts(rowid, text) VALUES (?, ?)", (rowid, text))
        connection.execute(
            "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, date, int(date[:4]) if date else None, date[:7] if date else None, source, language),
        )
    connection.execute("COMMIT")
    connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    seconds = time.perf_counter() - started
    return connection, {"articles": len(rows), "seconds": seconds, "articles_per_s": len(rows) / seconds,
                        "index_mb": path.stat().st_size / 2**20}


def fts5_operation(connection: sqlite3.Connection, match: str | None, source: str | None,
                   newest: bool) -> Callable[[], int]:
    """The FTS5 equivalent of one engine search: total, facets, month histogram, top 20 with snippets."""
    matched = "SELECT rowid FROM fts WHERE fts MATCH :match" if match else "SELECT id FROM meta"
    narrowed = "AND m.source = :source" if source else ""
    base = f"FROM meta m WHERE m.id IN ({matched})"
    params = {"match": match, "source": source}
    group_sql = [
        f"SELECT source, count(*) {base} GROUP BY source",  # The source facet ignores its own filter.
        f"SELECT language, count(*) {base} {narrowed} GROUP BY language",
        f"SELECT year, count(*) {base} {narrowed} GROUP BY year",
        f"SELECT month, count(*) {base} {narrowed} GROUP BY month",
    ]
    count_sql = f"SELECT count(*) {base} {narrowed}"
    if match:
        order = "m.date IS NULL, m.date DESC" if newest else "bm25(fts)"
        top_sql = (
            "SELECT m.id, snippet(fts, 0, '[', ']', '…', 30) FROM fts JOIN meta m ON m.id = fts.rowid "
            f"WHERE fts MATCH :match {narrowed} ORDER BY {order} LIMIT {PAGE_SIZE}"
        )
    else:
        top_sql = (
            "SELECT m.id, substr(fts.text, 1, 200) FROM meta m JOIN fts ON fts.rowid = m.id "
            f"ORDER BY m.date IS NULL, m.date DESC LIMIT {PAGE_SIZE}"
        )

    def operation() -> int:
        for sql in group_sql:
            connection.execute(sql, params).fetchall()
        connection.execute(top_sql, params).fetchall()
        return int(connection.execute(count_sql, params).fetchone()[0])

    return operation


def bench_fts5(connection: sqlite3.Connection, runs: int, warmup: int) -> dict[str, dict[str, float]]:
    """Time the FTS5 equivalent of every engine search case."""
    results = {}
    for name, match in FTS_QUERIES.items():
        for suffix, source, newest in (("", None, False), (" + source filter", FILTER_SOURCE, False),
                                       (", newest first", None, True)):
            operation = fts5_operation(connection, match, source, newest)
            results[name + suffix] = {**timed(operation, runs, warmup), "total": operation()}
    operation = fts5_operation(connection, None, None, True)
    results["all (*)"] = {**timed(operation, runs, warmup), "total": operation()}
    return results


def run_size(size: int, seed: int, runs: int, warmup: int, workers: int | None) -> dict[str, object]:
    """Generate (or reuse) the corpus of ``size`` articles and run every measurement on it."""
    folder = corpus(size, seed)
    data = OUT / f"data-{size}"
    print(f"[{size}] building the engine's index", flush=True)
    build = build_whoosh(folder, data, workers)
    print(f"[{size}] build: {json.dumps(build)}", flush=True)
    search = bench_whoosh(folder, data, runs, warmup)
    print(f"[{size}] building FTS5", flush=True)
    connection, fts_build = build_fts5(data, OUT / f"fts5-{size}.sqlite")
    fts_search = bench_fts5(connection, runs, warmup)
    connection.close()
    return {"size": size, "corpus_mb": folder_bytes(folder) / 2**20, "build": build, "search": search,
            "fts5_build": fts_build, "fts5_search": fts_search}


def print_report(result: dict[str, object]) -> None:
    """Print one size's figures as a table."""
    build, fts_build = result["build"], result["fts5_build"]
    assert isinstance(build, dict) and isinstance(fts_build, dict)
    print(f"\n=== {result['size']} articles (corpus {result['corpus_mb']:.0f} MB) ===")
    print(f"engine build: {build['seconds']:.1f} s, {build['articles_per_s']:.0f} articles/s, peak tree RSS "
          f"{build['peak_tree_rss_mb']:.0f} MB (PSS {build['peak_tree_pss_mb']:.0f} MB, "
          f"{build['peak_processes']} processes), index {build['index_mb']:.0f} MB")
    print(f"FTS5 build:   {fts_build['seconds']:.1f} s, {fts_build['articles_per_s']:.0f} articles/s, "
          f"db {fts_build['index_mb']:.0f} MB; engine/FTS5 build time "
          f"{build['seconds'] / fts_build['seconds']:.1f}x")
    search, fts = result["search"], result["fts5_search"]
    assert isinstance(search, dict) and isinstance(fts, dict)
    print(f"{'operation':34} {'hits':>7} {'cold':>8} {'median':>8} {'p95':>8} {'FTS5 hits':>9} {'median':>8} "
          f"{'p95':>8} {'ratio p50':>9}")
    for name, figures in search.items():
        other = fts.get(name)
        cold = f"{figures['cold_ms']:8.1f}" if "cold_ms" in figures else " " * 8
        line = f"{name:34} {figures['total']:7.0f} {cold} {figures['median_ms']:8.1f} {figures['p95_ms']:8.1f}"
        if other:
            ratio = figures["median_ms"] / other["median_ms"]
            line += f" {other['total']:9.0f} {other['median_ms']:8.1f} {other['p95_ms']:8.1f} {ratio:8.1f}x"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="indexer processes (default: one per core)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        result = run_size(size, args.seed, args.runs, args.warmup, args.workers)
        result["python"] = sys.version.split()[0]
        (OUT / f"bench-{size}.json").write_text(json.dumps(result, indent=2))
        print_report(result)


if __name__ == "__main__":
    main()
