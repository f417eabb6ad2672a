"""Reads for organisation building: coverage rates (建会率), employers without a union, drives, ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from gonghui.core.scope import Scope
from gonghui.organising.models import (
    GROUP_TRADES,
    Assessment,
    CampaignTarget,
    NewGroup,
    OrganisingCampaign,
    StarRating,
)
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Employer, Org, OrgKind

# Trade Union Law: a unit with 25 or more members shall set up a union committee.
COMMITTEE_THRESHOLD = 25


def rate(numerator: int, denominator: int) -> Decimal | None:
    """Percentage with one decimal, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def open_on(day: dt.date) -> Q:
    """Employers in business on ``day``."""
    return (Q(established_on__isnull=True) | Q(established_on__lte=day)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def area_employers_q(within: Org, *, own_only: bool = False) -> Q:
    """Employers of a union's area: registered in its subtree or covered by one of its unions."""
    if own_only:
        return Q(org=within) | Q(pk__in=Employer.objects.filter(covering_unions=within).values("pk"))
    covered_here = Employer.objects.filter(covering_unions__path__startswith=within.path).values("pk")
    return Q(org__path__startswith=within.path) | Q(pk__in=covered_here)


def area_employers(user: Any, within: Org, on: dt.date, *, own_only: bool = False) -> QuerySet[Employer]:
    """Employers of a union's area in business on a date, that the user may see."""
    Scope.of(user).require_org(within, "orgs.view")
    return org_selectors.visible_employers(user).filter(open_on(on)).filter(area_employers_q(within,
                                                                                             own_only=own_only))


@dataclass
class Coverage:
    employers: int
    covered: int
    records: QuerySet[Employer]

    @property
    def rate(self) -> Decimal | None:
        return rate(self.covered, self.employers)

    @property
    def uncovered(self) -> int:
        return self.employers - self.covered


def coverage(user: Any, within: Org, on: dt.date, *, above_scale: bool = False, own_only: bool = False,
             min_headcount: int | None = None) -> Coverage:
    """建会率: employers covered by a union active on ``on`` ÷ employers of the area on that date."""
    qs = area_employers(user, within, on, own_only=own_only)
    if above_scale:
        qs = qs.filter(above_scale=True)
    if min_headcount is not None:
        qs = qs.filter(headcount__gte=min_headcount)
    qs = org_selectors.with_union_flag(qs, on)
    covered = qs.filter(org_selectors.union_exists(on)).count()
    return Coverage(qs.count(), covered, qs.select_related("org").order_by("name", "pk"))


@dataclass
class ChildCoverage:
    org: Org
    all: Coverage
    above_scale: Coverage


def coverage_by_child(user: Any, within: Org, on: dt.date) -> list[ChildCoverage]:
    """Coverage of each area federation below (district, street, industry union): the roll-up table.

    A grassroots union's "area" is only the employers it covers, so it has no rate of its own.
    """
    rows = []
    areas = org_selectors.children(user, within).filter(kind__in=[OrgKind.FEDERATION, OrgKind.INDUSTRY],
                                                        dissolved_on__isnull=True)
    for child in areas:
        total = coverage(user, child, on)
        if total.employers:
            rows.append(ChildCoverage(child, total, coverage(user, child, on, above_scale=True)))
    return rows


def unorganised(user: Any, within: Org, on: dt.date | None = None, *,
                min_headcount: int = COMMITTEE_THRESHOLD) -> QuerySet[Employer]:
    """Employers of the area with at least ``min_headcount`` employees and no union (应建未建), largest first."""
    day = on or dt.date.today()
    qs = area_employers(user, within, day).filter(headcount__gte=min_headcount).exclude(org_selectors.union_exists(day))
    return qs.select_related("org").order_by("-headcount", "name")


def employers_of_group(qs: QuerySet[Employer], group: str) -> QuerySet[Employer]:
    """Employers whose trade tags mark a new-employment-form group (matched here: JSON lists differ by database)."""
    tags = GROUP_TRADES.get(group, ())
    ids = [pk for pk, trades in qs.values_list("pk", "trades")
           if any(tag in trade for trade in (trades or []) for tag in tags)]
    return qs.filter(pk__in=ids)


@dataclass
class GroupCoverage:
    group: str
    label: str
    employers: int
    covered: int
    workers: int
    covered_workers: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.covered, self.employers)


def new_forms(user: Any, within: Org, on: dt.date) -> list[GroupCoverage]:
    """Organising of new-employment-form workers (快递、外卖、网约车、货车司机 …) by employer trade."""
    base = org_selectors.with_union_flag(area_employers(user, within, on), on)
    rows = []
    for group in NewGroup:
        qs = employers_of_group(base, group.value)
        found = [(e.has_union, e.headcount) for e in qs.only("pk", "headcount")]  # type: ignore[attr-defined]
        if not found:
            continue
        rows.append(GroupCoverage(group.value, group.label, len(found), sum(1 for has, _ in found if has),
                                  sum(h for _, h in found), sum(h for has, h in found if has)))
    return rows


