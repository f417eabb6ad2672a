"""Believable synthetic people and employers for demo data and tests (never real persons)."""

from __future__ import annotations

import datetime as dt
import random

from gonghui.core import idnumber

# Frequent surnames, weighted roughly by their share in the population.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = [max(1.0, 30 - i * 0.4) for i in range(len(SURNAMES))]
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建志文国庆东海峰亮成晨昊然博睿"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英华慧巧美婷雪琳晶颖倩洁燕丹萍红玉兰梅莉琴云莹悦欣怡佳琪婉薇蕾妍"

# Birth-place region codes: Guangzhou districts and the provinces many migrant workers come from.
LOCAL_REGIONS = ["440106", "440104", "440105", "440103", "440111", "440112", "440113", "440114", "440118"]
MIGRANT_REGIONS = [
    "452101", "452122", "450881", "430521", "430624", "431021", "431126", "362426", "362201", "360735",
    "512922", "511623", "513030", "522126", "522425", "420621", "421081", "411326", "412724", "441581",
    "441522", "445122", "440882", "440923", "441821",
]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
                   "157", "158", "159", "166", "170", "176", "177", "180", "181", "182", "185", "186", "187",
                   "188", "189", "191", "198", "199"]

ETHNICITIES_WEIGHTED = [("汉族", 960), ("壮族", 14), ("瑶族", 4), ("土家族", 6), ("苗族", 5), ("回族", 4),
                        ("满族", 3), ("侗族", 2), ("畲族", 1), ("黎族", 1)]

NAME_WORDS = [
    "华南", "粤海", "珠江", "羊城", "穗华", "南方", "岭南", "越秀", "天河", "恒通", "宏达", "信达", "嘉华", "鸿运",
    "金穗", "广丰", "汇智", "盈科", "新创", "中联", "德信", "星辰", "启航", "立信", "合众", "锦程", "卓越", "华信",
    "和盛", "同益", "佳禾", "明德", "荣泰", "永安", "泰和", "瑞丰", "骏达", "美达", "兴业", "海印", "东方", "凯旋",
    "万博", "正佳", "丰盛", "鼎盛", "博雅", "弘毅", "汇丰", "粤通", "宏图", "瀚海", "云帆", "安达", "捷顺", "晟世",
]
BUSINESS_BY_INDUSTRY = {
    "C": ["电子科技", "精密机械", "食品", "服装", "塑胶制品", "汽车零部件", "五金制品", "包装材料", "医疗器械",
          "化妆品"],
    "E": ["建筑工程", "装饰工程", "市政工程", "建设集团"],
    "F": ["商贸", "百货", "医药连锁", "贸易", "超市"],
    "G": ["物流", "快递服务", "运输", "供应链管理", "冷链物流", "出租汽车"],
    "H": ["餐饮管理", "酒店管理", "饮食服务"],
    "I": ["信息技术", "软件", "网络科技", "数据服务", "智能科技"],
    "K": ["物业管理", "房地产开发", "房地产经纪"],
    "L": ["人力资源服务", "保安服务", "商务咨询", "家政服务"],
    "M": ["检测技术", "工程设计", "环境科技"],
    "O": ["家政服务", "汽车维修", "美容美发"],
    "Q": ["医院", "康复护理", "养老服务"],
    "R": ["文化传播", "体育发展", "影视文化"],
}
FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"]
STREET_WORDS = ["天河路", "黄埔大道", "中山大道", "广州大道", "体育西路", "珠江新城花城大道", "科韵路", "员村二横路",
                "东风中路", "环市东路", "新港中路", "工业大道", "广园中路", "沙太路", "市桥大北路", "开创大道",
                "科学大道", "萝岗香雪大道", "云城东路", "机场路"]


def person_name(rng: random.Random, gender: str) -> str:
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    pool = GIVEN_MALE if gender == "male" else GIVEN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return surname + given


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def ethnicity(rng: random.Random) -> str:
    names, weights = zip(*ETHNICITIES_WEIGHTED, strict=True)
    return rng.choices(names, weights=weights)[0]


def birth_date(rng: random.Random, on: dt.date, min_age: int = 18, max_age: int = 60) -> dt.date:
    start = on.replace(year=on.year - max_age) + dt.timedelta(days=1)
    end = on.replace(year=on.year - min_age) - dt.timedelta(days=1)
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def id_number(rng: random.Random, birth: dt.date, gender: str, migrant: bool) -> str:
    region = rng.choice(MIGRANT_REGIONS if migrant else LOCAL_REGIONS)
    return idnumber.generate(rng, region, birth, gender)


def company_name(rng: random.Random, industry: str, city: str = "广州") -> str:
    business = rng.choice(BUSINESS_BY_INDUSTRY.get(industry, ["实业"]))
    brand = rng.choice(NAME_WORDS)
    if rng.random() < 0.4:  # a coined brand from two familiar characters, as many firms have
        brand = rng.choice(NAME_WORDS)[0] + rng.choice(NAME_WORDS)[1]
    return f"{city}{brand}{business}{rng.choice(FORMS)}"


def address(rng: random.Random, district: str) -> str:
    return f"广州市{district}{rng.choice(STREET_WORDS)}{rng.randint(1, 999)}号"
