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


def test_only_the_engine_imports_whoosh() -> None:
    assert imports("gui", "whoosh") == []
