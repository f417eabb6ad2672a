"""Forms parse and validate input; the services do the writing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from gonghui.core.forms import DateInput, TablerFormMixin
from gonghui.orgs.models import Org
from gonghui.targets.models import targetable_choices


class TargetForm(TablerFormMixin, forms.Form):
    org = forms.ChoiceField(label="承担工会", help_text="本级或直属下级工会")
    metric_key = forms.ChoiceField(label="指标", help_text="完成数由该指标的记录统计")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="目标值", min_value=Decimal("0.01"), max_digits=16, decimal_places=2)
    set_on = forms.DateField(label="下达日期", widget=DateInput(), required=False)
    remarks = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, orgs: list[Org], year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.orgs = {o.code: o for o in orgs}
        self.fields["org"].choices = [(o.code, o.name) for o in orgs]  # type: ignore[attr-defined]
        self.fields["metric_key"].choices = [("", "请选择指标"), *targetable_choices()]  # type: ignore[attr-defined]
        self.fields["year"].initial = year
        self.fields["set_on"].initial = dt.date.today()

    def clean_org(self) -> Org:
        return self.orgs[self.cleaned_data["org"]]


class TargetEditForm(TablerFormMixin, forms.Form):
    value = forms.DecimalField(label="目标值", min_value=Decimal("0.01"), max_digits=16, decimal_places=2)
    set_on = forms.DateField(label="下达日期", widget=DateInput())
    remarks = forms.CharField(label="说明", max_length=200, required=False)


class ScoreForm(TablerFormMixin, forms.Form):
    score = forms.DecimalField(label="得分", min_value=Decimal("0"), max_digits=5, decimal_places=1)
    reason = forms.CharField(label="评分说明", max_length=300)
