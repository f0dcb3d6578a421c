"""The search field: search-as-you-type (debounced), history, syntax help, inline query errors."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStyle, QToolButton, QVBoxLayout, QWidget

from .syntax_help import SyntaxHelp

DEBOUNCE_MS = 150


class SearchBar(QWidget):
    """A query field that emits ``query_changed`` once typing pauses, and shows query errors under itself."""

    query_changed = Signal(str, bool)  # the query, and whether it is still being typed (its last word a prefix)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: list[str] = []
        self._history_index = 0
        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search the archive — e.g. vietnam \"prime minister\" date:2025   (/ or Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.help_button = QToolButton()
        self.help_button.setText("?")
        self.help_button.setToolTip("Query language help")
        self.help = SyntaxHelp(self)
        self.help.example_chosen.connect(self.set_text)
        self.help_button.clicked.connect(self.show_help)
        self.error = QLabel()
        self.error.setObjectName("queryError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self._emit_query(typing=True))
        self.field.textEdited.connect(self._on_text_edited)
        self.field.returnPressed.connect(self._on_return_pressed)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.help_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def text(self) -> str:
        """The query as typed."""
        return self.field.text()

    @Slot(str)
    def set_text(self, text: str) -> None:
        """Replace the query and search for it at once."""
        self.field.setText(text)
        self._timer.stop()
        self._emit_query()

    def clear(self) -> None:
        """Empty the field (and search for everything)."""
        self.set_text("")

    def focus(self) -> None:
        """Put the keyboard in the field, its text selected."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def show_help(self) -> None:
        """Pop the syntax help up under the field."""
        self.help.move(self.field.mapToGlobal(self.field.rect().bottomLeft()))
        self.help.show()

    def show_error(self, message: str, position: int) -> None:
        """Show ``message`` under the field, a caret under character ``position`` (none when negative)."""
        if position >= 0:
            text = self.field.text()
            metrics = self.field.fontMetrics()
            margins = self.field.textMargins()
            frame = self.field.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
            x = metrics.horizontalAdvance(text[:position]) + margins.left() + frame + 2
            self.error.setIndent(max(0, x - metrics.horizontalAdvance("^") // 2))
            self.error.setText(f"^ {message} (at character {position + 1})")
        else:
            self.error.setIndent(0)
            self.error.setText(message)
        self.error.show()
        self.field.setProperty("invalid", True)
        self._repolish()

    def clear_error(self) -> None:
        """Hide the error line."""
        if self.error.isVisible() or self.field.property("invalid"):
            self.error.hide()
            self.field.setProperty("invalid", False)
            self._repolish()

    def remember(self, query: str | None = None) -> None:
        """Add ``query`` (default: the current text) to the history."""
        query = (self.field.text() if query is None else query).strip()
        if query and (not self.history or self.history[-1] != query):
            if query in self.history:
                self.history.remove(query)
            self.history.append(query)
        self._history_index = len(self.history)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Up and Down in the field walk through the history."""
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Up and self.history:
                self._history_index = max(0, self._history_index - 1)
                self.set_text(self.history[self._history_index])
                return True
            if event.key() == Qt.Key.Key_Down and self.history:
                self._history_index = min(len(self.history), self._history_index + 1)
                self.set_text(self.history[self._history_index] if self._history_index < len(self.history) else "")
                return True
        return super().eventFilter(watched, event)

    def _on_text_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_return_pressed(self) -> None:
        self._timer.stop()
        self.remember()
        self._emit_query()

    def _emit_query(self, typing: bool = False) -> None:
        self.query_changed.emit(self.field.text(), typing)

    def _repolish(self) -> None:
        self.field.style().unpolish(self.field)
        self.field.style().polish(self.field)
