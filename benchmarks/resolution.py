"""Resolution benchmark: pairwise precision and recall of merges on a hand-labelled sample.

The sample (``tests/data/resolution/``) is 38 short articles written by us in the styles of
法治日报, 人民日报, 新华社 and government sites, with gold labels: one row per mention
cluster, ``{"entity": "P07", "type": "person", "article": "<file name>", "text": "陈立新"}``
(every occurrence of ``text`` in that article refers to entity ``P07``).

Each gold row is linked to the corpus entity kg resolved it to: among the entities of
its type with evidence in that article, the one whose evidence span equals an
occurrence of the text, else contains or lies inside one; a name or alias equal to
(else ending) the text breaks ties. A row no entity covers is a *miss*: counted apart, not as a
merge error. Over the linked rows of each type, a pair is a true merge when both rows
have the same gold entity; kg merged it when both link to the same corpus key.
Homonym pairs are pairs of rows with the same text and different gold entities;
they are *kept apart* when kg linked them to different keys.

A second, held-out set (``tests/data/resolution/heldout/``, 16 articles) was written and
labelled after the resolution fixes the first set prompted, and scored once before any
further change.

    python benchmarks/resolution.py                 # both sets: tables on stdout, errors on stderr
    python benchmarks/resolution.py --json          # machine-readable
    python benchmarks/resolution.py --synthetic 200 # also the synthetic measure of benchmarks/corpus.py
    python benchmarks/resolution.py --articles DIR --gold FILE  # another labelled set
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "data" / "resolution"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kg.records import Corpus, Entity, EntityType
from kg.resolve import iter_audit, normalize_title

TYPES = ("person", "agency", "place", "document")
_LINKABLE = {  # gold type → corpus entity types it may be linked to (agency/organisation is typing, not resolution)
    "person": {EntityType.PERSON}, "agency": {EntityType.AGENCY, EntityType.ORGANIZATION},
    "organization": {EntityType.AGENCY, EntityType.ORGANIZATION}, "place": {EntityType.PLACE},
    "document": {EntityType.DOCUMENT},
}


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldMention:
    """One gold row: every occurrence of ``text`` in ``article`` refers to ``entity``."""

    entity: str
    type: str
    article: str  # file name, as under tests/data/resolution/articles/
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Linked:
    gold: GoldMention
    key: str | None  # the corpus entity kg resolved it to; None: a miss
    label: str = ""


def read_gold(path: str | Path) -> list[GoldMention]:
    """Gold rows from JSON Lines; blank lines and ``#`` comments are skipped.

    Raises:
        ValueError: on a row without ``entity``, ``type``, ``article`` or ``text`` (with its line number).
    """
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        obj = json.loads(line)
        try:
            rows.append(GoldMention(entity=obj["entity"], type=obj["type"], article=obj["article"], text=obj["text"]))
        except KeyError as exc:
            raise ValueError(f"{path}:{n}: gold row without {exc}") from exc
    return rows


def build_sample(articles: str | Path = SAMPLE / "articles", *, tagger: bool = True) -> Corpus:
    """The sample built by kg in memory (no files written, no cache)."""
    import kg

    return kg.build([str(articles)], outdir=None, cache=False, tagger=tagger).corpus


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return out


def _fit(span: tuple[int, int], occurrences: list[tuple[int, int]]) -> int:
    """2: the span is an occurrence; 1: it contains or lies inside one; 0: neither."""
    if span in occurrences:
        return 2
    s, e = span
    return int(any((s <= a and b <= e) or (a <= s and e <= b) for a, b in occurrences))


def _naming(entity: Entity, text: str) -> int:
    """2: a name or alias of ``entity`` is ``text``; 1: one ends the other (南京市鼓楼区司法局 / 鼓楼区司法局); 0: neither."""
    wanted = normalize_title(text)
    names = {normalize_title(n) for n in (entity.name, *entity.aliases)}
    if wanted in names:
        return 2
    return int(any(wanted.endswith(n) or n.endswith(wanted) for n in names))


def link_gold(corpus: Corpus, gold: Iterable[GoldMention]) -> list[Linked]:
    """Each gold row with the corpus entity kg resolved it to (``key`` None when kg found none).

    Raises:
        ValueError: when a row's article is not in the corpus or its text not in the article.
    """
    by_file = {PurePath(a.source_path).name: a for a in corpus.articles}
    spans: dict[str, list[tuple[Entity, tuple[int, int]]]] = defaultdict(list)
    for e in corpus.entities:
        for ev in e.evidence:
            spans[ev.span.doc_id].append((e, (ev.span.start, ev.span.end)))
    out = []
    for g in gold:
        article = by_file.get(g.article)
        if article is None:
            raise ValueError(f"gold article {g.article!r} is not in the corpus")
        occurrences = _occurrences(article.text, g.text)
        if not occurrences:
            raise ValueError(f"gold text {g.text!r} does not occur in {g.article}")
        scores: dict[str, tuple[int, int, int]] = {}
        labels: dict[str, str] = {}
        for entity, span in spans[article.doc_id]:
            fit = _fit(span, occurrences)
            if entity.type not in _LINKABLE[g.type] or not fit:
                continue
            best, _, count = scores.get(entity.key, (0, 0, 0))
            scores[entity.key] = (max(best, fit), _naming(entity, g.text), count + 1)
            labels[entity.key] = entity.name
        if not scores:
            out.append(Linked(gold=g, key=None))
            continue
        key = min(scores, key=lambda k: (tuple(-x for x in scores[k]), k))
        out.append(Linked(gold=g, key=key, label=labels[key]))
    return out


@dataclass(slots=True)
class TypeScore:
    rows: int = 0
    missed: int = 0
    true_pairs: int = 0  # gold: same entity
    merged_pairs: int = 0  # kg: same key
    correct_pairs: int = 0  # both
    homonym_pairs: int = 0
    homonyms_apart: int = 0

    def as_dict(self) -> dict[str, float | int]:
        p = self.correct_pairs / self.merged_pairs if self.merged_pairs else 1.0
        r = self.correct_pairs / self.true_pairs if self.true_pairs else 1.0
        return {
            "rows": self.rows, "missed": self.missed, "true_pairs": self.true_pairs, "merged_pairs": self.merged_pairs,
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "homonym_pairs": self.homonym_pairs, "homonyms_apart": self.homonyms_apart,
        }


def score(linked: list[Linked]) -> dict[str, dict[str, float | int]]:
    """Per gold type (and ``all``): pairwise precision and recall of merges, homonyms kept apart, misses.

    >>> g = [GoldMention(entity=e, type="person", article=a, text=t) for e, a, t in
    ...      [("P1", "a", "张伟"), ("P1", "b", "张伟"), ("P2", "c", "张伟"), ("P3", "d", "李明")]]
    >>> s = score([Linked(gold=g[0], key="k1"), Linked(gold=g[1], key="k1"), Linked(gold=g[2], key="k1"),
    ...            Linked(gold=g[3], key=None)])["person"]
    >>> (s["precision"], s["recall"], s["homonym_pairs"], s["homonyms_apart"], s["missed"])
    (0.3333, 1.0, 2, 0, 1)
    """
    scores: dict[str, TypeScore] = defaultdict(TypeScore)
    for t in sorted({x.gold.type for x in linked}):
        rows = [x for x in linked if x.gold.type == t]
        s = scores[t]
        s.rows, s.missed = len(rows), sum(x.key is None for x in rows)
        for a, b in itertools.combinations([x for x in rows if x.key is not None], 2):
            same_true, same_kg = a.gold.entity == b.gold.entity, a.key == b.key
            s.true_pairs += same_true
            s.merged_pairs += same_kg
            s.correct_pairs += same_true and same_kg
            if not same_true and normalize_title(a.gold.text) == normalize_title(b.gold.text):
                s.homonym_pairs += 1
                s.homonyms_apart += not same_kg
    total = TypeScore()
    for s in scores.values():
        for f in TypeScore.__slots__:
            setattr(total, f, getattr(total, f) + getattr(s, f))
    out = {t: scores[t].as_dict() for t in sorted(scores)}
    out["all"] = total.as_dict()
    return out


def errors(linked: list[Linked], corpus: Corpus) -> list[str]:
    """Readable error lines: false merges (with the rules that made them), missed merges, misses."""
    rules: dict[str | None, set[str]] = defaultdict(set)
    for row in iter_audit(corpus):
        rules[row["into"]].add(row["rule"])
    lines: set[str] = set()
    found = [x for x in linked if x.key is not None]
    for a, b in itertools.combinations(found, 2):
        if a.gold.type != b.gold.type:
            continue
        if a.key == b.key and a.gold.entity != b.gold.entity:
            ea, eb = sorted([a.gold.entity, b.gold.entity])
            lines.add(f"false merge  {a.gold.type:9} {ea} + {eb} in {a.label!r} (rules: {', '.join(sorted(rules[a.key]))})")
        elif a.key != b.key and a.gold.entity == b.gold.entity:
            ka, kb = sorted([f"{a.label!r} {a.key}", f"{b.label!r} {b.key}"])
            lines.add(f"missed merge {a.gold.type:9} {a.gold.entity}: {ka} / {kb}")
    lines.update(f"not found    {x.gold.type:9} {x.gold.entity} {x.gold.text!r} in {x.gold.article}"
                 for x in linked if x.key is None)
    return sorted(lines)


def evaluate(corpus: Corpus, gold: list[GoldMention]) -> dict[str, Any]:
    """Scores and error lines of ``corpus`` against ``gold``."""
    linked = link_gold(corpus, gold)
    return {"articles": len(corpus.articles), "gold_rows": len(gold),
            "gold_entities": len({(g.type, g.entity) for g in gold}), "scores": score(linked),
            "errors": errors(linked, corpus)}


def synthetic(size: int, *, tagger: bool = True, seed: int = 2021) -> dict[str, float]:
    """The synthetic person measure of ``benchmarks/corpus.py`` on ``size`` generated articles."""
    import kg
    from benchmarks.corpus import resolution_quality
    from kg.synthetic import generate_corpus, write_corpus

    articles = generate_corpus(size, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(articles, Path(tmp) / "in", layout="jsonl")
        corpus = kg.build([str(Path(tmp) / "in")], outdir=None, cache=False, tagger=tagger).corpus
    return resolution_quality(articles, corpus)


def _table(result: dict[str, Any]) -> str:
    lines = ["| type | gold rows | not found | pairs (gold / kg) | precision | recall | homonyms kept apart |",
             "|---|---|---|---|---|---|---|"]
    for t, s in result["scores"].items():
        apart = f"{s['homonyms_apart']} / {s['homonym_pairs']}" if s["homonym_pairs"] else "–"
        lines.append(f"| {t} | {s['rows']} | {s['missed']} | {s['true_pairs']} / {s['merged_pairs']} | "
                     f"{s['precision']:.3f} | {s['recall']:.3f} | {apart} |")
    return "\n".join(lines)


SETS = {  # name → (articles folder, gold file)
    "sample": (SAMPLE / "articles", SAMPLE / "gold.jsonl"),
    "heldout": (SAMPLE / "heldout" / "articles", SAMPLE / "heldout" / "gold.jsonl"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", help="score this folder (with --gold) instead of the sample and the held-out set")
    parser.add_argument("--gold")
    parser.add_argument("--no-tagger", action="store_true", help="the rules-only extractor")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="also score person resolution on N synthetic articles (about 0.07 s an article)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if bool(args.articles) != bool(args.gold):
        parser.error("--articles and --gold go together")
    sets = {"custom": (Path(args.articles), Path(args.gold))} if args.articles else SETS
    results: dict[str, Any] = {}
    for name, (articles, gold) in sets.items():
        results[name] = evaluate(build_sample(articles, tagger=not args.no_tagger), read_gold(gold))
    if args.synthetic:
        results["synthetic"] = synthetic(args.synthetic, tagger=not args.no_tagger)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for name in sets:
        r = results[name]
        print(f"{name}: {r['articles']} articles, {r['gold_rows']} gold rows, {r['gold_entities']} gold entities\n")
        print(_table(r) + "\n")
        for line in r["errors"]:
            print(f"{name}: {line}", file=sys.stderr)
    if args.synthetic:
        print(f"synthetic ({args.synthetic} articles), persons: {json.dumps(results['synthetic'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
