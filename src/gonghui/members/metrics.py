"""Membership figures of spec/METRICS.md and the annual return's 表2, computed from records.

Each function takes a union (its subtree is counted: 本级及所属工会) and a window
(``start``, ``end`` inclusive; stocks are taken at ``end``) and returns the value
with the queryset of the records behind it, so every figure can be drilled down.
The caller checks that the union lies in the acting user's scope.

These are plain selectors until the metric registry (``gonghui.reports``) lands;
``METRICS`` lists them with key, label, unit and type for it to register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from gonghui.members.models import ChangeType, Member, MembershipChange
from gonghui.members.selectors import active_on
from gonghui.orgs.models import Employer, Org, OrgKind, OrgMode


@dataclass
class Figure:
    value: int | float | None
    records: QuerySet[Any]


Window = tuple[dt.date, dt.date]


def _subtree(org: Org, own_only: bool) -> Q:
    return Q(org=org) if own_only else Q(org__path__startswith=org.path)


def _distinct_people(changes: QuerySet[MembershipChange]) -> int:
    return changes.order_by().values("member__person_id").distinct().count()


def _events(org: Org, window: Window, types: tuple[str, ...], own_only: bool) -> QuerySet[MembershipChange]:
    start, end = window
    return MembershipChange.objects.filter(_subtree(org, own_only), change_type__in=types,
                                           changed_on__gte=start, changed_on__lte=end)


def _new(org: Org, window: Window, own_only: bool, extra: Q | None = None) -> Figure:
    # A transfer-in is not a new member: only 入会 events count (GLOSSARY, 转会).
    changes = _events(org, window, (ChangeType.JOIN,), own_only)
    if extra is not None:
        changes = changes.filter(extra)
    return Figure(_distinct_people(changes), Member.objects.filter(pk__in=changes.values("member_id")))


def members_new(org: Org, window: Window, *, own_only: bool = False) -> Figure:
    """members.new: distinct people who joined (入会) a union of the subtree in the window."""
    return _new(org, window, own_only)


def members_new_migrant(org: Org, window: Window, *, own_only: bool = False) -> Figure:
    """members.new.migrant: of those, 农民工."""
    return _new(org, window, own_only, Q(member__is_migrant=True))


def members_new_eight_groups(org: Org, window: Window, *, own_only: bool = False) -> Figure:
    """members.new.eight_groups: of those, with a 新就业形态 group (八大群体 and ride-hailing drivers)."""
    return _new(org, window, own_only, ~Q(member__new_group=""))


def members_total(org: Org, end: dt.date, *, own_only: bool = False, gender: str = "",
                  is_migrant: bool | None = None, new_group: bool | None = None, mode: str = "") -> Figure:
    """members.total: memberships active at ``end`` (derived from events), with the 表2 filters."""
    qs = Member.objects.filter(_subtree(org, own_only), joined_on__lte=end)
    if gender:
        qs = qs.filter(person__gender=gender)
    if is_migrant is not None:
        qs = qs.filter(is_migrant=is_migrant)
    if new_group is not None:
        qs = qs.exclude(new_group="") if new_group else qs.filter(new_group="")
    if mode:
        qs = qs.filter(org__mode=mode)
    records = active_on(qs, end)
    return Figure(records.count(), records)


def members_realname_entered(org: Org, end: dt.date, *, own_only: bool = False) -> Figure:
    """members.realname.entered: active members entered by real name on or before ``end``."""
    records = active_on(Member.objects.filter(_subtree(org, own_only), realname_entered_on__lte=end), end)
    return Figure(records.count(), records)


def members_transferred_in(org: Org, window: Window, *, own_only: bool = False) -> Figure:
    """members.transferred_in (表2 2-11): people transferred in or restored in the window.

    Transfers between two unions of the subtree count at the receiving union only
    when ``org`` is that union; for a federation they are internal moves and are
    counted too (the annual return of each union sums its own events)."""
    changes = _events(org, window, (ChangeType.TRANSFER_IN, ChangeType.RESTORE), own_only)
    return Figure(_distinct_people(changes), Member.objects.filter(pk__in=changes.values("member_id")))


def members_decrease(org: Org, window: Window, *, own_only: bool = False) -> Figure:
    """members.decrease (表2 2-12): people transferred out, left, retained or expelled in the window."""
    changes = _events(org, window, (ChangeType.TRANSFER_OUT, ChangeType.LEAVE, ChangeType.RETAIN, ChangeType.EXPEL),
                      own_only)
    return Figure(_distinct_people(changes), Member.objects.filter(pk__in=changes.values("member_id")))


def _covered(org: Org, end: dt.date, own_only: bool) -> QuerySet[Org]:
    qs = Org.objects.filter(kind=OrgKind.GRASSROOTS, founded_on__lte=end).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
    return qs.filter(pk=org.pk) if own_only else qs.filter(path__startswith=org.path)


def members_workforce_total(org: Org, end: dt.date, *, own_only: bool = False) -> Figure:
    """members.workforce.total: workers covered by the active grassroots unions (Org.covered_workers)."""
    unions = _covered(org, end, own_only)
    return Figure(unions.aggregate(n=Sum("covered_workers"))["n"] or 0, unions)


def members_workforce_female(org: Org, end: dt.date, *, own_only: bool = False) -> Figure:
    """members.workforce.female: women workers of the employers those unions cover (Employer.female_headcount)."""
    employers = Employer.objects.filter(pk__in=_covered(org, end, own_only).values("covered_entities"))
    return Figure(employers.aggregate(n=Sum("female_headcount"))["n"] or 0, employers)


def members_workforce_female_share(org: Org, end: dt.date, *, own_only: bool = False) -> Figure:
    """members.workforce.female_share: women ÷ workforce × 100 (one decimal), None without a workforce."""
    total = members_workforce_total(org, end, own_only=own_only)
    female = members_workforce_female(org, end, own_only=own_only)
    value = round(female.value / total.value * 100, 1) if total.value else None  # type: ignore[operator]
    return Figure(value, total.records)


def members_membership_rate(org: Org, end: dt.date, *, own_only: bool = False) -> Figure:
    """members.membership_rate (表2 2-15): members ÷ workforce × 100, None without a workforce."""
    members = members_total(org, end, own_only=own_only)
    workforce = members_workforce_total(org, end, own_only=own_only)
    value = round(members.value / workforce.value * 100, 1) if workforce.value else None  # type: ignore[operator]
    return Figure(value, members.records)


@dataclass(frozen=True)
class MetricDef:
    key: str
    label: str
    unit: str
    kind: str  # flow / stock / ratio
    compute: Callable[..., Figure]


def _stock(fn: Callable[..., Figure]) -> Callable[..., Figure]:
    def at_end(org: Org, window: Window, **kw: Any) -> Figure:
        return fn(org, window[1], **kw)
    at_end.__doc__ = fn.__doc__
    return at_end


METRICS: dict[str, MetricDef] = {m.key: m for m in [
    MetricDef("members.new", "新增（发展、吸纳）会员", "人", "flow", members_new),
    MetricDef("members.new.migrant", "其中农民工会员", "人", "flow", members_new_migrant),
    MetricDef("members.new.eight_groups", "“八大群体”新入会会员", "人", "flow", members_new_eight_groups),
    MetricDef("members.total", "会员总数", "人", "stock", _stock(members_total)),
    MetricDef("members.realname.entered", "会员实名制录入", "人", "stock", _stock(members_realname_entered)),
    MetricDef("members.transferred_in", "本年转入及恢复会籍", "人", "flow", members_transferred_in),
    MetricDef("members.decrease", "本年减少（转出、退会、保留会籍、除名）", "人", "flow", members_decrease),
    MetricDef("members.workforce.total", "职工人数", "人", "stock", _stock(members_workforce_total)),
    MetricDef("members.workforce.female", "女职工人数", "人", "stock", _stock(members_workforce_female)),
    MetricDef("members.workforce.female_share", "女职工占比", "%", "ratio", _stock(members_workforce_female_share)),
    MetricDef("members.membership_rate", "职工入会率", "%", "ratio", _stock(members_membership_rate)),
]}


def year_window(year: int) -> Window:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def compute(key: str, org: Org, window: Window, **filters: Any) -> Figure:
    return METRICS[key].compute(org, window, **filters)


__all__ = ["METRICS", "Figure", "OrgMode", "compute", "year_window"]
