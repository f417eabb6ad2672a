"""Known data for organisation building: above-scale employers of the world, and star ratings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gonghui.organising import services
from gonghui.orgs import services as org_services
from gonghui.reports.testing import MetricCase
from gonghui.testing import make_employer

D = dt.date


def build(world: Any) -> None:
    # Above-scale employers: union A's and union B's (covered), one in street A without a union,
    # and one in street B that closed in 2024 (no longer in the register's count).
    org_services.update_employer(None, world.union_a.covered_entities.get(), above_scale=True)
    org_services.update_employer(None, world.union_b.covered_entities.get(), above_scale=True)
    make_employer(world.street_a, name="规上未建会公司", headcount=400, above_scale=True)
    make_employer(world.street_b, name="已注销规上公司", headcount=350, above_scale=True, closed_on=D(2024, 8, 1))

    def rate(org: Any, stars: int, level: str, on: dt.date, **kw: Any) -> None:
        services.award_star_rating(None, org, stars=stars, level=level, awarded_on=on, awarded_by="测试总工会", **kw)

    rate(world.union_a, 4, "district", D(2025, 1, 10), valid_until=D(2027, 12, 31))
    rate(world.union_b, 5, "city", D(2023, 12, 1), valid_until=D(2025, 6, 30))
    rate(world.union_a2, 3, "district", D(2024, 11, 1))
    rate(world.union_a, 5, "city", D(2025, 11, 11))
    rate(world.street_a, 3, "city", D(2025, 6, 1))


CASES = [
    MetricCase("orgs.establishment_rate.above_scale", Decimal("66.7")),  # 2 of 3 open above-scale employers
    MetricCase("orgs.establishment_rate.above_scale", Decimal("50.0"), org="GZ.A"),
    MetricCase("orgs.establishment_rate.above_scale", Decimal("100.0"), org="GZ.B"),
    MetricCase("orgs.establishment_rate.above_scale", Decimal("50.0"), org="GZ.B", year=2023),  # before closing
    MetricCase("orgs.star_rated.new", 2),  # union A twice, street A once
    MetricCase("orgs.star_rated.new", 2, filters={"level": "city"}),
    MetricCase("orgs.star_rated.new", 1, filters={"stars": "5"}),
    MetricCase("orgs.star_rated.total", 3),  # union B's rating expired in June
    MetricCase("orgs.star_rated.total", 2, year=2024),
    MetricCase("orgs.star_rated.total", 0, org="GZ.B"),
]
