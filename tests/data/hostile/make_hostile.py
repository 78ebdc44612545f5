"""Write the hostile corpus: broken, binary, mis-encoded and malicious articles for tests/test_hostile.py.

Every file in ``corpus/`` is written by :func:`write_corpus` from the tables below
(run ``python tests/data/hostile/make_hostile.py`` to regenerate them); the texts are
invented sentences in the style of 法治日报 / 新华社 reports. Inputs that are big or that
depend on the file system (a 20 MB article, a line of a million characters, a folder
with a symlink loop, an unreadable file) are not committed: :func:`write_generated`
creates them at test time.

``EXPECTED`` says, for each committed file, what a build must make of it: a problem
code (the file is skipped or one of its records is), or ``None`` (it is processed).
"""

from __future__ import annotations

import io
import json
import os
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

BODY = "近日，苏州市司法局印发《苏州市行政执法公示办法》，规范行政执法行为。时任苏州市市长李亚平出席会议。"
TRADITIONAL = "近日，蘇州市司法局印發《蘇州市行政執法公示辦法》，規範行政執法行為。時任蘇州市市長李亞平出席會議。"

# Strings an attacker would like to see raw in the HTML page or breaking an RDF/XML file.
INJECTIONS = (
    "<script>alert('kg')</script>",
    "</script><img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "{{constructor.constructor('alert(3)')()}}",
    "\\u003cscript\\u003e",
    "]]><!--",
)


def _pdf() -> bytes:
    """A real, minimal one-page PDF (valid cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _png() -> bytes:
    """A real 2×2 RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("article.txt", date_time=(2021, 9, 3, 0, 0, 0))
        archive.writestr(info, BODY)
    return buffer.getvalue()


def _jsonl() -> bytes:
    """Crawl records: good, malformed, not an object, no text, lone surrogates, injected markup."""
    good = {"title": "某市出台行政执法新规", "content": BODY, "date": "2021-05-06", "url": "http://www.example.gov.cn/a.html"}
    lines = [
        json.dumps(good, ensure_ascii=False),
        '{"title": "坏行", "content": ',  # 2: truncated
        "[1, 2, 3]",  # 3: not an object
        '{"title": "没有正文"}',  # 4: no text field
        '{"title": "代理项\\udc00", "content": "正文含孤立代理\\ud800字符，苏州市司法局印发通知。"}',  # 5
        json.dumps({"title": INJECTIONS[0], "content": "市长" + INJECTIONS[1] + "说：“" + INJECTIONS[2] + "。”",
                    "url": 'javascript:alert("x")', "source": INJECTIONS[3]}, ensure_ascii=False),  # 6
        "{not json at all}",  # 7
        '{"content": "正文含控制字符\\u0000\\u0007与\\u202e反向\\ufeff标记。"}',  # 8: NUL etc. inside JSON
        '{"content": 12345}',  # 9: a number as text
        '{"content": ["列表", "正文"]}',  # 10: a list as text
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _html(head: str, body: str) -> bytes:
    return (f"{head}\n<html><head><meta charset=\"utf-8\"><title>外部实体测试</title></head>"
            f"<body><h1>苏州出台新规</h1>{body}</body></html>\n").encode("utf-8")


_XXE_HEAD = ('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
             '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>')
_BOMB_HEAD = ('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY a "啊啊啊啊啊啊啊啊啊啊">'
              + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)) + "]>")
_HOSTILE_NAMES = (
    # a person name after 市长 with markup and quotes around it, and a newline inside
    "时任苏州市市长<李亚平>\"说\"'{}\\|^。\n市长\"李\n亚平\"表示，<b>依法行政</b>。\n"
    "苏州市司法局印发《<script>alert(1)</script>办法》和《规定\"><img src=x>》。\n"
    "李亚平说：“依法行政是政府工作的生命线</script><script>alert(2)</script>，必须坚持。”\n"
    "市长王{}\\|^明指出：“法治是最好的营商环境{{7*7}}${7*7}，要持续推进。”\n"
)

