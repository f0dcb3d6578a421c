"""The timeline with its zoom and reset buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from .formatting import copies_counted
from .timeline_model import TimelineModel
from .timeline_widget import TimelineWidget

TITLE = "Timeline — drag to pick a period"


class TimelinePanel(QWidget):
    """A TimelineWidget under a small tool bar: zoom to the selection, reset."""

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline = TimelineWidget(model)
        self.title = QLabel(TITLE)
        self.title.setObjectName("timelineTitle")
        self.zoom_button = QToolButton()
        self.zoom_button.setText("Zoom to selection")
        self.zoom_button.clicked.connect(self.timeline.zoom_to_selection)
        self.reset_button = QToolButton()
        self.reset_button.setText("Reset")
        self.reset_button.clicked.connect(self.timeline.reset_zoom)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.zoom_button)
        bar.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(bar)
        layout.addWidget(self.timeline, 1)

    def set_copies_counted(self, count: int) -> None:
        """Say that the bars count ``count`` near copies folded in the results (nothing when none are)."""
        note = copies_counted(count)
        self.title.setText(f"{TITLE} · {note}" if note else TITLE)
