"""Turn text into index terms: tokenise, fold case and accents, stem in the text's language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache, partial
from itertools import compress

import Stemmer

from index.analysis.folding import fold
from index.analysis.remembered import Remembered

# Chinese and Japanese are written without spaces: a run of their characters is a sentence, not a
# word. Each ideograph or kana is a token of its own, and a query word in them a phrase of its
# characters (schema.py), so any word is found inside the text, as a substring is.
_UNSPACED = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
TOKEN = re.compile(f"[{_UNSPACED}]|[^\\W{_UNSPACED}]+")
_UNSPACED_CHARACTER = re.compile(f"[{_UNSPACED}]")
_SPACED_TOKEN = re.compile(r"\w+")  # TOKEN for text without those characters: 30 % faster
_SURROGATE = re.compile("[\ud800-\udfff]")
KNOWN_TERMS_PER_LANGUAGE = 200_000  # words remembered with their term, per language
_STEMMER_LANGUAGES = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}


@lru_cache(maxsize=64)
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    name = _STEMMER_LANGUAGES.get(language)
    return Stemmer.Stemmer(name) if name else None


def has_stemmer(language: str) -> bool:
    """Whether words of ``language`` are stemmed (otherwise only folded)."""
    return language in _STEMMER_LANGUAGES


def terms(text: str, language: str) -> list[str]:
    """The index terms of ``text`` in order, one per token.

    Args:
        text: any text.
        language: ISO 639-1 code choosing the stemmer; unknown languages are only folded.

    Returns:
        Folded, stemmed terms; a term's index in the list is its token position.
    """
    return _terms_of(_words(text), language)


def _words(text: str) -> list[str]:
    """The tokens of ``text``, as ``TOKEN`` finds them."""
    if text.isascii() or _UNSPACED_CHARACTER.search(text) is None:
        return _SPACED_TOKEN.findall(text)
    return TOKEN.findall(text)


def _terms_of(words: list[str], language: str) -> list[str]:
    # Each word is folded and stemmed once, then looked up: a dict access per token instead of a
    # cached call and a stemmer call (indexing analyses every token).
    return _remembered_terms(language).values(words)


def _distinct_words(text: str) -> set[str]:
    """The distinct tokens of ``text``, as ``TOKEN`` finds them.

    Scanning a text for ``\\w+`` costs about 25 ns a character once it is not all ASCII; splitting
    it at spaces costs a sixth of that, and most of what lies between spaces is a word already.
    """
    if not text.isascii() and _UNSPACED_CHARACTER.search(text) is not None:
        return set(TOKEN.findall(text))
    chunks = set(text.split())
    words = set(filter(str.isalnum, chunks))  # \w is a letter, a digit or "_": whitespace never is
    words.update(_SPACED_TOKEN.findall(" ".join(chunks - words)))
    return words


def _remembered_terms(language: str) -> Remembered[str, str]:
    """The language's words with their terms."""
    remembered = _known_terms.get(language)
    if remembered is None:
        remembered = _known_terms[language] = Remembered(KNOWN_TERMS_PER_LANGUAGE, partial(_stemmed, language=language))
    return remembered


def _stemmed(words: list[str], language: str) -> list[str]:
    """Each word stemmed as written (in lower case), then folded: stemmers know their language's
    letters (a Russian ``-ный`` is an ending, ``-ныи``, as folding spells it, is not; French ``-é``
    likewise), so folding first made ``Навальный`` and ``Навального`` two different terms."""
    stemmer = _stemmer(language)
    if stemmer is None:
        return [fold(word) for word in words]
    return [fold(stem) for stem in stemmer.stemWords([word.lower() for word in words])]


_known_terms: dict[str, Remembered[str, str]] = {}


def term_variants(word: str, languages: Iterable[str]) -> list[str]:
    """Every term ``word`` may have been indexed as, given the languages in the index.

    Args:
        word: a query word.
        languages: languages present in the index.

    Returns:
        The distinct terms, the folded unstemmed form first.
    """
    folded = fold(word)
    variants = [folded]
    if not folded.isascii() and _SURROGATE.search(folded):
        # A lone surrogate (a command-line byte that was not UTF-8) is in no indexed term, and the
        # stemmers, which take UTF-8, would raise on it.
        return variants
    for language in languages:
        if has_stemmer(language):
            stem = _stemmed([word], language)[0]
            if stem not in variants:
                variants.append(stem)
    return variants


