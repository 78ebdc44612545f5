"""The graph view of a corpus: a ``networkx.MultiDiGraph`` built from the records.

The records are the truth; the graph is a view for exploring and for the HTML,
GraphML and GEXF exports. Every edge has an explicit key so that parallel facts
(two tenures of one person in one body, two articles mentioning one agency) survive.
Attribute names are documented in ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from kg.ids import stable_id
from kg.records import Article, Corpus, Evidence

RELATION_LABELS = {
    "mentions": "提及",
    "member_of": "任职",
    "sub_organization_of": "隶属",
    "contained_in": "位于",
    "issued": "发布",
    "replaces": "取代",
    "actor": "参与",
    "about": "涉及",
    "place": "地点",
    "said": "发言",
    "author": "作者",
}

SENTENCE_CONTEXT = 120  # at most this many characters of the sentence on each side of an evidence span
_SENTENCE_END = "。！？!?\n"


def article_key(doc_id: str) -> str:
    return f"article/{doc_id}"


def to_networkx(corpus: Corpus) -> nx.MultiDiGraph:
    """The corpus as a directed multigraph (see docs/ARCHITECTURE.md for attributes).

    >>> from kg.records import Corpus
    >>> to_networkx(Corpus()).number_of_nodes()
    0
    """
    g = nx.MultiDiGraph()
    articles = {a.doc_id: a for a in corpus.articles}
    for a in corpus.articles:
        g.add_node(article_key(a.doc_id), type="article", label=a.headline or a.source_path or a.doc_id,
                   aliases=[], headline=a.headline, date=a.date.isoformat() if a.date else "",
                   path=a.source_path, url=a.url, evidence=[])
    tenures: dict[str, list[dict[str, str]]] = defaultdict(list)
    for doc, t in corpus.tenures:
        tenures[t.person].append({
            "role": t.role, "organization": t.organization or "", "status": t.status.value,
            "time": t.time.iso if t.time else "", "doc_id": doc,
        })
    for e in corpus.entities:
        attrs = {"type": e.type.value, "label": e.name, "aliases": list(e.aliases),
                 "evidence": _evidence(e.evidence, articles), "code": e.code, "kind": e.kind}
        if e.key in tenures:
            attrs["tenures"] = sorted(tenures[e.key], key=lambda t: (t["time"], t["role"], t["organization"]))
        g.add_node(e.key, **attrs)
        for doc in sorted({ev.span.doc_id for ev in e.evidence}):
            _edge(g, article_key(doc), e.key, "mentions", doc)
    labels = {e.key: e.name for e in corpus.entities}
    for e in corpus.entities:
        if e.parent and e.parent in g:
            _edge(g, e.key, e.parent, "contained_in" if e.type.value == "place" else "sub_organization_of", "")
    for doc, t in corpus.tenures:
        if t.organization:
            _edge(g, t.person, t.organization, "member_of", doc, time=t.time.iso if t.time else "",
                  role=t.role, label=f"{t.role}")
    issued: dict[str, str] = {}
    for doc, d in corpus.documents:
        if d.date is not None and d.date.iso:
            issued[d.document] = min(issued.get(d.document, d.date.iso), d.date.iso)
        for issuer in d.issuers:
            _edge(g, issuer, d.document, "issued", doc, time=d.date.iso if d.date else "")
        for old in d.replaces:
            _edge(g, d.document, old, "replaces", doc)
    for key, when in issued.items():
        if key in g:
            g.nodes[key]["time"] = when
    for doc, ev in corpus.events:
        g.add_node(ev.key, type="event", label=_event_label(ev, labels), aliases=[], event_type=ev.type.value,
                   time=ev.time.iso if ev.time else "", evidence=_evidence(ev.evidence, articles))
        _edge(g, article_key(doc), ev.key, "mentions", doc)
        for a in ev.actors:
            _edge(g, a, ev.key, "actor", doc)
        for d in ev.documents:
            _edge(g, ev.key, d, "about", doc)
        for p in ev.places:
            _edge(g, ev.key, p, "place", doc)
    for doc, q in corpus.quotations:
        key = f"quotation/{stable_id('quotation', doc, q.evidence[0].span.start)}"
        short = q.text if len(q.text) <= 24 else q.text[:23] + "…"
        g.add_node(key, type="quotation", label=f"“{short}”", aliases=[], text=q.text,
                   evidence=_evidence(q.evidence, articles))
        _edge(g, q.speaker, key, "said", doc)
        _edge(g, article_key(doc), key, "mentions", doc)
    return g


def _edge(g: nx.MultiDiGraph, u: str, v: str, relation: str, doc: str, **attrs: str) -> None:
    if u not in g or v not in g:
        return
    key = stable_id(relation, u, v, doc, sorted(attrs.items()), length=12)
    attrs.setdefault("label", RELATION_LABELS[relation])
    g.add_edge(u, v, key=key, relation=relation, doc_id=doc, **{"time": attrs.pop("time", ""), **attrs})


def _event_label(ev, labels: dict[str, str]) -> str:
    what = "、".join(labels.get(d, "") for d in ev.documents[:1])
    when = ev.time.text if ev.time else ""
    return f"{when} {ev.trigger}{what}".strip()


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence holding ``text[start:end]`` (cut at :data:`SENTENCE_CONTEXT` characters a side).

    >>> t = "第一句。时任苏州市市长李亚平说。第三句。"
    >>> a, b = sentence_around(t, 11, 14)
    >>> t[a:b]
    '时任苏州市市长李亚平说。'
    >>> t = "“要依法行政。”市长张伟说。"
    >>> a, b = sentence_around(t, 11, 13)
    >>> t[a:b]
    '市长张伟说。'
    """
    lo = max(0, start - SENTENCE_CONTEXT)
    cut = max(text.rfind(c, lo, start) for c in _SENTENCE_END)
    lo = cut + 1 if cut >= 0 else lo
    while lo < start and text[lo] in "”」』\" ":  # the closing mark of a quotation ends the sentence before
        lo += 1
    hi = min(len(text), end + SENTENCE_CONTEXT)
    stops = [i for c in _SENTENCE_END if (i := text.find(c, max(end - 1, start), hi)) >= 0]
    hi = min(stops) + 1 if stops else hi
    return lo, max(hi, end)


def _evidence(evidence: tuple[Evidence, ...], articles: dict[str, Article]) -> list[dict[str, object]]:
    out = []
    for ev in evidence:
        s = ev.span
        a = articles.get(s.doc_id)
        text = a.text if a else ""
        lo, hi = sentence_around(text, s.start, s.end)
        out.append({
            "doc_id": s.doc_id, "start": s.start, "end": s.end, "quote": s.text,
            "sentence": text[lo:hi], "offset": s.start - lo,
            "headline": a.headline if a else "", "date": a.date.isoformat() if a and a.date else "",
            "path": a.source_path if a else "", "extractor": ev.extractor,
        })
    return out
