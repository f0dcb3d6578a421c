"""A user's corrections of article metadata, kept in the user data dir and applied at indexing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

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
        self.by_article: dict[str, dict[str, str]] = {}
        if path.is_file():
            try:
                self.by_article = json.loads(path.read_text("utf-8"))
            except (ValueError, OSError) as error:
                kept = path.with_suffix(".unreadable.json")
                path.replace(kept)
                raise ArchivistError(f"corrections file {path} could not be read and was kept as {kept}") from error

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.by_article, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        os.replace(temporary, self.path)

    def apply(self, article: Article) -> Article:
        """The article with the user's corrections applied, marked with provenance ``user``."""
        return apply_corrections(article, self.by_article.get(article.id, {}))


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