FILES: dict[str, bytes] = {
    "empty/empty.txt": b"",
    "empty/whitespace.txt": " \t\r\n\u3000\u3000\xa0\n\r\n".encode("utf-8"),
    "empty/bom-only.txt": b"\xef\xbb\xbf\r\n",
    "binary/report.pdf.txt": _pdf(),
    "binary/image.png.txt": _png(),
    "binary/archive.zip.txt": _zip(),
    "binary/nul-in-utf8.txt": BODY.encode("utf-8") + b"\x00\x00" + BODY.encode("utf-8"),
    "encodings/gbk.txt": BODY.encode("gbk"),
    "encodings/gb18030.txt": ("𠮷" + BODY).encode("gb18030"),
    "encodings/gb18030-bom.txt": b"\x84\x31\x95\x33" + BODY.encode("gb18030"),
    "encodings/big5.txt": TRADITIONAL.encode("big5"),
    "encodings/utf16le-bom.txt": b"\xff\xfe" + BODY.encode("utf-16-le"),
    "encodings/utf16be-bom.txt": b"\xfe\xff" + BODY.encode("utf-16-be"),
    "encodings/utf16le-nobom.txt": BODY.encode("utf-16-le"),
    "encodings/utf16be-nobom.txt": BODY.encode("utf-16-be"),
    "encodings/utf8-bom.txt": b"\xef\xbb\xbf" + BODY.encode("utf-8"),
    "encodings/mixed-eol.txt": "苏州出台新规\r\n\r\n近日，苏州市司法局印发通知。\r第二段。\n第三段。\r\n".encode("utf-8"),
    "encodings/latin1-garbage.txt": bytes(range(0x80, 0x100)) * 4,
    "text/unbalanced.txt": ("苏州出台新规\n\n苏州市司法局印发《苏州市行政执法公示办法，规范执法。"
                            "李亚平说：“依法行政是政府工作的生命线。\n》》《《“”””“《》\"\"\"》。\n").encode("utf-8"),
    "text/controls.txt": ("苏州出台\u202e新规\n\n近日，苏州市\u200b司法局\u200d印发《苏州市\u0007行政执法\ufeff公示办法》。"
                          "时任苏州市市长李\u202e亚平\ue000说：“依法\u0001行政是政府工作的生命线。”\ufffe\uffff\U0010fffd"
                          "\x1b[31m红色\x1b[0m\u2028\u2029\x85结束。\n").encode("utf-8"),
    "text/hostile-names.txt": ("苏州出台新规\n\n" + _HOSTILE_NAMES).encode("utf-8"),
    "text/xml-start.txt": _html(_BOMB_HEAD, "<p>&h;</p>"),
    "jsonl/crawl.jsonl": _jsonl(),
    "jsonl/bad-array.json": b'[{"content": "' + BODY.encode("utf-8") + b'"}, 7, {"title": "x"}',
    "html/xxe.html": _html(_XXE_HEAD, "<p>&xxe;</p><p>" + BODY + "</p>"),
    "html/bomb.html": _html(_BOMB_HEAD, "<p>&i;</p><p>" + BODY + "</p>"),
    "html/script.html": _html("<!DOCTYPE html>", "<p>" + BODY + "</p><p>&lt;script&gt;alert(1)&lt;/script&gt;市长"
                              "&lt;img src=x onerror=alert(1)&gt;说。</p><script>alert('page')</script>"),
    "html/empty-body.html": _html("<!DOCTYPE html>", "<script>var a = 1;</script>"),
}
"""Path in ``corpus/`` → bytes."""

EXPECTED: dict[str, str | None] = {
    "empty/empty.txt": "read.empty",
    "empty/whitespace.txt": "read.empty",
    "empty/bom-only.txt": "read.empty",
    "binary/report.pdf.txt": "read.binary",
    "binary/image.png.txt": "read.binary",
    "binary/archive.zip.txt": "read.binary",
    "binary/nul-in-utf8.txt": "read.binary",
    "encodings/latin1-garbage.txt": "read.encoding",
    "html/empty-body.html": "parse.empty",
    "jsonl/bad-array.json": "read.jsonl",
    **{name: None for name in FILES if name.startswith(("encodings/", "text/", "html/"))
       and name not in ("encodings/latin1-garbage.txt", "html/empty-body.html")},
}
"""Committed file → the problem code it must be listed with, or None when it is processed."""

JSONL_EXPECTED: dict[int, str | None] = {
    1: None, 2: "read.jsonl", 3: "read.jsonl", 4: "read.jsonl", 5: "read.surrogate", 6: None, 7: "read.jsonl",
    8: None, 9: None, 10: "read.jsonl",
}
"""Line of ``jsonl/crawl.jsonl`` → the problem code listed with that line, or None when processed cleanly."""

BIG_BYTES = 20 * 1024 * 1024
LONG_LINE = 1_000_000


def write_corpus(folder: Path = CORPUS) -> list[Path]:
    """Write every file of :data:`FILES` under ``folder``; return their paths, sorted."""
    paths = []
    for name, data in sorted(FILES.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def big_article(size: int = BIG_BYTES) -> bytes:
    """About ``size`` bytes of UTF-8 news text in paragraphs (a 20 MB article by default)."""
    paragraph = ("　　" + BODY + "“依法行政是政府工作的生命线。”李亚平说。\n").encode("utf-8")
    return b"20MB\xe6\x96\x87\xe7\xab\xa0\n\n" + paragraph * (size // len(paragraph) + 1)


def long_line(chars: int = LONG_LINE) -> bytes:
    """One line of ``chars`` characters with no line break and no sentence end."""
    unit = "苏州市司法局印发通知规范行政执法行为时任市长李亚平出席"
    return (unit * (chars // len(unit) + 1))[:chars].encode("utf-8")


def write_generated(folder: Path) -> dict[str, Path]:
    """Create the inputs that are not committed; return them by role.

    ``big``: a 20 MB article; ``long``: a single line of a million characters;
    ``loop``: a folder whose link points back at itself (holding one good article);
    ``dangling``: a folder with a link to a missing file; ``unreadable``: a file with mode 000.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "big.txt").write_bytes(big_article())
    (folder / "long.txt").write_bytes(long_line())
    loop = folder / "loop"
    (loop / "inner").mkdir(parents=True, exist_ok=True)
    (loop / "inner" / "article.txt").write_bytes(("苏州出台新规\n\n" + BODY).encode("utf-8"))
    os.symlink(loop, loop / "inner" / "back", target_is_directory=True)
    os.symlink(loop / "inner" / "self-link", loop / "inner" / "self-link")
    dangling = folder / "dangling"
    dangling.mkdir()
    os.symlink(folder / "missing.txt", dangling / "gone.txt")
    unreadable = folder / "unreadable.txt"
    unreadable.write_bytes(BODY.encode("utf-8"))
    unreadable.chmod(0)
    return {"big": folder / "big.txt", "long": folder / "long.txt", "loop": loop, "dangling": dangling,
            "unreadable": unreadable}


if __name__ == "__main__":
    for written in write_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS):
        print(written)
