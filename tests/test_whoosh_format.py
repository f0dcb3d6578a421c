"""Reference tests (issue 11): our index against one built by stock Whoosh from the same documents.

The engine writes Whoosh's on-disk format partly with its own code (segments.py: the term-grouped
pool and the field writer; schema.py: positions encoded ahead of time; commits.py: merges and
deletions). Here a small archive of our own articles (six languages, titles, sources, names the
entity extractor finds, words repeated so frequencies exceed 1) is indexed through the public API,
then changed (a file deleted, a file edited, a file added) and updated again, in three ways:

- ``ours-1``: one worker, tiny segments merged by every commit (the default policy);
- ``ours-2``: two tasks per run, so several segments, each later merged into the next commit's;
- ``ours-unmerged``: no segment merged (as in archives of large segments), so deleted documents
  stay in their segments and still count in the statistics.

The same documents' fields (``analyse_file``, as the indexer computes them) are added to stock
Whoosh indexes by Whoosh's default writer, codec and merges, text passed as token lists (Whoosh's
own way to index pre-tokenised text): by the same commits as each of ours (``stock-history-*``: same
additions and deletions, segments merged where ours are, by Whoosh's OPTIMIZE), and, for the merged
ones, the final documents in one commit (``stock``) or in two then optimized (``stock-optimized``).
Documents are matched by their stored article id, never by docnum.

Compared, with Whoosh's own readers and searcher on both sides: documents (live and deleted) and
stored fields; every term of every indexed field with its document frequency, total weight and
term-info bounds; every posting's weight, value bytes and positions; field lengths; and the ranked
results (ids, order and BM25F scores, all hits and the top 3) of a set of parsed queries. A Whoosh
upgrade that changes its format or its statistics makes these comparisons fail, naming the field,
term and document. Not comparable, by design: docnums; term and block length bounds, which our
codec does not keep (SegmentCodec.length_stats: 0, checked to stay a conservative minimum); and a
field's total length against an index merged differently (Whoosh's merges add up the one-byte
approximate lengths of the documents they copy; see test_field_lengths).

These tests found that our title postings ignored the schema's ``field_boost=2.0`` (a title term
weighed its count, not twice it); ``test_title_weights_carry_the_schemas_field_boost`` keeps it fixed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from index import Archive
from index.indexing import indexer
from index.indexing.indexer import split_into_tasks
from index.indexing.pipeline import UserCorrections, analyse_file
from index.reading.files import read_bytes, scan
from index.storage import commits, term_filter
from index.storage.generations import INDEX_NAME
from index.storage.layout import WHOOSH_DIR
from index.storage.query import parse_query
from index.storage.schema import PreAnalyzed, build_schema

SCHEMA = build_schema()
TITLE_BOOST = SCHEMA["title"].format.field_boost  # 2.0, as the schema declares it
SCORE_TOLERANCE = 1e-6
TIE = 1e-9

ARTICLES = {
    "en/baku-forum.txt": (
        "# date = 2024-03-14\n# source = Caspian Wire\n# title = Baku forum on energy and trade\n\n"
        "President Ilham Aliyev opened the Baku energy forum on Thursday. Aliyev said energy exports and "
        "trade routes across the Caspian would grow. Delegates from Hanoi and Paris discussed energy "
        "prices, energy security and new trade agreements in Baku."
    ),
    "en/hanoi-visit.txt": (
        "# date = 2024-05-02\n# source = Mekong Daily\n# title = To Lam receives a trade delegation in Hanoi\n\n"
        "To Lam received a trade delegation from Azerbaijan in Hanoi. The delegation brought a message "
        "from Ilham Aliyev. Trade between the two countries doubled, and the trade ministers agreed to "
        "meet again in Baku next year. The prime minister spoke about rice, coffee and energy."
    ),
    "en/rice-harvest.txt": (
        "# date = 2023-10-20\n# source = Mekong Daily\n\n"
        "Rice harvest breaks records in the Mekong delta: rice, rice and rice\n\n"
        "Farmers near Can Tho reported a record rice harvest. Rice prices fell while rice exports rose. "
        "The prime minister praised the farmers, and the ministry of agriculture promised new canals."
    ),
    "en/election.txt": (
        "# date = 2024-02-07\n# source = Caspian Wire\n# title = Election day in Azerbaijan\n\n"
        "Voters in Baku, Ganja and Sumgait went to the polls. Ilham Aliyev won the election, the central "
        "election commission said. Observers from the OSCE watched the election in Baku."
    ),
    "en/coffee.txt": (
        "Coffee growers in the Central Highlands\n\n"
        "Coffee prices rose again this week. Growers in Dak Lak said the coffee crop was smaller, and "
        "traders in Ho Chi Minh City expect coffee exports to fall. Coffee, coffee, and more coffee."
    ),
    "fr/forum.txt": (
        "# date = 2024-03-15\n# source = Le Courrier du Caucase\n# language = fr\n"
        "# title = Forum de Bakou sur l'énergie\n\n"
        "Le président Ilham Aliyev a ouvert le forum de Bakou. Les délégués ont parlé de l'énergie, des "
        "prix de l'énergie et des échanges commerciaux. Une délégation de Hanoï a rencontré les ministres "
        "à Bakou. Les échanges commerciaux entre les deux pays ont doublé."
    ),
    "fr/riz.txt": (
        "# date = 2023-10-22\n# source = Le Courrier du Mékong\n# language = fr\n"
        "# title = Récolte de riz record au Vietnam\n\n"
        "Les agriculteurs du delta du Mékong annoncent une récolte de riz record. Le prix du riz baisse, "
        "les exportations de riz augmentent, et le Premier ministre félicite les agriculteurs."
    ),
    "de/energie.txt": (
        "# date = 2024-03-16\n# source = Kaukasus Rundschau\n# language = de\n"
        "# title = Energieforum in Baku\n\n"
        "Präsident Ilham Aliyev eröffnete das Energieforum in Baku. Die Delegierten sprachen über Energie, "
        "Energiepreise und Handel. Der Handel zwischen Aserbaidschan und Vietnam wächst, sagte der "
        "Minister in Baku. Energie bleibt das wichtigste Thema."
    ),
    "de/kaffee.txt": (
        "# date = 2023-11-30\n# source = Kaukasus Rundschau\n# language = de\n"
        "# title = Kaffeepreise steigen weiter\n\n"
        "Die Kaffeepreise steigen weiter. Händler in Hanoi erwarten weniger Kaffee aus dem Hochland, und "
        "der Kaffee wird teurer. Kaffee aus Vietnam ist in Europa gefragt."
    ),
    "vi/hanoi.txt": (
        "# date = 2024-05-03\n# source = Báo Hà Nội\n# language = vi\n"
        "# title = Tổng Bí thư Tô Lâm tiếp đoàn Azerbaijan\n\n"
        "Tổng Bí thư Tô Lâm đã tiếp đoàn đại biểu Azerbaijan tại Hà Nội. Hai bên thảo luận về thương mại, "
        "năng lượng và gạo. Thương mại giữa hai nước tăng gấp đôi. Đoàn đại biểu sẽ thăm Hà Nội và "
        "Thành phố Hồ Chí Minh."
    ),
    "vi/lua-gao.txt": (
        "# date = 2023-10-21\n# source = Báo Hà Nội\n# language = vi\n"
        "# title = Xuất khẩu gạo tăng mạnh, gạo Việt\n\n"
        "Xuất khẩu gạo tăng mạnh trong năm nay. Nông dân đồng bằng sông Cửu Long thu hoạch lúa gạo kỷ lục. "
        "Giá gạo giảm nhưng xuất khẩu gạo vẫn tăng."
    ),
    "az/forum.txt": (
        "# date = 2024-03-14\n# source = Xəzər Xəbər\n# language = az\n"
        "# title = Bakıda enerji forumu\n\n"
        "Prezident İlham Əliyev Bakıda enerji forumunu açdı. Forumda enerji, ticarət və enerji "
        "təhlükəsizliyi müzakirə olundu. Hanoydan gələn nümayəndə heyəti Bakıda nazirlərlə görüşdü."
    ),
    "az/secki.txt": (
        "# date = 2024-02-08\n# source = Xəzər Xəbər\n# language = az\n"
        "# title = Seçki nəticələri\n\n"
        "Mərkəzi Seçki Komissiyası seçkinin nəticələrini açıqladı. İlham Əliyev seçkidə qalib gəldi. "
        "Seçki Bakıda və Gəncədə sakit keçdi."
    ),
    "ru/forum.txt": (
        "# date = 2024-03-17\n# source = Каспийский вестник\n# language = ru\n"
        "# title = Энергетический форум в Баку\n\n"
        "Президент Ильхам Алиев открыл энергетический форум в Баку. Делегаты обсуждали энергетику, цены "
        "на энергию и торговлю. Делегация из Ханоя встретилась с министрами в Баку. Торговля растёт."
    ),
    "ru/kofe.txt": (
        "# date = 2023-12-01\n# source = Каспийский вестник\n# language = ru\n"
        "# title = Цены на кофе растут\n\n"
        "Цены на кофе растут. Торговцы в Ханое ожидают меньше кофе, и кофе дорожает. Вьетнамский кофе "
        "популярен в Баку."
    ),
    "news.jsonl": (
        '{"title": "Trade talks in Baku", "text": "Trade ministers met in Baku. Trade talks between '
        'Azerbaijan and Vietnam continued, and To Lam sent a letter to Ilham Aliyev.", '
        '"date": "2024-06-01", "source": "Caspian Wire", "language": "en"}\n'
        '{"title": "Energy prices fall", "text": "Energy prices fell in Europe. Energy traders in Paris '
        'and Berlin expect lower energy prices next winter.", "date": "2024-06-02", "source": "Mekong Daily"}\n'
        '{"title": "Le riz et le café", "text": "Le riz et le café du Vietnam se vendent bien. Le café '
        'de Hanoï est réputé.", "date": "2024-06-03", "source": "Le Courrier du Mékong", "language": "fr"}\n'
    ),
}
# The second update deletes a file; the third edits one (a record changed, one dropped) and adds one.
DELETED = "de/kaffee.txt"
EDITED = {
    "news.jsonl": (
        '{"title": "Trade talks in Baku end", "text": "Trade ministers met in Baku again. The trade talks '
        'ended, and To Lam thanked Ilham Aliyev for the talks.", '
        '"date": "2024-06-01", "source": "Caspian Wire", "language": "en"}\n'
        '{"title": "Energy prices fall", "text": "Energy prices fell in Europe. Energy traders in Paris '
        'and Berlin expect lower energy prices next winter.", "date": "2024-06-02", "source": "Mekong Daily"}\n'
    ),
}
ADDED = {
    "en/summit.txt": (
        "# date = 2024-07-01\n# source = Caspian Wire\n# title = Summit in Baku: energy, rice and coffee\n\n"
        "Ilham Aliyev and To Lam met at a summit in Baku. The summit agreed on energy, rice and coffee "
        "trade. Energy prices and rice prices were discussed at the summit in Baku."
    ),
}

# Queries as users type them: single words (several languages), AND, OR, NOT, phrases, a title
# word, keyword and entity fields, a prefix and a fuzzy word.
QUERIES = [
    "energy",
    "Baku",
    "enerji",
    "кофе",
    "gạo",
    "Handel",
    "rice prices",
    "trade AND (Hanoi OR Bakou)",
    "rice OR coffee",
    "energy NOT Baku",
    '"prime minister"',
    '"energy prices"',
    "title:forum",
    'source:"Caspian Wire"',
    "source:Mekong*",
    "language:fr",
    'person:"Ilham Aliyev"',
    'person:"To Lam"',
    "place:Hanoi",
    "org:OSCE",
    "coff*",
    "enrgy~",
]


@dataclass
class History:
    """The documents' Whoosh fields at each step, by file, as the indexer computes them."""

    initial: dict[str, list[dict[str, Any]]]
    final: dict[str, list[dict[str, Any]]]
    labels: dict[str, str] = field(default_factory=dict)  # article id -> "path #n", for messages

    def documents(self, files: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        return [fields for path in sorted(files) for fields in files[path]]


@dataclass
class Built:
    folders: dict[str, Path]  # index name -> Whoosh folder
    history: History
    segments: dict[str, list[list[int]]]  # ours: each segment's documents (deleted too) after each update


def _write_articles(root: Path, articles: dict[str, str]) -> None:
    for relpath, text in articles.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def _segments(whoosh_dir: Path) -> list[int]:
    ix = whoosh_index.open_dir(str(whoosh_dir), indexname=INDEX_NAME)
    try:
        return [segment.doc_count_all() for segment in ix._segments()]  # noqa: SLF001
    finally:
        ix.close()


def _analysed(root: Path) -> dict[str, list[dict[str, Any]]]:
    """Each file's documents' fields, computed as write_task computes them (no corrections)."""
    found, skipped = scan(root)
    assert not skipped, f"files skipped by scan: {skipped}"
    documents = {}
    for file in found:
        read, fields = analyse_file(file, read_bytes(root, file.relpath, file.fs_relpath), None, UserCorrections())
        assert not read.skipped and not read.problems, f"{file.relpath}: {read.skipped} {read.problems}"
        documents[file.relpath] = fields
    return documents


def _build_ours(root: Path, data: Path, workers: int) -> tuple[Path, list[list[int]]]:
    """Index the archive, then delete a file, then edit one and add one, updating after each change,
    each run in tasks as split for ``workers`` workers, run in this process one after the other (a
    run this small reads its files in one task: here each task is a commit, as a worker's is)."""
    _write_articles(root, ARTICLES)
    archive = Archive(root, data)
    whoosh_dir = archive.index_dir / WHOOSH_DIR
    segments = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexer, "split_into_tasks", lambda jobs, _workers: split_into_tasks(jobs, workers))
        try:
            summary = archive.update(workers=workers)
            assert summary.added == 18 and not summary.skipped and not summary.problems, summary
            segments.append(_segments(whoosh_dir))
            (root / DELETED).unlink()
            summary = archive.update(workers=workers)
            assert summary.deleted == 1, summary
            segments.append(_segments(whoosh_dir))
            _write_articles(root, {**EDITED, **ADDED})
            summary = archive.update(workers=workers)
            # a record retitled (records without an id are known by title and date: a new article),
            # one the same, one dropped; a file added
            assert (summary.added, summary.updated, summary.deleted) == (2, 0, 2) and not summary.problems, summary
            segments.append(_segments(whoosh_dir))
        finally:
            archive.close()
    return whoosh_dir, segments


