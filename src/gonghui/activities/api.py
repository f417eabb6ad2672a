"""/api/v1/activities, /api/v1/activity_types, /api/v1/publicity_items, /api/v1/material_distributions."""
# No "from __future__ import annotations": django-ninja reads the real annotations.


import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from gonghui.activities import selectors, services
from gonghui.activities.models import Activity, ActivityType, MaterialDistribution, PublicityItem
from gonghui.core.api import list_within, paginated
from gonghui.core.http import AuthedRequest
from gonghui.facilities import selectors as facility_selectors
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org

activities_router = Router(tags=["活动记录"])
types_router = Router(tags=["活动记录"])
publicity_router = Router(tags=["宣传报道"])
materials_router = Router(tags=["宣传报道"])


class ActivityTypeOut(Schema):
    id: int
    code: str
    name: str
    group: str
    base_code: str
    org: str | None = Field(None, alias="org.code")
    is_active: bool


class ActivityTypeIn(Schema):
    org: str = Field(..., description="设立工会代码")
    name: str
    code: str
    counts_as: str = Field(..., description="统计归入的全国类型代码，如 lecture")


@types_router.get("", response=list[ActivityTypeOut], summary="活动类型（全国通用及本级、上级增设）")
@paginated
def list_types(request: AuthedRequest) -> Any:
    return selectors.visible_types(request.user)


@types_router.post("", response={201: ActivityTypeOut}, summary="增设活动类型")
def create_type(request: AuthedRequest, payload: ActivityTypeIn) -> Status[ActivityType]:
    org = org_selectors.get_org(request.user, payload.org)
    base = ActivityType.objects.filter(org__isnull=True, code=payload.counts_as).first()
    if base is None:
        raise ValidationError({"counts_as": f"没有代码为“{payload.counts_as}”的全国通用类型"})
    created = services.create_type(request.user, org, name=payload.name, code=payload.code, counts_as=base)
    return Status(201, created)


class ActivityOut(Schema):
    id: int
    title: str
    type: str = Field(..., alias="type.code")
    type_name: str = Field(..., alias="type.name")
    base_type: str = Field(..., alias="type.base_code")
    org: str = Field(..., alias="org.code")
    co_organisers: list[str]
    start_on: dt.date
    end_on: dt.date
    campaign: str
    topics: list[str]
    audience: str
    venue: str
    facility: int | None = Field(None, alias="facility_id")
    sessions: int
    headcount_only: bool
    headcount: int
    estimated: bool
    persons: int = Field(..., description="人数（人）：名单中的不同人员，或签到人数")
    person_times: int = Field(..., description="人次")
    units: int
    teams: int
    hours: Decimal
    trade: str
    certified_count: int
    reemployed_count: int
    amount_spent: Decimal
    media_reports: int
    reach: int
    measures: dict[str, Any]
    description: str

    @staticmethod
    def resolve_co_organisers(obj: Activity) -> list[str]:
        return [o.code for o in obj.co_organisers.all()]


class ActivityFilter(Schema):
    org: str | None = Field(None, description="工会代码：该工会及所属工会主办或协办的活动")
    own_only: bool = Field(False, description="true 只列该工会本级")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    type: str | None = Field(None, description="活动类型代码（含归入该类型的增设类型）")
    campaign: str | None = None
    q: str | None = Field(None, description="名称包含")


class ActivityFields(Schema):
    title: str
    type: str = Field(..., description="活动类型代码或名称")
    start_on: dt.date
    end_on: dt.date | None = None
    campaign: str = ""
    topics: list[str] = []
    audience: str = ""
    venue: str = ""
    facility: int | None = None
    sessions: int = 1
    headcount_only: bool = False
    headcount: int = 0
    estimated: bool = False
    units: int = 0
    teams: int = 0
    hours: Decimal = Decimal("0")
    trade: str = ""
    certified_count: int = 0
    reemployed_count: int = 0
    amount_spent: Decimal = Decimal("0")
    media_reports: int = 0
    reach: int = 0
    measures: dict[str, Any] = {}
    description: str = ""
    co_organisers: list[str] = Field([], description="协办工会代码")


class ActivityCreate(ActivityFields):
    org: str = Field(..., description="主办工会代码")


class ActivityPatch(Schema):
    title: str | None = None
    type: str | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    campaign: str | None = None
    topics: list[str] | None = None
    audience: str | None = None
    venue: str | None = None
    facility: int | None = None
    sessions: int | None = None
    headcount_only: bool | None = None
    headcount: int | None = None
    estimated: bool | None = None
    units: int | None = None
    teams: int | None = None
    hours: Decimal | None = None
    trade: str | None = None
    certified_count: int | None = None
    reemployed_count: int | None = None
    amount_spent: Decimal | None = None
    media_reports: int | None = None
    reach: int | None = None
    measures: dict[str, Any] | None = None
    description: str | None = None
    co_organisers: list[str] | None = None


