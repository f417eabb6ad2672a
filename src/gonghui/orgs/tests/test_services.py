import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gonghui.orgs import selectors, services
from gonghui.orgs.models import Org, OrgEvent
from gonghui.testing import make_grassroots, make_org, make_user, refresh

pytestmark = pytest.mark.django_db


def test_create_org_sets_term_end_and_founding_event(world) -> None:
    org = services.create_org(world.town_officer, world.street_a, code="GZ.A.S1.0009", name="新建工会",
                              kind="grassroots", founded_on=dt.date(2024, 2, 29), term_years=3)
    assert org.mode == "single"  # grassroots default
    assert org.term_ends_on == dt.date(2027, 2, 28)
    assert OrgEvent.objects.filter(org=org, kind="founded", to_parent=world.street_a).exists()
    assert refresh(world.street_a).numchild == 3


def test_codes_are_unique_and_validated(world) -> None:
    with pytest.raises(ValidationError) as err:
        services.create_org(None, world.street_a, code="GZ.A.S1.0001", name="重复", kind="grassroots",
                            founded_on=dt.date(2024, 1, 1))
    assert "已被使用" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.create_org(None, world.street_a, code="gz a", name="小写", kind="grassroots",
                            founded_on=dt.date(2024, 1, 1))
    assert "大写字母" in str(err.value)


def test_joint_type_only_for_joint_unions(world) -> None:
    with pytest.raises(ValidationError, match="联合工会类型"):
        services.update_org(None, world.union_a, joint_type="building")
    services.update_org(None, world.union_a, mode="joint", joint_type="building")
    assert refresh(world.union_a).joint_type == "building"


def test_officer_cannot_create_outside_scope(world) -> None:
    with pytest.raises(Http404):
        services.create_org(world.officer_a, world.street_b, code="GZ.B.S1.0009", name="越权",
                            kind="grassroots", founded_on=dt.date(2024, 1, 1))


def test_viewer_may_see_but_not_edit(world) -> None:
    viewer = make_user("viewer_a", world.union_a, "viewer")
    assert selectors.get_org(viewer, world.union_a.code)
    with pytest.raises(PermissionDenied):
        services.update_org(viewer, world.union_a, name="只读用户改名")


def test_own_only_role_sees_its_union_not_the_children(world) -> None:
    user = make_user("street_only", world.street_a, "officer", subtree=False)
    codes = set(selectors.visible_orgs(user).values_list("code", flat=True))
    assert codes == {"GZ.A.S1"}
    assert selectors.tree_node(user, world.street_a).figures == []  # no totals of unions it cannot see
    assert selectors.tree_node(world.town_officer, world.street_a).counts["grassroots"] == 2


def test_move_keeps_history_and_tree_as_of_date(world) -> None:
    moved_on = dt.date(2025, 7, 1)
    services.move_org(world.city_admin, world.union_a2, world.street_b, on=moved_on, note="属地调整")
    union = refresh(world.union_a2)
    assert union.path.startswith(refresh(world.street_b).path)
    event = OrgEvent.objects.get(org=union, kind="moved")
    assert (event.from_parent, event.to_parent, event.occurred_on) == (world.street_a, world.street_b, moved_on)
    assert selectors.parent_on(union, dt.date(2025, 6, 30)) == world.street_a
    assert selectors.parent_on(union, moved_on) == world.street_b
    assert union.pk in selectors.subtree_on(refresh(world.district_a), dt.date(2025, 6, 30))
    assert union.pk not in selectors.subtree_on(refresh(world.district_a), moved_on)
    assert union.pk in selectors.subtree_on(refresh(world.district_b), moved_on)


def test_move_needs_edit_rights_on_both_ends(world) -> None:
    with pytest.raises(Http404):
        services.move_org(world.town_officer, world.union_a2, world.street_b, on=dt.date.today())


def test_cannot_move_under_own_subtree(world) -> None:
    with pytest.raises(ValidationError, match="自己或它的下级"):
        services.move_org(world.city_admin, world.district_a, world.street_a, on=dt.date.today())


