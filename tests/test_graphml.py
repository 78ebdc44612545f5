"""GraphML, GEXF, Neo4j CSV and node-link JSON exports: hostile text, parallel edges, typed attributes, read back."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest

from kg.errors import ExportError
from kg.export.graphml import (
    clean_text,
    clean_value,
    generate_gexf_bytes,
    read_graphml,
    sanitise_graph,
    write_gexf,
    write_graphml,
)

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "引号\"与'撇号'&amp;",
    "]]><!-- 注释 -->",
]


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "person/0a1b2c3d4e5f6071",
        type="person",
        label="王\x01建国\x0b",
        aliases=["王局长", "建国\ufffe"],
        evidence=[
            {
                "doc_id": "d1",
                "start": 12,
                "end": 15,
                "quote": "王建国",
                "sentence": "市司法局局长王建国\x1b介绍说。",
                "headline": "依法行政\ud800新举措",
                "date": "2022-05-06",
                "path": "news/a.txt",
            }
        ],
        tenures=[{"role": "局长", "organization": "agency/00ff", "time": None, "status": "current"}],
        note=None,
    )
    g.add_node("agency/00ff", type="agency", label="无锡市司法局", aliases=[], evidence=[])
    g.add_node("article/77", type="article", label="依法行政新举措", headline="依法行政新举措", date="2022-05-06")
    person, agency = "person/0a1b2c3d4e5f6071", "agency/00ff"
    g.add_edge(person, agency, key="t1", relation="member_of", label="任职", doc_id="d1", time="2022")
    g.add_edge(person, agency, key="t2", relation="member_of", label="任职", doc_id="d2", time=None)
    g.add_edge("article/77", "person/0a1b2c3d4e5f6071", key="m1", relation="mentions", label="提及", doc_id="d1")
    return g


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b", "ab"),
        ("tab\tnew\nline\rreturn", "tab\tnew\nline\rreturn"),
        ("\x7f kept, \x85 kept", "\x7f kept, \x85 kept"),
        ("x\ufffey\uffffz", "xyz"),
        ("lone\ud800\udfff", "lone"),
        ("全角　空格", "全角　空格"),
    ],
)
def test_graphml_clean_text_drops_characters_xml_forbids(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (["乙", "甲"], '["乙","甲"]'),
        (("a\x02",), '["a"]'),
        ({"b": 1, "a": [None]}, '{"a":[null],"b":1}'),
        (7, 7),
        (2.5, 2.5),
        (False, False),
        ("文本", "文本"),
    ],
)
def test_graphml_clean_value_table(value: object, expected: object) -> None:
    cleaned = clean_value(value)
    assert cleaned == expected
    assert type(cleaned) is type(expected)


def test_graphml_sanitise_drops_none_and_keeps_original_untouched() -> None:
    g = _graph()
    clean = sanitise_graph(g)
    person = clean.nodes["person/0a1b2c3d4e5f6071"]
    assert "note" not in person
    assert person["label"] == "王建国"
    assert json.loads(person["aliases"]) == ["王局长", "建国"]
    assert json.loads(person["tenures"])[0]["time"] is None
    assert "time" not in clean.edges["person/0a1b2c3d4e5f6071", "agency/00ff", "t2"]
    assert g.nodes["person/0a1b2c3d4e5f6071"]["aliases"] == ["王局长", "建国\ufffe"]


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_graphml_hostile_text_round_trips(tmp_path: Path, hostile: str, suffix: str) -> None:
    g = _graph()
    g.add_node("organization/1", type="organization", label=hostile + "\x0c", aliases=[hostile])
    g.add_edge("organization/1", "agency/00ff", key=hostile, relation="about", label=hostile)
    path = tmp_path / f"graph.{suffix}"
    (write_graphml if suffix == "graphml" else write_gexf)(g, path)
    ElementTree.parse(path)  # expat: well-formed XML 1.0
    back = nx.read_graphml(path) if suffix == "graphml" else nx.read_gexf(path)
    assert back.nodes["organization/1"]["label"] == hostile
    assert json.loads(back.nodes["organization/1"]["aliases"]) == [hostile]
    assert back.edges["organization/1", "agency/00ff", hostile]["label"] == hostile


@pytest.mark.parametrize("reader", [nx.read_graphml, nx.read_gexf])
def test_graphml_parallel_edges_survive_with_keys(tmp_path: Path, reader: object) -> None:
    path = tmp_path / ("g.graphml" if reader is nx.read_graphml else "g.gexf")
    (write_graphml if reader is nx.read_graphml else write_gexf)(_graph(), path)
    back = reader(path)  # type: ignore[operator]
    assert back.is_multigraph() and back.is_directed()
    keys = sorted(back["person/0a1b2c3d4e5f6071"]["agency/00ff"])
    assert keys == ["t1", "t2"]
    assert back.edges["person/0a1b2c3d4e5f6071", "agency/00ff", "t1"]["time"] == "2022"
    assert back.number_of_edges() == 3


@pytest.mark.parametrize("reader", [nx.read_graphml, nx.read_gexf])
def test_graphml_attributes_keep_their_types(tmp_path: Path, reader: object) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", type="event", weight=3, score=0.5, confirmed=True)
    g.add_node("b", type="event", weight=4, score=1, confirmed=False)
    g.add_node("c", type="place", mixed=1)
    g.add_node("d", type="place", mixed="一")
    path = tmp_path / ("g.graphml" if reader is nx.read_graphml else "g.gexf")
    (write_graphml if reader is nx.read_graphml else write_gexf)(g, path)
    back = reader(path)  # type: ignore[operator]
    assert back.nodes["a"]["weight"] == 3 and type(back.nodes["a"]["weight"]) is int
    assert back.nodes["b"]["score"] == 1.0 and type(back.nodes["b"]["score"]) is float
    assert back.nodes["b"]["confirmed"] is False
    assert back.nodes["c"]["mixed"] == "1" and back.nodes["d"]["mixed"] == "一"


@pytest.mark.parametrize("writer", [write_graphml, write_gexf])
def test_graphml_output_is_deterministic(tmp_path: Path, writer: object) -> None:
    g = _graph()
    reordered = nx.MultiDiGraph()
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    first, second = tmp_path / "a", tmp_path / "b"
    writer(g, first)  # type: ignore[operator]
    writer(reordered, second)  # type: ignore[operator]
    assert first.read_bytes() == second.read_bytes()


def test_graphml_gexf_has_no_modification_date() -> None:
    assert b"lastmodifieddate" not in generate_gexf_bytes(_graph())


@pytest.mark.parametrize("writer", [write_graphml, write_gexf])
def test_graphml_missing_folder_raises_export_error_and_leaves_no_temp(tmp_path: Path, writer: object) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        writer(_graph(), tmp_path / "missing" / "g.xml")  # type: ignore[operator]
    assert list(tmp_path.iterdir()) == []


def test_graphml_write_replaces_existing_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    path.write_text("old")
    write_graphml(_graph(), path)
    assert nx.read_graphml(path).number_of_nodes() == 3
    assert [p.name for p in tmp_path.iterdir()] == ["graph.graphml"]


def test_graphml_colliding_ids_after_cleaning_raise() -> None:
    g = nx.MultiDiGraph()
    g.add_node("a\x00", type="place")
    g.add_node("a", type="place")
    with pytest.raises(ExportError, match="collide"):
        sanitise_graph(g)


@pytest.mark.parametrize(("writer", "reader"), [(write_graphml, nx.read_graphml), (write_gexf, nx.read_gexf)])
def test_graphml_empty_graph_round_trips(tmp_path: Path, writer: object, reader: object) -> None:
    path = tmp_path / "empty.xml"
    writer(nx.MultiDiGraph(), path)  # type: ignore[operator]
    assert reader(path).number_of_nodes() == 0  # type: ignore[operator]


def test_graphml_read_graphml_restores_lists_and_records(tmp_path: Path) -> None:
    g = _graph()
    write_graphml(g, tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    person = back.nodes["person/0a1b2c3d4e5f6071"]
    assert person["aliases"] == ["王局长", "建国"]
    assert person["evidence"][0]["quote"] == "王建国" and person["evidence"][0]["start"] == 12
    assert person["tenures"][0]["organization"] == "agency/00ff"
    assert back.nodes["agency/00ff"]["aliases"] == []
    assert sorted(back["person/0a1b2c3d4e5f6071"]["agency/00ff"]) == ["t1", "t2"]
    assert "kg_json_node_attributes" not in back.graph


@pytest.mark.parametrize("text", ["[1, 2]", '{"a": 1}', "[不是JSON", "2021"])
def test_graphml_read_graphml_leaves_plain_text_that_looks_like_json(tmp_path: Path, text: str) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", type="place", label=text, aliases=["甲"])
    write_graphml(g, tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    assert back.nodes["a"]["label"] == text and back.nodes["a"]["aliases"] == ["甲"]


@pytest.mark.parametrize("content", [None, "not xml", "<graphml><broken"])
def test_graphml_read_graphml_missing_or_broken_file_raises(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "g.graphml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ExportError, match="kg build"):
        read_graphml(path)


# Neo4j bulk-import CSV and node-link JSON (kg/export/tables.py)

def _hostile_graph(hostile: str) -> nx.MultiDiGraph:
    g = _graph()
    g.add_node("organization/1", type="organization", label=hostile, aliases=[hostile, "甲;乙"], rank=2)
    g.add_edge("organization/1", "agency/00ff", key=hostile, relation="about", label=hostile, time="2021")
    return g


TABLE_HOSTILE = [*HOSTILE, "逗号,与\n换行\r\n", '"=HYPERLINK(""http://x"")"', "\u2028段\t制表"]


def _read_csv(text: str) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("hostile", TABLE_HOSTILE)
def test_tables_neo4j_csv_parses_back_one_record_per_line(tmp_path: Path, hostile: str) -> None:
    from kg.export.tables import csv_text, write_neo4j_csv

    nodes_path, edges_path = write_neo4j_csv(_hostile_graph(hostile), tmp_path)
    nodes_text, edges_text = nodes_path.read_text(encoding="utf-8"), edges_path.read_text(encoding="utf-8")
    nodes, edges = _read_csv(nodes_text), _read_csv(edges_text)
    assert len(nodes_text.splitlines()) == len(nodes) + 1 == 5
    assert len(edges_text.splitlines()) == len(edges) + 1 == 5
    org = next(row for row in nodes if row["id:ID"] == "organization/1")
    assert org["label"] == csv_text(hostile) and org[":LABEL"] == "Organization"
    assert org["aliases:string[]"].split(";") == [csv_text(hostile).replace(";", "；"), "甲；乙"]
    assert org["rank:long"] == "2"
    person = next(row for row in nodes if row["id:ID"] == "person/0a1b2c3d4e5f6071")
    assert json.loads(person["evidence"])[0]["quote"] == "王建国"
    about = next(row for row in edges if row[":TYPE"] == "ABOUT")
    assert (about[":START_ID"], about[":END_ID"], about["key"]) == ("organization/1", "agency/00ff", csv_text(hostile))
    assert {row["key"] for row in edges if row[":TYPE"] == "MEMBER_OF"} == {"t1", "t2"}
    assert not any(c in csv_text(hostile) for c in "\n\r\t\u2028")


def test_tables_neo4j_columns_are_typed_and_ids_match() -> None:
    from kg.export.tables import generate_neo4j_csv

    g = nx.MultiDiGraph()
    g.add_node("a", type="event", weight=3, score=0.5, confirmed=True, tags=["x"], mixed=1)
    g.add_node("b", type="event", weight=4, score=1, confirmed=False, tags=[], mixed="一")
    g.add_edge("a", "b", key="k", relation="member_of", confidence=0.9)
    nodes_text, edges_text = generate_neo4j_csv(g)
    header = nodes_text.splitlines()[0].split(",")
    assert header == ["id:ID", "label", ":LABEL", "type", "confirmed:boolean", "mixed", "score:double",
                      "tags:string[]", "weight:long"]
    rows = _read_csv(nodes_text)
    assert [r["confirmed:boolean"] for r in rows] == ["true", "false"]
    assert [r["score:double"] for r in rows] == ["0.5", "1"]
    edge = _read_csv(edges_text)[0]
    assert edge["confidence:double"] == "0.9" and edge[":TYPE"] == "MEMBER_OF"
    assert {edge[":START_ID"], edge[":END_ID"]} <= {r["id:ID"] for r in rows}


@pytest.mark.parametrize("hostile", TABLE_HOSTILE)
def test_tables_node_link_json_round_trips_with_keys(tmp_path: Path, hostile: str) -> None:
    from kg.export.tables import write_node_link_json

    g = _hostile_graph(hostile)
    write_node_link_json(g, tmp_path / "graph.json")
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_multigraph() and back.is_directed()
    assert back.nodes["organization/1"]["label"] == hostile
    assert back.nodes["person/0a1b2c3d4e5f6071"]["evidence"][0]["sentence"] == "市司法局局长王建国介绍说。"
    assert sorted(back["person/0a1b2c3d4e5f6071"]["agency/00ff"]) == ["t1", "t2"]
    assert back.edges["organization/1", "agency/00ff", hostile]["time"] == "2021"
    assert back.number_of_edges() == g.number_of_edges()


def test_tables_output_is_deterministic() -> None:
    from kg.export.tables import generate_neo4j_csv, generate_node_link_json

    g = _graph()
    reordered = nx.MultiDiGraph()
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert generate_neo4j_csv(g) == generate_neo4j_csv(reordered)
    assert generate_node_link_json(g) == generate_node_link_json(reordered)


def test_graphml_read_graphml_of_an_older_file_restores_the_contract_lists(tmp_path: Path) -> None:
    g = sanitise_graph(_graph())
    del g.graph["kg_json_node_attributes"]
    nx.write_graphml(g, tmp_path / "old.graphml")
    person = read_graphml(tmp_path / "old.graphml").nodes["person/0a1b2c3d4e5f6071"]
    assert person["aliases"] == ["王局长", "建国"] and person["evidence"][0]["quote"] == "王建国"
