"""Vocabulary as code: every term the RDF export writes, as a pyoxigraph ``NamedNode``.

A typo is an ``AttributeError`` at the line that makes it, never a wrong IRI:
standard vocabularies are classes whose attributes are the terms, and our own
ontology is :data:`KG`, whose attributes are checked against :data:`KG_TERMS`.

Our namespace ``kg:`` is the fixed IRI :data:`KG_NS` (``https://kg.example.org/ontology#``),
whatever ``--base`` a build is given: the base only prefixes the data (articles, people,
agencies, facts), so ``schemas/ontology.ttl`` describes every build.

>>> ORG.Membership.value
'http://www.w3.org/ns/org#Membership'
>>> KG.divisionCode.value
'https://kg.example.org/ontology#divisionCode'
>>> KG.divisonCode
Traceback (most recent call last):
...
AttributeError: 'divisonCode' is not a term of the kg ontology
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from kg.records import EventType, Precision, TenureStatus

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
ORG_NS = "http://www.w3.org/ns/org#"
SCHEMA_NS = "https://schema.org/"
PROV_NS = "http://www.w3.org/ns/prov#"
OA_NS = "http://www.w3.org/ns/oa#"
ELI_NS = "http://data.europa.eu/eli/ontology#"
SEM_NS = "http://semanticweb.cs.vu.nl/2009/11/sem/"
TIME_NS = "http://www.w3.org/2006/time#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
KG_NS = "https://kg.example.org/ontology#"
"""Our ontology's namespace: fixed, independent of the base IRI of the data."""
KG_ONTOLOGY = KG_NS.rstrip("#")
"""The IRI of the ontology itself (``owl:Ontology`` in ``schemas/ontology.ttl``)."""


class RDF:
    type = NamedNode(RDF_NS + "type")


class RDFS:
    label = NamedNode(RDFS_NS + "label")
    comment = NamedNode(RDFS_NS + "comment")


class XSD:
    date = NamedNode(XSD_NS + "date")
    decimal = NamedNode(XSD_NS + "decimal")
    double = NamedNode(XSD_NS + "double")
    integer = NamedNode(XSD_NS + "integer")
    nonNegativeInteger = NamedNode(XSD_NS + "nonNegativeInteger")


class ORG:
    Organization = NamedNode(ORG_NS + "Organization")
    Membership = NamedNode(ORG_NS + "Membership")
    Role = NamedNode(ORG_NS + "Role")
    member = NamedNode(ORG_NS + "member")
    organization = NamedNode(ORG_NS + "organization")
    role = NamedNode(ORG_NS + "role")
    memberDuring = NamedNode(ORG_NS + "memberDuring")
    subOrganizationOf = NamedNode(ORG_NS + "subOrganizationOf")


class SCHEMA:
    Person = NamedNode(SCHEMA_NS + "Person")
    Organization = NamedNode(SCHEMA_NS + "Organization")
    GovernmentOrganization = NamedNode(SCHEMA_NS + "GovernmentOrganization")
    AdministrativeArea = NamedNode(SCHEMA_NS + "AdministrativeArea")
    Legislation = NamedNode(SCHEMA_NS + "Legislation")
    NewsArticle = NamedNode(SCHEMA_NS + "NewsArticle")
    Quotation = NamedNode(SCHEMA_NS + "Quotation")
    QuantitativeValue = NamedNode(SCHEMA_NS + "QuantitativeValue")
    containedInPlace = NamedNode(SCHEMA_NS + "containedInPlace")
    version = NamedNode(SCHEMA_NS + "version")
    numberOfItems = NamedNode(SCHEMA_NS + "numberOfItems")
    about = NamedNode(SCHEMA_NS + "about")
    value = NamedNode(SCHEMA_NS + "value")
    unitText = NamedNode(SCHEMA_NS + "unitText")
    description = NamedNode(SCHEMA_NS + "description")
    name = NamedNode(SCHEMA_NS + "name")
    creator = NamedNode(SCHEMA_NS + "creator")
    text = NamedNode(SCHEMA_NS + "text")
    headline = NamedNode(SCHEMA_NS + "headline")
    alternativeHeadline = NamedNode(SCHEMA_NS + "alternativeHeadline")
    datePublished = NamedNode(SCHEMA_NS + "datePublished")
    articleSection = NamedNode(SCHEMA_NS + "articleSection")
    author = NamedNode(SCHEMA_NS + "author")
    publisher = NamedNode(SCHEMA_NS + "publisher")
    articleBody = NamedNode(SCHEMA_NS + "articleBody")
    url = NamedNode(SCHEMA_NS + "url")
    jobTitle = NamedNode(SCHEMA_NS + "jobTitle")
    temporalCoverage = NamedNode(SCHEMA_NS + "temporalCoverage")


class PROV:
    wasDerivedFrom = NamedNode(PROV_NS + "wasDerivedFrom")


