"""Resolution on the hand-labelled sample (tests/data/resolution, issue 4): what users rely on.

Each test names gold entities (ids of tests/data/resolution/gold.jsonl) and checks the keys
their mentions were resolved to; the scoring itself is benchmarks/resolution.py.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from kg.resolve import iter_audit

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "data" / "resolution"


def _benchmark():
    spec = importlib.util.spec_from_file_location("resolution_benchmark", REPO / "benchmarks" / "resolution.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _benchmark()


@pytest.fixture(scope="module")
def sample():
    """(corpus, gold rows, {gold entity: set of keys}, {key: entity}) for the sample built once."""
    corpus = bench.build_sample(SAMPLE / "articles")
    gold = bench.read_gold(SAMPLE / "gold.jsonl")
    linked = bench.link_gold(corpus, gold)
    keys: dict[str, set[str | None]] = defaultdict(set)
    for x in linked:
        keys[x.gold.entity].add(x.key)
    return corpus, gold, keys, {e.key: e for e in corpus.entities}, linked


def test_resolution_gold_covers_every_article(sample) -> None:
    corpus, gold, *_ = sample
    files = {p.name for p in (SAMPLE / "articles").glob("*.txt")}
    assert 30 <= len(files) == len(corpus.articles)
    assert {g.article for g in gold} == files


@pytest.mark.parametrize(("a", "b", "what"), [
    ("P09", "P10", "王建华: 江苏省司法厅 / 成都市公安局"),
    ("P11", "P12", "林海: 鼓楼区司法局 of 福州 / of 南京"),
    ("P16", "P17", "张伟: 苏州市公安局 / 南京市教育局, three weeks apart"),
    ("A05", "A06", "市司法局 of 苏州 / of 常州"),
    ("A10", "A11", "鼓楼区司法局 of 福州 / of 南京"),
    ("L04", "L05", "鼓楼区 of 南京 / of 福州"),
    ("L04", "L06", "鼓楼区 of 南京 / of 徐州"),
    ("L07", "L08", "通州区 of 南通 / of 北京"),
    ("D01", "D02", "《纲要》 of 法治政府 / of 法治社会"),
    ("D03", "D04", "《行政执法证据指引》 of 江苏 / of 四川"),
])
def test_resolution_gold_homonyms_stay_apart(sample, a: str, b: str, what: str) -> None:
    _, _, keys, _, _ = sample
    assert None not in keys[a] | keys[b], f"{what}: a mention was not found"
    assert not keys[a] & keys[b], what


@pytest.mark.parametrize(("entity", "what"), [
    ("P01", "最高人民法院院长周立新 / 最高法院长周立新 / 党组书记、院长周立新"),
    ("P04", "国务院副总理韩志远 / 韩志远副总理, in 浙江, 四川 and 北京"),
    ("P07", "苏州市市长 / 时任苏州市市长 / 原苏州市市长 / 浙江省副省长陈立新"),
    ("P09", "江苏省司法厅厅长 / 省司法厅厅长 / 原江苏省司法厅厅长王建华"),
    ("P14", "中共苏州市委书记 / 市委书记刘振东"),
    ("A01", "最高人民法院 / 最高法"),
    ("A14", "司法部 / 中华人民共和国司法部"),
    ("D01", "《法治政府建设实施纲要(2021-2025年)》, full-width or not, and 《纲要》"),
    ("D05", "《中华人民共和国行政处罚法》 / 《行政处罚法》"),
])
def test_resolution_gold_forms_of_one_entity_merge(sample, entity: str, what: str) -> None:
    _, _, keys, _, _ = sample
    assert len(keys[entity]) == 1 and None not in keys[entity], what


def test_resolution_gold_nameplates_are_one_body(sample) -> None:
    corpus, _, keys, entities, _ = sample
    (key,) = keys["A04"]  # 中共苏州市纪律检查委员会, 苏州市监察委员会, 苏州市纪委监委, 市纪委监委
    body = entities[key]
    assert {"苏州市纪律检查委员会", "苏州市监察委员会"} <= {body.name, *body.aliases}
    assert any(row["into"] == key and row["rule"] == "agency-nameplate.v1" for row in iter_audit(corpus))


@pytest.mark.parametrize(("entity", "name", "code"), [("A05", "苏州市司法局", "320500"), ("A06", "常州市司法局", "320400")])
def test_resolution_gold_bare_city_bureau_resolves_per_city(sample, entity: str, name: str, code: str) -> None:
    _, _, keys, entities, linked = sample
    assert any(x.gold.entity == entity and x.gold.text == "市司法局" for x in linked)
    (key,) = keys[entity]
    assert (entities[key].name, entities[key].code) == (name, code)


def test_resolution_gold_every_cross_article_merge_is_audited(sample) -> None:
    corpus, _, _, entities, linked = sample
    audited = defaultdict(set)
    for row in iter_audit(corpus):
        assert row["rule"] and row["reason"]
        audited[row["into"]].add(row["member"].split("#")[0])
    for key in {x.key for x in linked if x.key}:
        docs = sorted({ev.span.doc_id for ev in entities[key].evidence})
        assert len(audited[key]) >= len(docs) - 1, entities[key].name


@pytest.mark.parametrize("etype", ["person", "agency", "place", "document"])
def test_resolution_gold_scores_have_floors(sample, etype: str) -> None:
    *_, linked = sample
    s = bench.score(linked)[etype]
    assert s["precision"] >= 0.9 and s["recall"] >= 0.9, s
    assert s["homonyms_apart"] == s["homonym_pairs"], s
    assert s["missed"] <= 0.1 * s["rows"], s
