"""Asks how to correct one entity (rename, merge, change type, delete) and turns the answer into a change."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from index import EntityCorrections

from .entity_menu import type_word
from .formatting import literal_rich_text

Change = Callable[[EntityCorrections], EntityCorrections]
TYPES: tuple[str, ...] = ("PERSON", "ORG", "PLACE")


def entity_change(action: str, type_: str, canonical: str, answer: str = "") -> Change | None:
    """The correction ``action`` on entity ``canonical`` of ``type_`` with the user's ``answer``.

    Args:
        action: "rename", "merge", "retype" or "delete".
        type_: PERSON, ORG or PLACE.
        canonical: the entity's canonical name.
        answer: the new name, the target's name, or the new type (unused for "delete").

    Returns:
        A function from the current corrections to the new ones, or None when there is nothing to do.
    """
    answer = answer.strip()
    if action == "delete":
        return lambda c: c.delete(type_, canonical)
    if not answer or answer in (canonical, type_):
        return None
    if action == "rename":
        return lambda c: c.rename(type_, canonical, answer)
    if action == "merge":
        return lambda c: c.merge(type_, canonical, answer)
    if action == "retype" and answer in TYPES:
        return lambda c: c.retype(type_, canonical, answer)
    return None


class EntityEditor(QObject):
    """One dialog per action; an accepted answer goes out as ``change_requested``."""

    change_requested = Signal(object, str, str, str)  # Change, description, type, canonical (before)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.dialog: QInputDialog | QMessageBox | None = None

    def start(self, action: str, type_: str, canonical: str, names: Sequence[str] = ()) -> None:
        """Open the dialog for ``action`` on one entity; ``names`` are merge targets to offer."""
        if action == "delete":
            box = QMessageBox(QMessageBox.Icon.Question, "Delete entity",
                              f"“{canonical}” is not a {type_word(type_)}: stop marking it in every article?",
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                              self.parent_widget)
            box.setTextFormat(Qt.TextFormat.PlainText)  # Names come from articles: never markup.
            box.accepted.connect(lambda: self._answer(action, type_, canonical, ""))
            self.dialog = box
            box.open()
            return
        dialog = QInputDialog(self.parent_widget)
        dialog.setWindowTitle({"rename": "Rename entity", "merge": "Merge entity",
                               "retype": "Change entity type"}.get(action, "Entity"))
        if action == "rename":
            dialog.setLabelText(literal_rich_text(f"New name for {canonical} (all its mentions follow):"))
            dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
            dialog.setTextValue(canonical)
        elif action == "merge":
            dialog.setLabelText(literal_rich_text(f"Merge {canonical} into (the {type_word(type_)} to keep):"))
            dialog.setComboBoxItems([name for name in names if name != canonical])
            dialog.setComboBoxEditable(True)
        else:
            dialog.setLabelText(literal_rich_text(f"{canonical} is really a:"))
            dialog.setComboBoxItems([type_word(t) for t in TYPES if t != type_])
        dialog.textValueSelected.connect(lambda text: self._answer(action, type_, canonical, text))
        self.dialog = dialog
        dialog.open()

    def _answer(self, action: str, type_: str, canonical: str, text: str) -> None:
        if action == "retype":
            text = next((t for t in TYPES if type_word(t) == text), text)
        change = entity_change(action, type_, canonical, text)
        if change is not None:
            verb = {"rename": f"Renamed {canonical} to {text}", "merge": f"Merged {canonical} into {text}",
                    "retype": f"{canonical} is now a {type_word(text) if text in TYPES else text}",
                    "delete": f"{canonical} is no longer marked"}[action]
            self.change_requested.emit(change, verb, type_, canonical)
