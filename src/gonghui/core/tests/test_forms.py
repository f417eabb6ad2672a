"""The shared form mixin: Chinese blank choices and optional numbers with a model default."""

from __future__ import annotations

from django import forms

from gonghui.core.forms import BLANK_LABEL, TablerFormMixin
from gonghui.orgs.models import Employer


class EmployerForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "ownership", "headcount"]


def test_blank_choice_is_chinese_and_numbers_with_a_default_may_be_left_empty() -> None:
    form = EmployerForm(data={"name": "测试公司", "ownership": "", "headcount": ""})
    html = str(form)
    assert "Select an option" not in html
    assert BLANK_LABEL in html
    assert 'class="form-select' in html
    assert not form.fields["headcount"].required
    form.is_valid()
    assert "headcount" not in form.errors
    assert form.cleaned_data["headcount"] == Employer._meta.get_field("headcount").get_default()
