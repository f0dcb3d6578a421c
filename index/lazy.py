"""Names a package exports but loads only when first used (PEP 562), so that importing the package
costs only what a command needs (``archivist search`` never loads the indexer)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def loaded_when_used(
    package: str, namespace: dict[str, Any], modules: dict[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose names in ``modules`` (module -> names)
    are imported from their module when first used, then kept in ``namespace`` (its globals)."""
    module_of = {name: module for module, names in modules.items() for name in names}

    def getattr_(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(module_of))

    return getattr_, dir_
