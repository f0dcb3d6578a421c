"""The installed PySide6 release must not leak references on signal emits (6.12.0 does)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(int)


def test_emitting_signals_leaves_true_alone() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)
    before = sys.getrefcount(True)
    for number in range(100):  # Few enough not to abort the interpreter on a release with the leak.
        emitter.changed.emit(number)
    assert len(received) == 100
    assert sys.getrefcount(True) - before < 10
