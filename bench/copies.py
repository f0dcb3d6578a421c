"""What near copies and comparing cost on a built archive (e.g. bench/run.py's 100k index).

Adds copies of existing articles to the archive as one update (half syndicated: another headline
and a footer; half edited: one word in thirty replaced), then measures: the update (near-copy
finding included) and its peak memory, how many of the copies made are found with their original
(and how many other groups there are), clustering, searches with copies folded and not, comparing
two articles, and what the reading pane asks for each article shown (its copies and the articles
most like it). Removes the copies again at the end (an update that deletes them, timed too).

Usage: python bench/copies.py ARCHIVE DATA [--copies 5000] [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from run import QUERIES, TreeMemorySampler, timed

from index import Archive, SearchRequest
from index.storage.layout import STORE_FILE
from index.storage.store import ArticleStore

FOLDER = "copies-bench"
FOOTER = "Republished with permission. All rights reserved. Sign up for our newsletter for more news like this."


def make_copies(root: Path, count: int, seed: int) -> dict[str, str]:
    """Write ``count`` copies of articles of ``root`` under ``root/FOLDER``; returns copy → original
    (paths relative to the archive)."""
    pick = random.Random(seed)
    files = sorted(p for p in root.rglob("*.txt") if FOLDER not in p.parts)
    originals = pick.sample(files, count)
    target = root / FOLDER
    target.mkdir()
    made = {}
    words = [w for w in originals[0].read_text("utf-8").split() if w.isalpha()][:200]
    for number, original in enumerate(originals):
        text = original.read_text("utf-8")
        if number % 2:
            tokens = text.split(" ")
            for _ in range(max(1, len(tokens) // 30)):
                tokens[pick.randrange(len(tokens))] = pick.choice(words)
            copy = " ".join(tokens)
        else:
            copy = f"Title: Republished report number {number}\n\n{text}\n\n{FOOTER}\n"
        path = target / f"copy-{number:05d}.txt"
        path.write_text(copy, "utf-8")
        made[str(path.relative_to(root))] = str(original.relative_to(root))
    return made


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms"


def _time_each(calls: list[Callable[[], object]], runs: int) -> list[float]:
    samples = []
    for call in calls[:runs]:
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    """Add the copies, measure, remove them."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--copies", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--similar-runs", type=int, default=5, help="articles whose most similar are timed (slow)")
    options = parser.parse_args()
    root = options.archive.resolve()
    shutil.rmtree(root / FOLDER, ignore_errors=True)
    archive = Archive(root, options.data)
    archive.update()  # the folder as it was, so that only the copies are new below
    before = {c.ids for c in archive.near_copies()}
    made = make_copies(root, options.copies, options.seed)
    with TreeMemorySampler() as memory:
        started = time.perf_counter()
        summary = archive.update()
        seconds = time.perf_counter() - started
    print(f"update adding {summary.added} copies: {seconds:.1f} s ({summary.added / seconds:.0f} articles/s), "
          f"peak tree RSS {memory.peak_rss / 2**20:.0f} MB")

    started = time.perf_counter()
    clusters = archive.near_copies()
    print(f"clusters at the default threshold: {len(clusters)} in {(time.perf_counter() - started) * 1000:.0f} ms "
          f"(before the copies: {len(before)})")
    store = ArticleStore(archive.index_dir / STORE_FILE)
    try:
        ids = {path: store.article_ids(path) for path in {*made, *made.values()}}
    finally:
        store.close()
    cluster_of = {article_id: k for k, cluster in enumerate(clusters) for article_id in cluster.ids}
    for kind, parity in (("syndicated", 0), ("edited", 1)):
        made_so = [(c, o) for c, o in made.items() if int(c[-9:-4]) % 2 == parity]
        found = sum(
            1
            for copy, original in made_so
            if ids[copy] and ids[original] and cluster_of.get(ids[copy][0], -1) == cluster_of.get(ids[original][0], -2)
        )
        print(f"{kind} copies found with their original: {found} of {len(made_so)}")
    copy_ids = {article_id for copy in made for article_id in ids[copy]}
    original_ids = {article_id for original in made.values() for article_id in ids[original]}
    others = [c for c in clusters if not set(c.ids) & (copy_ids | original_ids)]
    print(f"groups with no copy made here: {len(others)}")

    for name, query in QUERIES.items():
        for fold in (False, True):
            figures = timed(lambda q=query, f=fold: archive.search(SearchRequest(q, fold_copies=f)), options.runs, 3)
            print(f"search {name!r}, copies {'folded' if fold else 'listed'}: median {figures['median_ms']:.1f} ms, "
                  f"p95 {figures['p95_ms']:.1f} ms")

    pick = random.Random(options.seed)
    first = ids[next(iter(made))][0]
    archive.compare(first, first)  # warm-up: the first comparison loads RapidFuzz and the stemmers
    pairs = [(ids[c][0], ids[o][0]) for c, o in pick.sample(sorted(made.items()), options.runs) if ids[c] and ids[o]]
    with_copy = _time_each([lambda p=p: archive.compare(*p) for p in pairs], options.runs)
    print(f"compare an article with its copy: {_ms(with_copy)}")
    originals = sorted(made.values())
    strangers = [
        (ids[a][0], ids[b][0])
        for a, b in zip(pick.sample(originals, options.runs), pick.sample(originals, options.runs), strict=True)
    ]
    unrelated = _time_each([lambda p=p: archive.compare(*p) for p in strangers], options.runs)
    print(f"compare two other articles: {_ms(unrelated)}")
    shown = [pair[1] for pair in pairs]
    print(f"an article's copies (reading pane): "
          f"{_ms(_time_each([lambda i=i: archive.copies_of(i) for i in shown], options.runs))}")
    print(f"the articles most like it (reading pane): "
          f"{_ms(_time_each([lambda i=i: archive.more_like(i, 6) for i in shown], options.similar_runs))}")

    shutil.rmtree(root / FOLDER)
    started = time.perf_counter()
    summary = archive.update()
    print(f"update removing them: {summary.deleted} deleted in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
