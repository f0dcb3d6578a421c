"""From one file's bytes to stored articles and their Whoosh fields, each step isolated per article.

A step that fails for one article never stops the others, nor the run: the article is indexed
without what that step would have given (no entities, no date...) when the rest is sound, or is
skipped when nothing sound is left; either way the failure is reported with the file, the step
and the error, and its traceback goes to the log.
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar

from index.analysis import entities
from index.analysis.duplicates import signature
from index.analysis.entities import EntityCorrections, Mention
from index.analysis.entities.models import combine
from index.analysis.folding import fold
from index.analysis.language import UNDETERMINED
from index.analysis.metadata import article_id, infer
from index.models import AnalysisProblem, Article, EntityMention, Provenance, RawDocument, SkippedFile
from index.reading.files import FoundFile
from index.reading.readers import read_file
from index.storage.commits import ReadFile
from index.storage.schema import PreAnalyzed, pre_analysed
from index.storage.store import ArticleRow, StoredArticle
from index.userdata.corrections import apply_corrections

log = logging.getLogger(__name__)
T = TypeVar("T")
# What an entity model found in an article's body, with the model's name (the mentions are None when
# it could not read the article); None if it has not read it.
ModelMentions = Callable[[Article], "tuple[str, list[Mention] | None] | None"]
# Lone surrogates come from JSON escapes ("\ud800") and undecodable file names; they cannot be
# encoded, so SQLite, hashing and Whoosh would all fail on them.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Extraction takes about 1.4 s per MB (bench/hostile.py): a book-length "article" (a 15 MB line in a
# real archive) is searched for names only this far, and the report says so.
ENTITY_SEARCH_CHARS = 1_000_000
# A file's articles whose language could not be told take the file's when at least this many of
# the others, and this share of them, are in it.
FILE_LANGUAGE_MIN_ARTICLES = 3
FILE_LANGUAGE_SHARE = 0.9
# Steps whose failure leaves an article's body as read, not cleaned (see metadata.infer, _as_read).
_NOT_CLEANED = frozenset({"cleaning", "metadata"})


@dataclass(frozen=True)
class UserCorrections:
    """What the user corrected: article metadata by article id, and entities archive-wide."""

    articles: dict[str, dict[str, str]] = field(default_factory=dict)
    entities: EntityCorrections = field(default_factory=EntityCorrections)


class StepFailedError(Exception):
    """A step failed and nothing sound is left of the article."""


@dataclass
class Steps:
    """Runs an article's steps, turning a failure into a reported problem and a fallback value."""

    where: str
    problems: list[AnalysisProblem] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)

    def note(self, step: str, what: str) -> None:
        """Report that a step did only part of its work."""
        self.problems.append(AnalysisProblem(self.where, step, what))

    def run(self, step: str, work: Callable[[], T], fallback: Callable[[], T] | None = None) -> T:
        try:
            return work()
        except Exception as error:  # noqa: BLE001 - one article's failure must not stop the run
            self.tracebacks.append(f"{self.where}: {step} failed\n{traceback.format_exc()}")
            problem = AnalysisProblem(self.where, step, _one_line(error))
            if fallback is None:
                raise StepFailedError(f"{step} failed: {problem.error}") from error
            self.problems.append(problem)
            return fallback()


def analyse_article(
    inferred: Article,
    fields: dict[str, str],
    corrections: EntityCorrections,
    steps: Steps | None = None,
    model_mentions: ModelMentions | None = None,
) -> tuple[StoredArticle, dict[str, Any]]:
    """An article's entities and postings: what is stored of it, and its Whoosh fields.

    Args:
        inferred: the article as read and inferred.
        fields: the user's corrections of its metadata.
        corrections: the user's entity corrections.
        steps: where failures are reported; None raises them.
        model_mentions: what the entity model of its language found in it, merged with the rules'.

    Raises:
        StepFailedError: the article cannot be indexed at all.
    """
    steps = steps or Steps(inferred.path)
    return _indexed(_named(inferred, fields, corrections, steps, model_mentions, cleaned=False), steps)


