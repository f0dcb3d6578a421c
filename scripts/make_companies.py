"""Write resources/entities/companies.json: listed companies as ORG names.

Source: the pytickersymbols package (MIT): the members of about twenty stock indices (S&P 500,
NASDAQ 100, FTSE 100, DAX, CAC 40, EURO STOXX 50, NIKKEI 225...), some 1,800 companies. Each is
named without its legal form ("Tesla, Inc." is Tesla, the full name an alias). A one-word name that
is also a common English word or a given name ("Target", "Lindsay") is left out: capitalised at the
start of a sentence it would be a false company far more often than a true one. Earlier data files
(aliases, countries, cities) win on a clash.

Run (needs ``pip install pytickersymbols``, and names.json from scripts/make_names.py):
python scripts/make_companies.py
"""

from __future__ import annotations

import re
from importlib.metadata import version

from entity_data import read, write
from pytickersymbols import PyTickerSymbols

_LEGAL_FORM = re.compile(
    r",?\s+(?:Inc\.?|Incorporated|Corporation|Corp\.?|Co\.|Company|plc|PLC|AG|SE|N\.V\.|NV|S\.A\.|SA|S\.p\.A\.|SpA"
    r"|Ltd\.?|Limited|A/S|ASA|AB|Oyj|KGaA|& Co\.)$"
)
_GROUP_WORD = re.compile(r"\s+(?:Group|Holdings?|International)$")


def _without(pattern: re.Pattern[str], name: str) -> str:
    while (shorter := pattern.sub("", name)) != name:
        name = shorter
    return name


def main() -> None:
    """Write the file."""
    names = read("names.json")
    other_meanings = {*names["given_names"], *names["common_words"]}
    companies: dict[str, list[str]] = {}
    for full in sorted({stock["name"].strip() for stock in PyTickerSymbols().get_all_stocks()}):
        canonical = _without(_LEGAL_FORM, full)
        if len(canonical) < 2 or (" " not in canonical and canonical.lower() in other_meanings):
            continue
        aliases = companies.setdefault(canonical, [])
        short = _GROUP_WORD.sub("", canonical)  # once: American International Group is not "American"
        for alias in (full, short):
            if alias != canonical and alias not in aliases and (" " in alias or alias.lower() not in other_meanings):
                aliases.append(alias)
    data = {
        "_source": f"Members of stock indices from pytickersymbols {version('pytickersymbols')} (MIT), named without "
        "their legal form; written by scripts/make_companies.py.",
        "ORG": companies,
    }
    target = write("companies.json", data)
    print(f"{len(companies)} companies written to {target}")


if __name__ == "__main__":
    main()
