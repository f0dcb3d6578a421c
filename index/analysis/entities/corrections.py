"""The user's archive-wide corrections of extracted entities."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

from index.analysis.entities.mentions import TYPES, Mention
from index.analysis.folding import fold


@lru_cache(maxsize=64)
def _surface_pattern(surfaces: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def _check_type(type_: str) -> None:
    if type_ not in TYPES:
        raise ValueError(f"entity type must be one of {', '.join(TYPES)}, not {type_!r}")


@dataclass(frozen=True)
class EntityCorrections:
    """A user's archive-wide corrections of the extracted entities; immutable, each edit returns a new value.

    Applied after extraction, in this order: added surface forms (they win over overlapping mentions),
    split aliases, renames and merges (followed through chains), retypes, deletions. Each step is keyed
    by the entity as the previous steps leave it, i.e. as the user sees it.
    """

    added: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface → (type, canonical)
    split: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded surface → (type, canonical)
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, canonical) → canonical
    retyped: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, canonical) → type
    deleted: frozenset[tuple[str, str]] = frozenset()  # (type, canonical)

    def add(self, surface: str, type_: str, canonical: str) -> EntityCorrections:
        """Make every occurrence of ``surface`` (exact, whole words) a mention of an entity.

        Args:
            surface: the text to find, e.g. ``"Vietsovpetro"``.
            type_: PERSON, ORG or PLACE.
            canonical: the entity it names.

        Returns:
            The corrections with this one added.
        """
        _check_type(type_)
        return replace(self, added={**self.added, surface.strip(): (type_, canonical)})

    def split_alias(self, surface: str, type_: str, canonical: str) -> EntityCorrections:
        """Make a surface form that was taken for one entity name another (``"Trend"`` is not the agency).

        Args:
            surface: the surface form, matched with accents and case folded.
            type_: the type of the entity it names instead.
            canonical: the entity it names instead.

        Returns:
            The corrections with this one added.
        """
        _check_type(type_)
        return replace(self, split={**self.split, fold(surface.strip()): (type_, canonical)})

    def rename(self, type_: str, canonical: str, new_canonical: str) -> EntityCorrections:
        """Give an entity another canonical name; renaming onto an existing entity merges the two.

        Args:
            type_: the entity's type.
            canonical: its current canonical name.
            new_canonical: the name it gets.

        Returns:
            The corrections with this one added.
        """
        _check_type(type_)
        return replace(self, renamed={**self.renamed, (type_, canonical): new_canonical})

    def merge(self, type_: str, source: str, target: str) -> EntityCorrections:
        """Fold entity ``source`` into entity ``target`` of the same type.

        Args:
            type_: the type of both.
            source: the canonical name that goes away.
            target: the canonical name that stays.

        Returns:
            The corrections with this one added.
        """
        return self.rename(type_, source, target)

    def retype(self, type_: str, canonical: str, new_type: str) -> EntityCorrections:
        """Change an entity's type.

        Args:
            type_: its current type.
            canonical: its canonical name.
            new_type: PERSON, ORG or PLACE.

        Returns:
            The corrections with this one added.
        """
        _check_type(type_)
        _check_type(new_type)
        return replace(self, retyped={**self.retyped, (type_, canonical): new_type})

    def delete(self, type_: str, canonical: str) -> EntityCorrections:
        """Drop an entity: its mentions are no longer reported.

        Args:
            type_: its type.
            canonical: its canonical name.

        Returns:
            The corrections with this one added.
        """
        _check_type(type_)
        return replace(self, deleted=self.deleted | {(type_, canonical)})

    def apply(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Correct the mentions ``extract`` found in ``text``.

        Args:
            text: the text the mentions point into.
            mentions: the extracted mentions.

        Returns:
            The corrected mentions, sorted by start and non-overlapping.
        """
        if not (self.added or self.split or self.renamed or self.retyped or self.deleted):
            return sorted(mentions, key=lambda m: m.start)
        result = list(mentions)
        # A blank surface (``add(" ", ...)``, or one in a hand-edited file) would match the empty string
        # between every two non-word characters, and each empty match would drop the mention around it.
        surfaces = tuple(surface for surface in self.added if surface)
        if surfaces:
            found = [
                Mention(m.start(), m.end(), *self.added[m.group()]) for m in _surface_pattern(surfaces).finditer(text)
            ]
            # The added mentions are sorted and disjoint, so the last one starting before a mention's end is
            # the only one that may overlap it (testing them all made a long text quadratic).
            starts = [added.start for added in found]
            result = found + [m for m in result if (k := bisect_left(starts, m.end) - 1) < 0 or found[k].end <= m.start]
        corrected = []
        for mention in result:
            surface = fold(text[mention.start : mention.end])
            entity = self.corrected(*self.split.get(surface, (mention.type, mention.canonical)))
            if entity is not None:
                corrected.append(Mention(mention.start, mention.end, *entity))
        return sorted(corrected, key=lambda m: m.start)

    def corrected(self, type_: str, canonical: str) -> tuple[str, str] | None:
        """The entity ``(type_, canonical)`` is after renames and merges (followed through chains) and
        retypes, or None when it was deleted."""
        for _ in range(len(self.renamed)):
            if (type_, canonical) not in self.renamed:
                break
            canonical = self.renamed[type_, canonical]
        type_ = self.retyped.get((type_, canonical), type_)
        return None if (type_, canonical) in self.deleted else (type_, canonical)

    def to_dict(self) -> dict[str, list[list[str]]]:
        """The corrections as JSON-ready lists.

        Returns:
            ``{"added": [[surface, type, canonical]], "split": [...], "renamed": [[type, canonical, new]],
            "retyped": [[type, canonical, new_type]], "deleted": [[type, canonical]]}``.
        """
        return {
            "added": [[s, t, c] for s, (t, c) in self.added.items()],
            "split": [[s, t, c] for s, (t, c) in self.split.items()],
            "renamed": [[t, c, n] for (t, c), n in self.renamed.items()],
            "retyped": [[t, c, n] for (t, c), n in self.retyped.items()],
            "deleted": sorted([t, c] for t, c in self.deleted),
        }

    @classmethod
    def from_dict(cls, data: dict[str, list[list[str]]]) -> EntityCorrections:
        """Rebuild corrections saved with ``to_dict``.

        Args:
            data: what ``to_dict`` returned (missing keys are empty).

        Returns:
            The corrections.
        """
        corrections = cls()
        for surface, type_, canonical in data.get("added", []):
            corrections = corrections.add(surface, type_, canonical)
        for surface, type_, canonical in data.get("split", []):
            corrections = corrections.split_alias(surface, type_, canonical)
        for type_, canonical, new in data.get("renamed", []):
            corrections = corrections.rename(type_, canonical, new)
        for type_, canonical, new in data.get("retyped", []):
            corrections = corrections.retype(type_, canonical, new)
        for type_, canonical in data.get("deleted", []):
            corrections = corrections.delete(type_, canonical)
        return corrections
