"""Coarse cadre ranks of posts (级别), for telling a transfer from a homonym.

A mayor of a prefecture-level city does not become a municipal bureau head: two same-named
officials whose posts drop a whole level from an earlier to a later (or concurrent) post are
two people. Ranks run from 1 国家级 to 5 乡科级; a deputy (副) is half a step lower. They come
from ``kg/data/post_ranks.tsv`` (title, body level, optional body ending, rank) and the level
of the body the post is held in (:func:`body_level`, from its division code). A post without a
known rank is no evidence either way.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections import defaultdict
from importlib import resources

RANK_GAP = 1.0  # a post this many levels (1 = 厅局级 → 县处级) below another, held on or after it: two people
# 副省级市 (their 市长 rank 副省级, their bureaus 副厅级): 沈阳 大连 长春 哈尔滨 南京 杭州 宁波 厦门
# 济南 青岛 武汉 广州 深圳 成都 西安, by the first four digits of their division codes
_SUB_PROVINCIAL = frozenset({"2101", "2102", "2201", "2301", "3201", "3301", "3302", "3502", "3701", "3702", "4201",
                             "4401", "4403", "5101", "6101"})
_MUNICIPALITIES = frozenset(("11", "12", "31", "50"))  # 直辖市: their districts and counties rank as prefectures
_RANK_MODIFIERS = ("常务", "代理", "第一", "代")

Ranks = dict[float, tuple[_dt.date, str, _dt.date, str]]  # rank → first date and post, last date and post


@functools.cache
def _central_bodies() -> frozenset[str]:
    from kg.gazetteer import load_lexicon

    return frozenset(n for body in load_lexicon().central_bodies for n in (body.name, *body.aliases))


def body_level(code: str, name: str) -> str:
    """The level of a body for :func:`post_rank`, from its division code ("" when unknown).

    >>> [body_level(c, n) for c, n in [("330100", "杭州市人民政府"), ("320500", "苏州市司法局"),
    ...  ("320583", "昆山市人民政府"), ("110105", "朝阳区人民政府"), ("", "公安部"), ("", "某某公司")]]
    ['subprovince', 'prefecture', 'county', 'prefecture', 'central', '']
    """
    if not code:
        return "central" if name in _central_bodies() or name.startswith(("中共中央", "国务院", "最高人民")) else ""
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "subprovince" if code[:4] in _SUB_PROVINCIAL else "prefecture"
    return "prefecture" if code[:2] in _MUNICIPALITIES else "county"


@functools.cache
def _rank_table() -> dict[tuple[str, str], tuple[tuple[str, float], ...]]:
    text = resources.files("kg").joinpath("data", "post_ranks.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")][1:]
    table: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for title, level, organ, rank in rows:
        table[(title, level)].append((organ, float(rank)))
    return {k: tuple(sorted(v, key=lambda r: -len(r[0]))) for k, v in table.items()}  # named organs first


def post_rank(role: str, level: str, body: str = "") -> float | None:
    """The coarse cadre rank of a post (1 国家级 … 5 乡科级, a deputy half a step lower), None if unknown.

    ``level`` is the body's (:func:`body_level`); ``body`` its name, for ranks that depend on it.

    >>> post_rank("市长", "subprovince"), post_rank("局长", "subprovince"), post_rank("常务副市长", "prefecture")
    (2.5, 3.5, 3.5)
    >>> post_rank("院长", "central", "最高人民法院"), post_rank("县委副书记", ""), post_rank("主任", "prefecture")
    (1.5, 4.5, None)
    """
    title = next((role[len(m):] for m in _RANK_MODIFIERS if role.startswith(m)), role)  # 常务副市长 → 副市长
    for name, step in [(title, 0.0)] + ([(title.replace("副", "", 1), 0.5)] if "副" in title else []):
        for key in ((name, level), (name, "any")):
            for organ, rank in _rank_table().get(key, ()):
                if body.endswith(organ):
                    return rank + step
    return None


def add_ranks(a: Ranks, b: Ranks) -> Ranks:
    out = dict(a)
    for rank, new in b.items():
        old = out.get(rank, new)
        out[rank] = (*min(old[:2], new[:2]), *max(old[2:], new[2:]))
    return out


def rank_gap(a: Ranks, b: Ranks) -> str:
    """Why two clusters' ranked posts are not one career ("" when they may be): a post :data:`RANK_GAP`
    or more below another, held on or after the higher one's first date (a drop, or both at once).

    >>> d = _dt.date
    >>> mayor = {2.5: (d(2020, 11, 10), "杭州市人民政府市长", d(2020, 11, 10), "杭州市人民政府市长")}
    >>> rank_gap(mayor, {3.5: (d(2022, 5, 16), "宁波市市场监管局局长", d(2022, 5, 16), "宁波市市场监管局局长")})
    '杭州市人民政府市长 (rank 2.5) on 2020-11-10, then 宁波市市场监管局局长 (rank 3.5) on 2022-05-16'
    >>> rank_gap(mayor, {3.5: (d(2018, 1, 5), "杭州市人民政府副市长", d(2018, 1, 5), "杭州市人民政府副市长")})
    ''
    """
    for ra, held_a in sorted(a.items()):
        for rb, held_b in sorted(b.items()):
            if abs(ra - rb) < RANK_GAP:
                continue
            (high, (first, post, _, _)), (low, (_, _, last, low_post)) = sorted([(ra, held_a), (rb, held_b)])
            if last >= first:
                return f"{post} (rank {high:g}) on {first}, then {low_post} (rank {low:g}) on {last}"
    return ""
