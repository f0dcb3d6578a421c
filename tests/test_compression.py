"""The store's compression: zlib until the archive has enough articles, then zstd with dictionaries
trained on them; both kinds of blob read back, by every reader."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.generate import generate
from index import Archive, SearchRequest
from index.storage.compression import ZSTD_MAGIC, Packer, train
from index.storage.layout import STORE_FILE
from index.storage.store import ArticleStore

SAMPLES = [f'{{"title": "Talks in Baku, day {i}", "body": "The ministers met on day {i} to discuss trade."}}'.encode()
           for i in range(300)]
DICTIONARY = train("record", SAMPLES)


@given(st.binary(max_size=5000))
def test_every_blob_reads_back_with_or_without_a_dictionary(raw: bytes) -> None:
    plain, trained = Packer(), Packer(DICTIONARY)
    assert trained.dictionary is not None
    assert plain.unpack(plain.pack(raw)) == trained.unpack(trained.pack(raw)) == raw
    assert trained.unpack(plain.pack(raw)) == raw  # rows written before the dictionary was trained
    assert plain.needs_dictionary(trained.pack(raw)) and not trained.needs_dictionary(trained.pack(raw))


@given(st.text(max_size=2000))
def test_text_of_any_script_reads_back(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    assert Packer(DICTIONARY).unpack(Packer(DICTIONARY).pack(raw)) == raw


def test_too_few_samples_train_no_dictionary() -> None:
    assert train("record", [b"a", b"b"]) is None


def blobs(index_dir: Path) -> list[tuple[bytes, bytes]]:
    connection = sqlite3.connect(index_dir / STORE_FILE)
    rows = connection.execute("SELECT record, mentions FROM articles ORDER BY file").fetchall()
    connection.close()
    return rows


def test_an_archive_trains_its_dictionaries_once_it_has_enough_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.storage.store.TRAIN_FROM", 150)
    generated, root = tmp_path / "generated", tmp_path / "archive"
    generate(generated, 400, seed=3)
    root.mkdir()
    shutil.move(generated / "0000", root / "first")
    for path in sorted((root / "first").iterdir())[200:]:
        path.rename(generated / path.name)
    archive = Archive(root, data=tmp_path / "data")
    archive.update(workers=1)
    assert all(not record.startswith(ZSTD_MAGIC) for record, _ in blobs(archive.index_dir))
    reader = Archive(root, data=tmp_path / "data")  # opened before the dictionaries exist
    reader.search(SearchRequest("*"))
    (root / "second").mkdir()
    for path in generated.glob("*.txt"):
        path.rename(root / "second" / path.name)
    archive.update(workers=1)
    rows = blobs(archive.index_dir)
    zlib_records = [len(record) for record, _ in rows[:200]]
    zstd_records = [len(record) for record, mentions in rows[200:] if record.startswith(ZSTD_MAGIC)]
    assert len(zstd_records) == 200 and all(mentions.startswith(ZSTD_MAGIC) for _, mentions in rows[200:])
    assert sum(zstd_records) < 0.8 * sum(zlib_records)  # the same kind of articles
    hits = reader.search(SearchRequest("*", page_size=400)).hits
    assert len(hits) == 400
    store = ArticleStore(archive.index_dir / STORE_FILE)
    for hit in hits:
        article = reader.article(hit.id)
        assert article.title == hit.title and article.body
        assert all(article.body[m.start : m.end] for m in store.mentions(hit.id))
    assert sum(len(store.mentions(hit.id)) for hit in hits[-100:]) > 0
    store.close()
    reader.close()
    archive.close()
