"""Work out an article's title, date, source and language, each with its provenance."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from index.analysis import language as languages
from index.analysis.cleaning import clean, is_debris
from index.analysis.dates import date_from_text, parse_date_value
from index.analysis.outlets import outlet_from_text, relayed_source
from index.models import Article, Provenance, RawDocument

T = TypeVar("T")
# A title is kept whole (lists shorten it to their width, a reading pane shows all of it); only a
# "title" no headline is this long (a page of OCR, a file's whole text in one field) is cut.
TITLE_MAX_CHARS = 1_000
# A title taken from the body is its first sentence, and a sentence longer than this is a paragraph.
INFERRED_TITLE_MAX_CHARS = 300
# A full stop, then a capital; or a Chinese or Japanese full stop, which no space follows.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"“«(])|(?<=[。！？])")
# "AZERBAIJAN, May 7 - " or "BAKU, Azerbaijan, May 8. ": a dateline, not part of a sentence.
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'-]+,(?:\s*[A-Z][\w .'-]*,)?\s*[A-Z][a-z]+\.?\s+\d{1,2}\s*[.,:–—-]\s*")
_BYLINE = re.compile(r"^(?:by|par|von|por)\s+\S.{0,60}$", re.IGNORECASE)


def article_id(key: str) -> str:
    """A stable id for the document whose archive-relative key is ``key``."""
    # A file name that is not UTF-8 reaches us with lone surrogates (surrogateescape); every other
    # key encodes as before, so existing ids stay.
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class StepRunner(Protocol):
    """Runs one step of the inference: ``run(step, work, fallback)`` (see pipeline.Steps)."""

    def run(self, step: str, work: Callable[[], T], fallback: Callable[[], T]) -> T: ...


class _Unguarded:
    """Runs steps as they are: a failure is the caller's."""

    def run(self, step: str, work: Callable[[], T], fallback: Callable[[], T]) -> T:
        return work()


def infer(raw: RawDocument, steps: StepRunner | None = None) -> Article:
    """Build an Article from a RawDocument: clean the text, then infer its metadata.

    Args:
        raw: the document as read.
        steps: runs each step (cleaning, title, date, source, language), so that one failing
            leaves only its value unknown (the pipeline reports it); None lets a failure raise.

    Returns:
        The article, each inferred value tagged with where it came from.
    """
    steps = steps or _Unguarded()
    text = unicodedata.normalize("NFC", raw.text)
    body = steps.run("cleaning", lambda: clean(text), lambda: text)
    meta = {key: unicodedata.normalize("NFC", value) for key, value in raw.metadata.items()}
    title, title_provenance = steps.run(
        "title", lambda: _title(meta.get("title"), body, raw.metadata_kind), lambda: _UNKNOWN_TITLE
    )
    date, date_provenance = steps.run("date", lambda: _date(meta.get("date"), body, raw.metadata_kind), _unknown)
    source, source_provenance = steps.run(
        "source", lambda: _source(meta.get("source"), meta.get("url"), body, raw.metadata_kind), _unknown
    )
    relayed = steps.run("source", lambda: relayed_source(body), lambda: None)
    language, language_provenance = steps.run(
        "language", lambda: _language(meta.get("language"), _titled(meta.get("title"), body), raw.metadata_kind),
        _undetermined,
    )
    return Article(
        id=article_id(raw.key),
        path=raw.path,
        title=title,
        title_provenance=title_provenance,
        body=body,
        date=date,
        date_provenance=date_provenance,
        source=source,
        source_provenance=source_provenance,
        language=language,
        language_provenance=language_provenance,
        url=meta.get("url"),
        author=meta.get("author"),
        relayed_source=relayed if relayed != source else None,
        encoding=raw.encoding,
    )


_UNKNOWN_TITLE = ("(untitled)", Provenance.UNKNOWN)


def _unknown() -> tuple[None, Provenance]:
    return None, Provenance.UNKNOWN


def _undetermined() -> tuple[str, Provenance]:
    return languages.UNDETERMINED, Provenance.UNKNOWN


def _date(stated: str | None, body: str, kind: Provenance) -> tuple[dt.date | None, Provenance]:
    date = parse_date_value(stated) if stated else None
    if date is not None:
        return date, kind
    date = date_from_text(body)
    return date, Provenance.TEXT if date else Provenance.UNKNOWN


def _source(stated: str | None, url: str | None, body: str, kind: Provenance) -> tuple[str | None, Provenance]:
    source = (stated or "").strip()
    if source:
        return source, kind
    # A blank stated source is no source: the text may still name one, or else the page's address.
    found = outlet_from_text(body)
    if found:
        return found, Provenance.TEXT
    site = _site(url)
    return site, kind if site else Provenance.UNKNOWN


def _site(url: str | None) -> str | None:
    """The site an article's address names ("https://www.dantri.com.vn/..." -> "dantri.com.vn")."""
    if not url or "://" not in url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # not a well-formed address
        return None
    return host.removeprefix("www.") if host and "." in host else None


def _titled(title: str | None, body: str) -> str:
    """The text a language is told from: a stated title above the body, as a headline-only record
    or a summary's few words are too short to tell alone."""
    return f"{title}\n\n{body}" if title and not body.startswith(title) else body


def _language(stated: str | None, body: str, kind: Provenance) -> tuple[str, Provenance]:
    code = languages.normalise(stated) if stated else None
    if code:
        return code, kind
    detected = languages.detect(body)
    return detected, Provenance.TEXT if detected != languages.UNDETERMINED else Provenance.UNKNOWN


def _title(stated: str | None, body: str, kind: Provenance) -> tuple[str, Provenance]:
    if stated and stated.strip() and not is_debris(stated):
        return _shorten(" ".join(stated.split()), TITLE_MAX_CHARS), kind
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    for paragraph in paragraphs[:3]:
        if _BYLINE.match(paragraph):
            continue
        if _reads_as_headline(paragraph):
            return paragraph, Provenance.TEXT
        sentence = _SENTENCE_END.split(_DATELINE.sub("", paragraph), maxsplit=1)[0].rstrip(".。").rstrip()
        if sentence:  # a paragraph that is a dateline or dots alone titles nothing: try the next one
            return _shorten(sentence, INFERRED_TITLE_MAX_CHARS), Provenance.TEXT
    return "(untitled)", Provenance.UNKNOWN


def _reads_as_headline(line: str) -> bool:
    words = line.split()
    return 3 <= len(words) <= 20 and len(line) <= 160 and not line.endswith((".", ",", ";", ":"))


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
