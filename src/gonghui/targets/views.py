"""Pages for targets (目标任务), their completion (完成情况) and the yearly assessment (目标考核)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.core.excel import xlsx_response
from gonghui.core.forms import form_page
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.scope import Scope
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org
from gonghui.targets import exporters, selectors, services
from gonghui.targets.forms import ItemForm, SchemeForm, ScoreForm, TargetEditForm, TargetForm
from gonghui.targets.models import ItemKind, Target


def _year(request: AuthedRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else dt.date.today().year


def _level(request: AuthedRequest) -> Org:
    """The union the page is about: ``?org=CODE`` inside the scope, else the current union."""
    code = request.GET.get("org", "").strip()
    return org_selectors.get_org(request.user, code, "targets.view") if code else current_org(request)


def _years(request: AuthedRequest, org: Org, year: int) -> list[int]:
    this = dt.date.today().year
    return sorted({*selectors.years(request.user, org), this, this - 1, year}, reverse=True)


def target_list(request: AuthedRequest) -> HttpResponse:
    """Targets of a year for the union and its direct sub-unions, by metric."""
    org = _level(request)
    year = _year(request)
    scope = Scope.of(request.user)
    can_edit = scope.allows_org(org, "targets.edit")
    groups: dict[str, dict[str, Any]] = {}
    for t in selectors.targets_of(request.user, org, year):
        g = groups.setdefault(t.metric_key, {"label": t.label, "unit": t.unit, "key": t.metric_key, "own": None,
                                             "children": []})
        if t.org_id == org.pk:
            g["own"] = t
        else:
            g["children"].append(t)
    for g in groups.values():
        own = g["own"]
        g["split_total"] = sum((c.value for c in g["children"] if own and c.parent_id == own.pk), Decimal(0))
    return render(request, "targets/list.html", {
        "org": org, "year": year, "years": _years(request, org, year), "groups": list(groups.values()),
        "can_edit": can_edit, "has_children": org.numchild > 0,
        "editable_ids": {t.pk for g in groups.values() for t in ([g["own"]] if g["own"] else []) + g["children"]
                         if scope.allows_org(t.set_by, "targets.edit")},
    })


def target_create(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    Scope.of(request.user).require_org(org, "targets.edit")
    orgs = [org, *org_selectors.children(request.user, org)]
    form = TargetForm(request.POST or None, orgs=orgs, year=_year(request),
                      initial={"org": request.GET.get("org", org.code), "metric_key": request.GET.get("key", "")})
    return form_page(request, form,
                     lambda data: services.set_target(request.user, org, data["org"],
                                                      **{k: v for k, v in data.items() if k != "org"}),
                     success=lambda t: f"已下达{t}", redirect_to=lambda t: reverse("targets:list") + f"?year={t.year}",
                     title=f"{org.name} · 下达目标任务", back=reverse("targets:list"), back_label="目标任务")


def target_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.get_target(request.user, pk)
    initial = {"value": target.value, "set_on": target.set_on, "remarks": target.remarks}
    form = TargetEditForm(request.POST or None, initial=initial)
    url = target.get_absolute_url()
    return form_page(request, form,
                     lambda data: services.update_target(request.user, target,
                                                         **{k: data[k] for k in form.changed_data}),
                     success=f"已修改{target}", redirect_to=url, title=f"修改目标：{target}", back=url,
                     back_label="目标任务", delete_url=reverse("targets:delete", args=[target.pk]),
                     delete_label="撤回目标")


@require_POST
def target_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.get_target(request.user, pk)
    url = target.get_absolute_url()
    try:
        services.delete_target(request.user, target)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "目标已撤回")
    return redirect(url)


def target_split(request: AuthedRequest, pk: int) -> HttpResponse:
    """Split a union's target among its direct sub-unions, one row each."""
    target = selectors.get_target(request.user, pk)
    Scope.of(request.user).require_org(target.org, "targets.edit")
    kids = list(org_selectors.children(request.user, target.org))
    current = {t.org_id: t for t in Target.objects.filter(year=target.year, metric_key=target.metric_key,
                                                          org__in=[k.pk for k in kids])}
    values = {k.code: (current[k.pk].value_text if k.pk in current else "") for k in kids}
    errors: list[str] = []
    if request.method == "POST":
        values = {k.code: request.POST.get(f"share-{k.code}", "").strip() for k in kids}
        try:
            services.split_target(request.user, target, {k: values[k.code] for k in kids})
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已将{target.org.name}的“{target.label}”目标分解到{len(kids)}个下级工会")
            return redirect(reverse("targets:completion") + f"?org={target.org.code}&year={target.year}")
    rows = [{"org": k, "value": values[k.code], "current": current.get(k.pk)} for k in kids]
    return render(request, "targets/split.html", {"target": target, "rows": rows, "errors": errors})


