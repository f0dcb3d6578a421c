"""Tokens of a text as the extractor matches them: offsets, folded key, kind, capitalisation."""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from typing import NamedTuple, cast

from index.analysis.cleaning import is_debris
from index.analysis.folding import name_key

# One token per group match; what lies between the matches (spaces) is dropped.
_TOKENS = re.compile(
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


# Surfaces recur from article to article: each is described once, then looked up in a plain table
# (an lru_cache also moves each hit to the front of its list: making the tokens took 15.4 % of a
# worker's time with one, 14.5 % with this, py-spy over a 10k build).
DESCRIBED_SURFACES = 1 << 16
_descriptions: dict[str, tuple[str, str, bool]] = {}


def _described(surfaces: list[str]) -> list[tuple[str, str, bool]]:
    """Each surface's description (see _describe)."""
    global _descriptions
    found: list[tuple[str, str, bool] | None] = list(map(_descriptions.get, surfaces))
    if None in found:
        if len(_descriptions) > DESCRIBED_SURFACES:
            _descriptions = {}  # replaced, not emptied: another thread may be reading the old one
        table = _descriptions
        for i in [i for i, description in enumerate(found) if description is None]:
            description = table.get(surfaces[i])
            if description is None:
                description = table[surfaces[i]] = _describe(surfaces[i])
            found[i] = description
    return cast("list[tuple[str, str, bool]]", found)


def _describe(surface: str) -> tuple[str, str, bool]:
    """A token's fold, kind, and whether it is a word whose hyphen-separated parts all start with a capital."""
    if surface[0].isalnum():
        capitalised = surface[0].isupper() and ("-" not in surface or all(p[:1].isupper() for p in surface.split("-")))
        return name_key(surface), _WORD, capitalised
    if surface == "\n":
        return surface, _BREAK, False
    return surface, _POSS if len(surface) == 2 else _PUNCT, False


def _tokens(text: str) -> list[_Token]:
    parts = _TOKENS.split(text)
    offsets = list(accumulate(map(len, parts), initial=0))
    surfaces = parts[1::2]
    if not surfaces:
        return []
    folds, kinds, capitals = zip(*_described(surfaces), strict=True)
    fields = zip(offsets[1:-1:2], offsets[2::2], surfaces, folds, kinds, capitals, strict=True)
    # tuple.__new__ builds each token in C; _Token(...) runs a Python __new__ per token.
    return list(map(tuple.__new__, repeat(_Token), fields))


def _document_tokens(text: str) -> list[_Token]:
    """The tokens of the text, debris lines and e-mail or web addresses blanked out first (offsets kept)."""
    lines = text.split("\n")
    debris = [is_debris(line) for line in lines]
    if any(debris):
        text = "\n".join(" " * len(line) if drop else line for line, drop in zip(lines, debris, strict=True))
    if "@" in text or "://" in text or "www." in text:
        text = _ADDRESS.sub(lambda address: " " * len(address.group()), text)
    return _tokens(text)


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in name
