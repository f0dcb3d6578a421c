"""Near copies: found at indexing, grouped at the user's threshold, never made by boilerplate."""

from __future__ import annotations

import json
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from index import Archive, InvalidRequestError, SearchRequest
from index.analysis import duplicates
from index.analysis.duplicates import (
    BANDS,
    MIN_SHINGLES,
    PERMUTATIONS,
    ROWS,
    SHINGLE_WORDS,
    SIGNATURE_BYTES,
    band_keys,
    boilerplate,
    clusters,
    likeness,
    likeness_beyond_boilerplate,
    signature,
    units,
)
from index.analysis.terms import terms
from index.storage.layout import STORE_FILE
from index.storage.store import ArticleStore
from tests.conftest import ARCHIVIST

WORDS = [
    "minister",
    "council",
    "river",
    "harbour",
    "budget",
    "election",
    "museum",
    "festival",
    "railway",
    "tariff",
    "vaccine",
    "drought",
    "court",
    "protest",
    "treaty",
    "airline",
    "factory",
    "harvest",
    "bridge",
    "school",
    "hospital",
    "pipeline",
    "strike",
    "summit",
    "mayor",
    "reform",
    "inflation",
    "refinery",
    "border",
    "ceasefire",
    "stadium",
    "orchestra",
    "satellite",
    "glacier",
    "shipyard",
]
FOOTER = (
    "Copyright 2025 Northern Ledger Media. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed. Sign up for our morning newsletter and follow us for updates."
)


def prose(seed: int, sentences: int = 30) -> str:
    """Sentences of news words, the same for the same seed."""
    pick = random.Random(seed)
    return " ".join(
        " ".join(pick.choice(WORDS) for _ in range(pick.randint(8, 16))).capitalize() + "." for _ in range(sentences)
    )


def edited(text: str, seed: int, changes: int) -> str:
    words = text.split(" ")
    pick = random.Random(seed)
    for _ in range(changes):
        words[pick.randrange(len(words))] = pick.choice(WORDS)
    return " ".join(words)


