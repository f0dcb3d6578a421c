"""The package as users install it: a wheel, installed into a fresh environment, run from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment holding Archivist's wheel; its dependencies come from this environment's
    site-packages (appended to its path, so nothing of the checkout is seen), which keeps the test offline."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = work.glob("archivist-*.whl")
    environment = work / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n" + sysconfig.get_path("platlib") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return environment


def test_the_installed_command_indexes_the_seeds_it_ships_from_any_folder(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    where = subprocess.run(
        [
            python,
            "-c",
            "import index; print(index.__file__); print(index.bundled_seeds()); "
            "print(index.resource_path('entities', 'rules.json'))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    assert all(Path(path).is_relative_to(installed) for path in where), where
    assert Path(where[2]).is_file()
    done = subprocess.run(
        [installed / "bin" / "archivist", "--data-dir", str(tmp_path / "data"), "index", where[1]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "5 added" in done.stdout
    found = subprocess.run(
        [installed / "bin" / "archivist", "--data-dir", str(tmp_path / "data"), "search", "Asadov"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert found.returncode == 0 and found.stdout.startswith("1 article"), found.stderr


def test_the_installed_command_passes_its_self_test_and_says_its_version(installed: Path, tmp_path: Path) -> None:
    from index.version import VERSION

    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "DISPLAY")}
    env["HOME"] = str(tmp_path)  # nothing of the user's is read or written: the log goes here
    env["XDG_DATA_HOME"] = env["XDG_CONFIG_HOME"] = env["XDG_STATE_HOME"] = str(tmp_path)
    version = subprocess.run([installed / "bin" / "archivist", "--version"], capture_output=True, text=True,
                             env=env, timeout=60)
    assert version.stdout == f"archivist {VERSION}\n"
    done = subprocess.run([installed / "bin" / "archivist", "--self-test"], cwd=tmp_path, capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "all 8 checks passed" and sum(line.startswith("ok ") for line in lines) == 8
    assert "main window: 5 results" in done.stdout
    assert not (tmp_path / "archivist").exists() or not any((tmp_path / "archivist").rglob("*.json"))


def test_every_declared_dependency_is_in_the_licences_about_shows() -> None:
    import json
    import re
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!~\[ ]", requirement)[0].lower().replace("_", "-") for requirement in declared}
    licences = json.loads((ROOT / "resources" / "licences.json").read_text())
    listed = {component["distribution"].lower().replace("_", "-") for component in licences["components"]}
    assert names <= listed, names - listed
    assert all(component["licence"] for component in licences["components"])
