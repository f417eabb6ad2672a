"""Organisation-building figures: 建会率 (overall and above-scale), star ratings, committee by-elections."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gonghui.activities.metrics import Figure, Window, register
from gonghui.core.scope import Scope
from gonghui.organising import selectors
from gonghui.organising.models import StarRating
from gonghui.orgs.models import Officer, Org


def _coverage(above_scale: bool) -> Any:
    def compute(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
        cov = selectors.coverage(user, org, window.end, above_scale=above_scale, own_only=own_only)
        return Figure(cov.rate if cov.rate is not None else 0, cov.records,
                      parts={"numerator": cov.covered, "denominator": cov.employers})

    return compute


register("orgs.establishment_rate", "建会率", "%", "R", domain="orgs")(_coverage(False))
register("orgs.establishment_rate.above_scale", "规上企业建会率", "%", "R", domain="orgs")(_coverage(True))


def _ratings(user: Any, org: Org, own_only: bool, filters: dict[str, Any]) -> QuerySet[StarRating]:
    qs = Scope.of(user).filter(StarRating.objects.all(), "orgs.view")
    qs = qs.filter(org=org) if own_only else qs.filter(org__path__startswith=org.path)
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("stars"):
        qs = qs.filter(stars=int(filters["stars"]))
    return qs


@register("orgs.star_rated.new", "新创星级（示范）工会", "家", domain="orgs", filters=("level", "stars"))
def _star_new(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    rows = _ratings(user, org, own_only, filters).filter(awarded_on__gte=window.start, awarded_on__lte=window.end)
    return Figure(rows.values("org_id").distinct().count(), rows.select_related("org").order_by("awarded_on", "pk"))


@register("orgs.star_rated.total", "已获星级工会", "家", "S", domain="orgs", filters=("level", "stars"))
def _star_total(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    rows = _ratings(user, org, own_only, filters).filter(selectors.valid_on(window.end))
    return Figure(rows.values("org_id").distinct().count(), rows.select_related("org").order_by("awarded_on", "pk"))


@register("self.committee.members_added", "增补委员", "人", domain="orgs")
def _members_added(user: Any, org: Org, window: Window, own_only: bool, filters: dict[str, Any]) -> Figure:
    rows = Scope.of(user).filter(Officer.objects.filter(by_election=True), "orgs.view").filter(
        started_on__gte=window.start, started_on__lte=window.end)
    rows = rows.filter(org=org) if own_only else rows.filter(org__path__startswith=org.path)
    return Figure(rows.count(), rows.select_related("org").order_by("started_on", "pk"))
