"""Officials: a person with the posts named before the name.

Posts come in chains, each with an optional body or place before it and a
status marker before the chain::

    时任 | 苏州市 市长 | 李亚平              (时任: held at the article's date)
    深圳市委 副书记 、 市长 | 吴庆文         (two posts; 市长 of 深圳市人民政府)
    原 | 最高人民法院 院长 | 周强            (原: held before)

The body a post belongs to follows the post table (``kg/data/posts.tsv``):
市长 belongs to the 人民政府 of the place before it (or of the article's focus
city), 院长 to the court before it, 局长 to the 局 before it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from kg.extract.agencies import AgencyMatch, _join
from kg.extract.places import Focus, PlaceMatch
from kg.gazetteer import Lexicon, PostTitle
from kg.records import Mention, MentionType, TenureStatus

EXTRACTOR = "officials.v1"
_STATUS = {"时任": TenureStatus.AT_DATE, "原任": TenureStatus.FORMER, "原": TenureStatus.FORMER,
           "前任": TenureStatus.FORMER, "现任": TenureStatus.CURRENT}
_LEVEL_CHAR_OF_POST = {"省": "省", "市": "市", "县": "县", "区": "区", "州": "州"}


@dataclass(frozen=True, slots=True)
class PostMatch:
    start: int  # of the post title
    end: int
    title: str
    rule: PostTitle


@dataclass(frozen=True, slots=True)
class TenureMatch:
    person: Mention
    role: str
    organization: str  # canonical name, "" when unknown
    organization_kind: str
    organization_place: str  # division code of the body, if known
    status: TenureStatus
    start: int  # evidence: from the status marker (or the chain) to the end of the name
    end: int


# words that qualify a post title before it (常务|副行长, 执行|董事, 项目|总经理), at most two
_MODIFIERS = frozenset(("常务", "执行", "首席", "高级", "资深", "特约", "见习", "实习", "名誉", "荣誉", "代理", "主审",
                        "行政", "项目", "营销", "销售", "财务", "技术", "市场", "创意", "设计", "艺术", "音乐", "区域"))
# a title followed by one of these names a thing, not a holder (记者会, 书记处, 律师事务所, 教师节)
_NOT_A_POST = re.compile(r"会(?!见|同|晤|谈|商)|站|节|证|处|费|协会|学院|事务所|团(?!结)|奖")
_NOT_A_POST_FIRST = frozenset("会站节证处费协学事团奖")


def find_posts(text: str, lexicon: Lexicon) -> list[PostMatch]:
    """Post titles in ``text`` with their modifiers (常务副行长, 总裁助理); the rule is the head title's.

    >>> from kg.gazetteer import load_lexicon
    >>> [p.title for p in find_posts("平安银行常务副行长陈伟、总裁助理王强出席记者会。", load_lexicon())]
    ['常务副行长', '总裁助理']
    """
    out = []
    for m in lexicon.finditer_posts(text):
        if text[m.end:m.end + 1] in _NOT_A_POST_FIRST and _NOT_A_POST.match(text, m.end):
            continue
        start = m.start
        if start >= 1 and text[start - 1] in "副总" and m.name[0] not in "副总":  # 副|署长, 总|参谋长
            start -= 1
        while start >= 2 and text[start - 2:start] in _MODIFIERS and m.start - start < 5:
            start -= 2
        end = m.end + 2 if text.startswith("助理", m.end) else m.end
        out.append(PostMatch(start, end, text[start:end], m.candidates))
    return out


def find_tenures(text: str, persons: list[Mention], posts: list[PostMatch], agencies: list[AgencyMatch],
                 places: list[PlaceMatch], focus: Focus) -> list[TenureMatch]:
    """Tenures of the persons named after a chain of posts (局长|王建华), before a post
    (韩志远|副总理), or appointed to one (任命|陈立新|为|浙江省人民政府|副省长; 陈立新|当选为|…)."""
    post_at = {p.end: p for p in posts}
    agency_at = {a.end: a for a in agencies}
    place_at = {p.end: p for p in places if p.place is not None}
    starts = _Starts(posts, agencies, places)
    person_starts = {m.span.start for m in persons}
    out: list[TenureMatch] = []
    for person in persons:
        before = _chain_before(text, person.span.start, post_at, agency_at, place_at)
        if before is not None:
            pos, chain = before
            status = TenureStatus.CURRENT
            for marker, value in _STATUS.items():
                if text[max(0, pos - len(marker)):pos] == marker:
                    status, pos = value, pos - len(marker)
                    break
            out += _tenures(person, chain, status, pos, person.span.end, focus)
            continue
        after = _appointment(text, person, starts)
        if after is None and (post := starts.post.get(person.span.end)) is not None \
                and post.end not in person_starts:  # 韩志远|副总理, not 院长|周强 of the next name
            after = person.span.start, post.end, [(post, None)]
        if after is not None:
            start, end, chain = after
            out += _tenures(person, chain, TenureStatus.CURRENT, start, end, focus)
    return out


# an appointment: a verb before the name and 为 after it (任命|陈立新|为), or a verb after it (陈立新|当选为)
_APPOINT_BEFORE = ("任命", "提名", "推选", "选举", "任")
_APPOINT_AFTER = ("当选为", "当选", "被任命为", "被提名为", "被选举为", "出任", "担任", "升任", "调任", "任")


class _Starts:
    """Posts, agencies and places by where they start."""

    def __init__(self, posts: list[PostMatch], agencies: list[AgencyMatch], places: list[PlaceMatch]) -> None:
        self.post = {p.start: p for p in posts}
        self.holder: dict[int, AgencyMatch | PlaceMatch] = {p.start: p for p in places if p.place is not None}
        self.holder.update({a.start: a for a in agencies})


_Chain = list[tuple[PostMatch, AgencyMatch | PlaceMatch | None]]  # posts and the bodies written before them


def _chain_before(text: str, pos: int, post_at: dict[int, PostMatch], agency_at: dict[int, AgencyMatch],
                  place_at: dict[int, PlaceMatch]) -> tuple[int, _Chain] | None:
    """The chain of posts (each with its body) that ends at ``pos``, first post first, and where it starts."""
    chain: _Chain = []
    while pos in post_at:
        post = post_at[pos]
        holder = agency_at.get(post.start) or place_at.get(post.start)
        chain.append((post, holder))
        pos = holder.start if holder is not None else post.start
        if pos > 0 and text[pos - 1] in "、兼及":
            pos -= 1
        else:
            break
    return (pos, chain[::-1]) if chain else None


def _appointment(text: str, person: Mention, starts: _Starts) -> tuple[int, int, _Chain] | None:
    """(start, end, chain) of an appointment of ``person`` to the posts after the name."""
    start, end = person.span.start, person.span.end
    verb = next((v for v in _APPOINT_BEFORE if text.endswith(v, 0, start)), None)
    if verb is not None and text.startswith("为", end):
        start, at = start - len(verb), end + 1
    else:
        verb = next((v for v in _APPOINT_AFTER if text.startswith(v, end)), None)
        if verb is None:
            return None
        at = end + len(verb)
    chain = _chain_after(text, at, starts)
    return (start, chain[-1][0].end, chain) if chain else None


def _chain_after(text: str, pos: int, starts: _Starts) -> _Chain:
    """Posts from ``pos`` on, each with the body written before it (浙江省人民政府|副省长、…)."""
    chain: _Chain = []
    while True:
        holder = starts.holder.get(pos)
        post = starts.post.get(holder.end if holder is not None else pos)
        if post is None:
            return chain
        chain.append((post, holder))
        pos = post.end + 1
        if text[post.end:pos] not in ("、", "兼"):
            return chain


def _tenures(person: Mention, chain: _Chain, status: TenureStatus, start: int, end: int,
             focus: Focus) -> list[TenureMatch]:
    """One tenure per post; a post without a body written before it belongs to the previous post's."""
    out = []
    previous: AgencyMatch | PlaceMatch | None = None
    for post, holder in chain:
        org, kind, code = _organization(post, holder or previous, focus)
        out.append(TenureMatch(person, post.title, org, kind, code, status, start, end))
        previous = holder or previous
    return out


