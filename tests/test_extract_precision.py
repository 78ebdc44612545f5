"""Extraction precision on government news (issue 3): places, organisations, tenures, documents.

The sentences are our own, in the style of 法治日报 / 人民日报 / 新华社 and government sites;
each case lists what must be found and what must not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kg.byline import parse_bylines
from kg.extract import extract, extract_article
from kg.records import Article, DocId, Extraction

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


def _mentions(ex: Extraction) -> set[tuple[str, str]]:
    return {(m.span.text, m.type.value) for m in ex.mentions}


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # common words the tagger may call an organisation alone
        ("去年全区盗窃警情同比下降12.5%，电信网络诈骗案件立案数同比下降。", set(), {("电信", "organization")}),
        ("2021年，地方各级人民法院审结案件3万件。", set(), {("地方", "organization")}),
        # the middle of an idiom between one-character verbs (吃|拿卡|要)
        ("严肃查处吃拿卡要、推诿扯皮等作风问题。", set(), {("拿卡", "organization")}),
        # a known place name alone is a place, never an organisation
        ("据悉，2021年成都市电信网络诈骗案件同比下降。", {("成都市", "place")}, {("成都市", "organization")}),
        ("会议发布了2021年度常州法治政府建设十大案例。", {("常州", "place")}, {("常州", "organization")}),
        # a piece the tagger cut inside an organ word (等|地纪委监|委)
        ("杭州、宁波等地纪委监委作交流发言。", set(), {("地纪委监", "organization")}),
        # names that contain such words stay organisations
        ("中国电信苏州分公司与市公安局签署合作协议。", {("中国电信苏州分公司", "organization")}, set()),
    ],
)
def test_extract_precision_tagged_organizations(text: str, expected: set, absent: set) -> None:
    got = _mentions(_extract(text))
    assert expected <= got, sorted(got)
    assert not absent & got, sorted(got)


def _tenures(ex: Extraction) -> set[tuple[str, str, str]]:
    names = {e.key: e.name for e in ex.entities}
    return {(names[t.person], t.role, names.get(t.organization, "") if t.organization else "") for t in ex.tenures}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # appointments: 任命/提名 X 为 body post, X 当选为/任 body post
        ("省人大常委会会议决定任命刘海涛为江苏省人民政府副省长。", {("刘海涛", "副省长", "江苏省人民政府")}),
        ("会议提名周明远为杭州市人民政府市长候选人。", {("周明远", "市长", "杭州市人民政府")}),
        ("在昨天举行的会议上，赵文静当选为无锡市市长。", {("赵文静", "市长", "无锡市人民政府")}),
        ("经研究，孙立平任南京市司法局局长、党委书记。",
         {("孙立平", "局长", "南京市司法局"), ("孙立平", "党委书记", "南京市司法局")}),
        # a name before its post
        ("当天，李明远副总理在四川检查防汛工作。", {("李明远", "副总理", "国务院")}),
        # a body's party committee before its post: the post is the body's (公安局|党委书记)
        ("南京市公安局党委书记、局长周海涛主持会议。",
         {("周海涛", "党委书记", "南京市公安局"), ("周海涛", "局长", "南京市公安局")}),
        ("无锡市司法局党组书记、局长陈学东出席。",
         {("陈学东", "党组书记", "无锡市司法局"), ("陈学东", "局长", "无锡市司法局")}),
    ],
)
def test_extract_precision_tenures(text: str, expected: set[tuple[str, str, str]]) -> None:
    got = _tenures(_extract(text))
    assert expected <= got, sorted(got)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a party committee before a post is no agency of its own
        ("南京市公安局党委书记、局长周海涛主持会议。", {("南京市公安局党委", "agency")}),
    ],
)
def test_extract_precision_no_committee_agency(text: str, absent: set) -> None:
    assert not absent & _mentions(_extract(text))


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a post after a name that precedes another name belongs to that name (局长|周海涛)
        ("王明副局长、局长周海涛出席。", {("王明", "局长", "")}),
    ],
)
def test_extract_precision_tenures_absent(text: str, absent: set) -> None:
    got = _tenures(_extract(text))
    assert not absent & got, sorted(got)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # verbs, particles and words ending the previous phrase are not part of a quoted name
        ("压实法治建设责任“履职纪实”机制。", {"“履职纪实”机制"}, {"压实法治建设责任“履职纪实”机制", "责任“履职纪实”机制"}),
        ("新修订的行政处罚法明确了“首违不罚”制度。", {"“首违不罚”制度"}, {"确了“首违不罚”制度", "明确了“首违不罚”制度"}),
        ("健全党政主要负责人“述法评议”机制。", {"“述法评议”机制"}, {"负责人“述法评议”机制"}),
        # a place, an agency or a bound modifier before the quote is part of the name
        ("苏州市“免罚轻罚”清单正式发布。", {"苏州市“免罚轻罚”清单"}, set()),
        ("无锡又推出涉企“首违不罚”清单。", {"涉企“首违不罚”清单"}, set()),
        # a generic quoted name keeps the words that say whose it is
        ("全面落实行政执法“三项制度”。", {"行政执法“三项制度”"}, set()),
        ("江苏省无锡市“首违不罚”清单正式发布。", {"江苏省无锡市“首违不罚”清单"}, set()),
        # a body before the quote is the issuer, a mention of its own
        ("无锡市市场监管局“首违不罚”清单正式发布。", {"“首违不罚”清单"}, set()),
        # 全市 is where, not whose
        ("市司法局在全市推行“首违不罚”清单。", {"“首违不罚”清单"}, {"全市“首违不罚”清单"}),
    ],
)
@pytest.mark.parametrize("tagger", [True, False])
def test_extract_precision_quoted_document_names(text: str, expected: set[str], absent: set[str], tagger: bool) -> None:
    got = {m.span.text for m in _extract(text, tagger=tagger).mentions if m.type.value == "document"}
    assert expected <= got, sorted(got)
    assert not absent & got, sorted(got)


@pytest.mark.parametrize("tagger", [True, False])
@pytest.mark.parametrize(
    ("text", "agency"),
    [
        # 市场 after a city is a word of the organ, not the city's level character
        ("无锡市市场监管局开展专项检查。", "无锡市市场监督管理局"),
        ("苏州市市场监督管理局通报典型案例。", "苏州市市场监督管理局"),
        ("苏州市司法局通报典型案例。", "苏州市司法局"),
    ],
)
def test_extract_precision_agency_names_keep_market(text: str, agency: str, tagger: bool) -> None:
    ex = _extract(text, tagger=tagger)
    names = {e.name for e in ex.entities if e.type.value == "agency"} | {a for e in ex.entities for a in e.aliases}
    assert agency in names, sorted(names)


@pytest.mark.parametrize(
    "text",
    [
        "本报记者陈磊 近日，苏州市召开会议。",  # a byline written without a space
        "本报记者 陈磊 近日，苏州市召开会议。",
    ],
)
def test_extract_precision_byline_tenure_once(text: str) -> None:
    article = Article(doc_id=DocId("byline-test"), text=text, date=DATE, authors=parse_bylines(text), publisher="法治日报")
    got = [(t.role, t.organization) for t in extract(article).tenures]
    assert got == [("记者", "organization:法治日报")]


@pytest.mark.parametrize(
    ("text", "agencies", "absent"),
    [
        # two bodies the tagger reads as one name, joined by 联合 / 会同 / 和
        ("宁波市消息：宁波市司法局联合市税务局推出涉企轻微违法行为不予处罚清单。",
         {"宁波市司法局", "宁波市税务局"}, {"宁波市司法局联合市税务局"}),
        ("温州市公安局会同市场监管局开展专项整治。", {"温州市公安局"}, {"温州市公安局会同市场监管局"}),
        # names with 和 inside stay whole
        ("住房和城乡建设部召开新闻发布会。", {"住房和城乡建设部"}, set()),
    ],
)
def test_extract_precision_joined_bodies_are_two_agencies(text: str, agencies: set[str], absent: set[str]) -> None:
    ex = _extract(text)
    names = {e.name for e in ex.entities if e.type.value == "agency"}
    names |= {alias for e in ex.entities if e.type.value == "agency" for alias in e.aliases}
    assert agencies <= names and not absent & names, sorted(names)


@pytest.mark.parametrize(
    ("text", "role", "agency"),
    [
        # official short forms after a bare 省 / 市 resolve through the article's province or city
        ("浙江省人民政府办公厅近日印发通知。省发展改革委主任孟刚表示，将抓好落实。", "主任", "浙江省发展和改革委员会"),
        ("广州市召开推进会。市卫生健康委主任李文介绍了有关情况。", "主任", "广州市卫生健康委员会"),
        ("江西省召开会议。省人力资源社会保障厅厅长王华说，今年将新增就业岗位。", "厅长", "江西省人力资源和社会保障厅"),
    ],
)
def test_extract_precision_official_short_forms_resolve_through_the_place(text: str, role: str, agency: str) -> None:
    ex = _extract(text)
    by_key = {f"{e.type.value}:{e.name}": e for e in ex.entities}
    held = [(t.role, by_key[t.organization]) for t in ex.tenures if t.organization in by_key]
    assert any(r == role and agency in (e.name, *e.aliases) for r, e in held), [(r, e.name) for r, e in held]


@pytest.mark.parametrize(
    ("text", "person", "role", "body"),
    [
        # a body the organ-word grammar does not know, named in full and then in its bare form
        ("记者从广东省政务服务数据管理局获悉。省政务服务数据管理局局长杨鹏飞介绍，全省网上可办率达98%。",
         "杨鹏飞", "局长", "agency:广东省政务服务数据管理局"),
        # a company the tagger finds: its chairman holds his post there
        ("华为技术有限公司董事长梁华表示，将加大研发投入。", "梁华", "董事长", "organization:华为技术有限公司"),
        # the grammar's bodies as before
        ("苏州市司法局局长王立新出席会议。", "王立新", "局长", "agency:苏州市司法局"),
    ],
)
def test_extract_precision_posts_are_held_at_tagged_bodies(text: str, person: str, role: str, body: str) -> None:
    held = {(t.person, t.role, t.organization) for t in _extract(text).tenures}
    assert (f"person:{person}", role, body) in held, sorted(held, key=str)


def test_extract_precision_wire_reporter_works_for_the_agency_of_the_dateline() -> None:
    from kg.parse import dateline_agency

    text = "新华社广州11月2日电（记者刘大伟）记者从广东省政务服务数据管理局获悉，有关规划日前印发。"
    assert dateline_agency(text) == "新华社"
    article = Article(doc_id=DocId("wire"), text=text, date=DATE, publisher=dateline_agency(text),
                      authors=parse_bylines(text))
    ex = extract(article)
    held = {(t.person, t.role, t.organization) for t in ex.tenures}
    assert ("person:刘大伟", "记者", "organization:新华社") in held, held
