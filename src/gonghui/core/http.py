"""Request types for views and API handlers behind the login (mypy knows ``user`` is a User)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from gonghui.core.models import User
    from gonghui.orgs.models import Org


class AuthedRequest(HttpRequest):
    """A request that passed the login check: ``user`` is a real account."""

    user: User  # type: ignore[assignment]
    current_org: Org | None


def current_org(request: AuthedRequest, cap: str = "") -> Org:
    """The union the user is working in (the org switcher's choice); 404 with a hint when there is none."""
    from gonghui.core.scope import NotFound, Scope

    org = request.current_org
    if org is None:
        raise NotFound("您的账户还没有分配任何工会的权限，请联系上级工会管理员。")
    if cap:
        Scope.of(request.user).require_org(org, cap)
    return org