def _stock_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """An article's fields for stock Whoosh: pre-analysed text as its token list, which Whoosh
    indexes as it is (position i for token i), bypassing the field's analyzer."""
    stock: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, PreAnalyzed):
            stock[name] = list(value)
        else:
            stock[name] = value
    return stock


Commit = tuple[list[str], list[dict[str, Any]]]  # article ids deleted, documents added


def _commits(history: History, workers: int) -> list[Commit]:
    """Our commits, as the indexer makes them: each run's deletions in one commit, then one commit
    per task (split_into_tasks over the changed files, in scan order), deleting the old articles
    of each file it re-reads and adding its new ones."""
    commits: list[Commit] = []
    for task in _tasks(list(history.initial), workers):
        commits.append(([], [fields for path in task for fields in history.initial[path]]))
    commits.append(([fields["id"] for fields in history.initial[DELETED]], []))
    changed = [path for path in history.final if path in EDITED or path in ADDED]
    for task in _tasks(changed, workers):
        deleted = [fields["id"] for path in task for fields in history.initial.get(path, [])]
        commits.append((deleted, [fields for path in task for fields in history.final[path]]))
    return commits


def _tasks(paths: list[str], workers: int) -> list[list[str]]:
    """The indexer's tasks for these files (it splits a list of jobs by position only)."""
    return split_into_tasks(paths, workers)  # type: ignore[arg-type,return-value]


