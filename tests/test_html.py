"""The offline HTML explorer: no network, hostile text inert, data faithful, output deterministic."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import ExportError
from kg.export.html import (
    LARGE_GRAPH,
    TYPE_STYLES,
    explorer_data,
    generate_html,
    keep_best_connected,
    radial_layout,
    script_json,
    time_span,
    write_html,
)

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    '<a href="https://evil.example/">点我</a>',
    "\u2028行分隔\u2029段分隔",
    "<!--<script>",
]


def _graph(hostile: str = "") -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    sentence = "会上，常州市市长陈立新指出，要持续深化“放管服”改革。"
    g.add_node(
        "person/aa01",
        type="person",
        label="陈立新" + hostile,
        aliases=["陈市长", hostile] if hostile else ["陈市长"],
        evidence=[
            {
                "doc_id": "d1",
                "start": 8,
                "end": 11,
                "quote": "陈立新",
                "sentence": sentence + hostile,
                "headline": "常州深化放管服改革" + hostile,
                "date": "2022-03-04",
                "path": "news/changzhou.txt",
            }
        ],
        tenures=[{"role": "市长", "organization": "agency/bb02", "time": "2022-03-04", "status": "current"}],
    )
    g.add_node("agency/bb02", type="agency", label="常州市人民政府", aliases=["常州市政府"], evidence=[])
    g.add_node("place/320400", type="place", label="常州市", aliases=[], evidence=[], code="320400")
    headline = "常州深化放管服改革"
    g.add_node("article/cc03", type="article", label=headline, headline=headline, date="2022-03-04")
    g.add_edge("person/aa01", "agency/bb02", key="k1", relation="member_of", label="任职", doc_id="d1", time="2022")
    g.add_edge("person/aa01", "agency/bb02", key="k2", relation="member_of", label="任职", doc_id="d2", time=None)
    g.add_edge("agency/bb02", "place/320400", key="k3", relation="contained_in", label="位于", doc_id="d1")
    g.add_edge("article/cc03", "person/aa01", key="k4", relation="mentions", label="提及" + hostile, doc_id="d1")
    return g


class _Tags(HTMLParser):
    """Collects tags with their attributes; script and style bodies are not parsed as HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.json_blocks: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/json"

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_blocks.append(data)
            self._in_json = False


def _parse(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(page)
    return tags


def _data(page: str) -> dict:
    blocks = _parse(page).json_blocks
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_html_page_loads_nothing_from_elsewhere() -> None:
    page = generate_html(_graph())
    for tag, attrs in _parse(page).tags:
        assert "src" not in attrs or tag not in ("script", "img", "iframe"), tag
        assert not (tag == "link" and "href" in attrs), attrs
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.IGNORECASE)
    assert "sourceMappingURL" not in page


def test_html_page_has_one_inline_script_block_per_part() -> None:
    scripts = [attrs for tag, attrs in _parse(generate_html(_graph())).tags if tag == "script"]
    assert [attrs.get("type") for attrs in scripts] == ["application/json", None, None]


MARKUP = ["<img", "</script><script>", "<a href", "<!--<script>"]


def _script_bodies(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, re.DOTALL)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_html_hostile_text_appears_only_escaped(hostile: str) -> None:
    page = generate_html(_graph(hostile), title="报告" + hostile)
    for needle in MARKUP:
        assert needle not in page, needle
    for body in _script_bodies(page):
        assert "\u2028" not in body and "\u2029" not in body
    tags = _parse(page).tags
    assert not [attrs for tag, attrs in tags if tag in ("img", "a", "iframe")]
    assert [tag for tag, _ in tags].count("script") == 3
    values = [value or "" for _, attrs in tags for value in attrs.values()]
    assert not [value for value in values if value.strip().lower().startswith("javascript:")]
    data = _data(page)
    assert data["details"]["person/aa01"]["label"] == "陈立新" + hostile
    assert hostile in data["details"]["person/aa01"]["aliases"]
    assert data["title"] == "报告" + hostile


@pytest.mark.parametrize("hostile", HOSTILE)
def test_html_hostile_text_stays_out_of_the_page_markup(hostile: str) -> None:
    page = generate_html(_graph(hostile), title="报告")
    data_block = _parse(page).json_blocks[0]
    assert hostile not in page.replace(data_block, "")
    assert data_block.count("\\u003c") >= hostile.count("<")


def test_html_page_builds_no_markup_from_data() -> None:
    own_script = _script_bodies(generate_html(_graph()))[-1]
    assert "innerHTML" not in own_script and "insertAdjacentHTML" not in own_script
    assert "document.write" not in own_script and "eval(" not in own_script


