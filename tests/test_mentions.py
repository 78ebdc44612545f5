"""Mention rules, on sentences written for these tests in the style of 法治日报 / 人民日报 / 新华社 reports."""

from __future__ import annotations

import pytest

from kg.extract import extract_article
from kg.extract.officials import find_titled_names


def _mentions(text: str, *, tagger: bool = True) -> set[tuple[str, str]]:
    return {(m.span.text, m.type.value) for m in extract_article(text, tagger=tagger).mentions}


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # the organ-name grammar wins over a tagger ORG token that swallows the provinces before it
        ("浙江省宁波市鄞州区人民法院推出网上立案服务。",
         {("鄞州区人民法院", "agency"), ("浙江省", "place"), ("宁波市", "place")}, set()),
        # two central bodies joined by 联合 stay two agencies
        ("国家市场监督管理总局联合公安部开展专项整治。",
         {("国家市场监督管理总局", "agency"), ("公安部", "agency")}, set()),
        # the post under an agency is its suffix: 中共江苏省委 | 书记
        ("中共江苏省委书记信长星在徐州调研。", {("中共江苏省委", "agency"), ("书记", "post")}, {("省委书记", "post")}),
        # a post never starts inside a place name (湖南|省长|沙市)
        ("湖南省长沙市岳麓区司法局编印手册。", {("湖南省", "place"), ("长沙市", "place")}, {("省长", "post")}),
    ],
)
def test_mentions_agency_post_and_place_boundaries(text: str, expected: set, absent: set, tagger: bool) -> None:
    got = _mentions(text, tagger=tagger)
    assert expected <= got
    assert not absent & got


@pytest.mark.parametrize(
    ("text", "post", "person"),
    [
        ("河南省郑州市市场监督管理局局长李伟介绍了执法情况。", "局长", "李伟"),
        ("海南省人民检察院副检察长陈晓燕介绍案件办理情况。", "副检察长", "陈晓燕"),
        ("住房和城乡建设部常务副部长赵明出席发布会。", "常务副部长", "赵明"),
        ("中华全国律师协会会长高子程在年会上致辞。", "会长", "高子程"),
        ("全国人大副委员长王建华指出，要加强立法工作。", "副委员长", "王建华"),
    ],
)
def test_mentions_post_then_name_without_tagger(text: str, post: str, person: str) -> None:
    got = _mentions(text, tagger=False)
    assert {(post, "post"), (person, "person")} <= got


@pytest.mark.parametrize(
    ("text", "ends", "names"),
    [
        ("市长李强主持会议", [2], ["李强"]),  # two characters: 主持 ends the name
        ("局长王建国出席会议", [2], ["王建国"]),  # three: 王建 is followed by 国, not an ending word
        ("教授张明认为，立法应当回应关切", [2], ["张明"]),
        ("记者陈磊 通讯员王宁 报道", [2, 8], ["陈磊", "王宁"]),  # a space after the role is skipped
        ("院长欧阳明表示，要公正司法", [2], ["欧阳明"]),  # compound surname
        ("书记强调，要坚持底线", [2], []),  # 强调 is a word, not a name
        ("局长和副局长出席", [2], []),  # no boundary after 和副 or 和副局
        ("主任说明了情况", [2], []),  # 说 is not a surname
    ],
)
def test_mentions_titled_names(text: str, ends: list[int], names: list[str]) -> None:
    assert [text[a:b] for a, b in find_titled_names(text, ends)] == names


@pytest.mark.parametrize(
    ("text", "person", "absent"),
    [
        ("俄国防部长谢尔久科夫此前宣布裁军计划。", "谢尔久科夫", None),  # transliterated name of five characters
        ("福州高先生告诉记者，他的账户被冻结。", None, "高先生"),  # surname + honorific is not a name
    ],
)
def test_mentions_tagged_names(text: str, person: str | None, absent: str | None) -> None:
    got = _mentions(text)
    if person:
        assert (person, "person") in got
    if absent:
        assert all(span != absent for span, _ in got)


def test_mentions_document_span_excludes_brackets() -> None:
    text = "苏州市司法局印发《苏州市轻微违法行为免罚清单》。"
    docs = [m for m in extract_article(text).mentions if m.type.value == "document"]
    assert [(m.span.text, text[m.span.start - 1], text[m.span.end]) for m in docs] == [("苏州市轻微违法行为免罚清单", "《", "》")]
