"""Facility figures of spec/METRICS.md (阵地建设) and the annual return's 6-25 … 6-28."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from gonghui.activities.metrics import PENDING, Figure, Window, register
from gonghui.core.scope import Scope
from gonghui.facilities.models import Facility, FacilityGrant, FacilityRecognition, FacilityType
from gonghui.facilities.selectors import open_on
from gonghui.orgs.models import Org


def _facilities(user: Any, org: Org, own_only: bool, type: str) -> QuerySet[Facility]:
    qs = Scope.of(user).filter(Facility.objects.filter(type=type), "facilities.view")
    return qs.filter(org=org) if own_only else qs.filter(org__path__startswith=org.path)


def _ordered(qs: QuerySet[Facility]) -> QuerySet[Facility]:
    return qs.select_related("org").order_by("opened_on", "pk")


def new(type: str) -> Any:
    def compute(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
        qs = _facilities(user, org, own_only, type).filter(opened_on__gte=window.start, opened_on__lte=window.end)
        return Figure(qs.count(), _ordered(qs))

    return compute


def total(type: str) -> Any:
    def compute(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
        qs = _facilities(user, org, own_only, type).filter(open_on(window.end))
        return Figure(qs.count(), _ordered(qs))

    return compute


def recognised(type: str) -> Any:
    """Distinct facilities of the type recognised in the window (filter ``level``: 全国/省/市/区)."""

    def compute(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
        rows = FacilityRecognition.objects.filter(
            facility__in=_facilities(user, org, own_only, type).values("pk"),
            recognised_on__gte=window.start, recognised_on__lte=window.end)
        if filters.get("level"):
            rows = rows.filter(level=filters["level"])
        ids = rows.values("facility_id")
        return Figure(Facility.objects.filter(pk__in=ids).count(), _ordered(Facility.objects.filter(pk__in=ids)))

    return compute


register("facilities.home.new", "新建职工之家（服务示范点）", "家", domain="facilities")(new(FacilityType.HOME))
register("facilities.home.total", "职工之家总数", "家", "S", domain="facilities")(total(FacilityType.HOME))
register("facilities.home.recognised", "模范职工之家（命名/推荐）", "家", domain="facilities",
         filters=("level",))(recognised(FacilityType.HOME))
register("facilities.small_home.recognised", "模范职工小家", "家", domain="facilities",
         filters=("level",))(recognised(FacilityType.SMALL_HOME))
register("facilities.library.new", "新建职工书屋", "家", domain="facilities")(new(FacilityType.LIBRARY))
register("facilities.library.total", "职工书屋总数", "家", "S", domain="facilities")(total(FacilityType.LIBRARY))
register("facilities.library.recognised", "职工书屋示范点", "家", domain="facilities",
         filters=("level",))(recognised(FacilityType.LIBRARY))
register("facilities.nursing_room.new", "新建母婴室（妈咪暖心小屋）", "家", domain="facilities")(
    new(FacilityType.NURSING_ROOM))
register("facilities.nursing_room.total", "母婴室总数", "家", "S", domain="facilities")(
    total(FacilityType.NURSING_ROOM))
register("facilities.nursing_room.recognised", "市级/示范母婴关爱室", "家", domain="facilities",
         filters=("level",))(recognised(FacilityType.NURSING_ROOM))
register("facilities.parent_child_room.new", "新建亲子关爱室", "家", domain="facilities")(
    new(FacilityType.PARENT_CHILD_ROOM))
register("facilities.outdoor_station.new", "户外劳动者服务站（爱心驿站）", "家", domain="facilities")(
    new(FacilityType.OUTDOOR_STATION))
register("facilities.outdoor_station.total", "户外劳动者服务站点", "个", "S", domain="facilities")(
    total(FacilityType.OUTDOOR_STATION))
register("facilities.reading_station.new", "悦读漂流驿站", "家", domain="facilities")(
    new(FacilityType.READING_STATION))


def _library_grants(user: Any, org: Org, window: Window, own_only: bool) -> QuerySet[FacilityGrant]:
    return FacilityGrant.objects.filter(
        facility__in=_facilities(user, org, own_only, FacilityType.LIBRARY).values("pk"),
        granted_on__gte=window.start, granted_on__lte=window.end).select_related("facility", "granted_by")


@register("facilities.library.grants.units", "获图书补充的书屋", "家", domain="facilities")
def _grant_units(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    rows = _library_grants(user, org, window, own_only)
    return Figure(rows.values("facility_id").distinct().count(), rows.order_by("granted_on", "pk"))


@register("facilities.library.grants.amount", "书屋更新补充资金", "元", domain="facilities")
def _grant_amount(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    rows = _library_grants(user, org, window, own_only)
    return Figure(rows.aggregate(n=Sum("amount"))["n"] or Decimal("0.00"), rows.order_by("granted_on", "pk"))


PENDING.update({
    "facilities.eap.recognised": "EAP（员工帮助计划）单位是对用人单位的命名，由荣誉模块（Honour）登记",
    "facilities.child_friendly.recognised": "儿童友好型企业是对用人单位的命名，由荣誉模块（Honour）登记",
})
