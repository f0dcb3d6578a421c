"""Help ▸ About: the version, where this Archivist keeps things, and the licences of what it bundles."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from index.logs import log_path
from index.paths import config_dir, data_dir, resource_path
from index.version import VERSION


def about_html(index_dir: Path | None) -> str:
    """The About text: version, locations, and the components and data with their licences."""
    licences = json.loads(resource_path("licences.json").read_text("utf-8"))
    where = [
        ("Index of the open archive", str(index_dir) if index_dir else "no archive open"),
        ("Data (indexes, corrections, excerpts)", str(data_dir())),
        ("Settings", str(config_dir())),
        ("Log file", str(log_path())),
        ("Program", sys.executable),
    ]
    rows = "".join(_row(f"{_e(name)}&nbsp;&nbsp;", f"<tt>{_e(path)}</tt>") for name, path in where)
    components = "".join(_row(_e(c["name"]), _e(c["licence"]), _e(c["use"])) for c in licences["components"])
    data = "".join(_row(_e(d["name"]), _e(d["licence"]), _e(d["source"])) for d in licences["data"])
    return (
        f"<h2>Archivist {html.escape(VERSION)}</h2>"
        "<p>A desktop archive browser for news collections. Archivist's own code is under the MIT licence.</p>"
        f"<p>Python {html.escape(sys.version.split()[0])}, Qt {html.escape(qVersion())}, "
        f"PySide6 {html.escape(pyside_version)}.</p>"
        f"<h3>Where things are</h3><table>{rows}</table>"
        "<h3>Bundled components</h3><table cellspacing='4'><tr><th align='left'>Component</th>"
        f"<th align='left'>Licence</th><th align='left'>Used for</th></tr>{components}</table>"
        "<h3>Bundled data</h3><table cellspacing='4'><tr><th align='left'>Data</th>"
        f"<th align='left'>Licence</th><th align='left'>Source</th></tr>{data}</table>"
    )


_e = html.escape


def _row(*cells: str) -> str:
    """A table row of cells already made safe HTML."""
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


class AboutDialog(QDialog):
    """A scrollable page of ``about_html`` with a Close button."""

    def __init__(self, index_dir: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Archivist")
        self.text = QTextBrowser()
        self.text.setObjectName("aboutText")
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html(index_dir))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(820, 640)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
