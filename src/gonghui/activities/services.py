"""Every write on activities, their participants, results and attachments, and on publicity records."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gonghui.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityEntry,
    ActivityParticipant,
    ActivityType,
    AttachmentKind,
    Club,
    MaterialDistribution,
    PartyRecommendation,
    PublicityItem,
    Subscription,
)
from gonghui.activities.vocab import NATIONAL_CODES, NATIONAL_TYPES, TRAINING_CODES
from gonghui.core import audit, writes
from gonghui.core.crypto import blind_index
from gonghui.core.idnumber import IdNumberError
from gonghui.core.idnumber import parse as parse_id
from gonghui.core.models import AuditLog, User
from gonghui.core.scope import Scope
from gonghui.members.models import Person
from gonghui.orgs.models import Employer, Org, OrgKind

# The blind-index purpose of ID numbers: the same as members.Person.id_number_bidx, so keys match.
PERSON_KEY_PURPOSE = "person.id_number"

ACTIVITY_EDITABLE = {
    "type", "title", "start_on", "end_on", "campaign", "topics", "audience", "venue", "facility", "sessions",
    "headcount_only", "headcount", "certified_count", "reemployed_count", "estimated", "units",
    "participating_employers", "co_organisers", "teams", "hours", "trade", "amount_spent", "media_reports",
    "reach", "measures", "description",
}
PARTICIPANT_EDITABLE = {"gender", "is_migrant", "employer_name", "role", "attendances", "certified", "reemployed"}
ENTRY_EDITABLE = {"kind", "name", "participant", "employer", "result", "rank_text", "recommended_up", "published"}
PUBLICITY_EDITABLE = {"type", "title", "published_on", "outlet", "level", "adopted_by", "adopted_level", "url",
                      "reach", "topics", "activity"}
MATERIAL_EDITABLE = {"distributed_on", "topic", "title", "copies", "campaign", "activity"}
TYPE_EDITABLE = {"name", "order", "is_active"}

# Attachments: what may be uploaded, recognised by content, not by the name the browser sends.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
    (b"PK\x03\x04", "application/zip", "zip"),  # refined below to xlsx/docx by the name
)
OFFICE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def ensure_national_types(model: Any = None) -> None:
    """Create or refresh the national activity types (used by the data migration and after a flush)."""
    model = model or ActivityType
    for order, spec in enumerate(NATIONAL_TYPES, start=1):
        measures = [{"key": m.key, "label": m.label, "unit": m.unit, "decimal": m.decimal} for m in spec.measures]
        model.objects.update_or_create(
            org=None, code=spec.code,
            defaults={"name": spec.name, "group": spec.group, "base_code": spec.code, "measures": measures,
                      "order": order * 10, "is_active": True},
        )


def _require(actor: User | None, org: Org, cap: str = "activities.edit") -> None:
    if actor is not None:
        Scope.of(actor).require_org(org, cap)


def type_usable_at(activity_type: ActivityType, org: Org) -> bool:
    """National types anywhere; a union's own types in its subtree."""
    if activity_type.org_id is None:
        return True
    assert activity_type.org is not None
    return org.path.startswith(activity_type.org.path)


# -- taxonomy ---------------------------------------------------------------------------


@transaction.atomic
def create_type(actor: User | None, org: Org, *, name: str, code: str, counts_as: ActivityType,
                order: int = 500) -> ActivityType:
    """Add an activity type for a union's subtree; it counts as a national type in every figure."""
    _require(actor, org)
    if org.kind not in (OrgKind.FEDERATION, OrgKind.INDUSTRY, OrgKind.GRASSROOTS):
        raise ValidationError("只有总工会、产业工会和基层工会可以增设活动类型")
    if counts_as.org_id is not None:
        raise ValidationError({"counts_as": "统计归入须选择全国通用类型"})
    code = code.strip().lower()
    if code in NATIONAL_CODES:
        raise ValidationError({"code": f"代码“{code}”已是全国通用类型，请换一个"})
    if ActivityType.objects.filter(org=org, code=code).exists():
        raise ValidationError({"code": f"本工会已有代码为“{code}”的活动类型"})
    if ActivityType.objects.filter(org=org, name=name.strip()).exists():
        raise ValidationError({"name": f"本工会已有名为“{name}”的活动类型"})
    return writes.create(actor, ActivityType, org=org, name=name.strip(), code=code, group=counts_as.group,
                         counts_as=counts_as, base_code=counts_as.code, order=order)


