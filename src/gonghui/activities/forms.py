"""Forms parse and validate input; the services do the writing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q

from gonghui.activities import selectors
from gonghui.activities.models import (
    Activity,
    ActivityEntry,
    ActivityType,
    AttachmentKind,
    Club,
    MaterialDistribution,
    ParticipantRole,
    PartyRecommendation,
    PublicityItem,
)
from gonghui.activities.vocab import NATIONAL_TYPES, MaterialTopic, Topic
from gonghui.core.forms import DateInput, TablerFormMixin
from gonghui.core.scope import Scope
from gonghui.facilities.models import Facility
from gonghui.orgs.models import Employer, Org

# Every measure any national type declares, as optional form fields ``measure_<key>``.
MEASURE_FIELDS: dict[str, Any] = {m.key: m for t in NATIONAL_TYPES for m in t.measures}


def _org_codes(raw: str) -> list[str]:
    return [c.strip().upper() for c in raw.replace("，", ",").replace("、", ",").split(",") if c.strip()]


class ActivityForm(TablerFormMixin, forms.ModelForm):
    topics = forms.MultipleChoiceField(label="主题标签", choices=Topic.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    co_organiser_codes = forms.CharField(label="协办（联办）工会代码", required=False,
                                         help_text="多个代码用逗号分隔；可填上级工会或您管理范围内的工会")
    material_title = forms.CharField(label="发放资料名称", max_length=120, required=False)
    material_topic = forms.ChoiceField(label="资料主题", choices=[("", "—"), *MaterialTopic.choices], required=False)
    material_copies = forms.IntegerField(label="发放资料（份）", min_value=1, required=False)

    class Meta:
        model = Activity
        fields = [
            "type", "title", "start_on", "end_on", "campaign", "audience", "venue", "facility", "topics", "sessions",
            "headcount_only", "headcount", "estimated", "units", "participating_employers", "teams", "hours", "trade",
            "certified_count", "reemployed_count", "amount_spent", "media_reports", "reach", "description",
        ]
        widgets = {"start_on": DateInput(), "end_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3}),
                   "participating_employers": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, org: Org, user: Any, **kwargs: Any) -> None:
        self.org, self.user = org, user
        super().__init__(*args, **kwargs)
        for key, m in MEASURE_FIELDS.items():
            field: forms.Field = (forms.DecimalField(decimal_places=2, min_value=Decimal("0")) if m.decimal
                                  else forms.IntegerField(min_value=0))
            field.label = f"{m.label}（{m.unit}）"
            field.required = False
            field.widget.attrs["class"] = "form-control"
            self.fields[f"measure_{key}"] = field
        self.fields["type"].queryset = selectors.usable_types(org)  # type: ignore[attr-defined]
        self.fields["type"].label_from_instance = lambda t: (  # type: ignore[attr-defined]
            t.name if t.org_id is None else f"{t.name}（{t.org.name}设立）")
        scope = Scope.of(user)
        self.fields["facility"].queryset = scope.filter(  # type: ignore[attr-defined]
            Facility.objects.filter(closed_on__isnull=True), "facilities.view").order_by("type", "name")
        area = Employer.objects.filter(Q(org__path__startswith=org.path)
                                       | Q(covering_unions__path__startswith=org.path)).values("pk")
        self.fields["participating_employers"].queryset = scope.filter(  # type: ignore[attr-defined]
            Employer.objects.filter(pk__in=area), "orgs.view").order_by("name")
        self.fields["participating_employers"].required = False
        self.fields["topics"].widget.attrs["class"] = "form-check-input"
        self.fields["end_on"].required = False
        self.fields["end_on"].help_text = "一天内的活动可不填"
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["co_organiser_codes"] = "，".join(instance.co_organisers.values_list("code", flat=True))
            for key, value in (instance.measures or {}).items():
                self.initial[f"measure_{key}"] = value
        if instance is not None and instance.pk:
            for name in ("material_title", "material_topic", "material_copies"):
                del self.fields[name]

    def clean_co_organiser_codes(self) -> list[Org]:
        codes = _org_codes(self.cleaned_data.get("co_organiser_codes") or "")
        found = {o.code: o for o in Org.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(f"找不到工会代码：{'、'.join(missing)}")
        return [found[c] for c in codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        activity_type: ActivityType | None = data.get("type")
        declared = {m["key"] for m in activity_type.effective_measures()} if activity_type else set()
        measures: dict[str, Any] = {}
        for key in MEASURE_FIELDS:
            value = data.pop(f"measure_{key}", None)
            if value is None:
                continue
            if key not in declared:
                self.add_error(f"measure_{key}", f"“{activity_type.name if activity_type else ''}”不填写此项")
                continue
            measures[key] = str(value) if isinstance(value, Decimal) else value
        data["measures"] = measures
        if data.get("start_on") and not data.get("end_on"):
            data["end_on"] = data["start_on"]
        copies, title = data.get("material_copies"), (data.get("material_title") or "").strip()
        if copies and not (title and data.get("material_topic")):
            self.add_error("material_title", "发放资料请填写资料名称和主题")
        return data

    def service_values(self) -> dict[str, Any]:
        """The cleaned data as service keyword arguments (materials handled separately)."""
        data = dict(self.cleaned_data)
        data["co_organisers"] = data.pop("co_organiser_codes", [])
        for name in ("material_title", "material_topic", "material_copies"):
            data.pop(name, None)
        return data

    def materials(self) -> list[dict[str, Any]]:
        copies = self.cleaned_data.get("material_copies")
        if not copies:
            return []
        return [{"title": self.cleaned_data["material_title"].strip(), "topic": self.cleaned_data["material_topic"],
                 "copies": copies, "campaign": self.cleaned_data.get("campaign") or ""}]

    def changed_values(self, activity: Activity) -> dict[str, Any]:
        values = self.service_values()
        current_codes = sorted(activity.co_organisers.values_list("code", flat=True))
        changed = {k: v for k, v in values.items() if k in self.changed_data}
        if sorted(o.code for o in values["co_organisers"]) != current_codes:
            changed["co_organisers"] = values["co_organisers"]
        if values["measures"] != (activity.measures or {}):
            changed["measures"] = values["measures"]
        return changed


class NewPersonForm(TablerFormMixin, forms.Form):
    """A person typed in by name and resident ID number."""

    name = forms.CharField(label="姓名", max_length=30)
    id_number = forms.CharField(label="身份证号码", max_length=20)
    employer_name = forms.CharField(label="工作单位", max_length=120, required=False)
    is_migrant = forms.BooleanField(label="农民工", required=False)
    role = forms.ChoiceField(label="身份", choices=ParticipantRole.choices, initial=ParticipantRole.PARTICIPANT)
    attendances = forms.IntegerField(label="参加场次", min_value=1, initial=1)
    certified = forms.BooleanField(label="取得证书", required=False)
    reemployed = forms.BooleanField(label="培训后再就业", required=False)


class ParticipantForm(TablerFormMixin, forms.Form):
    employer_name = forms.CharField(label="工作单位", max_length=120, required=False)
    is_migrant = forms.BooleanField(label="农民工", required=False)
    role = forms.ChoiceField(label="身份", choices=ParticipantRole.choices)
    attendances = forms.IntegerField(label="参加场次", min_value=1)
    certified = forms.BooleanField(label="取得证书", required=False)
    reemployed = forms.BooleanField(label="培训后再就业", required=False)


class EntryForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = ActivityEntry
        fields = ["kind", "name", "participant", "employer", "result", "rank_text", "recommended_up", "published"]

    def __init__(self, *args: Any, activity: Activity, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = activity.participants.all()  # type: ignore[attr-defined]
        self.fields["employer"].queryset = activity.participating_employers.all()  # type: ignore[attr-defined]


class AttachmentForm(TablerFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=AttachmentKind.choices)
    file = forms.FileField(label="文件", help_text="JPG、PNG 图片，PDF，或 Excel、Word 文件，不超过 10 MB",
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,.pdf,.xlsx,.docx"}))


class TypeForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label="类型名称", max_length=40)
    code = forms.SlugField(label="代码", max_length=40, help_text="英文小写字母、数字和连字符，如 moral-lecture")
    counts_as = forms.ModelChoiceField(label="统计归入", queryset=ActivityType.objects.filter(org__isnull=True),
                                       help_text="统计报表中计入哪一全国类型")


class PublicityForm(TablerFormMixin, forms.ModelForm):
    topics = forms.MultipleChoiceField(label="主题标签", choices=Topic.choices, required=False,
                                       widget=forms.SelectMultiple(attrs={"size": 4}))

    class Meta:
        model = PublicityItem
        fields = ["type", "title", "published_on", "outlet", "level", "adopted_by", "adopted_level", "url", "reach",
                  "topics", "activity"]
        widgets = {"published_on": DateInput()}

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = recent_activities(org)  # type: ignore[attr-defined]


class MaterialForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = MaterialDistribution
        fields = ["distributed_on", "topic", "title", "copies", "campaign", "activity"]
        widgets = {"distributed_on": DateInput()}

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = recent_activities(org)  # type: ignore[attr-defined]


class ImportForm(TablerFormMixin, forms.Form):
    file = forms.FileField(label="活动登记表（Excel）", help_text="请使用“下载模板”得到的表格；.xlsx 格式",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls"}))



def recent_activities(org: Org) -> Any:
    """Activities of the union in the last two years, to link a publicity record or material to."""
    since = dt.date.today() - dt.timedelta(days=730)
    return Activity.objects.filter(org=org, start_on__gte=since).order_by("-start_on")


class ClubForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Club
        fields = ["name", "kind", "parent", "founded_on", "dissolved_on", "member_count"]
        widgets = {"founded_on": DateInput(), "dissolved_on": DateInput()}

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paths = [org.path[:i] for i in range(Org.steplen, len(org.path) + 1, Org.steplen)]
        self.fields["parent"].queryset = Club.objects.filter(  # type: ignore[attr-defined]
            parent__isnull=True, org__path__in=paths).select_related("org")


class SubscriptionForm(TablerFormMixin, forms.Form):
    periodical = forms.CharField(label="报刊名称", max_length=60, help_text="如 工人日报、南方工报、中国工人")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=lambda: dt.date.today().year)
    copies = forms.IntegerField(label="每家份数", min_value=1, initial=1)
    recipients = forms.ModelMultipleChoiceField(label="受赠工会", queryset=Org.objects.none(),
                                                widget=forms.SelectMultiple(attrs={"size": 10}),
                                                help_text="按住 Ctrl 可选多家")

    def __init__(self, *args: Any, org: Org, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = Scope.of(user).orgs("activities.view").filter(  # type: ignore[attr-defined]
            path__startswith=org.path, dissolved_on__isnull=True,
            kind__in=["grassroots", "federation", "industry"]).exclude(pk=org.pk).order_by("path")


class PartyRecommendationForm(TablerFormMixin, forms.ModelForm):
    id_number = forms.CharField(label="会员身份证号码", max_length=20,
                                help_text="本工会或所属工会在册会员的身份证号码（18位）")

    field_order = ["id_number"]

    class Meta:
        model = PartyRecommendation
        fields = ["recommended_on", "stage", "remarks"]
        widgets = {"recommended_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the member of a saved record does not change
            del self.fields["id_number"]
        else:
            self.fields["recommended_on"].initial = dt.date.today()
