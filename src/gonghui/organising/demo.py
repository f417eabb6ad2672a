"""Demo step: new-employment-form employers and the unions founded over them, organising drives,
star ratings and yearly standardisation checks.

The drives target employers that had no union when the drive began; whether a union was
founded is read from the tree, so the unions created here show up as the drives' results.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q

from gonghui.core import audit, demo_data, uscc
from gonghui.core.models import AuditLog
from gonghui.demo import DemoContext
from gonghui.organising.models import (
    Assessment,
    CampaignTarget,
    OrganisingCampaign,
    StarRating,
    TargetStatus,
    grade_for,
)
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Employer, Org, OrgKind, OrgMode
from gonghui.orgs.selectors import union_exists

# (group, name pattern, trades, industry)
NEW_FORMS = [
    ("courier", "{brand}快递{street}营业部", ["快递业"], "G"),
    ("food_delivery_rider", "{brand}即时配送{street}站点", ["外卖", "即时配送"], "G"),
    ("ride_hailing_driver", "广州{brand}网约车服务有限公司", ["网约车"], "G"),
    ("truck_driver", "广州{brand}货运物流有限公司", ["货运", "道路货物运输"], "G"),
]
FINDINGS = ["", "", "会员实名制信息更新不及时", "经审会作用发挥不充分", "职工之家台账不完整",
            "厂务公开栏内容未按季度更新"]
GROUP_LABEL = {"courier": "快递员", "food_delivery_rider": "外卖骑手", "ride_hailing_driver": "网约车司机",
               "truck_driver": "货车司机"}


def _next_code(parent: Org) -> str:
    numbers = [int(code.rsplit(".", 1)[1]) for code in Org.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 1).values_list("code", flat=True)
        if code.rsplit(".", 1)[1].isdigit()]
    return f"{parent.code}.{max(numbers, default=0) + 1:04d}"


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("organising")
    streets = list(Org.objects.filter(kind=OrgKind.FEDERATION, depth=3, dissolved_on__isnull=True).order_by("path"))
    founded = _new_forms(ctx, rng, streets)
    campaigns, targets = _campaigns(ctx, rng)
    ratings = _ratings(ctx, rng)
    assessments = _assessments(ctx, rng, streets)
    root = Org.objects.get(depth=1)
    for model, n in [(OrganisingCampaign, campaigns), (CampaignTarget, targets), (StarRating, ratings),
                     (Assessment, assessments)]:
        audit.record(None, AuditLog.Action.CREATE, root, object_type=model._meta.label, object_repr="演示数据",
                     note=f"演示数据：新增{model._meta.verbose_name} {n} 条")
    ctx.counts.update({"new_form_unions": founded, "organising_campaigns": campaigns, "campaign_targets": targets,
                       "star_ratings": ratings, "assessments": assessments})


def _new_forms(ctx: DemoContext, rng: random.Random, streets: list[Org]) -> int:
    """Courier outlets, delivery stations, ride-hailing and haulage firms; some found a union in the demo years."""
    founded = 0
    for street in streets:
        district = street.name.split("区")[0] + "区" if "区" in street.name else street.name
        place = street.name.removeprefix(district).removesuffix("总工会")
        for _ in range(rng.randint(1, 3)):
            group, pattern, trades, industry = rng.choice(NEW_FORMS)
            name = pattern.format(brand=rng.choice(demo_data.NAME_WORDS), street=place.removesuffix("街道"))
            if Employer.objects.filter(name=name).exists():
                continue
            headcount = rng.randint(26, 160)
            employer = org_services.create_employer(
                None, street, name=name, uscc=uscc.generate(rng, street.region_code or "440100", "91"),
                industry=industry, ownership="non_public", headcount=headcount,
                female_headcount=int(headcount * rng.uniform(0.05, 0.25)), is_small_micro=headcount < 100,
                new_sector=True, trades=trades, region_code=street.region_code,
                address=demo_data.address(rng, district), contact_name=demo_data.person_name(rng, "male"),
                established_on=dt.date(rng.randint(2015, 2022), rng.randint(1, 12), rng.randint(1, 28)))
            if rng.random() < 0.45:
                year = rng.choice(ctx.years)
                end = ctx.today if year == ctx.today.year else dt.date(year, 12, 31)
                on = ctx.random_date(rng, dt.date(year, 3, 1), end)
                org = org_services.create_org(
                    None, street, code=_next_code(street), name=f"{name}工会委员会", kind=OrgKind.GRASSROOTS,
                    mode=OrgMode.SINGLE, founded_on=on, term_years=3, covered_workers=headcount,
                    region_code=street.region_code, address=employer.address, covered_entities=[employer],
                    note=f"{GROUP_LABEL[group]}集中入会行动中建会")
                ctx.orgs[org.code] = org
                founded += 1
    return founded


def _campaigns(ctx: DemoContext, rng: random.Random) -> tuple[int, int]:
    """A 百日建会 drive per district and year; targets are the employers without a union when it began."""
    districts = list(Org.objects.filter(kind=OrgKind.FEDERATION, depth=2).order_by("path"))
    campaigns, targets = 0, 0
    rows: list[CampaignTarget] = []
    for year in ctx.years:
        start, end = dt.date(year, 3, 1), dt.date(year, 6, 30)
        if start > ctx.today:
            continue
        for district in districts:
            new_forms = rng.random() < 0.4
            group = rng.choice(["courier", "food_delivery_rider"]) if new_forms else ""
            campaign = OrganisingCampaign.objects.create(
                org=district, name=(f"{year}年{GROUP_LABEL[group]}入会集中行动" if new_forms
                                    else f"{year}年“百日建会”攻坚行动"),
                start_on=start, end_on=end, new_group=group, target_unions=rng.randint(5, 12),
                description="摸清辖区未建会单位底数，逐户上门宣传《工会法》，指导符合条件的单位依法建会。")
            campaigns += 1
            area = Employer.objects.filter(Q(org__path__startswith=district.path), headcount__gte=25).exclude(
                union_exists(start)).exclude(closed_on__lte=start)
            candidates = list(area.values_list("pk", "trades"))
            if new_forms:
                candidates = [c for c in candidates if c[1]] or candidates
            for employer_id, _trades in rng.sample(candidates, min(len(candidates), rng.randint(6, 12))):
                status = rng.choices([s.value for s in TargetStatus], weights=[2, 4, 3, 1])[0]
                contacted = (None if status == TargetStatus.PENDING
                             else ctx.random_date(rng, start, min(end, ctx.today)))
                rows.append(CampaignTarget(campaign=campaign, employer_id=employer_id, status=status,
                                           contacted_on=contacted, situation=rng.choice(
                                               ["", "负责人表示支持，正在推选筹备组", "职工人数波动较大，待复核",
                                                "企业以经营困难为由暂缓", "已发放建会指引"])))
    CampaignTarget.objects.bulk_create(rows)
    targets = len(rows)
    return campaigns, targets


def _ratings(ctx: DemoContext, rng: random.Random) -> int:
    """Star ratings (星级工会) of about one grassroots union in six, valid three years."""
    rows = []
    districts = {o.path: o.name for o in Org.objects.filter(depth=2)}
    for org in Org.objects.filter(kind=OrgKind.GRASSROOTS, dissolved_on__isnull=True).order_by("path"):
        if rng.random() > 0.17:
            continue
        year = rng.choice([ctx.years[0] - 1, *ctx.years])
        awarded = ctx.random_date(rng, dt.date(year, 11, 1), dt.date(year, 12, 28))
        if awarded > ctx.today or awarded < org.founded_on:
            continue
        stars = rng.choices([3, 4, 5], weights=[5, 3, 1])[0]
        level = "city" if stars == 5 else "district"
        rows.append(StarRating(org=org, stars=stars, level=level, awarded_on=awarded,
                               valid_until=awarded.replace(year=awarded.year + 3),
                               awarded_by="广州市总工会" if level == "city"
                               else districts.get(org.path[: 2 * Org.steplen], "区总工会")))
    StarRating.objects.bulk_create(rows)
    return len(rows)


def _assessments(ctx: DemoContext, rng: random.Random, streets: list[Org]) -> int:
    """Yearly 规范化建设 checks of about a third of each street's grassroots unions, in December."""
    rows = []
    for year in ctx.years:
        for street in streets:
            unions = list(Org.objects.filter(path__startswith=street.path, depth=street.depth + 1,
                                             kind=OrgKind.GRASSROOTS, founded_on__lt=dt.date(year, 1, 1)))
            for org in rng.sample(unions, len(unions) // 3):
                on = dt.date(year, 12, rng.randint(1, 20))
                if on > ctx.today or (org.dissolved_on and org.dissolved_on <= on):
                    continue
                score = Decimal(str(round(min(99.0, max(52.0, rng.gauss(83, 7))), 1)))
                rows.append(Assessment(org=org, year=year, assessed_on=on, assessor=street, score=score,
                                       grade=grade_for(score), findings=rng.choice(FINDINGS)))
    Assessment.objects.bulk_create(rows)
    return len(rows)
