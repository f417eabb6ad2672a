"""Pages of the union tree and the employer register. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core.excel import xlsx_response
from gonghui.core.forms import save_form
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.scope import Scope
from gonghui.orgs import exporters, selectors, services
from gonghui.orgs.forms import DissolveOrgForm, EmployerForm, MoveOrgForm, NewOrgForm, OfficerForm, OrgForm
from gonghui.orgs.models import Industry, Org, Ownership


def tree(request: AuthedRequest) -> HttpResponse:
    """The org tree: the user's top unions, expanded lazily level by level."""
    scope = Scope.of(request.user)
    roots = [selectors.tree_node(request.user, org) for org in scope.roots()]
    return render(request, "orgs/tree.html", {
        "roots": roots, "figures": selectors.subtree_figures(), "query": request.GET.get("q", ""),
    })


def tree_children(request: AuthedRequest, code: str) -> HttpResponse:
    """HTMX fragment: the children of one node with their subtree counts."""
    parent = selectors.get_org(request.user, code)
    nodes = selectors.tree_children(request.user, parent)
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes, "figures": selectors.subtree_figures()})


def search(request: AuthedRequest) -> HttpResponse:
    """HTMX fragment: unions matching the search box, with their path."""
    query = request.GET.get("q", "")
    results = selectors.search_orgs(request.user, query, limit=30) if query.strip() else []
    rows = [(org, selectors.breadcrumbs(request.user, org)[:-1]) for org in results]
    switcher = request.GET.get("target") == "switcher"
    template = "orgs/_switcher_results.html" if switcher else "orgs/_search_results.html"
    return render(request, template, {"rows": rows, "query": query})


def detail(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code)
    scope = Scope.of(request.user)
    return render(request, "orgs/detail.html", {
        "org": org,
        "crumbs": selectors.breadcrumbs(request.user, org)[:-1],
        "node": selectors.tree_node(request.user, org),
        "figures": selectors.subtree_figures(),
        "children": selectors.tree_children(request.user, org),
        "officers": selectors.officers(request.user, org),
        "past_officers": selectors.past_officers(request.user, org)[:20],
        "committees": selectors.committees(request.user, org),
        "covered": org.covered_entities.all()[:50],
        "history": selectors.history(request.user, org)[:50],
        "can_edit": scope.allows_org(org, "orgs.edit"),
    })


def _form_page(request: AuthedRequest, form: Any, org: Org, title: str, **extra: Any) -> HttpResponse:
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": title, **extra})


