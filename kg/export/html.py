"""The offline HTML explorer: one self-contained page drawn with vis-network.

pyvis supplies vis-network (its JavaScript and CSS, as shipped inside the pyvis
wheel, are inlined) and the physics options; nodes are plain vis data styled
through one vis *group* per type, and the page comes from our own template
(``explorer_template.html``). The page makes no network request, so
it opens by double-click with no connection.

All text comes from scraped articles and is untrusted. It travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped, is read with ``JSON.parse`` and shown with ``textContent``;
vis-network shows string tooltips as text (``innerText``) in the bundled 9.1.2.
The page's Content Security Policy lets only its own two scripts run (by their
SHA-256 hashes) and allows no request at all.

Graphs above :data:`LARGE_GRAPH` nodes get positions computed here by a radial
tree layout (linear time) and no physics; smaller ones let vis-network settle
for at most :data:`STABILIZATION_ITERATIONS` steps, then freeze. Above
:data:`MAX_NODES` the page keeps the best-connected nodes and says what it left
out; ``kg viz OUTDIR --focus NAME`` draws any neighbourhood instead.

Events, articles and documents (by their ``time``, ``date`` or the times of the
``issued`` edges that reach them) and edges with a ``time`` (tenures) carry a
span of days, which the page's time filter compares with the range asked for.

>>> g = nx.MultiDiGraph()
>>> g.add_node("person/1", type="person", label="张三<b>")
>>> page = generate_html(g)
>>> "张三\\\\u003cb\\\\u003e" in page, "张三<b>" in page
(True, False)
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import html
import json
import math
import os
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

from kg.errors import ExportError
from kg.export.atomic import write_atomic
from kg.export.graphml import clean_text
from kg.export.layout import radial_layout

LARGE_GRAPH = 1000
"""Above this many nodes, positions are computed in Python and physics is off."""

MAX_NODES = 5000
"""At most this many nodes are drawn: a browser stays responsive, the rest is named in the page."""

STABILIZATION_ITERATIONS = 200

VIS_VERSION = "vis-9.1.2"

# type → (Chinese name, colour, vis-network shape). Shapes with the label
# outside are scaled by degree; articles are boxes that fit their headline.
TYPE_STYLES: dict[str, tuple[str, str, str]] = {
    "person": ("人物", "#e4572e", "dot"),
    "agency": ("机关", "#2e86de", "square"),
    "organization": ("组织", "#17a2b8", "triangle"),
    "place": ("地点", "#28a745", "diamond"),
    "document": ("文件", "#8e44ad", "star"),
    "event": ("事件", "#f39c12", "hexagon"),
    "quotation": ("引语", "#c0392b", "triangleDown"),
    "article": ("文章", "#7f8c8d", "box"),
}
OTHER_STYLE = ("其他", "#95a5a6", "dot")

STATUS_NAMES = {"current": "现任", "former": "原", "at_date": "时任"}

CONTRACT_ATTRS = frozenset(
    {"type", "label", "aliases", "evidence", "tenures", "headline", "date", "path", "time", "event_type"}
)
EVIDENCE_FIELDS = ("doc_id", "start", "end", "quote", "sentence", "headline", "date", "path")

LABEL_CHARS = 24  # longer labels are cut on the canvas; the panel shows them whole
TOOLTIP_SENTENCES = 2
PANEL_EVIDENCE = 100  # evidence records a node carries into the page; the panel says how many there are in all
TOOLTIP_CHARS = 80
FONT_FACE = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SCRIPT_BODY = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_SOURCE_MAP = re.compile(r"^\s*(?://|/\*)# sourceMappingURL=.*$", re.MULTILINE)


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>``, ``&``, U+2028/9).

    >>> script_json({"a": "</script>&\\u2028"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _text(value: object) -> str:
    return "" if value is None else clean_text(str(value))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def time_span(iso: str) -> tuple[str, str] | None:
    """The first and last day an ISO time (``2021``, ``2021-03``, ``2021-03-05``, ``a/b``) covers.

    >>> time_span("2021-02"), time_span("2020/2021-03-05"), time_span("")
    (('2021-02-01', '2021-02-28'), ('2020-01-01', '2021-03-05'), None)
    """
    first, _, last = iso.strip().partition("/")
    start, end = _day_range(first), _day_range(last or first)
    if start is None or end is None or start[0] > end[1]:
        return None
    return start[0], end[1]


def _day_range(text: str) -> tuple[str, str] | None:
    match = _ISO_DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if month is None:
        return f"{year}-01-01", f"{year}-12-31"
    if not 1 <= int(month) <= 12:
        return None
    last = calendar.monthrange(int(year), int(month))[1]
    if day is None:
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return (f"{year}-{month}-{day}",) * 2 if 1 <= int(day) <= last else None


def _node_span(graph: nx.MultiDiGraph, node: Hashable) -> tuple[str, str] | None:
    """When an event happened, an article appeared, or a document was issued (earliest to latest)."""
    attrs = graph.nodes[node]
    if attrs.get("type") not in ("event", "article", "document"):
        return None
    for name in ("time", "date"):
        span = time_span(_text(attrs.get(name)))
        if span:
            return span
    spans = [time_span(_text(a.get("time"))) for _, _, a in graph.in_edges(node, data=True) if a.get("relation") == "issued"]
    known = [span for span in spans if span]
    return (min(s for s, _ in known), max(e for _, e in known)) if known else None


def _style(node_type: str) -> tuple[str, str, str]:
    return TYPE_STYLES.get(node_type, OTHER_STYLE)


def _strings(values: object) -> list[str]:
    if isinstance(values, str):
        return [_text(values)]
    if not isinstance(values, Iterable):
        return []
    return [_text(v) for v in values if v not in (None, "")]


def _records(values: object) -> list[Mapping[str, Any]]:
    if not isinstance(values, Iterable) or isinstance(values, str | bytes):
        return []
    return [v for v in values if isinstance(v, Mapping)]


def _evidence(records: list[Mapping[str, Any]]) -> list[dict[str, object]]:
    """The first :data:`PANEL_EVIDENCE` evidence records (a place named in every article has thousands)."""
    items = []
    for ev in records[:PANEL_EVIDENCE]:
        item: dict[str, object] = {name: _text(ev.get(name)) for name in EVIDENCE_FIELDS}
        for name in ("start", "end"):
            item[name] = ev[name] if isinstance(ev.get(name), int) else None
        items.append(item)
    return items


def _tenures(attrs: Mapping[str, Any], ids: Mapping[Hashable, str]) -> list[dict[str, str]]:
    tenures = []
    for tenure in _records(attrs.get("tenures")):
        organization = tenure.get("organization")
        status = _text(tenure.get("status"))
        tenures.append(
            {
                "role": _text(tenure.get("role")),
                "organization": ids.get(organization, _text(organization)),
                "time": _text(tenure.get("time")),
                "status": status,
                "status_name": STATUS_NAMES.get(status, status),
            }
        )
    return tenures


def _details(attrs: Mapping[str, Any], node_id: str, ids: Mapping[Hashable, str]) -> dict[str, object]:
    extra = [
        [_text(name), _text(value)]
        for name, value in sorted(attrs.items(), key=lambda item: str(item[0]))
        if name not in CONTRACT_ATTRS and isinstance(value, str | int | float) and value != ""
    ]
    evidence = _records(attrs.get("evidence"))
    return {
        "type": _text(attrs.get("type")) or "other",
        "label": _text(attrs.get("label")) or node_id,
        "aliases": _strings(attrs.get("aliases")),
        "evidence": _evidence(evidence),
        "evidence_total": len(evidence),
        "tenures": _tenures(attrs, ids),
        "headline": _text(attrs.get("headline")),
        "date": _text(attrs.get("date")),
        "path": _text(attrs.get("path")),
        "time": _text(attrs.get("time")),
        "event_type": _text(attrs.get("event_type")),
        "extra": extra,
    }


def _tooltip(details: Mapping[str, Any]) -> str:
    """Plain text shown on hover: type, name, aliases and the first evidence sentences."""
    lines = [f"{_style(details['type'])[0]} · {details['label']}"]
    if details["aliases"]:
        lines.append("别名：" + "、".join(details["aliases"]))
    evidence = details["evidence"]
    for ev in evidence[:TOOLTIP_SENTENCES]:
        lines.append("「" + _short(str(ev["sentence"] or ev["quote"]), TOOLTIP_CHARS) + "」")
    if details["evidence_total"] > TOOLTIP_SENTENCES:
        lines.append(f"……共 {details['evidence_total']} 条证据")
    return "\n".join(lines)


def _node_size(degree: int) -> float:
    return round(min(10 + 6 * math.log2(1 + degree), 48), 1)


def _options(large: bool) -> dict[str, Any]:
    net = Network(directed=True)
    net.force_atlas_2based()
    net.options.physics.enabled = not large
    net.options.physics.stabilization.iterations = STABILIZATION_ITERATIONS
    net.options.physics.stabilization.updateInterval = 25
    net.options.interaction.hideEdgesOnDrag = large
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["edges"] = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"inherit": False, "color": "#9aa5b1", "highlight": "#34495e"},
        "font": {"size": 10, "face": FONT_FACE, "align": "middle", "strokeWidth": 3},
        "smooth": {"enabled": not large, "type": "continuous"},
    }
    options["nodes"] = {"font": {"face": FONT_FACE, "size": 14}}
    options["interaction"].update({"hover": True, "tooltipDelay": 150, "navigationButtons": True, "keyboard": True})
    options["layout"] = {"randomSeed": 7, "improvedLayout": not large}
    return options


def keep_best_connected(graph: nx.MultiDiGraph, limit: int = MAX_NODES) -> nx.MultiDiGraph:
    """``graph`` itself when it has at most ``limit`` nodes, else the subgraph of its ``limit`` highest-degree nodes.

    Ties go to the smaller node id, so the choice does not depend on insertion order.

    >>> g = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("c", "d")])
    >>> sorted(keep_best_connected(g, 2))
    ['a', 'hub']
    """
    if graph.number_of_nodes() <= limit:
        return graph
    ranked = sorted(graph.nodes, key=lambda node: (-graph.degree(node), str(node)))
    return graph.subgraph(ranked[:limit])


def explorer_data(graph: nx.MultiDiGraph, *, title: str = "kg explorer", limit: int = MAX_NODES) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data: vis nodes, edges, details, legend, options.

    Node ids become strings; nodes and edges are sorted so the same graph gives
    the same data. Tooltips are plain text. Only the ``limit`` best-connected
    nodes are kept (see :func:`keep_best_connected`); ``omitted`` counts the rest.
    """
    shown = keep_best_connected(graph, limit)
    ordered = sorted(shown.nodes, key=str)
    ids = {node: clean_text(str(node)) for node in ordered}
    if len(set(ids.values())) != len(ids):
        raise ExportError("node ids collide once written as text")
    large = len(ordered) > LARGE_GRAPH
    positions = radial_layout(shown) if large else {}
    details = {ids[node]: _details(shown.nodes[node], ids[node], ids) for node in ordered}
    nodes = []
    for node in ordered:
        d = details[ids[node]]
        d["span"] = _node_span(graph, node)
        vis_node = {"id": ids[node], "label": _short(str(d["label"]), LABEL_CHARS), "group": d["type"],
                    "size": _node_size(graph.degree(node)), "title": _tooltip(d)}
        if large:
            vis_node.update(x=positions[node][0], y=positions[node][1])
        nodes.append(vis_node)
    edges, edge_details = _edges(shown, ids, labels=not large)
    counts = Counter(str(d["type"]) for d in details.values())
    types = [
        {"type": t, "name": _style(t)[0], "color": _style(t)[1], "shape": _style(t)[2], "count": counts[t]}
        for t in [*TYPE_STYLES, *sorted(set(counts) - set(TYPE_STYLES))]
        if counts[t]
    ]
    return {
        "title": clean_text(title),
        "nodes": nodes,
        "edges": edges,
        "details": details,
        "edge_details": edge_details,
        "documents": _documents(details.values()),
        "types": types,
        "time_range": _time_range([d["span"] for d in details.values()] + [d["span"] for d in edge_details.values()]),
        "omitted": {
            "nodes": graph.number_of_nodes() - shown.number_of_nodes(),
            "edges": graph.number_of_edges() - shown.number_of_edges(),
            "limit": limit,
        },
        "options": {**_options(large), "groups": {t["type"]: {"color": t["color"], "shape": t["shape"]} for t in types}},
    }


