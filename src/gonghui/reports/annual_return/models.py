"""The statistical annual return (统计年报, GLOSSARY ``Report(kind=annual_return)``).

One ``AnnualReturn`` per union and statistical year (1 Oct – 30 Sep). A grassroots
union's return holds its own figures; a higher union's return is the sum of its
children's accepted returns plus its own figures (records of the union itself).
Each cell is a ``ReturnValue`` with its origin (computed from records, manual, or a
computed value overridden with a reason, both kept); ``CheckResult`` holds the
outcome of the cross-checks with the officers' explanations of warnings.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from gonghui.core.scope import Scoped


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    CHECKED = "checked", "已校验"
    SUBMITTED = "submitted", "已上报"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已审核"
    AGGREGATED = "aggregated", "已汇总"


EDITABLE = (ReturnStatus.DRAFT, ReturnStatus.CHECKED, ReturnStatus.RETURNED)
ACCEPTED = (ReturnStatus.ACCEPTED, ReturnStatus.AGGREGATED)


class AnnualReturn(Scoped, models.Model):
    """One union's statistical annual return for one statistical year."""

    scope_domain = "reports"

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="annual_returns",
                            verbose_name="工会")
    year = models.PositiveSmallIntegerField("统计年度")
    form_code = models.CharField("报表定义", max_length=40, default="annual_return_v1")
    is_aggregate = models.BooleanField("汇总表", default=False,
                                       help_text="基层以上工会：下级已审核年报之和加本级数")
    status = models.CharField("状态", max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    principal = models.CharField("单位负责人", max_length=40, blank=True)
    preparer = models.CharField("填表人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    # {child org code: reason} — children the parent sums without, marked 未报
    missing_children = models.JSONField("未报下级", default=dict, blank=True)
    refreshed_at = models.DateTimeField("最近刷新", null=True, blank=True)
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="上报人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="审核人")
    # Frozen on acceptance: {"values": {row: {col: str}}, "checks": […], "accepted_at": …}
    snapshot = models.JSONField("审核快照", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "统计年报"
        verbose_name_plural = "统计年报"
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="annual_return_org_year")]
        indexes = [models.Index(fields=["year", "status"], name="annual_return_year_status")]

    def __str__(self) -> str:
        return f"{self.org.name}{self.year}年度统计年报"

    def get_absolute_url(self) -> str:
        return reverse("annual_return:detail", args=[self.org.code, self.year])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_accepted(self) -> bool:
        return self.status in ACCEPTED


class Origin(models.TextChoices):
    COMPUTED = "computed", "记录生成"
    MANUAL = "manual", "手工填写"
    OVERRIDE = "override", "修改计算值"
    DERIVED = "derived", "自动计算"  # totals of typed columns, ratios


class ReturnValue(Scoped, models.Model):
    """One cell (row × column) of a return: own part, children's sum and the figure reported."""

    scope_fields: ClassVar[tuple[str, ...]] = ("annual_return__org",)
    scope_domain = "reports"

    annual_return = models.ForeignKey(AnnualReturn, on_delete=models.CASCADE, related_name="values",
                                      verbose_name="统计年报")
    row = models.CharField("行代码", max_length=8)
    column = models.CharField("栏代码", max_length=4)
    origin = models.CharField("来源", max_length=10, choices=Origin.choices)
    computed = models.DecimalField("系统计算值", max_digits=18, decimal_places=2, null=True, blank=True)
    own = models.DecimalField("本级数", max_digits=18, decimal_places=2, null=True, blank=True)
    children = models.DecimalField("下级汇总数", max_digits=18, decimal_places=2, null=True, blank=True)
    value = models.DecimalField("填报数", max_digits=18, decimal_places=2, null=True, blank=True)
    reason = models.CharField("修改原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "年报数据"
        verbose_name_plural = "年报数据"
        ordering = ["annual_return", "row", "column"]
        constraints = [models.UniqueConstraint(fields=["annual_return", "row", "column"], name="return_value_cell")]

    def __str__(self) -> str:
        return f"{self.annual_return} {self.row}/{self.column}"

    def get_absolute_url(self) -> str:
        return self.annual_return.get_absolute_url()


class Severity(models.TextChoices):
    ERROR = "E", "错误"
    WARNING = "W", "提示"


class CheckResult(Scoped, models.Model):
    """A failed cross-check of a return, with the officers' explanation (说明) of a warning."""

    scope_fields: ClassVar[tuple[str, ...]] = ("annual_return__org",)
    scope_domain = "reports"

    annual_return = models.ForeignKey(AnnualReturn, on_delete=models.CASCADE, related_name="check_results",
                                      verbose_name="统计年报")
    check_id = models.CharField("校验编号", max_length=12)
    severity = models.CharField("级别", max_length=1, choices=Severity.choices)
    row = models.CharField("行代码", max_length=8, blank=True)
    column = models.CharField("栏代码", max_length=4, blank=True)
    subject = models.CharField("涉及", max_length=40, blank=True, help_text="下级工会代码等")
    message = models.CharField("提示", max_length=400)
    explanation = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "年报校验结果"
        verbose_name_plural = "年报校验结果"
        ordering = ["annual_return", "severity", "check_id", "row", "column"]

    def __str__(self) -> str:
        return f"{self.check_id} {self.message}"

    def get_absolute_url(self) -> str:
        return self.annual_return.get_absolute_url()

    @property
    def key(self) -> str:
        return f"{self.check_id}|{self.row}|{self.column}|{self.subject}"
