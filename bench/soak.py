"""Soak: index a large archive, then search it from two threads while it is re-indexed and corrected.

Counts errors, checks the results are consistent at the end, and reports the searching process's
memory before and after, so unbounded growth shows. Run as ``python bench/soak.py 100000``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from memory import read_rss
from run import TreeMemorySampler, corpus

from index import Archive, Filters, SearchRequest, SortOrder

QUERIES = ("Vietnam", "Vietnam Aliyev", '"Ho Chi Minh"', "Baku -Hanoi", "cooperation OR energy", "*", "Azer*")
SOURCES = ("Azernews", "Trend", "Vietnam News")


def random_request(rng: random.Random) -> SearchRequest:
    """A search with facets and timeline, as the app asks: sometimes filtered, sometimes sorted."""
    filters = Filters()
    if rng.random() < 0.3:
        filters = Filters(sources=(rng.choice(SOURCES),))
    elif rng.random() < 0.3:
        start = dt.date(2015 + rng.randint(0, 9), rng.randint(1, 12), 1)
        filters = Filters(date_from=start, date_to=start + dt.timedelta(days=rng.randint(30, 900)))
    sort = rng.choice((SortOrder.RELEVANCE, SortOrder.RELEVANCE, SortOrder.NEWEST))
    return SearchRequest(rng.choice(QUERIES), filters, sort, page=rng.randint(1, 3))


def soak(size: int, searches: int, seed: int, workers: int | None) -> int:
    folder = corpus(size, seed)
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    archive_root, data = work / "archive", work / "data"
    shutil.copytree(folder, archive_root)
    files = sorted(archive_root.rglob("*.txt"))
    archive = Archive(archive_root, data)
    started = time.perf_counter()
    with TreeMemorySampler() as build_memory:
        summary = archive.update(workers=workers)
    print(
        f"build: {summary.added} articles in {time.perf_counter() - started:.1f} s, "
        f"peak {build_memory.peak_rss / 2**20:.0f} MB for all processes",
        flush=True,
    )
    errors: list[str] = []
    done = threading.Event()
    corrected: dict[str, str] = {}
    latencies: list[float] = []
    runs: list[str] = []

    def guarded(name: str, work_loop: object) -> threading.Thread:
        def run() -> None:
            try:
                work_loop()  # type: ignore[operator]
            except BaseException:  # noqa: BLE001 - every failure is counted and shown
                errors.append(f"{name}: {traceback.format_exc()}")

        return threading.Thread(target=run, name=name)

    def searcher(number: int) -> None:
        rng = random.Random(seed * 100 + number)
        for _ in range(searches // 2):
            began = time.perf_counter()
            result = archive.search(random_request(rng))
            latencies.append(time.perf_counter() - began)
            if result.total < len(result.hits):
                errors.append(f"searcher {number}: {result.total} results but {len(result.hits)} hits")

    def reindexer() -> None:
        rng = random.Random(seed)
        while not done.is_set():
            for path in rng.sample(files, max(1, len(files) // 100)):
                path.write_text(path.read_text("utf-8") + f"\nUpdated at {time.time()}.", "utf-8")
            result = archive.update(workers=workers)
            runs.append(f"{result.updated} updated in {result.seconds:.1f} s")

    def corrector() -> None:
        rng = random.Random(seed + 1)
        ids = [hit.id for hit in archive.search(SearchRequest("Vietnam", page_size=500)).hits]
        while not done.is_set():
            article_id, title = rng.choice(ids), f"Soak title {rng.randint(0, 10**9)}"
            archive.correct(article_id, "title", title)
            corrected[article_id] = title
            done.wait(0.5)

    archive.search(SearchRequest("*"))
    rss_before = read_rss(os.getpid())
    search_threads = [guarded(f"searcher {n}", lambda n=n: searcher(n)) for n in (1, 2)]
    writers = [guarded("reindexer", reindexer), guarded("corrector", corrector)]
    started = time.perf_counter()
    for thread in search_threads + writers:
        thread.start()
    for thread in search_threads:
        thread.join()
    done.set()
    for thread in writers:
        thread.join()
    elapsed = time.perf_counter() - started
    rss_after = read_rss(os.getpid())
    final = archive.update(workers=workers)
    everything = archive.search(SearchRequest("*", page_size=0))
    wrong_titles = [i for i, title in corrected.items() if archive.article(i).title != title]
    latencies.sort()
    print(
        f"{len(latencies)} searches from 2 threads in {elapsed:.1f} s while {len(runs)} re-index runs and "
        f"{len(corrected)} corrected articles; p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms",
        flush=True,
    )
    print(f"re-index runs: {', '.join(runs)}")
    print(f"searching process RSS: {rss_before / 2**20:.0f} MB before, {rss_after / 2**20:.0f} MB after")
    print(
        f"final run: {final.updated} updated, {final.added} added; {everything.total} articles indexed "
        f"(expected {size}); {len(wrong_titles)} corrections not shown"
    )
    problems = errors + ([f"{everything.total} articles, expected {size}"] if everything.total != size else [])
    problems += [f"correction of {i} not shown" for i in wrong_titles]
    for problem in problems:
        print("ERROR", problem, file=sys.stderr)
    archive.close()
    shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int, nargs="?", default=100_000)
    parser.add_argument("--searches", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    options = parser.parse_args()
    sys.exit(soak(options.size, options.searches, options.seed, options.workers))


if __name__ == "__main__":
    main()
