"""Every write on people, memberships, membership changes and transfers (validated, audited)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gonghui.core import audit, writes
from gonghui.core.idnumber import IdNumberError
from gonghui.core.idnumber import parse as parse_id
from gonghui.core.models import AuditLog, User
from gonghui.core.scope import Scope
from gonghui.members import normalise, tally, vocab
from gonghui.members.importers import MAX_AGE, MIN_AGE, MemberImport, ReadError, id_bidx, mobile_bidx
from gonghui.members.models import (
    STATUS_AFTER,
    ChangeType,
    ImportJob,
    ImportStatus,
    Member,
    MembershipChange,
    MemberStatus,
    NewGroup,
    Person,
    TransferRequest,
    TransferStatus,
)
from gonghui.orgs.models import Employer, Org

logger = logging.getLogger(__name__)

PERSON_EDITABLE = {"name", "gender", "birth_date", "ethnicity", "employment_status", "education", "skill_level",
                   "mobile", "household_type", "household_place", "political_status", "native_place"}
MEMBER_EDITABLE = {"employer", "employer_name", "card_no", "is_migrant", "new_group", "dues_base", "dues_paid_until",
                   "realname_entered_on"}
# Which changes a membership in a given state can take (service-level rules; the import
# records history as given and derives the state from it).
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    ChangeType.RETAIN: (MemberStatus.ACTIVE,),
    ChangeType.RESTORE: (MemberStatus.RETAINED,),
    ChangeType.LEAVE: (MemberStatus.ACTIVE, MemberStatus.RETAINED),
    ChangeType.EXPEL: (MemberStatus.ACTIVE, MemberStatus.RETAINED),
}


def _require(actor: User | None, obj_or_org: Any, cap: str) -> None:
    if actor is None:
        return
    scope = Scope.of(actor)
    if isinstance(obj_or_org, Org):
        scope.require_org(obj_or_org, cap)
    else:
        scope.require(obj_or_org, cap)


def _clean_identity(id_type: str, raw: str, *, today: dt.date) -> tuple[str, dt.date | None, str]:
    """(normalised number, birth date, gender) or ValidationError with the import's message."""
    text = normalise.text(raw).replace(" ", "")
    if not text:
        raise ValidationError({"id_number": "请填写证件号码"})
    if id_type != "resident_id":
        if id_type not in vocab.choices("id_type"):
            raise ValidationError({"id_type": "证件类别不在字典中"})
        return text.upper(), None, ""
    try:
        parsed = parse_id(text)
    except IdNumberError as exc:
        raise ValidationError({"id_number": exc.message}) from None
    b = parsed.birth_date
    age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationError({"id_number": f"按证件号码计算年龄为{age}岁，会员年龄应在{MIN_AGE}至{MAX_AGE}岁之间"})
    return parsed.number, parsed.birth_date, parsed.gender


