"""Typed, frozen records that flow between the pipeline stages.

read → parse → extract → resolve → graph → export

* ``read``    yields :class:`RawDocument` (decoded text plus metadata found beside it)
* ``parse``   turns each into an :class:`Article` whose ``text`` is the canonical body
* ``extract`` turns an :class:`Article` into an :class:`Extraction` (article-local keys)
* ``resolve`` turns many extractions into a :class:`Corpus` (global, stable ids)
* ``graph``   views a :class:`Corpus` as a ``networkx.MultiDiGraph``
* ``export``  writes a :class:`Corpus` (RDF) or the graph (HTML, GraphML, GEXF)

Every fact carries :class:`Evidence`: a :class:`Span` of the article's canonical
text, with the extractor (``"officials.v1"``) that produced it. Records are
immutable and hashable and check themselves when built, so a bad value fails
here rather than three stages later.

>>> s = Span(doc_id="d1", start=0, end=2, text="苏州")
>>> s.end - s.start
2
>>> Span(doc_id="d1", start=3, end=2, text="")
Traceback (most recent call last):
...
ValueError: span end 2 before start 3
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NewType

DocId = NewType("DocId", str)
"""Content hash of an article's canonical text and metadata (hex)."""

Key = NewType("Key", str)
"""An entity reference: article-local in an :class:`Extraction`, global in a :class:`Corpus`."""


class MentionType(StrEnum):
    PERSON = "person"
    AGENCY = "agency"  # party, state, judicial, procuratorial, people's-congress bodies
    ORGANIZATION = "organization"  # other organisations (media, companies, associations)
    PLACE = "place"
    POST = "post"  # a position title: 市长, 党组书记
    DOCUMENT = "document"  # a named law, regulation, plan, list, system or mechanism
    TIME = "time"


class EntityType(StrEnum):
    PERSON = "person"
    AGENCY = "agency"
    ORGANIZATION = "organization"
    PLACE = "place"
    DOCUMENT = "document"


class TenureStatus(StrEnum):
    AT_DATE = "at_date"  # 时任: held at the article's date (or at the date of the event)
    FORMER = "former"  # 原: held before the article's date
    CURRENT = "current"  # no marker: presented as holding the post at the article's date


class EventType(StrEnum):
    ISSUE = "issue"  # 出台, 印发, 发布, 制定, 颁布
    LAUNCH = "launch"  # 推出, 上线, 启动
    STUDY = "study"  # 研讨, 学习, 专题学习
    MEETING = "meeting"  # 召开, 举行, 会议
    IMPLEMENT = "implement"  # 实施, 推行, 施行
    STATISTIC = "statistic"  # a dated figure: 出庭率达到96%以上


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    SPAN = "span"  # a range such as 8月中旬, 上半年, 1至8月, 十四五期间


