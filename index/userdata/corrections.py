"""A user's corrections of article metadata and of entities, kept in the user data dir.

The files are the truth: every reader reads them afresh and every change goes through
:class:`~index.userdata.UserFile` (re-read under a lock, atomic write, previous version kept), so an
app and a command line correcting the same archive at once both keep their corrections.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from index.analysis.entities import EntityCorrections
from index.analysis.language import normalise as normalise_language
from index.errors import ArchivistError
from index.models import Article, Provenance
from index.userdata.files import UserFile

log = logging.getLogger(__name__)
CORRECTABLE = ("title", "date", "source", "language")
ArticleCorrections = dict[str, dict[str, str]]  # article id -> {field: value}
CorrectionChanges = Mapping[str, Mapping[str, str | None]]  # article id -> {field: value, None to withdraw}


class Corrections:
    """The metadata corrections of one archive: article id -> {field: value}, saved as JSON.

    Args:
        path: the JSON file.
    """

    def __init__(self, path: Path) -> None:
        self.file = UserFile(path, "corrections", lambda value: isinstance(value, dict))

    @property
    def path(self) -> Path:
        """The JSON file."""
        return self.file.path

    def by_article(self) -> ArticleCorrections:
        """The corrections as they are on disk now; entries that make no sense are left out (and logged).

        Raises:
            UserFileError: the file and its previous version are unreadable.
        """
        return valid_corrections(self.file.read() or {})

    def set(self, article_id: str, field: str, value: str | None) -> dict[str, str]:
        """Record (or, with ``value`` None, withdraw) a correction, and save.

        Returns:
            All the corrections of that article now.

        Raises:
            ArchivistError: the field cannot be corrected or the value is not valid for it.
            UserFileError: the corrections could not be saved.
        """
        _, saved = self._change({article_id: {field: value}}, None)
        return valid_corrections({article_id: saved.get(article_id, {})}).get(article_id, {})

    def change(self, changes: CorrectionChanges, expected: CorrectionChanges | None = None) -> CorrectionChanges:
        """Record (or, with a value None, withdraw) the corrections of many articles in one save.

        Args:
            changes: article id -> {field: value}.
            expected: when given, a field changes only if it is still corrected to the value this
                says (None: not corrected): an undo then leaves alone what was corrected since.

        Returns:
            What each changed field was corrected to before (None: not corrected): given back to
            ``change`` (with ``changes`` as ``expected``), it undoes this change.

        Raises:
            ArchivistError: a field cannot be corrected or a value is not valid for it (nothing is saved).
            UserFileError: the corrections could not be saved.
        """
        return self._change(changes, expected)[0]

    def rename(self, renamed: Mapping[str, str]) -> None:
        """Move corrections to their articles' new ids (``renamed``: old id -> new id, as an update
        of the index finds them); one made under a new id already stays as it is.

        Raises:
            UserFileError: the corrections could not be saved.
        """

        def change(current: Any) -> dict[str, Any]:
            everything = dict(current or {})
            for old, new in renamed.items():
                if old in everything and new not in everything:
                    everything[new] = everything.pop(old)
            return everything

        self.file.update(change)

    def _change(
        self, changes: CorrectionChanges, expected: CorrectionChanges | None
    ) -> tuple[CorrectionChanges, dict[str, Any]]:
        """``change``, also returning the whole file's content as saved."""
        checked: dict[str, dict[str, str | None]] = {}
        for article_id, fields in changes.items():
            for field, value in fields.items():
                if field not in CORRECTABLE:
                    raise ArchivistError(f"'{field}' cannot be corrected; choose one of {', '.join(CORRECTABLE)}")
                valid = None if value is None or not value.strip() else _validated(field, value.strip())
                checked.setdefault(article_id, {})[field] = valid
        previous: dict[str, dict[str, str | None]] = {}

        def change(current: Any) -> dict[str, Any]:
            # Entries this version does not understand are kept as they are: they are the user's.
            everything = dict(current or {})
            previous.clear()  # taken under the lock, from the file as it is now
            for article_id, fields in checked.items():
                entry = everything.get(article_id)
                entry = dict(entry) if isinstance(entry, dict) else {}
                for field, value in fields.items():
                    was = entry.get(field)
                    was = was if isinstance(was, str) else None
                    if expected is not None and expected.get(article_id, {}).get(field) != was:
                        continue  # changed since: the later correction stays
                    previous.setdefault(article_id, {})[field] = was
                    if value is None:
                        entry.pop(field, None)
                    else:
                        entry[field] = value
                if entry:
                    everything[article_id] = entry
                else:
                    everything.pop(article_id, None)
            return everything

        saved = self.file.update(change)
        return previous, saved


def valid_corrections(raw: dict[str, Any]) -> ArticleCorrections:
    """The well-formed corrections of ``raw`` (a parsed corrections file); the others are logged."""
    corrections: ArticleCorrections = {}
    for article_id, entry in raw.items():
        if not isinstance(entry, dict):
            log.warning("ignoring the correction of %r: not a set of fields", article_id)
            continue
        fields: dict[str, str] = {}
        for field, value in entry.items():
            try:
                if field not in CORRECTABLE or not isinstance(value, str):
                    raise ArchivistError(f"{field!r} = {value!r} is not a correction")
                fields[field] = _validated(field, value.strip())
            except ArchivistError as error:
                log.warning("ignoring a correction of %r: %s", article_id, error)
        if fields:
            corrections[str(article_id)] = fields
    return corrections


def entity_corrections_file(path: Path) -> UserFile:
    """The file of an archive's entity corrections."""
    return UserFile(path, "entity corrections", _holds_entity_corrections)


def update_entity_corrections(
    path: Path, change: Callable[[EntityCorrections], EntityCorrections]
) -> tuple[EntityCorrections, EntityCorrections]:
    """Apply ``change`` to the entity corrections saved at ``path``, as they are now, and save them.

    Returns:
        The corrections before and after the change.

    Raises:
        UserFileError: they could not be saved.
    """
    before: list[EntityCorrections] = []

    def apply(current: Any) -> dict[str, list[list[str]]]:
        before.append(entity_corrections_from(current, path))
        return change(before[0]).to_dict()

    after = entity_corrections_file(path).update(apply)
    return before[0], entity_corrections_from(after, path)


def _holds_entity_corrections(data: Any) -> bool:
    try:
        entity_corrections_from(data, Path())
    except ArchivistError:
        return False
    return True


def load_entity_corrections(path: Path) -> EntityCorrections:
    """Entity corrections from a file (none when it is missing).

    Raises:
        ArchivistError: the file is not a valid entity corrections file.
    """
    return entity_corrections_from(entity_corrections_file(path).read(), path)


def read_shared_entity_corrections(path: Path) -> EntityCorrections:
    """Entity corrections from a file someone shared, which is only read, never moved or changed.

    Raises:
        ArchivistError: the file cannot be read or is not an entity corrections file.
    """
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        raise ArchivistError(f"cannot read {path}: {error}") from error
    if data is None:
        raise ArchivistError(f"{path} is not an entity corrections file")
    return entity_corrections_from(data, path)


def entity_corrections_from(data: Any, where: Path) -> EntityCorrections:
    """Entity corrections from the parsed content of a file (None: none).

    Raises:
        ArchivistError: ``data`` does not hold entity corrections.
    """
    if data is None:
        return EntityCorrections()
    try:
        if not isinstance(data, dict):
            raise TypeError("not an object")
        return EntityCorrections.from_dict(data)
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise ArchivistError(f"{where} is not an entity corrections file: {error}") from error


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
    if not value:
        raise ArchivistError(f"an empty {field} is not a correction")
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
