"""Documents: 《…》 titles, named 清单 / 纲要 / 制度 / 机制, versions, short forms and item counts.

Three kinds of names are found:

* titles in 《》 (``《法治政府建设实施纲要(2021-2025年)》``); a title listing several
  documents joined by 、 is split when every part ends in a genre word
  (``《A清单、B清单》`` → two documents);
* named systems with quoted words or a version (``“履职纪实”机制``,
  ``涉企“免罚轻罚”清单2.0版``, ``行政执法“三项制度”``);
* the object of an adoption verb ending in a genre word (``推行证明事项告知承诺制``).

Short forms (``《纲要》``) resolve to the full title cited in the same article.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.extract.tagger import Token

EXTRACTOR = "documents.v1"

GENRES = (
    "实施纲要", "纲要", "清单", "制度", "机制", "办法", "规定", "条例", "方案", "意见", "通知", "规划",
    "计划", "决定", "细则", "准则", "规则", "守则", "法", "指引", "指南", "标准", "目录", "公约", "章程",
    "承诺制", "责任制", "负责制", "登记制", "报告制", "备案制", "公示制", "审批制", "问责制", "体系",
    "白皮书", "报告", "纪要", "决议", "批复", "公告", "通告", "解释", "措施", "若干措施", "行动计划",
)
_GENRE_SET = frozenset(GENRES)
_GENRE_LENGTHS = tuple(sorted({len(g) for g in GENRES}, reverse=True))
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]*[)）]$")
_GENRE_RE = "|".join(sorted((re.escape(g) for g in GENRES), key=len, reverse=True))
# 命名制度: words that make an unquoted, unversioned name a document when they end it
NAMED_GENRES = ("清单", "纲要", "承诺制", "责任制", "负责制", "登记制", "报告制", "备案制", "公示制", "问责制",
                "条例", "办法", "规定", "细则", "方案", "规划", "制度", "机制")
ADOPTION_VERBS = ("推行", "实行", "实施", "建立", "出台", "推出", "印发", "制定", "发布", "施行", "颁布",
                  "落实", "执行", "修订", "修改", "起草", "审议通过", "通过", "探索建立", "全面推行")
_VERSION = re.compile(r"(\d+(?:\.\d+)*)\s*(?:版本?|版)")
_TITLE = re.compile(r"《([^《》\n]{1,120})》")
_QUOTED_GENRE_RE = "|".join(sorted((re.escape(g) for g in GENRES if len(g) > 1), key=len, reverse=True))
# “履职纪实”机制 (genre right after the quote) or 行政执法“三项制度” (genre inside the quote)
_QUOTED_NAME = re.compile(
    r"[“\"]([^”\"\n]{1,24}?)(" + _QUOTED_GENRE_RE + r")?[”\"](" + _QUOTED_GENRE_RE + r")?((?:\s*\d+(?:\.\d+)*\s*版本?)?)"
)
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff“”\"]")
_STOP_BEFORE = set("的等和与及或了着过、，,。；;：:（）() \n")
# a bound modifier before a quoted name: 涉企“免罚轻罚”清单, 涉农“最多跑一次”机制
_BOUND_MODIFIER = re.compile(r"涉[\u4e00-\u9fff]$")
_PREFIX_TAGS = frozenset(("LOC",))
_STOP_TAGS = {"w", "p", "c", "u", "d", "ad", "r", "m", "q", "f", "xc", "TIME", "PER"}


@dataclass(frozen=True, slots=True)
class DocumentMention:
    start: int
    end: int  # of the whole name as written, brackets excluded, version included
    name: str  # the title without brackets and version: 苏州市涉企轻微违法行为不予行政处罚清单
    version: str = ""
    genre: str = ""
    titled: bool = False  # written in 《》


def genre_of(name: str) -> str:
    """The genre word a name ends in, or ''.

    >>> genre_of("法治政府建设实施纲要(2021-2025年)")
    '实施纲要'
    >>> genre_of("证明事项告知承诺制")
    '承诺制'
    """
    return _genre_of(name)


@functools.lru_cache(maxsize=4096)
def _genre_of(name: str) -> str:
    core = _strip_bracket(name).rstrip("”\"")
    for n in _GENRE_LENGTHS:  # the longest genre word first: 实施纲要 before 纲要
        if core[-n:] in _GENRE_SET:
            return core[-n:]
    return ""


def _strip_bracket(name: str) -> str:
    """The name without a trailing bracketed part: 纲要(2021-2025年) → 纲要."""
    return _TRAILING_BRACKET.sub("", name) if name.endswith((")", "）")) else name


def find_documents(text: str, sentences: list[tuple[int, int]], tokens: list[list[Token]],
                   names: Iterable[tuple[int, int]] = ()) -> list[DocumentMention]:
    """Document names in ``text``, left to right, non-overlapping.

    ``names`` are spans of places found in ``text``; with the tagger's places they may open a
    quoted name (苏州市“免罚轻罚”清单). A body before the quote stays a body of its own (the
    issuer: 苏州市司法局|“首违不罚”清单).
    """
    found: list[DocumentMention] = []
    for m in _TITLE.finditer(text):
        found.extend(_split_title(m.start(1), m.group(1), text))
    taken = [(d.start - 1, d.end + 1) for d in found]
    name_ends = {t.end: t.start for toks in tokens for t in toks if t.tag in _PREFIX_TAGS}
    for start, end in names:
        name_ends[end] = min(start, name_ends.get(end, start))
    for m in _QUOTED_NAME.finditer(text):
        genre = m.group(3) or (m.group(2) if not m.group(3) else "")
        if not genre or (m.group(2) and m.group(3)):
            continue
        if m.group(3):  # “履职纪实”机制 names itself: only a division, a body or a bound modifier joins it
            start = _named_prefix(text, m.start(), name_ends)
        else:  # 行政执法“三项制度”: the quote alone is generic, the words before it say whose
            start = _trim_left(text, max(0, m.start() - 8), m.start())
        end = m.end(4) if m.group(4).strip() else m.end(3) if m.group(3) else m.end()
        if _overlaps(start, end, taken):
            continue
        name = text[start : m.end(3)] if m.group(3) else text[start : m.end()]
        version = (_VERSION.search(m.group(4)) or [None, ""])[1] if m.group(4).strip() else ""
        found.append(DocumentMention(start=start, end=end, name=name, version=version, genre=genre))
        taken.append((start, end))
    for (a, b), toks in zip(sentences, tokens):
        for d in _adopted_names(text, toks):
            if not _overlaps(d.start, d.end, taken):
                found.append(d)
                taken.append((d.start, d.end))
    found.extend(_versioned(text, taken))
    return sorted(found, key=lambda d: (d.start, d.end))


def _split_title(start: int, title: str, text: str) -> list[DocumentMention]:
    parts = title.split("、")
    if len(parts) > 1 and all(genre_of(p) for p in parts):
        out, off = [], start
        for p in parts:
            out.append(_titled(off, p, text))
            off += len(p) + 1
        return out
    return [_titled(start, title, text)]


def _titled(start: int, title: str, text: str) -> DocumentMention:
    end = start + len(title)
    version = ""
    after = _VERSION.match(text, end + 1) if end + 1 <= len(text) else None
    if after and text[end : end + 1] == "》":
        version = after.group(1)
    name = title.strip()
    return DocumentMention(start=start, end=end, name=name, version=version, genre=genre_of(name), titled=True)


def _trim_left(text: str, start: int, quote: int) -> int:
    """Left edge of a quoted name: keep at most a few modifier characters before the quote (涉企“…”)."""
    s = quote
    while s > start and text[s - 1] not in _STOP_BEFORE and quote - s < 4:
        s -= 1
    # a verb right before the modifier is not part of the name: 推出涉企“…” → 涉企“…”
    for verb in ADOPTION_VERBS + ("推动", "开展", "建设", "构建", "完善", "健全", "发挥", "探索", "创新"):
        i = text.rfind(verb, s, quote)
        if i != -1:
            s = i + len(verb)
    return s


def _named_prefix(text: str, quote: int, name_ends: dict[int, int]) -> int:
    """Start of a quoted name whose genre follows the quote: the quote, or a place named right
    before it, or a bound modifier (苏州市|“免罚轻罚”清单, 涉企|“…”清单);
    never a verb, a particle or a word ending the previous phrase (明确了|“…”, 压实责任|“…”).

    >>> _named_prefix("苏州市涉企“免罚轻罚”清单", 5, {3: 0}), _named_prefix("压实责任“履职纪实”机制", 4, {})
    (0, 4)
    """
    start = quote
    if _BOUND_MODIFIER.search(text, max(0, start - 2), start):
        start -= 2
    while start in name_ends and quote - name_ends[start] <= 16:
        start = name_ends[start]
    return start


def _adopted_names(text: str, toks: list[Token]) -> list[DocumentMention]:
    """``推行证明事项告知承诺制``: the noun run after an adoption verb, ending in a named genre."""
    out: list[DocumentMention] = []
    for i, tok in enumerate(toks):
        if tok.text not in ADOPTION_VERBS:
            continue
        j = i + 1
        while j < len(toks) and toks[j].tag not in _STOP_TAGS and toks[j].text not in ADOPTION_VERBS and j - i <= 8:
            j += 1
        if j == i + 1:
            continue
        start, end = toks[i + 1].start, toks[j - 1].end
        name = text[start:end]
        genre = genre_of(name)
        if genre in NAMED_GENRES and len(name) - len(genre) >= 3 and not name.startswith(("等", "各项", "相关")):
            out.append(DocumentMention(start=start, end=end, name=name, genre=genre))
    return out


def _versioned(text: str, taken: list[tuple[int, int]]) -> list[DocumentMention]:
    """``清单2.0版`` without quotes: the genre word with its modifiers before a version."""
    out: list[DocumentMention] = []
    for m in re.finditer(r"(" + _GENRE_RE + r")\s*(\d+(?:\.\d+)*)\s*版", text):
        s = m.start()
        while s > 0 and _NAME_CHARS.match(text[s - 1]) and m.start() - s < 16:
            s -= 1
        start = _trim_left(text, s, m.start()) if s < m.start() else s
        if _overlaps(start, m.end(), taken) or m.start() - start < 2:
            continue
        out.append(DocumentMention(start=start, end=m.end(), name=text[start : m.end(1)], version=m.group(2), genre=m.group(1)))
        taken.append((start, m.end()))
    return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def short_form_target(short: str, titles: list[str]) -> str | None:
    """The full title a short form (《纲要》) stands for, when exactly one title in the article fits.

    A short form fits a title when it ends in the same genre word and its characters
    appear in the title in order.

    >>> short_form_target("纲要", ["法治政府建设实施纲要(2021-2025年)", "苏州市清单"])
    '法治政府建设实施纲要(2021-2025年)'
    >>> short_form_target("纲要", ["甲纲要", "乙纲要"]) is None
    True
    """
    fits = []
    ending = genre_of(short) or short[-2:]
    for title in titles:
        if title == short or len(title) <= len(short):
            continue
        core = _strip_bracket(title)
        if not core.endswith(ending):
            continue
        it = iter(core)
        if all(c in it for c in short):
            fits.append(title)
    return fits[0] if len(fits) == 1 else None


_COUNT = re.compile(r"(共(?:涉及|计|有|包括|列入|梳理)?|合计|总计)?\s*(\d+)\s*(项|条|个|类|件)")


@dataclass(frozen=True, slots=True)
class ItemCount:
    start: int
    end: int
    count: int
    label: str  # the words before the number: 不予处罚事项
    total: bool  # 共…N项


def find_item_counts(text: str, start: int, end: int) -> list[ItemCount]:
    """Counts of items (``共涉及353项``, ``不予处罚事项248项``) in ``text[start:end]``."""
    out = []
    for m in _COUNT.finditer(text, start, end):
        s = m.start(2)
        label_start = s
        while label_start > start and text[label_start - 1] not in "，,、；;。：:" and s - label_start < 20:
            label_start -= 1
        label = text[label_start:s]
        after = text[m.end() : m.end() + 10]
        if not label.endswith(("事项", "项目", "内容", "措施", "条款", "情形", "类")) and not m.group(1):
            # 353项行政处罚事项: the label follows the number
            tail = re.match(r"[\u4e00-\u9fff]{0,10}?(事项|措施|条款|情形)", after)
            if not tail:
                continue
            label = tail.group(0)
        out.append(ItemCount(start=m.start(2), end=m.end(), count=int(m.group(2)), label=label, total=bool(m.group(1))))
    return out