@dataclass(frozen=True)
class _Named:
    """An article with the user's corrections applied and the entities it names."""

    inferred: Article
    fields: dict[str, str]
    article: Article
    mentions: tuple[EntityMention, ...]
    entity_model: str | None


def _named(
    inferred: Article,
    fields: dict[str, str],
    corrections: EntityCorrections,
    steps: Steps,
    model_mentions: ModelMentions | None,
    cleaned: bool,
) -> _Named:
    """The first half of analysing an article (see analyse_article): its corrections and entities.

    ``cleaned``: its body is what ``clean`` made of the text read (see entities.extract).
    """
    article = steps.run("corrections", lambda: apply_corrections(inferred, fields), lambda: inferred)
    searched = article.body[:ENTITY_SEARCH_CHARS]
    cut = len(searched) < len(article.body)  # a line cut short may read as debris where the whole did not
    whole = cleaned and not cut
    found: list[Mention] = steps.run("entities", lambda: entities.extract(searched, article.language, whole), list)
    if cut:
        steps.note("entities", f"names searched for in the first {ENTITY_SEARCH_CHARS:,} characters only")
    from_model = steps.run("entity model", lambda: model_mentions(article), lambda: None) if model_mentions else None
    entity_model = None
    if from_model is not None:
        entity_model, modelled = from_model
        if modelled is not None:  # else the model could not read it: the rules' entities stay
            found = steps.run("entity model", lambda: combine(found, modelled), lambda: found)
    corrected = steps.run("entity corrections", lambda: corrections.apply(article.body, found), lambda: found)
    mentions = tuple(EntityMention(m.start, m.end, m.type, m.canonical) for m in corrected)
    return _Named(inferred, fields, article, mentions, entity_model)


def _indexed(named: _Named, steps: Steps) -> tuple[StoredArticle, dict[str, Any]]:
    """The second half of analysing an article (see analyse_article): its terms and signature.

    Raises:
        StepFailedError: the article cannot be indexed at all.
    """
    article = named.article
    title = steps.run("indexing", lambda: pre_analysed(article.title, article.language))
    body = steps.run("indexing", lambda: pre_analysed(article.body, article.language))
    copies = steps.run("near copies", lambda: signature(body), lambda: None)
    stored = StoredArticle(
        article, named.inferred, named.fields, title.length, body.length, named.mentions, named.entity_model, copies
    )
    return stored, document_fields(stored, title, body)


def analyse_file(
    found: FoundFile,
    data: bytes | SkippedFile,
    known_sha1: str | None,
    corrections: UserCorrections,
    model_mentions: ModelMentions | None = None,
) -> tuple[ReadFile, list[dict[str, Any]]]:
    """Turn one file's content into indexable articles; never raises for anything in the file.

    Args:
        found: the file.
        data: its content, or why it could not be read.
        known_sha1: the content hash it had when last indexed, if it was.
        corrections: the user's corrections.
        model_mentions: what the entity models found in articles (see analyse_article).

    Returns:
        The file as read, and each article's Whoosh fields.
    """
    return analyse_files([(found, data, known_sha1)], corrections, model_mentions)[0]


@dataclass
class _Draft:
    """An article of a file on its way through the phases of analyse_files."""

    raw: RawDocument
    steps: Steps
    inferred: Article
    fields: dict[str, str] = field(default_factory=dict)
    named: _Named | None = None
    analysed: tuple[dict[str, Any], ArticleRow] | None = None  # its Whoosh fields and stored row
    failure: str = ""


@dataclass
class _FileDraft:
    """A file read, its articles on their way (see analyse_files)."""

    found: FoundFile
    sha1: str
    skipped: list[SkippedFile]
    tracebacks: list[str]
    articles: list[_Draft]
    renamed: dict[str, str] = field(default_factory=dict)


