"""Recognise the outlet that published an article, and the source it relays, from its text."""

from __future__ import annotations

import json
import re
import re._constants
import re._parser
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.paths import config_dir, resource_path

# "... reports citing Azertac", "... via the Cabinet of Ministers": a relayed source is a proper name.
_RELAYING_WORDS = ("citing", "via", "quoting", "according to")
_RELAYED = re.compile(
    rf"\b(?:{'|'.join(map(re.escape, _RELAYING_WORDS))})[ \t]+(?:the[ \t]+)?"
    r"((?:[A-Z][\w.&'’/-]*)(?:[ \t]+(?:of|the|and|de|du|des|la|[A-Z][\w.&'’/-]*))*)"
)
SIGNATURE_LEAD_CHARS = 600
SIGNATURE_END_CHARS = 300
_TRAILING_JOINERS = re.compile(r"(?:[ \t]+(?:of|the|and|de|du|des|la))+$")
# Runs of spaces within a line. Signatures see each as one space: ``[A-Za-z ]+\s*\(VNA\)`` tried on a
# line holding a long run backtracked quadratically in its length.
_SPACE_RUN = re.compile(r"[^\S\n]{2,}")


@dataclass(frozen=True)
class Outlet:
    """An outlet's name and the compiled signatures that reveal it."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    # Per pattern, text every match of it holds (see required_text).
    required: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "required", tuple(map(required_text, self.patterns)))

    def signed(self, text: str) -> bool:
        """Whether one of the outlet's signatures is in ``text``."""
        # ``in`` rules out most texts in a fraction of the search's time: a signature that starts
        # with an anchor (``^``, ``\b``), as most do, is tried at every position of the text.
        signatures = zip(self.patterns, self.required, strict=True)
        return any(needed in text and pattern.search(text) for pattern, needed in signatures)


def required_text(pattern: re.Pattern[str]) -> str:
    """The longest run of literal characters that every match of ``pattern`` holds, "" when unsure.

    Only the pattern's top level is read: a literal there is matched as written, one character
    after the other (zero-width assertions and anything else end a run), unless case is ignored.
    """
    try:
        parsed = re._parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - another Python's parser: no shortcut, the search still decides
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    runs, run = [""], []
    for op, value in parsed.data:
        if op is re._constants.LITERAL:
            run.append(chr(value))
        else:
            runs.append("".join(run))
            run = []
    runs.append("".join(run))
    return max(runs, key=len)


def load_outlets(files: tuple[Path, ...]) -> tuple[Outlet, ...]:
    """Outlets from JSON files, most important file first; the first outlet of a name wins.

    Args:
        files: signature files, the user's before the bundled one; missing ones are ignored.

    Returns:
        The outlets in the order they are tried.
    """
    by_name: dict[str, Outlet] = {}
    for file in files:
        if not file.is_file():
            continue
        for entry in json.loads(file.read_text("utf-8")).get("outlets", []):
            patterns = tuple(re.compile(p, re.MULTILINE) for p in entry["patterns"])
            by_name.setdefault(entry["name"], Outlet(entry["name"], patterns))
    return tuple(by_name.values())


@lru_cache(maxsize=1)
def default_outlets() -> tuple[Outlet, ...]:
    """The bundled signatures extended by ``<config dir>/outlets.json``."""
    return load_outlets((config_dir() / "outlets.json", resource_path("outlets.json")))


def outlet_from_text(text: str, outlets: tuple[Outlet, ...] | None = None) -> str | None:
    """The outlet whose signature the text carries in its lead or its last lines, or None."""
    text = _SPACE_RUN.sub(" ", _lead_and_end(text))
    for outlet in outlets if outlets is not None else default_outlets():
        # Separate searches: each keeps re's fast scan for its literal prefix, which one big
        # alternation of all signatures loses (measured 2.5x slower).
        if outlet.signed(text):
            return outlet.name
    return None


def _lead_and_end(text: str) -> str:
    """The first and last whole lines of a long text, where bylines and sign-offs stand.

    An outlet named in the middle of an article is one it quotes, not its publisher; and
    searching less text keeps the signatures cheap.
    """
    if len(text) <= SIGNATURE_LEAD_CHARS + SIGNATURE_END_CHARS:
        return text
    lead_end = text.find("\n", SIGNATURE_LEAD_CHARS)
    end_start = text.rfind("\n", 0, len(text) - SIGNATURE_END_CHARS)
    if lead_end == -1 or end_start <= lead_end:
        return text
    return text[:lead_end] + text[end_start:]


def relayed_source(text: str, lead_chars: int = 1500) -> str | None:
    """The source an article says it relays ("citing Azertac"), or None."""
    lead = text[:lead_chars]
    # ``in`` rules out most leads far faster than the search, which its leading ``\b`` makes try every position.
    match = _RELAYED.search(lead) if any(word in lead for word in _RELAYING_WORDS) else None
    if not match:
        return None
    name = _TRAILING_JOINERS.sub("", match.group(1)).rstrip(".,")
    return name or None
