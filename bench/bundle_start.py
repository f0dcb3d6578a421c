"""How long the packaged app takes to show its window, and what its bundle weighs.

Starts ``dist/archivist/archivist`` on the bundled seeds with a fresh data dir (so the first run
also starts indexing them) on an X display, and times from the launch to the moment a visible
window titled "Archivist" exists (polled with xdotool every 50 ms: polled faster, Xvfb refuses the
app's own connection now and then). With ``--cold`` the page cache
is dropped before each launch (needs root), as after a reboot.

Usage: DISPLAY=:99 python bench/bundle_start.py [--runs N] [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent.parent / "dist" / "archivist"


def shown_after(cold: bool) -> float:
    """Seconds from launch to a visible Archivist window."""
    if cold:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "ARCHIVIST_DATA_DIR": f"{folder}/data", "ARCHIVIST_CONFIG_DIR": f"{folder}/config"}
        started = time.perf_counter()
        app = subprocess.Popen([BUNDLE / "archivist"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - started < 60:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Archivist"],
                                       capture_output=True, text=True)
                if found.stdout.strip():
                    return time.perf_counter() - started
                time.sleep(0.05)
            raise TimeoutError("no window within 60 s")
        finally:
            app.terminate()
            app.wait(timeout=30)


def megabytes(path: Path) -> float:
    """The size of the files under ``path``, in MB (a symbolic link counts nothing: it is what du counts)."""
    files = [path] if path.is_file() else path.rglob("*")
    return sum(file.lstat().st_size for file in files if file.is_file() and not file.is_symlink()) / 1e6


def main() -> None:
    """Print the start times and the bundle's largest parts as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true")
    options = parser.parse_args()
    times = [shown_after(options.cold) for _ in range(options.runs)]
    internal = BUNDLE / "_internal"
    parts = {path.name: round(megabytes(path), 1) for path in internal.iterdir() if megabytes(path) >= 2}
    qt = internal / "PySide6" / "Qt" / "lib"
    parts.update({f"Qt/lib/{path.name}": round(megabytes(path), 1) for path in qt.iterdir() if megabytes(path) >= 2})
    print(json.dumps({
        "window_shown_s": {"median": round(statistics.median(times), 2), "max": round(max(times), 2),
                           "runs": [round(t, 2) for t in times], "cold": options.cold},
        "bundle_mb": round(megabytes(BUNDLE), 1),
        "largest_parts_mb": dict(sorted(parts.items(), key=lambda item: -item[1])),
    }, indent=1))


if __name__ == "__main__":
    main()
