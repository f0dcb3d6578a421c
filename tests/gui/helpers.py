"""Small helpers shared by the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from gui.facet_model import ValueRole
from gui.main_window import MainWindow
from gui.reader_pane import ReaderPane


def search(qtbot: QtBot, window: MainWindow, text: str, expected_total: int | None = None) -> None:
    """Type ``text`` into the search field like a user and wait for its results."""
    field = window.search_bar.field
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)
    if expected_total is not None:
        qtbot.waitUntil(lambda: window.last_result is not None and window.last_result.query == text
                        and window.results.total == expected_total, timeout=10000)


def facet_point(window: MainWindow, facet: str, value: str) -> QPoint:
    """Where to click on ``value`` in the ``facet`` list."""
    model = window.facets.models[facet]
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(ValueRole) == value:
            return window.facets.views[facet].visualRect(index).center()
    raise AssertionError(f"{value!r} not in facet {facet}")


def open_first(qtbot: QtBot, window: MainWindow) -> ReaderPane:
    """Select the first result, press Enter, and wait for the article in the active pane."""
    window.result_list.setFocus()
    window.result_list.setCurrentIndex(window.results.index(0, 0))
    pane = window.readers.active
    qtbot.keyClick(window.result_list, Qt.Key.Key_Return)
    first_id = window.results.hits[0].id
    qtbot.waitUntil(lambda: pane.article_id == first_id, timeout=10000)
    return pane
