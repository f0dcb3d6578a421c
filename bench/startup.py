"""Measure the app's start-up and as-you-type latency on an existing index.

Start-up: a fresh interpreter builds the real main window (offscreen) on an already indexed
archive; reported are the seconds from launching the process to the window's first paint, and
to the first results shown. As-you-type: every prefix of a few queries, as typed one character at
a time, is searched through the engine with its last word completed (what the app runs for each
keystroke once the throttle lets it through), reporting median and p95 over all keystrokes; term
caches are cleared before each query so every word is read cold the first time, as for a user typing it.
Typing starts as soon as the searches are prepared, while the index's files are still being
preloaded (storage/preload.py); reported too are when that preload ended and the keystrokes of
other words typed after it.

Typing is measured after the launches, which read the index into the page cache as the app does;
``--typing-first`` measures it first, from the page cache the caller left (emptied, for the
coldest case: ``sync; echo 3 > /proc/sys/vm/drop_caches`` as root).

Usage: python bench/startup.py ARCHIVE DATA_DIR [--runs N] [--typing-first]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

TYPED = ["Vietnam Azerbaijan", '"Ho Chi Minh" Hanoi', "minist* -Trend", "relations date:[2010 to 2020]"]
# Typed once the preload has ended: other words, which no keystroke before read.
TYPED_LATER = ["Baku energy", '"Ilham Aliyev" partnership', "Ganja secur* -Lam", "Da Nang investment"]

# Runs in the child process: the real window, timed from the parent's launch time.
DRIVER = r"""
import sys, time
launched = float(sys.argv[3])
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from gui.app import create_window
app = QApplication([sys.argv[0]])
marks = {}
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "paint" not in marks:
            marks["paint"] = time.time() - launched
        return False
painted = FirstPaint()
app.installEventFilter(painted)  # The window's children paint, not the window itself.
window = create_window(Path(sys.argv[1]), Path(sys.argv[2]), show=True)  # as the app starts it
def results(request_id, result):
    if "results" not in marks:
        marks["results"] = time.time() - launched
        marks["total"] = result.total
        app.quit()
window.controller.results_ready.connect(results)
app.exec()
print(marks)
"""


def start_up(archive: Path, data: Path) -> dict[str, float]:
    """One launch of the app: seconds to first paint and to first results."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ARCHIVIST_DATA_DIR": str(data)}
    launched = time.time()
    output = subprocess.run(
        [sys.executable, "-c", DRIVER, str(archive), str(data), repr(launched)],
        env=env, capture_output=True, text=True, check=True, timeout=600,
    ).stdout
    marks: dict[str, float] = eval(output.strip().splitlines()[-1])  # noqa: S307 - our own child's dict
    return marks


def typing(archive: Path, data: Path) -> dict[str, Any]:
    """Search latency per keystroke, cold term caches per query."""
    from index import Archive, SearchRequest

    opened = Archive(archive, data)
    opened.search(SearchRequest("*"))
    started = time.perf_counter()
    opened.prepare_searches()  # as the app does once it shows the first results; a keystroke may wait for it
    prepared = time.perf_counter() - started
    latencies = _keystrokes(opened, TYPED)
    preloader = opened._preloader  # noqa: SLF001
    preloader.join()  # type: ignore[union-attr]
    preloaded = prepared + preloader.seconds  # type: ignore[union-attr, operator]
    return {
        **_summary(latencies),
        "prepared_after_first_results_ms": prepared * 1000,
        "preloaded_after_first_results_s": preloaded,
        "after_the_preload": _summary(_keystrokes(opened, TYPED_LATER)),
    }


def _keystrokes(opened: Any, queries: list[str]) -> list[float]:
    """Seconds of each keystroke's search, typing ``queries`` one character at a time."""
    from index import QuerySyntaxError, SearchRequest

    latencies: list[float] = []
    for query in queries:
        opened._searcher.masks.clear_cache()  # noqa: SLF001
        for end in range(1, len(query) + 1):
            started = time.perf_counter()
            # An unfinished phrase or range is a syntax error: the app shows the message, as fast.
            with contextlib.suppress(QuerySyntaxError):
                opened.search(SearchRequest(query[:end], complete_last_word=True))
            latencies.append(time.perf_counter() - started)
    return latencies


def _summary(latencies: list[float]) -> dict[str, float]:
    latencies = sorted(latencies)
    return {
        "keystrokes": len(latencies),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "max_ms": latencies[-1] * 1000,
    }


def main() -> None:
    """Run both measurements and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path)
    parser.add_argument("data", type=Path, help="the data dir holding the archive's index")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--typing-first", action="store_true", help="measure typing before the launches")
    options = parser.parse_args()
    from index import Archive

    Archive(options.archive, options.data).update()  # Start-up is measured on an up-to-date index.
    typed = typing(options.archive, options.data) if options.typing_first else None
    launches = [start_up(options.archive, options.data) for _ in range(options.runs)]
    report = {
        "articles": launches[0]["total"],
        "first_paint_s": statistics.median(run["paint"] for run in launches),
        "first_paint_max_s": max(run["paint"] for run in launches),
        "first_results_s": statistics.median(run["results"] for run in launches),
        "typing": typed or typing(options.archive, options.data),
        "typing_first": options.typing_first,
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
