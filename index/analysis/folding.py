"""The one folding of text that indexing, querying, entity matching and snippets share.

A word folds to lower case without accents, with the letters Unicode does not decompose written as
a reader without them types them: Vietnamese ``đ``, Azerbaijani ``ə`` and dotless ``ı`` (and ``İ``,
whose dot is a combining mark), Nordic ``ø``, ``ð``, ``þ``, Polish ``ł``, German ``ß``, the ligatures
``æ`` and ``œ``; curly apostrophes become straight. ``Əliyev`` and ``Eliyev`` fold alike; the
spelling ``Aliyev`` is a transliteration, which entity aliases carry (resources/entities/aliases.json).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_LETTERS = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ı": "i",
        "ə": "e",
        "þ": "th",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)


def fold(text: str) -> str:
    """``text`` lower-cased and without accents: ``Hanoï`` -> ``hanoi``, ``Əliyev`` -> ``eliyev``.

    Idempotent (``fold(fold(t)) == fold(t)``): query terms may be folded twice.
    """
    # Names and words recur from article to article; long texts are not kept.
    return _fold_remembered(text) if len(text) <= _REMEMBERED_CHARS else _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFKD can bring out what the first pass folded: a capital (``ℌ`` -> ``H``) or a letter of the
    # table (``ǿ`` -> ``ø`` + acute); folding those too keeps the function idempotent.
    return stripped.lower().translate(_LETTERS)


_REMEMBERED_CHARS = 64
_fold_remembered = lru_cache(maxsize=1 << 16)(_fold)


# Azerbaijani Latin as the English-language press writes its names: Əliyev -> Aliyev, Heydər ->
# Heydar, Gəncə -> Ganja, Naxçıvan -> Nakhchivan, Məmmədov -> Mammadov.
_AZERBAIJANI_TO_ENGLISH = str.maketrans(
    {
        "ə": "a",
        "Ə": "A",
        "x": "kh",
        "X": "Kh",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "c": "j",
        "C": "J",
        "q": "g",
        "Q": "G",
        "ğ": "gh",
        "Ğ": "Gh",
        "ı": "i",
    }
)


def name_key(word: str) -> str:
    """How a word of a name is matched against known names: its fold, except that a word spelled in
    Azerbaijani (it holds ``ə``, a letter no other language of the archive writes) is first written
    as the English-language press spells it, so ``İlham Əliyev`` is ``Ilham Aliyev``."""
    if "ə" in word or "Ə" in word:
        word = word.translate(_AZERBAIJANI_TO_ENGLISH)
    return fold(word)
