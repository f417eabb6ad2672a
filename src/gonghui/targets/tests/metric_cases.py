"""Known data for the targets family: three unions founded in 2025, and targets on them split two ways.

GZ's own target on orgs.grassroots.new is 4 (3 founded: 75 %), split to GZ.A 2 (2 founded: 100 %) and
GZ.B 2 (1 founded: 50 %); GZ also has a target of 2 on orgs.grassroots.new_or_reelected (3: 150 %).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gonghui.reports.testing import MetricCase
from gonghui.targets import services
from gonghui.testing import make_grassroots

NEW = "orgs.grassroots.new"


def build(world: Any) -> None:
    make_grassroots(world.street_a, "GZ.A.S1.0003", founded_on=dt.date(2025, 3, 1))
    make_grassroots(world.street_a, "GZ.A.S1.0004", founded_on=dt.date(2025, 9, 30))
    make_grassroots(world.street_b, "GZ.B.S1.0002", founded_on=dt.date(2025, 12, 31))
    make_grassroots(world.street_b, "GZ.B.S1.0003", founded_on=dt.date(2026, 1, 1))  # next year: not counted
    city = services.set_target(None, world.root, world.root, year=2025, metric_key=NEW, value=4)
    services.split_target(None, city, {world.district_a: 2, world.district_b: 2})
    services.set_target(None, world.root, world.root, year=2025, metric_key="orgs.grassroots.new_or_reelected",
                        value=2)


CASES = [
    MetricCase("targets.target", 4, filters={"key": NEW}),
    MetricCase("targets.target", 2, org="GZ.A", filters={"key": NEW}),
    MetricCase("targets.target", 0, org="GZ.A.S1", filters={"key": NEW}),  # no target set there
    MetricCase("targets.target", 0, year=2024, filters={"key": NEW}),
    MetricCase("targets.target", 0),  # different metrics are never added up
    MetricCase("targets.completion_rate", Decimal("75.0"), filters={"key": NEW}),
    MetricCase("targets.completion_rate", Decimal("100.0"), org="GZ.A", filters={"key": NEW}),
    MetricCase("targets.completion_rate", Decimal("50.0"), org="GZ.B", filters={"key": NEW}),
    MetricCase("targets.completion_rate", Decimal("150.0"), filters={"key": "orgs.grassroots.new_or_reelected"}),
    MetricCase("targets.completion_rate", Decimal("75.0")),  # without key: the lowest of the union's targets
    MetricCase("targets.completion_rate", Decimal("0.0"), org="GZ.A.S1", filters={"key": NEW}),
]