def count_unspaced(text: str) -> int:
    """How many characters of ``text`` are of a script written without spaces."""
    return 0 if text.isascii() else len(text) - len(_UNSPACED_CHARACTER.sub("", text))


def is_unspaced(text: str) -> bool:
    """Whether ``text`` holds a character of a script written without spaces (each one a token)."""
    return _UNSPACED_CHARACTER.search(text) is not None


def term_spans(text: str, language: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Character ranges of the tokens of ``text`` whose term is in ``wanted``."""
    return _merged(_occurrences(text, _wanted_words(text, language, wanted)))


class TermSpans:
    """:func:`term_spans` of one set of terms in many texts: a page of results' snippets.

    The index says how many of a text's tokens have a wanted term (the terms' frequencies in its
    postings). The words found in the texts before are looked for first: when that many of their
    tokens are found, the text's other words need not be looked at. Finding a text's distinct
    words cost 80-130 µs of a snippet's 140; looking for a few words costs a few µs.
    """

    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self._found: dict[str, None] = {}  # the words found so far, in the order found

    def __call__(self, text: str, language: str, tokens: int | None = None) -> list[tuple[int, int]]:
        """The spans of ``text``'s tokens whose term is wanted, given how many there are, when known.

        ``tokens`` must count the tokens of ``text`` as ``terms(text, language)`` makes them: with
        too few, some spans are missed (none at all for 0); with too many, the spans cost what
        :func:`term_spans` costs.
        """
        if tokens == 0 or not self.wanted:
            return []
        if tokens is not None and self._found:
            found = list(self._found)
            likely = list(compress(found, map(self.wanted.__contains__, _remembered_terms(language).values(found))))
            spans = _occurrences(text, likely)
            if len(spans) == tokens:  # each span one token with a wanted term: there are no others
                return _merged(spans)
        words = _wanted_words(text, language, self.wanted)
        self._found.update(dict.fromkeys(words))
        return _merged(_occurrences(text, words))


def _wanted_words(text: str, language: str, wanted: set[str]) -> list[str]:
    """The distinct words of ``text`` whose term is in ``wanted``."""
    # Each distinct word is looked up once, and only the words found are searched for again: a
    # result page's snippets do not pay a Python step per token of twenty whole articles.
    if len(text) <= VOCABULARY_KEPT_CHARS:
        words, terms_ = _vocabularies.values([(text, language)])[0]
    else:
        words, terms_ = _vocabulary(text, language)
    return list(compress(words, map(wanted.__contains__, terms_)))


def _occurrences(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where each of ``words`` (distinct) is a token of ``text``: one range per token, sorted."""
    spans = []
    for word in words:
        spaced = _UNSPACED_CHARACTER.fullmatch(word) is None  # an ideograph or kana is a token wherever it is
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if not spaced or not (_continues_word(text, start - 1) or _continues_word(text, end)):
                spans.append((start, end))
            start = text.find(word, end)
    spans.sort()
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and merged[-1][1] == start:  # characters of one Chinese or Japanese word: one hit
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _vocabulary(text: str, language: str) -> tuple[list[str], list[str]]:
    """The distinct words of ``text``, and their terms."""
    words = list(_distinct_words(text))
    return words, _remembered_terms(language).values(words)


# The vocabularies of the texts last highlighted: a page of results shown again with a filter, a
# date range or the next word of the query highlights many of the same articles, and finding an
# article's words took 80 µs of the 110 its snippet cost. Only texts of a few pages are kept (a
# long one is costly to keep, and rarely shown again).
VOCABULARY_KEPT_CHARS = 20_000
_vocabularies: Remembered[tuple[str, str], tuple[list[str], list[str]]] = Remembered(
    200, lambda keys: [_vocabulary(text, language) for text, language in keys]
)


def _continues_word(text: str, index: int) -> bool:
    """Whether ``text[index]`` exists and would be part of a spaced word's ``TOKEN`` beside it."""
    if index < 0 or index >= len(text):
        return False
    character = text[index]
    return (character.isalnum() or character == "_") and _UNSPACED_CHARACTER.match(character) is None