def _build_stock(folder: Path, batches: list[Commit], merge: str) -> Path:
    """A stock Whoosh index (default writer, codec and merging) made by the given commits.

    ``merge``: "none" keeps every segment (and deleted documents in them); "all" merges every
    segment into each commit's new one (Whoosh's OPTIMIZE: what our merge policy does to
    segments this small); "at the end" commits without merging, then optimizes once.
    """
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    try:
        for deleted, added in batches:
            writer = ix.writer()
            for article in deleted:
                writer.delete_by_term("id", article)
            for fields in added:
                writer.add_document(**_stock_fields(fields))
            writer.commit(merge=False, optimize=merge == "all")
        if merge == "at the end":
            ix.optimize()
    finally:
        ix.close()
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("whoosh_format")
    with pytest.MonkeyPatch.context() as patch:
        # As conftest.private_dirs does for each test: nothing of the user's is read or written.
        patch.setenv("ARCHIVIST_DATA_DIR", str(base / "userdata"))
        patch.setenv("ARCHIVIST_CONFIG_DIR", str(base / "userconfig"))
        patch.setenv("ARCHIVIST_LOG_DIR", str(base / "userlogs"))
        patch.setenv("ARCHIVIST_CACHE_DIR", str(base / "usercache"))
        patch.setattr(commits, "TINY_SEGMENTS_MERGED_AT", 1)  # every commit merges: the merges are compared
        folders, segments = {}, {}
        folders["ours-1"], segments["ours-1"] = _build_ours(base / "a1", base / "data", workers=1)
        folders["ours-2"], segments["ours-2"] = _build_ours(base / "a2", base / "data", workers=2)
        with pytest.MonkeyPatch.context() as no_merging:
            no_merging.setattr(commits, "TINY_SEGMENT_DOCS", 0)
            folders["ours-unmerged"], segments["ours-unmerged"] = _build_ours(base / "a3", base / "data", workers=2)
    reference = base / "reference"
    _write_articles(reference, ARTICLES)
    initial = _analysed(reference)
    (reference / DELETED).unlink()
    _write_articles(reference, {**EDITED, **ADDED})
    history = History(initial, _analysed(reference))
    for files in (history.initial, history.final):
        for path, documents in files.items():
            for number, fields in enumerate(documents):
                history.labels[fields["id"]] = f"{path} #{number}"
    final = history.documents(history.final)
    references: list[tuple[str, list[Commit], str]] = [
        ("stock", [([], final)], "none"),
        ("stock-optimized", [([], final[::2]), ([], final[1::2])], "at the end"),
        ("stock-history-1", _commits(history, 1), "all"),
        ("stock-history-2", _commits(history, 2), "all"),
        ("stock-history-unmerged", _commits(history, 2), "none"),
    ]
    for name, batches, merge in references:
        folders[name] = _build_stock(base / name, batches, merge)
    return Built(folders, history, segments)


