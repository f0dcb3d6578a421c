"""The user's current question: query, filters and order, turned into SearchRequests."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from index import DEFAULT_COPY_THRESHOLD, ENTITY_FACETS, Filters, SearchRequest, SortOrder

# How each entity facet reads in the interface, singular (chips, tooltips) and plural (facet titles).
ENTITY_WORDS: dict[str, tuple[str, str]] = {
    "person": ("person", "People"), "org": ("organisation", "Organisations"), "place": ("place", "Places"),
}
ENTITY_TYPE_FACET: dict[str, str] = {type_: facet for facet, type_ in ENTITY_FACETS.items()}


@dataclass(frozen=True)
class Chip:
    """One active filter as shown to the user; ``key`` identifies it for removal."""

    key: str
    label: str
    excluded: bool = False


def period_range(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a facet period, "2025" or "2025-05"."""
    if len(value) == 4:
        year = int(value)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    year, month = (int(part) for part in value.split("-")[:2])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def chips_for(filters: Filters) -> tuple[Chip, ...]:
    """The chips describing ``filters``, in a stable order."""
    chips: list[Chip] = []
    chips += [Chip(f"source:{v}", f"source: {v}") for v in filters.sources]
    chips += [Chip(f"-source:{v}", f"not source: {v}", True) for v in filters.exclude_sources]
    chips += [Chip(f"language:{v}", f"language: {v}") for v in filters.languages]
    chips += [Chip(f"-language:{v}", f"not language: {v}", True) for v in filters.exclude_languages]
    chips += [Chip(f"{f}:{v}", f"{ENTITY_WORDS[f][0]}: {v}") for f, v in filters.entities]
    chips += [Chip(f"-{f}:{v}", f"not {ENTITY_WORDS[f][0]}: {v}", True) for f, v in filters.exclude_entities]
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else "…"
        end = filters.date_to.isoformat() if filters.date_to else "…"
        chips.append(Chip("date", f"date: {start} – {end}"))
    if filters.undated is True:
        chips.append(Chip("undated", "no date"))
    elif filters.undated is False:
        chips.append(Chip("undated", "has a date"))
    return tuple(chips)


def without_chip(filters: Filters, key: str) -> Filters:
    """``filters`` with the constraint behind chip ``key`` removed."""
    if key == "date":
        return replace(filters, date_from=None, date_to=None)
    if key == "undated":
        return replace(filters, undated=None)
    name, _, value = key.partition(":")
    if name.lstrip("-") in ENTITY_FACETS:
        pairs = "exclude_entities" if name.startswith("-") else "entities"
        pair = (name.lstrip("-"), value)
        kept: dict[str, Any] = {pairs: tuple(p for p in getattr(filters, pairs) if p != pair)}
        return replace(filters, **kept)
    field = {"source": "sources", "-source": "exclude_sources", "language": "languages",
             "-language": "exclude_languages"}.get(name)
    if field is None:
        return filters
    changes: dict[str, Any] = {field: tuple(v for v in getattr(filters, field) if v != value)}
    return replace(filters, **changes)


def without_entity(filters: Filters, facet: str, value: str) -> Filters:
    """``filters`` with no constraint on the entity ``value`` of ``facet`` (after it was renamed or deleted)."""
    pair = (facet, value)
    return replace(filters, entities=tuple(p for p in filters.entities if p != pair),
                   exclude_entities=tuple(p for p in filters.exclude_entities if p != pair))


