"""Extractors: from an :class:`~kg.records.Article` to its mentions, entities and facts with evidence.

>>> from kg.records import Article
>>> import datetime
>>> ex = extract_article("时任苏州市市长李亚平说。", date=datetime.date(2021, 9, 3))
>>> [(t.role, t.status.value, t.time.iso) for t in ex.tenures]
[('市长', 'at_date', '2021-09-03')]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator

from kg.ids import stable_id
from kg.records import Article, DocId, Extraction, Problem, Severity


MAX_CHARS = 500_000
"""Text past this many characters of one article is not extracted (a warning says so): a 20 MB
"article" is a dump, not a news story, and would hold one build up for minutes."""


def extract(article: Article, *, tagger: bool = True) -> Extraction:
    """All mentions, entities and facts of one article (keys are article-local)."""
    from kg.extract.assemble import assemble
    from kg.extract.mentions import analyse

    if len(article.text) <= MAX_CHARS:
        return assemble(analyse(article, tagger=tagger))
    return _truncated(article, assemble(analyse(_head(article), tagger=tagger)))


def _head(article: Article) -> Article:
    return dataclasses.replace(article, text=article.text[:MAX_CHARS])


def _truncated(article: Article, head: Extraction) -> Extraction:
    """The extraction of the first :data:`MAX_CHARS` characters, as the extraction of the whole article."""
    problem = Problem(code="extract.truncated", path=article.source_path, line=article.source_line,
                      doc_id=article.doc_id, severity=Severity.WARNING,
                      message=f"only the first {MAX_CHARS:,} of {len(article.text):,} characters were extracted")
    return dataclasses.replace(head, article=article, problems=head.problems + (problem,))


def extract_many(articles: list[Article], *, tagger: bool = True) -> list[Extraction]:
    """:func:`extract` for many articles, tagging all their sentences in one call.

    The tagger batches sentences of equal length; across many articles there are
    many more of them, so this is faster than one call per article, and gives the
    same extractions.
    """
    from kg.extract.assemble import assemble
    from kg.extract.mentions import analyse
    from kg.extract.sentences import split_sentences
    from kg.extract.tagger import get_tagger

    if not tagger or any(len(a.text) > MAX_CHARS for a in articles):
        return [extract(a, tagger=tagger) for a in articles]
    sentences = [[a.text[s:e] for s, e in split_sentences(a.text)] for a in articles]
    tagged = get_tagger().tag([s for group in sentences for s in group])
    out, at = [], 0
    for article, group in zip(articles, sentences):
        out.append(assemble(analyse(article, tagger=True, tagged=tagged[at : at + len(group)])))
        at += len(group)
    return out


def extract_article(text: str, *, date: dt.date | None = None, headline: str = "", tagger: bool = True) -> Extraction:
    """Extract from a bare text (for notebooks): ``date`` anchors relative times such as 今年3月."""
    article = Article(doc_id=DocId(stable_id("article", text, headline, date.isoformat() if date else "")),
                      text=text, headline=headline, date=date)
    return extract(article, tagger=tagger)


def iter_mentions_jsonl(lines: Iterable[str], *, tagger: bool = True, date: str | None = None) -> Iterator[str]:
    """``kg extract --mentions``: JSON Lines ``{id, text}`` in, ``{id, mentions}`` out, one line per input line.

    A line that is not a JSON object with a string ``text`` gives ``{"id": …, "error": …}``.
    """
    base = dt.date.fromisoformat(date) if date else None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            yield json.dumps({"id": None, "line": n, "error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False)
            continue
        ex = extract_article(text, date=base, tagger=tagger)
        mentions = [{"start": m.span.start, "end": m.span.end, "type": m.type.value, "text": m.span.text}
                    for m in ex.mentions]
        yield json.dumps({"id": obj.get("id"), "mentions": mentions}, ensure_ascii=False)
