"""Score and time the entity extractor: document-level and mention-level P/R/F1, articles per second.

Besides the bundled gold, any gold the user has can be scored with ``--score FORMAT PATH``
(repeatable), per language and type, with the extractor's speed on it. Formats:

* ``conll``: CoNLL-2003 style columns (token first, IOB1 or IOB2 tag last; a blank line ends a
  sentence, ``-DOCSTART-`` a document). PER, ORG, LOC are scored; MISC is not.
* ``hipe``: the tab-separated files of the historical-newspaper NER campaigns (HIPE 2020/2022):
  a ``TOKEN`` header naming the columns, ``NE-COARSE-LIT`` holding ``B-pers``/``I-org``/``B-loc``
  (other kinds are not scored), ``MISC`` holding ``NoSpaceAfter`` (and ``EndOfLine``); comment lines
  ``# ... document_id = X`` start a document, ``# ... language = fr`` give its language.
* ``brat``: a folder of ``NAME.txt`` texts with ``NAME.ann`` standoff annotations (``T1<TAB>PER 0
  13<TAB>text``), as the Russian NER collections publish them (Collection5, NEREL); PER/PERSON,
  ORG/ORGANIZATION, LOC/LOCATION/GPE are scored; discontinuous spans are skipped.

``--language`` sets the language of files that do not say it (default ``en``).

For a language with an installed entity model (French, Russian: the ``models`` extra) every gold
set is scored three ways: the rules, the model alone, and "rules + model" as indexing merges them
(the model's spans with the rules' canonical names), with the model's speed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from index.analysis.entities import ORG, PERSON, PLACE, TYPES, Mention, extract
from index.analysis.entities.models import combine, extract_with_model, model_for
from index.analysis.metadata import infer
from index.reading.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
ALL = "ALL"
REPEATS = 5
Extractor = Callable[[str, str], list[Mention]]
Scores = dict[str, tuple[float, float, float]]


def prf(true_positives: int, predicted: int, expected: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (an empty side scores 1.0).

    Args:
        true_positives: items both predicted and expected.
        predicted: items predicted.
        expected: items expected.

    Returns:
        ``(precision, recall, f1)``.
    """
    precision = true_positives / predicted if predicted else 1.0
    recall = true_positives / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _score(predicted: set[tuple], expected: set[tuple]) -> Scores:
    """Micro P/R/F1 per type (the second field of each item) and over all types."""
    scores = {}
    for type_ in (*TYPES, ALL):
        p = {item for item in predicted if type_ in (ALL, item[1])}
        e = {item for item in expected if type_ in (ALL, item[1])}
        scores[type_] = prf(len(p & e), len(p), len(e))
    return scores


def document_scores(predicted: dict[str, dict[str, set[str]]], gold: dict[str, dict[str, set[str]]]) -> Scores:
    """Score per-document sets of canonical entities.

    Args:
        predicted: document name → type → canonical names found.
        gold: document name → type → canonical names expected.

    Returns:
        Type (and ``"ALL"``) → (precision, recall, F1), micro-averaged over (document, type, entity).
    """
    flat_predicted = {(doc, t, name) for doc, by_type in predicted.items() if doc in gold
                      for t, names in by_type.items() for name in names}
    flat_gold = {(doc, t, name) for doc, by_type in gold.items() for t, names in by_type.items() for name in names}
    return _score({(d, t, n) for d, t, n in flat_predicted}, flat_gold) if flat_gold else {}


def mention_scores(predicted: dict[str, list[Mention]], gold: dict[str, list[Mention]],
                   with_canonical: bool = False) -> Scores:
    """Score mentions by exact span and type (and canonical name, if asked).

    Args:
        predicted: document id → mentions found.
        gold: document id → mentions expected.
        with_canonical: whether a mention also needs the right canonical name to count.

    Returns:
        Type (and ``"ALL"``) → (precision, recall, F1), micro-averaged over mentions.
    """
    def items(mentions: dict[str, list[Mention]]) -> set[tuple]:
        return {(doc, m.type, m.start, m.end, m.canonical if with_canonical else "")
                for doc, ms in mentions.items() if doc in gold for m in ms}

    return _score(items(predicted), items(gold))


def load_seeds(folder: Path) -> dict[str, tuple[str, str]]:
    """The seed articles as the engine sees them.

    Args:
        folder: the folder of ``*.txt`` seeds.

    Returns:
        File name → (cleaned body, language).
    """
    articles = {}
    for path in sorted(folder.glob("*.txt")):
        documents, _ = read_file(path.name, path.read_bytes())
        article = infer(documents[0])
        articles[path.name] = (article.body, article.language)
    return articles


