"""The `archivist` command: the app without a command (and one clear line where it cannot open), the
command line otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_the_launcher_starts_the_app_only_without_a_command() -> None:
    from archivist_launcher import wants_app

    assert wants_app([]) and wants_app(["--archive", "seeds"]) and wants_app(["--archive=seeds"])
    assert not wants_app(["search", "x"]) and not wants_app(["--data-dir", "d", "index", "seeds"])


def test_the_app_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys, archivist_launcher; sys.exit(archivist_launcher.main([]))"],
        cwd=ROOT,
        env={**env, "ARCHIVIST_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2  # not a crash (negative: killed by a signal; 134: Qt's abort)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("archivist: the app needs a display")
    assert "archivist search" in done.stderr
