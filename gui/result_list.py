"""The result list: a keyboard-friendly view of the ResultModel (j/k, arrows, Enter, Ctrl+Enter).

A click or a move with the keys previews the result; Enter or a double-click opens it to keep.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView, QMenu, QWidget

from .result_delegate import ResultDelegate
from .result_model import HitRole, IdRole, ResultModel

PREVIEW_DELAY_MS = 120
_MOVES = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}


class ResultList(QListView):
    """Emits ``open_requested(id)`` on Enter/double-click, ``open_beside_requested(id)`` on Ctrl+Enter,
    and ``preview_requested(id)`` when the user makes a result current (a click, an arrow key)."""

    open_requested = Signal(str)
    open_beside_requested = Signal(str)
    preview_requested = Signal(str)
    current_changed = Signal(str)
    correct_selected_requested = Signal()
    copies_wanted = Signal(str)  # a result whose near copies should be listed under it

    def __init__(self, model: ResultModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultList")
        self.setModel(model)
        self.results = model
        self.setItemDelegate(ResultDelegate(self))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Ctrl+click and Shift+click select several results, to correct them together.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)  # a result dragged to a reading pane opens there and is compared
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self.doubleClicked.connect(lambda index: self.open_requested.emit(str(index.data(IdRole))))
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        # Only the user's moves preview (not a current row restored after a new search), and only the
        # row the keys stop on: holding an arrow key down reads one article, not every one passed.
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._preview_current)
        self.clicked.connect(self._on_clicked)

    def current_id(self) -> str | None:
        """The id of the current hit, if any."""
        index = self.currentIndex()
        return str(index.data(IdRole)) if index.isValid() else None

    def selected_ids(self) -> list[str]:
        """The ids of the selected hits, in list order."""
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        return [str(self.model().index(row, 0).data(IdRole)) for row in rows]

    def move(self, step: int) -> None:  # type: ignore[override]
        """Make the hit ``step`` rows away current."""
        rows = self.model().rowCount()
        if not rows:
            return
        row = self.currentIndex().row() if self.currentIndex().isValid() else -1
        row = min(rows - 1, max(0, row + step))
        self.setCurrentIndex(self.model().index(row, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """j/k move, Enter opens, Ctrl+Enter opens beside, Right (+) lists a result's near copies under
        it and Left (-) folds them again."""
        key, modifiers = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Plus) and self.current_id():
            self.show_copies(str(self.current_id()))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Minus) and self.current_id():
            self.results.collapse(str(self.current_id()))
        elif key == Qt.Key.Key_J and not modifiers:
            self.move(1)
            self._preview_timer.start()
        elif key == Qt.Key.Key_K and not modifiers:
            self.move(-1)
            self._preview_timer.start()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._preview_timer.stop()
            current = self.current_id()
            if current:
                if modifiers & Qt.KeyboardModifier.ControlModifier:
                    self.open_beside_requested.emit(current)
                else:
                    self.open_requested.emit(current)
        else:
            super().keyPressEvent(event)
            if key in _MOVES:
                self._preview_timer.start()

    def show_copies(self, article_id: str) -> None:
        """Ask for a result's near copies to be listed under it."""
        row = self.results.row_of(article_id)
        hit = self.results.hits[row] if row >= 0 else None
        if hit is not None and hit.copies and not self.results.is_expanded(article_id):
            self.copies_wanted.emit(article_id)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Rows re-wrap to the new width."""
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()

    def _on_clicked(self, _index: QModelIndex) -> None:
        selecting = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if not QApplication.keyboardModifiers() & selecting:  # Ctrl/Shift+click builds a selection
            self._preview_timer.start()

    def select_ids(self, ids: list[str]) -> None:
        """Select the rows of these ids that the list holds (after it was reloaded)."""
        selection = QItemSelection()
        for article_id in ids:
            row = self.results.row_of(article_id)
            if row >= 0:
                selection.select(self.results.index(row, 0), self.results.index(row, 0))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def _preview_current(self) -> None:
        current = self.current_id()
        if current:
            self.preview_requested.emit(current)

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
        hit = index.data(HitRole)
        if hit.copies and self.results.is_expanded(article_id):
            menu.addAction("Fold its near copies\tLeft", lambda: self.results.collapse(article_id))
        elif hit.copies:
            copies = len(hit.copies)
            menu.addAction(f"List its {copies} near cop{'y' if copies == 1 else 'ies'}\tRight",
                           lambda: self.show_copies(article_id))
        count = len(self.selectionModel().selectedIndexes())
        if count > 1:
            menu.addAction(f"Correct the {count} selected…", self.correct_selected_requested.emit)
        menu.popup(self.viewport().mapToGlobal(pos))
