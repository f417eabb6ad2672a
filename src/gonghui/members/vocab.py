"""Coded columns of the member template (the 字典 sheet): English codes, Chinese labels.

The default vocabulary is the one of CONTRACT.md; a deployment may add values
(``MEMBER_VOCABULARY_EXTRA`` in settings: ``{"education": {"doctorate": "博士"}}``)
but never remove these. 除名 (expel) is such an addition, so an exported expelled
member re-imports unchanged.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

# column key -> (template header, {code: label})
DEFAULTS: dict[str, tuple[str, dict[str, str]]] = {
    "id_type": ("有效证件类别", {
        "resident_id": "居民身份证",
        "hk_macau_permit": "港澳居民来往内地通行证",
        "taiwan_permit": "台湾居民来往大陆通行证",
        "foreign_permanent_id": "外国人永久居留身份证",
        "passport": "护照",
    }),
    "gender": ("性别", {"male": "男", "female": "女"}),
    "employment_status": ("就业状况", {
        "employed": "在岗", "flexible": "灵活就业", "new_form": "新就业形态", "off_post": "离岗",
        "unemployed": "失业", "retired": "退休",
    }),
    "education": ("学历", {
        "postgraduate": "研究生", "bachelor": "大学本科", "college": "大学专科", "secondary_vocational": "中专",
        "technical_school": "技校", "high_school": "高中", "junior_high": "初中", "primary_or_below": "小学及以下",
    }),
    "skill_level": ("技能等级", {
        "senior_technician": "高级技师", "technician": "技师", "senior": "高级工", "intermediate": "中级工",
        "junior": "初级工", "none": "无",
    }),
    "household_type": ("户籍类型", {
        "agricultural": "农业户口", "non_agricultural": "非农业户口", "resident": "居民户口",
    }),
    "change_type": ("会籍变化类型", {
        "join": "入会", "transfer_in": "转入", "transfer_out": "转出", "retain": "保留会籍", "leave": "退会",
        "restore": "恢复会籍", "expel": "除名",
    }),
    "political_status": ("政治面貌", {
        "cpc_member": "中共党员", "cpc_probationary": "中共预备党员", "cyl_member": "共青团员",
        "democratic_party": "民主党派", "non_party": "无党派人士", "masses": "群众",
    }),
    "is_migrant": ("是否农民工", {"yes": "是", "no": "否"}),
}

# The 56 ethnic groups (民族), in the order of GB 3304.
ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族",
]
ETHNICITY_SET = frozenset(ETHNICITIES)


@cache
def _merged() -> dict[str, dict[str, str]]:
    extra: dict[str, dict[str, str]] = getattr(settings, "MEMBER_VOCABULARY_EXTRA", {}) or {}
    return {key: {**values, **extra.get(key, {})} for key, (_h, values) in DEFAULTS.items()}


def choices(kind: str) -> dict[str, str]:
    """{code: label} of one coded column."""
    return _merged()[kind]


@cache
def by_label(kind: str) -> dict[str, str]:
    """{label: code} of one coded column."""
    return {label: code for code, label in _merged()[kind].items()}


def label(kind: str, code: str | None) -> str:
    if not code:
        return ""
    return _merged()[kind].get(code, code)


def header(kind: str) -> str:
    return DEFAULTS[kind][0]


def normalise_ethnicity(value: str) -> str | None:
    """The ethnic group's full name: 汉 is read as 汉族; None when it is not one of the 56."""
    if value in ETHNICITY_SET:
        return value
    if value + "族" in ETHNICITY_SET:
        return value + "族"
    return None


def dictionary_rows() -> list[tuple[str, list[str]]]:
    """(header, allowed labels) for the 字典 sheet, coded columns then 民族."""
    rows = [(h, list(_merged()[key].values())) for key, (h, _v) in DEFAULTS.items()]
    rows.insert(8, ("民族", list(ETHNICITIES)))
    return rows
