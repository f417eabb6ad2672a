"""Reads of the activity log and publicity records, always for an acting user."""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from gonghui.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityEntry,
    ActivityParticipant,
    ActivityType,
    Club,
    MaterialDistribution,
    ParticipantRole,
    PartyRecommendation,
    PublicityItem,
    Subscription,
)
from gonghui.core.scope import Scope
from gonghui.orgs.models import Org


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(Org.steplen, len(path) + 1, Org.steplen)]


# -- taxonomy ---------------------------------------------------------------------------


def usable_types(org: Org) -> QuerySet[ActivityType]:
    """Types an activity of ``org`` may take: national ones and those set up by ``org`` or a union above it."""
    return (ActivityType.objects.filter(Q(org__isnull=True) | Q(org__path__in=_ancestor_paths(org.path)))
            .filter(is_active=True).select_related("org", "counts_as").order_by("order", "pk"))


def visible_types(user: Any) -> QuerySet[ActivityType]:
    """National types, the types of unions in scope, and those of the unions above them (which they use)."""
    scope = Scope.of(user)
    if not scope.grants_for("activities.view"):
        return ActivityType.objects.none()
    above = {p for g in scope.grants_for("activities.view") for p in _ancestor_paths(g.path)}
    in_scope = scope.filter(ActivityType.objects.all(), "activities.view").values("pk")
    return (ActivityType.objects.filter(Q(org__isnull=True) | Q(org__path__in=above) | Q(pk__in=in_scope))
            .select_related("org", "counts_as").order_by("org__path", "order", "pk"))


def get_type(user: Any, pk: int, cap: str = "activities.view") -> ActivityType:
    return Scope.of(user).get(ActivityType.objects.select_related("org"), cap, pk=pk)


def _plain(text: str) -> str:
    """Full-width forms made half-width and spaces dropped, so typed names match the stored ones."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def type_by_code(org: Org, code: str) -> ActivityType | None:
    """A usable type by code or name; the nearest union's own type wins over a national one."""
    wanted = _plain(code)
    candidates = [t for t in usable_types(org) if wanted in (t.code, _plain(t.name))]
    candidates.sort(key=lambda t: -(len(t.org.path) if t.org else 0))
    return candidates[0] if candidates else None


# -- activities -------------------------------------------------------------------------


def visible_activities(user: Any, cap: str = "activities.view") -> QuerySet[Activity]:
    return Scope.of(user).filter(Activity.objects.all(), cap)


def get_activity(user: Any, pk: int, cap: str = "activities.view") -> Activity:
    return Scope.of(user).get(Activity.objects.select_related("org", "type", "facility"), cap, pk=pk)


def organised_within(org: Org, *, own_only: bool = False) -> Q:
    """Activities organised or co-organised by ``org`` (own_only) or by any union of its subtree.

    A filter on Activity rows (the co-organised ones through ``pk__in``), so an activity
    co-organised by two unions of the subtree counts once.
    """
    if own_only:
        ids = Activity.objects.filter(Q(org=org) | Q(co_organisers=org)).values("pk")
    else:
        # Two index-friendly halves instead of one OR across the co-organiser join (each row once).
        co_organised = Activity.co_organisers.through.objects.filter(org__path__startswith=org.path)
        return Q(org__path__startswith=org.path) | Q(pk__in=co_organised.values("activity_id"))
    return Q(pk__in=ids)


def with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate ``persons`` (人) and ``person_times`` (人次) per activity, headcount-only records included."""
    roster = ActivityParticipant.objects.filter(activity=OuterRef("pk"), role=ParticipantRole.PARTICIPANT)
    persons = roster.order_by().values("activity").annotate(n=Count("pk")).values("n")
    times = roster.order_by().values("activity").annotate(n=Sum("attendances")).values("n")
    return qs.annotate(
        roster_persons=Coalesce(Subquery(persons), 0),
        roster_times=Coalesce(Subquery(times), 0),
    )


def activities(
    user: Any,
    *,
    within: Org,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    type_code: str = "",
    campaign: str = "",
    query: str = "",
    own_only: bool = False,
    facility_id: int | None = None,
) -> QuerySet[Activity]:
    """Activities of a union's subtree (or of the union itself) that the user may see, newest first."""
    Scope.of(user).require_org(within, "activities.view")
    qs = visible_activities(user).filter(organised_within(within, own_only=own_only))
    if date_from:
        qs = qs.filter(end_on__gte=date_from)
    if date_to:
        qs = qs.filter(start_on__lte=date_to)
    if type_code:
        qs = qs.filter(Q(type__base_code=type_code) | Q(type__code=type_code))
    if campaign:
        qs = qs.filter(campaign=campaign)
    if query.strip():
        qs = qs.filter(title__icontains=query.strip())
    if facility_id:
        qs = qs.filter(facility_id=facility_id)
    return with_counts(qs.select_related("org", "type")).order_by("-start_on", "-pk")


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    activities: list[Activity] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.day == dt.date.today()


