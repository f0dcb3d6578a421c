"""Killed runs, damaged files, full disks and concurrent processes: the index recovers and nothing is lost.

Faults are injected into real ``archivist`` processes: SIGKILL at each of dozens of points of an
indexing run (inside commits, merges, column and file writes), at random moments with worker
processes, and files of the index truncated or garbled on disk.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import Archive, IndexDamagedError, IndexWriteError, SearchRequest
from index.cli import main
from index.errors import IndexChangedError
from index.indexing.updates import update_articles
from index.storage import commits as commits_module
from index.storage import frequent as frequent_module
from index.storage.generations import generation_files, read_toc
from index.storage.layout import COLUMNS_FILE, DAMAGE_FILE, STORE_FILE, WHOOSH_DIR
from index.storage.store import ArticleStore

from .conftest import ARCHIVIST, ROOT, injected_into_processes

# Runs `archivist index` with every call of the functions below counted, killing the process
# (SIGKILL, no clean-up of any kind) at call number KILL_AT; with KILL_AT=0 it prints the count.
KILLING_HARNESS = """
import atexit, os, signal, sys
import index.atomic as atomic, index.storage.commits as commits, index.storage.store as store
import index.indexing.indexer as indexer
from whoosh.index import TOC
from whoosh.writing import SegmentWriter

kill_at, calls = int(os.environ["KILL_AT"]), 0

def counted(owner, name):
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(owner, name, wrapper)

for owner, name in [
    (commits.Commit, "record"), (commits.Commit, "delete_file"), (commits.Commit, "finish"),
    (store.ArticleStore, "put_rows"), (store.ArticleStore, "set_meta"), (TOC, "write"),
    (commits, "_add_reader"), (SegmentWriter, "_finalize_segment"), (atomic, "fsync_path"), (indexer, "keep_scan"),
    (commits, "flush_generation"), (commits, "save_columns"), (commits, "remove_unused_files"),
    (indexer, "remove_unused_files"), (indexer, "write_columns"), (commits, "write_columns"),
]:
    counted(owner, name)
indexer.FILES_PER_TASK = 4
if not kill_at:
    atexit.register(lambda: print("CALLS", calls))
from index.cli import main
sys.exit(main(sys.argv[1:]))
"""


def write_archive(root: Path, versions: dict[str, str]) -> None:
    for name, text in versions.items():
        (root / name).write_text(text, "utf-8")


def first_state(root: Path) -> None:
    root.mkdir()
    write_archive(
        root, {f"{i:02d}.txt": f"date 2020-01-{i % 28 + 1:02d}\n\nOld report {i} on the ferry." for i in range(24)}
    )


def second_state(root: Path) -> dict[str, str]:
    """Edit, delete and add files; return what each file holds now (its marker word)."""
    for i in range(6):
        (root / f"{i:02d}.txt").write_text(f"date 2021-05-0{i + 1}\n\nEdited report {i} on the pipeline.", "utf-8")
    for i in (20, 21, 22):
        (root / f"{i:02d}.txt").unlink()
    write_archive(root, {f"new{i}.txt": f"date 2022-02-0{i + 1}\n\nNew report {i} on the railway." for i in range(5)})
    return {p.name: p.read_text("utf-8") for p in root.iterdir()}


def assert_consistent(archive: Archive, root: Path) -> None:
    """Every article at most once; each file's articles are its old or its new version, whole."""
    result = archive.search(SearchRequest("*", page_size=500))
    ids = [hit.id for hit in result.hits]
    assert len(ids) == len(set(ids)) == result.total
    store = ArticleStore(archive.index_dir / STORE_FILE)
    try:
        assert store.count() >= result.total  # The store may be a commit ahead of the columns searches use.
        toc = read_toc(archive.index_dir / WHOOSH_DIR, int(store.get_meta("generation") or 0))
        assert sum(segment.doc_count() for segment in toc.segments) == store.count()
    finally:
        store.close()
    for hit in result.hits:
        body = archive.article(hit.id).body
        assert body.lower().count("report") == 1, body


