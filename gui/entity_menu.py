"""The entity actions offered on an entity facet value or on a name in the reader, as one menu section."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QMenu

from .formatting import literal_rich_text, menu_text
from .search_session import ENTITY_TYPE_FACET, ENTITY_WORDS

# Correction actions: key, menu text. The keys are what EntityEditor understands.
ENTITY_ACTIONS: tuple[tuple[str, str], ...] = (
    ("rename", "Rename…"), ("merge", "Merge into…"), ("retype", "Change type…"), ("delete", "Delete (not a name)"),
)


def type_word(type_: str) -> str:
    """ "PERSON" -> "person", "ORG" -> "organisation", "PLACE" -> "place"."""
    return ENTITY_WORDS[ENTITY_TYPE_FACET[type_]][0]


def entity_tooltip(type_: str, canonical: str) -> str:
    """What hovering a name shows: "To Lam — person" (names come from articles: always literal)."""
    return literal_rich_text(entity_label(type_, canonical))


def entity_label(type_: str, canonical: str) -> str:
    """An entity in plain words: "To Lam — person"."""
    return f"{canonical} — {type_word(type_)}"


def add_entity_actions(
    menu: QMenu, type_: str, canonical: str, include: Callable[[], None], exclude: Callable[[], None],
    act: Callable[[str], None],
) -> None:
    """Fill ``menu`` with filter actions and an "Entities" section for one entity.

    Args:
        menu: the menu to fill.
        type_: PERSON, ORG or PLACE.
        canonical: the entity's canonical name.
        include: called for "Only articles naming …".
        exclude: called for "Exclude …".
        act: called with an ENTITY_ACTIONS key for the correction actions.
    """
    menu.addAction(menu_text(f"Only articles naming {canonical}"), include)
    menu.addAction(menu_text(f"Exclude {canonical}"), exclude)
    menu.addSection(menu_text(f"Entity: {entity_label(type_, canonical)}"))
    for key, text in ENTITY_ACTIONS:
        menu.addAction(text, partial(act, key))
