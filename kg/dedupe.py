"""Near-duplicate articles: reprints and pages continued elsewhere, counted once.

Each article's character 4-grams (whitespace removed) are hashed to 64-bit
integers with numpy, and summarised by a MinHash signature of :data:`HASHES`
values. Candidates share one of :data:`BANDS` bands of :data:`ROWS` hashes
(locality-sensitive hashing): a pair at the :data:`THRESHOLD` Jaccard similarity
of 0.8 meets with probability 0.95, a pair at 0.9 with probability 0.99999,
while articles built on one template (Jaccard 0.5-0.6) rarely meet, so buckets
stay small and the cost grows with the number of articles, not its square.
A candidate is a near duplicate when its signatures agree on most hashes and the
exact Jaccard similarity of its 4-gram sets is at least :data:`THRESHOLD`.

Only signatures are kept (1 KB an article); the 4-grams of a candidate pair
are computed again from the texts. Of a group, the article with the smallest
``doc_id`` is kept, so the choice does not depend on input order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from networkx.utils import UnionFind

from kg.records import Article

SHINGLE = 4
THRESHOLD = 0.8
MIN_LENGTH = 50  # shorter texts are too short to call near duplicates
HASHES, BANDS, ROWS = 128, 16, 8

_PRIME = (1 << 61) - 1
_RNG = np.random.default_rng(20210903)  # fixed: signatures are the same in every run
_A = _RNG.integers(1, _PRIME, size=HASHES, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, size=HASHES, dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the 4-gram hash (golden ratio, 64 bits)


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 64-bit hashes of the character 4-grams of ``text`` (whitespace removed), sorted.

    >>> len(shingle_hashes("依法 行政依法行政"))  # 依法行政 twice, 法行政依, 行政依法, 政依法行
    4
    """
    compact = "".join(text.split())
    if len(compact) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(compact.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):  # multiplication wraps modulo 2**64: still a hash
        h = codes[: len(codes) - SHINGLE + 1].copy()
        for i in range(1, SHINGLE):
            h = h * _MIX + codes[i : len(codes) - SHINGLE + 1 + i]
    return np.unique(h)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The :data:`HASHES`-value MinHash signature of a set of 4-gram hashes."""
    if not len(hashes):
        return np.zeros(HASHES, dtype=np.uint64)
    values = hashes % np.uint64(_PRIME)
    with np.errstate(over="ignore"):
        mixed = (values[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)
    return mixed.min(axis=0)


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the 4-gram sets of two texts.

    >>> round(jaccard("苏州市司法局出台清单", "苏州市司法局出台新清单"), 2)
    0.5
    """
    x, y = shingle_hashes(a), shingle_hashes(b)
    if not len(x) and not len(y):
        return 1.0
    shared = len(np.intersect1d(x, y, assume_unique=True))
    return shared / (len(x) + len(y) - shared)


def near_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """``{doc_id of a near duplicate: doc_id of the article kept}``.

    >>> from kg.records import Article
    >>> body = "苏州市司法局联合出台清单,依法确定不予处罚事项二百四十八项,从轻减轻处罚事项二百零六项。" * 3
    >>> a = Article(doc_id="a", text=body)
    >>> b = Article(doc_id="b", text=body + "(转载)")
    >>> near_duplicates([b, a])
    {'b': 'a'}
    """
    texts = {a.doc_id: a.text for a in articles if len(a.text) >= MIN_LENGTH}
    docs = sorted(texts)
    if len(docs) < 2:
        return {}
    signatures = np.stack([minhash(shingle_hashes(texts[d])) for d in docs])
    uf: UnionFind = UnionFind()
    checked: set[tuple[int, int]] = set()
    for members in _buckets(signatures):
        block = signatures[members]
        for start in range(0, len(members), 256):  # all pairs of a bucket, 256 rows at a time
            agree = (block[start : start + 256, None, :] == block[None, :, :]).mean(axis=2)
            for i, j in zip(*np.nonzero(agree >= THRESHOLD - 0.1)):
                left, right = int(members[start + i]), int(members[j])
                if left >= right or (left, right) in checked or uf[docs[left]] == uf[docs[right]]:
                    continue
                checked.add((left, right))
                if jaccard(texts[docs[left]], texts[docs[right]]) >= THRESHOLD:
                    uf.union(docs[left], docs[right])
    out: dict[str, str] = {}
    for group in uf.to_sets():
        keep = min(group)
        out.update({doc: keep for doc in group if doc != keep})
    return dict(sorted(out.items()))


def _buckets(signatures: np.ndarray) -> list[np.ndarray]:
    """Row numbers sharing a band of the signature, for every band value held by two or more rows."""
    out = []
    for band in range(BANDS):
        keys = np.ascontiguousarray(signatures[:, band * ROWS : (band + 1) * ROWS]).view(np.dtype((np.void, 8 * ROWS)))
        _, inverse, counts = np.unique(keys.ravel(), return_inverse=True, return_counts=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.cumsum(counts)[:-1]
        out += [rows for rows in np.split(order, bounds) if len(rows) > 1]
    return out
