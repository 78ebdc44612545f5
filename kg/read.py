"""Read stage: files and folders in, decoded :class:`RawDocument` (or :class:`Problem`) out.

Encodings are detected, never assumed: byte-order marks first, then strict
UTF-8, then UTF-16 without a BOM, then the Chinese double-byte families
(GB2312/GBK/GB18030, all decoded as ``gb18030``, and Big5), told apart by
how plausible the decoded characters are, and charset-normalizer last.
Line ends become ``"\\n"``. JSON Lines give one document per line.

>>> decode_bytes("苏州".encode("gbk") * 4)
('苏州苏州苏州苏州', 'gb18030')
>>> decode_bytes(b"\\xef\\xbb\\xbfa\\r\\nb\\rc")
('a\\nb\\nc', 'utf-8-sig')
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping

from kg.errors import ReadError
from kg.records import Problem, RawDocument, Severity

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", "") + JSON_SUFFIXES + HTML_SUFFIXES

# canonical field ← names seen in crawls, in order of preference
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("content", "text", "body"),
    "date": ("date", "pubdate", "publish_time", "time"),
    "url": ("url", "link"),
    "source": ("source", "publisher", "site"),
}

_BINARY_MAGIC = (
    b"%PDF", b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b",
    b"BZh", b"7z\xbc\xaf", b"Rar!", b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ", b"RIFF", b"\x00\x00\x01\x00",
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
# an HTML page may open with a BOM, an XML declaration and comments before <!DOCTYPE html> or <html>
_HTML_START = re.compile(r"(?:\xef\xbb\xbf|\ufeff)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.I | re.S)


def _plausible(char: str) -> bool:
    """A character one expects in Chinese news text (CJK, CJK punctuation, ASCII, full-width forms)."""
    code = ord(char)
    return (
        0x20 <= code < 0x7F or char in "\n\r\t" or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F or code in (0xA0, 0xB7, 0x25A1)
    )


def _common_han(char: str, codec: str, leads: tuple[int, int]) -> bool:
    """True for punctuation/ASCII, or a Han character in the frequent (level-1) block of ``codec``."""
    if ord(char) < 0x80 or 0x3000 <= ord(char) <= 0x303F or 0xFF00 <= ord(char) <= 0xFFEF:
        return True
    try:
        lead = char.encode(codec)[0]
    except UnicodeEncodeError:
        return False
    return leads[0] <= lead <= leads[1] and 0x4E00 <= ord(char) <= 0x9FFF


def _share(text: str, test) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum(1 for c in chars if test(c)) / len(chars) if chars else 0.0


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 LE or BE without a BOM, when one reading is clearly plausible text."""
    if len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        text = _try(data, codec)
        if text is not None:
            score = _share(text, _plausible)
            if score >= 0.95 and (best is None or score > best[0]):
                best = (score, codec)
    return best[1] if best else None


def _chinese_double_byte(data: bytes) -> str | None:
    """``gb18030`` or ``big5``: the reading whose characters are frequent in its own script."""
    scores: list[tuple[float, int, str]] = []
    for rank, (codec, probe, leads) in enumerate(
        (("gb18030", "gb2312", (0xB0, 0xD7)), ("big5", "big5", (0xA4, 0xC6)), ("cp950", "cp950", (0xA4, 0xC6)))
    ):
        text = _try(data, codec)
        if text is not None:
            scores.append((_share(text, lambda c: _common_han(c, probe, leads)), -rank, codec))
    if not scores:
        return None
    score, _, codec = max(scores)
    return codec if score >= 0.6 else None


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or _share(str(best), _plausible) < 0.9:  # a guess that decodes to mojibake is no answer
        return None
    name = best.encoding.lower()
    return "gb18030" if name in ("gb2312", "gbk", "hz", "gb18030") else name


def _normalise_codec(name: str) -> str:
    """Map a declared charset to the codec used to decode it (GB family → ``gb18030``)."""
    name = name.strip().lower().replace("_", "-")
    if name in ("gb2312", "gbk", "x-gbk", "gb-2312", "cp936", "gb18030", "euc-cn", "hz-gb-2312"):
        return "gb18030"
    if name in ("utf8",):
        return "utf-8"
    return name


