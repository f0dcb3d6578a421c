"""Answer SearchRequests: matching documents, facet counts, a timeline, ranked hits with snippets."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq

from .analysis import has_stemmer, term_spans, terms
from .columns import NO_DATE, Columns, date_to_day, day_to_date, load_columns
from .docsets import MaskEvaluator
from .indexer import COLUMNS_FILE, STORE_FILE, WHOOSH_DIR
from .models import (
    Article,
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
from .query import parse_query, positive_text_terms
from .store import ArticleStore

SNIPPET_CHARS = 240
MORE_LIKE_TERMS = 12
# BM25 as Whoosh's default BM25F scores it.
BM25_K1 = 1.2
BM25_B = 0.75


class _DerivedColumns:
    """Month and year numbers, and field lengths for scoring, derived once from the columns."""

    def __init__(self, columns: Columns) -> None:
        self.lengths = {"title": columns.title_terms, "body": columns.body_terms}
        alive = columns.alive if columns.alive.any() else np.ones(len(columns.alive), dtype=bool)
        self.average_length = {name: max(float(values[alive].mean()), 1.0) for name, values in self.lengths.items()}
        self.live_count = max(int(columns.alive.sum()), 1)
        dated = columns.day != NO_DATE
        days = np.where(dated, columns.day, 0).astype("datetime64[D]")
        self.dated = dated
        self.month = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
        self.year = days.astype("datetime64[Y]").astype(np.int64) + 1970


class ArchiveSearcher:
    """Keeps one Whoosh searcher and the facet columns open, and reopens them when the index changes.

    Args:
        index_dir: the archive's index folder, as written by the indexer.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.ix = whoosh_index.open_dir(str(index_dir / WHOOSH_DIR))
        self.store = ArticleStore(index_dir / STORE_FILE)
        self.searcher = self.ix.searcher()
        self.columns = self._load_columns()
        self.derived = _DerivedColumns(self.columns)
        self.masks = MaskEvaluator(self.searcher, self.columns.alive, self.columns.day)

    def close(self) -> None:
        """Release the searcher and the store."""
        self.searcher.close()
        self.store.close()
        self.ix.close()

    def refresh(self) -> None:
        """Pick up a newer generation of the index, if one was committed."""
        if self.ix.latest_generation() == self.columns.generation:
            return
        self.searcher = self.searcher.refresh()
        self.columns = self._load_columns()
        self.derived = _DerivedColumns(self.columns)
        self.masks = MaskEvaluator(self.searcher, self.columns.alive, self.columns.day)

    def _load_columns(self) -> Columns:
        columns = load_columns(self.index_dir / COLUMNS_FILE)
        if columns is None or columns.generation != self.ix.latest_generation():
            from .indexer import write_columns  # Rare: columns lost or stale after a crash.

            write_columns(self.ix, self.store, self.index_dir)
            columns = load_columns(self.index_dir / COLUMNS_FILE)
            assert columns is not None
        return columns

    def languages(self) -> list[str]:
        """Languages present in the index that have a stemmer."""
        return [language for language in self.columns.languages if has_stemmer(language)]

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search.

        Args:
            request: query, filters, sort order and page.

        Returns:
            The total, the page of hits, facet counts and the timeline.

        Raises:
            QuerySyntaxError: the query is malformed.
        """
        q = parse_query(request.query, self.ix.schema, self.languages())
        matched = self._matching(q)
        masks = self._filter_masks(request.filters)
        selected = matched.copy()
        for mask in masks.values():
            selected &= mask
        facets = self._facets(matched, masks, request.facet_limit)
        timeline = self._timeline(selected)
        total = int(selected.sum())
        docnums, scores = self._ranked(q, selected, masks, request)
        hits = self._hits(q, docnums, scores)
        return SearchResult(total, hits, facets, timeline, request.query)

    def _matching(self, q: wq.Query) -> np.ndarray:
        return self.masks.mask(q)

    def _filter_masks(self, filters: Filters) -> dict[str, np.ndarray]:
        columns = self.columns
        masks: dict[str, np.ndarray] = {}
        if filters.sources or filters.exclude_sources:
            masks["source"] = _code_mask(columns.source, columns.sources, filters.sources, filters.exclude_sources)
        if filters.languages or filters.exclude_languages:
            masks["language"] = _code_mask(
                columns.language, columns.languages, filters.languages, filters.exclude_languages
            )
        if filters.date_from or filters.date_to or filters.undated is not None:
            dated = columns.day != NO_DATE
            mask = dated.copy() if filters.undated is not True else ~dated
            if filters.date_from:
                mask &= columns.day >= date_to_day(filters.date_from)
            if filters.date_to:
                mask &= columns.day <= date_to_day(filters.date_to)
            masks["date"] = mask
        return masks

    def _facets(self, matched: np.ndarray, masks: dict[str, np.ndarray], limit: int) -> dict[str, Facet]:
        """Each facet counted under every filter but its own, so its other values stay choosable."""

        def under_other_filters(name: str) -> np.ndarray:
            selected = matched.copy()
            for other, mask in masks.items():
                if other != name:
                    selected &= mask
            return selected

        columns, derived = self.columns, self.derived
        facets = {
            "source": _count_codes("source", columns.source[under_other_filters("source")], columns.sources, limit),
            "language": _count_codes(
                "language", columns.language[under_other_filters("language")], columns.languages, limit
            ),
        }
        in_dates = under_other_filters("date") & derived.dated
        facets["year"] = _count_numbers("year", derived.year[in_dates], str, limit)
        facets["month"] = _count_numbers("month", derived.month[in_dates], _month_label, limit)
        return facets

    def _timeline(self, selected: np.ndarray) -> Timeline:
        dated = selected & self.derived.dated
        undated = int(selected.sum() - dated.sum())
        if not dated.any():
            return Timeline("year", (), undated)
        days = self.columns.day[dated]
        first, last = int(days.min()), int(days.max())
        span = last - first
        if span <= 92:
            counts = np.bincount(days - first)
            buckets = tuple(
                TimelineBucket(
                    day_to_date(first + i), day_to_date(first + i), day_to_date(first + i).isoformat(), int(c)
                )
                for i, c in enumerate(counts)
            )
            return Timeline("day", buckets, undated)
        if span <= 366 * 8:
            months = self.derived.month[dated]
            low = int(months.min())
            counts = np.bincount(months - low)
            buckets = tuple(_month_bucket(low + i, int(c)) for i, c in enumerate(counts))
            return Timeline("month", buckets, undated)
        years = self.derived.year[dated]
        low = int(years.min())
        counts = np.bincount(years - low)
        buckets = tuple(
            TimelineBucket(dt.date(low + i, 1, 1), dt.date(low + i, 12, 31), str(low + i), int(c))
            for i, c in enumerate(counts)
        )
        return Timeline("year", buckets, undated)

    def _ranked(
        self, q: wq.Query, selected: np.ndarray, masks: dict[str, np.ndarray], request: SearchRequest
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
            scores = self._scores(q)[docnums]
            count = min(last, docnums.size)
            top = np.argpartition(-scores, count - 1)[:count]
            # Best first; equal scores newest first.
            top = top[np.lexsort((-self.columns.day[docnums[top]], -scores[top]))][first:last]
            return docnums[top].tolist(), scores[top].tolist()
        days = self.columns.day[docnums]
        # Undated articles go last in either order.
        key = np.where(days == NO_DATE, np.iinfo(np.int32).max, -days if sort is SortOrder.NEWEST else days)
        order = np.argsort(key, kind="stable")[first:last]
        return docnums[order].tolist(), [0.0] * len(order)

    def _scores(self, q: wq.Query) -> np.ndarray:
        """BM25 scores of every document for the query's positive terms, computed with NumPy.

        Whoosh scores hit by hit through nested matchers, about 80 µs a document; this reads each
        term's postings once (cached) and scores them all at once.
        """
        derived = self.derived
        scores = np.zeros(len(self.columns.alive), dtype=np.float32)
        for fieldname, btext, boost in dict.fromkeys(self.masks.positive_terms(q)):
            lengths = derived.lengths.get(fieldname)
            postings = self.masks.postings(fieldname, btext)
            if lengths is None or postings.ids.size == 0:
                continue
            idf = np.log(derived.live_count / (postings.ids.size + 1)) + 1
            norm = 1 - BM25_B + BM25_B * lengths[postings.ids] / derived.average_length[fieldname]
            tf = postings.weights
            scores[postings.ids] += boost * idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm)
        return scores

    def _hits(self, q: wq.Query, docnums: list[int], scores: list[float]) -> tuple[Hit, ...]:
        ids = [self.columns.ids[d] for d in docnums]
        articles = self.store.get_many(ids)
        wanted = positive_text_terms(q, self.searcher.reader()) if not isinstance(q, wq.Every) else set()
        hits = []
        for article_id, score in zip(ids, scores, strict=True):
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
                    make_snippet(article.body, article.language, wanted),
                )
            )
        return tuple(hits)

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        return self.store.get(article_id)

    def hit_spans(self, article: Article, query_text: str) -> dict[str, tuple[Span, ...]]:
        """Where the query's words occur in an article's title and body.

        Args:
            article: the article shown.
            query_text: the query whose hits to highlight.

        Returns:
            ``{"title": spans, "body": spans}``; empty when the query is empty or malformed.
        """
        q = parse_query(query_text, self.ix.schema, self.languages())
        if isinstance(q, wq.Every):
            return {"title": (), "body": ()}
        wanted = positive_text_terms(q, self.searcher.reader())
        return {
            name: tuple(Span(s, e) for s, e in term_spans(text, article.language, wanted))
            for name, text in (("title", article.title), ("body", article.body))
        }

    def more_like(self, article: Article, limit: int = 10) -> tuple[Hit, ...]:
        """Articles that share the most distinctive words of ``article``."""
        counts = Counter(t for t in terms(article.body, article.language) if len(t) > 2)
        weighted = sorted(
            ((count * self.searcher.idf("body", term), term) for term, count in counts.items()), reverse=True
        )
        q = wq.Or([wq.Term("body", term) for _, term in weighted[:MORE_LIKE_TERMS]])
        results = self.searcher.search(q, limit=limit + 1)
        page = [(hit.docnum, float(hit.score)) for hit in results if self.columns.ids[hit.docnum] != article.id][:limit]
        return self._hits(q, [d for d, _ in page], [s for _, s in page])


def make_snippet(body: str, language: str, wanted: set[str], width: int = SNIPPET_CHARS) -> Snippet:
    """The passage of ``body`` densest in wanted terms, with their spans.

    Args:
        body: article text.
        language: its language (chooses the stemmer that matches index terms).
        wanted: index terms to highlight.
        width: snippet length in characters.

    Returns:
        The passage, with ``…`` where it is cut, and hit spans relative to it.
    """
    spans = term_spans(body, language, wanted) if wanted else []
    start = 0
    if spans:
        best = max(range(len(spans)), key=lambda i: sum(1 for s, _ in spans[i:] if s < spans[i][0] + width))
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


def _code_mask(codes: np.ndarray, names: list[str], include: tuple[str, ...], exclude: tuple[str, ...]) -> np.ndarray:
    position = {name: i for i, name in enumerate(names)}
    if include:
        mask = np.isin(codes, [position[n] for n in include if n in position])
    else:
        mask = np.ones(len(codes), dtype=bool)
    if exclude:
        mask &= ~np.isin(codes, [position[n] for n in exclude if n in position])
    return mask


def _count_codes(name: str, codes: np.ndarray, names: list[str], limit: int) -> Facet:
    counts = np.bincount(codes[codes >= 0], minlength=len(names))
    order = np.argsort(-counts, kind="stable")
    values = tuple(FacetValue(names[i], int(counts[i])) for i in order[:limit] if counts[i])
    return Facet(name, values, int(np.count_nonzero(counts)))


def _count_numbers(name: str, numbers: np.ndarray, label: object, limit: int) -> Facet:
    if numbers.size == 0:
        return Facet(name, (), 0)
    values, counts = np.unique(numbers, return_counts=True)
    order = np.argsort(-counts, kind="stable")[:limit]
    chosen = sorted(order, key=lambda i: values[i])  # Chronological, for dates.
    return Facet(name, tuple(FacetValue(label(int(values[i])), int(counts[i])) for i in chosen), len(values))  # type: ignore[operator]


def _month_label(month_index: int) -> str:
    return f"{1970 + month_index // 12:04d}-{month_index % 12 + 1:02d}"


def _month_bucket(month_index: int, count: int) -> TimelineBucket:
    year, month = 1970 + month_index // 12, month_index % 12 + 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return TimelineBucket(dt.date(year, month, 1), following - dt.timedelta(days=1), _month_label(month_index), count)
