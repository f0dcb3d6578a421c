"""Write resources/entities/names.json: given names, and the English words that are not names.

Sources (needed only to run this script: ``pip install names english-words wordfreq``):
- given names: the US Census 1990 first-name lists (public domain) shipped in the ``names`` package;
- English vocabulary: the words ``wordfreq`` (data CC BY-SA 4.0) rates common in English text that
  Webster's Second International word list (public domain, from ``english-words``) writes in lower
  case, directly or as the word they inflect (``groups``, ``women``).

A given name that is also a very common lower-case word ("Will", "May") is left out: "May" opens
far more sentences than names; the other given names are not counted as common words ("Tom",
"Tony"). A common word ("house", "cup") tells the extractor that a capitalised run holding it is
not a personal name.

Run: python scripts/make_names.py
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import names
from english_words import get_english_words_set
from wordfreq import top_n_list, zipf_frequency

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "entities" / "names.json"
CENSUS_LISTS = ("dist.male.first", "dist.female.first")
# Zipf frequency (log10 of uses per billion words) from which a dictionary word counts as common.
COMMON_ZIPF = 3.0
TOP_WORDS = 100_000
# Inflections the dictionary does not list, and what they come from: ``groups`` ← ``group``.
_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("men", "man"),
    ("ren", ""),
    ("ied", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)
# A given name this frequent that is also a lower-case dictionary word is mostly that word.
NAME_AS_WORD_ZIPF = 5.0


def _census_first_names() -> set[str]:
    folder = Path(names.__file__).parent
    found = set()
    for listing in CENSUS_LISTS:
        for line in (folder / listing).read_text("ascii").splitlines():
            if line.strip():
                found.add(line.split()[0].lower())
    return found


def _stems(word: str) -> list[str]:
    """The word and the dictionary forms it may inflect: ``women`` is listed, ``cups`` comes from ``cup``."""
    stems = [word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stems.append(word[: -len(suffix)] + replacement)
    return stems


def main() -> None:
    """Write the file."""
    dictionary = get_english_words_set(["web2"], lower=False, alpha=True)
    lower_words = {w for w in dictionary if w.islower()}
    frequent = {w for w in top_n_list("en", TOP_WORDS) if w.isalpha() and zipf_frequency(w, "en") >= COMMON_ZIPF}
    words = {w for w in frequent if len(w) > 1 and any(stem in lower_words for stem in _stems(w))}
    census = {n for n in _census_first_names() if len(n) > 1}
    given = census - {n for n in words if zipf_frequency(n, "en") >= NAME_AS_WORD_ZIPF}
    # A name the dictionary also lists in lower case (``tom``, ``tony``, ``clive``) is still a name.
    common = sorted(words - given)
    data = {
        "_source": (
            f"given_names: US Census 1990 first names (public domain), names {version('names')}, without those "
            "that are common lower-case words. common_words: the words of wordfreq "
            f"{version('wordfreq')} (data CC BY-SA 4.0) with a Zipf frequency of {COMMON_ZIPF} or more that "
            f"Webster's Second International (public domain, english-words {version('english-words')}) "
            "writes in lower case, directly or as the word they inflect. Written by scripts/make_names.py."
        ),
        "given_names": sorted(given),
        "common_words": common,
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"{len(given)} given names and {len(common)} common words written to {TARGET}")


if __name__ == "__main__":
    main()
