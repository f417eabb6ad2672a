"""Password login with lockout after repeated failures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from gonghui.core import audit
from gonghui.core.models import AuditLog, User


class LockoutBackend(ModelBackend):
    """ModelBackend that refuses locked accounts and counts failures."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.is_locked:
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        register_failure(user)
        return None


def register_failure(user: User) -> None:
    """Count a failed login; lock the account after LOCKOUT_FAILURES in a row."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        note = f"连续失败 {user.failed_logins} 次"
        if user.failed_logins >= settings.LOCKOUT_FAILURES:
            until = timezone.now() + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
            note += f"，账户锁定至 {timezone.localtime(until):%H:%M}"
        audit.record(user, AuditLog.Action.LOGIN_FAILED, user, note=note)
