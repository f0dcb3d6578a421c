"""Identify an article's language with py3langid, answering ``und`` when unsure."""

from __future__ import annotations

import re
from array import array
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.analysis.terms import count_unspaced
from index.derived import derived, derived_bytes

UNDETERMINED = "und"
MIN_CONFIDENCE = 0.90
# Dozens of languages share the Latin alphabet, and a short text in it (names, a dateline) fools the
# model; a few share each other script, among which its best answer for a short text is right even
# when it is far less sure: two thirds of short Chinese and Arabic news summaries scored 0.6–0.9.
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
# The model's Wu Chinese is its answer for short Mandarin news too: both are written in standard
# Chinese, which is what matters here (filters, stemming: none for either).
_WRITTEN_AS = {"wuu": "zh"}
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")
_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier. Its model ships LZMA-compressed (0.4 s to decompress, in every
    process that detects a language): it is kept decompressed in the user's cache, its two large
    arrays (67 MB) in a file that is mapped, not read, so that a process reads only what it uses."""
    from py3langid import langid

    model = langid.MODEL_DIR / langid.MODEL_FILE
    sources = [model, Path(langid.__file__), Path(__file__)]
    # Decompressed at most once when either cached value is missing, and let go once both are built.
    loaded = cache(lambda: _loaded_model(model))
    try:
        layout = derived("language-model", sources, lambda: _model_layout(loaded()))
        large = derived_bytes("language-model-arrays", sources, lambda: _large_arrays(loaded()))
        ptc, pc, classes, nextmove, row, output = _model_from(layout, large)
        return langid.LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    except (TypeError, ValueError):  # another py3langid's layout: its own loader
        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def _loaded_model(model: Path) -> tuple[Any, ...]:
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(model)
    return np.asarray(ptc), np.asarray(pc), classes, nextmove, row, output


def _model_layout(loaded: tuple[Any, ...]) -> tuple[Any, ...]:
    """The model but its two large arrays, as values marshal can write; the large arrays' types and shapes."""
    ptc, pc, classes, nextmove, row, output = loaded
    return (
        (ptc.dtype.str, ptc.shape),
        (pc.dtype.str, pc.shape, pc.tobytes()),
        classes,
        (nextmove.typecode, len(nextmove)),
        (row.typecode, row.tobytes()),
        output,
    )


def _large_arrays(loaded: tuple[Any, ...]) -> bytes:
    """The per-feature table and the tokenizer's transitions, one after the other."""
    ptc, _, _, nextmove, _, _ = loaded
    return ptc.tobytes() + nextmove.tobytes()


def _model_from(layout: tuple[Any, ...], large: bytes | Any) -> tuple[Any, ...]:
    """The model's parts from its layout and its large arrays (bytes, or a mapped file)."""
    (ptc_type, ptc_shape), (pc_type, pc_shape, pc), classes, (move_type, moves), (row_type, row), output = layout
    ptc = np.frombuffer(large, dtype=ptc_type, count=int(np.prod(ptc_shape))).reshape(ptc_shape)
    nextmove = memoryview(large)[ptc.nbytes :].cast(move_type)
    if len(nextmove) != moves:
        raise ValueError("the language model's cached arrays are not the size they should be")
    return ptc, np.frombuffer(pc, dtype=pc_type).reshape(pc_shape), classes, nextmove, array(row_type, row), output


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
        letters = _NOT_LETTERS.sub("", sample)
        if len(letters) + (LETTERS_PER_UNSPACED_CHARACTER - 1) * count_unspaced(letters) < MIN_LETTERS:
            continue
        code, confidence = _identifier().classify(sample)
        if confidence >= (MIN_CONFIDENCE if mostly_latin(letters) else MIN_CONFIDENCE_OUTSIDE_LATIN):
            return _WRITTEN_AS.get(code, str(code))
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
