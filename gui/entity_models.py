"""The entity model pass of the open archive, run by the app in a process of its own.

The pass is CPU-bound for minutes (a language model per article): in a thread of the app it would
hold the interpreter's lock and slow typing; as ``archivist entities --run-models`` it runs at a
lower priority and the app only reads its progress from the index now and then.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

if TYPE_CHECKING:
    from gui.controller import Controller
    from index import EntityModelStatus
    from index.archive import Archive

log = logging.getLogger(__name__)

POLL_MS = 2000
STOP_WAIT_MS = 3000  # after asking the pass to stop, before killing it
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
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(lambda code, _status, p=process: self._on_finished(p, code))
        process.start(program, arguments)
        self._process = process
        self._done = status.done
        self.progress.emit(status)
        self._timer.start()
        log.info("entity model pass started: %s %s", program, " ".join(arguments))

    def stop(self) -> None:
        """Ask a running pass to stop after its batch (it resumes next time); kill it if it does not."""
        self._timer.stop()
        self._starting = False
        process, self._process = self._process, None
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return
        process.terminate()
        if not process.waitForFinished(STOP_WAIT_MS):
            process.kill()
            process.waitForFinished(STOP_WAIT_MS)

    def _on_status(self, archive: Archive, status: EntityModelStatus) -> None:
        if archive is not self.archive:
            return
        if self._starting:
            self._starting = False
            if not self.running and not status.running and status.done < status.total:
                self._start(archive, status)
                return
        if status.done != self._done:
            self._done = status.done
            self.batch_saved.emit()
        self.progress.emit(status)

    def _on_finished(self, process: QProcess, code: int) -> None:
        output = bytes(process.readAll().data()).decode("utf-8", "replace").strip()
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
