"""Read a file's bytes into RawDocuments (text, Markdown, HTML, JSON, JSON Lines, CSV), or say why not.

Nothing a file holds, nor anything found in the folder, raises: every file either yields documents
or a SkippedFile whose reason a person understands, in time and memory bounded by its size.
"""

from __future__ import annotations

import csv
import html
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import UnreadableFileError
from index.models import Provenance, RawDocument, SkippedFile
from index.reading.decoding import decode
from index.reading.files import HTML_SUFFIXES, MAX_FILE_BYTES, displayable

if TYPE_CHECKING:
    from _csv import Reader as CsvReader


# Record columns we understand, each mapped from the names it goes by.
_FIELD_ALIASES = {
    "id": ("id", "guid", "uid", "article_id"),
    "title": ("title", "headline"),
    "body": ("body", "text", "content", "article", "maintext"),
    "summary": ("description", "summary", "abstract"),
    "date": (
        "date",
        "published",
        "pubdate",
        "date_published",
        "published_at",
        "publishedat",
        "publication_date",
        "date_publish",
        "datetime",
    ),
    "source": ("source", "outlet", "publisher", "site", "sitename", "source-name", "source_name", "media"),
    "language": ("language", "lang"),
    "url": ("url", "link"),
    "author": ("author", "authors", "byline"),
}
_HEADER_KEYS = "date|title|source|outlet|url|language|lang|author|id"
# `date 2025-05-07 rest of the line...`: the seeds' header, which may carry the article's start.
_BARE_DATE_HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+(.*))?$", re.IGNORECASE)
# `# doc_id = news_001`: CoNLL-style comment headers, whatever their key (unknown ones are skipped).
_COMMENT_HEADER = re.compile(r"^[ \t]*+#[ \t]*+([A-Za-z][\w-]{0,40})[ \t]*+=[ \t]*+(.*\S)[ \t]*$")
# `key: value`, `key = value`, `# key = value`. Possessive blanks and a value that ends at its last
# non-blank keep matching linear: a line of 10,000 blanks took the plain pattern 13 seconds.
_KEY_VALUE_HEADER = re.compile(rf"^[ \t]*+(?:#[ \t]*+)?({_HEADER_KEYS})[ \t]*+[:=][ \t]*+(.*\S)[ \t]*$", re.IGNORECASE)
# HTML in a record's value: tags of the elements pages are made of (not "<AAPL.O>" or an address in
# angle brackets), each bounded in length so that no search backtracks far.
_TAG_NAMES = (
    "a|abbr|article|aside|b|big|blockquote|body|br|caption|center|cite|code|col|colgroup|dd|del|div|dl|dt|em|"
    "figcaption|figure|font|footer|h[1-6]|head|header|hr|html|i|iframe|img|ins|li|link|main|mark|meta|nav|"
    "noscript|ol|p|picture|pre|q|s|section|small|source|span|strike|strong|style|script|sub|sup|table|tbody|td|"
    "tfoot|th|thead|time|title|tr|u|ul|video|audio|wbr"
)
_MARKUP = re.compile(rf"</?(?:{_TAG_NAMES})\b[^<>]{{0,2000}}>", re.IGNORECASE)
_TAG = re.compile(rf"</?(?:{_TAG_NAMES})\b[^<>]{{0,2000}}>|<!--.{{0,2000}}?-->", re.IGNORECASE | re.DOTALL)
_BLOCK_END = re.compile(
    r"<(?:br\b[^<>]{0,2000}|/(?:p|div|li|tr|h[1-6]|blockquote|figure|figcaption|table|ul|ol)\s*)>", re.IGNORECASE
)
_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)  # cells of a row, apart
_CUT_TAG = re.compile(r"</?[A-Za-z][^<>]{0,2000}\Z")  # a tag the value's cut left open (NewsAPI's)
# An HTML entity: decoded in a record's value even with no tag around it ("AT&amp;T").
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
# NewsAPI's mark of a text cut short: "… [+4182 chars]".
_CUT_SHORT = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")
# `Newsgroups: sci.space`, `Category:`: a header line of a key we do not read (e-mail, Usenet, blog
# engines), skipped when the block of header lines it is in names a key we do read.
_ANY_KEY_HEADER = re.compile(r"^[ \t]*+(?:#[ \t]*+)?([A-Za-z][\w-]{0,40})[ \t]*+:(?:[ \t]++.*)?$")
# Another header's name for a key we read.
_KEY_ALIASES = {"lang": "language", "outlet": "source", "subject": "title", "from": "author"}
# A line that is only a date, or a time stamp ("2010-06-11T14:30:00+0900"), as exports of news
# sites write the article's date above or below its title (dates.py reads it there too).
STAMP_LINE = re.compile(
    r"^[ \t]*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?[ \t]*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?[ \t]*$"
)
# A line that is only the article's address, before its text (exports of news sites put it first).
_URL_LINE = re.compile(r"^[ \t]*(https?://\S+)[ \t]*$", re.IGNORECASE)
# Surrogates cannot be encoded: SQLite, hashing and the index fail on them. Decoded bytes never hold
# any; JSON escapes ("\ud800") and file names that are not valid UTF-8 (os.fsdecode) do.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Each record problem is listed up to this many times a file; then one line counts the rest, so
# a damaged file of a million rows does not become a million reports.
_MAX_LISTED_PROBLEMS = 100
# A CSV row broken by a stray quote swallows the lines after it; it is re-read from its second
# line at most this many times a file, since each retry may re-read up to the CSV field limit.
_MAX_CSV_RESYNCS = 100
# Markup larger than this (after removing scripts, styles and inline images) is extracted without
# trafilatura's fallback extractors and htmldate's search of the whole page for a date, which
# together take about a second per megabyte.
_FULL_HTML_ANALYSIS_CHARS = 1_000_000
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b([^>]{0,2000})>", re.IGNORECASE)
_CLOSING_TAG = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
# An inline image (or font...) as base64: megabytes that htmldate scans with regexes, for nothing.
_BASE64_DATA_URI = re.compile(r"data:[\w.+-]{1,100}/[\w.+-]{1,100}(?:;[\w.+-]{1,100}=[\w.+-]{1,100})*;base64,[\w+/=-]*")


