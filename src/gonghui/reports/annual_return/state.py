"""Reading a return's state: its cells, last year's values, its children and the checks as they stand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from gonghui.reports.annual_return import checks, compute, definition
from gonghui.reports.annual_return.compute import Cell, Filled, Key
from gonghui.reports.annual_return.definition import Form
from gonghui.reports.annual_return.models import ACCEPTED, AnnualReturn, ReturnValue


def form_of(ret: AnnualReturn) -> Form:
    return definition.load(ret.form_code)


def load_cells(ret: AnnualReturn) -> Filled:
    filled = Filled()
    for v in ReturnValue.objects.filter(annual_return=ret):
        filled.cells[(v.row, v.column)] = Cell(v.row, v.column, v.origin, v.computed, v.own, v.children, v.value,
                                               v.reason)
    return filled


def accepted_values(ret: AnnualReturn) -> dict[Key, Decimal | None]:
    rows = ReturnValue.objects.filter(annual_return=ret).values_list("row", "column", "value")
    return {(r, c): v for r, c, v in rows}


def previous(ret: AnnualReturn) -> dict[Key, Decimal | None] | None:
    """Last year's accepted return of the same union (``prev[…]`` of the checks), if any."""
    last = AnnualReturn.objects.filter(org=ret.org, year=ret.year - 1, status__in=ACCEPTED).first()
    return accepted_values(last) if last is not None else None


def children_returns(ret: AnnualReturn) -> list[tuple[Any, AnnualReturn | None]]:
    kids = compute.filing_children(ret.org, ret.year)
    by_org = {r.org_id: r for r in AnnualReturn.objects.filter(org__in=kids, year=ret.year)}
    return [(kid, by_org.get(kid.pk)) for kid in kids]


def children_sums(form: Form, ret: AnnualReturn) -> tuple[dict[Key, Decimal], list[AnnualReturn]]:
    included = [r for _kid, r in children_returns(ret) if r is not None and r.is_accepted]
    sums: dict[Key, Decimal] = {(row.code, col.code): Decimal(0) for row, col in form.cells() if not row.is_ratio}
    rows = (ReturnValue.objects.filter(annual_return__in=included).values("row", "column")
            .annotate(total=Sum("value")).order_by())
    for item in rows:
        key = (item["row"], item["column"])
        if key in sums:
            sums[key] = Decimal(item["total"] or 0)
    return sums, included


def stale(form: Form, ret: AnnualReturn, filled: Filled) -> bool:
    sums, _ = children_sums(form, ret)
    return any((filled.cells[k].children or 0) != v for k, v in sums.items() if k in filled.cells)


def findings(ret: AnnualReturn, filled: Filled | None = None) -> list[checks.Finding]:
    """The failed checks of a return as it stands."""
    form = form_of(ret)
    filled = filled or load_cells(ret)
    states: list[checks.ChildState] = []
    is_stale = False
    if ret.is_aggregate:
        for kid, child in children_returns(ret):
            states.append(checks.ChildState(kid.code, kid.name, child.status if child else "",
                                            child.get_status_display() if child else "尚未填报",
                                            ret.missing_children.get(kid.code, "")))
        is_stale = stale(form, ret, filled)
    return checks.run(form, filled, aggregate=ret.is_aggregate, prev=previous(ret), children=states,
                      stale_children=is_stale)
