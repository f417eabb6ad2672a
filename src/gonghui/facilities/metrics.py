"""Facility figures of METRICS.md (阵地建设) and the annual return's 6-25 … 6-28, in the metric registry."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gonghui.facilities.models import Facility, FacilityGrant, FacilityRecognition, FacilityType
from gonghui.reports.registry import FLOW, REGISTRY, STOCK, Column, Metric, MetricContext, register

FACILITY_COLUMNS = (
    Column("名称", "name"),
    Column("类别", "get_type_display"),
    Column("建设工会", "org.name"),
    Column("地址", "address"),
    Column("建成日期", "opened_on"),
    Column("停用日期", "closed_on"),
)
RECOGNITION_COLUMNS = (
    Column("阵地", "facility.name"),
    Column("建设工会", "facility.org.name"),
    Column("称号", "get_title_display"),
    Column("级别", "get_level_display"),
    Column("命名日期", "recognised_on"),
    Column("命名单位", "awarded_by"),
)
GRANT_COLUMNS = (
    Column("阵地", "facility.name"),
    Column("建设工会", "facility.org.name"),
    Column("拨付日期", "granted_on"),
    Column("拨付工会", "granted_by.name"),
    Column("金额（元）", "amount"),
    Column("图书（册）", "books"),
)


def open_on(day: Any) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def new(type: str) -> Any:
    return lambda ctx: Facility.objects.filter(type=type, opened_on__range=ctx.window.range).select_related("org")


def total(type: str) -> Any:
    return lambda ctx: Facility.objects.filter(open_on(ctx.on), type=type).select_related("org")


def recognised(type: str) -> Any:
    """Recognitions of the type's facilities in the window; the value counts distinct facilities (家)."""
    return lambda ctx: FacilityRecognition.objects.filter(
        facility__type=type, recognised_on__range=ctx.window.range).select_related("facility", "facility__org")


def facilities_recognised() -> Any:
    return Count("facility", distinct=True)


LEVEL = {"level": lambda qs, value: qs.filter(level=value)}


def facility_metric(key: str, label: str, unit: str, kind: str, records: Any) -> None:
    register(Metric(key=key, label=label, unit=unit, kind=STOCK if kind == "S" else FLOW, domain="facilities",
                    records=records, columns=FACILITY_COLUMNS))


def recognition_metric(key: str, label: str, type: str) -> None:
    register(Metric(key=key, label=label, unit="家", kind=FLOW, domain="facilities", records=recognised(type),
                    org_field="facility__org", value=facilities_recognised, columns=RECOGNITION_COLUMNS,
                    filters=LEVEL, note="统计期内获命名的阵地数，按 level 筛选全国、省、市、区级"))


facility_metric("facilities.home.new", "新建职工之家（服务示范点）", "家", "F", new(FacilityType.HOME))
facility_metric("facilities.home.total", "职工之家总数", "家", "S", total(FacilityType.HOME))
recognition_metric("facilities.home.recognised", "模范职工之家（命名/推荐）", FacilityType.HOME)
recognition_metric("facilities.small_home.recognised", "模范职工小家", FacilityType.SMALL_HOME)
facility_metric("facilities.library.new", "新建职工书屋", "家", "F", new(FacilityType.LIBRARY))
facility_metric("facilities.library.total", "职工书屋总数", "家", "S", total(FacilityType.LIBRARY))
recognition_metric("facilities.library.recognised", "职工书屋示范点", FacilityType.LIBRARY)
facility_metric("facilities.nursing_room.new", "新建母婴室（妈咪暖心小屋）", "家", "F", new(FacilityType.NURSING_ROOM))
facility_metric("facilities.nursing_room.total", "母婴室总数", "家", "S", total(FacilityType.NURSING_ROOM))
recognition_metric("facilities.nursing_room.recognised", "市级/示范母婴关爱室", FacilityType.NURSING_ROOM)
facility_metric("facilities.parent_child_room.new", "新建亲子关爱室", "家", "F", new(FacilityType.PARENT_CHILD_ROOM))
facility_metric("facilities.outdoor_station.new", "户外劳动者服务站（爱心驿站）", "家", "F",
                new(FacilityType.OUTDOOR_STATION))
facility_metric("facilities.outdoor_station.total", "户外劳动者服务站点", "个", "S",
                total(FacilityType.OUTDOOR_STATION))
facility_metric("facilities.reading_station.new", "悦读漂流驿站", "家", "F", new(FacilityType.READING_STATION))


def library_grants(ctx: MetricContext) -> QuerySet[FacilityGrant]:
    return FacilityGrant.objects.filter(facility__type=FacilityType.LIBRARY,
                                        granted_on__range=ctx.window.range).select_related("facility", "granted_by")


register(Metric(
    key="facilities.library.grants.units", label="获图书补充的书屋", unit="家", kind=FLOW, domain="facilities",
    records=library_grants, org_field="facility__org", value=lambda: Count("facility", distinct=True),
    columns=GRANT_COLUMNS,
))
register(Metric(
    key="facilities.library.grants.amount", label="书屋更新补充资金", unit="元", kind=FLOW, domain="facilities",
    records=library_grants, org_field="facility__org", value=lambda: Sum("amount"), decimals=2,
    columns=GRANT_COLUMNS,
))

for key, reason in [
    ("facilities.eap.recognised", "EAP（员工帮助计划）单位是对用人单位的命名，由荣誉模块（Honour）登记"),
    ("facilities.child_friendly.recognised", "儿童友好型企业是对用人单位的命名，由荣誉模块（Honour）登记"),
]:
    REGISTRY.pending(key, domain="labour", reason=reason)
