"""The `archivist` command line: index, search, read, correct and collect excerpts from archives."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict
from pathlib import Path
from typing import Any

from index.archive import Archive, article_lookup
from index.atomic import write_atomically
from index.errors import ArchivistError, QuerySyntaxError
from index.logs import log_path, start_logging
from index.models import (
    DEFAULT_COPY_THRESHOLD,
    ENTITY_FACETS,
    MIN_COPY_THRESHOLD,
    Article,
    Filters,
    Hit,
    IndexSummary,
    SearchRequest,
    SearchResult,
    SortOrder,
)
from index.paths import STOP_WITH_PARENT_ENV, absolute, data_dir, last_archive
from index.userdata.citations import FORMATS, citation, exported_basket, read_json_export, render, write_export
from index.userdata.corrections import read_shared_entity_corrections
from index.userdata.excerpts import Baskets, CheckedExcerpt, check
from index.userdata.files import describe_os_error
from index.version import VERSION

log = logging.getLogger(__name__)
# Control characters an article may hold that a terminal would obey (clear the screen, retitle the
# window, write the clipboard with OSC 52): shown escaped, never sent. Tabs and newlines stay.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EXIT_BROKEN_PIPE = 128 + 13  # what a program killed by SIGPIPE returns, as shells expect from `| head`
GROUPED_FORMATS = ("md", "txt", "docx")  # the formats --by-article changes
EXIT_SOFTWARE = 70  # sysexits' EX_SOFTWARE: a bug, whose details are in the log


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command of the command line (``archivist_launcher`` starts the app when none is given)."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = command_parser()
    options = parser.parse_args(args)
    start_logging()
    try:
        return int(options.handler(options))
    except QuerySyntaxError as error:
        query = getattr(options, "query", "") or ""
        marker = " " * min(error.position, len(query))
        print(f"archivist: bad query: {error.message}\n  {printable(query)}\n  {marker}^", file=sys.stderr)
        return 2
    except ArchivistError as error:
        log.info("archivist %s: %s", options.command, error)
        print(f"archivist: {printable(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`archivist entities | head`): stop quietly, as other tools do.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        log.exception("archivist %s failed", options.command)
        where = f" ({error.filename})" if error.filename else ""
        print(f"archivist: {describe_os_error(error)}{printable(where)}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a bug: one line for the user, the traceback in the log
        log.exception("archivist %s failed", options.command)
        print(f"archivist: unexpected error ({type(error).__name__}); details are in {log_path()}", file=sys.stderr)
        return EXIT_SOFTWARE


def printable(text: str) -> str:
    """``text`` with the control characters a terminal would obey shown as escapes (``\\x1b``)."""
    return _TERMINAL_CONTROLS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit does not fail again on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _json(value: Any) -> str:
    """JSON for the terminal: C1 control characters escaped too (json escapes only C0 ones)."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, indent=1))


APP_USAGE = """without a command, archivist opens the desktop app (archivist FOLDER opens that folder in it);
  --version                    print the version
  --self-test                  check this installation: index the bundled seeds, search, export, open the window
  --install-desktop-entry      add Archivist to your desktop's menu (--uninstall-desktop-entry removes it)"""


