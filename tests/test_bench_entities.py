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


def test_hipe_files_become_texts_with_gold_spans_per_document_and_language(tmp_path: Path) -> None:
    from bench.entities import load_gold

    hipe = tmp_path / "sample.tsv"
    rows = [
        "TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC",
        "# hipe2022:language = fr",
        "# hipe2022:document_id = doc-1",
        "Le\tO\t_\t_\t_\t_\t_\t_\t_\t_",
        "général\tO\t_\t_\t_\t_\t_\t_\t_\t_",
        "Dufour\tB-pers\t_\t_\t_\t_\t_\t_\t_\tNoSpaceAfter",
        ",\tO\t_\t_\t_\t_\t_\t_\t_\t_",
        "à\tO\t_\t_\t_\t_\t_\t_\t_\t_",
        "Genève\tB-loc\t_\t_\t_\t_\t_\t_\t_\tEndOfLine",
        "Conseil\tB-org\t_\t_\t_\t_\t_\t_\t_\t_",
        "fédéral\tI-org\t_\t_\t_\t_\t_\t_\t_\tNoSpaceAfter",
        ".\tO\t_\t_\t_\t_\t_\t_\t_\t_",
        "# hipe2022:document_id = doc-2",
        "1848\tB-time\t_\t_\t_\t_\t_\t_\t_\t_",
    ]
    hipe.write_text("\n".join(rows) + "\n", "utf-8")
    first, second = load_gold("hipe", hipe)
    assert (first["id"], first["language"]) == ("doc-1", "fr")
    assert first["text"] == "Le général Dufour, à Genève\nConseil fédéral. "
    assert [(first["text"][m["start"] : m["end"]], m["type"]) for m in first["mentions"]] == [
        ("Dufour", "PERSON"), ("Genève", "PLACE"), ("Conseil fédéral", "ORG"),
    ]
    assert second["mentions"] == []  # time expressions are not scored


def test_brat_standoff_folders_become_texts_with_gold_spans(tmp_path: Path) -> None:
    from bench.entities import load_gold

    (tmp_path / "001.txt").write_text("Ильхам Алиев прибыл в Москву.", "utf-8")
    (tmp_path / "001.ann").write_text(
        "T1\tPER 0 12\tИльхам Алиев\nT2\tLOC 22 28\tМоскву\nT3\tLOC 0 6;7 12\tИльхам Алиев\nR1\tREL Arg1:T1 Arg2:T2\n",
        "utf-8",
    )
    (document,) = load_gold("brat", tmp_path, "ru")
    assert document["language"] == "ru"
    assert [(document["text"][m["start"] : m["end"]], m["type"]) for m in document["mentions"]] == [
        ("Ильхам Алиев", "PERSON"), ("Москву", "PLACE"),
    ]


def test_the_marked_gold_spans_hold_their_names() -> None:
    """Every mention of the own-gold files spans the name it was marked with, inside its paragraph."""
    from bench.entities import load_fixtures

    gold = Path(__file__).resolve().parent.parent / "bench" / "gold"
    files = sorted(gold.glob("news_[a-z][a-z]*.json"))
    assert {f.name for f in files} >= {"news_fr_heldout.json", "news_de_heldout.json", "news_ru_heldout.json"}
    for path in files:
        if path.name == "news_en.json":
            continue  # written before the markup, canonical names differ from surfaces
        for fixture in load_fixtures(path):
            for mention in fixture["mentions"]:
                assert fixture["text"][mention["start"] : mention["end"]] == mention["canonical"], path.name
