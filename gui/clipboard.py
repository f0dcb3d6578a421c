"""Copying text with its citation: plain text for every program, Markdown for those that take it."""

from __future__ import annotations

import atexit

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

_MARKDOWN = "text/markdown"
_exit_hook_registered = False


def copy_text(plain: str, markdown: str) -> None:
    """Put ``plain`` and ``markdown`` on the clipboard as two flavours of one copy."""
    data = QMimeData()
    data.setText(plain)
    data.setData(_MARKDOWN, markdown.encode("utf-8", "replace"))
    QGuiApplication.clipboard().setMimeData(data)
    _forget_on_exit_when_offscreen()


def _forget_on_exit_when_offscreen() -> None:
    """Qt's offscreen platform (tests, headless self-tests) crashes at exit when the clipboard holds
    mime data set from Python (measured with PySide6 6.11: SIGSEGV in its teardown); a real display's
    clipboard does not, and keeps the copy for the user."""
    global _exit_hook_registered
    if not _exit_hook_registered and QGuiApplication.platformName() == "offscreen":
        _exit_hook_registered = True
        atexit.register(lambda: QGuiApplication.clipboard().clear() if QGuiApplication.instance() else None)
