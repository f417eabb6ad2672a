"""Every write on annual returns: scope check, validation, change and audit in one transaction.

The workflow of ANNUAL_RETURN.md §1: a return is opened and prefilled from records
(``start_return``), refreshed from records and edited while a draft (``refresh``,
``set_values``, ``explain``), checked after every change, submitted by the union
(``submit``), then returned with a reason (``send_back``) or accepted (``accept``) by
the union above; a higher union's return sums its children's accepted returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.core import audit, writes
from gonghui.core.models import AuditLog
from gonghui.core.scope import OPERATOR, Scope
from gonghui.reports.annual_return import checks, compute, definition, state
from gonghui.reports.annual_return.compute import Filled
from gonghui.reports.annual_return.definition import TOTAL, Form
from gonghui.reports.annual_return.models import (
    ACCEPTED,
    AnnualReturn,
    CheckResult,
    Origin,
    ReturnStatus,
    ReturnValue,
)

COVER_FIELDS = {"principal", "preparer", "phone"}
STATE_FIELDS = {"status", "return_reason", "missing_children", "refreshed_at", "submitted_at", "submitted_by",
                "reviewed_at", "reviewed_by", "snapshot"}


def _user(actor: Any) -> Any:
    return actor if actor is not None else OPERATOR


def _require(actor: Any, org: Any, cap: str) -> None:
    if actor is not None:
        Scope.of(actor).require_org(org, cap)


def _form(ret: AnnualReturn) -> Form:
    return definition.load(ret.form_code)


def _lock(ret: AnnualReturn) -> AnnualReturn:
    return AnnualReturn.objects.select_for_update().select_related("org").get(pk=ret.pk)


def _editable(ret: AnnualReturn) -> None:
    if not ret.is_editable:
        raise ValidationError(f"{ret}{ret.get_status_display()}，不能修改；如需修改，请上级工会退回。")


# -- reading and writing cells -------------------------------------------------------------


def _save_cells(ret: AnnualReturn, filled: Filled) -> int:
    """Write the cells that changed; returns how many did.

    Changed cells are replaced (delete + bulk insert, two statements): a ``bulk_update`` of
    a few hundred cells builds one CASE per column and per cell, ten times slower here.
    """
    existing = {(v.row, v.column): v for v in ReturnValue.objects.filter(annual_return=ret)}
    fields = ("origin", "computed", "own", "children", "value", "reason")
    stale, new = [], []
    for key, cell in filled.cells.items():
        stored = existing.get(key)
        if stored is not None and all(getattr(stored, f) == getattr(cell, f) for f in fields):
            continue
        if stored is not None:
            stale.append(stored.pk)
        new.append(ReturnValue(annual_return=ret, row=cell.row, column=cell.column,
                               **{f: getattr(cell, f) for f in fields}))
    if stale:
        ReturnValue.objects.filter(pk__in=stale).delete()
    ReturnValue.objects.bulk_create(new)
    return len(new)


def _store_checks(ret: AnnualReturn, found: Iterable[checks.Finding]) -> list[CheckResult]:
    """Replace the check results, keeping the explanations of warnings that still fail."""
    kept = {r.key: r.explanation for r in CheckResult.objects.filter(annual_return=ret)}
    CheckResult.objects.filter(annual_return=ret).delete()
    results = [CheckResult(annual_return=ret, check_id=f.check_id, severity=f.severity, row=f.row, column=f.column,
                           subject=f.subject, message=f.message[:400], explanation=kept.get(f.key, ""))
               for f in found]
    return CheckResult.objects.bulk_create(results)


def _passes(results: Iterable[CheckResult]) -> bool:
    return all(r.severity == "W" and r.explanation.strip() for r in results)


def _settle(actor: Any, ret: AnnualReturn, filled: Filled | None = None) -> AnnualReturn:
    """Re-run the checks after a change: 已校验 when nothing blocks, else 草稿 (退回 stays 退回)."""
    results = _store_checks(ret, state.findings(ret, filled))
    if ret.status == ReturnStatus.RETURNED:
        return ret
    status = ReturnStatus.CHECKED if _passes(results) else ReturnStatus.DRAFT
    if status != ret.status:
        ret = writes.update(actor, ret, {"status": status}, allowed=STATE_FIELDS,
                            note="校验通过" if status == ReturnStatus.CHECKED else "数据有变化，待重新校验")
    return ret


# -- the workflow -------------------------------------------------------------------------------


def _check_year(year: int, today: dt.date | None = None) -> None:
    last = compute.default_year(today or dt.date.today())
    if not 2000 <= year <= last:
        raise ValidationError({"year": f"统计年度应在2000至{last}之间（{last + 1}统计年度到{last + 1}年9月30日结束）"})


@transaction.atomic
def start_return(actor: Any, org: Any, year: int, *, form_code: str = definition.DEFAULT_FORM,
                 today: dt.date | None = None) -> AnnualReturn:
    """Open a union's return for a statistical year, prefilled from records."""
    _require(actor, org, "reports.edit")
    _check_year(year, today)
    if org.kind not in ("grassroots", "federation", "industry"):
        raise ValidationError("分工会、工会小组不单独填报统计年报，其数据计入所属基层工会")
    if AnnualReturn.objects.filter(org=org, year=year).exists():
        raise ValidationError({"year": f"{org.name}{year}统计年度的年报已经存在"})
    form = definition.load(form_code)
    aggregate = compute.is_aggregate(org)
    ret = writes.create(actor, AnnualReturn, org=org, year=year, form_code=form_code, is_aggregate=aggregate,
                        note="新建统计年报")
    _save_cells(ret, compute.blank(form, org, aggregate))
    return _refresh(actor, ret, note="新建时按记录预填")


