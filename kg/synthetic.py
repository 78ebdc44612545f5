"""Synthetic news corpora with known answers, for benchmarks and tests.

Articles are composed from sentence patterns of varied structure seen in
法治日报 and 人民日报 reports (meetings, joint issuance of documents, quotations,
figures, bylines), with recurring officials and agencies across articles and
deliberate homonyms: officials of the same name in different provinces. Every
article records who is who (:attr:`SyntheticArticle.persons`), so resolution
quality can be measured as pairwise precision and recall of merges.

>>> arts = generate_corpus(3, seed=1)
>>> len(arts), all(a.text for a in arts)
(3, True)
>>> arts == generate_corpus(3, seed=1)
True
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

CITIES = [  # (province, city, a county-level unit)
    ("江苏省", "苏州市", "昆山市"), ("江苏省", "无锡市", "江阴市"), ("江苏省", "南京市", "江宁区"),
    ("浙江省", "杭州市", "余杭区"), ("浙江省", "宁波市", "慈溪市"), ("广东省", "深圳市", "南山区"),
    ("广东省", "广州市", "天河区"), ("四川省", "成都市", "双流区"), ("湖北省", "武汉市", "江夏区"),
    ("山东省", "青岛市", "黄岛区"), ("河南省", "郑州市", "中牟县"), ("福建省", "厦门市", "思明区"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红海波宁辉鹏斌宇浩凯健俊帆欣晨瑞博文雪琳颖春梅林玉兰"
DEPARTMENTS = ["司法局", "公安局", "市场监督管理局", "生态环境局", "财政局", "教育局", "住房和城乡建设局", "交通运输局"]
TOPICS = ["优化营商环境", "行政执法监督", "安全生产", "生态环境保护", "法治政府建设", "矛盾纠纷化解", "知识产权保护",
          "食品药品安全", "公共法律服务", "社会治理"]
GENRES = ["实施办法", "工作方案", "若干措施", "清单", "实施意见", "管理规定"]
FILLER = [
    "各地各部门要提高政治站位,压实工作责任,确保各项任务落到实处。",
    "会议强调,要坚持以人民为中心的发展思想,着力解决群众急难愁盼问题。",
    "下一步,将进一步健全工作机制,强化部门协同,推动工作常态化、制度化。",
    "据介绍,相关部门将加强督促检查,对工作落实不力的严肃问责。",
    "与会人员围绕重点任务进行了深入讨论,提出了意见建议。",
    "通过一系列举措,企业和群众的获得感、幸福感、安全感不断增强。",
    "近年来,当地坚持问题导向,聚焦重点领域和关键环节,持续深化改革。",
    "专家认为,这一做法为其他地方提供了可复制、可推广的经验。",
]
QUOTES = [
    "我们将坚持依法行政,持续优化营商环境,让企业安心发展",
    "法治是最好的营商环境,要以更高标准推进法治政府建设",
    "要把群众满意作为检验工作的根本标准,切实解决实际问题",
    "必须坚持系统观念,统筹发展和安全,守住不发生系统性风险的底线",
]


@dataclass(frozen=True, slots=True)
class Official:
    ident: str  # ground-truth identity
    name: str
    province: str
    city: str
    post: str  # 市长, 副市长, 局长 …
    department: str  # "" for city leaders


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    name: str  # file name stem
    headline: str
    date: dt.date
    text: str
    persons: tuple[tuple[str, str], ...]  # (name, ground-truth identity) of officials named in the text


def _officials(rng: random.Random, per_city: int) -> list[Official]:
    out: list[Official] = []
    used: dict[str, int] = {}
    for province, city, _ in CITIES:
        posts = [("市长", ""), ("副市长", ""), *[("局长", d) for d in rng.sample(DEPARTMENTS, k=min(per_city, len(DEPARTMENTS)))]]
        for post, dept in posts[: per_city + 2]:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            used[name] = used.get(name, 0) + 1
            out.append(Official(f"{name}#{city}#{post}{dept}", name, province, city, post, dept))
    # homonyms: the same name holding posts in different provinces
    for i in range(0, len(out) - per_city - 2, 7):
        a, b = out[i], out[i + per_city + 2]
        if a.province != b.province:
            out[i + per_city + 2] = Official(f"{a.name}#{b.city}#{b.post}{b.department}", a.name, b.province, b.city,
                                             b.post, b.department)
    return out


def generate_corpus(n: int, *, seed: int = 0, per_city: int = 3, target_chars: int = 1400) -> list[SyntheticArticle]:
    """``n`` articles of about ``target_chars`` characters each, reproducible from ``seed``."""
    rng = random.Random(seed)
    officials = _officials(random.Random(seed + 1), per_city)
    by_city: dict[str, list[Official]] = {}
    for o in officials:
        by_city.setdefault(o.city, []).append(o)
    start = dt.date(2019, 1, 1)
    out = []
    for i in range(n):
        province, city, county = CITIES[rng.randrange(len(CITIES))]
        date = start + dt.timedelta(days=rng.randrange(1500))
        staff = by_city[city]
        short = city.removesuffix("市")
        topic = rng.choice(TOPICS)
        sentences: list[str] = []
        persons: list[tuple[str, str]] = []

        def official(post: str) -> Official:
            found = [o for o in staff if o.post == post] or staff
            return rng.choice(found)

        mayor = official("市长")
        sentences.append(f"□ 本报记者 {rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)} 近日,{province}{city}召开{topic}工作推进会。")
        sentences.append(f"{city}委副书记、市长{mayor.name}出席会议并讲话。")
        persons.append((mayor.name, mayor.ident))
        month = rng.randrange(1, 13)
        d1, d2 = rng.sample(DEPARTMENTS, 2)
        genre = rng.choice(GENRES)
        items = rng.randrange(20, 400)
        sentences.append(f"{date.year - 1}年{month}月,市{d1}、市{d2}联合印发《{city}{topic}{genre}》,共涉及{items}项。")
        head = [o for o in staff if o.department in (d1, d2)]
        if head:
            o = rng.choice(head)
            sentences.append(f"{city}{o.department}局长{o.name}介绍,相关工作已全面铺开。")
            persons.append((o.name, o.ident))
        if rng.random() < 0.6:
            deputy = official("副市长")
            sentences.append(f"“{rng.choice(QUOTES)}。”时任{city}副市长{deputy.name}说。")
            persons.append((deputy.name, deputy.ident))
        if rng.random() < 0.5:
            sentences.append(f"{date.year - 1}年,全市{rng.choice(['行政复议纠错率', '行政机关负责人出庭应诉率', '案件办结率'])}"
                             f"达到{rng.randrange(50, 100)}.{rng.randrange(10)}%。")
        if rng.random() < 0.4:
            sentences.append(f"今年{rng.randrange(1, date.month + 1)}月,{short}又推出“{topic}”清单2.0版。")
        sentences.append(f"在{county}等地,试点经验已在全市推广。")
        while sum(map(len, sentences)) < target_chars:
            sentences.append(rng.choice(FILLER))
        text = "".join(sentences)
        headline = f"{short}推进{topic}取得新成效"
        out.append(SyntheticArticle(f"{date.isoformat()}-{i:05d}", headline, date, text, tuple(persons)))
    return out


def write_corpus(articles: list[SyntheticArticle], folder: str | Path, *, layout: str = "jsonl") -> list[Path]:
    """Write articles as one JSON Lines file (``layout="jsonl"``) or one plain text file each (``"txt"``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if layout == "jsonl":
        path = folder / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for a in articles:
                handle.write(json.dumps({"id": a.name, "title": a.headline, "date": a.date.isoformat(), "content": a.text,
                                         "source": "法治日报"}, ensure_ascii=False) + "\n")
        return [path]
    paths = []
    for a in articles:
        path = folder / f"{a.name}.txt"
        path.write_text(f"{a.headline}\n\n{a.text}\n", encoding="utf-8")
        paths.append(path)
    return paths
