"""A generated corpus: articles composed from sentences in the style of 法治日报 reports.

Deterministic (a seeded ``random.Random``), so the graphs built from it are stable.
People have careers: the same person is 副市长 of one city in an early year and 市长 of
another later, so queries over time have something to find; agencies issue documents
together; later lists replace earlier ones; officials are quoted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

CITIES = (
    ("苏州市", "江苏省"), ("南京市", "江苏省"), ("杭州市", "浙江省"), ("宁波市", "浙江省"),
    ("成都市", "四川省"), ("武汉市", "湖北省"), ("广州市", "广东省"), ("济南市", "山东省"),
    ("合肥市", "安徽省"), ("西安市", "陕西省"),
)
AGENCIES = ("司法局", "市场监管局", "生态环境局", "公安局", "财政局", "人力资源社会保障局")
PEOPLE = ("王建国", "李明华", "张志强", "刘晓东", "陈立新", "杨光明", "赵永刚", "黄海涛",
          "周建华", "吴振宇", "徐文军", "孙立平", "马永红", "朱国平", "胡晓峰", "郭建军")
TOPICS = ("轻微违法行为不予行政处罚", "首违不罚", "涉企轻微违法行为免罚", "包容审慎监管")
LAWS = ("中华人民共和国行政处罚法", "法治政府建设实施纲要(2021-2025年)", "优化营商环境条例",
        "中华人民共和国民法典")
QUOTES = ("我们要把法治作为最好的营商环境", "法治是最好的营商环境,也是最硬的核心竞争力",
          "要让企业和群众在每一项执法活动中感受到公平正义", "依法行政是政府工作的生命线")


@dataclass(frozen=True, slots=True)
class Career:
    """Where a person served: deputy mayor of one city, then mayor of another."""

    name: str
    deputy_city: str
    mayor_city: str


def careers(rng: random.Random) -> list[Career]:
    cities = [city for city, _province in CITIES]
    result = []
    for name in PEOPLE:
        first, second = rng.sample(cities, 2)
        result.append(Career(name=name, deputy_city=first, mayor_city=second))
    return result


def _province(city: str) -> str:
    return dict(CITIES)[city]


def article_text(rng: random.Random, year: int, month: int, people: list[Career]) -> tuple[str, str]:
    """(headline, body) of one article dated ``year``-``month``."""
    city, province = rng.choice(CITIES)
    short = city.removesuffix("市")
    first, second = rng.sample(AGENCIES, 2)
    topic = rng.choice(TOPICS)
    law = rng.choice(LAWS)
    mayor = rng.choice([c for c in people if c.mayor_city == city] or people)
    deputy = rng.choice(people)
    day = rng.randint(1, 27)
    items = rng.randint(40, 300)
    sentences = [
        (f"{year - 1}年{month}月,{city}{first}、市{second}联合印发《{city}{topic}清单》,"
         f"其中依法确定不予处罚事项{items}项。"),
        f"今年{month}月,{short}又推出{topic}清单2.0版,共涉及{items + rng.randint(10, 90)}项行政处罚事项。",
        f"“{rng.choice(QUOTES)}。”时任{city}市长{mayor.name}说。",
        f"{month}月{day}日,{city}人民政府召开常务会议,专题学习《{law}》。",
        f"原{deputy.deputy_city}副市长{deputy.name}此前在{province}工作期间推动了相关制度建设。",
        f"{year - 1}年全市被诉行政机关负责人平均出庭率达到{rng.randint(80, 99)}%以上。",
    ]
    rng.shuffle(sentences[3:])
    headline = f"{province}{short}持续推进法治政府建设"
    return headline, "".join(sentences[: rng.randint(4, 6)])


def write_corpus(folder: Path, count: int = 50, seed: int = 5) -> list[Path]:
    """Write ``count`` plain-text articles named ``YYYY-MM-DD-<n>.txt`` into ``folder``; return their paths."""
    rng = random.Random(seed)
    people = careers(rng)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        year, month = rng.choice((2019, 2020, 2021, 2022)), rng.randint(1, 12)
        headline, body = article_text(rng, year, month, people)
        path = folder / f"{year}-{month:02d}-{rng.randint(1, 28):02d}-{number:03d}.txt"
        path.write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths
