"""Files and folders built to break reading: each yields documents or a skip with a clear reason."""

from __future__ import annotations

import base64
import datetime as dt
import errno
import hashlib
import io
import json
import os
import random
import socket
import stat
import struct
import sys
import threading
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.analysis.dates import parse_date_value
from index.analysis.metadata import infer
from index.indexing.pipeline import UserCorrections, analyse_file, analyse_files
from index.models import Provenance, RawDocument, SkippedFile
from index.reading import readers
from index.reading.files import MAX_FILE_BYTES, FoundFile, displayable, path_in_archive, read_bytes, scan
from index.reading.readers import read_file

from .conftest import DATA

HOSTILE = DATA / "hostile"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types and names")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
T = TypeVar("T")
ARTICLE = "The regional council approved the harbour budget on Tuesday after a long debate."


def read_hostile(name: str) -> tuple[list[RawDocument], list[SkippedFile]]:
    return read_file(name, (HOSTILE / name).read_bytes())


def reasons(skipped: list[SkippedFile]) -> dict[str, str]:
    return {s.path: s.reason for s in skipped}


def assert_storable(documents: list[RawDocument]) -> None:
    """What SQLite and SHA-1 need: every string encodes as UTF-8."""
    for document in documents:
        hashlib.sha1(document.key.encode("utf-8"))
        for value in (document.path, document.text, *document.metadata.keys(), *document.metadata.values()):
            value.encode("utf-8")


