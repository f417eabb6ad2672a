"""The address of the drill-down page behind a figure: ``/figures/<key>/?org=CODE&year=YYYY…``.

Query parameters, in this order (the annual summary's preview builds the same address):
``org`` (union code), ``year``, ``stats_year=1`` (1 Oct of the year before – 30 Sep),
``from`` / ``to`` (YYYY-MM-DD, a period inside or instead of the year: a month of a trend,
the year to date), ``f_<filter>=value`` (the metric's filters), ``own=1`` (the union alone, 本级).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from urllib.parse import urlencode

from gonghui.reports.registry import Figure
from gonghui.reports.windows import Window

DRILL_DOWN = "/figures/{key}/"


def window_params(window: Window) -> dict[str, str]:
    """``year`` (+ ``stats_year`` or ``from``/``to``) naming a window."""
    year = Window.year(window.start.year)
    if (window.start, window.end) == (year.start, year.end):
        return {"year": str(window.start.year)}
    stats = Window.stats_year(window.end.year)
    if (window.start, window.end) == (stats.start, stats.end):
        return {"year": str(window.end.year), "stats_year": "1"}
    params = {"year": str(window.start.year)}
    if window.start != year.start:
        params["from"] = window.start.isoformat()
    if window.end != year.end:
        params["to"] = window.end.isoformat()
    return params


def drill_down_url(key: str, org_code: str, window: Window, filters: Mapping[str, str] | None = None, *,
                   own_only: bool = False) -> str:
    params = {"org": org_code, **window_params(window), **{f"f_{k}": v for k, v in (filters or {}).items()}}
    if own_only:
        params["own"] = "1"
    return DRILL_DOWN.format(key=key) + "?" + urlencode(params)


def figure_url(figure: Figure, *, own_only: bool = False) -> str:
    """Where a computed figure links to: the records behind it."""
    return drill_down_url(figure.key, figure.org_code, figure.window, figure.filters, own_only=own_only)


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
