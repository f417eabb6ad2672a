"""Data scope: the one place that decides which unions a user may see or change.

A user holds roles at unions (``RoleAssignment``); each role grants capabilities
such as ``members.view`` or ``members.pii`` on that union alone or on its whole
subtree. ``Scope.of(user)`` turns those grants into queryset filters. Every
selector filters through it, so an object outside the scope is simply not found
(404), exactly like one that does not exist. A user with no role sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from gonghui.orgs.models import Org

M = TypeVar("M", bound=models.Model)

DOMAINS: dict[str, str] = {
    "orgs": "组织建设",
    "members": "会员管理",
    "finance": "经费管理",
    "care": "帮扶服务",
    "rights": "维权工作",
    "labour": "建功立业",
    "activities": "活动记录",
    "facilities": "阵地建设",
    "targets": "目标考核",
    "reports": "统计报表",
    "audit": "审计日志",
    "users": "用户权限",
}
ACTIONS: dict[str, str] = {
    "view": "查看",
    "edit": "编辑",
    "approve": "审批",
    "pii": "查看完整个人信息",
}


class NotFound(Http404):
    """Raised for objects that do not exist or lie outside the caller's scope."""

    def __init__(self, message: str = "未找到该记录，或您无权访问。") -> None:
        super().__init__(message)


class Scoped:
    """Mixin for every model that holds union data.

    ``scope_fields`` are lookup paths from the model to an ``Org`` (``""`` for an
    Org itself); an object is in scope when any of them leads into a granted
    union. ``scope_domain`` names the capability domain (see ``DOMAINS``).
    """

    scope_fields: ClassVar[tuple[str, ...]] = ("org",)
    scope_domain: ClassVar[str]


@dataclass(frozen=True, slots=True)
class Grant:
    org_id: int
    path: str
    subtree: bool
    caps: frozenset[str]

    def allows(self, cap: str) -> bool:
        domain = cap.split(".", 1)[0]
        return cap in self.caps or f"{domain}.*" in self.caps or "*" in self.caps

    def covers(self, org: Org) -> bool:
        return org.pk == self.org_id or (self.subtree and org.path.startswith(self.path))


def _is_multi_valued(model: type[models.Model], lookup: str) -> bool:
    """True when the lookup path crosses a to-many relation (needs de-duplication)."""
    current: Any = model
    for part in lookup.split("__"):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return True
        if field.many_to_many or field.one_to_many:
            return True
        current = field.related_model
    return False