# -- drives -------------------------------------------------------------------------------


def visible_campaigns(user: Any) -> QuerySet[OrganisingCampaign]:
    return Scope.of(user).filter(OrganisingCampaign.objects.all(), "orgs.view")


def campaigns(user: Any, *, within: Org) -> QuerySet[OrganisingCampaign]:
    Scope.of(user).require_org(within, "orgs.view")
    return visible_campaigns(user).filter(org__path__startswith=within.path).select_related("org")


def get_campaign(user: Any, pk: int, cap: str = "orgs.view") -> OrganisingCampaign:
    return Scope.of(user).get(OrganisingCampaign.objects.select_related("org"), cap, pk=pk)


def targets(user: Any, campaign: OrganisingCampaign, on: dt.date | None = None) -> QuerySet[CampaignTarget]:
    """The drive's employers with ``has_union`` (now) and ``union_founded_on`` (first union since the drive began)."""
    Scope.of(user).require(campaign, "orgs.view")
    day = on or dt.date.today()
    unions = Org.objects.filter(covered_entities=OuterRef("employer_id"), founded_on__lte=day).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
    founded = unions.filter(founded_on__gte=campaign.start_on).order_by("founded_on")
    return (CampaignTarget.objects.filter(campaign=campaign)
            .annotate(has_union=Exists(unions), union_founded_on=Subquery(founded.values("founded_on")[:1]),
                      union_code=Subquery(founded.values("code")[:1]))
            .select_related("employer").order_by("employer__name"))


def get_target(user: Any, pk: int, cap: str = "orgs.view") -> CampaignTarget:
    return Scope.of(user).get(CampaignTarget.objects.select_related("campaign", "campaign__org", "employer"), cap,
                              pk=pk)


def visible_targets(user: Any) -> QuerySet[CampaignTarget]:
    return Scope.of(user).filter(CampaignTarget.objects.all(), "orgs.view")


@dataclass
class CampaignProgress:
    targets: int
    founded: int
    contacted: int

    def rate(self) -> Decimal | None:
        return rate(self.founded, self.targets)


def progress(user: Any, campaign: OrganisingCampaign) -> CampaignProgress:
    rows = [(t.status, t.union_founded_on) for t in targets(user, campaign)]  # type: ignore[attr-defined]
    return CampaignProgress(len(rows), sum(1 for _, f in rows if f), sum(1 for s, _ in rows if s != "pending"))


# -- ratings and assessments ---------------------------------------------------------------


def visible_ratings(user: Any) -> QuerySet[StarRating]:
    return Scope.of(user).filter(StarRating.objects.all(), "orgs.view")


def valid_on(day: dt.date) -> Q:
    return (Q(awarded_on__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)))


def star_ratings(user: Any, *, within: Org, year: int | None = None, stars: int | None = None,
                 valid: dt.date | None = None) -> QuerySet[StarRating]:
    Scope.of(user).require_org(within, "orgs.view")
    qs = visible_ratings(user).filter(org__path__startswith=within.path)
    if year:
        qs = qs.filter(awarded_on__year=year)
    if stars:
        qs = qs.filter(stars=stars)
    if valid:
        qs = qs.filter(valid_on(valid))
    return qs.select_related("org").order_by("-awarded_on", "org__name")


def get_rating(user: Any, pk: int, cap: str = "orgs.view") -> StarRating:
    return Scope.of(user).get(StarRating.objects.select_related("org"), cap, pk=pk)


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    return Scope.of(user).filter(Assessment.objects.all(), "orgs.view")


def assessments(user: Any, *, within: Org, year: int | None = None, grade: str = "") -> QuerySet[Assessment]:
    Scope.of(user).require_org(within, "orgs.view")
    qs = visible_assessments(user).filter(org__path__startswith=within.path)
    if year:
        qs = qs.filter(year=year)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.select_related("org", "assessor").order_by("-year", "org__path")


def get_assessment(user: Any, pk: int, cap: str = "orgs.view") -> Assessment:
    return Scope.of(user).get(Assessment.objects.select_related("org", "assessor"), cap, pk=pk)


# -- membership rate (入会率) ----------------------------------------------------------------------


@dataclass
class MembershipRate:
    members: int
    workforce: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.members, self.workforce)


def membership_rate(user: Any, within: Org, on: dt.date) -> MembershipRate | None:
    """入会率: members ÷ workforce of the unions' covered employers on a date (the registry's two figures).

    None when the user may not see members (the rate needs the member registry's ``members.view``).
    """
    from gonghui.reports import registry
    from gonghui.reports.windows import Window

    if not Scope.of(user).allows_org(within, "members.view"):
        return None
    window = Window(dt.date(on.year, 1, 1), on)
    members = registry.evaluate(user, "members.total", within, window).value or 0
    workforce = registry.evaluate(user, "members.workforce.total", within, window).value or 0
    return MembershipRate(int(members), int(workforce))
