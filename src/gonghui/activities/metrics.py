"""Figures of spec/METRICS.md computed from the activity log and publicity records.

Each definition returns the value and the records behind it, for a union and its
subtree (or the union alone, ``own_only``) within the acting user's scope.

Counting rules:
- 场/次 of lectures, outreach and meetings = activity sessions; 个/期/项 = activities.
- 人 = distinct persons on the rosters (by ``person_key``) plus the headcount of each
  activity known only from a paper sign-in (those people cannot be told apart).
- 人次 = sessions attended by roster persons plus those headcounts.
- 家/个 of units = distinct employers named on the activities plus, for each activity,
  the units it counted beyond those named.
- An activity co-organised by several unions of the subtree counts once (``pk__in``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from gonghui.activities.models import (
    Activity,
    ActivityEntry,
    ActivityParticipant,
    EntryResult,
    MaterialDistribution,
    ParticipantRole,
    PublicityItem,
)
from gonghui.activities.selectors import organised_within, with_counts
from gonghui.core.scope import Scope
from gonghui.orgs.models import Org

Number = int | Decimal


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Window:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def stats_year(cls, year: int) -> Window:
        """The statistical year of the annual return: 1 Oct of the year before to 30 Sep."""
        return cls(dt.date(year - 1, 10, 1), dt.date(year, 9, 30))


@dataclass
class Figure:
    value: Number
    records: QuerySet[Any]
    exact: bool = True  # False when an estimated headcount (Activity.estimated) went into the value
    parts: dict[str, int] = field(default_factory=dict)  # numerator and denominator of a ratio


Compute = Callable[[Any, Org, Window, bool, dict[str, Any]], Figure]


@dataclass(frozen=True)
class MetricDef:
    key: str
    label: str
    unit: str
    kind: str  # F flow over the window, S stock at the window end, R ratio at the window end
    compute: Compute
    domain: str = "activities"
    filters: tuple[str, ...] = field(default_factory=tuple)  # filters the definition understands


METRICS: dict[str, MetricDef] = {}
# METRICS.md keys of our families that records here cannot (yet) give, with the reason.
PENDING: dict[str, str] = {}
NOT_FROM_RECORDS: dict[str, str] = {}


def register(key: str, label: str, unit: str, kind: str = "F", *, domain: str = "activities",
             filters: Iterable[str] = ()) -> Callable[[Compute], Compute]:
    def wrap(fn: Compute) -> Compute:
        METRICS[key] = MetricDef(key, label, unit, kind, fn, domain, tuple(filters))
        return fn

    return wrap


def evaluate(key: str, user: Any, org: Org, window: Window, *, own_only: bool = False, **filters: Any) -> Figure:
    """Compute one registered figure for ``org`` (and its subtree unless ``own_only``) over ``window``."""
    definition = METRICS[key]
    Scope.of(user).require_org(org, f"{definition.domain}.view")
    return definition.compute(user, org, window, own_only, filters)


# -- activity sets and their measures ----------------------------------------------------------


def activity_set(user: Any, org: Org, window: Window, own_only: bool, *, types: Iterable[str] = (),
                 campaign: str = "", audience: str | None = None, topic: str = "",
                 filters: dict[str, Any] | None = None) -> QuerySet[Activity]:
    """Activities starting in the window, organised in the subtree, of the given national types."""
    filters = filters or {}
    qs = Scope.of(user).filter(Activity.objects.all(), "activities.view").filter(
        organised_within(org, own_only=own_only), start_on__gte=window.start, start_on__lte=window.end)
    types = tuple(types)
    if types:
        qs = qs.filter(type__base_code__in=types)
    campaign = filters.get("campaign", campaign)
    if campaign:
        qs = qs.filter(campaign=campaign)
    audience = filters.get("audience", audience)
    if audience is not None:
        qs = qs.filter(audience=audience)
    topic = filters.get("topic", topic)
    if topic:  # a JSON list: filtered here, the same on SQLite and PostgreSQL
        qs = qs.filter(pk__in=[pk for pk, topics in qs.values_list("pk", "topics") if topic in (topics or [])])
    return qs


def _roster(acts: QuerySet[Activity], filters: dict[str, Any]) -> QuerySet[ActivityParticipant]:
    rows = ActivityParticipant.objects.filter(activity__in=acts.values("pk"), role=ParticipantRole.PARTICIPANT)
    if filters.get("is_migrant"):
        rows = rows.filter(is_migrant=True)
    if filters.get("gender"):
        rows = rows.filter(gender=filters["gender"])
    return rows


def _paper(acts: QuerySet[Activity], filters: dict[str, Any]) -> QuerySet[Activity]:
    """Headcount-only activities; a filter on persons' attributes cannot apply to a bare headcount."""
    if filters.get("is_migrant") or filters.get("gender"):
        return acts.none()
    return acts.filter(headcount_only=True)


