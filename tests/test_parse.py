"""Tests for kg.parse and kg.byline: layouts, titles, dates, bylines, HTML safety."""

from __future__ import annotations

import datetime as dt
import resource
import time
from pathlib import Path

import pytest

from kg.byline import parse_bylines
from kg.errors import ParseError
from kg.ids import stable_id
from kg.parse import date_from_path, parse_date, parse_document
from kg.read import iter_documents, read_text
from kg.records import RawDocument

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "fazhi-ribao" / "2021-09-03-suzhou-fazhi-zhengfu.txt"
LAYOUTS = Path(__file__).parent / "data" / "layouts"


def _raw(text: str, path: str = "doc.txt", **kwargs) -> RawDocument:
    return RawDocument(path=path, text=text, encoding="utf-8", **kwargs)


def test_parse_sample_fazhi_ribao() -> None:
    article = parse_document(read_text(str(SAMPLE)))
    assert article.layout == "fazhi-ribao"
    assert article.headline == "江苏苏州努力创造法治政府建设更多示范成果"
    assert article.subtitle == "探索建立党政主要负责人“履职纪实”机制"
    assert article.date == dt.date(2021, 9, 3)
    assert (article.section, article.publisher) == ("法治政府", "法治日报")
    body_line = next(line for line in SAMPLE.read_text(encoding="utf-8").split("\n") if len(line) > 500)
    assert article.text == body_line.strip()
    assert article.text.count(article.text[30:90]) == 1  # the repeated body is read once
    assert [(a.name, a.role) for a in article.authors] == [("罗莎莎", "记者"), ("沙一", "通讯员")]
    assert [article.text[a.start : a.end] for a in article.authors] == ["罗莎莎", "沙 一"]
    assert article.doc_id == stable_id("article", article.text, article.headline, "2021-09-03", "法治日报")


def test_parse_fazhi_ribao_fixture() -> None:
    article = parse_document(read_text(str(LAYOUTS / "fazhi-ribao" / "2022-03-15-hangzhou.txt")))
    assert (article.layout, article.section, article.publisher) == ("fazhi-ribao", "法治经济", "法治日报")
    assert (article.headline, article.subtitle) == ("浙江杭州持续优化法治化营商环境", "推出涉企服务举措十余项")
    assert article.date == dt.date(2022, 3, 15)
    assert article.text.startswith("□ 本报记者 陈晓明") and article.text.count("下一步") == 1
    assert [(a.name, a.role, article.text[a.start : a.end]) for a in article.authors] == [
        ("陈晓明", "记者", "陈晓明"), ("林立", "见习记者", "林 立"),
    ]


def test_parse_renmin_ribao_three_titles_and_path_date() -> None:
    path = LAYOUTS / "renmin-ribao" / "2020年1月" / "20200110" / "20200110-04-2.txt"
    article = parse_document(read_text(str(path)))
    assert (article.layout, article.publisher, article.date) == ("renmin-ribao", "人民日报", dt.date(2020, 1, 10))
    assert (article.kicker, article.headline, article.subtitle) == (
        "改革开放再出发", "国务院部署推进政务服务“一网通办”", "——各地已接入事项超过百万项",
    )
    assert article.text.split("\n") == [
        "新华社北京1月9日电  国务院日前召开常务会议，部署推进政务服务“一网通办”。",
        "会议指出，要加快数据共享，让企业和群众少跑腿。",
    ]
    assert "\xa0" not in article.text and "\u3000\u3000" not in article.text


