"""Places: administrative divisions named in an article, and the article's focus.

Names come from the gazetteer (full names, short forms such as 姑苏 and 太仓,
former names); an ambiguous name is resolved against the other places of the
article. The *focus* of an article is the province, prefecture and county it
is mostly about; it resolves 全市 / 全省 / 本市 and bare agency prefixes
(市司法局 in an article about 苏州 is 苏州市司法局).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from kg.extract.tagger import Token
from kg.gazetteer import Match, Place, PlaceIndex, PlaceLevel, TermMatcher

EXTRACTOR = "places.v1"

# 全市 / 本市 / 该市 / 我市: the article's own division of that level
_DEICTIC = re.compile(r"(?:全|本|该|我)(省|市|县|区)(?![委长政人民直级属辖])")
_LEVEL_OF_CHAR = {"省": PlaceLevel.PROVINCE, "市": PlaceLevel.PREFECTURE, "县": PlaceLevel.COUNTY,
                  "区": PlaceLevel.COUNTY, "州": PlaceLevel.PREFECTURE}


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    start: int
    end: int
    place: Place | None  # None: a place the gazetteer does not know (a foreign country, a street)
    name: str  # canonical: the division's full name, or the text as written
    deictic: bool = False  # 全市, 本省


@dataclass(frozen=True, slots=True)
class Foreign:
    """A foreign country as written (美国), or a one-character form fused with an organ word (美军)."""

    country: str  # full name: 美国
    organ: str = ""  # 军 in 美军; empty for a country name


@dataclass(slots=True)
class Focus:
    """The divisions an article is about, by level."""

    by_level: dict[PlaceLevel, Place] = field(default_factory=dict)

    def for_char(self, char: str) -> Place | None:
        """The focus division for a level character (市 → the focus prefecture, else a focus county-level city)."""
        level = _LEVEL_OF_CHAR.get(char)
        if level is None:
            return None
        place = self.by_level.get(level)
        if place is None and char == "市":
            county = self.by_level.get(PlaceLevel.COUNTY)
            if county is not None and county.name.endswith("市"):
                return county
        if place is not None and char in "县区" and not place.name.endswith(char):
            return None
        return place


def find_places(text: str, index: PlaceIndex) -> list[PlaceMatch]:
    """Gazetteer places in ``text``, ambiguous names resolved against the unambiguous ones."""
    matches = list(index.finditer(text))
    context = [m.candidates[0].code for m in matches if len(m.candidates) == 1]
    out = []
    for m in matches:
        place = m.candidates[0] if len(m.candidates) == 1 else index.resolve(m.name, context)
        if place is not None:
            out.append(PlaceMatch(m.start, m.end, place, place.name))
    return out


# tagger tags of words that name no place: verbs, adjectives, adverbs, numbers, function words (新建 v, 惠民 v)
_NOT_PLACE_TAGS = frozenset(("v", "vd", "vn", "a", "ad", "an", "d", "m", "q", "p", "c", "u", "r", "xc"))


def on_word_boundaries(text: str, matches: list[PlaceMatch], tokens: Sequence[Token]) -> list[PlaceMatch]:
    """The gazetteer matches that are words of the tagged text, not pieces of other words.

    A short form (an alias or former name) is dropped when a token crosses one of its ends
    (党务|和政|务: 和政 ends inside 政务; 市民|和: 民和 starts inside 市民), when it lies inside a
    person's name (王建华 holds 建华), or when it is a whole word the tagger reads as a verb,
    adjective or function word (新建、改扩建: 新建 is a verb). A short form inside a longer name
    or noun stays (南通|人). A full name always stays: the tagger often cuts around place names
    (厦门市思明|区委书记). Without tokens (no tagger) every match stays.

    >>> from kg.gazetteer import load_places
    >>> t = "党务和政务，王建华"
    >>> toks = [Token(0, 2, "党务", "n"), Token(2, 3, "和", "c"), Token(3, 5, "政务", "n"), Token(5, 6, "，", "w"),
    ...         Token(6, 9, "王建华", "PER")]
    >>> found = find_places(t, load_places())
    >>> [m.name for m in found], on_word_boundaries(t, found, toks)
    (['和政县', '建华区'], [])
    """
    if not tokens:
        return matches
    starts = [t.start for t in tokens]
    return [m for m in matches if m.place is None or m.deictic or text[m.start:m.end] == m.place.name
            or _is_word(m, tokens, starts)]


def _is_word(m: PlaceMatch, tokens: Sequence[Token], starts: list[int]) -> bool:
    first = bisect.bisect_right(starts, m.start) - 1
    last = bisect.bisect_left(starts, m.end) - 1
    if first < 0 or last < 0:
        return True
    head, tail = tokens[first], tokens[last]
    if head.start < m.start < head.end < m.end or m.start < tail.start < m.end < tail.end:
        return False  # a word crosses the start or the end of the match
    if head is tail and head.start <= m.start and m.end <= head.end:
        if head.tag == "PER" and head.text != m.name:
            return False  # part of a name (王建华), or a name that looks like a place (马龙): a person
        if head.tag in _NOT_PLACE_TAGS:
            return False
    return True


def article_focus(matches: list[PlaceMatch], index: PlaceIndex) -> Focus:
    """The most mentioned division of each level, counting a mention for its ancestors too.

    The divisions nest: the prefecture sets the province unless that province is named more
    than the prefecture (an article about 江苏 naming one county of 黑龙江 stays about 江苏; one
    about 成都 with a passing 北京 is about 四川), and the county lies in the prefecture.

    >>> from kg.gazetteer import load_places
    >>> places = load_places()
    >>> t = "江苏省召开会议，江苏省要求，齐齐哈尔市代表发言。"
    >>> focus = article_focus(find_places(t, places), places)
    >>> focus.for_char("省").name, focus.for_char("市")
    ('江苏省', None)
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in matches:
        if m.place is None:
            continue
        for p in (m.place, *index.ancestors(m.place.code)):
            counts[p.code] += 1 if p is m.place else 0.5  # type: ignore[assignment]
            first.setdefault(p.code, m.start)
    ranked: dict[PlaceLevel, list[Place]] = {level: [] for level in PlaceLevel}
    for code in sorted(counts, key=lambda c: (-counts[c], first[c], c)):
        place = index.by_code(code)
        if place is not None:
            ranked[place.level].append(place)
    province = next(iter(ranked[PlaceLevel.PROVINCE]), None)
    prefectures = ranked[PlaceLevel.PREFECTURE]
    if prefectures:
        top, chain = prefectures[0], index.ancestors(prefectures[0].code)
        if chain and (province is None or counts[top.code] >= counts[province.code]):
            province = chain[-1]
    prefecture = _first_within(prefectures, province, index)
    county = _first_within(ranked[PlaceLevel.COUNTY], prefecture or province, index)
    focus = Focus()
    for level, place in ((PlaceLevel.PROVINCE, province), (PlaceLevel.PREFECTURE, prefecture), (PlaceLevel.COUNTY, county)):
        if place is not None:
            focus.by_level[level] = place
    return focus