def command_names() -> set[str]:
    """The commands of the command line."""
    commands = next(a for a in command_parser()._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return set(commands.choices)


def command_parser() -> argparse.ArgumentParser:
    """The command line's arguments, as `archivist --help` describes them."""
    parser = argparse.ArgumentParser(
        prog="archivist", description=__doc__, epilog=APP_USAGE, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"archivist {VERSION}")
    parser.add_argument("--data-dir", type=Path, help="where indexes live (default: the user data dir)")
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index", help="index an archive folder (only what changed)")
    index.add_argument("path", type=Path)
    index.add_argument("--workers", type=_positive, help="processes analysing files (default: one per core)")
    index.set_defaults(handler=_index)

    search = commands.add_parser("search", help="search the archive; words are ANDed")
    search.add_argument("query", nargs="?", default="*")
    search.add_argument("--source", action="append", default=[], help="only this outlet (repeatable)")
    search.add_argument("--not-source", action="append", default=[], help="not this outlet (repeatable)")
    search.add_argument("--lang", action="append", default=[], help="only this language (repeatable)")
    search.add_argument("--not-lang", action="append", default=[], help="not this language (repeatable)")
    search.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    search.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    search.add_argument("--sort", choices=["relevance", "date", "newest", "oldest"], default="relevance")
    search.add_argument("--limit", type=_positive, default=20)
    search.add_argument("--as-typed", action="store_true", help="match names only as typed, not their other spellings")
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=_search)

    show = commands.add_parser("show", help="print one article")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    facets = commands.add_parser("facets", help="facet counts and timeline for a query")
    facets.add_argument("query", nargs="?", default="*")
    facets.add_argument("--json", action="store_true")
    facets.set_defaults(handler=_facets)

    similar = commands.add_parser("similar", help="articles like the given one")
    similar.add_argument("id")
    similar.add_argument("--limit", type=_positive, default=10)
    similar.add_argument("--json", action="store_true")
    similar.set_defaults(handler=_similar)

    comparing = commands.add_parser("compare", help="what two articles share and where they differ")
    comparing.add_argument("a", metavar="ID")
    comparing.add_argument("b", metavar="ID")
    comparing.add_argument("--json", action="store_true", help="offsets into each article's body")
    comparing.set_defaults(handler=_compare)

    copies = commands.add_parser("duplicates", help="articles that are near copies of each other (syndicated, edited)")
    copies.add_argument(
        "--threshold", type=float, default=DEFAULT_COPY_THRESHOLD,
        help=f"the share of their wording two articles must have in common, {MIN_COPY_THRESHOLD} to 1 "
        f"(default {DEFAULT_COPY_THRESHOLD})",
    )  # fmt: skip
    copies.add_argument("--json", action="store_true")
    copies.set_defaults(handler=_duplicates)

    correct = commands.add_parser("correct", help="correct an article's title, date, source or language")
    correct.add_argument("id")
    correct.add_argument("field", choices=["title", "date", "source", "language"])
    correct.add_argument("value", nargs="?", help="the right value; omit with --undo")
    correct.add_argument("--undo", action="store_true", help="withdraw the correction")
    correct.set_defaults(handler=_correct)

    entities = commands.add_parser("entities", help="people, organisations and places named by matching articles")
    entities.add_argument("query", nargs="?", default="*")
    entities.add_argument("--type", choices=sorted(ENTITY_FACETS), action="append", help="only this type (repeatable)")
    entities.add_argument("--limit", type=_positive, default=30)
    entities.add_argument("--json", action="store_true")
    entities.add_argument(
        "--status", action="store_true", help="how far the language models have read the archive (see --run-models)"
    )
    entities.add_argument(
        "--run-models",
        action="store_true",
        help="read the articles the installed language models have not read yet, and re-index "
        "them with the names found (the app does it by itself); Ctrl-C stops, the next run resumes",
    )
    entities.set_defaults(handler=_entities)

    entity = commands.add_parser("entity", help="look up an entity, or correct the extracted entities")
    actions = entity.add_subparsers(dest="action", required=True)
    kinds = sorted(ENTITY_FACETS)
    info = actions.add_parser("info", help="an entity's aliases, article count and dates")
    info.add_argument("name")
    info.add_argument("--type", choices=sorted(ENTITY_FACETS))
    for name, help_text, arguments in (
        ("rename", "give an entity another name", ("type", "name", "new_name")),
        ("merge", "fold one entity into another", ("type", "name", "into")),
        ("retype", "change an entity's type", ("type", "name", "new_type")),
        ("delete", "drop a false entity", ("type", "name")),
        ("add", "make every occurrence of a text an entity", ("text", "type", "name")),
        ("split", "make a surface form name another entity", ("text", "type", "name")),
    ):
        action = actions.add_parser(name, help=help_text)
        for argument in arguments:
            if argument in ("type", "new_type"):
                action.add_argument(argument, choices=kinds, help="person, org or place")
            else:
                action.add_argument(argument)
    export = actions.add_parser("export", help="write the entity corrections to a file to share")
    export.add_argument("file", type=Path)
    load = actions.add_parser("import", help="replace the entity corrections with a shared file's")
    load.add_argument("file", type=Path)
    entity.set_defaults(handler=_entity)

    excerpts = commands.add_parser("excerpts", help="collect passages of articles with their citations; export them")
    tasks = excerpts.add_subparsers(dest="task", required=True)
    add = tasks.add_parser("add", help="add characters START to END of an article's body (see `show ID --json`)")
    add.add_argument("id", help="the article's id")
    add.add_argument("--start", type=int, required=True, help="the first character, counting from 0")
    add.add_argument("--end", type=int, required=True, help="the character after the last")
    add.add_argument("--note", default="", help="your note on the passage")
    add.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    add.add_argument("--query", default="", help="the search the passage was found with, kept with it")
    add.add_argument("--archive", type=Path, help="the archive folder (default: the one used last)")
    listing = tasks.add_parser("list", help="the excerpts of a basket, checked against their articles")
    listing.add_argument("--json", action="store_true", help="every field of every excerpt, as JSON")
    export = tasks.add_parser("export", help="write a basket's excerpts to a file")
    export.add_argument("--format", required=True, choices=list(FORMATS), help="the file format")
    export.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    export.add_argument("--by-article", action="store_true", help="group excerpts by article (md, txt, docx)")
    load = tasks.add_parser("import", help="add the excerpts of a JSON export to a basket")
    load.add_argument("file", type=Path)
    remove = tasks.add_parser("remove", help="remove an excerpt")
    remove.add_argument("excerpt_id")
    edit = tasks.add_parser("edit", help="change an excerpt's note or tags")
    edit.add_argument("excerpt_id")
    edit.add_argument("--note", help='the new note ("" clears it)')
    edit.add_argument("--tag", action="append", help="the new tags (repeatable; replaces the old ones)")
    edit.add_argument("--no-tags", action="store_true", help="remove every tag")
    move = tasks.add_parser("move", help="move an excerpt to another place in its basket's order")
    move.add_argument("excerpt_id")
    move.add_argument("position", type=_positive, help="its new place, counting from 1")
    tasks.add_parser("baskets", help="the baskets and how many excerpts each holds")
    for task in tasks.choices.values():
        if task.prog.split()[-1] != "baskets":
            task.add_argument("--basket", help="the basket (default: the default basket)")
    excerpts.set_defaults(handler=_excerpts)

    for command in (search, show, facets, similar, comparing, copies, correct, entities, entity):
        command.add_argument("--archive", type=Path, help="the archive folder (default: the one used last)")
    for action in actions.choices.values():
        # Also after the action (`entity info X --archive A`); SUPPRESS keeps a value given before it.
        action.add_argument("--archive", type=Path, default=argparse.SUPPRESS, help="the archive folder")
    return parser


