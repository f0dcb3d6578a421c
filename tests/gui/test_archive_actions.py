"""Working with the archive as a whole: cancelling an indexing run, dropping a folder on the window."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from index import Archive, IndexSummary
from index.indexing.indexer import CancelCheck, ProgressCallback

from .helpers import search


def test_cancel_from_the_progress_bar_stops_indexing_and_keeps_searching(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
) -> None:
    controller = window.controller
    cancel_seen = threading.Event()

    def blocking_update(self: Archive, progress: ProgressCallback | None = None,
                        should_cancel: CancelCheck | None = None, workers: int | None = None,
                        on_wait: object = None) -> IndexSummary:
        assert progress is not None and should_cancel is not None
        progress(1, 3, "001.txt")
        deadline = time.monotonic() + 30
        while not should_cancel() and time.monotonic() < deadline:  # until the user cancels
            time.sleep(0.01)
        cancel_seen.set()
        return IndexSummary(added=1, cancelled=should_cancel(), seconds=0.5)

    monkeypatch.setattr(Archive, "update", blocking_update)
    window.reindex_action.trigger()
    qtbot.waitUntil(lambda: window.progress.label.text().startswith("1 / 3 files"), timeout=10000)
    assert window.progress.isVisible() and controller.is_indexing
    with qtbot.waitSignal(controller.indexing_finished, timeout=10000) as blocker:
        qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
        assert window.progress.label.text() == "Cancelling…"
        assert not window.progress.cancel_button.isEnabled()
    assert cancel_seen.is_set()
    assert blocker.args[0].cancelled
    assert window.statusBar().currentMessage().startswith("Indexing cancelled: 1 added")
    assert not window.progress.isVisible() and not controller.is_indexing
    search(qtbot, window, "Hanoi", expected_total=3)


def _mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_dropping_a_folder_on_the_window_opens_it(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "dropped"
    other.mkdir()
    (other / "one.txt").write_text("A dropped article\n\nOnly one article about Baku lives here.\n", "utf-8")
    mime = _mime(other)
    enter = QDragEnterEvent(QPoint(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.controller.indexing_finished, timeout=60000):
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: window.results.total == 1, timeout=10000)
    assert "dropped" in window.windowTitle()
    assert window.results.hits[0].title == "A dropped article"


def test_dropping_a_file_is_refused(window: MainWindow, tmp_path: Path) -> None:
    a_file = tmp_path / "note.txt"
    a_file.write_text("not a folder\n", "utf-8")
    mime = _mime(a_file)  # the event does not own its mime data: keep it alive
    enter = QDragEnterEvent(QPoint(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()
    assert "seeds" in window.windowTitle()
