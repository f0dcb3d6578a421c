"""Values computed once per key and then looked up: words and tokens recur from article to article."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar, cast

K = TypeVar("K")
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """A table of values computed once per key, looked up in a plain dict.

    An ``lru_cache`` also moves every hit to the front of its list, and a set of a text's words
    built to find the new ones costs about as much as looking them all up: here each key is looked
    up once, and only the keys not found are computed, together. A table holding more than
    ``limit`` keys is replaced, never emptied, so a thread still reading the old one keeps every
    value it added.

    Args:
        limit: how many keys the table holds before it is replaced.
        compute: the values of new keys, in their order (never None), from a list of distinct keys.
    """

    def __init__(self, limit: int, compute: Callable[[list[K]], Iterable[V]]) -> None:
        self.limit = limit
        self._compute = compute
        self._table: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._table)

    def clear(self) -> None:
        """Forget every value (a benchmark's cold case)."""
        self._table = {}

    def values(self, keys: Sequence[K]) -> list[V]:
        """Each key's value, in the keys' order."""
        table = self._table
        found: list[V | None] = list(map(table.get, keys))
        if None in found:
            if len(table) > self.limit:
                table = self._table = {}
            missing = [i for i, value in enumerate(found) if value is None]
            new = [key for key in dict.fromkeys(keys[i] for i in missing) if key not in table]
            table.update(zip(new, self._compute(new), strict=True))
            for i in missing:
                found[i] = table[keys[i]]
        return cast("list[V]", found)
