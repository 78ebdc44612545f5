"""Gazetteer and lexicon: the places, organ words, posts and central bodies the extractor matches.

The data lives in ``kg/data`` (see its README for sources and licences); this module loads it
once (cached) and matches it with Aho-Corasick automata: longest match, non-overlapping, left
to right.

>>> places = load_places()
>>> [p.name for p in places.ancestors("320508")]
['苏州市', '江苏省']
>>> [(m.start, m.end, m.name) for m in places.finditer("江苏省苏州市姑苏区")]
[(0, 3, '江苏省'), (3, 6, '苏州市'), (6, 9, '姑苏区')]
>>> load_lexicon().abbreviation("纪委监委").expand("苏州市")
('苏州市纪律检查委员会', '苏州市监察委员会')
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Generic, NamedTuple, TypeVar

import ahocorasick

V = TypeVar("V")

MIN_MATCH_LENGTH = 2  # 1-character names (苏, 沪) are never matched


class PlaceLevel(StrEnum):
    PROVINCE = "province"  # 省, 自治区, 直辖市, 特别行政区
    PREFECTURE = "prefecture"  # 地级市, 地区, 自治州, 盟
    COUNTY = "county"  # 县, 县级市, 市辖区, 旗, 林区 …


_LEVEL_RANK = {PlaceLevel.PROVINCE: 0, PlaceLevel.PREFECTURE: 1, PlaceLevel.COUNTY: 2}


class OrganKind(StrEnum):
    PARTY = "party"
    GOVERNMENT = "government"
    DISCIPLINE = "discipline"  # 纪委监委
    COURT = "court"
    PROCURATORATE = "procuratorate"
    CONGRESS = "congress"
    CPPCC = "cppcc"
    DEPARTMENT = "department"


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """An administrative division: ``Place(code="320508", name="姑苏区", aliases=("姑苏",), …)``.

    ``parent`` is the code of the enclosing division ("" for provinces); former names are
    names the division had before a renaming or merger (襄樊 for 襄阳市).
    """

    code: str
    name: str
    level: PlaceLevel
    parent: str = ""
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.code) != 6 or not self.code.isdigit():
            raise ValueError(f"place code must have 6 digits: {self.code!r}")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the place goes by: full name first, then aliases, then former names."""
        return (self.name, *self.aliases, *self.former_names)


class Match(NamedTuple, Generic[V]):
    """A match of ``name`` at ``text[start:end]`` with the values stored for it."""

    start: int
    end: int
    name: str
    candidates: V


class TermMatcher(Generic[V]):
    """Longest, non-overlapping, left-to-right matching of a fixed set of terms.

    ``blockers`` are terms matched but never reported: a longer blocker hides the terms
    inside it (中山路 hides 中山).

    The automaton runs over UTF-8 bytes (seen as Latin-1 text) rather than characters: a trie
    of Chinese characters has thousands of branches at its root, which pyahocorasick scans
    linearly; over bytes no node has more than 256. UTF-8 lead bytes never equal continuation
    bytes, so every match starts on a character boundary.

    >>> matcher = TermMatcher({"苏州": 1, "苏州市": 2, "中山": 3}, blockers=["中山路"])
    >>> list(matcher.finditer("苏州市中山路"))
    [Match(start=0, end=3, name='苏州市', candidates=2)]
    """

    def __init__(self, terms: Mapping[str, V], blockers: Iterable[str] = ()) -> None:
        self._automaton = ahocorasick.Automaton()
        for blocker in blockers:
            self._add(blocker, None, blocked=True)
        for term, value in terms.items():
            if len(term) >= MIN_MATCH_LENGTH:
                self._add(term, value, blocked=False)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def _add(self, term: str, value: V | None, *, blocked: bool) -> None:
        key = _to_bytes(term)
        self._automaton.add_word(key, (term, value, blocked, len(key)))

    def __contains__(self, term: str) -> bool:
        found = self._automaton.get(_to_bytes(term), None)
        return found is not None and not found[2]

    def finditer(self, text: str) -> Iterator[Match[V]]:
        """Yield the matches in ``text``, left to right, with character offsets."""
        if self._empty:
            return
        raw = text.encode("utf-8", "surrogatepass")
        byte_pos = char_pos = 0  # a byte offset and the character offset it corresponds to
        for end, (term, value, blocked, size) in self._automaton.iter_long(raw.decode("latin-1")):
            if blocked:
                continue
            start = end + 1 - size
            char_pos += len(raw[byte_pos:start].decode("utf-8", "surrogatepass"))
            byte_pos = start
            yield Match(char_pos, char_pos + len(term), term, value)