@dataclass
class Opened:
    """An index opened with Whoosh's own searcher (BM25F) and reader, and its live documents' ids."""

    searcher: Searcher
    reader: Any
    ids: dict[int, str]  # live document number -> article id


@pytest.fixture(scope="module")
def indexes(built: Built) -> Iterator[dict[str, Opened]]:
    opened: dict[str, Opened] = {}
    files = []
    try:
        for name, folder in built.folders.items():
            ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
            files.append(ix)
            searcher = ix.searcher()
            reader = searcher.reader()
            opened[name] = Opened(searcher, reader, {d: stored["id"] for d, stored in reader.iter_docs()})
        yield opened
    finally:
        for index in opened.values():
            index.searcher.close()
        for ix in files:
            ix.close()


# (ours, stock reference). Each of ours against stock Whoosh made by the same commits (same
# additions, deletions and merges), and the merged ones also against the final documents written
# in one commit, or in two then optimized: those hold the same terms and postings, but not the
# same total field lengths (see test_field_lengths), hence not the same scores.
SAME_HISTORY = [
    ("ours-1", "stock-history-1"),
    ("ours-2", "stock-history-2"),
    ("ours-unmerged", "stock-history-unmerged"),
]
PAIRS = [*SAME_HISTORY, ("ours-1", "stock"), ("ours-2", "stock-optimized")]
pairs = pytest.mark.parametrize(("ours", "stock"), PAIRS, ids=[f"{a}-vs-{b}" for a, b in PAIRS])
same_history = pytest.mark.parametrize(("ours", "stock"), SAME_HISTORY, ids=[f"{a}-vs-{b}" for a, b in SAME_HISTORY])


