"""Forms parse and validate input; the services do the writing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from gonghui.core.forms import DateInput, TablerFormMixin
from gonghui.orgs.models import Org
from gonghui.targets.models import ItemKind, targetable_choices


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


class SchemeForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label="考核方案名称", max_length=120)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    excellent_from = forms.DecimalField(label="优秀分数线", initial=Decimal(90), max_digits=5, decimal_places=1)
    good_from = forms.DecimalField(label="良好分数线", initial=Decimal(80), max_digits=5, decimal_places=1)
    pass_from = forms.DecimalField(label="合格分数线", initial=Decimal(60), max_digits=5, decimal_places=1)


class ItemForm(TablerFormMixin, forms.Form):
    """One row of the scheme form; a row without a name is left out."""

    name = forms.CharField(label="考核项目", max_length=120, required=False)
    kind = forms.ChoiceField(label="计分方式", choices=ItemKind.choices, initial=ItemKind.AUTO)
    metric_key = forms.ChoiceField(label="目标指标", required=False)
    weight = forms.DecimalField(label="分值", max_digits=5, decimal_places=1, required=False)
    cap = forms.DecimalField(label="完成率封顶倍数", max_digits=4, decimal_places=2, initial=Decimal("1.00"),
                             required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = [("", "（人工评分不选）"), *targetable_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("weight") is None:
            self.add_error("weight", "请填写该项分值")
        return data
