"""Reads of the union tree and the employer register, always for an acting user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr

from gonghui.core.scope import NotFound, Scope
from gonghui.orgs.models import Committee, Employer, Officer, OfficerRole, Org, OrgEvent, OrgKind

# Unions that elect committees for a term (branches and groups follow their union).
ELECTED_KINDS = (OrgKind.FEDERATION, OrgKind.INDUSTRY, OrgKind.GRASSROOTS)


def visible_orgs(user: Any, cap: str = "orgs.view") -> QuerySet[Org]:
    return Scope.of(user).orgs(cap)


def get_org(user: Any, code: str, cap: str = "orgs.view") -> Org:
    """One union by code, or NotFound when it does not exist or is out of scope."""
    return Scope.of(user).get(Org, cap, code=code)


def subtree(org: Org, *, include_self: bool = True) -> QuerySet[Org]:
    """The union and everything below it (本级及所属工会), by path prefix."""
    qs = Org.objects.filter(path__startswith=org.path)
    return qs if include_self else qs.exclude(pk=org.pk)


def children(user: Any, parent: Org) -> QuerySet[Org]:
    """Direct sub-unions of ``parent`` that the user may see."""
    return visible_orgs(user).filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("path")


def breadcrumbs(user: Any, org: Org) -> list[Org]:
    """Ancestors of ``org`` inside the user's scope, top first, ending with ``org``."""
    ancestors = [*Org.objects.get_ancestors(org), org]
    scope = Scope.of(user)
    return [a for a in ancestors if scope.allows_org(a, "orgs.view")]


def search_orgs(user: Any, query: str, *, within: Org | None = None, limit: int = 20) -> list[Org]:
    """Unions whose name or code contains ``query``, shortest paths first."""
    qs = visible_orgs(user)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query.upper()))
    return list(qs.order_by("depth", "path")[:limit])


# -- counts per subtree ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubtreeCounter:
    """Figures shown on every node of the tree page, for many subtrees in one query.

    ``count(within_path, prefix_len)`` aggregates the records of the unions whose
    path starts with ``within_path``, grouped by the first ``prefix_len`` characters
    of the path: {subtree root path: {figure key: value}}. Domain apps register
    theirs (members, for instance) in ``AppConfig.ready``.
    """

    figures: tuple[tuple[str, str], ...]  # (key, label)
    count: Callable[[str, int], dict[str, dict[str, int]]]


def group_by_subtree(qs: QuerySet[Any], path_field: str, prefix_len: int,
                     **aggregates: Any) -> dict[str, dict[str, int]]:
    """{path prefix: {name: aggregate}} in one GROUP BY over the rows of ``qs``."""
    rows = (
        qs.order_by()
        .annotate(subtree_prefix=Substr(path_field, 1, prefix_len))
        .values("subtree_prefix")
        .annotate(**aggregates)
    )
    return {row.pop("subtree_prefix"): {k: v or 0 for k, v in row.items()} for row in rows}


def _grassroots(within_path: str, prefix_len: int) -> dict[str, dict[str, int]]:
    active = Org.objects.filter(path__startswith=within_path, kind=OrgKind.GRASSROOTS, dissolved_on__isnull=True)
    return group_by_subtree(active, "path", prefix_len, grassroots=Count("id"), covered_workers=Sum("covered_workers"))


SUBTREE_COUNTERS: list[SubtreeCounter] = [
    SubtreeCounter((("grassroots", "基层工会"), ("covered_workers", "涵盖职工")), _grassroots),
]


def register_subtree_counter(counter: SubtreeCounter) -> None:
    if counter not in SUBTREE_COUNTERS:
        SUBTREE_COUNTERS.append(counter)


def subtree_figures() -> list[tuple[str, str]]:
    """(key, label) of every registered figure, in order."""
    return [fig for counter in SUBTREE_COUNTERS for fig in counter.figures]