def edit(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = OrgForm(request.POST or None, instance=Org.objects.get(pk=org.pk))
    done = save_form(request, form, lambda data: services.update_org(request.user, org, **data),
                     success=f"已保存“{org.name}”的修改。", redirect_to=org.get_absolute_url())
    return done or _form_page(request, form, org, f"编辑 {org.name}")


def create_child(request: AuthedRequest, code: str) -> HttpResponse:
    parent = selectors.get_org(request.user, code, "orgs.edit")
    form = NewOrgForm(request.POST or None, initial={"kind": "grassroots", "mode": "single", "term_years": 5})
    done = save_form(request, form, lambda data: services.create_org(request.user, parent, **data),
                     success=lambda org: f"已新建“{org.name}”。", redirect_to=lambda org: org.get_absolute_url())
    return done or _form_page(request, form, parent, f"在 {parent.name} 下新建工会")


def move(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = MoveOrgForm(request.POST or None)

    def save(data: dict[str, Any]) -> Org:
        new_parent = selectors.get_org_or_none(request.user, data["new_parent"].strip().upper())
        if new_parent is None:
            raise ValidationError({"new_parent": "找不到该上级工会，或它不在您的管理范围内"})
        return services.move_org(request.user, org, new_parent, on=data["on"], note=data["note"])

    done = save_form(request, form, save, success=f"已调整“{org.name}”的隶属关系。",
                     redirect_to=org.get_absolute_url())
    return done or _form_page(request, form, org, f"调整 {org.name} 的隶属关系")


def dissolve(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = DissolveOrgForm(request.POST or None)
    done = save_form(request, form,
                     lambda data: services.dissolve_org(request.user, org, on=data["on"], reason=data["reason"]),
                     success=f"“{org.name}”已撤销。", redirect_to=org.get_absolute_url())
    return done or _form_page(request, form, org, f"撤销 {org.name}", danger=True)


def export(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code)
    return xlsx_response(f"{org.name}-工会名册.xlsx", [exporters.export_orgs(request.user, org)])


# -- officers -----------------------------------------------------------------------------


def officer_create(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = OfficerForm(request.POST or None, org=org)
    done = save_form(request, form, lambda data: services.add_officer(request.user, org, **data),
                     success="已添加工会干部。", redirect_to=org.get_absolute_url() + "#officers")
    return done or _form_page(request, form, org, f"{org.name} · 添加工会干部")


def officer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    officer = selectors.get_officer(request.user, pk, "orgs.edit")
    form = OfficerForm(request.POST or None, instance=type(officer).objects.get(pk=pk), org=officer.org)
    done = save_form(request, form, lambda data: services.update_officer(request.user, officer, **data),
                     success=f"已保存 {officer.name} 的任职信息。",
                     redirect_to=officer.org.get_absolute_url() + "#officers")
    return done or _form_page(request, form, officer.org, f"编辑 {officer}")


# -- employers ----------------------------------------------------------------------------


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def employers(request: AuthedRequest) -> HttpResponse:
    within = current_org(request)
    params = request.GET
    min_headcount = params.get("min_headcount", "")
    qs = selectors.employers(
        request.user, within=within, query=params.get("q", ""), industry=params.get("industry", ""),
        ownership=params.get("ownership", ""), has_union=_flag(params.get("has_union", "")),
        min_headcount=int(min_headcount) if min_headcount.isdigit() else None,
    )
    if params.get("export"):
        return xlsx_response(f"{within.name}-用人单位.xlsx", [exporters.export_employers(request.user, within)])
    page = Paginator(qs, 50).get_page(params.get("page"))
    return render(request, "orgs/employers.html", {
        "page": page, "within": within, "params": params, "industries": Industry.choices,
        "ownerships": Ownership.choices, "can_edit": Scope.of(request.user).allows_org(within, "orgs.edit"),
    })


def employer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = selectors.get_employer(request.user, pk)
    return render(request, "orgs/employer_detail.html", {
        "employer": employer,
        "unions": selectors.visible_orgs(request.user).filter(covered_entities=employer),
        "can_edit": Scope.of(request.user).allows(employer, "orgs.edit"),
    })


def employer_create(request: AuthedRequest) -> HttpResponse:
    within = current_org(request)
    Scope.of(request.user).require_org(within, "orgs.edit")
    form = EmployerForm(request.POST or None)
    done = save_form(request, form, lambda data: services.create_employer(request.user, within, **data),
                     success=lambda e: f"已登记用人单位“{e.name}”。", redirect_to=lambda e: e.get_absolute_url())
    return done or _form_page(request, form, within, f"在 {within.name} 登记用人单位")


def employer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = selectors.get_employer(request.user, pk, "orgs.edit")
    form = EmployerForm(request.POST or None, instance=type(employer).objects.get(pk=pk))
    done = save_form(request, form, lambda data: services.update_employer(request.user, employer, **data),
                     success=f"已保存“{employer.name}”的修改。", redirect_to=employer.get_absolute_url())
    return done or _form_page(request, form, employer.org, f"编辑 {employer.name}")


@require_POST
def switch(request: AuthedRequest) -> HttpResponse:
    """Make another union in scope the one the user is working in."""
    from gonghui.core.middleware import SESSION_KEY

    org = selectors.get_org(request.user, request.POST.get("code", ""))
    request.session[SESSION_KEY] = org.code
    messages.info(request, f"当前工作单位已切换为“{org.name}”。")
    next_url = request.POST.get("next") or "/"
    return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "/")
