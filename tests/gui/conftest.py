"""Fixtures for the GUI tests: offscreen Qt, settings in a temp dir, the app on a copy of the seeds."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from gui.app import create_window  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.settings import set_entity_models_enabled  # noqa: E402
from index import bundled_seeds  # noqa: E402

GUI_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Any Qt warning during a GUI test fails it."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(GUI_DIR):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform's own limits (size hints, raise(), keyboard grabs of popups): not ours.
            item.add_marker(pytest.mark.qt_log_ignore("^This plugin does not support"))


@pytest.fixture(autouse=True)
def no_entity_models() -> None:
    """Windows do not start the entity model pass after indexing (a process loading a language model
    for the French seeds); tests/gui/test_entity_models.py turns it on."""
    set_entity_models_enabled(False)


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled seeds."""
    target = tmp_path / "seeds"
    shutil.copytree(bundled_seeds(), target)
    return target


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Indexes and corrections under tmp_path (the settings follow ARCHIVIST_CONFIG_DIR, which the
    autouse ``private_dirs`` fixture already points there)."""
    data = tmp_path / "data"
    monkeypatch.setenv("ARCHIVIST_DATA_DIR", str(data))
    return data


@pytest.fixture
def window(qtbot: QtBot, archive_dir: Path, data_dir: Path) -> Iterator[MainWindow]:
    """The main window on the seed copy, its first indexing finished and the first results shown."""
    win = _build(qtbot, archive_dir, data_dir)
    yield win
    win.close()


def _build(qtbot: QtBot, archive_dir: Path, data_dir: Path) -> MainWindow:
    win = create_window(archive_dir, data=data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.results.rowCount() == 5 and not win.controller.is_indexing, timeout=60000)
    return win
