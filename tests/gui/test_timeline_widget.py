"""The timeline widget on its own: tooltips, click, the "no date" bar, zoom."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from gui.timeline_model import TimelineModel
from gui.timeline_widget import TimelineWidget
from index import Timeline, TimelineBucket


def _timeline() -> Timeline:
    buckets = tuple(
        TimelineBucket(dt.date(2020 + m // 12, m % 12 + 1, 1), dt.date(2020 + m // 12, m % 12 + 1, 28),
                       f"{2020 + m // 12}-{m % 12 + 1:02d}", m % 5)
        for m in range(36)
    )
    return Timeline("month", buckets, undated=4)


def _widget(qtbot: QtBot) -> TimelineWidget:
    model = TimelineModel()
    widget = TimelineWidget(model)
    qtbot.addWidget(widget)
    widget.resize(800, 160)
    widget.show()
    model.set_timeline(_timeline())
    return widget


def test_click_selects_one_bucket(qtbot: QtBot) -> None:
    widget = _widget(qtbot)
    with qtbot.waitSignal(widget.range_selected) as blocker:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(widget.bucket_x(13)), 80))
    assert blocker.args == [dt.date(2021, 2, 1), dt.date(2021, 2, 28)]


def test_no_date_bar_is_separate_and_clickable(qtbot: QtBot) -> None:
    widget = _widget(qtbot)
    undated = widget._undated_rect().center().toPoint()
    with qtbot.waitSignal(widget.undated_selected):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=undated)


def test_zoom_to_selection_and_reset(qtbot: QtBot) -> None:
    widget = _widget(qtbot)
    widget.select_range(12, 23)
    widget.zoom_to_selection()
    assert widget._visible() == range(12, 24)
    assert widget.index_at(QPoint(int(widget.bucket_x(12)), 80)) == 12
    widget.reset_zoom()
    assert widget._visible() == range(0, 36)
    assert widget.grab().width() == 800  # paints at any span without raising
