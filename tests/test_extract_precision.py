"""Extraction precision on government news (issue 3): places, organisations, tenures, documents.

The sentences are our own, in the style of 法治日报 / 人民日报 / 新华社 and government sites;
each case lists what must be found and what must not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract_article
from kg.records import Extraction

DATE = dt.date(2022, 6, 1)


def _extract(text: str, *, tagger: bool = True, headline: str = "") -> Extraction:
    return extract_article(text, date=DATE, headline=headline, tagger=tagger)


def _places(ex: Extraction) -> set[tuple[str, str]]:
    return {(m.span.text, m.name) for m in ex.mentions if m.type.value == "place"}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a short form crossed by a word (市民|和: 民和; 党务|和政|务: 和政)
        ("无锡市民和游客可在线预约。", {("民和", "民和回族土族自治县")}),
        ("深入推进党务和政务公开。", {("和政", "和政县")}),
        # a short form the tagger reads as a verb (新建、改扩建)
        ("今年将新建、改扩建幼儿园30所。", {("新建", "新建区")}),
        # a common word the tagger calls a place, which the gazetteer never matches (惠民资金)
        ("严查侵占惠民资金问题。", {("惠民", "惠民")}),
    ],
)
def test_extract_precision_places_are_words(text: str, absent: set[tuple[str, str]]) -> None:
    got = _places(_extract(text))
    assert not absent & got, sorted(got)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # short and full names that are words stay places
        ("无锡市民和游客可在线预约。", {("无锡市", "无锡市")}),
        ("他是江苏南通人，长期在姑苏工作。", {("南通", "南通市"), ("姑苏", "姑苏区")}),
        # a full name cut by the tagger stays (厦门市思明|区委书记)
        ("福建省厦门市思明区委书记林文生带队检查。", {("厦门市", "厦门市")}),
    ],
)
def test_extract_precision_places_kept(text: str, expected: set[tuple[str, str]]) -> None:
    got = _places(_extract(text))
    assert expected <= got, sorted(got)


@pytest.mark.parametrize(
    ("text", "deictic", "place"),
    [
        # 全省 is the article's province, not the province of a name read inside 王建华 (建华区, 黑龙江)
        ("江苏省司法厅召开会议。厅长王建华强调，全省司法行政系统要担当作为。", "全省", "江苏省"),
        # a province named more often than a prefecture of another province keeps the focus
        ("浙江省召开会议。浙江省要求，全省各地学习齐齐哈尔市经验。", "全省", "浙江省"),
        # a prefecture named more often than a province sets the province
        ("成都市召开会议，北京专家出席。成都市要求，全省联动。", "全省", "四川省"),
        ("南京市召开会议。南京市要求，全市各区落实。", "全市", "南京市"),
    ],
)
def test_extract_precision_deixis_follows_focus(text: str, deictic: str, place: str) -> None:
    got = {name for written, name in _places(_extract(text)) if written == deictic}
    assert got == {place}