def _sum(qs: QuerySet[Any], field_name: str) -> int:
    return int(qs.aggregate(n=Sum(field_name))["n"] or 0)


def _exact(acts: QuerySet[Activity]) -> bool:
    return not acts.filter(estimated=True).exists()


def _figure(value: Number, acts: QuerySet[Activity]) -> Figure:
    return Figure(value, with_counts(acts.select_related("org", "type")).order_by("start_on", "pk"), _exact(acts))


def count(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    return _figure(acts.count(), acts)


def sessions(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    return _figure(_sum(acts, "sessions"), acts)


def persons(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    distinct = _roster(acts, filters).values("person_key").distinct().count()
    return _figure(distinct + _sum(_paper(acts, filters), "headcount"), acts)


def person_times(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    return _figure(_sum(_roster(acts, filters), "attendances") + _sum(_paper(acts, filters), "headcount"), acts)


def units(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    named = set(Activity.participating_employers.through.objects.filter(activity__in=acts.values("pk"))
                .values_list("employer_id", flat=True))
    counted = acts.annotate(named=Count("participating_employers")).values_list("units", "named")
    return _figure(len(named) + sum(max(u - n, 0) for u, n in counted), acts)


def teams(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    return _figure(_sum(acts, "teams"), acts)


def reach(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    return _figure(_sum(acts, "reach"), acts)


def duration_days(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    return _figure(sum((end - start).days + 1 for start, end in acts.values_list("start_on", "end_on")), acts)


def measure(key: str, decimal: bool = False) -> Callable[[QuerySet[Activity], dict[str, Any]], Figure]:
    def compute(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
        total = sum((Decimal(str((m or {}).get(key, 0))) for m in acts.values_list("measures", flat=True)),
                    Decimal("0"))
        return _figure(total if decimal else int(total), acts)

    return compute


def trained_with(outcome: str) -> Callable[[QuerySet[Activity], dict[str, Any]], Figure]:
    """Trainees with a certificate (or re-employment): flagged roster persons plus paper counts."""

    def compute(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
        flagged = _roster(acts, filters).filter(**{outcome: True}).values("person_key").distinct().count()
        return _figure(flagged + _sum(_paper(acts, filters), f"{outcome}_count"), acts)

    return compute


def lecturers(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    rows = ActivityParticipant.objects.filter(activity__in=acts.values("pk"), role=ParticipantRole.LECTURER)
    return _figure(rows.values("person_key").distinct().count(), acts)


def trades(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
    return _figure(len(set(acts.exclude(trade="").values_list("trade", flat=True))), acts)


def entries_where(**lookup: Any) -> Callable[[QuerySet[Activity], dict[str, Any]], Figure]:
    def compute(acts: QuerySet[Activity], filters: dict[str, Any]) -> Figure:
        rows = ActivityEntry.objects.filter(activity__in=acts.values("pk"), **lookup)
        return Figure(rows.count(), rows.select_related("activity", "participant").order_by("activity", "pk"),
                      True)

    return compute


def activity_metric(key: str, label: str, unit: str, value: Callable[[QuerySet[Activity], dict[str, Any]], Figure],
                    *, types: Iterable[str] = (), campaign: str = "", audience: str | None = None,
                    topic: str = "") -> None:
    """Register a figure over a set of activities."""
    type_codes = tuple(types)

    def compute(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
        acts = activity_set(user, org, window, own_only, types=type_codes, campaign=campaign, audience=audience,
                            topic=topic, filters=filters)
        return value(acts, filters)

    register(key, label, unit, "F", filters=("campaign", "audience", "topic", "is_migrant", "gender"))(compute)


# -- the figures ------------------------------------------------------------------------------

CULTURE = ("culture", "sports")
CONTESTS = ("contest",)
QUIZZES = ("quiz", "speech_contest")

# Publicity & education 宣传教育
activity_metric("publicity.lectures.events", "宣讲、辅导、报告会", "场", sessions, types=["lecture"])
activity_metric("publicity.lectures.audience", "受教育职工（学生）", "人", persons, types=["lecture"])
activity_metric("publicity.lectures.units", "宣讲覆盖单位", "个", units, types=["lecture"])
activity_metric("publicity.lecturers", "宣讲团成员", "人", lecturers, types=["lecture"])
activity_metric("publicity.contests.teams", "知识竞赛代表队", "个", teams, types=QUIZZES)
activity_metric("publicity.contests.participants", "知识竞赛、演讲比赛参与", "人", persons, types=QUIZZES)
activity_metric("publicity.reading.events", "读书活动", "场", sessions, types=["reading"])
activity_metric("publicity.reading.participants", "读书活动参与职工", "人", persons, types=["reading"])

# Culture & sports 文体活动
activity_metric("culture.events", "文体活动", "项", count, types=CULTURE)
activity_metric("culture.participants", "参与（参赛）职工", "人", persons, types=CULTURE)
activity_metric("culture.participating_units", "参赛企业（单位）", "家", units, types=CULTURE)
activity_metric("culture.sports.teams", "参赛队伍", "支", teams, types=["sports"])
activity_metric("culture.sports.athletes", "运动员", "人", persons, types=["sports"])
activity_metric("culture.sports.matches", "比赛场次", "场", sessions, types=["sports"])
activity_metric("culture.sports.duration_days", "赛程（历时）天数", "天", duration_days, types=["sports"])
activity_metric("culture.essay.submitters", "征文投稿人数", "人", persons, types=["essay_contest"])
activity_metric("culture.essay.published", "刊登优秀征文", "篇", entries_where(published=True),
                types=["essay_contest"])
activity_metric("culture.outreach.units", "送文化进企业", "家", units, campaign="culture_outreach")
activity_metric("culture.outreach.persons", "惠及职工", "人", persons, campaign="culture_outreach")
activity_metric("culture.charity_auction.works", "义拍作品", "幅", measure("lots"), types=["charity_auction"])
activity_metric("culture.charity_auction.amount", "义拍所得", "元", measure("proceeds", decimal=True),
                types=["charity_auction"])

# Rights: legal publicity 普法 (and the activity-based rights figures)
activity_metric("rights.legal_publicity.events", "普法宣传活动", "场", sessions, types=["legal_outreach"])
activity_metric("rights.legal_publicity.audience", "普法受众（参与职工）", "人", persons, types=["legal_outreach"])
activity_metric("rights.openness_inspections.units", "厂务公开检查（调研）单位", "家", units,
                types=["openness_inspection"])
activity_metric("rights.bargaining_guidance.events", "集体协商指导活动", "场", sessions, types=["bargaining_guidance"])
activity_metric("rights.democracy.joint_meetings", "与行政联席会议", "次", count, types=["joint_with_admin"])

# Safety 安康杯与劳动保护
activity_metric("safety.ankang.enterprises", "参加“安康杯”竞赛企业（单位）", "家", units, campaign="ankang_cup")
activity_metric("safety.ankang.participants", "“安康杯”参与职工", "人", persons, campaign="ankang_cup")
activity_metric("safety.museum_visitors", "劳动保护教育馆参观", "人", persons, types=["museum_visit"], topic="safety")

# Labour competitions 劳动竞赛
activity_metric("competitions.teams", "参赛代表队", "支", teams, types=CONTESTS)
activity_metric("competitions.participants", "参赛选手（职工）", "人", persons, types=CONTESTS)
activity_metric("competitions.units", "参赛单位", "个", units, types=CONTESTS)
activity_metric("competitions.awards.team", "获团体奖团队", "个", entries_where(result=EntryResult.TEAM_PRIZE),
                types=CONTESTS)
activity_metric("competitions.awards.individual", "获个人奖选手", "人",
                entries_where(result=EntryResult.INDIVIDUAL_PRIZE), types=CONTESTS)
activity_metric("competitions.advanced_units", "获评先进单位", "个", entries_where(result=EntryResult.ADVANCED_UNIT),
                types=CONTESTS)
activity_metric("competitions.advanced_individuals", "获评先进个人", "人",
                entries_where(result=EntryResult.ADVANCED_PERSON), types=CONTESTS)
activity_metric("competitions.recommended_upward", "推荐参加上级竞赛", "人",
                entries_where(recommended_up=True, kind="person"), types=CONTESTS)
activity_metric("competitions.trades", "竞赛（比武）工种", "个", trades, types=CONTESTS)
activity_metric("competitions.projects", "劳动竞赛项目", "个", count, types=["contest_project"])

# Skills training 技能培训
activity_metric("skills.training.classes", "技能培训班（期）", "期", count, types=["training"])
activity_metric("skills.training.persons", "培训人数", "人", persons, types=["training"])
activity_metric("skills.training.person_times", "培训人次", "人次", person_times, types=["training"])
activity_metric("skills.training.certified", "取得等级（资格）证书", "人", trained_with("certified"),
                types=["training"])
activity_metric("skills.training.reemployed", "培训后实现再就业", "人", trained_with("reemployed"), types=["training"])

# Women workers & family 女职工与家庭
activity_metric("women.lectures.events", "女职工讲座", "场", sessions, types=["lecture"], audience="women")
activity_metric("women.lectures.participants", "参训女职工", "人", persons, types=["lecture"], audience="women")
activity_metric("women.training.classes", "女职工技能培训班", "个", count, types=["training"], audience="women")
activity_metric("women.training.participants", "女职工培训人数", "人", persons, types=["training"], audience="women")
activity_metric("family.singles_mixer.events", "单身青年联谊活动", "场", sessions, types=["mixer"])
activity_metric("family.singles_mixer.reach", "联谊活动关注量", "人次", reach, types=["mixer"])
NOT_FROM_RECORDS["family.singles_mixer.match_rate"] = "交友成功与否不作记录（METRICS：outcome not recorded）"

# Self-building 自身建设
activity_metric("self.training.events", "工会干部培训班", "场", count, types=["cadre_training"])
activity_metric("self.study.sessions", "集中学习", "次", count, types=["study"])
activity_metric("self.study.seminars", "专题研讨", "次", count, types=["seminar"])
activity_metric("self.inspections.visits", "走访检查（评比）", "次", count, types=["work_inspection"])

# Care figures that are activities 服务关爱中的活动类指标
activity_metric("care.health_checks.persons", "组织免费体检", "人", persons, types=["health_check"])
activity_metric("care.health_checks.person_times", "健康体检人次", "人次", person_times, types=["health_check"])
activity_metric("care.recuperation.person_times", "疗休养人次", "人次", person_times, types=["recuperation"])
activity_metric("care.retirement.persons", "举办退休仪式（退休职工）", "人", persons, types=["retirement_ceremony"])
activity_metric("care.spring_jobs.fairs", "春送岗位：专场招聘会", "场", count, types=["job_fair"],
                campaign="spring_jobs")
activity_metric("care.spring_jobs.positions", "提供就业岗位", "个", measure("positions"), types=["job_fair"],
                campaign="spring_jobs")
activity_metric("care.spring_jobs.jobseekers", "进场求职者", "人", measure("jobseekers"), types=["job_fair"],
                campaign="spring_jobs")
activity_metric("care.spring_jobs.job_intents", "达成就业意向", "人", measure("job_intents"), types=["job_fair"],
                campaign="spring_jobs")
activity_metric("care.warm_current.person_times", "暖流行动（春运）服务", "人次", person_times,
                campaign="warm_current")
activity_metric("model_workers.forums", "劳模工匠座谈会", "次", count, types=["model_worker_forum"])


# -- publicity records ------------------------------------------------------------------------


def _publicity(user: Any, org: Org, window: Window, own_only: bool) -> QuerySet[PublicityItem]:
    qs = Scope.of(user).filter(PublicityItem.objects.all(), "activities.view").filter(
        published_on__gte=window.start, published_on__lte=window.end)
    return qs.filter(org=org) if own_only else qs.filter(org__path__startswith=org.path)


def publicity_metric(key: str, label: str, unit: str, **lookup: Any) -> None:
    def compute(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
        qs = _publicity(user, org, window, own_only).filter(**lookup)
        if filters.get("level"):
            qs = qs.filter(level=filters["level"])
        if filters.get("adopted_level"):
            qs = qs.filter(adopted_level=filters["adopted_level"])
        return Figure(qs.count(), qs.select_related("org").order_by("published_on", "pk"))

    register(key, label, unit, filters=("level", "adopted_level"))(compute)


publicity_metric("publicity.posts", "推送信息、原创报道", "条", type__in=["post", "report"])
publicity_metric("publicity.videos", "宣讲视频", "期", type="video")


@register("publicity.articles_adopted", "被上级（主流）媒体采用", "篇", filters=("adopted_level",))
def _articles_adopted(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    qs = _publicity(user, org, window, own_only).exclude(adopted_by="")
    if filters.get("adopted_level"):
        qs = qs.filter(adopted_level=filters["adopted_level"])
    return Figure(qs.count(), qs.select_related("org").order_by("published_on", "pk"))


@register("publicity.reach", "关注（观看）人次", "人次")
def _reach(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    """Reach recorded on activities and on publicity items; the records are the publicity items and activities."""
    acts = activity_set(user, org, window, own_only).filter(reach__gt=0)
    items = _publicity(user, org, window, own_only).filter(reach__gt=0)
    # The records are the activities carrying reach; the items are given by publicity_reach_items().
    return _figure(_sum(acts, "reach") + _sum(items, "reach"), acts)


def publicity_reach_items(user: Any, org: Org, window: Window, own_only: bool = False) -> QuerySet[PublicityItem]:
    """The publicity items behind ``publicity.reach`` (its other half)."""
    return _publicity(user, org, window, own_only).filter(reach__gt=0)


@register("publicity.materials.copies", "发放宣传资料", "份", filters=("topic", "campaign"))
def _materials(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    qs = Scope.of(user).filter(MaterialDistribution.objects.all(), "activities.view").filter(
        distributed_on__gte=window.start, distributed_on__lte=window.end)
    qs = qs.filter(org=org) if own_only else qs.filter(org__path__startswith=org.path)
    if filters.get("topic"):
        qs = qs.filter(topic=filters["topic"])
    if filters.get("campaign"):
        qs = qs.filter(campaign=filters["campaign"])
    return Figure(_sum(qs, "copies"), qs.select_related("org").order_by("distributed_on", "pk"))


PENDING.update({
    "publicity.periodicals.units": "赠阅刊物（Subscription）登记尚未建设",
    "culture.clubs.branches": "文体协会（Club）名册尚未建设",
    "competitions.commended": "荣誉（Honour）由劳模与荣誉模块登记",
    "competitions.projects.recognised": "竞赛项目评选结果由劳模与荣誉模块（Honour）登记",
    "competitions.funds.amount": "经费收支（FinanceEntry purpose=labour_contest）由经费模块登记",
    "skills.degree_programme.enrolled": "学历提升报名记录尚未建设",
    "skills.degree_subsidy.persons": "学历提升补贴由帮扶（CareRecord）登记",
    "self.rectification.issues": "整改事项（Rectification）由经费审查模块登记",
    "self.rectification.done": "整改事项（Rectification）由经费审查模块登记",
})


def known_keys() -> set[str]:
    return set(METRICS) | set(PENDING) | set(NOT_FROM_RECORDS)
