"""The archivist command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from index import Archive, SearchRequest
from index.cli import main

from .conftest import ARCHIVIST, ROOT


def test_index_then_search_json(seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(seeds_copy)]) == 0
    assert "5 added" in capsys.readouterr().out
    assert main(["search", "Hanoi", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == 3
    assert set(result["hits"][0]) >= {
        "id",
        "path",
        "title",
        "date",
        "date_provenance",
        "source",
        "source_provenance",
        "language",
        "score",
        "snippet",
    }
    assert set(result) == {"total", "also_matched", "hits", "facets", "timeline"}
    assert main(["search", "*", "--lang", "fr", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1
    assert main(["search", "--source", "Trend", "--sort", "date", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1


def test_show_facets_and_errors(seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["index", str(seeds_copy)])
    capsys.readouterr()
    assert main(["facets", "--json"]) == 0
    facets = json.loads(capsys.readouterr().out)["facets"]
    assert facets["language"]["values"] == {"en": 4, "fr": 1}
    main(["search", "Azerbaidjan", "--json", "--archive", str(seeds_copy)])
    article_id = json.loads(capsys.readouterr().out)["hits"][0]["id"]
    assert main(["show", article_id]) == 0
    assert "date: 2019-03-12 (text)" in capsys.readouterr().out
    assert main(["search", "Hanoi AND ("]) == 2
    assert "'(' is not closed" in capsys.readouterr().err
    assert main(["show", "nope"]) == 1
    assert main(["index", str(seeds_copy / "missing")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_no_archive_yet(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Hanoi"]) == 1
    assert "--archive" in capsys.readouterr().err


def test_entity_commands(seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["index", str(seeds_copy)])
    capsys.readouterr()
    assert main(["entities", "--type", "person", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["person"]["values"]["To Lam"] == 2
    assert main(["entity", "info", "CPCV"]) == 0
    assert "Communist Party of Vietnam (org): 3 articles" in capsys.readouterr().out
    assert main(["entity", "delete", "org", "Central Committee"]) == 0
    assert "3 articles re-indexed" in capsys.readouterr().out
    assert main(["entity", "rename", "person", "Nobody Known", "X"]) == 1
    assert "no article names" in capsys.readouterr().err
    shared = tmp_path / "team-corrections.json"
    assert main(["entity", "export", str(shared)]) == 0
    assert json.loads(shared.read_text())["deleted"] == [["ORG", "Central Committee"]]
    shared.write_text(json.dumps({"deleted": []}))
    assert main(["entity", "import", str(shared)]) == 0
    capsys.readouterr()
    assert main(["entities", "--type", "org", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["org"]["values"]["Central Committee"] == 3


def test_a_closed_pipe_ends_the_command_quietly(seeds_copy: Path) -> None:
    main(["index", str(seeds_copy)])
    reader = subprocess.Popen(
        [*ARCHIVIST, "search", "*", "--limit", "5", "--archive", str(seeds_copy)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None
    reader.stdout.read(10)
    reader.stdout.close()  # as `| head -c 10` does
    _out, err = reader.communicate(timeout=60)
    assert reader.returncode in (0, 141)
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_foreseeable_errors_are_one_line_and_a_non_zero_status(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    assert main(["--data-dir", str(a_file / "data"), "index", str(seeds_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("archivist: not a directory") and err.count("\n") == 1
    assert main(["index", str(a_file)]) == 1
    assert "is a file; an archive is a folder" in capsys.readouterr().err
    assert main(["search", "x", "--archive", str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert "has not been indexed" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "x", "--limit", "-5000"])
    assert exit_info.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def test_a_malformed_record_of_the_last_archive_is_no_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "userdata"
    data.mkdir(parents=True, exist_ok=True)
    for content in ("[]", '{"archive": 5}', "{", '"x"', "null"):
        (data / "last_archive.json").write_text(content)
        assert main(["search", "Hanoi"]) == 1
        assert "pass --archive PATH" in capsys.readouterr().err


def test_the_archive_may_follow_an_entity_action(seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["index", str(seeds_copy)])
    (seeds_copy.parent / "userdata" / "last_archive.json").unlink()
    capsys.readouterr()
    assert main(["entity", "info", "CPCV", "--archive", str(seeds_copy)]) == 0
    assert "Communist Party of Vietnam" in capsys.readouterr().out
    assert main(["entity", "--archive", str(seeds_copy), "info", "CPCV"]) == 0


def test_article_text_never_reaches_the_terminal_as_control_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "hostile"
    root.mkdir()
    # Clear the screen, retitle the window, write the clipboard (OSC 52), and an 8-bit CSI.
    nasty = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x9b31m"
    long_enough = " The ferry carried trucks and passengers across the Caspian Sea." * 20  # not taken for binary
    (root / "a.txt").write_text(
        f"title: Ferry {nasty} news\n\nThe ferry {nasty} sailed from Baku.{long_enough}", "utf-8"
    )
    assert main(["index", str(root)]) == 0
    for command in (["search", "ferry"], ["search", "ferry", "--json"], ["facets", "ferry"]):
        assert main([*command, "--archive", str(root)]) == 0
        out = capsys.readouterr().out
        assert "1 article matches" in out or '"total": 1' in out
        assert not any(ch in out for ch in "\x1b\x07\x9b"), command
    article_id = Archive(root).search(SearchRequest("ferry")).hits[0].id
    assert main(["show", article_id, "--archive", str(root)]) == 0
    out = capsys.readouterr().out
    assert "\\x1b[2J" in out and not any(ch in out for ch in "\x1b\x07\x9b")
    assert main(["show", article_id, "--json", "--archive", str(root)]) == 0
    shown = capsys.readouterr().out
    assert not any(ch in shown for ch in "\x1b\x07\x9b")
    assert json.loads(shown)["body"].startswith("The ferry \x1b[2J")  # JSON still carries the exact text.


def test_an_unexpected_error_is_one_line_pointing_to_the_log(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["index", str(seeds_copy)])
    capsys.readouterr()

    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Archive, "search", broken)
    assert main(["search", "x"]) == 70
    err = capsys.readouterr().err
    assert err.startswith("archivist: unexpected error (RuntimeError); details are in ") and err.count("\n") == 1
    log = (seeds_copy.parent / "userlogs" / "archivist.log").read_text()
    assert "Traceback" in log and "RuntimeError: a bug" in log


def test_indexing_another_folder_says_later_commands_use_it(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("A ferry crossed the Caspian Sea to Baku.", "utf-8")
    assert main(["index", str(seeds_copy)]) == 0
    assert "now use" not in capsys.readouterr().out  # the first archive: nothing changes under the user
    assert main(["index", str(other)]) == 0
    assert f"Commands without --archive now use {other} (they used {seeds_copy})." in capsys.readouterr().out
    assert main(["index", str(other)]) == 0
    assert "now use" not in capsys.readouterr().out
