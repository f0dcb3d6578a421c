"""Citations and exports of excerpts: Markdown, plain text, CSV, JSON, CSL-JSON, RIS, BibTeX and DOCX.

Formats with a well-kept library are written by it: RIS by rispy, BibTeX by bibtexparser, DOCX by
python-docx, CSV by the standard csv module. The reference formats (CSL-JSON, RIS, BibTeX) describe
articles, as Zotero expects them (newspaper articles, the outlet as the container): one record
per article, its excerpts' quotes in the abstract or notes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.atomic import write_atomically
from index.errors import ArchivistError
from index.userdata.excerpts import CheckedExcerpt, Excerpt, ExcerptError
from index.userdata.files import describe_os_error

EXPORT_FORMAT = "archivist-excerpts"
EXPORT_VERSION = 1
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# What a spreadsheet takes for the start of a formula (OWASP's list); such a cell is written with a
# leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (DOCX is XML): C0 controls but tab and newlines, lone surrogates, U+FFFE/F.
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Markdown: characters escaped anywhere, and line openings that would start a heading, list, quote,
# rule or setext underline.
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]<>|~&!#])")
_MARKDOWN_NUMBERED = re.compile(r"\d+(?=[.)])")
_LATEX_LIGATURE = re.compile(r"([-`'?!<>,])(?=\1|`)")  # -- --- `` '' ?` !` << >> ,,: LaTeX would join them
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


class ExportError(ArchivistError):
    """An export could not be written; the message says why, and no file was left half-written."""


def date_words(excerpt: Excerpt) -> str:
    """The article's date for a citation: "7 May 2025", marked when it was inferred from the text."""
    if not excerpt.date:
        return "no date"
    day = dt.date.fromisoformat(excerpt.date)
    words = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{words} (date inferred from the text)" if excerpt.date_provenance == "text" else words


def citation(excerpt: Excerpt) -> str:
    """One line that cites the excerpt's article: outlet, date, title, author, relay, where to find it."""
    title = excerpt.title or "untitled"
    quoted = title if title[:1] in '“"«„' and title[-1:] in '”"»“' else f"“{title}”"
    line = f"{excerpt.source or 'Unknown outlet'}, {date_words(excerpt)}, {quoted}"
    if excerpt.author:
        line += f", by {excerpt.author}"
    if excerpt.relayed_source:
        line += f", relayed from {excerpt.relayed_source}"
    return f"{line}. {excerpt.url or Path(excerpt.archive, excerpt.path)}"


def _one_line(text: str) -> str:
    """Text for a line-based format (RIS): every run of white space, newlines included, as one space."""
    return " ".join(text.split())


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _by_article(checked: Sequence[CheckedExcerpt]) -> list[list[CheckedExcerpt]]:
    """Excerpts grouped by article, articles in the order of their first excerpt."""
    groups: dict[tuple[str, str], list[CheckedExcerpt]] = {}
    for item in checked:
        groups.setdefault((item.excerpt.archive, item.excerpt.article_id), []).append(item)
    return list(groups.values())


def _shared_ids(groups: list[list[CheckedExcerpt]]) -> set[str]:
    """Article ids held by articles of two archives or more (ids come from paths inside an archive,
    so two archives of the same layout share them)."""
    first_archive: dict[str, str] = {}
    shared = set()
    for group in groups:
        excerpt = group[0].excerpt
        if first_archive.setdefault(excerpt.article_id, excerpt.archive) != excerpt.archive:
            shared.add(excerpt.article_id)
    return shared


def _record_id(excerpt: Excerpt, shared: set[str]) -> str:
    """An article's id in a reference file: its id, made unique by its archive when ``shared``."""
    if excerpt.article_id not in shared:
        return excerpt.article_id
    return f"{excerpt.article_id}-{hashlib.sha1(excerpt.archive.encode('utf-8', 'surrogatepass')).hexdigest()[:6]}"


def _flag_line(item: CheckedExcerpt) -> str:
    return f"Flagged: {item.flag}." if item.flag else ""


# Markdown and plain text ------------------------------------------------------------------------------


