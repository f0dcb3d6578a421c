"""Answer SearchRequests: matching documents, facet counts, a timeline, ranked hits with snippets."""

from __future__ import annotations

import datetime as dt
import logging
import os
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from index.analysis.duplicates import clusters
from index.analysis.entities import EntityCorrections, aliases
from index.analysis.terms import TOKEN, TermSpans, has_stemmer, term_spans, terms
from index.errors import IndexChangedError, IndexDamagedError, IndexNotBuiltError
from index.models import (
    ENTITY_FACET_OF_TYPE,
    ENTITY_FACETS,
    Article,
    CopyCluster,
    EntityInfo,
    Facet,
    FacetValue,
    Filters,
    Hit,
    SearchRequest,
    SearchResult,
    Snippet,
    SortOrder,
    Span,
    Timeline,
    TimelineBucket,
)
from index.storage.columns import NO_DATE, Columns, date_to_day, day_to_date, load_columns
from index.storage.commits import applied_entity_corrections, columns_for, committed_files, committed_generation
from index.storage.docsets import MaskEvaluator, Postings, ScoredTerm, kept
from index.storage.facet_counts import FacetCounter
from index.storage.generations import missing_or_changed, open_reader, unused_readers
from index.storage.layout import COLUMNS_FILE, STORE_FILE, WHOOSH_DIR, commit_lock, indexing_lock
from index.storage.preload import search_files
from index.storage.query import also_matched, entity_terms_of, parse_query
from index.storage.schema import TEXT_FIELDS
from index.storage.store import ENTITY_CORRECTIONS_APPLIED, ArticleStore

log = logging.getLogger(__name__)
SNIPPET_CHARS = 240
# A page's snippets count each article's tokens of the query's terms from their postings when the
# terms are this few (a pattern may stand for hundreds, whose postings no search read).
COUNTED_TERMS_AT_MOST = 16
OPEN_ATTEMPTS = 5  # a writer may replace the columns and delete an old generation while we open it
MORE_LIKE_TERMS = 12
# Facets under more than this share of the documents are counted over the others, and taken from
# every document's counts: a common word's facets cost what a rare one's do.
COUNTED_BY_THE_OTHERS_ABOVE = 0.5
# Hits ordered by date are sorted on their own when they are fewer than this share of the archive,
# else taken in the archive's order by date: sorting a million of them took 75 ms.
SORTED_ALONE_BELOW = 16
KEPT_PARSES = 64
# The timeline's unit: days when its dates span at most this many days, then months, then years.
DAY_BUCKETS_UP_TO = 92
MONTH_BUCKETS_UP_TO = 366 * 8
# BM25 as Whoosh's default BM25F scores it.
BM25_K1 = 1.2
BM25_B = 0.75


class _DerivedColumns:
    """Year and month codes, field lengths for scoring, facet counters and date orders, derived
    once from the columns."""

    def __init__(self, columns: Columns, previous: _DerivedColumns | None = None) -> None:
        self.lengths = {"title": columns.title_terms, "body": columns.body_terms}
        live = columns.alive.any()
        self.average_length = {
            name: max(float(values[columns.alive].mean()), 1.0) if live else 1.0
            for name, values in self.lengths.items()
        }
        self.live_count = max(int(columns.alive.sum()), 1)
        self._length_terms: dict[str, np.ndarray] = {}
        dated = columns.day != NO_DATE
        days = np.where(dated, columns.day, 0).astype("datetime64[D]")
        self.dated = dated
        month = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
        year = days.astype("datetime64[Y]").astype(np.int64) + 1970
        self._columns = columns
        self._counters: dict[str, FacetCounter] = {}
        self._previous_counters = previous._counters if previous else {}
        # Years and months as facet codes (-1: undated), numbered from the first one.
        self.first = {"year": int(year[dated].min()) if dated.any() else 0,
                      "month": int(month[dated].min()) if dated.any() else 0}
        self.codes = {"year": np.where(dated, year - self.first["year"], -1),
                      "month": np.where(dated, month - self.first["month"], -1)}
        self.values = {name: int(codes.max()) + 1 if codes.size else 0 for name, codes in self.codes.items()}
        self._date_orders: dict[SortOrder, np.ndarray] = {}

    def length_term(self, fieldname: str) -> np.ndarray:
        """Each document's length term of BM25 for a field, ``K1 * (1 - B + B * length / average)``,
        made at its first use: a term's scores then cost a gather, an addition and a division per
        posting (2 ms for a word in most of a million articles, 4 without it)."""
        found = self._length_terms.get(fieldname)
        if found is None:
            relative = self.lengths[fieldname] / self.average_length[fieldname]
            found = self._length_terms[fieldname] = (BM25_K1 * (1 - BM25_B + BM25_B * relative)).astype(np.float32)
        return found

    def date_order(self, sort: SortOrder) -> np.ndarray:
        """Every document number, newest or oldest first (undated ones last, in number order)."""
        order = self._date_orders.get(sort)
        if order is None:
            order = self._date_orders[sort] = np.argsort(_date_key(self._columns.day, sort), kind="stable")
        return order

    def counter(self, facet: str) -> FacetCounter:
        """The counter of a facet's values (source, language, year, month or an entity facet), made
        at its first use, from the previous generation's when there was one."""
        counter = self._counters.get(facet)
        if counter is None:
            previous = self._previous_counters.pop(facet, None)
            columns = self._columns
            if facet in ENTITY_FACETS:
                names = len(columns.entity_names[facet])
                counter = FacetCounter(columns.entity_docs[facet], columns.entity_codes[facet], names, len(self.dated))
            else:
                counter = FacetCounter.of_column(*self._column(facet))
            self._counters[facet] = previous.following(counter) if previous else counter
        return counter

    def _column(self, facet: str) -> tuple[np.ndarray, int]:
        """A facet of one value a document: each document's value code (-1: none), and how many codes."""
        if facet in self.codes:
            return self.codes[facet], self.values[facet]
        if facet == "source":
            return self._columns.source, len(self._columns.sources)
        return self._columns.language, len(self._columns.languages)