@dataclass
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[CalendarDay]]
    total: int

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)

    @property
    def agenda(self) -> list[CalendarDay]:
        """The days of the month that have activities (the list shown on a phone)."""
        return [d for week in self.weeks for d in week if d.in_month and d.activities]


def calendar_month(user: Any, *, within: Org, year: int, month: int, own_only: bool = False,
                   type_code: str = "") -> CalendarMonth:
    """The month grid (Monday first) with the activities on each day; a multi-day activity shows on every day."""
    cal = calendar.Calendar(firstweekday=0)
    days = list(cal.itermonthdates(year, month))
    qs = activities(user, within=within, date_from=days[0], date_to=days[-1], own_only=own_only, type_code=type_code)
    by_day: dict[dt.date, list[Activity]] = {}
    month_ids = set()
    for activity in qs.order_by("start_on", "pk"):
        current = max(activity.start_on, days[0])
        while current <= min(activity.end_on, days[-1]):
            by_day.setdefault(current, []).append(activity)
            if current.month == month:
                month_ids.add(activity.pk)
            current += dt.timedelta(days=1)
    weeks = [[CalendarDay(d, d.month == month, by_day.get(d, [])) for d in days[i:i + 7]]
             for i in range(0, len(days), 7)]
    return CalendarMonth(year, month, weeks, len(month_ids))


# -- participants, results, attachments --------------------------------------------------


def participants(user: Any, activity: Activity) -> QuerySet[ActivityParticipant]:
    Scope.of(user).require(activity, "activities.view")
    return ActivityParticipant.objects.filter(activity=activity).order_by("role", "pk")


def get_participant(user: Any, pk: int, cap: str = "activities.view") -> ActivityParticipant:
    return Scope.of(user).get(ActivityParticipant.objects.select_related("activity", "activity__org"), cap, pk=pk)


def visible_participants(user: Any) -> QuerySet[ActivityParticipant]:
    return Scope.of(user).filter(ActivityParticipant.objects.all(), "activities.view")


@dataclass(frozen=True)
class PersonChoice:
    """A person found for the participant picker: a member of the union's subtree, or someone on an earlier roster."""

    ref: str  # "m<member pk>" or "p<participant pk>": where to take name and ID number from
    name: str
    masked_id: str
    employer_name: str
    source: str


def people(user: Any, query: str, *, within: Org, exclude_activity: Activity | None = None,
           limit: int = 20) -> list[PersonChoice]:
    """Persons whose name contains ``query``: members of ``within``'s subtree first (if the user may see
    members), then people from the rosters of activities the user may see there."""
    from gonghui.core.crypto import mask_id_number
    from gonghui.members.models import MemberStatus
    from gonghui.members.selectors import visible_members

    query = query.strip()
    if not query:
        return []
    taken = set(exclude_activity.participants.values_list("person_key", flat=True)) if exclude_activity else set()
    found: dict[str, PersonChoice] = {}
    if Scope.of(user).has("members.view"):
        members = (visible_members(user).filter(org__path__startswith=within.path, person__name__contains=query)
                   .exclude(status=MemberStatus.LEFT).select_related("person", "org", "employer")
                   .order_by("person__name", "pk"))
        for m in members[: limit * 2]:
            key = m.person.id_number_bidx
            if key not in taken and key not in found:
                found[key] = PersonChoice(f"m{m.pk}", m.person.name, mask_id_number(m.person.id_number),
                                          m.employer_display, f"会员 · {m.org.name}")
    rows = (visible_participants(user).filter(name__contains=query)
            .filter(activity__in=Activity.objects.filter(organised_within(within))).exclude(person_key__in=taken))
    for row in rows.order_by("-activity__start_on", "-pk")[: limit * 5]:
        if len(found) >= limit:
            break
        if row.person_key not in found:
            found[row.person_key] = PersonChoice(f"p{row.pk}", row.name, row.masked_id, row.employer_name,
                                                 "曾参加活动")
    return list(found.values())[:limit]


def entries(user: Any, activity: Activity) -> QuerySet[ActivityEntry]:
    Scope.of(user).require(activity, "activities.view")
    return ActivityEntry.objects.filter(activity=activity).select_related("participant", "employer")


def get_entry(user: Any, pk: int, cap: str = "activities.view") -> ActivityEntry:
    return Scope.of(user).get(ActivityEntry.objects.select_related("activity", "activity__org"), cap, pk=pk)


def attachments(user: Any, activity: Activity) -> QuerySet[ActivityAttachment]:
    Scope.of(user).require(activity, "activities.view")
    return ActivityAttachment.objects.filter(activity=activity)


def get_attachment(user: Any, pk: int, cap: str = "activities.view") -> ActivityAttachment:
    return Scope.of(user).get(ActivityAttachment.objects.select_related("activity", "activity__org"), cap, pk=pk)


def visible_entries(user: Any) -> QuerySet[ActivityEntry]:
    return Scope.of(user).filter(ActivityEntry.objects.all(), "activities.view")


def visible_attachments(user: Any) -> QuerySet[ActivityAttachment]:
    return Scope.of(user).filter(ActivityAttachment.objects.all(), "activities.view")