# ---- snapshots: what each index holds, keyed by article id -------------------------------------


def _postings(index: Opened, fieldname: str, term: bytes) -> dict[str, tuple[float, bytes, list[int] | None]]:
    """A term's live postings by article id: weight, value bytes, positions (positional fields)."""
    reader, ids = index.reader, index.ids
    positional = SCHEMA[fieldname].format.supports("positions")
    # A format that keeps no values: Whoosh's block matcher says None, its matcher of postings
    # inlined in the term info (ours, for rare terms) says "".
    valueless = SCHEMA[fieldname].format.fixed_value_size() == 0
    found = {}
    matcher = reader.postings(fieldname, term)
    while matcher.is_active():
        article = ids[matcher.id()]
        assert article not in found, f"{fieldname}:{term!r}: two postings for article {article}"
        positions = list(matcher.value_as("positions")) if positional else None
        found[article] = (matcher.weight(), None if valueless else matcher.value(), positions)
        matcher.next()
    return found


def _differences(what: str, ours: dict[Any, Any], stock: dict[Any, Any], label: Any = str) -> list[str]:
    lines = []
    for key in sorted(set(ours) | set(stock), key=repr):
        if key not in stock:
            lines.append(f"{what} {label(key)}: in ours only ({ours[key]!r})")
        elif key not in ours:
            lines.append(f"{what} {label(key)}: in stock Whoosh's only ({stock[key]!r})")
        elif ours[key] != stock[key]:
            lines.append(f"{what} {label(key)}: ours {ours[key]!r}, stock Whoosh {stock[key]!r}")
    return lines


