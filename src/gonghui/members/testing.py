"""Test and benchmark helpers for members: valid synthetic people and member workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import xlsxwriter

from gonghui.core import demo_data, idnumber
from gonghui.members import services
from gonghui.members.importers import TEMPLATE_HEADERS
from gonghui.members.models import Member
from gonghui.orgs.models import Org

_rng = random.Random(11)
_seq = itertools.count(1)


def unique_id(gender: str = "male") -> str:
    """A valid ID number not used before in this process (birth dates one day apart)."""
    n = next(_seq)
    return idnumber.generate(_rng, "440106", dt.date(1970, 1, 1) + dt.timedelta(days=n), gender)


def id_number(birth: dt.date = dt.date(1985, 3, 12), gender: str = "male", region: str = "440106",
              rng: random.Random | None = None) -> str:
    return idnumber.generate(rng or _rng, region, birth, gender)


def person_row(rng: random.Random | None = None, **overrides: Any) -> dict[str, Any]:
    """One valid template row (as header -> value)."""
    r = rng or _rng
    gender = r.choice(["male", "female"])
    birth = dt.date(r.randint(1965, 2002), r.randint(1, 12), r.randint(1, 28))
    row: dict[str, Any] = {
        "姓名": demo_data.person_name(r, gender), "性别": "男" if gender == "male" else "女",
        "出生日期": birth.isoformat(), "民族": "汉族", "就业状况": "在岗", "有效证件类别": "居民身份证",
        "证件号码": idnumber.generate(r, r.choice(demo_data.LOCAL_REGIONS), birth, gender), "学历": "高中",
        "技能等级": "中级工", "移动电话": demo_data.mobile(r), "户籍类型": "非农业户口", "户籍所在地": "广东省广州市",
        "会籍变化类型": "入会", "会籍变化日期": "2024-05-06", "会籍变化原因": "", "政治面貌": "群众",
        "工作单位": "广州测试有限公司", "籍贯": "广东广州", "是否农民工": "否",
    }
    row.update(overrides)
    return row


def write_xlsx(path: Path, rows: Iterable[Mapping[str, Any]], *, headers: list[str] | None = None,
               above: list[list[str]] | None = None, numeric_ids: bool = False) -> Path:
    """A member workbook: optional title rows above the header, then one row per mapping.

    Values are written as their Python type: str as text, date as an Excel date,
    int/float as numbers (``numeric_ids`` writes ID numbers as numbers, as Excel does).
    """
    heads = headers or TEMPLATE_HEADERS
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("会员信息")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    r = 0
    for line in above or []:
        for c, v in enumerate(line):
            ws.write_string(r, c, v)
        r += 1
    for c, h in enumerate(heads):
        ws.write_string(r, c, h)
    for n, row in enumerate(rows, start=1):
        r += 1
        for c, h in enumerate(heads):
            v = row.get(h, n if h == "序号" else None)
            if v is None or v == "":
                continue
            if numeric_ids and h == "证件号码" and isinstance(v, str) and v[:17].isdigit():
                ws.write_number(r, c, float(v[:17] + "0"))
            elif isinstance(v, dt.date):
                ws.write_datetime(r, c, v, date_fmt)
            elif isinstance(v, int | float):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
    wb.close()
    return path


def write_csv(path: Path, rows: Iterable[Mapping[str, Any]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(TEMPLATE_HEADERS)
        for n, row in enumerate(rows, start=1):
            w.writerow([row.get(h, n if h == "序号" else "") for h in TEMPLATE_HEADERS])
    return path


def make_member(org: Org, *, joined_on: dt.date = dt.date(2024, 3, 1), name: str = "测试会员",
                number: str | None = None, **values: Any) -> Member:
    """A member admitted through the real service (no acting user: set-up)."""
    return services.join_member(None, org, id_number=number or unique_id(), name=name, joined_on=joined_on,
                                **values)
