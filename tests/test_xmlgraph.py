"""The direct GraphML and GEXF writers give the documents networkx's tree writers give."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from networkx.readwrite.gexf import GEXFWriter

from kg.export.graphml import sanitise_graph
from kg.export.xmlgraph import gexf_text, graphml_text


def _networkx_graphml(graph: nx.MultiDiGraph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def _networkx_gexf(graph: nx.MultiDiGraph) -> str:
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    assert meta is not None
    meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(graph)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue().decode("utf-8").replace(f"NetworkX {nx.__version__}", "kg VERSION")


def _ours_gexf(graph: nx.MultiDiGraph) -> str:
    from kg import __version__

    return gexf_text(graph).replace(f"kg {__version__}", "kg VERSION")


def _hostile() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("person/1", type="person", label="李<亚>平 & \"甲\"", aliases=["亚平", "a;b"], score=1.5, ok=True,
               evidence=[{"quote": "李亚平\r\n说", "start": 3, "sentence": "\t“依法行政”\x01"}])
    g.add_node("agency/1", type="agency", label="苏州市司法局", count=3, missing=float("nan"), big=float("inf"))
    g.add_node("bare")
    g.add_node("article/1", type="article", label="标题\r第二行", headline="a\nb")
    g.add_edge("person/1", "agency/1", key="k1", relation="member_of", label="任职", role="局长", time="2021-03")
    g.add_edge("person/1", "agency/1", key="k2", relation="member_of", label="任职", role="党组书记")
    g.add_edge("article/1", "person/1", key="k3", relation="mentions", weight_note=2)
    g.add_edge("bare", "bare", key="k4")
    return g


CASES = {
    "hostile": _hostile,
    "empty": nx.MultiDiGraph,
    "nodes only": lambda: nx.MultiDiGraph([("a", "b")]).subgraph(["a"]).copy(),
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_xmlgraph_graphml_matches_networkx(make) -> None:
    clean = sanitise_graph(make())
    assert graphml_text(clean) == _networkx_graphml(clean)


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_xmlgraph_gexf_matches_networkx(make) -> None:
    clean = sanitise_graph(make())
    assert _ours_gexf(clean) == _networkx_gexf(clean)


def test_xmlgraph_round_trips_through_networkx_readers(tmp_path) -> None:
    clean = sanitise_graph(_hostile())
    (tmp_path / "g.graphml").write_text(graphml_text(clean), encoding="utf-8")
    (tmp_path / "g.gexf").write_text(gexf_text(clean), encoding="utf-8")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert back.nodes["person/1"]["label"] == clean.nodes["person/1"]["label"]
    assert back.nodes["article/1"]["label"] == "标题\r第二行"  # the carriage return is escaped, not normalised
    assert back.nodes["person/1"]["ok"] is True and back.nodes["person/1"]["score"] == 1.5
    assert sorted(back.edges(keys=True)) == sorted(clean.edges(keys=True))
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert sorted(gexf.edges(keys=True)) == sorted(clean.edges(keys=True))
    assert gexf.nodes["person/1"]["label"] == clean.nodes["person/1"]["label"]


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_xmlgraph_node_link_json_matches_node_link_data(make) -> None:
    import json

    from kg.export.tables import generate_node_link_json, node_link

    graph = make()
    graph.add_node("odd", values={"b", "a"}, note="x\x02y")  # a set and a control character: the exact path
    data = node_link(graph)
    parsed = json.loads(generate_node_link_json(graph))
    assert parsed == json.loads(json.dumps(data, ensure_ascii=False))
    odd = next(node for node in parsed["nodes"] if node["id"] == "odd")
    assert odd["values"] == ["a", "b"] and odd["note"] == "xy"
