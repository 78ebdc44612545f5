from __future__ import annotations

import importlib.util
import shutil
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.gazetteer import (
    MIN_MATCH_LENGTH,
    OrganKind,
    PlaceLevel,
    TermMatcher,
    load_lexicon,
    load_places,
)

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "kg" / "data"
SOURCE = Path("/work/shared/gazetteers")


@pytest.fixture(scope="module")
def places():
    return load_places()


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


# --- places: lookup and hierarchy -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "chain"),
    [
        ("姑苏", "320508", ["320500", "320000"]),
        ("姑苏区", "320508", ["320500", "320000"]),
        ("太仓", "320585", ["320500", "320000"]),
        ("太仓市", "320585", ["320500", "320000"]),
        ("浦东", "310115", ["310000"]),  # municipality: no 市辖区 level in between
        ("仙桃", "429004", ["420000"]),  # 省直辖县级行政区划: directly under the province
        ("延边", "222400", ["220000"]),  # 延边朝鲜族自治州
        ("襄樊", "420600", ["420000"]),  # former name of 襄阳市
        ("香港", "810000", []),
        ("湾仔", "810002", ["810000"]),
        ("氹仔", "820006", ["820000"]),
        ("台北", "710100", ["710000"]),
    ],
)
def test_gazetteer_unique_name_resolves_with_ancestors(places, name, code, chain):
    place = places.resolve(name)
    assert place is not None and place.code == code
    assert [p.code for p in places.ancestors(code)] == chain


def test_gazetteer_former_name_is_marked(places):
    xiangyang = places.by_code("420600")
    assert xiangyang.name == "襄阳市"
    assert "襄樊" in xiangyang.former_names and "襄樊" not in xiangyang.aliases


@pytest.mark.parametrize(
    ("name", "context", "expected"),
    [
        ("朝阳", ["110000"], "110105"),  # 北京市 → 朝阳区
        ("朝阳", ["110108"], "110105"),  # a sibling district, 海淀区
        ("朝阳", ["210000"], "211300"),  # 辽宁省 → 朝阳市 (nearer than 朝阳县)
        ("朝阳", ["211321"], "211321"),  # 朝阳县 itself
        ("朝阳", ["220100"], "220104"),  # 长春市 → its 朝阳区
        ("朝阳", [], None),
        ("朝阳", ["320500"], None),  # 苏州: no candidate related
        ("朝阳区", ["110000"], "110105"),
        ("普陀", ["310000"], "310107"),
        ("普陀", ["330900"], "330903"),
    ],
)
def test_gazetteer_resolve_ambiguous_by_context(places, name, context, expected):
    assert len(places.candidates(name)) > 1
    place = places.resolve(name, context)
    assert (place.code if place else None) == expected


def test_gazetteer_unknown_names_and_codes(places):
    assert places.candidates("苏") == ()
    assert places.resolve("不存在") is None
    assert places.by_code("999999") is None
    with pytest.raises(KeyError):
        places.ancestors("999999")


# --- places: matching --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年以来,江苏省苏州市姑苏区推进法治建设。", [(8, 11, "江苏省"), (11, 14, "苏州市"), (14, 17, "姑苏区")]),
        ("在太仓、昆山等地试点后,苏州全面推开。", [(1, 3, "太仓"), (4, 6, "昆山"), (12, 14, "苏州")]),
        ("湖北襄樊更名为襄阳已有多年", [(0, 2, "湖北"), (2, 4, "襄樊"), (7, 9, "襄阳")]),
        ("香港特别行政区与澳门特区", [(0, 7, "香港特别行政区"), (8, 10, "澳门")]),
        ("内蒙古自治区呼和浩特市", [(0, 6, "内蒙古自治区"), (6, 11, "呼和浩特市")]),
        ("广东中山市", [(0, 2, "广东"), (2, 5, "中山市")]),
    ],
)
def test_gazetteer_finditer_offsets(places, text, expected):
    found = [(m.start, m.end, m.name) for m in places.finditer(text)]
    assert found == expected
    assert all(text[start:end] == name for start, end, name in found)


@pytest.mark.parametrize(
    "text",
    [
        "老城区改造和新区建设,开发区招商。",  # 城区, 新区, 开发区 alone
        "坚持和平发展道路,会同有关部门。",  # 和平区, 会同县
        "市公安局和县公安局联合执法。",  # 公安县, 和县
        "他担任县长多年。",  # 任县 (former name of 任泽区)
        "在城市中心区域推进乡村振兴。",  # 市中区, 振兴区
        "绿水青山就是金山银山。",  # 青山区, 金山区
        "走在中山路上,想起孙中山。",  # 中山市, blocked compounds
        "全力维护社会安宁和长治久安。",  # 安宁市, 长治市
        "苏、沪、浙三地",  # 1-character abbreviations
    ],
)
def test_gazetteer_common_words_not_matched(places, text):
    assert [m.name for m in places.finditer(text)] == []


