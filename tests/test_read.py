"""Tests for kg.read: encodings, line ends, binary and empty files, folders, JSON Lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.errors import ReadError
from kg.read import decode_bytes, iter_documents, iter_files, read_text
from kg.records import Problem, RawDocument, Severity

LAYOUTS = Path(__file__).parent / "data" / "layouts"
SIMPLIFIED = "苏州市司法局印发《涉企轻微违法行为不予行政处罚清单》，明确了十项措施。\n市长表示，将持续推进法治政府建设。\n"
TRADITIONAL = "蘇州市司法局印發《涉企輕微違法行為不予行政處罰清單》，明確了十項措施。\n市長表示，將持續推進法治政府建設。\n"


def _docs(items) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def _problems(items) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


@pytest.mark.parametrize(
    ("name", "encoding", "text"),
    [
        ("gbk.txt", "gb18030", SIMPLIFIED),
        ("gb18030.txt", "gb18030", "𠮷" + SIMPLIFIED),
        ("big5.txt", "big5", TRADITIONAL),
        ("utf16le-bom.txt", "utf-16-le", SIMPLIFIED),
        ("utf16be-bom.txt", "utf-16-be", SIMPLIFIED),
        ("utf16le-nobom.txt", "utf-16-le", SIMPLIFIED),
        ("utf8-bom.txt", "utf-8-sig", SIMPLIFIED),
        ("crlf.txt", "utf-8", SIMPLIFIED),
        ("mixed-eol.txt", "utf-8", "第一行\n第二行\n第三行\n"),
    ],
)
def test_read_detects_encoding_and_line_ends(name: str, encoding: str, text: str) -> None:
    raw = read_text(str(LAYOUTS / "encodings" / name))
    assert (raw.encoding, raw.text) == (encoding, text)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("依法治国，建设法治政府。", "gbk"),
        ("會議強調，依法治國。", "big5"),
        ("国务院办公厅印发通知", "gb2312"),
        ("臺灣地區行政機關", "big5"),
    ],
)
def test_read_tells_gbk_from_big5(text: str, codec: str) -> None:
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    assert encoding == ("gb18030" if codec.startswith("gb") else "big5")


@pytest.mark.parametrize("name", ["report.pdf.txt", "image.png.txt", "archive.zip.txt", "nul-bytes.txt"])
def test_read_binary_named_txt_is_a_problem(name: str) -> None:
    (problem,) = list(iter_documents([LAYOUTS / "binary" / name]))
    assert isinstance(problem, Problem)
    assert (problem.code, problem.severity) == ("read.binary", Severity.ERROR)
    assert problem.path.endswith(name)


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_read_empty_file_is_a_problem(name: str) -> None:
    (problem,) = list(iter_documents([LAYOUTS / "empty" / name]))
    assert isinstance(problem, Problem) and problem.code == "read.empty"


def test_read_undecodable_bytes_raise_encoding_error() -> None:
    with pytest.raises(ReadError) as info:
        decode_bytes(bytes([0x81, 0x20, 0xFF, 0xFE, 0x80]) * 7 + b"\x81")
    assert info.value.code == "read.encoding"


def test_read_too_large_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("法治" * 100, encoding="utf-8")
    (problem,) = list(iter_documents([path], max_bytes=100))
    assert isinstance(problem, Problem) and problem.code == "read.too-large"


def test_read_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("正文", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError("permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    (problem,) = list(iter_documents([path]))
    assert isinstance(problem, Problem) and problem.code == "read.io"


def test_read_missing_path_is_a_problem(tmp_path: Path) -> None:
    (problem,) = list(iter_documents([tmp_path / "absent"]))
    assert isinstance(problem, Problem) and problem.code == "read.io"


def test_read_folder_order_hidden_and_symlink_loop(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "b").mkdir(parents=True)
    (folder / "b" / "2.txt").write_text("第二篇正文。", encoding="utf-8")
    (folder / "a.txt").write_text("第一篇正文。", encoding="utf-8")
    (folder / ".hidden.txt").write_text("隐藏文件。", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    os.symlink(folder, folder / "b" / "loop")
    os.symlink(folder / "a.txt", folder / "b" / "same.txt")
    items = list(iter_documents([folder, folder / "a.txt"]))
    assert [Path(d.path).relative_to(folder).as_posix() for d in _docs(items)] == ["a.txt", "b/2.txt"]
    assert [(p.code, Path(p.path).name) for p in _problems(items)] == [("read.unsupported", "photo.jpg")]


def test_read_is_a_generator(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("正文。", encoding="utf-8")
    items = iter_documents([tmp_path])
    assert iter(items) is items
    assert list(iter_files([tmp_path])) == [os.path.join(str(tmp_path), "a.txt")]


def test_read_jsonl_records_and_problems() -> None:
    items = list(iter_documents([LAYOUTS / "jsonl" / "crawl.jsonl"]))
    docs, problems = _docs(items), _problems(items)
    assert [d.line for d in docs] == [1, 5, 7]
    assert all(d.layout_hint == "jsonl" for d in docs)
    first = dict(docs[0].fields)
    assert first["title"] == "某市出台行政执法新规"
    assert first["date"] == "2021-05-06 10:00:00"
    assert first["source"] == "某市人民政府网"
    assert first["author"] == "王五"
    assert docs[0].text.startswith("近日，某市人民政府印发通知")
    assert "\ud800" not in docs[1].text and "\ufffd" in docs[1].text
    assert dict(docs[2].fields) == {"title": "第二种字段名", "date": "1630627200"}
    assert [(p.code, p.line) for p in problems] == [
        ("read.jsonl", 2), ("read.jsonl", 3), ("read.jsonl", 4), ("read.surrogate", 5),
    ]


def test_read_jsonl_field_mapping() -> None:
    path = LAYOUTS / "jsonl" / "crawl-zh.jsonl"
    assert [p.code for p in _problems(iter_documents([path]))] == ["read.jsonl"]
    (doc,) = _docs(iter_documents([path], fields={"text": "正文", "title": "标题", "date": "日期"}))
    assert doc.text == "正文来自自定义字段。"
    assert dict(doc.fields) == {"title": "自定义字段", "date": "2021年9月3日"}


def test_read_json_array(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[{"title": "甲", "content": "正文一。"}, {"title": "乙", "content": "正文二。"}]', encoding="utf-8")
    assert [(d.line, d.text) for d in _docs(iter_documents([path]))] == [(1, "正文一。"), (2, "正文二。")]


@pytest.mark.parametrize(("name", "encoding"), [("gb2312-page.html", "gb18030"), ("gbk-no-meta.htm", "gb18030")])
def test_read_html_charset(name: str, encoding: str) -> None:
    raw = read_text(str(LAYOUTS / "html" / name))
    assert (raw.layout_hint, raw.encoding) == ("html", encoding)
    assert "苏州出台免罚清单" in raw.text


def test_read_html_meta_charset_is_honoured() -> None:
    page = '<html><head><meta charset="big5"></head><body><p>會議</p></body></html>'.encode("big5")
    text, encoding = decode_bytes(page, declared="big5")
    assert (encoding, "會議" in text) == ("big5", True)
