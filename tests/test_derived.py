"""Values derived from shipped data, kept in the user's cache between runs."""

from __future__ import annotations

import os
from pathlib import Path

from index.analysis.entities import gazetteer
from index.derived import KEPT_VERSIONS, cache_dir, derived


def test_a_value_is_computed_once_for_the_same_sources_and_again_when_one_changes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "names.json"
    source.write_text("[1]")
    calls: list[int] = []

    def compute() -> dict[str, tuple[str, str]]:
        calls.append(1)
        return {"hanoi": ("PLACE", "Hanoi")}

    assert derived("names", [source], compute) == {"hanoi": ("PLACE", "Hanoi")}
    assert derived("names", [source], compute) == {"hanoi": ("PLACE", "Hanoi")}
    assert len(calls) == 1
    source.write_text("[1, 2]")
    derived("names", [source], compute)
    assert len(calls) == 2
    for version in range(3, 7):
        source.write_text(f"[{version}]")
        derived("names", [source], compute)
    assert len(list(cache_dir().glob("names-*"))) == KEPT_VERSIONS  # the older values are gone


def test_values_no_version_derives_are_deleted_when_a_value_is_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path / "cache"))
    cache_dir().mkdir(parents=True)
    retired = [cache_dir() / "language-model-0123456789abcdef.marshal", cache_dir() / "language-model-arrays-0123.bin"]
    for path in retired:
        path.write_bytes(b"py3langid's model, decompressed")
    source = tmp_path / "names.json"
    source.write_text("[1]")
    derived("names", [source], lambda: ["a"])
    assert not any(path.exists() for path in retired)
    assert len(list(cache_dir().glob("names-*"))) == 1


def test_a_damaged_or_unwritable_cache_only_costs_the_computation(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "names.json"
    source.write_text("[1]")
    derived("names", [source], lambda: ["a"])
    (cached,) = cache_dir().glob("names-*")
    cached.write_bytes(b"\x00not marshal")
    assert derived("names", [source], lambda: ["b"]) == ["b"]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(blocked))
    assert derived("names", [source], lambda: ["c"]) == ["c"]
    assert derived("names", [tmp_path / "missing.json"], lambda: ["d"]) == ["d"]
    assert not any(name.endswith(".tmp") for name in os.listdir(tmp_path))


def test_the_entity_rules_data_read_back_from_the_cache_is_the_data_built(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path / "cache"))
    gazetteer._data.cache_clear()
    try:
        built = gazetteer._data()  # computed and written
        assert list(cache_dir().glob("entity-data-*"))
        gazetteer._data.cache_clear()
        assert gazetteer._data() == built  # read back
    finally:
        gazetteer._data.cache_clear()


def test_entity_rules_data_cached_in_another_layout_is_built_again(monkeypatch) -> None:
    gazetteer._data.cache_clear()
    try:
        built = gazetteer._data()
        flat = gazetteer._flattened(built)
        flat["gazetteer"] = {key: entry[:-1] for key, entry in flat["gazetteer"].items()}  # one field fewer
        monkeypatch.setattr(gazetteer, "derived", lambda name, sources, compute: flat)
        gazetteer._data.cache_clear()
        assert gazetteer._data() == built
    finally:
        gazetteer._data.cache_clear()


def test_two_programs_keyed_apart_keep_each_its_value(tmp_path: Path, monkeypatch) -> None:
    """The packaged app and a pip-installed command line, used in turn: each computes its value once."""
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path / "cache"))
    app, command_line = tmp_path / "app.py", tmp_path / "cli.py"
    app.write_text("app")
    command_line.write_text("cli")
    calls: list[str] = []
    for _ in range(3):
        for program in (app, command_line):
            derived("names", [program], lambda program=program: calls.append(program.name) or program.name)
    assert calls == ["app.py", "cli.py"]
