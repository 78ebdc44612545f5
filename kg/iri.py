"""IRI minting: the one function every IRI of the RDF export is built with.

Minted IRIs are ASCII, percent-encode every byte of a segment outside RFC 3986's
unreserved characters (so ``/``, ``#``, spaces, quotes, ``<>{}|\\^``` ``, newlines,
emoji and bidi controls can never break an IRI), and are checked by
:class:`pyoxigraph.NamedNode` before they are returned.

>>> mint("https://kg.example.org/", "person", "19ceddcfbd5c3fb4")
'https://kg.example.org/person/19ceddcfbd5c3fb4'
>>> mint("https://kg.example.org/", "place", "苏州 市")
'https://kg.example.org/place/%E8%8B%8F%E5%B7%9E%20%E5%B8%82'
>>> mint("https://kg.example.org/", "ontology", fragment="divisionCode")
'https://kg.example.org/ontology#divisionCode'
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, urlsplit

import pyoxigraph

DEFAULT_BASE = "https://kg.example.org/"
"""The base IRI used when the user gives none."""

_SAFE = "-._~"  # with ASCII letters and digits: RFC 3986 unreserved characters
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


@functools.lru_cache(maxsize=64)
def check_base(base: str) -> str:
    """Return ``base`` if it is an absolute ASCII http(s) IRI ending in ``/`` or ``#``.

    >>> check_base("http://example.org/kg/")
    'http://example.org/kg/'
    >>> check_base("example.org/")
    Traceback (most recent call last):
    ...
    ValueError: base IRI 'example.org/' must be an absolute http(s) IRI ending in '/' or '#'

    Raises:
        ValueError: when the base is relative, not http(s), not ASCII, has no host,
            does not end in ``/`` or ``#``, or is not a valid IRI.
    """
    hint = f"base IRI {base!r} must be an absolute http(s) IRI ending in '/' or '#'"
    if not base.isascii() or not base.endswith(("/", "#")) or base.count("#") > 1:
        raise ValueError(hint)
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(hint)
    try:
        pyoxigraph.NamedNode(base)
    except ValueError as error:
        raise ValueError(f"{hint}: {error}") from None
    return base


def encode_segment(segment: str) -> str:
    """Percent-encode ``segment`` as UTF-8, keeping only unreserved ASCII characters.

    Lone surrogates are encoded as U+FFFD so no input can make this fail.

    The dot segments ``.`` and ``..`` are encoded too: IRI resolution would remove them
    (``…/place/..`` is ``…/``), so two names could mint one IRI.

    >>> encode_segment('a/b c"<>')
    'a%2Fb%20c%22%3C%3E'
    >>> encode_segment(".."), encode_segment("...")
    ('%2E%2E', '...')
    """
    if segment in (".", ".."):
        return "%2E" * len(segment)
    if _UNRESERVED.fullmatch(segment):  # ids and words of our own: nothing to encode
        return segment
    return quote(scrub(segment).encode("utf-8"), safe=_SAFE)


def scrub(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (same length, so offsets hold).

    The one place that keeps unencodable strings out of IRIs and literals.

    >>> scrub("a" + chr(0xD800) + "b") == "a" + chr(0xFFFD) + "b"
    True
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(char) <= 0xDFFF else char for char in text)
    return text


def mint(base: str, *segments: str, fragment: str | None = None) -> str:
    """The IRI ``base`` + the encoded ``segments`` joined by ``/`` (+ ``#fragment``).

    When ``base`` already ends in ``#`` the fragment is joined with ``/`` instead.

    >>> mint("https://kg.example.org/", "article", "ab12")
    'https://kg.example.org/article/ab12'
    >>> mint("http://x.org/kg#", "role", "0f")
    'http://x.org/kg#role/0f'
    >>> mint("https://kg.example.org/", "")
    Traceback (most recent call last):
    ...
    ValueError: empty IRI segment in ('',)

    Raises:
        ValueError: for a bad base (see :func:`check_base`), no segments, or an empty segment.
    """
    return _minted(base, segments, fragment).value


def _minted(base: str, segments: tuple[str, ...], fragment: str | None) -> pyoxigraph.NamedNode:
    check_base(base)
    if not segments or any(segment == "" for segment in segments):
        raise ValueError(f"empty IRI segment in {segments!r}")
    iri = base + "/".join(encode_segment(segment) for segment in segments)
    if fragment is not None:
        iri += ("/" if "#" in base else "#") + encode_segment(fragment)
    return pyoxigraph.NamedNode(iri)  # raises ValueError if something slipped through


def node(base: str, *segments: str, fragment: str | None = None) -> pyoxigraph.NamedNode:
    """:func:`mint` as a :class:`pyoxigraph.NamedNode`.

    >>> node("https://kg.example.org/", "person", "ab").value
    'https://kg.example.org/person/ab'
    """
    return _minted(base, segments, fragment)


def key_node(base: str, key: str) -> pyoxigraph.NamedNode:
    """The IRI of a global key ``"<type>/<hex>"``: each ``/``-separated part is one segment.

    >>> key_node("https://kg.example.org/", "person/19ceddcfbd5c3fb4").value
    'https://kg.example.org/person/19ceddcfbd5c3fb4'
    """
    return node(base, *key.split("/"))