def read_file(relpath: str, data: bytes) -> tuple[list[RawDocument], list[SkippedFile]]:
    """Parse one file's bytes into documents; never raises for anything the bytes hold.

    Args:
        relpath: the file's path inside the archive, with forward slashes.
        data: its bytes.

    Returns:
        The documents it holds, and the parts of it that were skipped with reasons.
        A malformed file as a whole yields no document and one skip.
    """
    relpath = displayable(relpath)
    try:
        return _read(relpath, data)
    except UnreadableFileError as error:
        return [], [SkippedFile(relpath, str(error))]
    except Exception as error:  # The last line of defence: a file we did not foresee is one skip.
        message = displayable(" ".join(str(error).split()))[:200]
        return [], [SkippedFile(relpath, f"could not be parsed: {type(error).__name__}: {message}")]


def _read(relpath: str, data: bytes) -> tuple[list[RawDocument], list[SkippedFile]]:
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFileError(f"larger than {MAX_FILE_BYTES // 2**20} MB")
    text, encoding = decode(data)
    suffix = Path(relpath).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return [_read_html(relpath, text, encoding)], []
    if suffix == ".json":
        return _read_json(relpath, text, encoding)
    if suffix == ".jsonl":
        return _read_records(relpath, "record", _jsonl_records(text), encoding)
    if suffix == ".csv":
        return _read_records(relpath, "line", _csv_records(text), encoding)
    # Reuters' .sgm files are often renamed .txt: their first tags say what they are.
    if suffix in (".sgm", ".sgml") or (_SGML_STREAM.match(text) and _SGML_CLOSING.search(text)):
        return _read_records(relpath, "document", _sgml_records(text), encoding)
    # A few NULs (damage, a converter's stray byte) are no text; more, and decode() refused the file.
    return [_read_text(relpath, text.replace("\0", ""), encoding)], []


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
    in_block = False  # whether the line above was a header line: a blank line ends a block
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            if metadata:
                index += 1
                in_block = False
                continue
            break
        starts_block, in_block = not in_block, True
        bare = _BARE_DATE_HEADER.match(line)
        if bare:
            metadata.setdefault("date", bare.group(1))
            remainder = (bare.group(2) or "").strip()
            if remainder:
                lines[index] = remainder
                break
            index += 1
            continue
        keyed = _KEY_VALUE_HEADER.match(line) or _COMMENT_HEADER.match(line)
        if keyed and not (metadata and starts_block and _reads_as_text(keyed.group(2))):
            key = _header_key(keyed.group(1))
            if key in _READ_KEYS:
                metadata.setdefault(key, keyed.group(2))
            index += 1
            continue
        # Past a blank line, only lines of keys we read (a block of others is an interview's
        # "Mayor: ..." lines); within a block, the keys of other programs after ours too.
        block = _header_block(lines, index, continuing=not starts_block) if not (metadata and starts_block) else []
        if block:
            for keyed in filter(None, block):
                key = _header_key(keyed.group(1))
                value = keyed.group(2) if keyed.re is not _ANY_KEY_HEADER else keyed.group(0).split(":", 1)[1].strip()
                if key in _READ_KEYS and value:
                    metadata.setdefault(key, value)
            index += len(block)
            continue
        address = _URL_LINE.match(line)
        stamp = None if address else STAMP_LINE.match(line)
        if address:
            metadata.setdefault("url", address.group(1))
        elif stamp:
            metadata.setdefault("date", stamp.group(1))
        else:
            break
        index += 1
    return metadata, "\n".join(lines[index:]).strip("\n")