@transaction.atomic
def update_type(actor: User | None, activity_type: ActivityType, **changes: Any) -> ActivityType:
    if activity_type.org is None:
        raise ValidationError("全国通用类型不能修改")
    _require(actor, activity_type.org)
    return writes.update(actor, activity_type, changes, allowed=TYPE_EDITABLE)


# -- activities -------------------------------------------------------------------------


def _check_links(actor: User | None, org: Org, values: Mapping[str, Any]) -> None:
    """Type, co-organisers, employers and facility must be ones the organiser may use."""
    errors: dict[str, str] = {}
    activity_type = values.get("type")
    if activity_type is not None:
        if not type_usable_at(activity_type, org):
            errors["type"] = f"“{activity_type.name}”是其他工会设立的活动类型，本工会不能使用"
        elif not activity_type.is_active:
            errors["type"] = f"活动类型“{activity_type.name}”已停用"
    scope = Scope.of(actor) if actor is not None else None
    ancestors = {a.pk for a in Org.objects.get_ancestors(org)} if org.depth > 1 else set()
    for co in values.get("co_organisers") or []:
        if co.pk == org.pk:
            errors["co_organisers"] = "主办工会不必再列为协办工会"
        elif scope is not None and co.pk not in ancestors and not scope.allows_org(co, "orgs.view"):
            errors["co_organisers"] = f"协办工会“{co.code}”不在您的管理范围内，也不是本工会的上级工会"
        elif co.dissolved_on is not None and values.get("start_on") and co.dissolved_on <= values["start_on"]:
            errors["co_organisers"] = f"协办工会“{co.name}”在活动开始前已撤销"
    if scope is not None:
        employers = list(values.get("participating_employers") or [])
        if employers:
            visible = set(Scope.of(actor).filter(Employer.objects.filter(pk__in=[e.pk for e in employers]),
                                                 "orgs.view").values_list("pk", flat=True))
            hidden = [e.name for e in employers if e.pk not in visible]
            if hidden:
                errors["participating_employers"] = f"参与单位不在您的管理范围内：{'、'.join(hidden[:3])}"
        facility = values.get("facility")
        if facility is not None and not scope.allows(facility, "facilities.view"):
            errors["facility"] = "所选阵地不在您的管理范围内"
    if errors:
        raise ValidationError(errors)


def _check_training_fields(values: Mapping[str, Any], activity_type: ActivityType | None) -> None:
    if activity_type is None:
        return
    if values.get("hours") and activity_type.base_code not in TRAINING_CODES:
        raise ValidationError({"hours": "只有培训类活动填写学时"})


def _sync_units(activity: Activity) -> None:
    """Units are named (from the register, counted distinct across activities) or only counted, never both."""
    named = activity.participating_employers.count()
    if named and activity.units not in (0, named):
        raise ValidationError({"units": f"已选择参与单位 {named} 家，参与单位数按所选单位计算；"
                                        "如还有未登记的单位，请先在用人单位名录中登记后选择，或不选单位只填数量"})
    if named and activity.units != named:
        Activity.objects.filter(pk=activity.pk).update(units=named)
        activity.units = named


@transaction.atomic
def create_activity(actor: User | None, org: Org, *, materials: Sequence[Mapping[str, Any]] = (),
                    **values: Any) -> Activity:
    """Record an activity organised by ``org`` (and any co-organisers), with the materials handed out."""
    _require(actor, org)
    values.setdefault("end_on", values.get("start_on"))
    _check_links(actor, org, values)
    _check_training_fields(values, values.get("type"))
    activity = writes.create(actor, Activity, org=org, created_by=actor if getattr(actor, "pk", None) else None,
                             **values)
    _sync_units(activity)
    for material in materials:
        create_material_distribution(actor, org, activity=activity, distributed_on=activity.start_on, **material)
    return activity


