"""``kg extract --mentions``: JSON Lines in, JSON Lines out, offsets in code points."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import cli

TYPES = {"person", "agency", "organization", "place", "post", "document", "time"}


def _run(lines: list[str], *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["extract", "--mentions", *args], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


@pytest.mark.parametrize("flags", [(), ("--no-tagger",)])
def test_cli_extract_format_and_code_point_offsets(flags: tuple[str, ...]) -> None:
    # 𠮷 lies outside the BMP: offsets after it differ between code points and UTF-16 units
    text = "𠮷日，时任苏州市市长李亚平出席会议。苏州市司法局印发《苏州市行政执法监督办法》。"
    out = _run([json.dumps({"id": "a1", "text": text}, ensure_ascii=False)], *flags)
    assert [o["id"] for o in out] == ["a1"]
    mentions = out[0]["mentions"]
    assert mentions and all(set(m) == {"start", "end", "type", "text"} for m in mentions)
    assert all(m["type"] in TYPES and text[m["start"]:m["end"]] == m["text"] for m in mentions)
    got = {(m["text"], m["type"]) for m in mentions}
    assert {("市长", "post"), ("苏州市司法局", "agency"), ("苏州市行政执法监督办法", "document")} <= got
    assert [m["start"] for m in mentions] == sorted(m["start"] for m in mentions)


def test_cli_extract_one_output_line_per_input_line_and_errors() -> None:
    lines = [
        json.dumps({"id": 1, "text": "无锡市副市长王建国出席会议。"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": 42}),
        "",
        json.dumps(["a list"]),
        json.dumps({"id": 7, "text": ""}),
    ]
    out = _run(lines)
    assert [o.get("id") for o in out] == [1, None, None, None, None, 7]
    assert [o.get("line") for o in out] == [None, 2, 3, 4, 6, None]
    assert all("error" in o for o in out[1:5]) and out[5] == {"id": 7, "mentions": []}
    assert ("王建国", "person") in {(m["text"], m["type"]) for m in out[0]["mentions"]}


def test_cli_extract_date_anchors_relative_times() -> None:
    line = json.dumps({"id": "t", "text": "今年5月，南京市司法局印发通知。"}, ensure_ascii=False)
    out = _run([line], "--date", "2022-06-15")
    assert ("今年5月", "time") in {(m["text"], m["type"]) for m in out[0]["mentions"]}