_READ_KEYS = frozenset(_HEADER_KEYS.split("|")) - {"lang"}


def _reads_as_text(value: str) -> bool:
    """Whether a header's value after a blank line is rather a sentence ("Source: the ministry
    said on Monday that ...") than metadata."""
    return len(value) > _HEADER_VALUE_MAX_CHARS or len(value.split()) > _HEADER_VALUE_MAX_WORDS


_SPOKEN = re.compile(r"[.?!…][\"'”»)]?[ \t]*$")  # a line ending as a sentence does: no header of another program
_HEADER_VALUE_MAX_CHARS = 120
_HEADER_VALUE_MAX_WORDS = 12


def _header_block(lines: list[str], index: int, continuing: bool) -> list[re.Match[str] | None]:
    """The header lines from ``index`` to the next blank line (None for an e-mail header's folded
    continuation), when all of them are header lines and one at least names a key we read, or
    they continue a block of headers (``continuing``)."""
    block: list[re.Match[str] | None] = []
    for line in lines[index:]:
        if not line.strip():
            break
        if block and line[0] in " \t" and not _KEY_VALUE_HEADER.match(line):
            block.append(None)
            continue
        keyed = _KEY_VALUE_HEADER.match(line) or _COMMENT_HEADER.match(line) or _ANY_KEY_HEADER.match(line)
        if keyed is None:
            return []  # text, and the lines before it were text too ("Note: ...")
        block.append(keyed)
    matches = [keyed for keyed in block if keyed is not None]
    named = any(_header_key(keyed.group(1)) in _READ_KEYS for keyed in matches)
    if continuing:  # after our keys: other keys, but not lines of talk ("Mayor: Yes.")
        talk = any(_header_key(m.group(1)) not in _READ_KEYS and _SPOKEN.search(m.group(0)) for m in matches)
        return [] if talk else block
    return block if named else []


def _header_key(key: str) -> str:
    key = key.lower()
    return _KEY_ALIASES.get(key, key)


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
    try:
        import trafilatura  # Imported here: it is slow to import and only HTML needs it.
    except Exception as error:  # A broken install (a missing lxml_html_clean...) must not stop a run.
        raise UnreadableFileError(f"HTML support unavailable: {error or type(error).__name__}") from error
    html = _without_embedded_data(html)
    # Extraction works on the page as given and fetches nothing: no image, frame, style sheet or
    # script is loaded or run, and lxml's parser does not touch the network.
    full = len(html) <= _FULL_HTML_ANALYSIS_CHARS
    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,
        fast=not full,
        date_extraction_params={"extensive_search": full, "original_date": True},
    )
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


