"""Tests of kg.export.rdf, kg.iri and kg.vocab on corpora built by hand."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export.rdf import corpus_quads, corpus_triples, write_nquads, write_rdf, write_trig, write_turtle
from kg.errors import ExportError
from kg.ids import stable_id
from kg.iri import DEFAULT_BASE, check_base, mint, scrub
from kg.records import (
    Article, Author, Corpus, DocumentFact, Entity, EntityType, Event, EventType, Evidence, Precision, Quantity,
    Quotation, Span, Tenure, TenureStatus, TimeValue,
)
from kg.vocab import KG, KG_NS, ORG, Kg

TEXT_A = (
    "□ 本报记者 王小明 □ 本报通讯员 李 华\n"
    "2021年5月,浙江省宁波市司法局联合市市场监管局出台《宁波市轻微违法行为免罚清单》,共涉及120项事项。"
    "今年6月,宁波又推出免罚清单2.0版。"
    "时任宁波市市长张强表示:“要把法治政府建设落到实处。”"
    "8月中旬,宁波市司法局专题研讨《法治政府建设实施纲要(2021-2025年)》。"
)
TEXT_B = "近日,宁波市市长张强在宁波市司法局调研。"
DOC_A, DOC_B = "a1b2c3", "d4e5f6"

S = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
RDFS_LABEL = rdflib.RDFS.label


def key(entity_type: str, name: str) -> str:
    return f"{entity_type}/{stable_id(entity_type, name)}"


def ev(text: str, doc_id: str, needle: str, nth: int = 0, extractor: str = "officials.v1") -> tuple[Evidence, ...]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    span = Span(doc_id=doc_id, start=start, end=start + len(needle), text=needle)
    return (Evidence(span=span, extractor=extractor),)


def entity(entity_type: EntityType, name: str, *found: tuple[str, str, str], **fields: object) -> Entity:
    """An entity keyed like the resolver does: by division code for places, else by name."""
    evidence = tuple(e for text, doc_id, needle in found for e in ev(text, doc_id, needle))
    key_part = str(fields["code"]) if entity_type is EntityType.PLACE else name
    return Entity(key=key(entity_type.value, key_part), type=entity_type, name=name, evidence=evidence,
                  **fields)  # type: ignore[arg-type]


def sample_corpus(hostile: str = "") -> Corpus:
    """Two articles: documents, a tenure, events, a quotation; ``hostile`` goes into names and roles."""
    zhang = key("person", "张强")
    gov, justice = key("agency", "宁波市人民政府"), key("agency", "宁波市司法局")
    market = key("agency", "宁波市市场监督管理局")
    zhejiang, ningbo = key("place", "330000"), key("place", "330200")
    list1, list2 = key("document", "宁波市轻微违法行为免罚清单"), key("document", "免罚清单2.0版")
    outline = key("document", "法治政府建设实施纲要(2021-2025年)")
    entities = (
        entity(EntityType.PERSON, "张强", (TEXT_A, DOC_A, "张强"), (TEXT_B, DOC_B, "张强"),
               aliases=(hostile,) if hostile else ()),
        entity(EntityType.PERSON, "王小明", (TEXT_A, DOC_A, "王小明"), roles=("记者",)),
        entity(EntityType.AGENCY, "宁波市人民政府", (TEXT_A, DOC_A, "宁波市"), parent=None, kind="government"),
        entity(EntityType.AGENCY, "宁波市司法局", (TEXT_A, DOC_A, "宁波市司法局"), (TEXT_B, DOC_B, "宁波市司法局"),
               parent=gov, code="330200"),
        entity(EntityType.AGENCY, "宁波市市场监督管理局", (TEXT_A, DOC_A, "市市场监管局"), parent=gov,
               aliases=("市市场监管局",)),
        entity(EntityType.PLACE, "浙江省", (TEXT_A, DOC_A, "浙江省"), code="330000", kind="province"),
        entity(EntityType.PLACE, "宁波市", (TEXT_A, DOC_A, "宁波"), parent=zhejiang, code="330200"),
        entity(EntityType.DOCUMENT, "宁波市轻微违法行为免罚清单", (TEXT_A, DOC_A, "宁波市轻微违法行为免罚清单")),
        entity(EntityType.DOCUMENT, "免罚清单2.0版", (TEXT_A, DOC_A, "免罚清单2.0版")),
        entity(EntityType.DOCUMENT, "法治政府建设实施纲要(2021-2025年)", (TEXT_A, DOC_A, "法治政府建设实施纲要")),
    )
    may, june = dt.date(2021, 5, 1), dt.date(2021, 6, 1)
    articles = (
        Article(doc_id=DOC_A, text=TEXT_A, headline="宁波推进法治政府建设" + hostile, subtitle="免罚清单升级",
                date=dt.date(2021, 9, 3), section="法治政府", publisher="法治日报", url="http://example.com/a?x=1",
                authors=(Author(name="王小明", role="记者", start=7, end=10),
                         Author(name="李华", role="通讯员", start=18, end=21))),
        Article(doc_id=DOC_B, text=TEXT_B, headline="张强调研", date=dt.date(2021, 10, 1)),
    )
    at_date = TimeValue(text="2021年9月3日", start=dt.date(2021, 9, 3), end=dt.date(2021, 9, 3))
    tenures = (
        (DOC_A, Tenure(person=zhang, role="市长" + hostile, organization=gov, status=TenureStatus.AT_DATE,
                       time=at_date, evidence=ev(TEXT_A, DOC_A, "时任宁波市市长张强"))),
        (DOC_B, Tenure(person=zhang, role="市长", organization=gov, status=TenureStatus.CURRENT, time=None,
                       evidence=ev(TEXT_B, DOC_B, "宁波市市长张强"))),
    )
    documents = (
        (DOC_A, DocumentFact(document=list1, issuers=(justice, market), items=120,
                             date=TimeValue(text="2021年5月", start=may, precision=Precision.MONTH),
                             evidence=ev(TEXT_A, DOC_A, "《宁波市轻微违法行为免罚清单》"))),
        (DOC_A, DocumentFact(document=list2, version="2.0", replaces=(list1,),
                             date=TimeValue(text="今年6月", start=june, precision=Precision.MONTH, relative=True),
                             evidence=ev(TEXT_A, DOC_A, "免罚清单2.0版"))),
    )
    mid_august = TimeValue(text="8月中旬", start=dt.date(2021, 8, 11), end=dt.date(2021, 8, 20),
                           precision=Precision.SPAN, relative=True)
    events = (
        (DOC_A, Event(key="event/1", type=EventType.ISSUE, trigger="出台", actors=(justice, market),
                      documents=(list1,), places=(ningbo,), time=TimeValue(text="2021年5月", start=may,
                      precision=Precision.MONTH), quantities=(Quantity(value=120, unit="项", text="120项",
                      label="事项"),), evidence=ev(TEXT_A, DOC_A, "联合市市场监管局出台"))),
        (DOC_A, Event(key="event/2", type=EventType.STUDY, trigger="专题研讨", actors=(justice,),
                      documents=(outline,), time=mid_august, evidence=ev(TEXT_A, DOC_A, "专题研讨"))),
    )
    quote = "要把法治政府建设落到实处。"
    quotations = ((DOC_A, Quotation(speaker=zhang, text=quote + hostile,
                                    evidence=ev(TEXT_A, DOC_A, quote) + ev(TEXT_A, DOC_A, "张强表示"))),)
    return Corpus(articles=articles, entities=entities, tenures=tenures, documents=documents, events=events,
                  quotations=quotations)


def write_all(corpus: Corpus, folder: Path, base: str = DEFAULT_BASE) -> dict[str, Path]:
    paths = write_rdf(corpus, folder, base=base, formats=("trig", "ttl", "nq", "nt"))
    return {path.suffix[1:]: path for path in paths}


def union(paths: dict[str, Path], fmt: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    if fmt in ("trig", "nq"):
        dataset = rdflib.Dataset()
        dataset.parse(paths[fmt], format={"trig": "trig", "nq": "nquads"}[fmt])
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(paths[fmt], format={"ttl": "turtle", "nt": "nt"}[fmt])
    return graph


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(sample_corpus(), tmp_path_factory.mktemp("rdf"))


@pytest.mark.parametrize("fmt,oxi", [("trig", pyoxigraph.RdfFormat.TRIG), ("ttl", pyoxigraph.RdfFormat.TURTLE),
                                     ("nq", pyoxigraph.RdfFormat.N_QUADS), ("nt", pyoxigraph.RdfFormat.N_TRIPLES)])
def test_rdf_files_load_in_pyoxigraph_and_rdflib(written: dict[str, Path], fmt: str, oxi: pyoxigraph.RdfFormat) -> None:
    assert len(list(pyoxigraph.parse(path=str(written[fmt]), format=oxi))) > 100
    assert len(union(written, fmt)) > 100


def test_rdf_trig_has_one_named_graph_per_article(written: dict[str, Path]) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(written["trig"]), format=pyoxigraph.RdfFormat.TRIG)
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == [mint(DEFAULT_BASE, "graph", DOC_A), mint(DEFAULT_BASE, "graph", DOC_B)]
    person = pyoxigraph.NamedNode(DEFAULT_BASE + key("person", "张强"))
    for graph in graphs:  # the entity is repeated in every article that mentions it
        labels = list(store.quads_for_pattern(person, pyoxigraph.NamedNode(str(RDFS_LABEL)), None,
                                              pyoxigraph.NamedNode(graph)))
        assert [q.object for q in labels] == [pyoxigraph.Literal("张强", language="zh")]


@pytest.mark.parametrize("fmt", ["trig", "ttl", "nq", "nt"])
def test_rdf_every_entity_has_exactly_one_zh_label(written: dict[str, Path], fmt: str) -> None:
    graph = union(written, fmt)
    classes = [rdflib.URIRef(S + "Person"), ORG_ORGANIZATION, rdflib.URIRef(S + "AdministrativeArea"),
               rdflib.URIRef("http://data.europa.eu/eli/ontology#LegalResource")]
    subjects = {s for c in classes for s in graph.subjects(rdflib.RDF.type, c)}
    assert len(subjects) == 12  # 10 entities, the byline person 李华 and the publisher 法治日报
    for subject in subjects:
        labels = list(graph.objects(subject, RDFS_LABEL))
        assert len(labels) == 1 and labels[0].language == "zh", subject


ORG_ORGANIZATION = rdflib.URIRef(ORG.Organization.value)


def test_rdf_selectors_quote_the_article_body(written: dict[str, Path]) -> None:
    graph = union(written, "ttl")
    rows = list(graph.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>
        SELECT ?body ?start ?end ?exact WHERE {
          ?r oa:hasSource ?a ; oa:hasSelector ?p , ?q .
          ?a schema:articleBody ?body .
          ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact . }"""))
    assert len(rows) >= 20
    for body, start, end, exact in rows:  # type: ignore[misc]
        assert str(body)[int(start):int(end)] == str(exact)


