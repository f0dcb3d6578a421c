"""A small dialog to correct an article's title, date, source and language."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from index import Article

FIELDS: tuple[str, ...] = ("title", "date", "source", "language")


def article_values(article: Article) -> dict[str, str]:
    """The editable fields of ``article`` as text."""
    return {
        "title": article.title or "",
        "date": article.date.isoformat() if article.date else "",
        "source": article.source or "",
        "language": article.language or "",
    }


class EditDialog(QDialog):
    """Edits the four correctable fields; ``changes()`` lists what the user changed."""

    def __init__(self, article: Article, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct article details")
        self.article = article
        self.original = article_values(article)
        self.editors: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for field in FIELDS:
            editor = QLineEdit(self.original[field])
            editor.setObjectName(f"edit_{field}")
            self.editors[field] = editor
            form.addRow(field.capitalize(), editor)
        self.editors["date"].setPlaceholderText("YYYY-MM-DD")
        self.message = QLabel("Corrections are kept outside the index and survive re-indexing.")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict[str, str | None]:
        """Changed fields -> new text (None: an emptied field, which withdraws the correction)."""
        changed: dict[str, str | None] = {}
        for field, editor in self.editors.items():
            value = editor.text().strip()
            if value != self.original[field]:
                changed[field] = value or None
        return changed

    def _on_accept(self) -> None:
        date = self.editors["date"].text().strip()
        if date:
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                self.message.setText("The date must read YYYY-MM-DD, e.g. 2025-05-07.")
                return
        self.accept()
