"""Resolution: article-local entities become corpus entities with global, stable keys.

Candidates are blocked by type and normalised name (never all pairs), then joined
by named, versioned rules; every join of entities from two articles is recorded
as a :class:`kg.records.Merge` for the audit file, and a user's overrides
(``same-as`` / ``not-same-as``) are applied last.

Rules:

* ``place-code.v1``: places are the same when their division codes are.
* ``agency-name.v2``: agencies and organisations are the same when their full names
  are and their jurisdictions (division codes) do not differ: bare forms such as 市司法局
  were already expanded through the article's place, so 苏州市司法局 and 常州市司法局 stay
  apart, and so do the 鼓楼区司法局 of 南京 and of 福州.
* ``agency-nameplate.v1``: a full name that is another's long form or nameplate
  (最高法 / 最高人民法院; 苏州市纪委监委 / 苏州市纪律检查委员会 + 苏州市监察委员会).
* ``person-shared-organization.v1``: the same name holding posts in the same body.
* ``person-shared-province.v2``: the same name in the same province (of the posts; of
  the article when there are none or only former ones, so 原苏州市市长 in a report from
  浙江 links the 苏州 and 浙江 tenures); homonyms in different provinces stay apart, and
  so do people holding current posts in two prefectures within :data:`CONCURRENT_DAYS`.
  A person placed only by the article joins its province's one candidate, none if it has two.
* ``person-rank-gap.v1`` (a refusal, audited as ``kept-apart``): the person rules above never join
  two clusters whose ranked posts (:func:`kg.ranks.post_rank`, ``kg/data/post_ranks.tsv``) drop by
  :data:`kg.ranks.RANK_GAP` or more from an earlier post to a later or concurrent one: 杭州市市长 (副省级)
  in 2020 and 宁波市市场监管局局长 (副厅级) in 2022 are two people; 县长 then 副市长 is a career.
  Posts without a rank are no evidence either way.
* ``person-name-only.v1``: the same name with no place context joins the one
  placed person of that name, if there is exactly one.
* ``document-title.v2``: the same normalised title (a national title's 中华人民共和国 is
  optional), unless the issuers are in different provinces and the title names no
  place (two provinces' 《行政执法证据指引》).

Keys hash the type, name and place of a cluster; clusters that agree on all three
(homonyms kept apart in one province) add their first member, so keys never collide.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from networkx.utils import UnionFind

from kg.errors import KgError
from kg.ids import stable_id
from kg.ranks import Ranks, add_ranks, body_level, post_rank, rank_gap
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
    TenureStatus,
)

_FULL_NAME_PREFIXES = ("中共", "中国", "中华", "国家", "全国", "中央", "最高", "国务院")
_STATE = "中华人民共和国"
CONCURRENT_DAYS = 183  # current posts in two prefectures this close in time belong to two people
Member = tuple[str, Entity]  # (doc_id, article-local entity)
KEPT_APART_RULES = frozenset({"person-rank-gap.v1"})  # audit rows of refusals, not joins


def normalize_title(name: str) -> str:
    """Title normalised for matching: NFKC, no quotation marks or spaces.

    >>> normalize_title("涉企“免罚轻罚”清单")
    '涉企免罚轻罚清单'
    >>> normalize_title("纲要（2021－2025年）")
    '纲要(2021-2025年)'
    """
    text = unicodedata.normalize("NFKC", name)
    return "".join(c for c in text if c not in "“”‘’\"' 　《》")


def normalize_name(name: str) -> str:
    """Names compared after NFKC and without spaces (沙 一 = 沙一)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass(frozen=True, slots=True)
class Override:
    """A user's decision: ``same_as`` or not, between two entity references.

    A reference is ``"<type>:<name>"`` (every entity of that name) or
    ``"<type>:<name>@<doc_id>"`` (the one in that article).
    """

    same: bool
    left: str
    right: str


def read_overrides(path: str | Path) -> list[Override]:
    """Overrides from a JSON Lines file of ``{"same_as": [A, B]}`` / ``{"not_same_as": [A, B]}``.

    Raises:
        KgError: on a line that is not one of those two forms (with its line number).
    """
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(line)
            (kind, pair), = obj.items()
            if kind not in ("same_as", "not_same_as") or len(pair) != 2:
                raise ValueError(kind)
            out.append(Override(kind == "same_as", str(pair[0]), str(pair[1])))
        except (ValueError, TypeError, AttributeError) as exc:
            raise KgError(f"{path}:{n}: expected {{\"same_as\": [A, B]}} or {{\"not_same_as\": [A, B]}} ({exc})") from exc
    return out


