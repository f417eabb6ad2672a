"""Excel export of target completion (scoped and audited)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.excel import Sheet
from gonghui.core.models import AuditLog
from gonghui.orgs.models import Org
from gonghui.targets import selectors

HEADERS = ["指标", "指标代码", "工会代码", "工会", "层级", "目标", "实际完成", "单位", "完成率（%）", "完成情况",
           "同级排名", "下达工会"]


@transaction.atomic
def export_completion(user: Any, org: Org, year: int) -> Sheet:
    """Every target of the year in the union's subtree with its completion; ranked among the targets of siblings."""
    rows = [selectors.completion(user, t) for t in selectors.targets_in_subtree(user, org, year)]
    groups: dict[tuple[str, str], list[selectors.Completion]] = defaultdict(list)
    for row in rows:
        if row.org.pk != org.pk:
            groups[(row.target.metric_key, row.org.path[:-Org.steplen])].append(row)
    for group in groups.values():
        selectors.rank(group)
    out: list[list[Any]] = []
    for row in rows:
        t = row.target
        level = "本级" if t.org_id == org.pk else f"下{t.org.depth - org.depth}级"
        out.append([t.label, t.metric_key, t.org.code, t.org.name, level, t.value_text, row.actual_text, t.unit,
                    row.rate, row.status.label, row.rank or "", t.set_by.name])
    audit.record(user, AuditLog.Action.EXPORT, org, object_type="targets.Target",
                 note=f"导出{year}年目标完成情况 {len(out)} 行")
    return Sheet("目标完成情况", HEADERS, out, text_columns=(1, 2),
                 title=f"{org.name}及所属工会{year}年目标任务完成情况（实际完成数来自各指标的记录）")
