"""Request plumbing: login required for pages, and the union the user is working in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from gonghui.core.scope import Scope

SESSION_KEY = "current_org"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Pages need a login; the API answers 401 JSON itself (bearer token or session)."""

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def current_org(request: HttpRequest) -> Any:
    """The union chosen in the org switcher, if still in scope; else the user's top union."""
    from gonghui.orgs.models import Org

    scope = Scope.of(request.user)
    if not scope.grants:
        return None
    code = request.session.get(SESSION_KEY)
    if code:
        org = Org.objects.filter(code=code).first()
        if org is not None and scope.allows_org(org, "orgs.view"):
            return org
    roots = scope.roots("orgs.view")
    return roots[0] if roots else None


class CurrentOrgMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        authenticated = request.user.is_authenticated and not request.path_info.startswith(("/api/", "/static/"))
        request.current_org = current_org(request) if authenticated else None  # type: ignore[attr-defined]
        return self.get_response(request)
