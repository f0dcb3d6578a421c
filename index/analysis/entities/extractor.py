"""The extraction rules: passes over a document's tokens that find names and resolve overlaps."""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from dataclasses import dataclass
from itertools import compress, product
from operator import attrgetter, or_

from index.analysis.entities.gazetteer import (
    CYRILLIC_ENDINGS,
    MIN_CYRILLIC_STEM,
    _Data,
    _data,
    _Entry,
    _index,
    accents_of,
    sound_key,
)
from index.analysis.entities.mentions import ORG, PERSON, PLACE, TYPES, Mention
from index.analysis.entities.tokens import _BREAK, _POSS, _WORD, _document_tokens, _is_acronym, _Token
from index.analysis.folding import name_key

# Languages whose capitalisation the rules understand; elsewhere only the gazetteer is used.
RULE_LANGUAGES = frozenset({"en", "fr", "de"})
DECLINING_LANGUAGES = frozenset({"ru", "uk", "be"})  # names take case endings: see gazetteer.CYRILLIC_ENDINGS
_SENTENCE_END = frozenset(".!?;:")
_FOLD, _CAPITALISED = attrgetter("fold"), attrgetter("capitalised")
_APPOSITION_MARKS = frozenset({",", "(", ")"})
_ABBREVIATED_TITLES = frozenset({"mr", "mrs", "ms", "dr", "m", "mme", "mlle", "prof", "st"})
_TITLE_SPAN_WINDOW = 16  # tokens scanned after a title for the name it introduces
_TITLE_LOWERCASE_WORDS = 2  # ``vice-ministre azerbaïdjanais des Affaires étrangères, Ramiz Hasanov``
_MAX_NAME_TOKENS = 4
# Priority of each source when two candidates cover the same span (lower wins): a repeat of a name
# already found carries its full canonical (``M. Brochet`` → ``Olivier Brochet``); a word that says what
# a town names overrides the gazetteer (``the Italian side Bologna``).
_REPEAT, _DESCRIBED, _GAZETTEER, _ORG_RULE, _TITLE_RULE, _APPOSITION_RULE, _NAME_PATTERN, _ACRONYM_RULE = range(8)
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,5}")
_SCORE = re.compile(r"\d{1,3}")  # a score or a count in a results line; a dateline's date is no score
_VERSUS = frozenset({"v", "vs"})
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ffʼ'-]+$")
_SHOUTING = 0.6  # share of capitals among a line's letters from which it is a headline in capitals
_HEADLINE_CHARS = 200  # a first line longer than this is a paragraph, not a headline
# After a town's name in English sports prose, words that make it the town's club: ``a Karlsruhe
# goal``, ``Karlsruhe striker Sean Dundee`` (not ``side`` or ``manager``: diplomats and banks have them).
_CLUB_NOUNS = frozenset(
    {
        "goal",
        "goals",
        "striker",
        "strikers",
        "midfielder",
        "midfielders",
        "defender",
        "defenders",
        "goalkeeper",
        "keeper",
        "winger",
        "coach",
        "fans",
        "supporters",
        "squad",
        "captain",
        "playmaker",
        "equaliser",
        "equalizer",
    }
)


@dataclass
class _Candidate:
    start: int
    end: int
    type: str
    canonical: str
    priority: int
    tokens: tuple[int, int]  # token range [i, j), for the name-consistency pass


def _is_score_or_versus(token: _Token) -> bool:
    return _SCORE.fullmatch(token.text) is not None or token.text in _VERSUS


