"""Property tests: every text analysis step copes with arbitrary Unicode and keeps its promises.

Covered, each over texts that mix known names (aliases, countries, cities, companies, multi-word ones
among them) at the start and the end, punctuation or whitespace alone, NFD text and stacked combining
marks, right-to-left and mixed scripts, emoji and ZWJ sequences, NUL and other control characters, lone
surrogates, CRLF and CR line breaks, dates and datelines, capitalised word runs and debris lines, and a
few 200 kB lines:

- ``cleaning.clean``, ``cleaning.is_debris``
- ``metadata.infer`` (arbitrary title, date, source, language, url and author values) and
  ``metadata.article_id``
- ``dates.find_text_dates``, ``dates.date_from_text``, ``dates.year_from_evidence``
- ``outlets.outlet_from_text``, ``outlets.relayed_source``
- ``language.detect``, ``language.normalise``
- ``entities.extract`` in en, fr, vi, az, ru, de, es, und, "" and zz; ``entities.canonical_name``;
  ``EntityCorrections.apply``
- ``folding.fold``, ``analysis.terms``, ``analysis.term_variants``, ``analysis.term_spans``
- ``schema.pre_analysed``

Invariants, as they apply: no exception; types as annotated; spans and mentions inside the text, in
order, non-overlapping and non-empty, slicing to what they claim; the same output for the same input,
also after other calls have filled the caches; ``fold`` idempotent. And the inputs that once made a
step super-linear must run in a bounded time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from index.analysis import cleaning, dates, entities, folding, language, metadata, outlets
from index.analysis import terms as analysis
from index.analysis.entities import TYPES, EntityCorrections, Mention, tokens
from index.indexing import pipeline
from index.models import Article, Provenance, RawDocument
from index.paths import resource_path
from index.storage.schema import pre_analysed

LANGUAGES = ("en", "fr", "vi", "az", "ru", "de", "es", "und", "", "zz")
LONG_LINE_CHARS = 200_000


def _gazetteer_names() -> list[str]:
    names: set[str] = set()
    for file in ("aliases.json", "countries.json", "cities.json", "companies.json", "regions.json"):
        table = json.loads(resource_path("entities", file).read_text("utf-8"))
        for type_ in TYPES:
            for canonical, aliases in table.get(type_, {}).items():
                names.update((canonical, *aliases))
    return sorted(names)


_RULES = json.loads(resource_path("entities", "rules.json").read_text("utf-8"))
NAMES = _gazetteer_names()
MULTIWORD_NAMES = [name for name in NAMES if " " in name or "-" in name]
CHOSEN_NAMES = [
    "Trường Đại học Công nghệ",
    "Đại học quốc gia Hà Nội",
    "Ho Chi Minh City",
    "Thành phố Hồ Chí Minh",
    "İlham Əliyev",
    "Ilham Aliyev",
    "Ильхама Алиева",
    "Мехрибан Алиеву",
    "Азербайджане",
    "Hà Nội",
    "Azerbaïdjan",
    "Mark Cairns",
    "Newmont Mining Corp",
    "Real Madrid",
    "U.N.",
]
TITLES = [title.title() for title in _RULES["titles"]] + _RULES["titles"]

names = st.one_of(st.sampled_from(NAMES), st.sampled_from(MULTIWORD_NAMES), st.sampled_from(CHOSEN_NAMES))
punctuation = st.text(st.characters(categories=["P", "S"]), min_size=1, max_size=8)
whitespace = st.text(
    st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\xa0\u2028\u2029\u3000\u200b"), min_size=1, max_size=8
)
stacked_marks = st.builds(
    "".join,
    st.lists(
        st.tuples(
            st.characters(categories=["L"]), st.text(st.characters(categories=["Mn", "Me"]), min_size=1, max_size=4)
        ).map("".join),
        min_size=1,
        max_size=4,
    ),
)
nfd = st.one_of(names, st.sampled_from(["Nguyễn Phú Trọng", "Hanoï", "Azərbaycan", "Ǆemal", "ǿ ẞ ℌ"])).map(
    lambda text: unicodedata.normalize("NFD", text)
)
scripts = st.sampled_from(
    [
        "محمد بن سلمان",
        "القاهرة",
        "ירושלים",
        "Ильхам Алиев",
        "Москва",
        "北京市",
        "東京 ソウル 서울",
        "Nguyễn Phú Trọng",
        "Tổng Bí thư Tô Lâm",
        "İlham Əliyev",
        "Azərbaycan Respublikası",
        "BAKU باكو Баку",
        "\u202eevil\u202c",
        "\u200fשלום\u200e",
        "ﬁnance ℌ 🄰 ͺ ǿ",
    ]
)
emoji = st.one_of(
    st.sampled_from(["👨\u200d👩\u200d👧\u200d👦", "🇻🇳🇦🇿", "🏳️\u200d🌈", "👍🏽", "\u200d", "\ufe0f"]),
    st.text(st.characters(categories=["So", "Sk"]), min_size=1, max_size=4),
)
controls = st.text(st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=4)
surrogates = st.one_of(st.sampled_from(["\ud800", "\udfff", "\udcff"]), st.characters(codec=None, categories=["Cs"]))
date_phrases = st.one_of(
    st.sampled_from(
        [
            "BAKU, May 7 -",
            "BAKU, Azerbaijan, May 8. ",
            "AZERBAIJAN, May 7 - ",
            "12 mars 2019",
            "le 1er mars",
            "31-MAR-1987",
            "May 7, 2025",
            "March 24",
            "7 MAY 2019",
            "29 February",
            "31 April 2019",
            "0 May",
            "May 99",
            "(1959-2019) anniversary",
            "7 ſept 2019",
            "7 APRİL 2019",
            "7 julı",
        ]
    ),
    st.builds(
        "{} {} {}".format,
        st.integers(0, 99),
        st.sampled_from(["May", "mars", "Dezember", "enero", "Sept.", "août", "MÄRZ"]),
        st.integers(1700, 2200),
    ),
)
capitalised_runs = st.lists(
    st.one_of(
        st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True),
        st.sampled_from(_RULES["given_names"][:200]),
        st.sampled_from(TITLES),
        st.sampled_from(["Mr.", "M.", "J.", "K.", "of", "the", "and", "de", "(", ")", ",", "'s", "-", "2", "v"]),
    ),
    min_size=2,
    max_size=6,
).map(" ".join)
signatures = st.sampled_from(
    [
        "Trend reports",
        "(Reuters) - ",
        "(AP) — ",
        "By Azernews",
        "VNA/CVN",
        "HANOI (VNA) -",
        "citing Azertac",
        "according to the Ministry of Foreign Affairs of",
        "via the Cabinet of Ministers.",
    ]
)
debris = st.sampled_from(
    [
        "Share | Tweet",
        "Back to top",
        "© 2019 Reuters",
        ">> Related",
        "- 16 px +",
        "↺",
        "Tél : 024 3825 2435",
        "Read more:",
        "Hanoi newsroom +84 24 3825 2435",
    ]
)
chunks = st.one_of(
    names,
    punctuation,
    whitespace,
    stacked_marks,
    nfd,
    scripts,
    emoji,
    controls,
    surrogates,
    date_phrases,
    capitalised_runs,
    signatures,
    debris,
    st.text(max_size=20),
    st.text(st.characters(codec=None), max_size=10),
)
separators = st.sampled_from(["", " ", "  ", "\n", "\r\n", "\r", "\n\n", ", ", ". ", "\t", " - ", "\x00"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A text of chunks and separators, often opening or closing with a known name."""
    parts = [draw(names)] if draw(st.booleans()) else []
    for chunk in draw(st.lists(chunks, max_size=8)):
        parts += [draw(separators), chunk]
    if draw(st.booleans()):
        parts += [draw(separators), draw(names)]
    return "".join(parts)


