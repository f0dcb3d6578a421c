"""The user's files: atomic writes, the previous version kept, no change lost between writers."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from index import atomic
from index.atomic import write_atomically
from index.errors import IndexLockedError
from index.locks import ExclusiveLock
from index.userdata.files import UserFile, UserFileError


def test_an_atomic_write_keeps_the_previous_version_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.json"
    write_atomically(target, b"one", keep_previous=True)
    write_atomically(target, b"two", keep_previous=True)
    assert target.read_bytes() == b"two"
    assert (tmp_path / "notes.json.bak").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json", "notes.json.bak"]


def test_a_write_that_need_not_last_is_flushed_by_nobody(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[int] = []
    monkeypatch.setattr(atomic.os, "fsync", flushed.append)
    write_atomically(tmp_path / "cache.bin", b"kept", durable=False)
    assert (tmp_path / "cache.bin").read_bytes() == b"kept" and flushed == []
    write_atomically(tmp_path / "notes.json", b"kept")
    assert len(flushed) == 2  # the file, then its folder


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "notes.json"
    write_atomically(target, b"before")

    def full_disk(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"after")
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.json"]


def test_a_file_that_cannot_be_saved_says_why_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user_file = UserFile(tmp_path / "corrections.json", "corrections")
    user_file.update(lambda _current: {"a": 1})

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("index.userdata.files.write_atomically", full_disk)
    with pytest.raises(UserFileError, match="could not save your corrections .*: the disk is full"):
        user_file.update(lambda current: {**current, "b": 2})
    assert user_file.read() == {"a": 1}


def test_an_unreadable_file_is_read_from_its_previous_version(tmp_path: Path) -> None:
    user_file = UserFile(tmp_path / "corrections.json", "corrections", lambda value: isinstance(value, dict))
    user_file.update(lambda _current: {"a": 1})
    user_file.update(lambda current: {**current, "b": 2})
    user_file.path.write_text('{"a": 1, "b": 2, "c"')  # cut short
    assert user_file.read() == {"a": 1}
    user_file.path.write_text("[1, 2]")  # valid JSON of the wrong shape
    assert user_file.read() == {"a": 1}


def test_a_change_to_an_unreadable_file_keeps_it_aside_and_starts_from_its_previous_version(tmp_path: Path) -> None:
    user_file = UserFile(tmp_path / "corrections.json", "corrections", lambda value: isinstance(value, dict))
    user_file.update(lambda _current: {"a": 1})
    user_file.update(lambda current: {**current, "b": 2})
    user_file.path.write_text("not json")
    assert user_file.update(lambda current: {**current, "c": 3}) == {"a": 1, "c": 3}
    kept = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "not json"


def test_nothing_readable_at_all_is_an_error_for_readers(tmp_path: Path) -> None:
    path = tmp_path / "corrections.json"
    path.write_text("{")
    with pytest.raises(UserFileError, match="cannot be read"):
        UserFile(path, "corrections").read()
    assert path.read_text() == "{"  # Reading never moves or changes the user's file.


def test_two_threads_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "corrections.json"

    def add(prefix: str) -> None:
        user_file = UserFile(path, "corrections")  # each its own object, as two Archives would have
        for i in range(40):
            user_file.update(lambda current, key=f"{prefix}{i}", value=i: {**(current or {}), key: value})

    threads = [threading.Thread(target=add, args=(prefix,)) for prefix in "abc"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(json.loads(path.read_text())) == 120


def _add_in_process(path: str, prefix: str, count: int) -> None:
    user_file = UserFile(Path(path), "corrections")
    for i in range(count):
        user_file.update(lambda current, key=f"{prefix}{i}", value=i: {**(current or {}), key: value})


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "corrections.json"
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_add_in_process, args=(str(path), prefix, 30)) for prefix in "ab"]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    assert len(json.loads(path.read_text())) == 60


def test_a_lock_says_who_holds_it_and_can_be_waited_for_or_not(tmp_path: Path) -> None:
    lock = ExclusiveLock(tmp_path / "indexing.lock", "indexing this archive")
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock.held():
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    assert lock.busy()
    with pytest.raises(IndexLockedError, match="this Archivist is already indexing this archive"), lock.held(timeout=0):
        pass
    waits: list[str] = []
    threading.Timer(0.3, release.set).start()
    with lock.held(timeout=10, on_wait=waits.append):
        assert waits == ["this Archivist is already indexing this archive"]
    holder.join()
    assert not lock.busy()


def _hold_lock_and_die(path: str, ready: object) -> None:
    lock = ExclusiveLock(Path(path), "indexing this archive")
    with lock.held():
        ready.set()  # type: ignore[attr-defined]
        os.kill(os.getpid(), 9)


def test_a_lock_whose_owner_was_killed_is_free(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    owner = context.Process(target=_hold_lock_and_die, args=(str(tmp_path / "indexing.lock"), ready))
    owner.start()
    assert ready.wait(30)
    owner.join(30)
    assert owner.exitcode == -9
    with ExclusiveLock(tmp_path / "indexing.lock", "indexing this archive").held(timeout=5):
        pass


def test_waiting_for_a_lock_can_be_cancelled(tmp_path: Path) -> None:
    lock = ExclusiveLock(tmp_path / "indexing.lock", "indexing this archive")
    with lock.held():
        outcome: list[BaseException] = []

        def wait() -> None:
            try:
                with lock.held(should_cancel=lambda: True):
                    pass
            except IndexLockedError as error:
                outcome.append(error)

        waiter = threading.Thread(target=wait)
        waiter.start()
        waiter.join(10)
    assert outcome and "stopped waiting" in str(outcome[0])


def test_a_file_that_cannot_be_read_for_now_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An I/O error is not damage: the file must not be moved aside and replaced by its older .bak."""
    user_file = UserFile(tmp_path / "corrections.json", "corrections", lambda value: isinstance(value, dict))
    user_file.update(lambda _current: {"a": 1})
    user_file.update(lambda current: {**current, "b": 2})
    real_read_text = Path.read_text

    def busy(self: Path, *args: object, **kwargs: object) -> str:
        if self == user_file.path:
            raise OSError(errno.EIO, "Input/output error")
        return real_read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", busy)
    with pytest.raises(UserFileError, match="cannot be read: input/output error"):
        user_file.update(lambda current: {**current, "c": 3})
    monkeypatch.setattr(Path, "read_text", real_read_text)
    assert user_file.read() == {"a": 1, "b": 2}
    assert not [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
