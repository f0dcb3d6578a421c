"""The ``archivist`` command: the desktop app with no arguments (or ``--archive PATH``, or a folder),
``--version``, ``--self-test``, ``--install-desktop-entry`` and ``--uninstall-desktop-entry``, else
the command line.

It stands apart from both so that the engine (``index``) never imports the app, and a command-line
run never loads Qt.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def wants_app(args: Sequence[str]) -> bool:
    """Whether these arguments ask for the desktop app rather than a command: none, ``--archive
    PATH``, or one folder (``archivist ~/news``, as a file manager's "Open with" runs it)."""
    if not args or (args[0].startswith("--archive") and len(args) <= 2):
        return True
    return len(args) == 1 and _names_folder(args[0])


def _names_folder(argument: str) -> bool:
    """A lone argument that is a path rather than a command: one that is a folder, or written as a
    path (the app then says it is not there), and no command's name."""
    if argument.startswith("-") or not (os.sep in argument or Path(argument).is_dir()):
        return False
    if os.sep in argument:  # written as a path: no command's name (and the engine need not load to say so)
        return True
    from index.cli import command_names

    return argument not in command_names()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app, one of the launcher's own options, or the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from index.version import VERSION

        print(f"archivist {VERSION}")
        return 0
    if args == ["--self-test"]:
        from gui.selftest import run_self_test

        return run_self_test()
    if args in (["--install-desktop-entry"], ["--uninstall-desktop-entry"]):
        from gui.desktop_entry import main as desktop_entry

        return desktop_entry(remove=args[0].startswith("--uninstall"))
    if wants_app(args):
        from gui.app import run

        return run(["--archive", args[0]] if len(args) == 1 and not args[0].startswith("-") else args)
    if args[:1] == ["--resident-server"]:  # started by index.resident.start_server, in a frozen app
        from index.resident import serve

        return serve()
    return run_command(args)


def run_command(args: list[str]) -> int:
    """Run a command of the command line: answered by the resident server when one can, else here,
    after which a server is started for the next (index/resident.py)."""
    from index.resident import ask, is_resident, start_server

    resident = is_resident(args)
    try:
        answer = ask(args) if resident else None
    except KeyboardInterrupt:  # Ctrl-C while the server answers, as the command line takes it
        return 130
    if answer is None:
        from index.cli import main as run_here

        status = run_here(args)
        if resident:
            start_server(args)
        return status
    out, err, status = answer
    try:
        sys.stderr.write(err)
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`archivist search x | head`), as the command line says
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13
    return status


if __name__ == "__main__":
    multiprocessing.freeze_support()  # the bundled app's worker processes start through this script
    sys.exit(main())
