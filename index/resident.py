"""A resident process that answers the command line's reading commands (``search``, ``show``...).

A command run as a process of its own starts Python, imports NumPy and Whoosh and opens the index:
half a second at 100k articles, for a search that takes 20 ms. So the first such command, run in
its own process as always, then starts a server that imports all that once, keeps the archives it
opens open (seeing each new commit, as the app does), and answers the next commands over a Unix
socket of the user's; it exits after IDLE_SECONDS without one. A command the server cannot answer
(none is running, it died, it took too long) runs in its own process: the server only ever saves
time, and it only runs commands that change nothing, so running one again is harmless.

One server serves one installation and one environment: the socket's name hashes the version, the
code's place and age, and the variables that choose the data and log folders, so a command never
reaches a server that would read other folders or run other code. ``ARCHIVIST_NO_SERVER=1`` turns
it off. This module is imported before anything else of the command line: the standard library only.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import socket
import struct
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.version import VERSION

# Commands that only read: answering one again in a process of its own, after a server failed
# halfway, changes nothing.
RESIDENT_COMMANDS = frozenset({"search", "show", "facets", "similar", "compare", "entities"})
NOT_RESIDENT_OPTIONS = frozenset({"--run-models"})  # `entities --run-models` runs for minutes, and writes
IDLE_SECONDS = 600.0
ANSWER_TIMEOUT = 60.0  # a server slower than this is stuck: the command runs in its own process
CONNECT_TIMEOUT = 1.0
MAX_OPEN_ARCHIVES = 4
DISABLE_VARIABLE = "ARCHIVIST_NO_SERVER"
IDLE_VARIABLE = "ARCHIVIST_SERVER_IDLE"
_HEADER = struct.Struct("!I")
_MAX_SOCKET_PATH = 100  # sockaddr_un holds 108 bytes on Linux, 104 on macOS
_ENVIRONMENT_PREFIXES = ("XDG_", "ARCHIVIST_")

log = logging.getLogger(__name__)


def is_resident(args: Sequence[str]) -> bool:
    """Whether a server may answer these command-line arguments."""
    if os.environ.get(DISABLE_VARIABLE) or not hasattr(socket, "SO_PEERCRED"):  # Linux's way to see who asks
        return False
    return _command(args) in RESIDENT_COMMANDS and not NOT_RESIDENT_OPTIONS & set(args)


def _command(args: Sequence[str]) -> str | None:
    """The command these arguments run: the first that is not an option (or ``--data-dir``'s value)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--data-dir":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def socket_path() -> Path | None:
    """Where this installation's server listens for this user, in this environment; None when no
    private place for it can be had (the server is then never used)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _is_private(Path(runtime)):
        folder = Path(runtime)
    else:
        folder = Path(tempfile.gettempdir()) / f"archivist-{os.getuid()}"
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700)
        if not _is_private(folder):
            return None
    path = folder / f"archivist-{_identity()}.sock"
    return path if len(os.fsencode(path)) <= _MAX_SOCKET_PATH else None


def _is_private(folder: Path) -> bool:
    """Whether ``folder`` is a real folder of this user's that no one else may enter."""
    try:
        status = folder.lstat()
    except OSError:
        return False
    return folder.is_dir() and not folder.is_symlink() and status.st_uid == os.getuid() and not status.st_mode & 0o077


def _identity() -> str:
    """What must be the same for a server to answer a command as the command's own process would."""
    code = Path(__file__).resolve().parent
    newest = 0
    if not getattr(sys, "frozen", False):  # a frozen app's code cannot change under it
        with contextlib.suppress(OSError):
            newest = max(path.stat().st_mtime_ns for path in code.rglob("*.py"))
    environment = sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENVIRONMENT_PREFIXES) or k == "HOME")
    facts = [VERSION, sys.executable, str(code), newest, environment]
    return hashlib.sha1(json.dumps(facts, ensure_ascii=True).encode()).hexdigest()[:16]