def finishes_within(seconds: float, work: Callable[[], T]) -> T:
    """Run ``work`` in a daemon thread; fail (rather than hang the suite) if it blocks."""
    outcome: list[T] = []
    thread = threading.Thread(target=lambda: outcome.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome[0]


def found(root: Path, relpath: str) -> FoundFile:
    return next(f for f in scan(root)[0] if f.relpath == relpath)


# --- file names ---------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_a_name_that_is_not_utf8_is_shown_with_its_byte_and_still_read(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    os.mkdir(os.path.join(folder, b"r\xe9sum\xe9s"))
    for name in (b"caf\xe9.txt", b"r\xe9sum\xe9s/na\xefve.txt"):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(ARTICLE.encode())
    files, skipped = scan(tmp_path)
    assert skipped == []
    assert [f.relpath for f in files] == ["caf\\xe9.txt", "r\\xe9sum\\xe9s/na\\xefve.txt"]
    assert files[0].fs_relpath == os.fsdecode(b"caf\xe9.txt")
    for file in files:
        data = read_bytes(tmp_path, file.relpath, file.fs_relpath)
        assert data == ARTICLE.encode()
        assert read_bytes(tmp_path, file.relpath) == data  # as an article's path, kept in the index
        documents, problems = read_file(file.relpath, data)
        assert problems == [] and documents[0].path == file.relpath
        assert_storable(documents)
        assert path_in_archive(tmp_path, file.relpath).read_bytes() == ARTICLE.encode()


def test_displayable_names_are_stable_and_distinct() -> None:
    assert displayable("plain/ünïcode.txt") == "plain/ünïcode.txt"
    assert displayable(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert displayable(os.fsdecode(b"caf\xe8.txt")) == "caf\\xe8.txt"
    assert displayable("lone\ud800.txt") == "lone\\ud800.txt"
    documents, _ = read_file(os.fsdecode(b"caf\xe9.txt"), ARTICLE.encode())
    assert documents[0].key == "caf\\xe9.txt"


@POSIX
def test_names_with_spaces_newlines_and_other_scripts(tmp_path: Path) -> None:
    names = ["two words.txt", "line\nbreak.txt", "Новости дня.txt", "新闻.md", "خبر.txt", "Tin tức.txt"]
    for name in names:
        (tmp_path / name).write_text(ARTICLE, "utf-8")
    files, skipped = scan(tmp_path)
    assert skipped == []
    assert sorted(f.relpath for f in files) == sorted(names)
    for file in files:
        data = read_bytes(tmp_path, file.relpath, file.fs_relpath)
        assert isinstance(data, bytes)
        documents, problems = read_file(file.relpath, data)
        assert problems == [] and documents[0].text == ARTICLE


# --- what a folder may hold besides files --------------------------------------------------------


@POSIX
def test_symbolic_link_loops_and_broken_links_are_reported(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_text(ARTICLE)
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("self.txt", tmp_path / "self.txt")
    os.symlink("missing.txt", tmp_path / "dangling.txt")
    os.symlink("sub", tmp_path / "folder-link")
    os.symlink("article.txt", tmp_path / "alias.txt")
    files, skipped = scan(tmp_path)
    assert [f.relpath for f in files] == ["alias.txt", "article.txt", "sub/inner.txt"]
    assert reasons(skipped) == {
        "a.txt": "symbolic link loop",
        "b.txt": "symbolic link loop",
        "self.txt": "symbolic link loop",
        "dangling.txt": "broken symbolic link (No such file or directory)",
        "folder-link": "symbolic link to a folder (not followed: its files are read where they are)",
    }


@POSIX
def test_a_named_pipe_is_reported_not_read(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / "p.txt")
    files, skipped = finishes_within(10, lambda: scan(tmp_path))
    assert [f.relpath for f in files] == ["article.txt"]
    assert skipped == [SkippedFile("p.txt", "not a regular file (named pipe)")]


@POSIX
def test_a_file_swapped_for_a_pipe_after_the_scan_does_not_block_reading(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text(ARTICLE)
    file = found(tmp_path, "p.txt")
    (tmp_path / "p.txt").unlink()
    os.mkfifo(tmp_path / "p.txt")
    assert finishes_within(10, lambda: read_bytes(tmp_path, file.relpath, file.fs_relpath)) == SkippedFile(
        "p.txt", "not a regular file (named pipe)"
    )


@POSIX
def test_a_socket_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # A socket's path is limited to about 100 bytes.
    server = socket.socket(socket.AF_UNIX)
    server.bind("s.txt")
    try:
        assert scan(tmp_path)[1] == [SkippedFile("s.txt", "not a regular file (socket)")]
    finally:
        server.close()


@POSIX
def test_a_device_file_is_reported(tmp_path: Path) -> None:
    try:
        os.mknod(tmp_path / "null.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating device files needs privileges")
    assert scan(tmp_path)[1] == [SkippedFile("null.txt", "not a regular file (device file)")]


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text(ARTICLE)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(ARTICLE)
    real_open = os.open

    def open_folder(path: str, flags: int) -> int:
        if os.path.basename(path) == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags)

    monkeypatch.setattr(os, "open", open_folder)
    files, skipped = scan(tmp_path)
    assert [f.relpath for f in files] == ["open/a.txt"]
    assert skipped == [SkippedFile("locked", "folder cannot be read: Permission denied")]


def test_a_folder_opened_but_not_listed_is_reported_and_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text(ARTICLE)
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(descriptor: int) -> object:
        if os.readlink(f"/proc/self/fd/{descriptor}").endswith("/locked"):
            raise OSError(errno.EIO, "Input/output error")
        return real_scandir(descriptor)

    monkeypatch.setattr(os, "scandir", scandir)
    descriptors = len(os.listdir("/proc/self/fd"))
    files, skipped = scan(tmp_path)
    assert [f.relpath for f in files] == ["open/a.txt"]
    assert skipped == [SkippedFile("locked", "folder cannot be read: Input/output error")]
    assert len(os.listdir("/proc/self/fd")) == descriptors


def test_an_interrupted_listing_leaves_no_folder_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)

    def scandir(descriptor: int) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "scandir", scandir)
    descriptors = len(os.listdir("/proc/self/fd"))
    with pytest.raises(KeyboardInterrupt):
        scan(tmp_path)
    assert len(os.listdir("/proc/self/fd")) == descriptors


@pytest.mark.skipif(AS_ROOT or sys.platform == "win32", reason="root reads folders of mode 000")
def test_a_folder_of_mode_000_is_reported(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(ARTICLE)
    (tmp_path / "locked").chmod(0)
    try:
        assert scan(tmp_path) == ([], [SkippedFile("locked", "folder cannot be read: Permission denied")])
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_a_file_that_cannot_be_opened_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    file = found(tmp_path, "a.txt")

    def refuse(path: object, flags: int, mode: int = 0o777) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", refuse)
    assert read_bytes(tmp_path, file.relpath, file.fs_relpath) == SkippedFile(
        "a.txt", "cannot be read: Permission denied"
    )


@pytest.mark.skipif(AS_ROOT or sys.platform == "win32", reason="root reads files of mode 000")
def test_a_file_of_mode_000_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    file = found(tmp_path, "a.txt")
    (tmp_path / "a.txt").chmod(0)
    assert read_bytes(tmp_path, file.relpath, file.fs_relpath) == SkippedFile(
        "a.txt", "cannot be read: Permission denied"
    )


def test_a_50_mb_file_is_skipped_at_scan_without_being_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (tmp_path / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 2**20)
    (tmp_path / "small.txt").write_text(ARTICLE)

    real_open = os.open

    def folders_only(path: str, flags: int) -> int:
        if not os.path.isdir(path):
            raise AssertionError("scan opened a file")
        return real_open(path, flags)

    monkeypatch.setattr(os, "open", folders_only)
    files, skipped = scan(tmp_path)
    assert [f.relpath for f in files] == ["small.txt"]
    assert skipped == [SkippedFile("huge.txt", "larger than 20 MB")]


def test_a_file_that_grew_past_the_limit_since_the_scan_is_not_read_whole(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    file = found(tmp_path, "a.txt")
    with (tmp_path / "a.txt").open("r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 10)
    assert read_bytes(tmp_path, file.relpath, file.fs_relpath) == SkippedFile("a.txt", "larger than 20 MB")


# --- decoding -----------------------------------------------------------------------------------

TEXTS = {
    "en": "The ferry to the islands resumed on Monday after three days of storms.",
    "ru": "Паром на острова возобновил работу в понедельник после трёх дней штормов.",
    "vi": "Phà ra đảo đã hoạt động trở lại vào thứ Hai sau ba ngày bão.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_byte_order_mark(language: str, encoding: str) -> None:
    documents, skipped = read_file("wide.txt", TEXTS[language].encode(encoding))
    assert skipped == []
    assert documents[0].text == TEXTS[language]
    assert documents[0].encoding == encoding


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(bytes(random.Random(1).randrange(256) for _ in range(64 * 65)))
    header = struct.pack(">IIBBBBB", 64, 64, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", ARTICLE * 20)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    stream = zlib.compress(f"BT /F1 12 Tf 72 712 Td ({ARTICLE}) Tj ET".encode() * 10)
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
        + f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
        + stream
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


@pytest.mark.parametrize("make", [png_bytes, zip_bytes, pdf_bytes], ids=["png", "zip", "pdf"])
def test_binary_files_named_as_text_are_refused(make: Callable[[], bytes]) -> None:
    assert read_file("named.txt", make()) == ([], [SkippedFile("named.txt", "binary file, not text")])


def test_text_with_binary_appended_is_refused() -> None:
    data = (ARTICLE + "\n").encode() * 200 + png_bytes() * 20
    assert read_file("a.txt", data) == ([], [SkippedFile("a.txt", "binary file, not text")])


def test_20_mb_of_random_bytes_is_refused() -> None:
    generator = random.Random(7)
    for data, reason in (
        (generator.randbytes(MAX_FILE_BYTES), "binary file, not text"),
        # High bytes only: no control byte gives it away, and it is not UTF-8.
        (bytes(b | 0x80 for b in generator.randbytes(2**20)) * 20, "text encoding could not be determined"),
    ):
        assert read_file("noise.txt", data) == ([], [SkippedFile("noise.txt", reason)])


def test_utf8_with_a_few_damaged_bytes_is_still_utf8() -> None:
    text = "Nguyễn Hồng Nga nói chuyện tại Hà Nội về thương mại giữa hai nước. " * 5
    data = text.encode()[:100] + b"\xff" + text.encode()[100:] + b"\xc3"  # a stray byte; a cut character
    documents, skipped = read_file("vi.txt", data)
    assert skipped == [] and documents[0].encoding == "utf-8"
    assert documents[0].text.replace("\ufffd", "", 1) == text + "\ufffd"


def test_mixed_newlines_become_one_kind() -> None:
    documents, _ = read_file("a.txt", b"First line.\r\nSecond line.\rThird line.\nFourth line.\r\n")
    assert documents[0].text == "First line.\nSecond line.\nThird line.\nFourth line."


@pytest.mark.parametrize(
    "data", [b"", b" \t\r\n\n ", "\ufeff".encode(), "  \n ".encode("utf-16"), "\u3000\u00a0".encode()]
)
def test_empty_and_blank_files(data: bytes) -> None:
    assert read_file("blank.txt", data) == ([], [SkippedFile("blank.txt", "empty file")])


def test_a_15_mb_line_is_read() -> None:
    data = ("harbour " * (15 * 2**20 // 8)).encode()
    documents, skipped = read_file("line.txt", data)
    assert skipped == [] and len(documents[0].text) == len(data)


@pytest.mark.parametrize("line", [" " * 50_000 + "x", "title: x" + " " * 50_000 + "y", "title:" + "\t" * 50_000])
def test_header_lines_full_of_blanks_are_read(line: str) -> None:
    documents, _ = read_file("a.txt", f"{line}\n{ARTICLE}".encode())
    assert documents[0].text.endswith(ARTICLE)


# --- JSON and JSON Lines ------------------------------------------------------------------------


def test_deeply_nested_json_is_one_skip() -> None:
    data = b"[" * 100_000 + b"]" * 100_000
    assert read_file("deep.json", data) == ([], [SkippedFile("deep.json", "JSON nested too deeply to be read")])


def test_a_deeply_nested_jsonl_line_skips_that_line_only() -> None:
    good = json.dumps({"id": "ok", "body": ARTICLE})
    data = f'{{"body": {"[" * 100_000}}}\n{good}\n'.encode()
    documents, skipped = read_file("deep.jsonl", data)
    assert [d.key for d in documents] == ["deep.jsonl#ok"]
    assert skipped == [SkippedFile("deep.jsonl (record 1)", "JSON nested too deeply to be read")]


def test_a_5000_digit_number_costs_only_the_field_it_is_in() -> None:
    digits = "9" * 5000
    data = f'[{{"id": {digits}, "body": "{ARTICLE}"}}, {{"id": "b", "body": {digits}}}]'.encode()
    documents, skipped = read_file("big.json", data)
    assert [d.key for d in documents] == ["big.json#1"]  # the id is no use: the record's number stands in
    assert skipped == [SkippedFile("big.json (record 2)", 'record\'s "body" is a number, not text')]


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_lone_surrogate_escapes_become_replacement_characters(suffix: str) -> None:
    data = b'{"id": "x\\udfff", "title": "caf\\ud800", "body": "Half \\udc00 a pair; a whole pair \\ud83d\\ude00."}'
    documents, skipped = read_file(f"s{suffix}", data)
    assert skipped == []
    assert documents[0].metadata["title"] == "caf\ufffd"
    assert documents[0].text == "Half \ufffd a pair; a whole pair \U0001f600."
    assert documents[0].key == f"s{suffix}#x\ufffd"
    assert_storable(documents)


def test_raw_control_characters_in_json_strings_are_read_and_nuls_dropped() -> None:
    data = b'[{"title": "Port\treopens", "body": "First line.\nSecond\x00 line.", "source": "\\u0000Gazette"}]'
    documents, skipped = read_file("sloppy.json", data)
    assert skipped == []
    assert documents[0].text == "First line.\nSecond line."
    assert documents[0].metadata == {"title": "Port\treopens", "source": "Gazette"}


def test_stray_nuls_in_a_text_file_are_dropped() -> None:
    documents, skipped = read_file("nul.txt", f"title: Port\x00 reopens\n\n{ARTICLE}\x00".encode())
    assert skipped == []
    assert (documents[0].metadata, documents[0].text) == ({"title": "Port reopens"}, ARTICLE)


def test_json_values_of_the_wrong_type() -> None:
    documents, skipped = read_hostile("wrong_types.json")
    assert [(d.key, d.metadata, d.text) for d in documents] == [
        (
            "wrong_types.json#w2",
            {"id": "w2", "title": "Port, reopens"},  # the object date, null source and true author are left out
            "The northern port reopened on Monday after a week of storms.",
        ),
        (
            "wrong_types.json#w7",
            {"id": "w7", "date": "2025-05-09"},
            "The council met twice this week.\n\nIt approved the harbour budget.",
        ),
    ]
    assert reasons(skipped) == {
        "wrong_types.json (record 1)": 'record\'s "body" is a number, not text',
        "wrong_types.json (record 3)": "record has no article text",
        "wrong_types.json (record 4)": "record is a string, not an object with named fields",
        "wrong_types.json (record 5)": "record is a number, not an object with named fields",
        "wrong_types.json (record 6)": "record is null, not an object with named fields",
        "wrong_types.json (record 8)": "record has no article text",
    }


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'"just a string"', "JSON file holds a string, not articles"),
        (b"3.14", "JSON file holds a number, not articles"),
        (b"null", "JSON file holds null, not articles"),
        (b"true", "JSON file holds true or false, not articles"),
        (b"[]", "no records in the file"),
        (b'{"articles": []}', "no records in the file"),
    ],
)
def test_json_files_that_hold_no_articles(data: bytes, reason: str) -> None:
    assert read_file("x.json", data) == ([], [SkippedFile("x.json", reason)])


def test_jsonl_blank_broken_and_wrong_lines() -> None:
    documents, skipped = read_hostile("broken.jsonl")
    assert [d.key for d in documents] == ["broken.jsonl#l1", "broken.jsonl#l5"]
    assert reasons(skipped) == {
        "broken.jsonl (record 3)": "malformed JSON: Unterminated string starting at line 1, column 22",
        "broken.jsonl (record 6)": "record is a list, not an object with named fields",
    }


def test_a_file_of_bad_records_lists_the_first_hundred_and_counts_the_rest() -> None:
    data = b"\n".join([b"not json"] * 250 + [json.dumps({"body": ARTICLE}).encode()])
    documents, skipped = read_file("many.jsonl", data)
    assert len(documents) == 1
    assert len(skipped) == 101
    assert skipped[-1] == SkippedFile("many.jsonl", "150 more records skipped (only the first are listed)")


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_stray_quote_skips_its_row_and_the_rest_is_read() -> None:
    documents, skipped = read_hostile("stray_quote.csv")
    assert [(d.key, d.metadata["title"]) for d in documents] == [
        ("stray_quote.csv#c1", "Harbour budget, approved"),
        ("stray_quote.csv#c3", "Bridge works"),
        ("stray_quote.csv#c4", "Market day"),
    ]
    assert skipped == [
        SkippedFile("stray_quote.csv (line 3)", "malformed CSV row: a quote inside a quoted field is not doubled")
    ]


def test_csv_quote_never_closed_swallows_nothing() -> None:
    data = b'id,title,body\nc1,t1,First body.\nc2,"open,Second body.\nc3,t3,Third body.\nc4,t4,Fourth body.\n'
    documents, skipped = read_file("open.csv", data)
    assert [d.key for d in documents] == ["open.csv#c1", "open.csv#c3", "open.csv#c4"]
    assert skipped == [SkippedFile("open.csv (line 3)", "malformed CSV row: a quoted field is never closed")]


def test_csv_row_with_nul_characters_is_skipped() -> None:
    data = b"id,title,body\nc1,t1,First body.\nc2,t\x002,Second \x00body.\nc3,t3,Third body.\n"
    documents, skipped = read_file("nul.csv", data)
    assert [d.key for d in documents] == ["nul.csv#c1", "nul.csv#c3"]
    assert skipped == [SkippedFile("nul.csv (line 3)", "CSV row holds NUL characters (damaged data)")]


def test_csv_field_over_the_field_size_limit_is_skipped() -> None:
    data = b'id,title,body\nc1,t1,"' + b"x" * 200_000 + b'"\nc2,t2,Second body.\n'
    documents, skipped = read_file("wide.csv", data)
    assert [d.key for d in documents] == ["wide.csv#c2"]
    assert skipped == [SkippedFile("wide.csv (line 2)", "malformed CSV row: field larger than field limit (131072)")]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"c1,Ferry sails,Some body text.\nc2,Other,More text.\n",
            "CSV file has no header row naming a title, body, text or content column",
        ),
        (b"id,title,body\n", "no records in the file"),
        (
            b'"' + b"h" * 2**20 + b'",body\nx,y\n',
            "CSV header row cannot be read: field larger than field limit (131072)",
        ),
    ],
    ids=["no header", "header only", "1 MB header field"],
)
def test_hopeless_csv_files_are_one_skip(data: bytes, reason: str) -> None:
    assert read_file("x.csv", data) == ([], [SkippedFile("x.csv", reason)])


def test_csv_with_a_1_mb_header_of_many_columns_is_read() -> None:
    columns = [f"column{n}" for n in range(100_000)]
    data = (",".join([*columns, "body"]) + "\n" + "," * len(columns) + ARTICLE + "\n").encode()
    documents, skipped = read_file("columns.csv", data)
    assert skipped == [] and documents[0].text == ARTICLE


def test_csv_blank_lines_before_the_header_are_passed_over() -> None:
    documents, skipped = read_file("blank.csv", f"\n\nid,body\nc1,{ARTICLE}\n".encode())
    assert skipped == [] and [d.key for d in documents] == ["blank.csv#c1"]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yesterday", None),
        ("today", None),
        ("now", None),
        ("in 3 days", None),
        ("2 hours ago", None),
        ("31-MAR-1987 605:12:19.12", dt.date(1987, 3, 31)),
        ("26-FEB-1987 15:01:01.79", dt.date(1987, 2, 26)),
        ("2025-02-30", None),
        ("0000-00-00", None),
        ("9999-99-99", None),
        ("9999-12-31", None),
        ("0001-01-01", None),
        ("2025-05-071", None),
        ("20250507", dt.date(2025, 5, 7)),
        ("1700000000", dt.date(2023, 11, 14)),
        ("1700000000000", dt.date(2023, 11, 14)),
        ("1700000000.0", dt.date(2023, 11, 14)),
        ("12345", None),
        ("x" * 100_000, None),
        ("7 May 2025\x00", dt.date(2025, 5, 7)),
        ("\x00", None),
        ("\ud800", None),
        ("\ud800 7 May 2025", dt.date(2025, 5, 7)),
    ],
)
def test_metadata_dates_are_absolute_and_valid(value: str, expected: dt.date | None) -> None:
    assert parse_date_value(value) == expected


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60))
def test_no_date_value_raises(value: str) -> None:
    parsed = parse_date_value(value)
    assert parsed is None or 1600 <= parsed.year <= 2100