def markdown_escape(text: str) -> str:
    """``text`` as Markdown that renders as the text itself (one line; white space runs as one space)."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", _one_line(text))
    if escaped[:1] in ("-", "+", "="):
        return "\\" + escaped
    numbered = _MARKDOWN_NUMBERED.match(escaped)  # "1." or "1)" would start a numbered list
    return escaped[: numbered.end()] + "\\" + escaped[numbered.end() :] if numbered else escaped


def _markdown_quote(text: str) -> str:
    paragraphs = [markdown_escape(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    # Each line of the quote ends with a hard break ("\" at the end), blank lines stay paragraph breaks.
    quoted = []
    for index, line in enumerate(paragraphs):
        last = index == len(paragraphs) - 1 or not paragraphs[index + 1]
        quoted.append("> " + line + ("" if last or not line else "\\"))
    return "\n".join(quoted) if any(paragraphs) else "> "


def _markdown_details(item: CheckedExcerpt) -> list[str]:
    lines = []
    if item.excerpt.note:
        lines.append(f"Note: {markdown_escape(item.excerpt.note)}")
    if item.excerpt.tags:
        lines.append("Tags: " + ", ".join(markdown_escape(tag) for tag in item.excerpt.tags))
    if item.flag:
        lines.append(markdown_escape(_flag_line(item)))
    return ["  \n".join(lines)] if lines else []


def to_markdown(checked: Sequence[CheckedExcerpt], title: str | None = None, by_article: bool = False) -> str:
    """Block quotes, each with its citation line (or one citation per article when grouped)."""
    blocks = [f"# {markdown_escape(title)}"] if title else []
    if by_article:
        for group in _by_article(checked):
            blocks.append(f"## {markdown_escape(citation(group[0].excerpt))}")
            for item in group:
                blocks += [_markdown_quote(item.excerpt.text), *_markdown_details(item)]
    else:
        for item in checked:
            blocks += [
                _markdown_quote(item.excerpt.text),
                f"— {markdown_escape(citation(item.excerpt))}",
                *_markdown_details(item),
            ]
    return "\n\n".join(blocks) + "\n"


def _text_details(item: CheckedExcerpt) -> list[str]:
    excerpt = item.excerpt
    return (
        ([f"Note: {excerpt.note}"] if excerpt.note else [])
        + ([f"Tags: {', '.join(excerpt.tags)}"] if excerpt.tags else [])
        + ([_flag_line(item)] if item.flag else [])
    )


def to_text(checked: Sequence[CheckedExcerpt], title: str | None = None, by_article: bool = False) -> str:
    """Plain text: each quote in quotation marks, then its citation after a dash."""
    blocks = [title] if title else []
    if by_article:
        for group in _by_article(checked):
            blocks.append(citation(group[0].excerpt))
            blocks += ["\n".join([f"“{item.excerpt.text}”", *_text_details(item)]) for item in group]
    else:
        blocks += [
            "\n".join([f"“{item.excerpt.text}”", f"— {citation(item.excerpt)}", *_text_details(item)])
            for item in checked
        ]
    return "\n\n".join(blocks) + "\n"


# Tables and JSON --------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "text",
    "note",
    "tags",
    "citation",
    "title",
    "source",
    "relayed_source",
    "date",
    "date_provenance",
    "language",
    "url",
    "author",
    "path",
    "archive",
    "article_id",
    "start",
    "end",
    "query",
    "taken",
    "flag",
)


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def to_csv(checked: Sequence[CheckedExcerpt]) -> bytes:
    """One row per excerpt, every field; UTF-8 with a byte-order mark, so Excel reads accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in checked:
        record = item.excerpt.to_dict()
        record.update(tags="; ".join(item.excerpt.tags), citation=citation(item.excerpt), flag=item.flag or "")
        writer.writerow(
            [
                spreadsheet_safe(value) if isinstance(value, str) else ("" if value is None else value)
                for value in (record[column] for column in CSV_COLUMNS)
            ]
        )
    return _SURROGATE.sub("\ufffd", buffer.getvalue()).encode("utf-8-sig")


