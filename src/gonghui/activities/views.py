"""Pages of the activity log, publicity and materials. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.activities import exporters, importers, selectors, services
from gonghui.activities.forms import (
    ActivityForm,
    AttachmentForm,
    ClubForm,
    EntryForm,
    ImportForm,
    MaterialForm,
    NewPersonForm,
    ParticipantForm,
    PartyRecommendationForm,
    PublicityForm,
    SubscriptionForm,
    TypeForm,
)
from gonghui.activities.models import Activity, RecommendationStage
from gonghui.activities.vocab import Campaign, Level, MaterialTopic, PublicityType, TypeGroup
from gonghui.core.excel import XLSX_MIME, xlsx_response
from gonghui.core.forms import apply_validation_error, form_page
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.scope import NotFound, Scope
from gonghui.members import selectors as member_selectors
from gonghui.orgs.models import Org
from gonghui.reports import registry
from gonghui.reports.figures.links import drill_down_url
from gonghui.reports.windows import Window

FAMILY_LABELS = OrderedDict([
    ("publicity", "宣传教育"), ("culture", "文体活动"), ("rights", "普法维权"), ("safety", "安康杯与劳动保护"),
    ("competitions", "劳动竞赛"), ("skills", "技能培训"), ("women", "女职工"), ("family", "家庭与联谊"),
    ("self", "自身建设"), ("care", "服务关爱（活动类）"), ("model_workers", "劳模工匠"), ("facilities", "阵地建设"),
    ("orgs", "组织建设"),
])


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _year(request: AuthedRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else dt.date.today().year


def _filters(request: AuthedRequest) -> dict[str, Any]:
    p = request.GET
    return {"date_from": _date(p.get("from")), "date_to": _date(p.get("to")), "type_code": p.get("type", ""),
            "campaign": p.get("campaign", ""), "query": p.get("q", ""), "own_only": p.get("own") == "1"}


def _hx(request: AuthedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# -- list, calendar, export ------------------------------------------------------------------


def activity_list(request: AuthedRequest) -> HttpResponse:
    within = current_org(request)
    filters = _filters(request)
    if request.GET.get("export"):
        return xlsx_response(f"{within.name}-活动记录.xlsx", [exporters.export_activities(request.user, within,
                                                                                        **filters)])
    qs = selectors.activities(request.user, within=within, **filters)
    return render(request, "activities/list.html", {
        "page": Paginator(qs, 30).get_page(request.GET.get("page")), "within": within, "params": request.GET,
        "types": selectors.usable_types(within), "campaigns": Campaign.choices,
        "can_edit": Scope.of(request.user).allows_org(within, "activities.edit"),
    })


def activity_calendar(request: AuthedRequest) -> HttpResponse:
    within = current_org(request)
    today = dt.date.today()
    try:
        first = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        first = today.replace(day=1)
    own_only = request.GET.get("own") == "1"
    month = selectors.calendar_month(request.user, within=within, year=first.year, month=first.month,
                                     own_only=own_only, type_code=request.GET.get("type", ""))
    return render(request, "activities/calendar.html", {
        "month": month, "within": within, "own_only": own_only, "params": request.GET,
        "types": selectors.usable_types(within), "weekdays": "一二三四五六日",
        "can_edit": Scope.of(request.user).allows_org(within, "activities.edit"),
    })


# -- one activity ----------------------------------------------------------------------------


def activity_create(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    Scope.of(request.user).require_org(org, "activities.edit")
    initial = {"start_on": request.GET.get("date") or dt.date.today(), "sessions": 1}
    form = ActivityForm(request.POST or None, org=org, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(request.user, org, materials=form.materials(), **form.service_values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已登记活动“{activity.title}”。"
                             + ("" if activity.headcount_only else "请在下方添加参加人员。"))
            return redirect(activity.get_absolute_url())
    return render(request, "activities/form.html", {"form": form, "org": org, "title": f"{org.name} · 登记活动"})


def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, pk)
    return render(request, "activities/detail.html", _detail_context(request, activity))


def _detail_context(request: AuthedRequest, activity: Any, **extra: Any) -> dict[str, Any]:
    scope = Scope.of(request.user)
    return {
        "activity": activity, "org": activity.org,
        "participants": selectors.participants(request.user, activity),
        "entries": selectors.entries(request.user, activity),
        "attachments": selectors.attachments(request.user, activity),
        "materials": activity.materials.all(), "publicity": activity.publicity_items.all(),
        "co_organisers": activity.co_organisers.all(), "employers": activity.participating_employers.all(),
        "can_edit": scope.allows_org(activity.org, "activities.edit"),
        "person_form": extra.pop("person_form", None) or NewPersonForm(initial={"attendances": 1}),
        "attachment_form": AttachmentForm(), **extra,
    }


def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, pk, "activities.edit")
    form = ActivityForm(request.POST or None, instance=type(activity).objects.get(pk=pk), org=activity.org,
                        user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(request.user, activity, **form.changed_values(activity))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存“{activity.title}”的修改。")
            return redirect(activity.get_absolute_url())
    return render(request, "activities/form.html", {"form": form, "org": activity.org, "activity": activity,
                                                    "title": f"编辑 {activity.title}"})


@require_POST
def activity_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, pk, "activities.edit")
    services.delete_activity(request.user, activity, reason=request.POST.get("reason", ""))
    messages.success(request, f"已删除活动“{activity.title}”。")
    return redirect("activities:list")


# -- participants ---------------------------------------------------------------------------


def people_search(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX fragment: persons matching the picker's search box."""
    activity = selectors.get_activity(request.user, pk, "activities.edit")
    query = request.GET.get("q", "")
    found = selectors.people(request.user, query, within=activity.org, exclude_activity=activity)
    return render(request, "activities/_people_results.html", {"activity": activity, "people": found,
                                                               "query": query})


