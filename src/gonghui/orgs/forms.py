"""Forms parse and validate input; the services do the writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from gonghui.core.forms import DateInput, TablerFormMixin
from gonghui.orgs.models import Employer, Officer, Org


class OrgForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Org
        fields = [
            "name", "kind", "level", "mode", "joint_type", "covered_workers", "region_code", "address",
            "founded_on", "reelected_on", "term_years", "realname_complete", "has_own_account",
            "account_opened_on", "central_accounting",
        ]
        widgets = {"founded_on": DateInput(), "reelected_on": DateInput(), "account_opened_on": DateInput()}


class NewOrgForm(OrgForm):
    class Meta(OrgForm.Meta):
        fields = ["code", *OrgForm.Meta.fields]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class MoveOrgForm(TablerFormMixin, forms.Form):
    new_parent = forms.CharField(label="新的上级工会代码", max_length=64,
                                 help_text="填写上级工会的代码，例如 GZ.TH")
    on = forms.DateField(label="调整日期", initial=dt.date.today, widget=DateInput())
    note = forms.CharField(label="说明", max_length=200, required=False)


class DissolveOrgForm(TablerFormMixin, forms.Form):
    on = forms.DateField(label="撤销日期", initial=dt.date.today, widget=DateInput())
    reason = forms.CharField(label="撤销原因", max_length=200)


class EmployerForm(TablerFormMixin, forms.ModelForm):
    trades = forms.CharField(label="行业标签", required=False, help_text="多个标签用逗号分隔，如：快递业，新就业形态")

    class Meta:
        model = Employer
        fields = [
            "name", "uscc", "industry", "trades", "ownership", "headcount", "female_headcount",
            "is_small_micro", "above_scale", "new_sector", "region_code", "address", "contact_name",
            "established_on", "closed_on",
        ]
        widgets = {"established_on": DateInput(), "closed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["trades"] = "，".join(self.instance.trades or [])

    def clean_trades(self) -> list[str]:
        raw = self.cleaned_data.get("trades") or ""
        return [t.strip() for t in raw.replace("，", ",").split(",") if t.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("female_headcount") or 0) > (data.get("headcount") or 0):
            self.add_error("female_headcount", "女职工人数不能大于职工人数")
        return data

    def validate_unique(self) -> None:  # the service checks uniqueness with a clearer message
        pass


class OfficerForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["name", "gender", "role", "committee", "mobile", "full_time", "is_social_worker",
                  "by_election", "started_on", "ended_on"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput(), "mobile": forms.TextInput()}

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = org.committees.all()  # type: ignore[attr-defined]
        self.fields["committee"].required = False
        self.fields["mobile"].required = False
