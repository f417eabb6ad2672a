"""Reads of annual returns, always for an acting user (out of scope: NotFound)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gonghui.core.scope import Scope
from gonghui.reports.annual_return import checks, compute, definition, excel, state
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


def sheet_for(user: Any, ret: AnnualReturn) -> excel.ReturnSheet:
    """The workbook contents of a stored return (frozen values once accepted)."""
    Scope.of(user).require(ret, "reports.view")
    form = state.form_of(ret)
    results = checks_of(user, ret).order_by("severity", "check_id", "row", "column")
    kids = state.children_returns(ret) if ret.is_aggregate else []
    return excel.ReturnSheet(
        form=form, org_code=ret.org.code, org_name=ret.org.name, year=ret.year, status=ret.get_status_display(),
        filled=state.load_cells(ret), aggregate=ret.is_aggregate, principal=ret.principal, preparer=ret.preparer,
        phone=ret.phone, submitted_on=f"{ret.submitted_at:%Y-%m-%d}" if ret.submitted_at else "",
        checks=[(r.check_id, r.get_severity_display(), r.message, r.explanation) for r in results],
        missing=[(k.code, k.name, ret.missing_children[k.code]) for k, _r in kids if k.code in ret.missing_children],
        children=[(k.code, k.name, r.get_status_display() if r else "尚未填报") for k, r in kids],
    )


def transient_sheet(user: Any, org: Any, year: int) -> excel.ReturnSheet:
    """A return drafted from records without saving it (``gonghui report annual-return`` before one exists)."""
    Scope.of(user).require_org(org, "reports.view")
    form = definition.load()
    aggregate = compute.is_aggregate(org)
    filled = compute.blank(form, org, aggregate)
    for key, value in compute.own_figures(user, form, org, year, aggregate).items():
        filled.cells[key].computed = filled.cells[key].own = value
    ret = AnnualReturn(org=org, year=year, is_aggregate=aggregate)
    kids = state.children_returns(ret) if aggregate else []
    if aggregate:
        sums, _included = state.children_sums(form, ret)
        for key, value in sums.items():
            filled.cells[key].children = value
    compute.recompute(form, filled, aggregate)
    found = checks.run(form, filled, aggregate=aggregate, prev=state.previous(ret),
                       children=[checks.ChildState(k.code, k.name, r.status if r else "",
                                                   r.get_status_display() if r else "尚未填报") for k, r in kids])
    return excel.ReturnSheet(
        form=form, org_code=org.code, org_name=org.name, year=year, status="未保存的草稿（按记录生成）",
        filled=filled, aggregate=aggregate,
        checks=[(f.check_id, "错误" if f.severity == "E" else "提示", f.message, "") for f in found],
        children=[(k.code, k.name, r.get_status_display() if r else "尚未填报") for k, r in kids],
    )
