"""Login, the audit log, accounts and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator

from gonghui.core import selectors, services
from gonghui.core.forms import TablerFormMixin, save_form
from gonghui.core.http import AuthedRequest
from gonghui.core.models import AuditLog, Role, User
from gonghui.core.scope import NotFound, Scope
from gonghui.orgs.selectors import get_org_or_none


class LoginForm(TablerFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输错5次，账户将被锁定15分钟。",
        "inactive": "该账户已停用，请联系管理员。",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        locked = User.objects.filter(username=username).first() if username else None
        if locked is not None and locked.is_locked:
            until = timezone.localtime(locked.locked_until)
            raise ValidationError(f"密码连续输错次数过多，账户已锁定至 {until:%H:%M}，请稍后再试或联系管理员重置密码。",
                                  code="locked")
        return super().clean()


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.record_login(form.get_user(), self.request)
        return response


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def audit(request: AuthedRequest) -> HttpResponse:
    """The audit log of the current union's subtree, with filters."""
    params = request.GET
    if not Scope.of(request.user).has("audit.view"):
        raise NotFound()
    within = request.current_org  # type: ignore[attr-defined]
    qs = selectors.audit_log(
        request.user, within=within, username=params.get("user", "").strip(),
        object_type=params.get("type", ""), object_id=params.get("object_id", "").strip(),
        action=params.get("action", ""), date_from=_date(params.get("from", "")),
        date_to=_date(params.get("to", "")), query=params.get("q", "").strip(),
    )
    page = Paginator(qs, 50).get_page(params.get("page"))
    rows = [(entry, selectors.audit_changes(entry)) for entry in page]
    return render(request, "core/audit.html", {
        "page": page, "rows": rows, "params": params, "within": within,
        "actions": AuditLog.Action.choices, "types": selectors.object_type_choices(),
    })


class NewUserForm(TablerFormMixin, forms.Form):
    username = forms.RegexField(label="用户名", regex=r"^[A-Za-z0-9_.-]{3,40}$",
                                error_messages={"invalid": "用户名只能使用3到40位字母、数字、下划线、点或连字符"})
    full_name = forms.CharField(label="姓名", max_length=50)
    org_code = forms.CharField(label="工会代码", max_length=64)
    role = forms.ChoiceField(label="角色")
    include_subtree = forms.BooleanField(label="可管理所属下级工会", required=False, initial=True)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.code, r.name) for r in Role.objects.all()]  # type: ignore[attr-defined]


def users(request: AuthedRequest) -> HttpResponse:
    scope = Scope.of(request.user)
    if not scope.has("users.view"):
        raise NotFound()
    form = NewUserForm(request.POST or None, initial={"org_code": getattr(request.current_org, "code", "")})

    def save(data: dict[str, Any]) -> User:
        org = get_org_or_none(request.user, data["org_code"].strip().upper())
        if org is None or not scope.allows_org(org, "users.edit"):
            raise ValidationError({"org_code": "找不到该工会，或您无权在该工会创建用户"})
        return services.create_user(request.user, data["username"], org=org, role_code=data["role"],
                                    password=data["password"], full_name=data["full_name"],
                                    include_subtree=data["include_subtree"])

    done = save_form(request, form, save, success=lambda u: f"已创建用户 {u.username}。", redirect_to="core:users")
    if done:
        return done
    page = Paginator(selectors.visible_users(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "core/users.html", {"page": page, "form": form,
                                               "can_edit": scope.has("users.edit")})


def account(request: AuthedRequest) -> HttpResponse:
    """The user's own roles and API tokens."""
    new_key = None
    if request.method == "POST" and request.POST.get("action") == "token":
        name = request.POST.get("name", "").strip()[:60] or "默认"
        _token, new_key = services.create_token(request.user, request.user, name)
        messages.success(request, "已生成新的 API 令牌，请立即复制保存，它只显示这一次。")
    elif request.method == "POST" and request.POST.get("action") == "revoke":
        token = selectors.own_tokens(request.user).filter(pk=request.POST.get("token", "")).first()
        if token is None:
            raise NotFound()
        services.revoke_token(request.user, token)
        messages.info(request, "已吊销该令牌。")
        return redirect("core:account")
    return render(request, "core/account.html", {
        "assignments": request.user.role_assignments.select_related("org", "role"),  # type: ignore[union-attr]
        "tokens": selectors.own_tokens(request.user), "new_key": new_key,
    })
