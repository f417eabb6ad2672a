"""Member pages: list and search, detail with history, the membership forms, transfers,
the staged import and the export. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.core import audit
from gonghui.core.excel import xlsx_response
from gonghui.core.forms import apply_validation_error, form_page
from gonghui.core.http import AuthedRequest, current_org
from gonghui.core.models import AuditLog
from gonghui.core.scope import NotFound, Scope
from gonghui.members import exporters, selectors, services, vocab
from gonghui.members.forms import ChangeForm, DecisionForm, JoinForm, MemberForm, TransferForm, UploadForm
from gonghui.members.models import ImportStatus, MemberStatus, TransferStatus
from gonghui.orgs.models import Employer, Gender, Org


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _unions(request: AuthedRequest, within: Org) -> list[Org]:
    """Where members can be admitted or imported: the current union, then the active grassroots
    unions, branches and groups of its subtree that the user may edit (at most 2,000)."""
    from gonghui.orgs.models import OrgKind

    scope = Scope.of(request.user)
    below = (scope.orgs("members.edit").filter(path__startswith=within.path, dissolved_on__isnull=True,
                                                kind__in=[OrgKind.GRASSROOTS, OrgKind.BRANCH, OrgKind.GROUP])
             .exclude(pk=within.pk).order_by("path")[:2000])
    return [within, *below] if scope.allows_org(within, "members.edit") else list(below)


def _employers(org: Org) -> Any:
    return Employer.objects.filter(services.employers_q(org)).distinct().order_by("name")


def member_list(request: AuthedRequest) -> HttpResponse:
    """会员名册: the current union's subtree, searchable and filtered, with counts per filter."""
    within = current_org(request, "members.view")
    p = request.GET
    filters = selectors.MemberFilters(
        query=p.get("q", ""), status=p.get("status", ""), migrant=_flag(p.get("migrant", "")),
        new_form=_flag(p.get("new_form", "")), age_band=p.get("age", ""), gender=p.get("gender", ""),
        employer=p.get("employer", ""), on=_date(p.get("on", "")),
    )
    qs = selectors.members(request.user, within=within, filters=filters)
    counts = selectors.facet_counts(qs)
    page = Paginator(qs, 50).get_page(p.get("page"))
    scope = Scope.of(request.user)
    return render(request, "members/list.html", {
        "page": page, "within": within, "params": p, "counts": counts, "age_bands": selectors.AGE_BANDS,
        "genders": Gender.choices, "statuses": MemberStatus.choices,
        "can_edit": scope.allows_org(within, "members.edit"),
        "today": dt.date.today(),
    })


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk)
    scope = Scope.of(request.user)
    person = member.person
    labels = [(vocab.header(k), person.label(k)) for k in
              ("employment_status", "education", "skill_level", "political_status", "household_type")]
    return render(request, "members/detail.html", {
        "member": member, "person": person, "labels": labels, "id_type_label": person.label("id_type"),
        "history": selectors.history(request.user, member),
        "memberships": selectors.memberships(request.user, member),
        "pending": selectors.pending_transfer(member),
        "can_edit": scope.allows(member, "members.edit"),
        "can_reveal": services.can_reveal(request.user, member),
        "today": dt.date.today(),
    })


