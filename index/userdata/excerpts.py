"""Excerpts: passages the user quoted from articles, with everything needed to cite them, kept in baskets.

A basket is one file of the user's in the user data dir (never in an index, so re-indexing and
rebuilds never touch it), changed through ``UserFile``: re-read under a lock, replaced atomically,
its previous version kept beside it. An excerpt copies the article's metadata when it is taken, so
it can be cited even after its article changed or left the archive; ``check`` then says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import ArchivistError, ArticleNotFoundError
from index.models import Article
from index.paths import data_dir
from index.userdata.files import UserFile

DEFAULT_BASKET = "Excerpts"
BASKET_FORMAT = "archivist-basket"
BASKET_VERSION = 1
MAX_BASKET_NAME = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ExcerptError(ArchivistError):
    """An excerpt or basket request cannot be met (bad offsets, unknown excerpt, bad basket name)."""


@dataclass(frozen=True)
class Excerpt:
    """A passage of an article's ``body`` and the citation of its article.

    ``start`` and ``end`` are character offsets into the body as ``Archive.article`` returns it
    (``archivist show ID --json``); ``text`` is ``body[start:end]`` as it was when taken. The
    article's fields are those it had then. ``taken`` is an ISO 8601 time with its zone.
    """

    id: str
    text: str
    start: int
    end: int
    article_id: str
    archive: str
    path: str
    title: str
    source: str | None
    relayed_source: str | None
    date: str | None
    date_provenance: str
    language: str
    url: str | None
    author: str | None
    query: str
    taken: str
    note: str = ""
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The excerpt as JSON-ready values (``tags`` as a list)."""
        record = {name: getattr(self, name) for name in _FIELD_NAMES}  # asdict's deep copies cost 5x more
        record["tags"] = list(self.tags)
        return record

    @classmethod
    def from_dict(cls, record: Any) -> Excerpt:
        """Read an excerpt back from ``to_dict``'s shape; unknown keys (a flag, a citation) are ignored.

        Raises:
            ExcerptError: a field is missing or has the wrong type.
        """
        if not isinstance(record, dict):
            raise ExcerptError("an excerpt must be a JSON object")
        values: dict[str, Any] = {}
        for item in dataclasses.fields(cls):
            if item.name not in record:
                if item.default is not dataclasses.MISSING:
                    continue
                raise ExcerptError(f"an excerpt has no {item.name!r}")
            values[item.name] = record[item.name]
        _check_types(values)
        values["tags"] = tuple(values.get("tags", ()))
        excerpt = cls(**values)
        if not 0 <= excerpt.start <= excerpt.end:
            raise ExcerptError(f"excerpt {excerpt.id} has offsets {excerpt.start}-{excerpt.end}")
        return excerpt


_FIELD_NAMES = tuple(item.name for item in dataclasses.fields(Excerpt))
_REQUIRED_STRINGS = (
    "id",
    "text",
    "article_id",
    "archive",
    "path",
    "title",
    "date_provenance",
    "language",
    "query",
    "taken",
    "note",
)
_OPTIONAL_STRINGS = ("source", "relayed_source", "date", "url", "author")


