"""Document names, versions, short forms and item counts (sentences written for these tests)."""

from __future__ import annotations

import pytest

from kg.extract.documents import find_documents, find_item_counts, genre_of, short_form_target
from kg.extract.sentences import split_sentences
from kg.extract.tagger import Token, get_tagger


def _docs(text: str) -> list[tuple[str, str]]:
    sentences = split_sentences(text)
    tagged = get_tagger().tag([text[a:b] for a, b in sentences])
    tokens = [[Token(t.start + a, t.end + a, t.text, t.tag) for t in toks] for (a, _), toks in zip(sentences, tagged)]
    return [(d.name, d.version) for d in find_documents(text, sentences, tokens)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国务院办公厅印发《关于加强行政执法的指导意见》。", [("关于加强行政执法的指导意见", "")]),
        ("市司法局出台《无锡市行政执法公示办法、无锡市执法全过程记录办法》。",
         [("无锡市行政执法公示办法", ""), ("无锡市执法全过程记录办法", "")]),
        ("《人民日报》报道了此事。", [("人民日报", "")]),
        ("该市推出“首违不罚”清单3.0版,涉及120项。", [("“首违不罚”清单", "3.0")]),
        ("扎实落实行政执法“三项制度”。", [("行政执法“三项制度”", "")]),
        ("全面推行证明事项告知承诺制,成效明显。", [("证明事项告知承诺制", "")]),
        ("建立“一把手”述法机制。", []),
        ("各地建立健全“河长”制度机制和工作体系。", [("“河长”制度", "")]),
        ("各地推动完善公众参与、跟踪反馈等制度机制。", []),
        ("探索建立“街乡吹哨”机制。", [("“街乡吹哨”机制", "")]),
    ],
)
def test_documents_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert _docs(text) == expected


def test_documents_title_with_version_after_bracket() -> None:
    assert _docs("省政府发布《优化营商环境条例》2.0版。") == [("优化营商环境条例", "2.0")]


@pytest.mark.parametrize(
    ("name", "genre"),
    [("法治政府建设实施纲要(2021-2025年)", "实施纲要"), ("证明事项告知承诺制", "承诺制"), ("行政执法“三项制度”", "制度"), ("某某工作", "")],
)
def test_documents_genre(name: str, genre: str) -> None:
    assert genre_of(name) == genre


def test_documents_short_form_needs_a_unique_fit() -> None:
    titles = ["法治政府建设实施纲要(2021-2025年)", "法治社会建设实施纲要(2020-2025年)"]
    assert short_form_target("纲要", titles) is None
    assert short_form_target("纲要", titles[:1]) == titles[0]
    assert short_form_target("条例", titles) is None


def test_documents_item_counts_total_and_parts() -> None:
    text = "共涉及120项行政许可事项,其中,告知承诺事项80项、容缺受理事项40项。"
    counts = find_item_counts(text, 0, len(text))
    assert [(c.count, c.total) for c in counts] == [(120, True), (80, False), (40, False)]
    assert counts[1].label.endswith("告知承诺事项")


def test_documents_item_counts_ignore_other_numbers() -> None:
    text = "2020年全市出庭率达到96%以上,办理审批事项9万余件。"
    assert find_item_counts(text, 0, len(text)) == []
