"""Reads of the facility registry, always for an acting user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from gonghui.activities.models import Activity, ActivityParticipant, ParticipantRole
from gonghui.core.scope import Scope
from gonghui.facilities.models import Facility, FacilityGrant, FacilityRecognition
from gonghui.orgs.models import Org


def visible_facilities(user: Any, cap: str = "facilities.view") -> QuerySet[Facility]:
    return Scope.of(user).filter(Facility.objects.all(), cap)


def get_facility(user: Any, pk: int, cap: str = "facilities.view") -> Facility:
    return Scope.of(user).get(Facility.objects.select_related("org", "employer"), cap, pk=pk)


def open_on(day: dt.date) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def facilities(user: Any, *, within: Org, type: str = "", query: str = "", status: str = "",
               level: str = "", own_only: bool = False, on: dt.date | None = None) -> QuerySet[Facility]:
    """Facilities run by a union's subtree; ``status`` open/closed at ``on``; ``level`` recognised at that level."""
    Scope.of(user).require_org(within, "facilities.view")
    qs = visible_facilities(user)
    qs = qs.filter(org=within) if own_only else qs.filter(org__path__startswith=within.path)
    if type:
        qs = qs.filter(type=type)
    if query.strip():
        qs = qs.filter(Q(name__icontains=query.strip()) | Q(address__icontains=query.strip()))
    day = on or dt.date.today()
    if status == "open":
        qs = qs.filter(open_on(day))
    elif status == "closed":
        qs = qs.exclude(open_on(day))
    if level:
        qs = qs.filter(pk__in=FacilityRecognition.objects.filter(level=level, revoked_on__isnull=True)
                       .values("facility_id"))
    return qs.select_related("org").prefetch_related("recognitions").order_by("type", "name", "pk")


def recognitions(user: Any, facility: Facility) -> QuerySet[FacilityRecognition]:
    Scope.of(user).require(facility, "facilities.view")
    return facility.recognitions.order_by("-recognised_on")


def get_recognition(user: Any, pk: int, cap: str = "facilities.view") -> FacilityRecognition:
    return Scope.of(user).get(FacilityRecognition.objects.select_related("facility", "facility__org"), cap, pk=pk)


def visible_recognitions(user: Any) -> QuerySet[FacilityRecognition]:
    return Scope.of(user).filter(FacilityRecognition.objects.all(), "facilities.view")


def grants(user: Any, facility: Facility) -> QuerySet[FacilityGrant]:
    Scope.of(user).require(facility, "facilities.view")
    return facility.grants.select_related("granted_by").order_by("-granted_on")


def get_grant(user: Any, pk: int, cap: str = "facilities.view") -> FacilityGrant:
    return Scope.of(user).get(FacilityGrant.objects.select_related("facility", "facility__org"), cap, pk=pk)


def visible_grants(user: Any) -> QuerySet[FacilityGrant]:
    return Scope.of(user).filter(FacilityGrant.objects.all(), "facilities.view")


@dataclass(frozen=True)
class Services:
    """What a facility served in a window, from the activities linked to it."""

    activities: int
    sessions: int
    visits: int  # 人次
    persons: int  # 人
    estimated: bool


def services(user: Any, facility: Facility, *, date_from: dt.date | None = None,
             date_to: dt.date | None = None) -> Services:
    """Visits (人次) and people served (人) at a facility, counted from its activities the user may see."""
    Scope.of(user).require(facility, "facilities.view")
    acts = Scope.of(user).filter(Activity.objects.filter(facility=facility), "activities.view")
    if date_from:
        acts = acts.filter(start_on__gte=date_from)
    if date_to:
        acts = acts.filter(start_on__lte=date_to)
    roster = ActivityParticipant.objects.filter(activity__in=acts.values("pk"), role=ParticipantRole.PARTICIPANT)
    paper = acts.filter(headcount_only=True)
    paper_total = sum(paper.values_list("headcount", flat=True))
    return Services(
        activities=acts.count(),
        sessions=sum(acts.values_list("sessions", flat=True)),
        visits=sum(roster.values_list("attendances", flat=True)) + paper_total,
        persons=roster.values("person_key").distinct().count() + paper_total,
        estimated=acts.filter(estimated=True).exists(),
    )