def load_corpus(folder: Path, limit: int) -> list[tuple[str, str]]:
    """Articles of a generated corpus (``bench/generate.py``), as the engine sees them.

    Args:
        folder: the corpus root, searched recursively for ``*.txt``.
        limit: at most this many articles.

    Returns:
        (cleaned body, language) pairs.
    """
    articles: list[tuple[str, str]] = []
    for path in sorted(folder.rglob("*.txt"))[:limit]:
        documents, _ = read_file(path.name, path.read_bytes())
        articles.extend((article.body, article.language) for article in map(infer, documents))
    return articles


def load_document_gold(path: Path) -> dict[str, dict[str, set[str]]]:
    """Document-level gold: file name → type → canonical names (keys starting with ``_`` are notes)."""
    raw = json.loads(path.read_text("utf-8"))
    return {doc: {t: set(names) for t, names in by_type.items()} for doc, by_type in raw.items()
            if not doc.startswith("_")}


def load_fixtures(path: Path) -> list[dict]:
    """Mention-level fixtures: dicts with ``id``, ``language``, ``text`` and ``mentions``."""
    return json.loads(path.read_text("utf-8"))["fixtures"]


CONLL_TYPES = {"PER": PERSON, "ORG": ORG, "LOC": PLACE}  # MISC has no counterpart here


def _conll_document(index: int, sentences: list[list[tuple[str, str]]]) -> dict:
    """One fixture from a CoNLL document: sentences on lines, tokens joined by spaces, gold spans by offset."""
    text_parts: list[str] = []
    mentions: list[dict] = []
    position = 0
    for sentence in sentences:
        open_span: dict | None = None
        for k, (token, tag) in enumerate(sentence):
            if k:
                text_parts.append(" ")
                position += 1
            prefix, _, conll_type = tag.partition("-")
            continues = open_span is not None and prefix == "I" and conll_type == open_span["conll"]
            if not continues:
                open_span = None
                if conll_type:
                    open_span = {"start": position, "conll": conll_type}
                    mentions.append(open_span)
            text_parts.append(token)
            position += len(token)
            if open_span is not None:
                open_span["end"] = position
        text_parts.append("\n")
        position += 1
    text = "".join(text_parts)
    gold = [{"start": m["start"], "end": m["end"], "type": CONLL_TYPES[m["conll"]], "canonical": ""}
            for m in mentions if m["conll"] in CONLL_TYPES]
    return {"id": f"conll-{index}", "language": "en", "text": text, "mentions": gold}


def load_conll(path: Path) -> list[dict]:
    """Mention-level fixtures from a CoNLL-2003 style file (e.g. the English test set, ``eng.testb``).

    Token first and IOB tag (IOB1 or IOB2) last on each line; a blank line ends a sentence and a
    ``-DOCSTART-`` line a document. PER, ORG and LOC are scored as PERSON, ORG and PLACE; MISC is
    not scored, so an entity found inside a MISC span counts against precision.

    Args:
        path: the file.

    Returns:
        One fixture per document, like ``load_fixtures`` returns, with empty canonical names.
    """
    documents: list[list[list[tuple[str, str]]]] = [[]]
    sentence: list[tuple[str, str]] = []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        fields = line.split()
        if fields and fields[0] == "-DOCSTART-":
            documents.append([])
        elif fields:
            sentence.append((fields[0], fields[-1]))
        elif sentence:
            documents[-1].append(sentence)
            sentence = []
    return [_conll_document(i, doc) for i, doc in enumerate(documents) if doc]


HIPE_TYPES = {"pers": PERSON, "org": ORG, "loc": PLACE}
BRAT_TYPES = {"PER": PERSON, "PERSON": PERSON, "ORG": ORG, "ORGANIZATION": ORG, "ORGANISATION": ORG,
              "LOC": PLACE, "LOCATION": PLACE, "GPE": PLACE}


