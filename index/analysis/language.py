"""Identify an article's language with py3langid, answering ``und`` when unsure."""

from __future__ import annotations

import re
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.derived import derived

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
    """py3langid's identifier. Its model ships LZMA-compressed (0.4 s to decompress, in every
    process that detects a language): the arrays are kept decompressed in the user's cache."""
    from py3langid import langid

    model = langid.MODEL_DIR / langid.MODEL_FILE
    try:
        ptc, pc, classes, nextmove, row, output = _model_from_parts(
            derived("language-model", [model, Path(langid.__file__), Path(__file__)], lambda: _model_parts(model))
        )
        return langid.LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    except (TypeError, ValueError):  # another py3langid's layout: its own loader
        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def _model_parts(model: Path) -> tuple[Any, ...]:
    """py3langid's model as values marshal can write (arrays as their type, shape and bytes)."""
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(model)
    arrays = tuple((array.dtype.str, array.shape, array.tobytes()) for array in (np.asarray(ptc), np.asarray(pc)))
    return (*arrays, classes, (nextmove.typecode, nextmove.tobytes()), (row.typecode, row.tobytes()), output)


def _model_from_parts(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    (ptc_type, ptc_shape, ptc), (pc_type, pc_shape, pc), classes, nextmove, row, output = parts
    return (
        np.frombuffer(ptc, dtype=ptc_type).reshape(ptc_shape),
        np.frombuffer(pc, dtype=pc_type).reshape(pc_shape),
        classes,
        array(nextmove[0], nextmove[1]),
        array(row[0], row[1]),
        output,
    )


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
