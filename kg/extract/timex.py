"""Time expressions in Chinese news text, normalised against the article's own date.

``find_times`` finds every expression with its offsets; ``normalize_time`` reads one.
A relative expression (今年3月, 上半年, 近日) is resolved against ``base``, the
article's date; without a base it comes back unresolved, never pinned to today.

>>> import datetime as dt
>>> base = dt.date(2021, 9, 3)
>>> [(s, e, t.iso) for s, e, t in find_times("2020年3月出台清单,今年3月推出2.0版", base)]
[(0, 7, '2020-03'), (12, 16, '2021-03')]
>>> normalize_time("8月中旬", base).iso
'2021-08-11/2021-08-20'
>>> normalize_time("“十四五”期间", None).iso
'2021-01-01/2025-12-31'

Choices for vague or underspecified expressions (all ``relative=True``):

* a month or day written without a year takes the base year (a day alone, the
  base month); if that lands more than a week after the base date, a news
  article most likely means the previous year (month), unless the text marks a
  future (将/拟/定于/计划/预计 just before, 起/前 just after): ``10月`` in an
  article of 2021-09-03 is 2020-10, ``自10月1日起`` is 2021-10-01;
* 上旬 / 月初 days 1–10, 中旬 11–20, 下旬 / 月底 / 月末 21 to the month's end;
  年初 January–February, 年底 / 年末 November–December, 年内 / 全年 the whole year;
* 近日 / 日前 / 前不久 / 不久前: the 30 days up to the base; 近期: 30 days either side;
  目前 / 当前: the base date; 此前: the 365 days before it; 近年(来): the 5 years up to it;
* … 以来 / … 至今: from the start of the expression to the base date;
* anaphoric expressions (当年, 同年3月, 次月5日) are skipped: they refer to another
  date of the story, not to the article's date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from kg.records import Precision, TimeValue

__all__ = ["find_times", "normalize_time"]

SLACK = dt.timedelta(days=7)  # "a few days": how far ahead a yearless month/day may lie
RECENT = dt.timedelta(days=30)  # 近日, 日前
BEFORE = dt.timedelta(days=365)  # 此前
RECENT_YEARS = 5  # 近年来

_FOLD = str.maketrans("０１２３４５６７８９－．／～", "0123456789-./~")  # one char for one: offsets hold
_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR_WORDS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_MONTH_WORDS = {"本月": 0, "这个月": 0, "上月": -1, "上个月": -1, "下月": 1, "下个月": 1}
_DAY_WORDS = {"今天": 0, "今日": 0, "当天": 0, "当日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1}
# days of a month part; 31 stands for the month's last day
_MONTH_PARTS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31), "上中旬": (1, 20), "中下旬": (11, 31),
                "初": (1, 10), "底": (21, 31), "末": (21, 31)}
# months of a year part
_YEAR_PARTS = {"初": (1, 2), "底": (11, 12), "末": (11, 12), "内": (1, 12), "全年": (1, 12),
               "上半年": (1, 6), "下半年": (7, 12)}
_FUTURE_BEFORE = ("将", "将于", "将在", "拟", "拟于", "定于", "计划", "计划于", "预计", "预计于")
_FUTURE_AFTER = ("起", "前")

# --- patterns -----------------------------------------------------------------------------
_CN = "〇零一二三四五六七八九"
_NOT_DIGIT = r"(?<![\d.])"
_NOT_CN = r"(?<![〇零一二三四五六七八九十百千万两几])"
_NOT_MING = r"(?<![说证表声阐查标注简透发文鲜光英聪精分清开高廉澄黎失神申指])"  # 说明年度 is no year
_NOT_AFTER_YEAR_WORD = r"(?![龄级代份纪轻华货鉴薪迈均])"  # 今年龄? 去年代: 年龄, 年代 …
_PART_END = r"(?![步次级审稿衷赛选线层气部端梢尾蕴色座])"  # 初步, 底线, 末端 are no times
# 年底 / 月底 without a number: only after a function word or punctuation (not 少年内心, 当年底)
_ALLOWED_BEFORE = r"(?<![^于在至到从自止争计将前和及或保取望期的、，,。;；:：“\"（(\s])"

_Y_NUM = rf"(?:{_NOT_DIGIT}(?:19\d\d|20\d\d|2100)(?!\d)|{_NOT_CN}[一二][{_CN}]{{3}})"
_REL_YEAR = rf"(?:(?:今|本|去|上)年度?|{_NOT_MING}明年(?!度)|前年(?!度)){_NOT_AFTER_YEAR_WORD}"
_YEAR = rf"(?:{_Y_NUM}年度?|{_REL_YEAR})"
_M_NUM = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_REL_MONTH = r"(?:本月|这个月|上个?月|下个?月)"
_MONTH0 = rf"(?:(?<![\d.年月〇零一二三四五六七八九十百千万两几数每第个半同当次该]){_M_NUM}月份?|{_REL_MONTH})"
_D_NUM = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_DAY = rf"{_D_NUM}[日号]"
_DAY0 = r"(?<![\d.近每满逾第数几约共达超过为月年号期])(?:3[01]|[12]\d|0?[1-9])日(?![内后前余左以之间常益夜均])"
_MPART = rf"(?:上中旬|中下旬|上旬|中旬|下旬|初|底|末){_PART_END}"
_QUARTER = r"(?:第?[一二三四1-4]季度|前[二三两2-3]季度|上半年|下半年)"
_FIRST_MONTHS = r"前(?:1[01]|[2-9]|十一?|[二三四五六七八九两])个?月"
_YPART = rf"(?:年?(?:初|底|末)|内(?![蒙地部外容在涵心需设控])|全年|{_QUARTER}|{_FIRST_MONTHS}){_PART_END}"
_YPART0 = rf"(?:{_ALLOWED_BEFORE}年(?:初|底|末|内)|(?<![\d〇零一二三四五六七八九十]){_QUARTER}){_PART_END}"
_MPART0 = rf"{_ALLOWED_BEFORE}月(?:初|底|末){_PART_END}"
_POINT = (rf"(?:{_YEAR}(?:{_M_NUM}月份?(?:{_DAY}|{_MPART})?|{_YPART})?"
          rf"|{_MONTH0}(?:{_DAY}|{_MPART})?|{_DAY0}|{_YPART0}|{_MPART0})")
_BARE = rf"(?:{_NOT_DIGIT}\d{{1,4}}|{_NOT_CN}[{_CN}十]{{1,3}})"
_LEFT = rf"(?:{_POINT}|(?:{_YEAR}(?:{_M_NUM}月份?)?|{_MONTH0})?{_BARE})"
_SEP = r"(?:至|到|——|—|–|-|~|〜)"
_VAGUE = (rf"(?:近[些几]?年(?:以来|来)?{_NOT_AFTER_YEAR_WORD}|(?<![附邻靠接])近日|近期"
          r"|(?<![节假生周末次当即今昨明前某每同首数几平往元作念期息终整全多诞旦半\d〇一二三四五六七八九十])日前"
          r"|(?<![项题节科书条名纲栏数类细盲剧标耳注瞩醒面心眉篇账要曲录])目前"
          r"|(?<![因彼])此前(?![提往进行期])|(?<![担每相])当前|前不久|不久前)")
_RDAY = rf"(?:(?<!如)今[天日](?![益常期])|昨[天日]|(?<!提)前天|{_NOT_MING}明[天日](?![期益常])|当[天日](?!期))"
_FYP = rf"{_NOT_CN}[\"“‘「]?(?P<fyp>十[一二三四五六七八九]?|[一二三四五六七八九])五[\"”’」]?(?:规划)?(?:期间|时期)"
_NUMDATE = (rf"{_NOT_DIGIT}(?P<ny>19\d\d|20\d\d|2100)(?P<ns>[-./])(?P<nm>1[0-2]|0?[1-9])(?P=ns)"
            r"(?P<nd>3[01]|[12]\d|0?[1-9])(?!\d)(?!\.\d)")
# Every expression starts with one of these: checking them first makes the scan ~15 times faster.
_STARTS = rf"(?=[\d{_CN}十两今去上前明本下这昨当近日目此年月第不\"“‘「])"
_MASTER = re.compile(
    rf"{_STARTS}(?:(?P<numdate>{_NUMDATE})|(?P<fyp_all>{_FYP})|(?P<left>{_LEFT}){_SEP}(?P<right>{_POINT})"
    rf"|(?P<vague>{_VAGUE})|(?P<rday>{_RDAY})|(?P<point>{_POINT})(?P<since>以来|至今)?)"
)
# Parsing a span the master pattern has already accepted: permissive, with names.
_PARTS = r"(?:年|月)?(?:上中旬|中下旬|上旬|中旬|下旬|初|底|末|内|全年|第?[一二三四1-4]季度|前[二三两2-3]季度|上半年|下半年|前[\d十一二三四五六七八九两]{1,2}个?月)"
_PARSE = re.compile(
    rf"(?:(?P<y>[\d{_CN}]{{4}})年度?|(?P<yr>今年|本年|去年|上年|前年|明年)度?)?"
    rf"(?:(?P<m>[\d{_CN}十]{{1,2}})月份?|(?P<mr>本月|这个月|上个?月|下个?月))?"
    rf"(?:(?P<d>[\d{_CN}十]{{1,3}})[日号])?(?P<part>{_PARTS})?(?P<bare>[\d{_CN}十]{{1,4}})?"
)
_QUARTER_NUM = re.compile(r"(前)?第?([一二三四两1-4])季度")
_FIRST_N = re.compile(r"前([\d十一二三四五六七八九两]{1,2})个?月")


class _Unanchored(Exception):
    """The expression is relative and no base date was given."""


@dataclass(frozen=True, slots=True)
class _Raw:
    """A point as written: absolute numbers, shifts relative to the base, a part (中旬, 上半年)."""

    year: int | None = None
    year_shift: int | None = None
    month: int | None = None
    month_shift: int | None = None
    day: int | None = None
    part: str = ""
    bare: int | None = None  # the left number of 1至8月

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.year_shift is not None

    @property
    def has_month(self) -> bool:
        return self.month is not None or self.month_shift is not None


@dataclass(frozen=True, slots=True)
class _Fields:
    """A point with year (and month) filled in; ``inferred`` names the unit taken from the base."""

    year: int
    month: int | None
    day: int | None
    part: str
    inferred: str = ""  # "year" (3月), "month" (5日) or ""


def _number(s: str) -> int:
    """Read ASCII digits or Chinese numerals: ``"二〇二〇"`` → 2020, ``"二十一"`` → 21.

    Raises ValueError for a malformed numeral such as ``"十十"``.
    """
    if s.isascii():
        return int(s)
    tens, ten, units = s.partition("十")
    if not s or not set(tens + units) <= _CN_DIGIT.keys() or (ten and (len(tens) > 1 or len(units) > 1)):
        raise ValueError(f"not a numeral: {s!r}")
    if not ten:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _parse(s: str) -> _Raw | None:
    """Read a point the master pattern accepted; None if its numbers are malformed or out of range."""
    m = _PARSE.fullmatch(s)
    if m is None:
        return None
    g = m.groupdict()
    try:
        year, month, day, bare = (None if g[k] is None else _number(g[k]) for k in ("y", "m", "d", "bare"))
    except ValueError:
        return None
    if year is not None and not 1900 <= year <= 2100:
        return None
    return _Raw(year=year, year_shift=_YEAR_WORDS.get(g["yr"] or ""), month=month,
                month_shift=_MONTH_WORDS.get(g["mr"] or ""), day=day, part=g["part"] or "", bare=bare)


def _month_scope(raw: _Raw) -> bool:
    """Whether the part divides a month (8月中旬, 月底) rather than a year (年底, 上半年)."""
    return bool(raw.part) and (raw.has_month or raw.part.startswith("月") or raw.part.endswith("旬"))


def _fill(raw: _Raw, base: dt.date | None) -> _Fields:
    """Take the missing year (and month) from the base date."""
    part = raw.part.lstrip("年月")
    if raw.year is not None:
        return _Fields(raw.year, raw.month, raw.day, part)
    if base is None:
        raise _Unanchored
    if raw.year_shift is not None:
        return _Fields(base.year + raw.year_shift, raw.month, raw.day, part)
    if raw.month_shift is not None:
        year, month = _add_months(base.year, base.month, raw.month_shift)
        return _Fields(year, month, raw.day, part)
    if raw.month is not None:
        return _Fields(base.year, raw.month, raw.day, part, inferred="year")
    if raw.day is not None:
        return _Fields(base.year, base.month, raw.day, part, inferred="month")
    return _Fields(base.year, base.month if _month_scope(raw) else None, None, part)


def _add_months(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + shift
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _interval(f: _Fields) -> tuple[dt.date, dt.date, Precision] | None:
    """The days a point covers, or None if it names no real date (2月30日, 第五季度)."""
    if not 1900 <= f.year <= 2100 or (f.month is not None and not 1 <= f.month <= 12):
        return None
    try:
        if f.day is not None:
            day = dt.date(f.year, f.month or 1, f.day)
            return day, day, Precision.DAY
        if f.month is not None:
            first, last = _MONTH_PARTS.get(f.part, (1, 31))
            last = min(last, _last_day(f.year, f.month))
            precision = Precision.SPAN if f.part else Precision.MONTH
            return dt.date(f.year, f.month, first), dt.date(f.year, f.month, last), precision
        if not f.part:
            return dt.date(f.year, 1, 1), dt.date(f.year, 12, 31), Precision.YEAR
    except ValueError:
        return None
    months = _year_part_months(f.part)
    if months is None:
        return None
    return dt.date(f.year, months[0], 1), dt.date(f.year, months[1], _last_day(f.year, months[1])), Precision.SPAN


def _year_part_months(part: str) -> tuple[int, int] | None:
    if part in _YEAR_PARTS:
        return _YEAR_PARTS[part]
    if q := _QUARTER_NUM.fullmatch(part):
        n = _number(q.group(2))
        return ((1, 3 * n) if q.group(1) else (3 * n - 2, 3 * n)) if 1 <= n <= 4 else None
    if f := _FIRST_N.fullmatch(part):
        n = _number(f.group(1))
        return (1, n) if 1 <= n <= 12 else None
    return None


def _earlier(f: _Fields) -> _Fields:
    """The same month one year back (3月 → last year's March), or the same day one month back."""
    if f.inferred == "year":
        return replace(f, year=f.year - 1)
    if f.inferred == "month":
        year, month = _add_months(f.year, f.month or 1, -1)
        return replace(f, year=year, month=month)
    return f


def _resolve(raws: list[_Raw], base: dt.date | None, future: bool) -> list[tuple[dt.date, dt.date, Precision]] | None:
    """Intervals for one point or the two ends of a range, rolled back together when too far ahead."""
    fields = [_fill(raw, base) for raw in raws]
    spans = [_interval(f) for f in fields]
    if base is not None and fields[0].inferred and not future:
        too_late = spans[0] is not None and spans[0][0] > base + SLACK
        if too_late or None in spans:
            fields = [_earlier(f) for f in fields]
            spans = [_interval(f) for f in fields]
    return [span for span in spans if span is not None] if None not in spans else None


def _join(left: _Raw, right: _Raw) -> tuple[_Raw, _Raw] | None:
    """Share units between the ends of a range: 1至8月, 2020年3月至5月, 3月5日至8日, 2021-2025年."""
    if left.bare is not None:
        # the bare number takes the largest unit of the right end: 2021-2025年, 1至8月, 5至8日
        n, left = left.bare, replace(left, bare=None)
        if right.has_year and 1900 <= n <= 2100:
            left = replace(left, year=n)
        elif right.has_month and not right.has_year:
            left = replace(left, month=n)
        elif right.day is not None and not right.has_year:
            left = replace(left, day=n)
        else:
            return None
    if not right.has_year and left.has_year:
        right = replace(right, year=left.year, year_shift=left.year_shift)
    elif not left.has_year and right.has_year:
        left = replace(left, year=right.year, year_shift=right.year_shift)
    if right.day is not None and not right.has_month and left.has_month:
        right = replace(right, month=left.month, month_shift=left.month_shift)
    elif left.day is not None and not left.has_month and right.has_month:
        left = replace(left, month=right.month, month_shift=right.month_shift)
    return left, right


def _five_year_plan(n: int) -> tuple[dt.date, dt.date]:
    """The nth five-year plan: 1953–1957, 1958–1962, then (after 1963–65) 1966–1970 …; 十四五 is 2021–2025."""
    first = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return dt.date(first, 1, 1), dt.date(first + 4, 12, 31)


def _vague(word: str, base: dt.date) -> tuple[dt.date, dt.date]:
    if word.startswith("近") and "年" in word:
        start = base.replace(year=base.year - RECENT_YEARS, day=min(base.day, 28) if base.month == 2 else base.day)
        return start, base
    if word == "近期":
        return base - RECENT, base + RECENT
    if word in ("目前", "当前"):
        return base, base
    if word == "此前":
        return base - BEFORE, base - dt.timedelta(days=1)
    return base - RECENT, base  # 近日, 日前, 前不久, 不久前


def _precision_of(raw: _Raw) -> Precision:
    if raw.part:
        return Precision.SPAN
    if raw.day is not None:
        return Precision.DAY
    return Precision.MONTH if raw.has_month else Precision.YEAR


def _convert(m: re.Match[str], text: str, base: dt.date | None, future: bool) -> TimeValue | None:
    """Turn one match of the master pattern into a value, or None if it names no real date."""
    written = text[m.start():m.end()]
    if m.group("numdate"):
        try:
            day = dt.date(int(m.group("ny")), int(m.group("nm")), int(m.group("nd")))
        except ValueError:
            return None
        return TimeValue(text=written, start=day, end=day, precision=Precision.DAY)
    if m.group("fyp_all"):
        start, end = _five_year_plan(_number(m.group("fyp")))
        return TimeValue(text=written, start=start, end=end, precision=Precision.SPAN)
    unanchored = TimeValue(text=written, precision=Precision.SPAN, relative=True, resolved=False)
    if m.group("vague") or m.group("rday"):
        return _convert_word(m.group("vague"), m.group("rday"), written, base, unanchored)
    if m.group("left"):
        return _convert_range(m.group("left"), m.group("right"), written, base, future, unanchored)
    return _convert_point(m.group("point"), bool(m.group("since")), written, base, future, unanchored)


def _convert_word(vague: str | None, day_word: str | None, written: str, base: dt.date | None,
                  unanchored: TimeValue) -> TimeValue:
    """近日, 目前 … (a window) or 今天, 昨日 … (a day)."""
    if day_word:
        if base is None:
            return replace(unanchored, precision=Precision.DAY)
        day = base + dt.timedelta(days=_DAY_WORDS[day_word])
        return TimeValue(text=written, start=day, end=day, precision=Precision.DAY, relative=True)
    if base is None or vague is None:
        return unanchored
    start, end = _vague(vague, base)
    return TimeValue(text=written, start=start, end=end, precision=Precision.SPAN, relative=True)


def _convert_point(point: str, since: bool, written: str, base: dt.date | None, future: bool,
                   unanchored: TimeValue) -> TimeValue | None:
    """One point (2020年3月, 8月中旬, 上半年), or from it to the base date when followed by 以来 / 至今."""
    raw = _parse(point)
    if raw is None:
        return None
    try:
        spans = _resolve([raw], base, future)
    except _Unanchored:
        return replace(unanchored, precision=Precision.SPAN if since else _precision_of(raw))
    if spans is None:
        return None
    start, end, precision = spans[0]
    if not since:
        return TimeValue(text=written, start=start, end=end, precision=precision, relative=raw.year is None)
    if base is None:
        return unanchored
    if start > base:
        return None  # "since" a date after the article: no consistent reading
    return TimeValue(text=written, start=start, end=base, precision=Precision.SPAN, relative=True)


def _convert_range(left_text: str, right_text: str, written: str, base: dt.date | None, future: bool,
                   unanchored: TimeValue) -> TimeValue | None:
    left, right = _parse(left_text), _parse(right_text)
    if left is None or right is None or right.bare is not None:
        return None
    joined = _join(left, right)
    if joined is None:
        return None
    try:
        spans = _resolve(list(joined), base, future)
    except _Unanchored:
        return unanchored
    if spans is None or spans[0][0] > spans[1][1]:
        return None
    relative = joined[0].year is None or joined[1].year is None
    return TimeValue(text=written, start=spans[0][0], end=spans[1][1], precision=Precision.SPAN, relative=relative)


def _future_cue(folded: str, start: int, end: int) -> bool:
    """Whether the words around an expression announce a future date (将于10月, 10月1日起)."""
    before = folded[max(0, start - 3):start]
    return before.endswith(_FUTURE_BEFORE) or folded[end:end + 1] in _FUTURE_AFTER


def find_times(text: str, base: dt.date | None, *, start: int = 0,
               end: int | None = None) -> list[tuple[int, int, TimeValue]]:
    """Every time expression in ``text[start:end]``, left to right, longest first, not overlapping.

    Offsets count into ``text`` as given (full-width digits included), so
    ``text[s:e] == value.text``. Numbers that are not times (248项, 96%, 第3条,
    2.0版) are left alone.

    >>> import datetime as dt
    >>> text = "全市上半年办理审批事项9万余件,出庭率达到96%以上。"
    >>> [(s, e, t.iso, t.relative) for s, e, t in find_times(text, dt.date(2021, 9, 3))]
    [(2, 5, '2021-01-01/2021-06-30', True)]
    >>> find_times("２０２１年１至８月", None)[0][2].iso
    '2021-01-01/2021-08-31'
    >>> find_times("１至８月", None)[0][2].resolved
    False
    """
    folded = text.translate(_FOLD)
    stop = len(text) if end is None else end
    found: list[tuple[int, int, TimeValue]] = []
    pos = start
    while (m := _MASTER.search(folded, pos, stop)) is not None:
        value = _convert(m, text, base, _future_cue(folded, m.start(), m.end()))
        if value is None:
            pos = m.start() + 1
            continue
        found.append((m.start(), m.end(), value))
        pos = m.end()
    return found


def normalize_time(expr: str, base: dt.date | None) -> TimeValue | None:
    """Read one time expression, or return None if ``expr`` as a whole is not one.

    >>> import datetime as dt
    >>> base = dt.date(2021, 9, 3)
    >>> normalize_time("今年3月", base)
    TimeValue(text='今年3月', start=datetime.date(2021, 3, 1), end=datetime.date(2021, 3, 31), precision=<Precision.MONTH: 'month'>, relative=True, resolved=True)
    >>> normalize_time("2020年以来", base).iso
    '2020-01-01/2021-09-03'
    >>> normalize_time("去年", None).resolved
    False
    >>> normalize_time("248项", base) is None
    True
    """
    m = _MASTER.fullmatch(expr.translate(_FOLD))
    return None if m is None else _convert(m, expr, base, future=False)
