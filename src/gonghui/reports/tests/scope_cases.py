from __future__ import annotations

from gonghui.core.scope import Scope
from gonghui.core.scopecase import ScopeCase
from gonghui.reports.summary import selectors, services
from gonghui.reports.summary.models import AnnualSummary, AnnualSummaryVersion, SummaryTemplate


def _summary(world, org):
    return services.start_summary(None, org, 2025)


def _summary_urls(obj):
    base = f"/reports/summaries/{obj.org.code}/{obj.year}/"
    return [base, base + "edit/", base + "docx/", base + "versions/"]


CASES = [
    ScopeCase(
        model=SummaryTemplate,
        make=lambda world, org: services.ensure_template(None, org),
        list=lambda user: selectors.visible_templates(user),
        change=lambda user, obj: services.update_template(user, obj, title="{工会}{年度}年度工作总结"),
        ui_urls=lambda obj: [f"/reports/summary-templates/{obj.pk}/"],
    ),
    ScopeCase(
        model=AnnualSummary,
        make=_summary,
        list=lambda user: selectors.visible_summaries(user),
        change=lambda user, obj: services.save_narrative(user, obj, {"problems": "范围测试"}),
        ui_urls=_summary_urls,
        ui_lists=lambda obj: [("/reports/summaries/", obj.org.name)],
    ),
    ScopeCase(
        model=AnnualSummaryVersion,
        make=lambda world, org: _summary(world, org).versions.get(),
        list=lambda user: Scope.of(user).filter(AnnualSummaryVersion.objects.all(), "reports.view"),
        ui_urls=lambda obj: [f"/reports/summaries/{obj.summary.org.code}/{obj.summary.year}/versions/"],
        note="versions are written by the summary services only; they are never edited",
    ),
]
