"""Mentions: every typed span of an article, from the tagger, the gazetteers and the grammars.

Each source proposes spans; one pass keeps the non-overlapping ones by a fixed
priority (a 《》 title beats anything inside it; an agency name beats the place
in its prefix; a person beats a place-like name). The analysis keeps the richer
matches (places with codes, agencies with parents) for the later extractors.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from kg.extract import agencies, documents, officials, places
from kg.extract.agencies import AgencyMatch
from kg.extract.documents import DocumentMention
from kg.extract.officials import PostMatch
from kg.extract.places import Focus, PlaceMatch
from kg.extract.sentences import split_sentences
from kg.extract.tagger import Token, get_tagger
from kg.extract.timex import find_times
from kg.gazetteer import Lexicon, OrganKind, PlaceIndex, load_lexicon, load_places
from kg.records import Article, Mention, MentionType, Span, TimeValue

TAGGER = "lac.v1"
# a tagged organisation ending like this is a state body, with or without a place before it
_STATE_ENDINGS = ("政府", "局", "厅", "署", "法院", "检察院", "派出所", "看守所", "监狱", "警方", "公安", "军", "部队")
# ... ending like this, only after a place, a country or a central prefix (苏州市|委, 美国|国会)
_PREFIXED_ENDINGS = ("委", "办", "院", "部", "庭", "委员会", "办公室", "中心", "所", "队", "国会", "议会", "省")
# ... unless it ends like a company, school, hospital, club or team (厦门市第一医院, 上海申花足球队)
_NOT_STATE = ("公司", "集团", "医院", "学院", "大学", "研究院", "设计院", "研究所", "事务所", "俱乐部", "总部", "事业部",
              "营业部", "编辑部", "餐厅", "歌厅", "展厅", "大厅", "球队", "乐队", "车队", "舞蹈队", "电视台", "出版社",
              "政局", "格局", "布局", "结局", "大局", "时局", "骗局", "饭局")
_NOT_PERSON = re.compile(r"^(?:记者|通讯员|本报|新华社|人民|群众|企业|领导|干部)")
# tagger tags of words that are no names (adjectives, adverbs, verbs, numbers, function words)
_NOT_NAME_TAGS = frozenset(("a", "ad", "an", "d", "v", "vd", "vn", "m", "q", "p", "c", "u", "f", "r", "t", "s", "w", "xc",
                            "TIME", "LOC", "ORG"))
PRIORITY = {  # lower wins an overlap
    "title": 0, MentionType.AGENCY: 1, MentionType.PERSON: 2, "titled_name": 2.5, "tagged_org": 3, MentionType.ORGANIZATION: 3,
    MentionType.TIME: 4, MentionType.DOCUMENT: 5, MentionType.POST: 6, "post_suffix": 7, MentionType.PLACE: 8,
}


@dataclass(slots=True)
class Analysis:
    """Everything the extractors of one article share. Internal to ``kg.extract``."""

    article: Article
    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]
    tokens: list[list[Token]]
    places: list[PlaceMatch]
    focus: Focus
    agencies: list[AgencyMatch]
    documents: list[DocumentMention]
    times: list[tuple[int, int, TimeValue]]
    posts: list[PostMatch]
    mentions: list[Mention] = field(default_factory=list)
    place_of: dict[tuple[int, int], PlaceMatch] = field(default_factory=dict)
    agency_of: dict[tuple[int, int], AgencyMatch] = field(default_factory=dict)
    document_of: dict[tuple[int, int], DocumentMention] = field(default_factory=dict)
    time_of: dict[tuple[int, int], TimeValue] = field(default_factory=dict)


def analyse(article: Article, *, tagger: bool = True, index: PlaceIndex | None = None,
            lexicon: Lexicon | None = None, tagged: list[list[Token]] | None = None) -> Analysis:
    """Find every mention of ``article`` (see the module docstring for the rules).

    ``tagged`` are the tagger's tokens of each sentence of :func:`split_sentences`
    (offsets into the sentence), when the caller tagged many articles at once.
    """
    index = index or load_places()
    lexicon = lexicon or load_lexicon()
    text = article.text
    sentences = split_sentences(text)
    tokens: list[list[Token]] = []
    if tagger and sentences:
        if tagged is None:
            tagged = get_tagger().tag([text[a:b] for a, b in sentences])
        tokens = [[Token(t.start + a, t.end + a, t.text, t.tag) for t in toks] for (a, _), toks in zip(sentences, tagged)]
    flat = [t for toks in tokens for t in toks]
    found_places = places.on_word_boundaries(text, places.find_places(text, index), flat)
    headline_places = places.find_places(article.headline + article.kicker, index)
    focus = places.article_focus(headline_places + found_places, index)
    found_places += places.find_deictic_places(text, focus)
    foreign = places.find_foreign(text)
    found_places += places.country_places(foreign, found_places)
    found_places += _tagger_places(flat, index, {p.start: p.end for p in found_places if p.place is not None})
    addresses = places.find_addresses(text, found_places)
    found_agencies = _with_foreign(agencies.find_agencies(text, lexicon, found_places, index, focus),
                                   agencies.find_foreign_agencies(text, foreign))
    if flat:
        found_agencies = _widened(found_agencies, flat, text)
    found_places += addresses
    found_documents = documents.find_documents(text, sentences, tokens or [[] for _ in sentences],
                                               [(m.start, m.end) for m in found_places if not m.deictic])
    times = find_times(text, article.date)
    posts = officials.find_posts(text, lexicon)
    if flat:
        bounds = {t.start for t in flat} | {t.end for t in flat} | {p.end for p in found_places} | \
            {a.end for a in found_agencies}
        posts = [_aligned(p, bounds, lexicon) for p in posts]
        posts = [p for p in posts if p is not None]
    else:  # no word boundaries: a post may not start inside a place or agency name (湖南|省长|沙市)
        starts_by_end: dict[int, int] = {}  # end of a place or agency name → its earliest start
        for m in (*found_places, *found_agencies):
            starts_by_end[m.end] = min(m.start, starts_by_end.get(m.end, m.start))
        posts = [p for p in (_after_names(p, starts_by_end, lexicon) for p in posts) if p is not None]
    a = Analysis(article, sentences, _paragraphs(text, sentences), tokens, found_places, focus, found_agencies,
                 found_documents, times, posts)
    a.mentions = _select(a, flat, index, lexicon)
    return a


def _with_foreign(domestic: list[AgencyMatch], foreign: list[AgencyMatch]) -> list[AgencyMatch]:
    """Both lists, less the domestic names inside a foreign body's (国务院 in 美国国务院)."""
    if not foreign:
        return domestic
    kept = [a for a in domestic if not any(f.start <= a.start and a.end <= f.end for f in foreign)]
    return sorted(kept + foreign, key=lambda a: a.start)


