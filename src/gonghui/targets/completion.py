"""Completion of a target: rate and status from the actual figure and the target value (pure functions)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ONE_DECIMAL = Decimal("0.1")


class CompletionStatus(StrEnum):
    """GLOSSARY ``completion_status``; 基本完成 has no threshold in METRICS.md and is not used here."""

    EXCEEDED = "exceeded"  # 超额完成: actual above the target (rate over 100 %)
    COMPLETED = "completed"  # 完成: exactly the target
    NOT_COMPLETED = "not_completed"  # 未完成: below it

    @property
    def label(self) -> str:
        return {"exceeded": "超额完成", "completed": "完成", "not_completed": "未完成"}[self.value]

    @property
    def badge(self) -> str:
        return {"exceeded": "bg-green", "completed": "bg-blue", "not_completed": "bg-orange"}[self.value]


def rate(actual: Decimal | int | None, target: Decimal | int) -> Decimal:
    """完成率 = actual ÷ target × 100, one decimal (METRICS.md "Rates")."""
    return (Decimal(actual or 0) * 100 / Decimal(target)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def status(actual: Decimal | int | None, target: Decimal | int) -> CompletionStatus:
    """Decided on the exact values, not the rounded rate: 100.04 % is still 超额完成."""
    a, t = Decimal(actual or 0), Decimal(target)
    if a > t:
        return CompletionStatus.EXCEEDED
    if a == t:
        return CompletionStatus.COMPLETED
    return CompletionStatus.NOT_COMPLETED
