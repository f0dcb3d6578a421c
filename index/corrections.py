"""A user's corrections of article metadata, kept in the user data dir and applied at indexing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from .entities import EntityCorrections
from .errors import ArchivistError
from .language import normalise as normalise_language
from .models import Article, Provenance

CORRECTABLE = ("title", "date", "source", "language")


class Corrections:
    """Corrections for one archive: article id -> {field: value}, saved as JSON.

    The file is written atomically (temporary file, then rename), so a crash never leaves a
    half-written file; a file that cannot be parsed is kept aside, never overwritten.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.by_article: dict[str, dict[str, str]] = read_json_or_keep_aside(path) or {}

    def set(self, article_id: str, field: str, value: str | None) -> None:
        """Record (or, with ``value`` None, withdraw) a correction, and save.

        Raises:
            ArchivistError: the field cannot be corrected or the value is not valid for it.
        """
        if field not in CORRECTABLE:
            raise ArchivistError(f"'{field}' cannot be corrected; choose one of {', '.join(CORRECTABLE)}")
        entry = self.by_article.setdefault(article_id, {})
        if value is None or not value.strip():
            entry.pop(field, None)
        else:
            entry[field] = _validated(field, value.strip())
        if not entry:
            del self.by_article[article_id]
        self.save()

    def save(self) -> None:
        """Write the corrections to disk atomically."""
        write_json_atomically(self.path, self.by_article)

    def apply(self, article: Article) -> Article:
        """The article with the user's corrections applied, marked with provenance ``user``."""
        return apply_corrections(article, self.by_article.get(article.id, {}))


def read_json_or_keep_aside(path: Path) -> Any:
    """A JSON file's content (None when missing); an unreadable file is renamed, never overwritten.

    Raises:
        ArchivistError: the file exists but is not valid JSON (it is kept beside, renamed).
    """
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (ValueError, OSError) as error:
        kept = path.with_suffix(".unreadable.json")
        path.replace(kept)
        raise ArchivistError(f"corrections file {path} could not be read and was kept as {kept}") from error


def write_json_atomically(path: Path, value: Any) -> None:
    """Write ``value`` as JSON to ``path`` through a temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    os.replace(temporary, path)


def load_entity_corrections(path: Path) -> EntityCorrections:
    """The entity corrections saved at ``path`` (none when the file is missing).

    Raises:
        ArchivistError: the file is not a valid corrections file.
    """
    data = read_json_or_keep_aside(path)
    try:
        return EntityCorrections.from_dict(data or {})
    except (ValueError, TypeError) as error:
        raise ArchivistError(f"{path} is not an entity corrections file: {error}") from error


def save_entity_corrections(path: Path, corrections: EntityCorrections) -> None:
    """Save entity corrections as a JSON file a team can share."""
    write_json_atomically(path, corrections.to_dict())


def apply_corrections(article: Article, fields: dict[str, str]) -> Article:
    """``article`` with ``fields`` (a subset of CORRECTABLE) replaced, provenance ``user``."""
    if not fields:
        return article
    changes: dict[str, Any] = {}
    for field, value in fields.items():
        changes[field] = dt.date.fromisoformat(value) if field == "date" else value
        changes[f"{field}_provenance"] = Provenance.USER
    return dataclasses.replace(article, **changes)


def _validated(field: str, value: str) -> str:
    if field == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError as error:
            raise ArchivistError(f"'{value}' is not a date; write it as YYYY-MM-DD") from error
    if field == "language":
        code = normalise_language(value)
        if code is None:
            raise ArchivistError(f"'{value}' is not a language code such as en, fr or vi")
        return code
    return value
