"""Start the desktop app: a QApplication, the main window, and the archive used last (or the seeds)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from index import NoArchiveError, bundled_seeds, last_archive, resource_path, start_logging
from index.version import VERSION

from .controller import Controller
from .main_window import MainWindow
from .settings import APPLICATION, ORGANISATION

DEMO_ENV = "ARCHIVIST_DEMO"


def choose_archive(given: Path | None) -> Path:
    """The archive to open: the one given, else the one used last, else the bundled seeds."""
    if given is not None:
        return given
    try:
        path = last_archive()
    except NoArchiveError:
        return bundled_seeds()
    return path if path.is_dir() else bundled_seeds()


def stylesheet() -> str:
    """The app's stylesheet, or nothing when it is missing."""
    path = resource_path("gui", "style.qss")
    return path.read_text("utf-8") if path.is_file() else ""


def app_icon() -> QIcon:
    """The app's icon in every size shipped (PNG: the bundle leaves out Qt's SVG plugins)."""
    icon = QIcon()
    for png in sorted(resource_path("icons").glob("archivist-*.png")):
        icon.addFile(str(png))
    return icon


def configure(app: QApplication) -> None:
    """Name, version, icon and stylesheet of the application."""
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(VERSION)
    app.setDesktopFileName("archivist")  # the installed desktop entry: the desktop shows its icon and name
    app.setWindowIcon(app_icon())
    app.setStyleSheet(stylesheet())


def create_window(archive: Path, data: Path | None = None, show: bool = False) -> MainWindow:
    """Build the controller and window and open ``archive`` (indexing it in the background); with
    ``show``, the window is shown and painted first, and the engine (Whoosh, NumPy, the indexer)
    loads after, while the user already sees the window."""
    controller = Controller(data=data)
    window = MainWindow(controller)
    controller.setParent(window)
    if show:
        window.show()
        QApplication.processEvents()
    window.open_archive(archive)
    return window


def missing_display() -> str | None:
    """Why the app cannot open a window here, in one line with what to do instead; None when it can.

    Without this check Qt aborts with a core dump and a hint about a missing xcb library, which is
    not the cause: when no display is set, and when the one set cannot be reached (a stale DISPLAY
    after ssh, an X server that stopped)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    instead = "use the command line: archivist index FOLDER, archivist search WORDS (archivist --help lists them)"
    display = os.environ.get("DISPLAY")
    if display:
        if _x_display_answers(display) or os.environ.get("WAYLAND_DISPLAY"):
            return None
        return f"the display {display} (DISPLAY) cannot be reached; start the app where it can, or {instead}"
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    return f"the app needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY are unset); {instead}"


def _x_display_answers(display: str) -> bool:
    """Whether an X server answers where ``display`` says, tried as libxcb does: ``[proto/]host:N[.S]``,
    an empty host meaning the local sockets, then TCP on localhost. A form this does not know, or a
    failure other than "nothing there", counts as an answer: Qt then tries for itself."""
    protocol, _, rest = display.rpartition("/") if "/" in display.split(":")[0] else ("", "", display)
    host, _, number = rest.rpartition(":")
    number = number.split(".")[0]
    if not number.isdigit():
        return True
    host = host.strip("[]")
    tries: list[tuple[int, object]] = []
    if not host or host == "unix" or protocol == "unix":
        path = f"/tmp/.X11-unix/X{number}"
        tries += [(socket.AF_UNIX, path), (socket.AF_UNIX, f"\0{path}")]  # the file, or the abstract socket
    if protocol != "unix" and host != "unix":
        tries.append((0, (host or "localhost", 6000 + int(number))))
    for family, address in tries:
        try:
            if family == socket.AF_UNIX:
                with socket.socket(socket.AF_UNIX) as unix:
                    unix.settimeout(2)
                    unix.connect(address)  # type: ignore[arg-type]
            else:
                socket.create_connection(address, timeout=2).close()  # type: ignore[arg-type]
            return True
        except (FileNotFoundError, ConnectionRefusedError, socket.gaierror):
            continue
        except OSError:
            return True  # not "nothing there" (a timeout, permissions): let Qt try
    return False


def run(args: Sequence[str]) -> int:
    """Run the app until its window closes.

    Args:
        args: command-line arguments, e.g. ``["--archive", "/path/to/folder"]``.

    Returns:
        The exit status.
    """
    multiprocessing.freeze_support()
    start_logging()
    missing = missing_display()
    if missing:
        print(f"archivist: {missing}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="archivist")
    parser.add_argument("--archive", type=Path, help="the archive folder to open")
    options, qt_args = parser.parse_known_args(list(args))
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    configure(app)
    window = create_window(choose_archive(options.archive), show=True)
    demo_dir = os.environ.get(DEMO_ENV)
    if demo_dir:
        from .demo import Demo

        demo = Demo(window, Path(demo_dir))
        demo.start()
    return int(app.exec())
