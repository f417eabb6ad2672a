"""Figures of the organisation family (METRICS.md 组织建设, ANNUAL_RETURN.md 表1 and 表3)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from gonghui.orgs.models import Committee, Employer, Officer, OfficerRole, Org, OrgEvent, OrgKind, OrgMode, Ownership
from gonghui.reports.registry import FLOW, RATIO, STOCK, Column, Metric, MetricContext, register

ORG_COLUMNS = (
    Column("工会代码", "code", text=True),
    Column("工会名称", "name"),
    Column("类别", "get_kind_display"),
    Column("建会方式", "get_mode_display"),
    Column("成立日期", "founded_on"),
    Column("撤销日期", "dissolved_on"),
    Column("涵盖职工", "covered_workers"),
)
EMPLOYER_COLUMNS = (
    Column("单位名称", "name"),
    Column("统一社会信用代码", "uscc", text=True),
    Column("单位性质", "get_ownership_display"),
    Column("职工人数", "headcount"),
    Column("女职工人数", "female_headcount"),
    Column("规模以上", lambda e: "是" if e.above_scale else "否"),
)
OFFICER_COLUMNS = (
    Column("工会", "org.name"),
    Column("姓名", "name"),
    Column("职务", "get_role_display"),
    Column("委员会", lambda o: o.committee.get_kind_display() if o.committee else ""),
    Column("性别", "get_gender_display"),
    Column("专职", lambda o: "是" if o.full_time else "否"),
    Column("任职日期", "started_on"),
)
PUBLIC_SECTOR = (Ownership.GOVERNMENT, Ownership.PUBLIC_INSTITUTION)
ELECTED = (OfficerRole.CHAIR, OfficerRole.VICE_CHAIR, OfficerRole.COMMITTEE_MEMBER)


def size_threshold() -> int:
    """``param.size_threshold``: the "X人以上企业" of the summaries (configurable)."""
    return int(getattr(settings, "GONGHUI_PARAMS", {}).get("size_threshold", 100))


def active_on(ctx: MetricContext, prefix: str = "") -> Q:
    """Unions in being on the window's last day."""
    return Q(**{f"{prefix}founded_on__lte": ctx.on}) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": ctx.on}))


def grassroots_founded(ctx: MetricContext) -> QuerySet[Org]:
    return Org.objects.filter(kind=OrgKind.GRASSROOTS, founded_on__range=ctx.window.range)


def grassroots_active(ctx: MetricContext) -> QuerySet[Org]:
    return Org.objects.filter(active_on(ctx), kind=OrgKind.GRASSROOTS)


def covering(employers: Q) -> Q:
    """Unions covering at least one employer matching ``employers`` (a Q on Employer)."""
    return Q(pk__in=Org.covered_entities.through.objects.filter(
        employer__in=Employer.objects.filter(employers)).values("org_id"))


def by_mode(qs: QuerySet[Org], value: str) -> QuerySet[Org]:
    return qs.filter(mode=value)


def by_joint_type(qs: QuerySet[Org], value: str) -> QuerySet[Org]:
    return qs.filter(joint_type=value)


def by_trade(qs: QuerySet[Org], value: str) -> QuerySet[Org]:
    """Unions of employers tagged with a trade (快递业, 保安业…); tags are matched in Python
    because JSON list lookups differ between SQLite and PostgreSQL."""
    ids = [pk for pk, trades in Employer.objects.values_list("pk", "trades") if value in (trades or [])]
    return qs.filter(covering(Q(pk__in=ids)))


ORG_FILTERS: dict[str, Any] = {"mode": by_mode, "joint_type": by_joint_type, "trade": by_trade}


def employers_of(unions: QuerySet[Org]) -> QuerySet[Employer]:
    return Employer.objects.filter(pk__in=Org.covered_entities.through.objects.filter(
        org__in=unions).values("employer_id"))


def _covered_entities(unions: Any) -> Any:
    def records(ctx: MetricContext) -> QuerySet[Employer]:
        return employers_of(unions(ctx).filter(ctx.in_subtree("")))
    return records


def officers_active(ctx: MetricContext) -> QuerySet[Officer]:
    """Posts held on the window's last day, in unions in being that day."""
    return Officer.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=ctx.on), active_on(ctx, "org__"),
                                  started_on__lte=ctx.on,
                                  org__kind__in=[OrgKind.GRASSROOTS, OrgKind.FEDERATION, OrgKind.INDUSTRY])


