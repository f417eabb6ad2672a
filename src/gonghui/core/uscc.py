"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

18 characters from the 31-character set 0-9 A-H J-N P-R T-U W-Y: registration
authority (1), organisation category (1), administrative division (6),
organisation code (9, GB 11714 with its own check character), check character (1).
"""

from __future__ import annotations

import random

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class UsccError(ValueError):
    pass


def check_char(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_code_check(first8: str) -> str:
    """GB 11714 check character of the 9-character organisation code."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def normalise(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def validate(raw: str) -> str:
    """Return the normalised code or raise ``UsccError`` with a Chinese message."""
    code = normalise(raw)
    if len(code) != 18:
        raise UsccError(f"统一社会信用代码应为18位，当前为{len(code)}位")
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        raise UsccError(f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用I、O、Z、S、V）")
    if check_char(code[:17]) != code[17]:
        raise UsccError("统一社会信用代码校验位不正确，请核对是否抄错")
    return code


def generate(rng: random.Random, region: str, category: str = "91") -> str:
    """A synthetic valid code: ``91`` = enterprise registered with market regulation."""
    body8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    org_code = body8 + org_code_check(body8)
    first17 = f"{category}{region}{org_code}"
    if any(c not in VALUES for c in first17):  # org check 'X' is fine; guard others
        return generate(rng, region, category)
    return first17 + check_char(first17)