def completion_page(request: AuthedRequest) -> HttpResponse:
    """Completion at one level: the union's own targets and its children's, ranked, with badges and bars."""
    org = _level(request)
    year = _year(request)
    if request.GET.get("export"):
        return xlsx_response(f"{org.name}-{year}年目标完成情况.xlsx", [exporters.export_completion(request.user, org,
                                                                                                  year)])
    table = selectors.completion_table(request.user, org, year)
    own = [e.own for e in table if e.own is not None]
    return render(request, "targets/completion.html", {
        "org": org, "year": year, "years": _years(request, org, year), "table": table,
        "overall": selectors.overall(own), "crumbs": org_selectors.breadcrumbs(request.user, org),
        "can_edit": Scope.of(request.user).allows_org(org, "targets.edit"),
    })


# -- assessment -------------------------------------------------------------------------------------


def schemes(request: AuthedRequest) -> HttpResponse:
    org = _level(request)
    year = _year(request)
    return render(request, "targets/schemes.html", {
        "org": org, "year": year, "years": _years(request, org, year),
        "schemes": selectors.schemes_of(request.user, org, year),
        "can_edit": Scope.of(request.user).allows_org(org, "targets.edit"),
    })


ITEM_ROWS = 8


def scheme_create(request: AuthedRequest) -> HttpResponse:
    """Define a yearly assessment scheme for the current union's direct sub-unions: up to eight weighted items."""
    org = current_org(request)
    Scope.of(request.user).require_org(org, "targets.edit")
    form = SchemeForm(request.POST or None, initial={"year": _year(request), "name": "目标管理考核"})
    rows = [ItemForm(request.POST or None, prefix=f"item{n}") for n in range(ITEM_ROWS)]
    errors: list[str] = []
    if request.method == "POST" and form.is_valid() and all(r.is_valid() for r in rows):
        items = [{k: v for k, v in r.cleaned_data.items() if v not in (None, "")} for r in rows
                 if r.cleaned_data.get("name")]
        try:
            scheme = services.create_scheme(request.user, org, items=items, **form.cleaned_data)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已制定“{scheme.name}”")
            return redirect(scheme.get_absolute_url())
    return render(request, "targets/scheme_form.html", {"form": form, "rows": rows, "errors": errors, "org": org})


def scheme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = selectors.get_scheme(request.user, pk)
    return render(request, "targets/scheme.html", {
        "scheme": scheme, "items": list(scheme.items.all()), "results": selectors.scheme_results(request.user, scheme),
        "can_score": Scope.of(request.user).allows_org(scheme.org, "targets.edit"),
    })


def score_item(request: AuthedRequest, pk: int) -> HttpResponse:
    """The reviewer scores every sub-union on one manual item: a score and a note per row."""
    item = selectors.get_item(request.user, pk)
    Scope.of(request.user).require_org(item.scheme.org, "targets.edit")
    if item.kind != ItemKind.MANUAL:
        messages.error(request, f"“{item.name}”按目标完成率自动计分，不能人工评分")
        return redirect(item.scheme.get_absolute_url())
    kids = list(org_selectors.children(request.user, item.scheme.org))
    given = {s.org_id: s for s in item.scores.all()}
    forms = {k.code: ScoreForm(request.POST or None, prefix=k.code,
                               initial={"score": given[k.pk].score, "reason": given[k.pk].reason}
                               if k.pk in given else {})
             for k in kids}
    if request.method == "POST":
        filled = {code: f for code, f in forms.items() if request.POST.get(f"{code}-score", "").strip()}
        if all(f.is_valid() for f in filled.values()):
            try:
                for k in kids:
                    if k.code in filled:
                        data = filled[k.code].cleaned_data
                        services.score_manual_item(request.user, item, k, score=data["score"], reason=data["reason"])
            except ValidationError as exc:
                for msg in exc.messages:
                    messages.error(request, msg)
            else:
                messages.success(request, f"已保存“{item.name}”的评分 {len(filled)} 个")
                return redirect(item.scheme.get_absolute_url())
    return render(request, "targets/score.html", {"item": item, "rows": [(k, forms[k.code]) for k in kids]})
