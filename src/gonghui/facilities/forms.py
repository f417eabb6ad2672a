"""Forms parse and validate input; the services do the writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q

from gonghui.core.forms import DateInput, TablerFormMixin
from gonghui.core.scope import Scope
from gonghui.facilities.models import Facility, FacilityGrant, FacilityRecognition, Service
from gonghui.orgs.models import Employer, Org


class FacilityForm(TablerFormMixin, forms.ModelForm):
    services = forms.MultipleChoiceField(label="服务项目", choices=Service.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Facility
        fields = ["type", "name", "address", "employer", "opened_on", "with_service_station", "area_sqm",
                  "opening_hours", "books", "services", "description"]
        widgets = {"opened_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, org: Org, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = Employer.objects.filter(Q(org__path__startswith=org.path)
                                       | Q(covering_unions__path__startswith=org.path)).values("pk")
        self.fields["employer"].queryset = Scope.of(user).filter(  # type: ignore[attr-defined]
            Employer.objects.filter(pk__in=area), "orgs.view").order_by("name")
        self.fields["services"].widget.attrs["class"] = "form-check-input"


class CloseForm(TablerFormMixin, forms.Form):
    on = forms.DateField(label="停用日期", initial=dt.date.today, widget=DateInput())
    reason = forms.CharField(label="停用原因", max_length=200)


class RecognitionForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = FacilityRecognition
        fields = ["title", "level", "recognised_on", "awarded_by", "document_no", "revoked_on"]
        widgets = {"recognised_on": DateInput(), "revoked_on": DateInput()}

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from gonghui.facilities.models import TITLE_FOR_TYPE

        title = TITLE_FOR_TYPE[facility.type]
        self.fields["title"].initial = title
        self.fields["title"].choices = [(v, label) for v, label in self.fields["title"].choices  # type: ignore[attr-defined]
                                        if v == title]

    def validate_unique(self) -> None:  # the service checks with a clearer message
        pass


class GrantForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = FacilityGrant
        fields = ["granted_on", "granted_by", "amount", "books", "purpose"]
        widgets = {"granted_on": DateInput()}

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        path = facility.org.path
        paths = [path[:i] for i in range(Org.steplen, len(path) + 1, Org.steplen)]
        self.fields["granted_by"].queryset = Org.objects.filter(path__in=paths).order_by("-depth")  # type: ignore[attr-defined]