@transaction.atomic
def update_activity(actor: User | None, activity: Activity, **changes: Any) -> Activity:
    """Edit an activity; only its organiser (not a co-organiser) may."""
    _require(actor, activity.org)
    merged = {"start_on": activity.start_on, **changes}
    _check_links(actor, activity.org, merged)
    _check_training_fields({"hours": changes.get("hours", activity.hours)}, changes.get("type", activity.type))
    if changes.get("headcount_only") and activity.participants.exists():
        raise ValidationError({"headcount_only": "该活动已有参加人员名单，不能改为按签到人数登记；"
                                                 "如需改，请先删除名单"})
    activity = writes.update(actor, activity, changes, allowed=ACTIVITY_EDITABLE)
    _sync_units(activity)
    sessions = activity.sessions
    if activity.participants.filter(attendances__gt=sessions).exists():
        raise ValidationError({"sessions": "有参加人员的参加场次多于活动场次，请先修改参加人员"})
    return activity


@transaction.atomic
def delete_activity(actor: User | None, activity: Activity, *, reason: str = "") -> None:
    """Delete a wrongly entered activity with its participants, results and attachments."""
    _require(actor, activity.org)
    before = audit.snapshot(activity)
    before["participants"] = activity.participants.count()
    files = [a.file.name or "" for a in activity.attachments.all()]
    audit.record(actor, AuditLog.Action.DELETE, activity, before=before, note=reason)
    activity.delete()
    if files:
        from django.core.files.storage import default_storage

        def remove_files() -> None:
            for name in files:
                if name:
                    default_storage.delete(name)

        transaction.on_commit(remove_files)


# -- participants -----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonIn:
    """A person to add: name and resident ID number (the ID gives the identity and the gender),
    or a ``person_id`` of the member registry (whose identity is already checked there)."""

    name: str
    id_number: str
    is_migrant: bool = False
    employer_name: str = ""
    role: str = "participant"
    attendances: int = 1
    certified: bool = False
    reemployed: bool = False
    person_id: int | None = None


def person_key(id_number: str) -> str:
    """The identity of a person for 人 counts: a keyed blind index of the normalised ID number."""
    return blind_index(id_number, PERSON_KEY_PURPOSE)


def normalise_person(person: PersonIn) -> tuple[str, str, str]:
    """(name, normalised ID number, gender) or a ValidationError in Chinese."""
    name = "".join(person.name.split())
    if not (2 <= len(name) <= 30):
        raise ValidationError({"name": f"姓名“{person.name}”不正确"})
    try:
        parsed = parse_id(person.id_number)
    except IdNumberError as exc:
        raise ValidationError({"id_number": f"{name}：{exc.message}"}) from None
    return name, parsed.number, parsed.gender