@require_POST
def reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX: the full ID number and phone for a role with members.pii (audited as 'reveal')."""
    member = selectors.get_member(request.user, pk)
    values = services.reveal(request.user, member)
    return render(request, "members/_revealed.html", {"values": values, "member": member})


def join(request: AuthedRequest) -> HttpResponse:
    within = current_org(request, "members.view")
    unions = _unions(request, within)
    if not unions:
        raise NotFound()
    default = within if within.kind != "federation" or len(unions) == 1 else unions[min(1, len(unions) - 1)]
    form = JoinForm(request.POST or None, employers=_employers(within), unions=unions,
                    initial={"org": default.code})

    def save(cleaned: dict[str, Any]) -> Any:
        data = dict(cleaned)
        code = data.pop("org")
        target = next(o for o in unions if o.code == code)
        return services.join_member(
            request.user, target, id_number=data.pop("id_number"), name=data.pop("name"),
            joined_on=data.pop("joined_on"), id_type=data.pop("id_type"), reason=data.pop("reason"),
            employer=data.pop("employer"), employer_name=data.pop("employer_name"),
            is_migrant=data.pop("is_migrant"), new_group=data.pop("new_group"), card_no=data.pop("card_no"),
            **{k: v for k, v in data.items() if v not in ("", None)},
        )

    return form_page(request, form, save, success=lambda m: f"{m.person.name} 已登记入会。",
                     redirect_to=lambda m: m.get_absolute_url(), title=f"{within.name} · 会员入会登记",
                     back=reverse("members:list"), crumbs=_crumbs(), submit="提交")


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk, "members.edit")
    p = member.person
    initial = {f: getattr(p, f) for f in MemberForm.PERSON}
    initial.update({f: getattr(member, f) for f in MemberForm.MEMBER})
    form = MemberForm(request.POST or None, initial=initial, employers=_employers(member.org))

    def save(data: dict[str, Any]) -> None:
        changed = set(form.changed_data)
        with transaction.atomic():
            person_changes = {f: data[f] for f in MemberForm.PERSON if f in changed}
            member_changes = {f: data[f] for f in MemberForm.MEMBER if f in changed}
            if person_changes:
                services.update_person(request.user, member, **person_changes)
            if member_changes:
                services.update_member(request.user, member, **member_changes)

    return form_page(request, form, save, success=f"已保存 {p.name} 的会员信息。",
                     redirect_to=member.get_absolute_url(), title=f"编辑会员 {p.name}",
                     back=member.get_absolute_url(), crumbs=_crumbs(member), submit="提交")


def change(request: AuthedRequest, pk: int) -> HttpResponse:
    """保留会籍 / 恢复会籍 / 退会 / 除名."""
    member = selectors.get_member(request.user, pk, "members.edit")
    initial = {"change_type": "restore" if member.status == MemberStatus.RETAINED else request.GET.get("type", "")}
    form = ChangeForm(request.POST or None, initial=initial)
    return form_page(request, form,
                     lambda data: services.change_membership(request.user, member, data["change_type"],
                                                             on=data["on"], reason=data["reason"]),
                     success=f"已为 {member.person.name} 办理会籍变化。", redirect_to=member.get_absolute_url(),
                     title=f"会籍变化 · {member.person.name}", back=member.get_absolute_url(),
                     crumbs=_crumbs(member), submit="提交")


def transfer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start a transfer (转出): the receiving union confirms it in its inbox."""
    member = selectors.get_member(request.user, pk, "members.edit")
    form = TransferForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        code = data["to_org"].strip().upper()
        # Any active union can receive a member; its code is entered on purpose, so naming it leaks nothing.
        to_org = Org.objects.filter(code=code, dissolved_on__isnull=True).first()
        if to_org is None:
            raise ValidationError({"to_org": f"没有代码为“{code}”的正常工会，请向接收工会确认代码"})
        return services.request_transfer(request.user, member, to_org, on=data["on"], reason=data["reason"],
                                         new_employer_name=data["new_employer_name"])

    return form_page(request, form, save,
                     success=lambda t: f"已向“{t.to_org.name}”发出转会申请，待对方确认接收后生效。",
                     redirect_to=lambda t: t.get_absolute_url(), title=f"办理转会（转出）· {member.person.name}",
                     back=member.get_absolute_url(), crumbs=_crumbs(member), submit="提交")


def _crumbs(member: Any = None) -> list[tuple[str, str]]:
    crumbs = [(reverse("members:list"), "会员名册")]
    if member is not None:
        crumbs.append((member.get_absolute_url(), member.person.name))
    return crumbs


def transfers(request: AuthedRequest) -> HttpResponse:
    """转会办理: the inbox (to confirm) and the outbox of the current union's subtree."""
    within = current_org(request, "members.view")
    status = request.GET.get("status", TransferStatus.PENDING)
    status = status if status in TransferStatus.values or status == "all" else TransferStatus.PENDING
    flt = "" if status == "all" else status
    return render(request, "members/transfers.html", {
        "within": within, "status": status, "statuses": TransferStatus.choices,
        "inbox": selectors.transfers(request.user, within=within, direction="in", status=flt)[:200],
        "outbox": selectors.transfers(request.user, within=within, direction="out", status=flt)[:200],
    })


