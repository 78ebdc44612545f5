"""Tests for kg.extract.timex: Chinese time expressions normalised against the article date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.timex import find_times, normalize_time
from kg.records import Precision, TimeValue

BASE = dt.date(2021, 9, 3)
D, M, Y, S = Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.SPAN


def _d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


# (expression, base, first day, last day, precision, relative)
CASES = [
    # absolute
    ("2020年3月", BASE, "2020-03-01", "2020-03-31", M, False),
    ("2020年3月5日", BASE, "2020-03-05", "2020-03-05", D, False),
    ("2020年", BASE, "2020-01-01", "2020-12-31", Y, False),
    ("2020年度", BASE, "2020-01-01", "2020-12-31", Y, False),
    ("2021-09-03", BASE, "2021-09-03", "2021-09-03", D, False),
    ("2021.9.3", BASE, "2021-09-03", "2021-09-03", D, False),
    ("2021/9/3", BASE, "2021-09-03", "2021-09-03", D, False),
    ("二〇二〇年三月五日", BASE, "2020-03-05", "2020-03-05", D, False),
    ("二零一九年十二月三十一日", BASE, "2019-12-31", "2019-12-31", D, False),
    ("1949年10月1日", BASE, "1949-10-01", "1949-10-01", D, False),
    ("２０２１年", BASE, "2021-01-01", "2021-12-31", Y, False),
    ("２０２１年３月８号", BASE, "2021-03-08", "2021-03-08", D, False),
    ("2019年2月份", BASE, "2019-02-01", "2019-02-28", M, False),
    # relative to the base
    ("今年3月", BASE, "2021-03-01", "2021-03-31", M, True),
    ("今年", BASE, "2021-01-01", "2021-12-31", Y, True),
    ("去年", BASE, "2020-01-01", "2020-12-31", Y, True),
    ("上年", BASE, "2020-01-01", "2020-12-31", Y, True),
    ("上年度", BASE, "2020-01-01", "2020-12-31", Y, True),
    ("前年", BASE, "2019-01-01", "2019-12-31", Y, True),
    ("明年", BASE, "2022-01-01", "2022-12-31", Y, True),
    ("去年12月", BASE, "2020-12-01", "2020-12-31", M, True),
    ("本月", BASE, "2021-09-01", "2021-09-30", M, True),
    ("上月", BASE, "2021-08-01", "2021-08-31", M, True),
    ("下月", BASE, "2021-10-01", "2021-10-31", M, True),
    ("上个月25日", BASE, "2021-08-25", "2021-08-25", D, True),
    ("上月", dt.date(2021, 1, 15), "2020-12-01", "2020-12-31", M, True),
    ("今天", BASE, "2021-09-03", "2021-09-03", D, True),
    ("今日", BASE, "2021-09-03", "2021-09-03", D, True),
    ("昨天", BASE, "2021-09-02", "2021-09-02", D, True),
    ("昨日", BASE, "2021-09-02", "2021-09-02", D, True),
    ("明天", BASE, "2021-09-04", "2021-09-04", D, True),
    ("当天", BASE, "2021-09-03", "2021-09-03", D, True),
    ("当日", BASE, "2021-09-03", "2021-09-03", D, True),
    ("8月中旬", BASE, "2021-08-11", "2021-08-20", S, True),
    ("8月上旬", BASE, "2021-08-01", "2021-08-10", S, True),
    ("8月下旬", BASE, "2021-08-21", "2021-08-31", S, True),
    ("2月下旬", BASE, "2021-02-21", "2021-02-28", S, True),
    ("9月初", BASE, "2021-09-01", "2021-09-10", S, True),
    ("3月", BASE, "2021-03-01", "2021-03-31", M, True),
    ("三月", BASE, "2021-03-01", "2021-03-31", M, True),
    ("9月3日", BASE, "2021-09-03", "2021-09-03", D, True),
    ("9月8日", BASE, "2021-09-08", "2021-09-08", D, True),  # five days ahead: still this year
    ("5日", BASE, "2021-09-05", "2021-09-05", D, True),
    ("1日", BASE, "2021-09-01", "2021-09-01", D, True),
    # a yearless month or day far ahead of the base: the previous year (month)
    ("10月", BASE, "2020-10-01", "2020-10-31", M, True),
    ("12月5日", BASE, "2020-12-05", "2020-12-05", D, True),
    ("十二月三十一日", BASE, "2020-12-31", "2020-12-31", D, True),
    ("28日", BASE, "2021-08-28", "2021-08-28", D, True),
    ("31日", BASE, "2021-08-31", "2021-08-31", D, True),
    # spans
    ("上半年", BASE, "2021-01-01", "2021-06-30", S, True),
    ("下半年", BASE, "2021-07-01", "2021-12-31", S, True),
    ("2021年上半年", BASE, "2021-01-01", "2021-06-30", S, False),
    ("去年下半年", BASE, "2020-07-01", "2020-12-31", S, True),
    ("一季度", BASE, "2021-01-01", "2021-03-31", S, True),
    ("第一季度", BASE, "2021-01-01", "2021-03-31", S, True),
    ("2020年第四季度", BASE, "2020-10-01", "2020-12-31", S, False),
    ("前三季度", BASE, "2021-01-01", "2021-09-30", S, True),
    ("今年前8个月", BASE, "2021-01-01", "2021-08-31", S, True),
    ("1至8月", BASE, "2021-01-01", "2021-08-31", S, True),
    ("1-8月", BASE, "2021-01-01", "2021-08-31", S, True),
    ("1—8月", BASE, "2021-01-01", "2021-08-31", S, True),
    ("1月至8月", BASE, "2021-01-01", "2021-08-31", S, True),
    ("今年1至7月", BASE, "2021-01-01", "2021-07-31", S, True),
    ("2020年3月至5月", BASE, "2020-03-01", "2020-05-31", S, False),
    ("2020年3月至2021年5月", BASE, "2020-03-01", "2021-05-31", S, False),
    ("3月5日至8日", BASE, "2021-03-05", "2021-03-08", S, True),
    ("3月5—8日", BASE, "2021-03-05", "2021-03-08", S, True),
    ("10月至12月", BASE, "2020-10-01", "2020-12-31", S, True),
    ("年内", BASE, "2021-01-01", "2021-12-31", S, True),
    ("今年内", BASE, "2021-01-01", "2021-12-31", S, True),
    ("年底", BASE, "2021-11-01", "2021-12-31", S, True),
    ("年末", BASE, "2021-11-01", "2021-12-31", S, True),
    ("年初", BASE, "2021-01-01", "2021-02-28", S, True),
    ("2020年底", BASE, "2020-11-01", "2020-12-31", S, False),
    ("去年底", BASE, "2020-11-01", "2020-12-31", S, True),
    ("月底", BASE, "2021-09-21", "2021-09-30", S, True),
    ("上月底", BASE, "2021-08-21", "2021-08-31", S, True),
    ("十四五期间", BASE, "2021-01-01", "2025-12-31", S, False),
    ("“十四五”期间", BASE, "2021-01-01", "2025-12-31", S, False),
    ("十四五时期", BASE, "2021-01-01", "2025-12-31", S, False),
    ("“十三五”时期", BASE, "2016-01-01", "2020-12-31", S, False),
    ("十二五期间", BASE, "2011-01-01", "2015-12-31", S, False),
    ("“一五”期间", BASE, "1953-01-01", "1957-12-31", S, False),
    ("“十五”期间", BASE, "2001-01-01", "2005-12-31", S, False),
    ("2021-2025年", BASE, "2021-01-01", "2025-12-31", S, False),
    ("2019年至2021年", BASE, "2019-01-01", "2021-12-31", S, False),
    ("2020年以来", BASE, "2020-01-01", "2021-09-03", S, True),
    ("今年以来", BASE, "2021-01-01", "2021-09-03", S, True),
    ("去年10月以来", BASE, "2020-10-01", "2021-09-03", S, True),
    ("2020年3月至今", BASE, "2020-03-01", "2021-09-03", S, True),
    ("年初以来", BASE, "2021-01-01", "2021-09-03", S, True),
    # vague: documented windows
    ("近年来", BASE, "2016-09-03", "2021-09-03", S, True),
    ("近几年", BASE, "2016-09-03", "2021-09-03", S, True),
    ("近日", BASE, "2021-08-04", "2021-09-03", S, True),
    ("日前", BASE, "2021-08-04", "2021-09-03", S, True),
    ("前不久", BASE, "2021-08-04", "2021-09-03", S, True),
    ("近期", BASE, "2021-08-04", "2021-10-03", S, True),
    ("目前", BASE, "2021-09-03", "2021-09-03", S, True),
    ("当前", BASE, "2021-09-03", "2021-09-03", S, True),
    ("此前", BASE, "2020-09-03", "2021-09-02", S, True),
    ("近年来", dt.date(2020, 2, 29), "2015-02-28", "2020-02-29", S, True),
]


@pytest.mark.parametrize(("expr", "base", "first", "last", "precision", "relative"), CASES)
def test_timex_normalize_table(expr: str, base: dt.date, first: str, last: str, precision: Precision,
                               relative: bool) -> None:
    value = normalize_time(expr, base)
    assert value is not None, expr
    assert (value.start, value.end, value.precision, value.relative, value.resolved) == (
        _d(first), _d(last), precision, relative, True)
    assert value.text == expr


@pytest.mark.parametrize(("expr", "iso"), [
    ("2020年3月", "2020-03"),
    ("2020年", "2020"),
    ("2020年3月5日", "2020-03-05"),
    ("8月中旬", "2021-08-11/2021-08-20"),
    ("目前", "2021-09-03"),
])
def test_timex_iso(expr: str, iso: str) -> None:
    value = normalize_time(expr, BASE)
    assert value is not None and value.iso == iso


@pytest.mark.parametrize("expr", [
    "248项", "96%", "9万余件", "第3条", "2.0版", "353", "2020", "12020年", "1850年", "2200年",
    "青年", "少年", "老年", "年轻", "20年", "3个月", "三个月", "15日内", "30日以内",
    "2021年2月30日", "2021-13-01", "13月", "当年", "同年3月", "次月5日", "每月5日",
    "初步", "项目前", "节日前", "十四五规划", "说明年度", "近20日",
])
def test_timex_rejects_non_times(expr: str) -> None:
    assert normalize_time(expr, BASE) is None


SENTENCES = [
    ("2020年以来,江苏省苏州市以依法行政为主线持续推进。",
     [(0, 7, "2020-01-01/2021-09-03")]),
    ("南京市司法局8月中旬专题研讨《法治政府建设实施纲要(2021-2025年)》。",
     [(6, 10, "2021-08-11/2021-08-20"), (26, 36, "2021-01-01/2025-12-31")]),
    ("2020年3月,市市场监管局联合出台清单,确定不予处罚事项248项。今年3月,又推出清单2.0版,共涉及353项事项。",
     [(0, 7, "2020-03"), (34, 38, "2021-03")]),
    ("2020年全市被诉行政机关负责人出庭率达到96%以上,全市上半年办理审批事项9万余件。",
     [(0, 5, "2020"), (29, 32, "2021-01-01/2021-06-30")]),
    ("近年来,无锡市检察院共办理公益诉讼案件1200余件,其中今年1至8月办理315件。",
     [(0, 3, "2016-09-03/2021-09-03"), (28, 34, "2021-01-01/2021-08-31")]),
    ("新修订的《江苏省行政程序条例》将于10月1日起施行,“十四五”期间全面推进。",
     [(17, 22, "2021-10-01"), (26, 33, "2021-01-01/2025-12-31")]),
    ("本报南京9月2日电 记者日前从省司法厅获悉,截至2020年底,全省共建成公共法律服务中心1300余个。",
     [(4, 8, "2021-09-02"), (12, 14, "2021-08-04/2021-09-03"), (24, 30, "2020-11-01/2020-12-31")]),
    ("自收到决定书之日起15日内提出复议,逾期3个月不予受理,第3条另有规定的除外。", []),
    ("青年干部和老年群众的获得感明显增强,年轻人更愿意参与基层治理。", []),
    ("该项目前期工作于去年底完成,力争年内建成投用。",
     [(8, 11, "2020-11-01/2020-12-31"), (16, 18, "2021-01-01/2021-12-31")]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_timex_find_times_offsets(text: str, expected: list[tuple[int, int, str]]) -> None:
    found = find_times(text, BASE)
    assert [(s, e, v.iso) for s, e, v in found] == expected
    assert all(text[s:e] == v.text for s, e, v in found)


def test_timex_find_times_full_width_offsets() -> None:
    text = "截至２０２１年６月底,共受理案件１２３件。"
    [(s, e, value)] = find_times(text, BASE)
    assert (s, e, text[s:e]) == (2, 10, "２０２１年６月底")
    assert value.iso == "2021-06-21/2021-06-30"


def test_timex_find_times_window() -> None:
    text = "2019年立案,2020年3月审结,今年3月执行完毕。"
    found = find_times(text, BASE, start=8, end=17)
    assert [(s, e, v.text) for s, e, v in found] == [(8, 15, "2020年3月")]
    # a window starting inside a number does not make a year of its tail
    assert find_times("12020年", BASE, start=1) == []


@pytest.mark.parametrize(("expr", "precision"), [
    ("今年3月", M), ("去年", Y), ("上半年", S), ("8月中旬", S), ("近日", S), ("今天", D),
    ("5日", D), ("1至8月", S), ("2020年以来", S), ("3月", M),
])
def test_timex_relative_without_base_is_unresolved(expr: str, precision: Precision) -> None:
    assert normalize_time(expr, None) == TimeValue(
        text=expr, start=None, end=None, precision=precision, relative=True, resolved=False)


@pytest.mark.parametrize(("expr", "iso"), [
    ("2020年3月", "2020-03"), ("1949年10月1日", "1949-10-01"), ("2021-2025年", "2021-01-01/2025-12-31"),
    ("十四五期间", "2021-01-01/2025-12-31"), ("2021年上半年", "2021-01-01/2021-06-30"),
])
def test_timex_absolute_without_base_resolves(expr: str, iso: str) -> None:
    value = normalize_time(expr, None)
    assert value is not None and value.resolved and not value.relative and value.iso == iso


def test_timex_find_times_without_base() -> None:
    text = "2020年3月出台清单,今年3月推出2.0版。"
    found = find_times(text, None)
    assert [(s, e, v.resolved, v.iso) for s, e, v in found] == [(0, 7, True, "2020-03"), (12, 16, False, "")]


_TIMEISH = st.sampled_from(list("0123456789２０〇一二三四五六七八九十年月日号至-—.今去上下本前后近旬季度底初末内以来期间“”项%第个,。") + [
    "十四五", "上半年", "中旬", "近日", "目前", "此前", "当天"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_TIMEISH, max_size=30).map("".join))
def test_timex_find_times_invariants(text: str) -> None:
    found = find_times(text, BASE)
    ends = [0] + [e for _, e, _ in found]
    for (s, e, value), previous_end in zip(found, ends):
        assert previous_end <= s < e and text[s:e] == value.text
        assert value.start is not None and value.end is not None and value.start <= value.end