def test_dissolve_needs_children_gone_and_is_dated(world) -> None:
    with pytest.raises(ValidationError, match="请先调整或撤销"):
        services.dissolve_org(world.city_admin, world.street_a, on=dt.date(2025, 1, 1), reason="合并")
    services.dissolve_org(world.city_admin, world.union_a2, on=dt.date(2025, 3, 1), reason="企业注销")
    union = refresh(world.union_a2)
    assert union.status == "dissolved" and union.is_active_on(dt.date(2025, 2, 28))
    assert not union.is_active_on(dt.date(2025, 3, 1))
    assert union.pk in selectors.subtree_on(refresh(world.street_a), dt.date(2025, 2, 1))
    assert union.pk not in selectors.subtree_on(refresh(world.street_a), dt.date(2025, 4, 1))


def test_reelection_moves_term_end_and_is_an_event(world) -> None:
    services.update_org(world.officer_a, world.union_a, reelected_on=dt.date(2025, 5, 20), term_years=5)
    union = refresh(world.union_a)
    assert union.term_ends_on == dt.date(2030, 5, 20)
    assert OrgEvent.objects.filter(org=union, kind="reelected", occurred_on=dt.date(2025, 5, 20)).exists()


def test_term_due_and_overdue_lists(world) -> None:
    today = dt.date.today()
    old = make_grassroots(world.street_a, "GZ.A.S1.0003", founded_on=today.replace(year=today.year - 6), term_years=5)
    soon = make_grassroots(world.street_a, "GZ.A.S1.0004", founded_on=today.replace(year=today.year - 5)
                           + dt.timedelta(days=30), term_years=5)
    assert old in selectors.term_overdue(world.town_officer)
    assert soon in selectors.term_due(world.town_officer, days=60)
    assert old not in selectors.term_overdue(world.officer_b)


def test_subtree_counts_in_one_query_per_counter(world, django_assert_max_num_queries) -> None:
    make_org(world.union_a, "GZ.A.S1.0001.B1", name="分工会", kind="branch")
    root = refresh(world.root)
    # roles, children, one GROUP BY per registered counter (orgs' gives both of its figures)
    with django_assert_max_num_queries(2 + len(selectors.SUBTREE_COUNTERS)):
        nodes = selectors.tree_children(world.city_admin, root)
    counts = {n.org.code: n.counts for n in nodes}
    assert (counts["GZ.A"]["grassroots"], counts["GZ.A"]["covered_workers"]) == (2, 240)
    assert (counts["GZ.B"]["grassroots"], counts["GZ.B"]["covered_workers"]) == (1, 120)
    assert selectors.tree_node(world.city_admin, refresh(world.root)).counts["grassroots"] == 3


def test_employer_uscc_is_validated_and_unique(world) -> None:
    employer = world.union_a.covered_entities.first()
    with pytest.raises(ValidationError) as err:
        services.create_employer(None, world.street_a, name="重复单位", uscc=employer.uscc, industry="C",
                                 ownership="non_public")
    assert employer.name in str(err.value)
    with pytest.raises(ValidationError, match="校验位"):
        services.update_employer(None, employer, uscc=employer.uscc[:-1] + ("0" if employer.uscc[-1] != "0" else "1"))


def test_employer_union_flag_and_filters(world) -> None:
    services.create_employer(None, world.street_a, name="未建会单位", industry="G", ownership="non_public",
                             headcount=60)
    without = selectors.employers(world.town_officer, has_union=False)
    assert [e.name for e in without] == ["未建会单位"]
    assert selectors.employers(world.town_officer, min_headcount=100, has_union=True).count() == 2
    assert selectors.employers(world.officer_b, query="未建会").count() == 0


def test_org_levels_are_codes(world) -> None:
    assert {o.kind for o in Org.objects.all()} <= {"federation", "industry", "grassroots", "branch", "group"}
