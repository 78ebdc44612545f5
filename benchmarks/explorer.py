"""The HTML explorer at corpus scale: Python write time and time to interactive in headless Chromium.

Builds a synthetic graph with the attribute contract of ``kg.graph`` (persons with
tenures, agencies, places, documents, events, quotations and articles, every node
with evidence), writes the explorer (median of ``--repeat`` runs), then opens the
page in headless Chromium and waits for ``window.kgExplorer.ready``, which the page
sets after its first drawing. The same for the bundled sample build.

    python benchmarks/explorer.py                       # 5,000 nodes / 15,000 edges and the sample
    python benchmarks/explorer.py --nodes 8000 --edges 24000 --keep /tmp/big.html
    python benchmarks/explorer.py --no-browser --json
    python benchmarks/explorer.py --screenshot docs/explorer.png --select 李亚平   # the README picture

Needs Playwright (``pip install playwright``) and a Chromium binary (``--chromium``,
default ``/usr/bin/chromium``) for the browser figures; no browser is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.export.html import write_html

SAMPLE = ROOT / "examples"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# node types with their share of the graph
SHARES = {"person": 0.3, "agency": 0.2, "place": 0.05, "document": 0.15, "event": 0.15,
          "quotation": 0.05, "article": 0.1}
RELATIONS = {("person", "agency"): ("member_of", "任职"), ("agency", "document"): ("issued", "发布"),
             ("agency", "agency"): ("sub_organization_of", "隶属"), ("place", "place"): ("contained_in", "位于"),
             ("person", "event"): ("actor", "参与"), ("event", "document"): ("about", "涉及"),
             ("event", "place"): ("place", "地点"), ("person", "quotation"): ("said", "发言"),
             ("article", "person"): ("mentions", "提及"), ("article", "event"): ("mentions", "提及")}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国伟明华亚平新立志强军红梅丽萍晓东海涛"
CITIES = ["苏州", "无锡", "常州", "南京", "杭州", "宁波", "合肥", "济南", "郑州", "成都"]
BODIES = ["市司法局", "市人民政府", "市委", "市公安局", "市中级人民法院", "市人民检察院", "市市场监管局"]
ROLES = ["局长", "市长", "副市长", "书记", "副局长", "院长", "检察长"]


def _time(rng: random.Random) -> str:
    year = rng.randint(2015, 2023)
    return rng.choice([f"{year}", f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-15"])


def _label(node_type: str, number: int, rng: random.Random) -> str:
    city = CITIES[number % len(CITIES)]
    if node_type == "person":
        return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
    if node_type == "agency":
        return f"{city}{BODIES[number % len(BODIES)]}{number}"
    if node_type == "place":
        return f"{city}第{number}区"
    if node_type == "document":
        return f"关于推进法治政府建设的实施意见（第{number}号）"
    if node_type == "event":
        return f"{city}召开法治政府建设推进会{number}"
    if node_type == "quotation":
        return "“要持续深化放管服改革，优化法治化营商环境。”"
    return f"{city}努力创造法治政府建设更多示范成果{number}"


def synthetic_graph(nodes: int = 5000, edges: int = 15000, seed: int = 7) -> nx.MultiDiGraph:
    """A graph with ``nodes`` nodes and ``edges`` edges shaped like a build of many articles."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    by_type: dict[str, list[str]] = {t: [] for t in SHARES}
    types = list(SHARES)
    for number in range(nodes):
        node_type = rng.choices(types, weights=list(SHARES.values()))[0]
        key = f"{node_type}/{number:06x}"
        label = _label(node_type, number, rng)
        doc = f"doc{rng.randrange(max(1, nodes // 10)):05d}"
        sentence = f"会上，{label}指出，要持续深化“放管服”改革，推进严格规范公正文明执法。"
        evidence = [{"doc_id": doc, "start": 3, "end": 3 + len(label), "quote": label, "sentence": sentence,
                     "headline": f"{label[:6]}推进法治建设", "date": "2021-09-03", "path": f"news/{doc}.txt"}]
        attrs: dict[str, object] = {"type": node_type, "label": label, "aliases": [], "evidence": evidence}
        if node_type == "event":
            attrs.update(time=_time(rng), event_type="meeting")
        if node_type == "article":
            attrs.update(headline=label, date=_time(rng), path=f"news/{doc}.txt", evidence=[])
        g.add_node(key, **attrs)
        by_type[node_type].append(key)
    pairs = [pair for pair in RELATIONS if by_type[pair[0]] and by_type[pair[1]]]
    for number in range(edges):
        source_type, target_type = rng.choice(pairs)
        # a skewed choice gives hubs, as real corpora have
        source = by_type[source_type][int(len(by_type[source_type]) * rng.random() ** 2)]
        target = by_type[target_type][int(len(by_type[target_type]) * rng.random() ** 2)]
        relation, label = RELATIONS[(source_type, target_type)]
        attrs = {"relation": relation, "label": label, "doc_id": f"doc{number % 500:05d}", "time": ""}
        if relation in ("member_of", "issued"):
            attrs["time"] = _time(rng)
        if relation == "member_of":
            attrs.update(role=rng.choice(ROLES), label=attrs["label"])
        g.add_edge(source, target, key=f"k{number}", **attrs)
    return g


