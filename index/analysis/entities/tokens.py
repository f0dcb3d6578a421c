"""Tokens of a text as the extractor matches them: offsets, folded key, kind, capitalisation."""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import add
from typing import NamedTuple

from index.analysis.cleaning import is_debris, is_debris_after_cleaning
from index.analysis.folding import name_key
from index.analysis.remembered import Remembered

# One token per group match; what lies between the matches (spaces) is dropped. Every token starts
# with a character that is not a space, or is a line break: said first, a space is passed over
# without trying each kind of token at it (a tenth of the split's time).
_TOKENS = re.compile(
    r"(?=\S|\n)"
    r"((?:[cdjlmnstCDJLMNST]|[qQ][uU])['’](?=[^\W\d_])"  # French elision: l', d', qu'
    r"|['’]s\b"  # possessive
    r"|[^\W_]+(?:(?:[-.&]|['’](?=[^\W_]{2}))[^\W_]+)*"  # word: Non-Aligned, News.Az, O'Brien
    r"|[^\w\s]|\n)"  # punctuation, line break
)
# An address's user part starts where a run of its characters starts: tried inside the run as well, a long
# run (CJK text has no spaces) was rescanned from each of its characters, quadratic in its length.
_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+")
_WORD, _PUNCT, _POSS, _BREAK = "word", "punct", "poss", "break"


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    fold: str
    kind: str
    capitalised: bool  # every hyphen-separated part starts with a capital: ``Non-Aligned``, not ``Pro-war``


def _describe(surface: str) -> tuple[str, str, bool]:
    """A token's fold, kind, and whether it is a word whose hyphen-separated parts all start with a capital."""
    if surface[0].isalnum():
        capitalised = surface[0].isupper() and ("-" not in surface or all(p[:1].isupper() for p in surface.split("-")))
        return name_key(surface), _WORD, capitalised
    if surface == "\n":
        return surface, _BREAK, False
    return surface, _POSS if len(surface) == 2 else _PUNCT, False


# Surfaces recur from article to article (an lru_cache here cost more: making the tokens took
# 15.4 % of a worker's time with one, 14.5 % with a plain table, py-spy over a 10k build).
_descriptions: Remembered[str, tuple[str, str, bool]] = Remembered(1 << 16, lambda new: map(_describe, new))


def _tokens(text: str) -> list[_Token]:
    parts = _TOKENS.split(text)
    offsets = list(accumulate(map(len, parts), initial=0))
    surfaces = parts[1::2]
    if not surfaces:
        return []
    # Each token's offsets and surface, then its description, joined and made a token in C (a
    # Python __new__ per token, or transposing the descriptions with zip(*...), cost a third more).
    heads = zip(offsets[1:-1:2], offsets[2::2], surfaces, strict=True)
    return list(map(tuple.__new__, repeat(_Token), map(add, heads, _descriptions.values(surfaces))))


def _document_tokens(text: str, cleaned: bool = False) -> list[_Token]:
    """The tokens of the text, debris lines and e-mail or web addresses blanked out first (offsets kept).

    A text ``clean`` returned (``cleaned``) has its lines judged already: judging them again took 2 %
    of indexing (a long line, whose verdict is not remembered, was matched against every pattern
    again).
    """
    if not cleaned or ">" in text:
        lines = text.split("\n")
        debris = list(map(is_debris_after_cleaning if cleaned else is_debris, lines))
        if any(debris):
            text = "\n".join(" " * len(line) if drop else line for line, drop in zip(lines, debris, strict=True))
    if "@" in text or "://" in text or "www." in text:
        text = _ADDRESS.sub(lambda address: " " * len(address.group()), text)
    return _tokens(text)


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in name