class _Extractor:
    """The passes over one document's tokens; candidates are resolved longest first."""

    def __init__(self, text: str, tokens: list[_Token], data: _Data, language: str) -> None:
        self.text = text
        self.language = language
        self.tokens = tokens
        self.data = data
        self.rules = language in RULE_LANGUAGES
        self.gazetteer_at: dict[int, tuple[int, _Entry]] = {}
        self.in_gazetteer: set[int] = set()  # every token of a known name
        self.shouting_lines: dict[int, bool] = {}  # line start → written in capitals
        self.line_starts: list[int] | None = None  # offsets of the text's lines, found on first need
        self.headline_end: int | None = None  # where a first line that is a headline ends (0: none), on first need
        self.descriptors: list[int] = []  # lower-case words that say the name beside them is an organisation
        self.title_end: dict[int, int] = {}
        self.in_title: set[int] = set()
        self.candidates: list[_Candidate] = []
        # Every token is looked at here and in _lookups, most of them only there: in C, by attribute.
        self.capitalised = list(map(_CAPITALISED, tokens))
        self.capitals = list(compress(range(len(tokens)), self.capitalised))

    def run(self) -> list[Mention]:
        self._lookups()
        if self.language in DECLINING_LANGUAGES:
            self._people_by_sound()
        if self.rules:
            self._organisations()
            self._titled_people()
            self._appositions()
            self._name_patterns()
            self._clubs()
            self._described_organisations()
            self._teams()
            self._acronyms()
        chosen = self._resolve(self.candidates)
        if self.rules:
            chosen = self._resolve(chosen + self._repeats(chosen))
        return [Mention(c.start, c.end, c.type, c.canonical) for c in sorted(chosen, key=lambda c: c.start)]

    # -- lookups ---------------------------------------------------------------------------

    def _gazetteer_match(self, i: int) -> tuple[int, _Entry] | None:
        tokens, data = self.tokens, self.data
        token = tokens[i]
        pair = (token.fold, tokens[i + 1].fold) if i + 1 < len(tokens) else None
        for length in data.gazetteer_lengths.get(token.fold, ()):
            if i + length > len(tokens) or (length > 1 and pair not in data.pairs):
                continue  # a window cut short by the text's end would match a shorter name under a longer length
            window = tokens[i : i + length]
            entry = data.gazetteer.get(tuple(t.fold for t in window))
            if entry is None:
                continue
            if entry.exact is not None and tuple(t.text for t in window) != entry.exact:
                continue
            accented = entry.accented
            if accented is not None and any(
                not t.text.isascii() and accents_of(t.text) != word for t, word in zip(window, accented, strict=True)
            ):
                continue  # written with other accents: another word
            if entry.capital and not token.text[:1].isupper():
                continue
            if entry.languages is not None and self.language not in entry.languages:
                continue  # a small town of another language's country
            return length, entry
        return None

    def _lookups(self) -> None:
        data, tokens = self.data, self.tokens
        starters, descriptors = data.first_words, data.descriptors
        starting = map(or_, map(starters.__contains__, map(_FOLD, tokens)), self.capitalised)
        for i in list(compress(range(len(tokens)), starting)):
            token = tokens[i]
            if token.fold in descriptors and not token.capitalised:
                self.descriptors.append(i)
            for length in data.title_lengths.get(token.fold, ()):
                if i + length > len(tokens):
                    continue  # a window cut short by the text's end holds fewer than ``length`` tokens
                if tuple(t.fold for t in tokens[i : i + length]) in data.titles:
                    self.title_end[i] = i + length
                    self.in_title.update(range(i, i + length))
                    break
            capital = token.text[:1].isupper()
            known = token.fold in data.gazetteer_lengths and (capital or token.fold in data.uncapitalised)
            match = self._gazetteer_match(i) if known else None
            if match is None and capital and self.language in DECLINING_LANGUAGES:
                match = self._declined_match(token)
            if match is not None:
                length, entry = match
                self.gazetteer_at[i] = match
                self.in_gazetteer.update(range(i, i + length))
                end = self.tokens[i + length - 1].end
                club = self._team_in_results(i, i + length, entry) or self._club_in_prose(i + length, entry)
                type_ = ORG if club else entry.type
                self.candidates.append(
                    _Candidate(token.start, end, type_, entry.canonical, _GAZETTEER, (i, i + length))
                )
            elif "-" in token.text and token.text[:1].isupper():
                self._compound_parts(i, token)

    def _people_by_sound(self) -> None:
        """Known people written in Cyrillic, in any case: ``Ильхама Алиева`` is Ilham Aliyev."""
        tokens, known = self.tokens, self.data.people_by_sound
        for i in self.capitals:
            for length in (3, 2):
                window = tokens[i : i + length]
                if len(window) < length or not all(t.capitalised and _CYRILLIC_WORD.match(t.text) for t in window):
                    continue
                # Each word without a case ending, and with the feminine ``-а`` (``Алиеву`` is Алиева's).
                forms = [
                    {
                        sound_key(stem + tail)
                        for e in CYRILLIC_ENDINGS
                        if t.fold.endswith(e)
                        for stem in (t.text[: len(t.text) - len(e)],)
                        if len(stem) >= 2
                        for tail in ("", "а")
                    }
                    for t in window
                ]
                entry = next((known[key] for key in product(*forms) if key in known), None)
                if entry is not None:
                    start, end = window[0].start, window[-1].end
                    self.candidates.append(_Candidate(start, end, PERSON, entry.canonical, _GAZETTEER, (i, i + length)))
                    break

    def _declined_match(self, token: _Token) -> tuple[int, _Entry] | None:
        """A known one-word name under a case ending (``Азербайджане`` is Azerbaijan)."""
        stems = self.data.cyrillic_stems
        for ending in CYRILLIC_ENDINGS:
            if token.fold.endswith(ending):
                stem = token.fold[: len(token.fold) - len(ending)]
                if len(stem) >= MIN_CYRILLIC_STEM and stem in stems and stems[stem].found_in(self.language):
                    return 1, stems[stem]
        return None

    def _team_in_results(self, i: int, j: int, entry: _Entry) -> bool:
        """Whether a city or state stands for a club in results or standings; a nation there names a
        national team, which stays a place."""
        return self.rules and entry.type == PLACE and not entry.nation and self._in_results(i, j)

    def _club_in_prose(self, j: int, entry: _Entry) -> bool:
        """Whether a city or state just before token ``j`` names its club: a footballing word follows."""
        return (
            self.language == "en"
            and entry.type == PLACE
            and not entry.nation
            and j < len(self.tokens)
            and self.tokens[j].fold in _CLUB_NOUNS
        )

    def _opens_team_slot(self, i: int) -> bool:
        """Whether a team's name may start at token ``i``: at a line's start, after a score or ``v``."""
        return not i or self.tokens[i - 1].kind == _BREAK or _is_score_or_versus(self.tokens[i - 1])

    def _in_results(self, i: int, j: int) -> bool:
        """Whether tokens [i, j) stand where results and standings put teams: ``Lens 0 Nantes 4``,
        ``Barcelona ( Spain ) 9 4 5``, ``Fiorentina ( 10 ) v Perugia ( 8 )``."""
        tokens = self.tokens
        if not self._opens_team_slot(i):
            return False
        if j + 2 < len(tokens) and tokens[j].text == "(" and tokens[j + 2].text == ")":
            if _SCORE.fullmatch(tokens[j + 1].text):
                return True  # ``Perugia ( 8 )``: its place in the table
            j += 3
        return j < len(tokens) and _is_score_or_versus(tokens[j])

    def _compound_parts(self, i: int, token: _Token) -> None:
        """``Azerbaijan-Vietnam``: look each part of a hyphenated word up on its own."""
        position = token.start
        for part in token.text.split("-"):
            entry = self.data.gazetteer.get((name_key(part),))
            if (
                entry is not None
                and part[:1].isupper()
                and (entry.exact is None or entry.exact == (part,))
                and entry.found_in(self.language)
            ):
                self.candidates.append(
                    _Candidate(position, position + len(part), entry.type, entry.canonical, _GAZETTEER, (i, i))
                )
            position += len(part) + 1

    # -- rules ----------------------------------------------------------------------------

    def _name_word(self, i: int) -> bool:
        """Whether token ``i`` may be part of a name: capitalised, not a cue word, not a known place or org."""
        token = self.tokens[i]
        acronym = len(token.text) > 1 and token.text.isupper()
        return (token.capitalised and not acronym) and (
            token.fold not in self.data.stopwords
            and token.fold not in self.data.org_heads
            and i not in self.in_title
            and i not in self.gazetteer_at
        )

    def _vietnamese_name(self, i: int) -> int | None:
        """The end of a Vietnamese name (surname + given syllables) starting at ``i``, if any."""
        tokens, data = self.tokens, self.data
        if not tokens[i].capitalised or tokens[i].fold not in data.vn_surnames:
            return None
        j = i + 1
        while j < len(tokens) and j - i <= 3 and tokens[j].capitalised and tokens[j].fold in data.vn_syllables:
            j += 1
        if j == i + 1 or any(k in self.gazetteer_at for k in range(i, j)):
            return None
        return j

    def _name_run(self, i: int) -> int | None:
        """The end of the personal name starting at token ``i``, or None."""
        if i >= len(self.tokens):
            return None
        vietnamese = self._vietnamese_name(i)
        if vietnamese is not None:
            return vietnamese
        j = i
        while j < len(self.tokens) and j - i < _MAX_NAME_TOKENS and self._name_word(j):
            j += 1
        return j if j > i else None

    def _person(self, i: int, j: int, priority: int) -> None:
        tokens = self.tokens
        surface = " ".join(self.text[tokens[i].start : tokens[j - 1].end].split())
        entry = self.data.gazetteer.get(tuple(t.fold for t in tokens[i:j]))
        if entry is not None and entry.type == PERSON:
            canonical = entry.canonical
        elif self._vietnamese_name(i) == j:
            canonical = " ".join(name_key(t.text).title() for t in tokens[i:j])
        else:
            canonical = surface.replace("’", "'")
        self.candidates.append(_Candidate(tokens[i].start, tokens[j - 1].end, PERSON, canonical, priority, (i, j)))

    def _titled_people(self) -> None:
        """``President Ilham Aliyev``, ``Prosecutor General, Nguyen Tien``, ``vice-ministre ..., Ramiz Hasanov``."""
        tokens = self.tokens
        for start, k in self.title_end.items():
            if k in self.title_end:
                continue  # ``Deputy Foreign Minister``: the last title of a chain speaks
            if tokens[start].fold in _ABBREVIATED_TITLES and k < len(tokens) and tokens[k].text == ".":
                k += 1
            p, lowercase = k, 0
            while p < len(tokens) and p - k < _TITLE_SPAN_WINDOW:
                token = tokens[p]
                if token.kind == _BREAK or token.text in _SENTENCE_END:
                    break
                introduced = p == k or tokens[p - 1].text in _APPOSITION_MARKS
                end = self._name_run(p) if introduced else None
                if end is not None:
                    self._person(p, end, _TITLE_RULE)
                    break
                connector = token.fold in self.data.complement_openers or token.fold in self.data.conjunctions
                if token.kind == _WORD and not token.text[:1].isupper() and not connector:
                    lowercase += 1
                    if lowercase > _TITLE_LOWERCASE_WORDS:
                        break
                p += 1

    def _appositions(self) -> None:
        """``Ilham Aliyev, President of ...``: a two-word name followed by a comma and a title."""
        tokens = self.tokens
        for title in self.title_end:
            comma = title - 1
            if comma < 2 or tokens[comma].text != "," or not tokens[title].text[:1].isupper():
                continue
            i = comma
            while i > 0 and comma - i < _MAX_NAME_TOKENS and tokens[i - 1].capitalised:
                i -= 1
            if comma - i >= 2 and self._name_run(i) == comma:
                self._person(i, comma, _APPOSITION_RULE)

    def _name_patterns(self) -> None:
        """Vietnamese surname + given syllables, or another personal name (see ``_personal_name``)."""
        for i in self.capitals:
            if i in self.in_gazetteer:
                continue  # ``Chi Minh`` inside ``Ho Chi Minh`` starts no other name
            end = self._vietnamese_name(i)
            if end is None:
                end = self._personal_name(i)
            if end is not None:
                self._person(i, end, _NAME_PATTERN)

    def _personal_name(self, i: int) -> int | None:
        """The end of a name at ``i``: an initial and a surname (``B. Young``), a known given name and one
        or two capitalised words (``Shane Warne``, ``Ursula von der Leyen``), or, in English, two or three
        capitalised words none of which is an English word (``Nader Jokhadar``)."""
        tokens, data = self.tokens, self.data
        token = tokens[i]
        given = self._given_name(token)
        start = i + 1
        if len(token.text) == 1:
            if i + 2 >= len(tokens) or tokens[i + 1].text != "." or (i and tokens[i - 1].capitalised):
                return None  # ``Group C. The``
            if i > 1 and tokens[i - 1].text == "." and len(tokens[i - 2].text) == 1:
                return None  # the second initial of ``J. K. Rowling``: the name starts at the first
            if i in self.title_end and self.language == "fr":
                return None  # ``M. Brochet`` is Monsieur Brochet
            start = i + 2
            while start + 1 < len(tokens) and len(tokens[start].text) == 1 and tokens[start + 1].text == ".":
                start += 2  # ``J. K. Rowling``
            if start >= len(tokens) or len(tokens[start].text) < 2:
                return None  # ``A. B. C.``, ``U. S. officials``
        elif given:
            if _is_acronym(token.text):
                return None
        elif self.language != "en" or token.fold in data.common_words or not self._name_word(i):
            return None  # the common words are English ones: a French ``Affaires Etrangeres`` is no name
        # A known town ends a name only after a given name or an initial (``Mark Cairns``); after an
        # unknown capitalised word it is the town (``Lebed Chechnya``, ``Bayern Munich``).
        end = self._surname_end(start, towns=len(token.text) == 1 or given)
        if end == start:
            return None
        if len(token.text) == 1 or given:
            return end
        run = tokens[i + 1 : end]
        if any(map(self._given_name, run)):
            return None  # ``Midfielder Valentin Stefan``: the name starts at the given name
        return None if any(t.fold in data.common_words for t in run) else end

    def _one_word_town_or_company(self, i: int) -> bool:
        """Whether token ``i`` is a one-word town or company, which after a given name is a surname
        (``Mark Cairns``, ``Jean Dupont``)."""
        match = self.gazetteer_at.get(i)
        if match is None or match[0] != 1 or _is_acronym(self.tokens[i].text):
            return False
        return self._town(i) or match[1].type == ORG

    def _town(self, i: int) -> bool:
        """Whether a known city or state, not a nation, starts at token ``i``."""
        match = self.gazetteer_at.get(i)
        return match is not None and match[1].type == PLACE and not match[1].nation

    def _given_name(self, token: _Token) -> bool:
        """``Shane``, and ``Jean-Marie`` by its first part."""
        given = self.data.given_names
        return token.fold in given or ("-" in token.fold and token.fold.partition("-")[0] in given)

    def _surname_end(self, start: int, towns: bool = True) -> int:
        """The end of the one or two capitalised words from ``start`` that complete a name, particles
        included (``De Bruyne``, ``von der Leyen``, ``al-Boushi`` is one word); a one-word town or
        company is a surname too when ``towns``."""
        tokens, particles = self.tokens, self.data.name_particles
        end = start
        while end < len(tokens) and end - start < 2:
            if self._name_word(end) or (towns and self._one_word_town_or_company(end)):
                end += 1
                continue
            if any(not self._given_name(tokens[k]) for k in range(start, end)):
                # Particles come after given names (``Johann Wolfgang von Goethe``), not after a
                # surname: ``Jonas Kreuzberger von Rot-Weiss`` is "from".
                break
            after = end
            while after < len(tokens) and after - end < 2 and tokens[after].fold in particles:
                after += 1
            if after == end or after >= len(tokens) or not self._name_word(after):
                break
            return after + 1  # a surname after particles ends the name
        return end

    def _clubs(self) -> None:
        """``Real Madrid``, ``AC Milan``, ``Bayer Leverkusen``: a club prefix and the capitalised words after it."""
        tokens = self.tokens
        for i in self.capitals:
            if tokens[i].text not in self.data.club_prefixes:
                continue
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                after is not None
                and after.capitalised
                and not _is_acronym(after.text)
                and after.fold not in self.data.common_words  # ``Real Estate``, ``Sporting Goods``
            ):
                self._organisation(i, i + 2, _ORG_RULE)

    def _described_organisations(self) -> None:
        """A name that a lower-case word says is an organisation: ``Norwegian side Rosenborg``, ``the
        brewer Okocim``, ``Interfax news agency``, ``le quotidien Le Monde``."""
        tokens, data = self.tokens, self.data
        for d in self.descriptors:
            token = tokens[d]
            priority = _ORG_RULE
            if token.fold in data.descriptors_before:
                i = j = d + 1
                priority = _DESCRIBED
                if i < len(tokens) and i in self.gazetteer_at and not self._town(i):
                    continue
                if i + 1 < len(tokens) and tokens[i].fold in data.stopwords and self._org_word(i + 1):
                    j = i + 1  # an article opens the name: ``le quotidien Le Monde``, ``the daily El Mundo``
                while (
                    j < len(tokens)
                    and j - i < 3
                    and self._org_word(j)
                    and not self._given_name(tokens[j])
                    and j not in self.in_title  # ``the company Chief Executive Elon Musk``
                    and (j == i or j not in self.in_gazetteer)
                ):
                    j += 1
            elif token.fold in data.descriptors_after:
                j = i = d
                if d and tokens[d - 1].fold == "news":
                    j = i = d - 1
                while i > 0 and j - i < 3 and self._org_word(i - 1) and i - 1 not in self.in_gazetteer:
                    i -= 1
            else:
                continue
            if j > i:
                self._organisation(i, j, priority)

    def _teams(self) -> None:
        """Unknown names where results and standings put teams (``Feyenoord 17 11 3 3``) are clubs."""
        tokens, data = self.tokens, self.data
        for i in self.capitals:
            if i in self.gazetteer_at or len(tokens[i].text) == 1 or not self._opens_team_slot(i):
                continue
            j = i
            while j < len(tokens) and j - i < 3 and self._org_word(j):
                if j in self.gazetteer_at and not (j > i and self._one_word_town_or_company(j)):
                    break  # ``Hansa Rostock 0``: a club may end with its town
                j += 1
            named_after_town = j - 1 > i and j - 1 in self.gazetteer_at
            if tokens[i].fold in data.given_names and not named_after_town:
                continue  # ``Ernie Els 70 68``: a player's scores
            if tokens[i].fold in data.table_words:
                continue  # ``Total 45 30``, ``Table 1``: a table's own words
            if j > i and self._in_results(i, j):
                self._organisation(i, j, _ORG_RULE)

    def _acronyms(self) -> None:
        """``FIFA``, ``USDA``: an unknown abbreviation in capitals, outside a headline written in capitals;
        at a line's start before a comma it is a dateline's town (``TOFTIR , Faroe Islands``)."""
        tokens, data = self.tokens, self.data
        for i in self.capitals:
            token = tokens[i]
            if self._dateline_town(i):
                place = token.text.title()
                self.candidates.append(_Candidate(token.start, token.end, PLACE, place, _ACRONYM_RULE, (i, i + 1)))
                continue
            if (
                i in self.gazetteer_at
                or i in self.in_title
                or token.text in data.not_organisations
                or not _ACRONYM.fullmatch(token.text)
                or self._shouting(token.start)
            ):
                continue
            end = i + 1  # ``PSV Eindhoven``, ``PT Tambang Timah``: the name an abbreviation opens
            while end < len(tokens) and end - i <= 2 and self._org_word(end) and end not in self.in_title:
                if _is_acronym(tokens[end].text) or (end in self.in_gazetteer and not self._town(end)):
                    break  # ``AI Giant Nvidia``: the known name stands alone; ``PSV Eindhoven`` is one club
                end += 1
            self._organisation(i, end, _ACRONYM_RULE)

    def _dateline_town(self, i: int) -> bool:
        """An unknown word in capitals opening a line and followed by a comma: a dateline's town."""
        tokens = self.tokens
        token = tokens[i]
        return (
            (not i or tokens[i - 1].kind == _BREAK)
            and i + 1 < len(tokens)
            and tokens[i + 1].text == ","
            and token.text.isupper()
            and len(token.text) > 2
            and i not in self.gazetteer_at
            and token.text not in self.data.not_organisations
        )

    def _organisation(self, i: int, j: int, priority: int) -> None:
        tokens = self.tokens
        surface = " ".join(self.text[tokens[i].start : tokens[j - 1].end].split())
        entry = self.data.gazetteer.get(tuple(t.fold for t in tokens[i:j]))
        canonical = entry.canonical if entry is not None and entry.type == ORG else surface.replace("’", "'")
        self.candidates.append(_Candidate(tokens[i].start, tokens[j - 1].end, ORG, canonical, priority, (i, j)))

    def _shouting(self, position: int) -> bool:
        """Whether the line holding ``position`` is written in capitals (a headline or a table heading)."""
        if self.line_starts is None:
            # Found once: an rfind per abbreviation rescans a long line back to its start, which made a
            # 15 MB text without line breaks quadratic.
            self.line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        number = bisect_right(self.line_starts, position) - 1
        line_start = self.line_starts[number]
        known = self.shouting_lines.get(line_start)
        if known is None:
            last = number + 1 == len(self.line_starts)
            line = self.text[line_start : len(self.text) if last else self.line_starts[number + 1] - 1]
            known = self.shouting_lines[line_start] = written_in_capitals(line)
        return known

    def _in_headline(self, position: int) -> bool:
        """Whether ``position`` is in a headline: a line in capitals, or a short first line with no
        sentence end that the body follows."""
        if self._shouting(position):
            return True
        if self.headline_end is None:
            first_line, _, body = self.text[: _HEADLINE_CHARS + 2].partition("\n")
            headline = (
                len(first_line) <= _HEADLINE_CHARS
                and bool(body.strip() or self.text[len(first_line) + 1 :].strip())
                and not first_line.rstrip().endswith((".", "!", "?", ":", ";"))
            )
            self.headline_end = len(first_line) if headline else 0
        return position < self.headline_end

    def _org_word(self, i: int) -> bool:
        token = self.tokens[i]
        return token.capitalised and token.fold not in self.data.stopwords

    def _organisations(self) -> None:
        """A capitalised run around an organisation head word: ``Azerbaijan State Oil and Industry University``."""
        tokens, data = self.tokens, self.data
        for h in self.capitals:
            if tokens[h].fold not in data.org_heads or (
                _is_acronym(tokens[h].text) and self._shouting(tokens[h].start)
            ):
                continue
            i = h
            while i > 0:
                before = tokens[i - 1]
                if self._org_word(i - 1):
                    i -= 1
                elif (
                    i > 1
                    and self._org_word(i - 2)
                    and tokens[i - 2].fold not in data.org_heads  # ``British Airways Plc and American Airlines``
                    and (
                        before.fold in data.conjunctions
                        or (before.kind == _POSS and tokens[i - 2].fold in data.common_words)
                    )
                ):
                    i -= 2
                else:
                    break
            end = self._org_complement(h + 1)
            if self.language == "fr" and end == h + 1:
                # French puts the adjectives after the head: ``Conseil Constitutionnel``, ``Banque Centrale``
                while end < len(tokens) and end - h <= 2 and self._org_word(end) and end not in self.in_title:
                    if end in self.gazetteer_at or tokens[end].fold in data.org_heads:
                        break
                    end += 1
            elif (
                self.language == "de"
                and end == h + 1
                and end < len(tokens)
                and self._org_word(end)
                and tokens[end].fold not in data.org_heads
                and end not in self.in_title
            ):
                end += 1  # German names an institution by its town after the head: ``Landgericht Bielefeld``
            if end - i == 1 and i == h:
                continue  # a head word alone (``Parliament``) is too vague
            self._organisation(i, end, _ORG_RULE)

    def _org_complement(self, k: int) -> int:
        """The end of ``of X`` / ``of X of Y`` after a head word, when no X names an organisation of its own."""
        end = self._one_complement(k)
        while end > k:
            k, end = end, self._one_complement(end)
        return k

    def _one_complement(self, k: int) -> int:
        tokens, data = self.tokens, self.data
        j = k
        while j < len(tokens) and tokens[j].kind == _WORD and tokens[j].fold in data.complement_openers:
            j += 1
        if j == k:
            return k
        end = j
        while end < len(tokens) and self._org_word(end):
            if tokens[end].fold in data.org_heads or end in self.in_title:
                return k
            end += 1
            if end + 1 < len(tokens) and tokens[end].fold in data.conjunctions and self._org_word(end + 1):
                if (end - 1) in self.gazetteer_at or (end + 1) in self.gazetteer_at:
                    break
                end += 1
        return end if end > j else k

    # -- resolution and consistency ---------------------------------------------------------

    @staticmethod
    def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
        """Keep the longest candidates that do not overlap, ties going to the better source."""
        chosen: list[_Candidate] = []
        taken = bytearray(max((c.end for c in candidates), default=0))
        for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.priority, c.start)):
            if taken.find(1, candidate.start, candidate.end) != -1:
                continue
            chosen.append(candidate)
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        return chosen

    def _repeats(self, chosen: list[_Candidate]) -> list[_Candidate]:
        """Later short references to a named person (``Mammadov``, ``Lam``, ``Cairns`` after ``Mark Cairns``
        even where it is also a town) or company (``Newmont`` after ``Newmont Mining Corp``, unless the short
        name is a known place) and acronyms given in parentheses."""
        tokens = self.tokens
        names: dict[tuple[str, ...], str | None] = {}
        short_company_names: dict[tuple[str, ...], str] = {}
        surnames: set[tuple[str, ...]] = set()
        in_body = {
            tuple(t.fold for t in tokens[c.tokens[0] : c.tokens[1]]) for c in chosen if not self._in_headline(c.start)
        }
        for candidate in chosen:
            i, j = candidate.tokens
            if self._in_headline(candidate.start) and tuple(t.fold for t in tokens[i:j]) not in in_body:
                continue  # a guess made in a headline spreads only once the body names it too
            if candidate.type == PERSON and j - i >= 2:
                key = tuple(t.fold for t in tokens[i:j])
                names[key] = candidate.canonical
                last = key[-1:]
                if last[0] not in self.data.stopwords:
                    names[last] = (
                        candidate.canonical if names.get(last, candidate.canonical) == candidate.canonical else None
                    )
                    surnames.add(last)
            elif candidate.type == ORG and j + 2 < len(tokens) and tokens[j].text == "(" and tokens[j + 2].text == ")":
                acronym = tokens[j + 1]
                if _is_acronym(acronym.text) and j + 1 not in self.gazetteer_at:
                    names[(acronym.fold,)] = candidate.canonical
            if candidate.type == ORG and j - i >= 2 and tokens[j - 1].fold in self.data.corporate_suffixes:
                for k in range(i + 1, j):
                    key = tuple(t.fold for t in tokens[i:k])
                    known = self.data.gazetteer.get(key)
                    if known is not None and known.type == PLACE:
                        continue  # ``Texas`` of Texas Instruments Inc stays the state
                    if k - i > 1 or (key[0] not in self.data.common_words and key[0] not in self.data.stopwords):
                        short_company_names[key] = candidate.canonical
        names.update(short_company_names)  # ``Dean Foods`` after Dean Foods Co is the company, not a person
        if not names:
            return []
        types = {c.canonical: c.type for c in chosen}
        lengths = _index(names)
        found = []
        for i in self.capitals:
            token = tokens[i]
            if token.fold not in lengths:
                continue
            for length in lengths[token.fold]:
                if i + length > len(tokens):
                    continue  # a window cut short by the text's end holds fewer than ``length`` tokens
                key = tuple(t.fold for t in tokens[i : i + length])
                canonical = names.get(key)
                if canonical is not None and (
                    i not in self.gazetteer_at
                    or key in short_company_names
                    or (key in surnames and self._one_word_town_or_company(i))  # ``Cairns`` after ``Mark Cairns``
                ):
                    found.append(
                        _Candidate(
                            token.start,
                            tokens[i + length - 1].end,
                            types[canonical],
                            canonical,
                            _REPEAT,
                            (i, i + length),
                        )
                    )
                    break
        return found


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_CAPITALS = string.ascii_uppercase.encode()
_ASCII_RUNS = re.compile("[\x00-\x7f]+")


