"""The engine stays Qt-free, and Whoosh stays behind the engine."""

from __future__ import annotations

import ast
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


# The engine's parts, lowest first: a part may import the basics and the parts before it, never one
# after it (docs/ARCHITECTURE.md draws this).
LAYERS = ["reading", "analysis", "userdata", "storage", "indexing"]
BASICS = {"errors", "models", "paths", "logs", "atomic", "locks", "version", "lazy", "derived"}
TOP = {"archive", "cli", "resident", "selftest"}


def engine_imports(path: Path) -> set[str]:
    """The engine modules a file imports, as dotted names below ``index``, from its syntax tree."""
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("index."):
            found.add(node.module.removeprefix("index."))
        elif isinstance(node, ast.ImportFrom) and node.module == "index":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("index.") for a in node.names if a.name.startswith("index."))
    return found


def test_each_part_imports_only_the_basics_and_the_parts_below_it() -> None:
    wrong = []
    for path in sorted((ROOT / "index").rglob("*.py")):
        relative = path.relative_to(ROOT / "index")
        part = relative.parts[0] if len(relative.parts) > 1 else relative.stem
        if part in ("resources", "seeds", "__init__") or part in TOP:
            continue
        allowed = BASICS | ({part} | set(LAYERS[: LAYERS.index(part)]) if part in LAYERS else set())
        for module in engine_imports(path):
            if module.split(".")[0] not in allowed:
                wrong.append(f"{relative} imports index.{module}")
    assert wrong == []


def test_only_the_storage_part_imports_whoosh() -> None:
    """Storage is the index: Whoosh's format, the query language compiled to Whoosh's queries, and
    the searcher over them. Reading, analysis, the user's files and indexing never see Whoosh."""
    users = {Path(p).relative_to(ROOT / "index").parts[0] for p in imports("index", "whoosh")}
    assert users == {"storage"}


def test_no_engine_module_loads_qt_or_the_app_even_indirectly() -> None:
    """Import every engine module in a fresh interpreter, as the command line does, and look at what got loaded."""
    import subprocess
    import sys

    modules = sorted(
        "index." + ".".join(p.relative_to(ROOT / "index").with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "index").rglob("*.py")
    )
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