def test_rdf_iris_are_ascii_and_stable(tmp_path: Path) -> None:
    first = {t.value for q in corpus_quads(sample_corpus()) for t in (q.subject, q.object, q.graph_name)
             if isinstance(t, pyoxigraph.NamedNode)}
    second = {t.value for q in corpus_quads(sample_corpus()) for t in (q.subject, q.object, q.graph_name)
              if isinstance(t, pyoxigraph.NamedNode)}
    assert first == second
    assert all(iri.isascii() for iri in first)
    assert DEFAULT_BASE + key("person", "张强") in first
    assert mint(DEFAULT_BASE, "article", DOC_A) in first


def test_rdf_output_is_byte_identical_twice(tmp_path: Path) -> None:
    one, two = write_all(sample_corpus(), tmp_path / "one"), write_all(sample_corpus(), tmp_path / "two")
    script = ("import sys; sys.path[:0] = [sys.argv[2], sys.argv[3]]; from test_rdf import sample_corpus, write_all; "
              "from pathlib import Path; write_all(sample_corpus(), Path(sys.argv[1]))")
    tests = Path(__file__).parent
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # another process, other hash seed, same bytes
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "three"), str(tests.parent), str(tests)],
                   check=True, env=env)
    for fmt in one:
        assert one[fmt].read_bytes() == two[fmt].read_bytes() == (tmp_path / "three" / one[fmt].name).read_bytes()