def _without_embedded_data(html: str) -> str:
    """``html`` without the bodies of scripts and styles and without base64 inline data.

    Neither is article text, and on pages that carry megabytes of them they dominate extraction
    time. JSON-LD scripts are kept: they hold the article's date and author. Linear time: each
    search starts where the previous one ended.
    """
    parts: list[str] = []
    position = 0
    while (opening := _SCRIPT_OR_STYLE.search(html, position)) is not None:
        closing = _CLOSING_TAG[opening.group(1).lower()].search(html, opening.end())
        end = closing.start() if closing is not None else len(html)
        parts.append(html[position : opening.end()])
        if "ld+json" in opening.group(2).lower():
            parts.append(html[opening.end() : end])
        position = end  # The closing tag is kept.
    parts.append(html[position:])
    return _BASE64_DATA_URI.sub("data:,", "".join(parts))


def _read_json(relpath: str, text: str, encoding: str) -> tuple[list[RawDocument], list[SkippedFile]]:
    try:
        value = _parse_json(text)
    except json.JSONDecodeError as error:
        raise UnreadableFileError(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error
    except RecursionError as error:
        raise UnreadableFileError("JSON nested too deeply to be read") from error
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise UnreadableFileError(f"JSON file holds {_describe(value)}, not articles")
    return _read_records(relpath, "record", ((n, r, None) for n, r in enumerate(value, 1)), encoding)


def _parse_json(text: str) -> object:
    # Not strict: exporters write raw tabs, newlines and other control characters inside strings.
    return json.loads(text, parse_int=_json_int, strict=False)


def _json_int(digits: str) -> int | float:
    # Python refuses to convert an integer of more than 4,300 digits (a guard against quadratic
    # time) and would fail the whole file; no field can use such a number, so it becomes one that
    # every field ignores.
    try:
        return int(digits)
    except ValueError:
        return math.inf


def _json_problem(error: json.JSONDecodeError) -> str:
    """Where and what: "Unterminated string starting at line 1, column 22" (json's own message
    drops the place, and several of its messages end in "at")."""
    place = f"line {error.lineno}, column {error.colno}"
    return f"{error.msg} {place}" if error.msg.endswith(" at") else f"{error.msg} at {place}"


# News collections shipped as SGML streams of documents: Reuters-21578 (<REUTERS NEWID=...> holding
# <DATE>, <TITLE>, <DATELINE>, <BODY>) and the TREC collections (<DOC> holding <DOCNO>, <HEADLINE> or
# <HL>, <DATE>, <TEXT>). Read with patterns, not an SGML parser: their elements are few and flat,
# and a damaged document must cost only itself.
_SGML_STREAM = re.compile(r"\A\ufeff?\s*(?:<!DOCTYPE\s+lewis|<REUTERS\b|<DOC>)", re.IGNORECASE)
_SGML_OPENING = re.compile(r"<(?:REUTERS|DOC)\b([^>]*)>", re.IGNORECASE)
_SGML_CLOSING = re.compile(r"</(?:REUTERS|DOC)\s*>", re.IGNORECASE)
_SGML_ATTRIBUTE_ID = re.compile(r"\bNEWID\s*=\s*\"?(\d+)", re.IGNORECASE)
_SGML_FIELDS = {
    "id": ("docno", "docid"),
    "title": ("title", "headline", "hl", "head"),
    "date": ("date", "date_time"),
    "body": ("body", "text"),
    "source": ("source", "so"),
    "author": ("byline", "author"),
}
_SGML_TAG = re.compile(r"<[^<>]{0,200}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FRACTION_OF_SECOND = re.compile(r"(\d:\d\d)\.\d+\b")


def _sgml_records(text: str) -> Iterator[tuple[int, object, str | None]]:
    """The documents of an SGML stream as records, each numbered by its line in the file. Each
    closing tag ends the document its nearest opening tag began (in one pass: an opening tag never
    closed costs only the text up to the next closing one)."""
    line, counted, previous = 1, 0, 0
    for closing in _SGML_CLOSING.finditer(text):
        segment = text[previous : closing.start()]
        previous = closing.end()
        opening = max(_SGML_OPENING.finditer(segment), key=lambda found: found.start(), default=None)
        if opening is None:
            continue
        start = closing.start() - len(segment) + opening.start()
        line += text.count("\n", counted, start)
        counted = start
        inside = segment[opening.end() :]
        record: dict[str, str] = {}
        found_id = _SGML_ATTRIBUTE_ID.search(opening.group(1))
        if found_id:
            record["id"] = found_id.group(1)
        for field, names in _SGML_FIELDS.items():
            for name in names:
                if field in record:  # from the opening tag, or an element named before this one
                    break
                element = re.search(rf"<{name}\b[^>]*>(.*?)</{name}\s*>", inside, re.IGNORECASE | re.DOTALL)
                value = _sgml_text(element.group(1)) if element else ""
                if value:
                    record[field] = value
        if "date" in record:
            record["date"] = _FRACTION_OF_SECOND.sub(r"\1", record["date"])
        yield line, record, None


def _sgml_text(value: str) -> str:
    """An element's text: inner tags dropped, entities decoded, control characters (Reuters ends
    each body with &#3;) removed, lines trimmed."""
    value = _CONTROL.sub("", html.unescape(_SGML_TAG.sub(" ", value)))
    return "\n".join(line.strip() for line in value.strip().split("\n"))


def _jsonl_records(text: str) -> Iterator[tuple[int, object, str | None]]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield number, _parse_json(line), None
        except json.JSONDecodeError as error:
            yield number, None, f"malformed JSON: {_json_problem(error)}"
        except RecursionError:
            yield number, None, "JSON nested too deeply to be read"


def _csv_records(text: str) -> Iterator[tuple[int, object, str | None]]:
    """The rows of a CSV file with a header row, each with its line number or why it is skipped.

    A good row is numbered by its last line (as record ids without an id column have always
    been), a bad one by its first. Rows are read strictly: a quote left open no longer makes the
    rest of the file one field; the row is skipped and reading resumes on the line after its
    start. One bad row never costs the rows after it.
    """
    lines = text.split("\n")
    reader, base = _csv_reader(lines, 0), 0
    header: list[str] = []
    while not any(header):
        try:
            header = [name.strip().lower() for name in next(reader)]
        except StopIteration:
            raise UnreadableFileError("CSV file has no header row") from None
        except csv.Error as error:
            raise UnreadableFileError(f"CSV header row cannot be read: {_csv_problem(error)}") from error
    if not any(name in header for field in ("body", "summary", "title") for name in _FIELD_ALIASES[field]):
        raise UnreadableFileError("CSV file has no header row naming a title, body, text or content column")
    resyncs = 0
    while True:
        start = base + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, None, f"malformed CSV row: {_csv_problem(error)}"
            if base + reader.line_num > start and resyncs < _MAX_CSV_RESYNCS:
                resyncs += 1
                reader, base = _csv_reader(lines, start), start
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield start, None, f"CSV row has {len(row)} fields, the header has {len(header)}"
        elif any("\0" in cell for cell in row):
            yield start, None, "CSV row holds NUL characters (damaged data)"
        else:
            yield base + reader.line_num, dict(zip(header, row, strict=True)), None


def _csv_reader(lines: list[str], start: int) -> CsvReader:
    """A strict CSV reader over ``lines`` from index ``start`` on."""
    return csv.reader((line + "\n" for line in itertools.islice(lines, start, None)), strict=True)


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if message == "unexpected end of data":
        return "a quoted field is never closed"
    if message.endswith("expected after '\"'"):
        return "a quote inside a quoted field is not doubled"
    return message


def _read_records(
    relpath: str, unit: str, records: Iterable[tuple[int, object, str | None]], encoding: str
) -> tuple[list[RawDocument], list[SkippedFile]]:
    documents: list[RawDocument] = []
    skipped: list[SkippedFile] = []
    unlisted = 0
    seen_keys: set[str] = set()
    for number, record, problem in records:
        fields: dict[str, str] = {}
        if problem is None and not isinstance(record, dict):
            problem = f"record is {_describe(record)}, not an object with named fields"
        if problem is None:
            fields, problem = _record_fields(record)  # type: ignore[arg-type]
        if problem is not None:
            if len(skipped) < _MAX_LISTED_PROBLEMS:
                skipped.append(SkippedFile(f"{relpath} ({unit} {number})", problem))
            else:
                unlisted += 1
            continue
        body = fields.pop("body")
        record_id = fields.get("id") or _record_identity(fields) or str(number)
        key, repeat = f"{relpath}#{record_id}", 0
        while key in seen_keys:  # Ids repeat in real exports; a crafted one may even spell "x@3".
            repeat += 1
            key = f"{relpath}#{record_id}@{number}" + (f".{repeat}" if repeat > 1 else "")
        seen_keys.add(key)
        former = f"{relpath}#{number}" if "id" not in fields and record_id != str(number) else None
        documents.append(RawDocument(key, relpath, body, fields, Provenance.STRUCTURED, encoding, former))
    if unlisted:
        skipped.append(SkippedFile(relpath, f"{unlisted} more {unit}s skipped (only the first are listed)"))
    if not documents and not skipped:
        raise UnreadableFileError("no records in the file")
    return documents, skipped


def _record_identity(fields: dict[str, str]) -> str | None:
    """What tells a record without an id from the others wherever it stands in its file: its
    address, else its title and date; None when it has neither."""
    if fields.get("url"):
        return fields["url"]
    if fields.get("title"):
        return f"{fields['title']}|{fields.get('date', '')}"
    return None


def _record_fields(record: dict[str, object]) -> tuple[dict[str, str], str | None]:
    """The fields we understand of a record, and why it is skipped when it has no article text.

    Values of the wrong type (an object as a date, ``true`` as a title) are left out as if
    absent: the rest of the record is still worth reading.
    """
    lowered = {name.strip().lower(): value for name, value in record.items()}
    source = lowered.get("source")
    if isinstance(source, dict):  # NewsAPI: "source": {"id": ..., "name": "Reuters"}
        lowered["source"] = source.get("name")
    fields: dict[str, str] = {}
    for field, aliases in _FIELD_ALIASES.items():
        for alias in aliases:
            text = _field_text(lowered.get(alias), body=field == "body")
            if text is not None:
                text = _without_markup(text)
                fields[field] = text if field == "body" else text.strip()
                break
    body = _record_body(fields.pop("body", None), fields.pop("summary", None))
    if body is None:
        texts = (*_FIELD_ALIASES["body"], *_FIELD_ALIASES["summary"])
        wrong = next((alias for alias in texts if lowered.get(alias) not in (None, "")), None)
        if wrong is not None and not isinstance(lowered[wrong], str):
            return fields, f'record\'s "{wrong}" is {_describe(lowered[wrong])}, not text'
        body = fields.get("title")  # a headline alone (a feed of headlines) is still worth finding
    if body is None:
        return fields, "record has no article text"
    fields["body"] = body
    return fields, None


def _without_markup(text: str) -> str:
    """A record value's text, when it holds HTML (content management systems export it so; NewsAPI
    passes it on): paragraphs and line breaks kept as lines, table cells apart, tags dropped, entities
    decoded (also when no tag is there)."""
    if "<" not in text or _MARKUP.search(text) is None:
        return html.unescape(text) if "&" in text and _ENTITY.search(text) else text
    text = _CELL_END.sub(" ", _BLOCK_END.sub("\n", _without_embedded_data(text)))
    text = _TAG.sub("", _CUT_TAG.sub("", text))
    return _BLANK_LINES.sub("\n\n", html.unescape(text))


def _record_body(text: str | None, summary: str | None) -> str | None:
    """A record's article text: its text and its summary, the summary first unless one holds the other.

    NewsAPI's ``content`` is the article's first 200 characters, cut with ``… [+1234 chars]``, and
    its ``description`` often says more: each may be all there is to find of the article.
    """
    if text is not None:
        text = _CUT_SHORT.sub("", text) or None
    if text is None or summary is None:
        return text or summary
    plain_text, plain_summary = (" ".join(value.split()).rstrip("….") for value in (text, summary))
    if plain_text in plain_summary:
        return summary
    if plain_summary in plain_text:
        return text
    return f"{summary.strip()}\n\n{text}"


def _field_text(value: object, body: bool) -> str | None:
    """A record value as text, or None when it is absent or of no use.

    The body must be text, or a list of paragraphs; other fields may also be numbers, and
    lists (of authors, say) are joined. Lone surrogates, which JSON escapes can make
    (``"\\ud800"``) but no encoding can store, become U+FFFD REPLACEMENT CHARACTER; NULs go.
    """
    if isinstance(value, list):
        items = [_field_text(item, body) for item in value if not isinstance(item, list | dict)]
        text = ("\n\n" if body else ", ").join(item for item in items if item is not None)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and not body:
        text = str(value)
    else:
        return None
    text = _SURROGATE.sub("\ufffd", text).replace("\0", "")
    return text if text.strip() else None


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
