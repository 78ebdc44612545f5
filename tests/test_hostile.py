"""Nothing lost, nothing injected: the hostile corpus (tests/data/hostile) through the whole build.

For every broken or malicious input the build goes on, and the input is either processed
or listed in report.json with a problem code and its path (and line, for JSON Lines);
every output stays valid: TriG and Turtle parse in pyoxigraph and rdflib and conform to
the SHACL shapes, GraphML parses in networkx and lxml, and the HTML page holds none of
the injected markup raw. The CLI tests check the one-line messages and exit statuses.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import lxml.etree
import lxml.html
import networkx as nx
import pyoxigraph
import pytest
import rdflib

import kg
from kg.validate import validate_rdf

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "data" / "hostile"
sys.path.insert(0, str(HOSTILE))
import make_hostile as mh  # noqa: E402

CORPUS = HOSTILE / "corpus"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory):
    """The committed hostile corpus built once, tagger on: (BuildResult, outdir, report)."""
    outdir = tmp_path_factory.mktemp("hostile") / "out"
    result = kg.build([str(CORPUS)], outdir)
    report = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    return result, outdir, report


def _problems(report: dict, path: Path) -> list[dict]:
    return [p for p in report["problems"]["items"] if p["path"] == str(path)]


def _processed(result, path: Path, line: int | None = None) -> bool:
    """An article came from ``path`` (or was recognised as a duplicate of one that did)."""
    paths = {(a.source_path, a.source_line) for a in result.corpus.articles}
    dup = any(p.code in ("resolve.duplicate-article", "dedupe.near-duplicate") and p.path == str(path)
              for p in result.corpus.problems)
    return (str(path), line) in paths or (dup and line is None)


def test_hostile_corpus_is_regenerated_by_its_script(tmp_path: Path) -> None:
    written = mh.write_corpus(tmp_path)
    for path in written:
        name = path.relative_to(tmp_path).as_posix()
        assert (CORPUS / name).read_bytes() == path.read_bytes(), f"{name}: rerun make_hostile.py"
    committed = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())
    assert committed == sorted(mh.FILES)
    assert sum((CORPUS / name).stat().st_size for name in committed) < 200_000
    assert set(mh.EXPECTED) | {n for n in mh.FILES if n.startswith("jsonl/crawl")} == set(mh.FILES)


@pytest.mark.parametrize(("name", "code"), sorted(mh.EXPECTED.items()))
def test_hostile_input_is_processed_or_listed(hostile_build, name: str, code: str | None) -> None:
    result, _, report = hostile_build
    path = CORPUS / name
    problems = _problems(report, path)
    if code is None:
        assert _processed(result, path), f"{name} was neither built nor listed: {problems}"
        assert not [p for p in problems if p["severity"] == "error"]
    else:
        assert code in [p["code"] for p in problems], f"{name}: expected {code}, got {problems}"
        assert all(p["message"] for p in problems)


@pytest.mark.parametrize(("line", "code"), sorted(mh.JSONL_EXPECTED.items()))
def test_hostile_jsonl_line_is_processed_or_listed(hostile_build, line: int, code: str | None) -> None:
    result, _, report = hostile_build
    path = CORPUS / "jsonl" / "crawl.jsonl"
    listed = [p["code"] for p in _problems(report, path) if p.get("line") == line]
    if code is None:
        assert _processed(result, path, line) and not listed
    else:
        assert code in listed
    if code == "read.surrogate":
        assert _processed(result, path, line)


def _oxigraph_triples(path: Path, rdf_format: pyoxigraph.RdfFormat) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in pyoxigraph.parse(path=str(path), format=rdf_format)}


def _rdflib_triples(graph: rdflib.Graph) -> set[tuple[str, str, str]]:
    return {tuple(term.n3() for term in triple) for triple in graph}  # type: ignore[misc]


def test_hostile_rdf_parses_alike_in_pyoxigraph_and_rdflib(hostile_build) -> None:
    _, outdir, _ = hostile_build
    trig = _oxigraph_triples(outdir / "graph.trig", pyoxigraph.RdfFormat.TRIG)
    turtle = _oxigraph_triples(outdir / "graph.ttl", pyoxigraph.RdfFormat.TURTLE)
    dataset = rdflib.Dataset()
    dataset.parse(outdir / "graph.trig", format="trig")
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    graph = rdflib.Graph().parse(outdir / "graph.ttl", format="turtle")
    assert trig == turtle
    # the same terms, literal values included, as each parser writes them in N-Triples syntax
    ntriples = rdflib.Graph().parse(data="\n".join(f"{s} {p} {o} ." for s, p, o in turtle), format="nt")
    assert _rdflib_triples(graph) == _rdflib_triples(union) == _rdflib_triples(ntriples)


def test_hostile_rdf_conforms_to_shapes(hostile_build) -> None:
    _, outdir, _ = hostile_build
    violations = [v for v in validate_rdf([outdir / "graph.trig", outdir / "graph.ttl"]) if v.severity == "violation"]
    assert violations == []


def test_hostile_graphml_parses(hostile_build) -> None:
    result, outdir, _ = hostile_build
    path = outdir / "graph.graphml"
    lxml.etree.parse(str(path), lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.number_of_nodes() == result.graph.number_of_nodes()
    assert graph.number_of_edges() == result.graph.number_of_edges()


def test_hostile_html_holds_no_raw_markup(hostile_build) -> None:
    _, outdir, _ = hostile_build
    page = (outdir / "graph.html").read_text(encoding="utf-8")
    for needle in (*mh.INJECTIONS[:3], "<img src=x", "<svg onload", "<b>依法行政", "<李亚平>", "</script><script>"):
        assert needle not in page, needle
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//img | //svg | //b")
    assert not [name for el in tree.iter() if isinstance(el.tag, str) for name in el.attrib if name.startswith("on")]
    assert len(tree.xpath("//script")) == len(lxml.html.fromstring(_empty_page()).xpath("//script"))


def _empty_page() -> str:
    from kg.export.html import generate_html

    return generate_html(nx.MultiDiGraph())


def test_hostile_entities_are_never_expanded(hostile_build) -> None:
    result, outdir, _ = hostile_build
    for name in ("graph.trig", "graph.ttl", "graph.html", "graph.graphml", "report.json"):
        text = (outdir / name).read_text(encoding="utf-8")
        assert "root:x:0:0" not in text and "/bin/sh" not in text, name
        assert "啊" * 100 not in text, name
    assert max(len(a.text) for a in result.corpus.articles) < 10_000


def test_hostile_evidence_quotes_its_article(hostile_build) -> None:
    result, _, _ = hostile_build
    texts = {a.doc_id: a.text for a in result.corpus.articles}
    spans = [e.span for entity in result.corpus.entities for e in entity.evidence]
    spans += [e.span for facts in (result.corpus.tenures, result.corpus.documents, result.corpus.events,
                                    result.corpus.quotations) for _, fact in facts for e in fact.evidence]
    assert spans
    for span in spans:
        assert texts[span.doc_id][span.start : span.end] == span.text


# --- inputs generated at test time ---------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return mh.write_generated(tmp_path_factory.mktemp("generated"))


def test_hostile_symlink_loop_is_survived(generated: dict[str, Path], tmp_path: Path) -> None:
    result = kg.build([str(generated["loop"])], tmp_path / "out", tagger=False)
    assert len(result.corpus.articles) == 1
    problems = [(p.code, Path(p.path).name) for p in result.corpus.problems]
    assert ("read.io", "self-link") in problems


def test_hostile_dangling_link_is_listed_not_lost(generated: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(kg.errors.KgError, match="read.io"):
        kg.build([str(generated["dangling"])], tmp_path / "out", tagger=False)
    result = kg.build([str(generated["dangling"]), str(CORPUS / "text" / "unbalanced.txt")], tmp_path / "out",
                      tagger=False)
    assert [(p.code, Path(p.path).name) for p in result.corpus.problems] == [("read.io", "gone.txt")]


def test_hostile_unreadable_file_is_listed(generated: dict[str, Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Mode 000 stops everyone but root; as root (CI) opening the file is made to fail instead."""
    if os.geteuid() == 0:
        real_open = open

        def refuse(path, *args, **kwargs):
            if str(path) == str(generated["unreadable"]):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr("kg.read.open", refuse, raising=False)
    good = CORPUS / "text" / "unbalanced.txt"
    result = kg.build([str(generated["unreadable"]), str(good)], tmp_path / "out", tagger=False)
    listed = [(p.code, p.path) for p in result.corpus.problems]
    assert listed == [("read.io", str(generated["unreadable"]))]
    assert [a.source_path for a in result.corpus.articles] == [str(good)]