def test_gazetteer_prefecture_and_its_county_share_an_alias(places):
    # 大理 names both 大理白族自治州 and its seat 大理市: unresolved without context
    assert {p.code for p in places.candidates("大理")} == {"532900", "532901"}
    assert places.resolve("大理") is None
    assert places.resolve("大理", ["530000"]).code == "532900"


def test_gazetteer_ambiguous_match_lists_all_candidates(places):
    (match,) = places.finditer("朝阳群众")
    assert {p.code for p in match.candidates} == {"110105", "211300", "211321", "220104"}


def _reference_longest(terms: set[str], text: str) -> list[tuple[int, int]]:
    """Leftmost-longest, non-overlapping matching, the slow obvious way."""
    found, i = [], 0
    while i < len(text):
        ends = [j for j in range(i + MIN_MATCH_LENGTH, len(text) + 1) if text[i:j] in terms]
        if ends:
            found.append((i, max(ends)))
            i = max(ends)
        else:
            i += 1
    return found


TERMS = {"苏州", "苏州市", "州市", "市委", "江苏", "江苏省", "省苏", "姑苏区", "a苏", "😀州"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["苏", "州", "市", "委", "江", "省", "姑", "区", "a", "😀", "，"]), max_size=30))
def test_gazetteer_matcher_is_leftmost_longest(chars):
    text = "".join(chars)
    matches = list(TermMatcher({t: t for t in TERMS}).finditer(text))
    assert [(m.start, m.end) for m in matches] == _reference_longest(TERMS, text)
    assert all(text[m.start : m.end] == m.name for m in matches)


def test_gazetteer_blocker_hides_inner_terms():
    matcher = TermMatcher({"中山": 1}, blockers=["中山路"])
    assert [m.name for m in matcher.finditer("中山路与中山")] == ["中山"]
    assert "中山" in matcher and "中山路" not in matcher


# --- places: the data file ---------------------------------------------------------------


def test_gazetteer_places_data_is_consistent(places):
    lines = (DATA / "places.tsv").read_text(encoding="utf-8").splitlines()[1:]
    codes = [line.split("\t")[0] for line in lines]
    assert codes == sorted(codes) and len(set(codes)) == len(codes) == len(places)
    for place in places:
        assert place.name not in {"市辖区", "县", "省直辖县级行政区划"}
        assert all(len(name) >= MIN_MATCH_LENGTH for name in (*place.aliases, *place.former_names))
        if place.parent:
            parent = places.by_code(place.parent)
            assert parent is not None and parent.level != PlaceLevel.COUNTY
        else:
            assert place.level == PlaceLevel.PROVINCE
    provinces = [p for p in places if p.level == PlaceLevel.PROVINCE]
    assert len(provinces) == 34  # 31 + 香港, 澳门, 台湾


def test_gazetteer_every_blocker_hides_a_place_name(places):
    matchable = {name for place in places for name in place.names} - _data_words("place_stopwords.tsv")
    for blocker in _data_words("place_blockers.txt"):
        assert any(name in blocker for name in matchable if len(name) >= MIN_MATCH_LENGTH), blocker


def _data_words(name: str) -> set[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines if line and not line.startswith("#")}


def test_gazetteer_loads_fast():
    load_places.cache_clear()
    load_lexicon.cache_clear()
    started = time.perf_counter()
    load_places()
    load_lexicon()
    assert time.perf_counter() - started < 0.5


