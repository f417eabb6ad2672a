"""Writes on accounts, roles and tokens. ``actor=None`` means the server operator (CLI)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.core import audit
from gonghui.core.models import ApiToken, AuditLog, Role, RoleAssignment, User
from gonghui.core.scope import Scope
from gonghui.orgs.models import Org

TOKEN_PREFIX = "gh_"


def _require_user_admin(actor: User | None, org: Org) -> None:
    if actor is not None:
        Scope.of(actor).require_org(org, "users.edit")


@transaction.atomic
def create_user(
    actor: User | None,
    username: str,
    *,
    org: Org,
    role_code: str,
    password: str,
    full_name: str = "",
    include_subtree: bool = True,
    check_password_strength: bool = True,
) -> User:
    """Create an account holding one role at one union."""
    _require_user_admin(actor, org)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已存在，请换一个"})
    role = Role.objects.filter(code=role_code).first()
    if role is None:
        codes = "、".join(Role.objects.values_list("code", flat=True))
        raise ValidationError({"role": f"没有名为“{role_code}”的角色，可选：{codes}"})
    user = User(username=username, full_name=full_name)
    if check_password_strength:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.create(user=user, org=org, role=role, include_subtree=include_subtree)
    audit.record(actor, AuditLog.Action.CREATE, user, org=org,
                 after={"username": username, "full_name": full_name, "org": org.code, "role": role.code,
                        "include_subtree": include_subtree})
    return user


@transaction.atomic
def assign_role(actor: User | None, user: User, *, org: Org, role_code: str,
                include_subtree: bool = True) -> RoleAssignment:
    """Give a user (another) role at a union."""
    _require_user_admin(actor, org)
    role = Role.objects.get(code=role_code)
    assignment, _ = RoleAssignment.objects.update_or_create(
        user=user, org=org, role=role, defaults={"include_subtree": include_subtree, "is_active": True}
    )
    Scope.forget(user)
    audit.record(actor, AuditLog.Action.UPDATE, user, org=org,
                 after={"role": role.code, "org": org.code, "include_subtree": include_subtree})
    return assignment


@transaction.atomic
def set_password(actor: User | None, user: User, password: str) -> None:
    """Set a new password (and lift any lockout)."""
    validate_password(password, user)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "failed_logins", "locked_until"])
    audit.record(actor, AuditLog.Action.UPDATE, user, note="重置密码")


@transaction.atomic
def create_token(actor: User | None, user: User, name: str = "默认") -> tuple[ApiToken, str]:
    """Issue an API token; the clear key is returned once and never stored."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=ApiToken.hash(key))
    audit.record(actor, AuditLog.Action.CREATE, token, note=f"为 {user.username} 签发 API 令牌")
    return token, key


@transaction.atomic
def revoke_token(actor: User | None, token: ApiToken) -> None:
    """Revoke a token: its owner may, or an administrator of the owner's union."""
    if actor is not None and actor.pk != token.user_id:
        Scope.of(actor).require(token, "users.edit")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, AuditLog.Action.DELETE, token, note="吊销 API 令牌")


def user_for_token(key: str) -> User | None:
    """The active user behind a bearer token, or None."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def record_login(user: User, request: Any = None) -> None:
    """Audit a successful interactive login."""
    audit.record(user, AuditLog.Action.LOGIN, user, note="登录系统")
