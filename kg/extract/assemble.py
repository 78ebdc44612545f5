"""From an :class:`Analysis` to an :class:`Extraction`: entities, tenures, documents, events, quotations."""

from __future__ import annotations

import bisect
from collections import defaultdict

from kg.extract import documents as docs_mod
from kg.extract import events as events_mod
from kg.extract import officials, quotes
from kg.extract.agencies import AgencyMatch
from kg.extract.evidence import make_evidence
from kg.extract.mentions import Analysis
from kg.gazetteer import PlaceIndex, load_places
from kg.records import (
    DocumentFact, Entity, EntityType, Event, EventType, Evidence, Extraction, Key, Mention, MentionType,
    Quotation, Tenure, TenureStatus, TimeValue,
)

_ENTITY_TYPE = {
    MentionType.PERSON: EntityType.PERSON, MentionType.AGENCY: EntityType.AGENCY,
    MentionType.ORGANIZATION: EntityType.ORGANIZATION, MentionType.PLACE: EntityType.PLACE,
    MentionType.DOCUMENT: EntityType.DOCUMENT,
}


class _Entities:
    """Article-local entities under construction, keyed ``"<type>:<name or code>"``."""

    def __init__(self) -> None:
        self.names: dict[Key, str] = {}
        self.types: dict[Key, EntityType] = {}
        self.aliases: dict[Key, set[str]] = defaultdict(set)
        self.evidence: dict[Key, dict[Evidence, None]] = defaultdict(dict)  # ordered set
        self.parent: dict[Key, Key] = {}
        self.code: dict[Key, str] = {}
        self.kind: dict[Key, str] = {}
        self.roles: dict[Key, set[str]] = defaultdict(set)

    def add(self, etype: EntityType, name: str, evidence: Evidence | None, *, ident: str = "", alias: str = "",
            code: str = "", kind: str = "") -> Key:
        key = Key(f"{etype.value}:{ident or name}")
        self.names.setdefault(key, name)
        self.types[key] = etype
        if alias and alias != name:
            self.aliases[key].add(alias)
        if evidence is not None:
            self.evidence[key][evidence] = None
        if code:
            self.code.setdefault(key, code)
        if kind:
            self.kind.setdefault(key, kind)
        return key

    def records(self) -> tuple[Entity, ...]:
        return tuple(
            Entity(key=k, type=self.types[k], name=self.names[k], aliases=tuple(sorted(self.aliases[k] - {self.names[k]})),
                   evidence=tuple(sorted(self.evidence[k], key=lambda e: (e.span.start, e.span.end, e.extractor))),
                   parent=self.parent.get(k), code=self.code.get(k, ""), kind=self.kind.get(k, ""),
                   roles=tuple(sorted(self.roles[k])))
            for k in sorted(self.names)
        )


def assemble(a: Analysis, index: PlaceIndex | None = None) -> Extraction:
    index = index or load_places()
    art = a.article
    ents = _Entities()
    key_of: dict[tuple[int, int], Key] = {}

    def ev(start: int, end: int, extractor: str) -> Evidence:
        return make_evidence(art, start, end, extractor)

    titles = [d.name for d in a.documents if d.titled]
    for m in a.mentions:
        span = (m.span.start, m.span.end)
        e = ev(*span, m.extractor)
        if m.type is MentionType.PLACE:
            p = a.place_of.get(span)
            if p is not None and p.place is not None:
                key_of[span] = _place(ents, p.place, e, m.span.text, index)
            else:
                key_of[span] = ents.add(EntityType.PLACE, m.name, e, alias=m.span.text)
        elif m.type is MentionType.AGENCY:
            ag = a.agency_of.get(span)
            key = ents.add(EntityType.AGENCY, m.name, e, alias=m.span.text, kind=ag.kind if ag else "",
                           code=ag.place.code if ag and ag.place else "")
            if ag is not None:
                ents.aliases[key].update(ag.aliases)
                if ag.parent:
                    parent = ents.add(EntityType.AGENCY, ag.parent, e, kind=ag.parent_kind,
                                      code=ag.place.code if ag.place else "")
                    ents.parent.setdefault(key, parent)
            key_of[span] = key
        elif m.type is MentionType.DOCUMENT:
            name = m.name
            d = a.document_of.get(span)
            if d is not None and d.titled:
                name = docs_mod.short_form_target(name, titles) or name
            key_of[span] = ents.add(EntityType.DOCUMENT, name, e, alias=m.name if name != m.name else "")
        elif m.type in (MentionType.PERSON, MentionType.ORGANIZATION):
            key_of[span] = ents.add(_ENTITY_TYPE[m.type], m.name, e, alias=m.span.text)
    article_time = TimeValue(text=art.date.isoformat(), start=art.date, end=art.date) if art.date else None

    tenures = _tenures(a, ents, key_of, article_time, ev)
    tenures += _byline(a, ents, key_of, article_time, ev)
    events, undated = _events(a, key_of, ev)
    document_facts = _document_facts(a, ents, key_of, events + undated, ev)
    quotations = tuple(
        Quotation(speaker=key_of[(q.speaker.span.start, q.speaker.span.end)], text=art.text[q.quote_start:q.quote_end],
                  evidence=(ev(q.quote_start, q.quote_end, quotes.EXTRACTOR), ev(q.cue_start, q.cue_end, quotes.EXTRACTOR)))
        for q in quotes.find_quotations(art.text, a.mentions)
        if (q.speaker.span.start, q.speaker.span.end) in key_of
    )
    return Extraction(article=art, mentions=tuple(a.mentions), entities=ents.records(), tenures=tuple(tenures),
                      documents=tuple(document_facts), events=tuple(events), quotations=quotations)