def _organization(post: PostMatch, holder: AgencyMatch | PlaceMatch | None, focus: Focus) -> tuple[str, str, str]:
    """(name, kind, division code) of the body a post belongs to."""
    rule = post.rule
    if isinstance(holder, AgencyMatch):
        if rule.organ and not holder.name.endswith(rule.organ) and rule.organ in ("人民政府",) and holder.place:
            return holder.place.name + rule.organ, "government", holder.place.code
        return holder.name, holder.kind, holder.place.code if holder.place else ""
    place = holder.place if isinstance(holder, PlaceMatch) else None
    if place is None and rule.organ:
        char = post.title.removeprefix("副")[0]
        place = focus.for_char(char) if char in _LEVEL_CHAR_OF_POST else None
    if place is None or not rule.organ:
        if rule.organ == "国务院":
            return "国务院", "government", ""
        return "", "", ""
    if rule.organ == "委员会":
        body = _join(place.name, post.title.removeprefix("副")[:2]) if post.title[1:2] == "委" else place.name + "委"
        return body, "party", place.code
    return place.name + rule.organ, rule.kinds[0].value if rule.kinds else "government", place.code


# words that end a name: what the person does next (周强|作报告, 李强|主持, 王建国|出席)
AFTER_NAME = ("作", "说", "表示", "指出", "强调", "出席", "主持", "参加", "在", "是", "对", "向", "到", "与", "和", "等",
              "介绍", "认为", "称", "要求", "一行", "同志", "率队", "带队", "调研", "会见", "讲话", "致辞", "为", "把", "将",
              "通报", "回答", "审理", "走进", "宣读", "代表", "当选", "任", "被", "已", "也", "就", "还", "则", "曾", "先后",
              "透露", "告诉", "坦言", "解释", "提出", "希望", "带领", "听取", "察看", "检查", "主审", "签署", "出庭",
              "从", "当庭", "当场", "当即", "赛后", "接受", "发表", "发回", "获悉", "证实", "来到", "前往", "当天", "当日",
              "抵达", "宣布", "访问", "致电", "通电话", "举行", "出访")
