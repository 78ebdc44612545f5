"""Corpus-build benchmark: throughput, stage times, memory, scaling, resolution quality.

Builds synthetic corpora (kg.synthetic: about 1,400 characters an article, recurring
officials and agencies, homonyms in different provinces) and reports, for each size
and number of processes, articles and characters a second, the time of each stage
and the peak memory of the build process (each build runs in a fresh subprocess).
Resolution quality is pairwise precision and recall of person merges against the
known identities, with homonym pairs reported apart.

    python benchmarks/corpus.py                       # 1,000 and 10,000 articles, 1 and 2 processes
    python benchmarks/corpus.py --sizes 200 --jobs 1  # a quick look
    python benchmarks/corpus.py --no-tagger           # the rules-only extractor
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_one(size: int, jobs: int, tagger: bool, seed: int) -> dict[str, object]:
    """One build in this process (called in a subprocess by :func:`main`)."""
    sys.path.insert(0, str(REPO))
    import kg
    from kg.synthetic import generate_corpus, write_corpus

    articles = generate_corpus(size, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(articles, Path(tmp) / "in", layout="jsonl")
        start = time.perf_counter()
        result = kg.build([str(Path(tmp) / "in")], Path(tmp) / "out", jobs=jobs, tagger=tagger, cache=False)
        wall = time.perf_counter() - start
    chars = sum(len(a.text) for a in articles)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    quality = resolution_quality(articles, result.corpus)
    return {
        "articles": size, "jobs": jobs, "tagger": tagger, "seconds": round(wall, 2),
        "articles_per_s": round(size / wall, 1), "chars_per_s": round(chars / wall),
        "peak_mb_main": round(peak_mb), "peak_mb_worker": round(children_mb),
        "stages": result.report["timings_seconds"], "entities": result.report["entities"],
        "resolution": quality,
    }


def resolution_quality(articles, corpus) -> dict[str, float]:
    """Pairwise precision/recall of person merges against the synthetic identities."""
    by_doc_name: dict[tuple[str, str], str] = {}
    docs = {a.text: a for a in articles}
    doc_of = {art.doc_id: docs.get(art.text) for art in corpus.articles}
    for e in corpus.entities:
        if e.type != "person":
            continue
        for ev in e.evidence:
            by_doc_name[(ev.span.doc_id, e.name)] = e.key
    mentions = []  # (predicted key, true identity)
    for doc_id, art in doc_of.items():
        if art is None:
            continue
        for name, ident in dict(art.persons).items():
            key = by_doc_name.get((doc_id, name))
            if key is not None:
                mentions.append((key, ident, name))
    tp = fp = fn = 0
    homonym_pairs = homonym_split = 0
    for (k1, i1, n1), (k2, i2, n2) in itertools.combinations(mentions, 2):
        same_pred, same_true = k1 == k2, i1 == i2
        tp += same_pred and same_true
        fp += same_pred and not same_true
        fn += same_true and not same_pred
        if n1 == n2 and not same_true:
            homonym_pairs += 1
            homonym_split += not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"pairs": len(mentions) * (len(mentions) - 1) // 2, "precision": round(precision, 4),
            "recall": round(recall, 4), "homonym_pairs": homonym_pairs,
            "homonyms_kept_apart": round(homonym_split / homonym_pairs, 4) if homonym_pairs else 1.0,
            "persons_found": len(mentions), "persons_in_text": sum(len(dict(a.persons)) for a in articles)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-tagger", action="store_true")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--one", nargs=3, type=int, help=argparse.SUPPRESS)  # size jobs tagger: run in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1], bool(args.one[2]), args.seed), ensure_ascii=False))
        return
    rows = []
    for size in args.sizes:
        for jobs in args.jobs:
            out = subprocess.run([sys.executable, __file__, "--one", str(size), str(jobs), str(int(not args.no_tagger)),
                                  "--seed", str(args.seed)], capture_output=True, text=True, check=True)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    print("\n| articles | jobs | seconds | articles/s | chars/s | peak MB (main / worker) | person P / R | homonyms apart |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        q = r["resolution"]
        print(f"| {r['articles']} | {r['jobs']} | {r['seconds']} | {r['articles_per_s']} | {r['chars_per_s']} | "
              f"{r['peak_mb_main']} / {r['peak_mb_worker']} | {q['precision']} / {q['recall']} | {q['homonyms_kept_apart']} |")


if __name__ == "__main__":
    main()