@require_POST
def participant_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a person picked from the search (``ref``) or typed in; answers HTMX with the roster (and, out of
    band, the count, the error line, the cleared results or the typed-person form)."""
    activity = selectors.get_activity(request.user, pk, "activities.edit")
    ref = request.POST.get("ref", "")
    picked = ref[:1] in ("m", "p") and ref[1:].isdigit()
    person_form = None if picked else NewPersonForm(request.POST)
    error = ""
    try:
        if ref.startswith("m") and picked:
            from gonghui.members.selectors import get_member

            member = get_member(request.user, int(ref[1:]))
            person = services.PersonIn(name=member.person.name, id_number=member.person.id_number,
                                       employer_name=member.employer_display, is_migrant=member.is_migrant,
                                       person_id=member.person_id)
        elif picked:
            source = selectors.get_participant(request.user, int(ref[1:]))
            person = services.PersonIn(name=source.name, id_number=source.id_number,
                                       employer_name=source.employer_name, is_migrant=source.is_migrant,
                                       person_id=source.person_id)
        else:
            assert person_form is not None
            if not person_form.is_valid():
                raise ValidationError("请检查填写的人员信息")
            person = services.PersonIn(**person_form.cleaned_data)
        services.add_participants(request.user, activity, [person])
    except ValidationError as exc:
        error = "；".join(exc.messages)
    else:
        if person_form is not None:
            person_form = NewPersonForm(initial={"attendances": 1})  # a fresh form for the next person
        if not _hx(request):
            messages.success(request, f"已添加参加人员 {person.name}。")
    if not _hx(request):
        if error:
            messages.error(request, error)
        return redirect(activity.get_absolute_url() + "#participants")
    return _roster_response(request, activity, participant_error=error, person_form=person_form,
                            picked=picked and not error)


def _roster_response(request: AuthedRequest, activity: Any, **extra: Any) -> HttpResponse:
    return render(request, "activities/_roster_response.html", {
        "activity": activity, "participants": selectors.participants(request.user, activity),
        "can_edit": Scope.of(request.user).allows_org(activity.org, "activities.edit"), **extra})


def participant_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = selectors.get_participant(request.user, pk, "activities.edit")
    activity = participant.activity
    initial = {f: getattr(participant, f) for f in ParticipantForm.base_fields}
    form = ParticipantForm(request.POST or None, initial=initial)
    return form_page(request, form,
                     lambda data: services.update_participant(request.user, participant,
                                                              **{k: data[k] for k in form.changed_data}),
                     success=f"已保存 {participant.name} 的参加情况。",
                     redirect_to=activity.get_absolute_url() + "#participants",
                     title=f"{participant.name}（{participant.masked_id}）· 参加情况",
                     back=activity.get_absolute_url(), back_label=activity.title)


@require_POST
def participant_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = selectors.get_participant(request.user, pk, "activities.edit")
    activity = participant.activity
    services.remove_participant(request.user, participant)
    if _hx(request):
        return _roster_response(request, activity)
    messages.success(request, f"已从名单中移除 {participant.name}。")
    return redirect(activity.get_absolute_url() + "#participants")


# -- results and attachments ----------------------------------------------------------------


def entry_create(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, pk, "activities.edit")
    url = activity.get_absolute_url()
    return form_page(request, EntryForm(request.POST or None, activity=activity, user=request.user),
                     lambda data: services.add_entry(request.user, activity, **data),
                     success="已登记参赛记录。", redirect_to=url + "#entries",
                     title=f"{activity.title} · 登记参赛记录", back=url, back_label=activity.title)


def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry(request.user, pk, "activities.edit")
    activity = entry.activity
    url = activity.get_absolute_url()
    form = EntryForm(request.POST or None, instance=type(entry).objects.get(pk=pk), activity=activity,
                     user=request.user)
    return form_page(request, form, lambda data: services.update_entry(request.user, entry, **data),
                     success="已保存参赛记录。", redirect_to=url + "#entries",
                     title=f"编辑参赛记录：{entry.name}", back=url, back_label=activity.title)


@require_POST
def entry_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry(request.user, pk, "activities.edit")
    services.delete_entry(request.user, entry)
    messages.success(request, f"已删除参赛记录“{entry.name}”。")
    return redirect(entry.activity.get_absolute_url() + "#entries")


@require_POST
def attachment_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, pk, "activities.edit")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(request.user, activity, form.cleaned_data["file"], form.cleaned_data["kind"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "附件已上传。")
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect(activity.get_absolute_url() + "#attachments")


def attachment_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Serve an attachment after the scope check (files are never served from a public URL)."""
    attachment = selectors.get_attachment(request.user, pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            as_attachment=not attachment.is_image, filename=attachment.original_name)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def attachment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = selectors.get_attachment(request.user, pk, "activities.edit")
    services.delete_attachment(request.user, attachment)
    messages.success(request, f"已删除附件“{attachment.original_name}”。")
    return redirect(attachment.activity.get_absolute_url() + "#attachments")