def assert_final(archive: Archive, expected: dict[str, str]) -> None:
    result = archive.search(SearchRequest("*", page_size=500))
    assert sorted(hit.path for hit in result.hits) == sorted(expected)
    for hit in result.hits:
        assert archive.article(hit.id).body in expected[hit.path]
    assert archive.search(SearchRequest("Edited")).total == 6
    assert archive.search(SearchRequest("railway")).total == 5
    folder = archive.index_dir / WHOOSH_DIR
    store = ArticleStore(archive.index_dir / STORE_FILE)
    try:
        needed = set(generation_files(folder, read_toc(folder, int(store.get_meta("generation") or 0))))
    finally:
        store.close()
    left = {p.name for p in folder.iterdir()} - needed - {"MAIN_WRITELOCK"}
    assert not left, f"files left behind: {left}"


def run_killed(root: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", KILLING_HARNESS, "index", str(root), "--workers", "1"],
        env={**os.environ, "KILL_AT": str(kill_at)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_run_killed_at_any_point_leaves_a_usable_index_and_the_next_run_finishes_it(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    first_state(root)
    Archive(root).update(workers=1)
    data, baseline = Path(os.environ["ARCHIVIST_DATA_DIR"]), tmp_path / "baseline"
    shutil.copytree(data, baseline)

    def back_to_the_first_index_and_the_second_files() -> dict[str, str]:
        shutil.rmtree(data)
        shutil.copytree(baseline, data)
        shutil.rmtree(root)
        first_state(root)
        return second_state(root)

    back_to_the_first_index_and_the_second_files()
    run_killed(root, 0)  # fills the user's cache of derived data, which later runs then only read
    back_to_the_first_index_and_the_second_files()
    counting = run_killed(root, 0)
    assert counting.returncode == 0, counting.stderr
    calls = int(counting.stdout.split("CALLS")[-1])
    assert calls > 40  # Dozens of points: inside commits, merges, column writes and clean-ups.
    # Every point takes a few seconds: the suite tries a fixed spread of them, and
    # ARCHIVIST_EVERY_KILL_POINT=1 all of them (all passed when this test was written).
    points = list(range(1, calls + 1))
    if not os.environ.get("ARCHIVIST_EVERY_KILL_POINT"):
        points = sorted({1, calls, *random.Random(9).sample(points, min(calls, 18))})
    for kill_at in points:
        expected = back_to_the_first_index_and_the_second_files()
        killed = run_killed(root, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
        archive = Archive(root)
        assert_consistent(archive, root)
        waited: list[str] = []
        summary = archive.update(workers=1, on_wait=waited.append)
        assert not waited  # The killed run's locks died with it.
        assert summary.rebuilt == "", (kill_at, summary.rebuilt)  # Resumed, not rebuilt.
        assert_final(archive, expected)
        archive.close()


def test_runs_killed_at_random_moments_with_worker_processes(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    count = 160
    write_archive(
        root, {f"{i:03d}.txt": f"date 2020-01-0{i % 9 + 1}\n\nReport {i} on the ferry." for i in range(count)}
    )
    rng = random.Random(20261202)
    harness = KILLING_HARNESS.replace("indexer.FILES_PER_TASK = 4", "indexer.FILES_PER_TASK = 12")
    for round_number in range(6):
        for i in rng.sample(range(count), 20):
            (root / f"{i:03d}.txt").write_text(
                f"date 2021-01-0{i % 9 + 1}\n\nReport {i} on the ferry, round {round_number}."
            )
        process = subprocess.Popen(
            [sys.executable, "-c", harness, "index", str(root), "--workers", "2"],
            env={**os.environ, "KILL_AT": "-1"},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.5, 4.0))
        process.kill()
        process.wait(30)
        assert_no_orphans(process.pid)
        archive = Archive(root)
        assert_consistent(archive, root)
        archive.close()
    archive = Archive(root)
    summary = archive.update(workers=2)
    assert summary.rebuilt == ""
    assert archive.search(SearchRequest("ferry")).total == count


def assert_no_orphans(session: int, within: float = 10.0) -> None:
    """No process of the killed run's session is left (its workers end when their parent dies)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        left = [pid for pid in os.listdir("/proc") if pid.isdigit() and _session_of(int(pid)) == session]
        if not left:
            return
        time.sleep(0.2)
    raise AssertionError(f"processes of the killed run still running: {left}")


def _session_of(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except OSError:
        return None


def slow_workers(tmp_path: Path, seconds_per_file: float) -> dict[str, str]:
    """An environment whose processes, workers included, take at least this long per file."""
    return injected_into_processes(
        tmp_path / "slow",
        "import time, index.indexing.tasks as m\n"  # the name worker tasks call
        "_real = m.analyse_files\n"
        f"m.analyse_files = lambda files, *a: (time.sleep({seconds_per_file} * len(files)), _real(files, *a))[1]\n",
    )


def test_sigterm_and_ctrl_c_stop_a_run_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    write_archive(root, {f"{i:03d}.txt": f"Report {i} on the ferry." for i in range(400)})
    slow = slow_workers(tmp_path, 0.03)  # 6 s in all for two workers: stopped long before the end.
    for stop in (signal.SIGTERM, signal.SIGINT):
        process = subprocess.Popen(
            [*ARCHIVIST, "index", str(root), "--workers", "2"],
            cwd=ROOT,
            env=slow,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        time.sleep(2.5)
        os.killpg(process.pid, stop)  # As a terminal's Ctrl-C reaches the whole process group.
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert "Traceback" not in err
        assert "Stopped before the end" in out
        assert_no_orphans(process.pid)
    archive = Archive(root)
    assert archive.update().rebuilt == ""
    assert archive.search(SearchRequest("ferry")).total == 400


def test_two_index_runs_at_once_index_every_article_once(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    write_archive(root, {f"{i:03d}.txt": f"Report {i} on the ferry." for i in range(300)})
    runs = [
        subprocess.Popen(
            [*ARCHIVIST, "index", str(root)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    added = sorted(int(out.split(": ")[1].split(" added")[0]) for out, _err in outputs)
    assert added == [0, 300]  # The second waited, then found nothing left to do.
    assert any("waiting: another Archivist" in err for _out, err in outputs)
    archive = Archive(root)
    assert archive.search(SearchRequest("*")).total == 300
    summary = archive.update()
    assert (summary.rebuilt, summary.added, summary.unchanged) == ("", 0, 300)


@pytest.fixture
def indexed(seeds_archive: Archive) -> Archive:
    seeds_archive.close()
    return seeds_archive


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garble":
        path.write_bytes(bytes(b ^ 0x5A for b in data[:4096]) + data[4096:])
    else:
        path.unlink()


@pytest.mark.parametrize(
    ("part", "how"),
    [
        (COLUMNS_FILE, "truncate"),
        (COLUMNS_FILE, "garble"),
        (COLUMNS_FILE, "delete"),
        ("segment", "truncate"),
        ("segment", "garble"),
        ("segment", "delete"),
        ("toc", "garble"),
        ("toc", "delete"),
        (STORE_FILE, "garble"),
        (STORE_FILE, "truncate"),
        (STORE_FILE, "delete"),
        ("frequent", "truncate"),
        ("frequent", "garble"),
        ("term filter", "truncate"),
        ("term filter", "garble"),  # same size: its checksum fails, every term is looked up
        ("term filter", "delete"),
    ],
)
def test_damaged_index_files_are_detected_and_rebuilt_from_the_archive(
    indexed: Archive, part: str, how: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if part == "frequent":  # no term of five articles is frequent enough to be kept as arrays: make all be
        monkeypatch.setattr(frequent_module, "FREQUENT_MIN_DF", 1)
        monkeypatch.setattr(frequent_module, "FREQUENT_MIN_DF_BY_FIELD", {})
        shutil.rmtree(indexed.index_dir)
        indexed.update(workers=1)
        indexed.close()
    hit = indexed.search(SearchRequest("Azerbaidjan")).hits[0]
    indexed.correct(hit.id, "title", "My title")
    corrections = indexed.corrections.path.read_text()
    indexed.close()
    folder = indexed.index_dir / WHOOSH_DIR
    targets = {
        "segment": sorted(folder.glob("*.seg"), key=lambda p: p.stat().st_size)[-1:],
        "toc": sorted(folder.glob("*.toc")),
        "frequent": sorted(folder.glob("*.frq")),
        "term filter": sorted(folder.glob("*.tfl")),
    }.get(part, [indexed.index_dir / part])
    assert targets
    for target in targets:
        damage(target, how)
    # Reading says what is wrong in one line, never a traceback...
    status = main(["search", "Hanoi", "--archive", str(indexed.root)])
    err = capsys.readouterr().err
    if status:
        assert err.startswith("archivist: ") and err.count("\n") == 1 and "Traceback" not in err
        assert "index" in err
    # ...and indexing rebuilds, keeping the user's corrections.
    summary = indexed.update()
    assert summary.added == 5 or summary.rebuilt == "" and summary.unchanged == 5
    assert indexed.search(SearchRequest("Hanoi")).total == 3
    assert indexed.article(hit.id).title == "My title"
    assert indexed.corrections.path.read_text() == corrections


def test_reading_a_damaged_index_raises_a_damage_error(indexed: Archive) -> None:
    folder = indexed.index_dir / WHOOSH_DIR
    for segment in folder.glob("*.seg"):
        damage(segment, "truncate")
    with pytest.raises(IndexDamagedError, match="index the archive again"):
        indexed.search(SearchRequest("Hanoi"))


def test_a_full_disk_during_indexing_leaves_the_previous_index_and_no_debris(
    seeds_archive: Archive, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_archive(seeds_copy, {f"new{i}.txt": f"Report {i} on the Caspian ferry." for i in range(8)})
    from whoosh.filedb import structfile

    real_write = structfile.StructFile.write

    def full(self: object, data: bytes) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(structfile.StructFile, "write", full)
    with pytest.raises(IndexWriteError, match="the disk is full.*intact"):
        seeds_archive.update()
    monkeypatch.setattr(structfile.StructFile, "write", real_write)
    folder = seeds_archive.index_dir / WHOOSH_DIR
    assert not list(folder.glob("*.tmp"))
    assert seeds_archive.search(SearchRequest("*")).total == 5
    assert seeds_archive.update().added == 8
    assert seeds_archive.search(SearchRequest("Caspian")).total == 8


def test_a_full_disk_while_saving_a_correction_says_so_and_keeps_the_previous_state(
    seeds_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    hit = seeds_archive.search(SearchRequest("Azerbaidjan")).hits[0]
    seeds_archive.correct(hit.id, "title", "First")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("index.userdata.files.write_atomically", full)
    with pytest.raises(Exception, match="could not save your corrections .*the disk is full"):
        seeds_archive.correct(hit.id, "title", "Second")
    assert seeds_archive.article(hit.id).title == "First"


def test_a_store_that_cannot_commit_is_reported_as_a_write_error(
    seeds_archive: Archive, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (seeds_copy / "extra.txt").write_text("Report on the Caspian ferry.")

    def full(self: ArticleStore, *_args: object, **_kwargs: object) -> None:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(ArticleStore, "put_rows", full)
    with pytest.raises(IndexWriteError, match="the disk is full"):
        seeds_archive.update()
    assert seeds_archive.search(SearchRequest("*")).total == 5


@pytest.mark.skipif(os.geteuid() != 0 or sys.platform != "linux", reason="mounting a small tmpfs needs root on Linux")
def test_a_really_full_disk(tmp_path: Path, seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        # Words that neither repeat nor compress: postings and stored text far beyond the 600 KB.
        rng = random.Random(4)
        words = [f"w{rng.getrandbits(40):x}" for _ in range(100_000)]
        write_archive(seeds_copy, {f"big{i}.txt": f"Report {i} " + " ".join(words[i::20]) for i in range(20)})
        status = main(["--data-dir", str(small), "index", str(seeds_copy)])
        assert status == 1
        # Whatever was committed is usable; the run's own files are gone, so space is free again.
        # (The store's write-ahead log keeps the pages of the failed transaction, which SQLite
        # reuses; checkpointing it needs the very room that is missing.)
        left = {str(f): f.stat().st_size for f in small.rglob("*") if f.is_file() and ".sqlite" not in f.name}
        assert sum(left.values()) < 50_000, left
        for big in seeds_copy.glob("big*.txt"):
            big.unlink()
        assert main(["--data-dir", str(small), "index", str(seeds_copy)]) == 0, sorted(
            (str(f), f.stat().st_size) for f in small.rglob("*") if f.is_file()
        )
        archive = Archive(seeds_copy, small)
        assert archive.search(SearchRequest("Hanoi")).total == 3
        archive.close()
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)


def test_a_read_only_index_folder(seeds_archive: Archive, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (seeds_copy / "extra.txt").write_text("Report on the Caspian ferry.")

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("index.atomic.tempfile.mkstemp", read_only)
    monkeypatch.setattr("whoosh.filedb.filestore.FileStorage.create_file", read_only)
    with pytest.raises(IndexWriteError, match="read-only file system"):
        seeds_archive.update()
    assert seeds_archive.search(SearchRequest("*")).total == 5


def test_the_archive_folder_removed_while_open(
    seeds_archive: Archive, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hit = seeds_archive.search(SearchRequest("Hanoi")).hits[0]
    shutil.rmtree(seeds_copy)
    assert seeds_archive.search(SearchRequest("Hanoi")).total == 3  # The index still answers.
    assert seeds_archive.article(hit.id).body
    assert main(["index", str(seeds_copy)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_a_file_changing_while_it_is_read_is_read_again_next_time(
    seeds_archive: Archive, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.indexing import tasks as tasks_module

    target = seeds_copy / "extra.txt"
    target.write_text("Draftone version on the Caspian ferry.")
    real_read = tasks_module.read_bytes

    def read_then_change(root: Path, relpath: str, fs_relpath: str | None = None) -> object:
        data = real_read(root, relpath, fs_relpath)
        if relpath == "extra.txt" and isinstance(data, bytes) and b"Draftone" in data:
            time.sleep(0.01)
            target.write_text("Drafttwo version on the Caspian ferry, longer.")
        return data

    monkeypatch.setattr(tasks_module, "read_bytes", read_then_change)
    seeds_archive.update()
    assert seeds_archive.search(SearchRequest("Draftone")).total == 1
    monkeypatch.setattr(tasks_module, "read_bytes", real_read)
    assert seeds_archive.update().updated == 1
    assert seeds_archive.search(SearchRequest("Drafttwo")).total == 1
    assert seeds_archive.search(SearchRequest("Draftone")).total == 0


def test_a_damaged_store_is_reported_by_every_command_in_one_line(
    indexed: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(indexed.index_dir / STORE_FILE, "garble")
    for command in (["search", "x"], ["facets"], ["entities"], ["entity", "info", "Hanoi"]):
        assert main([*command, "--archive", str(indexed.root)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and "damaged" in err, err
    assert json.loads(json.dumps(main(["index", str(indexed.root)]))) == 0


def test_a_rebuild_by_another_process_is_followed_by_searches_and_corrections(seeds_archive: Archive) -> None:
    """The app (this Archive) keeps its searcher and store open while the CLI (another) rebuilds."""
    hit = seeds_archive.search(SearchRequest("Azerbaidjan")).hits[0]
    stale = ArticleStore(seeds_archive.index_dir / STORE_FILE)  # as a correction opened before the rebuild
    (seeds_archive.index_dir / DAMAGE_FILE).write_text("a test says so")
    other = Archive(seeds_archive.root)
    assert "damaged" in other.update().rebuilt
    assert seeds_archive.search(SearchRequest("Hanoi")).total == 3  # not the deleted store's answer
    with pytest.raises(IndexChangedError):
        update_articles(seeds_archive.index_dir, stale, [hit.id], seeds_archive.corrections, None)
    stale.close()
    seeds_archive.correct(hit.id, "title", "After the rebuild")
    assert other.article(hit.id).title == "After the rebuild"
    assert other.update().rebuilt == ""
    other.close()


def test_a_segment_garbled_at_its_size_met_by_a_merge_is_reported_and_rebuilt_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run checks segment sizes, not contents: a merge is where it meets such damage."""
    monkeypatch.setattr(commits_module, "TINY_SEGMENTS_MERGED_AT", 2)
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(4):
        text = f"Date: 2024-03-0{number + 1}\nSource: VNA\n\nReport {number} from Hanoi.\n"
        (root / f"{number}.txt").write_text(text)
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    (root / "1.txt").write_text("Date: 2024-03-02\nSource: VNA\n\nReport one from Baku.\n")
    archive.update(workers=1)  # a second tiny segment: the next commit merges both
    archive.close()
    for segment in (archive.index_dir / WHOOSH_DIR).glob("*.seg"):
        damage(segment, "garble")
    (root / "2.txt").write_text("Date: 2024-03-03\nSource: VNA\n\nReport two from Minsk.\n")
    with pytest.raises(IndexDamagedError, match="index the archive again"):
        archive.update(workers=1)
    assert (archive.index_dir / DAMAGE_FILE).exists()
    summary = archive.update(workers=1)
    assert summary.rebuilt and summary.added == 4
    assert archive.search(SearchRequest("Baku OR Minsk")).total == 2
    archive.close()
