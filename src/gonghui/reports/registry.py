"""The metric registry: the one place figures are computed.

Every figure of METRICS.md that records can produce is one ``Metric``: its key,
Chinese label, unit, kind (flow over a window, stock at the window's end, or a
ratio of two metrics), and how to select the records behind it. The dashboard,
``gonghui stats``, the annual return and the annual summary all call
``evaluate`` (a number) and ``records`` (the rows behind it, for drill-down):
nothing else computes figures.

A metric is defined by its app in ``<app>/metrics.py``::

    register(Metric(
        key="orgs.grassroots.new", label="新建基层工会", unit="家", kind=FLOW, domain="orgs",
        org_field="",                      # the records are Orgs themselves
        records=lambda ctx: Org.objects.filter(kind="grassroots", founded_on__range=ctx.window.range),
        columns=(Column("工会代码", "code", text=True), Column("工会名称", "name")),
    ))

``records(ctx)`` returns the records in the window, not yet limited to a union:
the registry limits them to the union's subtree (or the union alone, ``own_only``)
through ``org_field`` and to the acting user's scope, then aggregates ``value``
(default: count of records).

A metric over very many records may also name a ``tally``: a summary kept by its domain app
(members.tally) that gives the same value and record count for whole subtrees. The registry
reads it only when the result must be equal — no filters, the whole subtree, and a user whose
scope covers all of it — and counts from the records otherwise (or when the tally says None).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from gonghui.core.scope import Scope, Scoped
from gonghui.reports.windows import Window

if TYPE_CHECKING:
    from gonghui.orgs.models import Org


class Kind(StrEnum):
    FLOW = "flow"  # records dated in the window
    STOCK = "stock"  # state at the end of the window
    RATIO = "ratio"  # numerator ÷ denominator × 100


FLOW, STOCK, RATIO = Kind.FLOW, Kind.STOCK, Kind.RATIO


class UnknownMetric(KeyError):
    pass


class BadFilter(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Column:
    """A drill-down column: header and an attribute path (``org.name``) or a callable."""

    header: str
    value: str | Callable[[Any], Any]
    text: bool = False  # keep as text in Excel (codes, numbers with leading zeros)
    # The unmasked value of a personal-data column (``value`` masks it): drill-down shows it only to a
    # user holding the metric domain's ``.pii`` capability on the union.
    full: str | Callable[[Any], Any] | None = None

    def of(self, obj: Any, *, full: bool = False) -> Any:
        value = self.full if full and self.full is not None else self.value
        if callable(value):
            return value(obj)
        current = obj
        for part in value.split("."):
            current = getattr(current, part, None)
            if current is None:
                return None
            if callable(current) and not hasattr(current, "all"):
                current = current()
        return current


@dataclass(frozen=True, slots=True)
class MetricContext:
    """What a metric's ``records`` function may use."""

    window: Window
    org: Org
    own_only: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)

    @property
    def on(self) -> Any:
        """The date a stock is taken at."""
        return self.window.end

    def in_subtree(self, org_field: str) -> Q:
        """Q limiting ``org_field`` (a path to an Org, ``""`` for Org rows) to the union or its subtree."""
        prefix = f"{org_field}__" if org_field else ""
        if self.own_only:
            return Q(**{f"{prefix}pk": self.org.pk})
        return Q(**{f"{prefix}path__startswith": self.org.path})


FilterFn = Callable[[QuerySet[Any], str], QuerySet[Any]]
# (context, unions) -> {union pk: (value, record count)} over each union's whole subtree, or None.
TallyFn = Callable[[MetricContext, Sequence["Org"]], Mapping[int, tuple[Any, int]] | None]


def _count_rows() -> Any:
    return Count("pk", distinct=True)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    kind: Kind
    domain: str  # capability domain: the user needs ``<domain>.view`` on the union
    records: Callable[[MetricContext], QuerySet[Any]] | None = None
    org_field: str = "org"
    # The records function limits itself to the union (a to-many path, say): the
    # registry adds no subtree filter, and roll-ups by child run one query per child.
    limits_itself: bool = False
    value: Callable[[], Any] = _count_rows  # aggregate expression over the records
    numerator: str = ""  # ratios
    denominator: str = ""
    columns: tuple[Column, ...] = ()
    filters: Mapping[str, FilterFn] = field(default_factory=dict)
    decimals: int = 0  # 2 for amounts in 元, 1 for rates
    note: str = ""
    tally: TallyFn | None = None  # the same figures from a summary table (see the module docstring)

    def __post_init__(self) -> None:
        if self.kind == RATIO and not (self.numerator and self.denominator):
            raise ValueError(f"{self.key}: a ratio needs numerator and denominator keys")
        if self.kind != RATIO and self.records is None:
            raise ValueError(f"{self.key}: needs a records function")


