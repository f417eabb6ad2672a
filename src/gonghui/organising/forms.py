"""Forms parse and validate input; the services do the writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from gonghui.core.forms import DateInput, TablerFormMixin
from gonghui.organising.models import Assessment, CampaignTarget, OrganisingCampaign, StarRating
from gonghui.orgs.models import Employer


class CampaignForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisingCampaign
        fields = ["name", "start_on", "end_on", "new_group", "target_unions", "description"]
        widgets = {"start_on": DateInput(), "end_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class TargetsForm(TablerFormMixin, forms.Form):
    employers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
                                               label="未建会单位", queryset=Employer.objects.none(),
                                               widget=forms.SelectMultiple(attrs={"size": 12}),
                                               help_text="按住 Ctrl 可选多家；只列出本区域内尚未建会的单位")

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employers"].queryset = queryset  # type: ignore[attr-defined]
        self.fields["employers"].label_from_instance = (  # type: ignore[attr-defined]
            lambda e: f"{e.name}（{e.headcount}人）")


class TargetForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = CampaignTarget
        fields = ["status", "contacted_on", "situation"]
        widgets = {"contacted_on": DateInput()}


class _OrgCodeMixin(forms.Form):
    org_code = forms.CharField(label="工会代码", max_length=64, help_text="被评定（考核）工会的代码，如 GZ.TH.LD.0001")

    def clean_org_code(self) -> str:
        return self.cleaned_data["org_code"].strip().upper()


class RatingForm(TablerFormMixin, _OrgCodeMixin, forms.ModelForm):
    field_order = ["org_code"]

    class Meta:
        model = StarRating
        fields = ["stars", "level", "awarded_on", "valid_until", "awarded_by", "revoked_on"]
        widgets = {"awarded_on": DateInput(), "valid_until": DateInput(), "revoked_on": DateInput()}


class RatingEditForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = StarRating
        fields = ["stars", "level", "awarded_on", "valid_until", "awarded_by", "revoked_on"]
        widgets = {"awarded_on": DateInput(), "valid_until": DateInput(), "revoked_on": DateInput()}


class AssessmentForm(TablerFormMixin, _OrgCodeMixin, forms.ModelForm):
    field_order = ["org_code"]

    class Meta:
        model = Assessment
        fields = ["year", "assessed_on", "score", "findings"]
        widgets = {"assessed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = dt.date.today().year

    def validate_unique(self) -> None:  # the service checks with a clearer message
        pass


class AssessmentEditForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["assessed_on", "score", "findings"]
        widgets = {"assessed_on": DateInput()}
