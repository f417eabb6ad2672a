"""Every write on facilities (阵地), their recognitions and grants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gonghui.core import audit, writes
from gonghui.core.models import AuditLog, User
from gonghui.core.scope import Scope
from gonghui.facilities.models import Facility, FacilityGrant, FacilityRecognition
from gonghui.orgs.models import Employer, Org

FACILITY_EDITABLE = {
    "type", "name", "address", "employer", "opened_on", "closed_on", "with_service_station", "area_sqm", "services",
    "opening_hours", "books", "description",
}
RECOGNITION_EDITABLE = {"title", "level", "recognised_on", "awarded_by", "document_no", "revoked_on"}
GRANT_EDITABLE = {"granted_on", "granted_by", "amount", "books", "purpose"}


def _require(actor: User | None, org: Org) -> None:
    if actor is not None:
        Scope.of(actor).require_org(org, "facilities.edit")


def _check_employer(actor: User | None, employer: Employer | None) -> None:
    if actor is not None and employer is not None and not Scope.of(actor).allows(employer, "orgs.view"):
        raise ValidationError({"employer": "所选单位不在您的管理范围内"})


@transaction.atomic
def create_facility(actor: User | None, org: Org, **values: Any) -> Facility:
    """Register a premises or service point run by ``org``."""
    _require(actor, org)
    _check_employer(actor, values.get("employer"))
    return writes.create(actor, Facility, org=org, **values)


@transaction.atomic
def update_facility(actor: User | None, facility: Facility, **changes: Any) -> Facility:
    _require(actor, facility.org)
    if "employer" in changes:
        _check_employer(actor, changes["employer"])
    if "type" in changes and changes["type"] != facility.type and facility.recognitions.exists():
        raise ValidationError({"type": "该阵地已有命名记录，不能更改类别"})
    return writes.update(actor, facility, changes, allowed=FACILITY_EDITABLE)


@transaction.atomic
def close_facility(actor: User | None, facility: Facility, *, on: dt.date, reason: str) -> Facility:
    """Record that a facility stopped operating; it stays in the registry with its history."""
    _require(actor, facility.org)
    if facility.closed_on is not None:
        raise ValidationError(f"该阵地已于 {facility.closed_on:%Y年%m月%d日} 停用")
    if not reason.strip():
        raise ValidationError({"reason": "请填写停用原因"})
    return writes.update(actor, facility, {"closed_on": on}, allowed={"closed_on"}, note=reason)


@transaction.atomic
def add_recognition(actor: User | None, facility: Facility, **values: Any) -> FacilityRecognition:
    """Record a dated award of a facility at a level (模范职工之家 …)."""
    _require(actor, facility.org)
    if FacilityRecognition.objects.filter(facility=facility, title=values.get("title"),
                                          level=values.get("level")).exists():
        raise ValidationError({"level": "该阵地已登记过同一级别的这一命名"})
    return writes.create(actor, FacilityRecognition, facility=facility, **values)


@transaction.atomic
def update_recognition(actor: User | None, recognition: FacilityRecognition, **changes: Any) -> FacilityRecognition:
    _require(actor, recognition.facility.org)
    return writes.update(actor, recognition, changes, allowed=RECOGNITION_EDITABLE)


@transaction.atomic
def add_grant(actor: User | None, facility: Facility, **values: Any) -> FacilityGrant:
    """Record money or books given to a facility; the giving union is one the actor may act for."""
    _require(actor, facility.org)
    granted_by = values.get("granted_by")
    if actor is not None and granted_by is not None:
        ancestors_or_self = facility.org.path.startswith(granted_by.path)
        if not ancestors_or_self and not Scope.of(actor).allows_org(granted_by, "facilities.edit"):
            raise ValidationError({"granted_by": "拨付工会应为该阵地的建设工会或其上级工会"})
    return writes.create(actor, FacilityGrant, facility=facility, **values)


@transaction.atomic
def update_grant(actor: User | None, grant: FacilityGrant, **changes: Any) -> FacilityGrant:
    _require(actor, grant.facility.org)
    return writes.update(actor, grant, changes, allowed=GRANT_EDITABLE)


@transaction.atomic
def delete_grant(actor: User | None, grant: FacilityGrant) -> None:
    _require(actor, grant.facility.org)
    audit.record(actor, AuditLog.Action.DELETE, grant, org=grant.facility.org, before=audit.snapshot(grant))
    grant.delete()
