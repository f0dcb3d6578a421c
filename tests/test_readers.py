"""Reading files of every supported format, and skipping bad ones with a reason."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.reading.files import MAX_FILE_BYTES, scan
from index.reading.readers import read_file, split_header

from .conftest import DATA, SEEDS


def read(name: str) -> tuple[list, list]:
    return read_file(name, (DATA / name).read_bytes())


def test_seed_header_carries_the_start_of_the_article() -> None:
    docs, skipped = read_file("001.txt", (SEEDS / "001_26e36c22f6df07dc.txt").read_bytes())
    assert skipped == []
    assert docs[0].metadata == {"date": "2025-05-07"}
    assert docs[0].text.startswith("AZERBAIJAN, May 7 - On May 7, Ilham Aliyev")


@pytest.mark.parametrize(
    "header",
    ["date: 2024-01-02", "date = 2024-01-02", "# date = 2024-01-02", "Date: 2024-01-02", " date 2024-01-02"],
)
def test_header_forms(header: str) -> None:
    metadata, body = split_header(f"{header}\ntitle: A title\n\nBody text here.")
    assert metadata == {"date": "2024-01-02", "title": "A title"}
    assert body == "Body text here."


def test_a_first_line_that_merely_starts_with_date_is_text() -> None:
    metadata, body = split_header("Date palms grow well here.\nMore text.")
    assert metadata == {}
    assert body.startswith("Date palms")


def test_key_value_header_and_markdown_front_matter() -> None:
    docs, _ = read("keyvalue.txt")
    assert docs[0].metadata == {"title": "Hanoi trade fair opens", "source": "Vietnam News", "author": "Tran Minh"}
    docs, _ = read("dated.md")
    assert docs[0].metadata["title"] == "Baku hosts energy forum"
    assert docs[0].metadata["date"] == "2021-06-02"
    assert docs[0].text.startswith("Energy ministers")


def test_html_main_text_and_metadata() -> None:
    docs, skipped = read("article.html")
    assert skipped == []
    doc = docs[0]
    assert "accord de coopération" in doc.text
    assert "Accueil" not in doc.text and "Tél" not in doc.text
    assert doc.metadata["date"] == "2023-10-05"
    assert doc.metadata["source"] == "Le Courrier du Vietnam"
    assert doc.metadata["author"] == "Minh Anh"
    assert "Azerbaïdjan" in doc.metadata["title"]


def test_json_list_maps_columns_by_name_and_skips_an_empty_record() -> None:
    docs, skipped = read("records.json")
    assert [d.key for d in docs] == ["records.json#a1", "records.json#a2", "records.json#a3"]
    assert docs[0].metadata["source"] == "Trend" and docs[0].metadata["language"] == "en"
    assert docs[1].metadata["title"] == "Forum in Ganja" and docs[1].metadata["date"] == "14 March 2024"
    assert docs[2].text == "Empty one"  # a headline with no text is found by its words
    assert skipped[0].path == "records.json (record 4)" and "no article text" in skipped[0].reason


@pytest.mark.parametrize(
    ("record", "body"),
    [
        # NewsAPI: the content cut short says less than the description, which is all there is.
        ({"description": "Putin named a new deputy prime minister on Monday.", "content": "Putin named… [+1234 chars]"},
         "Putin named a new deputy prime minister on Monday."),
        ({"description": "Ryabkov spoke in Geneva.", "content": "The talks resumed on Tuesday. [+2051 chars]"},
         "Ryabkov spoke in Geneva.\n\nThe talks resumed on Tuesday."),
        ({"summary": "The ferry sails.", "text": "The ferry sails. It leaves Baku at noon."},
         "The ferry sails. It leaves Baku at noon."),
        ({"abstract": "Only an abstract."}, "Only an abstract."),
        ({"headline": "Only a headline", "text": "  "}, "Only a headline"),
        # HTML as content management systems export it: paragraphs and items as lines, no tags
        ({"content": "<p>Fares rose &amp; ferries ran late.</p><ul><li>Baku</li><li>Aktau</li></ul><script>x()</script>"
                     "<p>3 < 4, said the <a href='/m'>minister</a>.</p>"},
         "Fares rose & ferries ran late.\nBaku\nAktau\n\n3 < 4, said the minister.\n"),
        ({"text": "Prices: 3 < 4 and 5 > 2 <b"}, "Prices: 3 < 4 and 5 > 2 <b"),  # no tag: left as it is
        # cells apart, a ticker and an address in angle brackets kept, a tag cut short dropped
        ({"text": "<p>Apple <AAPL.O> rose, said <ann@example.com>.</p><table><tr><th>Karat 24</th><td>883</td></t"},
         "Apple <AAPL.O> rose, said <ann@example.com>.\nKarat 24 883 "),
        ({"text": "AT&amp;T said 3 &lt; 4."}, "AT&T said 3 < 4."),  # entities without tags
    ],
)
def test_a_records_text_keeps_its_summary_and_drops_newsapis_cut_mark(record: dict[str, str], body: str) -> None:
    docs, skipped = read_file("news.json", json.dumps([record]).encode())
    assert skipped == [] and docs[0].text == body


def test_one_bad_jsonl_line_skips_that_line_only() -> None:
    docs, skipped = read("records.jsonl")
    assert [d.key for d in docs] == ["records.jsonl#j1", "records.jsonl#j3"]
    assert len(skipped) == 1 and skipped[0].path == "records.jsonl (record 2)"
    assert "malformed JSON" in skipped[0].reason


def test_csv_bad_row_is_skipped_with_its_line() -> None:
    docs, skipped = read("records.csv")
    assert [d.key for d in docs] == ["records.csv#c1", "records.csv#c3"]
    assert "3 fields" in skipped[0].reason
    assert docs[1].text == "Un festival de cinéma vietnamien s'ouvre à Bakou."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"date 2024-01-01\n\n", "no article text"),
    ],
)
def test_bad_text_files_are_skipped_with_a_reason(data: bytes, reason: str) -> None:
    docs, skipped = read_file("bad.txt", data)
    assert docs == []
    assert reason in skipped[0].reason


def test_malformed_json_file_is_skipped() -> None:
    docs, skipped = read_file("bad.json", b'{"title": "x", ')
    assert docs == [] and "malformed JSON" in skipped[0].reason


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        ("Привет, это новости из Баку о визите делегации во Вьетнам.".encode("cp1251"), "cp1251"),
        ("Le ministre a visité Hanoï et Bakou cette année, déclarant être très satisfait.".encode("cp1252"), "cp1252"),
        ("Nguyễn Hồng Nga, Hà Nội".encode("utf-16"), "utf-16"),
        ("\ufeffAzerbaïdjan et Viêt Nam".encode(), "utf-8-sig"),
    ],
)
def test_encodings_are_detected(encoded: bytes, encoding: str) -> None:
    docs, skipped = read_file("enc.txt", encoded)
    assert skipped == []
    expected = encoded.decode(encoding).lstrip("\ufeff")
    assert docs[0].text == expected


def test_text_is_normalised_to_nfc() -> None:
    decomposed = "Nguye\u0302\u0303n Ho\u0302\u0300ng Nga spoke in Ha Noi.".encode()
    docs, _ = read_file("nfd.txt", decomposed)
    assert "Nguyễn Hồng" in docs[0].text


def test_scan_skips_other_types_big_files_and_links_leaving_the_archive(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("Some article text that is long enough.")
    (root / "image.png").write_bytes(b"\x89PNG")
    (root / ".hidden.txt").write_text("hidden")
    big = root / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    os.symlink(outside, root / "link.txt")
    found, skipped = scan(root)
    assert [(f.relpath, f.fs_relpath) for f in found] == [("sub/a.txt", "sub/a.txt")]
    reasons = {s.path: s.reason for s in skipped}
    assert reasons["image.png"].startswith("unsupported file type")
    assert reasons["big.txt"] == "larger than 20 MB"
    assert "outside the archive" in reasons["link.txt"]


@pytest.mark.parametrize(
    ("text", "metadata", "body"),
    [
        (  # a blog engine's header: keys of its own among the ones we read
            "Title: Weekly digest 325\nNumber: 325\nDate: 2020-02-11\nCategory: News\n\nRates rose on Tuesday.",
            {"title": "Weekly digest 325", "date": "2020-02-11"},
            "Rates rose on Tuesday.",
        ),
        (  # a Usenet post: e-mail headers, one folded over two lines
            "Xref: news.example.org sci.space:1\nNewsgroups: sci.space\nSubject: Re: Gamma ray bursts\n"
            "From: reader@example.edu\nReferences: <1@example.edu>\n <2@example.edu>\nDate: 26 Apr 93 19:25:35 -0600\n"
            "Lines: 3\n\n>> Have the detectors been checked?\n> They have.\nGood.",
            {"title": "Re: Gamma ray bursts", "author": "reader@example.edu", "date": "26 Apr 93 19:25:35 -0600"},
            ">> Have the detectors been checked?\n> They have.\nGood.",
        ),
        (  # a news site's export: its address and time stamp above the title
            "https://news.example.jp/article/4814778/\n2010-06-11T14:30:00+0900\n新しい橋が開通した\n本文です。",
            {"url": "https://news.example.jp/article/4814778/", "date": "2010-06-11"},
            "新しい橋が開通した\n本文です。",
        ),
        (  # lines like headers with no key we read are text
            "Note: the ferry sails at noon.\nWhy: the storm has passed.\n\nMore text.",
            {},
            "Note: the ferry sails at noon.\nWhy: the storm has passed.\n\nMore text.",
        ),
        (  # keys of another program after ours
            "Title: Ferry news\nDate: 2021-05-01\nCategory: News\nTags: ferry, Baku\n\nThe ferry sails.",
            {"title": "Ferry news", "date": "2021-05-01"},
            "The ferry sails.",
        ),
        (  # an interview: its speakers are no headers, after a blank line or right under ours
            "Title: Interview\nDate: 2021-05-01\n\nMayor: We will rebuild.\nAuthor: Can you promise that?\nMayor: Yes.",
            {"title": "Interview", "date": "2021-05-01"},
            "Mayor: We will rebuild.\nAuthor: Can you promise that?\nMayor: Yes.",
        ),
        (
            "Title: Interview\nMayor: We will rebuild.\nAuthor: Can you promise that?\nMayor: Yes.",
            {"title": "Interview"},
            "Mayor: We will rebuild.\nAuthor: Can you promise that?\nMayor: Yes.",
        ),
        (  # after a blank line, a key we read opening a sentence is text
            "Title: Bridge\n\nSource: the ministry said on Monday that the bridge would reopen in May after repairs.",
            {"title": "Bridge"},
            "Source: the ministry said on Monday that the bridge would reopen in May after repairs.",
        ),
    ],
)
def test_headers_of_other_programs(text: str, metadata: dict[str, str], body: str) -> None:
    assert split_header(text) == (metadata, body)


def test_records_without_ids_keep_their_keys_when_others_come_and_go() -> None:
    records = [
        {"title": "Ferry sails", "date": "2024-05-01", "text": "The ferry sailed."},
        {"url": "https://example.org/b", "title": "Port opens", "text": "The port opened."},
        {"text": "Neither title nor address."},
    ]
    docs, _ = read_file("feed.json", json.dumps(records).encode())
    keys = ["feed.json#Ferry sails|2024-05-01", "feed.json#https://example.org/b", "feed.json#3"]
    assert [d.key for d in docs] == keys
    assert [d.former_key for d in docs] == ["feed.json#1", "feed.json#2", None]  # what earlier versions gave them
    again, _ = read_file("feed.json", json.dumps([{"title": "New first", "text": "News."}, *records]).encode())
    assert [d.key for d in again[1:3]] == [d.key for d in docs[:2]]


REUTERS = (DATA / "reuters-21578-sample.sgm").read_bytes()  # the layout of the Reuters-21578 files
TREC = b"""<DOC>
<DOCNO> AP880212-0001 </DOCNO>
<FILEID>AP-NR-02-12-88 2344EST</FILEID>
<HEAD>Reports Former Saigon Officials Released from Re-education Camp</HEAD>
<BYLINE>By Ann Author</BYLINE>
<TEXT>
   More than 150 former officers of the overthrown South Vietnamese government have been