class _Clusters:
    """Union-find over members, remembering the rule that joined each pair."""

    def __init__(self, members: list[Member]) -> None:
        self.members = members
        self.uf: UnionFind = UnionFind(range(len(members)))
        self.joined: dict[int, tuple[int, str, str]] = {}  # member → (other member, rule, reason)
        self.refused: dict[int, tuple[int, str, str]] = {}  # member → (member of another article it was kept from, …)

    def join(self, a: int, b: int, rule: str, reason: str) -> None:
        if self.uf[a] != self.uf[b]:
            self.uf.union(a, b)
            self.joined.setdefault(b, (a, rule, reason))

    def refuse(self, a: int, b: int, rule: str, reason: str) -> None:
        if self.members[a][0] != self.members[b][0]:
            self.refused.setdefault(b, (a, rule, reason))

    def groups(self) -> list[list[int]]:
        return [sorted(g) for g in self.uf.to_sets()]


def resolve(extractions: Iterable[Extraction], overrides: Iterable[Override] = ()) -> Corpus:
    """Join article extractions into one corpus with global keys.

    Identical articles (the same ``doc_id``) are counted once and listed as
    problems of code ``resolve.duplicate-article``.
    """
    kept, problems = _unique_articles(extractions)
    members: list[Member] = [(ex.article.doc_id, ent) for ex in kept for ent in ex.entities]
    index = {(doc, ent.key): i for i, (doc, ent) in enumerate(members)}
    context = _PersonContext(kept, index)
    clusters = _Clusters(members)
    _join_places_and_agencies(clusters)
    _join_persons(clusters, context)
    _join_documents(clusters, kept, index)
    _apply_overrides(clusters, list(overrides))

    local_to_global: dict[tuple[str, str], Key] = {}
    entities: list[Entity] = []
    merges: list[Merge] = []
    groups = clusters.groups()
    keys = _cluster_keys(groups, members, context)
    for g, key in zip(groups, keys):
        for i in g:
            doc, ent = members[i]
            local_to_global[(doc, ent.key)] = key
    for g, key in sorted(zip(groups, keys), key=lambda x: x[1]):
        entities.append(_merge_group(key, [members[i] for i in g], local_to_global))
        for i in g:
            if i in clusters.joined:
                other, rule, reason = clusters.joined[i]
                doc, ent = members[i]
                odoc = members[other][0]
                if doc != odoc:
                    merges.append(Merge(into=key, member=f"{doc}#{ent.key}", rule=rule, reason=reason))
    for i, (other, rule, reason) in sorted(clusters.refused.items()):
        if clusters.uf[i] != clusters.uf[other]:  # an override may have joined them after all
            (doc, ent), (odoc, oent) = members[i], members[other]
            merges.append(Merge(into=local_to_global[(doc, ent.key)], member=Key(f"{doc}#{ent.key}"), rule=rule,
                                reason=f"kept apart from {local_to_global[(odoc, oent.key)]} ({odoc}#{oent.key}): {reason}"))
    return _facts(kept, local_to_global, entities, merges, problems)


def _unique_articles(extractions: Iterable[Extraction]) -> tuple[list[Extraction], list[Problem]]:
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    kept: list[Extraction] = []
    for ex in sorted(extractions, key=lambda e: (e.article.doc_id, e.article.source_path, e.article.source_line or 0)):
        doc = ex.article.doc_id
        if doc in articles:
            first = articles[doc]
            problems.append(Problem(code="resolve.duplicate-article", message=f"same text as {first.source_path or doc}; counted once",
                                    path=ex.article.source_path, line=ex.article.source_line, doc_id=doc))
            continue
        articles[doc] = ex.article
        kept.append(ex)
        problems.extend(ex.problems)
    return kept, problems