def _to_bytes(text: str) -> str:
    """``text`` as UTF-8 bytes, one Latin-1 character per byte."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


class PlaceIndex:
    """Places by code and by name, with hierarchy and a matcher. Build with :func:`load_places`."""

    def __init__(self, places: Iterable[Place], stopwords: Iterable[str] = (), blockers: Iterable[str] = ()):
        self._by_code = {place.code: place for place in places}
        by_name: dict[str, list[Place]] = defaultdict(list)
        for place in self._by_code.values():
            for name in dict.fromkeys(place.names):
                by_name[name].append(place)
        self._by_name = {name: tuple(found) for name, found in by_name.items()}
        self._children: dict[str, list[str]] = defaultdict(list)
        for place in self._by_code.values():
            self._children[place.parent].append(place.code)
        self.stopwords = frozenset(stopwords)
        """Common words that are also place names or aliases (惠民, 和平): never matched."""
        terms = {name: found for name, found in self._by_name.items() if name not in self.stopwords}
        self._matcher: TermMatcher[tuple[Place, ...]] = TermMatcher(terms, blockers)

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._by_code.values())

    def by_code(self, code: str) -> Place | None:
        """The place with this 6-digit code, or None.

        >>> load_places().by_code("320500").name
        '苏州市'
        """
        return self._by_code.get(code)

    def candidates(self, name: str) -> tuple[Place, ...]:
        """Every place whose full name, alias or former name is ``name`` (in code order).

        >>> [p.code for p in load_places().candidates("朝阳")]
        ['110105', '211300', '211321', '220104']
        """
        return self._by_name.get(name, ())

    def children(self, code: str) -> tuple[Place, ...]:
        """The places directly under ``code``."""
        return tuple(self._by_code[c] for c in self._children.get(code, ()))

    def ancestors(self, code: str) -> tuple[Place, ...]:
        """The enclosing places of ``code``, nearest first (the place itself excluded).

        Raises:
            KeyError: if ``code`` is not a known place.
        """
        chain = []
        place = self._by_code[code]
        while place.parent:
            place = self._by_code[place.parent]
            chain.append(place)
        return tuple(chain)

    def resolve(self, name: str, context_codes: Iterable[str] = ()) -> Place | None:
        """The place ``name`` most likely refers to, given places already known in context.

        A candidate in the same province as a context place wins (an ancestor, descendant,
        sibling or the place itself); among several, the nearest in the division tree, then
        the higher level. Without such a candidate, a unique candidate is returned; else None.

        >>> places = load_places()
        >>> places.resolve("朝阳", ["110108"]).code, places.resolve("朝阳", ["210000"]).code
        ('110105', '211300')
        >>> places.resolve("朝阳") is None
        True
        """
        found = self.candidates(name)
        context = [code for code in dict.fromkeys(context_codes) if code in self._by_code]
        scored = []
        for place in found:
            distances = [d for code in context if (d := self._distance(place.code, code)) is not None]
            if distances:
                scored.append((min(distances), _LEVEL_RANK[place.level], place))
        if scored:
            scored.sort(key=lambda item: item[:2])
            if len(scored) == 1 or scored[0][:2] != scored[1][:2]:
                return scored[0][2]
            return None
        return found[0] if len(found) == 1 else None

    def _distance(self, code: str, other: str) -> int | None:
        """Steps between two places in the division tree, or None in different provinces."""
        lineage = (code, *(p.code for p in self.ancestors(code)))
        other_lineage = (other, *(p.code for p in self.ancestors(other)))
        common = next((c for c in lineage if c in other_lineage), None)
        if common is None:
            return None
        return lineage.index(common) + other_lineage.index(common)

    def finditer(self, text: str) -> Iterator[Match[tuple[Place, ...]]]:
        """Yield ``(start, end, name, candidates)`` for every place name in ``text``.

        Longest match, non-overlapping, left to right, over full names, aliases and former
        names; common words (城区, 和平) and compounds such as 中山路 are never reported.

        >>> [(m.name, len(m.candidates)) for m in load_places().finditer("在姑苏、太仓等地")]
        [('姑苏', 1), ('太仓', 1)]
        """
        return self._matcher.finditer(text)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganWord:
    """The organ part of a place-prefixed agency name: 司法局 in 苏州市司法局."""

    word: str
    kind: OrganKind
    branch: str  # party / government / congress … (a 组织部 is a party department)
    levels: tuple[str, ...]  # division levels that use this form; ("any",) for all
    under: str = ""  # the body it belongs to: 人民政府 for 司法局, 委员会 (the party committee) for 组织部


@dataclass(frozen=True, slots=True, kw_only=True)
class Abbreviation:
    """A short organ word and the full names it stands for (several for 两块牌子)."""

    abbreviation: str
    expansions: tuple[str, ...]  # templates with {place}

    def expand(self, place_name: str) -> tuple[str, ...]:
        """Full names for the division ``place_name``.

        >>> load_lexicon().abbreviation("依法治市办").expand("苏州市")
        ('中共苏州市委全面依法治市委员会办公室',)
        """
        return tuple(template.format(place=place_name) for template in self.expansions)


@dataclass(frozen=True, slots=True, kw_only=True)
class PostTitle:
    """A post and the rule for the organisation it belongs to.

    ``organ`` names the body directly (市长 → 人民政府 of the city before it); when empty,
    the post belongs to the nearest preceding organisation of one of ``kinds`` (empty: any
    kind) whose name ends with one of ``suffixes`` (empty: any name): 局长 → …局.
    """

    title: str
    kinds: tuple[OrganKind, ...]
    organ: str
    suffixes: tuple[str, ...]
    levels: tuple[str, ...]
    deputy: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CentralBody:
    """A central party or state body: 最高人民法院 (aliases 最高法), kind court."""

    name: str
    category: str  # 国务院组成部门, 直属机构, 国家机构 …
    kind: OrganKind
    aliases: tuple[str, ...]
    source: str  # gov-site-list, kg, or both


class Lexicon:
    """Organ words, abbreviations, posts, byline roles and central bodies, with matchers.

    Build with :func:`load_lexicon`.

    >>> lexicon = load_lexicon()
    >>> lexicon.organ("公安厅").levels, lexicon.post("市长").organ
    (('province',), '人民政府')
    >>> [(m.name, m.candidates.name) for m in lexicon.finditer_central("最高法、最高检联合发布")]
    [('最高法', '最高人民法院'), ('最高检', '最高人民检察院')]
    """

    def __init__(self, organs: Iterable[OrganWord], abbreviations: Iterable[Abbreviation],
                 posts: Iterable[PostTitle], byline_roles: Mapping[str, str], central: Iterable[CentralBody]):
        self.organs = {o.word: o for o in organs}
        self.abbreviations = {a.abbreviation: a for a in abbreviations}
        self.posts = {p.title: p for p in posts}
        self.byline_roles = dict(byline_roles)
        self.central_bodies = tuple(central)
        central_names = {n: body for body in self.central_bodies for n in (body.name, *body.aliases)}
        self._central = TermMatcher(central_names)
        self._organ = TermMatcher({w: w for w in (*self.organs, *self.abbreviations)})
        self._post = TermMatcher(self.posts)
        self._byline = TermMatcher(self.byline_roles)

    def organ(self, word: str) -> OrganWord | None:
        """The organ word ``word`` (full form), or None."""
        return self.organs.get(word)

    def abbreviation(self, word: str) -> Abbreviation | None:
        """The abbreviation ``word`` (纪委监委, 发改委), or None."""
        return self.abbreviations.get(word)

    def post(self, title: str) -> PostTitle | None:
        """The post ``title`` (市长, 检察长), or None."""
        return self.posts.get(title)

    def finditer_central(self, text: str) -> Iterator[Match[CentralBody]]:
        """Central bodies named in ``text`` by full name or alias."""
        return self._central.finditer(text)

    def finditer_organs(self, text: str) -> Iterator[Match[str]]:
        """Organ words and abbreviations in ``text``; the value is the word matched."""
        return self._organ.finditer(text)

    def finditer_posts(self, text: str) -> Iterator[Match[PostTitle]]:
        """Post titles in ``text`` (longest first: 市委书记 before 书记)."""
        return self._post.finditer(text)

    def finditer_bylines(self, text: str) -> Iterator[Match[str]]:
        """Byline roles in ``text``; the value is the role (本报记者 → 记者)."""
        return self._byline.finditer(text)


def _rows(name: str) -> list[dict[str, str]]:
    """Rows of a TSV in ``kg/data`` (``#`` lines are comments, the first other line the header)."""
    text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _lines(name: str) -> list[str]:
    text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#")]


def _split(value: str, separator: str = "|") -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(separator) if part.strip())


