"""Pure text helpers for the GUI: escaping, span highlighting, provenance in words, durations."""

from __future__ import annotations

import bisect
import datetime as dt
import html
from collections.abc import Iterable

from index import Provenance, Span

PROVENANCE_WORDS: dict[str, str] = {
    Provenance.HEADER.value: "from header",
    Provenance.STRUCTURED.value: "from page metadata",
    Provenance.TEXT.value: "inferred from text",
    Provenance.USER.value: "corrected by you",
    Provenance.UNKNOWN.value: "unknown",
}

# Span kinds and their CSS class in result snippets (HTML); the reader formats names itself (reader_pane).
SPAN_CLASSES: dict[str, str] = {"hit": "hit"}


def provenance_words(field: str, provenance: Provenance | str) -> str:
    """Say where a value came from, e.g. ``provenance_words("date", "text")`` -> "date inferred from text"."""
    value = provenance.value if isinstance(provenance, Provenance) else str(provenance)
    return f"{field} {PROVENANCE_WORDS.get(value, value)}"


def date_text(date: dt.date | None, provenance: Provenance | str) -> str:
    """A date for a result row: "~" marks a date inferred from text, "no date" when unknown."""
    if date is None:
        return "no date"
    value = provenance.value if isinstance(provenance, Provenance) else str(provenance)
    return f"~{date.isoformat()}" if value == Provenance.TEXT.value else date.isoformat()


def literal_rich_text(text: str) -> str:
    """``text`` as rich text that shows every character as it is, for tooltips and labels.

    Qt guesses whether a tooltip or label is markup; an article's title or a file's name such as
    ``<img src=x>`` or ``<b>`` would be rendered. Escaped and wrapped in a paragraph, it is always
    shown literally.
    """
    return "<p style='white-space:pre-wrap'>" + html.escape(text).replace("\n", "<br>") + "</p>"


LIST_TITLE_CHARS = 160  # about two lines of the results list; the reading pane shows the rest


def copies_counted(count: int) -> str:
    """Says that counts include the near copies folded in the results ("" when none are)."""
    if not count:
        return ""
    return f"counts include {count} near cop{'y' if count == 1 else 'ies'} folded in the results"


def list_title(title: str, chars: int = LIST_TITLE_CHARS) -> str:
    """``title`` for a list row: whole when short, else cut after a word with "…"."""
    if len(title) <= chars:
        return title
    return title[: chars - 1].rsplit(" ", 1)[0] + "…"


def menu_text(text: str) -> str:
    """``text`` for a menu item: an ``&`` in a path is shown, not taken for a keyboard shortcut."""
    return text.replace("&", "&&")


def highlighted_html(text: str, spans: Iterable[Span], css_class: str = "hit") -> str:
    """HTML for ``text`` with every character escaped and each span wrapped in a ``<span class>``.

    Args:
        text: plain text (may contain ``<``, ``&``...; they stay literal).
        spans: half-open character ranges into ``text``; overlapping or out-of-range ones are clipped.
        css_class: the class used for spans whose kind has no class of its own.

    Returns:
        An HTML fragment safe to give to a rich-text renderer.
    """
    parts: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = max(span.start, position), min(span.end, len(text))
        if end <= start:
            continue
        parts.append(html.escape(text[position:start]))
        kind_class = SPAN_CLASSES.get(span.kind, css_class)
        parts.append(f'<span class="{kind_class}">{html.escape(text[start:end])}</span>')
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts).replace("\n", "<br>")


def utf16_offsets(text: str) -> list[int] | None:
    """Map code-point offsets to UTF-16 offsets (what Qt counts), or None when they are the same."""
    if all(ord(ch) < 0x10000 for ch in text):
        return None
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) >= 0x10000 else 1))
    return offsets


def to_qt_offset(offsets: list[int] | None, position: int) -> int:
    """A code-point offset as Qt counts it (see :func:`utf16_offsets`)."""
    if offsets is None:
        return position
    return offsets[max(0, min(position, len(offsets) - 1))]


def from_qt_offset(offsets: list[int] | None, qt_position: int) -> int:
    """A Qt offset (UTF-16) back to a code-point offset; inside a surrogate pair, the pair's start."""
    if offsets is None:
        return qt_position
    index = bisect.bisect_left(offsets, qt_position)
    return index if index < len(offsets) and offsets[index] == qt_position else max(0, index - 1)


def duration_text(seconds: float) -> str:
    """A short human duration: "45 s", "3 min 10 s", "1 h 5 min"."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {(seconds % 3600) // 60} min"