def _resolve(request: AuthedRequest, org: Org, data: dict[str, Any]) -> dict[str, Any]:
    """Codes and ids in the payload → the objects the service takes."""
    if "type" in data:
        found = selectors.type_by_code(org, data["type"])
        if found is None:
            raise ValidationError({"type": f"“{data['type']}”不是本工会可用的活动类型"})
        data["type"] = found
    if data.get("facility") is not None:
        data["facility"] = facility_selectors.get_facility(request.user, data["facility"])
    if "co_organisers" in data:
        codes = data["co_organisers"] or []
        found_orgs = {o.code: o for o in Org.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found_orgs]
        if missing:
            raise ValidationError({"co_organisers": f"找不到工会代码：{'、'.join(missing)}"})
        data["co_organisers"] = [found_orgs[c] for c in codes]
    return data


def _one(request: AuthedRequest, pk: int) -> Activity:
    selectors.get_activity(request.user, pk)
    return selectors.with_counts(selectors.visible_activities(request.user)).select_related(
        "org", "type").get(pk=pk)


@activities_router.get("", response=list[ActivityOut], summary="活动列表")
@paginated
def list_activities(request: AuthedRequest, filters: Query[ActivityFilter]) -> Any:
    within = list_within(request, filters.org, "activities.view")
    return selectors.activities(request.user, within=within, date_from=filters.date_from, date_to=filters.date_to,
                                type_code=filters.type or "", campaign=filters.campaign or "", query=filters.q or "",
                                own_only=filters.own_only).prefetch_related("co_organisers")


@activities_router.get("/{int:activity_id}", response=ActivityOut, summary="活动详情")
def get_activity(request: AuthedRequest, activity_id: int) -> Activity:
    return _one(request, activity_id)


@activities_router.post("", response={201: ActivityOut}, summary="登记活动")
def create_activity(request: AuthedRequest, payload: ActivityCreate) -> Status[Activity]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    activity = services.create_activity(request.user, org, **_resolve(request, org, data))
    return Status(201, _one(request, activity.pk))


@activities_router.patch("/{int:activity_id}", response=ActivityOut, summary="修改活动")
def patch_activity(request: AuthedRequest, activity_id: int, payload: ActivityPatch) -> Activity:
    activity = selectors.get_activity(request.user, activity_id)
    changes = _resolve(request, activity.org, payload.dict(exclude_unset=True))
    services.update_activity(request.user, activity, **changes)
    return _one(request, activity_id)


@activities_router.delete("/{int:activity_id}", response={204: None}, summary="删除活动")
def delete_activity(request: AuthedRequest, activity_id: int) -> Status[None]:
    services.delete_activity(request.user, selectors.get_activity(request.user, activity_id))
    return Status(204, None)


class ParticipantOut(Schema):
    id: int
    person: int | None = Field(None, alias="person_id", description="会员库中的职工编号")
    name: str
    id_number: str = Field(..., alias="masked_id", description="脱敏显示")
    gender: str
    is_migrant: bool
    employer_name: str
    role: str
    attendances: int
    certified: bool
    reemployed: bool


class ParticipantIn(Schema):
    name: str = ""
    id_number: str = ""
    member: int | None = Field(None, description="会员编号：从会员库选人时填写，姓名和证件号码取自会员库")
    is_migrant: bool = False
    employer_name: str = ""
    role: str = "participant"
    attendances: int = 1
    certified: bool = False
    reemployed: bool = False


@activities_router.get("/{int:activity_id}/participants", response=list[ParticipantOut], summary="活动参加人员")
@paginated
def list_participants(request: AuthedRequest, activity_id: int) -> Any:
    return selectors.participants(request.user, selectors.get_activity(request.user, activity_id))


@activities_router.post("/{int:activity_id}/participants", response={201: list[ParticipantOut]},
                        summary="添加参加人员（可一次多人）")
def add_participants(request: AuthedRequest, activity_id: int,
                     payload: list[ParticipantIn]) -> Status[list[Any]]:
    from gonghui.members.selectors import get_member

    activity = selectors.get_activity(request.user, activity_id)
    people = []
    for p in payload:
        data = p.dict()
        member_id = data.pop("member")
        if member_id is not None:
            member = get_member(request.user, member_id)
            data.update(name=member.person.name, id_number=member.person.id_number, person_id=member.person_id,
                        is_migrant=data["is_migrant"] or member.is_migrant,
                        employer_name=data["employer_name"] or member.employer_display)
        people.append(services.PersonIn(**data))
    return Status(201, services.add_participants(request.user, activity, people))


