"""Organisation-building figures in the metric registry: 规上企业建会率 and star-rated unions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Cast, NullIf

from gonghui.organising.models import StarRating
from gonghui.organising.selectors import area_employers_q, open_on, valid_on
from gonghui.orgs.models import Employer
from gonghui.orgs.selectors import union_exists
from gonghui.reports.registry import FLOW, STOCK, Column, Metric, MetricContext, register

EMPLOYER_COLUMNS = (
    Column("单位名称", "name"),
    Column("统一社会信用代码", "uscc", text=True),
    Column("单位性质", "get_ownership_display"),
    Column("职工人数", "headcount"),
    Column("已建会", lambda e: "是" if e.has_union else "否"),
)
RATING_COLUMNS = (
    Column("工会", "org.name"),
    Column("工会代码", "org.code", text=True),
    Column("星级", "get_stars_display"),
    Column("评定级别", "get_level_display"),
    Column("评定日期", "awarded_on"),
    Column("有效期至", "valid_until"),
    Column("评定单位", "awarded_by"),
)


def above_scale_employers(ctx: MetricContext) -> QuerySet[Employer]:
    """Above-scale employers of the area on the window's last day, each flagged ``has_union``."""
    return (Employer.objects.filter(area_employers_q(ctx.org, own_only=ctx.own_only), open_on(ctx.on),
                                    above_scale=True)
            .annotate(has_union=union_exists(ctx.on)).order_by("name"))


def covered_share() -> Any:
    """Employers with a union ÷ all employers × 100, in one aggregate (the registry quantizes to 0.1)."""
    number = DecimalField(max_digits=12, decimal_places=3)  # not integer division on PostgreSQL
    covered = Cast(Count("pk", distinct=True, filter=Q(has_union=True)), number)
    employers = Cast(Count("pk", distinct=True), number)
    return ExpressionWrapper(covered * Decimal(100) / NullIf(employers, 0), output_field=number)


register(Metric(
    key="orgs.establishment_rate.above_scale", label="规上企业建会率", unit="%", kind=STOCK, domain="orgs",
    records=above_scale_employers, limits_itself=True, value=covered_share, decimals=1, columns=EMPLOYER_COLUMNS,
    note="期末区域内（本级及所属工会登记或涵盖的）规模以上企业中，被在册工会涵盖的比例；下钻列出全部规上企业",
))


def _ratings(ctx: MetricContext) -> QuerySet[StarRating]:
    return StarRating.objects.select_related("org")


RATING_FILTERS: dict[str, Any] = {
    "level": lambda qs, value: qs.filter(level=value),
    "stars": lambda qs, value: qs.filter(stars=int(value)) if str(value).isdigit() else qs.none(),
}
register(Metric(
    key="orgs.star_rated.new", label="新创星级（示范）工会", unit="家", kind=FLOW, domain="orgs",
    records=lambda ctx: _ratings(ctx).filter(awarded_on__range=ctx.window.range),
    value=lambda: Count("org", distinct=True), columns=RATING_COLUMNS, filters=RATING_FILTERS,
    note="统计期内获评星级的工会数，可按 level（评定级别）、stars（星级）筛选",
))
register(Metric(
    key="orgs.star_rated.total", label="已获星级工会", unit="家", kind=STOCK, domain="orgs",
    records=lambda ctx: _ratings(ctx).filter(valid_on(ctx.on)),
    value=lambda: Count("org", distinct=True), columns=RATING_COLUMNS, filters=RATING_FILTERS,
    note="期末星级在有效期内且未撤销的工会数",
))
