"""An index's search files read into the operating system's page cache, in the background.

A word typed first in a session reads its postings in every segment: at a million articles, the
term filters, frequent terms and Whoosh files of 500 segments, 4.2 GB scattered in small pieces.
From a cold page cache (a machine just started, an archive not searched for hours) a keystroke
then waits on the disk: p95 312 ms and up to 1.5 s, against 115 ms once the files are cached,
and every new word pays again. Read once, front to back, the same files take 4-6 s, after which
typing runs as from a warm cache; Elasticsearch's ``index.store.preload`` exists for the same reason.

Measured on a 2-core virtual machine (read-ahead 8 MB), and why it is done so:
- each file is first announced to the kernel (``POSIX_FADV_WILLNEED``) a few files ahead, so the
  disk always has work queued: 0.7 GB/s, against 0.46 GB/s for reading alone;
- and then read through: pages the kernel only read ahead still carry its read-ahead marks, and
  the searches' first reads of them then cost kernel time (a keystroke 150-170 ms of it instead of
  25) until each page was read once.

Only what fits in half of the memory the system has available is read, the files every word
needs first; where that memory cannot be told (not Linux), nothing is. The thread runs at a lower
CPU priority (its disk reads are not lowered) and stops when asked (a new generation, the archive
closed). Nothing is kept in the process: the pages belong to the page cache, which gives them back
under memory pressure, and a file evicted since an earlier preload is read again by the next.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Every word asks the term filters first, then the frequent terms' table and postings; Whoosh's
# segment files (term dictionaries, other postings, stored lengths) come last.
READ_ORDER = (".tfl", ".frq", ".seg")
SHARE_OF_AVAILABLE_MEMORY = 0.5
ANNOUNCED_AHEAD = 2  # files (12 MB queued at a million articles): as fast as 8, and less for a keystroke to wait behind
_CHUNK = 1 << 20  # read at a time: a stop is seen within a megabyte
_PROBES = 8  # pages looked at to tell a file cached: a file is read whole, and so usually cached whole
_NICENESS = 10  # below the searches' threads, which share the machine's two cores with it


def search_files(folder: Path, names: Iterable[str]) -> list[Path]:
    """The files among ``names`` (of ``folder``) that searches read, in the order to preload them."""
    rank = {suffix: number for number, suffix in enumerate(READ_ORDER)}
    chosen = [name for name in names if Path(name).suffix in rank]
    return [folder / name for name in sorted(chosen, key=lambda name: (rank[Path(name).suffix], name))]


def available_memory() -> int:
    """Bytes of memory the system can give without swapping (MemAvailable); 0 when unknown."""
    with contextlib.suppress(OSError, ValueError), open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    with contextlib.suppress(AttributeError, ValueError, OSError):
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    return 0


class Preloader:
    """Reads files into the page cache on a thread of its own, in order, within a budget.

    Args:
        paths: the files, most needed first.
        budget: at most this many bytes are read; files that would pass it are left out.
    """

    def __init__(self, paths: list[Path], budget: int) -> None:
        self._paths = paths
        self._budget = budget
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="preload", daemon=True)
        self._buffer = bytearray(_CHUNK)  # one for every file: each new one is a megabyte zeroed
        self.cached: list[Path] = []  # the files in the page cache now: read whole, or found there
        self.bytes_read = 0
        self.seconds: float | None = None  # from start to end, once ended

    def start(self) -> Preloader:
        """Start reading; returns the preloader."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the reading to stop (it does within a megabyte) and wait until it did."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the reading to end; whether it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        started = time.perf_counter()
        chosen: list[Path] = []
        opened: dict[Path, _Opened] = {}
        try:
            _lower_priority()
            chosen = self._within_budget()
            for number, path in enumerate(chosen):
                for ahead in chosen[number : number + ANNOUNCED_AHEAD + 1]:
                    if ahead not in opened:
                        opened[ahead] = _announce(ahead)
                file = opened.pop(path)
                if file.descriptor >= 0:
                    try:
                        if file.cached or self._read_through(file.descriptor):
                            self.cached.append(path)
                    finally:
                        os.close(file.descriptor)
                if self._stop.is_set():
                    return
        except Exception:  # noqa: BLE001 - a preload is only ever a speed-up: it must not take the app down
            log.exception("preloading the index stopped")
        finally:
            for file in opened.values():
                if file.descriptor >= 0:
                    os.close(file.descriptor)
            self.seconds = time.perf_counter() - started
            if chosen:
                ended = "stopped" if self._stop.is_set() else "done"
                read = self.bytes_read / 1e6
                log.info("preload of %d files %s in %.1f s (%.0f MB read)", len(chosen), ended, self.seconds, read)

    def _within_budget(self) -> list[Path]:
        chosen, total = [], 0
        for path in self._paths:
            with contextlib.suppress(OSError):
                size = path.stat().st_size
                if total + size > self._budget:
                    break
                total += size
                chosen.append(path)
        return chosen

    def _read_through(self, descriptor: int) -> bool:
        """Read a file to its end; False when stopped or failed first."""
        try:
            with open(descriptor, "rb", buffering=0, closefd=False) as file:
                while read := file.readinto(self._buffer):
                    self.bytes_read += read
                    if self._stop.is_set():
                        return False
        except OSError as error:
            log.info("preloading stopped at a file: %s", error)
            return False
        return True


