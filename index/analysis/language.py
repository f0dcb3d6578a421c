"""Identify an article's language with fastText's language model (lid.176), answering ``und`` when unsure."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from index.analysis.terms import count_unspaced
from index.paths import resource_path

UNDETERMINED = "und"
# Dozens of languages share the Latin alphabet, and a short text in it (names, a dateline) fools the
# model; a few share each other script, among which its best answer for a short text is right even
# when it is far less sure. On 177 real news texts in 31 languages (headlines, captions, capitals,
# mixed languages), no threshold from 0.5 to 0.9 gave a wrong language; 0.9 left 17 more ``und``
# than 0.7 does, and 0.7 still leaves a sentence of names ``und`` (tests/test_language.py).
MIN_CONFIDENCE = 0.70
MIN_CONFIDENCE_OUTSIDE_LATIN = 0.5
MIN_LETTERS = 40
# A Chinese or Japanese character says about what a short word says, not what a letter does.
LETTERS_PER_UNSPACED_CHARACTER = 3
_NAMES = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "azerbaijani": "az",
    "azərbaycan": "az",
    "russian": "ru",
    "русский": "ru",
    "german": "de",
    "deutsch": "de",
    "spanish": "es",
    "español": "es",
    "italian": "it",
    "portuguese": "pt",
    "turkish": "tr",
    "arabic": "ar",
    "chinese": "zh",
}
# Varieties the model names that the index treats as their standard written language, so that their
# articles stay under one language filter: Wu and Cantonese as Chinese (none of them is stemmed),
# Egyptian Arabic as Arabic (its script, and the Arabic stemmer).
_WRITTEN_AS = {"wuu": "zh", "yue": "zh", "arz": "ar"}
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")
_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")


@lru_cache(maxsize=1)
def _model() -> Any:
    """fastText's language model: its compressed form (lid.176.ftz, 0.9 MB, read in 20 ms)."""
    import fasttext  # fasttext-predict: fastText's prediction alone, with no other dependency

    # As bytes: a path that is not valid UTF-8 (a folder named in another encoding) still opens.
    return fasttext.load_model(os.fsencode(resource_path("language", "lid.176.ftz")))


def _classify(sample: str) -> tuple[str, float]:
    """The model's likeliest language for ``sample`` and its probability.

    The sample is one line in lower case: the model reads a line at a time, and it was taught on
    text in lower and mixed case, so that a text in capitals (a wire's headline, an old telex)
    read as written is taken for another language (English in capitals scored 0.2, Azerbaijani in
    capitals was Danish). A capital dotted I is a plain i in lower case, as in Turkish.
    """
    line = sample.replace("\n", " ").lower().replace("i\u0307", "i")
    model = _model()
    try:
        labels, probabilities = model.predict(line)
    except TypeError:  # not encodable as UTF-8: a lone surrogate
        labels, probabilities = model.predict(line.encode("utf-8", "replace").decode("utf-8"))
    return labels[0].removeprefix("__label__"), float(probabilities[0])


def detect(text: str, samples: tuple[int, ...] = (300, 1500)) -> str:
    """The code of the language ``text`` is written in (ISO 639-1 where it has one, as ``en``; else
    three letters, as ``ceb``), or ``und``.

    Args:
        text: article text; only its first characters are read, as a few sentences settle the
            language and the model's cost grows with the sample.
        samples: sample sizes in characters, tried in order until the model is sure: a short
            one settles nearly every article, a longer one the rest.

    Returns:
        The code, or ``und`` when the text is too short or the model is unsure.
    """
    for size in samples:
        sample = text[:size]
        letters = _NOT_LETTERS.sub("", sample)
        if len(letters) + (LETTERS_PER_UNSPACED_CHARACTER - 1) * count_unspaced(letters) < MIN_LETTERS:
            continue
        code, confidence = _classify(sample)
        if confidence >= (MIN_CONFIDENCE if mostly_latin(letters) else MIN_CONFIDENCE_OUTSIDE_LATIN):
            return _WRITTEN_AS.get(code, code)
        if size >= len(text):
            break
    return UNDETERMINED


def mostly_latin(letters: str) -> bool:
    """Whether at least half of ``letters`` (letters only, as ``detect`` keeps them) are Latin,
    counted without a string per letter."""
    return letters.isascii() or 2 * (len(letters) - len(_LATIN_LETTER.sub("", letters))) >= len(letters)


def normalise(value: str) -> str | None:
    """A language as metadata states it ("English", "fr-FR", "vi") as a code, or None."""
    value = value.strip().lower()
    if value in _NAMES:
        return _NAMES[value]
    match = _CODE.match(value)
    return match.group(1) if match else None
