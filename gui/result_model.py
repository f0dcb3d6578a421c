"""An item model of the hits of the current search."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from index import Hit, SearchResult

from .formatting import date_text, literal_rich_text, provenance_words

HitRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class ResultModel(QAbstractListModel):
    """Rows are hits; ``HitRole`` gives the :class:`Hit`, ``IdRole`` its article id."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: tuple[Hit, ...] = ()
        self.total = 0

    def set_result(self, result: SearchResult) -> None:
        """Show ``result``'s hits."""
        self.beginResetModel()
        self.hits = result.hits
        self.total = result.total
        self.endResetModel()

    def row_of(self, article_id: str) -> int:
        """The row showing ``article_id``, or -1."""
        return next((row for row, hit in enumerate(self.hits) if hit.id == article_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        """How many hits are shown."""
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A hit's title, tooltip, the hit itself or its id."""
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return literal_rich_text("\n".join([
                hit.path,
                f"{date_text(hit.date, hit.date_provenance)} — {provenance_words('date', hit.date_provenance)}",
                f"{hit.source or 'no source'} — {provenance_words('source', hit.source_provenance)}",
            ]))
        if role == HitRole:
            return hit
        if role == IdRole:
            return hit.id
        return None
