"""API plumbing shared by every domain router: auth, pagination, errors, and /me, /audit."""
# No "from __future__ import annotations": django-ninja reads the real annotations.


import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.security import HttpBearer, django_auth

from gonghui.core import selectors, services
from gonghui.core.http import AuthedRequest
from gonghui.core.scope import NotFound, Scope


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``gonghui token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerAuth(), django_auth]


class PageNumber(PaginationBase):
    """``?page=`` from 1 and ``?page_size=`` up to 500 → ``{"items": [...], "count": N}``."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="页码，从1开始")
        page_size: int = Field(50, ge=1, le=500, description="每页条数，最多500")

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest,
                          **params: Any) -> dict[str, Any]:
        start = (pagination.page - 1) * pagination.page_size
        return {"items": queryset[start:start + pagination.page_size], "count": self._items_count(queryset)}


def paginated(func: Any) -> Any:
    return paginate(PageNumber)(func)


def list_within(request: AuthedRequest, code: str | None, cap: str) -> Any:
    """The union an API list covers: ``org=CODE`` (404 when out of scope), else the user's one topmost union
    with ``cap`` (lists cover the whole scope when it is one subtree)."""
    from gonghui.orgs.selectors import get_org

    if code:
        return get_org(request.user, code, cap)
    roots = Scope.of(request.user).roots(cap)
    if not roots:
        raise NotFound()
    if len(roots) > 1:
        raise ValidationError({"org": "您管理多个工会，请用 org=工会代码 指定"})
    return roots[0]


def _error(api: NinjaAPI, request: AuthedRequest, status: int, detail: Any, code: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error is JSON ``{"detail", "code"}`` with a 4xx status; bad input never 500s."""

    @api.exception_handler(Http404)
    def not_found(request: AuthedRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if isinstance(exc, NotFound) and str(exc) else "未找到该记录，或您无权访问。"
        return _error(api, request, 404, message, "not_found")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: AuthedRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 403, str(exc) or "您没有执行该操作的权限。", "forbidden")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: AuthedRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 401, "需要登录，或在 Authorization 头中提供有效的 Bearer 令牌。",
                      "unauthenticated")

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: AuthedRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"field": ".".join(str(p) for p in err.get("loc", [])[1:]) or None,
             "message": err.get("msg", "输入不正确")}
            for err in exc.errors
        ]
        return _error(api, request, 422, details, "invalid_input")

    @api.exception_handler(ValidationError)
    def invalid(request: AuthedRequest, exc: ValidationError) -> HttpResponse:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _error(api, request, 400, detail, "invalid")

    @api.exception_handler(HttpError)
    def http_error(request: AuthedRequest, exc: HttpError) -> HttpResponse:
        return _error(api, request, exc.status_code, str(exc), "error")


router = Router(tags=["账户与审计"])


class GrantOut(Schema):
    org: str
    org_name: str
    subtree: bool
    capabilities: list[str]


class MeOut(Schema):
    username: str
    full_name: str
    grants: list[GrantOut]


@router.get("/me", response=MeOut, summary="当前用户与数据权限")
def me(request: AuthedRequest) -> dict[str, Any]:
    from gonghui.orgs.models import Org

    scope = Scope.of(request.user)
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=[g.org_id for g in scope.grants])}
    return {
        "username": request.user.username,
        "full_name": getattr(request.user, "full_name", ""),
        "grants": [{"org": orgs[g.org_id].code, "org_name": orgs[g.org_id].name, "subtree": g.subtree,
                    "capabilities": sorted(g.caps)} for g in scope.grants],
    }


class AuditOut(Schema):
    id: int
    at: dt.datetime
    username: str
    org: str | None = Field(None, alias="org.code")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    note: str


class AuditFilter(Schema):
    org: str | None = Field(None, description="工会代码：该工会及所属工会")
    user: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/audit", response=list[AuditOut], summary="审计日志")
@paginated
def audit_list(request: AuthedRequest, filters: Query[AuditFilter]) -> Any:
    from gonghui.orgs.selectors import get_org

    within = get_org(request.user, filters.org) if filters.org else None
    return selectors.audit_log(
        request.user, within=within, username=filters.user or "", object_type=filters.object_type or "",
        object_id=filters.object_id or "", action=filters.action or "", date_from=filters.date_from,
        date_to=filters.date_to,
    )
