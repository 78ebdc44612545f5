"""Every RDF format holds the same quads; hostile names give valid IRIs; validate runs on builds."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic, to_isomorphic

from kg.cli import cli
from kg.export.convert import FILES, export, union_triples
from kg.export.jsonld import context, jsonld_text
from kg.export.rdf import write_rdf
from kg.pipeline import build
from kg.validate import validate_paths

QUAD_FORMATS = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}
TRIPLE_FORMATS = {"ttl": "turtle", "nt": "nt"}


def _dataset(path: Path, rdflib_format: str) -> set[tuple[str, ...]]:
    dataset = rdflib.Dataset()
    dataset.parse(path, format=rdflib_format)
    return {tuple(str(term) for term in (s, p, o, g)) for s, p, o, g in dataset.quads((None, None, None, None))}


def _union(path: Path, rdflib_format: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    if rdflib_format in ("trig", "nquads", "json-ld"):
        dataset = rdflib.Dataset()
        dataset.parse(path, format=rdflib_format)
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(path, format=rdflib_format)
    return graph


@pytest.fixture(scope="module", params=["sample", "generated"])
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    source: Path = request.getfixturevalue(f"{request.param}_trig")
    folder = tmp_path_factory.mktemp(f"formats-{request.param}")
    (folder / "graph.trig").write_bytes((source / "graph.trig").read_bytes())
    export(folder)
    return folder


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_formats_quad_formats_hold_the_same_quads(exported: Path, fmt: str) -> None:
    reference = _dataset(exported / "graph.trig", "trig")
    assert len(reference) > 500
    assert _dataset(exported / FILES[fmt], QUAD_FORMATS[fmt]) == reference


@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
def test_formats_triple_formats_hold_the_union(exported: Path, fmt: str) -> None:
    union = _union(exported / "graph.trig", "trig")
    assert isomorphic(_union(exported / FILES[fmt], TRIPLE_FORMATS[fmt]), union)
    lines = (exported / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(union)  # written once each


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_formats_pyoxigraph_reads_every_file_back(exported: Path, fmt: str) -> None:
    rdf_format = pyoxigraph.RdfFormat.from_extension(FILES[fmt].rsplit(".", 1)[1])
    quads = list(pyoxigraph.parse(path=str(exported / FILES[fmt]), format=rdf_format))
    trig = list(pyoxigraph.parse(path=str(exported / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))
    if fmt in TRIPLE_FORMATS:
        assert {q.triple for q in quads} == {q.triple for q in trig}
    else:
        assert set(quads) == set(trig)


def test_formats_jsonld_is_compact_and_readable(exported: Path) -> None:
    document = json.loads((exported / "graph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["label"] == {"@id": "rdfs:label", "@language": "zh"}
    graph = document["@graph"][0]
    assert graph["@id"].startswith("base:graph/")
    node = next(n for n in graph["@graph"] if "label" in n)
    assert isinstance(node["label"], str) and not node["@id"].startswith("http")


def test_formats_jsonld_parses_with_pyld(exported: Path) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    document = json.loads((exported / "graph.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    parsed = set(pyoxigraph.parse(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    assert parsed == set(pyoxigraph.parse(path=str(exported / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))


LIT = pyoxigraph.Literal
NN = pyoxigraph.NamedNode
G = NN("http://x.org/g")


@pytest.mark.parametrize("obj", [
    LIT("1", datatype=NN("http://www.w3.org/2001/XMLSchema#double")),  # not the decimal the term expects
    LIT("label", language="en"),  # not @zh
    LIT("a\nb\"c\\"),
    NN("http://x.org/o"),  # an IRI under a literal property
    LIT("x", datatype=NN("http://x.org/custom")),
])
@pytest.mark.parametrize("predicate", ["http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/value",
                                       "https://schema.org/author", "http://x.org/unknown"])
def test_formats_jsonld_round_trips_values_the_context_does_not_fit(predicate: str, obj: object) -> None:
    quad = pyoxigraph.Quad(NN("http://x.org/s"), NN(predicate), obj, G)  # type: ignore[arg-type]
    text = jsonld_text([quad])
    assert list(pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.JSON_LD)) == [quad]


def test_formats_jsonld_context_has_no_term_collisions() -> None:
    ids = [value["@id"] for value in context().values() if isinstance(value, dict)]
    assert len(ids) == len(set(ids)) > 50


def test_formats_union_keeps_first_occurrence_order() -> None:
    s, p = NN("http://x.org/s"), NN("http://x.org/p")
    quads = [pyoxigraph.Quad(s, p, LIT(v), NN(f"http://x.org/{g}")) for g, v in
             [("g1", "a"), ("g1", "b"), ("g2", "c"), ("g2", "a"), ("g3", "b")]]
    assert [t.object.value for t in union_triples(lambda: quads)] == ["a", "b", "c"]


def test_formats_export_without_trig_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(tmp_path)])
    assert result.exit_code == 1
    assert "run `kg build` first" in result.output


def test_formats_cli_export_writes_requested_formats(sample_trig: Path, tmp_path: Path) -> None:
    (tmp_path / "graph.trig").write_bytes((sample_trig / "graph.trig").read_bytes())
    result = CliRunner().invoke(cli, ["export", str(tmp_path), "-f", "nq", "-f", "jsonld"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.jsonld", "graph.nq", "graph.trig"]


# -- hostile names through a full build ---------------------------------------------------------

HOSTILE = [
    "王 建国", '李"明华', "张{志}强", "刘<晓>东", "陈\\立|新^`", "杨\u202e光明", "赵😀永刚", "黄\u200b海涛",
    "周" + chr(0xD800) + "建华",
]


def _iris(path: Path) -> set[str]:
    found = set()
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TRIG):
        found |= {t.value for t in (quad.subject, quad.predicate, quad.object, quad.graph_name)
                  if isinstance(t, pyoxigraph.NamedNode)}
    return found


@pytest.mark.parametrize("name", HOSTILE)
def test_formats_hostile_names_mint_iris_every_parser_accepts(tmp_path: Path, name: str) -> None:
    body = (f"{name}市人民政府印发《{name}清单》。“依法行政。”时任{name}市市长{name}说。"
            f"5月6日,{name}市司法局召开会议,专题学习《{name}条例》。")
    record = {"title": f"标题{name}", "content": body, "date": "2021-05-06", "url": f"https://x.org/{name}"}
    # JSON escapes (\\ud800) are how a lone surrogate really arrives: scraped JSON Lines.
    (tmp_path / "articles.jsonl").write_text(json.dumps(record) + "\n", encoding="ascii")
    result = build([str(tmp_path)], outdir=None)
    outdir = tmp_path / "out"
    write_rdf(result.corpus, outdir, formats=("trig", "jsonld"))
    iris = _iris(outdir / "graph.trig")
    assert len(iris) > 10
    for iri in iris:
        assert iri.isascii() and pyoxigraph.NamedNode(iri).value == iri
        assert str(rdflib.URIRef(iri)) == iri
        assert rdflib.URIRef(iri).n3() == f"<{iri}>"
    graph = to_isomorphic(_union(outdir / "graph.trig", "trig"))
    assert isomorphic(graph, _union(outdir / "graph.jsonld", "json-ld"))
    assert validate_paths([outdir / "graph.trig"]) == []


# -- kg validate on builds and on broken files --------------------------------------------------

@pytest.mark.parametrize("build_fixture", ["sample_trig", "generated_trig"])
def test_formats_validate_builds_conform(request: pytest.FixtureRequest, build_fixture: str) -> None:
    folder: Path = request.getfixturevalue(build_fixture)
    findings = validate_paths([folder / "graph.trig"])
    assert [f for f in findings if f.severity == "violation"] == []
    result = CliRunner().invoke(cli, ["validate", str(folder / "graph.trig")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("content", "expected"), [
    ('{"article": {"text": "正文"}}', "'doc_id' is a required property"),
    ('[{"article": {"doc_id": "d1", "text": "正文"}}, {"article": {"doc_id": 3, "text": ""}}]', "is not of type"),
    ("not json", "not JSON"),
    ("[1]", "must be a JSON object"),
])
def test_formats_validate_reports_bad_extraction_json(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "extraction.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert expected in result.output and str(path) in result.output


def test_formats_validate_prints_focus_node_of_rdf_violation(sample_trig: Path, tmp_path: Path) -> None:
    text = (sample_trig / "graph.trig").read_text(encoding="utf-8")
    broken = tmp_path / "broken.trig"
    broken.write_text(text.replace('"苏州市司法局"@zh', '"苏州市司法局"@en', 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "violation: https://kg.example.org/agency/" in result.output
    assert "rdfs:label" in result.output or "label" in result.output


def test_formats_validate_refuses_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "graph.rdf"
    path.write_text("", encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", str(path)]).exit_code == 2


# -- the ontology: fixed namespace, documented ---------------------------------------------------

def test_formats_ontology_doc_is_current() -> None:
    from kg.ontology_doc import DOC, ontology_markdown

    assert DOC.read_text(encoding="utf-8") == ontology_markdown(), "regenerate with: python -m kg.ontology_doc"


@pytest.mark.parametrize("base", ["http://data.example.gov/kg/", "https://x.org/kg#"])
def test_formats_ontology_namespace_ignores_base(tmp_path: Path, base: str) -> None:
    from kg.vocab import KG_NS, KG_TERMS

    result = build([str(next((Path(__file__).parent.parent / "examples").rglob("*.txt")))], outdir=None)
    write_rdf(result.corpus, tmp_path, base=base, formats=("trig",))
    iris = _iris(tmp_path / "graph.trig")
    ours = {iri[len(KG_NS):] for iri in iris if iri.startswith(KG_NS)}
    assert ours and ours <= KG_TERMS
    assert {iri for iri in iris if not iri.startswith(KG_NS) and "kg.example.org" in iri} == set()
    assert any(iri.startswith(base + "person/") for iri in iris)
