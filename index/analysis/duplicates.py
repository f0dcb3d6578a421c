"""Near-duplicate articles: a syndicated copy under another headline and footer, a lightly edited copy.

Each article's body gets a MinHash signature of its four-word shingles (its index terms: folded and
stemmed words, so accents, case and endings do not count): 64 minimum hash values whose share of
equal values between two articles estimates the Jaccard likeness of their shingle sets. The
signature is cut into 16 bands of 4 values; articles sharing a band are candidates
(locality-sensitive hashing), so finding an article's copies costs a few index lookups, not a pass
over the archive. A candidate is a near copy when the
signatures say the shingle sets are at least MIN_COPY_THRESHOLD alike; clusters are formed at the
threshold the user chooses (DEFAULT_COPY_THRESHOLD unless changed). With 16 bands of 4, a pair 60 %
alike becomes a candidate 89 % of the time, 70 % alike 98.5 %, 80 % alike all but always.

Boilerplate shared by unrelated articles (a footer, a navigation line) is a small share of their
shingles, so it does not make them alike: two 300-word articles sharing a 20-word footer are about
3 % alike. An article too short to judge (fewer than ``MIN_SHINGLES`` shingles) gets no signature.
Two articles that are mostly boilerplate (a one-line brief under a long footer) are alike by their
signatures, so a pair found alike is judged again without its boilerplate
(``likeness_beyond_boilerplate``): its sentences and lines that recur across its source's articles
(``boilerplate``: in at least ``BOILERPLATE_SHARE`` of a sample of them, and in at least
``BOILERPLATE_MIN_ARTICLES``) do not count; articles of no known source learn none. Recurring
across one outlet's articles is what tells boilerplate from syndication: a syndicated story recurs
across outlets, once in each; an outlet's footer recurs under most of what it publishes. A story
one outlet published in many versions (a fifth of what it published, and five times or more) is
taken for its boilerplate: its versions are then shown apart, never hidden.

datasketch implements the same method but needs SciPy (some 60 MB in the packaged app) and hashes
shingle by shingle in Python; with NumPy the whole signature is a few array operations.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from index.analysis.compare import SAME_SCORE, sentences

SHINGLE_WORDS = 4
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
MIN_SHINGLES = 30
BOILERPLATE_SAMPLE = 40  # articles of a source sampled to tell its boilerplate
BOILERPLATE_SHARE = 0.2
BOILERPLATE_MIN_ARTICLES = 5
# Shared boilerplate that would make two otherwise different articles less alike than this cannot be
# what made them alike (half the least threshold users may choose): their signatures are trusted then.
_BOILERPLATE_ALONE = 0.3
_CHUNK = 8192  # shingles hashed at once: a 20 MB article must not need gigabytes for its signature
_VALUE_BYTES = 4
SIGNATURE_BYTES = PERMUTATIONS * _VALUE_BYTES
# Fixed, since signatures are stored: a new seed would need every article's signature again.
# From a hash, not numpy.random: the packaged app leaves numpy.random out (build.spec).
_SEEDS = np.frombuffer(hashlib.shake_256(b"archivist near copies").digest(16 * PERMUTATIONS), dtype="<u8")
_MULTIPLIERS = _SEEDS[:PERMUTATIONS] | np.uint64(1)
_OFFSETS = _SEEDS[PERMUTATIONS:].copy()
_PRIME_STEP = np.uint64(1_099_511_628_211)  # FNV's 64-bit prime: mixes the words of a shingle


_KNOWN_WORDS = 1 << 18
_word_hashes: dict[str, int] = {}


def _hashes(words: Sequence[str]) -> tuple[np.ndarray, int]:
    """A stable 64-bit hash of each word (the same in every process and run), remembered per
    process; and how many distinct words there are."""
    known = _word_hashes
    if len(known) > _KNOWN_WORDS:
        known.clear()
    distinct = set(words)
    for word in distinct.difference(known):
        known[word] = zlib.crc32(word.encode("utf-8", "surrogatepass")) | (len(word) << 32)
    return np.fromiter(map(known.__getitem__, words), dtype=np.uint64, count=len(words)), len(distinct)


def signature(words: Sequence[str]) -> bytes | None:
    """The MinHash signature of the four-word shingles of a text's words (its index terms, as
    indexing has them), or None when it has too few to judge."""
    if len(words) < MIN_SHINGLES + SHINGLE_WORDS - 1:
        return None
    hashes, distinct = _hashes(words)
    count = len(words) - SHINGLE_WORDS + 1
    shingles = hashes[:count]
    with np.errstate(over="ignore"):  # hashing wraps around 2**64 on purpose
        for k in range(1, SHINGLE_WORDS):
            shingles = shingles * _PRIME_STEP + hashes[k : count + k]
        # Each distinct word but the last few starts a shingle of its own: with this many, the
        # shingles are known to be enough without being told apart (a repeated one changes no minimum).
        if distinct < MIN_SHINGLES + SHINGLE_WORDS - 1 and len(np.unique(shingles)) < MIN_SHINGLES:
            return None
        if len(shingles) > _CHUNK:  # a long text repeats shingles: 64 permutations of each for nothing
            shingles = np.unique(shingles)
        # A row per permutation, so that each minimum is taken along a row (a fifth quicker than
        # down the columns of a row per shingle).
        minimums = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
        for start in range(0, len(shingles), _CHUNK):
            permuted = np.multiply.outer(_MULTIPLIERS, shingles[start : start + _CHUNK])
            permuted += _OFFSETS[:, None]
            np.minimum(minimums, permuted.min(axis=1), out=minimums)
    # Each value is its top 32 bits: taken after the minimum, which they keep (a shift is monotonic),
    # not from each of the 64 permutations of every shingle.
    return (minimums >> np.uint64(32)).astype("<u4").tobytes()


def band_keys(signatures: Sequence[bytes]) -> np.ndarray:
    """Each signature's band keys, a row per signature: non-negative 31-bit integers, which SQLite
    keeps in 4 bytes (a key shared by chance only adds a candidate, judged by its whole signature
    like any other). A band's values are already random: mixing them, with the band's number, in a
    few array operations for all the signatures at once is enough.

    Raises:
        ValueError: a signature is not SIGNATURE_BYTES long.
    """
    if any(len(s) != SIGNATURE_BYTES for s in signatures):
        raise ValueError("a near-copy signature of the wrong size")
    values = np.frombuffer(b"".join(signatures), dtype="<u4").reshape(len(signatures), BANDS, ROWS).astype(np.uint64)
    with np.errstate(over="ignore"):  # wraps around 2**64 on purpose
        keys = values @ _MULTIPLIERS[:ROWS] + _OFFSETS[:BANDS]
        keys = (keys ^ (keys >> np.uint64(29))) * _MULTIPLIERS[ROWS]
    return keys >> np.uint64(33)


def likeness(a: bytes, b: bytes) -> float:
    """The estimated Jaccard likeness of two signatures' shingle sets (0 to 1)."""
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


