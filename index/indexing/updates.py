"""Re-indexing some articles in place, after the user corrected them."""

from __future__ import annotations

import logging
from contextlib import closing
from pathlib import Path

from index.analysis.entities import EntityCorrections
from index.indexing.pipeline import StepFailedError, Steps, analyse_article
from index.models import AnalysisProblem
from index.storage.commits import applied_entity_corrections, committing
from index.storage.model_results import ModelResults
from index.storage.store import ArticleStore
from index.userdata.corrections import Corrections

log = logging.getLogger(__name__)


def update_articles(
    index_dir: Path,
    store: ArticleStore | None,
    ids: list[str],
    corrections: Corrections,
    entity_corrections: EntityCorrections | None,
    meta: dict[str, str] | None = None,
) -> list[AnalysisProblem]:
    """Re-index some articles in place, with the user's corrections as they are now, and refresh the
    facet columns.

    The corrections are read inside the commit, so of two processes correcting one article, the
    one committing last writes what both saved.

    Args:
        index_dir: the archive's index folder.
        store: its article store, or None (see committing).
        ids: the articles (ids no longer in the store are ignored).
        corrections: the user's metadata corrections.
        entity_corrections: the user's entity corrections, or None for those the index reflects.
        meta: store meta values to commit with them.

    Returns:
        What failed in analysing them; an article that cannot be analysed at all keeps its
        previous version.
    """
    problems: list[AnalysisProblem] = []
    model_results = ModelResults(index_dir)
    with closing(model_results), committing(index_dir, store, merge=True) as commit:
        current = corrections.by_article()
        entities = entity_corrections if entity_corrections is not None else applied_entity_corrections(commit.store)
        for article_id, (inferred, _applied) in commit.store.originals(ids).items():
            steps = Steps(inferred.path)
            fields = current.get(article_id, {})
            try:
                stored, whoosh_fields = analyse_article(inferred, fields, entities, steps, model_results)
            except StepFailedError:
                pass
            else:
                commit.update_article(stored, whoosh_fields)
            problems += steps.problems
            for details in steps.tracebacks:
                log.warning("%s", details)
        for key, value in (meta or {}).items():
            commit.store.set_meta(key, value)
    return problems
