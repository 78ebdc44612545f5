"""The graph view as tables and JSON for other tools: Neo4j bulk-import CSV and node-link JSON.

``write_neo4j_csv`` writes ``nodes.csv`` and ``relationships.csv`` in the layout
``neo4j-admin database import`` reads with its defaults (comma, double quote,
``;`` between array items, no multi-line fields)::

    neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv kg

* ``nodes.csv``: ``id:ID``, ``label``, ``:LABEL`` (the type: ``Person``, ``Agency`` …),
  ``type``, then every other attribute: numbers and booleans typed (``:long``,
  ``:double``, ``:boolean``), lists of plain values as ``:string[]``, lists of
  records (``evidence``, ``tenures``) as JSON text;
* ``relationships.csv``: ``:START_ID``, ``:END_ID``, ``:TYPE`` (the relation in
  capitals: ``MEMBER_OF``), ``key`` (the edge key, so parallel edges stay apart),
  then the edge attributes the same way.

Scraped text is made safe for a one-record-per-line reader: characters XML
forbids are dropped (as in GraphML), line and paragraph breaks, tabs and other
control characters become spaces, and a ``;`` inside an array item becomes ``；``
so the item is not split. Quoting is the ``csv`` module's, which Neo4j reads.

``write_node_link_json`` writes ``networkx.node_link_data`` (``nodes`` and
``edges``, with each edge's ``key``) with lists and records kept as JSON; it
reads back with ``networkx.node_link_graph(data, edges="edges")``.

>>> g = nx.MultiDiGraph()
>>> g.add_node("person/1", type="person", label="李亚平\\n", aliases=["李市长"])
>>> print(generate_neo4j_csv(g)[0], end="")
id:ID,label,:LABEL,type,aliases:string[]
person/1,李亚平 ,Person,person,李市长
"""

from __future__ import annotations

import csv
import io
import json
import numbers
import os
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from pathlib import Path

import networkx as nx

from kg.export.atomic import atomic_file, write_chunks
from kg.export.graphml import UNSAFE_JSON, clean_text, json_ready, json_text

ARRAY_DELIMITER = ";"
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_NAME = re.compile(r"[^0-9A-Za-z]+")
NODE_COLUMNS = ("id:ID", "label", ":LABEL", "type")
EDGE_COLUMNS = (":START_ID", ":END_ID", ":TYPE", "key")


def csv_text(value: object) -> str:
    """``value`` as one line of text: XML-forbidden characters dropped, breaks and controls as spaces.

    >>> csv_text("第一行\\r\\n第二行\\x00\\u2028")
    '第一行  第二行 '
    """
    return _BREAKS.sub(" ", clean_text(str(value)))


_EXACT_KINDS = {str: "string", bool: "boolean", int: "long", float: "double", dict: "json"}


def _kind(values: Iterable[object]) -> str:
    """The Neo4j type of a column holding ``values``: long, double, boolean, string[], json or string."""
    kinds = set()
    for value in values:
        exact = _EXACT_KINDS.get(type(value))  # the common types, without abstract-class checks
        if exact is not None:
            kinds.add(exact)
        elif isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, numbers.Integral):
            kinds.add("long")
        elif isinstance(value, numbers.Real):
            kinds.add("double")
        elif isinstance(value, list | tuple | set | frozenset):
            plain = all(v is None or isinstance(v, str | int | float) for v in value)
            kinds.add("string[]" if plain else "json")
        elif isinstance(value, Mapping):
            kinds.add("json")
        else:
            kinds.add("string")
    if kinds == {"long", "double"}:
        return "double"
    return kinds.pop() if len(kinds) == 1 else "string"


def _columns(records: list[Mapping[str, object]], reserved: Iterable[str]) -> list[tuple[str, str]]:
    """(attribute, kind) for every attribute with a value, in name order, reserved names left out."""
    skip = set(reserved)
    values: dict[str, list[object]] = {}
    for attrs in records:
        for name, value in attrs.items():
            if str(name) not in skip and value is not None:
                values.setdefault(str(name), []).append(value)
    return [(name, _kind(values[name])) for name in sorted(values)]