def _clean_person_values(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if out.get("name") is not None:
        out["name"] = normalise.text(out["name"])
        if not normalise.name_ok(out["name"]):
            raise ValidationError({"name": "姓名应为2至50个汉字或字母，不能含数字和符号"})
    if out.get("mobile"):
        phone = normalise.phone(normalise.text(out["mobile"]))
        if phone is None:
            raise ValidationError({"mobile": "移动电话应为13至19开头的11位手机号"})
        out["mobile"] = phone
    if "mobile" in out:
        out["mobile_bidx"] = mobile_bidx(out["mobile"] or "")
    if out.get("ethnicity"):
        eth = vocab.normalise_ethnicity(normalise.text(out["ethnicity"]))
        if eth is None:
            raise ValidationError({"ethnicity": "民族应为56个民族之一，如“汉族”"})
        out["ethnicity"] = eth
    for kind in ("employment_status", "education", "skill_level", "household_type", "political_status"):
        if out.get(kind) and out[kind] not in vocab.choices(kind):
            raise ValidationError({kind: f"{vocab.header(kind)}不在字典中"})
    return out


def employers_q(org: Org) -> Q:
    """Employers registered in the union's area or covered by a union of its subtree."""
    return Q(org__path__startswith=org.path) | Q(covering_unions__path__startswith=org.path)


def _employer_in_area(org: Org, employer: Employer | None) -> None:
    if employer is not None and not Employer.objects.filter(employers_q(org), pk=employer.pk).exists():
        raise ValidationError({"employer": "所选用人单位不在本工会的登记或涵盖范围内"})


@transaction.atomic
def join_member(actor: User | None, org: Org, *, id_number: str, name: str, joined_on: dt.date,
                id_type: str = "resident_id", reason: str = "", employer: Employer | None = None,
                employer_name: str = "", is_migrant: bool = False, new_group: str = "", card_no: str = "",
                dues_base: Decimal | None = None, **person_values: Any) -> Member:
    """Admit a person to a union (入会): creates or updates the Person, opens the membership."""
    _require(actor, org, "members.edit")
    if org.dissolved_on is not None:
        raise ValidationError(f"“{org.name}”已撤销，不能再发展会员")
    today = dt.date.today()
    number, birth, gender = _clean_identity(id_type, id_number, today=today)
    if joined_on > today:
        raise ValidationError({"joined_on": "入会日期不能晚于今天"})
    if birth and joined_on < birth:
        raise ValidationError({"joined_on": "入会日期不能早于出生日期"})
    if new_group and new_group not in NewGroup.values:
        raise ValidationError({"new_group": "新就业形态群体不在列表中"})
    values = _clean_person_values({"name": name, **person_values})
    if birth:
        if values.get("gender") and values["gender"] != gender:
            raise ValidationError({"gender": "性别与证件号码不符"})
        if values.get("birth_date") and values["birth_date"] != birth:
            raise ValidationError({"birth_date": "出生日期与证件号码不一致"})
        values["gender"], values["birth_date"] = gender, birth
    _employer_in_area(org, employer)
    bidx = id_bidx(number)
    person = Person.objects.filter(id_number_bidx=bidx).first()
    with tally.tracking([person.pk] if person is not None else []) as people:
        member = _admit(actor, org, person, values, id_type=id_type, number=number, bidx=bidx, joined_on=joined_on,
                        reason=reason, employer=employer, employer_name=employer_name, is_migrant=is_migrant,
                        new_group=new_group, card_no=card_no, dues_base=dues_base, today=today)
        people.add(member.person_id)
    return member


def _admit(actor: User | None, org: Org, person: Person | None, values: dict[str, Any], *, id_type: str, number: str,
           bidx: str, joined_on: dt.date, reason: str, employer: Employer | None, employer_name: str,
           is_migrant: bool, new_group: str, card_no: str, dues_base: Decimal | None, today: dt.date) -> Member:
    if person is not None:
        current = person.memberships.exclude(status=MemberStatus.LEFT).select_related("org").first()
        if current is not None:
            raise ValidationError({"id_number": f"此人已是“{current.org.name}”的会员，不能重复入会；"
                                                "如需调动请由该工会办理转会"})
        changes = {k: v for k, v in values.items() if k in PERSON_EDITABLE and getattr(person, k) != v}
        if changes:
            writes.update(actor, person, changes, allowed=PERSON_EDITABLE)
            if "mobile" in changes:
                Person.objects.filter(pk=person.pk).update(mobile_bidx=values["mobile_bidx"])
    else:
        person = writes.create(actor, Person, id_type=id_type, id_number=number, id_number_bidx=bidx, **values)
    member = writes.create(
        actor, Member, person=person, org=org, employer=employer,
        employer_name=employer_name or (employer.name if employer else ""), card_no=card_no, joined_on=joined_on,
        status=MemberStatus.ACTIVE, is_migrant=is_migrant, new_group=new_group, dues_base=dues_base,
        realname_entered_on=today, note=reason,
    )
    MembershipChange.objects.create(member=member, org=org, change_type=ChangeType.JOIN, changed_on=joined_on,
                                    reason=reason)
    return member


@transaction.atomic
def update_member(actor: User | None, member: Member, **changes: Any) -> Member:
    """Edit a membership's own fields (employer, card, flags, dues)."""
    _require(actor, member, "members.edit")
    if "new_group" in changes and changes["new_group"] and changes["new_group"] not in NewGroup.values:
        raise ValidationError({"new_group": "新就业形态群体不在列表中"})
    if changes.get("card_no"):
        clash = Member.objects.filter(card_no=changes["card_no"]).exclude(pk=member.pk).first()
        if clash is not None:
            raise ValidationError({"card_no": "该会员证号已被使用"})
    if "employer" in changes:
        _employer_in_area(member.org, changes["employer"])
        if changes["employer"] is not None and not changes.get("employer_name"):
            changes["employer_name"] = changes["employer"].name
    return writes.update(actor, member, changes, allowed=MEMBER_EDITABLE)


@transaction.atomic
def update_person(actor: User | None, member: Member, **changes: Any) -> Person:
    """Edit the identity record of a member (the ID number itself never changes)."""
    _require(actor, member, "members.edit")
    person = member.person
    values = _clean_person_values(changes)
    bidx = values.pop("mobile_bidx", None)
    if person.id_type == "resident_id":
        values.pop("gender", None)
        values.pop("birth_date", None)  # they come from the ID number
    person = writes.update(actor, person, values, allowed=PERSON_EDITABLE)
    if bidx is not None and bidx != person.mobile_bidx:
        Person.objects.filter(pk=person.pk).update(mobile_bidx=bidx)
        person.mobile_bidx = bidx
    return person


def _latest(member: Member) -> MembershipChange | None:
    return member.changes.order_by("-changed_on", "-id").first()


def _check_date(member: Member, on: dt.date) -> None:
    if on > dt.date.today():
        raise ValidationError({"on": "日期不能晚于今天"})
    latest = _latest(member)
    if latest is not None and on < latest.changed_on:
        raise ValidationError({"on": f"日期不能早于上一次会籍变化（{latest.changed_on:%Y-%m-%d} "
                                     f"{latest.get_change_type_display()}）"})


@transaction.atomic
def change_membership(actor: User | None, member: Member, change_type: str, *, on: dt.date,
                      reason: str = "") -> Member:
    """保留会籍, 恢复会籍, 退会 or 除名: record the dated event and the state it leads to."""
    _require(actor, member, "members.edit")
    member = Member.objects.select_for_update().get(pk=member.pk)
    allowed = ALLOWED_FROM.get(change_type)
    if allowed is None:
        raise ValidationError({"change_type": "此处只能办理保留会籍、恢复会籍、退会或除名；转会请使用转会办理"})
    if member.status not in allowed:
        raise ValidationError(f"会员当前为“{member.get_status_display()}”，不能办理"
                              f"“{ChangeType(change_type).label}”")
    if change_type == ChangeType.EXPEL and not reason.strip():
        raise ValidationError({"reason": "除名须填写原因（如处理决定文号）"})
    if change_type == ChangeType.RETAIN and not reason.strip():
        raise ValidationError({"reason": "请填写保留会籍的原因（如退休、失业、离岗）"})
    _check_date(member, on)
    before = audit.snapshot(member, ["status", "left_on"])
    member.status = STATUS_AFTER[change_type]
    member.left_on = on if member.status == MemberStatus.LEFT else None
    with tally.tracking([member.person_id]):
        member.save(update_fields=["status", "left_on", "updated_at"])
        MembershipChange.objects.create(member=member, org=member.org, change_type=change_type, changed_on=on,
                                        reason=reason)
    audit.record(actor, AuditLog.Action.UPDATE, member, before=before,
                 after={**audit.snapshot(member, ["status", "left_on"]), "change_type": change_type,
                        "changed_on": on.isoformat()}, note=reason or ChangeType(change_type).label)
    return member


@transaction.atomic
def record_dues(actor: User | None, member: Member, *, paid_until: dt.date) -> Member:
    """Record up to which month the member's dues are paid (会费缴至)."""
    _require(actor, member, "members.edit")
    return writes.update(actor, member, {"dues_paid_until": paid_until}, allowed=MEMBER_EDITABLE,
                         note="登记会费缴纳")


# -- transfers ----------------------------------------------------------------------------


@transaction.atomic
def request_transfer(actor: User | None, member: Member, to_org: Org, *, on: dt.date, reason: str,
                     new_employer_name: str = "") -> TransferRequest:
    """The releasing union starts a transfer (转出); the receiving union must confirm it."""
    _require(actor, member, "members.edit")
    if member.status == MemberStatus.LEFT:
        raise ValidationError("该会员已离会，不能转会")
    if to_org.pk == member.org_id:
        raise ValidationError({"to_org": "转入工会不能与当前工会相同"})
    if to_org.dissolved_on is not None:
        raise ValidationError({"to_org": f"“{to_org.name}”已撤销，不能接收会员"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写转会原因（如工作调动）"})
    if TransferRequest.objects.filter(member=member, status=TransferStatus.PENDING).exists():
        raise ValidationError("该会员已有待接收的转会申请")
    _check_date(member, on)
    transfer = TransferRequest(member=member, from_org_id=member.org_id, to_org=to_org, transfer_on=on,
                               reason=reason, new_employer_name=new_employer_name,
                               requested_by=actor if getattr(actor, "pk", None) else None)
    transfer.full_clean()
    transfer.save()
    audit.record(actor, AuditLog.Action.CREATE, transfer, org=member.org, after=audit.snapshot(transfer),
                 note=f"发起转会：转入{to_org.name}")
    return transfer


def _decide(actor: User | None, transfer: TransferRequest, side: str) -> TransferRequest:
    transfer = TransferRequest.objects.select_for_update().select_related("member", "to_org", "from_org").get(
        pk=transfer.pk)
    if actor is not None:
        scope = Scope.of(actor)
        if not scope.allows(transfer, "members.view"):
            from gonghui.core.scope import NotFound

            raise NotFound()
        org = transfer.to_org if side == "to" else transfer.from_org
        if not scope.allows_org(org, "members.edit"):
            raise PermissionDenied("只有" + ("转入" if side == "to" else "转出") + "工会才能办理这一步")
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(f"该转会申请已{transfer.get_status_display()}，不能再办理")
    return transfer


@transaction.atomic
def accept_transfer(actor: User | None, transfer: TransferRequest, *, note: str = "") -> Member:
    """The receiving union confirms: transfer_out at the old union, a new membership with transfer_in."""
    transfer = _decide(actor, transfer, "to")
    old = Member.objects.select_for_update().get(pk=transfer.member_id)
    if old.status == MemberStatus.LEFT:
        raise ValidationError("该会员已离会，转会不能完成")
    with tally.tracking([old.person_id]):
        return _accept(actor, transfer, old, note)


def _accept(actor: User | None, transfer: TransferRequest, old: Member, note: str) -> Member:
    on = transfer.transfer_on
    card_no = old.card_no
    old.status, old.left_on, old.card_no = MemberStatus.LEFT, on, ""
    old.save(update_fields=["status", "left_on", "card_no", "updated_at"])
    MembershipChange.objects.create(member=old, org=old.org, change_type=ChangeType.TRANSFER_OUT, changed_on=on,
                                    reason=transfer.reason, counterpart=transfer.to_org, transfer=transfer)
    new = Member.objects.create(
        person=old.person, org=transfer.to_org, employer=None,
        employer_name=transfer.new_employer_name or old.employer_name, card_no=card_no,
        joined_on=old.joined_on, status=MemberStatus.ACTIVE, is_migrant=old.is_migrant, new_group=old.new_group,
        realname_entered_on=old.realname_entered_on, dues_base=old.dues_base, dues_paid_until=old.dues_paid_until,
    )
    MembershipChange.objects.create(member=new, org=transfer.to_org, change_type=ChangeType.TRANSFER_IN,
                                    changed_on=on, reason=transfer.reason, counterpart=transfer.from_org,
                                    transfer=transfer)
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by = actor if getattr(actor, "pk", None) else None
    transfer.decided_at = timezone.now()
    transfer.decision_note = note
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, AuditLog.Action.UPDATE, transfer, org=transfer.to_org,
                 before={"status": TransferStatus.PENDING}, after={"status": TransferStatus.ACCEPTED,
                                                                  "new_member": new.pk}, note=note or "接收转入会员")
    audit.record(actor, AuditLog.Action.CREATE, new, after=audit.snapshot(new), note=f"转入自{transfer.from_org.name}")
    return new


@transaction.atomic
def reject_transfer(actor: User | None, transfer: TransferRequest, *, note: str) -> TransferRequest:
    """The receiving union declines; the member stays where they are."""
    transfer = _decide(actor, transfer, "to")
    if not note.strip():
        raise ValidationError({"note": "请填写退回原因"})
    return _close(actor, transfer, TransferStatus.REJECTED, note)


@transaction.atomic
def cancel_transfer(actor: User | None, transfer: TransferRequest, *, note: str = "") -> TransferRequest:
    """The releasing union withdraws a transfer that has not been confirmed yet."""
    transfer = _decide(actor, transfer, "from")
    return _close(actor, transfer, TransferStatus.CANCELLED, note)


def _close(actor: User | None, transfer: TransferRequest, status: str, note: str) -> TransferRequest:
    transfer.status = status
    transfer.decided_by = actor if getattr(actor, "pk", None) else None
    transfer.decided_at = timezone.now()
    transfer.decision_note = note
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, AuditLog.Action.UPDATE, transfer, before={"status": TransferStatus.PENDING},
                 after={"status": status}, note=note)
    return transfer


# -- personal data --------------------------------------------------------------------------


@transaction.atomic
def reveal(actor: User | None, member: Member, *, channel: str = "页面") -> dict[str, str]:
    """Full ID number and phone, for a role with ``members.pii``; writes the ``reveal`` audit row."""
    if actor is not None:
        Scope.of(actor).require(member, "members.pii")
    person = member.person
    audit.record(actor, AuditLog.Action.REVEAL, member, object_repr=str(member),
                 note=f"查看完整证件号码和手机号（{channel}）")
    return {"id_number": person.id_number, "mobile": person.mobile}


def can_reveal(actor: User | None, member: Member) -> bool:
    return actor is None or Scope.of(actor).allows(member, "members.pii")


# -- staged web import: upload → check (preview) → commit in the background ---------------------


def _job_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports" / "work"
    path.mkdir(parents=True, exist_ok=True)
    return path


def errors_path(job: ImportJob) -> Path:
    """Where the job's error workbook (rejected rows + 错误原因) is written."""
    return _job_dir() / f"job-{job.pk}-errors.xlsx"


def progress_path(job: ImportJob) -> Path:
    return _job_dir() / f"job-{job.pk}-progress.json"


def _discard_upload(job: ImportJob) -> None:
    """The uploaded file holds personal data in clear: it is deleted once it is no longer needed
    (imported, or unreadable). The error workbook keeps only the rejected rows."""
    if job.file:
        job.file.delete(save=False)


def read_progress(job: ImportJob) -> dict[str, int]:
    """{done, total} rows of a running import (written by the worker outside its transaction)."""
    try:
        return json.loads(progress_path(job).read_text())
    except (OSError, ValueError):
        return {"done": 0, "total": job.rows or 0}


def _write_progress(job: ImportJob, done: int, total: int) -> None:
    target = progress_path(job)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}))
    os.replace(tmp, target)


