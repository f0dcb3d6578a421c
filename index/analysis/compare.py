"""Compare two articles: the passages they share in the same words, those that tell the same fact
in other words, those only one has, and the entities both or only one of them name.

Passages are sentences (and lines: a headline, a dateline, a footer). Two sentences are the *same*
when their folded words are at least ``SAME_SCORE`` % alike by edit distance, in their order or
sorted (RapidFuzz's ``ratio`` and ``token_sort_ratio``): small edits, punctuation, accents and word
order do not part them, and a sentence moved elsewhere in the article is still found. Two sentences
are *similar* when they name the same things: the same entities (by their canonical names, so
``Хо Ши Мин`` meets ``Ho Chi Minh``), the same dates (``May 7`` meets ``7 mai``), the same numbers
(years, sums) and the same word stems, each
weighed by how rare it is among the two articles' sentences, so that the country every sentence
names links nothing. An English and a French report of one event share no words, but their
entities and numbers still link their sentences.

A sentence-embedding model finds some paraphrases these features miss and misses others; the one
with its weights in a registry package (WordLlama) was measured on the seeds for 40 MB more and no
clear gain (bench/RESULTS.md). The entities the index already holds carry most of a report's facts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from index.analysis.dates import find_text_dates
from index.analysis.entities import is_function_word
from index.analysis.folding import fold
from index.analysis.terms import terms
from index.models import Article, Comparison, EntityMention, EntityRef, LinkedPassage, PassageKind

SAME_SCORE = 85  # RapidFuzz score (0-100) from which two sentences are the same
SIMILAR_SCORE = 0.25  # weighted overlap of their features from which two sentences tell the same fact
_ENTITY_WEIGHT = 2.0  # a shared name or number says more than a shared word
_MIN_TERM_CHARS = 4  # shorter stems are mostly function words
# A sentence ends at . ! ? … (and closing quotes or brackets) before white space, or at a line break.
_BOUNDARY = re.compile(r"[.!?…。！？]+[\"'»”’)\]]*\s+|\n\s*")
_LAST_WORD = re.compile(r"(\w+)\W*$")
_NUMBER = re.compile(r"\d{2,}")
_WORD = re.compile(r"\w+")
# Words after which a full stop does not end a sentence (besides single letters: initials).
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "rep",
        "sen",
        "gov",
        "no",
        "nr",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "mt",
        "ft",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "m",
        "mme",
        "mm",
        "art",
        "bd",
        "av",
        "ste",
        "str",
        "hr",
        "fr",
        "pr",
        "г",
        "гг",
        "ул",
        "им",
        "тов",
        "проф",
        "акад",
    ]
)


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences and lines of ``text`` as ``[start, end)`` offsets, without surrounding white space;
    a stretch with no letter or digit is not one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        if boundary.group()[0] != "\n" and not _ends_sentence(text, boundary.start(), boundary.end()):
            continue
        end = boundary.start() if boundary.group()[0] == "\n" else boundary.end()
        _add_trimmed(spans, text, start, end)
        start = boundary.end()
    _add_trimmed(spans, text, start, len(text))
    return spans


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    if after < len(text) and text[after].islower():
        return False
    last = _LAST_WORD.search(text, max(0, stop - 24), stop + 1)
    if last is None:
        return True
    word = last.group(1)
    return not ((len(word) == 1 and word.isalpha()) or word.lower() in _ABBREVIATIONS)


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if _WORD.search(text, start, end):
        spans.append((start, end))


@dataclass(frozen=True)
class _Side:
    spans: list[tuple[int, int]]
    normalised: list[str]
    features: list[set[tuple[str, str]]]


def _side(text: str, mentions: Sequence[EntityMention], language: str) -> _Side:
    spans = sentences(text)
    ordered = sorted(mentions, key=lambda m: m.start)
    features = []
    for start, end in spans:
        inside = [m for m in ordered if start <= m.start and m.end <= end]
        named = {("entity", m.canonical) for m in inside}
        # A name's words count as words too: one report's name is another's common noun phrase
        # ("the Intergovernmental Commission", "an intergovernmental commission").
        plain = text[start:end]
        numbers = {("number", n) for n in _NUMBER.findall(plain)}
        # A day and month in any language the date reader knows (May 7, 7 mai, 7 мая), the year aside:
        # one report says "on Monday, May 7", the other "le 7 mai 2025".
        dates = {("date", f"{d.month:02d}-{d.day:02d}") for d in find_text_dates(plain)}
        content = " ".join(word for word in _WORD.findall(plain) if not is_function_word(word))
        stems = {("term", t) for t in terms(content, language) if len(t) >= _MIN_TERM_CHARS and not t.isdigit()}
        features.append(named | numbers | dates | stems)
    normalised = [" ".join(_WORD.findall(fold(text[start:end]))) for start, end in spans]
    return _Side(spans, normalised, features)


def compare_texts(
    a: str,
    b: str,
    mentions_a: Sequence[EntityMention] = (),
    mentions_b: Sequence[EntityMention] = (),
    language_a: str = "en",
    language_b: str = "en",
) -> tuple[list[LinkedPassage], float, float]:
    """Align two texts.

    Args:
        a, b: the two articles' bodies.
        mentions_a, mentions_b: the entities named in each (offsets into its body).
        language_a, language_b: their languages (they choose the stemmers).

    Returns:
        The passages (A's in its order, then those only B has, in B's order), and the shares of A
        and of B held by the other in the same words.
    """
    side_a, side_b = _side(a, mentions_a, language_a), _side(b, mentions_b, language_b)
    same = _same_pairs(side_a, side_b)
    similar = _similar_pairs(side_a, side_b, {i for i, _ in same}, {j for _, j in same})
    passages: list[LinkedPassage] = []
    same_of = dict(same)
    similar_of: dict[int, list[int]] = {}
    for i, j in similar:
        similar_of.setdefault(i, []).append(j)
    i = 0
    while i < len(side_a.spans):
        if i in same_of:
            j = same_of[i]
            last_i, last_j = i, j
            while same_of.get(last_i + 1) == last_j + 1:  # a run of sentences in the same order: one passage
                last_i, last_j = last_i + 1, last_j + 1
            passages.append(
                LinkedPassage(
                    PassageKind.SAME,
                    (side_a.spans[i][0], side_a.spans[last_i][1]),
                    (side_b.spans[j][0], side_b.spans[last_j][1]),
                )
            )
            i = last_i + 1
            continue
        partners = similar_of.get(i, [])
        passages += [LinkedPassage(PassageKind.SIMILAR, side_a.spans[i], side_b.spans[j]) for j in partners]
        if not partners:
            passages.append(LinkedPassage(PassageKind.ONLY_A, side_a.spans[i], None))
        i += 1
    linked_b = set(same_of.values()) | {j for _, j in similar}
    passages += [
        LinkedPassage(PassageKind.ONLY_B, None, span) for j, span in enumerate(side_b.spans) if j not in linked_b
    ]
    return passages, _share(side_a, same_of.keys()), _share(side_b, same_of.values())


def _share(side: _Side, held: Iterable[int]) -> float:
    total = sum(end - start for start, end in side.spans)
    kept = sum(side.spans[k][1] - side.spans[k][0] for k in held)
    return kept / total if total else 0.0


def _same_pairs(a: _Side, b: _Side) -> list[tuple[int, int]]:
    """Sentences of A and B that are the same, one partner each, the most alike first."""
    if not a.normalised or not b.normalised:
        return []
    in_order = process.cdist(a.normalised, b.normalised, scorer=fuzz.ratio, score_cutoff=SAME_SCORE)
    any_order = process.cdist(a.normalised, b.normalised, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_SCORE)
    scores = np.maximum(in_order, any_order)
    found = [(float(scores[i, j]), i, j) for i, j in zip(*scores.nonzero(), strict=True)]
    return _one_to_one(found)


def _one_to_one(found: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    for _score, i, j in sorted(found, key=lambda f: (-f[0], f[1], f[2])):
        if i not in taken_a and j not in taken_b:
            pairs.append((int(i), int(j)))
            taken_a.add(i)
            taken_b.add(j)
    return sorted(pairs)


def _similar_pairs(a: _Side, b: _Side, same_a: set[int], same_b: set[int]) -> list[tuple[int, int]]:
    """Sentences of A and B, not already the same, that tell the same fact: each one's best partner
    on the other side, if alike enough (a sentence may be the best partner of several)."""
    frequency = Counter(feature for side in (a, b) for features in side.features for feature in features)
    count = len(a.features) + len(b.features)

    def weight(feature: tuple[str, str]) -> float:
        rarity = math.log((count + 1) / frequency[feature])
        return rarity * (1.0 if feature[0] == "term" else _ENTITY_WEIGHT)

    weights = {feature: weight(feature) for feature in frequency}
    totals_a = [sum(weights[f] for f in features) for features in a.features]
    totals_b = [sum(weights[f] for f in features) for features in b.features]

    def score(i: int, j: int) -> float:
        shared = a.features[i] & b.features[j]
        if len(shared) < 2 or not totals_a[i] or not totals_b[j]:  # one shared word is a coincidence
            return 0.0
        return sum(weights[f] for f in shared) / math.sqrt(totals_a[i] * totals_b[j])

    open_a = [i for i in range(len(a.spans)) if i not in same_a]
    open_b = [j for j in range(len(b.spans)) if j not in same_b]
    pairs: set[tuple[int, int]] = set()
    scores = {(i, j): score(i, j) for i in open_a for j in open_b}
    for i in open_a:
        best = max(open_b, key=lambda j: (scores[i, j], -j), default=None)
        if best is not None and scores[i, best] >= SIMILAR_SCORE:
            pairs.add((i, best))
    for j in open_b:
        best = max(open_a, key=lambda i: (scores[i, j], -i), default=None)
        if best is not None and scores[best, j] >= SIMILAR_SCORE:
            pairs.add((best, j))
    return sorted(pairs)


def compare(
    a: Article, b: Article, mentions_a: Sequence[EntityMention], mentions_b: Sequence[EntityMention]
) -> Comparison:
    """Compare two articles: their passages (see ``compare_texts``) and the entities both or one name."""
    passages, share_a, share_b = compare_texts(a.body, b.body, mentions_a, mentions_b, a.language, b.language)
    named_a, named_b = _named(mentions_a), _named(mentions_b)
    return Comparison(
        a=a.id,
        b=b.id,
        share_a=share_a,
        share_b=share_b,
        passages=tuple(passages),
        shared_entities=_ranked(named_a & named_b.keys(), named_a + named_b),
        only_a_entities=_ranked(named_a - named_b.keys(), named_a),
        only_b_entities=_ranked(named_b - named_a.keys(), named_b),
    )


def _named(mentions: Sequence[EntityMention]) -> Counter[EntityRef]:
    return Counter(EntityRef(m.type, m.canonical) for m in mentions)


def _ranked(entities: Iterable[EntityRef], counts: Counter[EntityRef]) -> tuple[EntityRef, ...]:
    """The most named first, then by type and name."""
    return tuple(sorted(entities, key=lambda e: (-counts[e], e.type, e.name)))