@dataclass(frozen=True)
class _CopyGroups:
    """Near-copy clusters at one threshold, and for each document number its cluster (-1: none)
    and its place in it (0: the representative, the earliest)."""

    clusters: tuple[CopyCluster, ...]
    group_of: np.ndarray
    rank: np.ndarray
    members: list[list[int]]  # each cluster's documents, earliest first


class ArchiveSearcher:
    """Keeps one Whoosh searcher and the facet columns open, and reopens them when the index changes.

    It opens the generation the facet columns describe (commits.py writes them once a generation is
    committed), so it always sees a complete one; it never writes.

    Args:
        index_dir: the archive's index folder, as written by the indexer.

    Raises:
        IndexNotBuiltError: the index was never committed.
        IndexDamagedError: the index files are damaged.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.store = ArticleStore(index_dir / STORE_FILE)
        self._entity_terms: tuple[str, dict[tuple[str, str], tuple[str, str]]] = ("", {})
        self._copies: tuple[tuple[int, float], _CopyGroups] | None = None
        try:
            self._open()
        except BaseException:
            self.store.close()
            raise

    def close(self) -> None:
        """Release the searcher and the store."""
        self.searcher.close()
        self.store.close()

    def refresh(self) -> None:
        """Move to the generation of newer facet columns, if a writer committed one."""
        if _stamp(self.index_dir / COLUMNS_FILE) == self._stamp and not self._left_behind(self.columns):
            return
        if not self.store.is_current():  # Rebuilt: the store this searcher holds was deleted.
            self.store.close()
            self.store = ArticleStore(self.index_dir / STORE_FILE)
        previous, previous_masks = self.searcher, self.masks
        self._open(previous_masks, self.derived)
        for leaf in unused_readers(previous.reader(), self.searcher.reader()):
            leaf.close()

    def _left_behind(self, columns: Columns) -> bool:
        """Whether the store committed a generation the columns file will never describe: its
        writer was killed between the two. (While a writer works, the columns follow soon.)"""
        if committed_generation(self.store) == columns.generation:
            return False
        return not (commit_lock(self.index_dir).busy() or indexing_lock(self.index_dir).busy())

    def _open(self, previous: MaskEvaluator | None = None, previous_derived: _DerivedColumns | None = None) -> None:
        """The searcher, columns and caches for the generation the columns file describes, reusing
        what ``previous`` (the evaluator of the generation searched until now) read of the segments
        both generations have, and what ``previous_derived`` counted of their documents."""
        path = self.index_dir / COLUMNS_FILE
        folder = self.index_dir / WHOOSH_DIR
        for _attempt in range(OPEN_ATTEMPTS):
            stamp = _stamp(path)
            columns = load_columns(path)
            try:
                if columns is not None and missing_or_changed(folder, columns.files) is None:
                    if self._left_behind(columns):
                        columns = self._columns_from_store()
                elif _stamp(path) != stamp:
                    continue  # Replaced while being read: read the new one.
                else:
                    columns = self._columns_from_store()
                toc, reader = open_reader(folder, columns.generation, previous.reader if previous else None)
                searcher = Searcher(reader)
                try:
                    masks = MaskEvaluator(searcher, columns.alive, columns.day, folder, previous)
                except BaseException:
                    for leaf in unused_readers(reader, previous.reader) if previous else [reader]:
                        leaf.close()
                    raise
            except FileNotFoundError:
                continue  # A writer deleted the generation just as it was opened: there is a newer one.
            self._stamp = stamp
            self.schema = toc.schema
            self.searcher = searcher
            self.columns = columns
            self.derived = _DerivedColumns(columns, previous_derived)
            self._parses: dict[tuple[str, bool, bool, str], wq.Query] = {}  # the languages are this generation's
            self.masks = masks
            return
        raise IndexChangedError("the index kept changing while it was opened; try again")

    def _columns_from_store(self) -> Columns:
        """Columns built in memory for the store's generation, when the columns file is missing or
        damaged (a writer rewrites it at its next commit; searches never write)."""
        generation = committed_generation(self.store)
        if generation is None:
            raise IndexNotBuiltError("the index is still being built")
        files = committed_files(self.store)
        wrong = missing_or_changed(self.index_dir / WHOOSH_DIR, files)
        if wrong:
            raise IndexDamagedError(f"index file {wrong}")
        log.warning("facet columns of %s missing or behind; computed in memory", self.index_dir)
        return columns_for(self.index_dir, self.store, generation, files)

    def languages(self) -> list[str]:
        """Languages present in the index that have a stemmer."""
        return [language for language in self.columns.languages if has_stemmer(language)]

    def entity_terms(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Query terms of the entities the archive's corrections renamed, merged or retyped, as indexed now."""
        recorded = self.store.get_meta(ENTITY_CORRECTIONS_APPLIED) or ""
        if recorded != self._entity_terms[0]:  # read again only when a commit changed them
            corrections = applied_entity_corrections(self.store) if recorded else EntityCorrections()
            self._entity_terms = (recorded, entity_terms_of(corrections))
        return self._entity_terms[1]

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search.

        Args:
            request: query, filters, sort order and page.

        Returns:
            The total, the page of hits, facet counts and the timeline.

        Raises:
            QuerySyntaxError: the query is malformed.
        """
        q = self._parsed(request.query, request.spellings, request.complete_last_word)
        matched = self.masks.mask(q)
        masks = self._filter_masks(request.filters)
        selected = matched.copy()
        for mask in masks.values():
            selected &= mask
        # The timeline, like the year and month facets, is counted under every filter but the date
        # one: the period chosen on it can be moved or widened, even when it selects nothing.
        in_dates = _under_filters_but("date", matched, masks)
        date_counts = {name: self._counts(name, in_dates) for name in ("year", "month")}
        facets = self._facets(matched, masks, date_counts, request.facet_limit)
        timeline = self._timeline(in_dates, date_counts)
        unfolded = selected
        if request.fold_copies:
            selected = self._fold_copies(selected, request.copy_threshold)
        total = int(selected.sum())
        positive = self.masks.positive_terms(q)
        docnums, scores = self._ranked(q, positive, selected, request)
        copies = self._copies_matching(docnums, unfolded, request.copy_threshold) if request.fold_copies else {}
        hits = self._hits(positive, docnums, scores, copies)
        also = also_matched(request.query) if request.spellings else ()
        return SearchResult(total, hits, facets, timeline, request.query, also, int(unfolded.sum()) - total)

    def prepare(self) -> None:
        """Make what the first searches would make on the way, so that no later keystroke makes
        it: the facets' frequent values' bitmaps (0.6 s at a million articles), for the first
        search matching many documents; the words a typed word may be completed to (50 ms), for
        the first word typed. A search asked for meanwhile waits (a searcher serves one at a time)."""
        for facet in ("source", "language", "year", "month", *ENTITY_FACETS):
            self.derived.counter(facet).prepared()
        self.masks.prepare_completions()

    def search_files(self) -> list[Path]:
        """The generation's files that searches read, in the order to preload them (see storage.preload)."""
        return search_files(self.index_dir / WHOOSH_DIR, self.columns.files)

    def _parsed(self, text: str, spellings: bool, complete_last_word: bool) -> wq.Query:
        """``text`` parsed (see parse_query), kept for the next searches of this generation: a
        facet clicked, a page turned or the order changed parse the same query again (1 ms)."""
        entity_terms = self.entity_terms()
        key = (text, spellings, complete_last_word, self._entity_terms[0])
        q = self._parses.get(key)
        if q is None:
            q = parse_query(text, self.schema, self.languages(), entity_terms, spellings, complete_last_word)
            kept(self._parses, key, q, KEPT_PARSES)
        return q

    def copy_clusters(self, threshold: float) -> tuple[CopyCluster, ...]:
        """The near-copy clusters of the searched generation at ``threshold``."""
        return self._copy_groups(threshold).clusters

    def copies_of(self, article_id: str, threshold: float) -> tuple[str, ...]:
        """The other members of an article's near-copy cluster, earliest first."""
        groups = self._copy_groups(threshold)
        for cluster in groups.clusters:  # few: a scan costs less than an id-to-document map
            if article_id in cluster.ids:
                return tuple(i for i in cluster.ids if i != article_id)
        return ()

    def _copy_groups(self, threshold: float) -> _CopyGroups:
        key = (self.columns.generation, threshold)
        if self._copies is not None and self._copies[0] == key:
            return self._copies[1]
        columns = self.columns
        docnum = {article_id: d for d, article_id in enumerate(columns.ids) if columns.alive[d]}
        last_day = np.iinfo(np.int32).max  # undated articles come after dated ones

        def order(article_id: str) -> tuple[int, str]:
            day = int(columns.day[docnum[article_id]])
            return (last_day if day == NO_DATE else day, article_id)

        pairs = [pair for pair in self.store.near_copies(threshold) if pair[0] in docnum and pair[1] in docnum]
        found = tuple(CopyCluster(tuple(group)) for group in clusters(pairs, threshold, order))
        group_of = np.full(len(columns.ids), -1, dtype=np.int32)
        rank = np.zeros(len(columns.ids), dtype=np.int32)
        members = [[docnum[article_id] for article_id in cluster.ids] for cluster in found]
        for number, documents in enumerate(members):
            group_of[documents] = number
            rank[documents] = np.arange(len(documents), dtype=np.int32)
        groups = _CopyGroups(found, group_of, rank, members)
        self._copies = (key, groups)
        return groups

    def _fold_copies(self, selected: np.ndarray, threshold: float) -> np.ndarray:
        """``selected`` with one member of each near-copy cluster kept: the earliest selected one."""
        groups = self._copy_groups(threshold)
        docs = np.flatnonzero(selected & (groups.group_of >= 0))
        if docs.size == 0:
            return selected
        docs = docs[np.lexsort((groups.rank[docs], groups.group_of[docs]))]
        group = groups.group_of[docs]
        folded = selected.copy()
        folded[docs[1:][group[1:] == group[:-1]]] = False  # all but the first of each cluster
        return folded

    def _copies_matching(
        self, docnums: list[int], selected: np.ndarray, threshold: float
    ) -> dict[int, tuple[str, ...]]:
        """For each document of a page, the ids of the other selected members of its cluster, earliest first."""
        groups, ids = self._copy_groups(threshold), self.columns.ids
        found: dict[int, tuple[str, ...]] = {}
        for docnum in docnums:
            group = int(groups.group_of[docnum])
            if group >= 0:
                others = [ids[d] for d in groups.members[group] if d != docnum and selected[d]]
                if others:
                    found[docnum] = tuple(others)
        return found

    def _filter_masks(self, filters: Filters) -> dict[str, np.ndarray]:
        columns = self.columns
        masks: dict[str, np.ndarray] = {}
        if filters.sources or filters.exclude_sources:
            masks["source"] = _code_mask(columns.source, columns.sources, filters.sources, filters.exclude_sources)
        if filters.languages or filters.exclude_languages:
            masks["language"] = _code_mask(
                columns.language, columns.languages, filters.languages, filters.exclude_languages
            )
        for facet in ENTITY_FACETS:
            include = tuple(name for kind, name in filters.entities if kind == facet)
            exclude = tuple(name for kind, name in filters.exclude_entities if kind == facet)
            if include or exclude:
                masks[facet] = self._entity_mask(facet, include, exclude)
        if filters.date_from or filters.date_to or filters.undated is not None:
            dated = columns.day != NO_DATE
            mask = dated.copy() if filters.undated is not True else ~dated
            if filters.date_from:
                mask &= columns.day >= date_to_day(filters.date_from)
            if filters.date_to:
                mask &= columns.day <= date_to_day(filters.date_to)
            masks["date"] = mask
        return masks

    def _entity_mask(self, facet: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> np.ndarray:
        """Documents naming every included entity and none of the excluded ones."""
        columns = self.columns
        position = {name: i for i, name in enumerate(columns.entity_names[facet])}
        docs, codes = columns.entity_docs[facet], columns.entity_codes[facet]
        mask = np.ones(len(columns.alive), dtype=bool)
        for name in include:
            holding = np.zeros(len(columns.alive), dtype=bool)
            holding[docs[codes == position.get(name, -1)]] = True
            mask &= holding
        for name in exclude:
            mask[docs[codes == position.get(name, -1)]] = False
        return mask

    def _facets(
        self, matched: np.ndarray, masks: dict[str, np.ndarray], date_counts: dict[str, np.ndarray], limit: int
    ) -> dict[str, Facet]:
        """Each facet counted under every filter but its own, so its other values stay choosable
        (the year and month ones are ``date_counts``)."""

        def under_other_filters(name: str) -> np.ndarray:
            return _under_filters_but(name, matched, masks)

        columns, derived = self.columns, self.derived
        facets = {
            name: _most_frequent(name, self._counts(name, under_other_filters(name)), names, limit)
            for name, names in (("source", columns.sources), ("language", columns.languages))
        }
        for facet in ENTITY_FACETS:
            counts = self._counts(facet, under_other_filters(facet))
            facets[facet] = _most_frequent(facet, counts, columns.entity_names[facet], limit)
        for name, label in (("year", str), ("month", _month_label)):
            facets[name] = _most_frequent_in_order(name, date_counts[name], derived.first[name], label, limit)
        return facets

    def _counts(self, facet: str, under: np.ndarray) -> np.ndarray:
        """How many documents under the mask ``under`` have each value of ``facet`` (source, language,
        an entity facet, year or month), by value code."""
        chosen = int(np.count_nonzero(under))
        if chosen <= COUNTED_BY_THE_OTHERS_ABOVE * len(under):
            return self._counted(facet, under, chosen)
        # Most documents: count the others, and take them from every document's counts.
        everything = self.derived.counter(facet).totals()
        return everything - self._counted(facet, ~under, len(under) - chosen)

    def _counted(self, facet: str, under: np.ndarray, chosen: int) -> np.ndarray:
        """``_counts`` for ``chosen`` documents, the number ``under`` holds."""
        return self.derived.counter(facet).count(under, chosen)

    def _timeline(self, selected: np.ndarray, date_counts: dict[str, np.ndarray]) -> Timeline:
        """The timeline of ``selected``, whose year and month counts are ``date_counts``: by day when
        its dates span at most DAY_BUCKETS_UP_TO days, by month up to MONTH_BUCKETS_UP_TO, else by year."""
        derived = self.derived
        dated = int(date_counts["month"].sum())
        undated = int(np.count_nonzero(selected)) - dated
        if not dated:
            return Timeline("year", (), undated)
        low, month_counts = _nonzero_span(date_counts["month"])
        first_month = derived.first["month"] + low
        shortest, longest = _spans_in_days(first_month, first_month + len(month_counts) - 1)
        days: np.ndarray | None = None
        if any(shortest <= limit < longest for limit in (DAY_BUCKETS_UP_TO, MONTH_BUCKETS_UP_TO)):
            days = self.columns.day[selected & derived.dated]  # the months leave the unit open: the days decide
            shortest = longest = int(days.max() - days.min())
        if longest <= DAY_BUCKETS_UP_TO:
            days = self.columns.day[selected & derived.dated] if days is None else days
            first = int(days.min())
            buckets = tuple(
                TimelineBucket(
                    day_to_date(first + i), day_to_date(first + i), day_to_date(first + i).isoformat(), int(c)
                )
                for i, c in enumerate(np.bincount(days - first))
            )
            return Timeline("day", buckets, undated)
        if longest <= MONTH_BUCKETS_UP_TO:
            buckets = tuple(_month_bucket(first_month + i, int(c)) for i, c in enumerate(month_counts))
            return Timeline("month", buckets, undated)
        low, counts = _nonzero_span(date_counts["year"])
        low += derived.first["year"]
        buckets = tuple(
            TimelineBucket(dt.date(low + i, 1, 1), dt.date(low + i, 12, 31), str(low + i), int(c))
            for i, c in enumerate(counts)
        )
        return Timeline("year", buckets, undated)

    def _ranked(
        self, q: wq.Query, positive: list[ScoredTerm], selected: np.ndarray, request: SearchRequest
    ) -> tuple[list[int], list[float]]:
        first = (request.page - 1) * request.page_size
        last = first + request.page_size
        sort = request.sort
        if sort is SortOrder.RELEVANCE and isinstance(q, wq.Every):
            sort = SortOrder.NEWEST
        docnums = np.flatnonzero(selected)
        if docnums.size == 0:
            return [], []
        if sort is SortOrder.RELEVANCE:
            scores = self._scores(positive)[docnums]
            count = min(last, docnums.size)
            top = np.argpartition(-scores, count - 1)[:count]
            # Best first; equal scores newest first.
            top = top[np.lexsort((-self.columns.day[docnums[top]], -scores[top]))][first:last]
            return docnums[top].tolist(), scores[top].tolist()
        if docnums.size * SORTED_ALONE_BELOW < selected.size:
            key = _date_key(self.columns.day[docnums], sort)
            page = docnums[np.argsort(key, kind="stable")[first:last]]
        else:
            page = _first_selected(self.derived.date_order(sort), selected, last)[first:]
        return page.tolist(), [0.0] * len(page)

    def _scores(self, positive: list[ScoredTerm]) -> np.ndarray:
        """BM25 scores of every document for the query's positive terms, computed with NumPy.

        Whoosh scores hit by hit through nested matchers, about 80 µs a document; this reads each
        term's postings once (cached) and scores them all at once.
        """
        scores = np.zeros(len(self.columns.alive), dtype=np.float32)
        for fieldname, btext, boost in dict.fromkeys(positive):
            if fieldname not in self.derived.lengths:
                continue
            postings = self.masks.postings(fieldname, btext)
            if not postings.scores:
                postings.scores.append(self._term_scores(fieldname, postings))
            term_scores = postings.scores[0]
            scores[postings.ids] += term_scores if boost == 1 else boost * term_scores
        return scores

    def _term_scores(self, fieldname: str, postings: Postings) -> np.ndarray:
        """A term's BM25 score in each document of its postings, unboosted."""
        derived = self.derived
        idf = float(np.log(derived.live_count / (postings.ids.size + 1)) + 1)
        tf = postings.weights  # float32, as the length terms: the scores are computed in float32
        return (idf * (BM25_K1 + 1)) * tf / (tf + derived.length_term(fieldname)[postings.ids])

    def _hits(
        self,
        positive: list[ScoredTerm],
        docnums: list[int],
        scores: list[float],
        copies: dict[int, tuple[str, ...]] | None = None,
        count_tokens: bool = True,
    ) -> tuple[Hit, ...]:
        ids = [self.columns.ids[d] for d in docnums]
        articles = self.store.get_many(ids)
        wanted = _highlighted(positive)
        spans_of = TermSpans(wanted)
        tokens = self._wanted_tokens(positive, docnums) if count_tokens else [None] * len(docnums)
        hits = []
        for docnum, article_id, score, count in zip(docnums, ids, scores, tokens, strict=True):
            article = articles.get(article_id)
            if article is None:
                continue
            hits.append(
                Hit(
                    article.id,
                    article.path,
                    article.title,
                    article.date,
                    article.date_provenance,
                    article.source,
                    article.source_provenance,
                    article.language,
                    score,
                    make_snippet(article.body, spans_of(article.body, article.language, count)),
                    (copies or {}).get(docnum, ()),
                )
            )
        return tuple(hits)

    def _wanted_tokens(self, positive: list[ScoredTerm], docnums: list[int]) -> list[int | None]:
        """How many tokens of each document's body have a highlighted term (see _highlighted): the
        sum of the terms' frequencies in its body postings. Unknown when the terms are many (a
        pattern's) or not all searched in the body (``title:``), whose postings no search read."""
        in_body = {btext for field, btext, _ in positive if field == "body"}
        highlighted = _highlighted_terms(positive)
        if len(highlighted) > COUNTED_TERMS_AT_MOST or not docnums or not in_body.issuperset(highlighted):
            return [None] * len(docnums)
        # The postings count the bodies of the searched generation; a run not yet finished may have
        # stored newer ones, which are shown. The articles were read before this check, and
        # generations only grow: the same generation now means they were read from it.
        if committed_generation(self.store) != self.columns.generation:
            return [None] * len(docnums)
        page = np.asarray(docnums)
        tokens = np.zeros(page.size, dtype=np.float64)
        for term in highlighted:
            postings = self.masks.postings("body", term)
            if postings.ids.size:
                where = np.minimum(np.searchsorted(postings.ids, page), postings.ids.size - 1)
                tokens += np.where(postings.ids[where] == page, postings.weights[where], 0)
        return [round(count) for count in tokens.tolist()]

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        return self.store.get(article_id)

    def hit_spans(
        self, article: Article, query_text: str, complete_last_word: bool = False
    ) -> dict[str, tuple[Span, ...]]:
        """Where the query's words occur in an article's title and body.

        Args:
            article: the article shown.
            query_text: the query whose hits to highlight.
            complete_last_word: the query is being typed (as in SearchRequest): its completions count.

        Returns:
            ``{"title": spans, "body": spans}``; empty when the query is empty or malformed.
        """
        q = self._parsed(query_text, True, complete_last_word)
        if isinstance(q, wq.Every):
            return {"title": (), "body": ()}
        wanted = _highlighted(self.masks.positive_terms(q))
        return {
            name: tuple(Span(s, e) for s, e in term_spans(text, article.language, wanted))
            for name, text in (("title", article.title), ("body", article.body))
        }

    def entity_info(self, name: str, type_: str) -> EntityInfo | None:
        """An entity's aliases, how many articles name it, and the first and last of their dates."""
        facet = ENTITY_FACET_OF_TYPE[type_]
        columns = self.columns
        if name not in columns.entity_names[facet]:
            return None
        mask = self._entity_mask(facet, (name,), ()) & columns.alive
        if not mask.any():  # a name whose last article went (extended columns keep it until rebuilt)
            return None
        days = columns.day[mask & (columns.day != NO_DATE)]
        first = day_to_date(int(days.min())) if days.size else None
        last = day_to_date(int(days.max())) if days.size else None
        return EntityInfo(name, type_, aliases(name, type_), int(mask.sum()), first, last)

    def articles_touched(self, before: EntityCorrections, after: EntityCorrections) -> set[str]:
        """Ids of the articles whose entities a change of entity corrections may change.

        Renames, retypes and deletions touch the articles naming the entities involved, under
        their old or new names, found through the entity columns and, since a deleted entity is
        in no column, through its names in the text; added or split surface forms touch the
        articles whose text holds them.
        """

        def changed(old: dict[Any, Any], new: dict[Any, Any]) -> set[tuple[Any, Any]]:
            return set(old.items()) ^ set(new.items())

        names: set[tuple[str, str]] = set(before.deleted ^ after.deleted)
        for (type_, canonical), new_name in changed(before.renamed, after.renamed):
            names |= {(type_, canonical), (type_, new_name)}
        for (type_, canonical), new_type in changed(before.retyped, after.retyped):
            names |= {(type_, canonical), (new_type, canonical)}
        surfaces: set[str] = set()
        for surface, named in changed(before.added, after.added) | changed(before.split, after.split):
            surfaces.add(surface)
            names.add(named)
        touched = np.zeros(len(self.columns.alive), dtype=bool)
        for type_, canonical in names:
            touched |= self._entity_mask(ENTITY_FACET_OF_TYPE[type_], (canonical,), ())
            surfaces |= {canonical, *aliases(canonical, type_)}
        for surface in surfaces:
            phrase = '"' + " ".join(TOKEN.findall(surface)) + '"'
            if phrase != '""':
                touched |= self.masks.mask(parse_query(phrase, self.schema, self.languages()))
        touched &= self.columns.alive
        return {self.columns.ids[d] for d in np.flatnonzero(touched)}

    def more_like(self, article: Article, limit: int = 10) -> tuple[Hit, ...]:
        """Articles that share the most distinctive words of ``article``."""
        counts = Counter(t for t in terms(article.body, article.language) if len(t) > 2)
        weighted = sorted(
            ((count * self.searcher.idf("body", term), term) for term, count in counts.items()), reverse=True
        )
        q = wq.Or([wq.Term("body", term) for _, term in weighted[:MORE_LIKE_TERMS]])
        results = self.searcher.search(q, limit=limit + 1)
        columns = self.columns
        page = [
            (hit.docnum, float(hit.score))
            for hit in results
            if columns.alive[hit.docnum] and columns.ids[hit.docnum] != article.id
        ][:limit]
        # Its terms' postings, read by Whoosh's search, are not those searches keep: not read to count.
        positive = self.masks.positive_terms(q)
        return self._hits(positive, [d for d, _ in page], [s for _, s in page], count_tokens=False)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from the next (a replaced file is a new inode)."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


def _highlighted(positive: list[ScoredTerm]) -> set[str]:
    """The text-field terms a hit may contain: the ones it is scored on."""
    return {btext.decode("utf-8") for btext in _highlighted_terms(positive)}


def _highlighted_terms(positive: list[ScoredTerm]) -> set[bytes]:
    """:func:`_highlighted`'s terms as the index holds them."""
    return {btext for field, btext, _ in positive if field in TEXT_FIELDS}


def make_snippet(body: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> Snippet:
    """The passage of ``body`` densest in hits, with their spans.

    Args:
        body: article text.
        spans: where the hits are in it, sorted (see terms.TermSpans).
        width: snippet length in characters.

    Returns:
        The passage, with ``…`` where it is cut, and hit spans relative to it.
    """
    start = 0
    if spans:
        starts = [s for s, _ in spans]
        # How many hits the window opening at each one holds: by bisection (a word repeated
        # 10,000 times in a long article made counting them one by one cost seconds).
        best = max(range(len(starts)), key=lambda i: bisect_left(starts, starts[i] + width, i) - i)
        start = max(0, spans[best][0] - width // 4)
        space = body.rfind(" ", 0, start)
        start = 0 if space < 0 or start - space > 20 else space + 1
    end = min(len(body), start + width)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    text = prefix + " ".join(body[start:end].split("\n")) + suffix
    offset = len(prefix) - start
    inside = tuple(Span(s + offset, e + offset) for s, e in spans if s >= start and e <= end)
    return Snippet(text, inside)


def _spans_in_days(first_month: int, last_month: int) -> tuple[int, int]:
    """The shortest and the longest number of days from a date in the first month (counted from
    1970-01) to a date in the last."""

    def start(month: int) -> int:
        return dt.date(1970 + month // 12, month % 12 + 1, 1).toordinal()

    return max(0, start(last_month) - start(first_month + 1) + 1), start(last_month + 1) - 1 - start(first_month)


def _nonzero_span(counts: np.ndarray) -> tuple[int, np.ndarray]:
    """The first nonzero count's position, and the counts from it to the last nonzero one."""
    nonzero = np.flatnonzero(counts)
    return int(nonzero[0]), counts[nonzero[0] : nonzero[-1] + 1]


def _date_key(days: np.ndarray, sort: SortOrder) -> np.ndarray:
    """What documents with these days are sorted by, for a date order: undated ones go last in either."""
    return np.where(days == NO_DATE, np.iinfo(np.int32).max, -days if sort is SortOrder.NEWEST else days)


def _first_selected(order: np.ndarray, selected: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` documents of ``order`` that ``selected`` holds, looked for in stretches
    that grow fourfold: a query matching most documents finds its page in the first one."""
    found: list[np.ndarray] = []
    wanted, start, stretch = count, 0, max(4 * count, 4096)
    while wanted > 0 and start < order.size:
        part = order[start : start + stretch]
        part = part[selected[part]][:wanted]
        found.append(part)
        wanted -= part.size
        start += stretch
        stretch *= 4
    return np.concatenate(found) if found else order[:0]


def _under_filters_but(name: str, matched: np.ndarray, masks: dict[str, np.ndarray]) -> np.ndarray:
    """The matched documents that pass every filter but ``name``."""
    selected = matched.copy()
    for other, mask in masks.items():
        if other != name:
            selected &= mask
    return selected


def _code_mask(codes: np.ndarray, names: list[str], include: tuple[str, ...], exclude: tuple[str, ...]) -> np.ndarray:
    position = {name: i for i, name in enumerate(names)}
    if include:
        mask = np.isin(codes, [position[n] for n in include if n in position])
    else:
        mask = np.ones(len(codes), dtype=bool)
    if exclude:
        mask &= ~np.isin(codes, [position[n] for n in exclude if n in position])
    return mask


def _most_frequent(name: str, counts: np.ndarray, names: list[str], limit: int) -> Facet:
    """The facet's ``limit`` most frequent values (``counts`` by value code), the most frequent first."""
    values = tuple(FacetValue(names[i], int(counts[i])) for i in _most_counted(counts, limit))
    return Facet(name, values, int(np.count_nonzero(counts)))


def _most_frequent_in_order(
    name: str, counts: np.ndarray, first: int, label: Callable[[int], str], limit: int
) -> Facet:
    """A date facet's ``limit`` most frequent values (``counts`` by value less ``first``), in time order."""
    chosen = sorted(int(i) for i in _most_counted(counts, limit))
    values = tuple(FacetValue(label(first + i), int(counts[i])) for i in chosen)
    return Facet(name, values, int(np.count_nonzero(counts)))


def _most_counted(counts: np.ndarray, limit: int) -> np.ndarray:
    """The positions of the ``limit`` largest counts but zero, largest first, equal ones in position
    order (as a stable sort of them all, which took 0.25 ms for the 23,000 organisations of 100k
    articles, most of them counted 0 by any one query)."""
    candidates = np.flatnonzero(counts)
    if 0 < limit < candidates.size:
        least = np.partition(counts[candidates], candidates.size - limit)[candidates.size - limit]
        candidates = candidates[counts[candidates] >= least]  # the limit largest, and any equal to the last
    return candidates[np.argsort(-counts[candidates], kind="stable")][:limit]


def _month_label(month_index: int) -> str:
    return f"{1970 + month_index // 12:04d}-{month_index % 12 + 1:02d}"


def _month_bucket(month_index: int, count: int) -> TimelineBucket:
    year, month = 1970 + month_index // 12, month_index % 12 + 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return TimelineBucket(dt.date(year, month, 1), following - dt.timedelta(days=1), _month_label(month_index), count)
