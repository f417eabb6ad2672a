"""/api/v1/members: the member list and detail (masked by role), history, join, changes, transfers."""
# No "from __future__ import annotations": django-ninja reads the real annotations.


import datetime as dt
from typing import Any

from django.db import transaction
from ninja import Field, Query, Router, Schema, Status

from gonghui.core.api import paginated
from gonghui.core.crypto import mask_id_number, mask_phone
from gonghui.core.http import AuthedRequest
from gonghui.members import selectors, services, vocab
from gonghui.members.models import Member, TransferRequest
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import get_org

router = Router(tags=["会员"])


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date | None
    ethnicity: str
    id_type: str
    id_number: str = Field(..., description="证件号码：无“查看完整个人信息”权限时脱敏")
    mobile: str = Field(..., description="移动电话：无“查看完整个人信息”权限时脱敏")
    masked: bool
    employment_status: str
    education: str
    skill_level: str
    household_type: str
    household_place: str
    political_status: str
    native_place: str
    org: str
    org_name: str
    employer_id: int | None
    employer_name: str
    card_no: str
    joined_on: dt.date
    left_on: dt.date | None
    status: str
    status_label: str
    is_migrant: bool
    new_group: str
    realname_entered_on: dt.date | None
    dues_paid_until: dt.date | None


def _out(m: Member, *, full: bool) -> dict[str, Any]:
    p = m.person
    return {
        "id": m.pk, "name": p.name, "gender": p.gender, "birth_date": p.birth_date, "ethnicity": p.ethnicity,
        "id_type": p.id_type, "id_number": p.id_number if full else mask_id_number(p.id_number),
        "mobile": p.mobile if full else mask_phone(p.mobile), "masked": not full,
        "employment_status": p.employment_status, "education": p.education, "skill_level": p.skill_level,
        "household_type": p.household_type, "household_place": p.household_place,
        "political_status": p.political_status, "native_place": p.native_place, "org": m.org.code,
        "org_name": m.org.name, "employer_id": m.employer_id, "employer_name": m.employer_display,
        "card_no": m.card_no, "joined_on": m.joined_on, "left_on": m.left_on, "status": m.status,
        "status_label": m.get_status_display(), "is_migrant": m.is_migrant, "new_group": m.new_group,
        "realname_entered_on": m.realname_entered_on, "dues_paid_until": m.dues_paid_until,
    }


class MemberFilter(Schema):
    org: str | None = Field(None, description="工会代码：该工会及其所属工会的会员")
    q: str | None = Field(None, description="姓名、工作单位，或完整的证件号码/手机号（精确匹配）")
    status: str | None = Field(None, description="active / retained / left / all；不填为在册及保留会籍")
    migrant: bool | None = None
    new_form: bool | None = Field(None, description="新就业形态")
    age: str | None = Field(None, description="u35 / 36_45 / 46_55 / o55")
    gender: str | None = Field(None, description="male / female")


class MemberList(Schema):
    items: list[MemberOut]
    count: int


@router.get("", response=list[MemberOut], summary="会员列表（证件号码和手机号一律脱敏）")
@paginated
def list_members(request: AuthedRequest, filters: Query[MemberFilter]) -> Any:
    within = get_org(request.user, filters.org) if filters.org else None
    qs = selectors.members(request.user, within=within, filters=selectors.MemberFilters(
        query=filters.q or "", status=filters.status or "", migrant=filters.migrant, new_form=filters.new_form,
        age_band=filters.age or "", gender=filters.gender or ""))
    return _Masked(qs)


