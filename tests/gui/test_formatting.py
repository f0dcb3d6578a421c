"""Pure helpers: escaping with spans, dates with provenance, UTF-16 offsets, chips and filters."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gui.formatting import date_text, highlighted_html, provenance_words, to_qt_offset, utf16_offsets
from gui.index_progress import progress_text
from gui.search_session import chips_for, with_value, without_chip
from gui.timeline_widget import label_step
from index import Filters, Provenance, Span


def test_highlighted_html_escapes_every_character_and_wraps_spans() -> None:
    text = "<b>&amp;</b> Hanoï & co"
    html = highlighted_html(text, (Span(13, 18),))
    assert html == '&lt;b&gt;&amp;amp;&lt;/b&gt; <span class="hit">Hanoï</span> &amp; co'


def test_highlighted_html_clips_overlapping_and_out_of_range_spans() -> None:
    assert highlighted_html("abcdef", (Span(0, 3), Span(2, 4), Span(5, 99))) == (
        '<span class="hit">abc</span><span class="hit">d</span>e<span class="hit">f</span>')


def test_dates_say_when_they_are_inferred_or_unknown() -> None:
    assert date_text(dt.date(2019, 3, 12), Provenance.TEXT) == "~2019-03-12"
    assert date_text(dt.date(2019, 3, 12), Provenance.HEADER) == "2019-03-12"
    assert date_text(None, Provenance.UNKNOWN) == "no date"
    assert provenance_words("date", Provenance.TEXT) == "date inferred from text"
    assert provenance_words("source", "header") == "source from header"


def test_utf16_offsets_count_astral_characters_twice() -> None:
    assert utf16_offsets("plain é") is None
    offsets = utf16_offsets("a😀b")
    assert to_qt_offset(offsets, 2) == 3


def test_facet_values_become_chips_and_chips_remove_them() -> None:
    filters = with_value(Filters(), "source", "Trend")
    filters = with_value(filters, "language", "fr", exclude=True)
    filters = with_value(filters, "month", "2024-02")
    assert filters.date_from == dt.date(2024, 2, 1) and filters.date_to == dt.date(2024, 2, 29)
    assert [chip.key for chip in chips_for(filters)] == ["source:Trend", "-language:fr", "date"]
    assert without_chip(filters, "-language:fr").exclude_languages == ()
    assert with_value(filters, "language", "fr").exclude_languages == ()  # include replaces exclude


def test_progress_text_gives_rate_and_time_left() -> None:
    assert progress_text(50, 200, 5.0) == "50 / 200 files · 10 files/s · about 15 s left"
    assert progress_text(0, 10, 0.0) == "0 / 10 files"


def test_axis_labels_fall_back_to_years_when_months_are_narrow() -> None:
    assert label_step("month", 12, 60, 50) == (1, "bucket")
    assert label_step("month", 300, 3, 50)[1] == "year"
    assert label_step("day", 400, 2, 70)[1] == "month"


@given(st.text(max_size=400))
def test_a_list_title_is_the_title_or_its_beginning_marked_cut(title: str) -> None:
    from gui.formatting import LIST_TITLE_CHARS, list_title

    shown = list_title(title)
    if len(title) <= LIST_TITLE_CHARS:
        assert shown == title
    else:
        assert shown.endswith("…") and title.startswith(shown[:-1]) and len(shown) <= LIST_TITLE_CHARS