@transaction.atomic
def refresh(actor: Any, ret: AnnualReturn) -> AnnualReturn:
    """Re-read the sourced cells from records (and, for a higher union, the children's accepted returns)."""
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    _editable(ret)
    return _refresh(actor, ret, note="按记录刷新")


def _refresh(actor: Any, ret: AnnualReturn, *, note: str) -> AnnualReturn:
    form = _form(ret)
    filled = state.load_cells(ret)
    figures = compute.own_figures(_user(actor), form, ret.org, ret.year, ret.is_aggregate)
    for key, value in figures.items():
        cell = filled.cells[key]
        cell.computed = value
        if cell.origin == Origin.COMPUTED:
            cell.own = value
    included: list[AnnualReturn] = []
    if ret.is_aggregate:
        sums, included = state.children_sums(form, ret)
        for key, value in sums.items():
            filled.cells[key].children = value
    compute.recompute(form, filled, ret.is_aggregate)
    changed = _save_cells(ret, filled)
    ret = writes.update(actor, ret, {"refreshed_at": timezone.now()}, allowed=STATE_FIELDS,
                        note=f"{note}：{changed}项数据有变化" + (f"，汇总下级已审核年报{len(included)}份"
                                                                  if ret.is_aggregate else ""))
    for child in included:
        if child.status == ReturnStatus.ACCEPTED:
            writes.update(actor, child, {"status": ReturnStatus.AGGREGATED}, allowed=STATE_FIELDS,
                          note=f"已汇总入{ret.org.name}的年报")
    return _settle(actor, ret, filled)


def _parse(form: Form, row_code: str, raw: Any) -> Decimal | None:
    row = form.rows[row_code]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"{form.where(row_code)}：“{raw}”不是数字") from None
    if not value.is_finite():
        raise ValidationError(f"{form.where(row_code)}：“{raw}”不是数字")
    if value < 0 and row_code not in form.negative_allowed:
        raise ValidationError(f"{form.where(row_code)}：不能为负数")
    if row.is_money:
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(f"{form.where(row_code)}：金额最多保留两位小数")
        return value.quantize(Decimal("0.01"))
    if value != value.to_integral_value():
        raise ValidationError(f"{form.where(row_code)}：{row.unit}数应为整数")
    return value.quantize(Decimal(1))


@transaction.atomic
def set_values(actor: Any, ret: AnnualReturn, changes: Iterable[Mapping[str, Any]]) -> AnnualReturn:
    """Type manual cells, or override computed ones with a reason (blank restores the computed value).

    Each change is ``{"row", "column", "value", "reason"}``.
    """
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    _editable(ret)
    form = _form(ret)
    filled = state.load_cells(ret)
    own_col = compute.own_column(ret.org)
    log: list[str] = []
    for change in changes:
        row_code, column = str(change.get("row", "")), str(change.get("column") or TOTAL)
        cell = filled.cells.get((row_code, column))
        if row_code not in form.rows or cell is None:
            raise ValidationError(f"报表中没有第 {row_code} 行 {column} 栏")
        kind = compute.cell_kind(form, form.rows[row_code], column, own_col)
        where = form.where(row_code, column)
        if kind == "derived":
            raise ValidationError(f"{where}由系统自动计算（合计、比率，或非本单位类型的栏目），不能填写")
        value = _parse(form, row_code, change.get("value"))
        reason = str(change.get("reason") or "").strip()[:200]
        before = cell.own
        if kind == "manual":
            cell.own, cell.origin = value, Origin.MANUAL
        elif value is None or (value == cell.computed and not reason):
            cell.own, cell.origin, cell.reason = cell.computed, Origin.COMPUTED, ""
        else:
            if not reason:
                raise ValidationError(f"{where}：已修改系统计算值（{cell.computed}），请填写修改原因")
            cell.own, cell.origin, cell.reason = value, Origin.OVERRIDE, reason
        if before != cell.own:
            log.append(f"{row_code}/{column}：{'空白' if before is None else before} → "
                       f"{'空白' if cell.own is None else cell.own}" + (f"（{reason}）" if reason else ""))
    compute.recompute(form, filled, ret.is_aggregate)
    _save_cells(ret, filled)
    if log:
        audit.record(actor, AuditLog.Action.UPDATE, ret, note="修改年报数据：" + "；".join(log)[:1500])
    return _settle(actor, ret, filled)