def _fail_on(lines: list[str], heading: str) -> None:
    if lines:
        shown = "\n  ".join(lines[:25])
        more = f"\n  ... and {len(lines) - 25} more" if len(lines) > 25 else ""
        pytest.fail(f"{heading}: {len(lines)} difference(s)\n  {shown}{more}", pytrace=False)


# ---- the comparisons -----------------------------------------------------------------------------


def test_the_archive_exercises_what_is_compared(built: Built, indexes: dict[str, Opened]) -> None:
    """Not a comparison: guards the others against comparing nothing (no entities, no repeated
    words, no merged segments, no deleted documents)."""
    reader = indexes["ours-1"].reader
    languages = set(reader.lexicon("language"))
    assert languages == {b"az", b"de", b"en", b"fr", b"ru", b"vi"}, languages
    for fieldname, term in [
        ("person", b"ilham aliyev"),
        ("person", b"to lam"),
        ("place", b"baku"),
        ("place", b"hanoi"),
        ("org", b"osce"),
        ("source", b"caspian wire"),
    ]:
        assert reader.doc_frequency(fieldname, term) >= 1, (
            f"{fieldname}:{term!r} is not indexed: the extractor changed?"
        )
    for fieldname in ("title", "body"):
        assert any(info.max_weight() > 1 for _term, info in reader.iter_field(fieldname)), f"no {fieldname} tf > 1"
    # The stock references replay our commits (see _commits): what our indexer wrote must agree.
    added = [len(documents) for _deleted, documents in _commits(built.history, 2) if documents]
    assert built.segments["ours-unmerged"] == [added[:2], added[:2], added], (built.segments, added)
    assert sorted(built.segments["ours-2"][0]) == sorted(added[:2]), (built.segments, added)
    assert sorted(built.segments["ours-2"][2]) == sorted([17 - added[-1], added[-1]]), (built.segments, added)
    assert [sorted(sizes) for sizes in built.segments["ours-1"]] == [[18], [17], [3, 14]], built.segments
    unmerged = indexes["ours-unmerged"].reader
    assert unmerged.has_deletions() and unmerged.doc_count() < unmerged.doc_count_all()
    for name in ("ours-1", "ours-2"):
        merged = indexes[name].reader
        assert not merged.has_deletions(), f"{name}: the merge policy kept deleted documents"
    assert len(built.history.documents(built.history.final)) == reader.doc_count() == 17


@pairs
def test_documents_and_stored_fields(indexes: dict[str, Opened], ours: str, stock: str) -> None:
    ours_reader, stock_reader = indexes[ours].reader, indexes[stock].reader
    assert ours_reader.doc_count() == stock_reader.doc_count(), "live documents"
    assert ours_reader.doc_count_all() == stock_reader.doc_count_all(), "documents, deleted ones included"

    def every(reader: Any) -> tuple[Counter[str], Counter[str], dict[str, dict[str, Any]]]:
        everything: Counter[str] = Counter()
        deleted: Counter[str] = Counter()
        live: dict[str, dict[str, Any]] = {}
        for docnum in range(reader.doc_count_all()):
            stored = reader.stored_fields(docnum)
            everything[stored["id"]] += 1
            if reader.is_deleted(docnum):
                deleted[stored["id"]] += 1
            else:
                assert stored["id"] not in live, f"two live documents with id {stored['id']}"
                live[stored["id"]] = stored
        return everything, deleted, live

    ours_all, ours_deleted, ours_live = every(ours_reader)
    stock_all, stock_deleted, stock_live = every(stock_reader)
    _fail_on(_differences("document", dict(ours_all), dict(stock_all)), "documents (deleted included) by id")
    _fail_on(_differences("deleted document", dict(ours_deleted), dict(stock_deleted)), "deleted documents by id")
    _fail_on(_differences("stored fields of", ours_live, stock_live), "stored fields")


