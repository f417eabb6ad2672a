"""The union's premises and service points (阵地): 职工之家, 职工书屋, 母婴室, 户外劳动者服务站 …

Services a facility gives are not typed in as totals: they are the activities
linked to it (``Activity.facility``), so visits (人次) and people served (人)
follow the counting rules of the activity log.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from gonghui.core.scope import Scoped
from gonghui.orgs.models import Employer, Org


class FacilityType(models.TextChoices):
    HOME = "home", "职工之家"
    SMALL_HOME = "small_home", "职工小家"
    LIBRARY = "library", "职工书屋"
    READING_STATION = "reading_station", "悦读漂流驿站"
    NURSING_ROOM = "nursing_room", "母婴室（爱心妈咪小屋）"
    PARENT_CHILD_ROOM = "parent_child_room", "亲子关爱室"
    OUTDOOR_STATION = "outdoor_station", "户外劳动者服务站（爱心驿站）"
    SERVICE_CENTRE = "service_centre", "职工服务中心（站点）"


class Service(models.TextChoices):
    """What a service point offers (户外劳动者服务站 “冷可纳凉、热可取暖、渴可喝水、累可歇脚” …)."""

    WATER = "water", "饮水"
    REST = "rest", "休息"
    TOILET = "toilet", "如厕"
    HEATING = "heating", "取暖纳凉"
    MEAL = "meal", "热饭"
    CHARGING = "charging", "充电"
    FIRST_AID = "first_aid", "医药箱"
    BOOKS = "books", "图书阅览"
    NURSING = "nursing", "哺乳休息"
    COUNSELLING = "counselling", "心理咨询"
    LEGAL = "legal", "法律咨询"
    FITNESS = "fitness", "健身"


class AwardLevel(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区（县）级"


class Facility(Scoped, models.Model):
    """One premises or service point run by a union."""

    scope_domain = "facilities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="facilities", verbose_name="建设（运营）工会")
    type = models.CharField("类别", max_length=20, choices=FacilityType.choices)
    name = models.CharField("名称", max_length=120)
    address = models.CharField("地址", max_length=200)
    employer = models.ForeignKey(Employer, on_delete=models.SET_NULL, null=True, blank=True, related_name="facilities",
                                 verbose_name="所在单位")
    opened_on = models.DateField("建成日期")
    closed_on = models.DateField("停用日期", null=True, blank=True)
    # 会站家一体化: a 职工之家 that also serves as an outdoor workers' station.
    with_service_station = models.BooleanField("会站家一体化", default=False)
    area_sqm = models.DecimalField("面积（平方米）", max_digits=8, decimal_places=1, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("0"))])
    services = models.JSONField("服务项目", default=list, blank=True)
    opening_hours = models.CharField("开放时间", max_length=60, blank=True)
    books = models.PositiveIntegerField("藏书（册）", default=0)
    description = models.TextField("简介", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "阵地"
        verbose_name_plural = "阵地"
        ordering = ["type", "name", "pk"]
        indexes = [models.Index(fields=["type", "opened_on"], name="facility_type_opened")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("facilities:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = "停用日期不能早于建成日期"
        if self.with_service_station and self.type != FacilityType.HOME:
            errors["with_service_station"] = "只有职工之家才能标记为会站家一体化"
        unknown = [s for s in self.services or [] if s not in Service.values]
        if unknown:
            errors["services"] = f"未知的服务项目：{'、'.join(map(str, unknown))}"
        if self.books and self.type not in (FacilityType.LIBRARY, FacilityType.READING_STATION, FacilityType.HOME):
            errors["books"] = "只有职工书屋、悦读驿站和职工之家登记藏书"
        if errors:
            raise ValidationError(errors)

    def is_open_on(self, day: object) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)  # type: ignore[operator]


class RecognitionTitle(models.TextChoices):
    MODEL_HOME = "model_home", "模范职工之家"
    MODEL_SMALL_HOME = "model_small_home", "模范职工小家"
    MODEL_LIBRARY = "model_library", "职工书屋示范点"
    MODEL_READING_STATION = "model_reading_station", "示范悦读驿站"
    MODEL_NURSING_ROOM = "model_nursing_room", "示范母婴关爱室"
    MODEL_PARENT_CHILD_ROOM = "model_parent_child_room", "示范亲子关爱室"
    MODEL_STATION = "model_station", "最美户外劳动者服务站"
    MODEL_SERVICE_CENTRE = "model_service_centre", "示范职工服务站点"


# The title each facility type can be recognised with.
TITLE_FOR_TYPE: dict[str, str] = {
    FacilityType.HOME: RecognitionTitle.MODEL_HOME,
    FacilityType.SMALL_HOME: RecognitionTitle.MODEL_SMALL_HOME,
    FacilityType.LIBRARY: RecognitionTitle.MODEL_LIBRARY,
    FacilityType.READING_STATION: RecognitionTitle.MODEL_READING_STATION,
    FacilityType.NURSING_ROOM: RecognitionTitle.MODEL_NURSING_ROOM,
    FacilityType.PARENT_CHILD_ROOM: RecognitionTitle.MODEL_PARENT_CHILD_ROOM,
    FacilityType.OUTDOOR_STATION: RecognitionTitle.MODEL_STATION,
    FacilityType.SERVICE_CENTRE: RecognitionTitle.MODEL_SERVICE_CENTRE,
}


class FacilityRecognition(Scoped, models.Model):
    """A dated award of a facility at a level (e.g. 全国模范职工之家)."""

    scope_fields: ClassVar[tuple[str, ...]] = ("facility__org",)
    scope_domain = "facilities"

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="recognitions",
                                 verbose_name="阵地")
    title = models.CharField("称号", max_length=24, choices=RecognitionTitle.choices)
    level = models.CharField("级别", max_length=12, choices=AwardLevel.choices)
    recognised_on = models.DateField("命名日期")
    awarded_by = models.CharField("命名单位", max_length=80)
    document_no = models.CharField("文号", max_length=60, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        verbose_name = "阵地命名"
        verbose_name_plural = "阵地命名"
        ordering = ["facility", "-recognised_on"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "title", "level"], name="recognition_once_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}{self.get_title_display()}"

    def get_absolute_url(self) -> str:
        return reverse("facilities:detail", args=[self.facility_id]) + "#recognitions"

    def clean(self) -> None:
        if self.facility_id is None:
            return
        expected = TITLE_FOR_TYPE[self.facility.type]
        if self.title and self.title != expected:
            label = RecognitionTitle(expected).label
            raise ValidationError({"title": f"{self.facility.get_type_display()}只能命名为“{label}”"})
        if self.recognised_on and self.recognised_on < self.facility.opened_on:
            raise ValidationError({"recognised_on": "命名日期不能早于阵地建成日期"})
        if self.revoked_on and self.recognised_on and self.revoked_on < self.recognised_on:
            raise ValidationError({"revoked_on": "撤销日期不能早于命名日期"})


class FacilityGrant(Scoped, models.Model):
    """Money or books a higher union gives to a facility (e.g. 职工书屋图书补充)."""

    scope_fields: ClassVar[tuple[str, ...]] = ("facility__org",)
    scope_domain = "facilities"

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="grants", verbose_name="阵地")
    granted_on = models.DateField("拨付日期")
    granted_by = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="拨付工会")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, default=Decimal("0"),
                                 validators=[MinValueValidator(Decimal("0"))])
    books = models.PositiveIntegerField("配送图书（册）", default=0)
    purpose = models.CharField("用途说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "阵地补助"
        verbose_name_plural = "阵地补助"
        ordering = ["facility", "-granted_on"]

    def __str__(self) -> str:
        return f"{self.facility} {self.granted_on:%Y-%m-%d} 补助"

    def get_absolute_url(self) -> str:
        return reverse("facilities:detail", args=[self.facility_id]) + "#grants"

    def clean(self) -> None:
        if not self.amount and not self.books:
            raise ValidationError("请填写补助金额或配送图书册数")
