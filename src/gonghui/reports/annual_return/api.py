"""/api/v1/annual-returns: the statistical annual return (统计年报), its cells, checks and workflow."""
# No "from __future__ import annotations": django-ninja reads the real annotations.

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from gonghui.core.api import paginated
from gonghui.core.http import AuthedRequest
from gonghui.core.scope import NotFound, Scope
from gonghui.orgs import selectors as org_selectors
from gonghui.reports.annual_return import selectors, services
from gonghui.reports.annual_return.models import AnnualReturn

router = Router(tags=["统计年报"])


class ReturnOut(Schema):
    id: int
    org: str = Field(..., description="工会代码")
    org_name: str
    year: int = Field(..., description="统计年度（上年10月1日至本年9月30日）")
    form: str = Field(..., description="报表定义")
    is_aggregate: bool = Field(..., description="汇总表：下级已审核年报之和 + 本级数")
    status: str
    status_label: str
    return_reason: str
    missing_children: dict[str, str]
    principal: str
    preparer: str
    phone: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    refreshed_at: dt.datetime | None

    @staticmethod
    def resolve_org(obj: AnnualReturn) -> str:
        return obj.org.code

    @staticmethod
    def resolve_org_name(obj: AnnualReturn) -> str:
        return obj.org.name

    @staticmethod
    def resolve_form(obj: AnnualReturn) -> str:
        return obj.form_code

    @staticmethod
    def resolve_status_label(obj: AnnualReturn) -> str:
        return obj.get_status_display()


class CellOut(Schema):
    row: str
    column: str
    origin: str = Field(..., description="computed 记录生成 | manual 手工 | override 修改计算值 | derived 自动计算")
    value: Decimal | None = Field(None, description="填报数（汇总表 = 下级合计 + 本级数）")
    computed: Decimal | None = Field(None, description="系统按记录计算的本级数")
    own: Decimal | None = None
    children: Decimal | None = None
    reason: str


class CheckOut(Schema):
    key: str
    check_id: str
    severity: str = Field(..., description="E 错误（阻止上报）| W 提示（须说明）")
    row: str
    column: str
    subject: str
    message: str
    explanation: str


class ReturnDetail(ReturnOut):
    values: list[CellOut]
    checks: list[CheckOut]

    @staticmethod
    def resolve_values(obj: AnnualReturn, context: Any) -> Any:
        return selectors.values_of(context["request"].user, obj)

    @staticmethod
    def resolve_checks(obj: AnnualReturn, context: Any) -> Any:
        return selectors.checks_of(context["request"].user, obj)


class ReturnFilter(Schema):
    org: str | None = Field(None, description="工会代码：该工会及所属工会的年报")
    year: int | None = None
    status: str | None = None


class ReturnCreate(Schema):
    org: str
    year: int


class CellIn(Schema):
    row: str = Field(..., description="行代码，如 2-03")
    column: str = Field("c01", description="栏代码，如 c05")
    value: Decimal | None = Field(None, description="空值：手工项清空，计算项恢复计算值")
    reason: str = Field("", description="修改计算值时必填")


class ValuesIn(Schema):
    values: list[CellIn]


class ReasonIn(Schema):
    reason: str


class ExplainIn(Schema):
    explanations: dict[str, str] = Field(..., description="{校验结果 key: 说明}")


class MissingIn(Schema):
    child: str = Field(..., description="下级工会代码")
    reason: str = Field("", description="未报原因；空值取消标记")


def _get(request: AuthedRequest, code: str, year: int) -> AnnualReturn:
    return selectors.get_return(request.user, code, year)


def _detail(request: AuthedRequest, ret: AnnualReturn) -> AnnualReturn:
    """The return re-read through the scoped selector (its cells and checks are resolved on output)."""
    return _get(request, ret.org.code, ret.year)