@pairs
def test_terms_and_their_statistics(indexes: dict[str, Opened], ours: str, stock: str) -> None:
    """Every (field, term) of every indexed field, with what its term info says."""
    ours_reader, stock_reader = indexes[ours].reader, indexes[stock].reader
    ours_terms, stock_terms = set(ours_reader.all_terms()), set(stock_reader.all_terms())
    _fail_on(
        _differences("term", dict.fromkeys(ours_terms, True), dict.fromkeys(stock_terms, True)), "terms of the index"
    )
    for fieldname in SCHEMA.names():
        assert set(ours_reader.lexicon(fieldname)) == set(stock_reader.lexicon(fieldname)), f"lexicon of {fieldname}"
    lines = []
    for fieldname, term in sorted(ours_terms & stock_terms):
        where = f"{fieldname}:{term.decode('utf-8')!r}"
        ours_info, stock_info = ours_reader.term_info(fieldname, term), stock_reader.term_info(fieldname, term)
        for statistic, ours_value, stock_value in [
            (
                "document frequency",
                ours_reader.doc_frequency(fieldname, term),
                stock_reader.doc_frequency(fieldname, term),
            ),
            ("total weight", ours_reader.frequency(fieldname, term), stock_reader.frequency(fieldname, term)),
            ("term info weight", ours_info.weight(), stock_info.weight()),
            ("term info max weight", ours_info.max_weight(), stock_info.max_weight()),
        ]:
            if ours_value != stock_value:
                lines.append(f"{where}: {statistic} ours {ours_value!r}, stock Whoosh {stock_value!r}")
        # Our codec does not keep length bounds (SegmentCodec.length_stats): its minimum must stay a
        # lower bound, so that Whoosh's quality skipping is conservative, never wrong.
        if ours_info.min_length() > stock_info.min_length():
            lines.append(f"{where}: min length ours {ours_info.min_length()} > stock {stock_info.min_length()}")
        for name, reader, info in [("ours", ours_reader, ours_info), ("stock", stock_reader, stock_info)]:
            docnums = list(reader.postings(fieldname, term).all_ids())
            if docnums and not info.min_id() <= docnums[0] <= docnums[-1] <= info.max_id():
                lines.append(f"{where}: {name} term info ids {info.min_id()}..{info.max_id()} miss {docnums}")
    _fail_on(lines, f"term statistics, {ours} against {stock}")


@pairs
def test_postings(indexes: dict[str, Opened], built: Built, ours: str, stock: str) -> None:
    """Posting by posting, matched by article id: weight, value bytes, positions."""
    ours_reader, stock_reader = indexes[ours].reader, indexes[stock].reader
    labels = built.history.labels
    lines = []
    checked = 0
    for fieldname, term in sorted(set(ours_reader.all_terms()) & set(stock_reader.all_terms())):
        ours_postings = _postings(indexes[ours], fieldname, term)
        stock_postings = _postings(indexes[stock], fieldname, term)
        checked += len(stock_postings)
        where = f"{fieldname}:{term.decode('utf-8')!r} in"
        lines += _differences(where, ours_postings, stock_postings, lambda a: f"{a} ({labels.get(a)})")
    _fail_on(lines, f"postings, {ours} against {stock} (weight, value, positions)")
    assert checked > 500, checked


@pairs
def test_field_lengths(indexes: dict[str, Opened], built: Built, ours: str, stock: str) -> None:
    """Each document's field lengths (as Whoosh stores them: one byte, approximate above 100 or so),
    and each field's total, minimum and maximum.

    A segment's total is the sum of its documents' exact lengths; Whoosh's merges add up the
    approximate lengths of the documents they copy. So the total depends on which documents went
    through a merge, and is compared only with a reference made by the same commits.
    """
    ours_reader, stock_reader = indexes[ours].reader, indexes[stock].reader
    lines = []
    for fieldname in SCHEMA.scorable_names():
        statistics = ["min_field_length", "max_field_length"]
        if (ours, stock) in SAME_HISTORY:
            statistics.append("field_length")
        for statistic in statistics:
            ours_value = getattr(ours_reader, statistic)(fieldname)
            stock_value = getattr(stock_reader, statistic)(fieldname)
            if ours_value != stock_value:
                lines.append(f"{fieldname}: {statistic} ours {ours_value}, stock Whoosh {stock_value}")

        def lengths(index: Opened, fieldname: str = fieldname) -> dict[str, int]:
            return {a: index.reader.doc_field_length(d, fieldname) for d, a in index.ids.items()}

        lines += _differences(
            f"{fieldname} length of", lengths(indexes[ours]), lengths(indexes[stock]), lambda a: built.history.labels[a]
        )
    _fail_on(lines, f"field lengths, {ours} against {stock}")