@activities_router.delete("/participants/{int:participant_id}", response={204: None}, summary="移除参加人员")
def remove_participant(request: AuthedRequest, participant_id: int) -> Status[None]:
    services.remove_participant(request.user, selectors.get_participant(request.user, participant_id))
    return Status(204, None)


class EntryOut(Schema):
    id: int
    kind: str
    name: str
    participant: int | None = Field(None, alias="participant_id")
    employer: int | None = Field(None, alias="employer_id")
    result: str
    rank_text: str
    recommended_up: bool
    published: bool


class EntryIn(Schema):
    kind: str
    name: str
    participant: int | None = None
    result: str = ""
    rank_text: str = ""
    recommended_up: bool = False
    published: bool = False


@activities_router.get("/{int:activity_id}/entries", response=list[EntryOut], summary="参赛记录与结果")
@paginated
def list_entries(request: AuthedRequest, activity_id: int) -> Any:
    return selectors.entries(request.user, selectors.get_activity(request.user, activity_id))


@activities_router.post("/{int:activity_id}/entries", response={201: EntryOut}, summary="登记参赛记录")
def create_entry(request: AuthedRequest, activity_id: int, payload: EntryIn) -> Status[Any]:
    activity = selectors.get_activity(request.user, activity_id)
    data = payload.dict()
    if data["participant"] is not None:
        data["participant"] = activity.participants.filter(pk=data["participant"]).first()
        if data["participant"] is None:
            raise ValidationError({"participant": "选手必须是本活动的参加人员"})
    return Status(201, services.add_entry(request.user, activity, **data))


class AttachmentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    url: str = Field(..., alias="get_absolute_url")


@activities_router.get("/{int:activity_id}/attachments", response=list[AttachmentOut], summary="活动照片与附件")
@paginated
def list_attachments(request: AuthedRequest, activity_id: int) -> Any:
    return selectors.attachments(request.user, selectors.get_activity(request.user, activity_id))


# -- publicity -------------------------------------------------------------------------------


class PublicityOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    type: str
    title: str
    published_on: dt.date
    outlet: str
    level: str
    adopted_by: str
    adopted_level: str
    url: str
    reach: int
    topics: list[str]
    activity: int | None = Field(None, alias="activity_id")


class PublicityIn(Schema):
    type: str
    title: str
    published_on: dt.date
    outlet: str
    level: str = "own"
    adopted_by: str = ""
    adopted_level: str = ""
    url: str = ""
    reach: int = 0
    topics: list[str] = []
    activity: int | None = None


class PublicityCreate(PublicityIn):
    org: str


class PublicityFilter(Schema):
    org: str | None = None
    own_only: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    type: str | None = None
    level: str | None = None
    adopted: bool | None = None