class OA:
    SpecificResource = NamedNode(OA_NS + "SpecificResource")
    TextPositionSelector = NamedNode(OA_NS + "TextPositionSelector")
    TextQuoteSelector = NamedNode(OA_NS + "TextQuoteSelector")
    hasSource = NamedNode(OA_NS + "hasSource")
    hasSelector = NamedNode(OA_NS + "hasSelector")
    start = NamedNode(OA_NS + "start")
    end = NamedNode(OA_NS + "end")
    exact = NamedNode(OA_NS + "exact")


class ELI:
    LegalResource = NamedNode(ELI_NS + "LegalResource")
    passed_by = NamedNode(ELI_NS + "passed_by")
    date_document = NamedNode(ELI_NS + "date_document")


class SEM:
    Event = NamedNode(SEM_NS + "Event")
    hasActor = NamedNode(SEM_NS + "hasActor")
    hasPlace = NamedNode(SEM_NS + "hasPlace")
    hasTimeStamp = NamedNode(SEM_NS + "hasTimeStamp")
    hasBeginTimeStamp = NamedNode(SEM_NS + "hasBeginTimeStamp")
    hasEndTimeStamp = NamedNode(SEM_NS + "hasEndTimeStamp")
    eventType = NamedNode(SEM_NS + "eventType")


class TIME:
    Interval = NamedNode(TIME_NS + "Interval")
    Instant = NamedNode(TIME_NS + "Instant")
    inside = NamedNode(TIME_NS + "inside")
    before = NamedNode(TIME_NS + "before")
    inXSDDate = NamedNode(TIME_NS + "inXSDDate")


class DCTERMS:
    replaces = NamedNode(DCTERMS_NS + "replaces")


class SKOS:
    altLabel = NamedNode(SKOS_NS + "altLabel")


EVENT_TYPE_TERMS: dict[EventType, str] = {
    EventType.ISSUE: "Issue",
    EventType.LAUNCH: "Launch",
    EventType.STUDY: "Study",
    EventType.MEETING: "Meeting",
    EventType.IMPLEMENT: "Implement",
    EventType.STATISTIC: "Statistic",
}
TENURE_STATUS_TERMS: dict[TenureStatus, str] = {
    TenureStatus.AT_DATE: "AtDate",
    TenureStatus.FORMER: "Former",
    TenureStatus.CURRENT: "Current",
}
PRECISION_TERMS: dict[Precision, str] = {
    Precision.DAY: "day",
    Precision.MONTH: "month",
    Precision.YEAR: "year",
    Precision.SPAN: "span",
}

KG_TERMS = frozenset(
    {
        "divisionCode",
        "jurisdictionCode",
        "kind",
        "tenureStatus",
        "TenureStatus",
        "datePrecision",
        "timeText",
        "extractor",
        "quantity",
        "qualifier",
        "trigger",
        "EventType",
        *EVENT_TYPE_TERMS.values(),
        *TENURE_STATUS_TERMS.values(),
    }
)
"""Every term of ``schemas/ontology.ttl`` (a test keeps the two in step)."""


class Kg:
    """Our ontology's terms, in the fixed namespace :data:`KG_NS`; use the instance :data:`KG`.

    >>> KG.event_type(EventType.ISSUE).value
    'https://kg.example.org/ontology#Issue'
    """

    __slots__ = ()
    namespace = KG_NS

    def __getattr__(self, name: str) -> NamedNode:
        if name not in KG_TERMS:
            raise AttributeError(f"{name!r} is not a term of the kg ontology")
        return NamedNode(KG_NS + name)

    def event_type(self, event_type: EventType) -> NamedNode:
        """The individual standing for ``event_type``."""
        return NamedNode(KG_NS + EVENT_TYPE_TERMS[event_type])

    def tenure_status(self, status: TenureStatus) -> NamedNode:
        """The individual standing for ``status``."""
        return NamedNode(KG_NS + TENURE_STATUS_TERMS[status])


KG = Kg()
"""The kg ontology's terms: ``KG.divisionCode``, ``KG.event_type(EventType.ISSUE)``."""


def prefixes() -> dict[str, str]:
    """Prefixes for Turtle, TriG and JSON-LD, in a fixed order (the output must be byte-stable).

    >>> prefixes()["kg"]
    'https://kg.example.org/ontology#'
    """
    return {
        "rdf": RDF_NS,
        "rdfs": RDFS_NS,
        "xsd": XSD_NS,
        "org": ORG_NS,
        "schema": SCHEMA_NS,
        "prov": PROV_NS,
        "oa": OA_NS,
        "eli": ELI_NS,
        "sem": SEM_NS,
        "time": TIME_NS,
        "dcterms": DCTERMS_NS,
        "skos": SKOS_NS,
        "kg": KG_NS,
    }