# The archives a resident server (index/resident.py) keeps open between commands, the most recently
# used last, and how many it keeps; None: a command's own process, which opens each one it reads.
_kept_archives: OrderedDict[tuple[Path, Path], Archive] | None = None
_keep_at_most = 0


def keep_archives_open(at_most: int) -> None:
    """Keep up to ``at_most`` archives open from one command to the next (a resident server)."""
    global _kept_archives, _keep_at_most
    _kept_archives, _keep_at_most = OrderedDict(), at_most


def _archive(options: argparse.Namespace) -> Archive:
    root = options.archive or last_archive(options.data_dir)
    if _kept_archives is None:
        return Archive(root, options.data_dir)
    # Named from the command's folder: a kept archive must not be found again from another one.
    key = (absolute(Path(root)), absolute(Path(options.data_dir or data_dir())))
    archive = _kept_archives.pop(key, None) or Archive(*key)
    _kept_archives[key] = archive
    while len(_kept_archives) > _keep_at_most:
        _kept_archives.popitem(last=False)[1].close()
    return archive


def _index(options: argparse.Namespace) -> int:
    archive = Archive(options.path, options.data_dir)
    try:
        previous: Path | None = last_archive(options.data_dir)
    except ArchivistError:
        previous = None
    started = time.perf_counter()
    show_bar = sys.stderr.isatty()

    def progress(done: int, total: int, path: str) -> None:
        if not show_bar:
            return
        rate = done / max(time.perf_counter() - started, 1e-6)
        left = (total - done) / rate if rate else 0
        width = 30
        filled = int(width * done / max(total, 1))
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:.0f} files/s, {left:.0f}s left "
        sys.stderr.write(line[:120])
        sys.stderr.flush()

    def waiting(holder: str) -> None:
        print(f"archivist: waiting: {holder}", file=sys.stderr)

    with _cancelled_by_signals() as cancelled:
        summary = archive.update(progress=progress, should_cancel=cancelled, workers=options.workers, on_wait=waiting)
    if show_bar:
        sys.stderr.write("\n")
    print(_summary_text(summary, archive))
    if previous is not None and Path(previous) != archive.root:
        print(printable(f"Commands without --archive now use {archive.root} (they used {previous})."))
    return 130 if summary.cancelled else 0