def ask(args: Sequence[str]) -> tuple[str, str, int] | None:
    """The server's answer to a command: (standard output, standard error, exit status); None when
    no server answered (the command then runs in its own process)."""
    path = socket_path()
    if path is None or not path.exists():
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(CONNECT_TIMEOUT)
            connection.connect(os.fspath(path))
            connection.settimeout(ANSWER_TIMEOUT)
            _send(connection, {"args": list(args), "cwd": os.getcwd()})
            answer = _receive(connection)
    except (OSError, ValueError):
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("code"), int):
        return None
    return str(answer.get("stdout", "")), str(answer.get("stderr", "")), answer["code"]


def start_server(args: Sequence[str]) -> None:
    """Start a server in the background, which first runs ``args`` (a command just answered) to open
    its archive; nothing happens when one cannot be started."""
    path = socket_path()
    if path is None:
        return
    import subprocess

    if getattr(sys, "frozen", False):
        command = [sys.executable, "--resident-server"]
    else:
        command = [sys.executable, "-m", "index.resident"]
    try:
        subprocess.Popen(
            [*command, json.dumps({"warm": list(args), "cwd": os.getcwd()}, ensure_ascii=True)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the terminal's Ctrl+C, nor waited for by the shell
            close_fds=True,
            cwd="/",
        )
    except OSError:
        log.warning("the command-line server could not be started", exc_info=True)


def serve(request: str = "{}") -> int:
    """Run the server until it has been idle for IDLE_SECONDS (``ARCHIVIST_SERVER_IDLE`` when set),
    having first run ``request``'s command (start_server's)."""
    try:
        idle = float(os.environ.get(IDLE_VARIABLE, IDLE_SECONDS))
    except ValueError:
        idle = IDLE_SECONDS
    path = socket_path()
    if path is None:
        return 1
    listener = _listen(path)
    if listener is None:
        return 0  # another server answers already
    from index import cli

    cli.keep_archives_open(MAX_OPEN_ARCHIVES)
    with contextlib.suppress(ValueError, TypeError, KeyError):
        warm = json.loads(request)
        _run(cli, {"args": warm["warm"], "cwd": warm["cwd"]})
    bound = path.stat().st_ino
    try:
        listener.settimeout(idle)
        while True:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                return 0
            with connection:
                _answer(cli, connection)
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if path.stat().st_ino == bound:  # not a newer server's socket
                path.unlink()


def _listen(path: Path) -> socket.socket | None:
    """A socket listening at ``path``, or None when a live server listens there."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(os.fspath(path))
    except OSError:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(os.fspath(path))
            except OSError:  # left by a server that died: take its place
                with contextlib.suppress(OSError):
                    path.unlink()
                try:
                    listener.bind(os.fspath(path))
                except OSError:
                    listener.close()
                    return None
            else:
                listener.close()
                return None
    os.chmod(path, 0o600)
    listener.listen(8)
    return listener


def _answer(cli: Any, connection: socket.socket) -> None:
    """Run one command for a client of this user's, and send back what it printed."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    if uid != os.getuid():
        return
    connection.settimeout(ANSWER_TIMEOUT)
    try:
        request = _receive(connection)
        if not (
            isinstance(request, dict)
            and isinstance(request.get("cwd"), str)
            and isinstance(request.get("args"), list)
            and is_resident([str(arg) for arg in request["args"]])
        ):
            return
        _send(connection, _run(cli, request))
    except (OSError, ValueError):
        log.warning("a command-line client went away", exc_info=True)


def _run(cli: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Run a command as its own process would: from the client's folder, printing into strings."""
    stdout, stderr = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        os.chdir(request["cwd"])
    except OSError as error:
        return {"stdout": "", "stderr": f"archivist: the current folder cannot be entered ({error})\n", "code": 1}
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main([str(arg) for arg in request["args"]])
        except SystemExit as done:  # argparse: --help, or arguments it refuses
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    os.chdir("/")
    log.debug("answered %s in %.3f s", request["args"][:2], time.perf_counter() - started)
    return {"stdout": stdout.getvalue(), "stderr": stderr.getvalue(), "code": code}


def _send(connection: socket.socket, message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=True).encode("ascii")  # lone surrogates (argv bytes) survive
    connection.sendall(_HEADER.pack(len(data)) + data)


def _receive(connection: socket.socket) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(connection, _HEADER.size))
    return json.loads(_read_exactly(connection, size))


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = connection.recv(min(remaining, 1 << 20))
        if not chunk:
            raise ValueError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1] if len(sys.argv) > 1 else "{}"))
