"""Focused views: the neighbourhood of one entity, drawn as its own explorer page.

A corpus graph is too big to read whole; a researcher asks about one official,
agency or document. :func:`focus` cuts the subgraph within ``hops`` steps of the
entities whose label or alias is ``name``, optionally only some types or only
what one article says; :func:`write_view` does that on a finished build (it reads
``graph.graphml`` back, so nothing is extracted again) and writes the page.

Articles are reached but not walked through: every entity an article mentions is
two steps from every other, so passing through articles would return the whole
article at ``hops=2``. Pass ``via_articles=True`` to walk through them anyway.

>>> g = nx.MultiDiGraph()
>>> g.add_node("person/1", type="person", label="李亚平", aliases=[])
>>> g.add_node("agency/1", type="agency", label="苏州市人民政府", aliases=["苏州市政府"])
>>> g.add_node("place/1", type="place", label="苏州市", aliases=[])
>>> g.add_edge("person/1", "agency/1", key="t", relation="member_of")
't'
>>> g.add_edge("agency/1", "place/1", key="c", relation="contained_in")
'c'
>>> sorted(focus(g, "苏州市政府", hops=1))
['agency/1', 'person/1', 'place/1']
>>> sorted(focus(g, "李亚平", hops=1))
['agency/1', 'person/1']
"""

from __future__ import annotations

import os
import re
from collections.abc import Hashable, Iterable
from pathlib import Path

import networkx as nx

from kg.errors import KgError
from kg.export.graphml import read_graphml
from kg.export.html import write_html

GRAPH_FILE = "graph.graphml"
SUGGESTIONS = 8
_UNSAFE_FILE = re.compile(r'[\x00-\x1f\\/:*?"<>|\s]+')


def _names(attrs: dict[str, object]) -> list[str]:
    aliases = attrs.get("aliases")
    names = [attrs.get("label"), *(aliases if isinstance(aliases, list | tuple) else [])]
    return [str(n).strip().casefold() for n in names if isinstance(n, str) and n.strip()]


def find_nodes(graph: nx.MultiDiGraph, name: str) -> list[Hashable]:
    """Nodes whose label or an alias equals ``name`` (case and surrounding space ignored).

    Falls back to nodes whose label or alias contains ``name`` when none equals it.

    Raises:
        KgError: nothing matches; the message suggests labels that come close.
    """
    wanted = name.strip().casefold()
    if not wanted:
        raise KgError("give a name to focus on, e.g. --focus 李亚平")
    exact = [node for node, attrs in graph.nodes(data=True) if wanted in _names(attrs)]
    if exact:
        return sorted(exact, key=str)
    partial = [node for node, attrs in graph.nodes(data=True) if any(wanted in n for n in _names(attrs))]
    if partial:
        return sorted(partial, key=str)
    close = sorted({str(attrs.get("label")) for _, attrs in graph.nodes(data=True)
                    if set(wanted) & set(str(attrs.get("label", "")).casefold())}, key=len)[:SUGGESTIONS]
    hint = f"; labels sharing characters: {'、'.join(close)}" if close else ""
    raise KgError(f"no entity is called {name!r}{hint}")


def _article_graph(graph: nx.MultiDiGraph, article: str) -> nx.MultiDiGraph:
    """What one article says: the entities with evidence from it, its own node, and edges it supports."""
    doc_id = article.removeprefix("article/")
    keep = set()
    for node, attrs in graph.nodes(data=True):
        evidence = attrs.get("evidence")
        docs = {ev.get("doc_id") for ev in evidence if isinstance(ev, dict)} if isinstance(evidence, list) else set()
        if doc_id in docs or node == f"article/{doc_id}":
            keep.add(node)
    if not keep:
        raise KgError(f"no entity has evidence from article {doc_id!r}; see the doc_id values in report.json")
    view = nx.MultiDiGraph()
    view.add_nodes_from((node, graph.nodes[node]) for node in keep)
    view.add_edges_from(
        (u, v, k, attrs) for u, v, k, attrs in graph.edges(keys=True, data=True)
        if u in keep and v in keep and attrs.get("doc_id") in (doc_id, "", None)
    )
    return view


def _within(graph: nx.MultiDiGraph, seeds: Iterable[Hashable], hops: int, via_articles: bool) -> set[Hashable]:
    """Nodes at most ``hops`` steps from ``seeds``; articles are entered but not left (unless seeds)."""
    start = set(seeds)
    reached, frontier = set(start), set(start)
    for _ in range(hops):
        step: set[Hashable] = set()
        for node in frontier:
            if via_articles or node in start or graph.nodes[node].get("type") != "article":
                step.update(nx.all_neighbors(graph, node))
        frontier = step - reached
        reached |= frontier
    return reached


def focus(
    graph: nx.MultiDiGraph,
    name: str,
    hops: int = 1,
    types: Iterable[str] | None = None,
    article: str | None = None,
    *,
    via_articles: bool = False,
) -> nx.MultiDiGraph:
    """The subgraph within ``hops`` steps (either direction) of the entities called ``name``.

    ``types`` keeps only nodes of those types (the named entities always stay);
    ``article`` (a ``doc_id`` or ``article/<doc_id>``) keeps only what that article
    says. Both filters apply before the walk, so paths run through kept nodes only.

    Raises:
        KgError: no entity is called ``name``, ``hops`` is negative, or the article is unknown.
    """
    if hops < 0:
        raise KgError(f"hops must be 0 or more, got {hops}")
    base = _article_graph(graph, article) if article else graph
    seeds = find_nodes(base, name)
    if types is not None:
        wanted = {t.strip() for t in types if t.strip()}
        base = base.subgraph([n for n, a in base.nodes(data=True) if a.get("type") in wanted or n in seeds])
    reached = _within(base, seeds, hops, via_articles)
    return nx.MultiDiGraph(base.subgraph(reached))


def view_path(outdir: str | os.PathLike[str], name: str) -> Path:
    """Where :func:`write_view` puts a view by default: ``OUTDIR/focus-<name>.html``.

    >>> view_path("exports", "李亚平 / 市长").name
    'focus-李亚平_市长.html'
    """
    safe = _UNSAFE_FILE.sub("_", name.strip()).strip("._") or "view"
    return Path(outdir) / f"focus-{safe[:60]}.html"


def write_view(
    outdir: str | os.PathLike[str],
    name: str,
    hops: int = 1,
    types: Iterable[str] | None = None,
    article: str | None = None,
    path: str | os.PathLike[str] | None = None,
    *,
    via_articles: bool = False,
) -> Path:
    """Write the explorer of :func:`focus` on the build in ``outdir`` (its ``graph.graphml``).

    The page goes to ``path``, by default :func:`view_path`; returns where it went.

    Raises:
        KgError: ``outdir`` holds no readable ``graph.graphml`` (run ``kg build``
            first), nothing is called ``name``, or the page cannot be written.
    """
    source = Path(outdir) / GRAPH_FILE
    if not source.is_file():
        raise KgError(f"{source} not found: run `kg build ARTICLES -o {outdir}` first")
    view = focus(read_graphml(source), name, hops, types, article, via_articles=via_articles)
    target = Path(path) if path is not None else view_path(outdir, name)
    parts = [name, f"{hops} 跳"]
    if types:
        parts.append("、".join(types))
    if article:
        parts.append(f"文章 {article}")
    write_html(view, target, title=" · ".join(parts))
    return target
