"""Cell normalisation and the field parsers of the member template (CONTRACT.md, 会员信息导入).

Every cell is trimmed, zero-width characters are removed and full-width letters
and digits are made half-width before any rule looks at it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# Full-width digits and Latin letters → half-width; the ideographic space → a space;
# zero-width characters (and the BOM) → removed.
_TABLE: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_TABLE.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_TABLE.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_TABLE.update({0x3000: 0x20, 0x00A0: 0x20, 0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None,
               0xFEFF: None, 0x180E: None, 0x00AD: None})
TABLE = _TABLE
# Characters ``text`` rewrites: a C-level scan finds them faster than translate() walks a string.
NEEDS_TRANSLATION = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]").search
# Header text: also drop every space and the asterisks that mark required columns.
_HEADER_TABLE = dict(_TABLE)
_HEADER_TABLE.update({0x20: None, 0x3000: None, 0x00A0: None, 0x09: None, 0x0A: None, 0x0D: None,
                      0x2A: None, 0xFF0A: None})


def text(value: Any) -> str:
    """A cell as normalised text ('' for empty); whole-number floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return (value.translate(_TABLE) if NEEDS_TRANSLATION(value) else value).strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def header(value: Any) -> str:
    return str(value).translate(_HEADER_TABLE) if value is not None else ""


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: Any) -> dt.date | None:
    """An Excel date cell, an Excel serial number, or text in one of the listed formats.

    Raises ValueError for anything else; returns None for an empty cell.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            value = str(int(value))  # 19850312 typed as a number
        elif 1 <= value < 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        else:
            raise ValueError(value)
    s = text(value)
    if not s:
        return None
    if len(s) == 10 and s[4] == "-" and s[7] == "-":  # 1985-03-12, the common case
        return dt.date.fromisoformat(s)
    m = _DATE_RE.match(s) or _COMPACT_RE.match(s)
    if m is None:
        raise ValueError(s)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


_PHONE_STRIP = re.compile(r"[\s\-－—()（）]")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def phone(value: str) -> str | None:
    """11 digits starting 13–19 after removing spaces, dashes and +86; None if invalid."""
    s = _PHONE_STRIP.sub("", value)
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    return s if _PHONE_RE.match(s) else None


# Chinese (incl. extension A and compatibility ideographs), Latin letters, the middle
# dots of transcribed names (买买提·艾力) and inner spaces of foreign names.
_LETTER = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z"
_NAME_RE = re.compile(f"^[{_LETTER}][{_LETTER}·•・.\\s]{{0,48}}[{_LETTER}]$")


def name_ok(value: str) -> bool:
    return bool(_NAME_RE.match(value))


def looks_like_excel_number(value: str) -> bool:
    """Text such as 4.40106E+17: an ID number that went through a numeric cell."""
    return bool(re.match(r"^\d(\.\d+)?[eE]\+?\d+$", value))