def looks_like_html(head: bytes | str) -> bool:
    """True when ``head`` opens an HTML page, after an optional XML declaration, comments and BOM.

    >>> looks_like_html(b'<?xml version="1.0"?>\\n<!DOCTYPE html [<!ENTITY a "b">]>')
    True
    >>> looks_like_html("苏州出台新规<html>")
    False
    """
    text = head.decode("latin-1") if isinstance(head, bytes) else head
    return _HTML_START.match(text) is not None


def _looks_binary(data: bytes) -> bool:
    return data.startswith(_BINARY_MAGIC)


def decode_bytes(data: bytes, *, declared: str = "") -> tuple[str, str]:
    """Decode ``data`` and normalise line ends; return ``(text, encoding)``.

    ``declared`` (e.g. an HTML ``<meta charset>``) is tried after the BOM checks.

    Raises:
        ReadError: ``read.binary`` for binary content, ``read.encoding`` when no codec fits.
    """
    codec = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if codec is None and _looks_binary(data):
        raise ReadError("binary content (file signature)", code="read.binary")
    if codec is None and b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise ReadError("binary content (NUL bytes)", code="read.binary")
    if codec is None and _try(data, "utf-8") is not None:
        codec = "utf-8"
    if codec is None and declared and _try(data, _normalise_codec(declared)) is not None:
        codec = _normalise_codec(declared)
    if codec is None:
        codec = _utf16_without_bom(data)
    if codec is None:
        codec = _chinese_double_byte(data) or _charset_normalizer(data)
    text = _try(data, codec) if codec else None
    if text is None:
        raise ReadError("cannot tell the text encoding; convert the file to UTF-8", code="read.encoding")
    if "\x00" in text:
        raise ReadError("binary content (NUL characters)", code="read.binary")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, codec


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | Problem]:
    """Files under ``paths`` in sorted, deterministic order; hidden names skipped; link loops survived.

    A file reached twice (through a link, or named twice) is read once. Files in
    folders whose suffix is not a text format yield a ``read.unsupported`` warning.
    """
    seen: set[str] = set()
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            yield from _walk(path, seen)
        elif os.path.isfile(path):
            if os.path.realpath(path) not in seen:
                seen.add(os.path.realpath(path))
                yield path
        else:
            yield _not_a_file(path)


def _walk(folder: str, seen: set[str]) -> Iterator[str | Problem]:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        yield Problem(code="read.io", message=str(error), path=folder, severity=Severity.ERROR)
        return
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(folder, name)
        if os.path.isdir(path):
            yield from _walk(path, seen)
        elif not os.path.isfile(path):
            yield _not_a_file(path)
        elif os.path.realpath(path) not in seen:
            seen.add(os.path.realpath(path))
            if os.path.splitext(name)[1].lower() in TEXT_SUFFIXES:
                yield path
            else:
                yield Problem(code="read.unsupported", message="not a text, JSON or HTML file", path=path)


def _not_a_file(path: str) -> Problem:
    """The problem of a path that is neither a folder nor a regular file (nothing is skipped silently).

    >>> _not_a_file("/no/such/file.txt").message
    'no such file or folder'
    """
    if os.path.islink(path) and not os.path.exists(path):
        message = f"broken or looping symbolic link (to {os.readlink(path)})"
    elif os.path.lexists(path):
        message = "not a regular file (device, pipe or socket)"
    else:
        message = "no such file or folder"
    return Problem(code="read.io", message=message, path=path, severity=Severity.ERROR)