def test_parse_renmin_ribao_byline_paragraph() -> None:
    path = LAYOUTS / "renmin-ribao" / "2020年3月" / "20200302" / "20200302-11-1.txt"
    article = parse_document(read_text(str(path)))
    assert article.headline == "城市治理有了“绣花针”"
    assert [(a.name, a.role, article.text[a.start : a.end]) for a in article.authors] == [
        ("张文", "记者", "张文"), ("李华", "记者", "李华"),
    ]


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["推进依法行政"], ("", "推进依法行政", "")),
        (["全面推进依法治市", "——某市法治建设工作综述"], ("", "全面推进依法治市", "——某市法治建设工作综述")),
        (["会议强调", "加快建设法治政府"], ("会议强调", "加快建设法治政府", "")),
        (["奋斗新时代", "法治护航"], ("奋斗新时代", "法治护航", "")),
        (["法治护航", "某市出台十项举措优化营商环境"], ("", "法治护航", "某市出台十项举措优化营商环境")),
    ],
)
def test_parse_title_lines(titles: list[str], expected: tuple[str, str, str]) -> None:
    text = "\n" + "\n".join(titles) + "\n\n\u3000\u3000本报北京3月5日讯  正文第一段。\n\u3000\u3000正文第二段。\n"
    article = parse_document(_raw(text, "2021年3月/20210306/20210306-02-1.txt"))
    assert (article.kicker, article.headline, article.subtitle) == expected
    assert article.layout == "renmin-ribao"


@pytest.mark.parametrize(
    ("text", "headline", "body", "layout"),
    [
        ("某区推进法治建设\n近日，某区召开会议。\n会议要求落实责任。", "某区推进法治建设", "近日，某区召开会议。\n会议要求落实责任。", "plain"),
        ("近日，某区召开会议。\n会议要求落实责任。", "", "近日，某区召开会议。\n会议要求落实责任。", "plain"),
        ("\u3000\u3000只有一段正文，没有标题。", "", "只有一段正文，没有标题。", "plain"),
        # the 人民日报 shape without a 人民日报 file name stays plain (no publisher is claimed)
        ("标题一行\n\n\u3000\u3000正文。\n", "标题一行", "正文。", "plain"),
    ],
)
def test_parse_plain_text(text: str, headline: str, body: str, layout: str) -> None:
    article = parse_document(_raw(text, "notes/article.txt"))
    assert (article.headline, article.text, article.layout, article.publisher) == (headline, body, layout, "")


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ("\u3000\u3000新华社北京1月9日电\xa0\xa0正文。", "2020年1月/x.txt", dt.date(2020, 1, 9)),
        ("\u3000\u3000新华社北京12月30日电  正文。", "2020年1月/x.txt", dt.date(2019, 12, 30)),
        ("\u3000\u3000本报北京9月3日讯  正文。", "2021年9月/x.txt", dt.date(2021, 9, 3)),
        ("\u3000\u3000本报北京2019年5月4日讯  正文。", "x.txt", dt.date(2019, 5, 4)),
        ("\u3000\u3000新华社北京1月9日电  正文。", "x.txt", None),  # no year anywhere: no date, never today
        ("\u3000\u3000正文。", "2021-09-03-article.txt", dt.date(2021, 9, 3)),
        ("\u3000\u3000正文。", "20200110/01-3.txt", dt.date(2020, 1, 10)),
        ("\u3000\u3000正文。", "202011/article.txt", None),
    ],
)
def test_parse_date_from_dateline_and_path(text: str, path: str, expected: dt.date | None) -> None:
    assert parse_document(_raw(text, path)).date == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-09-03", dt.date(2021, 9, 3)),
        ("2021/9/3 08:00", dt.date(2021, 9, 3)),
        ("2021年9月3日", dt.date(2021, 9, 3)),
        ("20210903", dt.date(2021, 9, 3)),
        ("2021-09-03T23:30:00+08:00", dt.date(2021, 9, 3)),
        ("1630627200000", dt.date(2021, 9, 3)),
        ("2021-13-45", None),
        ("", None),
    ],
)
def test_parse_date_values(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_parse_date_from_path_prefers_file_name() -> None:
    assert date_from_path("2020年1月/20200110/20200111-01-1.txt") == dt.date(2020, 1, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("□ 本报记者 王小明 □ 本报通讯员 李 四 2021年以来,某市", [("王小明", "记者", "王小明"), ("李四", "通讯员", "李 四")]),
        ("本报记者 张三 李四\n近日，会议召开。", [("张三", "记者", "张三"), ("李四", "记者", "李四")]),
        ("本报北京9月3日讯（记者 王五 通讯员 赵六）近日，", [("王五", "记者", "王五"), ("赵六", "通讯员", "赵六")]),
        ("新华社北京1月9日电（记者赵六、钱七）国务院", [("赵六", "记者", "赵六"), ("钱七", "记者", "钱七")]),
        ("新华社记者 周八\n正文。", [("周八", "记者", "周八")]),
        ("□ 本报记者 王五 近日，某市召开会议。", [("王五", "记者", "王五")]),
        ("法治日报全媒体记者 张三 通讯员 王 五 2021年", [("张三", "记者", "张三"), ("王五", "通讯员", "王 五")]),
        ("正文结束。（本报实习生 欧阳娜娜）", [("欧阳娜娜", "实习生", "欧阳娜娜")]),
        ("（记者 摄）正文。", []),
        ("近日，记者从某市获悉，相关工作正在推进。", []),
    ],
)
def test_byline_authors(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(a.name, a.role, text[a.start : a.end]) for a in parse_bylines(text)] == expected