def test_hostile_huge_inputs_read_and_parse_in_bounded_memory(generated: dict[str, Path]) -> None:
    """Read and parse (not extraction) of the 20 MB article and the million-character line."""
    from kg.parse import parse_document
    from kg.read import iter_documents

    for role in ("big", "long"):
        (raw,) = iter_documents([generated[role]])
        article = parse_document(raw)
        assert len(article.text) > 900_000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 2 * 1024 * 1024  # KiB: under 2 GB


_BUILD_ONE = """
import resource, sys
import kg
result = kg.build([sys.argv[1]], sys.argv[2], tagger=False)
print(len(result.corpus.articles), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.parametrize(("role", "seconds"), [("long", 180), ("big", 180)])
def test_hostile_huge_article_builds_in_bounded_time_and_memory(generated: dict[str, Path], tmp_path: Path,
                                                                role: str, seconds: int) -> None:
    """The 20 MB article and the million-character line, built with ``tagger=False``.

    The tagger would take minutes on 20 MB, so it is off; the build runs in a child process
    so its time and peak memory are its own: it must finish in ``seconds`` under 2 GB (about 45 s and
    1 GB here; the text past 500,000 characters is listed as ``extract.truncated``, not extracted).
    """
    done = subprocess.run([sys.executable, "-c", _BUILD_ONE, str(generated[role]), str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True, timeout=seconds, check=True)
    articles, peak_kib = map(int, done.stdout.split())
    assert articles == 1 and peak_kib < 2 * 1024 * 1024


# --- the command line --------------------------------------------------------------

def _cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    outdir = tmp_path_factory.mktemp("cli") / "out"
    return _cli("build", str(CORPUS), "-o", str(outdir), "--no-tagger"), outdir


def test_hostile_cli_builds_with_problems_and_exit_0(cli_build) -> None:
    done, outdir = cli_build
    assert done.returncode == 0, done.stderr
    assert (outdir / "report.json").is_file()
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", sorted(n for n, c in mh.EXPECTED.items() if c is not None))
def test_hostile_cli_names_each_skipped_file_on_one_line(cli_build, name: str) -> None:
    done, _ = cli_build
    lines = [line for line in done.stderr.splitlines() if str(CORPUS / name) in line]
    assert len(lines) == 1 and mh.EXPECTED[name] in lines[0], done.stderr


def test_hostile_cli_strict_exits_1(tmp_path: Path) -> None:
    done = _cli("build", str(CORPUS / "empty"), str(CORPUS / "text"), "-o", str(tmp_path / "out"), "--no-tagger",
                "--strict")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_hostile_cli_nothing_buildable_exits_1(tmp_path: Path) -> None:
    done = _cli("build", str(CORPUS / "empty"), str(CORPUS / "binary"), "-o", str(tmp_path / "out"), "--no-tagger")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "read.binary" in done.stderr


@pytest.mark.parametrize("args", [("build",), ("build", "--no-such-option", "x"), ("build", "/no/such/path"),
                                  ("no-such-command",)])
def test_hostile_cli_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    done = _cli(*args)
    assert done.returncode == 2, done.stderr


@pytest.mark.parametrize("name", [
    "line\nbreak.txt",
    "escape\x1b[2J\x1b[31m.txt",
    "bidi\u202etxt.exe.txt",
])
def test_hostile_cli_message_for_a_hostile_file_name_is_one_plain_line(tmp_path: Path, name: str) -> None:
    """A file name may hold a newline or terminal escapes; the message must stay one harmless line."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(b"")
    (folder / "good.txt").write_bytes(mh.BODY.encode("utf-8"))
    done = _cli("build", str(folder), "-o", str(tmp_path / "out"), "--no-tagger")
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "read.empty" in line]
    assert len(lines) == 1
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr


@pytest.mark.parametrize(("name", "layout"), [("text/xml-start.txt", "html"), ("html/bomb.html", "html"),
                                              ("text/hostile-names.txt", "plain"), ("jsonl/crawl.jsonl", "jsonl")])
def test_hostile_page_behind_an_xml_declaration_is_read_as_html(hostile_build, name: str, layout: str) -> None:
    result, _, _ = hostile_build
    layouts = {a.layout for a in result.corpus.articles if a.source_path == str(CORPUS / name)}
    assert layouts == {layout}
