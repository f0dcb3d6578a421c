"""Whoosh segments written by the engine's fast writer read back exactly with Whoosh's own readers."""

from __future__ import annotations

import gc
import pickle
import random
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec

from index import Archive, SearchRequest
from index.indexing.indexer import FILES_PER_TASK, split_into_tasks, write_task
from index.indexing.pipeline import UserCorrections
from index.reading.files import scan
from index.storage import frequent as frequent_module
from index.storage.docsets import _segment_postings
from index.storage.frequent import (
    FrequentTable,
    FrequentTermsWriter,
    distinct_terms,
    min_documents,
    min_positioned,
    open_frequent_terms,
)
from index.storage.layout import WHOOSH_DIR
from index.storage.positions import decode_positions, encode_positions
from index.storage.schema import CompactPositions, PreAnalyzed, build_schema, pre_analysed
from index.storage.searcher import ArchiveSearcher
from index.storage.segments import COMPRESSED_FROM, SegmentCodec, TermGroupedPool, bulk_item
from index.storage.term_filter import TermKey


@pytest.mark.parametrize(("count", "span"), [(1, 10_000), (2, 10_000), (7, 10_000), (40, 10_000), (3, 10**7)])
def test_positions_are_encoded_as_the_schemas_format_encodes_them(count: int, span: int) -> None:
    positions = sorted(random.Random(count).sample(range(span), count))
    text_format = build_schema()["body"].format
    assert isinstance(text_format, CompactPositions)
    assert encode_positions(positions) == text_format.encode(positions)
    assert text_format.decode_positions(encode_positions(positions)) == positions
    assert text_format.decode_frequency(encode_positions(positions)) == count


def test_positions_take_two_bytes_each_unless_a_gap_is_wider() -> None:
    assert len(encode_positions([3])) == 2
    assert len(encode_positions([0, 65_535, 70_000])) == 6
    assert len(encode_positions([0, 65_536, 70_000])) == 13
    assert decode_positions(encode_positions([0, 65_536, 70_000])) == [0, 65_536, 70_000]


def test_segments_name_whoosh_codec_not_ours() -> None:
    restored = pickle.loads(pickle.dumps(SegmentCodec()))
    assert type(restored) is W3Codec


def test_written_postings_read_back_exactly(tmp_path: Path) -> None:
    """Every term's documents, weights and positions, across block and compression boundaries."""
    rng = random.Random(7)
    root = tmp_path / "archive"
    root.mkdir()
    # "common" is in every article (two blocks of 128 and more); "rare<n>" in a few; counts vary.
    for number in range(300):
        words = (
            ["common"] * rng.randint(1, 3) + [f"rare{number % 60}"] + [f"word{rng.randint(0, 50)}" for _ in range(30)]
        )
        rng.shuffle(words)
        (root / f"{number:03d}.txt").write_text(f"title: Article {number}\n\n" + " ".join(words) + ".\n", "utf-8")
    archive = Archive(root)
    archive.update(workers=1)
    ix = whoosh_index.open_dir(str(archive.index_dir / WHOOSH_DIR))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        expected: dict[bytes, dict[int, tuple[int, bytes]]] = {}
        for docnum, stored in reader.iter_docs():
            article = archive.article(stored["id"])
            positions: dict[bytes, list[int]] = {}
            for position, term in enumerate(pre_analysed(article.body, article.language)):
                positions.setdefault(term.encode("utf-8"), []).append(position)
            for term, found in positions.items():
                expected.setdefault(term, {})[docnum] = (len(found), encode_positions(found))
        assert max(len(docs) for docs in expected.values()) > 2 * 128
        assert any(len(docs) < COMPRESSED_FROM for docs in expected.values())
        for term, docs in expected.items():
            matcher = reader.postings("body", term)
            read = {}
            while matcher.is_active():
                read[matcher.id()] = (matcher.weight(), matcher.value())
                matcher.next()
            assert read == {docnum: (float(frequency), encoded) for docnum, (frequency, encoded) in docs.items()}
            assert reader.doc_frequency("body", term) == len(docs)
            assert reader.frequency("body", term) == sum(frequency for frequency, _ in docs.values())
            assert reader.term_info("body", term).max_weight() == max(frequency for frequency, _ in docs.values())
        # The frequent terms' copy holds the same postings, positions included.
        (segment,) = [s.reader().segment() for s, _ in searcher.leaf_searchers()]
        frequent = open_frequent_terms(archive.index_dir / WHOOSH_DIR, segment.segment_id())
        assert frequent is not None
        common = frequent.with_positions(TermKey.of("body", b"common"))
        assert common is not None and common.counts is not None and common.positions is not None
        assert common.ids.tolist() == sorted(expected[b"common"])
        assert common.weights.tolist() == [float(expected[b"common"][d][0]) for d in common.ids.tolist()]
        offsets = np.cumsum(common.counts) - common.counts
        for docnum, offset, count in zip(common.ids.tolist(), offsets, common.counts, strict=True):
            decoded = decode_positions(expected[b"common"][docnum][1])
            assert common.positions[offset : offset + count].tolist() == list(decoded)
        assert frequent.get(TermKey.of("body", b"rare5")) is None
        plain = frequent.get(TermKey.of("body", b"common"))
        assert plain is not None and plain.ids.tolist() == common.ids.tolist() and plain.positions is None
    ix.close()
    adjacent = sum("common common" in path.read_text("utf-8") for path in root.iterdir())
    assert 0 < adjacent < 300
    assert archive.search(SearchRequest('"common common"')).total == adjacent


