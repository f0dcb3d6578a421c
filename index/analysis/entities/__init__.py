"""Find the people, organisations and places an article names, with offsets and canonical names.

The parts: ``mentions`` (types, Mention), ``tokens`` (how text is cut and keyed), ``gazetteer`` (the
shipped names and rules' data), ``extractor`` (the rules), ``corrections`` (the user's changes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.analysis.entities.mentions import ORG, PERSON, PLACE, TYPES, Mention
from index.lazy import loaded_when_used

_LOADED_WHEN_USED = {
    "index.analysis.entities.corrections": ("EntityCorrections",),
    "index.analysis.entities.extractor": ("RULE_LANGUAGES", "entities", "extract"),
    "index.analysis.entities.gazetteer": (
        "RULES_VERSION",
        "aliases",
        "canonical_name",
        "is_function_word",
        "one_word_entity",
        "version",
    ),
}

if TYPE_CHECKING:
    from index.analysis.entities.corrections import EntityCorrections
    from index.analysis.entities.extractor import RULE_LANGUAGES, entities, extract
    from index.analysis.entities.gazetteer import (
        RULES_VERSION,
        aliases,
        canonical_name,
        is_function_word,
        one_word_entity,
        version,
    )
else:  # for mypy the names above are imported; a misspelt one stays an error
    __getattr__, __dir__ = loaded_when_used("index.analysis.entities", globals(), _LOADED_WHEN_USED)

__all__ = [
    "ORG",
    "PERSON",
    "PLACE",
    "RULES_VERSION",
    "RULE_LANGUAGES",
    "TYPES",
    "EntityCorrections",
    "Mention",
    "aliases",
    "canonical_name",
    "entities",
    "extract",
    "is_function_word",
    "one_word_entity",
    "version",
]