def _activity_ref(request: AuthedRequest, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("activity") is not None:
        data["activity"] = selectors.get_activity(request.user, data["activity"])
    return data


@publicity_router.get("", response=list[PublicityOut], summary="宣传报道列表")
@paginated
def list_publicity(request: AuthedRequest, filters: Query[PublicityFilter]) -> Any:
    within = list_within(request, filters.org, "activities.view")
    return selectors.publicity_items(request.user, within=within, date_from=filters.date_from,
                                     date_to=filters.date_to, type=filters.type or "", level=filters.level or "",
                                     adopted=filters.adopted, own_only=filters.own_only)


@publicity_router.get("/{int:item_id}", response=PublicityOut, summary="宣传报道详情")
def get_publicity(request: AuthedRequest, item_id: int) -> PublicityItem:
    return selectors.get_publicity_item(request.user, item_id)


@publicity_router.post("", response={201: PublicityOut}, summary="登记宣传报道")
def create_publicity(request: AuthedRequest, payload: PublicityCreate) -> Status[PublicityItem]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    return Status(201, services.create_publicity_item(request.user, org, **_activity_ref(request, data)))


class PublicityPatch(Schema):
    title: str | None = None
    outlet: str | None = None
    level: str | None = None
    adopted_by: str | None = None
    adopted_level: str | None = None
    url: str | None = None
    reach: int | None = None


@publicity_router.patch("/{int:item_id}", response=PublicityOut, summary="修改宣传报道")
def patch_publicity(request: AuthedRequest, item_id: int, payload: PublicityPatch) -> PublicityItem:
    item = selectors.get_publicity_item(request.user, item_id)
    return services.update_publicity_item(request.user, item, **payload.dict(exclude_unset=True))


# -- materials ----------------------------------------------------------------------------------


class MaterialOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    distributed_on: dt.date
    topic: str
    title: str
    copies: int
    campaign: str
    activity: int | None = Field(None, alias="activity_id")


class MaterialIn(Schema):
    distributed_on: dt.date
    topic: str
    title: str
    copies: int
    campaign: str = ""
    activity: int | None = None


class MaterialCreate(MaterialIn):
    org: str


class MaterialFilter(Schema):
    org: str | None = None
    own_only: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    topic: str | None = None


@materials_router.get("", response=list[MaterialOut], summary="宣传资料发放列表")
@paginated
def list_materials(request: AuthedRequest, filters: Query[MaterialFilter]) -> QuerySet[MaterialDistribution]:
    within = list_within(request, filters.org, "activities.view")
    return selectors.material_distributions(request.user, within=within, date_from=filters.date_from,
                                            date_to=filters.date_to, topic=filters.topic or "",
                                            own_only=filters.own_only)


@materials_router.get("/{int:item_id}", response=MaterialOut, summary="宣传资料发放详情")
def get_material(request: AuthedRequest, item_id: int) -> MaterialDistribution:
    return selectors.get_material(request.user, item_id)


@materials_router.post("", response={201: MaterialOut}, summary="登记宣传资料发放")
def create_material(request: AuthedRequest, payload: MaterialCreate) -> Status[MaterialDistribution]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    return Status(201, services.create_material_distribution(request.user, org, **_activity_ref(request, data)))


class MaterialPatch(Schema):
    distributed_on: dt.date | None = None
    topic: str | None = None
    title: str | None = None
    copies: int | None = None


@materials_router.patch("/{int:item_id}", response=MaterialOut, summary="修改宣传资料发放")
def patch_material(request: AuthedRequest, item_id: int, payload: MaterialPatch) -> MaterialDistribution:
    item = selectors.get_material(request.user, item_id)
    return services.update_material_distribution(request.user, item, **payload.dict(exclude_unset=True))


# -- associations and periodicals ----------------------------------------------------------------

clubs_router = Router(tags=["文体活动"])
subscriptions_router = Router(tags=["宣传报道"])


class ClubOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    name: str
    kind: str
    parent: int | None = Field(None, alias="parent_id")
    founded_on: dt.date
    dissolved_on: dt.date | None
    member_count: int


class ClubIn(Schema):
    org: str
    name: str
    kind: str
    parent: int | None = None
    founded_on: dt.date
    member_count: int = 0


@clubs_router.get("", response=list[ClubOut], summary="文体协会及分会")
@paginated
def list_clubs(request: AuthedRequest, org: str | None = None) -> Any:
    within = list_within(request, org, "activities.view")
    return selectors.clubs(request.user, within=within)


@clubs_router.get("/{int:club_id}", response=ClubOut, summary="文体协会详情")
def get_club(request: AuthedRequest, club_id: int) -> Any:
    return selectors.get_club(request.user, club_id)


@clubs_router.post("", response={201: ClubOut}, summary="登记文体协会或分会")
def create_club(request: AuthedRequest, payload: ClubIn) -> Status[Any]:
    data = payload.dict()
    org = org_selectors.get_org(request.user, data.pop("org"))
    if data["parent"] is not None:
        data["parent"] = selectors.get_club(request.user, data["parent"])
    return Status(201, services.create_club(request.user, org, **data))


class SubscriptionOut(Schema):
    id: int
    org: str = Field(..., alias="org.code")
    recipient: str = Field(..., alias="recipient.code")
    periodical: str
    year: int
    copies: int


class SubscriptionIn(Schema):
    org: str = Field(..., description="赠阅工会代码")
    recipients: list[str] = Field(..., description="受赠工会代码")
    periodical: str
    year: int
    copies: int = 1


@subscriptions_router.get("", response=list[SubscriptionOut], summary="赠阅刊物")
@paginated
def list_subscriptions(request: AuthedRequest, org: str | None = None, year: int | None = None) -> Any:
    within = list_within(request, org, "activities.view")
    return selectors.subscriptions(request.user, within=within, year=year)


@subscriptions_router.get("/{int:subscription_id}", response=SubscriptionOut, summary="赠阅记录")
def get_subscription(request: AuthedRequest, subscription_id: int) -> Any:
    return selectors.get_subscription(request.user, subscription_id)


@subscriptions_router.post("", response={201: list[SubscriptionOut]}, summary="登记赠阅（每家受赠工会一条）")
def create_subscriptions(request: AuthedRequest, payload: SubscriptionIn) -> Status[Any]:
    org = org_selectors.get_org(request.user, payload.org)
    recipients = [org_selectors.get_org(request.user, code) for code in payload.recipients]
    return Status(201, services.give_subscriptions(request.user, org, recipients, periodical=payload.periodical,
                                                   year=payload.year, copies=payload.copies))
