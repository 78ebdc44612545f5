"""Bylines: who wrote an article, with the offsets of each name as written.

Recognised shapes: ``□ 本报记者 罗莎莎 □ 本报通讯员 沙 一`` at the start of the
text or of one of its first paragraphs, and parenthesised credits such as
``（记者 王五 通讯员 赵六）`` near the start or the end. A name is 2–4 CJK
characters; two single characters separated by a space (``沙 一``) are one
name. The byline ends where the body starts: at a digit, punctuation, or a
run of characters too long to be a name.

>>> [(a.name, a.role, a.start, a.end) for a in parse_bylines("□ 本报记者 王小明 □ 本报通讯员 李 四 2020年以来,")]
[('王小明', '记者', 7, 10), ('李四', '通讯员', 19, 22)]
"""

from __future__ import annotations

import re

from kg.records import Author

_SPACE = " \u3000\xa0\t"
_MARKS = "□■◆◇●○◎▲△"
_HAN = "\u4e00-\u9fff"
# 本报记者, 新华社记者, 法治日报全媒体记者, 本报通讯员, 实习生 …: group 1 is the role
_ROLE = re.compile(
    rf"(?:本报|本刊|本台|新华社|中新社|[{_HAN}]{{2,8}}?(?:日报|晚报|时报|报|网|社|台))?(?:全媒体|融媒体)?"
    r"(特约记者|见习记者|实习记者|摄影记者|首席记者|记者|通讯员|实习生|见习生|编辑)"
)
_NAME = re.compile(rf"[{_HAN}]{{1,4}}(?:·[{_HAN}]{{1,6}})?")
# words that open a body, not a name: 近日, 日前, 今年 …
_BODY_OPENERS = ("近日", "日前", "近期", "今年", "去年", "目前", "近年", "本报", "记者", "昨天", "今天", "据悉")
_PAREN = re.compile(r"[（(]([^()（）\n]{2,60})[)）]")
_HEAD = 300
_TAIL = 200


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in _SPACE:
        pos += 1
    return pos


def _boundary(text: str, pos: int, end: int, separators: str) -> bool:
    return pos >= end or text[pos] in _SPACE or text[pos] in _MARKS or text[pos] in separators + "\n)）"


def _name_at(text: str, pos: int, end: int, separators: str) -> tuple[int, int] | None:
    """The span of a name starting at ``pos`` (``沙 一`` counts as one), or None."""
    match = _NAME.match(text, pos, end)
    if match is None or not _boundary(text, match.end(), end, separators):
        return None
    if match.end() - pos == 1:  # a lone character: joined with a following lone character
        nxt = pos + 2
        if pos + 1 < end and text[pos + 1] == " " and (m2 := _NAME.match(text, nxt, end)) and m2.end() - nxt == 1:
            return (pos, m2.end()) if _boundary(text, m2.end(), end, separators) else None
        return None
    if text.startswith(_BODY_OPENERS, pos):
        return None
    return pos, match.end()


def _scan(text: str, pos: int, end: int, *, separators: str, need_role_first: bool) -> list[Author]:
    """Read role markers and names from ``pos`` until something that is neither."""
    authors: list[Author] = []
    role = ""
    while True:
        pos = _skip_space(text, pos, end)
        if pos >= end:
            return authors
        if text[pos] in _MARKS or (role and text[pos] in separators):
            pos += 1
            continue
        role_match = _ROLE.match(text, pos, end)
        if role_match:
            role, pos = role_match.group(1), role_match.end()
            continue
        span = _name_at(text, pos, end, separators) if role or not need_role_first else None
        if span is None:
            return authors
        written = text[span[0] : span[1]]
        authors.append(Author(name=re.sub(f"[{_SPACE}]", "", written), role=role, start=span[0], end=span[1]))
        pos = span[1]


def _paragraph_starts(text: str, limit: int = 3) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        if len(starts) >= limit:
            break
        starts.append(match.end())
    return starts


def parse_bylines(text: str) -> tuple[Author, ...]:
    """Authors named in ``text``'s byline(s), in order, each once per role.

    ``text[a.start:a.end]`` is the name as written (``"沙 一"``); ``a.name`` has
    the inner spaces removed (``"沙一"``).

    >>> [(a.name, a.role) for a in parse_bylines("新华社北京1月9日电（记者赵六、钱七）国务院近日印发通知。")]
    [('赵六', '记者'), ('钱七', '记者')]
    >>> parse_bylines("近日，苏州市召开会议。")
    ()
    """
    found: list[Author] = []
    for start in _paragraph_starts(text):
        pos = _skip_space(text, start, len(text))
        while pos < len(text) and text[pos] in _MARKS:
            pos = _skip_space(text, pos + 1, len(text))
        if _ROLE.match(text, pos):
            found.extend(_scan(text, pos, len(text), separators="、", need_role_first=True))
    head_tail = [m for m in _PAREN.finditer(text) if m.start() < _HEAD or m.end() > len(text) - _TAIL]
    for match in head_tail:
        inner_start = _skip_space(text, match.start(1), match.end(1))
        if _ROLE.match(text, inner_start, match.end(1)):
            found.extend(_scan(text, inner_start, match.end(1), separators="、，,", need_role_first=True))
    unique: dict[tuple[str, str], Author] = {}
    for author in found:
        unique.setdefault((author.name, author.role), author)
    return tuple(unique.values())