@pytest.mark.parametrize(
    "words",
    [
        ("common", "common"),
        ("rare5", "common"),
        ("word3", "word4"),
        ("common", "word7", "common"),
        ("mid1", "common"),  # a word kept in the .frq file without its positions
        ("common", "mid2", "word3"),
        ("nope", "x"),
    ],
)
def test_exact_phrases_match_whooshs_own_answer(tmp_path: Path, words: tuple[str, ...]) -> None:
    """Frequent and rare words alike, whether their positions come from the .frq file or from
    Whoosh, in two segments (a phrase's occurrences are joined across them)."""
    assert min_documents("body") <= 100 < min_positioned("body")  # "mid<n>" is in 100 of each 300
    rng = random.Random(4)
    root = tmp_path / "archive"
    root.mkdir()
    archive = Archive(root)
    for first in (0, 300):
        for number in range(first, first + 300):
            text = ["common"] * rng.randint(1, 4) + [f"rare{number % 60}", f"mid{number % 3}"]
            text += [f"word{rng.randint(0, 9)}" for _ in range(25)]
            rng.shuffle(text)
            (root / f"{number:03d}.txt").write_text(" ".join(text) + ".\n", "utf-8")
        archive.update(workers=1)
    searcher = ArchiveSearcher(archive.index_dir)
    try:
        assert [reader.doc_count_all() for reader, _ in searcher.masks.leaves] == [300, 300]
        phrase = wq.Phrase("body", list(words))
        ours = np.flatnonzero(searcher.masks.mask(phrase)).tolist()
        assert ours == sorted(searcher.searcher.docs_for_query(phrase))
        assert (len(ours) > 0) is (words != ("nope", "x"))
        if words.count("common") + words.count("mid1") >= 2 or words == ("word3", "word4"):
            assert min(ours) < 300 <= max(ours)  # frequent enough to be found in both segments
    finally:
        searcher.close()


def test_tasks_come_in_whole_equal_rounds() -> None:
    jobs = list(range(10_000))
    tasks = split_into_tasks(jobs, 2)  # type: ignore[arg-type]
    assert len(tasks) % 2 == 0 and max(map(len, tasks)) <= FILES_PER_TASK
    assert max(map(len, tasks)) - min(map(len, tasks)) <= 1
    assert sum(tasks, []) == jobs
    assert split_into_tasks([], 2) == []
    assert split_into_tasks(jobs[:3], 4) == [[0], [1], [2]]  # type: ignore[list-item]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_task_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "a.txt").write_text("Some words about Baku and Hanoi.\n", "utf-8")
    archive = Archive(root)
    archive.update()
    found, _ = scan(root)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        write_task(
            str(archive.index_dir / WHOOSH_DIR), root, [(found[0], None)], UserCorrections(), print, lambda: False
        )
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_an_update_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    (tmp_path / "a.txt").write_text("Some words about Baku and Hanoi.\n", "utf-8")
    archive = Archive(tmp_path)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert archive.update(workers=1).added == 1 and gc.isenabled() is enabled
        assert archive.update(workers=1).unchanged == 1 and gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_postings_cost_a_few_bytes_each(tmp_path: Path) -> None:
    """Rare words dominate a vocabulary: their postings must not carry a posting list's overhead
    (about 60 bytes) nor pickling's (protocol 2 made each posting's bytes a codecs.encode call)."""
    rng = random.Random(3)
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(200):
        words = [f"w{rng.randint(0, 20_000)}" for _ in range(150)] + ["common"] * 3
        (root / f"{number:03d}.txt").write_text(" ".join(words) + ".\n", "utf-8")
    archive = Archive(root)
    archive.update(workers=1)
    ix = whoosh_index.open_dir(str(archive.index_dir / WHOOSH_DIR))
    with ix.reader() as reader:
        postings_count = sum(reader.doc_frequency("body", term) for term in reader.lexicon("body"))
        (segment,) = ix._segments()  # noqa: SLF001
        compound = segment.open_compound_file(ix.storage)
        term_and_postings_bytes = sum(
            compound.file_length(name) for name in compound.list() if name.endswith((".pst", ".trm"))
        )
    ix.close()
    assert postings_count > 25_000
    # Nearly every word here is in one article: the bytes are mostly the term dictionary's, about
    # 90 per term. Posting lists of their own, pickled with protocol 2, made it 162.
    assert term_and_postings_bytes / postings_count < 100
    assert archive.search(SearchRequest(f'"{words[0]} {words[1]}"')).total >= 1


