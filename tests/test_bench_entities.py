"""The entity benchmark's CoNLL reader: gold spans must point at the right text."""

from __future__ import annotations

from pathlib import Path

from bench.entities import load_conll


def test_conll_documents_become_texts_with_gold_spans(tmp_path: Path) -> None:
    conll = tmp_path / "sample.conll"
    conll.write_text(
        "-DOCSTART- -X- O O\n\n"
        "Takuya NNP B-NP B-PER\nTakagi NNP I-NP I-PER\nscored VBD B-VP O\n. . O O\n\n"
        "AL-AIN NNP B-NP B-LOC\n, , O O\n1996 CD I-NP O\n\n"
        "-DOCSTART- -X- O O\n\n"
        "Asian JJ B-NP I-MISC\nCup NNP I-NP I-MISC\nholders NNS I-NP O\nJapan NNP I-NP I-LOC\n"
        "Syria NNP I-NP B-LOC\nand CC O O\nFIFA NNP I-NP I-ORG\n",
        "utf-8",
    )
    first, second = load_conll(conll)
    assert first["text"] == "Takuya Takagi scored .\nAL-AIN , 1996\n"
    assert [(first["text"][m["start"] : m["end"]], m["type"]) for m in first["mentions"]] == [
        ("Takuya Takagi", "PERSON"),
        ("AL-AIN", "PLACE"),
    ]
    # IOB1: I- opens an entity after O or another type, B- only splits two adjacent ones; MISC is not scored.
    assert [(second["text"][m["start"] : m["end"]], m["type"]) for m in second["mentions"]] == [
        ("Japan", "PLACE"),
        ("Syria", "PLACE"),
        ("FIFA", "ORG"),
    ]