@contextmanager
def _cancelled_by_signals(what: str = "the files being read") -> Iterator[Callable[[], bool]]:
    """Ctrl-C and SIGTERM ask the run to stop cleanly (what it committed stays); a second Ctrl-C
    stops at once."""
    requested = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield requested.is_set
        return

    def on_signal(number: int, _frame: object) -> None:
        if requested.is_set() and number == signal.SIGINT:
            raise KeyboardInterrupt
        requested.set()
        print(f"\narchivist: stopping after {what}; Ctrl-C again to stop at once", file=sys.stderr)

    previous = {number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield requested.is_set
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _parent_gone() -> bool:
    """Whether the app that started this process, whose id STOP_WITH_PARENT_ENV holds, has ended:
    an orphan is adopted by another process, so its parent's id changes."""
    parent = os.environ.get(STOP_WITH_PARENT_ENV, "")
    return parent.isdigit() and os.getppid() != int(parent)


def _summary_text(summary: IndexSummary, archive: Archive) -> str:
    lines = [
        f"{printable(str(archive.root))}: {summary.added} added, {summary.updated} updated, {summary.deleted} "
        f"deleted, {summary.unchanged} files unchanged, {len(summary.skipped)} skipped ({summary.seconds:.1f} s)"
    ]
    if summary.cancelled:
        lines.append("Stopped before the end: what was indexed is kept; index again to finish.")
    if summary.rebuilt:
        lines.append(f"The index was rebuilt from the archive: {summary.rebuilt}.")
    lines += [f"Note: {printable(note)}" for note in summary.notes]
    reasons = Counter(s.reason for s in summary.skipped)
    for skipped in summary.skipped[:50]:
        lines.append(f"  skipped {printable(skipped.path)}: {printable(skipped.reason)}")
    if len(summary.skipped) > 50:
        lines.append("  ... and more: " + "; ".join(f"{n} x {printable(r)}" for r, n in reasons.most_common(5)))
    for problem in summary.problems[:50]:
        lines.append(f"  partly analysed {printable(problem.path)} ({problem.step}): {printable(problem.error)}")
    if len(summary.problems) > 50:
        lines.append(f"  ... and {len(summary.problems) - 50} more partly analysed articles")
    if summary.problems or any(s.reason.startswith(("could not", "reading failed")) for s in summary.skipped):
        lines.append(f"Details of the failures: {log_path()}")
    lines.append(f"Index: {archive.index_dir}")
    return "\n".join(lines)


def _search(options: argparse.Namespace) -> int:
    sort = {"relevance": SortOrder.RELEVANCE, "oldest": SortOrder.OLDEST}.get(options.sort, SortOrder.NEWEST)
    filters = Filters(
        date_from=options.date_from,
        date_to=options.date_to,
        sources=tuple(options.source),
        exclude_sources=tuple(options.not_source),
        languages=tuple(options.lang),
        exclude_languages=tuple(options.not_lang),
    )
    request = SearchRequest(options.query, filters, sort, page_size=options.limit, spellings=not options.as_typed)
    result = _archive(options).search(request)
    if options.json:
        print(_json(_result_json(result)))
        return 0
    print(
        f"{_count(result.total, 'article')} {'matches' if result.total == 1 else 'match'} "
        f"{printable(repr(options.query))}"
    )
    if result.also_matched:
        print(printable(f"also matched: {', '.join(result.also_matched)} (--as-typed to leave them out)"))
    for hit in result.hits:
        print(_hit_line(hit))
    return 0


def _facets(options: argparse.Namespace) -> int:
    result = _archive(options).search(SearchRequest(options.query, page_size=0))
    if options.json:
        print(_json(_result_json(result)))
        return 0
    print(
        f"{_count(result.total, 'article')} {'matches' if result.total == 1 else 'match'} "
        f"{printable(repr(options.query))}"
    )
    for facet in result.facets.values():
        print(f"\n{facet.name} ({facet.distinct} values)")
        for value in facet.values:
            print(f"  {value.count:6d}  {printable(value.value)}")
    timeline = result.timeline
    counts = ", ".join(f"{b.label}: {b.count}" for b in timeline.buckets if b.count)
    print(f"\ntimeline by {timeline.unit}: {counts or 'no dated article'}")
    print(f"no date: {timeline.undated}")
    return 0


def _show(options: argparse.Namespace) -> int:
    archive = _archive(options)
    article = archive.article(options.id)
    if options.json:
        record = _plain(asdict(article))
        record["entities"] = [_plain(asdict(m)) for m in archive.entities(article.id)]
        print(_json(record))
        return 0
    lines = [
        article.title,
        f"date: {article.date or 'unknown'} ({article.date_provenance.value})",
        f"source: {article.source or 'unknown'} ({article.source_provenance.value})"
        + (f", relaying {article.relayed_source}" if article.relayed_source else ""),
        f"language: {article.language} ({article.language_provenance.value})",
        f"file: {article.path}",
    ]
    named: dict[str, set[str]] = {}
    for mention in archive.entities(article.id):
        named.setdefault(mention.type.lower(), set()).add(mention.canonical)
    lines += [f"{kind}: {', '.join(sorted(names))}" for kind, names in sorted(named.items())]
    print(printable("\n".join([*lines, "", article.body])))
    return 0


def _similar(options: argparse.Namespace) -> int:
    hits = _archive(options).more_like(options.id, options.limit)
    if options.json:
        print(_json([_hit_json(h) for h in hits]))
    for hit in hits if not options.json else ():
        print(_hit_line(hit))
    return 0


PASSAGE_MARKS = {"same": "=", "similar": "~", "only_a": "A", "only_b": "B"}
QUOTED_CHARS = 160


def _compare(options: argparse.Namespace) -> int:
    archive = _archive(options)
    comparison = archive.compare(options.a, options.b)
    if options.json:
        print(_json(comparison.to_dict()))
        return 0
    a, b = archive.article(options.a), archive.article(options.b)
    kinds = Counter(str(p.kind) for p in comparison.passages)
    lines = [
        *(f"{side}: {_described(article)}" for side, article in (("A", a), ("B", b))),
        f"{comparison.share_a:.0%} of A is in B in the same words, {comparison.share_b:.0%} of B is in A; "
        f"{kinds['same']} passages the same, {kinds['similar']} alike in other words, "
        f"{kinds['only_a']} only in A, {kinds['only_b']} only in B",
    ]
    for title, entities in (
        ("both name", comparison.shared_entities),
        ("only A names", comparison.only_a_entities),
        ("only B names", comparison.only_b_entities),
    ):
        lines.append(f"{title}: {', '.join(e.name for e in entities) or 'nothing'}")
    lines.append("")
    for passage in comparison.passages:
        mark = PASSAGE_MARKS[str(passage.kind)]
        quoted = [_quoted(text.body, span) for text, span in ((a, passage.a), (b, passage.b)) if span is not None]
        lines.append(f"{mark} " + "\n  ~ ".join(quoted) if mark == "~" else f"{mark} " + quoted[0])
    print(printable("\n".join(lines)))
    return 0


def _duplicates(options: argparse.Namespace) -> int:
    archive = _archive(options)
    found = archive.near_copies(options.threshold)
    if options.json:
        print(_json({"clusters": [{"ids": list(c.ids), "representative": c.representative} for c in found]}))
        return 0
    copies = sum(len(c.ids) - 1 for c in found)
    lines = [
        f"{len(found)} groups of near copies ({copies} copies besides the first of each), threshold {options.threshold}"
    ]
    for cluster in found:
        lines.append("")
        lines += [f"{'*' if k == 0 else ' '} {_described(archive.article(i))}" for k, i in enumerate(cluster.ids)]
    print(printable("\n".join(lines)))
    return 0


def _described(article: Article) -> str:
    where = f"{article.source or 'unknown source'}, {article.date or 'undated'}, {article.language}"
    return f"{article.title} ({where}; {article.id})"


def _quoted(body: str, span: tuple[int, int]) -> str:
    text = " ".join(body[span[0] : span[1]].split())
    return text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1] + "…"