@transaction.atomic
def upload_import(actor: User | None, org: Org, uploaded: Any, *, skip_invalid: bool = False) -> ImportJob:
    """Store an uploaded member file and check it (a dry run: counts, errors, what will change)."""
    _require(actor, org, "members.edit")
    if org.dissolved_on is not None:
        raise ValidationError(f"“{org.name}”已撤销，不能再导入会员")
    job = ImportJob(org=org, created_by=actor if getattr(actor, "pk", None) else None,
                    original_name=Path(getattr(uploaded, "name", "members.xlsx")).name[:200],
                    skip_invalid=skip_invalid, status=ImportStatus.CHECKING)
    job.file.save(f"members-{org.code}{Path(job.original_name).suffix.lower()}", uploaded, save=False)
    job.save()
    audit.record(actor, AuditLog.Action.CREATE, job, after={"file": job.original_name}, note="上传会员导入文件")
    _check(job)
    return job


def _check(job: ImportJob) -> None:
    try:
        result = MemberImport(job.org, dry_run=True, errors_path=errors_path(job)).run(
            job.file.path, job.original_name)
    except ReadError as exc:
        job.status, job.message = ImportStatus.INVALID, str(exc)
        _discard_upload(job)
    else:
        job.status = ImportStatus.CHECKED
        job.rows, job.created, job.updated = result.rows, result.created, result.updated
        job.unchanged, job.rejected = result.unchanged, result.rejected
        job.errors = [e.as_dict() for e in result.errors[:500]]
        job.preview = result.samples
        job.message = ""
    job.save()


