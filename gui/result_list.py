"""The result list: a keyboard-friendly view of the ResultModel (j/k, arrows, Enter, Ctrl+Enter)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QWidget

from .result_delegate import ResultDelegate
from .result_model import IdRole, ResultModel


class ResultList(QListView):
    """Emits ``open_requested(id)`` on Enter/double-click and ``open_beside_requested(id)`` on Ctrl+Enter."""

    open_requested = Signal(str)
    open_beside_requested = Signal(str)
    current_changed = Signal(str)

    def __init__(self, model: ResultModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultList")
        self.setModel(model)
        self.setItemDelegate(ResultDelegate(self))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self.doubleClicked.connect(lambda index: self.open_requested.emit(str(index.data(IdRole))))
        self.selectionModel().currentChanged.connect(self._on_current_changed)

    def current_id(self) -> str | None:
        """The id of the current hit, if any."""
        index = self.currentIndex()
        return str(index.data(IdRole)) if index.isValid() else None

    def move(self, step: int) -> None:  # type: ignore[override]
        """Make the hit ``step`` rows away current."""
        rows = self.model().rowCount()
        if not rows:
            return
        row = self.currentIndex().row() if self.currentIndex().isValid() else -1
        row = min(rows - 1, max(0, row + step))
        self.setCurrentIndex(self.model().index(row, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """j/k move, Enter opens, Ctrl+Enter opens beside."""
        key, modifiers = event.key(), event.modifiers()
        if key == Qt.Key.Key_J and not modifiers:
            self.move(1)
        elif key == Qt.Key.Key_K and not modifiers:
            self.move(-1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = self.current_id()
            if current:
                if modifiers & Qt.KeyboardModifier.ControlModifier:
                    self.open_beside_requested.emit(current)
                else:
                    self.open_requested.emit(current)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Rows re-wrap to the new width."""
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.current_changed.emit(str(current.data(IdRole)))

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        article_id = str(index.data(IdRole))
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.open_requested.emit(article_id))
        menu.addAction("Open in new pane\tCtrl+Enter", lambda: self.open_beside_requested.emit(article_id))
        menu.popup(self.viewport().mapToGlobal(pos))
