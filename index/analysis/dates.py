"""Read dates: structured metadata values, and datelines or date mentions in article text."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from index.paths import resource_path
from index.reading.readers import STAMP_LINE

# "2025-05-07", "2025-5-7", "2025-05" (read as the 1st); not "2025-05-071".
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?![\d-])")
# "20250507", as GDELT and many database exports write dates.
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Unix time as JSON exports write it: seconds (9-10 digits, 1973-2286) or milliseconds (12-13 digits).
_EPOCH = re.compile(r"(\d{9,10}|\d{12,13})(?:\.\d*)?")
# A time of day after the date, which dateparser may fail to read ("31-MAR-1987 605:12:19.12" in
# Reuters-21578): the date is retried without it.
_TIME_OF_DAY = re.compile(r"[ T]+\d+:\d+.*$", re.DOTALL)
STAMP_LINES_READ = 4  # a stamp further down is a date the article mentions, not its own
# Metadata years outside this range are placeholders ("0001-01-01", "9999-12-31") or typos, not news.
_PLAUSIBLE_YEARS = range(1600, 2101)
# A longer value is prose or junk, and dateparser's time grows with the length of what it is given.
_DATE_VALUE_MAX_CHARS = 200
# dateparser's parsers that read a date written out in full. Left out: "relative-time" ("yesterday",
# "in 3 days", "now": a date that depends on the day the archive is indexed), "timestamp" (any
# 10-digit number; plausible epochs are read above) and "no-spaces-time" (any run of digits).
_ABSOLUTE_PARSERS = ["custom-formats", "absolute-time"]
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

    Only absolute dates count: "yesterday" or "2 hours ago" would give a date that depends
    on the day the archive is indexed. Invalid or implausible dates ("2025-02-30",
    "9999-12-31") are None, never a nearby date; nothing a file holds makes this raise.

    Args:
        value: the value as found in a header, JSON, CSV or HTML metadata.

    Returns:
        The date, or None when the value is not a date.
    """
    value = value.strip()
    if not value or len(value) > _DATE_VALUE_MAX_CHARS:
        return None
    match = _ISO.match(value)
    if match:
        return _plausible_date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    match = _COMPACT_DATE.fullmatch(value)
    if match:
        return _plausible_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _EPOCH.fullmatch(value)
    if match:
        seconds = int(match.group(1)) / (1000 if len(match.group(1)) > 10 else 1)
        return _plausible(dt.datetime.fromtimestamp(seconds, dt.UTC).date())
    written = _written_out_date(value)
    if written is not None:  # False: a day, month and year that make no date ("31 February 2020")
        return written if isinstance(written, dt.date) else None
    parsed = _parse_absolute_date(value)
    if parsed is None and _TIME_OF_DAY.search(value):
        parsed = _parse_absolute_date(_TIME_OF_DAY.sub("", value))
    return _plausible(parsed)


def _written_out_date(value: str) -> dt.date | bool | None:
    """A value that opens with a day, a month name of months.json and a year ("14 yanvar 2022 10:51
    (UTC +04:00)", "7 May 2025"), read at once where dateparser tries language after language (0.2 s
    a value, 7 s the first): the date, False when those make no plausible date, None when the value
    is not written so."""
    day_month, _ = _text_date_patterns()
    match = day_month.match(value)
    if match is None or not match.group(3):
        return None
    return _plausible_date(int(match.group(3)), _month_number(match.group(2)), int(match.group(1))) or False


def _parse_absolute_date(value: str) -> dt.date | None:
    import dateparser  # Slow to import, and rarely needed: most archives use ISO dates.

    settings = {"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first", "PARSERS": _ABSOLUTE_PARSERS}
    try:
        parsed = dateparser.parse(value, settings=settings)
    except Exception:  # A heuristic over dozens of languages: whatever it trips on is no date.
        return None
    return parsed.date() if parsed else None


def _plausible_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return _plausible(dt.date(year, month, day))
    except ValueError:
        return None


def _plausible(date: dt.date | None) -> dt.date | None:
    return date if date is not None and date.year in _PLAUSIBLE_YEARS else None


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
    found: list[TextDate] = []
    day_month, month_day = _text_date_patterns()
    for match in day_month.finditer(text):
        found.append(_text_date(int(match.group(1)), _month_number(match.group(2)), match.group(3), match.start()))
    for match in month_day.finditer(text):
        if not match.group(1)[0].isupper():  # "may 10 people" is no date; English capitalises months.
            continue
        found.append(_text_date(int(match.group(2)), _month_number(match.group(1)), match.group(3), match.start()))
    valid = [d for d in found if d.day and _is_valid(d)]
    return sorted(valid, key=lambda d: d.start)


def _month_number(name: str) -> int:
    """The month a name matched by the case-insensitive patterns stands for."""
    number = _months().number
    found = number.get(name.lower())
    if found is None:
        # IGNORECASE also matches letters whose str.lower is not the pattern's: ``ſept`` (long s),
        # ``julı`` (dotless i), ``APRİL`` (whose lower case gains a combining dot).
        found = next(n for key, n in number.items() if re.fullmatch(re.escape(key), name, re.IGNORECASE))
    return found


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

    A time stamp line among the first lines is taken; else the first day-and-month mention in the
    lead (dateline or "le 12 mars"), its year the one stated beside it, else the year the text's own
    evidence gives.

    Args:
        text: the cleaned article text.
        lead_chars: how far into the text a dateline may be.

    Returns:
        The date, or None.
    """
    lead = text[:lead_chars]
    for line in lead.split("\n", STAMP_LINES_READ)[:STAMP_LINES_READ]:
        stamp = STAMP_LINE.match(line)
        stamped = parse_date_value(stamp.group(1)) if stamp else None
        if stamped is not None:
            return stamped
    mentions = find_text_dates(lead)
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
