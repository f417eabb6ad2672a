"""The return as an Excel workbook in the form layout: one sheet per table, merged headers, codes.

Header block per ANNUAL_RETURN.md §1 (表号, 制定机关, 批准文号, 有效期, 统计编码, …), the B1
columns under a merged 企业 heading, a row of column codes (甲 乙 丙 c01 …), every row with
its code and unit, and a footer with 单位负责人, 填表人, 联系电话, 报出日期. A last sheet lists
the check results with their explanations and the children marked 未报.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from gonghui.reports.annual_return.compute import Filled
from gonghui.reports.annual_return.definition import Form, Table
from gonghui.reports.windows import Window

ENTERPRISE = ("c02", "c03", "c04", "c05", "c06", "c07")


@dataclass
class ReturnSheet:
    """What the workbook shows; built from a stored return or a transient draft."""

    form: Form
    org_code: str
    org_name: str
    year: int
    status: str
    filled: Filled
    aggregate: bool
    principal: str = ""
    preparer: str = ""
    phone: str = ""
    submitted_on: str = ""
    checks: Sequence[tuple[str, str, str, str]] = ()  # (id, 级别, message, explanation)
    missing: Sequence[tuple[str, str, str]] = ()  # (code, name, reason)
    children: Sequence[tuple[str, str, str]] = field(default_factory=tuple)  # (code, name, status)


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def write(target: str | IO[bytes], data: ReturnSheet) -> None:
    wb = xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False,
                                      "strings_to_urls": False})
    f = {
        "title": wb.add_format({"bold": True, "font_size": 16, "align": "center"}),
        "meta": wb.add_format({"font_size": 9}),
        "head": wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
                               "bg_color": "#E8EEF7"}),
        "code": wb.add_format({"border": 1, "align": "center", "font_size": 9, "font_color": "#555555"}),
        "label": wb.add_format({"border": 1, "text_wrap": True}),
        "cell": wb.add_format({"border": 1, "num_format": "#,##0"}),
        "money": wb.add_format({"border": 1, "num_format": "#,##0.00"}),
        "ratio": wb.add_format({"border": 1, "num_format": "0.0"}),
        "none": wb.add_format({"border": 1, "bg_color": "#F2F2F2"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
    }
    window = Window.stats_year(data.year)
    kind = "汇总表" if data.aggregate else "基层表"
    for table in data.form.tables:
        _table_sheet(wb, f, data, table, window, kind)
    _checks_sheet(wb, f, data)
    wb.close()


def _table_sheet(wb: Any, f: dict[str, Any], data: ReturnSheet, table: Table, window: Window, kind: str) -> None:
    form = data.form
    ws = wb.add_worksheet(table.title.split(" ")[0])
    columns = form.table_columns(table)
    last = 2 + len(columns)
    ws.set_column(0, 0, 38)
    ws.set_column(1, 2, 7)
    ws.set_column(3, last, 11)
    ws.merge_range(0, 0, 0, last, f"{form.title}（{kind}）· {table.title}", f["title"])
    h = form.header
    meta = (f"表    号：{h.get('form_no', '')}    制定机关：{h.get('authority', '')}    "
            f"批准文号：{h.get('approval_no', '')}    有效期至：{h.get('valid_until', '')}")
    ws.merge_range(1, 0, 1, last, meta, f["meta"])
    who = (f"统计编码：{data.org_code}    单位名称：{data.org_name}    "
           f"统计时期：{window.start:%Y年%-m月%-d日}至{window.end:%Y年%-m月%-d日}    状态：{data.status}")
    ws.merge_range(2, 0, 2, last, who, f["meta"])
    top = 4
    b1 = bool(table.column_set)
    if b1:
        ws.merge_range(top, 0, top + 1, 0, "指标名称", f["head"])
        ws.merge_range(top, 1, top + 1, 1, "代码", f["head"])
        ws.merge_range(top, 2, top + 1, 2, "计量单位", f["head"])
        codes = [c.code for c in columns]
        first = 3 + codes.index(ENTERPRISE[0])
        ws.merge_range(top, first, top, first + len(ENTERPRISE) - 1, "企业", f["head"])
        for i, col in enumerate(columns):
            if col.code in ENTERPRISE:
                ws.write(top + 1, 3 + i, col.label, f["head"])
            else:
                ws.merge_range(top, 3 + i, top + 1, 3 + i, col.label, f["head"])
        ws.set_row(top + 1, 30)
        top += 2
    else:
        for i, text in enumerate(("指标名称", "代码", "计量单位", columns[0].label)):
            ws.write(top, i, text, f["head"])
        top += 1
    for i, text in enumerate(("甲", "乙", "丙", *[c.code for c in columns])):
        ws.write(top, i, text, f["code"])
    ws.freeze_panes(top + 1, 1)
    r = top
    for row in table.rows:
        r += 1
        ws.write(r, 0, row.label + (" ⚑" if row.flag else ""), f["label"])
        ws.write(r, 1, row.code, f["code"])
        ws.write(r, 2, row.unit, f["code"])
        own_cols = {c.code for c in form.columns_of(row)}
        fmt = f["ratio"] if row.is_ratio else f["money"] if row.is_money else f["cell"]
        for i, col in enumerate(columns):
            if col.code not in own_cols:
                ws.write_blank(r, 3 + i, None, f["none"])
                continue
            value = _number(data.filled.value(row.code, col.code))
            if value is None:
                ws.write_blank(r, 3 + i, None, fmt)
            else:
                ws.write_number(r, 3 + i, value, fmt)
    r += 2
    footer = (f"单位负责人：{data.principal}    填表人：{data.preparer}    联系电话：{data.phone}    "
              f"报出日期：{data.submitted_on}")
    ws.merge_range(r, 0, r, last, footer, f["meta"])


def _checks_sheet(wb: Any, f: dict[str, Any], data: ReturnSheet) -> None:
    ws = wb.add_worksheet("校验与说明")
    ws.set_column(0, 0, 9)
    ws.set_column(1, 1, 6)
    ws.set_column(2, 2, 80)
    ws.set_column(3, 3, 40)
    for i, text in enumerate(("校验", "级别", "提示", "说明")):
        ws.write(0, i, text, f["head"])
    r = len(data.checks)
    for n, (cid, severity, message, explanation) in enumerate(data.checks, start=1):
        for i, text in enumerate((cid, severity, message, explanation)):
            ws.write_string(n, i, text, f["wrap"])
    if not data.checks:
        ws.write_string(1, 2, "全部校验通过")
        r = 1
    if data.aggregate:
        r += 2
        ws.write(r, 0, "下级工会", f["head"])
        ws.write(r, 1, "状态", f["head"])
        ws.write(r, 2, "工会名称", f["head"])
        ws.write(r, 3, "未报原因", f["head"])
        missing = {code: reason for code, _name, reason in data.missing}
        for code, name, status in data.children:
            r += 1
            ws.write_string(r, 0, code)
            ws.write_string(r, 1, "未报" if code in missing else status)
            ws.write_string(r, 2, name)
            ws.write_string(r, 3, missing.get(code, ""))


def to_bytes(data: ReturnSheet) -> bytes:
    buffer = io.BytesIO()
    write(buffer, data)
    return buffer.getvalue()