def time_write(graph: nx.MultiDiGraph, path: Path, repeat: int) -> float:
    """Median seconds to write the explorer for ``graph`` to ``path``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        write_html(graph, path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_interactive(paths: list[Path], chromium: str, repeat: int) -> list[dict[str, float]]:
    """For each page: median seconds from navigation to ``kgExplorer.ready`` (wall clock, and CPU
    time of the page's main thread, which a busy machine does not inflate), and the node count."""
    from playwright.sync_api import sync_playwright

    figures = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for path in paths:
            times, cpu, count = [], [], 0
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                start = time.perf_counter()
                page.goto(path.resolve().as_uri())
                page.wait_for_function("() => window.kgExplorer && window.kgExplorer.ready", timeout=120_000)
                times.append(time.perf_counter() - start)
                metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                cpu.append(metrics.get("ThreadTime", float("nan")))
                count = page.evaluate("window.kgExplorer.nodes.length")
                page.close()
            figures.append({"seconds": statistics.median(times), "main_thread_cpu_seconds": statistics.median(cpu),
                            "nodes_drawn": count})
        browser.close()
    return figures


def screenshot(page_path: Path, target: Path, select: str, chromium: str) -> None:
    """A 1280×800 picture of the explorer with the side panel open on the first search hit for ``select``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("() => window.kgExplorer && window.kgExplorer.ready", timeout=120_000)
        page.fill("#kg-search", select)
        page.press("#kg-search", "Enter")
        page.wait_for_timeout(600)  # the focus animation
        page.evaluate("() => kgExplorer.network.fit({animation: false})")
        page.screenshot(path=str(target))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=15000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--no-browser", action="store_true", help="Python write times only")
    parser.add_argument("--keep", type=Path, help="keep the synthetic page at this path")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--screenshot", type=Path, help="only save a picture of the sample's explorer here")
    parser.add_argument("--select", default="李亚平", help="with --screenshot: the entity whose panel is open")
    args = parser.parse_args(argv)
    if args.screenshot:
        import kg

        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "sample.html"
            os.chdir(ROOT)  # paths in the picture read examples/…, not this machine's folders
            write_html(kg.build([str(SAMPLE.relative_to(ROOT))], outdir=None).graph, page)
            screenshot(page, args.screenshot, args.select, args.chromium)
        return 0

    import kg

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = args.keep or folder / "synthetic.html"
        graph = synthetic_graph(args.nodes, args.edges)
        sample = kg.build([str(SAMPLE)], outdir=None).graph
        figures: dict[str, dict[str, float]] = {
            "synthetic": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                          "write_seconds": time_write(graph, big, args.repeat), "bytes": big.stat().st_size},
            "sample": {"nodes": sample.number_of_nodes(), "edges": sample.number_of_edges(),
                       "write_seconds": time_write(sample, folder / "sample.html", args.repeat),
                       "bytes": (folder / "sample.html").stat().st_size},
        }
        if not args.no_browser:
            shown = time_interactive([big, folder / "sample.html"], args.chromium, args.repeat)
            for name, result in zip(("synthetic", "sample"), shown, strict=True):
                figures[name].update(interactive_seconds=result["seconds"], nodes_drawn=result["nodes_drawn"],
                                     main_thread_cpu_seconds=result["main_thread_cpu_seconds"])
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, row in figures.items():
            print(f"{name:9} " + "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                            for k, v in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
