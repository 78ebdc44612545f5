"""RDF export of a resolved :class:`~kg.records.Corpus`: TriG, Turtle, N-Quads, N-Triples, JSON-LD.

Quads are generated from the records and streamed into :func:`pyoxigraph.serialize`;
no in-memory RDF graph is built. Every node is an IRI minted by :func:`kg.iri.mint`
(no blank nodes), and each graph's triples are sorted, so the same corpus gives
byte-identical files.

Layout: one named graph per article (``<base>graph/<doc_id>``) holding the article,
every fact found in it, and the type, labels, parent and evidence of every entity it
mentions or refers to (with their ancestors), so each graph stands alone and their
union is the knowledge graph. Entities no article touches go to ``<base>graph/corpus``.

Dates are always ``xsd:date``: a day is written as is; a month, year or span as its
first day (``eli:date_document``, ``time:inXSDDate``) or its first and last day
(``sem:hasBeginTimeStamp`` / ``sem:hasEndTimeStamp``), with ``kg:datePrecision``
(``"month"``, ``"year"``, ``"span"``) and the words as written in ``kg:timeText``.
Events dated to a day get ``sem:hasTimeStamp``.

>>> from kg.records import Article, Corpus
>>> quads = list(corpus_quads(Corpus(articles=(Article(doc_id="d1", text="正文"),))))
>>> [(q.predicate.value, q.object.value) for q in quads]
[('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://schema.org/NewsArticle'), ('https://schema.org/articleBody', '正文')]
>>> quads[0].graph_name.value
'https://kg.example.org/graph/d1'
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg.errors import ExportError
from kg.export.atomic import atomic_file
from kg.ids import stable_id
from kg.iri import DEFAULT_BASE, check_base, key_node, node, scrub
from kg.records import (
    Article, Corpus, DocumentFact, Entity, EntityType, Event, Evidence, Precision, Quantity, Quotation,
    Span, Tenure, TenureStatus, TimeValue,
)
from kg.vocab import (
    DCTERMS, ELI, OA, ORG, PRECISION_TERMS, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, TIME, XSD, KG, prefixes,
)

Term = NamedNode | Literal
Triples = Iterator[tuple[NamedNode, NamedNode, Term]]

FORMATS: dict[str, tuple[RdfFormat, str]] = {
    "trig": (RdfFormat.TRIG, "graph.trig"),
    "ttl": (RdfFormat.TURTLE, "graph.ttl"),
    "nq": (RdfFormat.N_QUADS, "graph.nq"),
    "nt": (RdfFormat.N_TRIPLES, "graph.nt"),
    "jsonld": (RdfFormat.JSON_LD, "graph.jsonld"),  # written compact by kg.export.jsonld
}
"""Format name → (pyoxigraph format, file name written by :func:`write_rdf`)."""

_ENTITY_TYPES: dict[EntityType, tuple[NamedNode, ...]] = {
    EntityType.PERSON: (SCHEMA.Person,),
    EntityType.AGENCY: (ORG.Organization, SCHEMA.GovernmentOrganization),
    EntityType.ORGANIZATION: (ORG.Organization,),
    EntityType.PLACE: (SCHEMA.AdministrativeArea,),
    EntityType.DOCUMENT: (ELI.LegalResource, SCHEMA.Legislation),
}
_PARENT = {EntityType.PLACE: SCHEMA.containedInPlace}  # every other type: org:subOrganizationOf


def _zh(text: str) -> Literal:
    return Literal(scrub(text), language="zh")


def _plain(text: str) -> Literal:
    return Literal(scrub(text))


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def _count(value: int, datatype: NamedNode = XSD.integer) -> Literal:
    return Literal(str(value), datatype=datatype)


def _number(value: float) -> Literal:
    if not math.isfinite(value):
        return Literal(repr(value).replace("inf", "INF").replace("nan", "NaN"), datatype=XSD.double)
    return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)


def _id(*parts: object) -> str:
    """:func:`kg.ids.stable_id` of ``parts`` with lone surrogates scrubbed (it cannot encode them)."""
    return stable_id(*(_scrubbed(part) for part in parts))


def _scrubbed(part: object) -> object:
    if isinstance(part, str):
        return scrub(part)
    if isinstance(part, (list, tuple)):
        return [_scrubbed(item) for item in part]
    return part


def _spans(evidence: Sequence[Evidence]) -> list[list[object]]:
    return [[e.span.doc_id, e.span.start, e.span.end, e.extractor] for e in evidence]


def _last_day(time: TimeValue) -> dt.date | None:
    if time.end is not None or time.start is None:
        return time.end
    if time.precision is Precision.MONTH:
        return time.start.replace(day=calendar.monthrange(time.start.year, time.start.month)[1])
    if time.precision is Precision.YEAR:
        return time.start.replace(month=12, day=31)
    return None


class _Exporter:
    """Turns the records of one corpus into triples, one article (graph) at a time."""

    def __init__(self, corpus: Corpus, base: str) -> None:
        self.base = check_base(base)
        self._evidence_prefix = node(self.base, "evidence", "x").value[:-1]
        self._iris: dict[str, NamedNode] = {}
        self._articles: dict[str, NamedNode] = {}
        self.kg = KG
        self.corpus = corpus
        self.entities = {entity.key: entity for entity in corpus.entities}
        # an entity's evidence by article: a place named in 10,000 articles must not be scanned 10,000 times
        self.evidence_in: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
        for entity in corpus.entities:
            for item in entity.evidence:
                self.evidence_in[(entity.key, item.span.doc_id)].append(item)
        self.by_name: dict[tuple[EntityType, str], Entity] = {}
        for entity in sorted(corpus.entities, key=lambda e: e.key):
            for name in (*entity.aliases, entity.name):  # the canonical name wins over an alias
                self.by_name[(entity.type, name)] = entity

    def iri(self, key: str) -> NamedNode:
        found = self._iris.get(key)
        if found is None:
            found = self._iris[key] = key_node(self.base, key)
        return found

    def article_iri(self, doc_id: str) -> NamedNode:
        found = self._articles.get(doc_id)
        if found is None:
            found = self._articles[doc_id] = node(self.base, "article", doc_id)
        return found

    # -- evidence and time ------------------------------------------------------------

    def evidence(self, subject: NamedNode, evidence: Iterable[Evidence]) -> Triples:
        for item in evidence:
            span = item.span
            # the id is hex: nothing to encode, so the IRIs are joined directly (a corpus has millions)
            resource_iri = self._evidence_prefix + _id("evidence", *_spans([item])[0])
            resource, position, quote = (NamedNode(resource_iri), NamedNode(resource_iri + "/position"),
                                         NamedNode(resource_iri + "/quote"))
            yield subject, PROV.wasDerivedFrom, resource
            yield resource, RDF.type, OA.SpecificResource
            yield resource, OA.hasSource, self.article_iri(span.doc_id)
            yield resource, OA.hasSelector, position
            yield resource, OA.hasSelector, quote
            yield resource, self.kg.extractor, _plain(item.extractor)
            yield position, RDF.type, OA.TextPositionSelector
            yield position, OA.start, _count(span.start, XSD.nonNegativeInteger)
            yield position, OA.end, _count(span.end, XSD.nonNegativeInteger)
            yield quote, RDF.type, OA.TextQuoteSelector
            yield quote, OA.exact, _plain(span.text)

    def time_notes(self, subject: NamedNode, time: TimeValue) -> Triples:
        if time.text:
            yield subject, self.kg.timeText, _zh(time.text)
        if time.start is not None and time.precision is not Precision.DAY:
            yield subject, self.kg.datePrecision, _plain(PRECISION_TERMS[time.precision])

    # -- entities ---------------------------------------------------------------------

    def entity(self, entity: Entity, doc_id: str | None) -> Triples:
        subject = self.iri(entity.key)
        for rdf_type in _ENTITY_TYPES[entity.type]:
            yield subject, RDF.type, rdf_type
        yield subject, RDFS.label, _zh(entity.name)
        for alias in sorted(set(entity.aliases) - {entity.name}):
            yield subject, SKOS.altLabel, _zh(alias)
        if entity.parent is not None:
            yield subject, _PARENT.get(entity.type, ORG.subOrganizationOf), self.iri(entity.parent)
        if entity.code:
            code = self.kg.divisionCode if entity.type is EntityType.PLACE else self.kg.jurisdictionCode
            yield subject, code, _plain(entity.code)
        if entity.kind:
            yield subject, self.kg.kind, _plain(entity.kind)
        for role in entity.roles:
            yield subject, SCHEMA.jobTitle, _zh(role)
        yield from self.evidence(subject, entity.evidence if doc_id is None else self.evidence_in.get((entity.key, doc_id), ()))

    def with_ancestors(self, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        todo = [key for key in keys if key in self.entities]
        while todo:
            key = todo.pop()
            if key not in found:
                found.add(key)
                parent = self.entities[key].parent
                if parent is not None and parent in self.entities:
                    todo.append(parent)
        return found

    # -- the article ------------------------------------------------------------------

    def named(self, entity_type: EntityType, name: str, segment: str) -> tuple[NamedNode, Entity | None]:
        """The entity called ``name``, or an IRI minted from the name (reusing an entity on collision)."""
        entity = self.by_name.get((entity_type, name))
        key = entity.key if entity else f"{segment}/{_id(segment, name)}"
        return self.iri(key), entity or self.entities.get(key)

    def article(self, article: Article) -> tuple[list[tuple[NamedNode, NamedNode, Term]], set[str]]:
        subject = node(self.base, "article", article.doc_id)
        triples: list[tuple[NamedNode, NamedNode, Term]] = [
            (subject, RDF.type, SCHEMA.NewsArticle),
            (subject, SCHEMA.articleBody, _plain(article.text)),
        ]
        fields = ((SCHEMA.headline, article.headline), (SCHEMA.alternativeHeadline, article.subtitle),
                  (SCHEMA.articleSection, article.section))
        triples += [(subject, predicate, _zh(value)) for predicate, value in fields if value]
        if article.date is not None:
            triples.append((subject, SCHEMA.datePublished, _date(article.date)))
        if article.url:
            triples.append((subject, SCHEMA.url, _url(article.url)))
        keys: set[str] = set()
        for author in article.authors:
            person, entity = self.named(EntityType.PERSON, author.name, "person")
            triples.append((subject, SCHEMA.author, person))
            if entity is not None:
                keys.add(entity.key)
                continue
            triples += [(person, RDF.type, SCHEMA.Person), (person, RDFS.label, _zh(author.name))]
            if author.role:
                triples.append((person, SCHEMA.jobTitle, _zh(author.role)))
            triples += self.byline_evidence(person, article, author.start, author.end)
        if article.publisher:
            publisher, entity = self.named(EntityType.ORGANIZATION, article.publisher, "organization")
            triples.append((subject, SCHEMA.publisher, publisher))
            if entity is not None:
                keys.add(entity.key)
            else:
                triples += [(publisher, RDF.type, ORG.Organization), (publisher, RDF.type, SCHEMA.Organization),
                            (publisher, RDFS.label, _zh(article.publisher)),
                            (publisher, PROV.wasDerivedFrom, subject)]
        return triples, keys

    def byline_evidence(self, person: NamedNode, article: Article, start: int | None, end: int | None) -> Triples:
        if start is None or end is None or not 0 <= start <= end <= len(article.text):
            yield person, PROV.wasDerivedFrom, node(self.base, "article", article.doc_id)
            return
        span = Span(doc_id=article.doc_id, start=start, end=end, text=article.text[start:end])
        yield from self.evidence(person, [Evidence(span=span, extractor="byline")])

    # -- facts ------------------------------------------------------------------------

    def tenure(self, doc_id: str, tenure: Tenure) -> Triples:
        time = tenure.time
        fact_id = _id("tenure", doc_id, tenure.person, tenure.role, tenure.organization, tenure.status,
                            time.iso if time else "", time.text if time else "", _spans(tenure.evidence))
        subject = node(self.base, "tenure", fact_id)
        interval = node(self.base, "tenure", fact_id, "interval")
        role = node(self.base, "role", _id("role", tenure.role))
        yield subject, RDF.type, ORG.Membership
        yield subject, ORG.member, self.iri(tenure.person)
        if tenure.organization is not None:
            yield subject, ORG.organization, self.iri(tenure.organization)
        yield subject, ORG.role, role
        yield role, RDF.type, ORG.Role
        yield role, RDFS.label, _zh(tenure.role)
        yield subject, self.kg.tenureStatus, self.kg.tenure_status(tenure.status)
        yield subject, ORG.memberDuring, interval
        yield interval, RDF.type, TIME.Interval
        if time is not None and time.start is not None:
            instant = node(self.base, "tenure", fact_id, "instant")
            link = TIME.before if tenure.status is TenureStatus.FORMER else TIME.inside
            yield interval, link, instant
            yield instant, RDF.type, TIME.Instant
            yield instant, TIME.inXSDDate, _date(time.start)
            yield from self.time_notes(instant, time)
        yield from self.evidence(subject, tenure.evidence)

    def document(self, fact: DocumentFact) -> Triples:
        subject = self.iri(fact.document)
        yield from ((subject, ELI.passed_by, self.iri(issuer)) for issuer in fact.issuers)
        if fact.date is not None:
            if fact.date.start is not None:
                yield subject, ELI.date_document, _date(fact.date.start)
            yield from self.time_notes(subject, fact.date)
        if fact.version:
            yield subject, SCHEMA.version, _plain(fact.version)
        yield from ((subject, DCTERMS.replaces, self.iri(old)) for old in fact.replaces)
        if fact.items is not None:
            yield subject, SCHEMA.numberOfItems, _count(fact.items)
        yield from self.evidence(subject, fact.evidence)

    def event(self, doc_id: str, event: Event) -> Triples:
        fact_id = _id("event", doc_id, event.key, event.type, event.trigger, _spans(event.evidence))
        subject = node(self.base, "event", fact_id)
        yield subject, RDF.type, SEM.Event
        yield subject, SEM.eventType, self.kg.event_type(event.type)
        yield subject, self.kg.trigger, _zh(event.trigger)
        yield from ((subject, SEM.hasActor, self.iri(key)) for key in event.actors)
        yield from ((subject, SEM.hasPlace, self.iri(key)) for key in event.places)
        yield from ((subject, SCHEMA.about, self.iri(key)) for key in event.documents)
        if event.time is not None:
            yield from self.event_time(subject, event.time)
        for quantity in event.quantities:
            yield from self.quantity(subject, fact_id, quantity)
        yield from self.evidence(subject, event.evidence)

    def event_time(self, subject: NamedNode, time: TimeValue) -> Triples:
        if time.start is not None and time.precision is Precision.DAY:
            yield subject, SEM.hasTimeStamp, _date(time.start)
        elif time.start is not None:
            yield subject, SEM.hasBeginTimeStamp, _date(time.start)
            last = _last_day(time)
            if last is not None:
                yield subject, SEM.hasEndTimeStamp, _date(last)
        yield from self.time_notes(subject, time)

    def quantity(self, event: NamedNode, fact_id: str, quantity: Quantity) -> Triples:
        parts = (quantity.value, quantity.unit, quantity.text, quantity.qualifier, quantity.label)
        subject = node(self.base, "event", fact_id, "quantity", _id("quantity", *parts))
        yield event, self.kg.quantity, subject
        yield subject, RDF.type, SCHEMA.QuantitativeValue
        yield subject, SCHEMA.value, _number(quantity.value)
        fields = ((SCHEMA.unitText, quantity.unit), (SCHEMA.description, quantity.text),
                  (SCHEMA.name, quantity.label))
        yield from ((subject, predicate, _zh(value)) for predicate, value in fields if value)
        if quantity.qualifier:
            yield subject, self.kg.qualifier, _plain(quantity.qualifier)

    def quotation(self, doc_id: str, quotation: Quotation) -> Triples:
        fact_id = _id("quotation", doc_id, quotation.speaker, quotation.text, _spans(quotation.evidence))
        subject = node(self.base, "quotation", fact_id)
        yield subject, RDF.type, SCHEMA.Quotation
        yield subject, SCHEMA.creator, self.iri(quotation.speaker)
        yield subject, SCHEMA.text, _zh(quotation.text)
        yield from self.evidence(subject, quotation.evidence)


def _url(url: str) -> Term:
    """The article's URL as an IRI when it is one, converted to an ASCII URI (RFC 3987 3.1: non-ASCII
    characters, bidi controls included, and characters no URI may hold are percent-encoded); else a literal.

    >>> _url("https://x.org/苏州 市?q=1#a").value
    'https://x.org/%E8%8B%8F%E5%B7%9E%20%E5%B8%82?q=1#a'
    """
    if not url.startswith(("http://", "https://")):
        return _plain(url)
    try:
        return NamedNode(quote(scrub(url), safe=_URI_SAFE))
    except ValueError:
        return _plain(url)


_URI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"  # with ASCII letters and digits: what may stand unencoded in a URI


def _fact_keys(corpus: Corpus) -> dict[str, set[str]]:
    """Per article: the entity keys its facts and its entities' evidence refer to."""
    keys: dict[str, set[str]] = defaultdict(set)
    for entity in corpus.entities:
        for evidence in entity.evidence:
            keys[evidence.span.doc_id].add(entity.key)
    for doc_id, tenure in corpus.tenures:
        keys[doc_id].update(k for k in (tenure.person, tenure.organization) if k is not None)
    for doc_id, fact in corpus.documents:
        keys[doc_id].update((fact.document, *fact.issuers, *fact.replaces))
    for doc_id, event in corpus.events:
        keys[doc_id].update((*event.actors, *event.documents, *event.places))
    for doc_id, quotation in corpus.quotations:
        keys[doc_id].add(quotation.speaker)
    return keys


