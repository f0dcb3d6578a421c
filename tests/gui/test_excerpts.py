"""Excerpts in the app: select a passage, add it, edit, reorder, remove and undo, export with a preview."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from gui.excerpts_panel import ExcerptRole
from gui.main_window import MainWindow
from gui.reader_pane import ReaderPane
from index import Baskets, CheckedExcerpt

from .helpers import open_first, search

SHOTS = Path(os.environ.get("ARCHIVIST_SCREENSHOTS", "")) if os.environ.get("ARCHIVIST_SCREENSHOTS") else None


def select_in_body(pane: ReaderPane, start: int, end: int) -> str:
    """Select characters ``[start, end)`` of the article's body as a user dragging the mouse would."""
    assert pane.article is not None
    body_start = pane.text.toPlainText().index(pane.article.body[:40])
    cursor = pane.text.textCursor()
    cursor.setPosition(body_start + start)
    cursor.setPosition(body_start + end, QTextCursor.MoveMode.KeepAnchor)
    pane.text.setTextCursor(cursor)
    return pane.article.body[start:end]


def basket_items(window: MainWindow) -> list[CheckedExcerpt]:
    return list(window.excerpts.model.items)


def add_passage(qtbot: QtBot, window: MainWindow, pane: ReaderPane, start: int, end: int) -> str:
    count = len(basket_items(window))
    text = select_in_body(pane, start, end)
    qtbot.keyClick(pane.text, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(basket_items(window)) == count + 1, timeout=10000)
    return text


def test_a_selected_passage_is_added_with_its_citation_and_shown_taken(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Asadov", expected_total=1)
    pane = open_first(qtbot, window)
    assert not pane.excerpt_button.isEnabled()
    text = add_passage(qtbot, window, pane, 25, 73)
    assert window.excerpts_dock.isVisible()
    (item,) = basket_items(window)
    assert item.excerpt.text == text == "Azerbaijan's Prime Minister Ali Asadov has met w"
    assert (item.excerpt.start, item.excerpt.end, item.excerpt.query) == (25, 73, "Asadov")
    assert "Added to “Excerpts”" in window.statusBar().currentMessage()
    saved = Baskets().basket().excerpts()
    assert saved == [item.excerpt]
    # The passage is marked in the reading pane, under the hits.
    assert pane.excerpt_spans == [(25, 73)]
    shown = window.excerpts.view.model().index(0, 0).data()
    assert "Trend, 8 May 2025" in shown and text in shown


def test_the_context_menu_offers_add_and_copy_with_citation(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = open_first(qtbot, window)
    menus: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, _pos, _action=None: menus.append(menu))
    pane.text.customContextMenuRequested.emit(QPoint(5, 5))
    labels = [action.text() for action in menus[-1].actions()]
    assert labels[:2] == ["Add to excerpts\tCtrl+E", "Copy with citation\tCtrl+Shift+C"]
    assert not menus[-1].actions()[0].isEnabled()  # nothing selected yet
    select_in_body(pane, 0, 20)
    pane.text.customContextMenuRequested.emit(QPoint(5, 5))
    copy = menus[-1].actions()[1]
    assert copy.isEnabled()
    copy.trigger()
    clipboard = QGuiApplication.clipboard().mimeData()
    assert pane.article is not None and clipboard.text().startswith(f"“{pane.article.body[:20]}”\n— ")
    assert bytes(clipboard.data("text/markdown").data()).decode("utf-8").startswith("> ")


def test_notes_tags_order_remove_and_undo_in_the_panel(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Asadov", expected_total=1)
    pane = open_first(qtbot, window)
    for start in (0, 100, 200):
        add_passage(qtbot, window, pane, start, start + 30)
    panel = window.excerpts
    ids = [item.excerpt.id for item in basket_items(window)]

    note_index = panel.view.model().index(1, 1)
    panel.view.model().setData(note_index, "le Premier ministre", Qt.ItemDataRole.EditRole)
    panel.view.model().setData(panel.view.model().index(1, 2), "visite, Bakou", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: basket_items(window)[1].excerpt.tags == ("visite", "Bakou"), timeout=10000)
    assert basket_items(window)[1].excerpt.note == "le Premier ministre"
    assert [panel.tag_box.itemText(i) for i in range(panel.tag_box.count())] == ["All tags", "Bakou", "visite"]

    # Drag the last excerpt to the top: the model is asked, the basket reorders, the view follows.
    mime = panel.model.mimeData([panel.model.index(2, 0)])
    panel.model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, panel.model.index(-1, -1))
    qtbot.waitUntil(lambda: [i.excerpt.id for i in basket_items(window)] == [ids[2], ids[0], ids[1]], timeout=10000)

    panel.tag_box.setCurrentIndex(2)
    panel.tag_box.activated.emit(2)
    assert panel.view.model().rowCount() == 1 and not panel.view.dragEnabled()
    panel.tag_box.setCurrentIndex(0)
    panel.tag_box.activated.emit(0)
    assert panel.view.model().rowCount() == 3

    panel.view.selectRow(1)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(basket_items(window)) == 2, timeout=10000)
    assert panel.undo_button.isEnabled()
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(basket_items(window)) == 3, timeout=10000)
    assert [i.excerpt.id for i in basket_items(window)] == [ids[2], ids[0], ids[1]]
    assert [e.id for e in Baskets().basket().excerpts()] == [ids[2], ids[0], ids[1]]

    panel.view.selectRow(0)
    panel.copy_selected()
    copied = QGuiApplication.clipboard().mimeData()
    assert isinstance(copied, QMimeData) and copied.text().startswith("“")
    assert "— Trend, 8 May 2025" in bytes(copied.data("text/markdown").data()).decode("utf-8")


