"""The member tally equals the raw recount of the records, built at once or kept in step by the services."""

import datetime as dt

import pytest
from django.db.models import Count

from gonghui.core.scope import OPERATOR
from gonghui.members import services, tally
from gonghui.members.importers import import_members
from gonghui.members.models import ChangeType, MemberTally, MemberTallyPair
from gonghui.members.testing import make_member, person_row, write_csv
from gonghui.orgs.models import Org
from gonghui.orgs.services import move_org
from gonghui.reports import registry
from gonghui.reports.windows import Window

pytestmark = pytest.mark.django_db
D = dt.date
WINDOWS = [
    Window.year(2023), Window.year(2024), Window.year(2025), Window.year(dt.date.today().year),
    Window.period(D(2025, 3, 1), D(2025, 3, 31)), Window.period(D(2025, 3, 15), D(2025, 3, 15)),
    Window.period(D(2024, 6, 1), D(2025, 5, 31)), Window.period(D(2024, 1, 1), D(2025, 12, 31)),
    Window.period(D(2025, 8, 8), D(2025, 8, 31)), Window.period(D(2020, 1, 1), D(2025, 8, 8)),
]


def recount(key: str, org: Org, window: Window) -> tuple[int, int]:
    """(people, memberships) straight from the drill-down records."""
    metric = registry.REGISTRY.get(key)
    qs = registry.records(OPERATOR, key, org, window)
    result = qs.order_by().aggregate(v=metric.value(), n=Count("pk", distinct=True))
    return result["v"] or 0, result["n"]


def assert_equal_to_records() -> None:
    assert tally.is_built()
    orgs = list(Org.objects.order_by("path"))
    for window in WINDOWS:
        stock = tally.stock([o.pk for o in orgs], window.end)
        joined = tally.joined([o.pk for o in orgs], window.start, window.end)
        assert stock is not None and joined is not None
        for org in orgs:
            assert stock[org.pk] == recount("members.total", org, window), ("members.total", org.code, window)
            assert joined[org.pk] == recount("members.new", org, window), ("members.new", org.code, window)


def rows() -> tuple[dict, dict]:
    deltas = {(r.org_id, r.measure, r.day): r.delta for r in MemberTally.objects.all()}
    pairs = {(r.org_id, r.measure, r.day, r.until): r.people for r in MemberTallyPair.objects.all()}
    return deltas, pairs


def test_tally_equals_the_recount_through_every_kind_of_change(world, tmp_path) -> None:
    # Before the build: figures come from the records, the services leave the (empty) tally alone.
    a = make_member(world.union_a, joined_on=D(2023, 2, 1))
    b = make_member(world.union_a2, joined_on=D(2024, 3, 1))
    services.change_membership(None, b, ChangeType.RETAIN, on=D(2024, 9, 1), reason="退休")
    assert not tally.is_built() and not MemberTally.objects.exists()
    assert tally.stock([world.root.pk], D(2025, 1, 1)) is None

    built = tally.rebuild()
    assert built["people"] == 2
    assert_equal_to_records()

    # Kept in step: restore, leave then join elsewhere back-dated (two memberships overlap for
    # a fortnight: the person counts once in the city, once in each union), expulsion, transfer.
    services.change_membership(None, b, ChangeType.RESTORE, on=D(2025, 2, 1))
    c = make_member(world.union_b, joined_on=D(2024, 1, 10))
    services.change_membership(None, c, ChangeType.LEAVE, on=D(2025, 4, 1), reason="本人申请退会")
    again = services.join_member(None, world.union_a, id_number=c.person.id_number, name=c.person.name,
                                 joined_on=D(2025, 3, 15))
    assert again.person_id == c.person_id
    e = make_member(world.union_b, joined_on=D(2023, 5, 5))
    services.change_membership(None, e, ChangeType.EXPEL, on=D(2025, 7, 1), reason="依会章除名")
    d = make_member(world.union_b, joined_on=D(2023, 6, 6))
    transfer = services.request_transfer(None, d, world.union_a, on=D(2025, 6, 1), reason="工作调动")
    services.accept_transfer(None, transfer)
    assert_equal_to_records()

    # The import: a new person, and a second 入会 (another day) on b's membership.
    path = write_csv(tmp_path / "m.csv", [
        person_row(会籍变化日期="2025-08-08"),
        {**person_row(), "证件号码": b.person.id_number, "姓名": b.person.name, "性别": "",
         "出生日期": "", "会籍变化类型": "入会", "会籍变化日期": "2025-08-20"},
    ])
    result = import_members(path, world.union_a2)
    assert (result.created, result.updated, result.rejected) == (1, 1, 0)
    assert_equal_to_records()
    assert MemberTallyPair.objects.filter(measure=tally.JOINED_MEMBERS).exists()  # b joined twice
    assert MemberTallyPair.objects.filter(measure=tally.JOINED_PEOPLE, org=world.root).exists()  # c too

    # A union moves to the other district: its people now count there.
    move_org(None, world.union_a2, world.street_b, on=D(2025, 9, 1))
    assert_equal_to_records()

    # Kept in step = built afresh.
    kept = rows()
    tally.rebuild()
    assert rows() == kept
    assert a.pk  # (a stays a plain member throughout)


def test_registry_reads_the_tally_only_when_it_equals_the_records(world) -> None:
    m = make_member(world.union_a, joined_on=D(2025, 2, 1))
    make_member(world.union_b, joined_on=D(2025, 3, 1))
    tally.rebuild()
    year = Window.year(2025)
    figure = registry.evaluate(world.city_admin, "members.total", world.root, year)
    assert (figure.value, figure.record_count) == (2, 2)
    # A branch officer's scope covers only their union: the same call counts the records they may see.
    assert registry.evaluate(world.officer_a, "members.new", world.union_a, year).value == 1
    # Filters are not in the tally: records.
    assert registry.evaluate(world.city_admin, "members.total", world.root, year, filters={"gender": "女"}).value \
        == recount_filtered(world.root, year)
    # Roll-ups by child, ratio included, match the per-child evaluation.
    for key in ("members.total", "members.new", "members.membership_rate"):
        rolled = registry.per_child(world.city_admin, key, world.root, year)
        assert rolled == [(kid, registry.evaluate(world.city_admin, key, kid, year).value) for kid, _ in rolled]
    assert m.pk


def recount_filtered(org: Org, window: Window) -> int:
    qs = registry.records(OPERATOR, "members.total", org, window, filters={"gender": "女"})
    return qs.order_by().aggregate(v=Count("person_id", distinct=True))["v"]
