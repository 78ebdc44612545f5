"""The pipeline: the one module that knows the order of the stages.

read → parse → extract → resolve → graph → export

Extraction runs in this process, in ``jobs`` local processes, or on a Dask
cluster (``engine="dask"``); whichever runs it, the outputs are byte-identical,
because resolution sorts everything it is given. Extractions are cached by
content hash and extractor version, so a rerun on a grown corpus extracts only
the new articles.
"""

from __future__ import annotations

import collections
import gc
import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import networkx as nx

from kg import __version__
from kg.cache import CACHE_DIR, ExtractionCache
from kg.dedupe import near_duplicates
from kg.errors import ExportError, KgError, ParseError
from kg.extract import extract_many
from kg.graph import to_networkx
from kg.iri import DEFAULT_BASE, check_base
from kg.parse import parse_document
from kg.read import iter_documents
from kg.records import Article, Corpus, Extraction, Problem, Severity
from kg.resolve import Override, iter_audit, read_overrides, resolve

OUTPUTS = ("graph.trig", "graph.ttl", "graph.html", "graph.graphml", "graph.gexf", "graph.json", "nodes.csv",
           "relationships.csv", "resolution.jsonl", "report.json")
BATCH = 16  # articles per task sent to a worker


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
            problems.append(Problem(code=exc.code, message=str(exc), path=item.path, line=item.line,
                                    severity=Severity.ERROR))


def _extract_batch(articles: list[Article], tagger: bool) -> list[Extraction]:
    return extract_many(articles, tagger=tagger)