def _join_places_and_agencies(clusters: _Clusters) -> None:
    """Places by division code; agencies by name within one jurisdiction; then nameplates."""
    places: dict[str, int] = {}
    orgs: dict[str, list[int]] = defaultdict(list)
    for i, (doc, ent) in enumerate(clusters.members):
        if ent.type is EntityType.PLACE:
            block = ent.code or normalize_name(ent.name)
            if block in places:
                first = places[block]
                clusters.join(first, i, "place-code.v1", f"place {ent.name!r} in {doc} = "
                              f"{clusters.members[first][1].name!r} in {clusters.members[first][0]}")
            else:
                places[block] = i
        elif ent.type in (EntityType.AGENCY, EntityType.ORGANIZATION):
            orgs[normalize_name(ent.name)].append(i)
    for name, ids in orgs.items():  # 鼓楼区司法局 of 南京 (320106) and of 福州 (350102) stay apart
        homes = {i: {clusters.members[i][1].code} - {""} for i in ids}
        _join_by_home(clusters, ids, homes, "agency-name.v2", "agency-name.v2", repr(name))
    first: dict[str, dict[str, int]] = defaultdict(dict)  # name → jurisdiction code ("" none) → first member
    for name, ids in orgs.items():
        for i in ids:
            first[name].setdefault(clusters.members[i][1].code, i)
    for i, (doc, ent) in enumerate(clusters.members):  # nameplates and long forms
        if ent.type not in (EntityType.AGENCY, EntityType.ORGANIZATION):
            continue
        for alias in ent.aliases:
            other = _in_jurisdiction(first.get(normalize_name(alias), {}), ent.code)
            if other is not None and _is_full_name(alias):
                clusters.join(other, i, "agency-nameplate.v1",
                              f"{alias!r} is a long form or nameplate of {ent.name!r} ({doc})")


def _in_jurisdiction(by_code: dict[str, int], code: str) -> int | None:
    """The member of that code, else one without a code, else (for no code) the only coded one."""
    if code in by_code or "" in by_code:
        return by_code.get(code, by_code.get(""))
    return next(iter(by_code.values())) if not code and len(by_code) == 1 else None


def _is_full_name(name: str) -> bool:
    from kg.gazetteer import load_places

    if name.startswith(_FULL_NAME_PREFIXES):
        return True
    index = load_places()
    return any(index.candidates(name[:k]) for k in range(2, min(len(name), 9)))


_Posts = dict[str, tuple[_dt.date, _dt.date]]  # prefecture code prefix → first and last date of current posts there



class _PersonContext:
    """Where each article-local person is: the bodies of its posts and their provinces, or the article's province."""

    def __init__(self, kept: list[Extraction], index: dict[tuple[str, str], int]) -> None:
        self.orgs: dict[int, set[str]] = defaultdict(set)
        self.provinces: dict[int, set[str]] = defaultdict(set)
        self.posts: dict[int, _Posts] = defaultdict(dict)
        self.ranks: dict[int, Ranks] = defaultdict(dict)
        self.former_only: set[int] = set()
        self.article_province: dict[str, str] = {}
        for ex in kept:
            doc = ex.article.doc_id
            codes = {e.key: e.code for e in ex.entities if e.code}
            names = {e.key: normalize_name(e.name) for e in ex.entities}
            provinces = Counter({e.code[:2] + "0000": len(e.evidence) for e in ex.entities
                                 if e.type is EntityType.PLACE and e.code})
            if provinces:
                self.article_province[doc] = sorted(provinces, key=lambda c: (-provinces[c], c))[0]
            statuses: dict[int, set[TenureStatus]] = defaultdict(set)
            for t in ex.tenures:
                i = index.get((doc, t.person))
                if i is None:
                    continue
                statuses[i].add(t.status)
                code = codes.get(t.organization, "") if t.organization else ""
                name = names.get(t.organization, t.organization) if t.organization else ""
                when = t.time.start if t.time and t.time.start else ex.article.date
                rank = post_rank(t.role, body_level(code, name), name)
                if rank is not None and t.status is TenureStatus.CURRENT and when:  # 时任 and 原 posts have no date of their own
                    post = f"{name}{t.role}" if name else t.role
                    self.ranks[i] = add_ranks(self.ranks[i], {rank: (when, post, when, post)})
                if t.organization is None:
                    continue
                self.orgs[i].add(f"{name} ({code})" if code else name)
                if code:
                    self.provinces[i].add(code[:2] + "0000")
                if code[2:4] not in ("", "00") and t.status is TenureStatus.CURRENT and when:
                    self.posts[i] = _add_posts(self.posts[i], {code[:4]: (when, when)})
            self.former_only.update(i for i, s in statuses.items() if s == {TenureStatus.FORMER})

    def home(self, i: int, doc: str) -> str:
        """The province code that places a person ("" when nothing does); part of its key."""
        if self.provinces.get(i):
            return sorted(self.provinces[i])[0]
        return self.article_province.get(doc, "")

    def homes(self, i: int, doc: str) -> set[str]:
        """Every province that places a person: those of its posts, and the article's when it has
        none or only former ones (原苏州市市长 in a report from 浙江 is at work in 浙江 now)."""
        homes = set(self.provinces.get(i, ()))
        if not homes or i in self.former_only:
            homes.add(self.article_province.get(doc, ""))
        return homes - {""}


