"""A small dialog to correct an article's title, date, source and language."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from index import Article
from index.analysis.dates import parse_date_value

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
        self.editors["date"].setPlaceholderText("2025-05-07, 7 May 2025, 2025-05…")
        self.date_reading = QLabel("")
        self.date_reading.setObjectName("dateReading")
        form.addRow("", self.date_reading)
        self.editors["date"].textChanged.connect(self._show_date_reading)
        self._show_date_reading(self.editors["date"].text())
        self.setMinimumWidth(560)
        self.message = QLabel("Corrections are kept outside the index and survive re-indexing.")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def changes(self) -> dict[str, str | None]:
        """Changed fields -> new text (None: an emptied field, which withdraws the correction)."""
        changed: dict[str, str | None] = {}
        for field, editor in self.editors.items():
            value = editor.text().strip()
            if value != self.original[field]:
                changed[field] = value or None
        return changed

    def _show_date_reading(self, text: str) -> None:
        """Say how the date typed so far reads, before it is saved (``07/05/2025`` is ambiguous)."""
        if not text.strip():
            self.date_reading.setText("No date: the inferred one comes back." if self.original["date"] else "")
            return
        day = parse_date_value(text)
        self.date_reading.setText(f"→ {day:%A} {day.day} {day:%B %Y}" if day else
                                  "Not a date yet: 2025-05-07, 7 May 2025, May 7, 2025 or 2025-05 read as dates.")

    def _on_accept(self) -> None:
        editor = self.editors["date"]
        if editor.text().strip():
            day = parse_date_value(editor.text())
            if day is None:
                self.message.setText("The date cannot be read: write it as 2025-05-07, 7 May 2025 or 2025-05.")
                return
            editor.setText(day.isoformat())  # saved as the date shown under the field
        self.accept()