@pytest.mark.parametrize("exact", [True, False])
def test_frequent_terms_leave_out_counts_only_when_the_weights_give_them(tmp_path: Path, exact: bool) -> None:
    rng = random.Random(3)
    positions = [sorted(rng.sample(range(500), rng.randint(1, 4))) for _ in range(300)]
    body_weights = [float(len(p)) for p in positions]
    title_weights = [2.0 * len(p) if exact or n % 7 else 2.5 * len(p) for n, p in enumerate(positions[:40])]
    writer = FrequentTermsWriter()
    for fieldname, count, weights in (("body", 300, body_weights), ("title", 40, title_weights)):
        counts = np.array([len(p) for p in positions[:count]])
        flat = np.array([p for posting in positions[:count] for p in posting])
        writer.add(fieldname, b"often", tuple(range(count)), weights, counts, flat, True)
    writer.add("source", b"wire", tuple(range(300)), [1.0] * 300, None, None, False)
    writer.add("body", b"sometimes", tuple(range(0, 300, 3)), [7.5] * 100, None, None, True)  # positions left out
    writer.save(tmp_path, "segment")
    frequent = open_frequent_terms(tmp_path, "segment")
    assert frequent is not None
    assert (b'"counts"' in (tmp_path / "segment.frq").read_bytes()) is not exact
    for fieldname, count in (("body", 300), ("title", 40)):
        read = frequent.with_positions(TermKey.of(fieldname, b"often"))
        assert read is not None and read.counts is not None and read.positions is not None
        assert read.counts.tolist() == [len(p) for p in positions[:count]]
        assert read.positions.tolist() == [p for posting in positions[:count] for p in posting]
    unpositioned = frequent.with_positions(TermKey.of("source", b"wire"))
    assert unpositioned is not None and unpositioned.counts is None and unpositioned.ids.tolist() == list(range(300))
    # Its positions are read from Whoosh; its documents and weights from here.
    assert frequent.with_positions(TermKey.of("body", b"sometimes")) is None
    sometimes = frequent.get(TermKey.of("body", b"sometimes"))
    assert sometimes is not None and sometimes.ids.tolist() == list(range(0, 300, 3))
    assert sometimes.weights.tolist() == [7.5] * 100


