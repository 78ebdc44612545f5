"""Near-duplicate articles: reprints and pages continued elsewhere, counted once.

Each article gets a MinHash signature (64 hashes) of its character 4-grams;
candidates share one of 16 bands of 4 hashes (locality-sensitive hashing, so
pairs above about 0.5 Jaccard similarity almost always meet, and the cost grows
with the number of articles, not its square), and a candidate pair is a near
duplicate when its signatures agree on most hashes and the exact Jaccard
similarity of its 4-gram sets is at least :data:`THRESHOLD`. Of a group, the article with the smallest
``doc_id`` is kept, so the choice does not depend on input order.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from networkx.utils import UnionFind

from kg.records import Article

SHINGLE = 4
THRESHOLD = 0.8
MIN_LENGTH = 50  # shorter texts are too short to call near duplicates


def _shingles(text: str) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + SHINGLE] for i in range(max(0, len(compact) - SHINGLE + 1))}


_PRIME = (1 << 61) - 1
_RNG = np.random.default_rng(20210903)  # fixed: signatures are the same in every run
_A = _RNG.integers(1, _PRIME, size=64, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, size=64, dtype=np.uint64)
BANDS, ROWS = 16, 4


def minhash(shingles: set[str]) -> np.ndarray:
    """The 64-value MinHash signature of a set of shingles."""
    values = np.fromiter((zlib.crc32(s.encode("utf-8", "surrogatepass")) for s in shingles), dtype=np.uint64,
                         count=len(shingles))
    if not len(values):
        return np.zeros(64, dtype=np.uint64)
    mixed = (values[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)  # wraps mod 2**64: still a hash
    return mixed.min(axis=0)


def near_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """``{doc_id of a near duplicate: doc_id of the article kept}``.

    >>> from kg.records import Article
    >>> body = "苏州市司法局联合出台清单,依法确定不予处罚事项二百四十八项,从轻减轻处罚事项二百零六项。" * 3
    >>> a = Article(doc_id="a", text=body)
    >>> b = Article(doc_id="b", text=body + "(转载)")
    >>> near_duplicates([b, a])
    {'b': 'a'}
    """
    shingles = {a.doc_id: _shingles(a.text) for a in articles if len(a.text) >= MIN_LENGTH}
    bands: dict[tuple[int, int], list[str]] = defaultdict(list)
    signatures: dict[str, np.ndarray] = {}
    for doc, sh in sorted(shingles.items()):
        signature = signatures[doc] = minhash(sh)
        for band in range(BANDS):
            bands[(band, hash(signature[band * ROWS : (band + 1) * ROWS].tobytes()))].append(doc)
    uf: UnionFind = UnionFind()
    checked: set[tuple[str, str]] = set()
    for docs in bands.values():
        if len(docs) < 2:
            continue
        matrix = np.stack([signatures[d] for d in docs])  # all pairs of a bucket at once
        for start in range(0, len(docs), 256):
            block = matrix[start : start + 256]
            agree = (block[:, None, :] == matrix[None, :, :]).mean(axis=2)
            for i, j in zip(*np.nonzero(agree >= THRESHOLD - 0.1)):
                left, right = docs[start + int(i)], docs[int(j)]
                if left >= right or (left, right) in checked or uf[left] == uf[right]:
                    continue
                checked.add((left, right))
                if _jaccard(shingles[left], shingles[right]) >= THRESHOLD:
                    uf.union(left, right)
    out: dict[str, str] = {}
    for group in uf.to_sets():
        keep = min(group)
        out.update({doc: keep for doc in group if doc != keep})
    return dict(sorted(out.items()))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0
