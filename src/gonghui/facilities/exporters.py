"""Excel export of the facility registry (scoped and audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.excel import Sheet
from gonghui.core.models import AuditLog
from gonghui.facilities import selectors
from gonghui.facilities.models import Facility
from gonghui.orgs.models import Org

HEADERS = ["编号", "名称", "类别", "建设工会代码", "建设工会", "地址", "所在单位", "建成日期", "停用日期",
           "会站家一体化", "面积（平方米）", "藏书（册）", "服务项目", "命名"]


@transaction.atomic
def export_facilities(user: Any, within: Org, **filters: Any) -> Sheet:
    from gonghui.facilities.models import Service

    labels = dict(Service.choices)
    qs = selectors.facilities(user, within=within, **filters).select_related("employer")
    rows = [
        [f.pk, f.name, f.get_type_display(), f.org.code, f.org.name, f.address, f.employer.name if f.employer else "",
         f.opened_on, f.closed_on, "是" if f.with_service_station else "", float(f.area_sqm) if f.area_sqm else "",
         f.books or "", "、".join(labels.get(s, s) for s in f.services or []),
         "；".join(f"{r.recognised_on:%Y}年{r}" for r in f.recognitions.all())]
        for f in qs
    ]
    audit.record(user, AuditLog.Action.EXPORT, within, object_type=Facility._meta.label,
                 note=f"导出阵地名录 {len(rows)} 条")
    return Sheet("阵地名录", HEADERS, rows, text_columns=(3,), title=f"{within.name}及所属工会阵地名录")
