"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

18 characters: 6-digit region code, 8-digit birth date, 3-digit sequence (odd for
men, even for women), and an ISO 7064 MOD 11-2 check character (0-9 or X).
Old 15-digit numbers (2-digit year, no check character) are converted.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from operator import mul

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
    "83": "台湾地区（居住证）",
}


class IdNumberError(ValueError):
    """A rejected ID number, with the import error code and a Chinese message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class IdNumber:
    number: str
    birth_date: dt.date
    gender: str  # "male" | "female"

    @property
    def province(self) -> str:
        return PROVINCES[self.number[:2]]


def check_char(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError("check_char needs the first 17 digits")
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]  # map/mul: bulk imports call this per row


def _birth(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def parse(raw: str, today: dt.date | None = None) -> IdNumber:
    """Validate and normalise an ID number (upper-case X, 15 → 18 digits); ``today`` for bulk callers."""
    number = raw.strip().upper()
    if len(number) == 15 and number.isdigit():
        body = number[:6] + "19" + number[6:]
        number = body + check_char(body)
    elif len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("id_format", "身份证号码应为18位（最后一位可为X）或15位数字，请核对后重新填写")
    elif check_char(number[:17]) != number[17]:
        raise IdNumberError("id_checksum", "身份证号码校验位不正确，请核对号码是否抄错")
    if number[:2] not in PROVINCES:
        raise IdNumberError("id_region", f"身份证号码前两位“{number[:2]}”不是有效的省级行政区划代码")
    birth = _birth(number[6:14])
    if birth is None or birth > (today or dt.date.today()) or birth.year < 1900:
        raise IdNumberError("id_birthdate", f"身份证号码中的出生日期“{number[6:14]}”不是有效日期")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumber(number, birth, gender)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def generate(rng: random.Random, region: str, birth: dt.date, gender: str) -> str:
    """A synthetic, valid-format number (for demo data and tests; not a real person)."""
    seq = rng.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)
