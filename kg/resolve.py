"""Resolution: article-local entities become corpus entities with global, stable keys.

Each rule is named and versioned; every decision that joins entities of two
articles is recorded as a :class:`kg.records.Merge`, so a researcher can read why
two mentions became one node.

Rules (``*.v1``):

* ``place-code.v1``: places are the same when their division codes are.
* ``agency-name.v1``: agencies and organisations are the same when their full
  names are (bare forms such as 市司法局 were already expanded through the
  article's place by the extractor, so 苏州市司法局 and 常州市司法局 stay apart).
* ``person-name.v1``: persons are the same when their names are.
* ``document-title.v1``: documents are the same when their normalised titles are.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from kg.ids import stable_id
from kg.records import (
    Article,
    Corpus,
    DocumentFact,
    Entity,
    EntityType,
    Event,
    Extraction,
    Key,
    Merge,
    Problem,
    Quotation,
    Tenure,
)

RULES = {
    EntityType.PLACE: "place-code.v1",
    EntityType.AGENCY: "agency-name.v1",
    EntityType.ORGANIZATION: "agency-name.v1",
    EntityType.PERSON: "person-name.v1",
    EntityType.DOCUMENT: "document-title.v1",
}


def normalize_title(name: str) -> str:
    """Title normalised for matching: NFKC, no quotation marks or spaces.

    >>> normalize_title("涉企“免罚轻罚”清单")
    '涉企免罚轻罚清单'
    >>> normalize_title("纲要（2021－2025年）")
    '纲要(2021-2025年)'
    """
    text = unicodedata.normalize("NFKC", name)
    return "".join(c for c in text if c not in "“”‘’\"' 　《》")


def global_key(entity: Entity) -> Key:
    """The corpus-wide key of an article-local entity, ``"<type>/<16 hex>"``."""
    if entity.type is EntityType.PLACE and entity.code:
        basis: tuple[str, ...] = (entity.type.value, entity.code)
    elif entity.type is EntityType.DOCUMENT:
        basis = (entity.type.value, normalize_title(entity.name))
    else:
        basis = (entity.type.value, unicodedata.normalize("NFKC", entity.name))
    return Key(f"{entity.type.value}/{stable_id(*basis)}")


def resolve(extractions: Iterable[Extraction]) -> Corpus:
    """Join article extractions into one corpus with global keys.

    Identical articles (the same ``doc_id``) are counted once and listed as
    problems of code ``resolve.duplicate-article``.
    """
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    kept: list[Extraction] = []
    for ex in sorted(extractions, key=lambda e: (e.article.doc_id, e.article.source_path, e.article.source_line or 0)):
        doc = ex.article.doc_id
        if doc in articles:
            first = articles[doc]
            problems.append(Problem(
                code="resolve.duplicate-article",
                message=f"same text as {first.source_path or doc}; counted once",
                path=ex.article.source_path, line=ex.article.source_line, doc_id=doc,
            ))
            continue
        articles[doc] = ex.article
        kept.append(ex)
        problems.extend(ex.problems)

    local_to_global: dict[tuple[str, str], Key] = {}
    members: dict[Key, list[tuple[str, Entity]]] = defaultdict(list)
    for ex in kept:
        for ent in ex.entities:
            g = global_key(ent)
            local_to_global[(ex.article.doc_id, ent.key)] = g
            members[g].append((ex.article.doc_id, ent))

    entities: list[Entity] = []
    merges: list[Merge] = []
    for g in sorted(members):
        group = members[g]
        entities.append(_merge_group(g, group, local_to_global))
        if len({doc for doc, _ in group}) > 1:
            first_doc, first = group[0]
            for doc, ent in group[1:]:
                merges.append(Merge(
                    into=g, member=f"{doc}#{ent.key}", rule=RULES[ent.type],
                    reason=f"{ent.type.value} {ent.name!r} matches {first.name!r} of {first_doc}",
                ))

    def gk(doc: str, key: Key | None) -> Key | None:
        return None if key is None else local_to_global.get((doc, key), key)

    def gks(doc: str, keys: tuple[Key, ...]) -> tuple[Key, ...]:
        return tuple(sorted({gk(doc, k) for k in keys}))  # type: ignore[misc]

    tenures: list[tuple[str, Tenure]] = []
    documents: list[tuple[str, DocumentFact]] = []
    events: list[tuple[str, Event]] = []
    quotations: list[tuple[str, Quotation]] = []
    for ex in kept:
        doc = ex.article.doc_id
        for t in ex.tenures:
            tenures.append((doc, dataclasses.replace(t, person=gk(doc, t.person), organization=gk(doc, t.organization))))
        for d in ex.documents:
            documents.append((doc, dataclasses.replace(
                d, document=gk(doc, d.document), issuers=gks(doc, d.issuers), replaces=gks(doc, d.replaces))))
        for e in ex.events:
            key = Key(f"event/{stable_id('event', doc, e.key)}")
            events.append((doc, dataclasses.replace(
                e, key=key, actors=gks(doc, e.actors), documents=gks(doc, e.documents), places=gks(doc, e.places))))
        for q in ex.quotations:
            quotations.append((doc, dataclasses.replace(q, speaker=gk(doc, q.speaker))))

    return Corpus(
        articles=tuple(sorted(articles.values(), key=lambda a: a.doc_id)),
        entities=tuple(entities),
        tenures=tuple(sorted(tenures, key=_fact_order)),
        documents=tuple(sorted(documents, key=_fact_order)),
        events=tuple(sorted(events, key=_fact_order)),
        quotations=tuple(sorted(quotations, key=_fact_order)),
        merges=tuple(merges),
        problems=tuple(problems),
    )


def _fact_order(item: tuple[str, object]) -> tuple[str, int, str]:
    doc, fact = item
    evidence = getattr(fact, "evidence", ())
    start = evidence[0].span.start if evidence else -1
    return (doc, start, repr(fact))


def _merge_group(g: Key, group: list[tuple[str, Entity]], local_to_global: dict[tuple[str, str], Key]) -> Entity:
    """One corpus entity from its article-local members: the most frequent name wins the label."""
    names: dict[str, int] = defaultdict(int)
    aliases: set[str] = set()
    evidence = []
    parents: dict[Key, int] = defaultdict(int)
    roles: set[str] = set()
    code = kind = ""
    for doc, ent in group:
        names[ent.name] += 1
        aliases.update(ent.aliases)
        evidence.extend(ent.evidence)
        if ent.parent is not None:
            parents[local_to_global.get((doc, ent.parent), ent.parent)] += 1
        roles.update(ent.roles)
        code = code or ent.code
        kind = kind or ent.kind
    label = sorted(names, key=lambda n: (-names[n], len(n), n))[0]
    aliases.update(names)
    aliases.discard(label)
    parent = sorted(parents, key=lambda p: (-parents[p], p))[0] if parents else None
    if parent == g:
        parent = None
    evidence.sort(key=lambda e: (e.span.doc_id, e.span.start, e.span.end, e.extractor))
    return Entity(
        key=g, type=group[0][1].type, name=label, aliases=tuple(sorted(aliases)), evidence=tuple(evidence),
        parent=parent, code=code, kind=kind, roles=tuple(sorted(roles)),
    )
