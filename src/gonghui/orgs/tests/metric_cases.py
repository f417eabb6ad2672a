"""Known data for the organisation family: the standard world plus the 2025 events below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gonghui.orgs import services
from gonghui.reports.testing import MetricCase
from gonghui.testing import make_employer, make_org

D = dt.date


def build(world: Any) -> None:
    # A joint (building) union founded in 2025 over three small private employers.
    small = [make_employer(world.street_a, headcount=h, female_headcount=5) for h in (10, 20, 30)]
    make_org(world.street_a, "GZ.A.S1.0003", name="甲楼宇联合工会", mode="joint", joint_type="building",
             founded_on=D(2025, 4, 1), covered_workers=60, covered_entities=small)
    # An organ union founded in 2025 over a government employer of 150, above the size threshold.
    bureau = make_employer(world.street_b, name="B区某局", ownership="government", headcount=150,
                           female_headcount=60, above_scale=True)
    make_org(world.street_b, "GZ.B.S1.0002", name="B区某局机关工会", founded_on=D(2025, 6, 1),
             covered_workers=150, covered_entities=[bureau])
    services.dissolve_org(None, world.union_a2, on=D(2025, 9, 30), reason="企业注销")
    services.update_org(None, world.union_a, reelected_on=D(2025, 5, 20), realname_complete=True,
                        has_own_account=True, account_opened_on=D(2020, 1, 1))
    services.update_org(None, world.union_b, central_accounting=True)
    branch = make_org(world.union_a, "GZ.A.S1.0001.B1", name="甲一分工会", kind="branch")
    make_org(branch, "GZ.A.S1.0001.B1.G1", name="甲一分工会第一小组", kind="group")
    women = services.create_committee(None, world.union_a, kind="women", elected_on=D(2025, 5, 20))
    union_committee = services.create_committee(None, world.union_a, kind="union", elected_on=D(2025, 5, 20))
    audit_committee = services.create_committee(None, world.union_a, kind="audit", elected_on=D(2025, 5, 20))
    services.create_committee(None, world.union_b, kind="audit", elected_on=D(2016, 3, 1))

    def officer(org: Any, role: str, gender: str, **kw: Any) -> None:
        kw.setdefault("started_on", D(2025, 5, 20))
        services.add_officer(None, org, role=role, name="测试", gender=gender, **kw)

    officer(world.union_a, "chair", "female", committee=union_committee, full_time=True)
    officer(world.union_a, "vice_chair", "male", committee=union_committee)
    officer(world.union_a, "committee_member", "female", committee=union_committee)
    officer(world.union_a, "committee_member", "male", committee=union_committee)
    officer(world.union_a, "committee_member", "female", committee=audit_committee)
    officer(world.union_a, "committee_member", "female", committee=women, ended_on=D(2025, 8, 1))
    officer(world.union_b, "chair", "male", started_on=D(2016, 3, 1))
    officer(world.union_b, "committee_member", "male", started_on=D(2025, 7, 1), by_election=True)
    officer(world.union_a2, "chair", "male", started_on=D(2015, 3, 1))  # union dissolved in 2025


CASES = [
    MetricCase("orgs.grassroots.new", 2),
    MetricCase("orgs.grassroots.new", 1, filters={"mode": "joint"}),
    MetricCase("orgs.grassroots.new", 1, org="GZ.A"),
    MetricCase("orgs.grassroots.new", 0, year=2024),
    MetricCase("orgs.grassroots.new.nonpublic", 1),
    MetricCase("orgs.grassroots.new.public_sector", 1),
    MetricCase("orgs.grassroots.new.large_enterprise", 1),
    MetricCase("orgs.grassroots.new.above_scale", 1),
    MetricCase("orgs.grassroots.new.covered_entities", 4),
    MetricCase("orgs.grassroots.new.covered_entities", 3, org="GZ.A.S1"),
    MetricCase("orgs.grassroots.new_or_reelected", 3),
    MetricCase("orgs.grassroots.reelected", 1),
    MetricCase("orgs.grassroots.dissolved", 1),
    MetricCase("orgs.grassroots.total", 4),
    MetricCase("orgs.grassroots.total", 3, year=2024),  # before the 2025 changes
    MetricCase("orgs.grassroots.total", 3, filters={"mode": "single"}),
    MetricCase("orgs.grassroots.total", 2, org="GZ.A.S1"),
    MetricCase("orgs.grassroots.total", 0, org="GZ.A.S1", own_only=True),
    MetricCase("orgs.grassroots.total.workers_covered", 450),
    MetricCase("orgs.grassroots.total.covered_entities", 6),
    MetricCase("orgs.joint.total", 1),
    MetricCase("orgs.joint.total", 1, filters={"joint_type": "building"}),
    MetricCase("orgs.joint.total.covered_entities", 3),
    MetricCase("orgs.grassroots.term_overdue", 1),
    MetricCase("orgs.branches.total", 1),
    MetricCase("orgs.groups.total", 1),
    MetricCase("orgs.realname.total", 1),
    MetricCase("orgs.committees.units", 2),
    MetricCase("orgs.committees.units", 1, filters={"kind": "women"}),
    MetricCase("finance.centralised_accounting.units", 1),
    MetricCase("finance.independent_account.units", 1),
    MetricCase("self.committee.total", 6),
    MetricCase("self.committee.total", 2, filters={"gender": "female"}),
    MetricCase("self.committee.total", 1, filters={"kind": "audit"}),
    MetricCase("self.committee.total", 0, filters={"kind": "women"}),  # the only member left in August
    MetricCase("self.chairs.total", 2),
    MetricCase("self.chairs.total", 1, filters={"full_time": "true"}),
    MetricCase("self.staff.total", 7),
    MetricCase("self.committee.members_added", 1),
    MetricCase("members.workforce.total", 450),
    MetricCase("members.workforce.female", 155),
    MetricCase("members.workforce.female_share", Decimal("34.4")),
]
