"""The log file: where details go that a one-line message to the user leaves out."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

from index.paths import APP_NAME

LOG_DIR_ENV = "ARCHIVIST_LOG_DIR"
LOG_FILE = "archivist.log"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 3
_handler: logging.handlers.RotatingFileHandler | None = None
_FORMAT = "%(asctime)s %(process)d %(threadName)s %(levelname)s %(name)s: %(message)s"


def log_dir() -> Path:
    """platformdirs' user log dir, overridable by ``ARCHIVIST_LOG_DIR``."""
    override = os.environ.get(LOG_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME))


def log_path() -> Path:
    """The log file's path."""
    return log_dir() / LOG_FILE


def start_logging() -> Path | None:
    """Send the engine's and the app's log records to a rotating file in the user log dir.

    Called once by each front end (the CLI, the app); the engine itself only logs. When the log
    dir cannot be written, logging goes nowhere rather than stopping the program.

    Returns:
        The log file, or None when it could not be opened.
    """
    global _handler
    root = logging.getLogger()
    path = log_path()
    if _handler is not None:
        if Path(_handler.baseFilename) == path:
            return path
        root.removeHandler(_handler)  # The log dir changed (tests, another data dir): one file at a time.
        _handler.close()
        _handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # delay: the file is opened at the first record, so a run that logs nothing creates nothing.
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    # A log file that later fails (disk full) must not print logging's own traceback to the user.
    logging.raiseExceptions = False
    root.addHandler(handler)
    _handler = handler
    root.setLevel(logging.INFO)
    return path