def written_in_capitals(line: str) -> bool:
    """Whether capitals are more than ``_SHOUTING`` of the line's letters."""
    # ASCII letters and capitals are counted by deleting bytes, in C; only the other characters
    # are asked one by one (a Python step per character was a tenth of finding names).
    ascii_part = line.encode("ascii", "ignore")
    letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    capitals = len(ascii_part) - len(ascii_part.translate(None, _ASCII_CAPITALS))
    if not line.isascii():
        others = _ASCII_RUNS.sub("", line)
        letters += sum(map(str.isalpha, others))
        capitals += sum(map(str.isupper, others))
    return capitals > _SHOUTING * letters


def extract(text: str, language: str, cleaned: bool = False) -> list[Mention]:
    """Find the PERSON, ORG and PLACE mentions of an article.

    Debris lines (font widgets, contact footers) are skipped and e-mail addresses and URLs never
    yield entities. Outside English and French only the gazetteer of known names is used, so other
    languages get fewer entities rather than wrong ones.

    Args:
        text: an article body.
        language: its ISO 639-1 code (``"en"``, ``"fr"``; anything else, ``"und"`` included, is fine).
        cleaned: ``text`` is what ``cleaning.clean`` returned, whole: its debris lines are gone.

    Returns:
        The mentions, sorted by start, non-overlapping; ``text[m.start:m.end]`` is each surface form.
    """
    tokens = _document_tokens(text, cleaned)
    return _Extractor(text, tokens, _data(), language).run()


def entities(mentions: list[Mention]) -> dict[str, list[str]]:
    """The distinct canonical entities of a document, by type.

    Args:
        mentions: what ``extract`` returned for the document.

    Returns:
        ``{"PERSON": [...], "ORG": [...], "PLACE": [...]}``, each list sorted alphabetically.
    """
    found: dict[str, set[str]] = {type_: set() for type_ in TYPES}
    for mention in mentions:
        found[mention.type].add(mention.canonical)
    return {type_: sorted(names) for type_, names in found.items()}
