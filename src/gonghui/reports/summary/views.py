"""Pages of the annual work summary. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import audit
from gonghui.core.forms import save_form
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.models import AuditLog
from gonghui.core.scope import Scope
from gonghui.reports.summary import build, preview, selectors, services
from gonghui.reports.summary.docx import render_docx
from gonghui.reports.summary.forms import NarrativeForm, StartForm, TemplateForm
from gonghui.reports.summary.models import AnnualSummary
from gonghui.reports.summary.specs import default_base_for

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def summaries(request: AuthedRequest) -> HttpResponse:
    """The summaries of the current union and its subtree, and the form to start this union's."""
    org = current_org(request)
    scope = Scope.of(request.user)
    can_edit = scope.allows_org(org, "reports.edit")
    last_year = dt.date.today().year - 1
    form = StartForm(request.POST or None, initial={"year": last_year, "base": default_base_for(org)})
    if can_edit:
        def start(data: dict[str, Any]) -> AnnualSummary:
            template = services.ensure_template(request.user, org, data["base"])
            return services.start_summary(request.user, org, data["year"], template=template)

        done = save_form(request, form, start,
                         success=lambda s: f"已新建“{s}”草稿，数字已按记录生成，请补充各栏目的内容。",
                         redirect_to=lambda s: s.get_absolute_url())
        if done is not None:
            return done
    return render(request, "reports/summary/list.html", {
        "org": org, "rows": selectors.summaries_within(request.user, org)[:200], "form": form,
        "can_edit": can_edit, "templates": selectors.templates_of(request.user, org),
    })


def detail(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """The HTML preview: the draft as it reads now, each figure linked to the records behind it."""
    summary = selectors.get_summary(request.user, code, year)
    draft, _source = build.draft_for(request.user, summary)
    scope = Scope.of(request.user)
    return render(request, "reports/summary/detail.html", {
        "summary": summary, "draft": draft, "blocks": preview.blocks(draft), "org": summary.org,
        "sources": [(f, preview.figure_url(f, summary.org.code)) for f in draft.sources],
        "can_edit": scope.allows_org(summary.org, "reports.edit"),
        "can_approve": scope.allows_org(summary.org, "reports.approve"),
    })


def edit(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """The officers' own paragraphs per section, problems and plans."""
    summary = selectors.get_summary(request.user, code, year, "reports.edit")
    if summary.is_final:
        messages.warning(request, "已定稿的工作总结不能修改，请先重新打开。")
        return redirect(summary.get_absolute_url())
    templates = list(selectors.templates_of(request.user, summary.org))
    data = request.POST or None
    chosen = summary.template
    if data is not None:
        chosen = next((t for t in templates if str(t.pk) == data.get("template")), summary.template)
    initial = {"opening": summary.narrative.get("opening", ""), "problems": summary.narrative.get("problems", ""),
               "plans": summary.narrative.get("plans", "")}
    initial.update({f"s_{k}": v for k, v in summary.narrative.items()})
    form = NarrativeForm(data, initial=initial, sections=list(chosen.sections), templates=templates,
                         current=summary.template)
    done = save_form(request, form, lambda data: services.save_narrative(
        request.user, summary, form.narrative(), template=chosen, note=data.get("note", "")),
        success="已保存，生成了新的版本。", redirect_to=summary.get_absolute_url())
    if done is not None:
        return done
    return render(request, "reports/summary/edit.html", {"summary": summary, "form": form, "org": summary.org})


def download(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """The .docx of the summary as it reads now (frozen once finalised)."""
    summary = selectors.get_summary(request.user, code, year)
    draft, _source = build.draft_for(request.user, summary)
    content = render_docx(draft)
    with transaction.atomic():
        audit.record(request.user, AuditLog.Action.EXPORT, summary, note=f"下载 Word 文档（第{summary.version}版）")
    response = HttpResponse(content, content_type=DOCX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(draft.title + '.docx')}"
    return response


@require_POST
def finalise(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    summary = selectors.get_summary(request.user, code, year, "reports.approve")
    try:
        services.finalise(request.user, summary)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, "已定稿：全部统计数字已冻结，此后不再随记录变化。")
    return redirect(summary.get_absolute_url())


@require_POST
def reopen(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    summary = selectors.get_summary(request.user, code, year, "reports.approve")
    try:
        services.reopen(request.user, summary, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, "已重新打开，统计数字重新按记录生成。")
    return redirect(summary.get_absolute_url())


def versions(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    summary = selectors.get_summary(request.user, code, year)
    return render(request, "reports/summary/versions.html", {
        "summary": summary, "org": summary.org, "versions": selectors.versions(request.user, summary)})


def template_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Officers edit their union's template: order, titles, fixed phrasing and figure sentences."""
    template = selectors.get_template(request.user, pk, "reports.edit")
    initial = {f: getattr(template, f) for f in ("name", "title", "opening", "main_heading", "problems_heading",
                                                 "plans_heading")}
    form = TemplateForm(request.POST or None, initial=initial, sections=list(template.sections))
    back = request.GET.get("next", "")
    done = save_form(request, form, lambda data: services.update_template(
        request.user, template, sections=form.sections(), **{f: data[f] for f in initial}),
        success=f"已保存模板“{template.name}”。",
        redirect_to=back if back.startswith("/reports/summaries/") else template.get_absolute_url())
    if done is not None:
        return done
    used = AnnualSummary.objects.filter(template=template).select_related("org").order_by("-year")[:5]
    return render(request, "reports/summary/template.html", {
        "template": template, "form": form, "org": template.org, "used_by": used})