def test_double_click_jumps_back_to_the_passage(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Asadov", expected_total=1)
    pane = open_first(qtbot, window)
    add_passage(qtbot, window, pane, 900, 960)
    search(qtbot, window, "Hanoi", expected_total=3)
    pane = open_first(qtbot, window)
    first_id = pane.article_id
    panel = window.excerpts
    index = panel.view.model().index(0, 0)
    panel.view.doubleClicked.emit(index)
    item = index.data(ExcerptRole)

    def marked() -> str:
        selections = pane.text.extraSelections()
        return selections[0].cursor.selectedText() if len(selections) == 1 else ""

    expected = item.excerpt.text.replace("\n", "\u2029")
    qtbot.waitUntil(lambda: pane.article_id == item.excerpt.article_id and marked() == expected, timeout=10000)
    assert pane.article_id != first_id
    (selection,) = pane.text.extraSelections()
    assert pane.text.textCursor().position() == selection.cursor.selectionStart()


def test_baskets_can_be_created_and_switched(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    pane = open_first(qtbot, window)
    add_passage(qtbot, window, pane, 0, 10)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kw: ("Projet Bakou", True))
    window.excerpts.new_basket()
    assert window.excerpts.basket_name == "Projet Bakou"
    qtbot.waitUntil(lambda: "Projet Bakou" in Baskets().names(), timeout=10000)
    qtbot.waitUntil(lambda: basket_items(window) == [], timeout=10000)
    add_passage(qtbot, window, pane, 20, 30)
    assert [e.text for e in Baskets().basket("Projet Bakou").excerpts()] == [pane.article.body[20:30]]  # type: ignore[union-attr]
    window.excerpts.basket_box.setCurrentText("Excerpts")
    window.excerpts.basket_box.activated.emit(window.excerpts.basket_box.currentIndex())
    qtbot.waitUntil(
        lambda: len(basket_items(window)) == 1 and basket_items(window)[0].excerpt.start == 0, timeout=10000
    )


def test_export_dialog_previews_each_format_and_writes_the_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    search(qtbot, window, "Asadov", expected_total=1)
    pane = open_first(qtbot, window)
    add_passage(qtbot, window, pane, 25, 73)
    add_passage(qtbot, window, pane, 200, 260)
    window.open_export_dialog()
    dialog = window.export_dialog
    assert dialog.isVisible()
    previews = {}
    for row in range(dialog.format_box.count()):
        dialog.format_box.setCurrentIndex(row)
        previews[dialog.format_name] = dialog.preview.toPlainText()
    assert previews["md"].startswith("# Excerpts\n\n> Azerbaijan's Prime Minister")
    assert previews["csv"].startswith("id,text,note")
    assert previews["ris"].startswith("TY  - NEWS")
    assert previews["bibtex"].startswith("@article{trend2025")
    assert previews["docx"].startswith("A Word document; its text:")
    assert '"type": "article-newspaper"' in previews["csl-json"]
    if SHOTS:
        dialog.format_box.setCurrentIndex(0)
        qtbot.wait(100)
        dialog.grab().save(str(SHOTS / "export-dialog.png"))
        window.grab().save(str(SHOTS / "excerpts-panel.png"))
    dialog.format_box.setCurrentIndex(list(previews).index("csv"))
    target = tmp_path / "mine.csv"
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    qtbot.waitUntil(target.exists, timeout=10000)
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert [row["start"] for row in rows] == ["25", "200"]
    qtbot.waitUntil(lambda: "2 excerpts written to" in window.statusBar().currentMessage(), timeout=10000)


def test_an_export_to_a_missing_folder_says_why(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    pane = open_first(qtbot, window)
    add_passage(qtbot, window, pane, 0, 10)
    window.open_export_dialog()
    window.export_dialog.path_edit.setText(str(tmp_path / "missing" / "x.md"))
    window.export_dialog.export_button.click()
    qtbot.waitUntil(lambda: "does not exist" in window.statusBar().currentMessage(), timeout=10000)
    assert not (tmp_path / "missing").exists()
    QApplication.processEvents()


def test_ctrl_e_takes_the_selection_of_the_pane_the_user_selected_in(qtbot: QtBot, window: MainWindow) -> None:
    left = open_first(qtbot, window)
    window.open_article_beside(window.results.hits[1].id)
    right = window.readers.active
    qtbot.waitUntil(lambda: right.article_id == window.results.hits[1].id, timeout=10000)
    window.readers.active = left  # the left pane was the last one worked in...
    text = select_in_body(right, 0, 25)  # ...but the passage is selected in the right one
    right.text.setFocus()
    qtbot.keyClick(right.text, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(basket_items(window)) == 1, timeout=10000)
    assert basket_items(window)[0].excerpt.text == text
    assert basket_items(window)[0].excerpt.article_id == right.article_id


def test_copying_with_citations_does_not_crash_an_offscreen_app_at_exit(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from gui.clipboard import copy_text\n"
        "app = QApplication([])\n"
        "copy_text('“quote” — Trend, 8 May 2025', '> quote')\n"
        "assert app.clipboard().text().startswith('“quote”')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_panes_are_emptied_when_another_archive_opens(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, archive_dir: Path
) -> None:
    import shutil

    pane = open_first(qtbot, window)
    select_in_body(pane, 0, 20)
    other = tmp_path / "other"
    shutil.copytree(archive_dir, other)
    window.open_archive(other)
    assert pane.article is None and pane.selected_passage() is None and not pane.excerpt_button.isEnabled()
    qtbot.keyClick(pane.text, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # nothing to take
    qtbot.waitUntil(lambda: not window.controller.is_indexing, timeout=60000)
    assert basket_items(window) == [] and Baskets().basket().excerpts() == []


def test_undo_right_after_remove_puts_back_that_excerpt(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_first(qtbot, window)
    for start in (0, 50, 100):
        add_passage(qtbot, window, pane, start, start + 20)
    ids = [item.excerpt.id for item in basket_items(window)]
    panel = window.excerpts
    panel.view.selectRow(0)
    panel.remove_selected()
    qtbot.waitUntil(lambda: len(basket_items(window)) == 2, timeout=10000)
    panel.view.selectRow(1)
    panel.remove_selected()
    panel.undo_remove()  # before the removal has run: the excerpt just removed comes back, in its place
    qtbot.waitUntil(lambda: [i.excerpt.id for i in basket_items(window)] == [ids[1], ids[2]], timeout=10000)
    qtbot.wait(200)
    assert [e.id for e in Baskets().basket().excerpts()] == [ids[1], ids[2]]


def test_a_flagged_excerpt_of_an_unreadable_archive_does_not_switch_archives(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    import dataclasses

    pane = open_first(qtbot, window)
    add_passage(qtbot, window, pane, 0, 20)
    moved = dataclasses.replace(basket_items(window)[0].excerpt, archive=str(tmp_path / "moved-away"))
    root = window.controller.archive.root  # type: ignore[union-attr]
    window.open_excerpt(CheckedExcerpt(moved, "its archive cannot be read here (not indexed)"))
    assert window.controller.archive is not None and window.controller.archive.root == root
    assert "flagged" in window.statusBar().currentMessage()


def test_an_export_over_an_existing_file_asks_first(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = open_first(qtbot, window)
    add_passage(qtbot, window, pane, 0, 20)
    target = tmp_path / "mine.md"
    target.write_text("my edited notes", "utf-8")
    dialog = window.export_dialog
    answers: list[bool] = [False]
    monkeypatch.setattr(dialog, "confirm_overwrite", lambda _path: answers[-1])
    window.open_export_dialog()
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    qtbot.wait(300)
    assert target.read_text("utf-8") == "my edited notes" and dialog.isVisible()
    answers.append(True)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: target.read_text("utf-8").startswith("# Excerpts"), timeout=10000)


def test_an_excerpt_edited_after_its_check_keeps_the_id_its_article_was_found_under() -> None:
    import dataclasses

    from gui.controller import _kept_flag
    from tests.test_excerpts import sample

    taken = sample(1)
    found = CheckedExcerpt(dataclasses.replace(taken, article_id="0123456789abcdef"), None, (taken.start, taken.end))
    edited = dataclasses.replace(taken, note="read again")
    kept = _kept_flag(edited, {taken.id: found})
    assert kept.excerpt == dataclasses.replace(edited, article_id="0123456789abcdef")
    assert (kept.flag, kept.found_at) == (None, (taken.start, taken.end))