def analyse_files(
    files: list[tuple[FoundFile, bytes | SkippedFile, str | None]],
    corrections: UserCorrections,
    model_mentions: ModelMentions | None = None,
) -> list[tuple[ReadFile, list[dict[str, Any]]]]:
    """Files' contents turned into indexable articles (see analyse_file), in the files' order.

    Every article of the files goes through one phase before any goes through the next: reading
    and inferring, then names, then terms. Run an article at a time, each phase found its tables
    (the language model's, the gazetteer's, the stemmers') pushed out of the processor's caches
    by the others' (language detection took 0.6 ms an article there, 0.2 ms on its own): batches
    of 64 files cost the workers a tenth less CPU (10,000 generated articles, two workers).
    """
    read = [_read(found, data, known_sha1) for found, data, known_sha1 in files]
    drafts = [(file, draft) for file in read if isinstance(file, _FileDraft) for draft in file.articles]
    for file, draft in drafts:
        _looked_up(file, draft, corrections)
        cleaned = not any(problem.step in _NOT_CLEANED for problem in draft.steps.problems)
        names = partial(
            _named, draft.inferred, draft.fields, corrections.entities, draft.steps, model_mentions, cleaned
        )
        draft.named = _attempt(draft, names)
    for file, draft in drafts:
        if draft.named is not None:
            draft.analysed = _attempt(draft, partial(_stored, draft.named, draft.steps, file.found.relpath))
    return [_assembled(file) if isinstance(file, _FileDraft) else file for file in read]


def _read(
    found: FoundFile, data: bytes | SkippedFile, known_sha1: str | None
) -> _FileDraft | tuple[ReadFile, list[dict[str, Any]]]:
    """A file's articles as read and inferred; or the file's outcome when nothing of it is to be analysed."""
    if isinstance(data, SkippedFile):
        return ReadFile(found, "", [], [data]), []
    sha1 = hashlib.sha1(data).hexdigest()
    if sha1 == known_sha1:
        return ReadFile(found, sha1, None, []), []
    file_steps = Steps(found.relpath)
    try:
        documents, skipped = file_steps.run("reading", lambda: read_file(found.relpath, data))
    except StepFailedError as failure:
        return ReadFile(found, sha1, [], [SkippedFile(found.relpath, str(failure))], [], file_steps.tracebacks), []
    read: list[tuple[RawDocument, Steps, Article]] = []
    for raw in map(_encodable, documents):
        steps = Steps(raw.key)
        read.append((raw, steps, steps.run("metadata", partial(infer, raw, steps), partial(_as_read, raw))))
    articles = [_Draft(raw, steps, inferred) for raw, steps, inferred in _in_the_files_language(read)]
    return _FileDraft(found, sha1, skipped, list(file_steps.tracebacks), articles)


def _looked_up(file: _FileDraft, draft: _Draft, corrections: UserCorrections) -> None:
    """Set the user's corrections of the article, found under its id or the one an earlier version gave it."""
    fields = corrections.articles.get(draft.inferred.id)
    former = article_id(draft.raw.former_key) if fields is None and draft.raw.former_key else None
    if former is not None and former in corrections.articles:
        fields = corrections.articles[former]  # corrected under the id an earlier version gave it
        file.renamed[former] = draft.inferred.id
    draft.fields = fields or {}


def _stored(named: _Named, steps: Steps, file: str) -> tuple[dict[str, Any], ArticleRow]:
    """An article's Whoosh fields and its row in the store, as ``file`` holds it."""
    stored, whoosh_fields = _indexed(named, steps)
    return whoosh_fields, steps.run("storing", partial(stored.row, file))


def _attempt(draft: _Draft, phase: Callable[[], T]) -> T | None:
    """The phase's result for the article, or None once the article cannot be indexed (said in ``failure``)."""
    try:
        return phase()
    except StepFailedError as failure:
        draft.failure = str(failure)
        return None