_JOINER = re.compile("联合|会同|协同|和|与|及|、")  # between two bodies named together
# what a tagged organisation adds after an agency the grammar found: a unit of it (公安厅|经侦总队)
_UNIT_ENDINGS = ("司", "局", "处", "科", "室", "中心", "委员会", "办公室", "总队", "支队", "大队", "中队", "分局",
                 "研究所", "部队", "法院", "检察院", "政府")


def _widened(found: list[AgencyMatch], tokens: list[Token], text: str) -> list[AgencyMatch]:
    """Agencies grown to a tagged organisation that continues them with a unit (福建省公安厅|经侦总队).

    The unit is an agency under the one the grammar found. (A tagged name that puts a higher
    division before an agency, 四川省|成都市中级人民法院, is left to the grammar: the division is a place.)
    """
    by_start = {a.start: a for a in found}
    out = {(a.start, a.end): a for a in found}
    for t in tokens:
        if t.tag != "ORG" or (t.start, t.end) in out:
            continue
        inner = by_start.get(t.start)
        if inner is not None and inner.end < t.end and t.text.endswith(_UNIT_ENDINGS) \
                and not _JOINER.match(text, inner.end):  # 宁波市司法局|联合市税务局: a second body, no unit
            unit = text[inner.end:t.end]
            out.pop((inner.start, inner.end))
            out[(t.start, t.end)] = AgencyMatch(t.start, t.end, inner.name + unit, OrganKind.DEPARTMENT.value,
                                                inner.place, (), inner.name, inner.kind, inner.central)
    return sorted(out.values(), key=lambda a: a.start)


