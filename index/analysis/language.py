"""Identify an article's language with py3langid, answering ``und`` when unsure."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

UNDETERMINED = "und"
MIN_CONFIDENCE = 0.90
MIN_LETTERS = 40
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
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, samples: tuple[int, ...] = (300, 1500)) -> str:
    """The ISO 639-1 code of the language ``text`` is written in, or ``und``.

    Args:
        text: article text; only its first characters are read, as a few sentences settle the
            language and the model's cost grows with the sample.
        samples: sample sizes in characters, tried in order until the model is sure: a short
            one settles nearly every article, a longer one the rest.

    Returns:
        A two-letter code, or ``und`` when the text is too short or the model is unsure.
    """
    for size in samples:
        sample = text[:size]
        if len(_NOT_LETTERS.sub("", sample)) < MIN_LETTERS:
            continue
        code, confidence = _identifier().classify(sample)
        if confidence >= MIN_CONFIDENCE:
            return str(code)
        if size >= len(text):
            break
    return UNDETERMINED


def normalise(value: str) -> str | None:
    """A language as metadata states it ("English", "fr-FR", "vi") as a code, or None."""
    value = value.strip().lower()
    if value in _NAMES:
        return _NAMES[value]
    match = _CODE.match(value)
    return match.group(1) if match else None
