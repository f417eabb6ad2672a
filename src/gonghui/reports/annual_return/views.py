"""Pages of the statistical annual return. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import audit
from gonghui.core.excel import XLSX_MIME
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.models import AuditLog
from gonghui.core.scope import Scope
from gonghui.orgs.models import Org
from gonghui.reports.annual_return import compute, excel, selectors, services, state
from gonghui.reports.annual_return.compute import Filled
from gonghui.reports.annual_return.definition import NO_SOURCE, TOTAL, Form, Row, Table
from gonghui.reports.annual_return.models import AnnualReturn, Origin
from gonghui.reports.windows import Window

KEY_ROWS = ("1-01", "2-01", "2-04", "2-08", "3-05")  # shown per child on the aggregate view


def _year(raw: Any, default: int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def fmt(row: Row, value: Decimal | None) -> str:
    if value is None:
        return ""
    if row.is_ratio:
        return f"{value:.1f}"
    if row.is_money:
        return f"{value:,.2f}"
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:f}"


def plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


@dataclass
class GridCell:
    exists: bool
    kind: str = ""  # computed | override | manual | derived
    text: str = ""
    input_name: str = ""
    input_value: str = ""
    href: str = ""
    tip: str = ""
    children: str = ""
    override_url: str = ""
    state: str = ""  # error | warning | ""


@dataclass
class GridRow:
    row: Row
    cells: list[GridCell]
    note: str


def grid(form: Form, table: Table, ret: AnnualReturn, filled: Filled, editable: bool,
         marks: dict[tuple[str, str], str]) -> list[GridRow]:
    out = []
    columns = form.table_columns(table)
    own_col = compute.own_column(ret.org)
    for row in table.rows:
        own_cols = {c.code for c in form.columns_of(row)}
        from_records, why = row.source_status()
        note = "" if from_records else f"{NO_SOURCE}（{why}）" if row.key else f"手工填写项：{why}"
        cells = []
        for col in columns:
            if col.code not in own_cols:
                cells.append(GridCell(False))
                continue
            cell = filled.cells[(row.code, col.code)]
            kind = compute.cell_kind(form, row, col.code, own_col)
            gc = GridCell(True, "override" if cell.origin == Origin.OVERRIDE else kind, fmt(row, cell.value),
                          state=marks.get((row.code, col.code), ""))
            if ret.is_aggregate and not row.is_ratio:
                gc.children = fmt(row, cell.children)
                gc.tip = f"下级合计 {fmt(row, cell.children) or 0} + 本级 {fmt(row, cell.own) or '空白'}"
            if kind == "computed":
                if col.code == TOTAL:
                    # an aggregate's figure is its subtree's (children's returns + own): link the subtree
                    own_only = form.table_of(row.code).own_only and not ret.is_aggregate
                    gc.href = compute.figure_url(row, ret.org.code, ret.year, own_only)
                tip = f"由记录生成：{row.key}" + (f"（{'，'.join(f'{k}={v}' for k, v in row.filters.items())}）"
                                                  if row.filters else "")
                if cell.origin == Origin.OVERRIDE:
                    tip += f"；系统计算值 {fmt(row, cell.computed)}，已修改：{cell.reason}"
                gc.tip = "；".join(p for p in (tip, gc.tip) if p)
            if kind == "computed" and editable:
                gc.override_url = f"?t={table.code}&cell={row.code}|{col.code}#override"
            elif kind == "manual" and editable:
                gc.input_name = f"v|{row.code}|{col.code}"
                gc.input_value = plain(cell.own)
            cells.append(gc)
        out.append(GridRow(row, cells, note))
    return out


def returns(request: AuthedRequest) -> HttpResponse:
    """我的年报: the current union's returns, the form to open one, and the children's returns of a year."""
    org = current_org(request)
    scope = Scope.of(request.user)
    default = compute.default_year(dt.date.today())
    year = _year(request.GET.get("year"), default)
    can_edit = scope.allows_org(org, "reports.edit")
    if request.method == "POST" and can_edit:
        try:
            ret = services.start_return(request.user, org, _year(request.POST.get("year"), default))
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, f"已新建“{ret}”，能从记录生成的数字已预填，请填写其余各项。")
            return redirect(ret.get_absolute_url())
    own = selectors.visible_returns(request.user).filter(org=org).order_by("-year")
    kids = selectors.children_status(request.user, org, year)
    taken = set(own.values_list("year", flat=True))
    return render(request, "reports/annual_return/list.html", {
        "org": org, "own": own, "year": year, "default_year": default, "can_edit": can_edit,
        "children": kids, "years": list(range(default, default - 5, -1)),
        "open_years": [y for y in range(default, default - 5, -1) if y not in taken],
        "can_review": scope.allows_org(org, "reports.approve"),
        "is_aggregate": compute.is_aggregate(org),
    })


def detail(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """The return in the form layout: one table at a time, prefilled cells linked to their records."""
    ret = selectors.get_return(request.user, code, year)
    form = state.form_of(ret)
    scope = Scope.of(request.user)
    can_edit = scope.allows_org(ret.org, "reports.edit")
    editable = can_edit and ret.is_editable
    parent = Org.objects.get_parent(ret.org)
    can_review = scope.allows_org(parent or ret.org, "reports.approve")
    table = next((t for t in form.tables if t.code == request.GET.get("t")), form.tables[0])
    filled = state.load_cells(ret)
    results = list(selectors.checks_of(request.user, ret).order_by("severity", "check_id", "row", "column"))
    marks: dict[tuple[str, str], str] = {}
    for r in results:
        if r.row:
            marks.setdefault((r.row, r.column or TOTAL), "error" if r.severity == "E" else "warning")
    counts = {t.code: (sum(1 for r in results if r.row.startswith(f"{t.code}-") and r.severity == "E"),
                       sum(1 for r in results if r.row.startswith(f"{t.code}-") and r.severity == "W"))
              for t in form.tables}
    override = None
    cell_param = request.GET.get("cell", "")
    if editable and "|" in cell_param:
        row_code, col_code = cell_param.split("|", 1)
        if row_code in form.rows and (row_code, col_code) in filled.cells:
            row = form.rows[row_code]
            if compute.cell_kind(form, row, col_code, compute.own_column(ret.org)) == "computed":
                c = filled.cells[(row_code, col_code)]
                override = {"row": row, "column": col_code, "where": form.where(row_code, col_code),
                            "computed": fmt(row, c.computed), "own": plain(c.own), "reason": c.reason,
                            "overridden": c.origin == Origin.OVERRIDE}
    children = selectors.children_status(request.user, ret.org, ret.year, ret.missing_children) \
        if ret.is_aggregate else []
    child_figures = []
    if ret.is_aggregate:
        values = {k.ret.pk: state.accepted_values(k.ret) for k in children if k.ret is not None and k.ret.is_accepted}
        rows = [form.rows[r] for r in KEY_ROWS if r in form.rows]
        for child in children:
            vals = values.get(child.ret.pk) if child.ret is not None else None
            child_figures.append((child, [fmt(r, vals.get((r.code, TOTAL))) if vals else "" for r in rows]))
        key_rows = rows
    else:
        key_rows = []
    return render(request, "reports/annual_return/detail.html", {
        "ret": ret, "org": ret.org, "form": form, "table": table, "tables": form.tables, "counts": counts,
        "columns": form.table_columns(table), "grid": grid(form, table, ret, filled, editable, marks),
        "results": results, "errors": [r for r in results if r.severity == "E"],
        "warnings": [r for r in results if r.severity == "W"], "editable": editable, "can_edit": can_edit,
        "can_review": can_review and ret.status in ("submitted", "accepted", "aggregated"), "parent": parent,
        "override": override, "children": children, "child_figures": child_figures, "key_rows": key_rows,
        "own_totals": [fmt(r, filled.cells[(r.code, TOTAL)].own) for r in key_rows],
        "totals": [fmt(r, filled.value(r.code)) for r in key_rows],
        "window": Window.stats_year(ret.year),
    })


def _act(request: AuthedRequest, ret: AnnualReturn, action: Any, success: str, back: str = "") -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您没有执行该操作的权限。")
    else:
        messages.success(request, success)
    return redirect(ret.get_absolute_url() + back)


@require_POST
def save_values(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year, "reports.edit")
    table = request.POST.get("t", "1")
    changes = []
    filled = state.load_cells(ret)
    for name, raw in request.POST.dict().items():
        if not name.startswith("v|"):
            continue
        _v, row, column = name.split("|", 2)
        cell = filled.cells.get((row, column))
        if cell is None or plain(cell.own) != raw.strip():
            changes.append({"row": row, "column": column, "value": raw})
    if "override_row" in request.POST:
        changes.append({"row": request.POST["override_row"], "column": request.POST.get("override_column", TOTAL),
                        "value": request.POST.get("override_value", ""),
                        "reason": request.POST.get("override_reason", "")})
    return _act(request, ret, lambda: services.set_values(request.user, ret, changes),
                f"已保存（{len(changes)}项），并重新校验。", f"?t={table}")


@require_POST
def refresh(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year, "reports.edit")
    return _act(request, ret, lambda: services.refresh(request.user, ret), "已按记录刷新并重新校验。")


@require_POST
def fill_zero(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year, "reports.edit")
    return _act(request, ret, lambda: services.fill_blanks_with_zero(request.user, ret), "空白的手工项已填0。",
                f"?t={request.POST.get('t', '1')}")


@require_POST
def explain(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year, "reports.edit")
    texts = {k[2:]: v for k, v in request.POST.dict().items() if k.startswith("x|")}
    return _act(request, ret, lambda: services.explain(request.user, ret, texts), "说明已保存。")


@require_POST
def cover(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year, "reports.edit")
    fields = {f: request.POST.get(f, "") for f in ("principal", "preparer", "phone")}
    return _act(request, ret, lambda: services.update_cover(request.user, ret, **fields), "已保存填报信息。")


@require_POST
def submit(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year, "reports.edit")
    return _act(request, ret, lambda: services.submit(request.user, ret), "已上报，等待上级工会审核。")


@require_POST
def accept(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year)
    return _act(request, ret, lambda: services.accept(request.user, ret), "已审核通过，数据已冻结并计入本级汇总。")


@require_POST
def send_back(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year)
    return _act(request, ret, lambda: services.send_back(request.user, ret, request.POST.get("reason", "")),
                "已退回，填报单位修改后可重新上报。")


@require_POST
def mark_missing(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    ret = selectors.get_return(request.user, code, year, "reports.edit")
    return _act(request, ret, lambda: services.mark_missing(request.user, ret, request.POST.get("child", ""),
                                                            request.POST.get("reason", "")), "已更新未报标记。")


def download(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """The return as .xlsx in the form layout (audited)."""
    ret = selectors.get_return(request.user, code, year)
    content = excel.to_bytes(selectors.sheet_for(request.user, ret))
    with transaction.atomic():
        audit.record(request.user, AuditLog.Action.EXPORT, ret, note="导出统计年报 Excel")
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{ret}.xlsx')}"
    return response
