"""Mention quality rules (issue 3), on newspaper-style sentences written for these tests.

Each table holds sentences of our own in the style of 人民日报 / 新华社 / 法治日报 reports; a case
lists mentions that must be found and mentions that must not.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_article
from kg.extract.mentions import _org_type
from kg.gazetteer import load_places


def _mentions(text: str, *, tagger: bool = True) -> set[tuple[str, str]]:
    return {(m.span.text, m.type.value) for m in extract_article(text, tagger=tagger).mentions}


def _check(text: str, expected: set[tuple[str, str]], absent: set[tuple[str, str]], tagger: bool) -> None:
    got = _mentions(text, tagger=tagger)
    assert expected <= got, sorted(got)
    assert not absent & got, sorted(got)


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a country and a state organ word are one agency, not a place and a post
        ("美国国务院发言人当天表示，将继续关注局势。", {("美国国务院", "agency")}, {("美国", "place"), ("国务院", "agency")}),
        ("印度空军一架战机当地时间30日坠毁。", {("印度空军", "agency")}, {("印度", "place")}),
        ("日本防卫省计划明年增加预算。", {("日本防卫省", "agency")}, set()),
        # a mission is named by its host: 美国 | 驻华大使馆
        ("美国驻华大使馆发表声明。", {("美国驻华大使馆", "agency")}, set()),
        # one-character country forms only fused with an armed service
        ("美军和俄海军分别举行演习。", {("美军", "agency"), ("俄海军", "agency")}, set()),
        # a country alone is a place; a country inside a Chinese division name is not
        ("代表团访问了巴基斯坦和内蒙古。", {("巴基斯坦", "place")}, {("蒙古", "place")}),
        ("河南非法集资案件审结。", set(), {("南非", "place")}),
    ],
)
def test_mentions_quality_foreign_state_bodies(text: str, expected: set, absent: set, tagger: bool) -> None:
    _check(text, expected, absent, tagger)


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # current central bodies the government list lacks, and former ones still named in archives
        ("国防部新闻发言人在例行记者会上答问。", {("国防部", "agency")}),
        ("银监会、保监会日前联合印发通知。", {("银监会", "agency"), ("保监会", "agency")}),
        ("原卫生部和国家人口计生委合并组建新机构。", {("卫生部", "agency"), ("国家人口计生委", "agency")}),
        ("中国社会科学院发布年度经济形势报告。", {("中国社会科学院", "agency")}),
    ],
)
def test_mentions_quality_central_bodies(text: str, expected: set, tagger: bool) -> None:
    _check(text, expected, set(), tagger)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("美国政府", "agency"),  # a state ending needs no prefix
        ("海淀区公安分局", "agency"),
        ("埃及文化部", "agency"),  # a ministry after a country
        ("郑州市委", "agency"),
        ("浙商银行企业信贷部", "organization"),  # a company's department
        ("厦门市第一医院", "organization"),  # a hospital after a place is not a state body
        ("中华全国律师协会", "organization"),
    ],
)
def test_mentions_quality_tagged_organisation_type(name: str, kind: str) -> None:
    assert _org_type(name, load_places()).value == kind
