"""What an index costs on disk, per article, for generated news (bench/generate.py).

Budgets, not exact sizes: each sits between what the layout gives now and what the layout before it
gave, so a change that brings the old waste back fails here (bench/run.py measures the sizes).
"""

from __future__ import annotations

import pytest

from bench.generate import generate
from index import Archive

ARTICLES = 400
FREQUENT_BYTES_PER_ARTICLE = 480


@pytest.fixture(scope="module")
def index_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    root = tmp_path_factory.mktemp("corpus")
    generate(root, ARTICLES, seed=5)
    archive = Archive(root, data=tmp_path_factory.mktemp("data"))
    archive.update(workers=1)
    archive.close()
    return {path.name: path.stat().st_size for path in archive.index_dir.rglob("*") if path.is_file()}


def test_the_article_store_wastes_little_of_its_pages(index_files: dict[str, int]) -> None:
    # A row is about 2.4 KB: 4 KB pages held one each (5,263 bytes per article with the signature
    # bands' separate index); 8 KB pages and bands keyed by themselves make it 4,424; bands of 4-byte
    # keys and 8-byte ids, 4,260.
    store = sum(size for name, size in index_files.items() if name.startswith("articles.sqlite"))
    assert store / ARTICLES < 4_350


def test_frequent_terms_keep_whole_weights_narrow(index_files: dict[str, int]) -> None:
    # A positional term's weight is its count times its field's boost: a whole number, kept in one
    # or two bytes rather than a float's four, and its counts are not written (the weights give
    # them): 448 bytes per article here, 552 with the counts, 761 with float weights. (125 before
    # terms in 64 to 255 of a segment's documents were kept too, without their positions: in this
    # one segment of 400 articles, a sixth of them.)
    frequent = sum(size for name, size in index_files.items() if name.endswith(".frq"))
    assert frequent / ARTICLES < FREQUENT_BYTES_PER_ARTICLE


def test_segments_keep_positions_as_short_gaps(index_files: dict[str, int]) -> None:
    # Positions as 16-bit gaps (schema.CompactPositions): 5,218 bytes per article here; Whoosh's
    # count and pickled list of gaps made it 6,241.
    segments = sum(size for name, size in index_files.items() if name.endswith(".seg"))
    assert segments / ARTICLES < 5_700