def _place(ents: _Entities, place, evidence: Evidence, written: str, index: PlaceIndex) -> Key:
    key = ents.add(EntityType.PLACE, place.name, evidence, ident=place.code, alias=written, code=place.code,
                   kind=place.level.value)
    child = key
    for ancestor in index.ancestors(place.code):
        parent = ents.add(EntityType.PLACE, ancestor.name, evidence, ident=ancestor.code, code=ancestor.code,
                          kind=ancestor.level.value)
        ents.parent.setdefault(child, parent)
        child = parent
    return key


def _tenures(a: Analysis, ents: _Entities, key_of, article_time, ev) -> list[Tenure]:
    """Tenures from posts written around names, less those the byline gives (记者陈磊 in a byline without a space)."""
    persons = [m for m in a.mentions if m.type is MentionType.PERSON]
    kept = {(m.span.start, m.span.end) for m in a.mentions}
    places = [p for span, p in a.place_of.items() if span in kept]
    bylined = {(key_of[(au.start, au.end)], au.role) for au in a.article.authors if (au.start, au.end) in key_of}
    out = []
    for t in officials.find_tenures(a.article.text, persons, a.posts, _bodies(a), places, a.focus):
        if (key_of[(t.person.span.start, t.person.span.end)], t.role) in bylined:
            continue  # the byline's tenure, with the publisher, says it already
        evidence = ev(t.start, t.end, officials.EXTRACTOR)
        org = None
        if t.organization:
            org = ents.add(EntityType.AGENCY if t.organization_kind != "organization" else EntityType.ORGANIZATION,
                           t.organization, evidence, kind=t.organization_kind, code=t.organization_place)
        person = key_of[(t.person.span.start, t.person.span.end)]
        out.append(Tenure(person=person, role=t.role, organization=org, status=t.status,
                          time=article_time if t.status is not TenureStatus.FORMER else None, evidence=(evidence,)))
    return out


def _bodies(a: Analysis) -> list[AgencyMatch]:
    """The grammar's agencies, and the tagger's agencies and organisations kept as mentions (a post
    after 广东省政务服务数据管理局 or 华为公司 is held there, though no organ word names them)."""
    bodies = list(a.agency_of.values())
    for m in a.mentions:
        span = (m.span.start, m.span.end)
        if m.type in (MentionType.AGENCY, MentionType.ORGANIZATION) and span not in a.agency_of:
            kind = "organization" if m.type is MentionType.ORGANIZATION else ""
            bodies.append(AgencyMatch(m.span.start, m.span.end, m.name, kind, None))
    return bodies


def _byline(a: Analysis, ents: _Entities, key_of, article_time, ev) -> list[Tenure]:
    art = a.article
    if not art.authors:
        return []
    publisher = None
    if art.publisher:
        last = max((au.start or 0) for au in art.authors) + 1
        own = art.text.find("本报", 0, last)
        named = art.text.find(art.publisher, 0, last) if own == -1 else -1  # 新华社…电（记者…）
        if own != -1:
            evidence = ev(own, own + 2, "byline.v1")
        else:
            evidence = ev(named, named + len(art.publisher), "byline.v1") if named != -1 else None
        publisher = ents.add(EntityType.ORGANIZATION, art.publisher, evidence, alias="本报" if own != -1 else "",
                             kind="media")
    out = []
    for au in art.authors:
        if au.start is None or au.end is None or (au.start, au.end) not in key_of:
            continue
        person = key_of[(au.start, au.end)]
        ents.roles[person].add(au.role)
        out.append(Tenure(person=person, role=au.role, organization=publisher, status=TenureStatus.AT_DATE,
                          time=article_time, evidence=(ev(au.start, au.end, "byline.v1"),)))
    return out


