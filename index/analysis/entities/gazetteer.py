"""The shipped data: gazetteers of names and aliases, the rules' word lists, and what they are worth."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.analysis import folding
from index.analysis.entities import tokens
from index.analysis.entities.mentions import PERSON, PLACE, TYPES
from index.analysis.entities.tokens import _is_acronym, _tokens
from index.analysis.folding import fold, name_key
from index.derived import derived
from index.paths import resource_path

_GAZETTEER_FILES = ("aliases.json", "countries.json", "cities.json", "companies.json", "regions.json")
_DATA_FILES = (*_GAZETTEER_FILES, "rules.json", "names.json")
RULES_VERSION = "4"  # bump when the rules change what they extract


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, and each
# process that finds names makes 33,000 entries (59 ms; 19 ms so). Not a named tuple either: the
# name finder reads their fields in its inner loops, at twice the cost of a slot's.
@dataclass(slots=True)
class _Entry:
    type: str
    canonical: str
    exact: tuple[str, ...] | None  # surface tokens required verbatim (acronyms), else None
    # The name's words in lower case (NFC) when it has letters beyond ASCII: a word written with other
    # accents is another word (Vietnamese ``Chủ``, "chair", is not the town ``Chũ``); plain ASCII matches.
    accented: tuple[str, ...] | None
    capital: bool  # whether the surface must start with a capital
    nation: bool  # a country or a nation that fields teams (``England``), not a city or a state
    languages: frozenset[str] | None = None  # found only in articles in these languages (a small town)

    def found_in(self, language: str) -> bool:
        """Whether the name is looked for in an article in ``language``."""
        return self.languages is None or language in self.languages


@dataclass(frozen=True)
class _Data:
    gazetteer: dict[tuple[str, ...], _Entry]
    gazetteer_lengths: dict[str, tuple[int, ...]]
    first_words: frozenset[str]  # of the titles, of the names written without a capital, and descriptors
    pairs: frozenset[tuple[str, ...]]  # first two words of the multiword names: a quick rejection
    uncapitalised: frozenset[str]  # first words of the names written without a capital (``mer Caspienne``)
    titles: frozenset[tuple[str, ...]]
    title_lengths: dict[str, tuple[int, ...]]
    org_heads: frozenset[str]
    stopwords: frozenset[str]
    complement_openers: frozenset[str]  # ``of the`` in ``Ministry of the Interior``
    conjunctions: frozenset[str]  # ``and`` in ``State Oil and Industry University``
    given_names: frozenset[str]
    name_particles: frozenset[str]  # ``van``, ``von der``, ``De``: between a given name and a surname
    corporate_suffixes: frozenset[str]  # ``Corp``, ``Ltd``: the words before one are the company's short name
    descriptors_before: frozenset[str]  # ``side`` Rosenborg: lower-case words that introduce an organisation
    descriptors_after: frozenset[str]  # Interfax ``news agency``: lower-case words that follow one
    descriptors: frozenset[str]  # both
    table_words: frozenset[str]  # ``Total``, ``Table``: words that open lines of numbers without naming a team
    club_prefixes: frozenset[str]  # ``Real`` Madrid, ``AC`` Milan: a place after one names a sports club
    not_organisations: frozenset[str]  # capitalised abbreviations that name no organisation: GMT, CEO, GDP
    common_words: frozenset[str]  # English words written lower case: a run holding one is no personal name
    vn_surnames: frozenset[str]
    vn_syllables: frozenset[str]
    cyrillic_stems: dict[str, _Entry]  # a one-word Cyrillic name without its nominative ending → the name
    people_by_sound: dict[tuple[str, ...], _Entry]  # a known person's name as sound_key gives it, word by word


def _index(phrases: dict[tuple[str, ...], Any]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for key in phrases:
        lengths.setdefault(key[0], set()).add(len(key))
    return {first: tuple(sorted(values, reverse=True)) for first, values in lengths.items()}


_ENTRY_TABLES = ("gazetteer", "people_by_sound", "cyrillic_stems")
_ENTRY_FIELDS = tuple(field.name for field in fields(_Entry))


@lru_cache(maxsize=1)
def _data() -> _Data:
    """The rules' data, built from the shipped files once (0.5 s), then read from the user's cache
    (60 ms) by every process that extracts entities: each indexing worker, each corrected article's."""
    sources = [resource_path("entities", name) for name in _DATA_FILES]
    code = [Path(__file__), Path(folding.__file__), Path(tokens.__file__)]
    flat = derived("entity-data", [*sources, *code], lambda: _flattened(_built_data()))
    try:
        fields_ = dict(flat)
        for name in _ENTRY_TABLES:
            if {len(entry) for entry in flat[name].values()} - {len(_ENTRY_FIELDS)}:
                raise ValueError(f"entries of another layout in {name}")  # a default would fill one in
            fields_[name] = {key: _Entry(*entry) for key, entry in flat[name].items()}
        return _Data(**fields_)
    except (TypeError, KeyError, ValueError):  # a cache of another layout: built again
        return _built_data()