def _flag(field: str) -> Any:
    def apply(qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        return qs.filter(**{field: value.lower() in ("1", "true", "是", "yes")})
    return apply


def _equals(field: str) -> Any:
    def apply(qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        return qs.filter(**{field: value})
    return apply


OFFICER_FILTERS: dict[str, Any] = {
    "gender": _equals("gender"),
    "full_time": _flag("full_time"),
    "is_social_worker": _flag("is_social_worker"),
    "role": _equals("role"),
    "kind": _equals("committee__kind"),
}

register(Metric(
    key="orgs.grassroots.new", label="新建基层工会", unit="家", kind=FLOW, domain="orgs", org_field="",
    records=grassroots_founded, columns=ORG_COLUMNS, filters=ORG_FILTERS,
    note="基层工会（含联合基层工会）成立日期在统计期内",
))
register(Metric(
    key="orgs.grassroots.new.nonpublic", label="其中非公企业工会", unit="家", kind=FLOW, domain="orgs", org_field="",
    records=lambda ctx: grassroots_founded(ctx).filter(covering(Q(ownership=Ownership.NON_PUBLIC))),
    columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.grassroots.new.public_sector", label="其中机关事业单位工会", unit="家", kind=FLOW, domain="orgs",
    org_field="", records=lambda ctx: grassroots_founded(ctx).filter(covering(Q(ownership__in=PUBLIC_SECTOR))),
    columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.grassroots.new.large_enterprise", label="其中规模以上人数企业建会", unit="家", kind=FLOW,
    domain="orgs", org_field="",
    records=lambda ctx: grassroots_founded(ctx).filter(covering(Q(headcount__gte=size_threshold()))),
    columns=ORG_COLUMNS, note="涵盖单位职工人数达到 param.size_threshold（默认100人）",
))
register(Metric(
    key="orgs.grassroots.new.above_scale", label="其中规上企业", unit="家", kind=FLOW, domain="orgs", org_field="",
    records=lambda ctx: grassroots_founded(ctx).filter(covering(Q(above_scale=True))), columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.grassroots.new.covered_entities", label="新建工会涵盖法人单位", unit="家", kind=FLOW, domain="orgs",
    records=_covered_entities(grassroots_founded), limits_itself=True, columns=EMPLOYER_COLUMNS,
    note="统计期内新建基层工会涵盖的单位（联合工会计入全部涵盖单位）",
))
register(Metric(
    key="orgs.grassroots.new_or_reelected", label="新建（换届）工会组织", unit="家", kind=FLOW, domain="orgs",
    org_field="",
    records=lambda ctx: Org.objects.filter(kind=OrgKind.GRASSROOTS).filter(
        Q(founded_on__range=ctx.window.range)
        | Q(pk__in=OrgEvent.objects.filter(kind=OrgEvent.Kind.REELECTED, occurred_on__range=ctx.window.range)
            .values("org_id"))),
    columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.grassroots.reelected", label="本年完成换届的基层工会", unit="个", kind=FLOW, domain="orgs", org_field="",
    records=lambda ctx: Org.objects.filter(kind=OrgKind.GRASSROOTS, pk__in=OrgEvent.objects.filter(
        kind=OrgEvent.Kind.REELECTED, occurred_on__range=ctx.window.range).values("org_id")),
    columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.grassroots.dissolved", label="本年撤销（注销）基层工会", unit="个", kind=FLOW, domain="orgs",
    org_field="", records=lambda ctx: Org.objects.filter(kind=OrgKind.GRASSROOTS,
                                                         dissolved_on__range=ctx.window.range),
    columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.grassroots.total", label="基层工会总数", unit="家", kind=STOCK, domain="orgs", org_field="",
    records=grassroots_active, columns=ORG_COLUMNS, filters=ORG_FILTERS,
))
register(Metric(
    key="orgs.grassroots.total.workers_covered", label="基层工会涵盖职工", unit="人", kind=STOCK, domain="orgs",
    org_field="", records=grassroots_active, value=lambda: Sum("covered_workers"), columns=ORG_COLUMNS,
    note="在册基层工会登记的涵盖职工人数之和",
))
register(Metric(
    key="orgs.grassroots.total.covered_entities", label="基层工会涵盖单位数", unit="个", kind=STOCK, domain="orgs",
    records=_covered_entities(grassroots_active), limits_itself=True, columns=EMPLOYER_COLUMNS,
))
register(Metric(
    key="orgs.joint.total", label="联合基层工会", unit="家", kind=STOCK, domain="orgs", org_field="",
    records=lambda ctx: grassroots_active(ctx).filter(mode=OrgMode.JOINT), columns=ORG_COLUMNS,
    filters={"joint_type": by_joint_type},
))
register(Metric(
    key="orgs.joint.total.covered_entities", label="联合基层工会涵盖单位数", unit="个", kind=STOCK, domain="orgs",
    records=_covered_entities(lambda ctx: grassroots_active(ctx).filter(mode=OrgMode.JOINT)), limits_itself=True,
    columns=EMPLOYER_COLUMNS,
))
register(Metric(
    key="orgs.grassroots.term_overdue", label="届满未换届的基层工会", unit="个", kind=STOCK, domain="orgs",
    org_field="", records=lambda ctx: grassroots_active(ctx).filter(term_ends_on__lt=ctx.on), columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.branches.total", label="分工会", unit="个", kind=STOCK, domain="orgs", org_field="",
    records=lambda ctx: Org.objects.filter(active_on(ctx), kind=OrgKind.BRANCH), columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.groups.total", label="工会小组", unit="个", kind=STOCK, domain="orgs", org_field="",
    records=lambda ctx: Org.objects.filter(active_on(ctx), kind=OrgKind.GROUP), columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.realname.total", label="实现实名制管理的基层工会", unit="个", kind=STOCK, domain="orgs", org_field="",
    records=lambda ctx: grassroots_active(ctx).filter(realname_complete=True), columns=ORG_COLUMNS,
))
register(Metric(
    key="orgs.committees.units", label="建立相关委员会的基层工会", unit="个", kind=STOCK, domain="orgs",
    org_field="",
    records=lambda ctx: grassroots_active(ctx).filter(pk__in=Committee.objects.filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=ctx.on), elected_on__lte=ctx.on).values("org_id")),
    filters={"kind": lambda qs, value: qs.filter(committees__kind=value).distinct()},
    columns=ORG_COLUMNS, note="按 kind 筛选：women 女职工委员会、audit 经审会、safety、legal_supervision、mediation",
))
register(Metric(
    key="finance.centralised_accounting.units", label="纳入财务集中核算的基层工会", unit="家", kind=STOCK,
    domain="orgs", org_field="", records=lambda ctx: grassroots_active(ctx).filter(central_accounting=True),
    columns=ORG_COLUMNS,
))
register(Metric(
    key="finance.independent_account.units", label="开设工会独立账户的基层工会", unit="个", kind=STOCK,
    domain="orgs", org_field="",
    records=lambda ctx: grassroots_active(ctx).filter(has_own_account=True).filter(
        Q(account_opened_on__isnull=True) | Q(account_opened_on__lte=ctx.on)),
    columns=ORG_COLUMNS,
))

