"""The term filters that tell which segments may hold a term (index/storage/term_filter.py)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.storage.term_filter import EXTENSION, TermFilters, TermFilterWriter, TermKey

FIELD_NAMES = st.text(max_size=12)  # lone surrogates, NUL, combining marks: any str
TERMS = st.binary(max_size=40) | st.text(max_size=30).map(lambda text: text.encode("utf-8", "surrogatepass"))


def _saved(folder: Path, segment_id: str, terms: list[tuple[str, bytes]]) -> None:
    writer = TermFilterWriter()
    for fieldname, btext in terms:
        writer.add(fieldname, btext)
    writer.save(folder, segment_id)


@settings(max_examples=60, deadline=None)
@given(segments=st.lists(st.lists(st.tuples(FIELD_NAMES, TERMS), max_size=40), min_size=1, max_size=5))
def test_a_segment_is_always_named_for_each_of_its_terms(segments: list[list[tuple[str, bytes]]]) -> None:
    ids = [f"seg{number}" for number in range(len(segments))]
    with tempfile.TemporaryDirectory() as folder:
        for segment_id, terms in zip(ids, segments, strict=True):
            _saved(Path(folder), segment_id, terms)
        filters = TermFilters(Path(folder), ids)
    for position, terms in enumerate(segments):
        for fieldname, btext in terms:
            holding = filters.segments_holding(TermKey.of(fieldname, btext))
            assert position in holding
            assert np.all(np.diff(holding) > 0)


def test_absent_terms_are_rarely_taken_for_present_ones(tmp_path: Path) -> None:
    """About 1 % at ten bits a term; a filter that said yes to everything would be useless."""
    present = [("body", f"word{number}".encode()) for number in range(20_000)]
    _saved(tmp_path, "seg", present)
    filters = TermFilters(tmp_path, ["seg"])
    absent = (TermKey.of("body", f"other{number}".encode()) for number in range(20_000))
    wrong = sum(len(filters.segments_holding(key)) for key in absent)
    assert wrong / 20_000 < 0.02
    # The same word in another field is another term.
    assert sum(len(filters.segments_holding(TermKey.of("title", btext))) for _, btext in present[:2000]) < 40


def test_segments_without_a_filter_or_with_a_damaged_one_may_hold_any_term(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for segment_id in ("whole", "cut", "flipped", "foreign"):
        _saved(tmp_path, segment_id, [("body", b"present")])
    cut = tmp_path / f"cut{EXTENSION}"
    cut.write_bytes(cut.read_bytes()[:-1])
    flipped = tmp_path / f"flipped{EXTENSION}"
    data = bytearray(flipped.read_bytes())
    data[-1] ^= 0x10
    flipped.write_bytes(bytes(data))
    (tmp_path / f"foreign{EXTENSION}").write_bytes(b"not a filter at all")
    with caplog.at_level(logging.WARNING):
        filters = TermFilters(tmp_path, ["whole", "cut", "missing", "flipped", "foreign", None])
    assert filters.segments_holding(TermKey.of("body", b"absent")).tolist() == [1, 2, 3, 4, 5]
    assert filters.segments_holding(TermKey.of("body", b"present")).tolist() == [0, 1, 2, 3, 4, 5]
    assert sum("damaged" in record.getMessage() for record in caplog.records) == 3


def test_a_filter_is_not_saved_when_a_term_bypassed_it(tmp_path: Path) -> None:
    writer = TermFilterWriter()
    writer.add("body", b"seen")
    writer.complete = False  # as the segment writer marks it when Whoosh's own path writes a term
    writer.save(tmp_path, "seg")
    assert not (tmp_path / f"seg{EXTENSION}").exists()
    assert TermFilters(tmp_path, ["seg"]).segments_holding(TermKey.of("body", b"unseen")).tolist() == [0]


def test_a_later_generation_keeps_the_filters_of_segments_it_shares(tmp_path: Path) -> None:
    _saved(tmp_path, "old", [("body", b"old")])
    first = TermFilters(tmp_path, ["old"])
    (tmp_path / f"old{EXTENSION}").unlink()  # Whoosh deletes a merged segment's files; this one is kept
    _saved(tmp_path, "new", [("body", b"new")])
    later = TermFilters(tmp_path, ["old", "new"], first)
    assert later.segments_holding(TermKey.of("body", b"old")).tolist() == [0]
    assert later.segments_holding(TermKey.of("body", b"new")).tolist() == [1]


def test_an_empty_segment_holds_nothing(tmp_path: Path) -> None:
    _saved(tmp_path, "empty", [])
    assert TermFilters(tmp_path, ["empty"]).segments_holding(TermKey.of("body", b"")).tolist() == []