def _aligned(post: PostMatch, bounds: set[int], lexicon: Lexicon) -> PostMatch | None:
    """The post if it lies on word boundaries, else its longest suffix that does (杭州市委|副书记)."""
    if post.end not in bounds:
        return None
    if post.start in bounds:
        return post
    for cut in range(1, len(post.title) - 1):
        start = post.start + cut
        rule = lexicon.post(post.title[cut:])
        if start in bounds and rule is not None:
            return PostMatch(start, post.end, post.title[cut:], rule)
    return None


def _after_names(post: PostMatch, starts_by_end: dict[int, int], lexicon: Lexicon) -> PostMatch | None:
    """The post, or the part of it after a name it starts inside (江苏|省委书记 → 书记), or None."""
    end = max((e for e in range(post.start + 1, post.end) if starts_by_end.get(e, post.start) < post.start),
              default=None)
    if end is None:
        return post
    rule = lexicon.post(post.title[end - post.start:])
    return PostMatch(end, post.end, post.title[end - post.start:], rule) if rule is not None else None


# one-character forms of countries and regions that news fuse into pairs: 中美, 欧亚, 台港澳
_PLACE_INITIALS = frozenset("中美俄日韩朝英法德印澳欧亚非拉台港巴以伊越菲泰")


# what a tagged place adds to a division's name without naming another place (故城县|乡, 北京|地区)
_GENERIC_PLACE_TAILS = frozenset(("乡", "镇", "村", "地区", "一带", "境内", "市区", "城区", "郊区", "全境", "当地"))


def _tagger_places(tokens: list[Token], index: PlaceIndex, divisions: dict[int, int]) -> list[PlaceMatch]:
    """LOC tokens the gazetteer does not know (countries, regions): places without a code.

    A token made of one-character country forms (中美, 台港澳) is one place per character; one that
    is a division the gazetteer matched (``divisions``: start → end) and a generic tail is left to
    the gazetteer's match; a common word the gazetteer never matches (惠民资金) is no place.
    """
    out = []
    for t in tokens:
        if t.tag != "LOC" or len(t.text) < 2 or index.candidates(t.text) or t.text.isascii() or \
                t.text in index.stopwords:
            continue
        if t.start in divisions and t.text[divisions[t.start] - t.start:] in _GENERIC_PLACE_TAILS:
            continue
        if len(t.text) <= 4 and all(c in _PLACE_INITIALS for c in t.text):
            out += [PlaceMatch(t.start + i, t.start + i + 1, None, c) for i, c in enumerate(t.text)]
        else:
            out.append(PlaceMatch(t.start, t.end, None, t.text))
    return out