def _header(name: str, kind: str) -> str:
    name = csv_text(name).replace(":", "_")
    return name if kind in ("string", "json") else f"{name}:{kind}"


def _cell(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if kind == "string[]":
        items = value if isinstance(value, list | tuple) else sorted(value, key=str)  # type: ignore[call-overload]
        texts = (csv_text(item).replace(ARRAY_DELIMITER, "；") for item in items if item is not None)
        return ARRAY_DELIMITER.join(texts)
    if kind == "json" or isinstance(value, list | tuple | set | frozenset | Mapping):
        return json_text(value)
    return csv_text(value)


def neo4j_label(node_type: object) -> str:
    """The Neo4j label for a node type: ``person`` → ``Person``, ``legal_case`` → ``LegalCase``.

    >>> neo4j_label("person"), neo4j_label("legal case"), neo4j_label("人物")
    ('Person', 'LegalCase', 'Node')
    """
    parts = [part for part in _NOT_NAME.split(str(node_type or "")) if part]
    return "".join(part[:1].upper() + part[1:] for part in parts) or "Node"


def neo4j_type(relation: object) -> str:
    """The Neo4j relationship type for a relation code: ``member_of`` → ``MEMBER_OF``.

    >>> neo4j_type("member_of"), neo4j_type(""), neo4j_type("提及")
    ('MEMBER_OF', 'RELATED_TO', 'RELATED_TO')
    """
    parts = [part for part in _NOT_NAME.split(str(relation or "")) if part]
    return "_".join(parts).upper() or "RELATED_TO"


def _write_rows(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _ids(graph: nx.MultiDiGraph) -> dict[Hashable, str]:
    return {node: csv_text(node) for node in graph.nodes}


def _neo4j_tables(graph: nx.MultiDiGraph) -> tuple[tuple[list[str], Iterator[list[str]]], tuple[list[str], Iterator[list[str]]]]:
    """(header, rows) of ``nodes.csv`` and of ``relationships.csv``; rows are made as they are read."""
    ids = _ids(graph)
    nodes = sorted(graph.nodes(data=True), key=lambda item: ids[item[0]])
    node_columns = _columns([attrs for _, attrs in nodes], ("id", "label", "type"))
    node_rows = (
        [ids[node], csv_text(attrs.get("label") or ""), neo4j_label(attrs.get("type")), csv_text(attrs.get("type") or "")]
        + [_cell(attrs.get(name), kind) for name, kind in node_columns]
        for node, attrs in nodes
    )
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2])))
    edge_columns = _columns([attrs for *_, attrs in edges], ("key",))
    edge_rows = (
        [ids[source], ids[target], neo4j_type(attrs.get("relation")), csv_text(key)]
        + [_cell(attrs.get(name), kind) for name, kind in edge_columns]
        for source, target, key, attrs in edges
    )
    return (
        ([*NODE_COLUMNS, *(_header(n, k) for n, k in node_columns)], node_rows),
        ([*EDGE_COLUMNS, *(_header(n, k) for n, k in edge_columns)], edge_rows),
    )


