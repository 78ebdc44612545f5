"""Tests of kg.validate: the export conforms to the shapes, and broken graphs are caught."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef

from kg.export.rdf import write_rdf
from kg.iri import DEFAULT_BASE
from kg.records import Article, Extraction
from kg.validate import DEFAULT_SHAPES, EXTRACTION_SCHEMA, load_union, validate_extraction_json, validate_rdf
from kg.vocab import KG_TERMS, Kg
from test_rdf import DOC_A, TEXT_A, key, sample_corpus

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
SCHEMA = rdflib.Namespace("https://schema.org/")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SEM = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
XSD = rdflib.XSD
PERSON = URIRef(DEFAULT_BASE + key("person", "张强"))
ARTICLE = URIRef(DEFAULT_BASE + "article/" + DOC_A)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = write_rdf(sample_corpus(), tmp_path_factory.mktemp("valid"), formats=("trig", "ttl", "nq", "nt"))
    return {path.suffix[1:]: path for path in paths}


@pytest.mark.parametrize("fmt", ["trig", "ttl", "nq", "nt"])
def test_validate_export_conforms(files: dict[str, Path], fmt: str) -> None:
    assert validate_rdf(files[fmt]) == []


def test_validate_accepts_several_files(files: dict[str, Path]) -> None:
    assert validate_rdf([files["trig"], files["ttl"]]) == []


@pytest.mark.parametrize("hostile", ["a\nb\"<>{}|\\^`", "😀\u202e", "x" + chr(0xDFFF)])
def test_validate_hostile_export_conforms(tmp_path: Path, hostile: str) -> None:
    paths = write_rdf(sample_corpus(hostile), tmp_path, formats=("trig",))
    assert validate_rdf(paths) == []


def _remove(predicate: URIRef, subject: URIRef | None = None) -> Callable[[rdflib.Graph], None]:
    def change(graph: rdflib.Graph) -> None:
        target = subject or next(iter(graph.subjects(predicate, None)))
        graph.remove((target, predicate, None))
    return change


def _first(graph: rdflib.Graph, rdf_type: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, rdf_type))[0]  # type: ignore[return-value]


def _second_label(graph: rdflib.Graph) -> None:
    graph.add((PERSON, RDFS.label, Literal("张 强", lang="zh")))


def _english_label(graph: rdflib.Graph) -> None:
    graph.set((PERSON, RDFS.label, Literal("Zhang Qiang", lang="en")))


def _wrong_quote(graph: rdflib.Graph) -> None:
    quote = _first(graph, OA.TextQuoteSelector)
    graph.set((quote, OA.exact, Literal("不是原文")))


def _shifted_start(graph: rdflib.Graph) -> None:
    position = _first(graph, OA.TextPositionSelector)
    start = int(graph.value(position, OA.start))  # type: ignore[arg-type]
    graph.set((position, OA.start, Literal(start + 1, datatype=XSD.nonNegativeInteger)))


def _negative_end(graph: rdflib.Graph) -> None:
    position = _first(graph, OA.TextPositionSelector)
    graph.set((position, OA.end, Literal(-1, datatype=XSD.integer)))


def _string_date(graph: rdflib.Graph) -> None:
    graph.set((ARTICLE, SCHEMA.datePublished, Literal("2021年9月3日")))


def _no_body(graph: rdflib.Graph) -> None:
    graph.remove((ARTICLE, SCHEMA.articleBody, None))


def _no_role(graph: rdflib.Graph) -> None:
    graph.remove((_first(graph, ORG.Membership), ORG.role, None))


def _no_event_type(graph: rdflib.Graph) -> None:
    graph.remove((_first(graph, SEM.Event), SEM.eventType, None))


def _no_creator(graph: rdflib.Graph) -> None:
    graph.remove((_first(graph, SCHEMA.Quotation), SCHEMA.creator, None))


def _no_evidence(graph: rdflib.Graph) -> None:
    graph.remove((_first(graph, SCHEMA.Quotation), PROV.wasDerivedFrom, None))


def _member_not_person(graph: rdflib.Graph) -> None:
    graph.set((_first(graph, ORG.Membership), ORG.member, URIRef(DEFAULT_BASE + "person/unknown")))


def _no_quote_selector(graph: rdflib.Graph) -> None:
    resource = _first(graph, OA.SpecificResource)
    for selector in list(graph.objects(resource, OA.hasSelector)):
        if (selector, RDF.type, OA.TextQuoteSelector) in graph:
            graph.remove((resource, OA.hasSelector, selector))


BROKEN: dict[str, tuple[Callable[[rdflib.Graph], None], str, str]] = {
    # name: (change, expected focus node prefix, expected words in the message)
    "entity without label": (_remove(RDFS.label, PERSON), str(PERSON), "exactly one rdfs:label"),
    "entity with two labels": (_second_label, str(PERSON), "exactly one rdfs:label"),
    "entity labelled in English": (_english_label, str(PERSON), "Chinese"),
    "quote differs from body": (_wrong_quote, DEFAULT_BASE + "evidence/", "not the quoted"),
    "selector off by one": (_shifted_start, DEFAULT_BASE + "evidence/", "not the quoted"),
    "negative end": (_negative_end, DEFAULT_BASE + "evidence/", "oa:end"),
    "date not xsd:date": (_string_date, str(ARTICLE), "datePublished"),
    "article without body": (_no_body, str(ARTICLE), "articleBody"),
    "membership without role": (_no_role, DEFAULT_BASE + "tenure/", "org:role"),
    "event without type": (_no_event_type, DEFAULT_BASE + "event/", "eventType"),
    "quotation without creator": (_no_creator, DEFAULT_BASE + "quotation/", "creator"),
    "quotation without evidence": (_no_evidence, DEFAULT_BASE + "quotation/", "evidence"),
    "member is no person": (_member_not_person, DEFAULT_BASE + "tenure/", "schema:Person"),
    "evidence without quote selector": (_no_quote_selector, DEFAULT_BASE + "evidence/", "TextQuoteSelector"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_validate_detects_broken_graph(files: dict[str, Path], tmp_path: Path, name: str) -> None:
    change, focus, words = BROKEN[name]
    graph = load_union(files["ttl"])
    change(graph)
    broken = tmp_path / "broken.ttl"
    graph.serialize(broken, format="turtle")
    found = [v for v in validate_rdf(broken) if v.severity == "violation"]
    assert any(v.focus_node.startswith(focus) and words in v.message for v in found), found


def test_validate_entity_without_evidence_is_a_warning(files: dict[str, Path], tmp_path: Path) -> None:
    graph = load_union(files["ttl"])
    graph.remove((PERSON, PROV.wasDerivedFrom, None))
    broken = tmp_path / "broken.ttl"
    graph.serialize(broken, format="turtle")
    assert [(v.focus_node, v.severity) for v in validate_rdf(broken)] == [(str(PERSON), "warning")]


def test_validate_rejects_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "graph.rdf"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown RDF suffix"):
        validate_rdf(path)


ONTOLOGY = Path(DEFAULT_SHAPES).with_name("ontology.ttl")


def test_validate_ontology_documents_every_kg_term() -> None:
    graph = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    kg = Kg()
    declared = {str(s)[len(kg.namespace):] for s in graph.subjects(RDF.type, None) if str(s).startswith(kg.namespace)}
    assert declared == set(KG_TERMS)
    for term in KG_TERMS:
        subject = URIRef(getattr(kg, term).value)
        for predicate in (RDFS.label, RDFS.comment):
            languages = sorted(o.language for o in graph.objects(subject, predicate))  # type: ignore[union-attr]
            assert languages == ["en", "zh"], (term, predicate)
    assert (URIRef(DEFAULT_BASE + "ontology"), RDF.type, rdflib.OWL.Ontology) in graph


def _to_json(value: object) -> object:
    """An Extraction as JSON the way the schema describes: fields by name, enums by value, ISO dates."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _to_json(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    return value