def _select(a: Analysis, tokens: list[Token], index: PlaceIndex, lexicon: Lexicon) -> list[Mention]:
    text = a.article.text
    doc = a.article.doc_id
    candidates: list[tuple[str, int, int, MentionType, str, str]] = []  # (priority, start, end, type, name, extractor)
    for d in a.documents:
        candidates.append(("title" if d.titled else MentionType.DOCUMENT, d.start, d.end, MentionType.DOCUMENT, d.name, documents.EXTRACTOR))
        a.document_of[(d.start, d.end)] = d
    for ag in a.agencies:
        candidates.append((MentionType.AGENCY, ag.start, ag.end, MentionType.AGENCY, ag.name, agencies.EXTRACTOR))
        a.agency_of[(ag.start, ag.end)] = ag
    for author in a.article.authors:
        if author.start is not None and author.end is not None:
            candidates.append((MentionType.PERSON, author.start, author.end, MentionType.PERSON, author.name, "byline.v1"))
    for t in tokens:
        if t.tag == "PER" and (person := _tagged_person(_completed(t, text), index)) is not None:
            candidates.append((MentionType.PERSON, person.start, person.end, MentionType.PERSON, person.text, TAGGER))
    for t in _tagged_orgs(tokens, text, index, lexicon):
        candidates.append(("tagged_org", t.start, t.end, _org_type(t.text, index), t.text, TAGGER))  # the grammar's agencies come first
    named = [(s, e, name) for prio, s, e, mtype, name, _ in candidates if mtype is MentionType.AGENCY and prio != "title"]
    for s, e, name in _bare_forms(text, named, a.places):
        candidates.append((MentionType.AGENCY, s, e, MentionType.AGENCY, name, agencies.EXTRACTOR))
    role_ends = [p.end for p in a.posts] + [m.end for m in lexicon.finditer_bylines(text)]
    tag_of = {(t.start, t.end): t.tag for t in tokens}
    for s, e in officials.find_titled_names(text, role_ends):
        if tag_of.get((s, e)) not in _NOT_NAME_TAGS:  # 负责人|平均 (a): the tagger read a common word
            candidates.append(("titled_name", s, e, MentionType.PERSON, text[s:e], officials.EXTRACTOR))
    for s, e, value in a.times:
        candidates.append((MentionType.TIME, s, e, MentionType.TIME, value.iso or value.text, "timex.v1"))
        a.time_of[(s, e)] = value
    for p in a.posts:
        candidates.append((MentionType.POST, p.start, p.end, MentionType.POST, p.title, officials.EXTRACTOR))
        for cut in range(1, len(p.title) - 1):  # 省委书记 under the agency 中共江苏省委: its post is 书记
            if lexicon.post(p.title[cut:]) is not None:
                candidates.append(("post_suffix", p.start + cut, p.end, MentionType.POST, p.title[cut:], officials.EXTRACTOR))
                break
    for p in a.places:
        candidates.append((MentionType.PLACE, p.start, p.end, MentionType.PLACE, p.name, places.EXTRACTOR))
        a.place_of.setdefault((p.start, p.end), p)
    candidates.sort(key=lambda c: (PRIORITY[c[0]], c[1], -(c[2] - c[1])))
    occupied = bytearray(len(text) + 1)
    kept: list[Mention] = []
    for _, s, e, mtype, name, extractor in candidates:
        if e <= s or any(occupied[s:e]):
            continue
        occupied[s:e] = b"\x01" * (e - s)
        kept.append(Mention(span=Span(doc_id=doc, start=s, end=e, text=text[s:e]), type=mtype, name=name, extractor=extractor))
    kept.sort(key=lambda m: (m.span.start, m.span.end))
    return kept


_LEVEL_CHARS = frozenset("省市县区州盟旗")


def _bare_forms(text: str, named: list[tuple[int, int, str]], found_places: list[PlaceMatch]) -> list[tuple[int, int, str]]:
    """Later bare forms of agencies the article names in full: 广东省政务服务数据管理局 … 省政务服务数据管理局.

    The bare form is the level character of the division (省, 市, 县, 区 …) and the rest of the
    name. A bare form two full names share (苏州市公安局 and 无锡市公安局: 市公安局) is left alone.

    >>> p = PlaceMatch(0, 3, None, "广东省")
    >>> _bare_forms("广东省政务服务数据管理局发布。省政务服务数据管理局局长说", [(0, 12, "广东省政务服务数据管理局")], [p])
    [(15, 25, '广东省政务服务数据管理局')]
    """
    place_end = {p.start: p.end for p in found_places}
    full: dict[str, set[str]] = {}
    for s, e, name in named:
        end = place_end.get(s)
        if end is None or not s < end < e - 1 or text[end - 1] not in _LEVEL_CHARS:
            continue
        full.setdefault(text[end - 1:e], set()).add(name)
    out = []
    for bare, names in full.items():
        if len(names) != 1 or len(bare) < 4:
            continue
        at = text.find(bare)
        while at != -1:
            if not at or text[at - 1] in _OPENERS:  # not inside a longer name (广东省|政务…)
                out.append((at, at + len(bare), next(iter(names))))
            at = text.find(bare, at + 1)
    return out


