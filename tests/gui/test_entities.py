"""Entities in the app: facets and chips, highlighted names in the reader, and entity corrections."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QToolTip
from pytestqt.qtbot import QtBot

from gui.entity_editor import entity_change
from gui.entity_legend import ENTITY_COLOURS
from gui.entity_menu import add_entity_actions
from gui.facet_model import CountRole, ValueRole
from gui.formatting import literal_rich_text, to_qt_offset, utf16_offsets
from gui.main_window import MainWindow
from gui.reader_pane import ENTITY_PROPERTY, ReaderPane
from gui.search_session import chips_for, with_value, without_chip
from index import Filters
from index.analysis.entities import EntityCorrections

from .helpers import facet_point, search

FRENCH_TITLE = "Le Vietnam et l'Azerbaïdjan"


def facet_counts(window: MainWindow, facet: str) -> dict[str, int]:
    model = window.facets.models[facet]
    return {model.index(r, 0).data(ValueRole): model.index(r, 0).data(CountRole) for r in range(model.rowCount())}


def open_french(qtbot: QtBot, window: MainWindow) -> ReaderPane:
    """Open seed 003, the French article, in the active pane."""
    hit = next(h for h in window.results.hits if h.title.startswith(FRENCH_TITLE))
    pane = window.readers.active
    window.open_article(hit.id)
    qtbot.waitUntil(lambda: pane.article_id == hit.id, timeout=10000)
    return pane


def position_of(pane: ReaderPane, word: str, nth: int = 0) -> int:
    """The Qt document position of the ``nth`` ``word`` in the article's body as shown."""
    assert pane.article is not None
    start = -1
    for _ in range(nth + 1):
        start = pane.article.body.index(word, start + 1)
    full = pane.text.toPlainText()
    return to_qt_offset(utf16_offsets(full), start + pane.body_start)


def format_at(pane: ReaderPane, position: int) -> QTextCursor:
    cursor = QTextCursor(pane.text.document())
    cursor.setPosition(position + 1)  # charFormat() is the format of the character before the cursor
    return cursor


def test_entity_filters_become_chips_and_back() -> None:
    filters = with_value(Filters(), "person", "To Lam")
    filters = with_value(filters, "place", "Hanoi", exclude=True)
    assert filters.entities == (("person", "To Lam"),)
    assert filters.exclude_entities == (("place", "Hanoi"),)
    chips = chips_for(filters)
    assert [(c.key, c.label, c.excluded) for c in chips] == [
        ("person:To Lam", "person: To Lam", False), ("-place:Hanoi", "not place: Hanoi", True)]
    assert with_value(filters, "place", "Hanoi").exclude_entities == ()
    assert without_chip(without_chip(filters, "person:To Lam"), "-place:Hanoi") == Filters()


def test_entity_change_builds_corrections() -> None:
    base = EntityCorrections()
    rename = entity_change("rename", "PERSON", "To Lam", " Tô Lâm ")
    assert rename is not None and rename(base) == base.rename("PERSON", "To Lam", "Tô Lâm")
    assert entity_change("rename", "PERSON", "To Lam", "To Lam") is None
    assert entity_change("merge", "ORG", "CPCV", "") is None
    delete = entity_change("delete", "PLACE", "Hanoi")
    assert delete is not None and delete(base) == base.delete("PLACE", "Hanoi")


def test_entity_facets_show_counts(window: MainWindow) -> None:
    assert facet_counts(window, "person")["To Lam"] == 2
    assert facet_counts(window, "place")["Hanoi"] == 3
    assert facet_counts(window, "org")["Communist Party of Vietnam"] == 3
    titles = [label.text() for label in window.facets.findChildren(type(window.total_label), "facetTitle")]
    assert titles[:5] == ["Source", "Language", "People", "Organisations", "Places"]


def test_clicking_an_entity_facet_filters_and_shows_a_chip(qtbot: QtBot, window: MainWindow) -> None:
    view = window.facets.views["person"]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=facet_point(window, "person", "To Lam"))
    qtbot.waitUntil(lambda: window.results.total == 2, timeout=10000)
    assert list(window.chips.chips) == ["person:To Lam"]
    assert window.chips.chips["person:To Lam"].text().startswith("person: To Lam")
    assert window.facets.models["person"].index(0, 0).data(Qt.ItemDataRole.DisplayRole) is not None
    qtbot.mouseClick(window.chips.chips["person:To Lam"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.results.total == 5, timeout=10000)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     facet_point(window, "person", "To Lam"))
    qtbot.waitUntil(lambda: window.results.total == 3, timeout=10000)
    assert list(window.chips.chips) == ["-person:To Lam"]