def test_html_json_block_parses_back_to_the_graph() -> None:
    g = _graph()
    data = _data(generate_html(g))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(g.nodes)
    assert sorted(data["details"]) == sorted(g.nodes)
    for node, attrs in g.nodes(data=True):
        d = data["details"][node]
        assert (d["type"], d["label"], d["aliases"]) == (attrs["type"], attrs["label"], attrs.get("aliases", []))
    person = data["details"]["person/aa01"]
    assert person["evidence"][0]["quote"] == "陈立新"
    assert person["evidence"][0]["start"] == 8
    tenure = {"role": "市长", "organization": "agency/bb02", "time": "2022-03-04", "status": "current"}
    assert person["tenures"] == [{**tenure, "status_name": "现任"}]
    assert data["documents"]["d1"]["headline"] == "常州深化放管服改革"
    assert ["code", "320400"] in data["details"]["place/320400"]["extra"]


def test_html_parallel_edges_all_drawn_with_chinese_labels() -> None:
    data = explorer_data(_graph())
    pairs = [(e["from"], e["to"], e["label"]) for e in data["edges"]]
    assert pairs.count(("person/aa01", "agency/bb02", "任职")) == 2
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"]) == 4
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is True
    assert sorted(d["key"] for d in data["edge_details"].values()) == ["k1", "k2", "k3", "k4"]


def test_html_output_is_deterministic(tmp_path: Path) -> None:
    g = _graph()
    reordered = nx.MultiDiGraph()
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    write_html(g, tmp_path / "a.html")
    write_html(reordered, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (["person", "agency"], ["person", "agency"]),
        (["article", "place", "person"], ["person", "place", "article"]),
        (["quotation", "claim"], ["quotation", "claim"]),
    ],
)
def test_html_legend_lists_the_types_present(types: list[str], expected: list[str]) -> None:
    g = nx.MultiDiGraph()
    for number, node_type in enumerate(types):
        g.add_node(f"{node_type}/{number}", type=node_type, label=f"节点{number}")
    data = _data(generate_html(g))
    assert [t["type"] for t in data["types"]] == expected
    assert all(t["count"] == 1 for t in data["types"])
    names = {t["type"]: t["name"] for t in data["types"]}
    assert all(names[t] == TYPE_STYLES[t][0] for t in expected if t in TYPE_STYLES)


def test_html_nodes_styled_by_type_and_sized_by_degree() -> None:
    data = explorer_data(_graph())
    nodes = {n["id"]: n for n in data["nodes"]}
    groups = data["options"]["groups"]
    for node_id, node in nodes.items():
        node_type = data["details"][node_id]["type"]
        assert node["group"] == node_type
        assert (groups[node_type]["color"], groups[node_type]["shape"]) == TYPE_STYLES[node_type][1:]
    assert nodes["person/aa01"]["size"] > nodes["place/320400"]["size"]
    assert "陈市长" in nodes["person/aa01"]["title"] and "放管服" in nodes["person/aa01"]["title"]


@pytest.mark.parametrize(("count", "physics"), [(5, True), (LARGE_GRAPH + 1, False)])
def test_html_large_graphs_get_positions_and_no_physics(count: int, physics: bool) -> None:
    g = nx.MultiDiGraph()
    for number in range(count):
        g.add_node(f"place/{number:05d}", type="place", label=f"地点{number}")
        if number:
            g.add_edge(f"place/{number:05d}", f"place/{(number - 1) // 3:05d}", key="c", relation="contained_in")
    data = explorer_data(g)
    assert data["options"]["physics"]["enabled"] is physics
    assert data["options"]["physics"]["stabilization"]["iterations"] == 200
    assert all(("x" in n) is not physics for n in data["nodes"])


def test_html_radial_layout_gives_distinct_positions_to_every_node() -> None:
    g = nx.MultiDiGraph(nx.balanced_tree(3, 4))
    g.add_edges_from([(100, 101), (102, 102)])
    positions = radial_layout(g)
    assert set(positions) == set(g.nodes)
    assert len(set(positions.values())) == len(positions)
    assert all(isinstance(c, int) for xy in positions.values() for c in xy)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("</script>", "\\u003c/script\\u003e"),
        ("a&b", "a\\u0026b"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("中文", "中文"),
    ],
)
def test_html_script_json_escapes(text: str, escaped: str) -> None:
    out = script_json([text])
    assert out == f'["{escaped}"]'
    assert json.loads(out) == [text]


