"""The archivist command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.cli import main


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
    assert set(result) == {"total", "hits", "facets", "timeline"}
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
    assert "is not a folder" in capsys.readouterr().err


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
