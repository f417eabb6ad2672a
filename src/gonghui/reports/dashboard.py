"""The dashboard of a union: its key figures of the year, read from the metric registry.

Everything here reads figures through the registry (``evaluate`` and ``per_child``) within the
acting user's scope. The number of queries depends on the lists of keys below, never on how
many child unions there are: roll-ups use ``per_child`` (one GROUP BY per key).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gonghui.core.scope import Scope
from gonghui.orgs.models import Org
from gonghui.reports import registry
from gonghui.reports.registry import RATIO, REGISTRY, Figure
from gonghui.reports.windows import Window

# The key figures every union's dashboard shows first, in this order (all from records).
KEY_FIGURES: tuple[str, ...] = (
    "members.total",
    "members.new",
    "members.membership_rate",
    "orgs.grassroots.total",
    "orgs.grassroots.new",
    "orgs.establishment_rate.above_scale",
    "orgs.grassroots.term_overdue",
    "facilities.home.total",
    "publicity.lectures.events",
    "culture.events",
    "skills.training.person_times",
    "competitions.participants",
)
# Columns of the roll-up by child union: keys ``per_child`` computes in one GROUP BY each (a ratio
# is taken from the roll-ups of its numerator and denominator).
ROLLUP_KEYS: tuple[str, ...] = (
    "members.total",
    "members.new",
    "members.membership_rate",
    "orgs.grassroots.total",
    "orgs.grassroots.new",
    "facilities.home.total",
)
# Figures where a rise is bad news (the 同比 arrow is shown in red when they go up).
LOWER_IS_BETTER: frozenset[str] = frozenset({"orgs.grassroots.term_overdue"})
# Flows drawn month by month.
TREND_KEYS: tuple[str, ...] = ("members.new", "orgs.grassroots.new", "culture.events", "publicity.lectures.events")
# Home-page panel: key figures the members and activities panels do not show already.
HOME_KEYS: tuple[str, ...] = ("members.membership_rate", "orgs.grassroots.total", "orgs.grassroots.new",
                              "orgs.grassroots.term_overdue")


@dataclass(frozen=True, slots=True)
class Cell:
    """A figure known by its value alone (a roll-up cell): enough to print it and link to its records."""

    key: str
    label: str
    unit: str
    value: int | decimal.Decimal | None
    org_code: str
    window: Window
    filters: Mapping[str, str] = field(default_factory=dict)


def visible(user: Any, key: str, org: Org) -> bool:
    """The key is registered and the user may view its records (both parts of a ratio) for ``org``."""
    metric = REGISTRY.metrics.get(key)
    if metric is None:
        return False
    scope = Scope.of(user)
    if metric.kind == RATIO:
        return visible(user, metric.numerator, org) and visible(user, metric.denominator, org)
    return scope.allows_org(org, f"{metric.domain}.view")


def window_for(year: int, today: dt.date) -> Window:
    """The reporting year; the current year runs to today so that 同比 compares like with like."""
    if year == today.year:
        return Window(dt.date(year, 1, 1), today, f"{year}年1月1日至{today.month}月{today.day}日")
    return Window.year(year)


def previous(window: Window) -> Window:
    """The same window one year earlier, labelled for that year (同比)."""
    back = window.previous()
    if (back.start, back.end) == (Window.year(back.start.year).start, Window.year(back.start.year).end):
        return Window.year(back.start.year)
    if back.start.year == back.end.year and (back.start.month, back.start.day) == (1, 1):
        return Window(back.start, back.end, f"{back.start.year}年1月1日至{back.end.month}月{back.end.day}日")
    return Window.period(back.start, back.end)


# -- key figures with 同比 -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyFigure:
    figure: Figure
    previous: Figure  # same key, same window one year earlier

    @property
    def change(self) -> int | decimal.Decimal | None:
        if self.figure.value is None or self.previous.value is None:
            return None
        return self.figure.value - self.previous.value

    @property
    def points(self) -> bool:
        """A rate changes by percentage points, not by a percentage of itself."""
        return self.figure.unit == "%"

    @property
    def change_pct(self) -> decimal.Decimal | None:
        """同比增减 % (one decimal); None when last year's figure is zero or missing."""
        change = self.change
        if change is None or not self.previous.value or self.points:
            return None
        pct = decimal.Decimal(change) * 100 / abs(decimal.Decimal(self.previous.value))
        return pct.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)

    @property
    def direction(self) -> str:
        change = self.change
        if change is None or change == 0:
            return "flat"
        return "up" if change > 0 else "down"

    @property
    def tone(self) -> str:
        """good | bad | flat: the colour of the 同比 line."""
        if self.direction == "flat":
            return "flat"
        rising_is_good = self.figure.key not in LOWER_IS_BETTER
        return "good" if (self.direction == "up") == rising_is_good else "bad"

    @property
    def new_this_year(self) -> bool:
        """Last year was zero and this year is not: no percentage, just 上年为0."""
        return not self.previous.value and bool(self.figure.value) and not self.points


