"""A popup listing the query language with examples; choosing one puts it in the search field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

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
)


class SyntaxHelp(QFrame):
    """The query-language cheat sheet; double-click or Enter on an example emits ``example_chosen``."""

    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("syntaxHelp")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        heading = QLabel("Query language — double-click an example to use it")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        self.table = QTreeWidget()
        self.table.setColumnCount(2)
        self.table.setHeaderLabels(["Example", "Finds"])
        self.table.setRootIsDecorated(False)
        for example, meaning in SYNTAX:
            QTreeWidgetItem(self.table, [example, meaning])
        self.table.resizeColumnToContents(0)
        self.table.itemActivated.connect(self._on_item_activated)
        layout.addWidget(self.table)
        self.resize(480, 380)

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.example_chosen.emit(item.text(0))
        self.hide()