def _correct(options: argparse.Namespace) -> int:
    if options.value is None and not options.undo:
        print("archivist: give the right value, or --undo to withdraw the correction", file=sys.stderr)
        return 2
    article = _archive(options).correct(options.id, options.field, None if options.undo else options.value)
    print(f"{article.id}: {options.field} is now {printable(str(getattr(article, options.field)))}")
    return 0


def _entities(options: argparse.Namespace) -> int:
    if options.run_models:
        return _run_entity_models(_archive(options))
    if options.status:
        return _entity_model_status(_archive(options), options.json)
    result = _archive(options).search(SearchRequest(options.query, page_size=0, facet_limit=options.limit))
    facets = {name: result.facets[name] for name in options.type or sorted(ENTITY_FACETS)}
    if options.json:
        print(
            _json(
                {
                    name: {"distinct": f.distinct, "values": {v.value: v.count for v in f.values}}
                    for name, f in facets.items()
                }
            )
        )
        return 0
    for name, facet in facets.items():
        print(f"{name} ({facet.distinct} in {result.total} articles)")
        for value in facet.values:
            print(f"  {value.count:6d}  {printable(value.value)}")
    return 0


def _entity_model_status(archive: Archive, as_json: bool) -> int:
    status = archive.entity_model_status()
    if as_json:
        print(
            _json(
                {
                    "running": status.running,
                    "done": status.done,
                    "total": status.total,
                    "languages": [asdict(p) for p in status.languages],
                    "missing": list(status.missing),
                }
            )
        )
        return 0
    for progress in status.languages:
        print(f"{progress.language}: {progress.done} of {progress.total} articles read by {progress.model}")
    if not status.languages:
        print("No language of this archive has an entity model installed: its entities are the rules' alone.")
    if status.missing:
        print(
            f"Entity models exist for {', '.join(status.missing)} but are not installed here "
            "(pip install 'archivist[models]')."
        )
    if status.running:
        print(printable(f"Running: {status.running}."))
    elif status.done < status.total:
        print("Not running: archivist entities --run-models reads the rest (the app does it by itself).")
    return 0