def transfer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    t = selectors.get_transfer(request.user, pk)
    scope = Scope.of(request.user)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, note = request.POST.get("action"), form.cleaned_data["note"]
        try:
            if action == "accept":
                new = services.accept_transfer(request.user, t, note=note)
                messages.success(request, f"已接收 {t.member.person.name} 转入。")
                return redirect(new.get_absolute_url())
            if action == "reject":
                services.reject_transfer(request.user, t, note=note)
                messages.info(request, "已退回该转会申请。")
            elif action == "cancel":
                services.cancel_transfer(request.user, t, note=note)
                messages.info(request, "已撤回该转会申请。")
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect(t.get_absolute_url())
    pending = t.status == TransferStatus.PENDING
    return render(request, "members/transfer_detail.html", {
        "t": t, "form": form,
        "can_receive": pending and scope.allows_org(t.to_org, "members.edit"),
        "can_cancel": pending and scope.allows_org(t.from_org, "members.edit"),
    })


def dormant(request: AuthedRequest) -> HttpResponse:
    """长期未缴费、未参加活动的会员（自动退会候选）."""
    within = current_org(request, "members.view")
    qs = selectors.dormant(request.user, within=within)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "members/dormant.html", {"page": page, "within": within, "params": request.GET,
                                                    "months": selectors.DORMANT_MONTHS})


# -- import and export ----------------------------------------------------------------------


def template(request: AuthedRequest) -> HttpResponse:
    """下载模板: the empty template with its 字典 sheet."""
    return xlsx_response("会员信息导入模板.xlsx", exporters.template_sheets())


def export(request: AuthedRequest) -> HttpResponse:
    within = current_org(request, "members.view")
    subtree = request.GET.get("subtree", "1") != "0"
    sheets = exporters.export_members(request.user, within, subtree=subtree)
    return xlsx_response(f"{within.name}-会员信息.xlsx", sheets)


def imports(request: AuthedRequest) -> HttpResponse:
    within = current_org(request, "members.view")
    unions = _unions(request, within)
    can_edit = bool(unions)
    form = UploadForm(request.POST or None, request.FILES or None, unions=unions, initial={"org": within.code})
    if request.method == "POST":
        if not can_edit:
            raise NotFound()
        if form.is_valid():
            target = next(o for o in unions if o.code == form.cleaned_data["org"])
            try:
                job = services.upload_import(request.user, target, form.cleaned_data["file"],
                                             skip_invalid=form.cleaned_data["skip_invalid"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect(job.get_absolute_url())
    return render(request, "members/imports.html", {
        "form": form, "within": within, "can_edit": can_edit,
        "jobs": selectors.imports(request.user, within=within)[:30],
    })


def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.get_import(request.user, pk)
    return render(request, "members/import_detail.html", {
        "job": job, "progress": services.read_progress(job),
        "can_edit": Scope.of(request.user).allows(job, "members.edit"),
        "running": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
    })


def import_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX polling fragment: the progress bar, or the result once finished (stops polling)."""
    job = selectors.get_import(request.user, pk)
    running = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    response = render(request, "members/_import_progress.html", {
        "job": job, "progress": services.read_progress(job), "running": running})
    if not running:
        response["HX-Refresh"] = "true"  # show the final page with counts and errors
    return response


@require_POST
def import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.get_import(request.user, pk, "members.edit")
    try:
        services.commit_import(request.user, job)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    return redirect(job.get_absolute_url())


def import_errors(request: AuthedRequest, pk: int) -> FileResponse:
    """The error workbook: the rejected rows with 错误原因 (audited as an export)."""
    job = selectors.get_import(request.user, pk, "members.edit")
    path = services.errors_path(job)
    if not job.rejected or not path.exists():
        raise NotFound("该导入没有有误的行。")
    with transaction.atomic():
        audit.record(request.user, AuditLog.Action.EXPORT, job, note=f"下载导入错误工作簿（{job.rejected} 行）")
    name = f"{job.original_name.rsplit('.', 1)[0]}-错误原因.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


def member_counts_for_home(request: Any, org: Org) -> dict[str, Any] | None:
    """Home panel: this year's membership figures from the metric registry (hidden without members.view)."""
    if not Scope.of(request.user).allows_org(org, "members.view"):
        return None
    from gonghui.reports.registry import evaluate
    from gonghui.reports.windows import Window

    year = dt.date.today().year
    window = Window.year(year)
    keys = ["members.total", "members.new", "members.new.migrant", "members.new.eight_groups"]
    figures = [evaluate(request.user, k, org, window) for k in keys]  # each links to its records
    return {"figures": figures, "year": year, "transfers": selectors.transfers(request.user, within=org).count()}

