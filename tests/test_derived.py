"""Values derived from shipped data, kept in the user's cache between runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.analysis import language
from index.analysis.entities import gazetteer
from index.derived import KEPT_VERSIONS, cache_dir, derived, derived_bytes


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


def test_the_language_model_read_back_from_the_cache_identifies_as_py3langid_does(tmp_path: Path, monkeypatch) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path / "cache"))
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [
        "The council approved the harbour budget on Tuesday.",
        "Le conseil a approuvé le budget du port mardi.",
        "Совет утвердил бюджет гавани во вторник.",
        "Hội đồng đã phê duyệt ngân sách cảng.",
        "Bakı şəhərində görüş keçirilib.",
    ]
    language._identifier.cache_clear()
    try:
        language._identifier()  # computed and written
        assert len(list(cache_dir().glob("language-model-*.marshal"))) == 1
        (arrays,) = cache_dir().glob("language-model-arrays-*.bin")
        language._identifier.cache_clear()
        monkeypatch.setattr(language, "_loaded_model", lambda _model: pytest.fail("the model was decompressed again"))
        cached = language._identifier()  # read back, its large arrays mapped
        assert [cached.classify(text) for text in texts] == [reference.classify(text) for text in texts]
        # Cut short (a full disk while another process wrote it): py3langid's own loader, not a crash.
        arrays.write_bytes(arrays.read_bytes()[: arrays.stat().st_size // 2])
        language._identifier.cache_clear()
        fallback = language._identifier()
        assert [fallback.classify(text) for text in texts] == [reference.classify(text) for text in texts]
    finally:
        language._identifier.cache_clear()


def test_large_bytes_are_kept_once_and_mapped_thereafter(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVIST_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "model.bin"
    source.write_bytes(b"v1")
    calls: list[int] = []

    def compute() -> bytes:
        calls.append(1)
        return bytes(range(256)) * 1000

    assert derived_bytes("arrays", [source], compute) == bytes(range(256)) * 1000
    kept = derived_bytes("arrays", [source], compute)
    assert kept[:256] == bytes(range(256)) and len(kept) == 256_000 and len(calls) == 1
    source.write_bytes(b"v2")
    derived_bytes("arrays", [source], compute)
    assert len(calls) == 2
    assert derived_bytes("arrays", [tmp_path / "missing"], compute) == bytes(range(256)) * 1000


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