def _run_entity_models(archive: Archive) -> int:
    with suppress(OSError):  # background work: let the app and other commands go first
        os.nice(10)
    show_bar = sys.stderr.isatty()

    def progress(done: int, total: int, language: str) -> None:
        if show_bar:
            sys.stderr.write(f"\r{language}: {done}/{total} articles read by the model ")
            sys.stderr.flush()

    with _cancelled_by_signals("the articles being read") as cancelled:
        summary = archive.run_entity_models(progress, lambda: cancelled() or _parent_gone())
    if show_bar:
        sys.stderr.write("\n")
    print(
        f"{summary.read} articles read by the entity models in {summary.seconds:.1f} s"
        + (" (stopped; the next run resumes)" if summary.cancelled else "")
    )
    for problem in summary.problems:
        print(printable(f"  {problem.path}: {problem.step}: {problem.error}"))
    return 130 if summary.cancelled else 0


def _entity(options: argparse.Namespace) -> int:
    archive = _archive(options)
    if options.action == "info":
        entity = archive.entity(options.name, ENTITY_FACETS[options.type] if options.type else None)
        dates = f"{entity.first_date or '?'} to {entity.last_date or '?'}"
        print(printable(f"{entity.name} ({entity.type.lower()}): {entity.articles} articles, {dates}"))
        if entity.aliases:
            print(printable("also known as: " + ", ".join(entity.aliases)))
        return 0
    if options.action == "export":
        exported = json.dumps(archive.entity_corrections.to_dict(), ensure_ascii=False, indent=1)
        write_atomically(options.file, exported.encode("utf-8"))
        print(f"entity corrections written to {printable(str(options.file))}")
        return 0
    if options.action == "import":
        shared = read_shared_entity_corrections(options.file)
        count = archive.set_entity_corrections(shared)
    else:
        type_ = ENTITY_FACETS[options.type]
        if options.action in ("rename", "merge", "retype", "delete"):
            archive.entity(options.name, type_)  # Says so when no article names it.
        change = {
            "rename": lambda c: c.rename(type_, options.name, options.new_name),
            "merge": lambda c: c.merge(type_, options.name, options.into),
            "retype": lambda c: c.retype(type_, options.name, ENTITY_FACETS[options.new_type]),
            "delete": lambda c: c.delete(type_, options.name),
            "add": lambda c: c.add(options.text, type_, options.name),
            "split": lambda c: c.split_alias(options.text, type_, options.name),
        }[options.action]

        def waiting(holder: str) -> None:
            print(f"archivist: waiting: {holder}", file=sys.stderr)

        count = archive.change_entity_corrections(change, on_wait=waiting)
    print(f"entity corrections saved; {count} articles re-indexed")
    return 0