def _first_within(ranked: list[Place], above: Place | None, index: PlaceIndex) -> Place | None:
    """The first of ``ranked`` inside ``above`` (any, when ``above`` is None)."""
    return next((p for p in ranked if above is None or above in index.ancestors(p.code)), None)


def find_deictic_places(text: str, focus: Focus) -> list[PlaceMatch]:
    """全市 / 全省 / 本市 resolved to the article's focus division of that level."""
    out = []
    for m in _DEICTIC.finditer(text):
        place = focus.for_char(m.group(1))
        if place is not None:
            out.append(PlaceMatch(m.start(), m.end(), place, place.name, deictic=True))
    return out


# an address after a division chain: town, street and number, building, floor (上海市虹口区|甜爱支路23号2楼)
_HAN = "(?:(?![的地得和与及或在是了等对向从把被将为也都就并而但这那其该此每各有上下经过到至一二三四五六七八九十百千万几])[\u4e00-\u9fff])"
_NUMBER = r"(?:\d+(?:号院|号楼|号|弄|栋|幢))"
_ADDRESS = re.compile(
    rf"(?:{_HAN}{{2,4}}?(?:街道|镇|乡))?"
    rf"(?:(?P<street>{_HAN}{{2,5}}?(?:大街|大道|路|街|巷|胡同))(?:[东西南北中]段)?{_NUMBER}?|{_NUMBER})?"
    rf"(?P<building>{_HAN}{{0,8}}?(?:大厦|大楼|广场|商场|小区|公寓|步行街))?"
    rf"(?:\d+(?:层|楼|室))?(?:[东西南北]侧|[东西南北]门(?:[东西南北]侧)?|对面)?")
