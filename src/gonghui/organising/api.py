"""/api/v1/organising_campaigns, /api/v1/star_ratings, /api/v1/assessments and /api/v1/coverage (建会率)."""
# No "from __future__ import annotations": django-ninja reads the real annotations.


import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Router, Schema, Status

from gonghui.core.api import list_within, paginated
from gonghui.core.http import AuthedRequest
from gonghui.organising import selectors, services
from gonghui.organising.models import Assessment, OrganisingCampaign, StarRating
from gonghui.orgs import selectors as org_selectors

campaigns_router = Router(tags=["组建与规范化建设"])
ratings_router = Router(tags=["组建与规范化建设"])
assessments_router = Router(tags=["组建与规范化建设"])
coverage_router = Router(tags=["组建与规范化建设"])


class CoverageOut(Schema):
    org: str
    on: dt.date
    employers: int
    covered: int
    establishment_rate: Decimal | None = Field(None, description="建会率（%）")
    above_scale_employers: int
    above_scale_covered: int
    above_scale_rate: Decimal | None = Field(None, description="规上企业建会率（%）")
    unorganised_large: int = Field(..., description="25人以上未建会单位")
    members: int | None = None
    workforce: int | None = None
    membership_rate: Decimal | None = Field(None, description="入会率（%）")


@coverage_router.get("", response=CoverageOut, summary="建会率、入会率")
def coverage(request: AuthedRequest, org: str | None = None, on: dt.date | None = None) -> dict[str, Any]:
    within = list_within(request, org, "orgs.view")
    day = on or dt.date.today()
    overall = selectors.coverage(request.user, within, day)
    above = selectors.coverage(request.user, within, day, above_scale=True)
    membership = selectors.membership_rate(request.user, within, day)
    return {
        "org": within.code, "on": day, "employers": overall.employers, "covered": overall.covered,
        "establishment_rate": overall.rate, "above_scale_employers": above.employers,
        "above_scale_covered": above.covered, "above_scale_rate": above.rate,
        "unorganised_large": selectors.unorganised(request.user, within, day).count(),
        "members": membership.members if membership else None,
        "workforce": membership.workforce if membership else None,
        "membership_rate": membership.rate if membership else None,
    }


class CampaignOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    name: str
    start_on: dt.date
    end_on: dt.date
    new_group: str
    target_unions: int
    description: str


class CampaignCreate(Schema):
    org: str
    name: str
    start_on: dt.date
    end_on: dt.date
    new_group: str = ""
    target_unions: int = 0
    description: str = ""


@campaigns_router.get("", response=list[CampaignOut], summary="建会行动列表")
@paginated
def list_campaigns(request: AuthedRequest, org: str | None = None) -> Any:
    within = list_within(request, org, "orgs.view")
    return selectors.campaigns(request.user, within=within)


@campaigns_router.get("/{int:campaign_id}", response=CampaignOut, summary="建会行动详情")
def get_campaign(request: AuthedRequest, campaign_id: int) -> OrganisingCampaign:
    return selectors.get_campaign(request.user, campaign_id)


@campaigns_router.post("", response={201: CampaignOut}, summary="发起建会行动")
def create_campaign(request: AuthedRequest, payload: CampaignCreate) -> Status[OrganisingCampaign]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    return Status(201, services.create_campaign(request.user, org, **data))


class TargetOut(Schema):
    id: int
    employer: int = Field(..., alias="employer_id")
    employer_name: str = Field(..., alias="employer.name")
    status: str
    contacted_on: dt.date | None
    situation: str
    has_union: bool
    union_founded_on: dt.date | None
    union: str | None = Field(None, alias="union_code")


class TargetsIn(Schema):
    employers: list[int] = Field(..., description="用人单位编号")


@campaigns_router.get("/{int:campaign_id}/targets", response=list[TargetOut], summary="建会对象及进展")
@paginated
def list_targets(request: AuthedRequest, campaign_id: int) -> Any:
    return selectors.targets(request.user, selectors.get_campaign(request.user, campaign_id))


