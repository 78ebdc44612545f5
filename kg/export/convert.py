"""Every RDF format from a build's ``graph.trig``, streamed: no graph is held in memory.

:func:`export` parses ``OUTDIR/graph.trig`` with pyoxigraph (a streaming parser) and
writes each requested format beside it, quad by quad:

* ``trig``, ``nq``, ``jsonld`` keep the named graphs (one per article);
* ``ttl``, ``nt`` hold their union: a triple several article graphs repeat (an
  entity's type and label) is written once. Only triples whose subject already
  occurred in an earlier graph are remembered, so memory grows with the entities
  shared between articles, not with the size of the graph.

Every file holds the same quads as ``graph.trig`` (tests compare them by isomorphism).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from kg.errors import ExportError
from kg.export.atomic import atomic_file
from kg.export.jsonld import write_jsonld
from kg.iri import DEFAULT_BASE, check_base
from kg.vocab import prefixes

FILES: dict[str, str] = {
    "trig": "graph.trig",
    "nq": "graph.nq",
    "ttl": "graph.ttl",
    "nt": "graph.nt",
    "jsonld": "graph.jsonld",
}
"""Format name → file name in the output folder."""

_OXIGRAPH: dict[str, RdfFormat] = {
    "trig": RdfFormat.TRIG,
    "nq": RdfFormat.N_QUADS,
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
}
_MERGED = {"ttl", "nt"}


def union_triples(quads: Callable[[], Iterable[Quad]]) -> Iterator[Triple]:
    """The triples of the quads ``quads()`` yields, without repeats, in input order.

    Two passes over ``quads()``: the first finds (the hashes of) the subjects that occur in
    more than one graph; the second remembers the triples of those subjects only, and
    skips the ones already written. A hash collision only makes a subject remembered
    needlessly, so the result is exact.

    >>> from pyoxigraph import Literal
    >>> s, p = NamedNode("http://x.org/s"), NamedNode("http://x.org/p")
    >>> g1, g2 = NamedNode("http://x.org/g1"), NamedNode("http://x.org/g2")
    >>> quads = [Quad(s, p, Literal("a"), g1), Quad(s, p, Literal("a"), g2), Quad(s, p, Literal("b"), g2)]
    >>> [t.object.value for t in union_triples(lambda: quads)]
    ['a', 'b']
    """
    shared = _shared_subjects(quads())
    seen: set[Triple] = set()
    for quad in quads():
        triple = quad.triple
        if hash(quad.subject) in shared:
            if triple in seen:
                continue
            seen.add(triple)
        yield triple


def _shared_subjects(quads: Iterable[Quad]) -> set[int]:
    """Hashes of the subjects found in more than one graph (or twice, apart, in one graph)."""
    done: set[int] = set()  # subjects of the runs already closed
    shared: set[int] = set()
    previous: tuple[object, object] | None = None
    for quad in quads:
        key = (quad.graph_name, quad.subject)
        if key != previous:
            if previous is not None:
                done.add(hash(previous[1]))
            subject = hash(quad.subject)
            if subject in done:
                shared.add(subject)
            previous = key
    return shared


def infer_base(graph_name: object, default: str = DEFAULT_BASE) -> str:
    """The base IRI a build's graph name ``<base>graph/<doc_id>`` was minted with, else ``default``.

    >>> infer_base(NamedNode("http://data.example.gov/kg/graph/d1"))
    'http://data.example.gov/kg/'
    >>> infer_base(NamedNode("http://x.org/kg#graph/d1"))
    'http://x.org/kg#'
    """
    if not isinstance(graph_name, NamedNode) or "graph/" not in graph_name.value:
        return default
    candidate = graph_name.value.rsplit("graph/", 1)[0]
    try:
        return check_base(candidate)
    except ValueError:
        return default


def write_quads(quads: Callable[[], Iterable[Quad]], path: str | os.PathLike[str], rdf_format: str, *,
                base: str = DEFAULT_BASE) -> Path:
    """Write the quads ``quads()`` yields to ``path`` in ``rdf_format`` (a key of :data:`FILES`), atomically.

    ``quads`` is called once, or twice for the merged formats (see :func:`union_triples`).
    Returns the path.

    Raises:
        ValueError: for an unknown format.
        ExportError: when the file cannot be written.
    """
    if rdf_format not in FILES:
        raise ValueError(f"unknown RDF format {rdf_format!r}; choose from {sorted(FILES)}")
    with atomic_file(path) as handle:
        if rdf_format == "jsonld":
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=False)
            write_jsonld(quads(), text, base=base)
            text.flush()
            text.detach()
        else:
            items: Iterable[Quad] | Iterable[Triple] = union_triples(quads) if rdf_format in _MERGED else quads()
            serialize(items, handle, _OXIGRAPH[rdf_format], prefixes=prefixes())
    return Path(path)


def read_trig(path: str | os.PathLike[str]) -> Iterator[Quad]:
    """Stream the quads of a TriG file (default-graph triples included, as quads of the default graph).

    Raises:
        ExportError: when the file cannot be read or is not valid TriG.
    """
    try:
        yield from parse(path=str(path), format=RdfFormat.TRIG)
    except (OSError, SyntaxError) as error:
        raise ExportError(f"cannot read {path}: {error}") from error


def export(outdir: str | os.PathLike[str], formats: Sequence[str] = tuple(FILES), *,
           source: str | os.PathLike[str] | None = None, base: str | None = None) -> list[Path]:
    """Write ``OUTDIR/graph.<format>`` for each of ``formats`` from ``source`` (default ``OUTDIR/graph.trig``).

    ``base`` (for the JSON-LD ``base`` prefix) is inferred from the graph names when not given.
    Re-writing ``graph.trig`` itself is skipped when it is the source. Returns the paths written.

    Raises:
        ValueError: for an unknown format.
        ExportError: when the source is missing or unreadable, or a file cannot be written.
    """
    unknown = sorted(set(formats) - set(FILES))
    if unknown:
        raise ValueError(f"unknown RDF format(s) {unknown}; choose from {sorted(FILES)}")
    folder = Path(outdir)
    trig = Path(source) if source is not None else folder / FILES["trig"]
    if not trig.is_file():
        raise ExportError(f"{trig}: no such TriG file; run `kg build` first")
    written = []
    for name in dict.fromkeys(formats):
        target = folder / FILES[name]
        if name == "trig" and target.resolve() == trig.resolve():
            written.append(target)
            continue
        chosen = base or infer_base(next((q.graph_name for q in read_trig(trig)), DefaultGraph()))
        written.append(write_quads(lambda: read_trig(trig), target, name, base=chosen))
    return written
