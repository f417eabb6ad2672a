"""The drill-down page behind every figure, and the dashboard of a union. Thin: parse, select, render."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gonghui.core.excel import XLSX_MIME
from gonghui.core.http import AuthedRequest, current_org
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Org
from gonghui.reports import dashboard
from gonghui.reports.figures import exporters, selectors
from gonghui.reports.figures.links import drill_down_url
from gonghui.reports.registry import REGISTRY, BadFilter, UnknownMetric

PAGE_SIZE = 50


def drilldown(request: AuthedRequest, key: str) -> HttpResponseBase:
    """The figure named by the address, then the records behind it (paginated; ``export=1``: .xlsx)."""
    try:
        REGISTRY.get(key)
    except UnknownMetric:
        return render(request, "reports/figures/unknown.html", {"key": key}, status=404)
    try:
        query = selectors.parse(request.user, key, request.GET, request.current_org)
        dd = selectors.drill_down(request.user, query)
    except (selectors.BadQuery, BadFilter, ValidationError, ValueError) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return render(request, "reports/figures/bad_query.html",
                      {"message": message, "metric": REGISTRY.get(key)}, status=400)
    if request.GET.get("export") == "1":
        name = f"{dd.metric.label}-{query.org.code}-{query.window.start.year}.xlsx"
        response = FileResponse(exporters.export_records(request.user, dd), content_type=XLSX_MIME)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
    page = Paginator(dd.records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(dd.cells(obj), obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "") for obj in page]
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return render(request, "reports/figures/drilldown.html", {
        "dd": dd, "q": query, "metric": dd.metric, "figure": dd.figure, "headers": dd.headers, "rows": rows,
        "page": page, "params": params, "export_query": params.urlencode() + "&export=1",
        "crumbs": orgs.breadcrumbs(request.user, query.org),
        "dashboard_url": reverse("figures:dashboard") + f"?org={quote(query.org.code)}&year={query.window.end.year}",
        "filters": sorted(query.filters.items()),
        "whole_url": drill_down_url(key, query.org.code, query.window, query.filters),
        "own_url": drill_down_url(key, query.org.code, query.window, query.filters, own_only=True),
    })


def _year(request: AuthedRequest) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year else this_year


def _org(request: AuthedRequest) -> Org:
    code = request.GET.get("org", "").strip()
    if code:
        return orgs.get_org(request.user, code)
    return current_org(request)


def dashboard_page(request: AuthedRequest) -> HttpResponse:
    """数据看板 of a union (default: the current union) for a year (default: this year, to date)."""
    org = _org(request)
    year = _year(request)
    today = timezone.localdate()
    board = dashboard.board(request.user, org, year, today)
    charts = {
        "children": [{"name": r.org.name, "code": r.org.code, "values": {c.key: _num(c.value) for c in r.cells},
                      "urls": {c.key: drill_down_url(c.key, c.org_code, c.window) for c in r.cells}}
                     for r in board.rollup.rows],
        "labels": {k: label for k, (label, _unit) in zip(board.rollup.keys, board.rollup.labels, strict=True)},
        "months": board.months,
        "trends": [{"key": t.key, "name": f"{t.label}（{t.unit}）", "values": [_num(c.value) for c in t.cells],
                    "urls": [drill_down_url(c.key, c.org_code, c.window) for c in t.cells]} for t in board.trends],
    }
    this_year = today.year
    return render(request, "reports/figures/dashboard.html", {
        "board": board, "org": org, "year": year, "years": list(range(this_year, this_year - 5, -1)),
        "crumbs": orgs.breadcrumbs(request.user, org)[:-1], "charts": charts,
        "members_key": "members.total" if "members.total" in board.rollup.keys else "",
    })


def _num(value: Any) -> Any:
    return None if value is None else json.loads(str(value))


def org_search(request: AuthedRequest) -> HttpResponse:
    """HTMX: unions in scope matching the dashboard's org switcher, each linking to its dashboard."""
    query = request.GET.get("q", "")
    results = orgs.search_orgs(request.user, query, limit=20) if query.strip() else []
    return render(request, "reports/figures/_org_results.html",
                  {"results": results, "query": query, "year": _year(request)})
