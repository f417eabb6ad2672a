"""The records behind a figure as an Excel workbook: the drill-down's rows, streamed and audited."""

from __future__ import annotations

import re
import tempfile
from typing import IO, Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.excel import Sheet, write_workbook
from gonghui.core.models import AuditLog
from gonghui.reports.figures.selectors import DrillDown


def title(dd: DrillDown) -> str:
    q, f = dd.query, dd.figure
    value = "—" if f.value is None else f.value
    where = f"{q.org.name}{'本级' if q.own_only else '及所属工会'}"
    return f"{where} {q.window} {dd.metric.label}（{dd.metric.key}）= {value}{dd.metric.unit}，记录 {f.record_count} 条"


def notes(dd: DrillDown) -> list[str]:
    out = []
    if dd.parts:
        out.append(f"比率指标：下列为分子“{dd.listed.label}”（{dd.listed.key}）的记录")
    if dd.query.filters:
        out.append("筛选条件：" + "，".join(f"{k}={v}" for k, v in dd.query.filters.items()))
    if not dd.full and any(c.full is not None for c in dd.listed.columns):
        out.append("个人信息已脱敏")
    return out


def export_records(user: Any, dd: DrillDown) -> IO[bytes]:
    """Write the records to a temporary .xlsx (constant memory) and audit the export; returns the open file."""
    columns = dd.listed.columns
    rows = (dd.cells(obj) for obj in dd.records.iterator(chunk_size=2000))
    sheet = Sheet(re.sub(r"[\[\]:*?/\\]", "、", dd.metric.label)[:31], dd.headers, rows,
                  text_columns=[i for i, c in enumerate(columns) if c.text], title=title(dd), notes=notes(dd))
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- handed to the FileResponse, which closes it
    with transaction.atomic():
        written = write_workbook(target, [sheet])
        q = dd.query
        audit.record(user, AuditLog.Action.EXPORT, q.org, object_type=dd.records.model._meta.label,
                     object_repr=f"{q.org.name} {dd.metric.label}"[:200],
                     after={"key": dd.metric.key, "window": [q.window.start.isoformat(), q.window.end.isoformat()],
                            "filters": dict(q.filters), "own_only": q.own_only, "rows": written,
                            "full_personal_data": dd.full},
                     note=f"导出指标“{dd.metric.label}”（{dd.metric.key}）的记录 {written} 条"
                          + ("（含完整个人信息）" if dd.full else ""))
    target.seek(0)
    return target
