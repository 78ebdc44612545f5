"""Extraction on sentences written for these tests, in the style of 法治日报 / 人民日报 reports."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract_article
from kg.records import EntityType, EventType, MentionType, TenureStatus

DATE = dt.date(2022, 6, 15)


def _names(ex, etype: EntityType) -> set[str]:
    return {e.name for e in ex.entities if e.type is etype}


def _entity(ex, etype: EntityType, name: str):
    return next(e for e in ex.entities if e.type is etype and e.name == name)


def test_extract_bare_agency_takes_the_article_city() -> None:
    ex = extract_article("近日,无锡市召开会议。市公安局、市市场监督管理局联合出台《无锡市食品安全联合执法办法》。", date=DATE)
    agencies = _names(ex, EntityType.AGENCY)
    assert {"无锡市公安局", "无锡市市场监督管理局"} <= agencies
    police = _entity(ex, EntityType.AGENCY, "无锡市公安局")
    assert "市公安局" in police.aliases
    assert _entity(ex, EntityType.AGENCY, "无锡市人民政府").key == police.parent


def test_extract_same_bare_name_in_other_city_differs() -> None:
    a = extract_article("常州市推进法治建设。市司法局开展专项行动。", date=DATE)
    b = extract_article("南通市推进法治建设。市司法局开展专项行动。", date=DATE)
    assert "常州市司法局" in _names(a, EntityType.AGENCY)
    assert "南通市司法局" in _names(b, EntityType.AGENCY)


@pytest.mark.parametrize(
    ("text", "person", "roles", "status"),
    [
        ("时任无锡市副市长王建国出席会议。", "王建国", [("副市长", "无锡市人民政府")], TenureStatus.AT_DATE),
        ("原最高人民法院院长周强作报告。", "周强", [("院长", "最高人民法院")], TenureStatus.FORMER),
        ("杭州市委副书记、市长姚高员表示,要加快建设。", "姚高员",
         [("副书记", "杭州市委"), ("市长", "杭州市人民政府")], TenureStatus.CURRENT),
        ("浙江省人民检察院检察长贾宇指出,检察机关要履职尽责。", "贾宇", [("检察长", "浙江省人民检察院")], TenureStatus.CURRENT),
    ],
)
def test_extract_post_chains(text: str, person: str, roles: list[tuple[str, str]], status: TenureStatus) -> None:
    ex = extract_article(text, date=DATE)
    names = {e.key: e.name for e in ex.entities}
    got = [(t.role, names.get(t.organization or "", "")) for t in ex.tenures if names[t.person] == person]
    assert got == roles
    assert {t.status for t in ex.tenures if names[t.person] == person} == {status}


def test_extract_tenure_time_is_the_article_date_not_today() -> None:
    ex = extract_article("时任无锡市副市长王建国出席会议。", date=DATE)
    assert [t.time.start for t in ex.tenures] == [DATE]
    undated = extract_article("时任无锡市副市长王建国出席会议。")
    assert [t.time for t in undated.tenures] == [None]


def test_extract_relative_event_time_resolves_against_article_date() -> None:
    ex = extract_article("今年5月,南京市司法局印发《南京市行政执法监督办法》。", date=DATE)
    issue = next(e for e in ex.events if e.type is EventType.ISSUE)
    assert issue.time.iso == "2022-05"
    fact = next(d for d in ex.documents if d.issuers)
    names = {e.key: e.name for e in ex.entities}
    assert [names[i] for i in fact.issuers] == ["南京市司法局"]
    assert fact.date.iso == "2022-05"


def test_extract_relative_time_without_article_date_stays_unresolved() -> None:
    ex = extract_article("今年5月,南京市司法局印发《南京市行政执法监督办法》。")
    issue = next(e for e in ex.events if e.type is EventType.ISSUE)
    assert issue.time.resolved is False and issue.time.start is None


def test_extract_quotation_before_speaker_and_after() -> None:
    text = "“要让企业感受到执法的温度和法治的力度。”时任常州市市长盛蕾说。王建国表示：“我们将继续深化改革,优化营商环境。”"
    ex = extract_article(text, date=DATE)
    names = {e.key: e.name for e in ex.entities}
    said = sorted((names[q.speaker], q.text[:4]) for q in ex.quotations)
    assert said == [("王建国", "我们将继"), ("盛蕾", "要让企业")]
    for q in ex.quotations:
        assert text[q.evidence[0].span.start : q.evidence[0].span.end] == q.text


def test_extract_short_title_resolves_to_full_title_in_article() -> None:
    text = "省政府印发《江苏省优化营商环境条例(2022年修订)》。各地要落实《条例》要求。"
    ex = extract_article(text, date=DATE)
    doc = _entity(ex, EntityType.DOCUMENT, "江苏省优化营商环境条例(2022年修订)")
    assert "条例" in doc.aliases
    assert len(doc.evidence) == 2


def test_extract_new_version_replaces_earlier_lists() -> None:
    text = ("2021年4月,无锡市司法局出台《无锡市轻微违法行为不予处罚清单》,共涉及120项。"
            "今年3月,无锡又推出“首违不罚”清单2.0版,共涉及180项行政处罚事项。")
    ex = extract_article(text, date=DATE)
    names = {e.key: e.name for e in ex.entities}
    v2 = [d for d in ex.documents if names[d.document] == "“首违不罚”清单"]
    assert {d.version for d in v2 if d.version} == {"2.0"}
    assert {d.items for d in v2 if d.items} == {180}
    assert [names[r] for d in v2 for r in d.replaces] == ["无锡市轻微违法行为不予处罚清单"]
    v1 = [d for d in ex.documents if names[d.document] == "无锡市轻微违法行为不予处罚清单"]
    assert {d.items for d in v1 if d.items} == {120}


def test_extract_statistic_event_with_quantity() -> None:
    ex = extract_article("2021年全市行政复议纠错率达到12.5%,办理案件3000余件。", date=DATE)
    stats = [e for e in ex.events if e.type is EventType.STATISTIC]
    assert stats and stats[0].quantities[0].value == 12.5 and stats[0].quantities[0].unit == "%"


def test_extract_mentions_are_exact_slices() -> None:
    text = "□ 本报记者 张 三 近日,江苏省南京市鼓楼区人民法院审结一起案件。"
    ex = extract_article(text, date=DATE)
    for m in ex.mentions:
        assert text[m.span.start : m.span.end] == m.span.text
    assert any(m.type is MentionType.AGENCY and m.name == "鼓楼区人民法院" or m.name.endswith("鼓楼区人民法院")
               for m in ex.mentions)


def test_extract_place_hierarchy_from_short_names() -> None:
    ex = extract_article("在姑苏、太仓等地试点。", date=DATE)
    gusu = _entity(ex, EntityType.PLACE, "姑苏区")
    suzhou = next(e for e in ex.entities if e.key == gusu.parent)
    assert suzhou.name == "苏州市"
    jiangsu = next(e for e in ex.entities if e.key == suzhou.parent)
    assert jiangsu.name == "江苏省"


def test_extract_undated_issuance_still_names_the_issuer() -> None:
    ex = extract_article("国务院办公厅印发的《关于加强行政执法协调监督工作体系建设的意见》明确了目标。", date=DATE)
    names = {e.key: e.name for e in ex.entities}
    facts = [d for d in ex.documents if d.issuers]
    assert [(names[d.document], [names[i] for i in d.issuers]) for d in facts] == [
        ("关于加强行政执法协调监督工作体系建设的意见", ["国务院办公厅"])]
    assert facts[0].date is None
    assert not ex.events  # an undated action is not an event


def test_extract_nested_agency_unit_of_its_government() -> None:
    ex = extract_article("江苏省人民政府办公厅印发通知。", date=DATE)
    office = _entity(ex, EntityType.AGENCY, "江苏省人民政府办公厅")
    assert next(e for e in ex.entities if e.key == office.parent).name == "江苏省人民政府"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1至8月,全市办理行政复议案件1200件。", "2022-01-01/2022-08-31"),
        ("今年以来,全市办理审批事项3万余件。", "2022-01-01/2022-06-15"),
        ("“十四五”期间,全省完成立法项目50件。", "2021-01-01/2025-12-31"),
    ],
)
def test_extract_statistic_spans(text: str, iso: str) -> None:
    ex = extract_article(text, date=DATE)
    stats = [e for e in ex.events if e.type is EventType.STATISTIC]
    assert [e.time.iso for e in stats] == [iso]


def test_extract_sentences_are_bounded_without_sentence_ends() -> None:
    from kg.extract.sentences import MAX_SENTENCE, split_sentences

    text = "苏州市司法局推进依法行政," * 400  # 5,200 characters and no full stop
    spans = split_sentences(text)
    assert len(spans) > 5 and max(b - a for a, b in spans) <= 2 * MAX_SENTENCE + 1
    assert "".join(text[a:b] for a, b in spans) == text


def test_extract_many_equals_one_by_one() -> None:
    from kg.extract import extract_many
    from kg.records import Article

    texts = ["时任无锡市副市长王建国出席会议。", "今年5月,南京市司法局印发《南京市行政执法监督办法》。", "苏州市纪委监委开展专项检查。"]
    articles = [Article(doc_id=f"d{i}", text=t, date=DATE) for i, t in enumerate(texts)]
    from kg.extract import extract

    assert extract_many(articles) == [extract(a) for a in articles]


def test_extract_huge_article_is_cut_with_a_warning(monkeypatch) -> None:
    import kg.extract as ex_mod
    from kg.records import Article

    monkeypatch.setattr(ex_mod, "MAX_CHARS", 40)
    text = "时任无锡市副市长王建国出席会议。" * 10
    article = Article(doc_id="big", text=text, date=DATE)
    ex = ex_mod.extract(article, tagger=False)
    assert ex.article.text == text
    assert [p.code for p in ex.problems] == ["extract.truncated"]
    assert all(m.span.end <= 40 for m in ex.mentions) and ex.mentions