NAME_BOUNDARY = frozenset(" \t\n\u3000,，。、；;：:！!？?（）()“”\"《》·")


# characters of transliterated foreign names (谢尔久科夫, 古特雷斯, 马克龙)
TRANSLITERATION = frozenset("阿埃艾安奥巴拜贝本比彼波伯布达戴丹德迪蒂杜多厄恩尔法菲费夫弗福盖戈格古哈汉赫霍吉基加杰金卡凯"
                            "坎科克库拉莱兰劳勒雷里利连列林卢鲁伦罗洛马麦曼梅门米姆默纳内尼诺帕佩皮普齐奇乔切萨塞桑瑟森"
                            "沙莎舍施什斯松苏索塔泰坦特提托瓦威韦维沃乌西希谢辛休雅亚扬伊因英约泽扎詹兹佐朗蒙奈娜丽琳茨"
                            "京登肯莫穆")
# a foreign name after a post (总统|马克龙, 国务卿|布林肯): transliteration characters, parts joined by ·
_FOREIGN_NAME = re.compile("[{0}]{{2,6}}(?:[·•][{0}]{{1,6}}){{0,2}}".format("".join(sorted(TRANSLITERATION))))


@functools.cache
def surnames() -> frozenset[str]:
    """Common Chinese surnames, single and compound (``kg/data/surnames.tsv``)."""
    text = resources.files("kg").joinpath("data", "surnames.tsv").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines()[1:] if line and not line.startswith(("#", "surname")))


def find_titled_names(text: str, ends: list[int]) -> list[tuple[int, int]]:
    """Names right after a post or a byline role ending at one of ``ends`` (局长|李伟, 记者|陈磊).

    A name is a common surname and one or two more characters, followed by a boundary or a
    word that ends names (主持, 表示, 在 …); the shorter reading wins when both fit.

    >>> t = "市长李强主持会议，局长王建国出席。记者陈磊 通讯员王宁"
    >>> [t[a:b] for a, b in find_titled_names(t, [2, 11, 19, 25])]
    ['李强', '王建国', '陈磊', '王宁']
    >>> find_titled_names("书记强调，要坚持", [2])
    []
    """
    found = []
    names = surnames()
    for at in sorted(set(ends)):
        if at < len(text) and text[at] == " ":
            at += 1
        span = _name_at(text, at, names) or _foreign_name_at(text, at)
        if span is not None:
            found.append(span)
    return found


def _name_at(text: str, at: int, names: frozenset[str]) -> tuple[int, int] | None:
    surname = 2 if text[at:at + 2] in names else 1 if text[at:at + 1] in names else 0
    if not surname or text.startswith(AFTER_NAME, at):
        return None
    for given in (1, 2):
        end = at + surname + given
        if end > len(text) or not all("\u4e00" <= c <= "\u9fff" for c in text[at:end]):
            return None
        if end == len(text) or text[end] in NAME_BOUNDARY or text.startswith(AFTER_NAME, end):
            return at, end
    return None


def _foreign_name_at(text: str, at: int) -> tuple[int, int] | None:
    """A transliterated name at ``at`` that ends at a boundary or a word that ends names."""
    m = _FOREIGN_NAME.match(text, at)
    if m is None:
        return None
    end = m.end()
    if end == len(text) or text[end] in NAME_BOUNDARY or text.startswith(AFTER_NAME, end):
        return at, end
    return None


def is_person_name(text: str) -> bool:
    """A plausible Chinese personal name: 2–4 Han characters, or a transliteration with ·."""
    core = text.replace("·", "").replace("•", "")
    return 2 <= len(core) <= 8 and all("\u4e00" <= c <= "\u9fff" for c in core) and (len(text) <= 4 or "·" in text)


def person_mentions(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.type is MentionType.PERSON]
