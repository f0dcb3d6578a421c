"""The small tool buttons of the panes and bars."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QToolButton


def tool_button(text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
    """A tool button showing ``text``, explained by ``tip``, calling ``slot`` when clicked."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button
