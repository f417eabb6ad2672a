"""The two shapes every service write takes: create an object, or change some fields.

Both validate with ``full_clean`` (Chinese messages from the model), save, and
write the audit row in the caller's transaction. Services check the scope first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from gonghui.core import audit
from gonghui.core.models import AuditLog


def _split_m2m(model: type[models.Model], values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in values.items() if k not in m2m_names}
    m2m = {k: v for k, v in values.items() if k in m2m_names}
    return plain, m2m


def create[M: models.Model](actor: Any, model: type[M], *, note: str = "", **values: Any) -> M:
    """Validate, save and audit a new object."""
    plain, m2m = _split_m2m(model, values)
    obj = model(**plain)
    obj.full_clean(exclude=list(m2m))
    obj.save()
    for name, items in m2m.items():
        getattr(obj, name).set(items)
    audit.record(actor, AuditLog.Action.CREATE, obj, after=audit.snapshot(obj), note=note)
    return obj


def update[M: models.Model](actor: Any, obj: M, changes: Mapping[str, Any], *, allowed: Iterable[str],
           action: str = AuditLog.Action.UPDATE, note: str = "") -> M:
    """Apply allowed field changes; audit only the fields that really changed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"fields not editable here: {sorted(unknown)}")
    plain, m2m = _split_m2m(type(obj), changes)
    before = audit.snapshot(obj, list(changes))
    for name, value in plain.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=list(m2m))
    obj.save()
    for name, items in m2m.items():
        getattr(obj, name).set(items)
    after = audit.snapshot(obj, list(changes))
    changed = [k for k in after if before.get(k) != after.get(k)]
    if changed or note:
        audit.record(actor, action, obj, before={k: before.get(k) for k in changed},
                     after={k: after[k] for k in changed}, note=note)
    return obj