def _flattened(data: _Data) -> dict[str, Any]:
    """``data`` as values marshal can write: entries as tuples."""
    flat = {field.name: getattr(data, field.name) for field in fields(data)}
    for name in _ENTRY_TABLES:
        flat[name] = {key: tuple(getattr(entry, field) for field in _ENTRY_FIELDS) for key, entry in flat[name].items()}
    return flat


def _built_data() -> _Data:
    rules = json.loads(resource_path("entities", "rules.json").read_text("utf-8"))
    names = json.loads(resource_path("entities", "names.json").read_text("utf-8"))
    # Tokens are matched by their fold, so the cue lists are folded too (``assemblée`` → ``assemblee``);
    # an elided article (``L'Agence``) is a stopword like the article it shortens.
    elided = {f"{article}'" for article in ("l", "d", "qu", "j", "m", "n", "s", "t", "c")}
    stopwords = frozenset(map(fold, rules["stopwords"])) | elided
    descriptors_before = frozenset(rules["organisation_descriptors_before"])
    descriptors_after = frozenset(rules["organisation_descriptors_after"])
    tables = {name: json.loads(resource_path("entities", name).read_text("utf-8")) for name in _GAZETTEER_FILES}
    nations = {*tables["countries.json"]["PLACE"], *rules["nations"]}
    gazetteer: dict[tuple[str, ...], _Entry] = {}
    for table in tables.values():
        for type_ in TYPES:
            for canonical, aliases in table.get(type_, {}).items():
                for alias in (canonical, *aliases):
                    tokens = _tokens(alias)
                    key = tuple(t.fold for t in tokens)
                    exact = tuple(t.text for t in tokens) if _is_acronym(alias) else None
                    if not key or key in gazetteer or (exact is None and len(key) == 1 and key[0] in stopwords):
                        continue
                    accented = None if alias.isascii() else tuple(accents_of(t.text) for t in tokens)
                    capital, nation = alias[:1].isupper(), canonical in nations
                    gazetteer[key] = _Entry(type_, canonical, exact, accented, capital, nation)
    for language, towns in tables["cities.json"].get("PLACE_BY_LANGUAGE", {}).items():
        for canonical, aliases in towns.items():
            for alias in (canonical, *aliases):
                key = tuple(t.fold for t in _tokens(alias))
                known = gazetteer.get(key)
                everywhere = known is not None and known.languages is None
                if everywhere or not key or (len(key) == 1 and key[0] in stopwords):
                    continue  # a name known everywhere wins over a town's
                languages = frozenset({language}) | (known.languages or frozenset() if known else frozenset())
                accented = None if alias.isascii() else tuple(accents_of(t.text) for t in _tokens(alias))
                gazetteer[key] = _Entry(
                    PLACE, known.canonical if known else canonical, None, accented, True, False, languages
                )
    titles = {tuple(t.fold for t in _tokens(title)): True for title in rules["titles"]}
    return _Data(
        gazetteer=gazetteer,
        gazetteer_lengths=_index(gazetteer),
        pairs=frozenset(key[:2] for key in gazetteer if len(key) > 1),
        # A name whose first word is not "capitalised" as tokens say it (``Mát-xcơ-va``, Moscow) is
        # looked up like a cue word.
        first_words=frozenset(key[0] for key in (*titles, *(k for k, e in gazetteer.items() if not e.capital)))
        | {key[0] for key, entry in gazetteer.items() if entry.capital and "-" in key[0]}
        | descriptors_before
        | descriptors_after,
        uncapitalised=frozenset(key[0] for key, entry in gazetteer.items() if not entry.capital),
        titles=frozenset(titles),
        title_lengths=_index(titles),
        org_heads=frozenset(map(fold, rules["org_heads"])),
        stopwords=stopwords,
        complement_openers=frozenset(rules["complement_openers"]),
        conjunctions=frozenset(rules["conjunctions"]),
        # Census first names include "Le", "April" and "Sunday": a cue word is never taken for a name.
        given_names=(frozenset(rules["given_names"]) | frozenset(names["given_names"])) - stopwords,
        common_words=frozenset(names["common_words"]),
        club_prefixes=frozenset(rules["club_prefixes"]),
        table_words=frozenset(rules["table_words"]),
        descriptors_before=descriptors_before,
        descriptors_after=descriptors_after,
        descriptors=descriptors_before | descriptors_after,
        corporate_suffixes=frozenset(rules["corporate_suffixes"]),
        name_particles=frozenset(rules["name_particles"]),
        not_organisations=frozenset(rules["not_organisations"]),
        vn_surnames=frozenset(rules["vietnamese_surnames"]),
        vn_syllables=frozenset(rules["vietnamese_syllables"]),
        people_by_sound={
            tuple(sound_key(t.text) for t in _tokens(entry.canonical)): entry
            for entry in gazetteer.values()
            if entry.type == PERSON and " " in entry.canonical
        },
        cyrillic_stems={
            cyrillic_stem(key[0]): entry
            for key, entry in gazetteer.items()
            if len(key) == 1 and _CYRILLIC.match(key[0]) and len(cyrillic_stem(key[0])) >= MIN_CYRILLIC_STEM
        },
    )


