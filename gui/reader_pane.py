"""One reading pane: an article's title, metadata with provenance, and its text with hits and names highlighted."""

from __future__ import annotations

import bisect
import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from index import Article, EntityMention, Span

from .buttons import tool_button
from .edit_dialog import EditDialog
from .entity_legend import ENTITY_COLOURS, EntityLegend
from .entity_menu import add_entity_actions, entity_tooltip
from .formatting import from_qt_offset, list_title, provenance_words, to_qt_offset, utf16_offsets
from .result_model import ARTICLE_MIME
from .search_session import ENTITY_TYPE_FACET

_HIT_BACKGROUND = QColor("#ffe58a")
_CURRENT_BACKGROUND = QColor("#ff9f43")
# Passages already in the excerpts: a pale green under everything else, so hits and names still show.
_EXCERPT_BACKGROUND = QColor("#e3f1d8")
_PASSAGE_BACKGROUND = QColor("#a8d98a")  # the passage an excerpt was taken from, when jumping back to it
# Passages of a comparison: the same words in the other article, or the same fact told otherwise.
COMPARED_BACKGROUNDS = {"same": QColor("#d6e9fb"), "similar": QColor("#f6e3c6")}
COMPARED_TIPS = {
    "same": "The other article has this passage in the same words; click to see it there",
    "similar": "The other article tells this in other words; click to see where",
}
# Where an entity format keeps "TYPE/canonical name", so a format says which entity it marks.
ENTITY_PROPERTY = QTextFormat.Property.UserProperty + 1


def span_formats() -> dict[str, QTextCharFormat]:
    """Character formats per span kind. Hits set only a background, so merged over a name they keep its underline."""
    hit = QTextCharFormat()
    hit.setBackground(_HIT_BACKGROUND)
    hit.setForeground(QColor("#000000"))
    return {"hit": hit}


def entity_format(mention: EntityMention) -> QTextCharFormat:
    """A name's format: a pastel background and underline in its type's colours, a tooltip, the entity itself."""
    background, line = ENTITY_COLOURS.get(mention.type, ("#eeeeee", "#666666"))
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(background))
    fmt.setForeground(QColor("#000000"))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(QColor(line))
    fmt.setToolTip(entity_tooltip(mention.type, mention.canonical))
    fmt.setProperty(ENTITY_PROPERTY, f"{mention.type}/{mention.canonical}")
    return fmt


RELATED_TITLE_CHARS = 48


