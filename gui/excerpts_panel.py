"""The excerpts panel: a basket's excerpts with citations, notes and tags edited in place, reordered by dragging."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from index import DEFAULT_BASKET, Basket, CheckedExcerpt, Excerpt, ExcerptError, citation, to_markdown, to_text
from index.userdata.citations import date_words
from index.userdata.excerpts import check_basket_name

from .buttons import tool_button
from .clipboard import copy_text

ExcerptRole = Qt.ItemDataRole.UserRole + 1
_MIME = "application/x-archivist-excerpt"
ModelIndex = QModelIndex | QPersistentModelIndex
BasketChange = Callable[[Basket], object]
ALL_TAGS = "All tags"
QUOTE_SHOWN = 120  # characters of a quote in the list (with a short citation under it); the tooltip has all
ROW_LINES = 6


class ExcerptModel(QAbstractTableModel):
    """Rows of CheckedExcerpts: the quote and its citation, the note, the tags (the last two editable).

    Edits and drops do not change the basket themselves: they are asked for (``edit_requested``,
    ``move_requested``) and the basket as saved comes back through ``set_excerpts``.
    """

    COLUMNS = ("Excerpt", "Note", "Tags")
    edit_requested = Signal(str, object, object)  # excerpt id, new note or None, new tags or None
    move_requested = Signal(str, int)  # excerpt id, new position in the basket

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[CheckedExcerpt] = []

    def set_excerpts(self, items: list[CheckedExcerpt]) -> None:
        """Show these excerpts, in this order."""
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        excerpt, column = item.excerpt, index.column()
        if role == ExcerptRole:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                mark = "⚠ " if item.flag else ""
                short = f"{excerpt.source or 'Unknown outlet'}, {date_words(excerpt)}, “{_elided(excerpt.title, 50)}”"
                return f"{mark}“{_elided(excerpt.text, QUOTE_SHOWN)}”\n— {short}"
            return excerpt.note if column == 1 else ", ".join(excerpt.tags)
        if role == Qt.ItemDataRole.EditRole:
            return excerpt.note if column == 1 else ", ".join(excerpt.tags)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            flag = f"\n\n⚠ Flagged: {item.flag}" if item.flag else ""
            return f"“{excerpt.text}”\n\n{citation(excerpt)}{flag}\n\nDouble-click to read it in its article."
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() == 0:
            return False
        excerpt_id = self.items[index.row()].excerpt.id
        if index.column() == 1:
            self.edit_requested.emit(excerpt_id, str(value), None)
        else:
            self.edit_requested.emit(excerpt_id, None, [tag for tag in str(value).split(",")])
        return True

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() > 0 else flags

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        rows = sorted({index.row() for index in indexes})
        if rows:
            data.setData(_MIME, self.items[rows[0]].excerpt.id.encode("utf-8"))
        return data

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: ModelIndex
    ) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(_MIME):
            return False
        excerpt_id = bytes(data.data(_MIME).data()).decode("utf-8")
        source = next((i for i, item in enumerate(self.items) if item.excerpt.id == excerpt_id), None)
        if source is None:
            return False
        target = row if row >= 0 else parent.row() if parent.isValid() else len(self.items)
        position = target - 1 if source < target else target
        if position != source:
            self.move_requested.emit(excerpt_id, position)
        return False  # the view must not remove the dragged row: the basket as saved comes back


class TagFilter(QSortFilterProxyModel):
    """Shows only the excerpts with one tag (all of them when ``tag`` is None)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tag: str | None = None

    def set_tag(self, tag: str | None) -> None:
        """Filter by ``tag`` (None: no filter)."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later; invalidateRowsFilter before
            self.beginFilterChange()
            self.tag = tag
            self.endFilterChange()
        else:
            self.tag = tag
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        if self.tag is None:
            return True
        item = self.sourceModel().index(source_row, 0, source_parent).data(ExcerptRole)
        return item is not None and self.tag in item.excerpt.tags


class ExcerptsPanel(QWidget):
    """A basket chooser, a tag filter, the excerpts, and Copy / Remove / Undo / Export."""

    basket_selected = Signal(str)  # the user switched to (or created) this basket
    change_requested = Signal(str, object, str)  # basket name, BasketChange, what it does (for the status bar)
    open_requested = Signal(object)  # CheckedExcerpt: read it in its article
    export_requested = Signal()
    message = Signal(str)  # a short confirmation for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("excerptsPanel")
        self.basket_name = DEFAULT_BASKET
        self._removed: list[tuple[str, int, Excerpt]] = []  # (basket, position, Excerpt), most recent last
        self.model = ExcerptModel(self)
        self.model.edit_requested.connect(self._on_edit_requested)
        self.model.move_requested.connect(self._on_move_requested)
        self.proxy = TagFilter(self)
        self.proxy.setSourceModel(self.model)

        self.basket_box = QComboBox()
        self.basket_box.setObjectName("basketBox")
        self.basket_box.setToolTip("The basket shown; excerpts you add go into it")
        self.basket_box.addItem(DEFAULT_BASKET)
        self.basket_box.activated.connect(lambda i: self._select(self.basket_box.itemText(i)))
        new_button = tool_button("New…", "Start a new basket (one per project, for example)", self.new_basket)
        self.tag_box = QComboBox()
        self.tag_box.setToolTip("Show only the excerpts with this tag")
        self.tag_box.addItem(ALL_TAGS)
        self.tag_box.activated.connect(self._on_tag_chosen)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.basket_box, 2)
        top.addWidget(new_button)
        top.addWidget(self.tag_box, 1)

        self.view = QTableView()
        self.view.setObjectName("excerptsView")
        self.view.setModel(self.proxy)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragDropOverwriteMode(False)
        self.view.setDropIndicatorShown(True)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        # A fixed height (the quote's first lines and its citation; the tooltip has it all): sizing
        # every row to its text costs half a second at 1,000 excerpts, at every change.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * ROW_LINES + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 120)
        header.resizeSection(2, 80)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        self.count_label = QLabel("")
        self.copy_button = tool_button(
            "Copy", "Copy the selected excerpts as Markdown with citations (Ctrl+C)", self.copy_selected
        )
        self.remove_button = tool_button("Remove", "Remove the selected excerpts (Delete)", self.remove_selected)
        self.undo_button = tool_button("Undo", "Put back the excerpt removed last (Ctrl+Z)", self.undo_remove)
        export_button = tool_button("Export…", "Export the basket to a file", self.export_requested.emit)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.count_label, 1)
        for button in (self.copy_button, self.remove_button, self.undo_button, export_button):
            bottom.addWidget(button)

        for keys, slot in (
            (QKeySequence.StandardKey.Copy, self.copy_selected),
            (QKeySequence.StandardKey.Delete, self.remove_selected),
            (QKeySequence.StandardKey.Undo, self.undo_remove),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # -- what the basket holds ----------------------------------------------------------------------------
    def set_basket_names(self, names: list[str]) -> None:
        """Offer these baskets in the chooser, keeping the current one."""
        self.basket_box.clear()
        self.basket_box.addItems(names if self.basket_name in names else [*names, self.basket_name])
        self.basket_box.setCurrentText(self.basket_name)

    def set_excerpts(self, name: str, items: list[CheckedExcerpt]) -> None:
        """Show the excerpts of basket ``name`` as saved (other baskets' replies are ignored)."""
        if name != self.basket_name:
            return
        selected = set(self.selected_ids())
        self.model.set_excerpts(items)
        tags = sorted({tag for item in items for tag in item.excerpt.tags}, key=str.casefold)
        current = self.proxy.tag
        self.tag_box.clear()
        self.tag_box.addItems([ALL_TAGS, *tags])
        if current in tags:
            self.tag_box.setCurrentText(current)
        else:
            self.proxy.set_tag(None)
        self.view.setDragEnabled(self.proxy.tag is None)
        flagged = sum(1 for item in items if item.flag)
        self.count_label.setText(
            f"{len(items)} excerpt{'s' if len(items) != 1 else ''}" + (f", {flagged} flagged" if flagged else "")
        )
        self._select_ids(selected)
        self._update_buttons()

    def passages_of(self, archive: str, article_id: str) -> list[tuple[int, int]]:
        """Where the basket's excerpts of one article are in its body now."""
        return [
            item.found_at or (item.excerpt.start, item.excerpt.end)
            for item in self.model.items
            if item.excerpt.article_id == article_id
            and item.excerpt.archive == archive
            and (item.found_at or not item.flag)
        ]

    def selected_ids(self) -> list[str]:
        """The ids of the selected excerpts, in the basket's order."""
        rows = sorted(self.proxy.mapToSource(index).row() for index in self.view.selectionModel().selectedRows())
        return [self.model.items[row].excerpt.id for row in rows]

    def selected(self) -> list[CheckedExcerpt]:
        """The selected excerpts, in the basket's order."""
        chosen = set(self.selected_ids())
        return [item for item in self.model.items if item.excerpt.id in chosen]

    def _select_ids(self, ids: set[str]) -> None:
        selection = self.view.selectionModel()
        for row, item in enumerate(self.model.items):
            if item.excerpt.id in ids:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    # -- user actions -------------------------------------------------------------------------------------
    def _select(self, name: str) -> None:
        if name != self.basket_name:
            self.basket_name = name
            self._removed.clear()
            self.model.set_excerpts([])
            self.basket_selected.emit(name)
        self._update_buttons()

    def new_basket(self) -> None:
        """Ask for a name and switch to a new basket of that name."""
        name, accepted = QInputDialog.getText(self, "New basket", "Name of the new basket:")
        if not accepted:
            return
        try:
            name = check_basket_name(name)
        except ExcerptError as error:
            self.message.emit(str(error))
            return
        if self.basket_box.findText(name) < 0:
            self.basket_box.addItem(name)
        self.basket_box.setCurrentText(name)
        self.change_requested.emit(name, lambda basket: basket.create(), f"New basket “{name}”")
        self._select(name)

    def _on_tag_chosen(self, index: int) -> None:
        self.proxy.set_tag(None if index <= 0 else self.tag_box.itemText(index))
        self.view.setDragEnabled(self.proxy.tag is None)  # a filtered order cannot say where a drop goes

    def _on_edit_requested(self, excerpt_id: str, note: str | None, tags: list[str] | None) -> None:
        self.change_requested.emit(
            self.basket_name,
            lambda basket: basket.edit(excerpt_id, note, tags),
            "Note saved" if note is not None else "Tags saved",
        )

    def _on_move_requested(self, excerpt_id: str, position: int) -> None:
        self.change_requested.emit(self.basket_name, lambda basket: basket.move(excerpt_id, position), "")

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == 0:
            self.open_requested.emit(index.data(ExcerptRole))

    def copy_selected(self) -> None:
        """Copy the selected excerpts: Markdown with citations, and plain text for programs without Markdown."""
        chosen = self.selected()
        if not chosen:
            return
        copy_text(to_text(chosen), to_markdown(chosen))
        self.message.emit(f"Copied {len(chosen)} excerpt{'s' if len(chosen) != 1 else ''} with citations")

    def remove_selected(self) -> None:
        """Remove the selected excerpts; Undo puts them back where they were.

        What Undo needs is taken here, from the basket as shown, so it never depends on when the
        removal itself runs.
        """
        basket_name = self.basket_name
        positions = {item.excerpt.id: row for row, item in enumerate(self.model.items)}
        for excerpt in reversed([item.excerpt for item in self.selected()]):
            self._removed.append((basket_name, positions[excerpt.id], excerpt))
            self.change_requested.emit(
                basket_name, partial(_take_out, excerpt.id), "Removed — Undo (Ctrl+Z) puts it back"
            )
        self._update_buttons()

    def undo_remove(self) -> None:
        """Put back the excerpt removed last."""
        for index in range(len(self._removed) - 1, -1, -1):
            basket_name, position, excerpt = self._removed[index]
            if basket_name == self.basket_name:
                del self._removed[index]
                self.change_requested.emit(basket_name, partial(_put_back, excerpt, position), "Put back")
                return

    def _update_buttons(self) -> None:
        has_selection = bool(self.view.selectionModel().selectedRows())
        self.copy_button.setEnabled(has_selection)
        self.remove_button.setEnabled(has_selection)
        self.undo_button.setEnabled(any(name == self.basket_name for name, _, _ in self._removed))


def _put_back(excerpt: Excerpt, position: int, basket: Basket) -> None:
    basket.add(excerpt, position)


def _take_out(excerpt_id: str, basket: Basket) -> None:
    basket.remove(excerpt_id)


def _elided(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
