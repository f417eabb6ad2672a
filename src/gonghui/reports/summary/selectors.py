"""Reads of summaries and templates, always for an acting user (out of scope: NotFound)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gonghui.core.scope import NotFound, Scope
from gonghui.reports.summary.models import AnnualSummary, AnnualSummaryVersion, SummaryTemplate


def visible_summaries(user: Any, cap: str = "reports.view") -> QuerySet[AnnualSummary]:
    return Scope.of(user).filter(AnnualSummary.objects.select_related("org", "template"), cap)


def summaries_within(user: Any, org: Any) -> QuerySet[AnnualSummary]:
    """Summaries of the union and its subtree that the user may see, newest year first."""
    return visible_summaries(user).filter(org__path__startswith=org.path).order_by("-year", "org__path")


def get_summary(user: Any, code: str, year: int, cap: str = "reports.view") -> AnnualSummary:
    """One union's summary for a year, or NotFound."""
    return Scope.of(user).get(AnnualSummary.objects.select_related("org", "template"), cap, org__code=code,
                              year=year)


def versions(user: Any, summary: AnnualSummary) -> QuerySet[AnnualSummaryVersion]:
    return Scope.of(user).filter(AnnualSummaryVersion.objects.filter(summary=summary), "reports.view").select_related(
        "created_by").order_by("-number")


def visible_templates(user: Any, cap: str = "reports.view") -> QuerySet[SummaryTemplate]:
    return Scope.of(user).filter(SummaryTemplate.objects.select_related("org"), cap)


def templates_of(user: Any, org: Any) -> QuerySet[SummaryTemplate]:
    return visible_templates(user).filter(org=org).order_by("name")


def get_template(user: Any, pk: int, cap: str = "reports.view") -> SummaryTemplate:
    try:
        return Scope.of(user).get(SummaryTemplate.objects.select_related("org"), cap, pk=int(pk))
    except (TypeError, ValueError):
        raise NotFound() from None
