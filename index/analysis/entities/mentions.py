"""The entity types and a mention: what the extractor finds and corrections change."""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "PERSON"
ORG = "ORG"
PLACE = "PLACE"
TYPES = (PERSON, ORG, PLACE)


@dataclass(frozen=True)
class Mention:
    """One mention of an entity: ``text[start:end]`` is the surface form."""

    start: int
    end: int
    type: str
    canonical: str
