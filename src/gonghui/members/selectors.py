"""Reads of members, their history, transfers and imports, always for an acting user."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from gonghui.core.scope import Scope
from gonghui.members.importers import id_bidx, mobile_bidx
from gonghui.members.models import (
    ACTIVE_CHANGES,
    ImportJob,
    Member,
    MembershipChange,
    MemberStatus,
    Person,
    TransferRequest,
    TransferStatus,
)
from gonghui.members.normalise import phone as normal_phone
from gonghui.members.normalise import text as normal_text
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import SubtreeCounter, group_by_subtree

AGE_BANDS: dict[str, tuple[str, int, int]] = {
    "u35": ("35岁及以下", 0, 35),
    "36_45": ("36至45岁", 36, 45),
    "46_55": ("46至55岁", 46, 55),
    "o55": ("56岁及以上", 56, 200),
}


def visible_members(user: Any, cap: str = "members.view") -> QuerySet[Member]:
    return Scope.of(user).filter(Member.objects.all(), cap)


def visible_people(user: Any, cap: str = "members.view") -> QuerySet[Person]:
    return Scope.of(user).filter(Person.objects.all(), cap)


def get_member(user: Any, pk: int, cap: str = "members.view") -> Member:
    """One membership, or NotFound when it does not exist or is out of scope."""
    return Scope.of(user).get(Member.objects.select_related("person", "org", "employer"), cap, pk=pk)


def _birth_range(day: dt.date, low: int, high: int) -> tuple[dt.date, dt.date]:
    """Birth dates of people aged low..high (inclusive) on ``day``."""
    def years_before(years: int) -> dt.date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:
            return day.replace(year=day.year - years, day=28)
    return years_before(high + 1) + dt.timedelta(days=1), years_before(low)


_ID_LIKE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")


def search_q(query: str) -> Q | None:
    """Name, employer, or an exact ID number / phone through their blind indexes."""
    q = normal_text(query).replace(" ", "") if query else ""
    if not q:
        return None
    if _ID_LIKE.match(q):
        from gonghui.core.idnumber import IdNumberError, parse

        try:
            number = parse(q).number
        except IdNumberError:
            number = q.upper()
        return Q(person__id_number_bidx=id_bidx(number))
    phone = normal_phone(q)
    if phone:
        return Q(person__mobile_bidx=mobile_bidx(phone))
    if len(q) >= 6 and q.isascii():
        return Q(person__id_number_bidx=id_bidx(q.upper()))  # passports and permits
    return Q(person__name__contains=q) | Q(employer_name__contains=q)


@dataclass
class MemberFilters:
    query: str = ""
    status: str = ""          # active / retained / left / '' (current: active + retained)
    migrant: bool | None = None
    new_form: bool | None = None  # 新就业形态: a new_group tag or 就业状况 = 新就业形态
    age_band: str = ""
    gender: str = ""
    employer: str = ""
    on: dt.date | None = None  # members active on this date (from their events) instead of the current status


def members(user: Any, *, within: Org | None = None, filters: MemberFilters | None = None,
            today: dt.date | None = None) -> QuerySet[Member]:
    """The member list: memberships in ``within``'s subtree that the user may see, filtered."""
    f = filters or MemberFilters()
    day = today or dt.date.today()
    qs = visible_members(user)
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    if f.on is not None:
        qs = active_on(qs.filter(joined_on__lte=f.on), f.on)
    elif f.status == "current" or not f.status:
        qs = qs.exclude(status=MemberStatus.LEFT)
    elif f.status != "all":
        qs = qs.filter(status=f.status)
    sq = search_q(f.query)
    if sq is not None:
        qs = qs.filter(sq)
    if f.employer:
        qs = qs.filter(employer_name__contains=f.employer.strip())
    if f.migrant is not None:
        qs = qs.filter(is_migrant=f.migrant)
    if f.new_form is not None:
        new_form_q = ~Q(new_group="") | Q(person__employment_status="new_form")
        qs = qs.filter(new_form_q if f.new_form else ~new_form_q)
    if f.gender:
        qs = qs.filter(person__gender=f.gender)
    if f.age_band in AGE_BANDS:
        _label, low, high = AGE_BANDS[f.age_band]
        start, end = _birth_range(day, low, high)
        qs = qs.filter(person__birth_date__gte=start, person__birth_date__lte=end)
    return qs.select_related("person", "org").order_by("org__path", "person__name", "pk")


def facet_counts(qs: QuerySet[Member], today: dt.date | None = None) -> dict[str, int]:
    """Counts shown beside the list filters, in one aggregate query over the filtered list."""
    day = today or dt.date.today()
    aggregates: dict[str, Any] = {
        "total": Count("id"),
        "active": Count("id", filter=Q(status=MemberStatus.ACTIVE)),
        "retained": Count("id", filter=Q(status=MemberStatus.RETAINED)),
        "left": Count("id", filter=Q(status=MemberStatus.LEFT)),
        "migrant": Count("id", filter=Q(is_migrant=True)),
        "new_form": Count("id", filter=~Q(new_group="") | Q(person__employment_status="new_form")),
        "male": Count("id", filter=Q(person__gender="male")),
        "female": Count("id", filter=Q(person__gender="female")),
    }
    for key, (_label, low, high) in AGE_BANDS.items():
        start, end = _birth_range(day, low, high)
        aggregates[f"age_{key}"] = Count("id", filter=Q(person__birth_date__gte=start, person__birth_date__lte=end))
    return qs.order_by().aggregate(**aggregates)


