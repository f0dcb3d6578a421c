"""Dialogs to correct an article's title, date, source and language, or one of them for many articles."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from index import Article
from index.analysis.dates import parse_date_value

FIELDS: tuple[str, ...] = ("title", "date", "source", "language")
BULK_FIELDS: tuple[str, ...] = ("date", "source", "language")  # a title is one article's own
DATE_EXAMPLES = "2025-05-07, 7 May 2025, 07/05/2025 or 2025-05"


def date_reading(text: str) -> str:
    """How a date typed so far reads, to show before it is saved (``07/05/2025`` is ambiguous)."""
    day = parse_date_value(text)
    return f"→ {day:%A} {day.day} {day:%B %Y}" if day else f"Not a date yet: {DATE_EXAMPLES} read as dates."


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
        self.date_reading.setText(date_reading(text))

    def _on_accept(self) -> None:
        editor = self.editors["date"]
        if editor.text().strip():
            day = parse_date_value(editor.text())
            if day is None:
                self.message.setText("The date cannot be read: write it as 2025-05-07, 7 May 2025 or 2025-05.")
                return
            editor.setText(day.isoformat())  # saved as the date shown under the field
        self.accept()


class BulkEditDialog(QDialog):
    """Sets one field (date, source or language) of every selected article; an empty value withdraws
    their corrections of it."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Correct {count} articles")
        self.field = QComboBox()
        self.field.setObjectName("bulkField")
        for field in BULK_FIELDS:
            self.field.addItem(field.capitalize(), field)
        self.value = QLineEdit()
        self.value.setObjectName("bulkValue")
        self.reading = QLabel("")
        self.reading.setObjectName("dateReading")
        self.message = QLabel(f"Sets it for all {count} selected articles; Edit ▸ Undo puts back what they had. "
                              "Left empty, their corrections of it are withdrawn.")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Field", self.field)
        form.addRow("Value", self.value)
        form.addRow("", self.reading)
        form.addRow(self.message)
        form.addRow(self.buttons)
        self.field.currentIndexChanged.connect(self._update_reading)
        self.value.textChanged.connect(self._update_reading)
        self._update_reading()
        self.setMinimumWidth(520)

    def change(self) -> tuple[str, str | None]:
        """The field and its new value (None: withdraw the corrections)."""
        return str(self.field.currentData()), self.value.text().strip() or None

    def _update_reading(self) -> None:
        field, value = self.change()
        self.value.setPlaceholderText(DATE_EXAMPLES if field == "date" else "")
        self.reading.setText(date_reading(value) if field == "date" and value else "")

    def _on_accept(self) -> None:
        field, value = self.change()
        if field == "date" and value:
            day = parse_date_value(value)
            if day is None:
                self.message.setText(f"The date cannot be read: write it as {DATE_EXAMPLES}.")
                return
            self.value.setText(day.isoformat())  # saved as the date shown under the field
        self.accept()
