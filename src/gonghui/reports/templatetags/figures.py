"""``{% figure_link figure %}``: any figure printed as a link to the records behind it.

``figure`` is a registry ``Figure`` or anything with ``key``, ``label``, ``unit``, ``value``,
``org_code``, ``window`` and ``filters`` (a dashboard roll-up ``Cell``). ``{{ figure|drill_down }}``
gives the address alone.
"""

from __future__ import annotations

import decimal
from typing import Any

from django import template
from django.utils.html import format_html

from gonghui.reports.figures.links import drill_down_url

register = template.Library()


def number(value: Any) -> str:
    """A figure's value as printed: thousands separated, amounts with their decimals, — when there is none."""
    if value is None:
        return "—"
    if isinstance(value, decimal.Decimal):
        return f"{value:,f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def drill_down(figure: Any, own: bool = False) -> str:
    return drill_down_url(figure.key, figure.org_code, figure.window, getattr(figure, "filters", None),
                          own_only=bool(own))


@register.filter(name="figure_number")
def figure_number(value: Any) -> str:
    return number(value)


@register.simple_tag
def figure_link(figure: Any, own: bool = False, unit: bool = True, text: str = "", css: str = "") -> str:
    """<a> to the drill-down of ``figure``: its value (and unit), with label, key and record count in the title."""
    records = getattr(figure, "record_count", None)
    tip = f"{figure.label}（{figure.key}）" + (f"，记录 {records} 条" if records is not None else "") + "：点击查看记录"
    shown = text or number(figure.value)
    suffix = figure.unit if unit and figure.value is not None else ""
    return format_html('<a href="{}" class="figure-link {}" data-key="{}" title="{}">{}</a>{}',
                       drill_down(figure, own), css, figure.key, tip, shown,
                       format_html('<span class="figure-unit">{}</span>', suffix) if suffix else "")
