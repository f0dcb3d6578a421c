"""``archivist --self-test``: proof that an installation works, engine part (the app adds its window).

Each check runs the real engine on the bundled seeds in a temporary data dir and says what it saw;
one check failing does not stop the others. The same checks run from a checkout, an installed
wheel and the PyInstaller bundle.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.models import SearchRequest
from index.paths import bundled_seeds

if TYPE_CHECKING:
    from index.archive import Archive

log = logging.getLogger(__name__)

# What the seeds say of themselves: file name prefix -> date, outlet, language.
SEED_FACTS: dict[str, tuple[dt.date, str | None, str]] = {
    "000": (dt.date(2022, 7, 20), "Azernews", "en"),
    "001": (dt.date(2025, 5, 7), None, "en"),
    "002": (dt.date(2025, 5, 8), "Trend", "en"),
    "003": (dt.date(2019, 3, 12), "VNA/CVN", "fr"),
    "004": (dt.date(2025, 3, 24), "News.Az", "en"),
}


# A name no shipped list holds, for each language model to find (and, in Russian, to put in the nominative).
MODEL_SENTENCES = (
    ("fr", "Le maire de Rennes, Nathalie Appéré, a reçu lundi les dirigeants de Keolis.", "Nathalie Appéré"),
    ("ru", "Губернатор встретился с Игорем Власовым в Твери.", "Игорь Власов"),
)


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, whether it passed, and what it saw (or why it failed)."""

    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        """The check as one line of the self-test's output."""
        return f"{'ok  ' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


class CheckFailedError(Exception):
    """A check saw something other than what it expected."""


def expect(condition: bool, message: str) -> None:
    """Fail the running check with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailedError(message)


def run_check(name: str, check: Callable[[], str]) -> CheckResult:
    """Run one check; an exception of any kind makes it fail with one line (the traceback is logged)."""
    try:
        return CheckResult(name, True, check())
    except CheckFailedError as failure:
        return CheckResult(name, False, str(failure))
    except Exception as error:  # noqa: BLE001 - a self-test reports every failure, whatever it is
        log.error("self-test check %r failed:\n%s", name, traceback.format_exc())
        return CheckResult(name, False, f"{type(error).__name__}: {error}")


def engine_checks(data: Path) -> Iterator[CheckResult]:
    """The engine's checks on the bundled seeds, indexed into ``data`` (a temporary folder).

    Raises:
        Exception: the engine itself cannot be loaded (the caller reports it as a failed check).
    """
    from index.archive import Archive

    seeds = bundled_seeds()
    archive = Archive(seeds, data)
    try:
        yield from _engine_checks(seeds, archive, data)
    finally:
        archive.close()


def _engine_checks(seeds: Path, archive: Archive, data: Path) -> Iterator[CheckResult]:
    from index.userdata.citations import FORMATS, read_json_export, render, write_export
    from index.userdata.excerpts import Baskets, CheckedExcerpt, take_excerpt

    def seeds_found() -> str:
        files = sorted(path.name for path in seeds.glob("*.txt"))
        expect(len(files) >= len(SEED_FACTS), f"{len(files)} seed articles in {seeds}, expected {len(SEED_FACTS)}")
        return f"{len(files)} articles in {seeds}"

    def indexed() -> str:
        summary = archive.update()
        expect(
            summary.added == len(SEED_FACTS) and not summary.skipped and not summary.problems,
            f"{summary.added} added, {len(summary.skipped)} skipped, {len(summary.problems)} problems",
        )
        return f"{summary.added} articles in {summary.seconds:.1f} s"

    def metadata() -> str:
        hits = archive.search(SearchRequest("*", page_size=len(SEED_FACTS) * 2)).hits
        seen = {}
        for hit in hits:
            article = archive.article(hit.id)
            seen[Path(article.path).name[:3]] = (article.date, article.source, article.language)
        wrong = {prefix: seen.get(prefix) for prefix, facts in SEED_FACTS.items() if seen.get(prefix) != facts}
        expect(not wrong, f"not as expected: {wrong}")
        return "dates, outlets and languages of all 5 seeds as expected"

    def search() -> str:
        result = archive.search(SearchRequest("Vietnam Azerbaijan", page_size=10))
        expect(result.total == len(SEED_FACTS), f"{result.total} results for 'Vietnam Azerbaijan', expected 5")
        languages = {value.value: value.count for value in result.facets["language"].values}
        expect(languages == {"en": 4, "fr": 1}, f"language facet {languages}")
        dated = sum(bucket.count for bucket in result.timeline.buckets)
        expect(dated == len(SEED_FACTS), f"the timeline holds {dated} articles")
        expect(all(hit.snippet.spans for hit in result.hits), "a hit without highlighted words in its snippet")
        return f"{result.total} results, facets {sorted(result.facets)}, timeline by {result.timeline.unit}"

    def entity() -> str:
        info = archive.entity("Tô Lâm")
        expect(info.name == "To Lam" and info.type == "PERSON" and info.articles == 2, f"found {info}")
        found = archive.search(SearchRequest('person:"To Lam"')).total
        expect(found == 2, f'person:"To Lam" finds {found} articles')
        return f"{info.name} ({info.type}), {info.articles} articles"

    def excerpts() -> str:
        hit = archive.search(SearchRequest('"Ho Chi Minh"', page_size=1)).hits[0]
        article = archive.article(hit.id)
        start = article.body.index("Ho Chi Minh")
        basket = Baskets(data).basket()
        taken = basket.add(take_excerpt(article, start, start + len("Ho Chi Minh"), seeds, '"Ho Chi Minh"'))
        items = [CheckedExcerpt(taken)]
        folder = data / "exports"
        folder.mkdir(exist_ok=True)
        for name, export_format in FORMATS.items():
            path = folder / f"excerpts-{name}{export_format.extension}"
            write_export(path, render(items, name, basket.name))
            expect(path.stat().st_size > 0, f"the {name} export is empty")
        back = read_json_export(folder / "excerpts-json.json")
        expect([excerpt.text for excerpt in back] == ["Ho Chi Minh"], f"the JSON export reads back as {back}")
        csl = json.loads((folder / "excerpts-csl-json.json").read_text("utf-8"))
        expect(csl and csl[0].get("title") == article.title, "the CSL-JSON export lost the title")
        return f"1 excerpt exported as {', '.join(FORMATS)}"

    def entity_models() -> str:
        from index.analysis.entities.models import extract_with_model, model_languages, uninstalled_languages

        installed = model_languages()
        if not installed:
            return f"none installed here (the rules alone; models exist for {', '.join(uninstalled_languages())})"
        summary = archive.run_entity_models()
        status = archive.entity_model_status()
        expect(
            status.done == status.total and not summary.problems,
            f"{status.done} of {status.total} read, problems: {summary.problems}",
        )
        found = []
        for language, sentence, name in MODEL_SENTENCES:
            if language in installed:
                names = {m.canonical for m in extract_with_model([sentence], language)[0]}
                expect(name in names, f"the {language} model found {sorted(names)} in {sentence!r}, not {name}")
                found.append(f"{installed[language].name}: {name}")
        return f"{status.done} seed articles read; {', '.join(found)}"

    checks: list[tuple[str, Callable[[], str]]] = [
        ("bundled seeds", seeds_found),
        ("indexing", indexed),
        ("dates, outlets, languages", metadata),
        ("search, facets, timeline", search),
        ("entities", entity),
        ("excerpts and exports", excerpts),
        ("entity models", entity_models),
    ]
    for name, check in checks:
        result = run_check(name, check)
        yield result
        if name == "indexing" and not result.passed:
            return  # nothing after it can run without an index