@transaction.atomic
def add_participants(actor: User | None, activity: Activity, people: Iterable[PersonIn]) -> list[ActivityParticipant]:
    """Add persons to an activity's roster; a person already on it is refused, not counted twice."""
    _require(actor, activity.org)
    if activity.headcount_only:
        raise ValidationError("该活动按签到人数登记，不能再添加人员名单；如已有名单，请先取消“仅有签到人数”")
    existing = set(activity.participants.values_list("person_key", flat=True))
    people = list(people)
    registry = {p.pk: p for p in Person.objects.filter(pk__in=[x.person_id for x in people if x.person_id])}
    rows: list[ActivityParticipant] = []
    for person in people:
        known = registry.get(person.person_id) if person.person_id else None
        if person.person_id and known is None:
            raise ValidationError({"name": f"会员库中没有“{person.name}”"})
        if known is not None:
            name, number, gender, key = known.name, known.id_number, known.gender, known.id_number_bidx
        else:
            name, number, gender = normalise_person(person)
            key = person_key(number)
        if key in existing:
            raise ValidationError({"id_number": f"{name}已在本活动的参加人员名单中"})
        existing.add(key)
        if not (1 <= person.attendances <= activity.sessions):
            raise ValidationError({"attendances": f"{name}的参加场次应在1到{activity.sessions}之间"})
        if (person.certified or person.reemployed) and activity.type.base_code not in TRAINING_CODES:
            raise ValidationError({"certified": "只有培训类活动登记取得证书、再就业情况"})
        row = ActivityParticipant(activity=activity, person_key=key, name=name, id_number=number, gender=gender,
                                  person=known,
                                  is_migrant=person.is_migrant, employer_name=person.employer_name.strip(),
                                  role=person.role, attendances=person.attendances, certified=person.certified,
                                  reemployed=person.reemployed)
        row.full_clean(exclude=["activity", "person_key", "person"])
        rows.append(row)
    # Persons typed in by ID number who are in the member registry are linked to it.
    unlinked = {r.person_key: r for r in rows if r.person is None}
    for person_id, key in Person.objects.filter(id_number_bidx__in=unlinked).values_list("pk", "id_number_bidx"):
        unlinked[key].person_id = person_id
    created = ActivityParticipant.objects.bulk_create(rows)
    for row in ActivityParticipant.objects.filter(activity=activity, person_key__in=[r.person_key for r in rows]):
        audit.record(actor, AuditLog.Action.CREATE, row, org=activity.org, after=audit.snapshot(row))
    return created


@transaction.atomic
def update_participant(actor: User | None, participant: ActivityParticipant, **changes: Any) -> ActivityParticipant:
    activity = participant.activity
    _require(actor, activity.org)
    attendances = changes.get("attendances", participant.attendances)
    if not (1 <= attendances <= activity.sessions):
        raise ValidationError({"attendances": f"参加场次应在1到{activity.sessions}之间"})
    if (changes.get("certified") or changes.get("reemployed")) and activity.type.base_code not in TRAINING_CODES:
        raise ValidationError({"certified": "只有培训类活动登记取得证书、再就业情况"})
    return writes.update(actor, participant, changes, allowed=PARTICIPANT_EDITABLE)


@transaction.atomic
def remove_participant(actor: User | None, participant: ActivityParticipant) -> None:
    _require(actor, participant.activity.org)
    audit.record(actor, AuditLog.Action.DELETE, participant, org=participant.activity.org,
                 before=audit.snapshot(participant))
    participant.delete()


# -- results ----------------------------------------------------------------------------


@transaction.atomic
def add_entry(actor: User | None, activity: Activity, **values: Any) -> ActivityEntry:
    """Record a team's, person's or unit's entry and result in a contest."""
    _require(actor, activity.org)
    entry = writes.create(actor, ActivityEntry, activity=activity, **values)
    _check_team_count(activity)
    return entry


@transaction.atomic
def update_entry(actor: User | None, entry: ActivityEntry, **changes: Any) -> ActivityEntry:
    _require(actor, entry.activity.org)
    entry = writes.update(actor, entry, changes, allowed=ENTRY_EDITABLE)
    _check_team_count(entry.activity)
    return entry


@transaction.atomic
def delete_entry(actor: User | None, entry: ActivityEntry) -> None:
    _require(actor, entry.activity.org)
    audit.record(actor, AuditLog.Action.DELETE, entry, org=entry.activity.org, before=audit.snapshot(entry))
    entry.delete()


def _check_team_count(activity: Activity) -> None:
    """Team entries are the named part of the team count; the count grows to cover them."""
    named = activity.entries.filter(kind="team").count()
    if activity.teams < named:
        Activity.objects.filter(pk=activity.pk).update(teams=named)
        activity.teams = named


# -- attachments ------------------------------------------------------------------------


