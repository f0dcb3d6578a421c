"""One bad article never stops a run: each analysis step fails alone, is reported, and is logged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from index import Archive, SearchRequest
from index.analysis import metadata
from index.analysis.metadata import article_id
from index.cli import main
from index.indexing import indexer as indexer_module
from index.indexing import pipeline
from index.indexing import tasks as tasks_module
from index.models import Provenance, RawDocument, SkippedFile
from index.reading.files import FoundFile

from .conftest import failing_extraction
from .test_archive import numbered_articles

VIETNAMESE_ENDING_IN_A_KNOWN_NAME = (
    "# date = 2021-03-04\n\nSinh viên được trao học bổng tại Trường Đại học Công nghệ, Đại học quốc gia Hà Nội"
)


def ferry(i: int) -> str:
    return f"date 2020-02-{i % 28 + 1:02d}\n\nPresident Ilham Aliyev opened ferry line {i} from Baku to Turkmenbashi."


def test_an_article_ending_in_a_known_name_is_indexed_with_its_entities(tmp_path: Path) -> None:
    root = tmp_path / "vi"
    root.mkdir()
    (root / "bai.txt").write_text(VIETNAMESE_ENDING_IN_A_KNOWN_NAME, "utf-8")
    (root / "other.txt").write_text(ferry(1), "utf-8")
    archive = Archive(root)
    summary = archive.update()
    assert (summary.added, summary.skipped, summary.problems) == (2, (), ())
    hit = archive.search(SearchRequest("học bổng")).hits[0]
    assert {m.canonical for m in archive.entities(hit.id)} >= {"Hanoi"}


def test_a_failing_entity_step_leaves_the_article_indexed_without_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = numbered_articles(tmp_path, 6, ferry)
    real_extract = pipeline.entities.extract

    def extract(text: str, language: str, cleaned: bool = False) -> list[object]:
        if "line 3 " in text:
            raise IndexError("list index out of range")
        return real_extract(text, language, cleaned)

    monkeypatch.setattr(pipeline.entities, "extract", extract)
    archive = Archive(root)
    summary = archive.update()
    assert summary.added == 6 and not summary.skipped
    assert [(p.path, p.step, p.error) for p in summary.problems] == [
        ("003.txt", "entities", "IndexError: list index out of range")
    ]
    assert archive.search(SearchRequest('"ferry line 3"')).total == 1
    assert archive.search(SearchRequest('person:"Ilham Aliyev"')).total == 5
    # The problem is still reported by a run that does not read the file again.
    assert [p.path for p in archive.update().problems] == ["003.txt"]


def test_a_failing_inference_keeps_the_text_and_says_what_is_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = numbered_articles(tmp_path, 3, ferry)
    real_infer = pipeline.infer

    def infer(raw: RawDocument, steps: object = None) -> object:
        if raw.path == "001.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real_infer(raw, steps)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "infer", infer)
    archive = Archive(root)
    summary = archive.update()
    assert summary.added == 3
    assert [(p.path, p.step) for p in summary.problems] == [("001.txt", "metadata")]
    hit = archive.search(SearchRequest('"ferry line 1"')).hits[0]
    article = archive.article(hit.id)
    assert (article.title, article.date, article.language) == ("(untitled)", None, "und")


def test_a_failing_inference_step_leaves_only_its_value_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = numbered_articles(
        tmp_path, 3, lambda i: f"BAKU, May {i + 1} - Report {i} on the ferry from Baku, which sailed late again."
    )
    real_date = metadata.date_from_text

    def date_from_text(text: str) -> object:
        if "Report 2 " in text:
            raise ValueError("year 0 is out of range")
        return real_date(text)

    monkeypatch.setattr(metadata, "date_from_text", date_from_text)
    archive = Archive(root)
    summary = archive.update()
    assert [(p.path, p.step, p.error) for p in summary.problems] == [
        ("002.txt", "date", "ValueError: year 0 is out of range")
    ]
    article = archive.article(archive.search(SearchRequest('"report 2"')).hits[0].id)
    assert article.date is None and article.title.startswith("Report 2") and article.language == "en"


def test_an_article_that_cannot_be_indexed_is_skipped_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = numbered_articles(tmp_path, 4, ferry)
    real_postings = pipeline.pre_analysed

    def postings(text: str, language: str) -> object:
        if "line 2 " in text:
            raise MemoryError()
        return real_postings(text, language)

    monkeypatch.setattr(pipeline, "pre_analysed", postings)
    summary = Archive(root).update()
    assert summary.added == 3
    assert [(s.path, s.reason) for s in summary.skipped] == [("002.txt", "indexing failed: MemoryError")]


def test_a_file_the_reader_chokes_on_is_skipped_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = numbered_articles(tmp_path, 4, ferry)
    real_read = pipeline.read_file

    def read_file(relpath: str, data: bytes) -> object:
        if relpath == "000.txt":
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real_read(relpath, data)

    monkeypatch.setattr(pipeline, "read_file", read_file)
    summary = Archive(root).update()
    assert summary.added == 3
    assert summary.skipped[0].path == "000.txt"
    assert summary.skipped[0].reason.startswith("reading failed: UnicodeEncodeError")


def test_a_task_that_fails_as_a_whole_skips_its_files_until_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer_module, "FILES_PER_TASK", 5)
    root = numbered_articles(tmp_path, 15, ferry)
    real_task = indexer_module.write_task
    calls = []

    def write_task(whoosh_dir: str, archive_root: Path, jobs: list[object], *args: object) -> object:
        calls.append(len(jobs))
        if len(calls) == 2:
            raise RuntimeError("a bug in one batch")
        return real_task(whoosh_dir, archive_root, jobs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer_module, "write_task", write_task)
    archive = Archive(root)
    summary = archive.update(workers=1)
    assert summary.added == 10
    assert {s.reason for s in summary.skipped} == {"could not be indexed: RuntimeError: a bug in one batch"}
    assert len(summary.skipped) == 5
    again = archive.update(workers=1)  # The failed files were not recorded as indexed: read again.
    assert (again.added, again.skipped) == (5, ())
    assert archive.search(SearchRequest("ferry")).total == 15


WORKER_FILES = indexer_module.INLINE_LIMIT + 6  # enough for worker processes


def index_with_failing_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], marker: str, failure: str
) -> tuple[Path, str]:
    """Index an archive with `archivist index` whose worker processes run ``failure`` on ``marker``."""
    env = failing_extraction(tmp_path / "inject", marker, failure)
    monkeypatch.setenv("PYTHONPATH", env["PYTHONPATH"])
    root = numbered_articles(tmp_path, WORKER_FILES, ferry)
    assert main(["index", str(root), "--workers", "2"]) == 0
    monkeypatch.delenv("PYTHONPATH")
    return root, capsys.readouterr().out


def test_failures_in_worker_processes_are_isolated_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fault is injected in the spawned workers themselves, through a sitecustomize module."""
    _root, out = index_with_failing_workers(
        tmp_path, monkeypatch, capsys, "line 7 ", "raise ValueError('injected in a worker')"
    )
    assert f"{WORKER_FILES} added" in out
    assert "partly analysed 007.txt (entities): ValueError: injected in a worker" in out
    assert "Details of the failures:" in out
    log = (tmp_path / "userlogs" / "archivist.log").read_text()
    assert "007.txt: entities failed" in log and "Traceback" in log and "injected in a worker" in log