def test_parse_jsonl_record() -> None:
    docs = [d for d in iter_documents([LAYOUTS / "jsonl" / "crawl.jsonl"]) if isinstance(d, RawDocument)]
    article = parse_document(docs[0])
    assert (article.layout, article.source_line) == ("jsonl", 1)
    assert (article.headline, article.publisher, article.url) == (
        "某市出台行政执法新规", "某市人民政府网", "http://www.example.gov.cn/a.html",
    )
    assert article.date == dt.date(2021, 5, 6)
    assert article.text == "近日，某市人民政府印发通知，规范行政执法行为。\n通知自发布之日起施行。"


@pytest.mark.parametrize("name", ["gb2312-page.html", "gbk-no-meta.htm"])
def test_parse_html_main_text_and_metadata(name: str) -> None:
    article = parse_document(read_text(str(LAYOUTS / "html" / name)))
    assert (article.layout, article.headline, article.date) == ("html", "苏州出台免罚清单", dt.date(2021, 9, 3))
    assert article.publisher == "苏州市人民政府"
    assert article.text.startswith("近日，苏州市司法局印发")
    for boilerplate in ("首页", "政务公开", "版权所有", "var nav"):
        assert boilerplate not in article.text
    assert [(a.name, a.role) for a in article.authors] == [("王小明", "记者")]


def test_parse_html_billion_laughs_is_harmless() -> None:
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    article = parse_document(read_text(str(LAYOUTS / "html" / "billion-laughs.html")))
    assert time.monotonic() - started < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB
    assert "正文内容不应被实体展开。" in article.text
    assert len(article.text) < 1000 and "lollol" not in article.text


def test_parse_html_date_from_page_text() -> None:
    page = (
        "<html><head><title>某县召开会议 - 某县人民政府</title></head><body><div>发布时间：2022-06-01</div>"
        "<div><p>某县召开专题会议，研究部署依法行政工作。会议要求各部门压实责任，确保各项任务落到实处。</p></div></body></html>"
    )
    article = parse_document(_raw(page, "page.html", layout_hint="html"))
    assert (article.headline, article.date) == ("某县召开会议", dt.date(2022, 6, 1))
    assert "研究部署依法行政工作" in article.text


def test_parse_reprint_has_same_doc_id() -> None:
    text = "某区推进法治建设\n近日，某区召开会议。"
    first = parse_document(_raw(text, "a/2021-01-02.txt"))
    second = parse_document(_raw(text, "b/2021-01-02-copy.txt"))
    third = parse_document(_raw(text + "补充。", "a/2021-01-02.txt"))
    assert first.doc_id == second.doc_id != third.doc_id


@pytest.mark.parametrize(
    "raw",
    [
        _raw("标题\n\n   \n"),
        _raw("<html><head><script>var a = 1;</script></head><body> </body></html>", "x.html", layout_hint="html"),
    ],
)
def test_parse_no_body_raises(raw: RawDocument) -> None:
    with pytest.raises(ParseError) as info:
        parse_document(raw)
    assert info.value.code == "parse.empty"
