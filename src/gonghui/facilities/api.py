"""/api/v1/facilities with their recognitions, grants and the services counted from activities."""
# No "from __future__ import annotations": django-ninja reads the real annotations.


import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from gonghui.core.api import list_within, paginated
from gonghui.core.http import AuthedRequest
from gonghui.facilities import selectors, services
from gonghui.facilities.models import Facility, FacilityGrant, FacilityRecognition
from gonghui.orgs import selectors as org_selectors

facilities_router = Router(tags=["阵地建设"])


class RecognitionOut(Schema):
    id: int
    title: str
    level: str
    recognised_on: dt.date
    awarded_by: str
    document_no: str
    revoked_on: dt.date | None


class FacilityOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    type: str
    name: str
    address: str
    employer: int | None = Field(None, alias="employer_id")
    opened_on: dt.date
    closed_on: dt.date | None
    with_service_station: bool
    area_sqm: Decimal | None
    services: list[str]
    opening_hours: str
    books: int
    recognitions: list[RecognitionOut]

    @staticmethod
    def resolve_recognitions(obj: Facility) -> list[FacilityRecognition]:
        return list(obj.recognitions.all())


class FacilityFilter(Schema):
    org: str | None = Field(None, description="工会代码：该工会及所属工会建设的阵地")
    own_only: bool = False
    type: str | None = None
    status: str | None = Field(None, description="open 运行中 / closed 已停用")
    level: str | None = Field(None, description="获该级别命名的阵地：national/provincial/city/district")
    q: str | None = None


class FacilityIn(Schema):
    type: str
    name: str
    address: str
    employer: int | None = None
    opened_on: dt.date
    with_service_station: bool = False
    area_sqm: Decimal | None = None
    services: list[str] = []
    opening_hours: str = ""
    books: int = 0
    description: str = ""


class FacilityCreate(FacilityIn):
    org: str


class FacilityPatch(Schema):
    name: str | None = None
    address: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    with_service_station: bool | None = None
    area_sqm: Decimal | None = None
    services: list[str] | None = None
    opening_hours: str | None = None
    books: int | None = None
    description: str | None = None


def _employer(request: AuthedRequest, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("employer") is not None:
        data["employer"] = org_selectors.get_employer(request.user, data["employer"])
    return data


@facilities_router.get("", response=list[FacilityOut], summary="阵地列表")
@paginated
def list_facilities(request: AuthedRequest, filters: Query[FacilityFilter]) -> Any:
    within = list_within(request, filters.org, "facilities.view")
    return selectors.facilities(request.user, within=within, type=filters.type or "", query=filters.q or "",
                                status=filters.status or "", level=filters.level or "", own_only=filters.own_only)


@facilities_router.get("/{int:facility_id}", response=FacilityOut, summary="阵地详情")
def get_facility(request: AuthedRequest, facility_id: int) -> Facility:
    return selectors.get_facility(request.user, facility_id)


@facilities_router.post("", response={201: FacilityOut}, summary="登记阵地")
def create_facility(request: AuthedRequest, payload: FacilityCreate) -> Status[Facility]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    return Status(201, services.create_facility(request.user, org, **_employer(request, data)))


@facilities_router.patch("/{int:facility_id}", response=FacilityOut, summary="修改阵地")
def patch_facility(request: AuthedRequest, facility_id: int, payload: FacilityPatch) -> Facility:
    facility = selectors.get_facility(request.user, facility_id)
    return services.update_facility(request.user, facility, **payload.dict(exclude_unset=True))


class RecognitionIn(Schema):
    title: str
    level: str
    recognised_on: dt.date
    awarded_by: str
    document_no: str = ""


@facilities_router.get("/{int:facility_id}/recognitions", response=list[RecognitionOut], summary="阵地命名")
@paginated
def list_recognitions(request: AuthedRequest, facility_id: int) -> Any:
    return selectors.recognitions(request.user, selectors.get_facility(request.user, facility_id))


@facilities_router.post("/{int:facility_id}/recognitions", response={201: RecognitionOut}, summary="登记命名")
def create_recognition(request: AuthedRequest, facility_id: int, payload: RecognitionIn) -> Status[Any]:
    facility = selectors.get_facility(request.user, facility_id)
    return Status(201, services.add_recognition(request.user, facility, **payload.dict()))


class GrantOut(Schema):
    id: int
    granted_on: dt.date
    granted_by: str | None = Field(None, alias="granted_by.code")
    amount: Decimal
    books: int
    purpose: str


class GrantIn(Schema):
    granted_on: dt.date
    granted_by: str | None = Field(None, description="拨付工会代码")
    amount: Decimal = Decimal("0")
    books: int = 0
    purpose: str = ""


@facilities_router.get("/{int:facility_id}/grants", response=list[GrantOut], summary="阵地补助")
@paginated
def list_grants(request: AuthedRequest, facility_id: int) -> Any:
    return selectors.grants(request.user, selectors.get_facility(request.user, facility_id))


@facilities_router.post("/{int:facility_id}/grants", response={201: GrantOut}, summary="登记补助")
def create_grant(request: AuthedRequest, facility_id: int, payload: GrantIn) -> Status[FacilityGrant]:
    facility = selectors.get_facility(request.user, facility_id)
    data = payload.dict()
    if data["granted_by"]:
        from gonghui.orgs.models import Org

        data["granted_by"] = Org.objects.filter(code=data["granted_by"].strip().upper()).first()
    return Status(201, services.add_grant(request.user, facility, **data))


class ServicesOut(Schema):
    activities: int
    sessions: int
    visits: int = Field(..., description="服务人次")
    persons: int = Field(..., description="服务人数（人）")
    estimated: bool


@facilities_router.get("/{int:facility_id}/services", response=ServicesOut, summary="阵地服务情况（按关联活动统计）")
def facility_services(request: AuthedRequest, facility_id: int, date_from: dt.date | None = None,
                      date_to: dt.date | None = None) -> Any:
    facility = selectors.get_facility(request.user, facility_id)
    return selectors.services(request.user, facility, date_from=date_from, date_to=date_to)
