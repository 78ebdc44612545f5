"""Deterministic identifiers: the same parts always give the same id.

Ids hash a canonical JSON array of their parts, never strings glued together
without a separator, so ``("ab", "c")`` and ``("a", "bc")`` differ.

>>> stable_id("person", "李亚平")
'19ceddcfbd5c3fb4'
>>> stable_id("ab", "c") != stable_id("a", "bc")
True
>>> len(stable_id("lone \\ud800 surrogate"))
16
>>> stable_id("x") == stable_id("x")
True
"""

from __future__ import annotations

import hashlib
import json


def canonical_json(value: object) -> str:
    """JSON with sorted keys, no insignificant white space, non-ASCII kept as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def stable_id(*parts: object, length: int = 16) -> str:
    """A hex digest of the canonical JSON of ``parts`` (``length`` hex characters)."""
    digest = hashlib.sha256(canonical_json(list(parts)).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:length]
