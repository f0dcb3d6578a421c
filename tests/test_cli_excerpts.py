"""`archivist excerpts`: add, list, edit, move, remove, export, import, baskets; and its errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from index.cli import main

from .conftest import ARCHIVIST

TREND = "79176bed9816940d"  # seeds/002, Trend
VNA = "594033a850014bf7"  # seeds/003, the French report


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def added_id(out: str) -> str:
    return out.split(":", 1)[0]


def test_collect_edit_and_export_a_basket(seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "index", str(seeds_copy))
    status, out, _ = run(
        capsys,
        "excerpts",
        "add",
        TREND,
        "--start",
        "25",
        "--end",
        "73",
        "--note",
        "who met",
        "--tag",
        "visit",
        "--tag",
        "=danger",
        "--query",
        "Asadov",
    )
    assert status == 0 and "added to basket 'Excerpts'" in out and "Azerbaijan's Prime Minister" in out
    first = added_id(out)
    second = added_id(run(capsys, "excerpts", "add", VNA, "--start", "0", "--end", "40")[1])
    status, out, err = run(capsys, "excerpts", "add", VNA, "--start", "5", "--end", "9", "--basket", "Projet Bakou")
    assert err == "archivist: basket 'Projet Bakou' is new (the others: Excerpts)\n"  # a typo shows at once
    other = added_id(out)
    assert run(capsys, "excerpts", "baskets")[1].split() == ["2", "Excerpts", "1", "Projet", "Bakou"]

    assert run(capsys, "excerpts", "move", second, "1")[0] == 0
    assert run(capsys, "excerpts", "edit", first, "--note", "le Premier ministre", "--tag", "visite")[0] == 0
    listed = json.loads(run(capsys, "excerpts", "list", "--json")[1])
    assert [e["id"] for e in listed] == [second, first]
    record = listed[1]
    assert record["text"] == "Azerbaijan's Prime Minister Ali Asadov has met w"
    assert (record["start"], record["end"], record["article_id"], record["query"]) == (25, 73, TREND, "Asadov")
    assert (record["note"], record["tags"], record["flag"]) == ("le Premier ministre", ["visite"], None)
    assert set(record) >= {
        "path",
        "archive",
        "title",
        "source",
        "relayed_source",
        "date",
        "date_provenance",
        "language",
        "url",
        "author",
        "taken",
        "citation",
    }
    assert "Trend, 8 May 2025" in run(capsys, "excerpts", "list")[1]

    for name in ("md", "csv", "json", "csl-json", "ris", "bibtex", "docx"):
        status, out, err = run(capsys, "excerpts", "export", "--format", name, "-o", str(tmp_path / f"out.{name}"))
        assert status == 0 and "2 excerpts of basket 'Excerpts' written" in out, err
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    assert [row["id"] for row in rows] == [second, first]

    assert run(capsys, "excerpts", "import", str(tmp_path / "out.json"), "--basket", "Copie")[1].startswith(
        "2 excerpts imported into basket 'Copie'"
    )
    assert (
        "0 excerpts imported" in run(capsys, "excerpts", "import", str(tmp_path / "out.json"), "--basket", "Copie")[1]
    )
    copied = json.loads(run(capsys, "excerpts", "list", "--json", "--basket", "Copie")[1])
    assert copied == listed

    assert run(capsys, "excerpts", "remove", other)[1].startswith(f"{other}: removed from basket 'Projet Bakou'")
    assert json.loads(run(capsys, "excerpts", "list", "--json", "--basket", "Projet Bakou")[1]) == []


def test_an_excerpt_of_a_deleted_article_is_kept_and_flagged(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "index", str(seeds_copy))
    run(capsys, "excerpts", "add", VNA, "--start", "0", "--end", "40")
    path = json.loads(run(capsys, "show", VNA, "--json")[1])["path"]
    (seeds_copy / path).unlink()
    run(capsys, "index", str(seeds_copy))
    (record,) = json.loads(run(capsys, "excerpts", "list", "--json")[1])
    assert record["flag"] == "its article is no longer in the archive" and record["text"].startswith("Le Vietnam")
    status, out, _ = run(capsys, "excerpts", "export", "--format", "md", "-o", str(tmp_path / "x.md"))
    assert status == 0 and "(1 flagged: its article changed or is gone)" in out
    assert "Flagged: its article is no longer in the archive." in (tmp_path / "x.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "nope", "--start", "0", "--end", "4"], "no article with id nope"),
        (["add", TREND, "--start", "10", "--end", "5"], "characters 10-5 are not a passage"),
        (["add", TREND, "--start", "0", "--end", "999999"], "its body has 1964 characters"),
        (["add", TREND, "--start", "0", "--end", "5", "--basket", "  "], "a basket's name must be"),
        (["remove", "nosuch"], "no basket holds an excerpt 'nosuch'"),
        (["list", "--basket", "Typo"], "no basket is called 'Typo'"),
        (["export", "--format", "md", "-o", "/nonexistent-folder/x.md"], "the folder /nonexistent-folder does not"),
        (["import", "/nonexistent-file.json"], "cannot read /nonexistent-file.json"),
    ],
)
def test_mistakes_are_one_line_and_a_non_zero_status(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    run(capsys, "index", str(seeds_copy))
    status, out, err = run(capsys, "excerpts", *args)
    assert status == 1 and out == ""
    assert message in err and err.count("\n") == 1
    assert not Path("/nonexistent-folder").exists()


def test_an_import_of_a_malformed_file_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "x", "article_id": "a1"}]), "utf-8")
    status, _, err = run(capsys, "excerpts", "import", str(bad))
    assert status == 1 and "excerpt 1: an excerpt has no 'text'" in err
    not_json = tmp_path / "notes.txt"
    not_json.write_text("hello", "utf-8")
    assert "is not a JSON file" in run(capsys, "excerpts", "import", str(not_json))[2]
    assert run(capsys, "excerpts", "baskets")[1].split() == ["0", "Excerpts"]


def test_an_unknown_format_is_refused_by_the_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [*ARCHIVIST, "excerpts", "export", "--format", "xls", "-o", str(tmp_path / "x")], capture_output=True, text=True
    )
    assert done.returncode == 2 and "invalid choice: 'xls'" in done.stderr
    assert not (tmp_path / "x").exists()


def test_exports_are_shareable_files_and_imports_say_where_they_came_from(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "index", str(seeds_copy))
    run(capsys, "excerpts", "add", TREND, "--start", "25", "--end", "76", "--basket", "Projet Bakou")
    exported = tmp_path / "bakou.json"
    run(capsys, "excerpts", "export", "--basket", "Projet Bakou", "--format", "json", "-o", str(exported))
    umask = os.umask(0o022)
    os.umask(umask)
    assert exported.stat().st_mode & 0o777 == 0o666 & ~umask  # not the private mode of a temporary file
    out = run(capsys, "excerpts", "import", str(exported))[1]
    assert (
        out == "1 excerpt imported into basket 'Excerpts' (exported from basket 'Projet Bakou'; --basket NAME "
        "imports into another)\n"
    )
    csl = tmp_path / "bakou-csl.json"
    run(capsys, "excerpts", "export", "--basket", "Projet Bakou", "--format", "csl-json", "-o", str(csl))
    status, _, err = run(capsys, "excerpts", "import", str(csl))
    assert status == 1 and "is not a JSON export of Archivist excerpts" in err
    second = added_id(run(capsys, "excerpts", "add", TREND, "--start", "0", "--end", "4")[1])
    assert run(capsys, "excerpts", "move", second, "99")[1] == f"{second}: now number 2 in basket 'Excerpts'\n"
    assert run(capsys, "excerpts", "move", second, "1")[1] == f"{second}: now number 1 in basket 'Excerpts'\n"


def test_an_excerpt_copied_into_two_baskets_is_changed_where_the_user_means(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "index", str(seeds_copy))
    first = added_id(run(capsys, "excerpts", "add", TREND, "--start", "0", "--end", "4", "--basket", "Projet")[1])
    exported = tmp_path / "projet.json"
    run(capsys, "excerpts", "export", "--basket", "Projet", "--format", "json", "-o", str(exported))
    run(capsys, "excerpts", "import", str(exported), "--basket", "Copie")
    status, _, err = run(capsys, "excerpts", "remove", first)
    assert status == 1 and "is in several baskets ('Copie', 'Projet'); say which with --basket" in err
    run(capsys, "excerpts", "import", str(exported))  # now the default basket holds it too: it is the one meant
    assert run(capsys, "excerpts", "remove", first)[1].startswith(f"{first}: removed from basket 'Excerpts'")
    assert "removed from basket 'Copie'" in run(capsys, "excerpts", "remove", first, "--basket", "Copie")[1]


def test_by_article_is_refused_where_it_means_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "excerpts", "export", "--format", "csv", "--by-article", "-o", str(tmp_path / "x"))
    assert status == 2 and err == (
        "archivist: --by-article applies to md, txt, docx (the reference formats always hold one record per article)\n"
    )
    assert not (tmp_path / "x").exists()
