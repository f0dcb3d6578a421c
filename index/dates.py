"""Read dates: structured metadata values, and datelines or date mentions in article text."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .paths import resource_path

_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_YEAR = r"(1[89]\d{2}|20\d{2})"
# A range such as "(1959-2019)", typical of anniversary articles, which end at the year of writing.
_YEAR_RANGE = re.compile(rf"\b{_YEAR}\s*[-–]\s*{_YEAR}\b")
_ANNIVERSARY = re.compile(r"anniversa|jubil|годовщин|jahrestag|aniversario", re.IGNORECASE)


@dataclass(frozen=True)
class MonthNames:
    """A regex alternation of month names and a map from each name to its month number."""

    alternation: str
    number: dict[str, int]


@lru_cache(maxsize=1)
def _months() -> MonthNames:
    table = json.loads(resource_path("months.json").read_text("utf-8"))
    number: dict[str, int] = {}
    for language, months in table.items():
        if language.startswith("_"):
            continue
        for month_index, names in enumerate(months, 1):
            for name in names:
                number[name] = month_index
    alternation = "|".join(sorted((re.escape(n) for n in number), key=len, reverse=True))
    return MonthNames(alternation, number)


@lru_cache(maxsize=1)
def _text_date_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    months = _months().alternation
    # "12 mars 2019", "le 12 mars", "7 May"; "1er mars".
    day_month = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({months})\.?(?:,?\s+{_YEAR})?\b", re.IGNORECASE)
    # "May 7, 2025", "March 24", "May 8."
    month_day = re.compile(rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?", re.IGNORECASE)
    return day_month, month_day


def parse_date_value(value: str) -> dt.date | None:
    """Read a date from a metadata value (ISO, RFC 2822, "7 May 2025", "05/07/2025", ...).

    Args:
        value: the value as found in a header, JSON, CSV or HTML metadata.

    Returns:
        The date, or None when the value is not a date.
    """
    value = value.strip()
    match = _ISO.match(value)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            return None
    import dateparser  # Slow to import, and rarely needed: most archives use ISO dates.

    parsed = dateparser.parse(value, settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


@dataclass(frozen=True)
class TextDate:
    """A date mentioned in a text: day and month always, the year when stated."""

    day: int
    month: int
    year: int | None
    start: int


def find_text_dates(text: str) -> list[TextDate]:
    """Every day-and-month mention in ``text``, in order.

    Args:
        text: article text.

    Returns:
        The mentions that form a valid calendar day (given their year, or some year).
    """
    number = _months().number
    found: list[TextDate] = []
    day_month, month_day = _text_date_patterns()
    for match in day_month.finditer(text):
        found.append(_text_date(int(match.group(1)), number[match.group(2).lower()], match.group(3), match.start()))
    for match in month_day.finditer(text):
        if not match.group(1)[0].isupper():  # "may 10 people" is no date; English capitalises months.
            continue
        found.append(_text_date(int(match.group(2)), number[match.group(1).lower()], match.group(3), match.start()))
    valid = [d for d in found if d.day and _is_valid(d)]
    return sorted(valid, key=lambda d: d.start)


def _text_date(day: int, month: int, year: str | None, start: int) -> TextDate:
    return TextDate(day, month, int(year) if year else None, start)


def _is_valid(mention: TextDate) -> bool:
    try:
        dt.date(mention.year or 2000, mention.month, mention.day)  # 2000 is a leap year.
    except ValueError:
        return False
    return True


def year_from_evidence(text: str) -> int | None:
    """The year an undated text was written in, when the text itself says so.

    Anniversary articles give spans such as "(1959-2019)" that end at the year of writing;
    when every such span ends in the same year, that is the year. Otherwise None.

    Args:
        text: article text.

    Returns:
        The year, or None when the evidence is missing or contradictory.
    """
    if not _ANNIVERSARY.search(text):
        return None
    ends = {int(match.group(2)) for match in _YEAR_RANGE.finditer(text)}
    return ends.pop() if len(ends) == 1 else None


def date_from_text(text: str, lead_chars: int = 600) -> dt.date | None:
    """The article's date as its text gives it, or None when the text does not settle it.

    The first day-and-month mention in the lead (dateline or "le 12 mars") is taken; its year
    is the one stated beside it, else the year the text's own evidence gives.

    Args:
        text: the cleaned article text.
        lead_chars: how far into the text a dateline may be.

    Returns:
        The date, or None.
    """
    mentions = find_text_dates(text[:lead_chars])
    if not mentions:
        return None
    first = mentions[0]
    year = first.year or year_from_evidence(text)
    if year is None:
        return None
    try:
        return dt.date(year, first.month, first.day)
    except ValueError:
        return None
