"""Excel export of target completion (scoped and audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.excel import Sheet
from gonghui.core.models import AuditLog
from gonghui.orgs.models import Org
from gonghui.targets import selectors

HEADERS = ["指标", "指标代码", "工会代码", "工会", "层级", "目标", "实际完成", "单位", "完成率（%）", "完成情况", "排名",
           "下达工会"]


@transaction.atomic
def export_completion(user: Any, org: Org, year: int) -> Sheet:
    """The completion page as a sheet: the union's own targets, then its children's, ranked."""
    rows: list[list[Any]] = []
    for entry in selectors.completion_table(user, org, year):
        for row, level in ([(entry.own, "本级")] if entry.own else []) + [(c, "下级") for c in entry.children]:
            t = row.target
            rows.append([entry.label, entry.key, t.org.code, t.org.name, level, t.value_text, row.actual_text,
                         entry.unit, row.rate, row.status.label, row.rank or "", t.set_by.name])
    audit.record(user, AuditLog.Action.EXPORT, org, object_type="targets.Target",
                 note=f"导出{year}年目标完成情况 {len(rows)} 行")
    return Sheet("目标完成情况", HEADERS, rows, text_columns=(1, 2),
                 title=f"{org.name}{year}年目标任务完成情况（完成数来自各指标的记录）")
