"""Targets handed down the tree (目标任务) and the yearly assessment built on them (目标管理考核).

A ``Target`` is a figure of the metric registry (``metric_key``) that a union asks
one of its direct sub-unions, or itself, to reach in a year. An upper union's own
target is split among its children (``parent`` links each share to the target it
was split from); the shares must add up to at least the target they split.

How far a target is met is never stored: it is the registry's figure for the
target union's subtree over the year (``selectors.completion``).

Naming: the organising app already has ``Assessment`` for 规范化建设考核 (a score
typed in by the assessor). The yearly 目标管理考核 of issue 6 is a scheme of weighted
items (``AssessmentScheme`` / ``AssessmentItem``), scored partly from completion and
partly by hand (``AssessmentScore``); the result per union — GLOSSARY ``Assessment``
(org, year, scheme, score, grade) — is computed, as ``selectors.TargetAssessment``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from gonghui.core.scope import Scoped
from gonghui.orgs.models import Org
from gonghui.reports import registry

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def targetable(key: str) -> registry.Metric | None:
    """The registry metric a target may be set on: a count or sum (flow or stock) from records.

    Ratios are left out: a rate cannot be split among children by adding shares up.
    """
    metric = registry.REGISTRY.metrics.get(key)
    if metric is None or metric.kind == registry.RATIO or key.startswith("targets."):
        return None
    return metric


def targetable_choices() -> list[tuple[str, str]]:
    return [(key, f"{m.label}（{m.unit}）· {key}") for key, m in sorted(registry.REGISTRY.metrics.items())
            if targetable(key) is not None]


def plain(value: Decimal | int | None) -> str:
    """300.00 → "300", 12.50 → "12.5" (targets and figures in the UI)."""
    if value is None:
        return "—"
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{int(d)}"
    return format(d.normalize(), "f")


class Target(Scoped, models.Model):
    """A figure an upper union asks a union (one of its children, or itself) to reach in a year."""

    scope_domain = "targets"
    scope_fields = ("org",)  # the union that carries it, and every union above, see it

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="targets", verbose_name="承担工会")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    metric_key = models.CharField("指标代码", max_length=80)
    value = models.DecimalField("目标值", max_digits=16, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0.01"))])
    set_by = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="targets_set", verbose_name="下达工会")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="shares",
                               verbose_name="分解自")
    set_on = models.DateField("下达日期")
    remarks = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"
        ordering = ["-year", "metric_key", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "metric_key"], name="target_once_per_org_year_key"),
        ]

    def __str__(self) -> str:
        return f"{self.org.name} {self.year}年{self.label} {plain(self.value)}{self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("targets:list") + f"?year={self.year}#target-{self.pk}"

    @property
    def metric(self) -> registry.Metric | None:
        return targetable(self.metric_key)

    @property
    def label(self) -> str:
        m = self.metric
        return m.label if m else self.metric_key

    @property
    def unit(self) -> str:
        """The unit of the metric the target is set on (人, 家 …)."""
        m = self.metric
        return m.unit if m else ""

    @property
    def value_text(self) -> str:
        return plain(self.value)

    def clean(self) -> None:
        if self.metric_key and targetable(self.metric_key) is None:
            raise ValidationError({"metric_key": f"“{self.metric_key}”不是可下达目标的指标：请选择由记录统计的"
                                                 "数量或金额指标（比率指标不能分解）"})
        org = self.org if self.org_id else None
        set_by = self.set_by if self.set_by_id else None
        if org is not None and set_by is not None:
            own = org.pk == set_by.pk
            child = org.depth == set_by.depth + 1 and org.path.startswith(set_by.path)
            if not (own or child):
                raise ValidationError({"org": f"{set_by.name}只能给本级或直属下级工会下达目标，"
                                              f"{org.name}不是其直属下级"})
        if self.parent_id is not None and self.parent is not None:
            p = self.parent
            if p.org_id != self.set_by_id or p.year != self.year or p.metric_key != self.metric_key:
                raise ValidationError("分解的目标须与被分解的目标同一年度、同一指标，并由被分解目标的承担工会下达")


class ItemKind(models.TextChoices):
    AUTO = "auto", "按目标完成率自动计分"
    MANUAL = "manual", "人工评分"


class AssessmentScheme(Scoped, models.Model):
    """A yearly assessment scheme (目标管理考核办法) by which a union scores its direct sub-unions."""

    scope_domain = "targets"
    scope_fields = ("org",)

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="assessment_schemes",
                            verbose_name="考核工会")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    name = models.CharField("考核方案", max_length=120)
    excellent_from = models.DecimalField("优秀分数线", max_digits=5, decimal_places=1, default=Decimal("90"))
    good_from = models.DecimalField("良好分数线", max_digits=5, decimal_places=1, default=Decimal("80"))
    pass_from = models.DecimalField("合格分数线", max_digits=5, decimal_places=1, default=Decimal("60"))

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year", "org__path", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "name"], name="scheme_name_once_a_year")]

    def __str__(self) -> str:
        return f"{self.org.name} {self.year}年 {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("targets:scheme", args=[self.pk])

    def clean(self) -> None:
        if None in (self.excellent_from, self.good_from, self.pass_from):
            return
        if not (self.excellent_from > self.good_from > self.pass_from >= 0):
            raise ValidationError("分数线须满足：优秀 > 良好 > 合格 ≥ 0")

    def grade(self, score: Decimal) -> str:
        """优秀 / 良好 / 合格 / 不合格 by the scheme's thresholds."""
        if score >= self.excellent_from:
            return "优秀"
        if score >= self.good_from:
            return "良好"
        if score >= self.pass_from:
            return "合格"
        return "不合格"