def _short(article: Any) -> str:
    """An article (or hit) named in a line: its title, shortened, its source and date."""
    title = list_title(article.title or "(untitled)", RELATED_TITLE_CHARS)
    date = article.date.isoformat() if article.date else "no date"
    return f"{title} — {article.source or 'no source'}, {date}"


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
    entity_include_requested = Signal(str, str)  # facet, canonical name: a click on a name
    entity_exclude_requested = Signal(str, str)
    entity_action_requested = Signal(str, str, str)  # action, type, canonical name
    excerpt_requested = Signal(object, int, int)  # self, start, end: characters of the article's body
    copy_with_citation_requested = Signal(object, int, int)
    compared_passage_clicked = Signal(object, int)  # self, the index of the passage in ``compared``
    related_open_requested = Signal(object, str)  # self, the id of a near copy or similar article to open here
    compare_requested = Signal(object, str)  # self, the article id to compare this pane's article with
    article_dropped = Signal(object, str)  # self, the id of a result dragged onto this pane
    similar_wanted = Signal(object)  # self: the articles most like its article are wanted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        self.article: Article | None = None
        self.request_id = 0
        self.wanted_id: str | None = None  # the article last asked for (it may not have arrived yet)
        self.kept_id: str | None = None  # the article opened to keep; another may be previewed meanwhile
        self.hit_positions: list[tuple[int, int]] = []
        self.current_hit = -1
        self.entities: tuple[EntityMention, ...] = ()
        # (Qt start, Qt end, mention) of the names shown, sorted, for hovering and clicking
        self.entity_positions: list[tuple[int, int, EntityMention]] = []
        self._title_length = 0
        self._offsets: list[int] | None = None
        self.body_start = 0  # where the article's body starts in the text shown (after its title)
        self.excerpt_spans: list[tuple[int, int]] = []  # body offsets of passages already in the excerpts
        self.compared: list[tuple[int, int, str]] = []  # body offsets and kind of the passages compared
        self.edit_dialog: EditDialog | None = None
        self.metadata = QLabel("Open a result to read it here.")
        self.metadata.setObjectName("readerMetadata")
        self.metadata.setTextFormat(Qt.TextFormat.PlainText)
        self.metadata.setWordWrap(True)
        self.metadata.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit()
        self.text.setObjectName("readerText")
        self.text.setReadOnly(True)
        self.text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.text.customContextMenuRequested.connect(self._on_context_menu)
        self.text.viewport().setMouseTracking(True)
        self.text.viewport().installEventFilter(self)
        self.text.setAcceptDrops(False)  # a dragged result goes to the pane (dropEvent), not into the text
        self.setAcceptDrops(True)
        self.text.selectionChanged.connect(self._update_buttons)
        self.related = QLabel("")
        self.related.setObjectName("relatedLabel")
        self.related.setTextFormat(Qt.TextFormat.RichText)
        self.related.setWordWrap(True)
        self.related.linkActivated.connect(self._on_related_link)
        self.related.hide()
        self._copies: list[Article] = []
        self._similar: tuple[Any, ...] | None = None  # the articles most like this one, once asked for
        self._similar_listed = False  # they are listed (a click on "Most like it" toggles)
        self.legend = EntityLegend()
        self.legend.shown_changed.connect(self.apply_highlights)
        self.hits_label = QLabel("")
        self.preview_label = QLabel("Preview — Enter keeps it here")
        self.preview_label.setObjectName("previewLabel")
        self.preview_label.setToolTip("A click or an arrow key in the results shows an article here; Enter or a "
                                      "double-click keeps it, Ctrl+Enter opens it beside the article this pane keeps")
        self.preview_label.hide()
        self.prev_button = tool_button("◀ Hit", "Previous hit (Shift+F3)", lambda: self.step_hit(-1))
        self.next_button = tool_button("Hit ▶", "Next hit (F3)", lambda: self.step_hit(1))
        self.excerpt_button = tool_button("+ Excerpt", "Add the selected passage to the excerpts (Ctrl+E)",
                                           self.request_excerpt)
        self.edit_button = tool_button("Edit details…", "Correct title, date, source or language",
                                        self.open_editor)
        self.close_button = tool_button("✕", "Close this pane", lambda: self.close_requested.emit(self))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.prev_button, self.next_button, self.hits_label, self.preview_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.excerpt_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.metadata)
        layout.addWidget(self.related)
        layout.addWidget(self.legend)
        layout.addWidget(self.text, 1)
        self._update_buttons()

    @property
    def article_id(self) -> str | None:
        """The id of the article shown, if any."""
        return self.article.id if self.article else None

    def show_article(self, article: Article, spans: Mapping[str, tuple[Any, ...]]) -> None:
        """Show ``article`` with hits and names highlighted.

        Args:
            article: the article.
            spans: "title" and "body" hit spans (char offsets into the title and body), and "entities", the
                EntityMentions of the body.
        """
        if self.article is None or article.id != self.article.id:
            self.compared = []
            self._copies, self._similar, self._similar_listed = [], None, False
        self.article = article
        self.excerpt_spans = []  # the caller marks this article's excerpts after
        title = article.title or "(untitled)"
        title_spans: tuple[Span, ...]
        if article.body.startswith(title):  # the body already opens with its title: show it once
            full, body_start, title_spans = article.body, 0, ()
        else:
            full, body_start, title_spans = f"{title}\n\n{article.body}", len(title) + 2, spans.get("title", ())
        self.text.setPlainText(full)
        self._offsets = offsets = utf16_offsets(full)
        self._title_length = len(title)
        self.body_start = body_start
        self.hit_positions = []
        placed: list[tuple[Span, int]] = [(span, 0) for span in title_spans]
        placed += [(span, body_start) for span in spans.get("body", ())]
        for span, shift in placed:
            start, end = span.start + shift, span.end + shift
            if 0 <= start < end <= len(full) and span.kind == "hit":
                self.hit_positions.append((to_qt_offset(offsets, start), to_qt_offset(offsets, end)))
        self.hit_positions.sort()
        self.entities = tuple(m for m in spans.get("entities", ())
                              if 0 <= m.start < m.end and m.end + body_start <= len(full))
        self.legend.set_counts({type_: sum(1 for m in self.entities if m.type == type_) for type_ in ENTITY_COLOURS})
        self.apply_highlights()
        self.metadata.setText(metadata_text(article))
        self._show_related()
        self.preview_label.setVisible(article.id != self.kept_id)
        self.current_hit = -1
        self.text.setExtraSelections([])
        self.text.moveCursor(QTextCursor.MoveOperation.Start)
        if self.hit_positions:
            self.step_hit(1)
        self._update_buttons()

    def clear(self) -> None:
        """Show nothing (the archive the article came from is no longer the one open)."""
        self.article = None
        self.request_id = 0
        self.wanted_id = self.kept_id = None
        self.preview_label.hide()
        self.hit_positions, self.current_hit, self.entities = [], -1, ()
        self.entity_positions, self.excerpt_spans, self.compared = [], [], []
        self._copies, self._similar, self._similar_listed = [], None, False
        self._show_related()
        self._offsets, self._title_length, self.body_start = None, 0, 0
        self.text.clear()
        self.metadata.setText("Open a result to read it here.")
        self.legend.set_counts({type_: 0 for type_ in ENTITY_COLOURS})
        self._update_buttons()

    def apply_highlights(self) -> None:
        """(Re)apply title, names of the types the legend shows, and hits to the text shown; no refetch."""
        if self.article is None:
            return
        scroll = self.text.verticalScrollBar().value()
        document = self.text.document()
        offsets = self._offsets
        cursor = QTextCursor(document)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        title_format = QTextCharFormat()
        title_format.setFontWeight(QFont.Weight.Bold)
        title_format.setFontPointSize(self.text.font().pointSizeF() * 1.35)
        self._apply(cursor, offsets, 0, self._title_length, title_format)
        taken = QTextCharFormat()
        taken.setBackground(_EXCERPT_BACKGROUND)
        taken.setToolTip("In your excerpts")
        for start, end in self.excerpt_spans:
            if 0 <= start < end <= len(self.article.body):
                self._apply(cursor, offsets, start + self.body_start, end + self.body_start, taken)
        for start, end, kind in self.compared:
            if 0 <= start < end <= len(self.article.body) and kind in COMPARED_BACKGROUNDS:
                shade = QTextCharFormat()
                shade.setBackground(COMPARED_BACKGROUNDS[kind])
                shade.setToolTip(COMPARED_TIPS[kind])
                self._apply(cursor, offsets, start + self.body_start, end + self.body_start, shade)
        shown = self.legend.shown
        self.entity_positions = []
        for mention in self.entities:
            if mention.type not in shown:
                continue
            start, end = mention.start + self.body_start, mention.end + self.body_start
            self._apply(cursor, offsets, start, end, entity_format(mention))
            self.entity_positions.append((to_qt_offset(offsets, start), to_qt_offset(offsets, end), mention))
        hit = span_formats()["hit"]
        for start, end in self.hit_positions:  # already Qt offsets
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(hit)
        self.text.verticalScrollBar().setValue(scroll)

    def set_compared(self, passages: list[tuple[int, int, str]]) -> None:
        """Shade these passages of the body (offsets and kind, ``same`` or ``similar``) as compared with
        another article's; an empty list ends the comparison here."""
        if passages != self.compared:
            self.compared = passages
            self.apply_highlights()

    def compared_at(self, body_offset: int) -> int:
        """The index in ``compared`` of the passage holding ``body_offset``, or -1."""
        return next((k for k, (start, end, _) in enumerate(self.compared) if start <= body_offset < end), -1)

    def set_copies(self, copies: list[Article]) -> None:
        """Name the article's near copies, each a link to open it here and one to compare it with this."""
        self._copies = copies
        self._show_related()

    def set_similar(self, similar: tuple[Any, ...]) -> None:
        """List the articles most like this one (hits), each a link to open it here."""
        self._similar = similar
        self._similar_listed = True
        self._show_related()

    def _show_related(self) -> None:
        parts = []
        if self._copies:
            count = len(self._copies)
            links = ", ".join(
                f'<a href="open:{c.id}">{html.escape(_short(c))}</a> (<a href="compare:{c.id}">compare</a>)'
                for c in self._copies
            )
            parts.append(f"<b>{count} near {'copy' if count == 1 else 'copies'}:</b> {links}")
        if self._similar_listed and self._similar is None:
            parts.append("Most like it: looking through the archive…")
        elif self._similar_listed and self._similar is not None:
            links = ", ".join(f'<a href="open:{h.id}">{html.escape(_short(h))}</a>' for h in self._similar) or "none"
            parts.append(f'<a href="similar:">Most like it</a> ▾ {links}')
        elif self.article is not None:
            parts.append('<a href="similar:">Most like it</a> ▸')
        self.related.setText("<br>".join(parts))
        self.related.setVisible(bool(parts))

    def _on_related_link(self, link: str) -> None:
        action, _, article_id = link.partition(":")
        if action == "similar" and self._similar is None:
            self._similar_listed = True
            self._show_related()
            self.similar_wanted.emit(self)  # found on request: it reads the whole archive's statistics
        elif action == "similar":
            self._similar_listed = not self._similar_listed
            self._show_related()
        elif action == "compare":
            self.compare_requested.emit(self, article_id)
        else:
            self.related_open_requested.emit(self, article_id)

    def set_excerpt_spans(self, spans: list[tuple[int, int]]) -> None:
        """Mark these passages of the body (character offsets) as already taken as excerpts."""
        if spans != self.excerpt_spans:
            self.excerpt_spans = spans
            self.apply_highlights()

    def selected_passage(self) -> tuple[int, int] | None:
        """The selection as ``[start, end)`` of the article's body (the part over the title left out), if any."""
        cursor = self.text.textCursor()
        if self.article is None or not cursor.hasSelection():
            return None
        start = from_qt_offset(self._offsets, cursor.selectionStart()) - self.body_start
        end = from_qt_offset(self._offsets, cursor.selectionEnd()) - self.body_start
        start, end = max(0, start), min(end, len(self.article.body))
        return (start, end) if start < end else None

    def request_excerpt(self) -> None:
        """Ask for the selected passage to be added to the excerpts (Ctrl+E)."""
        passage = self.selected_passage()
        if passage is not None:
            self.excerpt_requested.emit(self, *passage)

    def request_copy_with_citation(self) -> None:
        """Ask for the selected passage to be copied with its citation (Ctrl+Shift+C)."""
        passage = self.selected_passage()
        if passage is not None:
            self.copy_with_citation_requested.emit(self, *passage)

    def show_passage(self, start: int, end: int) -> None:
        """Scroll to characters ``[start, end)`` of the body and mark them, as when jumping back to an excerpt."""
        if self.article is None or not 0 <= start < end <= len(self.article.body):
            return
        qt_start = to_qt_offset(self._offsets, start + self.body_start)
        qt_end = to_qt_offset(self._offsets, end + self.body_start)
        self._mark_and_show(qt_start, qt_end, _PASSAGE_BACKGROUND, whole=True)

    def _mark_and_show(self, start: int, end: int, background: QColor, whole: bool = False) -> None:
        """Mark Qt positions ``[start, end)`` with ``background`` (the one marked range) and scroll to it;
        ``whole`` scrolls so that its end shows too, then its start."""
        cursor = self.text.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor  # type: ignore[attr-defined]
        marked = QTextCharFormat()
        marked.setBackground(background)
        selection.format = marked  # type: ignore[attr-defined]
        self.text.setExtraSelections([selection])
        plain = self.text.textCursor()
        for position in (end, start) if whole else (start,):
            plain.setPosition(position)
            self.text.setTextCursor(plain)
            self.text.ensureCursorVisible()

    def entity_at(self, position: int) -> EntityMention | None:
        """The name shown at Qt document ``position`` (a character index), if any."""
        i = bisect.bisect_right(self.entity_positions, position, key=lambda item: item[0]) - 1
        if i >= 0 and self.entity_positions[i][0] <= position < self.entity_positions[i][1]:
            return self.entity_positions[i][2]
        return None

    def _entity_under(self, point: QPoint) -> EntityMention | None:
        cursor = self.text.cursorForPosition(point)
        rect = self.text.cursorRect(cursor)
        position = cursor.position() - (1 if point.x() < rect.x() else 0)  # the character under the point
        return self.entity_at(position)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        """Accept a result dragged from the list."""
        if event.mimeData().hasFormat(ARTICLE_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        """Open the dropped result here."""
        if event.mimeData().hasFormat(ARTICLE_MIME):
            self.article_dropped.emit(self, bytes(event.mimeData().data(ARTICLE_MIME).data()).decode("utf-8"))
            event.acceptProposedAction()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Tooltips, a pointing hand and clicks for the names in the text."""
        if watched is self.text.viewport():
            if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
                mention = self._entity_under(event.pos())
                if mention is not None:
                    QToolTip.showText(event.globalPos(), entity_tooltip(mention.type, mention.canonical),
                                      self.text.viewport())
                else:
                    QToolTip.hideText()
                return True
            if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
                over = self._entity_under(event.position().toPoint()) is not None
                self.text.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                               else Qt.CursorShape.IBeamCursor)
            elif (event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
                  and event.button() == Qt.MouseButton.LeftButton and not self.text.textCursor().hasSelection()):
                mention = self._entity_under(event.position().toPoint())
                if mention is not None:
                    self.entity_include_requested.emit(ENTITY_TYPE_FACET[mention.type], mention.canonical)
                elif self.compared and self.article is not None:
                    position = from_qt_offset(self._offsets, self.text.cursorForPosition(event.position().toPoint())
                                              .position()) - self.body_start
                    passage = self.compared_at(position)
                    if passage >= 0:
                        self.compared_passage_clicked.emit(self, passage)
        return super().eventFilter(watched, event)

    def _on_context_menu(self, pos: QPoint) -> None:
        menu = self.text.createStandardContextMenu(pos)
        has_passage = self.selected_passage() is not None
        first = menu.actions()[0]  # Qt's standard menu is never empty (Copy, Select All)
        add = QAction("Add to excerpts\tCtrl+E", menu)
        add.setEnabled(has_passage)
        add.triggered.connect(self.request_excerpt)
        copy = QAction("Copy with citation\tCtrl+Shift+C", menu)
        copy.setEnabled(has_passage)
        copy.triggered.connect(self.request_copy_with_citation)
        menu.insertActions(first, [add, copy])
        menu.insertSeparator(first)
        mention = self._entity_under(pos)
        if mention is not None:
            facet, type_, name = ENTITY_TYPE_FACET[mention.type], mention.type, mention.canonical
            menu.addSeparator()
            add_entity_actions(menu, type_, name, lambda: self.entity_include_requested.emit(facet, name),
                               lambda: self.entity_exclude_requested.emit(facet, name),
                               lambda action: self.entity_action_requested.emit(action, type_, name))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.text.viewport().mapToGlobal(pos))

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
        self._mark_and_show(start, end, _CURRENT_BACKGROUND)
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
        self.excerpt_button.setEnabled(self.selected_passage() is not None)
        if count:
            self.hits_label.setText(f"hit {self.current_hit + 1} of {count}")
        else:
            self.hits_label.setText("no hits" if self.article else "")
