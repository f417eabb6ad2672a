"""Reads of accounts and the audit log, scoped to the acting user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from gonghui.core.models import ApiToken, AuditLog, User
from gonghui.core.scope import Scope


def audit_log(
    user: Any,
    *,
    within: Any = None,
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    query: str = "",
) -> QuerySet[AuditLog]:
    """Audit rows of the unions in scope, newest first, filtered."""
    qs = Scope.of(user).filter(AuditLog.objects.all(), "audit.view").select_related("org")
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    if username:
        qs = qs.filter(username=username)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if query:
        qs = qs.filter(Q(object_repr__icontains=query) | Q(note__icontains=query))
    return qs.order_by("-at", "-id")


def object_type_choices() -> list[tuple[str, str]]:
    """(model label, Chinese name) of every model that can appear in the audit log."""
    out = []
    for model in apps.get_models():
        if model.__module__.startswith("gonghui."):
            out.append((model._meta.label, str(model._meta.verbose_name)))
    return sorted(out, key=lambda x: x[1])


HIDDEN_FIELDS = {"id", "created_at", "updated_at"}


def _field(object_type: str, name: str) -> Any:
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _display(field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = dict(getattr(field, "choices", None) or [])
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def audit_changes(entry: AuditLog) -> list[tuple[str, str | None, str]]:
    """(field label, before or None, after) in Chinese, for the audit page.

    A creation lists only the fields that were filled in; timestamps and ids are left out.
    """
    rows = []
    for name, before, after in entry.changed_fields():
        if name in HIDDEN_FIELDS:
            continue
        field = _field(entry.object_type, name)
        if entry.action == AuditLog.Action.CREATE and after in (None, "", [], False, 0):
            continue
        label = str(field.verbose_name) if field is not None else name
        rows.append((label, None if before is None else _display(field, before), _display(field, after)))
    return rows


def visible_users(user: Any) -> QuerySet[User]:
    return Scope.of(user).filter(User.objects.all(), "users.view").prefetch_related(
        "role_assignments__org", "role_assignments__role").order_by("username")


def own_tokens(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")
