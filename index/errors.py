"""Errors a user can cause, each with a message meant for people."""

from __future__ import annotations


class ArchivistError(Exception):
    """Base of every error the engine reports to a user."""


class ArchiveNotFoundError(ArchivistError):
    """The archive folder does not exist or is not a folder."""


class NoArchiveError(ArchivistError):
    """No archive was named and none was opened before."""


class IndexNotBuiltError(ArchivistError):
    """The archive has no index yet."""


class ArticleNotFoundError(ArchivistError):
    """No article has the given id."""


class UnreadableFileError(ArchivistError):
    """A file could not be read as an article; the message says why."""


class IndexLockedError(ArchivistError):
    """Another process is writing this archive's index."""


class IndexDamagedError(IndexNotBuiltError):
    """The index files are damaged (a disk error, a file cut short); indexing again rebuilds them."""


class IndexChangedError(ArchivistError):
    """The index was rebuilt, or kept changing, while it was being opened or written; try again."""


class IndexWriteError(ArchivistError):
    """The index could not be written (disk full, read-only folder); the previous index is intact."""


class InvalidRequestError(ArchivistError):
    """A SearchRequest asks for a page that cannot exist (page below 1, negative sizes)."""


class QuerySyntaxError(ArchivistError):
    """A query could not be understood.

    Attributes:
        message: what is wrong, for a person.
        position: character offset in the query where the problem is.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position
