"""The activity log of union work, its participants and results, and publicity records.

Counting rules (spec/METRICS.md): 人 = distinct persons, 人次 = participation rows.
A participant is identified by ``person_key``, a keyed blind index of the ID number (the
same key as ``members.Person.id_number_bidx``), so distinct counts are exact across
activities, and a participant known to the member registry is linked to its ``Person``.
Where only a paper sign-in sheet exists the activity is ``headcount_only`` and its
``headcount`` stands for the persons it reached.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gonghui.activities.vocab import (
    Audience,
    Campaign,
    Level,
    MaterialTopic,
    PublicityType,
    Topic,
    TypeGroup,
)
from gonghui.core.crypto import EncryptedTextField, mask_id_number
from gonghui.core.scope import Scoped
from gonghui.orgs.models import Employer, Gender, Org

MIN_YEAR = 2000


class ActivityType(Scoped, models.Model):
    """A category of the activity taxonomy: national (no ``org``) or added by a union for its subtree."""

    scope_domain = "activities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="activity_types",
                            verbose_name="设立工会", help_text="空为全国通用类型")
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=40)
    group = models.CharField("类别", max_length=16, choices=TypeGroup.choices, default=TypeGroup.OTHER)
    counts_as = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="统计归入", help_text="自定义类型在统计中归入的全国类型")
    # The national type code every figure filters on: its own code, or that of ``counts_as``.
    base_code = models.CharField("统计类型", max_length=40, db_index=True, editable=False)
    measures = models.JSONField("专项数据项", default=list, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "活动类型"
        verbose_name_plural = "活动类型"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(org__isnull=True), name="activitytype_national_code"),
            models.UniqueConstraint(fields=["org", "code"], name="activitytype_org_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:types") + f"#type-{self.pk}"

    @property
    def is_national(self) -> bool:
        return self.org_id is None

    def effective_measures(self) -> list[dict[str, object]]:
        """Measures of a type: its own, else those of the national type it counts as."""
        if self.measures:
            return list(self.measures)
        if self.counts_as_id is not None and self.counts_as is not None:
            return list(self.counts_as.measures)
        return []


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", "参加人员"
    LECTURER = "lecturer", "授课（宣讲）人"


class Activity(Scoped, models.Model):
    """One union activity: a lecture, training, contest, sports meet, visit, meeting …"""

    # Co-organisers see the activity too; it counts once in any subtree holding an organiser.
    scope_fields: ClassVar[tuple[str, ...]] = ("org", "co_organisers")
    scope_domain = "activities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="activities", verbose_name="主办工会")
    co_organisers = models.ManyToManyField(Org, blank=True, related_name="co_organised_activities",
                                           verbose_name="协办（联办）工会")
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="activities",
                             verbose_name="活动类型")
    title = models.CharField("活动名称", max_length=120)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    campaign = models.CharField("活动品牌", max_length=24, choices=Campaign.choices, blank=True)
    topics = models.JSONField("主题标签", default=list, blank=True)
    audience = models.CharField("对象", max_length=16, choices=Audience.choices, blank=True)
    venue = models.CharField("地点", max_length=120, blank=True)
    facility = models.ForeignKey("facilities.Facility", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="activities", verbose_name="所在阵地")
    sessions = models.PositiveSmallIntegerField("场次", default=1, validators=[MinValueValidator(1)])
    days = models.PositiveSmallIntegerField("历时天数", default=1, editable=False)
    headcount_only = models.BooleanField("仅有签到人数", default=False,
                                         help_text="只有纸质签到表、没有人员名单时勾选，填写签到人数")
    headcount = models.PositiveIntegerField("签到人数", default=0)
    certified_count = models.PositiveIntegerField("取得证书人数", default=0,
                                                  help_text="仅有签到人数的培训填写；有名单时在名单中标记")
    reemployed_count = models.PositiveIntegerField("培训后再就业人数", default=0)
    estimated = models.BooleanField("人数为估算", default=False)
    units = models.PositiveIntegerField("参与单位数", default=0)
    participating_employers = models.ManyToManyField(Employer, blank=True, related_name="activities",
                                                     verbose_name="参与单位")
    teams = models.PositiveIntegerField("参赛队伍数", default=0)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, default=Decimal("0"),
                                validators=[MinValueValidator(Decimal("0"))])
    trade = models.CharField("工种", max_length=40, blank=True)
    amount_spent = models.DecimalField("经费支出（元）", max_digits=14, decimal_places=2, default=Decimal("0"),
                                       validators=[MinValueValidator(Decimal("0"))])
    media_reports = models.PositiveIntegerField("媒体报道（篇）", default=0)
    reach = models.PositiveIntegerField("关注（观看）人次", default=0)
    measures = models.JSONField("专项数据", default=dict, blank=True)
    description = models.TextField("活动简介", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-start_on", "-pk"]
        indexes = [
            models.Index(fields=["org", "start_on"], name="activity_org_start"),
            models.Index(fields=["start_on"], name="activity_start"),
            models.Index(fields=["campaign", "start_on"], name="activity_campaign_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="activity_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.days = (self.end_on - self.start_on).days + 1  # kept for culture.sports.duration_days
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [labels.get(t, t) for t in self.topics or []]

    @property
    def measure_rows(self) -> list[tuple[str, object, str]]:
        """(label, value, unit) of the type-specific figures recorded."""
        declared = {m["key"]: m for m in self.type.effective_measures()}
        return [(str(declared.get(k, {}).get("label", k)), v, str(declared.get(k, {}).get("unit", "")))
                for k, v in (self.measures or {}).items()]

    @property
    def persons(self) -> int:
        """人: the headcount of a paper sign-in, else the persons on the roster (lecturers excluded)."""
        if self.headcount_only:
            return self.headcount
        annotated = getattr(self, "roster_persons", None)
        if annotated is not None:
            return int(annotated)
        return self.participants.filter(role=ParticipantRole.PARTICIPANT).count()

    @property
    def person_times(self) -> int:
        """人次: sessions attended by the roster, or the headcount of a paper sign-in."""
        if self.headcount_only:
            return self.headcount
        annotated = getattr(self, "roster_times", None)
        if annotated is not None:
            return int(annotated)
        total = self.participants.filter(role=ParticipantRole.PARTICIPANT).aggregate(n=models.Sum("attendances"))
        return int(total["n"] or 0)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_on and self.start_on.year < MIN_YEAR:
            errors["start_on"] = f"开始日期不能早于{MIN_YEAR}年"
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = "结束日期不能早于开始日期"
        if self.headcount_only:
            if not self.headcount:
                errors["headcount"] = "仅有签到人数的活动请填写签到人数"
            if self.certified_count > self.headcount:
                errors["certified_count"] = "取得证书人数不能大于签到人数"
            if self.reemployed_count > self.headcount:
                errors["reemployed_count"] = "再就业人数不能大于签到人数"
        else:
            if self.headcount:
                errors["headcount"] = ("有参加人员名单的活动不填签到人数（人数按名单统计）；"
                                       "只有签到表时请勾选“仅有签到人数”")
            if self.certified_count or self.reemployed_count:
                errors["certified_count"] = "有名单的培训请在参加人员中标记取得证书、再就业"
        if self.estimated and not self.headcount_only:
            errors["estimated"] = "只有按签到人数登记的活动才能标记为估算"
        unknown_topics = [t for t in self.topics or [] if t not in Topic.values]
        if unknown_topics:
            errors["topics"] = f"未知的主题标签：{'、'.join(map(str, unknown_topics))}"
        if self.type_id is not None:
            self._clean_measures(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_measures(self, errors: dict[str, str]) -> None:
        declared = {m["key"]: m for m in self.type.effective_measures()}
        for key, value in (self.measures or {}).items():
            measure = declared.get(key)
            if measure is None:
                errors["measures"] = f"“{self.type.name}”没有数据项“{key}”"
                return
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                errors["measures"] = f"“{measure['label']}”应为数字"
                return
            if number < 0 or (not measure.get("decimal") and number != number.to_integral_value()):
                errors["measures"] = f"“{measure['label']}”应为非负{'数' if measure.get('decimal') else '整数'}"
                return


class ActivityParticipant(Scoped, models.Model):
    """One person taking part in an activity (one row per person per activity)."""

    scope_fields: ClassVar[tuple[str, ...]] = ("activity__org", "activity__co_organisers")
    scope_domain = "activities"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants",
                                 verbose_name="活动")
    # HMAC of the ID number (core.crypto.blind_index, purpose "person.id_number"): the person's identity for 人 counts.
    person_key = models.CharField("人员标识", max_length=40, db_index=True, editable=False)
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("证件号码")
    # The natural person in the member registry, when the ID number is known there (members or former members).
    person = models.ForeignKey("members.Person", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="activity_participations", verbose_name="职工（会员库）")
    gender = models.CharField("性别", max_length=6, choices=Gender.choices, blank=True)
    is_migrant = models.BooleanField("农民工", default=False)
    employer_name = models.CharField("工作单位", max_length=120, blank=True)
    role = models.CharField("身份", max_length=16, choices=ParticipantRole.choices,
                            default=ParticipantRole.PARTICIPANT)
    attendances = models.PositiveSmallIntegerField("参加场次", default=1, validators=[MinValueValidator(1)])
    certified = models.BooleanField("取得证书", default=False)
    reemployed = models.BooleanField("培训后再就业", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "活动参加人员"
        verbose_name_plural = "活动参加人员"
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person_key"], name="participant_once_per_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.activity}）"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.activity_id]) + "#participants"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)


def attachment_path(instance: ActivityAttachment, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    today = dt.date.today()
    return f"activities/{today:%Y/%m}/{instance.activity_id}-{instance.token}.{suffix}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "活动照片"
    SIGN_IN = "sign_in", "签到表"
    DOCUMENT = "document", "通知、方案、总结"


class ActivityAttachment(Scoped, models.Model):
    """A photo, sign-in sheet or document of an activity, stored under MEDIA_ROOT and served after a scope check."""

    scope_fields: ClassVar[tuple[str, ...]] = ("activity__org", "activity__co_organisers")
    scope_domain = "activities"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name="活动")
    kind = models.CharField("类别", max_length=12, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    token = models.CharField(max_length=32, editable=False)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "活动附件"
        verbose_name_plural = "活动附件"
        ordering = ["activity", "kind", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("activities:attachment", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class EntryKind(models.TextChoices):
    TEAM = "team", "代表队"
    PERSON = "person", "个人"
    UNIT = "unit", "单位"


class EntryResult(models.TextChoices):
    NONE = "", "参赛"
    TEAM_PRIZE = "team_prize", "团体奖"
    INDIVIDUAL_PRIZE = "individual_prize", "个人奖"
    ADVANCED_UNIT = "advanced_unit", "先进单位"
    ADVANCED_PERSON = "advanced_person", "先进个人"


class ActivityEntry(Scoped, models.Model):
    """One team's, person's or unit's participation and result in a contest (参赛记录)."""

    scope_fields: ClassVar[tuple[str, ...]] = ("activity__org", "activity__co_organisers")
    scope_domain = "activities"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="entries", verbose_name="活动")
    kind = models.CharField("参赛类别", max_length=8, choices=EntryKind.choices)
    name = models.CharField("队伍、选手或单位名称", max_length=120)
    participant = models.ForeignKey(ActivityParticipant, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="entries", verbose_name="选手")
    employer = models.ForeignKey(Employer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="所在单位")
    result = models.CharField("结果", max_length=20, choices=EntryResult.choices, blank=True)
    rank_text = models.CharField("名次（奖次）", max_length=40, blank=True, help_text="按原文填写，如 第一名、三等奖")
    recommended_up = models.BooleanField("推荐参加上级竞赛", default=False)
    published = models.BooleanField("作品获刊登", default=False)

    class Meta:
        verbose_name = "参赛记录"
        verbose_name_plural = "参赛记录"
        ordering = ["activity", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.activity_id]) + "#entries"

    def clean(self) -> None:
        if self.participant_id and self.participant and self.participant.activity_id != self.activity_id:
            raise ValidationError({"participant": "选手必须是本活动的参加人员"})
        if self.result in (EntryResult.TEAM_PRIZE,) and self.kind != EntryKind.TEAM:
            raise ValidationError({"result": "团体奖只能授予代表队"})
        if self.result in (EntryResult.INDIVIDUAL_PRIZE, EntryResult.ADVANCED_PERSON) and self.kind != EntryKind.PERSON:
            raise ValidationError({"result": "个人奖项只能授予个人"})
        if self.result == EntryResult.ADVANCED_UNIT and self.kind != EntryKind.UNIT:
            raise ValidationError({"result": "先进单位只能授予单位"})


