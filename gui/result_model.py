"""An item model of the hits of the current search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from index import Hit, SearchResult

from .formatting import date_text, literal_rich_text, provenance_words

HitRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
CopyOfRole = Qt.ItemDataRole.UserRole + 3  # the id of the result a row is a near copy of, or None
ARTICLE_MIME = "application/x-archivist-article-id"  # a result dragged to a reading pane

_Index = QModelIndex | QPersistentModelIndex


class ResultModel(QAbstractListModel):
    """Rows are hits; ``HitRole`` gives the :class:`Hit`, ``IdRole`` its article id.

    The first page comes with the search; when the view scrolls to the end, ``more_wanted`` asks for
    the next (Qt's canFetchMore/fetchMore), and ``append`` adds it.
    """

    more_wanted = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: tuple[Hit, ...] = ()
        self.copy_of: dict[str, str] = {}  # rows listed under a result as its near copies: id -> its id
        self.total = 0
        self.fetching = False

    def set_result(self, result: SearchResult) -> None:
        """Show ``result``'s hits."""
        self.beginResetModel()
        self.hits = result.hits
        self.copy_of = {}
        self.total = result.total
        self.fetching = False
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt's signature
        """Whether more hits than shown match (and none are being fetched)."""
        return not parent.isValid() and not self.fetching and self.results_shown < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802 - Qt's signature
        """Ask for the next page of hits."""
        if self.canFetchMore(parent):
            self.fetching = True
            self.more_wanted.emit()

    def append(self, hits: tuple[Hit, ...]) -> None:
        """Add a further page of hits (any already shown, after an index change, is left out)."""
        self.fetching = False
        shown = {hit.id for hit in self.hits}
        new = tuple(hit for hit in hits if hit.id not in shown)
        if not new:
            self.total = self.results_shown  # the index changed under the search: nothing more to fetch
            return
        self.beginInsertRows(QModelIndex(), len(self.hits), len(self.hits) + len(new) - 1)
        self.hits += new
        self.endInsertRows()

    @property
    def results_shown(self) -> int:
        """The rows that are results of the search (not near copies listed under one)."""
        return len(self.hits) - len(self.copy_of)

    def is_expanded(self, article_id: str) -> bool:
        """Whether the result's near copies are listed under it."""
        return article_id in self.copy_of.values()

    def expand(self, article_id: str, copies: tuple[Hit, ...]) -> None:
        """List ``copies`` under the result ``article_id`` (if it is shown and they are not)."""
        row = self.row_of(article_id)
        shown = {hit.id for hit in self.hits}
        new = tuple(hit for hit in copies if hit.id not in shown)
        if row < 0 or self.is_expanded(article_id) or not new:
            return
        self.beginInsertRows(QModelIndex(), row + 1, row + len(new))
        self.hits = self.hits[: row + 1] + new + self.hits[row + 1 :]
        self.copy_of.update((hit.id, article_id) for hit in new)
        self.endInsertRows()

    def collapse(self, article_id: str) -> None:
        """Stop listing the near copies under result ``article_id`` (or under the one it is a copy of)."""
        parent = self.copy_of.get(article_id, article_id)
        row = self.row_of(parent)
        count = sum(1 for hit in self.hits[row + 1 :] if self.copy_of.get(hit.id) == parent) if row >= 0 else 0
        if not count:
            return
        self.beginRemoveRows(QModelIndex(), row + 1, row + count)
        self.hits = self.hits[: row + 1] + self.hits[row + 1 + count :]
        self.copy_of = {copy: of for copy, of in self.copy_of.items() if of != parent}
        self.endRemoveRows()

    def row_of(self, article_id: str) -> int:
        """The row showing ``article_id``, or -1."""
        return next((row for row, hit in enumerate(self.hits) if hit.id == article_id), -1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Results can be dragged to a reading pane."""
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else super().flags(index)

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        """A dragged result carries its article id."""
        return [ARTICLE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 - Qt's name
        """The id of the first dragged result."""
        data = QMimeData()
        valid = [index for index in indexes if index.isValid() and 0 <= index.row() < len(self.hits)]
        if valid:
            data.setData(ARTICLE_MIME, QByteArray(self.hits[valid[0].row()].id.encode("utf-8")))
        return data

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
        if role == CopyOfRole:
            return self.copy_of.get(hit.id)
        return None