def test_a_relative_date_in_a_record_leaves_the_article_undated() -> None:
    documents, _ = read_hostile("broken.jsonl")
    yesterday, reuters = (infer(d) for d in documents)
    assert (yesterday.date, yesterday.date_provenance) == (None, Provenance.UNKNOWN)
    assert (reuters.date, reuters.date_provenance) == (dt.date(1987, 3, 31), Provenance.STRUCTURED)


# --- HTML ---------------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("reading tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
def test_html_junk_is_neither_text_nor_fetched_nor_run() -> None:
    documents, skipped = read_hostile("junk.html")
    assert skipped == []
    text = documents[0].text
    assert text.startswith("River port reopens after the storms\nThe river port reopened on Wednesday")
    assert "first convoy of grain barges" in text and "before the winter" in text
    for junk in ("INJECTED", "SCRIPT IN BODY", "FRAME FALLBACK", "javascript", "base64", "Privacy"):
        assert junk not in text
    assert documents[0].metadata["date"] == "2024-11-20"


def html_page(junk: str) -> bytes:
    paragraphs = "".join(f"<p>Paragraph {n}: the harbour board met the mayor about the quay.</p>\n" for n in range(40))
    head = "<html><head><title>Harbour board</title></head>"
    return f"{head}<body><article><h1>Harbour board</h1>{paragraphs}{junk}</article></body></html>".encode()


