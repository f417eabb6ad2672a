"""/api/v1/targets: targets handed down the tree, their completion, and assessment schemes with results."""
# No "from __future__ import annotations": django-ninja reads the real annotations.


import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Router, Schema, Status

from gonghui.core.api import list_within, paginated
from gonghui.core.http import AuthedRequest
from gonghui.core.scope import Scope
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org
from gonghui.targets import selectors, services
from gonghui.targets.models import AssessmentScheme, AssessmentScore, Target

router = Router(tags=["目标考核"])


class TargetOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    org_name: str = Field(..., alias="org.name")
    year: int
    metric_key: str
    label: str
    unit: str
    value: Decimal
    set_by: str = Field(..., alias="set_by.code")
    parent: int | None = Field(None, alias="parent_id")
    set_on: dt.date
    remarks: str


class TargetCreate(Schema):
    org: str = Field(..., description="承担工会代码（本级或直属下级）")
    set_by: str | None = Field(None, description="下达工会代码；省略时为承担工会的上级（若有权限），否则为其本身")
    year: int
    metric_key: str = Field(..., description="指标代码，如 members.new")
    value: Decimal
    set_on: dt.date | None = None
    remarks: str = ""


class TargetPatch(Schema):
    value: Decimal | None = None
    set_on: dt.date | None = None
    remarks: str | None = None


class SplitIn(Schema):
    shares: dict[str, Decimal | None] = Field(..., description="下级工会代码 → 分解数（null 表示不分解给该工会）")


class CompletionOut(Schema):
    target: int
    org: str
    org_name: str
    level: str = Field(..., description="own 本级 / child 下级")
    metric_key: str
    label: str
    unit: str
    target_value: Decimal
    actual: Decimal
    record_count: int
    completion_rate: Decimal = Field(..., description="完成率（%）")
    status: str = Field(..., description="exceeded 超额完成 / completed 完成 / not_completed 未完成")
    status_label: str
    rank: int | None = Field(None, description="下级工会按完成率的排名")
    drill_down: str


def _completion_out(row: selectors.Completion, level: str) -> dict[str, Any]:
    t = row.target
    return {"target": t.pk, "org": t.org.code, "org_name": t.org.name, "level": level, "metric_key": t.metric_key,
            "label": t.label, "unit": t.unit, "target_value": t.value, "actual": row.actual,
            "record_count": row.record_count, "completion_rate": row.rate, "status": row.status.value,
            "status_label": row.status.label, "rank": row.rank or None, "drill_down": row.drill_url}


@router.get("", response=list[TargetOut], summary="目标任务列表")
@paginated
def list_targets(request: AuthedRequest, org: str | None = None, year: int | None = None,
                 key: str | None = None) -> Any:
    within = list_within(request, org, "targets.view")
    qs = selectors.visible_targets(request.user).filter(org__path__startswith=within.path)
    if year:
        qs = qs.filter(year=year)
    if key:
        qs = qs.filter(metric_key=key)
    return qs.order_by("-year", "metric_key", "org__path")


@router.get("/completion", response=list[CompletionOut], summary="目标完成情况（本级及直属下级，下级按完成率排名）")
def completion(request: AuthedRequest, year: int, org: str | None = None) -> Any:
    within = list_within(request, org, "targets.view")
    out = []
    for entry in selectors.completion_table(request.user, within, year):
        if entry.own is not None:
            out.append(_completion_out(entry.own, "own"))
        out.extend(_completion_out(c, "child") for c in entry.children)
    return out


@router.get("/{int:target_id}", response=TargetOut, summary="目标任务详情")
def get_target(request: AuthedRequest, target_id: int) -> Target:
    return selectors.get_target(request.user, target_id)


@router.get("/{int:target_id}/completion", response=CompletionOut, summary="一项目标的完成情况")
def target_completion(request: AuthedRequest, target_id: int) -> Any:
    return _completion_out(selectors.completion(request.user, selectors.get_target(request.user, target_id)), "own")


def _default_setter(request: AuthedRequest, org: Org) -> Org:
    parent = Org.objects.get_parent(org)
    if parent is not None and Scope.of(request.user).allows_org(parent, "targets.edit"):
        return parent
    return org


@router.post("", response={201: TargetOut}, summary="下达目标任务")
def create_target(request: AuthedRequest, payload: TargetCreate) -> Status[Target]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"), "targets.view")
    code = data.pop("set_by")
    set_by = org_selectors.get_org(request.user, code, "targets.view") if code else _default_setter(request, org)
    return Status(201, services.set_target(request.user, set_by, org, **data))