def load_hipe(path: Path, language: str = "en") -> list[dict]:
    """Mention-level fixtures from a HIPE-style TSV file (see the module's docstring)."""
    documents: list[dict] = []
    columns: dict[str, int] = {}
    current: dict | None = None
    open_span: dict | None = None
    parts: list[str] = []
    position = 0
    document_language = language

    def finish() -> None:
        if current is not None and parts:
            current["text"] = "".join(parts)
            documents.append(current)

    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            key, _, value = line.lstrip("# ").partition("=")
            name = key.strip().rpartition(":")[2]
            if name == "document_id":
                finish()
                current = {"id": value.strip(), "language": document_language, "mentions": []}
                parts, open_span, position = [], None, 0
            elif name == "language":
                document_language = value.strip() or language
                if current is not None:
                    current["language"] = document_language
            continue
        fields = line.split("\t")
        if fields[0] == "TOKEN":
            columns = {name: k for k, name in enumerate(fields)}
            continue
        if not line.strip() or not columns:
            continue
        if current is None:
            current = {"id": f"{path.stem}-{len(documents)}", "language": document_language, "mentions": []}
            parts, position = [], 0
        token, tag = fields[0], fields[columns["NE-COARSE-LIT"]]
        misc = fields[columns["MISC"]] if "MISC" in columns and len(fields) > columns["MISC"] else ""
        prefix, _, kind = tag.partition("-")
        if prefix == "B" or (prefix == "I" and (open_span is None or open_span["kind"] != kind)):
            open_span = {"start": position, "end": position + len(token), "kind": kind}
            if kind in HIPE_TYPES:
                current["mentions"].append(open_span)
        elif prefix == "I" and open_span is not None:
            open_span["end"] = position + len(token)
        else:
            open_span = None
        separator = "\n" if "EndOfLine" in misc or "EndOfSentence" in misc else "" if "NoSpaceAfter" in misc else " "
        parts += [token, separator]
        position += len(token) + len(separator)
    finish()
    for document in documents:
        document["mentions"] = [
            {"start": m["start"], "end": m["end"], "type": HIPE_TYPES[m["kind"]], "canonical": ""}
            for m in document["mentions"]
        ]
    return documents


def load_brat(folder: Path, language: str = "en") -> list[dict]:
    """Mention-level fixtures from ``NAME.txt`` + ``NAME.ann`` standoff files (see the module's docstring)."""
    documents = []
    for text_path in sorted(folder.glob("*.txt")):
        annotations = text_path.with_suffix(".ann")
        mentions = []
        if annotations.exists():
            for line in annotations.read_text("utf-8").splitlines():
                if not line.startswith("T") or "\t" not in line:
                    continue
                _, what, *_ = line.split("\t")
                kind, _, offsets = what.partition(" ")
                if ";" in offsets or kind.upper() not in BRAT_TYPES:
                    continue  # a discontinuous span, or a kind not scored here
                start, end = map(int, offsets.split())
                mentions.append({"start": start, "end": end, "type": BRAT_TYPES[kind.upper()], "canonical": ""})
        text = text_path.read_text("utf-8")
        documents.append({"id": text_path.stem, "language": language, "text": text, "mentions": mentions})
    return documents


def load_gold(kind: str, path: Path, language: str = "en") -> list[dict]:
    """Fixtures from a gold file or folder in one of the formats above."""
    if kind == "conll":
        return [{**document, "language": language} for document in load_conll(path)]
    if kind == "hipe":
        return load_hipe(path, language)
    if kind == "brat":
        return load_brat(path, language)
    raise ValueError(f"unknown gold format {kind!r}; formats: conll, hipe, brat")


