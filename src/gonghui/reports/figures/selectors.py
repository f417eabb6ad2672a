"""Reads behind the drill-down page: which figure the address asks for, and the records behind it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from gonghui.core.scope import Scope
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import get_org
from gonghui.reports import registry
from gonghui.reports.figures.links import parse_date
from gonghui.reports.registry import RATIO, REGISTRY, Figure, Metric
from gonghui.reports.windows import Window


class BadQuery(ValueError):
    """The drill-down address cannot be understood; the message says what to fix (Chinese)."""


@dataclass(frozen=True, slots=True)
class FigureQuery:
    """One figure as the drill-down address names it."""

    key: str
    org: Org
    window: Window
    filters: Mapping[str, str] = field(default_factory=dict)
    own_only: bool = False


def parse(user: Any, key: str, params: Mapping[str, str], default_org: Org | None) -> FigureQuery:
    """The figure named by ``/figures/<key>/?org=…&year=…`` (see ``links``); NotFound out of scope."""
    REGISTRY.get(key)  # UnknownMetric for a key the registry does not know
    code = (params.get("org") or "").strip() or (default_org.code if default_org else "")
    if not code:
        raise BadQuery("请在地址中用 org=工会代码 指明要查看的工会。")
    org = get_org(user, code)
    raw_year = (params.get("year") or "").strip()
    if not raw_year:
        year = timezone.localdate().year
    elif raw_year.isdigit() and 1949 <= int(raw_year) <= 2100:
        year = int(raw_year)
    else:
        raise BadQuery(f"年度“{raw_year}”无效：year 应为 1949 至 2100 之间的四位年份，如 year=2025。")
    window = Window.stats_year(year) if params.get("stats_year") in ("1", "true") else Window.year(year)
    start, end = window.start, window.end
    for name, label in (("from", "起始日期"), ("to", "截止日期")):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        day = parse_date(raw)
        if day is None:
            raise BadQuery(f"{label}“{raw}”无效：{name} 应写成 年-月-日，如 {name}={year}-03-01。")
        start, end = (day, end) if name == "from" else (start, day)
    if start > end:
        raise BadQuery(f"起始日期 {start} 晚于截止日期 {end}，请调整 from / to。")
    if (start, end) != (window.start, window.end):
        window = Window.period(start, end)
    filters = {name[2:]: value for name, value in params.items() if name.startswith("f_") and name[2:]}
    return FigureQuery(key, org, window, filters, params.get("own") == "1")


def listed_metric(key: str) -> Metric:
    """The metric whose records stand behind ``key`` (a ratio lists its numerator's)."""
    metric = REGISTRY.get(key)
    while metric.kind == RATIO:
        metric = REGISTRY.get(metric.numerator)
    return metric


# Per-model preparation of a page of records (annotations the drill-down columns read).
def _activity_counts(qs: QuerySet[Any]) -> QuerySet[Any]:
    from gonghui.activities.selectors import with_counts

    return with_counts(qs)


PREPARE: dict[str, Callable[[QuerySet[Any]], QuerySet[Any]]] = {"activities.Activity": _activity_counts}


def _relations(model: type[models.Model], columns: tuple[registry.Column, ...]) -> list[str]:
    """select_related paths: every direct foreign key, and the foreign-key chains the columns read."""
    paths = {f.name for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)}
    for column in columns:
        for value in (column.value, column.full):
            if not isinstance(value, str) or "." not in value:
                continue
            current: Any = model
            chain: list[str] = []
            for part in value.split(".")[:-1]:
                try:
                    f = current._meta.get_field(part)
                except Exception:  # a property or method: stop following
                    break
                if not (f.is_relation and (f.many_to_one or f.one_to_one) and f.concrete):
                    break
                chain.append(part)
                current = f.related_model
            if chain:
                paths.add("__".join(chain))
    return sorted(paths)


def prepared(metric: Metric, qs: QuerySet[Any]) -> QuerySet[Any]:
    """The records ready to list: related rows joined, per-model annotations, a stable order."""
    relations = _relations(qs.model, metric.columns)
    if relations:
        qs = qs.select_related(*relations)
    prepare = PREPARE.get(qs.model._meta.label)
    if prepare is not None:
        qs = prepare(qs)
    if not qs.ordered:
        qs = qs.order_by("path" if qs.model is Org else "pk")
    return qs


@dataclass
class DrillDown:
    query: FigureQuery
    metric: Metric  # the metric asked for
    figure: Figure
    parts: list[Figure]  # numerator and denominator of a ratio
    listed: Metric  # whose records are listed
    records: QuerySet[Any]
    full: bool  # personal data shown unmasked (the user holds <domain>.pii on the union)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.listed.columns]

    def cells(self, obj: Any) -> list[Any]:
        return [c.of(obj, full=self.full) for c in self.listed.columns]


def drill_down(user: Any, q: FigureQuery) -> DrillDown:
    """The figure, its parts (for a ratio) and its records, within the user's scope."""
    metric = REGISTRY.get(q.key)
    figure = registry.evaluate(user, q.key, q.org, q.window, filters=q.filters, own_only=q.own_only)
    parts = []
    if metric.kind == RATIO:
        parts = [registry.evaluate(user, k, q.org, q.window, filters=q.filters, own_only=q.own_only)
                 for k in (metric.numerator, metric.denominator)]
    listed = listed_metric(q.key)
    qs = registry.records(user, q.key, q.org, q.window, filters=q.filters, own_only=q.own_only)
    full = (any(c.full is not None for c in listed.columns)
            and Scope.of(user).allows_org(q.org, f"{listed.domain}.pii"))
    return DrillDown(q, metric, figure, parts, listed, prepared(listed, qs), full)