@settings(max_examples=40, deadline=None)
@given(
    terms=st.dictionaries(
        st.tuples(
            st.sampled_from(["body", "title", "person"]),
            st.text(max_size=20).map(lambda text: text.encode("utf-8", "surrogatepass")),
        ),
        st.integers(1, 5),
        max_size=60,
    )
)
def test_frequent_terms_are_found_by_their_table_and_only_they(terms: dict[tuple[str, bytes], int]) -> None:
    """Any term (empty, NUL, lone surrogates, the same text in two fields): the table sorted by
    hash finds each, with its own postings, and nothing else, not even a term with its hash."""
    writer = FrequentTermsWriter()
    for number, ((fieldname, btext), count) in enumerate(terms.items()):
        ids = tuple(range(number, number + (64 + number) * count, count))  # 64 + number documents each
        writer.add(fieldname, btext, ids, [float(count)] * len(ids), None, None, False)
    with tempfile.TemporaryDirectory() as folder:
        writer.save(Path(folder), "segment")
        frequent = open_frequent_terms(Path(folder), "segment")
        if not terms:
            assert frequent is None
            return
        assert frequent is not None
        for number, ((fieldname, btext), count) in enumerate(terms.items()):
            found = frequent.get(TermKey.of(fieldname, btext))
            assert found is not None and found.ids.tolist()[:2] == [number, number + count]
            assert found.weights.tolist() == [count] * len(found.ids)
            impostor = TermKey(fieldname, btext + b"!", TermKey.of(fieldname, btext).first, 0)
            assert (fieldname, btext + b"!") in terms or frequent.get(impostor) is None
        for fieldname in ("body", "title", "person", "place"):
            both = distinct_terms([frequent, None, frequent], fieldname)  # each term once
            assert sorted(both) == sorted(b for f, b in terms if f == fieldname)
        # The table of several segments: a term's row in each, and its documents in all of them.
        table = FrequentTable([frequent, None, frequent])
        for fieldname, btext in terms:
            key = TermKey.of(fieldname, btext)
            entry = frequent._entry(key)  # noqa: SLF001
            assert table.rows(key) == {0: entry, 2: entry}
            found = frequent.get(key)
            assert found is not None and frequent.postings_at(entry)[0].tolist() == found.ids.tolist()
        keys = [*terms, ("body", b"absent \x00 term")]
        hashes = np.array([TermKey.of(f, b).first for f, b in keys], dtype=np.uint64)
        assert table.document_counts(hashes).tolist() == [2 * (64 + number) for number in range(len(terms))] + [0]
        assert table.rows(TermKey.of("body", b"absent \x00 term")) == {}


def test_a_table_of_no_frequent_terms_finds_nothing() -> None:
    table = FrequentTable([None, None])
    assert table.rows(TermKey.of("body", b"word")) == {}
    assert table.document_counts(np.array([TermKey.of("body", b"word").first], dtype=np.uint64)).tolist() == [0]


def test_a_table_of_segments_finds_each_terms_row_in_the_segments_keeping_it(tmp_path: Path) -> None:
    """Two segments keeping different terms, one term in both: its rows are its own in each,
    in leaf order; a key with a kept term's hash but another text finds nothing."""
    contents = {"one": [b"both", b"first"], "two": [b"second", b"both", b"zeta"]}
    segments = []
    for name, terms in contents.items():
        writer = FrequentTermsWriter()
        for number, btext in enumerate(sorted(terms)):
            writer.add("body", btext, tuple(range(number, number + 64)), [1.0] * 64, None, None, False)
        writer.save(tmp_path, name)
        segments.append(open_frequent_terms(tmp_path, name))
    table = FrequentTable([segments[0], None, segments[1]])
    for btext in (b"both", b"first", b"second", b"zeta"):
        key = TermKey.of("body", btext)
        expected = {
            leaf: segment._entry(key)  # noqa: SLF001
            for leaf, segment in ((0, segments[0]), (2, segments[1]))
            if segment is not None and segment._entry(key) is not None  # noqa: SLF001
        }
        assert table.rows(key) == expected and list(table.rows(key)) == sorted(expected)
    assert list(table.rows(TermKey.of("body", b"both"))) == [0, 2]
    impostor = TermKey("body", b"both!", TermKey.of("body", b"both").first, 0)
    assert table.rows(impostor) == {}
    assert table.rows(TermKey.of("title", b"both")) == {}