class Severity(StrEnum):
    ERROR = "error"  # the input could not be used
    WARNING = "warning"  # used, with a loss the user should know of


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """A non-fatal problem, recorded in ``report.json`` and counted by code."""

    code: str  # e.g. "read.binary", "parse.no-date", "extract.unbalanced-quote"
    message: str
    path: str = ""
    line: int | None = None  # JSON Lines: 1-based line number
    doc_id: str = ""
    start: int | None = None
    end: int | None = None
    severity: Severity = Severity.WARNING


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """Decoded text as read from disk, before any layout is understood."""

    path: str  # as given by the user (relative paths stay relative)
    text: str  # decoded; line ends normalised to "\n"
    encoding: str  # detected encoding, e.g. "utf-8", "gb18030"
    line: int | None = None  # JSON Lines: 1-based line of this record
    fields: tuple[tuple[str, str], ...] = ()  # JSON Lines / HTML metadata (title, date, url, source…)
    layout_hint: str = ""  # "jsonl", "html", or "" (let parse decide)


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news article. ``text`` is the canonical body: every offset counts into it."""

    doc_id: DocId
    text: str
    headline: str = ""
    subtitle: str = ""  # 副题 / alternativeHeadline
    kicker: str = ""  # 引题
    date: _dt.date | None = None
    section: str = ""  # 版面 / column, e.g. 法治政府
    authors: tuple[Author, ...] = ()
    publisher: str = ""  # e.g. 法治日报
    url: str = ""
    source_path: str = ""
    source_line: int | None = None
    layout: str = ""  # "fazhi-ribao", "renmin-ribao", "plain", "jsonl", "html"
    encoding: str = ""

    def __post_init__(self) -> None:
        if not self.doc_id:
            raise ValueError("article without doc_id")


@dataclass(frozen=True, slots=True, kw_only=True)
class Author:
    """A byline entry: ``□ 本报记者 罗莎莎`` → name 罗莎莎, role 记者."""

    name: str  # normalised: inner spaces removed (沙 一 → 沙一)
    role: str  # 记者, 通讯员, 实习生, 编辑 …
    start: int | None = None  # offsets of the name as written, into Article.text
    end: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    doc_id: str
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.start < 0:
            raise ValueError(f"span start {self.start} is negative")
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"span text {self.text!r} is not {self.end - self.start} characters long")


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    span: Span
    extractor: str  # name and version, e.g. "officials.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A typed span. ``name`` is the normalised surface (沙 一 → 沙一; 市司法局 → 苏州市司法局)."""

    span: Span
    type: MentionType
    name: str
    extractor: str
    score: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeValue:
    """A time expression, normalised against the article date when it is relative."""

    text: str
    start: _dt.date | None = None  # first day covered
    end: _dt.date | None = None  # last day covered (inclusive)
    precision: Precision = Precision.DAY
    relative: bool = False  # 今年3月, 近日: depends on the article date
    resolved: bool = True  # False when relative and no article date was known

    @property
    def iso(self) -> str:
        """The most specific ISO 8601 form: ``2021``, ``2021-03`` or ``2021-03-05``; a span gives ``start/end``."""
        if self.start is None:
            return ""
        if self.precision is Precision.YEAR:
            return f"{self.start.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.precision is Precision.SPAN and self.end is not None and self.end != self.start:
            return f"{self.start.isoformat()}/{self.end.isoformat()}"
        return self.start.isoformat()


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """An entity. In an :class:`Extraction` ``key`` is article-local; in a :class:`Corpus` it is global."""

    key: Key
    type: EntityType
    name: str  # canonical label (Chinese)
    aliases: tuple[str, ...] = ()  # other surface forms, sorted
    evidence: tuple[Evidence, ...] = ()
    parent: Key | None = None  # org:subOrganizationOf / schema:containedInPlace
    code: str = ""  # places: statistical division code; agencies: code of their jurisdiction
    kind: str = ""  # places: province/prefecture/county; agencies: party/government/…
    roles: tuple[str, ...] = ()  # persons: byline roles (记者, 通讯员)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tenure:
    """A person holding a post in an organisation (org:Membership)."""

    person: Key
    role: str  # 市长
    organization: Key | None  # the body the post belongs to (苏州市人民政府 for 苏州市市长)
    status: TenureStatus
    time: TimeValue | None  # the instant known to fall inside the tenure
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFact:
    """What one sentence says of a document: issuers, date, version, items, what it replaces."""

    document: Key
    issuers: tuple[Key, ...] = ()
    date: TimeValue | None = None
    version: str = ""  # "2.0"
    replaces: tuple[Key, ...] = ()
    items: int | None = None  # schema:numberOfItems
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    value: float
    unit: str  # 项, 件, %
    text: str  # as written: 96%以上, 9万余件
    qualifier: str = ""  # "at_least", "about", "more_than", ""
    label: str = ""  # what is counted: 出庭率, 审批事项


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    key: Key
    type: EventType
    trigger: str  # the verb as written: 出台
    actors: tuple[Key, ...] = ()
    documents: tuple[Key, ...] = ()
    places: tuple[Key, ...] = ()
    time: TimeValue | None = None
    quantities: tuple[Quantity, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Quotation:
    speaker: Key
    text: str  # the words quoted, without the quotation marks
    evidence: tuple[Evidence, ...]  # the quoted words, then the speech verb and speaker


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """Everything found in one article, with article-local keys."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    tenures: tuple[Tenure, ...] = ()
    documents: tuple[DocumentFact, ...] = ()
    events: tuple[Event, ...] = ()
    quotations: tuple[Quotation, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Merge:
    """One resolution decision, for the audit file."""

    into: Key
    member: Key  # the article-local key, as "doc_id#local_key"
    rule: str  # e.g. "same-name.v1", "place-expansion.v1", "override.same-as"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """The resolved knowledge graph: the truth every export is written from.

    Facts keep the article they came from (``doc_id`` of their evidence), so the
    exports can write one named graph per article.
    """

    articles: tuple[Article, ...] = ()
    entities: tuple[Entity, ...] = ()
    tenures: tuple[tuple[str, Tenure], ...] = ()  # (doc_id, fact)
    documents: tuple[tuple[str, DocumentFact], ...] = ()
    events: tuple[tuple[str, Event], ...] = ()
    quotations: tuple[tuple[str, Quotation], ...] = ()
    merges: tuple[Merge, ...] = ()
    problems: tuple[Problem, ...] = ()
    stats: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
