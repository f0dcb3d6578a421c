"""A painted histogram of the timeline: hover for counts, click a bucket or drag to brush a date range."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from index import TimelineBucket

from .timeline_model import TimelineModel

_BAR = QColor("#4a7bd0")
_BAR_SELECTED = QColor("#e8871e")
_UNDATED = QColor("#9aa5b1")
_MARK = QColor("#d62728")
_UNDATED_INDEX = -2
MAX_BAR_WIDTH = 48.0


def label_step(unit: str, count: int, bar_width: float, label_width: float) -> tuple[int, str]:
    """How many buckets apart axis labels go, and their form ("bucket", "year" or "month").

    Months and days too narrow for their own label are labelled by year (or month) at boundaries.
    """
    if count == 0 or bar_width <= 0:
        return 1, "bucket"
    step = max(1, math.ceil((label_width + 8) / bar_width))
    if step == 1:
        return 1, "bucket"
    if unit == "month":
        return max(1, math.ceil(step / 12)), "year" if step > 3 else "bucket"
    if unit == "day" and step > 7:
        return max(1, math.ceil(step / 30)), "month"
    return step, "bucket"


class TimelineWidget(QWidget):
    """Draws ``TimelineModel`` buckets and a separate "no date" bar.

    Emits ``range_selected(date_from, date_to)`` after a click or a drag, ``undated_selected`` when the
    "no date" bar is clicked.
    """

    range_selected = Signal(object, object)
    undated_selected = Signal()

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.model = model
        self.model.modelReset.connect(self._on_model_reset)
        self.view: tuple[int, int] | None = None  # first, last bucket shown (None: all)
        self.selection: tuple[int, int] | None = None
        self.marked_date: dt.date | None = None
        self.undated_chosen = False  # the date filter keeps only articles without a date
        self._shape: tuple[str, dt.date, int] | None = None  # unit, first bucket, count: what view refers to
        self._press: int | None = None
        self._drag: int | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(110)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """A wide, short strip."""
        return QSize(600, 140)

    # -- geometry -------------------------------------------------------------------------------------
    def _visible(self) -> range:
        count = len(self.model.buckets)
        if self.view is None:
            return range(count)
        first, last = self.view
        return range(max(0, first), min(count, last + 1))

    def _max_count(self) -> int:
        visible = [self.model.buckets[i].count for i in self._visible()]
        return max([1, self.model.undated, *visible])

    def _plot(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance(str(self._max_count())) + 10
        right = 64
        return QRectF(left, 8, max(10, self.width() - left - right - 8), max(10, self.height() - metrics.height() - 18))

    def _undated_rect(self) -> QRectF:
        plot = self._plot()
        return QRectF(plot.right() + 16, plot.top(), 40, plot.height())

    def bucket_x(self, index: int) -> float:
        """The x of the middle of bucket ``index`` (for tests and tooltips)."""
        visible = self._visible()
        plot = self._plot()
        width = plot.width() / max(1, len(visible))
        return plot.left() + (index - visible.start + 0.5) * width

    def index_at(self, pos: QPoint) -> int | None:
        """The bucket under ``pos`` (``-2`` for the "no date" bar), or None."""
        if self._undated_rect().adjusted(-4, 0, 4, 0).contains(pos):
            return _UNDATED_INDEX
        visible = self._visible()
        plot = self._plot()
        if not len(visible) or pos.x() < plot.left() - 2 or pos.x() > plot.right() + 2:
            return None
        width = plot.width() / len(visible)
        offset = int((pos.x() - plot.left()) / width)
        return visible.start + min(len(visible) - 1, max(0, offset))

    # -- state ----------------------------------------------------------------------------------------
    def set_marked_date(self, date: dt.date | None) -> None:
        """Mark ``date`` (the selected article's) on the axis."""
        self.marked_date = date
        self.update()

    def zoom_to_selection(self) -> None:
        """Show only the selected buckets."""
        if self.selection is not None:
            self.view = self.selection
            self.update()

    def reset_zoom(self) -> None:
        """Show every bucket again and forget the selection."""
        self.view = None
        self.selection = None
        self.update()

    def select_range(self, first: int, last: int) -> None:
        """Select buckets ``first..last`` and emit their date range."""
        buckets = self.model.buckets
        if not buckets:
            return
        first, last = sorted((max(0, first), min(len(buckets) - 1, last)))
        self.selection = (first, last)
        self.update()
        self.range_selected.emit(buckets[first].start, buckets[last].end)

    def show_period(self, date_from: dt.date | None, date_to: dt.date | None, undated: bool | None) -> None:
        """Mark the period the date filter keeps (the buckets it overlaps), or the "no date" bar."""
        self.undated_chosen = undated is True
        chosen = [
            i for i, bucket in enumerate(self.model.buckets)
            if (date_from or date_to) and (date_to is None or bucket.start <= date_to)
            and (date_from is None or bucket.end >= date_from)
        ]
        self.selection = (chosen[0], chosen[-1]) if chosen else None
        self.update()

    def _on_model_reset(self) -> None:
        buckets = self.model.buckets
        shape = (self.model.unit, buckets[0].start, len(buckets)) if buckets else None
        if shape != self._shape:  # other buckets: a zoom or selection of the old ones means nothing now
            self.view = None
            self._shape = shape
        self.selection = None
        self.update()

    # -- events ---------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Start a brush (or pick the "no date" bar)."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.index_at(event.position().toPoint())
        if index == _UNDATED_INDEX:
            self.selection = None
            self.update()
            self.undated_selected.emit()
            return
        self._press = self._drag = index
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Extend the brush, or show the bucket under the pointer."""
        pos = event.position().toPoint()
        index = self.index_at(pos)
        if self._press is not None:
            if index is not None and index != _UNDATED_INDEX:
                self._drag = index
                self.update()
            return
        if index == _UNDATED_INDEX:
            QToolTip.showText(event.globalPosition().toPoint(), f"no date: {self.model.undated}", self)
        elif index is not None:
            bucket = self.model.buckets[index]
            QToolTip.showText(event.globalPosition().toPoint(), _bucket_tip(bucket), self)
        else:
            QToolTip.hideText()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """Finish the brush: its range becomes the selection."""
        if self._press is None:
            return
        index = self.index_at(event.position().toPoint())
        end = index if index is not None and index != _UNDATED_INDEX else self._drag
        start = self._press
        self._press = self._drag = None
        if start is not None and end is not None:
            self.select_range(start, end)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """Draw axes, bars, labels, the brush and the marked date."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        text_color = palette.windowText().color()
        grid = QColor(text_color)
        grid.setAlpha(50)
        metrics = self.fontMetrics()
        plot = self._plot()
        top = self._max_count()
        painter.setPen(QPen(grid))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(text_color)
        painter.drawText(QRectF(0, plot.top() - 6, plot.left() - 4, metrics.height()),
                         Qt.AlignmentFlag.AlignRight, str(top))
        painter.drawText(QRectF(0, plot.bottom() - metrics.height() + 2, plot.left() - 4, metrics.height()),
                         Qt.AlignmentFlag.AlignRight, "0")
        visible = self._visible()
        buckets = self.model.buckets
        if not len(visible):
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No dated results")
        width = plot.width() / max(1, len(visible))
        brush = self._brush()
        for i in visible:
            bucket = buckets[i]
            x = plot.left() + (i - visible.start) * width
            selected = brush is not None and brush[0] <= i <= brush[1]
            if selected:
                shade = QColor(_BAR_SELECTED)
                shade.setAlpha(40)
                painter.fillRect(QRectF(x, plot.top(), width, plot.height()), shade)
            if bucket.count:
                painter.fillRect(self._bar_rect(i, plot, visible, top), _BAR_SELECTED if selected else _BAR)
        self._draw_labels(painter, plot, visible, width)
        self._draw_mark(painter, plot, visible, width)
        undated = self._undated_rect()
        height = undated.height() * self.model.undated / top
        if self.undated_chosen:
            shade = QColor(_BAR_SELECTED)
            shade.setAlpha(40)
            painter.fillRect(undated, shade)
        painter.fillRect(QRectF(undated.left() + 8, undated.bottom() - height, undated.width() - 16, height),
                         _BAR_SELECTED if self.undated_chosen else _UNDATED)
        painter.setPen(QPen(grid))
        painter.drawLine(undated.bottomLeft(), undated.bottomRight())
        painter.setPen(text_color)
        painter.drawText(QRectF(undated.left() - 12, plot.bottom() + 4, undated.width() + 24, metrics.height()),
                         Qt.AlignmentFlag.AlignHCenter, "no date")
        painter.end()

    def _brush(self) -> tuple[int, int] | None:
        if self._press is not None and self._drag is not None:
            first, last = sorted((self._press, self._drag))
            return first, last
        return self.selection

    def _draw_labels(self, painter: QPainter, plot: QRectF, visible: range, width: float) -> None:
        buckets = self.model.buckets
        if not len(visible):
            return
        metrics = self.fontMetrics()
        sample = max((metrics.horizontalAdvance(buckets[i].label) for i in visible), default=40)
        step, form = label_step(self.model.unit, len(visible), width, sample)
        y = plot.bottom() + 4
        last_right = -1e9
        for i in visible:
            bucket = buckets[i]
            if form == "year":
                if bucket.start.month != 1 and i != visible.start or bucket.start.year % step:
                    continue
                text = str(bucket.start.year)
            elif form == "month":
                if bucket.start.day != 1 or bucket.start.month % step:
                    continue
                text = bucket.start.strftime("%Y-%m")
            else:
                if (i - visible.start) % step:
                    continue
                text = bucket.label
            x = plot.left() + (i - visible.start) * width
            text_width = metrics.horizontalAdvance(text)
            if x < last_right + 6 or x + text_width > plot.right() + 6:
                continue
            painter.drawLine(int(x), int(plot.bottom()), int(x), int(plot.bottom() + 3))
            painter.drawText(QRectF(x + 2, y, text_width + 4, metrics.height()), Qt.AlignmentFlag.AlignLeft, text)
            last_right = x + text_width + 2

    def _draw_mark(self, painter: QPainter, plot: QRectF, visible: range, width: float) -> None:
        if self.marked_date is None:
            return
        buckets = self.model.buckets
        for i in visible:
            bucket = buckets[i]
            if bucket.start <= self.marked_date <= bucket.end:
                span = max(1, (bucket.end - bucket.start).days + 1)
                fraction = ((self.marked_date - bucket.start).days + 0.5) / span
                x = plot.left() + (i - visible.start + fraction) * width
                painter.setPen(QPen(_MARK, 2))
                painter.drawLine(int(x), int(plot.top()), int(x), int(plot.bottom()))
                painter.drawText(self.mark_label_rect(x), Qt.AlignmentFlag.AlignLeft, self.marked_date.isoformat())
                return

    def mark_label_rect(self, x: float) -> QRectF:
        """Where the marked date's label goes: right of the mark, or left of it near the right edge,
        never past the plot."""
        plot = self._plot()
        width = self.fontMetrics().horizontalAdvance("0000-00-00") + 4
        left = x + 3 if x + 3 + width <= plot.right() else x - 3 - width
        return QRectF(max(plot.left(), left), plot.top(), width, self.fontMetrics().height())

    def bar_rect(self, i: int) -> QRectF:
        """Bucket ``i``'s bar (it must be visible): as tall as its count, at most MAX_BAR_WIDTH wide and
        centred in its slot, so that one or two buckets are bars, not a wall across the panel."""
        return self._bar_rect(i, self._plot(), self._visible(), self._max_count())

    def _bar_rect(self, i: int, plot: QRectF, visible: range, top: int) -> QRectF:
        slot = plot.width() / max(1, len(visible))
        gap = 1 if slot > 3 else 0
        bar = max(1.0, min(slot - 2 * gap, MAX_BAR_WIDTH))
        height = max(2.0, plot.height() * self.model.buckets[i].count / top)
        x = plot.left() + (i - visible.start) * slot + (slot - bar) / 2
        return QRectF(x, plot.bottom() - height, bar, height)


def _bucket_tip(bucket: TimelineBucket) -> str:
    span = bucket.label if bucket.start == bucket.end else f"{bucket.label} ({bucket.start} – {bucket.end})"
    return f"{span}: {bucket.count} result{'s' if bucket.count != 1 else ''}"