@st.composite
def long_lines(draw: st.DrawFn) -> str:
    """A line of about 200 kB: one drawn chunk repeated, without line breaks."""
    chunk = draw(texts()).replace("\n", " ").replace("\r", " ") + draw(st.sampled_from([" ", "", ". "]))
    if not chunk:
        chunk = "x"
    return (chunk * (LONG_LINE_CHARS // len(chunk) + 1))[:LONG_LINE_CHARS]


metadata_values = st.one_of(st.text(max_size=30), st.text(st.characters(codec=None), max_size=10), chunks)
metadata_dicts = st.dictionaries(
    st.sampled_from(["title", "date", "source", "language", "url", "author"]),
    st.one_of(
        metadata_values,
        st.sampled_from(["2025-05-07", "2019-02-30", "0000-01-01", "7 May 2025", "English", "fr-FR", "vi", "  "]),
    ),
)
languages = st.sampled_from(LANGUAGES)


def _assert_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans lie inside the text, are non-empty, in order and do not overlap."""
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        previous = end


# -- cleaning -------------------------------------------------------------------------------------


@given(texts())
def test_clean_keeps_whole_lines_in_order_and_is_idempotent(text: str) -> None:
    cleaned = cleaning.clean(text)
    assert isinstance(cleaned, str)
    assert cleaning.clean(cleaned) == cleaned
    lines = cleaned.split("\n") if cleaned else []
    assert not lines or (lines[0] and lines[-1])
    source = iter(line.rstrip() for line in text.split("\n"))
    for previous, line in zip(["x", *lines], lines, strict=False):
        assert previous or line  # no run of blank lines
        assert not cleaning.is_debris(line) or line.lstrip().startswith(">")  # a quote, in a quoting message
        assert line in source  # each kept line is an input line, in order
    assert cleaning.clean(text) == cleaned


@given(st.one_of(texts(), debris))
def test_is_debris_is_a_bool_that_ignores_surrounding_whitespace(line: str) -> None:
    found = cleaning.is_debris(line)
    assert isinstance(found, bool)
    assert cleaning.is_debris(f" \t{line}  ") == found
    if not line.strip():
        assert not found


# -- metadata -------------------------------------------------------------------------------------


@given(texts(), metadata_dicts, st.sampled_from([Provenance.HEADER, Provenance.STRUCTURED]), st.text())
@example("BAKU, May 7.\nThe ministers met in the capital.", {}, Provenance.HEADER, "a.txt")
@example("...\nThe ministers met.", {}, Provenance.HEADER, "a.txt")
@example("Body.", {"source": "  "}, Provenance.HEADER, "a\udcff.txt")
def test_infer_gives_a_complete_article_with_provenance(
    text: str, values: dict[str, str], kind: Provenance, key: str
) -> None:
    raw = RawDocument(key, key, text, values, kind, "utf-8")
    article = metadata.infer(raw)
    assert isinstance(article, Article)
    assert article.id == metadata.article_id(key)
    assert article.body == cleaning.clean(unicodedata.normalize("NFC", text))
    assert isinstance(article.title, str) and article.title and article.title == article.title.strip()
    assert article.title_provenance is not Provenance.UNKNOWN or article.title == "(untitled)"
    assert (article.date is None) == (article.date_provenance is Provenance.UNKNOWN)
    assert article.date is None or isinstance(article.date, dt.date)
    assert (article.source is None) == (article.source_provenance is Provenance.UNKNOWN)
    assert article.source is None or (article.source and article.source == article.source.strip())
    assert article.relayed_source is None or article.relayed_source != article.source
    assert isinstance(article.language, str) and article.language
    assert (article.language == language.UNDETERMINED) == (article.language_provenance is Provenance.UNKNOWN)
    assert metadata.infer(raw) == article


@given(st.one_of(st.text(), st.text(st.characters(codec=None))))
@example("archive/\udcff\udcfe.txt")  # a file name that is not UTF-8, decoded with surrogateescape
def test_article_id_is_sixteen_stable_hex_digits(key: str) -> None:
    found = metadata.article_id(key)
    assert re.fullmatch(r"[0-9a-f]{16}", found)
    assert metadata.article_id(key) == found
    if not any("\ud800" <= c <= "\udfff" for c in key):  # ids of ordinary keys stay the ones indexes hold
        assert found == hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# -- dates ----------------------------------------------------------------------------------------


@given(texts())
@example("7 ſept 2019")  # IGNORECASE matches ``ſ`` for ``s``, which str.lower leaves alone
@example("7 APRİL 2019")
@example("le 7 julı")
def test_text_dates_are_valid_days_in_order_where_the_text_names_them(text: str) -> None:
    found = dates.find_text_dates(text)
    assert [d.start for d in found] == sorted(d.start for d in found)
    for mention in found:
        assert 0 <= mention.start < len(text)
        assert 1 <= mention.month <= 12 and 1 <= mention.day <= 31
        assert mention.year is None or 1800 <= mention.year <= 2099
        dt.date(mention.year or 2000, mention.month, mention.day)
        digits = re.match(r"\d{1,2}", text[mention.start :])
        assert (int(digits.group()) == mention.day) if digits else text[mention.start].isalpha()
    assert dates.find_text_dates(text) == found


@given(st.one_of(texts(), st.tuples(texts(), texts()).map(lambda pair: f"{pair[0]}\n2010-06-11T14:30\n{pair[1]}")))
def test_date_from_text_is_a_stamp_line_or_the_first_lead_mention_given_a_year(text: str) -> None:
    found = dates.date_from_text(text)
    year = dates.year_from_evidence(text)
    assert year is None or 1800 <= year <= 2099
    stamps = [dates.STAMP_LINE.match(line) for line in text[:600].split("\n")[: dates.STAMP_LINES_READ]]
    stamped = [dates.parse_date_value(stamp.group(1)) for stamp in stamps if stamp]
    if any(stamped):
        assert found == next(date for date in stamped if date)
    elif found is not None:
        first = dates.find_text_dates(text[:600])[0]
        assert (found.month, found.day) == (first.month, first.day)
        assert found.year == (first.year or year)
    assert dates.date_from_text(text) == found
    assert dates.year_from_evidence(text) == year


# -- outlets --------------------------------------------------------------------------------------


@given(texts())
def test_outlets_and_relayed_sources_are_known_names_or_text_of_the_lead(text: str) -> None:
    outlet = outlets.outlet_from_text(text)
    assert outlet is None or outlet in {o.name for o in outlets.default_outlets()}
    assert outlets.outlet_from_text(text, ()) is None
    relayed = outlets.relayed_source(text)
    if relayed is not None:
        assert relayed and relayed == relayed.strip() and relayed in text[:1500]
        assert relayed[0].isupper() and "\n" not in relayed
    assert outlets.outlet_from_text(text) == outlet
    assert outlets.relayed_source(text) == relayed


# -- language -------------------------------------------------------------------------------------


@given(texts())
def test_counts_of_letters_by_script_are_counts_of_their_characters(text: str) -> None:
    assert analysis.count_unspaced(text) == len(re.findall(f"[{analysis._UNSPACED}]", text))
    letters = language._NOT_LETTERS.sub("", text)  # as detect gives them
    assert language.mostly_latin(letters) == (2 * len(language._LATIN_LETTER.findall(letters)) >= len(letters))


@given(texts())
@example("This is a long English sentence about the government and the people \ud800 of the city.")
def test_detect_answers_a_code_from_the_lead_only(text: str) -> None:
    found = language.detect(text)
    assert found == language.UNDETERMINED or re.fullmatch(r"[a-z]{2,3}", found)
    assert language.detect(text[:1500]) == found
    assert language.detect(text) == found


@given(st.one_of(metadata_values, st.sampled_from(["English", " fr-FR ", "vi_VN", "Tiếng Việt", "zh-Hant-TW"])))
def test_normalise_gives_a_code_or_none_and_is_idempotent(value: str) -> None:
    code = language.normalise(value)
    if code is not None:
        assert re.fullmatch(r"[a-z]{2,3}", code)
        assert language.normalise(code) == code


# -- entities -------------------------------------------------------------------------------------


def _assert_mentions(text: str, mentions: list[Mention]) -> None:
    _assert_spans(text, [(m.start, m.end) for m in mentions])
    for mention in mentions:
        assert isinstance(mention, Mention)
        assert mention.type in TYPES
        assert isinstance(mention.canonical, str) and mention.canonical
        surface = text[mention.start : mention.end]
        assert surface == surface.strip() and "\n" not in surface


@given(texts(), languages, texts())
@example("Sinh viên Trường Đại học Công nghệ, Đại học quốc gia Hà Nội", "vi", "")
@example("John Mark met Mark Smith. Later Mark", "en", "")
def test_extract_finds_ordered_mentions_that_slice_the_text(text: str, language_code: str, other: str) -> None:
    mentions = entities.extract(text, language_code)
    _assert_mentions(text, mentions)
    entities.extract(other, language_code)
    assert entities.extract(text, language_code) == mentions


@given(texts(), languages)
@example("> Le courriel de Jean Dupont\n>>Voir aussi Marseille\nJean Dupont est à Paris.", "fr")
def test_a_cleaned_body_said_cleaned_gives_the_same_mentions(text: str, language_code: str) -> None:
    # Told that clean() made it, extract judges only the quoted lines clean keeps: ">>Voir aussi
    # Marseille" is debris in a quoting message, and names nothing.
    body = cleaning.clean(text)
    assert entities.extract(body, language_code, cleaned=True) == entities.extract(body, language_code)


@given(st.one_of(names, texts()), st.sampled_from([None, *TYPES]))
def test_canonical_name_is_a_known_name_of_the_asked_type(name: str, type_: str | None) -> None:
    found = entities.canonical_name(name, type_)
    assert found is None or (isinstance(found, str) and found)
    if found is not None:
        assert entities.canonical_name(name) == found
    assert entities.canonical_name(name, type_) == found


@given(
    texts(),
    languages,
    st.lists(st.tuples(st.one_of(names, chunks), st.sampled_from(TYPES), names), max_size=3),
    st.lists(st.tuples(names, st.sampled_from(TYPES), names), max_size=2),
    st.lists(st.tuples(st.sampled_from(TYPES), names, names), max_size=2),
)
@example("J. K. Rowling , in Hanoi", "en", [(" ", "PLACE", "Nowhere")], [], [])  # a blank surface matched everywhere
def test_corrections_keep_mentions_ordered_and_inside_the_text(
    text: str,
    language_code: str,
    added: list[tuple[str, str, str]],
    split: list[tuple[str, str, str]],
    renamed: list[tuple[str, str, str]],
) -> None:
    corrections = EntityCorrections()
    for surface, type_, canonical in added:
        corrections = corrections.add(surface, type_, canonical)
    for surface, type_, canonical in split:
        corrections = corrections.split_alias(surface, type_, canonical)
    for type_, canonical, new in renamed:
        corrections = corrections.rename(type_, canonical, new).retype(type_, new, type_)
    mentions = entities.extract(text, language_code)
    corrected = corrections.apply(text, mentions)
    _assert_mentions(text, corrected)
    assert EntityCorrections.from_dict(corrections.to_dict()).apply(text, mentions) == corrected
    # Added surfaces win over the extracted mentions they overlap, and only over those.
    with_added = EntityCorrections(added=corrections.added).apply(text, mentions)
    found = [m for m in with_added if m not in mentions]
    kept = [m for m in mentions if not any(m.start < a.end and a.start < m.end for a in found)]
    assert sorted(found + kept, key=lambda m: m.start) == with_added


# -- analysis and postings ------------------------------------------------------------------------


@given(st.one_of(texts(), stacked_marks, nfd))
@example("ℌ")  # NFKD gives a capital
@example("ǿ")  # NFKD gives ``ø`` and a mark
@example("ẞ")
def test_fold_is_lower_case_without_marks_and_idempotent(word: str) -> None:
    folded = folding.fold(word)
    assert folding.fold(folded) == folded
    assert folded.lower() == folded
    assert not any(unicodedata.combining(c) for c in folded)


@given(texts(), languages, texts())
def test_terms_are_one_per_token_and_each_is_the_words_term(text: str, language_code: str, other: str) -> None:
    words = analysis.TOKEN.findall(text)
    found = analysis.terms(text, language_code)
    assert len(found) == len(words)
    assert all(isinstance(term, str) for term in found)
    analysis.terms(other, language_code)
    assert found == [analysis.terms(word, language_code)[0] for word in words]
    assert analysis.terms(text, language_code) == found


@given(st.one_of(texts(), st.text(st.sampled_from("ab_é,.-’\u00a0\u2028\x1c\t\n 1²习"))))
@example("naïve_x,café\u00a0l’été\x1cend")
def test_distinct_words_are_the_tokens_the_whole_text_pattern_finds(text: str) -> None:
    assert analysis._distinct_words(text) == set(analysis.TOKEN.findall(text))


@given(st.one_of(texts(), st.text(st.sampled_from("lL'’sS-.&qQuU aé\u0301\u00a0\u2028\n1_,Ö"))))
@example("l'État d’Ivoire's News.Az O'Brien qu'il\n\u00a0x")
def test_the_name_finders_tokens_are_the_texts_own_characters_in_order(text: str) -> None:
    """Each token is its stretch of the text, described as its surface is; what lies between
    tokens is space or underscores (a line break is a token)."""
    found = tokens._tokens(text)
    end = 0
    for token in found:
        assert end <= token.start < token.end
        assert text[token.start : token.end] == token.text
        assert (token.fold, token.kind, token.capitalised) == tokens._describe(token.text)
        assert _between_tokens(text[end : token.start])
        end = token.end
    assert _between_tokens(text[end:])


def _between_tokens(gap: str) -> bool:
    return not gap.replace("_", "").strip() and "\n" not in gap


@given(st.one_of(names, texts()), st.lists(languages, max_size=4))
@example("Hanoi\udcff", ["en"])  # a command-line byte that was not UTF-8: the stemmers take UTF-8
def test_term_variants_are_distinct_folded_first_and_hold_each_languages_term(
    word: str, variant_languages: list[str]
) -> None:
    variants = analysis.term_variants(word, variant_languages)
    assert variants[0] == folding.fold(word)
    assert len(set(variants)) == len(variants)
    if analysis.TOKEN.fullmatch(word):
        for code in variant_languages:
            assert analysis.terms(word, code)[0] in variants
    assert analysis.term_variants(word, variant_languages) == variants


@given(texts(), languages, st.lists(st.one_of(names, chunks), max_size=3))
@example("主席习近平发来贺电。习近平", "zh", ["习近平"])
@example("Ali习近平 Ali", "en", ["ali", "习"])
def test_term_spans_are_exactly_the_tokens_of_the_wanted_terms(
    text: str, language_code: str, queries: list[str]
) -> None:
    wanted = {term for query in queries for term in analysis.terms(query, language_code)}
    spans = analysis.term_spans(text, language_code, wanted)
    assert analysis.term_spans(text, language_code, wanted) == spans  # again, from the text's kept vocabulary
    _assert_spans(text, spans)
    for start, end in spans:
        assert set(analysis.terms(text[start:end], language_code)) <= wanted
    tokens = [m.span() for m in analysis.TOKEN.finditer(text) if analysis.terms(m.group(), language_code)[0] in wanted]
    expected: list[tuple[int, int]] = []
    for start, end in tokens:  # tokens that touch (Chinese or Japanese characters) make one span
        if expected and expected[-1][1] == start:
            expected[-1] = (expected[-1][0], end)
        else:
            expected.append((start, end))
    assert spans == expected


@given(st.lists(st.tuples(texts(), languages), min_size=1, max_size=4), st.lists(st.one_of(names, chunks), max_size=3))
@example([("Hanoi, Hà Nội. HANOI hanoi", "vi"), ("hanoi Hà Nội", "vi")], ["Hanoi", "Hà Nội"])
@example([("主席习近平发来贺电。习近平", "zh"), ("习近平 习", "zh")], ["习近平"])
@example([("Hanoi", "en"), ("HANOI and Hanoi", "en")], ["hanoi"])  # a form the page had not shown
@example([("cats", "en"), ("cats cat", "vi")], ["cat"])  # a word found is another term in another language
def test_the_spans_of_a_page_found_from_the_counts_of_the_index_are_term_spans(
    page: list[tuple[str, str]], queries: list[str]
) -> None:
    """A page's snippets look first for the words found in its texts before, and trust them when
    they find as many tokens as the postings count: the spans are those of term_spans all the same."""
    wanted = {term for query in queries for _, code in page for term in analysis.terms(query, code)}
    spans_of = analysis.TermSpans(wanted)
    for text, language_code in [*page, *page]:
        expected = analysis.term_spans(text, language_code, wanted)
        tokens = sum(term in wanted for term in analysis.terms(text, language_code))
        assert spans_of(text, language_code, tokens) == expected
        assert spans_of(text, language_code, tokens + 1) == expected  # a count no words found make
        assert spans_of(text, language_code) == expected


@given(texts(), languages)
def test_pre_analysed_text_is_its_terms_each_writable_as_utf8(text: str, language_code: str) -> None:
    """The segment writer encodes a segment's terms together: one that could not be encoded would
    lose the whole segment, not one article."""
    found = pre_analysed(text, language_code)
    assert found == analysis.terms(text, language_code) and found.length == len(found)
    for term in found:
        assert term.encode("utf-8").decode("utf-8") == term


@given(texts(), texts(), st.dictionaries(st.text(st.characters(exclude_categories=["Cs"])), texts(), max_size=3))
def test_a_document_made_encodable_loses_only_lone_surrogates(key: str, text: str, values: dict[str, str]) -> None:
    raw = RawDocument(key, key, text, values, Provenance.HEADER, "utf-8")
    made = pipeline._encodable(raw)
    pairs = [(raw.key, made.key), (raw.path, made.path), (raw.text, made.text)]
    pairs += zip(raw.metadata, made.metadata, strict=True)
    pairs += zip(raw.metadata.values(), made.metadata.values(), strict=True)
    for before, after in pairs:
        after.encode("utf-8")
        assert len(after) == len(before)
        assert all(a == b or (a == "\ufffd" and "\ud800" <= b <= "\udfff") for a, b in zip(after, before, strict=True))
    assert (made is raw) == all(before == after for before, after in pairs)


# -- long lines -----------------------------------------------------------------------------------


@settings(max_examples=3)
@given(long_lines(), languages)
def test_every_step_copes_with_a_long_line(text: str, language_code: str) -> None:
    assert cleaning.clean(text) == text.rstrip() or not text.strip() or cleaning.is_debris(text)
    article = metadata.infer(RawDocument("long.txt", "long.txt", text, {}, Provenance.HEADER, "utf-8"))
    assert article.body == cleaning.clean(unicodedata.normalize("NFC", text))
    dates.find_text_dates(text)
    dates.year_from_evidence(text)
    outlets.outlet_from_text(text)
    _assert_mentions(text, entities.extract(text, language_code))
    _assert_spans(text, analysis.term_spans(text, language_code, {"hanoi", "baku"}))
    assert pre_analysed(text, language_code).length == len(analysis.terms(text, language_code))


# -- running time ---------------------------------------------------------------------------------