released from a re-education camp after 13 years of detention, the official Communist Party
newspaper reported Thursday.
</TEXT>
</DOC>
<DOC>
<DOCNO> AP880212-0002 </DOCNO>
<TEXT>
   A second report &amp; its text.
</TEXT>
</DOC>
"""


@pytest.mark.parametrize("name", ["reut2-000.sgm", "reut2-000.txt", "reut2-000.SGML"])
def test_a_reuters_21578_file_is_read_as_its_articles(name: str) -> None:
    documents, skipped = read_file(name, REUTERS)
    assert skipped == [] and [d.key for d in documents] == [f"{name}#1", f"{name}#2"]
    first = documents[0]
    assert first.metadata["title"] == "BAHIA COCOA REVIEW" and first.metadata["date"] == "26-FEB-1987 15:01:01"
    assert first.text.startswith("Showers continued") and "<CSCE>" in first.text and "\x03" not in first.text
    assert "STANDARD OIL" in documents[1].text  # a brief: its title is its text


def test_a_trec_file_is_read_as_its_documents() -> None:
    documents, skipped = read_file("ap880212.sgml", TREC)
    assert skipped == [] and [d.metadata["id"] for d in documents] == ["AP880212-0001", "AP880212-0002"]
    assert documents[0].metadata["title"].startswith("Reports Former Saigon Officials")
    assert documents[0].metadata["author"] == "By Ann Author"
    assert documents[0].text.startswith("More than 150") and documents[1].text == "A second report & its text."


def test_a_damaged_sgml_stream_costs_only_its_damaged_documents() -> None:
    cut = TREC.replace(b"</DOC>", b"", 1)  # the first document never closed: it runs into the second
    documents, _ = read_file("ap.sgml", cut * 3 + b"<DOC><TEXT>never closed" * 2000)
    assert len(documents) == 3 and all(d.metadata["id"] == "AP880212-0002" for d in documents[:1])
    assert read_file("plain.txt", b"<DOC> is how the memo began, and nothing else.\n")[0][0].text.startswith("<DOC>")


@given(st.lists(st.tuples(st.text(max_size=80), st.text(max_size=300)), max_size=5), st.booleans())
def test_any_text_in_an_sgml_stream_is_read_or_skipped_never_raised(
    documents: list[tuple[str, str]], close: bool
) -> None:
    stream = "".join(f"<DOC><HEADLINE>{title}</HEADLINE><TEXT>{text}</TEXT>{'</DOC>' if close else ''}\n"
                     for title, text in documents)
    read, skipped = read_file("stream.sgml", stream.encode("utf-8", "surrogatepass"))
    assert len(read) <= len(documents) and (read or skipped)
    for document in read:
        assert document.text.strip() and not any(c in document.text for c in "\x00\x03")
