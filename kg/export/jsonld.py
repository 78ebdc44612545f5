"""Streaming JSON-LD: quads in, compact JSON-LD with a readable ``@context`` out.

pyoxigraph writes expanded JSON-LD (full IRIs everywhere); this writer keeps its
streaming (one node object in memory at a time) but writes the compact form a person
can read: the prefixes of :func:`kg.vocab.prefixes`, ``base`` for the build's own IRIs,
and a term for every property of the vocabulary, coerced to what the export writes
(``"label": "苏州市司法局"`` is ``rdfs:label "苏州市司法局"@zh``; ``"author":
"base:person/…"`` is an IRI; ``"datePublished": "2021-09-03"`` an ``xsd:date``).
A value the coercion does not fit is written under the prefixed name with a full
value object, so any quads round-trip, not only the export's.

Layout: ``{"@context": …, "@graph": [{"@id": <graph>, "@graph": [<node>, …]}, …]}``,
one line per node object; quads of the default graph are top-level node objects.
Consecutive quads with the same graph and subject make one node object (the export
sorts them so); a subject met again later simply makes another node object.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> quad = Quad(NamedNode("https://kg.example.org/person/1"), NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
...             Literal("李亚平", language="zh"), NamedNode("https://kg.example.org/graph/d1"))
>>> print(jsonld_text([quad]).split('"@graph": [', 1)[1].strip())
{"@id": "base:graph/d1", "@graph": [
{"@id": "base:person/1", "label": "李亚平"}
]}
]}
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from kg import vocab
from kg.iri import DEFAULT_BASE, check_base

BASE_PREFIX = "base"
"""The prefix standing for the build's base IRI in the ``@context``."""

_XSD_STRING = vocab.XSD_NS + "string"
_LANG_STRING = vocab.RDF_NS + "langString"
_IRI = "@id"

# Property terms the export writes, with what their values are coerced to:
# "@id" (an IRI), "@zh" (a Chinese language string), an XSD datatype, or "" (a plain string).
_COERCIONS: dict[str, str] = {
    **dict.fromkeys(("member", "organization", "role", "memberDuring", "subOrganizationOf", "containedInPlace",
                     "about", "creator", "author", "publisher", "wasDerivedFrom", "hasSource", "hasSelector",
                     "passed_by", "hasActor", "hasPlace", "eventType", "inside", "before", "replaces",
                     "tenureStatus", "quantity", "url"), _IRI),
    **dict.fromkeys(("label", "comment", "altLabel", "headline", "alternativeHeadline", "articleSection",
                     "jobTitle", "timeText", "trigger", "text", "unitText", "description", "name"), "@zh"),
    **dict.fromkeys(("datePublished", "date_document", "hasTimeStamp", "hasBeginTimeStamp", "hasEndTimeStamp",
                     "inXSDDate"), vocab.XSD_NS + "date"),
    **dict.fromkeys(("start", "end"), vocab.XSD_NS + "nonNegativeInteger"),
    "numberOfItems": vocab.XSD_NS + "integer",
    "value": vocab.XSD_NS + "decimal",
}


@dataclass(frozen=True, slots=True)
class _Term:
    name: str
    coercion: str  # "@id", "@zh", a datatype IRI, or "" for xsd:string


def _vocabulary_terms() -> dict[str, _Term]:
    """Property IRI → term, for every lower-case term of :mod:`kg.vocab` (the local name is the term)."""
    terms: dict[str, _Term] = {}
    classes = (vocab.RDFS, vocab.ORG, vocab.SCHEMA, vocab.PROV, vocab.OA, vocab.ELI, vocab.SEM, vocab.TIME,
               vocab.DCTERMS, vocab.SKOS)
    iris = [getattr(cls, name).value for cls in classes for name in vars(cls) if name[:1].islower()]
    iris += [vocab.KG_NS + name for name in sorted(vocab.KG_TERMS) if name[:1].islower()]
    for iri in iris:
        name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if name in {term.name for term in terms.values()}:
            raise AssertionError(f"two vocabulary properties are called {name!r}")  # caught by the doctests
        terms[iri] = _Term(name, _COERCIONS.get(name, ""))
    return terms


_TERMS = _vocabulary_terms()


def context(base: str = DEFAULT_BASE) -> dict[str, object]:
    """The ``@context`` of the files this module writes: prefixes, ``base``, then one term per property.

    >>> ctx = context()
    >>> ctx["base"], ctx["label"], ctx["author"]
    ('https://kg.example.org/', {'@id': 'rdfs:label', '@language': 'zh'}, {'@id': 'schema:author', '@type': '@id'})
    """
    check_base(base)
    prefixes = vocab.prefixes()
    result: dict[str, object] = {**prefixes, BASE_PREFIX: base}
    for iri, term in _TERMS.items():
        definition: dict[str, str] = {"@id": _curie(iri, prefixes) or iri}
        if term.coercion == "@zh":
            definition["@language"] = "zh"
        elif term.coercion == _IRI:
            definition["@type"] = "@id"
        elif term.coercion:
            definition["@type"] = _curie(term.coercion, prefixes) or term.coercion
        result[term.name] = definition
    return result


