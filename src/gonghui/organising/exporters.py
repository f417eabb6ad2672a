"""Excel exports for organisation building (scoped and audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.excel import Sheet
from gonghui.core.models import AuditLog
from gonghui.organising import selectors
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org


@transaction.atomic
def export_unorganised(user: Any, within: Org, on: dt.date, minimum: int) -> Sheet:
    qs = selectors.unorganised(user, within, on, min_headcount=minimum)
    rows = [[e.name, e.uscc, e.get_industry_display(), e.get_ownership_display(), e.headcount,
             "是" if e.above_scale else "", "、".join(e.trades or []), e.org.name, e.address] for e in qs]
    audit.record(user, AuditLog.Action.EXPORT, within, object_type="orgs.Employer",
                 note=f"导出未建会单位 {len(rows)} 家（{minimum}人以上）")
    headers = ["单位名称", "统一社会信用代码", "行业门类", "单位性质", "职工人数", "规上企业", "行业标签", "登记工会",
               "地址"]
    return Sheet("未建会单位", headers, rows, text_columns=(1,),
                 title=f"{within.name}区域内{minimum}人以上未建会单位（{on:%Y-%m-%d}）")


@transaction.atomic
def export_terms(user: Any, within: Org, days: int) -> Sheet:
    today = dt.date.today()
    rows = [[o.code, o.name, o.get_kind_display(), o.reelected_on or o.founded_on, o.term_years, o.term_ends_on,
             "逾期" if o.term_ends_on and o.term_ends_on < today else "将到期"]
            for qs in (org_selectors.term_overdue(user, within=within), org_selectors.term_due(user, within=within,
                                                                                               days=days))
            for o in qs]
    audit.record(user, AuditLog.Action.EXPORT, within, object_type="orgs.Org", note=f"导出换届提醒 {len(rows)} 条")
    return Sheet("换届提醒", ["工会代码", "工会名称", "类别", "本届产生日期", "任期（年）", "任期届满", "状态"], rows,
                 text_columns=(0,), title=f"{within.name}及所属工会换届提醒（{today:%Y-%m-%d}）")
