"""The resident server of the command line: it answers as the command's own process would, sees
new commits, and a command it cannot answer runs in its own process."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import resident
from index.resident import DISABLE_VARIABLE, IDLE_VARIABLE, ask, is_resident, socket_path

from .conftest import ROOT, SEEDS

LAUNCHER = [sys.executable, "-c", "import sys; from archivist_launcher import main; sys.exit(main())"]


def test_only_commands_that_change_nothing_are_answered_by_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DISABLE_VARIABLE, raising=False)
    assert is_resident(["search", "Baku"]) and is_resident(["--data-dir", "search", "show", "x"])  # a folder "search"
    assert is_resident(["--data-dir", "/d", "show", "0123"]) and is_resident(["entities", "--json"])
    writing = (["index", "."], ["correct", "x", "date", "2020-01-01"], ["entities", "--run-models"], ["excerpts"], [])
    for args in writing:
        assert not is_resident(args), args
    monkeypatch.setenv(DISABLE_VARIABLE, "1")
    assert not is_resident(["search", "Baku"])


def server_pid(path: Path) -> int:
    """The pid of the process listening at ``path`` (as the kernel tells a client)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.connect(os.fspath(path))
        pid, _, _ = struct.unpack("3i", probe.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return int(pid)


def wait_for(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, dict[str, str]]]:
    """A copy of the seeds, indexed, and an environment in which commands start and use a server."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.delenv(DISABLE_VARIABLE, raising=False)
    monkeypatch.setenv(IDLE_VARIABLE, "120")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    root = tmp_path / "seeds"
    shutil.copytree(SEEDS, root)
    environment = dict(os.environ)
    subprocess.run([*LAUNCHER, "index", str(root)], env=environment, check=True, capture_output=True, cwd=tmp_path)
    yield root, environment
    path = socket_path()
    if path is not None and path.exists():
        with contextlib.suppress(OSError):
            os.kill(server_pid(path), signal.SIGKILL)


def run(args: list[str], environment: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LAUNCHER, *args], env=environment, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_the_server_answers_as_the_commands_own_process_does(
    served: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, environment = served
    here = run(["search", "--archive", "seeds", "Baku"], environment, tmp_path)  # a relative path: the client's
    assert here.returncode == 0 and here.stdout.count("\n") >= 2
    path = socket_path()
    assert path is not None
    wait_for(path.exists, "the server to start")
    os.chdir(tmp_path)
    try:
        answer = ask(["search", "--archive", "seeds", "Baku"])
        assert answer == (here.stdout, here.stderr, 0)
        article_id = here.stdout.splitlines()[-1].split()[0]
        shown = run(["show", article_id], {**environment, DISABLE_VARIABLE: "1"}, tmp_path)  # in its process
        assert shown.returncode == 0 and ask(["show", article_id]) == (shown.stdout, shown.stderr, 0)
        bad = ask(["search", "--archive", "seeds", "Baku AND ("])
        assert bad is not None and bad[2] == 2 and "bad query" in bad[1]
        assert ask(["search", "--nonsense"]) is not None  # argparse's refusal comes back, not the server's end
        # What only looks like a reading command is refused, and runs in its own process.
        assert ask(["entities", "--run"]) is None  # --run-models, abbreviated
        assert ask(["--data", "search", "index", str(root)]) is None  # --data-dir search, then `index`
        # Relative paths are the client's, whichever folder it runs from.
        (tmp_path / "sub").mkdir()
        os.chdir(tmp_path / "sub")
        relative = ask(["--data-dir", os.path.relpath(environment["ARCHIVIST_DATA_DIR"]), "search", "--archive",
                        "../seeds", "Baku"])
        assert relative == (here.stdout, here.stderr, 0)
        os.chdir(tmp_path)
        # A new article, indexed by another process, is found by the open archive's next search.
        (root / "new.txt").write_text("Quokkas crossed the Caspian ferry terminal at dawn.\n", "utf-8")
        subprocess.run([*LAUNCHER, "index", str(root)], env=environment, check=True, capture_output=True)
        found = ask(["search", "--archive", "seeds", "quokkas"])
        assert found is not None and found[2] == 0 and "Quokkas" in found[0]
    finally:
        os.chdir(ROOT)


def test_a_dead_servers_socket_is_taken_over_and_its_commands_run_here(
    served: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    _, environment = served
    run(["search", "--archive", "seeds", "Baku"], environment, tmp_path)
    path = socket_path()
    assert path is not None
    wait_for(path.exists, "the server to start")
    first = server_pid(path)
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: subprocess.run(["kill", "-0", str(first)], capture_output=True).returncode != 0, "it to die")
    assert path.exists() and ask(["search", "Baku"]) is None  # nobody listens: the command runs in its process
    again = run(["search", "--archive", "seeds", "Baku"], environment, tmp_path)
    assert again.returncode == 0 and "Baku" in again.stdout
    wait_for(lambda: resident.ask(["search", "--archive", str(tmp_path / "seeds"), "Baku"]) is not None,
             "a new server to take the socket over")
    assert server_pid(path) != first


def test_an_idle_server_goes_away(
    served: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(IDLE_VARIABLE, "3")  # the socket is named after the environment it serves
    _, environment = served
    run(["search", "--archive", "seeds", "Baku"], {**environment, IDLE_VARIABLE: "3"}, tmp_path)
    path = socket_path()
    assert path is not None
    wait_for(path.exists, "the server to start")
    wait_for(lambda: not path.exists(), "the idle server to leave", 90)