def history(user: Any, member: Member) -> QuerySet[MembershipChange]:
    """Every event of the person's memberships that the user may see, newest first."""
    Scope.of(user).require(member, "members.view")
    visible = Scope.of(user).filter(MembershipChange.objects.all(), "members.view")
    return (visible.filter(member__person_id=member.person_id).select_related("org", "counterpart")
            .order_by("-changed_on", "-id"))


def memberships(user: Any, member: Member) -> QuerySet[Member]:
    """The person's memberships (this and earlier unions) visible to the user."""
    return visible_members(user).filter(person_id=member.person_id).select_related("org").order_by("joined_on", "pk")


# -- transfers ------------------------------------------------------------------------------


def transfers(user: Any, *, within: Org | None = None, direction: str = "in",
              status: str = TransferStatus.PENDING) -> QuerySet[TransferRequest]:
    """Transfer requests the user sees: 'in' to unions of ``within``'s subtree, 'out' from them."""
    qs = Scope.of(user).filter(TransferRequest.objects.all(), "members.view")
    if within is not None:
        field = "to_org__path__startswith" if direction == "in" else "from_org__path__startswith"
        qs = qs.filter(**{field: within.path})
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("member__person", "from_org", "to_org", "requested_by").order_by("-requested_at")


def get_transfer(user: Any, pk: int) -> TransferRequest:
    return Scope.of(user).get(TransferRequest.objects.select_related("member__person", "from_org", "to_org"),
                              "members.view", pk=pk)


def pending_transfer(member: Member) -> TransferRequest | None:
    return TransferRequest.objects.filter(member=member, status=TransferStatus.PENDING).select_related(
        "to_org").first()


# -- imports --------------------------------------------------------------------------------


def imports(user: Any, *, within: Org | None = None) -> QuerySet[ImportJob]:
    qs = Scope.of(user).filter(ImportJob.objects.all(), "members.view")
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    return qs.select_related("org", "created_by")


def get_import(user: Any, pk: int, cap: str = "members.view") -> ImportJob:
    return Scope.of(user).get(ImportJob.objects.select_related("org", "created_by"), cap, pk=pk)


# -- state as of a date, and the dormant report ---------------------------------------------


def last_change_type(day: dt.date) -> Subquery:
    """The type of a membership's latest event on or before ``day``."""
    latest = (MembershipChange.objects.filter(member=OuterRef("pk"), changed_on__lte=day)
              .order_by("-changed_on", "-id").values("change_type")[:1])
    return Subquery(latest)


def active_on(qs: QuerySet[Member], day: dt.date) -> QuerySet[Member]:
    """Memberships active on ``day``, derived from their events (not the current status)."""
    return qs.annotate(state_change=last_change_type(day)).filter(state_change__in=ACTIVE_CHANGES)


DORMANT_MONTHS = 6


def dormant(user: Any, *, within: Org | None = None, today: dt.date | None = None) -> QuerySet[Member]:
    """Active members with no dues and no recorded activity for 6 months (自动退会候选).

    Dues: ``Member.dues_paid_until`` is empty or more than 6 months ago. Activity:
    no membership event and no change to the membership record in those 6 months.
    Participation in activities will count once the activities app records rosters.
    """
    day = today or dt.date.today()
    cutoff = day - dt.timedelta(days=183)
    recent_event = MembershipChange.objects.filter(member=OuterRef("pk"), changed_on__gt=cutoff)
    qs = visible_members(user).filter(status=MemberStatus.ACTIVE, joined_on__lte=cutoff)
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    return (qs.filter(Q(dues_paid_until__isnull=True) | Q(dues_paid_until__lte=cutoff))
            .filter(~Exists(recent_event), updated_at__date__lte=cutoff)
            .annotate(last_paid=Coalesce("dues_paid_until", "joined_on"))
            .select_related("person", "org").order_by("last_paid", "org__path", "pk"))


# -- subtree figures on the tree page and the home page -------------------------------------


def _member_counts(within_path: str, prefix_len: int) -> dict[str, dict[str, int]]:
    active = Member.objects.filter(org__path__startswith=within_path, status=MemberStatus.ACTIVE)
    return group_by_subtree(active, "org__path", prefix_len, members=Count("id"))


MEMBER_COUNTER = SubtreeCounter((("members", "会员"),), _member_counts)


def member_by_id_number(user: Any, *, within: Org, id_number: str) -> Member | None:
    """The current member of ``within``'s subtree holding this ID number (exact, through the blind index)."""
    number = normal_text(id_number).replace(" ", "")
    if not _ID_LIKE.match(number):
        return None
    return (visible_members(user).filter(search_q(number), org__path__startswith=within.path,
                                         status=MemberStatus.ACTIVE)
            .select_related("person", "org").first())