@campaigns_router.post("/{int:campaign_id}/targets", response={201: list[TargetOut]}, summary="添加建会对象")
def add_targets(request: AuthedRequest, campaign_id: int, payload: TargetsIn) -> Status[Any]:
    campaign = selectors.get_campaign(request.user, campaign_id)
    employers = [org_selectors.get_employer(request.user, pk) for pk in payload.employers]
    services.add_targets(request.user, campaign, employers)
    return Status(201, list(selectors.targets(request.user, campaign).filter(employer_id__in=payload.employers)))


class RatingOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    stars: int
    level: str
    awarded_on: dt.date
    valid_until: dt.date | None
    awarded_by: str
    revoked_on: dt.date | None


class RatingCreate(Schema):
    org: str
    stars: int
    level: str
    awarded_on: dt.date
    valid_until: dt.date | None = None
    awarded_by: str


class RatingPatch(Schema):
    valid_until: dt.date | None = None
    revoked_on: dt.date | None = None
    awarded_by: str | None = None


@ratings_router.get("", response=list[RatingOut], summary="星级评定列表")
@paginated
def list_ratings(request: AuthedRequest, org: str | None = None, year: int | None = None,
                 valid_on: dt.date | None = None) -> Any:
    within = list_within(request, org, "orgs.view")
    return selectors.star_ratings(request.user, within=within, year=year, valid=valid_on)


@ratings_router.get("/{int:rating_id}", response=RatingOut, summary="星级评定详情")
def get_rating(request: AuthedRequest, rating_id: int) -> StarRating:
    return selectors.get_rating(request.user, rating_id)


@ratings_router.post("", response={201: RatingOut}, summary="登记星级评定（上级工会）")
def create_rating(request: AuthedRequest, payload: RatingCreate) -> Status[StarRating]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    return Status(201, services.award_star_rating(request.user, org, **data))


@ratings_router.patch("/{int:rating_id}", response=RatingOut, summary="修改星级评定")
def patch_rating(request: AuthedRequest, rating_id: int, payload: RatingPatch) -> StarRating:
    rating = selectors.get_rating(request.user, rating_id)
    return services.update_star_rating(request.user, rating, **payload.dict(exclude_unset=True))


class AssessmentOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    scheme: str
    year: int
    assessed_on: dt.date
    assessor: str | None = Field(None, alias="assessor.code")
    score: Decimal
    grade: str
    findings: str


class AssessmentCreate(Schema):
    org: str
    year: int
    assessed_on: dt.date
    score: Decimal
    findings: str = ""


class AssessmentPatch(Schema):
    assessed_on: dt.date | None = None
    score: Decimal | None = None
    findings: str | None = None


@assessments_router.get("", response=list[AssessmentOut], summary="规范化建设考核列表")
@paginated
def list_assessments(request: AuthedRequest, org: str | None = None, year: int | None = None,
                     grade: str | None = None) -> Any:
    within = list_within(request, org, "orgs.view")
    return selectors.assessments(request.user, within=within, year=year, grade=grade or "")


@assessments_router.get("/{int:assessment_id}", response=AssessmentOut, summary="规范化建设考核详情")
def get_assessment(request: AuthedRequest, assessment_id: int) -> Assessment:
    return selectors.get_assessment(request.user, assessment_id)


@assessments_router.post("", response={201: AssessmentOut}, summary="登记规范化建设考核（上级工会）")
def create_assessment(request: AuthedRequest, payload: AssessmentCreate) -> Status[Assessment]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    return Status(201, services.record_assessment(request.user, org, **data))


@assessments_router.patch("/{int:assessment_id}", response=AssessmentOut, summary="修改规范化建设考核")
def patch_assessment(request: AuthedRequest, assessment_id: int, payload: AssessmentPatch) -> Assessment:
    assessment = selectors.get_assessment(request.user, assessment_id)
    return services.update_assessment(request.user, assessment, **payload.dict(exclude_unset=True))
