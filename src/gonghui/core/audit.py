"""Write audit rows. Every service that changes data calls ``record`` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import connection, models
from django.db.models.fields.files import FieldFile

from gonghui.core.crypto import blind_index
from gonghui.core.models import AuditLog

MASK = "••••"


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited state of an object: concrete fields and many-to-many ids.

    Fields marked ``sensitive`` (encrypted personal data, secrets) are masked, so
    the audit log never becomes a second copy of the personal data.
    """
    out: dict[str, Any] = {}
    opts = obj._meta
    for field in [*opts.concrete_fields, *opts.many_to_many]:
        name = field.name
        if fields is not None and name not in fields:
            continue
        if name in ("password", "path", "depth", "numchild") or name.endswith("_bidx"):
            continue
        if getattr(field, "sensitive", False):
            # A keyed fingerprint: shows that the value changed, never what it is.
            value = field.value_from_object(obj)
            out[name] = f"{MASK}#{blind_index(str(value), 'audit')[:6]}" if value else ""
            continue
        if field.many_to_many:
            if obj.pk is None:
                continue
            out[name] = sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
        elif field.is_relation:
            out[name] = _json_value(getattr(obj, field.attname))
        else:
            out[name] = _json_value(field.value_from_object(obj))
    return out


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    org: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
    object_repr: str = "",
) -> AuditLog:
    """Write one audit row; must run inside the transaction of the change it describes."""
    if not connection.in_atomic_block and action not in (AuditLog.Action.LOGIN, AuditLog.Action.LOGIN_FAILED):
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    if org is None and obj is not None:
        org = _owning_org(obj)
    user = actor if getattr(actor, "pk", None) else None
    return AuditLog.objects.create(
        user=user,
        username=getattr(actor, "username", "") or "system",
        org=org,
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        before=before,
        after=after,
        note=note,
    )


def _owning_org(obj: models.Model) -> Any:
    """The union an object belongs to, following its first scope path."""
    fields = getattr(type(obj), "scope_fields", ("org",))
    path = fields[0] if fields else "org"
    if path == "":
        return obj
    current: Any = obj
    for part in path.split("__"):
        current = getattr(current, part, None)
        if current is None:
            return None
        if hasattr(current, "all") and callable(current.all):  # to-many: take the first
            current = current.all().first()
            if current is None:
                return None
    return current