def test_rdf_unmentioned_entity_goes_to_corpus_graph() -> None:
    lone = Entity(key=key("place", "330000"), type=EntityType.PLACE, name="浙江省", code="330000")
    quads = list(corpus_quads(Corpus(entities=(lone,))))
    assert {q.graph_name.value for q in quads} == {mint(DEFAULT_BASE, "graph", "corpus")}
    assert len([q for q in quads if q.predicate.value == str(RDFS_LABEL)]) == 1


@pytest.mark.parametrize("fmt", ["nq", "ttl", "nt"])
def test_rdf_formats_are_isomorphic_to_trig_union(written: dict[str, Path], fmt: str) -> None:
    assert isomorphic(union(written, "trig"), union(written, fmt))


def _objects(graph: rdflib.Graph, subject: str, predicate: str) -> set[str]:
    return {str(o) for o in graph.objects(rdflib.URIRef(subject), rdflib.URIRef(predicate))}


@pytest.mark.parametrize("subject,predicate,expected", [
    (key("document", "宁波市轻微违法行为免罚清单"), "http://data.europa.eu/eli/ontology#date_document", {"2021-05-01"}),
    (key("document", "宁波市轻微违法行为免罚清单"), S + "numberOfItems", {"120"}),
    (key("document", "宁波市轻微违法行为免罚清单"), "https://kg.example.org/ontology#datePrecision", {"month"}),
    (key("document", "免罚清单2.0版"), S + "version", {"2.0"}),
    (key("document", "免罚清单2.0版"), "http://purl.org/dc/terms/replaces",
     {DEFAULT_BASE + key("document", "宁波市轻微违法行为免罚清单")}),
    (key("document", "宁波市轻微违法行为免罚清单"), "http://data.europa.eu/eli/ontology#passed_by",
     {DEFAULT_BASE + key("agency", "宁波市司法局"), DEFAULT_BASE + key("agency", "宁波市市场监督管理局")}),
    (key("agency", "宁波市司法局"), "http://www.w3.org/ns/org#subOrganizationOf", {DEFAULT_BASE + key("agency", "宁波市人民政府")}),
    (key("place", "330200"), S + "containedInPlace", {DEFAULT_BASE + key("place", "330000")}),
    (key("place", "330200"), "https://kg.example.org/ontology#divisionCode", {"330200"}),
    (key("agency", "宁波市市场监督管理局"), "http://www.w3.org/2004/02/skos/core#altLabel", {"市市场监管局"}),
    (key("agency", "宁波市人民政府"), str(rdflib.RDF.type),
     {"http://www.w3.org/ns/org#Organization", S + "GovernmentOrganization"}),
    (mint(DEFAULT_BASE, "article", DOC_A)[len(DEFAULT_BASE):], S + "author",
     {DEFAULT_BASE + key("person", "王小明"), DEFAULT_BASE + key("person", "李华")}),
    (mint(DEFAULT_BASE, "article", DOC_A)[len(DEFAULT_BASE):], S + "datePublished", {"2021-09-03"}),
    (mint(DEFAULT_BASE, "article", DOC_A)[len(DEFAULT_BASE):], S + "alternativeHeadline", {"免罚清单升级"}),
    (mint(DEFAULT_BASE, "article", DOC_A)[len(DEFAULT_BASE):], S + "url", {"http://example.com/a?x=1"}),
    (key("person", "李华"), S + "jobTitle", {"通讯员"}),
])
def test_rdf_maps_records_to_vocabularies(written: dict[str, Path], subject: str, predicate: str,
                                          expected: set[str]) -> None:
    assert _objects(union(written, "ttl"), DEFAULT_BASE + subject, predicate) == expected


