from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from gonghui.core.scopecase import ScopeCase
from gonghui.facilities import exporters, selectors, services
from gonghui.facilities.models import Facility, FacilityGrant, FacilityRecognition

_n = itertools.count(1)


def _facility(world, org, type="home"):
    return services.create_facility(None, org, type=type, name=f"范围测试职工之家{next(_n)}",
                                    address="广州市天河区测试路1号", opened_on=dt.date(2022, 3, 1))


def _recognition(world, org):
    return services.add_recognition(None, _facility(world, org), title="model_home", level="city",
                                    recognised_on=dt.date(2024, 4, 28), awarded_by="测试市总工会")


def _grant(world, org):
    return services.add_grant(None, _facility(world, org, "library"), granted_on=dt.date(2024, 9, 1),
                              amount=Decimal("5000.00"), books=300, purpose=f"范围测试补助{next(_n)}")


CASES = [
    ScopeCase(
        model=Facility,
        make=_facility,
        list=lambda user: selectors.visible_facilities(user),
        change=lambda user, obj: services.update_facility(user, obj, opening_hours="9:00-17:00"),
        ui_urls=lambda obj: [f"/facilities/{obj.pk}/", f"/facilities/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/facilities/{obj.pk}", f"/api/v1/facilities/{obj.pk}/services"],
        ui_lists=lambda obj: [("/facilities/", obj.name)],
        api_lists=lambda obj: [("/api/v1/facilities?page_size=500", obj.name)],
        export=lambda user, org: exporters.export_facilities(user, org).rows,
        export_marker=lambda obj: obj.name,
    ),
    ScopeCase(
        model=FacilityRecognition,
        make=_recognition,
        list=lambda user: selectors.visible_recognitions(user),
        change=lambda user, obj: services.update_recognition(user, obj, document_no="穗工〔2024〕18号"),
        ui_urls=lambda obj: [f"/facilities/recognitions/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/facilities/{obj.facility_id}/recognitions"],
    ),
    ScopeCase(
        model=FacilityGrant,
        make=_grant,
        list=lambda user: selectors.visible_grants(user),
        change=lambda user, obj: services.update_grant(user, obj, books=400),
        ui_urls=lambda obj: [f"/facilities/grants/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/facilities/{obj.facility_id}/grants"],
    ),
]
