"""Properties that hold for any input (Hypothesis): extraction never raises, offsets and quotes hold,
minted IRIs are valid, literals survive every RDF syntax, records survive JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pyoxigraph
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.export.rdf import corpus_quads, corpus_triples
from kg.extract import extract_article
from kg.iri import mint, scrub
from kg.jsonio import from_json, to_json
from kg.records import Article, Corpus, Entity, EntityType, Evidence, Extraction, Span
from kg.validate import validate_extraction_json

NEWSY = st.sampled_from(list("苏州市司法局长李亚平说出台《》“”\"'：，。！？\n 0123456789年月日<>{}|\\^\u3000\u202e\u200b\x00\x07"))
TEXT = st.one_of(st.text(max_size=120), st.text(NEWSY, max_size=120),
                 st.lists(st.sampled_from(["时任苏州市市长", "李亚平", "说：“", "依法行政是生命线。", "”", "《办法》",
                                           "印发", "2021年9月3日", "\n", "<script>", "\ud800"]), max_size=12).map("".join))
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE_EXAMPLES = ("", "\ud800", "《", "“" * 50, "时任苏州市市长<李\n亚平>说：“</script>依法行政是政府工作的生命线。”",
                    "苏州市司法局印发《<script>alert(1)</script>办法》", "\u202e李亚平\x00说")

# RFC 3987 absolute IRI, simplified: scheme ":" then no space, control, or <>"{}|\^` characters
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff]+$")


def _spans(ex: Extraction) -> list[Span]:
    spans = [m.span for m in ex.mentions]
    spans += [e.span for entity in ex.entities for e in entity.evidence]
    for facts in (ex.tenures, ex.documents, ex.events, ex.quotations):
        spans += [e.span for fact in facts for e in fact.evidence]
    return spans


def _check_offsets(ex: Extraction) -> None:
    text = ex.article.text
    for span in _spans(ex):
        assert span.doc_id == ex.article.doc_id
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
    for quotation in ex.quotations:
        assert quotation.evidence and quotation.evidence[0].span.text == quotation.text
    for author in ex.article.authors:
        if author.start is not None:
            assert 0 <= author.start <= author.end <= len(text)


@QUICK
@given(TEXT)
def test_properties_extraction_never_raises_and_offsets_hold(text: str) -> None:
    _check_offsets(extract_article(text, date=dt.date(2021, 9, 3), tagger=False))


@settings(max_examples=8, deadline=None)
@given(TEXT)
@example("时任苏州市市长<李\n亚平>说：“</script>依法行政是政府工作的生命线。”")
def test_properties_extraction_with_tagger_never_raises(text: str) -> None:
    _check_offsets(extract_article(text, tagger=True))


@QUICK
@given(st.text(max_size=60), st.sampled_from(["person", "place", "document", "evidence"]))
@example(".", "place")
@example("..", "person")
def test_properties_minted_iri_is_strict(name: str, segment: str) -> None:
    if not name:
        return
    iri = mint("https://kg.example.org/", segment, name)
    assert IRI.match(iri), iri
    assert "/./" not in iri + "/" and "/../" not in iri + "/", "a dot segment would be removed on resolution"
    assert pyoxigraph.NamedNode(iri).value == iri
    assert iri.isascii()


def _corpus(text: str, name: str) -> tuple[Corpus, str, str]:
    """A one-article corpus whose body is ``text`` and whose one person is called ``name``."""
    body = text or "正文"
    label = name or "无名"
    span = Span(doc_id="d1", start=0, end=len(body), text=body)
    person = Entity(key="person/0000000000000001", type=EntityType.PERSON, name=label,
                    evidence=(Evidence(span=span, extractor="test.v1"),))
    corpus = Corpus(articles=(Article(doc_id="d1", text=body, headline=label),), entities=(person,))
    return corpus, scrub(body), scrub(label)


def _literals(terms) -> set[str]:
    return {term.value for term in terms if isinstance(term, pyoxigraph.Literal)}


@QUICK
@given(TEXT, st.text(max_size=30))
@example("a\rb\r\nc\"\"\"'''\\", "\ud800<>")
def test_properties_literals_survive_every_rdf_syntax(text: str, name: str) -> None:
    corpus, body, label = _corpus(text, name)
    quads = list(corpus_quads(corpus))
    triples = corpus_triples(corpus)
    expected = _literals(q.object for q in quads)
    assert {body, label} <= expected
    for items, rdf_format in ((quads, pyoxigraph.RdfFormat.TRIG), (quads, pyoxigraph.RdfFormat.N_QUADS),
                              (triples, pyoxigraph.RdfFormat.TURTLE), (triples, pyoxigraph.RdfFormat.N_TRIPLES)):
        data = pyoxigraph.serialize(items, format=rdf_format)
        assert _literals(q.object for q in pyoxigraph.parse(io.BytesIO(data), format=rdf_format)) == expected
    trig = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG)
    dataset = rdflib.Dataset()
    dataset.parse(data=trig.decode("utf-8"), format="trig")
    read_back = {str(o) for _, _, o, _ in dataset.quads((None, None, None, None)) if isinstance(o, rdflib.Literal)}
    assert read_back == expected


@QUICK
@given(TEXT)
def test_properties_extraction_round_trips_through_json(text: str) -> None:
    ex = extract_article(scrub(text), date=dt.date(2021, 9, 3), tagger=False)
    data = json.loads(json.dumps(to_json(ex), ensure_ascii=False))
    assert validate_extraction_json(data) == []
    assert from_json(Extraction, data) == ex


def test_properties_json_reading_rejects_bad_records() -> None:
    good = to_json(extract_article("时任苏州市市长李亚平说。", tagger=False))
    for broken in ({**good, "surprise": 1}, {**good, "mentions": "none"},
                   {**good, "article": {**good["article"], "date": 20210903}}):
        try:
            from_json(Extraction, broken)
        except ValueError:
            continue
        raise AssertionError(f"accepted {broken}")


@settings(max_examples=30, deadline=None)
@given(TEXT)
@example("时任苏州市市长李\x01亚平\ufffe说：“</script>依法行政是政府工作的生命线。”]]>")
def test_properties_graphml_of_any_article_is_well_formed(text: str) -> None:
    import lxml.etree

    from kg.export.graphml import generate_graphml_bytes
    from kg.graph import to_networkx
    from kg.resolve import resolve

    graph = to_networkx(resolve([extract_article(text or "正文", tagger=False)]))
    tree = lxml.etree.fromstring(generate_graphml_bytes(graph), lxml.etree.XMLParser(resolve_entities=False))
    assert len(tree.findall(".//{http://graphml.graphdrawing.org/xmlns}node")) == graph.number_of_nodes()
