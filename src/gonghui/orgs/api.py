"""/api/v1/orgs and /api/v1/employers."""
# No "from __future__ import annotations": django-ninja reads the real annotations.


import datetime as dt
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from ninja import Field, Query, Router, Schema, Status

from gonghui.core.api import paginated
from gonghui.core.http import AuthedRequest
from gonghui.orgs import selectors, services
from gonghui.orgs.models import Employer, Org

orgs_router = Router(tags=["工会组织"])
employers_router = Router(tags=["用人单位"])


def with_parent_code(qs: QuerySet[Org]) -> QuerySet[Org]:
    parent = Org.objects.filter(path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Org.steplen))
    return qs.annotate(parent_code=Subquery(parent.values("code")[:1]))


class OrgOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, alias="parent_code")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    level: str
    mode: str
    joint_type: str
    status: str
    founded_on: dt.date
    dissolved_on: dt.date | None
    reelected_on: dt.date | None
    term_years: int
    term_ends_on: dt.date | None
    covered_workers: int
    realname_complete: bool
    has_own_account: bool
    central_accounting: bool
    depth: int


class OrgFilter(Schema):
    org: str | None = Field(None, description="工会代码：该工会及其所属工会")
    kind: str | None = Field(None, description="federation / industry / grassroots / branch / group")
    q: str | None = Field(None, description="名称或代码包含")
    active: bool | None = Field(None, description="true 只列正常工会，false 只列已撤销")


class OrgPatch(Schema):
    name: str | None = None
    level: str | None = None
    mode: str | None = None
    joint_type: str | None = None
    covered_workers: int | None = None
    region_code: str | None = None
    address: str | None = None
    founded_on: dt.date | None = None
    reelected_on: dt.date | None = None
    term_years: int | None = None
    realname_complete: bool | None = None
    has_own_account: bool | None = None
    central_accounting: bool | None = None


class OrgCreate(Schema):
    parent: str = Field(..., description="上级工会代码")
    code: str
    name: str
    kind: str
    level: str = ""
    mode: str = ""
    joint_type: str = ""
    founded_on: dt.date
    term_years: int = 5
    covered_workers: int = 0


def _org_out(request: AuthedRequest, code: str) -> Org:
    return with_parent_code(selectors.visible_orgs(request.user)).get(pk=selectors.get_org(request.user, code).pk)


@orgs_router.get("", response=list[OrgOut], summary="工会列表")
@paginated
def list_orgs(request: AuthedRequest, filters: Query[OrgFilter]) -> Any:
    qs = selectors.visible_orgs(request.user)
    if filters.org:
        qs = qs.filter(path__startswith=selectors.get_org(request.user, filters.org).path)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(pk__in=[o.pk for o in selectors.search_orgs(request.user, filters.q, limit=500)])
    if filters.active is not None:
        qs = qs.filter(dissolved_on__isnull=filters.active)
    return with_parent_code(qs).order_by("path")


@orgs_router.get("/{code}", response=OrgOut, summary="工会详情")
def get_org(request: AuthedRequest, code: str) -> Org:
    return _org_out(request, code)


@orgs_router.patch("/{code}", response=OrgOut, summary="修改工会信息")
def patch_org(request: AuthedRequest, code: str, payload: OrgPatch) -> Org:
    org = selectors.get_org(request.user, code)
    services.update_org(request.user, org, **payload.dict(exclude_unset=True))
    return _org_out(request, code)


@orgs_router.post("", response={201: OrgOut}, summary="新建下级工会")
def create_org(request: AuthedRequest, payload: OrgCreate) -> Status[Org]:
    data = payload.dict()
    parent = selectors.get_org(request.user, data.pop("parent"))
    org = services.create_org(request.user, parent, **data)
    return Status(201, _org_out(request, org.code))


class OfficerOut(Schema):
    id: int
    name: str
    role: str
    role_label: str = Field(..., alias="get_role_display")
    committee: str | None = Field(None, alias="committee.kind")
    gender: str
    full_time: bool
    is_social_worker: bool
    started_on: dt.date
    ended_on: dt.date | None