def test_a_generation_with_the_same_segments_keeps_the_frequent_terms_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleting an article keeps the segments (the table is kept); adding one adds a segment
    (the table is made again); searches find the same either way."""
    monkeypatch.setattr(frequent_module, "FREQUENT_MIN_DF", 2)
    root = tmp_path / "news"
    root.mkdir()
    for number in range(12):
        (root / f"{number:02d}.txt").write_text(f"Baku harbour report {number}, grain shipments.\n", "utf-8")
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    assert archive.search(SearchRequest("harbour")).total == 12
    table = archive._searcher.masks.frequent_table()  # type: ignore[union-attr]  # noqa: SLF001
    assert table.rows(TermKey.of("body", b"harbour"))
    (root / "03.txt").unlink()
    archive.update(workers=1)
    assert archive.search(SearchRequest("harbour")).total == 11
    assert archive._searcher.masks.frequent_table() is table  # type: ignore[union-attr]  # noqa: SLF001
    (root / "new.txt").write_text("Another harbour report from Baku.\n", "utf-8")
    archive.update(workers=1)
    assert archive.search(SearchRequest("harbour")).total == 12
    assert archive._searcher.masks.frequent_table() is not table  # type: ignore[union-attr]  # noqa: SLF001
    archive.close()


def test_postings_read_in_one_go_are_whooshs_own(tmp_path: Path) -> None:
    """Every term of segments with inlined terms, one and several blocks, compressed or not, and
    deleted documents (which the direct read keeps, for the searcher's live mask to drop)."""
    rng = random.Random(11)
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(400):
        words = ["common"] * rng.randint(1, 3) + [f"rare{number % 90}", f"solo{number}"]  # solo: inlined
        words += [f"w{rng.randint(0, 300)}" for _ in range(20)]
        (root / f"{number:03d}.txt").write_text(f"title: Report {number % 7}\n\n" + " ".join(words) + ".\n", "utf-8")
    archive = Archive(root)
    archive.update(workers=1)
    for number in range(0, 400, 9):
        (root / f"{number:03d}.txt").unlink()
    archive.update(workers=1)
    ix = whoosh_index.open_dir(str(archive.index_dir / WHOOSH_DIR))
    try:
        with ix.searcher() as searcher:
            (reader,) = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
            assert reader.has_deletions()
            sizes = set()
            for fieldname, btext in reader.all_terms():
                blocks = _segment_postings(reader, fieldname, btext)
                sizes.add(len(blocks))
                ids = np.concatenate([block_ids for block_ids, _ in blocks])
                weights = np.concatenate([block_weights for _, block_weights in blocks])
                live = np.array([not reader.is_deleted(docnum) for docnum in ids.tolist()])
                expected = list(reader.postings(fieldname, btext).items_as("weight"))
                assert list(zip(ids[live].tolist(), weights[live].tolist(), strict=True)) == expected
            assert 1 in sizes and max(sizes) >= 3
            assert _segment_postings(reader, "body", b"absent") == []
    finally:
        ix.close()


@pytest.mark.parametrize("boost", [1.0, 2.0, 1.5])
def test_the_pool_weighs_each_posting_by_its_count_times_the_boost(boost: float) -> None:
    pool = TermGroupedPool()
    pool.add(("body", b"", 7, boost, bulk_item(PreAnalyzed(["often", "once", "x", "often"]), boost)[3]))
    weights = {term: list(zip(found.docnums, found.weights, strict=True)) for (_, term), found in pool.sorted_terms()}
    assert weights == {b"often": [(7, 2 * boost)], b"once": [(7, boost)], b"x": [(7, boost)]}


def _expected_postings(documents: dict[int, list[str]]) -> dict[bytes, dict[int, list[int]]]:
    """Each term's positions by document, worked out one token at a time."""
    expected: dict[bytes, dict[int, list[int]]] = {}
    for docnum, terms in documents.items():
        for position, term in enumerate(terms):
            expected.setdefault(term.encode("utf-8"), {}).setdefault(docnum, []).append(position)
    return expected


def _pooled(pool: TermGroupedPool) -> dict[str, dict[bytes, dict[int, tuple[float, list[int]]]]]:
    """What the pool gives, checked for order and consistency: each field's terms' postings by
    document, as (weight, positions)."""
    found: dict[str, dict[bytes, dict[int, tuple[float, list[int]]]]] = {}
    previous: tuple[str, bytes] | None = None
    for (fieldname, btext), term in pool.sorted_terms():
        assert previous is None or previous < (fieldname, btext)
        previous = fieldname, btext
        assert list(term.docnums) == sorted(set(term.docnums))
        decoded = [decode_positions(value) for value in term.values]
        if term.positions is not None:
            counts, flat = term.positions()
            assert counts.tolist() == [len(positions) for positions in decoded]
            assert flat.tolist() == [p for positions in decoded for p in positions]
        postings = zip(term.docnums, term.weights, decoded, strict=True)
        found.setdefault(fieldname, {})[btext] = {docnum: (weight, positions) for docnum, weight, positions in postings}
    return found


_TERMS = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=4)  # terms encode (see schema)


@settings(deadline=None)
@given(st.lists(st.lists(_TERMS, max_size=40), max_size=12), st.lists(st.integers(1, 3), min_size=12, max_size=12))
def test_the_pool_makes_each_texts_postings_as_a_token_by_token_count_does(
    texts: list[list[str]], gaps: list[int]
) -> None:
    pool = TermGroupedPool()
    documents = {}
    docnum = 0
    for terms, gap in zip(texts, gaps[: len(texts)], strict=True):
        docnum += gap
        documents[docnum] = terms
        boost = 1.5 if docnum % 2 else 2.0
        pool.add(("title", b"", docnum, boost, bulk_item(PreAnalyzed(terms), boost)[3]))
        pool.add(("source", b"wire", docnum, 1.0, b""))
    expected = {
        btext: {
            docnum: ((1.5 if docnum % 2 else 2.0) * len(positions), positions)
            for docnum, positions in by_document.items()
        }
        for btext, by_document in _expected_postings(documents).items()
    }
    found = _pooled(pool)
    assert found.get("title", {}) == expected
    assert list(found["source"][b"wire"]) == sorted(documents) if documents else "source" not in found


