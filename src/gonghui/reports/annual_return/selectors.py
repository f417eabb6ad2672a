"""Reads of annual returns, always for an acting user (out of scope: NotFound)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gonghui.core.scope import Scope
from gonghui.reports.annual_return import compute
from gonghui.reports.annual_return.models import AnnualReturn, CheckResult, ReturnValue


def visible_returns(user: Any, cap: str = "reports.view") -> QuerySet[AnnualReturn]:
    return Scope.of(user).filter(AnnualReturn.objects.select_related("org"), cap)


def returns_within(user: Any, org: Any, year: int | None = None) -> QuerySet[AnnualReturn]:
    """Returns of the union and its subtree that the user may see."""
    qs = visible_returns(user).filter(org__path__startswith=org.path)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "org__path")


def get_return(user: Any, code: str, year: int, cap: str = "reports.view") -> AnnualReturn:
    """One union's return for a statistical year, or NotFound."""
    return Scope.of(user).get(AnnualReturn.objects.select_related("org", "submitted_by", "reviewed_by"), cap,
                              org__code=code, year=year)


def values_of(user: Any, ret: AnnualReturn) -> QuerySet[ReturnValue]:
    return Scope.of(user).filter(ReturnValue.objects.filter(annual_return=ret), "reports.view")


def checks_of(user: Any, ret: AnnualReturn) -> QuerySet[CheckResult]:
    return Scope.of(user).filter(CheckResult.objects.filter(annual_return=ret), "reports.view")


@dataclass(frozen=True)
class ChildRow:
    org: Any
    ret: AnnualReturn | None
    missing_reason: str


def children_status(user: Any, org: Any, year: int, missing: dict[str, str] | None = None) -> list[ChildRow]:
    """The unions directly below that file a return, with their return for the year (if visible)."""
    scope = Scope.of(user)
    kids = [k for k in compute.filing_children(org, year) if scope.allows_org(k, "reports.view")]
    by_org = {r.org_id: r for r in visible_returns(user).filter(org__in=kids, year=year)}
    missing = missing or {}
    return [ChildRow(k, by_org.get(k.pk), missing.get(k.code, "")) for k in kids]
