"""GraphML and GEXF files from the graph view, safe for scraped text.

networkx refuses list and ``None`` attribute values, and writes characters that
XML 1.0 forbids (control characters, U+FFFE/U+FFFF, lone surrogates) straight
from scraped articles into a file no parser will read. Both writers therefore
work on a sanitised copy of the graph:

* strings lose the characters XML 1.0 does not allow;
* lists, tuples and dicts become JSON text (``json.loads`` gives them back),
  with their strings cleaned the same way; the graph attributes
  ``kg_json_node_attributes`` and ``kg_json_edge_attributes`` name them, so that
  :func:`read_graphml` restores them;
* ``None`` values are dropped; numbers and booleans keep their XML type;
* anything else (dates, enums) becomes its ``str``;
* an attribute holding values of different types in one scope becomes text.

Nodes and edges are written sorted and edge keys kept, so parallel edges of a
``MultiDiGraph`` survive and the same graph always gives the same bytes. Files
are written to a temporary file beside the target and moved into place.

>>> g = nx.MultiDiGraph()
>>> g.add_node("person/1", type="person", label="李\\x01亚平", aliases=["亚平"], note=None)
>>> clean = sanitise_graph(g)
>>> clean.nodes["person/1"]
{'type': 'person', 'label': '李亚平', 'aliases': '["亚平"]'}
"""

from __future__ import annotations

import functools
import json
import numbers
import os
import re
from collections.abc import Hashable, Iterable, Mapping
from xml.etree import ElementTree

import networkx as nx

from kg.errors import ExportError
from kg.export.atomic import write_chunks
from kg.export.xmlgraph import gexf_text, graphml_text, iter_gexf, iter_graphml

# Everything XML 1.0 forbids: C0 controls but tab, newline and carriage
# return; surrogates (only lone ones can reach a Python str); U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Scalar = str | int | float | bool


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow.

    >>> clean_text("a\\x00b\\tc\\ufffe\\ud800d")
    'ab\\tcd'
    """
    return _NOT_XML.sub("", text)


def clean_value(value: object) -> Scalar | None:
    """A value GraphML and GEXF can hold, or ``None`` when it should be dropped.

    >>> clean_value(["甲", "乙\\x07"])
    '["甲","乙"]'
    >>> clean_value({"role": "市长", "time": None})
    '{"role":"市长","time":null}'
    >>> clean_value(3), clean_value(True), clean_value(None)
    (3, True, None)
    """
    if type(value) is str:  # the common case first
        return _NOT_XML.sub("", value) if _NOT_XML.search(value) else value
    if value is None:
        return None
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, list | tuple | dict | set | frozenset):
        return json_text(value)
    return clean_text(str(value))


# In json.dumps output: an escaped C0 control (\u0000-\u001f, \b, \f) or a character XML forbids.
# A match (rare, and sometimes a false alarm such as an escaped backslash before "b") sends
# the value through the slow, exact path.
UNSAFE_JSON = re.compile(r"\\u00[01]|\\[bf]|[\ud800-\udfff\ufffe\uffff]")


def json_text(value: object) -> str:
    """``value`` as compact JSON text (keys sorted) with every string cleaned, as :func:`json_ready` does.

    Values of plain JSON types whose strings are clean are dumped directly, in C;
    anything else goes through :func:`json_ready` first.

    >>> json_text({"quote": "李亚平", "start": 3})
    '{"quote":"李亚平","start":3}'
    >>> json_text(["a\x01b", {"z", "y"}])
    '["ab",["y","z"]]'
    """
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):  # sets, dates, keys of mixed types
        text = ""
    if not text or UNSAFE_JSON.search(text):
        text = json.dumps(json_ready(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text


def json_ready(value: object) -> object:
    """``value`` with every string cleaned, sets sorted, other objects as text."""
    if isinstance(value, Mapping):
        return {clean_text(str(k)): json_ready(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((json_ready(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return clean_text(str(value))


JSON_NODE_ATTRIBUTES = "kg_json_node_attributes"
JSON_EDGE_ATTRIBUTES = "kg_json_edge_attributes"
_CONTAINERS = (list, tuple, dict, set, frozenset)


def _clean_attrs(attrs: Mapping[str, object], as_json: set[str] | None = None) -> dict[str, Scalar]:
    """Cleaned attributes; the names of those written as JSON text are added to ``as_json``."""
    cleaned = {_clean_name(name): clean_value(value) for name, value in attrs.items()}
    if as_json is not None:
        as_json.update(_clean_name(name) for name, value in attrs.items() if isinstance(value, _CONTAINERS))
    return {name: value for name, value in cleaned.items() if value is not None}


@functools.lru_cache(maxsize=1024)
def _clean_name(name: object) -> str:
    """An attribute name as text XML can hold (a graph has few names, met millions of times)."""
    return clean_text(str(name))


def _clean_id(node: Hashable) -> Hashable:
    return clean_text(node) if isinstance(node, str) else node


def sanitise_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` that GraphML and GEXF writers accept and XML parsers read.

    Nodes and edges are inserted sorted by their text form, so the files written
    from the copy do not depend on the order the graph was built in.

    Raises:
        ExportError: two node ids become the same once cleaned.
    """
    clean = nx.MultiDiGraph()
    clean.graph.update(_clean_attrs(graph.graph))
    ids = {node: _clean_id(node) for node in graph.nodes}
    if len(set(ids.values())) != len(ids):
        raise ExportError("node ids collide once characters XML cannot hold are removed")
    node_json: set[str] = set()
    edge_json: set[str] = set()
    for node in sorted(graph.nodes, key=str):
        clean.add_node(ids[node], **_clean_attrs(graph.nodes[node], node_json))
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for source, target, key, attrs in edges:
        clean.add_edge(ids[source], ids[target], key=_clean_id(key), **_clean_attrs(attrs, edge_json))
    for name, found in ((JSON_NODE_ATTRIBUTES, node_json), (JSON_EDGE_ATTRIBUTES, edge_json)):
        if found:
            clean.graph[name] = json.dumps(sorted(found), ensure_ascii=False, separators=(",", ":"))
    _unify_types(clean.nodes.values())
    _unify_types(attrs for _, _, attrs in clean.edges(data=True))
    return clean


