"""Agencies: party and state bodies named by the organ-name grammar.

An agency name is a place prefix followed by one or more organ words::

    苏州市 | 纪委监委            place + organ
    苏州   | 市委 | 依法治市办    place alias + organ + unit (parent: 苏州市委)
    市     | 司法局              bare level prefix: the article's focus city
    江苏省 | 人民政府 | 办公厅   organ + unit (parent: 江苏省人民政府)

Central bodies (国务院, 最高人民法院, 最高法 …) come from the lexicon. The
canonical name writes the division in full (苏州市司法局); the form as written
and the long forms of abbreviations (纪委监委 → 纪律检查委员会 + 监察委员会)
are kept as aliases.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.extract.places import Focus, Foreign, PlaceMatch, foreign_organs
from kg.gazetteer import Lexicon, Match, OrganKind, Place, PlaceIndex

EXTRACTOR = "agencies.v1"

LEVEL_CHARS = "省市县区州"
_JOINERS = set("、和与及同由对向从在是为把将被经,，。；;：: “”\n（）()《》")
_CENTRAL_PREFIXES = ("中共中央", "全国人大", "全国政协", "中央", "国务院", "国家", "最高人民")
_PARTY_PREFIX = "中共"


@dataclass(frozen=True, slots=True)
class AgencyMatch:
    start: int
    end: int
    name: str  # canonical: 苏州市司法局
    kind: str  # OrganKind value
    place: Place | None  # the division whose body this is
    aliases: tuple[str, ...] = ()  # long forms of abbreviations
    parent: str = ""  # canonical name of the body it is a unit of
    parent_kind: str = ""
    central: bool = False


def find_agencies(text: str, lexicon: Lexicon, places: list[PlaceMatch], index: PlaceIndex,
                  focus: Focus) -> list[AgencyMatch]:
    """Agencies in ``text``, left to right, non-overlapping."""
    out: list[AgencyMatch] = []
    ends = {m.end: m for m in places}
    central = list(lexicon.finditer_central(text))
    taken: list[tuple[int, int]] = []
    for m in central:
        if m.name.startswith("党") and m.start > 0 and "\u4e00" <= text[m.start - 1] <= "\u9fff":
            continue  # 致公|党中央: another party's central committee, not the CPC's
        if _departments(text, m):
            continue
        body = m.candidates
        end, units = _chain(text, lexicon, m.end)
        name = body.name + text[m.end:end]
        parent = body.name if units else ""
        start = m.start - 2 if text[m.start - 2:m.start] == "中国" and not m.name.startswith("中国") else m.start  # 中国|证监会
        out.append(AgencyMatch(start, end, name, _kind_of(units[-1], lexicon) if units else body.kind.value,
                               None, (text[start:end],) if text[start:end] != name else (), parent,
                               body.kind.value if units else "", central=True))
        taken.append((start, end))
    organs = [m for m in lexicon.finditer_organs(text) if not _inside(m.start, m.end, taken) and not _departments(text, m)]
    i = 0
    while i < len(organs):
        first = organs[i]
        words = [first.name]
        end = first.end
        j = i + 1
        while j < len(organs) and organs[j].start == end:
            words.append(organs[j].name)
            end = organs[j].end
            j += 1
        i = j
        if len(words) > 1 and _starts_post(text, end - len(words[-1]), words[-1], lexicon):
            end -= len(words.pop())  # 公安局|党委书记: the body's party committee names a post of the body
        match = _with_prefix(text, first.start, end, words, lexicon, ends, index, focus)
        if match is not None:
            out.append(match)
    return sorted(out, key=lambda a: a.start)


# 美国|驻华大使馆, 日本|驻上海总领事馆: a mission named by where it is
_MISSION = re.compile(r"驻[\u4e00-\u9fff]{1,8}?(?:总领事馆|领事馆|大使馆|使馆|代表处|代表团)")


def find_foreign_agencies(text: str, foreign: list[Match[Foreign]]) -> list[AgencyMatch]:
    """State bodies of foreign countries: a country and an organ word (美国国务院, 印度空军, 美军).

    >>> from kg.extract.places import find_foreign
    >>> text = "美军与印度空军、美国驻华大使馆"
    >>> [a.name for a in find_foreign_agencies(text, find_foreign(text))]
    ['美军', '印度空军', '美国驻华大使馆']
    """
    out = []
    organs = foreign_organs()
    for m in foreign:
        country = m.candidates.country
        if m.candidates.organ:
            organ = m.candidates.organ
            name = m.name if organ == "军" else country + organ
            out.append(_foreign(m.start, m.end, name, organs[organ][0], m.name))
            continue
        mission = _MISSION.match(text, m.end)
        if mission is not None:
            out.append(_foreign(m.start, mission.end(), country + mission.group(), "government", text[m.start:mission.end()]))
        elif (word := _organ_after(text, m.end)) is not None:
            out.append(_foreign(m.start, m.end + len(word), country + word, organs[word][0], text[m.start:m.end + len(word)]))
    return out


def _foreign(start: int, end: int, name: str, kind: str, written: str) -> AgencyMatch:
    return AgencyMatch(start, end, name, kind, None, (written,) if written != name else ())


@functools.cache
def _foreign_by_first() -> dict[str, tuple[str, ...]]:
    """Organ words after a full country name, by first character, longest first."""
    by_first: dict[str, list[str]] = {}
    for word, (_, after) in foreign_organs().items():
        if after != "short":
            by_first.setdefault(word[0], []).append(word)
    return {c: tuple(sorted(words, key=len, reverse=True)) for c, words in by_first.items()}


def _organ_after(text: str, at: int) -> str | None:
    for word in _foreign_by_first().get(text[at:at + 1], ()):
        if text.startswith(word, at):
            return word
    return None


def _with_prefix(text: str, start: int, end: int, words: list[str], lexicon: Lexicon,
                 place_ends: dict[int, PlaceMatch], index: PlaceIndex, focus: Focus) -> AgencyMatch | None:
    """The agency ending at ``end`` whose organ words start at ``start``, if a prefix names its division."""
    place: Place | None = None
    prefix_start = start
    if start in place_ends and place_ends[start].place is not None:
        pm = place_ends[start]
        place, prefix_start = pm.place, pm.start
    elif words[0][0] in LEVEL_CHARS and (pm := place_ends.get(start + 1)) is not None and \
            pm.place is not None and pm.place.name.endswith(words[0][0]) and pm.start < start:
        place, prefix_start = pm.place, pm.start  # 苏州市|委 read as 苏州 + 市委
    elif words[0][0] in LEVEL_CHARS and _bare(text, start):
        place = focus.for_char(words[0][0])  # 市委 at the start of a phrase: the focus city's
    elif start > 0 and text[start - 1] in LEVEL_CHARS and _bare(text, start - 1):
        place = focus.for_char(text[start - 1])
        prefix_start = start - 1
        words = [text[start - 1] + words[0], *words[1:]]
    else:
        return None
    if place is None:
        return None
    if prefix_start >= 2 and text[prefix_start - 2:prefix_start] == _PARTY_PREFIX:
        prefix_start -= 2
    body = "".join(words)
    name = _join(place.name, body)
    aliases = set()
    written = text[prefix_start:end]
    if written != name:
        aliases.add(written)
    last = words[-1]
    abbreviation = lexicon.abbreviation(last.lstrip(LEVEL_CHARS) if last[0] in LEVEL_CHARS and len(words) == 1 and
                                        lexicon.abbreviation(last) is None else last)
    if abbreviation is not None:
        prefix_name = _join(place.name, "".join(words[:-1])) if len(words) > 1 else place.name
        aliases.update(abbreviation.expand(prefix_name.removesuffix("委") if prefix_name.endswith("委") and
                                           "{place}委" in "".join(abbreviation.expansions) else prefix_name))
    aliases.discard(name)
    parent, parent_kind = _parent(place, words, lexicon)
    return AgencyMatch(prefix_start, end, name, _kind_of(last, lexicon), place, tuple(sorted(aliases)), parent, parent_kind)


# organ words whose first character is no level character (市场监管局, 市监局: 苏州市|市场监管局)
_NOT_LEVEL = ("市场", "市监")


def _join(place_name: str, body: str) -> str:
    """苏州市 + 市委依法治市办 → 苏州市委依法治市办; 苏州市 + 司法局 → 苏州市司法局.

    >>> _join("苏州市", "市委"), _join("苏州市", "市场监管局")
    ('苏州市委', '苏州市市场监管局')
    """
    if body and body[0] in LEVEL_CHARS and place_name.endswith(body[0]) and not body.startswith(_NOT_LEVEL):
        return place_name + body[1:]
    return place_name + body


def _parent(place: Place, words: list[str], lexicon: Lexicon) -> tuple[str, str]:
    if len(words) > 1:
        return _join(place.name, "".join(words[:-1])), _kind_of(words[-2], lexicon)
    organ = lexicon.organ(words[0].lstrip(LEVEL_CHARS)) or lexicon.organ(words[0])
    if organ is None or not organ.under:
        return "", ""
    if organ.under == "委员会":  # a party department: 组织部 of the 市委
        return _join(place.name, _committee_word(place)), OrganKind.PARTY.value
    return place.name + organ.under, OrganKind.GOVERNMENT.value


def _committee_word(place: Place) -> str:
    return place.name[-1] + "委" if place.name[-1] in LEVEL_CHARS else "委"


def _kind_of(word: str, lexicon: Lexicon) -> str:
    organ = lexicon.organ(word) or lexicon.organ(word.lstrip(LEVEL_CHARS))
    if organ is not None:
        return organ.kind.value
    abbreviation = lexicon.abbreviation(word)
    if abbreviation is not None:
        first = abbreviation.expansions[0]
        return OrganKind.PARTY.value if first.startswith("中共") else OrganKind.GOVERNMENT.value
    return OrganKind.GOVERNMENT.value


def _bare(text: str, at: int) -> bool:
    """A bare level character starts a phrase: nothing word-like before it (市司法局, 、市委)."""
    return at == 0 or text[at - 1] in _JOINERS or text[at - 2:at] in ("中共", "联合", "其中")


def _chain(text: str, lexicon: Lexicon, end: int) -> tuple[int, list[str]]:
    """Organ words directly after a body: 国务院 + 办公厅."""
    units: list[str] = []
    for m in lexicon.finditer_organs(text[end:end + 24]):
        if m.start != (0 if not units else sum(map(len, units))):
            break
        units.append(m.name)
    return end + sum(map(len, units)), units


def _starts_post(text: str, at: int, word: str, lexicon: Lexicon) -> bool:
    """A post title longer than ``word`` starts at ``at`` with it (党委|书记, 党组|成员).

    >>> from kg.gazetteer import load_lexicon
    >>> t = "市公安局党委书记、党委委员"
    >>> _starts_post(t, 4, "党委", load_lexicon()), _starts_post(t, 9, "党委", load_lexicon())
    (True, False)
    """
    return any(lexicon.post(text[at:at + k]) is not None for k in range(len(word) + 1, len(word) + 5))


def _departments(text: str, m: Match) -> bool:
    """公安部|门, 司法部|门: a 部 that starts 部门 names departments in general, not the ministry."""
    return m.name.endswith("部") and text.startswith("门", m.end)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)
