"""``python -m gui``: start the desktop app."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from gui.app import run

    sys.exit(run(sys.argv[1:]))