def _check_types(values: dict[str, Any]) -> None:
    for name in _REQUIRED_STRINGS:
        if name in values and not isinstance(values[name], str):
            raise ExcerptError(f"an excerpt's {name!r} must be text")
    for name in _OPTIONAL_STRINGS:
        if values.get(name) is not None and not isinstance(values[name], str):
            raise ExcerptError(f"an excerpt's {name!r} must be text or null")
    for name in ("start", "end"):
        if type(values[name]) is not int:
            raise ExcerptError(f"an excerpt's {name!r} must be a whole number")
    tags = values.get("tags", [])
    if not isinstance(tags, list | tuple) or not all(isinstance(tag, str) for tag in tags):
        raise ExcerptError("an excerpt's 'tags' must be a list of texts")
    if values.get("date") is not None:
        try:
            dt.date.fromisoformat(values["date"])
        except ValueError as error:
            raise ExcerptError(f"an excerpt's date {values['date']!r} is not YYYY-MM-DD") from error


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as kept: trimmed, control characters dropped, empty and repeated ones left out, order kept."""
    kept: dict[str, None] = {}
    for tag in tags:
        cleaned = _CONTROL.sub("", tag).strip()
        if cleaned:
            kept.setdefault(cleaned, None)
    return tuple(kept)


def take_excerpt(
    article: Article, start: int, end: int, archive: Path, query: str = "", note: str = "", tags: Iterable[str] = ()
) -> Excerpt:
    """An excerpt of ``article.body[start:end]``, citing the article as it is now.

    Raises:
        ExcerptError: the offsets are not a non-empty range inside the body.
    """
    if not 0 <= start < end <= len(article.body):
        raise ExcerptError(
            f"characters {start}-{end} are not a passage of article {article.id}: "
            f"its body has {len(article.body)} characters (start from 0, end after start)"
        )
    return Excerpt(
        id=uuid.uuid4().hex[:12],
        text=article.body[start:end],
        start=start,
        end=end,
        article_id=article.id,
        archive=str(archive),
        path=article.path,
        title=article.title,
        source=article.source,
        relayed_source=article.relayed_source,
        date=article.date.isoformat() if article.date else None,
        date_provenance=article.date_provenance.value,
        language=article.language,
        url=article.url,
        author=article.author,
        query=query,
        taken=dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        note=note,
        tags=clean_tags(tags),
    )


@dataclass(frozen=True)
class CheckedExcerpt:
    """An excerpt as it stands against its archive now.

    ``flag`` is None when the passage is still where it was taken; otherwise it says, in a few
    words, why the excerpt may no longer match its article. ``excerpt`` then still holds the text and
    citation as taken. ``found_at`` is where the passage is in the article now, if anywhere.
    """

    excerpt: Excerpt
    flag: str | None = None
    found_at: tuple[int, int] | None = None


# The article an excerpt was taken from, as its archive holds it now (raises ArticleNotFoundError when
# it is gone, another ArchivistError when the archive cannot be read): see Archive.article_of.
ArticleLookup = Callable[[Excerpt], Article]


def check(excerpts: Sequence[Excerpt], lookup: ArticleLookup) -> list[CheckedExcerpt]:
    """Compare each excerpt with its article now; never drops one.

    Args:
        excerpts: the excerpts, in their order.
        lookup: the excerpt's article; raises ArticleNotFoundError when it is gone, and another
            ArchivistError when the archive cannot be read (not indexed here, moved away). An
            article found under another id (its record's id changed) is cited under that id.
    """
    checked = []
    unreadable: dict[str, str] = {}
    for excerpt in excerpts:
        if excerpt.archive in unreadable:
            checked.append(CheckedExcerpt(excerpt, unreadable[excerpt.archive]))
            continue
        try:
            article = lookup(excerpt)
        except ArticleNotFoundError:
            checked.append(CheckedExcerpt(excerpt, "its article is no longer in the archive"))
            continue
        except ArchivistError as error:
            unreadable[excerpt.archive] = f"its archive cannot be read here ({error})"
            checked.append(CheckedExcerpt(excerpt, unreadable[excerpt.archive]))
            continue
        if article.id != excerpt.article_id:
            excerpt = dataclasses.replace(excerpt, article_id=article.id)
        checked.append(_compare(excerpt, article.body))
    return checked


def _compare(excerpt: Excerpt, body: str) -> CheckedExcerpt:
    if body[excerpt.start : excerpt.end] == excerpt.text:
        return CheckedExcerpt(excerpt, None, (excerpt.start, excerpt.end))
    # Text added or removed before the passage moves it: find the occurrence nearest the old place.
    positions = [m.start() for m in re.finditer(re.escape(excerpt.text), body)] if excerpt.text else []
    if positions:
        start = min(positions, key=lambda position: abs(position - excerpt.start))
        return CheckedExcerpt(
            excerpt,
            f"its article changed; the passage is now at {start}-{start + len(excerpt.text)}",
            (start, start + len(excerpt.text)),
        )
    return CheckedExcerpt(excerpt, "its article changed and no longer holds the passage")


def _valid_basket(value: Any) -> bool:
    """Whether ``value`` is a basket, every excerpt included: one malformed excerpt (a hand edit, an
    older version's bug) makes the file unreadable, so its previous version is used instead.

    Raises:
        ValueError: an excerpt is malformed (says which and why).
    """
    if not (
        isinstance(value, dict)
        and value.get("format") == BASKET_FORMAT
        and isinstance(value.get("name"), str)
        and isinstance(value.get("excerpts"), list)
    ):
        return False
    for number, record in enumerate(value["excerpts"], 1):
        try:
            Excerpt.from_dict(record)
        except ExcerptError as error:
            raise ValueError(f"excerpt {number}: {error}") from error
    return True


def check_basket_name(name: str) -> str:
    """``name`` trimmed, or ExcerptError when it cannot name a basket."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned or _CONTROL.search(cleaned) or len(cleaned) > MAX_BASKET_NAME:
        raise ExcerptError(
            f"a basket's name must be 1 to {MAX_BASKET_NAME} characters with no control characters, not {name!r}"
        )
    return cleaned


def basket_file_name(name: str) -> str:
    """A file name for a basket: readable where the name allows, unique by a digest of the name."""
    readable = re.sub(r"[^\w-]+", "-", name, flags=re.UNICODE).strip("-_")[:40] or "basket"
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{readable}-{digest}.json"


class Basket:
    """A named, ordered collection of excerpts; every method reads the file fresh and saves each change."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = check_basket_name(name)
        self._file = UserFile(folder / basket_file_name(self.name), f"excerpts ({self.name})", _valid_basket)

    @property
    def path(self) -> Path:
        """The file the basket is saved in."""
        return self._file.path

    def excerpts(self) -> list[Excerpt]:
        """The excerpts, in the basket's order.

        Raises:
            UserFileError: the basket cannot be read, nor its previous version.
        """
        return self._excerpts_of(self._file.read())

    def _excerpts_of(self, content: dict[str, Any] | None) -> list[Excerpt]:
        if content is None:
            return []
        return [Excerpt.from_dict(record) for record in content["excerpts"]]

    def _change(self, change: Callable[[list[Excerpt]], list[Excerpt]]) -> list[Excerpt]:
        changed: list[Excerpt] = []

        def apply(content: dict[str, Any] | None) -> dict[str, Any]:
            changed[:] = change(self._excerpts_of(content))
            created = (content or {}).get("created") or _now()
            return {
                "format": BASKET_FORMAT,
                "version": BASKET_VERSION,
                "name": self.name,
                "created": created,
                "excerpts": [excerpt.to_dict() for excerpt in changed],
            }

        self._file.update(apply)
        return changed

    def create(self) -> None:
        """Save the basket empty if it does not exist yet (so it is listed)."""
        self._change(lambda excerpts: excerpts)

    def add(self, excerpt: Excerpt, position: int | None = None) -> Excerpt:
        """Add ``excerpt`` at ``position`` (default: the end); an excerpt already there is not added twice."""

        def insert(excerpts: list[Excerpt]) -> list[Excerpt]:
            if any(e.id == excerpt.id for e in excerpts):
                return excerpts
            excerpts.insert(len(excerpts) if position is None else max(0, position), excerpt)
            return excerpts

        self._change(insert)
        return excerpt

    def add_many(self, new: Sequence[Excerpt]) -> int:
        """Append excerpts whose ids the basket does not hold yet; returns how many were added."""
        added = 0

        def extend(excerpts: list[Excerpt]) -> list[Excerpt]:
            nonlocal added
            known = {e.id for e in excerpts}
            fresh = []
            for excerpt in new:
                if excerpt.id not in known:
                    known.add(excerpt.id)
                    fresh.append(excerpt)
            added = len(fresh)
            return excerpts + fresh

        self._change(extend)
        return added

    def remove(self, excerpt_id: str) -> tuple[int, Excerpt]:
        """Remove an excerpt; returns where it was and what it was, so it can be put back.

        Raises:
            ExcerptError: the basket holds no such excerpt.
        """
        removed: list[tuple[int, Excerpt]] = []

        def drop(excerpts: list[Excerpt]) -> list[Excerpt]:
            index = self._index(excerpts, excerpt_id)
            removed.append((index, excerpts.pop(index)))
            return excerpts

        self._change(drop)
        return removed[0]

    def edit(self, excerpt_id: str, note: str | None = None, tags: Iterable[str] | None = None) -> Excerpt:
        """Change an excerpt's note and/or tags (None leaves one as it is).

        Raises:
            ExcerptError: the basket holds no such excerpt.
        """

        def replace(excerpts: list[Excerpt]) -> list[Excerpt]:
            index = self._index(excerpts, excerpt_id)
            changes: dict[str, Any] = {}
            if note is not None:
                changes["note"] = note
            if tags is not None:
                changes["tags"] = clean_tags(tags)
            excerpts[index] = dataclasses.replace(excerpts[index], **changes)
            return excerpts

        return next(e for e in self._change(replace) if e.id == excerpt_id)

    def move(self, excerpt_id: str, position: int) -> None:
        """Move an excerpt to ``position`` in the basket's order (clamped to the ends).

        Raises:
            ExcerptError: the basket holds no such excerpt.
        """

        def reorder(excerpts: list[Excerpt]) -> list[Excerpt]:
            moved = excerpts.pop(self._index(excerpts, excerpt_id))
            excerpts.insert(min(max(0, position), len(excerpts)), moved)
            return excerpts

        self._change(reorder)

    def _index(self, excerpts: list[Excerpt], excerpt_id: str) -> int:
        for index, excerpt in enumerate(excerpts):
            if excerpt.id == excerpt_id:
                return index
        raise ExcerptError(f"basket {self.name!r} has no excerpt {excerpt_id!r}")


class Baskets:
    """Every basket of the user's, in ``<data dir>/excerpts``; the default one always exists."""

    def __init__(self, data: Path | None = None) -> None:
        self.folder = (data or data_dir()) / "excerpts"

    def names(self) -> list[str]:
        """The baskets' names, the default first, then alphabetically."""
        found = {DEFAULT_BASKET}
        if self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if ".unreadable-" in path.name:
                    continue
                name = self._name_in(path)
                if name:
                    found.add(name)
        return [DEFAULT_BASKET, *sorted(found - {DEFAULT_BASKET}, key=str.casefold)]

    @staticmethod
    def _name_in(path: Path) -> str | None:
        """The name a basket file gives itself, even when its excerpts cannot be read (it is listed, and
        opening it says why)."""
        try:
            content = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        name = content.get("name") if isinstance(content, dict) else None
        return name if isinstance(name, str) and content.get("format") == BASKET_FORMAT else None

    def basket(self, name: str | None = None) -> Basket:
        """The basket called ``name`` (default: the default basket), whether saved yet or not."""
        return Basket(self.folder, DEFAULT_BASKET if name is None else name)

    def existing(self, name: str | None) -> Basket:
        """Like ``basket``, but a name no basket has is an ExcerptError (a typo should not start a new one)."""
        basket = self.basket(name)
        if basket.name != DEFAULT_BASKET and basket.name not in self.names():
            raise ExcerptError(f"no basket is called {basket.name!r}; baskets: {', '.join(self.names())}")
        return basket

    def find(self, excerpt_id: str) -> tuple[Basket, Excerpt]:
        """The basket holding an excerpt, and the excerpt: the default basket when it holds it, else the
        only basket that does (an import may have copied an excerpt, id and all, into a second basket).

        Raises:
            ExcerptError: no basket holds it, or several do and none is the default.
        """
        holding = []
        for name in self.names():
            basket = self.basket(name)
            found = next((excerpt for excerpt in basket.excerpts() if excerpt.id == excerpt_id), None)
            if found is not None:
                if name == DEFAULT_BASKET:
                    return basket, found
                holding.append((basket, found))
        if not holding:
            raise ExcerptError(f"no basket holds an excerpt {excerpt_id!r} (see `archivist excerpts list`)")
        if len(holding) > 1:
            names = ", ".join(repr(basket.name) for basket, _ in holding)
            raise ExcerptError(f"excerpt {excerpt_id!r} is in several baskets ({names}); say which with --basket")
        return holding[0]


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