def _add_posts(a: _Posts, b: _Posts) -> _Posts:
    out = dict(a)
    for p, (first, last) in b.items():
        old = out.get(p, (first, last))
        out[p] = (min(old[0], first), max(old[1], last))
    return out


def _conflict(a: _Posts, b: _Posts) -> bool:
    """Current posts in two prefectures within :data:`CONCURRENT_DAYS` of each other: two people, not one.

    >>> d = _dt.date
    >>> _conflict({"3205": (d(2022, 3, 1), d(2022, 3, 1))}, {"3201": (d(2022, 3, 20), d(2022, 3, 20))})
    True
    >>> _conflict({"3205": (d(2019, 6, 1), d(2021, 9, 1))}, {"3201": (d(2023, 1, 9), d(2023, 1, 9))})
    False
    """
    gap = _dt.timedelta(days=CONCURRENT_DAYS)
    return any(pa != pb and fa - gap <= lb and fb - gap <= la for pa, (fa, la) in a.items() for pb, (fb, lb) in b.items())


class _PersonJoins:
    """Joins within one name block, refused when the two clusters' current local posts conflict
    (:func:`_conflict`) or their ranks drop (:func:`_rank_gap`, recorded for the audit)."""

    def __init__(self, clusters: _Clusters, ids: list[int], context: _PersonContext) -> None:
        self.clusters = clusters
        self.posts: dict[int, _Posts] = defaultdict(dict)  # cluster root → its current local posts
        self.ranks: dict[int, Ranks] = defaultdict(dict)  # cluster root → its dated ranked posts
        for i in ids:
            root = clusters.uf[i]
            self.posts[root] = _add_posts(self.posts[root], context.posts.get(i, {}))
            self.ranks[root] = add_ranks(self.ranks[root], context.ranks.get(i, {}))

    def __call__(self, rep: int, i: int, rule: str, reason: str) -> bool:
        """Join ``i``'s cluster to ``rep``'s unless they conflict; True when they are (now) one."""
        a, b = self.clusters.uf[rep], self.clusters.uf[i]
        if a == b:
            return True
        if _conflict(self.posts[a], self.posts[b]):
            return False
        gap = rank_gap(self.ranks[a], self.ranks[b])
        if gap:
            self.clusters.refuse(rep, i, "person-rank-gap.v1", gap)
            return False
        self.clusters.join(rep, i, rule, reason)
        root = self.clusters.uf[i]
        posts, ranks = _add_posts(self.posts.pop(a), self.posts.pop(b)), add_ranks(self.ranks.pop(a), self.ranks.pop(b))
        self.posts[root], self.ranks[root] = posts, ranks
        return True


def _join_persons(clusters: _Clusters, context: _PersonContext) -> None:
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, (doc, ent) in enumerate(clusters.members):
        if ent.type is EntityType.PERSON:
            blocks[normalize_name(ent.name)].append(i)
    for name, ids in blocks.items():
        try_join = _PersonJoins(clusters, ids, context)
        by_org: dict[str, list[int]] = defaultdict(list)
        for i in ids:
            for org in sorted(context.orgs.get(i, ())):
                reason = f"{name!r} holds a post in {org!r}"
                if not any(try_join(r, i, "person-shared-organization.v1", reason) for r in by_org[org]):
                    by_org[org].append(i)
        _join_person_homes(clusters, ids, context, try_join, repr(name))


def _join_person_homes(clusters: _Clusters, ids: list[int], context: _PersonContext, try_join: _PersonJoins,
                       what: str) -> None:
    """Same name, same province, unless :class:`_PersonJoins` refuses; placed people first,
    then those placed only by the article, who join a province's one candidate (none if it has two)."""
    homes = {i: context.homes(i, clusters.members[i][0]) for i in ids}
    reps: dict[str, list[int]] = defaultdict(list)
    for i in (i for i in ids if homes[i] and context.posts.get(i)):
        for home in sorted(homes[i]):
            if not any(try_join(r, i, "person-shared-province.v2", f"{what} in {home} in both") for r in reps[home]):
                reps[home].append(i)
    for i in (i for i in ids if homes[i] and not context.posts.get(i)):
        for home in sorted(homes[i]):
            roots = {clusters.uf[r] for r in reps[home]}
            if not roots:
                reps[home].append(i)
            elif len(roots) == 1:
                try_join(reps[home][0], i, "person-shared-province.v2", f"{what} in {home} in both")
    placed = [r for home in sorted(reps) for r in reps[home]]
    _join_homeless(clusters, [i for i in ids if not homes[i]], placed, "person-name-only.v1", what, try_join)


