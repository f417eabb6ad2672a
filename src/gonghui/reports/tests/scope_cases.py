from __future__ import annotations

from gonghui.core.scope import Scope
from gonghui.core.scopecase import ScopeCase
from gonghui.reports.annual_return import selectors as return_selectors
from gonghui.reports.annual_return.models import AnnualReturn, CheckResult, ReturnValue
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


def _return(world, org):
    from gonghui.reports.annual_return import services as return_services

    return return_services.start_return(None, org, 2025)


def _return_urls(obj):
    base = f"/reports/annual-returns/{obj.org.code}/{obj.year}/"
    return [base, base + "?t=5", base + "xlsx/"]


def _cell_urls(obj):
    return _return_urls(obj.annual_return)[:1]


def _change_return(user, obj):
    from gonghui.reports.annual_return import services as return_services

    return return_services.set_values(user, obj, [{"row": "1-17", "value": "0"}])


def _change_cell(user, obj):
    from gonghui.reports.annual_return import services as return_services

    return return_services.set_values(user, obj.annual_return, [{"row": obj.row, "column": obj.column, "value": "1"}])


def _change_check(user, obj):
    from gonghui.reports.annual_return import services as return_services

    return return_services.explain(user, obj.annual_return, {obj.key: ""})


CASES += [
    ScopeCase(
        model=AnnualReturn,
        make=_return,
        list=lambda user: return_selectors.visible_returns(user),
        change=_change_return,
        ui_urls=_return_urls,
        api_urls=lambda obj: [f"/api/v1/annual-returns/{obj.org.code}/{obj.year}",
                              f"/api/v1/annual-returns/{obj.org.code}/{obj.year}/children"],
        api_lists=lambda obj: [("/api/v1/annual-returns", obj.org.code)],
    ),
    ScopeCase(
        model=ReturnValue,
        make=lambda world, org: _return(world, org).values.get(row="1-17", column="c01"),
        list=lambda user: Scope.of(user).filter(ReturnValue.objects.all(), "reports.view"),
        change=_change_cell,
        ui_urls=_cell_urls,
        api_urls=lambda obj: [f"/api/v1/annual-returns/{obj.annual_return.org.code}/{obj.annual_return.year}"],
    ),
    ScopeCase(
        model=CheckResult,
        make=lambda world, org: _return(world, org).check_results.filter(check_id="G-5").first(),
        list=lambda user: Scope.of(user).filter(CheckResult.objects.all(), "reports.view"),
        change=_change_check,
        ui_urls=_cell_urls,
        api_urls=lambda obj: [f"/api/v1/annual-returns/{obj.annual_return.org.code}/{obj.annual_return.year}"],
        note="results are rewritten by every check run; officers only add explanations",
    ),
]