# -- officers (表3) --------------------------------------------------------------------------
def committee_members(ctx: MetricContext) -> QuerySet[Officer]:
    """Elected members in post of the union committee, or of the committee named by ``kind``."""
    kind = ctx.filters.get("kind", "union")
    qs = officers_active(ctx).filter(role__in=ELECTED)
    if kind == "union":
        return qs.filter(Q(committee__kind="union") | Q(committee__isnull=True))
    return qs.filter(committee__kind=kind)


register(Metric(
    key="self.committee.total", label="工会委员会委员", unit="人", kind=STOCK, domain="orgs",
    records=committee_members, filters={**OFFICER_FILTERS, "kind": lambda qs, value: qs},
    columns=OFFICER_COLUMNS, note="在任的主席、副主席、委员；kind=audit / women 为经审会、女职工委员会委员",
))
register(Metric(
    key="self.chairs.total", label="工会主席", unit="人", kind=STOCK, domain="orgs",
    records=lambda ctx: officers_active(ctx).filter(role=OfficerRole.CHAIR, org__kind=OrgKind.GRASSROOTS),
    filters=OFFICER_FILTERS, columns=OFFICER_COLUMNS,
))
register(Metric(
    key="self.staff.total", label="工会工作人员", unit="人", kind=STOCK, domain="orgs",
    records=officers_active, filters=OFFICER_FILTERS, columns=OFFICER_COLUMNS,
    note="在任的全部工会职务（一人多职按职务计）",
))
register(Metric(
    key="self.committee.members_added", label="增补委员", unit="人", kind=FLOW, domain="orgs",
    records=lambda ctx: Officer.objects.filter(by_election=True, started_on__range=ctx.window.range),
    columns=OFFICER_COLUMNS,
))

# -- workforce of the covered employers ------------------------------------------------------
register(Metric(
    key="members.workforce.total", label="职工人数", unit="人", kind=STOCK, domain="orgs", org_field="",
    records=grassroots_active, value=lambda: Sum("covered_workers"), columns=ORG_COLUMNS,
    note="在册基层工会涵盖职工人数之和",
))
register(Metric(
    key="members.workforce.female", label="女职工人数", unit="人", kind=STOCK, domain="orgs",
    records=_covered_entities(grassroots_active), limits_itself=True, value=lambda: Sum("female_headcount"),
    columns=EMPLOYER_COLUMNS, note="在册基层工会涵盖单位登记的女职工人数之和",
))
register(Metric(
    key="members.workforce.female_share", label="女职工占比", unit="%", kind=RATIO, domain="orgs",
    numerator="members.workforce.female", denominator="members.workforce.total", decimals=1,
))