def _order(triple: tuple[NamedNode, NamedNode, Term]) -> tuple[str, int, str, str]:
    subject, predicate, obj = triple
    rank = 0 if predicate == RDF.type else 1 if predicate == RDFS.label else 2
    return subject.value, rank, predicate.value, str(obj)


def corpus_quads(corpus: Corpus, *, base: str = DEFAULT_BASE) -> Iterator[Quad]:
    """Every quad of the export, graph by graph (sorted by doc_id), each graph sorted.

    Raises:
        ValueError: if ``base`` is not an absolute http(s) IRI ending in ``/`` or ``#``.
    """
    exporter = _Exporter(corpus, base)
    articles = {article.doc_id: article for article in corpus.articles}
    facts: dict[str, list[Iterator[tuple[NamedNode, NamedNode, Term]]]] = defaultdict(list)
    for doc_id, tenure in corpus.tenures:
        facts[doc_id].append(exporter.tenure(doc_id, tenure))
    for doc_id, fact in corpus.documents:
        facts[doc_id].append(exporter.document(fact))
    for doc_id, event in corpus.events:
        facts[doc_id].append(exporter.event(doc_id, event))
    for doc_id, quotation in corpus.quotations:
        facts[doc_id].append(exporter.quotation(doc_id, quotation))
    fact_keys = _fact_keys(corpus)
    placed: set[str] = set()
    for doc_id in sorted(set(articles) | set(facts) | set(fact_keys)):
        triples: set[tuple[NamedNode, NamedNode, Term]] = set()
        keys = set(fact_keys.get(doc_id, ()))
        if doc_id in articles:
            article_triples, author_keys = exporter.article(articles[doc_id])
            triples.update(article_triples)
            keys |= author_keys
        for generator in facts.get(doc_id, ()):
            triples.update(generator)
        keys = exporter.with_ancestors(keys)
        placed |= keys
        for key in keys:
            triples.update(exporter.entity(exporter.entities[key], doc_id))
        graph = node(base, "graph", doc_id)
        yield from (Quad(s, p, o, graph) for s, p, o in sorted(triples, key=_order))
    rest = [entity for entity in corpus.entities if entity.key not in placed]
    if rest:
        graph = node(base, "graph", "corpus")
        triples = {t for entity in rest for t in exporter.entity(entity, None)}
        yield from (Quad(s, p, o, graph) for s, p, o in sorted(triples, key=_order))


