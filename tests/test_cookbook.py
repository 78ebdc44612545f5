"""The cookbook (docs/queries): every query runs, embedded and on servers, with asserted answers on the sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.load import Endpoint, load, sparql_select
from kg.query import COOKBOOK, cookbook, cookbook_readme, fill, open_store, parameters, select

RECIPES = {recipe.name: recipe for recipe in cookbook()}

# (query, parameters, a row that must be among the answers on the sample article)
SAMPLE_ANSWERS = [
    ("01-posts-over-time", {"name": "李亚平"}, {"role": "市长", "organization": "苏州市人民政府", "date": "2021-09-03"}),
    ("02-officials-of-agency", {"agency": "苏州市人民政府"}, {"person": "李亚平", "role": "市长", "status": "AtDate"}),
    ("03-co-issuing-agencies", {}, {"agency1": "苏州市司法局", "agency2": "苏州市纪委监委", "documents": "2"}),
    ("04-document-versions", {}, {"newer": "涉企“免罚轻罚”清单", "version": "2.0", "older": "苏州市涉企轻微违法行为不予行政处罚清单"}),
    ("04-document-versions", {}, {"newer": "涉企“免罚轻罚”清单", "older": "涉企一般违法行为从轻减轻行政处罚清单"}),
    ("05-city-events-by-month", {"city": "苏州市"}, {"month": "2020-03", "type": "Issue"}),
    ("05-city-events-by-month", {"city": "苏州市"}, {"month": "2021-03", "type": "Launch"}),
    ("06-who-said-what", {}, {"speaker": "李亚平", "date": "2021-09-03"}),
    ("07-evidence-of-facts", {"name": "李亚平"}, {"kind": "Membership", "quote": "时任苏州市市长李亚平"}),
    ("08-articles-mentioning-both", {"first": "李亚平", "second": "苏州市人民政府"}, {"date": "2021-09-03"}),
    ("10-documents-by-issuer", {}, {"issuer": "苏州市纪委监委", "date": "2020-03-01", "items": "248",
                                    "document": "苏州市涉企轻微违法行为不予行政处罚清单"}),
    ("11-place-hierarchy", {}, {"place": "苏州市", "code": "320500", "within": "江苏省"}),
    ("12-tenures-at-date", {"date": "2021-09-03"}, {"person": "李亚平", "role": "市长", "organization": "苏州市人民政府"}),
    ("13-agency-hierarchy", {}, {"agency": "苏州市司法局", "parent": "苏州市人民政府", "jurisdiction": "320500"}),
    ("14-reported-figures", {}, {"value": "96", "unit": "%", "qualifier": "at_least"}),
]
# The sample's answers that must NOT be there.
SAMPLE_ABSENT = [
    ("09-official-cooccurrence", {}, {"official1": "罗莎莎"}),  # a reporter is no official
    ("12-tenures-at-date", {"date": "2021-09-04"}, {"person": "李亚平"}),
    ("01-posts-over-time", {"name": '李亚平"@zh } ?s ?p ?o . { "'}, {"role": "市长"}),
]


def _contains(rows: list[dict[str, str]], wanted: dict[str, str]) -> bool:
    """Whether a row has every wanted value; a pair (agency1, agency2) matches in either order (it is ordered by IRI)."""
    def swapped(row: dict[str, str]) -> dict[str, str]:
        return {**row, "agency1": row.get("agency2", ""), "agency2": row.get("agency1", "")}

    return any(all(r.get(k) == v for k, v in wanted.items()) for row in rows for r in (row, swapped(row)))


def test_cookbook_has_twelve_questions_in_two_languages() -> None:
    assert len(RECIPES) >= 12
    for recipe in RECIPES.values():
        assert recipe.question_zh and recipe.question_en and recipe.question_zh != recipe.question_en


@pytest.mark.parametrize(("name", "values", "row"), SAMPLE_ANSWERS)
def test_cookbook_sample_answers(sample_trig: Path, name: str, values: dict[str, str], row: dict[str, str]) -> None:
    rows = select(open_store(sample_trig), fill(RECIPES[name].sparql, **values))
    assert _contains(rows, row), rows


@pytest.mark.parametrize(("name", "values", "row"), SAMPLE_ABSENT)
def test_cookbook_sample_non_answers(sample_trig: Path, name: str, values: dict[str, str], row: dict[str, str]) -> None:
    rows = select(open_store(sample_trig), fill(RECIPES[name].sparql, **values))
    assert not _contains(rows, row), rows


@pytest.fixture(scope="module")
def generated_store(generated_trig: Path):  # type: ignore[no-untyped-def]
    return open_store(generated_trig)


def _generated_values(store, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Parameters for the generated corpus, taken from its own answers (names no test hard-codes)."""
    officials = select(store, RECIPES["12-tenures-at-date"].sparql.replace('VALUES ?date { "2021-09-03"^^xsd:date }  # parameter', ""))
    official = min(officials, key=lambda r: (r["person"], r["role"]))
    places = select(store, RECIPES["11-place-hierarchy"].sparql)
    city = next(r["place"] for r in sorted(places, key=lambda r: r["place"]) if r.get("kind") == "prefecture")
    candidates = {"name": official["person"], "agency": official.get("organization", ""), "city": city,
                  "first": official["person"], "second": official.get("organization", ""), "date": "2020-01-01"}
    return {key: candidates[key] for key in parameters(RECIPES[name].sparql)}


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_cookbook_answers_on_generated_corpus(generated_store, name: str) -> None:  # type: ignore[no-untyped-def]
    values = _generated_values(generated_store, name)
    rows = select(generated_store, fill(RECIPES[name].sparql, **values))
    if name != "12-tenures-at-date":  # no article of the generated corpus need be dated that day
        assert rows, (name, values)
    assert len({tuple(sorted(r.items())) for r in rows}) == len(rows)  # DISTINCT: no repeated rows


def test_cookbook_generated_posts_follow_a_career(generated_store) -> None:  # type: ignore[no-untyped-def]
    rows = select(generated_store, RECIPES["09-official-cooccurrence"].sparql)
    assert rows and all(int(r["articles"]) >= 1 and r["official1"] != r["official2"] for r in rows)
    name = rows[0]["official1"]
    posts = select(generated_store, fill(RECIPES["01-posts-over-time"].sparql, name=name))
    assert {r["role"] for r in posts} & {"市长", "副市长"}


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_cookbook_server_agrees_with_embedded_store(sparql_server: dict[str, str], sample_trig: Path, name: str) -> None:
    endpoint = Endpoint.at(sparql_server["store"], query=sparql_server["query"], user=sparql_server.get("user"),
                           password=sparql_server.get("password"), auth=sparql_server.get("auth", "basic"))
    load(sample_trig, endpoint, progress=False)
    sparql = RECIPES[name].sparql
    embedded = {tuple(sorted(r.items())) for r in select(open_store(sample_trig), sparql)}
    served = {tuple(sorted(r.items())) for r in sparql_select(endpoint, sparql)}
    assert served == embedded
    assert embedded or name == "09-official-cooccurrence"  # the sample names one official only


def test_cookbook_readme_is_current(sample_trig: Path) -> None:
    expected = cookbook_readme(open_store(sample_trig))
    current = (COOKBOOK / "README.md").read_text(encoding="utf-8")
    assert current == expected, (
        "docs/queries/README.md is stale; regenerate it with: python -c \"from kg.query import cookbook_readme, "
        "open_store; open('docs/queries/README.md', 'w').write(cookbook_readme(open_store('OUTDIR')))\" "
        "after kg build examples -o OUTDIR")