def _curie(iri: str, prefixes: dict[str, str]) -> str | None:
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    if not best:
        return None
    local = iri[len(prefixes[best]):]
    return f"{best}:{local}" if local and not local.startswith("//") else None


class _Compactor:
    """Writes terms and values the short way when the context allows it."""

    def __init__(self, base: str) -> None:
        self.prefixes = {**vocab.prefixes(), BASE_PREFIX: base}
        self.cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = _curie(iri, self.prefixes) or iri
            if len(self.cache) < 4096:  # vocabulary terms and shared entities; subjects rarely repeat
                self.cache[iri] = found
        return found

    def node_id(self, term: NamedNode | BlankNode) -> str:
        return self.iri(term.value) if isinstance(term, NamedNode) else f"_:{term.value}"

    def entry(self, predicate: NamedNode, obj: object) -> tuple[str, object]:
        """(key, value) of one predicate–object pair inside a node object."""
        term = _TERMS.get(predicate.value)
        if isinstance(obj, (NamedNode, BlankNode)):
            if term is not None and term.coercion == _IRI:
                return term.name, self.node_id(obj)
            return self.iri(predicate.value), {"@id": self.node_id(obj)}
        if not isinstance(obj, Literal):
            raise TypeError(f"JSON-LD cannot hold the RDF-star term {obj}")
        if term is not None and _fits(term, obj):
            return term.name, obj.value
        return self.iri(predicate.value), self.literal(obj)

    def literal(self, obj: Literal) -> object:
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == _XSD_STRING:
            return obj.value
        return {"@value": obj.value, "@type": self.iri(obj.datatype.value)}


def _fits(term: _Term, obj: Literal) -> bool:
    if term.coercion == "@zh":
        return obj.language == "zh"
    if obj.language:
        return False
    datatype = obj.datatype.value
    return datatype == (term.coercion or _XSD_STRING)


def _node_objects(quads: Iterable[Quad | Triple], compactor: _Compactor) -> Iterator[tuple[object, dict[str, object]]]:
    """(graph name or None, node object) for each run of quads with the same graph and subject."""
    current: tuple[object, object] | None = None
    node: dict[str, object] = {}
    for quad in quads:
        graph = quad.graph_name if isinstance(quad, Quad) else None
        graph = None if isinstance(graph, DefaultGraph) else graph
        key = (graph, quad.subject)
        if key != current:
            if current is not None:
                yield current[0], node
            current = key
            node = {"@id": compactor.node_id(quad.subject)}  # type: ignore[arg-type]
        if quad.predicate.value == vocab.RDF_NS + "type" and isinstance(quad.object, NamedNode):
            _add(node, "@type", compactor.iri(quad.object.value))
        else:
            _add(node, *compactor.entry(quad.predicate, quad.object))
    if current is not None:
        yield current[0], node


def _add(node: dict[str, object], key: str, value: object) -> None:
    if key not in node:
        node[key] = value
        return
    existing = node[key]
    if isinstance(existing, list):
        existing.append(value)
    else:
        node[key] = [existing, value]


def write_jsonld(quads: Iterable[Quad | Triple], output: IO[str], *, base: str = DEFAULT_BASE) -> int:
    """Write ``quads`` (or triples) to the text stream ``output`` as compact JSON-LD; return the node count.

    Raises:
        ValueError: for a bad base IRI.
        TypeError: for an RDF-star triple term.
    """
    compactor = _Compactor(check_base(base))
    dump = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    output.write('{"@context": ' + json.dumps(context(base), ensure_ascii=False, indent=2) + ',\n"@graph": [\n')
    open_graph: object = None
    first_item, first_node, count = True, True, 0
    for graph, node in _node_objects(quads, compactor):
        if open_graph is not None and graph != open_graph:
            output.write("\n]}")
            open_graph = None
        if graph is not None and graph != open_graph:
            output.write(("" if first_item else ",\n") + dump({"@id": compactor.node_id(graph)})[:-1]  # type: ignore[arg-type]
                         + ', "@graph": [\n')
            open_graph, first_item, first_node = graph, False, True
        if graph is None:
            output.write(("" if first_item else ",\n") + dump(node))
            first_item = False
        else:
            output.write(("" if first_node else ",\n") + dump(node))
            first_node = False
        count += 1
    output.write("\n]}" if open_graph is not None else "")
    output.write("\n]}\n")
    return count


def jsonld_text(quads: Iterable[Quad | Triple], *, base: str = DEFAULT_BASE) -> str:
    """:func:`write_jsonld` into a string."""
    buffer = io.StringIO()
    write_jsonld(quads, buffer, base=base)
    return buffer.getvalue()