def test_html_control_characters_and_lone_surrogates_do_not_break_writing(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("person/x", type="person", label="李\ud800四\x00", aliases=["\ufffe"])
    write_html(g, tmp_path / "g.html")
    data = _data((tmp_path / "g.html").read_text(encoding="utf-8"))
    assert data["details"]["person/x"]["label"] == "李四"


def test_html_unwritable_folder_raises_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_html(_graph(), tmp_path / "missing" / "graph.html")


def test_html_empty_graph_gives_a_working_page() -> None:
    data = _data(generate_html(nx.MultiDiGraph()))
    assert (data["nodes"], data["edges"], data["types"]) == ([], [], [])


@pytest.mark.parametrize(
    ("iso", "span"),
    [
        ("2021", ("2021-01-01", "2021-12-31")),
        ("2020-02", ("2020-02-01", "2020-02-29")),
        ("2021-03-05", ("2021-03-05", "2021-03-05")),
        ("2021-08-11/2021-08-20", ("2021-08-11", "2021-08-20")),
        ("2019/2020-06", ("2019-01-01", "2020-06-30")),
        ("", None),
        ("上半年", None),
        ("2021-13", None),
        ("2021-02-30", None),
        ("2022/2021", None),
    ],
)
def test_html_time_span_table(iso: str, span: tuple[str, str] | None) -> None:
    assert time_span(iso) == span


def test_html_times_on_events_articles_documents_and_tenures() -> None:
    g = _graph()
    g.add_node("event/e1", type="event", label="召开推进会", time="2021-06")
    g.add_node("document/d1", type="document", label="实施意见")
    g.add_edge("agency/bb02", "document/d1", key="i1", relation="issued", time="2020-03")
    g.add_edge("agency/bb02", "document/d1", key="i2", relation="issued", time="2020-05-06")
    data = explorer_data(g)
    spans = {node: d["span"] for node, d in data["details"].items()}
    assert spans["event/e1"] == ("2021-06-01", "2021-06-30")
    assert spans["document/d1"] == ("2020-03-01", "2020-05-06")
    assert spans["article/cc03"] == ("2022-03-04", "2022-03-04")
    assert spans["person/aa01"] is None and spans["agency/bb02"] is None
    edge_spans = {d["key"]: d["span"] for d in data["edge_details"].values()}
    assert edge_spans["k1"] == ("2022-01-01", "2022-12-31") and edge_spans["k2"] is None
    assert data["time_range"] == ["2020-03-01", "2022-12-31"]


def test_html_no_times_gives_no_time_range() -> None:
    g = nx.MultiDiGraph()
    g.add_node("person/1", type="person", label="张三")
    assert explorer_data(g)["time_range"] is None


def _star(leaves: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for number in range(leaves):
        g.add_edge("agency/hub", f"person/{number:04d}", key="m", relation="member_of")
    g.add_edge("person/0001", "place/lonely", key="p", relation="place")
    return g


@pytest.mark.parametrize(("limit", "omitted_nodes"), [(102, 0), (5, 97), (2, 100)])
def test_html_cap_keeps_the_best_connected_and_counts_the_rest(limit: int, omitted_nodes: int) -> None:
    g = _star(100)
    data = explorer_data(g, limit=limit)
    kept = {n["id"] for n in data["nodes"]}
    assert len(kept) == min(limit, 102)
    assert data["omitted"]["nodes"] == omitted_nodes
    assert data["omitted"]["edges"] == g.number_of_edges() - len(data["edges"])
    if omitted_nodes:
        assert {"agency/hub", "person/0001"} <= kept
    assert keep_best_connected(g, limit).number_of_nodes() == len(kept)


@pytest.mark.parametrize(("count", "labelled"), [(5, True), (LARGE_GRAPH + 1, False)])
def test_html_large_graphs_draw_edges_without_labels_but_keep_them(count: int, labelled: bool) -> None:
    data = explorer_data(_star(count))
    assert all(("label" in e) is labelled for e in data["edges"])
    assert {d["label"] for d in data["edge_details"].values()} == {"member_of", "place"}


def test_html_csp_lets_only_the_pages_own_scripts_run() -> None:
    import base64
    import hashlib

    page = generate_html(_graph(HOSTILE[0]))
    policy = next(attrs["content"] for tag, attrs in _parse(page).tags
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    bodies = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    expected = {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies}
    assert len(bodies) == 2
    assert set(directives["script-src"].split()) == expected
    assert directives["default-src"] == "'none'" and "unsafe" not in directives["script-src"]


def test_html_panel_carries_at_most_panel_evidence_records_and_the_total() -> None:
    from kg.export.html import PANEL_EVIDENCE, explorer_data

    g = nx.MultiDiGraph()
    evidence = [{"doc_id": f"d{i}", "start": 0, "end": 2, "quote": "苏州", "sentence": f"苏州第{i}句。"} for i in range(250)]
    g.add_node("place/320500", type="place", label="苏州市", aliases=[], evidence=evidence)
    details = explorer_data(g)["details"]["place/320500"]
    assert len(details["evidence"]) == PANEL_EVIDENCE and details["evidence_total"] == 250
    assert details["evidence"][0]["sentence"] == "苏州第0句。"
    assert "共 250 条证据" in explorer_data(g)["nodes"][0]["title"]