@dataclass(frozen=True, slots=True)
class Figure:
    """One computed figure: the number, and how many records stand behind it."""

    key: str
    label: str
    unit: str
    value: int | decimal.Decimal | None
    record_count: int
    org_code: str
    window: Window
    filters: Mapping[str, str] = field(default_factory=dict)

    @property
    def number(self) -> int | float | None:
        """The value as a JSON number (amounts keep their two decimals)."""
        if self.value is None:
            return None
        if isinstance(self.value, decimal.Decimal):
            return int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        return self.value


@dataclass(frozen=True, slots=True)
class Status:
    """Why a METRICS.md key is not (yet) computed from records."""

    state: str  # "pending" | "not_from_records"
    reason: str
    domain: str = ""


class Registry:
    def __init__(self) -> None:
        self.metrics: dict[str, Metric] = {}
        self.statuses: dict[str, Status] = {}

    def register(self, metric: Metric) -> Metric:
        if metric.key in self.metrics:
            raise ValueError(f"metric {metric.key} is registered twice")
        self.metrics[metric.key] = metric
        return metric

    def pending(self, key: str, *, domain: str, reason: str) -> None:
        """Declare a key (or a ``family.`` prefix) whose records a domain app has yet to bring."""
        self.statuses[key] = Status("pending", reason, domain)

    def not_from_records(self, key: str, *, reason: str) -> None:
        self.statuses[key] = Status("not_from_records", reason)

    def status(self, key: str) -> tuple[str, str]:
        """("implemented" | "pending" | "not_from_records" | "missing", reason)."""
        if key in self.metrics:
            return "implemented", ""
        if key in self.statuses:
            s = self.statuses[key]
            return s.state, s.reason
        best = max((p for p in self.statuses if p.endswith(".") and key.startswith(p)), key=len, default=None)
        if best is not None:
            s = self.statuses[best]
            return s.state, s.reason
        return "missing", ""

    def get(self, key: str) -> Metric:
        try:
            return self.metrics[key]
        except KeyError:
            raise UnknownMetric(key) from None


REGISTRY = Registry()
register = REGISTRY.register


# -- evaluation ---------------------------------------------------------------------------


def _check_filters(metric: Metric, filters: Mapping[str, str]) -> None:
    unknown = set(filters) - set(metric.filters)
    if unknown:
        allowed = "、".join(metric.filters) or "无"
        raise BadFilter(f"指标 {metric.key} 不支持筛选条件 {'、'.join(sorted(unknown))}（可用：{allowed}）")


def _base(metric: Metric, ctx: MetricContext, user: Any) -> QuerySet[Any]:
    assert metric.records is not None
    qs = metric.records(ctx)
    for name, value in ctx.filters.items():
        qs = metric.filters[name](qs, value)
    if not metric.limits_itself:
        qs = qs.filter(ctx.in_subtree(metric.org_field))
    if issubclass(qs.model, Scoped) and not _subtree_in_scope(metric, ctx, qs.model, user):
        qs = Scope.of(user).filter(qs, f"{metric.domain}.view")
    return qs


def _subtree_in_scope(metric: Metric, ctx: MetricContext, model: Any, user: Any) -> bool:
    """True when every record of the union's subtree is in the user's scope already, so the scope
    filter (an OR across to-many joins for some models) would change nothing: the user's grants cover
    the whole subtree and the records reach their union through one of the model's scope paths."""
    if not Scope.of(user).covers_subtree(ctx.org, f"{metric.domain}.view"):
        return False
    return metric.limits_itself or metric.org_field in getattr(model, "scope_fields", ())


def records(user: Any, key: str, org: Org, window: Window, *, filters: Mapping[str, str] | None = None,
            own_only: bool = False) -> QuerySet[Any]:
    """The rows behind a figure, for the drill-down page and its export."""
    metric = REGISTRY.get(key)
    if metric.kind == RATIO:
        return records(user, metric.numerator, org, window, filters=filters, own_only=own_only)
    filters = dict(filters or {})
    _check_filters(metric, filters)
    Scope.of(user).require_org(org, f"{metric.domain}.view")
    return _base(metric, MetricContext(window, org, own_only, filters), user)


