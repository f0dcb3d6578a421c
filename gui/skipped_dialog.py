"""The files an indexing run skipped or only partly analysed: each with its reason, and its folder a click away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from index import IndexSummary


class SkippedDialog(QDialog):
    """Not modal: the list stays open beside the app while the user looks at the files."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("skippedDialog")
        self.setWindowTitle("Files the last indexing run skipped")
        self.root: Path | None = None
        self.heading = QLabel("")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["File", "Why"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 320)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.open_folder(row))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("Open its folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: self.open_folder(self.table.currentRow()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def set_summary(self, root: Path, summary: IndexSummary) -> None:
        """List what ``summary``'s run skipped and what it partly analysed, in archive ``root``."""
        self.root = root
        rows = [(s.path, s.reason) for s in summary.skipped]
        rows += [(p.path, f"partly analysed ({p.step}): {p.error}") for p in summary.problems]
        self.table.setRowCount(len(rows))
        for row, (path, reason) in enumerate(rows):
            for column, text in enumerate((path, reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        skipped, partly = len(summary.skipped), len(summary.problems)
        self.heading.setText(
            f"{root}: {skipped} file{'s' if skipped != 1 else ''} skipped, {partly} article"
            f"{'s' if partly != 1 else ''} partly analysed. Double-click a row to open its folder."
        )
        self.open_button.setEnabled(bool(rows))

    def open_folder(self, row: int) -> None:
        """Open the folder holding the file of ``row`` in the desktop's file manager."""
        item = self.table.item(row, 0)
        if item is None or self.root is None:
            return
        folder = (self.root / item.text()).parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder if folder.is_dir() else self.root)))