class _Masked:
    """A lazily sliced queryset rendered masked (lists never reveal full personal data)."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_out(m, full=False) for m in self.qs[item]]

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()


@router.get("/{int:member_id}", response=MemberOut, summary="会员详情（有权限时显示完整证件号码并记入审计）")
def get_member(request: AuthedRequest, member_id: int) -> dict[str, Any]:
    member = selectors.get_member(request.user, member_id)
    if services.can_reveal(request.user, member):
        services.reveal(request.user, member, channel="API")
        return _out(member, full=True)
    return _out(member, full=False)


class ChangeOut(Schema):
    id: int
    member_id: int
    org: str = Field(..., alias="org.code")
    change_type: str
    change_label: str = Field(..., alias="get_change_type_display")
    changed_on: dt.date
    reason: str
    counterpart: str | None = Field(None, alias="counterpart.code")


@router.get("/{int:member_id}/history", response=list[ChangeOut], summary="会籍变化记录")
@paginated
def member_history(request: AuthedRequest, member_id: int) -> Any:
    return selectors.history(request.user, selectors.get_member(request.user, member_id))


class JoinIn(Schema):
    org: str = Field(..., description="入会工会代码")
    name: str
    id_number: str
    id_type: str = "resident_id"
    joined_on: dt.date
    mobile: str = ""
    ethnicity: str = ""
    employer_name: str = ""
    is_migrant: bool = False
    new_group: str = ""
    reason: str = ""


@router.post("", response={201: MemberOut}, summary="会员入会登记")
def join(request: AuthedRequest, payload: JoinIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    org = get_org(request.user, data.pop("org"), "members.view")
    extra = {k: data.pop(k) for k in ("mobile", "ethnicity") if data.get(k)}
    member = services.join_member(request.user, org, **data, **extra)
    return Status(201, _out(selectors.get_member(request.user, member.pk), full=False))


class ChangeIn(Schema):
    change_type: str = Field(..., description="retain / restore / leave / expel")
    on: dt.date
    reason: str = ""


@router.post("/{int:member_id}/changes", response=MemberOut, summary="办理保留会籍、恢复会籍、退会、除名")
def change(request: AuthedRequest, member_id: int, payload: ChangeIn) -> dict[str, Any]:
    member = selectors.get_member(request.user, member_id)
    services.change_membership(request.user, member, payload.change_type, on=payload.on, reason=payload.reason)
    return _out(selectors.get_member(request.user, member_id), full=False)


class TransferOut(Schema):
    id: int
    member_id: int
    name: str = Field(..., alias="member.person.name")
    from_org: str = Field(..., alias="from_org.code")
    to_org: str = Field(..., alias="to_org.code")
    transfer_on: dt.date
    reason: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    decision_note: str


class TransferIn(Schema):
    to_org: str = Field(..., description="转入工会代码")
    on: dt.date
    reason: str
    new_employer_name: str = ""


class DecisionIn(Schema):
    action: str = Field(..., description="accept（转入工会确认接收）/ reject（转入工会退回）/ cancel（转出工会撤回）")
    note: str = ""


@router.post("/{int:member_id}/transfer", response={201: TransferOut}, summary="发起转会（转出）")
def request_transfer(request: AuthedRequest, member_id: int, payload: TransferIn) -> Status[TransferRequest]:
    member = selectors.get_member(request.user, member_id)
    to_org = Org.objects.filter(code=payload.to_org.strip().upper(), dissolved_on__isnull=True).first()
    if to_org is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"to_org": f"没有代码为“{payload.to_org}”的正常工会"})
    t = services.request_transfer(request.user, member, to_org, on=payload.on, reason=payload.reason,
                                  new_employer_name=payload.new_employer_name)
    return Status(201, selectors.get_transfer(request.user, t.pk))


class TransferFilter(Schema):
    org: str | None = None
    direction: str = Field("in", description="in：转入本工会及所属工会；out：转出")
    status: str = Field("pending", description="pending / accepted / rejected / cancelled / all")


@router.get("/transfers", response=list[TransferOut], summary="转会申请（收件箱/发件箱）")
@paginated
def list_transfers(request: AuthedRequest, filters: Query[TransferFilter]) -> Any:
    within = get_org(request.user, filters.org) if filters.org else None
    return selectors.transfers(request.user, within=within, direction=filters.direction,
                               status="" if filters.status == "all" else filters.status)


@router.get("/transfers/{int:transfer_id}", response=TransferOut, summary="转会申请详情")
def get_transfer(request: AuthedRequest, transfer_id: int) -> TransferRequest:
    return selectors.get_transfer(request.user, transfer_id)


@router.post("/transfers/{int:transfer_id}", response=TransferOut, summary="办理转会申请")
def decide_transfer(request: AuthedRequest, transfer_id: int, payload: DecisionIn) -> TransferRequest:
    t = selectors.get_transfer(request.user, transfer_id)
    with transaction.atomic():
        if payload.action == "accept":
            services.accept_transfer(request.user, t, note=payload.note)
        elif payload.action == "reject":
            services.reject_transfer(request.user, t, note=payload.note)
        elif payload.action == "cancel":
            services.cancel_transfer(request.user, t, note=payload.note)
        else:
            from django.core.exceptions import ValidationError

            raise ValidationError({"action": "action 只能是 accept、reject 或 cancel"})
    return selectors.get_transfer(request.user, transfer_id)


class VocabOut(Schema):
    column: str
    values: dict[str, str]


@router.get("/vocabulary", response=list[VocabOut], summary="导入模板字典（代码与中文）")
def vocabulary(request: AuthedRequest) -> list[dict[str, Any]]:
    return [{"column": vocab.header(k), "values": vocab.choices(k)} for k in vocab.DEFAULTS]
