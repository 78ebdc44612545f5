"""Mention quality rules (issue 3), on newspaper-style sentences written for these tests.

Each table holds sentences of our own in the style of 人民日报 / 新华社 / 法治日报 reports; a case
lists mentions that must be found and mentions that must not.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_article
from kg.extract.mentions import _completed, _org_completed, _org_type
from kg.extract.tagger import Token
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


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # job titles are posts, and the name after one is a person
        ("新华社记者刘洋从现场发回报道。", {("记者", "post"), ("刘洋", "person")}, set()),
        ("该片导演陈凯表示，影片将于年底上映。", {("导演", "post")}, set()),
        ("代理律师周楠当庭提交了新证据。", {("代理律师", "post"), ("周楠", "person")}, set()),
        ("球队主教练李铁赛后接受采访。", {("主教练", "post")}, set()),
        # modifiers belong to the title: 常务|副行长, 执行|副总裁, 总裁|助理, 总|参谋长
        ("中国银行常务副行长林景臻出席论坛。", {("常务副行长", "post")}, {("副行长", "post")}),
        ("公司执行副总裁、总裁助理同时出席。", {("执行副总裁", "post"), ("总裁助理", "post")}, set()),
        ("海关总署副署长王令浚介绍情况。", {("副署长", "post")}, {("署长", "post")}),
        # a title followed by these words names a thing, not a holder
        ("外交部发言人在记者会上回答提问。", {("发言人", "post")}, {("记者", "post")}),
        ("他在律师事务所工作，去年教师节获奖。", set(), {("律师", "post"), ("教师", "post")}),
    ],
)
def test_mentions_quality_job_titles(text: str, expected: set, absent: set, tagger: bool) -> None:
    _check(text, expected, absent, tagger)


def test_mentions_quality_no_name_from_a_common_word_after_a_title() -> None:
    # 负责人|平均出庭率: 平 is a surname, but the tagger reads 平均 as an adjective
    got = _mentions("全市行政机关负责人平均出庭率达到96%以上。")
    assert ("负责人", "post") in got
    assert not any(kind == "person" for _, kind in got)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a unit the tagger names after an agency is one agency (the unit), not the agency and a rest
        ("福建省公安厅经侦总队日前破获一起特大信用卡诈骗案。", {("福建省公安厅经侦总队", "agency")}, {("福建省公安厅", "agency")}),
        ("国家体育总局体育彩票管理中心紧急下发通知。", {("国家体育总局体育彩票管理中心", "agency")}, set()),
        ("南京市公安局禁毒支队近日破获一起贩毒案。", {("南京市公安局禁毒支队", "agency")}, set()),
        # 中国 before a central body's short form belongs to it
        ("中国证监会副主席在论坛上发言。", {("中国证监会", "agency")}, {("中国", "place")}),
        # a higher division before an agency stays a place (our convention, unlike CLUENER's)
        ("四川省成都市中级人民法院依法公开审理此案。", {("四川省", "place"), ("成都市中级人民法院", "agency")}, set()),
    ],
)
def test_mentions_quality_agency_units(text: str, expected: set, absent: set) -> None:
    _check(text, expected, absent, True)


def test_mentions_quality_unit_is_under_its_agency() -> None:
    ex = extract_article("福建省公安厅经侦总队日前破获一起特大信用卡诈骗案。")
    names = {e.name for e in ex.entities}
    assert {"福建省公安厅经侦总队", "福建省公安厅"} <= names


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a division chain written with a street, number or building is one address
        ("受理地点：江苏省南京市鼓楼区北京西路68号政务服务大厦。",
         {("江苏省南京市鼓楼区北京西路68号政务服务大厦", "place")}, {("江苏省", "place")}),
        ("活动在杭州市延安路步行街举行。", {("杭州市延安路步行街", "place")}, set()),
        # a chain alone stays separate places, and a common word after a division is no street
        ("湖北省武汉市江汉区设立调解室。", {("湖北省", "place"), ("武汉市", "place"), ("江汉区", "place")}, set()),
        ("苏州市公路建设投资超过百亿元。", {("苏州市", "place")}, {("苏州市公路", "place")}),
    ],
)
def test_mentions_quality_addresses(text: str, expected: set, absent: set, tagger: bool) -> None:
    _check(text, expected, absent, tagger)


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a foreign name after a post is a person, without the tagger too
        ("法国总统马克龙当天抵达北京。", {"马克龙"}),
        ("俄罗斯总统普京表示，愿同各方加强合作。", {"普京"}),
        ("联合国秘书长古特雷斯在会上发言。", {"古特雷斯"}),
    ],
)
def test_mentions_quality_foreign_name_after_post(text: str, names: set, tagger: bool) -> None:
    got = {t for t, kind in _mentions(text, tagger=tagger) if kind == "person"}
    assert got == names


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # one-character country forms fused by the tagger are one place each
        ("中美两国元首举行会谈。", {("中", "place"), ("美", "place")}, {("中美", "place")}),
        # another party's central committee is not the CPC's 党中央
        ("民盟党中央领导人出席座谈会。", set(), {("党中央", "agency")}),
        # an idiom or a conjunction hiding a county's short name (同德县, 和政县) is no place
        ("全党同心同德，坚持和完善多党合作和政治协商制度。", set(), {("同德", "place"), ("和政", "place")}),
    ],
)
def test_mentions_quality_newspaper_conventions(text: str, expected: set, absent: set) -> None:
    _check(text, expected, absent, True)


@pytest.mark.parametrize("name", ["法国政局", "国际格局"])
def test_mentions_quality_situation_words_are_no_bureau(name: str) -> None:
    assert _org_type(name, load_places()).value == "organization"


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # the tagger cut a three-character name before its last character; the rule restores it
        ("91岁的吴冠中2.2亿元排名第二。", "吴冠中"),
        ("国家外汇管理局副局长李超均透露，外汇储备保持稳定。", "李超均"),
        # but not into a verb: 张捷|买到, nor into a function word: 王刚|的
        ("张捷买到了那期彩票。", "张捷"),
        ("王刚的父亲接受了采访。", "王刚"),
    ],
)
def test_mentions_quality_tagged_name_completed(text: str, person: str) -> None:
    start = text.index(person[:2])
    assert _completed(Token(start, start + 2, person[:2], "PER"), text).text == person


@pytest.mark.parametrize(
    ("text", "tagged", "expected"),
    [
        ("亚太经合组织贸易部长会议在京开幕。", "亚太经合", "亚太经合组织"),  # the head word the tagger left out
        ("世界卫生组织发布报告。", "世界卫生组织", "世界卫生组织"),  # already whole
        ("华为公司总部位于深圳。", "华为公司", "华为公司"),
        ("由省普法办组织的法治宣传活动启动。", "省普法办", "省普法办"),  # ends like a state body: 组织 is a verb
    ],
)
def test_mentions_quality_tagged_organisation_completed(text: str, tagged: str, expected: str) -> None:
    start = text.index(tagged)
    assert _org_completed(Token(start, start + len(tagged), tagged, "ORG"), text).text == expected


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # 部门 names departments in general: no ministry in 公安部门, 司法部门
        ("公安部门依法查处，利率不得超过司法部门规定的上限。", set(), {("公安部", "agency"), ("司法部", "agency")}),
        ("公安部发布通告。", {("公安部", "agency")}, set()),
    ],
)
def test_mentions_quality_departments_in_general(text: str, expected: set, absent: set, tagger: bool) -> None:
    _check(text, expected, absent, tagger)


def test_mentions_quality_division_before_a_generic_tail() -> None:
    # the tagger reads 故城县乡 as one place; the county with its code is the mention
    ex = extract_article("笔者对故城县乡、村政务公开情况进行了采访。")
    places = {(m.span.text, m.name) for m in ex.mentions if m.type.value == "place"}
    assert places == {("故城县", "故城县")}
