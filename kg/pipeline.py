"""The pipeline: the one module that knows the order of the stages.

read → parse → extract → resolve → graph → export
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg import __version__
from kg.errors import KgError, ParseError
from kg.extract import extract
from kg.graph import to_networkx
from kg.parse import parse_document
from kg.read import iter_documents
from kg.records import Article, Corpus, Extraction, Problem, RawDocument, Severity
from kg.resolve import resolve

DEFAULT_BASE = "https://kg.example.org/"
OUTPUTS = ("graph.trig", "graph.ttl", "graph.html", "graph.graphml", "report.json")


@dataclass(slots=True)
class BuildResult:
    """What :func:`build` returns: the records, the graph view, the report and the files written."""

    corpus: Corpus
    graph: nx.MultiDiGraph
    report: dict[str, object]
    outputs: dict[str, Path] = field(default_factory=dict)


def read_articles(paths: Iterable[str | os.PathLike[str]], *, problems: list[Problem],
                  fields: dict[str, str] | None = None) -> Iterator[Article]:
    """Read and parse every article under ``paths``; trouble goes into ``problems``."""
    for item in iter_documents([str(p) for p in paths], fields=fields):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        try:
            yield parse_document(item)
        except ParseError as exc:
            problems.append(_parse_problem(item, exc))


def _parse_problem(raw: RawDocument, exc: ParseError) -> Problem:
    return Problem(code=exc.code, message=str(exc), path=raw.path, line=raw.line, severity=Severity.ERROR)


def extract_all(articles: Iterable[Article], *, jobs: int = 1, tagger: bool = True) -> Iterator[Extraction]:
    """Extract every article, in ``jobs`` processes (output order = input order)."""
    if jobs <= 1:
        for article in articles:
            yield extract(article, tagger=tagger)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        yield from pool.map(_extract_worker, articles, itertools.repeat(tagger), chunksize=8)


def _init_worker() -> None:
    os.environ["KG_TAGGER_THREADS"] = "1"


def _extract_worker(article: Article, tagger: bool) -> Extraction:
    return extract(article, tagger=tagger)


def build(
    paths: Sequence[str | os.PathLike[str]],
    outdir: str | os.PathLike[str] | None = "exports",
    *,
    base: str = DEFAULT_BASE,
    jobs: int = 1,
    tagger: bool = True,
    fields: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of the articles under ``paths``.

    Reads files and folders, extracts, resolves, and (unless ``outdir`` is None)
    writes ``graph.trig``, ``graph.ttl``, ``graph.html``, ``graph.graphml`` and
    ``report.json`` into ``outdir``. Returns the records and the networkx graph.

    >>> result = build(["examples"], outdir=None)  # doctest: +SKIP
    >>> sorted(e.name for e in result.corpus.entities if e.type == "person")  # doctest: +SKIP
    ['李亚平', '沙一', '罗莎莎']

    Raises:
        KgError: when no article could be read from ``paths``.
    """
    timings: dict[str, float] = {}
    problems: list[Problem] = []
    t0 = time.perf_counter()
    extractions: list[Extraction] = []
    for n, ex in enumerate(extract_all(read_articles(paths, problems=problems, fields=fields), jobs=jobs, tagger=tagger), 1):
        extractions.append(ex)
        if progress:
            progress(n)
    timings["read+parse+extract"] = time.perf_counter() - t0
    if not extractions:
        raise KgError(f"no article could be read from {', '.join(map(str, paths))}: " + _problem_summary(problems))
    t = time.perf_counter()
    corpus = resolve(extractions)
    corpus = Corpus(**{**{f: getattr(corpus, f) for f in corpus.__dataclass_fields__}, "problems": tuple(problems) + corpus.problems})
    timings["resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = to_networkx(corpus)
    timings["graph"] = time.perf_counter() - t
    outputs: dict[str, Path] = {}
    if outdir is not None:
        outputs = write_outputs(corpus, graph, Path(outdir), base=base, timings=timings)
    report = make_report(corpus, extractions, paths, timings, outputs)
    if outdir is not None:
        _write_json(Path(outdir) / "report.json", report)
        outputs["report"] = Path(outdir) / "report.json"
    return BuildResult(corpus=corpus, graph=graph, report=report, outputs=outputs)


def write_outputs(corpus: Corpus, graph: nx.MultiDiGraph, outdir: Path, *, base: str,
                  timings: dict[str, float]) -> dict[str, Path]:
    """Write every output of a build into ``outdir``."""
    from kg.export.graphml import write_graphml
    from kg.export.html import write_html
    from kg.export.rdf import write_trig, write_turtle

    outdir.mkdir(parents=True, exist_ok=True)
    writers: list[tuple[str, str, Callable[[Path], None]]] = [
        ("trig", "graph.trig", lambda p: write_trig(corpus, p, base=base)),
        ("turtle", "graph.ttl", lambda p: write_turtle(corpus, p, base=base)),
        ("html", "graph.html", lambda p: write_html(graph, p)),
        ("graphml", "graph.graphml", lambda p: write_graphml(graph, p)),
    ]
    outputs = {}
    for name, filename, write in writers:
        t = time.perf_counter()
        write(outdir / filename)
        timings[f"export.{name}"] = time.perf_counter() - t
        outputs[name] = outdir / filename
    return outputs


def make_report(corpus: Corpus, extractions: list[Extraction], paths: Sequence[object],
                timings: dict[str, float], outputs: dict[str, Path]) -> dict[str, object]:
    """The run report: what was read, counts by type, problems by code, timings."""
    mentions = Counter(m.type.value for ex in extractions for m in ex.mentions)
    codes = Counter(p.code for p in corpus.problems)
    return {
        "kg_version": __version__,
        "inputs": [str(p) for p in paths],
        "articles": {
            "read": len(extractions),
            "built": len(corpus.articles),
            "duplicates": codes.get("resolve.duplicate-article", 0),
            "characters": sum(len(a.text) for a in corpus.articles),
        },
        "entities": dict(sorted(Counter(e.type.value for e in corpus.entities).items())),
        "facts": {
            "tenures": len(corpus.tenures),
            "documents": len(corpus.documents),
            "events": len(corpus.events),
            "quotations": len(corpus.quotations),
            "merges": len(corpus.merges),
        },
        "mentions": dict(sorted(mentions.items())),
        "problems": {
            "by_code": dict(sorted(codes.items())),
            "items": [_problem_json(p) for p in corpus.problems],
        },
        "timings_seconds": {k: round(v, 4) for k, v in timings.items()},
        "outputs": sorted(p.name for p in outputs.values()),
    }


def _problem_json(p: Problem) -> dict[str, object]:
    out = {"code": p.code, "severity": p.severity.value, "message": p.message, "path": p.path}
    if p.line is not None:
        out["line"] = p.line
    if p.doc_id:
        out["doc_id"] = p.doc_id
    return out


def _problem_summary(problems: list[Problem]) -> str:
    if not problems:
        return "no input files found"
    return "; ".join(f"{p.path}: {p.code}" for p in problems[:5]) + (" …" if len(problems) > 5 else "")


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def log(message: str) -> None:
    print(message, file=sys.stderr)
