"""The table of values computed once per key (index/analysis/remembered.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.analysis.remembered import Remembered


@given(st.lists(st.lists(st.text(max_size=3), max_size=30), max_size=8), st.integers(0, 10))
def test_each_key_gets_its_value_computed_once_while_the_table_holds_it(lookups: list[list[str]], limit: int) -> None:
    computed: list[list[str]] = []

    def compute(keys: list[str]) -> list[str]:
        computed.append(keys)
        return [key.upper() + "!" for key in keys]

    remembered: Remembered[str, str] = Remembered(limit, compute)
    for keys in lookups:
        held = len(remembered)
        assert remembered.values(keys) == [key.upper() + "!" for key in keys]
        new = computed.pop() if computed else []
        assert not computed and len(new) == len(set(new))  # one call, each new key once
        assert set(new) <= set(keys)
        replaced = held > limit and new  # a full table is replaced when keys are missing from it
        assert len(remembered) == (len(new) if replaced else held + len(new))


def test_a_cleared_table_computes_its_values_again() -> None:
    computed: list[list[str]] = []
    remembered: Remembered[str, str] = Remembered(10, lambda keys: computed.append(keys) or [k * 2 for k in keys])
    remembered.values(["a", "b"])
    remembered.clear()
    assert len(remembered) == 0
    assert remembered.values(["a"]) == ["aa"]
    assert computed == [["a", "b"], ["a"]]


def test_highlighting_keeps_the_vocabulary_of_short_texts_only() -> None:
    from index.analysis import terms

    terms._vocabularies.clear()  # noqa: SLF001
    short = "The minister met the ministers in Hanoi."
    assert terms.term_spans(short, "en", {"minist"}) == [(4, 12), (21, 30)]
    assert len(terms._vocabularies) == 1  # noqa: SLF001
    long = short + " filler" * terms.VOCABULARY_KEPT_CHARS
    assert terms.term_spans(long, "en", {"hanoi"}) == [(34, 39)]
    assert len(terms._vocabularies) == 1  # noqa: SLF001
