"""The engine stays Qt-free, and Whoosh stays behind the engine."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(folder: str, module: str) -> list[str]:
    pattern = re.compile(rf"^\s*(from|import)\s+{module}\b", re.MULTILINE)
    return [str(p) for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text("utf-8"))]


def test_engine_imports_no_qt() -> None:
    assert imports("index", "PySide6") == [] and imports("index", "shiboken6") == []


def test_engine_never_imports_the_app_not_even_lazily() -> None:
    assert imports("index", "gui") == []


def test_only_the_engine_imports_whoosh() -> None:
    assert imports("gui", "whoosh") == []


def test_no_engine_module_loads_qt_or_the_app_even_indirectly() -> None:
    """Import every engine module in a fresh interpreter, as the command line does, and look at what got loaded."""
    import subprocess
    import sys

    modules = sorted(f"index.{p.stem}" for p in (ROOT / "index").glob("*.py") if p.stem != "__init__")
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'gui'))\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_command_line_run_does_not_load_qt(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys, archivist_launcher\n"
        f"archivist_launcher.main(['--data-dir', {str(tmp_path)!r}, 'excerpts', 'baskets'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'gui')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_launcher_starts_the_app_only_without_a_command() -> None:
    from archivist_launcher import wants_app

    assert wants_app([]) and wants_app(["--archive", "seeds"]) and wants_app(["--archive=seeds"])
    assert not wants_app(["search", "x"]) and not wants_app(["--data-dir", "d", "index", "seeds"])
