"""Exclusive locks shared by the threads of a process and by processes: one writer at a time.

Each lock is a ``threading.Lock`` (threads of this process) in front of a ``filelock.FileLock``
(other processes). File locks are ``flock`` locks, which the system releases when their process
dies, however it dies: a lock never outlives its owner, so none ever has to be broken by hand.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import filelock

from index.errors import IndexLockedError

POLL_SECONDS = 0.1  # how often a waiting writer looks again, and checks whether it should give up

_registry_lock = threading.Lock()
_registry: dict[str, tuple[threading.Lock, filelock.FileLock]] = {}


def _locks_for(path: Path) -> tuple[threading.Lock, filelock.FileLock]:
    key = os.path.abspath(path)
    with _registry_lock:
        if key not in _registry:
            # thread_local=False: the thread lock already admits one thread at a time, and the
            # holder may release from another thread than the one that acquired.
            _registry[key] = (threading.Lock(), filelock.FileLock(key, thread_local=False))
        return _registry[key]


class ExclusiveLock:
    """A lock file guarding one kind of write to one archive.

    Args:
        path: the lock file (created when missing).
        activity: what the holder does, for messages ("indexing this archive").
    """

    def __init__(self, path: Path, activity: str) -> None:
        self.path = path
        self.activity = activity

    @contextmanager
    def held(
        self,
        timeout: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> Iterator[None]:
        """Hold the lock for the block, waiting for it when another thread or process has it.

        Args:
            timeout: seconds to wait at most (None: as long as it takes, 0: not at all).
            should_cancel: polled while waiting; True gives up.
            on_wait: called once, with a description of the holder, if the lock is not free at once.

        Raises:
            IndexLockedError: the lock could not be had in time, or waiting was cancelled.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        thread_lock, file_lock = _locks_for(self.path)
        deadline = None if timeout is None else time.monotonic() + timeout
        told = False

        def wait_a_little() -> None:
            nonlocal told
            if not told and on_wait is not None:
                on_wait(self.holder())
                told = True
            if should_cancel is not None and should_cancel():
                raise IndexLockedError(f"stopped waiting for {self.holder()}")
            if deadline is not None and time.monotonic() >= deadline:
                raise IndexLockedError(f"{self.holder()}; try again when it finishes")

        def try_thread_lock() -> bool:
            return thread_lock.acquire(blocking=False) if timeout == 0 else thread_lock.acquire(timeout=POLL_SECONDS)

        while not try_thread_lock():
            wait_a_little()
        try:
            while True:
                try:
                    file_lock.acquire(timeout=0 if timeout == 0 else POLL_SECONDS)
                    break
                except filelock.Timeout:
                    wait_a_little()
            try:
                self._write_owner()
                yield
            finally:
                file_lock.release()
        finally:
            thread_lock.release()

    def busy(self) -> bool:
        """Whether someone holds the lock right now (this thread included), without taking it
        for longer than the look, nor claiming it in the owner file."""
        thread_lock, file_lock = _locks_for(self.path)
        if not thread_lock.acquire(blocking=False):
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                file_lock.acquire(timeout=0)
            except filelock.Timeout:
                return True
            file_lock.release()
            return False
        finally:
            thread_lock.release()

    def holder(self) -> str:
        """Who holds the lock, as far as its owner file tells ("another Archivist (pid 42) is ...")."""
        try:
            owner = json.loads(self._owner_file().read_text("utf-8"))
            pid, host = int(owner["pid"]), str(owner["host"])
        except (OSError, ValueError, KeyError, TypeError):
            return f"another Archivist is {self.activity}"
        if pid == os.getpid() and host == socket.gethostname():
            return f"this Archivist is already {self.activity}"
        where = f"pid {pid}" if host == socket.gethostname() else f"pid {pid} on {host}"
        return f"another Archivist ({where}) is {self.activity}"

    def _owner_file(self) -> Path:
        return self.path.with_name(self.path.name + ".owner")

    def _write_owner(self) -> None:
        # Only for messages: the flock is what excludes, so a stale owner file misleads no one for long.
        with suppress(OSError):
            self._owner_file().write_text(
                json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}), "utf-8"
            )
