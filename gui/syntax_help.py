"""A popup listing the query language with examples; choosing one puts it in the search field."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QMessageBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

SYNTAX: tuple[tuple[str, str], ...] = (
    ("vietnam azerbaijan", "both words (AND is the default)"),
    ("vietnam OR hanoi", "either word"),
    ("vietnam NOT trend", "without a word (also: -trend)"),
    ("(hanoi OR baku) visit", "group with parentheses"),
    ('"prime minister"', "an exact phrase"),
    ('"aliyev lam"~5', "words within 5 words of each other"),
    ("diplom*", "prefix: diplomacy, diplomatic…"),
    ("az?rbaijan", "wildcards: ? one letter, * any"),
    ("azerbajan~", "fuzzy: tolerates a typo"),
    ("title:vietnam", "a word in the title"),
    ("source:Trend", "from an outlet"),
    ("language:fr", "in a language"),
    ("date:2025-05", "in a month (or a year, a day)"),
    ("date:[2019 to 2022]", "in a date range"),
    ("date:>2020", "after 2020 (date:<2020 before)"),
    ('person:"To Lam"', "naming a person, by any of their names"),
    ("org:CPCV", "naming an organisation"),
    ("place:Hanoï", "naming a place"),
)

KEYS: tuple[tuple[str, str], ...] = (
    ("/ or Ctrl+F", "go to the search field"),
    ("Ctrl+L", "clear the query and filters"),
    ("Click, ↑ ↓, j k", "preview a result in the reading pane"),
    ("Enter / Ctrl+Enter", "read the selected result and keep it / in a new pane beside"),
    ("F3 / Shift+F3", "next / previous hit in the article"),
    ("→ / ←", "in the results: list a result's near copies under it / fold them"),
    ("Ctrl+D", "compare the two selected results side by side (one: with the article the pane keeps)"),
    ("F4 / Shift+F4", "next / previous passage linked between the two compared articles"),
    ("Ctrl+W", "close the reading pane you are in"),
    ("F6 / Shift+F6", "go to the next / previous reading pane"),
    ("Alt+Shift+← / →", "move the reading pane you are in left / right"),
    ("Ctrl+E", "add the selected passage to the excerpts"),
    ("Ctrl+Shift+C", "copy the selected passage with its citation"),
    ("Ctrl+Shift+E", "show or hide the excerpts panel"),
    ("Delete, Ctrl+Z", "in the excerpts: remove, undo the removal"),
    ("Ctrl+C", "in the excerpts: copy the selected ones as Markdown with citations"),
)


def show_shortcuts(parent: QWidget) -> QMessageBox:
    """Help ▸ Keyboard shortcuts: every key, in a window of its own (not modal)."""
    rows = "".join(f"<tr><td><b>{html.escape(key)}</b>&nbsp;&nbsp;</td><td>{html.escape(meaning)}</td></tr>"
                   for key, meaning in KEYS)
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", f"<table>{rows}</table>",
                      QMessageBox.StandardButton.Close, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setObjectName("shortcutsWindow")
    box.setModal(False)
    box.show()
    return box


class SyntaxHelp(QFrame):
    """The query-language cheat sheet; double-click or Enter on an example emits ``example_chosen``."""

    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("syntaxHelp")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.table = _two_columns(layout, "Query language — double-click an example to use it", ("Example", "Finds"),
                                  SYNTAX)
        self.table.itemActivated.connect(self._on_item_activated)
        self.keys = _two_columns(layout, "Keys", ("Key", "Does"), KEYS)
        self.resize(520, 600)

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.example_chosen.emit(item.text(0))
        self.hide()


def _two_columns(layout: QVBoxLayout, heading: str, headers: tuple[str, str],
                 rows: tuple[tuple[str, str], ...]) -> QTreeWidget:
    """A heading and a two-column list of ``rows`` under it, added to ``layout``."""
    label = QLabel(heading)
    label.setTextFormat(Qt.TextFormat.PlainText)
    layout.addWidget(label)
    table = QTreeWidget()
    table.setColumnCount(2)
    table.setHeaderLabels(list(headers))
    table.setRootIsDecorated(False)
    for row in rows:
        QTreeWidgetItem(table, list(row))
    table.resizeColumnToContents(0)
    layout.addWidget(table)
    return table
