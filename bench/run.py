"""Benchmark index build and search of the engine on synthetic corpora, against SQLite FTS5."""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from generate import generate
from memory import TreeMemorySampler, read_rss
from peers import PAGE_SIZE, Fts5, Recoll, Tantivy, compile_project, store_rows, timed_process

from index import Archive, Filters, SearchRequest, SortOrder
from index.analysis import terms
from index.resident import DISABLE_VARIABLE, IDLE_VARIABLE, ask

BENCH = Path(__file__).resolve().parent
CORPUS = BENCH / "corpus"
OUT = BENCH / "out"
RARE = "conconpro"  # a made-up word of the generator's French vocabulary, in about 1 % of articles
# Words the generator uses often: a country in most articles, a person in a good share, a phrase.
QUERIES = {"common term": "Vietnam", "two-term AND": "Vietnam Aliyev", "phrase": '"Ho Chi Minh"'}
FILTER_SOURCE = "Azernews"


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
        # Cold: the engine's term and phrase caches emptied, as for words typed for the first time,
        # and the vocabularies of the articles last highlighted, as for articles shown the first time.
        archive._searcher.masks.clear_cache()  # type: ignore[union-attr]  # noqa: SLF001
        terms._vocabularies.clear()  # noqa: SLF001
        started = time.perf_counter()
        archive.search(request)
        cold_ms = (time.perf_counter() - started) * 1000
        figures = {**timed(lambda request=request: archive.search(request), runs, warmup), "cold_ms": cold_ms}
        answer = archive.search(request)
        assert len(answer.hits) == min(PAGE_SIZE, answer.total)
        results[name] = {**figures, "total": answer.total}
    results["searcher rss_mb"] = {"median_ms": 0.0, "p95_ms": 0.0, "total": read_rss(os.getpid()) / 2**20}
    archive.close()
    return results


# The queries every engine runs, in each one's syntax: a common word, two words, a phrase, a rare word.
PEER_QUERIES = {
    "common term": ("Vietnam", "vietnam", "Vietnam"),
    "two-term AND": ("Vietnam Aliyev", "vietnam aliyev", "+Vietnam +Aliyev"),
    "phrase": ('"Ho Chi Minh"', '"ho chi minh"', '"Ho Chi Minh"'),
    "rare term": (RARE, RARE, RARE),
}


def build_engines(
    folder: Path, data: Path, size: int, rounds: int, workers: int | None, skip_build: bool
) -> tuple[dict[str, object], dict[str, object], list]:
    """Build Archivist's index and its peers' ``rounds`` times.

    Archivist and Recoll, the two that read the files, build back to back, first one then the
    other in turn: the machine's speed drifts within a run and between runs (session 22: FTS5's
    common word 215 ms in one run, 391 in another), and builds minutes apart compared its speed at
    two times as much as the engines. Whichever builds second is slower (run T: Archivist by 8 %,
    Recoll by 4 %), so an even number of rounds is fair to both. Each build starts once what was
    written before it is on the disk (``os.sync``). FTS5 and Tantivy, built from Archivist's stored
    rows, follow, in an order rotated each round. A skipped build keeps the index there is and
    builds the peers only.

    Returns:
        Archivist's build (the first round's figures; the median time; the rate against Recoll's
        in each round, and their median), the peers' builds, and the peers to search.
    """
    threads = workers or os.cpu_count() or 1
    recoll = Recoll(OUT / f"recoll-{size}", folder) if Recoll.ensure_installed() else None
    reading: list[tuple[str, Callable[[], dict[str, float]]]] = []
    if not skip_build:
        reading.append(("Archivist", lambda: build_whoosh(folder, data, workers)))
    if recoll is not None:
        reading.append(("Recoll", lambda: _build_recoll(recoll)))
    rows: list = []  # Archivist's stored rows, read once a round for FTS5 and Tantivy
    from_rows: list[tuple[str, Callable[[], dict[str, float]]]] = [
        ("FTS5", lambda: Fts5(OUT / f"fts5-{size}.sqlite").build(rows)),
        ("Tantivy", lambda: Tantivy(OUT / f"tantivy-{size}").build(rows, threads)),
    ]
    builds: dict[str, list[dict[str, float]]] = {name: [] for name, _ in reading + from_rows}

    def timed(name: str, build: Callable[[], dict[str, float]], round_: int) -> None:
        os.sync()  # the last build's index written out first, not by the system during this one
        print(f"[{size}] building {name} (round {round_ + 1}, load {os.getloadavg()[0]:.2f})", flush=True)
        figures = {**build(), "load": os.getloadavg()[0]}
        builds[name].append(figures)
        print(f"[{size}] {name}: {json.dumps(figures)}", flush=True)

    for round_ in range(rounds):
        for name, build in reading[::-1] if round_ % 2 else reading:
            timed(name, build, round_)
        rows.extend(store_rows(data))
        turn = round_ % len(from_rows)
        for name, build in from_rows[turn:] + from_rows[:turn]:
            timed(name, build, round_)
        rows.clear()
    summary = {name: {**figures[-1], "seconds_median": statistics.median(f["seconds"] for f in figures),
                      "rounds": len(figures)} for name, figures in builds.items()}
    archivist = summary.pop("Archivist", {})
    if archivist:  # memory as the first build measured it: later ones add the rows this process read for the peers
        archivist = {**builds["Archivist"][0], **{key: archivist[key] for key in ("seconds_median", "rounds")}}
    if archivist and recoll is not None:
        rates = [r["seconds"] / a["seconds"] for a, r in zip(builds["Archivist"], builds["Recoll"], strict=True)]
        archivist.update(rate_vs_recoll=rates, rate_vs_recoll_median=statistics.median(rates))
    return archivist, summary, [Fts5(OUT / f"fts5-{size}.sqlite"), Tantivy(OUT / f"tantivy-{size}"), recoll]


