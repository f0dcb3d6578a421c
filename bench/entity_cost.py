"""Indexing throughput with and without entity extraction, on one core, over the same files.

Runs the indexer in-process (one worker, no process pool) so that extraction can be switched off;
the ratio between the two runs is what extraction costs the build.

Usage: python bench/entity_cost.py ARCHIVE   (e.g. a folder of the first 3,000 files of a generated corpus)
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

from index import Archive
from index.indexing import pipeline as pipeline_module


def build(archive: Path, extract: bool) -> float:
    """Articles per second for a fresh single-process build of ``archive``."""
    data = Path(tempfile.mkdtemp(prefix="entity-cost-"))
    try:
        switch = mock.patch.object(pipeline_module.entities, "extract", return_value=[]) if not extract else None
        if switch:
            switch.start()
        started = time.perf_counter()
        summary = Archive(archive, data).update(workers=1)
        elapsed = time.perf_counter() - started
        if switch:
            switch.stop()
        return summary.added / elapsed
    finally:
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    """Print articles/s with and without extraction, twice each, alternating."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path)
    options = parser.parse_args()
    runs = {True: [], False: []}
    for _ in range(2):
        for extract in (True, False):
            runs[extract].append(build(options.archive, extract))
    with_entities, without = max(runs[True]), max(runs[False])
    print(f"one core: {without:.0f} articles/s without entities, {with_entities:.0f} with "
          f"({100 * (1 - with_entities / without):.0f} % slower)")


if __name__ == "__main__":
    main()