def _time_range(spans: Iterable[object]) -> list[str] | None:
    known = [span for span in spans if isinstance(span, tuple)]
    return [min(s for s, _ in known), max(e for _, e in known)] if known else None


def _edges(
    graph: nx.MultiDiGraph, ids: Mapping[Hashable, str], *, labels: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """vis edges and their details. Arrows come from the global options; large graphs draw
    no edge labels (measuring thousands of them is most of the page's start-up time):
    hover and the side panel still give them."""
    edges, edge_details = [], {}
    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2])))
    for number, (source, target, key, attrs) in enumerate(ordered):
        edge_id = f"e{number}"
        label, relation = _text(attrs.get("label")), _text(attrs.get("relation"))
        time = _text(attrs.get("time"))
        tooltip = " · ".join(part for part in (label, relation, time) if part)
        edge = {"id": edge_id, "from": ids[source], "to": ids[target], "title": tooltip}
        if labels:
            edge["label"] = label or relation
        edges.append(edge)
        doc_id = _text(attrs.get("doc_id"))
        edge_details[edge_id] = {
            "key": _text(key), "label": label or relation, "relation": relation, "time": time,
            "doc_id": doc_id, "span": time_span(time),
        }
    return edges, edge_details


def _documents(details: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Headline, date and path of every article named in evidence, by ``doc_id``."""
    documents: dict[str, dict[str, str]] = {}
    for d in details:
        for ev in d["evidence"]:
            if ev["doc_id"] and ev["doc_id"] not in documents:
                documents[ev["doc_id"]] = {name: ev[name] for name in ("headline", "date", "path")}
    return dict(sorted(documents.items()))


def _asset(relative: str, closing: str) -> str:
    text = (Path(pyvis.__file__).parent / "lib" / VIS_VERSION / relative).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ExportError(f"pyvis asset {relative} contains {closing!r} and cannot be inlined")
    return _SOURCE_MAP.sub("", text)  # the map is not shipped: a browser's devtools would ask for it


def generate_html(graph: nx.MultiDiGraph, *, title: str = "kg explorer", limit: int = MAX_NODES) -> str:
    """The explorer page for ``graph`` as one string, with every script and style inline.

    Raises:
        ExportError: node ids collide as text, or the pyvis assets cannot be inlined.
    """
    template = resources.files("kg.export").joinpath("explorer_template.html").read_text(encoding="utf-8")
    parts = {
        "TITLE": html.escape(clean_text(title)),
        "VIS_CSS": _asset("vis-network.css", "</style"),
        "VIS_JS": _asset("vis-network.min.js", "</script"),
        "DATA": script_json(explorer_data(graph, title=title, limit=limit)),
        "SCRIPT_HASHES": "{{SCRIPT_HASHES}}",  # filled below, once the scripts are in place
    }
    page = _PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)
    return page.replace("{{SCRIPT_HASHES}}", script_hashes(page), 1)  # the first is the CSP, in <head>


def script_hashes(page: str) -> str:
    """CSP sources for every executable ``<script>`` block of ``page`` (no attributes), by SHA-256.

    >>> script_hashes("<script>alert(1)</script><script type='application/json'>{}</script>")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    digests = (hashlib.sha256(body.encode("utf-8")).digest() for body in _SCRIPT_BODY.findall(page))
    return " ".join(f"'sha256-{base64.b64encode(d).decode('ascii')}'" for d in digests)


def write_html(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], *, title: str = "kg explorer", limit: int = MAX_NODES
) -> None:
    """Write the offline explorer for ``graph`` to ``path`` (atomically).

    Raises:
        ExportError: the file cannot be written (see :func:`generate_html` for the rest).
    """
    write_atomic(path, generate_html(graph, title=title, limit=limit).encode("utf-8"))
