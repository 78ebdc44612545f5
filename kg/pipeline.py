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
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg import __version__
from kg.cache import CACHE_DIR, ExtractionCache
from kg.dedupe import near_duplicates
from kg.errors import KgError, ParseError
from kg.export.outputs import write_all
from kg.extract import extract_many
from kg.graph import to_networkx
from kg.iri import DEFAULT_BASE, check_base
from kg.parse import parse_document
from kg.read import iter_documents
from kg.records import Article, Corpus, Extraction, Problem, Severity
from kg.resolve import KEPT_APART_RULES, Override, read_overrides, resolve

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
        graph, outputs = write_all(corpus, None, Path(outdir), base=base, timings=timings, processes=jobs)
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
            "merges": sum(1 for m in corpus.merges if m.rule not in KEPT_APART_RULES),
            "kept_apart": sum(1 for m in corpus.merges if m.rule in KEPT_APART_RULES),
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


def _write_text(path: Path, text: str) -> None:
    from kg.export.atomic import write_atomic

    write_atomic(path, text.encode("utf-8"))
