"""Figures in Chinese prose, as the seed summaries write them (METRICS.md "Qualifier and rounding rules").

Pure functions, no database: ``render`` turns a base-unit value (元, 人, 家 …, or a
rate in %) into the printed figure and says which qualifier it chose
(GLOSSARY ``Figure.qualifier``: exact / over / nearly / approx / at_least).
A template *asks* for a qualifier (余, 多, 近, 约, 以上); the rules decide whether
it applies, and fall back to the exact value when it does not.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

Number = int | float | Decimal


class Qualifier(StrEnum):
    EXACT = "exact"
    OVER = "over"  # 余 / 多
    NEARLY = "nearly"  # 近
    APPROX = "approx"  # 约
    AT_LEAST = "at_least"  # 以上


# What a template may ask for, by the word it prints.
REQUESTS = {"余": Qualifier.OVER, "多": Qualifier.OVER, "近": Qualifier.NEARLY, "约": Qualifier.APPROX,
            "以上": Qualifier.AT_LEAST}
MONEY_UNITS = ("元", "万元")  # values are always in 元 (CONTRACT.md: base unit, no 万 scaling)
RATE_UNITS = ("%",)
WAN = Decimal(10_000)
AMOUNT_WAN_FROM = Decimal(10_000)  # amounts from 1万元 are printed in 万元
COUNT_WAN_FROM = Decimal(100_000)  # persons (and other counts) from 10万 may go to 万


@dataclass(frozen=True, slots=True)
class Printed:
    text: str  # "1200余人", "5.6万余元", "96%以上"
    qualifier: Qualifier


def plain(value: Number) -> str:
    """A number without exponent, thousands separators or trailing zeros: 12.50 → "12.5"."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if d == d.to_integral_value():
        return str(int(d))
    text = format(d.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _magnitude(d: Decimal) -> int:
    """Number of digits before the decimal point (1 for values under 10)."""
    return max(len(str(int(abs(d)))), 1)


def round_sig(value: Decimal, figures: int, rounding: str) -> Decimal:
    """Round to ``figures`` significant figures (integers only: never below the units digit)."""
    exponent = max(_magnitude(value) - figures, 0)
    step = Decimal(10) ** exponent
    return (value / step).quantize(Decimal(1), rounding=rounding) * step


def _is_money(unit: str) -> bool:
    return unit in MONEY_UNITS


def _scaled(value: Decimal, unit: str, *, rounded: bool) -> tuple[str, str, bool]:
    """(number text, unit text, in 万) for a value already rounded as it will print."""
    if _is_money(unit):
        if value >= AMOUNT_WAN_FROM:
            return plain(value / WAN), "万元", True
        return plain(value), "元", False
    if value >= COUNT_WAN_FROM and (rounded or value % 1000 == 0):
        return plain(value / WAN), f"万{unit}", True
    return plain(value), unit, False


def _with_word(value: Decimal, unit: str, word: str) -> str:
    """Place 余/多 as the seed does: 1200余人, 120余万元, 5.6万余元, 3万多份, 12万余人."""
    number, unit_text, in_wan = _scaled(value, unit, rounded=True)
    if in_wan:
        rest = unit_text.removeprefix("万")
        if _is_money(unit) and "." not in number and int(number) >= 10:
            return f"{number}{word}万{rest}"
        return f"{number}万{word}{rest}"
    return f"{number}{word}{unit_text}"


def _near_text(value: Decimal, unit: str) -> str:
    if not _is_money(unit) and value == WAN:
        return f"万{unit}"  # 近万人, not 近10000人
    number, unit_text, in_wan = _scaled(value, unit, rounded=True)
    if in_wan and number == "1":
        return f"万{unit_text.removeprefix('万')}"  # 近万元, not 近1万元
    return f"{number}{unit_text}"


def render(value: Number, unit: str, request: str = "", *, unit_text: str = "") -> Printed:
    """Print ``value`` (in the metric's base unit) with the qualifier the template asks for, if the rules allow.

    ``request`` is "" (exact), 余, 多, 近, 约 or 以上; ``unit_text`` prints another word for the
    unit (名 for 人). Counts under 10 never take a qualifier; 余 never goes on a round value.
    """
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    shown_unit = unit_text or unit
    if unit in RATE_UNITS:
        return _render_rate(d, request)
    if d < 0:
        raise ValueError("figures in a summary are never negative")
    want = REQUESTS.get(request, Qualifier.EXACT) if request else Qualifier.EXACT
    if request and request not in REQUESTS:
        raise ValueError(f"unknown qualifier {request!r}")
    small = d < 10 and not _is_money(unit)
    if want is Qualifier.EXACT or small:
        return _exact(d, unit, shown_unit)
    if want is Qualifier.OVER:
        rounded = round_sig(d, 2, ROUND_FLOOR)
        if rounded == d:
            return _exact(d, unit, shown_unit)
        return Printed(_with_word(rounded, _unit_for(unit, shown_unit), request), Qualifier.OVER)
    if want is Qualifier.NEARLY:
        for figures in (1, 2):
            target = round_sig(d, figures, ROUND_CEILING)
            if target == d:
                return _exact(d, unit, shown_unit)
            if d >= target * Decimal("0.9"):
                return Printed(f"近{_near_text(target, _unit_for(unit, shown_unit))}", Qualifier.NEARLY)
        return _exact(d, unit, shown_unit)
    if want is Qualifier.APPROX:
        rounded = round_sig(d, 2, ROUND_HALF_UP)
        if rounded == d:
            return _exact(d, unit, shown_unit)
        number, text_unit, _ = _scaled(rounded, _unit_for(unit, shown_unit), rounded=True)
        return Printed(f"约{number}{text_unit}", Qualifier.APPROX)
    # at least: truncate to a round figure (two significant figures from 100, one below)
    floor = round_sig(d, 2 if d >= 100 else 1, ROUND_FLOOR)
    if floor == d:
        return _exact(d, unit, shown_unit)
    number, text_unit, _ = _scaled(floor, _unit_for(unit, shown_unit), rounded=True)
    return Printed(f"{number}{text_unit}以上", Qualifier.AT_LEAST)


def _unit_for(unit: str, shown: str) -> str:
    return unit if _is_money(unit) else shown


def _exact(d: Decimal, unit: str, shown_unit: str) -> Printed:
    if _is_money(unit) and d >= AMOUNT_WAN_FROM:
        in_wan = d / WAN
        two = in_wan.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if two == in_wan:
            return Printed(f"{plain(two)}万元", Qualifier.EXACT)
        # more precision than 万元 with two decimals can show: rounded to nearest, so 约 (one qualifier)
        return Printed(f"约{plain(two)}万元", Qualifier.APPROX)
    if _is_money(unit):
        return Printed(f"{plain(d.quantize(Decimal('0.01')))}元", Qualifier.EXACT)
    number, text_unit, _ = _scaled(d, shown_unit, rounded=False)
    return Printed(f"{number}{text_unit}", Qualifier.EXACT)


def _render_rate(d: Decimal, request: str) -> Printed:
    one = d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if request == "以上":
        floor = d.quantize(Decimal(1), rounding=ROUND_DOWN)
        if floor != d:
            return Printed(f"{plain(floor)}%以上", Qualifier.AT_LEAST)
    elif request == "约":
        whole = d.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if whole != d:
            return Printed(f"约{plain(whole)}%", Qualifier.APPROX)
    if one != d:
        return Printed(f"约{plain(one)}%", Qualifier.APPROX)
    return Printed(f"{plain(one)}%", Qualifier.EXACT)


# -- year over year, completion -------------------------------------------------------------


def yoy_change(current: Number, previous: Number | None) -> Decimal | None:
    """Percentage change against the previous year, one decimal; None without a base to compare with."""
    if previous is None:
        return None
    prev = Decimal(str(previous))
    if prev == 0:
        return None
    cur = Decimal(str(current))
    return ((cur - prev) * 100 / prev).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def yoy_phrase(current: Number, previous: Number | None) -> str | None:
    """同比增长12.5% / 同比下降3% / 与上年持平; None when the previous year gives no base."""
    change = yoy_change(current, previous)
    if change is None:
        return None
    if Decimal(str(current)) == Decimal(str(previous)):
        return "与上年持平"
    if change == 0:
        return "与上年基本持平"
    if change > 0:
        return f"同比增长{plain(change)}%"
    return f"同比下降{plain(-change)}%"


class CompletionStatus(StrEnum):
    EXCEEDED = "exceeded"  # 超额完成: above 100 %
    COMPLETED = "completed"  # 完成 (全面完成 when every target of the union is met)
    LARGELY_COMPLETED = "largely_completed"  # 基本完成: only with a configured threshold
    NOT_COMPLETED = "not_completed"


def completion_status(rate: Number, largely_threshold: Number | None = None) -> CompletionStatus:
    r = Decimal(str(rate))
    if r > 100:
        return CompletionStatus.EXCEEDED
    if r == 100:
        return CompletionStatus.COMPLETED
    if largely_threshold is not None and r >= Decimal(str(largely_threshold)):
        return CompletionStatus.LARGELY_COMPLETED
    return CompletionStatus.NOT_COMPLETED


def completion_phrase(rate: Number, largely_threshold: Number | None = None) -> tuple[CompletionStatus, str]:
    """Wording for one target: 超额完成全年任务（完成率125%）… METRICS sets no threshold for 基本完成:
    without one configured the rate is printed instead (GLOSSARY)."""
    status = completion_status(rate, largely_threshold)
    shown = _render_rate(Decimal(str(rate)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "").text
    return status, {
        CompletionStatus.EXCEEDED: f"超额完成全年任务，完成率{shown}",
        CompletionStatus.COMPLETED: "完成全年任务",
        CompletionStatus.LARGELY_COMPLETED: f"基本完成全年任务，完成率{shown}",
        CompletionStatus.NOT_COMPLETED: f"完成全年任务的{shown}",
    }[status]


def overall_completion(rates: list[Number]) -> str | None:
    """全面完成 when every target of the union is at 100 % or more (GLOSSARY); else nothing to claim."""
    if rates and all(Decimal(str(r)) >= 100 for r in rates):
        return "全面完成上级下达的各项目标任务"
    return None


def number_in_chinese(n: int) -> str:
    """Section numbers: 1 → 一, 12 → 十二 (up to 99)."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"


decimal.getcontext().prec = 28
