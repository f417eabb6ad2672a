"""The cross-checks of ANNUAL_RETURN.md §3 over a filled return, with messages that say what to fix.

General checks (G-1 … G-9) are built in, their wording and severity come from the form
file; the table checks (C1-1 …) are the rules of the form file. A rule on B1 rows only
runs per column; otherwise on the 合计 column. A rule that needs last year's accepted
return (``prev[…]``) is not applied when there is none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gonghui.reports.annual_return import expressions
from gonghui.reports.annual_return.compute import Filled, Key, cell_kind
from gonghui.reports.annual_return.definition import TOTAL, Form


@dataclass(frozen=True)
class Finding:
    check_id: str
    severity: str  # E | W
    message: str
    row: str = ""
    column: str = ""
    subject: str = ""

    @property
    def key(self) -> str:
        return f"{self.check_id}|{self.row}|{self.column}|{self.subject}"


@dataclass(frozen=True)
class ChildState:
    code: str
    name: str
    status: str  # "" when the child has no return
    status_label: str
    missing_reason: str = ""


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "空白"
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


def _applies(level: str, aggregate: bool) -> bool:
    return level == "all" or (level == "A") == aggregate


def run(form: Form, filled: Filled, *, aggregate: bool, prev: Mapping[Key, Decimal | None] | None = None,
        children: Sequence[ChildState] = (), stale_children: bool = False) -> list[Finding]:
    """Every failed check of a return."""
    out: list[Finding] = []
    rows = form.rows
    g = form.general

    def general(cid: str) -> tuple[str, str] | None:
        spec = g.get(cid)
        if spec is None or not _applies(spec.get("level", "all"), aggregate):
            return None
        return spec["severity"], spec["message"]

    def add(cid: str, severity: str, message: str, detail: str, row: str = "", column: str = "",
            subject: str = "") -> None:
        where = form.where(row, column or TOTAL) if row else ""
        text = "：".join(p for p in (where, message) if p) + (f"（{detail}）" if detail else "")
        out.append(Finding(cid, severity, text, row, column, subject))

    cells = filled.cells
    for (row_code, column), cell in sorted(cells.items()):
        row = rows[row_code]
        kind = cell_kind(form, row, column)
        if (spec := general("G-5")) and kind == "manual" and cell.own is None:
            add("G-5", *spec, "", row_code, column)
        if (spec := general("G-6")) and cell.origin == "override" and not cell.reason.strip():
            add("G-6", *spec, f"系统计算值 {_fmt(cell.computed)}，填报 {_fmt(cell.own)}", row_code, column)
        value = cell.value
        if value is None or row.is_ratio or not (spec := general("G-1")):
            continue
        negative = value < 0 and row_code not in form.negative_allowed
        fractional = not row.is_money and value != value.to_integral_value()
        if negative or fractional:
            add("G-1", *spec, f"现为 {_fmt(value)}", row_code, column)

    def v(row_code: str, column: str) -> Decimal:
        return filled.value(row_code, column) or Decimal(0)

    if spec := general("G-2"):
        for row in rows.values():
            if not row.parent:
                continue
            parent = rows[row.parent]
            shared = {c.code for c in form.columns_of(row)} & {c.code for c in form.columns_of(parent)}
            for column in sorted(shared):
                if v(row.code, column) > v(parent.code, column):
                    add("G-2", *spec, f"{row.code} = {_fmt(v(row.code, column))}，大于所属项 {parent.code} = "
                                      f"{_fmt(v(parent.code, column))}", row.code, column)

    if spec := general("G-3"):
        for row in rows.values():
            if not row.column_set or row.is_ratio:
                continue
            for total, parts in form.column_sums[row.column_set].items():
                got = sum((v(row.code, p) for p in parts), Decimal(0))
                if v(row.code, total) != got:
                    labels = "、".join(form.column_label(p) for p in parts)
                    add("G-3", *spec, f"{form.column_label(total)} {_fmt(v(row.code, total))}，{labels}之和 "
                                      f"{_fmt(got)}", row.code, total)

    if spec := general("G-4"):
        for row in rows.values():
            if row.flag and v(row.code, TOTAL) not in (0, 1):
                add("G-4", *spec, f"现为 {_fmt(v(row.code, TOTAL))}", row.code)
            if row.column_set and not row.is_ratio:
                leaves = [c.code for c in form.columns_of(row) if c.code not in form.column_sums[row.column_set]]
                used = [c for c in leaves if v(row.code, c)]
                if len(used) > 1:
                    add("G-4", spec[0], "基层工会只填本单位所属类型一栏", "、".join(form.column_label(c) for c in used),
                        row.code)
        if "1-01" in rows and v("1-01", TOTAL) != 1:
            add("G-4", spec[0], "基层工会填报的基层工会数应为1", f"现为 {_fmt(v('1-01', TOTAL))}", "1-01")

    if (spec := general("G-7")) and prev:
        threshold = Decimal(str(g["G-7"].get("threshold", 100)))
        share = Decimal(str(g["G-7"].get("share", "0.5")))
        for row in rows.values():
            before = prev.get((row.code, TOTAL))
            if row.is_ratio or before is None or before < threshold:
                continue
            now = v(row.code, TOTAL)
            if abs(now - before) > before * share:
                add("G-7", *spec, f"上年 {_fmt(before)}，本年 {_fmt(now)}", row.code)

    if spec := general("G-8"):
        for child in children:
            if child.status in ("accepted", "aggregated") or child.missing_reason:
                continue
            state = child.status_label or "尚未填报"
            out.append(Finding("G-8", spec[0], f"下级工会“{child.name}”（{child.code}）{state}：{spec[1]}",
                               subject=child.code))
    if (spec := general("G-9")) and stale_children:
        out.append(Finding("G-9", spec[0], spec[1]))

    def prev_lookup(column: str) -> expressions.Lookup:
        def look(code: str) -> Decimal:
            value = (prev or {}).get((code, column))
            if value is None:
                raise expressions.MissingPrevious(code)
            return value
        return look

    for check in form.checks:
        if not _applies(check.level, aggregate):
            continue
        for rule in check.rules:
            if rule.uses_prev and not prev:
                continue
            b1 = all(rows[r].column_set for r in rule.rows)
            columns = [c.code for c in form.columns_of(rows[rule.rows[0]])] if b1 else [TOTAL]
            for column in columns:
                try:
                    ok = expressions.holds(rule, lambda code, c=column: v(code, c), prev_lookup(column))  # type: ignore[misc]
                except expressions.MissingPrevious:
                    continue
                if not ok:
                    detail = "，".join(f"{r} = {_fmt(v(r, column))}" for r in rule.rows)
                    add(check.id, check.severity, check.message, detail, rule.rows[0], column)
    return out
