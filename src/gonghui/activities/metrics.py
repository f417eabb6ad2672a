"""Figures of METRICS.md computed from the activity log and publicity records (the registry's activity family).

Counting rules:
- 场/次 of lectures, outreach and meetings = activity sessions; 个/期/项 = activities.
- 人 = distinct persons on the rosters (``person_key``) plus the headcount of each activity
  known only from a paper sign-in; 人次 = sessions attended by roster persons plus those headcounts.
  An activity has a roster or a headcount, never both, so one aggregate over the roster join is exact.
- 家/个 of units = distinct employers named on the activities plus the units counted on activities
  that name none (an activity names its units or counts them, never both).
- An activity co-organised by several unions of the subtree counts once: the records are selected
  by ``pk__in`` (``organised_within``), so roll-ups never double count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from gonghui.activities.models import (
    Activity,
    ActivityEntry,
    Club,
    EntryResult,
    MaterialDistribution,
    ParticipantRole,
    PartyRecommendation,
    PublicityItem,
    Subscription,
)
from gonghui.activities.selectors import organised_within
from gonghui.core.crypto import mask_id_number
from gonghui.reports.registry import FLOW, REGISTRY, STOCK, Column, Metric, MetricContext, register

Value = Callable[[], Any]

ACTIVITY_COLUMNS = (
    Column("编号", "pk"),
    Column("活动名称", "title"),
    Column("活动类型", "type.name"),
    Column("主办工会", "org.name"),
    Column("开始日期", "start_on"),
    Column("结束日期", "end_on"),
    Column("场次", "sessions"),
    Column("人员登记", lambda a: "签到人数" if a.headcount_only else "人员名单"),
    Column("人数", "persons"),
    Column("人次", "person_times"),
    Column("估算", lambda a: "是" if a.estimated else ""),
    Column("参与单位", "units"),
    Column("队伍", "teams"),
)
ENTRY_COLUMNS = (
    Column("活动", "activity.title"),
    Column("活动日期", "activity.start_on"),
    Column("参赛类别", "get_kind_display"),
    Column("名称", "name"),
    Column("结果", "get_result_display"),
    Column("名次", "rank_text"),
    Column("推荐上级", lambda e: "是" if e.recommended_up else ""),
)
PUBLICITY_COLUMNS = (
    Column("发布日期", "published_on"),
    Column("类别", "get_type_display"),
    Column("标题", "title"),
    Column("发布工会", "org.name"),
    Column("平台", "outlet"),
    Column("平台级别", "get_level_display"),
    Column("被采用媒体", "adopted_by"),
    Column("阅读人次", "reach"),
)
MATERIAL_COLUMNS = (
    Column("发放日期", "distributed_on"),
    Column("发放工会", "org.name"),
    Column("资料名称", "title"),
    Column("主题", "get_topic_display"),
    Column("份数", "copies"),
)

ROSTER = Q(participants__role=ParticipantRole.PARTICIPANT)
PAPER = Q(headcount_only=True)


def activities_in(ctx: MetricContext, types: Iterable[str] = (), campaign: str = "",
                  audience: str | None = None) -> QuerySet[Activity]:
    """Activities starting in the window, organised or co-organised in the subtree (or by the union alone)."""
    qs = Activity.objects.filter(organised_within(ctx.org, own_only=ctx.own_only),
                                 start_on__range=ctx.window.range).select_related("org", "type")
    types = tuple(types)
    if types:
        qs = qs.filter(type__base_code__in=types)
    if campaign:
        qs = qs.filter(campaign=campaign)
    if audience is not None:
        qs = qs.filter(audience=audience)
    return qs


# -- aggregate values over activities -------------------------------------------------------------


def activities_counted() -> Any:
    return Count("pk", distinct=True)


def sessions() -> Any:
    return Coalesce(Sum("sessions"), 0)


def persons() -> Any:
    """人: distinct roster persons plus paper headcounts."""
    return (Count("participants__person_key", distinct=True, filter=ROSTER)
            + Coalesce(Sum("headcount", filter=PAPER), 0))


def person_times() -> Any:
    """人次: sessions attended on the rosters plus paper headcounts."""
    return (Coalesce(Sum("participants__attendances", filter=ROSTER), 0)
            + Coalesce(Sum("headcount", filter=PAPER), 0))


def units() -> Any:
    """Distinct named employers plus the units counted on activities that name none."""
    return (Count("participating_employers", distinct=True)
            + Coalesce(Sum("units", filter=Q(participating_employers__isnull=True)), 0))


def total(field: str) -> Value:
    return lambda: Coalesce(Sum(field), 0)


def measure(key: str) -> Value:
    """Sum of a type-specific figure kept in ``Activity.measures`` (e.g. the lots of a charity auction)."""
    return lambda: Coalesce(Sum(Cast(KeyTextTransform(key, "measures"),
                                     output_field=DecimalField(max_digits=16, decimal_places=2))), Decimal("0"))


def trainees_with(outcome: str) -> Value:
    """Trainees with a certificate (or re-employment): flagged roster persons plus paper counts."""
    return lambda: (Count("participants__person_key", distinct=True,
                          filter=ROSTER & Q(**{f"participants__{outcome}": True}))
                    + Coalesce(Sum(f"{outcome}_count", filter=PAPER), 0))


def lecturers() -> Any:
    return Count("participants__person_key", distinct=True,
                 filter=Q(participants__role=ParticipantRole.LECTURER))


def trades() -> Any:
    return Count("trade", distinct=True, filter=~Q(trade=""))


# -- filters ----------------------------------------------------------------------------------


def by_topic(qs: QuerySet[Activity], value: str) -> QuerySet[Activity]:
    """Topic tags are a JSON list: matched here, the same on SQLite and PostgreSQL."""
    return qs.filter(pk__in=[pk for pk, topics in qs.values_list("pk", "topics") if value in (topics or [])])


def by_roster(**lookup: Any) -> Callable[[QuerySet[Activity], str], QuerySet[Activity]]:
    """A filter on the persons (农民工, 性别): roster rows only, since a bare headcount has no attributes.

    The filter joins the roster; the value's aggregate reuses that join, so only matching rows count.
    """

    def apply(qs: QuerySet[Activity], value: str) -> QuerySet[Activity]:
        wanted = {k: (value.lower() in ("1", "true", "是", "yes") if v is bool else
                      {"男": "male", "女": "female"}.get(value, value)) for k, v in lookup.items()}
        return qs.filter(ROSTER, **{f"participants__{k}": v for k, v in wanted.items()})

    return apply


COMMON_FILTERS: dict[str, Any] = {
    "topic": by_topic,
    "campaign": lambda qs, value: qs.filter(campaign=value),
    "audience": lambda qs, value: qs.filter(audience=value),
}
PERSON_FILTERS: dict[str, Any] = {**COMMON_FILTERS, "is_migrant": by_roster(is_migrant=bool),
                                  "gender": by_roster(gender=str)}


def activity_metric(key: str, label: str, unit: str, value: Value | None = None, *, types: Iterable[str] = (),
                    campaign: str = "", audience: str | None = None, note: str = "") -> None:
    """Register a figure over a set of activities (``value`` None: the number of activities)."""
    type_codes = tuple(types)
    by_person = value in (persons, person_times)
    register(Metric(
        key=key, label=label, unit=unit, kind=FLOW, domain="activities",
        records=lambda ctx: activities_in(ctx, type_codes, campaign, audience), limits_itself=True,
        value=value or activities_counted, columns=ACTIVITY_COLUMNS,
        filters=PERSON_FILTERS if by_person else COMMON_FILTERS, note=note,
    ))


def entry_metric(key: str, label: str, unit: str, *, types: Iterable[str], **lookup: Any) -> None:
    type_codes = tuple(types)
    register(Metric(
        key=key, label=label, unit=unit, kind=FLOW, domain="activities",
        records=lambda ctx: ActivityEntry.objects.filter(
            activity__in=activities_in(ctx, type_codes).values("pk"), **lookup).select_related("activity"),
        limits_itself=True, columns=ENTRY_COLUMNS,
    ))


CULTURE = ("culture", "sports")
CONTESTS = ("contest",)
QUIZZES = ("quiz", "speech_contest")

# Publicity & education 宣传教育
activity_metric("publicity.lectures.events", "宣讲、辅导、报告会", "场", sessions, types=["lecture"],
                note="宣讲类活动的场次之和")
activity_metric("publicity.lectures.audience", "受教育职工（学生）", "人", persons, types=["lecture"])
activity_metric("publicity.lectures.units", "宣讲覆盖单位", "个", units, types=["lecture"])
activity_metric("publicity.lecturers", "宣讲团成员", "人", lecturers, types=["lecture"],
                note="统计期内登记为授课（宣讲）人的不同人员")
activity_metric("publicity.contests.teams", "知识竞赛代表队", "个", total("teams"), types=QUIZZES)
activity_metric("publicity.contests.participants", "知识竞赛、演讲比赛参与", "人", persons, types=QUIZZES)
activity_metric("publicity.reading.events", "读书活动", "场", sessions, types=["reading"])
activity_metric("publicity.reading.participants", "读书活动参与职工", "人", persons, types=["reading"])

# Culture & sports 文体活动
activity_metric("culture.events", "文体活动", "场", types=CULTURE,
                note="文艺、体育活动的项数（一项活动计一场；运动会的比赛场次见 culture.sports.matches）")
activity_metric("culture.participants", "参与（参赛）职工", "人", persons, types=CULTURE)
activity_metric("culture.participating_units", "参赛企业（单位）", "家", units, types=CULTURE)
activity_metric("culture.sports.teams", "参赛队伍", "支", total("teams"), types=["sports"])
activity_metric("culture.sports.athletes", "运动员", "人", persons, types=["sports"])
activity_metric("culture.sports.matches", "比赛场次", "场", sessions, types=["sports"])
activity_metric("culture.sports.duration_days", "赛程（历时）天数", "天", total("days"), types=["sports"],
                note="每项体育活动结束日期减开始日期加一之和")
activity_metric("culture.essay.submitters", "征文投稿人数", "人", persons, types=["essay_contest"])
entry_metric("culture.essay.published", "刊登优秀征文", "篇", types=["essay_contest"], published=True)
activity_metric("culture.outreach.units", "送文化进企业", "家", units, campaign="culture_outreach")
activity_metric("culture.outreach.persons", "惠及职工", "人", persons, campaign="culture_outreach")
activity_metric("culture.charity_auction.works", "义拍作品", "幅", measure("lots"), types=["charity_auction"])
activity_metric("culture.charity_auction.amount", "义拍所得", "元", measure("proceeds"), types=["charity_auction"])

# Rights: legal publicity and the activity-based rights figures
activity_metric("rights.legal_publicity.events", "普法宣传活动", "场", sessions, types=["legal_outreach"])
activity_metric("rights.legal_publicity.audience", "普法受众（参与职工）", "人", persons, types=["legal_outreach"])
activity_metric("rights.openness_inspections.units", "厂务公开检查（调研）单位", "家", units,
                types=["openness_inspection"])
activity_metric("rights.bargaining_guidance.events", "集体协商指导活动", "场", sessions,
                types=["bargaining_guidance"])
activity_metric("rights.democracy.joint_meetings", "与行政联席会议", "次", types=["joint_with_admin"])

# Safety 安康杯与劳动保护
activity_metric("safety.ankang.enterprises", "参加“安康杯”竞赛企业（单位）", "家", units, campaign="ankang_cup")
activity_metric("safety.ankang.participants", "“安康杯”参与职工", "人", persons, campaign="ankang_cup")
activity_metric("safety.museum_visitors", "劳动保护教育馆参观", "人", persons, types=["museum_visit"],
                note="参观学习类活动的参观人数；劳动保护教育馆可加 topic=safety 筛选")

# Labour competitions 劳动竞赛
activity_metric("competitions.teams", "参赛代表队", "支", total("teams"), types=CONTESTS)
activity_metric("competitions.participants", "参赛选手（职工）", "人", persons, types=CONTESTS)
activity_metric("competitions.units", "参赛单位", "个", units, types=CONTESTS)
entry_metric("competitions.awards.team", "获团体奖团队", "个", types=CONTESTS, result=EntryResult.TEAM_PRIZE)
entry_metric("competitions.awards.individual", "获个人奖选手", "人", types=CONTESTS,
             result=EntryResult.INDIVIDUAL_PRIZE)
entry_metric("competitions.advanced_units", "获评先进单位", "个", types=CONTESTS, result=EntryResult.ADVANCED_UNIT)
entry_metric("competitions.advanced_individuals", "获评先进个人", "人", types=CONTESTS,
             result=EntryResult.ADVANCED_PERSON)
entry_metric("competitions.recommended_upward", "推荐参加上级竞赛", "人", types=CONTESTS, recommended_up=True,
             kind="person")
activity_metric("competitions.trades", "竞赛（比武）工种", "个", trades, types=CONTESTS)
activity_metric("competitions.projects", "劳动竞赛项目", "个", types=["contest_project"])

# Skills training 技能培训
activity_metric("skills.training.classes", "技能培训班（期）", "期", types=["training"])
activity_metric("skills.training.persons", "培训人数", "人", persons, types=["training"])
activity_metric("skills.training.person_times", "培训人次", "人次", person_times, types=["training"])
activity_metric("skills.training.certified", "取得等级（资格）证书", "人", trainees_with("certified"),
                types=["training"])
activity_metric("skills.training.reemployed", "培训后实现再就业", "人", trainees_with("reemployed"),
                types=["training"])

# Women workers & family 女职工与家庭
activity_metric("women.lectures.events", "女职工讲座", "场", sessions, types=["lecture"], audience="women")
activity_metric("women.lectures.participants", "参训女职工", "人", persons, types=["lecture"], audience="women")
activity_metric("women.training.classes", "女职工技能培训班", "个", types=["training"], audience="women")
activity_metric("women.training.participants", "女职工培训人数", "人", persons, types=["training"],
                audience="women")
activity_metric("family.singles_mixer.events", "单身青年联谊活动", "场", sessions, types=["mixer"])
activity_metric("family.singles_mixer.reach", "联谊活动关注量", "人次", total("reach"), types=["mixer"])

# Self-building 自身建设
activity_metric("self.training.events", "工会干部培训班", "场", types=["cadre_training"])
activity_metric("self.training.person_times", "工会干部培训人次", "人次", person_times, types=["cadre_training"])
activity_metric("self.study.sessions", "集中学习", "次", types=["study"])
activity_metric("self.study.seminars", "专题研讨", "次", types=["seminar"])
activity_metric("self.inspections.visits", "走访检查（评比）", "次", types=["work_inspection"])

# Care and model-worker figures that are activities 服务关爱中的活动类指标
activity_metric("care.health_checks.persons", "组织免费体检", "人", persons, types=["health_check"],
                note="“两癌”筛查加 topic=women_screening 筛选")
activity_metric("care.health_checks.person_times", "健康体检人次", "人次", person_times, types=["health_check"])
activity_metric("care.recuperation.person_times", "疗休养人次", "人次", person_times, types=["recuperation"])
activity_metric("care.retirement.persons", "举办退休仪式（退休职工）", "人", persons, types=["retirement_ceremony"])
activity_metric("care.spring_jobs.fairs", "春送岗位：专场招聘会", "场", types=["job_fair"], campaign="spring_jobs")
activity_metric("care.spring_jobs.positions", "提供就业岗位", "个", measure("positions"), types=["job_fair"],
                campaign="spring_jobs")
activity_metric("care.spring_jobs.jobseekers", "进场求职者", "人", measure("jobseekers"), types=["job_fair"],
                campaign="spring_jobs")
activity_metric("care.spring_jobs.job_intents", "达成就业意向", "人", measure("job_intents"), types=["job_fair"],
                campaign="spring_jobs")
activity_metric("care.warm_current.person_times", "暖流行动（春运）服务", "人次", person_times,
                campaign="warm_current")
activity_metric("model_workers.forums", "劳模工匠座谈会", "次", types=["model_worker_forum"])


# -- publicity records and materials ------------------------------------------------------------


def _equals(field: str) -> Any:
    return lambda qs, value: qs.filter(**{field: value})


PUBLICITY_FILTERS: dict[str, Any] = {"level": _equals("level"), "adopted_level": _equals("adopted_level")}


def publicity_in(ctx: MetricContext) -> QuerySet[PublicityItem]:
    return PublicityItem.objects.filter(published_on__range=ctx.window.range).select_related("org")


register(Metric(
    key="publicity.posts", label="推送信息、原创报道", unit="条", kind=FLOW, domain="activities",
    records=lambda ctx: publicity_in(ctx).filter(type__in=["post", "report"]), columns=PUBLICITY_COLUMNS,
    filters=PUBLICITY_FILTERS,
))
register(Metric(
    key="publicity.videos", label="宣讲视频", unit="期", kind=FLOW, domain="activities",
    records=lambda ctx: publicity_in(ctx).filter(type="video"), columns=PUBLICITY_COLUMNS, filters=PUBLICITY_FILTERS,
))
register(Metric(
    key="publicity.articles_adopted", label="被上级（主流）媒体采用", unit="篇", kind=FLOW, domain="activities",
    records=lambda ctx: publicity_in(ctx).exclude(adopted_by=""), columns=PUBLICITY_COLUMNS,
    filters=PUBLICITY_FILTERS, note="按 adopted_level 筛选采用媒体的级别",
))
register(Metric(
    key="publicity.reach", label="关注（观看）人次", unit="人次", kind=FLOW, domain="activities",
    records=lambda ctx: publicity_in(ctx).filter(reach__gt=0), value=total("reach"), columns=PUBLICITY_COLUMNS,
    filters=PUBLICITY_FILTERS,
    note="宣传报道（推送、视频等）登记的阅读、观看人次；单项活动的线上关注量见各活动指标（如联谊活动关注量）",
))
register(Metric(
    key="publicity.materials.copies", label="发放宣传资料", unit="份", kind=FLOW, domain="activities",
    records=lambda ctx: MaterialDistribution.objects.filter(distributed_on__range=ctx.window.range)
    .select_related("org"),
    value=total("copies"), columns=MATERIAL_COLUMNS,
    filters={"topic": _equals("topic"), "campaign": _equals("campaign")},
))

register(Metric(
    key="culture.clubs.branches", label="文体协会分会", unit="个", kind=STOCK, domain="activities",
    records=lambda ctx: Club.objects.filter(parent__isnull=False, founded_on__lte=ctx.on).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=ctx.on)).select_related("org", "parent"),
    columns=(Column("分会", "name"), Column("所属协会", "parent.name"), Column("所属工会", "org.name"),
             Column("成立日期", "founded_on"), Column("会员人数", "member_count")),
    note="期末存续的文体协会分会",
))
register(Metric(
    key="publicity.periodicals.units", label="赠阅刊物的基层工会", unit="个", kind=FLOW, domain="activities",
    records=lambda ctx: Subscription.objects.filter(
        year__gte=ctx.window.start.year, year__lte=ctx.window.end.year).select_related("org", "recipient"),
    org_field="recipient", value=lambda: Count("recipient", distinct=True),
    columns=(Column("年度", "year"), Column("受赠工会", "recipient.name"), Column("报刊", "periodical"),
             Column("份数", "copies"), Column("赠阅工会", "org.name")),
    note="统计年度内获赠报刊的工会数（按受赠工会计入其上级的合计）",
))

# Keys of our families that records here do not give, with the reason.
for key, domain, reason in [
    ("competitions.commended", "labour", "操作能手、技术能手表彰是荣誉（Honour），由劳模与荣誉模块登记"),
    ("competitions.projects.recognised", "labour", "优质竞赛项目评选结果是荣誉（Honour），由劳模与荣誉模块登记"),
    ("competitions.funds.amount", "finance", "劳动竞赛专项经费是经费支出（purpose=labour_contest），由经费模块登记"),
    ("skills.degree_programme.enrolled", "activities", "学历提升班报名记录尚未建设"),
    ("skills.degree_subsidy.persons", "care", "学历提升补贴是帮扶发放（CareRecord），由帮扶模块登记"),
    ("self.rectification.issues", "finance", "整改事项（Rectification）与经费审查一同登记"),
    ("self.rectification.done", "finance", "整改事项（Rectification）与经费审查一同登记"),
]:
    REGISTRY.pending(key, domain=domain, reason=reason)

register(Metric(
    key="ideology.party_recommendations", label="推优入党（入党积极分子）", unit="人", kind=FLOW, domain="activities",
    records=lambda ctx: PartyRecommendation.objects.filter(recommended_on__range=ctx.window.range)
    .select_related("org", "member__person"),
    value=lambda: Count("member__person", distinct=True),
    columns=(Column("姓名", "member.person.name"),
             Column("证件号码", lambda r: mask_id_number(r.member.person.id_number), text=True,
                    full="member.person.id_number"),
             Column("推荐工会", "org.name"), Column("日期", "recommended_on"), Column("阶段", "get_stage_display"),
             Column("推荐理由", "remarks")),
    filters={"stage": _equals("stage")},
    note="统计期内推荐入党的不同会员（按阶段筛选：推荐为入党积极分子人选 / 确定为入党积极分子）",
))
