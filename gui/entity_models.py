"""The entity model pass of the open archive, run by the app in a process of its own.

The pass is CPU-bound for minutes (a language model per article): in a thread of the app it would
hold the interpreter's lock and slow typing; as ``archivist entities --run-models`` it runs at a
lower priority and the app only reads its progress from the index now and then.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from index.paths import STOP_WITH_PARENT_ENV

if TYPE_CHECKING:
    from gui.controller import Controller
    from index import EntityModelStatus
    from index.archive import Archive

log = logging.getLogger(__name__)

POLL_MS = 2000
# After asking the pass to stop: it stops after its batch (1 to 4 s of reading). Killed in the middle
# of one, its articles count a try that killed the process (two such tries give an article up).
STOP_GRACE_MS = 15000  # when the app goes on (another archive, the pass turned off)
QUIT_WAIT_MS = 5000  # when the app quits
LANGUAGE_NAMES = {"fr": "French", "ru": "Russian", "de": "German", "en": "English"}


def pass_command(archive: Path, data: Path | None) -> tuple[str, list[str]]:
    """The program and arguments that run the entity model pass of ``archive``: the bundle's own
    executable, else this Python running the ``archivist`` launcher."""
    options = ["entities", "--run-models", "--archive", str(archive)]
    if data is not None:
        options = ["--data-dir", str(data), *options]
    if getattr(sys, "frozen", False):
        return sys.executable, options
    return sys.executable, ["-m", "archivist_launcher", *options]


def describe(status: EntityModelStatus) -> str:
    """One line for the status bar: how far the models have read, by language."""
    parts = [f"{LANGUAGE_NAMES.get(p.language, p.language)} {p.done:,} of {p.total:,}" for p in status.languages]
    return "Names by language model: " + ", ".join(parts)


class EntityModelRunner(QObject):
    """Starts, watches and stops the pass; reports its progress and each saved batch.

    Signals:
        progress(status): the pass's progress, every couple of seconds while it runs, and once at its end.
        batch_saved(): articles were re-indexed with what the models found (search again).
        finished(message): the pass ended (message is empty when it read everything).
    """

    progress = Signal(object)
    batch_saved = Signal()
    finished = Signal(str)

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.archive: Archive | None = None
        self._process: QProcess | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.controller.ask_entity_model_status)
        self._starting = False  # a start waits for the status, to see whether any article waits
        self._stopping: set[QProcess] = set()  # asked to stop, not yet ended
        self._done = -1
        controller.entity_model_status.connect(self._on_status)

    @property
    def running(self) -> bool:
        """Whether a pass started by this app is running."""
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    def start(self, archive: Archive) -> None:
        """Run the pass of ``archive`` (the controller's open one) if its languages have models with
        articles left to read (looked at off the GUI thread); stops a pass of another archive first."""
        if self.archive is not archive:
            self.stop()
        self.archive = archive
        self._starting = True
        self.controller.ask_entity_model_status()

    def _start(self, archive: Archive, status: EntityModelStatus) -> None:
        program, arguments = pass_command(archive.root, archive.data)
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert(STOP_WITH_PARENT_ENV, str(os.getpid()))  # ends after its batch if the app dies
        process.setProcessEnvironment(environment)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(lambda code, _status, p=process: self._on_finished(p, code))
        process.errorOccurred.connect(lambda error, p=process: self._on_error(p, error))
        process.start(program, arguments)
        self._process = process
        self._done = status.done
        self.progress.emit(status)
        self._timer.start()
        log.info("entity model pass started: %s %s", program, " ".join(arguments))

    def stop(self) -> None:
        """Ask a running pass to stop after its batch (the next one resumes); without waiting for it,
        but killed if it has not ended after STOP_GRACE_MS."""
        self._timer.stop()
        self._starting = False
        self.archive = None  # a status still on its way is about the archive that was open
        process, self._process = self._process, None
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return
        self._stopping.add(process)
        process.terminate()
        QTimer.singleShot(STOP_GRACE_MS, self, lambda: self._kill(process))

    def _kill(self, process: QProcess) -> None:
        if process in self._stopping and process.state() != QProcess.ProcessState.NotRunning:
            log.warning("the entity model pass did not stop within %s ms: killed", STOP_GRACE_MS)
            process.kill()

    def shutdown(self) -> None:
        """Stop the pass before the app quits: wait a little for its batch, then kill it."""
        process = self._process
        self.stop()
        for waiting in [*self._stopping, *([process] if process is not None else [])]:
            if not waiting.waitForFinished(QUIT_WAIT_MS):
                waiting.kill()
                waiting.waitForFinished(QUIT_WAIT_MS)

    def _on_status(self, archive: Archive, status: EntityModelStatus) -> None:
        if archive is not self.archive:
            return
        if self._starting:
            # Another pass (one of ours stopping, or the command line's): look again later. One of
            # ours asked to stop may not hold the pass's lock yet (it was loading a model), then take
            # it for its last batch: a pass started meanwhile would find it taken and give up.
            if (status.running or self._stopping) and not self.running:
                self._timer.start()
                self.progress.emit(status)
                return
            self._starting = False
            if not self.running and status.done < status.total:
                self._start(archive, status)
                return
        if status.done != self._done:
            self._done = status.done
            self.batch_saved.emit()
        self.progress.emit(status)

    def _on_error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:  # no finished() follows
            log.warning("the entity model pass could not start: %s", process.errorString())
            self._stopping.discard(process)
            process.deleteLater()
            if process is self._process:
                self._process = None
                self._timer.stop()
                self.finished.emit(f"it could not start ({process.errorString()})")

    def _on_finished(self, process: QProcess, code: int) -> None:
        output = bytes(process.readAll().data()).decode("utf-8", "replace").strip()
        self._stopping.discard(process)
        process.deleteLater()
        if process is not self._process:
            return  # stopped on purpose
        self._process = None
        self._timer.stop()
        last_line = output.splitlines()[-1] if output else ""
        if code != 0:
            log.warning("the entity model pass ended with status %s: %s", code, output)
        self.finished.emit("" if code == 0 else last_line or f"the entity model pass stopped (status {code})")
        self.controller.ask_entity_model_status()