def test_reader_highlights_entities_with_tooltips(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_french(qtbot, window)
    place = format_at(pane, position_of(pane, "Azerbaïdjan")).charFormat()
    assert place.toolTip() == literal_rich_text("Azerbaijan — place")
    assert place.background().color() == QColor(ENTITY_COLOURS["PLACE"][0])
    assert place.property(ENTITY_PROPERTY) == "PLACE/Azerbaijan"
    person = format_at(pane, position_of(pane, "Hô Chi Minh")).charFormat()
    assert person.toolTip() == literal_rich_text("Ho Chi Minh — person")
    assert person.background().color() == QColor(ENTITY_COLOURS["PERSON"][0])
    plain = format_at(pane, position_of(pane, "cherchent")).charFormat()
    assert plain.toolTip() == ""
    assert pane.legend.boxes["PLACE"].text().startswith("Places (")


def test_hits_stay_visible_over_entities(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Azerbaidjan", expected_total=5)  # every spelling of the name
    pane = open_french(qtbot, window)
    fmt = format_at(pane, position_of(pane, "Azerbaïdjan")).charFormat()
    assert fmt.background().color() == QColor("#ffe58a")  # the hit's yellow wins
    assert fmt.underlineColor() == QColor(ENTITY_COLOURS["PLACE"][1])  # the name keeps its underline
    assert fmt.toolTip() == literal_rich_text("Azerbaijan — place")


def test_legend_toggle_removes_and_restores_a_type(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_french(qtbot, window)
    hanoi = position_of(pane, "Hanoï")
    person = position_of(pane, "Hô Chi Minh")
    with qtbot.assertNotEmitted(window.controller.article_ready):
        pane.legend.boxes["PLACE"].click()
    assert format_at(pane, hanoi).charFormat().toolTip() == ""
    assert not format_at(pane, hanoi).charFormat().hasProperty(ENTITY_PROPERTY)
    assert format_at(pane, person).charFormat().toolTip() == literal_rich_text("Ho Chi Minh — person")
    assert all(mention.type != "PLACE" for _s, _e, mention in pane.entity_positions)
    pane.legend.boxes["PLACE"].click()
    assert format_at(pane, hanoi).charFormat().toolTip() == literal_rich_text("Hanoi — place")


def _visible_point(pane: ReaderPane, position: int) -> QPoint:
    cursor = QTextCursor(pane.text.document())
    cursor.setPosition(position + 2)
    pane.text.setTextCursor(cursor)
    pane.text.ensureCursorVisible()
    return pane.text.cursorRect(cursor).center()


def test_hovering_an_entity_shows_its_tooltip(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_french(qtbot, window)
    viewport = pane.text.viewport()
    point = _visible_point(pane, position_of(pane, "Hanoï"))
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    assert QToolTip.text() == literal_rich_text("Hanoi — place")
    QToolTip.hideText()


def test_clicking_an_entity_in_the_reader_adds_a_filter(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_french(qtbot, window)
    point = _visible_point(pane, position_of(pane, "Hanoï"))
    qtbot.mouseClick(pane.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.results.total == 3, timeout=10000)
    assert list(window.chips.chips) == ["place:Hanoi"]


def test_deleting_an_entity_through_the_controller_removes_it_from_the_facet(
    qtbot: QtBot, window: MainWindow,
) -> None:
    assert "Hanoi" in facet_counts(window, "place")
    with qtbot.waitSignal(window.controller.entities_corrected, timeout=30000) as blocker:
        window.controller.correct_entities(lambda c: c.delete("PLACE", "Hanoi"), "deleted")
    assert blocker.args == [3, "deleted"]
    qtbot.waitUntil(lambda: "Hanoi" not in facet_counts(window, "place"), timeout=10000)
    assert window.results.total == 5


def test_renaming_an_entity_from_its_dialog(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_french(qtbot, window)
    window.edit_entity("rename", "PERSON", "Ho Chi Minh")
    dialog = window.entity_editor.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("Hồ Chí Minh")  # type: ignore[union-attr]
    with qtbot.waitSignal(window.controller.entities_corrected, timeout=30000):
        dialog.accept()
    qtbot.waitUntil(lambda: facet_counts(window, "person").get("Hồ Chí Minh") == 5, timeout=10000)
    assert "Ho Chi Minh" not in facet_counts(window, "person")
    qtbot.waitUntil(lambda: format_at(pane, position_of(pane, "Hô Chi Minh")).charFormat().toolTip()
                    == literal_rich_text("Hồ Chí Minh — person"), timeout=10000)


def test_entity_menu_offers_filters_and_corrections(window: MainWindow) -> None:
    asked: list[str] = []
    menu = QMenu(window)
    add_entity_actions(menu, "ORG", "CPCV", lambda: asked.append("only"), lambda: asked.append("exclude"),
                       asked.append)
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == ["Only articles naming CPCV", "Exclude CPCV", "Rename…", "Merge into…", "Change type…",
                     "Delete (not a name)"]
    for action in menu.actions():
        action.trigger()
    assert asked == ["only", "exclude", "rename", "merge", "retype", "delete"]


@pytest.mark.parametrize("action", ["merge", "retype", "delete"])
def test_entity_dialogs_open_for_every_action(window: MainWindow, action: str) -> None:
    window.edit_entity(action, "ORG", "Central Committee")
    dialog = window.entity_editor.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
