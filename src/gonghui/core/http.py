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
