"""The `archivist` command: the app without a command (and one clear line where it cannot open), the
command line otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_a_display_that_cannot_be_reached_is_said_in_one_line_not_a_core_dump(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys, archivist_launcher; sys.exit(archivist_launcher.main([]))"],
        cwd=ROOT,
        env={**env, "DISPLAY": ":87", "ARCHIVIST_DATA_DIR": str(tmp_path)},  # no X server there
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "the display :87 (DISPLAY) cannot be reached" in done.stderr


def test_a_folder_alone_opens_in_the_app_and_a_command_name_stays_a_command(tmp_path: Path) -> None:
    from archivist_launcher import wants_app

    assert wants_app([str(tmp_path)]) and wants_app(["./not-there-yet/"])
    assert not wants_app(["index"]) and not wants_app(["search"]) and not wants_app(["--version"])


def test_the_desktop_entry_is_installed_per_user_and_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import desktop_entry

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    written = desktop_entry.install()
    entry = tmp_path / "applications" / "archivist.desktop"
    assert entry in written and all(path.is_file() for path in written)
    text = entry.read_text("utf-8")
    command = desktop_entry.launch_command()
    assert f"\nExec={command[0]}" in text and text.rstrip().endswith("X-Archivist-Installer=1")
    assert "MimeType" not in text and "Icon=archivist" in text  # never the default for every folder
    assert (tmp_path / "icons" / "hicolor" / "48x48" / "apps" / "archivist.png").stat().st_size > 0
    assert set(desktop_entry.uninstall()) == set(written) and not any(path.exists() for path in written)
    assert desktop_entry.uninstall() == []
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text("[Desktop Entry]\nName=Another archivist\nExec=other\n", "utf-8")  # not ours
    assert desktop_entry.uninstall() == [] and entry.is_file()


def test_an_exec_key_quotes_what_the_desktop_would_split() -> None:
    from gui.desktop_entry import _desktop_quoted

    assert _desktop_quoted(["/opt/my apps/archivist", "-m", "x%y"]) == '"/opt/my apps/archivist" -m x%%y'
    # Quoted, then escaped as a string value: one backslash in the path is four in the file.
    assert _desktop_quoted(["/opt/a\\b c/archivist"]) == '"/opt/a' + "\\" * 4 + 'b c/archivist"'
