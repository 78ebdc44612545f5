"""The whole path on the bundled 法治日报 sample: every fact a reader learns is in graph.trig.

What the article says is listed in examples/README.md (from the corpus note). The
same machinery runs on unseen articles; these checks only pin its output here.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

PREFIXES = """
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def store(sample_build) -> ox.Store:
    _, outdir = sample_build
    s = ox.Store()
    s.bulk_load(path=str(outdir / "graph.trig"), format=ox.RdfFormat.TRIG)
    return s


def ask(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    rows = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return sorted(tuple(term.value if term is not None else "" for term in row) for row in rows)


def test_sample_outputs_written(sample_build) -> None:
    _, outdir = sample_build
    for name in ("graph.trig", "graph.ttl", "graph.html", "graph.graphml", "report.json"):
        assert (outdir / name).stat().st_size > 0, name


def test_sample_persons_are_exactly_the_three(store) -> None:
    rows = ask(store, "SELECT DISTINCT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }")
    assert rows == [("李亚平",), ("沙一",), ("罗莎莎",)]


def test_sample_bare_agency_resolved_to_one_node(store) -> None:
    rows = ask(store, """SELECT ?label ?alt WHERE { ?a a org:Organization ; rdfs:label ?label ; skos:altLabel ?alt
                         FILTER(?alt = "市司法局"@zh) }""")
    assert rows == [("苏州市司法局", "市司法局")]
    agencies = {r[0] for r in ask(store, "SELECT DISTINCT ?l WHERE { ?a a schema:GovernmentOrganization ; rdfs:label ?l }")}
    assert {"苏州市委依法治市办", "苏州市纪委监委", "苏州市司法局", "苏州市人民政府"} <= agencies
    assert not any(a == "市司法局" for a in agencies)


def test_sample_place_hierarchy(store) -> None:
    rows = ask(store, """SELECT ?child ?parent WHERE { ?c a schema:AdministrativeArea ; rdfs:label ?child ;
                         schema:containedInPlace ?p . ?p rdfs:label ?parent }""")
    assert {("姑苏区", "苏州市"), ("太仓市", "苏州市"), ("苏州市", "江苏省")} <= set(rows)
    alts = ask(store, """SELECT ?alt WHERE { ?c rdfs:label "苏州市"@zh ; skos:altLabel ?alt }""")
    assert ("全市",) in alts


def test_sample_tenure_held_at_article_date(store) -> None:
    rows = ask(store, """SELECT ?org ?role ?date WHERE {
        ?m a org:Membership ; org:member [ rdfs:label "李亚平"@zh ] ; org:organization [ rdfs:label ?org ] ;
           org:role [ rdfs:label ?role ] ; org:memberDuring [ time:inside [ time:inXSDDate ?date ] ] }""")
    assert rows == [("苏州市人民政府", "市长", "2021-09-03")]


def test_sample_documents_issuers_dates_items(store) -> None:
    rows = ask(store, """SELECT ?doc ?issuer ?date WHERE { ?d a eli:LegalResource ; rdfs:label ?doc ;
        eli:passed_by [ rdfs:label ?issuer ] ; eli:date_document ?date }""")
    lists = {"苏州市涉企轻微违法行为不予行政处罚清单", "涉企一般违法行为从轻减轻行政处罚清单"}
    assert {(d, i, dt) for d, i, dt in rows if d in lists} == {
        (d, i, "2020-03-01") for d in lists for i in ("苏州市纪委监委", "苏州市司法局")}
    items = dict(ask(store, "SELECT ?doc ?n WHERE { ?d a eli:LegalResource ; rdfs:label ?doc ; schema:numberOfItems ?n }"))
    assert items == {"苏州市涉企轻微违法行为不予行政处罚清单": "248", "涉企一般违法行为从轻减轻行政处罚清单": "206",
                     "涉企“免罚轻罚”清单": "353"}


def test_sample_version_two_replaces_the_2020_lists(store) -> None:
    rows = ask(store, """SELECT ?v ?old WHERE { ?d schema:version ?v ; dcterms:replaces [ rdfs:label ?old ] }""")
    assert rows == [("2.0", "涉企一般违法行为从轻减轻行政处罚清单"), ("2.0", "苏州市涉企轻微违法行为不予行政处罚清单")]


def test_sample_short_title_is_an_alias(store) -> None:
    rows = ask(store, """SELECT ?l WHERE { ?d a eli:LegalResource ; rdfs:label ?l ; skos:altLabel "纲要"@zh }""")
    assert rows == [("法治政府建设实施纲要(2021-2025年)",)]


def test_sample_events_dated_against_article(store) -> None:
    rows = ask(store, """SELECT ?trigger ?ts ?begin ?end WHERE { ?e a sem:Event ; kg:trigger ?trigger .
        OPTIONAL { ?e sem:hasTimeStamp ?ts } OPTIONAL { ?e sem:hasBeginTimeStamp ?begin ; sem:hasEndTimeStamp ?end } }""".replace(
        "kg:trigger", "<https://kg.example.org/ontology#trigger>"))
    by_trigger = {r[0]: r[1:] for r in rows}
    assert by_trigger["联合出台"] == ("", "2020-03-01", "2020-03-31")  # 2020年3月: the whole month
    assert by_trigger["推出"] == ("", "2021-03-01", "2021-03-31")  # 今年3月 against 2021-09-03
    assert by_trigger["专题研讨"][1:] == ("2021-08-11", "2021-08-20")


def test_sample_quotation_by_the_mayor(store) -> None:
    rows = ask(store, """SELECT ?who ?text WHERE { ?q a schema:Quotation ; schema:creator [ rdfs:label ?who ] ;
                         schema:text ?text }""")
    assert len(rows) == 1 and rows[0][0] == "李亚平" and rows[0][1].startswith("一直以来,苏州都以法治力量护航中心大局")


def test_sample_article_metadata(store) -> None:
    rows = ask(store, """SELECT ?h ?sub ?date ?section ?pub WHERE { ?a a schema:NewsArticle ; schema:headline ?h ;
        schema:alternativeHeadline ?sub ; schema:datePublished ?date ; schema:articleSection ?section ;
        schema:publisher [ rdfs:label ?pub ] }""")
    assert rows == [("江苏苏州努力创造法治政府建设更多示范成果", "探索建立党政主要负责人“履职纪实”机制", "2021-09-03",
                     "法治政府", "法治日报")]
    authors = ask(store, "SELECT ?n WHERE { ?a a schema:NewsArticle ; schema:author [ rdfs:label ?n ] }")
    assert authors == [("沙一",), ("罗莎莎",)]
    body = ask(store, "SELECT ?b WHERE { ?a schema:articleBody ?b }")[0][0]
    assert body.count("2020年3月,苏州市纪委监委") == 1  # the repeated body is read once


def test_sample_every_selector_quotes_the_body(store) -> None:
    rows = ask(store, """SELECT ?body ?start ?end ?exact WHERE { ?r oa:hasSource ?a ; oa:hasSelector ?p, ?q .
        ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact . ?a schema:articleBody ?body }""")
    assert len(rows) > 30
    for body, start, end, exact in rows:
        assert body[int(start) : int(end)] == exact


def test_sample_every_fact_has_evidence(store) -> None:
    missing = ask(store, """SELECT ?s WHERE { ?s a ?t VALUES ?t { schema:Person org:Organization eli:LegalResource
        sem:Event org:Membership schema:Quotation } FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?r } }""")
    assert missing == []


def test_sample_rdf_conforms_to_shapes(sample_build) -> None:
    from kg.validate import validate_rdf

    _, outdir = sample_build
    errors = [v for v in validate_rdf([outdir / "graph.trig"]) if v.severity == "violation"]
    assert errors == []


def test_sample_turtle_loads_in_rdflib_and_pyoxigraph(sample_build) -> None:
    _, outdir = sample_build
    g = rdflib.Graph().parse(outdir / "graph.ttl", format="turtle")
    ds = rdflib.Dataset().parse(outdir / "graph.trig", format="trig")
    assert len(g) > 100 and len(ds) > 100
    ox.Store().bulk_load(path=str(outdir / "graph.ttl"), format=ox.RdfFormat.TURTLE)


def test_sample_build_is_byte_identical(tmp_path, sample_build) -> None:
    import kg

    _, outdir = sample_build
    from conftest import SAMPLE

    kg.build([str(SAMPLE)], tmp_path)
    for name in ("graph.trig", "graph.ttl", "graph.html", "graph.graphml"):
        assert (tmp_path / name).read_bytes() == (outdir / name).read_bytes(), name