def corpus_triples(corpus: Corpus, *, base: str = DEFAULT_BASE) -> list[Triple]:
    """The union of the graphs of :func:`corpus_quads`, without repeats, sorted."""
    unique = {(q.subject, q.predicate, q.object) for q in corpus_quads(corpus, base=base)}
    return [Triple(s, p, o) for s, p, o in sorted(unique, key=_order)]  # type: ignore[arg-type]


def _write(items: Iterable[Quad] | Iterable[Triple], path: str | os.PathLike[str], rdf_format: RdfFormat,
           base: str) -> Path:
    target = Path(path)
    with atomic_file(target) as handle:
        serialize(items, handle, rdf_format, prefixes=prefixes())
    return target


def write_trig(corpus: Corpus, path: str | os.PathLike[str], *, base: str = DEFAULT_BASE) -> Path:
    """Write TriG, one named graph per article, atomically; return the path."""
    return _write(corpus_quads(corpus, base=base), path, RdfFormat.TRIG, base)


def write_nquads(corpus: Corpus, path: str | os.PathLike[str], *, base: str = DEFAULT_BASE) -> Path:
    """Write N-Quads (the quads of :func:`write_trig`), atomically; return the path."""
    return _write(corpus_quads(corpus, base=base), path, RdfFormat.N_QUADS, base)


