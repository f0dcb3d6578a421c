"""The query language: what parses, and errors that say where."""

from __future__ import annotations

import pytest

from index.errors import QuerySyntaxError
from index.query import parse_query
from index.schema import build_schema

SCHEMA = build_schema()


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("Hanoi AND (Baku", "'(' is not closed", 10),
        ("Hanoi)", "')' has no opening bracket", 5),
        ('"Ilham Aliyev', "quotation mark is not closed", 0),
        ("Hanoi OR", "'OR' needs a term on both sides", 6),
        ("colour:red", "unknown field 'colour'", 0),
        ("date:2019-13", "not a date", 0),
    ],
)
def test_errors_have_a_message_and_a_position(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query, SCHEMA, ["en"])
    assert message in caught.value.message
    assert caught.value.position == position


def test_words_expand_to_their_stems_in_every_language_of_the_index() -> None:
    terms = {t for _, t in parse_query("relations", SCHEMA, ["en", "fr"]).iter_all_terms()}
    assert terms == {"relations", "relat"}


def test_minus_excludes_but_a_date_with_a_dash_stays_a_date() -> None:
    assert "NOT" in str(parse_query("Hanoi -Baku", SCHEMA, ["en"]))
    month = parse_query("date:2025-05", SCHEMA, ["en"])
    assert (month.startdate.isoformat()[:10], month.enddate.isoformat()[:10]) == ("2025-05-01", "2025-05-31")


def test_field_aliases() -> None:
    assert str(parse_query("lang:fr", SCHEMA, [])) == "language:fr"
    assert str(parse_query("outlet:Trend", SCHEMA, [])) == "source:trend"