def _unify_types(records: Iterable[dict[str, Scalar]]) -> None:
    """Turn an attribute into text where it mixes types (ints beside floats become floats)."""
    records = list(records)
    kinds: dict[str, set[type]] = {}
    for attrs in records:
        for name, value in attrs.items():
            kinds.setdefault(name, set()).add(type(value))
    for attrs in records:
        for name, value in list(attrs.items()):
            if kinds[name] == {int, float}:
                attrs[name] = float(value)
            elif len(kinds[name]) > 1:
                attrs[name] = json.dumps(value) if isinstance(value, bool) else str(value)


def generate_graphml_bytes(graph: nx.MultiDiGraph, *, sanitised: bool = False) -> bytes:
    """The GraphML document for ``graph`` (sanitised first unless ``sanitised``), as UTF-8 bytes.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="k1", relation="member_of")
    'k1'
    >>> b'<edge source="a" target="b" id="k1">' in generate_graphml_bytes(g)
    True
    """
    return graphml_text(graph if sanitised else sanitise_graph(graph)).encode("utf-8")


def generate_gexf_bytes(graph: nx.MultiDiGraph, *, sanitised: bool = False) -> bytes:
    """The GEXF 1.2 document for ``graph`` (sanitised first unless ``sanitised``), as UTF-8 bytes.

    Node and edge ``label`` attributes become GEXF labels; edge keys are kept in
    the ``networkx_key`` attribute, which ``nx.read_gexf`` turns back into keys.
    No modification date is stamped on the file, so the bytes depend only on the graph.
    """
    return gexf_text(graph if sanitised else sanitise_graph(graph)).encode("utf-8")


def read_graphml(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """The graph :func:`write_graphml` wrote to ``path``, with list and dict attributes restored.

    Attributes named in the file's ``kg_json_node_attributes`` and
    ``kg_json_edge_attributes`` (by default ``aliases``, ``evidence`` and
    ``tenures`` on nodes) are parsed back from JSON text; a value that does not
    parse to a list or dict stays as written. Edge keys are kept.

    >>> import tempfile
    >>> from pathlib import Path
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("person/1", type="person", aliases=["亚平"], evidence=[{"quote": "李亚平"}])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_graphml(g, Path(folder) / "g.graphml")
    ...     back = read_graphml(Path(folder) / "g.graphml")
    >>> back.nodes["person/1"]
    {'type': 'person', 'aliases': ['亚平'], 'evidence': [{'quote': '李亚平'}]}

    Raises:
        ExportError: the file is missing or not GraphML.
    """
    try:
        graph = nx.read_graphml(path, force_multigraph=True)
    except (OSError, ElementTree.ParseError, nx.NetworkXError) as error:
        raise ExportError(f"cannot read {path} as GraphML: {error}; run `kg build` to write it again") from error
    graph = graph if graph.is_directed() else nx.MultiDiGraph(graph)
    # files written before the names were recorded: the list attributes of the graph view's contract
    node_json = _names(graph.graph.pop(JSON_NODE_ATTRIBUTES, '["aliases","evidence","tenures"]'))
    edge_json = _names(graph.graph.pop(JSON_EDGE_ATTRIBUTES, "[]"))
    for _, attrs in graph.nodes(data=True):
        _restore(attrs, node_json)
    for _, _, attrs in graph.edges(data=True):
        _restore(attrs, edge_json)
    return graph


def _names(text: object) -> set[str]:
    try:
        names = json.loads(str(text))
    except json.JSONDecodeError:
        return set()
    return {str(name) for name in names} if isinstance(names, list) else set()


def _restore(attrs: dict[str, object], names: set[str]) -> None:
    for name in names & attrs.keys():
        value = attrs[name]
        if not isinstance(value, str):
            continue
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            continue
        if isinstance(parsed, list | dict):
            attrs[name] = parsed


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str], *, sanitised: bool = False) -> None:
    """Write ``graph`` as GraphML to ``path`` (atomically); see the module notes on values.

    ``sanitised=True`` says ``graph`` already is :func:`sanitise_graph`'s output (a build
    writing GraphML and GEXF cleans the graph once).

    Raises:
        ExportError: the file cannot be written, or node ids collide once cleaned.
    """
    write_chunks(path, iter_graphml(graph if sanitised else sanitise_graph(graph)))


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike[str], *, sanitised: bool = False) -> None:
    """Write ``graph`` as GEXF 1.2 to ``path`` (atomically); see the module notes on values.

    Raises:
        ExportError: the file cannot be written, or node ids collide once cleaned.
    """
    write_chunks(path, iter_gexf(graph if sanitised else sanitise_graph(graph)))