def read_text(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one text or HTML file into a :class:`RawDocument`.

    Raises:
        ReadError: with code ``read.io``, ``read.too-large``, ``read.binary``,
            ``read.encoding`` or ``read.empty``.
    """
    try:
        if os.path.getsize(path) > max_bytes:
            raise ReadError(f"larger than {max_bytes} bytes", code="read.too-large", path=path)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise ReadError(str(error), code="read.io", path=path) from error
    if len(data) > max_bytes:
        raise ReadError(f"larger than {max_bytes} bytes", code="read.too-large", path=path)
    is_html = path.lower().endswith(HTML_SUFFIXES) or looks_like_html(data[:4096])
    declared = ""
    if is_html and (match := _HTML_CHARSET.search(data[:4096])):
        declared = match.group(1).decode("ascii")
    try:
        text, encoding = decode_bytes(data, declared=declared)
    except ReadError as error:
        raise ReadError(str(error), code=error.code, path=path) from None
    if not text.strip():
        raise ReadError("empty or white space only", code="read.empty", path=path)
    return RawDocument(path=path, text=text, encoding=encoding, layout_hint="html" if is_html else "")


def _field_names(fields: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    names = dict(DEFAULT_FIELDS)
    for canonical, source in (fields or {}).items():
        names[canonical] = (source,)
    return names


def _record(obj: dict, names: dict[str, tuple[str, ...]]) -> tuple[str | None, list[tuple[str, str]]]:
    """The text and the (name, value) string fields of one JSON object; mapped names come first."""
    used: set[str] = set()
    found: dict[str, str] = {}
    for canonical, candidates in names.items():
        for name in candidates:
            value = obj.get(name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if isinstance(value, str) and value.strip():
                found[canonical] = value
                used.add(name)
                break
    text = found.pop("text", None)
    extra = [(k, v) for k, v in obj.items() if k not in used and isinstance(v, str)]
    return text, sorted(found.items()) + extra


def _scrub(value: str) -> tuple[str, bool]:
    """Replace lone surrogates (``"\\ud800"`` escapes) with U+FFFD; say whether any were found."""
    cleaned = _SURROGATE.sub("\ufffd", value)
    return cleaned, cleaned != value


def iter_json_records(
    path: str, text: str, encoding: str, fields: Mapping[str, str] | None = None
) -> Iterator[RawDocument | Problem]:
    """One :class:`RawDocument` per JSON object line of ``text`` (``line`` is 1-based).

    A ``.json`` file holding one array or object is read as records numbered from 1.
    """
    names = _field_names(fields)
    items: Iterable[tuple[int, str | object]] = ((n, line) for n, line in enumerate(text.split("\n"), 1))
    if path.lower().endswith(".json"):
        try:
            whole = json.loads(text)
            items = enumerate(whole if isinstance(whole, list) else [whole], 1)
        except ValueError:
            pass
    for number, item in items:
        if isinstance(item, str):
            if not item.strip():
                continue
            try:
                item = json.loads(item)
            except ValueError as error:
                yield _json_problem(f"malformed JSON: {error}", path, number)
                continue
        if not isinstance(item, dict):
            yield _json_problem("line is not a JSON object", path, number)
            continue
        body, found = _record(item, names)
        if body is None:
            yield _json_problem(f"no text field (looked for {', '.join(names['text'])})", path, number)
            continue
        body, bad = _scrub(body.replace("\r\n", "\n").replace("\r", "\n"))
        scrubbed = [(k, _scrub(v)) for k, v in found]
        if bad or any(flag for _, (_, flag) in scrubbed):
            yield Problem(code="read.surrogate", message="lone surrogate replaced by U+FFFD", path=path, line=number)
        yield RawDocument(
            path=path, text=body, encoding=encoding, line=number, layout_hint="jsonl",
            fields=tuple((k, v) for k, (v, _) in scrubbed),
        )


def _json_problem(message: str, path: str, line: int) -> Problem:
    return Problem(code="read.jsonl", message=message, path=path, line=line, severity=Severity.ERROR)


def iter_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    fields: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[RawDocument | Problem]:
    """Stream documents (or problems) from files and folders, one file in memory at a time.

    ``fields`` maps canonical JSON field names to the names in the data,
    e.g. ``{"text": "正文", "title": "标题"}``; unmapped names keep the defaults.
    Empty, binary, undecodable, unreadable and too-large files become a
    :class:`Problem` with the codes ``read.empty``, ``read.binary``,
    ``read.encoding``, ``read.io`` and ``read.too-large``.

    >>> list(iter_documents(["/no/such/file.txt"]))[0].code
    'read.io'
    """
    for item in iter_files(paths):
        if isinstance(item, Problem):
            yield item
            continue
        try:
            raw = read_text(item, max_bytes=max_bytes)
        except ReadError as error:
            severity = Severity.WARNING if error.code == "read.empty" else Severity.ERROR
            yield Problem(code=error.code, message=str(error), path=item, severity=severity)
            continue
        if item.lower().endswith(JSON_SUFFIXES):
            yield from iter_json_records(item, raw.text, raw.encoding, fields)
        else:
            yield raw
