"""User corrections: never lost between writers, always applied in the end, whatever happened between."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import threading
from pathlib import Path

import pytest

from index import Archive, ArchivistError, EntityCorrections, Provenance, SearchRequest
from index.indexing import indexer as indexer_module

from .conftest import ARCHIVIST, ROOT
from .test_archive import dated_ferry_report, numbered_articles


def ids_by_path(archive: Archive) -> dict[str, str]:
    return {h.path: h.id for h in archive.search(SearchRequest("*", page_size=100)).hits}


def test_two_archives_on_one_folder_keep_each_others_corrections(seeds_archive: Archive, seeds_copy: Path) -> None:
    """The app and the CLI each hold an Archive: the second correction must not overwrite the first."""
    other = Archive(seeds_copy)
    ids = ids_by_path(seeds_archive)
    first, second = ids["000_2c1bfdce97085c58.txt"], ids["003_bd1e8cfcfa9b8624.txt"]
    other.correct(first, "source", "Azertac")
    seeds_archive.correct(second, "date", "2019-03-13")
    saved = json.loads(seeds_archive.corrections.path.read_text())
    assert saved == {first: {"source": "Azertac"}, second: {"date": "2019-03-13"}}
    for archive in (seeds_archive, other):
        assert archive.article(first).source == "Azertac"
        assert archive.article(second).date == dt.date(2019, 3, 13)
    other.close()


def test_two_correct_commands_at_once_both_save_and_apply(seeds_archive: Archive, seeds_copy: Path) -> None:
    ids = ids_by_path(seeds_archive)
    seeds_archive.close()
    targets = [ids["000_2c1bfdce97085c58.txt"], ids["001_26e36c22f6df07dc.txt"], ids["003_bd1e8cfcfa9b8624.txt"]]
    commands = [
        subprocess.Popen(
            [*ARCHIVIST, "correct", article_id, "title", f"Title {n}", "--archive", str(seeds_copy)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, article_id in enumerate(targets)
    ]
    for command in commands:
        _out, err = command.communicate(timeout=120)
        assert command.returncode == 0, err
    for n, article_id in enumerate(targets):
        assert seeds_archive.article(article_id).title == f"Title {n}"
    assert seeds_archive.search(SearchRequest("title:Title")).total == 3


def test_a_correction_during_an_indexing_run_neither_aborts_it_nor_is_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer_module, "FILES_PER_TASK", 10)  # Several commits in one run.
    root = numbered_articles(tmp_path, 30, dated_ferry_report)
    archive = Archive(root)
    archive.update(workers=1)
    target = ids_by_path(archive)["005.txt"]
    for i in range(30):
        (root / f"{i:03d}.txt").write_text(dated_ferry_report(i) + " Updated.")
    corrected = threading.Event()

    def correct_meanwhile(done: int, _total: int, _path: str) -> None:
        if done == 12 and not corrected.is_set():  # Between the run's commits, from another thread.
            worker = threading.Thread(target=lambda: archive.correct(target, "date", "1999-09-09"))
            worker.start()
            worker.join(60)
            corrected.set()

    summary = archive.update(progress=correct_meanwhile, workers=1)
    assert corrected.is_set()
    assert (summary.updated, len(summary.skipped)) == (30, 0)
    assert archive.article(target).date == dt.date(1999, 9, 9)
    assert archive.search(SearchRequest("Updated")).total == 30
    assert archive.search(SearchRequest("date:1999")).total == 1


def test_a_correction_saved_but_never_indexed_is_applied_by_the_next_run(seeds_archive: Archive) -> None:
    """As after a crash between saving the correction and committing it."""
    article_id = ids_by_path(seeds_archive)["003_bd1e8cfcfa9b8624.txt"]
    seeds_archive.corrections.path.parent.mkdir(parents=True, exist_ok=True)
    seeds_archive.corrections.path.write_text(json.dumps({article_id: {"language": "vi"}}))
    assert seeds_archive.article(article_id).language == "fr"
    seeds_archive.update()
    article = seeds_archive.article(article_id)
    assert (article.language, article.language_provenance) == ("vi", Provenance.USER)
    seeds_archive.corrections.path.write_text("{}")  # withdrawn by hand
    seeds_archive.update()
    assert seeds_archive.article(article_id).language == "fr"


def test_a_corrections_file_of_the_wrong_shape_does_not_stop_indexing(seeds_archive: Archive) -> None:
    ids = ids_by_path(seeds_archive)
    good, other = ids["000_2c1bfdce97085c58.txt"], ids["001_26e36c22f6df07dc.txt"]
    seeds_archive.corrections.path.parent.mkdir(parents=True, exist_ok=True)
    seeds_archive.corrections.path.write_text(
        json.dumps({good: {"source": "Azertac", "colour": "blue"}, other: ["not", "fields"], "x": {"date": "soon"}})
    )
    summary = seeds_archive.update()
    assert not summary.notes
    assert seeds_archive.article(good).source == "Azertac"
    seeds_archive.corrections.path.write_text("[1, 2, 3]")
    summary = seeds_archive.update()
    assert summary.notes and "cannot be read" in summary.notes[0]
    assert seeds_archive.search(SearchRequest("*")).total == 5
    # A correction made now keeps the unreadable file aside and saves the new one.
    seeds_archive.correct(other, "title", "Kept")
    assert seeds_archive.article(other).title == "Kept"
    assert any(".unreadable-" in p.name for p in seeds_archive.corrections.path.parent.iterdir())


def test_undoing_a_correction_after_the_file_was_deleted(seeds_archive: Archive, seeds_copy: Path) -> None:
    article_id = ids_by_path(seeds_archive)["002_7f849e531bd3e15a.txt"]
    before = seeds_archive.article(article_id)
    seeds_archive.correct(article_id, "date", "2001-01-01")
    (seeds_copy / "002_7f849e531bd3e15a.txt").unlink()
    undone = seeds_archive.correct(article_id, "date", None)
    assert (undone.date, undone.date_provenance) == (before.date, before.date_provenance)
    assert seeds_archive.search(SearchRequest("date:2001")).total == 0
    assert json.loads(seeds_archive.corrections.path.read_text()) == {}


def test_an_invalid_correction_is_refused_and_nothing_is_saved(seeds_archive: Archive) -> None:
    article_id = ids_by_path(seeds_archive)["002_7f849e531bd3e15a.txt"]
    with pytest.raises(ArchivistError, match="not a date"):
        seeds_archive.correct(article_id, "date", "2025-02-30")
    with pytest.raises(ArchivistError, match="cannot be corrected"):
        seeds_archive.correct(article_id, "colour", "blue")
    assert not seeds_archive.corrections.path.exists()


def test_entity_corrections_from_two_archives_are_merged(seeds_archive: Archive, seeds_copy: Path) -> None:
    other = Archive(seeds_copy)
    other.change_entity_corrections(lambda c: c.delete("ORG", "Central Committee"))
    seeds_archive.change_entity_corrections(lambda c: c.rename("PERSON", "To Lam", "Tô Lâm"))
    saved = EntityCorrections.from_dict(json.loads(seeds_archive.entity_corrections_path.read_text()))
    assert saved.deleted == {("ORG", "Central Committee")} and saved.renamed == {("PERSON", "To Lam"): "Tô Lâm"}
    facets = seeds_archive.search(SearchRequest("*")).facets
    assert "Tô Lâm" in {v.value for v in facets["person"].values}
    assert "Central Committee" not in {v.value for v in facets["org"].values}
    other.close()


def test_entity_corrections_saved_but_never_indexed_are_applied_by_the_next_run(seeds_archive: Archive) -> None:
    seeds_archive.entity_corrections_path.parent.mkdir(parents=True, exist_ok=True)
    seeds_archive.entity_corrections_path.write_text(json.dumps({"deleted": [["ORG", "Central Committee"]]}))
    assert "Central Committee" in {v.value for v in seeds_archive.search(SearchRequest("*")).facets["org"].values}
    seeds_archive.update()
    assert "Central Committee" not in {v.value for v in seeds_archive.search(SearchRequest("*")).facets["org"].values}


def test_a_failed_import_leaves_the_shared_file_alone(seeds_archive: Archive, tmp_path: Path) -> None:
    from index.cli import main

    shared = tmp_path / "team.json"
    shared.write_text("{not json")
    assert main(["entity", "import", str(shared), "--archive", str(seeds_archive.root)]) == 1
    assert shared.read_text() == "{not json"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("team")] == ["team.json"]


def test_an_entity_renamed_merged_or_retyped_is_still_found_by_its_old_name(seeds_archive: Archive) -> None:
    def found(query: str) -> int:
        return seeds_archive.search(SearchRequest(query)).total

    heydar, ilham = found('person:"Heydar Aliyev"'), found('person:"Ilham Aliyev"')
    assert heydar and ilham
    seeds_archive.change_entity_corrections(lambda c: c.merge("PERSON", "Ilham Aliyev", "Heydar Aliyev"))
    merged = found('person:"Heydar Aliyev"')
    assert found('person:"Ilham Aliyev"') == merged >= max(heydar, ilham)
    seeds_archive.change_entity_corrections(lambda c: c.rename("PERSON", "Heydar Aliyev", "Heydar Əliyev"))
    assert found('person:"Ilham Aliyev"') == found('person:"Heydar Aliyev"') == found('person:"Heydar Əliyev"')
    seeds_archive.change_entity_corrections(lambda c: c.retype("PLACE", "Hanoi", "ORG"))
    assert found("place:Hanoi") == found("org:Hanoi") > 0
    # ``archivist entity`` follows the corrections too: an old name finds what it became, which lists it.
    info = seeds_archive.entity("Ilham Aliyev")
    assert info.name == "Heydar Əliyev" and {"Ilham Aliyev", "Heydar Aliyev"} <= set(info.aliases)
    assert seeds_archive.entity("Hanoi").type == "ORG"


def test_many_articles_corrected_at_once_and_undone_to_what_they_were(seeds_archive: Archive) -> None:
    ids = sorted(ids_by_path(seeds_archive).values())
    seeds_archive.correct(ids[0], "source", "Azertac")  # corrected before: undo must bring this back
    before = {article_id: seeds_archive.article(article_id) for article_id in ids}
    previous = seeds_archive.correct_many({article_id: {"source": "Vietnam News Agency"} for article_id in ids[:3]})
    assert previous == {ids[0]: {"source": "Azertac"}, ids[1]: {"source": None}, ids[2]: {"source": None}}
    assert seeds_archive.search(SearchRequest("source:\"Vietnam News Agency\"")).total == 3
    assert all(seeds_archive.article(i).source_provenance is Provenance.USER for i in ids[:3])
    seeds_archive.correct_many(previous)  # undo
    for article_id in ids:
        article = seeds_archive.article(article_id)
        assert (article.source, article.source_provenance) == (before[article_id].source,
                                                               before[article_id].source_provenance)


def test_a_bulk_correction_with_one_bad_value_or_id_changes_nothing(seeds_archive: Archive) -> None:
    ids = sorted(ids_by_path(seeds_archive).values())
    saved = seeds_archive.corrections.path.read_bytes() if seeds_archive.corrections.path.exists() else b""
    with pytest.raises(ArchivistError):
        seeds_archive.correct_many({ids[0]: {"date": "2025-05-07"}, ids[1]: {"date": "the day after"}})
    with pytest.raises(ArchivistError):
        seeds_archive.correct_many({ids[0]: {"date": "2025-05-07"}, "no-such-article": {"date": "2025-05-07"}})
    now = seeds_archive.corrections.path.read_bytes() if seeds_archive.corrections.path.exists() else b""
    assert now == saved


def test_two_bulk_corrections_at_once_both_keep_what_they_set(seeds_archive: Archive, seeds_copy: Path) -> None:
    ids = sorted(ids_by_path(seeds_archive).values())
    other = Archive(seeds_copy)  # the app and the command line, each with its own Archive
    writers = [
        threading.Thread(target=archive.correct_many, args=({i: {"language": code} for i in chosen},))
        for archive, chosen, code in ((seeds_archive, ids[:2], "de"), (other, ids[2:], "es"))
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    saved = json.loads(seeds_archive.corrections.path.read_text())
    assert saved == {i: {"language": "de" if i in ids[:2] else "es"} for i in ids}
    assert seeds_archive.search(SearchRequest("language:de")).total == 2
    other.close()


def test_an_undo_puts_back_only_what_nobody_corrected_since(seeds_archive: Archive) -> None:
    ids = sorted(ids_by_path(seeds_archive).values())
    applied = {article_id: {"date": "2011-05-07"} for article_id in ids[:3]}
    previous = seeds_archive.correct_many(applied)
    seeds_archive.correct(ids[0], "date", "2012-01-01")  # corrected again since
    undone = seeds_archive.correct_many(previous, expected=applied)
    assert set(undone) == {ids[1], ids[2]}
    assert seeds_archive.article(ids[0]).date == dt.date(2012, 1, 1)
    assert all(seeds_archive.article(i).date != dt.date(2011, 5, 7) for i in ids[1:3])
    assert seeds_archive.correct_many({"gone": {"date": None}}, expected={"gone": {"date": "2011-05-07"}}) == {}