def with_value(filters: Filters, facet: str, value: str, exclude: bool = False) -> Filters:
    """``filters`` narrowed by one facet value (include, or exclude when ``exclude``)."""
    if facet in ("year", "month"):
        start, end = period_range(value)
        return replace(filters, date_from=start, date_to=end, undated=None)
    if facet in ENTITY_FACETS:
        pair = (facet, value)
        keep, drop = ("exclude_entities", "entities") if exclude else ("entities", "exclude_entities")
        kept_pairs = tuple(getattr(filters, keep))
        pair_changes: dict[str, Any] = {keep: kept_pairs if pair in kept_pairs else (*kept_pairs, pair),
                                        drop: tuple(p for p in getattr(filters, drop) if p != pair)}
        return replace(filters, **pair_changes)
    plural = {"source": "sources", "language": "languages"}.get(facet)
    if plural is None:
        return filters
    keep, drop = (f"exclude_{plural}", plural) if exclude else (plural, f"exclude_{plural}")
    kept = tuple(getattr(filters, keep))
    changes: dict[str, Any] = {
        keep: kept if value in kept else (*kept, value),
        drop: tuple(v for v in getattr(filters, drop) if v != value),
    }
    return replace(filters, **changes)


class SearchSession(QObject):
    """Holds query, filters and order; emits a new SearchRequest whenever one of them changes."""

    request_changed = Signal(object)  # SearchRequest
    chips_changed = Signal(object)  # tuple[Chip, ...]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.query = ""
        self.filters = Filters()
        self.sort = SortOrder.RELEVANCE
        self.page_size = 200
        self.spellings = True  # a word naming a known entity also matches its other spellings
        self.typing = False  # the query is being typed: its last word also finds the words it begins
        self.fold_copies = True  # one result per group of near copies, with "N copies"
        self.copy_threshold = DEFAULT_COPY_THRESHOLD

    def request(self) -> SearchRequest:
        """The request for the current state."""
        return SearchRequest(query=self.query, filters=self.filters, sort=self.sort, page=1,
                             page_size=self.page_size, spellings=self.spellings, complete_last_word=self.typing,
                             fold_copies=self.fold_copies, copy_threshold=self.copy_threshold)

    def set_spellings(self, on: bool) -> None:
        """Match names' other spellings too (True), or only as typed."""
        self.spellings = on
        self._changed(chips=False)

    def set_copies(self, fold: bool, threshold: float) -> None:
        """Show one result per group of near copies at ``threshold`` (``fold``), or every copy."""
        self.fold_copies, self.copy_threshold = fold, threshold
        self._changed(chips=False)

    def set_query(self, query: str, typing: bool = False) -> None:
        """Search for ``query``; while it is ``typing``, its last word also finds the words it begins."""
        self.query, self.typing = query, typing
        self._changed(chips=False)

    def set_sort(self, sort: SortOrder) -> None:
        """Order results by ``sort``."""
        self.sort = sort
        self._changed(chips=False)

    def include(self, facet: str, value: str) -> None:
        """Keep only results with this facet value."""
        self.filters = with_value(self.filters, facet, value)
        self._changed()

    def exclude(self, facet: str, value: str) -> None:
        """Drop results with this facet value."""
        self.filters = with_value(self.filters, facet, value, exclude=True)
        self._changed()

    def forget_entity(self, facet: str, value: str) -> None:
        """Drop any filter on an entity that no longer exists under that name."""
        filters = without_entity(self.filters, facet, value)
        if filters != self.filters:
            self.filters = filters
            self.chips_changed.emit(chips_for(self.filters))

    def set_dates(self, date_from: dt.date | None, date_to: dt.date | None) -> None:
        """Keep only results dated within ``[date_from, date_to]``."""
        self.filters = replace(self.filters, date_from=date_from, date_to=date_to, undated=None)
        self._changed()

    def set_undated(self, undated: bool | None) -> None:
        """Keep only undated results (True), only dated ones (False), or both (None)."""
        self.filters = replace(self.filters, undated=undated, date_from=None, date_to=None)
        self._changed()

    def remove_chip(self, key: str) -> None:
        """Withdraw the filter behind chip ``key``."""
        self.filters = without_chip(self.filters, key)
        self._changed()

    def clear(self) -> None:
        """Forget query and filters."""
        self.query = ""
        self.filters = Filters()
        self._changed()

    def refresh(self) -> None:
        """Ask again (after indexing or a correction)."""
        self._changed(chips=False)

    def _changed(self, chips: bool = True) -> None:
        if chips:
            self.chips_changed.emit(chips_for(self.filters))
        self.request_changed.emit(self.request())
