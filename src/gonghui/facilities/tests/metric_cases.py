"""Known data for the facility family: the standard world plus the facilities below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gonghui.facilities import services
from gonghui.reports.testing import MetricCase

D = dt.date


def build(world: Any) -> None:
    def facility(org: Any, type: str, opened: dt.date, name: str, **kw: Any) -> Any:
        return services.create_facility(None, org, type=type, name=name, address="测试地址", opened_on=opened, **kw)

    def recognise(f: Any, title: str, level: str, on: dt.date) -> None:
        services.add_recognition(None, f, title=title, level=level, recognised_on=on, awarded_by="测试市总工会")

    f1 = facility(world.union_a, "home", D(2025, 3, 1), "甲公司职工之家")
    recognise(f1, "model_home", "city", D(2025, 4, 28))
    recognise(f1, "model_home", "district", D(2025, 4, 1))
    f2 = facility(world.union_b, "home", D(2019, 5, 1), "丙公司职工之家")
    services.close_facility(None, f2, on=D(2025, 6, 30), reason="企业搬迁")
    f3 = facility(world.street_a, "home", D(2018, 5, 1), "A区一街道职工服务中心职工之家")
    recognise(f3, "model_home", "provincial", D(2025, 4, 20))
    recognise(facility(world.union_a, "small_home", D(2020, 1, 1), "甲公司一车间职工小家"),
              "model_small_home", "district", D(2025, 5, 1))
    f5 = facility(world.union_a2, "library", D(2025, 2, 1), "乙公司职工书屋", books=1200)
    services.add_grant(None, f5, granted_on=D(2025, 4, 23), granted_by=world.street_a, amount=Decimal("5000"),
                       books=300)
    services.add_grant(None, f5, granted_on=D(2025, 9, 1), granted_by=world.district_a, amount=Decimal("2000"))
    f6 = facility(world.union_b, "library", D(2016, 4, 1), "丙公司职工书屋", books=3000)
    services.add_grant(None, f6, granted_on=D(2025, 4, 23), granted_by=world.root, amount=Decimal("3000"))
    services.add_grant(None, f6, granted_on=D(2024, 4, 23), granted_by=world.root, amount=Decimal("3000"))
    f7 = facility(world.union_b, "nursing_room", D(2025, 8, 1), "丙公司爱心妈咪小屋")
    recognise(f7, "model_nursing_room", "city", D(2025, 12, 1))
    facility(world.street_b, "parent_child_room", D(2025, 7, 1), "B区一街道亲子关爱室")
    facility(world.street_a, "outdoor_station", D(2025, 7, 15), "A区一街道户外劳动者服务站")
    facility(world.union_b, "outdoor_station", D(2023, 6, 1), "丙公司爱心驿站")
    facility(world.union_a, "reading_station", D(2025, 4, 23), "甲公司悦读驿站")


CASES = [
    MetricCase("facilities.home.new", 1),
    MetricCase("facilities.home.total", 2),  # one home closed in June
    MetricCase("facilities.home.total", 2, year=2024),  # the 2025 home not yet, the closed one still open
    MetricCase("facilities.home.recognised", 2),  # two homes (one twice, at two levels)
    MetricCase("facilities.home.recognised", 1, filters={"level": "city"}),
    MetricCase("facilities.home.recognised", 1, org="GZ.A.S1.0001"),
    MetricCase("facilities.small_home.recognised", 1),
    MetricCase("facilities.library.new", 1),
    MetricCase("facilities.library.total", 2),
    MetricCase("facilities.library.recognised", 0),
    MetricCase("facilities.library.grants.units", 2),
    MetricCase("facilities.library.grants.amount", Decimal("10000.00")),
    MetricCase("facilities.library.grants.amount", Decimal("3000.00"), year=2024),
    MetricCase("facilities.nursing_room.new", 1),
    MetricCase("facilities.nursing_room.total", 1),
    MetricCase("facilities.nursing_room.recognised", 1),
    MetricCase("facilities.parent_child_room.new", 1),
    MetricCase("facilities.outdoor_station.new", 1),
    MetricCase("facilities.outdoor_station.total", 2),
    MetricCase("facilities.outdoor_station.total", 1, org="GZ.B"),
    MetricCase("facilities.reading_station.new", 1),
]
