"""Excerpts and baskets: taking passages, editing baskets, two writers, crashes, and articles that change."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index import Archive, Article, Baskets, ExcerptError, Provenance, SearchRequest, article_lookup, check
from index.userdata.excerpts import DEFAULT_BASKET, Basket, Excerpt, basket_file_name, take_excerpt

from .conftest import ROOT

ARTICLE_ID = "79176bed9816940d"  # seeds/002: Trend on To Lam's visit to Baku


def sample(number: int = 0, text: str = "a passage", **changes: object) -> Excerpt:
    values: dict[str, object] = dict(
        id=f"x{number:04d}",
        text=text,
        start=0,
        end=len(text),
        article_id="a1",
        archive="/archive",
        path="news/one.txt",
        title="A title",
        source="Azernews",
        relayed_source=None,
        date="2025-05-07",
        date_provenance="header",
        language="en",
        url=None,
        author=None,
        query="Baku",
        taken="2026-12-01T10:00:00+00:00",
    )
    values.update(changes)
    return Excerpt(**values)  # type: ignore[arg-type]


def test_an_excerpt_quotes_the_body_and_cites_the_article_as_it_is(seeds_archive: Archive) -> None:
    article = seeds_archive.article(ARTICLE_ID)
    excerpt = seeds_archive.excerpt(ARTICLE_ID, 25, 73, query="Baku", note="who met", tags=["visit", " visit", ""])
    assert excerpt.text == article.body[25:73] == "Azerbaijan's Prime Minister Ali Asadov has met w"
    assert (excerpt.start, excerpt.end, excerpt.article_id) == (25, 73, ARTICLE_ID)
    assert excerpt.archive == str(seeds_archive.root) and excerpt.path == article.path
    assert (excerpt.source, excerpt.date, excerpt.date_provenance) == ("Trend", "2025-05-08", "header")
    assert excerpt.relayed_source == "Cabinet of Ministers" and excerpt.language == "en"
    assert (excerpt.query, excerpt.note, excerpt.tags) == ("Baku", "who met", ("visit",))
    assert excerpt.taken.endswith("+00:00") or excerpt.taken[-6] in "+-"


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (5, 5), (6, 5), (0, 10**6)])
def test_offsets_outside_the_body_are_refused(seeds_archive: Archive, start: int, end: int) -> None:
    with pytest.raises(ExcerptError, match="not a passage"):
        seeds_archive.excerpt(ARTICLE_ID, start, end)


@given(st.text(), st.integers(-3, 40), st.integers(-3, 40))
def test_any_offsets_give_the_exact_text_or_a_clear_refusal(body: str, start: int, end: int) -> None:
    article = Article(
        "a1",
        "one.txt",
        "Title",
        Provenance.HEADER,
        body,
        None,
        Provenance.UNKNOWN,
        None,
        Provenance.UNKNOWN,
        "und",
        Provenance.UNKNOWN,
    )
    try:
        excerpt = take_excerpt(article, start, end, Path("/archive"))
    except ExcerptError:
        assert not 0 <= start < end <= len(body)
    else:
        assert excerpt.text == body[start:end] and 0 <= start < end <= len(body)
        assert Excerpt.from_dict(json.loads(json.dumps(excerpt.to_dict()))) == excerpt


def test_a_basket_is_ordered_and_editable(private_dirs: Path) -> None:
    basket = Baskets().basket()
    for number in range(4):
        basket.add(sample(number))
    basket.add(sample(1))  # already there: not twice
    basket.move("x0003", 0)
    basket.edit("x0001", note="le côté vietnamien", tags=["vi", "vi", " Hà Nội "])
    position, removed = basket.remove("x0002")
    assert [e.id for e in basket.excerpts()] == ["x0003", "x0000", "x0001"]
    basket.add(removed, position)  # undo puts it back where it was
    excerpts = basket.excerpts()
    assert [e.id for e in excerpts] == ["x0003", "x0000", "x0001", "x0002"]
    assert (excerpts[2].note, excerpts[2].tags) == ("le côté vietnamien", ("vi", "Hà Nội"))
    with pytest.raises(ExcerptError, match="no excerpt"):
        basket.remove("nope")
    assert basket.path.parent == private_dirs / "excerpts"


def test_baskets_are_listed_by_name_default_first(private_dirs: Path) -> None:
    baskets = Baskets()
    assert baskets.names() == [DEFAULT_BASKET]
    for name in ("Проект Баку", "azerbaijan", "Zeta"):
        baskets.basket(name).create()
    assert baskets.names() == [DEFAULT_BASKET, "azerbaijan", "Zeta", "Проект Баку"]
    baskets.basket("Zeta").add(sample(7))
    assert baskets.find("x0007")[0].name == "Zeta"
    with pytest.raises(ExcerptError, match="no basket is called"):
        baskets.existing("Zta")
    for bad in ("", "   ", "tab\there", "x" * 101):
        with pytest.raises(ExcerptError, match="basket's name"):
            baskets.basket(bad)


@given(st.text(min_size=1, max_size=100))
def test_any_basket_name_gives_a_safe_distinct_file_name(name: str) -> None:
    file_name = basket_file_name(name)
    assert "/" not in file_name and "\x00" not in file_name and not file_name.startswith(".")
    assert len(file_name.encode("utf-8", "surrogatepass")) < 200
    assert basket_file_name(name + "x") != file_name


def test_a_quote_with_lone_surrogates_and_controls_is_saved_and_read_back(private_dirs: Path) -> None:
    basket = Baskets().basket()
    odd = sample(1, text="broken \ud800 file \x00 with \u202eRTL\u202c and e\u0301")
    basket.add(odd)
    assert basket.excerpts() == [odd]


def test_a_malformed_excerpt_makes_the_basket_fall_back_to_its_previous_version(private_dirs: Path) -> None:
    from index.userdata.files import UserFileError

    basket = Baskets().basket()
    basket.add(sample(1))
    content = json.loads(basket.path.read_text("utf-8"))
    content["excerpts"][0]["start"] = "zero"  # a hand edit gone wrong, with no previous version kept
    basket.path.write_text(json.dumps(content), "utf-8")
    with pytest.raises(UserFileError, match=r"cannot be read \(excerpt 1: an excerpt's 'start' must be a whole"):
        basket.excerpts()
    assert Baskets().names() == [DEFAULT_BASKET]  # still listed, and opening it says why
    basket.path.unlink()
    basket.add(sample(1))
    basket.add(sample(2))
    content = json.loads(basket.path.read_text("utf-8"))
    content["excerpts"][1]["tags"] = "not a list"
    basket.path.write_text(json.dumps(content), "utf-8")
    assert [e.id for e in basket.excerpts()] == ["x0001"]  # the version before the last change
    basket.add(sample(3))  # the bad file is kept aside, the change applies to the previous version
    assert [e.id for e in basket.excerpts()] == ["x0001", "x0003"]


_WRITER = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from index.userdata.excerpts import Baskets
from tests.test_excerpts import sample
basket = Baskets(Path({data!r})).basket()
for number in range({first}, {first} + {count}):
    basket.add(sample(number))
"""