@cache
def load_places() -> PlaceIndex:
    """The administrative divisions of ``kg/data/places.tsv`` (loaded once)."""
    places = (
        Place(code=r["code"], name=r["name"], level=PlaceLevel(r["level"]), parent=r["parent"],
              aliases=_split(r["aliases"]), former_names=_split(r["former_names"]))
        for r in _rows("places.tsv")
    )
    return PlaceIndex(places, _lines("place_stopwords.tsv"), _lines("place_blockers.txt"))


@cache
def load_lexicon() -> Lexicon:
    """Organ words, abbreviations, posts, byline roles and central bodies (loaded once)."""
    organs = (
        OrganWord(word=r["word"], kind=OrganKind(r["kind"]), branch=r["branch"],
                  levels=_split(r["levels"], ","), under=r["under"])
        for r in _rows("organ_words.tsv")
    )
    abbreviations = (
        Abbreviation(abbreviation=r["abbreviation"], expansions=_split(r["expansions"], " + "))
        for r in _rows("abbreviations.tsv")
    )
    posts = (
        PostTitle(title=r["title"], kinds=tuple(OrganKind(k) for k in _split(r["kind"]) if k != "*"),
                  organ=r["organ"], suffixes=_split(r["suffix"]), levels=_split(r["levels"], ","),
                  deputy=r["deputy"] == "1")
        for r in _rows("posts.tsv")
    )
    roles = {r["surface"]: r["role"] for r in _rows("byline_roles.tsv")}
    central = (
        CentralBody(name=r["name"], category=r["category"], kind=OrganKind(r["kind"]),
                    aliases=_split(r["aliases"]), source=r["source"])
        for r in _rows("central_bodies.tsv")
    )
    return Lexicon(organs, abbreviations, posts, roles, central)
