from __future__ import annotations

import datetime as dt

from gonghui.core.scope import Scope
from gonghui.core.scopecase import ScopeCase
from gonghui.orgs import exporters, selectors, services
from gonghui.orgs.models import Committee, Employer, Officer, Org, OrgEvent
from gonghui.testing import make_employer, make_org


def _new_org(world, org):
    return make_org(org, f"{org.code}.X{Org.objects.count()}", name="范围测试工会")


CASES = [
    ScopeCase(
        model=Org,
        make=_new_org,
        list=lambda user: selectors.visible_orgs(user),
        change=lambda user, obj: services.update_org(user, obj, name="改名测试"),
        ui_urls=lambda obj: [f"/orgs/{obj.code}/", f"/orgs/{obj.code}/edit/", f"/orgs/{obj.code}/export/"],
        api_urls=lambda obj: [f"/api/v1/orgs/{obj.code}"],
        api_lists=lambda obj: [("/api/v1/orgs?page_size=500", obj.code)],
        export=lambda user, org: exporters.export_orgs(user, org).rows,
        export_marker=lambda obj: obj.code,
    ),
    ScopeCase(
        model=Employer,
        make=lambda world, org: make_employer(org, name=f"范围测试单位{Employer.objects.count()}"),
        list=lambda user: selectors.visible_employers(user),
        change=lambda user, obj: services.update_employer(user, obj, headcount=999),
        ui_urls=lambda obj: [f"/employers/{obj.pk}/", f"/employers/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/employers/{obj.pk}"],
        ui_lists=lambda obj: [("/employers/", obj.name)],
        api_lists=lambda obj: [("/api/v1/employers?page_size=500", obj.name)],
        export=lambda user, org: exporters.export_employers(user, org).rows,
        export_marker=lambda obj: obj.name,
    ),
    ScopeCase(
        model=Committee,
        make=lambda world, org: services.create_committee(None, org, kind="women", elected_on=dt.date(2024, 1, 1)),
        list=lambda user: Scope.of(user).filter(Committee.objects.all(), "orgs.view"),
        change=lambda user, obj: services.update_committee(user, obj, term_ends_on=dt.date(2029, 1, 1)),
        ui_urls=lambda obj: [f"/orgs/{obj.org.code}/"],
        api_urls=lambda obj: [f"/api/v1/orgs/{obj.org.code}/officers"],
    ),
    ScopeCase(
        model=Officer,
        make=lambda world, org: services.add_officer(None, org, role="chair", name="范围测试", gender="female",
                                                     mobile="13800138000", started_on=dt.date(2024, 1, 1)),
        list=lambda user: Scope.of(user).filter(Officer.objects.all(), "orgs.view"),
        change=lambda user, obj: services.update_officer(user, obj, name="改名"),
        ui_urls=lambda obj: [f"/orgs/officers/{obj.pk}/edit/", f"/orgs/{obj.org.code}/officers/new/"],
        api_urls=lambda obj: [f"/api/v1/orgs/{obj.org.code}/officers"],
    ),
    ScopeCase(
        model=OrgEvent,
        make=lambda world, org: OrgEvent.objects.get(org=_new_org(world, org), kind="founded"),
        list=lambda user: Scope.of(user).filter(OrgEvent.objects.all(), "orgs.view"),
        ui_urls=lambda obj: [f"/orgs/{obj.org.code}/"],
        api_urls=lambda obj: [f"/api/v1/orgs/{obj.org.code}/events"],
        note="events are written only by the org services; they are never edited",
    ),
]
