"""Time a user's correction on an indexed archive: the stored change, the re-indexed article and
the rebuilt facet columns, until searches show it (what the app's "Edit details..." waits for).

Corrects the date of a few articles and withdraws each correction again, so the archive ends as
it began (re-indexed, not byte for byte).

Usage: python bench/correction.py ARCHIVE DATA_DIR [--articles N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from index import Archive, SearchRequest


def main() -> None:
    """Print the seconds each correction and each withdrawal took, as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path)
    parser.add_argument("data", type=Path, help="the data dir holding the archive's index")
    parser.add_argument("--articles", type=int, default=3)
    options = parser.parse_args()
    archive = Archive(options.archive, options.data)
    hits = archive.search(SearchRequest("*", page_size=options.articles)).hits
    corrections, withdrawals = [], []
    for hit in hits:
        started = time.perf_counter()
        archive.correct(hit.id, "date", "1901-01-01")
        corrected = archive.search(SearchRequest("date:1901")).total
        corrections.append(time.perf_counter() - started)
        assert corrected >= 1
        started = time.perf_counter()
        archive.correct(hit.id, "date", None)
        withdrawals.append(time.perf_counter() - started)
    articles = archive.search(SearchRequest("*")).total
    archive.close()
    print(json.dumps({
        "articles": articles,
        "correction_s": [round(s, 2) for s in corrections],
        "withdrawal_s": [round(s, 2) for s in withdrawals],
        "median_s": round(statistics.median(corrections + withdrawals), 2),
    }))


if __name__ == "__main__":
    main()