def announce(path: Path, at_most: int) -> bool:
    """Ask the system to read a file into its page cache in the background, when it is at most
    ``at_most`` bytes and fits SHARE_OF_AVAILABLE_MEMORY of the memory available; whether it was asked.

    For a writer about to read a few scattered pages of a file the system may have dropped some of:
    one read from front to back, under way while the writer does other work, costs less than each
    page waited for in turn. The pages cached already are not read again, so the file is not probed
    first, as a preload does (a few pages cached say little of the others).
    """
    if not hasattr(os, "posix_fadvise"):
        return False
    try:
        size = path.stat().st_size
        if size > min(at_most, SHARE_OF_AVAILABLE_MEMORY * available_memory()):
            return False
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    # The system may queue the reads before the call returns: on a slow disk, not the writer's wait.
    threading.Thread(target=_advise_and_close, args=(descriptor,), name="read ahead", daemon=True).start()
    return True


def _advise_and_close(descriptor: int) -> None:
    try:
        _ask_to_read(descriptor)
    finally:
        os.close(descriptor)


def _ask_to_read(descriptor: int) -> None:
    """Ask the system to read the whole file into its page cache, in the background."""
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)


@dataclass(frozen=True)
class _Opened:
    descriptor: int  # -1: the file could not be opened
    cached: bool  # already in the page cache: nothing to read


def _announce(path: Path) -> _Opened:
    """The file opened and, unless it is in the page cache already, its reading asked of the
    kernel. Not opened when a writer deleted it meanwhile: its generation is gone, and so is the need."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return _Opened(-1, cached=False)
    cached = _looks_cached(descriptor)
    if not cached:
        _ask_to_read(descriptor)
    return _Opened(descriptor, cached)


def _looks_cached(descriptor: int) -> bool:
    """Whether pages spread over the file are all in the page cache, asked without reading from
    the disk (a read that would wait fails instead): a file searched or preloaded before is not
    read again, which costs a second of CPU at a million articles. False when it cannot be told."""
    if not hasattr(os, "RWF_NOWAIT"):
        return False
    probe = bytearray(1)
    try:
        size = os.fstat(descriptor).st_size
        return all(
            os.preadv(descriptor, [probe], size * number // _PROBES, os.RWF_NOWAIT) == 1 for number in range(_PROBES)
        )
    except OSError:  # EAGAIN: not cached; EOPNOTSUPP: a file system that cannot tell
        return False


def _lower_priority() -> None:
    """Give the thread a lower CPU priority than the searches'. Only Linux sets a priority per
    thread (elsewhere the call would take the thread's number for a process's)."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICENESS)
