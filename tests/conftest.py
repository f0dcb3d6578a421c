"""Shared fixtures: a private data dir for every test, and the real seeds archive."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from index import Archive

ROOT = Path(__file__).resolve().parent.parent
# The archivist command, run as its own process (as a user runs it beside the app).
ARCHIVIST = [sys.executable, "-c", "import sys; from index.cli import main; sys.exit(main(sys.argv[1:]))"]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"

# Property tests: a bounded number of examples in CI, more when run by hand (HYPOTHESIS_PROFILE=thorough).
# No deadline: a slow example on a busy CI machine is not a failure; bench/ measures speed.
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def injected_into_processes(folder: Path, code: str) -> dict[str, str]:
    """An environment whose Python processes (worker processes included) run ``code`` at start-up,
    through a sitecustomize module, with this checkout's engine first on the path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n{code}")
    return {**os.environ, "PYTHONPATH": str(folder)}


def failing_extraction(folder: Path, marker: str, failure: str) -> dict[str, str]:
    """Processes in which entity extraction runs ``failure`` (a statement) on texts holding ``marker``."""
    return injected_into_processes(
        folder,
        "import os, index.analysis.entities\n"
        "_real = index.analysis.entities.extract\n"
        "def extract(text, language):\n"
        f"    if {marker!r} in text:\n"
        f"        {failure}\n"
        "    return _real(text, language)\n"
        "index.analysis.entities.extract = extract\n",
    )


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data, config and log dirs into the test's temporary folder."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("ARCHIVIST_DATA_DIR", str(data))
    monkeypatch.setenv("ARCHIVIST_CONFIG_DIR", str(tmp_path / "userconfig"))
    monkeypatch.setenv("ARCHIVIST_LOG_DIR", str(tmp_path / "userlogs"))
    return data


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A copy of the bundled seeds that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def seeds_archive(seeds_copy: Path) -> Iterator[Archive]:
    """The seeds, indexed."""
    archive = Archive(seeds_copy)
    archive.update()
    yield archive
    archive.close()
