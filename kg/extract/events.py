"""Events: dated actions with their actors, documents, places, times and quantities.

A trigger verb (出台, 推出, 研讨, 召开 …) in a sentence with a time expression
makes an event. Its actors are the agencies, organisations, persons or places
named before the trigger in the same sentence; when there is none (Chinese drops
the subject), the topic of the previous sentence of the paragraph is the actor.
Its documents are those named after the trigger, up to the next trigger.

A dated figure (``2020年全市……出庭率达到96%以上``) is an event of type
``statistic`` with its quantity, when a clause holds a time, a figure with a
unit and a reporting verb.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kg.records import EventType, Mention, MentionType, Quantity

EXTRACTOR = "events.v1"

TRIGGERS: dict[str, EventType] = {
    **dict.fromkeys(("出台", "印发", "发布", "颁布", "制定", "公布", "下发", "联合出台", "联合印发", "联合发布", "审议通过",
                     "出台了", "印发了", "发布了"), EventType.ISSUE),
    **dict.fromkeys(("推出", "上线", "启动", "发起", "推出了", "升级"), EventType.LAUNCH),
    **dict.fromkeys(("研讨", "专题研讨", "学习", "专题学习", "集体学习", "传达学习", "学习贯彻"), EventType.STUDY),
    **dict.fromkeys(("召开", "举行", "举办", "主持召开", "开幕", "闭幕", "召开了", "举行了"), EventType.MEETING),
    **dict.fromkeys(("施行", "实施", "正式实施", "正式施行", "推行"), EventType.IMPLEMENT),
}
_TRIGGER = re.compile("|".join(sorted(map(re.escape, TRIGGERS), key=len, reverse=True)))
ACTOR_TYPES = (MentionType.AGENCY, MentionType.ORGANIZATION, MentionType.PERSON, MentionType.PLACE)
REPORTING_VERBS = ("达到", "达", "办理", "受理", "审结", "办结", "完成", "增长", "下降", "查处", "化解", "处理",
                   "共计", "累计", "超过", "占", "提升至", "降至", "实现")
_FIGURE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(万|亿|千)?\s*(余|多)?\s*(%|％|件|项|个|人次|人|家|元|起|次|宗|户|条|名|亿元|万元)(以上|左右|多)?"
)
_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}


@dataclass(frozen=True, slots=True)
class EventMatch:
    type: EventType
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence: tuple[int, int]
    time: Mention | None
    actors: tuple[Mention, ...]
    documents: tuple[Mention, ...]
    places: tuple[Mention, ...]
    quantities: tuple[tuple[int, int, Quantity], ...] = ()


def find_events(
    text: str, sentences: list[tuple[int, int]], paragraphs: list[tuple[int, int]], mentions: list[Mention]
) -> list[EventMatch]:
    """Events in ``text`` (mentions sorted by start, non-overlapping)."""
    out: list[EventMatch] = []
    topic: tuple[Mention, ...] = ()
    paragraph_starts = [p[0] for p in paragraphs]
    last_paragraph = -1
    starts = [m.span.start for m in mentions]
    for a, b in sentences:
        inside = [m for m in mentions[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)] if m.span.end <= b]
        paragraph = bisect.bisect_right(paragraph_starts, a)
        if paragraph != last_paragraph:
            topic, last_paragraph = (), paragraph
        triggers = [t for t in _TRIGGER.finditer(text, a, b) if not _covered(t.start(), t.end(), inside)]
        times = [m for m in inside if m.type is MentionType.TIME]
        found_here = False
        for i, t in enumerate(triggers):
            before = [m for m in inside if m.span.end <= t.start()]
            time = next((m for m in reversed(before) if m.type is MentionType.TIME), None)
            limit = triggers[i + 1].start() if i + 1 < len(triggers) else b
            docs = tuple(m for m in inside if m.type is MentionType.DOCUMENT and t.end() <= m.span.start < limit)
            if time is None and not (docs and TRIGGERS[t.group()] in (EventType.ISSUE, EventType.LAUNCH)):
                continue  # an undated issuance still tells who issued the document; other undated actions do not count
            since = time.span.start if time is not None else a
            actors = tuple(m for m in before if m.type in ACTOR_TYPES and m.span.start >= since) or \
                tuple(m for m in before if m.type in ACTOR_TYPES) or topic
            places = tuple(m for m in actors if m.type is MentionType.PLACE)
            out.append(EventMatch(TRIGGERS[t.group()], t.group(), t.start(), t.end(), (a, b), time,
                                  actors, docs, places))
            found_here = found_here or time is not None
        if not found_here and times:
            out.extend(_statistics(text, a, b, inside))
        subject = _subject(inside, a)
        if subject:
            topic = subject
    return out


def _statistics(text: str, a: int, b: int, inside: list[Mention]) -> list[EventMatch]:
    from kg.extract.sentences import split_clauses

    out = []
    opening = next((m for m in inside if m.type is MentionType.TIME and m.span.start - a <= 2), None)
    for ca, cb in split_clauses(text, a, b):
        clause_mentions = [m for m in inside if ca <= m.span.start and m.span.end <= cb]
        # a time opening the sentence (1至8月, …) dates every clause that has none of its own
        time = next((m for m in clause_mentions if m.type is MentionType.TIME), None) or opening
        if time is None:
            continue
        verb = next(((v, i) for v in REPORTING_VERBS if (i := text.find(v, max(time.span.end, ca), cb)) != -1), None)
        if verb is None:
            continue
        figures = [(f.start(), f.end(), _quantity(f, text, ca, verb)) for f in _FIGURE.finditer(text, verb[1], cb)]
        if not figures:
            continue
        places = tuple(m for m in clause_mentions if m.type is MentionType.PLACE)
        actors = tuple(m for m in clause_mentions if m.type in (MentionType.AGENCY, MentionType.ORGANIZATION))
        out.append(EventMatch(EventType.STATISTIC, verb[0], verb[1], verb[1] + len(verb[0]), (a, b), time,
                              actors, (), places, tuple(figures)))
    return out


def _quantity(m: re.Match[str], text: str, clause_start: int, verb: tuple[str, int]) -> Quantity:
    value = float(m.group(1)) * _SCALE.get(m.group(2) or "", 1)
    unit = m.group(4).replace("％", "%")
    if unit in ("亿元", "万元"):
        value *= _SCALE[unit[0]]
        unit = "元"
    qualifier = "more_than" if m.group(3) else ("at_least" if m.group(5) == "以上" else "about" if m.group(5) else "")
    label = text[verb[1] + len(verb[0]) : m.start()].strip() or _label_before(text, clause_start, verb[1])
    return Quantity(value=value, unit=unit, text=m.group(0), qualifier=qualifier, label=label)


def _label_before(text: str, start: int, verb_at: int) -> str:
    """The noun right before a reporting verb: 平均出庭率达到 → 出庭率."""
    m = re.search(r"([\u4e00-\u9fff]{2}(?:率|量|数|额|比例|比重))$", text[start:verb_at])
    return m.group(1) if m else ""


def _subject(inside: list[Mention], sentence_start: int) -> tuple[Mention, ...]:
    """The sentence topic: the first actor when it opens the sentence (after a time phrase)."""
    for m in inside:
        if m.type is MentionType.TIME:
            continue
        if m.type in (MentionType.AGENCY, MentionType.ORGANIZATION, MentionType.PLACE) and m.span.start - sentence_start <= 12:
            return (m,)
        break
    return ()


def _covered(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.span.start < end and start < m.span.end for m in mentions if m.type is not MentionType.TIME)
