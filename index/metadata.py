"""Work out an article's title, date, source and language, each with its provenance."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from . import language as languages
from .cleaning import clean, is_debris
from .dates import date_from_text, parse_date_value
from .models import Article, Provenance, RawDocument
from .outlets import outlet_from_text, relayed_source

TITLE_MAX_CHARS = 110
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"“«(])")
# "AZERBAIJAN, May 7 - " or "BAKU, Azerbaijan, May 8. ": a dateline, not part of a sentence.
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'-]+,(?:\s*[A-Z][\w .'-]*,)?\s*[A-Z][a-z]+\.?\s+\d{1,2}\s*[.,:–—-]\s*")
_BYLINE = re.compile(r"^(?:by|par|von|por)\s+\S.{0,60}$", re.IGNORECASE)


def article_id(key: str) -> str:
    """A stable id for the document whose archive-relative key is ``key``."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def infer(raw: RawDocument) -> Article:
    """Build an Article from a RawDocument: clean the text, then infer its metadata.

    Args:
        raw: the document as read.

    Returns:
        The article, each inferred value tagged with where it came from.
    """
    body = clean(unicodedata.normalize("NFC", raw.text))
    meta = {key: unicodedata.normalize("NFC", value) for key, value in raw.metadata.items()}
    title, title_provenance = _title(meta.get("title"), body, raw.metadata_kind)
    date, date_provenance = None, Provenance.UNKNOWN
    if meta.get("date"):
        date = parse_date_value(meta["date"])
        date_provenance = raw.metadata_kind if date else Provenance.UNKNOWN
    if date is None:
        date = date_from_text(body)
        date_provenance = Provenance.TEXT if date else Provenance.UNKNOWN
    source, source_provenance = meta.get("source"), raw.metadata_kind
    if not source:
        source = outlet_from_text(body)
        source_provenance = Provenance.TEXT if source else Provenance.UNKNOWN
    relayed = relayed_source(body)
    stated_language = languages.normalise(meta["language"]) if meta.get("language") else None
    if stated_language:
        language, language_provenance = stated_language, raw.metadata_kind
    else:
        language = languages.detect(body)
        language_provenance = Provenance.TEXT if language != languages.UNDETERMINED else Provenance.UNKNOWN
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


def _title(stated: str | None, body: str, kind: Provenance) -> tuple[str, Provenance]:
    if stated and stated.strip() and not is_debris(stated):
        return _shorten(" ".join(stated.split())), kind
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    for paragraph in paragraphs[:3]:
        if _BYLINE.match(paragraph):
            continue
        if _reads_as_headline(paragraph):
            return paragraph, Provenance.TEXT
        sentence = _SENTENCE_END.split(_DATELINE.sub("", paragraph), maxsplit=1)[0]
        return _shorten(sentence.rstrip(".")), Provenance.TEXT
    return "(untitled)", Provenance.UNKNOWN


def _reads_as_headline(line: str) -> bool:
    words = line.split()
    return 3 <= len(words) <= 20 and len(line) <= 160 and not line.endswith((".", ",", ";", ":"))


def _shorten(text: str) -> str:
    if len(text) <= TITLE_MAX_CHARS:
        return text
    cut = text[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
