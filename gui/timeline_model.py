"""An item model of the timeline buckets of the current search, plus the undated count."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from index import Timeline, TimelineBucket

BucketRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """Rows are buckets (oldest first); ``undated`` counts hits without a date; ``unit`` is day/month/year."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.buckets: tuple[TimelineBucket, ...] = ()
        self.undated = 0
        self.unit = "month"

    def set_timeline(self, timeline: Timeline) -> None:
        """Show ``timeline``."""
        self.beginResetModel()
        self.buckets = timeline.buckets
        self.undated = timeline.undated
        self.unit = timeline.unit
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        """How many buckets."""
        return 0 if parent.isValid() else len(self.buckets)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A bucket's label, the bucket itself or its count."""
        if not index.isValid() or not 0 <= index.row() < len(self.buckets):
            return None
        bucket = self.buckets[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return bucket.label
        if role == BucketRole:
            return bucket
        if role == CountRole:
            return bucket.count
        return None
