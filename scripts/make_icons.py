"""Render resources/icons/archivist.svg to the PNG sizes desktops ask for (run after editing the SVG).

Usage: QT_QPA_PLATFORM=offscreen python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> None:
    """Write archivist-SIZE.png beside the SVG for every size."""
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "archivist.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"archivist-{size}.png"))


if __name__ == "__main__":
    main()