def test_a_file_that_kills_its_worker_is_found_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a native crash or the OOM killer would: the worker analysing one file dies, every time."""
    root, out = index_with_failing_workers(tmp_path, monkeypatch, capsys, "line 9 ", "os._exit(1)")
    assert f"{WORKER_FILES - 1} added" in out
    assert "skipped 009.txt: could not be indexed: the process analysing it died" in out
    archive = Archive(root)
    assert archive.update(workers=1).added == 1  # Tried again, in a healthy process.
    assert archive.search(SearchRequest("ferry")).total == WORKER_FILES


def test_a_file_unreadable_for_a_moment_keeps_its_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = numbered_articles(tmp_path, 4, ferry)
    archive = Archive(root)
    archive.update()
    (root / "002.txt").touch()
    real_read = tasks_module.read_bytes

    def busy(archive_root: Path, relpath: str, fs_relpath: str | None = None) -> object:
        if relpath == "002.txt":
            return SkippedFile(relpath, "cannot be read: Resource temporarily unavailable")
        return real_read(archive_root, relpath, fs_relpath)

    monkeypatch.setattr(tasks_module, "read_bytes", busy)
    summary = archive.update()
    assert [s.path for s in summary.skipped] == ["002.txt"]
    assert archive.search(SearchRequest('"ferry line 2"')).total == 1
    monkeypatch.setattr(tasks_module, "read_bytes", real_read)
    assert archive.update().skipped == ()
    assert archive.search(SearchRequest("ferry")).total == 4


def test_files_analysed_together_come_out_as_each_alone_with_their_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker analyses its files in batches, a phase at a time: each file's outcome (its rows,
    fields, skips, problems) is what it would be on its own, whatever failed in its neighbours."""
    data = Path(__file__).parent / "data"
    files = [(path.name, path.read_bytes()) for folder in (data, data / "hostile") for path in sorted(folder.iterdir())
             if path.is_file()]
    records = [{"id": "a", "title": "Harbour news", "text": "President Ilham Aliyev opened ferry line 2 from Baku."},
               {"id": "b", "title": "Ferry line 3 closes", "text": "The ferry closes."},
               {"id": "c", "title": "Port", "text": "Baku port reopens."}]
    files += [("same-ids.txt", b"Baku ferry"), ("ferry-2.txt", ferry(2).encode()), ("ferry-3.txt", ferry(3).encode()),
              ("unchanged.txt", b"Old news."), ("three.jsonl", "\n".join(map(json.dumps, records)).encode())]
    real_extract, real_postings, real_read = pipeline.entities.extract, pipeline.pre_analysed, pipeline.read_file

    def read_file(relpath: str, data: bytes) -> tuple[list[RawDocument], list[SkippedFile]]:
        if relpath == "same-ids.txt":  # two records under one key: the readers never give that, a crafted file might
            twins = [RawDocument("same-ids.txt#1", relpath, text, {}, Provenance.UNKNOWN, "utf-8") for text in "AB"]
            return twins, []
        return real_read(relpath, data)  # type: ignore[no-any-return]

    def extract(text: str, language: str, cleaned: bool = False) -> list[object]:
        if "line 2 " in text:
            raise IndexError("list index out of range")
        return real_extract(text, language, cleaned)

    def postings(text: str, language: str) -> object:
        if "line 3 " in text:
            raise MemoryError()
        return real_postings(text, language)

    monkeypatch.setattr(pipeline.entities, "extract", extract)
    monkeypatch.setattr(pipeline, "pre_analysed", postings)
    monkeypatch.setattr(pipeline, "read_file", read_file)
    contents: list[tuple[FoundFile, bytes | SkippedFile, str | None]] = [
        (FoundFile(name, len(content), 0, name), content, None) for name, content in files
    ]
    contents = [(found, content, hashlib.sha1(content).hexdigest() if found.relpath == "unchanged.txt" else None)
                for found, content, _ in contents]  # indexed before, as it is: nothing to analyse
    contents.append((FoundFile("gone.txt", 0, 0, "gone.txt"), SkippedFile("gone.txt", "cannot be read"), None))
    corrections = pipeline.UserCorrections()
    together = pipeline.analyse_files(contents, corrections)
    alone = [pipeline.analyse_file(found, content, sha1, corrections) for found, content, sha1 in contents]
    assert together == alone
    outcomes = {read.found.relpath: read for read, _ in together}
    assert [s.reason for s in outcomes["same-ids.txt"].skipped] == ["another article of this file has the same id"]
    assert [p.step for p in outcomes["ferry-2.txt"].problems] == ["entities"]
    assert [s.reason for s in outcomes["ferry-3.txt"].skipped] == ["indexing failed: MemoryError"]
    assert outcomes["unchanged.txt"].rows is None and outcomes["gone.txt"].skipped
    three = outcomes["three.jsonl"]  # within a file: its articles in order, each failing alone
    assert [row[0] for row in three.rows or []] == [article_id("three.jsonl#a"), article_id("three.jsonl#c")]
    assert [(s.path, s.reason) for s in three.skipped] == [("three.jsonl#b", "indexing failed: MemoryError")]
    assert [(p.path, p.step) for p in three.problems] == [("three.jsonl#a", "entities")]
    assert sum(len(fields) for _, fields in together) > 10


