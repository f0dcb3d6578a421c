"""The entity model pass: language models read the articles after indexing, in the background,
resumably, and their names join the rules' in the index."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index import Archive, ArchivistError, IndexLockedError, SearchRequest
from index.analysis.entities import ORG, PERSON, PLACE, Mention, models
from index.analysis.entities.models import EntityModel, canonical_of, combine, extract_with_model, mentions_from
from index.indexing import model_pass
from index.paths import STOP_WITH_PARENT_ENV
from index.storage.model_results import MODEL_RESULTS_FILE
from tests.conftest import ARCHIVIST, injected_into_processes

FAKE = EntityModel("fr", "json", "fake")  # ``json`` is importable, so the fake model counts as installed
_FULL_NAME = re.compile(r"\b[A-Z][a-zé]+ [A-Z][a-zé]+\b")


def fake_runner(texts: Sequence[str]) -> list[list[tuple[int, int, str, str]]]:
    """Two capitalised words in a row are a person; a text holding BOOM makes the model fail."""
    if any("BOOM" in text for text in texts):
        raise RuntimeError("the model failed")
    return [[(m.start(), m.end(), "PER", "") for m in _FULL_NAME.finditer(text)] for text in texts]


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """French has the fake model; no other language has one."""
    monkeypatch.setattr(models, "MODELS", {"fr": FAKE})
    monkeypatch.setattr(models, "_runner", lambda model: fake_runner)
    models.model_for.cache_clear()
    yield
    models.model_for.cache_clear()


def write_articles(folder: Path, articles: dict[str, tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (language, body) in articles.items():
        header = f"Title: {name}\nDate: 2025-03-0{len(name) % 9 + 1}\nLanguage: {language}\n\n"
        (folder / name).write_text(f"{header}{body}\n")


FRENCH = {
    f"fr{k}.txt": ("fr", f"La maire Odile Carpentier{k} a reçu lundi les élus de la commune, avec Yves Garnier.")
    for k in range(5)
}
ENGLISH = {"en.txt": ("en", "Odile Carpentier met the mayor of Rennes on Monday, officials said.")}


def people(archive: Archive) -> dict[str, int]:
    result = archive.search(SearchRequest("*", page_size=0, facet_limit=100))
    return {value.value: value.count for value in result.facets["person"].values}


def test_the_pass_reads_each_article_once_and_its_names_reach_the_facets(tmp_path: Path, fake_model: None) -> None:
    write_articles(tmp_path / "news", {**FRENCH, **ENGLISH})
    archive = Archive(tmp_path / "news")
    archive.update()
    before = archive.entity_model_status()
    assert [(p.language, p.done, p.total) for p in before.languages] == [("fr", 0, 5)]
    assert "Yves Garnier" not in people(archive)  # the rules do not know him

    seen: list[tuple[int, int, str]] = []
    summary = archive.run_entity_models(progress=lambda done, total, language: seen.append((done, total, language)))

    assert summary.read == 5 and not summary.cancelled and not summary.problems
    assert seen[-1] == (5, 5, "fr")
    assert people(archive)["Yves Garnier"] == 5
    status = archive.entity_model_status()
    assert (status.done, status.total, status.running) == (5, 5, "")
    assert archive.run_entity_models().read == 0  # nothing left to read


def test_an_edited_article_is_read_again_and_a_rebuild_keeps_what_was_read(tmp_path: Path, fake_model: None) -> None:
    write_articles(tmp_path / "news", FRENCH)
    archive = Archive(tmp_path / "news")
    archive.update()
    archive.run_entity_models()
    (tmp_path / "news" / "fr0.txt").write_text("Title: x\nLanguage: fr\n\nLe préfet Gaston Lefebvre est arrivé.\n")
    archive.update()
    assert archive.entity_model_status().done == 4
    assert archive.run_entity_models().read == 1
    assert people(archive)["Gaston Lefebvre"] == 1

    for part in archive.index_dir.iterdir():  # a rebuild: the index proper goes, the models' results stay
        if part.name.startswith(("articles", "whoosh", "columns")):
            subprocess.run(["rm", "-rf", str(part)], check=True)
    archive.close()
    archive.update()
    assert archive.entity_model_status().done == 5  # merged at once from the kept results
    assert people(archive)["Gaston Lefebvre"] == 1


def test_a_stopped_pass_resumes_where_it_was(tmp_path: Path, fake_model: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_pass, "BATCH_ARTICLES", 2)
    write_articles(tmp_path / "news", FRENCH)
    archive = Archive(tmp_path / "news")
    archive.update()
    batches = []
    summary = archive.run_entity_models(progress=lambda *_: batches.append(1), should_cancel=lambda: bool(batches))
    assert summary.cancelled and summary.read == 2
    assert archive.run_entity_models().read == 3  # the two read are kept: re-indexed, not read again
    assert archive.entity_model_status().done == 5
    assert people(archive)["Yves Garnier"] == 5


def test_an_article_the_model_fails_on_keeps_the_rules_entities_and_is_reported(
    tmp_path: Path, fake_model: None
) -> None:
    write_articles(tmp_path / "news", {**FRENCH, "bad.txt": ("fr", "BOOM. Odile Carpentier est à Paris.")})
    archive = Archive(tmp_path / "news")
    archive.update()
    summary = archive.run_entity_models()
    assert summary.read == 6
    assert [(p.path, p.step) for p in summary.problems] == [("bad.txt", "entity model")]
    assert people(archive)["Yves Garnier"] == 5  # the others were read
    assert archive.entity_model_status().done == 6  # not tried again until the model or the article changes
    bad = archive.search(SearchRequest("BOOM", page_size=1)).hits[0].id
    assert "Paris" in [m.canonical for m in archive.entities(bad)]  # the rules' entities, kept


def test_a_model_that_cannot_load_stops_the_pass_and_marks_no_article(
    tmp_path: Path, fake_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(model: EntityModel) -> None:
        raise ModuleNotFoundError("No module named 'numpy.random'")

    write_articles(tmp_path / "news", FRENCH)
    archive = Archive(tmp_path / "news")
    archive.update()
    monkeypatch.setattr(models, "_runner", broken)
    with pytest.raises(ArchivistError, match=r"the fr entity model \(json\) could not be loaded .*numpy.random"):
        archive.run_entity_models()
    assert archive.entity_model_status().done == 0  # read once the model loads
    monkeypatch.setattr(models, "_runner", lambda model: fake_runner)
    assert archive.run_entity_models().read == 5


def test_one_pass_at_a_time(tmp_path: Path, fake_model: None, monkeypatch: pytest.MonkeyPatch) -> None:
    write_articles(tmp_path / "news", FRENCH)
    archive = Archive(tmp_path / "news")
    archive.update()
    inside, release = threading.Event(), threading.Event()

    def slow(texts: Sequence[str]) -> list[list[tuple[int, int, str, str]]]:
        inside.set()
        release.wait(10)
        return fake_runner(texts)

    monkeypatch.setattr(models, "_runner", lambda model: slow)
    first = threading.Thread(target=archive.run_entity_models)
    first.start()
    try:
        assert inside.wait(10)
        assert "language models" in archive.entity_model_status().running
        with pytest.raises(IndexLockedError, match="language models"):
            Archive(tmp_path / "news").run_entity_models()
    finally:
        release.set()
        first.join(10)
    assert archive.entity_model_status().done == 5


def test_searches_run_while_the_pass_runs(tmp_path: Path, fake_model: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_pass, "BATCH_ARTICLES", 1)
    monkeypatch.setattr(model_pass, "COMMIT_SECONDS", 0.0)
    write_articles(tmp_path / "news", FRENCH)
    archive = Archive(tmp_path / "news")
    archive.update()
    counts = []

    def search_between_batches(done: int, total: int, language: str) -> None:
        counts.append(archive.search(SearchRequest("Carpentier*", page_size=5)).total)

    archive.run_entity_models(progress=search_between_batches)
    assert counts == [5] * 5


def test_without_a_model_the_archive_keeps_the_rules_entities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "MODELS", {"fr": EntityModel("fr", "no_such_model_package", "spacy")})
    models.model_for.cache_clear()
    try:
        write_articles(tmp_path / "news", FRENCH)
        archive = Archive(tmp_path / "news")
        archive.update()
        status = archive.entity_model_status()
        assert (status.languages, status.missing) == ((), ("fr",))
        assert archive.run_entity_models().read == 0
        assert not (archive.index_dir / MODEL_RESULTS_FILE).exists()
    finally:
        models.model_for.cache_clear()


def mentions_named(by: str) -> st.SearchStrategy[list[Mention]]:
    return st.lists(
        st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from([PERSON, ORG, PLACE])).map(
            lambda t: Mention(t[0], t[0] + t[1], t[2], f"{by} {t[0]}")
        ),
        max_size=8,
    )


@given(mentions_named("rules"), mentions_named("model"))
def test_combine_keeps_the_model_mentions_with_the_rules_names_for_the_same_span(
    rules: list[Mention], model: list[Mention]
) -> None:
    combined = combine(rules, model)
    assert sorted((m.start, m.end, m.type) for m in combined) == sorted((m.start, m.end, m.type) for m in model)
    named = {(m.start, m.end, m.type): m.canonical for m in rules}
    for mention in combined:
        assert mention.canonical in (named.get((mention.start, mention.end, mention.type)), f"model {mention.start}")
        assert mention.canonical.startswith("rules") == ((mention.start, mention.end, mention.type) in named)
    assert combined == sorted(combined, key=lambda m: (m.start, m.end))


def test_combine_names_a_model_mention_as_the_rules_do() -> None:
    rules = [Mention(0, 12, PLACE, "Azerbaijan"), Mention(20, 25, ORG, "SOCAR")]
    model = [Mention(0, 12, PLACE, "Azerbaïdjan"), Mention(30, 35, PERSON, "Odile")]
    assert combine(rules, model) == [Mention(0, 12, PLACE, "Azerbaijan"), Mention(30, 35, PERSON, "Odile")]


@given(st.text(max_size=300), st.lists(st.tuples(st.integers(-5, 320), st.integers(-5, 320),
                                                 st.sampled_from(["PER", "LOC", "ORG", "MISC", "GPE"])), max_size=10))
def test_whatever_spans_a_model_returns_the_mentions_are_sound(text: str, spans: list[tuple[int, int, str]]) -> None:
    found = mentions_from(text, [(start, end, label, "") for start, end, label in spans])
    for mention in found:
        assert 0 <= mention.start < mention.end <= len(text) and mention.type in (PERSON, ORG, PLACE)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


@given(st.text(max_size=200))
def test_canonical_of_any_name_is_a_name(name: str) -> None:
    assert isinstance(canonical_of(name, PERSON), str)


def test_names_meet_across_scripts() -> None:
    assert canonical_of("Ильхам Алиев", PERSON) == "Ilham Aliyev"
    assert canonical_of(" «Azerbaïdjan» ", PLACE) == "Azerbaijan"
    assert canonical_of("Odile  Carpentier", PERSON) == "Odile Carpentier"


installed = pytest.mark.skipif(
    not all(m.installed for m in models.MODELS.values()), reason="the models extra is not installed"
)


@installed
def test_the_real_models_find_names_no_list_holds() -> None:
    french, = extract_with_model(["Le maire de Rennes, Nathalie Appéré, a reçu la SNCF lundi."], "fr")
    assert ("Nathalie Appéré", PERSON) in {(m.canonical, m.type) for m in french}
    russian, = extract_with_model(["Губернатор Игорь Руденя встретился с Ильхамом Алиевым в Твери."], "ru")
    assert {("Игорь Руденя", PERSON), ("Ilham Aliyev", PERSON), ("Tver", PLACE)} <= {  # names meet across scripts
        (m.canonical, m.type) for m in russian
    }


@installed
@given(st.text(max_size=400), st.sampled_from(["fr", "ru"]))
def test_the_real_models_take_any_text(text: str, language: str) -> None:
    clean = text.encode("utf-8", "replace").decode("utf-8")  # bodies never hold lone surrogates (pipeline)
    found, = extract_with_model([clean + " Nathalie Appéré"], language)
    for mention in found:
        assert 0 <= mention.start < mention.end <= len(clean) + 16


@installed
def test_the_command_line_reports_and_runs_the_pass(tmp_path: Path) -> None:
    write_articles(tmp_path / "news", {"fr.txt": ("fr", "Le maire de Rennes, Nathalie Appéré, a reçu la SNCF.")})
    run = lambda *args: subprocess.run([*ARCHIVIST, *args], capture_output=True, text=True, timeout=300)  # noqa: E731
    assert run("index", str(tmp_path / "news")).returncode == 0
    status = json.loads(run("entities", "--status", "--json").stdout)
    assert (status["done"], status["total"]) == (0, 1)
    ran = run("entities", "--run-models")
    assert ran.returncode == 0 and "1 articles read" in ran.stdout, ran.stderr
    assert "fr: 1 of 1 articles read by fr_core_news_md" in run("entities", "--status").stdout
    assert "Nathalie Appéré" in run("entities", "--type", "person").stdout


KILLING_MODEL = """
import os, re
from index.analysis.entities import models
models.MODELS = {"fr": models.EntityModel("fr", "json", "fake")}
def _runner(model):
    def run(texts):
        if any("CRASH" in text for text in texts):
            os._exit(9)  # as a crash in a model's native code, or the kernel's out-of-memory killer, would
        return [[(m.start(), m.end(), "PER", "") for m in re.finditer(r"[A-Z][a-zé]+ [A-Z][a-zé]+", t)] for t in texts]
    return run
