"""Resolution across articles: one node per real-world entity, every merge explained."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract_article
from kg.records import EntityType
from kg.ranks import body_level, post_rank
from kg.resolve import Override, iter_audit, read_overrides, resolve

DATE = dt.date(2022, 6, 15)


def _corpus(*texts: str, overrides=()):
    return resolve([extract_article(t, date=DATE) for t in texts], overrides)


def _named(corpus, etype: EntityType, name: str):
    return [e for e in corpus.entities if e.type is etype and e.name == name]


def test_resolve_same_official_in_two_articles_is_one_person() -> None:
    c = _corpus("时任杭州市市长张伟出席会议。", "杭州市召开会议,市长张伟讲话。")
    assert len(_named(c, EntityType.PERSON, "张伟")) == 1
    assert any(m.rule.startswith("person-") for m in c.merges)


def test_resolve_homonyms_in_different_provinces_stay_apart() -> None:
    c = _corpus("时任杭州市市长张伟出席会议。", "时任成都市副市长张伟出席会议。")
    people = _named(c, EntityType.PERSON, "张伟")
    assert len(people) == 2
    assert not any(m.rule.startswith("person-") for m in c.merges)


def test_resolve_bare_agency_names_in_two_cities_stay_apart() -> None:
    c = _corpus("常州市推进法治建设。市司法局开展专项行动。", "南通市推进法治建设。市司法局开展专项行动。")
    names = sorted(e.name for e in c.entities if e.type is EntityType.AGENCY and e.name.endswith("司法局"))
    assert names == ["南通市司法局", "常州市司法局"]


def test_resolve_nameplates_of_one_body_merge() -> None:
    c = _corpus("苏州市纪委监委开展专项检查。", "苏州市纪律检查委员会召开全会。")
    bodies = [e for e in c.entities if e.type is EntityType.AGENCY and "苏州市纪" in e.name]
    assert len(bodies) == 1
    assert "苏州市纪律检查委员会" in bodies[0].aliases or bodies[0].name == "苏州市纪律检查委员会"
    assert any(m.rule == "agency-nameplate.v1" for m in c.merges)


def test_resolve_short_and_full_central_names_merge() -> None:
    c = _corpus("最高法发布典型案例。", "最高人民法院召开新闻发布会。")
    assert len(_named(c, EntityType.AGENCY, "最高人民法院")) == 1


def test_resolve_places_by_code() -> None:
    c = _corpus("苏州持续优化营商环境。", "江苏省苏州市召开会议。")
    assert len(_named(c, EntityType.PLACE, "苏州市")) == 1


def test_resolve_duplicate_article_counted_once() -> None:
    text = "时任杭州市市长张伟出席会议。"
    c = resolve([extract_article(text, date=DATE), extract_article(text, date=DATE)])
    assert len(c.articles) == 1
    assert [p.code for p in c.problems] == ["resolve.duplicate-article"]


def test_resolve_overrides_split_and_join(tmp_path) -> None:
    texts = ("时任杭州市市长张伟出席会议。", "杭州市召开会议,市长张伟讲话。")
    docs = [extract_article(t, date=DATE) for t in texts]
    split = resolve(docs, [Override(False, f"person:张伟@{docs[0].article.doc_id}", f"person:张伟@{docs[1].article.doc_id}")])
    assert len(_named(split, EntityType.PERSON, "张伟")) == 2
    path = tmp_path / "overrides.jsonl"
    path.write_text('{"same_as": ["person:张伟", "person:李明"]}\n', encoding="utf-8")
    joined = resolve([extract_article("时任杭州市市长张伟出席会议。", date=DATE),
                      extract_article("时任成都市副市长李明出席会议。", date=DATE)], read_overrides(path))
    assert len([e for e in joined.entities if e.type is EntityType.PERSON]) == 1
    assert any(m.rule == "override.same-as" for m in joined.merges)


def test_resolve_audit_names_rule_and_reason() -> None:
    c = _corpus("时任杭州市市长张伟出席会议。", "杭州市召开会议,市长张伟讲话。")
    audit = list(iter_audit(c))
    assert audit and all(row["rule"] and row["reason"] and row["into"] for row in audit)


def test_resolve_is_independent_of_input_order() -> None:
    texts = ["时任杭州市市长张伟出席会议。", "杭州市召开会议,市长张伟讲话。", "苏州市纪委监委开展专项检查。"]
    a = resolve([extract_article(t, date=DATE) for t in texts])
    b = resolve([extract_article(t, date=DATE) for t in reversed(texts)])
    assert a == b


def _dated(*items: tuple[str, dt.date], overrides=()):
    return resolve([extract_article(t, date=d) for t, d in items], overrides)


def test_resolve_same_agency_name_in_two_jurisdictions_stays_apart() -> None:
    c = _corpus("福建省福州市鼓楼区召开会议。鼓楼区司法局局长林海出席。",
                "江苏省南京市鼓楼区召开会议。鼓楼区司法局局长林海出席。",
                "福州市鼓楼区开展普法活动。鼓楼区司法局局长林海讲话。")
    bureaus = _named(c, EntityType.AGENCY, "鼓楼区司法局")
    assert sorted(b.code for b in bureaus) == ["320106", "350102"]
    assert sorted(len({ev.span.doc_id for ev in p.evidence}) for p in _named(c, EntityType.PERSON, "林海")) == [1, 2]


@pytest.mark.parametrize(("second_date", "people"), [
    (dt.date(2022, 3, 20), 2),  # current posts in 苏州 and 南京 three weeks apart: two people
    (dt.date(2024, 9, 1), 1),  # two and a half years later: a transfer within the province
])
def test_resolve_concurrent_posts_in_two_cities_split_homonyms(second_date: dt.date, people: int) -> None:
    c = _dated(("苏州市公安局召开会议。苏州市公安局副局长张伟通报情况。", dt.date(2022, 3, 1)),
               ("南京市教育局召开发布会。南京市教育局局长张伟介绍情况。", second_date))
    assert len(_named(c, EntityType.PERSON, "张伟")) == people


def test_resolve_keys_are_unique_when_homonyms_share_name_and_province() -> None:
    c = _dated(("苏州市公安局召开会议。苏州市公安局副局长张伟通报情况。", dt.date(2022, 3, 1)),
               ("南京市教育局召开发布会。南京市教育局局长张伟介绍情况。", dt.date(2022, 3, 20)),
               ("江苏省司法厅印发《行政执法证据指引》。", DATE), ("四川省司法厅印发《行政执法证据指引》。", DATE))
    keys = [e.key for e in c.entities]
    assert len(keys) == len(set(keys))
    assert len(_named(c, EntityType.DOCUMENT, "行政执法证据指引")) == 2


def test_resolve_article_placed_person_joins_no_one_of_two_candidates() -> None:
    c = _dated(("苏州市公安局召开会议。苏州市公安局副局长张伟通报情况。", dt.date(2022, 3, 1)),
               ("南京市教育局召开发布会。南京市教育局局长张伟介绍情况。", dt.date(2022, 3, 20)),
               ("江苏省召开会议，张伟参加。", dt.date(2022, 4, 1)))
    assert sorted(len(p.evidence) for p in _named(c, EntityType.PERSON, "张伟")) == [1, 1, 1]


def test_resolve_former_post_in_another_province_links_both_tenures() -> None:
    c = _dated(("苏州市召开会议。苏州市市长陈立新讲话。", dt.date(2019, 6, 18)),
               ("浙江省召开会议。原苏州市市长陈立新已调任浙江省工作，浙江省各地市参加。", dt.date(2022, 12, 30)),
               ("浙江省召开推进会。浙江省副省长陈立新出席。", dt.date(2023, 2, 20)))
    people = _named(c, EntityType.PERSON, "陈立新")
    assert len(people) == 1
    assert {m.rule for m in c.merges if m.into == people[0].key} >= {"person-shared-province.v2"}


@pytest.mark.parametrize(("full", "short"), [
    ("中华人民共和国行政处罚法", "行政处罚法"),
    ("中华人民共和国民法典", "民法典"),
    ("中华人民共和国政府信息公开条例", "政府信息公开条例"),
])
def test_resolve_national_title_with_and_without_state_prefix(full: str, short: str) -> None:
    c = _corpus(f"新修订的《{full}》将于7月15日起施行。", f"苏州贯彻落实《{short}》。")
    documents = [e for e in c.entities if e.type is EntityType.DOCUMENT]
    assert len(documents) == 1 and set(documents[0].aliases) | {documents[0].name} == {full, short}
    assert [m.rule for m in c.merges if m.into == documents[0].key] == ["document-title.v2"]


_MAYOR_2019 = ("苏州市召开会议。苏州市市长顾建平讲话。", dt.date(2019, 6, 18))


@pytest.mark.parametrize(("first", "second", "people"), [
    # a prefecture mayor (厅局级) and, later, a municipal bureau head (县处级): a drop no transfer makes
    (_MAYOR_2019, ("无锡市司法局召开会议。无锡市司法局局长顾建平通报情况。", dt.date(2021, 1, 10)), 2),
    # both at once in one prefecture, a mayor and a district bureau head (乡科级)
    (("苏州市召开会议。苏州市市长顾建平讲话。", dt.date(2022, 3, 1)),
     ("吴江区司法局召开会议。吴江区司法局局长顾建平通报情况。", dt.date(2022, 3, 10)), 2),
    # a promotion: 县长 then 副市长 of the prefecture
    (("沭阳县召开会议。沭阳县县长顾建平讲话。", dt.date(2019, 4, 2)),
     ("宿迁市召开会议。宿迁市副市长顾建平出席。", dt.date(2021, 5, 20)), 1),
    # a promotion by a whole level: 县委书记 then 市长
    (("沭阳县召开会议。县委书记顾建平讲话。", dt.date(2018, 4, 2)),
     ("宿迁市召开会议。宿迁市市长顾建平出席。", dt.date(2021, 5, 20)), 1),
    # the mayor's drop read the other way round: bureau head first, mayor later
    (("无锡市司法局召开会议。无锡市司法局局长顾建平通报情况。", dt.date(2019, 4, 2)),
     ("苏州市召开会议。苏州市市长顾建平讲话。", dt.date(2022, 5, 20)), 1),
    # a lateral transfer between two cities' bureaus
    (("苏州市司法局召开会议。苏州市司法局局长顾建平通报情况。", dt.date(2019, 4, 2)),
     ("无锡市公安局召开会议。无锡市公安局局长顾建平讲话。", dt.date(2021, 5, 20)), 1),
    # a post without a rank (主任 depends on the body) is no evidence against the province rule
    (_MAYOR_2019, ("无锡市召开会议。无锡市发展改革委主任顾建平介绍情况。", dt.date(2021, 1, 10)), 1),
])
def test_resolve_rank_gap_keeps_demoted_homonyms_apart(first, second, people: int) -> None:
    c = _dated(first, second)
    assert len(_named(c, EntityType.PERSON, "顾建平")) == people
    assert any(m.rule == "person-rank-gap.v1" for m in c.merges) == (people == 2)


def test_resolve_rank_gap_is_audited_as_kept_apart() -> None:
    c = _dated(_MAYOR_2019, ("无锡市司法局召开会议。无锡市司法局局长顾建平通报情况。", dt.date(2021, 1, 10)))
    rows = [row for row in iter_audit(c) if row["decision"] == "kept-apart"]
    assert [row["rule"] for row in rows] == ["person-rank-gap.v1"]
    assert "rank 3" in rows[0]["reason"] and "rank 4" in rows[0]["reason"] and "kept apart from person/" in rows[0]["reason"]
    assert {row["into"] for row in rows} <= {e.key for e in _named(c, EntityType.PERSON, "顾建平")}
    assert all(row["decision"] == "merged" for row in iter_audit(c) if row["rule"] != "person-rank-gap.v1")


def test_resolve_rank_gap_yields_to_a_same_as_override() -> None:
    texts = (_MAYOR_2019, ("无锡市司法局召开会议。无锡市司法局局长顾建平通报情况。", dt.date(2021, 1, 10)))
    c = _dated(*texts, overrides=[Override(True, "person:顾建平", "person:顾建平")])
    assert len(_named(c, EntityType.PERSON, "顾建平")) == 1
    assert not any(m.rule == "person-rank-gap.v1" for m in c.merges)


@pytest.mark.parametrize(("role", "code", "body", "rank"), [
    ("市长", "330100", "杭州市人民政府", 2.5),  # a 副省级市
    ("市长", "320500", "苏州市人民政府", 3.0),
    ("常务副市长", "320500", "苏州市人民政府", 3.5),
    ("局长", "330200", "宁波市市场监管局", 3.5),
    ("局长", "320500", "苏州市司法局", 4.0),
    ("局长", "320508", "姑苏区司法局", 5.0),
    ("区长", "110105", "朝阳区人民政府", 3.0),  # districts of a 直辖市 rank as prefectures
    ("市长", "320583", "昆山市人民政府", 4.0),  # a county-level city
    ("副省长", "320000", "江苏省人民政府", 2.5),
    ("部长", "", "公安部", 2.0),
    ("院长", "", "最高人民法院", 1.5),
    ("县委书记", "", "", 4.0),
    ("主任", "320500", "苏州市发展和改革委员会", None),
    ("董事长", "", "某某集团", None),
])
def test_resolve_post_rank_from_title_and_body_level(role: str, code: str, body: str, rank: float | None) -> None:
    assert post_rank(role, body_level(code, body), body) == rank
