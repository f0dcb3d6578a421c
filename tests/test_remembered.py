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