@router.get("", response=list[ReturnOut], summary="统计年报列表")
@paginated
def list_returns(request: AuthedRequest, filters: Query[ReturnFilter]) -> Any:
    if filters.org:
        qs = selectors.returns_within(request.user, org_selectors.get_org(request.user, filters.org), filters.year)
    else:
        qs = selectors.visible_returns(request.user).order_by("-year", "org__path")
        if filters.year:
            qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.post("", response={201: ReturnDetail}, summary="新建年报（按记录预填）")
def create_return(request: AuthedRequest, payload: ReturnCreate) -> Status[AnnualReturn]:
    org = org_selectors.get_org(request.user, payload.org)
    return Status(201, _detail(request, services.start_return(request.user, org, payload.year)))


@router.get("/{code}/{int:year}", response=ReturnDetail, summary="年报详情：各栏数据与校验结果")
def get_return(request: AuthedRequest, code: str, year: int) -> AnnualReturn:
    return _detail(request, _get(request, code, year))


@router.patch("/{code}/{int:year}/values", response=ReturnDetail, summary="填写手工项或修改计算值")
def patch_values(request: AuthedRequest, code: str, year: int, payload: ValuesIn) -> AnnualReturn:
    ret = services.set_values(request.user, _get(request, code, year), [v.dict() for v in payload.values])
    return _detail(request, ret)


@router.post("/{code}/{int:year}/refresh", response=ReturnDetail, summary="按记录刷新")
def refresh(request: AuthedRequest, code: str, year: int) -> AnnualReturn:
    return _detail(request, services.refresh(request.user, _get(request, code, year)))


@router.post("/{code}/{int:year}/check", response=ReturnDetail, summary="校验")
def check(request: AuthedRequest, code: str, year: int) -> AnnualReturn:
    return _detail(request, services.run_checks(request.user, _get(request, code, year)))


@router.post("/{code}/{int:year}/explanations", response=ReturnDetail, summary="填写提示项的说明")
def explain(request: AuthedRequest, code: str, year: int, payload: ExplainIn) -> AnnualReturn:
    return _detail(request, services.explain(request.user, _get(request, code, year), payload.explanations))


@router.post("/{code}/{int:year}/missing", response=ReturnDetail, summary="标记下级未报")
def missing(request: AuthedRequest, code: str, year: int, payload: MissingIn) -> AnnualReturn:
    return _detail(request, services.mark_missing(request.user, _get(request, code, year), payload.child,
                                                  payload.reason))


@router.post("/{code}/{int:year}/submit", response=ReturnDetail, summary="上报")
def submit(request: AuthedRequest, code: str, year: int) -> AnnualReturn:
    return _detail(request, services.submit(request.user, _get(request, code, year)))


@router.post("/{code}/{int:year}/accept", response=ReturnDetail, summary="审核通过（上级工会）")
def accept(request: AuthedRequest, code: str, year: int) -> AnnualReturn:
    return _detail(request, services.accept(request.user, _get(request, code, year)))


@router.post("/{code}/{int:year}/return", response=ReturnDetail, summary="退回（上级工会，须写原因）")
def send_back(request: AuthedRequest, code: str, year: int, payload: ReasonIn) -> AnnualReturn:
    return _detail(request, services.send_back(request.user, _get(request, code, year), payload.reason))


class ChildOut(Schema):
    org: str
    org_name: str
    status: str
    missing_reason: str


@router.get("/{code}/{int:year}/children", response=list[ChildOut], summary="下级工会的填报情况")
def children(request: AuthedRequest, code: str, year: int) -> list[dict[str, Any]]:
    org = org_selectors.get_org(request.user, code)
    if not Scope.of(request.user).allows_org(org, "reports.view"):
        raise NotFound()
    ret = selectors.visible_returns(request.user).filter(org=org, year=year).first()
    rows = selectors.children_status(request.user, org, year, ret.missing_children if ret else {})
    return [{"org": c.org.code, "org_name": c.org.name, "status": c.ret.status if c.ret else "none",
             "missing_reason": c.missing_reason} for c in rows]