def write_turtle(corpus: Corpus, path: str | os.PathLike[str], *, base: str = DEFAULT_BASE) -> Path:
    """Write Turtle, all graphs merged into one, atomically; return the path."""
    return _write(corpus_triples(corpus, base=base), path, RdfFormat.TURTLE, base)


def write_ntriples(corpus: Corpus, path: str | os.PathLike[str], *, base: str = DEFAULT_BASE) -> Path:
    """Write N-Triples (the triples of :func:`write_turtle`), atomically; return the path."""
    return _write(corpus_triples(corpus, base=base), path, RdfFormat.N_TRIPLES, base)


def write_jsonld(corpus: Corpus, path: str | os.PathLike[str], *, base: str = DEFAULT_BASE) -> Path:
    """Write compact JSON-LD (the quads of :func:`write_trig`, see :mod:`kg.export.jsonld`); return the path."""
    from kg.export.convert import write_quads

    return write_quads(lambda: corpus_quads(corpus, base=base), path, "jsonld", base=base)


_WRITERS = {"trig": write_trig, "ttl": write_turtle, "nq": write_nquads, "nt": write_ntriples,
            "jsonld": write_jsonld}


def write_rdf(corpus: Corpus, outdir: str | os.PathLike[str], *, base: str = DEFAULT_BASE,
              formats: Sequence[str] = ("trig", "ttl")) -> list[Path]:
    """Write ``graph.<format>`` into ``outdir`` (created if missing) for each of ``formats``.

    Formats: ``trig``, ``ttl``, ``nq``, ``nt``, ``jsonld``.

    Raises:
        ValueError: for an unknown format or a bad base IRI.
        ExportError: when a file cannot be written.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown RDF format(s) {unknown}; choose from {sorted(FORMATS)}")
    check_base(base)
    folder = Path(outdir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create {folder}: {error}") from error
    return [_WRITERS[name](corpus, folder / FORMATS[name][1], base=base) for name in formats]
