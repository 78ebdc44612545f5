"""Quotations: who said what.

Two shapes are common in news text::

    “……。”时任苏州市市长李亚平说。      (quote, then speaker and speech verb)
    李亚平表示：“……。”                  (speaker and verb, then quote)

The speaker is the last person mentioned between the quote and the speech verb.
Short quoted words (scare quotes such as “履职纪实”) are not quotations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kg.records import Mention, MentionType

EXTRACTOR = "quotes.v1"
MIN_QUOTE = 8  # characters; shorter quoted words are names or scare quotes
SPEECH_VERBS = ("说", "表示", "指出", "强调", "介绍", "认为", "称", "坦言", "告诉记者", "说道", "提出", "谈到", "解释")
_VERB = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_QUOTE = re.compile(r"“([^“”]{%d,2000})”" % MIN_QUOTE)
_AFTER = re.compile(r"\s*[,，]?\s*([^。！？“”\n]{1,40}?)(?:" + _VERB + r")(?:道)?\s*[。，,.！]?")
_BEFORE = re.compile(r"([^。！？“”\n]{1,40}?)(?:" + _VERB + r")(?:道)?\s*[:：,，]\s*$")


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    quote_start: int  # the words, without the quotation marks
    quote_end: int
    speaker: Mention
    cue_start: int  # the words naming the speaker and the speech verb
    cue_end: int


def find_quotations(text: str, mentions: list[Mention]) -> list[QuoteMatch]:
    """Quotations with a person as speaker.

    >>> from kg.records import Mention, MentionType, Span
    >>> t = "“依法行政是政府工作的生命线。”市长张伟说。"
    >>> m = Mention(span=Span(doc_id="d", start=17, end=19, text="张伟"), type=MentionType.PERSON, name="张伟", extractor="x")
    >>> q = find_quotations(t, [m])[0]
    >>> t[q.quote_start:q.quote_end], q.speaker.name
    ('依法行政是政府工作的生命线。', '张伟')
    """
    persons = [m for m in mentions if m.type is MentionType.PERSON]
    starts = [p.span.start for p in persons]
    out: list[QuoteMatch] = []
    for q in _QUOTE.finditer(text):
        after = _AFTER.match(text, q.end())
        if after:
            speaker = _last_person(persons, starts, after.start(1), after.end(1))
            if speaker:
                out.append(QuoteMatch(q.start(1), q.end(1), speaker, after.start(1), after.end()))
                continue
        window = max(0, q.start() - 60)  # the speaker phrase is at most 40 characters
        line_start = max(window - 1, *(text.rfind(c, window, q.start()) for c in "。！？\n")) + 1
        before = _BEFORE.search(text, line_start, q.start())
        if before:
            speaker = _last_person(persons, starts, before.start(1), before.end(1))
            if speaker:
                out.append(QuoteMatch(q.start(1), q.end(1), speaker, before.start(1), before.end()))
    return out


def _last_person(persons: list[Mention], starts: list[int], start: int, end: int) -> Mention | None:
    """The last person wholly inside ``start:end`` (``persons`` sorted by start, ``starts`` their starts)."""
    i = bisect.bisect_left(starts, end)
    while i > 0:
        i -= 1
        p = persons[i]
        if p.span.start < start:
            return None
        if p.span.end <= end:
            return p
    return None