def _hits(searcher: Searcher, q: Any, limit: int | None) -> list[tuple[str, float]]:
    return [(hit["id"], hit.score) for hit in searcher.search(q, limit=limit)]


def _assert_same_ranking(
    ours: list[tuple[str, float]], stock: list[tuple[str, float]], stock_all: dict[str, float], what: str
) -> None:
    """Same ids in the same order with the same scores; documents of equal score (ranked by docnum,
    which differs between the indexes) may come in either order."""
    assert len(ours) == len(stock), f"{what}: {len(ours)} hits, stock Whoosh {len(stock)}:\n{ours}\n{stock}"
    for rank, ((ours_id, ours_score), (stock_id, stock_score)) in enumerate(zip(ours, stock, strict=True)):
        assert abs(ours_score - stock_score) <= SCORE_TOLERANCE, (
            f"{what}: hit {rank} scores {ours_score!r} ({ours_id}), stock Whoosh {stock_score!r} ({stock_id})"
        )
        assert ours_id in stock_all, f"{what}: hit {rank} {ours_id} is not among stock Whoosh's hits"
        assert abs(stock_all[ours_id] - ours_score) <= SCORE_TOLERANCE, (
            f"{what}: {ours_id} scores {ours_score!r}, with stock Whoosh {stock_all[ours_id]!r}"
        )
        if ours_id != stock_id:
            assert abs(stock_all[ours_id] - stock_score) <= TIE, (
                f"{what}: hit {rank} is {ours_id}, stock Whoosh's {stock_id} (not a tie)"
            )


@same_history
@pytest.mark.parametrize("text", QUERIES)
def test_ranked_results(indexes: dict[str, Opened], built: Built, ours: str, stock: str, text: str) -> None:
    """Stock Whoosh's searcher (BM25F) ranks both indexes' documents alike, with equal scores."""
    languages = sorted(indexes["stock"].reader.lexicon("language"))
    q = parse_query(text, SCHEMA, [language.decode() for language in languages])
    stock_hits = _hits(indexes[stock].searcher, q, None)
    assert stock_hits, f"{text!r} ({q}) finds nothing in the reference: a useless query"
    stock_all = dict(stock_hits)
    _assert_same_ranking(_hits(indexes[ours].searcher, q, None), stock_hits, stock_all, f"{text!r} ({q})")
    # With a limit Whoosh skips blocks by their quality bounds, which our segments write differently.
    _assert_same_ranking(_hits(indexes[ours].searcher, q, 3), stock_hits[:3], stock_all, f"{text!r} ({q}), top 3")


def test_title_weights_carry_the_schemas_field_boost(indexes: dict[str, Opened], built: Built) -> None:
    ours, stock = indexes["ours-1"], indexes["stock"]
    ours_reader, stock_reader = ours.reader, stock.reader
    lines = []
    for term in stock_reader.lexicon("title"):
        ours_postings, stock_postings = _postings(ours, "title", term), _postings(stock, "title", term)
        where = f"title:{term.decode('utf-8')!r}"
        lines += _differences(f"{where} in", ours_postings, stock_postings, lambda a: built.history.labels[a])
        if ours_reader.frequency("title", term) != stock_reader.frequency("title", term):
            lines.append(
                f"{where}: total weight ours {ours_reader.frequency('title', term)}, "
                f"stock Whoosh {stock_reader.frequency('title', term)}"
            )
    _fail_on(lines, f"title weights (field_boost {TITLE_BOOST})")


@pytest.mark.parametrize("name", ["ours-1", "ours-2", "ours-unmerged"])
def test_every_segment_has_a_term_filter_holding_each_of_its_terms(
    indexes: dict[str, Opened], built: Built, name: str
) -> None:
    """A filter missing a term would hide its documents: written by the indexer and by its merges."""
    readers = [leaf.reader() for leaf, _ in indexes[name].searcher.leaf_searchers()]
    segment_ids = [reader.segment().segment_id() for reader in readers]
    for segment_id in segment_ids:
        assert (built.folders[name] / f"{segment_id}{term_filter.EXTENSION}").exists(), segment_id
    filters = term_filter.TermFilters(built.folders[name], segment_ids)
    for position, reader in enumerate(readers):
        keys = (term_filter.TermKey.of(*term) for term in reader.all_terms())
        missing = [key for key in keys if position not in filters.segments_holding(key)]
        assert not missing, f"segment {position} has terms its filter lacks: {missing[:5]}"
