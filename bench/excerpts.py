"""Excerpts: the cost of one change to a basket as it grows, of checking it, and of each export.

Every change re-reads and rewrites the whole basket (fsync included), so its cost grows with the
basket; this shows by how much. Run as ``python bench/excerpts.py [--sizes 100 1000 5000]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index import FORMATS, Archive, Baskets, SearchRequest, article_lookup, bundled_seeds, check, render  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        archive = Archive(bundled_seeds(), data)
        archive.update()
        article_id = archive.search(SearchRequest("Asadov")).hits[0].id
        body = archive.article(article_id).body
        basket = Baskets(data).basket("bench")
        taken = 0
        for size in sorted(options.sizes):
            filling = range(taken, max(taken, size - 20))  # fill in one change, then time the last 20 changes
            basket.add_many(
                [
                    archive.excerpt(article_id, n % (len(body) - 200), n % (len(body) - 200) + 200, note=f"n{n}")
                    for n in filling
                ]
            )
            taken += len(filling)
            timings = []
            while taken < size:
                start = taken % (len(body) - 200)
                excerpt = archive.excerpt(article_id, start, start + 200, note=f"n{taken}")
                began = time.perf_counter()
                basket.add(excerpt)
                timings.append(time.perf_counter() - began)
                taken += 1
            excerpts = basket.excerpts()
            began = time.perf_counter()
            with article_lookup(data, [archive]) as lookup:
                checked = check(excerpts, lookup)
            checking = time.perf_counter() - began
            print(
                f"{size} excerpts ({basket.path.stat().st_size / 2**20:.1f} MB): one add median "
                f"{statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms; "
                f"check all {checking * 1000:.0f} ms"
            )
            exports = []
            for name in FORMATS:
                began = time.perf_counter()
                render(checked, name, "bench")
                exports.append(f"{name} {(time.perf_counter() - began) * 1000:.0f} ms")
            print("  export: " + ", ".join(exports))
        archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