def _assembled(file: _FileDraft) -> tuple[ReadFile, list[dict[str, Any]]]:
    """The file as read and its articles' Whoosh fields, once its articles went through every phase."""
    rows: list[ArticleRow] = []
    documents_fields: list[dict[str, Any]] = []
    problems: list[AnalysisProblem] = []
    tracebacks = list(file.tracebacks)
    skipped = file.skipped
    ids: set[str] = set()
    for draft in file.articles:
        if draft.analysed is None:
            skipped.append(SkippedFile(draft.raw.key, draft.failure))
        else:
            if draft.inferred.id in ids:  # Two articles under one id would be two documents but one stored row.
                skipped.append(SkippedFile(draft.raw.key, "another article of this file has the same id"))
                continue
            ids.add(draft.inferred.id)
            documents_fields.append(draft.analysed[0])
            rows.append(draft.analysed[1])
        problems += draft.steps.problems
        tracebacks += draft.steps.tracebacks
    return ReadFile(file.found, file.sha1, rows, skipped, problems, tracebacks, file.renamed), documents_fields


def _in_the_files_language(
    read: list[tuple[RawDocument, Steps, Article]],
) -> list[tuple[RawDocument, Steps, Article]]:
    """The articles of a file, those whose text is too short to tell its language (a headline-only
    record) given the language nearly all the others of the file are in: a feed is written in one."""
    found = Counter(article.language for _, _, article in read if article.language != UNDETERMINED)
    if not found or len(read) == sum(found.values()):
        return read
    language, count = found.most_common(1)[0]
    if count < FILE_LANGUAGE_MIN_ARTICLES or count < FILE_LANGUAGE_SHARE * sum(found.values()):
        return read
    return [
        (raw, steps, replace(article, language=language, language_provenance=Provenance.TEXT))
        if article.language == UNDETERMINED and article.language_provenance == Provenance.UNKNOWN
        else (raw, steps, article)
        for raw, steps, article in read
    ]


def document_fields(stored: StoredArticle, title: PreAnalyzed, body: PreAnalyzed) -> dict[str, Any]:
    """The Whoosh fields of one article."""
    article = stored.article
    named = {facet: [fold(name) for name in names] for facet, names in stored.entity_names().items()}
    return {
        "id": article.id,
        "title": title,
        "body": body,
        "source": article.source or None,
        "language": article.language,
        **{facet: names for facet, names in named.items() if names},
    }


def log_tracebacks(read: ReadFile) -> None:
    """Write the details of a file's failures to the log (workers send them to the main process)."""
    for details in read.tracebacks:
        log.warning("%s", details)


def _as_read(raw: RawDocument) -> Article:
    """An article with nothing inferred: the text as read, every value unknown (inference failed)."""
    return Article(
        id=article_id(raw.key),
        path=raw.path,
        title="(untitled)",
        title_provenance=Provenance.UNKNOWN,
        body=raw.text,
        date=None,
        date_provenance=Provenance.UNKNOWN,
        source=None,
        source_provenance=Provenance.UNKNOWN,
        language=UNDETERMINED,
        language_provenance=Provenance.UNKNOWN,
        encoding=raw.encoding,
    )


def _encodable(raw: RawDocument) -> RawDocument:
    """The document with lone surrogates replaced by U+FFFD (one character each, so offsets hold).

    The readers already replace them; this keeps whatever a reader may still let through from
    failing the whole file's commit to SQLite.
    """

    def clean(text: str) -> str:
        return _LONE_SURROGATE.sub("\ufffd", text)

    texts = (raw.key, raw.path, raw.text, *raw.metadata.keys(), *raw.metadata.values())
    if all(text.isascii() or _LONE_SURROGATE.search(text) is None for text in texts):
        return raw  # nearly always: no copy (isascii needs no scan)
    return replace(
        raw,
        key=clean(raw.key),
        path=clean(raw.path),
        text=clean(raw.text),
        metadata={clean(key): clean(value) for key, value in raw.metadata.items()},
    )


def _one_line(error: BaseException) -> str:
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message[:300]}" if message else type(error).__name__
