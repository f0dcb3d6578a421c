"""A scripted demo session (ARCHIVIST_DEMO=folder): a query being typed, an entity facet, an article, a
timeline brush, two panes side by side, two reports compared, the skipped files; PNGs saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from .main_window import MainWindow

STEP_MS = 900


class Demo(QObject):
    """Runs the steps one after another once the first indexing is done, grabbing the window after each."""

    def __init__(self, window: MainWindow, folder: Path) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder
        self.steps: list[tuple[str, Callable[[], None]]] = [
            ("01-start", lambda: None),
            ("02-query", lambda: self._type("vietnam azer")),  # the last word is completed as it is typed
            ("03-facet", lambda: self.window.session.include("person", "To Lam")),
            ("04-article", self._open_first),
            ("05-timeline", self._brush),
            ("06-split", self._split),
            ("08-compare", self._compare),
            ("09-compare-link", self._show_visits),
            ("07-skipped", self.window.show_skipped),
        ]

    def start(self) -> None:
        """Begin after the window has indexed its archive (or at once if it already has)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.window.controller.is_indexing:
            self.window.controller.indexing_finished.connect(lambda _summary: QTimer.singleShot(STEP_MS, self._next))
        else:
            QTimer.singleShot(STEP_MS, self._next)

    def _next(self) -> None:
        if not self.steps:
            QApplication.quit()
            return
        name, action = self.steps.pop(0)
        action()
        QTimer.singleShot(STEP_MS, lambda: self._grab(name))

    def _grab(self, name: str) -> None:
        dialog = self.window.skipped_dialog
        (dialog if dialog.isVisible() else self.window).grab().save(str(self.folder / f"{name}.png"))
        print(f"demo: saved {name}.png", flush=True)
        self._next()

    def _type(self, text: str) -> None:
        self.window.search_bar.field.setText(text)
        self.window.search_bar.field.textEdited.emit(text)

    def _open_first(self) -> None:
        if self.window.results.rowCount():
            self.window.result_list.setCurrentIndex(self.window.results.index(0, 0))
            self.window.open_article(self.window.results.hits[0].id)

    def _brush(self) -> None:
        self.window.session.remove_chip("person:To Lam")
        self._type("vietnam")
        QTimer.singleShot(STEP_MS // 2, self._brush_2025)

    def _brush_2025(self) -> None:
        buckets = self.window.timeline_model.buckets
        years = [i for i, bucket in enumerate(buckets) if bucket.start.year == 2025]
        if years:
            self.window.timeline.select_range(years[0], years[-1])

    def _compare(self) -> None:
        """The two reports of To Lam's visit to Baku (seeds 001 and 002), compared, their copies folded."""
        self.window.clear_search()
        for pane in self.window.readers.panes[1:]:
            self.window.readers.close_pane(pane)
        ids = [hit.id for hit in self.window.results.hits if hit.path.startswith(("001_", "002_"))]
        self.window.result_list.select_ids(ids)
        self.window.compare_selected()

    def _show_visits(self) -> None:
        """Show the passages on Ho Chi Minh's 1959 visit, told differently in each report."""
        current = self.window.comparing.current
        if current is None:
            return
        for index, link in enumerate(current.links):
            sides = ((current.left, link.a), (current.right, link.b))
            texts = [pane.article.body[span[0] : span[1]] for pane, span in sides if pane.article and span]
            if any("1959" in text for text in texts):
                current.show_link(current.left, index)
                return

    def _split(self) -> None:
        shown = self.window.readers.active.article_id
        other = next((row for row, hit in enumerate(self.window.results.hits) if hit.id != shown), None)
        if other is not None:
            self.window.result_list.setCurrentIndex(self.window.results.index(other, 0))
            self.window.result_list.setFocus(Qt.FocusReason.OtherFocusReason)
            self.window.open_article_beside(self.window.results.hits[other].id)
