"""Remove page debris (font widgets, back-to-top links, related links, contact footers)."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from index.paths import resource_path

_QUOTED_LINE = re.compile(r"^[ \t]*>(?:[ \t]|>[ \t>])", re.MULTILINE)  # "> text", ">> text", ">>> text"


@lru_cache(maxsize=1)
def _debris_line() -> re.Pattern[str]:
    patterns = json.loads(resource_path("boilerplate.json").read_text("utf-8"))["line_patterns"]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Indexing asks for each line of an article twice (cleaning it, then finding its names), and an
# outlet's boilerplate lines recur across its articles: short lines' verdicts are remembered (a
# long one would be kept whole in memory, and rarely recurs).
REMEMBERED_LINE_CHARS = 500


def is_debris(line: str) -> bool:
    """Whether a whole line is page debris rather than article text."""
    return _is_debris(line) if len(line) > REMEMBERED_LINE_CHARS else _remembered_is_debris(line)


def _is_debris(line: str) -> bool:
    # Whitespace runs are matched as one space: debris is told by its words, not its spacing, and
    # patterns with adjacent ``\s*`` (``[+-]?\s*[↺]?\s*[+-]?\s*\d``) backtrack cubically over a long run.
    stripped = line if _single_spaced(line) else " ".join(line.split())
    return bool(stripped) and _debris_line().fullmatch(stripped) is not None


def _single_spaced(line: str) -> bool:
    """Whether ``line`` is already as split-and-joined at spaces (most lines are; checked in C, while
    splitting a paragraph into words and joining them again cost a tenth of finding names)."""
    # Every whitespace character but the space is unprintable (control, separator or Zs).
    return line.isprintable() and "  " not in line and not line.startswith(" ") and not line.endswith(" ")


_remembered_is_debris = lru_cache(maxsize=4096)(_is_debris)


def is_debris_after_cleaning(line: str) -> bool:
    """Whether a line of ``clean``'s output is page debris: only a quoted line can be, as ``clean``
    keeps every line of a quoting message that starts with ``>`` (the rest it judged already)."""
    return _quotes(line) and is_debris(line)


def _quotes(line: str) -> bool:
    """Whether ``line`` is a quoted line, in a message that quotes another (see clean)."""
    return line.lstrip().startswith(">")


def clean(text: str) -> str:
    """The article text without debris lines, with runs of blank lines collapsed.

    Args:
        text: the article text as read (header already split off).

    Returns:
        The text a reader should see and the index should hold.
    """
    kept: list[str] = []
    # In a message that quotes another (e-mail, Usenet), ">>text" is a quoted line, not a related link.
    quoting = ">" in text and _QUOTED_LINE.search(text) is not None
    for line in text.split("\n"):
        if is_debris(line) and not (quoting and _quotes(line)):
            continue
        line = line.rstrip()
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)
