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
from index.paths import index_dir_for

# No test's command line starts a resident server (index/resident.py) that outlives it; its own tests do.
os.environ["ARCHIVIST_NO_SERVER"] = "1"
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
        "def extract(text, language, cleaned=False):\n"
        f"    if {marker!r} in text:\n"
        f"        {failure}\n"
        "    return _real(text, language, cleaned)\n"
        "index.analysis.entities.extract = extract\n",
    )


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data, config and log dirs into the test's temporary folder."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("ARCHIVIST_DATA_DIR", str(data))
    monkeypatch.setenv("ARCHIVIST_CONFIG_DIR", str(tmp_path / "userconfig"))
    monkeypatch.setenv("ARCHIVIST_LOG_DIR", str(tmp_path / "userlogs"))
    # Shared by the session's tests: derived data is keyed by what it derives from (test_derived.py
    # points it elsewhere), and recomputing it in every test's worker processes would cost minutes.
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "usercache"))
    return data


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A copy of the bundled seeds that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def indexed_seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds indexed once for the whole run: (archive folder, data dir). Tests never change it;
    ``seeds_archive`` gives each test a copy of its own."""
    base = tmp_path_factory.mktemp("indexed-seeds")
    root, data = base / "seeds", base / "data"
    shutil.copytree(SEEDS, root)
    archive = Archive(root, data)
    archive.update()
    archive.close()
    return root, data


@pytest.fixture
def seeds_archive(seeds_copy: Path, private_dirs: Path, indexed_seeds: tuple[Path, Path]) -> Iterator[Archive]:
    """The seeds, indexed: a copy of the session's index beside the test's own copy of the seeds (files
    copied with their times, so the index finds them unchanged), which the test may change."""
    template_root, template_data = indexed_seeds
    shutil.copytree(index_dir_for(template_root, template_data), index_dir_for(seeds_copy, private_dirs))
    archive = Archive(seeds_copy)
    yield archive
    archive.close()