def _build_recoll(recoll: Recoll) -> dict[str, float]:
    recoll.reset()
    seconds, _, peak_mb = timed_process(recoll.index_command(), sampling=TreeMemorySampler.BUILD_SAMPLING)
    return {"seconds": seconds, "peak_tree_rss_mb": peak_mb, "index_mb": recoll.index_mb()}


def compare_searches(folder: Path, data: Path, peers: list, runs: int) -> dict[str, dict[str, object]]:
    """Each peer query on Archivist, FTS5 and Tantivy in an order rotated every round; their hit
    counts; and Recoll's and Archivist's whole-process searches."""
    archive = Archive(folder, data=data)
    fts5, tantivy, recoll = peers
    fts5.open()
    tantivy.open()
    def archivist(query: str) -> int:
        # As the peers, which make each snippet anew: not from the vocabularies kept of the
        # articles the same query highlighted a moment ago.
        terms._vocabularies.clear()  # noqa: SLF001
        return archive.search(SearchRequest(query=query, page_size=PAGE_SIZE)).total

    engines: list[tuple[str, Callable[[str, tuple[str, str, str]], int]]] = [
        ("Archivist", lambda _name, q: archivist(q[0])),
        ("FTS5", lambda _name, q: fts5.search(q[1])),
        ("Tantivy", lambda _name, q: tantivy.search(q[2])),
    ]
    samples: dict[tuple[str, str], list[float]] = {}
    totals: dict[tuple[str, str], int] = {}
    loads = [os.getloadavg()[0]]
    collecting = CollectorTime()
    # Where a sample is slow, whether Python's cycle collector ran in it (Archivist's samples).
    slowest: dict[str, tuple[float, float]] = {}
    try:
        for round_ in range(runs + 1):  # the first round warms every engine up and is not counted
            for engine, search in engines[round_ % 3:] + engines[: round_ % 3]:
                for name, query in PEER_QUERIES.items():
                    collected_before = collecting.ms
                    started = time.perf_counter()
                    totals[engine, name] = search(name, query)
                    if round_:
                        ms = (time.perf_counter() - started) * 1000
                        samples.setdefault((engine, name), []).append(ms)
                        if engine == "Archivist" and ms > slowest.get(name, (0.0, 0.0))[0]:
                            slowest[name] = (ms, collecting.ms - collected_before)
    finally:
        collecting.stop()
    loads.append(os.getloadavg()[0])
    fts5.close()
    tantivy.close()
    archive.close()
    results: dict[str, dict[str, object]] = {}
    for name in PEER_QUERIES:
        row: dict[str, object] = {}
        for engine, _ in engines:
            ordered = sorted(samples[engine, name])
            row[engine] = {"hits": totals[engine, name], "median_ms": statistics.median(ordered),
                           "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]}
        results[name] = row
        row["Archivist"]["slowest"] = {"ms": slowest[name][0], "collector_ms": slowest[name][1]}  # type: ignore[index]
    results["load"] = {"before": loads[0], "after": loads[1]}
    if recoll is not None:
        results["as a whole process"] = _process_searches(data, folder, recoll, runs)
    return results


class CollectorTime:
    """The milliseconds Python's cycle collector has run since this was made (a collection of the
    oldest generation in a search process costs 10-25 ms at 100k articles)."""

    def __init__(self) -> None:
        self.ms = 0.0
        self._started = 0.0
        gc.callbacks.append(self._observe)

    def _observe(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.ms += (time.perf_counter() - self._started) * 1000

    def stop(self) -> None:
        gc.callbacks.remove(self._observe)


def _process_searches(data: Path, folder: Path, recoll: Recoll, runs: int) -> dict[str, object]:
    """Each peer query as a whole process: Archivist's command in its own process, and answered by
    its resident server (started and warmed first), beside Recoll's ``recollq``."""
    archivist = [str(Path(sys.executable).with_name("archivist")), "--data-dir", str(data), "search", "--archive",
                 str(folder)]
    served = {key: value for key, value in os.environ.items() if key != DISABLE_VARIABLE}
    served[IDLE_VARIABLE] = "60"  # the server goes soon after the benchmark
    own = {**served, DISABLE_VARIABLE: "1"}
    first = [*archivist, next(iter(PEER_QUERIES.values()))[0]]
    subprocess.run(first, env=served, capture_output=True, check=True)  # starts the server
    with mock.patch.dict(os.environ, served, clear=True):  # the server's socket is named after its environment
        deadline = time.monotonic() + 120
        while ask(first[1:]) is None and time.monotonic() < deadline:
            time.sleep(0.1)
    found: dict[str, object] = {}
    for name, query in PEER_QUERIES.items():
        commands = {
            "Archivist, own process": ([*archivist, query[0]], own),
            "Archivist, resident server": ([*archivist, query[0]], served),
            "Recoll": (recoll.search_command(query[2]), None),
        }
        figures: dict[str, list[float]] = {engine: [] for engine in commands}
        hits = {}
        for round_ in range(min(runs, 5) + 1):
            for engine in list(commands)[:: 1 if round_ % 2 else -1]:
                command, environment = commands[engine]
                seconds, output, _ = timed_process(command, environment)
                if round_:
                    figures[engine].append(seconds * 1000)
                hits[engine] = recoll.total(output) if engine == "Recoll" else int(output.split(" ", 1)[0] or 0)
        found[name] = {e: {"hits": hits[e], "median_ms": statistics.median(ms)} for e, ms in figures.items()}
    return found


def compare_updates(folder: Path, data: Path, recoll: Recoll | None, runs: int) -> dict[str, object]:
    """A re-index with nothing changed and one after 10 edited files: Archivist's command and
    Recoll's, alternately, each a whole process with its peak tree RSS."""
    archivist = [str(Path(sys.executable).with_name("archivist")), "--data-dir", str(data), "index", str(folder)]
    engines = [("Archivist", archivist)] + ([("Recoll", recoll.index_command())] if recoll else [])
    files = sorted(folder.rglob("*.txt"))
    results: dict[str, dict[str, list[float]]] = {}
    for round_ in range(runs):
        for engine, command in engines[round_ % len(engines):] + engines[: round_ % len(engines)]:
            for case in ("nothing changed", "10 files edited"):
                first = (round_ * len(engines) + len(results)) * 10 % len(files)
                edited = files[first : first + 10] if case != "nothing changed" else []
                kept = [(path, path.read_bytes(), path.stat().st_mtime_ns) for path in edited]
                for path, _, _ in kept:
                    with path.open("ab") as handle:
                        handle.write(b"\nAddendum.\n")
                seconds, _, peak_mb = timed_process(command)
                entry = results.setdefault(f"{engine}, {case}", {"seconds": [], "peak_rss_mb": []})
                entry["seconds"].append(seconds)
                entry["peak_rss_mb"].append(peak_mb)
                for path, content, mtime_ns in kept:
                    path.write_bytes(content)
                    os.utime(path, ns=(mtime_ns, mtime_ns))
                if kept:
                    timed_process(command)  # back in step with the files as they were
    return {case: {"median_s": statistics.median(f["seconds"]), "max_s": max(f["seconds"]),
                   "peak_rss_mb": max(f["peak_rss_mb"])} for case, f in results.items()}


def run_size(size: int, seed: int, runs: int, warmup: int, workers: int | None, build_rounds: int,
             skip_build: bool) -> dict[str, object]:
    """Generate (or reuse) the corpus of ``size`` articles and run every measurement on it."""
    folder = corpus(size, seed)
    data = OUT / f"data-{size}"
    build, peer_builds, peers = build_engines(folder, data, size, build_rounds, workers, skip_build)
    search = bench_whoosh(folder, data, runs, warmup)
    print(f"[{size}] comparing searches", flush=True)
    compared = compare_searches(folder, data, peers, runs)
    print(f"[{size}] comparing updates", flush=True)
    updates = compare_updates(folder, data, peers[2], max(1, min(runs, 3)))
    return {"size": size, "corpus_mb": folder_bytes(folder) / 2**20, "build": build, "search": search,
            "peer_builds": peer_builds, "compared": compared, "updates": updates}


def print_report(result: dict[str, object]) -> None:
    """Print one size's figures as tables."""
    build, peer_builds = result["build"], result["peer_builds"]
    assert isinstance(build, dict) and isinstance(peer_builds, dict)
    print(f"\n=== {result['size']} articles (corpus {result['corpus_mb']:.0f} MB) ===")
    if build:
        print(f"Archivist build: {build['seconds_median']:.1f} s (median of {build['rounds']}; the first "
              f"{build['articles_per_s']:.0f} articles/s, peak tree RSS {build['peak_tree_rss_mb']:.0f} MB "
              f"({build['peak_processes']} processes), index {build['index_mb']:.0f} MB, load {build['load']:.2f})")
    if "rate_vs_recoll" in build:
        rounds = ", ".join(f"{rate:.2f}x" for rate in build["rate_vs_recoll"])
        print(f"Archivist's build rate / Recoll's, built back to back: {build['rate_vs_recoll_median']:.2f}x "
              f"(median; rounds {rounds})")
    for name, figures in peer_builds.items():
        ratio = f", Archivist/{name} time {build['seconds_median'] / figures['seconds_median']:.2f}x" if build else ""
        print(f"{name} build: {figures['seconds_median']:.1f} s (median of {figures['rounds']}), index "
              f"{figures['index_mb']:.0f} MB{ratio}")
    search = result["search"]
    assert isinstance(search, dict)
    print(f"{'Archivist operation':34} {'hits':>7} {'cold':>8} {'median':>8} {'p95':>8}")
    for name, figures in search.items():
        cold = f"{figures['cold_ms']:8.1f}" if "cold_ms" in figures else " " * 8
        print(f"{name:34} {figures['total']:7.0f} {cold} {figures['median_ms']:8.1f} {figures['p95_ms']:8.1f}")
    compared = result["compared"]
    assert isinstance(compared, dict)
    print(f"\n{'full search (ms, hits)':16}" + "".join(f"{engine:>28}" for engine in ("Archivist", "FTS5", "Tantivy")))
    for name in PEER_QUERIES:
        row = compared[name]
        print(f"{name:16}" + "".join(
            f"{row[e]['median_ms']:9.1f} p95 {row[e]['p95_ms']:6.1f} {row[e]['hits']:7}" for e in row))
    print("Archivist's slowest sample, and the cycle collector's time in it: " + ", ".join(
        f"{name} {compared[name]['Archivist']['slowest']['ms']:.1f} ms"
        f" ({compared[name]['Archivist']['slowest']['collector_ms']:.1f})" for name in PEER_QUERIES))
    print(f"load average: {compared['load']}")
    for name, row in compared.get("as a whole process", {}).items():
        shown = ", ".join(f"{e} {f['median_ms']:.0f} ms ({f['hits']} hits)" for e, f in row.items())
        print(f"process search, {name}: {shown}")
    for case, f in result["updates"].items():  # type: ignore[union-attr]
        print(f"{case}: {f['median_s']:.2f} s (max {f['max_s']:.2f}), peak RSS {f['peak_rss_mb']:.0f} MB")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="indexer processes (default: one per core)")
    parser.add_argument("--build-rounds", type=_positive, default=1,
                        help="builds of each engine: Archivist's and Recoll's back to back, in turn first "
                             "(an even number is fair to both)")
    parser.add_argument("--skip-build", action="store_true", help="reuse the engine's index from an earlier run")
    args = parser.parse_args()
    if importlib.util.find_spec("tantivy") is None:
        sys.exit("bench/run.py needs Tantivy beside the engine: pip install -e '.[bench]'")
    OUT.mkdir(parents=True, exist_ok=True)
    compile_project()
    for size in args.sizes:
        result = run_size(size, args.seed, args.runs, args.warmup, args.workers, args.build_rounds, args.skip_build)
        result["python"] = sys.version.split()[0]
        (OUT / f"bench-{size}.json").write_text(json.dumps(result, indent=2))
        print_report(result)


if __name__ == "__main__":
    main()