def _events(a: Analysis, key_of, ev) -> tuple[list[Event], list[Event]]:
    """Dated events, and undated issuances (国务院办公厅印发的《…》): these name issuers but are no events."""
    dated: list[Event] = []
    undated: list[Event] = []
    for n, m in enumerate(events_mod.find_events(a.article.text, a.sentences, a.paragraphs, a.mentions)):
        def keys(ms: tuple[Mention, ...]) -> tuple[Key, ...]:
            return tuple(dict.fromkeys(key_of[(x.span.start, x.span.end)] for x in ms if (x.span.start, x.span.end) in key_of))
        time = a.time_of.get((m.time.span.start, m.time.span.end)) if m.time else None
        quantities = tuple(q for _, _, q in m.quantities)
        s, e = m.sentence
        event = Event(key=Key(f"event:{n}"), type=m.type, trigger=m.trigger, actors=keys(m.actors),
                      documents=keys(m.documents), places=keys(m.places), time=time, quantities=quantities,
                      evidence=(ev(s, e, events_mod.EXTRACTOR),))
        (dated if time is not None else undated).append(event)
    return dated, undated


def _document_facts(a: Analysis, ents: _Entities, key_of, events: list[Event], ev) -> list[DocumentFact]:
    facts: list[DocumentFact] = []
    dated: dict[Key, TimeValue] = {}
    genre: dict[Key, str] = {}
    doc_mentions = [m for m in a.mentions if m.type is MentionType.DOCUMENT]
    for m in doc_mentions:
        d = a.document_of.get((m.span.start, m.span.end))
        key = key_of[(m.span.start, m.span.end)]
        genre[key] = d.genre if d else ""
        if d is not None and d.version:
            facts.append(DocumentFact(document=key, version=d.version, evidence=(ev(d.start, d.end, docs_mod.EXTRACTOR),)))
    for e in events:
        if e.type not in (EventType.ISSUE, EventType.LAUNCH):
            continue
        issuers = tuple(k for k in e.actors if ents.types.get(k) in (EntityType.AGENCY, EntityType.ORGANIZATION))
        for d in e.documents:
            facts.append(DocumentFact(document=d, issuers=issuers, date=e.time, evidence=e.evidence))
            if e.time is not None:
                dated.setdefault(d, e.time)
    facts += _item_counts(a, key_of, doc_mentions, ev)
    for m in doc_mentions:  # a new version replaces the earlier documents of its genre
        d = a.document_of.get((m.span.start, m.span.end))
        key = key_of[(m.span.start, m.span.end)]
        if d is None or not d.version or d.version in ("1", "1.0") or key not in dated:
            continue
        older = tuple(k for k in dict.fromkeys(key_of[(o.span.start, o.span.end)] for o in doc_mentions)
                      if k != key and genre.get(k) == d.genre and k in dated and _before(dated[k], dated[key]))
        if older:
            facts.append(DocumentFact(document=key, replaces=older, evidence=(ev(d.start, d.end, docs_mod.EXTRACTOR),)))
    return facts


def _before(a: TimeValue, b: TimeValue) -> bool:
    return a.start is not None and b.start is not None and a.start < b.start


def _item_counts(a: Analysis, key_of, doc_mentions: list[Mention], ev) -> list[DocumentFact]:
    """``共涉及353项`` belongs to the one document of its sentence; ``不予处罚事项248项`` to the best-matching
    document of its sentence or of the sentence before (``其中``)."""
    text = a.article.text
    out = []
    previous: list[Mention] = []
    starts = [m.span.start for m in doc_mentions]
    for s, e in a.sentences:
        here = doc_mentions[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
        scope = here or (previous if text[s:s + 2] == "其中" or "其中" in text[s:e] else [])
        counts = docs_mod.find_item_counts(text, s, e)
        keys = list(dict.fromkeys(key_of[(m.span.start, m.span.end)] for m in scope))
        totals = [c for c in counts if c.total]
        if totals and len(keys) == 1:
            c = totals[0]
            out.append(DocumentFact(document=keys[0], items=c.count, evidence=(ev(c.start, c.end, docs_mod.EXTRACTOR),)))
        elif not totals and len(keys) >= 2:
            names = {k: k.split(":", 1)[1] for k in keys}
            for c in counts:
                scored = sorted(((_overlap(c.label, names[k]), k) for k in keys), reverse=True)
                if scored[0][0] >= 2 and scored[0][0] > scored[1][0]:
                    out.append(DocumentFact(document=scored[0][1], items=c.count, evidence=(ev(c.start, c.end, docs_mod.EXTRACTOR),)))
        previous = here or previous
    return out


def _overlap(label: str, name: str) -> int:
    """Shared character bigrams: 从轻减轻处罚事项 ~ 涉企一般违法行为从轻减轻行政处罚清单."""
    grams = {label[i:i + 2] for i in range(len(label) - 1)}
    return sum(1 for i in range(len(name) - 1) if name[i:i + 2] in grams)