def _extraction_json() -> dict[str, object]:
    corpus = sample_corpus()
    article = next(a for a in corpus.articles if a.doc_id == DOC_A)
    extraction = Extraction(
        article=article, entities=corpus.entities,
        tenures=tuple(t for _, t in corpus.tenures), documents=tuple(d for _, d in corpus.documents),
        events=tuple(e for _, e in corpus.events), quotations=tuple(q for _, q in corpus.quotations),
    )
    result = _to_json(extraction)
    assert isinstance(result, dict)
    return json.loads(json.dumps(result, ensure_ascii=False))  # type: ignore[no-any-return]


def test_validate_extraction_json_accepts_serialised_records() -> None:
    assert validate_extraction_json(_extraction_json()) == []
    assert validate_extraction_json(_to_json(Extraction(article=Article(doc_id="d", text=TEXT_A)))) == []  # type: ignore[arg-type]


def _set(path: tuple[object, ...], value: object) -> Callable[[dict[str, object]], None]:
    def change(obj: dict[str, object]) -> None:
        target: object = obj
        for step in path[:-1]:
            target = target[step]  # type: ignore[index]
        if value is KeyError:
            del target[path[-1]]  # type: ignore[attr-defined]
        else:
            target[path[-1]] = value  # type: ignore[index]
    return change


EXTRACTION_ERRORS = {
    "missing doc_id": (_set(("article", "doc_id"), KeyError), "$.article", "'doc_id' is a required property"),
    "unknown tenure status": (_set(("tenures", 0, "status"), "acting"), "$.tenures[0].status", "is not one of"),
    "negative span start": (_set(("quotations", 0, "evidence", 0, "span", "start"), -3),
                            "$.quotations[0].evidence[0].span.start", "less than the minimum"),
    "bad date": (_set(("article", "date"), "2021-13-45"), "$.article.date", "is not a 'date'"),
    "unknown field": (_set(("events", 0, "when"), "2021"), "$.events[0]", "Additional properties"),
    "items as text": (_set(("documents", 0, "items"), "120"), "$.documents[0].items", "is not of type"),
    "entity type typo": (_set(("entities", 0, "type"), "persn"), "$.entities[0].type", "is not one of"),
}


@pytest.mark.parametrize("name", sorted(EXTRACTION_ERRORS))
def test_validate_extraction_json_reports_errors(name: str) -> None:
    change, where, words = EXTRACTION_ERRORS[name]
    obj = _extraction_json()
    change(obj)
    messages = validate_extraction_json(obj)
    assert any(m.startswith(where + ":") and words in m for m in messages), messages


def test_validate_extraction_schema_is_valid_json_schema() -> None:
    schema = json.loads(EXTRACTION_SCHEMA.read_text(encoding="utf-8"))
    from jsonschema.validators import validator_for

    validator_for(schema).check_schema(schema)
    assert set(schema["properties"]) == {f.name for f in dataclasses.fields(Extraction)}