def _excerpts(options: argparse.Namespace) -> int:
    baskets = Baskets(options.data_dir)
    if options.task == "baskets":
        for name in baskets.names():
            try:
                print(printable(f"{len(baskets.basket(name).excerpts()):6d}  {name}"))
            except ArchivistError as error:  # one unreadable basket does not hide the others
                print(printable(f"     ?  {name} ({error})"))
        return 0
    if options.task == "add":
        archive = _archive(options)
        excerpt = archive.excerpt(options.id, options.start, options.end, options.query, options.note, options.tag)
        basket = baskets.basket(options.basket)
        known = baskets.names()
        basket.add(excerpt)
        if basket.name not in known:
            print(
                printable(f"archivist: basket {basket.name!r} is new (the others: {', '.join(known)})"), file=sys.stderr
            )
        print(printable(f"{excerpt.id}: added to basket {basket.name!r}: “{_shortened(excerpt.text)}”"))
        return 0
    if options.task in ("remove", "edit", "move"):
        basket = baskets.existing(options.basket) if options.basket else baskets.find(options.excerpt_id)[0]
        if options.task == "remove":
            _, excerpt = basket.remove(options.excerpt_id)
            print(printable(f"{excerpt.id}: removed from basket {basket.name!r}: “{_shortened(excerpt.text)}”"))
        elif options.task == "move":
            basket.move(options.excerpt_id, options.position - 1)
            place = [e.id for e in basket.excerpts()].index(options.excerpt_id) + 1
            print(printable(f"{options.excerpt_id}: now number {place} in basket {basket.name!r}"))
        else:
            tags = [] if options.no_tags else options.tag
            changed = basket.edit(options.excerpt_id, options.note, tags)
            print(printable(f"{changed.id}: note {changed.note!r}, tags {', '.join(changed.tags) or 'none'}"))
        return 0
    if options.task == "import":
        imported = read_json_export(options.file)
        basket = baskets.basket(options.basket)
        added = basket.add_many(imported)
        already = len(imported) - added
        source = exported_basket(options.file)
        print(
            printable(f"{_count(added, 'excerpt')} imported into basket {basket.name!r}")
            + (f"; {already} {'was' if already == 1 else 'were'} already in it" if already else "")
            + (
                printable(f" (exported from basket {source!r}; --basket NAME imports into another)")
                if source and source != basket.name and not options.basket
                else ""
            )
        )
        return 0
    if options.task == "export" and options.by_article and options.format not in GROUPED_FORMATS:
        print(
            f"archivist: --by-article applies to {', '.join(GROUPED_FORMATS)} (the reference formats always "
            "hold one record per article)",
            file=sys.stderr,
        )
        return 2
    basket = baskets.existing(options.basket)
    with article_lookup(options.data_dir) as lookup:
        checked = check(basket.excerpts(), lookup)
    if options.task == "list":
        return _list_excerpts(basket.name, checked, options.json)
    data = render(checked, options.format, basket.name, options.by_article)
    write_export(options.output, data)
    flagged = sum(1 for item in checked if item.flag)
    print(
        printable(f"{_count(len(checked), 'excerpt')} of basket {basket.name!r} written to {options.output}")
        + (
            f" ({flagged} flagged: {'its article' if flagged == 1 else 'their articles'} changed or"
            f" {'is' if flagged == 1 else 'are'} gone)"
            if flagged
            else ""
        )
    )
    return 0


