"""Reading dates from metadata values and from article text."""

from __future__ import annotations

import datetime as dt

import pytest

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
