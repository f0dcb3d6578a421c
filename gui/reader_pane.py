"""One reading pane: an article's title, metadata with provenance, and its text with hits highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QTextEdit, QToolButton, QVBoxLayout, QWidget

from index import Article, Span

from .edit_dialog import EditDialog
from .formatting import provenance_words, to_qt_offset, utf16_offsets

_HIT_BACKGROUND = QColor("#ffe58a")
_CURRENT_BACKGROUND = QColor("#ff9f43")


def span_formats() -> dict[str, QTextCharFormat]:
    """Character formats per span kind; entity kinds can be added here when the engine has them."""
    hit = QTextCharFormat()
    hit.setBackground(_HIT_BACKGROUND)
    hit.setForeground(QColor("#000000"))
    return {"hit": hit}


def metadata_text(article: Article) -> str:
    """The metadata line, saying where each value came from."""
    date = article.date.isoformat() if article.date else "no date"
    parts = [
        f"{date} ({provenance_words('date', article.date_provenance)})",
        f"{article.source or 'no source'} ({provenance_words('source', article.source_provenance)})",
        f"{article.language or '?'} ({provenance_words('language', article.language_provenance)})",
    ]
    if article.author:
        parts.append(f"by {article.author}")
    if article.relayed_source:
        parts.append(f"relayed from {article.relayed_source}")
    return " · ".join(parts) + f"\n{article.path}" + (f" · {article.url}" if article.url else "")


class ReaderPane(QWidget):
    """Shows one article as plain text (its own markup stays literal) with hits applied from spans."""

    close_requested = Signal(object)  # self
    correction_requested = Signal(str, str, object)  # article id, field, value or None
    activated = Signal(object)  # self, when the user works in this pane

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        self.article: Article | None = None
        self.request_id = 0
        self.hit_positions: list[tuple[int, int]] = []
        self.current_hit = -1
        self.edit_dialog: EditDialog | None = None
        self.metadata = QLabel("Open a result to read it here.")
        self.metadata.setObjectName("readerMetadata")
        self.metadata.setTextFormat(Qt.TextFormat.PlainText)
        self.metadata.setWordWrap(True)
        self.metadata.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit()
        self.text.setObjectName("readerText")
        self.text.setReadOnly(True)
        self.hits_label = QLabel("")
        self.prev_button = self._button("◀ Hit", "Previous hit (Shift+F3)", lambda: self.step_hit(-1))
        self.next_button = self._button("Hit ▶", "Next hit (F3)", lambda: self.step_hit(1))
        self.edit_button = self._button("Edit details…", "Correct title, date, source or language",
                                        self.open_editor)
        self.close_button = self._button("✕", "Close this pane", lambda: self.close_requested.emit(self))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.prev_button, self.next_button, self.hits_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.metadata)
        layout.addWidget(self.text, 1)
        self._update_buttons()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    @property
    def article_id(self) -> str | None:
        """The id of the article shown, if any."""
        return self.article.id if self.article else None

    def show_article(self, article: Article, spans: dict[str, tuple[Span, ...]]) -> None:
        """Show ``article`` with ``spans`` (char offsets into its title and body) highlighted."""
        self.article = article
        title = article.title or "(untitled)"
        title_spans: tuple[Span, ...]
        if article.body.startswith(title):  # the body already opens with its title: show it once
            full, body_start, title_spans = article.body, 0, ()
        else:
            full, body_start, title_spans = f"{title}\n\n{article.body}", len(title) + 2, spans.get("title", ())
        self.text.setPlainText(full)
        document = self.text.document()
        offsets = utf16_offsets(full)
        cursor = QTextCursor(document)
        title_format = QTextCharFormat()
        title_format.setFontWeight(QFont.Weight.Bold)
        title_format.setFontPointSize(self.text.font().pointSizeF() * 1.35)
        self._apply(cursor, offsets, 0, len(title), title_format)
        formats = span_formats()
        self.hit_positions = []
        placed: list[tuple[Span, int]] = [(span, 0) for span in title_spans]
        placed += [(span, body_start) for span in spans.get("body", ())]
        for span, shift in placed:
            start, end = span.start + shift, span.end + shift
            if not 0 <= start < end <= len(full):
                continue
            self._apply(cursor, offsets, start, end, formats.get(span.kind, formats["hit"]))
            if span.kind == "hit":
                self.hit_positions.append((to_qt_offset(offsets, start), to_qt_offset(offsets, end)))
        self.hit_positions.sort()
        self.metadata.setText(metadata_text(article))
        self.current_hit = -1
        self.text.setExtraSelections([])
        self.text.moveCursor(QTextCursor.MoveOperation.Start)
        if self.hit_positions:
            self.step_hit(1)
        self._update_buttons()

    @staticmethod
    def _apply(cursor: QTextCursor, offsets: list[int] | None, start: int, end: int,
               fmt: QTextCharFormat) -> None:
        cursor.setPosition(to_qt_offset(offsets, start))
        cursor.setPosition(to_qt_offset(offsets, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def step_hit(self, step: int) -> None:
        """Move to the next (1) or previous (-1) hit, wrapping around."""
        if not self.hit_positions:
            return
        self.current_hit = (self.current_hit + step) % len(self.hit_positions)
        start, end = self.hit_positions[self.current_hit]
        cursor = self.text.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor  # type: ignore[attr-defined]
        current = QTextCharFormat()
        current.setBackground(_CURRENT_BACKGROUND)
        selection.format = current  # type: ignore[attr-defined]
        self.text.setExtraSelections([selection])
        plain = self.text.textCursor()
        plain.setPosition(start)
        self.text.setTextCursor(plain)
        self.text.ensureCursorVisible()
        self._update_buttons()
        self.activated.emit(self)

    def open_editor(self) -> None:
        """Open the correction dialog; accepted changes go out as ``correction_requested``."""
        if self.article is None:
            return
        self.edit_dialog = EditDialog(self.article, self)
        self.edit_dialog.accepted.connect(self._on_editor_accepted)
        self.edit_dialog.open()

    def _on_editor_accepted(self) -> None:
        if self.edit_dialog is None or self.article is None:
            return
        for field, value in self.edit_dialog.changes().items():
            self.correction_requested.emit(self.article.id, field, value)

    def _update_buttons(self) -> None:
        count = len(self.hit_positions)
        self.prev_button.setEnabled(count > 0)
        self.next_button.setEnabled(count > 0)
        self.edit_button.setEnabled(self.article is not None)
        if count:
            self.hits_label.setText(f"hit {self.current_hit + 1} of {count}")
        else:
            self.hits_label.setText("no hits" if self.article else "")
