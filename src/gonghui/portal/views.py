"""The home page (工作台) of the current union."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from gonghui.core.http import AuthedRequest
from gonghui.orgs import selectors as org_selectors
from gonghui.portal.home import panels_for


def home(request: AuthedRequest) -> HttpResponse:
    org = request.current_org  # type: ignore[attr-defined]
    if org is None:
        return render(request, "portal/no_scope.html", status=200)
    return render(request, "portal/home.html", {
        "org": org,
        "node": org_selectors.tree_node(request.user, org),
        "figures": org_selectors.subtree_figures(),
        "children": org_selectors.tree_children(request.user, org)[:12],
        "overdue": org_selectors.term_overdue(request.user, within=org)[:8],
        "due": org_selectors.term_due(request.user, within=org)[:8],
        "panels": panels_for(request, org),
    })


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers: the app is up and the database answers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
