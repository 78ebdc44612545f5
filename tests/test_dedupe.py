"""Near-duplicate articles: reprints found, articles on one template kept apart, whatever the order."""

from __future__ import annotations

import random

import pytest

from kg.dedupe import jaccard, near_duplicates
from kg.records import Article

BODY = ("近日，江宁区司法局联合区市场监管局出台《江宁区涉企轻微违法行为不予行政处罚清单》，明确48项不予处罚事项。"
        "该局负责人表示，清单将在年内动态调整，并对执法人员开展专题培训，确保清单落地见效。"
        "据统计，今年1至8月，全区共办理涉企案件312件，其中适用清单免予处罚的有57件，惠及市场主体近百家。")


def _template(i: int) -> str:
    """An article of a recurring series: same frame, different district, agency, numbers and document."""
    rng = random.Random(i)
    place = rng.choice(["江宁区", "鼓楼区", "姑苏区", "吴中区", "相城区", "滨湖区", "梁溪区"])
    doc = rng.choice(["免罚清单", "轻罚清单", "告知承诺制实施办法", "柔性执法指引"])
    return (f"近日，{place}{rng.choice(['司法局', '市场监管局', '税务局'])}出台《{place}{doc}》，明确{rng.randint(10, 99)}项事项。"
            f"该局负责人表示，{doc}将在{rng.choice(['年内', '下半年', '明年'])}动态调整。"
            f"据统计，今年{rng.randint(1, 6)}至{rng.randint(7, 11)}月，全区共办理案件{rng.randint(100, 999)}件，"
            f"其中{rng.choice(['免予处罚', '从轻处罚', '减轻处罚'])}的有{rng.randint(10, 99)}件。")


CASES = {
    "reprint with a source line": BODY + "（来源：法治日报）",
    "reprint reflowed into paragraphs": BODY.replace("。", "。\n\n　　"),
    "a sentence added at the end": BODY + "下一步，该局将推广这一做法。",
}


@pytest.mark.parametrize("copy", CASES.values(), ids=CASES.keys())
def test_dedupe_finds_reprints(copy: str) -> None:
    articles = [Article(doc_id="b-copy", text=copy), Article(doc_id="a-original", text=BODY)]
    assert near_duplicates(articles) == {"b-copy": "a-original"}


def test_dedupe_keeps_articles_of_one_template_apart() -> None:
    articles = [Article(doc_id=f"{i:04d}", text=_template(i)) for i in range(400)]
    found = near_duplicates(articles)
    assert all(jaccard(articles[int(d)].text, articles[int(k)].text) >= 0.8 for d, k in found.items())
    assert len(found) < 20  # only the few that drew the same values


def test_dedupe_result_does_not_depend_on_order() -> None:
    articles = [Article(doc_id=f"{i:04d}", text=_template(i)) for i in range(200)]
    articles += [Article(doc_id="zz-reprint", text=_template(7) + "（转载）")]
    shuffled = articles[:]
    random.Random(3).shuffle(shuffled)
    assert near_duplicates(articles) == near_duplicates(shuffled)
    kept = near_duplicates(articles)["zz-reprint"]
    assert jaccard(articles[int(kept)].text, _template(7)) >= 0.8


def test_dedupe_ignores_short_texts() -> None:
    assert near_duplicates([Article(doc_id="a", text="短讯。"), Article(doc_id="b", text="短讯。")]) == {}


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("依法行政", "依法行政", 1.0),
    ("依法行政", "依 法\n行政", 1.0),
    ("依法行政工作", "全面推进", 0.0),
])
def test_dedupe_jaccard_of_four_grams(a: str, b: str, expected: float) -> None:
    assert jaccard(a, b) == expected
