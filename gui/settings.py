"""Persisted preferences (an INI file through QSettings): recent archives, geometry, splitters, docks."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from index import DEFAULT_COPY_THRESHOLD, InvalidRequestError, check_copy_threshold
from index.paths import CONFIG_DIR_ENV, config_dir

ORGANISATION = "Archivist"
APPLICATION = "Archivist"
MAX_RECENT = 8


SETTINGS_FILE = "settings.ini"


def settings() -> QSettings:
    """The app's settings store: an INI file in the user config dir, which ``ARCHIVIST_CONFIG_DIR``
    moves (tests point it into their temporary folder, so a test run never touches the user's).

    Settings an earlier version kept in Qt's native place are copied over the first time.
    """
    path = config_dir() / SETTINGS_FILE
    first_time = not path.exists()
    store = QSettings(str(path), QSettings.Format.IniFormat)
    if first_time and not os.environ.get(CONFIG_DIR_ENV):
        native = QSettings(ORGANISATION, APPLICATION)
        for key in native.allKeys():
            store.setValue(key, native.value(key))
    return store


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


def remove_recent_archive(path: Path) -> list[Path]:
    """Forget ``path`` among the recent archives; returns the new list."""
    paths = [p for p in recent_archives() if p != path]
    settings().setValue("recent_archives", [str(p) for p in paths])
    return paths


def entity_models_enabled() -> bool:
    """Whether the app reads names with the language models after indexing (on unless turned off)."""
    return str(settings().value("entity_models", "true")).lower() == "true"


def set_entity_models_enabled(enabled: bool) -> None:
    """Turn the entity model pass after indexing on or off."""
    settings().setValue("entity_models", "true" if enabled else "false")


def copies_folded() -> tuple[bool, float]:
    """Whether results fold near copies into one (on unless turned off), and at which threshold."""
    fold = str(settings().value("fold_copies", "true")).lower() == "true"
    try:
        threshold = float(settings().value("copy_threshold", DEFAULT_COPY_THRESHOLD))  # type: ignore[arg-type]
        check_copy_threshold(threshold)
    except (TypeError, ValueError, InvalidRequestError):  # a hand-edited settings file
        threshold = DEFAULT_COPY_THRESHOLD
    return fold, threshold


def set_copies_folded(fold: bool, threshold: float) -> None:
    """Keep how results show near copies."""
    settings().setValue("fold_copies", "true" if fold else "false")
    settings().setValue("copy_threshold", threshold)