class Scope:
    """What one user may see and do, as filters over the org tree."""

    def __init__(self, user: Any, grants: Iterable[Grant]) -> None:
        self.user = user
        self.grants: tuple[Grant, ...] = tuple(grants)

    @classmethod
    def of(cls, user: Any) -> Scope:
        """Build (and cache on the user object) the scope of an acting user."""
        if user is OPERATOR:
            return FullScope(user, ())
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(user, ())
        cached = getattr(user, "_gonghui_scope", None)
        if cached is not None:
            return cached
        from gonghui.core.models import RoleAssignment

        grants = [
            Grant(a.org_id, a.org.path, a.include_subtree, frozenset(a.role.capabilities))
            for a in RoleAssignment.objects.filter(user=user, is_active=True).select_related("org", "role")
            if a.org.dissolved_on is None or a.include_subtree
        ]
        scope = cls(user, grants)
        user._gonghui_scope = scope
        return scope

    @staticmethod
    def forget(user: Any) -> None:
        """Drop the cached scope after the user's roles changed."""
        if hasattr(user, "_gonghui_scope"):
            del user._gonghui_scope

    # -- capabilities -------------------------------------------------------------------

    def grants_for(self, cap: str) -> list[Grant]:
        return [g for g in self.grants if g.allows(cap)]

    def has(self, cap: str) -> bool:
        """True when the user holds ``cap`` anywhere in the tree."""
        return any(g.allows(cap) for g in self.grants)

    def allows_org(self, org: Org, cap: str) -> bool:
        return any(g.covers(org) for g in self.grants_for(cap))

    def covers_subtree(self, org: Org, cap: str) -> bool:
        """True when every union below ``org`` is in scope too (aggregates over it may be shown)."""
        return any(g.subtree and org.path.startswith(g.path) for g in self.grants_for(cap))

    # -- filters ------------------------------------------------------------------------

    def org_q(self, cap: str, field: str = "") -> Q:
        """A Q selecting rows whose ``field`` (a path to an Org) lies in scope for ``cap``."""
        prefix = f"{field}__" if field else ""
        q = Q(pk__in=[])
        for g in self.grants_for(cap):
            if g.subtree:
                q |= Q(**{f"{prefix}path__startswith": g.path})
            else:
                q |= Q(**{f"{prefix}pk": g.org_id})
        return q

    def filter(self, qs: QuerySet[M], cap: str) -> QuerySet[M]:
        """Restrict a queryset of a ``Scoped`` model to the rows the user may ``cap``."""
        model = qs.model
        fields = getattr(model, "scope_fields", None)
        if fields is None:
            raise TypeError(f"{model.__name__} is not a Scoped model")
        q = Q(pk__in=[])
        multi = False
        for f in fields:
            q |= self.org_q(cap, f)
            multi = multi or (bool(f) and _is_multi_valued(model, f))
        if multi:
            return qs.filter(pk__in=model._default_manager.filter(q).values("pk"))
        return qs.filter(q)

    def orgs(self, cap: str = "orgs.view") -> QuerySet[Org]:
        from gonghui.orgs.models import Org

        return self.filter(Org.objects.all(), cap)

    def roots(self, cap: str = "orgs.view") -> list[Org]:
        """The topmost unions of the scope (the starting points of the tree)."""
        from gonghui.orgs.models import Org

        grants = self.grants_for(cap)
        covered_by_other = {
            g.org_id for g in grants for o in grants
            if o.subtree and o.org_id != g.org_id and g.path.startswith(o.path)
        }
        ids = {g.org_id for g in grants} - covered_by_other
        return list(Org.objects.filter(pk__in=ids).order_by("path"))

    # -- single objects -----------------------------------------------------------------

    def get(self, qs: QuerySet[M] | type[M], cap: str, **lookup: Any) -> M:
        """Fetch one object the user may ``cap``, or raise ``NotFound``."""
        if isinstance(qs, type):
            qs = qs._default_manager.all()
        try:
            return self.filter(qs, cap).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise NotFound() from None

    def allows(self, obj: models.Model, cap: str) -> bool:
        model = type(obj)
        return self.filter(model._default_manager.filter(pk=obj.pk), cap).exists()

    def require(self, obj: models.Model, cap: str) -> None:
        """Raise ``NotFound`` if the object is invisible, ``PermissionDenied`` if only visible."""
        self._require(lambda c: self.allows(obj, c), cap)

    def require_org(self, org: Org, cap: str) -> None:
        """Like ``require`` for a union, decided in memory from the grants."""
        self._require(lambda c: self.allows_org(org, c), cap)

    @staticmethod
    def _require(allowed: Callable[[str], bool], cap: str) -> None:
        if allowed(cap):
            return
        domain, _, action = cap.partition(".")
        if action != "view" and allowed(f"{domain}.view"):
            raise PermissionDenied(f"您没有“{DOMAINS.get(domain, domain)}”的{ACTIONS.get(action, '')}权限。")
        raise NotFound()


class Operator:
    """The server operator at the command line (``gonghui stats``, exports): sees everything."""

    username = "system"
    pk = None
    is_active = True
    is_authenticated = True

    def __str__(self) -> str:
        return "system"


OPERATOR = Operator()


class FullScope(Scope):
    """The operator's scope: no restriction (never built from a user account)."""

    def grants_for(self, cap: str) -> list[Grant]:
        return []

    def has(self, cap: str) -> bool:
        return True

    def allows_org(self, org: Org, cap: str) -> bool:
        return True

    def covers_subtree(self, org: Org, cap: str) -> bool:
        return True

    def org_q(self, cap: str, field: str = "") -> Q:
        return Q()

    def filter(self, qs: QuerySet[M], cap: str) -> QuerySet[M]:
        return qs

    def roots(self, cap: str = "orgs.view") -> list[Org]:
        from gonghui.orgs.models import Org

        return list(Org.objects.filter(depth=1))

    def allows(self, obj: models.Model, cap: str) -> bool:
        return True


# Models that hold no union data, each with the reason. Every other model of a
# gonghui app must be ``Scoped`` (the scope test enforces it).
GLOBAL_MODELS: dict[str, str] = {
    "core.Role": "role definitions are the same for the whole deployment; they grant nothing by themselves",
}
