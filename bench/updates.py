"""What an update costs on an indexed archive, each measured as a whole process (time and peak RSS
of it and its children, from /proc), as a user meets it:

- ``archivist index`` with nothing changed;
- ``archivist index`` after 10 files were edited (a word appended to each; put back afterwards);
- ``archivist search`` of a rare word and of a common one, as whole processes;
- a corrected date until searches show it (in-process, see correction.py for the loop).

Usage: python bench/updates.py ARCHIVE DATA_DIR [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from peers import compile_project, timed_process

ARCHIVIST = [str(Path(sys.executable).with_name("archivist"))]


def whole_process(command: list[str]) -> tuple[float, float]:
    """Seconds and peak tree RSS (MB) of one command."""
    seconds, _, peak_mb = timed_process(command)
    return seconds, peak_mb


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    seconds = sorted(s for s, _ in samples)
    return {
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(seconds[-1], 3),
        "peak_rss_mb": round(max(m for _, m in samples), 1),
    }


def edit(files: list[Path], restore: dict[Path, tuple[bytes, int]]) -> None:
    for path in files:
        restore.setdefault(path, (path.read_bytes(), path.stat().st_mtime_ns))
        with path.open("ab") as handle:
            handle.write(b"\nAddendum.\n")


def put_back(restore: dict[Path, tuple[bytes, int]]) -> None:
    for path, (content, mtime_ns) in restore.items():
        path.write_bytes(content)
        os.utime(path, ns=(mtime_ns, mtime_ns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rare", default="conconpro", help="a word few articles hold")
    parser.add_argument("--common", default="Vietnam")
    options = parser.parse_args()
    compile_project()
    where = ["--data-dir", str(options.data)]
    index = [*ARCHIVIST, *where, "index", str(options.archive)]
    whole_process(index)  # whatever changed before: not this benchmark's
    results: dict[str, object] = {"load": os.getloadavg()}
    results["index, nothing changed"] = summary([whole_process(index) for _ in range(options.runs)])
    files = sorted(options.archive.rglob("*.txt"))
    restore: dict[Path, tuple[bytes, int]] = {}
    edited = []
    try:
        for run in range(options.runs):
            edit(files[run * 10 : run * 10 + 10], restore)
            edited.append(whole_process(index))
    finally:
        put_back(restore)
        whole_process(index)
    results["index, 10 files edited"] = summary(edited)
    for name, word in (("rare", options.rare), ("common", options.common)):
        search = [*ARCHIVIST, *where, "search", "--archive", str(options.archive), word]
        whole_process(search)
        results[f"search process, {name} word"] = summary([whole_process(search) for _ in range(options.runs)])
    results["load after"] = os.getloadavg()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
