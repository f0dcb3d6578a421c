"""The app with hostile articles, a damaged index, and another Archivist writing the same archive."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gui.formatting import literal_rich_text
from gui.main_window import MainWindow
from index import Archive
from index.storage.layout import WHOOSH_DIR, indexing_lock

from .conftest import _build
from .helpers import open_first, search

MARKUP = "<b>Bold</b> <img src='file:///etc/passwd'> &amp; <a href='javascript:alert(1)'>link</a>"


def test_markup_in_titles_and_paths_is_shown_literally(qtbot: QtBot, tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "hostile"
    (root / "<i>folder</i>").mkdir(parents=True)
    (root / "<i>folder</i>" / "a&b.txt").write_text(f"title: {MARKUP}\n\nThe ferry sailed from Baku to Turkmenbashi.")
    window = _build_on(qtbot, root, data_dir, results=1)
    tooltip = window.results.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith(literal_rich_text("<i>folder</i>/a&b.txt")[:-4])
    assert "<b>" not in tooltip and "&lt;b&gt;Bold&lt;/b&gt;" not in tooltip  # the path line, then dates
    pane = open_first(qtbot, window)
    assert pane.text.toPlainText().startswith(MARKUP)  # the title, every character as it is
    assert "<i>folder</i>/a&b.txt" in pane.metadata.text()
    assert pane.metadata.textFormat() == Qt.TextFormat.PlainText
    for label in window.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText or "<i>folder" not in label.text()
    window.close()


def _build_on(qtbot: QtBot, root: Path, data: Path, results: int) -> MainWindow:
    from gui.app import create_window

    window = create_window(root, data=data)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.results.rowCount() == results and not window.controller.is_indexing, timeout=60000)
    return window


def test_a_damaged_index_is_rebuilt_by_the_app(qtbot: QtBot, archive_dir: Path, data_dir: Path) -> None:
    window = _build(qtbot, archive_dir, data_dir)
    window.controller.archive.close()  # As when the app starts on an index damaged since.
    index_dir = window.controller.archive.index_dir
    for segment in (index_dir / WHOOSH_DIR).glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:100])
    with qtbot.waitSignal(window.controller.indexing_finished, timeout=60000) as finished:
        search(qtbot, window, "Hanoi")
    assert "damaged" in finished.args[0].rebuilt
    search(qtbot, window, "Hanoi", expected_total=3)
    window.close()


def test_a_correction_made_while_another_archivist_indexes_is_saved_and_shown(qtbot: QtBot, window: MainWindow) -> None:
    """Another process holds the indexing lock (here: a thread of the test): the correction goes through."""
    archive = window.controller.archive
    assert archive is not None
    holding, release = threading.Event(), threading.Event()

    def other_indexer() -> None:
        with indexing_lock(archive.index_dir).held():
            holding.set()
            release.wait(60)

    other = threading.Thread(target=other_indexer)
    other.start()
    try:
        holding.wait(10)
        pane = open_first(qtbot, window)
        article_id = pane.article_id
        assert article_id is not None
        with qtbot.waitSignal(window.controller.article_corrected, timeout=30000):
            window.controller.correct(article_id, "title", "Corrected while indexing")
        assert Archive(archive.root, window.controller.data).article(article_id).title == "Corrected while indexing"
        # Meanwhile a re-index from the app waits for the other one, and says so.
        window.reindex_action.trigger()
        qtbot.waitUntil(lambda: window.progress.label.text().startswith("Waiting: "), timeout=10000)
        assert "is already indexing this archive" in window.progress.label.text()
    finally:
        release.set()
        other.join(30)
    qtbot.waitUntil(lambda: not window.controller.is_indexing, timeout=60000)
