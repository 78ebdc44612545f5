"""Derive the gazetteer files in ``kg/data`` from the shared source data.

Reads ``/work/shared/gazetteers`` (or ``--source``) and writes, deterministically:

* ``kg/data/places.tsv``         administrative divisions with safe aliases and former names
* ``kg/data/central_bodies.tsv`` central bodies: gov-site-list names merged with our own list
* ``kg/data/licenses/*``         the licence texts of the sources

Hand-written inputs, kept in ``kg/data`` and read here: ``place_stopwords.tsv`` (aliases
that are common words) and ``central_bodies_kg.tsv`` (our own central bodies and aliases).
Re-running on the same inputs gives byte-identical output.

Usage::

    python scripts/build_gazetteer.py [--source DIR] [--out kg/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SOURCE = Path("/work/shared/gazetteers")
REPO = Path(__file__).resolve().parent.parent

# Prefecture rows of modood that are placeholders, not places.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Names of 55 ethnic groups as they occur in autonomous-unit names: 大理白族自治州 → 大理.
ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
SUFFIXES = ("特别行政区", "自治区", "地区", "林区", "特区", "省", "市", "区", "县", "盟", "旗")
# Names of zones and committees: no short form can be derived safely (苏州工业园区 ↛ 苏州工业园).
NO_DERIVED_ALIAS = re.compile(r"开发区|园区|新城|管理区|管委会|委员会|示范区|合作区|群岛|海域|新区$")

# Taiwan's districts and townships repeat mainland names (金山区, 和平区, 信义乡): full names only.
# Successor names misspelt in jionlp's change log.
CHANGE_LOG_TYPOS = {"云岗区": "云冈区", "大菁山县": "大箐山县"}

HK_MO_TW_CODES = {"香港特别行政区": "810000", "澳门特别行政区": "820000", "台湾省": "710000"}


@dataclass
class Division:
    code: str
    name: str
    level: str
    parent: str
    aliases: list[str] = field(default_factory=list)
    former: list[str] = field(default_factory=list)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def derive_alias(name: str) -> str:
    """Short form of a division name, or "" when none is safe: 大理白族自治州 → 大理."""
    if NO_DERIVED_ALIAS.search(name):
        return ""
    if "自治" in name:
        cuts = [name.find(group + "族") for group in ETHNIC if name.find(group + "族") > 0]
        stem = name[: min(cuts)] if cuts else ""
    else:
        stem = next((name[: -len(s)] for s in SUFFIXES if name.endswith(s)), "")
    return stem if len(stem) >= 2 else ""


def read_jionlp_aliases(path: Path) -> dict[tuple[str, str], str]:
    """(code, full name) → short alias from jionlp's county-level table."""
    aliases: dict[tuple[str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.strip("\t").split("\t")
        if len(fields) == 3 and fields[2] != fields[0]:
            aliases[(fields[1], fields[0])] = fields[2]
    return aliases


def read_mainland(admin: Path) -> dict[str, Division]:
    """Provinces, prefectures and counties of modood's 2023 tables, keyed by 6-digit code."""
    divisions: dict[str, Division] = {}
    for row in read_csv(admin / "provinces.csv"):
        code = row["code"].ljust(6, "0")
        divisions[code] = Division(code, row["name"], "province", "")
    placeholder_parent: dict[str, str] = {}
    for row in read_csv(admin / "cities.csv"):
        code, province = row["code"].ljust(6, "0"), row["provinceCode"].ljust(6, "0")
        if row["name"] in PLACEHOLDERS:
            placeholder_parent[code] = province
        else:
            divisions[code] = Division(code, row["name"], "prefecture", province)
    for row in read_csv(admin / "areas.csv"):
        city = row["cityCode"].ljust(6, "0")
        if row["code"] == city or row["name"] == getattr(divisions.get(city), "name", None):
            continue  # 东莞市, 中山市, 儋州市, 嘉峪关市: prefectures repeated as their own county
        parent = placeholder_parent.get(city, city)
        divisions[row["code"]] = Division(row["code"], row["name"], "county", parent)
    return divisions


def add_aliases(divisions: dict[str, Division], jionlp: dict[tuple[str, str], str]) -> None:
    for division in divisions.values():
        alias = jionlp.get((division.code, division.name)) or derive_alias(division.name)
        if alias and alias != division.name:
            division.aliases.append(alias)


def read_hk_mo_tw(path: Path) -> list[Division]:
    """HK, Macao and Taiwan with codes we mint: 810000/820000/710000 (GB/T 2260) and
    sequential children in file order: HK districts 810001…, Macao parishes 820001…,
    Taiwan cities and counties 710100, 710200 …, their districts 710101 …"""
    data = json.loads(path.read_text(encoding="utf-8"))
    divisions: list[Division] = []
    for region, groups in data.items():
        code = HK_MO_TW_CODES[region]
        divisions.append(Division(code, region, "province", "", [derive_alias(region)]))
        if region == "台湾省":
            divisions.extend(_taiwan(code, groups))
        else:
            districts = [d for members in groups.values() for d in members]
            for n, district in enumerate(districts, start=1):
                divisions.append(_hk_mo_district(f"{code[:2]}{n:04d}", district, code))
    return divisions


def _hk_mo_district(code: str, written: str, parent: str) -> Division:
    # 嘉模堂区（氹仔）: the bracket holds the common name of the island
    match = re.fullmatch(r"(.+?)（(.+)）", written)
    name, extra = (match.group(1), [match.group(2)]) if match else (written, [])
    aliases = [a for a in [derive_alias(name), *extra] if a]
    return Division(code, name, "county", parent, aliases)


def _taiwan(code: str, groups: dict[str, list[str]]) -> list[Division]:
    divisions = []
    for i, (city, districts) in enumerate(groups.items(), start=1):
        city_code = f"71{i:02d}00"
        divisions.append(Division(city_code, city, "prefecture", code, [derive_alias(city)]))
        for j, district in enumerate(districts, start=1):
            divisions.append(Division(f"71{i:02d}{j:02d}", district, "county", city_code))
    return divisions


def add_former_names(divisions: dict[str, Division], path: Path) -> list[str]:
    """Former names from jionlp's change log, kept where the successor is unique and the
    old name is not the current name of another division. Returns problems found."""
    by_path = {}
    for d in divisions.values():
        parent = divisions.get(d.parent)
        by_path[(parent.name if parent else "", d.name)] = d
    successors: dict[str, set[str]] = defaultdict(set)
    problems = []
    for line in path.read_text(encoding="utf-8").splitlines():
        old, _, new = line.partition("=>")
        old_fields, new_fields = old.split("\t"), new.split("\t")
        old_parent, old_names = (old_fields[2], old_fields[4:6]) if len(old_fields) == 6 else (old_fields[4], old_fields[6:8])
        new_parent, new_name = new_fields[-2:] if len(new_fields) == 3 else new_fields[:2]
        if old_parent != new_parent and derive_alias(new_name) == old_names[-1]:
            continue  # moved to another parent under the same name (三江县: 柳州地区 → 柳州市)
        successor = _find_successor(by_path, new_parent, CHANGE_LOG_TYPOS.get(new_name, new_name))
        if successor is None:
            problems.append(f"change log: successor not found: {new.strip()}")
            continue
        for old_name in old_names:
            if old_name != successor.name:
                successors[old_name].add(successor.code)
    current = {n for d in divisions.values() for n in (d.name, *d.aliases)}
    for old_name, codes in sorted(successors.items()):
        if len(codes) == 1 and old_name not in current and len(old_name) >= 2:
            divisions[codes.pop()].former.append(old_name)
    return problems


def _find_successor(by_path: dict[tuple[str, str], Division], parent: str, name: str) -> Division | None:
    """The division named ``name`` under ``parent``, or the one sharing its short form when
    the type changed since the log was written (玉环区 → 玉环市, 凤翔市 → 凤翔区)."""
    if (parent, name) in by_path:
        return by_path[(parent, name)]
    stem = derive_alias(name)
    matches = [d for (p, n), d in by_path.items() if p == parent and stem and derive_alias(n) == stem]
    return matches[0] if len(matches) == 1 else None


def read_stopwords(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines if line and not line.startswith("#")}


def drop_unsafe(divisions: dict[str, Division], stopwords: set[str]) -> None:
    """Drop 1-character and common-word aliases, and aliases equal to another full name."""
    full_names = {d.name for d in divisions.values()}
    for d in divisions.values():
        d.aliases = _clean([a for a in d.aliases if a not in full_names], stopwords, d.name)
        d.former = _clean(d.former, stopwords, d.name)


def _clean(names: list[str], stopwords: set[str], own: str) -> list[str]:
    kept = [n for n in names if len(n) >= 2 and n not in stopwords and n != own]
    return sorted(set(kept), key=kept.index)


def write_places(divisions: dict[str, Division], path: Path) -> None:
    lines = ["code\tname\tlevel\tparent\taliases\tformer_names"]
    for code in sorted(divisions):
        d = divisions[code]
        lines.append("\t".join([d.code, d.name, d.level, d.parent, "|".join(d.aliases), "|".join(d.former)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_central_bodies(source: Path, ours: Path, path: Path) -> None:
    """Merge gov-site-list's central bodies with our list (ours wins on kind and aliases)."""
    rows: dict[str, list[str]] = {}
    for line in (source / "central.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        name = re.sub(r"^中国政府网（(.+)）$", r"\1", record["name"])
        rows[name] = [name, record["category"], "government", "", "gov-site-list"]
    for line in ours.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, category, kind, aliases = (line.split("\t") + [""] * 4)[:4]
        if name in rows:
            rows[name][1:5] = [category or rows[name][1], kind, aliases, "gov-site-list+kg"]
        else:
            rows[name] = [name, category, kind, aliases, "kg"]
    lines = ["name\tcategory\tkind\taliases\tsource"] + ["\t".join(rows[n]) for n in sorted(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_licenses(source: Path, out: Path) -> None:
    licenses = out / "licenses"
    licenses.mkdir(exist_ok=True)
    shutil.copyfile(source / "admin-divisions/LICENSE.modood", licenses / "modood-Administrative-divisions-of-China.WTFPL.txt")
    shutil.copyfile(source / "admin-divisions/LICENSE.jionlp", licenses / "jionlp.Apache-2.0.txt")


def build(source: Path, out: Path) -> list[str]:
    """Write every derived file; return the problems met (also printed by ``main``)."""
    admin = source / "admin-divisions"
    divisions = read_mainland(admin)
    add_aliases(divisions, read_jionlp_aliases(admin / "china_location_county_level.tsv"))
    for division in read_hk_mo_tw(admin / "HK-MO-TW.json"):
        divisions[division.code] = division
    problems = add_former_names(divisions, admin / "china_location_change.txt")
    drop_unsafe(divisions, read_stopwords(out / "place_stopwords.tsv"))
    write_places(divisions, out / "places.tsv")
    write_central_bodies(source / "central-bodies", out / "central_bodies_kg.tsv", out / "central_bodies.tsv")
    copy_licenses(source, out)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=REPO / "kg" / "data")
    args = parser.parse_args(argv)
    for problem in build(args.source, args.out):
        print(problem, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
