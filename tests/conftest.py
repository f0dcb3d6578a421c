"""Shared fixtures: a private data dir for every test, and the real seeds archive."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Archive

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data and config dirs into the test's temporary folder."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("ARCHIVIST_DATA_DIR", str(data))
    monkeypatch.setenv("ARCHIVIST_CONFIG_DIR", str(tmp_path / "userconfig"))
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
