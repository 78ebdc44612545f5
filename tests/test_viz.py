"""Focused views (kg.viz, kg viz) and the notebook display (kg.notebook)."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KgError
from kg.export.graphml import write_graphml
from kg.notebook import iframe_html, show
from kg.viz import find_nodes, focus, view_path, write_view


def _graph() -> nx.MultiDiGraph:
    """Two articles about a city government; a chain person → agency → agency → place."""
    g = nx.MultiDiGraph()

    def node(key: str, node_type: str, label: str, docs: tuple[str, ...], aliases: tuple[str, ...] = ()) -> None:
        evidence = [{"doc_id": d, "start": 0, "end": len(label), "quote": label} for d in docs]
        g.add_node(key, type=node_type, label=label, aliases=list(aliases), evidence=evidence)

    node("person/wang", "person", "王建国", ("d1",), ("王局长",))
    node("person/zhao", "person", "赵红梅", ("d2",))
    node("agency/justice", "agency", "无锡市司法局", ("d1", "d2"), ("市司法局",))
    node("agency/gov", "agency", "无锡市人民政府", ("d1",), ("无锡市政府",))
    node("place/wuxi", "place", "无锡市", ("d1", "d2"))
    node("event/meeting", "event", "召开推进会", ("d2",))
    g.add_node("article/d1", type="article", label="无锡推进依法行政", evidence=[])
    g.add_node("article/d2", type="article", label="无锡召开法治政府建设推进会", evidence=[])
    edges = [
        ("person/wang", "agency/justice", "member_of", "d1"),
        ("person/zhao", "agency/justice", "member_of", "d2"),
        ("agency/justice", "agency/gov", "sub_organization_of", ""),
        ("agency/gov", "place/wuxi", "contained_in", ""),
        ("person/zhao", "event/meeting", "actor", "d2"),
    ]
    for number, (u, v, relation, doc) in enumerate(edges):
        g.add_edge(u, v, key=f"k{number}", relation=relation, doc_id=doc)
    for node_key, attrs in list(g.nodes(data=True)):
        for ev in attrs["evidence"]:
            g.add_edge(f"article/{ev['doc_id']}", node_key, key=f"m-{ev['doc_id']}", relation="mentions",
                       doc_id=ev["doc_id"])
    return g


@pytest.mark.parametrize(
    ("name", "hops", "types", "article", "expected"),
    [
        ("王建国", 0, None, None, {"person/wang"}),
        ("王建国", 1, None, None, {"person/wang", "agency/justice", "article/d1"}),
        ("王局长", 2, None, None, {"person/wang", "agency/justice", "article/d1", "person/zhao", "agency/gov",
                                  "article/d2"}),
        ("市司法局", 1, ["person"], None, {"agency/justice", "person/wang", "person/zhao"}),
        ("王建国", 3, ["person", "agency"], None, {"person/wang", "agency/justice", "person/zhao", "agency/gov"}),
        ("无锡市司法局", 1, None, "d2", {"agency/justice", "person/zhao", "article/d2"}),
        ("赵红梅", 5, None, "article/d2", {"person/zhao", "agency/justice", "event/meeting", "article/d2"}),
        ("无锡市政府", 1, None, None, {"agency/gov", "agency/justice", "place/wuxi", "article/d1"}),
        ("  无锡市人民政府 ", 0, None, None, {"agency/gov"}),
    ],
)
def test_viz_focus_table(name: str, hops: int, types: list[str] | None, article: str | None,
                         expected: set[str]) -> None:
    view = focus(_graph(), name, hops, types, article)
    assert set(view.nodes) == expected
    assert all(view.nodes[n] == _graph().nodes[n] for n in view)


def test_viz_focus_does_not_walk_through_articles_unless_asked() -> None:
    g = _graph()
    assert "place/wuxi" not in focus(g, "王建国", hops=2)
    assert "place/wuxi" in focus(g, "王建国", hops=2, via_articles=True)
    assert set(focus(g, "无锡推进依法行政", hops=1)) >= {"person/wang", "agency/gov", "place/wuxi"}


def test_viz_focus_keeps_parallel_edges_with_keys() -> None:
    g = _graph()
    g.add_edge("person/wang", "agency/justice", key="k-second", relation="member_of", doc_id="d3")
    view = focus(g, "王建国", hops=1)
    assert sorted(view["person/wang"]["agency/justice"]) == ["k-second", "k0"]
    assert isinstance(view, nx.MultiDiGraph) and view is not g


@pytest.mark.parametrize(("name", "expected"), [("建国", ["person/wang"]), ("司法", ["agency/justice"]),
                                                ("无锡市", ["place/wuxi"])])
def test_viz_find_nodes_exact_before_partial(name: str, expected: list[str]) -> None:
    assert find_nodes(_graph(), name) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "李四"}, "no entity is called"),
        ({"name": "王建国", "hops": -1}, "hops"),
        ({"name": "王建国", "article": "d9"}, "no entity has evidence"),
        ({"name": ""}, "give a name"),
    ],
)
def test_viz_focus_errors_say_what_to_do(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(KgError, match=message):
        focus(_graph(), **kwargs)  # type: ignore[arg-type]


def test_viz_write_view_reads_the_build_back(tmp_path: Path) -> None:
    write_graphml(_graph(), tmp_path / "graph.graphml")
    page = write_view(tmp_path, "王建国", hops=1)
    assert page == tmp_path / "focus-王建国.html"
    data = _page_data(page.read_text(encoding="utf-8"))
    assert sorted(data["details"]) == ["agency/justice", "article/d1", "person/wang"]
    assert data["details"]["person/wang"]["aliases"] == ["王局长"]
    assert data["details"]["person/wang"]["evidence"][0]["quote"] == "王建国"
    assert data["title"] == "王建国 · 1 跳"


def _page_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL)
    assert block
    return json.loads(block.group(1))


def test_viz_write_view_without_a_build_says_run_build(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="kg build"):
        write_view(tmp_path, "王建国")


@pytest.mark.parametrize(("name", "file"), [("王建国", "focus-王建国.html"), ("../a/b:c", "focus-a_b_c.html"),
                                            ("..", "focus-view.html")])
def test_viz_view_path_stays_in_the_folder(name: str, file: str) -> None:
    assert view_path("out", name) == Path("out") / file


def test_viz_cli_writes_the_page_and_prints_its_path(tmp_path: Path) -> None:
    write_graphml(_graph(), tmp_path / "graph.graphml")
    target = tmp_path / "wang.html"
    result = CliRunner().invoke(cli, ["viz", str(tmp_path), "--focus", "王局长", "--hops", "2",
                                      "--types", "person,agency", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    assert sorted(_page_data(target.read_text(encoding="utf-8"))["details"]) == [
        "agency/gov", "agency/justice", "person/wang", "person/zhao"]


@pytest.mark.parametrize(("args", "code"), [(["--focus", "李四"], 1), (["--hops", "2"], 2),
                                            (["--focus", "王建国", "--hops", "-1"], 2)])
def test_viz_cli_errors_exit_with_status(tmp_path: Path, args: list[str], code: int) -> None:
    write_graphml(_graph(), tmp_path / "graph.graphml")
    result = CliRunner().invoke(cli, ["viz", str(tmp_path), *args])
    assert result.exit_code == code


def test_viz_cli_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["viz", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--focus" in result.output


# kg.notebook

def test_notebook_iframe_holds_the_whole_page_escaped() -> None:
    g = _graph()
    g.nodes["person/wang"]["label"] = '王建国"><script>alert(1)</script>'
    markup = iframe_html(g, height=480)
    assert markup.count("<iframe") == 1 and markup.endswith("></iframe></div>")
    assert "<script" not in markup.split('srcdoc="', 1)[0]
    srcdoc = re.search(r'srcdoc="([^"]*)"', markup)
    assert srcdoc and '"' not in srcdoc.group(1)
    page = html.unescape(srcdoc.group(1))
    assert page.startswith("<!DOCTYPE html>") and "height: 480px" in markup
    assert _page_data(page)["details"]["person/wang"]["label"] == '王建国"><script>alert(1)</script>'


def test_notebook_show_accepts_folder_file_result_and_graph(tmp_path: Path) -> None:
    from kg.export.html import write_html

    write_html(_graph(), tmp_path / "graph.html")

    class Result:
        graph = _graph()

    pages = [iframe_html(source) for source in (tmp_path, tmp_path / "graph.html", Result(), _graph())]
    assert len(set(pages)) == 1


def test_notebook_show_returns_ipython_html_or_a_string(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("IPython.display", reason="IPython is optional")
    shown = show(_graph())
    assert type(shown).__name__ == "HTML" and shown.data.startswith('<div class="kg-explorer"><iframe srcdoc=')
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    assert isinstance(show(_graph()), str)


@pytest.mark.parametrize("source", ["missing-folder", 42])
def test_notebook_show_unknown_source_raises(source: object) -> None:
    with pytest.raises(KgError):
        show(source)
