"""Pages of the union tree and the employer register. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core.excel import xlsx_response
from gonghui.core.forms import apply_validation_error
from gonghui.core.http import AuthedRequest
from gonghui.core.scope import NotFound, Scope
from gonghui.orgs import exporters, selectors, services
from gonghui.orgs.forms import DissolveOrgForm, EmployerForm, MoveOrgForm, NewOrgForm, OfficerForm, OrgForm
from gonghui.orgs.models import Industry, Org, Ownership


def _current(request: AuthedRequest) -> Org:
    org = request.current_org  # type: ignore[attr-defined]
    if org is None:
        raise NotFound("您的账户还没有分配任何工会的权限，请联系上级工会管理员。")
    return org


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


def edit(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = OrgForm(request.POST or None, instance=Org.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            services.update_org(request.user, org, **changes)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存“{org.name}”的修改。")
            return redirect(org.get_absolute_url())
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": f"编辑 {org.name}"})


def create_child(request: AuthedRequest, code: str) -> HttpResponse:
    parent = selectors.get_org(request.user, code, "orgs.edit")
    form = NewOrgForm(request.POST or None, initial={"kind": "grassroots", "mode": "single", "term_years": 5})
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_org(request.user, parent, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已新建“{org.name}”。")
            return redirect(org.get_absolute_url())
    return render(request, "orgs/form.html", {"form": form, "org": parent, "title": f"在 {parent.name} 下新建工会"})


def move(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = MoveOrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_parent = selectors.get_org(request.user, form.cleaned_data["new_parent"].strip().upper(), "orgs.edit")
            services.move_org(request.user, org, new_parent, on=form.cleaned_data["on"],
                              note=form.cleaned_data["note"])
        except NotFound:
            form.add_error("new_parent", "找不到该上级工会，或它不在您的管理范围内")
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{org.name}”已调整到“{new_parent.name}”之下。")
            return redirect(org.get_absolute_url())
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": f"调整 {org.name} 的隶属关系"})


def dissolve(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = DissolveOrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dissolve_org(request.user, org, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"“{org.name}”已撤销。")
            return redirect(org.get_absolute_url())
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": f"撤销 {org.name}",
                                              "danger": True})


def export(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code)
    return xlsx_response(f"{org.name}-工会名册.xlsx", [exporters.export_orgs(request.user, org)])


# -- officers -----------------------------------------------------------------------------


def officer_create(request: AuthedRequest, code: str) -> HttpResponse:
    org = selectors.get_org(request.user, code, "orgs.edit")
    form = OfficerForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_officer(request.user, org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已添加工会干部。")
            return redirect(org.get_absolute_url() + "#officers")
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": f"{org.name} · 添加工会干部"})


def officer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    officer = selectors.get_officer(request.user, pk, "orgs.edit")
    form = OfficerForm(request.POST or None, instance=type(officer).objects.get(pk=pk), org=officer.org)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_officer(request.user, officer,
                                    **{name: form.cleaned_data[name] for name in form.changed_data})
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存 {officer.name} 的任职信息。")
            return redirect(officer.org.get_absolute_url() + "#officers")
    return render(request, "orgs/form.html", {"form": form, "org": officer.org, "title": f"编辑 {officer}"})


# -- employers ----------------------------------------------------------------------------


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def employers(request: AuthedRequest) -> HttpResponse:
    within = _current(request)
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
    within = _current(request)
    Scope.of(request.user).require_org(within, "orgs.edit")
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.create_employer(request.user, within, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已登记用人单位“{employer.name}”。")
            return redirect(employer.get_absolute_url())
    return render(request, "orgs/form.html", {"form": form, "org": within, "title": f"在 {within.name} 登记用人单位"})


def employer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = selectors.get_employer(request.user, pk, "orgs.edit")
    form = EmployerForm(request.POST or None, instance=type(employer).objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employer(request.user, employer,
                                     **{name: form.cleaned_data[name] for name in form.changed_data})
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存“{employer.name}”的修改。")
            return redirect(employer.get_absolute_url())
    return render(request, "orgs/form.html", {"form": form, "org": employer.org, "title": f"编辑 {employer.name}"})


@require_POST
def switch(request: AuthedRequest) -> HttpResponse:
    """Make another union in scope the one the user is working in."""
    from gonghui.core.middleware import SESSION_KEY

    org = selectors.get_org(request.user, request.POST.get("code", ""))
    request.session[SESSION_KEY] = org.code
    messages.info(request, f"当前工作单位已切换为“{org.name}”。")
    next_url = request.POST.get("next") or "/"
    return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "/")
