"""Pages of the facility registry (阵地). Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from gonghui.activities import selectors as activity_selectors
from gonghui.core.excel import xlsx_response
from gonghui.core.forms import form_page
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.scope import Scope
from gonghui.facilities import exporters, selectors, services
from gonghui.facilities.forms import CloseForm, FacilityForm, GrantForm, RecognitionForm
from gonghui.facilities.models import AwardLevel, FacilityType
from gonghui.orgs import selectors as org_selectors
from gonghui.reports import registry
from gonghui.reports.figures.links import drill_down_url
from gonghui.reports.windows import Window


def _filters(request: AuthedRequest) -> dict[str, Any]:
    p = request.GET
    return {"type": p.get("type", ""), "query": p.get("q", ""), "status": p.get("status", ""),
            "level": p.get("level", ""), "own_only": p.get("own") == "1"}


def facility_list(request: AuthedRequest) -> HttpResponse:
    within = current_org(request)
    filters = _filters(request)
    if request.GET.get("export"):
        return xlsx_response(f"{within.name}-阵地名录.xlsx", [exporters.export_facilities(request.user, within,
                                                                                         **filters)])
    qs = selectors.facilities(request.user, within=within, **filters)
    return render(request, "facilities/list.html", {
        "page": Paginator(qs, 30).get_page(request.GET.get("page")), "within": within, "params": request.GET,
        "types": FacilityType.choices, "levels": AwardLevel.choices,
        "can_edit": Scope.of(request.user).allows_org(within, "facilities.edit"),
    })


def facility_create(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    Scope.of(request.user).require_org(org, "facilities.edit")
    form = FacilityForm(request.POST or None, org=org, user=request.user)
    return form_page(request, form, lambda data: services.create_facility(request.user, org, **data),
                     success=lambda f: f"已登记阵地“{f.name}”。", redirect_to=lambda f: f.get_absolute_url(),
                     title=f"{org.name} · 登记阵地", back="/facilities/", back_label="阵地名录")


def facility_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, pk)
    year = dt.date.today().year
    acts = activity_selectors.activities(request.user, within=facility.org, facility_id=facility.pk) \
        if Scope.of(request.user).allows_org(facility.org, "activities.view") else None
    return render(request, "facilities/detail.html", {
        "facility": facility, "org": facility.org,
        "recognitions": selectors.recognitions(request.user, facility),
        "grants": selectors.grants(request.user, facility),
        "this_year": selectors.services(request.user, facility, date_from=dt.date(year, 1, 1)),
        "all_time": selectors.services(request.user, facility),
        "activities": acts[:20] if acts is not None else [], "year": year,
        "can_edit": Scope.of(request.user).allows_org(facility.org, "facilities.edit"),
        "services_labels": facility_services(facility),
    })


def facility_services(facility: Any) -> list[str]:
    from gonghui.facilities.models import Service

    labels = dict(Service.choices)
    return [labels.get(s, s) for s in facility.services or []]


def _facility_form(request: AuthedRequest, facility: Any, form: Any, save: Any, *, success: str, anchor: str,
                   title: str) -> HttpResponse:
    """A form page about one facility: back to the facility, to ``anchor`` after saving."""
    url = facility.get_absolute_url()
    return form_page(request, form, save, success=success, redirect_to=url + anchor, title=title, back=url,
                     back_label=facility.name)


def facility_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, pk, "facilities.edit")
    form = FacilityForm(request.POST or None, instance=type(facility).objects.get(pk=pk), org=facility.org,
                        user=request.user)
    return _facility_form(request, facility, form,
                          lambda data: services.update_facility(request.user, facility, **data),
                          success=f"已保存“{facility.name}”的修改。", anchor="", title=f"编辑 {facility.name}")


def facility_close(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, pk, "facilities.edit")
    return _facility_form(request, facility, CloseForm(request.POST or None),
                          lambda data: services.close_facility(request.user, facility, **data),
                          success=f"“{facility.name}”已登记停用。", anchor="", title=f"停用 {facility.name}")


def recognition_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, pk, "facilities.edit")
    return _facility_form(request, facility, RecognitionForm(request.POST or None, facility=facility),
                          lambda data: services.add_recognition(request.user, facility, **data),
                          success="已登记命名。", anchor="#recognitions", title=f"{facility.name} · 登记命名")


def recognition_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    recognition = selectors.get_recognition(request.user, pk, "facilities.edit")
    facility = recognition.facility
    form = RecognitionForm(request.POST or None, instance=type(recognition).objects.get(pk=pk), facility=facility)
    return _facility_form(request, facility, form,
                          lambda data: services.update_recognition(request.user, recognition, **data),
                          success="已保存命名记录。", anchor="#recognitions", title=f"编辑命名：{recognition}")


def grant_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.get_facility(request.user, pk, "facilities.edit")
    return _facility_form(request, facility, GrantForm(request.POST or None, facility=facility),
                          lambda data: services.add_grant(request.user, facility, **data),
                          success="已登记补助。", anchor="#grants", title=f"{facility.name} · 登记补助")


def grant_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant(request.user, pk, "facilities.edit")
    facility = grant.facility
    form = GrantForm(request.POST or None, instance=type(grant).objects.get(pk=pk), facility=facility)
    return _facility_form(request, facility, form, lambda data: services.update_grant(request.user, grant, **data),
                          success="已保存补助记录。", anchor="#grants", title="编辑补助")


# Figures shown per facility type on the summary page: (type, new key, total key, recognised key).
SUMMARY = [
    (FacilityType.HOME, "facilities.home.new", "facilities.home.total", "facilities.home.recognised"),
    (FacilityType.SMALL_HOME, None, None, "facilities.small_home.recognised"),
    (FacilityType.LIBRARY, "facilities.library.new", "facilities.library.total", "facilities.library.recognised"),
    (FacilityType.NURSING_ROOM, "facilities.nursing_room.new", "facilities.nursing_room.total",
     "facilities.nursing_room.recognised"),
    (FacilityType.PARENT_CHILD_ROOM, "facilities.parent_child_room.new", None, None),
    (FacilityType.OUTDOOR_STATION, "facilities.outdoor_station.new", "facilities.outdoor_station.total", None),
    (FacilityType.READING_STATION, "facilities.reading_station.new", None, None),
]


def figures(request: AuthedRequest) -> HttpResponse:
    """Facility figures of the current union for a year, by type, and open facilities per sub-union."""
    org = current_org(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else dt.date.today().year
    window = Window.year(year)

    def value(key: str | None, **filters: str) -> Any:
        return registry.evaluate(request.user, key, org, window, filters=filters).value if key else None

    rows = [{"type": FacilityType(t).label, "new": value(new), "total": value(total), "recognised": value(rec),
             "by_level": [value(rec, level=lv) for lv, _ in AwardLevel.choices] if rec else [],
             "urls": [drill_down_url(k, org.code, window) if k else "" for k in (new, total, rec)]}
            for t, new, total, rec in SUMMARY]
    children = []
    for child in org_selectors.children(request.user, org):
        qs = selectors.facilities(request.user, within=child, status="open", on=window.end)
        counts = {t: 0 for t, _ in FacilityType.choices}
        for t in qs.values_list("type", flat=True):
            counts[t] += 1
        if any(counts.values()):
            children.append((child, [counts[t] for t, _ in FacilityType.choices], sum(counts.values())))
    return render(request, "facilities/figures.html", {
        "org": org, "year": year, "rows": rows, "levels": AwardLevel.choices, "children": children,
        "type_labels": [label for _, label in FacilityType.choices],
        "years": list(range(dt.date.today().year, dt.date.today().year - 5, -1)),
    })
