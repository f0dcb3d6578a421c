"""Per-document facet values as arrays indexed by Whoosh document number, built once per commit.

Counting facets and timeline buckets over the matching documents is then a NumPy ``bincount``
instead of a Python loop over hits.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.atomic import write_atomically
from index.models import ENTITY_FACETS

NO_DATE = -1
_EPOCH = dt.date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Columns:
    """Facet columns for one generation of the index.

    ``day`` holds days since 1970-01-01 (``NO_DATE`` when unknown); ``source`` and
    ``language`` hold codes into ``sources`` and ``languages`` (-1 for none); ``alive`` is
    False for deleted document numbers; ``title_terms`` and ``body_terms`` count each field's
    terms, for relevance scoring.

    Entities are many per document: for each entity facet (``person``, ``org``, ``place``),
    ``entity_docs[facet][k]`` is a document holding entity ``entity_codes[facet][k]``, a code
    into ``entity_names[facet]``.

    ``files`` are the sizes of the generation's index files when it was committed, to check them
    against before opening it.
    """

    generation: int
    ids: list[str]
    alive: np.ndarray
    day: np.ndarray
    source: np.ndarray
    language: np.ndarray
    sources: list[str]
    languages: list[str]
    title_terms: np.ndarray
    body_terms: np.ndarray
    entity_names: dict[str, list[str]]
    entity_docs: dict[str, np.ndarray]
    entity_codes: dict[str, np.ndarray]
    files: dict[str, int]

    def date_of(self, docnum: int) -> dt.date | None:
        """The date of a document, or None."""
        day = int(self.day[docnum])
        return None if day == NO_DATE else day_to_date(day)


def day_to_date(day: int) -> dt.date:
    """The date ``day`` days after 1970-01-01."""
    return dt.date.fromordinal(day + _EPOCH)


def date_to_day(date: dt.date) -> int:
    """Days from 1970-01-01 to ``date``."""
    return date.toordinal() - _EPOCH


def build_columns(
    generation: int,
    files: dict[str, int],
    docnums: dict[str, int],
    doc_count_all: int,
    facet_rows: Iterable[tuple[str, str | None, str | None, str, int, int, str]],
) -> Columns:
    """Arrays of facet values by document number.

    Args:
        generation: the index generation these columns describe.
        files: the sizes of the generation's files.
        docnums: article id -> its live document number.
        doc_count_all: number of document numbers, deleted ones included.
        facet_rows: (article id, ISO date or None, source or None, language, title terms, body terms,
            entities as JSON ``{"person": [names], "org": [...], "place": [...]}``), read one at a time
            so that 100k articles need not be in memory at once.

    Returns:
        The columns.
    """
    ids = [""] * doc_count_all
    alive = np.zeros(doc_count_all, dtype=bool)
    day = np.full(doc_count_all, NO_DATE, dtype=np.int32)
    source = np.full(doc_count_all, -1, dtype=np.int32)
    language = np.full(doc_count_all, -1, dtype=np.int32)
    title_terms = np.zeros(doc_count_all, dtype=np.int32)
    body_terms = np.zeros(doc_count_all, dtype=np.int32)
    source_codes: dict[str, int] = {}
    language_codes: dict[str, int] = {}
    entity_codes: dict[str, dict[str, int]] = {facet: {} for facet in ENTITY_FACETS}
    # Compact int arrays: a Python list of ints costs 9x the memory, and there are millions.
    entity_pairs = {facet: (array("i"), array("i")) for facet in ENTITY_FACETS}
    for article_id, iso_date, source_name, language_code, title_count, body_count, entities in facet_rows:
        docnum = docnums.get(article_id)
        if docnum is None:
            continue
        title_terms[docnum], body_terms[docnum] = title_count, body_count
        for facet, names in json.loads(entities).items():
            codes, (docs, held) = entity_codes[facet], entity_pairs[facet]
            for name in names:
                docs.append(docnum)
                held.append(codes.setdefault(name, len(codes)))
        ids[docnum] = article_id
        alive[docnum] = True
        if iso_date:
            day[docnum] = date_to_day(dt.date.fromisoformat(iso_date))
        if source_name:
            source[docnum] = source_codes.setdefault(source_name, len(source_codes))
        language[docnum] = language_codes.setdefault(language_code, len(language_codes))
    return Columns(
        generation,
        ids,
        alive,
        day,
        source,
        language,
        list(source_codes),
        list(language_codes),
        title_terms,
        body_terms,
        {facet: list(codes) for facet, codes in entity_codes.items()},
        {facet: np.frombuffer(pairs[0], dtype=np.int32) for facet, pairs in entity_pairs.items()},
        {facet: np.frombuffer(pairs[1], dtype=np.int32) for facet, pairs in entity_pairs.items()},
        files,
    )


def save_columns(columns: Columns, path: Path) -> None:
    """Write columns to ``path`` (an .npz file), replacing it atomically and durably."""
    vocabulary = json.dumps(
        {
            "generation": columns.generation,
            "files": columns.files,
            "ids": columns.ids,
            "sources": columns.sources,
            "languages": columns.languages,
            "entity_names": columns.entity_names,
        }
    )
    arrays: dict[str, np.ndarray] = {
        "alive": columns.alive,
        "day": columns.day,
        "source": columns.source,
        "language": columns.language,
        "title_terms": columns.title_terms,
        "body_terms": columns.body_terms,
        "vocabulary": np.frombuffer(vocabulary.encode("utf-8"), dtype=np.uint8),
    }
    for facet in ENTITY_FACETS:
        arrays[f"{facet}_docs"] = columns.entity_docs[facet]
        arrays[f"{facet}_codes"] = columns.entity_codes[facet]
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    write_atomically(path, buffer.getvalue())


def load_columns(path: Path) -> Columns | None:
    """Columns saved by :func:`save_columns`, or None when missing, cut short or otherwise unreadable."""
    try:
        with np.load(path) as data:
            vocabulary = json.loads(data["vocabulary"].tobytes().decode("utf-8"))
            return Columns(
                vocabulary["generation"],
                vocabulary["ids"],
                data["alive"],
                data["day"],
                data["source"],
                data["language"],
                vocabulary["sources"],
                vocabulary["languages"],
                data["title_terms"],
                data["body_terms"],
                vocabulary["entity_names"],
                {facet: data[f"{facet}_docs"] for facet in ENTITY_FACETS},
                {facet: data[f"{facet}_codes"] for facet in ENTITY_FACETS},
                {str(name): int(size) for name, size in vocabulary["files"].items()},
            )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile, zlib.error):
        return None
