"""What the scripts writing resources/entities/ share: where the files are and the names they hold."""

from __future__ import annotations

import json
from pathlib import Path

ENTITIES = Path(__file__).resolve().parent.parent / "resources" / "entities"
# The countries whose towns and regions each language's press names (a country with two languages in both).
TOWN_COUNTRIES = {
    "de": ("DE", "AT", "CH", "LI", "LU"),
    "fr": ("FR", "BE", "CH", "LU", "MC"),
    "vi": ("VN",),
    "az": ("AZ",),
}


def known_names(*files: str) -> dict[str, str]:
    """Every name (canonical and alias, of any type, towns by language too) in the given data files of
    resources/entities/, with its canonical name; the first file holding a name wins."""
    known: dict[str, str] = {}
    for name in files:
        table = read(name)
        by_language = table.get("PLACE_BY_LANGUAGE", {}).values()
        for entries in (*(table.get(t, {}) for t in ("PERSON", "ORG", "PLACE")), *by_language):
            for canonical, aliases in entries.items():
                for spelling in (canonical, *aliases):
                    known.setdefault(spelling, canonical)
    return known


def write(name: str, data: dict[str, object]) -> Path:
    """Write a data file of resources/entities/ as the gazetteer reads it; returns its path."""
    target = ENTITIES / name
    target.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    return target


def read(name: str) -> dict:
    """A data file of resources/entities/."""
    return json.loads((ENTITIES / name).read_text("utf-8"))
