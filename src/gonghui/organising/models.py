"""Organisation building (组建与规范化建设): drives to found unions, star ratings, standardisation checks.

Whether a targeted employer has a union is never typed in: it is read from the
union tree (``orgs.selectors.union_exists``), so a drive's result is the unions
actually founded over its employers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from gonghui.core.scope import Scoped
from gonghui.orgs.models import Employer, Org


class NewGroup(models.TextChoices):
    """Worker groups of the new employment forms targeted by organising drives (GLOSSARY: 八大群体)."""

    COURIER = "courier", "快递员"
    FOOD_DELIVERY_RIDER = "food_delivery_rider", "网约送餐员（外卖骑手）"
    RIDE_HAILING_DRIVER = "ride_hailing_driver", "网约车司机"
    TRUCK_DRIVER = "truck_driver", "货车司机"
    CAREGIVER = "caregiver", "护工护理员"
    DOMESTIC_WORKER = "domestic_worker", "家政服务员"
    MALL_INFO_CLERK = "mall_info_clerk", "商场信息员"
    ESTATE_AGENT = "estate_agent", "房产中介员"
    SECURITY_GUARD = "security_guard", "保安员"


# Employer trade tags (``Employer.trades``) that mark the employers of each group.
GROUP_TRADES: dict[str, tuple[str, ...]] = {
    NewGroup.COURIER: ("快递业", "快递"),
    NewGroup.FOOD_DELIVERY_RIDER: ("外卖", "即时配送", "网约配送"),
    NewGroup.RIDE_HAILING_DRIVER: ("网约车",),
    NewGroup.TRUCK_DRIVER: ("货运", "道路货物运输", "货车"),
    NewGroup.CAREGIVER: ("护工", "护理"),
    NewGroup.DOMESTIC_WORKER: ("家政",),
    NewGroup.MALL_INFO_CLERK: ("商场信息",),
    NewGroup.ESTATE_AGENT: ("房产中介", "房地产经纪"),
    NewGroup.SECURITY_GUARD: ("保安业", "保安"),
}


class OrganisingCampaign(Scoped, models.Model):
    """A drive to set up unions in employers that have none (建会集中行动)."""

    scope_domain = "orgs"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="organising_campaigns",
                            verbose_name="牵头工会")
    name = models.CharField("行动名称", max_length=120)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    new_group = models.CharField("重点群体", max_length=24, choices=NewGroup.choices, blank=True,
                                 help_text="新就业形态劳动者入会行动选择对应群体")
    target_unions = models.PositiveIntegerField("计划新建工会（家）", default=0)
    description = models.TextField("工作措施", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "建会行动"
        verbose_name_plural = "建会行动"
        ordering = ["-start_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organising:campaign", args=[self.pk])

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": "结束日期不能早于开始日期"})


class TargetStatus(models.TextChoices):
    PENDING = "pending", "待联系"
    CONTACTED = "contacted", "已上门宣传"
    PREPARING = "preparing", "筹建中"
    REFUSED = "refused", "暂不同意建会"


class CampaignTarget(Scoped, models.Model):
    """An employer a drive works on, and how far the outreach went."""

    scope_fields: ClassVar[tuple[str, ...]] = ("campaign__org",)
    scope_domain = "orgs"

    campaign = models.ForeignKey(OrganisingCampaign, on_delete=models.CASCADE, related_name="targets",
                                 verbose_name="建会行动")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="organising_targets",
                                 verbose_name="用人单位")
    status = models.CharField("进展", max_length=12, choices=TargetStatus.choices, default=TargetStatus.PENDING)
    contacted_on = models.DateField("最近联系日期", null=True, blank=True)
    situation = models.CharField("情况说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "建会对象"
        verbose_name_plural = "建会对象"
        ordering = ["campaign", "employer__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "employer"], name="target_once_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.employer.name}（{self.campaign.name}）"

    def get_absolute_url(self) -> str:
        return reverse("organising:campaign", args=[self.campaign_id]) + f"#target-{self.pk}"

    def clean(self) -> None:
        if self.status != TargetStatus.PENDING and not self.contacted_on:
            raise ValidationError({"contacted_on": "已联系的单位请填写联系日期"})


class AwardLevel(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区（县）级"


class StarRating(Scoped, models.Model):
    """A star grade (三星/四星/五星) awarded to a union, valid for a period (星级工会)."""

    scope_domain = "orgs"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="star_ratings", verbose_name="工会")
    stars = models.PositiveSmallIntegerField("星级", choices=[(3, "三星级"), (4, "四星级"), (5, "五星级")])
    level = models.CharField("评定级别", max_length=12, choices=AwardLevel.choices)
    awarded_on = models.DateField("评定日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    awarded_by = models.CharField("评定单位", max_length=80)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "星级评定"
        verbose_name_plural = "星级评定"
        ordering = ["-awarded_on", "-pk"]
        indexes = [models.Index(fields=["awarded_on"], name="starrating_awarded")]

    def __str__(self) -> str:
        return f"{self.org.name} {self.get_stars_display()}工会（{self.awarded_on:%Y}）"

    def get_absolute_url(self) -> str:
        return reverse("organising:ratings") + f"#rating-{self.pk}"

    def clean(self) -> None:
        if self.valid_until and self.awarded_on and self.valid_until < self.awarded_on:
            raise ValidationError({"valid_until": "有效期不能早于评定日期"})
        if self.revoked_on and self.awarded_on and self.revoked_on < self.awarded_on:
            raise ValidationError({"revoked_on": "撤销日期不能早于评定日期"})


class Scheme(models.TextChoices):
    STANDARDISATION = "standardisation", "规范化建设"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


# Score bands of the standardisation check (our default; a deployment may rescore).
GRADE_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("90"), Grade.EXCELLENT), (Decimal("80"), Grade.GOOD), (Decimal("60"), Grade.PASS),
    (Decimal("0"), Grade.FAIL),
)


def grade_for(score: Decimal) -> str:
    return next(grade for floor, grade in GRADE_BANDS if score >= floor)


class Assessment(Scoped, models.Model):
    """A yearly check of a union against a scheme, e.g. 工会规范化建设 (小三级), with score and grade."""

    scope_domain = "orgs"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="assessments", verbose_name="被考核工会")
    scheme = models.CharField("考核项目", max_length=20, choices=Scheme.choices, default=Scheme.STANDARDISATION)
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    assessed_on = models.DateField("考核日期")
    assessor = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="考核工会")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    grade = models.CharField("等次", max_length=10, choices=Grade.choices, editable=False)
    findings = models.CharField("主要问题与建议", max_length=300, blank=True)

    class Meta:
        verbose_name = "规范化建设考核"
        verbose_name_plural = "规范化建设考核"
        ordering = ["-year", "org"]
        constraints = [
            models.UniqueConstraint(fields=["org", "scheme", "year"], name="assessment_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.org.name} {self.year}年{self.get_scheme_display()}（{self.get_grade_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("organising:assessments") + f"#assessment-{self.pk}"

    def clean(self) -> None:
        if self.score is not None:
            self.grade = grade_for(Decimal(self.score))
        if self.assessed_on and self.year and not (self.year <= self.assessed_on.year <= self.year + 1):
            raise ValidationError({"assessed_on": "考核日期应在考核年度内或次年"})
