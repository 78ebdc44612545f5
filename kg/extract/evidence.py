"""Spans and evidence, built in one place so the invariant ``text[start:end] == quote`` always holds."""

from __future__ import annotations

from kg.records import Article, Evidence, Span


def make_span(article: Article, start: int, end: int) -> Span:
    """The span ``article.text[start:end]``.

    >>> from kg.records import Article
    >>> a = Article(doc_id="d", text="时任苏州市市长李亚平说")
    >>> make_span(a, 7, 10).text
    '李亚平'
    >>> make_span(a, 7, 99)
    Traceback (most recent call last):
    ...
    ValueError: span 7:99 outside article d of 11 characters
    """
    if not 0 <= start <= end <= len(article.text):
        raise ValueError(f"span {start}:{end} outside article {article.doc_id} of {len(article.text)} characters")
    return Span(doc_id=article.doc_id, start=start, end=end, text=article.text[start:end])


def make_evidence(article: Article, start: int, end: int, extractor: str) -> Evidence:
    """Evidence for ``article.text[start:end]`` found by ``extractor`` (``"name.vN"``)."""
    return Evidence(span=make_span(article, start, end), extractor=extractor)


def check_evidence(article: Article, evidence: Evidence) -> None:
    """Raise ``ValueError`` unless the evidence quotes ``article`` exactly."""
    span = evidence.span
    if span.doc_id != article.doc_id or article.text[span.start : span.end] != span.text:
        raise ValueError(f"evidence {span} does not quote article {article.doc_id}")