_ADDRESS_HINTS = frozenset("路街巷胡号厦楼场区寓")
# streets that are common words (公路, 线路, 铁路 …): a division before them is no address
_NOT_STREET = ("公路", "线路", "道路", "马路", "小路", "大路", "出路", "网路", "思路", "铁路", "水路", "陆路", "电路", "套路",
               "老路", "新路", "弯路", "高速公路", "小街", "商业街", "美食街")


def find_addresses(text: str, found: list[PlaceMatch]) -> list[PlaceMatch]:
    """Addresses written after a chain of divisions, as one place without a code.

    A chain of adjacent place names followed by a street, a number or a building is an address
    (上海市虹口区甜爱支路23号2楼, 长沙黄兴路步行街); a chain alone stays separate places.

    >>> from kg.gazetteer import load_places
    >>> t = "报名地点：上海市虹口区甜爱支路23号2楼。湖北省武汉市设立调解室。"
    >>> [a.name for a in find_addresses(t, find_places(t, load_places()))]
    ['上海市虹口区甜爱支路23号2楼']
    """
    starts = {m.start for m in found}
    start_of = {m.end: m.start for m in found}  # a chain's names, read from its end backwards
    out = []
    for m in found:
        if m.end in starts or _ADDRESS_HINTS.isdisjoint(text[m.start:m.end + 14]):
            continue  # not the end of a chain, or nothing like a street, number or building near
        start = m.start
        while start in start_of and start_of[start] < start:
            start = start_of[start]
        out += _address_at(text, start, m.start, m.end)
    return out


def _address_at(text: str, start: int, last: int, end: int) -> list[PlaceMatch]:
    """The address from ``start`` on, its street after the chain or starting at its last name (北京|西路)."""
    for at in (end, last) if last > start else (end,):
        m = _ADDRESS.match(text, at)
        if m is None or m.end() < end or m.end() == at or (m.group("street") or "").endswith(_NOT_STREET):
            continue
        street, building = m.group("street"), m.group("building") or ""
        if street or len(building) >= 4:  # a town, a number or a bare 广场 after a division is no address
            return [PlaceMatch(start, m.end(), None, text[start:m.end()])]
    return []


def _data_lines(name: str) -> list[list[str]]:
    """Tab-separated rows of ``kg/data/<name>`` after its header (``#`` lines are comments)."""
    text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return rows[1:] if name.endswith(".tsv") else rows


@functools.cache
def foreign_organs() -> dict[str, tuple[str, str]]:
    """Organ words of foreign states (``kg/data/foreign_organs.tsv``): word → (kind, after)."""
    return {row[0]: (row[1], row[2]) for row in _data_lines("foreign_organs.tsv")}


@functools.cache
def _foreign_matcher() -> TermMatcher[Foreign]:
    terms: dict[str, Foreign] = {}
    organs = foreign_organs()
    for row in _data_lines("countries.tsv"):
        name, short = (row + [""])[:2]
        terms[name] = Foreign(name)
        if short:
            terms.update({short + word: Foreign(name, word) for word, (_, after) in organs.items() if after != "full"})
    return TermMatcher(terms, blockers=[row[0] for row in _data_lines("country_blockers.txt")])


def find_foreign(text: str) -> list[Match[Foreign]]:
    """Countries (美国) and fused forms (美军, 俄海军) in ``text``, left to right.

    >>> [(m.name, m.candidates.organ) for m in find_foreign("美军和俄罗斯海军在内蒙古")]
    [('美军', '军'), ('俄罗斯', '')]
    """
    return list(_foreign_matcher().finditer(text))


def country_places(foreign: list[Match[Foreign]], known: list[PlaceMatch]) -> list[PlaceMatch]:
    """Country names as places without a code, except inside a division name the gazetteer matched."""
    taken = {i for p in known for i in range(p.start, p.end)}
    return [PlaceMatch(m.start, m.end, None, m.name) for m in foreign
            if not m.candidates.organ and m.start not in taken and m.end - 1 not in taken]
