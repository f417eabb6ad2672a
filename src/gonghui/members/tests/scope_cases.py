from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from gonghui.core.scope import Scope
from gonghui.core.scopecase import ScopeCase
from gonghui.members import exporters, selectors, services, tally
from gonghui.members.models import (
    ImportJob,
    Member,
    MembershipChange,
    MemberTally,
    MemberTallyPair,
    Person,
    TransferRequest,
)
from gonghui.members.testing import make_member


def _cn(n: int) -> str:
    return "".join("零一二三四五六七八九"[int(d)] for d in str(n))


def _member(world, org):
    return make_member(org, name=f"范围测试{_cn(Member.objects.count())}")


def _transfer(world, org):
    # From branch B's union to another union of branch B: both sides lie outside branch A.
    from gonghui.testing import make_grassroots

    other = make_grassroots(world.street_b, f"{world.street_b.code}.{9000 + TransferRequest.objects.count()}",
                            name="丁公司工会委员会")
    return services.request_transfer(None, _member(world, org), other, on=dt.date.today(), reason="工作调动")


def _import(world, org):
    job = ImportJob(org=org, original_name=f"范围测试{ImportJob.objects.count()}.xlsx", status="checked")
    job.file.save("scope.xlsx", ContentFile(b"x"), save=False)
    job.save()
    return job


def _tally_row(world, org):
    _member(world, org)
    tally.rebuild()
    return MemberTally.objects.filter(org=org, measure=tally.ACTIVE_PEOPLE).first()


def _tally_pair(world, org):
    # The same person joins twice in the union: a pair row of the union's 入会 days.
    first = _member(world, org)
    services.change_membership(None, first, "leave", on=dt.date(2024, 6, 1), reason="本人申请退会")
    services.join_member(None, org, id_number=first.person.id_number, name=first.person.name,
                         joined_on=dt.date(2025, 1, 2))
    tally.rebuild()
    return MemberTallyPair.objects.filter(org=org, measure=tally.JOINED_PEOPLE).first()


def _export_rows(user, org):
    return exporters.export_members(user, org)[0].rows


CASES = [
    ScopeCase(
        model=Person,
        make=lambda world, org: _member(world, org).person,
        list=lambda user: selectors.visible_people(user),
        change=lambda user, obj: services.update_person(user, obj.memberships.get(), education="bachelor"),
        export=_export_rows,
        export_marker=lambda obj: obj.name,
    ),
    ScopeCase(
        model=Member,
        make=_member,
        list=lambda user: selectors.visible_members(user),
        change=lambda user, obj: services.update_member(user, obj, is_migrant=True),
        ui_urls=lambda obj: [f"/members/{obj.pk}/", f"/members/{obj.pk}/edit/", f"/members/{obj.pk}/change/",
                             f"/members/{obj.pk}/transfer/"],
        api_urls=lambda obj: [f"/api/v1/members/{obj.pk}", f"/api/v1/members/{obj.pk}/history"],
        ui_lists=lambda obj: [("/members/?status=all", obj.person.name)],
        api_lists=lambda obj: [("/api/v1/members?page_size=500&status=all", obj.person.name)],
        export=_export_rows,
        export_marker=lambda obj: obj.person.name,
    ),
    ScopeCase(
        model=MembershipChange,
        make=lambda world, org: _member(world, org).changes.get(),
        list=lambda user: Scope.of(user).filter(MembershipChange.objects.all(), "members.view"),
        ui_urls=lambda obj: [f"/members/{obj.member_id}/"],
        api_urls=lambda obj: [f"/api/v1/members/{obj.member_id}/history"],
        note="membership events are written only by the member services and the import; never edited",
    ),
    ScopeCase(
        model=TransferRequest,
        make=_transfer,
        list=lambda user: Scope.of(user).filter(TransferRequest.objects.all(), "members.view"),
        change=lambda user, obj: services.reject_transfer(user, obj, note="范围测试退回"),
        ui_urls=lambda obj: [f"/members/transfers/{obj.pk}/"],
        api_urls=lambda obj: [f"/api/v1/members/transfers/{obj.pk}"],
    ),
    ScopeCase(
        model=MemberTally,
        make=_tally_row,
        list=lambda user: Scope.of(user).filter(MemberTally.objects.all(), "members.view"),
        note="a summary of the membership events, written only by members.tally; read through the registry",
    ),
    ScopeCase(
        model=MemberTallyPair,
        make=_tally_pair,
        list=lambda user: Scope.of(user).filter(MemberTallyPair.objects.all(), "members.view"),
        note="a summary of the membership events, written only by members.tally; read through the registry",
    ),
    ScopeCase(
        model=ImportJob,
        make=_import,
        list=lambda user: selectors.imports(user),
        change=lambda user, obj: services.commit_import(user, obj),
        ui_urls=lambda obj: [f"/members/imports/{obj.pk}/"],
        ui_lists=lambda obj: [("/members/imports/", obj.original_name)],
    ),
]
