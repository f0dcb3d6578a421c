"""The main window end to end on a copy of the seeds: search, facets, chips, timeline, reading, editing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from gui.facet_model import ValueRole
from gui.main_window import MainWindow
from index import Archive, SearchRequest, SearchResult

from .helpers import facet_point, open_first, search


def test_startup_indexes_seeds_and_shows_five_results(window: MainWindow) -> None:
    assert window.results.rowCount() == 5
    assert window.total_label.text() == "5 results"
    assert window.facets.models["source"].rowCount() >= 3
    assert "seeds" in window.windowTitle()


def test_typing_a_query_updates_results_and_facets(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Hanoi", expected_total=3)
    assert window.results.rowCount() == 3
    assert window.total_label.text() == "3 results"
    languages = window.facets.models["language"]
    counts = {
        languages.index(r, 0).data(Qt.ItemDataRole.UserRole + 1): languages.index(r, 0).data(
            Qt.ItemDataRole.UserRole + 2
        )
        for r in range(languages.rowCount())
    }
    assert counts == {"en": 2, "fr": 1}
    assert sum(b.count for b in window.timeline_model.buckets) + window.timeline_model.undated == 3


def test_typing_is_debounced_into_one_search(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    original = window.controller.search

    def spy(request: SearchRequest) -> int:
        asked.append(request.query)
        return original(request)

    monkeypatch.setattr(window.controller, "search", spy)
    search(qtbot, window, "Vietnam", expected_total=5)
    assert asked == ["Vietnam"]


def test_facet_click_adds_a_chip_and_filters(qtbot: QtBot, window: MainWindow) -> None:
    view = window.facets.views["language"]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=facet_point(window, "language", "fr"))
    qtbot.waitUntil(lambda: window.results.total == 1, timeout=10000)
    assert list(window.chips.chips) == ["language:fr"]
    assert window.results.hits[0].language == "fr"
    qtbot.mouseClick(window.chips.chips["language:fr"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.results.total == 5, timeout=10000)
    assert window.chips.chips == {}


def test_ctrl_click_excludes_a_facet_value(qtbot: QtBot, window: MainWindow) -> None:
    view = window.facets.views["language"]
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        facet_point(window, "language", "fr"),
    )
    qtbot.waitUntil(lambda: window.results.total == 4, timeout=10000)
    assert list(window.chips.chips) == ["-language:fr"]
    assert all(hit.language != "fr" for hit in window.results.hits)


def test_bad_query_shows_the_engine_message_inline(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "vietnam (baku")
    qtbot.waitUntil(lambda: window.search_bar.error.isVisible(), timeout=10000)
    assert "not closed" in window.search_bar.error.text()
    assert window.search_bar.error.text().startswith("^")
    assert window.search_bar.error.indent() > 20  # the caret sits under the "(", not at the start
    search(qtbot, window, "vietnam")
    qtbot.waitUntil(lambda: not window.search_bar.error.isVisible(), timeout=10000)
    assert window.results.total == 5


def test_stale_reply_is_dropped(qtbot: QtBot, window: MainWindow) -> None:
    received: list[tuple[int, int]] = []
    window.controller.results_ready.connect(lambda rid, result: received.append((rid, result.total)))
    first = window.controller.search(SearchRequest(query="Hanoi"))
    second = window.controller.search(SearchRequest(query="Trend"))
    qtbot.waitUntil(lambda: bool(received), timeout=10000)
    with qtbot.assertNotEmitted(window.controller.results_ready, wait=300):
        pass
    assert first not in [rid for rid, _ in received]
    assert received == [(second, window.results.total)]


def test_searches_are_prepared_once_the_first_results_show(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facets' bitmaps are made once an archive shows results, not by a later keystroke."""
    from index.archive import Archive

    prepared: list[Archive] = []
    preparing = Archive.prepare_searches
    monkeypatch.setattr(Archive, "prepare_searches", lambda self: (prepared.append(self), preparing(self)))
    window.controller.open_archive(window.controller.archive.root, reindex=False)  # type: ignore[union-attr]
    search(qtbot, window, "Hanoi", expected_total=3)
    qtbot.waitUntil(lambda: prepared == [window.controller.archive], timeout=10000)
    search(qtbot, window, "Trend")
    qtbot.waitUntil(lambda: window.last_result is not None and window.last_result.query == "Trend", timeout=10000)
    window.controller._pool.waitForDone(10000)  # noqa: SLF001 - a second preparation would have run by now
    assert prepared == [window.controller.archive]  # once an archive, until it is indexed again
    window.controller.reindex()
    qtbot.waitUntil(lambda: not window.controller.is_indexing, timeout=60000)
    search(qtbot, window, "Hanoi", expected_total=3)
    qtbot.waitUntil(lambda: len(prepared) == 2, timeout=10000)


