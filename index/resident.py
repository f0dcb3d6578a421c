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
import fcntl
import hashlib
import io
import json
import logging
import os
import shutil
import signal
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
REQUEST_TIMEOUT = 2.0  # a client that has not said what it wants by then is dropped
MAX_OPEN_ARCHIVES = 4
DISABLE_VARIABLE = "ARCHIVIST_NO_SERVER"
IDLE_VARIABLE = "ARCHIVIST_SERVER_IDLE"
_HEADER = struct.Struct("!I")
_CREDENTIALS = struct.Struct("iII")  # struct ucred: pid, uid, gid
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
            _send(connection, _request(args))
            answer = _receive(connection)
    except (OSError, ValueError):
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("code"), int):
        return None
    return str(answer.get("stdout", "")), str(answer.get("stderr", "")), answer["code"]


def _request(args: Sequence[str]) -> dict[str, Any]:
    """What the server needs to run a command as its own process would: the arguments, the folder
    relative paths start from, and the terminal's width (for ``--help``).

    Raises:
        OSError: the current folder is gone.
    """
    return {"args": list(args), "cwd": os.getcwd(), "columns": shutil.get_terminal_size().columns}


def start_server(args: Sequence[str]) -> None:
    """Start a server in the background, which first runs ``args`` (a command just answered) to open
    its archive; nothing happens when one cannot be started. The command goes through a pipe, not
    the server's arguments, which anyone on the machine can read."""
    path = socket_path()
    if path is None:
        return
    import subprocess

    if getattr(sys, "frozen", False):
        command = [sys.executable, "--resident-server"]
    else:
        command = [sys.executable, "-m", "index.resident"]
    try:
        warm = json.dumps(_request(args), ensure_ascii=True).encode("ascii")
        server = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the terminal's Ctrl+C, nor waited for by the shell
            close_fds=True,
            cwd=Path(__file__).resolve().parent.parent,  # where `-m index.resident` finds this code
        )
        assert server.stdin is not None
        with server.stdin:
            server.stdin.write(warm)  # a few hundred bytes: the pipe takes them without waiting
    except OSError:
        log.warning("the command-line server could not be started", exc_info=True)


def serve() -> int:
    """Run the server until it has been idle for IDLE_SECONDS (``ARCHIVIST_SERVER_IDLE`` when set),
    having first run the command start_server wrote to its standard input."""
    try:
        idle = float(os.environ.get(IDLE_VARIABLE, IDLE_SECONDS))
    except ValueError:
        idle = IDLE_SECONDS
    path = socket_path()
    if path is None:
        return 1
    warm = sys.stdin.buffer.read() if sys.stdin is not None and not sys.stdin.isatty() else b""
    # One server per socket: whoever holds the lock owns the socket, for as long as it runs, so a
    # server taking over a dead one's socket can never unlink a live one's.
    lock = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)
        return 0  # another server runs
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that the socket is removed
    try:
        with contextlib.suppress(OSError):
            path.unlink()  # a dead server's
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(os.fspath(path))
        os.chmod(path, 0o600)
        listener.listen(8)
        from index import cli

        cli.keep_archives_open(MAX_OPEN_ARCHIVES)
        with contextlib.suppress(ValueError, TypeError):
            request = json.loads(warm)
            if _valid(request):
                _run(cli, request)
        _answer_until_idle(cli, listener, idle)
        return 0
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(lock)


def _answer_until_idle(cli: Any, listener: socket.socket, idle: float) -> None:
    listener.settimeout(idle)
    with listener:
        while True:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                return
            with connection:
                _answer(cli, connection)


def _valid(request: Any) -> bool:
    return (
        isinstance(request, dict)
        and isinstance(request.get("cwd"), str)
        and isinstance(request.get("columns"), int)
        and isinstance(request.get("args"), list)
        and all(isinstance(arg, str) for arg in request["args"])
    )


def _answer(cli: Any, connection: socket.socket) -> None:
    """Run one command for a client of this user's, and send back what it printed; a command that
    is not one of RESIDENT_COMMANDS as the command line itself parses it is refused (the client
    then runs it), as is a client slow to say what it wants (the others wait for it)."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size)
    _, uid, _ = _CREDENTIALS.unpack(credentials)
    if uid != os.getuid():
        return
    connection.settimeout(REQUEST_TIMEOUT)
    try:
        request = _receive(connection)
        if not _valid(request) or not _reads_only(cli, request["args"]):
            return
        connection.settimeout(ANSWER_TIMEOUT)
        _send(connection, _run(cli, request))
    except (OSError, ValueError):
        log.warning("a command-line client went away", exc_info=True)


def _reads_only(cli: Any, args: list[str]) -> bool:
    """Whether ``args`` run a command of RESIDENT_COMMANDS, parsed as the command line parses them
    (``entities --run`` is ``--run-models``; ``--data search index X`` indexes)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            options = cli.command_parser().parse_args(args)
    except SystemExit:  # refused or --help: the command only prints
        return is_resident(args)
    return options.command in RESIDENT_COMMANDS and not getattr(options, "run_models", False)


def _run(cli: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Run a command as its own process would: from the client's folder, printing into strings."""
    stdout, stderr = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        os.chdir(request["cwd"])
    except OSError as error:
        return {"stdout": "", "stderr": f"archivist: the current folder cannot be entered ({error})\n", "code": 1}
    os.environ["COLUMNS"] = str(request["columns"])
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main(request["args"])
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
    sys.exit(serve())
