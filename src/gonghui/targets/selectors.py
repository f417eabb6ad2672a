"""Reads for targets and assessments, always for the acting user; every figure comes from the metric registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from gonghui.core.scope import Scope
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org
from gonghui.reports import registry
from gonghui.reports.windows import Window
from gonghui.targets import completion as calc
from gonghui.targets.completion import CompletionStatus
from gonghui.targets.models import AssessmentItem, AssessmentScheme, AssessmentScore, ItemKind, Target, plain


def visible_targets(user: Any, cap: str = "targets.view") -> QuerySet[Target]:
    return Scope.of(user).filter(Target.objects.select_related("org", "set_by", "parent"), cap)


def get_target(user: Any, pk: int, cap: str = "targets.view") -> Target:
    return Scope.of(user).get(visible_targets(user, "targets.view"), cap, pk=pk)


def targets_of(user: Any, org: Org, year: int, *, key: str = "") -> QuerySet[Target]:
    """Targets of a year for ``org`` itself and its direct sub-unions."""
    Scope.of(user).require_org(org, "targets.view")
    qs = visible_targets(user).filter(year=year).filter(
        Q(org=org) | Q(org__path__startswith=org.path, org__depth=org.depth + 1))
    if key:
        qs = qs.filter(metric_key=key)
    return qs.order_by("metric_key", "org__path")


def targets_in_subtree(user: Any, org: Org, year: int) -> QuerySet[Target]:
    """Targets of a year anywhere in ``org``'s subtree, by metric and tree order."""
    Scope.of(user).require_org(org, "targets.view")
    return visible_targets(user).filter(year=year, org__path__startswith=org.path).order_by("metric_key", "org__path")


def years(user: Any, org: Org) -> list[int]:
    qs = visible_targets(user).filter(org__path__startswith=org.path)
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


# -- completion -----------------------------------------------------------------------------------


@dataclass
class Completion:
    """How far one target is met: actual (from the registry) against the target value."""

    target: Target
    actual: Decimal
    record_count: int
    rate: Decimal
    status: CompletionStatus
    rank: int = 0

    @property
    def org(self) -> Org:
        return self.target.org

    @property
    def actual_text(self) -> str:
        return plain(self.actual)

    @property
    def bar(self) -> int:
        """Width of the progress bar in percent (full at 100 %)."""
        return int(min(self.rate, Decimal(100)))

    @property
    def drill_url(self) -> str:
        """The records behind the actual figure (the drill-down page of issue 6)."""
        return f"/figures/{self.target.metric_key}/?org={self.target.org.code}&year={self.target.year}"


def completion(user: Any, target: Target) -> Completion:
    """Actual, rate and status of one target: the registry's figure for the target union's subtree."""
    figure = registry.evaluate(user, target.metric_key, target.org, Window.year(target.year))
    actual = Decimal(figure.value or 0)
    return Completion(target, actual, figure.record_count, calc.rate(actual, target.value),
                      calc.status(actual, target.value))


def rank(rows: list[Completion]) -> list[Completion]:
    """Order by completion rate, highest first; equal rates share a rank (1, 1, 3)."""
    ordered = sorted(rows, key=lambda r: (-r.rate, r.org.path))
    for i, row in enumerate(ordered):
        row.rank = ordered[i - 1].rank if i and ordered[i - 1].rate == row.rate else i + 1
    return ordered


@dataclass
class KeyCompletion:
    """One metric key at one level: the union's own target and its children's, ranked."""

    key: str
    label: str
    unit: str
    own: Completion | None
    children: list[Completion] = field(default_factory=list)
    split_total: Decimal | None = None

    @property
    def split_short(self) -> bool:
        return self.own is not None and self.split_total is not None and self.split_total < self.own.target.value


def completion_table(user: Any, org: Org, year: int) -> list[KeyCompletion]:
    """For each key with a target at ``org`` or its children: the completion rows, children ranked."""
    out: dict[str, KeyCompletion] = {}
    for target in targets_of(user, org, year):
        row = completion(user, target)
        entry = out.setdefault(target.metric_key, KeyCompletion(target.metric_key, target.label, target.unit, None))
        if target.org_id == org.pk:
            entry.own = row
        else:
            entry.children.append(row)
    for entry in out.values():
        entry.children = rank(entry.children)
        if entry.own is not None and entry.children:
            own_pk = entry.own.target.pk
            entry.split_total = sum((c.target.value for c in entry.children if c.target.parent_id == own_pk),
                                    Decimal(0))
    return list(out.values())


