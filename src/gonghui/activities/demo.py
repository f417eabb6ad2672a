"""Demo step: a believable activity log for the two previous calendar years and the current year to date.

Every level works: the city federation runs its contests, sports meet, job fairs and cadre
training; districts and streets hold lectures, legal outreach, trainings and 安康杯 work over
their employers; grassroots unions hold their own smaller events. Some activities have a roster
(persons drawn from each union's workforce, so the same people come back and 人 ≠ 人次), others
only a paper sign-in count. Written in bulk, with one audit row per kind of record.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gonghui.activities.models import (
    Activity,
    ActivityEntry,
    ActivityParticipant,
    ActivityType,
    Club,
    MaterialDistribution,
    PartyRecommendation,
    PublicityItem,
    RecommendationStage,
    Subscription,
)
from gonghui.activities.services import person_key
from gonghui.core import audit, demo_data
from gonghui.core.models import AuditLog
from gonghui.demo import DemoContext
from gonghui.members.models import Member, MemberStatus
from gonghui.orgs.models import Employer, Org, OrgKind

# (type, [title patterns], audience, topics, campaign) — {y} year, {n} ordinal, {org} short name.
TITLES: dict[str, list[str]] = {
    "lecture": ["学习贯彻党的二十大精神宣讲会", "“劳模工匠进企业”宣讲会", "{y}年形势政策专题报告会", "职工心理健康讲座",
                "“道德讲堂”第{n}讲", "安全生产月专题讲座", "职业病防治知识讲座", "产业工人队伍建设改革宣讲",
                "女职工权益保护专题讲座"],
    "legal_outreach": ["《劳动合同法》宣传进企业", "“尊法守法·携手筑梦”普法宣传", "根治欠薪法律宣传",
                       "《工会法》知识讲座", "职工法律维权咨询日", "“民法典进企业”普法活动"],
    "training": ["电工技能提升培训班", "家政服务员技能培训班", "育婴员培训班", "叉车司机上岗培训", "网约配送员安全培训",
                 "中式烹调师培训班", "电子商务直播技能培训"],
    "cadre_training": ["基层工会主席培训班", "工会财务人员业务培训", "新任工会干部培训班", "工会经审工作培训班"],
    "sports": ["第{n}届职工运动会", "职工篮球赛", "职工气排球比赛", "“健康生活·快乐工作”健步走", "职工羽毛球联赛",
               "职工趣味运动会"],
    "culture": ["“迎新春”职工文艺晚会", "职工书画摄影展", "“中秋情·工会暖”游园会", "“唱响新时代”职工合唱比赛"],
    "reading": ["职工读书分享会", "“书香三八”读书活动", "“4·23”世界读书日阅读分享"],
    "contest": ["职工职业技能竞赛（{trade}）", "{trade}技能比武"],
    "contest_project": ["{y}年重点工程劳动竞赛", "{y}年“一镇一赛”劳动竞赛"],
    "job_fair": ["“春风行动”专场招聘会", "“就业援助月”专场招聘会"],
    "volunteer_service": ["暖流行动·春运志愿服务", "“工会志愿者”进社区服务"],
    "mixer": ["“缘来是你”单身青年联谊会", "“七夕”青年职工交友活动"],
    "health_check": ["女职工“两癌”筛查", "一线职工健康体检"],
    "recuperation": ["劳模及一线职工疗休养"],
    "retirement_ceremony": ["退休职工荣休仪式"],
    "study": ["工会委员会集中学习（第{n}次）"],
    "seminar": ["“工会工作高质量发展”专题研讨", "“服务新就业形态劳动者”专题研讨"],
    "work_inspection": ["基层工会规范化建设检查", "年度目标考核走访"],
    "joint_with_admin": ["工会与行政联席会议"],
    "bargaining_guidance": ["工资集体协商指导会", "集中要约行动动员会"],
    "openness_inspection": ["厂务公开民主管理专项检查"],
    "model_worker_forum": ["劳模工匠座谈会"],
    "museum_visit": ["参观劳动保护教育馆", "参观爱国主义教育基地"],
    "quiz": ["安全生产知识竞赛", "工会知识竞赛"],
    "speech_contest": ["“我的岗位我的梦”演讲比赛"],
    "essay_contest": ["“我与工会”主题征文"],
    "charity_auction": ["职工书画作品义拍"],
}
# Titles that belong to a season: 三八 in March, 世界读书日 in April, 安全生产月 in June, 七夕 in August …
SEASONS: dict[str, Sequence[int]] = {
    "安全生产月专题讲座": [6], "“书香三八”读书活动": [3], "“4·23”世界读书日阅读分享": [4],
    "“迎新春”职工文艺晚会": [1, 2], "“中秋情·工会暖”游园会": [9], "“七夕”青年职工交友活动": [8],
    "“春风行动”专场招聘会": [2, 3], "“就业援助月”专场招聘会": [1], "暖流行动·春运志愿服务": [1, 2],
    "“健康生活·快乐工作”健步走": [3, 4, 5, 10, 11], "女职工权益保护专题讲座": [3],
}
TRADES = ["电工", "焊工", "钳工", "叉车司机", "茶艺师", "中式烹调师", "育婴员", "网约配送员", "数控车工", "汽车维修工"]
VENUES = ["工会活动室", "职工之家", "多功能会议室", "职工服务中心", "文化广场", "体育馆"]
OUTLETS = [("工会公众号", "own"), ("区总工会公众号", "district"), ("广州市总工会网站", "city"),
           ("南方工报", "provincial"), ("广州日报", "city"), ("工人日报", "national")]
ADOPTERS = [("广州日报", "city"), ("南方工报", "provincial"), ("工人日报", "national"), ("学习强国", "national"),
            ("广州市总工会网站", "city")]


@dataclass
class Person:
    name: str
    id_number: str
    gender: str
    migrant: bool
    employer: str
    key: str = field(default="")
    person_id: int | None = None  # the member registry's Person, for members


@dataclass
class Batch:
    activities: list[Activity] = field(default_factory=list)
    co: list[tuple[int, int]] = field(default_factory=list)  # (activity index, org id)
    employers: list[tuple[int, int]] = field(default_factory=list)
    people: list[tuple[int, Person, dict[str, Any]]] = field(default_factory=list)
    entries: list[tuple[int, dict[str, Any], Person | None]] = field(default_factory=list)
    materials: list[tuple[int | None, MaterialDistribution]] = field(default_factory=list)
    publicity: list[tuple[int | None, PublicityItem]] = field(default_factory=list)


class Builder:
    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx, self.rng = ctx, rng
        self.types = {t.code: t for t in ActivityType.objects.filter(org__isnull=True)}
        self.batch = Batch()
        self.orgs = list(Org.objects.filter(dissolved_on__isnull=True).order_by("path"))
        self.by_path = {o.path: o for o in self.orgs}
        self.pools: dict[int, list[Person]] = {}
        self.employers_by_org: dict[int, list[int]] = {}
        for org_id, employer_id in Org.covered_entities.through.objects.values_list("org_id", "employer_id"):
            self.employers_by_org.setdefault(org_id, []).append(employer_id)
        self.employer_names = dict(Employer.objects.values_list("pk", "name"))
        # Members of each union (from the members step): rosters draw on them first.
        self.members: dict[int, list[Person]] = {}
        for org_id, pk, name, number, gender, migrant, employer, key in Member.objects.exclude(
                status=MemberStatus.LEFT).values_list("org_id", "person_id", "person__name", "person__id_number",
                                                      "person__gender", "is_migrant", "employer_name",
                                                      "person__id_number_bidx").order_by("pk"):
            self.members.setdefault(org_id, []).append(Person(name, number, gender, migrant, employer, key, pk))

    # -- persons ----------------------------------------------------------------------------

    def pool(self, org: Org) -> list[Person]:
        """The workers of a grassroots union: its members, and other workers up to a fixed set (people recur)."""
        if org.pk not in self.pools:
            rng = random.Random(f"{self.ctx.seed}:people:{org.code}")
            size = max(8, min(org.covered_workers or 30, 45))
            employer = org.name.removesuffix("工会委员会").removesuffix("机关工会")
            people = list(self.members.get(org.pk, []))
            for _ in range(size - len(people)):
                gender = "female" if rng.random() < 0.45 else "male"
                migrant = rng.random() < 0.35
                birth = demo_data.birth_date(rng, self.ctx.today, 20, 58)
                number = demo_data.id_number(rng, birth, gender, migrant)
                people.append(Person(demo_data.person_name(rng, gender), number, gender, migrant, employer,
                                     person_key(number)))
            self.pools[org.pk] = people
        return self.pools[org.pk]

    def grassroots_below(self, org: Org) -> list[Org]:
        return [o for o in self.orgs if o.path.startswith(org.path) and o.kind == OrgKind.GRASSROOTS]

    def roster(self, org: Org, size: int) -> list[Person]:
        """Distinct persons from the union's workforce, or from the unions below a federation."""
        if org.kind == OrgKind.GRASSROOTS:
            pool = self.pool(org)
        else:
            below = self.grassroots_below(org)
            pool = [p for u in self.rng.sample(below, min(len(below), 6)) for p in self.pool(u)] if below else []
        return self.rng.sample(pool, min(size, len(pool)))

    # -- dates and titles ---------------------------------------------------------------------

    def day(self, year: int, months: Sequence[int] | None = None) -> dt.date | None:
        month = self.rng.choice(list(months or range(1, 13)))
        day = dt.date(year, month, self.rng.randint(1, 28))
        return day if day <= self.ctx.today else None

    def title(self, code: str, org: Org, day: dt.date, n: int = 1, **kw: Any) -> str:
        """A title for the activity, never a seasonal one out of its season (no 中秋 in May)."""
        patterns = TITLES.get(code, ["{org}活动"])
        fitting = [p for p in patterns if day.month in SEASONS.get(p, range(1, 13))]
        pattern = self.rng.choice(fitting or [p for p in patterns if p not in SEASONS] or patterns)
        return pattern.format(y=day.year, n=n, org=short(org), trade=kw.get("trade", ""))

    # -- recording ---------------------------------------------------------------------------

    def add(self, org: Org, code: str, start: dt.date, *, title: str, days: int = 1, roster: int = 0,
            headcount: int = 0, estimated: bool = False, co: Sequence[Org] = (), employers: Sequence[int] = (),
            units: int = 0, sessions: int = 1, materials: int = 0, material_topic: str = "legal",
            report: float = 0.25, **values: Any) -> int:
        end = min(start + dt.timedelta(days=days - 1), max(self.ctx.today, start))
        activity = Activity(org=org, type=self.types[code], title=title, start_on=start, end_on=end,
                            days=(end - start).days + 1, sessions=sessions, venue=values.pop("venue", "")
                            or f"{short(org)}{self.rng.choice(VENUES)}", **values)
        people = self.roster(org, roster) if roster else []
        if people:
            activity.headcount_only = False
        else:
            activity.headcount_only, activity.headcount = True, headcount or self.rng.randint(20, 120)
            activity.estimated = estimated
        activity.units = len(employers) if employers else units
        index = len(self.batch.activities)
        self.batch.activities.append(activity)
        self.batch.co += [(index, o.pk) for o in co]
        self.batch.employers += [(index, e) for e in employers]
        training = code in ("training", "cadre_training")
        for person in people:
            attended = self.rng.choices(range(1, sessions + 1), weights=[1] * (sessions - 1) + [6])[0]
            extra = {"attendances": attended}
            if code == "training":
                extra.update(certified=self.rng.random() < 0.6, reemployed=self.rng.random() < 0.05)
            self.batch.people.append((index, person, extra if training or sessions > 1 else {"attendances": 1}))
        if materials:
            self.batch.materials.append((index, MaterialDistribution(
                org=org, distributed_on=start, topic=material_topic, copies=materials,
                title=f"{title}宣传资料", campaign=values.get("campaign", ""))))
        if self.rng.random() < report:
            outlet, level = self.rng.choice(OUTLETS[:3] if org.kind == OrgKind.GRASSROOTS else OUTLETS)
            adopted = self.rng.random() < 0.2
            adopter = self.rng.choice(ADOPTERS) if adopted else ("", "")
            self.batch.publicity.append((index, PublicityItem(
                org=org, type=self.rng.choice(["post", "post", "report", "video"]), title=f"{short(org)}开展{title}",
                published_on=min(end + dt.timedelta(days=self.rng.randint(0, 3)), self.ctx.today), outlet=outlet,
                level=level, adopted_by=adopter[0], adopted_level=adopter[1],
                reach=self.rng.randint(300, 3000) * (5 if level in ("city", "provincial", "national") else 1))))
        return index

    def entry(self, index: int, kind: str, name: str, person: Person | None = None, **values: Any) -> None:
        self.batch.entries.append((index, {"kind": kind, "name": name, **values}, person))

    def flush(self) -> dict[str, int]:
        """Write everything in bulk; one audit row per kind of record."""
        b = self.batch
        Activity.objects.bulk_create(b.activities, batch_size=2000)
        through_co = Activity.co_organisers.through
        through_co.objects.bulk_create([through_co(activity_id=b.activities[i].pk, org_id=o) for i, o in b.co])
        through_emp = Activity.participating_employers.through
        through_emp.objects.bulk_create([through_emp(activity_id=b.activities[i].pk, employer_id=e)
                                         for i, e in b.employers])
        inserted = _insert_participants(b)
        with_entries = {b.activities[i].pk for i, _, _ in b.entries}
        keys = {(row.activity_id, row.person_key): row.pk for row in ActivityParticipant.objects.filter(
            activity_id__in=with_entries).only("pk", "activity_id", "person_key")}
        ActivityEntry.objects.bulk_create([
            ActivityEntry(activity=b.activities[i], participant_id=keys.get((b.activities[i].pk, p.key)) if p else None,
                          **values) for i, values, p in b.entries])
        for i, m in b.materials:
            m.activity = b.activities[i] if i is not None else None
        MaterialDistribution.objects.bulk_create([m for _, m in b.materials])
        for i, item in b.publicity:
            item.activity = b.activities[i] if i is not None else None
        PublicityItem.objects.bulk_create([item for _, item in b.publicity])
        counts = {"activities": len(b.activities), "participants": inserted, "entries": len(b.entries),
                  "materials": len(b.materials), "publicity_items": len(b.publicity)}
        root = self.orgs[0]
        for model, n in [(Activity, counts["activities"]), (ActivityParticipant, counts["participants"]),
                         (ActivityEntry, counts["entries"]), (MaterialDistribution, counts["materials"]),
                         (PublicityItem, counts["publicity_items"])]:
            audit.record(None, AuditLog.Action.CREATE, root, object_type=model._meta.label, object_repr="演示数据",
                         note=f"演示数据：新增{model._meta.verbose_name} {n} 条")
        return counts


