"""The ``archivist`` command: the desktop app with no arguments (or only ``--archive PATH``), else the
command line.

It stands apart from both so that the engine (``index``) never imports the app, and a command-line
run never loads Qt.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence


def wants_app(args: Sequence[str]) -> bool:
    """Whether these arguments ask for the desktop app rather than a command."""
    return not args or (args[0].startswith("--archive") and len(args) <= 2)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app or the command line, as the arguments ask; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_app(args):
        from gui.app import run

        return run(args)
    from index.cli import main as run_command

    return run_command(args)


if __name__ == "__main__":
    multiprocessing.freeze_support()  # the bundled app's worker processes start through this script
    sys.exit(main())