def to_json(checked: Sequence[CheckedExcerpt], basket: str) -> bytes:
    """Every field of every excerpt (plus its flag and citation), readable back by ``read_json_export``."""
    records = []
    for item in checked:
        record = item.excerpt.to_dict()
        record.update(flag=item.flag, citation=citation(item.excerpt))
        records.append(record)
    exported = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "basket": basket,
        "exported": exported,
        "excerpts": records,
    }
    try:
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, so the export stays lossless and valid UTF-8
        return json.dumps(document, ensure_ascii=True, indent=1).encode("ascii")


def exported_basket(path: Path) -> str | None:
    """The name of the basket a JSON export was made from, if it says (``read_json_export`` reads its excerpts)."""
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return None
    name = document.get("basket") if isinstance(document, dict) else None
    return name if isinstance(name, str) else None


def read_json_export(path: Path) -> list[Excerpt]:
    """The excerpts of a JSON export (or of ``archivist excerpts list --json``), all or none.

    Raises:
        ExcerptError: the file cannot be read, is not such an export, or one of its excerpts is
            malformed (the message says which).
    """
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise ExcerptError(f"cannot read {path}: {describe_os_error(error)}") from error
    except (ValueError, RecursionError) as error:
        raise ExcerptError(f"{path} is not a JSON file ({error})") from error
    if isinstance(document, dict) and document.get("format") == EXPORT_FORMAT:
        records = document.get("excerpts")
    else:
        records = document  # the output of `archivist excerpts list --json`
    if not isinstance(records, list) or any(not isinstance(r, dict) or "article_id" not in r for r in records):
        raise ExcerptError(
            f"{path} is not a JSON export of Archivist excerpts (`archivist excerpts export --format json`)"
        )
    excerpts = []
    for number, record in enumerate(records, 1):
        try:
            excerpts.append(Excerpt.from_dict(record))
        except ExcerptError as error:
            raise ExcerptError(f"{path}: excerpt {number}: {error}") from error
    return excerpts


# Reference formats ------------------------------------------------------------------------------------


def _quotes(group: Sequence[CheckedExcerpt]) -> str:
    return "\n\n".join(f"“{item.excerpt.text}”" for item in group)


def _notes(group: Sequence[CheckedExcerpt]) -> list[str]:
    notes = []
    for item in group:
        parts = [f"“{item.excerpt.text}”"]
        parts += [part for part in (item.excerpt.note, ", ".join(item.excerpt.tags), item.flag) if part]
        notes.append(" — ".join(parts))
    return notes


def _tags(group: Sequence[CheckedExcerpt]) -> list[str]:
    return list(dict.fromkeys(tag for item in group for tag in item.excerpt.tags))


def _keyword_list(group: Sequence[CheckedExcerpt]) -> str:
    """Tags as one comma-separated keyword field (CSL-JSON, BibTeX): a comma inside a tag would split
    it in two, so it becomes a space."""
    return ", ".join(" ".join(tag.replace(",", " ").split()) for tag in _tags(group))


def to_csl_json(checked: Sequence[CheckedExcerpt]) -> str:
    """CSL-JSON items of type ``article-newspaper``, as citation processors and Zotero read them."""
    items = []
    groups = _by_article(checked)
    shared = _shared_ids(groups)
    for group in groups:
        excerpt = group[0].excerpt
        item: dict[str, object] = {
            "id": _record_id(excerpt, shared),
            "type": "article-newspaper",
            "title": excerpt.title,
            "language": excerpt.language,
            "abstract": _quotes(group),
            "note": "\n".join(_notes(group)),
            "accessed": _date_parts(excerpt.taken[:10]),
            "archive": "Archivist",
            "archive_location": excerpt.path,
        }
        if excerpt.source:
            item["container-title"] = excerpt.source
        if excerpt.date:
            item["issued"] = _date_parts(excerpt.date)
        if excerpt.url:
            item["URL"] = excerpt.url
        if excerpt.author:
            item["author"] = [{"literal": excerpt.author}]
        if keywords := _keyword_list(group):
            item["keyword"] = keywords
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1)