@orgs_router.get("/{code}/officers", response=list[OfficerOut], summary="工会现任干部")
@paginated
def list_officers(request: AuthedRequest, code: str, on: dt.date | None = None) -> Any:
    return selectors.officers(request.user, selectors.get_org(request.user, code), on=on)


class EventOut(Schema):
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    occurred_on: dt.date
    from_parent: str | None = Field(None, alias="from_parent.code")
    to_parent: str | None = Field(None, alias="to_parent.code")
    old_name: str
    note: str


@orgs_router.get("/{code}/events", response=list[EventOut], summary="组织变动记录")
@paginated
def list_events(request: AuthedRequest, code: str) -> Any:
    return selectors.history(request.user, selectors.get_org(request.user, code))


class EmployerOut(Schema):
    id: int
    name: str
    uscc: str
    industry: str
    trades: list[str]
    ownership: str
    headcount: int
    female_headcount: int
    is_small_micro: bool
    above_scale: bool
    new_sector: bool
    has_union: bool
    org: str = Field(..., alias="org.code")
    region_code: str
    address: str
    established_on: dt.date | None
    closed_on: dt.date | None


class EmployerFilter(Schema):
    org: str | None = Field(None, description="工会代码：该工会登记或涵盖的单位")
    q: str | None = None
    industry: str | None = None
    ownership: str | None = None
    has_union: bool | None = None
    min_headcount: int | None = None


class EmployerIn(Schema):
    name: str
    uscc: str = ""
    industry: str
    trades: list[str] = []
    ownership: str
    headcount: int = 0
    female_headcount: int = 0
    is_small_micro: bool = False
    above_scale: bool = False
    new_sector: bool = False
    region_code: str = ""
    address: str = ""
    established_on: dt.date | None = None


class EmployerCreate(EmployerIn):
    org: str = Field(..., description="登记工会代码")


class EmployerPatch(Schema):
    name: str | None = None
    uscc: str | None = None
    industry: str | None = None
    trades: list[str] | None = None
    ownership: str | None = None
    headcount: int | None = None
    female_headcount: int | None = None
    is_small_micro: bool | None = None
    above_scale: bool | None = None
    new_sector: bool | None = None
    address: str | None = None
    closed_on: dt.date | None = None


def _employer_out(request: AuthedRequest, pk: int) -> Employer:
    return selectors.with_union_flag(selectors.visible_employers(request.user)).select_related("org").get(pk=pk)


@employers_router.get("", response=list[EmployerOut], summary="用人单位列表")
@paginated
def list_employers(request: AuthedRequest, filters: Query[EmployerFilter]) -> Any:
    within = selectors.get_org(request.user, filters.org) if filters.org else None
    return selectors.employers(
        request.user, within=within, query=filters.q or "", industry=filters.industry or "",
        ownership=filters.ownership or "", has_union=filters.has_union, min_headcount=filters.min_headcount,
    )


@employers_router.get("/{int:employer_id}", response=EmployerOut, summary="用人单位详情")
def get_employer(request: AuthedRequest, employer_id: int) -> Employer:
    selectors.get_employer(request.user, employer_id)
    return _employer_out(request, employer_id)


@employers_router.post("", response={201: EmployerOut}, summary="登记用人单位")
def create_employer(request: AuthedRequest, payload: EmployerCreate) -> Status[Employer]:
    data = payload.dict()
    org = selectors.get_org(request.user, data.pop("org"))
    employer = services.create_employer(request.user, org, **data)
    return Status(201, _employer_out(request, employer.pk))


@employers_router.patch("/{int:employer_id}", response=EmployerOut, summary="修改用人单位")
def patch_employer(request: AuthedRequest, employer_id: int, payload: EmployerPatch) -> Employer:
    employer = selectors.get_employer(request.user, employer_id)
    services.update_employer(request.user, employer, **payload.dict(exclude_unset=True))
    return _employer_out(request, employer_id)
