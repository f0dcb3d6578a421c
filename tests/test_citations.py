"""Exports of excerpts, each read back by a real parser of its format, on chosen and on arbitrary text."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import bibtexparser
import docx
import pytest
import rispy
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from index import FORMATS, CheckedExcerpt, ExportError, read_json_export, render, write_export
from index.userdata.citations import citation, latex_escape, spreadsheet_safe

from .test_excerpts import sample

VIETNAMESE = "Tổng Bí thư Tô Lâm thăm chính thức Cộng hòa Azerbaijan từ ngày 7 đến 8/5/2025."
FRENCH = "« L'Azerbaïdjan et le Vietnam renforcent leur coopération », a déclaré le ministre."
ARABIC = "قال الرئيس إلهام علييف إن العلاقات مع فيتنام ممتازة."
HEBREW = "הנשיא אליייב נפגש עם טו לאם בבאקו."


def basket_of_three() -> list[CheckedExcerpt]:
    return [
        CheckedExcerpt(
            sample(
                1,
                text=VIETNAMESE,
                language="vi",
                source="VnExpress",
                title="Tô Lâm thăm Azerbaijan",
                note="=SUM(A1:A9)",
                tags=("vi", "@chuyến thăm"),
                url="https://vnexpress.net/x",
            )
        ),
        CheckedExcerpt(
            sample(
                2,
                text=FRENCH + "\n\n" + "Deuxième paragraphe : 100 % & {accolades} #1_2~^\\",
                language="fr",
                article_id="a2",
                source="Le Courrier du Vietnam",
                author="Nguyễn Văn A",
                date_provenance="text",
                date="2019-03-12",
            )
        ),
        CheckedExcerpt(
            sample(
                3, text=ARABIC + "\n" + HEBREW, language="ar", article_id="a3", date=None, source=None, title="-2+3"
            ),
            flag="its article is no longer in the archive",
        ),
    ]


def visible_text(markdown: str) -> str:
    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def test_markdown_quotes_render_as_written_with_their_citations() -> None:
    checked = basket_of_three()
    markdown = render(checked, "md", "Projet Bakou").decode("utf-8")
    assert markdown.startswith("# Projet Bakou\n")
    text = visible_text(markdown)
    for item in checked:
        assert " ".join(item.excerpt.text.split()) in text
        assert citation(item.excerpt) in text
    assert "Flagged: its article is no longer in the archive." in text
    assert "VnExpress, 7 May 2025, “Tô Lâm thăm Azerbaijan”. https://vnexpress.net/x" in text
    assert "Le Courrier du Vietnam, 12 March 2019 (date inferred from the text)" in text
    grouped = render(checked, "md", "Projet Bakou", by_article=True).decode("utf-8")
    assert grouped.count("## ") == 3


def test_csv_has_every_field_a_bom_and_no_formulas() -> None:
    checked = basket_of_three()
    data = render(checked, "csv", "b")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["text"] for row in rows] == [item.excerpt.text for item in checked]
    assert rows[0]["note"] == "'=SUM(A1:A9)" and rows[0]["tags"] == "vi; @chuyến thăm"
    assert rows[2]["title"] == "'-2+3" and rows[2]["flag"] == "its article is no longer in the archive"
    assert rows[1]["language"] == "fr" and rows[0]["url"] == "https://vnexpress.net/x" and rows[2]["date"] == ""
    for cell in (cell for row in rows for cell in row.values()):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_every_formula_start_is_neutralised(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell
    assert spreadsheet_safe("1+1=2") == "1+1=2"


def test_json_reads_back_into_the_same_excerpts(tmp_path: Path) -> None:
    checked = basket_of_three()
    path = tmp_path / "basket.json"
    write_export(path, render(checked, "json", "b"))
    assert read_json_export(path) == [item.excerpt for item in checked]
    document = json.loads(path.read_text("utf-8"))
    assert document["excerpts"][2]["flag"] == "its article is no longer in the archive"


def test_csl_json_items_are_newspaper_articles_a_citation_processor_formats() -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(render(basket_of_three(), "csl-json", "b"))
    assert [item["type"] for item in items] == ["article-newspaper"] * 3
    first = items[0]
    assert first["container-title"] == "VnExpress" and first["issued"] == {"date-parts": [[2025, 5, 7]]}
    assert first["URL"] == "https://vnexpress.net/x" and first["language"] == "vi"
    assert VIETNAMESE in first["abstract"] and "=SUM(A1:A9)" in first["note"]
    assert items[1]["author"] == [{"literal": "Nguyễn Văn A"}]
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"]) for item in items]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    assert any("VnExpress" in entry and "2025" in entry for entry in entries)


def test_ris_records_are_news_with_each_excerpt_a_note() -> None:
    records = rispy.loads(render(basket_of_three(), "ris", "b").decode("utf-8"))
    assert [record["type_of_reference"] for record in records] == ["NEWS"] * 3
    first = records[0]
    assert first["secondary_title"] == "VnExpress" and first["date"] == "2025/05/07" and first["year"] == "2025"
    assert first["urls"] == ["https://vnexpress.net/x"] and first["language"] == "vi"
    assert first["keywords"] == ["vi", "@chuyến thăm"]
    assert first["notes"][0].startswith(f"“{VIETNAMESE}”")
    assert records[1]["authors"] == ["Nguyễn Văn A"]
    assert " ".join((FRENCH + " Deuxième").split()) in records[1]["abstract"]  # one line: RIS is line-based
    assert ARABIC in records[2]["notes"][0] and HEBREW in records[2]["notes"][0]


def test_bibtex_entries_parse_with_special_characters_escaped() -> None:
    library = bibtexparser.parse_string(render(basket_of_three(), "bibtex", "b").decode("utf-8"))
    assert not library.failed_blocks
    assert [entry.entry_type for entry in library.entries] == ["article"] * 3
    assert [entry.key for entry in library.entries] == ["vnexpress2025to", "le2019a", "article2"]
    first, second, _ = library.entries
    assert first.fields_dict["journal"].value == "VnExpress" and first.fields_dict["date"].value == "2025-05-07"
    assert second.fields_dict["author"].value == "{Nguyễn Văn A}"
    assert r"100 \% \& \{accolades\} \#1\_2\textasciitilde{}\textasciicircum{}\textbackslash{}" in (
        second.fields_dict["annote"].value
    )


def test_latex_escape_leaves_no_unbalanced_brace() -> None:
    escaped = latex_escape("}{ }}} {{")
    assert escaped == r"\}\{ \}\}\} \{\{"


def test_docx_holds_each_quote_in_word_quote_style_and_its_citation() -> None:
    checked = basket_of_three()
    document = docx.Document(io.BytesIO(render(checked, "docx", "Projet Bakou")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Heading 1", "Projet Bakou")
    quotes = [text for style, text in paragraphs if style == "Quote"]
    assert quotes == [item.excerpt.text for item in checked]
    assert any(text == "— " + citation(checked[0].excerpt) for _, text in paragraphs)
    assert ("Normal", "Note: =SUM(A1:A9)") in paragraphs


def test_unknown_formats_and_unwritable_paths_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown format 'xls'"):
        render([], "xls", "b")
    with pytest.raises(ExportError, match="does not exist"):
        write_export(tmp_path / "missing" / "x.md", b"x")
    assert not (tmp_path / "missing").exists()
    with pytest.raises(ExportError, match="is a folder"):
        write_export(tmp_path, b"x")


def test_a_write_refused_by_the_system_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from index import atomic

    def refused(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refused)
    with pytest.raises(ExportError, match="could not write .*x.md: permission denied"):
        write_export(tmp_path / "x.md", b"x")
    assert list(tmp_path.iterdir()) == []


# Arbitrary text: every format is written and reads back --------------------------------------------------

unicode_text = st.text(st.characters(codec=None), max_size=300)
names = st.one_of(st.none(), st.text(max_size=40))


@st.composite
def excerpts(draw: st.DrawFn) -> list[CheckedExcerpt]:
    count = draw(st.integers(1, 4))
    items = []
    for number in range(count):
        text = draw(unicode_text.filter(bool))
        items.append(
            CheckedExcerpt(
                sample(
                    number,
                    text=text,
                    title=draw(st.text(max_size=80)),
                    source=draw(names),
                    author=draw(names),
                    note=draw(st.text(max_size=60)),
                    tags=tuple(draw(st.lists(st.text(max_size=12), max_size=3))),
                    article_id=f"a{draw(st.integers(0, 2))}",
                    url=draw(names),
                ),
                flag=draw(st.one_of(st.none(), st.text(max_size=30))),
            )
        )
    return items


def _fffd(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


@given(excerpts())
@example([CheckedExcerpt(sample(1, text="1. # > - [link](x) <b>&amp; `code` *em* ***\n    indented\n===\n- \\"))])
@example([CheckedExcerpt(sample(1, text="\ud800 lone \x00 NUL \u0301 combining \u202e RLO\r\rend"))])
def test_markdown_of_any_text_renders_as_that_text(checked: list[CheckedExcerpt]) -> None:
    text = visible_text(render(checked, "md", "b").decode("utf-8"))
    for item in checked:
        assert " ".join(_fffd(item.excerpt.text).replace("\x00", "\ufffd").split()) in text


@given(excerpts())
def test_every_format_writes_any_text_and_parses_back(checked: list[CheckedExcerpt]) -> None:
    for name in FORMATS:
        data = render(checked, name, "basket")
        if name != "docx":
            data.decode("utf-8")  # valid UTF-8 for every program that opens it
    rows = list(csv.reader(io.StringIO(render(checked, "csv", "b").decode("utf-8-sig"), newline="")))
    assert [row[1] for row in rows[1:]] == [spreadsheet_safe(_fffd(item.excerpt.text)) for item in checked]
    articles = len({item.excerpt.article_id for item in checked})
    assert len(json.loads(render(checked, "csl-json", "b"))) == articles
    assert len(rispy.loads(render(checked, "ris", "b").decode("utf-8"))) == articles
    library = bibtexparser.parse_string(render(checked, "bibtex", "b").decode("utf-8"))
    assert len(library.entries) == articles and not library.failed_blocks
    document = docx.Document(io.BytesIO(render(checked, "docx", "b")))
    assert sum(1 for p in document.paragraphs if p.style.name == "Quote") == len(checked)


@given(excerpts())
def test_json_export_is_lossless_for_any_text(checked: list[CheckedExcerpt]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.json"
        write_export(path, render(checked, "json", "b"))
        assert read_json_export(path) == [item.excerpt for item in checked]


def test_a_bibtex_url_ending_in_a_backslash_does_not_swallow_the_entry() -> None:
    library = bibtexparser.parse_string(render([CheckedExcerpt(sample(1, url="x\\"))], "bibtex", "b").decode("utf-8"))
    assert not library.failed_blocks and library.entries[0].fields_dict["url"].value == "x%5C"


def test_bibtex_urls_are_kept_literal() -> None:
    url = "https://example.com/~user/a_b%20c?x=1&y=2#frag"
    library = bibtexparser.parse_string(render([CheckedExcerpt(sample(1, url=url))], "bibtex", "b").decode("utf-8"))
    assert library.entries[0].fields_dict["url"].value == url


def test_articles_of_two_archives_with_one_layout_keep_distinct_reference_ids() -> None:
    from citeproc.source.json import CiteProcJSON

    twins = [CheckedExcerpt(sample(1, archive="/archives/a")), CheckedExcerpt(sample(2, archive="/archives/b"))]
    items = json.loads(render(twins, "csl-json", "b"))
    assert len({item["id"] for item in items}) == 2 and len(CiteProcJSON(items)) == 2
    records = rispy.loads(render(twins, "ris", "b").decode("utf-8"))
    assert len({record["id"] for record in records}) == 2
    alone = json.loads(render([twins[0]], "csl-json", "b"))
    assert alone[0]["id"] == "a1"  # the article's own id when nothing clashes


def test_bibtex_keeps_dashes_and_quotes_as_typed_and_tags_whole() -> None:
    from bibtexparser.middlewares import LatexDecodingMiddleware

    quoted = "Reuters -- the agency --- said ``no'' on 1,,2"
    exported = render([CheckedExcerpt(sample(1, text=quoted, tags=("a,b", "c")))], "bibtex", "b").decode("utf-8")
    library = bibtexparser.parse_string(exported, append_middleware=[LatexDecodingMiddleware()])
    assert quoted in library.entries[0].fields_dict["annote"].value
    assert library.entries[0].fields_dict["keywords"].value == "a b, c"
    items = json.loads(render([CheckedExcerpt(sample(1, tags=("a,b", "c")))], "csl-json", "b"))
    assert items[0]["keyword"] == "a b, c"


def test_a_title_already_in_quotation_marks_is_not_quoted_twice() -> None:
    assert "Trend" in citation(sample(1, source="Trend", title="“Baku talks”"))
    assert ", “Baku talks”." in citation(sample(1, title="“Baku talks”"))
    assert ", “Baku talks”." in citation(sample(1, title="Baku talks"))