models._runner = _runner
"""


def test_an_article_whose_reading_kills_the_pass_is_given_up_after_two_tries(tmp_path: Path) -> None:
    write_articles(tmp_path / "news", {**FRENCH, "crash.txt": ("fr", "CRASH. Odile Carpentier est à Paris.")})
    env = injected_into_processes(tmp_path / "inject", KILLING_MODEL)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*ARCHIVIST, *args], env=env, capture_output=True, text=True, timeout=300)

    assert run("index", str(tmp_path / "news")).returncode == 0
    assert run("entities", "--run-models").returncode == 9  # killed reading the batch
    assert run("entities", "--run-models").returncode == 9  # killed again, reading that article alone
    last = run("entities", "--run-models")
    assert last.returncode == 0, last.stderr
    assert "crash.txt: entity model: reading it stopped the process" in last.stdout
    status = json.loads(run("entities", "--status", "--json").stdout)
    assert (status["done"], status["total"]) == (6, 6)
    assert "Yves Garnier" in run("entities", "--type", "person").stdout
    assert "Paris" in run("entities", "CRASH", "--type", "place").stdout  # its own entities, the rules'




TWO_AT_A_TIME_MODEL = """
import re
from index.analysis.entities import models
from index.indexing import model_pass
model_pass.BATCH_ARTICLES = 2
models.MODELS = {"fr": models.EntityModel("fr", "json", "fake")}
def _runner(model):
    return lambda texts: [[(m.start(), m.end(), "PER", "") for m in re.finditer(r"[A-Z][a-zé]+ [A-Z][a-zé]+", t)]
                          for t in texts]
