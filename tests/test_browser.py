"""The explorer in a real browser: headless Chromium driven by Playwright.

Skipped, with the reason, when Playwright or a Chromium binary is missing
(``KG_CHROMIUM`` names one; else ``chromium`` or ``chromium-browser`` on PATH).
One browser serves the module; every test gets a fresh context that records every
request and refuses all but ``file:`` and ``data:`` URLs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.export.html import explorer_data, write_html
from kg.notebook import iframe_html

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)" title="x">链接</a>',
    '" onmouseover="alert(1)',
    "<svg onload=alert(1)>",
]


def _chromium() -> str | None:
    named = os.environ.get("KG_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium binary (install the chromium package or set KG_CHROMIUM)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Session:
    """A page with everything it asked for recorded, and every dialog it tried to open."""

    def __init__(self, browser: Any, **context_options: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, **context_options)
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => window.kgExplorer && window.kgExplorer.ready", timeout=30_000)
        return self.page

    def eval(self, script: str, arg: object = None) -> Any:
        return self.page.evaluate(script, arg)

    def click_node(self, node_id: str) -> None:
        xy = self.eval("id => kgExplorer.network.canvasToDOM(kgExplorer.network.getPositions([id])[id])", node_id)
        box = self.page.locator("#kg-network").bounding_box()
        self.page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])

    def hover_node(self, node_id: str) -> None:
        xy = self.eval("id => kgExplorer.network.canvasToDOM(kgExplorer.network.getPositions([id])[id])", node_id)
        box = self.page.locator("#kg-network").bounding_box()
        self.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"], steps=3)

    def shown(self) -> int:
        return int(self.eval("kgExplorer.shown().length"))


@pytest.fixture
def session(browser: Any) -> Iterator[Session]:
    opened = Session(browser)
    yield opened
    opened.context.close()


@pytest.fixture(scope="module")
def sample(sample_build: tuple[Any, Path]) -> tuple[nx.MultiDiGraph, Path]:
    result, outdir = sample_build
    return result.graph, outdir / "graph.html"


def _person_with_evidence(graph: nx.MultiDiGraph) -> tuple[str, dict[str, Any]]:
    people = [(n, a) for n, a in sorted(graph.nodes(data=True)) if a.get("type") == "person" and a.get("evidence")]
    assert people, "the sample has people with evidence"
    return people[0]


def test_browser_sample_renders_every_node_without_requests(session: Session, sample: tuple) -> None:
    graph, page_path = sample
    page = session.open(page_path)
    assert session.eval("kgExplorer.nodes.length") == graph.number_of_nodes()
    assert session.eval("kgExplorer.edges.length") == graph.number_of_edges()
    assert page.locator("#kg-network canvas").count() == 1
    assert str(graph.number_of_nodes()) in page.text_content("#kg-counts")
    assert session.requests == [page_path.resolve().as_uri()]
    assert session.errors == [] and session.dialogs == []


def test_browser_search_selects_and_focuses_the_node(session: Session, sample: tuple) -> None:
    graph, page_path = sample
    node, attrs = _person_with_evidence(graph)
    page = session.open(page_path)
    page.fill("#kg-search", attrs["label"])
    assert page.locator("#kg-results button").first.text_content().startswith(attrs["label"])
    page.press("#kg-search", "Enter")
    assert session.eval("kgExplorer.network.getSelectedNodes()") == [node]
    assert page.locator("#kg-panel h2").text_content() == attrs["label"]


def test_browser_click_shows_the_evidence_in_the_panel(session: Session, sample: tuple) -> None:
    graph, page_path = sample
    node, attrs = _person_with_evidence(graph)
    page = session.open(page_path)
    session.eval("id => kgExplorer.network.focus(id, {scale: 1.5})", node)
    session.click_node(node)
    panel = page.locator("#kg-panel")
    panel.wait_for(state="visible")
    text = panel.text_content()
    evidence = attrs["evidence"][0]
    assert attrs["label"] in text and evidence["quote"] in text
    assert " ".join(evidence["sentence"].split())[:20] in " ".join(text.split())
    assert panel.locator("mark").first.text_content() == evidence["quote"]


def test_browser_legend_hides_and_shows_a_type(session: Session, sample: tuple) -> None:
    graph, page_path = sample
    people = sum(1 for _, a in graph.nodes(data=True) if a.get("type") == "person")
    page = session.open(page_path)
    before = session.shown()
    button = page.locator('#kg-legend button[data-type="person"]')
    button.click()
    assert session.shown() == before - people
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert session.shown() == before


@pytest.mark.parametrize(("start", "end"), [("1900", "1901"), ("2020", "2020-12"), ("2021年3月", ""), ("", "2019")])
def test_browser_time_filter_hides_what_lies_outside(session: Session, sample: tuple, start: str, end: str) -> None:
    graph, page_path = sample
    data = explorer_data(graph)
    low = {"1900": "1900-01-01", "2020": "2020-01-01", "2021年3月": "2021-03-01", "": "0000"}[start]
    high = {"1901": "1901-12-31", "2020-12": "2020-12-31", "": "9999", "2019": "2019-12-31"}[end]
    expected = sum(1 for d in data["details"].values() if not d["span"] or (d["span"][1] >= low and d["span"][0] <= high))
    page = session.open(page_path)
    assert page.locator("#kg-time").is_visible()
    page.fill("#kg-from", start)
    page.fill("#kg-to", end)
    assert session.shown() == expected
    untimed = sum(1 for d in data["details"].values() if not d["span"])
    assert session.shown() >= untimed
    page.fill("#kg-from", "")
    page.fill("#kg-to", "")
    assert session.shown() == graph.number_of_nodes()


def test_browser_time_filter_marks_what_it_cannot_read(session: Session, sample: tuple) -> None:
    page = session.open(sample[1])
    page.fill("#kg-from", "去年")
    assert page.get_attribute("#kg-from", "aria-invalid") == "true"
    assert session.shown() == sample[0].number_of_nodes()


def test_browser_png_button_downloads_the_view(session: Session, sample: tuple) -> None:
    page = session.open(sample[1])
    with page.expect_download() as download:
        page.click("#kg-png")
    path = download.value.path()
    assert download.value.suggested_filename == "kg-view.png"
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(url.startswith(("file:", "data:")) for url in session.requests)


def test_browser_works_with_the_network_blocked(browser: Any, sample: tuple) -> None:
    offline = Session(browser, offline=True)
    try:
        offline.open(sample[1])
        assert offline.eval("kgExplorer.nodes.length") == sample[0].number_of_nodes()
        assert offline.errors == []
    finally:
        offline.context.close()


def _hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for number, text in enumerate(HOSTILE):
        sentence = f"会上，{text}指出，要深化改革。"
        g.add_node(f"person/{number}", type="person", label=f"张{number}{text}", aliases=[text],
                   evidence=[{"doc_id": f"d{number}", "start": 3, "end": 3 + len(text), "quote": text,
                              "sentence": sentence, "headline": f"标题{text}", "date": "2022-01-02",
                              "path": f"{text}.txt"}],
                   tenures=[{"role": text, "organization": "agency/x", "time": "2022", "status": "current"}])
        g.add_edge(f"person/{number}", "agency/x", key=f"k{number}", relation="member_of", label=text,
                   time="2022", doc_id=f"d{number}")
    g.add_node("agency/x", type="agency", label=HOSTILE[0], aliases=[], evidence=[], url=HOSTILE[2])
    return g


def test_browser_hostile_text_runs_no_script_and_loads_nothing(session: Session, tmp_path: Path) -> None:
    page_path = tmp_path / "hostile.html"
    write_html(_hostile_graph(), page_path, title=HOSTILE[1])
    page = session.open(page_path)
    for number in range(len(HOSTILE)):
        node = f"person/{number}"
        session.eval("id => kgExplorer.network.focus(id, {scale: 1.5})", node)
        session.hover_node(node)
        page.locator("div.vis-tooltip").wait_for(state="visible")
        session.click_node(node)
        page.locator("#kg-panel").wait_for(state="visible")
        assert HOSTILE[number] in page.locator("#kg-panel").text_content()
    page.locator("#kg-panel .kg-link").first.click()  # the tenure's organisation
    page.fill("#kg-search", "<")
    page.locator("#kg-results button").first.click()
    page.wait_for_timeout(300)  # give a stray onerror a chance to fire
    assert session.dialogs == []
    assert session.requests == [page_path.resolve().as_uri()]
    assert page.locator("img, svg, a, iframe").count() == 0
    assert session.eval("document.title") == HOSTILE[1]
    assert session.errors == []


def test_browser_cap_says_what_it_left_out(session: Session, tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    for number in range(30):
        g.add_edge("agency/hub", f"person/{number:02d}", key="m", relation="member_of")
    page_path = tmp_path / "capped.html"
    write_html(g, page_path, limit=10)
    page = session.open(page_path)
    assert session.eval("kgExplorer.nodes.length") == 10
    notice = page.locator("#kg-notice")
    assert notice.is_visible()
    assert "21" in notice.text_content() and "kg viz" in notice.text_content()


def test_browser_notebook_iframe_runs_the_explorer(session: Session, sample: tuple, tmp_path: Path) -> None:
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><meta charset='utf-8'><body>" + iframe_html(sample[0]) + "</body>", encoding="utf-8")
    session.page.goto(host.resolve().as_uri())
    frame = session.page.frames[1]
    frame.wait_for_function("() => window.kgExplorer && window.kgExplorer.ready", timeout=30_000)
    assert frame.evaluate("kgExplorer.nodes.length") == sample[0].number_of_nodes()
    assert session.requests == [host.resolve().as_uri()]


def test_browser_policy_blocks_handlers_even_if_markup_got_in(session: Session, sample: tuple) -> None:
    session.open(sample[1])
    session.eval("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)><svg onload=alert(2)>')")
    session.page.wait_for_timeout(200)
    assert session.dialogs == []
    assert session.requests == [sample[1].resolve().as_uri()]


def test_browser_panel_shows_the_evidence_total_and_says_when_it_shows_fewer(session: Session, tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    evidence = [{"doc_id": f"d{i:03d}", "start": 0, "end": 2, "quote": "苏州", "sentence": f"苏州第{i}句。",
                 "headline": "标题", "date": "2022-01-02", "path": f"d{i}.txt"} for i in range(130)]
    g.add_node("place/320500", type="place", label="苏州市", aliases=[], evidence=evidence)
    page_path = tmp_path / "many.html"
    write_html(g, page_path)
    page = session.open(page_path)
    session.click_node("place/320500")
    panel = page.locator("#kg-panel")
    panel.wait_for(state="visible")
    assert "证据（130）" in panel.text_content()
    assert "显示前 100 条" in panel.locator(".kg-note").text_content()
    assert panel.locator("mark").count() == 100
    assert session.errors == []
