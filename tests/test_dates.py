"""Reading dates from metadata values and from article text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.analysis.dates import date_from_text, find_text_dates, parse_date_value, year_from_evidence


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-05-07", dt.date(2025, 5, 7)),
        ("2025-05-07T10:00:00+02:00", dt.date(2025, 5, 7)),
        ("Tue, 07 May 2025 10:00:00 GMT", dt.date(2025, 5, 7)),
        ("14 March 2024", dt.date(2024, 3, 14)),
        ("12 mars 2019", dt.date(2019, 3, 12)),
        ("not a date", None),
        ("2025-13-40", None),
    ],
)
def test_parse_date_value(value: str, expected: dt.date | None) -> None:
    assert parse_date_value(value) == expected


def test_text_dates_in_english_and_french() -> None:
    found = find_text_dates("On May 7, 2025 they met; le 12 mars 2019 aussi; March 24 too; 1er avril.")
    assert [(d.day, d.month, d.year) for d in found] == [(7, 5, 2025), (12, 3, 2019), (24, 3, None), (1, 4, None)]


def test_may_as_a_verb_is_not_a_date() -> None:
    assert find_text_dates("the talks may 10 times fail") == []


def test_year_from_anniversary_spans() -> None:
    text = "à l’occasion du 100e anniversaire (1919-2019) et du 60e anniversaire (1959-2019)"
    assert year_from_evidence(text) == 2019
    assert year_from_evidence("anniversaire (1919-2019) et (1959-2020)") is None
    assert year_from_evidence("la période (1959-2019) sans fête") is None


def test_date_from_text_needs_a_year() -> None:
    assert date_from_text("AZERBAIJAN, May 7 - On May 7, the leaders met.") is None
    assert date_from_text("tenue le 12 mars. 60e anniversaire (1959-2019).") == dt.date(2019, 3, 12)


def test_a_value_written_with_a_month_name_is_read_without_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.analysis.dates as dates

    def no_dateparser(value: str) -> None:
        raise AssertionError(f"dateparser asked for {value!r}")

    monkeypatch.setattr(dates, "_parse_absolute_date", no_dateparser)
    # APA's metadata: 0.2 s a value through dateparser (7 s the first), which made a run of them crawl.
    assert dates.parse_date_value("14 yanvar 2022 10:51 (UTC +04:00)") == dt.date(2022, 1, 14)
    assert dates.parse_date_value("12 марта 2024 года") == dt.date(2024, 3, 12)
    assert dates.parse_date_value("3 Ekim 2023") == dt.date(2023, 10, 3)
    assert dates.parse_date_value("7 May 2025") == dt.date(2025, 5, 7)
    assert dates.parse_date_value("31 February 2020") is None  # no such day; dateparser would not find one


def _month_names() -> list[tuple[str, int]]:
    import json

    from index.paths import resource_path

    table = json.loads(resource_path("months.json").read_text("utf-8"))
    return [(name, number) for language, months in table.items() if not language.startswith("_")
            for number, names in enumerate(months, 1) for name in names]


@given(st.integers(1, 31), st.sampled_from(_month_names()), st.integers(1800, 2099), st.text(max_size=40))  # _YEAR
def test_a_day_a_month_name_and_a_year_read_as_that_date_whatever_follows(
    day: int, month: tuple[str, int], year: int, rest: str
) -> None:
    from index.analysis.dates import _written_out_date

    name, number = month
    for written in (name, name.upper(), name.capitalize()):
        try:
            expected: dt.date | bool = dt.date(year, number, day)
        except ValueError:
            expected = False
        assert _written_out_date(f"{day} {written} {year} {rest}") == expected


@given(st.text(max_size=200))
def test_a_value_not_opening_with_a_written_out_date_is_left_to_the_general_parser(value: str) -> None:
    from index.analysis.dates import _written_out_date

    found = _written_out_date(value)
    assert found is None or found is False or (isinstance(found, dt.date) and 1600 <= found.year <= 2100)


def test_a_time_stamp_line_under_the_title_is_the_date() -> None:
    text = "Minister resigns over budget row\n2010-06-11T14:30:00+09:00\n\nThe minister resigned on 3 May 2009."
    assert date_from_text(text) == dt.date(2010, 6, 11)
    deep = "One.\n\nTwo.\n\nThree.\n2010-06-11\n"  # further down, a date the text lists, not its own
    assert date_from_text(deep) is None
