"""Where things live: the user's data and config dirs, and bundled resources."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path

import platformdirs

from index.atomic import write_atomically
from index.errors import NoArchiveError

log = logging.getLogger(__name__)

APP_NAME = "archivist"
DATA_DIR_ENV = "ARCHIVIST_DATA_DIR"
CONFIG_DIR_ENV = "ARCHIVIST_CONFIG_DIR"
# The app's process id, set for the entity model pass it starts: the pass stops after its batch
# once the app is gone (killed, crashed), rather than read on for an hour holding the index.
STOP_WITH_PARENT_ENV = "ARCHIVIST_STOP_WITH_PARENT"


def data_dir() -> Path:
    """The user data dir (indexes, corrections), overridable by ``ARCHIVIST_DATA_DIR``."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """The user config dir (extra outlet signatures), overridable by ``ARCHIVIST_CONFIG_DIR``."""
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def index_dir_for(archive: Path, base: Path | None = None) -> Path:
    """The folder holding the index of ``archive``: one per archive, named after it."""
    resolved = absolute(archive)
    digest = hashlib.sha1(os.fsencode(resolved)).hexdigest()[:12]
    name = os.fsencode(resolved.name).decode("utf-8", "replace") or "root"
    return (base or data_dir()) / "indexes" / f"{name}-{digest}"


def absolute(path: Path) -> Path:
    """``path`` resolved; a symbolic link loop cannot be, and is then kept as given (it is no folder)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _shipped(folder: str) -> Path:
    """A folder shipped with Archivist (``resources`` or ``seeds``): inside a PyInstaller bundle, beside
    the engine's modules in an installed wheel, or at the top of a checkout."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        return Path(bundle_root) / folder
    package = Path(__file__).resolve().parent
    installed = package / folder
    return installed if installed.is_dir() else package.parent / folder


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, from a checkout, an installed wheel or a PyInstaller bundle."""
    return _shipped("resources").joinpath(*parts)


def bundled_seeds() -> Path:
    """The sample archive shipped with the app."""
    return _shipped("seeds")


_LAST_ARCHIVE_FILE = "last_archive.json"


def remember_archive(root: Path, data: Path | None = None) -> None:
    """Record ``root`` as the archive used last (a failure to do so is only logged)."""
    target = (data or data_dir()) / _LAST_ARCHIVE_FILE
    try:
        write_atomically(target, json.dumps({"archive": str(absolute(root))}).encode("utf-8"))
    except OSError:
        log.exception("could not record %s as the archive used last", root)


def last_archive(data: Path | None = None) -> Path:
    """The archive indexed or opened last.

    Raises:
        NoArchiveError: none was, or the record of it is unreadable.
    """
    try:
        recorded = json.loads(((data or data_dir()) / _LAST_ARCHIVE_FILE).read_text("utf-8"))["archive"]
        if not isinstance(recorded, str) or not recorded:
            raise TypeError("not a path")
        return Path(recorded)
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise NoArchiveError("no archive given and none used before; pass --archive PATH") from error