def sniff(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) recognised from the file's first bytes, or a ValidationError."""
    head = upload.read(16)
    upload.seek(0)
    name = (upload.name or "").lower()
    for signature, content_type, ext in ATTACHMENT_SIGNATURES:
        if head.startswith(signature):
            if content_type == "application/zip":
                suffix = name.rsplit(".", 1)[-1]
                if suffix in OFFICE_TYPES:
                    return OFFICE_TYPES[suffix], suffix
                break
            return content_type, ext
    raise ValidationError({"file": "只能上传 JPG、PNG 图片，PDF，或 Excel、Word（xlsx、docx）文件"})


@transaction.atomic
def add_attachment(actor: User | None, activity: Activity, upload: UploadedFile,
                   kind: str = AttachmentKind.PHOTO) -> ActivityAttachment:
    """Store a photo, sign-in sheet or document under MEDIA_ROOT after checking its size and content."""
    _require(actor, activity.org)
    if not upload.size:
        raise ValidationError({"file": "文件是空的"})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": f"文件不能超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB"})
    content_type, ext = sniff(upload)
    if kind == AttachmentKind.PHOTO and not content_type.startswith("image/"):
        raise ValidationError({"file": "活动照片请上传 JPG 或 PNG 图片"})
    original = (upload.name or f"附件.{ext}").replace("\\", "/").rsplit("/", 1)[-1][:200]
    attachment = ActivityAttachment(activity=activity, kind=kind, token=secrets.token_hex(8), original_name=original,
                                    content_type=content_type, size=upload.size,
                                    uploaded_by=actor if getattr(actor, "pk", None) else None)
    upload.name = f"upload.{ext}"
    attachment.file.save(upload.name, upload, save=False)
    try:  # the file is written before the row: remove it again if the row cannot be saved
        attachment.full_clean()
        attachment.save()
        audit.record(actor, AuditLog.Action.CREATE, attachment, org=activity.org, after=audit.snapshot(attachment))
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def delete_attachment(actor: User | None, attachment: ActivityAttachment) -> None:
    _require(actor, attachment.activity.org)
    name = attachment.file.name or ""
    audit.record(actor, AuditLog.Action.DELETE, attachment, org=attachment.activity.org,
                 before=audit.snapshot(attachment))
    attachment.delete()
    from django.core.files.storage import default_storage

    transaction.on_commit(lambda: default_storage.delete(name))


# -- publicity --------------------------------------------------------------------------


def _check_activity_link(org: Org, activity: Activity | None) -> None:
    if activity is not None and activity.org_id != org.pk:
        raise ValidationError({"activity": "只能关联本工会主办的活动"})


@transaction.atomic
def create_publicity_item(actor: User | None, org: Org, **values: Any) -> PublicityItem:
    """Record a post, report, video or article the union published."""
    _require(actor, org)
    _check_activity_link(org, values.get("activity"))
    return writes.create(actor, PublicityItem, org=org, **values)


@transaction.atomic
def update_publicity_item(actor: User | None, item: PublicityItem, **changes: Any) -> PublicityItem:
    _require(actor, item.org)
    if "activity" in changes:
        _check_activity_link(item.org, changes["activity"])
    return writes.update(actor, item, changes, allowed=PUBLICITY_EDITABLE)


@transaction.atomic
def delete_publicity_item(actor: User | None, item: PublicityItem) -> None:
    _require(actor, item.org)
    audit.record(actor, AuditLog.Action.DELETE, item, before=audit.snapshot(item))
    item.delete()


@transaction.atomic
def create_material_distribution(actor: User | None, org: Org, **values: Any) -> MaterialDistribution:
    """Record printed materials handed out: topic and copies (宣传资料份数)."""
    _require(actor, org)
    _check_activity_link(org, values.get("activity"))
    return writes.create(actor, MaterialDistribution, org=org, **values)


@transaction.atomic
def update_material_distribution(actor: User | None, item: MaterialDistribution,
                                 **changes: Any) -> MaterialDistribution:
    _require(actor, item.org)
    if "activity" in changes:
        _check_activity_link(item.org, changes["activity"])
    return writes.update(actor, item, changes, allowed=MATERIAL_EDITABLE)


