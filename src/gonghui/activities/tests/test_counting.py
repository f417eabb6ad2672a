"""The counting rules: 人 vs 人次, paper headcounts, co-organised activities and subtree roll-ups."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gonghui.activities import services
from gonghui.activities.testing import make_activity, national, person
from gonghui.core.scope import OPERATOR
from gonghui.reports import registry
from gonghui.reports.windows import Window

pytestmark = pytest.mark.django_db
Y2025 = Window.year(2025)
D = dt.date


def value(key, org, *, own_only=False, **filters):
    return registry.evaluate(OPERATOR, key, org, Y2025, filters=filters, own_only=own_only).value


def test_one_person_in_two_activities_is_one_person_and_several_attendances(world) -> None:
    li = person("李娜")
    wang = person("王强")
    first = make_activity(world.union_a, "training", start_on=D(2025, 3, 1), sessions=3,
                          people=[services.PersonIn(**{**li.__dict__, "attendances": 3}), wang])
    make_activity(world.union_a, "training", start_on=D(2025, 4, 1), people=[li])
    assert (first.persons, first.person_times) == (2, 4)
    assert value("skills.training.persons", world.union_a) == 2  # 人: 李娜 and 王强
    assert value("skills.training.person_times", world.union_a) == 5  # 人次: 3 + 1 + 1
    assert value("skills.training.classes", world.union_a) == 2


def test_the_same_person_is_recognised_whatever_the_spelling_of_the_id_number(world) -> None:
    li = person("李娜")
    activity = make_activity(world.union_a, "lecture", start_on=D(2025, 3, 1), people=[li])
    lower = services.PersonIn(name="李 娜", id_number=li.id_number.lower())
    with pytest.raises(ValidationError, match="已在本活动"):
        services.add_participants(None, activity, [lower])
    other = make_activity(world.union_a, "lecture", start_on=D(2025, 5, 1), people=[lower])
    assert other.participants.get().name == "李娜"
    assert value("publicity.lectures.audience", world.union_a) == 1


def test_a_paper_sign_in_counts_its_headcount_and_takes_no_roster(world) -> None:
    paper = make_activity(world.union_a, "legal_outreach", start_on=D(2025, 3, 15), headcount=85, estimated=True)
    make_activity(world.union_a, "legal_outreach", start_on=D(2025, 4, 15), people=[person(), person()])
    assert (paper.persons, paper.person_times) == (85, 85)
    assert value("rights.legal_publicity.audience", world.union_a) == 87
    with pytest.raises(ValidationError, match="签到人数"):
        services.add_participants(None, paper, [person()])
    with pytest.raises(ValidationError, match="不填签到人数"):  # a roster activity carries no headcount
        services.create_activity(None, world.union_a, type=national("lecture"), title="讲座", start_on=D(2025, 3, 1),
                                 headcount=10)
    roster = make_activity(world.union_a, "lecture", start_on=D(2025, 6, 1), people=[person()])
    with pytest.raises(ValidationError, match="已有参加人员名单"):
        services.update_activity(None, roster, headcount_only=True, headcount=30)
    with pytest.raises(ValidationError, match="估算"):
        services.update_activity(None, roster, estimated=True)


def test_a_person_filter_never_counts_a_bare_headcount(world) -> None:
    migrant = services.PersonIn(**{**person().__dict__, "is_migrant": True, "attendances": 2})
    make_activity(world.union_a, "training", start_on=D(2025, 3, 1), sessions=2, people=[migrant, person()])
    make_activity(world.union_b, "training", start_on=D(2025, 3, 1), headcount=300)
    assert value("skills.training.person_times", world.root) == 303
    assert value("skills.training.person_times", world.root, is_migrant="true") == 2


def test_a_co_organised_activity_counts_once_in_every_subtree_holding_an_organiser(world) -> None:
    shared = [person(), person(), person()]
    make_activity(world.street_a, "lecture", start_on=D(2025, 5, 4), sessions=2, people=shared,
                  co_organisers=[world.union_a, world.union_a2])
    for org in (world.root, world.district_a, world.street_a, world.union_a, world.union_a2):
        assert value("publicity.lectures.events", org) == 2, org.code
        assert value("publicity.lectures.audience", org) == 3, org.code
    assert value("publicity.lectures.events", world.union_a, own_only=True) == 2  # co-organiser's own figure
    assert value("publicity.lectures.events", world.district_b) == 0
    # Roll-up by child: each co-organising union shows it, the street counts it once (not twice).
    by_child = {org.code: v for org, v in registry.per_child(OPERATOR, "publicity.lectures.events", world.street_a,
                                                              Y2025)}
    assert by_child == {"GZ.A.S1.0001": 2, "GZ.A.S1.0002": 2}
    assert value("publicity.lectures.events", world.street_a) == 2


def test_roll_ups_count_people_once_across_branches(world) -> None:
    commuter = person("张伟")
    make_activity(world.union_a, "sports", start_on=D(2025, 4, 1), people=[commuter, person()])
    make_activity(world.union_b, "sports", start_on=D(2025, 5, 1), people=[commuter])
    make_activity(world.union_b, "culture", start_on=D(2025, 6, 1), headcount=40)
    children = dict(registry.per_child(OPERATOR, "culture.participants", world.root, Y2025))
    assert children[world.district_a] == 2 and children[world.district_b] == 41
    assert value("culture.participants", world.root) == 42  # 张伟 once, not 43
    assert value("culture.events", world.root) == sum(
        int(v or 0) for _, v in registry.per_child(OPERATOR, "culture.events", world.root, Y2025))  # events add up


def test_units_are_named_and_distinct_or_only_counted(world) -> None:
    e_a, e_b = world.union_a.covered_entities.get(), world.union_b.covered_entities.get()
    make_activity(world.root, "other", campaign="ankang_cup", start_on=D(2025, 4, 1),
                  participating_employers=[e_a, e_b])
    make_activity(world.union_b, "inspection", campaign="ankang_cup", start_on=D(2025, 6, 1),
                  participating_employers=[e_b])
    make_activity(world.union_a, "other", campaign="ankang_cup", start_on=D(2025, 7, 1), units=12)
    assert value("safety.ankang.enterprises", world.root) == 2 + 12
    with pytest.raises(ValidationError, match="参与单位数按所选单位计算"):
        make_activity(world.root, "other", start_on=D(2025, 8, 1), participating_employers=[e_a], units=5)


def test_an_activity_outside_the_window_or_subtree_is_not_counted(world) -> None:
    make_activity(world.union_a, "reading", start_on=D(2024, 12, 31), headcount=10)
    make_activity(world.union_a, "reading", start_on=D(2025, 1, 1), headcount=20)
    make_activity(world.union_b, "reading", start_on=D(2025, 12, 31), headcount=30)
    assert value("publicity.reading.participants", world.district_a) == 20
    assert value("publicity.reading.participants", world.root) == 50