models._runner = _runner
"""


def test_a_pass_started_by_an_app_that_is_gone_stops_at_its_next_batch(tmp_path: Path) -> None:
    """The app names itself in ARCHIVIST_STOP_WITH_PARENT; a pass whose parent is no longer that
    process (the app was killed, and the pass adopted) stops before its next batch, as if cancelled:
    an app killed while its pass runs no longer leaves it reading for an hour."""
    write_articles(tmp_path / "news", FRENCH)
    env = injected_into_processes(tmp_path / "inject", TWO_AT_A_TIME_MODEL)

    def run(*args: str, parent: int) -> subprocess.CompletedProcess[str]:
        started = {**env, STOP_WITH_PARENT_ENV: str(parent)}
        return subprocess.run([*ARCHIVIST, *args], env=started, capture_output=True, text=True, timeout=300)

    assert run("index", str(tmp_path / "news"), parent=os.getpid()).returncode == 0
    orphan = run("entities", "--run-models", parent=os.getpid() + 1_000_000)  # not its parent: "gone"
    assert orphan.returncode == 130 and "0 articles read" in orphan.stdout and "stopped" in orphan.stdout
    with_its_app = run("entities", "--run-models", parent=os.getpid())  # this test is its parent
    assert with_its_app.returncode == 0 and "5 articles read" in with_its_app.stdout, with_its_app.stderr