_OPENERS = frozenset("，。；：、！？（）“”‘’《》「」 \n\u3000,.;:!?()\"'的和与及在由据对向从将把被让为是经并")


_HONORIFICS = ("先生", "女士", "小姐", "老板", "师傅", "老师", "同志", "大爷", "大妈", "阿姨", "某", "某某")
_LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z]+){0,2}$")


def _tagged_person(token: Token, index: PlaceIndex) -> Token | None:
    """The name in a PER token, or None when it is not a plausible name.

    Trimmed where the tagger ran on (周强作报告); a surname with an honorific (高先生) is not a
    name; a short place name the tagger read as a person (马龙) stays a person, a full division
    name (苏州市) does not.
    """
    if not officials.is_person_name(token.text):
        token = _trim_name(token)
    name = token.text
    if _NOT_PERSON.match(name) or name.endswith(_HONORIFICS) or any(p.name == name for p in index.candidates(name)):
        return None
    if officials.is_person_name(name) or _LATIN_NAME.match(name):
        return token
    core = name.replace("·", "").replace("•", "")
    if 5 <= len(core) <= 10 and all("\u4e00" <= c <= "\u9fff" for c in core) and \
            sum(c in officials.TRANSLITERATION for c in core) >= len(core) - 1:
        return token  # 谢尔久科夫, 斯图尔特卡里
    return None


# characters that do not end a name after surname + one character (王刚|的, 李明|了)
_NOT_NAME_END = frozenset("的了着过是在和与及或等也都就还被把将对向从说称们之而但并又亦其所以于为以")


_LONG_AFTER_NAME = tuple(w for w in officials.AFTER_NAME if len(w) >= 2)


def _completed(token: Token, text: str) -> Token:
    """A two-character name the tagger cut before its last character (吴冠|中, 李超|均透露).

    Surname + one character, then one more character that ends at a boundary, a digit or a
    two-character word that ends names (透露, 表示), is a three-character name.
    """
    end = token.end
    if len(token.text) != 2 or token.text[0] not in officials.surnames() or end + 1 > len(text):
        return token
    last = text[end]
    if not "\u4e00" <= last <= "\u9fff" or last in _NOT_NAME_END or text.startswith(officials.AFTER_NAME, end):
        return token
    after = end + 1
    if after == len(text) or text[after] in officials.NAME_BOUNDARY or text[after].isdigit() or \
            text.startswith(_LONG_AFTER_NAME, after):  # not 到 or 在: 张捷|买到, 李明|住在
        return Token(token.start, after, token.text + last, token.tag)
    return token


def _trim_name(token: Token) -> Token:
    """A tagged name that ran into the next word (周强作报告 → 周强)."""
    for k in (3, 2):
        if len(token.text) > k and token.text[k:].startswith(officials.AFTER_NAME):
            return Token(token.start, token.start + k, token.text[:k], token.tag)
    return token


# the head word of an organisation name, when the tagger stopped just before it (亚太经合|组织)
_ORG_HEADS = ("组织", "公司", "集团", "协会", "学会", "大学", "学院", "银行", "研究院", "研究所", "中心", "基金会", "联合会")


