"""Time pathological queries (wildcards, open ranges, fuzzy words) on a generated archive.

Each query is timed once right after the archive is opened, then with cold term caches (as a
first query meets them). Before the expansion caps, ``**`` and ``*e*`` took 17 s at 5,000
articles. Run as ``python bench/queries.py 5000``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from run import corpus

from index import Archive, QuerySyntaxError, SearchRequest

QUERIES = (
    "**", "*e*", "body:>2025", "body:>2025-05-07", "pro*", "ter*", "*a*b*c*d*", "?*?*?*", "???",
    "conpro~", "conpro~2", "Vietnam", "title:[a to c]", "a*", "ex*", "i* p* s*",
)  # fmt: skip


def timed(archive: Archive, query: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        outcome = f"{archive.search(SearchRequest(query)).total} hits"
    except QuerySyntaxError as error:
        outcome = f"refused: {error.message}"
    return (time.perf_counter() - started) * 1000, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int, nargs="?", default=5000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-queries-"))
    try:
        archive = Archive(corpus(options.size, options.seed), data)
        archive.update()
        archive.search(SearchRequest("Vietnam"))  # opened, columns loaded
        for query in QUERIES:
            first, outcome = timed(archive, query)
            cold = []
            for _ in range(5):
                archive._searcher.masks.clear_cache()  # type: ignore[union-attr]  # noqa: SLF001
                cold.append(timed(archive, query)[0])
            print(f"{query!r:22} first {first:8.1f} ms, cold median {statistics.median(cold):8.1f} ms  {outcome}")
        archive.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