def base64_image() -> str:
    return f'<img src="data:image/png;base64,{base64.b64encode(random.Random(3).randbytes(7_500_000)).decode()}">'


def script_and_style() -> str:
    return f"<script>{'var x = 1;' * 500_000}</script><style>{'.a {{ color: red }}' * 250_000}</style>"


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("junk", [base64_image, script_and_style], ids=["base64 image", "script and style"])
def test_a_10_mb_page_of_junk_is_read(junk: Callable[[], str]) -> None:
    data = html_page(junk())
    assert len(data) > 9_000_000
    documents, skipped = read_file("page.html", data)
    assert skipped == [] and "Paragraph 39: the harbour board" in documents[0].text


def test_html_without_its_extractor_is_skipped_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    documents, skipped = read_hostile("junk.html")
    assert documents == []
    assert skipped[0].path == "junk.html"
    assert skipped[0].reason == "HTML support unavailable: import of trafilatura halted; None in sys.modules"


# --- the last line of defence -------------------------------------------------------------------


def test_an_unforeseen_error_is_one_skip_with_its_type_and_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str) -> tuple[dict[str, str], str]:
        raise RuntimeError("something\nnobody foresaw")

    monkeypatch.setattr(readers, "split_header", fail)
    assert read_file("a.txt", ARTICLE.encode()) == (
        [],
        [SkippedFile("a.txt", "could not be parsed: RuntimeError: something nobody foresaw")],
    )