QUERIES = {
    "tenure instant": """SELECT ?d WHERE { ?m a org:Membership ; org:member ?p ; org:role/rdfs:label "市长"@zh ;
        kg:tenureStatus kg:AtDate ; org:memberDuring/time:inside/time:inXSDDate ?d . }""",
    "event span": """SELECT ?b ?e WHERE { ?x sem:eventType kg:Study ; sem:hasBeginTimeStamp ?b ;
        sem:hasEndTimeStamp ?e ; kg:datePrecision "span" . }""",
    "event month": """SELECT ?b ?e WHERE { ?x sem:eventType kg:Issue ; sem:hasBeginTimeStamp ?b ;
        sem:hasEndTimeStamp ?e ; sem:hasPlace ?p ; schema:about ?d ; sem:hasActor ?a . }""",
    "quantity": """SELECT ?v WHERE { ?x kg:quantity [ a schema:QuantitativeValue ; schema:value ?v ;
        schema:unitText "项"@zh ; schema:description "120项"@zh ] . }""",
    "quotation": """SELECT ?t WHERE { ?q a schema:Quotation ; schema:creator/rdfs:label "张强"@zh ; schema:text ?t ;
        prov:wasDerivedFrom/kg:extractor "officials.v1" . }""",
    "publisher": """SELECT ?n WHERE { ?a schema:publisher [ a org:Organization , schema:Organization ;
        rdfs:label ?n ] . }""",
}
EXPECTED = {
    "tenure instant": {("2021-09-03",)},
    "event span": {("2021-08-11", "2021-08-20")},
    "event month": {("2021-05-01", "2021-05-31")},
    "quantity": {("120",)},
    "quotation": {("要把法治政府建设落到实处。",)},
    "publisher": {("法治日报",)},
}
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX time: <http://www.w3.org/2006/time#> PREFIX kg: <https://kg.example.org/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rdf_facts_answer_queries(written: dict[str, Path], name: str) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(written["ttl"]), format=pyoxigraph.RdfFormat.TURTLE)
    rows = {tuple(term.value for term in row) for row in store.query(PREFIXES + QUERIES[name])}
    assert rows == EXPECTED[name]