class PublicityItem(Scoped, models.Model):
    """A post, report, video or article published by a union, with the outlet's level."""

    scope_domain = "activities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="publicity_items", verbose_name="发布工会")
    type = models.CharField("类别", max_length=12, choices=PublicityType.choices)
    title = models.CharField("标题", max_length=200)
    published_on = models.DateField("发布日期")
    outlet = models.CharField("发布平台（媒体）", max_length=80)
    level = models.CharField("平台级别", max_length=12, choices=Level.choices, default=Level.OWN)
    adopted_by = models.CharField("被采用媒体", max_length=80, blank=True,
                                  help_text="被上级工会或主流媒体采用时填写")
    adopted_level = models.CharField("采用媒体级别", max_length=12, choices=Level.choices, blank=True)
    url = models.URLField("链接", max_length=300, blank=True)
    reach = models.PositiveIntegerField("阅读（观看）人次", default=0)
    topics = models.JSONField("主题标签", default=list, blank=True)
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="publicity_items", verbose_name="相关活动")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "宣传报道"
        verbose_name_plural = "宣传报道"
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["org", "published_on"], name="publicity_org_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:publicity_edit", args=[self.pk])

    def clean(self) -> None:
        if bool(self.adopted_by) != bool(self.adopted_level):
            raise ValidationError({"adopted_level": "填写被采用媒体时须同时选择其级别"})
        unknown = [t for t in self.topics or [] if t not in Topic.values]
        if unknown:
            raise ValidationError({"topics": f"未知的主题标签：{'、'.join(map(str, unknown))}"})


