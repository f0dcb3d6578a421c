"""Time each reading and analysis step on hostile inputs: huge lines, junk pages, and the inputs that
once made a step backtrack or rescan super-linearly (16 s to 6 min each before their fixes).

Each big input is timed at two sizes, four times apart: a step that scales linearly takes about 4x
as long on the bigger one. Run as ``python bench/hostile.py``; it prints one line per case.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from index.analysis import cleaning, entities, outlets
from index.analysis.entities import EntityCorrections
from index.analysis.metadata import infer
from index.models import Provenance, RawDocument
from index.reading.readers import read_file
from index.storage.schema import pre_analysed

ENGLISH = "The ferry from Baku reached Turkmenbashi on Tuesday, President Ilham Aliyev said in Hanoi. "

# Inputs on which a step once backtracked or rescanned super-linearly.
WORST_CASES: dict[str, tuple[Callable[[str], object], str]] = {
    "is_debris, font-size widget pattern": (cleaning.is_debris, "- " + " " * 1500 + "x"),
    "is_debris, newsroom phone pattern": (cleaning.is_debris, "Hanoi desk 024 3825" + " " * 50_000 + "x"),
    "is_debris, phone then brackets": (cleaning.is_debris, "Hanoi desk 024 3825" + ")" * 50_000),
    "outlet_from_text, dateline and spaces": (outlets.outlet_from_text, "HANOI" + " " * 60_000 + "x"),
    "extract, e-mail in text without spaces": (lambda text: entities.extract(text, "zz"), "中" * 40_000 + " a@b.c"),
    "read_file, header of blanks": (lambda text: read_file("a.txt", text.encode()), "title: x" + " " * 50_000 + "y"),
}


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def raw(text: str) -> RawDocument:
    return RawDocument("big.txt", "big.txt", text, {}, Provenance.HEADER, "utf-8")


def scaling_cases() -> dict[str, Callable[[int], Callable[[], object]]]:
    """Steps on a single line of about ``size`` bytes of English news text."""

    def line(size: int) -> str:
        return (ENGLISH * (size // len(ENGLISH) + 1))[:size]

    corrections = EntityCorrections().add("Baku", "PLACE", "Baku")
    return {
        "read_file, one line": lambda size: lambda: read_file("big.txt", line(size).encode()),
        "infer (cleaning, title, date, source, language)": lambda size: lambda: infer(raw(line(size))),
        "entities.extract, one line": lambda size: lambda: entities.extract(line(size), "en"),
        "EntityCorrections.apply, one line": lambda size: (
            lambda: corrections.apply(line(size), entities.extract(line(size)[:100_000], "en"))
        ),
        "index terms, one line": lambda size: lambda: pre_analysed(line(size), "en"),
        "read_file, random bytes": lambda size: lambda: read_file("noise.txt", random.Random(1).randbytes(size)),
    }


def main() -> None:
    for name, (step, text) in WORST_CASES.items():
        print(f"{name:50} {timed(lambda step=step, text=text: step(text)) * 1000:9.1f} ms", flush=True)
    small, big = 1_000_000, 4_000_000
    for name, make in scaling_cases().items():
        first, second = timed(make(small)), timed(make(big))
        print(f"{name:50} {first:6.2f} s at 1 MB, {second:6.2f} s at 4 MB (x{second / first:.1f})", flush=True)


if __name__ == "__main__":
    main()