def test_opening_an_article_highlights_its_hits(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Hanoi", expected_total=3)
    pane = open_first(qtbot, window)
    assert pane.hit_positions
    start, end = pane.hit_positions[0]
    text = pane.text.toPlainText()
    assert text[start:end].lower().startswith("hano")
    cursor = QTextCursor(pane.text.document())
    cursor.setPosition(start + 1)  # the format of the character before the cursor: the hit's first
    assert cursor.charFormat().background().color() == QColor("#ffe58a")
    cursor.setPosition(max(1, start - 1))
    assert cursor.charFormat().background().color() != QColor("#ffe58a")
    assert "inferred from text" in pane.metadata.text() or "from header" in pane.metadata.text()
    assert pane.hits_label.text().startswith("hit 1 of")
    pane.next_button.click()
    assert pane.current_hit == (1 if len(pane.hit_positions) > 1 else 0)


def test_markup_in_an_article_shows_literally(qtbot: QtBot, window: MainWindow, archive_dir: Path) -> None:
    (archive_dir / "markup.txt").write_text(
        "Markup survives\n\nThe zebra article keeps <b>&amp;</b> as typed, says the zebra keeper. "
        "Written on 5 January 2024 in Baku.\n",
        "utf-8",
    )
    with qtbot.waitSignal(window.controller.indexing_finished, timeout=60000):
        window.reindex_action.trigger()
    search(qtbot, window, "zebra", expected_total=1)
    pane = open_first(qtbot, window)
    assert "keeps <b>&amp;</b> as typed" in pane.text.toPlainText()
    assert pane.metadata.textFormat() == Qt.TextFormat.PlainText
    assert len(pane.hit_positions) == 2
    from gui.result_delegate import hit_html

    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in hit_html(window.results.hits[0])


def test_split_pane_opens_beside_and_closes(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Vietnam", expected_total=5)
    first = open_first(qtbot, window)
    window.result_list.setCurrentIndex(window.results.index(1, 0))
    qtbot.keyClick(window.result_list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(window.readers.panes) == 2
    second = window.readers.panes[1]
    qtbot.waitUntil(lambda: second.article_id == window.results.hits[1].id, timeout=10000)
    assert first.article_id == window.results.hits[0].id
    assert second.hit_positions and first.hit_positions
    second.close_button.click()
    assert len(window.readers.panes) == 1


def test_timeline_brush_creates_a_date_filter(qtbot: QtBot, window: MainWindow) -> None:
    timeline = window.timeline
    buckets = window.timeline_model.buckets
    first = next(i for i, b in enumerate(buckets) if b.start.year == 2025)
    last = len(buckets) - 1
    y = timeline.height() // 2
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.bucket_x(first)), y))
    qtbot.mouseMove(timeline, QPoint(int(timeline.bucket_x(last)), y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.bucket_x(last)), y))
    qtbot.waitUntil(lambda: window.results.total == 3, timeout=10000)
    assert "date" in window.chips.chips
    assert "2025-01-01" in window.chips.chips["date"].text()
    assert all(hit.date and hit.date.year == 2025 for hit in window.results.hits)


