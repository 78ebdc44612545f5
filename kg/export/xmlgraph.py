"""GraphML and GEXF text written directly from a sanitised graph, without an XML tree.

networkx builds an element tree of the whole graph before writing it, which took
most of a large build's export time (a graph with half a million evidence records
took 40-50 s a format). These writers produce the same documents networkx writes
(lxml's GraphML layout, ElementTree's GEXF layout, the same key and attribute ids,
the same value formats), line by line, so any GraphML or GEXF reader, networkx's
included, reads them the same way.

They expect the graph :func:`kg.export.graphml.sanitise_graph` returns: node and
edge attributes already plain strings, numbers and booleans, one type per name.

>>> g = nx.MultiDiGraph()
>>> g.add_node("a", type="person", label="李亚平")
>>> g.add_edge("a", "a", key="k1", relation="said")
'k1'
>>> print(graphml_text(g).splitlines()[-3])
  <data key="d2">said</data>
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping

import networkx as nx

from kg import __version__

_GRAPHML_OPEN = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
_GEXF_OPEN = (
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">'
)
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_SPECIAL_TEXT = frozenset("&<>\r")
_SPECIAL_ATTR = frozenset('&<>"\n\r\t')


def _text(value: str) -> str:
    """Character data: ``&``, ``<``, ``>`` and carriage returns escaped."""
    if _SPECIAL_TEXT.isdisjoint(value):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str) -> str:
    """An attribute value in double quotes: quotes, markup and line breaks escaped."""
    if _SPECIAL_ATTR.isdisjoint(value):
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#09;")


def _xml_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


class _Keys:
    """Ids for (name, scope, type), numbered in the order they are first met."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.ids: dict[tuple[str, str, str], str] = {}

    def id(self, name: str, scope: str, value: object) -> str:
        found = self.ids.get((name, scope, _xml_type(value)))
        if found is None:
            found = self.ids[(name, scope, _xml_type(value))] = f"{self.prefix}{len(self.ids)}"
        return found

    def declare(self, scope: str, records: Iterable[Mapping[str, object]]) -> None:
        for attrs in records:
            for name, value in attrs.items():
                self.id(str(name), scope, value)


def graphml_text(graph: nx.MultiDiGraph) -> str:
    """The GraphML document of a sanitised ``graph`` (keys ``d0``, ``d1`` … in first-met order)."""
    return "".join(iter_graphml(graph))


def iter_graphml(graph: nx.MultiDiGraph) -> Iterator[str]:
    """:func:`graphml_text` in pieces, for writing without holding the document."""
    keys = _Keys("d")
    graph_data = {k: v for k, v in graph.graph.items() if k not in ("node_default", "edge_default")}
    keys.declare("graph", [graph_data])
    keys.declare("node", (attrs for _, attrs in graph.nodes(data=True)))
    keys.declare("edge", (attrs for _, _, attrs in graph.edges(data=True)))
    yield _DECLARATION + _GRAPHML_OPEN
    for (name, scope, kind), key in reversed(keys.ids.items()):
        yield f'<key id="{key}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}"/>\n'
    yield f'<graph edgedefault="{"directed" if graph.is_directed() else "undirected"}">'
    yield from _graphml_data(keys, "graph", graph_data, "")
    for node, attrs in graph.nodes(data=True):
        if attrs:
            yield f'<node id="{_attr(str(node))}">\n' + "".join(_graphml_data(keys, "node", attrs, "  ")) + "</node>\n"
        else:
            yield f'<node id="{_attr(str(node))}"/>\n'
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        head = f'<edge source="{_attr(str(source))}" target="{_attr(str(target))}" id="{_attr(str(key))}"'
        if attrs:
            yield head + ">\n" + "".join(_graphml_data(keys, "edge", attrs, "  ")) + "</edge>\n"
        else:
            yield head + "/>\n"
    yield "</graph></graphml>"


def _graphml_data(keys: _Keys, scope: str, attrs: Mapping[str, object], indent: str) -> list[str]:
    return [f'{indent}<data key="{keys.id(str(name), scope, value)}">{_text(str(value))}</data>\n'
            for name, value in attrs.items()]


def gexf_text(graph: nx.MultiDiGraph) -> str:
    """The GEXF 1.2 document of a sanitised ``graph``.

    Node and edge ``label`` attributes are GEXF labels; edge keys are the
    ``networkx_key`` attribute (``nx.read_gexf`` makes them keys again); edges are
    numbered from 0 in order.
    """
    return "".join(iter_gexf(graph))


def _gexf_values(attrs: Mapping[str, object], key: object = None) -> dict[str, object]:
    values = {k: v for k, v in attrs.items() if k != "label"}
    if key is not None:
        values["networkx_key"] = key
    return values


def iter_gexf(graph: nx.MultiDiGraph) -> Iterator[str]:
    """:func:`gexf_text` in pieces, for writing without holding the document."""
    ids: dict[str, dict[tuple[str, str], str]] = {"node": {}, "edge": {}}
    counter = itertools.count()  # one numbering for node and edge attributes, nodes first
    for scope, records in (("node", (_gexf_values(a) for _, a in graph.nodes(data=True))),
                           ("edge", (_gexf_values(a, k) for _, _, k, a in graph.edges(keys=True, data=True)))):
        for values in records:
            for name, value in values.items():
                if (str(name), _xml_type(value)) not in ids[scope]:
                    ids[scope][(str(name), _xml_type(value))] = str(next(counter))
    yield (_DECLARATION + _GEXF_OPEN + "\n  <meta>\n" + f"    <creator>kg {__version__}</creator>\n  </meta>\n"
           + f'  <graph defaultedgetype="{"directed" if graph.is_directed() else "undirected"}" mode="static" '
           + f'name="{_attr(str(graph.graph.get("name", "")))}">\n')
    for scope in ("edge", "node"):  # networkx puts the class met last first
        if ids[scope]:
            yield (f'    <attributes mode="static" class="{scope}">\n'
                   + "".join(f'      <attribute id="{i}" title="{_attr(title)}" type="{kind}" />\n'
                             for (title, kind), i in ids[scope].items())
                   + "    </attributes>\n")
    if not graph.number_of_nodes():
        yield "    <nodes />\n"
    else:
        yield "    <nodes>\n"
        for node, attrs in graph.nodes(data=True):
            head = f'<node id="{_attr(str(node))}" label="{_attr(str(attrs.get("label", node)))}"'
            yield _gexf_item(head, "node", _gexf_values(attrs), ids["node"])
        yield "    </nodes>\n"
    if not graph.number_of_edges():
        yield "    <edges />\n"
    else:
        yield "    <edges>\n"
        for number, (source, target, key, attrs) in enumerate(graph.edges(keys=True, data=True)):
            head = f'<edge source="{_attr(str(source))}" target="{_attr(str(target))}" id="{number}"'
            if "label" in attrs:
                head += f' label="{_attr(str(attrs["label"]))}"'
            yield _gexf_item(head, "edge", _gexf_values(attrs, key), ids["edge"])
        yield "    </edges>\n"
    yield "  </graph>\n</gexf>\n"


def _gexf_item(head: str, tag: str, values: Mapping[str, object], ids: Mapping[tuple[str, str], str]) -> str:
    if not values:
        return f"      {head} />\n"
    rows = "".join(f'          <attvalue for="{ids[(str(name), _xml_type(value))]}" value="{_attr(_gexf_value(value))}" />\n'
                   for name, value in values.items())
    return f"      {head}>\n        <attvalues>\n{rows}        </attvalues>\n      </{tag}>\n"


def _gexf_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return str(value)

