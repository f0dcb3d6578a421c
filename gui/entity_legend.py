"""The reader's entity legend: one coloured checkbox per entity type, to show or hide its highlights."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from .search_session import ENTITY_TYPE_FACET, ENTITY_WORDS

# Pastel background and a darker underline per entity type; distinct from the hit yellow and current-hit orange.
ENTITY_COLOURS: dict[str, tuple[str, str]] = {
    "PERSON": ("#d6e6ff", "#2f62b8"),
    "ORG": ("#d3f0d0", "#2a7f39"),
    "PLACE": ("#eadcff", "#7b45bd"),
}


class EntityLegend(QWidget):
    """Emits ``shown_changed`` when a type is switched on or off; ``shown`` says which types are on.

    (The signal carries nothing: PySide6 6.12 corrupts the refcount of True when a frozenset travels through
    a ``Signal(object)``, which crashes the interpreter later.)
    """

    shown_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityLegend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Names:")
        label.setObjectName("legendTitle")
        layout.addWidget(label)
        self.boxes: dict[str, QCheckBox] = {}
        for type_, (background, line) in ENTITY_COLOURS.items():
            box = QCheckBox(ENTITY_WORDS[ENTITY_TYPE_FACET[type_]][1])
            box.setObjectName(f"legend_{type_}")
            box.setChecked(True)
            box.setToolTip(f"Highlight {ENTITY_WORDS[ENTITY_TYPE_FACET[type_]][1].lower()} in the text")
            box.setStyleSheet(f"QCheckBox {{ background: {background}; border-bottom: 2px solid {line};"
                              " padding: 1px 5px; }")
            box.toggled.connect(self._on_toggled)
            layout.addWidget(box)
            self.boxes[type_] = box
        layout.addStretch(1)

    @property
    def shown(self) -> frozenset[str]:
        """The entity types currently highlighted."""
        return frozenset(type_ for type_, box in self.boxes.items() if box.isChecked())

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show how many mentions of each type the article has."""
        for type_, box in self.boxes.items():
            box.setText(f"{ENTITY_WORDS[ENTITY_TYPE_FACET[type_]][1]} ({counts.get(type_, 0)})")

    def _on_toggled(self, _checked: bool) -> None:
        self.shown_changed.emit()