def _entity_sets(mentions: Iterable[Mention]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {t: set() for t in TYPES}
    for mention in mentions:
        found[mention.type].add(mention.canonical)
    return found


def synthetic_articles(count: int, size: int = 3000, seed: int = 0) -> list[str]:
    """Deterministic news-like English articles of about ``size`` characters, dense in names.

    Args:
        count: how many articles.
        size: approximate length of each, in characters.
        seed: the random seed.

    Returns:
        The article texts.
    """
    rng = random.Random(seed)
    people = ["President Ilham Aliyev", "Prime Minister Pham Minh Chinh", "Foreign Minister Jeyhun Bayramov",
              "Secretary General To Lam", "Antonio Guterres", "Ambassador Nguyen Van Thanh", "Dr. Maria Lopez"]
    places = ["Hanoi", "Baku", "Vietnam", "Azerbaijan", "France", "the United States", "Southeast Asia", "Moscow"]
    orgs = ["the United Nations", "the Non-Aligned Movement", "ASEAN", "the World Bank", "the Ministry of Trade",
            "the Vietnam Academy of Social Sciences", "the National Assembly of Vietnam"]
    verbs = ["met", "praised", "visited", "called on", "signed an agreement with", "discussed trade with"]
    fillers = ["on Monday", "in March", "during the talks", "after the meeting", "according to officials",
               "amid rising energy prices", "as part of a wider programme of cooperation"]
    articles = []
    for _ in range(count):
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < size:
            subject = rng.choice(people + orgs)
            sentence = f"{subject} {rng.choice(verbs)} {rng.choice(people + orgs + places)} in {rng.choice(places)} " \
                       f"{rng.choice(fillers)}, and the two sides agreed to deepen ties in energy and education."
            sentences.append(sentence[0].upper() + sentence[1:])
        articles.append(" ".join(sentences))
    return articles


def throughput(texts: list[tuple[str, str]], extractor: Extractor, rounds: int) -> tuple[float, float]:
    """Time the extractor over the texts, ``rounds`` times.

    Args:
        texts: (text, language) pairs.
        extractor: the function timed.
        rounds: how many passes over the texts in each of the REPEATS timed runs.

    Returns:
        (articles per second, microseconds per KB of text).
    """
    extractor(*texts[0])  # load the data outside the timing
    kilobytes = sum(len(t.encode("utf-8")) for t, _ in texts) / 1024 * rounds
    elapsed = float("inf")
    for _ in range(REPEATS):  # the best of a few runs: other processes only ever slow a run down
        began = time.perf_counter()
        for _ in range(rounds):
            for text, language in texts:
                extractor(text, language)
        elapsed = min(elapsed, time.perf_counter() - began)
    return len(texts) * rounds / elapsed, elapsed / kilobytes * 1e6


def _print_scores(title: str, scores: Scores) -> None:
    print(title)
    for type_, (p, r, f) in scores.items():
        print(f"  {type_:7} P={p:.3f} R={r:.3f} F1={f:.3f}")


def passes(language: str) -> dict[str, Extractor]:
    """The extraction passes to score for a language: the rules, and with an installed model the
    model alone and the two as indexing merges them."""
    chosen: dict[str, Extractor] = {"rules": extract}
    if model_for(language) is not None:
        chosen["model"] = lambda text, lang: extract_with_model([text], lang)[0]
        chosen["rules + model"] = lambda text, lang: combine(extract(text, lang), extract_with_model([text], lang)[0])
    return chosen


def model_throughput(texts: list[str], language: str) -> float:
    """Articles per second of a language's model over the texts, in batches as the pass runs it
    (the model loaded beforehand)."""
    extract_with_model(texts[:1], language)
    began = time.perf_counter()
    extract_with_model(texts, language)
    return len(texts) / (time.perf_counter() - began)


def _score_mentions(label: str, fixtures: list[dict], verbose: bool, with_canonical: bool = True) -> None:
    expected = {f["id"]: [Mention(m["start"], m["end"], m["type"], m["canonical"]) for m in f["mentions"]]
                for f in fixtures}
    languages = {f["language"] for f in fixtures}
    for name, extractor in passes(languages.pop() if len(languages) == 1 else "en").items():
        found = {f["id"]: extractor(f["text"], f["language"]) for f in fixtures}
        title = f"{label}, {name}" if name != "rules" else label
        _print_scores(f"Mention level, {title} (span + type):", mention_scores(found, expected))
        if with_canonical:
            _print_scores(f"Mention level, {title} (span + type + canonical):",
                          mention_scores(found, expected, with_canonical=True))
        if verbose:
            for f in fixtures:
                got = {(m.start, m.end, m.type, m.canonical) for m in found[f["id"]]}
                want = {(m.start, m.end, m.type, m.canonical) for m in expected[f["id"]]}
                for kind, items in (("missed", want - got), ("spurious", got - want)):
                    for start, end, type_, canonical in sorted(items):
                        print(f"  {f['id']} {kind}: {f['text'][start:end]!r} {type_} {canonical}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the scores and speed.

    Args:
        argv: command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0.
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--gold", type=Path, default=ROOT / "bench" / "gold" / "seeds.json")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "tests" / "data" / "entities" / "fixtures.json")
    parser.add_argument("--news", type=Path, default=ROOT / "bench" / "gold" / "news_en.json",
                        help="held-out English news paragraphs with mention-level gold")
    parser.add_argument("--conll", type=Path, help="also score a CoNLL-2003 style file, e.g. eng.testb")
    parser.add_argument("--score", nargs=2, action="append", default=[], metavar=("FORMAT", "PATH"),
                        help="also score gold in FORMAT (conll, hipe or brat) at PATH, per language (repeatable)")
    parser.add_argument("--language", default="en", help="the language of --score files that do not say it")
    parser.add_argument("--rounds", type=int, default=40, help="passes over the seeds when timing")
    parser.add_argument("--corpus", type=Path, help="also time a corpus made by bench/generate.py")
    parser.add_argument("--verbose", action="store_true", help="list the misses and spurious entities")
    args = parser.parse_args(argv)

    seeds = load_seeds(args.seeds)
    gold = load_document_gold(args.gold)
    predicted = {name: _entity_sets(extract(body, language)) for name, (body, language) in seeds.items()}
    _print_scores("Document level, seeds:", document_scores(predicted, gold))
    if args.verbose:
        for name, by_type in gold.items():
            for type_ in TYPES:
                missed = by_type.get(type_, set()) - predicted[name][type_]
                spurious = predicted[name][type_] - by_type.get(type_, set())
                if missed or spurious:
                    print(f"  {name} {type_}: missed {sorted(missed)} spurious {sorted(spurious)}")

    gold = ROOT / "bench" / "gold"
    for label, path in (("fixtures", args.fixtures), ("held-out English news", args.news),
                        ("held-out Vietnamese news", gold / "news_vi.json"),
                        ("held-out Azerbaijani news", gold / "news_az.json"),
                        ("French news (tuned on)", gold / "news_fr.json"),
                        ("German news (tuned on)", gold / "news_de.json"),
                        ("Russian news (tuned on)", gold / "news_ru.json"),
                        ("held-out French news", gold / "news_fr_heldout.json"),
                        ("held-out German news", gold / "news_de_heldout.json"),
                        ("held-out Russian news", gold / "news_ru_heldout.json")):
        canonical = label == "fixtures" or "English" in label  # the others' canonical names are their surfaces
        fixtures = load_fixtures(path)
        _score_mentions(label, fixtures, args.verbose, with_canonical=canonical)
        language = fixtures[0]["language"]
        if label.startswith("held-out") and model_for(language) is not None:
            rate = model_throughput([f["text"] for f in fixtures], language)
            print(f"Speed of the {language} model, {label} ({len(fixtures)} paragraphs): {rate:.0f} articles/s")
    if args.conll:
        documents = load_conll(args.conll)
        half = len(documents) // 2
        # The rules were written looking at the first half's misses only; the second half stays held out.
        for label, part in (("", documents), (", first half", documents[:half]), (", second half", documents[half:])):
            _score_mentions(f"CoNLL {args.conll.name}{label}", part, args.verbose and not label, with_canonical=False)

    for kind, path in args.score:
        documents = load_gold(kind, Path(path), args.language)
        for language in sorted({document["language"] for document in documents}):
            part = [document for document in documents if document["language"] == language]
            _score_mentions(f"{Path(path).name} [{language}], {len(part)} documents", part, args.verbose,
                            with_canonical=False)
            rate, per_kb = throughput([(d["text"], language) for d in part], extract, 1)
            print(f"Speed, {Path(path).name} [{language}]: {rate:.0f} articles/s, {per_kb:.0f} µs/KB")
            if model_for(language) is not None:
                rate = model_throughput([d["text"] for d in part], language)
                print(f"Speed of the model, {Path(path).name} [{language}]: {rate:.0f} articles/s")

    texts = list(seeds.values())
    rate, per_kb = throughput(texts, extract, args.rounds)
    print(f"Speed, seeds x{args.rounds}: {rate:.0f} articles/s, {1e6 / rate:.0f} µs/article, {per_kb:.0f} µs/KB")
    synthetic = [(text, "en") for text in synthetic_articles(200)]
    rate, per_kb = throughput(synthetic, extract, max(1, args.rounds // 40))
    print(f"Speed, synthetic 3 KB: {rate:.0f} articles/s, {1e6 / rate:.0f} µs/article, {per_kb:.0f} µs/KB")
    if args.corpus:
        corpus = load_corpus(args.corpus, 2000)
        size = sum(len(text.encode("utf-8")) for text, _ in corpus) / len(corpus) / 1024
        rate, per_kb = throughput(corpus, extract, 3)
        print(f"Speed, corpus ({len(corpus)} articles, {size:.1f} KB each): {rate:.0f} articles/s, "
              f"{1e6 / rate:.0f} µs/article, {per_kb:.0f} µs/KB")
        for language in sorted({language for _, language in corpus}):
            texts = [text for text, lang in corpus if lang == language][:200]
            if model_for(language) is not None and texts:
                rate = model_throughput(texts, language)
                print(f"Speed of the {language} model, corpus ({len(texts)} articles): {rate:.0f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