@transaction.atomic
def fill_blanks_with_zero(actor: Any, ret: AnnualReturn) -> AnnualReturn:
    """Put 0 in every manual cell still blank (the officer confirms that nothing happened there)."""
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    _editable(ret)
    form = _form(ret)
    filled = state.load_cells(ret)
    own_col = compute.own_column(ret.org)
    blanks = [c for c in filled.cells.values() if c.origin == Origin.MANUAL and c.own is None
              and compute.cell_kind(form, form.rows[c.row], c.column, own_col) == "manual"]
    for cell in blanks:
        cell.own = Decimal(0)
    compute.recompute(form, filled, ret.is_aggregate)
    _save_cells(ret, filled)
    audit.record(actor, AuditLog.Action.UPDATE, ret, note=f"空白手工项填0：{len(blanks)}项")
    return _settle(actor, ret, filled)


@transaction.atomic
def update_cover(actor: Any, ret: AnnualReturn, **changes: Any) -> AnnualReturn:
    """单位负责人, 填表人, 联系电话 of the export header."""
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    _editable(ret)
    return writes.update(actor, ret, {k: str(v or "").strip() for k, v in changes.items()}, allowed=COVER_FIELDS)


@transaction.atomic
def explain(actor: Any, ret: AnnualReturn, explanations: Mapping[str, str]) -> AnnualReturn:
    """Write the 说明 of warnings (keyed by ``CheckResult.key``); errors cannot be explained away."""
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    _editable(ret)
    results = {r.key: r for r in CheckResult.objects.filter(annual_return=ret)}
    notes = []
    for key, text in explanations.items():
        result = results.get(key)
        if result is None:
            continue
        if result.severity == "E" and text.strip():
            raise ValidationError(f"“{result.message}”是错误，须修改数据，不能只作说明")
        if result.explanation != text.strip():
            result.explanation = text.strip()[:1000]
            result.save(update_fields=["explanation"])
            notes.append(f"{result.check_id}：{result.explanation or '（清除）'}")
    if notes:
        audit.record(actor, AuditLog.Action.UPDATE, ret, note="填写校验说明：" + "；".join(notes)[:1500])
    return _settle(actor, ret)


@transaction.atomic
def run_checks(actor: Any, ret: AnnualReturn) -> AnnualReturn:
    """校验: run every check and store the results (the status follows)."""
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    if not ret.is_editable:
        return ret
    return _settle(actor, ret)


@transaction.atomic
def mark_missing(actor: Any, ret: AnnualReturn, child_code: str, reason: str) -> AnnualReturn:
    """Sum without a child, marked 未报 with the reason (a blank reason takes the mark away)."""
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    _editable(ret)
    codes = {kid.code: kid for kid, _r in state.children_returns(ret)}
    if child_code not in codes:
        raise ValidationError(f"“{child_code}”不是{ret.org.name}需汇总的下级工会")
    missing = dict(ret.missing_children)
    if reason.strip():
        missing[child_code] = reason.strip()[:200]
    else:
        missing.pop(child_code, None)
    ret = writes.update(actor, ret, {"missing_children": missing}, allowed=STATE_FIELDS,
                        note=f"{codes[child_code].name}：" + (f"标记为未报（{reason.strip()}）" if reason.strip()
                                                             else "取消未报标记"))
    return _settle(actor, ret)