def _init_worker() -> None:
    os.environ["KG_TAGGER_THREADS"] = "1"  # one onnxruntime thread per process: no oversubscription


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for a in articles:
        batch.append(a)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_all(articles: Iterable[Article], *, jobs: int = 1, tagger: bool = True, engine: str = "local",
                scheduler: str | None = None) -> Iterator[Extraction]:
    """Extract every article, in this process, ``jobs`` processes or on a Dask cluster.

    Output order is input order; at most a few batches per worker are in flight,
    so memory does not grow with the corpus.
    """
    if engine == "dask":
        yield from _extract_dask(articles, tagger=tagger, scheduler=scheduler)
        return
    if engine != "local":
        raise KgError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    if jobs <= 1:
        for batch in _batches(articles, BATCH):
            yield from extract_many(batch, tagger=tagger)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        pending: collections.deque[Future[list[Extraction]]] = collections.deque()
        for batch in _batches(articles, BATCH):
            pending.append(pool.submit(_extract_batch, batch, tagger))
            if len(pending) >= 3 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _extract_dask(articles: Iterable[Article], *, tagger: bool, scheduler: str | None) -> Iterator[Extraction]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise KgError("the dask engine needs the 'dask' extra: pip install 'kg[dask]'") from exc
    if not scheduler:
        raise KgError("the dask engine needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    with Client(scheduler, set_as_default=False) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        client.run(_init_worker)
        pending: collections.deque = collections.deque()
        for batch in _batches(articles, BATCH):
            pending.append(client.submit(_extract_batch, batch, tagger, pure=False))
            if len(pending) >= 3 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _cached(articles: Iterable[Article], cache: ExtractionCache | None, tagger: bool,
            run: Callable[[Iterable[Article]], Iterator[Extraction]]) -> Iterator[Extraction]:
    """Extractions from the cache where present; the rest through ``run``, stored as they come."""
    if cache is None:
        yield from run(articles)
        return
    hits: list[Extraction] = []

    def misses() -> Iterator[Article]:
        for a in articles:
            found = cache.get(a, tagger)
            if found is not None:
                hits.append(found)
            else:
                yield a

    for ex in run(misses()):
        cache.put(ex, tagger)
        yield ex
    yield from hits


def build(
    paths: Sequence[str | os.PathLike[str]],
    outdir: str | os.PathLike[str] | None = "exports",
    *,
    base: str = DEFAULT_BASE,
    jobs: int = 1,
    tagger: bool = True,
    fields: dict[str, str] | None = None,
    cache: bool | str | os.PathLike[str] = True,
    engine: str = "local",
    scheduler: str | None = None,
    overrides: str | os.PathLike[str] | Sequence[Override] | None = None,
    progress: Callable[[Article], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of the articles under ``paths``.

    Reads files and folders, extracts (cached under ``OUTDIR/.kg-cache`` unless
    ``cache`` is False or names another folder), resolves, and unless ``outdir``
    is None writes the files of :data:`OUTPUTS` into ``outdir`` (RDF, the explorer,
    GraphML, GEXF, node-link JSON, Neo4j CSV, the resolution audit and the report),
    each through a temporary file, so a killed build leaves the previous outputs.

    >>> result = build(["examples"], outdir=None)  # doctest: +SKIP
    >>> sorted(e.name for e in result.corpus.entities if e.type == "person")  # doctest: +SKIP
    ['李亚平', '沙一', '罗莎莎']

    Raises:
        KgError: when no article could be read from ``paths``, or an option is wrong.
        ExportError: when an output cannot be written (unwritable folder, full disk).
    """
    base = check_base(base)
    rules = list(read_overrides(overrides) if isinstance(overrides, (str, os.PathLike)) else overrides or ())
    timings: dict[str, float] = {}
    problems: list[Problem] = []
    store = _cache(cache, outdir)
    t0 = time.perf_counter()

    def articles() -> Iterator[Article]:
        for a in read_articles(paths, problems=problems, fields=fields):
            if progress:
                progress(a)
            yield a

    def run(items: Iterable[Article]) -> Iterator[Extraction]:
        return extract_all(items, jobs=jobs, tagger=tagger, engine=engine, scheduler=scheduler)

    extractions = list(_cached(articles(), store, tagger, run))
    timings["read+parse+extract"] = time.perf_counter() - t0
    if not extractions:
        raise KgError(f"no article could be read from {', '.join(map(str, paths))}: " + _problem_summary(problems))
    t = time.perf_counter()
    extractions, dup_problems = _drop_near_duplicates(extractions)
    timings["dedupe"] = time.perf_counter() - t
    t = time.perf_counter()
    corpus = resolve(extractions, rules)
    extracted, mentions = len(extractions), Counter(m.type.value for ex in extractions for m in ex.mentions)
    del extractions  # the corpus holds what the outputs need; the mention records can go
    all_problems = tuple(problems) + tuple(dup_problems) + corpus.problems
    corpus = Corpus(**{**{f: getattr(corpus, f) for f in corpus.__dataclass_fields__}, "problems": all_problems})
    timings["resolve"] = time.perf_counter() - t
    outputs: dict[str, Path] = {}
    if outdir is None:
        t = time.perf_counter()
        graph = to_networkx(corpus)
        timings["graph"] = time.perf_counter() - t
    else:
        graph, outputs = _write_all(corpus, None, Path(outdir), base=base, timings=timings, processes=jobs)
    cache_stats = {"hits": store.hits, "misses": store.misses} if store else {}
    report = make_report(corpus, mentions, extracted, paths, timings, outputs, cache_stats)
    if outdir is not None:
        _write_text(Path(outdir) / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        outputs["report"] = Path(outdir) / "report.json"
    return BuildResult(corpus=corpus, graph=graph, report=report, outputs=outputs)


def _cache(cache: bool | str | os.PathLike[str], outdir: str | os.PathLike[str] | None) -> ExtractionCache | None:
    if cache is False:
        return None
    if cache is True:
        return ExtractionCache(Path(outdir) / CACHE_DIR) if outdir is not None else None
    return ExtractionCache(cache)


def _drop_near_duplicates(extractions: list[Extraction]) -> tuple[list[Extraction], list[Problem]]:
    dupes = near_duplicates([ex.article for ex in extractions])
    if not dupes:
        return extractions, []
    paths = {ex.article.doc_id: ex.article.source_path for ex in extractions}
    problems = [Problem(code="dedupe.near-duplicate", message=f"near duplicate of {paths.get(kept) or kept}; counted once",
                        path=paths.get(doc, ""), doc_id=doc) for doc, kept in dupes.items()]
    return [ex for ex in extractions if ex.article.doc_id not in dupes], problems


def write_outputs(corpus: Corpus, graph: nx.MultiDiGraph, outdir: Path, *, base: str,
                  timings: dict[str, float], processes: int = 1) -> dict[str, Path]:
    """Write every output of a build into ``outdir``, each atomically.

    With ``processes`` > 1 (on Linux) the RDF files are written by a forked process
    while this one writes the rest; the files are the same either way.

    Raises:
        ExportError: the folder cannot be created or written.
    """
    return _write_all(corpus, graph, outdir, base=base, timings=timings, processes=processes)[1]


def _write_all(corpus: Corpus, graph: nx.MultiDiGraph | None, outdir: Path, *, base: str,
               timings: dict[str, float], processes: int) -> tuple[nx.MultiDiGraph, dict[str, Path]]:
    """The outputs, and the graph view (built here, while a forked process writes the RDF, when ``graph`` is None)."""
    prepare_outdir(outdir)
    background = _fork(lambda t: write_rdf_outputs(corpus, outdir, base=base, timings=t)) if processes > 1 else None
    outputs = {} if background else write_rdf_outputs(corpus, outdir, base=base, timings=timings)
    if graph is None:
        t = time.perf_counter()
        graph = to_networkx(corpus)
        timings["graph"] = time.perf_counter() - t
    try:
        outputs.update(write_graph_outputs(corpus, graph, outdir, timings=timings))
    except BaseException:
        if background:
            background.process.join()  # its files are written atomically; the first error is the one raised
        raise
    if background:
        outputs.update(background.wait(timings))
    return graph, dict(sorted(outputs.items(), key=lambda item: _OUTPUT_ORDER.get(item[0], len(_OUTPUT_ORDER))))


_OUTPUT_ORDER = {name: i for i, name in enumerate(
    ("trig", "turtle", "html", "graphml", "gexf", "node-link", "resolution", "neo4j-nodes", "neo4j-relationships"))}


def prepare_outdir(outdir: Path) -> None:
    """Create ``outdir`` and remove temporary files a killed build left there.

    Raises:
        ExportError: the folder cannot be created.
    """
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {outdir}: {exc.strerror}; choose another folder with -o") from exc
    for stale in outdir.glob(".*.tmp"):  # left by a build killed while writing
        stale.unlink(missing_ok=True)


def write_rdf_outputs(corpus: Corpus, outdir: Path, *, base: str, timings: dict[str, float]) -> dict[str, Path]:
    """Write ``graph.trig`` (one named graph per article) and ``graph.ttl`` (their union) into ``outdir``."""
    from kg.export.rdf import write_trig

    writers: list[tuple[str, str, Callable[[Path], object]]] = [
        ("trig", "graph.trig", lambda p: write_trig(corpus, p, base=base)),
        ("turtle", "graph.ttl", lambda p: _turtle(corpus, outdir, base)),
    ]
    return _run_writers(writers, outdir, timings)


def write_graph_outputs(corpus: Corpus, graph: nx.MultiDiGraph, outdir: Path, *,
                        timings: dict[str, float]) -> dict[str, Path]:
    """Write the explorer, GraphML, GEXF, node-link JSON, Neo4j CSV and the resolution audit into ``outdir``."""
    from kg.export.graphml import sanitise_graph, write_gexf, write_graphml
    from kg.export.html import write_html
    from kg.export.tables import write_neo4j_csv, write_node_link_json

    sanitised: list[nx.MultiDiGraph] = []

    def clean() -> nx.MultiDiGraph:  # one cleaned copy for GraphML and GEXF, made when first needed
        if not sanitised:
            sanitised.append(sanitise_graph(graph))
        return sanitised[0]

    def audit(path: Path) -> None:
        write_chunks(path, (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in iter_audit(corpus)))

    writers: list[tuple[str, str, Callable[[Path], object]]] = [
        ("html", "graph.html", lambda p: write_html(graph, p)),
        ("graphml", "graph.graphml", lambda p: write_graphml(clean(), p, sanitised=True)),
        ("gexf", "graph.gexf", lambda p: write_gexf(clean(), p, sanitised=True)),
        ("node-link", "graph.json", lambda p: write_node_link_json(graph, p)),
        ("resolution", "resolution.jsonl", audit),
    ]
    outputs = _run_writers(writers, outdir, timings)
    t = time.perf_counter()
    for path in write_neo4j_csv(graph, outdir):  # nodes.csv, relationships.csv for neo4j-admin import
        outputs[f"neo4j-{path.stem}"] = path
    timings["export.neo4j"] = time.perf_counter() - t
    return outputs


def _run_writers(writers: list[tuple[str, str, Callable[[Path], object]]], outdir: Path,
                 timings: dict[str, float]) -> dict[str, Path]:
    outputs = {}
    for name, filename, write in writers:
        t = time.perf_counter()
        write(outdir / filename)
        timings[f"export.{name}"] = time.perf_counter() - t
        outputs[name] = outdir / filename
    return outputs


class _Background:
    """A forked process running one writer; :meth:`wait` returns its outputs or raises its error."""

    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection) -> None:
        self.process, self.connection = process, connection

    def wait(self, timings: dict[str, float]) -> dict[str, Path]:
        try:
            status, payload = self.connection.recv()
        except EOFError:
            status, payload = "error", "the export process died"
        self.process.join()
        if status != "ok":
            raise ExportError(str(payload))
        outputs, child_timings = payload
        timings.update(child_timings)
        return {name: Path(path) for name, path in outputs.items()}


def _fork(write: Callable[[dict[str, float]], dict[str, Path]]) -> _Background | None:
    """``write`` in a forked process (Linux only), or None when forking is not available here."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        timings: dict[str, float] = {}
        try:
            outputs = write(timings)
            send.send(("ok", ({name: str(path) for name, path in outputs.items()}, timings)))
        except BaseException as exc:  # reported to the parent, which raises ExportError
            send.send(("error", str(exc) if isinstance(exc, ExportError) else f"{type(exc).__name__}: {exc}"))

    gc.freeze()  # the child's collector leaves the parent's objects alone, so their pages stay shared
    try:
        process = context.Process(target=child, daemon=True)
        process.start()
    finally:
        gc.unfreeze()
    send.close()
    return _Background(process, receive)


def _turtle(corpus: Corpus, outdir: Path, base: str) -> None:
    """Turtle streamed from graph.trig; from the records when a literal is beyond the parser's 16 MB buffer."""
    from kg.export.convert import export as convert_rdf
    from kg.export.rdf import write_turtle

    try:
        convert_rdf(outdir, ("ttl",), base=base)
    except MemoryError:  # pyoxigraph's parser: "Reached the buffer maximal size" (a 20 MB article body)
        write_turtle(corpus, outdir / "graph.ttl", base=base)


def make_report(corpus: Corpus, mentions: Mapping[str, int], extracted: int, paths: Sequence[object],
                timings: dict[str, float], outputs: dict[str, Path], cache: dict[str, int] | None = None) -> dict[str, object]:
    """The run report: what was read, counts by type (``mentions`` by mention type), problems by code, timings.

    ``extracted`` is the number of extracted articles kept once near duplicates were dropped.
    """
    codes = Counter(p.code for p in corpus.problems)
    return {
        "kg_version": __version__,
        "inputs": [str(p) for p in paths],
        "articles": {
            "read": extracted + codes.get("dedupe.near-duplicate", 0),
            "built": len(corpus.articles),
            "duplicates": codes.get("resolve.duplicate-article", 0),
            "near_duplicates": codes.get("dedupe.near-duplicate", 0),
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
            "items": [_problem_json(p) for p in sorted(corpus.problems, key=lambda p: (p.path, p.line or 0, p.code))],
        },
        "cache": cache or {},
        "timings_seconds": {k: round(v, 4) for k, v in timings.items()},
        "outputs": sorted(p.name for p in outputs.values()),
    }


def _problem_json(p: Problem) -> dict[str, object]:
    out: dict[str, object] = {"code": p.code, "severity": p.severity.value, "message": p.message, "path": p.path}
    if p.line is not None:
        out["line"] = p.line
    if p.doc_id:
        out["doc_id"] = p.doc_id
    return out


def _problem_summary(problems: list[Problem]) -> str:
    if not problems:
        return "no input files found"
    return "; ".join(f"{p.path}: {p.code}" for p in problems[:5]) + (" …" if len(problems) > 5 else "")


def write_chunks(path: Path, chunks: Iterable[str]) -> None:
    from kg.export.atomic import write_chunks as write

    write(path, chunks)


def _write_text(path: Path, text: str) -> None:
    from kg.export.atomic import write_atomic

    write_atomic(path, text.encode("utf-8"))
