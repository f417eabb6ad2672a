"""Every write on summaries and their templates: scope check, validation, change and audit in one transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.core import writes
from gonghui.core.scope import OPERATOR, Scope
from gonghui.reports.summary import build, specs
from gonghui.reports.summary.models import AnnualSummary, AnnualSummaryVersion, SummaryStatus, SummaryTemplate

TEMPLATE_EDITABLE = {"name", "title", "opening", "main_heading", "problems_heading", "plans_heading", "sections"}
PLACEHOLDER = re.compile(r"(?<![A-Za-z])[XＸ](?![A-Za-z])")


def _require_org(actor: Any, org: Any, cap: str) -> None:
    if actor is not None:
        Scope.of(actor).require_org(org, cap)


def _require(actor: Any, obj: Any, cap: str) -> None:
    if actor is not None:
        Scope.of(actor).require(obj, cap)


@transaction.atomic
def ensure_template(actor: Any, org: Any, base: str | None = None) -> SummaryTemplate:
    """The union's template (of ``base``), copied from the shipped default the first time."""
    _require_org(actor, org, "reports.edit")
    base = base or specs.default_base_for(org)
    existing = SummaryTemplate.objects.filter(org=org, base=base).order_by("pk").first()
    if existing is not None:
        return existing
    data = specs.default_template(base)
    specs.validate(data)
    return writes.create(actor, SummaryTemplate, org=org, note="由系统默认模板复制", **data)


@transaction.atomic
def update_template(actor: Any, template: SummaryTemplate, **changes: Any) -> SummaryTemplate:
    """Edit a union's template (titles, order, sentences); checked before it is saved."""
    _require(actor, template, "reports.edit")
    specs.validate({**specs.data_of(template), **changes})
    if "name" in changes and SummaryTemplate.objects.filter(org=template.org, name=changes["name"]).exclude(
            pk=template.pk).exists():
        raise ValidationError({"name": "本工会已有同名模板"})
    return writes.update(actor, template, changes, allowed=TEMPLATE_EDITABLE)


def _version(actor: Any, summary: AnnualSummary, note: str) -> AnnualSummaryVersion:
    user = actor if getattr(actor, "pk", None) else None
    return writes.create(actor, AnnualSummaryVersion, summary=summary, number=summary.version,
                         status=summary.status, narrative=summary.narrative, template_name=summary.template.name,
                         remark=note, created_by=user, note=note)


@transaction.atomic
def start_summary(actor: Any, org: Any, year: int, *, template: SummaryTemplate | None = None) -> AnnualSummary:
    """Open the draft of a union's summary for a year (one per union and year)."""
    _require_org(actor, org, "reports.edit")
    if not 1949 <= year <= dt.date.today().year:
        raise ValidationError({"year": "年度不正确"})
    if AnnualSummary.objects.filter(org=org, year=year).exists():
        raise ValidationError({"year": f"{org.name}{year}年度工作总结已经存在"})
    template = template or ensure_template(actor, org)
    if template.org_id != org.pk:
        raise ValidationError({"template": "只能使用本工会的模板"})
    summary = writes.create(actor, AnnualSummary, org=org, year=year, template=template, narrative={}, version=1)
    _version(actor, summary, "新建草稿")
    return summary


def clean_narrative(summary: AnnualSummary, narrative: Mapping[str, str], template: SummaryTemplate) -> dict[str, str]:
    allowed = {"opening", "problems", "plans"} | {s["code"] for s in template.sections}
    unknown = set(narrative) - allowed
    if unknown:
        raise ValidationError(f"未知的栏目：{'、'.join(sorted(unknown))}")
    out: dict[str, str] = {}
    for key, text in narrative.items():
        text = "\n".join(line.rstrip() for line in str(text or "").strip().splitlines())
        if not text:
            continue
        if "{" in text or "}" in text:
            raise ValidationError({key: "撰写内容中不能含有花括号（数字由系统根据记录生成）"})
        if PLACEHOLDER.search(text):
            raise ValidationError({key: "请把占位符“X”换成实际内容（统计数字由系统根据记录生成）"})
        out[key] = text
    return out


@transaction.atomic
def save_narrative(actor: Any, summary: AnnualSummary, narrative: Mapping[str, str], *,
                   template: SummaryTemplate | None = None, note: str = "") -> AnnualSummary:
    """Save the officers' own paragraphs (a new version); a finalised summary must be reopened first."""
    _require(actor, summary, "reports.edit")
    summary = AnnualSummary.objects.select_for_update().select_related("org", "template").get(pk=summary.pk)
    if summary.is_final:
        raise ValidationError("已定稿的工作总结不能修改，请先重新打开")
    template = template or summary.template
    if template.org_id != summary.org_id:
        raise ValidationError({"template": "只能使用本工会的模板"})
    changes: dict[str, Any] = {"narrative": clean_narrative(summary, narrative, template),
                               "version": summary.version + 1}
    if template.pk != summary.template_id:
        changes["template"] = template
    summary = writes.update(actor, summary, changes, allowed={"narrative", "version", "template"}, note=note)
    _version(actor, summary, note or "保存")
    return summary


@transaction.atomic
def finalise(actor: Any, summary: AnnualSummary, *, today: dt.date | None = None) -> AnnualSummary:
    """定稿: freeze the template, the text and every figure used; figures no longer follow the records."""
    _require(actor, summary, "reports.approve")
    summary = AnnualSummary.objects.select_for_update().select_related("org", "template").get(pk=summary.pk)
    if summary.is_final:
        raise ValidationError("该工作总结已经定稿")
    # A system action (actor None: the demo, a command) freezes what the operator sees.
    draft, source = build.draft_for(actor if actor is not None else OPERATOR, summary, today=today)
    if draft.missing:
        raise ValidationError(f"定稿前请填写：{'、'.join(draft.missing)}（这两部分由工会撰写，系统不生成）")
    if draft.warnings:
        raise ValidationError(f"定稿前请处理：{'；'.join(draft.warnings)}")
    dated = today or dt.date.today()
    snapshot = {"template": specs.data_of(summary.template), "narrative": summary.narrative,
                "figures": source.snapshot(), "dated": dated.isoformat()}
    user = actor if getattr(actor, "pk", None) else None
    summary = writes.update(actor, summary, {
        "status": SummaryStatus.FINAL, "snapshot": snapshot, "finalised_at": timezone.now(), "finalised_by": user,
        "version": summary.version + 1,
    }, allowed={"status", "snapshot", "finalised_at", "finalised_by", "version"}, note="定稿")
    _version(actor, summary, "定稿")
    return summary


@transaction.atomic
def reopen(actor: Any, summary: AnnualSummary, *, reason: str) -> AnnualSummary:
    """Reopen a finalised summary for changes: its figures follow the records again."""
    _require(actor, summary, "reports.approve")
    summary = AnnualSummary.objects.select_for_update().select_related("org", "template").get(pk=summary.pk)
    if not summary.is_final:
        raise ValidationError("该工作总结尚未定稿")
    if not reason.strip():
        raise ValidationError({"reason": "请填写重新打开的原因"})
    summary = writes.update(actor, summary, {
        "status": SummaryStatus.DRAFT, "snapshot": None, "finalised_at": None, "finalised_by": None,
        "version": summary.version + 1,
    }, allowed={"status", "snapshot", "finalised_at", "finalised_by", "version"}, note=f"重新打开：{reason.strip()}")
    _version(actor, summary, f"重新打开：{reason.strip()}")
    return summary
