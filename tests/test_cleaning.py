"""Removing page debris from article text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.analysis.cleaning import REMEMBERED_LINE_CHARS, _debris_line, _remembered_is_debris, clean, is_debris


@pytest.mark.parametrize(
    "line",
    [
        "+ ↺ − 16 px",
        "back to top",
        ">>Vietnam - Azerbaïdjan: consultation politique",
        "Tél : (+84) 24 38 25 20 96",
        "E-mail : courrier@vnanet.vn",
        "Adresse : 79, rue Ly Thuong Kiêt",
        "Permis de publication : 25/GP-BTTTT",
        "Rédactrice en chef : Nguyễn Hồng Nga",
        "© 2024 Example News. All rights reserved.",
        "-- Moscow Newsroom , +7095 941 8520",
        "( ( Winnipeg bureau 204-947-3548 ) )",
    ],
)
def test_debris_lines(line: str) -> None:
    assert is_debris(line)


@pytest.mark.parametrize(
    "line",
    [
        "The visit continues.",
        "VNA/CVN",
        "News.Az",
        "Address by the President to the nation was broadcast live.",
        "Le 12 mars, à Hanoï.",
        "The Moscow bureau opened in 1990 with 12 staff.",
        ">> I said the ferry would not sail on Sunday.",  # quoted e-mail or Usenet, not a related link
        ">>> and the reply quoted under it",
    ],
)
def test_article_lines_are_kept(line: str) -> None:
    assert not is_debris(line)


def test_clean_collapses_blank_runs_left_by_removed_lines() -> None:
    assert clean("First.\n\n+ ↺ − 16 px\n\nSecond.\n\nback to top\n") == "First.\n\nSecond."


def test_a_message_quoting_another_keeps_its_quotes_stuck_to_their_marks() -> None:
    message = "In article <1@example.edu> Ann wrote:\n> Was it delayed?\n>>The launch was delayed by a day.\nIt was."
    assert clean(message) == message  # ">>The launch" is a quote here, not a related link
    assert clean("The ferry sails.\n>>Related: ferries in Baku\nEnd.") == "The ferry sails.\nEnd."


def test_a_long_line_is_judged_but_not_remembered() -> None:
    long_debris = "back to top" + " " * REMEMBERED_LINE_CHARS  # its spaces count as one
    before = _remembered_is_debris.cache_info().currsize
    assert is_debris(long_debris) and not is_debris("word " * REMEMBERED_LINE_CHARS)
    assert _remembered_is_debris.cache_info().currsize == before  # neither kept in memory
    assert is_debris("BACK TO TOP") and is_debris("BACK TO TOP")  # a short one is, with the same verdict
    assert _remembered_is_debris.cache_info().currsize == before + 1


DEBRIS_WORDS = ["back", "to", "top", "+", "↺", "−", "16", "px", "Tél", ":", "(+84)", "©", "2024", "News.", "word"]
SPACES = [" ", "  ", "\t", "\u00a0", "\u3000", "\x1c", "\r", ""]


@given(
    st.lists(st.sampled_from(DEBRIS_WORDS) | st.sampled_from(SPACES), max_size=12).map("".join) | st.text(),
    st.booleans(),
)
def test_a_line_is_debris_as_its_words_single_spaced_are(line: str, long: bool) -> None:
    if long:  # past the remembered lines, straight to the check
        line += " " + "x" * REMEMBERED_LINE_CHARS
    words = " ".join(line.split())
    assert is_debris(line) == (bool(words) and _debris_line().fullmatch(words) is not None)