def write(folder: Path, name: str, date: str, title: str, body: str, source: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    outlet = f"Source: {source}\n" if source else ""
    (folder / name).write_text(f"{outlet}Title: {title}\nDate: {date}\n\n{body}\n")


@pytest.fixture
def copies_archive(tmp_path: Path) -> Archive:
    news = tmp_path / "news"
    story = prose(1, 60)  # long enough for the signature to tell the copies apart by how alike they are
    write(news, "wire.txt", "2025-03-01", "Council approves harbour budget", story)
    write(news, "syndicated.txt", "2025-03-02", "Harbour plan wins approval", f"{story}\n\n{FOOTER}")
    write(news, "edited.txt", "2025-03-03", "Harbour money cleared", edited(story, 2, 12))
    write(news, "other.txt", "2025-03-01", "Glacier survey", f"{prose(3)}\n\n{FOOTER}")
    write(news, "another.txt", "2025-03-04", "Stadium vote", f"{prose(4, 6)}\n\n{FOOTER}")
    archive = Archive(news)
    archive.update()
    return archive


def by_name(archive: Archive, clusters_: tuple) -> list[list[str]]:
    return [[archive.article(i).path for i in cluster.ids] for cluster in clusters_]


def test_a_syndicated_and_an_edited_copy_group_with_the_earliest_and_boilerplate_groups_nothing(
    copies_archive: Archive,
) -> None:
    assert by_name(copies_archive, copies_archive.near_copies()) == [["wire.txt", "syndicated.txt", "edited.txt"]]
    # Stricter: the edited copy is less alike than the one with another headline and footer.
    assert by_name(copies_archive, copies_archive.near_copies(0.92)) == [["wire.txt", "syndicated.txt"]]
    assert by_name(copies_archive, copies_archive.near_copies(1.0)) == []
    with pytest.raises(InvalidRequestError):
        copies_archive.near_copies(0.5)  # below 0.6 the banding misses too many pairs to offer it


def test_searches_fold_copies_into_the_earliest_matching_one_and_say_how_many(copies_archive: Archive) -> None:
    every = copies_archive.search(SearchRequest("*"))
    folded = copies_archive.search(SearchRequest("*", fold_copies=True))
    assert (every.total, folded.total, folded.copies_folded, every.copies_folded) == (5, 3, 2, 0)
    wire = next(hit for hit in folded.hits if hit.path == "wire.txt")
    assert [copies_archive.article(i).path for i in wire.copies] == ["syndicated.txt", "edited.txt"]
    assert folded.facets["year"].values == every.facets["year"].values  # facets count every copy
    # Only the edited copy matches: it stands for its cluster, with no copies to show.
    (alone,) = copies_archive.search(SearchRequest("title:cleared", fold_copies=True)).hits
    assert (alone.path, alone.copies) == ("edited.txt", ())
    stricter = copies_archive.search(SearchRequest("*", fold_copies=True, copy_threshold=0.92))
    assert stricter.total == 4
    copies = copies_archive.copies_of(wire.id)
    assert [copies_archive.article(i).path for i in copies] == ["syndicated.txt", "edited.txt"]
    with pytest.raises(InvalidRequestError):
        SearchRequest("*", copy_threshold=1.5)


NAVIGATION = "Home | World | Business | Sport | Culture | Opinion | Weather | Contact us | Subscribe | Sign in"


def test_short_unrelated_articles_under_the_same_navigation_and_footer_are_not_copies(tmp_path: Path) -> None:
    news = tmp_path / "news"
    for number in range(3):  # three-sentence briefs: their boilerplate is a third of their words
        write(news, f"brief{number}.txt", "2025-04-01", f"Brief {number}",
              f"{NAVIGATION}\n\n{prose(20 + number, 3)}\n\n{FOOTER}")
    archive = Archive(news)
    archive.update()
    assert archive.near_copies(0.6) == ()


LEGAL = (
    "Northern Ledger Media Limited is registered in Scotland under company number 123456. "
    "Our journalism is funded by readers like you and by advertising on this site. "
    "Read our privacy notice and cookie policy to learn how we use your information when you visit us. "
    "Comments are moderated and may take up to a day to appear beneath this article. "
    "To report an error in this story write to the standards editor at the address below."
)


def test_one_line_briefs_under_an_outlets_long_footer_are_not_copies_but_its_syndicated_stories_are(
    tmp_path: Path,
) -> None:
    news = tmp_path / "news"
    outlet = f"{NAVIGATION}\n\n{{}}\n\n{FOOTER}\n{LEGAL}"
    ledger = news / "ledger"
    for number in range(12):  # one sentence of news, then four times as many words of boilerplate
        write(ledger, f"brief{number}.txt", "2025-04-01", f"Brief {number}", outlet.format(prose(40 + number, 1)),
              "Ledger")
    story = prose(5, 30)  # a story with a few times more words than the boilerplate around it
    write(ledger, "story.txt", "2025-04-02", "Harbour vote", outlet.format(story), "Ledger")
    write(ledger, "update.txt", "2025-04-03", "Harbour vote, updated", outlet.format(edited(story, 6, 3)), "Ledger")
    write(news / "courier", "story.txt", "2025-04-02", "Harbour vote tonight",
          f"{story}\n\nThe Courier. Independent news for the valley since 1901, every morning and online.", "Courier")
    archive = Archive(news)
    archive.update()
    grouped = by_name(archive, archive.near_copies(0.6))
    assert grouped == [["ledger/story.txt", "courier/story.txt", "ledger/update.txt"]]


def test_boilerplate_needs_to_recur_across_a_source() -> None:
    footer = units(f"{FOOTER}\n{LEGAL}")
    brief_a, brief_b = ({**units(prose(seed, 1)), **footer} for seed in (1, 2))
    others = [{**units(prose(seed, 2)), **footer} for seed in range(10, 20)]
    boiler = boilerplate(others)
    assert boiler == set(footer)
    assert likeness_beyond_boilerplate(brief_a, brief_b, boiler, 0.9) == 0.0
    assert boilerplate(others[:4]) == set()  # four articles do not make a source's template
    story = units(prose(3, 4))
    lightly_edited = units(edited(prose(3, 4), 4, 2))
    alike = likeness_beyond_boilerplate({**story, **footer}, {**lightly_edited, **footer}, boiler, 0.7)
    assert alike > 0.9  # its edited sentences still count as shared
    long_story, long_edit = units(prose(3, 30)), units(edited(prose(3, 30), 4, 12))
    # A long story under the same footer: the footer could not have made it alike; the signatures stand.
    assert likeness_beyond_boilerplate({**long_story, **footer}, {**long_edit, **footer}, boiler, 0.7) == 0.7
    assert likeness_beyond_boilerplate(footer, footer, boiler, 0.95) == 0.95  # the same page, nothing else


def test_copies_follow_the_files_as_they_change(copies_archive: Archive) -> None:
    news = copies_archive.root
    (news / "syndicated.txt").unlink()
    write(news, "other.txt", "2025-02-27", "Harbour budget, early draft", edited(prose(1, 60), 5, 6))
    copies_archive.update()
    assert by_name(copies_archive, copies_archive.near_copies()) == [["other.txt", "wire.txt", "edited.txt"]]
    store = ArticleStore(copies_archive.index_dir / STORE_FILE)
    try:  # nothing is left of the deleted and the replaced articles' bands and pairs
        stale = "SELECT count(*) FROM {} WHERE {} NOT IN (SELECT id FROM articles)"
        assert [store.connection.execute(stale.format(table, column)).fetchone()[0]
                for table, column in (("copy_bands", "lower(hex(id))"), ("near_copies", "a"), ("near_copies", "b"))
                ] == [0, 0, 0]
        assert store.connection.execute("SELECT count(*) FROM copy_bands").fetchone()[0] == 16 * 4  # four articles left
    finally:
        store.close()


def test_a_corrected_language_signs_the_article_again(copies_archive: Archive) -> None:
    edited_id = next(i for c in copies_archive.near_copies() for i in c.ids
                     if copies_archive.article(i).path == "edited.txt")
    store = ArticleStore(copies_archive.index_dir / STORE_FILE)
    try:
        (before,) = store.connection.execute("SELECT copies FROM articles WHERE id = ?", (edited_id,)).fetchone()
    finally:
        store.close()
    copies_archive.correct(edited_id, "language", "fr")  # French stems: another signature
    store = ArticleStore(copies_archive.index_dir / STORE_FILE)
    try:
        (after,) = store.connection.execute("SELECT copies FROM articles WHERE id = ?", (edited_id,)).fetchone()
        bands_of = store.connection.execute("SELECT band FROM copy_bands WHERE id = ?", (bytes.fromhex(edited_id),))
        kept = sorted(b for (b,) in bands_of)
        pending = store.connection.execute("SELECT count(*) FROM copies_pending").fetchone()[0]
    finally:
        store.close()
    assert after != before and kept == sorted(band_keys([after])[0].tolist()) and pending == 0


@given(st.lists(st.binary(min_size=SIGNATURE_BYTES, max_size=SIGNATURE_BYTES), max_size=8), st.integers(0, BANDS - 1))
def test_band_keys_are_each_signatures_own_and_a_band_key_depends_on_that_band_alone(
    signatures: list[bytes], band: int
) -> None:
    keys = band_keys(signatures)
    assert keys.shape == (len(signatures), BANDS)
    assert [row.tolist() for row in keys] == [band_keys([s])[0].tolist() for s in signatures]  # together as one by one
    full = 2**64 - 1
    multipliers, offsets = duplicates._MULTIPLIERS.tolist(), duplicates._OFFSETS.tolist()
    for signature_, row in zip(signatures, keys.tolist(), strict=True):  # as written out plainly
        values = struct.unpack(f"<{PERMUTATIONS}I", signature_)[band * ROWS : (band + 1) * ROWS]
        mixed = (sum(v * m for v, m in zip(values, multipliers, strict=False)) + offsets[band]) & full
        assert row[band] == (((mixed ^ (mixed >> 29)) * multipliers[ROWS]) & full) >> 33
    assert all(0 <= key < 2**31 for row in keys.tolist() for key in row)
    width = ROWS * 4
    for signature_ in signatures:
        values = signature_[band * width : (band + 1) * width]
        other = bytearray(reversed(signature_))  # another signature, holding this one's band values
        other[band * width : (band + 1) * width] = values
        assert band_keys([bytes(other)])[0, band] == band_keys([signature_])[0, band]
        moved = (band + 1) % BANDS  # the same values in another band: another key
        other[moved * width : (moved + 1) * width] = values
        assert band_keys([bytes(other)])[0, moved] != band_keys([signature_])[0, band]
    with pytest.raises(ValueError):
        band_keys([b"\x00" * (SIGNATURE_BYTES - 1)])


def test_a_damaged_signature_in_the_store_neither_fails_a_commit_nor_hides_the_other_copies(
    copies_archive: Archive,
) -> None:
    store = ArticleStore(copies_archive.index_dir / STORE_FILE)
    try:
        with store.transaction():
            store.connection.execute("UPDATE articles SET copies = x'0102' WHERE file = 'syndicated.txt'")
    finally:
        store.close()
    news = copies_archive.root
    story = (news / "wire.txt").read_text().split("\n\n", 1)[1]
    write(news, "reprint.txt", "2025-03-05", "Harbour budget reprinted", story)
    summary = copies_archive.update()
    assert summary.added == 1 and not summary.problems
    assert by_name(copies_archive, copies_archive.near_copies()) == [
        ["wire.txt", "syndicated.txt", "edited.txt", "reprint.txt"]
    ]


def test_the_command_line_lists_the_groups(copies_archive: Archive) -> None:
    where = ["--data-dir", str(copies_archive.data), "duplicates", "--archive", str(copies_archive.root)]
    run = subprocess.run([*ARCHIVIST, *where, "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    (cluster,) = json.loads(run.stdout)["clusters"]
    assert cluster["representative"] == cluster["ids"][0] and len(cluster["ids"]) == 3
    text = subprocess.run([*ARCHIVIST, *where], capture_output=True, text=True)
    assert text.stdout.startswith("1 groups of near copies (2 copies")
    assert "Council approves harbour budget" in text.stdout
    wrong = subprocess.run([*ARCHIVIST, *where, "--threshold", "0.1"], capture_output=True, text=True)
    assert wrong.returncode == 1 and wrong.stderr.startswith("archivist: the threshold")
    assert "Traceback" not in wrong.stderr


TEXT = st.lists(st.text(max_size=40) | st.sampled_from(["\x00", "\ud800", "e\u0301", " word ", "\n"]), max_size=60).map(
    "".join
)


def _signature_one_shingle_at_a_time(words: list[str]) -> bytes | None:
    """What signature() computes, written out plainly: the oracle of its array operations."""
    if len(words) < MIN_SHINGLES + SHINGLE_WORDS - 1:
        return None
    full = 2**64 - 1
    hashes = [zlib.crc32(w.encode("utf-8", "surrogatepass")) | (len(w) << 32) for w in words]
    shingles = set()
    for start in range(len(words) - SHINGLE_WORDS + 1):
        value = 0
        for k in range(SHINGLE_WORDS):
            value = (value * int(duplicates._PRIME_STEP) + hashes[start + k]) & full
        shingles.add(value)
    if len(shingles) < MIN_SHINGLES:
        return None
    pairs = zip(duplicates._MULTIPLIERS.tolist(), duplicates._OFFSETS.tolist(), strict=True)
    return struct.pack(f"<{PERMUTATIONS}I", *(min(((s * m + o) & full) >> 32 for s in shingles) for m, o in pairs))


_SIGNED_WORDS = [*WORDS, "é", "\udc80", ""]


@given(st.integers(1, len(_SIGNED_WORDS)).flatmap(
    lambda vocabulary: st.lists(st.sampled_from(_SIGNED_WORDS[:vocabulary]), min_size=28, max_size=120)
))
def test_signatures_are_the_minimum_hashes_of_the_distinct_shingles(words: list[str]) -> None:
    assert signature(words) == _signature_one_shingle_at_a_time(words)


@given(TEXT)
def test_any_text_has_a_sound_signature(text: str) -> None:
    signed = signature(terms(text, "en"))  # as indexing signs a body: its index terms
    assert signed is None or (len(signed) == 4 * PERMUTATIONS and likeness(signed, signed) == 1.0)
    assert signature(terms(text, "en")) == signed  # stable: signatures are stored


@given(TEXT, TEXT)
def test_any_two_texts_are_judged_beyond_their_boilerplate(text: str, other: str) -> None:
    a, b = units(text), units(other)
    assert all(unit and words == len(unit.split(" ")) for unit, words in a.items())
    shared = set(a) & set(b)
    alike = likeness_beyond_boilerplate(a, b, shared, 0.75)
    assert 0.0 <= alike <= 1.0
    assert likeness_beyond_boilerplate(a, a, set(), 0.75) == 0.75  # nothing known to be boilerplate


def test_accents_and_case_do_not_part_copies() -> None:
    text = prose(7).replace(".", " in Hanoi with Eliyev.")
    other = text.upper().replace("HANOI", "Hanoï").replace("ELIYEV", "Əliyev")  # names spelt with their accents
    assert likeness(signature(terms(text, "en")), signature(terms(other, "en"))) == 1.0  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdef"), st.floats(0, 1)), max_size=20))
def test_clusters_are_disjoint_and_linked(pairs: list[tuple[str, str, float]]) -> None:
    groups = clusters(pairs, 0.5, lambda item: (item,))
    members = [item for group in groups for item in group]
    assert len(members) == len(set(members))
    for group in groups:
        assert group == sorted(group) and len(group) > 1
        assert all(any(alike >= 0.5 and item in (a, b) for a, b, alike in pairs) for item in group)


def test_the_engine_needs_no_numpy_random() -> None:
    """The packaged app leaves numpy.random out (build.spec): near copies must not need it."""
    code = (
        "import sys, index.archive, index.analysis.duplicates, index.analysis.compare, index.indexing.pipeline\n"
        "sys.exit('numpy.random' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_story_in_many_versions_in_an_archive_of_no_known_outlet_stays_one_group(tmp_path: Path) -> None:
    """Articles of no known outlet were sampled as one outlet: a story in six of its eight articles
    became that "outlet's boilerplate", and its versions were no longer grouped."""
    news = tmp_path / "news"
    story = prose(8, 25)
    for number in range(6):
        body = f"{story} {prose(60 + number, 1)}"
        write(news, f"version{number}.txt", f"2025-05-0{number + 1}", f"Update {number}", body)
    for number in range(2):
        write(news, f"other{number}.txt", "2025-05-09", f"Other {number}", prose(70 + number, 25))
    archive = Archive(news)
    archive.update()
    assert {archive.article(hit.id).source for hit in archive.search(SearchRequest("*")).hits} == {None}
    (group,) = by_name(archive, archive.near_copies())
    assert sorted(group) == [f"version{number}.txt" for number in range(6)]


def _built_with_copies_across_commits(tmp_path: Path, name: str) -> list[tuple]:
    """An archive of stories and their copies, a commit every few files (so that copies are found
    across commits and within one), built in this process; its near-copy table."""
    news = tmp_path / name / "news"
    for number in range(12):
        story = prose(200 + number, 25)
        write(news, f"a{number:02}.txt", "2025-06-01", f"Story {number}", story)
        write(news, f"a{number:02}r.txt", "2025-06-01", f"Reprint {number}", edited(story, number + 50, 2))
        write(news, f"b{number:02}.txt", "2025-06-02", f"Copy {number}", edited(story, number, 3))
        write(news, f"c{number:02}.txt", "2025-06-03", f"Other {number}", prose(300 + number, 25))
    archive = Archive(news, data=tmp_path / name / "data")
    archive.update(workers=1)
    store = ArticleStore(archive.index_dir / STORE_FILE)
    try:
        return sorted(store.connection.execute("SELECT * FROM near_copies"))
    finally:
        store.close()
        archive.close()


def test_a_build_looking_up_only_the_bands_it_saw_twice_finds_every_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build skips looking up a band no article added before held (_BandFilter): the pairs found,
    across commits and within one, are those found by looking up every band."""
    from index.indexing import indexer
    from index.storage import store

    monkeypatch.setattr(indexer, "FILES_PER_TASK", 5)
    monkeypatch.setattr(store, "_BANDED_AT_ONCE", 2)  # bands added in chunks of two articles
    looked_up: list[int] = []
    rows_in = ArticleStore._rows_in  # noqa: SLF001

    def counting(self: ArticleStore, query: str, values: list) -> object:
        if "copy_bands" in query:
            looked_up.append(len(values))
        return rows_in(self, query, values)

    monkeypatch.setattr(ArticleStore, "_rows_in", counting)
    filtered = _built_with_copies_across_commits(tmp_path, "filtered")
    filtered_lookups = sum(looked_up)
    looked_up.clear()
    monkeypatch.setattr(ArticleStore, "_band_filter", lambda self: None)
    every_band = _built_with_copies_across_commits(tmp_path, "every")
    assert len(filtered) == 36 and filtered == every_band
    assert filtered_lookups < sum(looked_up) / 2


@given(st.lists(st.integers(0, 2**31 - 1), max_size=200), st.lists(st.integers(0, 2**31 - 1), max_size=200))
def test_every_band_added_is_held_and_one_never_added_only_where_another_set_its_bit(
    added: list[int], others: list[int]
) -> None:
    from index.storage.store import _BandFilter

    bands = _BandFilter()
    bands.add(np.array(added, dtype=np.int64))
    assert bands.held(np.array(added, dtype=np.int64)).all()
    slots = {key % 2**27 for key in added}
    held = bands.held(np.array(others, dtype=np.int64)).tolist()
    assert held == [key % 2**27 in slots for key in others]


def test_the_store_looks_up_every_band_once_another_writer_committed(copies_archive: Archive, tmp_path: Path) -> None:
    empty = ArticleStore(tmp_path / "fresh.sqlite")
    existing = ArticleStore(copies_archive.index_dir / STORE_FILE)
    try:
        assert empty._band_filter() is not None  # noqa: SLF001 - an empty band table: every row is its own
        assert existing._band_filter() is None  # noqa: SLF001 - rows another run added
        assert empty._band_filter() is not None  # noqa: SLF001
        other = ArticleStore(tmp_path / "fresh.sqlite")
        with other.transaction():
            other.connection.execute("INSERT INTO copy_bands VALUES (1, x'0011223344556677')")
        other.close()
        assert empty._band_filter() is None  # noqa: SLF001
    finally:
        empty.close()
        existing.close()


def test_a_band_table_emptied_by_a_transaction_rolled_back_is_not_taken_for_empty(copies_archive: Archive) -> None:
    store = ArticleStore(copies_archive.index_dir / STORE_FILE)
    try:
        with pytest.raises(RuntimeError), store.transaction():
            store.connection.execute("DELETE FROM copy_bands")
            assert store._band_filter() is not None  # noqa: SLF001 - empty, seen from inside
            raise RuntimeError("the commit failed")
        assert store._band_filter() is None  # noqa: SLF001 - the rows are back
    finally:
        store.close()
