"""``archivist --self-test``: the engine's checks, then the main window opened offscreen and closed.

Everything happens in a temporary data and config dir, so a self-test never touches the user's
indexes, excerpts or settings; the user's log file gets the details of any failure.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from index.logs import log_path, start_logging
from index.paths import CONFIG_DIR_ENV, DATA_DIR_ENV, bundled_seeds
from index.selftest import CheckResult, expect, run_check
from index.version import VERSION

WINDOW_TIMEOUT_S = 60


def run_self_test() -> int:
    """Print one line per check; 0 when every check passed, 1 otherwise."""
    start_logging()  # before the data dir moves: failures are logged where the user's log is
    log = log_path()
    print(f"Archivist {VERSION} self-test ({'bundle' if getattr(sys, 'frozen', False) else 'Python'} "
          f"{sys.version.split()[0]}, {sys.executable})", flush=True)
    results: list[CheckResult] = []
    with tempfile.TemporaryDirectory(prefix="archivist-self-test-") as folder:
        data, config = Path(folder) / "data", Path(folder) / "config"
        saved = {name: os.environ.get(name) for name in (DATA_DIR_ENV, CONFIG_DIR_ENV)}
        os.environ[DATA_DIR_ENV], os.environ[CONFIG_DIR_ENV] = str(data), str(config)
        try:
            try:
                from index.selftest import engine_checks  # the engine: its failing to load is a FAIL line

                for result in engine_checks(data):
                    results.append(result)
                    print(result.line(), flush=True)
            except Exception as error:  # noqa: BLE001 - outside any check (the engine would not load): one FAIL line
                logging.getLogger(__name__).exception("the self-test's engine checks stopped")
                results.append(CheckResult("engine", False, f"{type(error).__name__}: {error}"))
                print(results[-1].line(), flush=True)
            result = run_check("main window", lambda: _window_check(data))
            results.append(result)
            print(result.line(), flush=True)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    failed = [result for result in results if not result.passed]
    if failed:
        print(f"{len(failed)} of {len(results)} checks failed; details in {log}", flush=True)
        return 1
    print(f"all {len(results)} checks passed", flush=True)
    return 0


def _window_check(data: Path) -> str:
    """Open the main window offscreen on the seeds, wait for its first results, close it."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a self-test shows nothing, display or not
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    # Qt's notes (the offscreen platform's "does not support propagateSizeHints") go to the log, not
    # between the checks' lines.
    qInstallMessageHandler(lambda _mode, _context, message: logging.getLogger("qt").info("%s", message))

    from .app import configure, create_window

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure(app)
    started = time.perf_counter()
    window = create_window(bundled_seeds(), data)
    window.show()
    deadline = started + WINDOW_TIMEOUT_S
    while time.perf_counter() < deadline and not (
        window.last_result is not None and window.results.total == 5 and not window.controller.is_indexing
    ):
        app.processEvents()
        time.sleep(0.01)
    shown = time.perf_counter() - started
    total = window.results.total
    facets = sum(model.rowCount() for model in window.facets.models.values())
    buckets = len(window.timeline_model.buckets)
    window.close()
    app.processEvents()
    expect(total == 5, f"the window showed {total} results after {shown:.1f} s, expected 5")
    expect(facets > 0 and buckets > 0, f"{facets} facet values and {buckets} timeline buckets shown")
    return f"5 results, {facets} facet values, {buckets} timeline buckets in {shown:.1f} s; closed"
