from __future__ import annotations

from gonghui.core import selectors, services
from gonghui.core.models import ApiToken, AuditLog, RoleAssignment, User
from gonghui.core.scope import Scope
from gonghui.core.scopecase import ScopeCase
from gonghui.orgs import services as org_services
from gonghui.testing import make_user


def _user(world, org):
    return make_user(f"scope_user_{User.objects.count()}", org, "clerk")


def _audit_row(world, org):
    org_services.update_org(None, org, address=f"范围测试地址{AuditLog.objects.count()}")
    return AuditLog.objects.filter(org=org).latest("id")


CASES = [
    ScopeCase(
        model=User,
        make=_user,
        list=lambda user: selectors.visible_users(user),
        change=lambda user, obj: services.assign_role(user, obj, org=obj.role_assignments.first().org,
                                                      role_code="viewer"),
        ui_lists=lambda obj: [("/users/", obj.username)],
    ),
    ScopeCase(
        model=RoleAssignment,
        make=lambda world, org: _user(world, org).role_assignments.first(),
        list=lambda user: Scope.of(user).filter(RoleAssignment.objects.all(), "users.view"),
        change=lambda user, obj: services.assign_role(user, obj.user, org=obj.org, role_code="viewer"),
        ui_lists=lambda obj: [("/users/", obj.user.username)],
    ),
    ScopeCase(
        model=ApiToken,
        make=lambda world, org: services.create_token(None, _user(world, org), "范围测试")[0],
        list=lambda user: Scope.of(user).filter(ApiToken.objects.all(), "users.view"),
        change=lambda user, obj: services.revoke_token(user, obj),
        ui_lists=lambda obj: [("/account/", obj.prefix)],
    ),
    ScopeCase(
        model=AuditLog,
        make=_audit_row,
        list=lambda user: selectors.audit_log(user),
        ui_lists=lambda obj: [(f"/audit/?object_id={obj.object_id}&type=orgs.Org", obj.after["address"])],
        api_lists=lambda obj: [(f"/api/v1/audit?object_id={obj.object_id}&page_size=500",
                                obj.after["address"])],
        note="audit rows are append-only",
    ),
]