def key_figures(user: Any, org: Org, window: Window, keys: tuple[str, ...] = KEY_FIGURES) -> list[KeyFigure]:
    """The union's key figures over the window, each with last year's same window (同比)."""
    out = []
    for key in keys:
        if not visible(user, key, org):
            continue
        out.append(KeyFigure(registry.evaluate(user, key, org, window),
                             registry.evaluate(user, key, org, previous(window))))
    return out


# -- roll-up by child union ----------------------------------------------------------------------


def ratio(numerator: Any, denominator: Any) -> decimal.Decimal | None:
    """numerator ÷ denominator × 100 to one decimal, as ``registry.evaluate`` rounds a ratio."""
    if not denominator:
        return None
    value = decimal.Decimal(numerator or 0) * 100 / decimal.Decimal(denominator)
    return value.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)


def _per_child(user: Any, key: str, org: Org, window: Window, done: dict[str, dict[int, Any]]) -> dict[int, Any]:
    """{child pk: value}; ``done`` keeps the roll-ups already made (a ratio reuses its numerator's)."""
    if key in done:
        return done[key]
    metric = REGISTRY.get(key)
    if metric.kind == RATIO:
        num = _per_child(user, metric.numerator, org, window, done)
        den = _per_child(user, metric.denominator, org, window, done)
        result: dict[int, Any] = {pk: ratio(num.get(pk), den.get(pk)) for pk in num}
    elif metric.limits_itself:
        raise ValueError(f"{key}: a metric that limits itself to the union cannot be rolled up in one query")
    else:
        result = {kid.pk: value for kid, value in registry.per_child(user, key, org, window)}
    done[key] = result
    return result


@dataclass
class ChildRow:
    org: Org
    cells: list[Cell]

    def value(self, key: str) -> Any:
        return next((c.value for c in self.cells if c.key == key), None)


@dataclass
class Rollup:
    keys: list[str]
    labels: list[tuple[str, str]]  # (label, unit) per key
    rows: list[ChildRow]


def rollup(user: Any, org: Org, window: Window, keys: tuple[str, ...] = ROLLUP_KEYS) -> Rollup:
    """Each visible child union × the roll-up keys: one GROUP BY per key (two for a ratio)."""
    from gonghui.orgs.selectors import children

    kids = list(children(user, org))
    shown = [k for k in keys if visible(user, k, org)]
    done: dict[str, dict[int, Any]] = {}
    values = {key: _per_child(user, key, org, window, done) for key in shown} if kids else {}
    metrics = [REGISTRY.get(k) for k in shown]
    rows = [ChildRow(kid, [Cell(m.key, m.label, m.unit, values[m.key].get(kid.pk), kid.code, window)
                           for m in metrics]) for kid in kids]
    return Rollup(shown, [(m.label, m.unit) for m in metrics], rows)


# -- trends by month -----------------------------------------------------------------------------


def months(window: Window) -> list[Window]:
    """The calendar months of the window (the last one cut at the window's end)."""
    out = []
    day = window.start.replace(day=1)
    while day <= window.end:
        nxt = (day + dt.timedelta(days=32)).replace(day=1)
        out.append(Window(max(day, window.start), min(nxt - dt.timedelta(days=1), window.end), f"{day.month}月"))
        day = nxt
    return out


@dataclass
class Trend:
    key: str
    label: str
    unit: str
    cells: list[Cell]


