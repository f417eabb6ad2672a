"""Pages for organisation building: coverage (建会率), drives, 换届 reminders, star ratings, assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.core.excel import xlsx_response
from gonghui.core.forms import apply_validation_error, form_page, save_form
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.scope import NotFound, Scope
from gonghui.organising import exporters, selectors, services
from gonghui.organising.forms import (
    AssessmentEditForm,
    AssessmentForm,
    CampaignForm,
    RatingEditForm,
    RatingForm,
    TargetForm,
    TargetsForm,
)
from gonghui.organising.models import Grade
from gonghui.orgs import selectors as org_selectors


def _day(request: AuthedRequest, name: str = "on") -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return dt.date.today()


def coverage(request: AuthedRequest) -> HttpResponse:
    """建会率 of the current union's area on a date, by sub-union, with the new-employment-form sectors."""
    org = current_org(request)
    day = _day(request)
    return render(request, "organising/coverage.html", {
        "org": org, "on": day,
        "overall": selectors.coverage(request.user, org, day),
        "above_scale": selectors.coverage(request.user, org, day, above_scale=True),
        "large": selectors.coverage(request.user, org, day, min_headcount=selectors.COMMITTEE_THRESHOLD),
        "membership": selectors.membership_rate(request.user, org, day),
        "children": selectors.coverage_by_child(request.user, org, day),
        "new_forms": selectors.new_forms(request.user, org, day),
        "threshold": selectors.COMMITTEE_THRESHOLD,
        "unorganised_count": selectors.unorganised(request.user, org, day).count(),
    })


def unorganised(request: AuthedRequest) -> HttpResponse:
    """Employers of the area with 25 or more employees and no union (应建未建)."""
    org = current_org(request)
    day = _day(request)
    raw = request.GET.get("min", "")
    minimum = int(raw) if raw.isdigit() else selectors.COMMITTEE_THRESHOLD
    if request.GET.get("export"):
        return xlsx_response(f"{org.name}-未建会单位.xlsx",
                             [exporters.export_unorganised(request.user, org, day, minimum)])
    qs = selectors.unorganised(request.user, org, day, min_headcount=minimum)
    return render(request, "organising/unorganised.html", {
        "org": org, "on": day, "minimum": minimum, "page": Paginator(qs, 50).get_page(request.GET.get("page")),
        "params": request.GET,
    })


def terms(request: AuthedRequest) -> HttpResponse:
    """换届 reminders: unions whose committee term has run out, and those due within the next months."""
    org = current_org(request)
    raw = request.GET.get("days", "")
    days = int(raw) if raw.isdigit() and 0 < int(raw) <= 730 else 180
    overdue = org_selectors.term_overdue(request.user, within=org)
    due = org_selectors.term_due(request.user, within=org, days=days)
    if request.GET.get("export"):
        return xlsx_response(f"{org.name}-换届提醒.xlsx", [exporters.export_terms(request.user, org, days)])
    return render(request, "organising/terms.html", {
        "org": org, "days": days, "overdue": overdue, "due": due, "today": dt.date.today(),
    })


# -- drives ---------------------------------------------------------------------------------


