"""Two reading panes compared: the summary bar above them, and the links between their passages."""

from __future__ import annotations

import html
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QScrollBar, QWidget

from index import Article, Comparison, EntityRef, PassageKind

from .buttons import tool_button
from .reader_pane import COMPARED_BACKGROUNDS, ReaderPane

if TYPE_CHECKING:
    from .controller import Controller

ENTITIES_NAMED = 5  # entities named in the bar for each list; the rest are counted, all in its tooltip
LINKED = (PassageKind.SAME, PassageKind.SIMILAR)


class CompareBar(QFrame):
    """What two compared articles share: the shares in the same words, the entities both and only one
    name, each article's date and outlet; buttons to step through the linked passages, scroll the
    panes together or end the comparison."""

    previous_requested = Signal()
    next_requested = Signal()
    sync_changed = Signal(bool)
    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary = QLabel("")
        self.summary.setObjectName("compareSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.previous_button = tool_button(
            "◀ Linked", "Previous linked passage (Shift+F4)", self.previous_requested.emit
        )
        self.next_button = tool_button("Linked ▶", "Next linked passage (F4)", self.next_requested.emit)
        self.sync = QCheckBox("Scroll together")
        self.sync.setToolTip("Scroll both panes together, each in proportion to its length")
        self.sync.toggled.connect(self.sync_changed)
        end = tool_button("✕", "End the comparison", self.end_requested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.summary, 1)
        for widget in (self.previous_button, self.next_button, self.sync, end):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_waiting(self) -> None:
        """Say the comparison is being made."""
        self.summary.setText("Comparing…")
        self._enable(False)
        self.show()

    def show_failure(self, message: str) -> None:
        """Say why there is no comparison."""
        self.summary.setText(f"Could not compare: {html.escape(message)}")
        self._enable(False)
        self.show()

    def show_comparison(self, comparison: Comparison, a: Article, b: Article) -> None:
        """Show the summary of ``comparison`` of ``a`` (the left pane) and ``b``."""
        linked = sum(1 for p in comparison.passages if p.kind in LINKED)
        similar = sum(1 for p in comparison.passages if p.kind == PassageKind.SIMILAR)
        same = COMPARED_BACKGROUNDS["same"].name()
        alike = COMPARED_BACKGROUNDS["similar"].name()
        lines = [
            f"<b>A</b> {_where(a)} · <b>B</b> {_where(b)}",
            f'<span style="background:{same}">&nbsp;{comparison.share_a:.0%} of A is in B in the same words, '
            f"{comparison.share_b:.0%} of B in A&nbsp;</span> · "
            f'<span style="background:{alike}">&nbsp;{similar} passages alike in other words&nbsp;</span>',
            f"<b>Both name</b> {_names(comparison.shared_entities)} · <b>only A</b> "
            f"{_names(comparison.only_a_entities)} · <b>only B</b> {_names(comparison.only_b_entities)}",
        ]
        self.summary.setText("<br>".join(lines))
        self.summary.setToolTip(
            "\n".join(
                f"{title}: {', '.join(e.name for e in entities) or 'none'}"
                for title, entities in (
                    ("Both name", comparison.shared_entities),
                    ("Only A names", comparison.only_a_entities),
                    ("Only B names", comparison.only_b_entities),
                )
            )
        )
        self._enable(linked > 0)
        self.show()

    def _enable(self, linked: bool) -> None:
        self.previous_button.setEnabled(linked)
        self.next_button.setEnabled(linked)


def _where(article: Article) -> str:
    date = article.date.isoformat() if article.date else "no date"
    return html.escape(f"{article.source or 'no source'}, {date}")


def _names(entities: tuple[EntityRef, ...]) -> str:
    if not entities:
        return "none"
    named = ", ".join(html.escape(e.name) for e in entities[:ENTITIES_NAMED])
    more = len(entities) - ENTITIES_NAMED
    return named + (f" and {more} more" if more > 0 else "")