@transaction.atomic
def commit_import(actor: User | None, job: ImportJob) -> ImportJob:
    """Queue a checked import for the background worker."""
    _require(actor, job, "members.edit")
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(f"该导入当前状态为“{job.get_status_display()}”，不能再次提交")
    if job.rejected and not job.skip_invalid:
        raise ValidationError("文件中有误的行：请下载错误工作簿改正后重新上传，或选择“跳过有误的行”")
    job.status = ImportStatus.QUEUED
    job.committed_at = timezone.now()
    job.save(update_fields=["status", "committed_at"])
    _write_progress(job, 0, job.rows)
    audit.record(actor, AuditLog.Action.UPDATE, job, before={"status": ImportStatus.CHECKED},
                 after={"status": ImportStatus.QUEUED}, note="确认导入")
    from gonghui.members.tasks import run_import

    def enqueue() -> None:
        result = run_import.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


def execute_import(job_id: int) -> ImportJob:
    """The background part: the import in one transaction, progress written beside the file."""
    job = ImportJob.objects.select_related("org", "created_by").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    try:
        result = MemberImport(job.org, actor=job.created_by, skip_invalid=job.skip_invalid,
                              errors_path=errors_path(job),
                              progress=lambda done, total: _write_progress(job, done, total),
                              note=f"网页导入 {job.original_name}").run(job.file.path, job.original_name)
    except Exception as exc:  # the import rolled back; say so on the job
        logger.exception("member import %s failed", job.pk)
        job.status, job.message = ImportStatus.FAILED, f"导入失败，数据库未做任何修改：{exc}"
    else:
        job.rows, job.created, job.updated = result.rows, result.created, result.updated
        job.unchanged, job.rejected = result.unchanged, result.rejected
        job.errors = [e.as_dict() for e in result.errors[:500]]
        if result.written:
            job.status, job.message = ImportStatus.DONE, ""
            _discard_upload(job)
        else:
            job.status = ImportStatus.FAILED
            job.message = "数据在检查后发生了变化，出现有误的行，本次没有写入任何数据；请重新上传"
    job.finished_at = timezone.now()
    job.save()
    return job