def test_two_processes_adding_at_once_lose_nothing(private_dirs: Path) -> None:
    count = 25
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER.format(root=str(ROOT), data=str(private_dirs), first=first, count=count)]
        )
        for first in (0, 1000)
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    ids = {e.id for e in Baskets(private_dirs).basket().excerpts()}
    assert ids == {sample(n).id for n in (*range(count), *range(1000, 1000 + count))}


def test_the_app_and_the_cli_editing_one_basket_keep_both_changes(private_dirs: Path) -> None:
    app, cli = Baskets().basket(), Baskets().basket()
    app.add(sample(1))
    cli.add(sample(2))  # a second process's view: it re-reads, never overwrites from memory
    app.edit("x0002", note="seen in the app")
    assert [(e.id, e.note) for e in cli.excerpts()] == [("x0001", ""), ("x0002", "seen in the app")]


_CRASHER = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from index.userdata.excerpts import Baskets
from tests.test_excerpts import sample
basket = Baskets(Path({data!r})).basket()
print("ready", flush=True)
number = 100
while True:
    basket.add(sample(number, text="long " * 20000))
    number += 1
"""


def test_a_crash_while_saving_leaves_a_loadable_basket(private_dirs: Path) -> None:
    basket = Baskets().basket()
    for number in range(3):
        basket.add(sample(number))
    for delay in (0.05, 0.2, 0.4, 0.7):
        writer = subprocess.Popen(
            [sys.executable, "-c", _CRASHER.format(root=str(ROOT), data=str(private_dirs))], stdout=subprocess.PIPE
        )
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(delay)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        ids = [e.id for e in basket.excerpts()]
        assert ids[:3] == ["x0000", "x0001", "x0002"]
    basket.add(sample(9))  # the next save clears what the killed writers left half-written
    assert not list(basket.path.parent.glob(".*.tmp"))


def test_a_failed_save_leaves_the_previous_basket(private_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from index import atomic
    from index.userdata.files import UserFileError

    basket = Baskets().basket()
    basket.add(sample(1))

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    with pytest.raises(UserFileError, match="the disk is full"):
        basket.add(sample(2))
    monkeypatch.undo()
    assert [e.id for e in basket.excerpts()] == ["x0001"]


def test_a_basket_cut_short_is_read_from_its_previous_version(private_dirs: Path) -> None:
    basket = Baskets().basket()
    basket.add(sample(1))
    basket.add(sample(2))
    basket.path.write_bytes(basket.path.read_bytes()[:50])  # as a crash of an older version would leave it
    assert [e.id for e in basket.excerpts()] == ["x0001"]
    basket.add(sample(3))  # the cut file is kept aside, not lost, and the change applies to the backup
    assert [e.id for e in basket.excerpts()] == ["x0001", "x0003"]
    assert list(basket.path.parent.glob("*.unreadable-*.json"))


def test_excerpts_are_flagged_never_dropped_when_articles_change_or_vanish(
    seeds_copy: Path, private_dirs: Path
) -> None:
    archive = Archive(seeds_copy)
    archive.update()
    basket: Basket = Baskets().basket()
    kept = archive.excerpt(ARTICLE_ID, 26, 74)
    moved = archive.excerpt(ARTICLE_ID, 300, 340)
    lost = archive.excerpt(ARTICLE_ID, 400, 440)
    gone = archive.excerpt("ea06d179c3fa41b8", 0, 30)
    for excerpt in (kept, moved, lost, gone):
        basket.add(excerpt)
    path = seeds_copy / archive.article(ARTICLE_ID).path
    text = path.read_text("utf-8")
    body = archive.article(ARTICLE_ID).body
    text = text.replace(body[400:440], "something else entirely").replace(body[26:30], body[26:30] + "")
    marker = body[200:220]
    text = text.replace(marker, marker + " (an inserted sentence)", 1)
    path.write_text(text, "utf-8")
    (seeds_copy / archive.article("ea06d179c3fa41b8").path).unlink()
    archive.update()
    with article_lookup(open_archives=[archive]) as lookup:
        checked = check(basket.excerpts(), lookup)
    assert [item.excerpt for item in checked] == [kept, moved, lost, gone]
    assert checked[0].flag is None
    assert checked[1].flag is not None and "now at 323-363" in checked[1].flag and checked[1].found_at == (323, 363)
    assert checked[2].flag == "its article changed and no longer holds the passage"
    assert checked[3].flag == "its article is no longer in the archive"
    archive.close()


def test_an_archive_not_indexed_here_flags_its_excerpts(tmp_path: Path, private_dirs: Path) -> None:
    excerpt = dataclasses.replace(sample(1), archive=str(tmp_path / "elsewhere"))
    with article_lookup() as lookup:
        (checked,) = check([excerpt], lookup)
    assert checked.excerpt == excerpt
    assert checked.flag is not None and checked.flag.startswith("its archive cannot be read here")


@given(st.lists(st.text(max_size=20), max_size=8))
def test_tags_are_kept_trimmed_unique_and_in_order(tags: list[str]) -> None:
    from index.userdata.excerpts import clean_tags

    cleaned = clean_tags(tags)
    assert len(set(cleaned)) == len(cleaned) and all(tag and tag == tag.strip() for tag in cleaned)
    assert clean_tags(cleaned) == cleaned
    assert not any(character < " " or "\x7f" <= character <= "\x9f" for tag in cleaned for character in tag)


@given(st.text(max_size=120))
def test_any_basket_name_is_kept_or_refused_in_one_clear_error(name: str) -> None:
    from index.userdata.excerpts import check_basket_name

    try:
        kept = check_basket_name(name)
    except ExcerptError as error:
        assert "a basket's name must be" in str(error)
    else:
        assert kept == kept.strip() and 0 < len(kept) <= 100
        assert check_basket_name(kept) == kept


def test_an_excerpt_taken_under_a_records_number_finds_its_record_under_its_new_id(
    tmp_path: Path, private_dirs: Path
) -> None:
    from index.analysis.metadata import article_id

    root = tmp_path / "feeds"
    root.mkdir()
    credit = "Reuters contributed to this report."
    records = [
        {"title": "Ferry report", "url": "https://example.org/1", "body": f"The ferry sailed at dawn. {credit}"},
        {"title": "Ferry report", "url": "https://example.org/2", "body": f"The ferry sailed twice. {credit}"},
        {"title": "Harbour notes", "body": f"Cranes stood idle all week. {credit}"},
        {"title": "Minister resigns", "body": f"The minister resigned. {credit}"},
    ]
    (root / "feed.json").write_text(json.dumps(records))
    archive = Archive(root)
    archive.update(workers=1)
    articles = [archive.article(hit.id) for hit in archive.search(SearchRequest("*")).hits]
    ids = {article.url or article.title: article.id for article in articles}

    def as_taken_then(key: str, number: int) -> Excerpt:  # earlier versions: the record's number its id
        body = archive.article(ids[key]).body
        start = body.index(credit)
        excerpt = archive.excerpt(ids[key], start, start + len(credit))
        return dataclasses.replace(excerpt, article_id=article_id(f"feed.json#{number}"))

    second, third, fourth = as_taken_then("https://example.org/2", 2), as_taken_then("Harbour notes", 3), \
        as_taken_then("Minister resigns", 4)
    (root / "feed.json").write_text(json.dumps(records[:3]))  # the minister's article is gone
    archive.update(workers=1)
    elsewhere = dataclasses.replace(second, path="other.json")
    unnumbered = dataclasses.replace(third, article_id="0123456789abcdef")
    with article_lookup(open_archives=[archive]) as lookup:
        checked = check([second, third, fourth, elsewhere, unnumbered], lookup)
    assert [item.excerpt.article_id for item in checked] == [
        ids["https://example.org/2"], ids["Harbour notes"], fourth.article_id, elsewhere.article_id,
        unnumbered.article_id]
    gone = "its article is no longer in the archive"
    assert [item.flag for item in checked] == [None, None, gone, gone, gone]
    archive.close()
