"""The facet panel: one list per facet (source, language, entities, dates); click includes, Ctrl+click excludes.

Each list shows its top values and "more…"; the panel scrolls as a whole (no list scrolls inside it).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListView,
    QMenu,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from index import ENTITY_FACETS, Filters, SearchResult

from .entity_menu import add_entity_actions
from .facet_model import FOLDED_ROWS, CountRole, FacetModel, StateRole, ValueRole
from .formatting import copies_counted
from .search_session import ENTITY_WORDS

# Facets shown, in order; a facet the engine adds later gets a list of its own, titled from its name.
FACET_TITLES: dict[str, str] = {
    "source": "Source", "language": "Language", **{f: words[1] for f, words in ENTITY_WORDS.items()},
    "year": "Year", "month": "Month",
}


class _FacetDelegate(QStyledItemDelegate):
    """Draws the value on the left and its count right-aligned."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\t")[0]
        count = str(index.data(CountRole) or "")
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(style.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect.adjusted(6, 0, -6, 0)
        painter.save()
        if index.data(StateRole) == "exclude":
            font = painter.font()
            font.setStrikeOut(True)
            painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - 40))
        painter.setPen(option.palette.placeholderText().color())
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, count)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Rows as tall as the style wants but narrow: long names are elided, so the count stays in view."""
        size = super().sizeHint(option, index)
        return QSize(min(size.width(), 80), size.height())


class FacetPanel(QScrollArea):
    """Lists the values of each facet with counts; emits ``include_requested``/``exclude_requested``."""

    include_requested = Signal(str, str)  # facet, value
    exclude_requested = Signal(str, str)
    entity_action_requested = Signal(str, str, str)  # action (entity_menu.ENTITY_ACTIONS), type, canonical

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facetPanel")
        self.setWidgetResizable(True)
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self.copies_note = QLabel("")
        self.copies_note.setObjectName("facetCopiesNote")
        self.copies_note.setWordWrap(True)
        self.copies_note.hide()
        self._layout.addWidget(self.copies_note)
        self._layout.addStretch(1)
        self.setWidget(self._inner)
        self.models: dict[str, FacetModel] = {}
        self.views: dict[str, QListView] = {}
        self.more: dict[str, QLabel] = {}
        self._delegate = _FacetDelegate(self)
        for name in FACET_TITLES:
            self._add_facet(name)

    def _add_facet(self, name: str) -> None:
        title = QLabel(FACET_TITLES.get(name, name.replace("_", " ").title()))
        title.setObjectName("facetTitle")
        model = FacetModel(name, self)
        view = QListView()
        view.setObjectName(f"facet_{name}")
        view.setModel(model)
        view.setItemDelegate(self._delegate)
        view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QListView.SelectionMode.NoSelection)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.clicked.connect(lambda index, n=name: self._on_clicked(n, index))
        view.customContextMenuRequested.connect(lambda pos, n=name: self._on_context_menu(n, pos))
        more = QLabel()
        more.setObjectName("facetMore")
        more.setTextFormat(Qt.TextFormat.RichText)
        more.setWordWrap(True)
        more.linkActivated.connect(lambda link, n=name: self._set_expanded(n, link == "more"))
        more.hide()
        position = self._layout.count() - 1
        self._layout.insertWidget(position, title)
        self._layout.insertWidget(position + 1, view)
        self._layout.insertWidget(position + 2, more)
        self.models[name] = model
        self.views[name] = view
        self.more[name] = more

    def set_result(self, result: SearchResult, filters: Filters) -> None:
        """Show the facet counts of ``result``, marking the values ``filters`` uses."""
        for name in result.facets:
            if name not in self.models:
                self._add_facet(name)
        for name, model in self.models.items():
            model.set_facet(result.facets.get(name), _states(name, filters))  # one reset per search
            self._fit(name)

    def set_copies_counted(self, count: int) -> None:
        """Say that the counts include ``count`` near copies folded in the results (nothing when none are)."""
        text = copies_counted(count)
        self.copies_note.setText(text[:1].upper() + text[1:])
        self.copies_note.setVisible(bool(text))

    def _set_expanded(self, name: str, expanded: bool) -> None:
        self.models[name].set_expanded(expanded)
        self._fit(name)

    def _fit(self, name: str) -> None:
        """Make the list as tall as its rows, and say what "more…" would add."""
        model, view, more = self.models[name], self.views[name], self.more[name]
        rows = model.rowCount()
        view.setFixedHeight(max(1, rows) * (view.sizeHintForRow(0) if rows else 20) + 2 * view.frameWidth())
        returned = len(model.facet.values) if model.facet else 0
        if not model.expanded and returned > rows:
            more.setText(f"<a href='more'>more… ({returned - rows})</a>")
        elif model.expanded and returned > FOLDED_ROWS:
            field = "date" if name in ("year", "month") else name
            beyond = f' · {model.hidden} more not listed: search {field}:"…"' if model.hidden else ""
            more.setText(f"<a href='fewer'>fewer</a>{html.escape(beyond)}")
        else:
            more.hide()
            return
        more.show()

    def _on_clicked(self, name: str, index: QModelIndex) -> None:
        value = str(index.data(ValueRole))
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier:
            self.exclude_requested.emit(name, value)
        else:
            self.include_requested.emit(name, value)

    def _on_context_menu(self, name: str, pos: QPoint) -> None:
        view = self.views[name]
        index = view.indexAt(pos)
        if not index.isValid():
            return
        value = str(index.data(ValueRole))
        menu = QMenu(self)
        if name in ENTITY_FACETS:
            type_ = ENTITY_FACETS[name]
            add_entity_actions(menu, type_, value, lambda: self.include_requested.emit(name, value),
                               lambda: self.exclude_requested.emit(name, value),
                               lambda action: self.entity_action_requested.emit(action, type_, value))
            menu.popup(view.viewport().mapToGlobal(pos))
            return
        menu.addAction(f"Only {value}", lambda: self.include_requested.emit(name, value))
        if name in ("source", "language"):
            menu.addAction(f"Exclude {value}", lambda: self.exclude_requested.emit(name, value))
        menu.popup(view.viewport().mapToGlobal(pos))


def _states(name: str, filters: Filters) -> dict[str, str]:
    if name in ENTITY_FACETS:
        states = {value: "include" for facet, value in filters.entities if facet == name}
        states.update({value: "exclude" for facet, value in filters.exclude_entities if facet == name})
        return states
    include = {"source": filters.sources, "language": filters.languages}.get(name, ())
    exclude = {"source": filters.exclude_sources, "language": filters.exclude_languages}.get(name, ())
    states = {value: "include" for value in include}
    states.update({value: "exclude" for value in exclude})
    return states
