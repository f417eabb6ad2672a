"""Figures of the targets family: the target handed down (``targets.target``) and its completion rate.

Both are taken for the union that carries the target (not its subtree: a city's
own target and the shares split to its districts are different targets), filtered
by ``key`` = the metric key the target is set on. ``{完成:members.new}`` in a
summary template evaluates ``targets.completion_rate`` with ``key=members.new``.

The completion rate is ``actual ÷ target × 100`` where *actual* is the registry's
own figure for the key over the target union's subtree and the window. The
registry checks that the acting user may see the union's targets (``targets.view``)
and limits the Target rows to the user's scope; the metric's records function is
not told who the user is, so *actual* is taken over the whole subtree of the
target union — the figure the target is about. For every role that covers its
subtree (all default roles) this equals ``registry.evaluate(user, key, org, year)``,
which the completion pages use; ``tests/test_completion.py`` checks the two agree.

The registry has no "value missing" for counts: a union without a target on the
key has ``targets.target`` 0 and ``targets.completion_rate`` 0 with no records
behind them; the summary words completion only when a target record stands
behind the rate. Without a ``key`` filter, ``targets.completion_rate`` is the
lowest completion rate among the union's targets of the year (100 or more means
every target is met: 全面完成) and ``targets.target`` is 0 — targets on different
metrics have different units and are never added up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, Min, QuerySet, Sum, Value, When

from gonghui.core.scope import OPERATOR
from gonghui.reports import registry
from gonghui.reports.registry import STOCK, BadFilter, Column, Metric, MetricContext, register
from gonghui.targets import completion
from gonghui.targets.models import Target, plain, targetable

RATE_FIELD = DecimalField(max_digits=12, decimal_places=1)
AMOUNT_FIELD = DecimalField(max_digits=20, decimal_places=2)


def _by_key(qs: QuerySet[Any], key: str) -> QuerySet[Any]:
    if targetable(key) is None:
        raise BadFilter(f"“{key}”不是可下达目标的指标代码")
    return qs.filter(metric_key=key)


def _target_rows(ctx: MetricContext) -> QuerySet[Target]:
    """``targets.target``: only with a key (values of different metrics are never added)."""
    qs = Target.objects.filter(org=ctx.org, year=ctx.window.end.year).select_related("org", "set_by")
    return qs if "key" in ctx.filters else qs.none()


def _with_completion(ctx: MetricContext) -> QuerySet[Target]:
    """The union's targets of the year, each annotated with its actual figure and completion rate."""
    qs = Target.objects.filter(org=ctx.org, year=ctx.window.end.year).select_related("org", "set_by")
    if "key" in ctx.filters:
        qs = qs.filter(metric_key=ctx.filters["key"])
    actual_when, rate_when = [], []
    for target in qs:
        figure = registry.evaluate(OPERATOR, target.metric_key, ctx.org, ctx.window, own_only=ctx.own_only)
        actual = Decimal(figure.value or 0)
        actual_when.append(When(pk=target.pk, then=Value(actual, output_field=AMOUNT_FIELD)))
        rate_when.append(When(pk=target.pk, then=Value(completion.rate(actual, target.value),
                                                       output_field=RATE_FIELD)))
    return qs.annotate(actual=Case(*actual_when, default=Value(None), output_field=AMOUNT_FIELD),
                       completion=Case(*rate_when, default=Value(None), output_field=RATE_FIELD))


COLUMNS = (
    Column("承担工会代码", "org.code", text=True),
    Column("承担工会", "org.name"),
    Column("年度", "year"),
    Column("指标", "label"),
    Column("指标代码", "metric_key", text=True),
    Column("目标", lambda t: plain(t.value)),
    Column("单位", "unit"),
    Column("下达工会", "set_by.name"),
    Column("下达日期", "set_on"),
)

register(Metric(
    key="targets.target", label="上级下达任务数", unit="家/人", kind=STOCK, domain="targets",
    records=_target_rows, limits_itself=True, value=lambda: Sum("value"),
    filters={"key": _by_key}, columns=COLUMNS,
    note="该工会本年度在指定指标（key）上的目标任务数，单位随指标；须带 key 筛选",
))

register(Metric(
    key="targets.completion_rate", label="完成率", unit="%", kind=STOCK, domain="targets",
    records=_with_completion, limits_itself=True, value=lambda: Min("completion"),
    filters={"key": _by_key}, decimals=1,
    columns=(*COLUMNS, Column("实际完成", lambda t: plain(getattr(t, "actual", None))),
             Column("完成率（%）", lambda t: getattr(t, "completion", None))),
    note="实际完成数 ÷ 目标任务数 × 100（实际完成数来自该指标的记录）；不带 key 时为各项目标中最低的完成率",
))

