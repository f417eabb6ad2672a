"""The annual work summary (年度工作总结, GLOSSARY ``Report(kind=annual_summary)``): templates and drafts.

A ``SummaryTemplate`` belongs to one union (copied from a shipped default the first
time the union drafts, then edited by its officers: order, titles, sentences). An
``AnnualSummary`` is the union's draft for one year: the officers' own paragraphs
per section, versioned (``AnnualSummaryVersion``); its figures are read from records
each time it is shown until it is finalised, when the template, the text and every
figure used are frozen in ``snapshot``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from gonghui.core.scope import Scoped


class TemplateBase(models.TextChoices):
    FEDERATION = "federation", "总工会"
    TOWN = "town", "乡镇（街道）总工会"
    ORGAN = "organ", "机关（基层）工会"


class SummaryTemplate(Scoped, models.Model):
    """The shape and fixed phrasing of a union's summary, with figure slots bound to metric keys."""

    scope_domain = "reports"

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="summary_templates",
                            verbose_name="工会")
    name = models.CharField("模板名称", max_length=80)
    base = models.CharField("来源模板", max_length=12, choices=TemplateBase.choices)
    title = models.CharField("标题", max_length=200)
    opening = models.TextField("开头段落", blank=True)
    main_heading = models.CharField("第一部分标题", max_length=80)
    problems_heading = models.CharField("存在问题部分标题", max_length=80)
    plans_heading = models.CharField("工作计划部分标题", max_length=80)
    # [{"code", "title", "lead", "sentences", "empty", "enabled"}] in print order
    sections = models.JSONField("栏目", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "工作总结模板"
        verbose_name_plural = "工作总结模板"
        ordering = ["org", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="summary_template_org_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.org.name}）"

    def get_absolute_url(self) -> str:
        return reverse("summary:template_edit", args=[self.pk])


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    FINAL = "final", "已定稿"


class AnnualSummary(Scoped, models.Model):
    """One union's annual work summary for one year."""

    scope_domain = "reports"

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="annual_summaries",
                            verbose_name="工会")
    year = models.PositiveSmallIntegerField("年度")
    template = models.ForeignKey(SummaryTemplate, on_delete=models.PROTECT, related_name="summaries",
                                 verbose_name="模板")
    status = models.CharField("状态", max_length=8, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    # {"opening": …, "<section code>": …, "problems": …, "plans": …}: the officers' own text
    narrative = models.JSONField("撰写内容", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    # Set when finalised: {"template": …, "narrative": …, "figures": […], "dated": "YYYY-MM-DD"}
    snapshot = models.JSONField("定稿快照", null=True, blank=True)
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="定稿人")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度工作总结"
        verbose_name_plural = "年度工作总结"
        ordering = ["-year", "org"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="annual_summary_org_year")]

    def __str__(self) -> str:
        return f"{self.org.name}{self.year}年度工作总结"

    def get_absolute_url(self) -> str:
        return reverse("summary:detail", args=[self.org.code, self.year])

    @property
    def is_final(self) -> bool:
        return self.status == SummaryStatus.FINAL


class AnnualSummaryVersion(Scoped, models.Model):
    """A saved state of a summary's text (every save, the finalisation and a reopening)."""

    scope_fields: ClassVar[tuple[str, ...]] = ("summary__org",)
    scope_domain = "reports"

    summary = models.ForeignKey(AnnualSummary, on_delete=models.CASCADE, related_name="versions",
                                verbose_name="工作总结")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=8, choices=SummaryStatus.choices)
    narrative = models.JSONField("撰写内容", default=dict, blank=True)
    template_name = models.CharField("模板", max_length=80)
    remark = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="保存人")
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作总结版本"
        verbose_name_plural = "工作总结版本"
        ordering = ["summary", "-number"]
        constraints = [models.UniqueConstraint(fields=["summary", "number"], name="summary_version_number")]

    def __str__(self) -> str:
        return f"{self.summary} 第{self.number}版"

    def get_absolute_url(self) -> str:
        return reverse("summary:versions", args=[self.summary.org.code, self.summary.year])
