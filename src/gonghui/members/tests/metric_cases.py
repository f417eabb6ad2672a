"""Known data for the membership family: the standard world plus the members below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gonghui.activities import services as activities
from gonghui.members import services
from gonghui.members.testing import make_member, unique_id
from gonghui.reports.testing import MetricCase

D = dt.date


def build(world: Any) -> None:
    a1 = make_member(world.union_a, joined_on=D(2025, 3, 1), is_migrant=True)
    courier = make_member(world.union_a, joined_on=D(2025, 7, 1), new_group="courier", number=unique_id("female"))
    make_member(world.union_a2, joined_on=D(2024, 7, 1))
    make_member(world.union_b, joined_on=D(2026, 1, 5))
    left = make_member(world.union_a2, joined_on=D(2022, 1, 1))
    services.change_membership(None, left, "leave", on=D(2025, 10, 1), reason="本人申请")
    services.change_membership(None, a1, "retain", on=D(2026, 2, 1), reason="失业")
    moving = make_member(world.union_b, joined_on=D(2023, 4, 1))
    t = services.request_transfer(None, moving, world.union_a, on=D(2025, 9, 1), reason="工作调动")
    services.accept_transfer(None, t)
    # 推优入党 (an activities figure over members): a1 recommended, then made an activist (one person); the
    # courier recommended by the street; the moving member by union B in 2024, before the transfer.
    activities.recommend_to_party(None, world.union_a, a1, recommended_on=D(2025, 3, 1))
    activities.recommend_to_party(None, world.union_a, a1, recommended_on=D(2025, 9, 1), stage="activist")
    activities.recommend_to_party(None, world.street_a, courier, recommended_on=D(2025, 7, 20))
    activities.recommend_to_party(None, world.union_b, moving, recommended_on=D(2024, 6, 1))


CASES = [
    # 推优入党: people, not records; by stage; by the union that recommended.
    MetricCase("ideology.party_recommendations", 2),
    MetricCase("ideology.party_recommendations", 1, filters={"stage": "activist"}),
    MetricCase("ideology.party_recommendations", 2, org="GZ.A.S1"),
    MetricCase("ideology.party_recommendations", 1, org="GZ.A.S1", own_only=True),
    MetricCase("ideology.party_recommendations", 1, org="GZ.B", year=2024),
    MetricCase("ideology.party_recommendations", 0, org="GZ.B"),
    MetricCase("members.new", 2),
    MetricCase("members.new", 1, year=2024),
    MetricCase("members.new", 0, org="GZ.B"),  # the transfer-in is not new
    MetricCase("members.new.migrant", 1),
    MetricCase("members.new.eight_groups", 1),
    MetricCase("members.total", 4),  # a1, courier, 2024 member, transferred member
    MetricCase("members.total", 1, filters={"gender": "female"}),
    MetricCase("members.total", 1, filters={"is_migrant": "1"}),
    MetricCase("members.total", 1, filters={"new_group": "1"}),
    MetricCase("members.total", 0, filters={"mode": "joint"}),
    MetricCase("members.total", 3, org="GZ.A.S1.0001"),
    MetricCase("members.total", 0, org="GZ.B"),
    MetricCase("members.total", 3, year=2024),  # the 2024, 2022 (left in 2025) and 2023 (then at B) members
    MetricCase("members.realname.entered", 0, year=2024),  # entered when recorded here, not when joined
    MetricCase("members.realname.entered", 4, year=2026),
    MetricCase("members.transferred_in", 1, org="GZ.A"),
    MetricCase("members.decrease", 1, org="GZ.A"),  # the 2022 member left
    MetricCase("members.decrease", 1, org="GZ.B"),  # transferred out
    MetricCase("members.membership_rate", Decimal("2.5"), org="GZ.A.S1.0001", own_only=True),  # 3 of 120
]
