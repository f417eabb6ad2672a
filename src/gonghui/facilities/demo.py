"""Demo step: 职工之家, 职工书屋, 母婴室, 户外劳动者服务站 and other premises, with dated recognitions and grants.

Most older grassroots unions have a 职工之家; some were built in the demo years. Street
federations run 户外劳动者服务站 (爱心驿站) and a service centre; recognitions (模范职工之家 at
district, city, provincial and — rarely — national level) are dated, as are book grants to
职工书屋. Services given at the premises are activities linked to them (activities step).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from gonghui.core import audit, demo_data
from gonghui.core.models import AuditLog
from gonghui.demo import DemoContext
from gonghui.facilities.models import TITLE_FOR_TYPE, Facility, FacilityGrant, FacilityRecognition, FacilityType
from gonghui.orgs.models import Org, OrgKind

AWARDERS = {"district": "{district}总工会", "city": "广州市总工会", "provincial": "广东省总工会",
            "national": "中华全国总工会"}
STATION_SPOTS = ["地铁站旁", "公交总站", "环卫工作站", "加油站", "快递驿站", "社区党群服务中心", "市场", "商业广场"]


def _opened(ctx: DemoContext, rng: random.Random, not_before: dt.date, recent: float) -> dt.date | None:
    """An opening date: mostly before the demo years, a share within them (新建)."""
    if rng.random() < recent:
        year = rng.choice(ctx.years)
        start = max(dt.date(year, 1, 1), not_before)
        end = ctx.today if year == ctx.today.year else dt.date(year, 12, 31)
        return ctx.random_date(rng, start, end) if start <= end else None
    start = max(not_before, dt.date(2008, 1, 1))
    end = dt.date(ctx.years[0] - 1, 12, 31)
    return ctx.random_date(rng, start, end) if start <= end else None


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("facilities")
    orgs = list(Org.objects.filter(dissolved_on__isnull=True).order_by("path"))
    by_path = {o.path: o for o in orgs}
    facilities: list[Facility] = []

    def add(org: Org, type: str, name: str, opened: dt.date | None, **kw: object) -> None:
        if opened is None:
            return
        district = by_path.get(org.path[: 2 * Org.steplen])
        area = "越秀区"
        if district is not None and district.depth == 2:
            area = district.name.removeprefix("广州市").removesuffix("总工会")
        address = org.address if org.kind == OrgKind.GRASSROOTS and org.address else demo_data.address(rng, area)
        facilities.append(Facility(org=org, type=type, name=name, address=address, opened_on=opened, **kw))

    for org in orgs:
        short = org.name.removesuffix("工会委员会").removesuffix("机关工会").removesuffix("总工会")
        if org.kind == OrgKind.GRASSROOTS:
            if rng.random() < 0.55:
                add(org, FacilityType.HOME, f"{short}职工之家", _opened(ctx, rng, org.founded_on, 0.15),
                    area_sqm=Decimal(rng.randint(40, 400)), services=["books", "fitness", "rest"],
                    opening_hours="工作日 12:00-14:00、17:30-21:00")
            if rng.random() < 0.25:
                add(org, FacilityType.LIBRARY, f"{short}职工书屋", _opened(ctx, rng, org.founded_on, 0.2),
                    books=rng.randint(800, 5000), services=["books"])
            if org.covered_workers >= 80 and rng.random() < 0.25:
                add(org, FacilityType.NURSING_ROOM, f"{short}爱心妈咪小屋", _opened(ctx, rng, org.founded_on, 0.3),
                    area_sqm=Decimal(rng.randint(8, 20)), services=["nursing", "rest"])
            if rng.random() < 0.03:
                add(org, FacilityType.PARENT_CHILD_ROOM, f"{short}亲子关爱室", _opened(ctx, rng, org.founded_on, 0.5))
            if rng.random() < 0.03:
                add(org, FacilityType.READING_STATION, f"{short}悦读漂流驿站", _opened(ctx, rng, org.founded_on, 0.5),
                    books=rng.randint(200, 600), services=["books"])
        elif org.kind == OrgKind.BRANCH and rng.random() < 0.5:
            add(org, FacilityType.SMALL_HOME, f"{org.name.removesuffix('分工会')}职工小家",
                _opened(ctx, rng, org.founded_on, 0.2), area_sqm=Decimal(rng.randint(20, 80)))
        elif org.kind == OrgKind.FEDERATION and org.depth == 3:
            add(org, FacilityType.HOME, f"{short}职工服务中心（职工之家）", _opened(ctx, rng, dt.date(2010, 1, 1), 0.1),
                with_service_station=rng.random() < 0.6, area_sqm=Decimal(rng.randint(150, 600)),
                services=["water", "rest", "toilet", "legal", "counselling", "books"],
                opening_hours="周一至周六 9:00-18:00")
            add(org, FacilityType.LIBRARY, f"{short}职工书屋", _opened(ctx, rng, dt.date(2012, 1, 1), 0.1),
                books=rng.randint(3000, 12000), services=["books"])
            for _ in range(rng.randint(2, 5)):
                spot = rng.choice(STATION_SPOTS)
                add(org, FacilityType.OUTDOOR_STATION, f"{short}{spot}户外劳动者服务站",
                    _opened(ctx, rng, dt.date(2016, 1, 1), 0.35),
                    services=rng.sample(["water", "rest", "toilet", "heating", "meal", "charging", "first_aid"], 5),
                    opening_hours="全天")
            if rng.random() < 0.4:
                add(org, FacilityType.NURSING_ROOM, f"{short}母婴关爱室", _opened(ctx, rng, dt.date(2017, 1, 1), 0.4))
    Facility.objects.bulk_create(facilities, batch_size=1000)
    saved = list(Facility.objects.select_related("org"))
    # A few outdoor stations were closed again (roads rebuilt, spots moved).
    for facility in rng.sample([f for f in saved if f.type == FacilityType.OUTDOOR_STATION], 4):
        facility.closed_on = ctx.random_date(rng, max(facility.opened_on, dt.date(ctx.years[0], 1, 1)), ctx.today)
        facility.save(update_fields=["closed_on"])

    recognitions: list[FacilityRecognition] = []
    grants: list[FacilityGrant] = []
    for facility in saved:
        district = by_path.get(facility.org.path[: 2 * Org.steplen])
        chances = {"district": 0.12, "city": 0.05, "provincial": 0.012, "national": 0.003}
        if facility.type == FacilityType.OUTDOOR_STATION:
            chances = {"district": 0.1, "city": 0.08, "provincial": 0.0, "national": 0.0}
        for level, chance in chances.items():
            if rng.random() < chance:
                on = ctx.random_date(rng, max(facility.opened_on, dt.date(2015, 1, 1)) + dt.timedelta(days=120),
                                     ctx.today)
                if on <= ctx.today:
                    year = on.year
                    recognitions.append(FacilityRecognition(
                        facility=facility, title=TITLE_FOR_TYPE[facility.type], level=level,
                        recognised_on=on, awarded_by=AWARDERS[level].format(
                            district=district.name.removesuffix("总工会") if district else "区"),
                        document_no=f"{'总工' if level == 'national' else '粤工' if level == 'provincial' else '穗工'}"
                                    f"〔{year}〕{rng.randint(5, 90)}号"))
        if facility.type == FacilityType.LIBRARY:
            for year in ctx.years:
                if rng.random() < 0.3 and facility.opened_on.year <= year:
                    day = ctx.random_date(rng, dt.date(year, 4, 1), min(dt.date(year, 4, 30), ctx.today))
                    if day >= facility.opened_on:
                        grants.append(FacilityGrant(facility=facility, granted_on=day, granted_by=district,
                                                    amount=Decimal(rng.choice([2000, 3000, 5000])),
                                                    books=rng.choice([200, 300, 500]), purpose="职工书屋图书更新补充"))
    FacilityRecognition.objects.bulk_create(recognitions)
    FacilityGrant.objects.bulk_create(grants)
    root = orgs[0]
    for model, n in [(Facility, len(saved)), (FacilityRecognition, len(recognitions)), (FacilityGrant, len(grants))]:
        audit.record(None, AuditLog.Action.CREATE, root, object_type=model._meta.label, object_repr="演示数据",
                     note=f"演示数据：新增{model._meta.verbose_name} {n} 条")
    ctx.counts.update({"facilities": len(saved), "facility_recognitions": len(recognitions),
                       "facility_grants": len(grants)})
