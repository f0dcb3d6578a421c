"""The reading area: one or more ReaderPanes side by side in a resizable splitter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QWidget

from index import Article

from .reader_pane import ReaderPane


class ReaderArea(QSplitter):
    """Holds reader panes; the active pane receives articles opened with Enter, a new pane those opened beside."""

    correction_requested = Signal(str, str, object)
    entity_include_requested = Signal(str, str)  # facet, canonical name
    entity_exclude_requested = Signal(str, str)
    entity_action_requested = Signal(str, str, str)  # action, type, canonical name
    panes_changed = Signal(int)
    excerpt_requested = Signal(object, int, int)  # pane, start, end of its article's body
    copy_with_citation_requested = Signal(object, int, int)
    related_open_requested = Signal(object, str)  # pane, article id
    compare_requested = Signal(object, str)  # pane, the article to compare its article with
    pane_closing = Signal(object)  # pane
    article_dropped = Signal(object, str)  # pane, the id of a result dragged onto it
    similar_wanted = Signal(object)  # pane: the articles most like its article are wanted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("readerArea")
        self.setChildrenCollapsible(False)
        self.panes: list[ReaderPane] = []
        self.active: ReaderPane = self.add_pane()

    def add_pane(self) -> ReaderPane:
        """Open a new empty pane at the right and make it active."""
        pane = ReaderPane()
        pane.close_requested.connect(self.close_pane)
        pane.correction_requested.connect(self.correction_requested)
        pane.entity_include_requested.connect(self.entity_include_requested)
        pane.entity_exclude_requested.connect(self.entity_exclude_requested)
        pane.entity_action_requested.connect(self.entity_action_requested)
        pane.activated.connect(self._on_pane_activated)
        pane.excerpt_requested.connect(self.excerpt_requested)
        pane.copy_with_citation_requested.connect(self.copy_with_citation_requested)
        pane.related_open_requested.connect(self.related_open_requested)
        pane.compare_requested.connect(self.compare_requested)
        pane.article_dropped.connect(self.article_dropped)
        pane.similar_wanted.connect(self.similar_wanted)
        self.addWidget(pane)
        self.panes.append(pane)
        self.active = pane
        sizes = [max(1, self.width() // len(self.panes))] * len(self.panes)
        self.setSizes(sizes)
        self._update_close_buttons()
        return pane

    def close_pane(self, pane: ReaderPane) -> None:
        """Close ``pane``; the last pane is emptied instead of closed."""
        if len(self.panes) == 1:
            return
        self.pane_closing.emit(pane)
        self.panes.remove(pane)
        pane.hide()
        pane.deleteLater()
        if self.active is pane:
            self.active = self.panes[-1]
        self._update_close_buttons()

    def pane_beside(self, pane: ReaderPane) -> ReaderPane:
        """The pane right of ``pane``, opened if there is none."""
        here = self.panes.index(pane)
        if here + 1 < len(self.panes):
            return self.panes[here + 1]
        self.add_pane()
        self.active = pane
        return self.panes[-1]

    def neighbour(self, pane: ReaderPane) -> ReaderPane | None:
        """The pane showing an article nearest to ``pane`` (left first), if any."""
        here = self.panes.index(pane)
        others = sorted((p for p in self.panes if p is not pane and p.article_id),
                        key=lambda p: (abs(self.panes.index(p) - here), self.panes.index(p)))
        return others[0] if others else None

    def move_active(self, step: int) -> None:
        """Swap the active pane with its neighbour ``step`` (-1 left, 1 right)."""
        here = self.panes.index(self.active)
        there = here + step
        if 0 <= there < len(self.panes):
            sizes = self.sizes()
            self.panes[here], self.panes[there] = self.panes[there], self.panes[here]
            self.insertWidget(there, self.active)
            self.setSizes(sizes)  # the columns keep their widths; the articles change places
            self.active.text.setFocus()

    def activate_next(self, step: int) -> None:
        """Make the pane ``step`` away from the active one active (wrapping), its text focused."""
        here = self.panes.index(self.active)
        self.active = self.panes[(here + step) % len(self.panes)]
        self.active.text.setFocus()

    def _update_close_buttons(self) -> None:
        for each in self.panes:
            each.close_button.setEnabled(len(self.panes) > 1)
        self.panes_changed.emit(len(self.panes))

    def pane_for_request(self, request_id: int) -> ReaderPane | None:
        """The pane waiting for article request ``request_id``."""
        return next((pane for pane in self.panes if pane.request_id == request_id), None)

    def show_article(self, request_id: int, article: Article, spans: Mapping[str, tuple[Any, ...]]) -> None:
        """Give a loaded article to the pane that asked for it."""
        pane = self.pane_for_request(request_id)
        if pane is not None:
            pane.show_article(article, spans)

    def panes_showing(self, article_id: str) -> list[ReaderPane]:
        """Panes currently showing ``article_id``."""
        return [pane for pane in self.panes if pane.article_id == article_id]

    def _on_pane_activated(self, pane: ReaderPane) -> None:
        self.active = pane