@functools.cache
def org_stopwords() -> frozenset[str]:
    """Common words never an organisation on their own (``kg/data/org_stopwords.txt``)."""
    text = resources.files("kg").joinpath("data", "org_stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# one-character words around an idiom's middle the tagger called an organisation (吃|拿卡|要)
_IDIOM_TAGS = frozenset(("v", "a", "d", "vd", "ad"))


def _tagged_orgs(tokens: list[Token], text: str, index: PlaceIndex, lexicon: Lexicon) -> list[Token]:
    """The tagger's organisations that are names, completed with a head word it left out.

    Not an organisation: a known place name alone (常州, 成都市: the gazetteer's place), a common
    word (``org_stopwords.txt``: 电信, 地方), the middle of an idiom between one-character verbs
    (吃|拿卡|要), or a piece cut inside an organ word (等|地纪委监|委作: 纪委监委).
    """
    organ_inside = {at: m.start for m in lexicon.finditer_organs(text) for at in range(m.start + 1, m.end)}
    out = []
    for i, tagged in enumerate(tokens):
        if tagged.tag != "ORG" or len(tagged.text) < 2:
            continue
        for t in _split_joined(_org_completed(tagged, text)):
            if index.candidates(t.text) or t.text in org_stopwords():
                continue
            before, after = tokens[i - 1] if i else None, tokens[i + 1] if i + 1 < len(tokens) else None
            if len(t.text) == 2 and before is not None and after is not None and \
                    all(len(n.text) == 1 and n.tag in _IDIOM_TAGS for n in (before, after)):
                continue
            if organ_inside.get(t.end, t.start) > t.start:  # ends inside an organ word that starts inside it
                continue
            out.append(t)
    return out



def _split_joined(token: Token) -> list[Token]:
    """A tagged organisation that is two bodies joined (宁波市司法局|联合|市税务局, 公安部和司法部), as two.

    Split only where the part before the joiner ends like a state body, so names with 和 inside
    (住房和城乡建设部, 中华人民共和国司法部) stay whole.

    >>> [t.text for t in _split_joined(Token(0, 12, "宁波市司法局联合市税务局", "ORG"))]
    ['宁波市司法局', '市税务局']
    >>> [t.text for t in _split_joined(Token(0, 8, "住房和城乡建设部", "ORG"))]
    ['住房和城乡建设部']
    """
    for m in _JOINER.finditer(token.text):
        left, right = token.text[: m.start()], token.text[m.end():]
        if len(left) >= 2 and len(right) >= 2 and left.endswith(_STATE_ENDINGS + _PREFIXED_ENDINGS):
            first = Token(token.start, token.start + m.start(), left, token.tag)
            rest = Token(token.start + m.end(), token.end, right, token.tag)
            return [first, *_split_joined(rest)]
    return [token]


def _org_completed(token: Token, text: str) -> Token:
    """A tagged organisation with the head word the tagger left out after it (亚太经合|组织 → 亚太经合组织).

    A name that already ends like a state body takes none (全国普法办|组织的: 组织 is a verb).
    """
    if token.text.endswith(_ORG_HEADS) or token.text.endswith(_STATE_ENDINGS + _PREFIXED_ENDINGS):
        return token
    for head in _ORG_HEADS:
        if text.startswith(head, token.end):
            return Token(token.start, token.end + len(head), token.text + head, token.tag)
    return token


def _org_type(name: str, index: PlaceIndex) -> MentionType:
    """An organisation the tagger found is an agency when it is named like a state body.

    >>> index = load_places()
    >>> [_org_type(n, index).value for n in ("美国政府", "苏州市委", "印度国防部", "辉煌集团信贷部", "苏州市立医院")]
    ['agency', 'agency', 'agency', 'organization', 'organization']
    """
    if name.endswith(_NOT_STATE):
        return MentionType.ORGANIZATION
    if name.endswith(_STATE_ENDINGS) or name.endswith(_PREFIXED_ENDINGS) and _has_public_prefix(name, index):
        return MentionType.AGENCY
    return MentionType.ORGANIZATION


def _has_public_prefix(name: str, index: PlaceIndex) -> bool:
    """Named after a division, a country or the centre (苏州市…, 美国…, 国家…, 中央…, 全国…)."""
    if name.startswith(agencies._CENTRAL_PREFIXES + ("全国",)) or name[0] in agencies.LEVEL_CHARS:
        return True
    if any(m.start == 0 for m in places.find_foreign(name[:6])):
        return True
    return any(index.candidates(name[:k]) for k in range(2, min(len(name), 8)))


def _paragraphs(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraphs: runs of sentences not separated by a line break or a space (法治日报 bodies use spaces)."""
    out: list[tuple[int, int]] = []
    for a, b in sentences:
        if out and not re.search(r"[\n ]", text[out[-1][1]:a]):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