def _insert_participants(b: Batch) -> int:
    """Roster rows with one executemany (tens of thousands of rows: the ORM's per-field work is the cost)."""
    from django.db import connection
    from django.utils import timezone

    from gonghui.core.crypto import encrypt

    table = ActivityParticipant._meta.db_table
    columns = ["activity_id", "person_key", "person_id", "name", "id_number", "gender", "is_migrant", "employer_name",
               "role", "attendances", "certified", "reemployed", "created_at"]
    now = timezone.now()
    rows = [(b.activities[i].pk, p.key, p.person_id, p.name, encrypt(p.id_number), p.gender, p.migrant,
             p.employer[:120], "participant", extra.get("attendances", 1), extra.get("certified", False),
             extra.get("reemployed", False), now) for i, p, extra in b.people]
    sql = (f"INSERT INTO {connection.ops.quote_name(table)} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])
    return len(rows)


def short(org: Org) -> str:
    """A union's name without the trailing 工会委员会 / 总工会."""
    for suffix in ("工会委员会", "机关工会", "总工会", "工会"):
        if org.name.endswith(suffix):
            return org.name[: -len(suffix)]
    return org.name


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("activities")
    b = Builder(ctx, rng)
    root = b.orgs[0]
    districts = [o for o in b.orgs if o.depth == 2 and o.kind == OrgKind.FEDERATION]
    streets = [o for o in b.orgs if o.depth == 3 and o.kind == OrgKind.FEDERATION]
    industry = [o for o in b.orgs if o.kind == OrgKind.INDUSTRY]
    grassroots = [o for o in b.orgs if o.kind == OrgKind.GRASSROOTS]
    for year in ctx.years:
        _city(b, root, year, districts)
        for district in districts:
            _district(b, district, year)
        for federation in [*streets, *industry]:
            _street(b, federation, year)
        for org in grassroots:
            _grassroots(b, org, year)
        _facility_services(b, year)
    ctx.counts.update(b.flush())
    ctx.counts.update(_clubs_and_periodicals(ctx, rng, b.orgs))
    ctx.counts.update(_party_recommendations(ctx, rng, root))


REASONS = ("岗位能手，群众基础好", "技术骨干，积极参加工会活动", "劳动竞赛获奖，思想积极", "志愿服务表现突出",
           "班组长，工作认真负责")


def _party_recommendations(ctx: DemoContext, rng: random.Random, root: Org) -> dict[str, int]:
    """推优入党: about one member in 150 recommended each year by their own union; a third later made activists."""
    members = list(Member.objects.filter(status=MemberStatus.ACTIVE).values_list("pk", "org_id", "joined_on"))
    rows: list[PartyRecommendation] = []
    chosen: set[int] = set()
    for year in ctx.years:
        start, end = dt.date(year, 3, 1), min(dt.date(year, 11, 30), ctx.today)
        if end < start:
            continue
        for pk, org_id, joined in rng.sample(members, len(members) // 150):
            if pk in chosen or joined >= start:
                continue
            chosen.add(pk)
            day = ctx.random_date(rng, start, end)
            rows.append(PartyRecommendation(org_id=org_id, member_id=pk, recommended_on=day,
                                            stage=RecommendationStage.RECOMMENDED, remarks=rng.choice(REASONS)))
            later = day + dt.timedelta(days=rng.randint(90, 200))
            if later <= ctx.today and rng.random() < 0.35:
                rows.append(PartyRecommendation(org_id=org_id, member_id=pk, recommended_on=later,
                                                stage=RecommendationStage.ACTIVIST, remarks="经党组织考察确定"))
    PartyRecommendation.objects.bulk_create(rows, batch_size=2000)
    audit.record(None, AuditLog.Action.CREATE, root, object_type=PartyRecommendation._meta.label,
                 object_repr="演示数据", note=f"演示数据：新增推优入党 {len(rows)} 条")
    return {"party_recommendations": len(rows)}


def _city(b: Builder, root: Org, year: int, districts: list[Org]) -> None:
    rng, add = b.rng, b.add
    for month in (3, 6, 9):
        if (day := b.day(year, [month])):
            add(root, "cadre_training", day, title=b.title("cadre_training", root, day), days=3, sessions=3,
                roster=rng.randint(30, 45), hours=Decimal("24"), audience="officers")
    if (day := b.day(year, [10])):
        meet = add(root, "sports", day, title=f"广州市第{year - 1990}届职工运动会", days=5,
                   sessions=rng.randint(40, 60), teams=len(districts) * 3, roster=60, co=districts, report=1)
        for i, d in enumerate(rng.sample(districts, 3)):
            b.entry(meet, "team", f"{short(d)}代表队", result="team_prize", rank_text=["团体第一名", "团体第二名",
                                                                                           "团体第三名"][i])
    if (day := b.day(year, [4])):
        employers = rng.sample(sorted(b.employer_names), 60)
        add(root, "other", day, title=f"{year}年“安康杯”竞赛活动启动仪式", campaign="ankang_cup", days=200,
            employers=employers, headcount=rng.randint(300, 500), topics=["safety"], materials=3000,
            material_topic="safety", report=1)
    if (day := b.day(year, [2])):
        add(root, "job_fair", day, title="“春风行动”暨春送岗位专场招聘会", campaign="spring_jobs",
            headcount=rng.randint(1800, 3200), estimated=True, measures={
                "positions": rng.randint(2500, 4000), "jobseekers": rng.randint(1800, 3200),
                "job_intents": rng.randint(400, 900)}, report=1)
    if (day := b.day(year, [1])):
        add(root, "volunteer_service", day, title=f"{year}年暖流行动·春运志愿服务", campaign="warm_current", days=40,
            headcount=rng.randint(3000, 6000), estimated=True, sessions=40)
    for code, months in [("model_worker_forum", [4]), ("mixer", [5, 8]), ("reading", [4]), ("seminar", [7]),
                         ("contest_project", [1]), ("charity_auction", [11])]:
        if (day := b.day(year, months)):
            extra: dict[str, Any] = {}
            if code == "mixer":
                extra["reach"] = rng.randint(8000, 30000)
            if code == "charity_auction":
                extra["measures"] = {"lots": rng.randint(30, 80), "proceeds": f"{rng.randint(30, 120) * 1000}.00"}
            if code == "contest_project":
                day = dt.date(year, 1, 10)
                extra["days"] = 350
            add(root, code, day, title=b.title(code, root, day), **extra)
    for trade in rng.sample(TRADES, 3):
        if (day := b.day(year, [5, 6, 9, 10])):
            contest = add(root, "contest", day, title=b.title("contest", root, day, trade=trade), trade=trade,
                          days=2, teams=rng.randint(8, 14), roster=rng.randint(20, 40), co=rng.sample(districts, 2))
            _results(b, contest)
    for n in range(1, 7):
        if (day := b.day(year, [n * 2 - 1, n * 2])):
            add(root, "study", day, title=b.title("study", root, day, n), headcount=rng.randint(20, 35))
    if (day := b.day(year, [3])):
        add(root, "health_check", day, title="女职工“两癌”筛查", audience="women", topics=["women_screening"],
            headcount=rng.randint(800, 1500), days=60, sessions=20)
    if (day := b.day(year, [11, 12])):
        add(root, "work_inspection", day, title=b.title("work_inspection", root, day), headcount=8, sessions=6)


def _results(b: Builder, contest: int) -> None:
    """Prizes of a contest: a team prize, individual prizes for roster contestants, one recommended up."""
    contestants = [p for i, p, _ in b.batch.people if i == contest]
    b.entry(contest, "team", "一等奖代表队", result="team_prize", rank_text="团体一等奖")
    for rank, person in zip(["第一名", "第二名", "第三名"], contestants[:3], strict=False):
        b.entry(contest, "person", person.name, person, result="individual_prize", rank_text=rank,
                recommended_up=rank == "第一名")


def _district(b: Builder, district: Org, year: int) -> None:
    rng, add = b.rng, b.add
    below = b.grassroots_below(district)
    for n in range(rng.randint(4, 7)):
        if (day := b.day(year)):
            roster = rng.random() < 0.4
            add(district, "lecture", day, title=b.title("lecture", district, day, n + 1), roster=30 if roster else 0,
                headcount=rng.randint(60, 300), sessions=rng.choice([1, 1, 2, 3]), materials=rng.choice([0, 200, 500]),
                material_topic="policy", units=rng.randint(3, 20), topics=["policy"])
    for _ in range(rng.randint(3, 5)):
        if (day := b.day(year, [3, 4, 5, 6, 11, 12])):
            add(district, "legal_outreach", day, title=b.title("legal_outreach", district, day),
                headcount=rng.randint(80, 400), estimated=rng.random() < 0.2, materials=rng.choice([500, 800, 1500]),
                topics=["legal"], units=rng.randint(5, 30))
    for _ in range(rng.randint(2, 3)):
        if (day := b.day(year)):
            add(district, "training", day, title=b.title("training", district, day), days=5, sessions=5,
                roster=rng.randint(20, 35), hours=Decimal("30"), audience=rng.choice(["", "", "women", "migrant"]))
    if (day := b.day(year, [6])):
        employers = [e for o in below for e in b.employers_by_org.get(o.pk, [])]
        add(district, "inspection", day, title="“安康杯”竞赛安全生产检查", campaign="ankang_cup",
            employers=rng.sample(employers, min(len(employers), rng.randint(15, 30))), headcount=rng.randint(20, 40),
            topics=["safety"], materials=1000, material_topic="safety")
    for code in ("sports", "culture", "quiz"):
        if (day := b.day(year)):
            add(district, code, day, title=b.title(code, district, day, year - 2015), teams=rng.randint(6, 16)
                if code != "culture" else 0, headcount=rng.randint(200, 600), units=rng.randint(6, 20),
                sessions=rng.randint(1, 12) if code == "sports" else 1)
    for code in ("bargaining_guidance", "openness_inspection", "cadre_training", "recuperation", "seminar"):
        if (day := b.day(year)) and rng.random() < 0.8:
            add(district, code, day, title=b.title(code, district, day), roster=30 if code in (
                "cadre_training", "recuperation") else 0, sessions=2 if code == "cadre_training" else 1,
                headcount=rng.randint(10, 40), units=rng.randint(3, 12) if code == "openness_inspection" else 0,
                hours=Decimal("12") if code == "cadre_training" else Decimal("0"))
    for n in range(1, 5):
        if (day := b.day(year, [n * 3 - 2, n * 3 - 1, n * 3])):
            add(district, "study", day, title=b.title("study", district, day, n), headcount=rng.randint(12, 25))
    if (day := b.day(year, [9, 10])):
        add(district, "essay_contest", day, title=b.title("essay_contest", district, day), roster=25, days=30)


def _street(b: Builder, street: Org, year: int) -> None:
    rng, add = b.rng, b.add
    below = b.grassroots_below(street)
    if (day := b.day(year, [3])):
        add(street, "lecture", day, title="“三八”女职工权益保护专题讲座", audience="women", topics=["legal"],
            roster=rng.choice([0, 20]), headcount=rng.randint(40, 120), materials=200, material_topic="women")
    if (day := b.day(year, [6])) and below:
        employers = [e for o in below for e in b.employers_by_org.get(o.pk, [])]
        add(street, "inspection", day, title="“安全生产月”暨“安康杯”竞赛安全检查", campaign="ankang_cup",
            employers=rng.sample(employers, min(len(employers), rng.randint(4, 10))), headcount=rng.randint(8, 20),
            topics=["safety"], materials=rng.choice([300, 500]), material_topic="safety")
    if (day := b.day(year, [5, 9, 10])) and rng.random() < 0.4:
        trade = rng.choice(TRADES)
        contest = add(street, "contest", day, title=b.title("contest", street, day, trade=trade), trade=trade,
                      teams=rng.randint(4, 10), roster=rng.randint(12, 24), units=rng.randint(4, 10))
        _results(b, contest)
    for n in range(rng.randint(3, 5)):
        if (day := b.day(year)):
            co = [rng.choice(below)] if below and rng.random() < 0.3 else []
            add(street, "lecture", day, title=b.title("lecture", street, day, n + 1), co=co,
                roster=rng.choice([0, 0, 25]), headcount=rng.randint(40, 150), materials=rng.choice([0, 100, 300]),
                audience=rng.choice(["", "", "", "women"]))
    for _ in range(rng.randint(2, 3)):
        if (day := b.day(year)):
            add(street, "legal_outreach", day, title=b.title("legal_outreach", street, day),
                headcount=rng.randint(50, 200), estimated=rng.random() < 0.3, materials=rng.choice([200, 300, 500]),
                topics=["legal"])
    for code in rng.sample(["sports", "culture", "reading", "mixer", "health_check", "volunteer_service",
                            "museum_visit", "speech_contest"], 4):
        if (day := b.day(year)):
            extra: dict[str, Any] = {}
            if code == "museum_visit":
                extra["topics"] = ["safety"]
            if code == "mixer":
                extra["reach"] = rng.randint(1000, 6000)
            add(street, code, day, title=b.title(code, street, day, 1), roster=rng.choice([0, 20]),
                headcount=rng.randint(30, 200), **extra)
    if (day := b.day(year)) and rng.random() < 0.7:
        add(street, "training", day, title=b.title("training", street, day), days=3, sessions=3, roster=20,
            hours=Decimal("18"))
    for n in range(1, 3):
        if (day := b.day(year, range(n * 6 - 5, n * 6 + 1))):
            add(street, "study", day, title=b.title("study", street, day, n), headcount=rng.randint(8, 15))
    if (day := b.day(year, [11, 12])):
        add(street, "work_inspection", day, title=b.title("work_inspection", street, day),
            headcount=rng.randint(4, 8), sessions=rng.randint(5, 15))


CLUBS = [("广州市职工书画协会", "culture"), ("广州市职工摄影协会", "culture"), ("广州市职工篮球协会", "sports"),
         ("广州市职工羽毛球协会", "sports"), ("广州市职工读书协会", "reading")]


def _clubs_and_periodicals(ctx: DemoContext, rng: random.Random, orgs: list[Org]) -> dict[str, int]:
    """City associations with district and street branches; periodicals given to the unions below each year."""
    root = orgs[0]
    districts = [o for o in orgs if o.depth == 2 and o.kind == OrgKind.FEDERATION]
    streets = [o for o in orgs if o.depth == 3 and o.kind == OrgKind.FEDERATION]
    clubs = [Club(org=root, name=name, kind=kind, founded_on=dt.date(rng.randint(2008, 2018), 5, 1),
                  member_count=rng.randint(150, 600)) for name, kind in CLUBS]
    Club.objects.bulk_create(clubs)
    branches = []
    for club in clubs:
        for org in rng.sample(districts, rng.randint(2, 5)) + rng.sample(streets, rng.randint(0, 4)):
            founded = ctx.random_date(rng, dt.date(2016, 1, 1), ctx.today)
            branches.append(Club(org=org, parent=club, kind=club.kind, founded_on=founded,
                                 name=f"{short(org)}{club.name.removeprefix('广州市职工')}分会",
                                 member_count=rng.randint(20, 120)))
    Club.objects.bulk_create(branches)
    grassroots = [o for o in orgs if o.kind == OrgKind.GRASSROOTS]
    rows = []
    for year in ctx.years:
        for org in [*districts, *streets]:
            rows.append(Subscription(org=root, recipient=org, periodical="工人日报", year=year, copies=2))
        for org in rng.sample(grassroots, len(grassroots) * 2 // 5):
            rows.append(Subscription(org=root, recipient=org, periodical="南方工报", year=year, copies=1))
        for district in districts:
            below = [o for o in grassroots if o.path.startswith(district.path)]
            for org in rng.sample(below, len(below) // 5):
                rows.append(Subscription(org=district, recipient=org, periodical="中国工人", year=year, copies=1))
    Subscription.objects.bulk_create(rows, batch_size=2000)
    for model, n in [(Club, len(clubs) + len(branches)), (Subscription, len(rows))]:
        audit.record(None, AuditLog.Action.CREATE, root, object_type=model._meta.label, object_repr="演示数据",
                     note=f"演示数据：新增{model._meta.verbose_name} {n} 条")
    return {"clubs": len(clubs) + len(branches), "subscriptions": len(rows)}


def _facility_services(b: Builder, year: int) -> None:
    """Quarterly service records of the outdoor workers' stations (paper counts), and events held at homes."""
    from gonghui.facilities.models import Facility, FacilityType

    rng = b.rng
    for facility in Facility.objects.filter(type__in=[FacilityType.OUTDOOR_STATION, FacilityType.HOME]).select_related(
            "org").order_by("pk"):
        org = b.by_path.get(facility.org.path)
        if org is None:
            continue
        if facility.type == FacilityType.OUTDOOR_STATION:
            for quarter in range(4):
                start = dt.date(year, quarter * 3 + 1, 1)
                end = dt.date(year, quarter * 3 + 3, 28)
                closed = facility.closed_on is not None and end >= facility.closed_on
                if start < facility.opened_on or end > b.ctx.today or closed:
                    continue
                b.add(org, "facility_service", end, title=f"{facility.name}{year}年第{quarter + 1}季度服务",
                      facility=facility, headcount=rng.randint(500, 2600), estimated=rng.random() < 0.5,
                      sessions=90, report=0.05)
        elif rng.random() < 0.3 and (day := b.day(year)) and day >= facility.opened_on:
            b.add(org, rng.choice(["reading", "culture", "lecture"]), day, facility=facility, roster=12,
                  title=f"“职工之家”{rng.choice(['读书沙龙', '插花体验', '心理减压讲座', '手工DIY'])}活动",
                  venue=facility.name, report=0.1)


def _grassroots(b: Builder, org: Org, year: int) -> None:
    rng, add = b.rng, b.add
    if org.founded_on.year > year:
        return
    size = len(b.pool(org))
    employers = b.employers_by_org.get(org.pk, [])
    for code in rng.sample(["lecture", "legal_outreach", "sports", "culture", "training", "study", "health_check",
                            "reading", "joint_with_admin", "retirement_ceremony", "quiz"], rng.randint(2, 6)):
        day = b.day(year)
        if day is None or day < org.founded_on:
            continue
        roster = rng.random() < 0.4
        extra: dict[str, Any] = {}
        if code == "training":
            extra.update(days=2, sessions=2, hours=Decimal("8"))
        if code == "quiz":
            extra["teams"] = rng.randint(3, 8)
        if code == "health_check":
            extra.update(topics=rng.choice([["women_screening"], []]))
        if code == "lecture" and rng.random() < 0.3:
            extra["audience"] = "women"
        add(org, code, day, title=b.title(code, org, day, 1), roster=rng.randint(6, min(size, 18)) if roster else 0,
            headcount=rng.randint(8, max(10, min(org.covered_workers, 150))), employers=employers[:1]
            if code == "legal_outreach" else (), report=0.1, materials=rng.choice([0, 0, 50, 100])
            if code == "legal_outreach" else 0, **extra)
