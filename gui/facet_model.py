"""An item model of one facet's values with their counts for the current query."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from index import Facet, FacetValue

from .formatting import literal_rich_text

ValueRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2
StateRole = Qt.ItemDataRole.UserRole + 3  # "include", "exclude" or ""

_Index = QModelIndex | QPersistentModelIndex
FOLDED_ROWS = 8  # values a facet shows until "more…" is clicked


class FacetModel(QAbstractListModel):
    """Rows are a facet's values, the top FOLDED_ROWS until ``expanded`` (and any value a filter uses);
    DisplayRole reads "value  (count)"."""

    def __init__(self, name: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.name = name
        self.expanded = False
        self.facet: Facet | None = None
        self._all: tuple[FacetValue, ...] = ()
        self._values: tuple[FacetValue, ...] = ()
        self._states: dict[str, str] = {}

    @property
    def hidden(self) -> int:
        """Values the facet has that are not shown (folded away, or beyond what the engine returned)."""
        distinct = self.facet.distinct if self.facet else 0
        return max(0, distinct - len(self._values))

    def set_facet(self, facet: Facet | None, states: dict[str, str] | None = None) -> None:
        """Show ``facet``'s values (none when None); ``states``, when given, marks the values that are
        active filters: value -> "include" or "exclude"."""
        self.facet = facet
        self._all = facet.values if facet else ()
        if states is not None:
            self._states = dict(states)
        self._show()

    def set_expanded(self, expanded: bool) -> None:
        """Show every value the engine returned (True) or the top ones (False)."""
        self.expanded = expanded
        self._show()

    def _show(self) -> None:
        if self.expanded:
            values = self._all
        else:
            # The most frequent values, in the facet's own order (years and months come in date order).
            ranked = sorted(range(len(self._all)), key=lambda i: -self._all[i].count)
            kept = set(ranked[:FOLDED_ROWS])
            values = tuple(v for i, v in enumerate(self._all) if i in kept or v.value in self._states)
        self.beginResetModel()
        self._values = values
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        """How many values."""
        return 0 if parent.isValid() else len(self._values)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A value's text, raw value, count or filter state."""
        if not index.isValid() or not 0 <= index.row() < len(self._values):
            return None
        item = self._values[index.row()]
        state = self._states.get(item.value, "")
        if role == Qt.ItemDataRole.DisplayRole:
            mark = {"include": "✓ ", "exclude": "✗ "}.get(state, "")
            return f"{mark}{item.value or '(none)'}\t{item.count}"
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole name, which the list may elide
            more = ", right-click to correct the name" if self.name in ("person", "org", "place") else ""
            results = f"{item.count} result{'s' if item.count != 1 else ''}"
            return literal_rich_text(f"{item.value or '(none)'}\n{results} — click to keep only these, "
                                     f"Ctrl+click to exclude{more}")
        if role == ValueRole:
            return item.value
        if role == CountRole:
            return item.count
        if role == StateRole:
            return state
        return None
