"""The members demo step: believable people, memberships and events over the three demo years."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count

from gonghui.core import idnumber
from gonghui.members.exporters import export_members
from gonghui.members.importers import import_members
from gonghui.members.models import Member, MembershipChange, MemberStatus, Person, TransferRequest
from gonghui.orgs.models import Org

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    from django.db import transaction

    from gonghui import demo as demo_module

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = demo_module.run(members=600, seed=11)
        yield ctx
        transaction.set_rollback(True)


def test_people_are_valid_and_unique(demo: Any) -> None:
    people = list(Person.objects.all())
    assert len(people) >= 590
    for p in people:
        parsed = idnumber.parse(p.id_number)  # valid check digit, region and birth date
        assert parsed.gender == p.gender and parsed.birth_date == p.birth_date
        assert 16 <= p.age_on(dt.date.today()) <= 100  # type: ignore[operator]
        assert len(p.mobile) == 11 and p.mobile.startswith("1")
    assert len({p.id_number_bidx for p in people}) == len(people)


def test_memberships_spread_and_flagged(demo: Any) -> None:
    current = Member.objects.exclude(status=MemberStatus.LEFT)
    assert demo.counts["members"] == current.count()
    assert current.values("org").distinct().count() > 100  # spread over the grassroots unions
    assert 0.15 < current.filter(is_migrant=True).count() / current.count() < 0.6
    groups = current.exclude(new_group="")
    assert groups.exists()
    assert all(any(w in m.employer_name for w in ("快递", "物流", "运输", "冷链", "供应链", "出租", "餐饮", "饮食",
                                                   "保安", "家政", "护理", "养老", "经纪", "百货", "超市"))
               for m in groups)


def test_events_over_the_three_years(demo: Any) -> None:
    years = dict(MembershipChange.objects.filter(change_type="join").values_list("changed_on__year")
                 .annotate(n=Count("id")).values_list("changed_on__year", "n"))
    for year in demo.years:
        assert years.get(year, 0) > 10, years
    kinds = set(MembershipChange.objects.values_list("change_type", flat=True))
    assert {"join", "retain", "leave", "transfer_out", "transfer_in"} <= kinds
    assert TransferRequest.objects.filter(status="accepted").exists()
    # Every membership's status agrees with its latest event.
    from gonghui.members.models import STATUS_AFTER

    for m in Member.objects.prefetch_related("changes"):
        latest = max(m.changes.all(), key=lambda c: (c.changed_on, c.id))
        assert STATUS_AFTER[latest.change_type] == m.status, m


def test_demo_export_reimports_unchanged(demo: Any, tmp_path: Path) -> None:
    from gonghui.core.excel import write_workbook

    district = Org.objects.get(code="GZ.TH")
    path = tmp_path / "th.xlsx"
    write_workbook(str(path), export_members(None, district))
    result = import_members(path, district)
    assert result.rejected == 0 and result.created == result.updated == 0 and result.unchanged > 50
