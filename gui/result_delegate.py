"""Draws one search hit: title, date (with "~" when inferred), source, language, snippet with hits marked."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from index import Hit

from .formatting import date_text, highlighted_html, list_title
from .result_model import CopyOfRole, HitRole, ResultModel

_CSS = """
.title { font-weight: 600; }
.meta { color: #5f6b7a; }
.inferred { color: #9a6700; }
.hit { background-color: #ffe58a; color: #000000; }
.copies { color: #1f5fa8; }
.copy { margin-left: 16px; }
"""
_CSS_SELECTED = """
.title { font-weight: 600; }
.meta { color: #e6eefb; }
.inferred { color: #ffe2a6; }
.hit { background-color: #ffe58a; color: #000000; }
.copies { color: #ffffff; }
.copy { margin-left: 16px; }
"""


def hit_html(hit: Hit, copy: bool = False, expanded: bool = False) -> str:
    """The rich text of one row; every character of the hit's own text is escaped. A result with near
    copies says how many (▸ folded, ▾ listed under it); a copy listed under its result is indented."""
    date = date_text(hit.date, hit.date_provenance)
    date_class = "inferred" if date.startswith("~") or hit.date is None else "meta"
    rest = f' · {html.escape(hit.source or "no source")} · {html.escape(hit.language or "?")}'
    meta = f'<span class="{date_class}">{html.escape(date)}</span><span class="meta">{rest}</span>'
    if hit.copies:
        count = len(hit.copies)
        meta += f'<span class="copies"> · {"▾" if expanded else "▸"} {count} cop{"y" if count == 1 else "ies"}</span>'
    snippet = highlighted_html(hit.snippet.text, hit.snippet.spans)
    title = html.escape(list_title(hit.title or "(untitled)"))
    if copy:
        return f'<div class="copy"><div class="title">↳ {title}</div><div>{meta}</div></div>'
    return f'<div class="title">{title}</div><div>{meta}</div><div>{snippet}</div>'


class ResultDelegate(QStyledItemDelegate):
    """Renders hits as small rich-text documents built from escaped text and spans."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        document.setDefaultStyleSheet(_CSS_SELECTED if selected else _CSS)
        document.setDocumentMargin(6)
        hit = index.data(HitRole)
        model = index.model()
        expanded = bool(hit) and isinstance(model, ResultModel) and model.is_expanded(hit.id)
        document.setHtml(hit_html(hit, index.data(CopyOfRole) is not None, expanded) if hit else "")
        document.setTextWidth(max(120, option.rect.width()))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        document = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, option.palette.highlightedText().color())
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()
        painter.save()
        painter.setPen(option.palette.mid().color())
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Tall enough for the whole row at the view's width."""
        opt = QStyleOptionViewItem(option)
        if opt.widget is not None:
            opt.rect.setWidth(opt.widget.width() - 24)
        document = self._document(opt, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 2)