# -- bulk entry from Excel -----------------------------------------------------------------------


def activity_import(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    Scope.of(request.user).require_org(org, "activities.edit")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        dry_run = "check" in request.POST
        try:
            result = importers.import_activities(request.user, org, form.cleaned_data["file"], dry_run=dry_run)
        except importers.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok and not dry_run:
                messages.success(request, f"已导入活动 {result.created} 条、参加人员 {result.people} 人次。")
                return redirect(reverse("activities:list"))
    return render(request, "activities/import.html", {"form": form, "org": org, "result": result})


def import_template(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    response = HttpResponse(importers.template_bytes(org), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('活动登记模板.xlsx')}"
    return response


# -- taxonomy ---------------------------------------------------------------------------------


def types_view(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    scope = Scope.of(request.user)
    can_edit = scope.allows_org(org, "activities.edit")
    form = TypeForm(request.POST or None)
    if request.method == "POST":
        scope.require_org(org, "activities.edit")
        if form.is_valid():
            try:
                created = services.create_type(request.user, org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已增设活动类型“{created.name}”，{org.name}及所属工会均可使用。")
                return redirect("activities:types")
    types = list(selectors.visible_types(request.user))
    national = OrderedDict((label, [t for t in types if t.org_id is None and t.group == value])
                           for value, label in TypeGroup.choices)
    return render(request, "activities/types.html", {
        "org": org, "form": form, "can_edit": can_edit, "national": national,
        "custom": [t for t in types if t.org_id is not None],
    })


@require_POST
def type_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    activity_type = selectors.get_type(request.user, pk, "activities.edit")
    try:
        services.update_type(request.user, activity_type, is_active=not activity_type.is_active)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("activities:types")


# -- figures ------------------------------------------------------------------------------------

# The registry keys this page shows: the activity and facility families and organisation building.
ORGANISING_KEYS = ("orgs.establishment_rate.above_scale", "orgs.star_rated.new", "orgs.star_rated.total")


def figure_keys() -> list[str]:
    """In registration order: each app registers its figures in the order of METRICS.md's families."""
    return [key for key, metric in registry.REGISTRY.metrics.items()
            if metric.domain in ("activities", "facilities") or key in ORGANISING_KEYS]


def _window(request: AuthedRequest) -> Window:
    return Window.year(_year(request))


def figures(request: AuthedRequest) -> HttpResponse:
    """The activity, publicity, facility and organising figures of the current union for a year."""
    org = current_org(request)
    window = _window(request)
    own_only = request.GET.get("own") == "1"
    scope = Scope.of(request.user)
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict((label, []) for label in FAMILY_LABELS.values())
    for key in figure_keys():
        metric = registry.REGISTRY.get(key)
        if not scope.allows_org(org, f"{metric.domain}.view"):
            continue
        figure = registry.evaluate(request.user, key, org, window, own_only=own_only)
        label = FAMILY_LABELS.get(key.split(".", 1)[0], "其他")
        groups.setdefault(label, []).append({
            "key": key, "label": metric.label, "unit": metric.unit, "kind": metric.kind, "value": figure.value,
            "records": figure.record_count, "estimated": _estimated(request.user, key, org, window, own_only),
            "url": drill_down_url(key, org.code, window, own_only=own_only)})
    return render(request, "activities/figures.html", {
        "org": org, "year": window.start.year, "own_only": own_only,
        "groups": [(k, v) for k, v in groups.items() if v],
        "years": list(range(dt.date.today().year, dt.date.today().year - 5, -1)),
    })


def _estimated(user: Any, key: str, org: Org, window: Window, own_only: bool) -> bool:
    """True when an estimated headcount went into an activity figure (printed with 约)."""
    if registry.REGISTRY.get(key).unit not in ("人", "人次"):  # counts of events are exact either way
        return False
    qs = registry.records(user, key, org, window, own_only=own_only)
    return qs.model is Activity and qs.filter(estimated=True).exists()


def figure_records(request: AuthedRequest, key: str) -> HttpResponse:
    """Old address of an activity figure's records: the one drill-down page now serves every figure."""
    org = current_org(request)
    if key not in registry.REGISTRY.metrics:
        raise NotFound("没有这个指标。")
    return redirect(drill_down_url(key, org.code, _window(request), own_only=request.GET.get("own") == "1"))


# -- publicity and materials --------------------------------------------------------------------


def publicity_list(request: AuthedRequest) -> HttpResponse:
    within = current_org(request)
    p = request.GET
    adopted = {"1": True, "0": False}.get(p.get("adopted", ""))
    filters: dict[str, Any] = {
        "date_from": _date(p.get("from")), "date_to": _date(p.get("to")), "type": p.get("type", ""),
        "level": p.get("level", ""), "adopted": adopted, "own_only": p.get("own") == "1", "query": p.get("q", ""),
    }
    if p.get("export"):
        return xlsx_response(f"{within.name}-宣传报道.xlsx", [exporters.export_publicity(request.user, within,
                                                                                        **filters)])
    qs = selectors.publicity_items(request.user, within=within, **filters)
    return render(request, "activities/publicity.html", {
        "page": Paginator(qs, 30).get_page(p.get("page")), "within": within, "params": p,
        "types": PublicityType.choices, "levels": Level.choices,
        "can_edit": Scope.of(request.user).allows_org(within, "activities.edit"),
    })


def _record_form(request: AuthedRequest, form_class: Any, *, org: Org, instance: Any = None,
                 create: Any = None, update: Any = None, title: str, back: str) -> HttpResponse:
    def save(data: dict[str, Any]) -> Any:
        return create(request.user, org, **data) if instance is None else update(request.user, instance, **data)

    return form_page(request, form_class(request.POST or None, instance=instance, org=org), save,
                     success="已保存。", redirect_to=back, title=title, back=back, back_label=org.name)


def publicity_create(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    Scope.of(request.user).require_org(org, "activities.edit")
    return _record_form(request, PublicityForm, org=org, create=services.create_publicity_item,
                        title=f"{org.name} · 登记宣传报道", back=reverse("activities:publicity"))


def publicity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_publicity_item(request.user, pk, "activities.edit")
    return _record_form(request, PublicityForm, org=item.org, instance=type(item).objects.get(pk=pk),
                        update=lambda user, _obj, **changes: services.update_publicity_item(user, item, **changes),
                        title=f"编辑宣传报道：{item.title}", back=reverse("activities:publicity"))


@require_POST
def publicity_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_publicity_item(request.user, pk, "activities.edit")
    services.delete_publicity_item(request.user, item)
    messages.success(request, f"已删除“{item.title}”。")
    return redirect("activities:publicity")


def party_list(request: AuthedRequest) -> HttpResponse:
    """推优入党: the recommendations of a union and its subtree in a year, with the registry figure."""
    within = current_org(request)
    year, stage, own_only = _year(request), request.GET.get("stage", ""), request.GET.get("own") == "1"
    qs = selectors.party_recommendations(request.user, within=within, year=year, stage=stage, own_only=own_only)
    figure = registry.evaluate(request.user, "ideology.party_recommendations", within, Window.year(year),
                               filters={"stage": stage} if stage else None, own_only=own_only)
    return render(request, "activities/party_recommendations.html", {
        "page": Paginator(qs, 30).get_page(request.GET.get("page")), "within": within, "params": request.GET,
        "year": year, "figure": figure, "own_only": own_only, "stages": RecommendationStage.choices,
        "years": list(range(dt.date.today().year, dt.date.today().year - 5, -1)),
        "can_edit": Scope.of(request.user).allows_org(within, "activities.edit"),
    })


def party_create(request: AuthedRequest) -> HttpResponse:
    org = current_org(request, "activities.edit")
    back = reverse("activities:party_recommendations")

    def save(data: dict[str, Any]) -> Any:
        member = member_selectors.member_by_id_number(request.user, within=org, id_number=data["id_number"])
        if member is None:
            raise ValidationError({"id_number": f"{org.name}及所属工会没有持这个证件号码的在册会员，请核对号码，"
                                                "或先在会员名册中为其办理入会"})
        return services.recommend_to_party(request.user, org, member,
                                           **{k: v for k, v in data.items() if k != "id_number"})

    return form_page(request, PartyRecommendationForm(request.POST or None), save,
                     success=lambda r: f"已登记：{r}", redirect_to=back, title=f"{org.name} · 登记推优入党",
                     back=back, back_label="推优入党")


def party_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_party_recommendation(request.user, pk, "activities.edit")
    back = reverse("activities:party_recommendations")
    form = PartyRecommendationForm(request.POST or None, instance=type(item).objects.get(pk=pk))
    return form_page(request, form, lambda data: services.update_party_recommendation(request.user, item, **data),
                     success="已保存。", redirect_to=back, title=f"编辑推优入党：{item}", back=back,
                     back_label="推优入党", delete_url=reverse("activities:party_recommendation_delete", args=[pk]))


@require_POST
def party_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_party_recommendation(request.user, pk, "activities.edit")
    services.delete_party_recommendation(request.user, item)
    messages.success(request, f"已删除：{item}")
    return redirect("activities:party_recommendations")


def material_list(request: AuthedRequest) -> HttpResponse:
    within = current_org(request)
    p = request.GET
    filters: dict[str, Any] = {"date_from": _date(p.get("from")), "date_to": _date(p.get("to")),
                               "topic": p.get("topic", ""),
               "own_only": p.get("own") == "1", "query": p.get("q", "")}
    if p.get("export"):
        return xlsx_response(f"{within.name}-宣传资料.xlsx", [exporters.export_materials(request.user, within,
                                                                                        **filters)])
    qs = selectors.material_distributions(request.user, within=within, **filters)
    total = sum(qs.values_list("copies", flat=True))
    return render(request, "activities/materials.html", {
        "page": Paginator(qs, 30).get_page(p.get("page")), "within": within, "params": p, "total": total,
        "topics": MaterialTopic.choices, "can_edit": Scope.of(request.user).allows_org(within, "activities.edit"),
    })


def material_create(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    Scope.of(request.user).require_org(org, "activities.edit")
    return _record_form(request, MaterialForm, org=org, create=services.create_material_distribution,
                        title=f"{org.name} · 登记宣传资料发放", back=reverse("activities:materials"))


def material_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_material(request.user, pk, "activities.edit")
    return _record_form(request, MaterialForm, org=item.org, instance=type(item).objects.get(pk=pk),
                        update=lambda user, _obj, **changes: services.update_material_distribution(user, item,
                                                                                                   **changes),
                        title=f"编辑宣传资料：{item.title}", back=reverse("activities:materials"))


@require_POST
def material_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_material(request.user, pk, "activities.edit")
    services.delete_material_distribution(request.user, item)
    messages.success(request, f"已删除“{item.title}”。")
    return redirect("activities:materials")



def home_panel(request: Any, org: Org) -> dict[str, Any] | None:
    """The home page panel: this year's activity figures of the union's subtree and its latest activities."""
    scope = Scope.of(request.user)
    if not scope.allows_org(org, "activities.view"):
        return None
    window = Window.year(dt.date.today().year)
    keys = ("culture.events", "publicity.lectures.events", "skills.training.classes", "publicity.materials.copies")
    figures = [registry.evaluate(request.user, key, org, window) for key in keys]
    this_year = selectors.activities(request.user, within=org, date_from=window.start, date_to=window.end)
    return {"year": window.start.year, "count": this_year.count(), "latest": list(this_year[:6]),
            "figures": figures}


# -- associations and periodicals ----------------------------------------------------------------


def club_list(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    can_edit = Scope.of(request.user).allows_org(org, "activities.edit")
    form = ClubForm(request.POST or None, org=org)
    if request.method == "POST":
        Scope.of(request.user).require_org(org, "activities.edit")
        if form.is_valid():
            try:
                club = services.create_club(request.user, org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已登记“{club.name}”。")
                return redirect("activities:clubs")
    return render(request, "activities/clubs.html", {
        "org": org, "clubs": selectors.clubs(request.user, within=org), "form": form, "can_edit": can_edit})


def club_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    club = selectors.get_club(request.user, pk, "activities.edit")
    url = reverse("activities:clubs")
    return form_page(request, ClubForm(request.POST or None, instance=type(club).objects.get(pk=pk), org=club.org),
                     lambda data: services.update_club(request.user, club, **data),
                     success=f"已保存“{club.name}”。", redirect_to=url, title=f"编辑 {club.name}", back=url,
                     back_label="文体协会")


def subscription_list(request: AuthedRequest) -> HttpResponse:
    org = current_org(request)
    year = _year(request)
    can_edit = Scope.of(request.user).allows_org(org, "activities.edit")
    form = SubscriptionForm(request.POST or None, org=org, user=request.user, initial={"year": year})
    if request.method == "POST":
        Scope.of(request.user).require_org(org, "activities.edit")
        if form.is_valid():
            data = form.cleaned_data
            try:
                rows = services.give_subscriptions(request.user, org, data["recipients"], periodical=data["periodical"],
                                                   year=data["year"], copies=data["copies"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已登记向 {len(rows)} 家工会赠阅《{data['periodical'].strip('《》')}》。")
                return redirect(reverse("activities:subscriptions") + f"?year={data['year']}")
    qs = selectors.subscriptions(request.user, within=org, year=year)
    return render(request, "activities/subscriptions.html", {
        "org": org, "year": year, "page": Paginator(qs, 50).get_page(request.GET.get("page")), "form": form,
        "can_edit": can_edit, "params": request.GET, "recipients": qs.values("recipient").distinct().count(),
        "years": list(range(dt.date.today().year, dt.date.today().year - 5, -1)),
    })


@require_POST
def subscription_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    subscription = selectors.get_subscription(request.user, pk, "activities.edit")
    services.delete_subscription(request.user, subscription)
    messages.success(request, f"已删除：{subscription}。")
    return redirect(reverse("activities:subscriptions") + f"?year={subscription.year}")