def _list_excerpts(name: str, checked: list[CheckedExcerpt], as_json: bool) -> int:
    if as_json:
        print(
            _json([dict(item.excerpt.to_dict(), flag=item.flag, citation=citation(item.excerpt)) for item in checked])
        )
        return 0
    print(printable(f"basket {name!r}: {_count(len(checked), 'excerpt')}"))
    for number, item in enumerate(checked, 1):
        excerpt = item.excerpt
        lines = [f"{number:3d}. {excerpt.id}  “{_shortened(excerpt.text, 100)}”", f"     {citation(excerpt)}"]
        if excerpt.note:
            lines.append("     note: " + excerpt.note.replace("\n", "\n           "))
        if excerpt.tags:
            lines.append(f"     tags: {', '.join(excerpt.tags)}")
        if item.flag:
            lines.append(f"     flagged: {item.flag}")
        print(printable("\n".join(lines)))
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shortened(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _hit_line(hit: Hit) -> str:
    date = hit.date.isoformat() if hit.date else "no date   "
    mark = "~" if hit.date and hit.date_provenance.value == "text" else ""
    line = f"{hit.id}  {date}{mark:1} {hit.language:3} {(hit.source or '?')[:14]:14} {hit.title[:70]}"
    return printable(line)


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "date": hit.date.isoformat() if hit.date else None,
        "date_provenance": hit.date_provenance.value,
        "source": hit.source,
        "source_provenance": hit.source_provenance.value,
        "language": hit.language,
        "score": round(hit.score, 4),
        "snippet": hit.snippet.text,
        "snippet_spans": [[s.start, s.end] for s in hit.snippet.spans],
    }


def _result_json(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "also_matched": list(result.also_matched),
        "hits": [_hit_json(h) for h in result.hits],
        "facets": {
            name: {"distinct": f.distinct, "values": {v.value: v.count for v in f.values}}
            for name, f in result.facets.items()
        },
        "timeline": {
            "unit": result.timeline.unit,
            "buckets": [
                {"start": b.start.isoformat(), "end": b.end.isoformat(), "label": b.label, "count": b.count}
                for b in result.timeline.buckets
            ],
            "undated": result.timeline.undated,
        },
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "value", value)
