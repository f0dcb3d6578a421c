"""Values computed from the shipped data files, kept between runs in the user's cache folder: a
command-line search must not fold 18,000 names again before it answers.

A value is keyed by the program's version and by the size and modification time of each file it is
derived from (data files and the code that derives it), so an edit to either computes it again.
A cache file that cannot be read or written is not an error: the value is computed, as without one.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

import platformdirs

from index.atomic import write_atomically
from index.version import VERSION

log = logging.getLogger(__name__)
# Versions of a value kept side by side: the packaged app and a pip-installed command line (or two
# checkouts) each key their own, and each deleting the other's made both compute it at every start.
KEPT_VERSIONS = 3
# Values no version derives any more, deleted when a value is next kept: py3langid's model, decompressed
# (67 MB, up to three versions of it), before the language model became fastText's.
RETIRED = ("language-model-",)
T = TypeVar("T")


def cache_dir() -> Path:
    """Where derived values are kept (``ARCHIVIST_CACHE_DIR`` overrides it)."""
    override = os.environ.get("ARCHIVIST_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("archivist"))


def derived(name: str, sources: Sequence[Path], compute: Callable[[], T]) -> T:
    """``compute()``, or the value it gave before for the same ``sources`` (marshal-able values only)."""
    key = _key(sources)
    if key is None:
        return compute()
    path = cache_dir() / f"{name}-{key}.marshal"
    with suppress(OSError, ValueError, EOFError, TypeError):
        return marshal.loads(path.read_bytes())  # type: ignore[no-any-return]
    value = compute()
    _keep(path, name, key, marshal.dumps(value))  # type: ignore[arg-type]
    return value


def _keep(path: Path, name: str, key: str, content: bytes) -> None:
    """Write a value's cache file, and delete those of the value's versions but the latest few."""
    try:
        write_atomically(path, content)
        others = [p for p in path.parent.glob(f"{name}-{'?' * len(key)}{path.suffix}") if p != path]
        others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in others[KEPT_VERSIONS - 1 :]:
            stale.unlink(missing_ok=True)
        for retired in RETIRED:
            for stale in path.parent.glob(f"{retired}*"):
                stale.unlink(missing_ok=True)
    except (OSError, ValueError) as error:
        log.info("could not keep %s in the cache: %s", name, error)


def _key(sources: Sequence[Path]) -> str | None:
    """The sources' fingerprint; a frozen app's files never change, and its modules have no files."""
    if getattr(sys, "frozen", False):  # a rebuilt app of the same version has another executable
        status = os.stat(sys.executable)
        stamp = f"{VERSION}{sys.version}{status.st_size}{status.st_mtime_ns}"
        return hashlib.sha1(stamp.encode()).hexdigest()[:16]
    stamps = [VERSION, sys.version]  # marshal's format is the interpreter's
    for source in sources:
        try:
            status = source.stat()
        except OSError:
            return None
        stamps.append(f"{source}:{status.st_size}:{status.st_mtime_ns}")
    return hashlib.sha1("\n".join(stamps).encode("utf-8", "surrogatepass")).hexdigest()[:16]
