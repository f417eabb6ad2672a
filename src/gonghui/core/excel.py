"""Excel out: streamed xlsxwriter workbooks with Chinese headers; every export is audited."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()
    text_columns: Sequence[int] = ()  # kept as text: ID numbers, codes, phones
    title: str = ""  # optional first row above the headers
    notes: Sequence[str] = field(default_factory=tuple)


def write_workbook(target: str | IO[bytes], sheets: Sequence[Sheet]) -> int:
    """Write sheets in constant memory; returns the number of data rows written."""
    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True,
                          "valign": "vcenter"})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    note_fmt = wb.add_format({"font_color": "#666666"})
    text = wb.add_format({"num_format": "@"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    total = 0
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name[:31])
        row = 0
        if sheet.title:
            ws.write(row, 0, sheet.title, title_fmt)
            row += 1
        for note in sheet.notes:
            ws.write(row, 0, note, note_fmt)
            row += 1
        for col, header in enumerate(sheet.headers):
            width = sheet.widths[col] if col < len(sheet.widths) else max(10, len(header) * 2 + 2)
            ws.set_column(col, col, width, text if col in sheet.text_columns else None)
            ws.write(row, col, header, head)
        ws.freeze_panes(row + 1, 0)
        header_row = row
        for values in sheet.rows:
            row += 1
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if col in sheet.text_columns:
                    ws.write_string(row, col, str(value), text)
                elif hasattr(value, "isoformat") and not isinstance(value, str):
                    ws.write_datetime(row, col, value, date_fmt)
                else:
                    ws.write(row, col, value)
        if row > header_row:
            ws.autofilter(header_row, 0, row, len(sheet.headers) - 1)
        total += row - header_row
    wb.close()
    return total


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
