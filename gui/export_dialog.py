"""Export excerpts: a basket, a format, a file, and a live preview of the first excerpts in that format."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from index import FORMATS, CheckedExcerpt, render, to_text

PREVIEW_EXCERPTS = 3


class ExportDialog(QDialog):
    """Non-modal: choosing a basket asks for its excerpts (``basket_wanted``); Export emits ``export_requested``."""

    basket_wanted = Signal(str)
    # excerpts, format name, title, path, grouped by article
    export_requested = Signal(object, str, str, object, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export excerpts")
        self.excerpts: dict[str, list[CheckedExcerpt]] = {}
        self.folder = Path.home()
        self.basket_box = QComboBox()
        self.basket_box.currentTextChanged.connect(self._on_basket_changed)
        self.format_box = QComboBox()
        for export_format in FORMATS.values():
            self.format_box.addItem(f"{export_format.label} ({export_format.extension})", export_format.name)
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self.by_article = QCheckBox("Group excerpts by article")
        self.by_article.setToolTip("One citation per article, its excerpts under it (Markdown, text, Word)")
        self.by_article.toggled.connect(self.update_preview)
        self.path_edit = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Basket:", self.basket_box)
        form.addRow("Format:", self.format_box)
        form.addRow("", self.by_article)
        form.addRow("File:", file_row)
        self.preview_label = QLabel("Preview")
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("exportPreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setStyleHint(QFont.StyleHint.Monospace)
        self.preview.setFont(fixed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 560)

    def start(self, basket_names: list[str], current: str, excerpts: list[CheckedExcerpt]) -> None:
        """Show the dialog on basket ``current``, whose excerpts are known."""
        self.excerpts = {current: excerpts}
        self.basket_box.blockSignals(True)
        self.basket_box.clear()
        self.basket_box.addItems(basket_names)
        self.basket_box.setCurrentText(current)
        self.basket_box.blockSignals(False)
        self._suggest_path()
        self.update_preview()
        self.open()

    def set_excerpts(self, name: str, excerpts: list[CheckedExcerpt]) -> None:
        """The excerpts of basket ``name``, as loaded or changed."""
        self.excerpts[name] = excerpts
        if name == self.basket_box.currentText():
            self.update_preview()

    @property
    def format_name(self) -> str:
        """The chosen format's name in ``index.FORMATS``."""
        return str(self.format_box.currentData())

    def update_preview(self) -> None:
        """Render the first excerpts of the basket in the chosen format."""
        excerpts = self.excerpts.get(self.basket_box.currentText())
        self.export_button.setEnabled(bool(excerpts))
        if excerpts is None:
            self.preview.setPlainText("Loading the basket…")
            return
        if not excerpts:
            self.preview.setPlainText("This basket holds no excerpt yet.")
            return
        shown = excerpts[:PREVIEW_EXCERPTS]
        title, grouped = self.basket_box.currentText(), self.by_article.isChecked()
        if self.format_name == "docx":
            text = "A Word document; its text:\n\n" + to_text(shown, title, grouped)
        else:
            text = render(shown, self.format_name, title, grouped).decode("utf-8-sig", "replace")
        more = len(excerpts) - len(shown)
        count = f"{len(excerpts)} excerpt{'s' if len(excerpts) != 1 else ''}"
        self.preview_label.setText(f"Preview: the first {len(shown)} of {count}" if more else f"Preview: {count}")
        self.preview.setPlainText(text)

    def choose_file(self) -> None:
        """Ask where to write the export."""
        extension = FORMATS[self.format_name].extension
        path, _ = QFileDialog.getSaveFileName(
            self, "Export excerpts to", self.path_edit.text(), f"{FORMATS[self.format_name].label} (*{extension})"
        )
        if path:
            self.path_edit.setText(path)

    def confirm_overwrite(self, path: Path) -> bool:
        """Whether the user agrees to replace ``path``, which exists."""
        answer = QMessageBox.question(
            self,
            "Replace the file?",
            f"{path} exists. Replace it with this export?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _suggest_path(self) -> None:
        current = Path(self.path_edit.text()) if self.path_edit.text() else None
        folder = current.parent if current else self.folder
        stem = re.sub(r"[^\w-]+", "-", self.basket_box.currentText()).strip("-") or "excerpts"
        self.path_edit.setText(str(folder / f"{stem}{FORMATS[self.format_name].extension}"))

    def _on_basket_changed(self, name: str) -> None:
        if name and name not in self.excerpts:
            self.basket_wanted.emit(name)
        self._suggest_path()
        self.update_preview()

    def _on_format_changed(self) -> None:
        text = self.path_edit.text()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix(FORMATS[self.format_name].extension)))
        self.update_preview()

    def _on_export(self) -> None:
        excerpts = self.excerpts.get(self.basket_box.currentText())
        if not excerpts or not self.path_edit.text().strip():
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        if not path.is_absolute():  # relative to the folder shown, not to where the app was started
            path = self.folder / path
        if path.is_file() and not self.confirm_overwrite(path):
            return
        self.folder = path.parent
        self.export_requested.emit(
            excerpts, self.format_name, self.basket_box.currentText(), path, self.by_article.isChecked()
        )
        self.accept()