def campaigns(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    rows = [(c, selectors.progress(request.user, c)) for c in selectors.campaigns(request.user, within=org)]
    return render(request, "organising/campaigns.html", {
        "org": org, "rows": rows, "can_edit": Scope.of(request.user).allows_org(org, "orgs.edit"),
    })


def campaign_create(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    Scope.of(request.user).require_org(org, "orgs.edit")
    return form_page(request, CampaignForm(request.POST or None),
                     lambda data: services.create_campaign(request.user, org, **data),
                     success=lambda c: f"已发起“{c.name}”，请添加建会对象。",
                     redirect_to=lambda c: c.get_absolute_url(),
                     title=f"{org.name} · 发起建会行动", back=reverse("organising:campaigns"), back_label="建会行动")


def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, pk)
    can_edit = Scope.of(request.user).allows_org(campaign.org, "orgs.edit")
    form = None
    if can_edit:
        candidates = selectors.unorganised(request.user, campaign.org, min_headcount=0).exclude(
            pk__in=campaign.targets.values("employer_id"))
        if campaign.new_group:
            candidates = selectors.employers_of_group(candidates, campaign.new_group)
        form = TargetsForm(request.POST or None, queryset=candidates)
        if request.method == "POST" and form.is_valid():
            try:
                added = services.add_targets(request.user, campaign, form.cleaned_data["employers"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已添加建会对象 {len(added)} 家。")
                return redirect(campaign.get_absolute_url())
    return render(request, "organising/campaign.html", {
        "campaign": campaign, "org": campaign.org, "targets": selectors.targets(request.user, campaign),
        "progress": selectors.progress(request.user, campaign), "form": form, "can_edit": can_edit,
    })


def campaign_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, pk, "orgs.edit")
    url = campaign.get_absolute_url()
    return form_page(request, CampaignForm(request.POST or None, instance=type(campaign).objects.get(pk=pk)),
                     lambda data: services.update_campaign(request.user, campaign, **data),
                     success="已保存。", redirect_to=url, title=f"编辑 {campaign.name}", back=url,
                     back_label=campaign.name)


def target_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.get_target(request.user, pk, "orgs.edit")
    url = target.campaign.get_absolute_url()
    return form_page(request, TargetForm(request.POST or None, instance=type(target).objects.get(pk=pk)),
                     lambda data: services.update_target(request.user, target, **data),
                     success=f"已更新“{target.employer.name}”的进展。", redirect_to=url,
                     title=f"{target.employer.name} · 建会进展", back=url, back_label=target.campaign.name)


# -- ratings and assessments -------------------------------------------------------------------


def _for_rated_org(request: AuthedRequest, service: Any) -> Any:
    """A save function for the rating and assessment forms: the union is given by its code in the form."""
    def save(data: dict[str, Any]) -> Any:
        try:
            rated = org_selectors.get_org(request.user, data["org_code"])
        except NotFound:
            raise ValidationError({"org_code": "找不到该工会，或它不在您的管理范围内"}) from None
        return service(request.user, rated, **{k: v for k, v in data.items() if k != "org_code"})
    return save


def ratings(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else None
    scope = Scope.of(request.user)
    form = RatingForm(request.POST or None, initial={"awarded_on": dt.date.today(), "awarded_by": org.name})
    done = save_form(request, form, _for_rated_org(request, services.award_star_rating),
                     success=lambda r: f"已登记{r.org.name}的星级评定。", redirect_to=reverse("organising:ratings"))
    if done is not None:
        return done
    qs = selectors.star_ratings(request.user, within=org, year=year)
    return render(request, "organising/ratings.html", {
        "org": org, "page": Paginator(qs, 50).get_page(request.GET.get("page")), "params": request.GET,
        "form": form, "can_award": scope.allows_org(org, "orgs.approve"), "today": dt.date.today(),
        "valid_count": selectors.star_ratings(request.user, within=org, valid=dt.date.today())
        .values("org_id").distinct().count(),
    })


def rating_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rating = selectors.get_rating(request.user, pk, "orgs.edit")
    url = reverse("organising:ratings")
    return form_page(request, RatingEditForm(request.POST or None, instance=type(rating).objects.get(pk=pk)),
                     lambda data: services.update_star_rating(request.user, rating, **data),
                     success="已保存。", redirect_to=url, title=f"编辑星级评定：{rating.org.name}", back=url,
                     back_label="星级评定")


def assessments(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else None
    form = AssessmentForm(request.POST or None, initial={"assessed_on": dt.date.today()})
    done = save_form(request, form, _for_rated_org(request, services.record_assessment),
                     success=lambda a: f"已登记{a.org.name}的规范化建设考核。",
                     redirect_to=reverse("organising:assessments"))
    if done is not None:
        return done
    qs = selectors.assessments(request.user, within=org, year=year, grade=request.GET.get("grade", ""))
    return render(request, "organising/assessments.html", {
        "org": org, "page": Paginator(qs, 50).get_page(request.GET.get("page")), "params": request.GET,
        "form": form, "grades": Grade.choices, "can_assess": Scope.of(request.user).allows_org(org, "orgs.approve"),
    })


def assessment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment(request.user, pk, "orgs.edit")
    url = reverse("organising:assessments")
    return form_page(request, AssessmentEditForm(request.POST or None, instance=type(assessment).objects.get(pk=pk)),
                     lambda data: services.update_assessment(request.user, assessment, **data),
                     success="已保存。", redirect_to=url, title=f"编辑考核：{assessment}", back=url,
                     back_label="规范化建设")
