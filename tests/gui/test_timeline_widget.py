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
        TimelineBucket(
            dt.date(2020 + m // 12, m % 12 + 1, 1),
            dt.date(2020 + m // 12, m % 12 + 1, 28),
            f"{2020 + m // 12}-{m % 12 + 1:02d}",
            m % 5,
        )
        for m in range(36)
    )
    return Timeline("month", buckets, undated=4)


def _widget(qtbot: QtBot, timeline: Timeline | None = None, width: int = 800) -> TimelineWidget:
    model = TimelineModel()
    widget = TimelineWidget(model)
    qtbot.addWidget(widget)
    widget.resize(width, 160)
    widget.show()
    model.set_timeline(timeline or _timeline())
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


def test_one_or_two_buckets_are_bars_not_a_wall_and_the_date_label_stays_inside(qtbot: QtBot) -> None:
    from gui.timeline_widget import MAX_BAR_WIDTH

    two_years = Timeline(
        "year",
        (
            TimelineBucket(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024", 3),
            TimelineBucket(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025", 1),
        ),
        undated=0,
    )
    widget = _widget(qtbot, two_years, width=1000)
    first, second = widget.bar_rect(0), widget.bar_rect(1)
    assert first.width() <= MAX_BAR_WIDTH and second.width() <= MAX_BAR_WIDTH
    assert first.height() > second.height() > 0  # still as tall as their counts
    slot_centre = widget.bucket_x(0)
    assert abs(first.center().x() - slot_centre) < 2  # centred in its slot, under its label
    right_edge = widget.bar_rect(1).right() + 200
    label = widget.mark_label_rect(right_edge)
    assert label.right() <= min(right_edge, widget.width()) and label.left() >= 0
    widget.grab()  # paints with the new geometry without error
