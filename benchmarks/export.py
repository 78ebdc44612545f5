"""Export benchmark: every RDF format of a ≥ 1M-triple graph, kg (streamed) beside rdflib.

    python benchmarks/export.py [--articles 7000] [--repeat 3] [--rdflib-repeat 1] [--workdir DIR]

1. Generates a synthetic corpus (records built directly: articles with Chinese text,
   people, agencies, places, documents, tenures, events, quotations, all with
   evidence), writes it with ``kg.export.rdf.write_trig`` and reports the triples.
2. For each format, in a fresh subprocess per measurement: ``kg`` re-serialises
   ``graph.trig`` with :func:`kg.export.convert.write_quads` (pyoxigraph streaming
   parser → writer); ``rdflib`` parses it into a ``Dataset`` and serialises that.
   Each child reports its wall time and its peak resident memory (``VmHWM``).
3. Prints a table of medians (seconds, MB) and writes it as JSON beside the graph.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.records import (
    Article,
    Author,
    Corpus,
    DocumentFact,
    Entity,
    EntityType,
    Event,
    EventType,
    Evidence,
    Quantity,
    Quotation,
    Span,
    Tenure,
    TenureStatus,
    TimeValue,
)

FORMATS = ("trig", "nq", "ttl", "nt", "jsonld")
RDFLIB_FORMATS = {"trig": "trig", "nq": "nquads", "ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国明华志强晓东立新光永刚海涛振宇文军平红峰"
CITIES = ("苏州市", "杭州市", "宁波市", "南京市", "成都市", "武汉市", "广州市", "济南市", "合肥市", "西安市")


def _span(doc_id: str, text: str, part: str) -> Span:
    start = text.index(part)
    return Span(doc_id=doc_id, start=start, end=start + len(part), text=part)


def _evidence(doc_id: str, text: str, part: str, extractor: str) -> tuple[Evidence, ...]:
    return (Evidence(span=_span(doc_id, text, part), extractor=extractor),)


def synthetic_article(n: int) -> Corpus:
    """One article's records, varied by ``n`` (names, cities, numbers, dates)."""
    doc_id = f"a{n:07d}"
    city = CITIES[n % len(CITIES)]
    person = SURNAMES[n % 20] + GIVEN[(n // 20) % 20] + GIVEN[(n // 400) % 20]
    reporter = SURNAMES[(n + 7) % 20] + GIVEN[(n // 3) % 20]
    agency, court = f"{city}司法局", f"{city}中级人民法院"
    document = f"{city}第{n}号轻微违法行为免罚清单"
    quote = f"要让企业和群众在第{n}项执法活动中感受到公平正义。"
    day = dt.date(2019, 1, 1) + dt.timedelta(days=n % 1400)
    text = (f"本报记者 {reporter} {day.year}年{day.month}月,{agency}、{court}联合印发《{document}》,"
            f"确定不予处罚事项{n % 300 + 20}项。“{quote}”时任{city}市长{person}说。"
            f"{city}全市行政机关负责人出庭率达到{n % 20 + 80}%以上。")
    ev = lambda part, extractor: _evidence(doc_id, text, part, extractor)
    keys = {name: f"{kind}/{n:08x}{i:08x}" for i, (kind, name) in enumerate(
        (("person", person), ("agency", agency), ("agency", court), ("place", city), ("document", document)))}
    entities = (
        Entity(key=keys[person], type=EntityType.PERSON, name=person, evidence=ev(person, "officials.v1")),
        Entity(key=keys[agency], type=EntityType.AGENCY, name=agency, evidence=ev(agency, "agencies.v1"),
               code="320500", kind="department"),
        Entity(key=keys[court], type=EntityType.AGENCY, name=court, evidence=ev(court, "agencies.v1"), kind="court"),
        Entity(key=keys[city], type=EntityType.PLACE, name=city, evidence=ev(city, "places.v1"), code="320500",
               kind="prefecture"),
        Entity(key=keys[document], type=EntityType.DOCUMENT, name=document, evidence=ev(f"《{document}》", "documents.v1")),
    )
    when = TimeValue(text=f"{day.year}年{day.month}月", start=day.replace(day=1), precision="month")  # type: ignore[arg-type]
    return Corpus(
        articles=(Article(doc_id=doc_id, text=text, headline=f"{city}持续推进法治政府建设第{n}篇", date=day,
                          authors=(Author(name=reporter, role="记者", start=5, end=5 + len(reporter)),),
                          publisher="法治日报", section="法治政府"),),
        entities=entities,
        tenures=((doc_id, Tenure(person=keys[person], role="市长", organization=keys[agency],
                                 status=TenureStatus.AT_DATE, time=TimeValue(text=day.isoformat(), start=day),
                                 evidence=ev(f"时任{city}市长{person}", "officials.v1"))),),
        documents=((doc_id, DocumentFact(document=keys[document], issuers=(keys[agency], keys[court]), date=when,
                                         items=n % 300 + 20, evidence=ev(f"联合印发《{document}》", "documents.v1"))),),
        events=((doc_id, Event(key=f"event/{n}", type=EventType.ISSUE, trigger="联合印发",
                               actors=(keys[agency], keys[court]), documents=(keys[document],), places=(keys[city],),
                               time=when, quantities=(Quantity(value=float(n % 20 + 80), unit="%",
                                                               text=f"{n % 20 + 80}%以上", qualifier="at_least",
                                                               label="出庭率"),),
                               evidence=ev("联合印发", "events.v1"))),),
        quotations=((doc_id, Quotation(speaker=keys[person], text=quote, evidence=ev(quote, "quotes.v1"))),),
    )


def synthetic_corpus(articles: int) -> Corpus:
    """``articles`` synthetic articles in one corpus."""
    parts = [synthetic_article(n) for n in range(articles)]
    fields = ("articles", "entities", "tenures", "documents", "events", "quotations")
    return Corpus(**{name: tuple(item for part in parts for item in getattr(part, name)) for name in fields})


# -- the measured tasks: each runs alone in a child process -------------------------------------

def task_kg(source: str, target: str, fmt: str) -> None:
    from kg.export.convert import read_trig, write_quads

    write_quads(lambda: read_trig(source), target, fmt)


def task_rdflib(source: str, target: str, fmt: str) -> None:
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(source, format="trig")
    if fmt in ("ttl", "nt"):  # the union of the graphs, as kg writes it
        union = rdflib.Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        union.serialize(target, format=RDFLIB_FORMATS[fmt], encoding="utf-8")
    else:
        dataset.serialize(target, format=RDFLIB_FORMATS[fmt], encoding="utf-8")


def task_generate(source: str, target: str, fmt: str) -> None:
    """Records → graph.trig (``source`` holds the article count)."""
    from kg.export.rdf import write_trig

    write_trig(synthetic_corpus(int(source)), target)


TASKS = {"kg": task_kg, "rdflib": task_rdflib, "generate": task_generate}


def child(task: str, source: str, target: str, fmt: str) -> None:
    started = time.perf_counter()
    TASKS[task](source, target, fmt)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    ``VmHWM`` where Linux has it: unlike ``ru_maxrss``, which keeps the high-water mark
    of the parent the child was forked from across ``exec``, it starts afresh in the child.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(task: str, source: Path | str, target: Path, fmt: str, timeout: float | None = None) -> dict[str, float]:
    """Seconds and peak MB of one task in a fresh process; ``{}`` when it runs out of ``timeout``."""
    command = [sys.executable, __file__, "--child", task, str(source), str(target), fmt]
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _baseline() -> float:
    code = "import sys, pyoxigraph, kg.export.convert; sys.path.insert(0, 'benchmarks'); import export; print(export.peak_mb())"
    command = [sys.executable, "-c", code]
    return float(subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=7000, help="synthetic articles (about 150 triples each)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per kg measurement (median reported)")
    parser.add_argument("--rdflib-repeat", type=int, default=1, help="runs per rdflib measurement")
    parser.add_argument("--rdflib-timeout", type=float, default=600, help="seconds before an rdflib run is stopped")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", nargs=4, metavar=("TASK", "SOURCE", "TARGET", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    trig = workdir / "graph.trig"
    generated = measure("generate", str(args.articles), trig, "trig")
    from kg.export.convert import read_trig, union_triples

    quads = sum(1 for _ in read_trig(trig))
    triples = sum(1 for _ in union_triples(lambda: read_trig(trig)))
    print(f"graph: {args.articles} articles, {quads:,} quads, {triples:,} distinct triples, "
          f"{trig.stat().st_size / 2**20:.0f} MB TriG; written from records in {generated['seconds']:.1f} s "
          f"at {generated['peak_mb']:.0f} MB peak")
    print(f"interpreter + imports alone: {_baseline():.0f} MB peak")
    rows = []
    for fmt in args.formats.split(","):
        for tool, repeat in (("kg", args.repeat), ("rdflib", args.rdflib_repeat)):
            if repeat < 1:
                continue
            timeout = args.rdflib_timeout if tool == "rdflib" else None
            runs = [measure(tool, trig, workdir / f"out-{tool}.{fmt}", fmt, timeout) for _ in range(repeat)]
            if not all(runs):
                rows.append({"format": fmt, "tool": tool, "runs": repeat, "timeout_seconds": timeout})
                print(f"{fmt:7} {tool:7} > {timeout:.0f} s (stopped)", flush=True)
                continue
            row = {"format": fmt, "tool": tool, "runs": repeat,
                   "seconds": statistics.median(r["seconds"] for r in runs),
                   "peak_mb": statistics.median(r["peak_mb"] for r in runs),
                   "mb_written": (workdir / f"out-{tool}.{fmt}").stat().st_size / 2**20}
            rows.append(row)
            print(f"{fmt:7} {tool:7} {row['seconds']:8.2f} s {row['peak_mb']:8.0f} MB peak "
                  f"{row['mb_written']:6.0f} MB written  (median of {repeat})", flush=True)
    report = {"articles": args.articles, "quads": quads, "triples": triples, "generate": generated, "rows": rows}
    (workdir / "benchmark.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(workdir / "benchmark.json")


if __name__ == "__main__":
    main()
