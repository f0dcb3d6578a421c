"""``archivist --install-desktop-entry``: a per-user menu entry and icon, as the XDG specifications
place them (``$XDG_DATA_HOME``, by default ``~/.local/share``); ``--uninstall-desktop-entry`` removes them.

No Qt here: it runs from a terminal, display or not.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from index.paths import resource_path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
ENTRY = "archivist.desktop"
MARK = "X-Archivist-Installer=1"  # in the entry: written by this installer, so uninstall may remove it


def data_home() -> Path:
    """Where per-user applications and icons go."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def installed_files(home: Path | None = None) -> list[Path]:
    """Every file the entry installs: the entry, the SVG icon and each PNG size."""
    home = home or data_home()
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / ENTRY,
        icons / "scalable" / "apps" / "archivist.svg",
        *(icons / f"{size}x{size}" / "apps" / "archivist.png" for size in ICON_SIZES),
    ]


def launch_command() -> list[str]:
    """How the desktop starts this Archivist: the bundle's program, the installed ``archivist``
    script beside this interpreter, or this interpreter running the launcher."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = Path(sys.executable).parent / "archivist"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "archivist_launcher"]


def _desktop_quoted(arguments: list[str]) -> str:
    """Arguments as an Exec key wants them: quoted when they hold a space or a reserved character,
    then escaped again as any string value of a desktop file is (so one literal backslash is four)."""
    reserved = set(' \t\n"\'\\><~|&;$*?#()`')
    quoted = []
    for argument in arguments:
        if any(character in reserved for character in argument):
            escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
            argument = f'"{escaped}"'
        quoted.append(argument.replace("%", "%%"))
    return " ".join(quoted).replace("\\", "\\\\")


def install(home: Path | None = None) -> list[Path]:
    """Write the entry and icons; returns the files written."""
    home = home or data_home()
    entry, svg, *pngs = installed_files(home)
    command = launch_command()
    template = resource_path("gui", ENTRY).read_text("utf-8")
    text = template.replace("{exec}", _desktop_quoted(command)).replace("{try_exec}", command[0])
    for path in (entry, svg, *pngs):
        path.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(text, "utf-8")
    shutil.copyfile(resource_path("icons", "archivist.svg"), svg)
    for size, png in zip(ICON_SIZES, pngs, strict=True):
        shutil.copyfile(resource_path("icons", f"archivist-{size}.png"), png)
    _refresh_menus(home)
    return [entry, svg, *pngs]


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what ``install`` wrote, and only that: an entry without the installer's mark, or an
    icon other than the ones shipped, is another program's and stays; returns the files removed."""
    home = home or data_home()
    entry, svg, *pngs = installed_files(home)
    ours = [entry] if entry.is_file() and MARK in entry.read_text("utf-8", "replace").splitlines() else []
    shipped = [resource_path("icons", "archivist.svg"), *(resource_path("icons", f"archivist-{size}.png")
                                                          for size in ICON_SIZES)]
    ours += [path for path, original in zip((svg, *pngs), shipped, strict=True)
             if path.is_file() and path.read_bytes() == original.read_bytes()]
    for path in ours:
        path.unlink()
    _refresh_menus(home)
    return ours


def _refresh_menus(home: Path) -> None:
    """Bring an icon cache the user already has up to date (creating one would hide the icons other
    programs add later); menus notice new entries by themselves."""
    hicolor = home / "icons" / "hicolor"
    if (hicolor / "icon-theme.cache").is_file() and shutil.which("gtk-update-icon-cache"):
        subprocess.run(["gtk-update-icon-cache", "-q", "-t", str(hicolor)], check=False, capture_output=True)


def main(remove: bool) -> int:
    """The launcher's ``--install-desktop-entry`` / ``--uninstall-desktop-entry``: one line of output."""
    try:
        files = uninstall() if remove else install()
    except OSError as error:
        print(f"archivist: could not {'remove' if remove else 'install'} the desktop entry: {error}", file=sys.stderr)
        return 1
    if remove:
        print(f"removed {len(files)} files of the desktop entry" if files else "no desktop entry was installed")
    else:
        print(f"installed the desktop entry {files[0]} (starts {shlex.join(launch_command())}) and its icons")
    return 0