def generate_neo4j_csv(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """The text of ``nodes.csv`` and ``relationships.csv`` for ``graph``, rows sorted by id."""
    (node_header, node_rows), (edge_header, edge_rows) = _neo4j_tables(graph)
    return _write_rows(node_header, node_rows), _write_rows(edge_header, edge_rows)


def write_neo4j_csv(graph: nx.MultiDiGraph, outdir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` for ``neo4j-admin database import`` into ``outdir``.

    Rows are streamed to the files. Returns the two paths.

    Raises:
        ExportError: a file cannot be written.
    """
    nodes_path, edges_path = Path(outdir) / "nodes.csv", Path(outdir) / "relationships.csv"
    for path, (header, rows) in zip((nodes_path, edges_path), _neo4j_tables(graph)):
        with atomic_file(path) as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=False)
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            text.flush()
            text.detach()
            handle.flush()
            os.fsync(handle.fileno())
    return nodes_path, edges_path


def node_link(graph: nx.MultiDiGraph) -> dict[str, object]:
    """``networkx.node_link_data`` of ``graph`` with edge keys and clean, JSON-ready attributes.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="k1", relation="member_of")
    'k1'
    >>> node_link(g)["edges"]
    [{'relation': 'member_of', 'source': 'a', 'target': 'b', 'key': 'k1'}]
    """
    clean = nx.MultiDiGraph()
    clean.graph.update(json_ready(graph.graph))  # type: ignore[arg-type]
    for node in sorted(graph.nodes, key=str):
        clean.add_node(json_ready(node), **json_ready(graph.nodes[node]))  # type: ignore[arg-type]
    for source, target, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: tuple(map(str, e[:3]))):
        clean.add_edge(json_ready(source), json_ready(target), key=json_ready(key), **json_ready(attrs))  # type: ignore[arg-type]
    return nx.node_link_data(clean, edges="edges")  # type: ignore[no-any-return]


def generate_node_link_json(graph: nx.MultiDiGraph) -> bytes:
    """The node-link JSON document for ``graph``, UTF-8, keys sorted, one node or edge a line.

    The same document as :func:`node_link` dumped item by item; items whose JSON is
    plain (no set, date or character XML forbids) are dumped directly, the rest
    through :func:`json_ready`.
    """
    return "".join(iter_node_link_json(graph)).encode("utf-8")


def iter_node_link_json(graph: nx.MultiDiGraph) -> Iterator[str]:
    """:func:`generate_node_link_json` in pieces, for writing without holding the document."""
    fast = _fast_items(graph)
    data = node_link(graph) if fast is None else None
    head = data if data is not None else {"directed": graph.is_directed(), "multigraph": graph.is_multigraph(),
                                          "graph": json_ready(graph.graph)}
    yield "{\n"
    for name in ("directed", "multigraph", "graph"):
        yield f'"{name}":{json.dumps(head[name], ensure_ascii=False, sort_keys=True)},\n'
    for name in ("nodes", "edges"):
        if fast is not None:
            items: Iterable[str] = fast[name]
        else:
            items = (json.dumps(item, ensure_ascii=False, sort_keys=True) for item in data[name])  # type: ignore[index]
        yield f'"{name}":['
        for i, item in enumerate(items):
            yield (",\n" if i else "") + item
        yield "]" + (",\n" if name == "nodes" else "\n")
    yield "}\n"


def _fast_items(graph: nx.MultiDiGraph) -> dict[str, list[str]] | None:
    """Every node and edge of :func:`node_link` as JSON text, or None when an id needs cleaning."""
    nodes = []
    for node in sorted(graph.nodes, key=str):
        if not _plain_id(node):
            return None
        nodes.append(_item_json(graph.nodes[node], {"id": node}))
    edges = []
    for source, target, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: tuple(map(str, e[:3]))):
        if not (_plain_id(source) and _plain_id(target) and _plain_id(key)):
            return None
        edges.append(_item_json(attrs, {"source": source, "target": target, "key": key}))
    return {"nodes": nodes, "edges": edges}


def _plain_id(value: object) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and clean_text(value) == value)


def _item_json(attrs: Mapping[str, object], ids: dict[str, object]) -> str:
    try:
        text = json.dumps({**attrs, **ids}, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = ""
    if not text or UNSAFE_JSON.search(text):
        text = json.dumps({**json_ready(attrs), **ids}, ensure_ascii=False, sort_keys=True)  # type: ignore[dict-item]
    return text


def write_node_link_json(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write :func:`generate_node_link_json` of ``graph`` to ``path`` (atomically).

    Raises:
        ExportError: the file cannot be written.
    """
    write_chunks(path, iter_node_link_json(graph))