def _join_documents(clusters: _Clusters, kept: list[Extraction], index: dict[tuple[str, str], int]) -> None:
    provinces: dict[int, set[str]] = defaultdict(set)
    for ex in kept:
        codes = {e.key: e.code for e in ex.entities if e.code}
        for fact in ex.documents:
            i = index.get((ex.article.doc_id, fact.document))
            if i is not None:
                provinces[i].update(codes[k][:2] for k in fact.issuers if codes.get(k))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, (_, ent) in enumerate(clusters.members):
        if ent.type is EntityType.DOCUMENT:
            blocks[national_title(normalize_title(ent.name))].append(i)
    for title, ids in blocks.items():
        placed = _is_full_name(title)  # 苏州市…清单 names its place: one document whoever cites it
        homes = {i: set() if placed else {",".join(sorted(provinces.get(i, ())))} - {""} for i in ids}
        _join_by_home(clusters, ids, homes, "document-title.v2", "document-title.v2", f"title {title!r}")


def national_title(title: str) -> str:
    """A national title without its optional 中华人民共和国 (reports cite 《行政处罚法》, 《政府信息公开条例》).

    >>> national_title("中华人民共和国行政处罚法"), national_title("中华人民共和国"), national_title("江苏省安全生产条例")
    ('行政处罚法', '中华人民共和国', '江苏省安全生产条例')
    """
    return title[len(_STATE):] if title.startswith(_STATE) and len(title) > len(_STATE) + 1 else title


def _join_by_home(clusters: _Clusters, ids: list[int], homes: dict[int, set[str]], rule: str, weak_rule: str,
                  what: str) -> None:
    """Join members of one name block that share a home; homeless ones join the only placed cluster, if there is one."""
    first: dict[str, int] = {}
    for i in ids:
        for home in sorted(homes[i]):
            if home in first:
                clusters.join(first[home], i, rule, f"{what} in {home} in both")
            else:
                first[home] = i
    _join_homeless(clusters, [i for i in ids if not homes[i]], list(first.values()), weak_rule, what)


def _join_homeless(clusters: _Clusters, homeless: list[int], placed: list[int], rule: str, what: str,
                   join: Callable[[int, int, str, str], object] | None = None) -> None:
    join = join or clusters.join
    for i in homeless[1:]:
        join(homeless[0], i, rule, f"{what}, no place context in either")
    if homeless and len({clusters.uf[j] for j in placed}) == 1:
        join(placed[0], homeless[0], rule, f"{what}: the only placed one is {clusters.members[placed[0]][0]}'s")


def _matches(ref: str, member: Member) -> bool:
    doc, ent = member
    ref_type, _, rest = ref.partition(":")
    name, _, ref_doc = rest.partition("@")
    return ent.type.value == ref_type and normalize_name(ent.name) == normalize_name(name) and (not ref_doc or ref_doc == doc)


def _apply_overrides(clusters: _Clusters, overrides: list[Override]) -> None:
    for o in overrides:
        left = [i for i, m in enumerate(clusters.members) if _matches(o.left, m)]
        right = [i for i, m in enumerate(clusters.members) if _matches(o.right, m)]
        if not left or not right:
            continue
        if o.same:
            for i in right:
                clusters.join(left[0], i, "override.same-as", f"user: {o.left} same as {o.right}")
            continue
        # not-same-as: rebuild the union-find without joins between the two sides
        forbidden = set(right)
        old = clusters.uf
        clusters.uf = UnionFind(range(len(clusters.members)))
        for b, (a, rule, reason) in sorted(clusters.joined.items()):
            if (b in forbidden) != (a in forbidden) and (a in left or b in left or old[a] == old[left[0]]):
                continue
            clusters.uf.union(a, b)
        for g in old.to_sets():
            g = sorted(g)
            for i in g[1:]:
                if (i in forbidden) == (g[0] in forbidden):
                    clusters.uf.union(g[0], i)
        clusters.joined = {b: v for b, v in clusters.joined.items() if clusters.uf[b] == clusters.uf[v[0]]}


