"""The files of a build: which writer makes which output, and the RDF written beside the rest.

:func:`write_all` writes every output of a build (the RDF files, the explorer,
GraphML, GEXF, node-link JSON, Neo4j CSV and the resolution audit), each through
a temporary file. With more than one process (on Linux) the RDF files are written
by a forked process while this one builds the graph view and writes the rest; the
files are the same either way.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import networkx as nx

from kg.errors import ExportError
from kg.export.atomic import write_chunks
from kg.graph import to_networkx
from kg.records import Corpus
from kg.resolve import iter_audit


def write_all(corpus: Corpus, graph: nx.MultiDiGraph | None, outdir: Path, *, base: str,
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
        except BaseException as exc:  # noqa: BLE001 -- reported to the parent, which raises ExportError
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
