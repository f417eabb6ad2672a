"""Excel exports of the union tree and the employer register (scoped and audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gonghui.core import audit
from gonghui.core.excel import Sheet
from gonghui.core.models import AuditLog
from gonghui.orgs import selectors
from gonghui.orgs.models import Org

ORG_HEADERS = ["工会代码", "工会名称", "上级工会代码", "类别", "层级", "建会方式", "联合工会类型", "成立日期",
               "撤销日期", "最近换届日期", "任期（年）", "任期届满", "涵盖职工人数", "涵盖单位数", "实名制管理"]
EMPLOYER_HEADERS = ["单位名称", "统一社会信用代码", "行业门类", "单位性质", "职工人数", "女职工人数", "小微企业",
                    "规模以上", "已建会", "登记工会", "地址"]


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


@transaction.atomic
def export_orgs(user: Any, within: Org) -> Sheet:
    """The unions of ``within``'s subtree that the user may see."""
    qs = (selectors.visible_orgs(user).filter(path__startswith=within.path).order_by("path")
          .prefetch_related("covered_entities"))
    codes_by_path = dict(Org.objects.filter(path__startswith=within.path).values_list("path", "code"))
    parent = Org.objects.get_parent(within)
    if parent is not None:
        codes_by_path[parent.path] = parent.code
    rows = [
        [o.code, o.name, codes_by_path.get(o.path[: (o.depth - 1) * Org.steplen], ""), o.get_kind_display(),
         o.get_level_display(), o.get_mode_display(), o.get_joint_type_display(), o.founded_on, o.dissolved_on,
         o.reelected_on, o.term_years, o.term_ends_on, o.covered_workers, len(o.covered_entities.all()),
         _yes(o.realname_complete)]
        for o in qs
    ]
    audit.record(user, AuditLog.Action.EXPORT, within, note=f"导出工会名册 {len(rows)} 条")
    return Sheet("工会名册", ORG_HEADERS, rows, text_columns=(0, 2), title=f"{within.name}及所属工会名册")


@transaction.atomic
def export_employers(user: Any, within: Org) -> Sheet:
    qs = selectors.employers(user, within=within)
    rows = [
        [e.name, e.uscc, e.get_industry_display(), e.get_ownership_display(), e.headcount, e.female_headcount,
         _yes(e.is_small_micro), _yes(e.above_scale), _yes(e.has_union), e.org.name,  # type: ignore[attr-defined]
         e.address]
        for e in qs
    ]
    audit.record(user, AuditLog.Action.EXPORT, within, note=f"导出用人单位 {len(rows)} 条")
    return Sheet("用人单位", EMPLOYER_HEADERS, rows, text_columns=(1,), title=f"{within.name}用人单位名录")