class PaneComparison(QObject):
    """Links two panes by a comparison: each pane shades its linked passages; a click on one, or
    the next/previous keys, shows it and its partner in the other pane; scrolling can be shared.

    The two panes' ``compared`` lists are parallel: passage k of the left pane is linked to passage k
    of the right one.
    """

    def __init__(self, left: ReaderPane, right: ReaderPane, comparison: Comparison) -> None:
        super().__init__(left)
        self.left, self.right, self.comparison = left, right, comparison
        self.links = [p for p in comparison.passages if p.kind in LINKED and p.a and p.b]
        self.current = -1
        self._syncing = False
        self._following: list[tuple[QScrollBar, partial[None]]] = []
        left.compared_passage_clicked.connect(self.show_link)
        right.compared_passage_clicked.connect(self.show_link)
        self.refresh()

    @property
    def ids(self) -> tuple[str, str]:
        """The ids of the left and right articles."""
        return self.comparison.a, self.comparison.b

    def refresh(self) -> None:
        """Shade the linked passages in each pane that shows its article (one may arrive later)."""
        for pane, article_id, side in ((self.left, self.comparison.a, "a"), (self.right, self.comparison.b, "b")):
            if pane.article_id == article_id:
                pane.set_compared([(*getattr(link, side), str(link.kind)) for link in self.links])

    def holds(self, pane: ReaderPane) -> bool:
        """Whether ``pane`` is one of the two compared."""
        return pane is self.left or pane is self.right

    def show_link(self, _pane: ReaderPane, index: int) -> None:
        """Show linked passage ``index`` in both panes."""
        if not 0 <= index < len(self.links):
            return
        if (self.left.article_id, self.right.article_id) != self.ids:
            return  # a pane turned to another article: these offsets are not its
        self.current = index
        link = self.links[index]
        assert link.a is not None and link.b is not None
        self._syncing = True  # each pane shows its passage; scrolling together must not move the other
        try:
            self.left.show_passage(*link.a)
            self.right.show_passage(*link.b)
        finally:
            self._syncing = False

    def step(self, step: int) -> None:
        """Show the next (1) or previous (-1) linked passage, wrapping around."""
        if self.links:
            self.show_link(self.left, (self.current + step) % len(self.links))

    def set_sync(self, together: bool) -> None:
        """Scroll the panes together (each in proportion to its length), or each on its own."""
        for bar, follow in self._following:
            with suppress(RuntimeError):  # a pane closed meanwhile
                bar.valueChanged.disconnect(follow)
        self._following = []
        if together:
            for pane, other in ((self.left, self.right), (self.right, self.left)):
                bar = pane.text.verticalScrollBar()
                follow = partial(self._follow, pane, other)
                bar.valueChanged.connect(follow)
                self._following.append((bar, follow))

    def _follow(self, leader: ReaderPane, follower: ReaderPane, _value: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            source, target = leader.text.verticalScrollBar(), follower.text.verticalScrollBar()
            share = source.value() / source.maximum() if source.maximum() else 0.0
            target.setValue(round(share * target.maximum()))
        finally:
            self._syncing = False

    def end(self) -> None:
        """Remove the shading and the links."""
        self.set_sync(False)
        for pane in (self.left, self.right):
            with suppress(RuntimeError):  # a pane closed meanwhile
                pane.compared_passage_clicked.disconnect(self.show_link)
                pane.set_compared([])


class Comparing(QObject):
    """Starts, keeps and ends the comparison of two reading panes: asks for it off the GUI thread,
    links the panes when it comes, and ends it when either pane turns to another article."""

    def __init__(
        self, controller: Controller, bar: CompareBar, load: Callable[[ReaderPane, str], object], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.controller, self.bar, self.load = controller, bar, load
        self.current: PaneComparison | None = None
        # the request awaiting a comparison: its id, the panes and the articles they are to show
        self._asked: tuple[int, ReaderPane, ReaderPane, str, str] | None = None
        controller.comparison_ready.connect(self._on_ready)
        controller.comparison_failed.connect(self._on_failed)
        bar.previous_requested.connect(lambda: self.step(-1))
        bar.next_requested.connect(lambda: self.step(1))
        bar.sync_changed.connect(self._on_sync)
        bar.end_requested.connect(self.end)

    def compare(self, left: ReaderPane, a: str, right: ReaderPane, b: str) -> None:
        """Show article ``a`` in ``left`` and ``b`` in ``right`` (if they do not already) and compare them."""
        self.end()
        for pane, article_id in ((left, a), (right, b)):
            if pane.wanted_id != article_id or pane.kept_id != article_id:
                self.load(pane, article_id)
        self._asked = (self.controller.compare(a, b), left, right, a, b)
        self.bar.show_waiting()

    def _on_ready(self, request_id: int, comparison: Comparison) -> None:
        if self._asked is None or self._asked[0] != request_id:
            return  # a comparison since replaced or ended
        _, left, right, a, b = self._asked
        self._asked = None
        if (left.wanted_id, right.wanted_id) != (a, b):  # the user turned a pane to another article meanwhile
            self.bar.hide()
            return
        self.current = PaneComparison(left, right, comparison)
        self.current.set_sync(self.bar.sync.isChecked())
        self._show_summary()

    def _on_failed(self, request_id: int, message: str) -> None:
        if self._asked is not None and self._asked[0] == request_id:
            self._asked = None
            self.bar.show_failure(message)

    def on_article_shown(self, pane: ReaderPane) -> None:
        """A pane shows an article: the comparison goes on if it is one of the two compared, else ends."""
        asked = self._asked
        if asked is not None and pane in asked[1:3] and pane.wanted_id not in asked[3:]:
            self.end()  # turned to another article before the comparison came
            return
        current = self.current
        if current is None or not current.holds(pane):
            return
        if pane.article_id not in current.ids:
            self.end()
            return
        current.refresh()
        self._show_summary()

    def on_pane_closed(self, pane: ReaderPane) -> None:
        """End the comparison when one of its panes closes."""
        if (self.current is not None and self.current.holds(pane)) or (self._asked and pane in self._asked[1:3]):
            self.end()

    def _show_summary(self) -> None:
        current = self.current
        if current is None:
            return
        left, right = current.left.article, current.right.article
        if left is not None and right is not None and (left.id, right.id) == current.ids:
            self.bar.show_comparison(current.comparison, left, right)

    def step(self, step: int) -> None:
        """Show the next (1) or previous (-1) linked passage in both panes (F4, Shift+F4)."""
        if self.current is not None:
            self.current.step(step)

    def _on_sync(self, together: bool) -> None:
        if self.current is not None:
            self.current.set_sync(together)

    def end(self) -> None:
        """Stop comparing: the shading goes, the bar hides."""
        self._asked = None
        if self.current is not None:
            self.current.end()
            self.current.deleteLater()
            self.current = None
        self.bar.hide()