@dataclass
class TreeNode:
    org: Org
    counts: dict[str, int]
    has_children: bool

    @property
    def figures(self) -> list[tuple[str, int]]:
        """(label, value) in the order the counters were registered; empty when not shown."""
        return [(label, self.counts[key]) for key, label in subtree_figures() if key in self.counts]


def _counts(within_path: str, prefix_len: int) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = {}
    for counter in SUBTREE_COUNTERS:
        for prefix, values in counter.count(within_path, prefix_len).items():
            merged.setdefault(prefix, {}).update(values)
    return merged


def _node_counts(values: dict[str, int] | None) -> dict[str, int]:
    return {key: (values or {}).get(key, 0) for key, _label in subtree_figures()}


def tree_children(user: Any, parent: Org) -> list[TreeNode]:
    """The visible children of ``parent`` with every registered subtree figure (one query per counter).

    Figures are shown only for subtrees the user sees whole (a "this union only" role
    does not learn totals of the unions below)."""
    kids = list(children(user, parent))
    scope = Scope.of(user)
    merged = _counts(parent.path, (parent.depth + 1) * Org.steplen)
    return [TreeNode(kid, _node_counts(merged.get(kid.path)) if scope.covers_subtree(kid, "orgs.view") else {},
                     kid.numchild > 0) for kid in kids]


def tree_node(user: Any, org: Org) -> TreeNode:
    """One union with its own subtree figures (the roots of the tree page)."""
    scope = Scope.of(user)
    scope.require_org(org, "orgs.view")
    if not scope.covers_subtree(org, "orgs.view"):
        return TreeNode(org, {}, org.numchild > 0)
    merged = _counts(org.path, org.depth * Org.steplen)
    return TreeNode(org, _node_counts(merged.get(org.path)), org.numchild > 0)


# -- history: the tree as of a date -----------------------------------------------------


def parent_on(org: Org, day: dt.date) -> Org | None:
    """The parent ``org`` had on ``day``, undoing any later moves."""
    later_move = (OrgEvent.objects.filter(org=org, kind=OrgEvent.Kind.MOVED, occurred_on__gt=day)
                  .order_by("occurred_on", "id").select_related("from_parent").first())
    return later_move.from_parent if later_move else Org.objects.get_parent(org)


def subtree_on(org: Org, day: dt.date) -> set[int]:
    """Ids of the unions in ``org``'s subtree as the tree stood on ``day`` (active that day)."""
    rows = list(Org.objects.values_list("id", "path", "depth", "founded_on", "dissolved_on"))
    by_path = {path: pk for pk, path, *_ in rows}
    parent_of: dict[int, int | None] = {
        pk: by_path.get(path[: (depth - 1) * Org.steplen]) if depth > 1 else None
        for pk, path, depth, *_ in rows
    }
    for ev in (OrgEvent.objects.filter(kind=OrgEvent.Kind.MOVED, occurred_on__gt=day)
               .order_by("-occurred_on", "-id").values("org_id", "from_parent_id")):
        parent_of[ev["org_id"]] = ev["from_parent_id"]  # earliest later move wins (applied last)
    active = {pk for pk, _p, _d, founded, dissolved in rows
              if founded <= day and (dissolved is None or dissolved > day)}
    kids: dict[int | None, list[int]] = {}
    for pk, parent in parent_of.items():
        kids.setdefault(parent, []).append(pk)
    result, stack = set(), [org.pk]
    while stack:
        current = stack.pop()
        if current in active:
            result.add(current)
            stack.extend(kids.get(current, []))
    return result


# -- committees and officers ------------------------------------------------------------


def officers(user: Any, org: Org, *, on: dt.date | None = None) -> QuerySet[Officer]:
    """Officers of one union, those in post on ``on`` (default today)."""
    Scope.of(user).require_org(org, "orgs.view")
    day = on or dt.date.today()
    rank = Case(*[When(role=role, then=Value(i)) for i, role in enumerate(OfficerRole.values)])
    return (Officer.objects.filter(org=org, started_on__lte=day)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day)).select_related("committee")
            .order_by(rank, "committee__kind", "started_on", "pk"))


