"""The HTTP API under /api/v1/: one router per domain, shared auth and error format."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from gonghui.activities.api import (
    activities_router,
    clubs_router,
    materials_router,
    publicity_router,
    subscriptions_router,
    types_router,
)
from gonghui.core.api import AUTH, install_error_handlers
from gonghui.core.api import router as core_router
from gonghui.facilities.api import facilities_router
from gonghui.members.api import router as members_router
from gonghui.organising.api import assessments_router, campaigns_router, coverage_router, ratings_router
from gonghui.orgs.api import employers_router, orgs_router
from gonghui.reports.annual_return.api import router as annual_returns_router
from gonghui.reports.api import router as stats_router
from gonghui.targets.api import router as targets_router


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese text as is, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="工会通 API",
    version="1",
    description=(
        "工会通数据接口。认证：`Authorization: Bearer <令牌>`（由 `gonghui token 用户名` 签发）或网页登录会话。"
        "超出数据权限范围的对象一律返回 404。列表分页参数 `page`（从1开始）、`page_size`（最多500），"
        "`org=工会代码` 表示该工会及其所属工会。错误均为 `{\"detail\": ..., \"code\": ...}`。"
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/orgs", orgs_router)
api.add_router("/employers", employers_router)
api.add_router("/members", members_router)
api.add_router("/", stats_router)
api.add_router("/activities", activities_router)
api.add_router("/activity_types", types_router)
api.add_router("/publicity_items", publicity_router)
api.add_router("/material_distributions", materials_router)
api.add_router("/clubs", clubs_router)
api.add_router("/subscriptions", subscriptions_router)
api.add_router("/facilities", facilities_router)
api.add_router("/organising_campaigns", campaigns_router)
api.add_router("/star_ratings", ratings_router)
api.add_router("/assessments", assessments_router)
api.add_router("/coverage", coverage_router)
api.add_router("/targets", targets_router)
api.add_router("/annual-returns", annual_returns_router)
