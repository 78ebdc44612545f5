"""Sentence and clause boundaries, as offsets into the canonical text.

A sentence ends at 。！？!? or a line break, but never inside quotation marks,
so that a quotation and the words naming its speaker stay together:
``“……。”时任苏州市市长李亚平说。`` is one sentence.
"""

from __future__ import annotations

import re

_END = set("。！？!?；;")
_OPEN = {"“": "”", "「": "」", "『": "』", "\"": "\"", "《": "》"}
_CLOSE = {v: k for k, v in _OPEN.items() if v != '"'}
MAX_SENTENCE = 400  # a runaway quotation or a text without sentence ends is cut near here

_CLAUSE = re.compile(r"[,，;；:：]")
_SPECIAL = re.compile(r"[\n“”「」『』\"《》。！？!?；;，,、 ]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of the sentences of ``text``, white space trimmed.

    >>> t = "苏州出台清单。“法治是内核。”李亚平说。 全市推行告知承诺制"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['苏州出台清单。', '“法治是内核。”李亚平说。', '全市推行告知承诺制']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    depth: list[str] = []
    n = len(text)
    hard = 2 * MAX_SENTENCE
    for m in _SPECIAL.finditer(text):  # only punctuation, quotes and breaks matter: skip the rest at C speed
        i = m.start()
        if i < start:
            continue  # closing marks already taken into the sentence before
        while i - start > hard:  # text without sentence ends or commas: cut hard
            _add(text, start, start + hard + 1, spans)
            start, depth = start + hard + 1, []
        c = text[i]
        if c == "\n":
            _add(text, start, i, spans)
            start, depth = i + 1, []
        elif c in _CLOSE and depth and depth[-1] == _CLOSE[c]:
            depth.pop()
        elif c == '"':
            if depth and depth[-1] == '"':
                depth.pop()
            else:
                depth.append('"')
        elif c in _OPEN:
            depth.append(c)
        elif c in _END and (not depth or i - start > MAX_SENTENCE):
            j = i + 1
            while j < n and text[j] in "”」』\"":
                j += 1
            _add(text, start, j, spans)
            start, depth = j, []
        elif depth and i - start > MAX_SENTENCE:
            depth = []
        elif i - start >= MAX_SENTENCE and c in "，,、；; ":
            _add(text, start, i + 1, spans)  # a long run without sentence ends: cut at a comma
            start, depth = i + 1, []
    while n - start > hard:
        _add(text, start, start + hard + 1, spans)
        start += hard + 1
    _add(text, start, n, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma-separated clauses of ``text[start:end]`` (commas inside quotes and 《》 kept)."""
    out: list[tuple[int, int]] = []
    depth = 0
    a = start
    for i in range(start, end):
        c = text[i]
        if c in "“《「『":
            depth += 1
        elif c in "”》」』" and depth:
            depth -= 1
        elif depth == 0 and _CLAUSE.match(c):
            if i > a:
                out.append((a, i))
            a = i + 1
    if end > a:
        out.append((a, end))
    return out
