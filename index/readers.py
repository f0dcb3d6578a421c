"""Find article files in a folder and read each into RawDocuments, or say why not."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .decoding import decode
from .errors import UnreadableFileError
from .models import Provenance, RawDocument, SkippedFile

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl", ".csv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES

# Record columns we understand, each mapped from the names it goes by.
_FIELD_ALIASES = {
    "id": ("id", "guid", "uid", "article_id"),
    "title": ("title", "headline"),
    "body": ("body", "text", "content", "article", "maintext"),
    "date": ("date", "published", "pubdate", "date_published", "published_at", "datetime"),
    "source": ("source", "outlet", "publisher", "site", "sitename", "media"),
    "language": ("language", "lang"),
    "url": ("url", "link"),
    "author": ("author", "authors", "byline"),
}
_HEADER_KEYS = "date|title|source|outlet|url|language|lang|author|id"
# `date 2025-05-07 rest of the line...`: the seeds' header, which may carry the article's start.
_BARE_DATE_HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+(.*))?$", re.IGNORECASE)
# `key: value`, `key = value`, `# key = value`.
_KEY_VALUE_HEADER = re.compile(rf"^[ \t]*#?[ \t]*({_HEADER_KEYS})[ \t]*[:=][ \t]*(.+?)[ \t]*$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundFile:
    """A candidate file: its path relative to the archive, and what decides if it changed."""

    relpath: str
    size: int
    mtime_ns: int


def scan(root: Path) -> tuple[list[FoundFile], list[SkippedFile]]:
    """List the article files under ``root``, recursively.

    Hidden files and folders are ignored; symlinks are followed only when they stay inside
    ``root``; files of other types and oversized files are reported as skipped.

    Args:
        root: the archive folder.

    Returns:
        The files to read (sorted by path) and the files skipped, with reasons.
    """
    root = root.resolve()
    found: list[FoundFile] = []
    skipped: list[SkippedFile] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            relpath = path.relative_to(root).as_posix()
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                skipped.append(SkippedFile(relpath, "symbolic link leading outside the archive"))
                continue
            suffix = path.suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(SkippedFile(relpath, f"unsupported file type ({suffix or 'no extension'})"))
                continue
            try:
                stat = path.stat()
            except OSError as error:
                skipped.append(SkippedFile(relpath, f"cannot be read: {error.strerror}"))
                continue
            if stat.st_size > MAX_FILE_BYTES:
                skipped.append(SkippedFile(relpath, f"larger than {MAX_FILE_BYTES // 2**20} MB"))
                continue
            found.append(FoundFile(relpath, stat.st_size, stat.st_mtime_ns))
    return found, skipped


def read_file(relpath: str, data: bytes) -> tuple[list[RawDocument], list[SkippedFile]]:
    """Parse one file's bytes into documents.

    Args:
        relpath: the file's path inside the archive, with forward slashes.
        data: its bytes.

    Returns:
        The documents it holds, and the parts of it that were skipped with reasons.
        A malformed file as a whole yields no document and one skip.
    """
    try:
        if len(data) > MAX_FILE_BYTES:
            raise UnreadableFileError(f"larger than {MAX_FILE_BYTES // 2**20} MB")
        text, encoding = decode(data)
        suffix = Path(relpath).suffix.lower()
        if suffix in HTML_SUFFIXES:
            return [_read_html(relpath, text, encoding)], []
        if suffix == ".json":
            return _read_json(relpath, text, encoding)
        if suffix == ".jsonl":
            return _read_records(relpath, _jsonl_records(text), encoding)
        if suffix == ".csv":
            return _read_records(relpath, _csv_records(text), encoding)
        return [_read_text(relpath, text, encoding)], []
    except UnreadableFileError as error:
        return [], [SkippedFile(relpath, str(error))]


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split leading metadata lines off a text article.

    Args:
        text: the article as read.

    Returns:
        The metadata found (keys lower-cased, ``lang`` read as ``language``) and the rest
        of the text, which starts with whatever followed a header on its line.
    """
    lines = text.split("\n")
    metadata: dict[str, str] = {}
    index = 0
    if lines and lines[0].strip() == "---":  # Markdown front matter.
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if closing is not None:
            for line in lines[1:closing]:
                match = _KEY_VALUE_HEADER.match(line)
                if match:
                    metadata[_header_key(match.group(1))] = match.group(2).strip("\"'")
            index = closing + 1
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            if metadata:
                index += 1
                continue
            break
        bare = _BARE_DATE_HEADER.match(line)
        if bare:
            metadata.setdefault("date", bare.group(1))
            remainder = (bare.group(2) or "").strip()
            if remainder:
                lines[index] = remainder
                break
            index += 1
            continue
        keyed = _KEY_VALUE_HEADER.match(line)
        if keyed:
            metadata.setdefault(_header_key(keyed.group(1)), keyed.group(2))
            index += 1
            continue
        break
    return metadata, "\n".join(lines[index:]).strip("\n")


