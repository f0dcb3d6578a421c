"""Indexing progress: files done/total, rate, time left, and a Cancel button."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from index import IndexSummary

from .formatting import duration_text, literal_rich_text


def progress_text(done: int, total: int, elapsed: float) -> str:
    """ "120 / 400 files · 35 files/s · about 8 s left" """
    parts = [f"{done} / {total} files"]
    if done and elapsed > 0:
        rate = done / elapsed
        parts.append(f"{rate:.0f} files/s" if rate >= 10 else f"{rate:.1f} files/s")
        if total > done:
            parts.append(f"about {duration_text((total - done) / rate)} left")
    return " · ".join(parts)


def summary_text(summary: IndexSummary) -> str:
    """One line on what an indexing run did."""
    head = "Indexing cancelled" if summary.cancelled else "Index up to date"
    if summary.rebuilt:
        head += f" (rebuilt: {summary.rebuilt})"
    parts = [f"{summary.added} added", f"{summary.updated} updated", f"{summary.deleted} removed"]
    if summary.skipped:
        parts.append(f"{len(summary.skipped)} skipped")
    if summary.problems:
        parts.append(f"{len(summary.problems)} partly analysed")
    notes = "".join(f" — {note}" for note in summary.notes)
    return f"{head}: {', '.join(parts)} ({summary.seconds:.1f} s){notes}"


class IndexProgress(QWidget):
    """Shown while indexing; ``cancel_requested`` when the user presses Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indexProgress")
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.label = QLabel("Indexing…")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._started = time.monotonic()
        self.hide()

    @Slot()
    def on_indexing_started(self) -> None:
        """Reset and show."""
        self._started = time.monotonic()
        self.bar.setRange(0, 0)
        self.label.setText("Indexing…")
        self.cancel_button.setEnabled(True)
        self.show()

    @Slot(int, int, str)
    def on_progress_changed(self, done: int, total: int, path: str) -> None:
        """Show how far indexing is."""
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.label.setText(progress_text(done, total, time.monotonic() - self._started))
        self.setToolTip(literal_rich_text(path))

    @Slot(str)
    def on_indexing_waiting(self, holder: str) -> None:
        """Say that another run of this archive must finish first."""
        self.bar.setRange(0, 0)
        self.label.setText(f"Waiting: {holder}…")

    @Slot()
    def on_indexing_finished(self) -> None:
        """Hide."""
        self.hide()

    def _on_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")
        self.cancel_requested.emit()