def test_editing_a_date_updates_results_and_facets(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_first(qtbot, window)
    article_id = pane.article_id
    pane.edit_button.click()
    dialog = pane.edit_dialog
    assert dialog is not None
    dialog.editors["date"].setText("2010-06-01")
    with qtbot.waitSignal(window.controller.article_corrected, timeout=10000):
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(v.value == "2010" for v in window.facets.models["year"]._values), timeout=10000)
    row = window.results.row_of(article_id or "")
    hit = window.results.hits[row]
    assert hit.date is not None and hit.date.isoformat() == "2010-06-01"
    assert hit.date_provenance.value == "user"
    qtbot.waitUntil(lambda: "corrected by you" in pane.metadata.text(), timeout=10000)


def test_event_loop_turns_while_a_slow_search_runs(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    entered = threading.Event()
    original = Archive.search

    def slow_search(self: Archive, request: SearchRequest) -> SearchResult:
        entered.set()
        release.wait(20)
        return original(self, request)

    monkeypatch.setattr(Archive, "search", slow_search)
    search(qtbot, window, "Hanoi")
    qtbot.waitUntil(entered.is_set, timeout=5000)
    timer = QTimer()
    timer.setInterval(20)
    try:
        with qtbot.waitSignal(timer.timeout, timeout=2000):
            timer.start()
        assert window.results.total == 5  # still the old results: the search has not come back
    finally:
        release.set()
        timer.stop()
    qtbot.waitUntil(lambda: window.results.total == 3, timeout=10000)


def test_history_and_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Hanoi", expected_total=3)
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Return)
    search(qtbot, window, "Trend", expected_total=1)
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Return)
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Up)
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Up)
    assert window.search_bar.text() == "Hanoi"
    qtbot.waitUntil(lambda: window.results.total == 3, timeout=10000)
    window.result_list.setFocus()
    window.result_list.setCurrentIndex(window.results.index(0, 0))
    qtbot.keyClick(window.result_list, Qt.Key.Key_J)
    assert window.result_list.currentIndex().row() == 1
    qtbot.keyClick(window.result_list, Qt.Key.Key_K)
    assert window.result_list.currentIndex().row() == 0
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.results.total == 5, timeout=10000)
    assert window.search_bar.text() == ""


def test_recent_archives_and_geometry_are_persisted(window: MainWindow, archive_dir: Path) -> None:
    from gui.settings import recent_archives, settings

    assert recent_archives()[0] == archive_dir.resolve()
    window.save_state()
    assert settings().value("columns") is not None


def test_sort_newest_and_oldest(qtbot: QtBot, window: MainWindow) -> None:
    window.sort_box.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: (
            window.last_result is not None
            and window.results.hits[0].date is not None
            and window.results.hits[0].date.isoformat() == "2025-05-08"
        ),
        timeout=10000,
    )
    window.sort_box.setCurrentIndex(2)
    qtbot.waitUntil(
        lambda: window.results.hits[0].date is not None and window.results.hits[0].date.isoformat() == "2019-03-12",
        timeout=10000,
    )


def test_syntax_help_puts_an_example_in_the_field(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.search_bar.help_button, Qt.MouseButton.LeftButton)
    help_popup = window.search_bar.help
    assert help_popup.isVisible()
    item = help_popup.table.topLevelItem(1)
    assert item.text(0) == "vietnam OR hanoi"
    help_popup.table.itemActivated.emit(item, 0)
    assert window.search_bar.text() == "vietnam OR hanoi"
    assert not help_popup.isVisible()
    qtbot.waitUntil(
        lambda: window.last_result is not None and window.last_result.query == "vietnam OR hanoi", timeout=10000
    )