def clusters(
    pairs: Iterable[tuple[str, str, float]], threshold: float, order: Callable[[str], tuple[int, str]]
) -> list[list[str]]:
    """Groups of articles linked, directly or through others, by pairs at least ``threshold`` alike.

    Args:
        pairs: ``(id, id, likeness)``.
        threshold: the least likeness that links two articles.
        order: sorts a group's articles; the first is its representative (e.g. the earliest).

    Returns:
        The groups of two or more, each sorted by ``order``, the groups by their representatives.
    """
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b, alike in pairs:
        if alike >= threshold:
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for item in parent:
        groups.setdefault(root(item), []).append(item)
    found = [sorted(group, key=order) for group in groups.values() if len(group) > 1]
    return sorted(found, key=lambda group: order(group[0]))


_WORD = re.compile(r"\w+")


def units(text: str) -> dict[str, int]:
    """The sentences and lines of a text (see compare.sentences), each as its words in lower case
    joined by spaces, with its number of words: the units boilerplate is made of. Not folded: an
    outlet repeats its boilerplate to the letter, and folding cost ten times the rest."""
    found: dict[str, int] = {}
    for start, end in sentences(text):
        words = _WORD.findall(text[start:end].casefold())
        if words:
            found[" ".join(words)] = len(words)
    return found


def boilerplate(sample: Sequence[Collection[str]]) -> frozenset[str]:
    """The units that recur in enough of ``sample``, the units of articles of one source, to be that
    source's boilerplate."""
    needed = max(BOILERPLATE_MIN_ARTICLES, math.ceil(BOILERPLATE_SHARE * len(sample)))
    held = Counter(unit for article in sample for unit in article)
    return frozenset(unit for unit, articles in held.items() if articles >= needed)


def likeness_beyond_boilerplate(
    a: Mapping[str, int], b: Mapping[str, int], boiler: Collection[str], alike: float
) -> float:
    """How alike two articles are without the boilerplate they share.

    Args:
        a, b: their units (see ``units``).
        boiler: the units known to be boilerplate (of either article's source).
        alike: their likeness by signature, returned when the boilerplate they share could not
            have made them alike.

    Returns:
        The weighted Jaccard likeness of the rest of their units (by words; a unit lightly edited
        in one of them still counts as shared), or ``alike`` when the boilerplate they share could
        not have made them alike on its own, or they have nothing else (the same boilerplate-only
        page twice).
    """
    shared_boilerplate = sum(words for unit, words in a.items() if unit in boiler and unit in b)
    everything = sum(a.values()) + sum(b.values()) - shared_boilerplate
    if shared_boilerplate <= _BOILERPLATE_ALONE * everything:
        return alike  # too little of them to have made them alike: their signatures are right
    own_a = {unit: words for unit, words in a.items() if unit not in boiler}
    own_b = {unit: words for unit, words in b.items() if unit not in boiler}
    total = sum(own_a.values()) + sum(own_b.values())
    if total == 0:
        return alike
    shared = sum(words for unit, words in own_a.items() if unit in own_b)
    rest_b = [unit for unit in own_b if unit not in own_a]
    for unit, words in own_a.items():
        if unit not in own_b and rest_b:
            match = process.extractOne(unit, rest_b, scorer=fuzz.ratio, score_cutoff=SAME_SCORE)
            if match is not None:
                shared += min(words, own_b[match[0]])
                rest_b.remove(match[0])
    return shared / (total - shared)
