"""Find the people, organisations and places an article names, with offsets and canonical names.

The parts: ``mentions`` (types, Mention), ``tokens`` (how text is cut and keyed), ``gazetteer`` (the
shipped names and rules' data), ``extractor`` (the rules), ``corrections`` (the user's changes).
"""

from index.analysis.entities.corrections import EntityCorrections
from index.analysis.entities.extractor import RULE_LANGUAGES, RULES_VERSION, entities, extract, version
from index.analysis.entities.gazetteer import aliases, canonical_name, is_function_word, one_word_entity
from index.analysis.entities.mentions import ORG, PERSON, PLACE, TYPES, Mention

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