HOSTILE_BYTES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda text: text.encode("utf-8")),
    st.text(alphabet='{}[]",:0123456789.eE-+ \n\t\\uabcdtrufnl', max_size=300).map(str.encode),
    st.text(alphabet='"id,body\n\r\x00 abc', max_size=300).map(str.encode),
)


@given(st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl", ".csv"]), HOSTILE_BYTES)
def test_reading_never_raises_and_never_needs_the_last_line_of_defence(suffix: str, data: bytes) -> None:
    documents, skipped = read_file(f"fuzz{suffix}", data)
    assert not any(s.reason.startswith("could not be parsed") for s in skipped)
    assert_storable(documents)


@given(st.lists(st.tuples(st.sampled_from([".txt", ".html", ".json", ".jsonl", ".csv"]), HOSTILE_BYTES), max_size=4))
def test_hostile_files_analysed_together_never_raise_and_come_out_as_alone(files: list[tuple[str, bytes]]) -> None:
    names = [f"f{i}{suffix}" for i, (suffix, _) in enumerate(files)]
    contents: list[tuple[FoundFile, bytes | SkippedFile, str | None]] = [
        (FoundFile(name, len(data), 0, name), data, None) for name, (_, data) in zip(names, files, strict=True)
    ]
    together = analyse_files(contents, UserCorrections())
    assert together == [analyse_file(found, data, sha1, UserCorrections()) for found, data, sha1 in contents]
    for read, fields in together:
        assert len(fields) == len(read.rows or []) and not read.tracebacks  # nothing failed unforeseen


_MARKUP_PIECES = st.sampled_from(["<p>", "</p>", "<br/>", "<li>", "</ul>", "<a href='x'>", "</a>", "&amp;", "&#x1F600;",
                                   "<script>", "</script>", "<!--", "-->", "<", ">", "\n", " ", "\u0301", "\ud800"])


@given(st.lists(st.one_of(_MARKUP_PIECES, st.text(max_size=20)), max_size=40).map("".join))
def test_markup_in_a_record_leaves_its_text_and_no_tag(text: str) -> None:
    documents, skipped = read_file("markup.json", json.dumps([{"title": "T", "content": text}]).encode())
    assert_storable(documents)
    if documents and "<p>" in text:
        assert "<p>" not in documents[0].text and "</a>" not in documents[0].text
    kept = text.replace("\0", "")  # NULs are dropped: a content of NULs alone is no content
    if "<" not in text and "&" not in text and documents and kept.strip():
        assert documents[0].text == kept.replace("\ud800", "\ufffd")


def test_repeated_and_colliding_record_ids_stay_distinct() -> None:
    """A key made unique by "@line" could collide with a record whose own id spells it."""
    lines = [{"id": "x@3", "body": "First."}, {"id": "x", "body": "Second."}, {"id": "x", "body": "Third."}]
    lines += [{"id": "x", "body": "Fourth."}]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    documents, skipped = read_file("ids.jsonl", data)
    assert skipped == [] and len({d.key for d in documents}) == 4


CONTROL_BYTES = [b for b in range(32) if b not in (9, 10, 12, 13)]


@given(st.integers(400, 8000), st.booleans(), st.randoms(use_true_random=False))
def test_text_is_refused_as_binary_exactly_when_control_bytes_pass_one_percent(
    size: int, over: bool, generator: random.Random
) -> None:
    """Every control byte counts (tab, line breaks and form feed do not), each occurrence once."""
    data = bytearray(generator.choice(b"abc de\tf\n\x0c\r") for _ in range(size))
    limit = size // 100 + 2
    # All in the first third: the middle and end samples see none or all of them, never more.
    for position in generator.sample(range(size // 3), limit + over):
        data[position] = generator.choice(CONTROL_BYTES)
    refused = read_file("a.txt", bytes(data))[1] == [SkippedFile("a.txt", "binary file, not text")]
    assert refused == over