@router.patch("/{int:target_id}", response=TargetOut, summary="修改目标任务（下达工会）")
def patch_target(request: AuthedRequest, target_id: int, payload: TargetPatch) -> Target:
    target = selectors.get_target(request.user, target_id)
    return services.update_target(request.user, target, **payload.dict(exclude_unset=True))


@router.delete("/{int:target_id}", response={204: None}, summary="撤回目标任务（下达工会）")
def delete_target(request: AuthedRequest, target_id: int) -> Status[None]:
    services.delete_target(request.user, selectors.get_target(request.user, target_id))
    return Status(204, None)


@router.post("/{int:target_id}/split", response=list[TargetOut], summary="将目标分解到直属下级工会")
def split_target(request: AuthedRequest, target_id: int, payload: SplitIn) -> Any:
    target = selectors.get_target(request.user, target_id)
    shares = {org_selectors.get_org(request.user, code, "targets.view"): value
              for code, value in payload.shares.items()}
    services.split_target(request.user, target, shares)
    return list(target.shares.select_related("org", "set_by").order_by("org__path"))


# -- assessment schemes --------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    name: str
    kind: str
    metric_key: str
    weight: Decimal
    cap: Decimal


class SchemeOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    year: int
    name: str
    excellent_from: Decimal
    good_from: Decimal
    pass_from: Decimal
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: AssessmentScheme) -> list[Any]:
        return list(obj.items.all())


class ItemIn(Schema):
    name: str
    kind: str = Field("auto", description="auto 按目标完成率自动计分 / manual 人工评分")
    metric_key: str = ""
    weight: Decimal
    cap: Decimal = Field(Decimal("1.00"), description="完成率封顶倍数：得分 = 分值 × min(完成率, cap)")


class SchemeCreate(Schema):
    org: str
    year: int
    name: str
    excellent_from: Decimal = Decimal("90")
    good_from: Decimal = Decimal("80")
    pass_from: Decimal = Decimal("60")
    items: list[ItemIn]


class ItemResultOut(Schema):
    item: int
    name: str
    score: Decimal
    completion_rate: Decimal | None
    note: str


class ResultOut(Schema):
    org: str
    org_name: str
    year: int
    score: Decimal
    grade: str
    rank: int
    items: list[ItemResultOut]


class ScoreIn(Schema):
    score: Decimal
    reason: str = Field(..., description="评分说明")


class ScoreOut(Schema):
    id: int
    item: int = Field(..., alias="item_id")
    org: str = Field(..., alias="org.code")
    score: Decimal
    reason: str
    scored_on: dt.date


@router.get("/schemes", response=list[SchemeOut], summary="考核方案列表")
@paginated
def list_schemes(request: AuthedRequest, org: str | None = None, year: int | None = None) -> Any:
    within = list_within(request, org, "targets.view")
    qs = selectors.visible_schemes(request.user).filter(org__path__startswith=within.path)
    return qs.filter(year=year) if year else qs


@router.post("/schemes", response={201: SchemeOut}, summary="制定考核方案")
def create_scheme(request: AuthedRequest, payload: SchemeCreate) -> Status[AssessmentScheme]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"), "targets.view")
    return Status(201, services.create_scheme(request.user, org, **data))


@router.get("/schemes/{int:scheme_id}", response=SchemeOut, summary="考核方案详情")
def get_scheme(request: AuthedRequest, scheme_id: int) -> AssessmentScheme:
    return selectors.get_scheme(request.user, scheme_id)


@router.get("/schemes/{int:scheme_id}/results", response=list[ResultOut], summary="考核结果：总分、等次与排名")
def scheme_results(request: AuthedRequest, scheme_id: int) -> Any:
    scheme = selectors.get_scheme(request.user, scheme_id)
    return [{"org": r.org.code, "org_name": r.org.name, "year": r.year, "score": r.score, "grade": r.grade,
             "rank": r.rank, "items": [{"item": i.item.pk, "name": i.item.name, "score": i.score,
                                        "completion_rate": i.rate, "note": i.note} for i in r.items]}
            for r in selectors.scheme_results(request.user, scheme)]


@router.put("/schemes/items/{int:item_id}/scores/{code}", response=ScoreOut, summary="人工评分项目打分")
def score_item(request: AuthedRequest, item_id: int, code: str, payload: ScoreIn) -> AssessmentScore:
    item = selectors.get_item(request.user, item_id)
    org = org_selectors.get_org(request.user, code, "targets.view")
    return services.score_manual_item(request.user, item, org, score=payload.score, reason=payload.reason)