class AssessmentItem(Scoped, models.Model):
    """One weighted item of a scheme: scored from a target's completion, or by the reviewer."""

    scope_domain = "targets"
    scope_fields = ("scheme__org",)

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="items",
                               verbose_name="考核方案")
    name = models.CharField("考核项目", max_length=120)
    kind = models.CharField("计分方式", max_length=10, choices=ItemKind.choices, default=ItemKind.AUTO)
    metric_key = models.CharField("目标指标", max_length=80, blank=True)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=1,
                                 validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("100"))])
    # Completion counts up to cap × 100 %: 1.0 gives no credit for exceeding, 1.2 up to 20 % extra.
    cap = models.DecimalField("完成率封顶倍数", max_digits=4, decimal_places=2, default=Decimal("1.00"),
                              validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("3"))])
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        ordering = ["scheme", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.scheme.name}：{self.name}（{plain(self.weight)}分）"

    def get_absolute_url(self) -> str:
        return self.scheme.get_absolute_url() + f"#item-{self.pk}"

    def clean(self) -> None:
        if self.kind == ItemKind.AUTO:
            if not self.metric_key:
                raise ValidationError({"metric_key": "自动计分的项目须选择目标指标"})
            if targetable(self.metric_key) is None:
                raise ValidationError({"metric_key": f"“{self.metric_key}”不是可下达目标的指标"})
        elif self.metric_key:
            raise ValidationError({"metric_key": "人工评分的项目不关联目标指标，请清空"})


class AssessmentScore(Scoped, models.Model):
    """The reviewer's score of one union on a manual item, with the reason."""

    scope_domain = "targets"
    scope_fields = ("org", "item__scheme__org")  # the assessed union sees its score, the assessor too

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="scores",
                             verbose_name="考核项目")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="assessment_scores",
                            verbose_name="被考核工会")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0"))])
    reason = models.CharField("评分说明", max_length=300)
    scored_on = models.DateField("评分日期")

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        ordering = ["item", "org__path"]
        constraints = [models.UniqueConstraint(fields=["item", "org"], name="score_once_per_item_org")]

    def __str__(self) -> str:
        return f"{self.org.name}：{self.item.name} {plain(self.score)}分"

    def get_absolute_url(self) -> str:
        return self.item.scheme.get_absolute_url()

    def clean(self) -> None:
        if not self.item_id:
            return
        item = self.item
        if item.kind != ItemKind.MANUAL:
            raise ValidationError({"item": f"“{item.name}”按目标完成率自动计分，不能人工评分"})
        if self.score is not None and self.score > item.weight:
            raise ValidationError({"score": f"得分不能超过该项分值 {plain(item.weight)} 分"})
        if self.org_id and not (self.org.depth == item.scheme.org.depth + 1
                                and self.org.path.startswith(item.scheme.org.path)):
            raise ValidationError({"org": f"{self.org.name}不是{item.scheme.org.name}的直属下级工会，"
                                          "不在本方案考核范围"})