class MaterialDistribution(Scoped, models.Model):
    """Printed publicity materials handed out (宣传资料), with topic and copies."""

    scope_domain = "activities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="material_distributions",
                            verbose_name="发放工会")
    distributed_on = models.DateField("发放日期")
    topic = models.CharField("主题", max_length=12, choices=MaterialTopic.choices)
    title = models.CharField("资料名称", max_length=120)
    copies = models.PositiveIntegerField("份数", validators=[MinValueValidator(1)])
    campaign = models.CharField("活动品牌", max_length=24, choices=Campaign.choices, blank=True)
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="materials", verbose_name="相关活动")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "宣传资料发放"
        verbose_name_plural = "宣传资料发放"
        ordering = ["-distributed_on", "-pk"]
        indexes = [models.Index(fields=["org", "distributed_on"], name="material_org_date")]

    def __str__(self) -> str:
        return f"{self.title}（{self.copies}份）"

    def get_absolute_url(self) -> str:
        return reverse("activities:material_edit", args=[self.pk])


class ClubKind(models.TextChoices):
    CULTURE = "culture", "文艺"
    SPORTS = "sports", "体育"
    READING = "reading", "读书"
    OTHER = "other", "其他"


class Club(Scoped, models.Model):
    """A workers' cultural or sports association (职工文体协会) or one of its branches (分会)."""

    scope_domain = "activities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="clubs", verbose_name="所属工会")
    name = models.CharField("名称", max_length=80)
    kind = models.CharField("类别", max_length=12, choices=ClubKind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="branches",
                               verbose_name="上级协会", help_text="分会填写所属的协会")
    founded_on = models.DateField("成立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    member_count = models.PositiveIntegerField("会员人数", default=0)

    class Meta:
        verbose_name = "文体协会"
        verbose_name_plural = "文体协会"
        ordering = ["org", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:clubs") + f"#club-{self.pk}"

    def clean(self) -> None:
        if self.dissolved_on and self.founded_on and self.dissolved_on < self.founded_on:
            raise ValidationError({"dissolved_on": "撤销日期不能早于成立日期"})
        if self.parent_id is not None and self.parent is not None:
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": "分会之下不再设分会"})
            if self.org_id and not self.org.path.startswith(self.parent.org.path):
                raise ValidationError({"parent": "分会应设在上级协会所属工会或其下级工会"})


class Subscription(Scoped, models.Model):
    """Newspapers or journals a union gives to a union below it (赠阅刊物), for a year."""

    # The giving union and the receiving one both see it.
    scope_fields: ClassVar[tuple[str, ...]] = ("org", "recipient")
    scope_domain = "activities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="subscriptions_given", verbose_name="赠阅工会")
    recipient = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="subscriptions_received",
                                  verbose_name="受赠工会")
    periodical = models.CharField("报刊名称", max_length=60)
    year = models.PositiveSmallIntegerField("年度")
    copies = models.PositiveIntegerField("份数", default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "赠阅刊物"
        verbose_name_plural = "赠阅刊物"
        ordering = ["-year", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["org", "recipient", "periodical", "year"], name="subscription_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年《{self.periodical.strip('《》')}》→{self.recipient.name}"

    def get_absolute_url(self) -> str:
        return reverse("activities:subscriptions") + f"?year={self.year}#subscription-{self.pk}"

    def clean(self) -> None:
        if self.org_id and self.recipient_id and not self.recipient.path.startswith(self.org.path):
            raise ValidationError({"recipient": "只能向本工会或所属工会赠阅"})
        if self.year and not (MIN_YEAR <= self.year <= 2100):
            raise ValidationError({"year": "年度不正确"})


class RecommendationStage(models.TextChoices):
    RECOMMENDED = "recommended", "推荐为入党积极分子人选"
    ACTIVIST = "activist", "确定为入党积极分子"


class PartyRecommendation(Scoped, models.Model):
    """推优入党: a union recommending an outstanding member to the Party, at a stage (GLOSSARY)."""

    scope_domain = "activities"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="party_recommendations",
                            verbose_name="推荐工会")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="party_recommendations",
                               verbose_name="会员")
    recommended_on = models.DateField("日期")
    stage = models.CharField("阶段", max_length=12, choices=RecommendationStage.choices,
                             default=RecommendationStage.RECOMMENDED)
    remarks = models.CharField("推荐理由", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "推优入党"
        verbose_name_plural = "推优入党"
        ordering = ["-recommended_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["member", "stage"], name="party_recommendation_once")]
        indexes = [models.Index(fields=["org", "recommended_on"], name="party_rec_org_date")]

    def __str__(self) -> str:
        return f"{self.member.person.name}（{self.get_stage_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("activities:party_recommendation_edit", args=[self.pk])