def test_a_posting_with_a_gap_wider_than_16_bits_is_encoded_wide() -> None:
    pool = TermGroupedPool()
    terms = ["far", *(["near"] * 70_000), "far", "near"]
    pool.add(("body", b"", 0, 1.0, bulk_item(PreAnalyzed(terms), 1.0)[3]))
    found = {btext: term for (_, btext), term in pool.sorted_terms()}
    assert found[b"far"].values == (encode_positions([0, 70_001]),) and len(found[b"far"].values[0]) == 9
    assert decode_positions(found[b"near"].values[0]) == [*range(1, 70_001), 70_002]
    counts, flat = found[b"far"].positions()
    assert counts.tolist() == [2] and flat.tolist() == [0, 70_001]


@pytest.mark.parametrize("distinct", [3, 1 << 16, (1 << 16) + 1, 200_000])
def test_a_segment_of_many_distinct_terms_keeps_each_terms_positions_in_order(distinct: int) -> None:
    """Terms are sorted by their numbers 16 bits at a time once they need more."""
    rng = random.Random(distinct)
    words = [f"w{number}" for number in range(distinct)]
    documents = {docnum: [rng.choice(words) for _ in range(3_000)] + words[docnum::4] for docnum in range(4)}
    pool = TermGroupedPool()
    for docnum, terms in documents.items():
        pool.add(("body", b"", docnum, 1.0, bulk_item(PreAnalyzed(terms), 1.0)[3]))
    expected = {
        btext: {docnum: (float(len(positions)), positions) for docnum, positions in by_document.items()}
        for btext, by_document in _expected_postings(documents).items()
    }
    assert _pooled(pool) == {"body": expected}


def test_a_merge_adds_new_texts_to_postings_copied_from_other_segments() -> None:
    """Whoosh copies a merged segment's postings one by one, after or before the new articles'."""
    pool = TermGroupedPool()
    pool.add(("body", b"", 5, 1.0, bulk_item(PreAnalyzed(["ferry", "to", "ferry"]), 1.0)[3]))
    pool.add(("body", b"", 6, 1.0, bulk_item(PreAnalyzed(["to", "baku"]), 1.0)[3]))
    pool.add(("body", b"ferry", 8, 1.0, encode_positions([4])))
    pool.add(("body", b"zebra", 9, 3.0, encode_positions([0, 1, 2])))
    expected = {
        b"baku": {6: (1.0, [1])},
        b"ferry": {5: (2.0, [0, 2]), 8: (1.0, [4])},
        b"to": {5: (1.0, [1]), 6: (1.0, [0])},
        b"zebra": {9: (3.0, [0, 1, 2])},
    }
    assert _pooled(pool) == {"body": expected}
    before = TermGroupedPool()  # the merged segment's postings first, then the new articles'
    before.add(("body", b"ferry", 2, 1.0, encode_positions([4])))
    before.add(("body", b"", 5, 1.0, bulk_item(PreAnalyzed(["ferry", "to", "ferry"]), 1.0)[3]))
    assert _pooled(before) == {"body": {b"ferry": {2: (1.0, [4]), 5: (2.0, [0, 2])}, b"to": {5: (1.0, [1])}}}


@given(st.lists(st.tuples(st.integers(0, 50), st.sampled_from([b"a", b"b", b"c"])), max_size=60))
def test_the_pool_gives_each_terms_postings_in_document_order_however_they_came(added: list[tuple[int, bytes]]) -> None:
    """Documents arrive in order in a build, out of order when segments are merged."""
    pool = TermGroupedPool()
    for docnum, term in added:
        pool.add(("body", term, docnum, 1.0, b"positions"))
    found = {term: list(postings.docnums) for (_, term), postings in pool.sorted_terms()}
    expected: dict[bytes, list[int]] = {}
    for docnum, term in sorted(added, key=lambda pair: pair[0]):
        expected.setdefault(term, []).append(docnum)
    assert found == expected