def test_open_another_archive_indexes_it_and_lists_it_as_recent(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    archive_dir: Path,
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.txt").write_text("A lone article\n\nOnly one article about Baku lives here.\n", "utf-8")
    with qtbot.waitSignal(window.controller.indexing_finished, timeout=60000):
        window.open_archive(other)
    qtbot.waitUntil(lambda: window.results.total == 1, timeout=10000)
    assert "other" in window.windowTitle()
    recent = [action.text() for action in window.recent_menu.actions()]
    assert recent[:2] == [str(other.resolve()), str(archive_dir.resolve())]


def test_the_app_keeps_its_settings_where_archivist_config_dir_says_never_in_the_users(
    window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from gui.settings import APPLICATION, ORGANISATION, settings

    native = Path(QSettings(ORGANISATION, APPLICATION).fileName())  # where Qt would put them by default
    before = native.stat().st_mtime_ns if native.exists() else None
    window.save_state()
    window.open_archive(tmp_path / "seeds")
    assert Path(settings().fileName()).is_relative_to(tmp_path)
    assert window.recent_menu.actions() and str(tmp_path) in window.recent_menu.actions()[0].text()
    assert (native.stat().st_mtime_ns if native.exists() else None) == before


def test_a_folder_that_is_not_there_is_said_so_and_leaves_open_recent(window: MainWindow, tmp_path: Path) -> None:
    open_before = window.controller.archive.root  # type: ignore[union-attr]
    missing = tmp_path / "moved-away"
    window.open_archive(missing)
    assert "moved-away is not a folder here" in window.statusBar().currentMessage()
    assert window.controller.archive is not None and window.controller.archive.root == open_before
    assert all("moved-away" not in action.text() for action in window.recent_menu.actions())


def test_every_result_is_reachable_by_scrolling(qtbot: QtBot, tmp_path: Path, data_dir: Path) -> None:
    from gui.app import create_window

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(450):
        (folder / f"{number:03d}.txt").write_text(f"Ferry crossing number {number} between Baku and Aktau.", "utf-8")
    window = create_window(folder, data=data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.results.total == 450 and not window.controller.is_indexing, timeout=120000)
    assert (
        window.results.rowCount() == 200 and window.total_label.text() == "450 results (showing 200; scroll for more)"
    )
    for shown in (400, 450):
        window.result_list.scrollToBottom()  # the view asks the model for more at its end
        qtbot.waitUntil(lambda shown=shown: window.results.rowCount() == shown, timeout=10000)
    assert not window.results.canFetchMore() and window.total_label.text() == "450 results"
    assert len({hit.id for hit in window.results.hits}) == 450
    window.close()


def test_an_open_article_follows_the_query_and_goes_when_its_file_does(
    qtbot: QtBot, window: MainWindow, archive_dir: Path
) -> None:
    from .helpers import open_first, search

    search(qtbot, window, "Hanoi", expected_total=3)
    pane = open_first(qtbot, window)
    first = pane.hits_label.text()
    assert first.startswith("hit 1 of")
    search(qtbot, window, "Vietnam", expected_total=5)
    qtbot.waitUntil(lambda: pane.hits_label.text() != first, timeout=10000)  # the new query's hits
    assert pane.article is not None and pane.hits_label.text().startswith("hit 1 of")
    article_id, path = pane.article.id, archive_dir / pane.article.path
    path.unlink()
    window.controller.reindex()
    qtbot.waitUntil(lambda: not window.controller.is_indexing and window.results.total == 4, timeout=60000)
    pane.request_id = window.controller.open_article(article_id, "")  # as a reload after a correction does
    qtbot.waitUntil(lambda: pane.article is None, timeout=10000)
    assert f"no article with id {article_id}" in window.statusBar().currentMessage()


def test_the_help_lists_entity_fields_date_comparisons_and_every_key(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    from gui.syntax_help import KEYS

    examples = [
        window.search_bar.help.table.topLevelItem(i).text(0)
        for i in range(window.search_bar.help.table.topLevelItemCount())
    ]
    assert {'person:"To Lam"', "org:CPCV", "place:Hanoï", "date:>2020"} <= set(examples)
    actions = next(a for a in window.menuBar().actions() if a.text() == "&Help").menu().actions()
    action = next(a for a in actions if a.text() == "&Keyboard shortcuts")
    action.trigger()
    box = window.findChild(QMessageBox, "shortcutsWindow")
    assert box is not None and box.isVisible() and not box.isModal()
    assert all(key in box.text() for key, _ in KEYS[:3]) and "Ctrl+E" in box.text()
    box.close()


def test_a_facet_name_the_column_elides_is_whole_in_its_tooltip(window: MainWindow) -> None:
    model = window.facets.models["org"]
    names = {model.index(row, 0).data(ValueRole): row for row in range(model.rowCount())}
    row = names["Communist Party of Vietnam"]
    tooltip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Communist Party of Vietnam" in tooltip and "results" in tooltip


def test_an_unfinished_quote_keeps_the_last_results_and_shows_the_hint(qtbot: QtBot, window: MainWindow) -> None:
    from .helpers import search

    search(qtbot, window, "Hanoi", expected_total=3)
    shown = [hit.id for hit in window.results.hits]
    qtbot.keyClicks(window.search_bar.field, ' "prime')  # typed so far: the quote is not closed yet
    qtbot.waitUntil(lambda: window.search_bar.error.isVisible(), timeout=10000)
    assert [hit.id for hit in window.results.hits] == shown and window.results.total == 3


def test_the_files_a_run_skipped_are_listed_with_their_reasons_and_folders(
    qtbot: QtBot, archive_dir: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    from gui.app import create_window

    (archive_dir / "feeds").mkdir()
    (archive_dir / "feeds" / "broken.json").write_text('{"title": "cut short', "utf-8")
    window = create_window(archive_dir, data=data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.skipped_button.isVisible(), timeout=60000)
    assert window.skipped_button.text() == "1 file not fully indexed — show" and window.skipped_action.isEnabled()
    window.skipped_button.click()
    dialog = window.skipped_dialog
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.table.item(0, 0).text() == "feeds/broken.json" and dialog.table.item(0, 1).text()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog.table.selectRow(0)
    dialog.open_button.click()
    assert opened == [str(archive_dir / "feeds")]
    window.close()


def test_dates_are_corrected_as_people_type_them_and_read_back_before_saving(qtbot: QtBot, window: MainWindow) -> None:
    from .helpers import open_first

    pane = open_first(qtbot, window)
    pane.open_editor()
    dialog = pane.edit_dialog
    assert dialog is not None and dialog.width() >= 560
    date = dialog.editors["date"]
    date.setText("7 May 2025")
    assert dialog.date_reading.text() == "→ Wednesday 7 May 2025"
    date.setText("2025-05")
    assert dialog.date_reading.text() == "→ Thursday 1 May 2025"
    date.setText("sometime")
    assert dialog.date_reading.text().startswith("Not a date yet")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "cannot be read" in dialog.message.text()
    date.setText("7 May 2025")
    with qtbot.waitSignal(pane.correction_requested) as sent:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert sent.args[1:] == ["date", "2025-05-07"]


def test_a_name_finds_its_other_spellings_with_a_note_that_switches_it_off(qtbot: QtBot, window: MainWindow) -> None:
    from .helpers import search

    search(qtbot, window, "Azerbaijan", expected_total=5)
    label = window.spellings_label
    assert label.isVisible() and "Also matched:" in label.text() and "Azerbaidjan" in label.text()
    assert "more" in label.text() and "Азербайджан" in label.toolTip()  # the row stays short; all in the tooltip
    label.linkActivated.emit("off")
    qtbot.waitUntil(lambda: window.results.total == 4, timeout=10000)
    assert "Matched only as typed" in label.text()
    label.linkActivated.emit("on")
    qtbot.waitUntil(lambda: window.results.total == 5, timeout=10000)
    search(qtbot, window, "ferry", expected_total=0)
    assert not label.isVisible()


def test_side_by_side_keeps_the_results_usable_and_panes_close_from_the_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    from gui.main_window import RESULTS_MIN_WIDTH

    from .helpers import open_first

    open_first(qtbot, window)
    for row in (1, 2, 3):
        window.open_article_beside(window.results.hits[row].id)
    qtbot.waitUntil(lambda: all(pane.article_id for pane in window.readers.panes), timeout=10000)
    assert len(window.readers.panes) == 4 and window.result_list.width() >= RESULTS_MIN_WIDTH
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert len(window.readers.panes) == 3


def test_the_word_being_typed_finds_the_words_it_begins_until_space_or_enter(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "vietnam azer", expected_total=5)  # Azerbaijan, while "azer" is being typed
    assert window.last_result is not None and window.session.request().complete_last_word
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Return)  # Enter: the words as typed
    qtbot.waitUntil(lambda: window.results.total == 0 and not window.session.typing, timeout=10000)
    qtbot.keyClicks(window.search_bar.field, "baijan")
    qtbot.waitUntil(lambda: window.results.total == 5, timeout=10000)


def test_a_long_title_is_whole_in_the_reading_pane_and_shortened_only_in_the_list(
    qtbot: QtBot, window: MainWindow, archive_dir: Path
) -> None:
    title = ("Vietnam and Azerbaijan sign a memorandum on the new ferry line between the Caspian port of Alat "
             "and Hai Phong, with a feasibility study of the cargo terminal due next spring")
    (archive_dir / "long-title.html").write_text(
        f"<html><head><title>{title}</title></head>"
        "<body><p>The quokka ministers met on 3 March 2024.</p></body></html>",
        "utf-8",
    )
    with qtbot.waitSignal(window.controller.indexing_finished, timeout=60000):
        window.reindex_action.trigger()
    search(qtbot, window, "quokka", expected_total=1)
    from gui.result_delegate import hit_html

    assert window.results.hits[0].title == title
    assert title not in hit_html(window.results.hits[0]) and "…" in hit_html(window.results.hits[0])
    pane = open_first(qtbot, window)
    assert pane.text.toPlainText().startswith(title + "\n")


def test_a_click_or_an_arrow_previews_enter_keeps_and_ctrl_enter_opens_beside_the_kept_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    search(qtbot, window, "Vietnam", expected_total=5)
    ids = [hit.id for hit in window.results.hits]
    pane = window.readers.active
    view = window.result_list
    second_row = view.visualRect(window.results.index(1, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=second_row)
    qtbot.waitUntil(lambda: pane.article_id == ids[1], timeout=10000)  # a click shows it
    assert pane.preview_label.isVisible() and pane.kept_id is None
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter keeps it
    qtbot.waitUntil(lambda: not pane.preview_label.isVisible(), timeout=10000)
    assert pane.kept_id == ids[1]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)  # the row the keys stop on is shown
    qtbot.waitUntil(lambda: pane.article_id == ids[3], timeout=10000)
    assert pane.preview_label.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # beside the kept one
    assert len(window.readers.panes) == 2
    beside = window.readers.panes[1]
    qtbot.waitUntil(lambda: beside.article_id == ids[3] and pane.article_id == ids[1], timeout=10000)
    assert not pane.preview_label.isVisible() and not beside.preview_label.isVisible()
    window.session.refresh()  # a new search restores the current row: that previews nothing
    qtbot.waitUntil(lambda: window.results.total == 5, timeout=10000)
    qtbot.wait(300)
    assert (pane.article_id, beside.article_id) == (ids[1], ids[3])


def test_panes_are_moved_and_visited_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    open_first(qtbot, window)
    window.open_article_beside(window.results.hits[1].id)
    left, right = window.readers.panes
    qtbot.waitUntil(lambda: bool(left.article_id and right.article_id), timeout=10000)
    assert window.readers.active is right
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.readers.panes == [right, left] and window.readers.indexOf(right) == 0
    assert window.readers.active is right  # it moved with its article
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.readers.active is left
    qtbot.keyClick(window, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert window.readers.active is right
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.readers.panes == [left]


def test_facets_show_their_top_values_then_more_and_only_the_panel_scrolls(qtbot: QtBot, window: MainWindow) -> None:
    from gui.facet_model import FOLDED_ROWS

    model, view, more = window.facets.models["place"], window.facets.views["place"], window.facets.more["place"]
    returned = len(model.facet.values) if model.facet else 0
    assert returned > FOLDED_ROWS  # the seeds name more places than a folded list shows
    assert model.rowCount() == FOLDED_ROWS and more.isVisibleTo(window) and "more…" in more.text()
    assert view.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert view.height() >= FOLDED_ROWS * view.sizeHintForRow(0)  # every row it has is in view
    more.linkActivated.emit("more")
    assert model.rowCount() == returned and "fewer" in more.text()
    assert view.height() >= returned * view.sizeHintForRow(0)
    more.linkActivated.emit("fewer")
    assert model.rowCount() == FOLDED_ROWS
    last = model.facet.values[-1].value if model.facet else ""
    window.session.include("place", last)  # a value folded away stays in view while it filters
    qtbot.waitUntil(lambda: any(model.index(r, 0).data(ValueRole) == last for r in range(model.rowCount())),
                    timeout=10000)


def test_rows_stay_in_place_when_a_chip_or_the_spellings_note_comes_and_goes(
    qtbot: QtBot, window: MainWindow
) -> None:
    def top() -> int:
        return window.result_list.mapTo(window, QPoint(0, 0)).y()

    before = top()
    view = window.facets.views["language"]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=facet_point(window, "language", "fr"))
    qtbot.waitUntil(lambda: bool(window.chips.chips) and window.results.total == 1, timeout=10000)
    assert top() == before
    search(qtbot, window, "Azerbaijan", expected_total=1)
    qtbot.waitUntil(lambda: window.spellings_label.isVisible(), timeout=10000)
    assert top() == before
    window.chips.remove_requested.emit("language:fr")
    qtbot.waitUntil(lambda: not window.chips.chips, timeout=10000)
    assert top() == before


def test_brushing_works_again_after_a_brush_that_selected_nothing(qtbot: QtBot, window: MainWindow) -> None:
    timeline = window.timeline
    buckets = window.timeline_model.buckets
    empty = next(i for i, b in enumerate(buckets) if b.count == 0)
    full = max(range(len(buckets)), key=lambda i: buckets[i].count)
    y = timeline.height() // 2

    def brush(index: int) -> None:
        point = QPoint(int(timeline.bucket_x(index)), y)
        qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=point)

    brush(empty)
    qtbot.waitUntil(lambda: window.results.total == 0 and "date" in window.chips.chips, timeout=10000)
    assert window.timeline_model.buckets == buckets  # still there to brush, the period marked on them
    assert timeline.selection == (empty, empty)
    brush(full)
    qtbot.waitUntil(lambda: window.results.total == buckets[full].count, timeout=10000)
    assert timeline.selection == (full, full)


def test_the_no_date_bar_is_a_filter_too(qtbot: QtBot, window: MainWindow, archive_dir: Path) -> None:
    (archive_dir / "undated.txt").write_text("Undated note\n\nThe walrus delegation met nobody.\n", "utf-8")
    with qtbot.waitSignal(window.controller.indexing_finished, timeout=60000):
        window.reindex_action.trigger()
    qtbot.waitUntil(lambda: window.results.total == 6, timeout=10000)
    timeline = window.timeline
    bar = timeline._undated_rect().center().toPoint()  # noqa: SLF001 - where the bar is drawn
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=bar)
    qtbot.waitUntil(lambda: window.results.total == 1, timeout=10000)
    assert window.results.hits[0].date is None and "undated" in window.chips.chips and timeline.undated_chosen


def test_the_selected_results_are_corrected_at_once_and_undone(qtbot: QtBot, window: MainWindow) -> None:
    from gui.edit_dialog import BulkEditDialog

    search(qtbot, window, "Vietnam", expected_total=5)
    view = window.result_list
    first, third = (view.visualRect(window.results.index(row, 0)).center() for row in (0, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos=third)
    chosen = view.selected_ids()
    assert chosen == [hit.id for hit in window.results.hits[:3]]
    before = {hit.id: hit.date for hit in window.results.hits}
    window.correct_selected()
    dialog = window.bulk_dialog
    assert isinstance(dialog, BulkEditDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.value, "7 May 2011")
    assert "Saturday 7 May 2011" in dialog.reading.text()  # read back before it is saved
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.undo_correction_action.isEnabled(), timeout=20000)
    qtbot.waitUntil(lambda: sum(1 for hit in window.results.hits if str(hit.date) == "2011-05-07") == 3,
                    timeout=10000)
    assert "2011-05-07" in window.undo_correction_action.text()
    window.undo_correction_action.trigger()
    qtbot.waitUntil(lambda: {hit.id: hit.date for hit in window.results.hits} == before, timeout=20000)
    assert not window.undo_correction_action.isEnabled()


def test_undo_leaves_a_later_correction_alone_and_ends_with_the_archive(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    search(qtbot, window, "Vietnam", expected_total=5)
    first, second = (hit.id for hit in window.results.hits[:2])
    window.result_list.select_ids([first, second])
    window._correct_many([first, second], "source", "Bulk Wire")  # noqa: SLF001 - the dialog's answer
    qtbot.waitUntil(lambda: window.undo_correction_action.isEnabled(), timeout=20000)
    assert window.result_list.selected_ids() == sorted([first, second], key=window.results.row_of)
    archive = window.controller.archive
    assert archive is not None
    archive.correct(first, "source", "Hand Edit")  # by hand, after the bulk correction
    window.undo_correction_action.trigger()
    qtbot.waitUntil(lambda: not window.undo_correction_action.isEnabled() and not window._undoing,  # noqa: SLF001
                    timeout=20000)
    assert archive.article(first).source == "Hand Edit" and archive.article(second).source != "Bulk Wire"
    assert "left as they are" in window.statusBar().currentMessage()
    window._correct_many([second], "language", "de")  # noqa: SLF001
    qtbot.waitUntil(lambda: window.undo_correction_action.isEnabled(), timeout=20000)
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("A short note about the ferry.", "utf-8")
    with qtbot.waitSignal(window.controller.indexing_finished, timeout=60000):
        window.open_archive(other)
    assert not window.undo_correction_action.isEnabled()  # not this archive's to undo


def test_a_preview_waiting_when_results_reload_still_arrives(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Vietnam", expected_total=5)
    ids = [hit.id for hit in window.results.hits]
    pane = window.readers.active
    window.open_article(ids[0])
    qtbot.waitUntil(lambda: pane.article_id == ids[0], timeout=10000)
    window.preview_article(ids[1])
    search(qtbot, window, "Vietnam Baku")  # results come back before the preview does
    qtbot.waitUntil(lambda: pane.article_id == ids[1], timeout=10000)
    assert pane.kept_id == ids[0] and pane.preview_label.isVisible()


def test_folded_year_facet_keeps_the_most_frequent_years_in_date_order() -> None:
    from gui.facet_model import FOLDED_ROWS, FacetModel, ValueRole
    from index import Facet, FacetValue

    years = tuple(FacetValue(str(2000 + i), i + 1) for i in range(12))  # more articles every year
    model = FacetModel("year")
    model.set_facet(Facet("year", years, len(years)))
    shown = [model.index(row, 0).data(ValueRole) for row in range(model.rowCount())]
    assert shown == [str(year) for year in range(2004, 2012)] and len(shown) == FOLDED_ROWS


def test_about_shows_the_version_the_locations_and_every_bundled_licence(window: MainWindow) -> None:
    import json

    from index import resource_path
    from index.version import VERSION

    actions = next(a for a in window.menuBar().actions() if a.text() == "&Help").menu().actions()
    next(a for a in actions if a.text() == "&About Archivist").trigger()
    from gui.about import AboutDialog

    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    archive = window.controller.archive
    assert archive is not None and f"Archivist {VERSION}" in text and str(archive.index_dir) in text
    licences = json.loads(resource_path("licences.json").read_text("utf-8"))
    assert all(item["name"] in text for item in licences["components"] + licences["data"])
    assert "CC BY 4.0" in text or "CC-BY-4.0" in text
    dialog.close()