@transaction.atomic
def delete_material_distribution(actor: User | None, item: MaterialDistribution) -> None:
    _require(actor, item.org)
    audit.record(actor, AuditLog.Action.DELETE, item, before=audit.snapshot(item))
    item.delete()


# -- associations and periodicals ----------------------------------------------------------------

CLUB_EDITABLE = {"name", "kind", "parent", "founded_on", "dissolved_on", "member_count"}


@transaction.atomic
def create_club(actor: User | None, org: Org, **values: Any) -> Club:
    """Register a workers' cultural or sports association (or a branch of one) at a union."""
    _require(actor, org)
    parent = values.get("parent")
    if parent is not None and actor is not None and not Scope.of(actor).allows(parent, "activities.view") \
            and not org.path.startswith(parent.org.path):
        raise ValidationError({"parent": "所选协会不在您的管理范围内"})
    return writes.create(actor, Club, org=org, **values)


@transaction.atomic
def update_club(actor: User | None, club: Club, **changes: Any) -> Club:
    _require(actor, club.org)
    return writes.update(actor, club, changes, allowed=CLUB_EDITABLE)


@transaction.atomic
def give_subscriptions(actor: User | None, org: Org, recipients: Iterable[Org], *, periodical: str, year: int,
                       copies: int = 1) -> list[Subscription]:
    """Record a periodical a union gives its subunions for a year (赠阅刊物); one row per receiving union."""
    _require(actor, org)
    periodical = periodical.strip().strip("《》")
    rows = []
    for recipient in recipients:
        if Subscription.objects.filter(org=org, recipient=recipient, periodical=periodical, year=year).exists():
            raise ValidationError({"recipients": f"{recipient.name}{year}年已登记赠阅《{periodical}》"})
        rows.append(writes.create(actor, Subscription, org=org, recipient=recipient, periodical=periodical,
                                  year=year, copies=copies))
    return rows


@transaction.atomic
def update_subscription(actor: User | None, subscription: Subscription, **changes: Any) -> Subscription:
    _require(actor, subscription.org)
    return writes.update(actor, subscription, changes, allowed={"copies"})


@transaction.atomic
def delete_subscription(actor: User | None, subscription: Subscription) -> None:
    _require(actor, subscription.org)
    audit.record(actor, AuditLog.Action.DELETE, subscription, before=audit.snapshot(subscription))
    subscription.delete()


# -- 推优入党 ------------------------------------------------------------------------------------

PARTY_EDITABLE = {"recommended_on", "stage", "remarks"}


def _check_recommendation(org: Org, member: Any, stage: str, exclude: int | None = None) -> None:
    if not member.org.path.startswith(org.path):
        raise ValidationError({"member": f"{member.person.name}不是本工会或所属工会的会员，"
                                         "只能推荐本工会及所属工会的会员"})
    same = PartyRecommendation.objects.filter(member=member, stage=stage)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        earlier = same.get().recommended_on
        raise ValidationError({"stage": f"{member.person.name}已于{earlier.year}年{earlier.month}月{earlier.day}日"
                                        "登记过这一阶段，请修改原记录"})


@transaction.atomic
def recommend_to_party(actor: User | None, org: Org, member: Any, **values: Any) -> PartyRecommendation:
    """Record that a union recommended one of its members to the Party (推优入党), at a stage."""
    _require(actor, org)
    _check_recommendation(org, member, values.get("stage", PartyRecommendation._meta.get_field("stage").default))
    return writes.create(actor, PartyRecommendation, org=org, member=member, **values)


@transaction.atomic
def update_party_recommendation(actor: User | None, item: PartyRecommendation,
                                **changes: Any) -> PartyRecommendation:
    _require(actor, item.org)
    if "stage" in changes:
        _check_recommendation(item.org, item.member, changes["stage"], exclude=item.pk)
    return writes.update(actor, item, changes, allowed=PARTY_EDITABLE)


@transaction.atomic
def delete_party_recommendation(actor: User | None, item: PartyRecommendation) -> None:
    _require(actor, item.org)
    audit.record(actor, AuditLog.Action.DELETE, item, before=audit.snapshot(item))
    item.delete()
