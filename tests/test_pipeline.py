"""Corpus builds: determinism across order and processes, incremental rebuilds, duplicates, outputs, exit codes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import ExportError, KgError
from kg.synthetic import generate_corpus, write_corpus

FILES = ("graph.trig", "graph.ttl", "graph.html", "graph.graphml", "graph.gexf", "graph.json", "nodes.csv",
         "relationships.csv", "resolution.jsonl")


def _corpus(folder: Path, n: int = 12, seed: int = 7) -> list[Path]:
    return write_corpus(generate_corpus(n, seed=seed, target_chars=300), folder, layout="txt")


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {name: (outdir / name).read_bytes() for name in FILES}


def test_pipeline_output_independent_of_order_and_jobs(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "in")
    kg.build([str(p) for p in paths], tmp_path / "a", tagger=False, cache=False)
    shuffled = [str(p) for p in paths]
    random.Random(3).shuffle(shuffled)
    kg.build(shuffled, tmp_path / "b", tagger=False, cache=False, jobs=2)
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")


def test_pipeline_incremental_build_equals_full_rebuild(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "in", n=10)
    first = kg.build([str(tmp_path / "in")], tmp_path / "inc", tagger=False)
    assert first.report["cache"] == {"hits": 0, "misses": 10}
    write_corpus(generate_corpus(3, seed=99, target_chars=300), tmp_path / "in", layout="txt")
    second = kg.build([str(tmp_path / "in")], tmp_path / "inc", tagger=False)
    assert second.report["cache"] == {"hits": 10, "misses": len(list((tmp_path / "in").iterdir())) - 10}
    kg.build([str(tmp_path / "in")], tmp_path / "full", tagger=False, cache=False)
    assert _outputs(tmp_path / "inc") == _outputs(tmp_path / "full")
    assert len(paths) == 10


def test_pipeline_exact_and_near_duplicates_counted_once(tmp_path: Path) -> None:
    art = generate_corpus(1, seed=5)[0]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(art.headline + "\n\n" + art.text, encoding="utf-8")
    (folder / "b.txt").write_text(art.headline + "\n\n" + art.text, encoding="utf-8")  # same page twice
    (folder / "c.txt").write_text(art.headline + "\n\n" + art.text + "(本文转载自法治日报)", encoding="utf-8")
    result = kg.build([str(folder)], tmp_path / "out", tagger=False)
    assert len(result.corpus.articles) == 1
    assert result.report["articles"]["duplicates"] == 1
    assert result.report["articles"]["near_duplicates"] == 1
    codes = {(Path(p["path"]).name, p["code"]) for p in result.report["problems"]["items"]}
    assert {("b.txt", "resolve.duplicate-article")} <= codes or {("a.txt", "resolve.duplicate-article")} <= codes
    assert any(code == "dedupe.near-duplicate" for _, code in codes)


def test_pipeline_writes_audit_of_every_merge(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", n=8)
    result = kg.build([str(tmp_path / "in")], tmp_path / "out", tagger=False)
    rows = [json.loads(line) for line in (tmp_path / "out" / "resolution.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(result.corpus.merges) > 0
    assert all({"into", "label", "member", "rule", "reason"} <= row.keys() for row in rows)


def test_pipeline_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", n=1)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(KgError, match="cannot create"):
        kg.build([str(tmp_path / "in")], blocker / "out", tagger=False)


def test_pipeline_nothing_readable_raises(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n")
    with pytest.raises(KgError, match="no article could be read"):
        kg.build([str(tmp_path / "empty.txt")], tmp_path / "out")


def test_cli_build_exit_codes(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", n=2)
    (tmp_path / "in" / "broken.txt").write_bytes(b"%PDF-1.4\x00\x01\x02binary")
    runner = CliRunner()
    ok = runner.invoke(cli, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-tagger", "-q"])
    assert ok.exit_code == 0, ok.output
    assert "broken.txt: read.binary" in ok.stderr
    strict = runner.invoke(cli, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-tagger", "-q", "--strict"])
    assert strict.exit_code == 1
    nothing = runner.invoke(cli, ["build", str(tmp_path / "in" / "broken.txt"), "-o", str(tmp_path / "o2"), "-q"])
    assert nothing.exit_code == 1 and "no article could be read" in nothing.stderr
    usage = runner.invoke(cli, ["build", "--jobs", "0", str(tmp_path / "in")])
    assert usage.exit_code == 2


def test_pipeline_killed_build_keeps_previous_outputs_and_resumes(tmp_path: Path) -> None:
    """SIGKILL a build mid-way: the previous outputs stay whole, and the next run gives the same files."""
    _corpus(tmp_path / "in", n=6, seed=1)
    out = tmp_path / "out"
    kg.build([str(tmp_path / "in")], out, tagger=False)
    before = _outputs(out)
    write_corpus(generate_corpus(60, seed=2, target_chars=600), tmp_path / "in", layout="txt")
    env = {**os.environ, "PYTHONPATH": str(Path(kg.__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(tmp_path / "in"), "-o", str(out), "-q"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = out / ".kg-cache"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(1 for _ in cache.rglob("*.pickle")) >= 12:  # some new extractions stored
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _outputs(out) == before  # nothing half-written under the final names
    resumed = kg.build([str(tmp_path / "in")], out)
    assert resumed.report["cache"]["hits"] >= 6
    fresh = tmp_path / "fresh"
    kg.build([str(tmp_path / "in")], fresh, cache=False)
    assert _outputs(out) == _outputs(fresh)
    assert not list(out.glob(".*.tmp"))


def test_pipeline_dask_engine_matches_local(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    _corpus(tmp_path / "in", n=8)
    kg.build([str(tmp_path / "in")], tmp_path / "local", tagger=False, cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        kg.build([str(tmp_path / "in")], tmp_path / "dask", tagger=False, cache=False, engine="dask",
                 scheduler=cluster.scheduler_address)
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "dask")
    shutil.rmtree(tmp_path / "dask")


def test_pipeline_outputs_have_the_usual_permissions(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", n=1)
    umask = os.umask(0o022)
    try:
        kg.build([str(tmp_path / "in")], tmp_path / "out", tagger=False)
    finally:
        os.umask(umask)
    for name in (*FILES, "report.json"):
        assert (tmp_path / "out" / name).stat().st_mode & 0o777 == 0o644, name


@pytest.mark.parametrize("jobs", [1, 2])
def test_pipeline_rdf_write_error_is_reported_whichever_process_writes(tmp_path: Path, jobs: int) -> None:
    _corpus(tmp_path / "in", n=4)
    (tmp_path / "out" / "graph.trig").mkdir(parents=True)  # a folder where the TriG file should go
    with pytest.raises(ExportError, match="graph.trig"):
        kg.build([str(tmp_path / "in")], tmp_path / "out", tagger=False, cache=False, jobs=jobs)


def test_pipeline_parallel_export_reports_every_stage(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", n=4)
    result = kg.build([str(tmp_path / "in")], tmp_path / "out", tagger=False, cache=False, jobs=2)
    stages = result.report["timings_seconds"]
    assert {"export.trig", "export.turtle", "export.graphml", "graph"} <= set(stages)
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 0


def test_pipeline_report_counts_refusals_apart_from_merges(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2019-06-18-a.txt").write_text("苏州召开会议\n\n苏州市召开会议。苏州市市长张明远讲话。", encoding="utf-8")
    (folder / "2021-01-10-b.txt").write_text("无锡通报\n\n无锡市司法局召开会议。无锡市司法局局长张明远通报情况。", encoding="utf-8")
    result = kg.build([str(folder)], tmp_path / "out", cache=False)
    audit = [json.loads(line) for line in (tmp_path / "out" / "resolution.jsonl").read_text(encoding="utf-8").splitlines()]
    decisions = [row.get("decision") for row in audit]
    facts = result.report["facts"]
    assert facts["merges"] == decisions.count("merged") and facts["kept_apart"] == decisions.count("kept-apart")
    assert facts["kept_apart"] >= 1  # the mayor is not the bureau head two years later
