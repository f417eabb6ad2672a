"""Figures of the membership family (METRICS.md 会员发展与管理, ANNUAL_RETURN.md 表2).

Membership state derives from the dated events (``MembershipChange``), so a
stock is exact at any date and a flow counts events in the window. New members
count 入会 events only: a transfer-in is not a new member (GLOSSARY, 转会).
People are counted once (人 = distinct persons). The workforce figures
(``members.workforce.*``) are registered by the orgs app, from Org.covered_workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from gonghui.core.crypto import mask_id_number
from gonghui.members import tally
from gonghui.members.models import ChangeType, Member, MembershipChange
from gonghui.members.selectors import active_on
from gonghui.reports.registry import FLOW, RATIO, STOCK, Column, Metric, MetricContext, register

if TYPE_CHECKING:
    from gonghui.orgs.models import Org

MEMBER_COLUMNS = (
    Column("姓名", "person.name"),
    Column("证件号码", lambda m: mask_id_number(m.person.id_number), text=True, full="person.id_number"),
    Column("性别", "person.get_gender_display"),
    Column("所在工会", "org.name"),
    Column("工作单位", "employer_name"),
    Column("入会日期", "joined_on"),
    Column("会籍状态", "get_status_display"),
    Column("农民工", lambda m: "是" if m.is_migrant else "否"),
    Column("新就业形态群体", "get_new_group_display"),
)


def people() -> Any:
    """人: distinct persons (a person with two memberships in the subtree counts once)."""
    return Count("person_id", distinct=True)


def with_events(ctx: MetricContext, types: tuple[str, ...]) -> QuerySet[Member]:
    """Memberships with an event of ``types`` dated in the window."""
    events = MembershipChange.objects.filter(change_type__in=types, changed_on__range=ctx.window.range)
    return Member.objects.filter(pk__in=events.values("member_id")).select_related("person", "org")


def joined(ctx: MetricContext) -> QuerySet[Member]:
    return with_events(ctx, (ChangeType.JOIN,))


def active(ctx: MetricContext) -> QuerySet[Member]:
    """Memberships active on the window's last day, from their latest event on or before it."""
    return active_on(Member.objects.filter(joined_on__lte=ctx.on), ctx.on).select_related("person", "org")


def tallied_active(ctx: MetricContext, orgs: Sequence[Org]) -> dict[int, tuple[int, int]] | None:
    """members.total from the member tally: (people, memberships) active on the window's last day."""
    return tally.stock([o.pk for o in orgs], ctx.on)


def tallied_joined(ctx: MetricContext, orgs: Sequence[Org]) -> dict[int, tuple[int, int]] | None:
    """members.new from the member tally: (people, memberships) with a 入会 event in the window."""
    return tally.joined([o.pk for o in orgs], ctx.window.start, ctx.window.end)


def _flag(field: str) -> Any:
    def apply(qs: QuerySet[Member], value: str) -> QuerySet[Member]:
        return qs.filter(**{field: value.lower() in ("1", "true", "是", "yes")})
    return apply


def by_gender(qs: QuerySet[Member], value: str) -> QuerySet[Member]:
    return qs.filter(person__gender={"男": "male", "女": "female"}.get(value, value))


def by_new_group(qs: QuerySet[Member], value: str) -> QuerySet[Member]:
    """``new_group`` alone (``[new_group]`` in 表2) means any group; a code picks one."""
    if value.lower() in ("", "1", "true", "是", "yes", "any"):
        return qs.exclude(new_group="")
    return qs.filter(new_group=value)


def by_mode(qs: QuerySet[Member], value: str) -> QuerySet[Member]:
    return qs.filter(org__mode=value)


MEMBER_FILTERS: dict[str, Any] = {"gender": by_gender, "is_migrant": _flag("is_migrant"),
                                  "new_group": by_new_group, "mode": by_mode}

register(Metric(
    key="members.new", label="新增（发展、吸纳）会员", unit="人", kind=FLOW, domain="members",
    records=joined, value=people, columns=MEMBER_COLUMNS, filters=MEMBER_FILTERS, tally=tallied_joined,
    note="统计期内办理入会的人数；转入不算新增会员",
))
register(Metric(
    key="members.new.migrant", label="其中农民工会员", unit="人", kind=FLOW, domain="members",
    records=lambda ctx: joined(ctx).filter(is_migrant=True), value=people, columns=MEMBER_COLUMNS,
))
register(Metric(
    key="members.new.eight_groups", label="“八大群体”新入会会员", unit="人", kind=FLOW, domain="members",
    records=lambda ctx: joined(ctx).exclude(new_group=""), value=people, columns=MEMBER_COLUMNS,
    note="新入会会员中标注了新就业形态群体（快递员、货车司机、网约送餐员等）的人数",
))
register(Metric(
    key="members.total", label="会员总数", unit="人", kind=STOCK, domain="members",
    records=active, value=people, columns=MEMBER_COLUMNS, filters=MEMBER_FILTERS, tally=tallied_active,
    note="统计期末在册会员（保留会籍的不计入）",
))
register(Metric(
    key="members.realname.entered", label="会员实名制录入", unit="人", kind=STOCK, domain="members",
    records=lambda ctx: active(ctx).filter(realname_entered_on__lte=ctx.on), value=people, columns=MEMBER_COLUMNS,
    note="统计期末在册会员中已实名录入的人数",
))
register(Metric(
    key="members.transferred_in", label="本年转入及恢复会籍", unit="人", kind=FLOW, domain="members",
    records=lambda ctx: with_events(ctx, (ChangeType.TRANSFER_IN, ChangeType.RESTORE)), value=people,
    columns=MEMBER_COLUMNS,
))
register(Metric(
    key="members.decrease", label="本年减少（转出、退会、保留会籍、除名）", unit="人", kind=FLOW, domain="members",
    records=lambda ctx: with_events(ctx, (ChangeType.TRANSFER_OUT, ChangeType.LEAVE, ChangeType.RETAIN,
                                          ChangeType.EXPEL)),
    value=people, columns=MEMBER_COLUMNS,
))
register(Metric(
    key="members.membership_rate", label="职工入会率", unit="%", kind=RATIO, domain="members",
    numerator="members.total", denominator="members.workforce.total", decimals=1,
    note="会员人数 ÷ 职工人数 × 100",
))