MINISTERS = "Ministers met in Paris on Monday to talk about the ferries.\n"


def _places(text: str) -> list[str]:
    """The places the pipeline indexes for a one-article file holding ``text``."""
    content = text.encode()
    [(_, [fields])] = pipeline.analyse_files([(FoundFile("a.txt", len(content), 0, "a.txt"), content, None)],
                                             pipeline.UserCorrections())
    return list(fields.get("place", []))


@pytest.mark.parametrize("failing", ["cleaning", "metadata"])
def test_a_body_left_uncleaned_by_a_failure_still_has_its_debris_lines_passed_over(
    monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    # The name finder trusts a body clean() made to hold no debris; a body read as it is has some.
    text = MINISTERS + "Address: 10 Downing Street, London\nThe talks go on."
    assert _places(text) == ["paris"]

    def fail(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(*((metadata, "clean") if failing == "cleaning" else (pipeline, "infer")), fail)
    assert _places(text) == ["paris"]


def test_a_body_cut_for_the_name_finder_has_its_last_line_judged_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Too long for the copyright pattern whole, the line is kept; cut short, it is debris.
    text = MINISTERS + "© London " + "ferry " * 40 + "\nThe talks go on."
    assert _places(text) == ["london", "paris"]
    monkeypatch.setattr(pipeline, "ENTITY_SEARCH_CHARS", text.index("© London") + 20)
    assert _places(text) == ["paris"]


def test_a_worker_batches_files_by_count_and_size_in_their_order() -> None:
    job = (FoundFile("a", 0, 0, "a"), None)
    small, large = b"x" * 1000, b"x" * (tasks_module.BATCH_BYTES + 1)
    contents = [(job, small)] * (tasks_module.BATCH_FILES + 1)
    contents += [(job, large), (job, SkippedFile("a", "gone")), (job, small)]
    batches = list(tasks_module._batches(iter(contents), lambda: False))
    assert [len(b) for b in batches] == [tasks_module.BATCH_FILES, 1, 1, 2]
    assert [item for batch in batches for item in batch] == contents
    assert list(tasks_module._batches(iter([]), lambda: False)) == []


@pytest.mark.parametrize("count", [0, 1, tasks_module.READ_AHEAD_FILES, 2 * tasks_module.READ_AHEAD_FILES + 5])
def test_files_read_ahead_come_in_order_each_with_its_content(tmp_path: Path, count: int) -> None:
    for number in range(count):
        if number != 3:  # gone since the scan
            (tmp_path / f"{number:03d}.txt").write_text(f"article {number}", "utf-8")
    jobs = [(FoundFile(f"{i:03d}.txt", 0, 0, f"{i:03d}.txt"), None) for i in range(count)]
    with tasks_module._read_ahead(tmp_path, jobs) as contents:
        read = list(contents)
    assert [job for job, _ in read] == jobs
    for number, (_, content) in enumerate(read):
        if number == 3:
            assert isinstance(content, SkippedFile) and content.path == "003.txt"
        else:
            assert content == f"article {number}".encode()


def test_a_cancelled_task_reads_no_more_than_its_read_ahead_and_analyses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = numbered_articles(tmp_path, 200, ferry)
    jobs = [(FoundFile(f"{i:03d}.txt", 0, 0, f"{i:03d}.txt"), None) for i in range(200)]
    read: list[str] = []
    real_read = tasks_module.read_bytes

    def read_bytes(folder: Path, relpath: str, fs_relpath: str) -> bytes | SkippedFile:
        read.append(relpath)
        return real_read(folder, relpath, fs_relpath)

    monkeypatch.setattr(tasks_module, "read_bytes", read_bytes)
    Archive(root).update()  # the index folder the task writes its segment into
    whoosh_dir = next((Archive(root).index_dir / "whoosh").parent.glob("whoosh"))
    reported: list[str] = []
    read.clear()
    stop_after = 3  # files reported before the cancel (in the first batch, all 64 are)
    result = tasks_module.write_task(
        str(whoosh_dir), root, jobs, pipeline.UserCorrections(), reported.append, lambda: len(reported) >= stop_after
    )
    assert result.cancelled and result.segment is None
    assert len(reported) == tasks_module.BATCH_FILES  # the batch under way when the cancel came
    # The batch, the file that showed it full, and the read-ahead beyond: not the 200.
    assert len(read) <= tasks_module.BATCH_FILES + 1 + tasks_module.READ_AHEAD_FILES + 1
    read.clear()
    reported.clear()
    corrections = pipeline.UserCorrections()
    result = tasks_module.write_task(str(whoosh_dir), root, jobs, corrections, reported.append, lambda: True)
    assert result.cancelled and not reported and len(read) <= tasks_module.READ_AHEAD_FILES + 2
