"""Every write on the union tree, committees, officers and employers."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gonghui.core import audit, writes
from gonghui.core.models import AuditLog, User
from gonghui.core.scope import Scope
from gonghui.core.uscc import UsccError
from gonghui.core.uscc import validate as validate_uscc
from gonghui.orgs.models import Committee, Employer, Officer, Org, OrgEvent, OrgKind, OrgMode

ORG_EDITABLE = {
    "name", "kind", "level", "mode", "joint_type", "covered_workers", "region_code", "address",
    "founded_on", "reelected_on", "term_years", "realname_complete", "has_own_account",
    "account_opened_on", "central_accounting", "covered_entities",
}
EMPLOYER_EDITABLE = {
    "name", "uscc", "industry", "trades", "ownership", "headcount", "female_headcount", "is_small_micro",
    "above_scale", "new_sector", "region_code", "address", "contact_name", "established_on", "closed_on",
}
OFFICER_EDITABLE = {
    "committee", "role", "name", "gender", "mobile", "full_time", "is_social_worker", "by_election",
    "started_on", "ended_on",
}


def _check_org_shape(values: dict[str, Any]) -> None:
    kind, mode = values.get("kind"), values.get("mode")
    if kind == OrgKind.GRASSROOTS and not mode:
        values["mode"] = OrgMode.SINGLE
    if kind != OrgKind.GRASSROOTS and mode:
        raise ValidationError({"mode": "只有基层工会才区分单独建会和联合建会"})
    if values.get("joint_type") and values.get("mode") != OrgMode.JOINT:
        raise ValidationError({"joint_type": "只有联合基层工会才填写联合工会类型"})


@transaction.atomic
def create_org(actor: User | None, parent: Org | None, *, note: str = "", **values: Any) -> Org:
    """Found a union under ``parent`` (``None`` only for the root federation)."""
    if parent is None:
        if actor is not None or Org.objects.get_root_nodes().exists():
            raise ValidationError("只能有一个顶级工会，新工会必须指定上级工会")
    elif actor is not None:
        Scope.of(actor).require_org(parent, "orgs.edit")
    covered = values.pop("covered_entities", None)
    _check_org_shape(values)
    if Org.objects.filter(code=values.get("code", "")).exists():
        raise ValidationError({"code": f"工会代码“{values['code']}”已被使用，代码不能重复"})
    org = Org(**values)
    org.term_ends_on = org.compute_term_ends_on()
    org.full_clean(exclude=["path", "depth", "numchild", "covered_entities"])
    org = Org.objects.add_root(instance=org) if parent is None else Org.objects.add_child(parent, instance=org)
    if covered:
        org.covered_entities.set(covered)
    OrgEvent.objects.create(org=org, kind=OrgEvent.Kind.FOUNDED, occurred_on=org.founded_on,
                            to_parent=parent, note=note)
    if org.reelected_on:
        OrgEvent.objects.create(org=org, kind=OrgEvent.Kind.REELECTED, occurred_on=org.reelected_on)
    audit.record(actor, AuditLog.Action.CREATE, org, after=audit.snapshot(org), note=note)
    return org


@transaction.atomic
def update_org(actor: User | None, org: Org, **changes: Any) -> Org:
    """Edit a union's record; renames and re-elections are also kept as dated events."""
    if actor is not None:
        Scope.of(actor).require_org(org, "orgs.edit")
    shape = {k: changes.get(k, getattr(org, k)) for k in ("kind", "mode", "joint_type")}
    _check_org_shape(shape)
    if shape["mode"] != org.mode:
        changes["mode"] = shape["mode"]
    old_name, old_reelected = org.name, org.reelected_on
    org = writes.update(actor, org, changes, allowed=ORG_EDITABLE)
    term_end = org.compute_term_ends_on()
    if term_end != org.term_ends_on:
        Org.objects.filter(pk=org.pk).update(term_ends_on=term_end)
        org.term_ends_on = term_end
    today = dt.date.today()
    if org.name != old_name:
        OrgEvent.objects.create(org=org, kind=OrgEvent.Kind.RENAMED, occurred_on=today, old_name=old_name)
    if org.reelected_on and org.reelected_on != old_reelected:
        OrgEvent.objects.create(org=org, kind=OrgEvent.Kind.REELECTED, occurred_on=org.reelected_on)
    return org


# Summaries kept per subtree by other apps (members.tally) follow a move: each hook wraps it.
MOVE_HOOKS: list[Callable[[Org], contextlib.AbstractContextManager[Any]]] = []


