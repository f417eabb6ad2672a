"""Excel exports of the activity log and publicity records (scoped and audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Sum

from gonghui.activities import selectors
from gonghui.activities.models import Activity, MaterialDistribution
from gonghui.activities.vocab import Topic
from gonghui.core import audit
from gonghui.core.excel import Sheet
from gonghui.core.models import AuditLog
from gonghui.orgs.models import Org

ACTIVITY_HEADERS = [
    "编号", "活动名称", "活动类型", "统计类型", "主办工会代码", "主办工会", "协办工会", "开始日期", "结束日期", "场次",
    "人员登记", "人数（人）", "人次", "估算", "参与单位数", "参赛队伍数", "学时", "经费支出（元）", "发放资料（份）",
    "媒体报道（篇）", "关注人次", "活动品牌", "主题标签", "对象", "地点", "阵地",
]
PUBLICITY_HEADERS = ["发布日期", "类别", "标题", "发布工会", "发布平台", "平台级别", "被采用媒体", "采用级别",
                     "阅读人次", "链接"]
MATERIAL_HEADERS = ["发放日期", "发放工会", "资料名称", "主题", "份数", "活动品牌", "相关活动"]


def _topics(values: list[str]) -> str:
    labels = dict(Topic.choices)
    return "、".join(labels.get(v, v) for v in values or [])


@transaction.atomic
def export_activities(user: Any, within: Org, **filters: Any) -> Sheet:
    """The activities of ``within``'s subtree that the user may see, with 人 and 人次 per activity."""
    qs = (selectors.activities(user, within=within, **filters)
          .select_related("facility", "type")
          .prefetch_related(Prefetch("co_organisers", queryset=Org.objects.only("name")))
          .annotate(copies=Sum("materials__copies")))
    rows = [
        [a.pk, a.title, a.type.name, a.type.base_code, a.org.code, a.org.name,
         "、".join(o.name for o in a.co_organisers.all()), a.start_on, a.end_on, a.sessions,
         "签到人数" if a.headcount_only else "人员名单", a.persons, a.person_times, "是" if a.estimated else "",
         a.units, a.teams, float(a.hours) if a.hours else "", float(a.amount_spent) if a.amount_spent else "",
         a.copies or "", a.media_reports or "", a.reach or "", a.get_campaign_display() if a.campaign else "",
         _topics(a.topics), a.get_audience_display() if a.audience else "", a.venue,
         a.facility.name if a.facility else ""]
        for a in qs.order_by("start_on", "pk")
    ]
    audit.record(user, AuditLog.Action.EXPORT, within, object_type=Activity._meta.label,
                 note=f"导出活动记录 {len(rows)} 条")
    return Sheet("活动记录", ACTIVITY_HEADERS, rows, text_columns=(4,), title=f"{within.name}及所属工会活动记录")


@transaction.atomic
def export_publicity(user: Any, within: Org, **filters: Any) -> Sheet:
    qs = selectors.publicity_items(user, within=within, **filters)
    rows = [[p.published_on, p.get_type_display(), p.title, p.org.name, p.outlet, p.get_level_display(),
             p.adopted_by, p.get_adopted_level_display() if p.adopted_level else "", p.reach or "", p.url]
            for p in qs.order_by("published_on", "pk")]
    audit.record(user, AuditLog.Action.EXPORT, within, object_type="activities.PublicityItem",
                 note=f"导出宣传报道 {len(rows)} 条")
    return Sheet("宣传报道", PUBLICITY_HEADERS, rows, title=f"{within.name}及所属工会宣传报道")


@transaction.atomic
def export_materials(user: Any, within: Org, **filters: Any) -> Sheet:
    qs = selectors.material_distributions(user, within=within, **filters)
    rows = [[m.distributed_on, m.org.name, m.title, m.get_topic_display(), m.copies,
             m.get_campaign_display() if m.campaign else "", m.activity.title if m.activity else ""]
            for m in qs.order_by("distributed_on", "pk")]
    audit.record(user, AuditLog.Action.EXPORT, within, object_type=MaterialDistribution._meta.label,
                 note=f"导出宣传资料发放 {len(rows)} 条")
    return Sheet("宣传资料", MATERIAL_HEADERS, rows, title=f"{within.name}及所属工会宣传资料发放")