def past_officers(user: Any, org: Org) -> QuerySet[Officer]:
    Scope.of(user).require_org(org, "orgs.view")
    return Officer.objects.filter(org=org, ended_on__lte=dt.date.today()).order_by("-ended_on")


def committees(user: Any, org: Org) -> QuerySet[Committee]:
    Scope.of(user).require_org(org, "orgs.view")
    return Committee.objects.filter(org=org, dissolved_on__isnull=True)


def get_officer(user: Any, pk: int, cap: str = "orgs.view") -> Officer:
    return Scope.of(user).get(Officer.objects.select_related("org"), cap, pk=pk)


def history(user: Any, org: Org) -> QuerySet[OrgEvent]:
    Scope.of(user).require_org(org, "orgs.view")
    return OrgEvent.objects.filter(org=org).select_related("from_parent", "to_parent").order_by("-occurred_on", "-id")


def term_overdue(user: Any, *, within: Org | None = None, on: dt.date | None = None) -> QuerySet[Org]:
    """Active unions whose committee term has ended without a new election (换届逾期)."""
    day = on or dt.date.today()
    qs = visible_orgs(user).filter(term_ends_on__lt=day, dissolved_on__isnull=True, kind__in=ELECTED_KINDS)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.order_by("term_ends_on")


def term_due(user: Any, *, within: Org | None = None, days: int = 180, on: dt.date | None = None) -> QuerySet[Org]:
    """Active unions whose term ends in the next ``days`` days (换届提醒)."""
    day = on or dt.date.today()
    qs = visible_orgs(user).filter(term_ends_on__gte=day, term_ends_on__lte=day + dt.timedelta(days=days),
                                   dissolved_on__isnull=True, kind__in=ELECTED_KINDS)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.order_by("term_ends_on")


# -- employers --------------------------------------------------------------------------


def visible_employers(user: Any, cap: str = "orgs.view") -> QuerySet[Employer]:
    return Scope.of(user).filter(Employer.objects.all(), cap)


def get_employer(user: Any, pk: int, cap: str = "orgs.view") -> Employer:
    return Scope.of(user).get(Employer.objects.select_related("org"), cap, pk=pk)


def union_exists(on: dt.date | None = None) -> Exists:
    """True for an employer covered by a union active on ``on`` (default today)."""
    day = on or dt.date.today()
    active_union = Org.objects.filter(covered_entities=OuterRef("pk"), founded_on__lte=day).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
    )
    return Exists(active_union)


def with_union_flag(qs: QuerySet[Employer], on: dt.date | None = None) -> QuerySet[Employer]:
    """Annotate ``has_union`` (see ``union_exists``)."""
    return qs.annotate(has_union=union_exists(on))


def employers(
    user: Any,
    *,
    within: Org | None = None,
    query: str = "",
    industry: str = "",
    ownership: str = "",
    has_union: bool | None = None,
    min_headcount: int | None = None,
) -> QuerySet[Employer]:
    """The employer register, filtered; ``within`` limits to a union's area and coverage."""
    qs = with_union_flag(visible_employers(user))
    if within is not None:
        qs = qs.filter(
            Q(org__path__startswith=within.path)
            | Q(pk__in=Employer.objects.filter(covering_unions__path__startswith=within.path).values("pk"))
        )
    if query.strip():
        q = query.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q.upper()))
    if industry:
        qs = qs.filter(industry=industry)
    if ownership:
        qs = qs.filter(ownership=ownership)
    if has_union is not None:
        qs = qs.filter(union_exists() if has_union else ~union_exists())
    if min_headcount is not None:
        qs = qs.filter(headcount__gte=min_headcount)
    return qs.select_related("org").order_by("name", "pk")


def get_org_or_none(user: Any, code: str) -> Org | None:
    try:
        return get_org(user, code)
    except NotFound:
        return None