def _date_parts(iso: str) -> dict[str, list[list[int]]]:
    day = dt.date.fromisoformat(iso)
    return {"date-parts": [[day.year, day.month, day.day]]}


def to_ris(checked: Sequence[CheckedExcerpt]) -> str:
    """RIS records of type NEWS (one per article), each excerpt a note, as Zotero imports child notes."""
    import rispy  # A reference-format library, loaded only when a user exports to it.

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records ("1."), which other readers take for junk

    records = []
    groups = _by_article(checked)
    shared = _shared_ids(groups)
    for group in groups:
        excerpt = group[0].excerpt
        record: dict[str, object] = {
            "type_of_reference": "NEWS",
            "id": _record_id(excerpt, shared),
            "title": _one_line(excerpt.title),
            "language": excerpt.language,
            "abstract": _one_line(_quotes(group)),
            "notes": [_one_line(note) for note in _notes(group)],
            "access_date": excerpt.taken[:10].replace("-", "/"),
            "name_of_database": "Archivist",
            "call_number": _one_line(excerpt.path),
        }
        if excerpt.source:
            record["secondary_title"] = _one_line(excerpt.source)
        if excerpt.date:
            record["date"] = excerpt.date.replace("-", "/")
            record["year"] = excerpt.date[:4]
        if excerpt.url:
            record["urls"] = [_one_line(excerpt.url)]
        if excerpt.author:
            record["authors"] = [_one_line(excerpt.author)]
        if tags := _tags(group):
            record["keywords"] = [_one_line(tag) for tag in tags]
        records.append(record)
    return str(rispy.dumps(records, implementation=Writer))


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped and its ligatures broken (``--`` stays two
    hyphens, not a dash; ``` `` ``` and ``''`` stay as typed); other characters stay UTF-8 (biber,
    Zotero, JabRef read it)."""
    escaped = "".join(_LATEX_SPECIALS.get(character, character) for character in " ".join(text.split()))
    return _LATEX_LIGATURE.sub(r"\1{}", escaped)


def _bibtex_value(field: str, value: str) -> str:
    """A field's value for BibTeX: text with LaTeX's specials escaped; a URL as it is (BibTeX and
    Zotero read ``url`` literally), only braces, which would unbalance the entry, and backslashes,
    which escape the brace closing it, percent-encoded (no valid URL holds either)."""
    if field == "url":
        return " ".join(value.split()).replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return latex_escape(value)


def _citation_key(excerpt: Excerpt, taken: set[str]) -> str:
    def ascii_word(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        words = re.findall(r"[a-z0-9]+", plain)
        return words[0] if words else ""

    base = (ascii_word(excerpt.source or "") or "article") + (excerpt.date or "")[:4] + ascii_word(excerpt.title)
    key, suffix = base, 0
    while key in taken:
        suffix += 1
        key = f"{base}{chr(ord('a') + suffix - 1)}" if suffix <= 26 else f"{base}-{suffix}"
    taken.add(key)
    return key


def to_bibtex(checked: Sequence[CheckedExcerpt]) -> str:
    """``@article`` entries (one per article: Zotero's BibTeX for newspaper articles), quotes in ``annote``."""
    import bibtexparser  # A reference-format library, loaded only when a user exports to it.
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    keys: set[str] = set()
    for group in _by_article(checked):
        excerpt = group[0].excerpt
        fields = {
            "title": excerpt.title,
            "journal": excerpt.source,
            "author": excerpt.author,
            "url": excerpt.url,
            "language": excerpt.language,
            "urldate": excerpt.taken[:10],
            "annote": "\n".join(_notes(group)),
            "keywords": _keyword_list(group),
        }
        if excerpt.date:
            fields.update(year=excerpt.date[:4], date=excerpt.date)
        values = [Field(name, _bibtex_value(name, value)) for name, value in fields.items() if value]
        if excerpt.author:  # Braced whole, so BibTeX does not split or reverse an outlet's or a byline's words.
            values = [
                Field("author", "{" + latex_escape(excerpt.author) + "}") if f.key == "author" else f for f in values
            ]
        library.add(Entry("article", _citation_key(excerpt, keys), values))
    return str(bibtexparser.write_string(library))


# DOCX -------------------------------------------------------------------------------------------------


def to_docx(checked: Sequence[CheckedExcerpt], title: str, by_article: bool = False) -> bytes:
    """A Word document: the basket's name, then each quote (Word's Quote style) with its citation."""
    import docx  # python-docx, loaded only when a user exports to it.
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = _xml_safe(title)
    document.add_heading(_xml_safe(title), level=1)

    def add_details(item: CheckedExcerpt) -> None:
        for line in _text_details(item):
            paragraph = document.add_paragraph()
            paragraph.add_run(_xml_safe(line)).italic = True

    def add_citation(excerpt: Excerpt, level: int | None = None) -> None:
        if level is not None:
            document.add_heading(_xml_safe(citation(excerpt)), level=level)
            return
        run = document.add_paragraph().add_run(_xml_safe("— " + citation(excerpt)))
        run.font.size = Pt(9)

    if by_article:
        for group in _by_article(checked):
            add_citation(group[0].excerpt, level=2)
            for item in group:
                document.add_paragraph(_xml_safe(item.excerpt.text), style="Quote")
                add_details(item)
    else:
        for item in checked:
            document.add_paragraph(_xml_safe(item.excerpt.text), style="Quote")
            add_citation(item.excerpt)
            add_details(item)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Choosing and writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    """One way to export: its name on the command line, a file extension, words for a menu."""

    name: str
    extension: str
    label: str
    render: Callable[[Sequence[CheckedExcerpt], str, bool], bytes]
    binary: bool = False


def _utf8(text: str) -> bytes:
    """UTF-8 for a file other programs read: a lone surrogate (quoted from a broken file) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text).encode("utf-8")


FORMATS: dict[str, ExportFormat] = {
    item.name: item
    for item in (
        ExportFormat("md", ".md", "Markdown", lambda c, t, g: _utf8(to_markdown(c, t, g))),
        ExportFormat("txt", ".txt", "Plain text", lambda c, t, g: _utf8(to_text(c, t, g))),
        ExportFormat("csv", ".csv", "CSV (Excel, LibreOffice)", lambda c, t, g: to_csv(c)),
        ExportFormat("json", ".json", "JSON (Archivist, lossless)", lambda c, t, g: to_json(c, t)),
        ExportFormat(
            "csl-json", ".json", "CSL-JSON (Zotero, citation processors)", lambda c, t, g: _utf8(to_csl_json(c))
        ),
        ExportFormat("ris", ".ris", "RIS (Zotero, EndNote, Mendeley)", lambda c, t, g: _utf8(to_ris(c))),
        ExportFormat("bibtex", ".bib", "BibTeX (LaTeX, JabRef)", lambda c, t, g: _utf8(to_bibtex(c))),
        ExportFormat("docx", ".docx", "Word document (DOCX)", lambda c, t, g: to_docx(c, t, g), binary=True),
    )
}


def render(checked: Sequence[CheckedExcerpt], format_name: str, title: str, by_article: bool = False) -> bytes:
    """The excerpts in ``format_name`` (a key of FORMATS).

    Raises:
        ExportError: the format is unknown.
    """
    try:
        export_format = FORMATS[format_name]
    except KeyError:
        raise ExportError(f"unknown format {format_name!r}; formats: {', '.join(FORMATS)}") from None
    return export_format.render(checked, title, by_article)


def write_export(path: Path, data: bytes) -> None:
    """Write an export whole or not at all: a failure leaves no file, or the earlier file as it was.

    Raises:
        ExportError: the file could not be written (the message says why).
    """
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():  # A mistyped folder is an error, not a new folder.
        raise ExportError(f"cannot write {path}: the folder {path.parent} does not exist")
    try:
        write_atomically(path, data)
    except OSError as error:
        raise ExportError(f"could not write {path}: {describe_os_error(error)}") from error