@transaction.atomic
def move_org(actor: User | None, org: Org, new_parent: Org, *, on: dt.date, note: str = "") -> Org:
    """Put a union under another parent from a date; the old parent is kept in the event."""
    if actor is not None:
        scope = Scope.of(actor)
        scope.require_org(org, "orgs.edit")
        scope.require_org(new_parent, "orgs.edit")
    old_parent = Org.objects.get_parent(org)
    if old_parent is None:
        raise ValidationError("顶级工会不能调整隶属关系")
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        raise ValidationError({"new_parent": "不能把工会调整到它自己或它的下级工会之下"})
    if old_parent.pk == new_parent.pk:
        raise ValidationError({"new_parent": "新的上级工会与原上级工会相同"})
    if new_parent.dissolved_on is not None:
        raise ValidationError({"new_parent": f"“{new_parent.name}”已撤销，不能作为上级工会"})
    with contextlib.ExitStack() as hooks:
        for hook in MOVE_HOOKS:
            hooks.enter_context(hook(org))
        Org.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    OrgEvent.objects.create(org=org, kind=OrgEvent.Kind.MOVED, occurred_on=on, from_parent=old_parent,
                            to_parent=new_parent, note=note)
    audit.record(actor, AuditLog.Action.MOVE, org, before={"parent": old_parent.code},
                 after={"parent": new_parent.code, "moved_on": on.isoformat()}, note=note)
    return org


@transaction.atomic
def dissolve_org(actor: User | None, org: Org, *, on: dt.date, reason: str) -> Org:
    """Dissolve (撤销) a union from a date; its active sub-unions must be moved or dissolved first."""
    if actor is not None:
        Scope.of(actor).require_org(org, "orgs.edit")
    if org.is_root():
        raise ValidationError("顶级工会不能撤销")
    if org.dissolved_on is not None:
        raise ValidationError(f"该工会已于 {org.dissolved_on:%Y年%m月%d日} 撤销")
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤销原因"})
    active_children = Org.objects.get_children(org).filter(dissolved_on__isnull=True)
    if active_children.exists():
        names = "、".join(active_children.values_list("name", flat=True)[:5])
        raise ValidationError(f"请先调整或撤销其下属工会：{names}")
    if on < org.founded_on:
        raise ValidationError({"on": "撤销日期不能早于成立日期"})
    before = audit.snapshot(org, ["dissolved_on"])
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on", "updated_at"])
    OrgEvent.objects.create(org=org, kind=OrgEvent.Kind.DISSOLVED, occurred_on=on, note=reason)
    audit.record(actor, AuditLog.Action.DISSOLVE, org, before=before,
                 after=audit.snapshot(org, ["dissolved_on"]), note=reason)
    return org


# -- committees and officers ------------------------------------------------------------


@transaction.atomic
def create_committee(actor: User | None, org: Org, **values: Any) -> Committee:
    if actor is not None:
        Scope.of(actor).require_org(org, "orgs.edit")
    return writes.create(actor, Committee, org=org, **values)


COMMITTEE_EDITABLE = {"kind", "elected_on", "term_ends_on", "dissolved_on"}


@transaction.atomic
def update_committee(actor: User | None, committee: Committee, **changes: Any) -> Committee:
    if actor is not None:
        Scope.of(actor).require(committee, "orgs.edit")
    return writes.update(actor, committee, changes, allowed=COMMITTEE_EDITABLE)


@transaction.atomic
def add_officer(actor: User | None, org: Org, **values: Any) -> Officer:
    """Record a person taking a post at a union."""
    if actor is not None:
        Scope.of(actor).require_org(org, "orgs.edit")
    committee = values.get("committee")
    if committee is not None and committee.org_id != org.pk:
        raise ValidationError({"committee": "所选委员会不属于该工会"})
    return writes.create(actor, Officer, org=org, **values)


@transaction.atomic
def update_officer(actor: User | None, officer: Officer, **changes: Any) -> Officer:
    if actor is not None:
        Scope.of(actor).require(officer, "orgs.edit")
    if officer.ended_on is None and changes.get("ended_on") and changes["ended_on"] < officer.started_on:
        raise ValidationError({"ended_on": "离任日期不能早于任职日期"})
    return writes.update(actor, officer, changes, allowed=OFFICER_EDITABLE)


# -- employers ------------------------------------------------------------------------


def _clean_uscc(values: dict[str, Any], exclude_pk: int | None = None) -> None:
    raw = values.get("uscc")
    if not raw:
        return
    try:
        values["uscc"] = validate_uscc(raw)
    except UsccError as exc:
        raise ValidationError({"uscc": str(exc)}) from None
    clash = Employer.objects.filter(uscc=values["uscc"]).exclude(pk=exclude_pk or 0).first()
    if clash is not None:
        raise ValidationError({"uscc": f"统一社会信用代码已登记在“{clash.name}”名下，同一单位只能登记一次"})


@transaction.atomic
def create_employer(actor: User | None, org: Org, **values: Any) -> Employer:
    """Register an employer in a union's area."""
    if actor is not None:
        Scope.of(actor).require_org(org, "orgs.edit")
    _clean_uscc(values)
    return writes.create(actor, Employer, org=org, **values)


@transaction.atomic
def update_employer(actor: User | None, employer: Employer, **changes: Any) -> Employer:
    if actor is not None:
        Scope.of(actor).require(employer, "orgs.edit")
    _clean_uscc(changes, exclude_pk=employer.pk)
    return writes.update(actor, employer, changes, allowed=EMPLOYER_EDITABLE)