# Russian, Ukrainian and Belarusian decline names: ``в Азербайджане``, ``России``, ``Москвы``. A
# one-word name is found under any of these endings in place of its nominative one.
CYRILLIC_ENDINGS = (
    "",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "и",
    "і",
    "ы",
    "ой",
    "ей",
    "ом",
    "ем",
    "ою",
    "ею",
    "ах",
    "ях",
    "ам",
    "ям",
)
MIN_CYRILLIC_STEM = 4
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+$")


# Russian and Ukrainian letters as English-language news writes them (BGN/PCGN, simplified).
_CYRILLIC_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ye",
        "ё": "yo",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "і": "i",
        "ї": "yi",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ʼ": "",
        "'": "",
    }
)


def sound_key(word: str) -> str:
    """A word of a name reduced to how it sounds in Latin letters, so that spellings in Cyrillic and
    in the English press meet: ``Ильхам`` and ``Ilham`` → ``ilham``, ``Алиев`` and ``Aliyev`` → ``aliev``."""
    latin = name_key(fold(word).translate(_CYRILLIC_LATIN))
    latin = latin.replace("kh", "h").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", latin)


def accents_of(word: str) -> str:
    """A word as its accents distinguish it: lower case, composed (NFC)."""
    return unicodedata.normalize("NFC", word.lower())


def cyrillic_stem(name: str) -> str:
    """A folded one-word Cyrillic name without its nominative ending (``россия`` → ``росси``)."""
    return name[:-1] if name[-1:] in ("а", "я", "ь", "и", "о", "е") else name


def canonical_name(name: str, type_: str | None = None) -> str | None:
    """The canonical name a user-typed name stands for, as the extractor would give it (``Hanoï`` → ``Hanoi``).

    Args:
        name: a name as typed, in any case, with or without accents.
        type_: PERSON, ORG or PLACE to accept only that type; None for any.

    Returns:
        The canonical name, or None when the name is not in the shipped alias data.
    """
    entry = _data().gazetteer.get(tuple(t.fold for t in _tokens(name.strip())))
    return entry.canonical if entry is not None and type_ in (None, entry.type) else None


def known_name(name: str, type_: str) -> str | None:
    """The canonical name the shipped data gives a name of this type, written in any case or script:
    its aliases (``Hanoï`` → ``Hanoi``), and people by how their name sounds (``Ильхам Алиев`` →
    ``Ilham Aliyev``); None when it does not know the name as that type."""
    data = _data()
    tokens = _tokens(name.strip())
    entry = data.gazetteer.get(tuple(t.fold for t in tokens))
    if entry is None and type_ == PERSON:
        entry = data.people_by_sound.get(tuple(sound_key(t.text) for t in tokens))
    return entry.canonical if entry is not None and entry.type == type_ else None


@lru_cache(maxsize=1)
def _alias_table() -> dict[tuple[str, str], tuple[str, ...]]:
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    for name in _GAZETTEER_FILES:
        data = json.loads(resource_path("entities", name).read_text("utf-8"))
        for type_ in TYPES:
            for canonical, names in data.get(type_, {}).items():
                known = table.get((type_, canonical), ())
                table[type_, canonical] = known + tuple(n for n in names if n not in known)
    return table


def aliases(canonical: str, type_: str) -> tuple[str, ...]:
    """The other names the shipped alias data knows for an entity (``Hanoi`` -> ``Hanoï``, ...)."""
    return _alias_table().get((type_, canonical), ())


@lru_cache(maxsize=1)
def _one_word_names() -> dict[str, tuple[str, str]]:
    sources = [resource_path("entities", name) for name in _GAZETTEER_FILES]
    return derived("one-word-names", [*sources, Path(__file__), Path(folding.__file__)], _fold_one_word_names)


def _fold_one_word_names() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for (type_, canonical), names in _alias_table().items():
        for name in (canonical, *names):
            if name.strip() and " " not in name.strip():
                table.setdefault(name_key(name.strip()), (type_, canonical))
    return table


def is_function_word(word: str) -> bool:
    """Whether a word is an article, pronoun, preposition or the like in a language of the rules
    (``the``, ``which``, ``les``, ``und``), by its fold."""
    return fold(word) in _data().stopwords


def one_word_entity(word: str) -> tuple[str, str] | None:
    """The (type, canonical name) of the entity a one-word name stands for in the shipped alias data,
    if any: ``Azerbaïdjan`` -> ``("PLACE", "Azerbaijan")``. Reads only the alias files (a query's words
    are looked up with it, and loading the extractor's whole data would slow the first search)."""
    return _one_word_names().get(name_key(word.strip()))


@lru_cache(maxsize=1)
def version() -> str:
    """What an index built with this extractor depends on: re-extract when it changes.

    Returns:
        The rules version and a digest of the shipped data files, e.g. ``"1-3f2a9c01b2"``.
    """
    files = [resource_path("entities", name) for name in _DATA_FILES]
    return f"{RULES_VERSION}-{derived('entity-data-digest', files, lambda: _digest(files))}"


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha1()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