HOSTILE = [
    'a b"c<d>{e}|f\\g^h`i',
    "line\nbreak\r\ttab",
    "emoji 😀 and 🇨🇳",
    "bidi \u202etxet\u202c and \u200f",
    "nul\x00 and esc\x1b and del\x7f",
    "lone " + chr(0xD800) + " surrogate",
    "' OR 1=1 -- ]]> </script>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_rdf_hostile_names_round_trip_as_literals(tmp_path: Path, hostile: str) -> None:
    paths = write_all(sample_corpus(hostile), tmp_path)
    for fmt in ("trig", "ttl", "nq", "nt"):
        graph = union(paths, fmt)
        labels = {str(o) for o in graph.objects(None, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))}
        assert scrub(hostile) in labels
        roles = {str(o) for s in graph.subjects(rdflib.RDF.type, rdflib.URIRef(ORG.Role.value))
                 for o in graph.objects(s, RDFS_LABEL)}
        assert "市长" + scrub(hostile) in roles
        assert all(str(term).isascii() for triple in graph for term in triple if isinstance(term, rdflib.URIRef))
    oxi = list(pyoxigraph.parse(path=str(paths["trig"]), format=pyoxigraph.RdfFormat.TRIG))
    assert pyoxigraph.Literal(scrub(hostile), language="zh") in {q.object for q in oxi}


@pytest.mark.parametrize("segment", HOSTILE + ["", "/", "#", "%", "..", "?q=1", "person/19ceddcfbd5c3fb4"])
def test_iri_mint_hostile_segments_give_valid_ascii_iris(segment: str) -> None:
    if segment == "":
        with pytest.raises(ValueError):
            mint(DEFAULT_BASE, segment)
        return
    iri = mint(DEFAULT_BASE, "role", segment)
    assert iri.isascii() and iri.startswith(DEFAULT_BASE + "role/")
    assert "/" not in iri[len(DEFAULT_BASE + "role/"):]
    assert pyoxigraph.NamedNode(iri).value == iri
    assert rdflib.URIRef(iri) == rdflib.URIRef(iri)  # rdflib warns on invalid IRIs; must not here


@pytest.mark.parametrize("base", ["kg.example.org/", "ftp://example.org/", "https://example.org", "https:///x/",
                                  "https://例子.org/", "https://example.org/a b/", "https://ex.org/a#b#", ""])
def test_iri_bad_base_raises(base: str) -> None:
    with pytest.raises(ValueError):
        check_base(base)
    with pytest.raises(ValueError):
        list(corpus_quads(sample_corpus(), base=base))


@pytest.mark.parametrize("base", ["http://data.example.gov/kg/", "https://x.org/kg#"])
def test_rdf_custom_base_prefixes_every_minted_iri(tmp_path: Path, base: str) -> None:
    paths = write_all(sample_corpus(), tmp_path, base=base)
    graph = union(paths, "trig")
    ours = {str(t) for triple in graph for t in triple
            if isinstance(t, rdflib.URIRef) and "kg.example" in str(t) and not str(t).startswith(KG_NS)}
    assert ours == set()
    assert (rdflib.URIRef(mint(base, *key("person", "张强").split("/"))), RDFS_LABEL,
            rdflib.Literal("张强", lang="zh")) in graph
    assert (None, None, rdflib.URIRef(KG.event_type(EventType.STUDY).value)) in graph  # our terms: one fixed namespace


def test_vocab_typo_raises() -> None:
    with pytest.raises(AttributeError):
        ORG.Memebership  # noqa: B018
    with pytest.raises(AttributeError):
        Kg().divisonCode  # noqa: B018


def test_rdf_write_rdf_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown RDF format"):
        write_rdf(sample_corpus(), tmp_path, formats=("trig", "rdfxml"))


def test_rdf_write_into_missing_folder_raises_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_trig(sample_corpus(), tmp_path / "missing" / "graph.trig")
    write_turtle(sample_corpus(), tmp_path / "graph.ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]  # no temp file left behind


def test_rdf_nquads_hold_the_same_quads_as_the_generator(tmp_path: Path) -> None:
    path = write_nquads(sample_corpus(), tmp_path / "graph.nq")
    parsed = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS))
    assert parsed == list(corpus_quads(sample_corpus()))
    assert len(corpus_triples(sample_corpus())) < len(parsed)  # entities repeated per article merge away