def _header_key(key: str) -> str:
    key = key.lower()
    return {"lang": "language", "outlet": "source"}.get(key, key)


def _read_text(relpath: str, text: str, encoding: str) -> RawDocument:
    metadata, body = split_header(text)
    if relpath.lower().endswith((".md", ".markdown")) and "title" not in metadata:
        first = body.lstrip().split("\n", 1)
        if first[0].startswith("# "):
            metadata["title"] = first[0][2:].strip()
            body = first[1] if len(first) > 1 else ""
    if not body.strip():
        raise UnreadableFileError("no article text after the header")
    return RawDocument(relpath, relpath, body, metadata, Provenance.HEADER, encoding)


def _read_html(relpath: str, html: str, encoding: str) -> RawDocument:
    import trafilatura  # Imported here: it is slow to import and only HTML needs it.

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    document: dict[str, Any] = extracted.as_dict() if extracted is not None else {}  # type: ignore[union-attr]
    text = str(document.get("text") or "")
    if not text.strip():
        raise UnreadableFileError("no article text found in the HTML page")
    names = {
        "title": "title",
        "date": "date",
        "author": "author",
        "source": "sitename",
        "url": "url",
        "language": "language",
    }
    metadata = {key: str(document[name]) for key, name in names.items() if document.get(name)}
    return RawDocument(relpath, relpath, text, metadata, Provenance.STRUCTURED, encoding)


def _read_json(relpath: str, text: str, encoding: str) -> tuple[list[RawDocument], list[SkippedFile]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFileError(f"malformed JSON at line {error.lineno}: {error.msg}") from error
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    records = value if isinstance(value, list) else [value]
    return _read_records(relpath, ((n, r, None) for n, r in enumerate(records, 1)), encoding)


def _jsonl_records(text: str) -> Iterator[tuple[int, object, str | None]]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except json.JSONDecodeError as error:
            yield number, None, f"malformed JSON: {error.msg}"


def _csv_records(text: str) -> Iterator[tuple[int, object, str | None]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise UnreadableFileError("CSV file without a header row") from error
    if not any(name in header for name in _FIELD_ALIASES["body"]):
        raise UnreadableFileError("CSV header has no body, text or content column")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, None, f"malformed CSV row: {error}"
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield reader.line_num, None, f"CSV row has {len(row)} fields, the header has {len(header)}"
            continue
        yield reader.line_num, dict(zip(header, row, strict=True)), None


def _read_records(
    relpath: str, records: Iterable[tuple[int, object, str | None]], encoding: str
) -> tuple[list[RawDocument], list[SkippedFile]]:
    documents: list[RawDocument] = []
    skipped: list[SkippedFile] = []
    seen_keys: set[str] = set()
    for number, record, problem in records:
        where = f"{relpath} (record {number})"
        if problem is None and not isinstance(record, dict):
            problem = "record is not an object with named fields"
        if problem is None:
            fields = _map_fields(record)  # type: ignore[arg-type]
            body = fields.pop("body", "")
            if not body.strip():
                problem = "record has no article text"
        if problem is not None:
            skipped.append(SkippedFile(where, problem))
            continue
        record_id = fields.get("id") or str(number)
        key = f"{relpath}#{record_id}"
        if key in seen_keys:
            key = f"{relpath}#{record_id}@{number}"
        seen_keys.add(key)
        documents.append(RawDocument(key, relpath, body, fields, Provenance.STRUCTURED, encoding))
    if not documents and not skipped:
        raise UnreadableFileError("no records")
    return documents, skipped


def _map_fields(record: dict[str, object]) -> dict[str, str]:
    lowered = {str(name).strip().lower(): value for name, value in record.items()}
    fields: dict[str, str] = {}
    for field, aliases in _FIELD_ALIASES.items():
        for alias in aliases:
            value = lowered.get(alias)
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            if value not in (None, ""):
                fields[field] = str(value).strip() if field != "body" else str(value)
                break
    return fields