def trends(user: Any, org: Org, window: Window, keys: tuple[str, ...] = TREND_KEYS) -> tuple[list[str], list[Trend]]:
    """Month labels and, per flow key, its figure month by month (one registry figure per month)."""
    periods = months(window)
    out = []
    for key in keys:
        if not visible(user, key, org):
            continue
        metric = REGISTRY.get(key)
        cells = [Cell(key, metric.label, metric.unit, registry.evaluate(user, key, org, w).value, org.code, w)
                 for w in periods]
        out.append(Trend(key, metric.label, metric.unit, cells))
    return [w.label for w in periods], out


# -- reminders -------------------------------------------------------------------------------------


@dataclass
class ReminderItem:
    title: str
    detail: str
    url: str
    level: str = "warning"  # danger | warning | info
    badge: str = ""


@dataclass
class ReminderGroup:
    title: str
    icon: str
    figure: Figure | None = None  # the registry figure the group counts, when there is one
    items: list[ReminderItem] = field(default_factory=list)
    empty: str = "暂无需要处理的事项"
    more_url: str = ""  # the page listing them all


@dataclass(frozen=True, slots=True)
class Reminder:
    """A source of reminders; a domain app registers one when its records exist (集体合同到期, 审计整改 …)."""

    key: str
    build: Callable[[Any, Org, dt.date], ReminderGroup | None]
    order: int = 500


_REMINDERS: dict[str, Reminder] = {}


def register_reminder(reminder: Reminder) -> None:
    _REMINDERS[reminder.key] = reminder


def reminders(user: Any, org: Org, today: dt.date) -> list[ReminderGroup]:
    groups = []
    for reminder in sorted(_REMINDERS.values(), key=lambda r: r.order):
        group = reminder.build(user, org, today)
        if group is not None:
            groups.append(group)
    return groups


def _reelection(user: Any, org: Org, today: dt.date, limit: int = 4) -> ReminderGroup | None:
    """换届: unions whose committee term is overdue, or ends within six months."""
    from gonghui.orgs import selectors as orgs

    if not visible(user, "orgs.grassroots.term_overdue", org):
        return None
    figure = registry.evaluate(user, "orgs.grassroots.term_overdue", org, Window(dt.date(today.year, 1, 1), today))
    from django.urls import reverse

    group = ReminderGroup("换届提醒", "ti-calendar-time", figure, empty="半年内没有需要换届的工会",
                          more_url=reverse("organising:terms"))
    for o in orgs.term_overdue(user, within=org, on=today)[:limit]:
        group.items.append(ReminderItem(o.name, f"任期已于 {o.term_ends_on:%Y年%-m月%-d日} 届满，尚未换届",
                                        o.get_absolute_url(), "danger", "逾期"))
    for o in orgs.term_due(user, within=org, on=today)[:limit]:
        group.items.append(ReminderItem(o.name, f"任期将于 {o.term_ends_on:%Y年%-m月%-d日} 届满",
                                        o.get_absolute_url(), "warning", "将到期"))
    return group


register_reminder(Reminder("reelection", _reelection, order=100))


# -- the whole board -----------------------------------------------------------------------------


@dataclass
class Board:
    org: Org
    year: int
    window: Window
    figures: list[KeyFigure]
    rollup: Rollup
    months: list[str]
    trends: list[Trend]
    reminders: list[ReminderGroup]


def board(user: Any, org: Org, year: int, today: dt.date) -> Board:
    """Everything the dashboard of ``org`` shows for ``year``, within the user's scope."""
    Scope.of(user).require_org(org, "orgs.view")
    window = window_for(year, today)
    month_labels, lines = trends(user, org, window)
    return Board(org, year, window, key_figures(user, org, window), rollup(user, org, window), month_labels, lines,
                 reminders(user, org, today))


def home_panel(request: Any, org: Org) -> dict[str, Any] | None:
    """Home page panel: the first key figures with 同比, and the way to the dashboard."""
    from django.utils import timezone

    today = timezone.localdate()
    window = window_for(today.year, today)
    figures = key_figures(request.user, org, window, HOME_KEYS)
    if not figures:
        return None
    return {"figures": figures, "window": window, "year": today.year}