def overall(rows: list[Completion]) -> str | None:
    """全面完成 when every target of the union is met (GLOSSARY); None otherwise."""
    if rows and all(r.status is not CompletionStatus.NOT_COMPLETED for r in rows):
        return "全面完成"
    return None


# -- assessment -----------------------------------------------------------------------------------


def visible_schemes(user: Any, cap: str = "targets.view") -> QuerySet[AssessmentScheme]:
    return Scope.of(user).filter(AssessmentScheme.objects.select_related("org"), cap)


def get_scheme(user: Any, pk: int, cap: str = "targets.view") -> AssessmentScheme:
    return Scope.of(user).get(visible_schemes(user, "targets.view"), cap, pk=pk)


def visible_items(user: Any) -> QuerySet[AssessmentItem]:
    return Scope.of(user).filter(AssessmentItem.objects.select_related("scheme", "scheme__org"), "targets.view")


def get_item(user: Any, pk: int, cap: str = "targets.view") -> AssessmentItem:
    return Scope.of(user).get(visible_items(user), cap, pk=pk)


def visible_scores(user: Any) -> QuerySet[AssessmentScore]:
    return Scope.of(user).filter(AssessmentScore.objects.select_related("item", "org"), "targets.view")


def schemes_of(user: Any, org: Org, year: int | None = None) -> QuerySet[AssessmentScheme]:
    Scope.of(user).require_org(org, "targets.view")
    qs = visible_schemes(user).filter(org=org)
    return qs.filter(year=year) if year else qs


@dataclass
class ItemResult:
    item: AssessmentItem
    score: Decimal
    rate: Decimal | None = None  # completion, for automatic items
    note: str = ""


@dataclass
class TargetAssessment:
    """GLOSSARY ``Assessment`` of 目标管理考核: one union's result under a scheme (computed, never typed in)."""

    org: Org
    year: int
    scheme: AssessmentScheme
    items: list[ItemResult]
    score: Decimal
    grade: str
    rank: int = 0


def auto_score(weight: Decimal, cap: Decimal, rate: Decimal | None) -> Decimal:
    """score = weight × min(completion, cap), completion as a fraction (125 % → 1.25)."""
    if rate is None:
        return Decimal("0.0")
    return (weight * min(rate / 100, cap)).quantize(Decimal("0.1"))


def assess(user: Any, scheme: AssessmentScheme, org: Org) -> TargetAssessment:
    """One union's result under a scheme: automatic items from its targets' completion, manual from the reviewer."""
    manual = {s.item_id: s for s in AssessmentScore.objects.filter(item__scheme=scheme, org=org)}
    targets = {t.metric_key: t for t in visible_targets(user).filter(org=org, year=scheme.year)}
    results = []
    for item in scheme.items.all():
        if item.kind == ItemKind.AUTO:
            target = targets.get(item.metric_key)
            if target is None:
                results.append(ItemResult(item, Decimal("0.0"), None, "未下达该项目标"))
                continue
            row = completion(user, target)
            results.append(ItemResult(item, auto_score(item.weight, item.cap, row.rate), row.rate,
                                      f"完成{row.actual_text}/{target.value_text}{target.unit}"))
        else:
            given = manual.get(item.pk)
            results.append(ItemResult(item, given.score if given else Decimal("0.0"), None,
                                      given.reason if given else "尚未评分"))
    total = sum((r.score for r in results), Decimal("0.0"))
    return TargetAssessment(org, scheme.year, scheme, results, total, scheme.grade(total))


def scheme_results(user: Any, scheme: AssessmentScheme) -> list[TargetAssessment]:
    """Every visible direct sub-union of the scheme's union, scored and ranked (equal scores share a rank)."""
    Scope.of(user).require_org(scheme.org, "targets.view")
    rows = [assess(user, scheme, kid) for kid in org_selectors.children(user, scheme.org)]
    rows.sort(key=lambda r: (-r.score, r.org.path))
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and rows[i - 1].score == row.score else i + 1
    return rows