# -- publicity --------------------------------------------------------------------------


def visible_publicity(user: Any) -> QuerySet[PublicityItem]:
    return Scope.of(user).filter(PublicityItem.objects.all(), "activities.view")


def get_publicity_item(user: Any, pk: int, cap: str = "activities.view") -> PublicityItem:
    return Scope.of(user).get(PublicityItem.objects.select_related("org"), cap, pk=pk)


def publicity_items(user: Any, *, within: Org, date_from: dt.date | None = None, date_to: dt.date | None = None,
                    type: str = "", level: str = "", adopted: bool | None = None, own_only: bool = False,
                    query: str = "") -> QuerySet[PublicityItem]:
    Scope.of(user).require_org(within, "activities.view")
    qs = visible_publicity(user)
    qs = qs.filter(org=within) if own_only else qs.filter(org__path__startswith=within.path)
    if date_from:
        qs = qs.filter(published_on__gte=date_from)
    if date_to:
        qs = qs.filter(published_on__lte=date_to)
    if type:
        qs = qs.filter(type=type)
    if level:
        qs = qs.filter(level=level)
    if adopted is not None:
        qs = qs.exclude(adopted_by="") if adopted else qs.filter(adopted_by="")
    if query.strip():
        qs = qs.filter(Q(title__icontains=query.strip()) | Q(outlet__icontains=query.strip()))
    return qs.select_related("org", "activity").order_by("-published_on", "-pk")


def visible_materials(user: Any) -> QuerySet[MaterialDistribution]:
    return Scope.of(user).filter(MaterialDistribution.objects.all(), "activities.view")


def get_material(user: Any, pk: int, cap: str = "activities.view") -> MaterialDistribution:
    return Scope.of(user).get(MaterialDistribution.objects.select_related("org"), cap, pk=pk)


def material_distributions(user: Any, *, within: Org, date_from: dt.date | None = None,
                           date_to: dt.date | None = None, topic: str = "", own_only: bool = False,
                           query: str = "") -> QuerySet[MaterialDistribution]:
    Scope.of(user).require_org(within, "activities.view")
    qs = visible_materials(user)
    qs = qs.filter(org=within) if own_only else qs.filter(org__path__startswith=within.path)
    if date_from:
        qs = qs.filter(distributed_on__gte=date_from)
    if date_to:
        qs = qs.filter(distributed_on__lte=date_to)
    if topic:
        qs = qs.filter(topic=topic)
    if query.strip():
        qs = qs.filter(title__icontains=query.strip())
    return qs.select_related("org", "activity").order_by("-distributed_on", "-pk")


# -- associations and periodicals ----------------------------------------------------------------


def visible_clubs(user: Any) -> QuerySet[Club]:
    return Scope.of(user).filter(Club.objects.all(), "activities.view")


def clubs(user: Any, *, within: Org) -> QuerySet[Club]:
    """Associations of the subtree, each followed by its branches."""
    Scope.of(user).require_org(within, "activities.view")
    return (visible_clubs(user).filter(org__path__startswith=within.path).select_related("org", "parent")
            .annotate(branch_count=Count("branches")).order_by("org__path", "name"))


def get_club(user: Any, pk: int, cap: str = "activities.view") -> Club:
    return Scope.of(user).get(Club.objects.select_related("org", "parent"), cap, pk=pk)


def visible_subscriptions(user: Any) -> QuerySet[Subscription]:
    return Scope.of(user).filter(Subscription.objects.all(), "activities.view")


def subscriptions(user: Any, *, within: Org, year: int | None = None) -> QuerySet[Subscription]:
    """Periodicals given by or to the unions of the subtree."""
    Scope.of(user).require_org(within, "activities.view")
    qs = visible_subscriptions(user).filter(Q(org__path__startswith=within.path)
                                            | Q(recipient__path__startswith=within.path))
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("org", "recipient").order_by("-year", "periodical", "recipient__path")


def get_subscription(user: Any, pk: int, cap: str = "activities.view") -> Subscription:
    return Scope.of(user).get(Subscription.objects.select_related("org", "recipient"), cap, pk=pk)


def visible_party_recommendations(user: Any) -> QuerySet[PartyRecommendation]:
    return Scope.of(user).filter(PartyRecommendation.objects.all(), "activities.view")


def get_party_recommendation(user: Any, pk: int, cap: str = "activities.view") -> PartyRecommendation:
    return Scope.of(user).get(PartyRecommendation.objects.select_related("org", "member__person"), cap, pk=pk)


def party_recommendations(user: Any, *, within: Org, year: int | None = None, stage: str = "",
                          own_only: bool = False) -> QuerySet[PartyRecommendation]:
    """推优入党 records of a union (and its subtree), newest first."""
    Scope.of(user).require_org(within, "activities.view")
    qs = visible_party_recommendations(user)
    qs = qs.filter(org=within) if own_only else qs.filter(org__path__startswith=within.path)
    if year:
        qs = qs.filter(recommended_on__year=year)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.select_related("org", "member__person", "member__org").order_by("-recommended_on", "-pk")
