"""/api/v1/stats: what ``gonghui stats --json`` prints, within the caller's scope."""
# No "from __future__ import annotations": django-ninja reads the real annotations.

from typing import Any

from ninja import Field, Query, Router, Schema

from gonghui.core.http import AuthedRequest
from gonghui.orgs.selectors import get_org
from gonghui.reports import registry
from gonghui.reports.windows import Window

router = Router(tags=["统计指标"])


class StatsQuery(Schema):
    org: str = Field(..., description="工会代码：统计该工会及所属工会")
    year: int = Field(..., ge=1949, le=2100, description="报告年度")
    stats_year: bool = Field(False, description="true 时用统计年度（上年10月1日至本年9月30日）")
    keys: str | None = Field(None, description="只计算这些指标，逗号分隔")


@router.get("/stats", response=dict[str, float | int | None], summary="统计指标（与 gonghui stats --json 相同）")
def stats(request: AuthedRequest, query: Query[StatsQuery]) -> Any:
    org = get_org(request.user, query.org)
    window = Window.stats_year(query.year) if query.stats_year else Window.year(query.year)
    keys = [k.strip() for k in query.keys.split(",")] if query.keys else registry.implemented_keys()
    visible = [k for k in keys if registry.REGISTRY.metrics.get(k) is not None]
    from gonghui.core.scope import Scope

    scope = Scope.of(request.user)
    visible = [k for k in visible if scope.allows_org(org, f"{registry.REGISTRY.metrics[k].domain}.view")]
    return {k: f.number for k, f in registry.evaluate_many(request.user, visible, org, window).items()}
