"""Comparing two articles side by side, and near copies folded in the results."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.formatting import to_qt_offset
from gui.main_window import MainWindow
from gui.reader_pane import ReaderPane
from gui.result_model import CopyOfRole

from .conftest import _build


def _id_of(window: MainWindow, prefix: str) -> str:
    return next(hit.id for hit in window.results.hits if hit.path.startswith(prefix))


def _click_passage(qtbot: QtBot, pane: ReaderPane, index: int) -> None:
    """Click in the middle of passage ``index`` of the pane's compared passages, as a user would."""
    start, end, _ = pane.compared[index]
    middle = to_qt_offset(pane._offsets, pane.body_start + (start + end) // 2)  # noqa: SLF001
    cursor = QTextCursor(pane.text.document())
    cursor.setPosition(middle)
    pane.text.setTextCursor(cursor)
    pane.text.ensureCursorVisible()
    point = pane.text.cursorRect(cursor).center()
    qtbot.mouseClick(pane.text.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_two_selected_reports_compare_side_by_side(qtbot: QtBot, window: MainWindow) -> None:
    first, second = _id_of(window, "001"), _id_of(window, "002")
    window.result_list.select_ids([first, second])
    window.compare_selected()
    comparing = window.comparing
    qtbot.waitUntil(lambda: comparing.current is not None and window.compare_bar.next_button.isEnabled(),
                    timeout=20000)
    left, right = window.readers.panes  # in the results' order: 002 (Trend) is listed first
    qtbot.waitUntil(lambda: left.article_id == second and right.article_id == first and bool(left.compared),
                    timeout=20000)
    summary = window.compare_bar.summary.text()
    assert "0% of A is in B" in summary and "alike in other words" in summary and "Ho Chi Minh" in summary
    assert len(left.compared) == len(right.compared) > 0
    assert {kind for _, _, kind in left.compared} == {"similar"}

    # F4 shows the first linked passage in both panes.
    window.comparing.step(1)
    link = comparing.current.links[0]  # type: ignore[union-attr]
    assert link.a is not None and link.b is not None
    assert left.text.textCursor().position() == to_qt_offset(left._offsets, left.body_start + link.a[0])  # noqa: SLF001
    assert right.text.textCursor().position() == to_qt_offset(right._offsets, right.body_start + link.b[0])  # noqa: SLF001

    # A click on a linked passage in one pane shows its partner in the other.
    body = left.article.body  # type: ignore[union-attr]
    visit = next(k for k, (start, end, _) in enumerate(left.compared) if "1959" in body[start:end])
    _click_passage(qtbot, left, visit)
    assert comparing.current.current == visit  # type: ignore[union-attr]
    partner = comparing.current.links[visit].b  # type: ignore[union-attr]
    assert partner is not None and "Ho Chi Minh" in right.article.body[partner[0] : partner[1]]  # type: ignore[union-attr]
    assert right.text.textCursor().position() == to_qt_offset(right._offsets, right.body_start + partner[0])  # noqa: SLF001

    # Scrolling together: the other pane follows in proportion, but never hides the passage shown.
    window.compare_bar.sync.setChecked(True)
    _click_passage(qtbot, left, visit)
    for pane in (left, right):
        assert pane.text.viewport().rect().intersects(pane.text.cursorRect())
    left_bar, right_bar = left.text.verticalScrollBar(), right.text.verticalScrollBar()
    left_bar.setValue(left_bar.maximum())
    assert right_bar.value() == right_bar.maximum()
    window.compare_bar.sync.setChecked(False)
    left_bar.setValue(0)
    assert right_bar.value() == right_bar.maximum()

    # Another article in a compared pane ends the comparison.
    window._load(left, _id_of(window, "000"), keep=True)  # noqa: SLF001
    qtbot.waitUntil(lambda: comparing.current is None and not left.compared and not right.compared, timeout=10000)
    assert window.compare_bar.isHidden()


def test_a_pane_turned_to_another_article_before_the_comparison_comes_is_not_compared(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.result_list.select_ids([_id_of(window, "001"), _id_of(window, "002")])
    window.compare_selected()
    left = window.readers.panes[0]
    window._load(left, _id_of(window, "000"), keep=True)  # noqa: SLF001 - at once, as a fast user would
    qtbot.waitUntil(lambda: left.article_id == _id_of(window, "000"), timeout=10000)
    qtbot.wait(1500)  # the comparison's reply has come by now
    assert window.comparing.current is None and not left.compared and window.compare_bar.isHidden()


def test_one_selected_result_compares_with_the_kept_article(qtbot: QtBot, window: MainWindow) -> None:
    window.open_article(_id_of(window, "001"))
    qtbot.waitUntil(lambda: window.readers.active.article_id == _id_of(window, "001"), timeout=10000)
    window.result_list.select_ids([_id_of(window, "002")])
    window.compare_selected()
    qtbot.waitUntil(lambda: window.comparing.current is not None, timeout=20000)
    assert window.comparing.current.ids == (_id_of(window, "001"), _id_of(window, "002"))  # type: ignore[union-attr]
    window.compare_bar.end_requested.emit()
    assert window.comparing.current is None and not window.readers.panes[0].compared


def test_a_result_dragged_onto_a_pane_is_compared_with_the_article_beside(qtbot: QtBot, window: MainWindow) -> None:
    window.open_article(_id_of(window, "001"))
    left = window.readers.active
    qtbot.waitUntil(lambda: left.article_id == _id_of(window, "001"), timeout=10000)
    right = window.readers.add_pane()
    index = window.results.index(window.results.row_of(_id_of(window, "002")), 0)
    data = window.results.mimeData([index])
    point = QPointF(right.rect().center())
    for event_type in (QEvent.Type.DragEnter, QEvent.Type.Drop):
        event_class = QDragEnterEvent if event_type == QEvent.Type.DragEnter else QDropEvent
        event = event_class(point.toPoint() if event_class is QDragEnterEvent else point, Qt.DropAction.CopyAction,
                            data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(right, event)
        assert event.isAccepted()
    qtbot.waitUntil(lambda: window.comparing.current is not None and right.article_id == _id_of(window, "002"),
                    timeout=20000)
    assert window.comparing.current.ids == (_id_of(window, "001"), _id_of(window, "002"))  # type: ignore[union-attr]


SYNDICATION_FOOTER = "Republished from Azertac. All rights reserved. Follow Caspian Wire for news from the region."


@pytest.fixture
def copies_window(qtbot: QtBot, archive_dir: Path, data_dir: Path) -> Iterator[MainWindow]:
    """The seeds with a syndicated copy of 001 under another headline and footer."""
    original = next(archive_dir.glob("001_*.txt")).read_text("utf-8")
    (archive_dir / "001-copy.txt").write_text(
        f"Title: Aliyev and To Lam hold talks\nDate: 2025-05-08\nSource: Caspian Wire\n\n{original}\n\n"
        f"{SYNDICATION_FOOTER}\n",
        "utf-8",
    )
    window = _build(qtbot, archive_dir, data_dir)  # 5 rows: the copy is folded under 001
    yield window
    window.close()


def test_a_syndicated_copy_is_folded_under_its_original_listed_on_request_and_compared(
    qtbot: QtBot, copies_window: MainWindow
) -> None:
    window = copies_window
    assert window.results.total == 5 and "1 more as copies" in window.total_label.text()
    assert window.facets.copies_note.text() == "Counts include 1 near copy folded in the results"
    assert window.timeline_panel.title.text().endswith("counts include 1 near copy folded in the results")
    original = _id_of(window, "001_")
    hit = window.results.hits[window.results.row_of(original)]
    assert len(hit.copies) == 1

    window.result_list.setFocus()
    window.result_list.setCurrentIndex(window.results.index(window.results.row_of(original), 0))
    qtbot.keyClick(window.result_list, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.results.rowCount() == 6, timeout=10000)
    copy_row = window.results.row_of(original) + 1
    assert window.results.index(copy_row, 0).data(CopyOfRole) == original
    assert window.results.hits[copy_row].path == "001-copy.txt"
    qtbot.keyClick(window.result_list, Qt.Key.Key_Left)
    assert window.results.rowCount() == 5

    # The reading pane names the copy; its "compare" link compares them: all of the original is in it.
    window.open_article(original)
    pane = window.readers.active
    qtbot.waitUntil(lambda: "1 near copy" in pane.related.text(), timeout=10000)
    assert "Most like it</a> ▸" in pane.related.text()  # asked for only on a click: it reads the whole archive
    pane.related.linkActivated.emit("similar:")
    qtbot.waitUntil(lambda: "Most like it</a> ▾" in pane.related.text(), timeout=10000)
    assert "Trend" in pane.related.text()  # 002, the other report of the visit
    pane.related.linkActivated.emit(f"compare:{hit.copies[0]}")
    qtbot.waitUntil(lambda: window.comparing.current is not None and not window.compare_bar.isHidden(), timeout=20000)
    qtbot.waitUntil(lambda: "100% of A is in B" in window.compare_bar.summary.text(), timeout=10000)
    assert {kind for _, _, kind in pane.compared} == {"same"}

    # Results come a page at a time; copies listed under one do not count as results of the page.
    window.session.page_size = 1  # so that a listed copy shifts the page count, as 200 copies would at 200
    window.session.refresh()
    qtbot.waitUntil(lambda: len(window.last_result.hits) == 1 and not window.results.fetching,  # type: ignore[union-attr]
                    timeout=10000)
    while not any(hit.copies for hit in window.results.hits):
        window.results.fetchMore()
        qtbot.waitUntil(lambda: not window.results.fetching, timeout=10000)
    window.list_copies(next(hit.id for hit in window.results.hits if hit.copies))
    qtbot.waitUntil(lambda: len(window.results.copy_of) == 1, timeout=10000)
    def fetched_to_the_end() -> bool:
        # The view asks for pages too, as rows arrive: wait until none is on its way, not for one.
        if window.results.canFetchMore():
            window.results.fetchMore()
        return not window.results.fetching and window.results.results_shown >= window.results.total

    qtbot.waitUntil(fetched_to_the_end, timeout=10000)
    assert window.results.results_shown == 5 and window.results.rowCount() == 6
    assert len({hit.id for hit in window.results.hits}) == 6
    window.session.page_size = 200

    # Every copy shown: the switch unfolds them.
    window.fold_copies_action.setChecked(False)
    qtbot.waitUntil(lambda: window.results.total == 6 and window.last_result.copies_folded == 0, timeout=10000)  # type: ignore[union-attr]
    assert window.facets.copies_note.isHidden() and "copies" not in window.timeline_panel.title.text()
    window.fold_copies_action.setChecked(True)
    qtbot.waitUntil(lambda: window.results.total == 5, timeout=10000)


def test_a_reply_about_an_article_of_the_archive_closed_meanwhile_is_dropped(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    controller = window.controller
    archive = controller.archive
    assert archive is not None
    release = threading.Event()
    real = archive.copies_of

    def slow(*args: object) -> tuple[str, ...]:
        release.wait(10)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(archive, "copies_of", slow)
    replies: list[str] = []
    controller.copies_of_ready.connect(lambda article_id, _copies: replies.append(article_id))
    controller.ask_copies_of(_id_of(window, "001"), 0.7)
    other = tmp_path / "other"
    shutil.copytree(archive.root, other)  # the same relative paths: the same article ids
    controller.open_archive(other)
    release.set()
    qtbot.wait(1500)
    assert replies == []
    qtbot.waitUntil(lambda: not controller.is_indexing, timeout=30000)
