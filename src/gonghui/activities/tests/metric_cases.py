"""Known data for the activity family: the standard world plus the activities below (2025 unless noted).

Six persons P1…P6 take part in several activities, so 人 (distinct) and 人次 differ; some
activities are known only from a paper sign-in (headcount_only); one lecture is co-organised
by a street federation and one of its grassroots unions, and counts once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gonghui.activities import services
from gonghui.activities.testing import make_activity, person
from gonghui.reports.testing import MetricCase

D = dt.date


def build(world: Any) -> None:
    p = {i: person(f"人员{i}号") for i in range(1, 7)}
    e_a = world.union_a.covered_entities.get()
    e_a2 = world.union_a2.covered_entities.get()
    e_b = world.union_b.covered_entities.get()
    ua, ua2, sa, ub, sb, root = (world.union_a, world.union_a2, world.street_a, world.union_b, world.street_b,
                                 world.root)

    def roster(*items: Any) -> list[services.PersonIn]:
        out = []
        for item in items:
            number, extra = (item, {}) if isinstance(item, int) else item
            out.append(services.PersonIn(**{**p[number].__dict__, **extra}))
        return out

    # Lectures: A1 (roster, women), A2 (co-organised by the street and union A), A3 (paper, estimated), A4 (2024).
    make_activity(ua, "lecture", start_on=D(2025, 3, 5), sessions=2, audience="women", topics=["policy"],
                  participating_employers=[e_a],
                  people=roster((1, {"attendances": 2}), 2, (3, {"role": "lecturer"})))
    make_activity(sa, "lecture", start_on=D(2025, 4, 10), co_organisers=[ua], people=roster(1, 4))
    make_activity(ub, "lecture", start_on=D(2025, 6, 1), sessions=3, headcount=120, estimated=True, units=5)
    make_activity(ua, "lecture", start_on=D(2024, 11, 5), headcount=50)
    # Trainings: T1 (roster with outcomes), T2 (paper with outcome counts), T3 (women, roster).
    make_activity(ua, "training", start_on=D(2025, 5, 10), sessions=4, hours=Decimal("16"), people=roster(
        (1, {"attendances": 4, "certified": True, "is_migrant": True}), (5, {"attendances": 3, "reemployed": True}),
        (6, {"attendances": 4, "certified": True})))
    make_activity(ub, "training", start_on=D(2025, 7, 1), headcount=40, certified_count=25, reemployed_count=3)
    make_activity(sa, "training", start_on=D(2025, 9, 1), sessions=2, audience="women",
                  people=roster((2, {"attendances": 2})))
    make_activity(root, "cadre_training", start_on=D(2025, 3, 20), sessions=2,
                  people=roster((1, {"attendances": 2}), (4, {"attendances": 2})))
    # Culture and sports.
    make_activity(sa, "sports", start_on=D(2025, 10, 1), end_on=D(2025, 10, 3), sessions=12, teams=8,
                  participating_employers=[e_a, e_a2], people=roster(5, 6))
    make_activity(ub, "culture", start_on=D(2025, 12, 20), headcount=200, units=4, campaign="culture_outreach")
    make_activity(ua, "sports", start_on=D(2024, 9, 1), headcount=90)
    essay = make_activity(root, "essay_contest", start_on=D(2025, 6, 15), people=roster(1, 2, 4))
    first = essay.participants.get(person_key=services.person_key(p[1].id_number))
    services.add_entry(None, essay, kind="person", name="人员1号", participant=first, published=True)
    services.add_entry(None, essay, kind="person", name="人员2号")
    make_activity(root, "charity_auction", start_on=D(2025, 11, 8), headcount=80,
                  measures={"lots": 36, "proceeds": "56800.00"})
    # Rights.
    make_activity(ua2, "legal_outreach", start_on=D(2025, 3, 15), sessions=2, headcount=60)
    make_activity(sa, "openness_inspection", start_on=D(2025, 8, 1), headcount=6, participating_employers=[e_a, e_a2])
    make_activity(sb, "openness_inspection", start_on=D(2025, 8, 2), headcount=5, units=3)
    make_activity(sb, "bargaining_guidance", start_on=D(2025, 9, 9), sessions=2, headcount=15)
    make_activity(ua, "joint_with_admin", start_on=D(2025, 1, 15), headcount=9)
    # 安康杯: the same enterprise named in two activities counts once.
    make_activity(root, "other", start_on=D(2025, 4, 1), end_on=D(2025, 10, 31), campaign="ankang_cup",
                  headcount=300, participating_employers=[e_a, e_a2, e_b])
    make_activity(ub, "inspection", start_on=D(2025, 6, 18), campaign="ankang_cup", headcount=50,
                  participating_employers=[e_b])
    make_activity(ub, "museum_visit", start_on=D(2025, 6, 20), topics=["safety"], headcount=45)
    make_activity(ub, "museum_visit", start_on=D(2025, 7, 1), topics=["party_history"], headcount=30)
    # Contests with entries and results.
    k1 = make_activity(sa, "contest", start_on=D(2025, 5, 20), trade="电工", teams=4,
                       participating_employers=[e_a, e_a2], people=roster(1, 5))
    contestant = k1.participants.get(person_key=services.person_key(p[1].id_number))
    services.add_entry(None, k1, kind="team", name="甲公司代表队", result="team_prize", rank_text="团体一等奖")
    services.add_entry(None, k1, kind="person", name="人员1号", participant=contestant, result="individual_prize",
                       rank_text="第一名", recommended_up=True)
    services.add_entry(None, k1, kind="unit", name=e_a.name, employer=e_a, result="advanced_unit")
    k2 = make_activity(ub, "contest", start_on=D(2025, 8, 8), trade="焊工", teams=2, headcount=20, units=3)
    services.add_entry(None, k2, kind="person", name="王某", result="advanced_person")
    make_activity(root, "contest_project", start_on=D(2025, 1, 1), end_on=D(2025, 12, 31), headcount=500)
    make_activity(ua, "quiz", start_on=D(2025, 4, 23), teams=6, people=roster(2, 4))
    make_activity(ua, "reading", start_on=D(2025, 4, 23), sessions=3, headcount=25)
    make_activity(root, "mixer", start_on=D(2025, 5, 20), headcount=60, reach=15000)
    # Meetings and self-building.
    make_activity(ua, "study", start_on=D(2025, 2, 10), headcount=11)
    make_activity(root, "study", start_on=D(2025, 2, 12), headcount=30)
    make_activity(root, "seminar", start_on=D(2025, 7, 7), headcount=18)
    make_activity(sa, "work_inspection", start_on=D(2025, 11, 20), headcount=4)
    # Care activities.
    make_activity(ua, "health_check", start_on=D(2025, 3, 8), topics=["women_screening"], people=roster(2, 6))
    make_activity(ub, "health_check", start_on=D(2025, 10, 12), headcount=100)
    make_activity(ua, "recuperation", start_on=D(2025, 8, 1), sessions=2, people=roster((1, {"attendances": 2}), 4))
    make_activity(sb, "retirement_ceremony", start_on=D(2025, 12, 26), headcount=12)
    make_activity(root, "job_fair", start_on=D(2025, 2, 18), campaign="spring_jobs", headcount=1500,
                  measures={"positions": 800, "jobseekers": 1500, "job_intents": 320})
    make_activity(sa, "job_fair", start_on=D(2025, 9, 18), headcount=300, measures={"positions": 100})
    make_activity(root, "volunteer_service", start_on=D(2025, 1, 20), end_on=D(2025, 2, 28), campaign="warm_current",
                  headcount=2600)
    make_activity(root, "model_worker_forum", start_on=D(2025, 4, 28), headcount=25)
    # Publicity items and materials.
    services.create_publicity_item(None, ua, type="post", title="甲公司工会开展普法宣传", published_on=D(2025, 3, 16),
                                   outlet="甲公司工会公众号", reach=500)
    services.create_publicity_item(None, sa, type="report", title="A区一街道劳动竞赛", published_on=D(2025, 5, 22),
                                   outlet="街道公众号", adopted_by="工人日报", adopted_level="national", reach=3000)
    services.create_publicity_item(None, ub, type="video", title="丙公司安全生产微视频", published_on=D(2025, 6, 30),
                                   outlet="视频号", reach=12000)
    services.create_publicity_item(None, root, type="article", title="市总工会评论", published_on=D(2025, 9, 1),
                                   outlet="市总工会网站", level="city", adopted_by="广州日报", adopted_level="city")
    services.create_publicity_item(None, ua, type="post", title="去年的推送", published_on=D(2024, 12, 1),
                                   outlet="甲公司工会公众号", reach=800)
    services.create_material_distribution(None, ua, distributed_on=D(2025, 3, 15), topic="legal",
                                          title="劳动法律知识手册", copies=200)
    services.create_material_distribution(None, sb, distributed_on=D(2025, 2, 1), topic="pandemic",
                                          title="疫情防控指引", copies=1500, campaign="pandemic")
    services.create_material_distribution(None, sb, distributed_on=D(2024, 2, 1), topic="pandemic",
                                          title="去年的资料", copies=300)
    # Associations: a city club with branches, one of them dissolved in 2025.
    club = services.create_club(None, root, name="市职工书画协会", kind="culture", founded_on=D(2015, 5, 1))
    services.create_club(None, sa, name="A区一街道书画分会", kind="culture", parent=club, founded_on=D(2020, 3, 1))
    services.create_club(None, ub, name="丙公司书画分会", kind="culture", parent=club, founded_on=D(2024, 9, 1))
    services.create_club(None, world.district_b, name="B区书画分会", kind="culture", parent=club,
                         founded_on=D(2019, 3, 1), dissolved_on=D(2025, 6, 30))
    # Periodicals given to the unions below (union A gets two).
    services.give_subscriptions(None, root, [ua, ua2, ub], periodical="工人日报", year=2025, copies=2)
    services.give_subscriptions(None, sa, [ua], periodical="《南方工报》", year=2025)
    services.give_subscriptions(None, root, [ua], periodical="工人日报", year=2024)


CASES = [
    # 人 vs 人次, paper headcounts, co-organised lecture counted once.
    MetricCase("publicity.lectures.events", 6),
    MetricCase("publicity.lectures.audience", 123),  # P1, P2, P4 (P1 twice, P3 lectured) + 120 on paper
    MetricCase("publicity.lectures.audience", 3, org="GZ.A"),
    MetricCase("publicity.lectures.events", 3, org="GZ.A.S1.0001"),  # its own lecture and the co-organised one
    MetricCase("publicity.lectures.events", 3, org="GZ.A.S1.0001", own_only=True),
    MetricCase("publicity.lectures.events", 0, org="GZ.A.S1.0002"),
    MetricCase("publicity.lectures.audience", 120, org="GZ.B"),
    MetricCase("publicity.lectures.audience", 50, year=2024),
    MetricCase("publicity.lectures.units", 6),
    MetricCase("publicity.lecturers", 1),
    MetricCase("publicity.contests.teams", 6),
    MetricCase("publicity.contests.participants", 2),
    MetricCase("publicity.reading.events", 3),
    MetricCase("publicity.reading.participants", 25),
    MetricCase("publicity.posts", 2),
    MetricCase("publicity.posts", 2, org="GZ.A.S1"),
    MetricCase("publicity.posts", 0, org="GZ.B"),
    MetricCase("publicity.videos", 1),
    MetricCase("publicity.articles_adopted", 2),
    MetricCase("publicity.articles_adopted", 1, filters={"adopted_level": "national"}),
    MetricCase("publicity.reach", 15500),
    MetricCase("publicity.materials.copies", 1700),
    MetricCase("publicity.materials.copies", 200, filters={"topic": "legal"}),
    MetricCase("publicity.materials.copies", 300, year=2024),
    MetricCase("publicity.periodicals.units", 3),
    MetricCase("publicity.periodicals.units", 2, org="GZ.A"),
    MetricCase("publicity.periodicals.units", 1, year=2024),
    # Culture and sports.
    MetricCase("culture.events", 2),
    MetricCase("culture.participants", 202),
    MetricCase("culture.participating_units", 6),
    MetricCase("culture.sports.teams", 8),
    MetricCase("culture.sports.athletes", 2),
    MetricCase("culture.sports.matches", 12),
    MetricCase("culture.sports.duration_days", 3),
    MetricCase("culture.essay.submitters", 3),
    MetricCase("culture.essay.published", 1),
    MetricCase("culture.outreach.units", 4),
    MetricCase("culture.outreach.persons", 200),
    MetricCase("culture.clubs.branches", 2),  # the B district branch closed in June
    MetricCase("culture.clubs.branches", 2, year=2023),
    MetricCase("culture.clubs.branches", 1, org="GZ.B"),
    MetricCase("culture.charity_auction.works", 36),
    MetricCase("culture.charity_auction.amount", 56800),
    # Rights.
    MetricCase("rights.legal_publicity.events", 2),
    MetricCase("rights.legal_publicity.audience", 60),
    MetricCase("rights.openness_inspections.units", 5),
    MetricCase("rights.bargaining_guidance.events", 2),
    MetricCase("rights.democracy.joint_meetings", 1),
    # Safety: an enterprise named in two 安康杯 activities counts once.
    MetricCase("safety.ankang.enterprises", 3),
    MetricCase("safety.ankang.participants", 350),
    MetricCase("safety.ankang.enterprises", 1, org="GZ.B"),
    MetricCase("safety.museum_visitors", 75),
    MetricCase("safety.museum_visitors", 45, filters={"topic": "safety"}),
    # Competitions.
    MetricCase("competitions.teams", 6),
    MetricCase("competitions.participants", 22),
    MetricCase("competitions.units", 5),
    MetricCase("competitions.awards.team", 1),
    MetricCase("competitions.awards.individual", 1),
    MetricCase("competitions.advanced_units", 1),
    MetricCase("competitions.advanced_individuals", 1),
    MetricCase("competitions.recommended_upward", 1),
    MetricCase("competitions.trades", 2),
    MetricCase("competitions.projects", 1),
    # Skills training: outcomes from roster flags and from paper counts.
    MetricCase("skills.training.classes", 3),
    MetricCase("skills.training.persons", 44),
    MetricCase("skills.training.person_times", 53),
    MetricCase("skills.training.person_times", 4, filters={"is_migrant": "true"}),
    MetricCase("skills.training.certified", 27),
    MetricCase("skills.training.reemployed", 4),
    # Women and family.
    MetricCase("women.lectures.events", 2),
    MetricCase("women.lectures.participants", 2),
    MetricCase("women.training.classes", 1),
    MetricCase("women.training.participants", 1),
    MetricCase("family.singles_mixer.events", 1),
    MetricCase("family.singles_mixer.reach", 15000),
    # Self-building.
    MetricCase("self.training.events", 1),
    MetricCase("self.training.person_times", 4),
    MetricCase("self.study.sessions", 2),
    MetricCase("self.study.sessions", 1, org="GZ", own_only=True),
    MetricCase("self.study.seminars", 1),
    MetricCase("self.inspections.visits", 1),
    # Care activities and model workers.
    MetricCase("care.health_checks.persons", 102),
    MetricCase("care.health_checks.persons", 2, filters={"topic": "women_screening"}),
    MetricCase("care.health_checks.person_times", 102),
    MetricCase("care.recuperation.person_times", 3),
    MetricCase("care.retirement.persons", 12),
    MetricCase("care.spring_jobs.fairs", 1),
    MetricCase("care.spring_jobs.positions", 800),
    MetricCase("care.spring_jobs.jobseekers", 1500),
    MetricCase("care.spring_jobs.job_intents", 320),
    MetricCase("care.warm_current.person_times", 2600),
    MetricCase("model_workers.forums", 1),
]
