"""Parse stage: a :class:`RawDocument` in, an :class:`Article` with its canonical ``text`` out.

Layouts are recognised by their structure, not by any article's words:

* ``fazhi-ribao``: 法治日报 e-paper scrape — ``|`` lines, column, body, title(s),
  ``( YYYY-MM-DD ) 稿件来源: <publisher><column> |``, the body again (read once);
* ``renmin-ribao``: 人民日报 e-paper file — 1–3 title lines, a blank line, paragraphs
  indented with ``　　``; the date comes from the file name or folders;
* ``jsonl``: one crawl record (fields title, text, date, url, source);
* ``html``: a saved web page (main text by trafilatura, metadata from ``<meta>``);
* ``plain``: anything else (a short first line without final punctuation is the headline).

Paragraphs of every layout but ``fazhi-ribao`` lose their indentation and trailing
spaces and are joined with ``"\\n"``; NBSP becomes a plain space. The 法治日报 body
line is kept exactly as written (only stripped). Offsets count into ``Article.text``.

>>> raw = RawDocument(path="a.txt", text="苏州出台新规\\n\\n近日，苏州市印发通知。", encoding="utf-8")
>>> article = parse_document(raw)
>>> (article.headline, article.text, article.layout)
('苏州出台新规', '近日，苏州市印发通知。', 'plain')
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import PurePath

from kg.byline import parse_bylines
from kg.errors import ParseError
from kg.read import looks_like_html
from kg.ids import stable_id
from kg.records import Article, DocId, RawDocument

KNOWN_PUBLISHERS = (
    "法治日报", "人民日报", "光明日报", "经济日报", "检察日报", "人民法院报", "工人日报", "农民日报",
    "科技日报", "中国青年报", "解放军报", "新华每日电讯", "中国日报", "人民公安报", "中国纪检监察报",
)
_SOURCE_LINE = re.compile(r"^\(\s*(\d{4}-\d{1,2}-\d{1,2})\s*\)\s*稿件来源\s*[:：]\s*(.*?)\s*\|?\s*$")
_FINAL_PUNCT = "。！？!?；;…."
_INDENT = " \u3000\t\xa0"
_DASHES = ("——", "--", "─", "—")
_KICKER_ENDS = ("强调", "指出", "表示", "：", ":", "——")
_RENMIN_NAME = re.compile(r"^(\d{8})-\d{1,3}-\d{1,3}\.txt$", re.I)
_YMD = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-_./年](\d{1,2})[-_./月](\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"),
)
_YEAR_MONTH_DIR = re.compile(r"^((?:19|20)\d{2})年(\d{1,2})月$")
_DATELINE = re.compile(
    r"(?:新华社|本报|中新社|新华网|人民网|央视网|[\u4e00-\u9fff]{2,8}?)[\u4e00-\u9fff]{0,10}?"
    r"(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日(?:电|讯)"
)
_TEXT_DATE = re.compile(r"(?:发布时间|发布日期|发表时间|时间|日期)\s*[:：]\s*((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2})")
_CHINA = _dt.timezone(_dt.timedelta(hours=8))


def parse_document(raw: RawDocument) -> Article:
    """Recognise the layout of ``raw`` and build its :class:`Article`.

    Raises:
        ParseError: ``parse.empty`` when no body text is left.
    """
    if raw.layout_hint == "jsonl":
        parts = _parse_jsonl(raw)
    elif raw.layout_hint == "html" or looks_like_html(raw.text[:4096]):
        parts = _parse_html(raw)
    elif (lines := raw.text.split("\n")) and _is_fazhi(lines):
        parts = _parse_fazhi(lines)
    else:
        parts = _parse_paragraphs(raw)
    return _article(raw, parts)


def _article(raw: RawDocument, parts: dict) -> Article:
    text = parts.pop("text").strip()
    if not text:
        raise ParseError("no body text", code="parse.empty", path=raw.path, line=raw.line)
    date = parts.pop("date", None) or date_from_path(raw.path) or _dateline_date(text, raw.path)
    parts["publisher"] = parts.get("publisher", "") or dateline_agency(text)
    headline, publisher = parts.get("headline", ""), parts["publisher"]
    doc_id = stable_id("article", text, headline, date.isoformat() if date else "", publisher)
    return Article(
        doc_id=DocId(doc_id), text=text, date=date, authors=parse_bylines(text), source_path=raw.path,
        source_line=raw.line, encoding=raw.encoding, **parts,
    )


# --- 法治日报 e-paper ---------------------------------------------------------

def _is_fazhi(lines: list[str]) -> bool:
    pipes = sum(1 for line in lines if line.strip() == "|")
    return pipes >= 3 and any(_SOURCE_LINE.match(line.strip()) for line in lines)


def _parse_fazhi(lines: list[str]) -> dict:
    """Column, body, title(s) and source line; the repeated body is read once."""
    content = [(i, line.strip()) for i, line in enumerate(lines) if line.strip() and line.strip() != "|"]
    source_at, source = next((i, _SOURCE_LINE.match(s)) for i, s in content if _SOURCE_LINE.match(s))
    body = max((s for _, s in content), key=len)
    before = [s for i, s in content if i < source_at]
    if body in before:
        cut = before.index(body)
        columns, titles = before[:cut], [s for s in before[cut + 1 :] if s != body]
    elif len(before) >= 2 and len(before[0]) <= 10:
        columns, titles = before[:1], before[1:]
    else:
        columns, titles = [], before
    section = columns[-1] if columns else ""
    publisher, section = _split_source(source.group(2), section)
    kicker, headline, subtitle = _title_roles(titles, second_is_subtitle=True)
    return {
        "text": body, "headline": headline, "subtitle": subtitle, "kicker": kicker, "section": section,
        "publisher": publisher, "date": parse_date(source.group(1)), "layout": "fazhi-ribao",
    }


def _split_source(source: str, section: str) -> tuple[str, str]:
    """``法治日报法治政府`` → (法治日报, 法治政府), using the column name or a known publisher."""
    if section and source.endswith(section) and len(source) > len(section):
        return source[: -len(section)], section
    for publisher in KNOWN_PUBLISHERS:
        if source.startswith(publisher):
            return publisher, section or source[len(publisher) :]
    return source, section


# --- 人民日报 e-paper and plain text -------------------------------------------

def clean_paragraphs(text: str) -> str:
    """Paragraphs without indentation or trailing space, NBSP as space, joined by ``"\\n"``.

    >>> clean_paragraphs("\\u3000\\u3000新华社北京1月9日电\\xa0\\xa0正文\\n\\n\\u3000\\u3000第二段 ")
    '新华社北京1月9日电  正文\\n第二段'
    """
    lines = (line.replace("\xa0", " ").strip(_INDENT + " ") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _title_roles(titles: list[str], *, second_is_subtitle: bool = False) -> tuple[str, str, str]:
    """(kicker, headline, subtitle) from 1–3 title lines (引题 / 主题 / 副题).

    Of two lines the second is the subtitle when it starts with a dash, is
    longer, or ``second_is_subtitle`` says the layout puts 主题 first; the first
    is a kicker when it ends like a lead-in (``…强调``, ``…：``).
    """
    titles = [t.strip(_INDENT) for t in titles if t.strip(_INDENT)]
    if not titles:
        return "", "", ""
    if len(titles) == 1:
        return "", titles[0], ""
    if len(titles) >= 3:
        return titles[0], titles[1], " ".join(titles[2:])
    first, second = titles
    if first.endswith(_KICKER_ENDS):
        return first, second, ""
    if second_is_subtitle or second.startswith(_DASHES) or len(second) > len(first):
        return "", first, second
    return first, second, ""


def _looks_like_title(line: str) -> bool:
    return 0 < len(line) < 60 and not line.endswith(tuple(_FINAL_PUNCT))


def _parse_paragraphs(raw: RawDocument) -> dict:
    """人民日报 layout (title block, blank line, ``　　`` paragraphs) or plain text."""
    lines = raw.text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    blank = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    block = lines[:blank]
    rest = lines[blank:]
    has_block = 1 <= len(block) <= 3 and all(_looks_like_title(b.strip(_INDENT)) and not b.startswith("　") for b in block)
    indented = any(line.startswith("\u3000\u3000") for line in rest)
    if has_block and any(line.strip() for line in rest):
        titles, body = block, "\n".join(rest)
    elif lines and _looks_like_title(lines[0].strip(_INDENT)) and len(lines) > 1:
        titles, body = lines[:1], "\n".join(lines[1:])
    else:
        titles, body = [], "\n".join(lines)
    kicker, headline, subtitle = _title_roles(titles)
    renmin = has_block and indented and _renmin_path(raw.path)
    return {
        "text": clean_paragraphs(body), "headline": headline, "subtitle": subtitle, "kicker": kicker,
        "publisher": "人民日报" if renmin else "", "layout": "renmin-ribao" if renmin else "plain",
    }


def _renmin_path(path: str) -> bool:
    """人民日报 files are named ``YYYYMMDD-<page>-<n>.txt`` or kept under a 人民日报 folder."""
    pure = PurePath(path)
    return bool(_RENMIN_NAME.match(pure.name)) or any(p in ("人民日报", "rmrb") for p in pure.parts)


# --- JSON Lines ---------------------------------------------------------------

def _parse_jsonl(raw: RawDocument) -> dict:
    fields = dict(raw.fields)
    return {
        "text": clean_paragraphs(raw.text), "headline": fields.get("title", "").strip(),
        "date": parse_date(fields.get("date", "")), "url": fields.get("url", "").strip(),
        "publisher": fields.get("source", "").strip(), "layout": "jsonl",
    }


# --- HTML ---------------------------------------------------------------------

_META_DATE = ("article:published_time", "pubdate", "publishdate", "publish_date", "publishtime",
              "firstpublishedtime", "dc.date", "dc.date.issued", "dcterms.created", "date", "og:release_date")
_META_PUBLISHER = ("og:site_name", "sitename", "contentsource", "source", "publisher", "author")


def _html_tree(text: str):
    """A parsed page: HTML parser only (never XML), no network, no huge trees; entities stay unexpanded."""
    import lxml.html

    parser = lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
    )
    return lxml.html.fromstring(text.encode("utf-8", "replace"), parser=parser)


def _parse_html(raw: RawDocument) -> dict:
    tree = _html_tree(raw.text)
    metas = {
        (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower(): (m.get("content") or "").strip()
        for m in tree.iter("meta")
    }
    headline = metas.get("og:title") or _first_text(tree, "h1") or _strip_site(_first_text(tree, "title"))
    body = clean_paragraphs(_main_text(raw.text) or _fallback_text(tree))
    if headline and (body == headline or body.startswith(headline + "\n")):  # a page of a title only is empty
        body = body[len(headline) + 1 :]
    date = next((d for k in _META_DATE if (d := parse_date(metas.get(k, "")))), None)
    if date is None and (match := _TEXT_DATE.search(tree.text_content()[:20000])):
        date = parse_date(match.group(1))
    canonical = next((link.get("href", "") for link in tree.iter("link") if link.get("rel") == "canonical"), "")
    return {
        "text": body, "headline": headline, "date": date, "url": metas.get("og:url") or canonical,
        "publisher": next((metas[k] for k in _META_PUBLISHER if metas.get(k)), ""), "layout": "html",
    }


def _first_text(tree, tag: str) -> str:
    element = next(iter(tree.iter(tag)), None)
    return " ".join(element.text_content().split()) if element is not None else ""


def _strip_site(title: str) -> str:
    """``苏州出台新规_苏州市人民政府`` → ``苏州出台新规``: drop a trailing site name."""
    parts = re.split(r"\s*(?:_| - | \| |－|—)\s*", title)
    return parts[0] if parts and parts[0] else title


def _main_text(html: str) -> str:
    """Main content by trafilatura (offline: it is given the page, never a URL)."""
    import trafilatura

    tree = _html_tree(html)
    return trafilatura.extract(tree, output_format="txt", include_comments=False, include_tables=True) or ""


def _fallback_text(tree) -> str:
    """Readability-style fallback: the element whose ``<p>`` children hold the most text."""
    for element in list(tree.iter("script", "style", "nav", "header", "footer", "aside", "form", "noscript")):
        if element.getparent() is not None:
            element.drop_tree()
    scores: dict = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(paragraph.text_content().strip())
    if not scores:
        return tree.text_content()
    best = max(scores, key=scores.get)
    return "\n".join(p.text_content() for p in best.iter("p"))


# --- dates --------------------------------------------------------------------

def parse_date(value: str) -> _dt.date | None:
    """A calendar date from a metadata string, or None.

    Accepts ``2021-09-03``, ``2021/9/3 08:00``, ``2021年9月3日``, ``20210903``, ISO
    timestamps and epoch seconds or milliseconds (read in China time).

    >>> parse_date("2021年9月3日"), parse_date("1630627200"), parse_date("soon")
    (datetime.date(2021, 9, 3), datetime.date(2021, 9, 3), None)
    """
    value = value.strip()
    if re.fullmatch(r"\d{10}|\d{13}", value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return _dt.datetime.fromtimestamp(seconds, _CHINA).date()
    return _search_date(value)


def _search_date(value: str) -> _dt.date | None:
    """The first valid ``YYYY-MM-DD``-like (or ``YYYYMMDD``) date in ``value``."""
    for pattern in _YMD:
        for match in pattern.finditer(value):
            if date := _valid_date(*match.groups()):
                return date
    return None


def _valid_date(year: str | int, month: str | int, day: str | int) -> _dt.date | None:
    try:
        return _dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def date_from_path(path: str) -> _dt.date | None:
    """The date in a file name (``20200110-01-3.txt``, ``2021-09-03-x.txt``) or, failing that, a folder name.

    >>> date_from_path("2020年1月/20200110/01-3.txt")
    datetime.date(2020, 1, 10)
    """
    for part in reversed(PurePath(path).parts):
        if date := _search_date(part):
            return date
    return None


def _year_hint(path: str) -> tuple[int, int] | None:
    """(year, month) from a ``YYYY年M月`` folder."""
    for part in reversed(PurePath(path).parts):
        if match := _YEAR_MONTH_DIR.match(part):
            return int(match.group(1)), int(match.group(2))
    return None


_AGENCY_DATELINE = re.compile(r"(新华社|中新社|中国新闻社)[\u4e00-\u9fff]{0,10}?(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日电")


def dateline_agency(text: str) -> str:
    """The news agency whose dateline opens ``text`` (the publisher of a wire story), or ''.

    >>> dateline_agency("新华社广州11月2日电（记者刘大伟）记者从……获悉")
    '新华社'
    >>> dateline_agency("本报北京9月3日讯 记者……")
    ''
    """
    match = _AGENCY_DATELINE.match(text.lstrip()[:60])
    return match.group(1) if match else ""


def _dateline_date(text: str, path: str) -> _dt.date | None:
    """The date of a dateline (``新华社北京1月9日电``, ``本报北京9月3日讯``) near the start.

    The year is the dateline's own or the folder's (``2020年1月/``); a dateline
    month after the folder month belongs to the year before.
    """
    match = _DATELINE.search(text[:200])
    if match is None:
        return None
    year, month, day = match.groups()
    if year:
        return _valid_date(year, month, day)
    hint = _year_hint(path)
    if hint is None:
        return None
    return _valid_date(hint[0] - (int(month) > hint[1]), month, day)
