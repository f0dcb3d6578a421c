"""The active filters as removable chips."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from .search_session import Chip


class FilterChips(QWidget):
    """One button per active filter; clicking its × emits ``remove_requested(key)``."""

    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChips")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._empty = QLabel("No filters")
        self._empty.setObjectName("noFilters")
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)
        self.chips: dict[str, QToolButton] = {}
        # As tall as a chip whether or not there is one, so the rows below never move.
        sample = QToolButton()
        sample.setObjectName("chip")
        sample.setText("chip  ×")
        sample.ensurePolished()
        self.setFixedHeight(max(sample.sizeHint().height(), self._empty.sizeHint().height()) + 4)

    def set_chips(self, chips: tuple[Chip, ...]) -> None:
        """Show exactly ``chips``."""
        for button in self.chips.values():
            button.deleteLater()
        self.chips = {}
        for chip in chips:
            button = QToolButton()
            button.setObjectName("chip")
            button.setProperty("excluded", chip.excluded)
            button.setText(f"{chip.label}  ×")
            button.setToolTip("Remove this filter")
            button.setAutoRaise(False)
            button.clicked.connect(lambda _checked=False, key=chip.key: self.remove_requested.emit(key))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self.chips[chip.key] = button
        self._empty.setVisible(not chips)