@transaction.atomic
def submit(actor: Any, ret: AnnualReturn) -> AnnualReturn:
    """上报: locked and sent to the union above; blocked while an error or an unexplained warning remains."""
    _require(actor, ret.org, "reports.edit")
    ret = _lock(ret)
    _editable(ret)
    results = _store_checks(ret, state.findings(ret))
    errors = [r.message for r in results if r.severity == "E"]
    if errors:
        more = f"等{len(errors)}项" if len(errors) > 5 else ""
        raise ValidationError(f"校验未通过，不能上报：{'；'.join(errors[:5])}{more}")
    unexplained = [r.message for r in results if r.severity == "W" and not r.explanation.strip()]
    if unexplained:
        raise ValidationError(f"请对以下提示逐条填写说明后再上报：{'；'.join(unexplained[:5])}")
    user = actor if getattr(actor, "pk", None) else None
    return writes.update(actor, ret, {"status": ReturnStatus.SUBMITTED, "submitted_at": timezone.now(),
                                      "submitted_by": user, "return_reason": ""}, allowed=STATE_FIELDS,
                         note="上报")


def _require_reviewer(actor: Any, ret: AnnualReturn) -> Any:
    """The union above reviews (the root's own return: its own approvers). Returns the parent's return, if any."""
    from gonghui.orgs.models import Org

    parent = Org.objects.get_parent(ret.org)
    if actor is not None:
        scope = Scope.of(actor)
        scope.require_org(ret.org, "reports.view")
        if not scope.allows_org(parent or ret.org, "reports.approve"):
            who = f"上级工会（{parent.name}）" if parent else "本级审批人"
            raise PermissionDenied(f"统计年报由{who}审核，您不能审核或退回{ret.org.name}的年报。")
    if parent is None:
        return None
    return AnnualReturn.objects.select_for_update().filter(org=parent, year=ret.year).first()


def _reopen_parent(actor: Any, parent_ret: AnnualReturn | None, why: str) -> None:
    if parent_ret is not None and parent_ret.status == ReturnStatus.CHECKED:
        writes.update(actor, parent_ret, {"status": ReturnStatus.DRAFT}, allowed=STATE_FIELDS,
                      note=f"{why}，汇总表需重新刷新")


@transaction.atomic
def accept(actor: Any, ret: AnnualReturn) -> AnnualReturn:
    """审核通过: the return is frozen (snapshot) and counts in the parent's sum."""
    ret = _lock(ret)
    parent_ret = _require_reviewer(actor, ret)
    if ret.status != ReturnStatus.SUBMITTED:
        raise ValidationError(f"只能审核已上报的年报（现为{ret.get_status_display()}）")
    now = timezone.now()
    snapshot = {
        "values": {f"{r}|{c}": None if v is None else str(v)
                   for (r, c), v in sorted(state.accepted_values(ret).items())},
        "checks": [{"id": r.check_id, "severity": r.severity, "message": r.message, "explanation": r.explanation}
                   for r in CheckResult.objects.filter(annual_return=ret)],
        "form": ret.form_code,
        "accepted_at": now.isoformat(),
    }
    user = actor if getattr(actor, "pk", None) else None
    ret = writes.update(actor, ret, {"status": ReturnStatus.ACCEPTED, "reviewed_at": now, "reviewed_by": user,
                                     "snapshot": snapshot}, allowed=STATE_FIELDS, note="审核通过")
    _reopen_parent(actor, parent_ret, f"下级{ret.org.name}年报审核通过")
    return ret


@transaction.atomic
def send_back(actor: Any, ret: AnnualReturn, reason: str) -> AnnualReturn:
    """退回 with a reason: back to the union to correct; an accepted one leaves the parent's sum."""
    ret = _lock(ret)
    parent_ret = _require_reviewer(actor, ret)
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回原因，说明需要修改什么"})
    if ret.status not in (ReturnStatus.SUBMITTED, *ACCEPTED):
        raise ValidationError(f"只能退回已上报或已审核的年报（现为{ret.get_status_display()}）")
    if ret.is_accepted and parent_ret is not None and not parent_ret.is_editable:
        raise ValidationError(f"{parent_ret}{parent_ret.get_status_display()}，须先由上级退回本级汇总表，"
                              f"才能退回下级年报")
    user = actor if getattr(actor, "pk", None) else None
    ret = writes.update(actor, ret, {"status": ReturnStatus.RETURNED, "return_reason": reason.strip(),
                                     "reviewed_at": timezone.now(), "reviewed_by": user, "snapshot": None},
                        allowed=STATE_FIELDS, note=f"退回：{reason.strip()}")
    _reopen_parent(actor, parent_ret, f"下级{ret.org.name}年报被退回")
    return ret
