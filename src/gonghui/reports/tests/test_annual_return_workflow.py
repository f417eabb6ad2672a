"""The annual return across three levels: grassroots → street → district (fill, check, submit, return,
resubmit, accept, aggregate), with the permissions of each level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gonghui.core.models import AuditLog
from gonghui.members.testing import make_member
from gonghui.reports import registry
from gonghui.reports.annual_return import definition, services
from gonghui.reports.annual_return.definition import TOTAL
from gonghui.reports.annual_return.models import AnnualReturn, ReturnStatus, ReturnValue
from gonghui.reports.windows import Window
from gonghui.testing import make_user

pytestmark = pytest.mark.django_db
YEAR = 2025
D = dt.date


def value(ret: AnnualReturn, row: str, column: str = TOTAL) -> Decimal | None:
    return ReturnValue.objects.get(annual_return=ret, row=row, column=column).value


def complete(actor: Any, ret: AnnualReturn) -> AnnualReturn:
    """Fill every blank manual cell with 0 and explain every warning, as an officer would."""
    ret = services.fill_blanks_with_zero(actor, ret)
    warnings = {r.key: "已核实" for r in ret.check_results.filter(severity="W")}
    if warnings:
        ret = services.explain(actor, ret, warnings)
    return ret


@pytest.fixture
def records(world: Any) -> Any:
    make_member(world.union_a, joined_on=D(2024, 12, 1), is_migrant=True)
    make_member(world.union_a, joined_on=D(2025, 3, 1))
    make_member(world.union_a2, joined_on=D(2023, 3, 1))
    make_member(world.union_a, joined_on=D(2025, 11, 1))  # after 30 Sep 2025: next statistical year
    return world


def test_grassroots_prefill_equals_the_registry(records: Any) -> None:
    w = records
    ret = services.start_return(w.officer_a, w.union_a, YEAR)
    form = definition.load()
    window = Window.stats_year(YEAR)
    compared = 0
    for row in form.rows.values():
        if row.is_ratio or not row.from_records:
            continue
        fig = registry.evaluate(w.officer_a, row.key, w.union_a, window, filters=row.filters,
                                own_only=form.table_of(row.code).own_only)
        assert value(ret, row.code) == fig.value, row.code
        compared += 1
    assert compared >= 50
    assert value(ret, "2-04") == 2 and value(ret, "2-08") == 2 and value(ret, "2-06") == 1
    assert value(ret, "2-04", "c05") == 2 and value(ret, "2-04", "c02") == 2 and value(ret, "2-04", "c03") == 0
    assert value(ret, "2-15") == registry.evaluate(w.officer_a, "members.membership_rate", w.union_a, window).value
    assert value(ret, "4-19") is None  # rights records do not exist yet: typed by hand, never invented
    assert ret.status == ReturnStatus.DRAFT
    assert ret.check_results.filter(check_id="G-5").exists()


def test_three_levels(records: Any) -> None:
    w = records
    district_officer = make_user("district_officer", w.district_a, "officer")
    # fill and check at the grassroots
    ra = services.start_return(w.officer_a, w.union_a, YEAR)
    with pytest.raises(ValidationError, match="校验未通过"):
        services.submit(w.officer_a, ra)
    ra = complete(w.officer_a, ra)
    ra = services.set_values(w.officer_a, ra, [{"row": "2-03", "column": "c05", "value": "1"}])
    assert value(ra, "2-03") == 1  # the total follows the typed column
    assert ra.status == ReturnStatus.CHECKED, list(ra.check_results.values_list("message", flat=True))
    ra = services.submit(w.officer_a, ra)
    assert ra.status == ReturnStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.set_values(w.officer_a, ra, [{"row": "2-03", "column": "c05", "value": "2"}])
    # a grassroots officer cannot review its own return
    with pytest.raises(PermissionDenied):
        services.accept(w.officer_a, ra)
    # an officer of another branch does not even see it
    with pytest.raises(Http404):
        services.accept(w.officer_b, ra)
    # the street returns it with a reason; the union corrects and resubmits
    with pytest.raises(ValidationError):
        services.send_back(w.town_officer, ra, "  ")
    ra = services.send_back(w.town_officer, ra, "农民工人数请按用工台账核实")
    assert ra.status == ReturnStatus.RETURNED and ra.return_reason
    ra = services.set_values(w.officer_a, ra, [{"row": "2-03", "column": "c05", "value": "2"}])
    ra = services.submit(w.officer_a, ra)
    ra = services.accept(w.town_officer, ra)
    assert ra.status == ReturnStatus.ACCEPTED and ra.snapshot is not None
    assert ra.snapshot["values"]["2-03|c01"] == "2.00"

    # the street aggregates: union_a2 is missing until it is marked 未报
    rs = services.start_return(w.town_officer, w.street_a, YEAR)
    assert rs.is_aggregate
    ra.refresh_from_db()
    assert ra.status == ReturnStatus.AGGREGATED
    assert rs.check_results.filter(check_id="G-8", subject=w.union_a2.code).exists()
    rs = complete(w.town_officer, rs)
    with pytest.raises(ValidationError, match="乙公司"):
        services.submit(w.town_officer, rs)
    rs = services.mark_missing(w.town_officer, rs, w.union_a2.code, "企业停产，未报送")
    rs = services.submit(w.town_officer, rs)
    assert value(rs, "2-04") == value(ra, "2-04")  # the street itself has no members
    assert value(rs, "1-01") == 1 and value(rs, "2-03") == 2

    # the district accepts the street and aggregates
    with pytest.raises(PermissionDenied):
        services.accept(w.town_officer, rs)
    rs = services.accept(district_officer, rs)
    rd = services.start_return(district_officer, w.district_a, YEAR)
    rd = complete(district_officer, rd)
    for row in ("1-01", "2-01", "2-03", "2-04", "2-08", "3-05"):
        assert value(rd, row) == value(rs, row), row
    assert rd.status == ReturnStatus.CHECKED
    # every cell of each aggregate = the accepted child's cell + the union's own figure (ratios recomputed)
    form = definition.load()
    for upper, lower in ((rs, ra), (rd, rs)):
        cells = {(v.row, v.column): v for v in ReturnValue.objects.filter(annual_return=upper)}
        below = {(v.row, v.column): v.value for v in ReturnValue.objects.filter(annual_return=lower)}
        for (row, column), cell in cells.items():
            if form.rows[row].is_ratio:
                continue
            assert cell.children == (below[(row, column)] or 0), (upper.org.code, row, column)
            assert cell.value == (cell.children or 0) + (cell.own or 0), (upper.org.code, row, column)

    # the district returns the accepted street return: it leaves the district's sum
    rs = services.send_back(district_officer, rs, "请补报乙公司数据")
    rd.refresh_from_db()
    assert rd.status == ReturnStatus.DRAFT
    rd = services.run_checks(district_officer, rd)
    assert rd.check_results.filter(check_id="G-9").exists()
    rd = services.refresh(district_officer, rd)
    assert value(rd, "2-04") == 0
    assert AuditLog.objects.filter(object_type="reports.AnnualReturn", note__startswith="退回").count() == 2
