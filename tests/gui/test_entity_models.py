"""The app runs the entity model pass after indexing, in a process of its own, and shows its progress."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess
from pytestqt.qtbot import QtBot

from gui.app import create_window
from gui.entity_models import describe, pass_command
from gui.main_window import MainWindow
from gui.result_model import HitRole
from gui.settings import set_entity_models_enabled
from index import Archive, EntityModelStatus, ModelProgress, SearchRequest, bundled_seeds
from index.analysis.entities.models import MODELS

installed = pytest.mark.skipif(
    not all(m.installed for m in MODELS.values()), reason="the models extra is not installed"
)
FRENCH = "Title: Rennes\nDate: 2025-03-05\nLanguage: fr\n\nLa maire Odile Carpentier a reçu la SNCF à Rennes lundi.\n"


def people(archive: Archive) -> set[str]:
    result = archive.search(SearchRequest("*", page_size=0, facet_limit=200))
    return {value.value for value in result.facets["person"].values}


def window_with_models(qtbot: QtBot, folder: Path, data_dir: Path, extra: dict[str, str]) -> MainWindow:
    """The app on a copy of the seeds and ``extra`` articles, the entity model pass turned on."""
    shutil.copytree(bundled_seeds(), folder)
    for name, text in extra.items():
        (folder / name).write_text(text, "utf-8")
    set_entity_models_enabled(True)
    window = create_window(folder, data=data_dir)
    qtbot.addWidget(window)
    window.show()
    return window


@installed
def test_after_indexing_the_app_reads_names_with_the_models_and_searches_again(
    qtbot: QtBot, tmp_path: Path, data_dir: Path
) -> None:
    window = window_with_models(qtbot, tmp_path / "news", data_dir, {"rennes.txt": FRENCH})
    try:
        qtbot.waitUntil(lambda: window.entity_models.running, timeout=60000)
        qtbot.waitUntil(lambda: window.models_label.isVisible(), timeout=10000)
        assert window.models_label.text().startswith("Names by language model: French")
        qtbot.waitUntil(lambda: not window.entity_models.running, timeout=240000)
        archive = window.controller.archive
        assert archive is not None
        status = archive.entity_model_status()
        assert status.done == status.total > 0
        assert "Odile Carpentier" in people(archive)
        qtbot.waitUntil(lambda: not window.models_label.isVisible(), timeout=10000)
    finally:
        window.close()


@installed
def test_turning_the_models_off_stops_the_pass_and_it_resumes_when_turned_on(
    qtbot: QtBot, tmp_path: Path, data_dir: Path
) -> None:
    window = window_with_models(qtbot, tmp_path / "news", data_dir, {})
    try:
        qtbot.waitUntil(lambda: window.entity_models.running, timeout=60000)
        window.models_action.setChecked(False)
        assert not window.entity_models.running and not window.models_label.isVisible()
        window.models_action.setChecked(True)
        qtbot.waitUntil(lambda: window.entity_models.running, timeout=30000)
        qtbot.waitUntil(lambda: not window.entity_models.running, timeout=240000)
        archive = window.controller.archive
        assert archive is not None
        status = archive.entity_model_status()
        assert status.done == status.total > 0
    finally:
        window.close()


def test_the_status_line_names_each_language() -> None:
    status = EntityModelStatus((ModelProgress("fr", "m 1", 1200, 5000), ModelProgress("ru", "n 1", 3, 40)))
    assert describe(status) == "Names by language model: French 1,200 of 5,000, Russian 3 of 40"


def test_the_pass_runs_the_archivist_command_of_this_installation(tmp_path: Path) -> None:
    program, arguments = pass_command(tmp_path / "news", tmp_path / "data")
    assert arguments[-6:] == ["--data-dir", str(tmp_path / "data"), "entities", "--run-models", "--archive",
                              str(tmp_path / "news")]
    assert Path(program).exists()


@installed
def test_a_pass_that_cannot_start_is_said_and_not_waited_for(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gui.entity_models.pass_command", lambda archive, data: ("/nonexistent/archivist", []))
    with qtbot.waitSignal(window.entity_models.finished, timeout=30000) as finished:
        window.models_action.setChecked(True)
    assert finished.args[0].startswith("it could not start")
    assert not window.entity_models.running
    qtbot.waitUntil(lambda: "could not start" in window.statusBar().currentMessage(), timeout=5000)


@installed
def test_an_article_corrected_to_french_starts_the_pass(qtbot: QtBot, window: MainWindow) -> None:
    window.models_action.blockSignals(True)  # on, without starting the pass for the French seed now
    window.models_action.setChecked(True)
    window.models_action.blockSignals(False)
    english = window.results.index(0, 0).data(HitRole)
    assert english is not None and not window.entity_models.running
    window.controller.correct(english.id, "language", "fr")
    qtbot.waitUntil(lambda: window.entity_models.running, timeout=30000)


def test_a_pass_waits_for_the_one_it_stopped_to_end(qtbot: QtBot, window: MainWindow) -> None:
    """Turned off then on again: the pass asked to stop may not hold the lock yet, so the status
    says no pass runs; a new one must still wait, or it finds the lock taken and gives up."""
    runner = window.entity_models
    archive = window.controller.archive
    assert archive is not None
    stopping = QProcess()
    stopping.start(sys.executable, ["-c", "import time; time.sleep(30)"])
    assert stopping.waitForStarted(10000)
    runner._stopping.add(stopping)  # noqa: SLF001 - as stop() leaves a pass it asked to stop
    try:
        runner.archive, runner._starting = archive, True  # noqa: SLF001 - as start() leaves it
        waiting = EntityModelStatus((ModelProgress("fr", "m 1", 0, 1),))
        runner._on_status(archive, waiting)  # noqa: SLF001
        assert not runner.running
    finally:
        runner._stopping.discard(stopping)  # noqa: SLF001
        stopping.kill()
        stopping.waitForFinished(10000)