@pytest.mark.skipif(not SOURCE.is_dir(), reason="shared gazetteer sources not available")
def test_gazetteer_build_script_reproduces_committed_files(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("build_gazetteer", REPO / "scripts" / "build_gazetteer.py")
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_gazetteer", build)  # dataclasses look their module up
    spec.loader.exec_module(build)
    for name in ("place_stopwords.tsv", "central_bodies_kg.tsv"):
        shutil.copyfile(DATA / name, tmp_path / name)
    build.build(SOURCE, tmp_path)
    for name in ("places.tsv", "central_bodies.tsv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


# --- lexicon -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abbreviation", "place", "expected"),
    [
        ("纪委监委", "苏州市", ("苏州市纪律检查委员会", "苏州市监察委员会")),
        ("依法治市办", "苏州市", ("中共苏州市委全面依法治市委员会办公室",)),
        ("依法治省办", "江苏省", ("中共江苏省委全面依法治省委员会办公室",)),
        ("市委", "苏州市", ("中共苏州市委员会",)),
        ("发改委", "太仓市", ("太仓市发展和改革委员会",)),
        ("住建局", "苏州市", ("苏州市住房和城乡建设局",)),
        ("市监局", "姑苏区", ("姑苏区市场监督管理局",)),
        ("人社局", "苏州市", ("苏州市人力资源和社会保障局",)),
        ("卫健委", "江苏省", ("江苏省卫生健康委员会",)),
    ],
)
def test_gazetteer_abbreviation_expands(lexicon, abbreviation, place, expected):
    assert lexicon.abbreviation(abbreviation).expand(place) == expected


@pytest.mark.parametrize(
    ("word", "kind", "levels"),
    [
        ("人民政府", OrganKind.GOVERNMENT, ("any",)),
        ("市委", OrganKind.PARTY, ("prefecture",)),
        ("纪委监委", OrganKind.DISCIPLINE, ("any",)),
        ("中级人民法院", OrganKind.COURT, ("prefecture",)),
        ("人民检察院", OrganKind.PROCURATORATE, ("any",)),
        ("人大常委会", OrganKind.CONGRESS, ("any",)),
        ("政协", OrganKind.CPPCC, ("any",)),
        ("公安厅", OrganKind.DEPARTMENT, ("province",)),
        ("公安局", OrganKind.DEPARTMENT, ("prefecture", "county")),
        ("依法治市办", OrganKind.DEPARTMENT, ("prefecture",)),
    ],
)
def test_gazetteer_organ_word_kinds(lexicon, word, kind, levels):
    organ = lexicon.organ(word)
    assert (organ.kind, organ.levels) == (kind, levels)


@pytest.mark.parametrize(
    ("title", "organ", "kinds", "suffixes", "levels"),
    [
        ("市长", "人民政府", (OrganKind.GOVERNMENT,), (), ("province", "prefecture", "county")),
        ("省长", "人民政府", (OrganKind.GOVERNMENT,), (), ("province",)),
        ("县长", "人民政府", (OrganKind.GOVERNMENT,), (), ("county",)),
        ("区长", "人民政府", (OrganKind.GOVERNMENT,), (), ("county",)),
        ("市委书记", "委员会", (OrganKind.PARTY,), (), ("province", "prefecture")),
        ("院长", "", (OrganKind.COURT,), (), ("any",)),
        ("检察长", "", (OrganKind.PROCURATORATE,), (), ("any",)),
        ("局长", "", (OrganKind.DEPARTMENT, OrganKind.GOVERNMENT), ("局",), ("any",)),
    ],
)
def test_gazetteer_post_rules(lexicon, title, organ, kinds, suffixes, levels):
    post = lexicon.post(title)
    assert (post.organ, post.kinds, post.suffixes, post.levels) == (organ, kinds, suffixes, levels)


def test_gazetteer_posts_match_longest(lexicon):
    text = "时任苏州市市长李亚平、市委书记和副市长出席"
    assert [m.name for m in lexicon.finditer_posts(text)] == ["市长", "市委书记", "副市长"]
    assert lexicon.post("副市长").deputy and not lexicon.post("市长").deputy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("最高法、最高检联合发布指导意见", [("最高法", "最高人民法院"), ("最高检", "最高人民检察院")]),
        ("中央纪委国家监委网站", [("中央纪委国家监委", "中央纪委国家监委")]),
        ("全国人大常委会审议", [("全国人大常委会", "全国人民代表大会常务委员会")]),
        ("中央依法治国办督察组", [("中央依法治国办", "中央全面依法治国委员会办公室")]),
        ("公安部、司法部", [("公安部", "公安部"), ("司法部", "司法部")]),
    ],
)
def test_gazetteer_central_bodies_match(lexicon, text, expected):
    assert [(m.name, m.candidates.name) for m in lexicon.finditer_central(text)] == expected


def test_gazetteer_byline_roles(lexicon):
    text = "□ 本报记者 罗莎莎 □ 本报通讯员 沙 一 □ 实习生 王某"
    assert [(m.name, m.candidates) for m in lexicon.finditer_bylines(text)] == [
        ("本报记者", "记者"),
        ("本报通讯员", "通讯员"),
        ("实习生", "实习生"),
    ]


@pytest.mark.parametrize("code", ["441900", "442000", "460400", "620200"])
def test_gazetteer_prefecture_without_counties_listed_once(places, code):
    place = places.by_code(code)
    assert place.level == PlaceLevel.PREFECTURE
    assert places.candidates(place.name) == (place,)