def _quantize(metric: Metric, value: Any) -> int | decimal.Decimal:
    if value is None:
        value = 0
    if metric.decimals:
        return decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-metric.decimals))
    if isinstance(value, decimal.Decimal | float):
        return int(value) if value == int(value) else decimal.Decimal(value)
    return int(value)


def _ratio(num: Any, den: Any) -> decimal.Decimal | None:
    if not den:
        return None
    ratio = decimal.Decimal(num or 0) * 100 / decimal.Decimal(den)
    return ratio.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)


def _from_tally(user: Any, metric: Metric, orgs: Sequence[Org], window: Window, filters: Mapping[str, str],
                own_only: bool) -> Mapping[int, tuple[Any, int]] | None:
    """The metric's summary for whole subtrees, when it gives exactly what the records would."""
    if metric.tally is None or filters or own_only or not orgs:
        return None
    scope = Scope.of(user)
    cap = f"{metric.domain}.view"
    if not all(scope.covers_subtree(org, cap) for org in orgs):
        return None  # the records would be cut to the user's scope
    return metric.tally(MetricContext(window, orgs[0]), orgs)


def evaluate(user: Any, key: str, org: Org, window: Window, *, filters: Mapping[str, str] | None = None,
             own_only: bool = False) -> Figure:
    """Compute one figure for a union (and its subtree) over a window, within the user's scope."""
    metric = REGISTRY.get(key)
    filters = dict(filters or {})
    if metric.kind == RATIO:
        num = evaluate(user, metric.numerator, org, window, filters=filters, own_only=own_only)
        den = evaluate(user, metric.denominator, org, window, filters=filters, own_only=own_only)
        return Figure(key, metric.label, metric.unit, _ratio(num.value, den.value), num.record_count, org.code,
                      window, filters)
    if metric.tally is not None:
        _check_filters(metric, filters)
        Scope.of(user).require_org(org, f"{metric.domain}.view")
        tallied = _from_tally(user, metric, [org], window, filters, own_only)
        if tallied is not None:
            value, count = tallied[org.pk]
            return Figure(key, metric.label, metric.unit, _quantize(metric, value), count, org.code, window,
                          filters)
    qs = records(user, key, org, window, filters=filters, own_only=own_only)
    result = qs.order_by().aggregate(v=metric.value(), n=Count("pk", distinct=True))
    return Figure(key, metric.label, metric.unit, _quantize(metric, result["v"]), result["n"], org.code, window,
                  filters)


def evaluate_many(user: Any, keys: Iterable[str], org: Org, window: Window, *,
                  own_only: bool = False) -> dict[str, Figure]:
    return {key: evaluate(user, key, org, window, own_only=own_only) for key in keys}


def per_child(user: Any, key: str, parent: Org, window: Window, *,
              filters: Mapping[str, str] | None = None) -> list[tuple[Org, int | decimal.Decimal | None]]:
    """The figure for each visible child subtree of ``parent``, in one GROUP BY where possible."""
    from gonghui.orgs.models import Org
    from gonghui.orgs.selectors import children

    metric = REGISTRY.get(key)
    if metric.kind == RATIO:  # each part rolled up once, then divided child by child
        Scope.of(user).require_org(parent, f"{metric.domain}.view")
        nums = per_child(user, metric.numerator, parent, window, filters=filters)
        dens = dict(per_child(user, metric.denominator, parent, window, filters=filters))
        return [(kid, _ratio(num, dens.get(kid))) for kid, num in nums]
    kids = list(children(user, parent))
    if metric.limits_itself:
        return [(kid, evaluate(user, key, kid, window, filters=filters).value) for kid in kids]
    if metric.tally is not None:
        _check_filters(metric, dict(filters or {}))
        Scope.of(user).require_org(parent, f"{metric.domain}.view")
        tallied = _from_tally(user, metric, kids, window, dict(filters or {}), False)
        if tallied is not None:
            return [(kid, _quantize(metric, tallied[kid.pk][0])) for kid in kids]
    qs = records(user, key, parent, window, filters=filters)
    path = f"{metric.org_field}__path" if metric.org_field else "path"
    rows = (qs.order_by().annotate(child_prefix=Substr(path, 1, (parent.depth + 1) * Org.steplen))
            .values("child_prefix").annotate(v=metric.value()))
    by_prefix = {row["child_prefix"]: row["v"] for row in rows}
    return [(kid, _quantize(metric, by_prefix.get(kid.path))) for kid in kids]


def implemented_keys() -> list[str]:
    return sorted(REGISTRY.metrics)
