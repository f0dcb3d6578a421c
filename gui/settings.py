"""Persisted preferences (QSettings, organisation "Archivist"): recent archives, geometry, splitters."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "Archivist"
APPLICATION = "Archivist"
MAX_RECENT = 8


def settings() -> QSettings:
    """The app's settings store."""
    return QSettings(ORGANISATION, APPLICATION)


def recent_archives() -> list[Path]:
    """Archives opened recently, most recent first."""
    value = settings().value("recent_archives", [])
    if isinstance(value, str):
        value = [value]
    items = value if isinstance(value, list | tuple) else []
    return [Path(str(item)) for item in items]


def add_recent_archive(path: Path) -> list[Path]:
    """Put ``path`` first in the recent archives; returns the new list."""
    paths = [path] + [p for p in recent_archives() if p != path]
    paths = paths[:MAX_RECENT]
    settings().setValue("recent_archives", [str(p) for p in paths])
    return paths
