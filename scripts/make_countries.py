"""Add to resources/entities/countries.json the country names of more languages, from the Unicode CLDR.

The file's names in en/fr/de/es/it/pt/nl and its hand-written variants stay; each country gains its
CLDR name in the languages of EXTRA_LOCALES (Cyrillic, Vietnamese, Azerbaijani and Turkish news
names countries so), so that ``Азербайджан``, ``Azərbaycan`` and ``Azerbaijan`` are one place.
Left out: names shorter than MIN_LETTERS (Vietnamese ``Nga``, ``Anh``, ``Mỹ`` are also everyday
words and given names), and a name another country already has.

Run (babel is installed with Archivist, through courlan): python scripts/make_countries.py
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "entities" / "countries.json"
EXTRA_LOCALES = ("ru", "uk", "vi", "az", "tr")
MIN_LETTERS = 5


def main() -> None:
    """Rewrite the file with the extra names."""
    data = json.loads(TARGET.read_text("utf-8"))
    places: dict[str, list[str]] = data["PLACE"]
    english = {name: code for code, name in Locale("en").territories.items()}
    taken = {name.casefold(): canonical for canonical, names in places.items() for name in [canonical, *names]}
    added = 0
    for canonical, names in places.items():
        code = next((english[name] for name in [canonical, *names] if name in english), None)
        if code is None:
            continue
        for locale in EXTRA_LOCALES:
            name = Locale(locale).territories.get(code)
            if not name or sum(map(str.isalpha, name)) < MIN_LETTERS or name.casefold() in taken:
                continue
            names.append(name)
            taken[name.casefold()] = canonical
            added += 1
    data["_source"] = (
        "Country names in en/fr/de/es/it/pt/nl from the Unicode CLDR (via babel 2.18), with common variants; "
        f"names in {'/'.join(EXTRA_LOCALES)} added from the CLDR via babel {version('babel')} by "
        "scripts/make_countries.py."
    )
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"{added} names added to {TARGET}")


if __name__ == "__main__":
    main()