def _cluster_keys(groups: list[list[int]], members: list[Member], context: _PersonContext) -> list[Key]:
    """One key per group; groups whose names and places agree (two 张伟 of 江苏 kept apart) are told
    apart by their first member, so no two entities ever share a key."""
    bases = [_key_basis([members[i] for i in g], context, g) for g in groups]
    seen = Counter(bases)
    return [Key(f"{b[0]}/{stable_id(*b, *(_member_ref(members[g[0]]) if seen[b] > 1 else ()))}")
            for b, g in zip(bases, groups)]


def _member_ref(member: Member) -> tuple[str, str]:
    doc, ent = member
    return (doc, ent.key)


def _key_basis(group: list[Member], context: _PersonContext, ids: list[int]) -> tuple[str, ...]:
    etype = group[0][1].type
    if etype is EntityType.PLACE and group[0][1].code:
        basis: tuple[str, ...] = (etype.value, group[0][1].code)
    elif etype is EntityType.DOCUMENT:
        basis = (etype.value, min(normalize_title(e.name) for _, e in group))
    elif etype is EntityType.PERSON:
        homes = sorted({context.home(i, doc) for i, (doc, _) in zip(ids, group)} - {""})
        basis = (etype.value, min(normalize_name(e.name) for _, e in group), homes[0] if homes else "")
    else:
        codes = sorted({e.code for _, e in group} - {""})
        basis = (etype.value, min(normalize_name(e.name) for _, e in group), *codes[:1])
    return basis


def _facts(kept: list[Extraction], local_to_global: dict[tuple[str, str], Key], entities: list[Entity],
           merges: list[Merge], problems: list[Problem]) -> Corpus:
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
        articles=tuple(ex.article for ex in kept),
        entities=tuple(entities),
        tenures=tuple(sorted(tenures, key=_fact_order)),
        documents=tuple(sorted(documents, key=_fact_order)),
        events=tuple(sorted(events, key=_fact_order)),
        quotations=tuple(sorted(quotations, key=_fact_order)),
        merges=tuple(sorted(merges, key=lambda m: (m.into, m.member))),
        problems=tuple(problems),
    )


def _fact_order(item: tuple[str, object]) -> tuple[str, int, str]:
    doc, fact = item
    evidence = getattr(fact, "evidence", ())
    start = evidence[0].span.start if evidence else -1
    return (doc, start, repr(fact))


def _merge_group(g: Key, group: list[Member], local_to_global: dict[tuple[str, str], Key]) -> Entity:
    """One corpus entity from its article-local members: the most frequent name wins the label."""
    names: Counter[str] = Counter()
    aliases: set[str] = set()
    evidence = []
    parents: Counter[Key] = Counter()
    roles: set[str] = set()
    codes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for doc, ent in group:
        names[ent.name] += 1
        aliases.update(ent.aliases)
        evidence.extend(ent.evidence)
        if ent.parent is not None:
            parents[local_to_global.get((doc, ent.parent), ent.parent)] += 1
        roles.update(ent.roles)
        if ent.code:
            codes[ent.code] += 1
        if ent.kind:
            kinds[ent.kind] += 1
    label = sorted(names, key=lambda n: (-names[n], len(n), n))[0]
    aliases.update(names)
    aliases.discard(label)
    parent = sorted(parents, key=lambda p: (-parents[p], p))[0] if parents else None
    evidence.sort(key=lambda e: (e.span.doc_id, e.span.start, e.span.end, e.extractor))
    return Entity(
        key=g, type=group[0][1].type, name=label, aliases=tuple(sorted(aliases)), evidence=tuple(dict.fromkeys(evidence)),
        parent=None if parent == g else parent, code=_top(codes), kind=_top(kinds), roles=tuple(sorted(roles)),
    )


def _top(counter: Counter[str]) -> str:
    return sorted(counter, key=lambda c: (-counter[c], c))[0] if counter else ""


def iter_audit(corpus: Corpus) -> Iterator[dict[str, str]]:
    """The audit records of ``resolution.jsonl``: one per join of entities of two articles (``decision``
    ``merged``), and one per member a refusal rule kept apart from another article's (``kept-apart``)."""
    labels = {e.key: e.name for e in corpus.entities}
    for m in corpus.merges:
        yield {"into": m.into, "label": labels.get(m.into, ""), "member": m.member, "rule": m.rule, "reason": m.reason,
               "decision": "kept-apart" if m.rule in KEPT_APART_RULES else "merged"}
